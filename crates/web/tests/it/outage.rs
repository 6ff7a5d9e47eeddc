//! A database outage: liveness, metrics and assets keep answering at once; every request that needs the
//! database fails fast with 503 (problem+json with a code and `Retry-After` on the API, the error page in
//! the visitor's language elsewhere); readiness says 503 within two seconds; and once the database is back,
//! everything works again without a restart. On PostgreSQL the server is cut while two instances carry a
//! stream of writes and reads: each request succeeds or gets a fast 503, every acknowledged write is kept,
//! and both instances recover by themselves.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::Db;
use tiendo_db::testing::TestDb;
use tiendo_web::{AppState, Settings};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tower::ServiceExt;

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

/// What one request of the load got, and how long it took.
struct Outcome {
    status: StatusCode,
    took: Duration,
    /// The organisation it created, when it was a write that was acknowledged.
    created: Option<String>,
}

/// A stream of writes (new organisations) and reads (the list) through one instance, until `stop`.
async fn load(router: axum::Router, instance: usize, token: String, stop: Arc<AtomicBool>) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let name = format!("Đơn vị tải {instance}-{n}");
        let write = n % 2 == 1;
        let request = if write {
            Request::post("/api/v1/organizations")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(serde_json::json!({"name": name, "kind": "other"}).to_string()))
                .unwrap()
        } else {
            get("/api/v1/organizations", &[("authorization", &format!("Bearer {token}"))])
        };
        let started = Instant::now();
        let response = router.clone().oneshot(request).await.expect("the router never fails");
        let took = started.elapsed();
        let status = response.status();
        let _ = response.into_body().collect().await;
        outcomes.push(Outcome { status, took, created: (write && status == StatusCode::CREATED).then_some(name) });
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    outcomes
}

/// Waits until `router` answers the organisation list again.
async fn recovered(router: &axum::Router, token: &str) {
    let started = Instant::now();
    loop {
        let request = get("/api/v1/organizations", &[("authorization", &format!("Bearer {token}"))]);
        let response = router.clone().oneshot(request).await.expect("the router never fails");
        if response.status() == StatusCode::OK {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "no recovery after 15 s: {}", response.status());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn postgresql_stopped_and_started_again_under_load_gives_fast_503s_then_every_instance_recovers() {
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
    // Two instances: each its own pool, as two `tiendo serve` processes on one server.
    let first = Db::connect(&through).await.unwrap();
    let second = Db::connect(&through).await.unwrap();
    let app = TestApp { router: tiendo_web::router(AppState::new(first, Settings::default())), db: test };
    let other = tiendo_web::router(AppState::new(second, Settings::default()));
    let (token, cookie) = credentials(&app).await;
    let list = || get("/api/v1/organizations", &[("authorization", &format!("Bearer {token}"))]);
    assert_eq!(app.send(list()).await.status, StatusCode::OK);

    // Writes and reads run through both instances before, during and after the outage.
    let stop = Arc::new(AtomicBool::new(false));
    let loads: Vec<_> = [app.router.clone(), other.clone()]
        .into_iter()
        .enumerate()
        .map(|(i, router)| tokio::spawn(load(router, i + 1, token.clone(), stop.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;

    proxy.cut().await;
    check_outage(&app, &token, &cookie).await;
    let (ready, _) = timed(&app, get("/readyz", &[])).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);

    proxy.restore().await;
    for router in [&app.router, &other] {
        recovered(router, &token).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for (i, task) in loads.into_iter().enumerate() {
        let outcomes = task.await.unwrap();
        let unavailable = outcomes.iter().filter(|o| o.status == StatusCode::SERVICE_UNAVAILABLE).count();
        for o in &outcomes {
            assert!(
                [StatusCode::OK, StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE].contains(&o.status),
                "instance {}: a request under load got {} (only success or a clean 503)",
                i + 1,
                o.status
            );
            if o.status == StatusCode::SERVICE_UNAVAILABLE {
                assert!(o.took < FAST, "instance {}: a 503 took {:?}", i + 1, o.took);
            }
        }
        let created: Vec<_> = outcomes.into_iter().filter_map(|o| o.created).collect();
        assert!(unavailable > 0, "instance {}: the load never met the outage", i + 1);
        assert!(created.len() >= 2, "instance {}: too few writes acknowledged around the outage", i + 1);
        eprintln!("instance {}: {} acknowledged writes, {unavailable} clean 503s", i + 1, created.len());
        acknowledged.extend(created);
    }
    // Every acknowledged write is there, once.
    for name in &acknowledged {
        let sql = format!("SELECT COUNT(*) FROM organizations WHERE name = '{name}'");
        assert_eq!(app.scalar(&sql).await, 1, "{name} was acknowledged");
    }

    for router in [&app.router, &other] {
        let ready = router.clone().oneshot(get("/readyz", &[])).await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK);
        // The session survives the outage, on either instance (sessions live in the database).
        let page = router.clone().oneshot(get("/organizations", &[("cookie", &cookie)])).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "the session survives the outage");
    }
}
