//! The signed-in user's own account: profile and roles, password change, personal API tokens.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::identity;

use crate::error::AppError;
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::roles::{GrantView, grant_views};
use tiendo_app::{password, secret};

/// A token as listed (never the secret).
#[derive(Debug, Clone)]
pub struct TokenView {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) created: String,
    pub(crate) expires: String,
    pub(crate) last_used: String,
    pub(crate) active: bool,
}

/// Formats stored tokens.
pub fn token_views(tokens: Vec<identity::ApiToken>) -> Vec<TokenView> {
    let now = Utc::now();
    tokens
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: tiendo_core::fmt::datetime(t.created_at),
            expires: t.expires_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
            last_used: t.last_used_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
            active: t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    username: String,
    display_name: String,
    email: String,
    organization: String,
    grants: Vec<GrantView>,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    token_name: String,
    token_expires: String,
    token_errors: FormErrors,
    notice: String,
    history: Vec<crate::history::HistoryItem>,
}

/// The form of a new token.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_on: String,
}

async fn account_page(
    ctx: &Ctx,
    new_token: Option<String>,
    form: TokenForm,
    token_errors: FormErrors,
    notice: String,
) -> Result<AccountPage, AppError> {
    let me = ctx.auth.require_user()?;
    let user = identity::user(ctx.state.db(), me.id).await?.ok_or(AppError::NotFound)?;
    let grants = grant_views(&ctx.tr, &identity::grants(ctx.state.db(), me.id).await?);
    let tokens = token_views(identity::tokens_of(ctx.state.db(), me.id).await?);
    Ok(AccountPage {
        layout: ctx.layout("account-title"),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone().unwrap_or_default(),
        organization: user.organization_name.clone().unwrap_or_default(),
        grants,
        tokens,
        new_token,
        token_name: form.name,
        token_expires: form.expires_on,
        token_errors,
        notice,
        history: crate::history::load(&ctx.state, &ctx.tr, "user", me.id).await?,
    })
}

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Query of `GET /account`.
#[derive(Debug, Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

/// `GET /account`.
pub async fn show(ctx: Ctx, axum::extract::Query(q): axum::extract::Query<AccountQuery>) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some("password") => ctx.tr.t("account-password-changed"),
        Some("revoked") => ctx.tr.t("account-token-revoked"),
        _ => String::new(),
    };
    let page = account_page(&ctx, None, TokenForm::default(), FormErrors::new(), notice).await?;
    html(&page, StatusCode::OK)
}

/// `POST /account/tokens`: creates a token and shows it once.
pub async fn create_token(ctx: Ctx, axum::Form(form): axum::Form<TokenForm>) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.clone();
    if !authorize(&ctx.auth.actor, Action::Create, &Resource::OwnAccount { user_id: me.id }).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let name = tiendo_core::text::normalize_input(&form.name);
    let mut errors = FormErrors::new();
    if name.is_empty() {
        errors.add("name", ctx.tr.t("field-required"));
    } else if name.chars().count() > 80 {
        errors.add("name", ctx.tr.t_with("field-too_long", &[("max", "80")]));
    }
    let today = tiendo_core::time::vietnam_date(Utc::now());
    let expires = match form.expires_on.trim() {
        "" => None,
        text => match tiendo_core::fmt::parse_date(text) {
            None => {
                errors.add("expires_on", ctx.tr.t("field-date_format"));
                None
            }
            Some(d) if d <= today => {
                errors.add("expires_on", ctx.tr.t("field-date_past"));
                None
            }
            // The token works until the end of that day in Vietnam.
            Some(d) => tiendo_core::time::vietnam_offset()
                .from_local_datetime(&d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()))
                .single()
                .map(|t| t.with_timezone(&Utc)),
        },
    };
    if !errors.is_empty() {
        let page =
            account_page(&ctx, None, TokenForm { name: form.name, expires_on: form.expires_on }, errors, String::new())
                .await?;
        return html(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let token = secret::new_api_token();
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    let id = identity::create_token(&tx, me.id, &name, &secret::digest(&token), &token[..10], expires, now).await?;
    let event = NewEvent::new("create_token", "user", me.id, format!("Tạo mã truy cập API \"{name}\" (#{id})"));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    let page = account_page(&ctx, Some(token), TokenForm::default(), FormErrors::new(), String::new()).await?;
    html(&page, StatusCode::CREATED)
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(ctx: Ctx, Path(token_id): Path<i64>) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.clone();
    let tx = ctx.state.db().begin().await?;
    if !identity::revoke_token(&tx, me.id, token_id, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("revoke_token", "user", me.id, format!("Thu hồi mã truy cập API #{token_id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    layout: Layout,
    forced: bool,
    errors: FormErrors,
}

/// `GET /account/password`.
pub async fn password_form(ctx: Ctx) -> Result<Response, AppError> {
    let forced = ctx.auth.require_user()?.must_change_password;
    html(&PasswordPage { layout: ctx.layout("password-title"), forced, errors: FormErrors::new() }, StatusCode::OK)
}

/// Form of `POST /account/password`.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /account/password`: checks the current password, sets the new one, ends the other sessions.
pub async fn change_password(ctx: Ctx, axum::Form(form): axum::Form<PasswordForm>) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.clone();
    let (user, stored) = identity::user_for_login(ctx.state.db(), &me.username).await?.ok_or(AppError::Unauthorized)?;
    let mut errors = FormErrors::new();
    if !password::verify(form.current_password, Some(stored)).await {
        errors.add("current_password", ctx.tr.t("field-password_wrong"));
    }
    if let Err(weak) = password::check_strength(&form.new_password, &user.username) {
        errors.add(
            "new_password",
            ctx.tr.t_with(&format!("field-{}", weak.code()), &[("min", &password::MIN_LENGTH.to_string())]),
        );
    } else if form.new_password != form.confirm_password {
        errors.add("confirm_password", ctx.tr.t("field-password_mismatch"));
    }
    if !errors.is_empty() {
        let page = PasswordPage { layout: ctx.layout("password-title"), forced: me.must_change_password, errors };
        return html(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = password::hash(form.new_password)
        .await
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let keep = match &ctx.auth.method {
        crate::auth::Method::Session { id_hash, .. } => Some(id_hash.clone()),
        _ => None,
    };
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    identity::set_password(&tx, me.id, &hash, false, now).await?;
    identity::delete_sessions_of(&tx, me.id, keep.as_deref()).await?;
    audit::append(&tx, &ctx.auth.who(), &NewEvent::new("change_password", "user", me.id, "Đổi mật khẩu")).await?;
    tx.commit().await?;
    Ok(Redirect::to("/account?done=password").into_response())
}
