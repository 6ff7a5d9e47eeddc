//! Every page of the demo, as each demo account sees it, in Vietnamese and in English: starting from the
//! page the account lands on, every same-site link is followed (up to a bound) and must answer without a
//! server error, and a link the page shows must not lead to a refusal or a missing page. This catches the
//! page nobody thought to test. The same crawl reads the visible text of every page (see `visible_text`).

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tiendo_db::testing::TestDb;
use tower::ServiceExt;

use crate::visible_text;

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

/// Who crawls, in both crawls: the public (an empty name) and every demo account, the editor's, the
/// moderator's, the expert's and the administration's pages included.
const ACCOUNTS: [&str; 10] =
    ["", "lanhdao", "chuyenvien", "phuong.haan", "vien.ptv", "quantri", "minhhan", "chuyengia", "bientap", "kiemduyet"];

/// How many pages of one kind (the same path but for record ids, see [`page_kind`]) one crawl reads: the
/// bound goes to kinds of pages rather than to the hundredth report of the same form.
const PER_KIND: usize = 8;

/// Crawls the demo as `username` (empty: the public) with the extra cookie `extra` (a language), from the
/// page the account lands on and then the home page, following every same-site link up to a bound; calls
/// `visit` with every answer.
async fn crawl(app: &axum::Router, username: &str, extra: &str, mut visit: impl FnMut(&str, &str, &Fetched)) {
    let (session, landing) =
        if username.is_empty() { (String::new(), "/".to_owned()) } else { sign_in(app, username).await };
    let cookie = [session.as_str(), extra].iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join("; ");
    let mut seen = BTreeSet::new();
    let mut kinds: std::collections::HashMap<String, usize> = Default::default();
    let mut queue: VecDeque<(String, String)> =
        VecDeque::from([(landing, "sign-in".to_owned()), ("/".to_owned(), "start".to_owned())]);
    while let Some((uri, from)) = queue.pop_front() {
        if seen.len() >= 250 || seen.contains(&uri) {
            continue;
        }
        let read = kinds.entry(page_kind(&uri)).or_default();
        if *read >= PER_KIND {
            continue;
        }
        *read += 1;
        seen.insert(uri.clone());
        let res = fetch(app, &uri, &cookie, "GET", String::new()).await;
        visit(&uri, &from, &res);
        if res.status.is_redirection() {
            if let Some(location) = res.location.filter(|l| l.starts_with('/')) {
                queue.push_back((location, uri.clone()));
            }
            continue;
        }
        let refused = matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
        if !res.status.is_server_error() && !refused && res.content_type.starts_with("text/html") {
            for link in links(&res.body) {
                if !skip(&link) && !seen.contains(&link) {
                    queue.push_back((link, uri.clone()));
                }
            }
        }
    }
}

async fn demo_app() -> (TestDb, axum::Router) {
    let t = crate::demo_db().await;
    let state = tiendo_web::AppState::with_files(t.db().clone(), tiendo_app::Settings::default(), crate::demo_files());
    (t, tiendo_web::router(state))
}

/// The path with every number replaced by `N` (`/reports/27/edit` → `/reports/N/edit`), to report a
/// defect once per kind of page.
fn page_kind(uri: &str) -> String {
    let path = uri.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|s| if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) { "N" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every page, as the public and every demo account, in Vietnamese and in English: it answers without a
/// server error, a refusal or a missing page; no visible interface text looks like an internal identifier,
/// and no English page shows Vietnamese outside user content (marked `lang="vi"` or `data-user-content`,
/// see CONTRIBUTING.md). Every page's data is marked: no kind of page is excused.
#[tokio::test]
async fn every_page_answers_and_shows_no_internal_name_or_the_other_language() {
    let (_t, app) = demo_app().await;
    let mut problems = BTreeSet::new();
    // (language, kind of page, what) -> (first page, who)
    let mut found: std::collections::BTreeMap<(String, String, String), (String, String)> = Default::default();
    for lang in ["vi", "en"] {
        let (mut pages, mut kinds) = (0, BTreeSet::new());
        for username in ACCOUNTS {
            let who = if username.is_empty() { "anonymous" } else { username };
            crawl(&app, username, &format!("lang={lang}"), |uri, from, res| {
                if res.status.is_server_error() || matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                    problems.insert(format!("{who}: {uri} (linked from {from}) answered {}", res.status));
                }
                if !res.content_type.starts_with("text/html") {
                    return;
                }
                pages += 1;
                let kind = page_kind(uri);
                kinds.insert(kind.clone());
                for piece in visible_text::visible_text(&res.body) {
                    let mut report = |what: String| {
                        found
                            .entry((lang.to_owned(), kind.clone(), what))
                            .or_insert_with(|| (uri.to_owned(), who.to_owned()));
                    };
                    if let Some(what) = visible_text::identifier_in(&piece) {
                        report(what);
                    }
                    if lang == "en" && visible_text::is_vietnamese(&piece) {
                        report(format!("Vietnamese: {}", piece.text));
                    }
                }
            })
            .await;
        }
        eprintln!("crawl in {lang}: {pages} pages of {} kinds", kinds.len());
        assert!(pages > 600, "the crawl in {lang} read only {pages} pages");
        assert!(kinds.len() > 80, "the crawl in {lang} reached only {} kinds of pages", kinds.len());
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    let lines: Vec<String> =
        found.iter().map(|((lang, _, what), (uri, who))| format!("[{lang}] {uri} ({who}): {what}")).collect();
    assert!(lines.is_empty(), "{} defect(s) in visible text:\n{}", lines.len(), lines.join("\n"));
}
