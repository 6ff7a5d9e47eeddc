//! S&T enterprise certificates (issue 18): the enterprise's application with its dossier, checklist and
//! documents, the officers' processing with the days left on the statutory clock, the certificate with its
//! versions and ends, and the public register and lookup. The pages are [`pages`], the JSON API [`api`];
//! both call the use cases of `tiendo_app::certificates`, whose rules are `tiendo_core::certificates` and
//! storage `tiendo_db::certificates`.

pub mod api;
pub mod pages;

use crate::auth::Auth;
use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::state::AppState;

/// The pages of applications and certificates. Every use case checks the record against the actor's
/// grants; the policies here keep anonymous visitors out of all but the register.
pub fn routes() -> Routes {
    use pages::{applications, appraisal, certificate, form};
    const S: Policy = Policy::SignedIn;
    const P: Policy = Policy::Public;
    Routes::new()
        .get("/registers/certificates", certificate::register, P)
        .get("/certificates/{id}", certificate::show, P)
        .get("/certificates/{id}/certificate.docx", certificate::document_docx, S)
        .get("/certificates/{id}/certificate.pdf", certificate::document_pdf, S)
        .post("/certificates/{id}/amend", certificate::amend, S)
        .post("/certificates/{id}/reissue", certificate::reissue, S)
        .post("/certificates/{id}/end", certificate::end, S)
        .get("/certificates/applications", applications::list, S)
        .get("/certificates/applications/new", form::new_form, S)
        .post("/certificates/applications/new", form::create, S)
        .get("/certificates/applications/{id}", applications::show, S)
        .get("/certificates/applications/{id}/edit", form::edit_form, S)
        .post("/certificates/applications/{id}/edit", form::update, S)
        .post("/certificates/applications/{id}/delete", applications::delete, S)
        .post("/certificates/applications/{id}/step", applications::step, S)
        .post("/certificates/applications/{id}/council", appraisal::refer, S)
        .post("/certificates/applications/{id}/experts", appraisal::experts, S)
        .post("/certificates/applications/{id}/experts/{expert}/override", appraisal::override_expert, S)
        .post("/certificates/applications/{id}/opinion", appraisal::opinion, S)
        .post("/certificates/applications/{id}/files", applications::upload, S)
        .post("/certificates/applications/{id}/files/{file}/delete", applications::remove_file, S)
}

/// Whether the caller may download a stored file because it belongs to an application they may see.
pub async fn may_read_file(state: &AppState, auth: &Auth, attachment_id: i64) -> Result<bool, AppError> {
    Ok(tiendo_app::certificates::may_read_file(state.app(), auth.session(), attachment_id).await?)
}
