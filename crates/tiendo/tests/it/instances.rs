//! Several instances on one database (issue 20 item 3): two real `tiendo serve` processes on one database
//! (CI runs this on PostgreSQL with the files in moto's S3 bucket, and on SQLite with a shared files
//! directory), started together on an empty database. What one instance writes, the other reads at once;
//! a session, its CSRF token and the login throttle hold on both; a portal page cached by one is dropped
//! within 2 s of a change made through the other; a file stored through the shared store is served by both;
//! the schedules fire once per slot, not once per instance. (Jobs claimed exactly once by two runners:
//! `jobs::two_runners_process_every_job_exactly_once`.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use tiendo_db::files::{BucketConfig, FileStore};
use tiendo_db::testing::{TEST_AUDIT_KEY, TestDb};
use tiendo_db::{Backend, Exec, Query, migrate};

use crate::process::{free_port, tiendo};

/// An answer: the status, the headers (lower-cased names) and the body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.0 request (so that the body is never chunked), with a cookie, extra headers and a form body.
pub(crate) fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    form: &str,
) -> Answer {
    try_request(port, method, path, cookie, headers, form).expect("the server answered")
}

/// [`request`], or `None` when the server does not answer (refused, reset, cut off).
pub(crate) fn try_request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    form: &str,
) -> Option<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    if !cookie.is_empty() {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(form.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok())?;
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned())).collect();
    Some(Answer { status, headers, body: body.to_owned() })
}

pub(crate) fn get(port: u16, path: &str, cookie: &str) -> Answer {
    request(port, "GET", path, cookie, &[], "")
}

/// One instance: its own data directory (its search index), the shared database, audit key and files.
pub(crate) struct Instance {
    pub(crate) child: Child,
    pub(crate) port: u16,
    log: PathBuf,
}

impl Instance {
    pub(crate) fn start(dir: &Path, name: &str, url: &str, files: &Files) -> Instance {
        let data = dir.join(name);
        let port = free_port();
        let log = dir.join(format!("{name}.log"));
        let mut cmd = tiendo();
        cmd.current_dir(dir)
            .args(["serve", "--data-dir", name, "--database-url", url, "--listen", &format!("127.0.0.1:{port}")])
            .env("TIENDO_AUDIT_KEY_FILE", dir.join("audit.key"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        if url.starts_with("postgres") {
            cmd.arg("--migrate");
        }
        match files {
            Files::Bucket { config } => {
                cmd.env("TIENDO_FILES_BUCKET", &config.bucket)
                    .env("TIENDO_FILES_PREFIX", &config.prefix)
                    .env("TIENDO_FILES_ENDPOINT", &config.endpoint)
                    .env("TIENDO_FILES_ACCESS_KEY_ID", &config.access_key_id)
                    .env("TIENDO_FILES_SECRET_ACCESS_KEY", &config.secret_access_key)
                    .env("TIENDO_FILES_ALLOW_HTTP", "true");
            }
            Files::Shared { root } => {
                // A shared directory (as an NFS mount would be): every instance's files/ is the same one.
                std::fs::create_dir_all(&data).unwrap();
                let link = data.join("files");
                if !link.exists() {
                    std::os::unix::fs::symlink(root, &link).unwrap();
                }
            }
        }
        let child = cmd.spawn().expect("start tiendo");
        Instance { child, port, log }
    }

    pub(crate) fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if crate::process::http_get(self.port, "/readyz").is_some_and(|(s, _)| s == 200) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("tiendo exited with {status}:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("not ready within 120 s:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default());
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) enum Files {
    Bucket { config: BucketConfig },
    Shared { root: PathBuf },
}

impl Files {
    /// The bucket of `TEST_S3_URL` (a folder of its own), else a shared directory.
    pub(crate) fn new(dir: &Path) -> Files {
        match std::env::var("TEST_S3_URL").ok().filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                let (endpoint, bucket) = url.trim().trim_end_matches('/').rsplit_once('/').unwrap();
                Files::Bucket {
                    config: BucketConfig {
                        bucket: bucket.to_owned(),
                        prefix: format!("instances-{}", uuid::Uuid::new_v4().simple()),
                        endpoint: endpoint.to_owned(),
                        region: "us-east-1".to_owned(),
                        access_key_id: "test".to_owned(),
                        secret_access_key: "test".to_owned(),
                        allow_http: true,
                    },
                }
            }
            None => Files::Shared { root: dir.join("shared-files") },
        }
    }

    pub(crate) fn store(&self) -> FileStore {
        match self {
            Files::Bucket { config } => FileStore::bucket(config).unwrap(),
            Files::Shared { root } => FileStore::new(root.clone()),
        }
    }
}

/// Signs in through an instance; the session cookie.
pub(crate) fn sign_in(port: u16, username: &str, password: &str) -> Answer {
    let form = format!("username={username}&password={}&next=%2F", tiendo_web::forms::url_encode(password));
    request(port, "POST", "/login", "", &[], &form)
}

pub(crate) fn session_cookie(answer: &Answer) -> String {
    let set = answer.header("set-cookie").unwrap_or_else(|| panic!("no cookie: {} {}", answer.status, answer.body));
    set.split(';').next().unwrap().to_owned()
}

pub(crate) fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"_csrf\" value=\"").expect("a form with its CSRF token") + 20;
    page[at..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn scalar(db: &tiendo_db::Db, sql: &str) -> i64 {
    let (n,): (i64,) = db.fetch_one(Query::new(sql.to_owned())).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_share_writes_sessions_throttle_cache_files_and_schedules() {
    let t = TestDb::empty().await;
    let url = t.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("audit.key"), TEST_AUDIT_KEY).unwrap();
    let files = Files::new(dir.path());

    // Both start together on an empty database: the migrations run once, under the lock.
    let mut a = Instance::start(dir.path(), "a", &url, &files);
    let mut b = Instance::start(dir.path(), "b", &url, &files);
    a.wait_ready();
    b.wait_ready();
    assert!(migrate::status(t.db()).await.unwrap().is_current());
    let versions = migrate::migrations().len() as i64;
    assert_eq!(scalar(t.db(), "SELECT COUNT(*) FROM schema_migrations").await, versions);
    // Both schedulers ran on the empty database: each schedule fired once for its slot, not once per
    // instance (a slot may turn while they run: at most two per schedule, each with one job).
    let schedules = tiendo::jobs::schedules().len() as i64;
    let deadline = Instant::now() + Duration::from_secs(10);
    while scalar(t.db(), "SELECT COUNT(DISTINCT name) FROM schedule_runs").await < schedules {
        assert!(Instant::now() < deadline, "the schedulers did not fire every schedule within 10 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let runs = scalar(t.db(), "SELECT COUNT(*) FROM schedule_runs").await;
    assert!(runs <= 2 * schedules, "{runs} runs of {schedules} schedules");
    let scheduled_kinds = "SELECT k.kind FROM schedule_runs s JOIN jobs k ON k.id = s.job_id";
    assert_eq!(
        scalar(t.db(), &format!("SELECT COUNT(*) FROM jobs WHERE kind IN ({scheduled_kinds})")).await,
        runs,
        "a scheduled job was enqueued by both instances"
    );
    drop((a, b));

    // The demo's data, its files in the shared store.
    tiendo::demo::seed(t.db(), &files.store()).await.unwrap();
    let runs_before = scalar(t.db(), "SELECT COUNT(*) FROM schedule_runs").await;
    let mut a = Instance::start(dir.path(), "a", &url, &files);
    let mut b = Instance::start(dir.path(), "b", &url, &files);
    a.wait_ready();
    b.wait_ready();
    let password = tiendo::demo::accounts::DEMO_PASSWORD;

    // A session opened through A is a session on B, and B's CSRF token is good on A.
    let signed = sign_in(a.port, "bientap", password);
    assert_eq!(signed.status, 303, "{}", signed.body);
    let editor = session_cookie(&signed);
    let list = get(b.port, "/admin/articles", &editor);
    assert_eq!(list.status, 200, "the session opened on A is known to B");
    let token = csrf_of(&list.body);

    // A public page cached by B, then the article unpublished through A: B stops serving it within 2 s.
    let (id, slug): (i64, String) = t
        .db()
        .fetch_one(Query::new(
            "SELECT id, slug FROM articles WHERE state = 'published' ORDER BY published_at DESC, id DESC LIMIT 1",
        ))
        .await
        .unwrap();
    let page = format!("/news/{slug}");
    assert_eq!(get(b.port, &page, "").status, 200);
    assert_eq!(get(b.port, &page, "").status, 200, "served again, from B's cache");
    let without_token =
        request(a.port, "POST", &format!("/admin/articles/{id}/workflow"), &editor, &[], "action=unpublish");
    assert_eq!(without_token.status, 403, "a write without the CSRF token is refused on A too");
    let moved = request(
        a.port,
        "POST",
        &format!("/admin/articles/{id}/workflow"),
        &editor,
        &[("X-CSRF-Token", &token)],
        "action=unpublish",
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    let changed = Instant::now();
    let mut gone = false;
    while changed.elapsed() < Duration::from_secs(2) {
        if get(b.port, &page, "").status == 404 {
            gone = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(gone, "B still served the unpublished article 2 s after the change through A");
    // The change is visible at once in B's signed-in pages (never cached).
    let editor_view = get(b.port, &format!("/admin/articles/{id}"), &editor);
    assert_eq!(editor_view.status, 200);
    assert_eq!(
        scalar(t.db(), &format!("SELECT COUNT(*) FROM articles WHERE id = {id} AND state = 'unpublished'")).await,
        1
    );

    // A file stored through the shared store (a portal image) is served by both instances.
    let (media, variant, format): (i64, String, String) = t
        .db()
        .fetch_one(Query::new(
            "SELECT m.id, v.name, m.format FROM portal_media m JOIN portal_media_variants v ON v.media_id = m.id \
             LEFT JOIN articles a ON a.id = m.article_id WHERE m.purpose = 'badge' OR a.state = 'published' \
             ORDER BY m.id, v.name LIMIT 1",
        ))
        .await
        .unwrap();
    let path = format!("/media/{media}/{variant}.{}", if format == "png" { "png" } else { "jpg" });
    let (from_a, from_b) = (get(a.port, &path, ""), get(b.port, &path, ""));
    assert_eq!((from_a.status, from_b.status), (200, 200), "{path}");
    assert!(!from_a.body.is_empty());
    assert_eq!(from_a.body, from_b.body);

    // The login throttle counts the failures made on both instances: five wrong passwords, alternating,
    // lock the account on either, even with the right password.
    for n in 0..5 {
        let port = if n % 2 == 0 { a.port } else { b.port };
        assert_eq!(sign_in(port, "chuyengia", "not the password").status, 401);
    }
    assert_eq!(sign_in(a.port, "chuyengia", password).status, 429);
    assert_eq!(sign_in(b.port, "chuyengia", password).status, 429);

    // Signing out through B ends the session on A.
    let out = request(b.port, "POST", "/logout", &editor, &[("X-CSRF-Token", &token)], "");
    assert!(matches!(out.status, 303 | 200), "{}", out.status);
    let after = get(a.port, "/admin/articles", &editor);
    assert_ne!(after.status, 200, "the session ended on B is over on A");

    // Restarted (perhaps on the same slot), neither instance enqueued a schedule's slot a second time: no
    // two jobs of a scheduled kind for the same instant.
    let twice = format!(
        "SELECT COUNT(*) FROM (SELECT kind, run_at FROM jobs WHERE kind IN ({scheduled_kinds}) \
         GROUP BY kind, run_at HAVING COUNT(*) > 1) d"
    );
    assert_eq!(scalar(t.db(), &twice).await, 0, "a schedule's slot was enqueued twice");
    assert!(scalar(t.db(), "SELECT COUNT(*) FROM schedule_runs").await >= runs_before);
    if t.db().backend() == Backend::Postgres {
        // The instances' pools are real connections to the one server.
        assert!(
            scalar(t.db(), "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_activity WHERE datname = current_database()")
                .await
                >= 3
        );
    }
}
