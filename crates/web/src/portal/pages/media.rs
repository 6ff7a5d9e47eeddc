//! Photos, stored by `tiendo_app::portal::media` as the variants made by `tiendo_export::photo` (never the
//! uploaded file), served from `/media/{id}/{variant}.{ext}` to whoever may read the article (anyone once
//! it is published).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::authz::{Action, Resource, authorize};

use crate::error::AppError;
use crate::extract::Path;
use crate::layout::Ctx;

/// `GET /media/{id}/{variant}.{ext}`.
pub async fn serve(ctx: Ctx, Path((id, file)): Path<(i64, String)>) -> Result<Response, AppError> {
    let variant = file.split('.').next().unwrap_or_default();
    let served = tiendo_db::portal::media::variant(ctx.state.db(), id, variant).await?.ok_or(AppError::NotFound)?;
    let public = served.purpose == "badge" || served.article_state.as_deref() == Some("published");
    if !public && !authorize(&ctx.auth.actor, Action::View, &Resource::Article { published: false }).is_allowed() {
        return Err(AppError::NotFound);
    }
    let bytes = ctx.state.files().get(&served.sha256).await.map_err(|_| AppError::NotFound)?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&served.content_type).map_err(AppError::internal)?);
    // A variant never changes (a new upload is a new id); unpublished ones stay private.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public { "public, max-age=31536000, immutable" } else { "private, no-store" }),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    Ok(response)
}
