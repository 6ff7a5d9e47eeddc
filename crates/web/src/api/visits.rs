//! `/api/v1/visits`: working visits with their delegation, stops, conclusions and directives (each with
//! its derived status), photos and documents; creating and replacing a visit, adding conclusions and
//! directives, and the notice of conclusions as DOCX or PDF. The same operations as the pages
//! (`crate::visits::service`), so the same rules and the same field names in errors.

use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::monitoring::derive_status;
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, MemberDraft, Phase, StopDraft, VisitDraft};
use tiendo_db::monitoring::assignments::{self, AssignmentRow};
use tiendo_db::visits::{self, VisitFilter};
use utoipa::{IntoParams, ToSchema};

use super::ListPage;
use super::extract::{ApiJson, ApiQuery};
use super::monitoring::DeadlineBody;
use super::paging::Paging;
use crate::documents::Format;
use crate::error::{AppError, FieldError, Problem};
use crate::layout::Ctx;
use crate::monitoring::today;
use crate::visits::{self as pages, service};

/// A visit in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitItem {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// `upcoming`, `ongoing` or `past` (Vietnam time).
    pub phase: String,
    /// The organising organisation.
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// The leader.
    pub leader_person_id: Option<i64>,
    /// The leader's name.
    pub leader_name: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A member of the delegation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    /// The person.
    pub person_id: i64,
    /// The name with the title.
    pub name: String,
    /// `leader`, `deputy`, `member` or `secretary`.
    pub role: String,
    /// The organisation represented.
    pub organization_id: Option<i64>,
    /// Its name.
    pub organization_name: Option<String>,
    /// The office, as the notice names it.
    pub position: Option<String>,
}

/// A stop.
#[derive(Debug, Serialize, ToSchema)]
pub struct StopOut {
    /// Id.
    pub id: i64,
    /// Day.
    pub date: NaiveDate,
    /// Time (`08:30`).
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The host's administrative unit at the time.
    pub admin_unit_id: Option<i64>,
    /// Its name.
    pub locality: Option<String>,
    /// Agenda.
    pub agenda: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// General assessment.
    pub assessment: Option<String>,
}

/// A directive: an assignment of monitoring.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectiveOut {
    /// The assignment's id (`/assignments/{id}`).
    pub assignment_id: i64,
    /// The lead organisation.
    pub lead_org_id: i64,
    /// Its name.
    pub lead_name: String,
    /// The coordinating organisations.
    pub coordinator_org_ids: Vec<i64>,
    /// The deadline, as in `/assignments`.
    pub deadline: DeadlineBody,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The derived status: `completed_on_time`, `completed_late`, `in_progress`, `not_started`,
    /// `overdue`, `cancelled`.
    pub status: String,
    /// The due date of the current cycle.
    pub due_on: Option<NaiveDate>,
    /// Days late (overdue or completed late).
    pub days_late: Option<i64>,
    /// Latest accepted progress, 0–100.
    pub percent: i64,
    /// The accepted completion date.
    pub completed_on: Option<NaiveDate>,
    /// When the leaders of the assigning side were told it is overdue.
    pub escalated_at: Option<DateTime<Utc>>,
}

/// A conclusion with its directives.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConclusionOut {
    /// The task that carries it in the visit's plan.
    pub task_id: i64,
    /// Its number.
    pub code: String,
    /// What was concluded.
    pub text: String,
    /// The expected product.
    pub expected_product: Option<String>,
    /// The stop it was taken at; `null` for the whole visit.
    pub stop_id: Option<i64>,
    /// Its directives.
    pub directives: Vec<DirectiveOut>,
}

/// A photo or document.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileOut {
    /// Id.
    pub id: i64,
    /// The stored file (`/files/{attachment_id}/{name}`).
    pub attachment_id: i64,
    /// `photo` or `document`.
    pub kind: String,
    /// The stop, if any.
    pub stop_id: Option<i64>,
    /// Caption.
    pub caption: Option<String>,
    /// Alternative text (photos).
    pub alt_text: Option<String>,
    /// The file's name.
    pub name: String,
    /// Its content type.
    pub content_type: String,
    /// Where to download it.
    pub url: String,
}

/// A visit with everything it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitOut {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation (the assigning side of the directives).
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// The decision forming the delegation.
    pub legal_basis_id: Option<i64>,
    /// Its symbol.
    pub legal_basis_symbol: Option<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// `upcoming`, `ongoing` or `past`.
    pub phase: String,
    /// The general assessment.
    pub assessment: Option<String>,
    /// The plan tracking its conclusions (`/plans/{plan_id}`).
    pub plan_id: Option<i64>,
    /// The plan it follows up.
    pub parent_plan_id: Option<i64>,
    /// The delegation, leader first.
    pub members: Vec<MemberOut>,
    /// The stops.
    pub stops: Vec<StopOut>,
    /// The conclusions, with their directives.
    pub conclusions: Vec<ConclusionOut>,
    /// Photos and documents.
    pub files: Vec<FileOut>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

async fn directive_out(
    ctx: &Ctx,
    row: &AssignmentRow,
    escalations: &[(i64, NaiveDate, DateTime<Utc>)],
) -> Result<DirectiveOut, AppError> {
    let status = derive_status(&row.facts(), today());
    Ok(DirectiveOut {
        assignment_id: row.id,
        lead_org_id: row.lead_org_id,
        lead_name: row.lead_name.clone(),
        coordinator_org_ids: assignments::coordinators(ctx.state.db(), row.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        deadline: row.deadline().into(),
        priority: row.priority.clone(),
        status: status.kind.code().to_owned(),
        due_on: status.due_on,
        days_late: status.days_late,
        percent: row.percent,
        completed_on: row.completed_on,
        escalated_at: escalations.iter().filter(|(a, _, _)| *a == row.id).map(|(_, _, at)| *at).next_back(),
    })
}

/// The full API form of a visit the caller may see.
async fn visit_out(ctx: &Ctx, id: i64) -> Result<VisitOut, AppError> {
    let v = pages::visible(ctx, id).await?;
    let db = ctx.state.db();
    let directives = visits::directives(db, id).await?;
    let escalations = visits::escalated(db, id).await?;
    let mut conclusions = Vec::new();
    for c in visits::conclusions(db, id).await? {
        let mut out = Vec::new();
        for row in directives.iter().filter(|r| r.task_id == c.task_id) {
            out.push(directive_out(ctx, row, &escalations).await?);
        }
        conclusions.push(ConclusionOut {
            task_id: c.task_id,
            code: c.code,
            text: c.text,
            expected_product: c.expected_product,
            stop_id: c.stop_id,
            directives: out,
        });
    }
    Ok(VisitOut {
        id: v.id,
        phase: Phase::of(v.starts_on, v.ends_on, today()).code().to_owned(),
        members: visits::members(db, id)
            .await?
            .into_iter()
            .map(|m| MemberOut {
                person_id: m.person_id,
                name: m.person_name,
                role: m.role,
                organization_id: m.organization_id,
                organization_name: m.organization_name,
                position: m.position,
            })
            .collect(),
        stops: visits::stops(db, id)
            .await?
            .into_iter()
            .map(|s| StopOut {
                id: s.id,
                date: s.on_date,
                time: s.start_time,
                place: s.place,
                host_org_id: s.host_org_id,
                host_name: s.host_name,
                admin_unit_id: s.admin_unit_id,
                locality: s.unit_name,
                agenda: s.agenda,
                minutes: s.minutes,
                assessment: s.assessment,
            })
            .collect(),
        conclusions,
        files: visits::files(db, id)
            .await?
            .into_iter()
            .map(|f| FileOut {
                url: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
                id: f.id,
                attachment_id: f.attachment_id,
                kind: f.kind,
                stop_id: f.stop_id,
                caption: f.caption,
                alt_text: f.alt_text,
                name: f.original_name,
                content_type: f.content_type,
            })
            .collect(),
        title: v.title,
        purpose: v.purpose,
        organizer_org_id: v.organizer_org_id,
        organizer_name: v.organizer_name,
        legal_basis_id: v.legal_basis_id,
        legal_basis_symbol: v.legal_basis_symbol,
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        assessment: v.assessment,
        plan_id: v.plan_id,
        parent_plan_id: v.parent_plan_id,
        is_sample: v.is_sample,
        created_at: v.created_at,
        updated_at: v.updated_at,
    })
}

/// Filters of the visit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitListQuery {
    /// Only visits ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Only visits starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Only visits with a stop in this administrative unit (its id) or a unit under it.
    pub locality: Option<i64>,
    /// Only visits this organisation organised, hosted or sent a member to.
    pub organization: Option<i64>,
    /// Only visits led by this person.
    pub leader: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
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
    let vis = pages::visibility(&ctx.state, &ctx.auth.actor).await?;
    let filter =
        VisitFilter { from: q.from, to: q.to, locality: q.locality, org: q.organization, leader: q.leader, host: None };
    let rows = visits::list(ctx.state.db(), &filter, &vis).await?;
    let total = rows.len() as i64;
    let now = today();
    let items: Vec<VisitItem> = rows
        .into_iter()
        .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(paging.limit).unwrap_or(0))
        .map(|v| VisitItem {
            phase: Phase::of(v.starts_on, v.ends_on, now).code().to_owned(),
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
    Ok(Json(ListPage { next: paging.next(items.len(), total), items, total }))
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

/// A member to record: a person of the directory by id, or by name.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MemberIn {
    /// The person's id in the directory.
    pub person_id: Option<i64>,
    /// Or their name as in the directory ("TS. Nguyễn Đắc Bình Minh").
    pub name: Option<String>,
    /// `leader`, `deputy`, `member` (default) or `secretary`.
    pub role: Option<String>,
    /// The organisation represented (default: the person's own).
    pub organization_id: Option<i64>,
}

/// A stop to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StopIn {
    /// A stored stop's id, to keep it (with its conclusions and photos) when replacing a visit.
    pub id: Option<i64>,
    /// The day, within the visit's dates.
    pub date: Option<NaiveDate>,
    /// The time (`08:30`, `8h30`).
    pub time: Option<String>,
    /// The place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_org_id: Option<i64>,
    /// Agenda.
    pub agenda: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// General assessment.
    pub assessment: Option<String>,
}

/// A visit to create, or the new state of one (stops not listed are removed).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VisitIn {
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation.
    pub organizer_org_id: Option<i64>,
    /// The decision forming the delegation (a document of the register).
    pub legal_basis_id: Option<i64>,
    /// The plan or programme the visit follows up.
    pub parent_plan_id: Option<i64>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// The general assessment of the whole visit.
    pub assessment: Option<String>,
    /// The delegation, with exactly one leader.
    #[serde(default)]
    pub members: Vec<MemberIn>,
    /// The stops, at least one.
    #[serde(default)]
    pub stops: Vec<StopIn>,
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl VisitIn {
    fn draft(&self, stored_stops: &[i64]) -> VisitDraft {
        let mut stops: Vec<StopDraft> = self
            .stops
            .iter()
            .map(|s| StopDraft {
                id: id_text(s.id),
                date: date_text(s.date),
                time: s.time.clone().unwrap_or_default(),
                place: s.place.clone().unwrap_or_default(),
                host_id: id_text(s.host_org_id),
                agenda: s.agenda.clone().unwrap_or_default(),
                minutes: s.minutes.clone().unwrap_or_default(),
                assessment: s.assessment.clone().unwrap_or_default(),
            })
            .collect();
        // Stored stops left out are removed (as an emptied row of the form).
        for id in stored_stops.iter().filter(|id| !self.stops.iter().any(|s| s.id == Some(**id))) {
            stops.push(StopDraft { id: id.to_string(), ..StopDraft::default() });
        }
        VisitDraft {
            title: self.title.clone(),
            purpose: self.purpose.clone(),
            organizer_id: id_text(self.organizer_org_id),
            legal_basis_id: id_text(self.legal_basis_id),
            parent_plan_id: id_text(self.parent_plan_id),
            starts_on: date_text(self.starts_on),
            ends_on: date_text(self.ends_on),
            assessment: self.assessment.clone().unwrap_or_default(),
            members: self
                .members
                .iter()
                .map(|m| MemberDraft {
                    name: m.name.clone().unwrap_or_default(),
                    person_id: id_text(m.person_id),
                    role: m.role.clone().unwrap_or_default(),
                    organization_id: id_text(m.organization_id),
                })
                .collect(),
            stops,
        }
    }
}

fn created(location: String, body: impl Serialize) -> Response {
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
    let id = service::save_visit(&ctx, None, &input.draft(&[])).await?;
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
    pages::visible(&ctx, id).await?;
    let stored: Vec<i64> = visits::stops(ctx.state.db(), id).await?.iter().map(|s| s.id).collect();
    service::save_visit(&ctx, Some(id), &input.draft(&stored)).await?;
    Ok(Json(visit_out(&ctx, id).await?))
}

/// A directive to give.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DirectiveIn {
    /// The responsible (lead) organisation; required.
    pub lead_org_id: Option<i64>,
    /// The coordinating organisations.
    #[serde(default)]
    pub coordinator_org_ids: Vec<i64>,
    /// The deadline, as in `/assignments`; required, not before the conclusion's day.
    pub deadline: Option<DeadlineBody>,
    /// `high`, `normal` (default) or `low`.
    pub priority: Option<String>,
}

impl DirectiveIn {
    /// The draft the shared operation checks, and the problems of a deadline sent incomplete (named
    /// `{prefix}deadline.due_on` and so on, as in `/assignments`).
    fn draft(&self, prefix: &str, problems: &mut Vec<FieldError>) -> DirectiveDraft {
        let deadline = self.deadline.as_ref().and_then(|body| {
            let mut errors = Vec::new();
            let deadline = body.draft().deadline(&mut errors);
            problems.extend(errors.into_iter().map(|mut e| {
                e.field = format!("{prefix}{}", e.field);
                e
            }));
            deadline
        });
        DirectiveDraft {
            lead_id: self.lead_org_id,
            coordinators: self.coordinator_org_ids.clone(),
            deadline,
            priority: self.priority.clone().unwrap_or_default(),
        }
    }
}

/// Runs a shared operation on directives whose deadlines were parsed with `problems`: a deadline sent
/// incomplete is reported on its own field, in place of the "deadline required" it leads to, together
/// with every other problem of the body.
fn with_deadline_problems<T>(result: Result<T, AppError>, problems: Vec<FieldError>) -> Result<T, AppError> {
    if problems.is_empty() {
        return result;
    }
    let mut errors = match result {
        Err(AppError::Validation(errors)) => errors,
        Err(other) => return Err(other),
        Ok(_) => Vec::new(),
    };
    errors.retain(|e| !(e.code == "deadline_required" && problems.iter().any(|p| p.field.starts_with(&e.field))));
    errors.extend(problems);
    Err(AppError::Validation(errors))
}

/// A conclusion to record, with its directives (at least one).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConclusionIn {
    /// What was concluded.
    pub text: String,
    /// The expected product.
    pub expected_product: Option<String>,
    /// The stop it was taken at; absent for the whole visit.
    pub stop_id: Option<i64>,
    /// Its directives.
    #[serde(default)]
    pub directives: Vec<DirectiveIn>,
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
    let conclusion = ConclusionDraft {
        text: input.text.clone(),
        expected_product: input.expected_product.clone().unwrap_or_default(),
    };
    let mut problems = Vec::new();
    let directives: Vec<DirectiveDraft> = input
        .directives
        .iter()
        .enumerate()
        .map(|(i, d)| d.draft(&format!("directives[{i}]."), &mut problems))
        .collect();
    let added =
        service::add_conclusion(&ctx, id, input.stop_id, &conclusion, &directives, |i| format!("directives[{i}]."))
            .await;
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
    let assignment = with_deadline_problems(service::add_directive(&ctx, id, task_id, &draft, "").await, problems)?;
    let row = assignments::get(ctx.state.db(), assignment).await?.ok_or(AppError::NotFound)?;
    let escalations = visits::escalated(ctx.state.db(), id).await?;
    Ok(created(format!("/api/v1/visits/{id}"), directive_out(&ctx, &row, &escalations).await?))
}

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

/// Which notice to produce.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `docx` (default) or `pdf`.
    pub format: Option<String>,
    /// A stop's id for the notice of that stop; absent for the whole visit.
    pub stop: Option<i64>,
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
        .ok_or_else(|| super::paging::invalid("format: docx or pdf".into()))?;
    pages::notice::file(ctx, id, q.stop, format).await
}
