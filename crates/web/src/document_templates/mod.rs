//! Document templates (mẫu văn bản): the editable layouts of the official documents, edited by
//! province-wide administrators on pages and through the JSON API; every change is a use case of
//! `tiendo_app::document_templates`.

pub mod api;
pub mod pages;

use tiendo_core::authz::Role;

use crate::auth::policy::{Policy, Routes};

/// The template pages (administrators; the use cases check the province-wide scope).
pub fn routes() -> Routes {
    const ADMIN: Policy = Policy::AnyRole(&[Role::Administrator]);
    Routes::new()
        .get("/admin/templates", pages::list, ADMIN)
        .get("/admin/templates/{kind}", pages::show, ADMIN)
        .post("/admin/templates/{kind}", pages::save, ADMIN)
        .post("/admin/templates/{kind}/preview", pages::preview_draft, ADMIN)
        .post("/admin/templates/{kind}/restore", pages::restore, ADMIN)
        .post("/admin/templates/{kind}/default", pages::restore_default, ADMIN)
}
