//! `/api/v1/plans/{id}/targets`, `/api/v1/targets/{id}/values`: the targets (chỉ tiêu) of a plan and the
//! values they reached.

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::dashboards::TargetStanding;
use tiendo_app::monitoring::plans::{self as planning, TargetDraft, ValueDraft};
use utoipa::ToSchema;

use crate::api::extract::ApiJson;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A value a target reached.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetValue {
    /// The year.
    pub year: i64,
    /// The value.
    pub value: f64,
    /// Where the figure comes from.
    pub source: Option<String>,
}

/// A target (chỉ tiêu) with its values and where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetEntry {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The indicator's name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// Target value.
    pub target_value: f64,
    /// Target year.
    pub target_year: i64,
    /// Whether more is better.
    pub higher_is_better: bool,
    /// The catalogue indicator it is a target of.
    pub indicator_id: Option<i64>,
    /// The values recorded, by year.
    pub values: Vec<TargetValue>,
    /// The latest value's year.
    pub latest_year: Option<i64>,
    /// The latest value.
    pub latest_value: Option<f64>,
    /// Whether the latest value meets the target (`null` before any value).
    pub met: Option<bool>,
    /// Share of the way from the baseline to the target, 0–100.
    pub reached: i64,
}

fn target_entry(standing: TargetStanding) -> TargetEntry {
    let TargetStanding { target: t, values, figures } = standing;
    TargetEntry {
        id: t.id,
        plan_id: t.plan_id,
        name: t.name,
        unit: t.unit,
        baseline_value: t.baseline_value,
        baseline_year: t.baseline_year,
        target_value: t.target_value,
        target_year: t.target_year,
        higher_is_better: t.higher_is_better,
        indicator_id: t.indicator_id,
        values: values.into_iter().map(|(year, value, source)| TargetValue { year, value, source }).collect(),
        latest_year: figures.latest.map(|(y, _)| y),
        latest_value: figures.latest.map(|(_, v)| v),
        met: figures.met,
        reached: figures.reached,
    }
}

pub(super) fn target_entries(targets: Vec<TargetStanding>) -> Vec<TargetEntry> {
    targets.into_iter().map(target_entry).collect()
}

/// The target `id` of a plan as it stands now.
async fn fresh(ctx: &Ctx, plan_id: i64, id: i64) -> Result<TargetEntry, AppError> {
    tiendo_app::monitoring::dashboards::targets(ctx.state.app(), plan_id)
        .await?
        .into_iter()
        .find(|t| t.target.id == id)
        .map(target_entry)
        .ok_or(AppError::NotFound)
}

/// A target to add to a plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TargetBody {
    /// The indicator's name.
    pub name: String,
    /// Unit of measure (`%`, `doanh nghiệp`, `tỷ đồng`).
    pub unit: String,
    /// Baseline value.
    #[serde(default)]
    pub baseline_value: Option<f64>,
    /// Baseline year (1945–2100).
    #[serde(default)]
    pub baseline_year: Option<i64>,
    /// Target value (required).
    #[serde(default)]
    pub target_value: Option<f64>,
    /// Target year, 1945–2100 (required).
    #[serde(default)]
    pub target_year: Option<i64>,
    /// Whether more is better (default `true`).
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    /// The catalogue indicator it is a target of (`/indicators`): its name, unit and direction are the
    /// indicator's, and the target year must be one it covers. Without it, the target gets a typed
    /// indicator of its own from `name`, `unit` and `higher_is_better`.
    #[serde(default)]
    pub indicator_id: Option<i64>,
}

fn yes() -> bool {
    true
}

/// Adds a target to a plan.
#[utoipa::path(post, path = "/plans/{id}/targets", tag = "monitoring", operation_id = "create_target", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id")),
    request_body = TargetBody,
    responses(
        (status = 201, description = "Added", body = TargetEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to build plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_target(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<TargetBody>,
) -> Result<(StatusCode, Json<TargetEntry>), AppError> {
    ctx.auth.require_user()?;
    let draft = TargetDraft {
        name: body.name,
        unit: body.unit,
        baseline_value: body.baseline_value,
        baseline_year: body.baseline_year,
        target_value: body.target_value,
        target_year: body.target_year,
        higher_is_better: body.higher_is_better,
        indicator_id: body.indicator_id,
        unreadable: Vec::new(),
    };
    let target_id = planning::add_target(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok((StatusCode::CREATED, Json(fresh(&ctx, id, target_id).await?)))
}

/// The value a target reached in a year.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValueBody {
    /// The year, 1945–2100 (required); a value already recorded for it is replaced.
    #[serde(default)]
    pub year: Option<i64>,
    /// The value (required).
    #[serde(default)]
    pub value: Option<f64>,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: Option<String>,
}

/// Records the value a target reached in a year.
#[utoipa::path(post, path = "/targets/{id}/values", tag = "monitoring", operation_id = "record_target_value", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Target id")),
    request_body = ValueBody,
    responses(
        (status = 200, description = "Recorded; the target with its values", body = TargetEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to build plans", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such target", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_target_value(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ValueBody>,
) -> Result<Json<TargetEntry>, AppError> {
    ctx.auth.require_user()?;
    let draft = ValueDraft { year: body.year, value: body.value, source: body.source, unreadable: Vec::new() };
    let target = planning::record_value(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(fresh(&ctx, target.plan_id, target.id).await?))
}
