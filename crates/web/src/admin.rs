//! The administration area's hub, `/admin`: the administration pages the user may open (accounts, the
//! audit trail, document templates, the portal, status colours, report forms), each in its feature.

use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::layout::Ctx;

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

/// The hub's route.
pub fn routes() -> Routes {
    Routes::new().get("/admin", hub, Policy::SignedIn)
}
