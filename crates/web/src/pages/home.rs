//! The home page: the public portal's front page (featured and latest news).

use axum::http::HeaderMap;
use axum::response::Response;

use crate::error::AppError;
use crate::layout::Ctx;

/// `GET /`: the home page.
pub async fn show(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    crate::portal::public::home(ctx, headers).await
}
