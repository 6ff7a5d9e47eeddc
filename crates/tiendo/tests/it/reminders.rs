//! The deadline reminder and weekly digest jobs, through the runner, over a fresh database.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::json;
use tiendo::jobs::{DeadlineReminders, Outcome, Registry, Runner, SendEmail, WeeklyDigest};
use tiendo::mail::Mailer;
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::monitoring::{Deadline, UpdateStatus};
use tiendo_db::identity::{self, NewUser, UserStatus};
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::monitoring::assignments;
use tiendo_db::notifications;
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The day the tests act as of: Wednesday 11 March 2026.
fn today() -> NaiveDate {
    d(2026, 3, 11)
}

async fn org(t: &TestDb, name: &str, parent: Option<i64>) -> i64 {
    let builder = t.fixtures().organization(name);
    match parent {
        Some(parent) => builder.parent(parent).create().await,
        None => builder.create().await,
    }
}

async fn user(db: &Db, username: &str, email: Option<&str>, grants: &[(Role, Scope)]) -> i64 {
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
    for (role, scope) in grants {
        identity::add_grant(db, id, &Grant { role: *role, scope: *scope }, None, Utc::now()).await.unwrap();
    }
    id
}

/// A plan with one task per deadline, each assigned to `lead` by `officer`; returns the assignment ids.
async fn assign(t: &TestDb, lead: i64, officer: Option<i64>, deadlines: &[(&str, Deadline)]) -> Vec<i64> {
    let plan = t.fixtures().plan("Kế hoạch thực hiện Nghị quyết 07-NQ/TU").create().await;
    let mut ids = Vec::new();
    for (i, (title, deadline)) in deadlines.iter().enumerate() {
        let task = t.fixtures().task(plan, &(i + 1).to_string()).title(title).create().await;
        let mut assignment = t.fixtures().assignment(task, lead).deadline(*deadline).assigned_on(d(2026, 1, 5));
        if let Some(officer) = officer {
            assignment = assignment.assigned_by(officer);
        }
        ids.push(assignment.create().await);
    }
    ids
}

fn runner(t: &TestDb, mailer: Option<Mailer>) -> Runner {
    let registry = Registry::new()
        .with(DeadlineReminders { days_before: 7, public_url: Some("https://tiendo.quangninh.gov.vn".into()) })
        .with(WeeklyDigest { public_url: None })
        .with(SendEmail);
    Runner::new(crate::job_context(t.db(), mailer), registry)
}

/// A mailer that is never reached: the jobs under test only queue e-mails.
fn configured_mailer() -> Mailer {
    Mailer::new("smtp://127.0.0.1:9", "Tiến Độ <noreply@skhcn.example.vn>").unwrap()
}

/// Runs a job of `kind` as of a day (ahead of the e-mails already queued).
async fn run(r: &Runner, t: &TestDb, kind: &str, as_of: NaiveDate) {
    let mut job = NewJob::new(kind, json!({ "as_of": as_of }));
    job.priority = 10;
    queue::enqueue(t.db(), &job).await.unwrap();
    let (job, outcome) = r.run_one("w").await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), outcome), (kind, Outcome::Done));
}

async fn titles_of(db: &Db, user: i64) -> Vec<String> {
    let mut titles: Vec<String> =
        notifications::of_user(db, user, 100).await.unwrap().into_iter().map(|n| n.title).collect();
    titles.sort();
    titles
}

/// The e-mails queued: (to, subject, body).
async fn queued_mail(db: &Db) -> Vec<(String, String, String)> {
    let rows: Vec<(String,)> = db
        .fetch_all(Query::new("SELECT payload FROM jobs WHERE kind = 'send_email' AND status = 'queued' ORDER BY id"))
        .await
        .unwrap();
    rows.into_iter()
        .map(|(p,)| {
            let v: serde_json::Value = serde_json::from_str(&p).unwrap();
            (
                v["to"].as_str().unwrap().into(),
                v["subject"].as_str().unwrap().into(),
                v["body"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_reporters_of_the_lead_unit_are_reminded_once_before_and_after_a_deadline() {
    let t = TestDb::new().await;
    let db = t.db();
    let quang_yen = org(&t, "UBND thị xã Quảng Yên", None).await;
    let ha_an = org(&t, "UBND phường Hà An", Some(quang_yen)).await;
    let ha_long = org(&t, "UBND thành phố Hạ Long", None).await;
    let ids = assign(
        &t,
        ha_an,
        None,
        &[
            ("Sắp đến hạn", Deadline::Fixed { date: d(2026, 3, 14) }),
            ("Vừa quá hạn", Deadline::Period { from: d(2026, 1, 1), to: d(2026, 3, 10) }),
            ("Thường xuyên", Deadline::Continuous),
            ("Còn xa", Deadline::Fixed { date: d(2026, 4, 30) }),
            ("Quá hạn từ lâu", Deadline::Fixed { date: d(2026, 2, 1) }),
            ("Báo cáo năm", Deadline::Yearly { month: 3, day: 15 }),
            ("Đã hoàn thành", Deadline::Fixed { date: d(2026, 3, 13) }),
            ("Đã hủy", Deadline::Fixed { date: d(2026, 3, 13) }),
        ],
    )
    .await;
    assignments::apply_update(db, ids[6], Some(100), Some(d(2026, 3, 1)), Utc::now()).await.unwrap();
    let cancelled = assignments::Flags { at_risk: false, blocked: false, blocked_reason: None, cancelled: true };
    assignments::set_flags(db, ids[7], &cancelled, Utc::now()).await.unwrap();
    let ward =
        user(db, "haan", Some("haan@quangyen.example.vn"), &[(Role::LocalityOfficer, Scope::Organization(ha_an))])
            .await;
    let town = user(db, "quangyen", None, &[(Role::PartnerOfficer, Scope::Subtree(quang_yen))]).await;
    let gone =
        user(db, "nghiviec", Some("x@quangyen.example.vn"), &[(Role::LocalityOfficer, Scope::Organization(ha_an))])
            .await;
    identity::set_status(db, gone, UserStatus::Disabled, Utc::now()).await.unwrap();
    let other = user(db, "halong", None, &[(Role::LocalityOfficer, Scope::Organization(ha_long))]).await;

    let r = runner(&t, None);
    run(&r, &t, "deadline_reminders", today()).await;
    let expected = vec![
        "Sắp đến hạn: 1. Sắp đến hạn — hạn 14/03/2026".to_owned(),
        "Sắp đến hạn: 6. Báo cáo năm — hạn 15/03/2026".to_owned(),
        "Đã quá hạn: 2. Vừa quá hạn — hạn 10/03/2026".to_owned(),
    ];
    assert_eq!(titles_of(db, ward).await, expected);
    assert_eq!(titles_of(db, town).await, expected, "a grant over the parent unit covers the ward");
    assert!(titles_of(db, gone).await.is_empty(), "disabled accounts are not notified");
    assert!(titles_of(db, other).await.is_empty(), "another unit's reporters are not notified");
    let n = &notifications::of_user(db, ward, 1).await.unwrap()[0];
    assert!(n.link.as_deref().is_some_and(|l| l.starts_with("/assignments/")), "{n:?}");
    assert!(n.body.contains("Đơn vị chủ trì: UBND phường Hà An"), "{}", n.body);
    assert!(queued_mail(db).await.is_empty(), "no e-mail without SMTP");

    // Run again, and the next day: nothing is sent twice.
    run(&r, &t, "deadline_reminders", today()).await;
    run(&r, &t, "deadline_reminders", today() + Duration::days(1)).await;
    assert_eq!(titles_of(db, ward).await, expected);
    // After the fixed deadline passes, the overdue reminder follows, once.
    run(&r, &t, "deadline_reminders", d(2026, 3, 15)).await;
    run(&r, &t, "deadline_reminders", d(2026, 3, 16)).await;
    let later = titles_of(db, ward).await;
    assert_eq!(later.len(), 5, "{later:?}");
    assert!(later.contains(&"Đã quá hạn: 1. Sắp đến hạn — hạn 14/03/2026".to_owned()), "{later:?}");
    assert!(later.contains(&"Đã quá hạn: 6. Báo cáo năm — hạn 15/03/2026".to_owned()), "{later:?}");
}

#[tokio::test]
async fn with_smtp_a_reminder_is_also_emailed_to_reporters_with_an_address() {
    let t = TestDb::new().await;
    let db = t.db();
    let ha_an = org(&t, "UBND phường Hà An", None).await;
    assign(&t, ha_an, None, &[("Đề xuất nhiệm vụ KH&CN", Deadline::Fixed { date: d(2026, 3, 12) })]).await;
    user(db, "haan", Some("haan@quangyen.example.vn"), &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    user(db, "khongthu", None, &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    let r = runner(&t, Some(configured_mailer()));
    run(&r, &t, "deadline_reminders", today()).await;
    run(&r, &t, "deadline_reminders", today()).await;
    let mail = queued_mail(db).await;
    assert_eq!(mail.len(), 1, "one e-mail, to the one reporter with an address: {mail:?}");
    let (to, subject, body) = &mail[0];
    assert_eq!(to, "haan@quangyen.example.vn");
    assert_eq!(subject, "Sắp đến hạn: 1. Đề xuất nhiệm vụ KH&CN — hạn 12/03/2026");
    assert!(body.contains("Xem chi tiết: https://tiendo.quangninh.gov.vn/assignments/"), "{body}");
}

#[tokio::test]
async fn a_queued_reminder_is_delivered_over_smtp() {
    let (port, received) = crate::mail::fake_smtp().await;
    let t = TestDb::new().await;
    let db = t.db();
    let ha_an = org(&t, "UBND phường Hà An", None).await;
    assign(&t, ha_an, None, &[("Đề xuất nhiệm vụ KH&CN", Deadline::Fixed { date: d(2026, 3, 10) })]).await;
    user(db, "haan", Some("haan@quangyen.example.vn"), &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Tiến Độ <noreply@skhcn.example.vn>").unwrap();
    let r = runner(&t, Some(mailer));
    run(&r, &t, "deadline_reminders", today()).await;
    let (job, outcome) = r.run_one("w").await.unwrap().unwrap();
    assert_eq!((job.kind.as_str(), outcome), ("send_email", Outcome::Done));
    let message = received.lock().unwrap().clone();
    assert!(message.contains("haan@quangyen.example.vn"), "{message}");
}

#[tokio::test]
async fn each_assigning_officer_gets_one_digest_a_week() {
    let t = TestDb::new().await;
    let db = t.db();
    let ha_an = org(&t, "UBND phường Hà An", None).await;
    let officer =
        user(db, "chuyenvien", Some("cv@skhcn.example.vn"), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let idle = user(db, "nhanroi", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let retired = user(db, "nghihuu", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let reporter = user(db, "haan", None, &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    let ids = assign(
        &t,
        ha_an,
        Some(officer),
        &[
            ("Quá hạn", Deadline::Fixed { date: d(2026, 3, 1) }),
            ("Đang làm", Deadline::Fixed { date: d(2026, 6, 30) }),
            ("Xong", Deadline::Fixed { date: d(2026, 2, 1) }),
        ],
    )
    .await;
    assignments::apply_update(db, ids[2], Some(100), Some(d(2026, 1, 20)), Utc::now()).await.unwrap();
    t.fixtures().update(ids[1], ha_an).percent(40).author(reporter).status(UpdateStatus::Submitted).create().await;
    // Nothing open: no digest.
    let idle_ids = assign(&t, ha_an, Some(idle), &[("Đã xong", Deadline::Fixed { date: d(2026, 2, 1) })]).await;
    assignments::apply_update(db, idle_ids[0], Some(100), Some(d(2026, 1, 30)), Utc::now()).await.unwrap();
    // Disabled: no digest.
    assign(&t, ha_an, Some(retired), &[("Bỏ dở", Deadline::Fixed { date: d(2026, 3, 1) })]).await;
    identity::set_status(db, retired, UserStatus::Disabled, Utc::now()).await.unwrap();

    let r = runner(&t, Some(configured_mailer()));
    run(&r, &t, "weekly_digest", today()).await;
    let digests = notifications::of_user(db, officer, 10).await.unwrap();
    assert_eq!(digests.len(), 1);
    let digest = &digests[0];
    assert_eq!(digest.kind, "digest");
    assert_eq!(digest.title, "Tổng hợp tuần từ 09/03/2026: 1 nhiệm vụ quá hạn, 1 báo cáo chờ xem xét");
    assert!(digest.body.contains("• 1. Quá hạn — UBND phường Hà An: hạn 01/03/2026, quá 10 ngày"), "{}", digest.body);
    assert!(digest.body.contains("• 2. Đang làm — UBND phường Hà An, gửi ngày"), "{}", digest.body);
    assert!(digest.body.contains("• Hoàn thành đúng hạn: 1"), "{}", digest.body);
    assert!(notifications::of_user(db, idle, 10).await.unwrap().is_empty(), "nothing open, nothing sent");
    assert!(notifications::of_user(db, retired, 10).await.unwrap().is_empty(), "disabled accounts get none");
    let mail = queued_mail(db).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!((mail[0].0.as_str(), mail[0].1.as_str()), ("cv@skhcn.example.vn", digest.title.as_str()));
    assert!(mail[0].2.starts_with("Kính gửi Cán bộ chuyenvien,\n\n"), "{}", mail[0].2);

    // Later the same ISO week: nothing more. The next Monday: the next digest.
    run(&r, &t, "weekly_digest", d(2026, 3, 15)).await;
    assert_eq!(notifications::of_user(db, officer, 10).await.unwrap().len(), 1);
    run(&r, &t, "weekly_digest", d(2026, 3, 16)).await;
    assert_eq!(notifications::of_user(db, officer, 10).await.unwrap().len(), 2);
}
