//! The signed-in user's own account: profile and roles, password change, personal API tokens.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::identity::passwords::{self, PasswordChange};
use tiendo_app::identity::tokens::{self, TokenDraft};
use tiendo_db::identity;

use crate::error::AppError;
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::identity::{GrantView, TokenView, grant_views, token_views};
use crate::layout::{Ctx, Layout};

#[derive(Template)]
#[template(path = "identity/account.html")]
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
    let tokens = token_views(identity::tokens_of(ctx.state.db(), me.id).await?, ctx.state.app().now());
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
pub async fn show(
    ctx: Ctx,
    crate::extract::Query(q): crate::extract::Query<AccountQuery>,
) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some("password") => ctx.tr.t("account-password-changed"),
        Some("revoked") => ctx.tr.t("account-token-revoked"),
        _ => String::new(),
    };
    let page = account_page(&ctx, None, TokenForm::default(), FormErrors::new(), notice).await?;
    html(&page, StatusCode::OK)
}

/// `POST /account/tokens`: creates a token and shows it once.
pub async fn create_token(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<TokenForm>,
) -> Result<Response, AppError> {
    let draft = TokenDraft { name: form.name.clone(), expires_on: form.expires_on.clone() };
    match tokens::create(ctx.state.app(), ctx.auth.session(), &draft).await {
        Ok(created) => {
            let page = account_page(&ctx, Some(created.secret), TokenForm::default(), FormErrors::new(), String::new())
                .await?;
            html(&page, StatusCode::CREATED)
        }
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            let page = account_page(&ctx, None, form, errors, String::new()).await?;
            html(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(ctx: Ctx, Path(token_id): Path<i64>) -> Result<Response, AppError> {
    tokens::revoke_own(ctx.state.app(), ctx.auth.session(), token_id).await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}

#[derive(Template)]
#[template(path = "identity/account_password.html")]
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
pub async fn change_password(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<PasswordForm>,
) -> Result<Response, AppError> {
    let forced = ctx.auth.require_user()?.must_change_password;
    let keep = match &ctx.auth.method {
        crate::auth::Method::Session { id_hash, .. } => Some(id_hash.as_str()),
        _ => None,
    };
    let change =
        PasswordChange { current: form.current_password, new: form.new_password, confirmation: form.confirm_password };
    match passwords::change(ctx.state.app(), ctx.auth.session(), change, keep).await {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            html(
                &PasswordPage { layout: ctx.layout("password-title"), forced, errors },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(other) => Err(other.into()),
    }
}
