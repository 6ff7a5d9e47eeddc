//! The acceptance of a task under contract (domain.md §2.3 stage D) and its results (stage E), as typed:
//! the host's internal acceptance and the dossier submitted (late by the rule set's count of days after the
//! contract's end), the provincial council's ratings of each ordered product and of the summary report
//! with the grade it proposes (refused when the configured rules give another), the closing decision
//! (recognition and liquidation with the settlement; for a task not accepted, the funds recovered or the
//! failure accepted as a risk under the 2025 law), and the registration of results with their application.

use chrono::NaiveDate;

use super::contract::ContractFields;
use super::grading::{
    CriterionKind, CriterionRating, Grade, Graded, ProductRating, Rating, Ratings, RuleSet, RuleSets,
};
use super::input::{Checker, LINE_MAX};
use super::{Decision, DecisionDraft, Issue};

/// The internal acceptance and the dossier, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierDraft {
    /// When the host's council met (nghiệm thu cấp cơ sở).
    pub internal_on: String,
    /// Its minutes' number and symbol.
    pub internal_minutes: String,
    /// When the dossier reached the department.
    pub submitted_on: String,
    /// The rule set the task is graded by (blank: the default).
    pub rule_set: String,
}

/// A checked dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    /// Internal acceptance.
    pub internal_on: NaiveDate,
    /// Its minutes.
    pub internal_minutes: Option<String>,
    /// Submitted.
    pub submitted_on: NaiveDate,
    /// The rule set's code.
    pub rule_set: String,
    /// Days after the allowed time (0 when on time).
    pub days_late: u32,
}

fn symbol(c: &mut Checker, field: &str, raw: &str, required: bool) -> Option<String> {
    c.line(field, raw, 60, required).and_then(|s| match crate::monitoring::DocumentSymbol::parse(&s) {
        Ok(parsed) => Some(parsed.to_string()),
        Err(e) => {
            c.push(Issue::new(field, e.code()).arg("part", e.part()));
            None
        }
    })
}

fn not_after_today(c: &mut Checker, field: &str, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let date = c.date(field, raw, true);
    if date.is_some_and(|d| d > today) {
        c.push(Issue::new(field, "date_future"));
    }
    date
}

impl DossierDraft {
    /// Checks the dossier of `contract`: the dates not after today, the internal acceptance not after the
    /// submission, a known rule set; the lateness counted by that rule set from the contract's end.
    pub fn check(&self, contract: &ContractFields, today: NaiveDate) -> Result<Dossier, Vec<Issue>> {
        let mut c = Checker::default();
        let internal_on = not_after_today(&mut c, "internal_on", &self.internal_on, today);
        let internal_minutes = symbol(&mut c, "internal_minutes", &self.internal_minutes, false);
        let submitted_on = not_after_today(&mut c, "submitted_on", &self.submitted_on, today);
        if let (Some(i), Some(s)) = (internal_on, submitted_on)
            && i > s
        {
            c.push(Issue::new("internal_on", "internal_after_submission"));
        }
        let sets = RuleSets::standard();
        let rule_set = match self.rule_set.trim() {
            "" => Some(sets.default_rule_set()),
            code => sets.get(code),
        };
        if rule_set.is_none() {
            c.push(Issue::new("rule_set", "invalid"));
        }
        match (internal_on, submitted_on, rule_set) {
            (Some(internal_on), Some(submitted_on), Some(set)) if c.issues.is_empty() => Ok(Dossier {
                internal_on,
                internal_minutes,
                submitted_on,
                rule_set: set.code().to_owned(),
                days_late: set.days_late(contract.ends_on, submitted_on),
            }),
            _ => Err(c.issues),
        }
    }
}

/// One ordered product's ratings as typed: quantity (số lượng, khối lượng) and quality (chất lượng,
/// chủng loại), each `excellent`, `pass` or `fail`; for a quantity that fails, the share of the order
/// reached, in percent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductRatingDraft {
    /// Quantity's rating.
    pub quantity: String,
    /// Share reached, when it fails.
    pub reached_percent: String,
    /// Quality's rating.
    pub quality: String,
}

/// The council's evaluation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluationDraft {
    /// One line per ordered product, in the contract's order.
    pub products: Vec<ProductRatingDraft>,
    /// The summary report's rating.
    pub report: String,
    /// The total score out of 100 (for a points rule set).
    pub score: String,
    /// The grade the council proposes.
    pub grade: String,
    /// When the council met.
    pub held_on: String,
    /// Its minutes' number and symbol.
    pub minutes: String,
}

/// A checked evaluation: the ratings, the grade the rules give (the council's own), and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The ratings as the rules read them.
    pub ratings: Ratings,
    /// The grade and the rules that decided it.
    pub graded: Graded,
    /// When the council met.
    pub held_on: NaiveDate,
    /// Its minutes.
    pub minutes: String,
}

fn rating(c: &mut Checker, field: &str, raw: &str) -> Option<Rating> {
    let r = Rating::from_code(raw.trim());
    if r.is_none() {
        c.push(Issue::new(field, "required"));
    }
    r
}

impl EvaluationDraft {
    /// Checks the evaluation of `contract` by `rule_set`, the dossier `days_late`: every product rated, the
    /// council's grade the one the rules give (`grade_not_allowed` naming it otherwise), the date not after
    /// today and not before the dossier, the minutes well formed.
    pub fn check(
        &self,
        contract: &ContractFields,
        rule_set: &RuleSet,
        days_late: u32,
        submitted_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Evaluation, Vec<Issue>> {
        let mut c = Checker::default();
        let mut products = Vec::new();
        for (i, ordered) in contract.products.iter().enumerate() {
            let typed = self.products.get(i).cloned().unwrap_or_default();
            let quantity = rating(&mut c, &format!("products[{i}].quantity"), &typed.quantity);
            let quality = rating(&mut c, &format!("products[{i}].quality"), &typed.quality);
            let reached = match typed.reached_percent.trim() {
                "" => None,
                raw => match raw.trim_end_matches('%').trim().parse::<u32>() {
                    Ok(p) => Some(p),
                    Err(_) => {
                        c.push(
                            Issue::new(format!("products[{i}].reached_percent"), "reached_share_range").arg("max", 100),
                        );
                        None
                    }
                },
            };
            if let (Some(quantity), Some(quality)) = (quantity, quality) {
                products.push(ProductRating {
                    name: ordered.name.clone(),
                    criteria: vec![
                        CriterionRating { kind: CriterionKind::Quantity, rating: quantity, reached_percent: reached },
                        CriterionRating { kind: CriterionKind::Quality, rating: quality, reached_percent: None },
                    ],
                });
            }
        }
        let report = rating(&mut c, "report", &self.report);
        let score = match self.score.trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(s) => Some(s),
                Err(_) => {
                    c.push(Issue::new("score", "score_range").arg("max", 100));
                    None
                }
            },
        };
        let held_on = not_after_today(&mut c, "held_on", &self.held_on, today);
        if held_on.is_some_and(|h| h < submitted_on) {
            c.push(Issue::new("held_on", "council_before_dossier"));
        }
        let minutes = symbol(&mut c, "minutes", &self.minutes, true);
        let grade = Grade::from_code(self.grade.trim());
        if grade.is_none() {
            c.push(Issue::new("grade", "required"));
        }
        let (Some(report), Some(held_on), Some(minutes), Some(grade)) = (report, held_on, minutes, grade) else {
            return Err(c.issues);
        };
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        let ratings = Ratings { products, report, score, days_late };
        // The council's issues are named as the form names them: the rules' `products[i].criteria[0]` is the
        // quantity's share reached.
        let graded = rule_set.check_proposed(&ratings, grade).map_err(|issues| {
            issues
                .into_iter()
                .map(|mut i| {
                    i.field = i.field.replace(".criteria[0].reached_percent", ".reached_percent");
                    // The grade the rules give, named in the reader's language.
                    for (name, value) in &mut i.args {
                        if *name == "grade" {
                            *value = format!("msg:st-grade-{value}");
                        }
                    }
                    i
                })
                .collect::<Vec<_>>()
        })?;
        Ok(Evaluation { ratings, graded, held_on, minutes })
    }
}

/// The closing decision as typed: recognition (or, for a task not accepted, the decision on the funds),
/// liquidation and settlement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosingDraft {
    /// The decision.
    pub decision: DecisionDraft,
    /// What was spent, as settled (quyết toán), in đồng.
    pub spent: String,
    /// For a task not accepted: the failure accepted as a risk (chấp nhận rủi ro), nothing recovered.
    pub risk_accepted: bool,
    /// For a task not accepted and not accepted as a risk: the funds to recover.
    pub to_recover: String,
    /// A note.
    pub note: String,
}

/// A checked closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// The decision.
    pub decision: Decision,
    /// Settled.
    pub spent: i64,
    /// Risk accepted.
    pub risk_accepted: bool,
    /// To recover.
    pub to_recover: Option<i64>,
    /// A note.
    pub note: Option<String>,
}

impl ClosingDraft {
    /// Checks the closing of a task `accepted` or not, paid `paid`: the decision, what was spent (at most
    /// what was paid), and for a task not accepted either the risk accepted or an amount to recover (at
    /// most what was paid); a task accepted recovers nothing and accepts no risk.
    pub fn check(&self, accepted: bool, paid: i64, today: NaiveDate) -> Result<Closing, Vec<Issue>> {
        let mut c = Checker::default();
        let decision = super::decision::decision(&mut c, &self.decision, today);
        let spent = c.money("spent", &self.spent, true);
        if spent.is_some_and(|s| s > paid) {
            c.push(
                Issue::new("spent", "spent_beyond_paid").arg("paid", crate::fmt::money(paid, crate::lang::Lang::Vi)),
            );
        }
        let note = c.text("note", &self.note, false);
        let to_recover = if accepted {
            if self.risk_accepted || !self.to_recover.trim().is_empty() {
                c.push(Issue::new("to_recover", "accepted_task_recovers_nothing"));
            }
            None
        } else if self.risk_accepted {
            if !self.to_recover.trim().is_empty() {
                c.push(Issue::new("to_recover", "risk_or_recovery"));
            }
            None
        } else {
            let amount = c.money("to_recover", &self.to_recover, true);
            if amount.is_some_and(|a| a > paid) {
                c.push(
                    Issue::new("to_recover", "recovery_beyond_paid")
                        .arg("paid", crate::fmt::money(paid, crate::lang::Lang::Vi)),
                );
            }
            amount
        };
        match (decision, spent) {
            (Some(decision), Some(spent)) if c.issues.is_empty() => {
                Ok(Closing { decision, spent, risk_accepted: self.risk_accepted && !accepted, to_recover, note })
            }
            _ => Err(c.issues),
        }
    }
}

/// The registration of a task's results (giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ, TT 14/2014)
/// as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationDraft {
    /// The certificate's number.
    pub number: String,
    /// Its date.
    pub registered_on: String,
    /// Who holds the rights to the results (giao quyền sở hữu, sử dụng).
    pub rights_holder: String,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// Number.
    pub number: String,
    /// Date.
    pub registered_on: NaiveDate,
    /// Rights holder.
    pub rights_holder: Option<String>,
}

impl RegistrationDraft {
    /// Checks it: a number, a date not after today.
    pub fn check(&self, today: NaiveDate) -> Result<Registration, Vec<Issue>> {
        let mut c = Checker::default();
        let number = c.line("number", &self.number, 60, true);
        let registered_on = not_after_today(&mut c, "registered_on", &self.registered_on, today);
        let rights_holder = c.line("rights_holder", &self.rights_holder, LINE_MAX, false);
        match (number, registered_on) {
            (Some(number), Some(registered_on)) if c.issues.is_empty() => {
                Ok(Registration { number, registered_on, rights_holder })
            }
            _ => Err(c.issues),
        }
    }
}

/// A use of the results (ứng dụng kết quả, TT 14/2014 form 12) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UseDraft {
    /// The organisation that applies them (an enterprise, a commune).
    pub org_id: String,
    /// Where (the locality).
    pub place: String,
    /// Since when.
    pub from_on: String,
    /// The scale (quy mô).
    pub scale: String,
    /// The economic and social effects.
    pub effects: String,
}

/// A checked use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The organisation.
    pub org_id: i64,
    /// Where.
    pub place: Option<String>,
    /// Since.
    pub from_on: NaiveDate,
    /// Scale.
    pub scale: Option<String>,
    /// Effects.
    pub effects: String,
}

impl UseDraft {
    /// Checks it: an organisation, a date not after today, the effects.
    pub fn check(&self, today: NaiveDate) -> Result<Use, Vec<Issue>> {
        let mut c = Checker::default();
        let org_id = c.id("org_id", &self.org_id, true);
        let place = c.line("place", &self.place, LINE_MAX, false);
        let from_on = not_after_today(&mut c, "from_on", &self.from_on, today);
        let scale = c.line("scale", &self.scale, LINE_MAX, false);
        let effects = c.text("effects", &self.effects, true);
        match (org_id, from_on, effects) {
            (Some(org_id), Some(from_on), Some(effects)) if c.issues.is_empty() => {
                Ok(Use { org_id, place, from_on, scale, effects })
            }
            _ => Err(c.issues),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> ContractFields {
        super::super::contract::tests_support::sample_fields()
    }

    fn today() -> NaiveDate {
        crate::fmt::parse_date("01/06/2023").unwrap()
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_dossier_is_late_by_the_rule_sets_count_from_the_contracts_end() {
        let c = contract();
        let on_time = DossierDraft {
            internal_on: "10/03/2023".into(),
            submitted_on: "20/04/2023".into(),
            ..DossierDraft::default()
        };
        let d = on_time.check(&c, today()).unwrap();
        assert_eq!(d.rule_set, "tt11_2014");
        assert_eq!(d.days_late, 0, "within the 30 days after 31/03/2023");
        let late = DossierDraft { submitted_on: "10/05/2023".into(), ..on_time.clone() };
        assert_eq!(late.check(&c, today()).unwrap().days_late, 10);
        let wrong = DossierDraft { internal_on: "25/04/2023".into(), rule_set: "nope".into(), ..on_time };
        assert_eq!(
            codes(&wrong.check(&c, today()).unwrap_err()),
            [("internal_on".into(), "internal_after_submission"), ("rule_set".into(), "invalid")]
        );
    }

    fn evaluation(quantity: &str, reached: &str, grade: &str) -> EvaluationDraft {
        EvaluationDraft {
            products: vec![ProductRatingDraft {
                quantity: quantity.into(),
                reached_percent: reached.into(),
                quality: "pass".into(),
            }],
            report: "pass".into(),
            score: String::new(),
            grade: grade.into(),
            held_on: "25/05/2023".into(),
            minutes: "15/BB-HĐNT".into(),
        }
    }

    #[test]
    fn the_council_grades_by_the_rules_and_a_grade_they_do_not_give_is_refused() {
        let c = contract();
        let set = RuleSets::standard().default_rule_set();
        let submitted = crate::fmt::parse_date("20/04/2023").unwrap();
        let e = evaluation("pass", "", "pass").check(&c, set, 0, submitted, today()).unwrap();
        assert_eq!(e.graded.grade, Grade::Pass);
        let refused = evaluation("pass", "", "excellent").check(&c, set, 0, submitted, today()).unwrap_err();
        assert_eq!(codes(&refused), [("grade".into(), "grade_not_allowed")]);
        let late = evaluation("pass", "", "pass").check(&c, set, 12, submitted, today()).unwrap_err();
        assert_eq!(codes(&late), [("grade".into(), "grade_not_allowed")], "a late dossier fails under TT 11/2014");
        let missing = evaluation("fail", "", "fail").check(&c, set, 0, submitted, today()).unwrap_err();
        assert_eq!(codes(&missing), [("products[0].reached_percent".into(), "reached_share_required")]);
        let unrated = EvaluationDraft { products: Vec::new(), ..evaluation("", "", "pass") };
        let issues = codes(&unrated.check(&c, set, 0, submitted, today()).unwrap_err());
        assert!(issues.contains(&("products[0].quantity".into(), "required")), "{issues:?}");
    }

    #[test]
    fn a_task_not_accepted_recovers_funds_or_accepts_the_risk_and_an_accepted_one_neither() {
        let d = |spent: &str, risk: bool, recover: &str| ClosingDraft {
            decision: DecisionDraft {
                symbol: "1234/QĐ-UBND".into(),
                date: "30/05/2023".into(),
                signer: "Đặng Huy Hậu".into(),
            },
            spent: spent.into(),
            risk_accepted: risk,
            to_recover: recover.into(),
            note: String::new(),
        };
        assert!(d("1.100.000.000", false, "").check(true, 1_200_000_000, today()).is_ok());
        assert_eq!(
            codes(&d("1.300.000.000", false, "").check(true, 1_200_000_000, today()).unwrap_err()),
            [("spent".into(), "spent_beyond_paid")]
        );
        assert_eq!(
            codes(&d("1", false, "").check(false, 1_200_000_000, today()).unwrap_err()),
            [("to_recover".into(), "required")]
        );
        assert!(d("900.000.000", true, "").check(false, 1_200_000_000, today()).unwrap().risk_accepted);
        assert_eq!(
            codes(&d("9", true, "5").check(false, 10, today()).unwrap_err()),
            [("to_recover".into(), "risk_or_recovery")]
        );
        assert_eq!(
            codes(&d("9", false, "5").check(true, 10, today()).unwrap_err()),
            [("to_recover".into(), "accepted_task_recovers_nothing")]
        );
    }
}
