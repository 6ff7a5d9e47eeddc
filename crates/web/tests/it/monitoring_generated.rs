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
                r#"<a href="/assignments?lead={id}&amp;status=overdue"><strong>{overdue}</strong></a></td><td><a href="/assignments?lead={id}">{all}</a>"#
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
    let page = app.sign_in("lanhdao").await.get("/overdue").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(linked_assignments(&page.body), expected.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    for (_, days) in &expected {
        assert!(page.body.contains(&format!(r#"<td><strong class="late">{days}</strong></td>"#)));
    }

    // A commune sees its own (as lead or coordinator), on the list and in the dashboard's timeline.
    let vis = Visibility::Orgs { reporting: vec![commune], staff: vec![] };
    let own = assignments::list(db, &AssignmentFilter::default(), &vis).await.unwrap();
    let own_ids: BTreeSet<i64> = own.iter().map(|r| r.id).collect();
    let expected: Vec<i64> = overdue_of(&own).iter().map(|(id, _)| *id).collect();
    assert!(!expected.is_empty() && expected.len() < rows.len());
    let officer = app.sign_in("xa").await;
    assert_eq!(linked_assignments(&officer.get("/overdue").await.body), expected);
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
