//! `/calls`: the calls for proposals and dossiers (the staff's drafts too), a call's page with what it
//! asks and the proposals sent to it, the call form, and publishing.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::{self as use_cases, OpenedCall};
use tiendo_core::sci_tech::{CallDraft, CallPhase, Machine, Regime, Route};
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::{self as stored, Call, ProposalFilter};

use super::views;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, Submitted, page_number, pager};
use crate::layout::{Ctx, Layout, render};

/// Calls and proposals per page.
const PER_PAGE: i64 = 50;

/// A call in the list.
#[derive(Debug, Clone)]
pub struct CallLine {
    id: i64,
    title: String,
    route: String,
    year: i64,
    deadline: String,
    phase: String,
    phase_code: &'static str,
    received: i64,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/calls.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<CallLine>,
    summary: String,
    pager: Pager,
    q: String,
    year: String,
    can_create: bool,
    proposes: bool,
    councils: bool,
}

/// The filters of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    year: Option<String>,
    page: Option<String>,
}

/// `GET /calls`.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let year = query.year.unwrap_or_default().trim().to_owned();
    let listed = use_cases::list_calls(
        app,
        session,
        Some(q.as_str()).filter(|q| !q.is_empty()),
        year.parse().ok(),
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
                deadline: views::instant(&ctx.tr, c.closes_at),
                phase: views::phase(&ctx.tr, phase),
                phase_code: phase.code(),
                received: c.received,
                is_sample: c.is_sample,
            }
        })
        .collect();
    let params = [("q", q.clone()), ("year", year.clone())];
    let page = ListPage {
        layout: ctx.layout("st-calls-title"),
        summary: ctx.tr.t_count("st-calls-count", "count", listed.total),
        pager: pager(&ctx.tr, "/calls", &params, page, PER_PAGE, listed.total, rows.len()),
        rows,
        q,
        year,
        can_create: use_cases::may_create_call(session),
        proposes: session.actor.grants.iter().any(|g| g.role.proposes()),
        councils: tiendo_app::sci_tech::councils::may_create_council(session)
            || session.actor.has_role(tiendo_core::authz::Role::Expert),
    };
    render(&page)
}

/// A proposal in a call's list.
#[derive(Debug, Clone)]
pub struct ProposalLine {
    /// Id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// Who proposes.
    pub proposer: String,
    /// The state's label.
    pub state: String,
    /// The state's code (for its badge).
    pub state_code: String,
    /// Estimated budget.
    pub budget: String,
    /// When sent (or last changed, for a draft).
    pub when: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The lines of a list of proposals.
pub fn proposal_lines(ctx: &Ctx, items: &[tiendo_db::sci_tech::ProposalSummary]) -> Vec<ProposalLine> {
    items
        .iter()
        .map(|p| ProposalLine {
            id: p.id,
            title: p.title.clone(),
            proposer: p.proposer(),
            state: views::state(&ctx.tr, &p.state),
            state_code: p.state.clone(),
            budget: views::money(ctx.lang, p.budget_total),
            when: tiendo_core::fmt::datetime(p.submitted_at.unwrap_or(p.updated_at)),
            is_sample: p.is_sample,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sci_tech/call.html")]
struct ShowPage {
    layout: Layout,
    call: Call,
    route: String,
    regime: String,
    opens: String,
    deadline: String,
    phase: String,
    phase_code: &'static str,
    fields: Vec<String>,
    forms: Vec<String>,
    may_edit: bool,
    may_publish: bool,
    may_propose: bool,
    proposals: Vec<ProposalLine>,
    proposals_summary: String,
    pager: Pager,
    state: String,
    states: Vec<Choice>,
    notice: String,
}

/// The filters of a call's proposals.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    state: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

/// `GET /calls/{id}`: the call and, for the staff, every proposal sent to it (a page of 50, by state); for
/// the proposing side, their own.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(query): Query<ShowQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let OpenedCall { call, may_edit } = use_cases::open_call(app, session, id).await?;
    let now = app.now();
    let phase = call.phase(now);
    let page = page_number(query.page.as_deref());
    let state = query.state.unwrap_or_default();
    let filter = ProposalFilter {
        call_id: Some(id),
        states: if state.is_empty() { Vec::new() } else { vec![state.clone()] },
        ..ProposalFilter::default()
    };
    let listed =
        use_cases::list_proposals(app, session, &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let proposes = session.actor.grants.iter().any(|g| g.role.proposes());
    let machine = Machine::standard();
    let route = call.route();
    let states = machine
        .states()
        .iter()
        .filter(|s| reachable(machine, route, &s.code))
        .map(|s| Choice::new(&s.code, views::state(&ctx.tr, &s.code)))
        .collect();
    let notice = match query.done.as_deref() {
        Some(key @ ("saved" | "published" | "created")) => ctx.tr.t(&format!("st-call-done-{key}")),
        _ => String::new(),
    };
    let page = ShowPage {
        layout: ctx.layout_named(call.title.clone()),
        route: views::route(&ctx.tr, &call.route),
        regime: views::regime(&ctx.tr, &call.regime),
        opens: views::instant(&ctx.tr, call.opens_at),
        deadline: views::instant(&ctx.tr, call.closes_at),
        phase: views::phase(&ctx.tr, phase),
        phase_code: phase.code(),
        fields: call.field_list(),
        forms: call.form_list(),
        may_edit,
        may_publish: may_edit && call.published_at.is_none(),
        may_propose: proposes && phase == CallPhase::Open,
        proposals_summary: ctx.tr.t_count("st-proposals-count", "count", listed.total),
        pager: pager(
            &ctx.tr,
            &format!("/calls/{id}"),
            &[("state", state.clone())],
            page,
            PER_PAGE,
            listed.total,
            listed.items.len(),
        ),
        proposals: proposal_lines(&ctx, &listed.items),
        state,
        states,
        notice,
        call,
    };
    render(&page)
}

/// Whether a state is on the path of a route (its draft, or a state some transition of the route reaches).
pub fn reachable(machine: &Machine, route: Route, state: &str) -> bool {
    state == tiendo_core::sci_tech::DRAFT
        || machine.states().iter().any(|from| machine.leaving(route, &from.code).any(|t| t.to == state))
}

#[derive(Template)]
#[template(path = "sci_tech/call_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    c: CallDraft,
    errors: FormErrors,
    regimes: Vec<Choice>,
    routes: Vec<Choice>,
    listed: Vec<Choice>,
    orgs: Vec<Choice>,
}

fn draft_of(form: &Submitted) -> CallDraft {
    CallDraft {
        title: form.get("title"),
        year: form.get("year"),
        regime: form.get("regime"),
        route: form.get("route"),
        opens_on: form.get("opens_on"),
        opens_time: form.get("opens_time"),
        closes_on: form.get("closes_on"),
        closes_time: form.get("closes_time"),
        fields: form.get("fields"),
        eligibility: form.get("eligibility"),
        forms: form.get("forms"),
        description: form.get("description"),
        listed_id: form.get("listed_id"),
        invited_org_id: form.get("invited_org_id"),
    }
}

/// The form of a stored call.
fn draft_of_call(call: &Call) -> CallDraft {
    let local = |t| tiendo_core::time::to_vietnam(t);
    let (opens, closes) = (local(call.opens_at), local(call.closes_at));
    CallDraft {
        title: call.title.clone(),
        year: call.year.to_string(),
        regime: call.regime.clone(),
        route: call.route.clone(),
        opens_on: tiendo_core::fmt::date(tiendo_core::time::vietnam_date(call.opens_at)),
        opens_time: opens.format("%H:%M").to_string(),
        closes_on: tiendo_core::fmt::date(tiendo_core::time::vietnam_date(call.closes_at)),
        closes_time: closes.format("%H:%M").to_string(),
        fields: call.fields.clone(),
        eligibility: call.eligibility.clone(),
        forms: call.forms.clone(),
        description: call.description.clone().unwrap_or_default(),
        listed_id: call.listed_id.map(|i| i.to_string()).unwrap_or_default(),
        invited_org_id: call.invited_org_id.map(|i| i.to_string()).unwrap_or_default(),
    }
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    c: CallDraft,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let (heading, action, cancel) = match id {
        Some(id) => (ctx.tr.t("st-call-edit"), format!("/calls/{id}/edit"), format!("/calls/{id}")),
        None => (ctx.tr.t("st-call-new"), "/calls/new".to_owned(), "/calls".to_owned()),
    };
    let machine = Machine::standard();
    let listed_states: Vec<&str> =
        machine.states().iter().filter(|s| s.listed && !s.terminal).map(|s| s.code.as_str()).collect();
    let listed = stored::listed_choices(db, &listed_states)
        .await?
        .into_iter()
        .map(|(id, title, mode)| {
            let mode = mode.map(|m| format!(" ({})", ctx.tr.t(&format!("st-mode-{m}")))).unwrap_or_default();
            Choice::data(id, format!("{title}{mode}"))
        })
        .collect();
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        heading,
        action,
        cancel,
        errors: FormErrors::from_fields(errors, &ctx.tr),
        regimes: Regime::ALL.iter().map(|r| Choice::new(r.code(), views::regime(&ctx.tr, r.code()))).collect(),
        routes: Route::ALL.iter().map(|r| Choice::new(r.code(), views::route(&ctx.tr, r.code()))).collect(),
        listed,
        orgs: tiendo_db::orgtree::options(db).await?.into_iter().map(|o| Choice::data(o.id, o.name)).collect(),
        c,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /calls/new`: a blank form for next year's call for proposals.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !use_cases::may_create_call(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let year = chrono::Datelike::year(&ctx.state.app().today()) + 1;
    let draft = CallDraft {
        year: year.to_string(),
        regime: Regime::Law2025.code().to_owned(),
        route: Route::Order.code().to_owned(),
        opens_time: "08:00".into(),
        closes_time: "17:00".into(),
        ..CallDraft::default()
    };
    form_page(&ctx, None, draft, &[], StatusCode::OK).await
}

/// `POST /calls/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let draft = draft_of(&Submitted::parse(&body));
    match use_cases::create_call(ctx.state.app(), ctx.auth.session(), &draft).await {
        Ok(id) => Ok(Redirect::to(&format!("/calls/{id}?done=created")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, None, draft, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /calls/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opened = use_cases::open_call(ctx.state.app(), ctx.auth.session(), id).await?;
    if !opened.may_edit {
        return Err(AppError::Forbidden);
    }
    form_page(&ctx, Some(id), draft_of_call(&opened.call), &[], StatusCode::OK).await
}

/// `POST /calls/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let draft = draft_of(&Submitted::parse(&body));
    match use_cases::update_call(ctx.state.app(), ctx.auth.session(), id, &draft).await {
        Ok(()) => Ok(Redirect::to(&format!("/calls/{id}?done=saved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, Some(id), draft, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /calls/{id}/publish`.
pub async fn publish(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    use_cases::publish_call(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to(&format!("/calls/{id}?done=published")).into_response())
}
