use axum::http::StatusCode;

use crate::harness::{TestApp, logs_of};

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::new().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_follows_the_database() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::OK);
    app.db.db().close().await;
    assert_eq!(app.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::new().await;
    app.get("/api/v1/status").await;
    app.get("/api/v1/status").await;
    app.get("/does-not-exist").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").starts_with("text/plain"));
    let status_line = res
        .body
        .lines()
        .find(|l| l.starts_with("http_requests_total{") && l.contains("route=\"/api/v1/status\""))
        .unwrap_or_else(|| panic!("no counter for the status route in:\n{}", res.body));
    assert!(status_line.contains("status=\"200\""), "{status_line}");
    assert!(res.body.contains("http_request_duration_seconds_bucket{"));
    // Unknown paths are counted under one label, so label values stay bounded.
    assert!(res.body.contains("route=\"unmatched\""));
    assert!(!res.body.contains("does-not-exist"));
}

#[tokio::test]
async fn metrics_require_the_token_when_one_is_configured() {
    let site = tiendo_app::Settings { metrics_token: Some("s3cret".into()), ..Default::default() };
    let app = TestApp::with_settings(site).await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let wrong = app.get_with("/metrics", &[("authorization", "Bearer nope")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let ok = app.get_with("/metrics", &[("authorization", "Bearer s3cret")]).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_id_is_returned_and_kept_when_sent() {
    let app = TestApp::new().await;
    let generated = app.get("/healthz").await;
    assert_eq!(generated.header("x-request-id").len(), 16);
    let kept = app.get_with("/healthz", &[("x-request-id", "abc-123")]).await;
    assert_eq!(kept.header("x-request-id"), "abc-123");
}

#[tokio::test]
async fn the_secret_of_a_password_link_never_reaches_the_log() {
    let app = TestApp::new().await;
    let secret = "7f".repeat(32);
    let logs = logs_of(async {
        let res = app.get(&format!("/reset-password/{secret}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        // Without a CSRF token: refused, and the refusal is logged with the path.
        let res = app
            .request(
                axum::http::Method::POST,
                &format!("/reset-password/{secret}"),
                Some("application/x-www-form-urlencoded"),
                b"new_password=x&confirm_password=x".to_vec(),
            )
            .await;
        assert!(!res.status.is_success(), "{}", res.status);
    })
    .await;
    assert!(logs.contains("/reset-password/[redacted]"), "the request is logged: {logs}");
    assert!(!logs.contains(&secret), "the link's secret is in the log: {logs}");
}
