//! Scoring sheets and their aggregation: a member's sheet checked against the rubric (each score between
//! 0 and the criterion's maximum), its total on 100 (weighted), and the outcome of a proposal by the
//! council's rules (the average of the totals against the pass mark; refused when more than the allowed
//! share of the members gave 0 to one criterion), then the ranking.

use super::Issue;
use super::council::{Criterion, Rules};

/// A sheet as typed: the score of each criterion (by code) and a comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetDraft {
    /// (criterion code, score as typed).
    pub scores: Vec<(String, String)>,
    /// The member's comment.
    pub comment: String,
}

/// A checked sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// (criterion code, score), in the order of the rubric.
    pub scores: Vec<(String, f64)>,
    /// The comment.
    pub comment: Option<String>,
}

impl Sheet {
    /// The score given to a criterion.
    pub fn score(&self, code: &str) -> Option<f64> {
        self.scores.iter().find(|(c, _)| c == code).map(|(_, s)| *s)
    }
}

/// Checks a sheet: every criterion scored, each score a number from 0 to its maximum (field
/// `scores.<code>`, codes `required`, `not_a_number`, `score_range` with `max`).
pub fn check_sheet(criteria: &[Criterion], draft: &SheetDraft) -> Result<Sheet, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut scores = Vec::new();
    for c in criteria {
        let field = format!("scores.{}", c.code);
        let typed = draft.scores.iter().find(|(code, _)| *code == c.code).map_or("", |(_, v)| v.as_str());
        match crate::fmt::parse_number(typed) {
            Err(crate::fmt::NumberError::Empty) => issues.push(Issue::new(field, "required")),
            Err(e) => issues.push(Issue::new(field, e.code()).arg("value", typed.trim())),
            Ok(n) if !(0.0..=c.max).contains(&n) => issues.push(
                Issue::new(field, "score_range").arg("max", crate::fmt::decimal(c.max, 2, crate::lang::Lang::Vi)),
            ),
            Ok(n) => scores.push((c.code.clone(), n)),
        }
    }
    let comment = crate::text::normalize_multiline(&draft.comment).trim().to_owned();
    if comment.chars().count() > 20_000 {
        issues.push(Issue::new("comment", "too_long").arg("max", 20_000));
    }
    if issues.is_empty() {
        Ok(Sheet { scores, comment: (!comment.is_empty()).then_some(comment) })
    } else {
        Err(issues)
    }
}

/// A sheet's total on 100: the weighted sum of its scores over the weighted sum of the maxima.
pub fn total(criteria: &[Criterion], sheet: &Sheet) -> f64 {
    let max: f64 = criteria.iter().map(|c| c.max * c.weight).sum();
    let sum: f64 = criteria.iter().map(|c| sheet.score(&c.code).unwrap_or(0.0) * c.weight).sum();
    if max > 0.0 { sum * 100.0 / max } else { 0.0 }
}

/// The outcome of a proposal from its sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// How many members scored it.
    pub sheets: usize,
    /// The average of their totals, on 100.
    pub average: f64,
    /// The lowest and highest totals.
    pub range: (f64, f64),
    /// The average of each criterion's scores, in the order of the rubric.
    pub by_criterion: Vec<(String, f64)>,
    /// The criteria that more than the allowed share of the members gave 0.
    pub zeroed: Vec<String>,
    /// Whether it passes.
    pub passed: bool,
}

/// Aggregates the sheets of one proposal by the council's rules.
pub fn aggregate(criteria: &[Criterion], rules: &Rules, sheets: &[Sheet]) -> Outcome {
    let n = sheets.len();
    let totals: Vec<f64> = sheets.iter().map(|s| total(criteria, s)).collect();
    #[expect(clippy::cast_precision_loss, reason = "a council has a handful of members")]
    let count = n.max(1) as f64;
    let average = totals.iter().sum::<f64>() / count;
    let range = (totals.iter().copied().fold(f64::INFINITY, f64::min), totals.iter().copied().fold(0.0, f64::max));
    let by_criterion = criteria
        .iter()
        .map(|c| (c.code.clone(), sheets.iter().map(|s| s.score(&c.code).unwrap_or(0.0)).sum::<f64>() / count))
        .collect();
    let zeroed: Vec<String> = criteria
        .iter()
        .filter(|c| {
            let zeros = sheets.iter().filter(|s| s.score(&c.code) == Some(0.0)).count();
            rules.zero_limit.exceeded_by(zeros, n)
        })
        .map(|c| c.code.clone())
        .collect();
    let passed = n > 0 && average + 1e-9 >= rules.pass_average && zeroed.is_empty();
    Outcome { sheets: n, average, range: if n == 0 { (0.0, 0.0) } else { range }, by_criterion, zeroed, passed }
}

/// The ranks of outcomes (1 first): those that pass before those that do not, the higher average first;
/// equal averages share a rank.
pub fn ranks(outcomes: &[Outcome]) -> Vec<usize> {
    let key = |o: &Outcome| (u8::from(!o.passed), -(o.average * 1000.0).round() as i64);
    outcomes.iter().map(|o| 1 + outcomes.iter().filter(|other| key(other) < key(o)).count()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sci_tech::council::{CouncilKind, CouncilSettings};

    fn sheet(scores: &[(&str, f64)]) -> Sheet {
        Sheet { scores: scores.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect(), comment: None }
    }

    fn selection() -> &'static CouncilSettings {
        CouncilSettings::of(CouncilKind::Selection)
    }

    fn full(overview: f64, method: f64, products: f64, capacity: f64, budget: f64) -> Sheet {
        sheet(&[
            ("overview", overview),
            ("method", method),
            ("products", products),
            ("capacity", capacity),
            ("budget", budget),
        ])
    }

    #[test]
    fn a_score_above_the_maximum_or_below_zero_is_refused_naming_the_criterion() {
        let s = selection();
        let draft = SheetDraft {
            scores: vec![
                ("overview".into(), "16".into()),
                ("method".into(), "-1".into()),
                ("products".into(), "hai mươi".into()),
                ("capacity".into(), "20".into()),
            ],
            comment: String::new(),
        };
        let issues: Vec<(String, &str)> =
            check_sheet(&s.criteria, &draft).unwrap_err().into_iter().map(|i| (i.field, i.code)).collect();
        assert_eq!(
            issues,
            [
                ("scores.overview".into(), "score_range"),
                ("scores.method".into(), "score_range"),
                ("scores.products".into(), "not_a_number"),
                ("scores.budget".into(), "required")
            ]
        );
        let ok = SheetDraft {
            scores: vec![
                ("overview".into(), "12,5".into()),
                ("method".into(), "25".into()),
                ("products".into(), "20".into()),
                ("capacity".into(), "15".into()),
                ("budget".into(), "0".into()),
            ],
            comment: " Tốt ".into(),
        };
        let sheet = check_sheet(&s.criteria, &ok).unwrap();
        assert!((total(&s.criteria, &sheet) - 72.5).abs() < 1e-9);
        assert_eq!(sheet.comment.as_deref(), Some("Tốt"));
    }

    #[test]
    fn a_proposal_passes_with_an_average_of_70_and_no_criterion_zeroed_by_more_than_a_third() {
        let s = selection();
        let good =
            [full(12.0, 25.0, 20.0, 15.0, 8.0), full(13.0, 24.0, 20.0, 16.0, 7.0), full(10.0, 22.0, 18.0, 14.0, 6.0)];
        let o = aggregate(&s.criteria, &s.rules, &good);
        assert!((o.average - 76.666_666).abs() < 1e-3, "{}", o.average);
        assert!(o.passed);
        // One member of three giving 0 to the budget is a third, not more: still passes.
        let one_zero =
            [full(15.0, 30.0, 25.0, 20.0, 0.0), full(13.0, 24.0, 20.0, 16.0, 7.0), full(12.0, 25.0, 20.0, 15.0, 8.0)];
        assert!(aggregate(&s.criteria, &s.rules, &one_zero).passed);
        // Two of three: refused whatever the average.
        let two_zeros =
            [full(15.0, 30.0, 25.0, 20.0, 0.0), full(15.0, 30.0, 25.0, 20.0, 0.0), full(12.0, 25.0, 20.0, 15.0, 8.0)];
        let o = aggregate(&s.criteria, &s.rules, &two_zeros);
        assert!(o.average > 80.0);
        assert_eq!(o.zeroed, ["budget"]);
        assert!(!o.passed);
        let low = [full(10.0, 20.0, 15.0, 14.0, 6.0)];
        assert!(!aggregate(&s.criteria, &s.rules, &low).passed, "65 is under 70");
    }

    #[test]
    fn ranks_put_those_that_pass_first_then_the_higher_average() {
        let o = |average: f64, passed: bool| Outcome {
            sheets: 3,
            average,
            range: (average, average),
            by_criterion: Vec::new(),
            zeroed: Vec::new(),
            passed,
        };
        assert_eq!(ranks(&[o(75.0, true), o(90.0, false), o(82.0, true), o(75.0, true)]), [2, 4, 1, 2]);
    }
}
