//! Operator actions on the whole installation, recorded in the audit trail: a backup taken (the archive
//! holds the event that records its own making) and a restore (the first event after the restored chain,
//! linked to its head, so that the chain still verifies and tells when the data was put back).

use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session};

/// The entity type of these events: the database as a whole.
pub const ENTITY: &str = "database";

/// `Forbidden` unless the command line (the operator of the machine) or a province-wide administrator acts.
fn operator(session: &Session) -> Result<()> {
    if session.user.is_some() && !session.actor.has_role_province_wide(tiendo_core::authz::Role::Administrator) {
        return Err(Error::FORBIDDEN);
    }
    Ok(())
}

/// Records that a backup is being taken to the file named `file` (its name, not its path), before the
/// snapshot is taken: the backup then holds its own event. Returns the event's id.
pub async fn backup_started(app: &App, session: &Session, file: &str) -> Result<i64> {
    operator(session)?;
    let tx = app.begin().await?;
    let id =
        audit::record(app, &tx, session, Entry::general("backup", ENTITY, "audit-database-backup").arg("file", file))
            .await?;
    tx.commit().await?;
    Ok(id)
}

/// What was restored, for the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The archive's file name.
    pub file: String,
    /// When the backup was taken.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The newest audit event of the backup (0 for none).
    pub head: i64,
}

/// Records a restore as the first event after the restored chain. Returns the event's id.
pub async fn restored(app: &App, session: &Session, restored: &Restored) -> Result<i64> {
    operator(session)?;
    let tx = app.begin().await?;
    let entry = Entry::general("restore_backup", ENTITY, "audit-database-restored")
        .arg("file", &restored.file)
        .arg("created", tiendo_core::fmt::datetime(restored.created_at))
        .arg("head", restored.head);
    let id = audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The background jobs that failed (dead-lettered, or waiting for a retry after a failed attempt), the
/// latest first, for the province-wide administrators: a job whose handler failed or panicked is visible
/// here with its last error.
pub async fn troubled_jobs(app: &App, session: &Session) -> Result<Vec<tiendo_db::jobs::JobRow>> {
    if !session.actor.has_role_province_wide(tiendo_core::authz::Role::Administrator) {
        return Err(Error::FORBIDDEN);
    }
    Ok(tiendo_db::jobs::troubled(app.db(), 200).await?)
}
