//! `/admin/users`: accounts, their roles and scopes, disabling, password reset links. Every change is a
//! use case of `tiendo_app::identity`; the status buttons come from the account's workflow.

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::identity::accounts::{self, LinkDelivery, NewAccount, ProfileDraft, ResetDelivery};
use tiendo_app::identity::roles::{self, GrantRequest};
use tiendo_app::identity::{role_label, tokens};
use tiendo_core::authz::Role;
use tiendo_core::authz::account::{AccountAction, AccountStatus, available_actions};
use tiendo_db::identity;
use tiendo_db::orgtree;

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Pager, page_number, pager};
use crate::history::HistoryItem;
use crate::identity::{GrantView, TokenView, grant_views, token_views};
use crate::layout::{Ctx, Layout};

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
#[template(path = "identity/users.html")]
struct ListPage {
    layout: Layout,
    q: String,
    users: Vec<UserRowView>,
    pager: Pager,
}

/// Query of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
}

/// Accounts per page.
const PER_PAGE: i64 = 100;

/// `GET /admin/users`: the accounts the administrator's scope covers.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let page = page_number(query.page.as_deref());
    let (users, total) =
        accounts::list(ctx.state.app(), ctx.auth.session(), Some(&query.q), (page - 1) * PER_PAGE, PER_PAGE).await?;
    let pager = pager(&ctx.tr, "/admin/users", &[("q", query.q.clone())], page, PER_PAGE, total, users.len());
    let users = users
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
    html(&ListPage { layout: ctx.layout("admin-users-title"), q: query.q, users, pager }, StatusCode::OK)
}

/// An organisation in a select list.
#[derive(Debug, Clone)]
pub struct OrgChoice {
    id: i64,
    name: String,
    selected: bool,
}

/// The organisations the administrator's role covers, for the selects.
async fn org_choices(ctx: &Ctx, selected: Option<i64>) -> Result<Vec<OrgChoice>, AppError> {
    let covered = ctx.auth.session().scope(ctx.state.app()).await?.of_role(Role::Administrator);
    Ok(orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .filter(|o| covered.covers(o.id))
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

impl UserForm {
    fn profile(&self) -> ProfileDraft {
        ProfileDraft {
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            organization_id: self.organization_id.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "identity/user_new.html")]
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

/// The site's address as the browser reached it, for password links when no public URL is configured.
fn link_base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// `POST /admin/users`: creates the account and shows its one-time password link.
pub async fn create(
    ctx: Ctx,
    headers: HeaderMap,
    crate::extract::Form(form): crate::extract::Form<UserForm>,
) -> Result<Response, AppError> {
    let new = NewAccount {
        username: form.username.clone(),
        profile: form.profile(),
        delivery: LinkDelivery::Auto,
        ..NewAccount::default()
    };
    match accounts::create(ctx.state.app(), ctx.auth.session(), new, &link_base(&headers)).await {
        Ok(created) => Detail::new(created.id).reset(created.reset).show(&ctx, StatusCode::CREATED).await,
        Err(tiendo_app::Error::Invalid(fields)) => {
            let selected = form.organization_id.trim().parse().ok();
            let orgs = org_choices(&ctx, selected).await?;
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            let page = NewPage { layout: ctx.layout("admin-user-new-title"), form, orgs, errors };
            html(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
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

/// A button of the account's status workflow.
#[derive(Debug, Clone)]
pub struct StatusButton {
    /// The status the form asks for (`disabled`, `active`).
    status: &'static str,
    /// The button's label key.
    label: &'static str,
    /// Whether the button asks for confirmation and looks dangerous (disabling).
    danger: bool,
}

#[derive(Template)]
#[template(path = "identity/user.html")]
struct DetailPage {
    layout: Layout,
    id: i64,
    username: String,
    display_name: String,
    active: bool,
    status_buttons: Vec<StatusButton>,
    /// Until when signing in is locked (failed attempts), formatted; empty when it is not.
    sign_in_locked_until: String,
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
    tokens: Vec<TokenView>,
    history: Vec<HistoryItem>,
}

/// The status buttons of an account for the actor: one per action its workflow allows.
pub fn status_buttons(actions: &[AccountAction]) -> Vec<StatusButton> {
    actions
        .iter()
        .map(|a| match a {
            AccountAction::Disable => {
                StatusButton { status: AccountStatus::Disabled.code(), label: "admin-disable", danger: true }
            }
            AccountAction::Enable => {
                StatusButton { status: AccountStatus::Active.code(), label: "admin-enable", danger: false }
            }
        })
        .collect()
}

/// What the account page shows besides the account: a new password link, and each form's input and
/// errors when it comes back.
#[derive(Debug, Default)]
struct Detail {
    id: i64,
    reset: Option<ResetDelivery>,
    form: Option<(UserForm, FormErrors)>,
    grant: Option<(GrantForm, FormErrors)>,
}

impl Detail {
    fn new(id: i64) -> Detail {
        Detail { id, ..Detail::default() }
    }

    fn reset(mut self, reset: Option<ResetDelivery>) -> Detail {
        self.reset = reset;
        self
    }

    async fn show(self, ctx: &Ctx, status: StatusCode) -> Result<Response, AppError> {
        let app = ctx.state.app();
        let (user, path) = accounts::managed(app, ctx.auth.session(), self.id).await?;
        let actions = available_actions(&ctx.auth.actor, &accounts::facts(&user, &path));
        let (form, form_errors) = self.form.unwrap_or_else(|| {
            let form = UserForm {
                username: user.username.clone(),
                display_name: user.display_name.clone(),
                email: user.email.clone().unwrap_or_default(),
                organization_id: user.organization_id.map(|o| o.to_string()).unwrap_or_default(),
            };
            (form, FormErrors::new())
        });
        let (grant_form, grant_errors) = self.grant.unwrap_or_default();
        let selected_org = form.organization_id.parse().ok();
        let scope_org = grant_form.scope_org.parse().ok();
        let roles = Role::ALL
            .iter()
            .map(|r| RoleChoice {
                code: r.code(),
                label: role_label(&ctx.tr, *r),
                selected: grant_form.role == r.code(),
            })
            .collect();
        let page = DetailPage {
            layout: ctx.layout_named(user.display_name.clone()),
            id: self.id,
            active: user.is_active(),
            status_buttons: status_buttons(&actions),
            sign_in_locked_until: accounts::sign_in_locked_until(app, &user)
                .await?
                .map(tiendo_core::fmt::datetime)
                .unwrap_or_default(),
            created: tiendo_core::fmt::datetime(user.created_at),
            last_login: user.last_login_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
            username: user.username,
            display_name: user.display_name,
            reset: self.reset,
            form,
            form_errors,
            orgs: org_choices(ctx, selected_org).await?,
            grants: grant_views(&ctx.tr, &identity::grants(ctx.state.db(), self.id).await?),
            grant_form,
            grant_errors,
            roles,
            scope_orgs: org_choices(ctx, scope_org).await?,
            tokens: token_views(identity::tokens_of(ctx.state.db(), self.id).await?, app.now()),
            history: crate::history::load(&ctx.state, &ctx.tr, "user", self.id).await?,
        };
        html(&page, status)
    }
}

/// `GET /admin/users/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    Detail::new(id).show(&ctx, StatusCode::OK).await
}

/// `POST /admin/users/{id}`: edits the profile.
pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<UserForm>,
) -> Result<Response, AppError> {
    match accounts::update(ctx.state.app(), ctx.auth.session(), id, &form.profile()).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            Detail { form: Some((form, errors)), ..Detail::new(id) }.show(&ctx, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Form of the status change: the status wanted.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /admin/users/{id}/status`: disables or enables an account; disabling ends its sessions.
pub async fn set_status(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<StatusForm>,
) -> Result<Response, AppError> {
    let wanted = match form.status.as_str() {
        "disabled" => AccountStatus::Disabled,
        "active" => AccountStatus::Active,
        _ => return Err(AppError::BadRequest { code: "invalid_status", detail: None }),
    };
    accounts::transition(ctx.state.app(), ctx.auth.session(), id, AccountAction::to_reach(wanted)).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/reset`: issues a one-time password link and shows it to the administrator (or
/// e-mails it).
pub async fn reset(ctx: Ctx, headers: HeaderMap, Path(id): Path<i64>) -> Result<Response, AppError> {
    let delivery =
        accounts::issue_reset_link(ctx.state.app(), ctx.auth.session(), id, LinkDelivery::Auto, &link_base(&headers))
            .await?;
    Detail::new(id).reset(Some(delivery)).show(&ctx, StatusCode::OK).await
}

/// `POST /admin/users/{id}/unlock`: lifts the account's sign-in lock at once.
pub async fn unlock_sign_in(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    accounts::unlock_sign_in(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/grants`: grants a role with a scope inside the administrator's own scope.
pub async fn add_grant(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<GrantForm>,
) -> Result<Response, AppError> {
    let request = GrantRequest {
        role: form.role.clone(),
        scope_kind: form.scope_kind.clone(),
        organization_id: form.scope_org.trim().parse().ok(),
    };
    let error = match roles::grant(ctx.state.app(), ctx.auth.session(), id, &request).await {
        Ok(_) => return Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
        Err(error) => error,
    };
    let mut errors = FormErrors::new();
    let status = match error {
        tiendo_app::Error::Invalid(fields) => {
            for f in &fields {
                // The form names the organisation field `scope_org`.
                let field = if f.field == "organization_id" { "scope_org" } else { f.field.as_str() };
                errors.add(field, crate::errors_render::field_message(f, &ctx.tr));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        // A role outside the administrator's own scope is a refusal (403), with the form kept.
        tiendo_app::Error::Forbidden { code: "scope_outside" } => {
            errors.add("scope_kind", ctx.tr.t("field-scope_outside"));
            StatusCode::FORBIDDEN
        }
        tiendo_app::Error::Conflict { code: "grant_exists", .. } => {
            errors.add("role", ctx.tr.t("field-grant_exists"));
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    Detail { grant: Some((form, errors)), ..Detail::new(id) }.show(&ctx, status).await
}

/// `POST /admin/users/{id}/tokens/{token_id}/revoke`: an administrator revokes a user's API token (when a
/// person leaves, say).
pub async fn revoke_token(ctx: Ctx, Path((id, token_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    tokens::revoke_of_account(ctx.state.app(), ctx.auth.session(), id, token_id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

/// `POST /admin/users/{id}/grants/{grant_id}/delete`: removes a role, if inside the administrator's scope.
pub async fn remove_grant(ctx: Ctx, Path((id, grant_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    roles::revoke(ctx.state.app(), ctx.auth.session(), id, grant_id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}
