//! What a user may do with an assignment and its progress updates is said once, by the workflow
//! (`tiendo_core::monitoring::{assignment, update}::available_actions`): for every role of the demo, the
//! buttons of the assignment's page, the `permissions` of the API and the workflow agree, on an assignment
//! running and one cancelled, for an update in each state.

use axum::http::{Method, StatusCode};
use serde_json::Value;
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::monitoring::assignment::{self, AssignmentAccess, AssignmentAction};
use tiendo_core::monitoring::update::{self, UpdateAction};
use tiendo_core::monitoring::{Deadline, UpdateStatus};
use tiendo_db::identity;
use tiendo_db::monitoring::assignments::{self as store, Flags};

use crate::harness::TestApp;

/// A role of the demo with its scope.
struct Account {
    username: &'static str,
    grants: Vec<(Role, Scope)>,
    token: String,
}

/// A demo account to create: username, organisation, grants.
type AccountSpec = (&'static str, Option<i64>, Vec<(Role, Scope)>);

#[tokio::test]
async fn the_page_the_api_and_the_workflow_agree_for_every_role() {
    let app = TestApp::new().await;
    let fixtures = app.db.fixtures();
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let department = app.org("Sở Khoa học và Công nghệ", Some(province)).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    let other_ward = app.org("UBND phường Hoành Bồ", Some(province)).await;
    let institute = app.org("Viện Nghiên cứu và Phát triển Vùng", None).await;
    let plan = fixtures.plan("Kế hoạch thực hiện Nghị quyết 57-NQ/TW").create().await;
    let task = fixtures.task(plan, "1").create().await;
    let deadline = Deadline::Fixed { date: chrono::NaiveDate::from_ymd_opt(2030, 6, 30).unwrap() };
    let running = fixtures.assignment(task, ward).coordinators(&[institute]).deadline(deadline).create().await;
    let cancelled = fixtures.assignment(task, ward).coordinators(&[institute]).deadline(deadline).create().await;
    let flags = Flags { at_risk: false, blocked: false, blocked_reason: None, cancelled: true };
    store::set_flags(app.db.db(), cancelled, &flags, chrono::Utc::now()).await.unwrap();
    let mut updates = Vec::new();
    for assignment in [running, cancelled] {
        for status in UpdateStatus::ALL {
            let id = fixtures.update(assignment, ward).percent(30).status(status).create().await;
            updates.push((assignment, id, status));
        }
    }

    let roles: Vec<AccountSpec> = vec![
        ("quantri", Some(department), vec![(Role::Administrator, Scope::Province)]),
        ("lanhdao", Some(department), vec![(Role::DepartmentLeader, Scope::Province)]),
        ("chuyenvien", Some(department), vec![(Role::DepartmentOfficer, Scope::Province)]),
        ("phuong.haan", Some(ward), vec![(Role::LocalityOfficer, Scope::Organization(ward))]),
        ("phuong.hoanhbo", Some(other_ward), vec![(Role::LocalityOfficer, Scope::Organization(other_ward))]),
        ("vien", Some(institute), vec![(Role::PartnerOfficer, Scope::Organization(institute))]),
        ("tinh", Some(province), vec![(Role::LocalityOfficer, Scope::Subtree(province))]),
        ("chuyengia", None, vec![(Role::Expert, Scope::Province)]),
        ("bientap", Some(department), vec![(Role::Editor, Scope::Province)]),
    ];
    let mut accounts = Vec::new();
    for (username, org, grants) in roles {
        let id = app.user(username, org, &grants).await;
        let token = tiendo_app::secret::new_api_token();
        let digest = tiendo_app::secret::digest(&token);
        identity::create_token(app.db.db(), id, "test", &digest, &token[..8], None, chrono::Utc::now()).await.unwrap();
        accounts.push(Account { username, grants, token });
    }
    let lead_path = tiendo_db::orgtree::path(app.db.db(), ward).await.unwrap();

    let mut compared = 0;
    for account in &accounts {
        let actor =
            Actor::user(1, account.grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect());
        let coordinates = account.grants.iter().any(|(role, scope)| {
            matches!(role, Role::LocalityOfficer | Role::PartnerOfficer) && *scope == Scope::Organization(institute)
        });
        let browser = app.sign_in(account.username).await;
        for assignment_id in [running, cancelled] {
            let access = AssignmentAccess {
                lead_path: &lead_path,
                actor_coordinates: coordinates,
                cancelled: assignment_id == cancelled,
            };
            let who = format!("{} on assignment {assignment_id}", account.username);
            let page = browser.get(&format!("/assignments/{assignment_id}")).await;
            let api =
                app.api(Method::GET, &format!("/api/v1/assignments/{assignment_id}"), Some(&account.token), None).await;
            if !assignment::may_view(&actor, &access) {
                assert_eq!((page.status, api.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{who}");
                continue;
            }
            assert_eq!((page.status, api.status), (StatusCode::OK, StatusCode::OK), "{who}: {}", page.body);
            let actions = assignment::available_actions(&actor, &access);
            let permissions = &api.json()["permissions"];
            for (action, field) in [
                (AssignmentAction::Report, "report"),
                (AssignmentAction::SetFlags, "manage"),
                (AssignmentAction::Review, "review"),
            ] {
                assert_eq!(permissions[field], Value::Bool(actions.contains(&action)), "{who}: API {field}");
            }
            // The page: a button to write an update, the flags' form; deciding is per update (below).
            let report = page.body.contains(&format!("/assignments/{assignment_id}/updates/new"));
            let flags = page.body.contains(&format!("action=\"/assignments/{assignment_id}/flags\""));
            assert_eq!(report, actions.contains(&AssignmentAction::Report), "{who}: page report");
            assert_eq!(flags, actions.contains(&AssignmentAction::SetFlags), "{who}: page flags");

            let listed = app
                .api(Method::GET, &format!("/api/v1/assignments/{assignment_id}/updates"), Some(&account.token), None)
                .await;
            assert_eq!(listed.status, StatusCode::OK, "{who}");
            let items = listed.json()["items"].as_array().unwrap().clone();
            for (_, update_id, status) in updates.iter().filter(|(a, _, _)| *a == assignment_id) {
                let item = items.iter().find(|i| i["id"] == *update_id);
                let on_page = page.body.contains(&format!("id=\"update-{update_id}\""));
                assert_eq!(item.is_some(), on_page, "{who}: update {update_id} ({status:?}) listed alike");
                let Some(item) = item else { continue };
                let allowed = update::available_actions(&actor, &access, *status);
                let edit = allowed.contains(&UpdateAction::Edit);
                let decide = allowed.contains(&UpdateAction::Accept);
                assert_eq!(allowed.contains(&UpdateAction::Return), decide, "accept and return go together");
                assert_eq!(item["permissions"]["edit"], Value::Bool(edit), "{who}: API edit of a {status:?} update");
                assert_eq!(
                    item["permissions"]["decide"],
                    Value::Bool(decide),
                    "{who}: API decide of a {status:?} update"
                );
                assert_eq!(
                    page.body.contains(&format!("href=\"/updates/{update_id}/edit\"")),
                    edit,
                    "{who}: page edit of {status:?}"
                );
                assert_eq!(
                    page.body.contains(&format!("action=\"/updates/{update_id}/decide\"")),
                    decide,
                    "{who}: page decide of {status:?}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 30, "compared {compared} updates");
}
