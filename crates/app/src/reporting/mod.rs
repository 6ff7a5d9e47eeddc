//! Periodic reporting (issue 7): report forms (the templates of periodic reports, called "forms" here so
//! that they cannot be mistaken for the templates of official documents) and who must report them; reports
//! opened, saved, submitted, returned, approved and unlocked; the aggregates of approved reports; the
//! reminders to units that owe a report.
//!
//! Every change is one function here that checks the report workflow
//! (`tiendo_core::reporting::workflow::transition`), validates every input at once, writes in one
//! transaction with its audit event, and notifies whom it concerns. The pages, the Excel upload, the API,
//! the jobs and the demo call them.

pub mod aggregates;
pub mod decisions;
pub mod due;
pub mod forms;
pub mod reminders;
pub mod reports;

use tiendo_core::files::FileKind;
use tiendo_db::Exec;
use tiendo_db::files::Attachment;

use crate::{App, Result};

/// The page of a report (the link of its notifications).
pub fn link(report_id: i64) -> String {
    format!("/reports/{report_id}")
}

/// A file to attach, already recognised by its content.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The name it was sent under (path parts removed).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
    /// What it is.
    pub kind: FileKind,
}

/// Stores a file in the file store and records it, inside the caller's transaction.
async fn store_file(app: &App, ex: &impl Exec, file: &NewFile, by: Option<i64>) -> Result<Attachment> {
    let sha = app.put_file(&file.bytes).await?;
    let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    let name = if file.name.is_empty() { "tep-dinh-kem".to_owned() } else { file.name.clone() };
    Ok(tiendo_db::files::record(ex, &sha, size, file.kind.content_type(), &name, by).await?)
}
