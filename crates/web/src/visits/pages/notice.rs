//! The notice of conclusions (thông báo kết luận) of a stop or of the whole visit, as DOCX or PDF in the
//! official format (`tiendo_app::visits::export_notice`): a draft for registration, with no number yet
//! and today's date.

use axum::response::{IntoResponse, Response};
use tiendo_app::document_templates::Format;

use crate::documents::DocumentFile;
use crate::error::AppError;
use crate::extract::Path;
use crate::layout::Ctx;

/// The notice as a download: `stop` none for the whole visit.
pub async fn file(ctx: &Ctx, id: i64, stop: Option<i64>, format: Format) -> Result<Response, AppError> {
    let file = tiendo_app::visits::export_notice(ctx.state.app(), ctx.auth.session(), id, stop, format).await?;
    Ok(DocumentFile { bytes: file.bytes, content_type: file.content_type, file_name: file.file_name }.into_response())
}

/// `GET /visits/{id}/notice.docx`: the notice of the whole visit.
pub async fn visit_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    file(&ctx, id, None, Format::Docx).await
}

/// `GET /visits/{id}/notice.pdf`.
pub async fn visit_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    file(&ctx, id, None, Format::Pdf).await
}

/// `GET /visits/{id}/stops/{stop}/notice.docx`: the notice of one stop.
pub async fn stop_docx(ctx: Ctx, Path((id, stop)): Path<(i64, i64)>) -> Result<Response, AppError> {
    file(&ctx, id, Some(stop), Format::Docx).await
}

/// `GET /visits/{id}/stops/{stop}/notice.pdf`.
pub async fn stop_pdf(ctx: Ctx, Path((id, stop)): Path<(i64, i64)>) -> Result<Response, AppError> {
    file(&ctx, id, Some(stop), Format::Pdf).await
}
