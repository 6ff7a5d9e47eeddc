//! The workflow of a progress update: the assigned unit writes and submits; the assigning side accepts
//! or returns it with a comment; an accepted update is final.
//!
//! [`transition`] is the one rule: who may take which action on an update in which state. The buttons of
//! the pages and the `permissions` of the API come from [`available_actions`], and every use case calls
//! [`transition`] before it writes.

use serde::{Deserialize, Serialize};

use super::assignment::{AssignmentAccess, AssignmentAction};
use crate::authz::Actor;

/// Where an update is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    /// Being written by the unit.
    Draft,
    /// Sent to the assigning side.
    Submitted,
    /// Accepted; final.
    Accepted,
    /// Returned with a comment; the unit may correct and submit again.
    Returned,
}

impl UpdateStatus {
    /// Every state.
    pub const ALL: [UpdateStatus; 4] =
        [UpdateStatus::Draft, UpdateStatus::Submitted, UpdateStatus::Accepted, UpdateStatus::Returned];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            UpdateStatus::Draft => "draft",
            UpdateStatus::Submitted => "submitted",
            UpdateStatus::Accepted => "accepted",
            UpdateStatus::Returned => "returned",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<UpdateStatus> {
        UpdateStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The authorization stage of a record in this state.
    pub fn stage(self) -> crate::authz::Stage {
        match self {
            UpdateStatus::Draft | UpdateStatus::Returned => crate::authz::Stage::Draft,
            UpdateStatus::Submitted => crate::authz::Stage::Submitted,
            UpdateStatus::Accepted => crate::authz::Stage::Final,
        }
    }

    /// Whether the unit may still change it (a draft, or returned for correction).
    pub fn is_editable(self) -> bool {
        matches!(self, UpdateStatus::Draft | UpdateStatus::Returned)
    }
}

/// Which side acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateSide {
    /// The assigned unit (lead).
    Reporter,
    /// The assigning side (the Sở).
    Reviewer,
}

/// What can be done to an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateAction {
    /// Change its content.
    Edit,
    /// Send it.
    Submit,
    /// Accept it.
    Accept,
    /// Return it with a comment.
    Return,
    /// Delete a draft.
    Delete,
}

impl UpdateAction {
    /// Every action.
    pub const ALL: [UpdateAction; 5] =
        [UpdateAction::Edit, UpdateAction::Submit, UpdateAction::Accept, UpdateAction::Return, UpdateAction::Delete];

    /// The side that takes it.
    pub fn side(self) -> UpdateSide {
        match self {
            UpdateAction::Edit | UpdateAction::Submit | UpdateAction::Delete => UpdateSide::Reporter,
            UpdateAction::Accept | UpdateAction::Return => UpdateSide::Reviewer,
        }
    }

    /// The stable code (`edit`, `submit`, `accept`, `return`, `delete`).
    pub fn code(self) -> &'static str {
        match self {
            UpdateAction::Edit => "edit",
            UpdateAction::Submit => "submit",
            UpdateAction::Accept => "accept",
            UpdateAction::Return => "return",
            UpdateAction::Delete => "delete",
        }
    }
}

/// The state an action leads to from `from`, whoever takes it; `None` when the action is not possible in
/// that state.
pub fn next(from: UpdateStatus, action: UpdateAction) -> Option<UpdateStatus> {
    use UpdateAction as A;
    use UpdateStatus as U;
    match (from, action) {
        (U::Draft | U::Returned, A::Edit | A::Delete) => Some(from),
        (U::Draft | U::Returned, A::Submit) => Some(U::Submitted),
        (U::Submitted, A::Accept) => Some(U::Accepted),
        (U::Submitted, A::Return) => Some(U::Returned),
        _ => None,
    }
}

/// Why an action on an update is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor is not on the side that takes this action (403).
    #[error("not on the side that takes this action")]
    Forbidden,
    /// The unit's actions on an assignment that was cancelled (409 `assignment_cancelled`).
    #[error("the assignment was cancelled")]
    AssignmentCancelled,
    /// Not possible from the update's state: a submitted or decided update is no longer the unit's to
    /// change, a draft is not the assigning side's to decide (409).
    #[error("not possible in this state")]
    InvalidState,
}

/// The state after `actor` takes `action` on an update in `state` of the assignment described by
/// `access`. Who first (403), then whether the assignment still runs, then the state (409).
pub fn transition(
    actor: &Actor,
    access: &AssignmentAccess<'_>,
    state: UpdateStatus,
    action: UpdateAction,
) -> Result<UpdateStatus, TransitionError> {
    let side = match action.side() {
        UpdateSide::Reporter => AssignmentAction::Report,
        UpdateSide::Reviewer => AssignmentAction::Review,
    };
    if !super::assignment::authorized(actor, access, side) {
        return Err(TransitionError::Forbidden);
    }
    if action.side() == UpdateSide::Reporter && access.cancelled {
        return Err(TransitionError::AssignmentCancelled);
    }
    next(state, action).ok_or(TransitionError::InvalidState)
}

/// The actions `actor` may take on an update in `state`: the buttons of the page and the `permissions`
/// of the API.
pub fn available_actions(actor: &Actor, access: &AssignmentAccess<'_>, state: UpdateStatus) -> Vec<UpdateAction> {
    UpdateAction::ALL.into_iter().filter(|a| transition(actor, access, state, *a).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role, Scope};

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor::user(1, vec![Grant { role, scope }])
    }

    const LEAD: &[i64] = &[1, 5];

    fn access(cancelled: bool) -> AssignmentAccess<'static> {
        AssignmentAccess { lead_path: LEAD, actor_coordinates: false, cancelled }
    }

    #[test]
    fn the_state_table_is_exactly_this() {
        use UpdateAction as A;
        use UpdateStatus as U;
        let expected: &[(U, A, U)] = &[
            (U::Draft, A::Edit, U::Draft),
            (U::Draft, A::Submit, U::Submitted),
            (U::Draft, A::Delete, U::Draft),
            (U::Returned, A::Edit, U::Returned),
            (U::Returned, A::Submit, U::Submitted),
            (U::Returned, A::Delete, U::Returned),
            (U::Submitted, A::Accept, U::Accepted),
            (U::Submitted, A::Return, U::Returned),
        ];
        for status in U::ALL {
            for action in A::ALL {
                let want = expected.iter().find(|(s, a, _)| *s == status && *a == action).map(|(_, _, to)| *to);
                assert_eq!(next(status, action), want, "{status:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_unit_writes_and_submits_and_the_department_decides() {
        let unit = actor(Role::LocalityOfficer, Scope::Organization(5));
        let officer = actor(Role::DepartmentOfficer, Scope::Province);
        let leader = actor(Role::DepartmentLeader, Scope::Province);
        let other_unit = actor(Role::LocalityOfficer, Scope::Organization(6));
        let editor = actor(Role::Editor, Scope::Province);
        let open = access(false);
        use UpdateAction as A;
        use UpdateStatus as U;
        let table: &[(&Actor, U, &[A])] = &[
            (&unit, U::Draft, &[A::Edit, A::Submit, A::Delete]),
            (&unit, U::Returned, &[A::Edit, A::Submit, A::Delete]),
            (&unit, U::Submitted, &[]),
            (&unit, U::Accepted, &[]),
            (&officer, U::Draft, &[]),
            (&officer, U::Submitted, &[A::Accept, A::Return]),
            (&officer, U::Accepted, &[]),
            (&leader, U::Submitted, &[A::Accept, A::Return]),
            (&other_unit, U::Draft, &[]),
            (&other_unit, U::Submitted, &[]),
            (&editor, U::Submitted, &[]),
        ];
        for (who, state, want) in table {
            assert_eq!(available_actions(who, &open, *state), want.to_vec(), "{who:?} {state:?}");
        }
    }

    #[test]
    fn refusals_say_who_then_whether_the_assignment_runs_then_the_state() {
        let unit = actor(Role::LocalityOfficer, Scope::Organization(5));
        let officer = actor(Role::DepartmentOfficer, Scope::Province);
        let other_unit = actor(Role::LocalityOfficer, Scope::Organization(6));
        let cancelled = access(true);
        assert_eq!(
            transition(&other_unit, &cancelled, UpdateStatus::Submitted, UpdateAction::Edit),
            Err(TransitionError::Forbidden)
        );
        assert_eq!(
            transition(&unit, &cancelled, UpdateStatus::Submitted, UpdateAction::Edit),
            Err(TransitionError::AssignmentCancelled)
        );
        assert_eq!(
            transition(&unit, &access(false), UpdateStatus::Accepted, UpdateAction::Edit),
            Err(TransitionError::InvalidState)
        );
        assert_eq!(
            transition(&unit, &access(false), UpdateStatus::Submitted, UpdateAction::Accept),
            Err(TransitionError::Forbidden)
        );
        // The assigning side still decides what was sent before the cancellation.
        assert_eq!(
            transition(&officer, &cancelled, UpdateStatus::Submitted, UpdateAction::Return),
            Ok(UpdateStatus::Returned)
        );
        assert!(available_actions(&unit, &cancelled, UpdateStatus::Draft).is_empty());
    }
}
