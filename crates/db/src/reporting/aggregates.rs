//! The aggregates of approved reports: for every indicator, unit (and province) and reported period, the
//! running sum and count of the values, on the map of the time (`reported`) and on today's map
//! (`current`). Approving a report adds its values in the approving transaction and unlocking takes them
//! back, so a dashboard shows an approval at once; [`rebuild`] recomputes everything from the approved
//! reports (after a map change or a change of the configured shares).
//!
//! Views combine these cells with the indicator's rule (`tiendo_core::reporting::aggregate`): over units
//! by reading the province cells or adding unit cells, over time by [`tiendo_core::reporting::aggregate::within`].

use std::collections::HashMap;

use chrono::NaiveDate;
use tiendo_core::reporting::Aggregation;
use tiendo_core::reporting::aggregate::contribution;

use super::OrgScope;
use super::attribution::{self, Resolver, Target};
use super::forms;
use crate::dialect;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// Which map a view is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Map {
    /// Each value on the unit that reported it, as the map was at the period's end.
    Reported,
    /// Each value on the unit of today's map that succeeded it.
    Current,
}

impl Map {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Map::Reported => "reported",
            Map::Current => "current",
        }
    }

    /// The map of a code.
    pub fn from_code(code: &str) -> Option<Map> {
        match code {
            "reported" => Some(Map::Reported),
            "current" => Some(Map::Current),
            _ => None,
        }
    }
}

/// Which cells a view reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// One cell per commune-level (or older district-level) unit.
    Unit,
    /// One cell per province.
    Province,
}

impl Level {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Level::Unit => "unit",
            Level::Province => "province",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    indicator: String,
    map: Map,
    level: Level,
    unit: String,
    province: String,
    period_code: String,
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Default)]
struct Contributions {
    cells: HashMap<Key, (f64, i64)>,
}

/// What aggregation needs of a report.
#[derive(Debug, Clone, sqlx::FromRow)]
struct ReportFacts {
    id: i64,
    unit_code: Option<String>,
    province_code: Option<String>,
    period_code: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
}

impl Contributions {
    fn add(&mut self, key: Key, value: f64, sign: i64) {
        let cell = self.cells.entry(key).or_insert((0.0, 0));
        cell.0 += sign as f64 * value;
        cell.1 += sign;
    }

    /// Adds (`sign` 1) or takes back (-1) one report's numbers.
    fn report(
        &mut self,
        report: &ReportFacts,
        numbers: &[(String, f64)],
        rules: &HashMap<String, Aggregation>,
        targets: &[Target],
        sign: i64,
    ) {
        let key = |indicator: &str, map, level, unit: &str, province: &str| Key {
            indicator: indicator.to_owned(),
            map,
            level,
            unit: unit.to_owned(),
            province: province.to_owned(),
            period_code: report.period_code.clone(),
            start: report.period_start,
            end: report.period_end,
        };
        for (indicator, number) in numbers {
            let rule = rules.get(indicator).cloned().unwrap_or(Aggregation::Sum);
            if let (Some(unit), Some(province)) = (&report.unit_code, &report.province_code) {
                self.add(key(indicator, Map::Reported, Level::Unit, unit, province), *number, sign);
                self.add(key(indicator, Map::Reported, Level::Province, province, province), *number, sign);
            }
            let mut provinces: Vec<(String, f64)> = Vec::new();
            for t in targets {
                let part = contribution(&rule, *number, t.share);
                self.add(key(indicator, Map::Current, Level::Unit, &t.unit_code, &t.province_code), part, sign);
                match provinces.iter_mut().find(|(p, _)| *p == t.province_code) {
                    // An average describes the whole province once; additive parts add up.
                    Some((_, v)) if rule != Aggregation::Average => *v += part,
                    Some(_) => {}
                    None => provinces.push((t.province_code.clone(), part)),
                }
            }
            for (province, value) in provinces {
                self.add(key(indicator, Map::Current, Level::Province, &province, &province), value, sign);
            }
        }
    }

    /// Adds the contributions to the stored cells, several rows per statement.
    async fn write(self, ex: &impl Exec) -> Result<(), DbError> {
        let rows: Vec<(Key, (f64, i64))> = self.cells.into_iter().collect();
        for chunk in rows.chunks(dialect::rows_per_insert(ex.backend())) {
            let mut q = Query::new(
                "INSERT INTO report_aggregates (indicator_code, map, level, unit_code, province_code, period_code, \
                 period_start, period_end, value_sum, value_count) VALUES ",
            );
            for (i, (k, (sum, count))) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").push_bind(k.indicator.as_str()).push(", ").push_bind(k.map.code());
                q.push(", ").push_bind(k.level.code()).push(", ").push_bind(k.unit.as_str());
                q.push(", ").push_bind(k.province.as_str()).push(", ").push_bind(k.period_code.as_str());
                q.push(", ").push_bind(k.start).push(", ").push_bind(k.end);
                q.push(", ").push_bind(*sum).push(", ").push_bind(*count).push(")");
            }
            // A cell emptied by unlocking keeps a count of zero and a sum of exactly zero, not a rounding rest.
            q.push(
                " ON CONFLICT (indicator_code, map, level, unit_code, period_code) DO UPDATE SET \
                 value_sum = CASE WHEN report_aggregates.value_count + excluded.value_count = 0 THEN 0 \
                 ELSE report_aggregates.value_sum + excluded.value_sum END, \
                 value_count = report_aggregates.value_count + excluded.value_count",
            );
            ex.execute(q).await?;
        }
        Ok(())
    }
}

const FACTS: &str = "SELECT id, unit_code, province_code, period_code, period_start, period_end FROM reports";

/// The aggregation rule of every indicator.
async fn rules(ex: &impl Exec) -> Result<HashMap<String, Aggregation>, DbError> {
    Ok(forms::indicators(ex).await?.into_iter().map(|i| (i.code.clone(), i.rule())).collect())
}

/// The numbers of a report that feed indicators.
async fn numbers(ex: &impl Exec, report_id: i64) -> Result<Vec<(String, f64)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT indicator_code, number FROM report_values WHERE report_id = $1 AND indicator_code IS NOT NULL \
             AND number IS NOT NULL ORDER BY field_code",
        )
        .bind(report_id),
    )
    .await
}

/// Adds an approved report's numbers to the aggregates, attributing them on the map in force on `today`
/// (and recording that attribution for the unlock). Run it in the approving transaction.
pub async fn add_report(ex: &impl Exec, report_id: i64, today: NaiveDate) -> Result<(), DbError> {
    let report: ReportFacts = ex.fetch_one(Query::new(format!("{FACTS} WHERE id = $1")).bind(report_id)).await?;
    let mut resolver = Resolver::new(ex, today).await?;
    let targets = match &report.unit_code {
        Some(code) => resolver.targets(ex, code, report.period_end).await?,
        None => Vec::new(),
    };
    attribution::record(ex, report_id, &targets).await?;
    let mut c = Contributions::default();
    c.report(&report, &numbers(ex, report_id).await?, &rules(ex).await?, &targets, 1);
    c.write(ex).await
}

/// Takes an unlocked report's numbers back out of the aggregates, exactly as they were added. Run it in
/// the unlocking transaction, before the values can change.
pub async fn remove_report(ex: &impl Exec, report_id: i64) -> Result<(), DbError> {
    let report: ReportFacts = ex.fetch_one(Query::new(format!("{FACTS} WHERE id = $1")).bind(report_id)).await?;
    let targets = attribution::recorded(ex, report_id).await?;
    let mut c = Contributions::default();
    c.report(&report, &numbers(ex, report_id).await?, &rules(ex).await?, &targets, -1);
    c.write(ex).await?;
    ex.execute(Query::new("DELETE FROM report_attributions WHERE report_id = $1").bind(report_id)).await?;
    Ok(())
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rebuilt {
    /// Approved reports read.
    pub reports: i64,
    /// Cells written.
    pub cells: i64,
}

/// Recomputes every aggregate and attribution from the approved reports, on the map in force on `today`.
/// Run it in one transaction: readers see the old figures until it commits. Works period by period, so
/// memory holds one period's cells at a time.
pub async fn rebuild(ex: &impl Exec, today: NaiveDate) -> Result<Rebuilt, DbError> {
    ex.execute(Query::new("DELETE FROM report_aggregates")).await?;
    ex.execute(Query::new("DELETE FROM report_attributions")).await?;
    let rules = rules(ex).await?;
    let mut resolver = Resolver::new(ex, today).await?;
    let periods: Vec<(String,)> = ex
        .fetch_all(Query::new(
            "SELECT DISTINCT period_code FROM reports WHERE status = 'approved' ORDER BY period_code",
        ))
        .await?;
    let mut done = Rebuilt::default();
    for (period,) in periods {
        let reports: Vec<ReportFacts> = ex
            .fetch_all(
                Query::new(format!("{FACTS} WHERE status = 'approved' AND period_code = $1 ORDER BY id"))
                    .bind(period.as_str()),
            )
            .await?;
        let rows: Vec<(i64, String, f64)> = ex
            .fetch_all(
                Query::new(
                    "SELECT v.report_id, v.indicator_code, v.number FROM report_values v \
                     JOIN reports r ON r.id = v.report_id WHERE r.status = 'approved' AND r.period_code = $1 \
                     AND v.indicator_code IS NOT NULL AND v.number IS NOT NULL ORDER BY v.report_id, v.field_code",
                )
                .bind(period.as_str()),
            )
            .await?;
        let mut numbers: HashMap<i64, Vec<(String, f64)>> = HashMap::new();
        for (report, indicator, number) in rows {
            numbers.entry(report).or_default().push((indicator, number));
        }
        let mut c = Contributions::default();
        let mut attributions: Vec<(i64, Target)> = Vec::new();
        for report in &reports {
            let targets = match &report.unit_code {
                Some(code) => resolver.targets(ex, code, report.period_end).await?,
                None => Vec::new(),
            };
            let found = numbers.get(&report.id).map(Vec::as_slice).unwrap_or_default();
            c.report(report, found, &rules, &targets, 1);
            attributions.extend(targets.into_iter().map(|t| (report.id, t)));
            done.reports += 1;
        }
        for chunk in attributions.chunks(dialect::rows_per_insert(ex.backend())) {
            let mut q = Query::new(
                "INSERT INTO report_attributions (report_id, unit_code, unit_name, province_code, share) VALUES ",
            );
            for (i, (report, t)) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").push_bind(*report).push(", ").push_bind(t.unit_code.as_str());
                q.push(", ").push_bind(t.unit_name.as_str()).push(", ").push_bind(t.province_code.as_str());
                q.push(", ").push_bind(t.share).push(")");
            }
            ex.execute(q).await?;
        }
        done.cells += c.cells.len() as i64;
        c.write(ex).await?;
    }
    Ok(done)
}

/// A stored cell.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct CellRow {
    /// The indicator.
    pub indicator_code: String,
    /// `reported` or `current`.
    pub map: String,
    /// `unit` or `province`.
    pub level: String,
    /// The unit (the province's code at the province level).
    pub unit_code: String,
    /// The unit's province.
    pub province_code: String,
    /// The reported period.
    pub period_code: String,
    /// Its first day.
    #[serde(deserialize_with = "crate::json::date")]
    pub period_start: NaiveDate,
    /// Its last day.
    #[serde(deserialize_with = "crate::json::date")]
    pub period_end: NaiveDate,
    /// The sum of the values.
    pub value_sum: f64,
    /// How many values.
    pub value_count: i64,
}

/// Which cells to read.
#[derive(Debug, Clone, PartialEq)]
pub struct CellQuery {
    /// The map.
    pub map: Map,
    /// The level.
    pub level: Level,
    /// Only this province's units (or, at the province level, this province).
    pub province_code: Option<String>,
    /// Only this unit.
    pub unit_code: Option<String>,
    /// Only these indicators (all when `None`).
    pub indicators: Option<Vec<String>>,
    /// Periods starting on or after this day…
    pub from: NaiveDate,
    /// …and ending on or before this one.
    pub to: NaiveDate,
}

const CELL_COLUMNS: &str = "indicator_code, map, level, unit_code, province_code, period_code, period_start, \
     period_end, value_sum, value_count";

/// The conditions of a cell query, appended after its `FROM report_aggregates`.
fn cell_conditions(q: &mut Query, query: &CellQuery) {
    q.push(" WHERE map = ").push_bind(query.map.code());
    q.push(" AND level = ").push_bind(query.level.code());
    if let Some(p) = &query.province_code {
        q.push(" AND province_code = ").push_bind(p.as_str());
    }
    if let Some(u) = &query.unit_code {
        q.push(" AND unit_code = ").push_bind(u.as_str());
    }
    q.push(" AND period_start >= ").push_bind(query.from).push(" AND period_end <= ").push_bind(query.to);
    if let Some(codes) = &query.indicators {
        q.push(" AND indicator_code IN (");
        for (i, c) in codes.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(c.as_str());
        }
        q.push(")");
    }
    q.push(" AND value_count > 0");
}

/// The non-empty cells of a view, by indicator, unit, then period. Read as one JSON value on SQLite (a
/// province's scorecard reads tens of thousands of cells; row by row, SQLite's driver hands each over from
/// its thread).
pub async fn cells(ex: &impl Exec, query: &CellQuery) -> Result<Vec<CellRow>, DbError> {
    if query.indicators.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let mut rows: Vec<CellRow> = crate::json::fetch_many(ex, CELL_COLUMNS, |q| {
        q.push(" FROM report_aggregates");
        cell_conditions(q, query);
    })
    .await?;
    rows.sort_by(|a, b| {
        (&a.indicator_code, &a.unit_code, a.period_start, &a.period_code).cmp(&(
            &b.indicator_code,
            &b.unit_code,
            b.period_start,
            &b.period_code,
        ))
    });
    Ok(rows)
}

/// The cells of one indicator, unit and year of one kind of period, added up.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct YearCellRow {
    /// The indicator.
    pub indicator_code: String,
    /// The unit (the province's code at the province level).
    pub unit_code: String,
    /// The year (the first four characters of the period's code).
    pub year: String,
    /// The kind of period: the character after the year in its code (`""` for the year itself, `M` for a
    /// month, `Q` a quarter, `H` the first half, `N` nine months, `-` a day).
    pub kind: String,
    /// The sum of the cells' sums.
    pub value_sum: f64,
    /// The sum of their counts.
    pub value_count: i64,
}

/// The non-empty cells of a view added up by indicator, unit, year and kind of period (a year's twelve
/// months are one row): what sums and averages over years need, a twelfth of the rows [`cells`] reads. Not
/// for the values whose rule is `latest`, which need each period.
pub async fn year_cells(ex: &impl Exec, query: &CellQuery) -> Result<Vec<YearCellRow>, DbError> {
    if query.indicators.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    crate::json::fetch_many(ex, "indicator_code, unit_code, year, kind, value_sum, value_count", |q| {
        q.push(
            " FROM (SELECT indicator_code, unit_code, substr(period_code, 1, 4) AS year, \
             substr(period_code, 5, 1) AS kind, SUM(value_sum) AS value_sum, \
             CAST(SUM(value_count) AS BIGINT) AS value_count FROM report_aggregates",
        );
        // A province's cells: its index, which SQLite passes over for the primary key when grouping; one
        // unit's cells are found by the primary key's unit column, as the planner chooses.
        if query.unit_code.is_none() {
            q.push(&dialect::indexed_by(ex.backend(), "report_aggregates_cells"));
        }
        cell_conditions(q, query);
        q.push(" GROUP BY indicator_code, unit_code, substr(period_code, 1, 4), substr(period_code, 5, 1)) g");
    })
    .await
}

/// Every non-empty cell, in a stable order (to compare an incremental state with a rebuild).
pub async fn all_cells(ex: &impl Exec) -> Result<Vec<CellRow>, DbError> {
    ex.fetch_all(Query::new(format!(
        "SELECT {CELL_COLUMNS} FROM report_aggregates WHERE value_count > 0 \
         ORDER BY indicator_code, map, level, unit_code, period_code"
    )))
    .await
}

/// The provinces that have cells on a map, by code.
pub async fn provinces(ex: &impl Exec, map: Map) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = ex
        .fetch_all(
            Query::new(
                "SELECT DISTINCT unit_code FROM report_aggregates WHERE map = $1 AND level = 'province' \
                 AND value_count > 0 ORDER BY unit_code",
            )
            .bind(map.code()),
        )
        .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// An approved report behind an aggregate, with the number it gave the indicator.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReportBehind {
    /// The report.
    pub report_id: i64,
    /// The reporting organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The template.
    pub template_code: String,
    /// The period.
    pub period_code: String,
    /// Its first day.
    pub period_start: NaiveDate,
    /// The unit that reported (original attribution).
    pub unit_code: Option<String>,
    /// Its name then.
    pub unit_name: Option<String>,
    /// The value reported.
    pub number: f64,
    /// On today's map: the unit it counts for…
    pub current_code: Option<String>,
    /// …its name…
    pub current_name: Option<String>,
    /// …and its share.
    pub share: Option<f64>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// When it was approved.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who approved it (their name).
    pub decided_by_name: Option<String>,
}

/// Which reports to show behind an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct BehindQuery {
    /// The map.
    pub map: Map,
    /// The indicator.
    pub indicator: String,
    /// Reports counted in this province…
    pub province_code: Option<String>,
    /// …or for this unit.
    pub unit_code: Option<String>,
    /// Periods starting on or after…
    pub from: NaiveDate,
    /// …and ending on or before.
    pub to: NaiveDate,
    /// The organisations the reader may see.
    pub scope: OrgScope,
}

/// The approved reports behind an aggregate, by period then organisation.
pub async fn reports_behind(ex: &impl Exec, query: &BehindQuery) -> Result<Vec<ReportBehind>, DbError> {
    if query.scope.is_empty() {
        return Ok(Vec::new());
    }
    let (current, join, prefix) = match query.map {
        Map::Reported => (
            "CAST(NULL AS TEXT) AS current_code, CAST(NULL AS TEXT) AS current_name, \
             CAST(NULL AS DOUBLE PRECISION) AS share",
            "",
            "r",
        ),
        Map::Current => (
            "a.unit_code AS current_code, a.unit_name AS current_name, a.share",
            " JOIN report_attributions a ON a.report_id = r.id",
            "a",
        ),
    };
    let mut q = Query::new(format!(
        "SELECT r.id AS report_id, r.org_id, o.name AS org_name, r.template_code, r.period_code, r.period_start, \
         r.unit_code, r.unit_name, v.number, {current}, r.is_sample, r.decided_at, du.display_name AS decided_by_name \
         FROM reports r JOIN organizations o ON o.id = r.org_id JOIN report_values v ON v.report_id = r.id{join} \
         LEFT JOIN users du ON du.id = r.decided_by \
         WHERE r.status = 'approved' AND v.number IS NOT NULL AND v.indicator_code = "
    ));
    q.push_bind(query.indicator.as_str());
    q.push(" AND r.period_start >= ").push_bind(query.from).push(" AND r.period_end <= ").push_bind(query.to);
    if let Some(p) = &query.province_code {
        q.push(&format!(" AND {prefix}.province_code = ")).push_bind(p.as_str());
    }
    if let Some(u) = &query.unit_code {
        q.push(&format!(" AND {prefix}.unit_code = ")).push_bind(u.as_str());
    }
    query.scope.push_condition(&mut q, "r.org_id");
    q.push(" ORDER BY r.period_start, o.sort_key, r.id");
    ex.fetch_all(q).await
}

/// The full names of units by code, each as it was on `day` (or, for a code not in force that day, its
/// latest version): "Thị xã Quảng Yên" for 206 in 2019, "Phường Quảng Yên" for 07132 today.
pub async fn unit_names(ex: &impl Exec, codes: &[String], day: NaiveDate) -> Result<HashMap<String, String>, DbError> {
    let mut out: HashMap<String, (bool, Option<NaiveDate>, String)> = HashMap::new();
    for chunk in codes.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let mut q = Query::new("SELECT code, full_name, valid_from, valid_to FROM admin_units WHERE code IN (");
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(c.as_str());
        }
        q.push(")");
        let rows: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)> = ex.fetch_all(q).await?;
        for (code, name, from, to) in rows {
            let in_force = from.is_none_or(|f| f <= day) && to.is_none_or(|t| t > day);
            let better = match out.get(&code) {
                None => true,
                Some((was_in_force, was_from, _)) => (in_force, from) > (*was_in_force, *was_from),
            };
            if better {
                out.insert(code, (in_force, from, name));
            }
        }
    }
    Ok(out.into_iter().map(|(code, (_, _, name))| (code, name)).collect())
}
