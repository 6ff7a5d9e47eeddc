//! `/admin/users`: accounts, their roles and scopes, disabling, password reset links.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, Role, authorize};
use tiendo_db::audit::{self, Change, Diff, NewEvent};
use tiendo_db::identity::{self, NewUser, UserEdit, UserFilter, UserStatus};
use tiendo_db::{DbError, orgtree};

use super::administered_orgs;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};
use crate::roles::{GrantView, grant_views, role_label};
use crate::services::roles::{self, GrantRefusal, GrantRequest};
use tiendo_app::{password, secret};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// A row of the list.
#[derive(Debug, Clone)]
pub struct UserRowView {
    id: i64,
    username: String,
    display_name: String,
    organization: String,
    active: bool,
    last_login: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct ListPage {
    layout: Layout,
    q: String,
    users: Vec<UserRowView>,
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/users`: the accounts the administrator's scope covers.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let filter = UserFilter { q: Some(query.q.clone()), organizations: administered_orgs(&ctx).await? };
    let users = identity::list_users(ctx.state.db(), &filter)
        .await?
        .into_iter()
        .map(|u| UserRowView {
            id: u.id,
            active: u.is_active(),
            username: u.username,
            display_name: u.display_name,
            organization: u.organization_name.unwrap_or_default(),
            last_login: u.last_login_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        })
        .collect();
    html(&ListPage { layout: ctx.layout("admin-users-title"), q: query.q, users }, StatusCode::OK)
}

/// An organisation in a select list.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    id: i64,
    name: String,
    selected: bool,
}

async fn org_choices(ctx: &Ctx, selected: Option<i64>) -> Result<Vec<OrgChoice>, AppError> {
    let allowed = administered_orgs(ctx).await?;
    Ok(orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .filter(|o| allowed.as_ref().is_none_or(|ids| ids.contains(&o.id)))
        .map(|o| OrgChoice { selected: Some(o.id) == selected, id: o.id, name: o.name })
        .collect())
}

/// The fields of the account form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    organization_id: String,
}

#[derive(Template)]
#[template(path = "admin_user_new.html")]
struct NewPage {
    layout: Layout,
    form: UserForm,
    orgs: Vec<OrgChoice>,
    errors: FormErrors,
}

/// `GET /admin/users/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    let orgs = org_choices(&ctx, None).await?;
    html(
        &NewPage {
            layout: ctx.layout("admin-user-new-title"),
            form: UserForm::default(),
            orgs,
            errors: FormErrors::new(),
        },
        StatusCode::OK,
    )
}

/// Whether a username is acceptable: 3–40 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn valid_username(name: &str) -> bool {
    (3..=40).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A plausible e-mail address (the real check is that mail arrives).
pub fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The validated profile fields shared by creation and editing.
struct Profile {
    display_name: String,
    email: Option<String>,
    organization_id: Option<i64>,
    org_path: Vec<i64>,
}

async fn validate_profile(ctx: &Ctx, form: &UserForm, errors: &mut FormErrors) -> Result<Profile, AppError> {
    let display_name = tiendo_core::text::normalize_input(&form.display_name);
    if display_name.is_empty() {
        errors.add("display_name", ctx.tr.t("field-required"));
    } else if display_name.chars().count() > 120 {
        errors.add("display_name", ctx.tr.t_with("field-too_long", &[("max", "120")]));
    }
    let email = tiendo_core::text::normalize_input(&form.email).to_lowercase();
    if !email.is_empty() && !valid_email(&email) {
        errors.add("email", ctx.tr.t("field-email_format"));
    }
    let organization_id = match form.organization_id.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if orgtree::name(ctx.state.db(), id).await?.is_some() => Some(id),
            _ => {
                errors.add("organization_id", ctx.tr.t("field-unknown_organization"));
                None
            }
        },
    };
    let org_path = orgtree::path_of(ctx.state.db(), organization_id).await?;
    if !errors.has("organization_id")
        && !authorize(&ctx.auth.actor, Action::Create, &Resource::UserAccount { org_path: &org_path }).is_allowed()
    {
        errors.add("organization_id", ctx.tr.t("field-scope_outside"));
    }
    Ok(Profile { display_name, email: (!email.is_empty()).then_some(email), organization_id, org_path })
}

/// The absolute link of a password reset token, for the administrator to pass on.
fn reset_link(ctx: &Ctx, headers: &HeaderMap, token: &str) -> String {
    let base = ctx.state.site().public_url.clone().unwrap_or_else(|| {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1:8080");
        format!("http://{host}")
    });
    format!("{}/reset-password/{token}", base.trim_end_matches('/'))
}

/// How a password link reached its user.
#[derive(Debug, Clone)]
pub enum ResetDelivery {
    /// Shown once to the administrator, who passes it on.
    Shown(String),
    /// E-mailed to this address through the job queue.
    Emailed(String),
}

/// Delivers a new password link: by e-mail when SMTP is configured and the account has an address,
/// otherwise shown to the administrator. The e-mail is written in Vietnamese and English.
async fn deliver_reset(
    ctx: &Ctx,
    headers: &HeaderMap,
    tx: &tiendo_db::Tx,
    user: &identity::User,
    token: &str,
) -> Result<ResetDelivery, AppError> {
    let link = reset_link(ctx, headers, token);
    let Some(email) = user.email.clone().filter(|_| ctx.state.site().mail_enabled) else {
        return Ok(ResetDelivery::Shown(link));
    };
    let args = [("name", user.display_name.as_str()), ("username", user.username.as_str()), ("link", link.as_str())];
    let vi = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
    let en = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::En);
    let payload = tiendo_db::jobs::EmailPayload {
        to: email.clone(),
        subject: format!("{} / {}", vi.t("mail-reset-subject"), en.t("mail-reset-subject")),
        body: format!(
            "{}\n\n----------\n\n{}",
            vi.t_with("mail-reset-body", &args),
            en.t_with("mail-reset-body", &args)
        ),
    };
    let job = tiendo_db::jobs::NewJob::new(
        tiendo_db::jobs::kinds::SEND_EMAIL,
        serde_json::to_value(&payload).map_err(AppError::internal)?,
    );
    tiendo_db::jobs::enqueue(tx, &job).await?;
    Ok(ResetDelivery::Emailed(email))
}

/// How long a reset link is valid.
pub const RESET_VALIDITY: Duration = Duration::hours(72);

/// Creates a reset link for an account inside `tx`; returns the secret token.
pub async fn issue_reset(tx: &tiendo_db::Tx, user_id: i64, by: Option<i64>) -> Result<String, DbError> {
    let token = secret::random_hex(32);
    let now = Utc::now();
    identity::create_reset(tx, user_id, &secret::digest(&token), by, now + RESET_VALIDITY, now).await?;
    Ok(token)
}

/// `POST /admin/users`: creates the account and shows its one-time password link.
pub async fn create(
    ctx: Ctx,
    headers: HeaderMap,
    axum::Form(form): axum::Form<UserForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let username = form.username.trim().to_lowercase();
    if username.is_empty() {
        errors.add("username", ctx.tr.t("field-required"));
    } else if !valid_username(&username) {
        errors.add("username", ctx.tr.t("field-username_format"));
    }
    let profile = validate_profile(&ctx, &form, &mut errors).await?;
    if errors.is_empty() && identity::user_for_login(ctx.state.db(), &username).await?.is_some() {
        errors.add("username", ctx.tr.t("field-username_taken"));
    }
    if !errors.is_empty() {
        let orgs = org_choices(&ctx, profile.organization_id).await?;
        return html(
            &NewPage { layout: ctx.layout("admin-user-new-title"), form, orgs, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    // Nobody knows this password: the user sets their own through the reset link.
    let unusable = password::hash(secret::random_hex(32))
        .await
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    let new_user = NewUser {
        username: username.clone(),
        display_name: profile.display_name.clone(),
        email: profile.email.clone(),
        person_id: None,
        organization_id: profile.organization_id,
        password_hash: unusable,
        must_change_password: false,
    };
    let id = match identity::create_user(&tx, &new_user, now).await {
        Ok(id) => id,
        Err(e) if e.is_unique_violation_of("username") => {
            errors.add("username", ctx.tr.t("field-username_taken"));
            let orgs = org_choices(&ctx, profile.organization_id).await?;
            return html(
                &NewPage { layout: ctx.layout("admin-user-new-title"), form, orgs, errors },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return Err(e.into()),
    };
    let changes = vec![
        Change::new("username", None::<String>, &username),
        Change::new("display_name", None::<String>, &profile.display_name),
        Change::new("email", None::<String>, &profile.email),
        Change::new("organization_id", None::<i64>, profile.organization_id),
    ];
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("create", "user", id, format!("Tạo tài khoản {username}")).with_changes(changes),
    )
    .await?;
    let token = issue_reset(&tx, id, ctx.auth.user.as_ref().map(|u| u.id)).await?;
    let created = identity::user(&tx, id).await?.ok_or(AppError::NotFound)?;
    let delivery = deliver_reset(&ctx, &headers, &tx, &created, &token).await?;
    audit::append(&tx, &ctx.auth.who(), &NewEvent::new("issue_reset", "user", id, "Cấp liên kết đặt mật khẩu")).await?;
    tx.commit().await?;
    detail_page(
        &ctx,
        id,
        Some(delivery),
        UserForm::default(),
        FormErrors::new(),
        GrantForm::default(),
        FormErrors::new(),
        StatusCode::CREATED,
    )
    .await
}

/// The fields of the grant form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope_kind: String,
    #[serde(default)]
    scope_org: String,
}

/// A role in the select list.
#[derive(Debug, Clone)]
pub struct RoleChoice {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct DetailPage {
    layout: Layout,
    id: i64,
    username: String,
    display_name: String,
    active: bool,
    is_self: bool,
    created: String,
    last_login: String,
    reset: Option<ResetDelivery>,
    form: UserForm,
    form_errors: FormErrors,
    orgs: Vec<OrgChoice>,
    grants: Vec<GrantView>,
    grant_form: GrantForm,
    grant_errors: FormErrors,
    roles: Vec<RoleChoice>,
    scope_orgs: Vec<OrgChoice>,
    tokens: Vec<crate::pages::account::TokenView>,
    history: Vec<HistoryItem>,
}

/// Loads the target account and checks that the administrator may manage it.
async fn managed_user(ctx: &Ctx, id: i64, action: Action) -> Result<(identity::User, Vec<i64>), AppError> {
    let user = identity::user(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = orgtree::path_of(ctx.state.db(), user.organization_id).await?;
    if !authorize(&ctx.auth.actor, action, &Resource::UserAccount { org_path: &path }).is_allowed() {
        // Not revealing accounts outside the scope.
        return Err(AppError::NotFound);
    }
    Ok((user, path))
}

#[expect(clippy::too_many_arguments, reason = "each form of the page keeps its own input and errors")]
async fn detail_page(
    ctx: &Ctx,
    id: i64,
    reset: Option<ResetDelivery>,
    form: UserForm,
    form_errors: FormErrors,
    grant_form: GrantForm,
    grant_errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (user, _) = managed_user(ctx, id, Action::View).await?;
    let form = if form_errors.is_empty() {
        UserForm {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone().unwrap_or_default(),
            organization_id: user.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        }
    } else {
        form
    };
    let selected_org = form.organization_id.parse().ok();
    let scope_org = grant_form.scope_org.parse().ok();
    let roles = Role::ALL
        .iter()
        .map(|r| RoleChoice { code: r.code(), label: role_label(&ctx.tr, *r), selected: grant_form.role == r.code() })
        .collect();
    let page = DetailPage {
        layout: ctx.layout_titled(user.display_name.clone()),
        id,
        active: user.is_active(),
        is_self: ctx.auth.user.as_ref().is_some_and(|u| u.id == id),
        created: tiendo_core::fmt::datetime(user.created_at),
        last_login: user.last_login_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        username: user.username,
        display_name: user.display_name,
        reset,
        form,
        form_errors,
        orgs: org_choices(ctx, selected_org).await?,
        grants: grant_views(&ctx.tr, &identity::grants(ctx.state.db(), id).await?),
        grant_form,
        grant_errors,
        roles,
        scope_orgs: org_choices(ctx, scope_org).await?,
        tokens: crate::pages::account::token_views(identity::tokens_of(ctx.state.db(), id).await?),
        history: crate::history::load(&ctx.state, &ctx.tr, "user", id).await?,
    };
    html(&page, status)
}

/// `GET /admin/users/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    detail_page(
        &ctx,
        id,
        None,
        UserForm::default(),
        FormErrors::new(),
        GrantForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/users/{id}`: edits the profile.
pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<UserForm>,
) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Edit).await?;
    let mut errors = FormErrors::new();
    let profile = validate_profile(&ctx, &form, &mut errors).await?;
    if !errors.is_empty() {
        return detail_page(
            &ctx,
            id,
            None,
            form,
            errors,
            GrantForm::default(),
            FormErrors::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let mut diff = Diff::new();
    diff.field("display_name", &user.display_name, &profile.display_name)
        .field("email", &user.email, &profile.email)
        .field("organization_id", &user.organization_id, &profile.organization_id);
    if !diff.is_empty() {
        let tx = ctx.state.db().begin().await?;
        let edit = UserEdit {
            display_name: profile.display_name,
            email: profile.email,
            organization_id: profile.organization_id,
            person_id: user.person_id,
        };
        identity::update_user(&tx, id, &edit, Utc::now()).await?;
        let event = NewEvent::new("update", "user", id, format!("Sửa tài khoản {}", user.username))
            .with_changes(diff.into_changes());
        audit::append(&tx, &ctx.auth.who(), &event).await?;
        tx.commit().await?;
    }
    let _ = profile.org_path;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// Form of the status change.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /admin/users/{id}/status`: disables or enables an account; disabling ends its sessions.
pub async fn set_status(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Delete).await?;
    let status = match form.status.as_str() {
        "disabled" => UserStatus::Disabled,
        "active" => UserStatus::Active,
        _ => return Err(AppError::BadRequest { code: "invalid_status", detail: None }),
    };
    if status == UserStatus::Disabled && ctx.auth.user.as_ref().is_some_and(|u| u.id == id) {
        return Err(AppError::Conflict { code: "cannot_disable_self" });
    }
    let tx = ctx.state.db().begin().await?;
    identity::set_status(&tx, id, status, Utc::now()).await?;
    if status == UserStatus::Disabled {
        identity::delete_sessions_of(&tx, id, None).await?;
    }
    let (action, summary) = match status {
        UserStatus::Disabled => ("disable", format!("Khóa tài khoản {}", user.username)),
        UserStatus::Active => ("enable", format!("Mở khóa tài khoản {}", user.username)),
    };
    let event = NewEvent::new(action, "user", id, summary).with_changes(vec![Change::new(
        "status",
        &user.status,
        status.code(),
    )]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/reset`: issues a one-time password link and shows it to the administrator.
pub async fn reset(ctx: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Edit).await?;
    let tx = ctx.state.db().begin().await?;
    let token = issue_reset(&tx, id, ctx.auth.user.as_ref().map(|u| u.id)).await?;
    let delivery = deliver_reset(&ctx, &headers, &tx, &user, &token).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("issue_reset", "user", id, format!("Cấp liên kết đặt lại mật khẩu cho {}", user.username)),
    )
    .await?;
    tx.commit().await?;
    detail_page(
        &ctx,
        id,
        Some(delivery),
        UserForm::default(),
        FormErrors::new(),
        GrantForm::default(),
        FormErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/users/{id}/grants`: grants a role with a scope inside the administrator's own scope.
pub async fn add_grant(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<GrantForm>,
) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Edit).await?;
    let request = GrantRequest {
        role: form.role.clone(),
        scope_kind: form.scope_kind.clone(),
        organization_id: form.scope_org.trim().parse().ok(),
    };
    let refusal = match roles::grant(&ctx.state, &ctx.auth, &user, &request).await? {
        Ok(_) => return Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
        Err(refusal) => refusal,
    };
    let mut errors = FormErrors::new();
    let status = match refusal {
        GrantRefusal::Invalid(fields) => {
            for f in &fields {
                // The form names the organisation field `scope_org`.
                let field = if f.field == "organization_id" { "scope_org" } else { f.field.as_str() };
                errors.add(field, crate::errors_render::field_message(f, &ctx.tr));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        // A role outside the administrator's own scope is a refusal (403), with the form kept.
        GrantRefusal::OutsideScope => {
            errors.add("scope_kind", ctx.tr.t("field-scope_outside"));
            StatusCode::FORBIDDEN
        }
        GrantRefusal::Exists => {
            errors.add("role", ctx.tr.t("field-grant_exists"));
            StatusCode::CONFLICT
        }
    };
    detail_page(&ctx, id, None, UserForm::default(), FormErrors::new(), form, errors, status).await
}

/// `POST /admin/users/{id}/tokens/{token_id}/revoke`: an administrator revokes a user's API token (when a
/// person leaves, say).
pub async fn revoke_token(ctx: Ctx, Path((id, token_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Edit).await?;
    let tx = ctx.state.db().begin().await?;
    if !identity::revoke_token(&tx, id, token_id, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    let event =
        NewEvent::new("revoke_token", "user", id, format!("Thu hồi mã truy cập API #{token_id} của {}", user.username));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/grants/{grant_id}/delete`: removes a role, if inside the administrator's scope.
pub async fn remove_grant(ctx: Ctx, Path((id, grant_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let (user, _) = managed_user(&ctx, id, Action::Edit).await?;
    roles::revoke(&ctx.state, &ctx.auth, &user, grant_id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_emails_are_checked() {
        assert!(valid_username("nguyen.van.an"));
        assert!(valid_username("cb_haan-01"));
        assert!(!valid_username("an"));
        assert!(!valid_username("Nguyễn"));
        assert!(!valid_username(".an"));
        assert!(valid_email("an@skhcn.quangninh.gov.vn"));
        assert!(!valid_email("an@localhost"));
        assert!(!valid_email("a n@x.vn"));
    }
}
