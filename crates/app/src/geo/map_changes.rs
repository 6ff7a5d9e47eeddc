//! Recording a later change of the map (a merger of communes, a new ward): validated by
//! `tiendo_core::geo::change` against the stored history, with every broken rule a field error naming the
//! code concerned, audited on the change and on each unit that ends or starts.

use chrono::NaiveDate;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::geo::{AdminUnit, AdminUnitCode, ChangeError, MapChange, NewSuccession, PlannedChange};
use tiendo_db::geo::GeoError;

use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

fn date(d: NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// Records a change of the map (province-wide administrators only). A change that breaks a rule of the
/// history is `Invalid`, each error at the field of [`MapChange`] as the API names it
/// (`starting[2].parent_code`); another change of the same units recorded meanwhile is `Conflict`
/// `map_change_conflict`. The address index is rebuilt on next use, and the aggregates of periodic reports
/// are rebuilt on the new map (now, and on the effective day when it is later).
pub async fn record(app: &App, session: &Session, change: &MapChange) -> Result<PlannedChange> {
    if !authorize(&session.actor, Action::Create, &Resource::AdminUnits).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    let plan = match tiendo_db::geo::record_change_in(&tx, change).await {
        Ok(plan) => plan,
        Err(GeoError::Invalid(errors)) => {
            return Err(Error::Invalid(errors.iter().map(|e| field_error(e, change)).collect()));
        }
        Err(GeoError::Conflict) => return Err(Error::conflict("map_change_conflict")),
        Err(GeoError::Db(e)) => return Err(e.into()),
    };
    let codes = |units: &[AdminUnit]| units.iter().map(|u| u.code.to_string()).collect::<Vec<_>>();
    let basis = change.legal_basis.clone().unwrap_or_default();
    let key = if basis.is_empty() { "audit-map-change-recorded" } else { "audit-map-change-recorded-basis" };
    let entry = Entry::new("record_change", "admin_unit_change", plan.effective, key)
        .arg("date", date(plan.effective))
        .arg("ending", plan.ending.len())
        .arg("starting", plan.starting.len())
        .arg("basis", &basis)
        .change("ending", None::<Vec<String>>, codes(&plan.ending))
        .change("starting", None::<Vec<String>>, codes(&plan.starting));
    audit::record(app, &tx, session, entry).await?;
    // And one event on each unit that ends or starts, for the history panel of its page.
    for (units, ends) in [(&plan.ending, true), (&plan.starting, false)] {
        for unit in units.iter() {
            let (key, field) =
                if ends { ("audit-admin-unit-ended", "valid_to") } else { ("audit-admin-unit-started", "valid_from") };
            let entry = Entry::new("record_change", "admin_unit", &unit.code, key)
                .arg("unit", unit.full_name())
                .arg("date", date(plan.effective))
                .change(field, None::<String>, Some(plan.effective.to_string()))
                .change("legal_basis", None::<String>, change.legal_basis.clone());
            audit::record(app, &tx, session, entry).await?;
        }
    }
    crate::reporting::aggregates::queue_rebuild(&tx, plan.effective, app.today()).await?;
    tx.commit().await?;
    app.address_index().invalidate().await;
    Ok(plan)
}

/// The field a broken rule belongs to, with its code and arguments. Fields are named as the API names
/// them (`starting[2].parent_code`).
pub fn field_error(e: &ChangeError, change: &MapChange) -> FieldError {
    let ending = |code: &AdminUnitCode| {
        change.ending.iter().rposition(|c| c == code).map_or_else(|| "ending".to_owned(), |i| format!("ending[{i}]"))
    };
    let starting = |code: &AdminUnitCode, part: &str| {
        change
            .starting
            .iter()
            .rposition(|u| &u.code == code)
            .map_or_else(|| "starting".to_owned(), |i| format!("starting[{i}].{part}"))
    };
    let succession = |pred: &dyn Fn(&NewSuccession) -> bool, part: &str| {
        change
            .successions
            .iter()
            .rposition(pred)
            .map_or_else(|| "successions".to_owned(), |i| format!("successions[{i}].{part}"))
    };
    match e {
        ChangeError::Empty => FieldError::new("ending", "change_empty"),
        ChangeError::Duplicate { code } => {
            let field = if change.ending.iter().filter(|c| *c == code).count() > 1 {
                ending(code)
            } else {
                starting(code, "code")
            };
            FieldError::new(field, "duplicate_code").arg("code", code)
        }
        ChangeError::NotInForce { code, day } => {
            FieldError::new(ending(code), "not_in_force").arg("code", code).arg("day", date(*day))
        }
        ChangeError::AlreadyEnds { code, valid_to } => {
            FieldError::new(ending(code), "already_ends").arg("code", code).arg("day", date(*valid_to))
        }
        ChangeError::Overlap { code } => FieldError::new(starting(code, "code"), "overlap").arg("code", code),
        ChangeError::LevelMismatch { code, .. } => {
            FieldError::new(starting(code, "kind"), "level_mismatch").arg("code", code)
        }
        ChangeError::EmptyName { code } => FieldError::new(starting(code, "name"), "empty_name").arg("code", code),
        ChangeError::BadParent { code, .. } => {
            FieldError::new(starting(code, "parent_code"), "bad_parent").arg("code", code)
        }
        ChangeError::ChildLeftBehind { child, parent } => {
            FieldError::new(ending(parent), "child_left_behind").arg("code", parent).arg("child", child)
        }
        ChangeError::FromNotEnding { code } => {
            FieldError::new(succession(&|s| &s.from_code == code, "from_code"), "from_not_ending").arg("code", code)
        }
        ChangeError::ToNotStarting { code } => {
            FieldError::new(succession(&|s| &s.to_code == code, "to_code"), "to_not_starting").arg("code", code)
        }
        ChangeError::DuplicateSuccession { from, to } => FieldError::new(
            succession(&|s| &s.from_code == from && &s.to_code == to, "to_code"),
            "duplicate_succession",
        )
        .arg("code", from)
        .arg("to", to),
        ChangeError::DefaultCount { code, defaults } => {
            FieldError::new(succession(&|s| &s.from_code == code, "is_default"), "default_count")
                .arg("code", code)
                .arg("count", defaults)
        }
        ChangeError::NoSuccessor { code } => FieldError::new(ending(code), "no_successor").arg("code", code),
        ChangeError::NoPredecessor { code } => {
            FieldError::new(starting(code, "code"), "no_predecessor").arg("code", code)
        }
        ChangeError::BadShare { from, to } => {
            FieldError::new(succession(&|s| &s.from_code == from && &s.to_code == to, "share"), "bad_share")
                .arg("code", from)
                .arg("to", to)
        }
        ChangeError::DatesDoNotMeet { from, to, .. } => {
            FieldError::new(succession(&|s| &s.from_code == from && &s.to_code == to, "to_code"), "dates_do_not_meet")
                .arg("code", from)
                .arg("to", to)
        }
    }
}
