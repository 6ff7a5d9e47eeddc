//! The HTML pages of monitoring.

pub mod assignments;
pub mod dashboards;
pub mod exports;
pub mod legal_documents;
pub mod plans;
pub mod status_colors;
pub mod updates;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;

/// A page rendered with a status.
pub(crate) fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}
