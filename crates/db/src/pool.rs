//! Connection pools for both backends behind one type.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolOptions;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use tokio::sync::Mutex;

use crate::audit::AuditKey;
use crate::error::DbError;

/// The database engine behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// A short lowercase name (`sqlite`, `postgres`) for logs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A parsed database URL: which backend, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// `sqlite://<path>` or `sqlite:<path>`.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, kept as written.
    Postgres(String),
}

impl DbUrl {
    /// Parses a URL, rejecting unknown schemes with a message that shows the accepted forms.
    pub fn parse(url: &str) -> Result<DbUrl, DbError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(DbError::UnsupportedUrl(url.to_owned()));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        Err(DbError::UnsupportedUrl(url.to_owned()))
    }

    /// The URL of a SQLite file.
    pub fn sqlite_file(path: &Path) -> String {
        format!("sqlite://{}", path.display())
    }

    /// The backend this URL selects.
    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite(_) => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Pool {
    /// SQLite allows one writer at a time. Writers queue for the single connection of `writer` (in order,
    /// without sleeping), while reads run in parallel on `reader`: letting several connections contend for
    /// the write lock would make SQLite's busy handler sleep in growing steps, which shows as latency.
    Sqlite {
        reader: SqlitePool,
        writer: SqlitePool,
    },
    Postgres(PgPool),
}

impl Pool {
    /// The SQLite pool a statement should run on: reads on the reader pool, everything else on the writer.
    pub(crate) fn sqlite_for(&self, sql: &str) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite { reader, writer } => Some(if is_read(sql) { reader } else { writer }),
            Pool::Postgres(_) => None,
        }
    }
}

/// Whether a statement only reads: it starts with SELECT, or WITH and contains no data change.
pub(crate) fn is_read(sql: &str) -> bool {
    let head = sql.trim_start().get(..6).unwrap_or_default().to_ascii_uppercase();
    if head.starts_with("SELECT") {
        return true;
    }
    if head.starts_with("WITH") {
        let upper = sql.to_ascii_uppercase();
        return !["INSERT ", "UPDATE ", "DELETE "].iter().any(|k| upper.contains(k));
    }
    false
}

/// A handle on the database: cheap to clone, safe to share between tasks.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: Arc<Pool>,
    /// The secret that keys the audit chain. A handle opened without one gets a random key of its own, so
    /// that what it appends can never pass `tiendo audit verify` by accident: the server and the command
    /// line set the installation's key with [`Db::with_audit_key`].
    audit_key: Arc<AuditKey>,
    /// How many statements ran on the pool (outside transactions), shared by the clones.
    pub(crate) statements: Arc<std::sync::atomic::AtomicU64>,
}

/// SQLite connection settings: WAL for concurrent readers, foreign keys enforced, a busy timeout so that
/// writers wait for each other instead of failing.
fn sqlite_options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("temp_store", "memory")
}

/// How many rows a SQLite connection's thread may read ahead of the task that consumes them. SQLite runs on a
/// thread of its own per connection and hands rows over one by one; with sqlx's default of 50 the two
/// threads wait for each other every few rows, and a dashboard that reads 20,000 rows spent most of its
/// time switching threads (issue 6 benchmark). A few thousand small rows ahead cost little memory.
const SQLITE_ROW_BUFFER: usize = 4096;

/// How long a request waits for a PostgreSQL connection before it is answered 503: while the server is
/// down a request must fail fast (and `/readyz` say so within two seconds), not queue for the pool.
pub const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

impl Db {
    fn new(pool: Pool) -> Db {
        Db { pool: Arc::new(pool), audit_key: Arc::new(AuditKey::generate()), statements: Arc::default() }
    }

    /// The same database, with `key` keying the audit events appended through it.
    #[must_use]
    pub fn with_audit_key(self, key: AuditKey) -> Db {
        Db { pool: self.pool, audit_key: Arc::new(key), statements: self.statements }
    }

    /// The key of the audit chain.
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    /// Connects to the database named by `url`.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        match DbUrl::parse(url)? {
            DbUrl::Sqlite(path) => Db::connect_sqlite(&path).await,
            DbUrl::Postgres(url) => {
                let options = PgConnectOptions::from_str(&url).map_err(DbError::Connect)?;
                Db::connect_postgres(options).await
            }
        }
    }

    /// Opens (creating if missing) a SQLite database file.
    pub async fn connect_sqlite(path: &Path) -> Result<Db, DbError> {
        // The writer first: it creates the file and switches it to WAL before readers open it.
        let writer = PoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(sqlite_options(path))
            .await
            .map_err(DbError::Connect)?;
        let reader = PoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(sqlite_options(path).row_buffer_size(SQLITE_ROW_BUFFER))
            .await
            .map_err(DbError::Connect)?;
        Ok(Db::new(Pool::Sqlite { reader, writer }))
    }

    /// Connects to PostgreSQL with explicit options; a request waits at most [`PG_ACQUIRE_TIMEOUT`] for a
    /// connection.
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Db, DbError> {
        Db::connect_postgres_waiting(options, PG_ACQUIRE_TIMEOUT).await
    }

    /// Connects to PostgreSQL with explicit options and this bound on the wait for a connection (the test
    /// harness waits as long as the SQLite pools do, so that a machine loaded far past its cores does not
    /// turn tests into 503s; the servers keep [`PG_ACQUIRE_TIMEOUT`], which the outage tests check).
    pub async fn connect_postgres_waiting(options: PgConnectOptions, acquire_timeout: Duration) -> Result<Db, DbError> {
        // One direct connection first: the pool would retry a refused connection until its acquire
        // timeout, while a wrong host or password should be reported at once.
        let probe = <sqlx::PgConnection as sqlx::Connection>::connect_with(&options).await.map_err(DbError::Connect)?;
        let _ = sqlx::Connection::close(probe).await;
        let pool = PoolOptions::new()
            .max_connections(16)
            .acquire_timeout(acquire_timeout)
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db::new(Pool::Postgres(pool)))
    }

    /// Which engine this handle talks to.
    pub fn backend(&self) -> Backend {
        match &*self.pool {
            Pool::Sqlite { .. } => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// How many statements this handle and its clones ran on the pool (not counting those inside
    /// transactions): tests compare it before and after a request to show that a list reads a page
    /// without one query per row.
    pub fn statements_run(&self) -> u64 {
        self.statements.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Checks that the database answers (`SELECT 1`).
    pub async fn ping(&self) -> Result<(), DbError> {
        use crate::query::Exec as _;
        self.execute(crate::Query::new("SELECT 1")).await.map(|_| ())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so two
    /// transactions that read and then write wait for each other instead of failing with "database is
    /// locked".
    pub async fn begin(&self) -> Result<Tx, DbError> {
        let inner = match &*self.pool {
            Pool::Sqlite { writer, .. } => TxInner::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx { backend: self.backend(), audit_key: Arc::clone(&self.audit_key), inner: Mutex::new(Some(inner)) })
    }

    /// Begins a read-only transaction that sees the database as it was at its start while others keep
    /// writing: `REPEATABLE READ` on PostgreSQL (whose snapshot [`crate::backup`] exports to `pg_dump`), a
    /// deferred transaction on a SQLite reader (WAL keeps its view fixed from its first read).
    pub(crate) async fn begin_read_snapshot(&self) -> Result<Tx, DbError> {
        let inner = match &*self.pool {
            Pool::Sqlite { reader, .. } => TxInner::Sqlite(reader.begin().await?),
            Pool::Postgres(pool) => {
                TxInner::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?)
            }
        };
        Ok(Tx { backend: self.backend(), audit_key: Arc::clone(&self.audit_key), inner: Mutex::new(Some(inner)) })
    }

    /// Opens a SQLite file read-only (a backup's copy): nothing is created, nothing written, the journal
    /// mode is left as it is.
    pub async fn connect_sqlite_read_only(path: &Path) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true).foreign_keys(true);
        let pool = PoolOptions::new().max_connections(1).connect_with(options).await.map_err(DbError::Connect)?;
        Ok(Db::new(Pool::Sqlite { reader: pool.clone(), writer: pool }))
    }

    /// Runs `VACUUM INTO` on a SQLite reader: a compact copy of the database as of one instant, while
    /// writers go on (it reads in one transaction). `None` on PostgreSQL.
    pub(crate) async fn sqlite_vacuum_into(&self, target: &Path) -> Option<Result<(), DbError>> {
        let Pool::Sqlite { reader, .. } = &*self.pool else { return None };
        let target = target.to_string_lossy().into_owned();
        Some(sqlx::query("VACUUM INTO $1").bind(target).execute(reader).await.map(|_| ()).map_err(DbError::from))
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match &*self.pool {
            Pool::Sqlite { reader, writer } => {
                reader.close().await;
                writer.close().await;
            }
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

pub(crate) enum TxInner {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A database transaction. Statements run through it with the same [`crate::Exec`] methods as on a
/// [`Db`]; nothing is visible to others until [`Tx::commit`]. Dropped without commit, it rolls back.
pub struct Tx {
    backend: Backend,
    audit_key: Arc<AuditKey>,
    pub(crate) inner: Mutex<Option<TxInner>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Tx {
    /// Which engine this transaction runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The key of the audit chain, for the events appended in this transaction.
    pub(crate) fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    /// Makes the transaction's changes permanent.
    pub async fn commit(self) -> Result<(), DbError> {
        match self.inner.into_inner() {
            Some(TxInner::Sqlite(tx)) => tx.commit().await?,
            Some(TxInner::Postgres(tx)) => tx.commit().await?,
            None => {}
        }
        Ok(())
    }

    /// Discards the transaction's changes.
    pub async fn rollback(self) -> Result<(), DbError> {
        match self.inner.into_inner() {
            Some(TxInner::Sqlite(tx)) => tx.rollback().await?,
            Some(TxInner::Postgres(tx)) => tx.rollback().await?,
            None => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_are_told_apart() {
        assert!(is_read("SELECT 1"));
        assert!(is_read("  select id FROM t"));
        assert!(is_read("WITH RECURSIVE up (id) AS (SELECT 1) SELECT id FROM up"));
        assert!(!is_read("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"));
        assert!(!is_read("INSERT INTO t VALUES (1) RETURNING id"));
        assert!(!is_read("UPDATE jobs SET status = 'running' WHERE id = (SELECT id FROM jobs) RETURNING id"));
        assert!(!is_read("VACUUM INTO '/tmp/x.db'"));
    }

    #[test]
    fn urls_select_the_backend_or_are_rejected() {
        assert_eq!(DbUrl::parse("sqlite://data/t.db").unwrap(), DbUrl::Sqlite("data/t.db".into()));
        assert_eq!(DbUrl::parse("sqlite:/abs/t.db?mode=rwc").unwrap(), DbUrl::Sqlite("/abs/t.db".into()));
        assert_eq!(DbUrl::parse("postgres://u@h/db").unwrap().backend(), Backend::Postgres);
        assert_eq!(DbUrl::parse("postgresql://u@h/db").unwrap().backend(), Backend::Postgres);
        assert!(matches!(DbUrl::parse("mysql://u@h/db"), Err(DbError::UnsupportedUrl(_))));
        assert!(matches!(DbUrl::parse("sqlite://"), Err(DbError::UnsupportedUrl(_))));
    }
}
