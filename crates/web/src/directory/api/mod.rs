//! The directory's JSON API: `/api/v1/organizations`, `/api/v1/people`, `/api/v1/affiliations`.

pub mod organizations;
pub mod people;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::authz::Action;

use crate::error::AppError;
use crate::layout::Ctx;

/// A 201 with the new record and its address.
fn created(location: String, body: impl Serialize) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A date as a draft field holds it (ISO, or empty).
fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Reading the directory needs a signed-in user (401 for the public).
fn require_reader(ctx: &Ctx) -> Result<(), AppError> {
    Ok(tiendo_app::directory::require(ctx.auth.session(), Action::View, &[])?)
}
