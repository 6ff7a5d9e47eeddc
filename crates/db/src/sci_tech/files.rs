//! Files of a proposal: its forms and annexes, and the signed decisions of its transitions.

use chrono::{DateTime, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A file of a proposal.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProposalFile {
    /// Row id.
    pub id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The transition it documents, if any.
    pub event_id: Option<i64>,
    /// The stored file.
    pub attachment_id: i64,
    /// Its title as typed.
    pub title: Option<String>,
    /// The name it was uploaded under.
    pub original_name: String,
    /// Its size in bytes.
    pub size: i64,
    /// When attached.
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT f.id, f.proposal_id, f.event_id, f.attachment_id, f.title, a.original_name, \
     a.size, f.created_at FROM st_files f JOIN attachments a ON a.id = f.attachment_id";

/// Attaches a stored file; its row id.
pub async fn add_file(
    ex: &impl Exec,
    proposal_id: i64,
    event_id: Option<i64>,
    attachment_id: i64,
    title: Option<&str>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_files (proposal_id, event_id, attachment_id, title, uploaded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(proposal_id)
            .bind(event_id)
            .bind(attachment_id)
            .bind(title)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The files of a proposal, in the order they were attached.
pub async fn files(ex: &impl Exec, proposal_id: i64) -> Result<Vec<ProposalFile>, DbError> {
    ex.fetch_all(Query::new(format!("{SELECT} WHERE f.proposal_id = $1 ORDER BY f.id")).bind(proposal_id)).await
}

/// One file of a proposal.
pub async fn file(ex: &impl Exec, proposal_id: i64, id: i64) -> Result<Option<ProposalFile>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE f.proposal_id = $1 AND f.id = $2")).bind(proposal_id).bind(id))
        .await
}

/// Detaches a file (the stored content stays).
pub async fn remove_file(ex: &impl Exec, proposal_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(ex
        .execute(Query::new("DELETE FROM st_files WHERE proposal_id = $1 AND id = $2").bind(proposal_id).bind(id))
        .await?
        == 1)
}

/// The proposals a stored file is attached to.
pub async fn proposals_using_attachment(ex: &impl Exec, attachment_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(Query::new("SELECT DISTINCT proposal_id FROM st_files WHERE attachment_id = $1").bind(attachment_id))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
