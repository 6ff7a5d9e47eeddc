//! The data generator of the benchmarks, and the SQL that narrows what the dashboards read, checked
//! against the rules applied to every row.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::monitoring::{Deadline, StatusKind, derive_status};
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, Flags, NewAssignments};
use tiendo_db::monitoring::updates;
use tiendo_db::testing::TestDb;
use tiendo_db::testing::generator::{self, Generated, Size};
use tiendo_db::{Db, Exec, Query};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 27);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    let (n,): (i64,) = db.fetch_one(Query::new(sql)).await.unwrap();
    n
}

#[tokio::test]
async fn the_generator_makes_every_status_deadline_kind_and_update_state_and_repeats_itself() {
    let t = TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 7, today()).await.unwrap();
    assert_eq!(count(db, "SELECT COUNT(*) FROM plans").await, Size::TINY.plans as i64);
    assert_eq!(count(db, "SELECT COUNT(*) FROM tasks").await, g.tasks as i64);
    assert_eq!(count(db, "SELECT COUNT(*) FROM assignments").await, g.assignments as i64);
    assert_eq!(count(db, "SELECT COUNT(*) FROM assignment_coordinators").await, g.coordinators as i64);
    assert_eq!(count(db, "SELECT COUNT(*) FROM progress_updates").await, Size::TINY.updates as i64);
    assert!(g.assignments > Size::TINY.assignments * 3 / 4, "{g:?}");
    // Resolution → programme → plan chains.
    let chains =
        count(db, "SELECT COUNT(*) FROM plans p JOIN plans q ON q.id = p.parent_id WHERE q.parent_id IS NOT NULL");
    assert!(chains.await > 0);
    assert_eq!(count(db, "SELECT COUNT(DISTINCT deadline_kind) FROM assignments").await, 4);
    assert_eq!(count(db, "SELECT COUNT(DISTINCT status) FROM progress_updates").await, 4);

    let rows = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    let kinds: BTreeSet<StatusKind> = rows.iter().map(|r| derive_status(&r.facts(), today()).kind).collect();
    assert_eq!(kinds, StatusKind::ALL.into_iter().collect(), "every derived status occurs");

    // The columns kept on the assignment agree with its updates, as the application keeps them.
    let inconsistent = count(
        db,
        "SELECT COUNT(*) FROM assignments a WHERE a.has_updates <> EXISTS \
         (SELECT 1 FROM progress_updates u WHERE u.assignment_id = a.id AND u.status <> 'draft')",
    );
    assert_eq!(inconsistent.await, 0);
    let unexplained = count(
        db,
        "SELECT COUNT(*) FROM assignments a WHERE a.completed_on IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM progress_updates u WHERE u.assignment_id = a.id AND u.status = 'accepted' \
          AND u.percent = 100 AND u.completion_claimed_on = a.completed_on)",
    );
    assert_eq!(unexplained.await, 0);

    // The same seed gives the same rows; another seed other rows.
    let again = TestDb::new().await;
    generator::province(again.db(), &Size::TINY, 7, today()).await.unwrap();
    let other = TestDb::new().await;
    generator::province(other.db(), &Size::TINY, 8, today()).await.unwrap();
    let list = |db: &Db| {
        let db = db.clone();
        async move { assignments::list(&db, &AssignmentFilter::default(), &Visibility::All).await.unwrap() }
    };
    assert_eq!(list(again.db()).await, rows);
    assert_ne!(list(other.db()).await, rows);
    let updates_of = |db: &Db| {
        let db = db.clone();
        async move {
            let rows: Vec<(String, i64, i64)> = db
                .fetch_all(Query::new(
                    "SELECT status, COUNT(*), CAST(SUM(percent) AS BIGINT) FROM progress_updates GROUP BY status ORDER BY status",
                ))
                .await
                .unwrap();
            rows
        }
    };
    assert_eq!(updates_of(again.db()).await, updates_of(db).await);
}

/// Edge cases of the overdue rule beside the generated mix: yearly deadlines on days that do not exist
/// every year (29 February) or ever (31 April, 31 February), completions in one year or another, and
/// malformed rows. Returns the ids of the malformed rows the SQL may keep but the rule never calls overdue.
async fn edge_cases(db: &Db, g: &Generated) -> Vec<i64> {
    let (task,): (i64,) = db.fetch_one(Query::new("SELECT MIN(id) FROM tasks")).await.unwrap();
    let lead = g.organizations[0];
    let now: DateTime<Utc> = Utc::now();
    let new = |deadline| NewAssignments {
        task_id: task,
        leads: vec![lead],
        coordinators: vec![],
        deadline,
        priority: "normal".into(),
        assigned_on: d(2017, 1, 1),
        assigned_by: None,
        source_document_id: None,
        origin: None,
        note: None,
        is_sample: false,
    };
    let mut ids = Vec::new();
    let cases: Vec<(Deadline, Option<NaiveDate>)> = vec![
        (Deadline::Yearly { month: 2, day: 29 }, None),
        (Deadline::Yearly { month: 2, day: 29 }, Some(d(2024, 2, 29))),
        (Deadline::Yearly { month: 12, day: 31 }, Some(d(2025, 12, 31))),
        (Deadline::Yearly { month: 4, day: 31 }, None),
        (Deadline::Yearly { month: 1, day: 1 }, Some(d(2026, 1, 1))),
        (Deadline::Yearly { month: 2, day: 31 }, None),
        (Deadline::Fixed { date: d(2024, 2, 29) }, None),
        (Deadline::Fixed { date: d(2020, 6, 30) }, Some(d(2020, 8, 4))),
        (Deadline::Period { from: d(2021, 1, 1), to: d(2021, 12, 31) }, None),
        (Deadline::Continuous, None),
        (Deadline::Fixed { date: d(2019, 1, 1) }, None),
        (Deadline::Fixed { date: d(2019, 1, 1) }, None),
        (Deadline::Period { from: d(2019, 1, 1), to: d(2019, 6, 30) }, None),
        (Deadline::Yearly { month: 3, day: 1 }, None),
        (Deadline::Yearly { month: 12, day: 15 }, None),
        (Deadline::Yearly { month: 6, day: 30 }, Some(d(2024, 7, 2))),
    ];
    for (deadline, completed) in cases {
        let id = assignments::create(db, &new(deadline), now).await.unwrap()[0];
        if completed.is_some() {
            assignments::apply_update(db, id, Some(100), completed, now).await.unwrap();
        }
        ids.push(id);
    }
    let flags = Flags { at_risk: false, blocked: false, blocked_reason: None, cancelled: true };
    assignments::set_flags(db, ids[10], &flags, now).await.unwrap();
    // Malformed: a fixed deadline without its date, a period without its start, a yearly one without month.
    db.execute(Query::new("UPDATE assignments SET due_on = NULL WHERE id = $1").bind(ids[11])).await.unwrap();
    db.execute(Query::new("UPDATE assignments SET period_start = NULL WHERE id = $1").bind(ids[12])).await.unwrap();
    db.execute(Query::new("UPDATE assignments SET yearly_month = NULL WHERE id = $1").bind(ids[13])).await.unwrap();
    // 31 February never exists; the period without a start is read as continuous.
    vec![ids[5], ids[12]]
}

#[tokio::test]
async fn the_overdue_prefilter_keeps_exactly_the_overdue_assignments_on_any_day() {
    let t = TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 11, today()).await.unwrap();
    let never_overdue = edge_cases(db, &g).await;
    let days = [
        d(2017, 1, 1),
        d(2018, 6, 30),
        d(2019, 12, 15),
        d(2019, 12, 16),
        d(2020, 2, 28),
        d(2020, 2, 29),
        d(2020, 3, 1),
        d(2021, 2, 28),
        d(2021, 3, 1),
        d(2022, 4, 30),
        d(2022, 5, 1),
        d(2023, 12, 31),
        d(2024, 1, 1),
        d(2024, 3, 1),
        d(2024, 12, 16),
        d(2025, 6, 30),
        d(2025, 7, 1),
        d(2026, 1, 1),
        d(2026, 1, 2),
        today(),
        d(2027, 3, 1),
        d(2030, 1, 1),
    ];
    let visibilities = [
        Visibility::All,
        Visibility::Orgs { reporting: g.organizations[20..26].to_vec(), staff: g.organizations[0..2].to_vec() },
    ];
    // Every day of a leap year for everything, and the days above for a unit's view as well.
    let every_day: Vec<NaiveDate> = d(2024, 1, 1).iter_days().take_while(|day| *day < d(2025, 1, 1)).collect();
    let mut seen = 0;
    for (vis, days) in visibilities.iter().zip([[every_day, days.to_vec()].concat(), days.to_vec()]) {
        let all = assignments::list(db, &AssignmentFilter::default(), vis).await.unwrap();
        for day in days {
            let expected: Vec<i64> = all
                .iter()
                .filter(|r| derive_status(&r.facts(), day).kind == StatusKind::Overdue)
                .map(|r| r.id)
                .collect();
            let filter = AssignmentFilter { open_and_due_before: Some(day), ..Default::default() };
            let candidates = assignments::list(db, &filter, vis).await.unwrap();
            let (overdue, other): (Vec<_>, Vec<_>) =
                candidates.iter().partition(|r| derive_status(&r.facts(), day).kind == StatusKind::Overdue);
            let overdue: Vec<i64> = overdue.iter().map(|r| r.id).collect();
            assert_eq!(overdue, expected, "overdue on {day} seen by {vis:?}");
            // Narrow: what the SQL keeps beyond the overdue ones is only rows the rule cannot read.
            for r in other {
                assert!(never_overdue.contains(&r.id), "assignment {} kept on {day} but not overdue: {r:?}", r.id);
            }
            seen += expected.len();
        }
    }
    assert!(seen > 500, "the comparison covered {seen} overdue assignments");
}

#[tokio::test]
async fn lists_read_as_json_carry_the_same_values_as_single_rows_and_status_rows_the_same_facts() {
    let t = TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 3, today()).await.unwrap();
    let plans = g.plans[0..5].to_vec();
    let filters = [
        AssignmentFilter::default(),
        AssignmentFilter { plans: Some(plans), ..Default::default() },
        AssignmentFilter { involving: Some(g.organizations[1]), ..Default::default() },
    ];
    let vis = Visibility::Orgs { reporting: g.organizations[20..30].to_vec(), staff: g.organizations[0..3].to_vec() };
    for filter in &filters {
        for vis in [&Visibility::All, &vis] {
            let full = assignments::list(db, filter, vis).await.unwrap();
            let lean = assignments::status_rows(db, filter, vis).await.unwrap();
            assert!(!full.is_empty());
            assert_eq!(lean.len(), full.len());
            for (l, f) in lean.iter().zip(&full) {
                assert_eq!(
                    (l.id, l.task_id, l.plan_id, l.lead_org_id, l.weight),
                    (f.id, f.task_id, f.plan_id, f.lead_org_id, f.weight)
                );
                assert_eq!(l.facts(), f.facts());
            }
        }
    }
    // Lists are read as JSON, one assignment as a row: the same values either way (dates, instants, flags).
    let all = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    assert!(all.iter().any(|r| r.last_update_at.is_some() && r.completed_on.is_some() && r.has_updates));
    assert!(all.iter().any(|r| r.blocked) && all.iter().any(|r| r.cancelled) && all.iter().any(|r| r.flagged_at_risk));
    for r in all.iter().step_by(7) {
        assert_eq!(assignments::get(db, r.id).await.unwrap().as_ref(), Some(r));
    }
    // Only the given ids (that exist).
    let (last,): (i64,) = db.fetch_one(Query::new("SELECT MAX(id) FROM assignments")).await.unwrap();
    let filter = AssignmentFilter { ids: Some(vec![last, 999_999]), ..Default::default() };
    let some = assignments::list(db, &filter, &Visibility::All).await.unwrap();
    assert_eq!(some.iter().map(|r| r.id).collect::<Vec<_>>(), vec![last]);
}

#[derive(Debug, sqlx::FromRow)]
struct UpdateTime {
    id: i64,
    assignment_id: i64,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[tokio::test]
async fn the_timeline_gives_the_latest_visible_updates_newest_first() {
    let t = TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 5, today()).await.unwrap();
    let all: Vec<UpdateTime> = db
        .fetch_all(Query::new("SELECT id, assignment_id, status, submitted_at, created_at FROM progress_updates"))
        .await
        .unwrap();
    let vis = Visibility::Orgs { reporting: g.organizations[22..24].to_vec(), staff: vec![g.organizations[3]] };
    let plans = g.plans[1..4].to_vec();
    for (plans, vis) in [(None, &Visibility::All), (Some(plans.as_slice()), &Visibility::All), (None, &vis)] {
        let filter = AssignmentFilter { plans: plans.map(<[i64]>::to_vec), ..Default::default() };
        let visible: BTreeSet<i64> =
            assignments::list(db, &filter, vis).await.unwrap().into_iter().map(|a| a.id).collect();
        let mut expected: Vec<&UpdateTime> =
            all.iter().filter(|u| u.status != "draft" && visible.contains(&u.assignment_id)).collect();
        expected.sort_by_key(|u| std::cmp::Reverse((u.submitted_at.unwrap_or(u.created_at), u.id)));
        let expected: Vec<i64> = expected.iter().take(10).map(|u| u.id).collect();
        let got: Vec<i64> = updates::recent(db, plans, vis, 10).await.unwrap().iter().map(|u| u.id).collect();
        assert_eq!(expected.len(), 10);
        assert_eq!(got, expected, "timeline of {plans:?} seen by {vis:?}");
    }
    let nobody = Visibility::Orgs { reporting: vec![], staff: vec![] };
    assert!(updates::recent(db, None, &nobody, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_status_derived_in_sql_filters_and_orders_as_the_rule_on_every_day() {
    use tiendo_db::monitoring::assignments::PageRequest;
    use tiendo_db::monitoring::status_sql::StatusFilter;
    let t = TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 13, today()).await.unwrap();
    edge_cases(db, &g).await;
    let all = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    let filters: Vec<StatusFilter> = StatusKind::ALL
        .into_iter()
        .map(StatusFilter::Kind)
        .chain([StatusFilter::AtRisk, StatusFilter::Blocked])
        .collect();
    let days = [
        d(2019, 12, 16),
        d(2020, 2, 28),
        d(2020, 2, 29),
        d(2021, 2, 28),
        d(2021, 3, 1),
        d(2022, 4, 16),
        d(2022, 4, 30),
        d(2024, 2, 15),
        d(2024, 12, 20),
        d(2025, 12, 31),
        d(2026, 1, 1),
        today(),
        d(2027, 3, 1),
    ];
    let mut compared = 0;
    for day in days {
        for filter in &filters {
            let keep = |r: &assignments::AssignmentRow| {
                let s = derive_status(&r.facts(), day);
                match filter {
                    StatusFilter::Kind(kind) => s.kind == *kind,
                    StatusFilter::AtRisk => s.at_risk,
                    StatusFilter::Blocked => s.blocked,
                }
            };
            let mut expected: Vec<(i64, i64)> = all
                .iter()
                .filter(|r| keep(r))
                .map(|r| {
                    let s = derive_status(&r.facts(), day);
                    (if s.kind == StatusKind::Overdue { s.days_late.unwrap_or(0) } else { -1 }, r.id)
                })
                .collect();
            expected.sort_by_key(|(days, id)| (std::cmp::Reverse(*days), *id));
            let expected: Vec<i64> = expected.into_iter().map(|(_, id)| id).collect();
            let (rows, total) = assignments::page(
                db,
                &AssignmentFilter::default(),
                Some(*filter),
                &Visibility::All,
                day,
                PageRequest::ALL,
            )
            .await
            .unwrap();
            let got: Vec<i64> = rows.iter().map(|r| r.id).collect();
            assert_eq!(got, expected, "{filter:?} on {day}");
            assert_eq!(total, expected.len() as i64);
            // A page of it is the same slice.
            let page = PageRequest { limit: Some(5), offset: 3 };
            let (rows, total) =
                assignments::page(db, &AssignmentFilter::default(), Some(*filter), &Visibility::All, day, page)
                    .await
                    .unwrap();
            let slice: Vec<i64> = expected.iter().skip(3).take(5).copied().collect();
            assert_eq!((rows.iter().map(|r| r.id).collect::<Vec<_>>(), total), (slice, expected.len() as i64));
            compared += expected.len();
        }
    }
    assert!(compared > 1000, "the comparison covered {compared} rows");
}

#[tokio::test]
async fn the_tree_of_plans_pages_in_pre_order_with_depths() {
    let t = TestDb::new().await;
    let db = t.db();
    let root = t.fixtures().plan("Nghị quyết").kind("resolution").create().await;
    let other_root = t.fixtures().plan("Nghị quyết khác").kind("resolution").create().await;
    let programme = t.fixtures().plan("Chương trình").kind("programme").parent(root).create().await;
    let plan = t.fixtures().plan("Kế hoạch").parent(programme).create().await;
    let second = t.fixtures().plan("Kế hoạch thứ hai").parent(root).create().await;
    let (page, total) = tiendo_db::monitoring::plans::tree_page(db, 100, 0).await.unwrap();
    let order: Vec<(i64, i64)> = page.iter().map(|(p, depth)| (p.id, *depth)).collect();
    assert_eq!(order, vec![(root, 0), (programme, 1), (plan, 2), (second, 1), (other_root, 0)]);
    assert_eq!(total, 5);
    let (page, _) = tiendo_db::monitoring::plans::tree_page(db, 2, 2).await.unwrap();
    assert_eq!(page.iter().map(|(p, _)| p.id).collect::<Vec<_>>(), vec![plan, second]);
    let chain: Vec<i64> =
        tiendo_db::monitoring::plans::ancestors(db, plan).await.unwrap().iter().map(|p| p.id).collect();
    assert_eq!(chain, vec![root, programme]);
}
