//! Files of an application: the documents of the checklist and annexes, attached by the enterprise while
//! it may change the dossier, or by the staff. Checked by content, stored content-addressed.

use tiendo_core::certificates::Conditions;
use tiendo_core::text::normalize_input;
use tiendo_db::certificates as stored;

use super::access::open_application;
use super::entity;
use crate::audit::{self, Entry};
use crate::sci_tech::{Upload, checked_upload, record_upload, store_upload};
use crate::{App, Error, FieldError, Result, Session};

/// The longest title.
const TITLE_MAX: usize = 300;

/// Attaches a file to an application as a document of the checklist (`document`, or blank for an annex)
/// with a title; the row's id. `NotFound`; `Forbidden` unless the enterprise may change the dossier (or
/// the actor is the staff); `Invalid` naming `file`, `title` or `document`.
pub async fn add_file(
    app: &App,
    session: &Session,
    id: i64,
    document: &str,
    title: &str,
    file: Option<Upload>,
) -> Result<i64> {
    let opened = open_application(app, session, id).await?;
    let may = (opened.powers.owner && opened.state.owner_edits) || opened.powers.officer;
    if !may {
        return Err(Error::FORBIDDEN);
    }
    let mut errors = Vec::new();
    let document = document.trim();
    let document = if document.is_empty() {
        None
    } else if Conditions::standard().document_codes().contains(&document) {
        Some(document.to_owned())
    } else {
        errors.push(FieldError::new("document", "invalid"));
        None
    };
    let title = normalize_input(title);
    if title.chars().count() > TITLE_MAX {
        errors.push(FieldError::new("title", "too_long").arg("max", TITLE_MAX));
    }
    let checked = match file.map(checked_upload) {
        None => {
            errors.push(FieldError::new("file", "required"));
            None
        }
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
    };
    crate::check(errors)?;
    let checked = checked.ok_or_else(|| Error::internal(std::io::Error::other("a file without its checks")))?;
    let sha = store_upload(app, &checked).await?;
    let tx = app.begin().await?;
    let attachment = record_upload(&tx, &sha, &checked, session.user_id()).await?;
    let title = (!title.is_empty()).then_some(title);
    let row =
        stored::add_file(&tx, id, document.as_deref(), attachment, title.as_deref(), session.user_id(), app.now())
            .await?;
    let entry = Entry::new("attach", entity::APPLICATION, id, "audit-cert-file-attached")
        .arg("name", &opened.application.fields.enterprise_name)
        .change("file", None::<String>, title.unwrap_or_default());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(row)
}

/// Detaches a file (the stored content stays). `NotFound`; `Forbidden` unless the actor may attach.
pub async fn remove_file(app: &App, session: &Session, id: i64, file_id: i64) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    let file = stored::file(app.db(), id, file_id).await?.ok_or(Error::NotFound)?;
    if !((opened.powers.owner && opened.state.owner_edits) || opened.powers.officer) {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    stored::remove_file(&tx, id, file_id).await?;
    let entry = Entry::new("detach", entity::APPLICATION, id, "audit-cert-file-removed")
        .arg("name", &opened.application.fields.enterprise_name)
        .change("file", &file.original_name, None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
