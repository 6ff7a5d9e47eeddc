//! The timeline of an application: every step with who took it, when, its note, its decision document,
//! and whether it came after the statutory clock ran out.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::sci_tech::Decision;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A step taken.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Event {
    /// Row id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// The action's code.
    pub action: String,
    /// The state left.
    pub from_state: String,
    /// The state reached.
    pub to_state: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The day in Vietnam (the clock counts days).
    pub on_day: NaiveDate,
    /// Who.
    pub actor_user_id: Option<i64>,
    /// Their name at the time.
    pub actor_name: String,
    /// The note (the supplements asked, the reasons of a refusal).
    pub note: Option<String>,
    /// The decision's number and symbol.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
    /// Taken after the clock ran out.
    pub late: bool,
}

/// A step to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent<'a> {
    /// The action's code.
    pub action: &'a str,
    /// The state left.
    pub from: &'a str,
    /// The state reached.
    pub to: &'a str,
    /// The day in Vietnam.
    pub on_day: NaiveDate,
    /// Who.
    pub actor_user_id: Option<i64>,
    /// Their name.
    pub actor_name: &'a str,
    /// The note.
    pub note: Option<&'a str>,
    /// The decision document.
    pub decision: Option<&'a Decision>,
    /// Taken after the clock ran out.
    pub late: bool,
}

/// Records a step; its id.
pub async fn add_event(
    ex: &impl Exec,
    application_id: i64,
    e: &NewEvent<'_>,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO cert_events (application_id, action, from_state, to_state, at, on_day, actor_user_id, \
                 actor_name, note, decision_symbol, decision_date, decision_signer, late) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(application_id)
            .bind(e.action)
            .bind(e.from)
            .bind(e.to)
            .bind(at)
            .bind(e.on_day)
            .bind(e.actor_user_id)
            .bind(e.actor_name)
            .bind(e.note)
            .bind(e.decision.map(|d| d.symbol.clone()))
            .bind(e.decision.map(|d| d.date))
            .bind(e.decision.map(|d| d.signer.clone()))
            .bind(e.late),
        )
        .await?;
    Ok(id)
}

/// The timeline of an application, oldest first.
pub async fn events(ex: &impl Exec, application_id: i64) -> Result<Vec<Event>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, application_id, action, from_state, to_state, at, on_day, actor_user_id, actor_name, note, \
             decision_symbol, decision_date, decision_signer, late FROM cert_events WHERE application_id = $1 \
             ORDER BY at, id",
        )
        .bind(application_id),
    )
    .await
}

/// The timelines of several applications (the dashboard's clocks), oldest first.
pub async fn events_of(ex: &impl Exec, ids: &[i64]) -> Result<Vec<Event>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT id, application_id, action, from_state, to_state, at, on_day, actor_user_id, actor_name, note, \
         decision_symbol, decision_date, decision_signer, late FROM cert_events WHERE application_id IN (",
    );
    crate::monitoring::push_ids(&mut q, ids);
    q.push(") ORDER BY application_id, at, id");
    ex.fetch_all(q).await
}
