//! Storage of periodic reporting (issue 7): indicators and versioned templates, who must report them,
//! reports with their values and history, comments and attachments, the attribution of old units' values
//! to today's units, and the aggregates kept up to date as reports are approved and unlocked.

pub mod aggregates;
pub mod attribution;
pub mod reminders;
pub mod reports;
pub mod templates;

pub(crate) use crate::monitoring::push_ids;

/// Which organisations' reports a list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    /// Every organisation (province-wide roles).
    All,
    /// These organisations only.
    Orgs(Vec<i64>),
}

impl OrgScope {
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
