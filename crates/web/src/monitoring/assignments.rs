//! `/assignments`: the list with filters (kept in the address, and in the XLSX export), an assignment's
//! page with its updates, the form that assigns a task to one or many units, and the flags.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use tiendo_core::monitoring::{Deadline, StatusKind, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow, Flags};
use tiendo_db::monitoring::{documents, plans, updates};
use tiendo_db::orgtree;

use super::dashboard::{AssignmentLine, lines};
pub use super::service::assignments::visible;
use super::service::assignments::{self as service, AssignDraft, DeadlineDraft, Permissions};
use super::service::rename_fields;
use super::status::{self, StatusView};
use super::{optional_date, show_date, today, visibility};
use crate::error::{AppError, FieldError};
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

/// A deadline in words, in the request's language.
pub fn deadline_text(ctx: &Ctx, d: &Deadline) -> String {
    service::deadline_words(&ctx.tr, d)
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
    let Permissions { report: can_report, manage: can_manage, review: can_review } =
        service::permissions(ctx, &row, &path).await?;
    let mut views = Vec::new();
    for u in super::service::updates::shown(ctx, id).await? {
        let state = u.state();
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
        history: crate::history::load(&ctx.state, &ctx.tr, "assignment", id).await?,
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
        communes: service::commune_committees(ctx).await?.len(),
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

impl AssignForm {
    /// The draft, and what did not parse (dates, the yearly day). Unknown organisation ids are left to the
    /// shared rules.
    fn draft(&self) -> (AssignDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut date = |field: &str, text: &str| {
            optional_date(text).unwrap_or_else(|code| {
                errors.push(FieldError::new(field, code));
                None
            })
        };
        let due_on = date("deadline.due_on", &self.due_on);
        let period_start = date("deadline.period_start", &self.period_start);
        let period_end = date("deadline.period_end", &self.period_end);
        let assigned_on = date("assigned_on", &self.assigned_on);
        // "15/12": a day and a month.
        let (mut yearly_day, mut yearly_month) = (None, None);
        if self.deadline_kind == "yearly" {
            let parts: Vec<Option<u32>> =
                self.yearly.trim().split(['/', '-', '.']).map(|p| p.trim().parse().ok()).collect();
            match parts.as_slice() {
                [Some(d), Some(m)] => (yearly_day, yearly_month) = (Some(*d), Some(*m)),
                _ => errors.push(FieldError::new("deadline.yearly_day", "yearly_format")),
            }
        }
        let ids = |values: &[String]| -> Vec<i64> { values.iter().filter_map(|v| v.trim().parse().ok()).collect() };
        let draft = AssignDraft {
            leads: ids(&self.leads),
            all_communes: self.all_communes,
            coordinators: ids(&self.coordinators),
            deadline: DeadlineDraft {
                kind: self.deadline_kind.clone(),
                due_on,
                period_start,
                period_end,
                yearly_month,
                yearly_day,
            },
            priority: self.priority.clone(),
            assigned_on,
            source_document_id: self.source_document_id.trim().parse().ok(),
            note: Some(self.note.clone()),
        };
        (draft, errors)
    }
}

/// The assignment form's field names for the shared operation's.
const ASSIGN_FIELDS: &[(&str, &str)] = &[
    ("lead_org_ids", "lead"),
    ("coordinator_org_ids", "lead"),
    ("deadline.kind", "deadline_kind"),
    ("deadline.due_on", "due_on"),
    ("deadline.period_start", "period_start"),
    ("deadline.period_end", "period_end"),
    ("deadline.yearly_day", "yearly"),
    ("deadline.yearly_month", "yearly"),
];

/// `POST /tasks/{id}/assign`: one assignment per lead organisation.
pub async fn assign(ctx: Ctx, Path(task_id): Path<i64>, body: axum::body::Bytes) -> Result<Response, AppError> {
    if !super::plans::may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let task = plans::task(ctx.state.db(), task_id).await?.ok_or(AppError::NotFound)?;
    let form = AssignForm::from_pairs(&crate::forms::parse_urlencoded(&body));
    let (draft, parsed) = form.draft();
    match service::assign(&ctx, &task, &draft, parsed).await? {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{}#task-{task_id}", task.plan_id)).into_response()),
        Err(fields) => {
            let errors = FormErrors::from_fields(&rename_fields(fields, ASSIGN_FIELDS), &ctx.tr);
            assign_page(&ctx, task_id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
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
    let flags = Flags {
        at_risk: form.at_risk == "1",
        blocked: form.blocked == "1",
        blocked_reason: Some(form.blocked_reason),
        cancelled: form.cancelled == "1",
    };
    service::set_flags(&ctx, id, &flags).await?;
    Ok(Redirect::to(&format!("/assignments/{id}?done=flags")).into_response())
}

/// The year of today, for templates.
pub fn this_year() -> i32 {
    today().year()
}
