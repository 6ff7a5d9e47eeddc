//! Signing in and out, the password reset link, and the two pages that keep a user's input across an
//! interruption: "sign in to continue" (the session expired) and "send again" (the form expired).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::identity;

use crate::auth::{self, password, secret, throttle};
use crate::error::AppError;
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
#[template(path = "login.html")]
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

/// `GET /login`.
pub async fn show(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    if ctx.auth.user.is_some() {
        return Redirect::to(&next).into_response();
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
#[template(path = "resend.html")]
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
    let password_typed = field(&pairs, "password").to_owned();
    let next = safe_next(Some(field(&pairs, "next")));
    let carry: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("carry__").map(|k| (k.to_owned(), v.clone())))
        .filter(|(k, _)| !forms::is_secret_field(k))
        .collect();
    let state = &ctx.state;
    let now = Utc::now();
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
    if username.is_empty() || password_typed.is_empty() {
        return Ok(again(ctx.tr.t("login-missing"), StatusCode::UNPROCESSABLE_ENTITY));
    }
    // Every attempt is counted before the password is checked, in one atomic statement per key, so that
    // attempts sent in parallel are all counted.
    let keys = throttle::keys(&username, ctx.auth.ip.as_deref());
    if let Err(until) = throttle::begin_attempt(state, &keys, now).await? {
        let minutes = ((until - now).num_seconds() + 59) / 60;
        let at = tiendo_core::time::to_vietnam(until).format("%H:%M").to_string();
        let message = ctx.tr.t_with("login-locked", &[("minutes", &minutes.to_string()), ("time", &at)]);
        return Ok(again(message, StatusCode::TOO_MANY_REQUESTS));
    }
    let found = identity::user_for_login(state.db(), &username).await?;
    let (user, stored) = match found {
        Some((user, hash)) if user.is_active() => (Some(user), Some(hash)),
        Some((user, _)) => (Some(user), None),
        None => (None, None),
    };
    let ok = password::verify(password_typed, stored).await;
    let Some(user) = user.filter(|_| ok) else {
        throttle::failed(state, &keys, now).await?;
        let tx = state.db().begin().await?;
        let mut who = ctx.auth.who();
        who.label = format!("login:{username}");
        let event = NewEvent {
            action: "login_failed".to_owned(),
            entity_type: "session".to_owned(),
            entity_id: None,
            summary: format!("Đăng nhập không thành công với tên {username}"),
            changes: Vec::new(),
        };
        audit::append(&tx, &who, &event).await?;
        tx.commit().await?;
        return Ok(again(ctx.tr.t("login-failed"), StatusCode::UNAUTHORIZED));
    };
    let previous = crate::cookies::get(&headers, auth::session_cookie_name(state.site().is_https())).map(str::to_owned);
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    // Every write of a sign-in in one transaction: one turn of the database's write lock.
    let tx = state.db().begin().await?;
    identity::clear_throttle(&tx, &keys[0].0).await?;
    if let Some((ip_key, _)) = keys.get(1) {
        identity::uncount_attempt(&tx, ip_key).await?;
    }
    let cookie =
        auth::start_session_in(&tx, state.site(), user.id, previous.as_deref(), ctx.auth.ip.as_deref(), user_agent)
            .await?;
    identity::record_login(&tx, user.id, now).await?;
    let mut who = ctx.auth.who();
    who.user_id = Some(user.id);
    who.label = user.username.clone();
    audit::append(&tx, &who, &NewEvent::new("login", "user", user.id, "Đăng nhập")).await?;
    tx.commit().await?;
    let mut response = if user.must_change_password {
        Redirect::to("/account/password").into_response()
    } else if !carry.is_empty() {
        // Continue the interrupted submission: the new session's token is needed, so load it back.
        let fresh = reload_auth(&ctx, &cookie).await?;
        let continued = Ctx { auth: fresh, ..ctx.clone() };
        resend(&continued, &next, carry, ctx.tr.t("resend-after-login"), StatusCode::OK)
    } else {
        Redirect::to(&next).into_response()
    };
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The authentication of the session just started (for the CSRF token of the "continue" form).
async fn reload_auth(ctx: &Ctx, cookie: &HeaderValue) -> Result<auth::Auth, AppError> {
    let value = cookie
        .to_str()
        .ok()
        .and_then(|c| c.split(';').next())
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default();
    let record = identity::session(ctx.state.db(), &secret::digest(&value)).await?.ok_or(AppError::Unauthorized)?;
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
        method: auth::Method::Session { id_hash: secret::digest(&value), csrf_token: record.csrf_token },
        unread_notifications: tiendo_db::notifications::unread_count(ctx.state.db(), record.user_id).await?,
        ..ctx.auth.clone()
    })
}

/// `POST /logout`.
pub async fn logout(ctx: Ctx) -> Result<Response, AppError> {
    if let auth::Method::Session { id_hash, .. } = &ctx.auth.method {
        identity::delete_session(ctx.state.db(), id_hash).await?;
        if let Some(user) = &ctx.auth.user {
            let tx = ctx.state.db().begin().await?;
            audit::append(&tx, &ctx.auth.who(), &NewEvent::new("logout", "user", user.id, "Đăng xuất")).await?;
            tx.commit().await?;
        }
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(header::SET_COOKIE, auth::clear_session_cookie(&ctx.state));
    Ok(response)
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    layout: Layout,
    valid: bool,
    errors: FormErrors,
}

/// `GET /reset-password/{token}`: the form to choose a new password, if the link is valid.
pub async fn reset_form(ctx: Ctx, Path(token): Path<String>) -> Result<Response, AppError> {
    let valid = identity::reset_user(ctx.state.db(), &secret::digest(&token), Utc::now()).await?.is_some();
    let page = ResetPage { layout: ctx.layout("reset-title"), valid, errors: FormErrors::new() };
    let status = if valid { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Form of `POST /reset-password/{token}`.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    new_password: String,
    confirm_password: String,
}

/// `POST /reset-password/{token}`: sets the new password, uses the link, ends every session.
pub async fn reset_submit(
    ctx: Ctx,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response, AppError> {
    let hash = secret::digest(&token);
    let now = Utc::now();
    let Some(user_id) = identity::reset_user(ctx.state.db(), &hash, now).await? else {
        let page = ResetPage { layout: ctx.layout("reset-title"), valid: false, errors: FormErrors::new() };
        return Ok((StatusCode::NOT_FOUND, Html(page.render().map_err(AppError::internal)?)).into_response());
    };
    let user = identity::user(ctx.state.db(), user_id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    if let Err(weak) = password::check_strength(&form.new_password, &user.username) {
        errors.add(
            "new_password",
            ctx.tr.t_with(&format!("field-{}", weak.code()), &[("min", &password::MIN_LENGTH.to_string())]),
        );
    } else if form.new_password != form.confirm_password {
        errors.add("confirm_password", ctx.tr.t("field-password_mismatch"));
    }
    if !errors.is_empty() {
        let page = ResetPage { layout: ctx.layout("reset-title"), valid: true, errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render().map_err(AppError::internal)?)).into_response());
    }
    let new_hash = password::hash(form.new_password)
        .await
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let tx = ctx.state.db().begin().await?;
    if identity::consume_reset(&tx, &hash, now).await?.is_none() {
        return Err(AppError::NotFound);
    }
    identity::set_password(&tx, user_id, &new_hash, false, now).await?;
    identity::delete_sessions_of(&tx, user_id, None).await?;
    let mut who = ctx.auth.who();
    who.user_id = Some(user_id);
    who.label = user.username.clone();
    audit::append(&tx, &who, &NewEvent::new("reset_password", "user", user_id, "Đặt lại mật khẩu bằng liên kết"))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/login?reset=1").into_response())
}
