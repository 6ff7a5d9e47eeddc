//! What each role may do with a visit, three ways that must agree: the buttons of the visit's page, the
//! `permissions` of the API, and `tiendo_core::visits::available_actions`; and the forms and downloads
//! behind the buttons answer accordingly (200 when allowed, 403 when the visit may only be read, 404 when
//! it may not be known).

use axum::http::{Method, StatusCode};
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::visits::{VisitAction, VisitFacts, available_actions};

use crate::harness::TestApp;

/// A tiny PNG, for a photo.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// Whether the page shows the button of `action` for visit `id` (its files `file`).
fn shows(body: &str, id: i64, file: i64, action: VisitAction) -> bool {
    let href = match action {
        VisitAction::Edit => format!("href=\"/visits/{id}/edit\""),
        VisitAction::AddConclusion => format!("href=\"/visits/{id}/conclusions/new"),
        VisitAction::AddDirective => "/directives/new\"".to_owned(),
        VisitAction::AddFile => format!("href=\"/visits/{id}/files/new\""),
        VisitAction::RemoveFile => format!("action=\"/visits/{id}/files/{file}/delete\""),
        VisitAction::ExportNotice => format!("href=\"/visits/{id}/notice.docx\""),
    };
    body.contains(&href)
}

/// The page behind the button of `action` (a form, or the download).
fn target(id: i64, task: i64, action: VisitAction) -> Option<String> {
    match action {
        VisitAction::Edit => Some(format!("/visits/{id}/edit")),
        VisitAction::AddConclusion => Some(format!("/visits/{id}/conclusions/new")),
        VisitAction::AddDirective => Some(format!("/visits/{id}/conclusions/{task}/directives/new")),
        VisitAction::AddFile => Some(format!("/visits/{id}/files/new")),
        VisitAction::ExportNotice => Some(format!("/visits/{id}/notice.docx")),
        // A form's button (POST), checked by the use case like the others.
        VisitAction::RemoveFile => None,
    }
}

#[tokio::test]
async fn the_page_the_api_and_the_rules_agree_on_what_each_role_may_do_with_a_visit() {
    let app = TestApp::new().await;
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let so = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let quang_yen = app.org("UBND thị xã Quảng Yên", Some(province)).await;
    let institute = app.org("Viện Nghiên cứu và Phát triển Vùng", None).await;
    let elsewhere = app.org("UBND phường Hà An", Some(province)).await;
    let enterprise = app.org("Công ty TNHH thủy sản Minh Hàn", None).await;
    let fixtures = app.db.fixtures();
    let nam = fixtures.person("Hoàng Bá Nam").create().await;
    let visit =
        fixtures.visit("Làm việc tại thị xã Quảng Yên", so).leader(nam).stop(quang_yen).stop(enterprise).create().await;
    let task = fixtures.conclusion(visit, "Đề xuất nhiệm vụ KH&CN cấp bách").create().await;
    fixtures.directive(task, institute).create().await;
    app.user("chuyenvien", Some(so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let officer = app.sign_in("chuyenvien").await;
    let upload = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[("kind", "photo"), ("alt", "Đoàn làm việc")],
            &[("file", "anh.png", PNG)],
        )
        .await;
    assert_eq!(upload.status, StatusCode::SEE_OTHER, "{}", upload.body);
    let file = app.scalar("SELECT MAX(id) FROM visit_files").await;
    let organizer_path = [province, so];

    // Every role, with the scope a demo account of that role has, and whether its organisation took part
    // (an applicant reads the visits its enterprise hosted, issue 13 item 4).
    let roles: [(&str, Role, Scope, bool); 12] = [
        ("qt", Role::Administrator, Scope::Province, false),
        ("ld", Role::DepartmentLeader, Scope::Province, false),
        ("cv", Role::DepartmentOfficer, Scope::Province, false),
        ("cv.ngoai", Role::DepartmentOfficer, Scope::Organization(elsewhere), false),
        ("qy", Role::LocalityOfficer, Scope::Organization(quang_yen), true),
        ("haan", Role::LocalityOfficer, Scope::Organization(elsewhere), false),
        ("vien", Role::PartnerOfficer, Scope::Organization(institute), true),
        ("cg", Role::Expert, Scope::Province, false),
        ("dk", Role::Applicant, Scope::Organization(enterprise), true),
        ("dk.khac", Role::Applicant, Scope::Organization(elsewhere), false),
        ("btv", Role::Editor, Scope::Province, false),
        ("kdv", Role::Moderator, Scope::Province, false),
    ];
    for (name, role, scope, involved) in roles {
        let user = app.user(name, None, &[(role, scope)]).await;
        let actor = Actor::user(user, vec![Grant { role, scope }]);
        let expected =
            available_actions(&actor, &VisitFacts { organizer_path: &organizer_path, actor_involved: involved });
        let browser = app.sign_in(name).await;
        let page = browser.get(&format!("/visits/{visit}")).await;
        let token = app.token(&format!("api.{name}"), None, &[(role, scope)]).await;
        let api = app.api(Method::GET, &format!("/api/v1/visits/{visit}"), Some(&token), None).await;
        if expected.is_empty() {
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{name}: the page of a visit they may not know");
            assert_eq!(api.status, StatusCode::NOT_FOUND, "{name}: the API likewise");
        } else {
            assert_eq!(page.status, StatusCode::OK, "{name}");
            assert_eq!(api.status, StatusCode::OK, "{name}: {}", api.body);
        }
        let permissions = api.json()["permissions"].clone();
        for action in VisitAction::ALL {
            let allowed = expected.contains(&action);
            if !expected.is_empty() {
                assert_eq!(shows(&page.body, visit, file, action), allowed, "{name}: the button of {action:?}");
                assert_eq!(
                    permissions[action.code()].as_bool(),
                    Some(allowed),
                    "{name}: permissions.{}",
                    action.code()
                );
            }
            if let Some(uri) = target(visit, task, action) {
                let status = browser.get(&uri).await.status;
                let wanted = match (allowed, expected.is_empty()) {
                    (true, _) => StatusCode::OK,
                    (false, true) => StatusCode::NOT_FOUND,
                    (false, false) => StatusCode::FORBIDDEN,
                };
                assert_eq!(status, wanted, "{name}: {uri}");
            }
        }
    }
}
