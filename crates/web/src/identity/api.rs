//! `/api/v1/me`, `/api/v1/users`, `/api/v1/audit`: the signed-in account, account administration, and
//! the audit search. Every change is a use case of `tiendo_app::identity`, as on the pages.

use std::collections::HashMap;

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::identity::accounts;
use tiendo_app::identity::audit_trail;
use tiendo_app::identity::roles::{self, GrantRequest};
use tiendo_core::authz::account::{AccountAction, available_actions};
use tiendo_db::audit::Filter;
use tiendo_db::identity::{self, GrantRow, User};
use utoipa::{IntoParams, ToSchema};

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A role held with its scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleGrant {
    /// The role code (`administrator`, `department_leader`, …).
    pub role: String,
    /// `province`, `organization` or `subtree`.
    pub scope: String,
    /// The organisation of the scope, when not the whole province.
    pub organization_id: Option<i64>,
}

/// What the caller may do to the account's status (from its workflow, as the page's buttons).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPermissions {
    /// Disable it (an active account the caller administers, not the caller's own).
    pub disable: bool,
    /// Enable it again (a disabled account the caller administers).
    pub enable: bool,
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// The organisation.
    pub organization_id: Option<i64>,
    /// Its name.
    pub organization_name: Option<String>,
    /// `active` or `disabled`.
    pub status: String,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
    /// The roles held.
    pub roles: Vec<RoleGrant>,
    /// What the caller may do to the account's status.
    pub permissions: AccountPermissions,
}

/// The API form of an account with its grants, and what the caller may do to its status (`path`: the
/// account's organisation from the root).
fn account(ctx: &Ctx, user: User, grants: Vec<GrantRow>, path: &[i64]) -> Account {
    let actions = available_actions(&ctx.auth.actor, &accounts::facts(&user, path));
    let roles = grants
        .into_iter()
        .map(|g| RoleGrant { role: g.role, scope: g.scope_kind, organization_id: g.organization_id })
        .collect();
    Account {
        permissions: AccountPermissions {
            disable: actions.contains(&AccountAction::Disable),
            enable: actions.contains(&AccountAction::Enable),
        },
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        organization_id: user.organization_id,
        organization_name: user.organization_name,
        status: user.status,
        last_login_at: user.last_login_at,
        roles,
    }
}

/// One account with its grants.
async fn one(ctx: &Ctx, user: User) -> Result<Account, AppError> {
    let grants = identity::grants(ctx.state.db(), user.id).await?;
    let path = tiendo_db::orgtree::path_of(ctx.state.db(), user.organization_id).await?;
    Ok(account(ctx, user, grants, &path))
}

/// The account the request is authenticated as.
#[utoipa::path(get, path = "/me", tag = "identity", operation_id = "get_me", security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Account),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(ctx: Ctx) -> Result<Json<Account>, AppError> {
    let user = ctx.auth.require_user()?;
    let record = identity::user(ctx.state.db(), user.id).await?.ok_or(AppError::Unauthorized)?;
    Ok(Json(one(&ctx, record).await?))
}

/// Filters of the account list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Matches the username or the name (diacritics ignored).
    q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// The accounts the administrator's scope covers, ordered by username.
#[utoipa::path(get, path = "/users", tag = "identity", operation_id = "list_users", security(("bearer" = [])),
    params(UsersQuery),
    responses(
        (status = 200, description = "Accounts", body = ListPage<Account>),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_users(ctx: Ctx, ApiQuery(query): ApiQuery<UsersQuery>) -> Result<Json<ListPage<Account>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let (users, total) =
        accounts::list(ctx.state.app(), ctx.auth.session(), query.q.as_deref(), paging.offset, paging.limit).await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let mut grants: HashMap<i64, Vec<GrantRow>> = HashMap::new();
    for (user_id, grant) in identity::grants_of_users(ctx.state.db(), &ids).await? {
        grants.entry(user_id).or_default().push(grant);
    }
    let orgs: Vec<i64> = users.iter().filter_map(|u| u.organization_id).collect();
    let paths = tiendo_db::orgtree::paths(ctx.state.db(), &orgs).await?;
    let items: Vec<Account> = users
        .into_iter()
        .map(|u| {
            let held = grants.remove(&u.id).unwrap_or_default();
            let path = u.organization_id.and_then(|o| paths.get(&o)).map_or(&[][..], Vec::as_slice);
            account(&ctx, u, held, path)
        })
        .collect();
    let next = paging.next(items.len(), total);
    Ok(Json(ListPage { items, total, next }))
}

/// One account, if the administrator's scope covers it.
#[utoipa::path(get, path = "/users/{id}", tag = "identity", operation_id = "get_user", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = Account),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_user(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Account>, AppError> {
    ctx.auth.require_user()?;
    let (user, _) = accounts::managed(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(one(&ctx, user).await?))
}

/// A change of an account's status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountTransition {
    /// `disable` or `enable` (see the account's `permissions`).
    #[schema(schema_with = account_actions)]
    pub action: String,
}

/// Disables or enables an account the caller administers (never their own); disabling ends its sessions,
/// as the account page does.
#[utoipa::path(post, path = "/users/{id}/transitions", tag = "identity", operation_id = "transition_user",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountTransition,
    responses(
        (status = 200, description = "Done; the account", body = Account),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cannot_disable_self`, or `account_status_unchanged` when it already has that status", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`invalid` on `action`: neither `disable` nor `enable`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transition_user(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AccountTransition>,
) -> Result<Json<Account>, AppError> {
    ctx.auth.require_user()?;
    let action = AccountAction::from_code(body.action.trim())
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("action", "invalid")]))?;
    let user = accounts::transition(ctx.state.app(), ctx.auth.session(), id, action).await?;
    Ok(Json(one(&ctx, user).await?))
}

/// Filters of the audit search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events by this account id.
    actor_id: Option<i64>,
    /// Only events on this kind of entity (`user`, `organization`, …).
    entity_type: Option<String>,
    /// Only events on this entity.
    entity_id: Option<String>,
    /// Only this action (`login_failed`, `grant_role`, …).
    action: Option<String>,
    /// From this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::formats::optional_instant")]
    from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    #[serde(default, deserialize_with = "crate::api::formats::optional_instant")]
    until: Option<DateTime<Utc>>,
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    /// Id, increasing.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The account, if any.
    pub actor_user_id: Option<i64>,
    /// The actor's label (username, `public`, `system`, `cli`).
    pub actor: String,
    /// What was done.
    pub action: String,
    /// The kind of entity.
    pub entity_type: String,
    /// Which one.
    pub entity_id: Option<String>,
    /// A one-line description in the request's language (events recorded before summaries had a message
    /// key keep their Vietnamese text).
    pub summary: String,
    /// The changed fields: `[{"field", "before", "after"}]`.
    pub changes: serde_json::Value,
    /// The client address.
    pub ip: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// This event's hash in the chain.
    pub hash: String,
}

/// Searches the audit trail, newest first (province-wide administrators and department leaders).
#[utoipa::path(get, path = "/audit", tag = "identity", operation_id = "search_audit", security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Events", body = ListPage<AuditEvent>),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read the audit trail", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn search_audit(ctx: Ctx, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<ListPage<AuditEvent>>, AppError> {
    ctx.auth.require_user()?;
    if !audit_trail::may_read(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    // Keyset paging: the cursor is the id the next page starts before, written as an offset cursor is.
    let limit = Paging::parse(q.limit, None)?.limit;
    let before_id = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(
            Paging::parse(None, Some(c))
                .map_err(|_| AppError::BadRequest { code: "invalid_cursor", detail: None })?
                .offset,
        ),
    };
    let filter = Filter {
        actor_user_id: q.actor_id,
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        action: q.action,
        from: q.from,
        until: q.until,
        before_id,
    };
    let (events, total) = audit_trail::search(ctx.state.app(), ctx.auth.session(), &filter, limit).await?;
    let next =
        if i64::try_from(events.len()).unwrap_or(0) == limit { events.last().map(|e| e.id.to_string()) } else { None };
    let items = events
        .into_iter()
        .map(|e| AuditEvent {
            summary: tiendo_app::audit::summary(&ctx.tr, &e),
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            id: e.id,
            at: e.at,
            actor_user_id: e.actor_user_id,
            actor: e.actor_label,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            ip: e.ip,
            request_id: e.request_id,
            hash: e.hash,
        })
        .collect();
    Ok(Json(ListPage { items, total, next }))
}

/// A role to grant.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewGrant {
    /// The role code (`locality_officer`, …).
    pub role: String,
    /// `province`, `organization` or `subtree`.
    pub scope: String,
    /// The scope's organisation (required unless `province`).
    pub organization_id: Option<i64>,
}

/// Grants a role to an account, within the caller's own scope.
#[utoipa::path(post, path = "/users/{id}/grants", tag = "identity", operation_id = "grant_role", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    request_body = NewGrant,
    responses(
        (status = 201, description = "Granted; the account with its roles", body = Account),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`scope_outside`: the scope lies outside the caller's own", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`grant_exists`: the account already holds this role with this scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid role, scope or organisation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn grant_role(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewGrant>,
) -> Result<(StatusCode, Json<Account>), AppError> {
    ctx.auth.require_user()?;
    let request = GrantRequest { role: body.role, scope_kind: body.scope, organization_id: body.organization_id };
    roles::grant(ctx.state.app(), ctx.auth.session(), id, &request).await?;
    let fresh = identity::user(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(one(&ctx, fresh).await?)))
}

/// Revokes a role of an account, if its scope lies inside the caller's own.
#[utoipa::path(delete, path = "/users/{id}/grants/{grant_id}", tag = "identity", operation_id = "revoke_role", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id"), ("grant_id" = i64, Path, description = "Grant id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The grant's scope lies outside the caller's own", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account or grant", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_role(ctx: Ctx, Path((id, grant_id)): Path<(i64, i64)>) -> Result<StatusCode, AppError> {
    ctx.auth.require_user()?;
    roles::revoke(ctx.state.app(), ctx.auth.session(), id, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The schema of an account transition's `action`.
fn account_actions() -> utoipa::openapi::Object {
    crate::api::codes::one_of(
        "`disable` or `enable` (see the account's `permissions`).",
        AccountAction::ALL.map(AccountAction::code),
    )
}
