//! Loading the built-in administrative units and querying them.
//!
//! `cargo bench -p tiendo-db --bench geo` measures on SQLite (a fresh file per run). With
//! `BENCH_DATABASE_URL=postgres://user:pass@host/postgres` it also measures on PostgreSQL, in a database it
//! creates and drops. Each query is run many times on a warm database; the median and the 95th percentile
//! are reported, with `SELECT 1` as the baseline of one round trip.

use std::future::Future;
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tiendo_core::geo::{AdminUnitCode, UnitLevel};
use tiendo_db::geo::{self, UnitFilter};
use tiendo_db::{Db, Exec, Query, migrate};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn code(s: &str) -> AdminUnitCode {
    AdminUnitCode::parse(s).expect("a code")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `f` `n` times and returns (median, 95th percentile).
async fn time<F, Fut>(n: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = usize>,
{
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        std::hint::black_box(f().await);
        samples.push(start.elapsed());
    }
    samples.sort();
    (samples[n / 2], samples[(n * 95 / 100).min(n - 1)])
}

fn report(label: &str, (median, p95): (Duration, Duration), rows: usize) {
    println!("  {label:<58} {:>8.3} ms median {:>8.3} ms p95  ({rows} rows)", ms(median), ms(p95));
}

async fn queries(db: &Db) {
    let qn = code("22");
    let n = 200;
    let ping = time(n, || async {
        db.execute(Query::new("SELECT 1")).await.expect("ping");
        1
    })
    .await;
    report("baseline: SELECT 1", ping, 1);

    let filters: Vec<(&str, UnitFilter)> = vec![
        (
            "communes of Quảng Ninh on 2026-01-01",
            UnitFilter {
                level: Some(UnitLevel::Commune),
                province: Some(qn.clone()),
                ..UnitFilter::on(day("2026-01-01"))
            },
        ),
        (
            "communes of Quảng Ninh on 2025-06-30",
            UnitFilter {
                level: Some(UnitLevel::Commune),
                province: Some(qn.clone()),
                ..UnitFilter::on(day("2025-06-30"))
            },
        ),
        (
            "provinces on 2026-01-01",
            UnitFilter { level: Some(UnitLevel::Province), ..UnitFilter::on(day("2026-01-01")) },
        ),
        (
            "q=\"hoa binh\" nationwide on 2025-06-30",
            UnitFilter { q: Some("hoa binh".into()), ..UnitFilter::on(day("2025-06-30")) },
        ),
        (
            "q=\"hoanh\" nationwide, first 20, on 2026-01-01",
            UnitFilter { q: Some("hoanh".into()), limit: Some(20), ..UnitFilter::on(day("2026-01-01")) },
        ),
        (
            "all communes nationwide on 2026-01-01 (no paging)",
            UnitFilter { level: Some(UnitLevel::Commune), ..UnitFilter::on(day("2026-01-01")) },
        ),
    ];
    for (label, filter) in &filters {
        let rows = geo::units_in_force(db, filter).await.expect("list").len();
        let t = time(n, || async { geo::units_in_force(db, filter).await.expect("list").len() }).await;
        report(label, t, rows);
    }
    // What the API and the pages run: one page of 50 and the total.
    let page = UnitFilter { level: Some(UnitLevel::Commune), limit: Some(50), ..UnitFilter::on(day("2026-01-01")) };
    let rows = geo::units_in_force_page(db, &page, 1000).await.expect("page").0.len();
    let t = time(n, || async { geo::units_in_force_page(db, &page, 1000).await.expect("page").0.len() }).await;
    report("all communes nationwide, page 21 of 50 with the total", t, rows);
    let t = time(n, || async {
        usize::from(geo::unit_on(db, &code("07030"), day("2026-01-01")).await.expect("unit").is_some())
    })
    .await;
    report("one unit by code (07030 on 2026-01-01)", t, 1);
    let old = geo::unit_on(db, &code("07030"), day("2025-06-30")).await.expect("unit").expect("old unit");
    let t =
        time(n, || async { geo::current_units(db, &old, day("2026-01-01")).await.expect("lineage").all.len() }).await;
    report("what is the old 07030 today", t, 1);
    let town = geo::unit_on(db, &code("206"), day("2025-06-30")).await.expect("unit").expect("town");
    let t =
        time(n, || async { geo::current_units(db, &town, day("2026-01-01")).await.expect("lineage").all.len() }).await;
    report("what is thị xã Quảng Yên today (via 19 communes)", t, 6);
    let new = geo::unit_on(db, &code("07168"), day("2026-01-01")).await.expect("unit").expect("Hà An");
    let t = time(n, || async { geo::origins(db, &new, day("2025-06-30")).await.expect("origins").len() }).await;
    report("what phường Hà An came from", t, 4);
    let t = time(n, || async { geo::tree(db, day("2025-06-30"), Some(&qn)).await.expect("tree").len() }).await;
    report("tree of Quảng Ninh on 2025-06-30", t, 185);
    let t = time(10, || async { geo::load_gazetteer(db).await.expect("gazetteer").len() }).await;
    report("load the whole gazetteer (address index input)", t, 14_138);
}

fn list(durations: &[Duration]) -> String {
    durations.iter().map(|d| format!("{:.0} ms", ms(*d))).collect::<Vec<_>>().join(", ")
}

async fn sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut loads = Vec::new();
    for run in 0..3 {
        let path = dir.path().join(format!("bench-{run}.db"));
        let db = Db::connect_sqlite(&path).await.expect("open");
        let start = Instant::now();
        migrate::run(&db).await.expect("migrate");
        loads.push(start.elapsed());
        if run == 2 {
            println!("SQLite: every migration of a new database, built-in units included: {}", list(&loads));
            println!("SQLite queries:");
            queries(&db).await;
        }
        db.close().await;
    }
}

async fn postgres(url: &str) {
    let admin = PgConnectOptions::from_str(url).expect("BENCH_DATABASE_URL");
    let name = format!("tiendo_bench_{}", std::process::id());
    let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    let mut loads = Vec::new();
    for run in 0..3 {
        sqlx::query(sqlx::AssertSqlSafe(drop.clone())).execute(&mut conn).await.expect("drop");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create");
        let db = Db::connect_postgres(admin.clone().database(&name)).await.expect("connect");
        let start = Instant::now();
        migrate::run(&db).await.expect("migrate");
        loads.push(start.elapsed());
        if run == 2 {
            println!("PostgreSQL: every migration of a new database, built-in units included: {}", list(&loads));
            db.execute(Query::new("ANALYZE")).await.expect("analyze");
            println!("PostgreSQL queries:");
            queries(&db).await;
        }
        db.close().await;
    }
    sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut conn).await.expect("drop");
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        sqlite().await;
        if let Ok(url) = std::env::var("BENCH_DATABASE_URL") {
            postgres(&url).await;
        }
    });
}
