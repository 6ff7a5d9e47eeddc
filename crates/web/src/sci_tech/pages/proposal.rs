//! `/proposals/{id}`: a proposal or a dossier with its form, files, the similar tasks, what the reader must
//! do next, the buttons of the machine each with what its step records (a decision document, a note,
//! reasons, the mode, the signed file), and the timeline. Also the list of proposals, deleting a draft,
//! taking a transition, attaching and detaching files.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::{self as use_cases, OpenedProposal, TransitionRequest, Upload};
use tiendo_core::sci_tech::{AssignmentMode, DecisionDraft, DocumentRule, Machine, Side, TransitionDraft};
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::{self as stored, Event, Proposal, ProposalFile, ProposalFilter};

use super::calls::{ProposalLine, proposal_lines};
use super::proposal_form::{SimilarLine, similar_lines};
use super::views;
use crate::error::{AppError, FieldError};
use crate::extract::{Multipart, Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, page_number, pager};
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::uploads;

/// Proposals per page.
const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "sci_tech/proposals.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ProposalLine>,
    summary: String,
    pager: Pager,
    q: String,
    state: String,
    states: Vec<Choice>,
    own: bool,
}

/// The filters of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    own: Option<String>,
    page: Option<String>,
}

/// `GET /proposals`: the proposals the reader may open, latest first (the proposing side's own).
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let state = query.state.unwrap_or_default();
    let own = query.own.is_some_and(|o| !o.is_empty());
    let filter = ProposalFilter {
        q: Some(q.clone()).filter(|q| !q.is_empty()),
        states: if state.is_empty() { Vec::new() } else { vec![state.clone()] },
        own,
        ..ProposalFilter::default()
    };
    let listed =
        use_cases::list_proposals(app, session, &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let params = [("q", q.clone()), ("state", state.clone()), ("own", if own { "1".into() } else { String::new() })];
    let page = ListPage {
        layout: ctx.layout("st-proposals-title"),
        summary: ctx.tr.t_count("st-proposals-count", "count", listed.total),
        pager: pager(&ctx.tr, "/proposals", &params, page, PER_PAGE, listed.total, listed.items.len()),
        rows: proposal_lines(&ctx, &listed.items),
        states: Machine::standard()
            .states()
            .iter()
            .map(|s| Choice::new(&s.code, views::state(&ctx.tr, &s.code)))
            .collect(),
        q,
        state,
        own,
    };
    render(&page)
}

/// A line of the timeline.
#[derive(Debug, Clone)]
pub struct EventView {
    when: String,
    who: String,
    action: String,
    to: String,
    note: String,
    reasons: Vec<String>,
    decision: String,
    files: Vec<FileView>,
}

/// A file as listed.
#[derive(Debug, Clone)]
pub struct FileView {
    id: i64,
    href: String,
    name: String,
    size: String,
    removable: bool,
}

/// A reason or a mode to tick, ticked again when the form comes back.
#[derive(Debug, Clone)]
pub struct Tick {
    value: String,
    label: String,
    checked: bool,
}

/// A button of the machine with the fields its step records.
#[derive(Debug, Clone)]
pub struct ActionView {
    code: String,
    label: String,
    hint: String,
    /// `none`, `optional` or `required`.
    document: &'static str,
    note: bool,
    note_required: bool,
    reasons: Vec<Tick>,
    mode: Vec<Tick>,
    primary: bool,
}

/// A product as shown.
#[derive(Debug, Clone)]
pub struct ProductView {
    name: String,
    unit: String,
    quantity: String,
    requirements: String,
}

#[derive(Template)]
#[template(path = "sci_tech/proposal.html")]
struct ShowPage {
    layout: Layout,
    p: Proposal,
    state: String,
    state_code: String,
    route: String,
    proposer_kind: String,
    mode: String,
    budget_total: String,
    budget: Vec<(String, String)>,
    products: Vec<ProductView>,
    events: Vec<EventView>,
    files: Vec<FileView>,
    actions: Vec<ActionView>,
    next: String,
    notice: String,
    errors: FormErrors,
    open_action: String,
    typed: TransitionDraft,
    may_edit: bool,
    may_delete: bool,
    may_attach: bool,
    similar: Vec<SimilarLine>,
    /// Where the task's contract opens, or where the staff sign it once approved (empty otherwise).
    contract: String,
    /// Whether `contract` is still to be signed.
    contract_to_sign: bool,
    clear_draft: String,
    sent: String,
}

/// The notice after a save, and the transition form to reopen with its errors.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

fn file_view(ctx: &Ctx, f: &ProposalFile, removable: bool) -> FileView {
    FileView {
        id: f.id,
        href: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
        name: f.title.clone().unwrap_or_else(|| f.original_name.clone()),
        size: ctx.tr.t_with("st-file-size", &[("kb", &tiendo_core::fmt::integer((f.size + 1023) / 1024, ctx.lang))]),
        removable,
    }
}

fn event_view(ctx: &Ctx, e: &Event, files: &[ProposalFile]) -> EventView {
    let decision = match (&e.decision_symbol, e.decision_date) {
        (Some(symbol), Some(date)) => ctx.tr.t_with(
            "st-event-decision",
            &[
                ("symbol", symbol.as_str()),
                ("date", &tiendo_core::fmt::date(date)),
                ("signer", e.decision_signer.as_deref().unwrap_or_default()),
            ],
        ),
        _ => String::new(),
    };
    EventView {
        when: tiendo_core::fmt::datetime(e.at),
        who: e.actor_name.clone(),
        action: views::action(&ctx.tr, &e.action),
        to: views::state(&ctx.tr, &e.to_state),
        note: e.note.clone().unwrap_or_default(),
        reasons: e.reasons.iter().map(|r| ctx.tr.t(&format!("st-reason-{r}"))).collect(),
        decision,
        files: files.iter().filter(|f| f.event_id == Some(e.id)).map(|f| file_view(ctx, f, false)).collect(),
    }
}

fn action_views(ctx: &Ctx, opened: &OpenedProposal, typed: &TransitionDraft) -> Vec<ActionView> {
    let machine = Machine::standard();
    opened
        .transitions
        .iter()
        .map(|t| {
            let here = typed.action == t.action;
            ActionView {
                code: t.action.clone(),
                label: views::action(&ctx.tr, &t.action),
                hint: ctx.tr.t(&format!("st-action-hint-{}", t.action)),
                document: match t.document {
                    DocumentRule::None => "none",
                    DocumentRule::Optional => "optional",
                    DocumentRule::Required => "required",
                },
                note: t.by != Side::Owner,
                note_required: t.note,
                reasons: if t.reasons {
                    machine
                        .reasons()
                        .iter()
                        .map(|r| Tick {
                            value: r.clone(),
                            label: ctx.tr.t(&format!("st-reason-{r}")),
                            checked: here && typed.reasons.contains(r),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                mode: if t.mode {
                    AssignmentMode::ALL
                        .iter()
                        .map(|m| Tick {
                            value: m.code().to_owned(),
                            label: ctx.tr.t(&format!("st-mode-{}", m.code())),
                            checked: here && typed.mode == m.code(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                primary: !matches!(
                    t.action.as_str(),
                    "cancel" | "screen_invalid" | "open_invalid" | "not_recommend" | "not_select"
                ),
            }
        })
        .collect()
}

#[expect(clippy::too_many_arguments, reason = "the parts of one page")]
async fn show_page(
    ctx: &Ctx,
    opened: OpenedProposal,
    notice: String,
    errors: &[FieldError],
    conflict: Option<String>,
    open_action: String,
    typed: TransitionDraft,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let p = &opened.proposal;
    let files = stored::files(db, p.id).await?;
    let events = stored::events(db, p.id).await?;
    let may_attach = opened.powers.edit || opened.powers.review;
    let similar = use_cases::similar_to(ctx.state.app(), ctx.auth.session(), &p.title, Some(p.id), 5).await?;
    let mut form_errors = FormErrors::from_fields(errors, &ctx.tr);
    if let Some(message) = conflict {
        form_errors.add("action", message);
    }
    let who = if opened.powers.edit {
        "owner"
    } else if opened.powers.review {
        "staff"
    } else {
        "reader"
    };
    let next_key = format!("st-next-{who}-{}", p.state);
    let next = if ctx.tr.has(&next_key) { ctx.tr.t(&next_key) } else { String::new() };
    let signed =
        tiendo_app::sci_tech::contracts::contract_of_proposal(ctx.state.app(), ctx.auth.session(), opened.proposal.id)
            .await?;
    let contract_to_sign = signed.is_none() && opened.proposal.state == "approved" && opened.powers.review;
    let contract = match signed {
        Some(id) => Some(format!("/contracts/{id}")),
        None if contract_to_sign => Some(format!("/proposals/{}/contract", opened.proposal.id)),
        None => None,
    };
    let page = ShowPage {
        layout: ctx.layout_named(p.title.clone()),
        state: views::state(&ctx.tr, &p.state),
        state_code: p.state.clone(),
        route: views::route(&ctx.tr, p.route.code()),
        proposer_kind: ctx.tr.t(&format!("st-proposer-{}", p.proposer_kind.code())),
        mode: p.mode.as_deref().map(|m| ctx.tr.t(&format!("st-mode-{m}"))).unwrap_or_default(),
        budget_total: views::money(ctx.lang, p.budget_total),
        budget: p
            .budget
            .iter()
            .map(|l| (ctx.tr.t(&format!("st-source-{}", l.source.code())), views::money(ctx.lang, Some(l.amount))))
            .collect(),
        products: p
            .products
            .iter()
            .map(|x| ProductView {
                name: x.name.clone(),
                unit: x.unit.clone(),
                quantity: x.quantity_text(ctx.lang),
                requirements: x.requirements.clone().unwrap_or_default(),
            })
            .collect(),
        events: events.iter().rev().map(|e| event_view(ctx, e, &files)).collect(),
        files: files.iter().filter(|f| f.event_id.is_none()).map(|f| file_view(ctx, f, may_attach)).collect(),
        actions: action_views(ctx, &opened, &typed),
        sent: p.submitted_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        next,
        notice,
        errors: form_errors,
        open_action,
        typed,
        may_edit: opened.powers.edit,
        may_delete: opened.powers.delete,
        may_attach,
        similar: similar_lines(ctx, &similar),
        contract: contract.clone().unwrap_or_default(),
        contract_to_sign,
        clear_draft: format!("proposal-draft:{}", p.id),
        p: opened.proposal.clone(),
    };
    Ok((status, axum::response::Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /proposals/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let opened = use_cases::open_proposal(ctx.state.app(), ctx.auth.session(), id).await?;
    let notice = match q.done.as_deref() {
        Some(key @ ("saved" | "sent" | "moved" | "file" | "removed")) => ctx.tr.t(&format!("st-proposal-done-{key}")),
        _ => String::new(),
    };
    show_page(&ctx, opened, notice, &[], None, String::new(), TransitionDraft::default(), StatusCode::OK).await
}

/// `POST /proposals/{id}/delete`: deletes a draft.
pub async fn delete(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opened = use_cases::open_proposal(ctx.state.app(), ctx.auth.session(), id).await?;
    use_cases::delete_proposal(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to(&format!("/calls/{}?done=deleted", opened.proposal.call_id)).into_response())
}

/// `POST /proposals/{id}/transition` (multipart, with the signed decision as an optional file): takes a
/// step of the machine. On a refusal the page comes back with the step's form open, as typed.
pub async fn transition(ctx: Ctx, Path(id): Path<i64>, multipart: Multipart) -> Result<Response, AppError> {
    let (fields, files, problems) = uploads::read_form(multipart, &["file"]).await?;
    let all = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let one = |name: &str| uploads::field(&fields, name).to_owned();
    let draft = TransitionDraft {
        action: one("action"),
        note: one("note"),
        reasons: all("reasons"),
        mode: one("mode"),
        decision: DecisionDraft {
            symbol: one("decision_symbol"),
            date: one("decision_date"),
            signer: one("decision_signer"),
        },
    };
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let received: Vec<FieldError> = problems
        .iter()
        .map(|p| {
            FieldError::new("file", p.code())
                .arg("name", p.name())
                .arg("max", format!("{} MB", uploads::MAX_FILE_BYTES / (1024 * 1024)))
        })
        .collect();
    let request = TransitionRequest {
        draft: draft.clone(),
        file: files.into_iter().next().map(|u| Upload { name: u.name, bytes: u.bytes }),
    };
    let outcome = if received.is_empty() {
        use_cases::transition(app, session, id, request).await
    } else {
        Err(tiendo_app::Error::Invalid(received))
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/proposals/{id}?done=moved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_proposal(app, session, id).await?;
            let action = draft.action.clone();
            show_page(&ctx, opened, String::new(), &errors, None, action, draft, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = use_cases::open_proposal(app, session, id).await?;
            let action = draft.action.clone();
            show_page(&ctx, opened, String::new(), &[], Some(detail), action, draft, error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /proposals/{id}/files` (multipart): attaches a file with a title.
pub async fn upload(ctx: Ctx, Path(id): Path<i64>, multipart: Multipart) -> Result<Response, AppError> {
    let (fields, files, problems) = uploads::read_form(multipart, &["file"]).await?;
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let outcome = if let Some(p) = problems.first() {
        Err(tiendo_app::Error::Invalid(vec![
            FieldError::new("file", p.code())
                .arg("name", p.name())
                .arg("max", format!("{} MB", uploads::MAX_FILE_BYTES / (1024 * 1024))),
        ]))
    } else {
        let file = files.into_iter().next().map(|u| Upload { name: u.name, bytes: u.bytes });
        use_cases::add_file(app, session, id, uploads::field(&fields, "title"), file).await
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{id}?done=file#files")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_proposal(app, session, id).await?;
            show_page(
                &ctx,
                opened,
                String::new(),
                &errors,
                None,
                String::new(),
                TransitionDraft::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /proposals/{id}/files/{file}/delete`.
pub async fn remove_file(ctx: Ctx, Path((id, file)): Path<(i64, i64)>) -> Result<Response, AppError> {
    use_cases::remove_file(ctx.state.app(), ctx.auth.session(), id, file).await?;
    Ok(Redirect::to(&format!("/proposals/{id}?done=removed#files")).into_response())
}
