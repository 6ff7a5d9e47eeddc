//! Indicators (issue 19): the catalogue and its changes ([`catalogue`]), the figures computed per year,
//! unit and map ([`compute`]), the scorecard with targets and status ([`scorecard`]), the sources behind a
//! figure with the arithmetic ([`drill`]) and the scorecard's exports ([`export`]).
//!
//! Every change is one function here that authorizes (`Resource::Indicators`), validates every field at
//! once, writes in one transaction and records its audit event. Every read checks the reader may see the
//! catalogue; the records behind a figure are listed as the reader may see them.

pub mod catalogue;
pub mod compute;
pub mod drill;
pub mod export;
pub mod scorecard;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::indicators::{Definition, Formula, OverUnits};
use tiendo_db::indicators::IndicatorRow;

use crate::{Error, Result, Session};

/// `Forbidden` unless the actor may do `action` on the catalogue.
pub fn require(session: &Session, action: Action) -> Result<()> {
    if authorize(&session.actor, action, &Resource::Indicators).is_allowed() { Ok(()) } else { Err(Error::FORBIDDEN) }
}

/// Whether the actor may change the catalogue (the pages show their buttons by it).
pub fn may_edit(session: &Session) -> bool {
    authorize(&session.actor, Action::Edit, &Resource::Indicators).is_allowed()
}

/// The definition of a stored indicator. A stored formula was checked when it was saved; should it no
/// longer parse (never expected), it is `None` and its figures have no value (`definition_invalid`).
pub fn definition(row: &IndicatorRow) -> Option<Definition> {
    match row.kind.as_str() {
        "typed" => Some(Definition::Typed),
        _ => Formula::parse(
            row.numerator.as_deref().unwrap_or_default(),
            row.denominator.as_deref().unwrap_or_default(),
            row.factor,
            OverUnits::parse(&row.over_units).unwrap_or(OverUnits::Total),
        )
        .ok()
        .map(Definition::Formula),
    }
}

/// The page of an indicator.
pub fn link(id: i64) -> String {
    format!("/indicators/{id}")
}
