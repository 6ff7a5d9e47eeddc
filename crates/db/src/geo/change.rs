//! Recording a change of the map (a later reform), validated by the rules of `tiendo_core::geo::change`,
//! in one transaction.

use std::collections::BTreeSet;

use tiendo_core::geo::change::validate_change;
use tiendo_core::geo::{AdminUnit, ChangeError, MapChange, PlannedChange};
use tiendo_core::text::{fold, sort_key};

use super::rows::{self, UNIT_COLUMNS, UnitRow, in_force};
use crate::error::DbError;
use crate::pool::{Db, Tx};
use crate::query::{Exec, Query};

/// Why a change was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The change breaks rules of the history; nothing was written.
    #[error("the change is not consistent with the recorded units: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ChangeError>),
    /// Another change touched the same units at the same time; nothing was written.
    #[error("another change of the same units was recorded meanwhile; reload and try again")]
    Conflict,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

fn push_list<'a>(q: &mut Query, codes: impl IntoIterator<Item = &'a str>) {
    q.push("(");
    for (i, code) in codes.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(code);
    }
    q.push(")");
}

/// Records a change of the map: the units that end get `valid_to = effective`, the new units and the
/// successions are inserted. Everything is validated first (see
/// [`tiendo_core::geo::change::validate_change`]); on any error nothing is written. Returns what was stored.
pub async fn record_change(db: &Db, change: &MapChange) -> Result<PlannedChange, GeoError> {
    let tx = db.begin().await?;
    let plan = record_change_in(&tx, change).await?;
    tx.commit().await?;
    Ok(plan)
}

/// [`record_change`] inside a transaction the caller commits (with its audit event). On an error nothing
/// of the change is written, but the caller must drop the transaction.
pub async fn record_change_in(tx: &Tx, change: &MapChange) -> Result<PlannedChange, GeoError> {
    let effective = change.effective;
    let day_before = effective.pred_opt().unwrap_or(effective);

    // Every unit the rules need: all periods of the codes concerned, and the children in force of the
    // units that end.
    let mut codes: BTreeSet<&str> = change.ending.iter().map(|c| c.as_str()).collect();
    for unit in &change.starting {
        codes.insert(unit.code.as_str());
        if let Some(parent) = &unit.parent_code {
            codes.insert(parent.as_str());
        }
    }
    let mut existing: Vec<AdminUnit> = Vec::new();
    if !codes.is_empty() {
        let mut q = Query::new(format!("SELECT {UNIT_COLUMNS} FROM admin_units WHERE code IN "));
        push_list(&mut q, codes.iter().copied());
        existing.extend(rows::units(tx.fetch_all::<UnitRow>(q).await?)?);
    }
    if !change.ending.is_empty() {
        let mut q = Query::new(format!(
            "SELECT {} FROM admin_units c JOIN admin_units p ON p.id = c.parent_id WHERE p.code IN ",
            rows::prefixed_unit_columns("c")
        ));
        push_list(&mut q, change.ending.iter().map(|c| c.as_str()));
        q.push(" AND ");
        in_force(&mut q, "p", day_before);
        q.push(" AND ");
        in_force(&mut q, "c", effective);
        existing.extend(rows::units(tx.fetch_all::<UnitRow>(q).await?)?);
    }

    let plan = validate_change(change, &existing).map_err(GeoError::Invalid)?;

    for unit in &plan.ending {
        let changed = tx
            .execute(
                Query::new(
                    "UPDATE admin_units SET valid_to = $1 WHERE code = $2 AND valid_to IS NULL \
                     AND valid_from IS NOT DISTINCT FROM $3",
                )
                .bind(effective)
                .bind(unit.code.as_str())
                .bind(unit.valid_from),
            )
            .await?;
        if changed != 1 {
            return Err(GeoError::Conflict);
        }
    }

    // Parents first: a new commune may belong to a new province of the same change.
    let mut starting: Vec<&AdminUnit> = plan.starting.iter().collect();
    starting.sort_by_key(|u| u.level());
    for unit in starting {
        let parent: Option<(i64, String)> = match &unit.parent_code {
            None => None,
            Some(code) => {
                let mut q = Query::new("SELECT id, province_code FROM admin_units WHERE code = ");
                q.push_bind(code.as_str()).push(" AND ");
                in_force(&mut q, "", effective);
                Some(tx.fetch_one(q).await?)
            }
        };
        let full_name = unit.full_name();
        let province_code = parent.as_ref().map_or_else(|| unit.code.as_str().to_owned(), |(_, p)| p.clone());
        tx.execute(
            Query::new(
                "INSERT INTO admin_units (code, level, kind, name, full_name, name_folded, sort_key, parent_id, \
                 parent_code, province_code, valid_from, valid_to, legal_basis) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(unit.code.as_str())
            .bind(unit.level().as_str())
            .bind(unit.kind.as_str())
            .bind(unit.name.as_str())
            .bind(fold(&full_name))
            .bind(full_name)
            .bind(sort_key(&unit.name))
            .bind(parent.as_ref().map(|(id, _)| *id))
            .bind(unit.parent_code.as_ref().map(|c| c.as_str()))
            .bind(province_code)
            .bind(unit.valid_from)
            .bind(unit.valid_to)
            .bind(unit.legal_basis.as_deref()),
        )
        .await
        .map_err(|e| match e {
            DbError::UniqueViolation { .. } => GeoError::Conflict,
            other => GeoError::Db(other),
        })?;
    }

    for s in &plan.successions {
        tx.execute(
            Query::new(
                "INSERT INTO admin_unit_successions (from_id, to_id, kind, effective, is_default, share, legal_basis) \
                 SELECT f.id, t.id, $3, $4, $5, $6, $7 FROM admin_units f, admin_units t \
                 WHERE f.code = $1 AND f.valid_to = $4 AND t.code = $2 AND t.valid_from = $4",
            )
            .bind(s.from_code.as_str())
            .bind(s.to_code.as_str())
            .bind(s.kind.as_str())
            .bind(s.effective)
            .bind(s.is_default)
            .bind(s.share)
            .bind(s.legal_basis.as_deref()),
        )
        .await?;
    }
    Ok(plan)
}
