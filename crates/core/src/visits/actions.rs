//! What an actor may do with a visit. A visit has no approval workflow (its directives do: they are
//! monitoring assignments), but the buttons of its page and the `permissions` of the API are computed
//! here, from one [`available_actions`], and every use case checks its action with [`check`] first, so
//! that the page, the API and the use cases cannot disagree.

use serde::{Deserialize, Serialize};

use crate::authz::{Action, Actor, OrgId, Resource, Role, authorize};

/// Something an actor may do with a visit they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitAction {
    /// Change the visit, its delegation and its stops (the edit form, `PUT`).
    Edit,
    /// Record a conclusion (kết luận) with its directives.
    AddConclusion,
    /// Give one more directive (chỉ đạo) for a conclusion.
    AddDirective,
    /// Attach a photo or a document.
    AddFile,
    /// Detach a photo or a document.
    RemoveFile,
    /// Download the notice of conclusions (thông báo kết luận).
    ExportNotice,
}

impl VisitAction {
    /// Every action, in the order the API lists them.
    pub const ALL: [VisitAction; 6] = [
        VisitAction::Edit,
        VisitAction::AddConclusion,
        VisitAction::AddDirective,
        VisitAction::AddFile,
        VisitAction::RemoveFile,
        VisitAction::ExportNotice,
    ];

    /// The stable code (`edit`, `add_conclusion`, …), as in the API's `permissions`.
    pub fn code(self) -> &'static str {
        match self {
            VisitAction::Edit => "edit",
            VisitAction::AddConclusion => "add_conclusion",
            VisitAction::AddDirective => "add_directive",
            VisitAction::AddFile => "add_file",
            VisitAction::RemoveFile => "remove_file",
            VisitAction::ExportNotice => "export_notice",
        }
    }

    /// The permission of the authorization table it needs on the visit.
    fn permission(self) -> Action {
        match self {
            VisitAction::ExportNotice => Action::Export,
            _ => Action::Edit,
        }
    }
}

/// The facts about a visit that the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitFacts<'a> {
    /// The organising organisation's path from the root (the side that keeps the visit).
    pub organizer_path: &'a [OrgId],
    /// Whether an organisation the actor acts for outside the department (reports for, or applies for)
    /// took part (hosted a stop, sent a member, leads or coordinates a directive).
    pub actor_involved: bool,
}

impl VisitFacts<'_> {
    fn resource(&self) -> Resource<'_> {
        Resource::Visit { organizer_path: self.organizer_path, actor_involved: self.actor_involved }
    }
}

/// Why an action on a visit is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not see the visit: they must not learn that it exists (404).
    Hidden,
    /// The actor may see the visit but not do this (403).
    ReadOnly,
}

/// Whether the actor may see the visit.
pub fn may_view(actor: &Actor, facts: &VisitFacts<'_>) -> bool {
    authorize(actor, Action::View, &facts.resource()).is_allowed()
}

/// Whether the actor may do `action` on the visit, and if not, whether they may see it at all.
pub fn check(actor: &Actor, facts: &VisitFacts<'_>, action: VisitAction) -> Result<(), Refusal> {
    if !may_view(actor, facts) {
        return Err(Refusal::Hidden);
    }
    if authorize(actor, action.permission(), &facts.resource()).is_allowed() { Ok(()) } else { Err(Refusal::ReadOnly) }
}

/// The actions the actor may take on the visit (the page's buttons, the API's `permissions`); none when
/// they may not see it.
pub fn available_actions(actor: &Actor, facts: &VisitFacts<'_>) -> Vec<VisitAction> {
    VisitAction::ALL.into_iter().filter(|a| check(actor, facts, *a).is_ok()).collect()
}

/// Whether the actor may record visits at all: the department's staff, somewhere (the organiser they pick
/// must then be in their scope).
pub fn may_create(actor: &Actor) -> bool {
    actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer))
}

/// Whether the actor may record a visit organised by the organisation at `organizer_path`.
pub fn may_create_for(actor: &Actor, organizer_path: &[OrgId]) -> bool {
    let facts = VisitFacts { organizer_path, actor_involved: false };
    authorize(actor, Action::Create, &facts.resource()).is_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Scope};

    const PATH: &[OrgId] = &[1, 30];

    fn actor(role: Role, scope: Scope) -> Actor {
        Actor::user(7, vec![Grant { role, scope }])
    }

    fn codes(actions: &[VisitAction]) -> String {
        actions.iter().map(|a| a.code()).collect::<Vec<_>>().join(" ")
    }

    const KEEPER: &str = "edit add_conclusion add_directive add_file remove_file export_notice";

    /// Every role, over the organiser (province-wide) and elsewhere (another organisation), on a visit
    /// that involved the actor's organisation and one that did not.
    #[test]
    fn the_organisers_staff_keep_a_visit_and_readers_only_download_its_notice() {
        let table: [(Role, &str, &str, &str); 9] = [
            // role, province-wide not involved, elsewhere not involved, elsewhere involved
            (Role::Administrator, "export_notice", "", ""),
            (Role::DepartmentLeader, KEEPER, "", ""),
            (Role::DepartmentOfficer, KEEPER, "", ""),
            (Role::LocalityOfficer, "", "", "export_notice"),
            (Role::PartnerOfficer, "", "", "export_notice"),
            (Role::Expert, "", "", ""),
            (Role::Applicant, "", "", "export_notice"),
            (Role::Editor, "export_notice", "", ""),
            (Role::Moderator, "", "", ""),
        ];
        for (role, province, elsewhere, involved) in table {
            let wide = actor(role, Scope::Province);
            let other = actor(role, Scope::Organization(31));
            let not_involved = VisitFacts { organizer_path: PATH, actor_involved: false };
            let involving = VisitFacts { organizer_path: PATH, actor_involved: true };
            assert_eq!(codes(&available_actions(&wide, &not_involved)), province, "{role:?} province-wide");
            assert_eq!(codes(&available_actions(&other, &not_involved)), elsewhere, "{role:?} elsewhere");
            assert_eq!(codes(&available_actions(&other, &involving)), involved, "{role:?} elsewhere, involved");
        }
    }

    #[test]
    fn a_refusal_says_whether_the_visit_may_be_known() {
        let facts = VisitFacts { organizer_path: PATH, actor_involved: true };
        let host = actor(Role::LocalityOfficer, Scope::Organization(31));
        assert_eq!(check(&host, &facts, VisitAction::ExportNotice), Ok(()));
        assert_eq!(check(&host, &facts, VisitAction::Edit), Err(Refusal::ReadOnly));
        let stranger = VisitFacts { organizer_path: PATH, actor_involved: false };
        assert_eq!(check(&host, &stranger, VisitAction::ExportNotice), Err(Refusal::Hidden));
        assert_eq!(check(&Actor::public(), &facts, VisitAction::Edit), Err(Refusal::Hidden));
    }

    #[test]
    fn only_department_staff_record_visits_and_only_for_organisers_in_their_scope() {
        assert!(may_create(&actor(Role::DepartmentOfficer, Scope::Organization(2))));
        assert!(!may_create(&actor(Role::Editor, Scope::Province)));
        assert!(!may_create(&actor(Role::Administrator, Scope::Province)));
        assert!(may_create_for(&actor(Role::DepartmentLeader, Scope::Subtree(1)), PATH));
        assert!(!may_create_for(&actor(Role::DepartmentOfficer, Scope::Organization(2)), PATH));
    }

    #[test]
    fn codes_are_stable_and_distinct() {
        let codes: std::collections::BTreeSet<&str> = VisitAction::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(codes.len(), VisitAction::ALL.len());
    }
}
