//! What an actor may do with a proposal: its powers, computed once from [`authorize`] with the proposal's
//! facts, and the transitions of the machine those powers take. The page's buttons, the API's
//! `permissions` and every use case come from here, so they cannot disagree.

use super::{Machine, Route, Side, StateDef, TransitionDef};
use crate::authz::{Action, Actor, OrgId, Resource, authorize};

/// What an actor may do with one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Powers {
    /// Read it.
    pub view: bool,
    /// Change it and send it (the proposing side, in a draft or while revising).
    pub edit: bool,
    /// Delete it (its draft).
    pub delete: bool,
    /// Screen it, open it, ask for revisions (the department's staff).
    pub review: bool,
    /// Approve the list and the task (the department's leaders).
    pub approve: bool,
    /// Record by hand the outcome of a council held outside the system (the staff, when the proposal sits
    /// on no council here).
    pub record_council: bool,
}

impl Powers {
    /// The powers of `actor` on a proposal of the organisation at `owner_path` (empty for an individual's),
    /// written by the actor or not, in `state`; `on_council` when a council of the system holds it (its
    /// outcome is then the council's to give).
    pub fn of(
        actor: &Actor,
        owner_path: &[OrgId],
        actor_is_author: bool,
        state: &StateDef,
        on_council: bool,
    ) -> Powers {
        let resource = Resource::Proposal {
            owner_path,
            actor_is_author,
            submitted: state.submitted,
            open_to_owner: state.owner_edits,
        };
        let may = |action| authorize(actor, action, &resource).is_allowed();
        let review = may(Action::Review);
        Powers {
            view: may(Action::View),
            edit: may(Action::Edit),
            delete: may(Action::Delete),
            review,
            approve: may(Action::Approve),
            record_council: review && !on_council,
        }
    }

    /// Whether these powers take transitions of `side`.
    pub fn takes(&self, side: Side) -> bool {
        match side {
            Side::Owner => self.edit,
            Side::Officer => self.review,
            Side::Leader => self.approve,
            Side::Council => self.record_council,
            Side::System => false,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not see the proposal (404).
    Hidden,
    /// The machine has no such transition from the current state on this route (409).
    NotFromHere,
    /// The transition exists, but another side takes it (403).
    NotYours,
}

/// The transition `action` from `state` on `route`, if the actor's powers take it.
pub fn check_transition<'m>(
    machine: &'m Machine,
    route: Route,
    state: &str,
    action: &str,
    powers: &Powers,
) -> Result<&'m TransitionDef, Refusal> {
    if !powers.view {
        return Err(Refusal::Hidden);
    }
    let def = machine.find(route, state, action).ok_or(Refusal::NotFromHere)?;
    if powers.takes(def.by) { Ok(def) } else { Err(Refusal::NotYours) }
}

/// The transitions the actor may take now (the buttons of the page, the API's `permissions.transitions`).
pub fn available_transitions<'m>(
    machine: &'m Machine,
    route: Route,
    state: &'m str,
    powers: &Powers,
) -> Vec<&'m TransitionDef> {
    if !powers.view {
        return Vec::new();
    }
    machine.leaving(route, state).filter(|t| powers.takes(t.by)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role, Scope};

    const PATH: &[OrgId] = &[1, 30];

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor::user(7, vec![Grant { role, scope }])
    }

    fn actions(role: Role, scope: Scope, route: Route, state: &str, on_council: bool) -> String {
        let m = Machine::standard();
        let def = m.state(state).unwrap();
        let powers = Powers::of(&actor(role, scope), PATH, false, def, on_council);
        available_transitions(m, route, &def.code, &powers)
            .iter()
            .map(|t| t.action.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Each side's buttons at each step of the order route: the proposer sends, the officer screens, the
    /// council (or the officer recording it) judges, the leader approves the list.
    #[test]
    fn each_side_sees_the_buttons_of_its_steps() {
        let own = Scope::Organization(30);
        let officer = (Role::DepartmentOfficer, Scope::Province);
        let leader = (Role::DepartmentLeader, Scope::Province);
        assert_eq!(actions(Role::LocalityOfficer, own, Route::Order, "draft", false), "submit");
        assert_eq!(actions(officer.0, officer.1, Route::Order, "draft", false), "", "a draft is the proposer's own");
        assert_eq!(
            actions(officer.0, officer.1, Route::Order, "submitted", false),
            "screen_valid screen_invalid cancel"
        );
        assert_eq!(actions(Role::LocalityOfficer, own, Route::Order, "submitted", false), "");
        assert_eq!(
            actions(officer.0, officer.1, Route::Order, "identification", false),
            "recommend not_recommend cancel"
        );
        assert_eq!(
            actions(officer.0, officer.1, Route::Order, "identification", true),
            "cancel",
            "the council decides"
        );
        assert_eq!(actions(officer.0, officer.1, Route::Order, "awaiting_list", false), "cancel");
        assert_eq!(actions(leader.0, leader.1, Route::Order, "awaiting_list", false), "approve_list cancel");
        assert_eq!(actions(Role::Applicant, own, Route::Selection, "revising", false), "submit_revision");
        assert_eq!(actions(Role::Expert, Scope::Province, Route::Order, "submitted", false), "");
    }

    #[test]
    fn a_refusal_says_whether_the_proposal_may_be_known_and_whether_the_step_exists() {
        let m = Machine::standard();
        let submitted = m.state("submitted").unwrap();
        let officer = Powers::of(&actor(Role::DepartmentOfficer, Scope::Province), PATH, false, submitted, false);
        assert!(check_transition(m, Route::Order, "submitted", "screen_valid", &officer).is_ok());
        assert_eq!(check_transition(m, Route::Order, "submitted", "approve_list", &officer), Err(Refusal::NotFromHere));
        let awaiting = m.state("awaiting_list").unwrap();
        let officer = Powers::of(&actor(Role::DepartmentOfficer, Scope::Province), PATH, false, awaiting, false);
        assert_eq!(
            check_transition(m, Route::Order, "awaiting_list", "approve_list", &officer),
            Err(Refusal::NotYours)
        );
        let stranger = Powers::of(&actor(Role::Applicant, Scope::Organization(31)), PATH, false, submitted, false);
        assert_eq!(check_transition(m, Route::Order, "submitted", "screen_valid", &stranger), Err(Refusal::Hidden));
    }
}
