//! The province-by-period indicator table of approved reports, shared by the aggregates page, its Excel
//! export and the API: the province's cells on a map, each indicator combined by its rule over each
//! column's period (ratios from their two parts).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use tiendo_core::reporting::aggregate::{combine, ratio, within};
use tiendo_core::reporting::{Aggregation, Cell, Period};
use tiendo_db::reporting::aggregates::{self, CellQuery, CellRow, Level, Map};
use tiendo_db::reporting::templates::{self, IndicatorRow};

use crate::error::AppError;
use crate::state::AppState;

/// An indicator's row of the table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// The indicator.
    pub indicator: IndicatorRow,
    /// One value per column; `None` when nothing was reported.
    pub values: Vec<Option<f64>>,
}

/// Every approved cell of a province (at the province level) on a map.
pub async fn province_cells(state: &AppState, map: Map, province: &str) -> Result<Vec<CellRow>, AppError> {
    let far = (NaiveDate::from_ymd_opt(1945, 1, 1), NaiveDate::from_ymd_opt(2100, 12, 31));
    let (Some(from), Some(to)) = far else { return Err(AppError::Internal("bad date constants".into())) };
    let query = CellQuery {
        map,
        level: Level::Province,
        province_code: Some(province.to_owned()),
        unit_code: None,
        indicators: None,
        from,
        to,
    };
    Ok(aggregates::cells(state.db(), &query).await?)
}

/// The years the cells have data for, in order.
pub fn years_of(cells: &[CellRow]) -> Vec<i32> {
    let mut years: Vec<i32> = cells.iter().map(|c| c.period_start.year()).collect();
    years.sort_unstable();
    years.dedup();
    years
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
pub async fn table(state: &AppState, cells: &[CellRow], columns: &[Period]) -> Result<Vec<TableRow>, AppError> {
    let indicators = templates::indicators(state.db()).await?;
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
