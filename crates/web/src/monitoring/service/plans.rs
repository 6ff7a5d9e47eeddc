//! Plans, their targets (and the values reached) and their tasks: the rules and the writes.

use chrono::{NaiveDate, Utc};
use tiendo_db::audit::{self, Change, Diff, NewEvent};
use tiendo_db::monitoring::documents;
use tiendo_db::monitoring::plans::{self, PlanInput, Target, TargetInput, TaskInput};
use tiendo_db::orgtree;

use super::{merge_errors, required_text};
use crate::error::{AppError, FieldError};
use crate::layout::Ctx;

/// The kinds of plan, from the top of a chain down.
pub const PLAN_KINDS: [&str; 3] = ["resolution", "programme", "plan"];

/// The years a target may name.
const YEARS: std::ops::RangeInclusive<i64> = 1945..=2100;

/// Errors, or nothing to report.
fn refuse<T>(parsed: Vec<FieldError>, found: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    Err(merge_errors(parsed, found))
}

/// A plan as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The document it is based on.
    pub document_id: Option<i64>,
    /// The plan it implements.
    pub parent_id: Option<i64>,
    /// The responsible organisation.
    pub owner_org_id: Option<i64>,
    /// Start of the period.
    pub period_start: Option<NaiveDate>,
    /// End of the period.
    pub period_end: Option<NaiveDate>,
}

/// Creates a plan (`id` `None`) or replaces the fields of one, with its audit event. A plan cannot
/// implement itself or one of its own sub-plans. The caller has checked [`crate::monitoring::plans::may_plan`].
pub async fn save_plan(
    ctx: &Ctx,
    id: Option<i64>,
    draft: &PlanDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    let db = ctx.state.db();
    let before = match id {
        Some(id) => Some(plans::get(db, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut errors = Vec::new();
    if !PLAN_KINDS.contains(&draft.kind.as_str()) {
        errors.push(FieldError::new("kind", "invalid"));
    }
    let title = required_text("title", &draft.title, 500, &mut errors);
    if let Some(d) = draft.document_id
        && documents::get(db, d).await?.is_none()
    {
        errors.push(FieldError::new("document_id", "invalid"));
    }
    if let Some(p) = draft.parent_id {
        if plans::get(db, p).await?.is_none() {
            errors.push(FieldError::new("parent_id", "invalid"));
        } else if let Some(id) = id
            && plans::subtree_ids(db, id).await?.contains(&p)
        {
            errors.push(FieldError::new("parent_id", "plan_cycle"));
        }
    }
    if let Some(o) = draft.owner_org_id
        && orgtree::name(db, o).await?.is_none()
    {
        errors.push(FieldError::new("owner_org_id", "unknown_organization"));
    }
    if let (Some(s), Some(e)) = (draft.period_start, draft.period_end)
        && e < s
    {
        errors.push(FieldError::new("period_end", "period_reversed"));
    }
    if !errors.is_empty() || !parsed.is_empty() {
        return Ok(refuse(parsed, errors));
    }
    let input = PlanInput {
        kind: draft.kind.clone(),
        title,
        document_id: draft.document_id,
        parent_id: draft.parent_id,
        owner_org_id: draft.owner_org_id,
        period_start: draft.period_start,
        period_end: draft.period_end,
        is_sample: before.as_ref().is_some_and(|b| b.is_sample),
    };
    let tx = db.begin().await?;
    let plan_id = match &before {
        None => {
            let plan_id = plans::create(&tx, &input, Utc::now()).await?;
            let event = NewEvent::new("create", "plan", plan_id, format!("Tạo kế hoạch {}", input.title));
            audit::append(&tx, &ctx.auth.who(), &event).await?;
            plan_id
        }
        Some(before) => {
            let mut diff = Diff::new();
            diff.field("kind", &before.kind, &input.kind)
                .field("title", &before.title, &input.title)
                .field("document_id", &before.document_id, &input.document_id)
                .field("parent_id", &before.parent_id, &input.parent_id)
                .field("owner_org_id", &before.owner_org_id, &input.owner_org_id)
                .field("period_start", &before.period_start, &input.period_start)
                .field("period_end", &before.period_end, &input.period_end);
            plans::update(&tx, before.id, &input, Utc::now()).await?;
            if !diff.is_empty() {
                let event = NewEvent::new("update", "plan", before.id, format!("Sửa kế hoạch {}", input.title))
                    .with_changes(diff.into_changes());
                audit::append(&tx, &ctx.auth.who(), &event).await?;
            }
            before.id
        }
    };
    tx.commit().await?;
    Ok(Ok(plan_id))
}

/// A target as typed or sent.
#[derive(Debug, Clone)]
pub struct TargetDraft {
    /// The indicator's name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// Target value.
    pub target_value: Option<f64>,
    /// Target year.
    pub target_year: Option<i64>,
    /// Whether more is better.
    pub higher_is_better: bool,
}

/// A year of a target: required or not, within [`YEARS`].
fn year(field: &str, value: Option<i64>, required: bool, errors: &mut Vec<FieldError>) -> Option<i64> {
    match value {
        Some(y) if YEARS.contains(&y) => Some(y),
        Some(_) => {
            errors.push(FieldError::new(field, "year_format"));
            None
        }
        None if required => {
            errors.push(FieldError::new(field, "required"));
            None
        }
        None => None,
    }
}

/// A finite number (JSON cannot send others, but a form could compute one).
fn finite(field: &str, value: Option<f64>, errors: &mut Vec<FieldError>) -> Option<f64> {
    match value {
        Some(v) if v.is_finite() => Some(v),
        Some(_) => {
            errors.push(FieldError::new(field, "number_format"));
            None
        }
        None => None,
    }
}

/// Adds a target to a plan, with its audit event. The caller has checked `may_plan`.
pub async fn add_target(
    ctx: &Ctx,
    plan_id: i64,
    draft: &TargetDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    plans::get(ctx.state.db(), plan_id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let name = required_text("name", &draft.name, 500, &mut errors);
    let unit = required_text("unit", &draft.unit, 100, &mut errors);
    let baseline_value = finite("baseline_value", draft.baseline_value, &mut errors);
    let baseline_year = year("baseline_year", draft.baseline_year, false, &mut errors);
    let target_value = finite("target_value", draft.target_value, &mut errors);
    if draft.target_value.is_none() {
        errors.push(FieldError::new("target_value", "required"));
    }
    let target_year = year("target_year", draft.target_year, true, &mut errors);
    let (Some(target_value), Some(target_year), true, true) =
        (target_value, target_year, errors.is_empty(), parsed.is_empty())
    else {
        return Ok(refuse(parsed, errors));
    };
    let input = TargetInput {
        name: name.clone(),
        unit,
        baseline_value,
        baseline_year,
        target_value,
        target_year,
        higher_is_better: draft.higher_is_better,
    };
    let tx = ctx.state.db().begin().await?;
    let target = plans::add_target(&tx, plan_id, &input).await?;
    let event = NewEvent::new("add_target", "plan", plan_id, format!("Thêm chỉ tiêu {name} (#{target})"));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(target))
}

/// The value a target reached in a year, as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct ValueDraft {
    /// The year.
    pub year: Option<i64>,
    /// The value.
    pub value: Option<f64>,
    /// Where the figure comes from.
    pub source: Option<String>,
}

/// The rules of a value: the year and the value it reached, or the fields at fault.
pub fn check_value(draft: &ValueDraft) -> (Option<(i64, f64)>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let year = year("year", draft.year, true, &mut errors);
    let value = finite("value", draft.value, &mut errors);
    if draft.value.is_none() {
        errors.push(FieldError::new("value", "required"));
    }
    (year.zip(value), errors)
}

/// Records the value a target reached in a year (replacing an earlier record of that year), with its audit
/// event (the value it replaces as the change's before); returns the target. The caller has checked
/// `may_plan`.
pub async fn record_value(
    ctx: &Ctx,
    target_id: i64,
    draft: &ValueDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<Target, Vec<FieldError>>, AppError> {
    let target = plans::target(ctx.state.db(), target_id).await?.ok_or(AppError::NotFound)?;
    let (checked, errors) = check_value(draft);
    let (Some((year, value)), true, true) = (checked, errors.is_empty(), parsed.is_empty()) else {
        return Ok(refuse(parsed, errors));
    };
    let source = super::optional_line(draft.source.as_deref());
    let before =
        plans::values(ctx.state.db(), target_id).await?.into_iter().find(|(y, _, _)| *y == year).map(|(_, v, _)| v);
    let tx = ctx.state.db().begin().await?;
    plans::record_value(&tx, target_id, year, value, source.as_deref()).await?;
    let event = NewEvent::new(
        "record_value",
        "plan",
        target.plan_id,
        format!("Cập nhật giá trị chỉ tiêu {} năm {year}", target.name),
    )
    .with_changes(vec![Change::new(&format!("target:{target_id}:{year}"), before, value)]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(target))
}

/// A task as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct TaskDraft {
    /// The numbering (`1`, `1.2`, `II.3`).
    pub code: String,
    /// Title.
    pub title: String,
    /// The parent task (of the same plan).
    pub parent_id: Option<i64>,
    /// Expected product.
    pub expected_product: Option<String>,
    /// Weight in the plan's progress (1 when not given).
    pub weight: Option<f64>,
}

/// Adds a task to a plan, with its audit event. The caller has checked `may_plan`.
pub async fn add_task(
    ctx: &Ctx,
    plan_id: i64,
    draft: &TaskDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    plans::get(ctx.state.db(), plan_id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let code = required_text("code", &draft.code, 50, &mut errors);
    let title = required_text("title", &draft.title, 1000, &mut errors);
    let weight = match draft.weight {
        None => 1.0,
        Some(w) if w.is_finite() && w > 0.0 => w,
        Some(_) => {
            errors.push(FieldError::new("weight", "weight_positive"));
            1.0
        }
    };
    if let Some(p) = draft.parent_id
        && plans::task(ctx.state.db(), p).await?.is_none_or(|t| t.plan_id != plan_id)
    {
        errors.push(FieldError::new("parent_id", "invalid"));
    }
    if !errors.is_empty() || !parsed.is_empty() {
        return Ok(refuse(parsed, errors));
    }
    let input = TaskInput {
        parent_id: draft.parent_id,
        code,
        title: title.clone(),
        expected_product: super::optional_block(draft.expected_product.as_deref()),
        weight,
    };
    let tx = ctx.state.db().begin().await?;
    let task = plans::add_task(&tx, plan_id, &input).await?;
    let event = NewEvent::new("add_task", "plan", plan_id, format!("Thêm nhiệm vụ {title} (#{task})"));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(task))
}
