//! The audit trail: every state change appends an event with who, when, what, the changed fields before
//! and after, the request id and the IP. Events are chained: each stores the hash of the previous one
//! and its own hash over its content, so that an edited or deleted event breaks the chain at that point.
//! The hashes are keyed (HMAC-SHA-256 with a secret kept outside the database) and the head of the chain is
//! anchored outside the database too: see [`chain`].

pub mod chain;

pub use chain::{Anchor, AuditKey, Breach, Seal, Verification, verify};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::dialect;
use crate::error::DbError;
use crate::pool::Tx;
use crate::query::{Exec, Query};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted, from where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// The account, `None` for the public or the system.
    pub user_id: Option<i64>,
    /// A readable label: the username, `public`, `system`, `cli`.
    pub label: String,
    /// The client's IP address.
    pub ip: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

impl Who {
    /// The system itself (jobs, migrations).
    pub fn system() -> Who {
        Who { label: "system".to_owned(), ..Who::default() }
    }

    /// The command line.
    pub fn cli() -> Who {
        Who { label: "cli".to_owned(), ..Who::default() }
    }
}

/// One changed field: its value before and after (JSON; `null` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Change {
    /// The field name.
    pub field: String,
    /// The value before.
    pub before: serde_json::Value,
    /// The value after.
    pub after: serde_json::Value,
}

impl Change {
    /// A change of `field` from `before` to `after`.
    pub fn new(field: &str, before: impl Serialize, after: impl Serialize) -> Change {
        Change {
            field: field.to_owned(),
            before: serde_json::to_value(before).unwrap_or(serde_json::Value::Null),
            after: serde_json::to_value(after).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Collects the fields that differ between two versions of a record.
#[derive(Debug, Default)]
pub struct Diff {
    changes: Vec<Change>,
}

impl Diff {
    /// An empty diff.
    pub fn new() -> Diff {
        Diff::default()
    }

    /// Records `field` if `before != after`.
    pub fn field<T: Serialize + PartialEq>(&mut self, field: &str, before: &T, after: &T) -> &mut Diff {
        if before != after {
            self.changes.push(Change::new(field, before, after));
        }
        self
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes.
    pub fn into_changes(self) -> Vec<Change> {
        self.changes
    }
}

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// `create`, `update`, `delete`, `login`, `login_failed`, `grant_role`, `submit`, …
    pub action: String,
    /// `user`, `organization`, `session`, …
    pub entity_type: String,
    /// The entity's id, when there is one.
    pub entity_id: Option<String>,
    /// A one-line description in Vietnamese, for the command line and readers of the raw trail.
    pub summary: String,
    /// The message key of the summary (`audit-report-open`), rendered in the reader's language.
    pub summary_key: Option<String>,
    /// The message's arguments as a JSON object of strings.
    pub summary_args: Option<String>,
    /// When it happened; `None` for now. The demo records its story on the days it happened.
    pub at: Option<DateTime<Utc>>,
    /// The changed fields.
    pub changes: Vec<Change>,
}

impl NewEvent {
    /// An event on an entity.
    pub fn new(action: &str, entity_type: &str, entity_id: impl ToString, summary: impl Into<String>) -> NewEvent {
        NewEvent {
            action: action.to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id: Some(entity_id.to_string()),
            summary: summary.into(),
            summary_key: None,
            summary_args: None,
            at: None,
            changes: Vec::new(),
        }
    }

    /// Adds the changed fields.
    #[must_use]
    pub fn with_changes(mut self, changes: Vec<Change>) -> NewEvent {
        self.changes = changes;
        self
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Event {
    /// Row id, increasing.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The account, if any.
    pub actor_user_id: Option<i64>,
    /// The actor's label.
    pub actor_label: String,
    /// What was done.
    pub action: String,
    /// The kind of entity.
    pub entity_type: String,
    /// Which one.
    pub entity_id: Option<String>,
    /// A one-line description in Vietnamese.
    pub summary: String,
    /// The message key of the summary, for events recorded with one.
    pub summary_key: Option<String>,
    /// The message's arguments (a JSON object of strings).
    pub summary_args: Option<String>,
    /// The changed fields as JSON (`[{"field", "before", "after"}]`).
    pub changes: String,
    /// The client's IP.
    pub ip: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl Event {
    /// The changed fields.
    pub fn change_list(&self) -> Vec<Change> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

/// Appends an event inside the transaction that makes the change, so that the change and its record are
/// committed together.
pub async fn append(tx: &Tx, who: &Who, event: &NewEvent) -> Result<i64, DbError> {
    if let Some(lock) = dialect::audit_chain_lock(tx.backend()) {
        tx.fetch_rows(lock).await?;
    }
    let prev: Option<(String,)> =
        tx.fetch_optional(Query::new("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")).await?;
    let prev = prev.map_or_else(|| GENESIS.to_owned(), |(h,)| h);
    // Stored with microsecond precision on both backends; hash what is stored.
    let at = crate::query::truncate_micros(event.at.unwrap_or_else(Utc::now));
    let changes = serde_json::to_string(&event.changes).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let hash = chain::mac(
        Some(tx.audit_key()),
        &prev,
        &at,
        who.user_id,
        &who.label,
        &event.action,
        (&event.entity_type, event.entity_id.as_deref()),
        (&event.summary, event.summary_key.as_deref(), event.summary_args.as_deref()),
        &changes,
        (who.ip.as_deref(), who.request_id.as_deref()),
    );
    let (id,): (i64,) = tx
        .fetch_one(
            Query::new(
                "INSERT INTO audit_events (at, actor_user_id, actor_label, action, entity_type, entity_id, summary, \
                 changes, ip, request_id, prev_hash, hash, summary_key, summary_args) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(at)
            .bind(who.user_id)
            .bind(who.label.as_str())
            .bind(event.action.as_str())
            .bind(event.entity_type.as_str())
            .bind(event.entity_id.clone())
            .bind(event.summary.as_str())
            .bind(changes)
            .bind(who.ip.clone())
            .bind(who.request_id.clone())
            .bind(prev)
            .bind(hash)
            .bind(event.summary_key.clone())
            .bind(event.summary_args.clone()),
        )
        .await?;
    Ok(id)
}

/// Filters of the audit search.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only events by this account.
    pub actor_user_id: Option<i64>,
    /// Only events on this kind of entity.
    pub entity_type: Option<String>,
    /// Only events on this entity (with `entity_type`).
    pub entity_id: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// From this instant.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only events with an id below this (paging backwards).
    pub before_id: Option<i64>,
}

pub(crate) const EVENT_COLUMNS: &str = "id, at, actor_user_id, actor_label, action, entity_type, entity_id, summary, \
                             summary_key, summary_args, changes, ip, request_id, prev_hash, hash";

/// Events matching the filter, newest first, at most `limit`, and how many match in all.
pub async fn search(ex: &impl Exec, filter: &Filter, limit: i64) -> Result<(Vec<Event>, i64), DbError> {
    let mut conditions = Query::new(" WHERE 1 = 1");
    if let Some(u) = filter.actor_user_id {
        conditions.push(" AND actor_user_id = ").push_bind(u);
    }
    if let Some(t) = &filter.entity_type {
        conditions.push(" AND entity_type = ").push_bind(t.as_str());
    }
    if let Some(e) = &filter.entity_id {
        conditions.push(" AND entity_id = ").push_bind(e.as_str());
    }
    if let Some(a) = &filter.action {
        conditions.push(" AND action = ").push_bind(a.as_str());
    }
    if let Some(from) = filter.from {
        conditions.push(" AND at >= ").push_bind(from);
    }
    if let Some(until) = filter.until {
        conditions.push(" AND at < ").push_bind(until);
    }
    let mut count = Query::new(format!("SELECT COUNT(*) FROM audit_events{}", conditions.sql()));
    for v in conditions.values() {
        count = count.bind(v.clone());
    }
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut page = Query::new(format!("SELECT {EVENT_COLUMNS} FROM audit_events{}", conditions.sql()));
    for v in conditions.values() {
        page = page.bind(v.clone());
    }
    if let Some(before) = filter.before_id {
        page.push(" AND id < ").push_bind(before);
    }
    page.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
    Ok((ex.fetch_all(page).await?, total))
}

/// The history of one entity, newest first.
pub async fn history(ex: &impl Exec, entity_type: &str, entity_id: &str, limit: i64) -> Result<Vec<Event>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE entity_type = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(entity_type)
        .bind(entity_id)
        .bind(limit),
    )
    .await
}
