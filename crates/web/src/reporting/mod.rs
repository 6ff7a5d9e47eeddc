//! Periodic reporting pages (issue 7): report templates for administrators, "my reports" and the data-entry
//! form for reporting units, the approver's queue and decisions, the value history, completeness and
//! timeliness, and aggregates on the old or the new map with drill-down to the reports behind them.
//! Handlers check every report they touch with `services::reports`; the route policies only keep anonymous
//! visitors out.

pub mod entry;
pub mod excel;
pub mod form;
pub mod review;
pub mod stats;
pub mod templates;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tiendo_core::authz::{Actor, Role, Scope};
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{Period, ReportStatus};
use tiendo_db::orgtree;
use tiendo_db::reporting::OrgScope;

use crate::error::AppError;
use crate::state::AppState;
use tiendo_app::i18n::Tr;

pub use crate::monitoring::today;

/// Renders a page with a status.
pub(crate) fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Which organisations' reports an actor may list: every one for a province-wide role that sees reports,
/// otherwise those their roles cover. Each report is still checked on its own when opened.
pub async fn scope(state: &AppState, actor: &Actor) -> Result<OrgScope, AppError> {
    let sees = |r: Role| {
        matches!(
            r,
            Role::Administrator
                | Role::DepartmentLeader
                | Role::DepartmentOfficer
                | Role::LocalityOfficer
                | Role::PartnerOfficer
        )
    };
    if actor.grants.iter().any(|g| g.scope == Scope::Province && sees(g.role)) {
        return Ok(OrgScope::All);
    }
    let mut orgs = Vec::new();
    for g in actor.grants.iter().filter(|g| sees(g.role)) {
        match g.scope {
            Scope::Organization(id) => orgs.push(id),
            Scope::Subtree(id) => orgs.extend(orgtree::subtree(state.db(), id).await?),
            Scope::Province => {}
        }
    }
    orgs.sort_unstable();
    orgs.dedup();
    Ok(OrgScope::Orgs(orgs))
}

/// Whether the actor reviews reports (department leader or officer anywhere).
pub fn is_reviewer(actor: &Actor) -> bool {
    actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer))
}

/// The label of a report status.
pub fn status_label(tr: &Tr, status: ReportStatus) -> String {
    tr.t(&format!("report-status-{}", status.code()))
}

/// The name of a period from its code ("Năm 2025", "Quý III/2025"), or the code itself.
pub fn period_name(lang: Lang, code: &str) -> String {
    Period::parse(code).map(|p| p.name(lang)).unwrap_or_else(|_| code.to_owned())
}

/// `dd/mm/yyyy` of an instant in Vietnam.
pub fn show_instant(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(tiendo_core::fmt::datetime).unwrap_or_default()
}

/// The day in Vietnam of an instant.
pub fn vietnam_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    tiendo_core::time::vietnam_date(at)
}
