//! The status workflow of an account (active ⇄ disabled): for every role, the buttons of the account page,
//! the `permissions` of the API's account and `available_actions` agree, and both surfaces accept exactly
//! the changes they offer.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_core::authz::account::{AccountAction, available_actions};
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_db::identity::{self, UserStatus};

use crate::harness::{Browser, TestApp};

/// One actor of the table: a signed-in browser, a token, and the grants behind both.
struct Subject<'a> {
    name: &'static str,
    id: i64,
    grants: Vec<Grant>,
    browser: Browser<'a>,
    token: String,
}

/// The status buttons of the account page (`data-action` is the status a button asks for), or none when
/// the page is refused.
fn page_actions(status: StatusCode, body: &str) -> BTreeSet<AccountAction> {
    if status != StatusCode::OK {
        return BTreeSet::new();
    }
    body.split("data-action=\"")
        .skip(1)
        .filter_map(|rest| match rest.split('"').next() {
            Some("disabled") => Some(AccountAction::Disable),
            Some("active") => Some(AccountAction::Enable),
            _ => None,
        })
        .collect()
}

/// The actions the API's `permissions` allow, or none when the account is refused.
fn api_actions(status: StatusCode, body: &serde_json::Value) -> BTreeSet<AccountAction> {
    if status != StatusCode::OK {
        return BTreeSet::new();
    }
    let mut out = BTreeSet::new();
    if body["permissions"]["disable"] == true {
        out.insert(AccountAction::Disable);
    }
    if body["permissions"]["enable"] == true {
        out.insert(AccountAction::Enable);
    }
    out
}

#[tokio::test]
async fn account_status_buttons_api_permissions_and_available_actions_agree_for_every_role() {
    let app = TestApp::new().await;
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    let other = app.org("UBND phường Hoành Bồ", Some(province)).await;
    let roles: &[(&str, Role, Scope, Option<i64>)] = &[
        ("quantri", Role::Administrator, Scope::Province, None),
        ("quantri.haan", Role::Administrator, Scope::Organization(ward), Some(ward)),
        ("lanhdao", Role::DepartmentLeader, Scope::Province, None),
        ("chuyenvien", Role::DepartmentOfficer, Scope::Province, None),
        ("phuong.haan", Role::LocalityOfficer, Scope::Organization(ward), Some(ward)),
        ("vien.ptv", Role::PartnerOfficer, Scope::Organization(other), Some(other)),
        ("chuyengia", Role::Expert, Scope::Province, None),
        ("minhhan", Role::Applicant, Scope::Organization(other), Some(other)),
        ("bientap", Role::Editor, Scope::Province, None),
        ("kiemduyet", Role::Moderator, Scope::Province, None),
    ];
    let mut actors = Vec::new();
    for (name, role, scope, org) in roles {
        let id = app.user(name, *org, &[(*role, *scope)]).await;
        let token = tiendo_app::secret::new_api_token();
        let digest = tiendo_app::secret::digest(&token);
        identity::create_token(app.db.db(), id, "test", &digest, &token[..10], None, chrono::Utc::now()).await.unwrap();
        let browser = app.sign_in(name).await;
        actors.push(Subject { name, id, grants: vec![Grant { role: *role, scope: *scope }], browser, token });
    }
    // The accounts looked at: active and disabled ones in the ward, one elsewhere, one without organisation,
    // and each actor's own.
    let active = app.user("an", Some(ward), &[]).await;
    let disabled = app.user("binh", Some(ward), &[]).await;
    identity::set_status(app.db.db(), disabled, UserStatus::Disabled, chrono::Utc::now()).await.unwrap();
    let elsewhere = app.user("cuong", Some(other), &[]).await;
    let nowhere = app.user("dung", None, &[]).await;

    let mut checked = 0;
    for actor in &actors {
        let core_actor = Actor::user(actor.id, actor.grants.clone());
        for target in [active, disabled, elsewhere, nowhere, actor.id] {
            let user = identity::user(app.db.db(), target).await.unwrap().unwrap();
            let path = tiendo_db::orgtree::path_of(app.db.db(), user.organization_id).await.unwrap();
            let expected: BTreeSet<AccountAction> =
                available_actions(&core_actor, &tiendo_app::identity::accounts::facts(&user, &path))
                    .into_iter()
                    .collect();
            let page = actor.browser.get(&format!("/admin/users/{target}")).await;
            let api = app.api(Method::GET, &format!("/api/v1/users/{target}"), Some(&actor.token), None).await;
            let api_json = if api.status == StatusCode::OK { api.json() } else { serde_json::Value::Null };
            let context = format!("{} looking at {}", actor.name, user.username);
            assert_eq!(page_actions(page.status, &page.body), expected, "page buttons of {context}");
            assert_eq!(api_actions(api.status, &api_json), expected, "API permissions of {context}");
            checked += 1;
        }
    }
    assert_eq!(checked, actors.len() * 5);
    // What is not offered is refused by both surfaces; what is offered is done by both.
    let an = identity::user(app.db.db(), active).await.unwrap().unwrap();
    let an_path = tiendo_db::orgtree::path_of(app.db.db(), an.organization_id).await.unwrap();
    for actor in &actors {
        let offered = available_actions(
            &Actor::user(actor.id, actor.grants.clone()),
            &tiendo_app::identity::accounts::facts(&an, &an_path),
        );
        let allowed = offered.contains(&AccountAction::Disable);
        let api = app
            .api(
                Method::POST,
                &format!("/api/v1/users/{active}/transitions"),
                Some(&actor.token),
                Some(json!({"action": "disable"})),
            )
            .await;
        assert_eq!(api.status.is_success(), allowed, "{} disabling through the API: {}", actor.name, api.body);
        let page = actor.browser.post(&format!("/admin/users/{active}/status"), &[("status", "active")]).await;
        if allowed {
            assert_eq!(api.json()["status"], "disabled");
            assert_eq!(api.json()["permissions"], json!({"disable": false, "enable": true}));
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{} enabling on the page", actor.name);
        } else {
            assert!(!page.status.is_success() && !page.status.is_redirection(), "{}: {}", actor.name, page.status);
        }
    }
    assert!(identity::user(app.db.db(), active).await.unwrap().unwrap().is_active());
    let admins: Vec<&str> =
        actors.iter().filter(|a| a.grants.iter().any(|g| g.role == Role::Administrator)).map(|a| a.name).collect();
    assert_eq!(admins, ["quantri", "quantri.haan"], "the table has both kinds of administrator");
}

#[tokio::test]
async fn the_same_mistakes_get_the_same_codes_on_the_page_and_in_the_api() {
    let app = TestApp::new().await;
    let admin_id = app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let token = app.token("quantri2", None, &[(Role::Administrator, Scope::Province)]).await;
    let admin = app.sign_in("quantri").await;
    let target = app.user("an", None, &[]).await;
    // Enabling an account that is active: nothing to do, 409 on both.
    let page = admin.post(&format!("/admin/users/{target}/status"), &[("status", "active")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let api = app
        .api(
            Method::POST,
            &format!("/api/v1/users/{target}/transitions"),
            Some(&token),
            Some(json!({"action": "enable"})),
        )
        .await;
    assert_eq!((api.status, api.json()["code"].as_str()), (StatusCode::CONFLICT, Some("account_status_unchanged")));
    // Disabling oneself: `cannot_disable_self` on both.
    let own = admin.post(&format!("/admin/users/{admin_id}/status"), &[("status", "disabled")]).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    let me = identity::user_for_login(app.db.db(), "quantri2").await.unwrap().unwrap().0.id;
    let api = app
        .api(Method::POST, &format!("/api/v1/users/{me}/transitions"), Some(&token), Some(json!({"action": "disable"})))
        .await;
    assert_eq!((api.status, api.json()["code"].as_str()), (StatusCode::CONFLICT, Some("cannot_disable_self")));
    // An action that is not one: a field error.
    let api = app
        .api(
            Method::POST,
            &format!("/api/v1/users/{target}/transitions"),
            Some(&token),
            Some(json!({"action": "delete"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["errors"][0]["field"], "action");
    // Both write the same audit event.
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/users/{target}/transitions"),
            Some(&token),
            Some(json!({"action": "disable"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    admin.post(&format!("/admin/users/{target}/status"), &[("status", "active")]).await;
    let history = tiendo_db::audit::history(app.db.db(), "user", &target.to_string(), 10).await.unwrap();
    let events: Vec<(&str, Option<&str>)> =
        history.iter().map(|e| (e.action.as_str(), e.summary_key.as_deref())).collect();
    assert_eq!(events, [("enable", Some("audit-account-enabled")), ("disable", Some("audit-account-disabled"))]);
    assert_eq!(history[1].actor_label, "quantri2");
    assert_eq!(history[0].actor_label, "quantri");
}

#[tokio::test]
async fn audit_summaries_are_rendered_in_the_readers_language_by_the_api() {
    let app = TestApp::new().await;
    let token = app.token("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let target = app.user("an", None, &[]).await;
    let granted = app
        .api(
            Method::POST,
            &format!("/api/v1/users/{target}/grants"),
            Some(&token),
            Some(json!({"role": "expert", "scope": "province"})),
        )
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
    let vi = app.api(Method::GET, "/api/v1/audit?action=grant_role", Some(&token), None).await;
    assert_eq!(vi.json()["items"][0]["summary"], "Giao vai trò Chuyên gia cho an");
    let en = app
        .send(
            axum::http::Request::get("/api/v1/audit?action=grant_role")
                .header("authorization", format!("Bearer {token}"))
                .header("accept-language", "en")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(en.json()["items"][0]["summary"], "Role Expert granted to an");
}
