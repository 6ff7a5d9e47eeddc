//! The demo's S&T tasks (issue 16 item 9), loaded on two days far apart: the 2020 call and its three
//! proposals from Quảng Yên after the visit (one invalid, one not recommended by the identification council,
//! one approved in the list), the council with its sheets (the expert account's among them) and its
//! minutes, each step dated in 2020 by a named person; and the call of the year of loading open that day,
//! with Minh Hàn's draft of the day before.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tiendo::demo::sci_tech::{APPROVED, CALL_2021, COUNCIL, DRAFT, INVALID, NOT_RECOMMENDED};
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::RegisterFilter;
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, Exec, Query};

fn vietnam(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A step of a timeline: proposal, action, time, actor, reasons, decision's symbol and signer.
type Step = (i64, String, DateTime<Utc>, String, Option<String>, Option<String>, Option<String>);

/// A proposal's id and state, by its title (the first of that title: the proposal, not the dossier that later
/// answered its call for selection under the same name).
async fn proposal(db: &Db, title: &str) -> (i64, String) {
    db.fetch_one(Query::new("SELECT id, state FROM st_proposals WHERE title = $1 ORDER BY id LIMIT 1").bind(title))
        .await
        .unwrap_or_else(|e| panic!("{title}: {e}"))
}

/// The 2020 story: the call's dates, the three outcomes, the timeline's documents, the council's sheets.
async fn the_2020_story(app: &tiendo_app::App) {
    let db = app.db();
    let (opens, closes, published): (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>) = db
        .fetch_one(
            Query::new("SELECT opens_at, closes_at, published_at FROM st_calls WHERE title = $1").bind(CALL_2021),
        )
        .await
        .unwrap();
    assert_eq!(opens, vietnam(day(2020, 3, 2), 8, 0));
    assert_eq!(closes, vietnam(day(2020, 4, 30), 17, 0), "the deadline to the minute, in Vietnam's time");
    assert!(published.is_some_and(|p| tiendo_core::time::vietnam_date(p) == day(2020, 3, 2)));

    let (approved, state) = proposal(db, APPROVED).await;
    assert_eq!(state, "assigned", "approved in the list of tasks to order, then assigned by selection (issue 17)");
    let (not_recommended, state) = proposal(db, NOT_RECOMMENDED).await;
    assert_eq!(state, "not_recommended");
    let (invalid, state) = proposal(db, INVALID).await;
    assert_eq!(state, "invalid");

    // Every step of the three, sent after the visit of 27/02/2020 and dated in 2020, by a person.
    let events: Vec<Step> = db
        .fetch_all(
            Query::new(
                "SELECT proposal_id, action, at, actor_name, reasons, decision_symbol, decision_signer FROM st_events \
             WHERE proposal_id IN ($1, $2, $3) ORDER BY id",
            )
            .bind(approved)
            .bind(not_recommended)
            .bind(invalid),
        )
        .await
        .unwrap();
    assert!(events.len() >= 9, "{events:?}");
    for (_, action, at, actor, ..) in &events {
        assert!(*at > vietnam(day(2020, 2, 27), 23, 59) && *at < vietnam(day(2021, 1, 1), 0, 0), "{action} on {at}");
        assert!(!actor.is_empty() && actor != "system", "{action} by {actor:?}");
    }
    let invalid_step = events.iter().find(|e| e.0 == invalid && e.1 == "screen_invalid").expect("the screening");
    assert_eq!(invalid_step.4.as_deref(), Some("duplicate"), "the reason the applicant reads");
    let listing = events.iter().find(|e| e.0 == approved && e.1 == "approve_list").expect("the list");
    assert_eq!(listing.5.as_deref(), Some("1523/QĐ-UBND"));
    assert!(listing.6.as_deref().is_some_and(|s| s.contains("Đặng Huy Hậu")));
    assert_eq!(tiendo_core::time::vietnam_date(listing.2), day(2020, 7, 15));

    // The council: closed with its minutes; the expert account scored the oysters, not the proposal hosted
    // by his own Institute; the ranking recorded on both.
    let (council, state, minutes, minutes_date): (i64, String, Option<String>, Option<NaiveDate>) = db
        .fetch_one(
            Query::new("SELECT id, state, minutes_symbol, minutes_date FROM st_councils WHERE name = $1").bind(COUNCIL),
        )
        .await
        .unwrap();
    assert_eq!(
        (state.as_str(), minutes.as_deref(), minutes_date),
        ("closed", Some("12/BB-HĐKHCN"), Some(day(2020, 6, 10)))
    );
    let expert_sheets: Vec<(i64,)> = db
        .fetch_all(
            Query::new(
                "SELECT s.proposal_id FROM st_scores s JOIN st_council_members m ON m.id = s.member_id \
                 JOIN users u ON u.id = m.user_id WHERE s.council_id = $1 AND u.username = 'chuyengia'",
            )
            .bind(council),
        )
        .await
        .unwrap();
    assert_eq!(expert_sheets, [(not_recommended,)]);
    let (sheets,): (i64,) =
        db.fetch_one(Query::new("SELECT COUNT(*) FROM st_scores WHERE council_id = $1").bind(council)).await.unwrap();
    assert_eq!(sheets, 7);
    let items: Vec<(i64, Option<bool>, Option<i64>)> = db
        .fetch_all(
            Query::new("SELECT proposal_id, passed, rank FROM st_council_items WHERE council_id = $1 ORDER BY rank")
                .bind(council),
        )
        .await
        .unwrap();
    assert_eq!(items, [(approved, Some(true), Some(1)), (not_recommended, Some(false), Some(2))]);

    // The approved list on the portal.
    let list =
        tiendo_app::sci_tech::register::approved_list(app, &RegisterFilter::default(), Page::first(50)).await.unwrap();
    let titles: Vec<&str> = list.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, [APPROVED]);
}

/// The current call: open since three weeks before the day of loading, closing in forty days at 17:00;
/// Minh Hàn's draft of the day before, unsent.
async fn the_current_call(db: &Db, now: DateTime<Utc>, today: NaiveDate) {
    let (call, year, regime, opens, closes): (i64, i64, String, DateTime<Utc>, DateTime<Utc>) = db
        .fetch_one(Query::new(
            "SELECT id, year, regime, opens_at, closes_at FROM st_calls WHERE title <> $1 AND published_at IS NOT NULL",
        )
        .bind(CALL_2021))
        .await
        .unwrap();
    assert!(opens <= now && now < closes, "open on the day of loading");
    assert_eq!(opens, vietnam(today - Duration::days(21), 8, 0));
    assert_eq!(closes, vietnam(today + Duration::days(40), 17, 0));
    assert_eq!(year, i64::from(chrono::Datelike::year(&today)) + 1, "the call of this year, for next year's plan");
    assert_eq!(regime, "2025");
    let (state, call_of, author, updated): (String, i64, String, DateTime<Utc>) = db
        .fetch_one(
            Query::new(
                "SELECT p.state, p.call_id, u.username, p.updated_at FROM st_proposals p JOIN users u ON u.id = p.author_id \
                 WHERE p.title = $1",
            )
            .bind(DRAFT),
        )
        .await
        .unwrap();
    assert_eq!((state.as_str(), call_of, author.as_str()), ("draft", call, "minhhan"));
    assert_eq!(tiendo_core::time::vietnam_date(updated), today - Duration::days(1));
}

#[tokio::test]
async fn the_demo_tells_the_2020_call_and_certificates_and_keeps_today_s_call_and_application_open() {
    for now in [vietnam(day(2026, 12, 6), 8, 0), vietnam(day(2028, 6, 19), 15, 0)] {
        let t = TestDb::new().await;
        let files = tiendo_db::files::FileStore::new(std::env::temp_dir().join(format!(
            "tiendo-demo-st-{}-{}",
            std::process::id(),
            now.timestamp()
        )));
        tiendo::demo::seed_on(t.db(), &files, now).await.unwrap();
        let app = tiendo_app::App::new(t.db().clone(), files, tiendo_app::Settings::default()).at(now);
        let today = tiendo_core::time::vietnam_date(now);
        the_2020_story(&app).await;
        the_current_call(t.db(), now, today).await;
        // The certificates' stories, on the same load (issue 18).
        crate::demo_certificates::the_certificates(&app).await;
        // The tasks under contract, on the same load (issue 17).
        crate::demo_contracts::the_contracts(&app, today).await;
    }
}
