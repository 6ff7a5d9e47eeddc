//! `/api/v1/articles`, `/api/v1/comments`: the portal's articles (read by anyone once published, written
//! by editors), their photos (here) and comments with the moderation queue ([`comments`]). The writes are
//! the `tiendo_app::portal` use cases the pages call; what the caller may do comes from the workflows.

mod comments;

pub use comments::*;

use axum::Json;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::portal::articles::{self as use_case, ArticleForm};
use tiendo_app::portal::media::NewPhoto;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::{ArticleAction, ArticleState, available_actions};
use tiendo_db::portal::articles::{self, Article, PublicFilter};
use tiendo_db::portal::media as media_db;
use utoipa::{IntoParams, ToSchema};

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// An article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOut {
    /// Id.
    pub id: i64,
    /// Slug: the page is `/news/{slug}`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The body as written (Markdown).
    pub body: String,
    /// The body as safe HTML.
    pub body_html: String,
    /// `draft`, `in_review`, `scheduled`, `published` or `unpublished`.
    pub state: String,
    /// Category slug.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Byline.
    pub author: String,
    /// Featured on the home page.
    pub featured: bool,
    /// Comments closed by hand.
    pub comments_closed: bool,
    /// `site`, `on` or `off`.
    pub premoderation: String,
    /// Scheduled publication.
    pub publish_at: Option<DateTime<Utc>>,
    /// First publication.
    pub published_at: Option<DateTime<Utc>>,
    /// Current revision.
    pub revision: i64,
    /// Related records as `{kind}:{id}` (`organization:3`, `document:7`, `visit:1`).
    pub related: Vec<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// What the caller may do with it.
    pub permissions: ArticlePermissions,
}

/// What the caller may do with an article, from the editorial workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ArticlePermissions {
    /// Save a new version (`PUT /articles/{id}`) and add photos.
    pub edit: bool,
    /// The workflow actions the caller may take now (`POST /articles/{id}/transitions`): `submit`,
    /// `return`, `publish`, `unschedule`, `unpublish`, `redraft`.
    pub actions: Vec<String>,
}

/// What the caller may do with an article: the workflow's available actions, and editing.
pub fn article_permissions(ctx: &Ctx, a: &Article) -> ArticlePermissions {
    ArticlePermissions {
        edit: tiendo_app::portal::may_edit(ctx.auth.session(), a),
        actions: available_actions(&ctx.auth.actor, a.state()).into_iter().map(|x| x.code().to_owned()).collect(),
    }
}

/// The articles as answered, with their tags and related records read for all of them at once.
async fn articles_out(ctx: &Ctx, rows: &[Article]) -> Result<Vec<ArticleOut>, AppError> {
    let db = ctx.state.db();
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let tags = articles::tags_of_many(db, &ids).await?;
    let links = articles::links_of_many(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|a| ArticleOut {
            id: a.id,
            slug: a.slug.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            body_html: a.body_html.clone(),
            state: a.state.clone(),
            category: a.category_slug.clone(),
            tags: tags.iter().filter(|(id, _)| *id == a.id).map(|(_, t)| t.name.clone()).collect(),
            author: a.author_name.clone(),
            featured: a.featured,
            comments_closed: a.comments_closed,
            premoderation: a.premoderation.clone(),
            publish_at: a.publish_at,
            published_at: a.published_at,
            revision: a.revision,
            related: links
                .iter()
                .filter(|(id, _, _)| *id == a.id)
                .map(|(_, kind, entity)| format!("{kind}:{entity}"))
                .collect(),
            updated_at: a.updated_at,
            permissions: article_permissions(ctx, a),
        })
        .collect())
}

async fn article_out(ctx: &Ctx, a: &Article) -> Result<ArticleOut, AppError> {
    let mut out = articles_out(ctx, std::slice::from_ref(a)).await?;
    out.pop().ok_or(AppError::NotFound)
}

/// The article if the caller may read it; 404 otherwise.
async fn visible(ctx: &Ctx, id: i64) -> Result<Article, AppError> {
    Ok(tiendo_app::portal::readable_article(ctx.state.app(), ctx.auth.session(), id).await?)
}

/// Filters of the article list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ArticlesQuery {
    /// Editors only: articles in this state (the public always gets the published ones).
    state: Option<String>,
    /// Only this category (its slug).
    category: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// Articles: published ones, newest first; editors may ask for another state.
#[utoipa::path(get, path = "/articles", tag = "portal", operation_id = "list_articles",
    params(ArticlesQuery),
    responses(
        (status = 200, description = "Articles", body = ListPage<ArticleOut>),
        (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_articles(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ArticlesQuery>,
) -> Result<Json<ListPage<ArticleOut>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let db = ctx.state.db();
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(ArticleState::from_code(s).ok_or_else(|| crate::api::paging::invalid(format!("state: {s:?}")))?)
        }
        None => None,
    };
    let (rows, total) = match state {
        Some(s) if s != ArticleState::Published => {
            // Editors only, as documented (the department's leaders read them on the editors' pages).
            if !authorize(&ctx.auth.actor, Action::Edit, &Resource::Article { published: false }).is_allowed() {
                return Err(if ctx.auth.user.is_none() { AppError::Unauthorized } else { AppError::Forbidden });
            }
            articles::list_all(db, Some(s), None, paging.limit, paging.offset).await?
        }
        _ => {
            let category_id = match q.category.as_deref().filter(|c| !c.is_empty()) {
                Some(slug) => Some(articles::category_by_slug(db, slug).await?.ok_or(AppError::NotFound)?.id),
                None => None,
            };
            articles::list_public(db, &PublicFilter { category_id, ..Default::default() }, paging.limit, paging.offset)
                .await?
        }
    };
    let items = articles_out(&ctx, &rows).await?;
    Ok(Json(ListPage { next: paging.next(items.len(), total), items, total }))
}

/// One article (unpublished ones only for editors).
#[utoipa::path(get, path = "/articles/{id}", tag = "portal", operation_id = "get_article",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article", body = ArticleOut),
        (status = 404, description = "No such article, or not published", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_article(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ArticleOut>, AppError> {
    let a = visible(&ctx, id).await?;
    Ok(Json(article_out(&ctx, &a).await?))
}

/// An article to create or its new text.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ArticleIn {
    /// Title.
    pub title: String,
    /// Slug; empty to derive it from the title.
    #[serde(default)]
    pub slug: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// Markdown body.
    #[serde(default)]
    pub body: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Category id.
    pub category_id: Option<i64>,
    /// Featured on the home page.
    #[serde(default)]
    pub featured: bool,
    /// Close comments by hand.
    #[serde(default)]
    pub comments_closed: bool,
    /// `site` (default), `on` or `off`.
    #[serde(default)]
    pub premoderation: String,
    /// Related organisations.
    #[serde(default)]
    pub organizations: Vec<i64>,
    /// Related documents.
    #[serde(default)]
    pub documents: Vec<i64>,
    /// Related working visits (an article drafted from a visit has its visit here; `PUT` keeps only those
    /// sent, like the other related records).
    #[serde(default)]
    pub visits: Vec<i64>,
}

impl ArticleIn {
    /// The article as the use cases take it (the same as the editor's form).
    fn form(&self) -> ArticleForm {
        ArticleForm {
            draft: tiendo_core::portal::ArticleDraft {
                title: self.title.clone(),
                slug: self.slug.clone(),
                summary: self.summary.clone(),
                body: self.body.clone(),
                tags: self.tags.join(", "),
            },
            category_id: self.category_id,
            featured: self.featured,
            comments_closed: self.comments_closed,
            premoderation: self.premoderation.clone(),
            organizations: self.organizations.clone(),
            documents: self.documents.clone(),
            visits: self.visits.clone(),
        }
    }
}

/// Creates a draft.
#[utoipa::path(post, path = "/articles", tag = "portal", operation_id = "create_article",
    security(("bearer" = [])),
    request_body = ArticleIn,
    responses(
        (status = 201, description = "Created", body = ArticleOut),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_article(
    ctx: Ctx,
    ApiJson(body): ApiJson<ArticleIn>,
) -> Result<(StatusCode, Json<ArticleOut>), AppError> {
    let a = use_case::create(ctx.state.app(), ctx.auth.session(), &body.form()).await?;
    Ok((StatusCode::CREATED, Json(article_out(&ctx, &a).await?)))
}

/// Saves a new version of an article (a new revision when the text changed).
#[utoipa::path(put, path = "/articles/{id}", tag = "portal", operation_id = "update_article",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Article id")),
    request_body = ArticleIn,
    responses(
        (status = 200, description = "Saved", body = ArticleOut),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_article(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ArticleIn>,
) -> Result<Json<ArticleOut>, AppError> {
    let a = use_case::update(ctx.state.app(), ctx.auth.session(), id, &body.form()).await?;
    Ok(Json(article_out(&ctx, &a).await?))
}

/// A workflow action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionIn {
    /// `submit`, `return`, `publish`, `unschedule`, `unpublish` or `redraft`.
    pub action: String,
    /// For `publish`: a later time schedules the publication.
    pub publish_at: Option<DateTime<Utc>>,
}

/// Moves an article through the workflow.
#[utoipa::path(post, path = "/articles/{id}/transitions", tag = "portal", operation_id = "transition_article",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Article id")),
    request_body = TransitionIn,
    responses(
        (status = 200, description = "The article in its new state", body = ArticleOut),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not from this state (`invalid_transition`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transition_article(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TransitionIn>,
) -> Result<Json<ArticleOut>, AppError> {
    let action = ArticleAction::from_code(&body.action)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("action", "invalid")]))?;
    let a = use_case::transition(ctx.state.app(), ctx.auth.session(), id, action, body.publish_at).await?;
    Ok(Json(article_out(&ctx, &a).await?))
}

/// A photo of an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaOut {
    /// Id.
    pub id: i64,
    /// Caption.
    pub caption: String,
    /// Alternative text.
    pub alt: String,
    /// Upright width of the original.
    pub width: i64,
    /// Upright height.
    pub height: i64,
    /// Addresses of the variants (`large`, `medium`, `small`).
    pub urls: Vec<String>,
}

/// The photos of an article.
#[utoipa::path(get, path = "/articles/{id}/media", tag = "portal", operation_id = "list_article_media",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, description = "Photos in order", body = Vec<MediaOut>),
        (status = 404, description = "No such article", body = Problem, content_type = "application/problem+json")))]
pub async fn list_article_media(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Vec<MediaOut>>, AppError> {
    let a = visible(&ctx, id).await?;
    let media = media_db::of_article(ctx.state.db(), a.id).await?;
    let ids: Vec<i64> = media.iter().map(|m| m.id).collect();
    let widths = media_db::widths(ctx.state.db(), &ids).await?;
    Ok(Json(
        media
            .iter()
            .map(|m| MediaOut {
                id: m.id,
                caption: m.caption.clone(),
                alt: m.alt.clone(),
                width: m.width,
                height: m.height,
                urls: widths.iter().filter(|(i, _, _)| *i == m.id).map(|(_, n, _)| m.url(n)).collect(),
            })
            .collect(),
    ))
}

/// Adds a photo (multipart: `photo`, `caption`, `alt`); it is checked, turned upright, resized and
/// re-encoded without its metadata.
#[utoipa::path(post, path = "/articles/{id}/media", tag = "portal", operation_id = "upload_article_media",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Article id")),
    request_body(content_type = "multipart/form-data", description = "`photo` (JPEG, PNG or WebP), `caption`, `alt`"),
    responses((status = 201, description = "Stored", body = MediaOut),
        (status = 413, description = "`payload_too_large`: the photo is over 15 MB (`errors[].code` `image_too_large`, the limit in `params.max`) or the request over 20 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an image, damaged, too many pixels (`image_type`, `image_damaged`, `image_too_many_pixels`), or no alternative text", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_article_media(
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<MediaOut>), AppError> {
    let (fields, photo) = crate::portal::read_photo_form(form, "photo").await?;
    let field = |name: &str| crate::monitoring::uploads::field(&fields, name).to_owned();
    let new = NewPhoto { photo, caption: field("caption"), alt: field("alt") };
    let media_id = tiendo_app::portal::media::add_to_article(ctx.state.app(), ctx.auth.session(), id, new).await?;
    let m = media_db::get(ctx.state.db(), media_id).await?.ok_or(AppError::NotFound)?;
    let widths = media_db::widths(ctx.state.db(), &[media_id]).await?;
    Ok((
        StatusCode::CREATED,
        Json(MediaOut {
            id: m.id,
            urls: widths.iter().map(|(_, n, _)| m.url(n)).collect(),
            caption: m.caption,
            alt: m.alt,
            width: m.width,
            height: m.height,
        }),
    ))
}
