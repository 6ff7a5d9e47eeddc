//! `/api/v1/me`, `/api/v1/users`, `/api/v1/audit`: the signed-in account, account administration, and
//! the audit search.

use axum::Json;
use axum::extract::Path;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::audit::{self, Filter};
use tiendo_db::identity::{self, UserFilter};
use tiendo_db::orgtree;
use utoipa::{IntoParams, ToSchema};

use super::ListPage;
use super::extract::ApiQuery;
use crate::auth::Auth;
use crate::error::{AppError, Problem};
use crate::state::AppState;

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
}

async fn account(state: &AppState, user: identity::User) -> Result<Account, AppError> {
    let roles = identity::grants(state.db(), user.id)
        .await?
        .into_iter()
        .map(|g| RoleGrant { role: g.role, scope: g.scope_kind, organization_id: g.organization_id })
        .collect();
    Ok(Account {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        organization_id: user.organization_id,
        organization_name: user.organization_name,
        status: user.status,
        last_login_at: user.last_login_at,
        roles,
    })
}

/// The account the request is authenticated as.
#[utoipa::path(get, path = "/me", tag = "identity", operation_id = "get_me", security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Account),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
) -> Result<Json<Account>, AppError> {
    let user = auth.require_user()?;
    let record = identity::user(state.db(), user.id).await?.ok_or(AppError::Unauthorized)?;
    Ok(Json(account(&state, record).await?))
}

/// Filters of the account list.
#[derive(Debug, Deserialize, IntoParams)]
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
pub async fn list_users(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> Result<Json<ListPage<Account>>, AppError> {
    auth.require_user()?;
    let mut orgs: Option<Vec<i64>> = Some(Vec::new());
    for grant in auth.actor.grants.iter().filter(|g| g.role == tiendo_core::authz::Role::Administrator) {
        match (grant.scope, orgs.as_mut()) {
            (tiendo_core::authz::Scope::Province, _) => orgs = None,
            (tiendo_core::authz::Scope::Organization(id), Some(list)) => list.push(id),
            (tiendo_core::authz::Scope::Subtree(id), Some(list)) => {
                list.extend(orgtree::subtree(state.db(), id).await?)
            }
            (_, None) => {}
        }
    }
    let paging = super::paging::Paging::parse(query.limit, query.cursor.as_deref())?;
    // An instance has hundreds of accounts, not millions: the list is filtered in one query and paged here,
    // and only the page's accounts have their roles loaded.
    let users = identity::list_users(state.db(), &UserFilter { q: query.q, organizations: orgs }).await?;
    let total = i64::try_from(users.len()).unwrap_or(i64::MAX);
    let page = users
        .into_iter()
        .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.limit).unwrap_or(0));
    let mut items = Vec::new();
    for u in page {
        items.push(account(&state, u).await?);
    }
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
pub async fn get_user(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Account>, AppError> {
    auth.require_user()?;
    let user = identity::user(state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = orgtree::path_of(state.db(), user.organization_id).await?;
    if !authorize(&auth.actor, Action::View, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(AppError::NotFound);
    }
    Ok(Json(account(&state, user).await?))
}

/// Filters of the audit search.
#[derive(Debug, Deserialize, IntoParams)]
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
    from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
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
    /// A one-line description (Vietnamese).
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
pub async fn search_audit(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<ListPage<AuditEvent>>, AppError> {
    auth.require_user()?;
    if !authorize(&auth.actor, Action::View, &Resource::AuditTrail).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let before_id = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| AppError::BadRequest { code: "invalid_cursor", detail: None })?),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let filter = Filter {
        actor_user_id: q.actor_id,
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        action: q.action,
        from: q.from,
        until: q.until,
        before_id,
    };
    let (events, total) = audit::search(state.db(), &filter, limit).await?;
    let next =
        if i64::try_from(events.len()).unwrap_or(0) == limit { events.last().map(|e| e.id.to_string()) } else { None };
    let items = events
        .into_iter()
        .map(|e| AuditEvent {
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            id: e.id,
            at: e.at,
            actor_user_id: e.actor_user_id,
            actor: e.actor_label,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            summary: e.summary,
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

/// Loads an account the caller administers, or 404.
async fn administered(state: &AppState, auth: &Auth, id: i64) -> Result<identity::User, AppError> {
    let user = identity::user(state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = orgtree::path_of(state.db(), user.organization_id).await?;
    if !authorize(&auth.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(AppError::NotFound);
    }
    Ok(user)
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
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    super::extract::ApiJson(body): super::extract::ApiJson<NewGrant>,
) -> Result<(axum::http::StatusCode, Json<Account>), AppError> {
    auth.require_user()?;
    let user = administered(&state, &auth, id).await?;
    let request = crate::services::roles::GrantRequest {
        role: body.role,
        scope_kind: body.scope,
        organization_id: body.organization_id,
    };
    match crate::services::roles::grant(&state, &auth, &user, &request).await? {
        Ok(_) => {
            let fresh = identity::user(state.db(), id).await?.ok_or(AppError::NotFound)?;
            Ok((axum::http::StatusCode::CREATED, Json(account(&state, fresh).await?)))
        }
        Err(crate::services::roles::GrantRefusal::Invalid(fields)) => Err(AppError::Validation(fields)),
        Err(crate::services::roles::GrantRefusal::OutsideScope) => {
            Err(AppError::ForbiddenCode { code: "scope_outside" })
        }
        Err(crate::services::roles::GrantRefusal::Exists) => Err(AppError::Conflict { code: "grant_exists" }),
    }
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
pub async fn revoke_role(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: Auth,
    Path((id, grant_id)): Path<(i64, i64)>,
) -> Result<axum::http::StatusCode, AppError> {
    auth.require_user()?;
    let user = administered(&state, &auth, id).await?;
    crate::services::roles::revoke(&state, &auth, &user, grant_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
