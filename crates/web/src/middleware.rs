//! Cross-cutting request handling: language, security headers, metrics and error rendering.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tiendo_core::lang::Lang;

use crate::cookies::{self, CookieSpec};
use crate::error::{AppError, ErrorMarker};
use crate::state::AppState;
use crate::{errors_render, layout};

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Lang::from_tag)
}

/// Picks the request's language and stores it in the request extensions.
///
/// Pages: `?lang=` (remembered in a cookie for a year), then the cookie, then Vietnamese. The API also
/// honours `Accept-Language`, since API clients cannot keep a cookie.
pub async fn language(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let from_query = query_lang(req.uri().query());
    let is_api = req.uri().path().starts_with("/api/v1");
    let lang = from_query
        .or_else(|| cookies::get(req.headers(), LANG_COOKIE).and_then(Lang::from_tag))
        .or_else(|| {
            if is_api {
                req.headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            } else {
                None
            }
        })
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    let mut response = next.run(req).await;
    if let Some(chosen) = from_query
        && !is_api
    {
        let spec = CookieSpec { max_age_secs: Some(365 * 24 * 3600), http_only: true, secure: state.site().is_https() };
        if let Ok(value) = HeaderValue::from_str(&cookies::set(LANG_COOKIE, chosen.tag(), spec)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    response
}

/// Whether a path is served without the database: liveness, readiness (which asks the database itself,
/// with its own time limit), metrics and the embedded assets. Authentication and the portal's cache
/// check are skipped for them, so that they answer at once while the database is down.
pub fn is_operational(path: &str) -> bool {
    path.starts_with("/assets/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Path segments whose next segment is a secret (a one-time password link).
const SECRET_AFTER: &[&str] = &["reset-password"];

/// The path as the logs show it: a secret carried in the path (the one-time password link) is replaced by
/// `[redacted]`, so that reading the logs gives no one a way in. Query strings are never logged.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let segments: Vec<&str> = path.split('/').collect();
    if !segments.iter().any(|s| SECRET_AFTER.contains(s)) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = Vec::with_capacity(segments.len());
    let mut secret_next = false;
    for segment in segments {
        out.push(if secret_next && !segment.is_empty() { "[redacted]" } else { segment });
        secret_next = SECRET_AFTER.contains(&segment);
    }
    std::borrow::Cow::Owned(out.join("/"))
}

/// How long a request waits for the portal's stamp before going on with the cache as it is.
const PORTAL_STAMP_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Keeps the portal's caches fresh (one database read a second at most), except on operational paths;
/// a database that does not answer delays a request by at most [`PORTAL_STAMP_WAIT`] here. After a request
/// that may have written (any method but `GET` and `HEAD`), the stamp is read again at the next request: a
/// use case that changed public content moved it in its transaction, so this instance drops its pages at
/// once, whichever page or API call made the change.
pub async fn refresh_portal(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_operational(req.uri().path()) {
        return next.run(req).await;
    }
    let _ = tokio::time::timeout(PORTAL_STAMP_WAIT, state.portal().refresh(state.db())).await;
    let may_write = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    let response = next.run(req).await;
    if may_write {
        state.portal().recheck();
    }
    response
}

/// The Content-Security-Policy of every response: only our own scripts, styles, images and fonts; no
/// inline script; no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 7] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ];
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if state.site().is_https() {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// Counts requests and measures their latency by route (the route pattern, never the raw path, so that
/// label values stay bounded) and status.
pub async fn record_metrics(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = response.status().as_u16().to_string();
    let labels = [("method", method.as_str().to_owned()), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// Renders errors: an [`AppError`] left by a handler, and the bare 404/405 of the router, become
/// problem+json under `/api/` and a friendly page elsewhere.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let auth = req.extensions().get::<crate::auth::Auth>().cloned().unwrap_or_default();
    let uri = req.uri().clone();
    let is_head = req.method() == Method::HEAD;
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(req).await;
    let marker = response.extensions().get::<ErrorMarker>().cloned();
    let error = match marker {
        Some(ErrorMarker(err)) => err,
        None => {
            let bare = response.headers().get(header::CONTENT_TYPE).is_none();
            match response.status() {
                StatusCode::NOT_FOUND if bare => std::sync::Arc::new(AppError::NotFound),
                StatusCode::METHOD_NOT_ALLOWED if bare => std::sync::Arc::new(AppError::MethodNotAllowed),
                _ => return response,
            }
        }
    };
    let mut rendered = if uri.path().starts_with("/api/") || uri.path() == "/metrics" {
        errors_render::problem_response(&error, lang, &uri, request_id)
    } else {
        let ctx = layout::Ctx::for_error(state, lang, uri, auth);
        errors_render::page_response(&error, &ctx, request_id)
    };
    // Keep the headers the handler or the router set (Allow, Retry-After, Set-Cookie).
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().append(name.clone(), value.clone());
        }
    }
    if is_head {
        *rendered.body_mut() = Body::empty();
    }
    rendered.into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_in_paths_are_redacted_for_the_logs() {
        let token = "a".repeat(64);
        assert_eq!(super::loggable_path(&format!("/reset-password/{token}")), "/reset-password/[redacted]");
        assert_eq!(super::loggable_path("/reset-password/"), "/reset-password/");
        assert_eq!(super::loggable_path("/organizations/12"), "/organizations/12");
    }
}
