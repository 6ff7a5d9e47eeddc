//! The proposal form (`/calls/{id}/proposals/new`, `/proposals/{id}/edit`): the typed form with its rows
//! of products, the budget by source and the team, saved as a draft or sent. Spare rows are offered, "add
//! a row" brings more without losing anything typed; on any problem (a field, the deadline) the form comes
//! back as typed with each wrong field named. Beside it, the similar tasks and proposals search finds.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::{self as use_cases, ProposalSave, Similar};
use tiendo_core::sci_tech::{
    BudgetLineDraft, BudgetSource, ProductDraft, ProposalDraft, ProposerKind, TeamMemberDraft,
};
use tiendo_db::sci_tech::{self as stored, Call};

use super::views;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout, render};

/// Spare product rows offered below those typed.
const SPARE_PRODUCTS: usize = 2;
/// Spare team rows.
const SPARE_TEAM: usize = 2;
/// Similar records shown.
const SIMILAR: usize = 5;

/// A product row with the messages of its fields.
#[derive(Debug, Clone)]
pub struct ProductRow {
    i: usize,
    p: ProductDraft,
    name_error: String,
    unit_error: String,
    quantity_error: String,
}

/// A budget row (one per source) with its message.
#[derive(Debug, Clone)]
pub struct BudgetRow {
    i: usize,
    source: &'static str,
    label: String,
    amount: String,
    error: String,
}

/// A team row with its message.
#[derive(Debug, Clone)]
pub struct TeamRow {
    i: usize,
    m: TeamMemberDraft,
    error: String,
}

/// A similar record as shown.
#[derive(Debug, Clone)]
pub struct SimilarLine {
    /// The kind of record.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Where it opens.
    pub path: String,
}

/// The similar records, as the panel lists them.
pub fn similar_lines(ctx: &Ctx, found: &[Similar]) -> Vec<SimilarLine> {
    found
        .iter()
        .map(|s| SimilarLine {
            kind: ctx.tr.t(&format!("search-kind-{}", s.kind.code())),
            title: s.title.clone(),
            path: s.path.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sci_tech/proposal_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    call: Call,
    deadline: String,
    p: ProposalDraft,
    products: Vec<ProductRow>,
    budget: Vec<BudgetRow>,
    team: Vec<TeamRow>,
    errors: FormErrors,
    fields: Vec<Choice>,
    kinds: Vec<Choice>,
    similar: Vec<SimilarLine>,
    draft_key: String,
    except: String,
    people: Vec<String>,
}

/// Reads the form: single fields, then the rows of the repeated ones, position by position.
fn draft_of(form: &Submitted) -> ProposalDraft {
    let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
    let columns = ["product_name", "product_unit", "product_quantity", "product_requirements"].map(|c| form.all(c));
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let products = (0..rows)
        .map(|i| ProductDraft {
            name: at(&columns[0], i),
            unit: at(&columns[1], i),
            quantity: at(&columns[2], i),
            requirements: at(&columns[3], i),
        })
        .collect();
    let (sources, amounts) = (form.all("budget_source"), form.all("budget_amount"));
    let budget = (0..sources.len().max(amounts.len()))
        .map(|i| BudgetLineDraft {
            source: if at(&amounts, i).trim().is_empty() { String::new() } else { at(&sources, i) },
            amount: at(&amounts, i),
        })
        .collect();
    let (names, roles) = (form.all("team_name"), form.all("team_role"));
    let team = (0..names.len().max(roles.len()))
        .map(|i| TeamMemberDraft { name: at(&names, i), role: at(&roles, i) })
        .collect();
    ProposalDraft {
        title: form.get("title"),
        field: form.get("field"),
        urgency: form.get("urgency"),
        objectives: form.get("objectives"),
        content: form.get("content"),
        products,
        duration_months: form.get("duration_months"),
        budget_total: form.get("budget_total"),
        budget,
        proposer_kind: form.get("proposer_kind"),
        proposer_name: form.get("proposer_name"),
        contact_name: form.get("contact_name"),
        contact_phone: form.get("contact_phone"),
        contact_email: form.get("contact_email"),
        host_name: form.get("host_name"),
        pi_name: form.get("pi_name"),
        team,
    }
}

/// Where a form goes: a new proposal of a call, or a stored one.
#[derive(Debug, Clone, Copy)]
enum Target {
    New(i64),
    Stored(i64),
}

#[expect(clippy::too_many_arguments, reason = "the parts of one form page")]
async fn form_page(
    ctx: &Ctx,
    target: Target,
    call: Call,
    mut p: ProposalDraft,
    errors: &[FieldError],
    conflict: Option<String>,
    extra: (usize, usize),
    status: StatusCode,
) -> Result<Response, AppError> {
    let (heading, action, cancel, draft_key, except) = match target {
        Target::New(call_id) => (
            ctx.tr.t("st-proposal-new"),
            format!("/calls/{call_id}/proposals/new"),
            format!("/calls/{call_id}"),
            format!("proposal-draft:new:{call_id}"),
            String::new(),
        ),
        Target::Stored(id) => (
            ctx.tr.t("st-proposal-edit"),
            format!("/proposals/{id}/edit"),
            format!("/proposals/{id}"),
            format!("proposal-draft:{id}"),
            id.to_string(),
        ),
    };
    let mut form_errors = FormErrors::from_fields(errors, &ctx.tr);
    if let Some(message) = conflict {
        form_errors.add("call", message);
    }
    let message = |field: String| form_errors.get(&field).to_owned();
    let blank =
        p.products.iter().rev().take_while(|r| r.name.trim().is_empty() && r.quantity.trim().is_empty()).count();
    p.products.extend((blank..SPARE_PRODUCTS + extra.0).map(|_| ProductDraft::default()));
    let products = p
        .products
        .iter()
        .enumerate()
        .map(|(i, r)| ProductRow {
            i,
            p: r.clone(),
            name_error: message(format!("products[{i}].name")),
            unit_error: message(format!("products[{i}].unit")),
            quantity_error: message(format!("products[{i}].quantity")),
        })
        .collect();
    // One row per source, in the order of the sources; amounts typed for a source keep their place.
    let budget = BudgetSource::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let typed = p.budget.iter().position(|l| l.source == s.code());
            let amount = typed.map(|k| p.budget[k].amount.clone()).unwrap_or_default();
            let error = typed
                .map(|k| {
                    let m = message(format!("budget[{k}].amount"));
                    if m.is_empty() { message(format!("budget[{k}].source")) } else { m }
                })
                .unwrap_or_default();
            BudgetRow { i, source: s.code(), label: ctx.tr.t(&format!("st-source-{}", s.code())), amount, error }
        })
        .collect();
    let blank = p.team.iter().rev().take_while(|m| m.name.trim().is_empty()).count();
    p.team.extend((blank..SPARE_TEAM + extra.1).map(|_| TeamMemberDraft::default()));
    let team = p
        .team
        .iter()
        .enumerate()
        .map(|(i, m)| TeamRow { i, m: m.clone(), error: message(format!("team[{i}].name")) })
        .collect();
    let similar = if p.title.trim().is_empty() {
        Vec::new()
    } else {
        let except_id = match target {
            Target::Stored(id) => Some(id),
            Target::New(_) => None,
        };
        use_cases::similar_to(ctx.state.app(), ctx.auth.session(), &p.title, except_id, SIMILAR).await?
    };
    let people = tiendo_db::directory::list_people(
        ctx.state.db(),
        &tiendo_db::directory::PersonFilter::default(),
        tiendo_db::directory::Page::first(500),
    )
    .await?
    .items
    .into_iter()
    .map(|p| p.person.display_name())
    .collect();
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        heading,
        action,
        cancel,
        deadline: views::instant(&ctx.tr, call.closes_at),
        fields: call.field_list().into_iter().map(|f| Choice::data(&f, f.clone())).collect(),
        kinds: ProposerKind::ALL
            .iter()
            .map(|k| Choice::new(k.code(), ctx.tr.t(&format!("st-proposer-{}", k.code()))))
            .collect(),
        similar: similar_lines(ctx, &similar),
        products,
        budget,
        team,
        errors: form_errors,
        draft_key,
        except,
        people,
        call,
        p,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /calls/{id}/proposals/new`: a blank form, the proposer named after the account's organisation.
pub async fn new_form(ctx: Ctx, Path(call_id): Path<i64>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let call = use_cases::open_call(app, session, call_id).await?.call;
    let role = session.actor.grants.iter().map(|g| g.role).find(|r| r.proposes()).ok_or(AppError::Forbidden)?;
    let org = match session.user.as_ref().and_then(|u| u.organization_id) {
        Some(org) => tiendo_db::orgtree::name(ctx.state.db(), org).await?,
        None => None,
    };
    let kind = if org.is_some() { ProposerKind::suggested_for(role) } else { ProposerKind::Individual };
    let draft = ProposalDraft {
        proposer_kind: kind.code().to_owned(),
        proposer_name: org.unwrap_or_else(|| session.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default()),
        contact_name: session.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
        ..ProposalDraft::default()
    };
    form_page(&ctx, Target::New(call_id), call, draft, &[], None, (0, 0), StatusCode::OK).await
}

/// `GET /proposals/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_proposal(app, session, id).await?;
    opened.require_edit()?;
    let call = stored::call(ctx.state.db(), opened.proposal.call_id).await?.ok_or(AppError::NotFound)?;
    let draft = tiendo_app::sci_tech::draft_of(&opened.proposal);
    form_page(&ctx, Target::Stored(id), call, draft, &[], None, (0, 0), StatusCode::OK).await
}

/// `POST /calls/{id}/proposals/new`.
pub async fn create(ctx: Ctx, Path(call_id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    submit(ctx, Target::New(call_id), body).await
}

/// `POST /proposals/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    submit(ctx, Target::Stored(id), body).await
}

async fn submit(ctx: Ctx, target: Target, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = draft_of(&form);
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let call = match target {
        Target::New(call_id) => use_cases::open_call(app, session, call_id).await?.call,
        Target::Stored(id) => {
            let opened = use_cases::open_proposal(app, session, id).await?;
            stored::call(ctx.state.db(), opened.proposal.call_id).await?.ok_or(AppError::NotFound)?
        }
    };
    // "Add a row" shows the form again with one more row, saving nothing.
    if form.has("add_product") || form.has("add_member") {
        let extra = (usize::from(form.has("add_product")), usize::from(form.has("add_member")));
        return form_page(&ctx, target, call, draft, &[], None, extra, StatusCode::OK).await;
    }
    let save = if form.has("send") { ProposalSave::Send } else { ProposalSave::Keep };
    let saved = match target {
        Target::New(call_id) => use_cases::create_proposal(app, session, call_id, &draft, save).await,
        Target::Stored(id) => use_cases::save_proposal(app, session, id, &draft, save).await.map(|()| id),
    };
    let done = if save == ProposalSave::Send { "sent" } else { "saved" };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/proposals/{id}?done={done}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, target, call, draft, &errors, None, (0, 0), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            form_page(&ctx, target, call, draft, &[], Some(detail), (0, 0), error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "sci_tech/_similar.html")]
struct SimilarPanel {
    layout: Layout,
    similar: Vec<SimilarLine>,
}

/// The words of the similar panel.
#[derive(Debug, Deserialize)]
pub struct SimilarQuery {
    title: Option<String>,
    except: Option<String>,
}

/// `GET /proposals/similar?title=…`: the similar panel alone, which the form's script asks for as the name
/// is typed.
pub async fn similar(ctx: Ctx, Query(q): Query<SimilarQuery>) -> Result<Response, AppError> {
    let title = q.title.unwrap_or_default();
    let except = q.except.and_then(|e| e.parse().ok());
    let found = use_cases::similar_to(ctx.state.app(), ctx.auth.session(), &title, except, SIMILAR).await?;
    render(&SimilarPanel { layout: ctx.layout("st-similar-heading"), similar: similar_lines(&ctx, &found) })
}
