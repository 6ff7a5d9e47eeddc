use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::identity;
use tiendo_db::testing::TestDb;
use tiendo_web::{AppState, Settings};
use tower::ServiceExt;

/// The application over a fresh database.
pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
}

/// A response with its body read.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for files).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_settings(Settings::default()).await
    }

    pub async fn with_settings(site: Settings) -> TestApp {
        let db = TestDb::new().await;
        let router = tiendo_web::router(AppState::new(db.db().clone(), site));
        TestApp { db, router }
    }

    /// An application whose files go to `files` (a store that refuses them, say).
    pub async fn with_files(files: tiendo_db::files::FileStore) -> TestApp {
        let db = TestDb::new().await;
        let router = tiendo_web::router(AppState::with_files(db.db().clone(), Settings::default(), files));
        TestApp { db, router }
    }

    /// Sends a request; fails the test when the answer showed a translation key without a message.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let uri = request.uri().clone();
        tiendo_app::i18n::take_missing();
        let response = self.router.clone().oneshot(request).await.expect("the router never fails");
        let missing = tiendo_app::i18n::take_missing();
        assert!(missing.is_empty(), "{uri} showed translation keys without a message: {missing:?}");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("read body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    /// One number from the database (a count, say).
    pub async fn scalar(&self, sql: &str) -> i64 {
        use tiendo_db::Exec;
        let (v,): (i64,) = self.db.db().fetch_one(tiendo_db::Query::new(sql.to_owned())).await.unwrap();
        v
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::get(uri);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    pub async fn request(&self, method: Method, uri: &str, content_type: Option<&str>, body: Vec<u8>) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }
}

/// The password of every account the tests create.
pub const PASSWORD: &str = tiendo_db::testing::fixtures::PASSWORD;

/// A signed-in browser: the session cookie and the CSRF token of its forms.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    pub fn state(&self) -> AppState {
        AppState::new(self.db.db().clone(), Settings::default())
    }

    /// An organisation, optionally under another.
    pub async fn org(&self, name: &str, parent: Option<i64>) -> i64 {
        let builder = self.db.fixtures().organization(name);
        match parent {
            Some(parent) => builder.parent(parent).create().await,
            None => builder.create().await,
        }
    }

    /// An account with the test password and the given grants.
    pub async fn user(&self, username: &str, org: Option<i64>, grants: &[(Role, Scope)]) -> i64 {
        let mut builder = self.db.fixtures().account(username);
        if let Some(org) = org {
            builder = builder.organization(org);
        }
        for (role, scope) in grants {
            builder = builder.role(*role, *scope);
        }
        builder.create().await
    }

    /// Signs in through the login form and returns the browser.
    pub async fn sign_in(&self, username: &str) -> Browser<'_> {
        self.sign_in_with(username, PASSWORD).await
    }

    /// Signs in with this password through the login form and returns the browser.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> Browser<'_> {
        let body = format!("username={username}&password={}&next=%2F", tiendo_web::forms::url_encode(password));
        let res = self
            .send(
                Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {username} failed: {}", res.body);
        let set_cookie = res.header("set-cookie").to_owned();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let value = cookie.split_once('=').unwrap().1;
        let session = identity::session(self.db.db(), &tiendo_app::secret::digest(value)).await.unwrap().unwrap();
        Browser { app: self, cookie, csrf: session.csrf_token }
    }
}

impl Browser<'_> {
    pub async fn get(&self, uri: &str) -> TestResponse {
        self.app.get_with(uri, &[("cookie", &self.cookie)]).await
    }

    /// A form POST with the session's CSRF token, as the browser sends it.
    pub async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(uri, &all).await
    }

    /// A multipart form POST (fields, then files as (field, file name, bytes)) with the CSRF token as its
    /// first field, as the upload forms send it (never in the address).
    pub async fn post_multipart(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let (content_type, body) = multipart(&all, files);
        self.app
            .send(
                Request::post(uri)
                    .header("cookie", &self.cookie)
                    .header("content-type", content_type)
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
    }

    /// A form POST with exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: Vec<String> =
            fields.iter().map(|(k, v)| format!("{k}={}", tiendo_web::forms::url_encode(v))).collect();
        self.app
            .send(
                Request::post(uri)
                    .header("cookie", &self.cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body.join("&")))
                    .unwrap(),
            )
            .await
    }
}

/// A multipart/form-data body of these fields and files: (content type, body).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----tiendo-test-boundary-7f3a";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The log lines written while `run` runs on this thread.
pub async fn logs_of<F: std::future::Future<Output = ()>>(run: F) -> String {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    run.await;
    drop(guard);
    String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
}
