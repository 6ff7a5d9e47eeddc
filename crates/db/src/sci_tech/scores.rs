//! The members' scoring sheets.

use chrono::{DateTime, Utc};
use tiendo_core::sci_tech::scoring::Sheet;

use super::{from_json, to_json};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A sheet sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSheet {
    /// The member.
    pub member_id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The sheet.
    pub sheet: Sheet,
    /// Its total on 100.
    pub total: f64,
    /// When sent (or last changed).
    pub submitted_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    member_id: i64,
    proposal_id: i64,
    scores: String,
    total: f64,
    comment: Option<String>,
    submitted_at: DateTime<Utc>,
}

/// Every sheet of a council (on SQLite as one JSON value), by proposal and member.
pub async fn sheets(ex: &impl Exec, council_id: i64) -> Result<Vec<StoredSheet>, DbError> {
    let mut rows: Vec<Row> =
        crate::json::fetch_many(ex, "member_id, proposal_id, scores, total, comment, submitted_at", |q| {
            q.push(" FROM st_scores WHERE council_id = ").push_bind(council_id);
        })
        .await?;
    rows.sort_unstable_by_key(|r| (r.proposal_id, r.member_id));
    rows.into_iter()
        .map(|r| {
            Ok(StoredSheet {
                member_id: r.member_id,
                proposal_id: r.proposal_id,
                sheet: Sheet { scores: from_json("scores", &r.scores)?, comment: r.comment },
                total: r.total,
                submitted_at: r.submitted_at,
            })
        })
        .collect()
}

/// Records a member's sheet for a proposal (replacing the one sent before).
pub async fn put_sheet(
    ex: &impl Exec,
    council_id: i64,
    member_id: i64,
    proposal_id: i64,
    sheet: &Sheet,
    total: f64,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new("DELETE FROM st_scores WHERE member_id = $1 AND proposal_id = $2").bind(member_id).bind(proposal_id),
    )
    .await?;
    ex.execute(
        Query::new(
            "INSERT INTO st_scores (council_id, member_id, proposal_id, scores, total, comment, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(council_id)
        .bind(member_id)
        .bind(proposal_id)
        .bind(to_json(&sheet.scores))
        .bind(total)
        .bind(sheet.comment.clone())
        .bind(now),
    )
    .await?;
    Ok(())
}
