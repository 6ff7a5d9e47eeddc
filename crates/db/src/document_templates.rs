//! Document templates (mẫu văn bản): every saved version of the template of each document kind, with who
//! saved it and when. Versions are append-only; the highest version of a kind is the active one, and a
//! kind without any version uses the program's built-in default.
//!
//! Kinds are the stable identifiers of `tiendo_export::kinds::DocumentKind` (`report`, `decision`, ...);
//! this module stores text and does not parse it (the application layer validates a template before saving it).

use chrono::{DateTime, Utc};

use crate::audit::Who;
use crate::error::DbError;
use crate::pool::Tx;
use crate::query::{Exec, Query};

/// One saved version of a kind's template.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TemplateVersion {
    /// Row id.
    pub id: i64,
    /// The document kind (`report`, `conclusion_notice`, ...).
    pub kind: String,
    /// 1, 2, 3... within the kind.
    pub version: i64,
    /// The template text; `None` when this version restored the program's built-in default.
    pub source: Option<String>,
    /// The version this one copies, when it was made by restoring an earlier version.
    pub restored_from: Option<i64>,
    /// The account that saved it.
    pub created_by: Option<i64>,
    /// Its username at the time (or `cli`, `system`).
    pub created_by_label: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl TemplateVersion {
    /// Whether this version stands for the built-in default template.
    pub fn is_default(&self) -> bool {
        self.source.is_none()
    }
}

const COLUMNS: &str = "id, kind, version, source, restored_from, created_by, created_by_label, created_at";

/// The active (highest) version of `kind`, or `None` when the kind has never been saved.
pub async fn active(ex: &impl Exec, kind: &str) -> Result<Option<TemplateVersion>, DbError> {
    ex.fetch_optional(
        Query::new(format!("SELECT {COLUMNS} FROM document_templates WHERE kind = $1 ORDER BY version DESC LIMIT 1"))
            .bind(kind),
    )
    .await
}

/// The active version of every kind that has one, ordered by kind.
pub async fn active_all(ex: &impl Exec) -> Result<Vec<TemplateVersion>, DbError> {
    ex.fetch_all(Query::new(format!(
        "SELECT {COLUMNS} FROM document_templates t WHERE version = \
         (SELECT MAX(version) FROM document_templates m WHERE m.kind = t.kind) ORDER BY kind"
    )))
    .await
}

/// The versions of `kind`, newest first, at most `limit`.
pub async fn versions(ex: &impl Exec, kind: &str, limit: i64) -> Result<Vec<TemplateVersion>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {COLUMNS} FROM document_templates WHERE kind = $1 ORDER BY version DESC LIMIT $2"))
            .bind(kind)
            .bind(limit),
    )
    .await
}

/// How many versions `kind` has.
pub async fn count(ex: &impl Exec, kind: &str) -> Result<i64, DbError> {
    let (n,): (i64,) =
        ex.fetch_one(Query::new("SELECT COUNT(*) FROM document_templates WHERE kind = $1").bind(kind)).await?;
    Ok(n)
}

/// One version of `kind`.
pub async fn version(ex: &impl Exec, kind: &str, version: i64) -> Result<Option<TemplateVersion>, DbError> {
    ex.fetch_optional(
        Query::new(format!("SELECT {COLUMNS} FROM document_templates WHERE kind = $1 AND version = $2"))
            .bind(kind)
            .bind(version),
    )
    .await
}

/// A version to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion<'a> {
    /// The document kind.
    pub kind: &'a str,
    /// The text, already validated; `None` restores the built-in default.
    pub source: Option<&'a str>,
    /// The version copied, for a restore.
    pub restored_from: Option<i64>,
}

/// Appends a version after the kind's highest one and returns it. Two writers racing for the same number
/// get a unique violation on `document_templates` (PostgreSQL; SQLite serialises write transactions).
pub async fn append(tx: &Tx, new: &NewVersion<'_>, who: &Who, now: DateTime<Utc>) -> Result<TemplateVersion, DbError> {
    let (next,): (i64,) = tx
        .fetch_one(
            Query::new("SELECT COALESCE(MAX(version), 0) + 1 FROM document_templates WHERE kind = $1").bind(new.kind),
        )
        .await?;
    tx.fetch_one(
        Query::new(format!(
            "INSERT INTO document_templates (kind, version, source, restored_from, created_by, created_by_label, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        ))
        .bind(new.kind)
        .bind(next)
        .bind(new.source)
        .bind(new.restored_from)
        .bind(who.user_id)
        .bind(who.label.as_str())
        .bind(now),
    )
    .await
}
