//! `tiendo backup <file>`: the database, the file store and the audit key and anchors in one archive, taken
//! while the server keeps serving, with a manifest of every member's SHA-256; and `tiendo restore <file>`
//! ([`restore`]).
//!
//! The order makes the archive consistent. The backup is recorded in the audit trail first (the archive
//! holds the event of its own making); the anchor file is read next (every anchor in it then names an event
//! the snapshot holds); then the database is snapshotted (`VACUUM INTO` on SQLite, an exported
//! `REPEATABLE READ` snapshot that `pg_dump` joins on PostgreSQL) and the files the snapshot refers to are
//! copied: files are written to the store before the row that names them commits and are never deleted, so
//! every one of them is there. Files uploaded after the snapshot are not in the archive, nor their rows.

pub mod archive;
pub mod manifest;
pub mod postgres;
pub mod restore;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, anyhow, bail};
use chrono::Utc;
use tiendo_db::Backend;
use tiendo_db::files::{FileStore, StoredFile};

use self::archive::{ArchiveWriter, Packing};
use self::manifest::{AuditHead, FORMAT, FORMAT_VERSION, Manifest, Schema};
use crate::config::Config;
use crate::progress::{ProgressBar, Unit, grouped};

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The archive.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// The manifest written into it.
    pub manifest: Manifest,
    /// How long it took.
    pub seconds: f64,
}

/// The file store of a configuration: its bucket, or `<data_dir>/files`.
pub fn file_store(config: &Config) -> anyhow::Result<FileStore> {
    config.file_store()
}

/// `tiendo backup <file>`.
pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<Written> {
    let started = Instant::now();
    if out.exists() {
        bail!("{} already exists; choose another file name (a backup never overwrites a file)", out.display());
    }
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("the folder {} of the backup file does not exist", dir.display());
    }
    let file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    crate::serve::require_sqlite_file(config)?;
    let db = crate::serve::open_database(config, crate::serve::MigrationPolicy::RequireCurrent).await?;
    let result = take(config, &db, out, dir, &file_name).await;
    db.close().await;
    let (size, manifest) = result?;
    Ok(Written { path: out.to_owned(), size, manifest, seconds: started.elapsed().as_secs_f64() })
}

async fn take(
    config: &Config,
    db: &tiendo_db::Db,
    out: &Path,
    dir: &Path,
    file_name: &str,
) -> anyhow::Result<(u64, Manifest)> {
    let store = file_store(config)?;
    let app = tiendo_app::App::new(db.clone(), store.clone(), config.site_settings());
    tiendo_app::maintenance::backup_started(&app, &crate::users::operator(), file_name)
        .await
        .map_err(|e| anyhow!("cannot record the backup in the audit trail: {e}"))?;
    let key = std::fs::read(config.audit_key_path())
        .with_context(|| format!("cannot read the audit key file {}", config.audit_key_path().display()))?;
    let anchors = match std::fs::read(config.audit_anchor_path()) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(anyhow!("cannot read the anchor file {}: {e}", config.audit_anchor_path().display())),
    };
    // The copy of the database waits next to the archive (the same disk), and is removed with the folder.
    let work = tempfile::Builder::new()
        .prefix(".tiendo-backup-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot create a working folder in {}", dir.display()))?;
    let sqlite_copy = work.path().join("tiendo.sqlite");
    let created_at = Utc::now();
    let snapshot =
        tiendo_db::backup::take(db, &sqlite_copy).await.map_err(|e| anyhow!("cannot snapshot the database: {e}"))?;
    let contents = match snapshot.contents().await {
        Ok(contents) => contents,
        Err(e) => {
            snapshot.close().await;
            bail!("cannot read the snapshot: {e}");
        }
    };
    let (database, member_name) = match (db.backend(), snapshot.exported_id()) {
        (Backend::Postgres, Some(id)) => {
            let dump = work.path().join("tiendo.pgdump");
            let connection = postgres::Connection::parse(&config.database_url())?;
            let (id, path) = (id.to_owned(), dump.clone());
            // The snapshot stays open while pg_dump joins it.
            let dumped = tokio::task::spawn_blocking(move || postgres::dump(&connection, &id, &path)).await;
            snapshot.close().await;
            dumped.map_err(|e| anyhow!("pg_dump did not finish: {e}"))??;
            (dump, manifest::POSTGRES_DATABASE)
        }
        _ => {
            snapshot.close().await;
            (sqlite_copy, manifest::SQLITE_DATABASE)
        }
    };
    let manifest_head = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        created_at,
        tiendo_version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: db.backend().name().to_owned(),
        schema: Schema { latest: contents.migrations.last().copied(), migrations: contents.migrations },
        audit: AuditHead {
            head_id: contents.audit_head.as_ref().map(|a| a.id),
            head_hash: contents.audit_head.map(|a| a.hash),
            key_id: contents.audit_key_id,
        },
        members: Vec::new(),
    };
    let out = out.to_owned();
    let files = contents.files;
    let written = tokio::task::spawn_blocking(move || {
        write_archive(&out, &database, member_name, &store, &files, &key, anchors.as_deref(), manifest_head)
    })
    .await
    .map_err(|e| anyhow!("the backup did not finish: {e}"))??;
    drop(work);
    Ok(written)
}

/// Writes the archive: the database, every file (checked against its SHA-256 on the way), the audit key
/// and anchors, the manifest.
#[expect(clippy::too_many_arguments, reason = "the parts of one archive, each named")]
fn write_archive(
    out: &Path,
    database: &Path,
    database_member: &str,
    store: &FileStore,
    files: &[StoredFile],
    key: &[u8],
    anchors: Option<&[u8]>,
    mut manifest: Manifest,
) -> anyhow::Result<(u64, Manifest)> {
    let database_size = std::fs::metadata(database).map(|m| m.len()).unwrap_or(0);
    let total = database_size + files.iter().map(|f| u64::try_from(f.size).unwrap_or(0)).sum::<u64>();
    let bar = ProgressBar::new("sao lưu / backup", Unit::Bytes);
    let mut done = 0u64;
    let mut progress = |n: u64| {
        done += n;
        bar.draw(done, total);
    };
    let mut archive = ArchiveWriter::create(out)?;
    let packing = if database_member == manifest::SQLITE_DATABASE { Packing::Deflate } else { Packing::Store };
    let mut reader = std::fs::File::open(database).with_context(|| format!("cannot read {}", database.display()))?;
    archive.add(database_member, &mut reader, packing, &mut progress)?;
    for file in files {
        let path = store.path_of(&file.sha256).map_or_else(|| store.describe(), |p| p.display().to_string());
        let mut reader = store.open(&file.sha256).map_err(|e| {
            anyhow!(
                "the file of attachment {} ({}) cannot be read from {path}: {e}; run `tiendo check`",
                file.id,
                file.original_name,
            )
        })?;
        let name = format!("{}{}", manifest::FILES_PREFIX, file.sha256.to_ascii_lowercase());
        let member = archive.add(&name, &mut reader, packing_of(&file.content_type), &mut progress)?;
        if !member.sha256.eq_ignore_ascii_case(&file.sha256) {
            bail!(
                "the file of attachment {} ({}) in {} is damaged (its content hashes to {}); run `tiendo check`",
                file.id,
                file.original_name,
                path,
                member.sha256
            );
        }
    }
    archive.add(manifest::AUDIT_KEY, &mut &*key, Packing::Store, &mut |_| {})?;
    if let Some(anchors) = anchors {
        archive.add(manifest::AUDIT_ANCHORS, &mut &*anchors, Packing::Deflate, &mut |_| {})?;
    }
    bar.draw(total, total);
    bar.finish();
    manifest.members = archive.members().to_vec();
    let size = archive.finish(&manifest)?;
    Ok((size, manifest))
}

/// Text compresses; images, PDFs and office documents (zip packages) already are.
fn packing_of(content_type: &str) -> Packing {
    if content_type.starts_with("text/") || content_type == "application/octet-stream" {
        Packing::Deflate
    } else {
        Packing::Store
    }
}

/// The line `tiendo backup` prints.
pub fn summary(written: &Written) -> String {
    let m = &written.manifest;
    format!(
        "Đã sao lưu / backup written: {} ({} MB; {} database, {} tệp / files, schema {}, audit trail to event {}) in {:.1} s",
        written.path.display(),
        grouped(written.size / 1_000_000),
        m.backend,
        grouped(m.files().count() as u64),
        m.schema.latest.unwrap_or(0),
        m.audit.head_id.unwrap_or(0),
        written.seconds
    )
}
