//! What the directory's pages and API share: who may change what, the unit an organisation's address
//! names, and the translation of storage's field issues into field errors.

use std::sync::Arc;

use chrono::NaiveDate;
use tiendo_core::authz::{Action, OrgId, Resource, authorize};
use tiendo_core::directory::FieldIssue;
use tiendo_core::geo::AdminUnit;
use tiendo_core::geo::address::{AddressIndex, Resolution};
use tiendo_db::directory::{DirectoryError, UnitPlace};

use crate::api::units::today;
use crate::auth::Auth;
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// Field issues as field errors.
pub fn field_errors(issues: Vec<FieldIssue>) -> Vec<FieldError> {
    issues.into_iter().map(FieldError::from).collect()
}

/// A storage error at the web edge: field issues become a 422, a missing record a 404.
pub fn app_error(err: DirectoryError) -> AppError {
    match err {
        DirectoryError::Invalid(issues) => AppError::Validation(field_errors(issues)),
        DirectoryError::NotFound => AppError::NotFound,
        DirectoryError::Db(e) => e.into(),
    }
}

/// The path of an organisation from the root (empty for none).
pub async fn org_path(state: &AppState, id: Option<i64>) -> Result<Vec<OrgId>, AppError> {
    Ok(tiendo_db::orgtree::path_of(state.db(), id).await?)
}

/// Whether the actor may do `action` on the directory entry at `path`.
pub fn may(auth: &Auth, action: Action, path: &[OrgId]) -> bool {
    authorize(&auth.actor, action, &Resource::Directory { org_path: path }).is_allowed()
}

/// 403 unless the actor may do `action` on the directory entry at `path` (401 for the public).
pub fn require(auth: &Auth, action: Action, path: &[OrgId]) -> Result<(), AppError> {
    if may(auth, action, path) {
        Ok(())
    } else if auth.user.is_none() {
        Err(AppError::Unauthorized)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The least confidence at which the best candidate of an ambiguous address is taken without asking.
pub const CONFIDENT: f32 = 0.7;

/// What an address says about where an organisation is.
pub struct Placement {
    /// The unit and the part of the address below it, when settled.
    pub place: Option<UnitPlace>,
    /// The address matches several units and none was chosen: the form must ask.
    pub ambiguous: bool,
    /// The resolution, for showing the candidates.
    pub resolution: Option<(Arc<AddressIndex>, Resolution)>,
    /// The day the address was resolved for.
    pub as_of: NaiveDate,
}

/// The day an organisation's address is read for: its last day if it ended, else today.
pub fn address_day(valid_to: Option<NaiveDate>) -> NaiveDate {
    valid_to.and_then(|t| t.pred_opt()).filter(|d| *d < today()).unwrap_or_else(today)
}

/// Settles where an organisation is from its address: the unit `chosen` (by the user, among the
/// candidates), else the best candidate when it is clear (the only one, or confident), else nothing and
/// `ambiguous`. An address that names no unit leaves the organisation without a unit.
pub async fn place_from_address(
    state: &AppState,
    address: Option<&str>,
    chosen: Option<&AdminUnit>,
    as_of: NaiveDate,
) -> Result<Placement, AppError> {
    let Some(text) = address.filter(|a| !a.trim().is_empty()) else {
        return Ok(Placement { place: None, ambiguous: false, resolution: None, as_of });
    };
    let (index, resolution) = crate::api::address::resolve(state, text, as_of, None).await?;
    let g = index.gazetteer();
    let picked = chosen.and_then(|c| resolution.candidates.iter().find(|cand| g.unit(cand.unit) == c));
    let clear = match resolution.candidates.as_slice() {
        [only] => Some(only),
        [best, ..] if best.confidence >= CONFIDENT => Some(best),
        _ => None,
    };
    let settled = picked.or(clear);
    let place = settled
        .map(|c| UnitPlace { unit: g.unit(c.unit).clone(), detail: Some(c.detail.clone()).filter(|d| !d.is_empty()) });
    let ambiguous = settled.is_none() && !resolution.candidates.is_empty();
    Ok(Placement { place, ambiguous, resolution: Some((index, resolution)), as_of })
}

/// What a unit is today (its default successor, or itself), from the application's index.
pub async fn unit_today(state: &AppState, unit: &AdminUnit) -> Result<Option<AdminUnit>, AppError> {
    let index = state.geo().get(state.db()).await?;
    let g = index.gazetteer();
    let Some(id) = g.versions(&unit.code).iter().copied().find(|id| g.unit(*id).valid_from == unit.valid_from) else {
        return Ok(None);
    };
    Ok(g.successors_on(id, today()).default.map(|d| g.unit(d).clone()))
}
