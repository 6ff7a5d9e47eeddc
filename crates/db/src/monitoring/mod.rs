//! Storage of resolution monitoring: documents, plans, targets, tasks, assignments, progress updates,
//! notifications and reminders.

pub mod assignments;
pub mod documents;

pub mod plans;
pub mod reminders;
pub mod updates;

/// Which assignments a user may see in lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every assignment (province-wide staff).
    All,
    /// Those led or coordinated by these organisations, and those led by the `staff_orgs`.
    Orgs {
        /// Organisations the user reports for (lead or coordinator).
        reporting: Vec<i64>,
        /// Organisations the user oversees as department staff (lead only).
        staff: Vec<i64>,
    },
}

impl Visibility {
    /// Whether nothing is visible.
    pub fn is_empty(&self) -> bool {
        matches!(self, Visibility::Orgs { reporting, staff } if reporting.is_empty() && staff.is_empty())
    }

    /// Appends the SQL condition on an assignment aliased `a` to `q`.
    pub(crate) fn push_condition(&self, q: &mut crate::Query) {
        let Visibility::Orgs { reporting, staff } = self else { return };
        let mut leads: Vec<i64> = reporting.iter().chain(staff.iter()).copied().collect();
        leads.sort_unstable();
        leads.dedup();
        q.push(" AND (a.lead_org_id IN (");
        push_ids(q, &leads);
        q.push(") OR a.id IN (SELECT assignment_id FROM assignment_coordinators WHERE org_id IN (");
        push_ids(q, reporting);
        q.push(")))");
    }
}

/// Appends `$n, $n+1, …` for ids (or a never-matching `NULL` for none).
pub(crate) fn push_ids(q: &mut crate::Query, ids: &[i64]) {
    if ids.is_empty() {
        q.push("NULL");
        return;
    }
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
}
