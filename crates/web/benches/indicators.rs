//! Benchmark of issue 19 (indicators) with a data generator: the 54 commune-level units of Quảng Ninh on
//! today's map, a monthly report form of 1,544 fields, 120 months (2016–2025) of approved reports: 54 × 120 ×
//! 1,544 = 10,005,120 report values, with their aggregate cells on both maps; a catalogue of 60 indicators
//! (ratios and sums of report fields, means over the communes, counts of reports and directives, typed
//! figures; 20 with targets); then, through the real router in process (server time, JSON API with a bearer
//! token):
//!
//! - the province's scorecard (`GET /api/v1/scorecard`: 60 indicators × 10 years), on today's map and on the
//!   map of the time, and for one commune; budget p95 < 200 ms;
//! - an approval visible in the scorecard (`POST …/decision`, then the scorecard read until the figure
//!   moves); budget < 1 s.
//!
//! Baseline in the same run: `GET /api/v1/status` (routing, JSON, no database).
//!
//! Run: `cargo bench -p tiendo-web --bench indicators` (SQLite in a temporary directory); set
//! `TEST_DATABASE_URL=postgres://…` to measure on PostgreSQL. `BENCH_SIZE=tiny` (40 fields, 3 years) checks it
//! quickly. Not part of the test suite.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::reporting::{Period, TemplateDef};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::testing::TestDb;
use tiendo_db::testing::generator::reports::{MonthlyReports, monthly_reports};
use tiendo_db::{Db, Exec, Query};
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

const TEMPLATE_CODE: &str = "BENCH-KPI";
const PROVINCE: &str = "22";

struct Size {
    fields: usize,
    first_year: i32,
    years: i32,
}

fn size() -> Size {
    match std::env::var("BENCH_SIZE").as_deref() {
        Ok("tiny") => Size { fields: 40, first_year: 2023, years: 3 },
        _ => Size { fields: 1_544, first_year: 2016, years: 10 },
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    let (p50, p95) = (percentile(&samples, 0.50), percentile(&samples, 0.95));
    println!(
        "{name:<64} n={:<4} p50 {:>10.3?}  p95 {:>10.3?}  max {:>10.3?}",
        samples.len(),
        p50,
        p95,
        samples[samples.len() - 1]
    );
    p95
}

fn field(i: usize) -> String {
    format!("BK.F{i:04}")
}

/// A monthly template of `n` whole-number fields, each bound to its own summed indicator.
fn template_source(n: usize) -> String {
    let mut s = format!(
        "code = \"{TEMPLATE_CODE}\"\nname = \"Báo cáo tháng (đo hiệu năng chỉ số)\"\nperiodicity = \"monthly\"\ndue_days = 10\n"
    );
    for i in 1..=n {
        s.push_str(&format!(
            "\n[[indicator]]\ncode = \"{}\"\nname = \"Chỉ tiêu {i}\"\nunit = \"đơn vị\"\naggregate = \"sum\"\n",
            field(i)
        ));
    }
    s.push_str("\n[[section]]\ntitle = \"Số liệu\"\n");
    for i in 1..=n {
        s.push_str(&format!(
            "[[section.field]]\ncode = \"f{i:04}\"\nlabel = \"Chỉ tiêu {i}\"\ntype = \"integer\"\nmin = 0\nindicator = \"{}\"\n",
            field(i)
        ));
    }
    s
}

/// Organisations for the communes of the province, the template, its approved reports, values, attributions
/// and aggregate cells.
async fn generate(db: &Db, size: &Size) {
    let source = template_source(size.fields);
    let def = TemplateDef::parse(&source).expect("the bench template");
    let started = Instant::now();
    let spec = MonthlyReports {
        def: &def,
        source: &source,
        province: Some(PROVINCE),
        first_month: NaiveDate::from_ymd_opt(size.first_year, 1, 1).expect("a date"),
        months: 12 * size.years as u32,
    };
    let generated = monthly_reports(db, &spec).await.expect("generate the reports");
    for line in generated.lines() {
        println!("{line}");
    }
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        db.execute(Query::new("VACUUM (ANALYZE)")).await.expect("vacuum");
        db.execute(Query::new("CHECKPOINT")).await.expect("checkpoint");
    } else {
        db.execute(Query::new("ANALYZE")).await.expect("analyze");
        // The generator's log would otherwise stay gigabytes long (readers kept the checkpoints from
        // finishing), which a server that writes a little at a time never sees.
        db.execute(Query::new("PRAGMA wal_checkpoint(TRUNCATE)")).await.expect("checkpoint");
    }
    println!("  generator: total {:.1?}", started.elapsed());
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

/// The 60 indicators, through the API as the department's officer defines them: 2 strategic parents, 28
/// ratios and 14 sums of report fields, 3 means over the communes, 4 counts of records (2 ratios of
/// reports and directives on time), 9 typed with their figures; 20 targets.
async fn catalogue(router: &Router, db: &Db, officer: &str, size: &Size) -> Vec<i64> {
    let mut ids = Vec::new();
    let create = |body: serde_json::Value| {
        let router = router.clone();
        let officer = officer.to_owned();
        async move {
            let (status, created) = call(&router, "POST", "/api/v1/indicators", &officer, Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
            created["id"].as_i64().expect("id")
        }
    };
    let base = |code: String, layer: &str, parent: Option<i64>| {
        serde_json::json!({"code": code, "name": format!("Chỉ số {code}"), "unit": "%", "direction": "higher",
            "periodicity": "yearly", "level": "commune", "layer": layer, "parent_id": parent, "kind": "formula"})
    };
    let f = |i: usize| field(1 + (i * 7) % size.fields);
    let root_a =
        create(serde_json::json!({"code": "BK.A", "name": "Nhóm A", "direction": "higher", "periodicity": "yearly",
        "level": "province", "layer": "strategic", "kind": "typed"}))
        .await;
    let root_b =
        create(serde_json::json!({"code": "BK.B", "name": "Nhóm B", "direction": "higher", "periodicity": "yearly",
        "level": "province", "layer": "strategic", "kind": "typed"}))
        .await;
    ids.extend([root_a, root_b]);
    for i in 0..28 {
        let mut b = base(format!("BK.R{i:02}"), "operational", Some(root_a));
        b["numerator"] = serde_json::json!(f(2 * i));
        b["denominator"] = serde_json::json!(format!("{} + {}", f(2 * i + 1), f(2 * i)));
        b["factor"] = serde_json::json!(100);
        ids.push(create(b).await);
    }
    for i in 0..14 {
        let mut b = base(format!("BK.S{i:02}"), "operational", Some(root_b));
        b["numerator"] = serde_json::json!(format!("{} + {} - 2 * {}", f(60 + i), f(80 + i), f(100 + i)));
        ids.push(create(b).await);
    }
    for i in 0..3 {
        let mut b = base(format!("BK.M{i:02}"), "operational", Some(root_b));
        b["numerator"] = serde_json::json!(f(120 + i));
        b["denominator"] = serde_json::json!(f(130 + i));
        b["factor"] = serde_json::json!(100);
        b["over_units"] = serde_json::json!("average");
        ids.push(create(b).await);
    }
    for (i, (num, den)) in [
        ("@reports_on_time", "@reports_due"),
        ("@directives_on_time", "@directives_due"),
        ("@reports_due", ""),
        ("@st_tasks_approved", ""),
    ]
    .iter()
    .enumerate()
    {
        let mut b = base(format!("BK.C{i:02}"), "operational", Some(root_a));
        b["level"] = serde_json::json!("province");
        b["numerator"] = serde_json::json!(num);
        b["denominator"] = serde_json::json!(den);
        b["factor"] = serde_json::json!(if den.is_empty() { 1 } else { 100 });
        ids.push(create(b).await);
    }
    for i in 0..9 {
        let id = create(serde_json::json!({"code": format!("BK.T{i:02}"), "name": format!("Chỉ số nhập {i}"),
            "direction": "higher", "periodicity": "yearly", "level": "province", "layer": "operational",
            "parent_id": root_b, "kind": "typed"}))
        .await;
        for year in size.first_year..size.first_year + size.years {
            let body =
                serde_json::json!({"year": year, "value": 10.0 + f64::from(year - size.first_year) * 1.5 + i as f64});
            let (status, r) =
                call(router, "POST", &format!("/api/v1/indicators/{id}/figures"), officer, Some(body)).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{r}");
        }
        ids.push(id);
    }
    assert_eq!(ids.len(), 60);
    let plan = db
        .fetch_one::<(i64,)>(
            Query::new(
                "INSERT INTO plans (kind, title, title_folded, created_at, updated_at) VALUES ('plan', 'Kế hoạch', 'ke hoach', $1, $1) RETURNING id",
            )
            .bind(Utc::now()),
        )
        .await
        .expect("plan")
        .0;
    for (k, id) in ids.iter().skip(2).step_by(3).take(20).enumerate() {
        let body = serde_json::json!({"name": "", "unit": "", "indicator_id": id, "target_value": 60 + k,
            "target_year": 2030, "baseline_value": 40, "baseline_year": size.first_year});
        let (status, r) = call(router, "POST", &format!("/api/v1/plans/{plan}/targets"), officer, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
    }
    ids
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let size = size();
    println!(
        "machine: {} cores; backend: {}; fields: {}, years: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if std::env::var("TEST_DATABASE_URL").is_ok() { "postgres" } else { "sqlite" },
        size.fields,
        size.years
    );
    // Iterating on the scorecard's reads: `BENCH_KEEP=1` keeps the generated database (its URL is printed);
    // `BENCH_REUSE=<that URL>` opens it again and measures the scorecard and its reads (not the approval),
    // without the generator's quarter of an hour.
    let reuse = std::env::var("BENCH_REUSE").ok();
    let kept;
    let db = match &reuse {
        Some(url) => {
            kept = None;
            Db::connect(url).await.expect("open the kept database")
        }
        None => {
            let t = TestDb::new().await;
            generate(t.db(), &size).await;
            let db = t.db().clone();
            kept = Some(t);
            db
        }
    };
    let db = &db;
    let (values_count,): (i64,) = db.fetch_one(Query::new("SELECT COUNT(*) FROM report_values")).await.expect("count");
    let (communes,): (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM organizations WHERE kind = 'commune_committee'"))
        .await
        .expect("count");
    println!("data: {communes} communes, {values_count} report values");

    let router = tiendo_web::router(AppState::new(db.clone(), Settings::default()));
    // A name of its own each run, so that a kept database takes another.
    let run = Utc::now().timestamp_millis();
    let leader =
        token(db, &format!("bench_leader_{run}"), None, Grant { role: Role::DepartmentLeader, scope: Scope::Province })
            .await;
    let ids = match reuse {
        Some(_) => Vec::new(),
        None => {
            let officer =
                token(db, "bench_officer", None, Grant { role: Role::DepartmentOfficer, scope: Scope::Province }).await;
            catalogue(&router, db, &officer, &size).await
        }
    };
    let last = size.first_year + size.years - 1;
    let keep = std::env::var("BENCH_KEEP").is_ok();
    if let (true, Some(t)) = (keep, &kept) {
        println!("keeping the database: BENCH_REUSE={}", t.url());
    }

    let mut samples = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let (status, _) = call(&router, "GET", "/api/v1/status", &leader, None).await;
        samples.push(start.elapsed());
        assert_eq!(status, StatusCode::OK);
    }
    report("baseline: GET /api/v1/status", samples);

    let unit: (String,) = db
        .fetch_one(
            Query::new("SELECT unit_code FROM reports WHERE province_code = $1 ORDER BY unit_code LIMIT 1")
                .bind(PROVINCE),
        )
        .await
        .expect("a unit");
    for (label, uri) in [
        ("scorecard, province, today's map", format!("/api/v1/scorecard?year={last}")),
        ("scorecard, province, map of the time", format!("/api/v1/scorecard?year={last}&map=reported")),
        ("scorecard, one commune, today's map", format!("/api/v1/scorecard?year={last}&unit={}", unit.0)),
    ] {
        let (status, card) = call(&router, "GET", &uri, &leader, None).await;
        assert_eq!(status, StatusCode::OK, "{card}");
        let lines = card["lines"].as_array().map_or(0, Vec::len);
        let years = card["lines"][5]["trend"].as_array().map_or(0, Vec::len);
        let with_value =
            card["lines"].as_array().map_or(0, |l| l.iter().filter(|l| !l["figure"]["value"].is_null()).count());
        let mut samples = Vec::new();
        for _ in 0..60 {
            let start = Instant::now();
            let (status, _) = call(&router, "GET", &uri, &leader, None).await;
            samples.push(start.elapsed());
            assert_eq!(status, StatusCode::OK);
        }
        report(&format!("{label}: {lines} indicators × {years} years ({with_value} with a value)"), samples);
    }

    breakdown(db, last).await;
    if ids.is_empty() {
        // A kept database: its catalogue's ids are not known here, and an approval would change it.
        return;
    }

    // An approval visible in the scorecard: a commune reports the month after the generated ones; the first
    // ratio's figure for that year moves once the leader approves.
    let next = Period::Month(last + 1, 1);
    let (org,): (i64,) = db
        .fetch_one(Query::new("SELECT id FROM organizations WHERE kind = 'commune_committee' ORDER BY id LIMIT 1"))
        .await
        .expect("org");
    let reporter =
        token(db, "bench_unit", Some(org), Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) })
            .await;
    let ratio = ids[2];
    let (_, definition) = call(&router, "GET", &format!("/api/v1/indicators/{ratio}"), &leader, None).await;
    let numerator = definition["numerator"].as_str().expect("numerator").to_owned();
    let fields: Vec<String> = [numerator.as_str()]
        .into_iter()
        .chain(definition["denominator"].as_str().expect("denominator").split(" + "))
        .map(|code| format!("f{}", code.trim().trim_start_matches("BK.F")))
        .collect();
    let body = serde_json::json!({"template": TEMPLATE_CODE, "organization_id": org, "period": next.code()});
    let (status, opened) = call(&router, "POST", "/api/v1/reports", &reporter, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let id = opened["id"].as_i64().expect("id");
    let values: serde_json::Map<String, serde_json::Value> =
        fields.iter().enumerate().map(|(k, f)| (f.clone(), serde_json::json!(10 + k))).collect();
    let body = serde_json::json!({"version": opened["version"], "values": values, "submit": true});
    let (status, saved) = call(&router, "PUT", &format!("/api/v1/reports/{id}/values"), &reporter, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let read = format!("/api/v1/scorecard?year={}", last + 1);
    let figure = |card: &serde_json::Value| {
        card["lines"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["indicator"]["id"] == ratio))
            .map(|l| l["figure"]["value"].clone())
    };
    let before = figure(&call(&router, "GET", &read, &leader, None).await.1);
    let start = Instant::now();
    let (status, decided) = call(
        &router,
        "POST",
        &format!("/api/v1/reports/{id}/decision"),
        &leader,
        Some(serde_json::json!({"decision": "approve"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    let decision = start.elapsed();
    loop {
        let after = figure(&call(&router, "GET", &read, &leader, None).await.1);
        if after != before {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the approval never showed");
    }
    println!(
        "{:<64} decision {:>10.3?}  visible in the scorecard after {:>10.3?} ({:?} → {:?})",
        "approval visible in the scorecard",
        decision,
        start.elapsed(),
        before,
        figure(&call(&router, "GET", &read, &leader, None).await.1)
    );
    if let (true, Some(t)) = (keep, kept) {
        // Not removed: the next run reads it again.
        std::mem::forget(t);
    }
}

/// Where the province scorecard's time goes: each of its reads alone, through the application layer (no
/// routing, no JSON), so that the sum can be set against the request's own time above.
async fn breakdown(db: &Db, last: i32) {
    use tiendo_app::indicators::compute::{self, Place};
    use tiendo_db::reporting::aggregates::Map;
    let app = tiendo_app::App::new(db.clone(), tiendo_db::files::FileStore::scratch(), tiendo_app::Settings::default());
    let rows = tiendo_db::indicators::list(db).await.expect("catalogue");
    let request = compute::Request { map: Map::Current, place: Place::Province, years: (last - 9, last) };
    macro_rules! timed {
        ($label:expr, $body:expr) => {{
            let mut samples = Vec::new();
            for _ in 0..30 {
                let start = Instant::now();
                std::hint::black_box($body.await.expect($label));
                samples.push(start.elapsed());
            }
            report(&format!("  breakdown: {}", $label), samples);
        }};
    }
    timed!("the catalogue (indicators::list)", tiendo_db::indicators::list(db));
    timed!("the report indicators (forms::indicators)", tiendo_db::reporting::forms::indicators(db));
    timed!("every input of 10 years (compute::inputs)", compute::inputs(&app, &rows, &request));
    timed!("every figure of 10 years (compute::figures)", compute::figures(&app, &rows, &request));
    let reported = compute::Request { map: Map::Reported, ..request.clone() };
    timed!("every input, map of the time", compute::inputs(&app, &rows, &reported));
    timed!("the province (compute::province)", compute::province(&app, Map::Current));
    for source in [
        tiendo_core::indicators::Source::ReportsOnTime,
        tiendo_core::indicators::Source::ReportsDue,
        tiendo_core::indicators::Source::DirectivesOnTime,
        tiendo_core::indicators::Source::DirectivesDue,
    ] {
        let q = tiendo_db::indicators::sources::SourceQuery {
            source,
            map: Map::Current,
            unit: None,
            by_unit: false,
            years: request.years,
            today: app.today(),
        };
        timed!(&format!("a source's years ({source:?})"), tiendo_db::indicators::sources::yearly(db, &q));
    }
    timed!("units with reports", tiendo_db::indicators::units_with_reports(db, Map::Current, PROVINCE));
    timed!("targets", tiendo_db::indicators::targets(db));
}
