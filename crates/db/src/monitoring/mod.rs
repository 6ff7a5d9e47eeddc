//! Storage of resolution monitoring: the register of legal documents, plans, targets, tasks, assignments,
//! progress updates, the dashboards' figures, reminders and the status colours.
//!
//! Lists and figures of assignments take a [`Visibility`], built from the actor's
//! [`tiendo_core::authz::AccessScope`] by [`Visibility::for_assignments`].

pub mod assignments;
pub mod legal_documents;
pub mod localities;
pub mod plans;
pub mod reminders;
pub mod status_colors;
pub mod status_sql;
pub mod to_do;
pub mod updates;

/// The register under the name the working-visit code still uses (`documents`); new code names it
/// [`legal_documents`].
pub use legal_documents as documents;

use tiendo_core::authz::{AccessScope, Coverage, Role};

/// Which assignments a user may see in lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every assignment (province-wide staff, and the public statistics of the portal, which show counts
    /// only).
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
    /// The assignments an actor sees in lists, from their access scope: every one for department staff
    /// or a reporting role over the whole province; otherwise those led or coordinated by the
    /// organisations they report for (locality and partner officers), and those led by the organisations
    /// their staff roles (administrator, leader, officer of the department) cover. The same rule as
    /// `authorize(View, Assignment)` record by record.
    pub fn for_assignments(scope: &AccessScope) -> Visibility {
        let reporting = scope.reporting();
        let staff =
            scope.coverage(|r| matches!(r, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer));
        match (reporting, staff) {
            (Coverage::All, _) | (_, Coverage::All) => Visibility::All,
            (Coverage::Orgs(reporting), Coverage::Orgs(staff)) => Visibility::Orgs { reporting, staff },
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::authz::{Actor, Grant, Scope};

    fn scope(grants: &[(Role, Scope)]) -> AccessScope {
        let actor = Actor::user(1, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect());
        AccessScope::of(&actor, |root| vec![root, root * 10])
    }

    #[test]
    fn visibility_follows_the_access_scope() {
        assert_eq!(Visibility::for_assignments(&scope(&[(Role::DepartmentOfficer, Scope::Province)])), Visibility::All);
        assert_eq!(Visibility::for_assignments(&scope(&[(Role::LocalityOfficer, Scope::Province)])), Visibility::All);
        assert_eq!(
            Visibility::for_assignments(&scope(&[
                (Role::LocalityOfficer, Scope::Subtree(2)),
                (Role::DepartmentLeader, Scope::Organization(7)),
                (Role::Editor, Scope::Province),
            ])),
            Visibility::Orgs { reporting: vec![2, 20], staff: vec![7] }
        );
        assert!(Visibility::for_assignments(&AccessScope::public()).is_empty());
        assert!(Visibility::for_assignments(&scope(&[(Role::Expert, Scope::Province)])).is_empty());
    }
}
