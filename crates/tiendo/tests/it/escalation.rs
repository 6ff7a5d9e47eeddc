//! Directives of a working visit in the daily jobs: the lead unit is reminded like for any assignment, and
//! the reminder names the visit's conclusions; a directive overdue by more than `directive_escalation_days`
//! is flagged once to the leaders over the organiser, and not before.

use chrono::NaiveDate;
use serde_json::json;
use tiendo::jobs::{DeadlineReminders, DirectiveEscalation, Outcome, Registry, Runner};
use tiendo_core::authz::{Role, Scope};
use tiendo_core::monitoring::Deadline;
use tiendo_db::Db;
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::notifications;
use tiendo_db::testing::TestDb;
use tiendo_db::visits;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn run(r: &Runner, t: &TestDb, kind: &str, as_of: NaiveDate) {
    let mut job = NewJob::new(kind, json!({ "as_of": as_of }));
    job.priority = 10;
    queue::enqueue(t.db(), &job).await.unwrap();
    let (job, outcome) = r.run_one("w").await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), outcome), (kind, Outcome::Done));
}

async fn of_user(db: &Db, user: i64) -> Vec<notifications::Notification> {
    notifications::of_user(db, user, 100).await.unwrap()
}

#[tokio::test]
async fn an_overdue_directive_is_reminded_then_flagged_once_to_the_leaders_over_the_organiser() {
    let t = TestDb::new().await;
    let db = t.db();
    let fixtures = t.fixtures();
    let so = fixtures.organization("Sở Khoa học và Công nghệ tỉnh Quảng Ninh").create().await;
    let quang_yen = fixtures.organization("UBND thị xã Quảng Yên").create().await;
    let nam = fixtures.person("Hoàng Bá Nam").create().await;
    let visit = fixtures
        .visit("Làm việc tại thị xã Quảng Yên", so)
        .on(d(2020, 2, 27))
        .leader(nam)
        .stop(quang_yen)
        .create()
        .await;
    let task = fixtures.conclusion(visit, "Đề xuất nhiệm vụ KH&CN cấp bách").create().await;
    let directive =
        fixtures.directive(task, quang_yen).deadline(Deadline::Fixed { date: d(2020, 4, 30) }).create().await;

    let ward = fixtures.account("quangyen").role(Role::LocalityOfficer, Scope::Organization(quang_yen)).create().await;
    let leader = fixtures.account("lanhdao").role(Role::DepartmentLeader, Scope::Province).create().await;
    let officer = fixtures.account("chuyenvien").role(Role::DepartmentOfficer, Scope::Province).create().await;

    let registry = Registry::new()
        .with(DeadlineReminders { days_before: 7, public_url: None })
        .with(DirectiveEscalation { days_after: 7 });
    let r = Runner::new(crate::job_context(db, None), registry);

    // The lead unit is reminded like for any assignment, and told the visit it comes from.
    run(&r, &t, "deadline_reminders", d(2020, 5, 1)).await;
    let reminders = of_user(db, ward).await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(reminders[0].title.contains("Đề xuất nhiệm vụ KH&CN cấp bách"), "{}", reminders[0].title);
    assert!(
        reminders[0].body.contains("Kết luận của đoàn công tác: Làm việc tại thị xã Quảng Yên"),
        "{}",
        reminders[0].body
    );
    assert_eq!(reminders[0].link.as_deref(), Some(format!("/assignments/{directive}").as_str()));

    // Seven days late is still within the allowance; the eighth is not.
    run(&r, &t, "directive_escalation", d(2020, 5, 7)).await;
    assert!(of_user(db, leader).await.is_empty());
    run(&r, &t, "directive_escalation", d(2020, 5, 8)).await;
    let flagged = of_user(db, leader).await;
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert_eq!(flagged[0].kind, visits::ESCALATION_KIND);
    assert_eq!(flagged[0].title, "Chỉ đạo quá hạn 8 ngày: 1. Đề xuất nhiệm vụ KH&CN cấp bách");
    for expected in ["UBND thị xã Quảng Yên", "Làm việc tại thị xã Quảng Yên", "30/04/2020"] {
        assert!(flagged[0].body.contains(expected), "{expected}: {}", flagged[0].body);
    }
    assert!(of_user(db, officer).await.is_empty(), "officers are not the assigning side's leaders");
    assert!(of_user(db, ward).await.iter().all(|n| n.kind != visits::ESCALATION_KIND));

    // Once per due date, whatever the number of runs.
    run(&r, &t, "directive_escalation", d(2020, 5, 9)).await;
    assert_eq!(of_user(db, leader).await.len(), 1);
    assert_eq!(visits::escalated(db, visit).await.unwrap().len(), 1);
}
