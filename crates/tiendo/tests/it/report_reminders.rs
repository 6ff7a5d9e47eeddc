//! The periodic report jobs, through the runner, over a fresh database: units that owe a report are
//! reminded once before the due day and once after it, units that sent it are not; the aggregates are
//! rebuilt from the approved reports (after a map change).

use chrono::{NaiveDate, Utc};
use serde_json::json;
use tiendo::jobs::{Outcome, RebuildReportAggregates, Registry, ReportReminders, Runner};
use tiendo::mail::Mailer;
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::reporting::{Period, ReportStatus};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::notifications;
use tiendo_db::reporting::reports;
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A yearly template due ten days after the year ends: the 2025 report is due on 10 January 2026.
const TEMPLATE: &str = r#"
code = "KHCN-NAM"
name = "Báo cáo KH&CN năm"
periodicity = "yearly"
due_days = 10

[[section]]
title = "Số liệu"
[[section.field]]
code = "staff"
label = "Nhân lực KH&CN"
type = "integer"
"#;

async fn reporter(db: &Db, username: &str, email: Option<&str>, org: i64) -> i64 {
    let new = NewUser {
        username: username.to_owned(),
        display_name: format!("Cán bộ {username}"),
        email: email.map(str::to_owned),
        person_id: None,
        organization_id: None,
        password_hash: "not-used".to_owned(),
        must_change_password: false,
    };
    let id = identity::create_user(db, &new, Utc::now()).await.unwrap();
    let grant = Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) };
    identity::add_grant(db, id, &grant, None, Utc::now()).await.unwrap();
    id
}

struct Setup {
    t: TestDb,
    /// No report opened.
    silent: i64,
    /// A draft.
    drafting: i64,
    /// Submitted.
    sent: i64,
    /// Not a target of the template.
    elsewhere: i64,
}

async fn setup() -> Setup {
    let t = TestDb::new().await;
    let db = t.db();
    let fixtures = t.fixtures();
    let mut ids = Vec::new();
    for name in ["UBND phường Hà An", "UBND phường Hoành Bồ", "UBND phường Hạ Long"] {
        ids.push(fixtures.organization(name).create().await);
    }
    let form = fixtures.report_form(TEMPLATE).target_org(ids[0]).target_org(ids[1]).target_org(ids[2]).create().await;
    let other = fixtures.organization("UBND xã Hoàng Tân").create().await;
    fixtures.report(&form, ids[1], Period::Year(2025)).create().await;
    fixtures.report(&form, ids[2], Period::Year(2025)).status(ReportStatus::Submitted).create().await;
    let silent = reporter(db, "haan", Some("haan@quangyen.example.vn"), ids[0]).await;
    let drafting = reporter(db, "hoanhbo", None, ids[1]).await;
    let sent = reporter(db, "halong", Some("halong@halong.example.vn"), ids[2]).await;
    let elsewhere = reporter(db, "hoangtan", None, other).await;
    Setup { t, silent, drafting, sent, elsewhere }
}

fn runner(t: &TestDb, mailer: Option<Mailer>) -> Runner {
    let registry = Registry::new()
        .with(ReportReminders { days_before: 7, public_url: Some("https://tiendo.quangninh.gov.vn".into()) });
    Runner::new(crate::job_context(t.db(), mailer), registry)
}

async fn run(r: &Runner, t: &TestDb, as_of: NaiveDate) {
    // Ahead of the e-mails already queued.
    let mut job = NewJob::new("report_reminders", json!({ "as_of": as_of }));
    job.priority = 10;
    queue::enqueue(t.db(), &job).await.unwrap();
    let (job, outcome) = r.run_one("w").await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), outcome), ("report_reminders", Outcome::Done));
}

async fn titles_of(db: &Db, user: i64) -> Vec<String> {
    let mut titles: Vec<String> =
        notifications::of_user(db, user, 100).await.unwrap().into_iter().map(|n| n.title).collect();
    titles.sort();
    titles
}

const DUE_SOON: &str = "Sắp đến hạn nộp báo cáo: Báo cáo KH&CN năm — Năm 2025, hạn 10/01/2026";
const OVERDUE: &str = "Đã quá hạn nộp báo cáo: Báo cáo KH&CN năm — Năm 2025, hạn 10/01/2026";

#[tokio::test]
async fn units_that_owe_a_report_are_reminded_once_before_and_once_after_the_due_day() {
    let s = setup().await;
    let db = s.t.db();
    let r = runner(&s.t, None);

    // Too early: 20 days before the due day.
    run(&r, &s.t, d(2025, 12, 21)).await;
    assert!(titles_of(db, s.silent).await.is_empty());

    // Five days before: the unit without a report and the one with a draft are reminded.
    run(&r, &s.t, d(2026, 1, 5)).await;
    assert_eq!(titles_of(db, s.silent).await, vec![DUE_SOON.to_owned()]);
    assert_eq!(titles_of(db, s.drafting).await, vec![DUE_SOON.to_owned()]);
    assert!(titles_of(db, s.sent).await.is_empty(), "a submitted report is not chased");
    assert!(titles_of(db, s.elsewhere).await.is_empty(), "a unit that does not report this template");
    let n = &notifications::of_user(db, s.silent, 1).await.unwrap()[0];
    assert_eq!((n.kind.as_str(), n.link.as_deref()), ("report_due_soon", Some("/reports")));
    assert_eq!(n.body, "Đơn vị báo cáo: UBND phường Hà An");

    // Again the same day and the day after: nothing is sent twice.
    run(&r, &s.t, d(2026, 1, 5)).await;
    run(&r, &s.t, d(2026, 1, 6)).await;
    assert_eq!(titles_of(db, s.silent).await.len(), 1);

    // Two days late: the overdue reminder, once; the unit that submitted meanwhile is left alone.
    let (drafting_report,): (i64,) =
        db.fetch_one(Query::new("SELECT id FROM reports WHERE status = 'draft'")).await.unwrap();
    reports::transition(db, drafting_report, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, Utc::now())
        .await
        .unwrap();
    run(&r, &s.t, d(2026, 1, 12)).await;
    run(&r, &s.t, d(2026, 1, 13)).await;
    assert_eq!(titles_of(db, s.silent).await, vec![DUE_SOON.to_owned(), OVERDUE.to_owned()]);
    assert_eq!(titles_of(db, s.drafting).await, vec![DUE_SOON.to_owned()], "submitted before the due day passed");
    assert!(titles_of(db, s.sent).await.is_empty());

    // Long after the due day nothing more is sent.
    run(&r, &s.t, d(2026, 2, 20)).await;
    assert_eq!(titles_of(db, s.silent).await.len(), 2);
}

#[tokio::test]
async fn with_smtp_a_report_reminder_is_also_emailed_once() {
    let s = setup().await;
    let db = s.t.db();
    let mailer = Mailer::new("smtp://127.0.0.1:9", "Tiến Độ <noreply@skhcn.example.vn>").unwrap();
    let r = runner(&s.t, Some(mailer));
    run(&r, &s.t, d(2026, 1, 11)).await;
    run(&r, &s.t, d(2026, 1, 11)).await;
    let rows: Vec<(String,)> = db
        .fetch_all(Query::new("SELECT payload FROM jobs WHERE kind = 'send_email' AND status = 'queued' ORDER BY id"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one e-mail: the other owing reporter has no address: {rows:?}");
    let mail: serde_json::Value = serde_json::from_str(&rows[0].0).unwrap();
    assert_eq!(mail["to"], "haan@quangyen.example.vn");
    assert_eq!(mail["subject"], OVERDUE);
    assert!(mail["body"].as_str().unwrap().contains("https://tiendo.quangninh.gov.vn/reports"), "{mail}");
}

#[tokio::test]
async fn the_rebuild_job_recomputes_the_aggregates_of_approved_reports_and_is_audited() {
    let t = crate::demo_db().await;
    let db = t.db();
    let totals = Query::new(
        "SELECT COUNT(*), SUM(CAST(value_count AS DOUBLE PRECISION)), SUM(value_sum) FROM report_aggregates \
         WHERE value_count > 0",
    );
    let before: (i64, f64, f64) = db.fetch_one(totals.clone()).await.unwrap();
    assert!(before.0 > 0, "the demo has approved reports");
    db.execute(Query::new("DELETE FROM report_aggregates")).await.unwrap();
    let rebuilds =
        Query::new("SELECT COUNT(*) FROM audit_events WHERE action = 'rebuild' AND entity_type = 'report_aggregates'");
    // The demo itself recomputed its aggregates on today's map once, after approving its reports.
    let (audited_before,): (i64,) = db.fetch_one(rebuilds.clone()).await.unwrap();
    let r = Runner::new(crate::job_context(db, None), Registry::new().with(RebuildReportAggregates));
    queue::enqueue(db, &NewJob::new("rebuild_report_aggregates", json!({}))).await.unwrap();
    let (job, outcome) = r.run_one("w").await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), outcome), ("rebuild_report_aggregates", Outcome::Done));
    let after: (i64, f64, f64) = db.fetch_one(totals).await.unwrap();
    assert_eq!((after.0, after.1), (before.0, before.1));
    assert!((after.2 - before.2).abs() < 1e-6 * before.2.abs().max(1.0), "{after:?} vs {before:?}");
    let (audited,): (i64,) = db.fetch_one(rebuilds).await.unwrap();
    assert_eq!(audited, audited_before + 1, "the job's rebuild is audited");
}
