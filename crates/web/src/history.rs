//! The history panel of an entity page: its audit events, newest first, with the changed fields.

use tiendo_core::fmt;
use tiendo_db::audit;

use crate::error::AppError;
use crate::state::AppState;

/// One changed field, formatted for display.
#[derive(Debug, Clone)]
pub struct ChangeView {
    /// The field name.
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
    /// The one-line summary.
    pub summary: String,
    /// The changed fields.
    pub changes: Vec<ChangeView>,
}

fn show(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::String(s) if s.is_empty() => "—".to_owned(),
        serde_json::Value::String(s) => s.clone(),
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
            summary: tiendo_app::audit::summary(tr, e),
            changes: e
                .change_list()
                .into_iter()
                .map(|c| ChangeView { field: c.field, before: show(&c.before), after: show(&c.after) })
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
