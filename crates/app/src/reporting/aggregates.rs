//! The aggregates of approved reports: the province-by-period indicator table that the aggregates page, its
//! Excel export and the API show (each indicator combined by its rule over each column's period, ratios
//! from their two parts); the export of that table (audited); and the rebuild of every aggregate after a
//! map change (audited), queued by the map change and run by the job or the command line.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, TimeZone};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::lang::Lang;
use tiendo_core::reporting::aggregate::{combine, ratio, within};
use tiendo_core::reporting::{Aggregation, Cell, Period};
use tiendo_db::Tx;
use tiendo_db::jobs::{self, NewJob, kinds};
use tiendo_db::reporting::aggregates::{self, CellQuery, CellRow, Level, Map, Rebuilt};
use tiendo_db::reporting::forms::{self, IndicatorRow};
use tiendo_export::{AggregateTable, write_aggregate_table};

use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session};

/// `Forbidden` unless the actor sees the statistics of reports (the department's staff, administrators).
pub fn require_statistics(session: &Session) -> Result<()> {
    if authorize(&session.actor, Action::View, &Resource::ReportStatistics).is_allowed() {
        Ok(())
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// An indicator's row of the table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// The indicator.
    pub indicator: IndicatorRow,
    /// One value per column; `None` when nothing was reported.
    pub values: Vec<Option<f64>>,
}

/// Every approved cell of a province (at the province level) on a map.
pub async fn province_cells(app: &App, map: Map, province: &str) -> Result<Vec<CellRow>> {
    let far = (NaiveDate::from_ymd_opt(1945, 1, 1), NaiveDate::from_ymd_opt(2100, 12, 31));
    let (Some(from), Some(to)) = far else { return Err(Error::internal(std::io::Error::other("bad date constants"))) };
    let query = CellQuery {
        map,
        level: Level::Province,
        province_code: Some(province.to_owned()),
        unit_code: None,
        indicators: None,
        from,
        to,
    };
    Ok(aggregates::cells(app.db(), &query).await?)
}

/// The province shown when none is asked for: Quảng Ninh (22) when it has figures, else the first with
/// figures on the map.
pub async fn default_province(app: &App, map: Map) -> Result<String> {
    let provinces = aggregates::provinces(app.db(), map).await?;
    Ok(provinces.iter().find(|p| *p == "22").or(provinces.first()).cloned().unwrap_or_default())
}

/// The years the cells have data for, in order.
pub fn years_of(cells: &[CellRow]) -> Vec<i32> {
    let mut years: Vec<i32> = cells.iter().map(|c| c.period_start.year()).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The columns of the table: one period (`period`, a code), or the years from `from` to `to` (the years
/// with data by default). The error is a field code: `period_format`, `year_format` or `year_range`.
pub fn columns(period: &str, from: &str, to: &str, years: &[i32]) -> Result<Vec<Period>, &'static str> {
    if !period.trim().is_empty() {
        return Period::parse(period).map(|p| vec![p]).map_err(|_| "period_format");
    }
    let parse = |s: &str, default: Option<i32>| -> Result<Option<i32>, &'static str> {
        if s.trim().is_empty() {
            return Ok(default);
        }
        s.trim().parse::<i32>().ok().filter(|y| (1945..=2100).contains(y)).map(Some).ok_or("year_format")
    };
    let from = parse(from, years.first().copied())?;
    let to = parse(to, years.last().copied())?;
    match (from, to) {
        (Some(from), Some(to)) if from <= to && to - from <= 30 => Ok((from..=to).map(Period::Year).collect()),
        (Some(_), Some(_)) => Err("year_range"),
        _ => Ok(Vec::new()),
    }
}

/// The value of an indicator over `period` from its cells (by unit): each unit's cells within the period,
/// combined by the rule. `None` when there is nothing.
pub fn value_of(rule: &Aggregation, period: Period, cells: &[&CellRow]) -> Option<f64> {
    let mut by_unit: BTreeMap<&str, Vec<(Period, Cell)>> = BTreeMap::new();
    for c in cells {
        if let Ok(p) = Period::parse(&c.period_code) {
            by_unit.entry(c.unit_code.as_str()).or_default().push((p, Cell { sum: c.value_sum, count: c.value_count }));
        }
    }
    let mut picked: Vec<(&str, i64, Cell)> = Vec::new();
    for (unit, list) in &by_unit {
        picked.extend(within(period, list).into_iter().map(|(p, cell)| (*unit, p.ordinal(), cell)));
    }
    combine(rule, &picked)
}

/// An indicator's value over a period, ratios from their two parts.
pub fn indicator_value(
    indicator: &IndicatorRow,
    period: Period,
    cells: &HashMap<&str, Vec<&CellRow>>,
    rules: &HashMap<String, Aggregation>,
) -> Option<f64> {
    let of = |code: &str| {
        let rule = rules.get(code).cloned().unwrap_or(Aggregation::Sum);
        value_of(&rule, period, cells.get(code).map(Vec::as_slice).unwrap_or_default())
    };
    match indicator.rule() {
        Aggregation::Ratio { numerator, denominator } => ratio(of(&numerator), of(&denominator)),
        _ => of(&indicator.code),
    }
}

/// The table of every indicator that has data in `cells`, one value per column.
pub async fn table(app: &App, cells: &[CellRow], columns: &[Period]) -> Result<Vec<TableRow>> {
    let indicators = forms::indicators(app.db()).await?;
    let rules: HashMap<String, Aggregation> = indicators.iter().map(|i| (i.code.clone(), i.rule())).collect();
    let mut by_indicator: HashMap<&str, Vec<&CellRow>> = HashMap::new();
    for c in cells {
        by_indicator.entry(c.indicator_code.as_str()).or_default().push(c);
    }
    let has_data = |i: &IndicatorRow| match i.rule() {
        Aggregation::Ratio { numerator, denominator } => {
            by_indicator.contains_key(numerator.as_str()) && by_indicator.contains_key(denominator.as_str())
        }
        _ => by_indicator.contains_key(i.code.as_str()),
    };
    Ok(indicators
        .iter()
        .filter(|i| has_data(i))
        .map(|i| TableRow {
            indicator: i.clone(),
            values: columns.iter().map(|p| indicator_value(i, *p, &by_indicator, &rules)).collect(),
        })
        .collect())
}

/// The unit an indicator's values are in (`%` for a ratio).
pub fn unit_label(indicator: &IndicatorRow) -> String {
    if matches!(indicator.rule(), Aggregation::Ratio { .. }) { "%".to_owned() } else { indicator.unit.clone() }
}

/// Writes the table as a workbook (its notes dated by the application's clock) and records the export in
/// the audit trail.
pub async fn export_table(app: &App, session: &Session, mut table: AggregateTable, lang: Lang) -> Result<Vec<u8>> {
    require_statistics(session)?;
    table.notes.generated_at = app.now();
    let count = table.rows.len();
    let bytes =
        tokio::task::spawn_blocking(move || write_aggregate_table(&table, lang)).await.map_err(Error::internal)??;
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-report-aggregates-exported").arg("count", count);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(bytes)
}

/// Recomputes every aggregate and attribution from the approved reports, on the map in force on `day`, in
/// one transaction with its audit event (readers see the old figures until it commits). For the job that
/// follows a map change, the command line and the demo (the system acting), or a province-wide
/// administrator.
pub async fn rebuild(app: &App, session: &Session, day: NaiveDate) -> Result<Rebuilt> {
    if session.user.is_some() && !session.actor.has_role_province_wide(tiendo_core::authz::Role::Administrator) {
        return Err(Error::FORBIDDEN);
    }
    let started = std::time::Instant::now();
    let tx = app.begin().await?;
    let rebuilt = aggregates::rebuild(&tx, day).await?;
    let entry = Entry::new("rebuild", "report_aggregates", day, "audit-report-aggregates-rebuilt")
        .arg("reports", rebuilt.reports)
        .arg("day", tiendo_core::fmt::date(day));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "report aggregates rebuilt");
    Ok(rebuilt)
}

/// Queues the rebuild of the report aggregates after a map change, in the map change's transaction: now,
/// and, for a change that takes effect after `today`, again on its first day, when today's map becomes the
/// new one.
pub async fn queue_rebuild(tx: &Tx, effective: NaiveDate, today: NaiveDate) -> Result<()> {
    jobs::enqueue(tx, &NewJob::new(kinds::REBUILD_REPORT_AGGREGATES, serde_json::json!({})).dedup("map_change"))
        .await?;
    if effective > today {
        let at = tiendo_core::time::vietnam_offset()
            .from_local_datetime(&effective.and_time(chrono::NaiveTime::from_hms_opt(0, 5, 0).unwrap_or_default()))
            .single()
            .map(|t| t.with_timezone(&chrono::Utc));
        if let Some(at) = at {
            let job = NewJob::new(kinds::REBUILD_REPORT_AGGREGATES, serde_json::json!({ "as_of": effective }))
                .dedup(format!("map_change:{effective}"))
                .at(at);
            jobs::enqueue(tx, &job).await?;
        }
    }
    Ok(())
}
