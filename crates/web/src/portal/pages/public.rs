//! The public pages: home, news lists (all, by category, by tag), the article page and its print view.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tiendo_core::portal::markdown::render_comment;
use tiendo_core::portal::{CommentDraft, comments_open};
use tiendo_db::portal::articles::{self, Article, PublicFilter};
use tiendo_db::portal::{comments, media};

use super::{ArticleCard, ImageView, base_url, cached, cards, category_name, image_view};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::{FormErrors, url_encode};
use crate::layout::{Ctx, Layout};

/// Articles per page of a list.
const PER_PAGE: i64 = 12;

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    layout: Layout,
    featured: Vec<ArticleCard>,
    latest: Vec<ArticleCard>,
}

/// `GET /`: featured and latest news, and the way to the registers.
pub async fn home(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        let db = ctx.state.db();
        let (featured, _) =
            articles::list_public(db, &PublicFilter { featured: true, ..Default::default() }, 3, 0).await?;
        let mut filter = PublicFilter::default();
        if let Some(first) = featured.first() {
            filter.except = Some(first.id);
        }
        let (latest, _) = articles::list_public(db, &filter, 9, 0).await?;
        let featured = cards(&ctx, &featured).await?;
        let latest = cards(&ctx, &latest).await?;
        HomePage { layout: ctx.layout("home-title"), featured, latest }.render().map_err(AppError::internal)
    })
    .await
}

/// The page of a list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    layout: Layout,
    /// The heading, as HTML (a tag marked as data).
    heading: String,
    items: Vec<ArticleCard>,
    pager: crate::forms::fields::Pager,
    categories: Vec<(String, String, bool)>,
}

async fn list_page(
    ctx: &Ctx,
    layout: Layout,
    heading: String,
    filter: PublicFilter,
    path: &str,
    page: Option<&str>,
) -> Result<String, AppError> {
    let page = crate::forms::fields::page_number(page);
    let db = ctx.state.db();
    let (rows, total) = articles::list_public(db, &filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let items = cards(ctx, &rows).await?;
    let pager = crate::forms::fields::pager(&ctx.tr, path, &[], page, PER_PAGE, total, items.len());
    let categories = articles::categories(db)
        .await?
        .into_iter()
        .map(|c| {
            let name = match ctx.lang {
                tiendo_core::lang::Lang::Vi => c.name_vi,
                tiendo_core::lang::Lang::En => c.name_en,
            };
            (format!("/news/category/{}", c.slug), name, Some(c.id) == filter.category_id)
        })
        .collect();
    ListPage { layout, heading, items, pager, categories }.render().map_err(AppError::internal)
}

/// `GET /news`: every published article, newest first.
pub async fn news(ctx: Ctx, headers: HeaderMap, Query(q): Query<PageQuery>) -> Result<Response, AppError> {
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        let heading = tiendo_app::i18n::escape(&ctx.tr.t("portal-news-title"));
        list_page(&ctx, ctx.layout("portal-news-title"), heading, PublicFilter::default(), "/news", q.page.as_deref())
            .await
    })
    .await
}

/// `GET /news/category/{slug}`.
pub async fn category(
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let found = articles::category_by_slug(ctx.state.db(), &slug).await?.ok_or(AppError::NotFound)?;
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        let name = match ctx.lang {
            tiendo_core::lang::Lang::Vi => found.name_vi.clone(),
            tiendo_core::lang::Lang::En => found.name_en.clone(),
        };
        let filter = PublicFilter { category_id: Some(found.id), ..Default::default() };
        let heading = tiendo_app::i18n::escape(&name);
        list_page(&ctx, ctx.layout_titled(name), heading, filter, &format!("/news/category/{slug}"), q.page.as_deref())
            .await
    })
    .await
}

/// `GET /news/tag/{slug}`.
pub async fn tag(
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let found = articles::tag(ctx.state.db(), &slug).await?.ok_or(AppError::NotFound)?;
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        // The title is the tag itself (data); the heading says what the list is.
        let heading = ctx.tr.t_data("portal-tag-title", &[("tag", &found.name)]);
        let filter = PublicFilter { tag: Some(found.slug.clone()), ..Default::default() };
        let layout = ctx.layout_named(found.name.clone());
        list_page(&ctx, layout, heading, filter, &format!("/news/tag/{slug}"), q.page.as_deref()).await
    })
    .await
}

/// A comment as shown.
#[derive(Debug, Clone)]
pub struct CommentView {
    /// Id (the anchor `comment-<id>`).
    pub id: i64,
    /// The name given.
    pub name: String,
    /// When.
    pub date: String,
    /// Safe HTML of the text.
    pub html: String,
}

/// A related record as shown.
#[derive(Debug, Clone)]
pub struct LinkView {
    /// Its name.
    pub label: String,
    /// Its page, for those who may open it.
    pub href: Option<String>,
}

/// Open Graph and Twitter-card values.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Absolute address of the article.
    pub url: String,
    /// Description.
    pub description: String,
    /// Absolute address of the lead photo.
    pub image: Option<String>,
    /// Its alternative text.
    pub image_alt: String,
    /// ISO publication time.
    pub published: String,
}

#[derive(Template)]
#[template(path = "portal/article.html")]
struct ArticlePage {
    layout: Layout,
    a: ArticleView,
    comments: Vec<CommentView>,
    pending: Option<CommentView>,
    open: bool,
    form: CommentDraft,
    errors: FormErrors,
    notice: String,
    max_length: i64,
}

/// What the article page and the print view show of an article.
#[derive(Debug, Clone)]
pub struct ArticleView {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Safe HTML body.
    pub body_html: String,
    /// `dd/mm/yyyy HH:MM`.
    pub date: String,
    /// ISO time.
    pub datetime: String,
    /// Byline.
    pub author: String,
    /// Category (name, address).
    pub category: Option<(String, String)>,
    /// Tags (name, address).
    pub tags: Vec<(String, String)>,
    /// The first photo.
    pub lead: Option<ImageView>,
    /// The other photos.
    pub photos: Vec<ImageView>,
    /// Related records.
    pub links: Vec<LinkView>,
    /// Related articles.
    pub related: Vec<ArticleCard>,
    /// Share on Facebook.
    pub facebook: String,
    /// Meta tags.
    pub meta: Meta,
    /// Sample data.
    pub is_sample: bool,
}

async fn article_view(
    ctx: &Ctx,
    headers: &HeaderMap,
    a: &Article,
    with_related: bool,
) -> Result<ArticleView, AppError> {
    let db = ctx.state.db();
    let photos = media::of_article(db, a.id).await?;
    let ids: Vec<i64> = photos.iter().map(|m| m.id).collect();
    let widths = media::widths(db, &ids).await?;
    let mut views: Vec<ImageView> = photos.iter().map(|m| image_view(m, &widths, "large")).collect();
    let lead = if views.is_empty() { None } else { Some(views.remove(0)) };
    let base = base_url(ctx, headers);
    let url = format!("{base}/news/{}", a.slug);
    let signed_in = ctx.auth.user.is_some();
    let mut links = Vec::new();
    for l in articles::links_of(db, a.id).await?.into_iter().filter(|l| !l.label.is_empty()) {
        // A visit is linked only for those who may read it (its hosts, its organiser's staff, editors…).
        let may_open =
            signed_in && (l.entity_type != "visit" || crate::visits::visible(ctx, l.entity_id).await.is_ok());
        links.push(LinkView {
            href: may_open.then(|| match l.entity_type.as_str() {
                "organization" => format!("/organizations/{}", l.entity_id),
                "document" => format!("/documents/{}", l.entity_id),
                other => format!("/{other}s/{}", l.entity_id),
            }),
            label: l.label,
        });
    }
    let related = if with_related { cards(ctx, &articles::related(db, a, 4).await?).await? } else { Vec::new() };
    Ok(ArticleView {
        slug: a.slug.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body_html: a.body_html.clone(),
        date: a.published_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        datetime: a.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        author: a.author_name.clone(),
        category: a.category_slug.as_ref().map(|slug| (category_name(ctx.lang, a), format!("/news/category/{slug}"))),
        tags: articles::tags_of(db, a.id)
            .await?
            .into_iter()
            .map(|t| (t.name, format!("/news/tag/{}", t.slug)))
            .collect(),
        meta: Meta {
            url: url.clone(),
            description: if a.summary.is_empty() {
                tiendo_core::portal::markdown::plain_text(&a.body, 200)
            } else {
                a.summary.clone()
            },
            image: lead.as_ref().map(|l| format!("{base}{}", l.src)),
            image_alt: lead.as_ref().map(|l| l.alt.clone()).unwrap_or_default(),
            published: a.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        },
        facebook: format!("https://www.facebook.com/sharer/sharer.php?u={}", url_encode(&url)),
        lead,
        photos: views,
        links,
        related,
        is_sample: a.is_sample,
    })
}

/// The published article at a slug (editors may preview any state).
pub async fn readable(ctx: &Ctx, slug: &str) -> Result<Article, AppError> {
    Ok(tiendo_app::portal::readable_by_slug(ctx.state.app(), ctx.auth.session(), slug).await?)
}

fn comment_view(c: &comments::Comment) -> CommentView {
    CommentView {
        id: c.id,
        name: c.author_name.clone(),
        date: tiendo_core::fmt::datetime(c.created_at),
        html: render_comment(&c.body),
    }
}

/// Renders the article page (also after a refused comment, with the input kept).
pub async fn render_article(
    ctx: &Ctx,
    headers: &HeaderMap,
    a: &Article,
    form: CommentDraft,
    errors: FormErrors,
    notice: String,
    pending: Option<comments::Comment>,
) -> Result<String, AppError> {
    let settings = ctx.state.portal().settings();
    let view = article_view(ctx, headers, a, true).await?;
    let visible = comments::visible(ctx.state.db(), a.id).await?;
    ArticlePage {
        layout: ctx.layout_named(a.title.clone()),
        a: view,
        comments: visible.iter().map(comment_view).collect(),
        pending: pending.as_ref().map(comment_view),
        open: a.state().is_public()
            && comments_open(a.comments_closed, a.published_at, settings.close_after_days, ctx.state.app().now()),
        form,
        errors,
        notice,
        max_length: settings.max_comment_length,
    }
    .render()
    .map_err(AppError::internal)
}

/// Notices shown on the article page after an action.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleQuery {
    /// `<comment id>-<secret>`: the author's own comment awaiting moderation.
    pending: Option<String>,
    /// `posted`, `reported`.
    done: Option<String>,
}

/// `GET /news/{slug}`.
pub async fn article(
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<ArticleQuery>,
) -> Result<Response, AppError> {
    let a = readable(&ctx, &slug).await?;
    let pending = match q.pending.as_deref().and_then(|p| p.split_once('-')) {
        Some((id, secret)) => match id.parse::<i64>() {
            Ok(id) => comments::pending_for_author(ctx.state.db(), id, &tiendo_app::secret::digest(secret)).await?,
            Err(_) => None,
        },
        None => None,
    };
    let notice = match q.done.as_deref() {
        Some("posted") => ctx.tr.t("portal-comment-posted"),
        Some("reported") => ctx.tr.t("portal-comment-reported"),
        _ if pending.is_some() => ctx.tr.t("portal-comment-pending"),
        _ => String::new(),
    };
    let public = a.state().is_public();
    let response = cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        render_article(&ctx, &headers, &a, CommentDraft::default(), FormErrors::new(), notice, pending).await
    })
    .await?;
    if public {
        Ok(response)
    } else {
        // An editor's preview of an unpublished article: never cached, never indexed.
        let mut response = response;
        response.headers_mut().insert("x-robots-tag", axum::http::HeaderValue::from_static("noindex"));
        Ok(response)
    }
}

#[derive(Template)]
#[template(path = "portal/print.html")]
struct PrintPage {
    layout: Layout,
    a: ArticleView,
}

/// `GET /news/{slug}/print`: the article alone, laid out for paper.
pub async fn print(ctx: Ctx, headers: HeaderMap, Path(slug): Path<String>) -> Result<Response, AppError> {
    let a = readable(&ctx, &slug).await?;
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        let view = article_view(&ctx, &headers, &a, false).await?;
        PrintPage { layout: ctx.layout_titled(a.title.clone()), a: view }.render().map_err(AppError::internal)
    })
    .await
}

/// Renders an article page with a status (a refused comment).
pub fn with_status(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}
