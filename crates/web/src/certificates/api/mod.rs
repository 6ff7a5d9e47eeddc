//! `/api/v1/certificates` (issue 18): the applications for the S&T enterprise certificate with their
//! dossier, clock, conditions and timeline, the steps of their processing, and the certificates (the public
//! register, ending them, yearly reports). The handlers call the same use cases as the pages
//! (`tiendo_app::certificates`), so the same rules and the same field names in errors.

pub mod appraisal;
mod schema;

use axum::Json;
use axum::response::Response;
use tiendo_app::certificates as use_cases;
use tiendo_core::certificates::EndAction;
use tiendo_db::certificates::{ApplicationFilter, CertificateFilter};
use tiendo_db::directory::Page;

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::visits::api::created;

pub use schema::{
    ApplicationIn, ApplicationItem, ApplicationListQuery, ApplicationOut, ApplicationPermissions, CertDecisionBody,
    CertProductBody, CertificateListQuery, CertificateOut, CheckOut, ClockOut, EndIn, ReportOut, ResultBody, StepIn,
    StepOut, YearBody,
};

async fn application_out(ctx: &Ctx, id: i64) -> Result<ApplicationOut, AppError> {
    let opened = use_cases::open_application(ctx.state.app(), ctx.auth.session(), id).await?;
    let appraisal = use_cases::appraisal::appraisal(ctx.state.app(), ctx.auth.session(), &opened).await?;
    let mut out = ApplicationOut::of(&opened);
    out.permissions.appraisal = appraisal::permissions(appraisal.as_ref());
    out.appraisal = appraisal.as_ref().map(|a| appraisal::AppraisalOut::of(ctx, a));
    Ok(out)
}

/// The applications the caller may read (an enterprise's own; every one received, for the staff), the
/// latest changed first.
#[utoipa::path(get, path = "/certificates/applications", tag = "certificates", operation_id = "list_cert_applications",
    params(ApplicationListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Applications, the latest changed first", body = ListPage<ApplicationItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_cert_applications(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ApplicationListQuery>,
) -> Result<Json<ListPage<ApplicationItem>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = ApplicationFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        states: q.state.filter(|s| !s.is_empty()).into_iter().collect(),
        own: false,
    };
    let page = use_cases::list_applications(
        ctx.state.app(),
        ctx.auth.session(),
        &filter,
        Page { offset: paging.offset, limit: paging.limit },
    )
    .await?;
    let items: Vec<ApplicationItem> = page.items.iter().map(ApplicationItem::of).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// Starts an application for the caller's enterprise, as a draft (sent with the step `submit`).
#[utoipa::path(post, path = "/certificates/applications", tag = "certificates", operation_id = "create_cert_application",
    request_body = ApplicationIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ApplicationOut),
        (status = 403, description = "Not an enterprise's applicant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`tax_code_check_digit`, `tax_code_other_org`, `negative`, `exceeds_total`, `duplicate_year`, `enterprise_missing`, ...)",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_cert_application(ctx: Ctx, ApiJson(input): ApiJson<ApplicationIn>) -> Result<Response, AppError> {
    let id = use_cases::create_application(ctx.state.app(), ctx.auth.session(), &input.draft()).await?;
    Ok(created(format!("/api/v1/certificates/applications/{id}"), application_out(&ctx, id).await?))
}

/// One application with its dossier, the statutory clock, the conditions evaluated and the timeline.
#[utoipa::path(get, path = "/certificates/applications/{id}", tag = "certificates", operation_id = "get_cert_application",
    params(("id" = i64, Path, description = "The application's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application", body = ApplicationOut),
        (status = 404, description = "No such application, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_cert_application(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ApplicationOut>, AppError> {
    Ok(Json(application_out(&ctx, id).await?))
}

/// Replaces the dossier of an application the enterprise may change (a draft, or supplements asked).
#[utoipa::path(put, path = "/certificates/applications/{id}", tag = "certificates", operation_id = "update_cert_application",
    params(("id" = i64, Path, description = "The application's id")),
    request_body = ApplicationIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application as stored", body = ApplicationOut),
        (status = 403, description = "Not the enterprise's, or not open to changes", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_cert_application(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ApplicationIn>,
) -> Result<Json<ApplicationOut>, AppError> {
    use_cases::save_application(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(application_out(&ctx, id).await?))
}

/// Takes a step of the processing: `submit`, `start_check`, `request_supplement` (a note), `answer_supplement`,
/// `accept`, `issue` (the number and the decision), `refuse` (a note), `withdraw`. A decision after the
/// statutory clock ran out is taken and recorded as late.
#[utoipa::path(post, path = "/certificates/applications/{id}/steps", tag = "certificates", operation_id = "step_cert_application",
    params(("id" = i64, Path, description = "The application's id")),
    request_body = StepIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application after the step", body = ApplicationOut),
        (status = 403, description = "Another side takes this step", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a step from the current state (`cert_step_not_allowed`), or someone moved it first (`cert_stale`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "What the step records, or the dossier when sending (`required`, `document_missing`, `year_missing`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn step_cert_application(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StepIn>,
) -> Result<Json<ApplicationOut>, AppError> {
    use_cases::step(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(application_out(&ctx, id).await?))
}

/// The public register: the latest version of every certificate, looked up by name, tax code or number.
#[utoipa::path(get, path = "/certificates", tag = "certificates", operation_id = "list_certificates",
    params(CertificateListQuery),
    responses(
        (status = 200, description = "Certificates, by the enterprise's name", body = ListPage<CertificateOut>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_certificates(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CertificateListQuery>,
) -> Result<Json<ListPage<CertificateOut>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = CertificateFilter { q: q.q.filter(|s| !s.trim().is_empty()), in_force: q.in_force.unwrap_or(false) };
    let page = use_cases::lookup(ctx.state.app(), &filter, Page { offset: paging.offset, limit: paging.limit }).await?;
    let items: Vec<CertificateOut> = page.items.iter().map(CertificateOut::of).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// One version of a certificate.
#[utoipa::path(get, path = "/certificates/{id}", tag = "certificates", operation_id = "get_certificate",
    params(("id" = i64, Path, description = "The version's id")),
    responses(
        (status = 200, description = "The certificate", body = CertificateOut),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_certificate(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<CertificateOut>, AppError> {
    let opened = use_cases::open_certificate(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(CertificateOut::of(&opened.certificate)))
}

/// The format of a certificate's document.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// `docx` (default) or `pdf`.
    #[param(schema_with = crate::api::codes::document_format)]
    pub format: Option<String>,
}

/// One version of a certificate as the document the department issues (Giấy chứng nhận doanh nghiệp khoa
/// học và công nghệ), in the official format of Nghị định 30/2020; the download is audited.
#[utoipa::path(get, path = "/certificates/{id}/document", tag = "certificates", operation_id = "get_certificate_document",
    params(("id" = i64, Path, description = "The version's id"), DocumentQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The document (`application/vnd.openxmlformats-officedocument.wordprocessingml.document` or `application/pdf`)"),
        (status = 400, description = "An unknown format (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate, or the caller may not open its application", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked and no font installed (`pdf_font_missing`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_certificate_document(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> Result<Response, AppError> {
    let format = tiendo_app::document_templates::Format::from_code(q.format.as_deref().unwrap_or("docx"))
        .ok_or_else(|| crate::api::paging::invalid("format: docx or pdf".into()))?;
    crate::certificates::pages::certificate::document_file(&ctx, id, format).await
}

/// Revokes, cancels or terminates a certificate in force, with the reason and the decision.
#[utoipa::path(post, path = "/certificates/{id}/end", tag = "certificates", operation_id = "end_certificate",
    params(("id" = i64, Path, description = "The version's id")),
    request_body = EndIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The certificate as ended", body = CertificateOut),
        (status = 403, description = "Not the department's leaders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in force (`certificate_not_in_force`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason or the decision", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn end_certificate(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EndIn>,
) -> Result<Json<CertificateOut>, AppError> {
    let action = EndAction::from_code(&input.action)
        .ok_or_else(|| AppError::from(tiendo_app::Error::invalid("action", "invalid")))?;
    use_cases::end_certificate(ctx.state.app(), ctx.auth.session(), id, action, &input.draft()).await?;
    let opened = use_cases::open_certificate(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(CertificateOut::of(&opened.certificate)))
}

/// The enterprise's yearly report for a year, sent from its certificate: the enterprise's report of the
/// reporting engine's form `DN-KHCN` for that year (opened if need be) with these figures, submitted to the
/// department. The department approves it as any report (`POST /reports/{id}/decision`), which re-checks the
/// certificate's conditions on the approved figures; `holds` and `checks` are that re-check on the figures
/// sent, as a preview. The same report can be filled with the reporting API (`/reports`).
#[utoipa::path(post, path = "/certificates/{id}/reports", tag = "certificates", operation_id = "report_certificate",
    params(("id" = i64, Path, description = "The version's id")),
    request_body = YearBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report sent, and the conditions on its figures", body = ReportOut),
        (status = 403, description = "Not the enterprise", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such certificate", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in force (`certificate_not_in_force`), the year's report sent already (`report_locked`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The figures (`negative`, `exceeds_total`, a year not begun, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report_certificate(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<YearBody>,
) -> Result<Json<ReportOut>, AppError> {
    let found = use_cases::submit_report(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(ReportOut {
        report_id: found.report_id,
        status: found.status,
        holds: found.holds,
        checks: found
            .checks
            .iter()
            .map(|c| CheckOut { code: c.code.clone(), outcome: c.outcome.code().to_owned() })
            .collect(),
    }))
}
