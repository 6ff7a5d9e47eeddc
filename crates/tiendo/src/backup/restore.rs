//! `tiendo restore <file>`: a backup put back into an empty data directory and an empty database.
//!
//! Nothing is written before the target was found empty and the archive was read through, every member
//! matching its manifest entry (size and SHA-256). Then the files, the database, the audit key and the
//! anchors are written; a failure removes what the restore wrote (`pg_restore` runs in one transaction).
//! Last, the restore is recorded in the audit trail. The chain restored is the backup's, byte for byte,
//! under the backup's key, so it verifies; the restore event links to its head, and that event is anchored,
//! so that `tiendo audit verify` checks against the restored chain rather than against an anchor of events
//! that the restore took back (older anchors stay in the file, a record of what was there before).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use tiendo_db::audit::AuditKey;
use tiendo_db::{Backend, DbUrl};

use super::archive::{ArchiveReader, check_member, copy_hashing, damaged};
use super::manifest::{self, Manifest};
use super::{file_store, postgres};
use crate::config::{Config, mask_url_password};
use crate::progress::{ProgressBar, Unit};

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The manifest of the archive restored.
    pub manifest: Manifest,
    /// The migrations applied after it (a backup taken by an older version).
    pub migrated: Vec<i64>,
    /// The audit event recording the restore.
    pub event: i64,
}

/// The lines `tiendo restore` prints.
pub fn summary(restored: &Restored) -> String {
    let m = &restored.manifest;
    let mut out = format!(
        "Đã khôi phục / restored: the {} database and {} tệp / files of the backup taken at {}, audit trail to event {}; \
         the restore is audit event {}.",
        m.backend,
        crate::progress::grouped(m.files().count() as u64),
        m.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        m.audit.head_id.unwrap_or(0),
        restored.event
    );
    if !restored.migrated.is_empty() {
        out.push_str(&format!(
            "\nThe backup was of an older version: migrations {:?} were applied.",
            restored.migrated
        ));
    }
    out.push_str("\nRun `tiendo check` to verify it; the server rebuilds the search index when it starts.");
    out
}

/// `tiendo restore <file>`.
pub async fn restore(config: &Config, archive_path: &Path) -> anyhow::Result<Restored> {
    let path = archive_path.to_owned();
    let archive = blocking(move || ArchiveReader::open(&path)).await?;
    let manifest = archive.manifest().clone();
    let target = Target::of(config)?;
    if target.backend().name() != manifest.backend {
        bail!(
            "{} is a backup of a {} database and the configured database is {}; restore it into a {} database",
            archive_path.display(),
            manifest.backend,
            target.backend().name(),
            manifest.backend
        );
    }
    let known: Vec<i64> = tiendo_db::migrate::migrations().iter().map(|m| m.version).collect();
    let unknown: Vec<i64> = manifest.schema.migrations.iter().copied().filter(|v| !known.contains(v)).collect();
    if !unknown.is_empty() {
        bail!(
            "the backup was taken by a newer tiendo ({}; migrations {unknown:?} are unknown to this binary); restore \
             it with that version or a newer one",
            manifest.tiendo_version
        );
    }
    target.refuse_non_empty(config).await?;
    let (archive, key) = blocking(move || {
        let mut archive = archive;
        let bar = ProgressBar::new("kiểm tra / verify", Unit::Bytes);
        let total = archive.manifest().total_size();
        let mut done = 0;
        let verified = archive.verify(&mut |n| {
            done += n;
            bar.draw(done, total);
        });
        bar.finish();
        verified?;
        let key = archive_key(&mut archive)?;
        Ok((archive, key))
    })
    .await?;
    let write_key = match std::fs::read_to_string(config.audit_key_path()) {
        Ok(text) if AuditKey::from_hex(&text).as_ref() == Some(&key) => false,
        Ok(_) => bail!(
            "the audit key file {} holds another key than the backup's: the restored audit trail would not verify; \
             move it away (the backup brings its key)",
            config.audit_key_path().display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => bail!("cannot read the audit key file {}: {e}", config.audit_key_path().display()),
    };

    // Everything checked: write.
    let mut undo = Undo::default();
    let written = write(config, &target, archive, &key, write_key, &mut undo).await;
    if let Err(e) = written {
        undo.run();
        return Err(e);
    }
    let migrated: Vec<i64> = known.iter().copied().filter(|v| !manifest.schema.migrations.contains(v)).collect();
    let event = record(config, archive_path, &manifest).await?;
    Ok(Restored { manifest, migrated, event })
}

/// Runs blocking work (archive reading and writing) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> anyhow::Result<T> + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| anyhow!("the restore did not finish: {e}"))?
}

/// The backup's audit key, whose id must be the one its chain is sealed with.
fn archive_key(archive: &mut ArchiveReader) -> anyhow::Result<AuditKey> {
    let expected = archive.manifest().audit.key_id.clone();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.member(manifest::AUDIT_KEY)?, &mut text)
        .map_err(|e| damaged(manifest::AUDIT_KEY, &e))?;
    let key = AuditKey::from_hex(&text).ok_or_else(|| anyhow!("the archive's audit key is not 64 hex digits"))?;
    if expected.is_some_and(|id| id != key.id()) {
        bail!("the archive's audit key is not the one its audit trail is sealed with");
    }
    Ok(key)
}

/// Where a restore writes.
enum Target {
    Sqlite { database: PathBuf },
    Postgres { url: String },
}

impl Target {
    fn of(config: &Config) -> anyhow::Result<Target> {
        Ok(match DbUrl::parse(&config.database_url()).map_err(|e| anyhow!("{e}"))? {
            DbUrl::Sqlite(database) => Target::Sqlite { database },
            DbUrl::Postgres(url) => Target::Postgres { url },
        })
    }

    fn backend(&self) -> Backend {
        match self {
            Target::Sqlite { .. } => Backend::Sqlite,
            Target::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Refuses a target that holds anything a restore would overwrite or mix with: a database with tables,
    /// files in the store, a search index (of another database).
    async fn refuse_non_empty(&self, config: &Config) -> anyhow::Result<()> {
        let mut found = Vec::new();
        match self {
            Target::Sqlite { database } => {
                for path in [database.clone(), with_suffix(database, "-wal")] {
                    if std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                        found.push(format!("the database file {} exists", path.display()));
                    }
                }
            }
            Target::Postgres { url } => {
                let db = crate::serve::connect(config).await?;
                let count = tiendo_db::backup::relation_count(&db).await;
                db.close().await;
                let count = count.map_err(|e| anyhow!("cannot look into the database: {e}"))?;
                if count > 0 {
                    found.push(format!(
                        "the database {} holds {count} tables, indexes or sequences",
                        mask_url_password(url)
                    ));
                }
            }
        }
        let files = config.data_dir.join("files");
        if has_entries(&files) {
            found.push(format!("the file store {} holds files", files.display()));
        }
        let search = crate::search::index_dir(&config.data_dir);
        if has_entries(&search) {
            found.push(format!(
                "the search index {} exists (it is of another database; delete it, the server rebuilds it)",
                search.display()
            ));
        }
        if !found.is_empty() {
            bail!(
                "the target is not empty: {}; restore into an empty data directory and an empty database (on \
                 PostgreSQL, a database just created with `createdb`)",
                found.join("; ")
            );
        }
        Ok(())
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn has_entries(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// What the restore wrote, removed again when it fails half-way.
#[derive(Default)]
struct Undo {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
}

impl Undo {
    fn run(self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for dir in self.dirs.iter().rev() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Writes the files, the database, the audit key and the anchors.
async fn write(
    config: &Config,
    target: &Target,
    archive: ArchiveReader,
    key: &AuditKey,
    write_key: bool,
    undo: &mut Undo,
) -> anyhow::Result<()> {
    crate::serve::prepare_data_dir(&config.data_dir)?;
    let store = file_store(config)?;
    // A local folder created here is removed if the restore fails; files already in a bucket stay there,
    // named by their content and referred to by nothing (`tiendo check` lists only referenced files).
    if let Some(root) = store.local_root().filter(|r| !r.exists()) {
        undo.dirs.push(root.to_owned());
    }
    let work = tempfile::Builder::new()
        .prefix(".tiendo-restore-")
        .tempdir_in(&config.data_dir)
        .with_context(|| format!("cannot create a working folder in {}", config.data_dir.display()))?;
    let (work_dir, sqlite) = (work.path().to_owned(), target_database(target));
    let (extracted, written) = tokio::task::spawn_blocking(move || {
        let mut archive = archive;
        let mut written = Vec::new();
        let extracted = extract(&mut archive, &store, &work_dir, sqlite.as_deref(), &mut written);
        (extracted, written)
    })
    .await
    .map_err(|e| anyhow!("the restore did not finish: {e}"))?;
    undo.files.extend(written);
    let extracted = extracted?;
    if let Target::Postgres { url } = target {
        let connection = postgres::Connection::parse(url)?;
        let dump = extracted.database.clone();
        blocking(move || postgres::restore(&connection, &dump)).await?;
    }
    drop(work);
    flush_to_disk(&config.data_dir).with_context(|| format!("cannot flush {} to disk", config.data_dir.display()))?;
    if write_key {
        crate::audit_chain::write_key(&config.audit_key_path(), key)?;
        undo.files.push(config.audit_key_path());
    }
    let anchors = config.audit_anchor_path();
    if let Some(bytes) = extracted.anchors.filter(|_| !anchors.exists()) {
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&anchors)
            .with_context(|| format!("cannot create {}", anchors.display()))?;
        undo.files.push(anchors.clone());
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", anchors.display()))?;
    }
    Ok(())
}

/// What [`extract`] leaves for the rest of the restore.
struct Extracted {
    /// The SQLite file in its place, or the PostgreSQL dump in the working folder.
    database: PathBuf,
    /// The anchor file of the backup, if it had one.
    anchors: Option<Vec<u8>>,
}

/// Flushes the restored files to disk: the whole file system at once on Linux (`syncfs`), file by file
/// elsewhere.
fn flush_to_disk(data_dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(std::fs::File::open(data_dir)?)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut stack = vec![data_dir.join("files")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    std::fs::File::open(&path)?.sync_all()?;
                }
            }
        }
    }
    Ok(())
}

/// The SQLite file to write, `None` for PostgreSQL (the dump goes to the working folder).
fn target_database(target: &Target) -> Option<PathBuf> {
    match target {
        Target::Sqlite { database } => Some(database.clone()),
        Target::Postgres { .. } => None,
    }
}

/// Writes every file of the archive into the store and the database to its place (SQLite) or to the
/// working folder (a PostgreSQL dump, returned); every member is hashed again on the way.
fn extract(
    archive: &mut ArchiveReader,
    store: &tiendo_db::files::FileStore,
    work: &Path,
    sqlite: Option<&Path>,
    undo: &mut Vec<PathBuf>,
) -> anyhow::Result<Extracted> {
    let manifest = archive.manifest().clone();
    let bar = ProgressBar::new("khôi phục / restore", Unit::Bytes);
    let total = manifest.total_size();
    let mut done = 0u64;
    for member in manifest.files() {
        let mut reader = archive.member(&member.name)?;
        let size =
            store.import(&member.sha256, &mut reader).map_err(|e| anyhow!("cannot restore {}: {e}", member.name))?;
        done += size;
        bar.draw(done, total);
    }
    let name = manifest.database_member();
    let entry = manifest.member(name).ok_or_else(|| anyhow!("the manifest lists no {name}"))?.clone();
    let destination = match sqlite {
        Some(database) => {
            if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::serve::prepare_data_dir(dir)?;
            }
            with_suffix(database, ".restoring")
        }
        None => work.join("tiendo.pgdump"),
    };
    let mut out = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&destination)
        .with_context(|| format!("cannot create {}", destination.display()))?;
    undo.push(destination.clone());
    let mut reader = archive.member(name)?;
    let (sha, size) = copy_hashing(&mut reader, &mut out, &mut |n| {
        done += n;
        bar.draw(done, total);
    })
    .map_err(|e| damaged(name, &e))?;
    drop(reader);
    check_member(&entry, &sha, size)?;
    out.sync_all()?;
    drop(out);
    bar.draw(total, total);
    bar.finish();
    let anchors = match manifest.member(manifest::AUDIT_ANCHORS) {
        Some(entry) => {
            let mut bytes = Vec::new();
            let (sha, size) = copy_hashing(&mut archive.member(&entry.name)?, &mut bytes, &mut |_| {})
                .map_err(|e| damaged(&entry.name, &e))?;
            check_member(entry, &sha, size)?;
            Some(bytes)
        }
        None => None,
    };
    let database = match sqlite {
        Some(database) => {
            std::fs::rename(&destination, database)
                .with_context(|| format!("cannot move {} to {}", destination.display(), database.display()))?;
            undo.push(database.to_owned());
            database.to_owned()
        }
        None => destination,
    };
    Ok(Extracted { database, anchors })
}

/// Opens the restored database (migrating a backup of an older version), checks that its audit trail ends
/// where the manifest says, records the restore and anchors it.
async fn record(config: &Config, archive_path: &Path, manifest: &Manifest) -> anyhow::Result<i64> {
    let db = crate::serve::open_database(config, crate::serve::MigrationPolicy::Apply).await?;
    let result = async {
        let head = tiendo_db::audit::Anchor::head(&db, chrono::Utc::now()).await?;
        if head.as_ref().map(|a| a.id) != manifest.audit.head_id
            || head.as_ref().map(|a| a.hash.clone()) != manifest.audit.head_hash
        {
            bail!(
                "the restored audit trail ends at event {:?}, the manifest says {:?}: the restore is not the backup",
                head.map(|a| a.id),
                manifest.audit.head_id
            );
        }
        let app = tiendo_app::App::new(db.clone(), file_store(config)?, config.site_settings());
        let note = tiendo_app::maintenance::Restored {
            file: archive_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            created_at: manifest.created_at,
            head: manifest.audit.head_id.unwrap_or(0),
        };
        let event = tiendo_app::maintenance::restored(&app, &crate::users::operator(), &note)
            .await
            .map_err(|e| anyhow!("cannot record the restore in the audit trail: {e}"))?;
        crate::audit_chain::anchor(&db, config).await?;
        Ok(event)
    }
    .await;
    db.close().await;
    result
}
