//! The audit trail as the index's outbox: events read by id, after a cursor, and again by id for the
//! events that may have committed late. Reads use the primary key only.

use crate::error::DbError;
use crate::query::{Exec, Query};

/// An event of the trail, as the index needs it: which record changed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrailEvent {
    /// The event's id (increasing).
    pub id: i64,
    /// The kind of record (`plan`, `visit`, `organization`, …).
    pub entity_type: String,
    /// Which one (an id, a code or a date, as the event names it).
    pub entity_id: Option<String>,
}

/// The events after `after`, in id order, at most `limit`.
pub async fn events_after(ex: &impl Exec, after: i64, limit: i64) -> Result<Vec<TrailEvent>, DbError> {
    ex.fetch_all(
        Query::new("SELECT id, entity_type, entity_id FROM audit_events WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit),
    )
    .await
}

/// The events with these ids that exist now (ids once missing that may have committed since).
pub async fn events_with_ids(ex: &impl Exec, ids: &[i64]) -> Result<Vec<TrailEvent>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    ex.fetch_all(super::with_ids(
        "SELECT id, entity_type, entity_id FROM audit_events WHERE id IN (",
        ids,
        ") ORDER BY id",
    ))
    .await
}

/// The ids of the events in `(after, up_to]`, in order (a rebuild notes which are missing).
pub async fn event_ids_between(ex: &impl Exec, after: i64, up_to: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new("SELECT id FROM audit_events WHERE id > $1 AND id <= $2 ORDER BY id").bind(after).bind(up_to),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The id of the last event, 0 when the trail is empty.
pub async fn last_event_id(ex: &impl Exec) -> Result<i64, DbError> {
    let row: Option<(Option<i64>,)> = ex.fetch_optional(Query::new("SELECT MAX(id) FROM audit_events")).await?;
    Ok(row.and_then(|(id,)| id).unwrap_or(0))
}
