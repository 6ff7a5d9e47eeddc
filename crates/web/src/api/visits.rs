//! `POST /api/v1/visits/{id}/article`: a draft news article for the public portal made from a visit (the
//! portal's feature; the handler stays here, beside the portal's API, while the visits' own handlers are
//! in `crate::visits::api`).

use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::visits::api::created;

/// The draft article made from a visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitArticleOut {
    /// The article's id (`/api/v1/articles/{id}`), a draft of the portal's workflow.
    pub article_id: i64,
    /// Its slug.
    pub slug: String,
    /// The visit's photos carried over, with their captions and alternative texts.
    pub photos: usize,
    /// The photos the portal could not use (too large or damaged), left out.
    pub skipped_photos: usize,
}

/// Drafts a news article for the public portal from a visit: its title, a summary, a body naming the
/// stops, its photos with captions and alternative texts; linked to the visit and the organisations
/// visited. It then follows the portal's workflow (`/articles/{id}/transitions`).
#[utoipa::path(post, path = "/visits/{id}/article", tag = "visits", operation_id = "create_visit_article",
    params(("id" = i64, Path, description = "The visit's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = VisitArticleOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May read the visit but not write articles (editors do)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_visit_article(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let made =
        tiendo_app::portal::articles::draft_from_visit(ctx.state.app(), ctx.auth.session(), id, ctx.lang).await?;
    Ok(created(
        format!("/api/v1/articles/{}", made.article_id),
        VisitArticleOut {
            article_id: made.article_id,
            slug: made.slug,
            photos: made.photos,
            skipped_photos: made.skipped_photos,
        },
    ))
}
