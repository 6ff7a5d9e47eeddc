//! How indicator values combine up the hierarchy (communes → province) and over time (months → year).
//!
//! Values are kept as running sums: for each (indicator, unit, period) the sum of the values and how many
//! there are. Sum and average come straight from them; a ratio divides the sums of two other indicators;
//! "latest" (stocks such as the number of organisations at the end of a period) takes, over time, the latest
//! period that has data and, over units, the sum of each unit's latest. Adding a report adds to the sums and
//! unlocking one subtracts it: no nightly rebuild.

use serde::{Deserialize, Serialize};

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
    fn taking_a_report_back_restores_the_totals() {
        let mut c = Cell::default();
        c.add(7.0, 1);
        c.add(3.0, 1);
        c.add(7.0, -1);
        assert_eq!(c, cell(3.0, 1));
        assert_eq!(combine(&Aggregation::Sum, &[("A", 1, cell(0.0, 0))]), None, "no value left");
    }
}
