//! Benchmark of issue 20's backup budget: `tiendo backup` of a province-scale SQLite installation (a 1 GB
//! database and 10,000 files) in under 60 s while `tiendo serve` answers requests, with less than 10% of
//! its throughput lost meanwhile. Then `tiendo check` and `tiendo restore` of the same installation.
//!
//! Run: `cargo bench -p tiendo --bench backup` (the release binary; the installation is generated in a
//! temporary folder under `BENCH_DIR`, default the system's, and removed afterwards: it needs about 4 GB
//! free while it runs). `BENCH_SIZE=tiny` runs the same steps on a small installation.
//!
//! The database: `tiendo_db::testing::generator` (a province's monitoring data) with as many progress
//! updates as make the file about 1 GB. The files: 10,000 attachments of 8–92 KB (50 KB on average): four in
//! five of random bytes (like photos and scans, which do not compress), one in five text. The load: eight
//! keep-alive connections requesting `/readyz` (a database round trip) as fast as they are answered; the
//! throughput during the backup is compared with the throughput of the ten seconds before it.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tiendo_db::files::FileStore;
use tiendo_db::testing::generator::{self, Size};
use tiendo_db::{Db, Exec as _, Query};

const FILES: usize = 10_000;
const CONNECTIONS: usize = 8;

fn tiendo() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiendo"));
    cmd.env("RUST_LOG", "warn");
    cmd
}

/// A small xorshift generator: the same installation on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

async fn generate(data: &Path, tiny: bool) -> (u64, u64) {
    std::fs::create_dir_all(data).unwrap();
    let db = Db::connect_sqlite(&data.join("tiendo.db")).await.unwrap();
    tiendo_db::migrate::run(&db).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let size = if tiny {
        Size::TINY
    } else {
        // About 1 GB on SQLite (measured: 1,000,000 updates make 418 MB).
        Size { updates: 2_500_000, ..Size::PROVINCE }
    };
    generator::province(&db, &size, 2026, today).await.unwrap();
    let store = FileStore::new(data.join("files"));
    let mut rng = Rng(2026);
    let files = if tiny { 200 } else { FILES };
    let mut bytes_total = 0u64;
    for i in 0..files {
        let len = 8_000 + (rng.next() % 84_000) as usize;
        let (bytes, kind) = if i % 5 == 0 {
            let line = format!("Biên bản kiểm tra số {i}: tiến độ thực hiện nhiệm vụ khoa học và công nghệ.\n");
            (line.repeat(len / line.len() + 1).into_bytes()[..len].to_vec(), "text/plain; charset=utf-8")
        } else {
            let mut b = Vec::with_capacity(len + 8);
            while b.len() < len {
                b.extend_from_slice(&rng.next().to_le_bytes());
            }
            b.truncate(len);
            (b, "image/jpeg")
        };
        let sha = store.put(&bytes).await.unwrap();
        tiendo_db::files::record(&db, &sha, len as i64, kind, &format!("tep-{i}"), None).await.unwrap();
        bytes_total += len as u64;
    }
    db.execute(Query::new("PRAGMA wal_checkpoint(TRUNCATE)")).await.unwrap();
    db.close().await;
    (std::fs::metadata(data.join("tiendo.db")).unwrap().len(), bytes_total)
}

/// One keep-alive connection requesting `path` until `stop`, counting answers.
fn load(port: u16, path: &str, stop: &AtomicBool, answered: &AtomicU64) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    while !stop.load(Ordering::Relaxed) {
        stream.write_all(request.as_bytes()).unwrap();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).unwrap();
        answered.fetch_add(1, Ordering::Relaxed);
    }
}

/// The body of one request on a new connection.
fn get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    raw
}

fn rate(answered: &AtomicU64, over: Duration) -> f64 {
    let start = answered.load(Ordering::Relaxed);
    std::thread::sleep(over);
    (answered.load(Ordering::Relaxed) - start) as f64 / over.as_secs_f64()
}

fn main() {
    let tiny = std::env::var("BENCH_SIZE").is_ok_and(|s| s == "tiny");
    let base = std::env::var("BENCH_DIR").map_or_else(|_| std::env::temp_dir(), Into::into);
    let work = tempfile::tempdir_in(base).unwrap();
    let data = work.path().join("data");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let started = Instant::now();
    let (db_bytes, file_bytes) = runtime.block_on(generate(&data, tiny));
    println!(
        "installation: database {:.0} MB, {} files {:.0} MB (generated in {:.0} s)",
        db_bytes as f64 / 1e6,
        if tiny { 200 } else { FILES },
        file_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = tiendo()
        .args(["serve", "--data-dir", data.to_str().unwrap(), "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(ready.elapsed() < Duration::from_secs(120), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Let the server settle: it builds the search index in the background at its first start.
    let settling = Instant::now();
    while !get(port, "/readyz").contains("search: ready") {
        assert!(settling.elapsed() < Duration::from_secs(1800), "the search index was not built in 30 minutes");
        std::thread::sleep(Duration::from_millis(500));
    }
    println!("server ready, search index built in {:.0} s", settling.elapsed().as_secs_f64());
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicU64::new(0));
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (stop, answered) = (stop.clone(), answered.clone());
            std::thread::spawn(move || load(port, "/readyz", &stop, &answered))
        })
        .collect();
    let before = rate(&answered, Duration::from_secs(10));

    let archive = work.path().join("backup.zip");
    let (start, at) = (answered.load(Ordering::Relaxed), Instant::now());
    let out =
        tiendo().args(["backup", archive.to_str().unwrap(), "--data-dir", data.to_str().unwrap()]).output().unwrap();
    let backup_s = at.elapsed().as_secs_f64();
    let during = (answered.load(Ordering::Relaxed) - start) as f64 / backup_s;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = rate(&answered, Duration::from_secs(5));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let _ = server.kill();
    let _ = server.wait();
    let archive_bytes = std::fs::metadata(&archive).unwrap().len();
    println!(
        "backup while serving: {backup_s:.1} s (budget 60 s), archive {:.0} MB, {:.0} MB/s of installation",
        archive_bytes as f64 / 1e6,
        (db_bytes + file_bytes) as f64 / 1e6 / backup_s
    );
    println!(
        "/readyz throughput: {before:.0} req/s before, {during:.0} during ({:+.1}%, budget -10%), {after:.0} after",
        (during / before - 1.0) * 100.0
    );

    let at = Instant::now();
    let out = tiendo().args(["check", "--data-dir", data.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    println!("check: {:.1} s", at.elapsed().as_secs_f64());
    std::fs::remove_dir_all(&data).unwrap();

    let restored = work.path().join("restored");
    let at = Instant::now();
    let out = tiendo()
        .args(["restore", archive.to_str().unwrap(), "--data-dir", restored.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    println!("restore: {:.1} s", at.elapsed().as_secs_f64());
    println!("load average: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
}
