//! Benchmark of issue 6's performance bar: a province with 200 plans, 20,000 assignments and 200,000
//! updates; the leader's dashboard under 150 ms of server time and the overdue list under 50 ms.
//!
//! Run: `cargo bench -p tiendo-web --bench monitoring` (release build, SQLite in a temporary directory; set
//! `TEST_DATABASE_URL` to measure on PostgreSQL, in a database of its own that is dropped afterwards).
//! `BENCH_SIZE=tiny` runs the same steps on a small data set (a quick check that the benchmark works).
//!
//! The data come from `tiendo_db::testing::generator` (seeded, so every run measures the same rows). The
//! requests go in process through the real router, signed in as a department leader with a province-wide
//! grant, and the time is taken until the whole body has been read: database, status derivation and
//! rendering included, network excluded. Baseline in the same run: a signed-in `GET /healthz` (session
//! lookup and the middleware stack, no page).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter};
use tiendo_db::monitoring::{Visibility, updates};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::generator::{self, Size};
use tiendo_db::{Backend, Exec, Query, identity};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

const PASSWORD: &str = "Mật khẩu đo hiệu năng 6";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Prints p50 and p95 and returns p50.
fn report(name: &str, mut samples: Vec<Duration>, budget: Option<Duration>, baseline: Option<Duration>) -> Duration {
    samples.sort_unstable();
    let p50 = percentile(&samples, 0.50);
    let p95 = percentile(&samples, 0.95);
    let verdict = match budget {
        Some(b) if p50 < b && p95 < b => format!("within budget ({:.0} ms)", ms(b)),
        Some(b) if p50 < b => format!("p50 within budget ({:.0} ms), p95 over", ms(b)),
        Some(b) => format!("OVER BUDGET ({:.0} ms)", ms(b)),
        None => String::new(),
    };
    let ratio = baseline.map(|b| format!("{:>6.0}× baseline", p50.as_secs_f64() / b.as_secs_f64())).unwrap_or_default();
    println!("{name:<40} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  {ratio}  {verdict}", samples.len(), ms(p50), ms(p95));
    p50
}

/// The load average of the machine (Linux), to tell a busy machine from a slow page.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time used so far by a process (user + system, Linux `/proc/<pid>/stat`, in clock ticks of 10 ms).
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The processes that serve this database: this one, and on PostgreSQL the server backends of its
/// connections (same machine).
async fn server_processes(db: &tiendo_db::Db) -> Vec<String> {
    let mut pids = vec!["self".to_owned()];
    if db.backend() == Backend::Postgres {
        let rows: Vec<(i32,)> = db
            .fetch_all(Query::new("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
            .await
            .expect("backends");
        pids.extend(rows.into_iter().map(|(pid,)| pid.to_string()));
    }
    pids
}

/// CPU used by the processes, in milliseconds (one sample per process).
fn cpu_ms(pids: &[String]) -> Vec<(String, f64)> {
    pids.iter().map(|p| (p.clone(), cpu_ticks(p).unwrap_or(0) as f64 * 10.0)).collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

/// A signed-in GET, timed until the whole body is read; `gzip` asks for a compressed body as browsers do.
async fn get(router: &axum::Router, uri: &str, cookie: &str, gzip: bool) -> (Duration, usize) {
    let mut request = Request::get(uri).header("cookie", cookie);
    if gzip {
        request = request.header("accept-encoding", "gzip");
    }
    let started = Instant::now();
    let res = router.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let elapsed = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&body));
    (elapsed, body.len())
}

async fn run() {
    println!("load average before: {}", load_average());
    let tiny = std::env::var("BENCH_SIZE").is_ok_and(|s| s == "tiny");
    let size = if tiny { Size::TINY } else { Size::PROVINCE };
    let t = TestDb::new().await;
    let db = t.db();
    println!(
        "machine: {} cores; backend: {}; size: {} organisations, {} plans, {} tasks, {} assignments, {} updates",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        db.backend().name(),
        size.organizations,
        size.plans,
        size.plans * size.tasks_per_plan,
        size.assignments,
        size.updates,
    );

    let today = tiendo_core::time::vietnam_date(chrono::Utc::now());
    let started = Instant::now();
    let generated = generator::province(db, &size, 2026, today).await.expect("generate the province");
    let load = started.elapsed();
    if db.backend() == Backend::Postgres {
        // What autovacuum does shortly after a bulk load.
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }
    println!(
        "{:<40} {:.1} s ({} assignments, {} coordinators, {} updates)",
        "generate (one transaction)",
        load.as_secs_f64(),
        generated.assignments,
        generated.coordinators,
        generated.updates
    );

    let all = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.expect("list");
    let mut mix: BTreeMap<StatusKind, usize> = BTreeMap::new();
    for a in &all {
        *mix.entry(derive_status(&a.facts(), today).kind).or_default() += 1;
    }
    let mix: Vec<String> = mix.iter().map(|(k, n)| format!("{} {n}", k.code())).collect();
    println!("{:<40} {}", "derived statuses today", mix.join(", "));

    let state = AppState::new(db.clone(), Settings::default());
    let router = tiendo_web::router(state);
    let hash = tiendo_app::password::hash(PASSWORD.to_owned()).await.expect("hash");
    let user = identity::NewUser {
        username: "lanhdao".into(),
        display_name: "Lãnh đạo Sở".into(),
        email: None,
        person_id: None,
        organization_id: Some(generated.organizations[0]),
        password_hash: hash,
        must_change_password: false,
    };
    let now = chrono::Utc::now();
    let id = identity::create_user(db, &user, now).await.expect("user");
    identity::add_grant(db, id, &Grant { role: Role::DepartmentLeader, scope: Scope::Province }, None, now)
        .await
        .expect("grant");
    let body = format!("username=lanhdao&password={}", tiendo_web::forms::url_encode(PASSWORD));
    let res = router
        .clone()
        .oneshot(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in failed");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();

    let (dashboard, overdue) = (Duration::from_millis(150), Duration::from_millis(50));
    // The dashboard and the lists cut pages from every assignment's status rows, which each instance keeps
    // until the database's stamp moves (`tiendo_app::monitoring::kept_status`): measured as they are read
    // (kept), and with an assignment's progress changed before each request (read again, the first
    // request after any change).
    let pages = [
        ("/dashboard", false, 30, dashboard, false),
        ("/dashboard", false, 30, dashboard, true),
        ("/overdue", false, 60, overdue, false),
        ("/overdue", false, 30, overdue, true),
        ("/overdue?page=40", false, 60, overdue, false),
        ("/dashboard", true, 30, dashboard, false),
        ("/overdue", true, 60, overdue, false),
    ];
    let (changed,): (i64,) = db.fetch_one(Query::new("SELECT MIN(id) FROM assignments")).await.expect("an assignment");
    let mut percent = 0_i64;
    // Warm up: connections, caches, the first statements prepared.
    for (uri, gzip, _, _, _) in &pages {
        for _ in 0..3 {
            get(&router, uri, &cookie, *gzip).await;
        }
    }
    let mut baseline = Vec::new();
    for _ in 0..200 {
        baseline.push(get(&router, "/healthz", &cookie, false).await.0);
    }
    let base = report("GET /healthz signed in (baseline)", baseline, None, None);
    for (uri, gzip, rounds, budget, change) in pages {
        let mut samples = Vec::with_capacity(rounds);
        let mut bytes = 0;
        let pids = server_processes(db).await;
        let before = cpu_ms(&pids);
        for _ in 0..rounds {
            if change {
                percent = (percent + 7) % 100;
                db.execute(Query::new("UPDATE assignments SET percent = $1 WHERE id = $2").bind(percent).bind(changed))
                    .await
                    .expect("change an assignment");
            }
            let (elapsed, len) = get(&router, uri, &cookie, gzip).await;
            samples.push(elapsed);
            bytes = len;
        }
        let after = cpu_ms(&pids);
        let name = format!(
            "GET {uri} ({} KiB{}{})",
            bytes / 1024,
            if gzip { " gzip" } else { "" },
            if change { ", after a change" } else { "" }
        );
        report(&name, samples, Some(budget), Some(base));
        // CPU per request does not depend on what else runs on the machine, unlike the latency.
        let used = |self_only: bool| -> f64 {
            before
                .iter()
                .zip(&after)
                .filter(|((pid, _), _)| (pid == "self") == self_only)
                .map(|((_, b), (_, a))| a - b)
                .sum::<f64>()
                / rounds as f64
        };
        if db.backend() == Backend::Postgres {
            println!(
                "{:<40} CPU per request: {:.1} ms in this process + {:.1} ms in PostgreSQL",
                "",
                used(true),
                used(false)
            );
        } else {
            println!("{:<40} CPU per request: {:.1} ms", "", used(true));
        }
    }

    // Where the time goes: the storage calls of the two pages alone, without the page around them, and the
    // full rows of every assignment for comparison (what the dashboard read before it read lean rows).
    let overdue = AssignmentFilter { open_and_due_before: Some(today), ..Default::default() };
    let mut candidates = 0;
    let mut parts: Vec<(&str, Vec<Duration>)> = vec![
        ("  status_rows(): every assignment, lean", vec![]),
        ("  list(): every assignment, full rows", vec![]),
        ("  list(): overdue candidates", vec![]),
        ("  updates::recent(): 10 latest", vec![]),
    ];
    for _ in 0..20 {
        let started = Instant::now();
        std::hint::black_box(
            assignments::status_rows(db, &AssignmentFilter::default(), &Visibility::All).await.expect("rows"),
        );
        parts[0].1.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(
            assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.expect("list"),
        );
        parts[1].1.push(started.elapsed());
        let started = Instant::now();
        candidates = assignments::list(db, &overdue, &Visibility::All).await.expect("list").len();
        parts[2].1.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(updates::recent(db, None, &Visibility::All, 10).await.expect("recent"));
        parts[3].1.push(started.elapsed());
    }
    for (name, samples) in parts {
        report(name, samples, None, Some(base));
    }
    println!("{:<40} {candidates}", "  overdue candidates from SQL");
    println!("load average after: {}", load_average());
}
