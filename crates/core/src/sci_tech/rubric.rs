//! A council's settings as the staff type them (its rubric, the rules that make its outcome, its quorum,
//! how far back conflicts of interest are looked for), checked into [`CouncilSettings`]. A council copies
//! its kind's settings from `councils.toml` when it is formed; its own copy may be changed until the first
//! sheet is sent.

use super::Issue;
use super::council::{CouncilSettings, Criterion, Fraction, QuorumRule, Rules};
use super::input::{Checker, LINE_MAX};
use crate::lang::Lang;

/// The longest conflict horizon, in years.
pub const CONFLICT_YEARS_MAX: u32 = 20;

/// A criterion as typed; a row left blank is skipped (it keeps its number in messages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriterionDraft {
    /// Its code, kept from the stored rubric (a new row gets one).
    pub code: String,
    /// Its name as the sheet prints it.
    pub name: String,
    /// The most points it takes.
    pub max: String,
    /// Its weight in the total (1 when blank).
    pub weight: String,
}

impl CriterionDraft {
    fn is_blank(&self) -> bool {
        [&self.name, &self.max, &self.weight].iter().all(|v| v.trim().is_empty())
    }
}

/// A council's settings as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsDraft {
    /// The rubric.
    pub criteria: Vec<CriterionDraft>,
    /// The average (on 100) a proposal needs.
    pub pass_average: String,
    /// The share of the members who scored whose 0 on one criterion refuses a proposal, when exceeded
    /// (`1/3`).
    pub zero_limit: String,
    /// The share of the members who must be present (`2/3`).
    pub quorum_present: String,
    /// Whether the chair or the vice-chair must be present.
    pub quorum_chair_or_vice: bool,
    /// How many years back a member's organisations count.
    pub conflict_years: String,
}

fn number_text(x: f64) -> String {
    crate::fmt::decimal(x, 2, Lang::Vi)
}

impl SettingsDraft {
    /// The form of stored settings.
    pub fn of(settings: &CouncilSettings) -> SettingsDraft {
        SettingsDraft {
            criteria: settings
                .criteria
                .iter()
                .map(|c| CriterionDraft {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    max: number_text(c.max),
                    weight: number_text(c.weight),
                })
                .collect(),
            pass_average: number_text(settings.rules.pass_average),
            zero_limit: settings.rules.zero_limit.to_string(),
            quorum_present: settings.quorum.present.to_string(),
            quorum_chair_or_vice: settings.quorum.chair_or_vice,
            conflict_years: settings.conflict_years.to_string(),
        }
    }

    /// Checks the settings; every problem is reported at once, naming its field (`criteria[1].max`,
    /// `pass_average`, `quorum_present`, …). A criterion needs a name and a positive maximum and weight; two
    /// criteria may not share a name or a code; a new row gets a code of its own.
    pub fn validate(&self) -> Result<CouncilSettings, Vec<Issue>> {
        let mut c = Checker::default();
        let mut criteria: Vec<Criterion> = Vec::new();
        let (mut codes, mut names): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        let mut rows = 0;
        for (i, row) in self.criteria.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
            rows += 1;
            let name = c.line(&format!("criteria[{i}].name"), &row.name, LINE_MAX, true);
            let max = positive(&mut c, &format!("criteria[{i}].max"), &row.max, None);
            let weight = positive(&mut c, &format!("criteria[{i}].weight"), &row.weight, Some(1.0));
            let code = row.code.trim().to_owned();
            if !code.is_empty() {
                if codes.contains(&code) {
                    c.push(Issue::new(format!("criteria[{i}].code"), "criterion_twice"));
                }
                codes.push(code.clone());
            }
            if let Some(n) = &name {
                let folded = crate::text::fold(n);
                if names.contains(&folded) {
                    c.push(Issue::new(format!("criteria[{i}].name"), "criterion_twice"));
                }
                names.push(folded);
            }
            if let (Some(name), Some(max), Some(weight)) = (name, max, weight) {
                criteria.push(Criterion { code, name, max, weight });
            }
        }
        if rows == 0 {
            c.push(Issue::new("criteria", "criterion_required"));
        }
        // Rows typed without a code (new ones) get the first `c<n>` no other criterion has.
        for i in 0..criteria.len() {
            if criteria[i].code.is_empty() {
                let code = (1..)
                    .map(|n| format!("c{n}"))
                    .find(|code| !criteria.iter().any(|o| o.code == *code))
                    .unwrap_or_default();
                criteria[i].code = code;
            }
        }
        let pass_average = match c.number("pass_average", &self.pass_average, true) {
            Some(n) if (0.0..=100.0).contains(&n) => Some(n),
            Some(_) => {
                c.push(Issue::new("pass_average", "pass_average_range"));
                None
            }
            None => None,
        };
        let zero_limit = share(&mut c, "zero_limit", &self.zero_limit);
        let present = share(&mut c, "quorum_present", &self.quorum_present);
        let conflict_years = match c.number("conflict_years", &self.conflict_years, true) {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(CONFLICT_YEARS_MAX)).contains(&n) =>
            {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a whole number from 0 to 20"
                )]
                Some(n as u32)
            }
            Some(_) => {
                c.push(Issue::new("conflict_years", "conflict_years_range").arg("max", CONFLICT_YEARS_MAX));
                None
            }
            None => None,
        };
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        let (Some(pass_average), Some(zero_limit), Some(present), Some(conflict_years)) =
            (pass_average, zero_limit, present, conflict_years)
        else {
            return Err(vec![Issue::new("criteria", "invalid")]);
        };
        let settings = CouncilSettings {
            conflict_years,
            quorum: QuorumRule { present, chair_or_vice: self.quorum_chair_or_vice },
            rules: Rules { pass_average, zero_limit },
            criteria,
            conditions: None,
        };
        settings.check().map_err(|_| vec![Issue::new("criteria", "invalid")])?;
        Ok(settings)
    }
}

/// A positive number (its `default` when blank, if any).
fn positive(c: &mut Checker, field: &str, raw: &str, default: Option<f64>) -> Option<f64> {
    if raw.trim().is_empty()
        && let Some(d) = default
    {
        return Some(d);
    }
    let n = c.number(field, raw, true)?;
    if n > 0.0 && n <= 1000.0 {
        Some(n)
    } else {
        c.push(Issue::new(field, "positive_number"));
        None
    }
}

/// A share written `2/3`.
fn share(c: &mut Checker, field: &str, raw: &str) -> Option<Fraction> {
    let raw = raw.trim();
    if raw.is_empty() {
        c.push(Issue::new(field, "required"));
        return None;
    }
    match Fraction::try_from(raw.to_owned()) {
        Ok(f) => Some(f),
        Err(_) => {
            c.push(Issue::new(field, "share_format"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sci_tech::council::CouncilKind;

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn the_form_of_stored_settings_gives_them_back() {
        for kind in CouncilKind::ALL.iter().filter(|k| !k.judges_applications()) {
            let stored = CouncilSettings::of(*kind);
            assert_eq!(&SettingsDraft::of(stored).validate().unwrap(), stored, "{kind:?}");
        }
    }

    #[test]
    fn a_new_criterion_gets_a_code_and_blank_rows_are_skipped() {
        let mut draft = SettingsDraft::of(CouncilSettings::of(CouncilKind::Identification));
        draft.criteria.insert(1, CriterionDraft::default());
        draft.criteria.push(CriterionDraft {
            code: String::new(),
            name: "Hiệu quả kinh tế".into(),
            max: "10".into(),
            weight: String::new(),
        });
        draft.criteria.push(CriterionDraft {
            code: String::new(),
            name: "Tác động xã hội".into(),
            max: "7,5".into(),
            weight: "2".into(),
        });
        draft.pass_average = "75".into();
        draft.quorum_present = "3/4".into();
        draft.quorum_chair_or_vice = false;
        let s = draft.validate().unwrap();
        let got: Vec<(&str, f64, f64)> = s.criteria.iter().map(|c| (c.code.as_str(), c.max, c.weight)).collect();
        assert_eq!(got[4..], [("c1", 10.0, 1.0), ("c2", 7.5, 2.0)]);
        assert_eq!(s.criteria[0].code, "urgency");
        assert!((s.rules.pass_average - 75.0).abs() < f64::EPSILON);
        assert_eq!(s.quorum.present.to_string(), "3/4");
        assert!(!s.quorum.chair_or_vice);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let draft = SettingsDraft {
            criteria: vec![
                CriterionDraft { code: "a".into(), name: "Tính mới".into(), max: "0".into(), weight: "1".into() },
                CriterionDraft {
                    code: "a".into(), name: "tinh moi".into(), max: "mười".into(), weight: "-1".into()
                },
                CriterionDraft { code: String::new(), name: String::new(), max: "5".into(), weight: String::new() },
            ],
            pass_average: "120".into(),
            zero_limit: "3/2".into(),
            quorum_present: "hai phần ba".into(),
            quorum_chair_or_vice: true,
            conflict_years: "2,5".into(),
        };
        assert_eq!(
            codes(&draft.validate().unwrap_err()),
            [
                ("criteria[0].max".to_owned(), "positive_number"),
                ("criteria[1].max".to_owned(), "not_a_number"),
                ("criteria[1].weight".to_owned(), "positive_number"),
                ("criteria[1].code".to_owned(), "criterion_twice"),
                ("criteria[1].name".to_owned(), "criterion_twice"),
                ("criteria[2].name".to_owned(), "required"),
                ("pass_average".to_owned(), "pass_average_range"),
                ("zero_limit".to_owned(), "share_format"),
                ("quorum_present".to_owned(), "share_format"),
                ("conflict_years".to_owned(), "conflict_years_range"),
            ]
        );
        let empty = SettingsDraft {
            criteria: vec![CriterionDraft::default()],
            ..SettingsDraft::of(CouncilSettings::of(CouncilKind::Selection))
        };
        assert_eq!(codes(&empty.validate().unwrap_err()), [("criteria".to_owned(), "criterion_required")]);
    }
}
