//! The colours of the derived states chosen by an administrator, kept in `settings` as one JSON object
//! (`{"overdue": "#b3202b", …}`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The settings key of the colours.
pub const KEY: &str = "monitoring.status_colors";

/// The colours stored, by state code (empty when none was chosen; what does not parse is ignored).
pub async fn stored(ex: &impl Exec) -> Result<BTreeMap<String, String>, DbError> {
    let row: Option<(String,)> =
        ex.fetch_optional(Query::new("SELECT value FROM settings WHERE key = $1").bind(KEY)).await?;
    Ok(row.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// Replaces the colours.
pub async fn save(ex: &impl Exec, colors: &BTreeMap<String, String>, now: DateTime<Utc>) -> Result<(), DbError> {
    let json = serde_json::to_string(colors).map_err(|e| DbError::Corrupt(format!("status colours: {e}")))?;
    ex.execute(
        Query::new(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(KEY)
        .bind(json)
        .bind(now),
    )
    .await?;
    Ok(())
}
