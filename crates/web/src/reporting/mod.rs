//! Periodic reporting (issue 7) on the web: the pages (`pages`: report forms for administrators, "my
//! reports" and the data-entry form for reporting units, the approver's queue and decisions, the value
//! history, completeness and timeliness, aggregates with drill-down, Excel forms and tables) and the JSON
//! API (`api`). Handlers are thin over `tiendo_app::reporting`, which checks every report against the
//! workflow; the route policies here only keep anonymous visitors out (and the form pages to
//! administrators).

pub mod api;
pub mod pages;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tiendo_core::authz::Role;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{Period, ReportStatus};

use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use tiendo_app::i18n::Tr;

/// The reporting pages with their policies. Every handler checks the report or the statistics it
/// touches; the policies keep anonymous visitors out, and the report forms' pages to administrators.
pub fn routes() -> Routes {
    use pages::{entry, excel, forms, review, stats};
    const S: Policy = Policy::SignedIn;
    const ADMIN: Policy = Policy::AnyRole(&[Role::Administrator]);
    Routes::new()
        .get("/admin/report-templates", forms::list, ADMIN)
        .get("/admin/report-templates/new", forms::new_form, ADMIN)
        .post("/admin/report-templates/new", forms::create, ADMIN)
        .get("/admin/report-templates/{code}", forms::show, ADMIN)
        .post("/admin/report-templates/{code}", forms::update, ADMIN)
        .post("/admin/report-templates/{code}/retire", forms::retire, ADMIN)
        .post("/admin/report-templates/{code}/targets", forms::add_target, ADMIN)
        .post("/admin/report-templates/{code}/targets/{id}/delete", forms::remove_target, ADMIN)
        .get("/reports", entry::my_reports, S)
        .post("/reports/open", entry::open, S)
        .get("/reports/queue", review::queue, S)
        .get("/reports/completeness", stats::completeness, S)
        .get("/reports/aggregates", stats::aggregates, S)
        .get("/reports/aggregates/units", stats::units, S)
        .get("/reports/aggregates.xlsx", excel::aggregates_xlsx, S)
        .get("/reports/{id}", review::show, S)
        .get("/reports/{id}/edit", entry::edit_form, S)
        .post("/reports/{id}/edit", entry::save, S)
        .post("/reports/{id}/decide", review::decide, S)
        .post("/reports/{id}/unlock", review::unlock, S)
        .get("/reports/{id}/history", review::value_history, S)
        .get("/reports/{id}/form.xlsx", excel::download_form, S)
        .get("/reports/{id}/upload", excel::upload_form, S)
        .post("/reports/{id}/upload", excel::upload, S)
        .get("/reports/{id}/files/{attachment}/{name}", review::file, S)
}

/// Renders a page with a status.
pub(crate) fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// The label of a report status.
pub fn status_label(tr: &Tr, status: ReportStatus) -> String {
    tr.t(&format!("report-status-{}", status.code()))
}

/// The name of a period from its code ("Năm 2025", "Quý III/2025"), or the code itself.
pub fn period_name(lang: Lang, code: &str) -> String {
    Period::parse(code).map(|p| p.name(lang)).unwrap_or_else(|_| code.to_owned())
}

/// `dd/mm/yyyy hh:mm` of an instant in Vietnam, or the empty string.
pub fn show_instant(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(tiendo_core::fmt::datetime).unwrap_or_default()
}

/// The day in Vietnam of an instant.
pub fn vietnam_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    tiendo_core::time::vietnam_date(at)
}
