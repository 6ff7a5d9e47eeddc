//! Rows of `admin_units` and `admin_unit_successions`, and their conversion to core types.

use chrono::NaiveDate;
use tiendo_core::geo::{AdminUnit, AdminUnitCode, Succession};

use super::Link;
use crate::error::DbError;
use crate::json;
use crate::query::Query;

/// The columns a [`UnitRow`] reads, unqualified.
pub(crate) const UNIT_COLUMNS: &str = "id, code, kind, name, parent_id, parent_code, valid_from, valid_to, legal_basis";

/// The columns a [`UnitRow`] reads, qualified by a table alias.
pub(crate) fn prefixed_unit_columns(alias: &str) -> String {
    UNIT_COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Appends "the unit (alias `alias`, or none) is in force on `day`".
pub(crate) fn in_force(q: &mut Query, alias: &str, day: NaiveDate) {
    let col = |c: &str| {
        if alias.is_empty() { c.to_owned() } else { format!("{alias}.{c}") }
    };
    q.push(&format!("({} IS NULL OR {} <= ", col("valid_from"), col("valid_from")))
        .push_bind(day)
        .push(&format!(") AND ({} IS NULL OR {} > ", col("valid_to"), col("valid_to")))
        .push_bind(day)
        .push(")");
}

fn code(raw: &str) -> Result<AdminUnitCode, DbError> {
    AdminUnitCode::parse(raw).map_err(|e| DbError::Corrupt(format!("unit code {raw:?}: {e}")))
}

/// Also read as a JSON array in [`UNIT_COLUMNS`] order (the whole map, read at once for the address index).
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct UnitRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    #[serde(deserialize_with = "json::optional_date")]
    pub valid_from: Option<NaiveDate>,
    #[serde(deserialize_with = "json::optional_date")]
    pub valid_to: Option<NaiveDate>,
    pub legal_basis: Option<String>,
}

impl UnitRow {
    pub fn into_unit(self) -> Result<AdminUnit, DbError> {
        Ok(AdminUnit {
            code: code(&self.code)?,
            kind: self.kind.parse().map_err(|e| DbError::Corrupt(format!("unit kind: {e}")))?,
            name: self.name,
            parent_code: self.parent_code.as_deref().map(code).transpose()?,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            legal_basis: self.legal_basis,
        })
    }
}

pub(crate) fn units(rows: Vec<UnitRow>) -> Result<Vec<AdminUnit>, DbError> {
    rows.into_iter().map(UnitRow::into_unit).collect()
}

/// The columns a [`SuccessionRow`] reads, from `s` joined with its old (`f`) and new (`t`) units.
pub(crate) const SUCCESSION_ROW_COLUMNS: &str = "s.id, f.code AS from_code, t.code AS to_code, s.kind AS succession_kind, \
     s.effective, s.is_default, s.share, s.legal_basis AS succession_basis";

/// A succession alone (the whole map, read at once for the address index), also read as a JSON array in
/// [`SUCCESSION_ROW_COLUMNS`] order.
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct SuccessionRow {
    pub id: i64,
    pub from_code: String,
    pub to_code: String,
    pub succession_kind: String,
    #[serde(deserialize_with = "json::date")]
    pub effective: NaiveDate,
    #[serde(deserialize_with = "json::boolean")]
    pub is_default: bool,
    pub share: Option<f64>,
    pub succession_basis: Option<String>,
}

impl SuccessionRow {
    pub fn into_succession(self) -> Result<Succession, DbError> {
        Ok(Succession {
            from_code: code(&self.from_code)?,
            to_code: code(&self.to_code)?,
            effective: self.effective,
            kind: self.succession_kind.parse().map_err(|e| DbError::Corrupt(format!("succession kind: {e}")))?,
            is_default: self.is_default,
            share: self.share,
            legal_basis: self.succession_basis,
        })
    }
}

/// A succession joined with the unit at one end (`u`), keyed by the id at the other end.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LinkRow {
    pub key_id: i64,
    pub from_code: String,
    pub to_code: String,
    pub succession_kind: String,
    pub effective: NaiveDate,
    pub is_default: bool,
    pub share: Option<f64>,
    pub succession_basis: Option<String>,
    #[sqlx(flatten)]
    pub unit: UnitRow,
}

impl LinkRow {
    pub fn succession(&self) -> Result<Succession, DbError> {
        Ok(Succession {
            from_code: code(&self.from_code)?,
            to_code: code(&self.to_code)?,
            effective: self.effective,
            kind: self.succession_kind.parse().map_err(|e| DbError::Corrupt(format!("succession kind: {e}")))?,
            is_default: self.is_default,
            share: self.share,
            legal_basis: self.succession_basis.clone(),
        })
    }

    /// (the key id, the other unit's id, the link).
    pub fn into_link(self) -> Result<(i64, i64, Link), DbError> {
        let succession = self.succession()?;
        let other = self.unit.id;
        Ok((self.key_id, other, Link { succession, unit: self.unit.into_unit()? }))
    }
}
