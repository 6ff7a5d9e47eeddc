//! Benchmark of issue 17's budget: the portfolio of tasks under contract over 2,000 tasks with 20,000
//! milestones and 40,000 payments, p95 < 150 ms on both databases.
//!
//! The data: 2,000 approved dossiers of one call, hosted by 100 institutes and enterprises, each under a
//! contract checked by `ContractDraft::validate` (1–2 billion đồng of state budget in three instalments,
//! counterpart funds, two years, ten milestones), written row by row in multi-row statements as the use
//! cases would store them (the contract's version, milestones, instalments with what was paid on them, the
//! payments); on the day of the run the tasks are at every stage: a third past their end, milestones reached
//! or late, 20 payments each (40,000). Then, through the real router in process, as the department's leader:
//!
//! - `GET /contracts` (the whole page: counts, money, the chart, the 2,000 rows with their risk);
//! - `GET /contracts?late=1` (the tasks with overdue milestones);
//! - `GET /api/v1/contracts` (the same as JSON);
//! - as a host organisation's officer, `GET /contracts` (its 20 tasks).
//!
//! Baseline in the same run: a signed-in `GET /healthz`. Run: `cargo bench -p tiendo-web --bench contracts`
//! (SQLite in a temporary directory); set `TEST_DATABASE_URL` to measure on PostgreSQL. `BENCH_SIZE=tiny`
//! writes 200 tasks.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration as Days, NaiveDate, Utc};
use http_body_util::BodyExt;
use tiendo_core::authz::{Role, Scope};
use tiendo_core::sci_tech::contract::{ContractDraft, InstalmentDraft, MilestoneDraft, SourceDraft, YearDraft};
use tiendo_core::sci_tech::{ProductDraft, TeamMemberDraft};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::fixtures::PASSWORD;
use tiendo_db::{Exec, Query};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Prints p50 and p95 against the budget, and returns p95.
fn report(name: &str, mut samples: Vec<Duration>, budget: Option<Duration>) -> Duration {
    samples.sort_unstable();
    let (p50, p95) = (percentile(&samples, 0.50), percentile(&samples, 0.95));
    let verdict = match budget {
        Some(b) if p95 < b => format!("  (budget {b:?}: met)"),
        Some(b) => format!("  (budget {b:?}: OVER)"),
        None => String::new(),
    };
    println!("{name:<56} n={:<4} p50 {:>9.2?}  p95 {:>9.2?}{verdict}", samples.len(), p50, p95);
    p95
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn get(router: &axum::Router, uri: &str, auth: (&str, &str)) -> (Duration, usize) {
    let request = Request::get(uri).header(auth.0, auth.1).body(Body::empty()).expect("request");
    let started = Instant::now();
    let res = router.clone().oneshot(request).await.expect("response");
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    let elapsed = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&body));
    (elapsed, body.len())
}

async fn sign_in(router: &axum::Router, username: &str) -> String {
    let body = format!("username={username}&password={}", tiendo_web::forms::url_encode(PASSWORD));
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
    res.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

fn d(date: NaiveDate) -> String {
    tiendo_core::fmt::date(date)
}

/// The contract of task `n`, starting `start`, two years long, checked as the form checks it.
fn contract(n: usize, host: i64, start: NaiveDate) -> tiendo_core::sci_tech::contract::ContractFields {
    let state = 1_000_000_000 + (n as i64 % 10) * 100_000_000;
    let ends = start + Days::days(729);
    let y = |k: i64| chrono::Datelike::year(&(start + Days::days(365 * k))).to_string();
    let first = state * 6 / 10;
    let draft = ContractDraft {
        number: format!("{}/{}/HĐ-KHCN", n + 1, y(0)),
        signed_on: d(start - Days::days(10)),
        starts_on: d(start),
        ends_on: d(ends),
        host_org_id: host.to_string(),
        pi_name: format!("TS. Nghiên cứu viên {}", n % 300),
        team: vec![TeamMemberDraft {
            name: format!("ThS. Thành viên {}", n % 500), role: "Thư ký khoa học".into()
        }],
        sources: vec![
            SourceDraft { source: "state_budget".into(), amount: state.to_string() },
            SourceDraft { source: "counterpart".into(), amount: "300000000".into() },
        ],
        years: vec![
            YearDraft { year: y(0), source: "state_budget".into(), amount: first.to_string() },
            YearDraft {
                year: chrono::Datelike::year(&ends).to_string(),
                source: "state_budget".into(),
                amount: (state - first).to_string(),
            },
            YearDraft { year: y(1), source: "counterpart".into(), amount: "300000000".into() },
        ],
        lump_sum: String::new(),
        instalments: vec![
            InstalmentDraft {
                amount: (state / 2).to_string(),
                due_on: d(start + Days::days(15)),
                condition: String::new(),
            },
            InstalmentDraft {
                amount: (state * 3 / 10).to_string(),
                due_on: d(start + Days::days(380)),
                condition: String::new(),
            },
            InstalmentDraft {
                amount: (state - state / 2 - state * 3 / 10).to_string(),
                due_on: d(ends - Days::days(20)),
                condition: String::new(),
            },
        ],
        products: vec![ProductDraft {
            name: format!("Quy trình kỹ thuật số {n}"),
            unit: "quy trình".into(),
            quantity: "1".into(),
            requirements: String::new(),
        }],
        milestones: (0..10)
            .map(|k| MilestoneDraft {
                title: format!("Nội dung {}", k + 1),
                due_on: d(start + Days::days(70 * k + 60)),
                products: String::new(),
            })
            .collect(),
        report_every_months: String::new(),
    };
    draft.validate().unwrap_or_else(|e| panic!("the bench contract {n}: {e:?}"))
}

/// Runs `rows` as multi-row INSERTs of `columns`, 200 rows a statement.
async fn insert(db: &tiendo_db::Db, table: &str, columns: &str, rows: Vec<Vec<tiendo_db::Value>>) {
    for chunk in rows.chunks(200) {
        let mut q = Query::new(format!("INSERT INTO {table} ({columns}) VALUES "));
        for (i, row) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            for (k, v) in row.iter().enumerate() {
                if k > 0 {
                    q.push(", ");
                }
                q.push_bind(v.clone());
            }
            q.push(")");
        }
        db.execute(q).await.unwrap_or_else(|e| panic!("{table}: {e}"));
    }
}

async fn run() {
    let tiny = std::env::var("BENCH_SIZE").is_ok_and(|s| s == "tiny");
    let tasks = if tiny { 200 } else { 2_000 };
    let t = TestDb::new().await;
    let db = t.db();
    println!(
        "machine: {} cores; backend: {}; {tasks} tasks under contract",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        db.backend().name()
    );
    let fx = t.fixtures();
    let province = fx.organization("UBND tỉnh Quảng Ninh").kind("province").create().await;
    let so = fx.organization("Sở Khoa học và Công nghệ tỉnh Quảng Ninh").parent(province).create().await;
    fx.account("lanhdao").organization(so).role(Role::DepartmentLeader, Scope::Province).create().await;
    let mut hosts = Vec::new();
    for i in 0..100 {
        hosts.push(fx.organization(&format!("Viện Nghiên cứu Số {}", i + 1)).kind("institute").create().await);
    }
    fx.account("vien1").organization(hosts[0]).role(Role::PartnerOfficer, Scope::Organization(hosts[0])).create().await;

    let started = Instant::now();
    let now = Utc::now();
    let today = tiendo_core::time::vietnam_date(now);
    let (call,): (i64,) = db
        .fetch_one(
            Query::new(
                "INSERT INTO st_calls (title, title_folded, year, regime, route, opens_at, closes_at, fields, \
                 eligibility, forms, published_at, created_at, updated_at) VALUES ('Thông báo tuyển chọn', \
                 'thong bao tuyen chon', 2024, '2025', 'grassroots', $1, $2, 'Nông nghiệp', 'Tổ chức', 'Thuyết minh', \
                 $1, $1, $1) RETURNING id",
            )
            .bind(now - Days::days(1200))
            .bind(now - Days::days(1100)),
        )
        .await
        .expect("the call");
    use tiendo_db::Value as V;
    let mut proposals = Vec::new();
    for n in 0..tasks {
        let title = format!("Nhiệm vụ ứng dụng khoa học và công nghệ số {n} tại tỉnh Quảng Ninh");
        proposals.push(vec![
            V::from(call),
            V::from("approved"),
            V::from(title.clone()),
            V::from(tiendo_core::text::fold(&title)),
            V::from("[]"),
            V::from("[]"),
            V::from("organization"),
            V::from(hosts[n % hosts.len()]),
            V::from("[]"),
            V::from(now),
            V::from(now),
        ]);
    }
    insert(
        db,
        "st_proposals",
        "call_id, state, title, title_folded, products, budget, proposer_kind, proposer_org_id, team, created_at, updated_at",
        proposals,
    )
    .await;
    let ids: Vec<(i64, String)> =
        db.fetch_all(Query::new("SELECT id, title FROM st_proposals ORDER BY id")).await.expect("the dossiers");

    // Tasks started from three years ago to two months ago: a third have ended.
    let mut contracts = Vec::new();
    let mut fields = Vec::new();
    for (n, (pid, title)) in ids.iter().enumerate() {
        let start = today - Days::days(60 + (n as i64 * 7) % 1_040);
        let host = hosts[n % hosts.len()];
        let f = contract(n, host, start);
        let paid: i64 = f
            .instalments
            .iter()
            .filter(|i| i.due_on <= today - Days::days((n % 3) as i64 * 30))
            .map(|i| i.amount)
            .sum();
        contracts.push(vec![
            V::from(*pid),
            V::from(title.clone()),
            V::from(tiendo_core::text::fold(title)),
            V::from(if n % 50 == 7 {
                "suspended"
            } else if n % 40 == 3 {
                "terminated"
            } else {
                "under_way"
            }),
            V::from(f.number.clone()),
            V::from(host),
            V::from(f.pi_name.clone()),
            V::from(f.signed_on),
            V::from(f.starts_on),
            V::from(f.ends_on),
            V::from(f.state_budget()),
            V::from(f.total()),
            V::from(paid),
            V::from(serde_json::to_string(&f).expect("json")),
            V::from(1),
            V::from(now),
            V::from(now),
        ]);
        fields.push((f, paid));
    }
    insert(
        db,
        "st_contracts",
        "proposal_id, title, title_folded, state, number, host_org_id, pi_name, signed_on, starts_on, ends_on, \
         state_budget, total, paid, fields, version, created_at, updated_at",
        contracts,
    )
    .await;
    let cids: Vec<(i64,)> = db.fetch_all(Query::new("SELECT id FROM st_contracts ORDER BY id")).await.expect("ids");
    let (mut milestones, mut instalments, mut payments) = (Vec::new(), Vec::new(), Vec::new());
    for (n, ((cid,), (f, paid))) in cids.iter().zip(&fields).enumerate() {
        for (k, m) in f.milestones.iter().enumerate() {
            // Reached on time but for every seventh task's milestones past due.
            let done = (m.due_on < today && (n + k) % 7 != 0).then_some(m.due_on);
            milestones.push(vec![
                V::from(*cid),
                V::from(k as i64),
                V::from(m.title.clone()),
                V::from(m.due_on),
                V::from(done),
            ]);
        }
        let mut left = *paid;
        for (k, i) in f.instalments.iter().enumerate() {
            let on_it = left.min(i.amount);
            left -= on_it;
            instalments.push(vec![
                V::from(*cid),
                V::from(k as i64),
                V::from(i.amount),
                V::from(i.due_on),
                V::from(on_it),
            ]);
        }
        // Twenty payments a task: what was paid, in twenty parts on the instalments' dates.
        for p in 0..20_i64 {
            let amount = if p < 19 { paid / 20 } else { paid - paid / 20 * 19 };
            payments.push(vec![
                V::from(*cid),
                V::from(p % 2),
                V::from(amount.max(1)),
                V::from(f.starts_on + Days::days(15 + p * 10)),
                V::from(now),
            ]);
        }
    }
    insert(db, "st_milestones", "contract_id, seq, title, due_on, done_on", milestones).await;
    insert(db, "st_instalments", "contract_id, seq, amount, due_on, paid", instalments).await;
    insert(db, "st_disbursements", "contract_id, seq, amount, paid_on, created_at", payments).await;
    if db.backend() == tiendo_db::Backend::Postgres {
        db.execute(Query::new("VACUUM (ANALYZE)")).await.expect("vacuum");
    } else {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }
    let counts: (i64, i64, i64) = db
        .fetch_one(Query::new(
            "SELECT (SELECT COUNT(*) FROM st_contracts), (SELECT COUNT(*) FROM st_milestones), \
             (SELECT COUNT(*) FROM st_disbursements)",
        ))
        .await
        .expect("counts");
    println!(
        "generated {} tasks, {} milestones, {} payments in {:.1?}",
        counts.0,
        counts.1,
        counts.2,
        started.elapsed()
    );

    let state = AppState::new(db.clone(), Settings::default());
    let router = tiendo_web::router(state);
    let leader = sign_in(&router, "lanhdao").await;
    let host = sign_in(&router, "vien1").await;
    let rounds = if tiny { 20 } else { 60 };
    let budget = Some(Duration::from_millis(150));
    let measure = |uri: &'static str, cookie: String| {
        let router = router.clone();
        async move {
            for _ in 0..3 {
                get(&router, uri, ("cookie", &cookie)).await;
            }
            let mut samples = Vec::new();
            let mut size = 0;
            for _ in 0..rounds {
                let (t, n) = get(&router, uri, ("cookie", &cookie)).await;
                samples.push(t);
                size = n;
            }
            (samples, size)
        }
    };
    let (s, _) = measure("/healthz", leader.clone()).await;
    report("baseline: GET /healthz", s, None);
    let (s, n) = measure("/contracts", leader.clone()).await;
    report(&format!("GET /contracts, the leader ({} KB)", n / 1024), s, budget);
    let (s, n) = measure("/contracts?late=1", leader.clone()).await;
    report(&format!("GET /contracts?late=1 ({} KB)", n / 1024), s, budget);
    let (s, n) = measure("/api/v1/contracts", leader.clone()).await;
    report(&format!("GET /api/v1/contracts ({} KB)", n / 1024), s, budget);
    let (s, n) = measure("/contracts", host).await;
    report(&format!("GET /contracts, a host's officer ({} KB)", n / 1024), s, budget);
}
