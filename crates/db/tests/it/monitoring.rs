use chrono::{NaiveDate, Utc};
use tiendo_core::monitoring::{Deadline, DocumentSymbol, StatusKind, UpdateStatus, derive_status};
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, NewAssignments};
use tiendo_db::monitoring::documents::{self, DocumentInput};
use tiendo_db::monitoring::plans::{self, PlanInput, TaskInput};
use tiendo_db::monitoring::updates::{self, UpdateContent};
use tiendo_db::testing::TestDb;
use tiendo_db::{DbError, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn org(db: &tiendo_db::Db, name: &str) -> i64 {
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

fn doc(symbol: &str, summary: &str) -> DocumentInput {
    let s = DocumentSymbol::parse(symbol).unwrap();
    DocumentInput {
        doc_type: s.doc_type.map(|t| t.code().to_owned()).unwrap_or_else(|| "L".into()),
        symbol: s,
        party_term: None,
        issuer_org_id: None,
        issued_on: Some(d(2017, 5, 10)),
        effective_on: None,
        signer: None,
        summary: summary.into(),
        is_sample: false,
    }
}

#[tokio::test]
async fn the_register_refuses_the_same_document_twice_and_finds_by_words() {
    let t = TestDb::new().await;
    let db = t.db();
    let id =
        documents::create(db, &doc("07-NQ/TU", "Về phát triển khoa học và công nghệ"), None, Utc::now()).await.unwrap();
    let err = documents::create(db, &doc("7-NQ/TU", "Bản trùng"), None, Utc::now()).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
    // The same number under another term is another document.
    let mut other_term = doc("07-NQ/TU", "Nhiệm kỳ khác");
    other_term.party_term = Some("2020–2025".into());
    documents::create(db, &other_term, None, Utc::now()).await.unwrap();
    let (found, total) = documents::list(
        db,
        &documents::DocumentFilter { q: Some("khoa hoc cong nghe".into()), ..Default::default() },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!((total, found[0].id, found[0].symbol.as_str()), (1, id, "07-NQ/TU"));
    let by_symbol =
        documents::list(db, &documents::DocumentFilter { q: Some("07-nq/tu".into()), ..Default::default() }, 10, 0)
            .await
            .unwrap();
    assert_eq!(by_symbol.1, 2);
}

#[tokio::test]
async fn every_peoples_committee_numbers_its_own_documents_each_year() {
    let t = TestDb::new().await;
    let db = t.db();
    let quang_yen = org(db, "UBND thị xã Quảng Yên").await;
    let ha_long = org(db, "UBND thành phố Hạ Long").await;
    let report = |issuer: i64, year: i32| DocumentInput {
        issuer_org_id: Some(issuer),
        issued_on: Some(d(year, 3, 20)),
        ..doc("45/BC-UBND", "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU")
    };
    let first = documents::create(db, &report(quang_yen, 2020), None, Utc::now()).await.unwrap();
    // Another committee's 45/BC-UBND, and the same committee's 45/BC-UBND of another year, are other documents.
    documents::create(db, &report(ha_long, 2020), None, Utc::now()).await.unwrap();
    documents::create(db, &report(quang_yen, 2021), None, Utc::now()).await.unwrap();
    let again = report(quang_yen, 2020);
    let err = documents::create(db, &again, None, Utc::now()).await.unwrap_err();
    assert!(matches!(err, DbError::UniqueViolation { .. }), "{err:?}");
    assert_eq!(documents::find_same(db, &again).await.unwrap().map(|d| d.id), Some(first));
}

async fn scenario(db: &tiendo_db::Db) -> (i64, i64, i64, i64, i64) {
    let plan = plans::create(
        db,
        &PlanInput {
            kind: "resolution".into(),
            title: "Nghị quyết 07-NQ/TU".into(),
            document_id: None,
            parent_id: None,
            owner_org_id: None,
            period_start: None,
            period_end: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let task = plans::add_task(
        db,
        plan,
        &TaskInput {
            parent_id: None,
            code: "1".into(),
            title: "Đề xuất nhiệm vụ KH&CN cấp thiết".into(),
            expected_product: None,
            weight: 1.0,
        },
    )
    .await
    .unwrap();
    let quang_yen = org(db, "UBND thị xã Quảng Yên").await;
    let ha_long = org(db, "UBND thành phố Hạ Long").await;
    let vien = org(db, "Viện Nghiên cứu và Phát triển Vùng").await;
    (plan, task, quang_yen, ha_long, vien)
}

#[tokio::test]
async fn one_task_assigned_to_several_units_is_seen_by_each_unit_and_its_coordinators_only() {
    let t = TestDb::new().await;
    let db = t.db();
    let (plan, task, quang_yen, ha_long, vien) = scenario(db).await;
    let ids = assignments::create(
        db,
        &NewAssignments {
            task_id: task,
            leads: vec![quang_yen, ha_long],
            coordinators: vec![vien],
            deadline: Deadline::Fixed { date: d(2020, 6, 30) },
            priority: "normal".into(),
            assigned_on: d(2020, 3, 1),
            assigned_by: None,
            source_document_id: None,
            origin: None,
            note: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
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
    let (_, task, quang_yen, _, _) = scenario(db).await;
    let id = assignments::create(
        db,
        &NewAssignments {
            task_id: task,
            leads: vec![quang_yen],
            coordinators: vec![],
            deadline: Deadline::Fixed { date: d(2020, 6, 30) },
            priority: "high".into(),
            assigned_on: d(2020, 3, 1),
            assigned_by: None,
            source_document_id: None,
            origin: None,
            note: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap()[0];
    let content = UpdateContent {
        narrative: "Đã đề xuất 03 nhiệm vụ".into(),
        percent: 100,
        difficulties: None,
        recommendations: None,
        links: None,
        completion_claimed_on: Some(d(2020, 6, 25)),
    };
    let u = updates::create(
        db,
        &updates::NewUpdate {
            assignment_id: id,
            org_id: quang_yen,
            author_id: None,
            content: content.clone(),
            status: UpdateStatus::Submitted,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
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
    let (_, task, quang_yen, _, _) = scenario(db).await;
    let id = assignments::create(
        db,
        &NewAssignments {
            task_id: task,
            leads: vec![quang_yen],
            coordinators: vec![],
            deadline: Deadline::Continuous,
            priority: "normal".into(),
            assigned_on: d(2020, 3, 1),
            assigned_by: None,
            source_document_id: None,
            origin: None,
            note: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap()[0];
    let mut content = UpdateContent {
        narrative: "Bản nháp".into(),
        percent: 10,
        difficulties: None,
        recommendations: None,
        links: None,
        completion_claimed_on: None,
    };
    let new = updates::NewUpdate {
        assignment_id: id,
        org_id: quang_yen,
        author_id: None,
        content: content.clone(),
        status: UpdateStatus::Draft,
        is_sample: false,
    };
    let u = updates::create(db, &new, Utc::now()).await.unwrap();
    content.percent = 20;
    assert!(updates::edit(db, u, 1, &content, Utc::now()).await.unwrap());
    content.percent = 30;
    assert!(!updates::edit(db, u, 1, &content, Utc::now()).await.unwrap(), "version 1 is stale");
    assert_eq!(updates::get(db, u).await.unwrap().unwrap().percent, 20);
}
