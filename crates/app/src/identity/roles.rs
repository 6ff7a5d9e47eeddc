//! Roles: granting a role with a scope to an account, and revoking it, each inside the granting
//! administrator's own scope; and the names of the roles as people read them.

use tiendo_core::authz::{Action, Grant, Resource, Role, Scope, authorize};
use tiendo_db::identity::{self, User};
use tiendo_db::{DbError, Tx, orgtree};

use super::accounts::managed;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// The translated name of a role ("Quản trị hệ thống").
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.code()))
}

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

/// The stored form of a grant for the audit trail: `{"role", "scope", "organization_id"}`.
fn grant_json(grant: &Grant) -> serde_json::Value {
    let (kind, org) = identity::scope_parts(&grant.scope);
    serde_json::json!({ "scope": kind, "organization_id": org, "role": grant.role.code() })
}

/// The path of a grant's scope organisation (empty for the province).
async fn scope_path(app: &App, scope: Scope) -> Result<Vec<i64>> {
    Ok(match scope {
        Scope::Organization(o) | Scope::Subtree(o) => orgtree::path(app.db(), o).await?,
        Scope::Province => Vec::new(),
    })
}

/// Whether the actor may grant `grant`: `Ok(Err(code))` when not, with `unknown_organization` (the
/// scope's organisation does not exist) or `scope_outside` (it lies outside the actor's own scope).
pub async fn check(app: &App, session: &Session, grant: &Grant) -> Result<Result<(), &'static str>> {
    let path = scope_path(app, grant.scope).await?;
    if grant.scope != Scope::Province && path.is_empty() {
        return Ok(Err("unknown_organization"));
    }
    let resource = Resource::RoleAssignment { scope: grant.scope, scope_path: &path };
    Ok(if authorize(&session.actor, Action::Grant, &resource).is_allowed() { Ok(()) } else { Err("scope_outside") })
}

/// Stores a grant of `user` inside `tx` with its audit event; a grant the account already holds is
/// `Conflict` `grant_exists`. The caller has checked it with [`check`].
pub(crate) async fn add(app: &App, tx: &Tx, session: &Session, user: &User, grant: Grant) -> Result<()> {
    match identity::add_grant(tx, user.id, &grant, session.user_id(), app.now()).await {
        Ok(_) => {}
        Err(DbError::UniqueViolation { .. }) => return Err(Error::conflict("grant_exists")),
        Err(e) => return Err(e.into()),
    }
    let entry = Entry::new("grant_role", "user", user.id, "audit-role-granted")
        .arg("role", grant.role.code())
        .arg("username", &user.username)
        .change("role", None::<String>, grant_json(&grant));
    audit::record(app, tx, session, entry).await?;
    Ok(())
}

/// Grants a role to an account the actor administers, with a scope inside the actor's own. `Invalid` for
/// an unknown role (`role`), scope kind (`scope_kind`) or organisation (`organization_id`: `required`,
/// `unknown_organization`); `Forbidden` `scope_outside`; `Conflict` `grant_exists`; `NotFound` for an
/// account outside the actor's scope.
pub async fn grant(app: &App, session: &Session, user_id: i64, request: &GrantRequest) -> Result<Grant> {
    let (user, path) = managed(app, session, user_id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
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
    if let Some(Scope::Organization(o) | Scope::Subtree(o)) = scope
        && orgtree::path(app.db(), o).await?.is_empty()
    {
        errors.push(FieldError::new("organization_id", "unknown_organization"));
    }
    let (Some(role), Some(scope), true) = (role, scope, errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let grant = Grant { role, scope };
    if check(app, session, &grant).await?.is_err() {
        return Err(Error::Forbidden { code: "scope_outside" });
    }
    let tx = app.begin().await?;
    add(app, &tx, session, &user, grant).await?;
    tx.commit().await?;
    Ok(grant)
}

/// Revokes a grant of an account, if its scope lies inside the actor's own (else `Forbidden`); `NotFound`
/// for an unknown grant or an account outside the actor's scope.
pub async fn revoke(app: &App, session: &Session, user_id: i64, grant_id: i64) -> Result<()> {
    let (user, path) = managed(app, session, user_id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    let rows = identity::grants(app.db(), user.id).await?;
    let grant = rows.iter().find(|g| g.id == grant_id).and_then(identity::GrantRow::grant).ok_or(Error::NotFound)?;
    let scope_path = scope_path(app, grant.scope).await?;
    let resource = Resource::RoleAssignment { scope: grant.scope, scope_path: &scope_path };
    if !authorize(&session.actor, Action::Grant, &resource).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    identity::remove_grant(&tx, user.id, grant_id).await?;
    let entry = Entry::new("revoke_role", "user", user.id, "audit-role-revoked")
        .arg("role", grant.role.code())
        .arg("username", &user.username)
        .change("role", grant_json(&grant), None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
