//! The administration area: users, roles and scopes, the audit trail, document templates.

pub mod audit;
pub mod templates;
pub mod users;

use tiendo_core::authz::{Role, Scope};
use tiendo_db::orgtree;

use crate::error::AppError;
use crate::layout::Ctx;

/// The organisations an administrator's grants cover, or `None` when one of them covers the province.
pub async fn administered_orgs(ctx: &Ctx) -> Result<Option<Vec<i64>>, AppError> {
    let mut orgs = Vec::new();
    for grant in ctx.auth.actor.grants.iter().filter(|g| g.role == Role::Administrator) {
        match grant.scope {
            Scope::Province => return Ok(None),
            Scope::Organization(id) => orgs.push(id),
            Scope::Subtree(id) => orgs.extend(orgtree::subtree(ctx.state.db(), id).await?),
        }
    }
    orgs.sort_unstable();
    orgs.dedup();
    Ok(Some(orgs))
}
