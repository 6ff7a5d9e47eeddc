//! Storage of S&T tasks, part 1 (issue 16): calls, proposals and dossiers in the state of the machine
//! (`tiendo_core::sci_tech::Machine`), the timeline of their transitions with the decision documents, and
//! their files. The rules are `tiendo_core::sci_tech`, the use cases `tiendo_app::sci_tech`.

pub mod acceptance;
mod calls;
pub mod contracts;
mod councils;
mod events;
mod files;
mod proposals;
mod scores;
pub mod task_reports;

pub use calls::{
    Call, CallRecord, CallSummary, call, calls_answering, create_call, list_calls, open_calls, proposal_count,
    publish_call, update_call,
};
pub use councils::{
    ApplicationItem, Council, CouncilRecord, CouncilSummary, Declaration, Earlier, Item, Member, NewMember, Override,
    Subject, account_of, add_application_item, add_item, add_override, application_items, application_overrides,
    close_council, council, councils_of, councils_of_application, create_council, declarations, declare, earlier_of,
    histories, items, list_councils, members, move_council, open_seats, organizations_named, overrides,
    replace_members, set_application_outcome, set_attendance, set_outcome, set_settings, update_council,
};
pub use events::{Event, NewEvent, add_event, events, last_event_of};
pub use files::{ProposalFile, add_file, file, files, proposals_using_attachment, remove_file};
pub use proposals::{
    ListedTask, Pending, Proposal, ProposalFilter, ProposalRecord, ProposalScope, ProposalSummary, RegisterFilter,
    count_by_state, create_proposal, delete_proposal, listed_choices, listed_page, listed_task, move_state, own_in,
    page, proposal, set_mode, update_proposal,
};
pub use scores::{StoredSheet, put_sheet, sheets};

/// Reads a JSON column written by this module.
fn from_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, crate::DbError> {
    serde_json::from_str(text).map_err(|e| crate::DbError::Corrupt(format!("{column}: {e}")))
}

/// Writes a JSON column.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// The accounts that act for the proposing side of a proposal: its author and the active accounts whose
/// proposing role (applicant, locality or partner officer) covers the proposing organisation at the end of
/// `org_path`: (user id, e-mail), each once.
pub async fn owners_of(
    ex: &impl crate::Exec,
    org_path: &[i64],
    author_id: Option<i64>,
) -> Result<Vec<(i64, Option<String>)>, crate::DbError> {
    let mut q = crate::Query::new("SELECT DISTINCT u.id, u.email FROM users u WHERE u.status = 'active' AND (u.id = ");
    q.push_bind(author_id.unwrap_or(0));
    if let Some(org) = org_path.last() {
        q.push(
            " OR u.id IN (SELECT g.user_id FROM role_grants g WHERE g.role IN ('applicant', 'locality_officer', \
             'partner_officer') AND ((g.scope_kind = 'province') OR (g.scope_kind = 'organization' AND g.organization_id = ",
        )
        .push_bind(*org)
        .push(") OR (g.scope_kind = 'subtree' AND g.organization_id IN (");
        crate::monitoring::push_ids(&mut q, org_path);
        q.push("))))");
    }
    q.push(") ORDER BY u.id");
    crate::Exec::fetch_all(ex, q).await
}
