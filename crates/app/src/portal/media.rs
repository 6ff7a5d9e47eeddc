//! Photos: stored as the variants made by `tiendo_export::photo` (never the uploaded file), each with a
//! caption and a required text alternative; the photos of an article and the trust badge of the footer.

use tiendo_core::portal::MAX_CAPTION;
use tiendo_db::Tx;
use tiendo_db::portal::media::{self as media_db, NewMedia};
use tiendo_export::photo::{self, PhotoError, Processed};

use crate::audit::{self, Diff, Entry};
use crate::{App, Error, FieldError, Result, Session, check};

/// An uploaded file as the interface received it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Upload {
    /// No file was sent.
    #[default]
    Missing,
    /// The file was larger than the interface accepts (it was not read).
    TooLarge,
    /// The file's bytes.
    File(Vec<u8>),
}

/// A photo to add to an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPhoto {
    /// The image (JPEG, PNG or WebP).
    pub photo: Upload,
    /// Its caption (chú thích), optional.
    pub caption: String,
    /// Its text alternative, required.
    pub alt: String,
}

/// A photo's caption, text alternative and position, as changed on the article's form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoChange {
    /// Caption.
    pub caption: String,
    /// Text alternative (required).
    pub alt: String,
    /// Position among the article's photos; `None` keeps it.
    pub sort_order: Option<i64>,
}

/// The error of an image too large to be read.
fn too_large(field: &str) -> FieldError {
    FieldError::new(field, "image_too_large").arg("max", photo::MAX_BYTES / (1024 * 1024))
}

/// Decodes and re-encodes an upload off the async threads; a refused image is a field error on `field`
/// (`image_type`, `image_damaged`, `image_too_large`, `image_too_many_pixels`).
pub async fn process(bytes: Vec<u8>, field: &str) -> Result<Result<Processed, FieldError>> {
    let result = tokio::task::spawn_blocking(move || photo::process(&bytes)).await.map_err(Error::internal)?;
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

/// Processes an upload that must be an image (the badge, a photo): `Ok(None)` when none was sent, the
/// field error when it is refused.
pub(crate) async fn process_upload(upload: Upload, field: &str) -> Result<Result<Option<Processed>, FieldError>> {
    match upload {
        Upload::Missing => Ok(Ok(None)),
        Upload::TooLarge => Ok(Err(too_large(field))),
        Upload::File(bytes) => Ok(process(bytes, field).await?.map(Some)),
    }
}

/// Stores a processed image and its variants in `tx`: the variants' files, then the rows; its id. An
/// image of an article when `article_id` is given, else the footer's badge.
pub(crate) async fn store(
    app: &App,
    tx: &Tx,
    processed: &Processed,
    article_id: Option<i64>,
    caption: &str,
    alt: &str,
    uploaded_by: Option<i64>,
) -> Result<i64> {
    let new = NewMedia {
        purpose: if article_id.is_some() { "article" } else { "badge" },
        article_id,
        caption,
        alt,
        width: i64::from(processed.width),
        height: i64::from(processed.height),
        format: if processed.format == photo::OutputFormat::Png { "png" } else { "jpeg" },
        uploaded_by,
        at: app.now(),
    };
    let id = media_db::create(tx, &new).await?;
    for v in &processed.variants {
        let sha = app.put_file(&v.bytes).await?;
        let name = format!("{}.{}", v.name, processed.format.extension());
        let size = i64::try_from(v.bytes.len()).unwrap_or(i64::MAX);
        let attachment =
            tiendo_db::files::record(tx, &sha, size, processed.format.content_type(), &name, uploaded_by).await?;
        media_db::add_variant(tx, id, v.name, i64::from(v.width), i64::from(v.height), attachment.id).await?;
    }
    Ok(id)
}

/// Stores a processed photo as a photo of the article `article_id`, uploaded by the session's account.
pub(crate) async fn store_article_photo(
    app: &App,
    tx: &Tx,
    session: &Session,
    processed: &Processed,
    article_id: i64,
    caption: &str,
    alt: &str,
) -> Result<i64> {
    store(app, tx, processed, Some(article_id), caption, alt, session.user_id()).await
}

/// The problems of a caption and a text alternative: the text alternative is required, both are bounded.
fn caption_problems(caption: &str, alt: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if alt.is_empty() {
        errors.push(FieldError::new("alt", "required"));
    }
    for (field, value) in [("caption", caption), ("alt", alt)] {
        if value.chars().count() > MAX_CAPTION {
            errors.push(FieldError::new(field, "too_long").arg("max", MAX_CAPTION));
        }
    }
    errors
}

/// Adds a photo to an article (editors): checked, turned upright, resized and re-encoded without its
/// metadata; stored, audited, and the public pages changed when the article is published. Every problem
/// is reported at once (`photo`, `caption`, `alt`); the image is decoded only when the rest is right.
/// Returns the photo's id.
pub async fn add_to_article(app: &App, session: &Session, article_id: i64, new: NewPhoto) -> Result<i64> {
    let article = super::editable_article(app, session, article_id).await?;
    let caption = tiendo_core::text::normalize_input(&new.caption);
    let alt = tiendo_core::text::normalize_input(&new.alt);
    let mut errors = Vec::new();
    match &new.photo {
        Upload::Missing => errors.push(FieldError::new("photo", "required")),
        Upload::TooLarge => errors.push(too_large("photo")),
        Upload::File(_) => {}
    }
    errors.extend(caption_problems(&caption, &alt));
    check(errors)?;
    let processed = match process_upload(new.photo, "photo").await? {
        Ok(Some(p)) => p,
        Ok(None) => return Err(Error::invalid("photo", "required")),
        Err(problem) => return Err(Error::Invalid(vec![problem])),
    };
    let tx = app.begin().await?;
    let media_id = store_article_photo(app, &tx, session, &processed, article.id, &caption, &alt).await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("media_upload", "article", article.id, "audit-photo-added")
            .arg("caption", &caption)
            .arg("title", &article.title)
            .change("media", (), media_id)
            .change("caption", (), &caption),
    )
    .await?;
    if article.state().is_public() {
        super::public_changed(&tx).await?;
    }
    tx.commit().await?;
    Ok(media_id)
}

/// The photo `media_id` of the article, which the actor may change.
async fn photo_of(
    app: &App,
    session: &Session,
    article_id: i64,
    media_id: i64,
) -> Result<(tiendo_db::portal::articles::Article, media_db::Media)> {
    let article = super::editable_article(app, session, article_id).await?;
    let photo =
        media_db::get(app.db(), media_id).await?.filter(|m| m.article_id == Some(article_id)).ok_or(Error::NotFound)?;
    Ok((article, photo))
}

/// Changes a photo's caption, text alternative and position.
pub async fn update_photo(
    app: &App,
    session: &Session,
    article_id: i64,
    media_id: i64,
    change: &PhotoChange,
) -> Result<()> {
    let (article, before) = photo_of(app, session, article_id, media_id).await?;
    let caption = tiendo_core::text::normalize_input(&change.caption);
    let alt = tiendo_core::text::normalize_input(&change.alt);
    let order = change.sort_order.unwrap_or(before.sort_order);
    check(caption_problems(&caption, &alt))?;
    let tx = app.begin().await?;
    media_db::update(&tx, media_id, &caption, &alt, order).await?;
    let mut diff = Diff::new();
    diff.field("caption", &before.caption, &caption).field("alt", &before.alt, &alt).field(
        "sort_order",
        &before.sort_order,
        &order,
    );
    audit::record(
        app,
        &tx,
        session,
        Entry::new("media_update", "article", article_id, "audit-photo-updated")
            .arg("caption", &caption)
            .arg("title", &article.title)
            .changes(diff.into_changes()),
    )
    .await?;
    if article.state().is_public() {
        super::public_changed(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a photo from an article (its files stay in the content-addressed store).
pub async fn delete_photo(app: &App, session: &Session, article_id: i64, media_id: i64) -> Result<()> {
    let (article, photo) = photo_of(app, session, article_id, media_id).await?;
    let tx = app.begin().await?;
    media_db::delete(&tx, media_id).await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("media_delete", "article", article_id, "audit-photo-deleted")
            .arg("caption", &photo.caption)
            .arg("title", &article.title)
            .change("media", media_id, ()),
    )
    .await?;
    if article.state().is_public() {
        super::public_changed(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
