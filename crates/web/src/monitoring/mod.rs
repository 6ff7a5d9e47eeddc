//! Resolution monitoring pages: the document register, plans with targets and tasks, assignments and
//! their progress updates, dashboards, exports.

pub mod assignments;
pub mod dashboard;
pub mod documents;
pub mod export;
pub mod plans;
pub mod service;
pub mod status;
pub mod updates;
pub mod uploads;

use chrono::NaiveDate;
use tiendo_core::authz::{Actor, Role, Scope};
use tiendo_db::monitoring::Visibility;
use tiendo_db::orgtree;

use crate::error::AppError;
use crate::state::AppState;

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    tiendo_core::time::vietnam_date(chrono::Utc::now())
}

/// Which assignments an actor may see in lists: every one for province-wide department staff; otherwise
/// those of the organisations their roles cover (as lead or coordinator for reporting roles, as lead for
/// staff roles).
pub async fn visibility(state: &AppState, actor: &Actor) -> Result<Visibility, AppError> {
    let staff = |r: Role| matches!(r, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer);
    let reporter = |r: Role| matches!(r, Role::LocalityOfficer | Role::PartnerOfficer);
    if actor.grants.iter().any(|g| g.scope == Scope::Province && (staff(g.role) || reporter(g.role))) {
        return Ok(Visibility::All);
    }
    let mut reporting = Vec::new();
    let mut overseen = Vec::new();
    for g in &actor.grants {
        let target = if reporter(g.role) {
            &mut reporting
        } else if staff(g.role) {
            &mut overseen
        } else {
            continue;
        };
        match g.scope {
            Scope::Organization(id) => target.push(id),
            Scope::Subtree(id) => target.extend(orgtree::subtree(state.db(), id).await?),
            Scope::Province => {}
        }
    }
    reporting.sort_unstable();
    reporting.dedup();
    overseen.sort_unstable();
    overseen.dedup();
    Ok(Visibility::Orgs { reporting, staff: overseen })
}

/// The organisations an actor reports for (their locality or partner roles), for the "my unit" views.
pub async fn reporting_orgs(state: &AppState, actor: &Actor) -> Result<Vec<i64>, AppError> {
    let mut orgs = Vec::new();
    for g in actor.grants.iter().filter(|g| matches!(g.role, Role::LocalityOfficer | Role::PartnerOfficer)) {
        match g.scope {
            Scope::Organization(id) => orgs.push(id),
            Scope::Subtree(id) => orgs.extend(orgtree::subtree(state.db(), id).await?),
            Scope::Province => {}
        }
    }
    orgs.sort_unstable();
    orgs.dedup();
    Ok(orgs)
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
