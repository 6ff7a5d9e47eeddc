//! The directory: organisations (with the administrative unit their address names, and their
//! successions), people, and the roles people hold in organisations. Every signed-in user reads it;
//! department staff (leaders, officers, administrators) whose scope covers the organisation change it.

pub mod organizations;
pub mod people;

use std::sync::Arc;

use chrono::NaiveDate;
use tiendo_core::authz::{Action, OrgId, Resource, authorize};
use tiendo_core::geo::AdminUnit;
use tiendo_core::geo::address::{AddressIndex, Resolution};
use tiendo_db::directory::{DirectoryError, UnitPlace};

use crate::{App, Error, Result, Session};

/// Whether the actor may do `action` on the directory entry at `path` (the organisation's path from the
/// root; empty for a person or a new organisation without a parent).
pub fn may(session: &Session, action: Action, path: &[OrgId]) -> bool {
    authorize(&session.actor, action, &Resource::Directory { org_path: path }).is_allowed()
}

/// `Forbidden` unless the actor may do `action` on the entry at `path` (`Unauthorized` for the public).
pub fn require(session: &Session, action: Action, path: &[OrgId]) -> Result<()> {
    if may(session, action, path) {
        Ok(())
    } else if session.user.is_none() && session.actor.grants.is_empty() {
        Err(Error::Unauthorized)
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// The path of an organisation from the root (empty for none or an unknown one).
pub async fn org_path(app: &App, id: Option<i64>) -> Result<Vec<OrgId>> {
    Ok(tiendo_db::orgtree::path_of(app.db(), id).await?)
}

/// A storage refusal as an outcome: field issues are `Invalid`, a missing record `NotFound`.
pub(crate) fn refused(err: DirectoryError) -> Error {
    match err {
        DirectoryError::Invalid(issues) => Error::Invalid(issues.into_iter().map(Into::into).collect()),
        DirectoryError::NotFound => Error::NotFound,
        DirectoryError::Db(e) => e.into(),
    }
}

/// The least confidence at which the best candidate of an ambiguous address is taken without asking.
pub const CONFIDENT: f32 = 0.7;

/// What an address says about where an organisation is.
#[derive(Debug, Clone)]
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
pub fn address_day(app: &App, valid_to: Option<NaiveDate>) -> NaiveDate {
    let today = app.today();
    valid_to.and_then(|t| t.pred_opt()).filter(|d| *d < today).unwrap_or(today)
}

/// Settles where an organisation is from its address: the unit `chosen` (by the user, among the
/// candidates), else the best candidate when it is clear (the only one, or confident), else nothing and
/// `ambiguous`. An address that names no unit leaves the organisation without a unit.
pub async fn place_from_address(
    app: &App,
    address: Option<&str>,
    chosen: Option<&AdminUnit>,
    as_of: NaiveDate,
) -> Result<Placement> {
    let Some(text) = address.filter(|a| !a.trim().is_empty()) else {
        return Ok(Placement { place: None, ambiguous: false, resolution: None, as_of });
    };
    let (index, resolution) = crate::geo::resolve(app, text, as_of, None).await?;
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
pub async fn unit_today(app: &App, unit: &AdminUnit) -> Result<Option<AdminUnit>> {
    let index = app.address_index().get(app.db()).await?;
    let g = index.gazetteer();
    let Some(id) = g.versions(&unit.code).iter().copied().find(|id| g.unit(*id).valid_from == unit.valid_from) else {
        return Ok(None);
    };
    Ok(g.successors_on(id, app.today()).default.map(|d| g.unit(d).clone()))
}
