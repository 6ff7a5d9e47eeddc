//! What an actor may do with an assignment: see it, report on it (the lead unit), set its flags and
//! decide on its updates (the assigning side). The page's buttons and the API's `permissions` come from
//! [`available_actions`].

use crate::authz::{Action, Actor, OrgId, Resource, authorize};

/// The facts about an assignment that the rules need, loaded once by the use case that acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentAccess<'a> {
    /// The lead organisation's path from the root.
    pub lead_path: &'a [OrgId],
    /// Whether one of the organisations the actor reports for coordinates the assignment.
    pub actor_coordinates: bool,
    /// Whether the assignment was cancelled.
    pub cancelled: bool,
}

/// What can be done with an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignmentAction {
    /// Write and submit progress updates (the lead unit; not once cancelled).
    Report,
    /// Set the flags: at risk, blocked, cancelled (the assigning side).
    SetFlags,
    /// Accept or return submitted updates (the assigning side).
    Review,
}

impl AssignmentAction {
    /// Every action.
    pub const ALL: [AssignmentAction; 3] =
        [AssignmentAction::Report, AssignmentAction::SetFlags, AssignmentAction::Review];
}

fn resource<'a>(access: &AssignmentAccess<'a>) -> Resource<'a> {
    Resource::Assignment { lead_path: access.lead_path, actor_coordinates: access.actor_coordinates }
}

/// Whether the actor may see the assignment at all (those who may not get "not found").
pub fn may_view(actor: &Actor, access: &AssignmentAccess<'_>) -> bool {
    authorize(actor, Action::View, &resource(access)).is_allowed()
}

/// Whether the actor is on the side that takes `action`, whatever the assignment's state.
pub fn authorized(actor: &Actor, access: &AssignmentAccess<'_>, action: AssignmentAction) -> bool {
    // The unit's and the reviewer's rights follow the lead organisation, not a coordination.
    let own = Resource::Assignment { lead_path: access.lead_path, actor_coordinates: false };
    let permission = match action {
        AssignmentAction::Report => Action::Submit,
        AssignmentAction::SetFlags => Action::Edit,
        AssignmentAction::Review => Action::Review,
    };
    authorize(actor, permission, &own).is_allowed()
}

/// Whether the actor may take `action` now: on the right side, and (to report) the assignment not
/// cancelled.
pub fn allows(actor: &Actor, access: &AssignmentAccess<'_>, action: AssignmentAction) -> bool {
    authorized(actor, access, action) && !(action == AssignmentAction::Report && access.cancelled)
}

/// The actions `actor` may take on the assignment now.
pub fn available_actions(actor: &Actor, access: &AssignmentAccess<'_>) -> Vec<AssignmentAction> {
    AssignmentAction::ALL.into_iter().filter(|a| allows(actor, access, *a)).collect()
}

/// Whether the actor builds plans and assigns tasks (province-wide department staff).
pub fn may_plan(actor: &Actor) -> bool {
    authorize(actor, Action::Create, &Resource::Assignment { lead_path: &[], actor_coordinates: false }).is_allowed()
}

/// Whether the actor keeps the register of legal documents (department staff).
pub fn may_keep_register(actor: &Actor) -> bool {
    authorize(actor, Action::Create, &Resource::Directory { org_path: &[] }).is_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role, Scope};

    fn actor(grants: &[(Role, Scope)]) -> Actor {
        Actor::user(1, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect())
    }

    #[test]
    fn the_lead_reports_the_department_manages_and_reviews_a_coordinator_only_reads() {
        use AssignmentAction as A;
        let lead = [1, 5];
        let open = AssignmentAccess { lead_path: &lead, actor_coordinates: false, cancelled: false };
        let coordinating = AssignmentAccess { actor_coordinates: true, ..open };
        let cancelled = AssignmentAccess { cancelled: true, ..open };
        let unit = actor(&[(Role::LocalityOfficer, Scope::Organization(5))]);
        let partner = actor(&[(Role::PartnerOfficer, Scope::Organization(7))]);
        let officer = actor(&[(Role::DepartmentOfficer, Scope::Province)]);
        let admin = actor(&[(Role::Administrator, Scope::Province)]);
        assert_eq!(available_actions(&unit, &open), vec![A::Report]);
        assert!(available_actions(&unit, &cancelled).is_empty());
        assert_eq!(available_actions(&officer, &open), vec![A::SetFlags, A::Review]);
        assert_eq!(available_actions(&officer, &cancelled), vec![A::SetFlags, A::Review]);
        assert!(may_view(&partner, &coordinating) && !may_view(&partner, &open));
        assert!(available_actions(&partner, &coordinating).is_empty());
        assert!(may_view(&admin, &open) && available_actions(&admin, &open).is_empty());
        assert!(may_plan(&officer) && !may_plan(&unit) && !may_plan(&admin));
        assert!(may_keep_register(&officer) && may_keep_register(&admin) && !may_keep_register(&unit));
    }
}
