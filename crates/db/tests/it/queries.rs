use chrono::{NaiveDate, TimeZone, Utc};
use tiendo_db::testing::TestDb;
use tiendo_db::{DbError, Exec, Query};

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Typed {
    n: i64,
    x: f64,
    flag: bool,
    label: Option<String>,
    day: NaiveDate,
    at: chrono::DateTime<Utc>,
}

#[tokio::test]
async fn every_value_type_round_trips_on_the_backend() {
    let t = TestDb::new().await;
    let db = t.db();
    db.execute(Query::new(
        "CREATE TABLE typed (n BIGINT, x DOUBLE PRECISION, flag BOOLEAN, label TEXT, day DATE, at TIMESTAMP WITH TIME ZONE)",
    ))
    .await
    .unwrap();
    let at = Utc.with_ymd_and_hms(2020, 2, 27, 1, 30, 0).unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    db.execute(
        Query::new("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(-42_i64)
            .bind(1.5_f64)
            .bind(true)
            .bind(None::<String>)
            .bind(day)
            .bind(at),
    )
    .await
    .unwrap();
    let row: Typed = db.fetch_one(Query::new("SELECT n, x, flag, label, day, at FROM typed")).await.unwrap();
    assert_eq!(row, Typed { n: -42, x: 1.5, flag: true, label: None, day, at });
    // Instants compare as instants on both backends.
    let later: (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM typed WHERE at < $1").bind(at + chrono::Duration::seconds(1)))
        .await
        .unwrap();
    assert_eq!(later.0, 1);
}

/// PostgreSQL refuses a NUL character in text ("invalid byte sequence"), SQLite keeps it: a filter typed
/// with one (`?q=%00`, found by schemathesis on PostgreSQL) was a 500 there. Every bound text drops it, on
/// both backends alike.
#[tokio::test]
async fn a_nul_character_in_bound_text_is_dropped_on_both_backends() {
    let t = TestDb::new().await;
    let db = t.db();
    db.execute(Query::new("CREATE TABLE texts (label TEXT)")).await.unwrap();
    db.execute(Query::new("INSERT INTO texts VALUES ($1)").bind("a\0b")).await.unwrap();
    let mut q = Query::new("SELECT label FROM texts WHERE label LIKE ");
    q.push_bind(String::from("%\0b%"));
    let (label,): (String,) = db.fetch_one(q).await.unwrap();
    assert_eq!(label, "ab");
}

/// PostgreSQL stores dates from 4713 BC only, SQLite any text: a year filter of -36043 (`?year=-36043`,
/// found by schemathesis on PostgreSQL) was a 500 there. A date or instant outside years 1 to 9999 is
/// bound as NULL on both backends, so a comparison with it matches nothing.
#[tokio::test]
async fn a_date_outside_years_1_to_9999_matches_nothing_on_both_backends() {
    let t = TestDb::new().await;
    let db = t.db();
    db.execute(Query::new("CREATE TABLE days (day DATE)")).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    db.execute(Query::new("INSERT INTO days VALUES ($1)").bind(day)).await.unwrap();
    for year in [-36043, 0, 10_000, 200_000] {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let (n,): (i64,) =
            db.fetch_one(Query::new("SELECT COUNT(*) FROM days WHERE day >= $1").bind(from)).await.unwrap();
        assert_eq!(n, 0, "{year}");
        let at = Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap();
        let (n,): (i64,) =
            db.fetch_one(Query::new("SELECT COUNT(*) FROM days WHERE $1 IS NOT NULL").bind(at)).await.unwrap();
        assert_eq!(n, 0, "{year}");
    }
}

#[tokio::test]
async fn unique_violations_are_recognised() {
    let t = TestDb::new().await;
    let db = t.db();
    let insert = || Query::new("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', $1)").bind(Utc::now());
    db.execute(insert()).await.unwrap();
    let err = db.execute(insert()).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
}

#[tokio::test]
async fn a_transaction_rolls_back_unless_committed() {
    let t = TestDb::new().await;
    let db = t.db();
    let tx = db.begin().await.unwrap();
    tx.execute(Query::new("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', $1)").bind(Utc::now()))
        .await
        .unwrap();
    drop(tx);
    let (n,): (i64,) = db.fetch_one(Query::new("SELECT COUNT(*) FROM settings")).await.unwrap();
    assert_eq!(n, 0);
    let tx = db.begin().await.unwrap();
    tx.execute(Query::new("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', $1)").bind(Utc::now()))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (n,): (i64,) = db.fetch_one(Query::new("SELECT COUNT(*) FROM settings")).await.unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn json_rows_gives_every_value_type_in_one_text_and_an_empty_array_for_no_row() {
    let t = TestDb::new().await;
    let db = t.db();
    db.execute(Query::new("CREATE TABLE j (n BIGINT, x DOUBLE PRECISION, flag BOOLEAN, label TEXT, day DATE)"))
        .await
        .unwrap();
    let select = format!("SELECT {} FROM j", tiendo_db::dialect::json_rows(db.backend(), "n, x, flag, label, day"));
    let (empty,): (String,) = db.fetch_one(Query::new(select.clone())).await.unwrap();
    assert_eq!(empty, "[]");
    db.execute(
        Query::new("INSERT INTO j VALUES ($1, $2, $3, $4, $5)")
            .bind(7_i64)
            .bind(1.5_f64)
            .bind(true)
            .bind("Hạ Long \"07\"")
            .bind(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
    )
    .await
    .unwrap();
    db.execute(
        Query::new("INSERT INTO j VALUES ($1, $2, $3, $4, $5)")
            .bind(-1_i64)
            .bind(2.0_f64)
            .bind(false)
            .bind(None::<String>)
            .bind(None::<NaiveDate>),
    )
    .await
    .unwrap();
    let (text,): (String,) = db.fetch_one(Query::new(select)).await.unwrap();
    let mut rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    rows.sort_by_key(|r| r[0].as_i64());
    let (yes, no) = match db.backend() {
        tiendo_db::Backend::Sqlite => (serde_json::json!(1), serde_json::json!(0)),
        tiendo_db::Backend::Postgres => (serde_json::json!(true), serde_json::json!(false)),
    };
    // A whole double may come as `2` (PostgreSQL) or `2.0` (SQLite).
    assert_eq!(rows[0][1].as_f64(), Some(2.0));
    rows[0][1] = serde_json::json!(2.0);
    assert_eq!(rows[0], serde_json::json!([-1, 2.0, no, null, null]));
    assert_eq!(rows[1], serde_json::json!([7, 1.5, yes, "Hạ Long \"07\"", "2025-07-01"]));
}
