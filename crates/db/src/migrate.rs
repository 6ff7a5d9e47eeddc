//! The ordered, forward-only set of schema migrations, embedded in the binary.
//!
//! A migration is SQL written once with the type placeholders of [`crate::dialect::expand_ddl`], or a
//! Rust step for data that must be loaded (reference data). Applied migrations are recorded with a
//! checksum; a migration changed after it was applied is refused.

use chrono::Utc;
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

use crate::dialect;
use crate::error::DbError;
use crate::pool::{Backend, Db, Tx};
use crate::query::{Exec, Query};

/// What a migration does.
pub enum Step {
    /// A SQL script with type placeholders.
    Sql(&'static str),
    /// SQL written for each backend, where one script cannot serve both (triggers: a plpgsql function on
    /// PostgreSQL, a trigger body on SQLite).
    PerBackend {
        /// The script run on SQLite.
        sqlite: &'static str,
        /// The script run on PostgreSQL.
        postgres: &'static str,
    },
    /// Rust code run inside the migration transaction; `fingerprint` changes whenever its effect does.
    Rust {
        /// Loads the data.
        run: for<'a> fn(&'a Tx) -> BoxFuture<'a, Result<(), DbError>>,
        /// A string that identifies the data loaded (a version, a hash of the embedded file).
        fingerprint: &'static str,
    },
}

/// One migration.
pub struct Migration {
    /// Its position in the order; never reused.
    pub version: i64,
    /// A short name for messages.
    pub name: &'static str,
    /// What it does.
    pub step: Step,
}

impl Migration {
    /// A checksum of what the migration does, recorded when it is applied.
    pub fn checksum(&self) -> String {
        let mut hasher = Sha256::new();
        match &self.step {
            Step::Sql(sql) => hasher.update(sql.as_bytes()),
            Step::PerBackend { sqlite, postgres } => {
                hasher.update(sqlite.as_bytes());
                hasher.update(postgres.as_bytes());
            }
            Step::Rust { fingerprint, .. } => hasher.update(fingerprint.as_bytes()),
        }
        hex(&hasher.finalize()[..16])
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every migration of this binary, in order.
pub fn migrations() -> &'static [Migration] {
    static MIGRATIONS: &[Migration] = &[
        Migration {
            version: 1,
            name: "foundation",
            step: Step::Sql(include_str!("../migrations/0001_foundation.sql")),
        },
        Migration { version: 2, name: "geography", step: Step::Sql(include_str!("../migrations/0002_geography.sql")) },
        Migration {
            version: 3,
            name: "load_admin_units",
            step: Step::Rust { run: crate::geo::load::run, fingerprint: crate::geo::load::FINGERPRINT },
        },
        Migration {
            version: 4,
            name: "directory_identity",
            step: Step::Sql(include_str!("../migrations/0004_directory_identity.sql")),
        },
        Migration { version: 5, name: "directory", step: Step::Sql(include_str!("../migrations/0005_directory.sql")) },
        Migration {
            version: 6,
            name: "document_templates",
            step: Step::Sql(include_str!("../migrations/0006_document_templates.sql")),
        },
        Migration {
            version: 7,
            name: "monitoring",
            step: Step::Sql(include_str!("../migrations/0007_monitoring.sql")),
        },
        Migration {
            version: 8,
            name: "monitoring_dashboards",
            step: Step::Sql(include_str!("../migrations/0008_monitoring_dashboards.sql")),
        },
        Migration { version: 9, name: "reporting", step: Step::Sql(include_str!("../migrations/0009_reporting.sql")) },
        Migration { version: 10, name: "visits", step: Step::Sql(include_str!("../migrations/0010_visits.sql")) },
        Migration { version: 11, name: "portal", step: Step::Sql(include_str!("../migrations/0011_portal.sql")) },
        Migration { version: 12, name: "app_layer", step: Step::Sql(include_str!("../migrations/0012_app_layer.sql")) },
        Migration { version: 18, name: "audit_key", step: Step::Sql(include_str!("../migrations/0018_audit_key.sql")) },
        Migration {
            version: 24,
            name: "notification_messages",
            step: Step::Sql(include_str!("../migrations/0024_notification_messages.sql")),
        },
        Migration { version: 25, name: "sci_tech", step: Step::Sql(include_str!("../migrations/0025_sci_tech.sql")) },
        Migration {
            version: 26,
            name: "sci_tech_councils",
            step: Step::Sql(include_str!("../migrations/0026_sci_tech_councils.sql")),
        },
        Migration {
            version: 27,
            name: "sci_tech_scores",
            step: Step::Sql(include_str!("../migrations/0027_sci_tech_scores.sql")),
        },
        Migration {
            version: 28,
            name: "certificates",
            step: Step::Sql(include_str!("../migrations/0028_certificates.sql")),
        },
        Migration {
            version: 30,
            name: "indicators",
            step: Step::Sql(include_str!("../migrations/0030_indicators.sql")),
        },
        Migration {
            version: 31,
            name: "certificate_yearly_reports",
            step: Step::Sql(include_str!("../migrations/0031_certificate_yearly_reports.sql")),
        },
        Migration {
            version: 32,
            name: "certificate_appraisal",
            step: Step::Rust { run: certificate_appraisal, fingerprint: CERTIFICATE_APPRAISAL },
        },
        Migration {
            version: 33,
            name: "report_cells_index",
            step: Step::Sql(include_str!("../migrations/0033_report_cells_index.sql")),
        },
        Migration {
            version: 34,
            name: "sci_tech_contracts",
            step: Step::Sql(include_str!("../migrations/0034_sci_tech_contracts.sql")),
        },
        Migration {
            version: 35,
            name: "sci_tech_task_reports",
            step: Step::Sql(include_str!("../migrations/0035_sci_tech_task_reports.sql")),
        },
        Migration {
            version: 36,
            name: "change_stamps",
            step: Step::PerBackend {
                sqlite: include_str!("../migrations/0036_change_stamps.sqlite.sql"),
                postgres: include_str!("../migrations/0036_change_stamps.postgres.sql"),
            },
        },
    ];
    MIGRATIONS
}

/// Migration 32: the council tables rebuilt with their rows (a council judges proposals or certificate
/// applications), experts and opinions of the appraisal.
const CERTIFICATE_APPRAISAL: &str = include_str!("../migrations/0032_certificate_appraisal.sql");

/// Runs migration 32, then moves the id generators of the rebuilt tables past the ids copied back (on
/// PostgreSQL; SQLite's AUTOINCREMENT keeps up by itself).
fn certificate_appraisal(tx: &Tx) -> BoxFuture<'_, Result<(), DbError>> {
    Box::pin(async move {
        tx.execute_script(&dialect::expand_ddl(CERTIFICATE_APPRAISAL, tx.backend())).await?;
        for table in ["st_councils", "st_council_members", "st_declarations", "st_conflict_overrides", "st_scores"] {
            if let Some(sync) = dialect::sync_identity(tx.backend(), table) {
                tx.fetch_rows(sync).await?;
            }
        }
        Ok(())
    })
}

/// A fingerprint of the whole migration set: equal fingerprints mean identical schemas and data.
pub fn fingerprint() -> String {
    let mut hasher = Sha256::new();
    for m in migrations() {
        hasher.update(m.version.to_le_bytes());
        hasher.update(m.checksum().as_bytes());
    }
    hex(&hasher.finalize()[..8])
}

/// Where a database stands against this binary's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Versions applied to the database.
    pub applied: Vec<i64>,
    /// Versions this binary has and the database lacks, in order.
    pub pending: Vec<i64>,
    /// Versions the database has and this binary does not know: the database is newer than the binary.
    pub unknown: Vec<i64>,
}

impl Status {
    /// Whether the schema is exactly what this binary expects.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct AppliedRow {
    version: i64,
    checksum: String,
}

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at {{timestamp}} NOT NULL
)";

async fn applied(ex: &impl Exec) -> Result<Vec<AppliedRow>, DbError> {
    let (count,): (i64,) = ex.fetch_one(dialect::table_exists(ex.backend(), "schema_migrations")).await?;
    if count == 0 {
        return Ok(Vec::new());
    }
    ex.fetch_all(Query::new("SELECT version, checksum FROM schema_migrations ORDER BY version")).await
}

fn compare(rows: &[AppliedRow]) -> Result<Status, DbError> {
    let known = migrations();
    for row in rows {
        if let Some(m) = known.iter().find(|m| m.version == row.version)
            && m.checksum() != row.checksum
        {
            return Err(DbError::Migration(format!(
                "migration {} ({}) was changed after it was applied to this database; restore the original \
                 migration and add a new one instead",
                m.version, m.name
            )));
        }
    }
    let applied: Vec<i64> = rows.iter().map(|r| r.version).collect();
    Ok(Status {
        pending: known.iter().map(|m| m.version).filter(|v| !applied.contains(v)).collect(),
        unknown: applied.iter().copied().filter(|v| !known.iter().any(|m| m.version == *v)).collect(),
        applied,
    })
}

/// Reads the migration status without changing anything.
pub async fn status(db: &Db) -> Result<Status, DbError> {
    status_of(db).await
}

/// [`status`] through any executor (a backup's snapshot).
pub async fn status_of(ex: &impl Exec) -> Result<Status, DbError> {
    compare(&applied(ex).await?)
}

/// Applies every pending migration in one transaction and returns the versions applied.
///
/// Refuses to touch a database that is newer than this binary.
pub async fn run(db: &Db) -> Result<Vec<i64>, DbError> {
    let tx = db.begin().await?;
    if let Some(lock) = dialect::migration_lock(tx.backend()) {
        tx.fetch_rows(lock).await?;
    }
    tx.execute_script(&dialect::expand_ddl(CREATE_LEDGER, tx.backend())).await?;
    let status = compare(&applied(&tx).await?)?;
    if !status.unknown.is_empty() {
        return Err(DbError::Migration(format!(
            "the database has migrations {:?} that this binary does not know: it was migrated by a newer \
             version of tiendo; run that version or restore a backup",
            status.unknown
        )));
    }
    for migration in migrations().iter().filter(|m| status.pending.contains(&m.version)) {
        tracing::info!(version = migration.version, name = migration.name, "applying migration");
        match &migration.step {
            Step::Sql(sql) => tx.execute_script(&dialect::expand_ddl(sql, tx.backend())).await?,
            Step::PerBackend { sqlite, postgres } => {
                let script = match tx.backend() {
                    Backend::Sqlite => sqlite,
                    Backend::Postgres => postgres,
                };
                tx.execute_script(&dialect::expand_ddl(script, tx.backend())).await?;
            }
            Step::Rust { run, .. } => run(&tx).await?,
        }
        tx.execute(
            Query::new("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(migration.version)
                .bind(migration.name)
                .bind(migration.checksum())
                .bind(Utc::now()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(status.pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_strictly_ordered() {
        let versions: Vec<i64> = migrations().iter().map(|m| m.version).collect();
        assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
        assert_eq!(versions.first(), Some(&1));
    }

    #[test]
    fn a_changed_migration_is_refused() {
        let rows = vec![AppliedRow { version: 1, checksum: "0000".into() }];
        let err = compare(&rows).unwrap_err();
        assert!(err.to_string().contains("was changed after it was applied"), "{err}");
    }

    #[test]
    fn status_reports_pending_and_unknown_versions() {
        let first = &migrations()[0];
        let rows = vec![
            AppliedRow { version: first.version, checksum: first.checksum() },
            AppliedRow { version: 99_999, checksum: "x".into() },
        ];
        let status = compare(&rows).unwrap();
        assert_eq!(status.unknown, vec![99_999]);
        assert!(!status.is_current());
    }
}
