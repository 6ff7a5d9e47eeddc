//! `/assignments`: the list with filters (kept in the address, and in the XLSX export), an assignment's
//! page with its updates, the form that assigns a task to one or many units, and the flags.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::monitoring::assignments::{self as assigning, AssignDraft, ListFilter};
use tiendo_app::monitoring::updates as progress;
use tiendo_core::monitoring::{AssignmentAction, Deadline, DeadlineFields, StatusKind, UpdateAction, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentRow, Flags, PageRequest};
use tiendo_db::monitoring::{legal_documents, plans, updates};
use tiendo_db::orgtree;

use super::dashboards::{AssignmentLine, lines};
use super::html;
use super::plans::{field_errors, may_plan, rename_fields};
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::{FormErrors, url_encode};
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};
use crate::monitoring::status::{self, StatusView};
use crate::monitoring::{optional_date, show_date};

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

impl ListQuery {
    /// The filters as the application layer takes them (an id that is not a number is no filter).
    pub fn filter(&self) -> ListFilter {
        ListFilter {
            status: self.status.trim().to_owned(),
            plan: self.plan.trim().parse().ok(),
            lead: self.lead.trim().parse().ok(),
            org: self.org.trim().parse().ok(),
            q: self.q.clone(),
            priority: self.priority.trim().to_owned(),
        }
    }
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
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let filter = q.filter();
    let limit = i64::try_from(PAGE_SIZE).unwrap_or(50);
    let wanted = q.page.unwrap_or(1).max(1);
    let at = |page: usize| PageRequest { limit: Some(limit), offset: i64::try_from(page - 1).unwrap_or(0) * limit };
    let (mut shown, total) = assigning::list(app, session, &filter, at(wanted)).await?;
    let total = usize::try_from(total).unwrap_or(0);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = wanted.min(pages);
    if page != wanted {
        shown = assigning::list(app, session, &filter, at(page)).await?.0;
    }
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
        rows: lines(&ctx, &shown, app.today()),
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
    assigning::deadline_words(&ctx.tr, d)
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
    detail(&ctx, id, notice, StatusCode::OK).await
}

/// The assignment's page with a notice, answered with the status code `answer`.
pub async fn detail(ctx: &Ctx, id: i64, notice: String, answer: StatusCode) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let (assignment, shown, _) = progress::list(app, session, id, None, 0).await?;
    let extra = assignments::extra(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let actions = assignment.actions(session);
    let ids: Vec<i64> = shown.iter().map(|u| u.id).collect();
    let mut evidence = updates::evidence_of(ctx.state.db(), &ids).await?;
    let views = shown
        .into_iter()
        .map(|u| {
            let allowed = progress::actions(session, &assignment, &u);
            UpdateView {
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
                evidence: evidence.remove(&u.id).unwrap_or_default(),
                is_sample: u.is_sample,
                can_edit: allowed.contains(&UpdateAction::Edit),
                can_review: allowed.contains(&UpdateAction::Accept) || allowed.contains(&UpdateAction::Return),
            }
        })
        .collect();
    let row = assignment.row;
    let status = status::view(&ctx.tr, &derive_status(&row.facts(), app.today()));
    let page = DetailPage {
        layout: ctx.layout_named(format!("{}. {}", row.task_code, row.task_title)),
        deadline: deadline_text(ctx, &row.deadline()),
        coordinators: assignments::coordinators(ctx.state.db(), id).await?,
        updates: views,
        can_report: actions.contains(&AssignmentAction::Report),
        can_manage: actions.contains(&AssignmentAction::SetFlags),
        assigned_on: tiendo_core::fmt::date(row.assigned_on),
        priority: ctx.tr.t(&format!("priority-{}", row.priority)),
        history: crate::history::load(&ctx.state, &ctx.tr, "assignment", id).await?,
        status,
        extra,
        row,
        notice,
    };
    html(&page, answer)
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
    let documents = legal_documents::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|(id, label)| (id, label, form.source_document_id == id.to_string()))
        .collect();
    let page = AssignPage {
        layout: ctx.layout("assign-title"),
        task_id,
        task: format!("{}. {}", task.code, task.title),
        plan_id: task.plan_id,
        communes: assigning::commune_committees(ctx.state.app()).await?.len(),
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
    if !may_plan(&ctx) {
        return Err(AppError::Forbidden);
    }
    let form = AssignForm {
        deadline_kind: "fixed".into(),
        priority: "normal".into(),
        assigned_on: tiendo_core::fmt::date(ctx.state.app().today()),
        ..AssignForm::default()
    };
    assign_page(&ctx, task_id, form, FormErrors::new(), StatusCode::OK).await
}

impl AssignForm {
    /// The draft, with what did not parse (dates, the yearly day). Unknown organisation ids are left to the
    /// rules.
    fn draft(&self) -> AssignDraft {
        let (deadline, issues) = DeadlineFields::from_form(
            &self.deadline_kind,
            &self.due_on,
            &self.period_start,
            &self.period_end,
            &self.yearly,
        );
        let mut unreadable: Vec<FieldError> =
            issues.into_iter().map(|i| FieldError::new(format!("deadline.{}", i.field), i.code)).collect();
        let assigned_on = optional_date(&self.assigned_on).unwrap_or_else(|code| {
            unreadable.push(FieldError::new("assigned_on", code));
            None
        });
        let ids = |values: &[String]| -> Vec<i64> { values.iter().filter_map(|v| v.trim().parse().ok()).collect() };
        AssignDraft {
            leads: ids(&self.leads),
            all_communes: self.all_communes,
            coordinators: ids(&self.coordinators),
            deadline,
            priority: self.priority.clone(),
            assigned_on,
            source_document_id: self.source_document_id.trim().parse().ok(),
            note: Some(self.note.clone()),
            assigned_by: None,
            is_sample: false,
            unreadable,
        }
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
    let form = AssignForm::from_pairs(&crate::forms::parse_urlencoded(&body));
    match assigning::assign(ctx.state.app(), ctx.auth.session(), task_id, &form.draft()).await {
        Ok(_) => {
            let plan_id = plans::task(ctx.state.db(), task_id).await?.map_or(0, |t| t.plan_id);
            Ok(Redirect::to(&format!("/plans/{plan_id}#task-{task_id}")).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_fields(&rename_fields(field_errors(e)?, ASSIGN_FIELDS), &ctx.tr);
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
    crate::extract::Form(form): crate::extract::Form<FlagsForm>,
) -> Result<Response, AppError> {
    let flags = Flags {
        at_risk: form.at_risk == "1",
        blocked: form.blocked == "1",
        blocked_reason: Some(form.blocked_reason),
        cancelled: form.cancelled == "1",
    };
    assigning::set_flags(ctx.state.app(), ctx.auth.session(), id, &flags).await?;
    Ok(Redirect::to(&format!("/assignments/{id}?done=flags")).into_response())
}
