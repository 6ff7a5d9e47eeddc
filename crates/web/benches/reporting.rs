//! Benchmark of issue 7 (periodic reporting) with a data generator: 3,321 communes (every commune-level
//! unit of today's map) × 50 indicators × 60 months = 10 million approved values, with their aggregate
//! cells on both maps, then through the real router in process (server time, JSON API with bearer tokens):
//!
//! - a province-by-year aggregate over all indicators (`GET /api/v1/report-aggregates`), budget < 200 ms;
//! - saving a report of 50 values (`PUT /api/v1/reports/{id}/values`), budget p99 < 50 ms;
//! - an approval reflected in the aggregates (`POST …/decision` then the aggregate read shows it),
//!   budget < 1 s.
//!
//! Baseline in the same run: `GET /api/v1/status` (routing, JSON, no database).
//!
//! Run: `cargo bench -p tiendo-web --bench reporting` (SQLite in a temporary directory); set
//! `TEST_DATABASE_URL=postgres://…` to measure on PostgreSQL. `BENCH_REPORTING_MONTHS` (default 60) scales
//! the generator down for a quick run.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Datelike, NaiveDate, Utc};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::reporting::{Period, TemplateDef};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::generator::reports::{MonthlyReports, monthly_reports};
use tiendo_db::{Db, Exec, Query};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

const INDICATORS: usize = 50;
const TEMPLATE_CODE: &str = "BENCH-THANG";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort_unstable();
    let (p50, p99) = (percentile(&samples, 0.50), percentile(&samples, 0.99));
    println!(
        "{name:<64} n={:<5} p50 {:>10.3?}  p99 {:>10.3?}  max {:>10.3?}",
        samples.len(),
        p50,
        p99,
        samples[samples.len() - 1]
    );
    (p50, p99)
}

/// A monthly template of 50 whole-number fields, each bound to its own summed indicator.
fn template_source() -> String {
    tiendo_db::testing::generator::reports::template_source(
        TEMPLATE_CODE,
        "Báo cáo tháng (đo hiệu năng)",
        "BENCH",
        INDICATORS,
    )
}

/// Fills the database: organisations for every commune of today's map, the template assigned to them,
/// `months` approved monthly reports each (2021 onwards), 50 values each, and the aggregate cells.
async fn generate(db: &Db, months: u32) -> NaiveDate {
    let today = tiendo_core::time::vietnam_date(Utc::now());
    let source = template_source();
    let def = TemplateDef::parse(&source).expect("the bench template");
    let started = Instant::now();
    let spec = MonthlyReports {
        def: &def,
        source: &source,
        province: None,
        first_month: NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date"),
        months,
    };
    let generated = monthly_reports(db, &spec).await.expect("generate the reports");
    for line in generated.lines() {
        println!("{line}");
    }
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        // PostgreSQL: settle the bulk load (visibility map, statistics, dirty pages) before measuring, as a
        // production database would have long done, so that autovacuum and the checkpoint do not run during
        // the measurements.
        db.execute(Query::new("VACUUM (ANALYZE)")).await.expect("vacuum");
        db.execute(Query::new("CHECKPOINT")).await.expect("checkpoint");
    } else {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
    }
    println!("  generator: total {:.1?}", started.elapsed());
    today
}

async fn token(db: &Db, username: &str, org: Option<i64>, grant: Grant) -> String {
    let new = NewUser {
        username: username.to_owned(),
        display_name: username.to_owned(),
        email: None,
        person_id: None,
        organization_id: org,
        password_hash: "not-used".to_owned(),
        must_change_password: false,
    };
    let id = identity::create_user(db, &new, Utc::now()).await.expect("user");
    identity::add_grant(db, id, &grant, None, Utc::now()).await.expect("grant");
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(db, id, "bench", &digest, &token[..8], None, Utc::now()).await.expect("token");
    token
}

async fn call(
    router: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {token}"));
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).expect("request")).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

fn values(seed: i64) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> =
        (1..=INDICATORS).map(|i| (format!("f{i:02}"), serde_json::json!(seed * 3 + i as i64))).collect();
    serde_json::Value::Object(map)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let months: u32 = std::env::var("BENCH_REPORTING_MONTHS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    println!(
        "machine: {} cores; backend: {}; months: {months}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if std::env::var("TEST_DATABASE_URL").is_ok() { "postgres" } else { "sqlite" }
    );
    let t = TestDb::new().await;
    let db = t.db();
    generate(db, months).await;
    let (values_count,): (i64,) = db.fetch_one(Query::new("SELECT COUNT(*) FROM report_values")).await.expect("count");
    let (communes,): (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM organizations WHERE kind = 'commune_committee'"))
        .await
        .expect("count");
    println!("data: {communes} communes, {values_count} values");
    // The province with the most communes.
    let (province,): (String,) = db
        .fetch_one(Query::new(
            "SELECT u.province_code FROM organizations o JOIN admin_units u ON u.id = o.admin_unit_id \
             WHERE o.kind = 'commune_committee' GROUP BY u.province_code ORDER BY COUNT(*) DESC, u.province_code LIMIT 1",
        ))
        .await
        .expect("province");

    let router = tiendo_web::router(AppState::new(db.clone(), Settings::default()));
    let leader = token(db, "bench_leader", None, Grant { role: Role::DepartmentLeader, scope: Scope::Province }).await;

    // Baseline.
    let mut samples = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let (status, _) = call(&router, "GET", "/api/v1/status", &leader, None).await;
        samples.push(start.elapsed());
        assert_eq!(status, StatusCode::OK);
    }
    report("baseline: GET /api/v1/status", samples);

    // Province by year over all indicators.
    let uri = format!("/api/v1/report-aggregates?province={province}");
    let (status, table) = call(&router, "GET", &uri, &leader, None).await;
    assert_eq!(status, StatusCode::OK, "{table}");
    let rows = table["rows"].as_array().map_or(0, Vec::len);
    let years = table["periods"].as_array().map_or(0, Vec::len);
    let mut samples = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let (status, _) = call(&router, "GET", &uri, &leader, None).await;
        samples.push(start.elapsed());
        assert_eq!(status, StatusCode::OK);
    }
    report(&format!("province {province} by year, {rows} indicators × {years} years"), samples);

    // Saving reports: 200 communes each open their report for the month after the generated ones and save
    // 50 values.
    let orgs: Vec<(i64,)> = db
        .fetch_all(Query::new("SELECT id FROM organizations WHERE kind = 'commune_committee' ORDER BY id LIMIT 200"))
        .await
        .expect("orgs");
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let next = (0..months).fold(Period::Month(first.year(), first.month()), |p, _| p.next().expect("next"));
    let mut saves = Vec::new();
    let mut opened = Vec::new();
    for (k, (org,)) in orgs.iter().enumerate() {
        let reporter = token(
            db,
            &format!("bench_unit_{k}"),
            Some(*org),
            Grant { role: Role::LocalityOfficer, scope: Scope::Organization(*org) },
        )
        .await;
        let body = serde_json::json!({"template": TEMPLATE_CODE, "organization_id": org, "period": next.code()});
        let (status, report) = call(&router, "POST", "/api/v1/reports", &reporter, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{report}");
        let id = report["id"].as_i64().expect("id");
        let version = report["version"].as_i64().expect("version");
        let body = serde_json::json!({"version": version, "values": values(k as i64)});
        let start = Instant::now();
        let (status, saved) =
            call(&router, "PUT", &format!("/api/v1/reports/{id}/values"), &reporter, Some(body)).await;
        saves.push(start.elapsed());
        assert_eq!(status, StatusCode::OK, "{saved}");
        opened.push((id, reporter, saved["version"].as_i64().expect("version")));
    }
    report("save a report of 50 values (PUT /api/v1/reports/{id}/values)", saves);

    // Submit, then approve and read the aggregates until the approval shows.
    let mut submits = Vec::new();
    for (k, (id, reporter, version)) in opened.iter().enumerate().take(20) {
        let body = serde_json::json!({"version": version, "values": values(k as i64), "submit": true});
        let start = Instant::now();
        let (status, r) = call(&router, "PUT", &format!("/api/v1/reports/{id}/values"), reporter, Some(body)).await;
        submits.push(start.elapsed());
        assert_eq!(status, StatusCode::OK, "{r}");
    }
    report("save and submit (PUT …/values with submit)", submits);
    let period_uri = format!("/api/v1/report-aggregates?period={}", next.code());
    let mut approvals = Vec::new();
    let mut reflected = Vec::new();
    for (id, _, _) in opened.iter().take(20) {
        let (_, report) = call(&router, "GET", &format!("/api/v1/reports/{id}"), &leader, None).await;
        let unit_province = report["unit_code"].as_str().map(str::to_owned);
        let province_of: Option<(String,)> = match unit_province {
            Some(code) => db
                .fetch_optional(
                    Query::new("SELECT province_code FROM admin_units WHERE code = $1 AND valid_to IS NULL").bind(code),
                )
                .await
                .expect("province"),
            None => None,
        };
        let p = province_of.map(|(p,)| p).unwrap_or_else(|| province.clone());
        let read = format!("{period_uri}&province={p}");
        let before = call(&router, "GET", &read, &leader, None).await.1["rows"][0]["values"][0].as_f64().unwrap_or(0.0);
        let start = Instant::now();
        let (status, decided) = call(
            &router,
            "POST",
            &format!("/api/v1/reports/{id}/decision"),
            &leader,
            Some(serde_json::json!({"decision": "approve"})),
        )
        .await;
        approvals.push(start.elapsed());
        assert_eq!(status, StatusCode::OK, "{decided}");
        loop {
            let after =
                call(&router, "GET", &read, &leader, None).await.1["rows"][0]["values"][0].as_f64().unwrap_or(0.0);
            if after > before {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "the approval never showed");
        }
        reflected.push(start.elapsed());
    }
    report("approve (POST …/decision)", approvals);
    report("approval reflected: decision + aggregate read showing it", reflected);
}
