//! Every unit of every period in memory, linked to its parent, its children, its predecessors and its
//! successors. Built once from the database (or the built-in data), then shared read-only: the address
//! resolver and lineage questions run on it without I/O.

use chrono::NaiveDate;

use super::code::{AdminUnitCode, UnitLevel};
use super::lineage::{self, LineageGraph, Origin, Successors};
use super::unit::{AdminUnit, Succession, SuccessionKind, Validity};

/// The position of a unit in a [`Gazetteer`]; meaningful only for the gazetteer that issued it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(u32);

impl UnitId {
    /// The position as an index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why a list of units and successions does not form a consistent history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GazetteerError {
    /// No unit with the parent code covers the unit's whole validity.
    #[error("unit {code} names parent {parent}, but no unit {parent} is in force throughout its validity")]
    MissingParent {
        /// The child.
        code: AdminUnitCode,
        /// The parent code it names.
        parent: AdminUnitCode,
    },
    /// A succession does not link a unit ending on its date to a unit starting on it.
    #[error("succession {from} → {to} on {effective} does not link a unit ending that day to one starting that day")]
    DanglingSuccession {
        /// Old code.
        from: AdminUnitCode,
        /// New code.
        to: AdminUnitCode,
        /// Its date.
        effective: NaiveDate,
    },
}

/// Lists per unit stored flat: the items of unit `i` are `items[start[i]..start[i + 1]]`. One allocation
/// instead of one per unit (the gazetteer holds some 14,000 units).
#[derive(Debug, Clone)]
struct PerUnit<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for PerUnit<T> {
    fn default() -> Self {
        PerUnit { start: Vec::new(), items: Vec::new() }
    }
}

impl<T: Clone> PerUnit<T> {
    /// Groups `(unit, item)` pairs, keeping their order within each unit.
    fn new(units: usize, pairs: &[(usize, T)]) -> PerUnit<T> {
        let mut start = vec![0u32; units + 1];
        for (unit, _) in pairs {
            start[unit + 1] += 1;
        }
        for i in 0..units {
            start[i + 1] += start[i];
        }
        let mut next: Vec<u32> = start[..units].to_vec();
        let mut slots: Vec<Option<T>> = vec![None; pairs.len()];
        for (unit, item) in pairs {
            slots[next[*unit] as usize] = Some(item.clone());
            next[*unit] += 1;
        }
        PerUnit { start, items: slots.into_iter().flatten().collect() }
    }

    fn of(&self, unit: usize) -> &[T] {
        match (self.start.get(unit), self.start.get(unit + 1)) {
            (Some(from), Some(to)) => &self.items[*from as usize..*to as usize],
            _ => &[],
        }
    }
}

/// All units and successions, indexed.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    units: Vec<AdminUnit>,
    parent: Vec<Option<UnitId>>,
    children: PerUnit<UnitId>,
    successions: Vec<Succession>,
    /// Per unit: (successor, index into `successions`).
    outgoing: PerUnit<(UnitId, u32)>,
    /// Per unit: (predecessor, index into `successions`).
    incoming: PerUnit<(UnitId, u32)>,
    /// Every unit, ordered by code (then as given): the versions of a code are a range of it.
    by_code: Vec<UnitId>,
}

impl Gazetteer {
    /// Indexes units and successions, checking that every parent and every succession resolves.
    pub fn new(units: Vec<AdminUnit>, successions: Vec<Succession>) -> Result<Gazetteer, GazetteerError> {
        let id_of = |i: usize| UnitId(u32::try_from(i).expect("fewer than 4 billion units"));
        let mut by_code: Vec<UnitId> = (0..units.len()).map(id_of).collect();
        by_code.sort_by(|a, b| units[a.index()].code.cmp(&units[b.index()].code).then(a.cmp(b)));
        let versions = |code: &AdminUnitCode| -> &[UnitId] {
            let from = by_code.partition_point(|id| units[id.index()].code < *code);
            let to = by_code.partition_point(|id| units[id.index()].code <= *code);
            &by_code[from..to]
        };
        let mut parent = vec![None; units.len()];
        let mut child_pairs = Vec::new();
        for (i, unit) in units.iter().enumerate() {
            let Some(parent_code) = &unit.parent_code else {
                continue;
            };
            let found =
                versions(parent_code).iter().copied().find(|p| units[p.index()].validity().covers(&unit.validity()));
            let Some(p) = found else {
                return Err(GazetteerError::MissingParent { code: unit.code.clone(), parent: parent_code.clone() });
            };
            parent[i] = Some(p);
            child_pairs.push((p.index(), id_of(i)));
        }
        let mut outgoing = Vec::with_capacity(successions.len());
        let mut incoming = Vec::with_capacity(successions.len());
        for (i, s) in successions.iter().enumerate() {
            let find = |code: &AdminUnitCode, ends: bool| {
                versions(code).iter().copied().find(|id| {
                    let u = &units[id.index()];
                    if ends { u.valid_to == Some(s.effective) } else { u.valid_from == Some(s.effective) }
                })
            };
            let (Some(from), Some(to)) = (find(&s.from_code, true), find(&s.to_code, false)) else {
                return Err(GazetteerError::DanglingSuccession {
                    from: s.from_code.clone(),
                    to: s.to_code.clone(),
                    effective: s.effective,
                });
            };
            let index = u32::try_from(i).expect("fewer than 4 billion successions");
            outgoing.push((from.index(), (to, index)));
            incoming.push((to.index(), (from, index)));
        }
        let n = units.len();
        Ok(Gazetteer {
            children: PerUnit::new(n, &child_pairs),
            outgoing: PerUnit::new(n, &outgoing),
            incoming: PerUnit::new(n, &incoming),
            units,
            parent,
            successions,
            by_code,
        })
    }

    /// The number of units (of every period).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every unit id, in the order the units were given.
    pub fn ids(&self) -> impl Iterator<Item = UnitId> + '_ {
        (0..self.units.len()).map(|i| UnitId(i as u32))
    }

    /// A unit.
    pub fn unit(&self, id: UnitId) -> &AdminUnit {
        &self.units[id.index()]
    }

    /// Every unit, in the order given.
    pub fn units(&self) -> &[AdminUnit] {
        &self.units
    }

    /// Every succession, in the order given.
    pub fn successions(&self) -> &[Succession] {
        &self.successions
    }

    /// Every unit that ever had this code, in the order given.
    pub fn versions(&self, code: &AdminUnitCode) -> &[UnitId] {
        let from = self.by_code.partition_point(|id| self.unit(*id).code < *code);
        let to = self.by_code.partition_point(|id| self.unit(*id).code <= *code);
        &self.by_code[from..to]
    }

    /// The unit with this code in force on `day`.
    pub fn find(&self, code: &AdminUnitCode, day: NaiveDate) -> Option<UnitId> {
        self.versions(code).iter().copied().find(|id| self.unit(*id).in_force_on(day))
    }

    /// The units in force on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> impl Iterator<Item = UnitId> + '_ {
        self.ids().filter(move |id| self.unit(*id).in_force_on(day))
    }

    /// The unit's parent.
    pub fn parent(&self, id: UnitId) -> Option<UnitId> {
        self.parent[id.index()]
    }

    /// The unit's parent, grand-parent, ..., up to its province.
    pub fn ancestors(&self, id: UnitId) -> impl Iterator<Item = UnitId> + '_ {
        std::iter::successors(self.parent(id), |p| self.parent(*p))
    }

    /// The province the unit belongs to (itself for a province).
    pub fn province(&self, id: UnitId) -> UnitId {
        self.ancestors(id).last().unwrap_or(id)
    }

    /// The units whose parent is this unit, of every period.
    pub fn children(&self, id: UnitId) -> &[UnitId] {
        self.children.of(id.index())
    }

    /// The unit's successors with the successions that lead to them.
    pub fn successions_from(&self, id: UnitId) -> impl Iterator<Item = (UnitId, &Succession)> + '_ {
        self.outgoing.of(id.index()).iter().map(|(to, i)| (*to, &self.successions[*i as usize]))
    }

    /// The unit's predecessors with the successions that lead from them.
    pub fn successions_to(&self, id: UnitId) -> impl Iterator<Item = (UnitId, &Succession)> + '_ {
        self.incoming.of(id.index()).iter().map(|(from, i)| (*from, &self.successions[*i as usize]))
    }

    /// What the unit had become on `day` (itself while in force); see [`lineage::successors_on`].
    pub fn successors_on(&self, id: UnitId, day: NaiveDate) -> Successors<UnitId> {
        lineage::successors_on(self, id, day)
    }

    /// What the unit came from, among the units in force on `day`; see [`lineage::origins_on`].
    pub fn origins_on(&self, id: UnitId, day: NaiveDate) -> Vec<Origin<UnitId>> {
        lineage::origins_on(self, id, day)
    }
}

impl LineageGraph for Gazetteer {
    type Key = UnitId;

    fn validity(&self, unit: UnitId) -> Validity {
        self.unit(unit).validity()
    }

    fn level(&self, unit: UnitId) -> UnitLevel {
        self.unit(unit).level()
    }

    fn successors(&self, unit: UnitId) -> Vec<(UnitId, bool)> {
        self.successions_from(unit).map(|(to, s)| (to, s.is_default)).collect()
    }

    fn predecessors(&self, unit: UnitId) -> Vec<(UnitId, SuccessionKind)> {
        self.successions_to(unit).map(|(from, s)| (from, s.kind)).collect()
    }

    fn children(&self, unit: UnitId) -> Vec<UnitId> {
        Gazetteer::children(self, unit).to_vec()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use super::*;
    use crate::geo::dataset;

    /// The built-in data, indexed once per test process.
    pub(crate) fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            let data = dataset::parse(include_str!("../../../db/data/admin_units.tsv")).unwrap();
            Gazetteer::new(data.units, data.successions).unwrap()
        })
    }

    pub(crate) fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// An id, for tests of structures that hold ids.
    pub(crate) fn unit_id(i: u32) -> UnitId {
        UnitId(i)
    }

    fn code(s: &str) -> AdminUnitCode {
        AdminUnitCode::parse(s).unwrap()
    }

    fn named(g: &Gazetteer, ids: &[UnitId]) -> Vec<String> {
        let mut names: Vec<String> = ids.iter().map(|id| g.unit(*id).full_name()).collect();
        names.sort();
        names
    }

    fn old(g: &Gazetteer, name: &str, district: &str) -> UnitId {
        g.in_force_on(d("2025-06-30"))
            .find(|id| {
                g.unit(*id).full_name() == name && g.parent(*id).is_some_and(|p| g.unit(p).full_name() == district)
            })
            .unwrap_or_else(|| panic!("{name}, {district}"))
    }

    #[test]
    fn quang_ninh_has_the_expected_units_on_each_side_of_the_reform() {
        let g = builtin();
        let qn = g.find(&code("22"), d("2026-01-01")).unwrap();
        assert_eq!(g.find(&code("22"), d("2020-01-01")), Some(qn), "Quảng Ninh was not rearranged");
        let count = |day, level| {
            g.in_force_on(d(day)).filter(|id| g.unit(*id).level() == level && g.province(*id) == qn).count()
        };
        assert_eq!(count("2026-01-01", UnitLevel::Commune), 54);
        assert_eq!(count("2026-01-01", UnitLevel::District), 0);
        assert_eq!(count("2025-06-30", UnitLevel::District), 13);
        assert_eq!(count("2025-06-30", UnitLevel::Commune), 171);
    }

    #[test]
    fn hoang_tan_is_now_ha_an_and_hoanh_bo_keeps_its_code() {
        let g = builtin();
        let hoang_tan = old(g, "Xã Hoàng Tân", "Thị xã Quảng Yên");
        let now = g.successors_on(hoang_tan, d("2026-01-01"));
        assert_eq!(named(g, &now.all), ["Phường Hà An"]);
        assert_eq!(now.default, now.all.first().copied());
        assert!(!now.via_children);

        let old_hoanh_bo = g.find(&code("07030"), d("2025-06-30")).unwrap();
        let new_hoanh_bo = g.find(&code("07030"), d("2025-07-01")).unwrap();
        assert_ne!(old_hoanh_bo, new_hoanh_bo);
        assert_eq!(g.unit(g.parent(old_hoanh_bo).unwrap()).full_name(), "Thành phố Hạ Long");
        assert_eq!(g.successors_on(old_hoanh_bo, d("2026-01-01")).default, Some(new_hoanh_bo));
        // A unit in force is its own answer; a unit asked about before it existed has none.
        assert_eq!(g.successors_on(new_hoanh_bo, d("2026-01-01")).all, [new_hoanh_bo]);
        assert!(g.successors_on(new_hoanh_bo, d("2020-01-01")).all.is_empty());
    }

    #[test]
    fn a_split_commune_has_every_successor_and_one_default() {
        let g = builtin();
        let lien_hoa = old(g, "Xã Liên Hòa", "Thị xã Quảng Yên");
        let now = g.successors_on(lien_hoa, d("2026-01-01"));
        assert_eq!(named(g, &now.all), ["Phường Hà An", "Phường Liên Hòa"]);
        assert_eq!(g.unit(now.default.unwrap()).full_name(), "Phường Liên Hòa");
    }

    #[test]
    fn a_district_is_followed_through_its_communes() {
        let g = builtin();
        let quang_yen = g.find(&code("206"), d("2025-06-30")).unwrap();
        let now = g.successors_on(quang_yen, d("2026-01-01"));
        assert!(now.via_children);
        assert_eq!(now.default, None);
        assert_eq!(
            named(g, &now.all),
            [
                "Phường Hiệp Hòa",
                "Phường Hà An",
                "Phường Liên Hòa",
                "Phường Phong Cốc",
                "Phường Quảng Yên",
                "Phường Đông Mai"
            ]
        );
        // An island district without communes has a succession of its own.
        let co_to = g.find(&code("207"), d("2025-06-30")).unwrap();
        assert!(!g.successors_on(co_to, d("2026-01-01")).all.is_empty());
        let bach_long_vi = g.find(&code("318"), d("2025-06-30")).unwrap();
        let now = g.successors_on(bach_long_vi, d("2026-01-01"));
        assert!(!now.via_children);
        assert_eq!(named(g, &now.all), ["Đặc khu Bạch Long Vĩ"]);
    }

    #[test]
    fn a_new_unit_knows_what_it_came_from() {
        let g = builtin();
        let ha_an = g.find(&code("07168"), d("2026-01-01")).unwrap();
        let origins = g.origins_on(ha_an, d("2025-06-30"));
        let mut seen: Vec<(String, bool)> = origins.iter().map(|o| (g.unit(o.unit).full_name(), o.whole)).collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("Phường Hà An".to_owned(), true),
                ("Phường Tân An".to_owned(), true),
                ("Xã Hoàng Tân".to_owned(), true),
                ("Xã Liên Hòa".to_owned(), false),
            ]
        );
        // Merged provinces: the new Hải Phòng came from the old Hải Phòng and Hải Dương.
        let hai_phong = g.find(&code("31"), d("2026-01-01")).unwrap();
        let provinces: Vec<String> =
            g.origins_on(hai_phong, d("2025-06-30")).iter().map(|o| g.unit(o.unit).full_name()).collect();
        assert_eq!(provinces.len(), 2, "{provinces:?}");
        assert!(provinces.contains(&"Tỉnh Hải Dương".to_owned()));
    }

    #[test]
    fn inconsistent_histories_are_refused() {
        let unit = |code_s: &str, parent: Option<&str>, to: Option<&str>| AdminUnit {
            code: code(code_s),
            kind: if code_s.len() == 2 { crate::geo::UnitKind::Province } else { crate::geo::UnitKind::Commune },
            name: "X".into(),
            parent_code: parent.map(code),
            valid_from: None,
            valid_to: to.map(d),
            legal_basis: None,
        };
        // The parent ends before the child.
        let err = Gazetteer::new(vec![unit("22", None, Some("2025-07-01")), unit("07030", Some("22"), None)], vec![])
            .unwrap_err();
        assert!(matches!(err, GazetteerError::MissingParent { .. }));
        let err = Gazetteer::new(
            vec![unit("22", None, None)],
            vec![Succession {
                from_code: code("22"),
                to_code: code("22"),
                effective: d("2025-07-01"),
                kind: SuccessionKind::Kept,
                is_default: true,
                share: None,
                legal_basis: None,
            }],
        )
        .unwrap_err();
        assert!(matches!(err, GazetteerError::DanglingSuccession { .. }));
    }
}
