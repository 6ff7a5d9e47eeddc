//! The demo's tasks under contract (issue 17 item 9), checked on the load of `demo_sci_tech`: the shrimp
//! task of the 2020 story under contract since January 2021, paid by instalment, inspected, extended by a
//! decision of December 2022; a task running on the day of loading with a milestone overdue, the next due
//! within a week and an instalment late; a task terminated with funds to recover.

use chrono::{Duration, NaiveDate};
use tiendo::demo::contracts::{GREENHOUSE, SEAWEED, SHRIMP_CONTRACT};
use tiendo_app::Session;
use tiendo_db::sci_tech::contracts::{self as stored, ContractScope, PortfolioFilter};
use tiendo_db::{Exec, Query};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) async fn the_contracts(app: &tiendo_app::App, today: NaiveDate) {
    let db = app.db();
    let scope = ContractScope { all: true, hosts: tiendo_core::authz::Coverage::All };
    let rows = stored::portfolio(db, &scope, &PortfolioFilter::default(), today).await.unwrap();
    assert_eq!(rows.len(), 3, "three tasks under contract");

    let shrimp = rows.iter().find(|r| r.number == SHRIMP_CONTRACT).expect("the shrimp task");
    assert_eq!(shrimp.starts_on, day(2021, 2, 1));
    assert_eq!(shrimp.ends_on, day(2023, 7, 31), "extended by six months");
    assert_eq!(shrimp.late_milestones, 0, "every milestone reached");
    let (versions,): (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM st_contract_versions WHERE contract_id = $1").bind(shrimp.id))
        .await
        .unwrap();
    assert_eq!(versions, 2, "signed, then extended");
    let (inspections,): (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM st_inspections WHERE contract_id = $1").bind(shrimp.id))
        .await
        .unwrap();
    assert_eq!(inspections, 1);
    assert_eq!(shrimp.state, "closed", "accepted in 2023 and liquidated");
    assert_eq!(shrimp.paid, 1_850_000_000, "every instalment paid");
    let (grade, spent): (String, i64) = db
        .fetch_one(Query::new("SELECT grade, spent FROM st_acceptances WHERE contract_id = $1").bind(shrimp.id))
        .await
        .unwrap();
    assert_eq!(grade, "good", "graded Khá by the rules of TT 11/2014 with the province's Khá");
    assert_eq!(spent, 1_826_500_000);
    // Two progress reports (a year each, the second brought by the extension), the first sent late; three
    // yearly reports on the application of the results, the third not sent.
    let reports = tiendo_db::sci_tech::task_reports::of_contract(db, shrimp.id).await.unwrap();
    let summary: Vec<(String, i64, String, NaiveDate, bool)> = reports
        .iter()
        .map(|r| {
            let late = r.submitted_at.is_some_and(|at| tiendo_core::time::vietnam_date(at) > r.due_on);
            (r.kind.clone(), r.seq, r.status.clone(), r.due_on, late)
        })
        .collect();
    let row = |kind: &str, seq, status: &str, due, late| (kind.to_owned(), seq, status.to_owned(), due, late);
    assert_eq!(
        summary,
        [
            row("progress", 1, "approved", day(2022, 2, 1), true),
            row("progress", 2, "approved", day(2023, 2, 1), false),
            row("application", 1, "approved", day(2024, 10, 5), false),
            row("application", 2, "approved", day(2025, 10, 5), true),
            row("application", 3, "draft", day(2026, 10, 5), false),
        ]
    );
    let minh_han = tiendo_db::sci_tech::acceptance::uses_of(db, shrimp.id).await.unwrap();
    assert_eq!(minh_han.len(), 1);
    assert_eq!(minh_han[0].org_name, "Công ty TNHH thủy sản Minh Hàn");

    let running = rows.iter().find(|r| r.title == GREENHOUSE).expect("the task running today");
    assert_eq!(running.state, "under_way");
    assert_eq!(running.late_milestones, 1, "one milestone overdue on the day of loading");
    assert_eq!(running.next_due, Some(today - Duration::days(18)), "the overdue one is the next not reached");
    assert_eq!(running.late_instalments, 1, "the second instalment is late");
    let first: Vec<(String, i64)> = tiendo_db::sci_tech::task_reports::of_contract(db, running.id)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.status.clone(), r.seq))
        .collect();
    let expected = [("approved".to_owned(), 1), ("draft".to_owned(), 2), ("draft".to_owned(), 3)];
    assert_eq!(first, expected, "two years, a report every six months: the first accepted, the others to come");
    assert_eq!(running.late_reports, 0, "the second report is not yet due");
    let (next_week,): (i64,) = db
        .fetch_one(
            Query::new("SELECT COUNT(*) FROM st_milestones WHERE contract_id = $1 AND done_on IS NULL AND due_on = $2")
                .bind(running.id)
                .bind(today + Duration::days(7)),
        )
        .await
        .unwrap();
    assert_eq!(next_week, 1, "a milestone due next week");

    let ended = rows.iter().find(|r| r.title == SEAWEED).expect("the task terminated");
    assert_eq!(ended.state, "terminated");
    let contract = stored::contract(db, ended.id).await.unwrap().unwrap();
    assert_eq!(contract.to_recover, Some(250_000_000));
    assert!(ended.paid >= 250_000_000, "no more recovered than was paid");

    // The leader's portfolio through the use case counts them as the page does.
    let leader = leader_session(app).await;
    let p = tiendo_app::sci_tech::contracts::portfolio(app, &leader, &PortfolioFilter::default()).await.unwrap();
    assert_eq!(p.with_late_milestones, 1);
    assert_eq!(p.committed, 1_850_000_000 + 900_000_000 + 600_000_000);
}

async fn leader_session(app: &tiendo_app::App) -> Session {
    let db = app.db();
    let (user, _) = tiendo_db::identity::user_for_login(db, "lanhdao").await.unwrap().unwrap();
    let grants = tiendo_db::identity::grants(db, user.id).await.unwrap().iter().filter_map(|g| g.grant()).collect();
    let who = tiendo_app::SessionUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organization_id: user.organization_id,
    };
    Session::as_user(who, tiendo_core::authz::Actor::user(user.id, grants))
}
