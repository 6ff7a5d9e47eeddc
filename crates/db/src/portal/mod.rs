//! Storage of the public portal: articles with their revisions, tags, categories and related records;
//! photos; comments and their reports; the portal's settings and the stamp that tells the page caches
//! of every instance that something public changed.

pub mod articles;
pub mod comments;
pub mod media;

use chrono::Utc;
use tiendo_core::portal::PortalSettings;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The settings key of the portal's settings (JSON).
pub const SETTINGS_KEY: &str = "portal.settings";
/// The settings key of the stamp of public content.
pub const STAMP_KEY: &str = "portal.stamp";

/// The portal's settings (defaults for anything not stored).
pub async fn settings(ex: &impl Exec) -> Result<PortalSettings, DbError> {
    let stored: Option<(String,)> =
        ex.fetch_optional(Query::new("SELECT value FROM settings WHERE key = $1").bind(SETTINGS_KEY)).await?;
    Ok(stored.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default())
}

async fn put_setting(ex: &impl Exec, key: &str, value: &str) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(Utc::now()),
    )
    .await?;
    Ok(())
}

/// Stores the portal's settings (and bumps the stamp: the footer is on every public page).
pub async fn save_settings(ex: &impl Exec, settings: &PortalSettings) -> Result<(), DbError> {
    let json = serde_json::to_string(settings).map_err(|e| DbError::Corrupt(e.to_string()))?;
    put_setting(ex, SETTINGS_KEY, &json).await?;
    bump_stamp(ex).await
}

/// The stamp of public content: changes whenever a public page may change.
pub async fn stamp(ex: &impl Exec) -> Result<String, DbError> {
    let stored: Option<(String,)> =
        ex.fetch_optional(Query::new("SELECT value FROM settings WHERE key = $1").bind(STAMP_KEY)).await?;
    Ok(stored.map(|(v,)| v).unwrap_or_default())
}

/// Records that public content changed (call in the transaction that changes it).
pub async fn bump_stamp(ex: &impl Exec) -> Result<(), DbError> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let value =
        format!("{}-{}-{}", Utc::now().timestamp_micros(), std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    put_setting(ex, STAMP_KEY, &value).await
}

/// The active accounts holding the moderator role: (user id, e-mail).
pub async fn moderators(ex: &impl Exec) -> Result<Vec<(i64, Option<String>)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT DISTINCT u.id, u.email FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE u.status = 'active' AND g.role = 'moderator' ORDER BY u.id",
    ))
    .await
}

/// Whether a user has an unread notification of this kind (so that a flood of comments makes one).
pub async fn has_unread(ex: &impl Exec, user_id: i64, kind: &str) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2 AND read_at IS NULL")
                .bind(user_id)
                .bind(kind),
        )
        .await?;
    Ok(n > 0)
}
