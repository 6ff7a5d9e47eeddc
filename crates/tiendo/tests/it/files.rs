//! `tiendo files migrate`: the local files copied into a bucket, checked, and skipped when run again. With
//! `TEST_S3_URL` (CI's PostgreSQL run starts an S3-compatible server) the real command copies into a folder
//! of that bucket; without it, the copy runs between two local stores and the command names what to set.

use tiendo_db::files::{BucketConfig, FileState, FileStore, StoredFile};

use crate::process::{assert_clean_failure, run_in, stdout, tiendo};

/// A data directory with a migrated SQLite database referring to three files in `<dir>/files`.
async fn installation(dir: &std::path::Path) -> Vec<StoredFile> {
    let out = run_in(dir, &["migrate", "--data-dir", "data"]);
    assert!(out.status.success(), "{}", crate::process::stderr(&out));
    let data = dir.join("data");
    let db = tiendo_db::Db::connect_sqlite(&data.join("tiendo.db")).await.unwrap();
    let local = FileStore::new(data.join("files"));
    for (n, text) in ["Biên bản họp hội đồng", "Báo cáo tiến độ quý IV", "Quyết định phê duyệt"].iter().enumerate()
    {
        let sha = local.put(text.as_bytes()).await.unwrap();
        tiendo_db::files::record(&db, &sha, text.len() as i64, "text/plain", &format!("{n}.txt"), None).await.unwrap();
    }
    let files = tiendo_db::files::referenced(&db).await.unwrap();
    db.close().await;
    files
}

fn checked(store: &FileStore, files: &[StoredFile]) -> Vec<FileState> {
    files.iter().map(|f| store.check(f)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_migrate_copies_every_file_into_the_bucket_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = installation(dir.path()).await;
    assert_eq!(files.len(), 3);
    let Some(url) = std::env::var("TEST_S3_URL").ok().filter(|u| !u.trim().is_empty()) else {
        // No object store here: the command says what to configure, and the copy itself runs between two
        // local stores.
        let out = run_in(dir.path(), &["files", "migrate", "--data-dir", "data"]);
        assert_clean_failure(&out, "no bucket is configured: set files_bucket");
        let (source, target) = (FileStore::new(dir.path().join("data/files")), FileStore::scratch());
        let first = tokio::task::spawn_blocking({
            let (source, target, files) = (source.clone(), target.clone(), files.clone());
            move || tiendo::files::copy_all(&source, &target, &files, false)
        })
        .await
        .unwrap();
        assert_eq!((first.copied, first.present, first.failed.len()), (3, 0, 0));
        let again = tokio::task::spawn_blocking(move || tiendo::files::copy_all(&source, &target, &files, false))
            .await
            .unwrap();
        assert_eq!((again.copied, again.present), (0, 3));
        return;
    };
    let (endpoint, bucket) = url.trim().trim_end_matches('/').rsplit_once('/').unwrap();
    let prefix = format!("migrate-{}", uuid::Uuid::new_v4().simple());
    let command = |dir: &std::path::Path| {
        tiendo()
            .current_dir(dir)
            .args(["files", "migrate", "--data-dir", "data"])
            .env("TIENDO_FILES_BUCKET", bucket)
            .env("TIENDO_FILES_PREFIX", &prefix)
            .env("TIENDO_FILES_ENDPOINT", endpoint)
            .env("TIENDO_FILES_ACCESS_KEY_ID", "test")
            .env("TIENDO_FILES_SECRET_ACCESS_KEY", "test")
            .env("TIENDO_FILES_ALLOW_HTTP", "true")
            .output()
            .unwrap()
    };
    let out = command(dir.path());
    assert!(out.status.success(), "{}", crate::process::stderr(&out));
    assert!(stdout(&out).contains("copied 3 file(s)"), "{}", stdout(&out));
    let target = FileStore::bucket(&BucketConfig {
        bucket: bucket.to_owned(),
        prefix: prefix.clone(),
        endpoint: endpoint.to_owned(),
        region: "us-east-1".to_owned(),
        access_key_id: "test".to_owned(),
        secret_access_key: "test".to_owned(),
        allow_http: true,
    })
    .unwrap();
    let states = tokio::task::spawn_blocking({
        let (target, files) = (target.clone(), files.clone());
        move || checked(&target, &files)
    })
    .await
    .unwrap();
    assert_eq!(states, vec![FileState::Intact; 3]);
    // Run again (after an interruption): nothing to copy.
    let again = command(dir.path());
    assert!(again.status.success(), "{}", crate::process::stderr(&again));
    assert!(stdout(&again).contains("copied 0 file(s)") && stdout(&again).contains("3 already"), "{}", stdout(&again));
    // The server then reads them from the bucket: `tiendo check` with the bucket finds every file intact.
    let check = tiendo()
        .current_dir(dir.path())
        .args(["check", "--data-dir", "data"])
        .env("TIENDO_FILES_BUCKET", bucket)
        .env("TIENDO_FILES_PREFIX", &prefix)
        .env("TIENDO_FILES_ENDPOINT", endpoint)
        .env("TIENDO_FILES_ACCESS_KEY_ID", "test")
        .env("TIENDO_FILES_SECRET_ACCESS_KEY", "test")
        .env("TIENDO_FILES_ALLOW_HTTP", "true")
        .output()
        .unwrap();
    assert!(check.status.success(), "{}\n{}", stdout(&check), crate::process::stderr(&check));
    assert!(stdout(&check).contains(&format!("s3://{bucket}/{prefix}")), "{}", stdout(&check));
}
