//! Storage of working visits: a visit owns a plan whose tasks are its conclusions and whose assignments are
//! its directives; the calendar's filters; the files; the escalation's reading; the article draft.

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{AccessScope, Actor, Grant, Role, Scope};
use tiendo_core::monitoring::Deadline;
use tiendo_db::directory::Page;
use tiendo_db::monitoring::assignments::{self, NewAssignments};
use tiendo_db::monitoring::plans::{self, PlanInput};
use tiendo_db::testing::TestDb;
use tiendo_db::visits::{self, NewFile, NewMember, NewStop, OwnPlan, VisitFilter, VisitRecord, VisitScope};
use tiendo_db::{Db, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The access scope of an actor with these grants (no subtree grants here).
fn scope_of(grants: &[(Role, Scope)]) -> AccessScope {
    let actor = Actor::user(1, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect());
    AccessScope::of(&actor, |root| vec![root])
}

async fn org(t: &TestDb, name: &str, unit_code: &str) -> i64 {
    let unit = unit_id(t.db(), unit_code).await;
    t.fixtures().organization(name).admin_unit(unit).create().await
}

async fn person(t: &TestDb, name: &str, title: Option<&str>) -> i64 {
    let person = t.fixtures().person(name).position("Giám đốc");
    match title {
        Some(title) => person.title(title).create().await,
        None => person.create().await,
    }
}

async fn unit_id(db: &Db, code: &str) -> i64 {
    let (id,): (i64,) =
        db.fetch_one(Query::new("SELECT MIN(id) FROM admin_units WHERE code = $1").bind(code)).await.unwrap();
    id
}

struct Story {
    so: i64,
    quang_yen: i64,
    minh_han: i64,
    ha_long: i64,
    nam: i64,
    minh: i64,
    programme: i64,
}

async fn story(t: &TestDb) -> Story {
    let db = t.db();
    let so = org(t, "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", "22").await;
    let quang_yen = org(t, "UBND thị xã Quảng Yên", "206").await;
    let minh_han = org(t, "Công ty TNHH thủy sản Minh Hàn", "07156").await;
    let ha_long = org(t, "UBND thành phố Hạ Long", "193").await;
    let programme = plans::create(
        db,
        &PlanInput {
            kind: "programme".into(),
            title: "Chương trình hành động thực hiện Nghị quyết 07-NQ/TU".into(),
            document_id: None,
            parent_id: None,
            owner_org_id: Some(so),
            period_start: None,
            period_end: None,
            is_sample: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    Story {
        so,
        quang_yen,
        minh_han,
        ha_long,
        nam: person(t, "Hoàng Bá Nam", None).await,
        minh: person(t, "Nguyễn Đắc Bình Minh", Some("TS.")).await,
        programme,
    }
}

fn stop(day: NaiveDate, time: &str, host: i64, unit: Option<i64>) -> NewStop {
    NewStop {
        id: None,
        on_date: day,
        start_time: Some(time.into()),
        place: None,
        host_org_id: host,
        admin_unit_id: unit,
        agenda: None,
        minutes: Some("Biên bản".into()),
        assessment: None,
    }
}

async fn visit(db: &Db, s: &Story, title: &str, on: NaiveDate, stops: Vec<NewStop>) -> i64 {
    let record = VisitRecord {
        title: title.into(),
        purpose: "Kiểm tra thực hiện Nghị quyết 07-NQ/TU".into(),
        organizer_org_id: s.so,
        legal_basis_id: None,
        starts_on: on,
        ends_on: on,
        assessment: Some("Đánh giá chung".into()),
        members: vec![
            NewMember { person_id: s.minh, organization_id: None, role: "member".into(), position: None },
            NewMember { person_id: s.nam, organization_id: Some(s.so), role: "leader".into(), position: None },
        ],
        stops,
        removed_stops: vec![],
        is_sample: false,
    };
    let plan = OwnPlan { title: format!("Kết luận: {title}"), parent_id: Some(s.programme) };
    visits::create(db, &record, &plan, None, Utc::now()).await.unwrap()
}

async fn directive(db: &Db, task: i64, lead: i64, deadline: Deadline, coordinators: Vec<i64>) -> i64 {
    let new = NewAssignments {
        task_id: task,
        leads: vec![lead],
        coordinators,
        deadline,
        priority: "normal".into(),
        assigned_on: d(2020, 2, 27),
        assigned_by: None,
        source_document_id: None,
        origin: Some("visit".into()),
        note: None,
        is_sample: false,
    };
    assignments::create(db, &new, Utc::now()).await.unwrap()[0]
}

#[tokio::test]
async fn a_visit_owns_a_plan_whose_tasks_are_its_conclusions_and_assignments_its_directives() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    let qy_unit = unit_id(db, "206").await;
    let id = visit(
        db,
        &s,
        "Làm việc tại Quảng Yên",
        d(2020, 2, 27),
        vec![stop(d(2020, 2, 27), "14:00", s.ha_long, None), stop(d(2020, 2, 27), "08:00", s.quang_yen, Some(qy_unit))],
    )
    .await;
    let v = visits::get(db, id).await.unwrap().unwrap();
    let plan = plans::get(db, v.plan_id.unwrap()).await.unwrap().unwrap();
    assert_eq!((plan.parent_id, plan.owner_org_id), (Some(s.programme), Some(s.so)));
    assert_eq!(visits::visit_of_plan(db, plan.id).await.unwrap(), Some(id));
    assert!(
        !visits::plan_choices(db).await.unwrap().iter().any(|(p, _)| *p == plan.id),
        "a visit's plan is not offered"
    );

    // Stops by time; members as typed, names with their titles.
    let stops = visits::stops(db, id).await.unwrap();
    assert_eq!(
        stops.iter().map(|s| s.host_name.as_str()).collect::<Vec<_>>(),
        ["UBND thị xã Quảng Yên", "UBND thành phố Hạ Long"]
    );
    assert_eq!(stops[0].unit_name.as_deref(), Some("Thị xã Quảng Yên"));
    let members = visits::members(db, id).await.unwrap();
    assert_eq!(members[0].person_name, "TS. Nguyễn Đắc Bình Minh");

    // Two conclusions, numbered in the plan; the first at a stop with two directives.
    let first =
        visits::add_conclusion(db, id, plan.id, Some(stops[0].id), "Đề xuất nhiệm vụ cấp bách", Some("Danh mục"))
            .await
            .unwrap();
    let second = visits::add_conclusion(db, id, plan.id, None, "Hỗ trợ doanh nghiệp", None).await.unwrap();
    let a = directive(db, first, s.quang_yen, Deadline::Fixed { date: d(2020, 4, 30) }, vec![s.ha_long]).await;
    let b = directive(db, first, s.ha_long, Deadline::Continuous, vec![]).await;
    let c = directive(db, second, s.so, Deadline::Fixed { date: d(2020, 12, 31) }, vec![]).await;
    let conclusions = visits::conclusions(db, id).await.unwrap();
    assert_eq!(conclusions.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(conclusions[0].stop_id, Some(stops[0].id));
    let ids: Vec<i64> = visits::directives(db, id).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [a, b, c]);
    assert_eq!(visits::directive_plans(db).await.unwrap(), [plan.id]);
    // The assignment page's details name the visit and the stop.
    let extra = assignments::extra(db, a).await.unwrap().unwrap();
    assert_eq!((extra.visit_id, extra.visit_stop_id), (Some(id), Some(stops[0].id)));
    assert_eq!(extra.visit_stop_host.as_deref(), Some("UBND thị xã Quảng Yên"));
    let whole = assignments::extra(db, c).await.unwrap().unwrap();
    assert_eq!((whole.visit_id, whole.visit_stop_id), (Some(id), None));

    // Involved: the hosts, the members' organisations, the leads and coordinators.
    let mut involved = visits::involved_orgs(db, id).await.unwrap();
    involved.sort_unstable();
    let mut expected = vec![s.so, s.quang_yen, s.ha_long];
    expected.sort_unstable();
    assert_eq!(involved, expected);
    assert!(visits::stop_in_use(db, stops[0].id).await.unwrap());
    assert!(!visits::stop_in_use(db, stops[1].id).await.unwrap());
}

#[tokio::test]
async fn editing_keeps_stored_stops_in_place_and_removes_emptied_ones() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    let id = visit(
        db,
        &s,
        "Làm việc tại Quảng Yên",
        d(2020, 2, 27),
        vec![stop(d(2020, 2, 27), "08:00", s.quang_yen, None), stop(d(2020, 2, 27), "10:00", s.minh_han, None)],
    )
    .await;
    let stored = visits::stops(db, id).await.unwrap();
    let mut kept = stop(d(2020, 2, 28), "09:00", s.quang_yen, None);
    kept.id = Some(stored[0].id);
    let record = VisitRecord {
        title: "Làm việc tại Quảng Yên (sửa)".into(),
        purpose: "Mục đích".into(),
        organizer_org_id: s.so,
        legal_basis_id: None,
        starts_on: d(2020, 2, 27),
        ends_on: d(2020, 2, 28),
        assessment: None,
        members: vec![NewMember { person_id: s.nam, organization_id: None, role: "leader".into(), position: None }],
        stops: vec![kept, stop(d(2020, 2, 28), "14:00", s.ha_long, None)],
        removed_stops: vec![stored[1].id],
        is_sample: false,
    };
    visits::update(db, id, &record, &OwnPlan { title: "Kết luận (sửa)".into(), parent_id: None }, Utc::now())
        .await
        .unwrap();
    let after = visits::stops(db, id).await.unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!((after[0].id, after[0].on_date), (stored[0].id, d(2020, 2, 28)), "the same stop, moved");
    assert!(after.iter().all(|s| s.id != stored[1].id), "the emptied stop is gone");
    let v = visits::get(db, id).await.unwrap().unwrap();
    let plan = plans::get(db, v.plan_id.unwrap()).await.unwrap().unwrap();
    assert_eq!((plan.title.as_str(), plan.parent_id), ("Kết luận (sửa)", None));
    assert_eq!(visits::members(db, id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_calendar_filters_by_dates_locality_organisation_leader_and_what_the_caller_may_see() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    // Minh Hàn lies in xã Hoàng Tân, a commune of thị xã Quảng Yên.
    let hoang_tan = unit_id(db, "07156").await;
    let feb =
        visit(db, &s, "Tháng Hai", d(2020, 2, 27), vec![stop(d(2020, 2, 27), "10:00", s.minh_han, Some(hoang_tan))])
            .await;
    let june = visit(db, &s, "Tháng Sáu", d(2020, 6, 10), vec![stop(d(2020, 6, 10), "08:00", s.ha_long, None)]).await;
    let all = scope_of(&[(Role::DepartmentOfficer, Scope::Province)]);
    let ids = |rows: Vec<visits::VisitSummary>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(visits::list(db, &VisitFilter::default(), &all).await.unwrap()), [feb, june]);
    let march_to_july = VisitFilter { from: Some(d(2020, 3, 1)), to: Some(d(2020, 7, 31)), ..Default::default() };
    assert_eq!(ids(visits::list(db, &march_to_july, &all).await.unwrap()), [june]);
    let town = unit_id(db, "206").await;
    for unit in [town, hoang_tan] {
        let f = VisitFilter { locality: Some(unit), ..Default::default() };
        assert_eq!(ids(visits::list(db, &f, &all).await.unwrap()), [feb], "unit {unit}");
    }
    let localities: Vec<i64> = visits::locality_options(db).await.unwrap().into_iter().map(|(id, _)| id).collect();
    assert!(localities.contains(&town) && localities.contains(&hoang_tan), "{localities:?}");
    let hosted = VisitFilter { org: Some(s.ha_long), ..Default::default() };
    assert_eq!(ids(visits::list(db, &hosted, &all).await.unwrap()), [june]);
    let organised = VisitFilter { org: Some(s.so), ..Default::default() };
    assert_eq!(ids(visits::list(db, &organised, &all).await.unwrap()).len(), 2);
    let led = VisitFilter { leader: Some(s.nam), ..Default::default() };
    assert_eq!(ids(visits::list(db, &led, &all).await.unwrap()).len(), 2);
    let not_led = VisitFilter { leader: Some(s.minh), ..Default::default() };
    assert!(visits::list(db, &not_led, &all).await.unwrap().is_empty());
    assert_eq!(visits::leader_options(db).await.unwrap(), [(s.nam, "Hoàng Bá Nam".to_owned())]);
    let first = visits::list(db, &VisitFilter::default(), &all).await.unwrap().remove(0);
    assert_eq!(first.leader_name.as_deref(), Some("Hoàng Bá Nam"));

    // A page of the list, with how many match in all.
    let second = visits::page(db, &VisitFilter::default(), &all, Page { offset: 1, limit: 1 }).await.unwrap();
    assert_eq!((ids(second.items), second.total), (vec![june], 2));
    let none = visits::page(db, &not_led, &all, Page::first(10)).await.unwrap();
    assert_eq!((none.items.len(), none.total), (0, 0));

    // A ward sees the visits it hosted; the organiser's staff those it organised; others none.
    let host = scope_of(&[(Role::LocalityOfficer, Scope::Organization(s.ha_long))]);
    assert_eq!(ids(visits::list(db, &VisitFilter::default(), &host).await.unwrap()), [june]);
    let staff = scope_of(&[(Role::DepartmentOfficer, Scope::Organization(s.so))]);
    assert_eq!(ids(visits::list(db, &VisitFilter::default(), &staff).await.unwrap()).len(), 2);
    let editor = scope_of(&[(Role::Editor, Scope::Province)]);
    assert_eq!(VisitScope::of(&editor), VisitScope::All, "editors read every visit");
    let stranger = scope_of(&[(Role::LocalityOfficer, Scope::Organization(s.quang_yen))]);
    assert!(visits::list(db, &VisitFilter::default(), &stranger).await.unwrap().is_empty());
    let nobody = scope_of(&[(Role::Expert, Scope::Province)]);
    assert!(VisitScope::of(&nobody).is_empty());
    assert_eq!(visits::page(db, &VisitFilter::default(), &nobody, Page::first(10)).await.unwrap().total, 0);
    // Leading a directive involves an organisation too.
    let plan = visits::get(db, feb).await.unwrap().unwrap().plan_id.unwrap();
    let task = visits::add_conclusion(db, feb, plan, None, "Đề xuất nhiệm vụ", None).await.unwrap();
    directive(db, task, s.quang_yen, Deadline::Fixed { date: d(2020, 4, 30) }, vec![]).await;
    assert_eq!(ids(visits::list(db, &VisitFilter::default(), &stranger).await.unwrap()), [feb]);
}

#[tokio::test]
async fn photos_keep_their_captions_and_alt_texts_for_the_article_draft() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    let id =
        visit(db, &s, "Làm việc tại Quảng Yên", d(2020, 2, 27), vec![stop(d(2020, 2, 27), "08:00", s.quang_yen, None)])
            .await;
    let photo =
        tiendo_db::files::record(db, &"a".repeat(64), 10, "image/png", "doan-cong-tac.png", None).await.unwrap();
    let minutes =
        tiendo_db::files::record(db, &"b".repeat(64), 10, "application/pdf", "bien-ban.pdf", None).await.unwrap();
    let stop_id = visits::stops(db, id).await.unwrap()[0].id;
    let new = |attachment_id, kind, caption: &str, alt: Option<&str>| NewFile {
        stop_id: Some(stop_id),
        attachment_id,
        kind,
        caption: Some(caption.to_owned()),
        alt_text: alt.map(str::to_owned),
        uploaded_by: None,
    };
    visits::add_file(
        db,
        id,
        &new(photo.id, "photo", "Đoàn làm việc tại UBND thị xã", Some("Đoàn ngồi quanh bàn họp")),
        Utc::now(),
    )
    .await
    .unwrap();
    let doc = visits::add_file(db, id, &new(minutes.id, "document", "Biên bản", None), Utc::now()).await.unwrap();
    // A photo without its alternative text is refused by the schema itself.
    assert!(visits::add_file(db, id, &new(photo.id, "photo", "x", None), Utc::now()).await.is_err());
    assert_eq!(visits::files(db, id).await.unwrap().len(), 2);
    assert_eq!(visits::visits_using_attachment(db, photo.id).await.unwrap(), [id]);

    let draft = visits::article_draft(db, id).await.unwrap().unwrap();
    assert_eq!(draft.title, "Làm việc tại Quảng Yên");
    assert_eq!(draft.summary, "Kiểm tra thực hiện Nghị quyết 07-NQ/TU\n\nĐánh giá chung");
    assert_eq!(
        draft.clone().into_parts().2,
        [(photo.id, "Đoàn làm việc tại UBND thị xã".to_owned(), "Đoàn ngồi quanh bàn họp".to_owned())]
    );
    assert!(visits::article_draft(db, id + 100).await.unwrap().is_none());

    assert!(visits::remove_file(db, id, doc).await.unwrap());
    assert!(!visits::remove_file(db, id, doc).await.unwrap(), "already gone");
    assert_eq!(visits::files(db, id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_escalation_reads_open_directives_and_the_leaders_over_the_organiser() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    let id =
        visit(db, &s, "Làm việc tại Quảng Yên", d(2020, 2, 27), vec![stop(d(2020, 2, 27), "08:00", s.quang_yen, None)])
            .await;
    let plan = visits::get(db, id).await.unwrap().unwrap().plan_id.unwrap();
    let task = visits::add_conclusion(db, id, plan, None, "Đề xuất nhiệm vụ", None).await.unwrap();
    let open = directive(db, task, s.quang_yen, Deadline::Fixed { date: d(2020, 4, 30) }, vec![]).await;
    let done = directive(db, task, s.ha_long, Deadline::Fixed { date: d(2020, 4, 30) }, vec![]).await;
    assignments::apply_update(db, done, Some(100), Some(d(2020, 4, 20)), Utc::now()).await.unwrap();
    directive(db, task, s.ha_long, Deadline::Fixed { date: d(2020, 6, 30) }, vec![]).await;
    let found: Vec<i64> =
        visits::open_directives(db, d(2020, 5, 10)).await.unwrap().into_iter().map(|c| c.row.id).collect();
    assert_eq!(found, [open], "open and due before the day");

    let f = t.fixtures();
    let province = f.account("lanhdao").role(Role::DepartmentLeader, Scope::Province).create().await;
    let own = f.account("giamdoc").role(Role::DepartmentLeader, Scope::Organization(s.so)).create().await;
    f.account("khac").role(Role::DepartmentLeader, Scope::Organization(s.ha_long)).create().await;
    f.account("chuyenvien").role(Role::DepartmentOfficer, Scope::Province).create().await;
    let leaders: Vec<i64> = visits::leaders_of(db, &[s.so]).await.unwrap().into_iter().map(|(id, _)| id).collect();
    assert_eq!(leaders, [province, own]);

    assert!(visits::escalated(db, id).await.unwrap().is_empty());
    assert!(
        tiendo_db::notifications::claim_reminder(db, open, visits::ESCALATION_KIND, d(2020, 4, 30), chrono::Utc::now())
            .await
            .unwrap()
    );
    let escalated = visits::escalated(db, id).await.unwrap();
    assert_eq!((escalated[0].0, escalated[0].1), (open, d(2020, 4, 30)));
}

#[tokio::test]
async fn members_are_found_by_name_with_or_without_title_and_diacritics() {
    let t = TestDb::new().await;
    let db = t.db();
    let s = story(&t).await;
    for typed in ["TS. Nguyễn Đắc Bình Minh", "Nguyễn Đắc Bình Minh", "nguyen dac binh minh"] {
        let found: Vec<i64> = visits::people_named(db, typed).await.unwrap().into_iter().map(|p| p.id).collect();
        assert_eq!(found, [s.minh], "{typed}");
    }
    assert!(visits::people_named(db, "Trần Văn Không Có").await.unwrap().is_empty());
    assert!(visits::people_named(db, "   ").await.unwrap().is_empty());
    assert!(visits::people_named(db, "Minh").await.unwrap().is_empty(), "a given name alone is not a person");
}
