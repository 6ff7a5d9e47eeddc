//! The public registers of S&T tasks on the portal (`/registers/tasks`, `/registers/calls`): the approved
//! list of tasks with its search and its spreadsheet, and the calls published with what each asks.

use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::register;
use tiendo_core::sci_tech::CallPhase;
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::{ListedTask, RegisterFilter};

use super::views;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::fields::{Pager, page_number, pager};
use crate::forms::url_encode;
use crate::layout::{Ctx, Layout, render};

/// Lines per page.
const PER_PAGE: i64 = 50;

/// The filters of a register.
#[derive(Debug, Deserialize)]
pub struct RegisterQuery {
    q: Option<String>,
    year: Option<String>,
    page: Option<String>,
}

impl RegisterQuery {
    fn filter(&self) -> RegisterFilter {
        RegisterFilter {
            q: self.q.clone().map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
            year: self.year.as_deref().and_then(|y| y.trim().parse().ok()),
        }
    }
}

/// A task of the list as shown.
#[derive(Debug, Clone)]
pub struct TaskLine {
    id: i64,
    title: String,
    field: String,
    objectives: String,
    products: Vec<String>,
    mode: String,
    year: i64,
    decision: String,
    state: String,
    is_sample: bool,
}

fn line(ctx: &Ctx, t: &ListedTask) -> TaskLine {
    TaskLine {
        id: t.id,
        title: t.title.clone(),
        field: t.field.clone().unwrap_or_default(),
        objectives: t.objectives.clone().unwrap_or_default(),
        products: t.products().iter().map(|p| format!("{} {} {}", p.quantity_text(ctx.lang), p.unit, p.name)).collect(),
        mode: t.mode.as_deref().map(|m| ctx.tr.t(&format!("st-mode-{m}"))).unwrap_or_default(),
        year: t.year,
        decision: match (&t.decision_symbol, t.decision_date) {
            (Some(s), Some(d)) => format!("{s} ({})", tiendo_core::fmt::date(d)),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        },
        state: views::state(&ctx.tr, &t.state),
        is_sample: t.is_sample,
    }
}

#[derive(Template)]
#[template(path = "sci_tech/register_tasks.html")]
struct TasksPage {
    layout: Layout,
    rows: Vec<TaskLine>,
    summary: String,
    pager: Pager,
    q: String,
    year: String,
    xlsx: String,
}

/// `GET /registers/tasks`: the approved list, searchable by name and year.
pub async fn tasks(ctx: Ctx, Query(query): Query<RegisterQuery>) -> Result<Response, AppError> {
    let page = page_number(query.page.as_deref());
    let filter = query.filter();
    let listed =
        register::approved_list(ctx.state.app(), &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let q = filter.q.clone().unwrap_or_default();
    let year = filter.year.map(|y| y.to_string()).unwrap_or_default();
    let params = [("q", q.clone()), ("year", year.clone())];
    let mut xlsx = "/registers/tasks.xlsx".to_owned();
    let query_string: Vec<String> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    if !query_string.is_empty() {
        xlsx = format!("{xlsx}?{}", query_string.join("&"));
    }
    render(&TasksPage {
        layout: ctx.layout("st-register-tasks-title"),
        summary: ctx.tr.t_count("st-register-tasks-count", "count", listed.total),
        pager: pager(&ctx.tr, "/registers/tasks", &params, page, PER_PAGE, listed.total, listed.items.len()),
        rows: listed.items.iter().map(|t| line(&ctx, t)).collect(),
        q,
        year,
        xlsx,
    })
}

/// `GET /registers/tasks.xlsx`: the approved list (as filtered) as a spreadsheet.
pub async fn tasks_xlsx(ctx: Ctx, Query(query): Query<RegisterQuery>) -> Result<Response, AppError> {
    let bytes = register::approved_list_xlsx(ctx.state.app(), ctx.auth.session(), ctx.lang, &query.filter()).await?;
    let name = format!("{}.xlsx", tiendo_core::text::slugify(&ctx.tr.t("st-register-tasks-title"), 60));
    Ok(xlsx_response(bytes, &name))
}

/// A spreadsheet as a download named `name`.
pub fn xlsx_response(bytes: Vec<u8>, name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[derive(Template)]
#[template(path = "sci_tech/register_task.html")]
struct TaskPage {
    layout: Layout,
    t: TaskLine,
    full_record: bool,
}

/// `GET /registers/tasks/{id}`: one task of the approved list.
pub async fn task(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let found = register::approved_task(ctx.state.app(), id).await?.ok_or(AppError::NotFound)?;
    let full_record = tiendo_app::sci_tech::open_proposal(ctx.state.app(), ctx.auth.session(), id).await.is_ok();
    render(&TaskPage { layout: ctx.layout_named(found.title.clone()), t: line(&ctx, &found), full_record })
}

/// A published call as listed.
#[derive(Debug, Clone)]
pub struct CallLine {
    id: i64,
    title: String,
    route: String,
    year: i64,
    opens: String,
    deadline: String,
    phase: String,
    phase_code: &'static str,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/register_calls.html")]
struct CallsPage {
    layout: Layout,
    rows: Vec<CallLine>,
    summary: String,
    pager: Pager,
    q: String,
    year: String,
}

/// `GET /registers/calls`: the calls published, the latest deadline first.
pub async fn calls(ctx: Ctx, Query(query): Query<RegisterQuery>) -> Result<Response, AppError> {
    let page = page_number(query.page.as_deref());
    let filter = query.filter();
    let app = ctx.state.app();
    let listed = register::published_calls(
        app,
        filter.q.as_deref(),
        filter.year,
        Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE },
    )
    .await?;
    let now = app.now();
    let rows: Vec<CallLine> = listed
        .items
        .iter()
        .map(|c| {
            let phase = c.phase(now);
            CallLine {
                id: c.id,
                title: c.title.clone(),
                route: views::route(&ctx.tr, &c.route),
                year: c.year,
                opens: views::instant(&ctx.tr, c.opens_at),
                deadline: views::instant(&ctx.tr, c.closes_at),
                phase: views::phase(&ctx.tr, phase),
                phase_code: phase.code(),
                is_sample: c.is_sample,
            }
        })
        .collect();
    let q = filter.q.clone().unwrap_or_default();
    let year = filter.year.map(|y| y.to_string()).unwrap_or_default();
    render(&CallsPage {
        layout: ctx.layout("st-register-calls-title"),
        summary: ctx.tr.t_count("st-calls-count", "count", listed.total),
        pager: pager(
            &ctx.tr,
            "/registers/calls",
            &[("q", q.clone()), ("year", year.clone())],
            page,
            PER_PAGE,
            listed.total,
            rows.len(),
        ),
        rows,
        q,
        year,
    })
}

#[derive(Template)]
#[template(path = "sci_tech/register_call.html")]
struct CallPage {
    layout: Layout,
    call: tiendo_db::sci_tech::Call,
    route: String,
    opens: String,
    deadline: String,
    phase: String,
    phase_code: &'static str,
    fields: Vec<String>,
    forms: Vec<String>,
    open: bool,
    signed_in: bool,
}

/// `GET /registers/calls/{id}`: a published call, as the public reads it.
pub async fn call(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let call = tiendo_db::sci_tech::call(app.db(), id)
        .await?
        .filter(|c| c.published_at.is_some())
        .ok_or(AppError::NotFound)?;
    let phase = call.phase(app.now());
    render(&CallPage {
        layout: ctx.layout_named(call.title.clone()),
        route: views::route(&ctx.tr, &call.route),
        opens: views::instant(&ctx.tr, call.opens_at),
        deadline: views::instant(&ctx.tr, call.closes_at),
        phase: views::phase(&ctx.tr, phase),
        phase_code: phase.code(),
        fields: call.field_list(),
        forms: call.form_list(),
        open: phase == CallPhase::Open,
        signed_in: ctx.auth.user.is_some(),
        call,
    })
}

/// A task under contract in the public register.
#[derive(Debug, Clone)]
pub struct ContractLine {
    id: i64,
    title: String,
    host: String,
    pi: String,
    period: String,
    state_budget: String,
    state: String,
    grade: String,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/register_contracts.html")]
struct ContractsPage {
    layout: Layout,
    rows: Vec<ContractLine>,
    summary: String,
    q: String,
}

/// The query of the register of tasks under contract.
#[derive(Debug, Deserialize)]
pub struct ContractsQuery {
    q: Option<String>,
}

/// `GET /registers/contracts`: the tasks under contract, running and completed: what, who, how much, the
/// grade.
pub async fn contracts(ctx: Ctx, Query(query): Query<ContractsQuery>) -> Result<Response, AppError> {
    let q = query.q.unwrap_or_default().trim().to_owned();
    let rows = tiendo_app::sci_tech::contracts::public_register(ctx.state.app(), Some(q.as_str())).await?;
    let lines: Vec<ContractLine> = rows
        .iter()
        .map(|(r, grade)| ContractLine {
            id: r.id,
            title: r.title.clone(),
            host: r.host_name.clone(),
            pi: r.pi_name.clone(),
            period: format!("{} – {}", tiendo_core::fmt::date(r.starts_on), tiendo_core::fmt::date(r.ends_on)),
            state_budget: tiendo_core::fmt::money(r.state_budget, ctx.lang),
            state: ctx.tr.t(&format!("st-contract-state-{}", r.state)),
            grade: grade.as_deref().map(|g| ctx.tr.t(&format!("st-grade-{g}"))).unwrap_or_default(),
            is_sample: r.is_sample,
        })
        .collect();
    render(&ContractsPage {
        layout: ctx.layout("st-register-contracts-title"),
        summary: ctx.tr.t_count("st-portfolio-count", "count", i64::try_from(lines.len()).unwrap_or(i64::MAX)),
        rows: lines,
        q,
    })
}

#[derive(Template)]
#[template(path = "sci_tech/register_contract.html")]
struct ContractPage {
    layout: Layout,
    c: ContractLine,
    sources: Vec<(String, String)>,
    total: String,
    products: Vec<String>,
    registration: String,
    uses: Vec<(String, String, String, String)>,
}

/// `GET /registers/contracts/{id}`: one task under contract as the public reads it.
pub async fn contract(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let task = tiendo_app::sci_tech::contracts::public_task(ctx.state.app(), id).await?.ok_or(AppError::NotFound)?;
    let (c, f) = (&task.contract, &task.fields);
    let money = |n: i64| tiendo_core::fmt::money(n, ctx.lang);
    let line = ContractLine {
        id: c.id,
        title: c.title.clone(),
        host: c.host_name.clone(),
        pi: c.pi_name.clone(),
        period: format!("{} – {}", tiendo_core::fmt::date(c.starts_on), tiendo_core::fmt::date(c.ends_on)),
        state_budget: money(c.state_budget),
        state: ctx.tr.t(&format!("st-contract-state-{}", c.state)),
        grade: task.grade.as_deref().map(|g| ctx.tr.t(&format!("st-grade-{g}"))).unwrap_or_default(),
        is_sample: c.is_sample,
    };
    render(&ContractPage {
        layout: ctx.layout_named(c.title.clone()),
        sources: tiendo_core::sci_tech::BudgetSource::ALL
            .iter()
            .filter(|s| f.source_total(**s) > 0)
            .map(|s| (ctx.tr.t(&format!("st-source-{}", s.code())), money(f.source_total(*s))))
            .collect(),
        total: money(f.total()),
        products: f.products.iter().map(|p| format!("{} {} {}", p.quantity_text(ctx.lang), p.unit, p.name)).collect(),
        registration: task
            .registration
            .as_ref()
            .map(|r| format!("{} ({})", r.number, tiendo_core::fmt::date(r.registered_on)))
            .unwrap_or_default(),
        uses: task
            .uses
            .iter()
            .map(|u| {
                (
                    u.org_name.clone(),
                    u.place.clone().unwrap_or_default(),
                    tiendo_core::fmt::date(u.from_on),
                    u.effects.clone(),
                )
            })
            .collect(),
        c: line,
    })
}
