//! Extractors whose rejections are our errors: a page answers with our error page, the API with
//! problem+json and a stable code, never the framework's `text/plain` "Invalid URL: Cannot parse …".
//! Handlers take these instead of axum's (`clippy.toml` forbids `axum::extract::{Path, Query, Form}` in
//! this crate).

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub use crate::api::extract::{ApiJson as Json, ApiQuery as Query};
use crate::error::AppError;

/// Path parameters. A segment that does not parse as the parameter's type (`/documents/abc`, an id past
/// `i64`) names nothing that exists: 404, like an id that parses but is unknown.
#[derive(Debug, Clone)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = AppError;

    #[expect(clippy::disallowed_types, reason = "the one place that wraps axum's extractor")]
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let extracted = axum::extract::Path::<T>::from_request_parts(parts, state).await;
        match extracted {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_rejection(rejection)),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> AppError {
    match rejection {
        PathRejection::FailedToDeserializePathParams(_) => AppError::NotFound,
        // A route declared without the parameter its handler reads: our mistake, not the caller's.
        other => AppError::internal(std::io::Error::other(other.body_text())),
    }
}

/// A submitted form (`application/x-www-form-urlencoded`). A body that does not parse is 400
/// `invalid_form`; another content type 415; a body past the limit 413.
#[derive(Debug, Clone)]
pub struct Form<T>(pub T);

impl<S, T> FromRequest<S> for Form<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    #[expect(clippy::disallowed_types, reason = "the one place that wraps axum's extractor")]
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let extracted = axum::extract::Form::<T>::from_request(req, state).await;
        match extracted {
            Ok(axum::extract::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(form_rejection(rejection)),
        }
    }
}

fn form_rejection(rejection: FormRejection) -> AppError {
    match rejection {
        FormRejection::InvalidFormContentType(_) => AppError::UnsupportedMediaType,
        FormRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge
        }
        other => AppError::BadRequest { code: "invalid_form", detail: Some(other.body_text()) },
    }
}

/// A `multipart/form-data` body, read field by field. A request that is not multipart (no boundary) is
/// 415, never the framework's `text/plain` 400.
#[derive(Debug)]
#[expect(clippy::disallowed_types, reason = "the one place that wraps axum's extractor")]
pub struct Multipart(axum::extract::Multipart);

impl Multipart {
    /// The next field, or `None` after the last one.
    pub async fn next_field(&mut self) -> Result<Option<Field<'_>>, MultipartError> {
        self.0.next_field().await
    }
}

impl<S> FromRequest<S> for Multipart
where
    S: Send + Sync,
{
    type Rejection = AppError;

    #[expect(clippy::disallowed_types, reason = "the one place that wraps axum's extractor")]
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Multipart::from_request(req, state).await {
            Ok(multipart) => Ok(Multipart(multipart)),
            Err(MultipartRejection::InvalidBoundary(_)) => Err(AppError::UnsupportedMediaType),
            Err(other) => Err(AppError::BadRequest { code: "unreadable_body", detail: Some(other.body_text()) }),
        }
    }
}

/// The error of a multipart body that could not be read: past the size limit it is 413 (the message names
/// the limit), otherwise 400 `unreadable_body`.
pub fn multipart_error(err: &MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest { code: "unreadable_body", detail: Some(err.body_text()) }
    }
}

/// The query-string rejection as our error (for the few handlers that read the query by hand).
pub fn query_rejection(rejection: &QueryRejection) -> AppError {
    AppError::BadRequest { code: "invalid_query", detail: Some(rejection.body_text()) }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;
    use crate::error::ErrorMarker;

    async fn show(Path(id): Path<i64>) -> String {
        id.to_string()
    }

    async fn answer(uri: &str) -> (StatusCode, Option<&'static str>) {
        let app = Router::new().route("/documents/{id}", get(show));
        let res = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        (res.status(), res.extensions().get::<ErrorMarker>().map(|m| m.0.code()))
    }

    #[tokio::test]
    async fn an_id_that_does_not_parse_is_not_found() {
        assert_eq!(answer("/documents/12").await, (StatusCode::OK, None));
        assert_eq!(answer("/documents/abc").await, (StatusCode::NOT_FOUND, Some("not_found")));
        assert_eq!(answer("/documents/99999999999999999999").await, (StatusCode::NOT_FOUND, Some("not_found")));
        assert_eq!(answer("/documents/-").await, (StatusCode::NOT_FOUND, Some("not_found")));
    }
}
