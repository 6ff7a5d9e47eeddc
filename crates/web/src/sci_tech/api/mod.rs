//! `/api/v1/calls` and `/api/v1/proposals` (issue 16): calls, proposals and dossiers with their files and
//! timeline, what the caller may do with each, and the steps of the machine. The handlers call the same use
//! cases as the pages (`tiendo_app::sci_tech`), so the same rules and the same field names in errors.

pub mod contracts;
pub mod council_settings;
pub mod councils;
mod schema;
pub mod task_reports;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tiendo_app::sci_tech::{self as use_cases, OpenedProposal, ProposalSave, TransitionRequest};
use tiendo_core::sci_tech::CallPhase;
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::{self as stored, ProposalFilter};

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::visits::api::created;

pub use schema::{
    BudgetBody, CallIn, CallItem, CallListQuery, CallOut, CallPermissions, DecisionDocumentBody, EventOut, ProductBody,
    ProposalFileOut, ProposalIn, ProposalItem, ProposalListQuery, ProposalOut, ProposalPermissions,
    ProposalTransitionIn, SimilarOut, TeamBody,
};

async fn call_out(ctx: &Ctx, id: i64) -> Result<CallOut, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_call(app, session, id).await?;
    let now = app.now();
    let proposes = session.actor.grants.iter().any(|g| g.role.proposes());
    let permissions = CallPermissions {
        edit: opened.may_edit,
        publish: opened.may_edit && opened.call.published_at.is_none(),
        propose: proposes && opened.call.phase(now) == CallPhase::Open,
    };
    Ok(CallOut::of(opened.call, now, permissions))
}

/// The full API form of a proposal the caller may see.
async fn proposal_out(ctx: &Ctx, opened: OpenedProposal) -> Result<ProposalOut, AppError> {
    let db = ctx.state.db();
    let files = stored::files(db, opened.proposal.id).await?;
    let events = stored::events(db, opened.proposal.id).await?;
    let permissions = ProposalPermissions {
        edit: opened.powers.edit,
        delete: opened.powers.delete,
        transitions: opened.transitions.iter().map(|t| t.action.clone()).collect(),
    };
    Ok(ProposalOut::of(opened.proposal, &files, &events, permissions))
}

async fn proposal_by_id(ctx: &Ctx, id: i64) -> Result<ProposalOut, AppError> {
    let opened = use_cases::open_proposal(ctx.state.app(), ctx.auth.session(), id).await?;
    proposal_out(ctx, opened).await
}

/// The calls the caller may see (published ones for the public; the staff's drafts too), the latest
/// deadline first.
#[utoipa::path(get, path = "/calls", tag = "sci_tech", operation_id = "list_calls",
    params(CallListQuery),
    responses(
        (status = 200, description = "Calls, the latest deadline first", body = ListPage<CallItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_calls(ctx: Ctx, ApiQuery(q): ApiQuery<CallListQuery>) -> Result<Json<ListPage<CallItem>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let app = ctx.state.app();
    let page = use_cases::list_calls(
        app,
        ctx.auth.session(),
        q.q.as_deref(),
        q.year,
        Page { offset: paging.offset, limit: paging.limit },
    )
    .await?;
    let now = app.now();
    let items: Vec<CallItem> = page.items.iter().map(|c| CallItem::of(c, now)).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// One call with what it asks and what the caller may do with it.
#[utoipa::path(get, path = "/calls/{id}", tag = "sci_tech", operation_id = "get_call",
    params(("id" = i64, Path, description = "The call's id")),
    responses(
        (status = 200, description = "The call", body = CallOut),
        (status = 404, description = "No such call, or an unpublished one the caller may not see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_call(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<CallOut>, AppError> {
    Ok(Json(call_out(&ctx, id).await?))
}

/// Opens a call (unpublished until `POST /calls/{id}/publish`).
#[utoipa::path(post, path = "/calls", tag = "sci_tech", operation_id = "create_call",
    request_body = CallIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CallOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`route_not_in_regime`, `deadline_before_opening`, `listed_task_unknown`, `listed_mode_mismatch`, ...)",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_call(ctx: Ctx, ApiJson(input): ApiJson<CallIn>) -> Result<Response, AppError> {
    let id = use_cases::create_call(ctx.state.app(), ctx.auth.session(), &input.draft()).await?;
    Ok(created(format!("/api/v1/calls/{id}"), call_out(&ctx, id).await?))
}

/// Changes a call (its route is fixed once published or answered).
#[utoipa::path(put, path = "/calls/{id}", tag = "sci_tech", operation_id = "update_call",
    params(("id" = i64, Path, description = "The call's id")),
    request_body = CallIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The call as stored", body = CallOut),
        (status = 403, description = "May see the call but not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`route_locked`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_call(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CallIn>,
) -> Result<Json<CallOut>, AppError> {
    use_cases::update_call(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(call_out(&ctx, id).await?))
}

/// Publishes a call on the portal (a call for selection or a direct assignment announces its listed task).
#[utoipa::path(post, path = "/calls/{id}/publish", tag = "sci_tech", operation_id = "publish_call",
    params(("id" = i64, Path, description = "The call's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The call, published", body = CallOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`call_published`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn publish_call(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<CallOut>, AppError> {
    use_cases::publish_call(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(call_out(&ctx, id).await?))
}

/// The proposals or dossiers sent to a call that the caller may read (the staff: all that were sent; the
/// proposing side: its own), the latest first.
#[utoipa::path(get, path = "/calls/{id}/proposals", tag = "sci_tech", operation_id = "list_call_proposals",
    params(("id" = i64, Path, description = "The call's id"), ProposalListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Proposals, the latest first", body = ListPage<ProposalItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_call_proposals(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ProposalListQuery>,
) -> Result<Json<ListPage<ProposalItem>>, AppError> {
    use_cases::open_call(ctx.state.app(), ctx.auth.session(), id).await?;
    proposals_page(&ctx, Some(id), q).await
}

async fn proposals_page(
    ctx: &Ctx,
    call_id: Option<i64>,
    q: ProposalListQuery,
) -> Result<Json<ListPage<ProposalItem>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = ProposalFilter {
        call_id,
        states: q.state.into_iter().collect(),
        q: q.q,
        own: q.own.unwrap_or(false),
        ..ProposalFilter::default()
    };
    let page = use_cases::list_proposals(
        ctx.state.app(),
        ctx.auth.session(),
        &filter,
        Page { offset: paging.offset, limit: paging.limit },
    )
    .await?;
    let items: Vec<ProposalItem> = page.items.iter().map(ProposalItem::from).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// Writes a proposal (or a dossier) answering a call: a draft, or sent at once with `send`.
#[utoipa::path(post, path = "/calls/{id}/proposals", tag = "sci_tech", operation_id = "create_proposal",
    params(("id" = i64, Path, description = "The call's id")),
    request_body = ProposalIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ProposalOut),
        (status = 403, description = "Does not propose for an organisation or as an individual (`not_invited` for someone else's direct assignment)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`call_closed` (from the deadline's minute on), `call_not_open`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`budget_sources_mismatch` on `budget_total`, `products[i].quantity`, `field_not_in_call`, ...)",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_proposal(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProposalIn>,
) -> Result<Response, AppError> {
    let save = if input.send { ProposalSave::Send } else { ProposalSave::Keep };
    let new = use_cases::create_proposal(ctx.state.app(), ctx.auth.session(), id, &input.draft(), save).await?;
    Ok(created(format!("/api/v1/proposals/{new}"), proposal_by_id(&ctx, new).await?))
}

/// The proposals and dossiers the caller may read, the latest first.
#[utoipa::path(get, path = "/proposals", tag = "sci_tech", operation_id = "list_proposals",
    params(ProposalListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Proposals, the latest first", body = ListPage<ProposalItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_proposals(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ProposalListQuery>,
) -> Result<Json<ListPage<ProposalItem>>, AppError> {
    proposals_page(&ctx, None, q).await
}

/// One proposal with its form, files, timeline and what the caller may do with it.
#[utoipa::path(get, path = "/proposals/{id}", tag = "sci_tech", operation_id = "get_proposal",
    params(("id" = i64, Path, description = "The proposal's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The proposal", body = ProposalOut),
        (status = 404, description = "No such proposal, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_proposal(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ProposalOut>, AppError> {
    Ok(Json(proposal_by_id(&ctx, id).await?))
}

/// Replaces the form of a proposal the caller may change (a draft before the deadline, or revisions
/// asked), and with `send` sends it.
#[utoipa::path(put, path = "/proposals/{id}", tag = "sci_tech", operation_id = "update_proposal",
    params(("id" = i64, Path, description = "The proposal's id")),
    request_body = ProposalIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The proposal as stored", body = ProposalOut),
        (status = 403, description = "May see it but not change it now", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`call_closed` for a draft after the deadline", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_proposal(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProposalIn>,
) -> Result<Json<ProposalOut>, AppError> {
    let save = if input.send { ProposalSave::Send } else { ProposalSave::Keep };
    use_cases::save_proposal(ctx.state.app(), ctx.auth.session(), id, &input.draft(), save).await?;
    Ok(Json(proposal_by_id(&ctx, id).await?))
}

/// Deletes a draft.
#[utoipa::path(delete, path = "/proposals/{id}", tag = "sci_tech", operation_id = "delete_proposal",
    params(("id" = i64, Path, description = "The proposal's id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not the caller's own draft", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_proposal(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    use_cases::delete_proposal(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Takes a step of the machine: one of `permissions.transitions`, with what it records (a decision
/// document, a note, screening reasons, the mode of implementation).
#[utoipa::path(post, path = "/proposals/{id}/transitions", tag = "sci_tech", operation_id = "transition_proposal",
    params(("id" = i64, Path, description = "The proposal's id")),
    request_body = ProposalTransitionIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The proposal after the step", body = ProposalOut),
        (status = 403, description = "Another side takes this step", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` from the current state, `transition_stale`, `call_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`decision.symbol`, `decision.date`, `reasons`, `mode`, `note`, the form when sending)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transition_proposal(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProposalTransitionIn>,
) -> Result<Json<ProposalOut>, AppError> {
    let request = TransitionRequest { draft: input.draft(), file: None };
    use_cases::transition(ctx.state.app(), ctx.auth.session(), id, request).await?;
    Ok(Json(proposal_by_id(&ctx, id).await?))
}

/// The tasks and proposals most like this one that the caller may open (found by search).
#[utoipa::path(get, path = "/proposals/{id}/similar", tag = "sci_tech", operation_id = "get_similar_proposals",
    params(("id" = i64, Path, description = "The proposal's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Similar tasks and proposals, the closest first", body = Vec<SimilarOut>),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_similar_proposals(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Vec<SimilarOut>>, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_proposal(app, session, id).await?;
    let found = use_cases::similar_to(app, session, &opened.proposal.title, Some(id), 10).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| SimilarOut { kind: s.kind.code().to_owned(), id: s.id, title: s.title, path: s.path })
            .collect(),
    ))
}
