//! How indicator values combine up the hierarchy (communes → province) and over time (months → year).
//!
//! Values are kept as running sums: for each (indicator, unit, period) the sum of the values and how many
//! there are. Sum and average come straight from them; a ratio divides the sums of two other indicators;
//! "latest" (stocks such as the number of organisations at the end of a period) takes, over time, the latest
//! period that has data and, over units, the sum of each unit's latest. Adding a report adds to the sums and
//! unlocking one subtracts it: no nightly rebuild.

use serde::{Deserialize, Serialize};

use super::period::{Period, Periodicity};

/// The rule of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Aggregation {
    /// Added up over units and over time.
    Sum,
    /// Averaged over every value.
    Average,
    /// Over time the latest period's value; over units the sum.
    Latest,
    /// The sum of one indicator over the sum of another (a share, in %).
    Ratio {
        /// Above the line.
        numerator: String,
        /// Below the line.
        denominator: String,
    },
}

impl Aggregation {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Average => "average",
            Aggregation::Latest => "latest",
            Aggregation::Ratio { .. } => "ratio",
        }
    }
}

/// The running totals of one indicator in one unit and one reported period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cell {
    /// Sum of the values.
    pub sum: f64,
    /// How many values.
    pub count: i64,
}

impl Cell {
    /// Adds a value (`sign` 1) or takes it back (`sign` -1).
    pub fn add(&mut self, value: f64, sign: i64) {
        self.sum += sign as f64 * value;
        self.count += sign;
    }
}

/// Combines the cells of one indicator for a view, given as (unit, period start as an ordinal, cell).
/// Returns `None` when there is nothing to combine. Ratios are computed by [`ratio`] from two indicators.
pub fn combine(rule: &Aggregation, cells: &[(&str, i64, Cell)]) -> Option<f64> {
    let (sum, count) = cells.iter().fold((0.0, 0i64), |(s, c), (_, _, cell)| (s + cell.sum, c + cell.count));
    if count <= 0 {
        return None;
    }
    match rule {
        Aggregation::Sum => Some(sum),
        Aggregation::Average => Some(sum / count as f64),
        Aggregation::Latest => {
            // Each unit's latest period, then the sum over units.
            let mut latest: std::collections::HashMap<&str, (i64, f64)> = std::collections::HashMap::new();
            for (unit, at, cell) in cells {
                if cell.count <= 0 {
                    continue;
                }
                let entry = latest.entry(unit).or_insert((i64::MIN, 0.0));
                if *at > entry.0 {
                    *entry = (*at, cell.sum);
                } else if *at == entry.0 {
                    entry.1 += cell.sum;
                }
            }
            Some(latest.values().map(|(_, v)| v).sum())
        }
        Aggregation::Ratio { .. } => None,
    }
}

/// What a unit that received `share` (0–1] of an old unit's territory gets of a value the old unit reported.
/// Additive values (sums, and stocks taken as "latest") are divided by the share; an average (a rate, a
/// percentage) describes each part as it described the whole, so it is kept as it is.
pub fn contribution(rule: &Aggregation, value: f64, share: f64) -> f64 {
    match rule {
        Aggregation::Average => value,
        Aggregation::Sum | Aggregation::Latest | Aggregation::Ratio { .. } => value * share,
    }
}

/// The cells a view of `target` combines, from the cells of the periods reported (each with its period):
/// those of exactly `target` when there are any; otherwise those of the coarsest periodicity that divides
/// `target` without overlap (quarters, then months). Half-year and nine-month reports overlap the quarters,
/// so they are read only for themselves. Mixing periodicities would count the same months twice.
pub fn within(target: Period, cells: &[(Period, Cell)]) -> Vec<(Period, Cell)> {
    let pick = |periodicity: Periodicity| -> Vec<(Period, Cell)> {
        cells
            .iter()
            .filter(|(p, c)| p.periodicity() == periodicity && target.contains(*p) && c.count > 0)
            .copied()
            .collect()
    };
    let exact: Vec<(Period, Cell)> = cells.iter().filter(|(p, c)| *p == target && c.count > 0).copied().collect();
    if !exact.is_empty() {
        return exact;
    }
    let finer: &[Periodicity] = match target {
        Period::Year(_) | Period::FirstHalf(_) | Period::NineMonths(_) => {
            &[Periodicity::Quarterly, Periodicity::Monthly]
        }
        Period::Quarter(..) => &[Periodicity::Monthly],
        Period::Month(..) | Period::Day(_) => &[],
    };
    finer.iter().map(|p| pick(*p)).find(|found| !found.is_empty()).unwrap_or_default()
}

/// A ratio in percent from the combined numerator and denominator; `None` when the denominator is zero or
/// missing.
pub fn ratio(numerator: Option<f64>, denominator: Option<f64>) -> Option<f64> {
    match (numerator, denominator) {
        (Some(n), Some(d)) if d != 0.0 => Some(100.0 * n / d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(sum: f64, count: i64) -> Cell {
        Cell { sum, count }
    }

    #[test]
    fn sums_averages_and_latest_values_combine_as_their_rule_says() {
        let cells = [("A", 1, cell(10.0, 1)), ("A", 2, cell(12.0, 1)), ("B", 1, cell(5.0, 1))];
        assert_eq!(combine(&Aggregation::Sum, &cells), Some(27.0));
        assert_eq!(combine(&Aggregation::Average, &cells), Some(9.0));
        // A's latest (12) plus B's latest (5).
        assert_eq!(combine(&Aggregation::Latest, &cells), Some(17.0));
        assert_eq!(combine(&Aggregation::Sum, &[]), None);
        assert_eq!(ratio(Some(30.0), Some(120.0)), Some(25.0));
        assert_eq!(ratio(Some(30.0), Some(0.0)), None);
    }

    #[test]
    fn a_split_units_share_divides_sums_and_keeps_averages() {
        assert_eq!(contribution(&Aggregation::Sum, 100.0, 0.25), 25.0);
        assert_eq!(contribution(&Aggregation::Latest, 100.0, 0.5), 50.0);
        assert_eq!(contribution(&Aggregation::Average, 12.5, 0.25), 12.5);
    }

    #[test]
    fn a_year_reads_its_own_report_else_quarters_else_months_never_both() {
        let q = |n| (Period::Quarter(2025, n), cell(10.0, 1));
        let m = |n| (Period::Month(2025, n), cell(1.0, 1));
        let year = Period::Year(2025);
        let all = [q(1), q(2), m(1), m(2), m(3), (Period::FirstHalf(2025), cell(50.0, 1))];
        assert_eq!(within(year, &all), vec![q(1), q(2)], "quarters before months, never the half-year");
        assert_eq!(within(year, &[m(1), m(2)]), vec![m(1), m(2)]);
        let with_year = [(Period::Year(2025), cell(99.0, 1)), q(1)];
        assert_eq!(within(year, &with_year), vec![(Period::Year(2025), cell(99.0, 1))]);
        assert_eq!(within(Period::Quarter(2025, 1), &all), vec![q(1)]);
        assert_eq!(within(Period::Quarter(2025, 2), &all), vec![q(2)]);
        assert_eq!(within(Period::FirstHalf(2025), &all), vec![(Period::FirstHalf(2025), cell(50.0, 1))]);
        assert!(within(Period::Year(2024), &all).is_empty());
        assert!(within(year, &[(Period::Quarter(2025, 1), cell(0.0, 0))]).is_empty(), "emptied cells are ignored");
    }

    #[test]
    fn taking_a_report_back_restores_the_totals() {
        let mut c = Cell::default();
        c.add(7.0, 1);
        c.add(3.0, 1);
        c.add(7.0, -1);
        assert_eq!(c, cell(3.0, 1));
        assert_eq!(combine(&Aggregation::Sum, &[("A", 1, cell(0.0, 0))]), None, "no value left");
    }
}
