//! Every page of the demo, as each demo account sees it: starting from the menu, every same-site link is
//! followed (up to a bound) and must answer without a server error, and a link the page shows must not lead
//! to a refusal or a missing page. This catches the page nobody thought to test.

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tiendo_db::testing::TestDb;
use tower::ServiceExt;

/// An answer of the router.
pub(crate) struct Fetched {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) set_cookie: Option<String>,
    pub(crate) content_type: String,
    pub(crate) body: String,
}

/// One request through the router, as a browser of the same site sends it.
pub(crate) async fn fetch(app: &axum::Router, uri: &str, cookie: &str, method: &str, body: String) -> Fetched {
    let mut request = Request::builder().method(method).uri(uri).header("sec-fetch-site", "same-origin");
    if !cookie.is_empty() {
        request = request.header(header::COOKIE, cookie);
    }
    if method == "POST" {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let header_text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let location = header_text(header::LOCATION);
    let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
    let cookie = header_text(header::SET_COOKIE);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = if content_type.starts_with("text/html") {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        String::new()
    };
    Fetched { status, location, set_cookie: cookie, content_type, body: text }
}

/// The same-site links of a page (paths with their query), without fragments.
pub(crate) fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("href=\"").skip(1) {
        let Some(end) = part.find('"') else { continue };
        let href = part[..end].replace("&amp;", "&").replace("&#38;", "&");
        let href = href.split('#').next().unwrap_or_default().to_owned();
        if href.starts_with('/') && !href.starts_with("//") {
            out.push(href);
        }
    }
    out
}

/// Links not to follow: signing out, static files, language switches (the same pages again).
fn skip(href: &str) -> bool {
    href.starts_with("/assets/") || href.starts_with("/logout") || href.contains("lang=") || href.starts_with("/api/v1")
}

/// Signs in; the session cookie and the page the sign-in leads to.
async fn sign_in(app: &axum::Router, username: &str) -> (String, String) {
    let body = format!(
        "username={username}&password={}&next=%2F",
        tiendo_web::forms::url_encode(tiendo::demo::accounts::DEMO_PASSWORD)
    );
    let res = fetch(app, "/login", "", "POST", body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {username}");
    let set = res.set_cookie.unwrap_or_default();
    let cookie = set.split(';').next().unwrap_or_default().to_owned();
    assert!(cookie.contains('='), "no session cookie for {username}");
    (cookie, res.location.unwrap_or_else(|| "/".to_owned()))
}

#[tokio::test]
async fn every_page_a_demo_account_can_reach_answers_without_error() {
    let t = TestDb::new().await;
    let state = tiendo_web::AppState::new(t.db().clone(), tiendo_app::Settings::default());
    tiendo::demo::seed(t.db(), state.files()).await.unwrap();
    let app = tiendo_web::router(state);
    let mut problems = Vec::new();
    let mut total = 0;
    let accounts = [
        "",
        "lanhdao",
        "chuyenvien",
        "phuong.haan",
        "vien.ptv",
        "quantri",
        "minhhan",
        "chuyengia",
        "bientap",
        "kiemduyet",
    ];
    for username in accounts {
        let (cookie, landing) =
            if username.is_empty() { (String::new(), "/".to_owned()) } else { sign_in(&app, username).await };
        let mut seen = BTreeSet::new();
        // From the page the account lands on, then the home page.
        let mut queue: VecDeque<(String, String)> =
            VecDeque::from([(landing, "sign-in".to_owned()), ("/".to_owned(), "start".to_owned())]);
        // Many pages differ only by a record id: visit a bounded number per account.
        while let Some((uri, from)) = queue.pop_front() {
            if seen.len() >= 250 || !seen.insert(uri.clone()) {
                continue;
            }
            let res = fetch(&app, &uri, &cookie, "GET", String::new()).await;
            total += 1;
            let who = if username.is_empty() { "anonymous" } else { username };
            if res.status.is_server_error() {
                problems.push(format!("{who}: {uri} (linked from {from}) answered {}", res.status));
                continue;
            }
            if matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                problems.push(format!("{who}: {uri} (linked from {from}) answered {}", res.status));
                continue;
            }
            if res.status.is_redirection() {
                if let Some(location) = res.location.filter(|l| l.starts_with('/')) {
                    queue.push_back((location, uri.clone()));
                }
                continue;
            }
            if res.content_type.starts_with("text/html") {
                for link in links(&res.body) {
                    if !skip(&link) && !seen.contains(&link) {
                        queue.push_back((link, uri.clone()));
                    }
                }
            }
        }
    }
    assert!(total > 600, "the crawl reached only {total} pages");
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
