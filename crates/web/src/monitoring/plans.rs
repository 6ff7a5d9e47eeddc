//! `/plans`: resolution → programme → plan chains, each plan's dashboard with its targets and its tasks,
//! and the forms that build them.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow};
use tiendo_db::monitoring::documents;
use tiendo_db::monitoring::plans::{self, Plan, PlanInput, Target, TargetInput, Task, TaskInput};
use tiendo_db::orgtree;
use tiendo_export::chart::{Chart, ChartKind, Series};

use super::dashboard::{AssignmentLine, CountView, RecentView, Summary, lines, recent, status_figures, summarize};
use super::{optional_date, show_date, today, visibility};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Whether the actor builds plans (province-wide department staff).
pub fn may_plan(ctx: &Ctx) -> bool {
    authorize(&ctx.auth.actor, Action::Create, &Resource::Assignment { lead_path: &[], actor_coordinates: false })
        .is_allowed()
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
    let documents = documents::options(ctx.state.db())
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
    axum::extract::Query(q): axum::extract::Query<NewPlanQuery>,
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

async fn validate_plan(ctx: &Ctx, form: &PlanForm) -> Result<Result<PlanInput, FormErrors>, AppError> {
    let mut errors = FormErrors::new();
    if !["resolution", "programme", "plan"].contains(&form.kind.as_str()) {
        errors.add("kind", ctx.tr.t("field-invalid"));
    }
    let title = tiendo_core::text::normalize_input(&form.title);
    if title.is_empty() {
        errors.add("title", ctx.tr.t("field-required"));
    } else if title.chars().count() > 500 {
        errors.add("title", ctx.tr.t_with("field-too_long", &[("max", "500")]));
    }
    let parse_id = |text: &str| text.trim().parse::<i64>().ok();
    let document_id = parse_id(&form.document_id);
    if document_id.is_some() && documents::get(ctx.state.db(), document_id.unwrap_or(0)).await?.is_none() {
        errors.add("document_id", ctx.tr.t("field-invalid"));
    }
    let parent_id = parse_id(&form.parent_id);
    if parent_id.is_some() && plans::get(ctx.state.db(), parent_id.unwrap_or(0)).await?.is_none() {
        errors.add("parent_id", ctx.tr.t("field-invalid"));
    }
    let owner_org_id = parse_id(&form.owner_org_id);
    if owner_org_id.is_some() && orgtree::name(ctx.state.db(), owner_org_id.unwrap_or(0)).await?.is_none() {
        errors.add("owner_org_id", ctx.tr.t("field-unknown_organization"));
    }
    let start = optional_date(&form.period_start).unwrap_or_else(|c| {
        errors.add("period_start", ctx.tr.t(&format!("field-{c}")));
        None
    });
    let end = optional_date(&form.period_end).unwrap_or_else(|c| {
        errors.add("period_end", ctx.tr.t(&format!("field-{c}")));
        None
    });
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add("period_end", ctx.tr.t("field-period_reversed"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(PlanInput {
        kind: form.kind.clone(),
        title,
        document_id,
        parent_id,
        owner_org_id,
        period_start: start,
        period_end: end,
        is_sample: false,
    }))
}

/// `POST /plans`.
pub async fn create(ctx: Ctx, axum::Form(form): axum::Form<PlanForm>) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let input = match validate_plan(&ctx, &form).await? {
        Ok(i) => i,
        Err(errors) => return plan_form_page(&ctx, None, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let tx = ctx.state.db().begin().await?;
    let id = plans::create(&tx, &input, Utc::now()).await?;
    audit::append(&tx, &ctx.auth.who(), &NewEvent::new("create", "plan", id, format!("Tạo kế hoạch {}", input.title)))
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{id}")).into_response())
}

/// `GET /plans/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let p = plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
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
    axum::Form(form): axum::Form<PlanForm>,
) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let before = plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut input = match validate_plan(&ctx, &form).await? {
        Ok(i) => i,
        Err(errors) => return plan_form_page(&ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    // A plan cannot implement itself or one of its own sub-plans.
    if let Some(parent) = input.parent_id
        && plans::subtree_ids(ctx.state.db(), id).await?.contains(&parent)
    {
        let mut errors = FormErrors::new();
        errors.add("parent_id", ctx.tr.t("field-plan_cycle"));
        return plan_form_page(&ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    input.is_sample = before.is_sample;
    let mut diff = tiendo_db::audit::Diff::new();
    diff.field("kind", &before.kind, &input.kind)
        .field("title", &before.title, &input.title)
        .field("document_id", &before.document_id, &input.document_id)
        .field("parent_id", &before.parent_id, &input.parent_id)
        .field("owner_org_id", &before.owner_org_id, &input.owner_org_id)
        .field("period_start", &before.period_start, &input.period_start)
        .field("period_end", &before.period_end, &input.period_end);
    let tx = ctx.state.db().begin().await?;
    plans::update(&tx, id, &input, Utc::now()).await?;
    if !diff.is_empty() {
        let event = NewEvent::new("update", "plan", id, format!("Sửa kế hoạch {}", input.title))
            .with_changes(diff.into_changes());
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{id}")).into_response())
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

async fn target_views(ctx: &Ctx, targets: &[Target]) -> Result<Vec<TargetView>, AppError> {
    let mut out = Vec::new();
    for t in targets {
        let values = plans::values(ctx.state.db(), t.id).await?;
        let latest = values.last().cloned();
        let met = latest
            .as_ref()
            .map(|(_, v, _)| if t.higher_is_better { *v >= t.target_value } else { *v <= t.target_value });
        let reached = match (&latest, t.baseline_value) {
            (Some((_, v, _)), Some(b)) if (t.target_value - b).abs() > f64::EPSILON => {
                (((v - b) / (t.target_value - b)) * 100.0).clamp(0.0, 100.0).round() as i64
            }
            (Some((_, v, _)), _) if t.target_value.abs() > f64::EPSILON => {
                let ratio = if t.higher_is_better { v / t.target_value } else { t.target_value / v.max(f64::EPSILON) };
                (ratio * 100.0).clamp(0.0, 100.0).round() as i64
            }
            _ => 0,
        };
        out.push(TargetView {
            id: t.id,
            name: t.name.clone(),
            unit: t.unit.clone(),
            baseline: t
                .baseline_value
                .map(|v| format!("{} ({})", number(ctx, v), t.baseline_year.map(|y| y.to_string()).unwrap_or_default()))
                .unwrap_or_default(),
            target: format!("{} ({})", number(ctx, t.target_value), t.target_year),
            latest: latest.as_ref().map(|(_, v, _)| number(ctx, *v)).unwrap_or_default(),
            latest_year: latest.as_ref().map(|(y, _, _)| y.to_string()).unwrap_or_default(),
            met,
            reached,
        });
    }
    Ok(out)
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
    Ok((chart.to_svg()?, chart.data_table_html()))
}

fn task_tree(tasks: &[Task], rows: &[AssignmentRow], ctx: &Ctx) -> Vec<TaskView> {
    fn walk(
        parent: Option<i64>,
        depth: usize,
        tasks: &[Task],
        rows: &[AssignmentRow],
        ctx: &Ctx,
        out: &mut Vec<TaskView>,
    ) {
        for t in tasks.iter().filter(|t| t.parent_id == parent) {
            let mine: Vec<AssignmentRow> = rows.iter().filter(|r| r.task_id == t.id).cloned().collect();
            out.push(TaskView {
                id: t.id,
                code: t.code.clone(),
                title: t.title.clone(),
                expected_product: t.expected_product.clone().unwrap_or_default(),
                depth,
                assignments: lines(ctx, &mine, today()),
            });
            walk(Some(t.id), depth + 1, tasks, rows, ctx, out);
        }
    }
    let mut out = Vec::new();
    walk(None, 0, tasks, rows, ctx, &mut out);
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
    let plan = plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut ancestors = Vec::new();
    let mut cursor = plan.parent_id;
    while let Some(pid) = cursor {
        let Some(p) = plans::get(ctx.state.db(), pid).await? else { break };
        ancestors.insert(0, (p.id, p.title.clone()));
        cursor = p.parent_id;
        if ancestors.len() > 20 {
            break;
        }
    }
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let subtree = plans::subtree_ids(ctx.state.db(), id).await?;
    let rows = assignments::list(
        ctx.state.db(),
        &AssignmentFilter { plans: Some(subtree.clone()), ..Default::default() },
        &vis,
    )
    .await?;
    let summary = summarize(&rows, today());
    let (counts, chart_svg, chart_table) = status_figures(ctx, &summary, &format!("plan={id}")).await?;
    let mut children = Vec::new();
    for c in plans::children(ctx.state.db(), id).await? {
        let ids = plans::subtree_ids(ctx.state.db(), c.id).await?;
        let sub: Vec<AssignmentRow> = rows.iter().filter(|r| ids.contains(&r.plan_id)).cloned().collect();
        children.push((c.id, c.title, summarize(&sub, today()).progress.round() as i64));
    }
    let targets = target_views(ctx, &plans::targets(ctx.state.db(), id).await?).await?;
    let (targets_svg, targets_table) = targets_chart(ctx, &targets)?;
    let tasks = plans::tasks(ctx.state.db(), id).await?;
    let own_rows: Vec<AssignmentRow> = rows.iter().filter(|r| r.plan_id == id).cloned().collect();
    let period = match (plan.period_start, plan.period_end) {
        (None, None) => String::new(),
        (s, e) => format!("{} – {}", show_date(s), show_date(e)),
    };
    let page = PlanPage {
        layout: ctx.layout_titled(plan.title.clone()),
        ancestors,
        children,
        progress: summary.progress.round() as i64,
        summary,
        counts,
        chart_svg,
        chart_table,
        targets_svg,
        targets_table,
        targets,
        task_parents: tasks.iter().map(|t| (t.id, format!("{}. {}", t.code, t.title))).collect(),
        tasks: task_tree(&tasks, &own_rows, ctx),
        recent: recent(ctx, Some(&subtree), &vis).await?,
        may_plan: may_plan(ctx),
        period,
        target_form,
        target_errors,
        task_form,
        task_errors,
        value_form,
        value_errors,
        history: crate::history::load(&ctx.state, "plan", id).await?,
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
    let all = plans::all(ctx.state.db()).await?;
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let rows = assignments::list(ctx.state.db(), &AssignmentFilter::default(), &vis).await?;
    fn walk(
        parent: Option<i64>,
        depth: usize,
        all: &[Plan],
        rows: &[AssignmentRow],
        ctx: &Ctx,
        out: &mut Vec<PlanTreeLine>,
    ) -> Vec<i64> {
        let mut seen = Vec::new();
        for p in all.iter().filter(|p| p.parent_id == parent) {
            let index = out.len();
            out.push(PlanTreeLine {
                id: p.id,
                kind: ctx.tr.t(&format!("plan-kind-{}", p.kind)),
                title: p.title.clone(),
                symbol: p.document_symbol.clone().unwrap_or_default(),
                depth,
                progress: 0,
                total: 0,
                overdue: 0,
            });
            let mut ids = vec![p.id];
            ids.extend(walk(Some(p.id), depth + 1, all, rows, ctx, out));
            let sub: Vec<AssignmentRow> = rows.iter().filter(|r| ids.contains(&r.plan_id)).cloned().collect();
            let s = summarize(&sub, today());
            out[index].progress = s.progress.round() as i64;
            out[index].total = s.total;
            out[index].overdue = s.count(tiendo_core::monitoring::StatusKind::Overdue);
            seen.extend(ids);
        }
        seen
    }
    let mut lines = Vec::new();
    walk(None, 0, &all, &rows, &ctx, &mut lines);
    let page = PlansPage { layout: ctx.layout("plans-title"), lines, may_plan: may_plan(&ctx) };
    html(&page, StatusCode::OK)
}

fn parse_number(text: &str) -> Option<f64> {
    tiendo_core::fmt::parse_number(text).ok()
}

fn parse_year(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|y| (1945..=2100).contains(y))
}

/// `POST /plans/{id}/targets`.
pub async fn add_target(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<TargetForm>,
) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let name = tiendo_core::text::normalize_input(&form.name);
    if name.is_empty() {
        errors.add("target_name", ctx.tr.t("field-required"));
    }
    let unit = tiendo_core::text::normalize_input(&form.unit);
    if unit.is_empty() {
        errors.add("target_unit", ctx.tr.t("field-required"));
    }
    let baseline_value = match form.baseline_value.trim() {
        "" => None,
        t => parse_number(t).or_else(|| {
            errors.add("baseline_value", ctx.tr.t("field-number_format"));
            None
        }),
    };
    let baseline_year = match form.baseline_year.trim() {
        "" => None,
        t => parse_year(t).or_else(|| {
            errors.add("baseline_year", ctx.tr.t("field-year_format"));
            None
        }),
    };
    let target_value = parse_number(&form.target_value);
    if target_value.is_none() {
        errors.add("target_value", ctx.tr.t("field-number_format"));
    }
    let target_year = parse_year(&form.target_year);
    if target_year.is_none() {
        errors.add("target_year", ctx.tr.t("field-year_format"));
    }
    let (Some(target_value), Some(target_year), true) = (target_value, target_year, errors.is_empty()) else {
        let forms = PlanForms { target: (form, errors), ..PlanForms::default() };
        return plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = TargetInput {
        name: name.clone(),
        unit,
        baseline_value,
        baseline_year,
        target_value,
        target_year,
        higher_is_better: form.direction != "lower",
    };
    let tx = ctx.state.db().begin().await?;
    let target = plans::add_target(&tx, id, &input).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("add_target", "plan", id, format!("Thêm chỉ tiêu {name} (#{target})")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{id}#targets")).into_response())
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
    axum::Form(form): axum::Form<ValueForm>,
) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let target = match form.target_id.trim().parse::<i64>().ok() {
        Some(t) => plans::target(ctx.state.db(), t).await?.filter(|t| t.plan_id == id),
        None => None,
    };
    if target.is_none() {
        errors.add("value_target", ctx.tr.t("field-required"));
    }
    let year = parse_year(&form.year);
    if year.is_none() {
        errors.add("value_year", ctx.tr.t("field-year_format"));
    }
    let value = parse_number(&form.value);
    if value.is_none() {
        errors.add("value_value", ctx.tr.t("field-number_format"));
    }
    let (Some(target), Some(year), Some(value)) = (target, year, value) else {
        let forms = PlanForms { value: (form, errors), ..PlanForms::default() };
        return plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let source = Some(tiendo_core::text::normalize_input(&form.source)).filter(|s| !s.is_empty());
    let before =
        plans::values(ctx.state.db(), target.id).await?.into_iter().find(|(y, _, _)| *y == year).map(|(_, v, _)| v);
    let tx = ctx.state.db().begin().await?;
    plans::record_value(&tx, target.id, year, value, source.as_deref()).await?;
    let event =
        NewEvent::new("record_value", "plan", id, format!("Cập nhật giá trị chỉ tiêu {} năm {year}", target.name))
            .with_changes(vec![Change::new(&format!("target:{}:{year}", target.id), before, value)]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{id}#targets")).into_response())
}

/// `POST /plans/{id}/tasks`.
pub async fn add_task(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<TaskForm>,
) -> Result<Response, AppError> {
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    plans::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let code = tiendo_core::text::normalize_input(&form.code);
    if code.is_empty() {
        errors.add("task_code", ctx.tr.t("field-required"));
    }
    let title = tiendo_core::text::normalize_input(&form.title);
    if title.is_empty() {
        errors.add("task_title", ctx.tr.t("field-required"));
    }
    let weight = match form.weight.trim() {
        "" => 1.0,
        t => match parse_number(t) {
            Some(w) if w > 0.0 => w,
            _ => {
                errors.add("task_weight", ctx.tr.t("field-number_format"));
                1.0
            }
        },
    };
    let parent_id = form.parent_id.trim().parse::<i64>().ok();
    if let Some(p) = parent_id
        && plans::task(ctx.state.db(), p).await?.is_none_or(|t| t.plan_id != id)
    {
        errors.add("task_parent", ctx.tr.t("field-invalid"));
    }
    if !errors.is_empty() {
        let forms = PlanForms { task: (form, errors), ..PlanForms::default() };
        return plan_page(&ctx, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = TaskInput {
        parent_id,
        code,
        title: title.clone(),
        expected_product: super::optional_text(&form.expected_product),
        weight,
    };
    let tx = ctx.state.db().begin().await?;
    let task = plans::add_task(&tx, id, &input).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("add_task", "plan", id, format!("Thêm nhiệm vụ {title} (#{task})")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{id}#tasks")).into_response())
}
