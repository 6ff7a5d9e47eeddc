//! Photos and documents of a visit: checked by content (a "photo" must be a PNG, JPEG or WebP image
//! whatever its name says), stored content-addressed, attached to the visit or one of its stops with a
//! caption and, for a photo, an alternative text.

use tiendo_core::files::sniff;
use tiendo_core::text::normalize_input;
use tiendo_core::visits::VisitAction;
use tiendo_db::visits::{self, NewFile};

use super::access::open_for;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The longest caption or alternative text.
const TEXT_MAX: usize = 500;

/// A file as received.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name it was sent under (path parts removed).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A photo or a document to attach, as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct NewVisitFile {
    /// `photo` or `document`.
    pub kind: String,
    /// The caption (or a document's title).
    pub caption: String,
    /// The alternative text (required for a photo).
    pub alt: String,
    /// The stop it belongs to, as typed (empty for the whole visit).
    pub stop_id: String,
    /// The file, when one was received.
    pub file: Option<Upload>,
    /// The problems met while receiving the file (too large, …), named `file`: reported with the others,
    /// and the file is then not required.
    pub received_problems: Vec<FieldError>,
}

/// Attaches a photo or a document to a visit; the row's id. `NotFound` when the actor may not see the
/// visit, `Forbidden` when they may not change it, `Invalid` naming every field at fault.
pub async fn add_file(app: &App, session: &Session, visit_id: i64, input: NewVisitFile) -> Result<i64> {
    let visit = open_for(app, session, visit_id, VisitAction::AddFile).await?;
    let mut errors = Vec::new();
    let photo = match input.kind.as_str() {
        "photo" => true,
        "document" => false,
        _ => {
            errors.push(FieldError::new("kind", "required"));
            false
        }
    };
    let received_problems = !input.received_problems.is_empty();
    errors.extend(input.received_problems);
    let kind = match &input.file {
        None if !received_problems => {
            errors.push(FieldError::new("file", "required"));
            None
        }
        None => None,
        Some(u) => match sniff(&u.bytes) {
            Some(k) if photo && !k.is_image() => {
                errors.push(FieldError::new("file", "photo_not_image").arg("name", &u.name));
                None
            }
            None if photo => {
                errors.push(FieldError::new("file", "photo_not_image").arg("name", &u.name));
                None
            }
            None => {
                errors.push(FieldError::new("file", "file_type").arg("name", &u.name));
                None
            }
            Some(k) => Some(k),
        },
    };
    let caption = normalize_input(&input.caption);
    let alt = normalize_input(&input.alt);
    if photo && alt.is_empty() {
        errors.push(FieldError::new("alt", "alt_required"));
    }
    for (field, value) in [("caption", &caption), ("alt", &alt)] {
        if value.chars().count() > TEXT_MAX {
            errors.push(FieldError::new(field, "too_long").arg("max", TEXT_MAX));
        }
    }
    let stops = visits::stops(app.db(), visit.id).await?;
    let stop_id = match input.stop_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>().ok().filter(|s| stops.iter().any(|stop| stop.id == *s)) {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new("stop_id", "invalid"));
                None
            }
        },
    };
    crate::check(errors)?;
    let (Some(upload), Some(kind)) = (input.file, kind) else {
        return Err(Error::internal(std::io::Error::other("a file was attached without its checks")));
    };
    // The content is stored before the transaction (it is content-addressed: storing it twice is harmless).
    let sha = app.put_file(&upload.bytes).await?;
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    let name = if upload.name.is_empty() { "tep-dinh-kem".to_owned() } else { upload.name };
    let by = session.user_id();
    let tx = app.begin().await?;
    let stored = tiendo_db::files::record(&tx, &sha, size, kind.content_type(), &name, by).await?;
    let new = NewFile {
        stop_id,
        attachment_id: stored.id,
        kind: if photo { "photo" } else { "document" },
        caption: (!caption.is_empty()).then_some(caption),
        alt_text: (photo && !alt.is_empty()).then_some(alt),
        uploaded_by: by,
    };
    let file_id = visits::add_file(&tx, visit.id, &new, app.now()).await?;
    let entry = Entry::new("attach", "visit", visit.id, "audit-visit-file-attached")
        .arg("file", &stored.original_name)
        .change("file", None::<String>, &stored.original_name)
        .change("kind", None::<String>, new.kind)
        .change("caption", None::<String>, &new.caption);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(file_id)
}

/// Detaches a photo or a document from a visit (the stored content stays: it may be used elsewhere).
/// `NotFound` when the actor may not see the visit or it has no such file, `Forbidden` when they may not
/// change it.
pub async fn remove_file(app: &App, session: &Session, visit_id: i64, file_id: i64) -> Result<()> {
    let visit = open_for(app, session, visit_id, VisitAction::RemoveFile).await?;
    let file = visits::file(app.db(), visit.id, file_id).await?.ok_or(Error::NotFound)?;
    let tx = app.begin().await?;
    visits::remove_file(&tx, visit.id, file_id).await?;
    let entry = Entry::new("detach", "visit", visit.id, "audit-visit-file-removed")
        .arg("file", &file.original_name)
        .change("file", &file.original_name, None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
