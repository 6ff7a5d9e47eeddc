//! Administrative units with their history: units in force on a date, lineage across map changes, the tree
//! of a province, and changes recorded by an administrator. Everything returns `tiendo_core::geo` types.
//!
//! A unit is identified by its code and its validity (the same code names the old and the new phường Hoành
//! Bồ); functions that take an [`AdminUnit`] find its row by code and start date.

mod change;
pub mod load;
pub(crate) mod rows;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::geo::address::AddressIndex;
use tiendo_core::geo::lineage::{self, LineageGraph};
use tiendo_core::geo::{AdminUnit, AdminUnitCode, Gazetteer, Succession, SuccessionKind, UnitLevel, Validity};
use tiendo_core::text::fold;

use crate::error::DbError;
use crate::json;
use crate::query::{Exec, Query};

pub use self::change::{GeoError, record_change, record_change_in};
use self::rows::{LinkRow, SuccessionRow, UNIT_COLUMNS, UnitRow, in_force};

/// Which units to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFilter {
    /// Units in force on this day.
    pub as_of: NaiveDate,
    /// Text to look for in the full name, ignoring case and diacritics ("hoanh bo" finds "Phường Hoành
    /// Bồ"); digits also match the start of the code.
    pub q: Option<String>,
    /// Only units of this level.
    pub level: Option<UnitLevel>,
    /// Only units of this province (by its code).
    pub province: Option<AdminUnitCode>,
    /// At most this many units.
    pub limit: Option<i64>,
}

impl UnitFilter {
    /// Every unit in force on `as_of`.
    pub fn on(as_of: NaiveDate) -> UnitFilter {
        UnitFilter { as_of, q: None, level: None, province: None, limit: None }
    }
}

/// A succession seen from one of its two units, with the unit at the other end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The succession.
    pub succession: Succession,
    /// The unit at the other end (the successor, or the predecessor).
    pub unit: AdminUnit,
}

/// What an older unit had become on a later day ("what is this old unit today").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentUnits {
    /// The unit that takes the old unit's records by default, following default successors at splits;
    /// `None` for a district whose communes went to several units, or a unit that did not exist yet.
    pub default: Option<AdminUnit>,
    /// Every unit in force on the day that received a part of it, in Vietnamese order.
    pub all: Vec<AdminUnit>,
    /// True when followed through the unit's communes (a district has no successor of its own).
    pub via_children: bool,
}

/// A unit that a later unit came from ("what did this unit come from").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The earlier unit.
    pub unit: AdminUnit,
    /// Whether all of it went into the later unit (false when only a part did, after a split).
    pub whole: bool,
}

/// A unit with the units under it on a given day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeNode {
    /// The unit.
    pub unit: AdminUnit,
    /// The units whose parent it is, in Vietnamese order.
    pub children: Vec<TreeNode>,
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unit_filter_query(head: &str, filter: &UnitFilter) -> Query {
    let mut q = Query::new(format!("{head} FROM admin_units WHERE "));
    in_force(&mut q, "", filter.as_of);
    if let Some(level) = filter.level {
        q.push(" AND level = ").push_bind(level.as_str());
    }
    if let Some(province) = &filter.province {
        q.push(" AND province_code = ").push_bind(province.as_str());
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", like_escape(&fold(text)));
        q.push(" AND (name_folded LIKE ").push_bind(pattern);
        q.push(" ESCAPE '\\'");
        if text.bytes().all(|b| b.is_ascii_digit()) {
            q.push(" OR code LIKE ").push_bind(format!("{text}%"));
        }
        q.push(")");
    }
    q
}

/// The units in force on `filter.as_of` that match the filter, in Vietnamese alphabetical order of their
/// names.
pub async fn units_in_force(ex: &impl Exec, filter: &UnitFilter) -> Result<Vec<AdminUnit>, DbError> {
    let mut q = unit_filter_query(&format!("SELECT {UNIT_COLUMNS}"), filter);
    q.push(" ORDER BY sort_key, kind, code");
    if let Some(limit) = filter.limit {
        q.push(" LIMIT ").push_bind(limit.max(0));
    }
    rows::units(ex.fetch_all::<UnitRow>(q).await?)
}

/// One page of [`units_in_force`] (from the `offset`-th unit, at most `filter.limit`, 50 when unset) and how
/// many units match in all.
pub async fn units_in_force_page(
    ex: &impl Exec,
    filter: &UnitFilter,
    offset: i64,
) -> Result<(Vec<AdminUnit>, i64), DbError> {
    let (total,): (i64,) = ex.fetch_one(unit_filter_query("SELECT COUNT(*)", filter)).await?;
    let mut q = unit_filter_query(&format!("SELECT {UNIT_COLUMNS}"), filter);
    q.push(" ORDER BY sort_key, kind, code LIMIT ").push_bind(filter.limit.unwrap_or(50).max(1));
    q.push(" OFFSET ").push_bind(offset.max(0));
    Ok((rows::units(ex.fetch_all::<UnitRow>(q).await?)?, total))
}

/// The unit with this code in force on `day`.
pub async fn unit_on(ex: &impl Exec, code: &AdminUnitCode, day: NaiveDate) -> Result<Option<AdminUnit>, DbError> {
    let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE code = "));
    q.push_bind(code.as_str()).push(" AND ");
    in_force(&mut q, "", day);
    ex.fetch_optional::<UnitRow>(q).await?.map(UnitRow::into_unit).transpose()
}

/// Every unit that ever had this code, oldest first: to tell "unknown code" from "not in force on that
/// day" and to show a code's history.
pub async fn unit_versions(ex: &impl Exec, code: &AdminUnitCode) -> Result<Vec<AdminUnit>, DbError> {
    let q = Query::new(format!(
        "SELECT {UNIT_COLUMNS} FROM admin_units WHERE code = $1 \
         ORDER BY CASE WHEN valid_from IS NULL THEN 0 ELSE 1 END, valid_from"
    ))
    .bind(code.as_str());
    rows::units(ex.fetch_all::<UnitRow>(q).await?)
}

/// The row id of a unit, found by its code and start.
pub(crate) async fn id_of(ex: &impl Exec, unit: &AdminUnit) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new("SELECT id FROM admin_units WHERE code = $1 AND valid_from IS NOT DISTINCT FROM $2")
                .bind(unit.code.as_str())
                .bind(unit.valid_from),
        )
        .await?;
    Ok(id)
}

/// The unit's successors, each with its succession, in Vietnamese order.
pub async fn successors(ex: &impl Exec, unit: &AdminUnit) -> Result<Vec<Link>, DbError> {
    let id = id_of(ex, unit).await?;
    Ok(links(ex, Direction::Forward, &[id]).await?.into_iter().map(|(_, _, link)| link).collect())
}

/// The unit's predecessors, each with its succession, in Vietnamese order.
pub async fn predecessors(ex: &impl Exec, unit: &AdminUnit) -> Result<Vec<Link>, DbError> {
    let id = id_of(ex, unit).await?;
    Ok(links(ex, Direction::Backward, &[id]).await?.into_iter().map(|(_, _, link)| link).collect())
}

/// Which way a succession is followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// From the old unit to the new one.
    Forward,
    /// From the new unit to the old one.
    Backward,
}

/// The successions leaving (forward) or reaching (backward) the units `ids`, each as (the id it was found
/// from, the id at the other end, the link with the unit at the other end), in Vietnamese order.
async fn links(ex: &impl Exec, direction: Direction, ids: &[i64]) -> Result<Vec<(i64, i64, Link)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (by, other) = match direction {
        Direction::Forward => ("s.from_id", "s.to_id"),
        Direction::Backward => ("s.to_id", "s.from_id"),
    };
    let mut q = Query::new(format!(
        "SELECT {by} AS key_id, {SUCCESSION_COLUMNS}, {} \
         FROM admin_unit_successions s \
         JOIN admin_units f ON f.id = s.from_id JOIN admin_units t ON t.id = s.to_id \
         JOIN admin_units u ON u.id = {other} WHERE {by} IN (",
        rows::prefixed_unit_columns("u")
    ));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(") ORDER BY u.sort_key, u.code");
    ex.fetch_all::<LinkRow>(q).await?.into_iter().map(LinkRow::into_link).collect()
}

/// The succession columns a [`LinkRow`] reads, from `s` joined with its old (`f`) and new (`t`) units.
const SUCCESSION_COLUMNS: &str = "f.code AS from_code, t.code AS to_code, s.kind AS succession_kind, \
     s.effective, s.is_default, s.share, s.legal_basis AS succession_basis";

/// The part of the succession graph a lineage question needs, fetched from the database.
#[derive(Default)]
struct Subgraph {
    units: HashMap<i64, AdminUnit>,
    successors: HashMap<i64, Vec<(i64, bool)>>,
    predecessors: HashMap<i64, Vec<(i64, SuccessionKind)>>,
    children: HashMap<i64, Vec<i64>>,
}

impl LineageGraph for Subgraph {
    type Key = i64;

    fn validity(&self, unit: i64) -> Validity {
        self.units[&unit].validity()
    }

    fn level(&self, unit: i64) -> UnitLevel {
        self.units[&unit].level()
    }

    fn successors(&self, unit: i64) -> Vec<(i64, bool)> {
        self.successors.get(&unit).cloned().unwrap_or_default()
    }

    fn predecessors(&self, unit: i64) -> Vec<(i64, SuccessionKind)> {
        self.predecessors.get(&unit).cloned().unwrap_or_default()
    }

    fn children(&self, unit: i64) -> Vec<i64> {
        self.children.get(&unit).cloned().unwrap_or_default()
    }
}

/// Loads the row of `unit` and, following successions forward (or backward), every unit reachable from it
/// and from its children.
async fn subgraph(ex: &impl Exec, unit: &AdminUnit, forward: bool) -> Result<(i64, Subgraph), DbError> {
    let start = id_of(ex, unit).await?;
    let graph = subgraph_of(ex, vec![(start, unit.clone())], forward).await?;
    Ok((start, graph))
}

/// The part of the succession graph reachable from several units at once (row id and unit): one walk,
/// with a query per step of the walk rather than per unit. Forward, a district's communes are walked too.
async fn subgraph_of(ex: &impl Exec, starts: Vec<(i64, AdminUnit)>, forward: bool) -> Result<Subgraph, DbError> {
    let mut graph = Subgraph::default();
    let mut frontier = Vec::with_capacity(starts.len());
    let mut districts = Vec::new();
    for (id, unit) in starts {
        if forward && unit.level() == UnitLevel::District {
            districts.push(id);
        }
        frontier.push(id);
        graph.units.insert(id, unit);
    }
    if !districts.is_empty() {
        let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE parent_id IN ("));
        for (i, id) in districts.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(*id);
        }
        q.push(") ORDER BY id");
        for row in ex.fetch_all::<UnitRow>(q).await? {
            let (id, parent) = (row.id, row.parent_id);
            if let Some(parent) = parent {
                graph.children.entry(parent).or_default().push(id);
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = graph.units.entry(id) {
                slot.insert(row.into_unit()?);
                frontier.push(id);
            }
        }
        for id in districts {
            graph.children.entry(id).or_default();
        }
    }
    let direction = if forward { Direction::Forward } else { Direction::Backward };
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for (key, other, link) in links(ex, direction, &frontier).await? {
            if forward {
                graph.successors.entry(key).or_default().push((other, link.succession.is_default));
            } else {
                graph.predecessors.entry(key).or_default().push((other, link.succession.kind));
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = graph.units.entry(other) {
                slot.insert(link.unit);
                next.push(other);
            }
        }
        frontier = next;
    }
    Ok(graph)
}

/// For several units given by row id, the unit each had become by default on `day` (see
/// [`current_units`]): one walk of the succession graph for all of them. A unit not found, or with no
/// default successor, maps to `None`.
pub async fn current_defaults(
    ex: &impl Exec,
    ids: &[i64],
    day: NaiveDate,
) -> Result<HashMap<i64, Option<AdminUnit>>, DbError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE id IN ("));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(")");
    let mut starts = Vec::new();
    for row in ex.fetch_all::<UnitRow>(q).await? {
        let id = row.id;
        starts.push((id, row.into_unit()?));
    }
    let found: Vec<i64> = starts.iter().map(|(id, _)| *id).collect();
    let graph = subgraph_of(ex, starts, true).await?;
    Ok(ids
        .iter()
        .map(|id| {
            let default = found
                .contains(id)
                .then(|| lineage::successors_on(&graph, *id, day).default.map(|d| graph.units[&d].clone()))
                .flatten();
            (*id, default)
        })
        .collect())
}

fn sorted(mut units: Vec<AdminUnit>) -> Vec<AdminUnit> {
    units.sort_by_cached_key(|u| (tiendo_core::text::sort_key(&u.name), u.kind.as_str(), u.code.clone()));
    units
}

/// What `unit` had become on `day` ("what is this old unit today"): itself while in force; otherwise the
/// units it went to, following successions (and, for a district, its communes).
pub async fn current_units(ex: &impl Exec, unit: &AdminUnit, day: NaiveDate) -> Result<CurrentUnits, DbError> {
    let (start, graph) = subgraph(ex, unit, true).await?;
    let found = lineage::successors_on(&graph, start, day);
    Ok(CurrentUnits {
        default: found.default.map(|id| graph.units[&id].clone()),
        all: sorted(found.all.iter().map(|id| graph.units[id].clone()).collect()),
        via_children: found.via_children,
    })
}

/// The units in force on `day` (earlier) that `unit` came from ("what did this unit come from").
pub async fn origins(ex: &impl Exec, unit: &AdminUnit, day: NaiveDate) -> Result<Vec<Origin>, DbError> {
    let (start, graph) = subgraph(ex, unit, false).await?;
    let mut found: Vec<Origin> = lineage::origins_on(&graph, start, day)
        .into_iter()
        .map(|o| Origin { unit: graph.units[&o.unit].clone(), whole: o.whole })
        .collect();
    found.sort_by_cached_key(|o| (tiendo_core::text::sort_key(&o.unit.name), o.unit.code.clone()));
    Ok(found)
}

/// The units in force on `day` as a tree: provinces, then (before 1/7/2025) districts, then communes, each
/// level in Vietnamese order. With `province`, only that province's tree.
pub async fn tree(ex: &impl Exec, day: NaiveDate, province: Option<&AdminUnitCode>) -> Result<Vec<TreeNode>, DbError> {
    let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE "));
    in_force(&mut q, "", day);
    if let Some(p) = province {
        q.push(" AND province_code = ").push_bind(p.as_str());
    }
    q.push(" ORDER BY sort_key, kind, code");
    let rows = ex.fetch_all::<UnitRow>(q).await?;
    let mut children: HashMap<Option<i64>, Vec<(i64, AdminUnit)>> = HashMap::new();
    for row in rows {
        let (id, parent) = (row.id, row.parent_id);
        children.entry(parent).or_default().push((id, row.into_unit()?));
    }
    fn build(id: i64, unit: AdminUnit, children: &mut HashMap<Option<i64>, Vec<(i64, AdminUnit)>>) -> TreeNode {
        let kids = children.remove(&Some(id)).unwrap_or_default();
        TreeNode { unit, children: kids.into_iter().map(|(k, u)| build(k, u, children)).collect() }
    }
    let roots = children.remove(&None).unwrap_or_default();
    Ok(roots
        .into_iter()
        .filter(|(_, u)| u.level() == UnitLevel::Province)
        .map(|(id, u)| build(id, u, &mut children))
        .collect())
}

/// Every unit and succession, indexed in memory: the input of address resolution
/// (`tiendo_core::geo::address::AddressIndex`). Load it once at start-up and after recording a change.
pub async fn load_gazetteer(ex: &impl Exec) -> Result<Gazetteer, DbError> {
    // Read as one JSON value on SQLite: 14,000 rows fetched one by one leave tens of megabytes of small
    // allocations behind in the allocator's arenas (issue 15's memory budget, `benches/search.sh`).
    let mut units: Vec<UnitRow> = json::fetch_many(ex, UNIT_COLUMNS, |q| {
        q.push(" FROM admin_units");
    })
    .await?;
    units.sort_unstable_by_key(|u| u.id);
    let units = rows::units(units)?;
    let mut successions: Vec<SuccessionRow> = json::fetch_many(ex, rows::SUCCESSION_ROW_COLUMNS, |q| {
        q.push(
            " FROM admin_unit_successions s JOIN admin_units f ON f.id = s.from_id \
             JOIN admin_units t ON t.id = s.to_id",
        );
    })
    .await?;
    successions.sort_unstable_by_key(|s| s.id);
    let successions = successions.into_iter().map(SuccessionRow::into_succession).collect::<Result<Vec<_>, _>>()?;
    Gazetteer::new(units, successions).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// What the map tables hold, in three counts (units, units that ended, successions): recording a change
/// always changes one of them, so a copy of the map built from the database (the address index) is stale
/// when its stamp differs.
pub async fn map_stamp(ex: &impl Exec) -> Result<(i64, i64, i64), DbError> {
    ex.fetch_one(Query::new(
        "SELECT (SELECT COUNT(*) FROM admin_units), (SELECT COUNT(valid_to) FROM admin_units), \
         (SELECT COUNT(*) FROM admin_unit_successions)",
    ))
    .await
}

/// The address resolver over every unit and succession in the database. Build it at start-up and again
/// after a change is recorded; it answers without touching the database.
pub async fn load_address_index(ex: &impl Exec) -> Result<AddressIndex, DbError> {
    Ok(AddressIndex::new(load_gazetteer(ex).await?))
}
