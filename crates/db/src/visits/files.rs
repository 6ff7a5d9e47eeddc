//! Photos and documents of a visit. A photo carries its caption and its alternative text, so that a news
//! article about the visit can show it as it is.

use chrono::{DateTime, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A file of a visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VisitFile {
    /// Row id.
    pub id: i64,
    /// The visit.
    pub visit_id: i64,
    /// The stop it belongs to, if any.
    pub stop_id: Option<i64>,
    /// The stored file.
    pub attachment_id: i64,
    /// `photo` or `document`.
    pub kind: String,
    /// The caption (chú thích ảnh) or a document's title.
    pub caption: Option<String>,
    /// The alternative text of a photo.
    pub alt_text: Option<String>,
    /// The name it was uploaded under.
    pub original_name: String,
    /// The content type recognised from the content.
    pub content_type: String,
}

const SELECT: &str = "SELECT f.id, f.visit_id, f.stop_id, f.attachment_id, f.kind, f.caption, f.alt_text, \
     a.original_name, a.content_type FROM visit_files f JOIN attachments a ON a.id = f.attachment_id";

/// A file to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// The stop, if any.
    pub stop_id: Option<i64>,
    /// The stored file.
    pub attachment_id: i64,
    /// `photo` or `document`.
    pub kind: &'static str,
    /// Caption.
    pub caption: Option<String>,
    /// Alternative text (required for a photo).
    pub alt_text: Option<String>,
    /// Who uploaded it.
    pub uploaded_by: Option<i64>,
}

/// Attaches a stored file to a visit; returns the row id.
pub async fn add_file(ex: &impl Exec, visit_id: i64, f: &NewFile, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO visit_files (visit_id, stop_id, attachment_id, kind, caption, alt_text, sort_order, \
                 uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, \
                 (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM visit_files WHERE visit_id = $1), $7, $8) RETURNING id",
            )
            .bind(visit_id)
            .bind(f.stop_id)
            .bind(f.attachment_id)
            .bind(f.kind)
            .bind(f.caption.clone())
            .bind(f.alt_text.clone())
            .bind(f.uploaded_by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The files of a visit, in the order they were added.
pub async fn files(ex: &impl Exec, visit_id: i64) -> Result<Vec<VisitFile>, DbError> {
    ex.fetch_all(Query::new(format!("{SELECT} WHERE f.visit_id = $1 ORDER BY f.sort_order, f.id")).bind(visit_id)).await
}

/// One file of a visit.
pub async fn file(ex: &impl Exec, visit_id: i64, id: i64) -> Result<Option<VisitFile>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE f.id = $1 AND f.visit_id = $2")).bind(id).bind(visit_id)).await
}

/// Detaches a file from a visit (the stored content stays, as it may be used elsewhere).
pub async fn remove_file(ex: &impl Exec, visit_id: i64, id: i64) -> Result<bool, DbError> {
    let n = ex
        .execute(Query::new("DELETE FROM visit_files WHERE id = $1 AND visit_id = $2").bind(id).bind(visit_id))
        .await?;
    Ok(n == 1)
}

/// The visits a stored file is attached to.
pub async fn visits_using_attachment(ex: &impl Exec, attachment_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new("SELECT DISTINCT visit_id FROM visit_files WHERE attachment_id = $1 ORDER BY visit_id")
                .bind(attachment_id),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
