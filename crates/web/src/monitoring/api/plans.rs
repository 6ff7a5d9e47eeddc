//! `/api/v1/plans`: plans (resolution → programme → plan) with their tasks, and each plan's dashboard
//! figures.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::dashboards::{self, summarize};
use tiendo_app::monitoring::plans::{self as planning, PlanDraft, TaskDraft};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::plans::{self, Plan, Task};
use utoipa::{IntoParams, ToSchema};

use super::assignments::{AssignmentEntry, entry};
use super::targets::{TargetEntry, target_entries};
use super::{Figures, paged};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A plan: a resolution, a programme or a plan implementing another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanEntry {
    /// Id.
    pub id: i64,
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The document it is based on.
    pub document_id: Option<i64>,
    /// That document's symbol.
    pub document_symbol: Option<String>,
    /// The plan it implements.
    pub parent_id: Option<i64>,
    /// The responsible organisation.
    pub owner_org_id: Option<i64>,
    /// Its name.
    pub owner_name: Option<String>,
    /// Start of the period.
    pub period_start: Option<NaiveDate>,
    /// End of the period.
    pub period_end: Option<NaiveDate>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl From<Plan> for PlanEntry {
    fn from(p: Plan) -> PlanEntry {
        PlanEntry {
            id: p.id,
            kind: p.kind,
            title: p.title,
            document_id: p.document_id,
            document_symbol: p.document_symbol,
            parent_id: p.parent_id,
            owner_org_id: p.owner_org_id,
            owner_name: p.owner_name,
            period_start: p.period_start,
            period_end: p.period_end,
            is_sample: p.is_sample,
        }
    }
}

/// A plan in the tree of plans, with the figures of its assignments (its sub-plans' included).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanLine {
    /// The plan.
    pub plan: PlanEntry,
    /// Depth in the tree (0 for a resolution at the top).
    pub depth: i64,
    /// The figures of the assignments the caller sees, sub-plans included.
    pub figures: Figures,
}

/// Paging of the plans.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlansQuery {
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// Every plan, as the tree of `/plans`, with its progress.
///
/// In pre-order: each plan followed by those implementing it, `depth` giving the level. Progress and
/// counts are over the assignments the caller sees.
#[utoipa::path(get, path = "/plans", tag = "monitoring", operation_id = "list_plans", security(("bearer" = [])),
    params(PlansQuery),
    responses(
        (status = 200, description = "Plans in tree order", body = ListPage<PlanLine>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_plans(ctx: Ctx, ApiQuery(q): ApiQuery<PlansQuery>) -> Result<Json<ListPage<PlanLine>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let (lines, total) =
        dashboards::plan_tree(ctx.state.app(), ctx.auth.session(), paging.limit, paging.offset).await?;
    let lines = lines
        .into_iter()
        .map(|p| PlanLine { plan: p.plan.into(), depth: p.depth, figures: (&p.summary).into() })
        .collect();
    Ok(Json(paged(paging, lines, total)))
}

/// A task with its assignments and the tasks under it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskNode {
    /// Id.
    pub id: i64,
    /// The parent task.
    pub parent_id: Option<i64>,
    /// The numbering (`1`, `1.2`, `II.3`).
    pub code: String,
    /// Title.
    pub title: String,
    /// Expected product.
    pub expected_product: Option<String>,
    /// Weight in the plan's progress.
    pub weight: f64,
    /// The figures of this task's assignments that the caller sees.
    pub figures: Figures,
    /// Its assignments that the caller sees.
    pub assignments: Vec<AssignmentEntry>,
    /// The tasks under it.
    #[schema(no_recursion)]
    pub children: Vec<TaskNode>,
}

fn task_tree(
    parent: Option<i64>,
    tasks: &[Task],
    rows: &[AssignmentRow],
    now: NaiveDate,
    depth: usize,
) -> Vec<TaskNode> {
    if depth > 50 {
        return Vec::new();
    }
    tasks
        .iter()
        .filter(|t| t.parent_id == parent)
        .map(|t| {
            let mine: Vec<AssignmentRow> = rows.iter().filter(|r| r.task_id == t.id).cloned().collect();
            TaskNode {
                id: t.id,
                parent_id: t.parent_id,
                code: t.code.clone(),
                title: t.title.clone(),
                expected_product: t.expected_product.clone(),
                weight: t.weight,
                figures: (&summarize(&mine, now)).into(),
                assignments: mine.iter().map(|r| entry(r, now)).collect(),
                children: task_tree(Some(t.id), tasks, rows, now, depth + 1),
            }
        })
        .collect()
}

/// A plan with its place in the chain, its figures, targets and tasks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDetail {
    /// The plan.
    pub plan: PlanEntry,
    /// The plans it implements, from the top of the chain down.
    pub ancestors: Vec<PlanEntry>,
    /// The plans implementing it, with their figures.
    pub children: Vec<PlanLine>,
    /// Progress and counts by status over the assignments the caller sees, sub-plans included (the
    /// roll-up).
    pub figures: Figures,
    /// Its targets with their values.
    pub targets: Vec<TargetEntry>,
    /// Its tasks as a tree, with their assignments.
    pub tasks: Vec<TaskNode>,
}

async fn plan_detail(ctx: &Ctx, id: i64) -> Result<PlanDetail, AppError> {
    let view = dashboards::plan(ctx.state.app(), ctx.auth.session(), id).await?;
    let now = view.today;
    let own: Vec<AssignmentRow> = view.rows.iter().filter(|r| r.plan_id == id).cloned().collect();
    Ok(PlanDetail {
        figures: (&view.summary).into(),
        targets: target_entries(view.targets),
        tasks: task_tree(None, &view.tasks, &own, now, 0),
        plan: view.plan.into(),
        ancestors: view.ancestors.into_iter().map(PlanEntry::from).collect(),
        children: view
            .children
            .into_iter()
            .map(|(c, s)| PlanLine { plan: c.into(), depth: 1, figures: (&s).into() })
            .collect(),
    })
}

/// One plan with its targets and its tasks as a tree.
///
/// With its chain of plans, the roll-up progress and counts by status (sub-plans included), and each
/// task's assignments that the caller sees.
#[utoipa::path(get, path = "/plans/{id}", tag = "monitoring", operation_id = "get_plan", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanDetail),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_plan(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<PlanDetail>, AppError> {
    ctx.auth.require_user()?;
    Ok(Json(plan_detail(&ctx, id).await?))
}

/// A plan's dashboard: the counts by status, the progress, and each target's latest value against its
/// target.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDashboard {
    /// The plan.
    pub plan_id: i64,
    /// The date the statuses are derived for (today in Vietnam).
    pub as_of: NaiveDate,
    /// Progress and counts by status, sub-plans included.
    pub figures: Figures,
    /// Each target with its latest value.
    pub targets: Vec<TargetEntry>,
}

/// The figures of a plan's dashboard.
#[utoipa::path(get, path = "/plans/{id}/dashboard", tag = "monitoring", operation_id = "get_plan_dashboard", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The figures", body = PlanDashboard),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_plan_dashboard(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<PlanDashboard>, AppError> {
    ctx.auth.require_user()?;
    let view = dashboards::plan(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(PlanDashboard {
        plan_id: id,
        as_of: view.today,
        figures: (&view.summary).into(),
        targets: target_entries(view.targets),
    }))
}

/// A plan to create, or the new fields of one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanBody {
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title, at most 500 characters.
    pub title: String,
    /// The document it is based on.
    #[serde(default)]
    pub document_id: Option<i64>,
    /// The plan it implements (not itself nor one of its sub-plans: `plan_cycle`).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// The responsible organisation.
    #[serde(default)]
    pub owner_org_id: Option<i64>,
    /// Start of the period.
    #[serde(default)]
    pub period_start: Option<NaiveDate>,
    /// End of the period (not before its start).
    #[serde(default)]
    pub period_end: Option<NaiveDate>,
}

impl PlanBody {
    fn draft(self) -> PlanDraft {
        PlanDraft {
            kind: self.kind,
            title: self.title,
            document_id: self.document_id,
            parent_id: self.parent_id,
            owner_org_id: self.owner_org_id,
            period_start: self.period_start,
            period_end: self.period_end,
            is_sample: false,
            unreadable: Vec::new(),
        }
    }
}

/// Creates a plan (province-wide department staff).
#[utoipa::path(post, path = "/plans", tag = "monitoring", operation_id = "create_plan", security(("bearer" = [])),
    request_body = PlanBody,
    responses(
        (status = 201, description = "Created", body = PlanDetail),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to build plans", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_plan(
    ctx: Ctx,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<PlanDetail>), AppError> {
    ctx.auth.require_user()?;
    let id = planning::save_plan(ctx.state.app(), ctx.auth.session(), None, &body.draft()).await?;
    Ok((StatusCode::CREATED, Json(plan_detail(&ctx, id).await?)))
}

/// Replaces the fields of a plan; every field is sent, as on the edit form.
#[utoipa::path(put, path = "/plans/{id}", tag = "monitoring", operation_id = "update_plan", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    request_body = PlanBody,
    responses(
        (status = 200, description = "Saved", body = PlanDetail),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to build plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_plan(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<Json<PlanDetail>, AppError> {
    ctx.auth.require_user()?;
    planning::save_plan(ctx.state.app(), ctx.auth.session(), Some(id), &body.draft()).await?;
    Ok(Json(plan_detail(&ctx, id).await?))
}

/// A task to add to a plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskBody {
    /// The numbering (`1`, `1.2`, `II.3`).
    pub code: String,
    /// Title.
    pub title: String,
    /// The parent task, of the same plan.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Expected product.
    #[serde(default)]
    pub expected_product: Option<String>,
    /// Weight in the plan's progress, greater than 0 (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
}

/// A task as created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskEntry {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The parent task.
    pub parent_id: Option<i64>,
    /// The numbering.
    pub code: String,
    /// Title.
    pub title: String,
    /// Expected product.
    pub expected_product: Option<String>,
    /// Weight in the plan's progress.
    pub weight: f64,
}

/// Adds a task to a plan (assign it with `POST /tasks/{id}/assignments`).
#[utoipa::path(post, path = "/plans/{id}/tasks", tag = "monitoring", operation_id = "create_task", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    request_body = TaskBody,
    responses(
        (status = 201, description = "Added", body = TaskEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to build plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_task(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TaskBody>,
) -> Result<(StatusCode, Json<TaskEntry>), AppError> {
    ctx.auth.require_user()?;
    let draft = TaskDraft {
        code: body.code,
        title: body.title,
        parent_id: body.parent_id,
        expected_product: body.expected_product,
        weight: body.weight,
        unreadable: Vec::new(),
    };
    let task_id = planning::add_task(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    let t = plans::task(ctx.state.db(), task_id).await?.ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(TaskEntry {
            id: t.id,
            plan_id: t.plan_id,
            parent_id: t.parent_id,
            code: t.code,
            title: t.title,
            expected_product: t.expected_product,
            weight: t.weight,
        }),
    ))
}
