//! The life of one report (organisation, period, template): draft → submitted → returned (with comments)
//! or approved and locked; an approver may unlock an approved report with a reason, which makes it a draft
//! again.
//!
//! [`transition`] says whether an actor may take an action on a report where it stands, and where it goes;
//! [`available_actions`] lists what an actor may do (the buttons of the report's pages and the
//! `permissions` of the API are both computed from it), and the use cases call [`transition`] before
//! writing.

use serde::{Deserialize, Serialize};

use crate::authz::{Action, Actor, OrgId, Resource, Stage, authorize};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Every action, in the order the pages show them.
    pub const ALL: [ReportAction; 5] =
        [ReportAction::Save, ReportAction::Submit, ReportAction::Return, ReportAction::Approve, ReportAction::Unlock];

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

    /// The permission the action needs, and the stage of the report it applies to: the unit edits and
    /// submits its draft; the department's reviewers (leader, officer) return a submitted report; the
    /// leader approves it, and unlocks an approved one ("approving" a final report).
    fn permission(self) -> (Action, Stage) {
        match self {
            ReportAction::Save => (Action::Edit, Stage::Draft),
            ReportAction::Submit => (Action::Submit, Stage::Draft),
            ReportAction::Return => (Action::Review, Stage::Submitted),
            ReportAction::Approve => (Action::Approve, Stage::Submitted),
            ReportAction::Unlock => (Action::Approve, Stage::Final),
        }
    }
}

/// Why a report action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor may not take this action on this organisation's reports, whatever their state.
    #[error("not allowed")]
    Forbidden,
    /// The actor may, but not from the report's current state (it was submitted, decided or unlocked
    /// meanwhile).
    #[error("not from this state")]
    InvalidState,
}

/// The status after `actor` takes `action` on a report of the organisation at `owner_path` (its path from
/// the root) that stands at `status`.
///
/// The permission is checked first, on the stage the action applies to: someone who may never approve a
/// report is refused (`Forbidden`) whatever its state, while an approver who finds it already decided is
/// told so (`InvalidState`).
pub fn transition(
    actor: &Actor,
    owner_path: &[OrgId],
    status: ReportStatus,
    action: ReportAction,
) -> Result<ReportStatus, TransitionError> {
    let (permission, stage) = action.permission();
    if !authorize(actor, permission, &Resource::Report { owner_path, stage }).is_allowed() {
        return Err(TransitionError::Forbidden);
    }
    next(status, action).ok_or(TransitionError::InvalidState)
}

/// The actions `actor` may take on a report of the organisation at `owner_path` that stands at `status`
/// (for the buttons of the pages and the `permissions` of the API).
pub fn available_actions(actor: &Actor, owner_path: &[OrgId], status: ReportStatus) -> Vec<ReportAction> {
    ReportAction::ALL.into_iter().filter(|a| transition(actor, owner_path, status, *a).is_ok()).collect()
}

/// Whether `actor` may open a report (a new draft) for the organisation at `owner_path`.
pub fn may_open(actor: &Actor, owner_path: &[OrgId]) -> bool {
    authorize(actor, Action::Create, &Resource::Report { owner_path, stage: Stage::Draft }).is_allowed()
}

/// Whether `actor` may see a report of the organisation at `owner_path` that stands at `status` (a draft
/// is its unit's own; the department sees what was sent).
pub fn may_view(actor: &Actor, owner_path: &[OrgId], status: ReportStatus) -> bool {
    authorize(actor, Action::View, &Resource::Report { owner_path, stage: status.stage() }).is_allowed()
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

    /// The organisation of the report (a ward under the province) and another ward.
    const WARD: &[OrgId] = &[1, 5];
    const OTHER_WARD: OrgId = 6;

    fn actor(role: crate::authz::Role, scope: crate::authz::Scope) -> Actor {
        Actor::user(7, vec![crate::authz::Grant { role, scope }])
    }

    #[test]
    fn each_role_may_take_the_actions_of_its_side_of_the_workflow() {
        use crate::authz::{Role, Scope};
        use ReportAction as A;
        use ReportStatus as S;
        let unit = actor(Role::LocalityOfficer, Scope::Organization(5));
        let partner = actor(Role::PartnerOfficer, Scope::Subtree(1));
        let other_unit = actor(Role::LocalityOfficer, Scope::Organization(OTHER_WARD));
        let officer = actor(Role::DepartmentOfficer, Scope::Province);
        let leader = actor(Role::DepartmentLeader, Scope::Province);
        let other_leader = actor(Role::DepartmentLeader, Scope::Organization(OTHER_WARD));
        let admin = actor(Role::Administrator, Scope::Province);
        let editor = actor(Role::Editor, Scope::Province);
        let public = Actor::public();
        // (actor, status, the actions available)
        let table: &[(&Actor, S, &[A])] = &[
            (&unit, S::Draft, &[A::Save, A::Submit]),
            (&unit, S::Returned, &[A::Save, A::Submit]),
            (&unit, S::Submitted, &[]),
            (&unit, S::Approved, &[]),
            (&partner, S::Draft, &[A::Save, A::Submit]),
            (&other_unit, S::Draft, &[]),
            (&officer, S::Draft, &[]),
            (&officer, S::Submitted, &[A::Return]),
            (&officer, S::Approved, &[]),
            (&leader, S::Draft, &[]),
            (&leader, S::Returned, &[]),
            (&leader, S::Submitted, &[A::Return, A::Approve]),
            (&leader, S::Approved, &[A::Unlock]),
            (&other_leader, S::Submitted, &[]),
            (&other_leader, S::Approved, &[]),
            (&admin, S::Submitted, &[]),
            (&admin, S::Approved, &[]),
            (&editor, S::Submitted, &[]),
            (&public, S::Draft, &[]),
        ];
        for (who, status, expected) in table {
            assert_eq!(available_actions(who, WARD, *status), expected.to_vec(), "{:?} on {status:?}", who.grants);
        }
    }

    #[test]
    fn a_refusal_says_whether_the_actor_may_never_or_not_from_this_state() {
        use crate::authz::{Role, Scope};
        use ReportAction as A;
        use ReportStatus as S;
        let officer = actor(Role::DepartmentOfficer, Scope::Province);
        let leader = actor(Role::DepartmentLeader, Scope::Province);
        let unit = actor(Role::LocalityOfficer, Scope::Organization(5));
        assert_eq!(transition(&leader, WARD, S::Submitted, A::Approve), Ok(S::Approved));
        assert_eq!(transition(&officer, WARD, S::Submitted, A::Return), Ok(S::Returned));
        assert_eq!(transition(&leader, WARD, S::Approved, A::Unlock), Ok(S::Draft));
        assert_eq!(transition(&unit, WARD, S::Returned, A::Submit), Ok(S::Submitted));
        // Someone decided first.
        assert_eq!(transition(&leader, WARD, S::Approved, A::Approve), Err(TransitionError::InvalidState));
        assert_eq!(transition(&unit, WARD, S::Approved, A::Submit), Err(TransitionError::InvalidState));
        // Never theirs to take.
        assert_eq!(transition(&officer, WARD, S::Submitted, A::Approve), Err(TransitionError::Forbidden));
        assert_eq!(transition(&officer, WARD, S::Approved, A::Unlock), Err(TransitionError::Forbidden));
        assert_eq!(transition(&unit, WARD, S::Submitted, A::Approve), Err(TransitionError::Forbidden));
        assert_eq!(transition(&leader, WARD, S::Draft, A::Save), Err(TransitionError::Forbidden));
        assert!(may_open(&unit, WARD) && !may_open(&leader, WARD));
        assert!(may_view(&unit, WARD, S::Draft) && !may_view(&leader, WARD, S::Draft));
        assert!(may_view(&leader, WARD, S::Submitted) && may_view(&officer, WARD, S::Approved));
    }
}
