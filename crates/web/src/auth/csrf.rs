//! Cross-site request forgery protection for every state-changing request made with the session cookie:
//! the request must come from our own origin (`Sec-Fetch-Site` or `Origin`), and carry the session's
//! synchroniser token (form field `_csrf`, header `X-CSRF-Token`, or query parameter `_csrf`). In a
//! multipart upload the page sends it as the first field, read here without holding the upload: the
//! token stays out of the address bar, where a failed upload shown again would otherwise leave it. Requests authenticated by a bearer token carry no ambient credential and are not
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

/// The boundary of a `multipart/form-data` body.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.starts_with("multipart/form-data") {
        return None;
    }
    ct.split(';').find_map(|p| p.trim().strip_prefix("boundary=")).map(|b| b.trim_matches('"').to_owned())
}

/// The most of a multipart body read to find the token in its first field.
const MULTIPART_PREFIX_LIMIT: usize = 16 * 1024;

/// The value of the first part of a multipart body when that part is the field `_csrf`; `None` while the
/// prefix is too short to tell, `Some(None)` when it is not there.
fn first_part_token(prefix: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    if prefix.len() < opening.len() {
        return None;
    }
    let Some(rest) = prefix.strip_prefix(opening.as_bytes()) else { return Some(None) };
    let head_end = rest.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&rest[..head_end]).to_ascii_lowercase();
    if !head.contains("name=\"_csrf\"") {
        return Some(None);
    }
    let value = &rest[head_end + 4..];
    let closing = format!("\r\n--{boundary}");
    let end = value.windows(closing.len()).position(|w| w == closing.as_bytes())?;
    Some(Some(String::from_utf8_lossy(&value[..end]).trim().to_owned()))
}

/// Reads the start of a multipart body for the token in its first field; gives the body back whole.
async fn multipart_token(body: Body, boundary: &str) -> (Option<String>, Body) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut prefix = Vec::new();
    let mut failed = None;
    let token = loop {
        if let Some(found) = first_part_token(&prefix, boundary) {
            break found;
        }
        if prefix.len() > MULTIPART_PREFIX_LIMIT {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(e)) => {
                failed = Some(e);
                break None;
            }
            None => break None,
        }
    };
    let head = futures_util::stream::iter([match failed {
        Some(e) => Err(e),
        None => Ok(Bytes::from(prefix)),
    }]);
    (token, Body::from_stream(head.chain(stream)))
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
    } else if let (None, Some(boundary)) = (&supplied, multipart_boundary(req.headers())) {
        let (parts, body) = req.into_parts();
        let (token, body) = multipart_token(body, &boundary).await;
        supplied = token;
        Request::from_parts(parts, body)
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

    #[test]
    fn the_token_is_read_from_the_first_part_of_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n";
        assert_eq!(first_part_token(body, "XyZ"), Some(Some("abc123".to_owned())));
        assert_eq!(first_part_token(&body[..20], "XyZ"), None, "too short to tell");
        let other = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n";
        assert_eq!(first_part_token(other, "XyZ"), Some(None));
    }

    #[tokio::test]
    async fn reading_the_token_gives_the_whole_body_back() {
        let body = "--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n--B--\r\n";
        let (token, rest) = multipart_token(Body::from(body), "B").await;
        assert_eq!(token.as_deref(), Some("tok"));
        let bytes = rest.collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], body.as_bytes());
    }
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
