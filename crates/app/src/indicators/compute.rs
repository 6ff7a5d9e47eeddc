//! Figures computed when they are read: for each indicator, year and place (the province, or one unit), on
//! the map of the time or on today's map. Report fields are read from the report aggregates (kept up to
//! date in the transaction that approves or unlocks a report, across the 2025 reform by the reporting
//! engine's attribution); module records are counted in their tables; typed figures are read as typed.
//! Nothing is stored, so a figure moves with the change that moves it: no nightly rebuild.
//!
//! Each figure keeps its parts (numerator, denominator, the units averaged) for the arithmetic shown under
//! it, or the reason it has no value (a zero denominator, fields without an approved value, nothing typed).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use tiendo_core::indicators::formula::NoValue;
use tiendo_core::indicators::{Definition, Formula, Operand, OverUnits, Source};
use tiendo_core::reporting::aggregate::{combine, ratio, within};
use tiendo_core::reporting::{Aggregation, Cell, Period};
use tiendo_db::indicators::sources::{self, SourceQuery};
use tiendo_db::indicators::{self as store, IndicatorRow};
use tiendo_db::reporting::aggregates::{self, CellQuery, Level, Map};
use tiendo_db::reporting::forms;

use super::definition;
use crate::{App, Result};

/// Where figures are computed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// The province as a whole.
    Province,
    /// One administrative unit, by code.
    Unit(String),
}

impl Place {
    /// The unit's code, `""` for the province (as typed figures store it).
    pub fn code(&self) -> &str {
        match self {
            Place::Province => "",
            Place::Unit(c) => c,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The map.
    pub map: Map,
    /// The place.
    pub place: Place,
    /// The first and last years.
    pub years: (i32, i32),
}

/// Why a figure has no value, with what is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// `zero_denominator`, `missing_values`, `not_recorded`, `no_unit`, `province_level` or
    /// `definition_invalid`.
    pub code: &'static str,
    /// The fields without a value (`missing_values`).
    pub names: Vec<String>,
}

impl From<NoValue> for Reason {
    fn from(n: NoValue) -> Reason {
        let code = n.code();
        let names = if let NoValue::Missing(names) = n { names } else { Vec::new() };
        Reason { code, names }
    }
}

/// One figure: a value with its parts, or the reason there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The year.
    pub year: i32,
    /// The value.
    pub value: Option<f64>,
    /// The numerator's value (a formula over totals or one unit).
    pub numerator: Option<f64>,
    /// The denominator's value.
    pub denominator: Option<f64>,
    /// How many units were averaged, and of how many with data (an average over units).
    pub units: Option<(usize, usize)>,
    /// Why there is no value.
    pub reason: Option<Reason>,
}

impl Figure {
    fn none(year: i32, reason: Reason) -> Figure {
        Figure { year, value: None, numerator: None, denominator: None, units: None, reason: Some(reason) }
    }
}

/// Every value read, by operand and unit (`""` for the whole place), by year.
#[derive(Debug, Default)]
pub struct Inputs {
    fields: HashMap<(String, String), BTreeMap<i32, f64>>,
    sources: HashMap<(Source, String), BTreeMap<i32, f64>>,
    typed: HashMap<i64, BTreeMap<i32, f64>>,
    units: BTreeSet<String>,
}

impl Inputs {
    fn read(&self, unit: &str, year: i32) -> impl Fn(&Operand) -> Option<f64> + '_ {
        let unit = unit.to_owned();
        move |o: &Operand| match o {
            Operand::Const(c) => Some(*c),
            Operand::Field(f) => self.fields.get(&(f.clone(), unit.clone())).and_then(|y| y.get(&year)).copied(),
            // A count of nothing is zero.
            Operand::Source(s) => {
                Some(self.sources.get(&(*s, unit.clone())).and_then(|y| y.get(&year)).copied().unwrap_or(0.0))
            }
        }
    }
}

/// The first and last day of a range of years.
fn days(years: (i32, i32)) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(years.0, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(years.1, 12, 31).unwrap_or_default(),
    )
}

/// The period standing for a year's total of one kind of period in [`within`], which picks the year's own
/// report, else its quarters, else its months: the total of the twelve months stands as one month of that
/// year, and so on. Sums and averages combine the totals as they would the periods (both add up sums and
/// counts); half-years, nine months and days are never read for a year.
fn year_total(year: i32, kind: &str) -> Option<Period> {
    match kind {
        "" => Some(Period::Year(year)),
        "Q" => Some(Period::Quarter(year, 1)),
        "M" => Some(Period::Month(year, 1)),
        _ => None,
    }
}

/// Whether the province's figure of this indicator is the mean of its units'.
fn averaged(row: &IndicatorRow, place: &Place) -> bool {
    *place == Place::Province && row.over_units == OverUnits::Average.code()
}

/// Reads everything the indicators need for the request, in a handful of queries.
pub async fn inputs(app: &App, rows: &[IndicatorRow], request: &Request) -> Result<Inputs> {
    let db = app.db();
    let mut inputs = Inputs::default();
    let (from, to) = days(request.years);
    // Which fields and sources, over totals and by unit.
    let mut total_fields: BTreeSet<String> = BTreeSet::new();
    let mut unit_fields: BTreeSet<String> = BTreeSet::new();
    let mut total_sources: BTreeSet<Source> = BTreeSet::new();
    let mut unit_sources: BTreeSet<Source> = BTreeSet::new();
    let mut typed: Vec<i64> = Vec::new();
    for row in rows {
        match definition(row) {
            Some(Definition::Typed) => typed.push(row.id),
            Some(Definition::Formula(f)) => {
                let by_unit = averaged(row, &request.place);
                let fields = if by_unit { &mut unit_fields } else { &mut total_fields };
                fields.extend(f.fields().into_iter().map(str::to_owned));
                let sources = if by_unit { &mut unit_sources } else { &mut total_sources };
                sources.extend(f.sources());
            }
            None => {}
        }
    }
    // Ratio report indicators are read from their two parts.
    let report_indicators = forms::indicators(db).await?;
    let rules: HashMap<String, Aggregation> = report_indicators.iter().map(|i| (i.code.clone(), i.rule())).collect();
    let expand = |codes: &BTreeSet<String>| -> Vec<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        for c in codes {
            out.insert(c.clone());
            if let Some(Aggregation::Ratio { numerator, denominator }) = rules.get(c) {
                out.insert(numerator.clone());
                out.insert(denominator.clone());
            }
        }
        out.into_iter().collect()
    };
    let province = province(app, request.map).await?;
    for (fields, by_unit) in [(&total_fields, false), (&unit_fields, true)] {
        if fields.is_empty() {
            continue;
        }
        let (level, unit_code) = match (&request.place, by_unit) {
            (Place::Province, false) => (Level::Province, None),
            (Place::Province, true) => (Level::Unit, None),
            (Place::Unit(u), _) => (Level::Unit, Some(u.clone())),
        };
        // The values kept as the latest of the year need each period; sums and averages only each year's
        // totals by kind of period (a twelfth of the rows).
        let (latest, additive): (Vec<String>, Vec<String>) =
            expand(fields).into_iter().partition(|c| matches!(rules.get(c), Some(Aggregation::Latest)));
        let query = |indicators: Vec<String>| CellQuery {
            map: request.map,
            level,
            province_code: if unit_code.is_some() { None } else { Some(province.clone()) },
            unit_code: unit_code.clone(),
            indicators: Some(indicators),
            from,
            to,
        };
        // (field, unit) → its cells by period.
        let mut grouped: HashMap<(String, String), Vec<(Period, Cell)>> = HashMap::new();
        let mut add = |indicator: &str, unit: &str, period: Period, sum: f64, count: i64| {
            let unit = if by_unit { unit.to_owned() } else { String::new() };
            grouped.entry((indicator.to_owned(), unit)).or_default().push((period, Cell { sum, count }));
        };
        for c in aggregates::cells(db, &query(latest)).await? {
            if let Ok(p) = Period::parse(&c.period_code) {
                add(&c.indicator_code, &c.unit_code, p, c.value_sum, c.value_count);
            }
        }
        for c in aggregates::year_cells(db, &query(additive)).await? {
            if let Some(p) = c.year.parse().ok().and_then(|year| year_total(year, &c.kind)) {
                add(&c.indicator_code, &c.unit_code, p, c.value_sum, c.value_count);
            }
        }
        let units: BTreeSet<String> = grouped.keys().map(|(_, u)| u.clone()).collect();
        if by_unit {
            inputs.units.extend(units.iter().cloned());
        }
        for field in fields {
            for unit in &units {
                let of = |code: &str, year: i32| -> Option<f64> {
                    let list = grouped.get(&(code.to_owned(), unit.clone()))?;
                    let picked: Vec<(&str, i64, Cell)> = within(Period::Year(year), list)
                        .into_iter()
                        .map(|(p, cell)| (unit.as_str(), p.ordinal(), cell))
                        .collect();
                    combine(rules.get(code).unwrap_or(&Aggregation::Sum), &picked)
                };
                let mut by_year = BTreeMap::new();
                for year in request.years.0..=request.years.1 {
                    let v = match rules.get(field) {
                        Some(Aggregation::Ratio { numerator, denominator }) => {
                            ratio(of(numerator, year), of(denominator, year))
                        }
                        _ => of(field, year),
                    };
                    if let Some(v) = v {
                        by_year.insert(year, v);
                    }
                }
                if !by_year.is_empty() {
                    inputs.fields.insert((field.clone(), unit.clone()), by_year);
                }
            }
        }
    }
    for (list, by_unit) in [(&total_sources, false), (&unit_sources, true)] {
        for source in list {
            let q = SourceQuery {
                source: *source,
                map: request.map,
                unit: match &request.place {
                    Place::Unit(u) => Some(u.clone()),
                    Place::Province => None,
                },
                by_unit,
                years: request.years,
                today: app.today(),
            };
            for v in sources::yearly(db, &q).await? {
                if by_unit {
                    inputs.units.insert(v.unit_code.clone());
                }
                let unit = if by_unit { v.unit_code } else { String::new() };
                let year = i32::try_from(v.year).unwrap_or_default();
                inputs.sources.entry((*source, unit)).or_default().insert(year, v.value);
            }
        }
    }
    let years = (i64::from(request.years.0), i64::from(request.years.1));
    for f in store::figures(db, &typed, request.place.code(), years).await? {
        inputs.typed.entry(f.indicator_id).or_default().insert(i32::try_from(f.year).unwrap_or_default(), f.value);
    }
    Ok(inputs)
}

/// An indicator's figure for one year from the values read.
pub fn figure(row: &IndicatorRow, request: &Request, inputs: &Inputs, year: i32) -> Figure {
    if row.level == "province" && matches!(request.place, Place::Unit(_)) && row.kind == "typed" {
        return Figure::none(year, Reason { code: "province_level", names: Vec::new() });
    }
    match definition(row) {
        None => Figure::none(year, Reason { code: "definition_invalid", names: Vec::new() }),
        Some(Definition::Typed) => match inputs.typed.get(&row.id).and_then(|y| y.get(&year)) {
            Some(v) => Figure { year, value: Some(*v), numerator: None, denominator: None, units: None, reason: None },
            None => Figure::none(year, NoValue::NotRecorded.into()),
        },
        Some(Definition::Formula(f)) if averaged(row, &request.place) => average(&f, inputs, year),
        Some(Definition::Formula(f)) => match f.evaluate(&inputs.read("", year)) {
            Ok(e) => Figure {
                year,
                value: Some(e.value),
                numerator: Some(e.numerator),
                denominator: e.denominator,
                units: None,
                reason: None,
            },
            Err(reason) => Figure::none(year, reason.into()),
        },
    }
}

/// Each unit's figure for a year (the units with a value of some field that year, or every unit of a
/// formula over records only).
pub fn unit_figures<'a>(
    formula: &Formula,
    inputs: &'a Inputs,
    year: i32,
) -> Vec<(&'a str, std::result::Result<tiendo_core::indicators::formula::Evaluated, NoValue>)> {
    let fields = formula.fields();
    inputs
        .units
        .iter()
        .filter(|u| {
            fields.is_empty()
                || fields
                    .iter()
                    .any(|f| inputs.fields.get(&((*f).to_owned(), (*u).clone())).is_some_and(|y| y.contains_key(&year)))
        })
        .map(|u| (u.as_str(), formula.evaluate(&inputs.read(u, year))))
        .collect()
}

/// The mean of the units' figures; a unit whose figure has no value is left out (and counted).
fn average(formula: &Formula, inputs: &Inputs, year: i32) -> Figure {
    let per_unit = unit_figures(formula, inputs, year);
    let values: Vec<f64> = per_unit.iter().filter_map(|(_, r)| r.as_ref().ok().map(|e| e.value)).collect();
    let zero = per_unit.iter().any(|(_, r)| matches!(r, Err(NoValue::ZeroDenominator)));
    if values.is_empty() {
        let reason = if zero { NoValue::ZeroDenominator } else { NoValue::NoUnit };
        return Figure { units: Some((0, per_unit.len())), ..Figure::none(year, reason.into()) };
    }
    let sum: f64 = values.iter().sum();
    Figure {
        year,
        value: Some(sum / values.len() as f64),
        numerator: Some(sum),
        denominator: Some(values.len() as f64),
        units: Some((values.len(), per_unit.len())),
        reason: None,
    }
}

/// The value read for an operand of the whole place (`unit` `""`) or of one unit.
pub fn operand_value(inputs: &Inputs, operand: &Operand, unit: &str, year: i32) -> Option<f64> {
    inputs.read(unit, year)(operand)
}

/// The figures of the indicators for every year of the request, by indicator id.
pub async fn figures(app: &App, rows: &[IndicatorRow], request: &Request) -> Result<HashMap<i64, Vec<Figure>>> {
    let inputs = inputs(app, rows, request).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let list = (request.years.0..=request.years.1).map(|y| figure(row, request, &inputs, y)).collect();
            (row.id, list)
        })
        .collect())
}

/// The province whose scorecard is shown: Quảng Ninh (22) when it has report figures (one index seek),
/// else the reporting engine's choice (the first with figures).
pub async fn province(app: &App, map: Map) -> Result<String> {
    if store::province_has_cells(app.db(), map, "22").await? {
        return Ok("22".to_owned());
    }
    crate::reporting::aggregates::default_province(app, map).await
}

/// This year, in Vietnam.
pub fn this_year(app: &App) -> i32 {
    app.today().year()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn period() -> impl Strategy<Value = Period> {
        let year = 2024..=2025i32;
        prop_oneof![
            (year.clone(), 1..=12u32).prop_map(|(y, m)| Period::Month(y, m)),
            (year.clone(), 1..=4u32).prop_map(|(y, q)| Period::Quarter(y, q)),
            year.clone().prop_map(Period::FirstHalf),
            year.clone().prop_map(Period::NineMonths),
            year.clone().prop_map(Period::Year),
            (year, 1..=28u32).prop_map(|(y, d)| Period::Day(NaiveDate::from_ymd_opt(y, 3, d).unwrap())),
        ]
    }

    fn year_of(rule: &Aggregation, cells: &[(Period, Cell)]) -> Option<f64> {
        let picked: Vec<(&str, i64, Cell)> =
            within(Period::Year(2025), cells).into_iter().map(|(p, c)| ("", p.ordinal(), c)).collect();
        combine(rule, &picked)
    }

    proptest! {
        /// The totals read by year and kind of period (as `aggregates::year_cells` adds them up from the
        /// periods' codes) give every year's sum and average that the periods themselves give.
        #[test]
        fn a_years_totals_by_kind_of_period_give_what_its_periods_give(
            cells in proptest::collection::vec((period(), -1000..1000i32, 1..5i64), 0..40),
        ) {
            let cells: Vec<(Period, Cell)> =
                cells.into_iter().map(|(p, sum, count)| (p, Cell { sum: f64::from(sum), count })).collect();
            let mut totals: BTreeMap<(String, String), Cell> = BTreeMap::new();
            for (p, c) in &cells {
                let code = p.code();
                let key = (code[..4].to_owned(), code.get(4..5).unwrap_or("").to_owned());
                let total = totals.entry(key).or_insert(Cell { sum: 0.0, count: 0 });
                total.sum += c.sum;
                total.count += c.count;
            }
            let grouped: Vec<(Period, Cell)> = totals
                .into_iter()
                .filter_map(|((year, kind), c)| year_total(year.parse().ok()?, &kind).map(|p| (p, c)))
                .collect();
            for rule in [Aggregation::Sum, Aggregation::Average] {
                prop_assert_eq!(year_of(&rule, &grouped), year_of(&rule, &cells), "{:?}", rule);
            }
        }
    }
}
