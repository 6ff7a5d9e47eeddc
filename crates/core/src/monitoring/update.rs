//! The workflow of a progress update: the assigned unit writes and submits; the assigning side accepts
//! or returns it with a comment; an accepted update is final.

use serde::{Deserialize, Serialize};

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

    /// The state after the action.
    pub fn next(self, from: UpdateStatus) -> UpdateStatus {
        match self {
            UpdateAction::Edit | UpdateAction::Delete => from,
            UpdateAction::Submit => UpdateStatus::Submitted,
            UpdateAction::Accept => UpdateStatus::Accepted,
            UpdateAction::Return => UpdateStatus::Returned,
        }
    }
}

/// The one transition function: whether `side` may take `action` on an update in `status`.
pub fn allowed(status: UpdateStatus, action: UpdateAction, side: UpdateSide) -> bool {
    use UpdateAction as A;
    use UpdateSide as S;
    use UpdateStatus as U;
    matches!(
        (status, action, side),
        (U::Draft | U::Returned, A::Edit | A::Submit | A::Delete, S::Reporter)
            | (U::Submitted, A::Accept | A::Return, S::Reviewer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transition_table_is_exactly_this() {
        let expected: &[(UpdateStatus, UpdateAction, UpdateSide)] = &[
            (UpdateStatus::Draft, UpdateAction::Edit, UpdateSide::Reporter),
            (UpdateStatus::Draft, UpdateAction::Submit, UpdateSide::Reporter),
            (UpdateStatus::Draft, UpdateAction::Delete, UpdateSide::Reporter),
            (UpdateStatus::Returned, UpdateAction::Edit, UpdateSide::Reporter),
            (UpdateStatus::Returned, UpdateAction::Submit, UpdateSide::Reporter),
            (UpdateStatus::Returned, UpdateAction::Delete, UpdateSide::Reporter),
            (UpdateStatus::Submitted, UpdateAction::Accept, UpdateSide::Reviewer),
            (UpdateStatus::Submitted, UpdateAction::Return, UpdateSide::Reviewer),
        ];
        for status in UpdateStatus::ALL {
            for action in UpdateAction::ALL {
                for side in [UpdateSide::Reporter, UpdateSide::Reviewer] {
                    let want = expected.contains(&(status, action, side));
                    assert_eq!(allowed(status, action, side), want, "{status:?} {action:?} {side:?}");
                }
            }
        }
    }

    #[test]
    fn an_accepted_update_can_no_longer_change() {
        for action in UpdateAction::ALL {
            for side in [UpdateSide::Reporter, UpdateSide::Reviewer] {
                assert!(!allowed(UpdateStatus::Accepted, action, side));
            }
        }
        assert_eq!(UpdateAction::Return.next(UpdateStatus::Submitted), UpdateStatus::Returned);
    }
}
