//! `/api/v1/articles/{id}/comments` and `/api/v1/comments`: readers' comments on an article, and the
//! moderation queue with its decisions.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::portal::comments::Outcome;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::CommentDraft;
use tiendo_core::portal::comment::{self, CommentState};
use tiendo_db::portal::comments::{self as comments_db, Queue};
use utoipa::{IntoParams, ToSchema};

use super::visible;
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

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
    /// What the caller may do with it.
    pub permissions: CommentPermissions,
}

/// What the caller may do with a comment, from the moderation workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CommentPermissions {
    /// The decisions the caller may take now (`POST /comments/decisions`): `approve`, `reject`, `spam`.
    pub decisions: Vec<String>,
}

/// What the caller may do with a comment: the moderation workflow's available decisions.
pub fn comment_permissions(ctx: &Ctx, c: &comments_db::Comment) -> CommentPermissions {
    let state = CommentState { status: c.status(), hidden: c.hidden };
    CommentPermissions {
        decisions: comment::available_actions(&ctx.auth.actor, state)
            .into_iter()
            .map(|d| d.code().to_owned())
            .collect(),
    }
}

fn comment_out(ctx: &Ctx, c: &comments_db::Comment, moderator: bool) -> CommentOut {
    CommentOut {
        permissions: comment_permissions(ctx, c),
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
    let rows = comments_db::visible(ctx.state.db(), a.id).await?;
    Ok(Json(rows.iter().map(|c| comment_out(&ctx, c, false)).collect()))
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
    let draft = CommentDraft { name: body.name, email: body.email, text: body.text };
    let result =
        tiendo_app::portal::comments::post(ctx.state.app(), ctx.auth.session(), id, &draft, &body.website).await;
    crate::portal::pages::comments::count(&result);
    match result? {
        Outcome::Posted(p) => {
            Ok((StatusCode::CREATED, Json(PostedOut { id: Some(p.id), status: p.status.code().to_owned() })))
        }
        Outcome::Ignored => Ok((StatusCode::CREATED, Json(PostedOut { id: None, status: "pending".into() }))),
    }
}

/// Filters of the moderation queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
                .ok_or_else(|| crate::api::paging::invalid(format!("show: {other:?}")))?,
        ),
    };
    let (rows, total) = comments_db::queue(ctx.state.db(), which, paging.limit, paging.offset).await?;
    let items: Vec<CommentOut> = rows.iter().map(|c| comment_out(&ctx, c, true)).collect();
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
    let decision = crate::portal::pages::moderation::parse_decision(&body.decision)?;
    let changed =
        tiendo_app::portal::moderation::decide(ctx.state.app(), ctx.auth.session(), &body.ids, decision).await?;
    Ok(Json(DecidedOut { changed }))
}
