//! `tiendo backup`, `tiendo restore` and `tiendo check` on the real binary, on the backend of
//! `TEST_DATABASE_URL`: a backup taken while the application writes restores to a consistent state, a
//! backup taken at rest restores to identical rows and files, a non-empty target and a damaged archive are
//! refused, and `check` finds a missing file, a changed file and a broken audit chain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tiendo_app::monitoring::files::Upload;
use tiendo_app::monitoring::legal_documents::{self, LegalDocumentDraft};
use tiendo_db::files::FileStore;
use tiendo_db::testing::{TEST_AUDIT_KEY, TestDb};
use tiendo_db::{Backend, Db, Exec, Query};

use crate::process::{assert_clean_failure, stderr, stdout, tiendo};

/// A data directory with its database, as an installation has them.
struct Installation {
    dir: tempfile::TempDir,
    db: TestDb,
}

impl Installation {
    /// A migrated database (sealed with the test key) and a data directory holding that key.
    async fn new() -> Installation {
        let db = TestDb::new().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("audit.key"), format!("{TEST_AUDIT_KEY}\n")).unwrap();
        Installation { dir, db }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().to_owned()
    }

    fn store(&self) -> FileStore {
        FileStore::new(self.dir.path().join("files"))
    }

    fn app(&self) -> tiendo_app::App {
        tiendo_app::App::new(self.db.db().clone(), self.store(), tiendo_app::Settings::default())
    }

    /// The options that point the binary at this installation.
    fn args(&self) -> Vec<String> {
        vec!["--data-dir".to_owned(), self.data_dir().display().to_string(), "--database-url".to_owned(), self.db.url()]
    }

    /// Runs `tiendo <command…>` on this installation, off the async threads.
    async fn run(&self, command: &[&str]) -> Output {
        let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
        args.extend(self.args());
        run(args).await
    }
}

async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || tiendo().args(&args).output().expect("run tiendo")).await.unwrap()
}

/// Where a backup is restored: an empty data directory, and on PostgreSQL an empty database.
struct Target {
    dir: tempfile::TempDir,
    db: Option<TestDb>,
}

impl Target {
    async fn new(backend: Backend) -> Target {
        let db = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(TestDb::empty().await),
        };
        Target { dir: tempfile::tempdir().unwrap(), db }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn args(&self) -> Vec<String> {
        let mut args = vec!["--data-dir".to_owned(), self.data_dir().display().to_string()];
        if let Some(db) = &self.db {
            args.extend(["--database-url".to_owned(), db.url()]);
        }
        args
    }

    async fn run(&self, command: &[&str]) -> Output {
        let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
        args.extend(self.args());
        run(args).await
    }

    /// The restored database (opened after the restore).
    async fn open(&self) -> Db {
        match &self.db {
            Some(db) => Db::connect(&db.url()).await.unwrap(),
            None => Db::connect_sqlite(&self.data_dir().join("tiendo.db")).await.unwrap(),
        }
    }

    /// Nothing was written: no database file or tables, no stored file.
    async fn assert_untouched(&self) {
        let data = self.data_dir();
        assert!(!data.join("tiendo.db").exists(), "a database file was left behind");
        assert!(!data.join("audit.key").exists(), "a key file was left behind");
        let files: Vec<_> = walk(&data.join("files"));
        assert!(files.is_empty(), "files were left behind: {files:?}");
        if let Some(db) = &self.db {
            assert_eq!(tiendo_db::backup::relation_count(db.db()).await.unwrap(), 0, "tables were left behind");
        }
    }
}

/// Every regular file under `dir`, relative to it.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_owned());
            }
        }
    }
    out.sort();
    out
}

/// The stored files of a data directory: relative path → content. A write in flight (a `.`-prefixed
/// temporary the store renames onto its content's name, or removes) is not a stored file: walked while the
/// application writes, it may be gone by the time it is read.
fn files_of(data_dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let root = data_dir.join("files");
    walk(&root)
        .into_iter()
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .map(|p| (p.clone(), std::fs::read(root.join(&p)).unwrap()))
        .collect()
}

/// Every row of every table, as text, sorted: what "identical data" compares. The restore's own audit event
/// is left out (the restored trail has it on top of the backup's).
async fn rows(db: &Db) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<(String,)> = match db.backend() {
        Backend::Sqlite => db
            .fetch_all(Query::new(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                 ORDER BY name",
            ))
            .await
            .unwrap(),
        Backend::Postgres => db
            .fetch_all(Query::new(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' ORDER BY 1",
            ))
            .await
            .unwrap(),
    };
    let mut out = BTreeMap::new();
    for (table,) in tables {
        let filter = if table == "audit_events" { " WHERE action <> 'restore_backup'" } else { "" };
        let sql = match db.backend() {
            Backend::Sqlite => {
                let columns: Vec<(String,)> = db
                    .fetch_all(Query::new("SELECT name FROM pragma_table_info($1)").bind(table.clone()))
                    .await
                    .unwrap();
                let quoted: Vec<String> = columns.iter().map(|(c,)| format!("quote(\"{c}\")")).collect();
                format!("SELECT {} FROM \"{table}\"{filter}", quoted.join(" || '|' || "))
            }
            Backend::Postgres => format!("SELECT CAST(t AS TEXT) FROM \"{table}\" t{filter}"),
        };
        let mut texts: Vec<String> =
            db.fetch_all::<(String,)>(Query::new(sql)).await.unwrap().into_iter().map(|(t,)| t).collect();
        texts.sort();
        out.insert(table, texts);
    }
    out
}

/// The summary of the documents registered while a backup runs.
const WRITTEN: &str = "Văn bản ghi trong lúc sao lưu số";

/// Registers documents with a text file each through the application, as the pages do, until `stop`;
/// counts them in `done`.
async fn write_until(app: tiendo_app::App, stop: Arc<AtomicBool>, done: Arc<AtomicUsize>) {
    let session = tiendo::users::operator();
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let draft = LegalDocumentDraft {
            symbol: format!("{}/QĐ-SKHCN", 9000 + n),
            summary: format!("{WRITTEN} {n}"),
            ..LegalDocumentDraft::default()
        };
        let id = legal_documents::save(&app, &session, None, &draft).await.expect("register a document");
        let upload = Upload {
            name: format!("ghi-chu-{n}.txt"),
            bytes: format!("Ghi chú số {n}: đang sao lưu.\n").into_bytes(),
        };
        legal_documents::attach(&app, &session, id, &[upload]).await.expect("attach its file");
        done.store(n, Ordering::Relaxed);
    }
}

fn on_postgres() -> bool {
    std::env::var(tiendo_db::testing::TEST_DATABASE_URL).is_ok_and(|u| u.starts_with("postgres"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_consistently_and_one_at_rest_identically() {
    let source = Installation::new().await;
    tiendo::demo::seed(source.db.db(), &source.store()).await.unwrap();
    let archives = tempfile::tempdir().unwrap();

    // While the application writes, with some writes before the backup starts.
    let (stop, done) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let writer = tokio::spawn(write_until(source.app(), stop.clone(), done.clone()));
    while done.load(Ordering::Relaxed) < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = rows(source.db.db()).await;
    let files_before = files_of(&source.data_dir());
    let live = archives.path().join("live.zip");
    let out = source.run(&["backup", live.to_str().unwrap()]).await;
    let during = done.load(Ordering::Relaxed);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("backup written"), "{}", stdout(&out));
    assert!(stderr(&out).contains("100%"), "no progress bar: {}", stderr(&out));
    let after = rows(source.db.db()).await;
    let files_after = files_of(&source.data_dir());

    let target = Target::new(source.db.db().backend()).await;
    let restored = target.run(&["restore", live.to_str().unwrap()]).await;
    assert!(restored.status.success(), "{}", stderr(&restored));
    let check = target.run(&["check"]).await;
    assert!(check.status.success(), "{}\n{}", stdout(&check), stderr(&check));
    let restored_db = target.open().await;
    let got = rows(&restored_db).await;
    // Everything written before the backup started is there, nothing that was never written, and each
    // write is whole: a document with its file, or neither.
    for (table, rows_before) in &before {
        let rows_got: BTreeSet<&String> = got[table].iter().collect();
        let rows_after: BTreeSet<&String> = after[table].iter().collect();
        assert!(
            rows_before.iter().all(|r| rows_got.contains(r)),
            "{table}: a row written before the backup is missing"
        );
        assert!(rows_got.iter().all(|r| rows_after.contains(r)), "{table}: a row that was never written");
    }
    let (documents,): (i64,) = restored_db
        .fetch_one(Query::new(format!("SELECT COUNT(*) FROM legal_documents WHERE summary LIKE '{WRITTEN}%'")))
        .await
        .unwrap();
    let (with_file,): (i64,) = restored_db
        .fetch_one(Query::new(format!(
            "SELECT COUNT(*) FROM legal_documents d JOIN document_attachments a ON a.document_id = d.id \
                 WHERE d.summary LIKE '{WRITTEN}%'"
        )))
        .await
        .unwrap();
    assert!(documents >= 5 && documents as usize <= done.load(Ordering::Relaxed), "{documents} documents");
    assert!(with_file >= documents - 1, "{with_file} of {documents} documents restored with their file");
    let files_got = files_of(&target.data_dir());
    for (path, bytes) in &files_got {
        assert_eq!(files_after.get(path), Some(bytes), "{} differs from the source", path.display());
    }
    assert!(files_before.keys().all(|p| files_got.contains_key(p)), "a file stored before the backup is missing");
    // And only the files the restored rows refer to: the file list is the snapshot's.
    let referenced: BTreeSet<String> =
        tiendo_db::files::referenced(&restored_db).await.unwrap().into_iter().map(|f| f.sha256).collect();
    let stored: BTreeSet<String> =
        files_got.keys().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(stored, referenced, "the restored store holds other files than the restored rows name");
    eprintln!("writes: {during} when the backup ended; {documents} restored");
    restored_db.close().await;

    // At rest: identical rows and files.
    let quiet = archives.path().join("quiet.zip");
    let out = source.run(&["backup", quiet.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let target = Target::new(source.db.db().backend()).await;
    let restored = target.run(&["restore", quiet.to_str().unwrap()]).await;
    assert!(restored.status.success(), "{}", stderr(&restored));
    let restored_db = target.open().await;
    let source_rows = rows(source.db.db()).await;
    let got = rows(&restored_db).await;
    assert_eq!(got.keys().collect::<Vec<_>>(), source_rows.keys().collect::<Vec<_>>());
    for (table, expected) in &source_rows {
        assert!(
            &got[table] == expected,
            "{table}: the restored rows differ ({} and {})",
            got[table].len(),
            expected.len()
        );
    }
    assert_eq!(files_of(&target.data_dir()), files_of(&source.data_dir()));
    // The restore is the event after the backup's head, and the restored chain verifies against its anchor.
    let (action, id): (String, i64) = restored_db
        .fetch_one(Query::new("SELECT action, id FROM audit_events ORDER BY id DESC LIMIT 1"))
        .await
        .unwrap();
    let (source_head,): (i64,) =
        source.db.db().fetch_one(Query::new("SELECT MAX(id) FROM audit_events")).await.unwrap();
    assert_eq!((action.as_str(), id), ("restore_backup", source_head + 1));
    restored_db.close().await;
    let verify = target.run(&["audit", "verify"]).await;
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).contains("it matches the anchor of"), "{}", stdout(&verify));
    assert!(stdout(&verify).contains(&format!("(event {id})")), "{}", stdout(&verify));
}

/// A small installation: two documents with a file each (one text, one PDF).
async fn small() -> Installation {
    let source = Installation::new().await;
    let app = source.app();
    let session = tiendo::users::operator();
    for (n, upload) in [
        // ASCII: the upload check refuses a longer text whose 256th byte falls inside a letter (noted).
        Upload { name: "ghi-chu.txt".to_owned(), bytes: "Ghi chu: ke hoach nam 2026.\n".repeat(50).into_bytes() },
        Upload { name: "quyet-dinh.pdf".to_owned(), bytes: b"%PDF-1.4\n% scanned decision\n".repeat(100) },
    ]
    .into_iter()
    .enumerate()
    {
        let draft = LegalDocumentDraft {
            symbol: format!("{}/QĐ-UBND", n + 1),
            summary: "Quyết định ban hành kế hoạch".to_owned(),
            ..LegalDocumentDraft::default()
        };
        let id = legal_documents::save(&app, &session, None, &draft).await.unwrap();
        legal_documents::attach(&app, &session, id, &[upload]).await.unwrap();
    }
    source
}

/// Flips one byte in the middle of a member's data in the archive.
fn flip_byte_in(archive: &Path, member: &str) {
    let offset = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
        let entry = zip.by_name(member).unwrap();
        entry.data_start().unwrap() + entry.compressed_size() / 2
    };
    let mut bytes = std::fs::read(archive).unwrap();
    bytes[usize::try_from(offset).unwrap()] ^= 0x20;
    std::fs::write(archive, bytes).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_non_empty_target_and_a_damaged_archive_and_writes_nothing() {
    let source = small().await;
    let archives = tempfile::tempdir().unwrap();
    let good = archives.path().join("good.zip");
    let out = source.run(&["backup", good.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    // A backup never overwrites a file.
    let again = source.run(&["backup", good.to_str().unwrap()]).await;
    assert_clean_failure(&again, "already exists");

    // Into the installation it came from.
    let before = rows(source.db.db()).await;
    let out = source.run(&["restore", good.to_str().unwrap()]).await;
    assert_clean_failure(&out, "the target is not empty");
    assert!(stderr(&out).contains("holds files"), "{}", stderr(&out));
    assert_eq!(rows(source.db.db()).await, before);

    // Into an empty database next to a file store that holds a file.
    let target = Target::new(source.db.db().backend()).await;
    std::fs::create_dir_all(target.data_dir().join("files/ab")).unwrap();
    std::fs::write(target.data_dir().join("files/ab/stray"), b"x").unwrap();
    let out = target.run(&["restore", good.to_str().unwrap()]).await;
    assert_clean_failure(&out, "the file store");
    std::fs::remove_dir_all(target.data_dir().join("files")).unwrap();

    // One byte flipped in the database, then in a stored file: refused before anything is written.
    let members: Vec<String> = {
        let zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
        zip.file_names().map(|n| n.unwrap().into_owned()).collect()
    };
    let database = members.iter().find(|m| m.starts_with("database/")).unwrap().clone();
    let file = members.iter().find(|m| m.starts_with("files/")).unwrap().clone();
    for member in [&database, &file] {
        let damaged = archives.path().join("damaged.zip");
        std::fs::copy(&good, &damaged).unwrap();
        flip_byte_in(&damaged, member);
        let out = target.run(&["restore", damaged.to_str().unwrap()]).await;
        assert_clean_failure(&out, "the archive is damaged");
        assert!(stderr(&out).contains(&**member), "{member}: {}", stderr(&out));
        target.assert_untouched().await;
    }

    // The same target takes the intact archive, with an anchor file kept outside the data directory whose
    // latest anchor is newer than the backup (the events after it are gone with the restore): the restore is
    // anchored on top of it, and the restored trail verifies.
    let anchors = archives.path().join("anchors-kept-elsewhere.log");
    let newer = format!("tiendo-audit-anchor at=2030-01-01T00:00:00Z id=999999 hash={}\n", "ab".repeat(32));
    std::fs::write(&anchors, &newer).unwrap();
    let with_anchors = |command: &[&str]| {
        let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
        args.extend(target.args());
        let anchors = anchors.clone();
        tokio::task::spawn_blocking(move || {
            tiendo().args(&args).env("TIENDO_AUDIT_ANCHOR_FILE", &anchors).output().unwrap()
        })
    };
    let out = with_anchors(&["restore", good.to_str().unwrap()]).await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("restored"), "{}", stdout(&out));
    let kept = std::fs::read_to_string(&anchors).unwrap();
    assert!(kept.starts_with(&newer) && kept.lines().count() == 2, "{kept}");
    let verify = with_anchors(&["audit", "verify"]).await.unwrap();
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).contains("it matches the anchor of"), "{}", stdout(&verify));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_finds_a_missing_file_a_changed_file_and_a_broken_audit_chain() {
    let source = small().await;
    let ok = source.run(&["check"]).await;
    assert!(ok.status.success(), "{}\n{}", stdout(&ok), stderr(&ok));
    for line in ["ok    schema", "ok    foreign keys", "ok    files: 2 files", "ok    audit trail"] {
        assert!(stdout(&ok).contains(line), "{line:?} missing from:\n{}", stdout(&ok));
    }
    let paths: Vec<PathBuf> = walk(&source.data_dir().join("files"));
    let (text, pdf) = {
        let mut by_size: Vec<PathBuf> = paths.iter().map(|p| source.data_dir().join("files").join(p)).collect();
        by_size.sort_by_key(|p| std::fs::metadata(p).unwrap().len());
        (by_size[0].clone(), by_size[1].clone())
    };

    // A file gone.
    let kept = std::fs::read(&text).unwrap();
    std::fs::remove_file(&text).unwrap();
    let out = source.run(&["check"]).await;
    assert_clean_failure(&out, "1 problem(s) found");
    assert!(
        stdout(&out).contains("FAIL  files")
            && stdout(&out).contains("ghi-chu.txt")
            && stdout(&out).contains("is missing"),
        "{}",
        stdout(&out)
    );
    std::fs::write(&text, &kept).unwrap();

    // A file changed, its size kept.
    let kept = std::fs::read(&pdf).unwrap();
    let mut changed = kept.clone();
    changed[100] ^= 1;
    std::fs::write(&pdf, &changed).unwrap();
    let out = source.run(&["check"]).await;
    assert_clean_failure(&out, "1 problem(s) found");
    assert!(
        stdout(&out).contains("quyet-dinh.pdf") && stdout(&out).contains("has another content"),
        "{}",
        stdout(&out)
    );
    std::fs::write(&pdf, &kept).unwrap();
    let ok = source.run(&["check"]).await;
    assert!(ok.status.success(), "{}", stdout(&ok));

    // An audit event edited.
    source.db.db().execute(Query::new("UPDATE audit_events SET summary = 'sửa lén' WHERE id = 2")).await.unwrap();
    let out = source.run(&["check"]).await;
    assert_clean_failure(&out, "1 problem(s) found");
    assert!(
        stdout(&out).contains("FAIL  audit trail") && stdout(&out).contains("broken at event 2"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_on_postgres_without_pg_dump_names_what_to_install() {
    if !on_postgres() {
        return;
    }
    let source = small().await;
    let archives = tempfile::tempdir().unwrap();
    let out_file = archives.path().join("b.zip");
    let mut args = vec!["backup".to_owned(), out_file.display().to_string()];
    args.extend(source.args());
    let out =
        tokio::task::spawn_blocking(move || tiendo().args(&args).env("PATH", "").output().unwrap()).await.unwrap();
    assert_clean_failure(&out, "pg_dump was not found");
    assert!(stderr(&out).contains("postgresql-client"), "{}", stderr(&out));
    assert_eq!(walk(archives.path()), Vec::<PathBuf>::new(), "something was left behind");
}

#[test]
fn backup_and_check_name_a_missing_database_instead_of_creating_one() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["backup", "b.zip", "--data-dir", "nothing"][..], &["check", "--data-dir", "nothing"]] {
        let out = crate::process::run_in(dir.path(), args);
        assert_clean_failure(&out, "there is no database at nothing/tiendo.db");
        assert!(!dir.path().join("nothing/tiendo.db").exists(), "{args:?} created a database");
    }
}
