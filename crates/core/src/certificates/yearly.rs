//! The yearly report of a certified enterprise as a form of the reporting engine (`yearly_report.toml`,
//! code [`FORM_CODE`]): its definition, and the figures the conditions are re-checked on, read from the
//! values of an approved report.

use std::collections::HashMap;

use super::YearFigures;

/// The code of the form (stable across its versions).
pub const FORM_CODE: &str = "DN-KHCN";

/// The fields the conditions read, in đồng.
pub mod fields {
    /// Total revenue.
    pub const TOTAL_REVENUE: &str = "total_revenue";
    /// Revenue from products of the S&T results.
    pub const ST_REVENUE: &str = "st_revenue";
    /// Net revenue.
    pub const NET_REVENUE: &str = "net_revenue";
    /// R&D and innovation spending.
    pub const RD_SPENDING: &str = "rd_spending";
}

/// The definition the program installs (TOML of the reporting engine).
pub fn form_source() -> &'static str {
    include_str!("yearly_report.toml")
}

/// An amount in đồng from a report's number (stored as a float; amounts are whole).
fn dong(n: f64) -> Option<i64> {
    #[expect(clippy::cast_possible_truncation, reason = "amounts below 10^15 đồng fit an i64 exactly")]
    (n.is_finite() && n.abs() < 1e15).then(|| n.round() as i64)
}

/// The figures of `year` from the numbers of a report by field code; `None` without a total revenue.
pub fn figures(year: i32, numbers: &HashMap<String, f64>) -> Option<YearFigures> {
    let get = |code: &str| numbers.get(code).copied().and_then(dong);
    Some(YearFigures {
        year,
        total_revenue: get(fields::TOTAL_REVENUE)?,
        st_revenue: get(fields::ST_REVENUE),
        net_revenue: get(fields::NET_REVENUE),
        rd_spending: get(fields::RD_SPENDING),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::{FieldKind, Periodicity, TemplateDef};

    #[test]
    fn the_form_is_a_yearly_form_with_the_amounts_the_conditions_read() {
        let def = TemplateDef::parse(form_source()).unwrap();
        assert_eq!(def.code, FORM_CODE);
        assert_eq!(def.periodicity, Periodicity::Yearly);
        for code in [fields::TOTAL_REVENUE, fields::ST_REVENUE, fields::NET_REVENUE, fields::RD_SPENDING] {
            assert_eq!(def.field(code).map(|f| f.kind), Some(FieldKind::Money), "{code}");
        }
        assert!(def.field(fields::TOTAL_REVENUE).unwrap().required);
    }

    #[test]
    fn figures_are_read_from_the_numbers_and_need_the_total() {
        let numbers: HashMap<String, f64> =
            [("total_revenue".to_owned(), 8e9), ("st_revenue".to_owned(), 9.6e8)].into_iter().collect();
        let f = figures(2023, &numbers).unwrap();
        assert_eq!(
            (f.year, f.total_revenue, f.st_revenue, f.rd_spending),
            (2023, 8_000_000_000, Some(960_000_000), None)
        );
        assert_eq!(figures(2023, &HashMap::new()), None);
    }
}
