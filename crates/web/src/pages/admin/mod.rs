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

#[derive(askama::Template)]
#[template(path = "admin_hub.html")]
struct HubPage {
    layout: crate::layout::Layout,
    items: Vec<(&'static str, String, String)>,
}

/// `GET /admin`: the administration pages the user may open.
pub async fn hub(ctx: Ctx) -> Result<axum::response::Response, AppError> {
    let items: Vec<(&'static str, String, String)> = crate::nav::admin_items(&ctx.auth)
        .into_iter()
        .map(|(href, title, description)| (href, ctx.tr.t(title), ctx.tr.t(description)))
        .collect();
    if items.is_empty() {
        return Err(AppError::Forbidden);
    }
    crate::layout::render(&HubPage { layout: ctx.layout("nav-admin"), items })
}
