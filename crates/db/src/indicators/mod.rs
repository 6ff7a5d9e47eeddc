//! Storage of indicators (issue 19): the catalogue (`kpi_indicators`), the figures typed for typed
//! indicators (`kpi_figures`), and the yearly values of module records ([`sources`]). Computed figures are
//! not stored: they are read from the report aggregates (kept up to date in the approving transaction) and
//! from the modules' tables when a page asks, so a figure moves with the change that moves it.

pub mod sources;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// An indicator of the catalogue as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IndicatorRow {
    /// Row id.
    pub id: i64,
    /// The code (`NQ57.RD_GRDP`).
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name (empty when not given).
    pub name_en: String,
    /// The unit of the figures (`%`, `doanh nghiệp`).
    pub unit: String,
    /// `higher` or `lower`.
    pub direction: String,
    /// `yearly`, `half_yearly`, `quarterly` or `monthly`.
    pub periodicity: String,
    /// `province` or `commune`.
    pub level: String,
    /// `strategic` or `operational`.
    pub layer: String,
    /// The parent in the tree.
    pub parent_id: Option<i64>,
    /// `typed` or `formula`.
    pub kind: String,
    /// The numerator of a formula, as written.
    pub numerator: Option<String>,
    /// The denominator of a formula, as written.
    pub denominator: Option<String>,
    /// The factor of a formula.
    pub factor: f64,
    /// `total` or `average`.
    pub over_units: String,
    /// The first year with figures.
    pub first_year: Option<i64>,
    /// The last year with figures.
    pub last_year: Option<i64>,
    /// A note on the definition (the official wording, the source document).
    pub note: Option<String>,
    /// The order among siblings.
    pub sort_order: i64,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An indicator to store (already validated).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorInput {
    /// The code.
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name.
    pub name_en: String,
    /// The unit.
    pub unit: String,
    /// `higher` or `lower`.
    pub direction: &'static str,
    /// The periodicity's code.
    pub periodicity: &'static str,
    /// The level's code.
    pub level: &'static str,
    /// The layer's code.
    pub layer: &'static str,
    /// The parent.
    pub parent_id: Option<i64>,
    /// `typed` or `formula`.
    pub kind: &'static str,
    /// The numerator as normalised.
    pub numerator: Option<String>,
    /// The denominator as normalised.
    pub denominator: Option<String>,
    /// The factor.
    pub factor: f64,
    /// `total` or `average`.
    pub over_units: &'static str,
    /// The first year with figures.
    pub first_year: Option<i64>,
    /// The last year.
    pub last_year: Option<i64>,
    /// A note.
    pub note: Option<String>,
    /// The order among siblings.
    pub sort_order: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

const COLUMNS: &str = "id, code, name, name_en, unit, direction, periodicity, level, layer, parent_id, kind, \
     numerator, denominator, factor, over_units, first_year, last_year, note, sort_order, is_sample, updated_at";

/// The whole catalogue, in sibling order then by code (the tree is built by the caller).
pub async fn list(ex: &impl Exec) -> Result<Vec<IndicatorRow>, DbError> {
    ex.fetch_all(Query::new(format!("SELECT {COLUMNS} FROM kpi_indicators ORDER BY sort_order, code, id"))).await
}

/// One indicator.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<IndicatorRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM kpi_indicators WHERE id = $1")).bind(id)).await
}

/// The indicator of a code.
pub async fn by_code(ex: &impl Exec, code: &str) -> Result<Option<IndicatorRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM kpi_indicators WHERE code = $1")).bind(code)).await
}

/// Every indicator's parent, for the cycle check.
pub async fn parents(ex: &impl Exec) -> Result<HashMap<i64, Option<i64>>, DbError> {
    let rows: Vec<(i64, Option<i64>)> = ex.fetch_all(Query::new("SELECT id, parent_id FROM kpi_indicators")).await?;
    Ok(rows.into_iter().collect())
}

fn bind_input(q: Query, i: &IndicatorInput) -> Query {
    q.bind(i.code.as_str())
        .bind(i.name.as_str())
        .bind(i.name_en.as_str())
        .bind(i.unit.as_str())
        .bind(i.direction)
        .bind(i.periodicity)
        .bind(i.level)
        .bind(i.layer)
        .bind(i.parent_id)
        .bind(i.kind)
        .bind(i.numerator.clone())
        .bind(i.denominator.clone())
        .bind(i.factor)
        .bind(i.over_units)
        .bind(i.first_year)
        .bind(i.last_year)
        .bind(i.note.clone())
        .bind(i.sort_order)
}

/// Stores a new indicator; its id.
pub async fn create(ex: &impl Exec, input: &IndicatorInput, now: DateTime<Utc>) -> Result<i64, DbError> {
    let q = Query::new(
        "INSERT INTO kpi_indicators (code, name, name_en, unit, direction, periodicity, level, layer, parent_id, kind, \
         numerator, denominator, factor, over_units, first_year, last_year, note, sort_order, is_sample, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $20) RETURNING id",
    );
    let (id,): (i64,) = ex.fetch_one(bind_input(q, input).bind(input.is_sample).bind(now)).await?;
    Ok(id)
}

/// Replaces an indicator's fields (its demo mark stays).
pub async fn update(ex: &impl Exec, id: i64, input: &IndicatorInput, now: DateTime<Utc>) -> Result<(), DbError> {
    let q = Query::new(
        "UPDATE kpi_indicators SET code = $1, name = $2, name_en = $3, unit = $4, direction = $5, periodicity = $6, \
         level = $7, layer = $8, parent_id = $9, kind = $10, numerator = $11, denominator = $12, factor = $13, \
         over_units = $14, first_year = $15, last_year = $16, note = $17, sort_order = $18, updated_at = $19 \
         WHERE id = $20",
    );
    ex.execute(bind_input(q, input).bind(now).bind(id)).await?;
    Ok(())
}

/// Gives an indicator its code (a target's own indicator, once the target has its id).
pub async fn set_code(ex: &impl Exec, id: i64, code: &str) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE kpi_indicators SET code = $1 WHERE id = $2").bind(code).bind(id)).await?;
    Ok(())
}

/// What keeps an indicator from being deleted: (children, targets referring to it).
pub async fn uses(ex: &impl Exec, id: i64) -> Result<(i64, i64), DbError> {
    let (children,): (i64,) =
        ex.fetch_one(Query::new("SELECT COUNT(*) FROM kpi_indicators WHERE parent_id = $1").bind(id)).await?;
    let (targets,): (i64,) =
        ex.fetch_one(Query::new("SELECT COUNT(*) FROM targets WHERE indicator_id = $1").bind(id)).await?;
    Ok((children, targets))
}

/// Deletes an indicator (its typed figures with it).
pub async fn delete(ex: &impl Exec, id: i64) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM kpi_figures WHERE indicator_id = $1").bind(id)).await?;
    ex.execute(Query::new("DELETE FROM kpi_indicators WHERE id = $1").bind(id)).await?;
    Ok(())
}

/// A typed figure.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FigureRow {
    /// The indicator.
    pub indicator_id: i64,
    /// The unit (`''` for the province).
    pub unit_code: String,
    /// The year.
    pub year: i64,
    /// The figure.
    pub value: f64,
    /// Where it comes from, as typed.
    pub source: Option<String>,
    /// Who typed it (the account).
    pub recorded_by: Option<i64>,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// Records a typed figure, replacing the one of the same year and unit; the one it replaced.
pub async fn set_figure(ex: &impl Exec, figure: &FigureRow) -> Result<Option<f64>, DbError> {
    let before: Option<(f64,)> = ex
        .fetch_optional(
            Query::new("SELECT value FROM kpi_figures WHERE indicator_id = $1 AND unit_code = $2 AND year = $3")
                .bind(figure.indicator_id)
                .bind(figure.unit_code.as_str())
                .bind(figure.year),
        )
        .await?;
    ex.execute(
        Query::new(
            "INSERT INTO kpi_figures (indicator_id, unit_code, year, value, source, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (indicator_id, unit_code, year) DO UPDATE SET \
             value = excluded.value, source = excluded.source, recorded_by = excluded.recorded_by, \
             recorded_at = excluded.recorded_at",
        )
        .bind(figure.indicator_id)
        .bind(figure.unit_code.as_str())
        .bind(figure.year)
        .bind(figure.value)
        .bind(figure.source.clone())
        .bind(figure.recorded_by)
        .bind(figure.recorded_at),
    )
    .await?;
    Ok(before.map(|(v,)| v))
}

/// The typed figures of some indicators for one unit (`''`: the province) over a range of years.
pub async fn figures(
    ex: &impl Exec,
    indicator_ids: &[i64],
    unit_code: &str,
    years: (i64, i64),
) -> Result<Vec<FigureRow>, DbError> {
    if indicator_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT indicator_id, unit_code, year, value, source, recorded_by, recorded_at FROM kpi_figures \
         WHERE unit_code = ",
    );
    q.push_bind(unit_code).push(" AND year >= ").push_bind(years.0).push(" AND year <= ").push_bind(years.1);
    q.push(" AND indicator_id IN (");
    crate::monitoring::push_ids(&mut q, indicator_ids);
    q.push(") ORDER BY indicator_id, year");
    ex.fetch_all(q).await
}

/// The codes of the report fields a formula may name: the report indicators that template fields report
/// into.
pub async fn report_field_codes(ex: &impl Exec) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = ex.fetch_all(Query::new("SELECT code FROM indicators ORDER BY code")).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// A target of a plan that refers to an indicator, for the indicator's page and the scorecard.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TargetRef {
    /// The target.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// The plan's title.
    pub plan_title: String,
    /// The indicator.
    pub indicator_id: i64,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// Target value.
    pub target_value: f64,
    /// Target year.
    pub target_year: i64,
}

/// The targets referring to indicators, the latest target year first for each indicator.
pub async fn targets(ex: &impl Exec) -> Result<Vec<TargetRef>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT t.id, t.plan_id, p.title AS plan_title, t.indicator_id, t.baseline_value, t.baseline_year, \
         t.target_value, t.target_year FROM targets t JOIN plans p ON p.id = t.plan_id \
         WHERE t.indicator_id IS NOT NULL ORDER BY t.indicator_id, t.target_year DESC, t.id",
    ))
    .await
}

/// The units with approved reports in a province on a map (the scorecard's unit filter): on the map of the
/// time the units that reported, on today's map the units their reports count for.
pub async fn units_with_reports(
    ex: &impl Exec,
    map: crate::reporting::aggregates::Map,
    province: &str,
) -> Result<Vec<String>, DbError> {
    let sql = match map {
        crate::reporting::aggregates::Map::Reported => {
            "SELECT DISTINCT unit_code FROM reports WHERE status = 'approved' AND province_code = $1 \
             AND unit_code IS NOT NULL ORDER BY unit_code"
        }
        crate::reporting::aggregates::Map::Current => {
            "SELECT DISTINCT a.unit_code FROM report_attributions a WHERE a.province_code = $1 ORDER BY a.unit_code"
        }
    };
    let rows: Vec<(String,)> = ex.fetch_all(Query::new(sql).bind(province)).await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Whether a province has report cells on a map (one index seek: the scorecard's province is found without
/// listing every province's cells).
pub async fn province_has_cells(
    ex: &impl Exec,
    map: crate::reporting::aggregates::Map,
    province: &str,
) -> Result<bool, DbError> {
    let found: Option<(i64,)> = ex
        .fetch_optional(
            Query::new(
                "SELECT CAST(1 AS BIGINT) FROM report_aggregates WHERE map = $1 AND level = 'province' AND province_code = $2 LIMIT 1",
            )
            .bind(map.code())
            .bind(province),
        )
        .await?;
    Ok(found.is_some())
}
