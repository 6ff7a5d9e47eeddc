//! `tiendo demo`: a fresh SQLite database with the reference story of DESIGN.md §2 (Quảng Ninh), the
//! demo accounts printed, then the server.
//!
//! The story has two times. The 2020 story (Nghị quyết 07-NQ/TU, the working visit of 27/02/2020 and its
//! news article) is recorded on the days it happened and ends as it did, every directive closed by the
//! end of 2020. The current work (the plan implementing Nghị quyết 57-NQ/TW after the 2025 reform, a
//! working visit of about forty days ago, the editor's week) is generated relative to the day the demo is
//! loaded, so that what is overdue, due soon or waiting looks like a department's week whatever the
//! date. Every step goes through the use cases, on its day, by the account that took it.

use std::path::Path;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use tiendo_db::{Db, Exec, Query, migrate};

use crate::config::Config;
use crate::serve::{self, MigrationPolicy};

pub mod accounts;
pub mod certificates;
pub mod contracts;
pub mod current;
mod directory;
mod indicators;
pub mod monitoring;
pub mod portal;
pub mod recent;
pub mod reporting;
pub mod sci_tech;
mod story;
pub mod visits;

/// The file that marks a directory as created by `tiendo demo`, so that only such a directory is ever
/// deleted.
pub const MARKER: &str = ".tiendo-demo";

/// Deletes a previous demo directory and creates a new one with its marker.
pub fn reset_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let is_demo = dir.join(MARKER).exists();
        let is_empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !is_demo && !is_empty {
            bail!(
                "refusing to delete {}: it is not a directory created by `tiendo demo`; choose another with --data-dir",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .map_err(|e| anyhow!("cannot delete the previous demo in {}: {e}", dir.display()))?;
    }
    serve::prepare_data_dir(dir)?;
    std::fs::write(dir.join(MARKER), b"Created by `tiendo demo`; deleted and recreated by the next run.\n")
        .map_err(|e| anyhow!("cannot write to {}: {e}", dir.display()))?;
    Ok(())
}

/// A demo account to print.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// The login name.
    pub username: String,
    /// The password.
    pub password: String,
    /// What the account shows.
    pub role: String,
}

/// Loads the demo scenario into a migrated database (the portal's photos into `files`) for today, and
/// returns the accounts to print.
pub async fn seed(db: &Db, files: &tiendo_db::files::FileStore) -> anyhow::Result<Vec<DemoAccount>> {
    seed_on(db, files, Utc::now()).await
}

/// Loads the demo scenario as if loaded at `now`: the current work is generated relative to that day.
pub async fn seed_on(
    db: &Db,
    files: &tiendo_db::files::FileStore,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<DemoAccount>> {
    db.execute(
        Query::new("INSERT INTO settings (key, value, updated_at) VALUES ('demo.scenario', 'quang-ninh', $1)")
            .bind(now),
    )
    .await?;
    // The application the use cases of the demo's story run in, each step at its own moment.
    let app = tiendo_app::App::new(db.clone(), files.clone(), tiendo_app::Settings::default());
    let installed = accounts::installed();
    accounts::bootstrap(&app).await.context("the administrator")?;
    directory::seed(&app, installed).await.context("the directory")?;
    accounts::attach_administrator(&app).await?;
    let vi = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
    let en = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::En);
    let role_label = tiendo_app::identity::role_label;
    let printed = accounts::seed(&app, |role| format!("{} / {}", role_label(&vi, role), role_label(&en, role))).await?;
    let story = story::Story::new(&app, now).await?;
    monitoring::seed(&story).await?;
    visits::seed(&story).await?;
    sci_tech::seed(&story).await.context("the S&T tasks")?;
    certificates::seed(&story).await.context("the S&T enterprise certificates")?;
    contracts::seed(&story).await.context("the S&T tasks under contract")?;
    reporting::seed(&app.at(now)).await?;
    current::seed(&story).await?;
    recent::seed(&story).await?;
    indicators::seed(&story).await.context("the indicators")?;
    portal::seed(&story).await.context("the portal")?;
    // Everyone read their notifications up to a week ago (the printed accounts and those the stories made,
    // such as the enterprises' applicants); the week's are new.
    let read_until = app.at(now - Duration::days(7));
    let readers: Vec<(String,)> = db
        .fetch_all(Query::new(
            "SELECT DISTINCT u.username FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.read_at IS NULL ORDER BY u.username",
        ))
        .await?;
    for (username,) in &readers {
        let session = story::account(db, username).await?;
        tiendo_app::notifications::mark_all_read(&read_until, &session).await?;
    }
    Ok(printed)
}

/// `tiendo demo`.
pub async fn run(config: Config, serve_after: bool) -> anyhow::Result<()> {
    // By default its own SQLite database in the data directory, recreated each run. A PostgreSQL database
    // is accepted only when it is empty (a trial of the larger set-up, and CI's fuzzing of two instances):
    // the demo never overwrites data it did not create.
    let postgres = config.database_url.clone().filter(|url| !url.starts_with("sqlite:"));
    if let Some(url) = &postgres {
        let probe = Config { database_url: Some(url.clone()), ..Config::default() };
        let db = serve::connect(&probe).await?;
        let status = migrate::status(&db).await.map_err(|e| anyhow!("cannot read the schema version: {e}"))?;
        let empty = status.applied.is_empty();
        db.close().await;
        if !empty {
            bail!(
                "the demo loads only into an empty PostgreSQL database, and {} has Tiến Độ's tables; create a new \
                 database for it or drop --database-url to use the demo's own SQLite database",
                crate::config::mask_url_password(url)
            );
        }
    }
    // Its own key and anchors too: they belong to the database the demo recreates.
    let config = Config { database_url: postgres, audit_key_file: None, audit_anchor_file: None, ..config };
    // Bind first: if the port is taken, the previous demo is left as it was.
    let listener = if serve_after { Some(serve::bind(&config).await?) } else { None };
    reset_dir(&config.data_dir)?;
    let db = serve::open_database(&config, MigrationPolicy::Apply).await?;
    let accounts = seed(&db, &tiendo_db::files::FileStore::new(config.data_dir.join("files"))).await?;
    crate::audit_chain::anchor(&db, &config).await?;
    print_banner(&config, listener.as_ref().and_then(|l| l.local_addr().ok()), &accounts);
    match listener {
        Some(listener) => serve::serve_on(listener, db, &config).await,
        None => {
            db.close().await;
            Ok(())
        }
    }
}

fn print_banner(config: &Config, addr: Option<std::net::SocketAddr>, accounts: &[DemoAccount]) {
    println!();
    println!("  Tiến Độ — bản trình diễn / demo");
    println!("  Dữ liệu / data: {}", config.data_dir.display());
    if let Some(addr) = addr {
        println!("  Mở / open:      http://{addr}");
    }
    if accounts.is_empty() {
        println!("  Tài khoản / accounts: chưa có tài khoản nào / none yet");
    } else {
        println!("  Tài khoản demo / demo accounts (mật khẩu / password: {}):", accounts[0].password);
        for a in accounts {
            println!("    {:<13} {}", a.username, a.role);
        }
    }
    println!();
}
