//! What keeps the public pages cheap: rendered pages for anonymous visitors kept in memory by language and
//! address, with ETags; the portal's settings and footer kept too. Everything is dropped when the stamp
//! of public content changes (every `tiendo_app::portal` use case that changes a public page moves it in
//! its transaction): at once in the instance that made the change, which reads the stamp again after any
//! request that may have written (`middleware::refresh_portal`), and within a second in the others (and after a scheduled publication
//! by the job runner), which read the stamp from the database at most once a second.
//!
//! Signed-in users never get a cached page: their pages are rendered for them, marked `private`, and every
//! portal response carries `Vary: Cookie`, so that no shared cache hands one visitor's page to another.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::portal::PortalSettings;

/// A rendered page.
#[derive(Debug, Clone)]
pub struct CachedPage {
    /// The body.
    pub body: axum::body::Bytes,
    /// The content type.
    pub content_type: &'static str,
    /// The weak ETag of the body.
    pub etag: String,
}

/// How many pages are kept at most (addresses beyond that are rendered every time).
const MAX_PAGES: usize = 2000;

/// How often the database stamp is read.
const STAMP_EVERY: Duration = Duration::from_secs(1);

/// The portal's shared state.
#[derive(Debug, Default)]
pub struct PortalState {
    pages: RwLock<HashMap<String, CachedPage>>,
    settings: RwLock<Arc<PortalSettings>>,
    /// The stamp last read and when.
    checked: Mutex<Option<(Instant, String)>>,
}

/// The weak ETag of a body.
pub fn etag_of(body: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body);
    format!("W/\"{}\"", digest[..10].iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl PortalState {
    /// A cached page.
    pub fn page(&self, key: &str) -> Option<CachedPage> {
        self.pages.read().ok()?.get(key).cloned()
    }

    /// Keeps a page.
    pub fn keep(&self, key: String, page: CachedPage) {
        if let Ok(mut pages) = self.pages.write() {
            // Old time slots and rare addresses pile up: start afresh rather than refuse new pages.
            if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
                pages.clear();
            }
            pages.insert(key, page);
        }
    }

    /// Reads the stamp again at the next request (this instance may have changed public content): the
    /// pages are dropped and the settings reloaded if it moved.
    pub fn recheck(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = None;
        }
    }

    /// The portal's settings as last read.
    pub fn settings(&self) -> Arc<PortalSettings> {
        self.settings.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn set_settings(&self, settings: PortalSettings) {
        if let Ok(mut s) = self.settings.write() {
            *s = Arc::new(settings);
        }
    }

    /// Reads the stamp when it was not read within the last second; on a change (or the first time),
    /// drops the pages and reloads the settings.
    pub async fn refresh(&self, db: &tiendo_db::Db) {
        let last = self.checked.lock().ok().and_then(|c| c.clone());
        if last.as_ref().is_some_and(|(at, _)| at.elapsed() < STAMP_EVERY) {
            return;
        }
        let Ok(stamp) = tiendo_db::portal::stamp(db).await else { return };
        if last.as_ref().is_some_and(|(_, s)| *s == stamp) {
            if let Ok(mut checked) = self.checked.lock() {
                *checked = Some((Instant::now(), stamp));
            }
            return;
        }
        match tiendo_db::portal::settings(db).await {
            Ok(settings) => self.set_settings(settings),
            Err(err) => {
                tracing::warn!(error = %err, "cannot read the portal settings");
                return;
            }
        }
        if let Ok(mut pages) = self.pages.write() {
            pages.clear();
        }
        if let Ok(mut checked) = self.checked.lock() {
            *checked = Some((Instant::now(), stamp));
        }
    }
}

/// Whether the request's `If-None-Match` names this ETag.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// The response for a page: 304 when the client has it, else the body; with the caching headers for
/// the public (`public`, revalidated each time) or a signed-in user (`private`).
pub fn respond(headers: &HeaderMap, page: &CachedPage, public: bool) -> Response {
    let cache_control = if public { "public, max-age=0, must-revalidate" } else { "private, no-cache" };
    let mut response = if not_modified(headers, &page.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(page.body.clone()));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(page.content_type));
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    h.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&page.etag) {
        h.insert(header::ETAG, v);
    }
    response
}
