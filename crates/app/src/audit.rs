//! Recording changes in the audit trail. Every use case that changes something records one event per
//! record it changes, inside its own transaction, through [`record`]: the only caller of
//! `tiendo_db::audit::append` outside `db`.
//!
//! A summary is a message key with arguments (`audit-report-opened` with the template and the period),
//! rendered in the reader's language by [`summary`]; the Vietnamese text of the time is stored beside it
//! for the command line and for readers of the raw trail.

use tiendo_core::lang::Lang;
use tiendo_db::Tx;
use tiendo_db::audit::{self, Change, NewEvent};

use crate::{App, Result, Session, Tr};

pub use tiendo_db::audit::{Diff, Event, Filter, Verification, Who};

/// An event to record: the action, the record it concerns, a summary message and the changed fields.
#[derive(Debug, Clone)]
pub struct Entry {
    action: &'static str,
    entity_type: &'static str,
    entity_id: Option<String>,
    key: &'static str,
    args: Vec<(&'static str, String)>,
    changes: Vec<Change>,
}

impl Entry {
    /// An event of `action` (`create`, `update`, `submit`, …; `action-<code>` names it) on a record, whose
    /// summary is the message `key` (an `audit-…` key of the Fluent files).
    pub fn new(action: &'static str, entity_type: &'static str, entity_id: impl ToString, key: &'static str) -> Entry {
        Entry {
            action,
            entity_type,
            entity_id: Some(entity_id.to_string()),
            key,
            args: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// An event that concerns no single record (a failed sign-in, an export).
    pub fn general(action: &'static str, entity_type: &'static str, key: &'static str) -> Entry {
        Entry { action, entity_type, entity_id: None, key, args: Vec::new(), changes: Vec::new() }
    }

    /// Adds an argument of the summary message.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Entry {
        self.args.push((name, value.to_string()));
        self
    }

    /// Sets the changed fields.
    #[must_use]
    pub fn changes(mut self, changes: Vec<Change>) -> Entry {
        self.changes = changes;
        self
    }

    /// Adds one changed field.
    #[must_use]
    pub fn change(mut self, field: &str, before: impl serde::Serialize, after: impl serde::Serialize) -> Entry {
        self.changes.push(Change::new(field, before, after));
        self
    }

    /// The summary's arguments as borrowed pairs.
    fn arg_pairs(&self) -> Vec<(&str, &str)> {
        self.args.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

/// Records `entry` as done by `session` at the application's time, inside `tx`.
pub(crate) async fn record(app: &App, tx: &Tx, session: &Session, entry: Entry) -> Result<i64> {
    let summary = Tr::new(Lang::Vi).t_with(entry.key, &entry.arg_pairs());
    let args: serde_json::Map<String, serde_json::Value> =
        entry.args.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone()))).collect();
    let event = NewEvent {
        action: entry.action.to_owned(),
        entity_type: entry.entity_type.to_owned(),
        entity_id: entry.entity_id,
        summary,
        summary_key: Some(entry.key.to_owned()),
        summary_args: Some(serde_json::Value::Object(args).to_string()),
        at: Some(app.now()),
        changes: entry.changes,
    };
    Ok(audit::append(tx, &session.who, &event).await?)
}

/// The summary of a stored event in the reader's language: its message rendered with its arguments (a role
/// by its name), or,
/// for an event recorded before summaries had keys, the Vietnamese text stored with it.
pub fn summary(tr: &Tr, event: &Event) -> String {
    let Some(key) = event.summary_key.as_deref() else { return event.summary.clone() };
    let args: serde_json::Map<String, serde_json::Value> =
        event.summary_args.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
    let pairs: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            // A role is recorded by its code and read by its name.
            let role_key = format!("role-{text}");
            let text = if k == "role" && tr.has(&role_key) { tr.t(&role_key) } else { text };
            // So is an action (a step of a workflow).
            let action_key = format!("action-{text}");
            let text = if k == "action" && tr.has(&action_key) { tr.t(&action_key) } else { text };
            (k.as_str(), text)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tr.t_with(key, &borrowed)
}

/// Checks the audit chain with the installation's key, then against the latest anchor of its head in the
/// anchor file (when the settings name one).
pub async fn verify(app: &App, session: &Session) -> Result<Verification> {
    use tiendo_core::authz::{Action, Resource, authorize};
    if !authorize(&session.actor, Action::View, &Resource::AuditTrail).is_allowed() {
        return Err(crate::Error::FORBIDDEN);
    }
    let anchor = match &app.settings().audit_anchor_file {
        Some(path) => audit::chain::AnchorFile::new(path).latest().map_err(crate::Error::internal)?,
        None => None,
    };
    Ok(audit::verify(app.db(), anchor.as_ref()).await?)
}

/// The outcome of [`verify`] as one sentence in the reader's language.
pub fn verification_text(tr: &Tr, verification: &Verification) -> String {
    use tiendo_db::audit::Breach;
    let date = |a: &audit::Anchor| tiendo_core::fmt::datetime(a.at);
    match verification {
        Verification::Intact { events, anchor: None } => {
            tr.t_with("audit-chain-intact", &[("events", &events.to_string())])
        }
        Verification::Intact { events, anchor: Some(a) } => tr.t_with(
            "audit-chain-intact-anchored",
            &[("events", &events.to_string()), ("id", &a.id.to_string()), ("at", &date(a))],
        ),
        Verification::Broken(Breach::Link { id }) => tr.t_with("audit-chain-broken-link", &[("id", &id.to_string())]),
        Verification::Broken(Breach::Content { id }) => {
            tr.t_with("audit-chain-broken-content", &[("id", &id.to_string())])
        }
        Verification::Broken(Breach::Truncated { anchor, last_id }) => tr.t_with(
            "audit-chain-truncated",
            &[
                ("id", &anchor.id.to_string()),
                ("at", &date(anchor)),
                ("last", &last_id.map_or_else(|| "0".to_owned(), |l| l.to_string())),
            ],
        ),
        Verification::Broken(Breach::Rewritten { anchor }) => {
            tr.t_with("audit-chain-rewritten", &[("id", &anchor.id.to_string()), ("at", &date(anchor))])
        }
        Verification::Broken(Breach::NotSealed) => tr.t("audit-chain-not-sealed"),
        Verification::Broken(Breach::WrongKey { .. }) => tr.t("audit-chain-wrong-key"),
    }
}
