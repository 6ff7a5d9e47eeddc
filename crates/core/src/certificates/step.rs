//! What a step of the processing records, as typed and checked: the note (required when the step asks for
//! one: the supplements asked, the reasons of a refusal), the decision document, and for the issue the
//! certificate's number. The same checks serve amending, re-issuing and ending a certificate.

use chrono::NaiveDate;

use super::TransitionDef;
use crate::sci_tech::input::{Checker, LINE_MAX};
use crate::sci_tech::{Decision, DecisionDraft, DocumentRule, Issue};

/// A step as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepDraft {
    /// The action's code.
    pub action: String,
    /// The note.
    pub note: String,
    /// The decision document.
    pub decision: DecisionDraft,
    /// The certificate's number, when issuing.
    pub number: String,
}

/// A step checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    /// The note.
    pub note: Option<String>,
    /// The decision document.
    pub decision: Option<Decision>,
    /// The certificate's number.
    pub number: Option<String>,
}

/// The longest certificate number.
const NUMBER_MAX: usize = 60;

/// Checks what a step records against what its transition asks (`today` bounds the decision's date).
pub fn check_step(def: &TransitionDef, draft: &StepDraft, today: NaiveDate) -> Result<StepInput, Vec<Issue>> {
    let mut c = Checker::default();
    let note = c.text("note", &draft.note, def.note);
    let wanted = match def.document {
        DocumentRule::None => false,
        DocumentRule::Optional => !draft.decision.is_blank(),
        DocumentRule::Required => true,
    };
    let decision = if wanted { crate::sci_tech::decision::decision(&mut c, &draft.decision, today) } else { None };
    let number = if def.certificate { c.line("number", &draft.number, NUMBER_MAX, true) } else { None };
    if c.issues.is_empty() { Ok(StepInput { note, decision, number }) } else { Err(c.issues) }
}

/// What amending, re-issuing or ending a certificate records: a note (required: the changes, the cause,
/// the reason) and its decision (required to end it, optional otherwise).
pub fn check_certificate_step(
    draft: &StepDraft,
    decision_required: bool,
    today: NaiveDate,
) -> Result<StepInput, Vec<Issue>> {
    let mut c = Checker::default();
    let note = c.text("note", &draft.note, true);
    let decision = if decision_required || !draft.decision.is_blank() {
        crate::sci_tech::decision::decision(&mut c, &draft.decision, today)
    } else {
        None
    };
    let number = c.line("number", &draft.number, LINE_MAX.min(NUMBER_MAX), false);
    if c.issues.is_empty() { Ok(StepInput { note, decision, number }) } else { Err(c.issues) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::Machine;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 12, 1).unwrap()
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_supplement_request_needs_its_reason() {
        let def = Machine::standard().find("checking", "request_supplement").unwrap();
        let draft = StepDraft { action: "request_supplement".into(), ..StepDraft::default() };
        assert_eq!(codes(&check_step(def, &draft, today()).unwrap_err()), [("note".into(), "required")]);
        let draft =
            StepDraft { note: "Bổ sung bản sao bằng độc quyền giải pháp hữu ích".into(), ..draft };
        assert!(check_step(def, &draft, today()).unwrap().note.is_some());
    }

    #[test]
    fn issuing_needs_the_number_and_the_decision() {
        let def = Machine::standard().find("appraisal", "issue").unwrap();
        let draft = StepDraft { action: "issue".into(), ..StepDraft::default() };
        let issues = codes(&check_step(def, &draft, today()).unwrap_err());
        for field in ["number", "decision.symbol", "decision.date", "decision.signer"] {
            assert!(issues.iter().any(|(f, _)| f == field), "{field}: {issues:?}");
        }
        let draft = StepDraft {
            number: "01/2020/DNKHCN".into(),
            decision: DecisionDraft {
                symbol: "125/QĐ-SKHCN".into(),
                date: "01/12/2020".into(),
                signer: "Hoàng Bá Nam".into(),
            },
            ..draft
        };
        let input = check_step(def, &draft, today()).unwrap();
        assert_eq!(input.number.as_deref(), Some("01/2020/DNKHCN"));
        assert_eq!(input.decision.unwrap().symbol, "125/QĐ-SKHCN");
    }

    #[test]
    fn ending_a_certificate_needs_the_reason_and_the_decision() {
        let issues = codes(&check_certificate_step(&StepDraft::default(), true, today()).unwrap_err());
        assert!(issues.contains(&("note".into(), "required")));
        assert!(issues.contains(&("decision.symbol".into(), "required")));
        assert!(
            check_certificate_step(&StepDraft { note: "Mất bản gốc".into(), ..StepDraft::default() }, false, today())
                .is_ok()
        );
    }
}
