//! Files attached to monitoring records (a legal document's scans, a progress update's evidence): checked
//! by their content, stored by their SHA-256, recorded.

use tiendo_core::files::{FileKind, sniff};
use tiendo_db::Tx;
use tiendo_db::files::{self, Attachment};

use crate::{App, Error, FieldError, Result};

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A file as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The name it was sent under (path parts removed).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The kind of each file by its content, or the field error naming the first file refused (`file_type`,
/// with its name).
pub fn kinds(field: &str, uploads: &[Upload]) -> std::result::Result<Vec<FileKind>, FieldError> {
    uploads
        .iter()
        .map(|u| {
            sniff(&u.bytes).ok_or_else(|| FieldError::new(field, "file_type").arg("name", &u.name).arg("max", "20 MB"))
        })
        .collect()
}

/// Stores a checked file in the file store and records it in `tx`.
pub(crate) async fn store(app: &App, tx: &Tx, upload: &Upload, kind: FileKind, by: Option<i64>) -> Result<Attachment> {
    let sha = app.put_file(&upload.bytes).await?;
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    let name = if upload.name.is_empty() { "tep-dinh-kem".to_owned() } else { upload.name.clone() };
    Ok(files::record(tx, &sha, size, kind.content_type(), &name, by).await?)
}

/// Whether the actor may download a stored file of monitoring: any signed-in user a legal document's
/// file; a progress update's evidence, whoever sees one of the updates it belongs to (as the assignment's
/// page shows them).
pub async fn may_read(app: &App, session: &crate::Session, attachment_id: i64) -> Result<bool> {
    if session.user.is_none() {
        return Ok(false);
    }
    if tiendo_db::monitoring::legal_documents::uses_attachment(app.db(), attachment_id).await? {
        return Ok(true);
    }
    for update_id in tiendo_db::monitoring::updates::using_attachment(app.db(), attachment_id).await? {
        match super::updates::visible(app, session, update_id).await {
            Ok(_) => return Ok(true),
            Err(Error::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}
