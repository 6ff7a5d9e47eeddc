//! A draft news article about a visit, for the public portal (issue 8 item 6): the button on the visit's
//! page. The use case is `tiendo_app::portal::articles::draft_from_visit`.

use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppError;
use crate::extract::Path;
use crate::layout::Ctx;

/// Whether the actor may start an article (the portal's editors).
pub fn may_draft(ctx: &Ctx) -> bool {
    tiendo_app::portal::may_create(ctx.auth.session())
}

/// `POST /visits/{id}/article`: drafts the article and opens it in the portal's editor.
pub async fn create(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let made =
        tiendo_app::portal::articles::draft_from_visit(ctx.state.app(), ctx.auth.session(), id, ctx.lang).await?;
    let done = if made.skipped_photos > 0 { "created_partly" } else { "created" };
    Ok(Redirect::to(&format!("/admin/articles/{}?done={done}", made.article_id)).into_response())
}
