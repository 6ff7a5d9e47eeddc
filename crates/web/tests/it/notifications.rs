//! `/notifications` and `/api/v1/notifications`: a user sees and changes only their own notifications,
//! the bell counts the unread ones, and opening one never leads off the site.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tiendo_db::identity;
use tiendo_db::notifications::{self, NewNotification, Notification};

use crate::harness::TestApp;

/// A notification as written before notices existed: Vietnamese text only.
async fn notify(app: &TestApp, user: i64, title: &str, link: Option<&str>) -> i64 {
    let new = NewNotification {
        kind: "deadline_soon",
        title,
        body: "Đơn vị chủ trì: UBND phường Hà An",
        message: None,
        link,
    };
    notifications::notify(app.db.db(), user, new, chrono::Utc::now()).await.unwrap()
}

async fn stored(app: &TestApp, user: i64, id: i64) -> Notification {
    notifications::get_of_user(app.db.db(), user, id).await.unwrap().unwrap()
}

#[tokio::test]
async fn the_bell_counts_unread_notifications_and_the_page_lists_only_ones_own() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    let lan = app.user("lan", None, &[]).await;
    notify(&app, ha, "Sắp đến hạn: 1. Đề xuất nhiệm vụ — hạn 14/03/2026", Some("/assignments/1")).await;
    let read = notify(&app, ha, "Đã quá hạn: 2. Báo cáo năm — hạn 10/03/2026", None).await;
    notify(&app, ha, "Có báo cáo tiến độ mới: 3. Xây dựng chương trình", Some("/assignments/3")).await;
    notifications::mark_read(app.db.db(), ha, read, chrono::Utc::now()).await.unwrap();
    notify(&app, lan, "Thông báo của người khác", None).await;

    let browser = app.sign_in("ha").await;
    let home = browser.get("/").await;
    assert!(home.body.contains("<span class=\"bell-count\" aria-hidden=\"true\">2</span>"), "{}", home.body);
    assert!(home.body.contains("aria-label=\"Thông báo: 2 chưa đọc\""), "{}", home.body);

    let page = browser.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sắp đến hạn: 1. Đề xuất nhiệm vụ — hạn 14/03/2026"));
    assert!(page.body.contains("Đã quá hạn: 2. Báo cáo năm"));
    assert!(!page.body.contains("Thông báo của người khác"), "someone else's notification is not listed");
    assert_eq!(page.body.matches("class=\"notification unread\"").count(), 2);
    assert_eq!(page.body.matches("class=\"notification\"").count(), 1);
    // Newest first.
    let newest = page.body.find("Có báo cáo tiến độ mới").unwrap();
    let oldest = page.body.find("Sắp đến hạn: 1.").unwrap();
    assert!(newest < oldest);

    let other = app.sign_in("lan").await;
    let theirs = other.get("/notifications").await;
    assert!(theirs.body.contains("Thông báo của người khác"));
    assert!(!theirs.body.contains("Đề xuất nhiệm vụ"));
}

#[tokio::test]
async fn the_notifications_page_needs_a_signed_in_user() {
    let app = TestApp::new().await;
    let res = app.get("/notifications").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").starts_with("/login?next="), "{}", res.header("location"));
    let home = app.get("/").await;
    assert!(!home.body.contains("class=\"bell\""), "no bell for the public");
}

#[tokio::test]
async fn opening_a_notification_marks_it_read_and_goes_to_its_link() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    app.user("lan", None, &[]).await;
    let id = notify(&app, ha, "Sắp đến hạn", Some("/assignments/12")).await;
    let no_link = notify(&app, ha, "Tổng hợp", None).await;

    // Someone else cannot open it, nor learn that it exists, nor mark it read.
    let lan = app.sign_in("lan").await;
    assert_eq!(lan.post(&format!("/notifications/{id}/open"), &[]).await.status, StatusCode::NOT_FOUND);
    assert!(stored(&app, ha, id).await.read_at.is_none());

    let browser = app.sign_in("ha").await;
    let res = browser.post(&format!("/notifications/{id}/open"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/assignments/12");
    assert!(stored(&app, ha, id).await.read_at.is_some());
    let res = browser.post(&format!("/notifications/{no_link}/open"), &[]).await;
    assert_eq!(res.header("location"), "/notifications");
    assert!(stored(&app, ha, no_link).await.read_at.is_some());
    // Opening needs the form's token.
    let fresh = notify(&app, ha, "Mới", Some("/assignments/13")).await;
    assert_eq!(browser.post_raw(&format!("/notifications/{fresh}/open"), &[]).await.status, StatusCode::FORBIDDEN);
    assert!(stored(&app, ha, fresh).await.read_at.is_none());
}

#[tokio::test]
async fn a_link_leading_off_the_site_is_not_followed() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    let browser = app.sign_in("ha").await;
    for link in ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:alert(1)"] {
        let id = notify(&app, ha, "Liên kết lạ", Some(link)).await;
        let res = browser.post(&format!("/notifications/{id}/open"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{link}");
        assert_eq!(res.header("location"), "/notifications", "{link}");
    }
    let page = browser.get("/notifications").await;
    assert!(!page.body.contains("evil.example"), "foreign links are never written into the page");
    assert!(!page.body.contains("<button class=\"notification-title\""), "nothing to follow");
}

#[tokio::test]
async fn mark_all_as_read_needs_the_csrf_token_and_touches_only_ones_own() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    let lan = app.user("lan", None, &[]).await;
    notify(&app, ha, "Một", None).await;
    notify(&app, ha, "Hai", None).await;
    notify(&app, lan, "Của Lan", None).await;
    let browser = app.sign_in("ha").await;
    let page = browser.get("/notifications").await;
    assert!(page.body.contains("action=\"/notifications/read-all\""));

    let forged = browser.post_raw("/notifications/read-all", &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(notifications::unread_count(app.db.db(), ha).await.unwrap(), 2);

    let res = browser.post("/notifications/read-all", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), "/notifications?done=read");
    assert_eq!(notifications::unread_count(app.db.db(), ha).await.unwrap(), 0);
    assert_eq!(notifications::unread_count(app.db.db(), lan).await.unwrap(), 1, "another user's are untouched");
    let after = browser.get("/notifications?done=read").await;
    assert!(after.body.contains("Đã đánh dấu tất cả thông báo là đã đọc."));
    assert!(!after.body.contains("class=\"bell-count\""), "the bell shows no count any more");
    assert!(!after.body.contains("action=\"/notifications/read-all\""), "nothing left to mark");
}

#[tokio::test]
async fn the_list_is_paged_newest_first() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    for i in 1..=25 {
        notify(&app, ha, &format!("Thông báo số {i:02}"), None).await;
    }
    let browser = app.sign_in("ha").await;
    let first = browser.get("/notifications").await;
    assert_eq!(first.body.matches("<li class=\"notification").count(), 20);
    assert!(first.body.contains("Thông báo số 25") && !first.body.contains("Thông báo số 05"));
    assert!(first.body.contains("Trang 1 / 2"));
    assert!(first.body.contains("href=\"/notifications?page=2\""));
    let second = browser.get("/notifications?page=2").await;
    assert_eq!(second.body.matches("<li class=\"notification").count(), 5);
    assert!(second.body.contains("Thông báo số 01") && !second.body.contains("Thông báo số 06"));
}

async fn token_for(app: &TestApp, user_id: i64) -> String {
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(app.db.db(), user_id, "test", &digest, &token[..10], None, chrono::Utc::now())
        .await
        .unwrap();
    format!("Bearer {token}")
}

#[tokio::test]
async fn the_api_lists_and_marks_only_the_callers_notifications() {
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    let lan = app.user("lan", None, &[]).await;
    let first = notify(&app, ha, "Một", Some("/assignments/1")).await;
    let second = notify(&app, ha, "Hai", None).await;
    let theirs = notify(&app, lan, "Của Lan", None).await;
    let bearer = token_for(&app, ha).await;

    let list = app.get_with("/api/v1/notifications?limit=1", &[("authorization", &bearer)]).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let body = list.json();
    assert_eq!((body["total"].as_i64(), body["items"][0]["id"].as_i64()), (Some(2), Some(second)));
    assert_eq!(body["items"][0]["kind"], "deadline_soon");
    assert!(body["items"][0]["read_at"].is_null());
    let next = body["next"].as_str().unwrap().to_owned();
    let page2 =
        app.get_with(&format!("/api/v1/notifications?limit=1&cursor={next}"), &[("authorization", &bearer)]).await;
    assert_eq!(page2.json()["items"][0]["id"].as_i64(), Some(first));
    assert_eq!(page2.json()["items"][0]["link"], "/assignments/1");

    let post = |uri: String| {
        let bearer = bearer.clone();
        let app = &app;
        async move { app.send(Request::post(uri).header("authorization", bearer).body(Body::empty()).unwrap()).await }
    };
    assert_eq!(post(format!("/api/v1/notifications/{theirs}/read")).await.status, StatusCode::NOT_FOUND);
    assert!(stored(&app, lan, theirs).await.read_at.is_none());
    assert_eq!(post(format!("/api/v1/notifications/{first}/read")).await.status, StatusCode::NO_CONTENT);
    let unread = app.get_with("/api/v1/notifications?unread=true", &[("authorization", &bearer)]).await.json();
    assert_eq!((unread["total"].as_i64(), unread["items"][0]["id"].as_i64()), (Some(1), Some(second)));
    assert_eq!(post("/api/v1/notifications/read-all".to_owned()).await.status, StatusCode::NO_CONTENT);
    assert_eq!(notifications::unread_count(app.db.db(), ha).await.unwrap(), 0);
    assert_eq!(notifications::unread_count(app.db.db(), lan).await.unwrap(), 1);

    let anonymous = app.get("/api/v1/notifications").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let bad = app.get_with("/api/v1/notifications?cursor=abc", &[("authorization", &bearer)]).await;
    assert_eq!((bad.status, bad.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
    let too_many = app.get_with("/api/v1/notifications?limit=501", &[("authorization", &bearer)]).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_notification_reads_in_the_readers_language_its_data_as_written() {
    use tiendo_app::message::{Message, Notice};
    let app = TestApp::new().await;
    let ha = app.user("ha", None, &[]).await;
    let due = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    let notice = Notice::new(
        Message::key("reminder-overdue").data("task", "1. Đề xuất nhiệm vụ").date("due", due),
        Message::key("reminder-body").data("lead", "UBND phường Hà An").data("plan", "Kế hoạch 57"),
    );
    let vi = tiendo_app::Tr::new(tiendo_core::lang::Lang::Vi);
    let (title, body, json) = (notice.title.render(&vi), notice.body.render(&vi), notice.to_json());
    let new = NewNotification { kind: "deadline_passed", title: &title, body: &body, message: Some(&json), link: None };
    notifications::notify(app.db.db(), ha, new, chrono::Utc::now()).await.unwrap();
    // One written before notices existed: its Vietnamese text, marked as such.
    notify(&app, ha, "Sắp đến hạn: 2. Báo cáo năm", None).await;

    let browser = app.sign_in("ha").await;
    let en = browser.get("/notifications?lang=en").await.body;
    assert!(en.contains("Overdue: <span lang=\"vi\">1. Đề xuất nhiệm vụ</span> — due 14/03/2026"), "{en}");
    assert!(
        en.contains(
            "Lead unit: <span lang=\"vi\">UBND phường Hà An</span>\nPlan: <span lang=\"vi\">Kế hoạch 57</span>"
        ),
        "{en}"
    );
    assert!(en.contains("<span lang=\"vi\">Sắp đến hạn: 2. Báo cáo năm</span>"), "{en}");
    assert!(!en.contains("Đã quá hạn"), "{en}");
    let vi_page = browser.get("/notifications?lang=vi").await.body;
    assert!(vi_page.contains("Đã quá hạn: <span lang=\"vi\">1. Đề xuất nhiệm vụ</span> — hạn 14/03/2026"), "{vi_page}");
    // The API and e-mail keep the Vietnamese text.
    let stored = notifications::of_user(app.db.db(), ha, 10).await.unwrap();
    assert!(stored.iter().any(|n| n.title == "Đã quá hạn: 1. Đề xuất nhiệm vụ — hạn 14/03/2026"));
}
