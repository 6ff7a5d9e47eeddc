//! Directives of a working visit in the daily jobs: the lead unit is reminded like for any assignment, and
//! the reminder names the visit's conclusions; a directive overdue by more than `directive_escalation_days`
//! is flagged once to the leaders over the organiser, and not before.

use chrono::{NaiveDate, Utc};
use serde_json::json;
use tiendo::jobs::{DeadlineReminders, DirectiveEscalation, Outcome, Registry, Runner};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::monitoring::Deadline;
use tiendo_db::identity::{self, NewUser};
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::monitoring::assignments::{self, NewAssignments};
use tiendo_db::notifications;
use tiendo_db::testing::TestDb;
use tiendo_db::visits::{self, NewMember, NewStop, OwnPlan, VisitRecord};
use tiendo_db::{Db, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn org(db: &Db, name: &str) -> i64 {
    let (id,): (i64,) = db
        .fetch_one(
            Query::new(
                "INSERT INTO organizations (kind, name, name_folded, sort_key, created_at, updated_at) \
                 VALUES ('other', $1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(name)
            .bind(tiendo_core::text::fold(name))
            .bind(tiendo_core::text::sort_key(name))
            .bind(Utc::now()),
        )
        .await
        .unwrap();
    id
}

async fn user(db: &Db, username: &str, grant: Grant) -> i64 {
    let new = NewUser {
        username: username.to_owned(),
        display_name: format!("Cán bộ {username}"),
        email: None,
        person_id: None,
        organization_id: None,
        password_hash: "not-used".to_owned(),
        must_change_password: false,
    };
    let id = identity::create_user(db, &new, Utc::now()).await.unwrap();
    identity::add_grant(db, id, &grant, None, Utc::now()).await.unwrap();
    id
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
    let so = org(db, "Sở Khoa học và Công nghệ tỉnh Quảng Ninh").await;
    let quang_yen = org(db, "UBND thị xã Quảng Yên").await;
    let (nam,): (i64,) = db
        .fetch_one(
            Query::new(
                "INSERT INTO people (full_name, name_folded, sort_key, created_at, updated_at) \
                 VALUES ('Hoàng Bá Nam', 'hoang ba nam', 'hoang ba nam', $1, $1) RETURNING id",
            )
            .bind(Utc::now()),
        )
        .await
        .unwrap();
    let record = VisitRecord {
        title: "Làm việc tại thị xã Quảng Yên".into(),
        purpose: "Kiểm tra thực hiện Nghị quyết 07-NQ/TU".into(),
        organizer_org_id: so,
        legal_basis_id: None,
        starts_on: d(2020, 2, 27),
        ends_on: d(2020, 2, 27),
        assessment: None,
        members: vec![NewMember { person_id: nam, organization_id: Some(so), role: "leader".into(), position: None }],
        stops: vec![NewStop {
            id: None,
            on_date: d(2020, 2, 27),
            start_time: Some("08:00".into()),
            place: None,
            host_org_id: quang_yen,
            admin_unit_id: None,
            agenda: None,
            minutes: None,
            assessment: None,
        }],
        removed_stops: vec![],
        is_sample: false,
    };
    let plan = OwnPlan {
        title: "Kết luận của đoàn công tác: Làm việc tại thị xã Quảng Yên".into(), parent_id: None
    };
    let visit = visits::create(db, &record, &plan, None, Utc::now()).await.unwrap();
    let plan_id = visits::get(db, visit).await.unwrap().unwrap().plan_id.unwrap();
    let task = visits::add_conclusion(db, visit, plan_id, None, "Đề xuất nhiệm vụ KH&CN cấp bách", None).await.unwrap();
    let directive = assignments::create(
        db,
        &NewAssignments {
            task_id: task,
            leads: vec![quang_yen],
            coordinators: vec![],
            deadline: Deadline::Fixed { date: d(2020, 4, 30) },
            priority: "high".into(),
            assigned_on: d(2020, 2, 27),
            assigned_by: None,
            source_document_id: None,
            origin: Some(format!("visit:{visit}")),
            note: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap()[0];

    let ward = user(db, "quangyen", Grant { role: Role::LocalityOfficer, scope: Scope::Organization(quang_yen) }).await;
    let leader = user(db, "lanhdao", Grant { role: Role::DepartmentLeader, scope: Scope::Province }).await;
    let officer = user(db, "chuyenvien", Grant { role: Role::DepartmentOfficer, scope: Scope::Province }).await;

    let registry = Registry::new()
        .with(DeadlineReminders { days_before: 7, public_url: None })
        .with(DirectiveEscalation { days_after: 7, public_url: None });
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
