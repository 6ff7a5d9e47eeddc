//! The portal's pages: the public ones (home, news, the article, feeds, registers, comments, photos) and
//! the editors' and moderators' pages; what they share to show articles and photos, and the page cache
//! for anonymous visitors.

pub mod comments;
pub mod editor;
pub mod feeds;
pub mod media;
pub mod moderation;
pub mod public;
pub mod registers;

use std::future::Future;

use axum::http::HeaderMap;
use axum::response::Response;
use tiendo_core::lang::Lang;
use tiendo_db::portal::articles::Article;
use tiendo_db::portal::media::Media;

use super::cache::{CachedPage, etag_of, respond};
use crate::error::AppError;
use crate::layout::Ctx;

/// The site's address for absolute links (feeds, sharing, Open Graph): the configured public URL, else
/// the request's host (only a plain host name or address is taken).
pub fn base_url(ctx: &Ctx, headers: &HeaderMap) -> String {
    if let Some(url) = &ctx.state.site().public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty() && h.len() < 200 && h.chars().all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Answers with a page rendered by `render`: from the cache for anonymous visitors (rendered once per
/// change of public content), freshly and privately for signed-in users.
pub async fn cached<F, Fut>(
    ctx: &Ctx,
    headers: &HeaderMap,
    content_type: &'static str,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<String, AppError>>,
{
    // Dates shown ("today", comments closing after N days) change at midnight in Vietnam.
    let day = ctx.state.app().today().to_string();
    cached_keyed(ctx, headers, content_type, &day, render).await
}

/// [`cached`] with more to the key: figures derived from data other than the portal's (the registers)
/// pass the time slot they may be kept for.
pub async fn cached_keyed<F, Fut>(
    ctx: &Ctx,
    headers: &HeaderMap,
    content_type: &'static str,
    extra: &str,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<String, AppError>>,
{
    let anonymous = ctx.auth.user.is_none() && ctx.auth.rejected.is_none();
    // Only plain addresses and pages of lists are kept; a `?lang=` answer sets the language cookie and
    // the notices after posting are for one reader: never shared.
    let plain = ctx.uri.query().is_none_or(|q| q.split('&').all(|p| p.starts_with("page=")));
    let cacheable = anonymous && plain;
    let key = format!("{}|{}|{extra}|{}", ctx.lang.tag(), base_url(ctx, headers), ctx.uri);
    if cacheable && let Some(page) = ctx.state.portal().page(&key) {
        return Ok(respond(headers, &page, true));
    }
    let body = render().await?;
    let page = CachedPage { etag: etag_of(body.as_bytes()), body: body.into(), content_type };
    if cacheable {
        ctx.state.portal().keep(key, page.clone());
    }
    Ok(respond(headers, &page, cacheable))
}

/// An article in a list.
#[derive(Debug, Clone)]
pub struct ArticleCard {
    /// Its address.
    pub href: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Publication date, `dd/mm/yyyy`.
    pub date: String,
    /// ISO date-time for `<time datetime>`.
    pub datetime: String,
    /// Category name.
    pub category: String,
    /// The first photo (medium), if any.
    pub image: Option<ImageView>,
    /// Approved comments.
    pub comments: i64,
    /// Sample data.
    pub is_sample: bool,
}

/// A photo as shown.
#[derive(Debug, Clone)]
pub struct ImageView {
    /// The default source.
    pub src: String,
    /// `srcset` with the widths of the variants.
    pub srcset: String,
    /// Alternative text.
    pub alt: String,
    /// Caption.
    pub caption: String,
    /// Width of the default source.
    pub width: i64,
    /// Height of the default source.
    pub height: i64,
}

/// The category name in the page's language.
pub fn category_name(lang: Lang, a: &Article) -> String {
    match lang {
        Lang::Vi => a.category_name_vi.clone().unwrap_or_default(),
        Lang::En => a.category_name_en.clone().or_else(|| a.category_name_vi.clone()).unwrap_or_default(),
    }
}

/// A photo with its variants' widths (from `tiendo_db::portal::media::widths`).
pub fn image_view(m: &Media, widths: &[(i64, String, i64)], default_variant: &str) -> ImageView {
    let own: Vec<&(i64, String, i64)> = widths.iter().filter(|(id, _, _)| *id == m.id).collect();
    let srcset = own.iter().map(|(_, name, w)| format!("{} {w}w", m.url(name))).collect::<Vec<_>>().join(", ");
    let default = own.iter().find(|(_, n, _)| n == default_variant).or(own.last()).copied();
    let (name, width) = default.map_or((default_variant.to_owned(), m.width), |(_, n, w)| (n.clone(), *w));
    let height = if m.width > 0 { width * m.height / m.width } else { m.height };
    ImageView { src: m.url(&name), srcset, alt: m.alt.clone(), caption: m.caption.clone(), width, height }
}

/// Cards of articles, with their first photo and their comment counts (three queries for the whole list).
pub async fn cards(ctx: &Ctx, articles: &[Article]) -> Result<Vec<ArticleCard>, AppError> {
    let db = ctx.state.db();
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let counts = tiendo_db::portal::comments::counts(db, &ids).await?;
    let firsts = tiendo_db::portal::media::first_of_articles(db, &ids).await?;
    let photo_ids: Vec<i64> = firsts.iter().map(|m| m.id).collect();
    let widths = tiendo_db::portal::media::widths(db, &photo_ids).await?;
    Ok(articles
        .iter()
        .map(|a| ArticleCard {
            href: format!("/news/{}", a.slug),
            title: a.title.clone(),
            summary: a.summary.clone(),
            date: a
                .published_at
                .map(|t| tiendo_core::fmt::date(tiendo_core::time::vietnam_date(t)))
                .unwrap_or_default(),
            datetime: a.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            category: category_name(ctx.lang, a),
            image: firsts.iter().find(|m| m.article_id == Some(a.id)).map(|m| image_view(m, &widths, "medium")),
            comments: counts.iter().find(|(id, _)| *id == a.id).map_or(0, |(_, n)| *n),
            is_sample: a.is_sample,
        })
        .collect())
}
