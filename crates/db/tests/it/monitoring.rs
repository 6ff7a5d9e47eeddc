use chrono::{NaiveDate, Utc};
use tiendo_core::monitoring::{Deadline, StatusKind, UpdateStatus, derive_status};
use tiendo_db::DbError;
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter};
use tiendo_db::monitoring::legal_documents::{self, LegalDocumentFilter, LegalDocumentInput};
use tiendo_db::monitoring::updates;
use tiendo_db::testing::TestDb;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn doc(t: &TestDb, symbol: &str, summary: &str) -> LegalDocumentInput {
    t.fixtures().legal_document(symbol).summary(summary).input()
}

#[tokio::test]
async fn the_register_refuses_the_same_document_twice_and_finds_by_words() {
    let t = TestDb::new().await;
    let db = t.db();
    let id = t.fixtures().legal_document("07-NQ/TU").summary("Về phát triển khoa học và công nghệ").create().await;
    let err = legal_documents::create(db, &doc(&t, "7-NQ/TU", "Bản trùng"), None, Utc::now()).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
    // The same number under another term is another document.
    t.fixtures().legal_document("07-NQ/TU").summary("Nhiệm kỳ khác").party_term("2020–2025").create().await;
    let (found, total) = legal_documents::list(
        db,
        &LegalDocumentFilter { q: Some("khoa hoc cong nghe".into()), ..Default::default() },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!((total, found[0].id, found[0].symbol.as_str()), (1, id, "07-NQ/TU"));
    let by_symbol =
        legal_documents::list(db, &LegalDocumentFilter { q: Some("07-nq/tu".into()), ..Default::default() }, 10, 0)
            .await
            .unwrap();
    assert_eq!(by_symbol.1, 2);
}

#[tokio::test]
async fn the_register_filters_by_year_up_to_the_last_year_without_overflow() {
    let t = TestDb::new().await;
    let db = t.db();
    t.fixtures().legal_document("45/BC-UBND").summary("Báo cáo").issued_on(d(2020, 3, 20)).create().await;
    let in_year = |year: i32| LegalDocumentFilter { year: Some(year), ..Default::default() };
    assert_eq!(legal_documents::list(db, &in_year(2020), 10, 0).await.unwrap().1, 1);
    assert_eq!(legal_documents::list(db, &in_year(2021), 10, 0).await.unwrap().1, 0);
    for year in [i32::MAX, i32::MIN, 300_000] {
        assert_eq!(legal_documents::list(db, &in_year(year), 10, 0).await.unwrap().1, 0, "{year}");
    }
}

#[tokio::test]
async fn every_peoples_committee_numbers_its_own_documents_each_year() {
    let t = TestDb::new().await;
    let db = t.db();
    let quang_yen = t.fixtures().organization("UBND thị xã Quảng Yên").create().await;
    let ha_long = t.fixtures().organization("UBND thành phố Hạ Long").create().await;
    let report = |issuer: i64, year: i32| {
        t.fixtures()
            .legal_document("45/BC-UBND")
            .summary("Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU")
            .issuer(issuer)
            .issued_on(d(year, 3, 20))
    };
    let first = report(quang_yen, 2020).create().await;
    // Another committee's 45/BC-UBND, and the same committee's 45/BC-UBND of another year, are other documents.
    report(ha_long, 2020).create().await;
    report(quang_yen, 2021).create().await;
    let again = report(quang_yen, 2020).input();
    let err = legal_documents::create(db, &again, None, Utc::now()).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
    assert_eq!(legal_documents::find_same(db, &again).await.unwrap().map(|d| d.id), Some(first));
}

async fn scenario(t: &TestDb) -> (i64, i64, i64, i64, i64) {
    let plan = t.fixtures().plan("Nghị quyết 07-NQ/TU").kind("resolution").create().await;
    let task = t.fixtures().task(plan, "1").title("Đề xuất nhiệm vụ KH&CN cấp thiết").create().await;
    let quang_yen = t.fixtures().organization("UBND thị xã Quảng Yên").create().await;
    let ha_long = t.fixtures().organization("UBND thành phố Hạ Long").create().await;
    let vien = t.fixtures().organization("Viện Nghiên cứu và Phát triển Vùng").create().await;
    (plan, task, quang_yen, ha_long, vien)
}

#[tokio::test]
async fn one_task_assigned_to_several_units_is_seen_by_each_unit_and_its_coordinators_only() {
    let t = TestDb::new().await;
    let db = t.db();
    let (plan, task, quang_yen, ha_long, vien) = scenario(&t).await;
    let ids = t
        .fixtures()
        .assignment(task, quang_yen)
        .also_led_by(&[ha_long])
        .coordinators(&[vien])
        .deadline(Deadline::Fixed { date: d(2020, 6, 30) })
        .create_all()
        .await;
    assert_eq!(ids.len(), 2);
    let all = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    assert_eq!(all.len(), 2);
    let qy = Visibility::Orgs { reporting: vec![quang_yen], staff: vec![] };
    let seen: Vec<i64> =
        assignments::list(db, &AssignmentFilter::default(), &qy).await.unwrap().iter().map(|a| a.lead_org_id).collect();
    assert_eq!(seen, vec![quang_yen]);
    let coordinator = Visibility::Orgs { reporting: vec![vien], staff: vec![] };
    assert_eq!(assignments::list(db, &AssignmentFilter::default(), &coordinator).await.unwrap().len(), 2);
    let nobody = Visibility::Orgs { reporting: vec![], staff: vec![] };
    assert!(assignments::list(db, &AssignmentFilter::default(), &nobody).await.unwrap().is_empty());
    let by_plan = AssignmentFilter { plans: Some(vec![plan]), involving: Some(vien), ..Default::default() };
    assert_eq!(assignments::list(db, &by_plan, &Visibility::All).await.unwrap().len(), 2);
    // Overdue candidates on 2020-07-10: both.
    let overdue = AssignmentFilter { open_and_due_before: Some(d(2020, 7, 10)), ..Default::default() };
    let rows = assignments::list(db, &overdue, &Visibility::All).await.unwrap();
    assert!(rows.iter().all(|a| derive_status(&a.facts(), d(2020, 7, 10)).kind == StatusKind::Overdue));
}

#[tokio::test]
async fn a_decision_is_taken_once_and_an_accepted_completion_closes_the_assignment() {
    let t = TestDb::new().await;
    let db = t.db();
    let (_, task, quang_yen, _, _) = scenario(&t).await;
    let id = t
        .fixtures()
        .assignment(task, quang_yen)
        .deadline(Deadline::Fixed { date: d(2020, 6, 30) })
        .priority("high")
        .create()
        .await;
    let update =
        t.fixtures().update(id, quang_yen).percent(100).completion(d(2020, 6, 25)).status(UpdateStatus::Submitted);
    let content = update.content();
    let u = update.create().await;
    let first = updates::transition(db, u, &[UpdateStatus::Submitted], UpdateStatus::Accepted, None, None, Utc::now())
        .await
        .unwrap();
    let second = updates::transition(
        db,
        u,
        &[UpdateStatus::Submitted],
        UpdateStatus::Returned,
        None,
        Some("Bổ sung"),
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(first && !second, "the second decision finds the update already decided");
    assert_eq!(updates::get(db, u).await.unwrap().unwrap().status, "accepted");
    // An accepted update cannot be edited any more.
    assert!(!updates::edit(db, u, 2, &content, Utc::now()).await.unwrap());
    assignments::apply_update(db, id, Some(100), Some(d(2020, 6, 25)), Utc::now()).await.unwrap();
    let row = assignments::get(db, id).await.unwrap().unwrap();
    assert_eq!(derive_status(&row.facts(), d(2021, 1, 1)).kind, StatusKind::CompletedOnTime);
}

#[tokio::test]
async fn a_stale_edit_is_refused() {
    let t = TestDb::new().await;
    let db = t.db();
    let (_, task, quang_yen, _, _) = scenario(&t).await;
    let id = t.fixtures().assignment(task, quang_yen).create().await;
    let draft = t.fixtures().update(id, quang_yen).percent(10);
    let mut content = draft.content();
    let u = draft.create().await;
    content.percent = 20;
    assert!(updates::edit(db, u, 1, &content, Utc::now()).await.unwrap());
    content.percent = 30;
    assert!(!updates::edit(db, u, 1, &content, Utc::now()).await.unwrap(), "version 1 is stale");
    assert_eq!(updates::get(db, u).await.unwrap().unwrap().percent, 20);
}

/// The row id and code of a unit of Quảng Ninh by full name: the old one (ended by the reform) or the one
/// in force.
async fn unit_row(db: &tiendo_db::Db, full_name: &str, ended: bool) -> (i64, String) {
    use tiendo_db::{Exec, Query};
    let sql = if ended {
        "SELECT id, code FROM admin_units WHERE province_code = '22' AND full_name = $1 AND valid_to IS NOT NULL"
    } else {
        "SELECT id, code FROM admin_units WHERE province_code = '22' AND full_name = $1 AND valid_to IS NULL"
    };
    let rows: Vec<(i64, String)> = db.fetch_all(Query::new(sql).bind(full_name)).await.unwrap();
    assert_eq!(rows.len(), 1, "{full_name}");
    rows[0].clone()
}

#[tokio::test]
async fn organisations_count_under_their_district_before_the_reform_and_their_successor_after() {
    use tiendo_db::monitoring::localities::located_organizations;
    let t = TestDb::new().await;
    let db = t.db();
    let (hoang_tan, _) = unit_row(db, "Xã Hoàng Tân", true).await;
    let (lien_hoa, _) = unit_row(db, "Xã Liên Hòa", true).await;
    let (ha_an, ha_an_code) = unit_row(db, "Phường Hà An", false).await;
    let (_, lien_hoa_now) = unit_row(db, "Phường Liên Hòa", false).await;
    let fixtures = t.fixtures();
    let in_hoang_tan = fixtures.organization("UBND xã Hoàng Tân").admin_unit(hoang_tan).create().await;
    let in_lien_hoa = fixtures.organization("UBND xã Liên Hòa").admin_unit(lien_hoa).create().await;
    let in_ha_an = fixtures.organization("UBND phường Hà An").admin_unit(ha_an).create().await;
    fixtures.organization("Viện Nghiên cứu và Phát triển Vùng").create().await;

    // Today's map: an old commune's organisation counts under its default successor (Liên Hòa was split:
    // the new Phường Liên Hòa is its default); one without a unit is left out.
    let now = located_organizations(db, false, d(2026, 1, 1)).await.unwrap();
    let codes: Vec<(i64, &str)> = now.iter().map(|o| (o.id, o.unit_code.as_str())).collect();
    assert_eq!(
        codes,
        [(in_hoang_tan, ha_an_code.as_str()), (in_lien_hoa, lien_hoa_now.as_str()), (in_ha_an, ha_an_code.as_str())]
    );
    // The old map: both old communes count under thị xã Quảng Yên (206); a unit in force has no district.
    let before = located_organizations(db, true, d(2025, 6, 30)).await.unwrap();
    let codes: Vec<(i64, &str)> = before.iter().map(|o| (o.id, o.unit_code.as_str())).collect();
    assert_eq!(codes, [(in_hoang_tan, "206"), (in_lien_hoa, "206")]);
}

/// The stamp of every assignment's status facts (`change_stamps`, migration 36) moves with every change of
/// those facts, whatever writes it, and not with other columns; on PostgreSQL once per transaction, at
/// its commit.
#[tokio::test]
async fn the_status_stamp_moves_with_every_change_of_the_status_facts_and_only_then() {
    use tiendo_db::change_stamps::{ASSIGNMENT_STATUS, version};
    use tiendo_db::{Backend, Exec, Query};
    let t = TestDb::new().await;
    let db = t.db();
    let fx = t.fixtures();
    let ward = fx.organization("UBND phường Hà An").create().await;
    let plan = fx.plan("Kế hoạch chuyển đổi số 2026").create().await;
    let task = fx.task(plan, "1").title("Số hoá hồ sơ").create().await;
    let stamp = || async { version(db, ASSIGNMENT_STATUS).await.unwrap() };
    let before = stamp().await;
    let id = fx.assignment(task, ward).deadline(Deadline::Fixed { date: d(2026, 6, 30) }).create().await;
    let mut last = stamp().await;
    assert!(last > before, "a new assignment moves the stamp");
    for (what, sql, expected) in [
        ("progress", format!("UPDATE assignments SET percent = 40, has_updates = TRUE WHERE id = {id}"), true),
        ("completion", format!("UPDATE assignments SET completed_on = '2026-06-01' WHERE id = {id}"), true),
        ("flag", format!("UPDATE assignments SET flagged_at_risk = TRUE WHERE id = {id}"), true),
        ("deadline", format!("UPDATE assignments SET due_on = '2026-07-31' WHERE id = {id}"), true),
        (
            "priority (not a fact of the status)",
            format!("UPDATE assignments SET priority = 'high' WHERE id = {id}"),
            false,
        ),
        ("a task's weight", format!("UPDATE tasks SET weight = 3 WHERE id = {task}"), true),
        (
            "a task's title (not a fact)",
            format!("UPDATE tasks SET title = 'Số hoá hồ sơ KH&CN' WHERE id = {task}"),
            false,
        ),
        ("removal", format!("DELETE FROM assignments WHERE id = {id}"), true),
    ] {
        db.execute(Query::new(sql)).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let now = stamp().await;
        assert_eq!(now > last, expected, "{what}: {last} → {now}");
        assert!(now >= last, "{what}: the stamp never goes back");
        last = now;
    }

    // Several assignments changed in one transaction: the stamp moves (on PostgreSQL once, at the commit;
    // nobody sees it move before).
    let ids = [
        fx.assignment(task, ward).create().await,
        fx.assignment(task, ward).create().await,
        fx.assignment(task, ward).create().await,
    ];
    let before = stamp().await;
    let tx = db.begin().await.unwrap();
    for id in ids {
        tx.execute(Query::new("UPDATE assignments SET percent = 10 WHERE id = $1").bind(id)).await.unwrap();
    }
    if db.backend() == Backend::Postgres {
        assert_eq!(stamp().await, before, "not before the commit");
    }
    tx.commit().await.unwrap();
    let after = stamp().await;
    assert!(after > before);
    if db.backend() == Backend::Postgres {
        assert_eq!(after, before + 1, "once per transaction");
    }
}

/// On PostgreSQL two writers of assignments do not deadlock on the stamp: it is taken at commit, so one that
/// waits for the other's row does not hold it (taken at each statement, this interleaving deadlocked).
#[tokio::test]
async fn two_writers_of_assignments_do_not_deadlock_on_the_status_stamp() {
    use tiendo_db::{Backend, Exec, Query};
    let t = TestDb::new().await;
    let db = t.db();
    if db.backend() != Backend::Postgres {
        // SQLite runs one write transaction at a time (`BEGIN IMMEDIATE`): no interleaving to try.
        return;
    }
    let fx = t.fixtures();
    let ward = fx.organization("UBND phường Hà An").create().await;
    let plan = fx.plan("Kế hoạch chuyển đổi số 2026").create().await;
    let task = fx.task(plan, "1").create().await;
    let (x, y) = (fx.assignment(task, ward).create().await, fx.assignment(task, ward).create().await);
    let set =
        |id: i64, percent: i64| Query::new("UPDATE assignments SET percent = $1 WHERE id = $2").bind(percent).bind(id);
    let interleaved = async {
        let a = db.begin().await.unwrap();
        let b = db.begin().await.unwrap();
        a.execute(set(x, 20)).await.unwrap();
        b.execute(set(y, 30)).await.unwrap();
        // A waits for B's row; B then commits.
        let waiting = tokio::spawn(async move {
            a.execute(set(y, 25)).await?;
            a.commit().await
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        b.commit().await.unwrap();
        waiting.await.unwrap().unwrap();
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), interleaved)
        .await
        .expect("the two writers finish (a writer waiting on the stamp while it is held would wait forever)");
    let (percent,): (i64,) =
        db.fetch_one(Query::new("SELECT percent FROM assignments WHERE id = $1").bind(y)).await.unwrap();
    assert_eq!(percent, 25);
}
