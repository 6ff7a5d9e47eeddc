//! Changes of the map recorded after the built-in lists (the map changed again in 2026), and the rules
//! that keep the history consistent:
//!
//! - the validity periods of one code never overlap, so a code and a date name one unit;
//! - a succession links a unit that ends to a unit that starts on the same date;
//! - every unit in force has its parent in force, at the level above.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::code::{AdminUnitCode, UnitLevel};
use super::kind::UnitKind;
use super::unit::{AdminUnit, Succession, SuccessionKind, Validity};

/// A unit that starts with a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUnit {
    /// Its code (a code of a unit that ends the same day may be reused).
    pub code: AdminUnitCode,
    /// Its kind.
    pub kind: UnitKind,
    /// Its name without the kind.
    pub name: String,
    /// The code of its parent, in force on the effective date (or starting with the same change); none for
    /// a province.
    pub parent_code: Option<AdminUnitCode>,
}

/// A succession entered with a change. Its kind is derived from the shape of the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSuccession {
    /// The code of a unit that ends with the change.
    pub from_code: AdminUnitCode,
    /// The code of a unit that starts with the change.
    pub to_code: AdminUnitCode,
    /// Whether this is the default successor of a unit split between several (ignored, and true, when the
    /// old unit has one successor).
    pub is_default: bool,
    /// The share of the old unit that went to this successor, between 0 and 1, when known.
    pub share: Option<f64>,
}

/// A change of the map entered by an administrator: on `effective`, the units `ending` end (their `valid_to`
/// becomes `effective`), the units `starting` start, and `successions` say how the old continue in the new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapChange {
    /// The first day of the new map.
    pub effective: NaiveDate,
    /// The act that decided it ("NQ 30/2026/QH16").
    pub legal_basis: Option<String>,
    /// Codes of units in force the day before that end.
    pub ending: Vec<AdminUnitCode>,
    /// Units that start.
    pub starting: Vec<NewUnit>,
    /// How the ending units continue in the starting ones.
    pub successions: Vec<NewSuccession>,
}

/// A change that passed validation, ready to be stored as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedChange {
    /// The first day of the new map.
    pub effective: NaiveDate,
    /// The units that end, as stored before the change (their `valid_to` is to be set to `effective`).
    pub ending: Vec<AdminUnit>,
    /// The units that start, complete.
    pub starting: Vec<AdminUnit>,
    /// The successions, complete, with their kinds.
    pub successions: Vec<Succession>,
}

/// A rule a change breaks. Each names the code concerned, so a form can show it next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ChangeError {
    /// The change neither ends nor starts a unit.
    #[error("the change neither ends nor starts a unit")]
    Empty,
    /// A code is listed twice among the units that end, or twice among those that start.
    #[error("unit {code} is listed twice")]
    Duplicate {
        /// The code.
        code: AdminUnitCode,
    },
    /// No unit with this code is in force on the day before the change.
    #[error("no unit {code} is in force on {day} to end")]
    NotInForce {
        /// The code.
        code: AdminUnitCode,
        /// The day before the change.
        day: NaiveDate,
    },
    /// The unit already has an end date.
    #[error("unit {code} already ends on {valid_to}")]
    AlreadyEnds {
        /// The code.
        code: AdminUnitCode,
        /// Its recorded end.
        valid_to: NaiveDate,
    },
    /// Two units with the same code would be in force on the same day.
    #[error("two units {code} would be in force on the same days")]
    Overlap {
        /// The code.
        code: AdminUnitCode,
    },
    /// The number of digits of the code does not fit the kind.
    #[error("code {code} does not fit a {kind:?}")]
    LevelMismatch {
        /// The code.
        code: AdminUnitCode,
        /// The kind given.
        kind: UnitKind,
    },
    /// A new unit has no name.
    #[error("unit {code} has no name")]
    EmptyName {
        /// The code.
        code: AdminUnitCode,
    },
    /// The parent is missing, not in force on the effective date, or not at the level above.
    #[error("unit {code} needs a parent at the level above, in force on the effective date")]
    BadParent {
        /// The code.
        code: AdminUnitCode,
        /// The parent code given, if any.
        parent: Option<AdminUnitCode>,
    },
    /// A unit that stays in force belongs to a unit that ends: it must end too and start again under its new
    /// parent.
    #[error("unit {child} stays in force but its parent {parent} ends")]
    ChildLeftBehind {
        /// The child that stays.
        child: AdminUnitCode,
        /// Its parent that ends.
        parent: AdminUnitCode,
    },
    /// A succession does not start from a unit that ends with the change.
    #[error("succession from {code}, which does not end with this change")]
    FromNotEnding {
        /// The code.
        code: AdminUnitCode,
    },
    /// A succession does not lead to a unit that starts with the change.
    #[error("succession to {code}, which does not start with this change")]
    ToNotStarting {
        /// The code.
        code: AdminUnitCode,
    },
    /// A succession is listed twice.
    #[error("the succession {from} → {to} is listed twice")]
    DuplicateSuccession {
        /// Old code.
        from: AdminUnitCode,
        /// New code.
        to: AdminUnitCode,
    },
    /// A unit split between several successors needs exactly one default successor.
    #[error("unit {code} has {defaults} default successors; exactly one is needed")]
    DefaultCount {
        /// The old code.
        code: AdminUnitCode,
        /// How many are marked.
        defaults: usize,
    },
    /// A province or commune that ends must continue somewhere.
    #[error("unit {code} ends without a successor")]
    NoSuccessor {
        /// The code.
        code: AdminUnitCode,
    },
    /// A commune that starts must come from somewhere.
    #[error("unit {code} starts without a predecessor")]
    NoPredecessor {
        /// The code.
        code: AdminUnitCode,
    },
    /// A share is not between 0 and 1.
    #[error("the share of {from} going to {to} must be between 0 and 1")]
    BadShare {
        /// Old code.
        from: AdminUnitCode,
        /// New code.
        to: AdminUnitCode,
    },
    /// A succession whose units do not end and start on its date.
    #[error("the succession {from} → {to} does not link a unit ending on {effective} to one starting that day")]
    DatesDoNotMeet {
        /// Old code.
        from: AdminUnitCode,
        /// New code.
        to: AdminUnitCode,
        /// The succession's date.
        effective: NaiveDate,
    },
}

/// Checks that no two units with the same code are in force on the same day. Returns one error per code
/// concerned, in code order.
pub fn check_no_overlap(units: &[AdminUnit]) -> Vec<ChangeError> {
    let mut by_code: HashMap<&AdminUnitCode, Vec<Validity>> = HashMap::new();
    for unit in units {
        by_code.entry(&unit.code).or_default().push(unit.validity());
    }
    let mut codes: Vec<&AdminUnitCode> = by_code
        .iter()
        .filter(|(_, periods)| periods.iter().enumerate().any(|(i, a)| periods[i + 1..].iter().any(|b| a.overlaps(b))))
        .map(|(code, _)| *code)
        .collect();
    codes.sort();
    codes.into_iter().map(|code| ChangeError::Overlap { code: code.clone() }).collect()
}

/// Checks that a succession links a unit that ends on its date to a unit that starts on that date, with the
/// codes it names.
pub fn check_succession_link(from: &AdminUnit, to: &AdminUnit, succession: &Succession) -> Result<(), ChangeError> {
    let meets = from.code == succession.from_code
        && to.code == succession.to_code
        && from.valid_to == Some(succession.effective)
        && to.valid_from == Some(succession.effective);
    if meets {
        Ok(())
    } else {
        Err(ChangeError::DatesDoNotMeet {
            from: succession.from_code.clone(),
            to: succession.to_code.clone(),
            effective: succession.effective,
        })
    }
}

fn parent_level_ok(child: UnitLevel, parent: Option<UnitLevel>) -> bool {
    matches!(
        (child, parent),
        (UnitLevel::Province, None)
            | (UnitLevel::District, Some(UnitLevel::Province))
            | (UnitLevel::Commune, Some(UnitLevel::Province | UnitLevel::District))
    )
}

/// Validates a change against the units already recorded and, when it is sound, returns what to store.
///
/// `existing` must hold every recorded unit (all validity periods) whose code the change ends, starts or
/// names as a parent, and every unit in force on the effective date whose parent ends. Every broken rule is
/// reported, not only the first.
pub fn validate_change(change: &MapChange, existing: &[AdminUnit]) -> Result<PlannedChange, Vec<ChangeError>> {
    let mut errors = Vec::new();
    let effective = change.effective;
    let day_before = effective.pred_opt().unwrap_or(effective);
    if change.ending.is_empty() && change.starting.is_empty() {
        return Err(vec![ChangeError::Empty]);
    }

    // Units that end.
    let mut ending: Vec<AdminUnit> = Vec::new();
    let mut seen = HashSet::new();
    for code in &change.ending {
        if !seen.insert(code) {
            errors.push(ChangeError::Duplicate { code: code.clone() });
            continue;
        }
        match existing.iter().find(|u| &u.code == code && u.in_force_on(day_before)) {
            None => errors.push(ChangeError::NotInForce { code: code.clone(), day: day_before }),
            Some(unit) => match unit.valid_to {
                Some(valid_to) => errors.push(ChangeError::AlreadyEnds { code: code.clone(), valid_to }),
                None => ending.push(unit.clone()),
            },
        }
    }
    let ending_codes: HashSet<&AdminUnitCode> = ending.iter().map(|u| &u.code).collect();

    // Units that start.
    let mut starting: Vec<AdminUnit> = Vec::new();
    let mut seen = HashSet::new();
    for new in &change.starting {
        if !seen.insert(&new.code) {
            errors.push(ChangeError::Duplicate { code: new.code.clone() });
            continue;
        }
        if new.code.level() != new.kind.level() {
            errors.push(ChangeError::LevelMismatch { code: new.code.clone(), kind: new.kind });
        }
        let name = crate::text::normalize_input(&new.name);
        if name.is_empty() {
            errors.push(ChangeError::EmptyName { code: new.code.clone() });
        }
        starting.push(AdminUnit {
            code: new.code.clone(),
            kind: new.kind,
            name,
            parent_code: new.parent_code.clone(),
            valid_from: Some(effective),
            valid_to: None,
            legal_basis: change.legal_basis.clone(),
        });
    }

    // After the change: no overlapping validity for any code concerned.
    let after: Vec<AdminUnit> = existing
        .iter()
        .map(|u| {
            let mut u = u.clone();
            if ending_codes.contains(&u.code) && u.in_force_on(day_before) {
                u.valid_to = Some(effective);
            }
            u
        })
        .chain(starting.iter().cloned())
        .collect();
    let started_codes: HashSet<&AdminUnitCode> = starting.iter().map(|u| &u.code).collect();
    errors.extend(
        check_no_overlap(&after)
            .into_iter()
            .filter(|e| matches!(e, ChangeError::Overlap { code } if started_codes.contains(code))),
    );

    // Parents in force on the effective date, at the level above.
    for unit in &starting {
        let parent_level = unit
            .parent_code
            .as_ref()
            .and_then(|p| after.iter().find(|u| &u.code == p && u.in_force_on(effective)).map(AdminUnit::level));
        let found_if_named = unit.parent_code.is_none() || parent_level.is_some();
        if !found_if_named || !parent_level_ok(unit.level(), parent_level) {
            errors.push(ChangeError::BadParent { code: unit.code.clone(), parent: unit.parent_code.clone() });
        }
    }
    // Units that stay in force may not lose their parent.
    for unit in existing {
        let stays = unit.in_force_on(effective) && !ending_codes.contains(&unit.code);
        if let Some(parent) = &unit.parent_code
            && stays
            && ending_codes.contains(parent)
        {
            errors.push(ChangeError::ChildLeftBehind { child: unit.code.clone(), parent: parent.clone() });
        }
    }

    // Successions.
    let mut pairs = HashSet::new();
    let mut links: Vec<&NewSuccession> = Vec::new();
    for s in &change.successions {
        let mut ok = true;
        if !ending_codes.contains(&s.from_code) {
            errors.push(ChangeError::FromNotEnding { code: s.from_code.clone() });
            ok = false;
        }
        if !started_codes.contains(&s.to_code) {
            errors.push(ChangeError::ToNotStarting { code: s.to_code.clone() });
            ok = false;
        }
        if !pairs.insert((&s.from_code, &s.to_code)) {
            errors.push(ChangeError::DuplicateSuccession { from: s.from_code.clone(), to: s.to_code.clone() });
            ok = false;
        }
        if s.share.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
            errors.push(ChangeError::BadShare { from: s.from_code.clone(), to: s.to_code.clone() });
        }
        if ok {
            links.push(s);
        }
    }
    let count = |f: &dyn Fn(&&NewSuccession) -> bool| links.iter().filter(|s| f(s)).count();
    for old in &ending {
        let successors = count(&|s| s.from_code == old.code);
        let defaults = count(&|s| s.from_code == old.code && s.is_default);
        if successors == 0 && old.level() != UnitLevel::District {
            errors.push(ChangeError::NoSuccessor { code: old.code.clone() });
        }
        if successors > 1 && defaults != 1 {
            errors.push(ChangeError::DefaultCount { code: old.code.clone(), defaults });
        }
    }
    // A new commune is always carved from existing ones; a new province may be set up before its communes
    // move into it.
    for new in &starting {
        if new.level() == UnitLevel::Commune && count(&|s| s.to_code == new.code) == 0 {
            errors.push(ChangeError::NoPredecessor { code: new.code.clone() });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let successions = links
        .iter()
        .map(|s| {
            let old = ending.iter().find(|u| u.code == s.from_code).expect("checked");
            let new = starting.iter().find(|u| u.code == s.to_code).expect("checked");
            let successors = count(&|x| x.from_code == s.from_code);
            let predecessors = count(&|x| x.to_code == s.to_code);
            let same = old.kind == new.kind && old.name == new.name;
            Succession {
                from_code: s.from_code.clone(),
                to_code: s.to_code.clone(),
                effective,
                kind: SuccessionKind::implied(successors, predecessors, same),
                is_default: successors == 1 || s.is_default,
                share: s.share,
                legal_basis: change.legal_basis.clone(),
            }
        })
        .collect();
    Ok(PlannedChange { effective, ending, starting, successions })
}

#[cfg(test)]
mod tests;
