//! Reporting periods as Vietnamese administrations use them (Nghị định 09/2019/NĐ-CP): monthly, quarterly,
//! the first six months, the first nine months, the year, and ad hoc. A period has a stable code
//! (`2025`, `2025Q3`, `2025M07`, `2025H1`, `2025N9`, `2025-11-30`), its first and last day, and a name
//! in both languages ("Quý III/2025", "6 tháng đầu năm 2025").

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// How often a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    /// Every month.
    Monthly,
    /// Every quarter.
    Quarterly,
    /// The first six months of a year (báo cáo 6 tháng).
    HalfYearly,
    /// The first nine months of a year (báo cáo 9 tháng).
    NineMonthly,
    /// Every year.
    Yearly,
    /// When asked (báo cáo đột xuất): the period is the day named by the request.
    AdHoc,
}

impl Periodicity {
    /// Every periodicity.
    pub const ALL: [Periodicity; 6] = [
        Periodicity::Monthly,
        Periodicity::Quarterly,
        Periodicity::HalfYearly,
        Periodicity::NineMonthly,
        Periodicity::Yearly,
        Periodicity::AdHoc,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Periodicity::Monthly => "monthly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::HalfYearly => "half_yearly",
            Periodicity::NineMonthly => "nine_monthly",
            Periodicity::Yearly => "yearly",
            Periodicity::AdHoc => "ad_hoc",
        }
    }

    /// The periodicity of a code.
    pub fn from_code(code: &str) -> Option<Periodicity> {
        Periodicity::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The name in a language.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Periodicity::Monthly, Lang::Vi) => "Hằng tháng",
            (Periodicity::Quarterly, Lang::Vi) => "Hằng quý",
            (Periodicity::HalfYearly, Lang::Vi) => "6 tháng",
            (Periodicity::NineMonthly, Lang::Vi) => "9 tháng",
            (Periodicity::Yearly, Lang::Vi) => "Hằng năm",
            (Periodicity::AdHoc, Lang::Vi) => "Đột xuất",
            (Periodicity::Monthly, Lang::En) => "Monthly",
            (Periodicity::Quarterly, Lang::En) => "Quarterly",
            (Periodicity::HalfYearly, Lang::En) => "First six months",
            (Periodicity::NineMonthly, Lang::En) => "First nine months",
            (Periodicity::Yearly, Lang::En) => "Yearly",
            (Periodicity::AdHoc, Lang::En) => "Ad hoc",
        }
    }
}

/// One reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A month: year, month 1–12.
    Month(i32, u32),
    /// A quarter: year, quarter 1–4.
    Quarter(i32, u32),
    /// January to June of a year.
    FirstHalf(i32),
    /// January to September of a year.
    NineMonths(i32),
    /// A calendar year.
    Year(i32),
    /// An ad hoc report as of a day.
    Day(NaiveDate),
}

/// Why a period code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a period (2025, 2025Q3, 2025M07, 2025H1, 2025N9 or a date 2025-11-30)")]
pub struct PeriodError(pub String);

impl Period {
    /// Parses a period code.
    pub fn parse(code: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError(code.to_owned());
        let c = code.trim().to_ascii_uppercase();
        if let Ok(d) = NaiveDate::parse_from_str(&c, "%Y-%m-%d") {
            return Ok(Period::Day(d));
        }
        if c.len() < 4 || !c.is_char_boundary(4) {
            return Err(err());
        }
        let (y, rest) = c.split_at(4);
        let year: i32 = y.parse().map_err(|_| err())?;
        if !(1945..=2100).contains(&year) {
            return Err(err());
        }
        let number = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
        match rest.split_at_checked(1) {
            None | Some(("", _)) => Ok(Period::Year(year)),
            Some(("Q", n)) => number(n, 4).map(|q| Period::Quarter(year, q)).ok_or_else(err),
            Some(("M", n)) if n.len() == 2 => number(n, 12).map(|m| Period::Month(year, m)).ok_or_else(err),
            Some(("H", "1")) => Ok(Period::FirstHalf(year)),
            Some(("N", "9")) => Ok(Period::NineMonths(year)),
            _ => Err(err()),
        }
    }

    /// The stable code.
    pub fn code(self) -> String {
        match self {
            Period::Month(y, m) => format!("{y}M{m:02}"),
            Period::Quarter(y, q) => format!("{y}Q{q}"),
            Period::FirstHalf(y) => format!("{y}H1"),
            Period::NineMonths(y) => format!("{y}N9"),
            Period::Year(y) => format!("{y}"),
            Period::Day(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The periodicity this period belongs to.
    pub fn periodicity(self) -> Periodicity {
        match self {
            Period::Month(..) => Periodicity::Monthly,
            Period::Quarter(..) => Periodicity::Quarterly,
            Period::FirstHalf(_) => Periodicity::HalfYearly,
            Period::NineMonths(_) => Periodicity::NineMonthly,
            Period::Year(_) => Periodicity::Yearly,
            Period::Day(_) => Periodicity::AdHoc,
        }
    }

    /// The year the period falls in.
    pub fn year(self) -> i32 {
        match self {
            Period::Month(y, _)
            | Period::Quarter(y, _)
            | Period::FirstHalf(y)
            | Period::NineMonths(y)
            | Period::Year(y) => y,
            Period::Day(d) => d.year(),
        }
    }

    /// The first day.
    pub fn start(self) -> NaiveDate {
        let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("a valid month");
        match self {
            Period::Month(y, m) => ymd(y, m),
            Period::Quarter(y, q) => ymd(y, (q - 1) * 3 + 1),
            Period::FirstHalf(y) | Period::NineMonths(y) | Period::Year(y) => ymd(y, 1),
            Period::Day(d) => d,
        }
    }

    /// The last day.
    pub fn end(self) -> NaiveDate {
        let last_of = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            NaiveDate::from_ymd_opt(ny, nm, 1).expect("a valid month") - Duration::days(1)
        };
        match self {
            Period::Month(y, m) => last_of(y, m),
            Period::Quarter(y, q) => last_of(y, q * 3),
            Period::FirstHalf(y) => last_of(y, 6),
            Period::NineMonths(y) => last_of(y, 9),
            Period::Year(y) => last_of(y, 12),
            Period::Day(d) => d,
        }
    }

    /// Whether the whole of `other` lies within this period (a month within its quarter and year).
    pub fn contains(self, other: Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The period of the same periodicity that follows this one; an ad hoc day has none.
    pub fn next(self) -> Option<Period> {
        Some(match self {
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::FirstHalf(y) => Period::FirstHalf(y + 1),
            Period::NineMonths(y) => Period::NineMonths(y + 1),
            Period::Year(y) => Period::Year(y + 1),
            Period::Day(_) => return None,
        })
    }

    /// The period before this one (for "the previous period's values").
    pub fn previous(self) -> Option<Period> {
        Some(match self {
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::FirstHalf(y) => Period::FirstHalf(y - 1),
            Period::NineMonths(y) => Period::NineMonths(y - 1),
            Period::Year(y) => Period::Year(y - 1),
            Period::Day(_) => return None,
        })
    }

    /// The periods of a periodicity that ended on or before `today`, the most recent last, from the year
    /// `from_year` (the last `limit` of them).
    pub fn ended(periodicity: Periodicity, from_year: i32, today: NaiveDate, limit: usize) -> Vec<Period> {
        let first = match periodicity {
            Periodicity::Monthly => Period::Month(from_year, 1),
            Periodicity::Quarterly => Period::Quarter(from_year, 1),
            Periodicity::HalfYearly => Period::FirstHalf(from_year),
            Periodicity::NineMonthly => Period::NineMonths(from_year),
            Periodicity::Yearly => Period::Year(from_year),
            Periodicity::AdHoc => return Vec::new(),
        };
        let mut out = Vec::new();
        let mut p = first;
        while p.end() <= today {
            out.push(p);
            match p.next() {
                Some(n) => p = n,
                None => break,
            }
        }
        let skip = out.len().saturating_sub(limit);
        out.split_off(skip)
    }

    /// The name in a language: "Quý III/2025", "Tháng 7/2025", "6 tháng đầu năm 2025", "Năm 2025".
    pub fn name(self, lang: Lang) -> String {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match (self, lang) {
            (Period::Month(y, m), Lang::Vi) => format!("Tháng {m}/{y}"),
            (Period::Quarter(y, q), Lang::Vi) => format!("Quý {}/{y}", ROMAN[(q - 1) as usize]),
            (Period::FirstHalf(y), Lang::Vi) => format!("6 tháng đầu năm {y}"),
            (Period::NineMonths(y), Lang::Vi) => format!("9 tháng đầu năm {y}"),
            (Period::Year(y), Lang::Vi) => format!("Năm {y}"),
            (Period::Day(d), Lang::Vi) => format!("Đột xuất ngày {}", crate::fmt::date(d)),
            (Period::Month(y, m), Lang::En) => {
                format!(
                    "{} {y}",
                    NaiveDate::from_ymd_opt(y, m, 1).map(|d| d.format("%B").to_string()).unwrap_or_default()
                )
            }
            (Period::Quarter(y, q), Lang::En) => format!("Q{q} {y}"),
            (Period::FirstHalf(y), Lang::En) => format!("First half of {y}"),
            (Period::NineMonths(y), Lang::En) => format!("First nine months of {y}"),
            (Period::Year(y), Lang::En) => format!("Year {y}"),
            (Period::Day(d), Lang::En) => format!("Ad hoc, {}", crate::fmt::date(d)),
        }
    }
}

/// Why a period was refused for a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// Not a period code at all.
    Format,
    /// A period of another periodicity (a quarter for a yearly template).
    WrongKind,
    /// A period that has not begun yet.
    Future,
}

impl PeriodProblem {
    /// A stable code for the field error.
    pub fn code(self) -> &'static str {
        match self {
            PeriodProblem::Format => "period_format",
            PeriodProblem::WrongKind => "period_wrong_kind",
            PeriodProblem::Future => "period_future",
        }
    }
}

impl Period {
    /// Reads the period a report is opened for: a code of the template's periodicity, for a period that has
    /// begun by `today` (a period may be reported before it ends; one that has not begun may not).
    pub fn for_report(periodicity: Periodicity, code: &str, today: NaiveDate) -> Result<Period, PeriodProblem> {
        let period = Period::parse(code).map_err(|_| PeriodProblem::Format)?;
        if period.periodicity() != periodicity {
            return Err(PeriodProblem::WrongKind);
        }
        if period.start() > today {
            return Err(PeriodProblem::Future);
        }
        Ok(period)
    }

    /// The first day as a number that orders periods by start (days since the common era).
    pub fn ordinal(self) -> i64 {
        i64::from(self.start().num_days_from_ce())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_round_trip_and_bound_their_days() {
        for (code, start, end) in [
            ("2025", d(2025, 1, 1), d(2025, 12, 31)),
            ("2025Q3", d(2025, 7, 1), d(2025, 9, 30)),
            ("2024M02", d(2024, 2, 1), d(2024, 2, 29)),
            ("2025H1", d(2025, 1, 1), d(2025, 6, 30)),
            ("2025N9", d(2025, 1, 1), d(2025, 9, 30)),
            ("2025-11-30", d(2025, 11, 30), d(2025, 11, 30)),
        ] {
            let p = Period::parse(code).unwrap();
            assert_eq!((p.code(), p.start(), p.end()), (code.to_owned(), start, end), "{code}");
        }
        assert_eq!(Period::parse("2025q3"), Ok(Period::Quarter(2025, 3)));
        for bad in ["25", "2025Q5", "2025M13", "2025M7", "2025H2", "năm 2025", "", "1900"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn periods_have_vietnamese_names() {
        assert_eq!(Period::Quarter(2025, 3).name(Lang::Vi), "Quý III/2025");
        assert_eq!(Period::Month(2025, 7).name(Lang::Vi), "Tháng 7/2025");
        assert_eq!(Period::FirstHalf(2025).name(Lang::Vi), "6 tháng đầu năm 2025");
        assert_eq!(Period::Year(2020).name(Lang::En), "Year 2020");
    }

    #[test]
    fn months_lie_within_their_quarter_and_year() {
        assert!(Period::Year(2025).contains(Period::Quarter(2025, 4)));
        assert!(Period::Quarter(2025, 3).contains(Period::Month(2025, 9)));
        assert!(!Period::Quarter(2025, 3).contains(Period::Month(2025, 10)));
        assert!(Period::NineMonths(2025).contains(Period::Quarter(2025, 3)));
        assert_eq!(Period::Month(2025, 12).next(), Some(Period::Month(2026, 1)));
        assert_eq!(Period::Quarter(2025, 1).previous(), Some(Period::Quarter(2024, 4)));
    }

    #[test]
    fn a_report_is_opened_for_a_begun_period_of_its_templates_periodicity() {
        let today = d(2025, 8, 15);
        assert_eq!(Period::for_report(Periodicity::Yearly, "2024", today), Ok(Period::Year(2024)));
        assert_eq!(Period::for_report(Periodicity::Quarterly, "2025Q3", today), Ok(Period::Quarter(2025, 3)));
        assert_eq!(Period::for_report(Periodicity::Yearly, "2025Q3", today), Err(PeriodProblem::WrongKind));
        assert_eq!(Period::for_report(Periodicity::Quarterly, "2025Q4", today), Err(PeriodProblem::Future));
        assert_eq!(Period::for_report(Periodicity::Yearly, "năm 2024", today), Err(PeriodProblem::Format));
        assert_eq!(Period::for_report(Periodicity::AdHoc, "2025-08-01", today), Ok(Period::Day(d(2025, 8, 1))));
        assert!(Period::Month(2025, 1).ordinal() < Period::Month(2025, 2).ordinal());
    }

    #[test]
    fn the_ended_periods_stop_before_today() {
        let got = Period::ended(Periodicity::Quarterly, 2025, d(2026, 1, 15), 10);
        assert_eq!(got.last(), Some(&Period::Quarter(2025, 4)));
        assert_eq!(got.len(), 4);
        assert_eq!(
            Period::ended(Periodicity::Yearly, 2017, d(2026, 11, 27), 3),
            [Period::Year(2023), Period::Year(2024), Period::Year(2025)]
        );
    }
}
