//! The load test of issue 20 (`benches/load.sh`, or `cargo bench -p tiendo --bench load`): real `tiendo
//! serve` processes (the release binary) on generated data of a province, and generated users working them
//! over HTTP for a while, as a department's staff, the communes and the public would.
//!
//! Data: the monitoring province of issue 6 (150 organisations, 200 plans, 2,000 tasks, 20,000 assignments,
//! 200,000 progress updates), the 54 communes of Quảng Ninh on today's map with ten years (2016–2025) of
//! approved monthly reports of 20 fields and their aggregate cells, and 500 published articles (written and
//! published through the API before the load starts).
//!
//! Users (each signs in through the login form, or reads anonymously; each has its own client address, as
//! behind a load balancer that forwards `X-Forwarded-For`), by default 200:
//!
//! - commune officers (one per commune): open the month's report, save its values a few times, submit it;
//!   read their dashboard of work, the list of their reports, search;
//! - department officers: the dashboard, the lists (assignments, overdue, organisations), the approval of
//!   submitted reports and of submitted progress updates, search, API reads;
//! - leaders: the dashboard, the scorecard of reports, the overdue list, search;
//! - the public (anonymous): the portal's home, article pages, comments.
//!
//! Each user waits a think time (uniform between half and one and a half of `LOAD_THINK_MS`, default
//! 5,000 ms) between two requests. Every answer other than a success (or a redirect of the login) counts as
//! an error. The report prints per kind of request the count, p50, p99 and errors, the throughput, and the
//! servers' CPU time (so that a throughput per core can be read on a shared machine).
//!
//! Environment: `LOAD_USERS` (200), `LOAD_SECONDS` (600), `LOAD_THINK_MS` (5000), `LOAD_INSTANCES` (1 on
//! SQLite, 2 on PostgreSQL); `TEST_DATABASE_URL=postgres://…` runs it on PostgreSQL (a fresh database
//! copied from the migrated template, as the tests do); `LOAD_KEEP=1` keeps that database (its URL is printed;
//! with `LOAD_SECONDS=0` the run only generates it). Not part of the test suite.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::reporting::{Period, TemplateDef};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::testing::generator::reports::{MonthlyReports, monthly_reports};
use tiendo_db::testing::generator::{self, Size};
use tiendo_db::testing::{TEST_AUDIT_KEY, TestDb};
use tiendo_db::{Db, Exec, Query};

const TEMPLATE_CODE: &str = "LOAD-THANG";
const FIELDS: usize = 20;
const PROVINCE: &str = "22";
const PASSWORD: &str = "tai-thu-2026-mat-khau";
const ARTICLES: usize = 500;
/// Comments one reader posts at most (the default limit is per address and ten minutes).
const COMMENTS_PER_READER: usize = 3;
const SEARCHES: [&str; 8] = [
    "kế hoạch",
    "khoa hoc cong nghe",
    "chuyển đổi số",
    "UBND",
    "nghị quyết",
    "quang yen",
    "báo cáo tiến độ",
    "đổi mới",
];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// A small deterministic generator (the users' choices), one per user.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn template_source() -> String {
    tiendo_db::testing::generator::reports::template_source(TEMPLATE_CODE, "Báo cáo tháng (thử tải)", "LOAD", FIELDS)
}

fn values(seed: u64) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> =
        (1..=FIELDS).map(|i| (format!("f{i:02}"), serde_json::json!(seed % 1000 + i as u64))).collect();
    serde_json::Value::Object(map)
}

/// Ten years of approved monthly reports of the 54 communes of Quảng Ninh, with their aggregate cells.
async fn reports(db: &Db) -> Vec<i64> {
    let source = template_source();
    let def = TemplateDef::parse(&source).expect("the load template");
    let spec = MonthlyReports {
        def: &def,
        source: &source,
        province: Some(PROVINCE),
        first_month: NaiveDate::from_ymd_opt(2016, 1, 1).expect("a date"),
        months: 120,
    };
    let generated = monthly_reports(db, &spec).await.expect("generate the reports");
    for line in generated.lines() {
        println!("{line}");
    }
    generated.organizations
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Commune,
    Officer,
    Leader,
    Public,
}

/// One generated user.
struct User {
    kind: Kind,
    username: String,
    token: String,
    org: Option<i64>,
    /// The client address the load balancer forwards.
    address: String,
    cookie: String,
}

async fn account(db: &Db, username: &str, org: Option<i64>, grant: Grant, hash: &str) -> String {
    let now = Utc::now();
    let user = NewUser {
        username: username.into(),
        display_name: username.into(),
        email: None,
        person_id: None,
        organization_id: org,
        password_hash: hash.into(),
        must_change_password: false,
    };
    let id = identity::create_user(db, &user, now).await.expect("user");
    identity::add_grant(db, id, &grant, None, now).await.expect("grant");
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(db, id, "load", &digest, &token[..8], None, now).await.expect("token");
    token
}

/// A running `tiendo serve`.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(dir: &Path, name: &str, url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiendo"));
        for (key, _) in std::env::vars() {
            if key.starts_with("TIENDO_") {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(dir)
            .args(["serve", "--data-dir", name, "--database-url", url, "--listen", &format!("127.0.0.1:{port}")])
            .env("TIENDO_AUDIT_KEY_FILE", dir.join("audit.key"))
            .env("TIENDO_TRUST_PROXY", "true")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join(format!("{name}.log"))).unwrap());
        let child = cmd.spawn().expect("start tiendo serve");
        Server { child, base: format!("http://127.0.0.1:{port}") }
    }

    /// Its user and system CPU time so far, in seconds.
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    }

    fn rss_mb(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

/// What the users share: submitted reports and progress updates waiting for a decision.
#[derive(Default)]
struct Queues {
    reports: Vec<i64>,
    updates: Vec<i64>,
}

/// One request's outcome.
struct Sample {
    kind: &'static str,
    took: Duration,
    error: Option<String>,
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn send(
        &self,
        user: &User,
        method: reqwest::Method,
        path: &str,
        api: bool,
        body: Option<serde_json::Value>,
    ) -> (Duration, Result<serde_json::Value, String>) {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).header("x-forwarded-for", &user.address);
        if api {
            request = request.header("authorization", format!("Bearer {}", user.token));
        } else if !user.cookie.is_empty() {
            request = request.header("cookie", &user.cookie);
        }
        if let Some(json) = body {
            request = request.json(&json);
        }
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status();
                let bytes = response.bytes().await;
                match bytes {
                    Ok(bytes) if status.is_success() => {
                        Ok(serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
                    }
                    Ok(bytes) => Err(format!("{status} {}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)]))),
                    Err(e) => Err(format!("reading the body: {e}")),
                }
            }
            Err(e) => Err(format!("no answer: {e}")),
        };
        (started.elapsed(), outcome)
    }
}

/// A commune officer's report of the month: opened, saved a few times, submitted.
struct Draft {
    id: i64,
    version: i64,
    saves: u32,
}

/// One user's session of work until `until`.
/// What every user's session shares.
#[derive(Clone)]
struct Shared {
    think: Duration,
    until: Instant,
    queues: Arc<Mutex<Queues>>,
    articles: Arc<Vec<(i64, String)>>,
}

async fn work(client: Client, user: User, seed: u64, shared: Shared, mut periods: Vec<Period>) -> Vec<Sample> {
    let Shared { think, until, queues, articles } = shared;
    use reqwest::Method;
    let mut rng = Rng(seed | 1);
    let mut samples = Vec::new();
    let mut draft: Option<Draft> = None;
    let mut comments = 0;
    // Start spread over one think time, as users arrive.
    tokio::time::sleep(Duration::from_millis(rng.below(think.as_millis() as u64 + 1))).await;
    while Instant::now() < until {
        let roll = rng.below(100);
        let (kind, took, outcome): (&'static str, Duration, Result<serde_json::Value, String>) = match user.kind {
            Kind::Commune => match roll {
                0..=39 => {
                    // The month's report: open it, save it, and after three saves submit it.
                    match draft.take() {
                        None if periods.is_empty() => {
                            let (t, o) = client.send(&user, Method::GET, "/reports", false, None).await;
                            ("page: reports list", t, o)
                        }
                        None => {
                            let period = periods.remove(0);
                            let body = serde_json::json!({"template": TEMPLATE_CODE, "organization_id": user.org, "period": period.code()});
                            let (t, o) = client.send(&user, Method::POST, "/api/v1/reports", true, Some(body)).await;
                            if let Ok(r) = &o {
                                draft = Some(Draft {
                                    id: r["id"].as_i64().unwrap_or_default(),
                                    version: r["version"].as_i64().unwrap_or_default(),
                                    saves: 0,
                                });
                            }
                            ("api: open a report", t, o)
                        }
                        Some(mut d) => {
                            let submit = d.saves >= 3;
                            let body = serde_json::json!({"version": d.version, "values": values(rng.next()), "submit": submit});
                            let path = format!("/api/v1/reports/{}/values", d.id);
                            let (t, o) = client.send(&user, Method::PUT, &path, true, Some(body)).await;
                            if let Ok(r) = &o {
                                d.version = r["version"].as_i64().unwrap_or(d.version);
                                d.saves += 1;
                                if submit {
                                    queues.lock().unwrap().reports.push(d.id);
                                } else {
                                    draft = Some(d);
                                }
                            }
                            (if submit { "api: submit a report" } else { "api: save report values" }, t, o)
                        }
                    }
                }
                40..=59 => {
                    let (t, o) = client.send(&user, Method::GET, "/work", false, None).await;
                    ("page: my work", t, o)
                }
                60..=74 => {
                    let (t, o) = client.send(&user, Method::GET, "/reports", false, None).await;
                    ("page: reports list", t, o)
                }
                75..=89 => {
                    let q = SEARCHES[rng.below(SEARCHES.len() as u64) as usize];
                    let path = format!("/api/v1/search?q={}", urlencode(q));
                    let (t, o) = client.send(&user, Method::GET, &path, true, None).await;
                    ("api: search", t, o)
                }
                _ => {
                    let (t, o) = client.send(&user, Method::GET, "/api/v1/assignments?limit=50", true, None).await;
                    ("api: assignments", t, o)
                }
            },
            Kind::Officer | Kind::Leader => match roll {
                0..=19 => {
                    let (t, o) = client.send(&user, Method::GET, "/dashboard", false, None).await;
                    ("page: dashboard", t, o)
                }
                20..=29 => {
                    let page = 1 + rng.below(20);
                    let (t, o) =
                        client.send(&user, Method::GET, &format!("/assignments?page={page}"), false, None).await;
                    ("page: assignments list", t, o)
                }
                30..=37 => {
                    let (t, o) = client.send(&user, Method::GET, "/overdue", false, None).await;
                    ("page: overdue list", t, o)
                }
                38..=42 => {
                    let (t, o) = client.send(&user, Method::GET, "/organizations", false, None).await;
                    ("page: organisations", t, o)
                }
                43..=54 if user.kind == Kind::Leader => {
                    // Reports are approved by the department's leaders.
                    let next = queues.lock().unwrap().reports.pop();
                    if let Some(id) = next {
                        let body = serde_json::json!({"decision": "approve"});
                        let path = format!("/api/v1/reports/{id}/decision");
                        let (t, o) = client.send(&user, Method::POST, &path, true, Some(body)).await;
                        ("api: approve a report", t, o)
                    } else {
                        let path = format!("/reports/aggregates?province={PROVINCE}");
                        let (t, o) = client.send(&user, Method::GET, &path, false, None).await;
                        ("page: report aggregates", t, o)
                    }
                }
                43..=54 => {
                    // Progress updates are accepted by the officers of the assigning department.
                    let next = queues.lock().unwrap().updates.pop();
                    if let Some(id) = next {
                        let body = serde_json::json!({"decision": "accept"});
                        let path = format!("/api/v1/updates/{id}/decision");
                        let (t, o) = client.send(&user, Method::POST, &path, true, Some(body)).await;
                        ("api: accept a progress update", t, o)
                    } else {
                        let (t, o) = client.send(&user, Method::GET, "/reports/queue", false, None).await;
                        ("page: reports to review", t, o)
                    }
                }
                55..=74 => {
                    let q = SEARCHES[rng.below(SEARCHES.len() as u64) as usize];
                    let path = format!("/api/v1/search?q={}", urlencode(q));
                    let (t, o) = client.send(&user, Method::GET, &path, true, None).await;
                    ("api: search", t, o)
                }
                75..=84 => {
                    let (t, o) = client.send(&user, Method::GET, "/api/v1/dashboard", true, None).await;
                    ("api: dashboard", t, o)
                }
                85..=94 => {
                    let (t, o) = client.send(&user, Method::GET, "/api/v1/assignments?limit=50", true, None).await;
                    ("api: assignments", t, o)
                }
                _ => {
                    let (_, slug) = &articles[rng.below(articles.len() as u64) as usize];
                    let (t, o) = client.send(&user, Method::GET, &format!("/news/{slug}"), false, None).await;
                    ("portal: article page", t, o)
                }
            },
            Kind::Public => match roll {
                0..=24 => {
                    let (t, o) = client.send(&user, Method::GET, "/", false, None).await;
                    ("portal: home", t, o)
                }
                25..=84 => {
                    let (_, slug) = &articles[rng.below(articles.len() as u64) as usize];
                    let (t, o) = client.send(&user, Method::GET, &format!("/news/{slug}"), false, None).await;
                    ("portal: article page", t, o)
                }
                85..=94 => {
                    let (t, o) = client.send(&user, Method::GET, "/news", false, None).await;
                    ("portal: news list", t, o)
                }
                _ if comments < COMMENTS_PER_READER => {
                    comments += 1;
                    let (id, _) = &articles[rng.below(articles.len() as u64) as usize];
                    let body = serde_json::json!({
                        "name": format!("Bạn đọc {}", user.username),
                        "text": "Cảm ơn Sở đã thông tin kịp thời, mong sớm có kết quả ở xã chúng tôi.",
                    });
                    let path = format!("/api/v1/articles/{id}/comments");
                    let (t, o) = client.send(&user, Method::POST, &path, false, Some(body)).await;
                    ("portal: post a comment", t, o)
                }
                _ => {
                    let (id, _) = &articles[rng.below(articles.len() as u64) as usize];
                    let path = format!("/api/v1/articles/{id}/comments");
                    let (t, o) = client.send(&user, Method::GET, &path, false, None).await;
                    ("portal: comments of an article", t, o)
                }
            },
        };
        samples.push(Sample { kind, took, error: outcome.err() });
        let half = think.as_millis() as u64 / 2;
        tokio::time::sleep(Duration::from_millis(half + rng.below(2 * half + 1))).await;
    }
    samples
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let users = env_number("LOAD_USERS", 200) as usize;
    let seconds = env_number("LOAD_SECONDS", 600);
    let think = Duration::from_millis(env_number("LOAD_THINK_MS", 5_000));
    let postgres = std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"));
    let instances = env_number("LOAD_INSTANCES", if postgres { 2 } else { 1 }) as usize;
    println!(
        "load: {users} users, {seconds} s, think time {think:?}, {} with {instances} instance(s)",
        if postgres { "PostgreSQL" } else { "SQLite" }
    );

    // Data.
    let started = Instant::now();
    let test = TestDb::new().await;
    let db = test.db();
    let today = tiendo_core::time::vietnam_date(Utc::now());
    let generated = generator::province(db, &Size::PROVINCE, 20, today).await.expect("generate the province");
    println!(
        "  data: province: {} organisations, {} plans, {} tasks, {} assignments, {} updates in {:.1?}",
        generated.organizations.len(),
        generated.plans.len(),
        generated.tasks,
        generated.assignments,
        generated.updates,
        started.elapsed()
    );
    let communes = reports(db).await;
    let (submitted,): (i64,) =
        db.fetch_one(Query::new("SELECT COUNT(*) FROM progress_updates WHERE status = 'submitted'")).await.unwrap();
    let updates: Vec<(i64,)> = db
        .fetch_all(Query::new("SELECT id FROM progress_updates WHERE status = 'submitted' ORDER BY id"))
        .await
        .unwrap();

    // Accounts: one officer per commune, then department officers, leaders, and the public.
    let hash = tiendo_app::password::hash(PASSWORD.to_owned()).await.expect("hash");
    let mut people = Vec::new();
    let communes_n = communes.len().min(users);
    let officers = (users - communes_n) * 4 / 10;
    let leaders = (users - communes_n) / 10;
    for i in 0..users {
        let (kind, org, grant) = if let Some(&org) = communes.get(i).filter(|_| i < communes_n) {
            (Kind::Commune, Some(org), Some(Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) }))
        } else if i < communes_n + officers {
            (Kind::Officer, None, Some(Grant { role: Role::DepartmentOfficer, scope: Scope::Province }))
        } else if i < communes_n + officers + leaders {
            (Kind::Leader, None, Some(Grant { role: Role::DepartmentLeader, scope: Scope::Province }))
        } else {
            (Kind::Public, None, None)
        };
        let username = format!("tai{i:03}");
        let token = match grant {
            Some(grant) => account(db, &username, org, grant, &hash).await,
            None => String::new(),
        };
        let address = format!("10.20.{}.{}", i / 250, 1 + i % 250);
        people.push(User { kind, username, token, org, address, cookie: String::new() });
    }
    let editor = account(db, "tai_bientap", None, Grant { role: Role::Editor, scope: Scope::Province }, &hash).await;
    if postgres {
        db.execute(Query::new("VACUUM (ANALYZE)")).await.expect("vacuum");
        db.execute(Query::new("CHECKPOINT")).await.expect("checkpoint");
    } else {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }
    println!(
        "  data: {} communes with 10 years of reports, {submitted} progress updates awaiting a decision, {users} \
         users; ready in {:.1?}",
        communes.len(),
        started.elapsed()
    );
    // `LOAD_KEEP=1` keeps the generated database after the run (its URL is printed), to study its queries
    // (`EXPLAIN ANALYZE`) without generating it again; `LOAD_SECONDS=0` then only generates it.
    let keep = std::env::var("LOAD_KEEP").is_ok();
    if keep {
        println!("  keeping the database: {}", test.url());
    }

    // Servers.
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("audit.key"), TEST_AUDIT_KEY).unwrap();
    let url = test.url();
    let servers: Vec<Server> = (0..instances).map(|i| Server::start(dir.path(), &format!("i{i}"), &url)).collect();
    // reqwest is built without a TLS provider of its own (the object store installs ring's); plain HTTP here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(users)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client");
    let start_wait = Instant::now();
    for server in &servers {
        // Ready once the search index is built (the server rebuilds it at start).
        loop {
            let probe = http
                .get(format!("{}/api/v1/search?q=ke+hoach", server.base))
                .header("authorization", format!("Bearer {editor}"))
                .send()
                .await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(start_wait.elapsed() < Duration::from_secs(600), "the servers did not become ready");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    println!("  servers ready (index built) in {:.1?}", start_wait.elapsed());

    // Articles, written and published through the API.
    let first = &servers[0].base;
    let mut articles = Vec::new();
    for i in 0..ARTICLES {
        let body = serde_json::json!({
            "title": format!("Sở KH&CN làm việc với xã số {} về chuyển đổi số và đổi mới sáng tạo", i + 1),
            "summary": "Đoàn công tác của Sở đã làm việc, kiểm tra tiến độ các nhiệm vụ được giao.",
            "body": "Sáng nay, đoàn công tác của Sở Khoa học và Công nghệ đã làm việc với Ủy ban nhân dân xã về \
                     tiến độ thực hiện Nghị quyết 57-NQ/TW.\n\nĐoàn ghi nhận kết quả và đề nghị xã hoàn thành \
                     các chỉ tiêu trong quý.",
        });
        let created = http
            .post(format!("{first}/api/v1/articles"))
            .header("authorization", format!("Bearer {editor}"))
            .json(&body)
            .send()
            .await
            .expect("create an article");
        assert!(created.status().is_success(), "create an article: {}", created.status());
        let article: serde_json::Value = created.json().await.expect("JSON");
        let id = article["id"].as_i64().expect("id");
        // The editorial workflow: submitted, then published.
        for action in ["submit", "publish"] {
            let moved = http
                .post(format!("{first}/api/v1/articles/{id}/transitions"))
                .header("authorization", format!("Bearer {editor}"))
                .json(&serde_json::json!({"action": action}))
                .send()
                .await
                .expect("move the article");
            let status = moved.status();
            assert!(status.is_success(), "{action} an article: {status} {}", moved.text().await.unwrap_or_default());
        }
        articles.push((id, article["slug"].as_str().unwrap_or_default().to_owned()));
    }
    println!("  {ARTICLES} articles published");

    // Sign-ins through the form, each user on its instance (sticky, as a load balancer would keep them).
    for (i, user) in people.iter_mut().enumerate().filter(|(_, u)| u.kind != Kind::Public) {
        let base = &servers[i % instances].base;
        let response = http
            .post(format!("{base}/login"))
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", &user.address)
            .form(&[("username", user.username.as_str()), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "sign-in of {}", user.username);
        let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        user.cookie = cookie.split(';').next().unwrap_or_default().to_owned();
    }

    // The load.
    let queues =
        Arc::new(Mutex::new(Queues { reports: Vec::new(), updates: updates.into_iter().map(|(id,)| id).collect() }));
    let articles = Arc::new(articles);
    let mut months = Vec::new();
    let mut period = Period::Month(2026, 1);
    while period.start() <= today && months.len() < 11 {
        months.push(period);
        period = period.next().expect("a next month");
    }
    let cpu_before: Vec<f64> = servers.iter().map(Server::cpu_seconds).collect();
    let until = Instant::now() + Duration::from_secs(seconds);
    let load_started = Instant::now();
    let tasks: Vec<_> = people
        .into_iter()
        .enumerate()
        .map(|(i, user)| {
            let client = Client { http: http.clone(), base: servers[i % instances].base.clone() };
            let shared = Shared { think, until, queues: queues.clone(), articles: articles.clone() };
            tokio::spawn(work(client, user, 0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1), shared, months.clone()))
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.expect("a user's task"));
    }
    let elapsed = load_started.elapsed();
    let cpu: f64 = servers.iter().zip(&cpu_before).map(|(s, before)| s.cpu_seconds() - before).sum();
    let rss: Vec<String> = servers.iter().map(|s| format!("{:.0} MB", s.rss_mb())).collect();

    // Report.
    let mut by_kind: BTreeMap<&str, (Vec<Duration>, usize)> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for s in &samples {
        let entry = by_kind.entry(s.kind).or_default();
        entry.0.push(s.took);
        if let Some(e) = &s.error {
            entry.1 += 1;
            *errors.entry(format!("{}: {e}", s.kind)).or_default() += 1;
        }
    }
    println!("\n{:<36} {:>7} {:>10} {:>10} {:>7}", "request", "n", "p50", "p99", "errors");
    for (kind, (mut took, errs)) in by_kind {
        took.sort_unstable();
        println!(
            "{kind:<36} {:>7} {:>10.1?} {:>10.1?} {:>7}",
            took.len(),
            percentile(&took, 0.5),
            percentile(&took, 0.99),
            errs
        );
    }
    let mut all: Vec<Duration> = samples.iter().map(|s| s.took).collect();
    all.sort_unstable();
    let failed: usize = errors.values().sum();
    let rate = samples.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{:<36} {:>7} {:>10.1?} {:>10.1?} {:>7}",
        "all",
        samples.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        failed
    );
    println!(
        "\nthroughput {rate:.1} requests/s over {:.0} s; servers' CPU {cpu:.1} s ({:.2} cores busy, {:.0} requests \
         per CPU-second); resident memory {}",
        elapsed.as_secs_f64(),
        cpu / elapsed.as_secs_f64(),
        samples.len() as f64 / cpu.max(0.001),
        rss.join(", ")
    );
    for (error, n) in errors.iter().take(20) {
        let short: String = error.chars().take(300).collect();
        println!("  error ×{n}: {short}");
    }
    drop(servers);
    if keep {
        std::mem::forget(test);
    }
    if failed > 0 {
        // What the servers logged about the failures.
        for i in 0..instances {
            let log = std::fs::read_to_string(dir.path().join(format!("i{i}.log"))).unwrap_or_default();
            for line in log.lines().filter(|l| l.contains("ERROR")).take(10) {
                println!("  server {i}: {}", line.chars().take(600).collect::<String>());
            }
        }
    }
}
