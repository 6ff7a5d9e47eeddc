//! Photos: stored as the variants made by `tiendo_export::photo` (never the uploaded file), served from
//! `/media/{id}/{variant}.{ext}` to whoever may read the article (anyone once it is published).

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_export::photo::{self, PhotoError};

use crate::error::{AppError, FieldError};
use crate::layout::Ctx;
use crate::state::AppState;

/// A processed image stored: its media id.
pub async fn store(
    state: &AppState,
    ex: &impl tiendo_db::Exec,
    processed: &photo::Processed,
    new: tiendo_db::portal::media::NewMedia<'_>,
) -> Result<i64, AppError> {
    let id = tiendo_db::portal::media::create(ex, &new).await?;
    for v in &processed.variants {
        let sha = state.files().put(&v.bytes).await.map_err(AppError::internal)?;
        let name = format!("{}.{}", v.name, processed.format.extension());
        let size = i64::try_from(v.bytes.len()).unwrap_or(i64::MAX);
        let attachment =
            tiendo_db::files::record(ex, &sha, size, processed.format.content_type(), &name, new.uploaded_by).await?;
        tiendo_db::portal::media::add_variant(ex, id, v.name, i64::from(v.width), i64::from(v.height), attachment.id)
            .await?;
    }
    Ok(id)
}

/// Stores a processed photo as a photo of the article `article_id` (its caption and alternative text).
pub async fn store_article_photo(
    state: &AppState,
    ex: &impl tiendo_db::Exec,
    processed: &photo::Processed,
    article_id: i64,
    caption: &str,
    alt: &str,
    uploaded_by: Option<i64>,
) -> Result<i64, AppError> {
    let new = tiendo_db::portal::media::NewMedia {
        purpose: "article",
        article_id: Some(article_id),
        caption,
        alt,
        width: i64::from(processed.width),
        height: i64::from(processed.height),
        format: if processed.format == photo::OutputFormat::Png { "png" } else { "jpeg" },
        uploaded_by,
    };
    store(state, ex, processed, new).await
}

/// Adds an uploaded photo to an article (the editor's form and the API): stored, audited, and the public
/// pages' stamp moved on when the article is public. Returns the media id.
pub async fn add_to_article(
    ctx: &Ctx,
    ex: &tiendo_db::Tx,
    article: &tiendo_db::portal::articles::Article,
    processed: &photo::Processed,
    caption: &str,
    alt: &str,
) -> Result<i64, AppError> {
    use tiendo_db::audit::{self, Change, NewEvent};
    let uploaded_by = ctx.auth.user.as_ref().map(|u| u.id);
    let media_id = store_article_photo(&ctx.state, ex, processed, article.id, caption, alt, uploaded_by).await?;
    audit::append(
        ex,
        &ctx.auth.who(),
        &NewEvent::new("media_upload", "article", article.id, format!("Thêm ảnh «{caption}»"))
            .with_changes(vec![Change::new("media", (), media_id), Change::new("caption", (), caption)]),
    )
    .await?;
    if article.state().is_public() {
        tiendo_db::portal::bump_stamp(ex).await?;
    }
    Ok(media_id)
}

/// Decodes and re-encodes an upload off the async threads; a refused image is a field error on `field`.
pub async fn process(bytes: Vec<u8>, field: &str) -> Result<Result<photo::Processed, FieldError>, AppError> {
    let result = tokio::task::spawn_blocking(move || photo::process(&bytes)).await.map_err(AppError::internal)?;
    Ok(result.map_err(|e| {
        tracing::warn!(error = %e, "image refused");
        match e {
            PhotoError::TooLarge { max, .. } => {
                FieldError::new(field, "image_too_large").arg("max", max / (1024 * 1024))
            }
            PhotoError::TooManyPixels { max_pixels, .. } => {
                FieldError::new(field, "image_too_many_pixels").arg("max", max_pixels / 1_000_000)
            }
            PhotoError::Unsupported => FieldError::new(field, "image_type"),
            PhotoError::Decode(_) | PhotoError::Encode(_) => FieldError::new(field, "image_damaged"),
        }
    }))
}

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
