//! Administrative units with their validity, and the successions that link them across map changes.

use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::code::{AdminUnitCode, UnitLevel, UnknownName};
use super::kind::UnitKind;

/// A validity period, the half-open interval `[from, to)`: `to` is the first day on which the unit no longer
/// exists. `from = None` means "since a date before the data set" (treated as the beginning of time);
/// `to = None` means "still in force".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Validity {
    /// The first day in force, if known.
    pub from: Option<NaiveDate>,
    /// The first day no longer in force, if the unit has ended.
    pub to: Option<NaiveDate>,
}

impl Validity {
    /// A validity period.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Validity {
        Validity { from, to }
    }

    /// Whether the unit is in force on `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day < to)
    }

    /// Whether the period has at least one day (`from < to` when both are known).
    pub fn is_well_formed(&self) -> bool {
        match (self.from, self.to) {
            (Some(from), Some(to)) => from < to,
            _ => true,
        }
    }

    /// Whether two periods share at least one day.
    pub fn overlaps(&self, other: &Validity) -> bool {
        let starts_before_other_ends = match (self.from, other.to) {
            (Some(from), Some(to)) => from < to,
            _ => true,
        };
        let other_starts_before_this_ends = match (other.from, self.to) {
            (Some(from), Some(to)) => from < to,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_this_ends
    }

    /// Whether every day of `inner` is a day of `self`.
    pub fn covers(&self, inner: &Validity) -> bool {
        let start_ok = match (self.from, inner.from) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(outer), Some(inner)) => outer <= inner,
        };
        let end_ok = match (self.to, inner.to) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(outer), Some(inner)) => inner <= outer,
        };
        start_ok && end_ok
    }

    /// The last day in force, if the unit has ended.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.to.and_then(|to| to.pred_opt())
    }
}

/// An administrative unit (đơn vị hành chính) during one validity period. Its identity is its code together
/// with its validity: when a unit is rearranged, the old record ends and a new one starts, often with the
/// same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUnit {
    /// Its code, unique among units in force on any one day.
    pub code: AdminUnitCode,
    /// Its kind (tỉnh, phường, ...), which gives its level.
    pub kind: UnitKind,
    /// Its name without the kind ("Hoành Bồ"; "1" for "Phường 1"), NFC.
    pub name: String,
    /// The code of the unit it belongs to: the district of a pre-2025 commune, the province of a district or
    /// of a post-2025 commune; none for a province. The parent is the unit with that code in force during
    /// this unit's validity.
    pub parent_code: Option<AdminUnitCode>,
    /// The first day in force; `None` when the data set does not say (the unit existed before it).
    pub valid_from: Option<NaiveDate>,
    /// The first day no longer in force (exclusive end); `None` while in force.
    pub valid_to: Option<NaiveDate>,
    /// The act that established the unit in this form ("NQ 1679/NQ-UBTVQH15"), when recorded.
    pub legal_basis: Option<String>,
}

impl AdminUnit {
    /// Its level.
    pub fn level(&self) -> UnitLevel {
        self.kind.level()
    }

    /// Its full name, the kind's prefix and the name: "Phường Hoành Bồ", "Thành phố Hà Nội", "Phường 1".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.kind.prefix(), self.name)
    }

    /// Its validity period.
    pub fn validity(&self) -> Validity {
        Validity::new(self.valid_from, self.valid_to)
    }

    /// Whether it is in force on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.validity().contains(day)
    }
}

/// How an old unit continues in a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuccessionKind {
    /// Sáp nhập: the old unit went wholly into a new unit that has several predecessors.
    Merge,
    /// Chia tách: the old unit went to several new units; one of them is its default successor.
    Split,
    /// Đổi tên: one old unit became one new unit on its own, with another name or kind.
    Rename,
    /// Giữ nguyên: one old unit became one new unit on its own, with the same kind and name (it was not
    /// rearranged, but its record changed, for example because its district was abolished).
    Kept,
}

impl SuccessionKind {
    /// Every kind.
    pub const ALL: [SuccessionKind; 4] =
        [SuccessionKind::Merge, SuccessionKind::Split, SuccessionKind::Rename, SuccessionKind::Kept];

    /// The stored form: `merge`, `split`, `rename`, `kept`.
    pub fn as_str(self) -> &'static str {
        match self {
            SuccessionKind::Merge => "merge",
            SuccessionKind::Split => "split",
            SuccessionKind::Rename => "rename",
            SuccessionKind::Kept => "kept",
        }
    }

    /// The Vietnamese name.
    pub fn vi_name(self) -> &'static str {
        match self {
            SuccessionKind::Merge => "sáp nhập",
            SuccessionKind::Split => "chia tách",
            SuccessionKind::Rename => "đổi tên",
            SuccessionKind::Kept => "giữ nguyên",
        }
    }

    /// The kind a succession must have given how many successors its old unit has and how many
    /// predecessors its new unit has, and whether the two have the same kind and name.
    pub fn implied(successors_of_old: usize, predecessors_of_new: usize, same_name: bool) -> SuccessionKind {
        if successors_of_old > 1 {
            SuccessionKind::Split
        } else if predecessors_of_new > 1 {
            SuccessionKind::Merge
        } else if same_name {
            SuccessionKind::Kept
        } else {
            SuccessionKind::Rename
        }
    }
}

impl FromStr for SuccessionKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SuccessionKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A succession (kế thừa): the unit `from_code` that ends on `effective` continues, wholly or in part, as
/// the unit `to_code` that starts on `effective`. Because validity periods of one code never overlap, the
/// code and the date identify both units: the old one is the `from_code` unit whose `valid_to` is
/// `effective`, the new one the `to_code` unit whose `valid_from` is `effective`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Succession {
    /// The code of the unit that ends.
    pub from_code: AdminUnitCode,
    /// The code of the unit that starts.
    pub to_code: AdminUnitCode,
    /// The day the change takes effect: the old unit's exclusive end and the new unit's first day.
    pub effective: NaiveDate,
    /// How the old unit continues in the new one.
    pub kind: SuccessionKind,
    /// For a split, whether this successor takes the old unit's records by default; always true when the
    /// old unit has one successor.
    pub is_default: bool,
    /// The share of the old unit (area or population, 0 to 1) that went to this successor, when known.
    pub share: Option<f64>,
    /// The act that decided the change, when recorded.
    pub legal_basis: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn v(from: Option<&str>, to: Option<&str>) -> Validity {
        Validity::new(from.map(d), to.map(d))
    }

    #[test]
    fn validity_is_half_open() {
        let old = v(None, Some("2025-07-01"));
        assert!(old.contains(d("1990-01-01")));
        assert!(old.contains(d("2025-06-30")));
        assert!(!old.contains(d("2025-07-01")));
        let new = v(Some("2025-07-01"), None);
        assert!(!new.contains(d("2025-06-30")));
        assert!(new.contains(d("2025-07-01")));
        assert!(new.contains(d("2100-01-01")));
        assert_eq!(old.last_day(), Some(d("2025-06-30")));
        assert_eq!(new.last_day(), None);
    }

    #[test]
    fn overlap_table() {
        let cases = [
            // Consecutive periods do not overlap: the old unit ends the day the new one starts.
            (v(None, Some("2025-07-01")), v(Some("2025-07-01"), None), false),
            (v(None, Some("2025-07-02")), v(Some("2025-07-01"), None), true),
            (v(None, None), v(Some("2025-07-01"), None), true),
            (v(None, Some("2020-01-01")), v(None, Some("2019-01-01")), true),
            (v(Some("2025-07-01"), Some("2026-04-30")), v(Some("2026-04-30"), None), false),
            (v(Some("2025-07-01"), Some("2026-04-30")), v(Some("2026-01-01"), Some("2026-02-01")), true),
            (v(Some("2020-01-01"), Some("2021-01-01")), v(Some("2022-01-01"), None), false),
        ];
        for (a, b, expected) in cases {
            assert_eq!(a.overlaps(&b), expected, "{a:?} {b:?}");
            assert_eq!(b.overlaps(&a), expected, "{b:?} {a:?}");
        }
    }

    #[test]
    fn covers_table() {
        let always = v(None, None);
        let old = v(None, Some("2025-07-01"));
        let new = v(Some("2025-07-01"), None);
        assert!(always.covers(&old));
        assert!(always.covers(&new));
        assert!(old.covers(&old));
        assert!(!old.covers(&always));
        assert!(!new.covers(&old));
        assert!(!old.covers(&new));
        assert!(new.covers(&v(Some("2026-01-01"), Some("2027-01-01"))));
    }

    #[test]
    fn a_period_must_have_a_day() {
        assert!(v(Some("2025-07-01"), Some("2025-07-02")).is_well_formed());
        assert!(!v(Some("2025-07-01"), Some("2025-07-01")).is_well_formed());
        assert!(!v(Some("2025-07-02"), Some("2025-07-01")).is_well_formed());
        assert!(v(None, Some("2025-07-01")).is_well_formed());
    }

    #[test]
    fn full_names_put_the_kind_first() {
        let unit = AdminUnit {
            code: AdminUnitCode::parse("07030").unwrap(),
            kind: UnitKind::Ward,
            name: "Hoành Bồ".into(),
            parent_code: Some(AdminUnitCode::parse("22").unwrap()),
            valid_from: Some(d("2025-07-01")),
            valid_to: None,
            legal_basis: None,
        };
        assert_eq!(unit.full_name(), "Phường Hoành Bồ");
        assert_eq!(unit.level(), UnitLevel::Commune);
        assert!(unit.in_force_on(d("2026-01-01")));
        assert!(!unit.in_force_on(d("2025-06-30")));
    }

    #[test]
    fn implied_succession_kinds() {
        assert_eq!(SuccessionKind::implied(2, 1, true), SuccessionKind::Split);
        assert_eq!(SuccessionKind::implied(3, 4, false), SuccessionKind::Split);
        assert_eq!(SuccessionKind::implied(1, 3, false), SuccessionKind::Merge);
        assert_eq!(SuccessionKind::implied(1, 1, false), SuccessionKind::Rename);
        assert_eq!(SuccessionKind::implied(1, 1, true), SuccessionKind::Kept);
        for kind in SuccessionKind::ALL {
            assert_eq!(kind.as_str().parse::<SuccessionKind>().unwrap(), kind);
        }
    }
}
