//! What a transition records, as typed: the decision document (số, ký hiệu; ngày; người ký), a note, the
//! screening reasons, and for the approved list how the task is carried out. Checked against what the
//! transition asks ([`TransitionDef`]).

use chrono::NaiveDate;

use super::input::{Checker, LINE_MAX};
use super::{AssignmentMode, DocumentRule, Issue, Machine, TransitionDef};
use crate::monitoring::DocumentSymbol;

/// A decision document as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionDraft {
    /// Number and symbol ("Số: 1234/QĐ-UBND").
    pub symbol: String,
    /// Its date.
    pub date: String,
    /// Who signed it ("Nguyễn Văn Thắng, Phó Chủ tịch UBND tỉnh").
    pub signer: String,
}

impl DecisionDraft {
    /// Whether nothing was typed.
    pub fn is_blank(&self) -> bool {
        [&self.symbol, &self.date, &self.signer].iter().all(|v| v.trim().is_empty())
    }
}

/// A checked decision document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Number and symbol as NĐ 30 writes them (`1523/QĐ-UBND`, without "Số:").
    pub symbol: String,
    /// Date.
    pub date: NaiveDate,
    /// Signer.
    pub signer: String,
}

/// A transition as asked in a form or by the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionDraft {
    /// The action's code.
    pub action: String,
    /// A note (the applicant reads it).
    pub note: String,
    /// Screening reasons' codes.
    pub reasons: Vec<String>,
    /// `selection` or `direct`, when approving the list.
    pub mode: String,
    /// The decision document.
    pub decision: DecisionDraft,
}

/// A checked transition's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionInput {
    /// The note.
    pub note: Option<String>,
    /// The reasons' codes.
    pub reasons: Vec<String>,
    /// How the listed task is carried out.
    pub mode: Option<AssignmentMode>,
    /// The decision document.
    pub decision: Option<Decision>,
}

/// Checks a decision document: its symbol parsed as NĐ 30 writes them, a date not after `today`, a signer.
pub(crate) fn decision(c: &mut Checker, d: &DecisionDraft, today: NaiveDate) -> Option<Decision> {
    let symbol = c.line("decision.symbol", &d.symbol, 60, true).and_then(|s| match DocumentSymbol::parse(&s) {
        Ok(parsed) => Some(parsed.to_string()),
        Err(e) => {
            c.push(Issue::new("decision.symbol", e.code()).arg("part", e.part()));
            None
        }
    });
    let date = c.date("decision.date", &d.date, true);
    if date.is_some_and(|d| d > today) {
        c.push(Issue::new("decision.date", "date_in_future"));
    }
    let signer = c.line("decision.signer", &d.signer, LINE_MAX, true);
    match (symbol, date, signer) {
        (Some(symbol), Some(date), Some(signer)) => Some(Decision { symbol, date, signer }),
        _ => None,
    }
}

/// Checks what a transition records against what it asks: a required document complete and well formed
/// (its symbol parsed as NĐ 30 writes them, a date not after `today`), an optional one either blank or
/// complete, a required note, at least one known reason, the mode.
pub fn check_transition_input(
    machine: &Machine,
    def: &TransitionDef,
    draft: &TransitionDraft,
    today: NaiveDate,
) -> Result<TransitionInput, Vec<Issue>> {
    let mut c = Checker::default();
    let note = c.text("note", &draft.note, def.note);
    let mut reasons = Vec::new();
    if def.reasons {
        for r in draft.reasons.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
            if machine.reasons().iter().any(|known| known == r) {
                if !reasons.iter().any(|k: &String| k == r) {
                    reasons.push(r.to_owned());
                }
            } else {
                c.push(Issue::new("reasons", "invalid"));
            }
        }
        if reasons.is_empty() {
            c.push(Issue::new("reasons", "reason_required"));
        }
    }
    let mode = if def.mode {
        let mode = AssignmentMode::from_code(draft.mode.trim());
        if mode.is_none() {
            c.push(Issue::new("mode", "required"));
        }
        mode
    } else {
        None
    };
    let wanted = match def.document {
        DocumentRule::None => false,
        DocumentRule::Optional => !draft.decision.is_blank(),
        DocumentRule::Required => true,
    };
    let decision = if wanted { decision(&mut c, &draft.decision, today) } else { None };
    if c.issues.is_empty() { Ok(TransitionInput { note, reasons, mode, decision }) } else { Err(c.issues) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sci_tech::Route;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 7, 15).unwrap()
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn approving_the_list_records_its_decision_and_the_mode() {
        let m = Machine::standard();
        let def = m.find(Route::Order, "awaiting_list", "approve_list").unwrap();
        let draft = TransitionDraft {
            action: "approve_list".into(),
            mode: "selection".into(),
            decision: DecisionDraft {
                symbol: "Số: 1523/QĐ-UBND".into(),
                date: "10/07/2020".into(),
                signer: "Đặng Huy Hậu".into(),
            },
            ..TransitionDraft::default()
        };
        let input = check_transition_input(m, def, &draft, today()).unwrap();
        let decision = input.decision.unwrap();
        assert_eq!(decision.symbol, "1523/QĐ-UBND");
        assert_eq!(input.mode, Some(AssignmentMode::Selection));
        let missing = TransitionDraft { action: "approve_list".into(), ..TransitionDraft::default() };
        assert_eq!(
            codes(&check_transition_input(m, def, &missing, today()).unwrap_err()),
            [
                ("mode".into(), "required"),
                ("decision.symbol".into(), "required"),
                ("decision.date".into(), "required"),
                ("decision.signer".into(), "required")
            ]
        );
    }

    #[test]
    fn a_decision_is_well_formed_and_not_dated_after_today() {
        let m = Machine::standard();
        let def = m.find(Route::Order, "awaiting_list", "approve_list").unwrap();
        let draft = TransitionDraft {
            mode: "direct".into(),
            decision: DecisionDraft {
                symbol: "QĐ-UBND".into(),
                date: "16/07/2020".into(),
                signer: "Đặng Huy Hậu".into(),
            },
            ..TransitionDraft::default()
        };
        let issues = codes(&check_transition_input(m, def, &draft, today()).unwrap_err());
        assert_eq!(
            issues,
            [("decision.symbol".into(), "symbol_missing_number"), ("decision.date".into(), "date_in_future")]
        );
    }

    #[test]
    fn an_invalid_proposal_says_why() {
        let m = Machine::standard();
        let def = m.find(Route::Order, "submitted", "screen_invalid").unwrap();
        let none = TransitionDraft::default();
        assert_eq!(
            codes(&check_transition_input(m, def, &none, today()).unwrap_err()),
            [("reasons".into(), "reason_required")]
        );
        let some = TransitionDraft { reasons: vec!["incomplete".into(), "incomplete".into()], ..none };
        assert_eq!(check_transition_input(m, def, &some, today()).unwrap().reasons, ["incomplete"]);
    }

    #[test]
    fn an_optional_document_is_either_left_blank_or_complete() {
        let m = Machine::standard();
        let def = m.find(Route::Selection, "submitted", "open_valid").unwrap();
        assert_eq!(check_transition_input(m, def, &TransitionDraft::default(), today()).unwrap().decision, None);
        let half = TransitionDraft {
            decision: DecisionDraft { symbol: "12/BB-SKHCN".into(), ..DecisionDraft::default() },
            ..TransitionDraft::default()
        };
        assert_eq!(
            codes(&check_transition_input(m, def, &half, today()).unwrap_err()),
            [("decision.date".into(), "required"), ("decision.signer".into(), "required")]
        );
    }
}
