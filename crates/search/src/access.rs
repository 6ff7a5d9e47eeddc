//! Who is searching: [`Access`], turned into a mandatory clause of every query, so that hits, totals,
//! facets and suggestions only ever count what the reader may open.

use tiendo_core::authz::{AccessScope, Coverage, OrgId, Role, UserId};

use crate::doc::Reader;

/// What a reader may open, as access-list terms of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// `None`: no filter at all (maintenance only, never a user's search).
    terms: Option<Vec<String>>,
}

impl Access {
    /// The public: public records only.
    pub fn public() -> Access {
        Access { terms: Some(vec![Reader::Public.term()]) }
    }

    /// A signed-in user with no role: public records, records for every signed-in user, their own.
    pub fn user(user_id: UserId) -> Access {
        Access::public().grant(Reader::SignedIn).grant(Reader::User(user_id))
    }

    /// Every record, whoever may open it: for maintenance (checking a rebuilt index), never for a
    /// user's search.
    pub fn unrestricted() -> Access {
        Access { terms: None }
    }

    /// Adds what holders of `role` over `coverage` may open.
    #[must_use]
    pub fn with_role(self, role: Role, coverage: &Coverage) -> Access {
        let mut access = self.grant(Reader::Role(role));
        match coverage.ids() {
            None => access.push(Reader::any_org_term(role)),
            Some(orgs) => {
                for org in orgs {
                    access = access.grant(Reader::RoleOver(role, *org));
                }
            }
        }
        access
    }

    /// Adds what holders of `role` over these organisations may open.
    #[must_use]
    pub fn with_role_over(self, role: Role, orgs: &[OrgId]) -> Access {
        self.with_role(role, &Coverage::Orgs(orgs.to_vec()))
    }

    /// The access of a request: its account and every role it holds with the organisations it covers
    /// (`tiendo_app::Session::scope`). The rules that decide which roles read which record live in the
    /// [`crate::Visibility`] the application gives each document, so this mapping is one to one.
    pub fn from_scope(scope: &AccessScope) -> Access {
        let Some(user) = scope.user_id() else {
            return Access::public();
        };
        let mut access = Access::user(user);
        for role in Role::ALL {
            if scope.has(role) {
                access = access.with_role(role, &scope.of_role(role));
            }
        }
        access
    }

    fn grant(mut self, reader: Reader) -> Access {
        self.push(reader.term());
        self
    }

    fn push(&mut self, term: String) {
        if let Some(terms) = &mut self.terms
            && !terms.contains(&term)
        {
            terms.push(term);
        }
    }

    /// The access-list terms, `None` for unrestricted.
    pub(crate) fn terms(&self) -> Option<&[String]> {
        self.terms.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use tiendo_core::authz::{Actor, Grant, Scope};

    use super::*;

    #[test]
    fn a_scope_becomes_one_term_per_role_and_organisation() {
        let actor = Actor::user(
            7,
            vec![
                Grant { role: Role::LocalityOfficer, scope: Scope::Organization(12) },
                Grant { role: Role::DepartmentOfficer, scope: Scope::Province },
            ],
        );
        let access = Access::from_scope(&AccessScope::of(&actor, |id| vec![id]));
        let terms = access.terms().unwrap();
        for expected in [
            "public",
            "signed_in",
            "user:7",
            "role:locality_officer",
            "role:locality_officer:org:12",
            "role:department_officer",
            "role:department_officer:org:*",
        ] {
            assert!(terms.contains(&expected.to_owned()), "{expected} in {terms:?}");
        }
        assert_eq!(Access::from_scope(&AccessScope::public()), Access::public());
    }
}
