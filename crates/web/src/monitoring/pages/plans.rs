//! `/plans`: resolution → programme → plan chains, each plan's dashboard with its targets and its tasks,
//! and the forms that build them.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::monitoring::dashboards::{self, TargetStanding};
use tiendo_app::monitoring::plans::{self as planning, PlanDraft, TargetDraft, TaskDraft, ValueDraft};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::legal_documents;
use tiendo_db::monitoring::plans::{self, Plan, Task};
use tiendo_db::orgtree;
use tiendo_export::chart::{Chart, ChartKind, Series};

use super::dashboards::{AssignmentLine, CountView, RecentView, Summary, lines, recent_views, status_figures};
use super::html;
use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};
use crate::monitoring::{optional_date, show_date};

/// Whether the actor builds plans (province-wide department staff).
pub fn may_plan(ctx: &Ctx) -> bool {
    tiendo_core::monitoring::assignment::may_plan(&ctx.auth.actor)
}

/// Renames the fields of errors (`(from, to)` pairs), from the API's names to a form's.
pub fn rename_fields(mut errors: Vec<FieldError>, names: &[(&str, &str)]) -> Vec<FieldError> {
    for e in &mut errors {
        if let Some((_, to)) = names.iter().find(|(from, _)| *from == e.field) {
            e.field = (*to).to_owned();
        }
    }
    errors
}

/// The field errors of an outcome, or the outcome as an error of the page.
pub fn field_errors(err: tiendo_app::Error) -> Result<Vec<FieldError>, AppError> {
    match err {
        tiendo_app::Error::Invalid(fields) => Ok(fields),
        other => Err(other.into()),
    }
}

/// An option of a select list.
#[derive(Debug, Clone)]
pub struct Choice {
    id: i64,
    label: String,
    selected: bool,
}

/// The plan form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    document_id: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    owner_org_id: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
}

#[derive(Template)]
#[template(path = "monitoring/plan_form.html")]
struct PlanFormPage {
    layout: Layout,
    id: Option<i64>,
    form: PlanForm,
    errors: FormErrors,
    documents: Vec<Choice>,
    parents: Vec<Choice>,
    orgs: Vec<Choice>,
}

async fn plan_form_page(
    ctx: &Ctx,
    id: Option<i64>,
    form: PlanForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let doc: Option<i64> = form.document_id.parse().ok();
    let parent: Option<i64> = form.parent_id.parse().ok();
    let owner: Option<i64> = form.owner_org_id.parse().ok();
    let documents = legal_documents::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|(i, label)| Choice { selected: Some(i) == doc, id: i, label })
        .collect();
    let parents = plans::all(ctx.state.db())
        .await?
        .into_iter()
        .filter(|p| Some(p.id) != id)
        .map(|p| Choice { selected: Some(p.id) == parent, id: p.id, label: p.title })
        .collect();
    let orgs = orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|o| Choice { selected: Some(o.id) == owner, id: o.id, label: o.name })
        .collect();
    let title = if id.is_some() { "plan-edit-title" } else { "plan-new-title" };
    html(&PlanFormPage { layout: ctx.layout(title), id, form, errors, documents, parents, orgs }, status)
}

/// Query of the new-plan form.
#[derive(Debug, Default, Deserialize)]
pub struct NewPlanQuery {
    parent: Option<i64>,
    document: Option<i64>,
}

/// `GET /plans/new`.
pub async fn new_form(
    ctx: Ctx,
    crate::extract::Query(q): crate::extract::Query<NewPlanQuery>,
) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let form = PlanForm {
        kind: if q.parent.is_some() { "plan".into() } else { "resolution".into() },
        parent_id: q.parent.map(|p| p.to_string()).unwrap_or_default(),
        document_id: q.document.map(|d| d.to_string()).unwrap_or_default(),
        ..PlanForm::default()
    };
    plan_form_page(&ctx, None, form, FormErrors::new(), StatusCode::OK).await
}

impl PlanForm {
    /// The draft, with what did not parse (dates). An id that is not a number is taken as none chosen.
    fn draft(&self) -> PlanDraft {
        let mut errors = Vec::new();
        let mut date = |field: &str, text: &str| {
            optional_date(text).unwrap_or_else(|code| {
                errors.push(FieldError::new(field, code));
                None
            })
        };
        let period_start = date("period_start", &self.period_start);
        let period_end = date("period_end", &self.period_end);
        let parse_id = |text: &str| text.trim().parse::<i64>().ok();
        PlanDraft {
            kind: self.kind.clone(),
            title: self.title.clone(),
            document_id: parse_id(&self.document_id),
            parent_id: parse_id(&self.parent_id),
            owner_org_id: parse_id(&self.owner_org_id),
            period_start,
            period_end,
            is_sample: false,
            unreadable: errors,
        }
    }
}

/// Saves the plan form.
async fn save_plan(ctx: &Ctx, id: Option<i64>, form: PlanForm) -> Result<Response, AppError> {
    match planning::save_plan(ctx.state.app(), ctx.auth.session(), id, &form.draft()).await {
        Ok(plan_id) => Ok(Redirect::to(&format!("/plans/{plan_id}")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_fields(&field_errors(e)?, &ctx.tr);
            plan_form_page(ctx, id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /plans`.
pub async fn create(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<PlanForm>,
) -> Result<Response, AppError> {
    save_plan(&ctx, None, form).await
}

/// `GET /plans/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let p = tiendo_app::monitoring::readable_plan(ctx.state.app(), ctx.auth.session(), id).await?;
    let form = PlanForm {
        kind: p.kind,
        title: p.title,
        document_id: p.document_id.map(|d| d.to_string()).unwrap_or_default(),
        parent_id: p.parent_id.map(|d| d.to_string()).unwrap_or_default(),
        owner_org_id: p.owner_org_id.map(|d| d.to_string()).unwrap_or_default(),
        period_start: show_date(p.period_start),
        period_end: show_date(p.period_end),
    };
    plan_form_page(&ctx, Some(id), form, FormErrors::new(), StatusCode::OK).await
}

/// `POST /plans/{id}/edit`.
pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<PlanForm>,
) -> Result<Response, AppError> {
    save_plan(&ctx, Some(id), form).await
}

/// A target as shown, with its latest value.
#[derive(Debug, Clone)]
pub struct TargetView {
    id: i64,
    name: String,
    unit: String,
    baseline: String,
    target: String,
    latest: String,
    latest_year: String,
    /// Whether the latest value meets the target.
    met: Option<bool>,
    /// Share of the way from the baseline to the target, 0–100.
    reached: i64,
}

/// A task with its assignments.
#[derive(Debug, Clone)]
pub struct TaskView {
    id: i64,
    code: String,
    title: String,
    expected_product: String,
    depth: usize,
    assignments: Vec<AssignmentLine>,
}

/// The target form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    baseline_value: String,
    #[serde(default)]
    baseline_year: String,
    #[serde(default)]
    target_value: String,
    #[serde(default)]
    target_year: String,
    #[serde(default)]
    direction: String,
}

/// The task form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    expected_product: String,
    #[serde(default)]
    weight: String,
}

#[derive(Template)]
#[template(path = "monitoring/plan.html")]
struct PlanPage {
    layout: Layout,
    plan: Plan,
    ancestors: Vec<(i64, String)>,
    children: Vec<(i64, String, i64)>,
    summary: Summary,
    progress: i64,
    counts: Vec<CountView>,
    chart_svg: String,
    chart_table: String,
    targets: Vec<TargetView>,
    targets_svg: String,
    targets_table: String,
    tasks: Vec<TaskView>,
    recent: Vec<RecentView>,
    may_plan: bool,
    period: String,
    target_form: TargetForm,
    target_errors: FormErrors,
    task_form: TaskForm,
    task_errors: FormErrors,
    value_form: ValueForm,
    value_errors: FormErrors,
    task_parents: Vec<(i64, String)>,
    history: Vec<HistoryItem>,
}

/// Formats a number the user's way.
fn number(ctx: &Ctx, v: f64) -> String {
    tiendo_core::fmt::decimal(v, 2, ctx.lang)
}

fn target_views(ctx: &Ctx, targets: &[TargetStanding]) -> Vec<TargetView> {
    targets
        .iter()
        .map(|standing| {
            let t = &standing.target;
            let latest = standing.figures.latest;
            TargetView {
                id: t.id,
                name: t.name.clone(),
                unit: t.unit.clone(),
                baseline: t
                    .baseline_value
                    .map(|v| {
                        format!("{} ({})", number(ctx, v), t.baseline_year.map(|y| y.to_string()).unwrap_or_default())
                    })
                    .unwrap_or_default(),
                target: format!("{} ({})", number(ctx, t.target_value), t.target_year),
                latest: latest.map(|(_, v)| number(ctx, v)).unwrap_or_default(),
                latest_year: latest.map(|(y, _)| y.to_string()).unwrap_or_default(),
                met: standing.figures.met,
                reached: standing.figures.reached,
            }
        })
        .collect()
}

fn targets_chart(ctx: &Ctx, views: &[TargetView]) -> Result<(String, String), AppError> {
    if views.is_empty() {
        return Ok((String::new(), String::new()));
    }
    let mut chart = Chart::new(
        ChartKind::Bar,
        ctx.tr.t("plan-targets-chart"),
        views.iter().map(|t| t.name.clone()).collect(),
        vec![Series {
            name: ctx.tr.t("plan-targets-reached"),
            values: views.iter().map(|t| t.reached as f64).collect(),
        }],
    );
    chart.unit = Some("%".to_owned());
    // The categories are the plan's targets, by name.
    chart.categories_are_data = true;
    crate::charts::describe_in_place(&ctx.tr, &mut chart);
    Ok((chart.to_svg()?, chart.data_table_html()))
}

fn task_tree(tasks: &[Task], rows: &[AssignmentRow], ctx: &Ctx, today: chrono::NaiveDate) -> Vec<TaskView> {
    fn walk(
        parent: Option<i64>,
        depth: usize,
        tasks: &[Task],
        rows: &[AssignmentRow],
        ctx: &Ctx,
        today: chrono::NaiveDate,
        out: &mut Vec<TaskView>,
    ) {
        if depth > 50 {
            return;
        }
        for t in tasks.iter().filter(|t| t.parent_id == parent) {
            let mine: Vec<AssignmentRow> = rows.iter().filter(|r| r.task_id == t.id).cloned().collect();
            out.push(TaskView {
                id: t.id,
                code: t.code.clone(),
                title: t.title.clone(),
                expected_product: t.expected_product.clone().unwrap_or_default(),
                depth,
                assignments: lines(ctx, &mine, today),
            });
            walk(Some(t.id), depth + 1, tasks, rows, ctx, today, out);
        }
    }
    let mut out = Vec::new();
    walk(None, 0, tasks, rows, ctx, today, &mut out);
    out
}

/// The forms of the plan page with what was typed and its errors (one of them, after a refused post).
#[derive(Debug, Default)]
struct PlanForms {
    target: (TargetForm, FormErrors),
    task: (TaskForm, FormErrors),
    value: (ValueForm, FormErrors),
}

async fn plan_page(ctx: &Ctx, id: i64, forms: PlanForms, status: StatusCode) -> Result<Response, AppError> {
    let PlanForms {
        target: (target_form, target_errors),
        task: (task_form, task_errors),
        value: (value_form, value_errors),
    } = forms;
    let view = dashboards::plan(ctx.state.app(), ctx.auth.session(), id).await?;
    let (counts, chart_svg, chart_table) = status_figures(ctx, &view.summary, &format!("plan={id}")).await?;
    let targets = target_views(ctx, &view.targets);
    let (targets_svg, targets_table) = targets_chart(ctx, &targets)?;
    let own_rows: Vec<AssignmentRow> = view.rows.iter().filter(|r| r.plan_id == id).cloned().collect();
    let plan = view.plan;
    let period = match (plan.period_start, plan.period_end) {
        (None, None) => String::new(),
        (s, e) => format!("{} – {}", show_date(s), show_date(e)),
    };
    let recent = dashboards::recent(ctx.state.app(), ctx.auth.session(), Some(&view.subtree)).await?;
    let page = PlanPage {
        layout: ctx.layout_named(plan.title.clone()),
        ancestors: view.ancestors.into_iter().map(|p| (p.id, p.title)).collect(),
        children: view.children.into_iter().map(|(c, s)| (c.id, c.title, s.progress.round() as i64)).collect(),
        progress: view.summary.progress.round() as i64,
        summary: view.summary,
        counts,
        chart_svg,
        chart_table,
        targets_svg,
        targets_table,
        targets,
        task_parents: view.tasks.iter().map(|t| (t.id, format!("{}. {}", t.code, t.title))).collect(),
        tasks: task_tree(&view.tasks, &own_rows, ctx, view.today),
        recent: recent_views(ctx, recent),
        may_plan: may_plan(ctx),
        period,
        target_form,
        target_errors,
        task_form,
        task_errors,
        value_form,
        value_errors,
        history: crate::history::load(&ctx.state, &ctx.tr, "plan", id).await?,
        plan,
    };
    html(&page, status)
}

/// `GET /plans/{id}`: the plan's dashboard.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    plan_page(&ctx, id, PlanForms::default(), StatusCode::OK).await
}

/// A plan in the tree of `/plans`.
#[derive(Debug, Clone)]
pub struct PlanTreeLine {
    id: i64,
    kind: String,
    title: String,
    symbol: String,
    depth: usize,
    progress: i64,
    total: i64,
    overdue: i64,
}

#[derive(Template)]
#[template(path = "monitoring/plans.html")]
struct PlansPage {
    layout: Layout,
    lines: Vec<PlanTreeLine>,
    may_plan: bool,
}

/// `GET /plans`: every plan as a tree, with progress.
pub async fn list(ctx: Ctx) -> Result<Response, AppError> {
    let (plans, _) = dashboards::plan_tree(ctx.state.app(), ctx.auth.session(), i64::MAX, 0).await?;
    let lines = plans
        .into_iter()
        .map(|p| PlanTreeLine {
            id: p.plan.id,
            kind: ctx.tr.t(&format!("plan-kind-{}", p.plan.kind)),
            title: p.plan.title,
            symbol: p.plan.document_symbol.unwrap_or_default(),
            depth: usize::try_from(p.depth).unwrap_or(0),
            progress: p.summary.progress.round() as i64,
            total: p.summary.total,
            overdue: p.summary.count(tiendo_core::monitoring::StatusKind::Overdue),
        })
        .collect();
    let page = PlansPage { layout: ctx.layout("plans-title"), lines, may_plan: may_plan(&ctx) };
    html(&page, StatusCode::OK)
}

fn parse_number(text: &str) -> Option<f64> {
    tiendo_core::fmt::parse_number(text).ok()
}

/// A number typed in a form: `None` when empty, an error named `field` when it does not parse.
fn form_number(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    if text.trim().is_empty() {
        return None;
    }
    parse_number(text).or_else(|| {
        errors.push(FieldError::new(field, "number_format"));
        None
    })
}

/// A year typed in a form: `None` when empty, an error named `field` when it is not a number.
fn form_year(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    if text.trim().is_empty() {
        return None;
    }
    text.trim().parse::<i64>().map_or_else(
        |_| {
            errors.push(FieldError::new(field, "year_format"));
            None
        },
        Some,
    )
}

/// The target form's field names for the shared operation's.
const TARGET_FIELDS: &[(&str, &str)] = &[("name", "target_name"), ("unit", "target_unit")];
/// The value form's field names.
const VALUE_FIELDS: &[(&str, &str)] =
    &[("target_id", "value_target"), ("year", "value_year"), ("value", "value_value")];
/// The task form's field names.
const TASK_FIELDS: &[(&str, &str)] =
    &[("code", "task_code"), ("title", "task_title"), ("weight", "task_weight"), ("parent_id", "task_parent")];

/// `POST /plans/{id}/targets`.
pub async fn add_target(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<TargetForm>,
) -> Result<Response, AppError> {
    let mut unreadable = Vec::new();
    let draft = TargetDraft {
        name: form.name.clone(),
        unit: form.unit.clone(),
        baseline_value: form_number("baseline_value", &form.baseline_value, &mut unreadable),
        baseline_year: form_year("baseline_year", &form.baseline_year, &mut unreadable),
        target_value: form_number("target_value", &form.target_value, &mut unreadable),
        target_year: form_year("target_year", &form.target_year, &mut unreadable),
        higher_is_better: form.direction != "lower",
        indicator_id: None,
        unreadable,
    };
    match planning::add_target(ctx.state.app(), ctx.auth.session(), id, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}#targets")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_fields(&rename_fields(field_errors(e)?, TARGET_FIELDS), &ctx.tr);
            let forms = PlanForms { target: (form, errors), ..PlanForms::default() };
            plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The form recording a target's figure, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ValueForm {
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    source: String,
}

/// `POST /plans/{id}/values`: records the value one of the plan's targets reached in a year (again for the
/// same year replaces it).
pub async fn record_value(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<ValueForm>,
) -> Result<Response, AppError> {
    let mut unreadable = Vec::new();
    let draft = ValueDraft {
        year: form_year("year", &form.year, &mut unreadable),
        value: form_number("value", &form.value, &mut unreadable),
        source: Some(form.source.clone()),
        unreadable,
    };
    let target = form.target_id.trim().parse::<i64>().ok();
    match planning::record_plan_value(ctx.state.app(), ctx.auth.session(), id, target, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}#targets")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_fields(&rename_fields(field_errors(e)?, VALUE_FIELDS), &ctx.tr);
            let forms = PlanForms { value: (form, errors), ..PlanForms::default() };
            plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /plans/{id}/tasks`.
pub async fn add_task(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<TaskForm>,
) -> Result<Response, AppError> {
    let mut unreadable = Vec::new();
    let draft = TaskDraft {
        code: form.code.clone(),
        title: form.title.clone(),
        parent_id: form.parent_id.trim().parse::<i64>().ok(),
        expected_product: Some(form.expected_product.clone()),
        weight: form_number("weight", &form.weight, &mut unreadable),
        unreadable,
    };
    match planning::add_task(ctx.state.app(), ctx.auth.session(), id, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}#tasks")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_fields(&rename_fields(field_errors(e)?, TASK_FIELDS), &ctx.tr);
            let forms = PlanForms { task: (form, errors), ..PlanForms::default() };
            plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
