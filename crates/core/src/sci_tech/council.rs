//! Councils (hội đồng) as data: their kinds, the members' roles, where a council stands, the quorum, and
//! the settings of each kind read from `councils.toml` (rubric, aggregation rules, quorum, how far back
//! conflicts of interest are looked for).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Route;

code_enum! {
    /// What a council judges.
    CouncilKind {
        /// Hội đồng tư vấn xác định nhiệm vụ: proposals, do it or not.
        Identification => "identification",
        /// Hội đồng tuyển chọn: the dossiers answering a call for selection (or a grant, or grassroots tasks).
        Selection => "selection",
        /// Hội đồng giao trực tiếp: the dossier of the organisation invited.
        Direct => "direct",
        /// Hội đồng nghiệm thu (later): the results of a task.
        Acceptance => "acceptance",
        /// Hội đồng thẩm định hồ sơ công nhận doanh nghiệp KH&CN: applications for the S&T enterprise
        /// certificate in appraisal, each condition of the regime judged met or not.
        Certificate => "certificate",
    }
}

impl CouncilKind {
    /// The state of the machine a proposal must be in to be put before a council of this kind.
    pub fn takes_from(self) -> Option<&'static str> {
        match self {
            CouncilKind::Identification => Some("awaiting_identification"),
            CouncilKind::Selection | CouncilKind::Direct => Some("dossier_valid"),
            CouncilKind::Acceptance | CouncilKind::Certificate => None,
        }
    }

    /// Whether it judges applications for the S&T enterprise certificate rather than proposals.
    pub fn judges_applications(self) -> bool {
        self == CouncilKind::Certificate
    }

    /// The routes whose proposals it judges.
    pub fn routes(self) -> &'static [Route] {
        match self {
            CouncilKind::Identification => &[Route::Order],
            CouncilKind::Selection => &[Route::Selection, Route::Grant, Route::Grassroots],
            CouncilKind::Direct => &[Route::Direct],
            CouncilKind::Acceptance | CouncilKind::Certificate => &[],
        }
    }

    /// The actions its closing takes on a proposal that passes and on one that does not.
    pub fn outcomes(self) -> (&'static str, &'static str) {
        match self {
            CouncilKind::Identification => ("recommend", "not_recommend"),
            _ => ("select", "not_select"),
        }
    }
}

code_enum! {
    /// A member's role (vai trò trong hội đồng).
    MemberRole {
        /// Chủ tịch hội đồng: chairs, signs the minutes, overrides a conflict flag.
        Chair => "chair",
        /// Phó chủ tịch.
        ViceChair => "vice_chair",
        /// Ủy viên phản biện 1.
        Reviewer1 => "reviewer_1",
        /// Ủy viên phản biện 2.
        Reviewer2 => "reviewer_2",
        /// Thư ký khoa học: keeps the minutes, signs them, sees who has not scored.
        Secretary => "secretary",
        /// Ủy viên.
        Member => "member",
    }
}

code_enum! {
    /// Where a council stands.
    CouncilState {
        /// Being formed: members and proposals may change.
        Forming => "forming",
        /// Meeting: attendance is recorded and the members score.
        Meeting => "meeting",
        /// Closed: its outcome is recorded on every proposal, its minutes are final.
        Closed => "closed",
    }
}

/// A share written `2/3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fraction {
    /// Numerator.
    pub num: u32,
    /// Denominator (not 0).
    pub den: u32,
}

impl TryFrom<String> for Fraction {
    type Error = String;

    fn try_from(text: String) -> Result<Fraction, String> {
        let (n, d) = text.split_once('/').ok_or_else(|| format!("{text} is not a fraction like 2/3"))?;
        let num: u32 = n.trim().parse().map_err(|_| format!("{text} is not a fraction like 2/3"))?;
        let den: u32 = d.trim().parse().map_err(|_| format!("{text} is not a fraction like 2/3"))?;
        if den == 0 || num > den {
            return Err(format!("{text} is not a share between 0 and 1"));
        }
        Ok(Fraction { num, den })
    }
}

impl From<Fraction> for String {
    fn from(f: Fraction) -> String {
        f.to_string()
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl Fraction {
    /// The smallest count of `of` that reaches the share (2/3 of 9 is 6, of 7 is 5).
    pub fn of(self, of: usize) -> usize {
        let (num, den) = (self.num as usize, self.den as usize);
        (num * of).div_ceil(den)
    }

    /// Whether `count` of `of` is more than the share.
    pub fn exceeded_by(self, count: usize, of: usize) -> bool {
        count * self.den as usize > self.num as usize * of
    }
}

/// The quorum of a council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuorumRule {
    /// The share of the members who must be present.
    pub present: Fraction,
    /// Whether the chair or the vice-chair must be present.
    pub chair_or_vice: bool,
}

/// Why a council lacks its quorum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoQuorum {
    /// Members present.
    pub present: usize,
    /// Members needed.
    pub required: usize,
    /// Whether the chair and the vice-chair are both absent although one must be there.
    pub chair_missing: bool,
}

impl QuorumRule {
    /// Checks the attendance: each member's role and whether they are present.
    pub fn check(&self, members: &[(MemberRole, bool)]) -> Result<(), NoQuorum> {
        let present = members.iter().filter(|(_, p)| *p).count();
        let required = self.present.of(members.len()).max(1);
        let chair_missing = self.chair_or_vice
            && !members.iter().any(|(r, p)| *p && matches!(r, MemberRole::Chair | MemberRole::ViceChair));
        if present >= required && !chair_missing { Ok(()) } else { Err(NoQuorum { present, required, chair_missing }) }
    }
}

/// How the members' sheets make an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The average of the totals (on 100) a proposal needs.
    pub pass_average: f64,
    /// Refused when more than this share of the members who scored gave 0 to one criterion.
    pub zero_limit: Fraction,
}

impl Default for Rules {
    /// No sheet to aggregate (a council that judges conditions rather than scores).
    fn default() -> Rules {
        Rules { pass_average: 0.0, zero_limit: Fraction { num: 1, den: 3 } }
    }
}

/// How a council judging the conditions of a certificate concludes: each member judges every condition
/// met or not, with a remark, and recommends issuing or refusing; the council recommends issuing when more
/// than `majority` of the opinions do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionRule {
    /// The share of the opinions that must be exceeded by those recommending the certificate (`1/2`).
    pub majority: Fraction,
}

/// A criterion of the rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// A stable code within the rubric.
    pub code: String,
    /// Its name as the sheet prints it.
    pub name: String,
    /// The most points it takes.
    pub max: f64,
    /// Its weight in the total.
    pub weight: f64,
}

/// The settings of a council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilSettings {
    /// How many years back a member's organisations count against a proposal's.
    pub conflict_years: u32,
    /// The quorum.
    pub quorum: QuorumRule,
    /// The aggregation rules of the sheets.
    #[serde(default)]
    pub rules: Rules,
    /// The rubric (none for a council judging conditions).
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// Present when the members judge the conditions of a certificate instead of scoring a rubric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<ConditionRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindSettings {
    code: String,
    #[serde(flatten)]
    settings: CouncilSettings,
}

#[derive(Debug, Deserialize)]
struct File {
    kinds: Vec<KindSettings>,
}

impl CouncilSettings {
    /// Reads and checks the settings of every kind: every kind present, criteria with distinct codes,
    /// positive maxima and weights, a pass average within 0–100.
    pub fn parse_all(text: &str) -> Result<Vec<(CouncilKind, CouncilSettings)>, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for k in file.kinds {
            let kind = CouncilKind::from_code(&k.code).ok_or_else(|| format!("unknown council kind {}", k.code))?;
            k.settings.check().map_err(|e| format!("{}: {e}", k.code))?;
            out.push((kind, k.settings));
        }
        for kind in CouncilKind::ALL {
            if !out.iter().any(|(k, _)| k == kind) {
                return Err(format!("no settings for {}", kind.code()));
            }
        }
        Ok(out)
    }

    /// Checks one council's settings.
    pub fn check(&self) -> Result<(), String> {
        if self.conditions.is_some() {
            return if self.criteria.is_empty() {
                Ok(())
            } else {
                Err("a council judging conditions has no rubric".into())
            };
        }
        if self.criteria.is_empty() {
            return Err("a rubric needs a criterion".into());
        }
        for (i, c) in self.criteria.iter().enumerate() {
            if self.criteria[..i].iter().any(|o| o.code == c.code) {
                return Err(format!("criterion {} twice", c.code));
            }
            if !(c.max > 0.0 && c.weight > 0.0) {
                return Err(format!("criterion {} needs a positive maximum and weight", c.code));
            }
        }
        if !(0.0..=100.0).contains(&self.rules.pass_average) {
            return Err("the pass average is on 100".into());
        }
        Ok(())
    }

    /// The settings of a kind, as shipped.
    pub fn of(kind: CouncilKind) -> &'static CouncilSettings {
        static ALL: OnceLock<Vec<(CouncilKind, CouncilSettings)>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            CouncilSettings::parse_all(include_str!("councils.toml")).expect("councils.toml holds valid settings")
        });
        &all.iter().find(|(k, _)| *k == kind).expect("every kind has settings").1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_settings_and_a_rubric_on_100() {
        for kind in CouncilKind::ALL.iter().filter(|k| !k.judges_applications()) {
            let s = CouncilSettings::of(*kind);
            let total: f64 = s.criteria.iter().map(|c| c.max * c.weight).sum();
            assert!((total - 100.0).abs() < f64::EPSILON, "{kind:?} totals {total}");
        }
    }

    #[test]
    fn a_certificate_council_judges_conditions_by_a_majority_and_has_no_rubric() {
        let s = CouncilSettings::of(CouncilKind::Certificate);
        assert!(s.criteria.is_empty());
        let rule = s.conditions.expect("judges conditions");
        assert_eq!(rule.majority.to_string(), "1/2");
        assert!(!rule.majority.exceeded_by(1, 2), "one of two is not more than half");
        assert!(rule.majority.exceeded_by(2, 3));
        let mut scored = CouncilSettings::of(CouncilKind::Selection).clone();
        scored.conditions = Some(rule);
        assert!(scored.check().is_err(), "a rubric and conditions at once");
        let json = serde_json::to_string(CouncilSettings::of(CouncilKind::Selection)).unwrap();
        assert!(!json.contains("conditions"), "the stored settings of the other kinds are unchanged: {json}");
    }

    #[test]
    fn two_thirds_of_nine_is_six_and_of_seven_is_five() {
        let f = Fraction::try_from("2/3".to_owned()).unwrap();
        assert_eq!(f.of(9), 6);
        assert_eq!(f.of(7), 5);
        let third = Fraction::try_from("1/3".to_owned()).unwrap();
        assert!(!third.exceeded_by(3, 9), "three of nine is a third, not more");
        assert!(third.exceeded_by(4, 9));
        assert!(Fraction::try_from("3/2".to_owned()).is_err());
    }

    #[test]
    fn a_quorum_needs_two_thirds_present_and_the_chair_or_the_vice_chair() {
        let rule = CouncilSettings::of(CouncilKind::Selection).quorum;
        let mut members = vec![
            (MemberRole::Chair, true),
            (MemberRole::ViceChair, true),
            (MemberRole::Reviewer1, true),
            (MemberRole::Reviewer2, true),
            (MemberRole::Secretary, true),
            (MemberRole::Member, true),
            (MemberRole::Member, false),
        ];
        assert_eq!(rule.check(&members), Ok(()));
        members[5].1 = false;
        members[4].1 = false;
        assert_eq!(rule.check(&members), Err(NoQuorum { present: 4, required: 5, chair_missing: false }));
        members[4].1 = true;
        members[5].1 = true;
        members[0].1 = false;
        members[1].1 = false;
        members[6].1 = true;
        assert_eq!(rule.check(&members), Err(NoQuorum { present: 5, required: 5, chair_missing: true }));
    }

    #[test]
    fn outcomes_and_sources_follow_the_kind() {
        assert_eq!(CouncilKind::Identification.outcomes(), ("recommend", "not_recommend"));
        assert_eq!(CouncilKind::Direct.takes_from(), Some("dossier_valid"));
        let m = super::super::Machine::standard();
        for kind in [CouncilKind::Identification, CouncilKind::Selection, CouncilKind::Direct] {
            let from = kind.takes_from().unwrap();
            for route in kind.routes() {
                let to = m.find(*route, from, "to_council").unwrap_or_else(|| panic!("{kind:?} {route:?}"));
                let (pass, fail) = kind.outcomes();
                assert!(m.find(*route, &to.to, pass).is_some() && m.find(*route, &to.to, fail).is_some());
            }
        }
    }
}
