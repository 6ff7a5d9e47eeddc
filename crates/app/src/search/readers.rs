//! Who may open each kind of record, as the index's [`Visibility`]: the same rules as the record's own page
//! (`tiendo_core::authz::authorize` with the facts the page gathers), written as the union of readers they
//! amount to. `crates/web/tests/it/search_access.rs` checks them against the pages for every demo role.

use tiendo_core::authz::Role;
use tiendo_search::{Reader, Visibility};

/// The department's staff who review and decide.
const STAFF: [Role; 2] = [Role::DepartmentLeader, Role::DepartmentOfficer];
/// The roles that report for their organisation.
const REPORTING: [Role; 2] = [Role::LocalityOfficer, Role::PartnerOfficer];

/// Registers and the directory (documents, plans, their tasks, organisations, people): every signed-in
/// user (`Resource::Directory` and the monitoring pages' policy).
pub fn signed_in() -> Visibility {
    Visibility::signed_in()
}

/// An assignment (`Resource::Assignment`): the department's staff and administrators over its lead, the
/// lead's reporting officers, and the reporting officers of its coordinators.
pub fn assignment(lead: i64, coordinators: &[i64]) -> Visibility {
    let mut v =
        Visibility::roles_over(&[Role::DepartmentLeader, Role::DepartmentOfficer, Role::Administrator], &[lead]);
    for role in REPORTING {
        v = v.with(Reader::RoleOver(role, lead));
        for org in coordinators {
            v = v.with(Reader::RoleOver(role, *org));
        }
    }
    v
}

/// A progress update, shown on its assignment's page to those who see the assignment, except that a draft
/// is its writing unit's own and a returned one is seen by that unit and by the side that returned it
/// (`Resource::UnitRecord`). The writing unit is the lead (or a coordinator); an update written by another
/// organisation is shown to nobody rather than to someone who might not see the assignment.
pub fn progress_update(status: &str, writer: i64, lead: i64, coordinators: &[i64]) -> Visibility {
    let takes_part = writer == lead || coordinators.contains(&writer);
    match status {
        "draft" if takes_part => Visibility::roles_over(&REPORTING, &[writer]),
        "returned" if writer == lead => {
            Visibility::roles_over(&[REPORTING[0], REPORTING[1], STAFF[0], STAFF[1], Role::Administrator], &[writer])
        }
        "returned" if takes_part => Visibility::roles_over(&REPORTING, &[writer]),
        "draft" | "returned" => Visibility::nobody(),
        _ => assignment(lead, coordinators),
    }
}

/// A periodic report (`Resource::Report`): a draft (or a returned report being corrected) is its unit's;
/// once sent, the department's staff and administrators over the unit read it too.
pub fn report(status: &str, org: i64) -> Visibility {
    match status {
        "draft" | "returned" => Visibility::roles_over(&REPORTING, &[org]),
        _ => Visibility::roles_over(&[REPORTING[0], REPORTING[1], STAFF[0], STAFF[1], Role::Administrator], &[org]),
    }
}

/// A working visit (`Resource::Visit`), and what only its page shows (its conclusions, the plan made
/// from it): the department's staff, editors and administrators over the organiser, and the reporting
/// officers of the organisations it involved.
pub fn visit(organizer: i64, involved: &[i64]) -> Visibility {
    let mut v = Visibility::roles_over(&[STAFF[0], STAFF[1], Role::Editor, Role::Administrator], &[organizer]);
    for role in REPORTING {
        for org in involved {
            v = v.with(Reader::RoleOver(role, *org));
        }
    }
    v
}

/// A news article (`Resource::Article` and the editors' pages): everyone once published; before, the
/// editors and the department's leaders.
pub fn article(state: &str) -> Visibility {
    if state == "published" {
        Visibility::public()
    } else {
        Visibility::nobody().with(Reader::Role(Role::Editor)).with(Reader::Role(Role::DepartmentLeader))
    }
}

/// An S&T task proposal or dossier (`Resource::Proposal`): its proposing side (the accounts whose proposing
/// role covers its organisation, and its author); once sent, every holder of a department staff role and the
/// administrators as well; once in the approved list, everyone (the portal's register).
pub fn proposal(submitted: bool, listed: bool, proposer_org: Option<i64>, author: Option<i64>) -> Visibility {
    if listed {
        return Visibility::public();
    }
    let mut v = match proposer_org {
        Some(org) => Visibility::roles_over(&[Role::Applicant, REPORTING[0], REPORTING[1]], &[org]),
        None => Visibility::nobody(),
    };
    if let Some(author) = author {
        v = v.with(Reader::User(author));
    }
    if submitted {
        for role in [STAFF[0], STAFF[1], Role::Administrator] {
            v = v.with(Reader::Role(role));
        }
    }
    v
}
