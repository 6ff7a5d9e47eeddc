//! Storage of periodic reporting (issue 7): indicators and versioned report forms, who must report them,
//! reports with their values and history, comments and attachments, the attribution of old units' values
//! to today's units, and the aggregates kept up to date as reports are approved and unlocked.

pub mod aggregates;
pub mod attribution;
pub mod forms;
pub mod reminders;
pub mod reports;

use tiendo_core::authz::{AccessScope, Coverage, Role};

pub(crate) use crate::monitoring::push_ids;

/// Which organisations' reports a list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    /// Every organisation (province-wide roles).
    All,
    /// These organisations only.
    Orgs(Vec<i64>),
}

impl From<Coverage> for OrgScope {
    fn from(coverage: Coverage) -> OrgScope {
        match coverage {
            Coverage::All => OrgScope::All,
            Coverage::Orgs(ids) => OrgScope::Orgs(ids),
        }
    }
}

impl OrgScope {
    /// The organisations whose reports an actor may list: those covered by their roles that see reports
    /// (administrator, the department's leader and officers, the reporting units' officers), every one for
    /// a province-wide grant of such a role. Each report is still checked on its own when opened (a unit's
    /// draft is its own).
    pub fn readable(scope: &AccessScope) -> OrgScope {
        scope
            .coverage(|r| {
                matches!(
                    r,
                    Role::Administrator
                        | Role::DepartmentLeader
                        | Role::DepartmentOfficer
                        | Role::LocalityOfficer
                        | Role::PartnerOfficer
                        | Role::Applicant
                )
            })
            .into()
    }

    /// The organisations an actor reports for (their locality and partner officer roles, an enterprise's
    /// applicant role), for "my reports". A province-wide reporting grant names no unit of its own and
    /// lists none here.
    pub fn reporting(scope: &AccessScope) -> OrgScope {
        match scope.periodic_reporting() {
            Coverage::All => OrgScope::Orgs(Vec::new()),
            Coverage::Orgs(ids) => OrgScope::Orgs(ids),
        }
    }

    /// The organisations, or `None` for every one.
    pub fn ids(&self) -> Option<&[i64]> {
        match self {
            OrgScope::All => None,
            OrgScope::Orgs(ids) => Some(ids),
        }
    }

    /// Whether nothing is visible.
    pub fn is_empty(&self) -> bool {
        matches!(self, OrgScope::Orgs(ids) if ids.is_empty())
    }

    /// Whether an organisation is in scope.
    pub fn covers(&self, org_id: i64) -> bool {
        match self {
            OrgScope::All => true,
            OrgScope::Orgs(ids) => ids.contains(&org_id),
        }
    }

    /// Appends ` AND <column> IN (…)` to `q` (nothing for every organisation).
    pub(crate) fn push_condition(&self, q: &mut crate::Query, column: &str) {
        if let OrgScope::Orgs(ids) = self {
            q.push(&format!(" AND {column} IN ("));
            push_ids(q, ids);
            q.push(")");
        }
    }
}
