//! The life of one report (organisation, period, template): draft → submitted → returned (with comments)
//! or approved and locked; an approver may unlock an approved report with a reason, which makes it a draft
//! again.

use serde::{Deserialize, Serialize};

use crate::authz::Stage;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Being filled.
    Draft,
    /// Waiting for the approver.
    Submitted,
    /// Sent back with comments.
    Returned,
    /// Approved and locked; counted in the aggregates.
    Approved,
}

impl ReportStatus {
    /// Every status.
    pub const ALL: [ReportStatus; 4] =
        [ReportStatus::Draft, ReportStatus::Submitted, ReportStatus::Returned, ReportStatus::Approved];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Approved => "approved",
        }
    }

    /// The status of a code.
    pub fn from_code(code: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Where the report stands for access rules: a draft or a returned report is the unit's own work, a
    /// submitted one awaits the department, an approved one is final.
    pub fn stage(self) -> Stage {
        match self {
            ReportStatus::Draft | ReportStatus::Returned => Stage::Draft,
            ReportStatus::Submitted => Stage::Submitted,
            ReportStatus::Approved => Stage::Final,
        }
    }

    /// Whether the unit may still change the values.
    pub fn is_editable(self) -> bool {
        next(self, ReportAction::Save).is_some()
    }

    /// Whether the report was sent (submitted, approved).
    pub fn is_sent(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Approved)
    }
}

/// What someone does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    /// Save values (a draft or a returned report).
    Save,
    /// Submit for approval.
    Submit,
    /// Send back with comments.
    Return,
    /// Approve and lock.
    Approve,
    /// Unlock an approved report (with a reason).
    Unlock,
}

impl ReportAction {
    /// The stable code (also the audit action).
    pub fn code(self) -> &'static str {
        match self {
            ReportAction::Save => "save",
            ReportAction::Submit => "submit",
            ReportAction::Return => "return",
            ReportAction::Approve => "approve",
            ReportAction::Unlock => "unlock",
        }
    }
}

/// The status after an action, or `None` when the action is not possible from `from`.
pub fn next(from: ReportStatus, action: ReportAction) -> Option<ReportStatus> {
    use ReportAction as A;
    use ReportStatus as S;
    match (from, action) {
        (S::Draft | S::Returned, A::Save) => Some(from),
        (S::Draft | S::Returned, A::Submit) => Some(S::Submitted),
        (S::Submitted, A::Return) => Some(S::Returned),
        (S::Submitted, A::Approve) => Some(S::Approved),
        (S::Approved, A::Unlock) => Some(S::Draft),
        _ => None,
    }
}

/// Whether a submission arrived late: after the due day (Vietnam time).
pub fn is_late(submitted_on: chrono::NaiveDate, due_on: chrono::NaiveDate) -> bool {
    submitted_on > due_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approved_report_is_locked_until_unlocked() {
        use ReportAction as A;
        use ReportStatus as S;
        assert_eq!(next(S::Draft, A::Submit), Some(S::Submitted));
        assert_eq!(next(S::Submitted, A::Return), Some(S::Returned));
        assert_eq!(next(S::Returned, A::Save), Some(S::Returned));
        assert_eq!(next(S::Returned, A::Submit), Some(S::Submitted));
        assert_eq!(next(S::Submitted, A::Approve), Some(S::Approved));
        for action in [A::Save, A::Submit, A::Return, A::Approve] {
            assert_eq!(next(S::Approved, action), None, "{action:?} on an approved report");
        }
        assert_eq!(next(S::Approved, A::Unlock), Some(S::Draft));
        assert_eq!(next(S::Draft, A::Approve), None, "a draft is not approved without being submitted");
        assert!(S::Returned.is_editable() && S::Draft.is_editable());
        assert!(!S::Submitted.is_editable() && !S::Approved.is_editable());
        assert_eq!(S::Returned.stage(), Stage::Draft);
        assert_eq!(S::Approved.stage(), Stage::Final);
    }
}
