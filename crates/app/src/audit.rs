//! Recording changes in the audit trail. Every use case that changes something records one event per
//! record it changes, inside its own transaction, through [`record`]: the only caller of
//! `tiendo_db::audit::append` outside `db`.
//!
//! A summary is a message key with arguments (`audit-report-opened` with the template and the period),
//! rendered in the reader's language by [`summary`]; the Vietnamese text of the time is stored beside it
//! for the command line and for readers of the raw trail. An argument is data (a title, a name: stored as
//! a string, shown as written) or something the reader's language names (a period, a kind, stored as a
//! [`Value`] object and named when read).

use tiendo_core::lang::Lang;
use tiendo_db::Tx;
use tiendo_db::audit::{self, Change, NewEvent};

use crate::i18n::Arg;
pub use crate::message::Value;
use crate::{App, Result, Session, Tr};

pub use tiendo_db::audit::{Diff, Event, Filter, Verification, Who};

/// An event to record: the action, the record it concerns, a summary message and the changed fields.
#[derive(Debug, Clone)]
pub struct Entry {
    action: &'static str,
    entity_type: &'static str,
    entity_id: Option<String>,
    key: &'static str,
    args: Vec<(&'static str, Value)>,
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

    /// Adds an argument of the summary message: data (a title, a name, a number), shown as written.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Entry {
        self.args.push((name, Value::Data(value.to_string())));
        self
    }

    /// Adds an argument named in the reader's language: a message key (`template-kind-report`), a reporting
    /// period by its code, an organisation kind by its code (see [`Value`]).
    #[must_use]
    pub fn named(mut self, name: &'static str, value: Value) -> Entry {
        self.args.push((name, value));
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
}

/// Records `entry` as done by `session` at the application's time, inside `tx`.
pub(crate) async fn record(app: &App, tx: &Tx, session: &Session, entry: Entry) -> Result<i64> {
    let vi = Tr::new(Lang::Vi);
    let texts: Vec<(&str, String)> = entry.args.iter().map(|(k, v)| (*k, v.text(&vi).0)).collect();
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let summary = vi.t_with(entry.key, &pairs);
    // Data as a plain string (as every argument was stored before named ones existed), the rest as objects.
    let args: serde_json::Map<String, serde_json::Value> = entry
        .args
        .iter()
        .map(|(k, v)| {
            let stored = match v {
                Value::Data(text) => serde_json::Value::String(text.clone()),
                other => serde_json::to_value(other).unwrap_or_default(),
            };
            ((*k).to_owned(), stored)
        })
        .collect();
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
    let pairs = summary_args(tr, event);
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).collect();
    tr.t_with(key, &borrowed)
}

/// The summary of a stored event as HTML for a page: as [`summary`], escaped, with the records it names
/// (titles, names) marked as data (see [`Tr::t_marked`]); an event recorded before summaries had keys is
/// Vietnamese text, marked as such.
pub fn summary_html(tr: &Tr, event: &Event) -> String {
    let Some(key) = event.summary_key.as_deref() else { return crate::i18n::mark(&event.summary) };
    let pairs = summary_args(tr, event);
    let args: Vec<(&str, Arg<'_>)> = pairs
        .iter()
        .map(|(k, v, translated)| (k.as_str(), if *translated { Arg::Text(v) } else { Arg::Data(v) }))
        .collect();
    tr.t_marked(key, &args)
}

/// The arguments of an event's summary as text, each with whether it was translated (a role by its name)
/// rather than recorded data.
fn summary_args(tr: &Tr, event: &Event) -> Vec<(String, String, bool)> {
    let args: serde_json::Map<String, serde_json::Value> =
        event.summary_args.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
    args.iter()
        .map(|(k, v)| {
            // A named argument (a period, a kind) is read in the reader's language.
            if let Ok(named) = serde_json::from_value::<Value>(v.clone())
                && !matches!(named, Value::Data(_))
            {
                return (k.clone(), named.text(tr).0, true);
            }
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            // A role is recorded by its code and read by its name.
            let role_key = format!("role-{text}");
            if k == "role" && tr.has(&role_key) { (k.clone(), tr.t(&role_key), true) } else { (k.clone(), text, false) }
        })
        .collect()
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
