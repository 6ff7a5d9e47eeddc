//! Resolution monitoring on the web: the pages (`pages/`) and the JSON API (`api/`) of the register of
//! legal documents, plans with targets and tasks, assignments and their progress updates, dashboards,
//! exports and status colours. Handlers extract, call one `tiendo_app::monitoring` function, and render.

pub mod api;
pub mod pages;
pub mod status;
pub mod uploads;

use chrono::NaiveDate;
use tiendo_core::authz::Role;

use crate::auth::policy::{Policy, Routes};

// The paths the pages of working visits, reporting and the portal still use.
pub use pages::dashboards as dashboard;
pub use pages::exports as export;

/// The monitoring pages (issue 6): documents, plans, assignments, progress updates, dashboards, exports.
/// Every handler checks the object it touches through the application layer; the policies here only keep
/// anonymous visitors out (and the colour settings to administrators).
pub fn routes() -> Routes {
    use pages::{assignments, dashboards, exports, legal_documents, plans, status_colors, updates};
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/status-colors.css", status_colors::stylesheet, Policy::Public)
        .get("/admin/status-colors", status_colors::settings_form, Policy::AnyRole(&[Role::Administrator]))
        .post("/admin/status-colors", status_colors::save_settings, Policy::AnyRole(&[Role::Administrator]))
        .get("/dashboard", dashboards::overview, S)
        .get("/overdue", dashboards::overdue, S)
        .get("/localities", dashboards::localities, S)
        .get("/organizations/{id}/monitoring", dashboards::organization, S)
        .get("/documents", legal_documents::list, S)
        .get("/documents/new", legal_documents::new_form, S)
        .post("/documents", legal_documents::create, S)
        .get("/documents/{id}", legal_documents::show, S)
        .get("/documents/{id}/edit", legal_documents::edit_form, S)
        .post("/documents/{id}/edit", legal_documents::update, S)
        .post("/documents/{id}/attachments", legal_documents::attach, S)
        .get("/plans", plans::list, S)
        .get("/plans/new", plans::new_form, S)
        .post("/plans", plans::create, S)
        .get("/plans/{id}", plans::show, S)
        .get("/plans/{id}/edit", plans::edit_form, S)
        .post("/plans/{id}/edit", plans::update, S)
        .post("/plans/{id}/targets", plans::add_target, S)
        .post("/plans/{id}/tasks", plans::add_task, S)
        .get("/plans/{id}/report.docx", exports::plan_report_docx, S)
        .get("/plans/{id}/report.pdf", exports::plan_report_pdf, S)
        .post("/plans/{id}/values", plans::record_value, S)
        .get("/tasks/{id}/assign", assignments::assign_form, S)
        .post("/tasks/{id}/assign", assignments::assign, S)
        .get("/assignments", assignments::list, S)
        .get("/assignments.xlsx", exports::assignments_xlsx, S)
        .get("/assignments/{id}", assignments::show, S)
        .post("/assignments/{id}/flags", assignments::set_flags, S)
        .get("/assignments/{id}/updates/new", updates::new_form, S)
        .post("/assignments/{id}/updates", updates::create, S)
        .get("/updates/{id}/edit", updates::edit_form, S)
        .post("/updates/{id}/edit", updates::edit, S)
        .post("/updates/{id}/delete", updates::delete, S)
        .post("/updates/{id}/decide", updates::decide, S)
        .get("/files/{id}/{name}", uploads::serve, S)
}

/// Parses an optional date field: empty is `Ok(None)`, a bad date an error code.
pub fn optional_date(text: &str) -> Result<Option<NaiveDate>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    tiendo_core::fmt::parse_date(text).map(Some).ok_or("date_format")
}

/// `dd/mm/yyyy`, or the empty string.
pub fn show_date(d: Option<NaiveDate>) -> String {
    d.map(tiendo_core::fmt::date).unwrap_or_default()
}

/// Normalised optional multi-line text: `None` when empty.
pub fn optional_text(text: &str) -> Option<String> {
    let t = tiendo_core::text::normalize_multiline(text);
    (!t.is_empty()).then_some(t)
}
