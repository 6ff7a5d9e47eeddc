//! What a backup needs from the database while the server keeps writing: one consistent view of it (a
//! `VACUUM INTO` copy on SQLite, an exported `REPEATABLE READ` snapshot that `pg_dump` joins on
//! PostgreSQL), what that view holds (the files it refers to, its migrations, the head of its audit chain),
//! and, for a restore, whether a database is empty.
//!
//! The file store is written before the row that refers to a file is committed, and files are never
//! deleted, so every file that the view refers to is in the store when the view is read.

use std::path::Path;

use futures_util::future::BoxFuture;

use crate::audit::Anchor;
use crate::error::DbError;
use crate::files::{self, StoredFile};
use crate::pool::{Backend, Db, Tx};
use crate::query::{Exec, Query, Rows};

/// A consistent, read-only view of the database as of one instant.
#[derive(Debug)]
pub struct Snapshot {
    reads: Reads,
    exported: Option<String>,
}

#[derive(Debug)]
enum Reads {
    /// The `VACUUM INTO` copy, opened read-only.
    Copy(Db),
    /// A `REPEATABLE READ` transaction on PostgreSQL.
    Transaction(Tx),
}

/// What a snapshot holds that a backup records in its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// Every file it refers to.
    pub files: Vec<StoredFile>,
    /// The migrations applied, in order.
    pub migrations: Vec<i64>,
    /// The newest event of the audit trail (its hash links the whole chain before it).
    pub audit_head: Option<Anchor>,
    /// The id of the key the audit chain is sealed with.
    pub audit_key_id: Option<String>,
}

/// Takes a consistent view of `db`. On SQLite the database is copied with `VACUUM INTO` to `sqlite_copy`
/// (a file that must not exist yet; the copy is what the backup archives). On PostgreSQL a `REPEATABLE READ`
/// transaction is begun and its snapshot exported for `pg_dump --snapshot` ([`Snapshot::exported_id`]);
/// it stays open until [`Snapshot::close`].
pub async fn take(db: &Db, sqlite_copy: &Path) -> Result<Snapshot, DbError> {
    match db.backend() {
        Backend::Sqlite => {
            db.sqlite_vacuum_into(sqlite_copy).await.expect("a SQLite pool")?;
            let copy = Db::connect_sqlite_read_only(sqlite_copy).await?;
            Ok(Snapshot { reads: Reads::Copy(copy), exported: None })
        }
        Backend::Postgres => {
            let tx = db.begin_read_snapshot().await?;
            let (id,): (String,) = tx.fetch_one(Query::new("SELECT pg_export_snapshot()")).await?;
            Ok(Snapshot { reads: Reads::Transaction(tx), exported: Some(id) })
        }
    }
}

impl Snapshot {
    /// The id of the exported PostgreSQL snapshot (`pg_dump --snapshot=<id>` dumps exactly this view while
    /// the snapshot is open); `None` on SQLite.
    pub fn exported_id(&self) -> Option<&str> {
        self.exported.as_deref()
    }

    /// The files, migrations and audit head of this view.
    pub async fn contents(&self) -> Result<Contents, DbError> {
        let files = files::referenced(self).await?;
        let migrations = crate::migrate::status_of(self).await?.applied;
        let audit_head = Anchor::head(self, chrono::Utc::now()).await?;
        let audit_key_id: Option<(String,)> =
            self.fetch_optional(Query::new("SELECT key_id FROM audit_chain WHERE id = 1")).await?;
        Ok(Contents { files, migrations, audit_head, audit_key_id: audit_key_id.map(|(k,)| k) })
    }

    /// Ends the view: closes the copy, or ends the transaction (the exported snapshot with it).
    pub async fn close(self) {
        match self.reads {
            Reads::Copy(db) => db.close().await,
            Reads::Transaction(tx) => {
                let _ = tx.rollback().await;
            }
        }
    }
}

impl Exec for Snapshot {
    fn backend(&self) -> Backend {
        match &self.reads {
            Reads::Copy(db) => db.backend(),
            Reads::Transaction(tx) => tx.backend(),
        }
    }

    fn execute(&self, query: Query) -> BoxFuture<'_, Result<u64, DbError>> {
        match &self.reads {
            Reads::Copy(db) => db.execute(query),
            Reads::Transaction(tx) => tx.execute(query),
        }
    }

    fn fetch_rows(&self, query: Query) -> BoxFuture<'_, Result<Rows, DbError>> {
        match &self.reads {
            Reads::Copy(db) => db.fetch_rows(query),
            Reads::Transaction(tx) => tx.fetch_rows(query),
        }
    }
}

/// How many tables, views and sequences the database holds besides the engine's own: 0 for a database a
/// backup may be restored into.
pub async fn relation_count(db: &Db) -> Result<i64, DbError> {
    let (count,): (i64,) = db.fetch_one(crate::dialect::relation_count(db.backend())).await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;

    #[tokio::test]
    async fn a_snapshot_lists_what_it_holds_and_ignores_later_writes() {
        let test = TestDb::new().await;
        let db = test.db();
        let store = tempfile::tempdir().unwrap();
        let store = crate::files::FileStore::new(store.path());
        let sha = store.put(b"first file").await.unwrap();
        crate::files::record(db, &sha, 10, "text/plain", "a.txt", None).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let snapshot = take(db, &dir.path().join("copy.db")).await.unwrap();
        assert_eq!(snapshot.exported_id().is_some(), db.backend() == Backend::Postgres);
        // Written after the snapshot was taken: not in it.
        let later = store.put(b"second file").await.unwrap();
        crate::files::record(db, &later, 11, "text/plain", "b.txt", None).await.unwrap();
        let contents = snapshot.contents().await.unwrap();
        assert_eq!(contents.files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>(), [sha.as_str()]);
        assert_eq!(contents.migrations, crate::migrate::status(db).await.unwrap().applied);
        assert_eq!(contents.audit_key_id, Some(crate::testing::test_audit_key().id()));
        snapshot.close().await;
        assert_eq!(crate::files::referenced(db).await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn only_an_empty_database_counts_no_relations() {
        let empty = TestDb::empty().await;
        assert_eq!(relation_count(empty.db()).await.unwrap(), 0);
        let migrated = TestDb::new().await;
        assert!(relation_count(migrated.db()).await.unwrap() > 20);
    }
}
