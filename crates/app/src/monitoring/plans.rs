//! Plans (resolution → programme → plan), their targets and the values reached, and their tasks: the rules
//! and the writes. Only province-wide department staff build plans.

use chrono::NaiveDate;
use tiendo_core::monitoring::assignment::may_plan;
use tiendo_db::audit::{Change, Diff};
use tiendo_db::monitoring::legal_documents;
use tiendo_db::monitoring::plans::{self, PlanInput, Target, TargetInput, TaskInput};
use tiendo_db::orgtree;

use super::{optional_block, optional_line, problems, required_text};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The kinds of plan, from the top of a chain down.
pub const PLAN_KINDS: [&str; 3] = ["resolution", "programme", "plan"];

/// The years a target may name.
const YEARS: std::ops::RangeInclusive<i64> = 1945..=2100;

/// `Forbidden` unless the actor builds plans.
pub(crate) fn planner(session: &Session) -> Result<()> {
    if may_plan(&session.actor) { Ok(()) } else { Err(Error::FORBIDDEN) }
}

/// A plan as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The legal document it is based on.
    pub document_id: Option<i64>,
    /// The plan it implements.
    pub parent_id: Option<i64>,
    /// The responsible organisation.
    pub owner_org_id: Option<i64>,
    /// Start of the period.
    pub period_start: Option<NaiveDate>,
    /// End of the period.
    pub period_end: Option<NaiveDate>,
    /// Invented for the demo (only the demo loader sets it).
    pub is_sample: bool,
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
}

/// Creates a plan (`id` `None`) or replaces the fields of one, with its audit event. A plan cannot
/// implement itself or one of its own sub-plans (`plan_cycle`).
pub async fn save_plan(app: &App, session: &Session, id: Option<i64>, draft: &PlanDraft) -> Result<i64> {
    planner(session)?;
    let db = app.db();
    let before = match id {
        Some(id) => Some(plans::get(db, id).await?.ok_or(Error::NotFound)?),
        None => None,
    };
    let mut errors = Vec::new();
    if !PLAN_KINDS.contains(&draft.kind.as_str()) {
        errors.push(FieldError::new("kind", "invalid"));
    }
    let title = required_text("title", &draft.title, 500, &mut errors);
    if let Some(d) = draft.document_id
        && legal_documents::get(db, d).await?.is_none()
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
    problems(&draft.unreadable, errors)?;
    let input = PlanInput {
        kind: draft.kind.clone(),
        title,
        document_id: draft.document_id,
        parent_id: draft.parent_id,
        owner_org_id: draft.owner_org_id,
        period_start: draft.period_start,
        period_end: draft.period_end,
        is_sample: before.as_ref().map_or(draft.is_sample, |b| b.is_sample),
    };
    let now = app.now();
    let tx = app.begin().await?;
    let plan_id = match &before {
        None => {
            let plan_id = plans::create(&tx, &input, now).await?;
            let entry =
                Entry::new("create", "plan", plan_id, "audit-monitoring-plan-created").arg("title", &input.title);
            audit::record(app, &tx, session, entry).await?;
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
            plans::update(&tx, before.id, &input, now).await?;
            if !diff.is_empty() {
                let entry = Entry::new("update", "plan", before.id, "audit-monitoring-plan-updated")
                    .arg("title", &input.title)
                    .changes(diff.into_changes());
                audit::record(app, &tx, session, entry).await?;
            }
            before.id
        }
    };
    tx.commit().await?;
    Ok(plan_id)
}

/// A target as typed or sent.
#[derive(Debug, Clone, Default)]
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
    /// The catalogue indicator it is a target of; `None` makes a typed indicator of its own (code
    /// `CT-<target id>`) from the name, unit and direction given.
    pub indicator_id: Option<i64>,
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
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

/// Adds a target to a plan, with its audit event; the new target's id. A target of a catalogue indicator
/// takes the indicator's name, unit and direction, and its year must be one the indicator covers
/// (`period_not_covered`); a target without one gets a typed indicator of its own, created in the same
/// transaction with its audit event.
pub async fn add_target(app: &App, session: &Session, plan_id: i64, draft: &TargetDraft) -> Result<i64> {
    planner(session)?;
    plans::get(app.db(), plan_id).await?.ok_or(Error::NotFound)?;
    let mut errors = Vec::new();
    let indicator = match draft.indicator_id {
        Some(id) => {
            let found = tiendo_db::indicators::get(app.db(), id).await?;
            if found.is_none() {
                errors.push(FieldError::new("indicator_id", "invalid"));
            }
            found
        }
        None => None,
    };
    let (name, unit) = match &indicator {
        Some(i) => (i.name.clone(), if i.unit.is_empty() { "-".to_owned() } else { i.unit.clone() }),
        None => {
            (required_text("name", &draft.name, 500, &mut errors), required_text("unit", &draft.unit, 100, &mut errors))
        }
    };
    let baseline_value = finite("baseline_value", draft.baseline_value, &mut errors);
    let baseline_year = year("baseline_year", draft.baseline_year, false, &mut errors);
    let target_value = finite("target_value", draft.target_value, &mut errors);
    if draft.target_value.is_none() {
        errors.push(FieldError::new("target_value", "required"));
    }
    let target_year = year("target_year", draft.target_year, true, &mut errors);
    if let (Some(i), Some(y)) = (&indicator, target_year)
        && !tiendo_core::indicators::covers(
            i.first_year.and_then(|f| i32::try_from(f).ok()),
            i.last_year.and_then(|l| i32::try_from(l).ok()),
            i32::try_from(y).unwrap_or_default(),
        )
    {
        errors.push(FieldError::new("target_year", "period_not_covered"));
    }
    problems(&draft.unreadable, errors)?;
    let (Some(target_value), Some(target_year)) = (target_value, target_year) else {
        return Err(Error::invalid("target_value", "required"));
    };
    let higher_is_better = indicator.as_ref().map_or(draft.higher_is_better, |i| i.direction == "higher");
    let mut input = TargetInput {
        name: name.clone(),
        unit: unit.clone(),
        baseline_value,
        baseline_year,
        target_value,
        target_year,
        higher_is_better,
        indicator_id: indicator.as_ref().map_or(0, |i| i.id),
    };
    let tx = app.begin().await?;
    if indicator.is_none() {
        // The target's own typed indicator, named after the target (its code is fixed once the target has
        // its id).
        let own = tiendo_db::indicators::IndicatorInput {
            code: format!("CT-NEW-{}", app.now().timestamp_micros()),
            name: name.clone(),
            name_en: String::new(),
            unit: unit.clone(),
            direction: if higher_is_better { "higher" } else { "lower" },
            periodicity: "yearly",
            level: "province",
            layer: "operational",
            parent_id: None,
            kind: "typed",
            numerator: None,
            denominator: None,
            factor: 1.0,
            over_units: "total",
            first_year: None,
            last_year: None,
            note: None,
            sort_order: 0,
            is_sample: false,
        };
        input.indicator_id = tiendo_db::indicators::create(&tx, &own, app.now()).await?;
    }
    let target = plans::add_target(&tx, plan_id, &input).await?;
    if indicator.is_none() {
        let code = format!("CT-{target}");
        tiendo_db::indicators::set_code(&tx, input.indicator_id, &code).await?;
        let entry = Entry::new("create", "indicator", input.indicator_id, "audit-indicator-created")
            .arg("code", &code)
            .arg("name", &name);
        audit::record(app, &tx, session, entry).await?;
    }
    let entry = Entry::new("add_target", "plan", plan_id, "audit-monitoring-target-added").arg("name", &name);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(target)
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
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
}

/// The year and the value of a draft, or the fields at fault.
fn check_value(draft: &ValueDraft, mut errors: Vec<FieldError>) -> Result<(i64, f64)> {
    let year = year("year", draft.year, true, &mut errors);
    let value = finite("value", draft.value, &mut errors);
    if draft.value.is_none() {
        errors.push(FieldError::new("value", "required"));
    }
    problems(&draft.unreadable, errors)?;
    year.zip(value).ok_or_else(|| Error::invalid("value", "required"))
}

/// Records the value a target reached in a year (replacing an earlier record of that year), with its audit
/// event (the value it replaces as the change's before); returns the target.
pub async fn record_value(app: &App, session: &Session, target_id: i64, draft: &ValueDraft) -> Result<Target> {
    planner(session)?;
    let target = plans::target(app.db(), target_id).await?.ok_or(Error::NotFound)?;
    let (year, value) = check_value(draft, Vec::new())?;
    write_value(app, session, &target, year, value, draft.source.as_deref()).await?;
    Ok(target)
}

/// Records a value for one of the targets of a plan, the target chosen in a form (`target_id`, a field
/// error `required` when it is not one of the plan's, reported with the other fields').
pub async fn record_plan_value(
    app: &App,
    session: &Session,
    plan_id: i64,
    target_id: Option<i64>,
    draft: &ValueDraft,
) -> Result<Target> {
    planner(session)?;
    plans::get(app.db(), plan_id).await?.ok_or(Error::NotFound)?;
    let target = match target_id {
        Some(t) => plans::target(app.db(), t).await?.filter(|t| t.plan_id == plan_id),
        None => None,
    };
    let missing = if target.is_none() { vec![FieldError::new("target_id", "required")] } else { Vec::new() };
    let (year, value) = check_value(draft, missing)?;
    let target = target.ok_or_else(|| Error::invalid("target_id", "required"))?;
    write_value(app, session, &target, year, value, draft.source.as_deref()).await?;
    Ok(target)
}

async fn write_value(
    app: &App,
    session: &Session,
    target: &Target,
    year: i64,
    value: f64,
    source: Option<&str>,
) -> Result<()> {
    // A target of a computed indicator takes its figures from the work, never typed.
    if let Some(id) = target.indicator_id
        && tiendo_db::indicators::get(app.db(), id).await?.is_some_and(|i| i.kind != "typed")
    {
        return Err(Error::invalid("value", "indicator_computed"));
    }
    let source = optional_line(source);
    let before = plans::values(app.db(), target.id).await?.into_iter().find(|(y, _, _)| *y == year).map(|(_, v, _)| v);
    let tx = app.begin().await?;
    plans::record_value(&tx, target.id, year, value, source.as_deref(), app.now()).await?;
    let entry = Entry::new("record_value", "plan", target.plan_id, "audit-monitoring-value-recorded")
        .arg("target", &target.name)
        .arg("year", year)
        .changes(vec![Change::new(&format!("target:{}:{year}", target.id), before, value)]);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
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
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
}

/// Adds a task to a plan, with its audit event; the new task's id.
pub async fn add_task(app: &App, session: &Session, plan_id: i64, draft: &TaskDraft) -> Result<i64> {
    planner(session)?;
    plans::get(app.db(), plan_id).await?.ok_or(Error::NotFound)?;
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
        && plans::task(app.db(), p).await?.is_none_or(|t| t.plan_id != plan_id)
    {
        errors.push(FieldError::new("parent_id", "invalid"));
    }
    problems(&draft.unreadable, errors)?;
    let input = TaskInput {
        parent_id: draft.parent_id,
        code,
        title: title.clone(),
        expected_product: optional_block(draft.expected_product.as_deref()),
        weight,
    };
    let tx = app.begin().await?;
    let task = plans::add_task(&tx, plan_id, &input).await?;
    let entry = Entry::new("add_task", "plan", plan_id, "audit-monitoring-task-added").arg("title", &title);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(task)
}
