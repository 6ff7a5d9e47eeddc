//! Search over a generated province (issue 15 budgets, end to end): the monitoring data of issue 6's
//! performance bar (200 plans, 2,000 tasks, 20,000 assignments, 200,000 progress updates, 150 organisations:
//! some 222,000 records) indexed from the database by `tiendo_app::search::rebuild`, the time from a change
//! to the change being searchable with the follower of a server running, and `GET /api/v1/search` through
//! the real router as a department leader (everything) and as a commune's officer (its own records).
//!
//! Run: `cargo bench -p tiendo-web --bench search` (release build, SQLite in a temporary directory; set
//! `TEST_DATABASE_URL` to measure on PostgreSQL). `BENCH_SIZE=tiny` for a quick check.
//!
//! Baselines in the same run: reading every record's rows without indexing them (the database's share of a
//! rebuild), and a signed-in `GET /api/v1/status` (authentication and the middleware stack, no search).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_db::search::{Table, records as rows};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::generator::{self, Size};
use tiendo_db::{Backend, Exec, Query, identity};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>, budget: Option<(Duration, Duration)>) -> Duration {
    samples.sort_unstable();
    let (p50, p99) = (percentile(&samples, 0.50), percentile(&samples, 0.99));
    let verdict = match budget {
        Some((b50, b99)) if p50 < b50 && p99 < b99 => {
            format!("within budget (p50 < {:.0} ms, p99 < {:.0} ms)", ms(b50), ms(b99))
        }
        Some((b50, b99)) => format!("OVER BUDGET (p50 < {:.0} ms, p99 < {:.0} ms)", ms(b50), ms(b99)),
        None => String::new(),
    };
    println!("{name:<46} n={:<4} p50 {:>7.2} ms  p99 {:>7.2} ms  {verdict}", samples.len(), ms(p50), ms(p99));
    p50
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn account(db: &tiendo_db::Db, username: &str, org: i64, grant: Grant) -> String {
    let now = chrono::Utc::now();
    let user = identity::NewUser {
        username: username.into(),
        display_name: username.into(),
        email: None,
        person_id: None,
        organization_id: Some(org),
        password_hash: "unused".into(),
        must_change_password: false,
    };
    let id = identity::create_user(db, &user, now).await.expect("user");
    identity::add_grant(db, id, &grant, None, now).await.expect("grant");
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(db, id, "bench", &digest, &token[..8], None, now).await.expect("token");
    token
}

async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (Duration, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {token}"));
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let started = Instant::now();
    let res = router.clone().oneshot(request.body(body).expect("request")).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let elapsed = started.elapsed();
    assert!(status.is_success(), "{uri}: {status} {}", String::from_utf8_lossy(&bytes));
    (elapsed, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

async fn run() {
    println!("load average before: {}", load_average());
    let tiny = std::env::var("BENCH_SIZE").is_ok_and(|s| s == "tiny");
    let size = if tiny { Size::TINY } else { Size::PROVINCE };
    let t = TestDb::new().await;
    let db = t.db();
    let today = tiendo_core::time::vietnam_date(chrono::Utc::now());
    let generated = generator::province(db, &size, 2026, today).await.expect("generate the province");
    if db.backend() == Backend::Postgres {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }
    println!(
        "machine: {} cores; backend: {}; {} organisations, {} plans, {} tasks, {} assignments, {} updates",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        db.backend().name(),
        generated.organizations.len(),
        generated.plans.len(),
        generated.tasks,
        generated.assignments,
        generated.updates,
    );

    // Baseline: the rows of every record, read as a rebuild reads them, without building documents.
    let started = Instant::now();
    let mut records = 0u64;
    for table in Table::ALL {
        let mut after = 0;
        loop {
            let ids = tiendo_db::search::ids_after(db, table, after, 500).await.expect("ids");
            let Some(last) = ids.last().copied() else { break };
            after = last;
            records += ids.len() as u64;
            match table {
                Table::Tasks => drop(rows::tasks(db, &ids).await.expect("rows")),
                Table::Assignments => drop(rows::assignments(db, &ids).await.expect("rows")),
                Table::ProgressUpdates => drop(rows::updates(db, &ids).await.expect("rows")),
                Table::Plans => drop(rows::plans(db, &ids).await.expect("rows")),
                Table::Organizations => drop(rows::organizations(db, &ids).await.expect("rows")),
                _ => {}
            }
        }
    }
    let read = started.elapsed();
    println!(
        "{:<46} {records} records in {:.1} s: {:.0} records/s (baseline)",
        "read the rows only",
        read.as_secs_f64(),
        records as f64 / read.as_secs_f64()
    );

    let dir = tempfile::tempdir().expect("a temporary directory");
    let files = tiendo_db::files::FileStore::new(dir.path().join("files"));
    let app = tiendo_app::App::new(db.clone(), files, Settings::default())
        .with_search(tiendo_app::search::Engine::open(&dir.path().join("search")));
    let rss_before = rss_mb();
    let rebuilt = tiendo_app::search::rebuild(&app, &|_, _| {}).await.expect("rebuild");
    let rate = rebuilt.records as f64 / rebuilt.seconds;
    println!(
        "{:<46} {} documents in {:.1} s: {:.0} records/s ({:.1}× the baseline's time), {}",
        "rebuild from the database",
        rebuilt.documents,
        rebuilt.seconds,
        rate,
        rebuilt.seconds / read.as_secs_f64(),
        if rate >= 5_000.0 { "within budget (≥ 5,000 records/s)" } else { "OVER BUDGET (≥ 5,000 records/s)" }
    );
    let index_bytes: u64 = std::fs::read_dir(dir.path().join("search"))
        .expect("the index")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{:<46} {:.0} MB on disk; process RSS {rss_before:.0} MB before the rebuild, {:.0} MB after",
        "index",
        index_bytes as f64 / 1e6,
        rss_mb()
    );

    // `BENCH_KEEP_INDEX=<dir>` keeps a copy of the rebuilt index, to time queries against it again without
    // generating the province (`BENCH_INDEX=<dir> cargo bench -p tiendo-search --bench search`).
    if let Ok(keep) = std::env::var("BENCH_KEEP_INDEX") {
        let keep = std::path::Path::new(&keep);
        std::fs::create_dir_all(keep).expect("the directory to keep the index in");
        for entry in std::fs::read_dir(dir.path().join("search")).expect("the index") {
            let entry = entry.expect("an index file");
            std::fs::copy(entry.path(), keep.join(entry.file_name())).expect("the index copied");
        }
        println!(
            "index kept in {} (the commune officer's organisation: {})",
            keep.display(),
            generated.organizations.last().copied().unwrap_or_default()
        );
    }

    let router = tiendo_web::router(AppState::from_app(app.clone()));
    let leader = account(
        db,
        "lanhdao",
        generated.organizations[0],
        Grant { role: Role::DepartmentLeader, scope: Scope::Province },
    )
    .await;
    let commune = *generated.organizations.last().expect("an organisation");
    let officer =
        account(db, "xa", commune, Grant { role: Role::LocalityOfficer, scope: Scope::Organization(commune) }).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(tiendo_app::search::follow(app.clone(), Duration::from_millis(500), stopped));

    // From a change to its being searchable: a new document through the API, then search until found.
    let mut latencies = Vec::new();
    for n in 0..20 {
        let summary = format!("Kế hoạch đo độ trễ số {n} về nuôi trồng hàu Vân Đồn");
        let body = serde_json::json!({"symbol": format!("Số: {}/KH-SKHCN", 9000 + n), "summary": summary});
        call(&router, "POST", "/api/v1/documents", &leader, Some(body)).await;
        let changed = Instant::now();
        loop {
            let (_, found) = call(
                &router,
                "GET",
                &format!("/api/v1/search?q=do+do+tre+so+{n}+hau+van+don&facets=false"),
                &leader,
                None,
            )
            .await;
            if found["total"].as_u64() == Some(1) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        latencies.push(changed.elapsed());
    }
    latencies.sort_unstable();
    println!(
        "{:<46} n=20   p50 {:>7.0} ms  max {:>7.0} ms  {}",
        "change → searchable (follower every 500 ms)",
        ms(percentile(&latencies, 0.5)),
        ms(latencies[latencies.len() - 1]),
        if latencies[latencies.len() - 1] < Duration::from_secs(2) {
            "within budget (< 2 s)"
        } else {
            "OVER BUDGET (< 2 s)"
        }
    );
    stop.send(true).expect("stop");
    follower.await.expect("the follower");

    let mut base = Vec::new();
    for _ in 0..200 {
        base.push(call(&router, "GET", "/api/v1/status", &leader, None).await.0);
    }
    report("GET /api/v1/status (baseline)", base, None);
    let budget = Some((Duration::from_millis(10), Duration::from_millis(50)));
    let queries = [
        ("one word", "q=khoa"),
        ("one word, facets off", "q=khoa&facets=false"),
        ("multi-word", "q=chuyen+doi+so+co+quan+nha+nuoc"),
        ("abbreviation", "q=KH%26CN"),
        ("typo", "q=chuyeen+doi"),
        ("filtered by type and year", "q=tap+huan&kind=progress_update&year=2026"),
        ("page 5", "q=de+an&page=5"),
    ];
    for (who, token) in [("leader", &leader), ("commune officer", &officer)] {
        for (name, query) in queries {
            for _ in 0..5 {
                call(&router, "GET", &format!("/api/v1/search?{query}"), token, None).await;
            }
            let mut samples = Vec::new();
            let mut total = 0;
            for _ in 0..100 {
                let (took, body) = call(&router, "GET", &format!("/api/v1/search?{query}"), token, None).await;
                samples.push(took);
                total = body["total"].as_u64().unwrap_or_default();
            }
            report(&format!("{who}: {name} ({total} hits)"), samples, budget);
        }
    }
    println!("process RSS after the queries: {:.0} MB", rss_mb());
    println!("load average after: {}", load_average());
}
