//! Faults (issue 20 item 6): the server killed with SIGKILL in the middle of a stream of writes, again and
//! again; after each restart every write it had acknowledged is there, and at the end `tiendo check` finds
//! the database intact, every file present and the audit chain valid. `FAULT_CYCLES` sets the number of
//! kill-and-restart cycles (3 by default; the budget's 100 are run by hand, figures in docs/benchmarks.md).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tiendo_db::testing::{TEST_AUDIT_KEY, TestDb};
use tiendo_db::{Exec, Query};

use crate::instances::{Files, Instance, csrf_of, get, session_cookie, sign_in, try_request};
use crate::process::{stderr, tiendo};

const PREFIX: &str = "Kiểm thử ngắt điện";

/// Writes legal documents one after another through the page form until the server stops answering or
/// `stop` is set; returns the numbers of the writes the server acknowledged (303 See Other).
fn write_until_cut(port: u16, cookie: String, token: String, first: u64, stop: Arc<AtomicBool>) -> Vec<u64> {
    let mut acknowledged = Vec::new();
    let mut n = first;
    while !stop.load(Ordering::Relaxed) {
        let form = format!(
            "symbol={}&issued_on=05%2F04%2F2017&summary={}",
            tiendo_web::forms::url_encode(&format!("Số: {n}/KH-SKHCN")),
            tiendo_web::forms::url_encode(&format!("{PREFIX} {n}"))
        );
        match try_request(port, "POST", "/documents", &cookie, &[("X-CSRF-Token", &token)], &form) {
            Some(answer) if answer.status == 303 => acknowledged.push(n),
            Some(answer) if answer.status >= 500 || answer.status == 0 => break,
            Some(answer) => panic!("write {n} refused with {}: {}", answer.status, answer.body),
            None => break,
        }
        n += 1;
    }
    acknowledged
}

async fn present(db: &tiendo_db::Db) -> BTreeSet<u64> {
    let rows: Vec<(String,)> = db
        .fetch_all(Query::new("SELECT summary FROM legal_documents WHERE summary LIKE $1").bind(format!("{PREFIX} %")))
        .await
        .unwrap();
    rows.iter().filter_map(|(s,)| s.rsplit(' ').next()?.parse().ok()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_and_the_data_checks_clean_after_restarts() {
    let cycles: u64 = std::env::var("FAULT_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let t = TestDb::empty().await;
    let url = t.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("audit.key"), TEST_AUDIT_KEY).unwrap();
    let files = Files::new(dir.path());
    let mut server = Instance::start(dir.path(), "a", &url, &files);
    server.wait_ready();
    tiendo::demo::seed(t.db(), &files.store()).await.unwrap();
    let password = tiendo::demo::accounts::DEMO_PASSWORD;
    let cookie = session_cookie(&sign_in(server.port, "chuyenvien", password));
    let token = csrf_of(&get(server.port, "/documents/new", &cookie).body);
    let mut acknowledged: BTreeSet<u64> = BTreeSet::new();
    let mut next = 1;
    for cycle in 0..cycles {
        let stop = Arc::new(AtomicBool::new(false));
        let writer = std::thread::spawn({
            let (cookie, token, stop, port) = (cookie.clone(), token.clone(), Arc::clone(&stop), server.port);
            move || write_until_cut(port, cookie, token, next, stop)
        });
        // Let a few writes through, then pull the plug in the middle of the stream.
        std::thread::sleep(Duration::from_millis(400 + 173 * (cycle % 5)));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let written = writer.join().unwrap();
        assert!(!written.is_empty() || cycle > 0, "no write was acknowledged before the kill");
        next = written.last().map_or(next, |n| n + 1) + 1;
        acknowledged.extend(written);
        server = Instance::start(dir.path(), "a", &url, &files);
        server.wait_ready();
        let missing: Vec<u64> = acknowledged.difference(&present(t.db()).await).copied().collect();
        assert!(missing.is_empty(), "cycle {cycle}: acknowledged writes lost: {missing:?}");
        // The server answers writes again after the restart, with the same session.
        assert_eq!(get(server.port, "/documents/new", &cookie).status, 200);
    }
    assert!(acknowledged.len() as u64 >= cycles, "too few writes to mean anything: {acknowledged:?}");
    drop(server);
    let mut check = tiendo();
    check
        .current_dir(dir.path())
        .args(["check", "--data-dir", "a", "--database-url", &url])
        .env("TIENDO_AUDIT_KEY_FILE", dir.path().join("audit.key"));
    if let Files::Bucket { config } = &files {
        check
            .env("TIENDO_FILES_BUCKET", &config.bucket)
            .env("TIENDO_FILES_PREFIX", &config.prefix)
            .env("TIENDO_FILES_ENDPOINT", &config.endpoint)
            .env("TIENDO_FILES_ACCESS_KEY_ID", &config.access_key_id)
            .env("TIENDO_FILES_SECRET_ACCESS_KEY", &config.secret_access_key)
            .env("TIENDO_FILES_ALLOW_HTTP", "true");
    }
    let out = check.output().unwrap();
    assert!(
        out.status.success(),
        "tiendo check after {cycles} kills:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    println!("{cycles} kill -9 cycles, {} acknowledged writes, none lost", acknowledged.len());
}
