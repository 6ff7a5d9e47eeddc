//! A fresh, migrated database for every test, on the backend named by `TEST_DATABASE_URL`
//! (SQLite when unset), so the whole suite runs on either backend, in parallel.
//!
//! Migrating from scratch for every test would be slow once reference data is loaded, so each test
//! process migrates a template once and every test gets a copy: a file copy (`VACUUM INTO`) on SQLite, a
//! `CREATE DATABASE … TEMPLATE` on PostgreSQL. The PostgreSQL template is named after the migration
//! fingerprint and shared between test processes.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{AssertSqlSafe, Connection};

pub mod fixtures;
pub mod generator;

use crate::pool::{Db, DbUrl};
use crate::query::{Exec, Query};

/// The environment variable naming the test backend, e.g.
/// `postgres://postgres:postgres@127.0.0.1:5432/postgres`.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// How long a test's request waits for a PostgreSQL connection: as long as the SQLite writer, not the
/// servers' two seconds, so that tests stay deterministic on a machine loaded far past its cores.
const TEST_ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

enum Template {
    Sqlite { _dir: tempfile::TempDir, path: PathBuf },
    Postgres { admin: Box<PgConnectOptions>, url: String, name: String },
}

/// The template is created on a separate thread with its own runtime, because each test runs in its own
/// runtime and connections cannot outlive the runtime that made them.
fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the test template");
            runtime.block_on(create_template())
        })
        .join()
        .expect("creating the test database template panicked")
    })
}

async fn create_template() -> Template {
    match std::env::var(TEST_DATABASE_URL).ok().filter(|u| !u.trim().is_empty()) {
        None => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let path = dir.path().join("template.db");
            let db = Db::connect_sqlite(&path).await.expect("open the SQLite template");
            crate::migrate::run(&db).await.expect("migrate the SQLite template");
            db.close().await;
            Template::Sqlite { _dir: dir, path }
        }
        Some(url) => match DbUrl::parse(&url).expect("TEST_DATABASE_URL must be a sqlite: or postgres:// URL") {
            DbUrl::Sqlite(_) => {
                panic!("TEST_DATABASE_URL is for PostgreSQL; leave it unset to test on SQLite")
            }
            DbUrl::Postgres(url) => create_pg_template(&url).await,
        },
    }
}

async fn create_pg_template(url: &str) -> Template {
    let admin = PgConnectOptions::from_str(url).expect("a valid TEST_DATABASE_URL");
    let name = format!("tiendo_tpl_{}", crate::migrate::fingerprint());
    let mut conn = PgConnection::connect_with(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL ({url}): {e}"));
    // Serialise template creation between test processes.
    sqlx::query("SELECT pg_advisory_lock(7262025)").execute(&mut conn).await.expect("lock");
    let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .expect("look up the template");
    if exists.is_none() {
        let building = format!("{name}_building");
        sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")))
            .execute(&mut conn)
            .await
            .expect("drop a half-built template");
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut conn)
            .await
            .expect("create the template database");
        let db = Db::connect_postgres_waiting(admin.clone().database(&building), TEST_ACQUIRE_TIMEOUT)
            .await
            .expect("connect to the template");
        crate::migrate::run(&db).await.expect("migrate the PostgreSQL template");
        db.close().await;
        // Renamed only once complete, so a crash never leaves a half-migrated template behind.
        sqlx::query(AssertSqlSafe(format!("ALTER DATABASE {building} RENAME TO {name}")))
            .execute(&mut conn)
            .await
            .expect("publish the template");
        // The creation time, so that templates of other migration sets are dropped only once they are old
        // enough not to be in use by a test run of another branch.
        let now = chrono::Utc::now().timestamp();
        sqlx::query(AssertSqlSafe(format!("COMMENT ON DATABASE {name} IS 'tiendo test template {now}'")))
            .execute(&mut conn)
            .await
            .expect("stamp the template");
        let others: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database \
             WHERE datname LIKE 'tiendo\\_tpl\\_%' AND datname <> $1",
        )
        .bind(&name)
        .fetch_all(&mut conn)
        .await
        .expect("list templates");
        for (old, comment) in others {
            let created = comment.and_then(|c| c.rsplit(' ').next().and_then(|t| t.parse::<i64>().ok()));
            if created.is_none_or(|t| now - t > 6 * 3600) {
                let _ = sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)")))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(7262025)").execute(&mut conn).await.expect("unlock");
    let _ = conn.close().await;
    Template::Postgres { admin: Box::new(admin), url: url.to_owned(), name }
}

/// The audit key of every test database, in hex (for tests that start the real binary on one:
/// `TIENDO_AUDIT_KEY`).
pub const TEST_AUDIT_KEY: &str = "7e57a0d17e57a0d17e57a0d17e57a0d17e57a0d17e57a0d17e57a0d17e57a0d1";

/// The audit key of every test database.
pub fn test_audit_key() -> crate::audit::AuditKey {
    crate::audit::AuditKey::from_hex(TEST_AUDIT_KEY).expect("the test key is 64 hex digits")
}

/// A database a test process builds once (a copy of the migrated template, then `build` run on it, on a
/// runtime of its own) and copies for every test that asks: the demo's story, loaded once rather than by each
/// test that reads it. `SeededDb` lives in a `static`; the source outlives the tests (on PostgreSQL it is
/// named `tiendo_tpl_seed_…` and dropped with the old templates, see `create_pg_template`).
pub struct SeededDb {
    source: OnceLock<Template>,
}

/// What builds a [`SeededDb`]'s source.
pub type Build = fn(Db) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

impl SeededDb {
    /// An empty cell, built on first use.
    pub const fn new() -> SeededDb {
        SeededDb { source: OnceLock::new() }
    }

    /// A fresh copy of the source, built by `build` the first time (every caller must pass the same).
    pub async fn copy(&'static self, build: Build) -> TestDb {
        let source = self.source.get_or_init(|| {
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the seeded database");
                runtime.block_on(async move {
                    let test = TestDb::new().await;
                    build(test.db.clone()).await;
                    test.db.close().await;
                    test.into_source().await
                })
            })
            .join()
            .expect("building the seeded test database panicked")
        });
        let mut copy = TestDb::copy(source, true).await;
        copy.db = copy.db.clone().with_audit_key(test_audit_key());
        copy
    }
}

impl Default for SeededDb {
    fn default() -> Self {
        SeededDb::new()
    }
}

/// A database that exists for one test and is removed when dropped.
pub struct TestDb {
    db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The directory holding the database file, removed on drop.
    Sqlite(tempfile::TempDir),
    Postgres {
        admin: Box<PgConnectOptions>,
        url: String,
        name: String,
    },
}

impl TestDb {
    /// A fresh copy of the migrated template.
    pub async fn new() -> TestDb {
        TestDb::create(true).await
    }

    /// A fresh database with no schema at all, for tests of migration and start-up.
    pub async fn empty() -> TestDb {
        TestDb::create(false).await
    }

    async fn create(migrated: bool) -> TestDb {
        let mut test = TestDb::copy(template(), migrated).await;
        test.db = test.db.clone().with_audit_key(test_audit_key());
        if migrated {
            crate::audit::chain::seal(&test.db, chrono::Utc::now()).await.expect("seal the test audit chain");
        }
        test
    }

    async fn copy(template: &Template, migrated: bool) -> TestDb {
        match template {
            Template::Sqlite { .. } if !migrated => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let db = Db::connect_sqlite(&dir.path().join("test.db")).await.expect("create the test database");
                TestDb { db, cleanup: Cleanup::Sqlite(dir) }
            }
            Template::Sqlite { path, .. } => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let copy = dir.path().join("test.db");
                let source = Db::connect_sqlite(path).await.expect("open the template");
                source
                    .execute(Query::new("VACUUM INTO $1").bind(copy.to_string_lossy().into_owned()))
                    .await
                    .expect("copy the template");
                source.close().await;
                let db = Db::connect_sqlite(&copy).await.expect("open the test database");
                TestDb { db, cleanup: Cleanup::Sqlite(dir) }
            }
            Template::Postgres { admin, url, name } => {
                let test_name = format!("tiendo_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect_with(admin).await.expect("connect to PostgreSQL");
                let create = if migrated {
                    format!("CREATE DATABASE {test_name} TEMPLATE {name}")
                } else {
                    format!("CREATE DATABASE {test_name}")
                };
                sqlx::query(AssertSqlSafe(create)).execute(&mut conn).await.expect("copy the template database");
                let _ = conn.close().await;
                let db = Db::connect_postgres_waiting(
                    PgConnectOptions::clone(admin).database(&test_name),
                    TEST_ACQUIRE_TIMEOUT,
                )
                .await
                .expect("connect");
                TestDb {
                    db,
                    cleanup: Cleanup::Postgres {
                        admin: admin.clone(),
                        url: with_database(url, &test_name),
                        name: test_name,
                    },
                }
            }
        }
    }

    /// This database as the source of copies, kept (not removed) until the test process ends; on PostgreSQL
    /// renamed and stamped like a template, so that a later template build drops it once old.
    async fn into_source(self) -> Template {
        // `Drop` would remove the database: read its fields through `ManuallyDrop` instead.
        let this = std::mem::ManuallyDrop::new(self);
        match &this.cleanup {
            Cleanup::Sqlite(dir) => {
                let kept = tempfile::tempdir().expect("a temporary directory");
                let path = kept.path().join("source.db");
                std::fs::copy(dir.path().join("test.db"), &path).expect("keep the seeded database");
                for suffix in ["-wal", "-shm"] {
                    let from = dir.path().join(format!("test.db{suffix}"));
                    if from.exists() {
                        std::fs::copy(&from, kept.path().join(format!("source.db{suffix}"))).expect("keep its log");
                    }
                }
                let _ = std::fs::remove_dir_all(dir.path());
                Template::Sqlite { _dir: kept, path }
            }
            Cleanup::Postgres { admin, url, name } => {
                let source = format!("tiendo_tpl_seed_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::connect_with(admin).await.expect("connect to PostgreSQL");
                sqlx::query(AssertSqlSafe(format!("ALTER DATABASE {name} RENAME TO {source}")))
                    .execute(&mut conn)
                    .await
                    .expect("keep the seeded database");
                let now = chrono::Utc::now().timestamp();
                sqlx::query(AssertSqlSafe(format!("COMMENT ON DATABASE {source} IS 'tiendo test template {now}'")))
                    .execute(&mut conn)
                    .await
                    .expect("stamp the seeded database");
                let _ = conn.close().await;
                Template::Postgres { admin: admin.clone(), url: with_database(url, &source), name: source }
            }
        }
    }

    /// The database handle.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The URL of this test database, for tests that start the real binary.
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => DbUrl::sqlite_file(&dir.path().join("test.db")),
            Cleanup::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin, name, .. } = &self.cleanup {
            let admin = admin.clone();
            let name = name.clone();
            // Dropping needs async I/O, and drop runs inside the test's runtime: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async move {
                    let mut conn = PgConnection::connect_with(&admin).await.ok()?;
                    sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&mut conn)
                        .await
                        .ok()?;
                    conn.close().await.ok()
                })
            })
            .join();
        }
    }
}

/// Replaces the database name in a PostgreSQL URL, keeping credentials and parameters.
fn with_database(url: &str, database: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(slash) => &head[..authority_start + slash],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn with_database_keeps_credentials_and_parameters() {
        assert_eq!(with_database("postgres://u:p@h:5432/postgres", "t1"), "postgres://u:p@h:5432/t1");
        assert_eq!(with_database("postgres://u@h?sslmode=disable", "t1"), "postgres://u@h/t1?sslmode=disable");
    }
}
