//! Exports of monitoring: the assignments list as XLSX (with the filters on screen), and the report
//! "Báo cáo kết quả thực hiện …" of a plan as DOCX or PDF in the official format. Both are produced by
//! `tiendo_app::monitoring::official_documents`; this module sends them.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_app::monitoring::official_documents::{self, Format};

use super::assignments::ListQuery;
use crate::error::AppError;
use crate::layout::Ctx;

use crate::extract::{Path, Query};
pub use tiendo_app::monitoring::official_documents::authority_of;

/// A downloadable file response.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition =
        format!("attachment; filename*=UTF-8''{}", crate::forms::url_encode(file_name).replace('+', "%20"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `GET /assignments.xlsx`: the list as on screen (same filters), with a notes sheet naming them.
pub async fn assignments_xlsx(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let bytes = official_documents::assignments_workbook(app, ctx.auth.session(), &ctx.tr, &q.filter()).await?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("giao-viec-{}.xlsx", app.today().format("%Y%m%d")),
    ))
}

/// The plan report as a file.
async fn plan_report_file(ctx: &Ctx, id: i64, format: Format) -> Result<Response, AppError> {
    let bytes = official_documents::export_plan_report(ctx.state.app(), ctx.auth.session(), id, format).await?;
    let content_type = match format {
        Format::Docx => crate::documents::Format::Docx.content_type(),
        Format::Pdf => crate::documents::Format::Pdf.content_type(),
    };
    Ok(download(bytes, content_type, &format!("bao-cao-ke-hoach-{id}.{}", format.extension())))
}

/// `GET /plans/{id}/report.docx`: "Báo cáo kết quả thực hiện …" with the status table and charts.
pub async fn plan_report_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    plan_report_file(&ctx, id, Format::Docx).await
}

/// `GET /plans/{id}/report.pdf`: the same report as PDF.
pub async fn plan_report_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    plan_report_file(&ctx, id, Format::Pdf).await
}
