//! The one error type of the web edge, and its two renderings: `application/problem+json` for the API,
//! a friendly page for people.
//!
//! Handlers return `Result<_, AppError>`. [`AppError`] only records what went wrong (a stable code, an
//! HTTP status, field errors); the `render_errors` middleware then renders it in the request's language,
//! as problem+json under `/api/` and as an HTML page elsewhere. Internal errors are logged with their
//! whole cause chain and shown as a generic message.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub use tiendo_app::FieldError;

/// What went wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing at this address (or the caller may not know it exists).
    #[error("not found")]
    NotFound,
    /// A named resource was not found: the message names it (`code` `unknown_admin_unit`, `value` the code).
    #[error("{code} not found: {value}")]
    NotFoundNamed {
        /// Stable error code.
        code: &'static str,
        /// The identifier that was looked up.
        value: String,
    },
    /// The caller must sign in.
    #[error("authentication required")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The request is malformed in a way that has a stable code (`malformed_json`, `invalid_query`, …).
    #[error("bad request: {code}")]
    BadRequest {
        /// Stable error code.
        code: &'static str,
        /// A technical detail safe to show (the parser's message).
        detail: Option<String>,
    },
    /// The input is well-formed but invalid; each field at fault is named.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request conflicts with the current state (a duplicate, a stale edit).
    #[error("conflict: {code}")]
    Conflict {
        /// Stable error code.
        code: &'static str,
    },
    /// A conflict whose message says what happened (who decided first, and when); `args` are the
    /// arguments of the message `error-<code>.detail`.
    #[error("conflict: {code}")]
    ConflictWith {
        /// Stable error code.
        code: &'static str,
        /// The message arguments, already formatted for the request's language.
        args: Vec<(&'static str, String)>,
    },
    /// Forbidden, with a specific code (`scope_outside`, …).
    #[error("forbidden: {code}")]
    ForbiddenCode {
        /// Stable error code.
        code: &'static str,
    },
    /// A state-changing request without a valid CSRF token or from another site.
    #[error("CSRF check failed")]
    CsrfFailed,
    /// The method is not allowed on this resource.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge,
    /// A part of the body (a photo, a file) is larger than its own limit, named by the field's message.
    #[error("a part of the request is too large")]
    TooLarge(Vec<FieldError>),
    /// The body has a content type the endpoint does not accept.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Too many attempts; retry after the given number of seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until the caller may retry.
        retry_after_secs: u64,
    },
    /// An official document could not be produced. `code` says why (`pdf_font_missing`,
    /// `document_content`, ...) and `detail` is the export engine's message, which names what is wrong
    /// (the font and where it was looked for, the table row, the image).
    #[error("document not produced ({code}): {detail}")]
    Document {
        /// The HTTP status: 503 for what the operator must fix (a missing font), 422 for the content.
        status: StatusCode,
        /// Stable error code.
        code: &'static str,
        /// The export engine's message.
        detail: String,
    },
    /// The database or another dependency is unavailable.
    #[error("service unavailable")]
    Unavailable,
    /// One part of the service is unavailable for a while (`search_rebuilding`); the rest works.
    #[error("unavailable: {code}")]
    UnavailablePart {
        /// Stable error code.
        code: &'static str,
    },
    /// Anything unexpected. Logged in full, shown as a generic message.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// Wraps any error as an internal error.
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
        AppError::Internal(Box::new(err))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::NotFoundNamed { .. } => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenCode { .. } | AppError::CsrfFailed => StatusCode::FORBIDDEN,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } | AppError::ConflictWith { .. } => StatusCode::CONFLICT,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge | AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::UnavailablePart { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Document { status, .. } => *status,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable snake_case code clients can rely on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::NotFoundNamed { code, .. } => code,
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::ForbiddenCode { code } => code,
            AppError::CsrfFailed => "csrf_failed",
            AppError::BadRequest { code, .. } => code,
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict { code } | AppError::ConflictWith { code, .. } => code,
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::PayloadTooLarge | AppError::TooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable => "service_unavailable",
            AppError::UnavailablePart { code } => code,
            AppError::Document { code, .. } => code,
            AppError::Internal(_) => "internal_error",
        }
    }
}

impl From<tiendo_db::DbError> for AppError {
    fn from(err: tiendo_db::DbError) -> Self {
        match err {
            tiendo_db::DbError::NotFound => AppError::NotFound,
            tiendo_db::DbError::Connect(_) | tiendo_db::DbError::Unavailable(_) => {
                tracing::warn!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::internal(other),
        }
    }
}

/// The outcomes of the application layer, mapped to HTTP in this one place.
/// The field error codes of a part of a request over its size limit.
const TOO_LARGE_CODES: [&str; 2] = ["image_too_large", "file_too_large"];

impl From<tiendo_app::Error> for AppError {
    fn from(err: tiendo_app::Error) -> Self {
        use tiendo_app::Error as E;
        match err {
            E::NotFound => AppError::NotFound,
            E::NotFoundNamed { code, value } => AppError::NotFoundNamed { code, value },
            E::Unauthorized => AppError::Unauthorized,
            E::Forbidden { code: "forbidden" } => AppError::Forbidden,
            E::Forbidden { code } => AppError::ForbiddenCode { code },
            // A photo or file over its own limit is 413, its message naming the limit; other problems 422.
            E::Invalid(errors)
                if !errors.is_empty() && errors.iter().all(|e| TOO_LARGE_CODES.contains(&e.code.as_str())) =>
            {
                AppError::TooLarge(errors)
            }
            E::Invalid(errors) => AppError::Validation(errors),
            E::Conflict { code, args } if args.is_empty() => AppError::Conflict { code },
            E::Conflict { code, args } => AppError::ConflictWith { code, args },
            E::Stale => AppError::Conflict { code: "stale_version" },
            E::TooManyAttempts { retry_after_secs } => AppError::TooManyRequests { retry_after_secs },
            E::Unavailable { code } => AppError::UnavailablePart { code },
            E::Export(err) => crate::documents::export_error(err),
            E::Storage(err) => err.into(),
            E::Internal(err) => AppError::Internal(err),
        }
    }
}

/// Export failures, as `documents::export_error` classifies them (a missing font for PDF is the operator's
/// matter, 503; content that does not fit is 422; anything else a bug).
impl From<tiendo_export::ExportError> for AppError {
    fn from(err: tiendo_export::ExportError) -> Self {
        crate::documents::export_error(err)
    }
}

/// What `Retry-After` says while the database is unavailable: a few seconds, as an outage that lasts
/// longer is the operator's to fix and clients should not hammer the server meanwhile.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// The error carried from a handler to the rendering middleware in the response's extensions.
#[derive(Debug, Clone)]
pub(crate) struct ErrorMarker(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(err) = &self {
            let mut chain = err.to_string();
            let mut source = err.source();
            while let Some(cause) = source {
                chain.push_str(": ");
                chain.push_str(&cause.to_string());
                source = cause.source();
            }
            tracing::error!(error = %chain, "internal error");
        }
        let mut response = status.into_response();
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable | AppError::UnavailablePart { .. } => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after
            && let Ok(value) = secs.to_string().parse()
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        response
    }
}

/// The body of an error response of the API (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference to the documentation of this problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary in the request's language.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The stable snake_case error code.
    pub code: String,
    /// What went wrong and how to fix it, in the request's language.
    pub detail: String,
    /// For validation problems: each field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The request path.
    pub instance: String,
    /// The request id, to quote when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One field at fault in a [`Problem`].
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's name as sent.
    pub field: String,
    /// A stable snake_case code.
    pub code: String,
    /// The message in the request's language.
    pub detail: String,
    /// The values the message is built from, for clients that write their own: `max` for `too_long`;
    /// `part` for the `symbol_*` codes of a document symbol; `link` for `link_format`; `name`, `line` and
    /// possibly `suggestion` for `unknown_field` in a template.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}
