//! Search through the page and the API: bad input never fails, the index follows the audit trail within
//! two seconds, a missing or damaged index answers 503 `search_rebuilding` while the rest works.

use tiendo_app::search::Engine;
use tiendo_web::{AppState, Settings};

use crate::harness::TestApp;

/// The application with a search index in memory that follows the audit trail from its start, and the
/// application itself (to rebuild or catch up).
pub async fn search_app() -> (TestApp, tiendo_app::App) {
    search_app_with(Engine::in_memory()).await
}

/// The same with a given engine.
pub async fn search_app_with(engine: Engine) -> (TestApp, tiendo_app::App) {
    let db = tiendo_db::testing::TestDb::new().await;
    let files =
        tiendo_db::files::FileStore::new(std::env::temp_dir().join(format!("tiendo-files-{}", std::process::id())));
    let application = tiendo_app::App::new(db.db().clone(), files, Settings::default()).with_search(engine);
    let router = tiendo_web::router(AppState::from_app(application.clone()));
    (TestApp { db, router }, application)
}

/// Rebuilds the index from the database (fixtures write no audit event).
pub async fn rebuild(application: &tiendo_app::App) {
    tiendo_app::search::rebuild(application, &|_, _| {}).await.expect("rebuild the search index");
}

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};

/// An officer's API token on an application with search, and a department.
async fn officer_world() -> (TestApp, tiendo_app::App, String) {
    let (app, application) = search_app().await;
    let department = app.org("Sở Khoa học và Công nghệ", None).await;
    let token = app.token("chuyenvien", Some(department), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    (app, application, token)
}

async fn document(app: &TestApp, token: &str, symbol: &str, summary: &str) -> i64 {
    let res = app
        .api(Method::POST, "/api/v1/documents", Some(token), Some(json!({"symbol": symbol, "summary": summary})))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["document"]["id"].as_i64().unwrap()
}

async fn api_search(app: &TestApp, token: Option<&str>, query: &str) -> (StatusCode, Value) {
    let res = app.api(Method::GET, &format!("/api/v1/search?{query}"), token, None).await;
    assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{query}: {}", res.body);
    let body = if res.body.is_empty() { Value::Null } else { res.json() };
    (res.status, body)
}

fn urls(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map_or_else(Vec::new, |items| items.iter().map(|h| h["url"].as_str().unwrap().to_owned()).collect())
}

#[tokio::test]
async fn bad_input_is_a_message_or_an_empty_result_never_an_error() {
    let (app, application, token) = officer_world().await;
    for n in 0..3 {
        document(&app, &token, &format!("Số: {}/KH-UBND", n + 1), &format!("Kế hoạch thứ {n} của thị xã Quảng Yên"))
            .await;
    }
    tiendo_app::search::catch_up(&application).await.unwrap();
    let browser = app.sign_in("chuyenvien").await;
    let long = "quảng ".repeat(2_000);
    let encoded_long = tiendo_web::forms::url_encode(&long);

    // The API: a field error on `q`, or an empty result.
    for (query, code) in [
        ("q=", "search_empty"),
        ("q=%21%21%21+%3F%3F+...", "search_empty"),
        (&format!("q={encoded_long}")[..], "too_long"),
    ] {
        let (status, body) = api_search(&app, Some(&token), query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["errors"][0]["field"], "q");
        assert_eq!(body["errors"][0]["code"], code);
    }
    let (status, body) = api_search(&app, Some(&token), "q=%22quang+yen").await;
    assert_eq!((status, urls(&body).len()), (StatusCode::OK, 3), "an unbalanced quote is ignored: {body}");
    let (status, body) = api_search(&app, Some(&token), "q=quang&page=100000&per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((body["total"].as_u64(), urls(&body).len()), (Some(3), 0), "a page far past the end is empty");
    for facet in ["kind=nonsense", "organization=abc", "organization=999999", "unit=zz", "year=abc", "status=nonsense"]
    {
        let (status, body) = api_search(&app, Some(&token), &format!("q=quang&{facet}")).await;
        assert_eq!((status, body["total"].as_u64()), (StatusCode::OK, Some(0)), "{facet}: {body}");
    }
    let (status, body) = api_search(&app, Some(&token), "q=quang&page=999999999999999999999999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a page that is no number: {body}");
    assert_eq!(body["code"], "invalid_query");
    for out_of_range in ["page=0", "page=-1", "per_page=0", "per_page=101"] {
        let (status, body) = api_search(&app, Some(&token), &format!("q=quang&{out_of_range}")).await;
        assert_eq!((status, &body["code"]), (StatusCode::BAD_REQUEST, &"invalid_query".into()), "{out_of_range}");
    }

    // The page: a message next to the form, with status 200.
    let page = |q: String| {
        let browser = &browser;
        async move { browser.get(&format!("/search?{q}")).await }
    };
    let empty = page("q=".to_owned()).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.body.contains("search-message"), "the empty form has no message");
    let punctuation = page("q=%21%21%21".to_owned()).await;
    assert_eq!(punctuation.status, StatusCode::OK);
    assert!(punctuation.body.contains("Hãy gõ ít nhất một từ"), "{}", punctuation.body);
    let too_long = page(format!("q={encoded_long}")).await;
    assert_eq!(too_long.status, StatusCode::OK);
    assert!(too_long.body.contains("Tối đa 500 ký tự"));
    let past_end = page("q=quang&page=50".to_owned()).await;
    assert_eq!(past_end.status, StatusCode::OK);
    assert!(past_end.body.contains("Trang này không có kết quả"));
    let huge_page = page("q=quang&page=999999999999999999999999".to_owned()).await;
    assert_eq!(huge_page.status, StatusCode::OK, "a page that is no number is the first");
    assert!(huge_page.body.contains("Tìm thấy 3 kết quả"));
    let unknown = page("q=quang&kind=nonsense&year=abc".to_owned()).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(unknown.body.contains("Không tìm thấy kết quả nào"));
    let script = page("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned()).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(!script.body.contains("<script>alert"), "the query is escaped");
}

#[tokio::test]
async fn the_page_highlights_hits_narrows_by_facet_pages_and_suggests() {
    let (app, application, token) = officer_world().await;
    for n in 1..=23 {
        document(
            &app,
            &token,
            &format!("Số: {n}/KH-UBND"),
            &format!("Kế hoạch số {n} về khoa học và công nghệ Quảng Yên"),
        )
        .await;
    }
    let plan = app
        .api(
            Method::POST,
            "/api/v1/plans",
            Some(&token),
            Some(json!({"kind": "plan", "title": "Chuyển đổi số Quảng Yên"})),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED);
    tiendo_app::search::catch_up(&application).await.unwrap();
    let browser = app.sign_in("chuyenvien").await;

    let first = browser.get("/search?q=quang+yen").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Tìm thấy 24 kết quả"), "{}", first.body);
    assert!(first.body.contains("<mark>Quảng</mark> <mark>Yên</mark>"), "highlighted without diacritics typed");
    assert!(first.body.contains("Trang 1/2") && first.body.contains("rel=\"next\""));
    assert!(first.body.contains("class=\"header-search\""), "the search box in the header");
    let second = browser.get("/search?q=quang+yen&page=2").await;
    assert_eq!(second.body.matches("class=\"hit\"").count(), 4);
    // The type facet: a link that narrows to the plans.
    assert!(first.body.contains("kind=plan"), "a facet link per type");
    let plans = browser.get("/search?q=quang+yen&kind=plan").await;
    assert!(plans.body.contains("Tìm thấy 1 kết quả"), "{}", plans.body);
    assert!(plans.body.contains("aria-current=\"true\""), "the chosen value is marked");
    // In English.
    let english = browser.get("/search?q=quang+yen&kind=plan&lang=en").await;
    assert!(english.body.contains("1 result") && english.body.contains("Type"), "{}", english.body);
    // Did you mean: two letters away, nothing found as typed.
    let (_, body) = api_search(&app, Some(&token), "q=chuyeenn").await;
    assert_eq!(body["total"], 0);
    assert_eq!(body["did_you_mean"], "chuyen");
    let suggested = browser.get("/search?q=chuyeenn").await;
    assert!(suggested.body.contains("id=\"did-you-mean\""), "{}", suggested.body);
}

#[tokio::test]
async fn the_public_search_finds_public_content_only() {
    let (app, application, token) = officer_world().await;
    document(&app, &token, "Số: 9/KH-UBND", "Kế hoạch ứng dụng khoa học ở Quảng Yên").await;
    let fx = app.db.fixtures();
    fx.article("Quảng Yên ứng dụng khoa học").state(tiendo_core::portal::ArticleState::Published).create().await;
    fx.article("Bản nháp về Quảng Yên").create().await;
    crate::search::rebuild(&application).await;
    let (status, body) = api_search(&app, None, "q=quang+yen").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(urls(&body), vec!["/news/quang-yen-ung-dung-khoa-hoc".to_owned()]);
    let page = app.get("/search?q=quang+yen").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Tìm thấy 1 kết quả") && page.body.contains("/news/quang-yen-ung-dung-khoa-hoc"));
    assert!(!page.body.contains("class=\"header-search\""), "no search box in the header for the public");
    assert!(app.get("/").await.body.contains("href=\"/search\""), "the public navigation leads to search");
}

/// Polls the API until `found` holds, at most five seconds; how long it took.
async fn until(app: &TestApp, token: &str, query: &str, found: impl Fn(&Value) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let (_, body) = api_search(app, Some(token), query).await;
        if found(&body) {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{query}: not searchable after 5 s: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_searchable_within_two_seconds() {
    let (app, application, token) = officer_world().await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(tiendo_app::search::follow(application.clone(), Duration::from_millis(500), stopped));
    let id = document(&app, &token, "Số: 77/KH-UBND", "Kế hoạch phát triển thủy sản Hoành Bồ").await;
    let took = until(&app, &token, "q=thuy+san+hoanh+bo", |b| b["total"] == 1).await;
    assert!(took < Duration::from_secs(2), "a new record took {took:?}");
    let edit = json!({"symbol": "Số: 77/KH-UBND", "summary": "Kế hoạch phát triển du lịch Hoành Bồ"});
    let res = app.api(Method::PUT, &format!("/api/v1/documents/{id}"), Some(&token), Some(edit)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let took = until(&app, &token, "q=du+lich+hoanh+bo", |b| b["total"] == 1).await;
    assert!(took < Duration::from_secs(2), "a change took {took:?}");
    let (_, old) = api_search(&app, Some(&token), "q=thuy+san+hoanh+bo").await;
    assert_eq!(old["total"], 0, "the old text is gone");
    stop.send(true).unwrap();
    follower.await.unwrap();
}

#[tokio::test]
async fn an_event_committed_after_a_later_one_is_still_indexed() {
    let (app, application, token) = officer_world().await;
    use tiendo_db::{Exec, Query};
    let db = app.db.db();
    document(&app, &token, "Số: 1/KH-UBND", "Kế hoạch về rừng ngập mặn").await;
    let (late_id,): (i64,) = db.fetch_one(Query::new("SELECT MAX(id) FROM audit_events")).await.unwrap();
    document(&app, &token, "Số: 2/KH-UBND", "Kế hoạch về nuôi hàu").await;
    // As if the first transaction had not committed yet when the follower read the trail.
    db.execute(Query::new("CREATE TABLE late_event AS SELECT * FROM audit_events WHERE id = $1").bind(late_id))
        .await
        .unwrap();
    db.execute(Query::new("DELETE FROM audit_events WHERE id = $1").bind(late_id)).await.unwrap();
    tiendo_app::search::catch_up(&application).await.unwrap();
    let (_, early) = api_search(&app, Some(&token), "q=rung+ngap+man").await;
    assert_eq!(early["total"], 0, "not committed yet");
    assert_eq!(api_search(&app, Some(&token), "q=nuoi+hau").await.1["total"], 1);
    db.execute(Query::new("INSERT INTO audit_events SELECT * FROM late_event")).await.unwrap();
    tiendo_app::search::catch_up(&application).await.unwrap();
    let (_, late) = api_search(&app, Some(&token), "q=rung+ngap+man").await;
    assert_eq!(late["total"], 1, "read again on the next pass: {late}");
}

#[tokio::test]
async fn a_missing_or_damaged_index_answers_503_while_it_is_rebuilt_and_nothing_else_is_affected() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("search");
    let (app, application) = search_app_with(Engine::open(&index_dir)).await;
    let department = app.org("Sở Khoa học và Công nghệ", None).await;
    let token = app.token("chuyenvien", Some(department), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    document(&app, &token, "Số: 5/KH-UBND", "Kế hoạch về rừng ngập mặn").await;

    let (status, body) = api_search(&app, Some(&token), "q=rung").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("search_rebuilding")), "{body}");
    let browser = app.sign_in("chuyenvien").await;
    let page = browser.get("/search?q=rung").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("Đang xây dựng lại chỉ mục tìm kiếm"), "{}", page.body);
    assert_eq!(browser.get("/documents").await.status, StatusCode::OK, "the rest works");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert!(ready.body.contains("search: rebuilding"), "{}", ready.body);

    crate::search::rebuild(&application).await;
    assert_eq!(api_search(&app, Some(&token), "q=rung").await.1["total"], 1);
    assert!(app.get("/readyz").await.body.contains("search: ready (2 documents)"), "the organisation and the document");

    // A damaged index found at the next start is rebuilt likewise.
    drop((app, application));
    std::fs::write(index_dir.join("meta.json"), b"{ not json").unwrap();
    let engine = Engine::open(&index_dir);
    assert!(matches!(engine.status(), tiendo_app::search::Status::Rebuilding { .. }), "{:?}", engine.status());
    assert!(engine.needs_rebuild());
}

#[tokio::test]
async fn servers_sharing_a_database_each_follow_the_trail_into_their_own_index() {
    let dirs = tempfile::tempdir().unwrap();
    let (app, first) = search_app_with(Engine::open(&dirs.path().join("one"))).await;
    let files = tiendo_db::files::FileStore::new(dirs.path().join("files"));
    let second = tiendo_app::App::new(app.db.db().clone(), files.clone(), Settings::default())
        .with_search(Engine::open(&dirs.path().join("two")));
    crate::search::rebuild(&first).await;
    crate::search::rebuild(&second).await;
    // A third process started on the first one's data directory: the first holds the index's writer, so
    // this one only reads the index and reloads it.
    let reader = tiendo_app::App::new(app.db.db().clone(), files, Settings::default())
        .with_search(Engine::open(&dirs.path().join("one")));
    let refused = tiendo_app::search::rebuild(&reader, &|_, _| {}).await;
    assert!(matches!(refused, Err(tiendo_app::Error::Conflict { code: "search_index_locked", .. })), "{refused:?}");
    let reader = tiendo_app::App::new(
        app.db.db().clone(),
        tiendo_db::files::FileStore::new(dirs.path().join("f")),
        Settings::default(),
    )
    .with_search(Engine::open(&dirs.path().join("one")));
    let department = app.org("Sở Khoa học và Công nghệ", None).await;
    let token = app.token("chuyenvien", Some(department), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    document(&app, &token, "Số: 3/KH-UBND", "Kế hoạch về cảng biển Cái Lân").await;
    let session = tiendo_app::Session::system(tiendo_core::authz::Actor::user(
        1,
        vec![tiendo_core::authz::Grant { role: Role::DepartmentOfficer, scope: Scope::Province }],
    ));
    let query = tiendo_app::search::SearchQuery::new("cang bien cai lan");
    for app in [&first, &second, &reader] {
        tiendo_app::search::catch_up(app).await.unwrap();
    }
    for (name, app) in [("first", &first), ("second", &second), ("reader of the first", &reader)] {
        let found = tiendo_app::search::search(app, &session, &query).await.unwrap();
        assert_eq!(found.total, 1, "{name}");
    }
}

#[tokio::test]
async fn the_index_follows_renames_deletions_and_both_maps() {
    let (app, application, token) = officer_world().await;
    let body = json!({"kind": "enterprise", "name": "Công ty CP phát triển Agritech",
        "address": "thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh"});
    let res = app.api(Method::POST, "/api/v1/organizations", Some(&token), Some(body.clone())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let created = res.json();
    let org = created["id"].as_i64().unwrap();
    let (old_code, new_code) = (created["admin_unit"]["code"].clone(), created["admin_unit_today"]["code"].clone());
    assert_ne!(old_code, new_code, "an address of the old map: {created}");
    tiendo_app::search::catch_up(&application).await.unwrap();
    let (_, found) = api_search(&app, Some(&token), "q=agritech").await;
    let units: Vec<Value> = found["facets"]["unit"].as_array().unwrap().iter().map(|v| v["value"].clone()).collect();
    assert!(units.contains(&old_code) && units.contains(&new_code), "the unit on both maps: {units:?}");

    // An assignment to it shows its name; renaming it renames the assignment's document too.
    let plan = app
        .api(Method::POST, "/api/v1/plans", Some(&token), Some(json!({"kind": "plan", "title": "Kế hoạch đổi mới"})))
        .await;
    let plan = plan.json()["plan"]["id"].as_i64().unwrap();
    let task = app
        .api(
            Method::POST,
            &format!("/api/v1/plans/{plan}/tasks"),
            Some(&token),
            Some(json!({"code": "1", "title": "Ứng dụng cảm biến"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let due = tiendo_core::time::vietnam_date(chrono::Utc::now() + chrono::Duration::days(30));
    let assign = json!({"lead_org_ids": [org], "deadline": {"kind": "fixed", "due_on": due}, "priority": "normal"});
    let res = app.api(Method::POST, &format!("/api/v1/tasks/{task}/assignments"), Some(&token), Some(assign)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let assignment = res.json()["items"][0]["id"].as_i64().unwrap();
    let mut renamed = body.clone();
    renamed["name"] = json!("Công ty Cổ phần Cảm biến Hạ Long");
    let res = app.api(Method::PUT, &format!("/api/v1/organizations/{org}"), Some(&token), Some(renamed)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    tiendo_app::search::catch_up(&application).await.unwrap();
    let (_, found) = api_search(&app, Some(&token), "q=cam+bien+ha+long&kind=assignment").await;
    assert_eq!(urls(&found), vec![format!("/assignments/{assignment}")], "{found}");

    // A draft written and then deleted by the unit leaves the index.
    app.user("congty", Some(org), &[(Role::LocalityOfficer, Scope::Organization(org))]).await;
    let browser = app.sign_in("congty").await;
    let created = browser
        .post_multipart(
            &format!("/assignments/{assignment}/updates"),
            &[("narrative", "Lắp đặt cảm biến độ mặn"), ("percent", "10")],
            &[],
        )
        .await;
    assert!(created.status.is_redirection(), "{} {}", created.status, created.body);
    tiendo_app::search::catch_up(&application).await.unwrap();
    let unit_token = app.token("congty_api", Some(org), &[(Role::LocalityOfficer, Scope::Organization(org))]).await;
    let (_, found) = api_search(&app, Some(&unit_token), "q=do+man&kind=progress_update").await;
    let draft_url = urls(&found).pop().expect("the draft is found by its unit");
    let draft = draft_url.rsplit_once("update-").unwrap().1.to_owned();
    assert_eq!(
        api_search(&app, Some(&token), "q=do+man&kind=progress_update").await.1["total"],
        0,
        "a draft is the unit's own"
    );
    let deleted = browser.post(&format!("/updates/{draft}/delete"), &[]).await;
    assert!(deleted.status.is_redirection(), "{} {}", deleted.status, deleted.body);
    tiendo_app::search::catch_up(&application).await.unwrap();
    assert_eq!(api_search(&app, Some(&unit_token), "q=do+man&kind=progress_update").await.1["total"], 0, "deleted");
}
