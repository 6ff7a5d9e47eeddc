//! The leader's dashboard and the overdue list on a generated province: the figures on the pages are
//! those of the rules applied to every visible assignment (the pages read leaner rows and narrowed sets).

use std::collections::BTreeSet;

use axum::http::StatusCode;
use tiendo_core::authz::{Role, Scope};
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow};
use tiendo_db::monitoring::{Visibility, plans};
use tiendo_db::testing::generator::{self, Size};
use tiendo_web::monitoring::dashboard::summarize;

use crate::harness::TestApp;

/// Today in Vietnam, as the pages (the application's system clock) see it.
fn today() -> chrono::NaiveDate {
    tiendo_core::time::vietnam_date(chrono::Utc::now())
}

/// The ids of the assignments linked in `html`, in order.
fn linked_assignments(html: &str) -> Vec<i64> {
    html.split("href=\"/assignments/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().and_then(|id| id.parse().ok()))
        .collect()
}

/// The assignments linked from the overdue list, page after page (following its "next" link), and the total
/// the list states.
async fn overdue_pages(browser: &crate::harness::Browser<'_>) -> (Vec<i64>, String) {
    let mut ids = Vec::new();
    let mut uri = "/overdue".to_owned();
    let mut pages = 0;
    let mut total = String::new();
    loop {
        let page = browser.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        pages += 1;
        assert!(pages < 1_000, "the pages of the overdue list end");
        if pages == 1 {
            total = section(&page.body, "<p><strong>", "</strong>").trim_start_matches("<p><strong>").to_owned();
        }
        let lines = linked_assignments(&page.body);
        assert!(lines.len() <= 50, "{uri}: {} lines on one page", lines.len());
        ids.extend(lines);
        // The link before `rel="next"`: `<a class="button secondary" href="/overdue?page=2" rel="next">`.
        let Some((before, _)) = page.body.split_once(r#"" rel="next""#) else { break };
        uri = before.rsplit_once("href=\"").map(|(_, href)| href.replace("&amp;", "&")).unwrap_or_default();
    }
    (ids, total)
}

/// The part of `html` from `start` to the next `end`.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Overdue assignments, most overdue first, then by id: (id, days).
fn overdue_of(rows: &[AssignmentRow]) -> Vec<(i64, i64)> {
    let mut overdue: Vec<(i64, i64)> = rows
        .iter()
        .filter_map(|r| {
            let s = derive_status(&r.facts(), today());
            (s.kind == StatusKind::Overdue).then(|| (r.id, s.days_late.unwrap_or(0)))
        })
        .collect();
    overdue.sort_by_key(|(id, days)| (std::cmp::Reverse(*days), *id));
    overdue
}

#[tokio::test]
async fn the_dashboard_shows_the_figures_of_every_assignment_plan_and_late_unit() {
    let app = TestApp::new().await;
    let db = app.db.db();
    generator::province(db, &Size::TINY, 21, today()).await.unwrap();
    app.user("lanhdao", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    let leader = app.sign_in("lanhdao").await;
    let page = leader.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;

    let rows = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    let summary = summarize(&rows, today());
    assert!(
        body.contains(&format!(
            r#"<a class="kpi" href="/assignments"><span class="kpi-value">{}</span>"#,
            summary.total
        ))
    );
    assert!(body.contains(&format!(
        r#"<a class="kpi kpi-danger" href="/overdue"><span class="kpi-value">{}</span>"#,
        summary.count(StatusKind::Overdue)
    )));
    assert!(body.contains(&format!(
        r#"<a class="kpi kpi-warn" href="/assignments?status=at_risk"><span class="kpi-value">{}</span>"#,
        summary.at_risk
    )));
    for kind in [StatusKind::CompletedOnTime, StatusKind::CompletedLate, StatusKind::NotStarted] {
        assert!(summary.count(kind) > 0);
        assert!(body.contains(&format!(
            r#"<a href="/assignments?&#38;status={}"><span class="dot status-{}" aria-hidden="true"></span>"#,
            kind.code(),
            kind.code()
        )));
    }
    let shown = |kind: StatusKind| {
        let counts = section(body, r#"<ul class="status-counts">"#, "</ul>");
        let item = section(counts, &format!("status={}\"", kind.code()), "</li>");
        item.contains(&format!(r#"<strong class="count-value">{}</strong>"#, summary.count(kind)))
    };
    assert!(StatusKind::ALL.into_iter().filter(|k| *k != StatusKind::Cancelled).all(shown));

    // Every plan with its sub-plans: the number of assignments and of overdue ones.
    let all_plans = plans::all(db).await.unwrap();
    assert!(all_plans.iter().any(|p| p.parent_id.is_some()));
    for plan in &all_plans {
        let subtree = plans::subtree_ids(db, plan.id).await.unwrap();
        let subset: Vec<AssignmentRow> = rows.iter().filter(|r| subtree.contains(&r.plan_id)).cloned().collect();
        let s = summarize(&subset, today());
        assert!(
            body.contains(&format!(r#"<a href="/assignments?plan={}">{}</a>"#, plan.id, s.total)),
            "plan {}",
            plan.id
        );
        assert!(
            body.contains(&format!(
                r#"<a href="/assignments?plan={}&amp;status=overdue">{}</a>"#,
                plan.id,
                s.count(StatusKind::Overdue)
            )),
            "plan {}",
            plan.id
        );
    }

    // The ten most overdue, in order.
    let expected: Vec<i64> = overdue_of(&rows).iter().take(10).map(|(id, _)| *id).collect();
    assert_eq!(expected.len(), 10);
    assert_eq!(linked_assignments(section(body, "overdue-list", "</ul>")), expected);

    // Who is late: most overdue assignments first.
    let mut late: Vec<(i64, i64, i64, String)> = Vec::new();
    for lead in rows.iter().map(|r| r.lead_org_id).collect::<BTreeSet<_>>() {
        let led: Vec<&AssignmentRow> = rows
            .iter()
            .filter(|r| r.lead_org_id == lead && derive_status(&r.facts(), today()).kind != StatusKind::Cancelled)
            .collect();
        let overdue =
            led.iter().filter(|r| derive_status(&r.facts(), today()).kind == StatusKind::Overdue).count() as i64;
        if overdue > 0 {
            late.push((lead, overdue, led.len() as i64, tiendo_core::text::sort_key(&led[0].lead_name)));
        }
    }
    late.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.3.cmp(&b.3)));
    let expected: Vec<String> = late
        .iter()
        .take(10)
        .map(|(id, overdue, all, _)| {
            format!(
                r#"<a href="/assignments?lead={id}&amp;status=overdue"><strong>{overdue}</strong></a></td><td data-label="Nhiệm vụ được giao"><a href="/assignments?lead={id}">{all}</a>"#
            )
        })
        .collect();
    let mut from = 0;
    for line in &expected {
        let at = body[from..].find(line.as_str()).unwrap_or_else(|| panic!("{line} in order"));
        from += at + line.len();
    }
}

#[tokio::test]
async fn the_overdue_list_has_every_overdue_assignment_most_overdue_first_and_only_visible_ones() {
    let app = TestApp::new().await;
    let db = app.db.db();
    let g = generator::province(db, &Size::TINY, 22, today()).await.unwrap();
    app.user("lanhdao", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    let commune = g.organizations[25];
    app.user("xa", Some(commune), &[(Role::LocalityOfficer, Scope::Organization(commune))]).await;

    let rows = assignments::list(db, &AssignmentFilter::default(), &Visibility::All).await.unwrap();
    let expected = overdue_of(&rows);
    assert!(expected.len() > 20);
    // Paged, 50 lines at a time: every page followed gives them all, in order, once.
    let leader = app.sign_in("lanhdao").await;
    let (listed, total) = overdue_pages(&leader).await;
    assert_eq!(listed, expected.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    assert_eq!(total, format!("{} nhiệm vụ quá hạn.", expected.len()));
    let page = leader.get("/overdue").await;
    for (_, days) in expected.iter().take(50) {
        assert!(page.body.contains(&format!(r#"<strong class="late">{days}</strong></td>"#)));
    }

    // A commune sees its own (as lead or coordinator), on the list and in the dashboard's timeline.
    let vis = Visibility::Orgs { reporting: vec![commune], staff: vec![] };
    let own = assignments::list(db, &AssignmentFilter::default(), &vis).await.unwrap();
    let own_ids: BTreeSet<i64> = own.iter().map(|r| r.id).collect();
    let expected: Vec<i64> = overdue_of(&own).iter().map(|(id, _)| *id).collect();
    assert!(!expected.is_empty() && expected.len() < rows.len());
    let officer = app.sign_in("xa").await;
    assert_eq!(overdue_pages(&officer).await.0, expected);
    let dashboard = officer.get("/dashboard").await;
    let timeline = linked_assignments(section(&dashboard.body, "history-list", "</ol>"));
    assert!(!timeline.is_empty());
    assert!(timeline.iter().all(|id| own_ids.contains(id)), "{timeline:?}");
}

/// The pages the load test reads answer on a generated province for the staff who use them (the load test
/// met a 500 on the organisation list of a generated province).
#[tokio::test]
async fn the_staff_lists_answer_on_a_generated_province() {
    let app = TestApp::new().await;
    generator::province(app.db.db(), &Size::TINY, 23, today()).await.unwrap();
    app.user("chuyenvien", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    for who in ["chuyenvien", "lanhdao"] {
        let browser = app.sign_in(who).await;
        for uri in [
            "/organizations",
            "/organizations?page=2",
            "/assignments?page=2",
            "/overdue",
            "/dashboard",
            "/reports/queue",
        ] {
            let mut status = StatusCode::OK;
            let logs = crate::harness::logs_of(async { status = browser.get(uri).await.status }).await;
            let errors: Vec<&str> = logs.lines().filter(|l| l.contains("ERROR")).collect();
            assert_eq!(status, StatusCode::OK, "{who} {uri}: {errors:#?}");
        }
    }
}

/// A leader's session (every assignment visible), for calls to the application layer.
fn leader_session() -> tiendo_app::Session {
    tiendo_app::Session::system(tiendo_core::authz::Actor::user(
        1,
        vec![tiendo_core::authz::Grant { role: Role::DepartmentLeader, scope: Scope::Province }],
    ))
}

/// An instance of the application on `db`, as another `tiendo serve` would be.
fn instance(db: &tiendo_db::Db) -> tiendo_app::App {
    tiendo_app::App::new(db.clone(), tiendo_db::files::FileStore::scratch(), tiendo_web::Settings::default())
}

/// The lists of every assignment cut from the kept status rows give what the database's paged query gives
/// (the same rows in the same order, the same total) for every status, a plan, a lead organisation and
/// pages past the first.
#[tokio::test]
async fn lists_cut_from_the_kept_status_rows_are_those_the_database_pages() {
    use tiendo_app::monitoring::assignments::{ListFilter, list};
    use tiendo_db::monitoring::assignments::PageRequest;
    use tiendo_db::monitoring::status_sql::StatusFilter;
    let t = tiendo_db::testing::TestDb::new().await;
    let db = t.db();
    let g = generator::province(db, &Size::TINY, 25, today()).await.unwrap();
    let app = instance(db);
    let session = leader_session();
    let plan = g.plans[0];
    let lead = g.organizations[g.organizations.len() / 2];
    let statuses: Vec<&str> =
        ["", "at_risk", "blocked"].into_iter().chain(StatusKind::ALL.iter().map(|k| k.code())).collect();
    let mut compared = 0;
    for status in statuses {
        for (plan, lead) in [(None, None), (Some(plan), None), (None, Some(lead))] {
            let filter = ListFilter { status: status.to_owned(), plan, lead, ..ListFilter::default() };
            let db_filter = AssignmentFilter {
                plans: match plan {
                    Some(p) => Some(plans::subtree_ids(db, p).await.unwrap()),
                    None => None,
                },
                lead,
                ..AssignmentFilter::default()
            };
            for page in [PageRequest { limit: Some(50), offset: 0 }, PageRequest { limit: Some(7), offset: 20 }] {
                let (kept, kept_total) = list(&app, &session, &filter, page).await.unwrap();
                let (paged, total) = assignments::page(
                    db,
                    &db_filter,
                    StatusFilter::from_code(status),
                    &Visibility::All,
                    app.today(),
                    page,
                )
                .await
                .unwrap();
                assert_eq!(kept_total, total, "{status} {plan:?} {lead:?}");
                assert_eq!(kept, paged, "{status} {plan:?} {lead:?} {page:?}");
                compared += kept.len();
            }
        }
    }
    assert!(compared > 200, "{compared} rows compared");
    assert_eq!(tiendo_app::monitoring::kept_status::reads(&app), 1, "every list cut from one read");
}

/// Every assignment's status rows are kept by each instance and read again only when the database's stamp
/// has moved: the dashboards and the lists reuse them, and a change written anywhere (here straight in SQL,
/// past every write path of the application) shows at once on every instance.
#[tokio::test]
async fn kept_status_rows_are_reused_until_any_change_moves_the_stamp_on_every_instance() {
    use tiendo_app::monitoring::dashboards;
    use tiendo_app::monitoring::kept_status::reads;
    use tiendo_db::monitoring::assignments::PageRequest;
    use tiendo_db::{Exec, Query};
    let t = tiendo_db::testing::TestDb::new().await;
    let db = t.db();
    generator::province(db, &Size::TINY, 26, today()).await.unwrap();
    let (first, second) = (instance(db), instance(db));
    let session = leader_session();
    let page = PageRequest { limit: Some(50), offset: 0 };
    let overdue_count = async |app: &tiendo_app::App| {
        dashboards::overview(app, &session).await.unwrap().summary.count(StatusKind::Overdue)
    };

    let before = overdue_count(&first).await;
    assert!(before > 1);
    let (rows, total) = dashboards::overdue(&first, &session, page).await.unwrap();
    assert_eq!(total, before);
    dashboards::localities(&first, &Visibility::All, false, "").await.unwrap();
    assert_eq!(reads(&first), 1, "the dashboard, the overdue list and the localities read the rows once");
    assert_eq!(overdue_count(&second).await, before);
    assert_eq!(reads(&second), 1, "each instance keeps its own");

    // The most overdue is completed, in SQL: both instances see it at their next request.
    let most = rows[0].id;
    db.execute(Query::new("UPDATE assignments SET completed_on = $1 WHERE id = $2").bind(today()).bind(most))
        .await
        .unwrap();
    for app in [&first, &second] {
        assert_eq!(overdue_count(app).await, before - 1);
        let (rows, total) = dashboards::overdue(app, &session, page).await.unwrap();
        assert_eq!(total, before - 1);
        assert!(rows.iter().all(|r| r.id != most));
        assert_eq!(reads(app), 2);
    }
    // A column the status does not read leaves them kept; a task's weight does not.
    db.execute(Query::new("UPDATE assignments SET priority = 'high' WHERE id = $1").bind(most)).await.unwrap();
    overdue_count(&first).await;
    assert_eq!(reads(&first), 2);
    db.execute(
        Query::new("UPDATE tasks SET weight = weight + 1 WHERE id = (SELECT task_id FROM assignments WHERE id = $1)")
            .bind(most),
    )
    .await
    .unwrap();
    overdue_count(&first).await;
    assert_eq!(reads(&first), 3);
}
