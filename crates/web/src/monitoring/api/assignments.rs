//! `/api/v1/assignments`, `/api/v1/tasks/{id}/assignments`: the list with the filters of `/assignments`,
//! one assignment with its derived status, assigning a task to one or many organisations, and the flags.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::assignments::{self as assigning, AssignDraft, ListFilter};
use tiendo_app::monitoring::dashboards::assignment_progress;
use tiendo_core::monitoring::{AssignmentAction, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentRow, Flags, PageRequest};
use utoipa::{IntoParams, ToSchema};

use super::{DeadlineBody, OrgRef, StatusBody, paged};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// The flags the assigning side sets.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlagsEntry {
    /// Flagged at risk by the assigning side (the status's `at_risk` also counts a near deadline).
    pub at_risk: bool,
    /// Blocked (waiting for guidance, say).
    pub blocked: bool,
    /// Cancelled or superseded; left out of the counts.
    pub cancelled: bool,
}

/// An assignment: a task given to a lead organisation, with its deadline and derived status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentEntry {
    /// Id.
    pub id: i64,
    /// The task.
    pub task_id: i64,
    /// The task's numbering.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The plan.
    pub plan_id: i64,
    /// The plan's title.
    pub plan_title: String,
    /// The lead organisation (chủ trì).
    pub lead: OrgRef,
    /// The deadline.
    pub deadline: DeadlineBody,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The date of assignment.
    pub assigned_on: NaiveDate,
    /// Progress, 0–100: 100 when completed, else the latest accepted percent.
    pub progress: i64,
    /// The accepted completion date.
    pub completed_on: Option<NaiveDate>,
    /// The status as of today (Vietnam time), derived from the deadline and the accepted completion.
    pub status: StatusBody,
    /// The flags.
    pub flags: FlagsEntry,
    /// The latest progress update.
    pub last_update_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// An assignment as listed, with its status as of `now`.
pub fn entry(r: &AssignmentRow, now: NaiveDate) -> AssignmentEntry {
    let s = derive_status(&r.facts(), now);
    AssignmentEntry {
        id: r.id,
        task_id: r.task_id,
        task_code: r.task_code.clone(),
        task_title: r.task_title.clone(),
        plan_id: r.plan_id,
        plan_title: r.plan_title.clone(),
        lead: OrgRef { id: r.lead_org_id, name: r.lead_name.clone() },
        deadline: r.deadline().into(),
        priority: r.priority.clone(),
        assigned_on: r.assigned_on,
        progress: assignment_progress(r, &s) as i64,
        completed_on: r.completed_on,
        status: (&s).into(),
        flags: FlagsEntry { at_risk: r.flagged_at_risk, blocked: r.blocked, cancelled: r.cancelled },
        last_update_at: r.last_update_at,
        is_sample: r.is_sample,
    }
}

/// Filters of the list, as on `/assignments`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentsQuery {
    /// A plan (with its sub-plans).
    plan: Option<i64>,
    /// The lead organisation.
    lead: Option<i64>,
    /// Led or coordinated by this organisation.
    org: Option<i64>,
    /// A status code (`completed_on_time`, `completed_late`, `in_progress`, `not_started`, `overdue`,
    /// `cancelled`), or the flags `at_risk`, `blocked`.
    status: Option<String>,
    /// `high`, `normal` or `low`.
    priority: Option<String>,
    /// Words of the task's title, diacritics ignored.
    q: Option<String>,
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// The assignments the caller sees that match the filters of `/assignments`.
///
/// Most overdue first, then by id, as on the page. Department staff over the province see all; a unit sees
/// what it leads or coordinates.
#[utoipa::path(get, path = "/assignments", tag = "monitoring", operation_id = "list_assignments", security(("bearer" = [])),
    params(AssignmentsQuery),
    responses(
        (status = 200, description = "Assignments", body = ListPage<AssignmentEntry>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_assignments(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AssignmentsQuery>,
) -> Result<Json<ListPage<AssignmentEntry>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = ListFilter {
        status: q.status.unwrap_or_default(),
        plan: q.plan,
        lead: q.lead,
        org: q.org,
        q: q.q.unwrap_or_default(),
        priority: q.priority.unwrap_or_default(),
    };
    let app = ctx.state.app();
    let page = PageRequest { limit: Some(paging.limit), offset: paging.offset };
    let (rows, total) = assigning::list(app, ctx.auth.session(), &filter, page).await?;
    let now = app.today();
    Ok(Json(paged(paging, rows.iter().map(|r| entry(r, now)).collect(), total)))
}

/// What the caller may do with the assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PermissionsEntry {
    /// Write and submit progress updates (the lead organisation).
    pub report: bool,
    /// Set the flags (the assigning side).
    pub manage: bool,
    /// Accept or return submitted updates (the assigning side).
    pub review: bool,
}

/// The document an assignment was made by.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentRef {
    /// Id.
    pub id: i64,
    /// Its symbol.
    pub symbol: Option<String>,
}

/// An assignment with its coordinators and details.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentDetail {
    /// The assignment.
    pub assignment: AssignmentEntry,
    /// The coordinating organisations (phối hợp).
    pub coordinators: Vec<OrgRef>,
    /// Why it is blocked.
    pub blocked_reason: Option<String>,
    /// The task's expected product.
    pub expected_product: Option<String>,
    /// The assigning document.
    pub source_document: Option<DocumentRef>,
    /// Where it came from (`visit:12`, a directive of a working visit).
    pub origin: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// Who assigned it.
    pub assigned_by: Option<String>,
    /// What the caller may do.
    pub permissions: PermissionsEntry,
}

async fn detail(ctx: &Ctx, id: i64) -> Result<AssignmentDetail, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let assignment = assigning::load(app, session, id).await?;
    let actions = assignment.actions(session);
    let row = assignment.row;
    let extra = assignments::extra(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let coordinators = assignments::coordinators(ctx.state.db(), id)
        .await?
        .into_iter()
        .map(|(id, name)| OrgRef { id, name })
        .collect();
    Ok(AssignmentDetail {
        assignment: entry(&row, app.today()),
        coordinators,
        blocked_reason: extra.blocked_reason,
        expected_product: extra.expected_product,
        source_document: extra.source_document_id.map(|id| DocumentRef { id, symbol: extra.source_symbol }),
        origin: extra.origin,
        note: extra.note,
        assigned_by: extra.assigned_by_name,
        permissions: PermissionsEntry {
            report: actions.contains(&AssignmentAction::Report),
            manage: actions.contains(&AssignmentAction::SetFlags),
            review: actions.contains(&AssignmentAction::Review),
        },
    })
}

/// One assignment: deadline, derived status with the days late, flags, coordinators.
///
/// With what the caller may do (`permissions`). 404 when the caller may not see it, as on the page.
#[utoipa::path(get, path = "/assignments/{id}", tag = "monitoring", operation_id = "get_assignment", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The assignment", body = AssignmentDetail),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_assignment(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<AssignmentDetail>, AppError> {
    ctx.auth.require_user()?;
    Ok(Json(detail(&ctx, id).await?))
}

/// A task to assign: one assignment per lead organisation, all with the same coordinators and deadline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// The lead organisations (chủ trì); one assignment each.
    #[serde(default)]
    pub lead_org_ids: Vec<i64>,
    /// Also assign it to every commune-level People's Committee in force.
    #[serde(default)]
    pub all_communes: bool,
    /// The coordinating organisations (phối hợp).
    #[serde(default)]
    pub coordinator_org_ids: Vec<i64>,
    /// The deadline; a date before `assigned_on` is the field error `deadline_before_assignment`, a
    /// period ending before it starts `period_reversed`, a day that does not exist `no_such_day`.
    pub deadline: DeadlineBody,
    /// `high`, `normal` (default) or `low`.
    #[serde(default = "normal")]
    pub priority: String,
    /// The date of assignment (default today).
    #[serde(default)]
    pub assigned_on: Option<NaiveDate>,
    /// The assigning document.
    #[serde(default)]
    pub source_document_id: Option<i64>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

fn normal() -> String {
    "normal".to_owned()
}

/// Assigns a task to one or many lead organisations at once (department staff).
///
/// One assignment per lead organisation (and per commune with `all_communes`), each with the same
/// coordinators, deadline and priority; the same rules as the assigning page.
#[utoipa::path(post, path = "/tasks/{id}/assignments", tag = "monitoring", operation_id = "create_assignments", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    request_body = AssignBody,
    responses(
        (status = 201, description = "The assignments made, in the order of the lead organisations' ids", body = ListPage<AssignmentEntry>),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to assign", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`lead_required`, `deadline_before_assignment`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_assignments(
    ctx: Ctx,
    Path(task_id): Path<i64>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<(StatusCode, Json<ListPage<AssignmentEntry>>), AppError> {
    ctx.auth.require_user()?;
    let draft = AssignDraft {
        leads: body.lead_org_ids,
        all_communes: body.all_communes,
        coordinators: body.coordinator_org_ids,
        deadline: body.deadline.fields(),
        priority: body.priority,
        assigned_on: body.assigned_on,
        source_document_id: body.source_document_id,
        note: body.note,
        assigned_by: None,
        is_sample: false,
        unreadable: Vec::new(),
    };
    let app = ctx.state.app();
    let ids = assigning::assign(app, ctx.auth.session(), task_id, &draft).await?;
    let now = app.today();
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let row = assignments::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
        items.push(entry(&row, now));
    }
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok((StatusCode::CREATED, Json(ListPage { items, total, next: None })))
}

/// The flags of an assignment; every flag is sent (a missing one is `false`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FlagsBody {
    /// At risk.
    #[serde(default)]
    pub at_risk: bool,
    /// Blocked.
    #[serde(default)]
    pub blocked: bool,
    /// Why it is blocked (kept only when `blocked`).
    #[serde(default)]
    pub blocked_reason: Option<String>,
    /// Cancelled.
    #[serde(default)]
    pub cancelled: bool,
}

/// Sets the flags of an assignment (the assigning side).
#[utoipa::path(put, path = "/assignments/{id}/flags", tag = "monitoring", operation_id = "set_assignment_flags", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = FlagsBody,
    responses(
        (status = 200, description = "Set; the assignment", body = AssignmentDetail),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the assigning side", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_assignment_flags(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<FlagsBody>,
) -> Result<Json<AssignmentDetail>, AppError> {
    ctx.auth.require_user()?;
    let flags = Flags {
        at_risk: body.at_risk,
        blocked: body.blocked,
        blocked_reason: body.blocked_reason,
        cancelled: body.cancelled,
    };
    assigning::set_flags(ctx.state.app(), ctx.auth.session(), id, &flags).await?;
    Ok(Json(detail(&ctx, id).await?))
}
