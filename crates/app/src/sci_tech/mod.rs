//! S&T tasks, part 1 (issue 16): calls, proposals and dossiers moved through the state machine of
//! `tiendo_core::sci_tech::Machine`, each transition recording its decision document, with notifications
//! to the proposing side (in the application and by mail) and similar tasks found by search.
//!
//! Every write is one function here over ([`crate::App`], [`crate::Session`]) that the pages, the API and
//! the demo share. What an actor may do with a proposal is `tiendo_core::sci_tech::Powers`, computed once
//! per proposal by [`open_proposal`]. Storage is `tiendo_db::sci_tech`.

pub mod acceptance;
mod access;
mod calls;
pub mod contract_paper;
pub mod contracts;
pub mod councils;
pub mod deadlines;
mod files;
pub mod minutes;
mod notify;
mod proposals;
pub mod register;
pub mod rubric;
pub mod scoring;
mod similar;
pub mod task_reports;
mod transitions;
pub mod work;

pub use access::{OpenedCall, OpenedProposal, may_create_call, may_read_file, open_call, open_proposal};
pub use calls::{create_call, create_sample_call, list_calls, publish_call, update_call};
pub use files::{Upload, add_file, remove_file};
pub(crate) use files::{checked_upload, record_upload, store_upload};
pub(crate) use notify::send as notify_one;
pub use proposals::{ProposalSave, create_proposal, delete_proposal, list_proposals, save_proposal};
pub use similar::{Similar, similar_to};
pub(crate) use transitions::actor_name;
pub use transitions::{TransitionRequest, draft_of, transition};

/// The entity types of the audit trail (and of the search index's outbox).
pub mod entity {
    /// A call.
    pub const CALL: &str = "st_call";
    /// A proposal or a dossier.
    pub const PROPOSAL: &str = "st_proposal";
    /// A council.
    pub const COUNCIL: &str = "st_council";
}
