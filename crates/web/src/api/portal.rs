//! `/api/v1/articles`, `/api/v1/comments`: the portal's articles (read by anyone once published, written
//! by editors), their photos and comments, and the moderation queue.

use axum::Json;
use axum::extract::Path;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::{ArticleAction, ArticleState, CommentDraft, ModerationDecision, TransitionError};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::portal::articles::{self, Article, PublicFilter};
use tiendo_db::portal::comments::{self, Queue};
use tiendo_db::portal::media as media_db;
use utoipa::{IntoParams, ToSchema};

use super::ListPage;
use super::extract::{ApiJson, ApiQuery};
use super::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::layout::Ctx;
use crate::portal::comments::{Refused, submit};
use crate::portal::editor::{ArticleForm, apply, author, validate};

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
}

async fn article_out(ctx: &Ctx, a: &Article) -> Result<ArticleOut, AppError> {
    let db = ctx.state.db();
    Ok(ArticleOut {
        id: a.id,
        slug: a.slug.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        body_html: a.body_html.clone(),
        state: a.state.clone(),
        category: a.category_slug.clone(),
        tags: articles::tags_of(db, a.id).await?.into_iter().map(|t| t.name).collect(),
        author: a.author_name.clone(),
        featured: a.featured,
        comments_closed: a.comments_closed,
        premoderation: a.premoderation.clone(),
        publish_at: a.publish_at,
        published_at: a.published_at,
        revision: a.revision,
        related: articles::links_of(db, a.id)
            .await?
            .into_iter()
            .map(|l| format!("{}:{}", l.entity_type, l.entity_id))
            .collect(),
        updated_at: a.updated_at,
    })
}

fn may_edit(ctx: &Ctx) -> bool {
    authorize(&ctx.auth.actor, Action::Edit, &Resource::Article { published: false }).is_allowed()
}

async fn visible(ctx: &Ctx, id: i64) -> Result<Article, AppError> {
    let a = articles::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    if authorize(&ctx.auth.actor, Action::View, &Resource::Article { published: a.state().is_public() }).is_allowed() {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
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
        Some(s) => Some(ArticleState::from_code(s).ok_or_else(|| super::paging::invalid(format!("state: {s:?}")))?),
        None => None,
    };
    let (rows, total) = match state {
        Some(s) if s != ArticleState::Published => {
            if !may_edit(&ctx) {
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
    let mut items = Vec::with_capacity(rows.len());
    for a in &rows {
        items.push(article_out(&ctx, a).await?);
    }
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
    fn form(&self) -> ArticleForm {
        ArticleForm {
            draft: tiendo_core::portal::ArticleDraft {
                title: self.title.clone(),
                slug: self.slug.clone(),
                summary: self.summary.clone(),
                body: self.body.clone(),
                tags: self.tags.join(", "),
            },
            category_id: self.category_id.map(|c| c.to_string()).unwrap_or_default(),
            featured: self.featured,
            comments_closed: self.comments_closed,
            premoderation: self.premoderation.clone(),
            orgs: self.organizations.clone(),
            docs: self.documents.clone(),
            visits: self.visits.clone(),
        }
    }
}

async fn validated(ctx: &Ctx, body: &ArticleIn, except: Option<i64>) -> Result<articles::ArticleInput, AppError> {
    let form = body.form();
    // The same checks as the form; the field errors come back by name.
    let draft_errors: Vec<FieldError> = match form.draft.validate() {
        Ok(_) => Vec::new(),
        Err(issues) => issues.into_iter().map(|i| FieldError::new(i.field, i.code)).collect(),
    };
    match validate(ctx, &form, except).await? {
        Ok(input) => Ok(input),
        Err(_) if !draft_errors.is_empty() => Err(AppError::Validation(draft_errors)),
        Err(_) => Err(AppError::Validation(vec![FieldError::new("slug", "slug_taken")])),
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
    if !authorize(&ctx.auth.actor, Action::Create, &Resource::Article { published: false }).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let input = validated(&ctx, &body, None).await?;
    let tx = ctx.state.db().begin().await?;
    let id = articles::create(&tx, &input, &author(&ctx)).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("article_create", "article", id, format!("Tạo bài «{}»", input.title))
            .with_changes(vec![Change::new("title", (), &input.title)]),
    )
    .await?;
    tx.commit().await?;
    let a = articles::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
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
    let a = visible(&ctx, id).await?;
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let input = validated(&ctx, &body, Some(id)).await?;
    let tx = ctx.state.db().begin().await?;
    let revision = articles::update(&tx, &a, &input, &author(&ctx)).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("article_update", "article", id, format!("Sửa bài «{}» (phiên bản {revision})", input.title))
            .with_changes(vec![Change::new("revision", a.revision, revision)]),
    )
    .await?;
    if a.state().is_public() {
        tiendo_db::portal::bump_stamp(&tx).await?;
    }
    tx.commit().await?;
    crate::portal::published(&ctx);
    let a = articles::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
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
    let a = visible(&ctx, id).await?;
    let action = ArticleAction::from_code(&body.action)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("action", "invalid")]))?;
    match apply(&ctx, &a, action, body.publish_at).await? {
        Ok(_) => {}
        Err(TransitionError::Forbidden) => return Err(AppError::Forbidden),
        Err(_) => return Err(AppError::Conflict { code: "invalid_transition" }),
    }
    let a = articles::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
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
        (status = 422, description = "Not an image, damaged, too large (`image_type`, `image_damaged`, `image_too_large`, `image_too_many_pixels`), or no alternative text", body = Problem, content_type = "application/problem+json")))]
pub async fn upload_article_media(
    ctx: Ctx,
    Path(id): Path<i64>,
    form: Multipart,
) -> Result<(StatusCode, Json<MediaOut>), AppError> {
    let a = visible(&ctx, id).await?;
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let (fields, uploads, problems) = crate::monitoring::uploads::read_form(form, &["photo"]).await?;
    let caption = tiendo_core::text::normalize_input(crate::monitoring::uploads::field(&fields, "caption"));
    let alt = tiendo_core::text::normalize_input(crate::monitoring::uploads::field(&fields, "alt"));
    if !problems.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("photo", "image_too_large")]));
    }
    let upload =
        uploads.into_iter().next().ok_or_else(|| AppError::Validation(vec![FieldError::new("photo", "required")]))?;
    if alt.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("alt", "required")]));
    }
    // The same limit as the editor's form.
    let too_long: Vec<FieldError> = [("caption", &caption), ("alt", &alt)]
        .into_iter()
        .filter(|(_, v)| v.chars().count() > tiendo_core::portal::MAX_CAPTION)
        .map(|(f, _)| FieldError::new(f, "too_long").arg("max", tiendo_core::portal::MAX_CAPTION))
        .collect();
    if !too_long.is_empty() {
        return Err(AppError::Validation(too_long));
    }
    let processed =
        crate::portal::media::process(upload.bytes, "photo").await?.map_err(|e| AppError::Validation(vec![e]))?;
    let tx = ctx.state.db().begin().await?;
    let media_id = crate::portal::media::add_to_article(&ctx, &tx, &a, &processed, &caption, &alt).await?;
    tx.commit().await?;
    crate::portal::published(&ctx);
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

/// A comment as the public sees it (the e-mail is never given out).
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    /// Id.
    pub id: i64,
    /// Article id.
    pub article_id: i64,
    /// Name given.
    pub name: String,
    /// Plain text.
    pub text: String,
    /// `pending`, `approved`, `rejected` or `spam`.
    pub status: String,
    /// Hidden by readers' reports until a moderator decides (moderators only).
    pub hidden: bool,
    /// Reports since the last decision (moderators only).
    pub reports: i64,
    /// Posted.
    pub created_at: DateTime<Utc>,
}

fn comment_out(c: &comments::Comment, moderator: bool) -> CommentOut {
    CommentOut {
        id: c.id,
        article_id: c.article_id,
        name: c.author_name.clone(),
        text: c.body.clone(),
        status: c.status.clone(),
        hidden: moderator && c.hidden,
        reports: if moderator { c.report_count } else { 0 },
        created_at: c.created_at,
    }
}

/// The approved comments of a published article, oldest first.
#[utoipa::path(get, path = "/articles/{id}/comments", tag = "portal", operation_id = "list_article_comments",
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, description = "Comments", body = Vec<CommentOut>),
        (status = 404, description = "No such published article", body = Problem, content_type = "application/problem+json")))]
pub async fn list_article_comments(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Vec<CommentOut>>, AppError> {
    let a = visible(&ctx, id).await?;
    let rows = comments::visible(ctx.state.db(), a.id).await?;
    Ok(Json(rows.iter().map(|c| comment_out(c, false)).collect()))
}

/// A comment to post.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentIn {
    /// Name (required).
    pub name: String,
    /// E-mail (optional, never shown).
    #[serde(default)]
    pub email: String,
    /// Plain text.
    pub text: String,
    /// Leave empty: filled only by robots.
    #[serde(default)]
    pub website: String,
}

/// The outcome of posting a comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedOut {
    /// Id (absent when the honeypot was filled).
    pub id: Option<i64>,
    /// `pending` (awaits moderation) or `approved`.
    pub status: String,
}

/// Posts a comment, with the same guards as the page: closed articles (403 `comments_closed`), a rate
/// limit per address (429), the word list and pre-moderation (`pending`).
#[utoipa::path(post, path = "/articles/{id}/comments", tag = "portal", operation_id = "post_article_comment",
    params(("id" = i64, Path, description = "Article id")),
    request_body = CommentIn,
    responses((status = 201, description = "Stored", body = PostedOut),
        (status = 403, description = "Comments are closed (`comments_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many comments from this address", body = Problem, content_type = "application/problem+json")))]
pub async fn post_article_comment(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CommentIn>,
) -> Result<(StatusCode, Json<PostedOut>), AppError> {
    let a = visible(&ctx, id).await?;
    let draft = CommentDraft { name: body.name, email: body.email, text: body.text };
    match submit(&ctx, &a, &draft, &body.website).await? {
        Ok(p) => Ok((StatusCode::CREATED, Json(PostedOut { id: Some(p.id), status: p.status.code().to_owned() }))),
        Err(Refused::Honeypot) => Ok((StatusCode::CREATED, Json(PostedOut { id: None, status: "pending".into() }))),
        Err(Refused::Closed) => Err(AppError::ForbiddenCode { code: "comments_closed" }),
        Err(Refused::Flood(retry)) => Err(AppError::TooManyRequests { retry_after_secs: retry }),
        Err(Refused::Fields(errors)) => Err(AppError::Validation(errors)),
    }
}

/// Filters of the moderation queue.
#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `pending` (default), `reported`, `approved`, `rejected` or `spam`.
    show: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

/// The moderation queue.
#[utoipa::path(get, path = "/comments", tag = "portal", operation_id = "list_comments",
    security(("bearer" = [])),
    params(QueueQuery),
    responses((status = 200, description = "Comments", body = ListPage<CommentOut>),
        (status = 403, description = "Not a moderator", body = Problem, content_type = "application/problem+json")))]
pub async fn list_comments(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> Result<Json<ListPage<CommentOut>>, AppError> {
    if !authorize(&ctx.auth.actor, Action::View, &Resource::Comment).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let which = match q.show.as_deref().unwrap_or("pending") {
        "pending" | "" => Queue::Pending,
        "reported" => Queue::Reported,
        other => Queue::Decided(
            tiendo_core::portal::CommentStatus::from_code(other)
                .ok_or_else(|| super::paging::invalid(format!("show: {other:?}")))?,
        ),
    };
    let (rows, total) = comments::queue(ctx.state.db(), which, paging.limit, paging.offset).await?;
    let items: Vec<CommentOut> = rows.iter().map(|c| comment_out(c, true)).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), total), items, total }))
}

/// A moderation decision on one or more comments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionIn {
    /// `approve`, `reject` or `spam`.
    pub decision: String,
    /// The comments.
    pub ids: Vec<i64>,
}

/// How many comments changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecidedOut {
    /// Comments changed.
    pub changed: usize,
}

/// Approves, rejects or marks as spam, one or many at once.
#[utoipa::path(post, path = "/comments/decisions", tag = "portal", operation_id = "decide_comments",
    security(("bearer" = [])),
    request_body = DecisionIn,
    responses((status = 200, description = "Decided", body = DecidedOut),
        (status = 403, description = "Not a moderator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision or no comment", body = Problem, content_type = "application/problem+json")))]
pub async fn decide_comments(ctx: Ctx, ApiJson(body): ApiJson<DecisionIn>) -> Result<Json<DecidedOut>, AppError> {
    let decision = ModerationDecision::from_code(&body.decision)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("decision", "invalid")]))?;
    if body.ids.is_empty() || body.ids.len() > 500 {
        return Err(AppError::Validation(vec![FieldError::new("ids", "required")]));
    }
    let changed = crate::portal::moderation::apply(&ctx, &body.ids, decision).await?;
    Ok(Json(DecidedOut { changed }))
}
