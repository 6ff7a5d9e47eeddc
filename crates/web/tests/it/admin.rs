use axum::http::StatusCode;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query, audit, identity};

use crate::harness::{PASSWORD, TestApp};

struct Fixture {
    app: TestApp,
    province: i64,
    dept: i64,
    ward: i64,
    other_ward: i64,
}

async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    let other_ward = app.org("UBND phường Hoành Bồ", Some(province)).await;
    app.user("quantri", Some(dept), &[(Role::Administrator, Scope::Province)]).await;
    Fixture { app, province, dept, ward, other_ward }
}

fn reset_link(body: &str) -> String {
    body.split("id=\"reset-link\">").nth(1).unwrap().split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_administrator_creates_an_account_whose_owner_sets_the_password_through_the_link() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let ward = f.ward.to_string();
    let res = admin
        .post(
            "/admin/users",
            &[
                ("username", "haan.canbo"),
                ("display_name", "Trần Thị Hà"),
                ("email", "ha@haan.gov.vn"),
                ("organization_id", &ward),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let link = reset_link(&res.body);
    let path = link.split_once("://").unwrap().1.split_once('/').map(|(_, p)| format!("/{p}")).unwrap();
    assert_eq!(f.app.get(&path).await.status, StatusCode::OK);
    let set = crate::harness::Browser { app: &f.app, cookie: String::new(), csrf: String::new() }
        .post_raw(&path, &[("new_password", "Hà An tươi đẹp 1"), ("confirm_password", "Hà An tươi đẹp 1")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    // The link works once.
    assert_eq!(f.app.get(&path).await.status, StatusCode::NOT_FOUND);
    let user = identity::user_for_login(f.app.db.db(), "haan.canbo").await.unwrap().unwrap();
    assert_eq!(user.0.organization_id, Some(f.ward));
    let history = audit::history(f.app.db.db(), "user", &user.0.id.to_string(), 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"create") && actions.contains(&"reset_password"), "{actions:?}");
    // The events and the link's validity `tiendo user create` gives too (crates/tiendo/tests/it/cli.rs).
    let first: Vec<(&str, Option<&str>)> =
        history.iter().rev().take(2).map(|e| (e.action.as_str(), e.summary_key.as_deref())).collect();
    assert_eq!(first, [("create", Some("audit-account-created")), ("issue_reset", Some("audit-password-link-first"))]);
    let (created_at, expires_at): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) =
        f.app.db.db().fetch_one(Query::new("SELECT created_at, expires_at FROM password_resets")).await.unwrap();
    assert_eq!((expires_at - created_at).to_std().unwrap(), tiendo_app::Settings::default().reset_validity);
}

#[tokio::test]
async fn the_new_account_form_keeps_input_and_names_each_wrong_field() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let res = admin
        .post(
            "/admin/users",
            &[
                ("username", "Ng"),
                ("display_name", "Nguyễn Văn An"),
                ("email", "khong-hop-le"),
                ("organization_id", "99999"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("value=\"Ng\"") && res.body.contains("value=\"Nguyễn Văn An\""));
    assert!(res.body.contains("id=\"username-error\""));
    assert!(res.body.contains("id=\"email-error\""));
    assert!(res.body.contains("id=\"organization_id-error\""));
    let taken = admin.post("/admin/users", &[("username", "quantri"), ("display_name", "X")]).await;
    assert!(taken.body.contains("Tên đăng nhập này đã có người dùng"));
}

#[tokio::test]
async fn a_scoped_administrator_sees_and_grants_only_inside_the_scope() {
    let f = fixture().await;
    f.app.user("qt.haan", Some(f.ward), &[(Role::Administrator, Scope::Organization(f.ward))]).await;
    let inside = f.app.user("cb.haan", Some(f.ward), &[]).await;
    let outside = f.app.user("cb.hoanhbo", Some(f.other_ward), &[]).await;
    let admin = f.app.sign_in("qt.haan").await;
    let list = admin.get("/admin/users").await;
    assert!(list.body.contains("cb.haan") && !list.body.contains("cb.hoanhbo"));
    assert_eq!(admin.get(&format!("/admin/users/{outside}")).await.status, StatusCode::NOT_FOUND);
    let ward = f.ward.to_string();
    let ok = admin
        .post(
            &format!("/admin/users/{inside}/grants"),
            &[("role", "locality_officer"), ("scope_kind", "organization"), ("scope_org", &ward)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let too_wide = admin
        .post(&format!("/admin/users/{inside}/grants"), &[("role", "department_officer"), ("scope_kind", "province")])
        .await;
    assert_eq!(too_wide.status, StatusCode::FORBIDDEN);
    assert!(too_wide.body.contains("nằm ngoài phạm vi"));
    assert!(too_wide.body.contains("value=\"department_officer\" selected"), "the choice is kept");
    let other = f.other_ward.to_string();
    let elsewhere = admin
        .post(
            &format!("/admin/users/{inside}/grants"),
            &[("role", "locality_officer"), ("scope_kind", "organization"), ("scope_org", &other)],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let grants = identity::grants(f.app.db.db(), inside).await.unwrap();
    assert_eq!(grants.len(), 1);
    let _ = (f.province, f.dept);
}

#[tokio::test]
async fn an_editor_may_not_open_the_administration() {
    let f = fixture().await;
    f.app.user("bientap", None, &[(Role::Editor, Scope::Province)]).await;
    let editor = f.app.sign_in("bientap").await;
    assert_eq!(editor.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let target = f.app.user("x", None, &[]).await;
    let res = editor
        .post(&format!("/admin/users/{target}/grants"), &[("role", "administrator"), ("scope_kind", "province")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(identity::grants(f.app.db.db(), target).await.unwrap().is_empty());
    let api = editor.get("/api/v1/users").await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_refuses_its_login() {
    let f = fixture().await;
    let target = f.app.user("an", None, &[]).await;
    let victim = f.app.sign_in("an").await;
    let admin = f.app.sign_in("quantri").await;
    let res = admin.post(&format!("/admin/users/{target}/status"), &[("status", "disabled")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(victim.get("/account").await.status, StatusCode::SEE_OTHER);
    let body = format!("username=an&password={}", tiendo_web::forms::url_encode(PASSWORD));
    let login = f
        .app
        .send(
            axum::http::Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    // Nobody disables themselves.
    let me: (i64,) =
        f.app.db.db().fetch_one(Query::new("SELECT id FROM users WHERE username = 'quantri'")).await.unwrap();
    let own = admin.post(&format!("/admin/users/{}/status", me.0), &[("status", "disabled")]).await;
    assert_eq!(own.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_audit_trail_is_searchable_and_its_chain_verifies_until_tampered_with() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let target = f.app.user("an", None, &[]).await;
    admin.post(&format!("/admin/users/{target}/grants"), &[("role", "expert"), ("scope_kind", "province")]).await;
    let page = admin.get("/admin/audit?actor=quantri").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("grant_role") && page.body.contains("login"));
    let verified = admin.get("/admin/audit?verify=1").await;
    assert!(verified.body.contains("Chuỗi nhật ký toàn vẹn"), "{}", verified.body);
    let api = admin.get("/api/v1/audit?action=grant_role").await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["total"], 1);
    // Tampering with an event breaks the chain at that event.
    let (id,): (i64,) = f.app.db.db().fetch_one(Query::new("SELECT MIN(id) FROM audit_events")).await.unwrap();
    f.app
        .db
        .db()
        .execute(Query::new("UPDATE audit_events SET summary = 'sửa trộm' WHERE id = $1").bind(id))
        .await
        .unwrap();
    let broken = admin.get("/admin/audit?verify=1").await;
    assert!(broken.body.contains(&format!("bị phá vỡ tại sự kiện #{id}")), "{}", broken.body);
    // A bad date is named, the other filters kept.
    let bad = admin.get("/admin/audit?actor=quantri&from=31/31/2026").await;
    assert!(bad.body.contains("id=\"from-error\"") && bad.body.contains("value=\"quantri\""));
}

#[tokio::test]
async fn the_user_page_shows_the_history_of_the_account() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let target = f.app.user("an", None, &[]).await;
    admin
        .post(
            &format!("/admin/users/{target}"),
            &[("display_name", "Nguyễn Văn An"), ("email", ""), ("organization_id", "")],
        )
        .await;
    let page = admin.get(&format!("/admin/users/{target}")).await;
    assert!(page.body.contains("Lịch sử thay đổi"));
    assert!(page.body.contains("display_name") && page.body.contains("Nguyễn Văn An"));
}

#[tokio::test]
async fn the_audit_page_checks_the_trail_against_its_latest_anchor_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let anchors = tiendo_db::audit::chain::AnchorFile::new(dir.path().join("audit-anchors.log"));
    let site = tiendo_app::Settings { audit_anchor_file: Some(anchors.path().to_owned()), ..Default::default() };
    let app = TestApp::with_settings(site).await;
    app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let admin = app.sign_in("quantri").await;
    let no_anchor = admin.get("/admin/audit?verify=1").await;
    assert!(no_anchor.body.contains("chưa có mốc neo"), "{}", no_anchor.body);
    let head = audit::Anchor::head(app.db.db(), chrono::Utc::now()).await.unwrap().unwrap();
    anchors.append(&head).unwrap();
    let anchored = admin.get("/admin/audit?verify=1").await;
    assert!(anchored.body.contains("khớp với mốc neo lúc"), "{}", anchored.body);
    // The newest events deleted: only the anchor shows it.
    app.db.db().execute(Query::new("DELETE FROM audit_events WHERE id >= $1").bind(head.id)).await.unwrap();
    let truncated = admin.get("/admin/audit?verify=1").await;
    assert!(truncated.body.contains(&format!("ghi đến sự kiện #{}", head.id)), "{}", truncated.body);
    let english = admin.get("/admin/audit?verify=1&lang=en").await;
    assert!(english.body.contains("The audit chain is truncated"), "{}", english.body);
}

#[tokio::test]
async fn with_smtp_configured_a_password_link_is_emailed_instead_of_shown() {
    let site = tiendo_app::Settings { mail_enabled: true, ..Default::default() };
    let app = TestApp::with_settings(site).await;
    app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let target = app.db.fixtures().account("an").email("an@haan.example.vn").create().await;
    let admin = app.sign_in("quantri").await;
    let res = admin.post(&format!("/admin/users/{target}/reset"), &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("đang được gửi tới an@haan.example.vn"), "{}", res.body);
    assert!(!res.body.contains("/reset-password/"), "the link is not shown");
    let (payload,): (String,) =
        app.db.db().fetch_one(Query::new("SELECT payload FROM jobs WHERE kind = 'send_email'")).await.unwrap();
    assert!(payload.contains("an@haan.example.vn") && payload.contains("/reset-password/"), "{payload}");
}

#[tokio::test]
async fn the_navigation_offers_administration_only_to_administrators() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    assert!(admin.get("/").await.body.contains("href=\"/admin\""), "one menu entry for administration");
    let hub = admin.get("/admin").await;
    assert!(hub.body.contains("href=\"/admin/users\"") && hub.body.contains("href=\"/admin/audit\""));
    f.app.user("cb", Some(f.ward), &[(Role::LocalityOfficer, Scope::Organization(f.ward))]).await;
    let officer = f.app.sign_in("cb").await;
    let home = officer.get("/").await;
    assert!(!home.body.contains("href=\"/admin\""));
    assert_eq!(officer.get("/admin").await.status, StatusCode::FORBIDDEN);
    assert!(home.body.contains("Người dùng cb"), "the header shows who is signed in");
}

#[tokio::test]
async fn the_grant_api_answers_each_refusal_with_its_status_and_code() {
    let f = fixture().await;
    let admin_id = f.app.user("qt.haan", Some(f.ward), &[(Role::Administrator, Scope::Organization(f.ward))]).await;
    let target = f.app.user("cb.haan", Some(f.ward), &[]).await;
    let token = f.app.token_for_user(admin_id).await;
    let bearer = format!("Bearer {token}");
    let post = |body: serde_json::Value| {
        let bearer = bearer.clone();
        let app = &f.app;
        async move {
            app.send(
                axum::http::Request::post(format!("/api/v1/users/{target}/grants"))
                    .header("authorization", bearer)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap(),
            )
            .await
        }
    };
    let ok =
        post(serde_json::json!({"role": "locality_officer", "scope": "organization", "organization_id": f.ward})).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["roles"][0]["role"], "locality_officer");
    let again =
        post(serde_json::json!({"role": "locality_officer", "scope": "organization", "organization_id": f.ward})).await;
    assert_eq!((again.status, again.json()["code"].clone()), (StatusCode::CONFLICT, serde_json::json!("grant_exists")));
    let outside = post(serde_json::json!({"role": "department_officer", "scope": "province"})).await;
    assert_eq!(
        (outside.status, outside.json()["code"].clone()),
        (StatusCode::FORBIDDEN, serde_json::json!("scope_outside"))
    );
    let invalid = post(serde_json::json!({"role": "vua", "scope": "organization"})).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        invalid.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
    assert_eq!(fields, ["role", "organization_id"]);
    let not_mine = post(serde_json::json!({"role": "expert", "scope": "province"})).await;
    assert_eq!(not_mine.status, StatusCode::FORBIDDEN);
    // Revoking through the API.
    let grant_id = identity::grants(f.app.db.db(), target).await.unwrap()[0].id;
    let deleted = f
        .app
        .send(
            axum::http::Request::delete(format!("/api/v1/users/{target}/grants/{grant_id}"))
                .header("authorization", &bearer)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(identity::grants(f.app.db.db(), target).await.unwrap().is_empty());
    let _ = (f.province, f.dept, f.other_ward);
}

#[tokio::test]
async fn an_administrator_revokes_a_users_api_token() {
    let f = fixture().await;
    let target = f.app.user("an", None, &[]).await;
    let token = f.app.token_for_user(target).await;
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get(&format!("/admin/users/{target}")).await;
    assert!(page.body.contains(&token[..10]) && !page.body.contains(&token));
    let token_id = identity::tokens_of(f.app.db.db(), target).await.unwrap()[0].id;
    let res = admin.post(&format!("/admin/users/{target}/tokens/{token_id}/revoke"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let me = f.app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_account_list_of_the_api_comes_in_pages() {
    let app = TestApp::new().await;
    let token = app.token("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    for i in 0..7 {
        app.user(&format!("canbo{i}"), None, &[]).await;
    }
    let mut seen = Vec::new();
    let mut uri = "/api/v1/users?limit=3".to_owned();
    loop {
        let page = app.api(axum::http::Method::GET, &uri, Some(&token), None).await.json();
        assert_eq!(page["total"], 8, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|a| a["username"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(next) => uri = format!("/api/v1/users?limit=3&cursor={next}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((seen.len(), sorted.len()), (8, 8), "every account once: {seen:?}");
    let bad = app.api(axum::http::Method::GET, "/api/v1/users?limit=0", Some(&token), None).await;
    assert_eq!((bad.status, bad.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

/// The path of a reset link shown to the administrator.
fn reset_path(body: &str) -> String {
    let link = reset_link(body);
    link.split_once("://").unwrap().1.split_once('/').map(|(_, p)| format!("/{p}")).unwrap()
}

/// Sets a password through the link at `path` as a visitor, with `extra` fields.
async fn set_through_link(app: &TestApp, path: &str, password: &str, extra: &[(&str, &str)]) -> StatusCode {
    let mut fields = vec![("new_password", password), ("confirm_password", password)];
    fields.extend_from_slice(extra);
    crate::harness::Browser { app, cookie: String::new(), csrf: String::new() }.post_raw(path, &fields).await.status
}

#[tokio::test]
async fn one_reset_link_at_a_time_and_a_reset_ends_sessions_and_revokes_tokens_unless_kept() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let target = f.app.user("cb.haan", Some(f.ward), &[]).await;
    let token = f.app.token_for_user(target).await;
    let owner = f.app.sign_in("cb.haan").await;
    let first = reset_path(&admin.post(&format!("/admin/users/{target}/reset"), &[]).await.body);
    let second = reset_path(&admin.post(&format!("/admin/users/{target}/reset"), &[]).await.body);
    // Issuing the second retired the first.
    assert_eq!(f.app.get(&first).await.status, StatusCode::NOT_FOUND, "the first link after a second one");
    let third = reset_path(&admin.post(&format!("/admin/users/{target}/reset"), &[]).await.body);
    // The form says what a reset does.
    let form = f.app.get(&third).await;
    assert!(
        form.body.contains("mọi khóa API bị thu hồi") && form.body.contains("name=\"keep_tokens\""),
        "{}",
        form.body
    );
    assert_eq!(set_through_link(&f.app, &third, "Hà An tươi đẹp 1", &[]).await, StatusCode::SEE_OTHER);
    // Using one link retires every other (the second, issued before it, no longer sets a password).
    assert_eq!(set_through_link(&f.app, &second, "Hà An tươi đẹp 2", &[]).await, StatusCode::NOT_FOUND);
    // The reset ended the session and revoked the token.
    assert_eq!(owner.get("/account").await.status, StatusCode::SEE_OTHER, "the old session ended");
    let api = f.app.api(axum::http::Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "the token stopped working: {}", api.body);
    let history = audit::history(f.app.db.db(), "user", &target.to_string(), 10).await.unwrap();
    assert_eq!(history[0].summary_key.as_deref(), Some("audit-reset-password-tokens-revoked"));

    // The owner may keep the tokens by ticking the box.
    let kept = f.app.token_for_user(target).await;
    let fourth = reset_path(&admin.post(&format!("/admin/users/{target}/reset"), &[]).await.body);
    assert_eq!(
        set_through_link(&f.app, &fourth, "Hà An tươi đẹp 3", &[("keep_tokens", "1")]).await,
        StatusCode::SEE_OTHER
    );
    let api = f.app.api(axum::http::Method::GET, "/api/v1/me", Some(&kept), None).await;
    assert_eq!(api.status, StatusCode::OK, "a kept token still works: {}", api.body);

    // A password changed by its owner retires an outstanding link too.
    let fifth = reset_path(&admin.post(&format!("/admin/users/{target}/reset"), &[]).await.body);
    let owner = f.app.sign_in_with("cb.haan", "Hà An tươi đẹp 3").await;
    let changed = owner
        .post(
            "/account/password",
            &[
                ("current_password", "Hà An tươi đẹp 3"),
                ("new_password", "Hà An tươi đẹp 4"),
                ("confirm_password", "Hà An tươi đẹp 4"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(f.app.get(&fifth).await.status, StatusCode::NOT_FOUND, "a link issued before the change");
}

#[tokio::test]
async fn an_administrator_lifts_a_sign_in_lock_at_once() {
    let f = fixture().await;
    let target = f.app.user("cb.haan", Some(f.ward), &[]).await;
    let visitor = crate::harness::Browser { app: &f.app, cookie: String::new(), csrf: String::new() };
    let attempt = |password: &'static str| {
        let visitor = &visitor;
        async move { visitor.post_raw("/login", &[("username", "cb.haan"), ("password", password)]).await.status }
    };
    for _ in 0..5 {
        assert_eq!(attempt("sai mật khẩu").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt(crate::harness::PASSWORD).await, StatusCode::TOO_MANY_REQUESTS, "the name is locked");
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get(&format!("/admin/users/{target}")).await;
    assert!(page.body.contains("id=\"sign-in-locked\""), "the page shows the lock: {}", page.body);
    let unlocked = admin.post(&format!("/admin/users/{target}/unlock"), &[]).await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER, "{}", unlocked.body);
    assert!(!admin.get(&format!("/admin/users/{target}")).await.body.contains("id=\"sign-in-locked\""));
    assert_eq!(attempt(crate::harness::PASSWORD).await, StatusCode::SEE_OTHER, "the owner gets in at once");
    let history = audit::history(f.app.db.db(), "user", &target.to_string(), 10).await.unwrap();
    assert!(history.iter().any(|e| e.action == "unlock_sign_in"), "audited");
    // A ward officer may not lift it.
    let officer = f.app.sign_in("cb.haan").await;
    assert_eq!(officer.post(&format!("/admin/users/{target}/unlock"), &[]).await.status, StatusCode::FORBIDDEN);
}
