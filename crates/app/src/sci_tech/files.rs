//! Files of a proposal: its forms and annexes (attached by the proposing side while it may change the
//! proposal, or by the staff), and the signed decision of a transition. Checked by content, stored
//! content-addressed in the file store.

use tiendo_core::files::{FileKind, sniff};
use tiendo_core::text::normalize_input;
use tiendo_db::Tx;
use tiendo_db::sci_tech as stored;

use super::access::open_proposal;
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The largest file, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The longest title.
const TITLE_MAX: usize = 300;

/// A file as received.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name it was sent under (path parts removed).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A file whose content was recognised.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    name: String,
    bytes: Vec<u8>,
    kind: FileKind,
}

/// Recognises a file by its content; a `file` error otherwise.
pub(crate) fn checked_upload(upload: Upload) -> Result<Checked, FieldError> {
    if upload.bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new("file", "file_too_large")
            .arg("name", &upload.name)
            .arg("max", format!("{} MB", MAX_FILE_BYTES / (1024 * 1024))));
    }
    match sniff(&upload.bytes) {
        Some(kind) => Ok(Checked { name: upload.name, bytes: upload.bytes, kind }),
        None => Err(FieldError::new("file", "file_type").arg("name", &upload.name)),
    }
}

/// Stores the content (before the transaction: content-addressed, storing it twice is harmless); its hash.
pub(crate) async fn store_upload(app: &App, file: &Checked) -> Result<String> {
    app.put_file(&file.bytes).await
}

/// Records a stored file; the attachment's id.
pub(crate) async fn record_upload(tx: &Tx, sha: &str, file: &Checked, by: Option<i64>) -> Result<i64> {
    let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    let name = if file.name.is_empty() { "tep-dinh-kem".to_owned() } else { file.name.clone() };
    Ok(tiendo_db::files::record(tx, sha, size, file.kind.content_type(), &name, by).await?.id)
}

/// Attaches a file to a proposal with a title; the row's id. `NotFound` when the actor may not see it,
/// `Forbidden` unless they may change it (or are the staff), `Invalid` naming `file` or `title`.
pub async fn add_file(
    app: &App,
    session: &Session,
    proposal_id: i64,
    title: &str,
    file: Option<Upload>,
) -> Result<i64> {
    let opened = open_proposal(app, session, proposal_id).await?;
    if !(opened.powers.edit || opened.powers.review) {
        return Err(Error::FORBIDDEN);
    }
    let mut errors = Vec::new();
    let title = normalize_input(title);
    if title.chars().count() > TITLE_MAX {
        errors.push(FieldError::new("title", "too_long").arg("max", TITLE_MAX));
    }
    let checked = match file {
        None => {
            errors.push(FieldError::new("file", "required"));
            None
        }
        Some(upload) => match checked_upload(upload) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    crate::check(errors)?;
    let checked =
        checked.ok_or_else(|| Error::internal(std::io::Error::other("a file was attached without its checks")))?;
    let sha = store_upload(app, &checked).await?;
    let tx = app.begin().await?;
    let attachment = record_upload(&tx, &sha, &checked, session.user_id()).await?;
    let title = (!title.is_empty()).then_some(title);
    let id =
        stored::add_file(&tx, proposal_id, None, attachment, title.as_deref(), session.user_id(), app.now()).await?;
    let entry = Entry::new("attach", entity::PROPOSAL, proposal_id, "audit-st-file-attached")
        .arg("file", &checked.name)
        .arg("title", &opened.proposal.title)
        .change("file", None::<String>, &checked.name);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Detaches a file (the stored content stays). `NotFound`; `Forbidden` unless the actor may change the
/// proposal (a decision's file stays with its transition).
pub async fn remove_file(app: &App, session: &Session, proposal_id: i64, file_id: i64) -> Result<()> {
    let opened = open_proposal(app, session, proposal_id).await?;
    let file = stored::file(app.db(), proposal_id, file_id).await?.ok_or(Error::NotFound)?;
    if !(opened.powers.edit || opened.powers.review) || file.event_id.is_some() {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    stored::remove_file(&tx, proposal_id, file_id).await?;
    let entry = Entry::new("detach", entity::PROPOSAL, proposal_id, "audit-st-file-removed")
        .arg("file", &file.original_name)
        .arg("title", &opened.proposal.title)
        .change("file", &file.original_name, None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
