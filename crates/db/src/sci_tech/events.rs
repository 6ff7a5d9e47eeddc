//! The timeline of a proposal: every transition with who took it, when, its note, the screening reasons
//! and its decision document.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::sci_tech::Decision;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A transition taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Row id.
    pub id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The action's code.
    pub action: String,
    /// The state left.
    pub from_state: String,
    /// The state reached.
    pub to_state: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (none for the system).
    pub actor_user_id: Option<i64>,
    /// Their name at the time.
    pub actor_name: String,
    /// The note.
    pub note: Option<String>,
    /// Screening reasons' codes.
    pub reasons: Vec<String>,
    /// The decision document's number and symbol.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    proposal_id: i64,
    action: String,
    from_state: String,
    to_state: String,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    actor_name: String,
    note: Option<String>,
    reasons: Option<String>,
    decision_symbol: Option<String>,
    decision_date: Option<NaiveDate>,
    decision_signer: Option<String>,
}

impl From<Row> for Event {
    fn from(r: Row) -> Event {
        Event {
            id: r.id,
            proposal_id: r.proposal_id,
            action: r.action,
            from_state: r.from_state,
            to_state: r.to_state,
            at: r.at,
            actor_user_id: r.actor_user_id,
            actor_name: r.actor_name,
            note: r.note,
            reasons: r.reasons.map(|r| r.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
            decision_symbol: r.decision_symbol,
            decision_date: r.decision_date,
            decision_signer: r.decision_signer,
        }
    }
}

const SELECT: &str = "SELECT id, proposal_id, action, from_state, to_state, at, actor_user_id, actor_name, note, reasons, \
     decision_symbol, decision_date, decision_signer FROM st_events";

/// A transition to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent<'a> {
    /// The action's code.
    pub action: &'a str,
    /// The state left.
    pub from: &'a str,
    /// The state reached.
    pub to: &'a str,
    /// Who.
    pub actor_user_id: Option<i64>,
    /// Their name.
    pub actor_name: &'a str,
    /// The note.
    pub note: Option<&'a str>,
    /// Screening reasons.
    pub reasons: &'a [String],
    /// The decision document.
    pub decision: Option<&'a Decision>,
}

/// Records a transition; its id.
pub async fn add_event(ex: &impl Exec, proposal_id: i64, e: &NewEvent<'_>, at: DateTime<Utc>) -> Result<i64, DbError> {
    let reasons = (!e.reasons.is_empty()).then(|| e.reasons.join(" "));
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_events (proposal_id, action, from_state, to_state, at, actor_user_id, actor_name, note, \
                 reasons, decision_symbol, decision_date, decision_signer) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(proposal_id)
            .bind(e.action)
            .bind(e.from)
            .bind(e.to)
            .bind(at)
            .bind(e.actor_user_id)
            .bind(e.actor_name)
            .bind(e.note)
            .bind(reasons)
            .bind(e.decision.map(|d| d.symbol.clone()))
            .bind(e.decision.map(|d| d.date))
            .bind(e.decision.map(|d| d.signer.clone())),
        )
        .await?;
    Ok(id)
}

/// The timeline of a proposal, oldest first.
pub async fn events(ex: &impl Exec, proposal_id: i64) -> Result<Vec<Event>, DbError> {
    let rows: Vec<Row> =
        ex.fetch_all(Query::new(format!("{SELECT} WHERE proposal_id = $1 ORDER BY at, id")).bind(proposal_id)).await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The latest time a proposal took `action`, if it did.
pub async fn last_event_of(ex: &impl Exec, proposal_id: i64, action: &str) -> Result<Option<Event>, DbError> {
    let row: Option<Row> = ex
        .fetch_optional(
            Query::new(format!("{SELECT} WHERE proposal_id = $1 AND action = $2 ORDER BY at DESC, id DESC LIMIT 1"))
                .bind(proposal_id)
                .bind(action),
        )
        .await?;
    Ok(row.map(Event::from))
}
