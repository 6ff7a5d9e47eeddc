//! Granting and revoking roles.

use chrono::Utc;
use tiendo_core::authz::{Action, Grant, Resource, Role, Scope, authorize};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::{DbError, identity, orgtree};

use crate::auth::Auth;
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// A role to grant, as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct GrantRequest {
    /// The role code.
    pub role: String,
    /// `province`, `organization` or `subtree`.
    pub scope_kind: String,
    /// The scope's organisation (not for `province`).
    pub organization_id: Option<i64>,
}

/// Why a grant is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantRefusal {
    /// The input is invalid; each field at fault.
    Invalid(Vec<FieldError>),
    /// The scope lies outside the granter's own.
    OutsideScope,
    /// The user already holds this role with this scope.
    Exists,
}

fn scope_json(scope: &Scope) -> serde_json::Value {
    let (kind, org) = identity::scope_parts(scope);
    serde_json::json!({ "scope": kind, "organization_id": org })
}

/// Validates, authorizes and records a grant with its audit event.
pub async fn grant(
    state: &AppState,
    auth: &Auth,
    user: &identity::User,
    request: &GrantRequest,
) -> Result<Result<Grant, GrantRefusal>, AppError> {
    let mut errors = Vec::new();
    let role = Role::from_code(&request.role);
    if role.is_none() {
        errors.push(FieldError::new("role", "unknown_role"));
    }
    let scope = match (request.scope_kind.as_str(), request.organization_id) {
        ("province", _) => Some(Scope::Province),
        ("organization", Some(o)) => Some(Scope::Organization(o)),
        ("subtree", Some(o)) => Some(Scope::Subtree(o)),
        ("organization" | "subtree", None) => {
            errors.push(FieldError::new("organization_id", "required"));
            None
        }
        _ => {
            errors.push(FieldError::new("scope_kind", "invalid"));
            None
        }
    };
    let scope_path = match scope {
        Some(Scope::Organization(o) | Scope::Subtree(o)) => {
            let path = orgtree::path(state.db(), o).await?;
            if path.is_empty() {
                errors.push(FieldError::new("organization_id", "unknown_organization"));
            }
            path
        }
        _ => Vec::new(),
    };
    let (Some(role), Some(scope), true) = (role, scope, errors.is_empty()) else {
        return Ok(Err(GrantRefusal::Invalid(errors)));
    };
    if !authorize(&auth.actor, Action::Grant, &Resource::RoleAssignment { scope, scope_path: &scope_path }).is_allowed()
    {
        return Ok(Err(GrantRefusal::OutsideScope));
    }
    let grant = Grant { role, scope };
    let tx = state.db().begin().await?;
    match identity::add_grant(&tx, user.id, &grant, auth.user.as_ref().map(|u| u.id), Utc::now()).await {
        Ok(_) => {}
        Err(DbError::UniqueViolation { .. }) => return Ok(Err(GrantRefusal::Exists)),
        Err(e) => return Err(e.into()),
    }
    let mut after = scope_json(&scope);
    after["role"] = serde_json::Value::String(role.code().to_owned());
    let event =
        NewEvent::new("grant_role", "user", user.id, format!("Giao vai trò {} cho {}", role.code(), user.username))
            .with_changes(vec![Change::new("role", None::<String>, after)]);
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(grant))
}

/// Revokes a grant of a user, if its scope lies inside the revoker's own; `NotFound` for an unknown grant.
pub async fn revoke(state: &AppState, auth: &Auth, user: &identity::User, grant_id: i64) -> Result<(), AppError> {
    let rows = identity::grants(state.db(), user.id).await?;
    let grant = rows.iter().find(|g| g.id == grant_id).and_then(identity::GrantRow::grant).ok_or(AppError::NotFound)?;
    let scope_path = match grant.scope {
        Scope::Organization(o) | Scope::Subtree(o) => orgtree::path(state.db(), o).await?,
        Scope::Province => Vec::new(),
    };
    if !authorize(&auth.actor, Action::Grant, &Resource::RoleAssignment { scope: grant.scope, scope_path: &scope_path })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    let tx = state.db().begin().await?;
    identity::remove_grant(&tx, user.id, grant_id).await?;
    let mut before = scope_json(&grant.scope);
    before["role"] = serde_json::Value::String(grant.role.code().to_owned());
    let event = NewEvent::new(
        "revoke_role",
        "user",
        user.id,
        format!("Thu hồi vai trò {} của {}", grant.role.code(), user.username),
    )
    .with_changes(vec![Change::new("role", before, None::<String>)]);
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    Ok(())
}
