//! The places a record's administrative unit stands for: the unit and the units above it as they were
//! when the record was written, and the units it has become on today's map, with theirs. A record about
//! "xã Hoàng Tân, thị xã Quảng Yên" is then found by "phường Hà An" and by "Quảng Yên" alike.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use tiendo_core::geo::{AdminUnit, AdminUnitCode};

use crate::error::DbError;
use crate::geo::rows::{UNIT_COLUMNS, UnitRow, in_force};
use crate::query::{Exec, Query};

/// The codes and full names a unit stands for, on the historical and on today's map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitPlaces {
    /// Codes of the unit, the units above it, its successors in force today and theirs.
    pub codes: Vec<AdminUnitCode>,
    /// Their full names ("Xã Hoàng Tân", "Thị xã Quảng Yên", "Phường Hà An", "Tỉnh Quảng Ninh").
    pub names: Vec<String>,
}

async fn row(ex: &impl Exec, id: i64) -> Result<Option<UnitRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE id = $1")).bind(id)).await
}

/// The unit with this id and the units above it, nearest first.
async fn with_ancestors(ex: &impl Exec, id: i64) -> Result<Vec<AdminUnit>, DbError> {
    let mut out = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next.take() {
        let Some(found) = row(ex, id).await? else { break };
        next = found.parent_id;
        out.push(found.into_unit()?);
        if out.len() > 5 {
            break;
        }
    }
    Ok(out)
}

/// The id of the unit with `code` in force on `day`.
pub async fn unit_id_on(ex: &impl Exec, code: &str, day: NaiveDate) -> Result<Option<i64>, DbError> {
    let mut q = Query::new("SELECT id FROM admin_units WHERE code = ");
    q.push_bind(code.to_owned()).push(" AND ");
    in_force(&mut q, "", day);
    q.push(" ORDER BY id LIMIT 1");
    let found: Option<(i64,)> = ex.fetch_optional(q).await?;
    Ok(found.map(|(id,)| id))
}

/// What the unit `unit_id` stands for on `today`'s map and on its own.
pub async fn unit_places(ex: &impl Exec, unit_id: i64, today: NaiveDate) -> Result<UnitPlaces, DbError> {
    let own = with_ancestors(ex, unit_id).await?;
    let Some(unit) = own.first().cloned() else {
        return Ok(UnitPlaces::default());
    };
    let mut units = own;
    if !unit.in_force_on(today) {
        for current in crate::geo::current_units(ex, &unit, today).await?.all {
            if let Some(id) = unit_id_on(ex, current.code.as_str(), today).await? {
                units.extend(with_ancestors(ex, id).await?);
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut places = UnitPlaces::default();
    for u in units {
        let name = u.full_name();
        if seen.insert((u.code.clone(), name.clone())) {
            if !places.codes.contains(&u.code) {
                places.codes.push(u.code.clone());
            }
            if !places.names.contains(&name) {
                places.names.push(name);
            }
        }
    }
    Ok(places)
}

/// The full names of units by code, each as its latest version names it (for the unit facet).
pub async fn unit_names(ex: &impl Exec, codes: &[String]) -> Result<Vec<(String, String)>, DbError> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE code IN ("));
    for (i, code) in codes.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(code.clone());
    }
    q.push(")");
    let rows: Vec<UnitRow> = ex.fetch_all(q).await?;
    // The version in force, else the one that ended last.
    let mut latest: std::collections::BTreeMap<String, AdminUnit> = std::collections::BTreeMap::new();
    for r in rows {
        let unit = r.into_unit()?;
        let later = |u: &AdminUnit| (u.valid_to.is_none(), u.valid_to);
        match latest.get(unit.code.as_str()) {
            Some(kept) if later(kept) >= later(&unit) => {}
            _ => {
                latest.insert(unit.code.as_str().to_owned(), unit);
            }
        }
    }
    Ok(latest.into_iter().map(|(code, unit)| (code, unit.full_name())).collect())
}
