//! The dossier as typed, checked into typed values: the enterprise (name, tax code with its check digit,
//! address, representative, establishment, size), the S&T results with their evidence, the products made
//! from them, and revenue and R&D spending by year. A draft keeps whatever is typed as long as each value
//! is well formed; sending needs everything the legal basis asks for.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{LegalBasis, ResultKind, SizeClass};
use crate::directory::{TaxCode, TaxCodeError};
use crate::sci_tech::Issue;
use crate::sci_tech::input::{Checker, LINE_MAX};

/// An S&T result as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDraft {
    /// A [`ResultKind`] code.
    pub kind: String,
    /// Its name.
    pub title: String,
    /// The number of its title, decision or contract.
    pub reference: String,
    /// The day it was granted or signed.
    pub issued_on: String,
    /// Who granted, recognised or signed it.
    pub issuer: String,
}

/// A product as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDraft {
    /// Its name.
    pub name: String,
    /// The number (from 1) of the result it is made from.
    pub result: String,
}

/// A year's figures as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearDraft {
    /// The financial year.
    pub year: String,
    /// Total revenue (tổng doanh thu), đồng.
    pub total_revenue: String,
    /// Revenue from S&T products, đồng.
    pub st_revenue: String,
    /// Net revenue (doanh thu thuần), đồng.
    pub net_revenue: String,
    /// Spending on research, technology development and innovation, đồng.
    pub rd_spending: String,
}

/// The dossier as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDraft {
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: String,
    /// Its head office.
    pub address: String,
    /// Its legal representative.
    pub representative: String,
    /// The day it was established.
    pub established_on: String,
    /// A [`SizeClass`] code.
    pub size: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// The S&T results.
    pub results: Vec<ResultDraft>,
    /// The products.
    pub products: Vec<ProductDraft>,
    /// The figures by year.
    pub years: Vec<YearDraft>,
}

/// An S&T result, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StResult {
    /// Its kind.
    pub kind: String,
    /// Its name.
    pub title: String,
    /// The number of its title, decision or contract.
    pub reference: Option<String>,
    /// The day it was granted or signed.
    pub issued_on: Option<NaiveDate>,
    /// Who granted it.
    pub issuer: Option<String>,
}

impl StResult {
    /// Whether its evidence is given (the number of its title, decision or contract).
    pub fn has_evidence(&self) -> bool {
        self.reference.is_some()
    }
}

/// A product, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StProduct {
    /// Its name.
    pub name: String,
    /// The index (from 0) of the result it is made from.
    pub result: Option<usize>,
}

/// A year's figures, in đồng.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    /// The financial year.
    pub year: i32,
    /// Total revenue.
    pub total_revenue: i64,
    /// Revenue from S&T products (part of the total).
    pub st_revenue: Option<i64>,
    /// Net revenue.
    pub net_revenue: Option<i64>,
    /// R&D and innovation spending.
    pub rd_spending: Option<i64>,
}

/// The dossier, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFields {
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its tax code (check digit verified).
    pub tax_code: Option<TaxCode>,
    /// Its head office.
    pub address: Option<String>,
    /// Its legal representative.
    pub representative: Option<String>,
    /// The day it was established.
    pub established_on: Option<NaiveDate>,
    /// Its size.
    pub size: Option<SizeClass>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// The S&T results.
    pub results: Vec<StResult>,
    /// The products.
    pub products: Vec<StProduct>,
    /// The figures, latest year first.
    pub years: Vec<YearFigures>,
}

fn blank(parts: &[&str]) -> bool {
    parts.iter().all(|p| p.trim().is_empty())
}

/// An amount of đồng: a whole number, not negative (`negative` names a negative one).
fn amount(c: &mut Checker, field: &str, raw: &str, required: bool) -> Option<i64> {
    let n = c.number(field, raw, required)?;
    if n < 0.0 {
        c.push(Issue::new(field, "negative"));
        return None;
    }
    if n.fract() != 0.0 || n > 1e15 {
        c.push(Issue::new(field, "money_format"));
        return None;
    }
    #[expect(clippy::cast_possible_truncation, reason = "a whole number below 10^15 fits an i64 exactly")]
    Some(n as i64)
}

impl ApplicationDraft {
    /// Checks a draft: every value given well formed, nothing required.
    pub fn validate_draft(&self) -> Result<ApplicationFields, Vec<Issue>> {
        let mut c = Checker::default();
        let fields = self.check(&mut c, false);
        if c.issues.is_empty() { Ok(fields) } else { Err(c.issues) }
    }

    /// Checks a dossier to send under `basis` on `on`: everything required, at least one result with its
    /// evidence, one product and the figures the basis asks for (the last financial year; under NĐ 268 the
    /// net revenue and R&D spending of the three preceding years for a large enterprise).
    pub fn validate_for_submission(&self, basis: LegalBasis, on: NaiveDate) -> Result<ApplicationFields, Vec<Issue>> {
        let mut c = Checker::default();
        let fields = self.check(&mut c, true);
        if fields.results.is_empty() {
            c.push(Issue::new("results", "required"));
        }
        for (i, r) in fields.results.iter().enumerate() {
            if !r.has_evidence() {
                c.push(Issue::new(format!("results[{i}].reference"), "required"));
            }
        }
        if fields.products.is_empty() {
            c.push(Issue::new("products", "required"));
        }
        let last = on.year() - 1;
        let year = |y: i32| fields.years.iter().find(|f| f.year == y);
        let mut missing = std::collections::BTreeSet::new();
        if year(last).is_none() {
            missing.insert(last);
        }
        if basis == LegalBasis::Nd268_2025 && fields.size == Some(SizeClass::Large) {
            for y in (last - 2)..=last {
                if year(y).is_none_or(|f| f.net_revenue.is_none() || f.rd_spending.is_none()) {
                    missing.insert(y);
                }
            }
        }
        for y in missing {
            c.push(Issue::new("years", "year_missing").arg("year", y));
        }
        if c.issues.is_empty() { Ok(fields) } else { Err(c.issues) }
    }

    fn check(&self, c: &mut Checker, required: bool) -> ApplicationFields {
        let enterprise_name = c.line("enterprise_name", &self.enterprise_name, LINE_MAX, required).unwrap_or_default();
        let tax_code = if self.tax_code.trim().is_empty() {
            if required {
                c.push(Issue::new("tax_code", "required"));
            }
            None
        } else {
            match TaxCode::parse_checked(&self.tax_code) {
                Ok(code) => Some(code),
                Err(TaxCodeError::Format) => {
                    c.push(Issue::new("tax_code", "tax_code_format"));
                    None
                }
                Err(TaxCodeError::CheckDigit) => {
                    c.push(Issue::new("tax_code", "tax_code_check_digit"));
                    None
                }
            }
        };
        let address = c.line("address", &self.address, LINE_MAX, required);
        let representative = c.line("representative", &self.representative, LINE_MAX, false);
        let established_on = c.date("established_on", &self.established_on, required);
        let size = match self.size.trim() {
            "" => {
                if required {
                    c.push(Issue::new("size", "required"));
                }
                None
            }
            code => SizeClass::from_code(code).or_else(|| {
                c.push(Issue::new("size", "invalid"));
                None
            }),
        };
        let phone = c.line("phone", &self.phone, 50, false);
        let email = c.line("email", &self.email, 200, false);
        let mut results = Vec::new();
        for (i, r) in self.results.iter().enumerate() {
            if blank(&[&r.kind, &r.title, &r.reference, &r.issued_on, &r.issuer]) {
                continue;
            }
            let f = |name: &str| format!("results[{i}].{name}");
            let kind = match ResultKind::from_code(r.kind.trim()) {
                Some(k) => k.code().to_owned(),
                None => {
                    c.push(Issue::new(f("kind"), if r.kind.trim().is_empty() { "required" } else { "invalid" }));
                    String::new()
                }
            };
            let title = c.line(&f("title"), &r.title, LINE_MAX, true).unwrap_or_default();
            results.push(StResult {
                kind,
                title,
                reference: c.line(&f("reference"), &r.reference, LINE_MAX, false),
                issued_on: c.date(&f("issued_on"), &r.issued_on, false),
                issuer: c.line(&f("issuer"), &r.issuer, LINE_MAX, false),
            });
        }
        let mut products = Vec::new();
        for (i, p) in self.products.iter().enumerate() {
            if blank(&[&p.name, &p.result]) {
                continue;
            }
            let name = c.line(&format!("products[{i}].name"), &p.name, LINE_MAX, true).unwrap_or_default();
            let result = match p.result.trim() {
                "" => None,
                n => match n.parse::<usize>() {
                    Ok(k) if k >= 1 && k <= results.len() => Some(k - 1),
                    _ => {
                        c.push(Issue::new(format!("products[{i}].result"), "invalid").arg("max", results.len()));
                        None
                    }
                },
            };
            products.push(StProduct { name, result });
        }
        let mut years: Vec<YearFigures> = Vec::new();
        for (i, y) in self.years.iter().enumerate() {
            if blank(&[&y.year, &y.total_revenue, &y.st_revenue, &y.net_revenue, &y.rd_spending]) {
                continue;
            }
            let f = |name: &str| format!("years[{i}].{name}");
            let year = match y.year.trim().parse::<i32>() {
                Ok(n) if (1990..=2100).contains(&n) => Some(n),
                _ => {
                    c.push(Issue::new(f("year"), if y.year.trim().is_empty() { "required" } else { "invalid" }));
                    None
                }
            };
            let total = amount(c, &f("total_revenue"), &y.total_revenue, true);
            let st = amount(c, &f("st_revenue"), &y.st_revenue, false);
            let net = amount(c, &f("net_revenue"), &y.net_revenue, false);
            let rd = amount(c, &f("rd_spending"), &y.rd_spending, false);
            if let Some(total) = total {
                for (name, part) in [("st_revenue", st), ("net_revenue", net)] {
                    if part.is_some_and(|p| p > total) {
                        c.push(
                            Issue::new(f(name), "exceeds_total")
                                .arg("part", crate::fmt::money(part.unwrap_or(0), crate::lang::Lang::Vi))
                                .arg("total", crate::fmt::money(total, crate::lang::Lang::Vi)),
                        );
                    }
                }
            }
            if let Some(year) = year {
                if years.iter().any(|x| x.year == year) {
                    c.push(Issue::new(f("year"), "duplicate_year").arg("year", year));
                } else if let Some(total) = total {
                    years.push(YearFigures {
                        year,
                        total_revenue: total,
                        st_revenue: st,
                        net_revenue: net,
                        rd_spending: rd,
                    });
                }
            }
        }
        years.sort_by_key(|y| std::cmp::Reverse(y.year));
        ApplicationFields {
            enterprise_name,
            tax_code,
            address,
            representative,
            established_on,
            size,
            phone,
            email,
            results,
            products,
            years,
        }
    }
}

impl ApplicationFields {
    /// The results with their evidence.
    pub fn results_with_evidence(&self) -> usize {
        self.results.iter().filter(|r| r.has_evidence()).count()
    }

    /// The facts the conditions are evaluated on.
    pub fn facts(&self) -> super::Facts<'_> {
        super::Facts {
            registered: self.tax_code.is_some(),
            established_on: self.established_on,
            size: self.size,
            results: self.results_with_evidence(),
            products: self.products.len(),
            figures: &self.years,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn complete() -> ApplicationDraft {
        ApplicationDraft {
            enterprise_name: "Công ty TNHH thủy sản Minh Hàn".into(),
            tax_code: "0100112437".into(),
            address: "Thôn 3, xã Hoàng Tân".into(),
            established_on: "12/05/2012".into(),
            size: "small".into(),
            results: vec![ResultDraft {
                kind: "utility_solution".into(),
                title: "Quy trình nuôi tôm tuần hoàn".into(),
                reference: "2345".into(),
                ..ResultDraft::default()
            }],
            products: vec![ProductDraft { name: "Tôm thẻ chân trắng".into(), result: "1".into() }],
            years: vec![YearDraft {
                year: "2019".into(),
                total_revenue: "10.000.000.000".into(),
                st_revenue: "4.000.000.000".into(),
                ..YearDraft::default()
            }],
            ..ApplicationDraft::default()
        }
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_complete_dossier_is_sent_and_a_half_typed_one_kept() {
        let fields = complete().validate_for_submission(LegalBasis::Nd13_2019, d(2020, 11, 2)).unwrap();
        assert_eq!(fields.years[0].st_revenue, Some(4_000_000_000));
        assert_eq!(fields.products[0].result, Some(0));
        let half = ApplicationDraft { enterprise_name: "Minh Hàn".into(), ..ApplicationDraft::default() };
        assert!(half.validate_draft().is_ok());
        let issues = half.validate_for_submission(LegalBasis::Nd13_2019, d(2020, 11, 2)).unwrap_err();
        for field in ["tax_code", "established_on", "size", "results", "products", "years"] {
            assert!(issues.iter().any(|i| i.field == field), "{field}: {issues:?}");
        }
    }

    #[test]
    fn a_wrong_check_digit_is_refused_even_in_a_draft() {
        let draft = ApplicationDraft { tax_code: "0100112438".into(), ..complete() };
        assert_eq!(codes(&draft.validate_draft().unwrap_err()), [("tax_code".into(), "tax_code_check_digit")]);
        let draft = ApplicationDraft { tax_code: "01001".into(), ..complete() };
        assert_eq!(codes(&draft.validate_draft().unwrap_err()), [("tax_code".into(), "tax_code_format")]);
    }

    #[test]
    fn negative_figures_and_parts_above_the_total_are_refused() {
        let mut draft = complete();
        draft.years = vec![
            YearDraft { year: "2019".into(), total_revenue: "-5".into(), ..YearDraft::default() },
            YearDraft {
                year: "2018".into(),
                total_revenue: "1.000".into(),
                st_revenue: "1.001".into(),
                net_revenue: "900".into(),
                rd_spending: "-1".into(),
            },
            YearDraft { year: "2018".into(), total_revenue: "1".into(), ..YearDraft::default() },
        ];
        let issues = draft.validate_draft().unwrap_err();
        assert_eq!(
            codes(&issues),
            [
                ("years[0].total_revenue".into(), "negative"),
                ("years[1].rd_spending".into(), "negative"),
                ("years[1].st_revenue".into(), "exceeds_total"),
                ("years[2].year".into(), "duplicate_year"),
            ]
        );
        assert!(issues[2].args.contains(&("total", "1.000 đ".into())), "{:?}", issues[2].args);
    }

    #[test]
    fn a_large_enterprise_under_nd268_gives_three_years_of_spending() {
        let draft = ApplicationDraft { size: "large".into(), ..complete() };
        let issues = draft.validate_for_submission(LegalBasis::Nd268_2025, d(2026, 3, 1)).unwrap_err();
        let years: Vec<String> =
            issues.iter().filter(|i| i.code == "year_missing").map(|i| i.args[0].1.clone()).collect();
        assert_eq!(years, ["2023", "2024", "2025"]);
    }

    #[test]
    fn a_result_without_its_evidence_cannot_be_sent() {
        let mut draft = complete();
        draft.results[0].reference = String::new();
        assert!(draft.validate_draft().is_ok());
        let issues = draft.validate_for_submission(LegalBasis::Nd13_2019, d(2020, 11, 2)).unwrap_err();
        assert_eq!(codes(&issues), [("results[0].reference".into(), "required")]);
    }
}
