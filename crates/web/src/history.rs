//! The history panel of an entity page: its audit events, newest first, with the changed fields.

use tiendo_core::fmt;
use tiendo_db::audit;

use crate::error::AppError;
use crate::state::AppState;

/// One changed field, formatted for display.
#[derive(Debug, Clone)]
pub struct ChangeView {
    /// The field's name in the reader's language.
    pub field: String,
    /// The value before, as text (`—` when absent).
    pub before: String,
    /// The value after.
    pub after: String,
}

/// One event of the panel.
#[derive(Debug, Clone)]
pub struct HistoryItem {
    /// When, `dd/mm/yyyy HH:MM` in Vietnam time.
    pub at: String,
    /// Who (username or `public`, `system`, `cli`).
    pub actor: String,
    /// The action code.
    pub action: String,
    /// The one-line summary, as HTML (the records it names marked as data).
    pub summary: String,
    /// The changed fields.
    pub changes: Vec<ChangeView>,
}

/// The name of a recorded field in the reader's language: `history-field-<name>` (for a field named
/// `target:12:2026` or `update:5`, the part before the first colon); a field without a message is shown as
/// "another detail" rather than by its internal name.
pub fn field_label(tr: &tiendo_app::Tr, field: &str) -> String {
    let base = field.split(':').next().unwrap_or(field);
    let key = format!("history-field-{base}");
    if tr.has(&key) { tr.t(&key) } else { tr.t("history-field-other") }
}

/// A recorded value as a reader expects it: dates `dd/mm/yyyy`, instants in Vietnam time, yes or no for a
/// flag, a known code (`history-value-<code>`) by its name, `—` when absent.
pub fn value_text(tr: &tiendo_app::Tr, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::Bool(b) => tr.t(if *b { "history-value-yes" } else { "history-value-no" }),
        serde_json::Value::String(s) if s.is_empty() => "—".to_owned(),
        serde_json::Value::String(s) => {
            if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return fmt::date(day);
            }
            if let Ok(at) = chrono::DateTime::parse_from_rfc3339(s) {
                return fmt::datetime(at.with_timezone(&chrono::Utc));
            }
            if let Ok(kind) = s.parse::<tiendo_core::directory::OrgKind>() {
                return kind.name(tr.lang()).to_owned();
            }
            if s.contains(char::is_whitespace) {
                return s.clone();
            }
            ["history-value-", "role-", "status-", "article-state-"]
                .iter()
                .map(|prefix| format!("{prefix}{s}"))
                .find(|key| tr.has(key))
                .map_or_else(|| s.clone(), |key| tr.t(&key))
        }
        // A grant: its role by name.
        serde_json::Value::Object(map) => match map.get("role").and_then(|r| r.as_str()) {
            Some(role) => value_text(tr, &serde_json::Value::String(role.to_owned())),
            None => tr.t("history-value-details"),
        },
        other => other.to_string(),
    }
}

/// Formats stored events.
pub fn items(events: &[audit::Event], tr: &tiendo_app::Tr) -> Vec<HistoryItem> {
    events
        .iter()
        .map(|e| HistoryItem {
            at: fmt::datetime(e.at),
            actor: e.actor_label.clone(),
            action: e.action.clone(),
            summary: tiendo_app::audit::summary_html(tr, e),
            changes: e
                .change_list()
                .into_iter()
                .map(|c| ChangeView {
                    field: field_label(tr, &c.field),
                    before: value_text(tr, &c.before),
                    after: value_text(tr, &c.after),
                })
                .collect(),
        })
        .collect()
}

/// The last 50 events of an entity.
pub async fn load(
    state: &AppState,
    tr: &tiendo_app::Tr,
    entity_type: &str,
    entity_id: impl ToString,
) -> Result<Vec<HistoryItem>, AppError> {
    let events = audit::history(state.db(), entity_type, &entity_id.to_string(), 50).await?;
    Ok(items(&events, tr))
}
