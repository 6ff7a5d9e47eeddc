//! Photos: one row per image with its caption and alternative text, one attachment per encoded variant.

use chrono::{DateTime, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// An image with its variants.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Media {
    /// Row id.
    pub id: i64,
    /// `article` or `badge`.
    pub purpose: String,
    /// The article it belongs to.
    pub article_id: Option<i64>,
    /// Chú thích.
    pub caption: String,
    /// Alternative text.
    pub alt: String,
    /// Upright width of the original.
    pub width: i64,
    /// Upright height of the original.
    pub height: i64,
    /// `jpeg` or `png`.
    pub format: String,
    /// Order within the article.
    pub sort_order: i64,
    /// Uploaded.
    pub created_at: DateTime<Utc>,
}

impl Media {
    /// The file extension of its variants.
    pub fn extension(&self) -> &'static str {
        if self.format == "png" { "png" } else { "jpg" }
    }

    /// The address of a variant (`large`, `medium`, `small`; the largest made answers for a missing one).
    pub fn url(&self, variant: &str) -> String {
        format!("/media/{}/{variant}.{}", self.id, self.extension())
    }
}

const COLUMNS: &str = "id, purpose, article_id, caption, alt, width, height, format, sort_order, created_at";

/// A new image.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    /// `article` or `badge`.
    pub purpose: &'a str,
    /// The article.
    pub article_id: Option<i64>,
    /// Caption.
    pub caption: &'a str,
    /// Alternative text.
    pub alt: &'a str,
    /// Width.
    pub width: i64,
    /// Height.
    pub height: i64,
    /// `jpeg` or `png`.
    pub format: &'a str,
    /// Uploader.
    pub uploaded_by: Option<i64>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Records an image; returns its id. Its variants follow with [`add_variant`].
pub async fn create(ex: &impl Exec, new: &NewMedia<'_>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO portal_media (purpose, article_id, caption, alt, width, height, format, sort_order, \
                 uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                 (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM portal_media WHERE article_id = $2), $8, $9) RETURNING id",
            )
            .bind(new.purpose)
            .bind(new.article_id)
            .bind(new.caption)
            .bind(new.alt)
            .bind(new.width)
            .bind(new.height)
            .bind(new.format)
            .bind(new.uploaded_by)
            .bind(new.at),
        )
        .await?;
    Ok(id)
}

/// Records one encoded variant of an image.
pub async fn add_variant(
    ex: &impl Exec,
    media_id: i64,
    name: &str,
    width: i64,
    height: i64,
    attachment_id: i64,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO portal_media_variants (media_id, name, width, height, attachment_id) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(media_id)
        .bind(name)
        .bind(width)
        .bind(height)
        .bind(attachment_id),
    )
    .await?;
    Ok(())
}

/// One image.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Media>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM portal_media WHERE id = $1")).bind(id)).await
}

/// The images of an article, in order.
pub async fn of_article(ex: &impl Exec, article_id: i64) -> Result<Vec<Media>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {COLUMNS} FROM portal_media WHERE article_id = $1 ORDER BY sort_order, id"))
            .bind(article_id),
    )
    .await
}

/// The first image of each of several articles (the one a list shows), in the order of the ids.
pub async fn first_of_articles(ex: &impl Exec, article_ids: &[i64]) -> Result<Vec<Media>, DbError> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM portal_media WHERE article_id IN ("));
    for (i, id) in article_ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(") ORDER BY article_id, sort_order, id");
    let all: Vec<Media> = ex.fetch_all(q).await?;
    let mut first: Vec<Media> = Vec::new();
    for m in all {
        if first.last().is_none_or(|f| f.article_id != m.article_id) {
            first.push(m);
        }
    }
    Ok(first)
}

/// Changes an image's caption, alternative text and position.
pub async fn update(ex: &impl Exec, id: i64, caption: &str, alt: &str, sort_order: i64) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE portal_media SET caption = $1, alt = $2, sort_order = $3 WHERE id = $4")
            .bind(caption)
            .bind(alt)
            .bind(sort_order)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Removes an image (its files stay in the content-addressed store).
pub async fn delete(ex: &impl Exec, id: i64) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM portal_media WHERE id = $1").bind(id)).await?;
    Ok(())
}

/// What serving a variant needs.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Served {
    /// The file's SHA-256.
    pub sha256: String,
    /// Its content type.
    pub content_type: String,
    /// `article` or `badge`.
    pub purpose: String,
    /// The state of its article, if any.
    pub article_state: Option<String>,
}

/// A variant to serve: the one named, else the largest one made (a small original has only one).
pub async fn variant(ex: &impl Exec, media_id: i64, name: &str) -> Result<Option<Served>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT f.sha256, f.content_type, m.purpose, a.state AS article_state FROM portal_media_variants v \
             JOIN portal_media m ON m.id = v.media_id JOIN attachments f ON f.id = v.attachment_id \
             LEFT JOIN articles a ON a.id = m.article_id WHERE v.media_id = $1 \
             ORDER BY CASE WHEN v.name = $2 THEN 0 ELSE 1 END, v.width ASC LIMIT 1",
        )
        .bind(media_id)
        .bind(name),
    )
    .await
}

/// The width of each variant of some images: (media id, variant, width).
pub async fn widths(ex: &impl Exec, media_ids: &[i64]) -> Result<Vec<(i64, String, i64)>, DbError> {
    if media_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT media_id, name, width FROM portal_media_variants WHERE media_id IN (");
    for (i, id) in media_ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(") ORDER BY media_id, width");
    ex.fetch_all(q).await
}
