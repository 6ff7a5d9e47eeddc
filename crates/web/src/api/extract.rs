//! Extractors of the API whose rejections are problem+json with stable codes, never a bare 4xx or a 500.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::AppError;

/// A JSON body. Malformed JSON is 400 `malformed_json`; JSON of the wrong shape is 400 `invalid_body`
/// naming the field; a missing or wrong content type is 415; an oversized body is 413.
///
/// A number with a zero fraction (`2.0`, `1e3`) is read as the integer it equals: the OpenAPI document
/// declares integer fields as JSON Schema `integer`, which admits it, so the server must too.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // The router allows photos; a JSON body has its own, smaller limit, read before parsing.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::MAX_JSON_BODY).await.map_err(|err| {
            let over = std::error::Error::source(&err)
                .is_some_and(|e| e.downcast_ref::<http_body_util::LengthLimitError>().is_some());
            if over {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest { code: "unreadable_body", detail: Some(err.to_string()) }
            }
        })?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let mut value = match Json::<Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => return Err(json_rejection(rejection)),
        };
        integral_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value).map(ApiJson).map_err(|err| AppError::BadRequest {
            code: "invalid_body",
            detail: Some(match err.path().to_string().as_str() {
                "." => err.inner().to_string(),
                path => format!("{path}: {}", err.inner()),
            }),
        })
    }
}

/// Rewrites every number with a zero fraction that fits an `i64` as that integer, in place.
fn integral_numbers_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            let Some(f) = n.as_f64() else { return };
            // The range check is on the float: `i64::MAX as f64` rounds up to 2^63, which is excluded.
            if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        JsonRejection::JsonSyntaxError(err) => {
            AppError::BadRequest { code: "malformed_json", detail: Some(err.body_text()) }
        }
        JsonRejection::JsonDataError(err) => {
            AppError::BadRequest { code: "invalid_body", detail: Some(err.body_text()) }
        }
        JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge
        }
        other => AppError::BadRequest { code: "unreadable_body", detail: Some(other.body_text()) },
    }
}

/// Query-string parameters; invalid ones are 400 `invalid_query` naming the parameter.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    #[expect(clippy::disallowed_types, reason = "the one place that wraps axum's extractor")]
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> AppError {
    AppError::BadRequest { code: "invalid_query", detail: Some(rejection.body_text()) }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::extract::DefaultBodyLimit;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use serde::Deserialize;
    use tower::ServiceExt;

    use super::*;
    use crate::error::ErrorMarker;

    #[derive(Deserialize)]
    struct Body1 {
        #[expect(dead_code, reason = "only deserialised")]
        name: String,
    }

    async fn accept(ApiJson(_): ApiJson<Body1>) -> StatusCode {
        StatusCode::NO_CONTENT
    }

    async fn code_of(content_type: Option<&str>, body: Vec<u8>) -> (StatusCode, Option<&'static str>) {
        let app = Router::new().route("/", post(accept)).layer(DefaultBodyLimit::max(64));
        let mut req = Request::post("/");
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = app.oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let code = res.extensions().get::<ErrorMarker>().map(|m| m.0.code());
        (res.status(), code)
    }

    #[tokio::test]
    async fn body_problems_have_stable_codes_and_never_500() {
        assert_eq!(
            code_of(Some("application/json"), br#"{"name":"x"}"#.to_vec()).await,
            (StatusCode::NO_CONTENT, None)
        );
        assert_eq!(
            code_of(Some("application/json"), b"{not json".to_vec()).await,
            (StatusCode::BAD_REQUEST, Some("malformed_json"))
        );
        assert_eq!(
            code_of(Some("application/json"), br#"{"nom":"x"}"#.to_vec()).await,
            (StatusCode::BAD_REQUEST, Some("invalid_body"))
        );
        assert_eq!(
            code_of(Some("text/plain"), br#"{"name":"x"}"#.to_vec()).await,
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_media_type"))
        );
        assert_eq!(
            code_of(None, br#"{"name":"x"}"#.to_vec()).await,
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("unsupported_media_type"))
        );
        let big = format!(r#"{{"name":"{}"}}"#, "x".repeat(100)).into_bytes();
        assert_eq!(
            code_of(Some("application/json"), big).await,
            (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
        );
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Counts {
        total: i64,
        months: Vec<u32>,
        share: Option<f64>,
    }

    fn read(body: &str) -> Result<Counts, String> {
        let mut value: Value = serde_json::from_str(body).unwrap();
        integral_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value).map_err(|e| e.path().to_string())
    }

    #[test]
    fn integers_written_with_a_zero_fraction_are_integers() {
        let counts = read(r#"{"total": 2.0, "months": [1, 12.0, 3e0], "share": 2.0}"#).unwrap();
        assert_eq!(counts, Counts { total: 2, months: vec![1, 12, 3], share: Some(2.0) });
        assert_eq!(read(r#"{"total": 2.5, "months": []}"#).unwrap_err(), "total");
        assert_eq!(read(r#"{"total": 1, "months": [1, 2.5]}"#).unwrap_err(), "months[1]");
        assert_eq!(read(r#"{"total": 1e19, "months": []}"#).unwrap_err(), "total");
        assert_eq!(read(r#"{"total": -9223372036854775808.0, "months": []}"#).unwrap().total, i64::MIN);
        // Every integer up to 2^53 written with a zero fraction is read exactly (serde_json's default float
        // parser read this one, found by schemathesis, as -2251799813685247.2: the workspace enables
        // `float_roundtrip`).
        for total in [-2_251_799_813_685_247_i64, 9_007_199_254_740_993 / 2, (1 << 53) - 1] {
            assert_eq!(read(&format!(r#"{{"total": {total}.0, "months": []}}"#)).unwrap().total, total);
        }
    }
}
