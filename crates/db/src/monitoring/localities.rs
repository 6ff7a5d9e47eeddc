//! Where organisations are, for the figures by locality: each organisation with the administrative unit it
//! counts under on today's map or on the map before 1/7/2025. Read in one query, with the successors of
//! old units found in one walk of the succession graph ([`crate::geo::current_defaults`]), not per
//! organisation.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// An organisation and the code of the unit it counts under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedOrganization {
    /// The organisation.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The unit's code on the chosen map.
    pub unit_code: String,
}

/// An organisation with its unit: id, name, the unit's row id, code, parent's code and end.
type Row = (i64, String, i64, String, Option<String>, Option<NaiveDate>);

/// The organisations located in a unit, by organisation id, each with the code of the unit it counts
/// under. On the old map (`old_map`) an organisation counts under its district: the parent of the old
/// commune it is located in (organisations located in a unit still in force are left out). On the new map,
/// one located in a unit that ended by `on` counts under that unit's default successor on `on` (left out
/// when there is none).
pub async fn located_organizations(
    ex: &impl Exec,
    old_map: bool,
    on: NaiveDate,
) -> Result<Vec<LocatedOrganization>, DbError> {
    let rows: Vec<Row> = ex
        .fetch_all(Query::new(
            "SELECT o.id, o.name, u.id, u.code, u.parent_code, u.valid_to FROM organizations o \
             JOIN admin_units u ON u.id = o.admin_unit_id ORDER BY o.id",
        ))
        .await?;
    let ended: Vec<i64> = if old_map {
        Vec::new()
    } else {
        let mut ids: Vec<i64> = rows.iter().filter(|r| r.5.is_some_and(|to| to <= on)).map(|r| r.2).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let successors: HashMap<i64, Option<tiendo_core::geo::AdminUnit>> =
        crate::geo::current_defaults(ex, &ended, on).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, unit_id, code, parent, valid_to) in rows {
        let unit_code = if old_map {
            // The old map's district: the unit's parent when the unit is an old commune.
            if valid_to.is_some() { parent.unwrap_or(code) } else { continue }
        } else if valid_to.is_some_and(|t| t <= on) {
            match successors.get(&unit_id).cloned().flatten() {
                Some(unit) => unit.code.as_str().to_owned(),
                None => continue,
            }
        } else {
            code
        };
        out.push(LocatedOrganization { id, name, unit_code });
    }
    Ok(out)
}
