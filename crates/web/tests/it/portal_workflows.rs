//! The portal's two surfaces agree: for every role, the buttons of the editor's and the moderator's pages,
//! the `permissions` of the API and the workflows' `available_actions` say the same, and the API accepts
//! exactly what they offer; an article written or saved from the page and from the API is authorized,
//! checked and audited by the same use case (issue 12).

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::portal::comment::{self, CommentState};
use tiendo_core::portal::{ArticleAction, ArticleState, CommentStatus, available_actions};
use tiendo_db::audit::Event;

use crate::harness::{TestApp, TestResponse};

/// The values of the buttons named `name` on a page (`<button … name="action" value="submit">`).
fn buttons(page: &TestResponse, name: &str) -> Vec<String> {
    let marker = format!("name=\"{name}\" value=\"");
    page.body
        .match_indices(&marker)
        .map(|(at, _)| page.body[at + marker.len()..].split('"').next().unwrap_or_default().to_owned())
        .collect()
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// One account per role, province-wide, signed in on the pages and holding an API token.
async fn accounts(app: &TestApp) -> Vec<(Role, String, String)> {
    let mut out = Vec::new();
    for role in Role::ALL {
        let name = format!("vai-{}", role.code().replace('_', "-"));
        app.user(&name, None, &[(role, Scope::Province)]).await;
        let token = app.token(&format!("{name}-api"), None, &[(role, Scope::Province)]).await;
        out.push((role, name, token));
    }
    out
}

fn actor(role: Role) -> Actor {
    Actor::user(1, vec![Grant { role, scope: Scope::Province }])
}

#[tokio::test]
async fn the_article_buttons_the_api_permissions_and_the_workflow_agree_for_every_role() {
    let app = TestApp::new().await;
    let f = app.db.fixtures();
    let roles = accounts(&app).await;
    let later = chrono::Utc::now() + chrono::Duration::days(2);
    for state in ArticleState::ALL {
        let title = format!("Bài ở trạng thái {}", state.code());
        let id = match state {
            ArticleState::Scheduled => f.article(&title).scheduled(later).create().await,
            _ => f.article(&title).state(state).create().await,
        };
        for (role, name, token) in &roles {
            let expected: Vec<String> =
                available_actions(&actor(*role), state).into_iter().map(|a| a.code().to_owned()).collect();
            let browser = app.sign_in(name).await;
            let page = browser.get(&format!("/admin/articles/{id}")).await;
            let on_page = if page.status == StatusCode::OK { buttons(&page, "action") } else { Vec::new() };
            let api = app.api(Method::GET, &format!("/api/v1/articles/{id}"), Some(token), None).await;
            let in_api =
                if api.status == StatusCode::OK { strings(&api.json()["permissions"]["actions"]) } else { Vec::new() };
            assert_eq!(on_page, expected, "{role:?} on a {state:?} article: the page's buttons");
            assert_eq!(in_api, expected, "{role:?} on a {state:?} article: the API's permissions");
            // The API refuses every other action and leaves the article as it was.
            for action in ArticleAction::ALL.into_iter().filter(|a| !expected.contains(&a.code().to_owned())) {
                let res = app
                    .api(
                        Method::POST,
                        &format!("/api/v1/articles/{id}/transitions"),
                        Some(token),
                        Some(json!({"action": action.code()})),
                    )
                    .await;
                assert!(
                    [StatusCode::FORBIDDEN, StatusCode::CONFLICT, StatusCode::NOT_FOUND].contains(&res.status),
                    "{role:?} may not {action:?} a {state:?} article: {} {}",
                    res.status,
                    res.body
                );
            }
            let (stored,): (String,) = tiendo_db::Exec::fetch_one(
                app.db.db(),
                tiendo_db::Query::new("SELECT state FROM articles WHERE id = $1").bind(id),
            )
            .await
            .unwrap();
            assert_eq!(stored, state.code(), "a refused action changed nothing");
            // Each offered action is taken, on an article of its own in the same state.
            for code in &expected {
                let copy_title = format!("{title} {code} {}", role.code());
                let copy = match state {
                    ArticleState::Scheduled => f.article(&copy_title).scheduled(later).create().await,
                    _ => f.article(&copy_title).state(state).create().await,
                };
                let res = app
                    .api(
                        Method::POST,
                        &format!("/api/v1/articles/{copy}/transitions"),
                        Some(token),
                        Some(json!({"action": code})),
                    )
                    .await;
                assert_eq!(res.status, StatusCode::OK, "{role:?} may {code} a {state:?} article: {}", res.body);
            }
        }
    }
}

#[tokio::test]
async fn the_moderation_buttons_the_api_permissions_and_the_workflow_agree_for_every_role() {
    let app = TestApp::new().await;
    let f = app.db.fixtures();
    let roles = accounts(&app).await;
    let article = f.article("Tin có bình luận").state(ArticleState::Published).create().await;
    for state in CommentState::ALL {
        let make = || {
            let builder = f.comment(article);
            async move {
                if state.hidden {
                    builder.hidden_by_reports().create().await
                } else {
                    builder.status(state.status).create().await
                }
            }
        };
        let id = make().await;
        let tab = if state.hidden { "reported" } else { state.status.code() };
        for (role, name, token) in &roles {
            let expected: Vec<String> =
                comment::available_actions(&actor(*role), state).into_iter().map(|d| d.code().to_owned()).collect();
            let browser = app.sign_in(name).await;
            let page = browser.get(&format!("/admin/comments?show={tab}")).await;
            let on_page: Vec<String> = if page.status == StatusCode::OK {
                buttons(&page, "one")
                    .into_iter()
                    .filter_map(|v| v.strip_suffix(&format!(":{id}")).map(str::to_owned))
                    .collect()
            } else {
                Vec::new()
            };
            let api = app.api(Method::GET, &format!("/api/v1/comments?show={tab}"), Some(token), None).await;
            let in_api = if api.status == StatusCode::OK {
                let items = api.json()["items"].as_array().cloned().unwrap_or_default();
                let item = items.into_iter().find(|c| c["id"] == id).expect("the comment is listed");
                strings(&item["permissions"]["decisions"])
            } else {
                Vec::new()
            };
            assert_eq!(on_page, expected, "{role:?} on a {state:?} comment: the queue's buttons");
            assert_eq!(in_api, expected, "{role:?} on a {state:?} comment: the API's permissions");
            for decision in ["approve", "reject", "spam"].into_iter().filter(|d| !expected.contains(&(*d).to_owned())) {
                let res = app
                    .api(
                        Method::POST,
                        "/api/v1/comments/decisions",
                        Some(token),
                        Some(json!({"decision": decision, "ids": [id]})),
                    )
                    .await;
                let refused =
                    res.status == StatusCode::FORBIDDEN || (res.status == StatusCode::OK && res.json()["changed"] == 0);
                assert!(refused, "{role:?} may not {decision} a {state:?} comment: {} {}", res.status, res.body);
            }
            let c = tiendo_db::portal::comments::get(app.db.db(), id).await.unwrap().unwrap();
            assert_eq!((c.status(), c.hidden), (state.status, state.hidden), "a refused decision changed nothing");
            for decision in &expected {
                let copy = make().await;
                let res = app
                    .api(
                        Method::POST,
                        "/api/v1/comments/decisions",
                        Some(token),
                        Some(json!({"decision": decision, "ids": [copy]})),
                    )
                    .await;
                assert_eq!(res.status, StatusCode::OK, "{role:?} may {decision} a {state:?} comment: {}", res.body);
                assert_eq!(res.json()["changed"], 1, "{role:?} {decision} on a {state:?} comment");
            }
        }
    }
    assert_eq!(CommentStatus::ALL.len(), 4, "every status is among the states above");
}

/// The one event of `action` on the article `id`.
async fn event(app: &TestApp, action: &str, id: i64) -> Event {
    let events = tiendo_db::audit::history(app.db.db(), "article", &id.to_string(), 50).await.unwrap();
    events.into_iter().find(|e| e.action == action).unwrap_or_else(|| panic!("no {action} on article {id}"))
}

fn fields(event: &Event) -> Vec<String> {
    event.change_list().into_iter().map(|c| c.field).collect()
}

/// Issue 12: creating and saving an article from the page and from the API wrote different audit diffs
/// (the API's creation forgot the slug, its save recorded only the revision) and the API's checks collapsed
/// every problem into `slug_taken`. Both now call the same use cases.
#[tokio::test]
async fn an_article_written_on_the_page_or_through_the_api_is_checked_and_audited_alike() {
    let app = TestApp::new().await;
    app.user("bientap", None, &[(Role::Editor, Scope::Province)]).await;
    let token = app.token("bientap_api", None, &[(Role::Editor, Scope::Province)]).await;
    let editor = app.sign_in("bientap").await;

    let page = editor.post("/admin/articles", &[("title", "Tin viết trên trang"), ("body", "Nội dung")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page_id: i64 =
        page.header("location").trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    let api = app
        .api(
            Method::POST,
            "/api/v1/articles",
            Some(&token),
            Some(json!({"title": "Tin viết qua API", "body": "Nội dung"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let api_id = api.json()["id"].as_i64().unwrap();
    let (on_page, in_api) = (event(&app, "article_create", page_id).await, event(&app, "article_create", api_id).await);
    assert_eq!(fields(&on_page), ["title", "slug"]);
    assert_eq!(fields(&in_api), fields(&on_page), "the same diff from the API");
    assert_eq!(in_api.summary_key, on_page.summary_key);

    // The same edit from both: the same fields recorded.
    let edit = [("title", "Tiêu đề mới"), ("summary", "Tóm tắt mới"), ("body", "Nội dung mới"), ("featured", "1")];
    let saved = editor.post(&format!("/admin/articles/{page_id}"), &edit).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let put = app
        .api(
            Method::PUT,
            &format!("/api/v1/articles/{api_id}"),
            Some(&token),
            Some(json!({"title": "Tiêu đề mới 2", "summary": "Tóm tắt mới", "body": "Nội dung mới", "featured": true})),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let (on_page, in_api) = (event(&app, "article_update", page_id).await, event(&app, "article_update", api_id).await);
    assert_eq!(fields(&on_page), ["title", "slug", "summary", "featured", "revision", "body"]);
    assert_eq!(fields(&in_api), fields(&on_page), "the same diff from the API");

    // The same mistake is the same error, named on the same field.
    let form = editor.post("/admin/articles", &[("title", "Tin lỗi"), ("category_id", "999")]).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("id=\"category_id-error\""), "{}", form.body);
    let refused = app
        .api(Method::POST, "/api/v1/articles", Some(&token), Some(json!({"title": "Tin lỗi", "category_id": 999})))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.json()["errors"].clone();
    assert_eq!(errors.as_array().unwrap().len(), 1, "{errors}");
    assert_eq!((errors[0]["field"].as_str(), errors[0]["code"].as_str()), (Some("category_id"), Some("invalid")));
    // Every problem at once, with the form's limits.
    let long = "x".repeat(tiendo_core::portal::MAX_TITLE + 1);
    let refused = app
        .api(
            Method::POST,
            "/api/v1/articles",
            Some(&token),
            Some(json!({"title": long, "slug": "Xin chào!", "premoderation": "sometimes"})),
        )
        .await;
    let codes: Vec<(String, String)> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        codes,
        [
            ("title".to_owned(), "too_long".to_owned()),
            ("slug".to_owned(), "slug_format".to_owned()),
            ("premoderation".to_owned(), "invalid".to_owned())
        ]
    );
}

/// A change made through the API moves the stamp of public content in its transaction: this instance
/// drops its cached pages at once, and another instance over the same database when it reads the stamp.
#[tokio::test]
async fn a_change_through_the_api_reaches_the_cached_pages_of_every_instance() {
    let app = TestApp::new().await;
    let token = app.token("bientap_api", None, &[(Role::Editor, Scope::Province)]).await;
    let id = app.db.fixtures().article("Tin chờ đăng qua API").state(ArticleState::InReview).create().await;
    let other = tiendo_web::router(tiendo_web::AppState::new(app.db.db().clone(), tiendo_web::Settings::default()));
    let get_other = || async {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let request = axum::http::Request::get("/").body(axum::body::Body::empty()).unwrap();
        let response = other.clone().oneshot(request).await.unwrap();
        String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned()
    };
    assert!(!app.get("/").await.body.contains("Tin chờ đăng qua API"));
    assert!(!get_other().await.contains("Tin chờ đăng qua API"), "cached by the other instance");
    let before = tiendo_db::portal::stamp(app.db.db()).await.unwrap();
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/articles/{id}/transitions"),
            Some(&token),
            Some(json!({"action": "publish"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_ne!(tiendo_db::portal::stamp(app.db.db()).await.unwrap(), before, "the stamp moved with the change");
    assert!(app.get("/").await.body.contains("Tin chờ đăng qua API"), "this instance dropped its pages at once");
    // The other instance reads the stamp at most once a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert!(get_other().await.contains("Tin chờ đăng qua API"), "the other instance dropped its pages");
}
