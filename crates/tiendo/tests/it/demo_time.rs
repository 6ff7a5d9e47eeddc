//! The demo's time holds together whatever the day it is loaded (issue 13 item 5): the 2020 story ends
//! as it did, every record dated when it happened by a named person, and the current work is generated
//! relative to the day of loading, so that its overdue, due-soon, at-risk and waiting figures look like a
//! department's week. Loaded on two days far apart.

use std::io::Read;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tiendo_app::document_templates::Format;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow};
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, Exec, Query, visits};

fn vietnam(y: i32, m: u32, d: u32, hour: u32) -> DateTime<Utc> {
    tiendo_core::time::vietnam_offset().with_ymd_and_hms(y, m, d, hour, 0, 0).unwrap().with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn id_of(db: &Db, sql: &'static str, key: &str) -> i64 {
    let (id,): (i64,) = db.fetch_one(Query::new(sql).bind(key)).await.unwrap_or_else(|e| panic!("{key}: {e}"));
    id
}

/// The text of a DOCX's body.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 2020 visit: its directives closed in 2020, one of them late; its history and its notice dated
/// then, by the officer.
async fn the_2020_story_ended_as_it_did(app: &tiendo_app::App, today: NaiveDate) {
    let db = app.db();
    let visit = id_of(db, "SELECT id FROM visits WHERE title = $1", tiendo::demo::visits::TITLE).await;
    let directives = visits::directives(db, visit).await.unwrap();
    let statuses: Vec<_> = directives.iter().map(|d| derive_status(&d.facts(), today)).collect();
    assert!(statuses.iter().all(|s| s.kind.is_completed()), "on {today} every 2020 directive is closed: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| s.kind == StatusKind::CompletedLate).count(), 1, "one of them late");
    assert!(directives.iter().all(|d| d.completed_on.is_some_and(|c| c < day(2021, 1, 1))));
    let events: Vec<(String, String, DateTime<Utc>)> = db
        .fetch_all(
            Query::new(
                "SELECT entity_type, actor_label, at FROM audit_events WHERE (entity_type = 'visit' AND entity_id = $1) \
                 OR (entity_type = 'assignment' AND entity_id IN (SELECT CAST(a.id AS TEXT) FROM assignments a \
                 JOIN visit_conclusions c ON c.task_id = a.task_id WHERE c.visit_id = $2))",
            )
            .bind(visit.to_string())
            .bind(visit),
        )
        .await
        .unwrap();
    assert!(events.len() > 15, "{events:?}");
    for (entity, actor, at) in &events {
        let on = tiendo_core::time::vietnam_date(*at);
        assert!((day(2020, 2, 20)..day(2021, 1, 1)).contains(&on), "{entity} changed on {on} by {actor}");
        assert_ne!(actor, "system", "{entity} changed on {on} by the system");
    }
    // The register's documents of the story are registered by the officer when they came.
    let registered: Vec<(String, String, DateTime<Utc>)> = db
        .fetch_all(Query::new(
            "SELECT d.symbol, e.actor_label, e.at FROM legal_documents d JOIN audit_events e \
             ON e.entity_type = 'document' AND e.entity_id = CAST(d.id AS TEXT) AND e.action = 'create' \
             WHERE d.symbol IN ('07-NQ/TU', '35/QĐ-SKHCN', '45/BC-UBND')",
        ))
        .await
        .unwrap();
    assert_eq!(registered.len(), 3);
    for (symbol, actor, at) in registered {
        assert_eq!(actor, "chuyenvien", "{symbol}");
        assert!(tiendo_core::time::vietnam_date(at) < day(2020, 4, 1), "{symbol} registered on {at}");
    }
    // The notice of conclusions is dated the day they were recorded.
    let leader = tiendo_db::identity::user_for_login(db, "lanhdao").await.unwrap().unwrap().0;
    let grants = tiendo_db::identity::grants(db, leader.id).await.unwrap().iter().filter_map(|g| g.grant()).collect();
    let who = tiendo_app::SessionUser {
        id: leader.id,
        username: leader.username.clone(),
        display_name: leader.display_name.clone(),
        organization_id: leader.organization_id,
    };
    let session = tiendo_app::Session::as_user(who, tiendo_core::authz::Actor::user(leader.id, grants));
    let notice = tiendo_app::visits::export_notice(app, &session, visit, None, Format::Docx).await.unwrap();
    let text = docx_text(&notice.bytes);
    assert!(text.contains("ngày 27 tháng 02 năm 2020"), "{text}");
}

/// Every change is dated by the day of loading at the latest, and made by a person (an account, a unit's
/// officer, the command line), the system only recomputing the reports' aggregates.
async fn nothing_after_today_and_nothing_by_the_system(db: &Db, now: DateTime<Utc>) {
    let (later,): (i64,) =
        db.fetch_one(Query::new("SELECT COUNT(*) FROM audit_events WHERE at > $1").bind(now)).await.unwrap();
    assert_eq!(later, 0, "no change after the moment of loading");
    let by_system: Vec<(String, String)> = db
        .fetch_all(Query::new(
            "SELECT DISTINCT entity_type, action FROM audit_events WHERE actor_label = 'system' ORDER BY 1, 2",
        ))
        .await
        .unwrap();
    assert_eq!(by_system, [("report_aggregates".to_owned(), "rebuild".to_owned())]);
}

/// The current plan as of `today`: overdue, at risk, due soon, done and waiting work.
async fn the_current_work_is_a_departments_week(db: &Db, today: NaiveDate) {
    let title = tiendo::demo::current::plan_title(today);
    let plan = id_of(db, "SELECT id FROM plans WHERE title = $1", &title).await;
    let filter = AssignmentFilter { plans: Some(vec![plan]), ..AssignmentFilter::default() };
    let rows: Vec<AssignmentRow> = assignments::list(db, &filter, &Visibility::All).await.unwrap();
    let statuses: Vec<_> = rows.iter().map(|r| derive_status(&r.facts(), today)).collect();
    let count = |kind: StatusKind| statuses.iter().filter(|s| s.kind == kind).count();
    assert!((2..=12).contains(&count(StatusKind::Overdue)), "overdue: {statuses:?}");
    assert!(count(StatusKind::CompletedOnTime) >= 10);
    let at_risk = statuses.iter().filter(|s| s.at_risk).count();
    assert!((2..=20).contains(&at_risk), "at risk: {at_risk}");
    let due_soon = statuses
        .iter()
        .filter(|s| !s.kind.is_completed() && s.due_on.is_some_and(|d| d > today && d <= today + Duration::days(14)))
        .count();
    assert!(due_soon >= 3, "due within two weeks: {due_soon}");
    let (waiting,): (i64,) = db
        .fetch_one(
            Query::new(
                "SELECT COUNT(*) FROM progress_updates u JOIN assignments a ON a.id = u.assignment_id \
                 JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = $1 AND u.status = 'submitted'",
            )
            .bind(plan),
        )
        .await
        .unwrap();
    assert!(waiting >= 2, "updates waiting for the officer: {waiting}");
    let (drafts,): (i64,) = db
        .fetch_one(
            Query::new(
                "SELECT COUNT(*) FROM progress_updates u JOIN assignments a ON a.id = u.assignment_id \
                 JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = $1 AND u.status = 'draft'",
            )
            .bind(plan),
        )
        .await
        .unwrap();
    assert_eq!(drafts, 1, "Hà An's draft on Minh Hàn's application");
}

/// The recent visit: about forty days ago, one directive done, one due within a week, one overdue and
/// flagged to the leaders two days ago.
async fn the_recent_visit_has_open_directives(db: &Db, today: NaiveDate) {
    let visit = id_of(db, "SELECT id FROM visits WHERE title = $1", tiendo::demo::recent::TITLE).await;
    let v = visits::get(db, visit).await.unwrap().unwrap();
    assert!((today - v.starts_on).num_days() >= 40 && (today - v.starts_on).num_days() <= 42, "{}", v.starts_on);
    let directives = visits::directives(db, visit).await.unwrap();
    let statuses: Vec<_> = directives.iter().map(|d| derive_status(&d.facts(), today)).collect();
    assert_eq!(statuses.iter().filter(|s| s.kind.is_completed()).count(), 1, "{statuses:?}");
    let overdue: Vec<_> = statuses.iter().filter(|s| s.kind == StatusKind::Overdue).collect();
    assert_eq!(overdue.len(), 1, "{statuses:?}");
    assert!(
        statuses.iter().any(|s| !s.kind.is_completed()
            && s.kind != StatusKind::Overdue
            && s.due_on.is_some_and(|d| d > today && d <= today + Duration::days(7))),
        "one due within a week: {statuses:?}"
    );
    let escalated = visits::escalated(db, visit).await.unwrap();
    assert_eq!(escalated.len(), 1);
    assert_eq!(tiendo_core::time::vietnam_date(escalated[0].2), today - Duration::days(2));
    // The leaders were told then; they have not read it yet, while the older notifications are read.
    let unread: Vec<(String, String, DateTime<Utc>)> = db
        .fetch_all(Query::new(
            "SELECT u.username, n.kind, n.created_at FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.read_at IS NULL",
        ))
        .await
        .unwrap();
    assert!(unread.iter().any(|(who, kind, _)| who == "lanhdao" && kind == "directive_escalated"), "{unread:?}");
    for (who, kind, at) in &unread {
        let on = tiendo_core::time::vietnam_date(*at);
        assert!(on > today - Duration::days(8) && on <= today, "{who}: {kind} of {on} still unread");
    }
}

#[tokio::test]
async fn the_demo_loaded_on_two_days_ends_the_2020_story_and_keeps_the_current_work_current() {
    for now in [vietnam(2026, 12, 6, 8), vietnam(2028, 6, 19, 15)] {
        let t = TestDb::new().await;
        let files = tiendo_db::files::FileStore::new(
            std::env::temp_dir().join(format!("tiendo-demo-time-{}", now.timestamp())),
        );
        tiendo::demo::seed_on(t.db(), &files, now).await.unwrap();
        let app = tiendo_app::App::new(t.db().clone(), files, tiendo_app::Settings::default()).at(now);
        let today = tiendo_core::time::vietnam_date(now);
        the_2020_story_ended_as_it_did(&app, today).await;
        nothing_after_today_and_nothing_by_the_system(t.db(), now).await;
        the_current_work_is_a_departments_week(t.db(), today).await;
        the_recent_visit_has_open_directives(t.db(), today).await;
    }
}
