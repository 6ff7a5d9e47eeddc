//! The conditions of the certificate as data (`eligibility.toml`), evaluated on the submitted figures as a
//! checklist for the officer: each condition met, not met, not applicable, missing figures, or left to the
//! officer's judgement. The legal basis in force on the application date applies (NĐ 13/2019 until
//! 13/10/2025, NĐ 268/2025 from 14/10/2025). The same evaluation re-checks the conditions on a certified
//! enterprise's yearly report.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{LegalBasis, SizeClass, YearFigures};

/// What a condition checks; its thresholds are in the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A valid tax code.
    Registered,
    /// At least one S&T result with its evidence.
    Results,
    /// At least one product made from the results.
    Products,
    /// Revenue from S&T products as a share of total revenue, last financial year.
    StRevenueShare,
    /// R&D and innovation spending against the average net revenue of preceding years, or an amount.
    RdSpending,
    /// No threshold known: the officer judges.
    ToJudge,
}

/// A condition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The stable code (`st_revenue_share`); its label is `cert-rule-<code>`.
    pub code: String,
    /// The legal bases it belongs to.
    pub bases: Vec<String>,
    /// The sizes it applies to (every size when empty).
    #[serde(default)]
    pub sizes: Vec<String>,
    /// What it checks.
    pub kind: RuleKind,
    /// Applies only to enterprises at least this old (years since establishment).
    #[serde(default)]
    pub min_age_years: Option<u32>,
    /// The share required, in percent.
    #[serde(default)]
    pub min_percent: Option<u32>,
    /// The preceding financial years averaged.
    #[serde(default)]
    pub years: Option<u32>,
    /// The amount in đồng a year that satisfies it on its own.
    #[serde(default)]
    pub min_amount: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BasisDef {
    code: String,
    in_force: NaiveDate,
}

/// A document of the dossier's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    /// The stable code (`application_form`); its label is `cert-doc-<code>`.
    pub code: String,
    /// The legal bases that ask for it.
    pub bases: Vec<String>,
    /// Whether a file is needed before the dossier is sent.
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    bases: Vec<BasisDef>,
    rules: Vec<Rule>,
    documents: Vec<DocumentDef>,
}

/// The conditions of every legal basis.
#[derive(Debug, Clone)]
pub struct Conditions {
    bases: Vec<(LegalBasis, NaiveDate)>,
    rules: Vec<Rule>,
    documents: Vec<DocumentDef>,
}

/// The outcome of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Met on the figures.
    Met,
    /// Not met on the figures.
    NotMet,
    /// Does not apply to this enterprise (younger than the rule's age).
    NotApplicable,
    /// The figures it needs were not given.
    Missing,
    /// No threshold configured: the officer judges.
    ToJudge,
}

impl Outcome {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::NotApplicable => "not_applicable",
            Outcome::Missing => "missing",
            Outcome::ToJudge => "to_judge",
        }
    }
}

/// A condition evaluated: its code, outcome and the figures behind it (for the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The rule's code.
    pub code: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The figures (`percent`, `required`, `year`, `amount`) for the message.
    pub args: Vec<(&'static str, String)>,
}

/// What the conditions are evaluated on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts<'a> {
    /// Whether the tax code is valid.
    pub registered: bool,
    /// The day the enterprise was established.
    pub established_on: Option<NaiveDate>,
    /// Its size.
    pub size: Option<SizeClass>,
    /// The S&T results with evidence.
    pub results: usize,
    /// The products made from them.
    pub products: usize,
    /// Revenue and R&D spending by year.
    pub figures: &'a [YearFigures],
}

impl Conditions {
    /// The conditions of `eligibility.toml`.
    ///
    /// # Panics
    /// Never for the file shipped (a test reads it).
    pub fn standard() -> &'static Conditions {
        static CONDITIONS: OnceLock<Conditions> = OnceLock::new();
        CONDITIONS
            .get_or_init(|| Conditions::parse(include_str!("eligibility.toml")).expect("eligibility.toml is valid"))
    }

    /// Reads the conditions: every basis known, every rule of a known basis and size, with the thresholds
    /// its kind needs.
    pub fn parse(text: &str) -> Result<Conditions, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut bases = Vec::new();
        for b in &file.bases {
            let basis = LegalBasis::from_code(&b.code).ok_or_else(|| format!("unknown basis {}", b.code))?;
            bases.push((basis, b.in_force));
        }
        bases.sort_by_key(|(_, day)| *day);
        for r in &file.rules {
            if r.bases.iter().any(|b| LegalBasis::from_code(b).is_none()) {
                return Err(format!("{} names an unknown basis", r.code));
            }
            if r.sizes.iter().any(|s| SizeClass::from_code(s).is_none()) {
                return Err(format!("{} names an unknown size", r.code));
            }
            let needs = match r.kind {
                RuleKind::StRevenueShare => r.min_percent.is_some(),
                RuleKind::RdSpending => r.min_percent.is_some() && r.years.is_some_and(|y| y > 0),
                _ => true,
            };
            if !needs {
                return Err(format!("{} lacks its thresholds", r.code));
            }
        }
        if file.documents.iter().any(|d| d.bases.iter().any(|b| LegalBasis::from_code(b).is_none())) {
            return Err("a document names an unknown basis".into());
        }
        Ok(Conditions { bases, rules: file.rules, documents: file.documents })
    }

    /// The checklist of documents of a basis.
    pub fn documents(&self, basis: LegalBasis) -> impl Iterator<Item = &DocumentDef> {
        self.documents.iter().filter(move |d| d.bases.iter().any(|b| b == basis.code()))
    }

    /// Every document code, once each (the API's enum).
    pub fn document_codes(&self) -> Vec<&str> {
        self.documents.iter().map(|d| d.code.as_str()).collect()
    }

    /// The legal basis in force on a day (`None` before NĐ 13/2019).
    pub fn basis_on(&self, day: NaiveDate) -> Option<LegalBasis> {
        self.bases.iter().rev().find(|(_, from)| *from <= day).map(|(b, _)| *b)
    }

    /// The rules of a basis, for an enterprise of this size (all sizes' rules when the size is unknown).
    pub fn rules(&self, basis: LegalBasis, size: Option<SizeClass>) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| {
            r.bases.iter().any(|b| b == basis.code())
                && (r.sizes.is_empty() || size.is_none_or(|s| r.sizes.iter().any(|x| x == s.code())))
        })
    }

    /// The checklist of a basis on the facts, for an application made in `year` (the financial years
    /// before it are the preceding ones).
    pub fn evaluate(&self, basis: LegalBasis, facts: &Facts<'_>, on: NaiveDate) -> Vec<Check> {
        self.rules(basis, facts.size).map(|r| check(r, facts, on)).collect()
    }

    /// Whether every condition is met or does not apply (the yearly re-check's "still holds").
    pub fn all_hold(checks: &[Check]) -> bool {
        checks.iter().all(|c| matches!(c.outcome, Outcome::Met | Outcome::NotApplicable | Outcome::ToJudge))
    }
}

fn years_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn percent_text(numerator: i64, denominator: i64) -> String {
    if denominator == 0 {
        return "0".into();
    }
    let tenths = i128::from(numerator) * 1000 / i128::from(denominator);
    format!("{},{}", tenths / 10, tenths % 10)
}

fn check(rule: &Rule, facts: &Facts<'_>, on: NaiveDate) -> Check {
    let mut args: Vec<(&'static str, String)> = Vec::new();
    let outcome = match rule.kind {
        RuleKind::Registered => met(facts.registered),
        RuleKind::Results => met(facts.results > 0),
        RuleKind::Products => met(facts.products > 0),
        RuleKind::ToJudge => Outcome::ToJudge,
        RuleKind::StRevenueShare => {
            let required = rule.min_percent.unwrap_or(0);
            args.push(("required", required.to_string()));
            let young = match (rule.min_age_years, facts.established_on) {
                (Some(age), Some(est)) => years_between(est, on) < i32::try_from(age).unwrap_or(i32::MAX),
                _ => false,
            };
            if young {
                Outcome::NotApplicable
            } else if rule.min_age_years.is_some() && facts.established_on.is_none() {
                Outcome::Missing
            } else {
                let last = facts.figures.iter().filter(|f| f.year < on.year()).max_by_key(|f| f.year);
                match last.and_then(|f| f.st_revenue.map(|st| (f, st))) {
                    Some((f, st)) if f.total_revenue > 0 => {
                        args.push(("year", f.year.to_string()));
                        args.push(("percent", percent_text(st, f.total_revenue)));
                        met(i128::from(st) * 100 >= i128::from(f.total_revenue) * i128::from(required))
                    }
                    _ => Outcome::Missing,
                }
            }
        }
        RuleKind::RdSpending => {
            let required = rule.min_percent.unwrap_or(0);
            let span = rule.years.unwrap_or(3);
            args.push(("required", required.to_string()));
            let years: Vec<&YearFigures> = (1..=span)
                .filter_map(|back| {
                    let y = on.year() - i32::try_from(back).unwrap_or(0);
                    facts.figures.iter().find(|f| f.year == y)
                })
                .collect();
            let latest = years.first().and_then(|f| f.rd_spending.map(|rd| (f.year, rd)));
            match latest {
                Some((year, rd)) if rule.min_amount.is_some_and(|m| rd >= m) => {
                    args.push(("year", year.to_string()));
                    args.push(("amount", rd.to_string()));
                    Outcome::Met
                }
                Some((year, rd)) if years.len() == span as usize && years.iter().all(|f| f.net_revenue.is_some()) => {
                    let sum: i128 = years.iter().filter_map(|f| f.net_revenue).map(i128::from).sum();
                    let average = i64::try_from(sum / i128::from(span)).unwrap_or(i64::MAX);
                    args.push(("year", year.to_string()));
                    args.push(("percent", percent_text(rd, average)));
                    met(average > 0 && i128::from(rd) * 100 >= i128::from(average) * i128::from(required))
                }
                _ => Outcome::Missing,
            }
        }
    };
    Check { code: rule.code.clone(), outcome, args }
}

fn met(yes: bool) -> Outcome {
    if yes { Outcome::Met } else { Outcome::NotMet }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn year(y: i32, total: i64, st: i64, net: i64, rd: i64) -> YearFigures {
        YearFigures {
            year: y,
            total_revenue: total,
            st_revenue: Some(st),
            net_revenue: Some(net),
            rd_spending: Some(rd),
        }
    }

    fn outcome(checks: &[Check], code: &str) -> Outcome {
        checks.iter().find(|c| c.code == code).unwrap_or_else(|| panic!("no {code}")).outcome
    }

    #[test]
    fn the_basis_in_force_on_the_application_date_applies() {
        let c = Conditions::standard();
        assert_eq!(c.basis_on(d(2019, 3, 19)), None);
        assert_eq!(c.basis_on(d(2020, 11, 2)), Some(LegalBasis::Nd13_2019));
        assert_eq!(c.basis_on(d(2025, 10, 13)), Some(LegalBasis::Nd13_2019));
        assert_eq!(c.basis_on(d(2025, 10, 14)), Some(LegalBasis::Nd268_2025));
    }

    #[test]
    fn nd13_asks_thirty_percent_of_revenue_from_enterprises_five_years_old() {
        let c = Conditions::standard();
        let figures = [year(2019, 10_000, 3_000, 9_000, 100)];
        let facts = Facts {
            registered: true,
            established_on: Some(d(2012, 5, 1)),
            size: Some(SizeClass::Small),
            results: 1,
            products: 1,
            figures: &figures,
        };
        let on = d(2020, 11, 2);
        let checks = c.evaluate(LegalBasis::Nd13_2019, &facts, on);
        assert_eq!(outcome(&checks, "st_revenue_share"), Outcome::Met);
        assert!(Conditions::all_hold(&checks));
        let low = [year(2019, 10_000, 2_999, 9_000, 100)];
        let checks = c.evaluate(LegalBasis::Nd13_2019, &Facts { figures: &low, ..facts.clone() }, on);
        assert_eq!(outcome(&checks, "st_revenue_share"), Outcome::NotMet);
        assert!(checks.iter().any(|c| c.args.contains(&("percent", "29,9".into()))));
        assert!(!Conditions::all_hold(&checks));
        // A young enterprise needs only the general conditions.
        let young = Facts { established_on: Some(d(2017, 1, 1)), figures: &low, ..facts.clone() };
        assert_eq!(outcome(&c.evaluate(LegalBasis::Nd13_2019, &young, on), "st_revenue_share"), Outcome::NotApplicable);
        // No figures for the year before: missing, for the officer to ask.
        let none = Facts { figures: &[], ..facts };
        assert_eq!(outcome(&c.evaluate(LegalBasis::Nd13_2019, &none, on), "st_revenue_share"), Outcome::Missing);
    }

    #[test]
    fn nd268_asks_large_enterprises_two_percent_of_average_net_revenue_or_200_billion() {
        let c = Conditions::standard();
        let on = d(2026, 3, 1);
        let bn = 1_000_000_000;
        let figures = [
            year(2025, 1000 * bn, 0, 900 * bn, 20 * bn),
            year(2024, 1000 * bn, 0, 1000 * bn, 0),
            year(2023, 0, 0, 1100 * bn, 0),
        ];
        let facts = Facts {
            registered: true,
            established_on: Some(d(2010, 1, 1)),
            size: Some(SizeClass::Large),
            results: 1,
            products: 1,
            figures: &figures,
        };
        let checks = c.evaluate(LegalBasis::Nd268_2025, &facts, on);
        assert_eq!(outcome(&checks, "rd_spending_large"), Outcome::Met, "20 bn of an average 1000 bn is 2%");
        assert!(checks.iter().all(|c| c.code != "size_conditions"));
        let short = [year(2025, 1000 * bn, 0, 900 * bn, 19 * bn), figures[1].clone(), figures[2].clone()];
        let checks = c.evaluate(LegalBasis::Nd268_2025, &Facts { figures: &short, ..facts.clone() }, on);
        assert_eq!(outcome(&checks, "rd_spending_large"), Outcome::NotMet);
        let big = [year(2025, 100_000 * bn, 0, 100_000 * bn, 200 * bn)];
        let checks = c.evaluate(LegalBasis::Nd268_2025, &Facts { figures: &big, ..facts.clone() }, on);
        assert_eq!(outcome(&checks, "rd_spending_large"), Outcome::Met, "200 bn a year is enough on its own");
        let one_year = [year(2025, 1000 * bn, 0, 900 * bn, 19 * bn)];
        let checks = c.evaluate(LegalBasis::Nd268_2025, &Facts { figures: &one_year, ..facts.clone() }, on);
        assert_eq!(outcome(&checks, "rd_spending_large"), Outcome::Missing);
        // A small enterprise: the officer judges.
        let small = Facts { size: Some(SizeClass::Small), ..facts };
        let checks = c.evaluate(LegalBasis::Nd268_2025, &small, on);
        assert_eq!(outcome(&checks, "size_conditions"), Outcome::ToJudge);
        assert!(checks.iter().all(|c| c.code != "rd_spending_large"));
    }

    #[test]
    fn a_condition_without_its_threshold_is_refused() {
        let text = "documents = []\n[[bases]]\ncode = \"nd13_2019\"\nin_force = \"2019-03-20\"\n[[rules]]\ncode = \"x\"\nbases = [\"nd13_2019\"]\nkind = \"st_revenue_share\"\n";
        assert!(Conditions::parse(text).unwrap_err().contains("thresholds"));
        let unknown = "documents = []\n[[bases]]\ncode = \"nd99\"\nin_force = \"2019-03-20\"\n[[rules]]\ncode = \"x\"\nbases = []\nkind = \"results\"\n";
        assert!(Conditions::parse(unknown).is_err());
    }
}
