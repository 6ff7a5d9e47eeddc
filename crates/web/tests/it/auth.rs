use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query, audit, identity};

use crate::harness::{PASSWORD, TestApp};

async fn login(app: &TestApp, username: &str, password: &str) -> crate::harness::TestResponse {
    let body = format!(
        "username={}&password={}&next=%2Faccount",
        tiendo_web::forms::url_encode(username),
        tiendo_web::forms::url_encode(password)
    );
    app.send(
        Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_login_page_is_bilingual() {
    let app = TestApp::new().await;
    assert!(app.get("/login").await.body.contains("Đăng nhập vào Tiến Độ"));
    assert!(app.get("/login?lang=en").await.body.contains("Sign in to Tiến Độ"));
}

#[tokio::test]
async fn a_good_login_starts_a_session_with_a_safe_cookie_and_follows_next() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let res = login(&app, "an", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/account");
    let cookie = res.header("set-cookie");
    assert!(cookie.starts_with("tiendo_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "{cookie}");
    let (events, _) =
        audit::search(app.db.db(), &audit::Filter { action: Some("login".into()), ..Default::default() }, 10)
            .await
            .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let wrong = login(&app, "an", "không đúng").await;
    let unknown = login(&app, "khong-co-ai", "không đúng").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = "Tên đăng nhập hoặc mật khẩu không đúng";
    assert!(wrong.body.contains(message) && unknown.body.contains(message));
    // The username is kept, the password never echoed.
    assert!(wrong.body.contains("value=\"an\""));
    assert!(!wrong.body.contains("không đúng\""));
    let (failed, _) =
        audit::search(app.db.db(), &audit::Filter { action: Some("login_failed".into()), ..Default::default() }, 10)
            .await
            .unwrap();
    assert_eq!(failed.len(), 2);
}

#[tokio::test]
async fn five_failures_lock_the_account_name_and_the_message_says_until_when() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    for _ in 0..5 {
        assert_eq!(login(&app, "an", "sai").await.status, StatusCode::UNAUTHORIZED);
    }
    let locked = login(&app, "an", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Hãy thử lại sau 15 phút"), "{}", locked.body);
    // An unknown name locks the same way, so the lock reveals nothing.
    for _ in 0..5 {
        login(&app, "ai-do", "sai").await;
    }
    assert_eq!(login(&app, "ai-do", "sai").await.status, StatusCode::TOO_MANY_REQUESTS);
    // The lock expires.
    app.db
        .db()
        .execute(
            Query::new("UPDATE login_throttle SET locked_until = $1, window_start = $2")
                .bind(Utc::now() - Duration::seconds(1))
                .bind(Utc::now() - Duration::minutes(16)),
        )
        .await
        .unwrap();
    assert_eq!(login(&app, "an", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_passwords_sent_in_parallel_are_all_counted() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let attempts = (0..20).map(|_| login(&app, "an", "sai"));
    let statuses: Vec<StatusCode> =
        futures_util::future::join_all(attempts).await.into_iter().map(|r| r.status).collect();
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (5, 15), "only five passwords are checked: {statuses:?}");
    assert_eq!(login(&app, "an", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "the name is locked");
}

#[tokio::test]
async fn one_address_trying_many_names_is_locked() {
    let site = tiendo_app::Settings { trust_proxy: true, ..tiendo_app::Settings::default() };
    let app = TestApp::with_settings(site).await;
    let from = |name: String| {
        let body = format!("username={name}&password=sai&next=%2F");
        Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", "203.0.113.9")
            .body(Body::from(body))
            .unwrap()
    };
    for i in 0..30 {
        assert_eq!(app.send(from(format!("ten{i}"))).await.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(app.send(from("ten-moi".into())).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Another address is not affected.
    app.user("an", None, &[]).await;
    assert_eq!(login(&app, "an", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_in_again_replaces_the_previous_session() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let first = app.sign_in("an").await;
    let body =
        format!("_csrf={}&username=an&password={}&next=%2F", first.csrf, tiendo_web::forms::url_encode(PASSWORD));
    let res = app
        .send(
            Request::post("/login")
                .header("cookie", &first.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let second = res.header("set-cookie").split(';').next().unwrap().to_owned();
    assert_ne!(second, first.cookie, "the session id changes at sign-in");
    // The old session no longer works.
    assert_eq!(first.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_protected_page_sends_anonymous_visitors_to_the_login_page() {
    let app = TestApp::new().await;
    let res = app.get("/account?x=1").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/login?next=%2Faccount%3Fx%3D1");
}

#[tokio::test]
async fn an_idle_session_expires_and_the_cookie_is_cleared() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    app.db
        .db()
        .execute(Query::new("UPDATE sessions SET last_seen_at = $1").bind(Utc::now() - Duration::minutes(31)))
        .await
        .unwrap();
    let res = browser.get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").contains("expired=1"));
    assert!(res.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn a_busy_session_still_ends_at_the_absolute_timeout() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    // Twelve hours after sign-in by default, and activity does not push it back.
    let times = || async {
        let (created, expires): (chrono::DateTime<Utc>, chrono::DateTime<Utc>) =
            app.db.db().fetch_one(Query::new("SELECT created_at, expires_at FROM sessions")).await.unwrap();
        (created, expires)
    };
    let (created, expires) = times().await;
    assert_eq!(expires - created, Duration::hours(12));
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    assert_eq!(times().await.1, expires, "activity does not extend the absolute limit");
    // Signed in thirteen hours ago and active a minute ago: over.
    app.db
        .db()
        .execute(
            Query::new("UPDATE sessions SET created_at = $1, expires_at = $2, last_seen_at = $3")
                .bind(Utc::now() - Duration::hours(13))
                .bind(Utc::now() - Duration::hours(1))
                .bind(Utc::now() - Duration::minutes(1)),
        )
        .await
        .unwrap();
    let res = browser.get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").contains("expired=1"));
}

#[tokio::test]
async fn a_form_sent_after_the_session_expired_is_kept_through_the_login() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    app.db.db().execute(Query::new("DELETE FROM sessions")).await.unwrap();
    let res = browser.post("/account/tokens", &[("name", "Máy chủ báo cáo tỉnh"), ("password", "bí mật")]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("name=\"carry__name\" value=\"Máy chủ báo cáo tỉnh\""), "{}", res.body);
    assert!(!res.body.contains("bí mật"), "a password is never carried");
    // Signing in with the carried fields offers to send them again.
    let body = format!(
        "username=an&password={}&next=%2Faccount%2Ftokens&carry__name={}",
        tiendo_web::forms::url_encode(PASSWORD),
        tiendo_web::forms::url_encode("Máy chủ báo cáo tỉnh")
    );
    let res = app
        .send(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("action=\"/account/tokens\""));
    assert!(res.body.contains("name=\"name\" value=\"Máy chủ báo cáo tỉnh\""));
}

#[tokio::test]
async fn a_state_change_without_the_csrf_token_is_refused_and_the_input_kept() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    let res = browser.post_raw("/account/tokens", &[("_csrf", "wrong"), ("name", "Tích hợp LGSP")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("Gửi lại"));
    assert!(res.body.contains("value=\"Tích hợp LGSP\""));
    assert!(res.body.contains(&format!("value=\"{}\"", browser.csrf)), "a fresh token to resend");
    let none = browser.post_raw("/logout", &[]).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/account").await.status, StatusCode::OK, "still signed in");
    assert_eq!(identity::tokens_of(app.db.db(), 1).await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_the_token() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    let res = app
        .send(
            Request::post("/logout")
                .header("cookie", &browser.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(format!("_csrf={}", browser.csrf)))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    let res = browser.post("/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_signs_out_other_sessions() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let here = app.sign_in("an").await;
    let elsewhere = app.sign_in("an").await;
    let wrong = here
        .post(
            "/account/password",
            &[("current_password", "sai"), ("new_password", "Mới hơn 2027"), ("confirm_password", "Mới hơn 2027")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Mật khẩu hiện tại không đúng"));
    let weak = here
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "ngắn"), ("confirm_password", "ngắn")],
        )
        .await;
    assert!(weak.body.contains("ít nhất 10 ký tự"));
    let ok = here
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "Mới hơn 2027"), ("confirm_password", "Mới hơn 2027")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(here.get("/account").await.status, StatusCode::OK);
    assert_eq!(elsewhere.get("/account").await.status, StatusCode::SEE_OTHER);
    assert_eq!(login(&app, "an", "Mới hơn 2027").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_user_who_must_change_the_password_is_sent_to_the_password_page() {
    let app = TestApp::new().await;
    app.db.fixtures().account("an").must_change_password().create().await;
    let res = login(&app, "an", PASSWORD).await;
    assert_eq!(res.header("location"), "/account/password");
    let cookie = res.header("set-cookie").split(';').next().unwrap().to_owned();
    let account = app.get_with("/account", &[("cookie", &cookie)]).await;
    assert_eq!(account.header("location"), "/account/password");
}

#[tokio::test]
async fn api_tokens_are_shown_once_work_as_bearer_and_stop_when_revoked() {
    let app = TestApp::new().await;
    app.user("an", None, &[(Role::Editor, Scope::Province)]).await;
    let browser = app.sign_in("an").await;
    let created = browser.post("/account/tokens", &[("name", "Cổng LGSP"), ("expires_on", "")]).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let token = created.body.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(token.starts_with("tdk_"));
    // Stored hashed only.
    let (stored,): (String,) = app.db.db().fetch_one(Query::new("SELECT token_hash FROM api_tokens")).await.unwrap();
    assert_ne!(stored, token);
    // Not shown again.
    assert!(!browser.get("/account").await.body.contains(&token));
    let me = app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["username"], "an");
    assert_eq!(me.json()["roles"][0]["role"], "editor");
    // Revoke.
    let id: (i64,) = app.db.db().fetch_one(Query::new("SELECT id FROM api_tokens")).await.unwrap();
    browser.post(&format!("/account/tokens/{}/revoke", id.0), &[]).await;
    let after = app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn an_expired_token_is_refused_and_a_bad_expiry_is_named() {
    let app = TestApp::new().await;
    app.user("an", None, &[]).await;
    let browser = app.sign_in("an").await;
    let bad = browser.post("/account/tokens", &[("name", "x"), ("expires_on", "32/13/2026")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Ngày không hợp lệ") && bad.body.contains("value=\"x\""));
    let created = browser.post("/account/tokens", &[("name", "x"), ("expires_on", "2099-01-01")]).await;
    let token = created.body.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    app.db
        .db()
        .execute(Query::new("UPDATE api_tokens SET expires_at = $1").bind(Utc::now() - Duration::seconds(1)))
        .await
        .unwrap();
    let res = app.get_with("/api/v1/me", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get_with("/api/v1/me", &[("authorization", "Bearer tdk_nonsense")]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_route_without_a_declared_policy_is_denied() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let (routes, policies) = tiendo_web::routes();
    let rogue = routes.route("/rogue", axum::routing::get(|| async { "secret" }));
    let enforcement = tiendo_web::Enforcement { state: app.state(), policies: std::sync::Arc::new(policies) };
    let router = rogue
        .route_layer(axum::middleware::from_fn_with_state(enforcement, tiendo_web::auth::policy::enforce))
        .with_state(app.state());
    let res = router.oneshot(Request::get("/rogue").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_api_operation_has_a_policy() {
    let doc = tiendo_web::api::openapi_document();
    let (_, policies) = tiendo_web::routes();
    for (path, item) in &doc.paths.paths {
        for (method, operation_id) in tiendo_web::api::operations_of(item) {
            assert!(
                policies.contains_key(&(method.clone(), format!("/api/v1{path}"))),
                "{method} /api/v1{path} ({operation_id}) has no policy in api::POLICIES"
            );
        }
    }
}
