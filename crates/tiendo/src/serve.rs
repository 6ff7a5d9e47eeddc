//! `tiendo serve`: open the database, check the schema, bind the port, run the server and the job
//! workers until a shutdown signal.

use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use tiendo_db::{Backend, Db, DbError, DbUrl, migrate};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{Config, mask_url_password};
use crate::jobs;

/// Creates the data directory if needed and checks that it is writable.
pub fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        anyhow!(
            "cannot create the data directory {}: {}; choose another with --data-dir or fix its permissions",
            dir.display(),
            io_reason(&e)
        )
    })?;
    let probe = dir.join(".tiendo-write-test");
    std::fs::write(&probe, b"ok").map_err(|e| {
        anyhow!(
            "cannot write to the data directory {}: {}; choose another with --data-dir or fix its permissions",
            dir.display(),
            io_reason(&e)
        )
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        _ => e.to_string(),
    }
}

/// How to treat pending migrations when opening the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationPolicy {
    /// Apply them (SQLite always; PostgreSQL with `--migrate` or `tiendo migrate`).
    Apply,
    /// Refuse to continue on an out-of-date schema.
    RequireCurrent,
}

/// For the commands that read an existing installation (`backup`, `check`): a SQLite database file that does
/// not exist is an error naming where it was looked for, rather than an empty database created there.
pub fn require_sqlite_file(config: &Config) -> anyhow::Result<()> {
    if let DbUrl::Sqlite(path) = DbUrl::parse(&config.database_url()).map_err(|e| anyhow!("{e}"))?
        && !path.exists()
    {
        bail!("there is no database at {}; check --data-dir or --database-url", path.display());
    }
    Ok(())
}

/// Connects to the configured database with a message that names the problem and the way out.
pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let url = config.database_url();
    let parsed = DbUrl::parse(&url).map_err(|e| anyhow!("{e}"))?;
    if matches!(parsed, DbUrl::Sqlite(_)) || config.database_url.is_none() {
        prepare_data_dir(&config.data_dir)?;
    }
    if let DbUrl::Sqlite(path) = &parsed
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        prepare_data_dir(parent)?;
    }
    let shown = mask_url_password(&url);
    match tokio::time::timeout(Duration::from_secs(20), Db::connect(&url)).await {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(DbError::Connect(err))) => Err(anyhow!(
            "cannot connect to the database at {shown}: {}; check that the server is running and that \
             --database-url (or TIENDO_DATABASE_URL) is right",
            connect_reason(&err)
        )),
        Ok(Err(other)) => Err(anyhow!("cannot open the database at {shown}: {other}")),
        Err(_) => {
            Err(anyhow!("the database at {shown} did not answer within 20 seconds; check the host and the network"))
        }
    }
}

fn connect_reason(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

/// Opens the database, brings or checks its schema according to `policy`, and keys its audit chain with
/// the installation's key (see [`crate::audit_chain`]).
pub async fn open_database(config: &Config, policy: MigrationPolicy) -> anyhow::Result<Db> {
    let db = open_schema(config, policy).await?;
    crate::audit_chain::keyed(db, config).await
}

/// Opens the database and brings or checks its schema according to `policy`.
pub async fn open_schema(config: &Config, policy: MigrationPolicy) -> anyhow::Result<Db> {
    let db = connect(config).await?;
    let status = migrate::status(&db).await.map_err(|e| anyhow!("cannot read the schema version: {e}"))?;
    if !status.unknown.is_empty() {
        bail!(
            "the database was migrated by a newer version of tiendo (migrations {:?} are unknown to this binary); \
             run the newer version or restore a backup",
            status.unknown
        );
    }
    if !status.pending.is_empty() {
        match (policy, db.backend()) {
            (MigrationPolicy::Apply, _) | (_, Backend::Sqlite) => {
                let applied = migrate::run(&db).await.map_err(|e| anyhow!("migration failed: {e}"))?;
                tracing::info!(?applied, "database migrated");
            }
            (MigrationPolicy::RequireCurrent, Backend::Postgres) => bail!(
                "the database schema is out of date ({} pending migration(s)); run `tiendo migrate` first or \
                 start with `tiendo serve --migrate`",
                status.pending.len()
            ),
        }
    }
    Ok(db)
}

/// `tiendo migrate`.
pub async fn migrate_only(config: &Config) -> anyhow::Result<Vec<i64>> {
    let db = connect(config).await?;
    let applied = migrate::run(&db).await.map_err(|e| anyhow!("migration failed: {e}"))?;
    db.close().await;
    Ok(applied)
}

/// Binds the listening socket with a message for the usual failures.
pub async fn bind(config: &Config) -> anyhow::Result<TcpListener> {
    let addr = config.listen_addr();
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow!(
            "cannot listen on {addr}: the address is already in use; stop the other program or choose another \
             port with --listen"
        ),
        ErrorKind::PermissionDenied => anyhow!(
            "cannot listen on {addr}: permission denied (ports below 1024 need privileges); choose another port \
             with --listen"
        ),
        ErrorKind::AddrNotAvailable => {
            anyhow!("cannot listen on {addr}: this machine has no such address; use 127.0.0.1 or 0.0.0.0")
        }
        _ => anyhow!("cannot listen on {addr}: {e}"),
    })
}

/// Resolves when the process receives Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// How often the search index reads the audit trail: a change is searchable within about a second.
const SEARCH_POLL: Duration = Duration::from_millis(500);

/// Serves on a bound listener until shutdown, with the job workers and the scheduler alongside.
pub async fn serve_on(listener: TcpListener, db: Db, config: &Config) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mailer = match &config.smtp_url {
        Some(url) => Some(crate::mail::Mailer::new(url, &config.mail_from)?),
        None => None,
    };
    let files = config.file_store()?;
    files.probe().await.map_err(|e| anyhow::anyhow!("{e}; check the files_* settings (`tiendo config`)"))?;
    let mut application =
        tiendo_app::App::new(db.clone(), files, config.site_settings()).with_search(crate::search::engine(config));
    if let Some(url) = &config.database_replica_url {
        let replica = Db::connect(url).await.with_context(|| {
            format!("connect to the read replica (database_replica_url = {})", crate::config::mask_url_password(url))
        })?;
        anyhow::ensure!(
            replica.backend() == db.backend(),
            "the read replica (database_replica_url) must be a copy of the primary database, on the same kind of server"
        );
        tracing::info!(
            "dashboards and lists read the replica (lag allowed: {} s)",
            config.database_replica_max_lag_seconds
        );
        application = application.with_replica(replica, config.database_replica_max_lag_seconds);
    }
    let runner = jobs::Runner::new(jobs::JobContext::new(application.clone(), mailer), jobs::registry(config));
    let mut tasks = Vec::new();
    for n in 0..config.job_workers {
        tasks.push(tokio::spawn(runner.clone().work(format!("worker-{n}"), stop_rx.clone())));
    }
    tasks.push(tokio::spawn(jobs::schedule(db.clone(), jobs::schedules(), stop_rx.clone())));
    crate::audit_chain::check_latest_anchor(&db, config).await;
    tasks.push(tokio::spawn(crate::audit_chain::run(db.clone(), config.clone(), stop_rx.clone())));
    // The search index follows the audit trail (and rebuilds itself first when missing or damaged).
    tasks.push(tokio::spawn(tiendo_app::search::follow(application.clone(), SEARCH_POLL, stop_rx.clone())));

    let app = tiendo_web::router(tiendo_web::AppState::from_app(application));
    let addr = listener.local_addr().context("read the listening address")?;
    tracing::info!(%addr, backend = db.backend().name(), "Tiến Độ is listening on http://{addr}");
    let result = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    let _ = stop_tx.send(true);
    for task in tasks {
        let _ = task.await;
    }
    db.close().await;
    result.context("the HTTP server stopped")
}

/// `tiendo serve`.
pub async fn run(config: Config, migrate: bool) -> anyhow::Result<()> {
    let policy = if migrate { MigrationPolicy::Apply } else { MigrationPolicy::RequireCurrent };
    let db = open_database(&config, policy).await?;
    let listener = bind(&config).await?;
    serve_on(listener, db, &config).await
}
