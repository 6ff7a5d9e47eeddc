//! The public portal (issue 9): news with photos and moderated comments, public registers, feeds; the
//! editors' and moderators' pages behind it.

pub mod cache;
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
use tiendo_core::authz::Role;
use tiendo_core::lang::Lang;
use tiendo_db::portal::articles::Article;
use tiendo_db::portal::media::Media;

use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::layout::Ctx;
use cache::{CachedPage, etag_of, respond};

/// The largest body of the portal's forms (a photo upload).
pub const MAX_BODY: usize = 20 * 1024 * 1024;

const EDITORS: &[Role] = &[Role::Editor, Role::DepartmentLeader];
const MODERATORS: &[Role] = &[Role::Moderator, Role::Administrator];

/// The portal's routes with their policies. The editors' and moderators' handlers check the record
/// itself again with `authorize`.
pub fn routes() -> Routes {
    const P: Policy = Policy::Public;
    Routes::new()
        .get("/news", public::news, P)
        .get("/news/category/{slug}", public::category, P)
        .get("/news/tag/{slug}", public::tag, P)
        .get("/news/{slug}", public::article, P)
        .get("/news/{slug}/print", public::print, P)
        .post("/news/{slug}/comments", comments::post, P)
        .post("/comments/{id}/report", comments::report, P)
        .get("/media/{id}/{file}", media::serve, P)
        .get("/registers", registers::index, P)
        .get("/registers/localities", registers::localities, P)
        .get("/rss.xml", feeds::rss, P)
        .get("/atom.xml", feeds::atom, P)
        .get("/sitemap.xml", feeds::sitemap, P)
        .get("/robots.txt", feeds::robots, P)
        .get("/admin/articles", editor::list, Policy::AnyRole(EDITORS))
        .get("/admin/articles/new", editor::new_form, Policy::AnyRole(EDITORS))
        .post("/admin/articles", editor::create, Policy::AnyRole(EDITORS))
        .post("/admin/articles/preview", editor::preview, Policy::AnyRole(EDITORS))
        .post("/admin/categories", editor::create_category, Policy::AnyRole(EDITORS))
        .get("/admin/articles/{id}", editor::edit_form, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}", editor::update, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/workflow", editor::workflow, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/media", editor::upload_media, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/media/{media_id}", editor::edit_media, Policy::AnyRole(EDITORS))
        .get("/admin/articles/{id}/revisions/{number}", editor::revision, Policy::AnyRole(EDITORS))
        .get("/admin/comments", moderation::queue, Policy::AnyRole(MODERATORS))
        .post("/admin/comments", moderation::decide, Policy::AnyRole(MODERATORS))
        .get("/admin/portal", moderation::settings_form, Policy::AnyRole(MODERATORS))
        .post("/admin/portal/moderation", moderation::save_moderation, Policy::AnyRole(MODERATORS))
        .post("/admin/portal/footer", moderation::save_footer, Policy::AnyRole(&[Role::Administrator]))
}

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
    let day = tiendo_core::time::vietnam_date(chrono::Utc::now()).to_string();
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

/// Makes public changes visible: the stamp for the other instances, the caches of this one.
pub fn published(ctx: &Ctx) {
    ctx.state.portal().invalidate();
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

/// Cards of articles, with their first photo and their comment counts.
pub async fn cards(ctx: &Ctx, articles: &[Article]) -> Result<Vec<ArticleCard>, AppError> {
    let db = ctx.state.db();
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let counts = tiendo_db::portal::comments::counts(db, &ids).await?;
    let mut out = Vec::with_capacity(articles.len());
    for a in articles {
        let media = tiendo_db::portal::media::of_article(db, a.id).await?;
        let image = match media.first() {
            Some(m) => {
                let widths = tiendo_db::portal::media::widths(db, &[m.id]).await?;
                Some(image_view(m, &widths, "medium"))
            }
            None => None,
        };
        out.push(ArticleCard {
            href: format!("/news/{}", a.slug),
            title: a.title.clone(),
            summary: a.summary.clone(),
            date: a
                .published_at
                .map(|t| tiendo_core::fmt::date(tiendo_core::time::vietnam_date(t)))
                .unwrap_or_default(),
            datetime: a.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            category: category_name(ctx.lang, a),
            image,
            comments: counts.iter().find(|(id, _)| *id == a.id).map_or(0, |(_, n)| *n),
            is_sample: a.is_sample,
        });
    }
    Ok(out)
}
