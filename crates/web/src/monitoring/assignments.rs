//! `/assignments`: the list with filters (kept in the address, and in the XLSX export), an assignment's
//! page with its updates, the form that assigns a task to one or many units, and the flags.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, Utc};
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::{Deadline, StatusKind, derive_status};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow, Flags, NewAssignments};
use tiendo_db::monitoring::{documents, plans, updates};
use tiendo_db::{Exec, Query as DbQuery, orgtree};

use super::dashboard::{AssignmentLine, lines};
use super::status::{self, StatusView};
use super::{optional_date, show_date, today, visibility};
use crate::error::AppError;
use crate::forms::{FormErrors, url_encode};
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// The filters of the list, as in the address.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    /// A derived state's code, or `at_risk`, `blocked`.
    #[serde(default)]
    pub status: String,
    /// A plan (with its sub-plans).
    #[serde(default)]
    pub plan: String,
    /// The lead organisation.
    #[serde(default)]
    pub lead: String,
    /// Led or coordinated by.
    #[serde(default)]
    pub org: String,
    /// Words of the task.
    #[serde(default)]
    pub q: String,
    /// `high`, `normal`, `low`.
    #[serde(default)]
    pub priority: String,
    /// Page number.
    #[serde(default)]
    pub page: Option<usize>,
}

impl ListQuery {
    /// The filters as a query string (without the page), for links and the export.
    /// Empty filters are left out, so links stay short.
    pub fn to_query(&self) -> String {
        [
            ("status", &self.status),
            ("plan", &self.plan),
            ("lead", &self.lead),
            ("org", &self.org),
            ("q", &self.q),
            ("priority", &self.priority),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// The assignments matching the filters, visible to the caller, with their derived status (most overdue
/// first, then by id).
pub async fn filtered(ctx: &Ctx, q: &ListQuery) -> Result<Vec<AssignmentRow>, AppError> {
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let plans = match q.plan.trim().parse::<i64>() {
        Ok(p) => Some(plans::subtree_ids(ctx.state.db(), p).await?),
        Err(_) => None,
    };
    let filter = AssignmentFilter {
        plans,
        lead: q.lead.trim().parse().ok(),
        involving: q.org.trim().parse().ok(),
        q: Some(q.q.clone()),
        ..Default::default()
    };
    let now = today();
    let mut rows: Vec<(AssignmentRow, i64)> = assignments::list(ctx.state.db(), &filter, &vis)
        .await?
        .into_iter()
        .filter(|r| q.priority.is_empty() || r.priority == q.priority)
        .filter_map(|r| {
            let s = derive_status(&r.facts(), now);
            let keep = match q.status.as_str() {
                "" => true,
                "at_risk" => s.at_risk,
                "blocked" => s.blocked,
                code => s.kind.code() == code,
            };
            keep.then(|| (r, if s.kind == StatusKind::Overdue { s.days_late.unwrap_or(0) } else { -1 }))
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    Ok(rows.into_iter().map(|(r, _)| r).collect())
}

/// A filter option.
#[derive(Debug, Clone)]
pub struct Option_ {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "monitoring/assignments.html")]
struct ListPage {
    layout: Layout,
    q: ListQuery,
    rows: Vec<AssignmentLine>,
    total: usize,
    page: usize,
    pages: usize,
    query: String,
    statuses: Vec<Option_>,
    plans: Vec<Option_>,
    orgs: Vec<Option_>,
}

const PAGE_SIZE: usize = 50;

/// `GET /assignments`.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let rows = filtered(&ctx, &q).await?;
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let shown: Vec<AssignmentRow> = rows.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    let mut statuses: Vec<Option_> = StatusKind::ALL
        .iter()
        .map(|k| Option_ {
            value: k.code().to_owned(),
            label: status::label(&ctx.tr, *k),
            selected: q.status == k.code(),
        })
        .collect();
    statuses.push(Option_ {
        value: "at_risk".into(),
        label: ctx.tr.t("status-at_risk"),
        selected: q.status == "at_risk",
    });
    statuses.push(Option_ {
        value: "blocked".into(),
        label: ctx.tr.t("status-blocked"),
        selected: q.status == "blocked",
    });
    let plans_options = plans::all(ctx.state.db())
        .await?
        .into_iter()
        .map(|p| Option_ { selected: q.plan == p.id.to_string(), value: p.id.to_string(), label: p.title })
        .collect();
    let orgs = orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|o| Option_ {
            selected: q.org == o.id.to_string() || q.lead == o.id.to_string(),
            value: o.id.to_string(),
            label: o.name,
        })
        .collect();
    let page_view = ListPage {
        layout: ctx.layout("assignments-title"),
        rows: lines(&ctx, &shown, today()),
        total,
        page,
        pages,
        query: q.to_query(),
        statuses,
        plans: plans_options,
        orgs,
        q,
    };
    html(&page_view, StatusCode::OK)
}

/// Whether the actor's organisations coordinate the assignment.
async fn actor_coordinates(ctx: &Ctx, id: i64) -> Result<bool, AppError> {
    let orgs = super::reporting_orgs(&ctx.state, &ctx.auth.actor).await?;
    Ok(assignments::coordinated_by_any(ctx.state.db(), id, &orgs).await?)
}

/// Loads an assignment the actor may see, with the lead's path; 404 otherwise.
pub async fn visible(ctx: &Ctx, id: i64) -> Result<(AssignmentRow, Vec<i64>), AppError> {
    let row = assignments::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = orgtree::path(ctx.state.db(), row.lead_org_id).await?;
    let coordinates = actor_coordinates(ctx, id).await?;
    if !authorize(
        &ctx.auth.actor,
        Action::View,
        &Resource::Assignment { lead_path: &path, actor_coordinates: coordinates },
    )
    .is_allowed()
    {
        return Err(AppError::NotFound);
    }
    Ok((row, path))
}

/// An update in the assignment's timeline.
#[derive(Debug, Clone)]
pub struct UpdateView {
    id: i64,
    status: String,
    status_label: String,
    org: String,
    author: String,
    at: String,
    narrative: String,
    percent: i64,
    difficulties: String,
    recommendations: String,
    links: Vec<String>,
    claimed: String,
    decision: String,
    decided_by: String,
    evidence: Vec<tiendo_db::files::Attachment>,
    is_sample: bool,
    can_edit: bool,
    can_review: bool,
}

#[derive(Template)]
#[template(path = "monitoring/assignment.html")]
struct DetailPage {
    layout: Layout,
    row: AssignmentRow,
    extra: assignments::AssignmentExtra,
    status: StatusView,
    deadline: String,
    coordinators: Vec<(i64, String)>,
    updates: Vec<UpdateView>,
    can_report: bool,
    can_manage: bool,
    assigned_on: String,
    history: Vec<HistoryItem>,
    notice: String,
    priority: String,
}

/// A deadline in words.
pub fn deadline_text(ctx: &Ctx, d: &Deadline) -> String {
    match d {
        Deadline::Fixed { date } => ctx.tr.t_with("deadline-fixed", &[("date", &tiendo_core::fmt::date(*date))]),
        Deadline::Yearly { month, day } => {
            ctx.tr.t_with("deadline-yearly", &[("day", &format!("{day:02}")), ("month", &format!("{month:02}"))])
        }
        Deadline::Continuous => ctx.tr.t("deadline-continuous"),
        Deadline::Period { from, to } => ctx.tr.t_with(
            "deadline-period",
            &[("from", &tiendo_core::fmt::date(*from)), ("to", &tiendo_core::fmt::date(*to))],
        ),
    }
}

/// Query of the assignment page.
#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
}

/// `GET /assignments/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<DetailQuery>) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some(key @ ("submitted" | "saved" | "accepted" | "returned" | "deleted" | "flags")) => {
            ctx.tr.t(&format!("update-done-{key}"))
        }
        Some("conflict") => ctx.tr.t("update-done-conflict"),
        _ => String::new(),
    };
    detail(&ctx, id, notice).await
}

/// The assignment's page with a notice.
pub async fn detail(ctx: &Ctx, id: i64, notice: String) -> Result<Response, AppError> {
    let (row, path) = visible(ctx, id).await?;
    let extra = assignments::extra(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let coordinates = actor_coordinates(ctx, id).await?;
    let resource = Resource::Assignment { lead_path: &path, actor_coordinates: coordinates };
    let can_report = authorize(&ctx.auth.actor, Action::Submit, &resource).is_allowed() && !row.cancelled;
    let can_manage = authorize(&ctx.auth.actor, Action::Edit, &resource).is_allowed();
    let can_review = authorize(&ctx.auth.actor, Action::Review, &resource).is_allowed();
    let mut views = Vec::new();
    for u in updates::of_assignment(ctx.state.db(), id).await? {
        let state = u.state();
        let owner_path = orgtree::path(ctx.state.db(), u.org_id).await?;
        // Drafts are private to the unit that writes them.
        if !authorize(
            &ctx.auth.actor,
            Action::View,
            &Resource::UnitRecord { owner_path: &owner_path, stage: state.stage() },
        )
        .is_allowed()
            && state.stage() == tiendo_core::authz::Stage::Draft
        {
            continue;
        }
        views.push(UpdateView {
            id: u.id,
            status_label: ctx.tr.t(&format!("update-status-{}", u.status)),
            status: u.status.clone(),
            org: u.org_name.clone(),
            author: u.author_name.clone().unwrap_or_default(),
            at: tiendo_core::fmt::datetime(u.submitted_at.unwrap_or(u.updated_at)),
            narrative: u.narrative.clone(),
            percent: u.percent,
            difficulties: u.difficulties.clone().unwrap_or_default(),
            recommendations: u.recommendations.clone().unwrap_or_default(),
            links: u
                .links
                .as_deref()
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.is_empty())
                .collect(),
            claimed: show_date(u.completion_claimed_on),
            decision: u.decision_comment.clone().unwrap_or_default(),
            decided_by: u.decided_by_name.clone().unwrap_or_default(),
            evidence: updates::evidence(ctx.state.db(), u.id).await?,
            is_sample: u.is_sample,
            can_edit: can_report
                && tiendo_core::monitoring::update::allowed(
                    state,
                    tiendo_core::monitoring::UpdateAction::Edit,
                    tiendo_core::monitoring::UpdateSide::Reporter,
                ),
            can_review: can_review && state == tiendo_core::monitoring::UpdateStatus::Submitted,
        });
    }
    let status = status::view(&ctx.tr, &derive_status(&row.facts(), today()));
    let page = DetailPage {
        layout: ctx.layout_titled(format!("{}. {}", row.task_code, row.task_title)),
        deadline: deadline_text(ctx, &row.deadline()),
        coordinators: assignments::coordinators(ctx.state.db(), id).await?,
        updates: views,
        can_report,
        can_manage,
        assigned_on: tiendo_core::fmt::date(row.assigned_on),
        priority: ctx.tr.t(&format!("priority-{}", row.priority)),
        history: crate::history::load(&ctx.state, "assignment", id).await?,
        status,
        extra,
        row,
        notice,
    };
    html(&page, StatusCode::OK)
}

/// The assignment form as typed (several `lead` and `coordinator` values).
#[derive(Debug, Clone, Default)]
pub struct AssignForm {
    leads: Vec<String>,
    coordinators: Vec<String>,
    all_communes: bool,
    deadline_kind: String,
    due_on: String,
    period_start: String,
    period_end: String,
    yearly: String,
    priority: String,
    assigned_on: String,
    source_document_id: String,
    note: String,
}

impl AssignForm {
    fn from_pairs(pairs: &[(String, String)]) -> AssignForm {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        AssignForm {
            leads: pairs.iter().filter(|(k, _)| k == "lead").map(|(_, v)| v.clone()).collect(),
            coordinators: pairs.iter().filter(|(k, _)| k == "coordinator").map(|(_, v)| v.clone()).collect(),
            all_communes: get("all_communes") == "1",
            deadline_kind: get("deadline_kind"),
            due_on: get("due_on"),
            period_start: get("period_start"),
            period_end: get("period_end"),
            yearly: get("yearly"),
            priority: get("priority"),
            assigned_on: get("assigned_on"),
            source_document_id: get("source_document_id"),
            note: get("note"),
        }
    }
}

/// An organisation with whether it is checked.
#[derive(Debug, Clone)]
pub struct OrgCheck {
    id: i64,
    name: String,
    lead: bool,
    coordinator: bool,
}

#[derive(Template)]
#[template(path = "monitoring/assign.html")]
struct AssignPage {
    layout: Layout,
    task_id: i64,
    task: String,
    plan_id: i64,
    form: AssignForm,
    errors: FormErrors,
    orgs: Vec<OrgCheck>,
    documents: Vec<(i64, String, bool)>,
    communes: usize,
    any_coordinator: bool,
}

/// The commune-level People's Committees in force (the "all communes" shortcut).
async fn commune_committees(ctx: &Ctx) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = ctx
        .state
        .db()
        .fetch_all(DbQuery::new(
            "SELECT id FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

async fn assign_page(
    ctx: &Ctx,
    task_id: i64,
    form: AssignForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let task = plans::task(ctx.state.db(), task_id).await?.ok_or(AppError::NotFound)?;
    let orgs = orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|o| OrgCheck {
            lead: form.leads.contains(&o.id.to_string()),
            coordinator: form.coordinators.contains(&o.id.to_string()),
            id: o.id,
            name: o.name,
        })
        .collect::<Vec<OrgCheck>>();
    let any_coordinator = orgs.iter().any(|o| o.coordinator);
    let documents = documents::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|(id, label)| (id, label, form.source_document_id == id.to_string()))
        .collect();
    let page = AssignPage {
        layout: ctx.layout("assign-title"),
        task_id,
        task: format!("{}. {}", task.code, task.title),
        plan_id: task.plan_id,
        communes: commune_committees(ctx).await?.len(),
        form,
        errors,
        orgs,
        documents,
        any_coordinator,
    };
    html(&page, status)
}

/// `GET /tasks/{id}/assign`.
pub async fn assign_form(ctx: Ctx, Path(task_id): Path<i64>) -> Result<Response, AppError> {
    if !super::plans::may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let form = AssignForm {
        deadline_kind: "fixed".into(),
        priority: "normal".into(),
        assigned_on: tiendo_core::fmt::date(today()),
        ..AssignForm::default()
    };
    assign_page(&ctx, task_id, form, FormErrors::new(), StatusCode::OK).await
}

/// Validates the deadline fields.
fn parse_deadline(ctx: &Ctx, form: &AssignForm, errors: &mut FormErrors) -> Option<Deadline> {
    let date = |field: &str, text: &str, errors: &mut FormErrors| match optional_date(text) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add(field, ctx.tr.t("field-required"));
            None
        }
        Err(code) => {
            errors.add(field, ctx.tr.t(&format!("field-{code}")));
            None
        }
    };
    match form.deadline_kind.as_str() {
        "fixed" => date("due_on", &form.due_on, errors).map(|date| Deadline::Fixed { date }),
        "period" => {
            let from = date("period_start", &form.period_start, errors);
            let to = date("period_end", &form.period_end, errors);
            Some(Deadline::Period { from: from?, to: to? })
        }
        "yearly" => {
            // "15/12": a day and a month.
            let parts: Vec<&str> = form.yearly.trim().split(['/', '-', '.']).collect();
            let parsed = match parts.as_slice() {
                [d, m] => d.trim().parse::<u32>().ok().zip(m.trim().parse::<u32>().ok()),
                _ => None,
            };
            match parsed {
                Some((day, month)) => Some(Deadline::Yearly { month, day }),
                None => {
                    errors.add("yearly", ctx.tr.t("field-yearly_format"));
                    None
                }
            }
        }
        "continuous" => Some(Deadline::Continuous),
        _ => {
            errors.add("deadline_kind", ctx.tr.t("field-required"));
            None
        }
    }
}

/// `POST /tasks/{id}/assign`: one assignment per lead organisation.
pub async fn assign(ctx: Ctx, Path(task_id): Path<i64>, body: axum::body::Bytes) -> Result<Response, AppError> {
    if !super::plans::may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let task = plans::task(ctx.state.db(), task_id).await?.ok_or(AppError::NotFound)?;
    let form = AssignForm::from_pairs(&crate::forms::parse_urlencoded(&body));
    let mut errors = FormErrors::new();
    let known: Vec<i64> = orgtree::options(ctx.state.db()).await?.into_iter().map(|o| o.id).collect();
    let mut leads: Vec<i64> = form.leads.iter().filter_map(|l| l.parse().ok()).filter(|l| known.contains(l)).collect();
    if form.all_communes {
        leads.extend(commune_committees(&ctx).await?);
    }
    leads.sort_unstable();
    leads.dedup();
    if leads.is_empty() {
        errors.add("lead", ctx.tr.t("field-lead_required"));
    }
    let coordinators: Vec<i64> =
        form.coordinators.iter().filter_map(|c| c.parse().ok()).filter(|c| known.contains(c)).collect();
    let assigned_on = match optional_date(&form.assigned_on) {
        Ok(Some(d)) => d,
        Ok(None) => today(),
        Err(code) => {
            errors.add("assigned_on", ctx.tr.t(&format!("field-{code}")));
            today()
        }
    };
    let deadline = parse_deadline(&ctx, &form, &mut errors);
    if let Some(d) = deadline
        && let Err(e) = d.check(assigned_on)
    {
        let field = match (e, d) {
            (_, Deadline::Yearly { .. }) => "yearly",
            (tiendo_core::monitoring::deadline::DeadlineError::PeriodReversed, _) => "period_end",
            (_, Deadline::Period { .. }) => "period_end",
            _ => "due_on",
        };
        errors.add(field, ctx.tr.t(&format!("field-{}", e.code())));
    }
    // A form without the field (an older page, a script) means the usual priority.
    let mut form = form;
    if form.priority.trim().is_empty() {
        form.priority = "normal".into();
    }
    if !["high", "normal", "low"].contains(&form.priority.as_str()) {
        errors.add("priority", ctx.tr.t("field-invalid"));
    }
    let source_document_id = form.source_document_id.trim().parse::<i64>().ok();
    let (Some(deadline), true) = (deadline, errors.is_empty()) else {
        return assign_page(&ctx, task_id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewAssignments {
        task_id,
        leads: leads.clone(),
        coordinators,
        deadline,
        priority: form.priority.clone(),
        assigned_on,
        assigned_by: ctx.auth.user.as_ref().map(|u| u.id),
        source_document_id,
        origin: None,
        note: super::optional_text(&form.note),
        is_sample: false,
    };
    let tx = ctx.state.db().begin().await?;
    let ids = assignments::create(&tx, &new, Utc::now()).await?;
    for (id, lead) in ids.iter().zip(&leads) {
        let name = orgtree::name(&tx, *lead).await?.unwrap_or_default();
        let event = NewEvent::new("create", "assignment", id, format!("Giao nhiệm vụ {} cho {name}", task.code))
            .with_changes(vec![
                Change::new("lead_org_id", None::<i64>, lead),
                Change::new("deadline", None::<String>, deadline_text(&ctx, &deadline)),
            ]);
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/plans/{}#task-{task_id}", task.plan_id)).into_response())
}

/// The flags form.
#[derive(Debug, Default, Deserialize)]
pub struct FlagsForm {
    #[serde(default)]
    at_risk: String,
    #[serde(default)]
    blocked: String,
    #[serde(default)]
    blocked_reason: String,
    #[serde(default)]
    cancelled: String,
}

/// `POST /assignments/{id}/flags`: at risk, blocked (with the reason), cancelled.
pub async fn set_flags(
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<FlagsForm>,
) -> Result<Response, AppError> {
    let (row, path) = visible(&ctx, id).await?;
    if !authorize(&ctx.auth.actor, Action::Edit, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    let flags = Flags {
        at_risk: form.at_risk == "1",
        blocked: form.blocked == "1",
        blocked_reason: super::optional_text(&form.blocked_reason).filter(|_| form.blocked == "1"),
        cancelled: form.cancelled == "1",
    };
    let mut diff = tiendo_db::audit::Diff::new();
    diff.field("flagged_at_risk", &row.flagged_at_risk, &flags.at_risk)
        .field("blocked", &row.blocked, &flags.blocked)
        .field("cancelled", &row.cancelled, &flags.cancelled);
    let tx = ctx.state.db().begin().await?;
    assignments::set_flags(&tx, id, &flags, Utc::now()).await?;
    if !diff.is_empty() {
        let event = NewEvent::new("set_flags", "assignment", id, format!("Đánh dấu nhiệm vụ {}", row.task_code))
            .with_changes(diff.into_changes());
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/assignments/{id}?done=flags")).into_response())
}

/// The year of today, for templates.
pub fn this_year() -> i32 {
    today().year()
}
