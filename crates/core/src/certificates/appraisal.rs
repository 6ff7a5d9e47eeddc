//! The appraisal of an application (thẩm định hồ sơ): while an application is in `appraisal`, the
//! department may put it before a council of the kind `certificate` (`crate::sci_tech::council`) or ask
//! experts for a written opinion. Each member or expert judges every condition of the regime the
//! application is decided under (the rules of `eligibility.toml` that apply to the enterprise's size) met
//! or not met, with a remark (required when not met), and recommends issuing or refusing the certificate.
//! A council recommends the certificate when more than its `majority` of the opinions do.

use serde::{Deserialize, Serialize};

use super::{Conditions, LegalBasis, SizeClass};
use crate::sci_tech::Issue;
use crate::sci_tech::code_enum;
use crate::sci_tech::council::Fraction;

/// The longest remark on one condition.
pub const REMARK_MAX: usize = 2_000;
/// The longest general remarks.
pub const REMARKS_MAX: usize = 20_000;

code_enum! {
    /// What an opinion, or a council's conclusion, recommends to the leader who decides.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    Recommendation {
        /// Đề nghị cấp Giấy chứng nhận.
        Issue => "issue",
        /// Đề nghị không cấp.
        Refuse => "refuse",
    }
}

/// One condition judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgement {
    /// The condition's code (a rule of `eligibility.toml`; its label is `cert-rule-<code>`).
    pub code: String,
    /// Whether the member finds it met.
    pub met: bool,
    /// Why, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// An opinion on an application (phiếu nhận xét, đánh giá hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    /// Every condition judged, in the order of the criteria.
    pub conditions: Vec<Judgement>,
    /// What it recommends.
    pub recommendation: Recommendation,
    /// General remarks.
    pub remarks: Option<String>,
}

impl Opinion {
    /// The judgement of a condition.
    pub fn judgement(&self, code: &str) -> Option<&Judgement> {
        self.conditions.iter().find(|j| j.code == code)
    }
}

/// One condition as typed: `met`, `not_met` or nothing, and a remark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JudgementDraft {
    /// The condition's code.
    pub code: String,
    /// `met` or `not_met`.
    pub met: String,
    /// The remark.
    pub remark: String,
}

/// An opinion as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpinionDraft {
    /// The conditions judged.
    pub conditions: Vec<JudgementDraft>,
    /// `issue` or `refuse`.
    pub recommendation: String,
    /// General remarks.
    pub remarks: String,
}

impl OpinionDraft {
    /// The form of a stored opinion.
    pub fn of(opinion: &Opinion) -> OpinionDraft {
        OpinionDraft {
            conditions: opinion
                .conditions
                .iter()
                .map(|j| JudgementDraft {
                    code: j.code.clone(),
                    met: if j.met { "met" } else { "not_met" }.to_owned(),
                    remark: j.remark.clone().unwrap_or_default(),
                })
                .collect(),
            recommendation: opinion.recommendation.code().to_owned(),
            remarks: opinion.remarks.clone().unwrap_or_default(),
        }
    }

    /// What was typed for a condition.
    pub fn judgement(&self, code: &str) -> Option<&JudgementDraft> {
        self.conditions.iter().find(|j| j.code == code)
    }
}

/// The criteria of an appraisal: the conditions of the regime the application is decided under that apply
/// to the enterprise's size (every size's when it is not known), in the order of `eligibility.toml`.
pub fn criteria(basis: LegalBasis, size: Option<SizeClass>) -> Vec<String> {
    Conditions::standard().rules(basis, size).map(|r| r.code.clone()).collect()
}

fn text(raw: &str, max: usize, field: &str, issues: &mut Vec<Issue>) -> Option<String> {
    let t = crate::text::normalize_multiline(raw).trim().to_owned();
    if t.chars().count() > max {
        issues.push(Issue::new(field, "too_long").arg("max", max));
    }
    (!t.is_empty()).then_some(t)
}

/// Checks an opinion against the criteria: every condition judged (`conditions.<code>` `required`, or
/// `invalid` for anything but met / not met), a remark for each one not met (`conditions.<code>.remark`
/// `remark_required`), a recommendation (`recommendation` `required`, `invalid`); every problem at once.
pub fn check_opinion(criteria: &[String], draft: &OpinionDraft) -> Result<Opinion, Vec<Issue>> {
    let mut issues = Vec::new();
    let mut conditions = Vec::new();
    for code in criteria {
        let field = format!("conditions.{code}");
        let typed = draft.judgement(code);
        let remark = text(typed.map_or("", |t| t.remark.as_str()), REMARK_MAX, &format!("{field}.remark"), &mut issues);
        let met = match typed.map_or("", |t| t.met.trim()) {
            "met" => Some(true),
            "not_met" => Some(false),
            "" => {
                issues.push(Issue::new(&field, "required"));
                None
            }
            _ => {
                issues.push(Issue::new(&field, "invalid"));
                None
            }
        };
        if met == Some(false) && remark.is_none() {
            issues.push(Issue::new(format!("{field}.remark"), "remark_required"));
        }
        if let Some(met) = met {
            conditions.push(Judgement { code: code.clone(), met, remark });
        }
    }
    let recommendation = match draft.recommendation.trim() {
        "" => {
            issues.push(Issue::new("recommendation", "required"));
            None
        }
        code => {
            let r = Recommendation::from_code(code);
            if r.is_none() {
                issues.push(Issue::new("recommendation", "invalid"));
            }
            r
        }
    };
    let remarks = text(&draft.remarks, REMARKS_MAX, "remarks", &mut issues);
    match recommendation {
        Some(recommendation) if issues.is_empty() => Ok(Opinion { conditions, recommendation, remarks }),
        _ => Err(issues),
    }
}

/// The opinions of a council (or of the experts) counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Opinions recommending the certificate.
    pub issue: usize,
    /// Opinions recommending a refusal.
    pub refuse: usize,
}

impl Tally {
    /// Counts the recommendations.
    pub fn of<'a>(opinions: impl IntoIterator<Item = &'a Opinion>) -> Tally {
        let mut t = Tally::default();
        for o in opinions {
            match o.recommendation {
                Recommendation::Issue => t.issue += 1,
                Recommendation::Refuse => t.refuse += 1,
            }
        }
        t
    }

    /// How many opinions.
    pub fn total(self) -> usize {
        self.issue + self.refuse
    }

    /// What a council concludes by its rule: the certificate when more than `majority` of the opinions
    /// recommend it, a refusal otherwise (and when nobody gave one).
    pub fn conclusion(self, majority: Fraction) -> Recommendation {
        if self.total() > 0 && majority.exceeded_by(self.issue, self.total()) {
            Recommendation::Issue
        } else {
            Recommendation::Refuse
        }
    }

    /// How many judged a condition met and not met.
    pub fn of_condition<'a>(opinions: impl IntoIterator<Item = &'a Opinion>, code: &str) -> (usize, usize) {
        let mut out = (0, 0);
        for j in opinions.into_iter().filter_map(|o| o.judgement(code)) {
            if j.met {
                out.0 += 1;
            } else {
                out.1 += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    fn judged(code: &str, met: &str, remark: &str) -> JudgementDraft {
        JudgementDraft { code: code.into(), met: met.into(), remark: remark.into() }
    }

    #[test]
    fn the_criteria_are_the_conditions_of_the_regime_for_the_enterprises_size() {
        assert_eq!(
            criteria(LegalBasis::Nd13_2019, Some(SizeClass::Small)),
            ["registered", "st_results", "st_revenue_share"]
        );
        assert_eq!(
            criteria(LegalBasis::Nd268_2025, Some(SizeClass::Large)),
            ["registered", "st_results", "st_products", "rd_spending_large"]
        );
        assert_eq!(
            criteria(LegalBasis::Nd268_2025, Some(SizeClass::Micro)),
            ["registered", "st_results", "st_products", "size_conditions"]
        );
    }

    #[test]
    fn every_condition_is_judged_and_one_not_met_needs_a_remark() {
        let criteria = criteria(LegalBasis::Nd13_2019, Some(SizeClass::Small));
        let draft = OpinionDraft {
            conditions: vec![
                judged("registered", "met", ""),
                judged("st_results", "not_met", "  "),
                judged("st_revenue_share", "maybe", ""),
            ],
            recommendation: "perhaps".into(),
            remarks: String::new(),
        };
        assert_eq!(
            codes(&check_opinion(&criteria, &draft).unwrap_err()),
            [
                ("conditions.st_results.remark".into(), "remark_required"),
                ("conditions.st_revenue_share".into(), "invalid"),
                ("recommendation".into(), "invalid"),
            ]
        );
        let empty = check_opinion(&criteria, &OpinionDraft::default()).unwrap_err();
        assert_eq!(codes(&empty).len(), 4, "three conditions and the recommendation: {empty:?}");
        let ok = OpinionDraft {
            conditions: vec![
                judged("registered", "met", ""),
                judged("st_results", "met", "Bằng độc quyền giải pháp hữu ích còn hiệu lực."),
                judged("st_revenue_share", "not_met", "Doanh thu năm 2019 chỉ đạt 28%."),
            ],
            recommendation: "refuse".into(),
            remarks: " Đề nghị bổ sung báo cáo tài chính. ".into(),
        };
        let opinion = check_opinion(&criteria, &ok).unwrap();
        assert_eq!(opinion.recommendation, Recommendation::Refuse);
        assert_eq!(opinion.remarks.as_deref(), Some("Đề nghị bổ sung báo cáo tài chính."));
        assert!(!opinion.judgement("st_revenue_share").unwrap().met);
        assert_eq!(OpinionDraft::of(&opinion).judgement("st_results").unwrap().met, "met");
    }

    #[test]
    fn a_council_recommends_the_certificate_when_more_than_half_of_the_opinions_do() {
        let half = Fraction::try_from("1/2".to_owned()).unwrap();
        let o = |r| Opinion { conditions: Vec::new(), recommendation: r, remarks: None };
        let three = [o(Recommendation::Issue), o(Recommendation::Issue), o(Recommendation::Refuse)];
        assert_eq!(Tally::of(&three).conclusion(half), Recommendation::Issue);
        let even = [o(Recommendation::Issue), o(Recommendation::Refuse)];
        assert_eq!(Tally::of(&even).conclusion(half), Recommendation::Refuse, "a tie is not a majority");
        assert_eq!(Tally::of(&[]).conclusion(half), Recommendation::Refuse);
    }
}
