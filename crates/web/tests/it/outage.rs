//! A database outage: liveness, metrics and assets keep answering at once; every request that needs the
//! database fails fast with 503 (problem+json with a code and `Retry-After` on the API, the error page in
//! the visitor's language elsewhere); readiness says 503 within two seconds; and once the database is back,
//! everything works again without a restart.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::Db;
use tiendo_db::testing::TestDb;
use tiendo_web::{AppState, Settings};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::harness::{TestApp, TestResponse};

/// How long a request may take while the database is down (the pool's acquire timeout is two seconds).
const FAST: Duration = Duration::from_millis(2_800);

async fn timed(app: &TestApp, request: Request<Body>) -> (TestResponse, Duration) {
    let started = Instant::now();
    let response = app.send(request).await;
    (response, started.elapsed())
}

fn get(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get(uri);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    builder.body(Body::empty()).unwrap()
}

/// What must hold while the database does not answer. `token` is a personal API token of an account
/// and `cookie` a signed-in session, both made while the database was up.
async fn check_outage(app: &TestApp, token: &str, cookie: &str) {
    for uri in ["/healthz", "/metrics"] {
        let (res, took) = timed(app, get(uri, &[("cookie", cookie)])).await;
        assert_eq!(res.status, StatusCode::OK, "{uri} while the database is down: {}", res.body);
        assert!(took < Duration::from_millis(500), "{uri} took {took:?} while the database is down");
    }

    let (ready, took) = timed(app, get("/readyz", &[])).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
    assert!(took < FAST, "/readyz took {took:?}");

    // A page for a signed-in visitor: the error page, in Vietnamese, with the stylesheet it links.
    let (page, took) = timed(app, get("/organizations", &[("cookie", cookie)])).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(took < FAST, "a page took {took:?}");
    assert!(page.header("content-type").starts_with("text/html"), "{}", page.header("content-type"));
    assert!(page.body.contains("lang=\"vi\""), "{}", page.body);
    assert_eq!(page.header("retry-after"), "5");
    let css = page
        .body
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap_or_default())
        .find(|h| h.ends_with(".css") && h.starts_with("/assets/"))
        .expect("the error page links the stylesheet")
        .to_owned();
    let (asset, took) = timed(app, get(&css, &[("cookie", cookie)])).await;
    assert_eq!(asset.status, StatusCode::OK, "{css}");
    assert!(took < Duration::from_millis(500), "{css} took {took:?}");

    // In English too.
    let (page, _) = timed(app, get("/organizations?lang=en", &[("cookie", cookie)])).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains("lang=\"en\""), "{}", page.body);

    // The API, read and write: problem+json with a stable code and Retry-After.
    for method in [Method::GET, Method::POST] {
        let mut builder = Request::builder()
            .method(method.clone())
            .uri("/api/v1/organizations")
            .header("authorization", format!("Bearer {token}"));
        let body = if method == Method::POST {
            builder = builder.header("content-type", "application/json");
            Body::from(r#"{"name":"Trung tâm mới","kind":"other"}"#)
        } else {
            Body::empty()
        };
        let (res, took) = timed(app, builder.body(body).unwrap()).await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{method} {}", res.body);
        assert!(took < FAST, "{method} /api/v1/organizations took {took:?}");
        assert_eq!(res.header("content-type"), "application/problem+json");
        assert_eq!(res.json()["code"], "service_unavailable");
        assert_eq!(res.header("retry-after"), "5");
    }

    // Signing in.
    let (res, took) = timed(
        app,
        Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from("username=ai&password=khong-biet-2026"))
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert!(took < FAST, "POST /login took {took:?}");
}

/// An account with a token and a signed-in session, made while the database is up.
async fn credentials(app: &TestApp) -> (String, String) {
    let token = app.token("canbo", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let browser = app.sign_in("canbo").await;
    let cookie = browser.cookie.clone();
    (token, cookie)
}

#[tokio::test]
async fn with_the_database_closed_only_what_needs_it_fails_and_it_fails_fast_with_503() {
    let test = TestDb::new().await;
    let handle = Db::connect(&test.url()).await.unwrap();
    let app = TestApp { router: tiendo_web::router(AppState::new(handle.clone(), Settings::default())), db: test };
    let (token, cookie) = credentials(&app).await;
    handle.close().await;
    check_outage(&app, &token, &cookie).await;
}

/// A TCP proxy in front of PostgreSQL that the test can cut and restore, as a server that stops and
/// starts again would.
struct Proxy {
    port: u16,
    upstream: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut proxy = Proxy { port, upstream, tasks: Vec::new() };
        proxy.serve(listener);
        proxy
    }

    fn serve(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let connections = std::sync::Arc::new(std::sync::Mutex::new(Vec::<JoinHandle<()>>::new()));
        let held = std::sync::Arc::clone(&connections);
        let accept = tokio::spawn(async move {
            let _guard = AbortOnDrop(held);
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                if let Ok(mut list) = connections.lock() {
                    list.push(task);
                }
            }
        });
        self.tasks.push(accept);
    }

    /// Cuts every connection and stops listening: new connections are refused.
    async fn cut(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
    }

    /// Listens again on the same port.
    async fn restore(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

/// Aborts the proxied connections when the accepting task ends.
struct AbortOnDrop(std::sync::Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Ok(list) = self.0.lock() {
            for task in list.iter() {
                task.abort();
            }
        }
    }
}

#[tokio::test]
async fn postgresql_stopped_and_started_again_gives_fast_503s_then_recovery_without_restart() {
    let test = TestDb::new().await;
    let url = test.url();
    if !url.starts_with("postgres") {
        eprintln!("PostgreSQL only (TEST_DATABASE_URL names the server); SQLite has no server to stop");
        return;
    }
    // postgres://user:pass@host:port/db → the same through the proxy.
    let (head, rest) = url.split_once('@').unwrap();
    let (host_port, database) = rest.split_once('/').unwrap();
    let mut proxy = Proxy::start(host_port.to_owned()).await;
    let through = format!("{head}@127.0.0.1:{}/{database}", proxy.port);
    let handle = Db::connect(&through).await.unwrap();
    let app = TestApp { router: tiendo_web::router(AppState::new(handle, Settings::default())), db: test };
    let (token, cookie) = credentials(&app).await;
    let list = || get("/api/v1/organizations", &[("authorization", &format!("Bearer {token}"))]);
    assert_eq!(app.send(list()).await.status, StatusCode::OK);

    proxy.cut().await;
    check_outage(&app, &token, &cookie).await;

    proxy.restore().await;
    let started = Instant::now();
    loop {
        let res = app.send(list()).await;
        if res.status == StatusCode::OK {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "no recovery after 15 s: {} {}", res.status, res.body);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.send(get("/readyz", &[])).await.status, StatusCode::OK);
    let page = app.send(get("/organizations", &[("cookie", &cookie)])).await;
    assert_eq!(page.status, StatusCode::OK, "the session survives the outage: {}", page.body);
}
