//! Benchmarks of issue 4: login latency under 16 concurrent logins (budget: p99 < 300 ms) and the cost
//! the authorization check adds to a request (budget: < 50 µs).
//!
//! Run: `cargo bench -p tiendo-web --bench auth` (release build, SQLite in a temporary directory; set
//! `TEST_DATABASE_URL` to measure on PostgreSQL). Baselines measured in the same run: an anonymous
//! request to the same router, and one Argon2id hash alone.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tiendo_core::authz::{Action, Actor, Grant, Resource, Role, Scope, Stage, authorize};
use tiendo_db::identity;
use tiendo_db::testing::TestDb;
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

const PASSWORD: &str = "Mật khẩu đo hiệu năng 1";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    let p50 = percentile(&samples, 0.50);
    let p99 = percentile(&samples, 0.99);
    println!("{name:<52} n={:<6} p50 {:>10.3?}  p99 {:>10.3?}", samples.len(), p50, p99);
    p99
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    println!(
        "machine: {} cores; backend: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if std::env::var("TEST_DATABASE_URL").is_ok() { "postgres" } else { "sqlite" }
    );

    // The authorization function itself, over every role and a record-level resource.
    let path = [1_i64, 30];
    let actors: Vec<Actor> = Role::ALL
        .iter()
        .map(|r| {
            Actor::user(
                7,
                vec![
                    Grant { role: *r, scope: Scope::Subtree(1) },
                    Grant { role: Role::Editor, scope: Scope::Province },
                ],
            )
        })
        .collect();
    let resource = Resource::UnitRecord { owner_path: &path, stage: Stage::Submitted };
    let rounds = 200_000;
    let started = Instant::now();
    let mut allowed = 0_u64;
    for i in 0..rounds {
        let actor = &actors[i % actors.len()];
        if authorize(std::hint::black_box(actor), Action::Review, std::hint::black_box(&resource)).is_allowed() {
            allowed += 1;
        }
    }
    let per_check = started.elapsed() / rounds as u32;
    println!("{:<52} {per_check:?} per check ({allowed} allowed)", "authorize()");

    let t = TestDb::new().await;
    let state = AppState::new(t.db().clone(), Settings::default());
    let router = tiendo_web::router(state);
    let hash = tiendo_app::password::hash(PASSWORD.to_owned()).await.expect("hash");
    for i in 0..16 {
        let user = identity::NewUser {
            username: format!("user{i:02}"),
            display_name: format!("Người dùng {i}"),
            email: None,
            person_id: None,
            organization_id: None,
            password_hash: hash.clone(),
            must_change_password: false,
        };
        let id = identity::create_user(t.db(), &user, chrono::Utc::now()).await.expect("user");
        identity::add_grant(
            t.db(),
            id,
            &Grant { role: Role::DepartmentOfficer, scope: Scope::Province },
            None,
            chrono::Utc::now(),
        )
        .await
        .expect("grant");
    }

    // One Argon2id verification alone (the floor of a login).
    let mut hashes = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        assert!(tiendo_app::password::verify(PASSWORD.to_owned(), Some(hash.clone())).await);
        hashes.push(started.elapsed());
    }
    report("Argon2id verify alone (baseline)", hashes);

    // 16 concurrent logins, 10 rounds.
    let mut logins = Vec::new();
    let mut cookie = String::new();
    for _round in 0..10 {
        let mut tasks = Vec::new();
        for i in 0..16 {
            let router = router.clone();
            tasks.push(tokio::spawn(async move {
                let body = format!("username=user{i:02}&password={}", tiendo_web::forms::url_encode(PASSWORD));
                let started = Instant::now();
                let res = router
                    .oneshot(
                        Request::post("/login")
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(Body::from(body))
                            .expect("request"),
                    )
                    .await
                    .expect("response");
                let elapsed = started.elapsed();
                assert_eq!(res.status(), StatusCode::SEE_OTHER);
                let cookie =
                    res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                (elapsed, cookie)
            }));
        }
        for task in tasks {
            let (elapsed, c) = task.await.expect("task");
            logins.push(elapsed);
            cookie = c.split(';').next().unwrap_or_default().to_owned();
        }
    }
    let p99 = report("POST /login, 16 concurrent (budget p99 < 300 ms)", logins);
    println!("{:<52} {}", "", if p99 < Duration::from_millis(300) { "within budget" } else { "OVER BUDGET" });

    // The cost of authentication and authorization on a request: a signed-in request to a page that
    // needs a role, against the same page structure requested anonymously (redirect, no database).
    let mut anonymous = Vec::new();
    let mut signed_in = Vec::new();
    for _ in 0..2000 {
        let started = Instant::now();
        let res =
            router.clone().oneshot(Request::get("/healthz").body(Body::empty()).expect("request")).await.expect("ok");
        anonymous.push(started.elapsed());
        assert_eq!(res.status(), StatusCode::OK);
        let started = Instant::now();
        let res = router
            .clone()
            .oneshot(Request::get("/healthz").header("cookie", &cookie).body(Body::empty()).expect("request"))
            .await
            .expect("ok");
        signed_in.push(started.elapsed());
        assert_eq!(res.status(), StatusCode::OK);
    }
    let base = report("GET /healthz anonymous (baseline)", anonymous);
    let with_auth = report("GET /healthz with a session (session + grants loaded)", signed_in);
    println!(
        "{:<52} {:?} added at p99 (of which authorize(): {per_check:?})",
        "authentication + authorization",
        with_auth.saturating_sub(base)
    );
}
