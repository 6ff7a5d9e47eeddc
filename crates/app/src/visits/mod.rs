//! Working visits (đoàn công tác): recording a visit with its delegation and stops, its conclusions whose
//! directives become monitoring assignments, its photos and documents, the notice of conclusions, and the
//! daily escalation of overdue directives. Every write here is one function over ([`crate::App`],
//! [`crate::Session`]) that the pages, the API, the job and the demo share.
//!
//! What an actor may do with a visit is `tiendo_core::visits::available_actions`; [`open`] computes it
//! once per visit, with the facts it needs (the organiser's path, whether the actor's organisations took
//! part). Storage is `tiendo_db::visits`.

mod access;
mod conclusions;
mod escalation;
mod files;
mod notice;
mod read;
mod save;

pub use access::{Opened, may_create, may_read_file, open};
pub use conclusions::{NewConclusion, add_conclusion, add_directive};
pub use escalation::{Escalated, escalate_overdue};
pub use files::{NewVisitFile, Upload, add_file, remove_file};
pub(crate) use notice::authority_of;
pub use notice::{export_notice, notice_deadline};
pub use read::{Directive, VisitDetail, deadline_in, detail};
pub use save::{OmittedStops, add_person_link, create, create_sample, plan_title, update};
