//! `/api/v1/visits`: working visits with their delegation, stops, conclusions and directives (each with
//! its derived status), photos and documents, and what the caller may do with them; creating and replacing
//! a visit, adding conclusions and directives, and the notice of conclusions as DOCX or PDF. The handlers
//! call the same use cases as the pages (`tiendo_app::visits`), so the same rules and the same field
//! names in errors.

mod schema;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tiendo_app::document_templates::Format;
use tiendo_app::visits::{self as use_cases, NewConclusion, OmittedStops};
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, Phase};
use tiendo_db::directory::Page;
use tiendo_db::visits::{self, VisitFilter};

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::layout::Ctx;

use crate::extract::Path;
pub use schema::{
    ConclusionIn, ConclusionOut, DirectiveIn, DirectiveOut, FileOut, MemberIn, MemberOut, NoticeQuery, StopIn, StopOut,
    VisitIn, VisitItem, VisitListQuery, VisitOut, VisitPermissions,
};

/// The full API form of a visit the caller may see.
async fn visit_out(ctx: &Ctx, id: i64) -> Result<VisitOut, AppError> {
    let app = ctx.state.app();
    let detail = use_cases::detail(app, ctx.auth.session(), id).await?;
    Ok(VisitOut::of(detail, app.today()))
}

/// The visits the caller may see, by first day.
#[utoipa::path(get, path = "/visits", tag = "visits", operation_id = "list_visits",
    params(VisitListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Visits by first day", body = ListPage<VisitItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_visits(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<VisitListQuery>,
) -> Result<Json<ListPage<VisitItem>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let app = ctx.state.app();
    let scope = ctx.auth.session().scope(app).await?;
    let filter =
        VisitFilter { from: q.from, to: q.to, locality: q.locality, org: q.organization, leader: q.leader, host: None };
    let page = visits::page(app.db(), &filter, scope, Page { offset: paging.offset, limit: paging.limit }).await?;
    let today = app.today();
    let items: Vec<VisitItem> = page
        .items
        .into_iter()
        .map(|v| VisitItem {
            phase: Phase::of(v.starts_on, v.ends_on, today).code().to_owned(),
            id: v.id,
            title: v.title,
            starts_on: v.starts_on,
            ends_on: v.ends_on,
            organizer_org_id: v.organizer_org_id,
            organizer_name: v.organizer_name,
            leader_person_id: v.leader_id,
            leader_name: v.leader_name,
            is_sample: v.is_sample,
        })
        .collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// One visit with its delegation, stops, conclusions, directives (with their derived status) and files.
#[utoipa::path(get, path = "/visits/{id}", tag = "visits", operation_id = "get_visit",
    params(("id" = i64, Path, description = "The visit's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The visit", body = VisitOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_visit(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<VisitOut>, AppError> {
    Ok(Json(visit_out(&ctx, id).await?))
}

/// A 201 with the address of what was created.
pub(crate) fn created(location: String, body: impl Serialize) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Creates a visit with its delegation and stops (and the plan that will track its conclusions).
#[utoipa::path(post, path = "/visits", tag = "visits", operation_id = "create_visit",
    request_body = VisitIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = VisitOut),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`stop_outside_visit`, `member_unknown`, `leader_required`, `date_order`, `scope_outside`, ...)",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_visit(ctx: Ctx, ApiJson(input): ApiJson<VisitIn>) -> Result<Response, AppError> {
    let id = use_cases::create(ctx.state.app(), ctx.auth.session(), &input.draft()).await?;
    Ok(created(format!("/api/v1/visits/{id}"), visit_out(&ctx, id).await?))
}

/// Replaces a visit's fields, delegation and stops (stops sent with their id are kept with their
/// conclusions and photos; stops left out are removed unless they carry any).
#[utoipa::path(put, path = "/visits/{id}", tag = "visits", operation_id = "update_visit",
    params(("id" = i64, Path, description = "The visit's id")),
    request_body = VisitIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The visit as stored", body = VisitOut),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May see the visit but not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_visit(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VisitIn>,
) -> Result<Json<VisitOut>, AppError> {
    use_cases::update(ctx.state.app(), ctx.auth.session(), id, &input.draft(), OmittedStops::Remove).await?;
    Ok(Json(visit_out(&ctx, id).await?))
}

/// Runs a shared operation on directives whose deadlines were parsed with `problems`: a deadline sent
/// incomplete is reported on its own field, in place of the "deadline required" it leads to, together
/// with every other problem of the body.
fn with_deadline_problems<T>(result: tiendo_app::Result<T>, problems: Vec<FieldError>) -> Result<T, AppError> {
    if problems.is_empty() {
        return Ok(result?);
    }
    let mut errors = match result {
        Err(tiendo_app::Error::Invalid(errors)) => errors,
        Err(other) => return Err(other.into()),
        Ok(_) => Vec::new(),
    };
    errors.retain(|e| !(e.code == "deadline_required" && problems.iter().any(|p| p.field.starts_with(&e.field))));
    errors.extend(problems);
    Err(AppError::Validation(errors))
}

/// Records a conclusion with its directives; each directive becomes an assignment of monitoring (in
/// every dashboard, list and reminder). Errors name `directives[i].lead_id`, `directives[i].deadline`.
#[utoipa::path(post, path = "/visits/{id}/conclusions", tag = "visits", operation_id = "create_visit_conclusion",
    params(("id" = i64, Path, description = "The visit's id")),
    request_body = ConclusionIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ConclusionOut),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May see the visit but not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`lead_required`, `deadline_required`, `deadline_before_assignment`, ...)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn create_visit_conclusion(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ConclusionIn>,
) -> Result<Response, AppError> {
    let mut problems = Vec::new();
    let directives: Vec<DirectiveDraft> = input
        .directives
        .iter()
        .enumerate()
        .map(|(i, d)| d.draft(&format!("directives[{i}]."), &mut problems))
        .collect();
    let conclusion = NewConclusion {
        stop_id: input.stop_id,
        conclusion: ConclusionDraft {
            text: input.text.clone(),
            expected_product: input.expected_product.clone().unwrap_or_default(),
        },
        directives,
    };
    let added = use_cases::add_conclusion(ctx.state.app(), ctx.auth.session(), id, &conclusion).await;
    let task = with_deadline_problems(added, problems)?;
    let visit = visit_out(&ctx, id).await?;
    let out = visit.conclusions.into_iter().find(|c| c.task_id == task).ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/visits/{id}"), out))
}

/// Gives one more directive for a conclusion.
#[utoipa::path(post, path = "/visits/{id}/conclusions/{task_id}/directives", tag = "visits",
    operation_id = "create_visit_directive",
    params(("id" = i64, Path, description = "The visit's id"), ("task_id" = i64, Path, description = "The conclusion's task id")),
    request_body = DirectiveIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = DirectiveOut),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "May see the visit but not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit or conclusion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`lead_required`, `deadline_required`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_visit_directive(
    ctx: Ctx,
    Path((id, task_id)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<DirectiveIn>,
) -> Result<Response, AppError> {
    let mut problems = Vec::new();
    let draft = input.draft("", &mut problems);
    let added = use_cases::add_directive(ctx.state.app(), ctx.auth.session(), id, task_id, &draft).await;
    let assignment = with_deadline_problems(added, problems)?;
    let visit = visit_out(&ctx, id).await?;
    let out = visit
        .conclusions
        .into_iter()
        .flat_map(|c| c.directives)
        .find(|d| d.assignment_id == assignment)
        .ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/visits/{id}"), out))
}

/// The notice of conclusions (thông báo kết luận) in the official format, as a draft for registration
/// (no number yet, today's date).
#[utoipa::path(get, path = "/visits/{id}/notice", tag = "visits", operation_id = "get_visit_notice",
    params(("id" = i64, Path, description = "The visit's id"), NoticeQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The document (`application/vnd.openxmlformats-officedocument.wordprocessingml.document` or `application/pdf`)"),
        (status = 400, description = "An unknown format (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such visit or stop", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked and no font installed (`pdf_font_missing`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_visit_notice(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<NoticeQuery>,
) -> Result<Response, AppError> {
    let format = Format::from_code(q.format.as_deref().unwrap_or("docx"))
        .ok_or_else(|| crate::api::paging::invalid("format: docx or pdf".into()))?;
    crate::visits::pages::notice::file(&ctx, id, q.stop, format).await
}
