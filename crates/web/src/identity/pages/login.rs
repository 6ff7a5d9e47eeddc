//! Signing in and out, the password reset link, and the two pages that keep a user's input across an
//! interruption: "sign in to continue" (the session expired) and "send again" (the form expired).

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::identity::sessions::{self, SignIn};
use tiendo_app::secret;
use tiendo_db::identity;

use crate::auth;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::{self, FormErrors};
use crate::layout::{Ctx, Layout};

/// Only local paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "identity/login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    carry: Vec<(String, String)>,
    message: String,
    notice: String,
}

fn login_page(page: LoginPage, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}

/// Query of `GET /login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
    reset: Option<String>,
}

/// Where to go after signing in: the page asked for, else (nothing asked, or only the home page) the
/// user's own work ([`crate::nav::landing`]).
fn destination(next: &str, auth: &auth::Auth) -> String {
    if next == "/" { crate::nav::landing(auth).to_owned() } else { next.to_owned() }
}

/// `GET /login`.
pub async fn show(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if ctx.auth.user.is_some() {
        return Redirect::to(&destination(&next, &ctx.auth)).into_response();
    }
    let notice = if q.expired.is_some() {
        ctx.tr.t("login-session-expired")
    } else if q.reset.is_some() {
        ctx.tr.t("login-after-reset")
    } else {
        String::new()
    };
    let page = LoginPage {
        layout: ctx.layout("login-title"),
        username: String::new(),
        next,
        carry: Vec::new(),
        message: String::new(),
        notice,
    };
    login_page(page, StatusCode::OK)
}

/// The sign-in page shown instead of a form submission whose session had ended: the submitted fields
/// travel in hidden inputs and are offered again after signing in.
pub fn sign_in_to_continue(ctx: &Ctx, next: &str, carry: Vec<(String, String)>, expired: bool) -> Response {
    let notice = if expired { ctx.tr.t("login-session-expired-kept") } else { ctx.tr.t("login-required-kept") };
    let page = LoginPage {
        layout: ctx.layout("login-title"),
        username: String::new(),
        next: safe_next(Some(next)),
        carry,
        message: String::new(),
        notice,
    };
    login_page(page, StatusCode::UNAUTHORIZED)
}

#[derive(Template)]
#[template(path = "identity/resend.html")]
struct ResendPage {
    layout: Layout,
    action: String,
    fields: Vec<(String, String)>,
    message: String,
}

/// A page that sends a form again, with what the user typed and a fresh CSRF token: after a form
/// expired (403) or after signing in to continue (200).
pub fn resend_form(ctx: &Ctx, action: &str, fields: Vec<(String, String)>) -> Response {
    resend(ctx, action, fields, ctx.tr.t("resend-expired"), StatusCode::FORBIDDEN)
}

fn resend(ctx: &Ctx, action: &str, fields: Vec<(String, String)>, message: String, status: StatusCode) -> Response {
    let page = ResendPage { layout: ctx.layout("resend-title"), action: safe_next(Some(action)), fields, message };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// `POST /login`.
pub async fn submit(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let pairs = forms::parse_urlencoded(&body);
    let username = tiendo_core::text::normalize_input(field(&pairs, "username")).to_lowercase();
    let next = safe_next(Some(field(&pairs, "next")));
    let carry: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("carry__").map(|k| (k.to_owned(), v.clone())))
        .filter(|(k, _)| !forms::is_secret_field(k))
        .collect();
    let state = &ctx.state;
    let again = |message: String, status: StatusCode| {
        let page = LoginPage {
            layout: ctx.layout("login-title"),
            username: username.clone(),
            next: next.clone(),
            carry: carry.clone(),
            message,
            notice: String::new(),
        };
        login_page(page, status)
    };
    let request = SignIn {
        username: username.clone(),
        password: field(&pairs, "password").to_owned(),
        previous_session: crate::cookies::get(&headers, auth::session_cookie_name(state.site().is_https()))
            .map(str::to_owned),
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
    };
    let signed_in = match sessions::sign_in(state.app(), ctx.auth.session(), request).await {
        Ok(signed_in) => signed_in,
        Err(tiendo_app::Error::Invalid(_)) => {
            return Ok(again(ctx.tr.t("login-missing"), StatusCode::UNPROCESSABLE_ENTITY));
        }
        Err(tiendo_app::Error::TooManyAttempts { retry_after_secs }) => {
            let secs = i64::try_from(retry_after_secs).unwrap_or(i64::MAX);
            let until = state.app().now() + chrono::Duration::seconds(secs);
            let minutes = (secs + 59) / 60;
            let at = tiendo_core::time::to_vietnam(until).format("%H:%M").to_string();
            let message = ctx.tr.t_with("login-locked", &[("minutes", &minutes.to_string()), ("time", &at)]);
            let mut response = again(message, StatusCode::TOO_MANY_REQUESTS);
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return Ok(response);
        }
        Err(tiendo_app::Error::Unauthorized) => return Ok(again(ctx.tr.t("login-failed"), StatusCode::UNAUTHORIZED)),
        Err(other) => return Err(other.into()),
    };
    let cookie = auth::session_cookie(state.site(), &signed_in.session_secret)?;
    let mut response = if signed_in.user.must_change_password {
        Redirect::to("/account/password").into_response()
    } else if !carry.is_empty() {
        // Continue the interrupted submission: the new session's token is needed, so load it back.
        let fresh = reload_auth(&ctx, &signed_in.session_secret).await?;
        let continued = Ctx { auth: fresh, ..ctx.clone() };
        resend(&continued, &next, carry, ctx.tr.t("resend-after-login"), StatusCode::OK)
    } else {
        let signed_in_as = auth::Auth {
            actor: tiendo_core::authz::Actor::user(
                signed_in.user.id,
                auth::load_grants(state, signed_in.user.id).await?,
            ),
            user: Some(auth::SignedInUser {
                id: signed_in.user.id,
                username: signed_in.user.username.clone(),
                display_name: signed_in.user.display_name.clone(),
                organization_id: signed_in.user.organization_id,
                must_change_password: false,
            }),
            ..auth::Auth::default()
        };
        Redirect::to(&destination(&next, &signed_in_as)).into_response()
    };
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The authentication of the session just started (for the CSRF token of the "continue" form).
async fn reload_auth(ctx: &Ctx, value: &str) -> Result<auth::Auth, AppError> {
    let record = identity::session(ctx.state.db(), &secret::digest(value)).await?.ok_or(AppError::Unauthorized)?;
    let grants = auth::load_grants(&ctx.state, record.user_id).await?;
    Ok(auth::Auth {
        actor: tiendo_core::authz::Actor::user(record.user_id, grants),
        user: Some(auth::SignedInUser {
            id: record.user_id,
            username: record.username,
            display_name: record.display_name,
            organization_id: record.organization_id,
            must_change_password: record.must_change_password,
        }),
        method: auth::Method::Session { id_hash: secret::digest(value), csrf_token: record.csrf_token },
        unread_notifications: tiendo_db::notifications::unread_count(ctx.state.db(), record.user_id).await?,
        ip: ctx.auth.ip.clone(),
        request_id: ctx.auth.request_id.clone(),
        ..auth::Auth::default()
    })
}

/// `POST /logout`.
pub async fn logout(ctx: Ctx) -> Result<Response, AppError> {
    if let auth::Method::Session { id_hash, .. } = &ctx.auth.method {
        sessions::sign_out(ctx.state.app(), ctx.auth.session(), id_hash).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(header::SET_COOKIE, auth::clear_session_cookie(&ctx.state));
    Ok(response)
}

#[derive(Template)]
#[template(path = "identity/reset_password.html")]
struct ResetPage {
    layout: Layout,
    valid: bool,
    errors: FormErrors,
    keep_tokens: bool,
}

/// `GET /reset-password/{token}`: the form to choose a new password, if the link is valid.
pub async fn reset_form(ctx: Ctx, Path(token): Path<String>) -> Result<Response, AppError> {
    let valid = sessions::reset_link_account(ctx.state.app(), &token).await?.is_some();
    let page = ResetPage { layout: ctx.layout("reset-title"), valid, errors: FormErrors::new(), keep_tokens: false };
    let status = if valid { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Form of `POST /reset-password/{token}`.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    new_password: String,
    confirm_password: String,
    /// Present when the owner keeps the account's API tokens (revoked by default).
    #[serde(default)]
    keep_tokens: Option<String>,
}

/// `POST /reset-password/{token}`: sets the new password, uses up every link of the account, ends every
/// session and revokes the API tokens unless the owner keeps them.
pub async fn reset_submit(
    ctx: Ctx,
    Path(token): Path<String>,
    crate::extract::Form(form): crate::extract::Form<ResetForm>,
) -> Result<Response, AppError> {
    let keep_tokens = form.keep_tokens.is_some();
    let tokens = if keep_tokens { sessions::TokensOnReset::Keep } else { sessions::TokensOnReset::Revoke };
    let outcome = sessions::reset_password(
        ctx.state.app(),
        ctx.auth.session(),
        &token,
        form.new_password,
        &form.confirm_password,
        tokens,
    )
    .await;
    let (valid, errors, status) = match outcome {
        Ok(()) => return Ok(Redirect::to("/login?reset=1").into_response()),
        Err(tiendo_app::Error::NotFound) => (false, FormErrors::new(), StatusCode::NOT_FOUND),
        Err(tiendo_app::Error::Invalid(errors)) => {
            (true, FormErrors::from_fields(&errors, &ctx.tr), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => return Err(other.into()),
    };
    let page = ResetPage { layout: ctx.layout("reset-title"), valid, errors, keep_tokens };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}
