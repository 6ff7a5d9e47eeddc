//! Accounts: what a login name may be, and the one workflow of an account, its status. An account is
//! active (its owner may sign in) or disabled (kept for the audit trail; its sessions end). An
//! administrator whose scope covers the account's organisation disables or enables it, never their own.
//!
//! The buttons of the account page and the `permissions` of the API's account come from
//! [`available_actions`]; the use case calls [`transition`] before writing.

use serde::{Deserialize, Serialize};

use super::{Action, Actor, OrgId, Resource, UserId, authorize};

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// May sign in.
    Active,
    /// May not sign in; kept for the audit trail.
    Disabled,
}

impl AccountStatus {
    /// Every status.
    pub const ALL: [AccountStatus; 2] = [AccountStatus::Active, AccountStatus::Disabled];

    /// The stored code (`active`, `disabled`).
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        }
    }

    /// Parses a stored code; anything but `disabled` reads as active, as the sign-in does not check more.
    pub fn from_code(code: &str) -> AccountStatus {
        if code == AccountStatus::Disabled.code() { AccountStatus::Disabled } else { AccountStatus::Active }
    }
}

/// What can be done to an account's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    /// Khóa: active → disabled; the account's sessions end.
    Disable,
    /// Mở khóa: disabled → active.
    Enable,
}

impl AccountAction {
    /// Every action.
    pub const ALL: [AccountAction; 2] = [AccountAction::Disable, AccountAction::Enable];

    /// The code used in forms, the API and the audit trail (`disable`, `enable`).
    pub fn code(self) -> &'static str {
        match self {
            AccountAction::Disable => "disable",
            AccountAction::Enable => "enable",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<AccountAction> {
        AccountAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The action that leads to `status` (the form of the account page sends the status wanted).
    pub fn to_reach(status: AccountStatus) -> AccountAction {
        match status {
            AccountStatus::Active => AccountAction::Enable,
            AccountStatus::Disabled => AccountAction::Disable,
        }
    }
}

/// What the rules need to know about an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountFacts<'a> {
    /// The account.
    pub id: UserId,
    /// Its status.
    pub status: AccountStatus,
    /// The path of its organisation from the root (empty for none).
    pub org_path: &'a [OrgId],
}

/// Why a status change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor does not administer the account.
    #[error("not allowed")]
    Forbidden,
    /// An administrator does not change the status of their own account (they would lock themselves out).
    #[error("one's own account")]
    OwnAccount,
    /// Not from this status (enabling an active account).
    #[error("not from this status")]
    InvalidState,
}

/// The status after `action`, taken by `actor` on the account.
pub fn transition(
    actor: &Actor,
    account: &AccountFacts<'_>,
    action: AccountAction,
) -> Result<AccountStatus, TransitionError> {
    let resource = Resource::UserAccount { org_path: account.org_path };
    if !authorize(actor, Action::Delete, &resource).is_allowed() {
        return Err(TransitionError::Forbidden);
    }
    if actor.user_id == Some(account.id) {
        return Err(TransitionError::OwnAccount);
    }
    match (account.status, action) {
        (AccountStatus::Active, AccountAction::Disable) => Ok(AccountStatus::Disabled),
        (AccountStatus::Disabled, AccountAction::Enable) => Ok(AccountStatus::Active),
        _ => Err(TransitionError::InvalidState),
    }
}

/// The actions `actor` may take on the account (for the buttons and the API's permissions).
pub fn available_actions(actor: &Actor, account: &AccountFacts<'_>) -> Vec<AccountAction> {
    AccountAction::ALL.into_iter().filter(|a| transition(actor, account, *a).is_ok()).collect()
}

/// The longest login name.
pub const MAX_USERNAME: usize = 40;

/// Whether a login name is acceptable: 3–40 of `a-z 0-9 . _ -`, starting with a letter or a digit.
pub fn valid_username(name: &str) -> bool {
    (3..=MAX_USERNAME).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A plausible e-mail address (the real check is that mail arrives).
pub fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role, Scope};

    const ACCOUNT: UserId = 9;
    const WARD: OrgId = 12;
    const PATH: &[OrgId] = &[1, WARD];

    fn actor(id: UserId, grants: &[(Role, Scope)]) -> Actor {
        Actor::user(id, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect())
    }

    fn facts(status: AccountStatus) -> AccountFacts<'static> {
        AccountFacts { id: ACCOUNT, status, org_path: PATH }
    }

    #[test]
    fn the_status_workflow_as_a_table() {
        use AccountAction::{Disable, Enable};
        use AccountStatus::{Active, Disabled};
        use TransitionError::{Forbidden, InvalidState, OwnAccount};
        let province_admin = actor(1, &[(Role::Administrator, Scope::Province)]);
        let ward_admin = actor(2, &[(Role::Administrator, Scope::Organization(WARD))]);
        let other_admin = actor(3, &[(Role::Administrator, Scope::Organization(99))]);
        let leader = actor(4, &[(Role::DepartmentLeader, Scope::Province)]);
        let herself = actor(ACCOUNT, &[(Role::Administrator, Scope::Province)]);
        let table: &[(&Actor, AccountStatus, AccountAction, Result<AccountStatus, TransitionError>)] = &[
            (&province_admin, Active, Disable, Ok(Disabled)),
            (&province_admin, Disabled, Enable, Ok(Active)),
            (&province_admin, Active, Enable, Err(InvalidState)),
            (&province_admin, Disabled, Disable, Err(InvalidState)),
            (&ward_admin, Active, Disable, Ok(Disabled)),
            (&other_admin, Active, Disable, Err(Forbidden)),
            (&leader, Active, Disable, Err(Forbidden)),
            (&herself, Active, Disable, Err(OwnAccount)),
            (&Actor::public(), Disabled, Enable, Err(Forbidden)),
        ];
        for (who, status, action, expected) in table {
            assert_eq!(transition(who, &facts(*status), *action), *expected, "{who:?} {status:?} {action:?}");
        }
        assert_eq!(available_actions(&province_admin, &facts(Active)), [Disable]);
        assert_eq!(available_actions(&province_admin, &facts(Disabled)), [Enable]);
        assert!(available_actions(&herself, &facts(Active)).is_empty());
        assert!(available_actions(&leader, &facts(Disabled)).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for action in AccountAction::ALL {
            assert_eq!(AccountAction::from_code(action.code()), Some(action));
        }
        for status in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_code(status.code()), status);
            assert_eq!(transition_target(status), status);
        }
        assert_eq!(AccountAction::from_code("delete"), None);
    }

    fn transition_target(status: AccountStatus) -> AccountStatus {
        match AccountAction::to_reach(status) {
            AccountAction::Enable => AccountStatus::Active,
            AccountAction::Disable => AccountStatus::Disabled,
        }
    }

    #[test]
    fn usernames_and_emails_are_checked() {
        assert!(valid_username("nguyen.van.an"));
        assert!(valid_username("cb_haan-01"));
        assert!(!valid_username("an"));
        assert!(!valid_username("Nguyễn"));
        assert!(!valid_username(".an"));
        assert!(valid_email("an@skhcn.quangninh.gov.vn"));
        assert!(!valid_email("an@localhost"));
        assert!(!valid_email("a n@x.vn"));
    }
}
