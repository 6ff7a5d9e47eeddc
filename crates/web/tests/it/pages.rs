use axum::http::StatusCode;

use tiendo_db::Exec;

use crate::harness::TestApp;

#[tokio::test]
async fn the_home_page_is_vietnamese_by_default() {
    let app = TestApp::new().await;
    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("<html lang=\"vi\">"), "{}", &res.body[..200]);
    assert!(res.body.contains("Theo dõi thực hiện nghị quyết"));
    assert!(res.body.contains("Sở Khoa học và Công nghệ"));
    assert_eq!(res.header("content-language"), "vi");
}

#[tokio::test]
async fn lang_en_switches_to_english_and_is_remembered_in_a_cookie() {
    let app = TestApp::new().await;
    let res = app.get("/?lang=en").await;
    assert!(res.body.contains("<html lang=\"en\">"));
    assert!(res.body.contains("Following through on resolutions"));
    let cookie = res.header("set-cookie");
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    // The next request without the parameter stays in English thanks to the cookie.
    let again = app.get_with("/", &[("cookie", "lang=en")]).await;
    assert!(again.body.contains("<html lang=\"en\">"));
    // And back to Vietnamese.
    let back = app.get_with("/?lang=vi", &[("cookie", "lang=en")]).await;
    assert!(back.body.contains("<html lang=\"vi\">"));
    assert!(back.header("set-cookie").starts_with("lang=vi;"));
}

#[tokio::test]
async fn the_language_links_keep_the_other_query_parameters() {
    let app = TestApp::new().await;
    let res = app.get("/?page=2").await;
    assert!(res.body.contains("href=\"/?page=2&#38;lang=en\""), "language link missing");
}

#[tokio::test]
async fn an_unknown_page_gets_a_friendly_404_in_the_chosen_language() {
    let app = TestApp::new().await;
    let vi = app.get("/khong-co-trang-nay").await;
    assert_eq!(vi.status, StatusCode::NOT_FOUND);
    assert!(vi.header("content-type").starts_with("text/html"));
    assert!(vi.body.contains("Không tìm thấy trang"));
    assert!(vi.body.contains("/khong-co-trang-nay"));
    let en = app.get("/no-such-page?lang=en").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(en.body.contains("Page not found"));
}

#[tokio::test]
async fn every_page_sends_the_security_headers() {
    let app = TestApp::new().await;
    for uri in ["/", "/nope", "/api/docs", "/api/v1/status"] {
        let res = app.get(uri).await;
        let csp = res.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(res.header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(res.header("referrer-policy"), "strict-origin-when-cross-origin", "{uri}");
        assert!(!res.header("x-request-id").is_empty(), "{uri}");
    }
    // HSTS only when the site is served over TLS.
    assert!(app.get("/").await.header("strict-transport-security").is_empty());
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let site = tiendo_app::Settings { public_url: Some("https://tiendo.example.vn".into()), ..Default::default() };
    let app = TestApp::with_settings(site).await;
    let res = app.get("/?lang=en").await;
    assert!(res.header("strict-transport-security").contains("max-age="));
    assert!(res.header("set-cookie").contains("Secure"));
}

#[tokio::test]
async fn assets_are_served_by_content_hash_with_long_cache_headers() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    let css = home
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.starts_with("/assets/app.") && href.ends_with(".css"))
        .expect("the page links its stylesheet")
        .to_owned();
    let res = app.get(&css).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/css; charset=utf-8");
    assert_eq!(res.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(res.body.contains(":root"));
    // A stale hash is not served.
    assert_eq!(app.get("/assets/app.0000000000.css").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_loads_nothing_from_other_origins() {
    let app = TestApp::new().await;
    for uri in ["/", "/api/docs", "/nope"] {
        let body = app.get(uri).await.body;
        for attr in ["src=\"", "href=\""] {
            for piece in body.split(attr).skip(1) {
                let url = piece.split('"').next().unwrap_or_default();
                assert!(!url.starts_with("http") && !url.starts_with("//"), "{uri} references {url}");
            }
        }
    }
}

#[tokio::test]
async fn the_api_reference_lists_operations_and_error_codes() {
    let app = TestApp::new().await;
    let res = app.get("/api/docs").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("/api/v1/status"));
    assert!(res.body.contains("id=\"error-malformed_json\""));
    assert!(res.body.contains("id=\"schema-Problem\""));
}

#[tokio::test]
async fn an_unexpected_error_shows_the_error_page_in_the_reader_s_language_with_the_request_id() {
    let app = TestApp::new().await;
    // The news table gone from under the running site: the home page cannot be built.
    app.db.db().execute(tiendo_db::Query::new("ALTER TABLE articles RENAME TO articles_gone")).await.unwrap();
    for (uri, lang, title, detail) in [
        ("/", "vi", "Đã có lỗi xảy ra", "báo cho quản trị viên kèm mã yêu cầu"),
        ("/?lang=en", "en", "Something went wrong", "quoting the request id"),
    ] {
        let res = app.get_with(uri, &[("x-request-id", "loi-kiem-thu-500")]).await;
        assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert!(res.body.contains(&format!("<html lang=\"{lang}\">")), "{uri}");
        assert!(res.body.contains(title) && res.body.contains(detail), "{uri}: {}", res.body);
        assert!(res.body.contains("<code>loi-kiem-thu-500</code>"), "the request id is shown");
        assert!(!res.body.contains("articles"), "no internal detail leaks: {}", res.body);
    }
    // The API answers the same failure as problem+json.
    let res = app.get_with("/api/v1/articles", &[("x-request-id", "loi-kiem-thu-500")]).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let problem = res.json();
    assert_eq!(
        (problem["code"].as_str(), problem["request_id"].as_str()),
        (Some("internal_error"), Some("loi-kiem-thu-500"))
    );
}
