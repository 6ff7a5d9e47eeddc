//! `/admin/jobs`: the background jobs that failed (dead-lettered, or waiting for a retry), with their last
//! error, for the province-wide administrators only (issue 20 item 6: a job that panics is visible).

use axum::http::StatusCode;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::TestApp;

#[tokio::test]
async fn administrators_see_failed_jobs_with_their_last_error_and_others_are_refused() {
    let app = TestApp::new().await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    app.user("quantri", Some(dept), &[(Role::Administrator, Scope::Province)]).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let admin = app.sign_in("quantri").await;
    let empty = admin.get("/admin/jobs").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Không có tác vụ nào bị lỗi."), "{}", empty.body);
    let now = chrono::Utc::now();
    app.db
        .db()
        .execute(
            Query::new(
                "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, last_error, created_at) VALUES \
                 ('send_email', '{}', 'dead', 5, 5, $1, 'the job''s handler panicked: index out of bounds', $1), \
                 ('report_reminders', '{}', 'queued', 1, 5, $1, 'smtp: connection refused', $1), \
                 ('publish_scheduled', '{}', 'done', 1, 5, $1, NULL, $1), \
                 ('a_retired_kind', '{}', 'dead', 1, 1, $1, 'no handler is registered', $1)",
            )
            .bind(now),
        )
        .await
        .unwrap();
    let page = admin.get("/admin/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Gửi thư điện tử",
        "the job&#39;s handler panicked: index out of bounds",
        "Đã dừng",
        "Nhắc hạn báo cáo định kỳ",
        "Chờ chạy lại",
        "smtp: connection refused",
        "<code>a_retired_kind</code>",
    ] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }
    assert!(!page.body.contains("Đăng bài hẹn giờ"), "a job that succeeded is not listed");
    assert!(admin.get("/admin").await.body.contains("href=\"/admin/jobs\""), "the hub links to it");
    let officer = app.sign_in("chuyenvien").await;
    assert_eq!(officer.get("/admin/jobs").await.status, StatusCode::FORBIDDEN);
    assert!(!officer.get("/admin").await.body.contains("/admin/jobs"));
}
