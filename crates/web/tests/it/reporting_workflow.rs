//! The report workflow on both surfaces (issue 12 item 3): for every role of the demo and every state of a
//! report, the buttons of the report's pages, the `permissions` of the API and the workflow's
//! `available_actions` are the same; an officer who may return a report is told so by the API as by the
//! page, and may do it through both; the same bad decision is the same error on the page and in the API;
//! the list of the API reads a page without one query per report.

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::reporting::workflow::{ReportAction, available_actions};
use tiendo_core::reporting::{Period, ReportStatus};
use tiendo_db::identity;

use crate::harness::TestApp;
use crate::reporting::TEMPLATE;

/// A ward with a report in each state, and the accounts of every role of the demo.
struct Setup {
    app: TestApp,
    ward: i64,
    /// (status, report id).
    reports: Vec<(ReportStatus, i64)>,
    /// (username, grants).
    accounts: Vec<(&'static str, Vec<Grant>)>,
}

async fn setup() -> Setup {
    let app = TestApp::new().await;
    let fx = app.db.fixtures();
    let province = fx.organization("UBND tỉnh Quảng Ninh").kind("provincial_committee").create().await;
    let department = fx.organization("Sở Khoa học và Công nghệ").kind("department").parent(province).create().await;
    let ward = fx.organization("UBND phường Hà An").kind("commune_committee").parent(province).create().await;
    let other = fx.organization("UBND phường Hoành Bồ").kind("commune_committee").parent(province).create().await;
    let institute = fx.organization("Viện Nghiên cứu và Phát triển Vùng").kind("research_institute").create().await;
    let form = fx.report_form(TEMPLATE).target_org(ward).create().await;
    let mut reports = Vec::new();
    for (status, year) in [
        (ReportStatus::Draft, 2022),
        (ReportStatus::Submitted, 2023),
        (ReportStatus::Returned, 2024),
        (ReportStatus::Approved, 2025),
    ] {
        let id = fx.report(&form, ward, Period::Year(year)).number("staff", 12.0).status(status).create().await;
        reports.push((status, id));
    }
    let g = |role, scope| vec![Grant { role, scope }];
    let accounts = vec![
        ("quantri", g(Role::Administrator, Scope::Province)),
        ("lanhdao", g(Role::DepartmentLeader, Scope::Province)),
        ("chuyenvien", g(Role::DepartmentOfficer, Scope::Province)),
        ("lanhdao.phuong", g(Role::DepartmentLeader, Scope::Organization(other))),
        ("phuong.haan", g(Role::LocalityOfficer, Scope::Organization(ward))),
        ("phuong.hoanhbo", g(Role::LocalityOfficer, Scope::Organization(other))),
        ("tinh", g(Role::LocalityOfficer, Scope::Subtree(province))),
        ("vien.ptv", g(Role::PartnerOfficer, Scope::Organization(institute))),
        ("chuyengia", g(Role::Expert, Scope::Province)),
        ("minhhan", g(Role::Applicant, Scope::Organization(institute))),
        ("bientap", g(Role::Editor, Scope::Province)),
        ("kiemduyet", g(Role::Moderator, Scope::Province)),
    ];
    for (username, grants) in &accounts {
        let grants: Vec<(Role, Scope)> = grants.iter().map(|g| (g.role, g.scope)).collect();
        app.user(username, Some(department), &grants).await;
    }
    Setup { app, ward, reports, accounts }
}

/// The actions as a sorted list of codes.
fn codes(actions: &[ReportAction]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = actions.iter().map(|a| a.code()).collect();
    out.sort_unstable();
    out
}

#[tokio::test]
async fn the_pages_buttons_the_apis_permissions_and_the_workflow_agree_for_every_role_and_state() {
    let s = setup().await;
    let path = tiendo_db::orgtree::path(s.app.db.db(), s.ward).await.unwrap();
    let mut allowed_somewhere = 0;
    for (username, grants) in &s.accounts {
        let (user, _) = identity::user_for_login(s.app.db.db(), username).await.unwrap().unwrap();
        let actor = Actor::user(user.id, grants.clone());
        let browser = s.app.sign_in(username).await;
        let token = s.app.token_of(username).await;
        for (status, id) in &s.reports {
            let workflow = codes(&available_actions(&actor, &path, *status));

            // The page: the report's buttons, and the submit button of its form.
            let page = browser.get(&format!("/reports/{id}")).await;
            let mut buttons = Vec::new();
            if page.status == StatusCode::OK {
                let b = &page.body;
                let edit = b.contains(&format!("href=\"/reports/{id}/edit\""));
                if edit {
                    buttons.push("save");
                    let form = browser.get(&format!("/reports/{id}/edit")).await;
                    assert_eq!(form.status, StatusCode::OK, "{username} on {status:?}: {}", form.body);
                    if form.body.contains("name=\"action\" value=\"submit\"") {
                        buttons.push("submit");
                    }
                }
                if b.contains("name=\"decision\" value=\"return\"") {
                    buttons.push("return");
                }
                if b.contains("name=\"decision\" value=\"approve\"") {
                    buttons.push("approve");
                }
                if b.contains(&format!("action=\"/reports/{id}/unlock\"")) {
                    buttons.push("unlock");
                }
            } else {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{username} on {status:?}");
            }
            buttons.sort_unstable();

            // The API: the report's permissions.
            let api = s.app.api(Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
            let mut permitted = Vec::new();
            if api.status == StatusCode::OK {
                let p = &api.json()["permissions"];
                for (field, code) in [
                    ("edit", "save"),
                    ("submit", "submit"),
                    ("return", "return"),
                    ("approve", "approve"),
                    ("unlock", "unlock"),
                ] {
                    if p[field] == json!(true) {
                        permitted.push(code);
                    }
                }
                let decide = p["return"] == json!(true) || p["approve"] == json!(true);
                assert_eq!(p["decide"], json!(decide), "{username} on {status:?}: decide is return or approve");
            } else {
                assert_eq!(api.status, StatusCode::NOT_FOUND, "{username} on {status:?}");
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{username} on {status:?}: seen on one surface only");
            }
            permitted.sort_unstable();

            assert_eq!(buttons, workflow, "{username} on {status:?}: the page's buttons");
            assert_eq!(permitted, workflow, "{username} on {status:?}: the API's permissions");
            allowed_somewhere += workflow.len();
        }
    }
    assert!(allowed_somewhere >= 8, "the table exercises every action");
}

#[tokio::test]
async fn an_officer_who_may_return_a_report_is_told_so_by_the_api_as_by_the_page() {
    let s = setup().await;
    let submitted = s.reports.iter().find(|(st, _)| *st == ReportStatus::Submitted).unwrap().1;
    let token = s.app.token_of("chuyenvien").await;
    let uri = format!("/api/v1/reports/{submitted}");
    let report = s.app.api(Method::GET, &uri, Some(&token), None).await.json();
    let permissions = &report["permissions"];
    assert_eq!(permissions["decide"], json!(true), "the officer may decide (return): {report}");
    assert_eq!((permissions["return"].clone(), permissions["approve"].clone()), (json!(true), json!(false)));
    let page = s.app.sign_in("chuyenvien").await.get(&format!("/reports/{submitted}")).await;
    assert!(page.body.contains("name=\"decision\" value=\"return\""), "{}", page.body);
    assert!(!page.body.contains("name=\"decision\" value=\"approve\""));

    // What the API says is what it accepts.
    let approve = json!({"decision": "approve"});
    let refused = s.app.api(Method::POST, &format!("{uri}/decision"), Some(&token), Some(approve)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let back = json!({"decision": "return", "field_comments": {"staff": "Đề nghị kiểm tra lại."}});
    let returned = s.app.api(Method::POST, &format!("{uri}/decision"), Some(&token), Some(back)).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert_eq!(returned.json()["status"], "returned");
    assert_eq!(returned.json()["permissions"]["decide"], json!(false), "nothing left to decide");
}

#[tokio::test]
async fn a_decision_that_is_neither_approve_nor_return_is_the_same_error_on_the_page_and_in_the_api() {
    let s = setup().await;
    let submitted = s.reports.iter().find(|(st, _)| *st == ReportStatus::Submitted).unwrap().1;
    let leader = s.app.sign_in("lanhdao").await;
    let page = leader.post(&format!("/reports/{submitted}/decide"), &[("decision", "postpone")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("“postpone” không phải là quyết định"), "{}", page.body);
    let token = s.app.token_of("lanhdao").await;
    let api = s
        .app
        .api(
            Method::POST,
            &format!("/api/v1/reports/{submitted}/decision"),
            Some(&token),
            Some(json!({"decision": "postpone"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = api.json();
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("decision"), Some("decision_unknown"))
    );
    assert_eq!(
        s.app.scalar(&format!("SELECT COUNT(*) FROM reports WHERE id = {submitted} AND status = 'submitted'")).await,
        1
    );
}

#[tokio::test]
async fn the_api_reads_a_page_of_reports_with_its_total_and_without_a_query_per_report() {
    let app = TestApp::new().await;
    let fx = app.db.fixtures();
    let province = fx.organization("UBND tỉnh Quảng Ninh").create().await;
    let form = fx.report_form(TEMPLATE).target_kind("commune_committee", None).create().await;
    for k in 0..6 {
        let ward =
            fx.organization(&format!("UBND phường {k}")).kind("commune_committee").parent(province).create().await;
        for year in 2021..=2025 {
            fx.report(&form, ward, Period::Year(year)).status(ReportStatus::Submitted).create().await;
        }
    }
    let token = app.token("api_lanhdao", None, &[(Role::DepartmentLeader, Scope::Subtree(province))]).await;
    let list = |limit: i64, cursor: Option<&str>| {
        let uri = match cursor {
            Some(c) => format!("/api/v1/reports?limit={limit}&cursor={c}"),
            None => format!("/api/v1/reports?limit={limit}"),
        };
        let token = token.clone();
        let app = &app;
        async move {
            let before = app.db.db().statements_run();
            let res = app.api(Method::GET, &uri, Some(&token), None).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            (res.json(), app.db.db().statements_run() - before)
        }
    };
    // The first request of a token records its use; the lists after it are compared.
    list(1, None).await;
    let (first, one_row) = list(1, None).await;
    assert_eq!((first["items"].as_array().unwrap().len(), first["total"].as_i64()), (1, Some(30)));
    assert_eq!(first["next"], "1");
    let (page, many_rows) = list(25, None).await;
    assert_eq!((page["items"].as_array().unwrap().len(), page["total"].as_i64()), (25, Some(30)));
    assert_eq!(many_rows, one_row, "25 reports cost the statements of one");
    let (last, _) = list(25, Some("25")).await;
    assert_eq!((last["items"].as_array().unwrap().len(), last["next"].clone()), (5, json!(null)));
    assert_eq!(last["items"][4]["period"], "2021", "the latest periods first");
    assert_eq!(last["items"][0]["permissions"]["approve"], json!(true));
}
