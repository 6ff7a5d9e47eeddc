//! Cross-site request forgery protection for every state-changing request made with the session cookie:
//! the request must come from our own origin (`Sec-Fetch-Site` or `Origin`), and carry the session's
//! synchroniser token (form field `_csrf`, header `X-CSRF-Token`, or query parameter `_csrf` for
//! multipart uploads). Requests authenticated by a bearer token carry no ambient credential and are not
//! checked. A form that fails the check is shown again with what the user typed, ready to resend.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use super::{Auth, Method as AuthMethod};
use crate::error::AppError;
use crate::forms;
use crate::state::AppState;

/// The largest urlencoded form the check reads (larger forms must send the token in the header).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request comes from a page of this site, by the headers browsers set.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // Browsers too old to send either header: the token still protects.
        None => true,
        Some("null") => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
            origin.split_once("://").is_some_and(|(_, rest)| rest == host)
        }
    }
}

fn query_token(req: &Request) -> Option<String> {
    req.uri().query()?.split('&').find_map(|p| p.strip_prefix("_csrf=")).map(str::to_owned)
}

fn is_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

/// The middleware.
pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    let auth = req.extensions().get::<Auth>().cloned().unwrap_or_default();
    if matches!(auth.method, AuthMethod::Token { .. }) {
        return next.run(req).await;
    }
    let is_page = !req.uri().path().starts_with("/api/");
    if !same_origin(req.headers()) {
        tracing::warn!(path = %crate::middleware::loggable_path(req.uri().path()), "cross-site state-changing request refused");
        return AppError::CsrfFailed.into_response();
    }
    let AuthMethod::Session { csrf_token, .. } = &auth.method else {
        // No session cookie: nothing ambient to forge with.
        return next.run(req).await;
    };
    let mut supplied = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query_token(&req));
    let mut fields = Vec::new();
    let req = if supplied.is_none() && is_urlencoded(req.headers()) {
        let (parts, body) = req.into_parts();
        let bytes: Bytes = match http_body_util::Limited::new(body, FORM_LIMIT).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return AppError::PayloadTooLarge.into_response(),
        };
        fields = forms::parse_urlencoded(&bytes);
        supplied = fields.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.clone());
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    if supplied.as_deref().is_some_and(|s| super::super::health::constant_time_eq(s.as_bytes(), csrf_token.as_bytes()))
    {
        return next.run(req).await;
    }
    tracing::warn!(path = %crate::middleware::loggable_path(req.uri().path()), "missing or wrong CSRF token");
    if is_page && !fields.is_empty() {
        let lang = req.extensions().get::<tiendo_core::lang::Lang>().copied().unwrap_or_default();
        let ctx = crate::layout::Ctx::for_error(state, lang, req.uri().clone(), auth.clone());
        let kept = fields.into_iter().filter(|(k, _)| !forms::is_secret_field(k)).collect();
        return crate::identity::pages::login::resend_form(&ctx, req.uri().path(), kept);
    }
    AppError::CsrfFailed.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn same_origin_trusts_fetch_metadata_then_origin() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h), "no header at all: left to the token");
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("tiendo.example.vn"));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://tiendo.example.vn"));
        assert!(same_origin(&h));
    }
}
