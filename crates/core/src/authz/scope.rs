//! The access scope of a request: which organisations each of the actor's roles covers, with subtrees
//! already expanded. Computed once per request (by `tiendo_app::Session::scope`) and passed to every read
//! that filters by organisation, so that lists, counts and dashboards apply the same rule as the per-record
//! [`super::authorize`].

use std::collections::BTreeSet;

use super::{Actor, OrgId, Role, Scope};

/// The organisations something covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Every organisation (a province-wide role).
    All,
    /// These organisations only (sorted, without duplicates; possibly none).
    Orgs(Vec<OrgId>),
}

impl Coverage {
    /// Nothing at all.
    pub fn none() -> Coverage {
        Coverage::Orgs(Vec::new())
    }

    /// Whether nothing is covered.
    pub fn is_empty(&self) -> bool {
        matches!(self, Coverage::Orgs(ids) if ids.is_empty())
    }

    /// Whether an organisation is covered.
    pub fn covers(&self, org: OrgId) -> bool {
        match self {
            Coverage::All => true,
            Coverage::Orgs(ids) => ids.binary_search(&org).is_ok(),
        }
    }

    /// The organisations, or `None` for every one.
    pub fn ids(&self) -> Option<&[OrgId]> {
        match self {
            Coverage::All => None,
            Coverage::Orgs(ids) => Some(ids),
        }
    }
}

/// Each role the actor holds with the organisations it covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessScope {
    user_id: Option<super::UserId>,
    roles: Vec<(Role, Coverage)>,
}

impl AccessScope {
    /// The scope of the public: no role anywhere.
    pub fn public() -> AccessScope {
        AccessScope::default()
    }

    /// The scope of an actor, given the organisations under each subtree root its grants name
    /// (`subtree(id)` returns the root and every organisation below it).
    pub fn of(actor: &Actor, mut subtree: impl FnMut(OrgId) -> Vec<OrgId>) -> AccessScope {
        let mut roles: Vec<(Role, Coverage)> = Vec::new();
        for role in Role::ALL {
            let grants: Vec<&Scope> = actor.grants.iter().filter(|g| g.role == role).map(|g| &g.scope).collect();
            if grants.is_empty() {
                continue;
            }
            let coverage = if grants.iter().any(|s| **s == Scope::Province) {
                Coverage::All
            } else {
                let mut ids = BTreeSet::new();
                for scope in grants {
                    match *scope {
                        Scope::Organization(id) => {
                            ids.insert(id);
                        }
                        Scope::Subtree(id) => ids.extend(subtree(id)),
                        Scope::Province => {}
                    }
                }
                Coverage::Orgs(ids.into_iter().collect())
            };
            roles.push((role, coverage));
        }
        AccessScope { user_id: actor.user_id, roles }
    }

    /// The subtree roots an actor's grants name, to load before calling [`AccessScope::of`].
    pub fn subtree_roots(actor: &Actor) -> Vec<OrgId> {
        let mut roots: Vec<OrgId> = actor
            .grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::Subtree(id) => Some(id),
                _ => None,
            })
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// The account acting, `None` for the public.
    pub fn user_id(&self) -> Option<super::UserId> {
        self.user_id
    }

    /// Whether the actor holds `role` anywhere.
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|(r, _)| *r == role)
    }

    /// The organisations covered by any of the roles `pred` accepts.
    pub fn coverage(&self, pred: impl Fn(Role) -> bool) -> Coverage {
        let mut ids = BTreeSet::new();
        for (_, coverage) in self.roles.iter().filter(|(r, _)| pred(*r)) {
            match coverage {
                Coverage::All => return Coverage::All,
                Coverage::Orgs(orgs) => ids.extend(orgs.iter().copied()),
            }
        }
        Coverage::Orgs(ids.into_iter().collect())
    }

    /// The organisations covered by one role.
    pub fn of_role(&self, role: Role) -> Coverage {
        self.coverage(|r| r == role)
    }

    /// The organisations the actor reports for (locality and partner officers).
    pub fn reporting(&self) -> Coverage {
        self.coverage(|r| matches!(r, Role::LocalityOfficer | Role::PartnerOfficer))
    }

    /// The organisations whose periodic reports the actor fills (locality and partner officers, and the
    /// applicants of an enterprise, which reports on the yearly form of its certificate).
    pub fn periodic_reporting(&self) -> Coverage {
        self.coverage(|r| r.reports_periodically())
    }

    /// The organisations the actor acts for outside the department: those it reports for and those it
    /// applies for (an enterprise's applicant). A visit that involved one of them is theirs to read.
    pub fn taking_part(&self) -> Coverage {
        self.coverage(|r| matches!(r, Role::LocalityOfficer | Role::PartnerOfficer | Role::Applicant))
    }

    /// The organisations the department's staff roles (leader, officer) cover.
    pub fn department_staff(&self) -> Coverage {
        self.coverage(|r| matches!(r, Role::DepartmentLeader | Role::DepartmentOfficer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Grant;

    fn actor(grants: &[(Role, Scope)]) -> Actor {
        Actor::user(7, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect())
    }

    #[test]
    fn a_province_wide_grant_covers_everything_for_its_role_only() {
        let scope = AccessScope::of(
            &actor(&[(Role::DepartmentOfficer, Scope::Province), (Role::LocalityOfficer, Scope::Organization(5))]),
            |_| unreachable!("no subtree"),
        );
        assert_eq!(scope.department_staff(), Coverage::All);
        assert_eq!(scope.reporting(), Coverage::Orgs(vec![5]));
        assert!(scope.of_role(Role::Editor).is_empty());
        assert_eq!(scope.coverage(|_| true), Coverage::All);
    }

    #[test]
    fn subtrees_are_expanded_and_merged_without_duplicates() {
        let scope = AccessScope::of(
            &actor(&[(Role::LocalityOfficer, Scope::Subtree(2)), (Role::PartnerOfficer, Scope::Organization(3))]),
            |root| vec![root, 3, 4],
        );
        assert_eq!(scope.reporting(), Coverage::Orgs(vec![2, 3, 4]));
        assert!(scope.reporting().covers(4));
        assert!(!scope.reporting().covers(9));
        assert_eq!(AccessScope::subtree_roots(&actor(&[(Role::Editor, Scope::Subtree(9))])), vec![9]);
    }

    #[test]
    fn the_public_covers_nothing() {
        let scope = AccessScope::public();
        assert!(scope.coverage(|_| true).is_empty());
        assert_eq!(scope.user_id(), None);
    }
}
