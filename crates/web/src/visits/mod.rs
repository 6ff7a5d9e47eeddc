//! Working visits (đoàn công tác, issue 8): the calendar and list, the visit form with its delegation and
//! stops, the visit's page with minutes, photos and documents, conclusions that become directives
//! (monitoring assignments), the notice of conclusions as DOCX and PDF, and what an organisation's page
//! shows of them. The pages are [`pages`], the JSON API [`api`]; both call the use cases of
//! `tiendo_app::visits`, whose rules are `tiendo_core::visits` and storage `tiendo_db::visits`.
//!
//! `article` (a portal article drafted from a visit) belongs to the portal: it keeps its route here and
//! its API handler in `crate::api::visits`.

pub mod api;
pub mod article;
pub mod pages;

use tiendo_db::visits::Visit;

use crate::auth::Auth;
use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::layout::Ctx;
use crate::state::AppState;

pub use pages::calendar;
pub use pages::org_choices;
pub use pages::org_section::{OrgSection, organization_section};

/// The working-visit pages (issue 8): calendar, visit form, the visit's page, conclusions and directives,
/// photos and documents, notices of conclusions. Every use case checks the visit against the actor's
/// grants; the policies here keep anonymous visitors out.
pub fn routes() -> Routes {
    use pages::{calendar, conclusions, files, form, notice, show};
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/visits", calendar::list, S)
        .get("/visits/new", form::new_form, S)
        .post("/visits/new", form::create, S)
        .get("/visits/{id}", show::show, S)
        .get("/visits/{id}/edit", form::edit_form, S)
        .post("/visits/{id}/edit", form::update, S)
        .get("/visits/{id}/conclusions/new", conclusions::new_form, S)
        .post("/visits/{id}/conclusions", conclusions::create, S)
        .get("/visits/{id}/conclusions/{task}/directives/new", conclusions::new_directive_form, S)
        .post("/visits/{id}/conclusions/{task}/directives", conclusions::create_directive, S)
        .get("/visits/{id}/files/new", files::new_form, S)
        .post("/visits/{id}/files", files::upload, S)
        .post("/visits/{id}/files/{file}/delete", files::remove, S)
        .post("/visits/{id}/article", article::create, S)
        .get("/visits/{id}/notice.docx", notice::visit_docx, S)
        .get("/visits/{id}/notice.pdf", notice::visit_pdf, S)
        .get("/visits/{id}/stops/{stop}/notice.docx", notice::stop_docx, S)
        .get("/visits/{id}/stops/{stop}/notice.pdf", notice::stop_pdf, S)
}

/// Loads a visit the actor may see; 404 otherwise (the actor may not learn that it exists).
pub async fn visible(ctx: &Ctx, id: i64) -> Result<Visit, AppError> {
    Ok(tiendo_app::visits::open(ctx.state.app(), ctx.auth.session(), id).await?.visit)
}

/// Whether the caller may download a stored file because it belongs to a visit they may see.
pub async fn may_read_file(state: &AppState, auth: &Auth, attachment_id: i64) -> Result<bool, AppError> {
    Ok(tiendo_app::visits::may_read_file(state.app(), auth.session(), attachment_id).await?)
}
