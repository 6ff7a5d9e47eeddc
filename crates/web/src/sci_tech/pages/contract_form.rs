//! The contract form: the signed contract of an approved task (`/proposals/{id}/contract`) and a change
//! or an extension of it (`/contracts/{id}/change`), the same form with the kind of change, the decision
//! approving it and the version it was read from. Its repeated parts (the team, the budget by source and
//! by year, the instalments, the products, the milestones) are rows with spare ones below; "add a row"
//! brings more without losing anything typed; on any problem the form comes back as typed with each wrong
//! field named.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::sci_tech::contracts::{self as use_cases, ChangeRequest};
use tiendo_core::sci_tech::contract::{
    ChangeKind, ContractDraft, InstalmentDraft, MilestoneDraft, SourceDraft, YearDraft,
};
use tiendo_core::sci_tech::implementation::StepDraft;
use tiendo_core::sci_tech::{BudgetSource, DecisionDraft, ProductDraft, TeamMemberDraft};

use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout};

/// Spare rows offered below those typed, in every repeated part.
const SPARE: usize = 1;

/// One input of a row.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The element's id (the field's name in errors: `milestones[1].due_on`).
    pub id: String,
    /// The submitted name (one per column).
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// As typed.
    pub value: String,
    /// Its message.
    pub error: String,
    /// `text`, `numeric`, `date` or `select`.
    pub kind: &'static str,
    /// The options of a select.
    pub choices: Vec<Choice>,
}

/// A repeated part of the form.
#[derive(Debug, Clone)]
pub struct Group {
    /// The fieldset's id (the part's name in errors).
    pub id: &'static str,
    /// Its legend.
    pub legend: String,
    /// What to type.
    pub hint: String,
    /// A message about the part as a whole (sums that do not add up).
    pub error: String,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The name of its "add a row" button.
    pub add: String,
}

#[derive(Template)]
#[template(path = "sci_tech/contract_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    lead: String,
    action: String,
    cancel: String,
    c: ContractDraft,
    groups: Vec<Group>,
    errors: FormErrors,
    hosts: Vec<Choice>,
    change: Option<ChangePart>,
}

/// The parts of a change: its kind, the decision, the version the form was read from.
#[derive(Debug, Clone)]
pub struct ChangePart {
    kind: String,
    kinds: Vec<Choice>,
    decision: DecisionDraft,
    note: String,
    version: i64,
}

/// Reads the rows of a repeated part: the columns `names`, position by position.
fn rows_of(form: &Submitted, names: &[&str]) -> Vec<Vec<String>> {
    let columns: Vec<Vec<String>> = names.iter().map(|n| form.all(n)).collect();
    let count = columns.iter().map(Vec::len).max().unwrap_or(0);
    (0..count).map(|i| columns.iter().map(|c| c.get(i).cloned().unwrap_or_default()).collect()).collect()
}

/// Reads the contract's form.
fn draft_of(form: &Submitted) -> ContractDraft {
    let take = |names: &[&str]| rows_of(form, names);
    ContractDraft {
        number: form.get("number"),
        signed_on: form.get("signed_on"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        host_org_id: form.get("host_org_id"),
        pi_name: form.get("pi_name"),
        team: take(&["team_name", "team_role"])
            .into_iter()
            .map(|r| TeamMemberDraft { name: r[0].clone(), role: r[1].clone() })
            .collect(),
        sources: take(&["source_source", "source_amount"])
            .into_iter()
            .map(|r| SourceDraft { source: r[0].clone(), amount: r[1].clone() })
            .collect(),
        years: take(&["year_year", "year_source", "year_amount"])
            .into_iter()
            .map(|r| YearDraft { year: r[0].clone(), source: r[1].clone(), amount: r[2].clone() })
            .collect(),
        lump_sum: form.get("lump_sum"),
        instalments: take(&["instalment_amount", "instalment_due_on", "instalment_condition"])
            .into_iter()
            .map(|r| InstalmentDraft { amount: r[0].clone(), due_on: r[1].clone(), condition: r[2].clone() })
            .collect(),
        products: take(&["product_name", "product_unit", "product_quantity", "product_requirements"])
            .into_iter()
            .map(|r| ProductDraft {
                name: r[0].clone(),
                unit: r[1].clone(),
                quantity: r[2].clone(),
                requirements: r[3].clone(),
            })
            .collect(),
        milestones: take(&["milestone_title", "milestone_due_on", "milestone_products"])
            .into_iter()
            .map(|r| MilestoneDraft { title: r[0].clone(), due_on: r[1].clone(), products: r[2].clone() })
            .collect(),
        report_every_months: form.get("report_every_months"),
    }
}

/// Builds the repeated parts of the form from what was typed, with spare rows (`extra` more in the part
/// whose "add a row" was pressed) and each cell's message.
fn groups(ctx: &Ctx, c: &ContractDraft, errors: &FormErrors, extra: &str) -> Vec<Group> {
    let t = |k: &str| ctx.tr.t(k);
    let sources: Vec<Choice> =
        BudgetSource::ALL.iter().map(|s| Choice::new(s.code(), t(&format!("st-source-{}", s.code())))).collect();
    let spare = |id: &str| SPARE + usize::from(extra == id);
    let cell = |group: &str, i: usize, col: &str, name: &'static str, label: &str, value: &str, kind: &'static str| {
        let id = format!("{group}[{i}].{col}");
        Cell {
            error: errors.get(&id).to_owned(),
            id,
            name,
            label: t(label),
            value: value.to_owned(),
            kind,
            choices: if kind == "select" { sources.clone() } else { Vec::new() },
        }
    };
    // The first cell of each row is numbered as the user counts (the messages say "row 2").
    let group = |id: &'static str, legend: &str, hint: &str, mut rows: Vec<Vec<Cell>>| {
        for (i, row) in rows.iter_mut().enumerate() {
            if let Some(first) = row.first_mut() {
                first.label = format!("{} {}", first.label, i + 1);
            }
        }
        Group { id, legend: t(legend), hint: t(hint), error: errors.get(id).to_owned(), rows, add: format!("add_{id}") }
    };
    let pad = |n: usize, id: &str| n + spare(id);
    let mut out = Vec::new();
    let n = pad(c.team.len(), "team");
    out.push(group(
        "team",
        "st-team",
        "st-contract-team-hint",
        (0..n)
            .map(|i| {
                let m = c.team.get(i).cloned().unwrap_or_default();
                vec![
                    cell("team", i, "name", "team_name", "st-team-name", &m.name, "text"),
                    cell("team", i, "role", "team_role", "st-team-role", &m.role, "text"),
                ]
            })
            .collect(),
    ));
    let n = pad(c.sources.len(), "sources");
    out.push(group(
        "sources",
        "st-contract-sources",
        "st-contract-sources-hint",
        (0..n)
            .map(|i| {
                let s = c.sources.get(i).cloned().unwrap_or_default();
                vec![
                    cell("sources", i, "source", "source_source", "st-contract-source", &s.source, "select"),
                    cell("sources", i, "amount", "source_amount", "st-contract-amount", &s.amount, "numeric"),
                ]
            })
            .collect(),
    ));
    let n = pad(c.years.len(), "years");
    out.push(group(
        "years",
        "st-contract-years",
        "st-contract-years-hint",
        (0..n)
            .map(|i| {
                let y = c.years.get(i).cloned().unwrap_or_default();
                vec![
                    cell("years", i, "year", "year_year", "st-contract-year", &y.year, "numeric"),
                    cell("years", i, "source", "year_source", "st-contract-source", &y.source, "select"),
                    cell("years", i, "amount", "year_amount", "st-contract-amount", &y.amount, "numeric"),
                ]
            })
            .collect(),
    ));
    let n = pad(c.instalments.len(), "instalments");
    out.push(group(
        "instalments",
        "st-contract-instalments",
        "st-contract-instalments-hint",
        (0..n)
            .map(|i| {
                let x = c.instalments.get(i).cloned().unwrap_or_default();
                vec![
                    cell("instalments", i, "amount", "instalment_amount", "st-contract-amount", &x.amount, "numeric"),
                    cell("instalments", i, "due_on", "instalment_due_on", "st-contract-due-on", &x.due_on, "date"),
                    cell(
                        "instalments",
                        i,
                        "condition",
                        "instalment_condition",
                        "st-contract-condition",
                        &x.condition,
                        "text",
                    ),
                ]
            })
            .collect(),
    ));
    let n = pad(c.products.len(), "products");
    out.push(group(
        "products",
        "st-contract-products",
        "st-contract-products-hint",
        (0..n)
            .map(|i| {
                let p = c.products.get(i).cloned().unwrap_or_default();
                vec![
                    cell("products", i, "name", "product_name", "st-product-name", &p.name, "text"),
                    cell("products", i, "unit", "product_unit", "st-product-unit", &p.unit, "text"),
                    cell("products", i, "quantity", "product_quantity", "st-product-quantity", &p.quantity, "numeric"),
                    cell(
                        "products",
                        i,
                        "requirements",
                        "product_requirements",
                        "st-product-requirements",
                        &p.requirements,
                        "text",
                    ),
                ]
            })
            .collect(),
    ));
    let n = pad(c.milestones.len(), "milestones");
    out.push(group(
        "milestones",
        "st-contract-milestones",
        "st-contract-milestones-hint",
        (0..n)
            .map(|i| {
                let m = c.milestones.get(i).cloned().unwrap_or_default();
                vec![
                    cell("milestones", i, "title", "milestone_title", "st-contract-milestone", &m.title, "text"),
                    cell("milestones", i, "due_on", "milestone_due_on", "st-contract-due-on", &m.due_on, "date"),
                    cell(
                        "milestones",
                        i,
                        "products",
                        "milestone_products",
                        "st-contract-milestone-products",
                        &m.products,
                        "text",
                    ),
                ]
            })
            .collect(),
    ));
    out
}

/// Where the form goes.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// The signed contract of an approved dossier.
    Sign(i64),
    /// A change of a contract.
    Change(i64),
}

#[expect(clippy::too_many_arguments, reason = "the parts of one form page")]
async fn form_page(
    ctx: &Ctx,
    target: Target,
    c: ContractDraft,
    change: Option<ChangePart>,
    errors: &[FieldError],
    conflict: Option<String>,
    extra: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let (heading, lead, action, cancel) = match target {
        Target::Sign(pid) => {
            let opened = tiendo_app::sci_tech::open_proposal(app, session, pid).await?;
            (
                ctx.tr.t("st-contract-sign"),
                opened.proposal.title,
                format!("/proposals/{pid}/contract"),
                format!("/proposals/{pid}"),
            )
        }
        Target::Change(id) => {
            let opened = use_cases::open_contract(app, session, id).await?;
            (
                ctx.tr.t("st-contract-change"),
                opened.contract.title,
                format!("/contracts/{id}/change"),
                format!("/contracts/{id}"),
            )
        }
    };
    let mut form_errors = FormErrors::from_fields(errors, &ctx.tr);
    if let Some(message) = conflict {
        form_errors.add("form", message);
    }
    let hosts =
        tiendo_db::orgtree::options(ctx.state.db()).await?.into_iter().map(|o| Choice::data(o.id, o.name)).collect();
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        groups: groups(ctx, &c, &form_errors, extra),
        heading,
        lead,
        action,
        cancel,
        c,
        errors: form_errors,
        hosts,
        change,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// The draft a new contract starts from: what the approved dossier said (its products, its team, its
/// budget by source, its intended principal investigator), the dates left to type.
fn from_dossier(p: &tiendo_db::sci_tech::Proposal) -> ContractDraft {
    let money = |n: i64| tiendo_core::fmt::integer(n, tiendo_core::lang::Lang::Vi);
    ContractDraft {
        pi_name: p.pi_name.clone().unwrap_or_default(),
        host_org_id: p.proposer_org_id.map(|o| o.to_string()).unwrap_or_default(),
        team: p
            .team
            .iter()
            .map(|m| TeamMemberDraft { name: m.name.clone(), role: m.role.clone().unwrap_or_default() })
            .collect(),
        sources: p
            .budget
            .iter()
            .map(|l| SourceDraft { source: l.source.code().to_owned(), amount: money(l.amount) })
            .collect(),
        products: p
            .products
            .iter()
            .map(|x| ProductDraft {
                name: x.name.clone(),
                unit: x.unit.clone(),
                quantity: x.quantity_text(tiendo_core::lang::Lang::Vi),
                requirements: x.requirements.clone().unwrap_or_default(),
            })
            .collect(),
        ..ContractDraft::default()
    }
}

/// `GET /proposals/{id}/contract`: the blank contract of an approved task, filled from its dossier.
pub async fn sign_form(ctx: Ctx, Path(pid): Path<i64>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = tiendo_app::sci_tech::open_proposal(app, session, pid).await?;
    if !opened.powers.review {
        return Err(AppError::Forbidden);
    }
    if let Some(id) = use_cases::contract_of_proposal(app, session, pid).await? {
        return Ok(Redirect::to(&format!("/contracts/{id}")).into_response());
    }
    let draft = from_dossier(&opened.proposal);
    form_page(&ctx, Target::Sign(pid), draft, None, &[], None, "", StatusCode::OK).await
}

/// `POST /proposals/{id}/contract`.
pub async fn sign(ctx: Ctx, Path(pid): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = draft_of(&form);
    if let Some(extra) = added(&form) {
        return form_page(&ctx, Target::Sign(pid), draft, None, &[], None, &extra, StatusCode::OK).await;
    }
    match use_cases::sign_contract(ctx.state.app(), ctx.auth.session(), pid, &draft).await {
        Ok(id) => Ok(Redirect::to(&format!("/contracts/{id}?done=signed")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, Target::Sign(pid), draft, None, &errors, None, "", StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            form_page(&ctx, Target::Sign(pid), draft, None, &[], Some(detail), "", error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The part whose "add a row" was pressed, if one was.
fn added(form: &Submitted) -> Option<String> {
    ["team", "sources", "years", "instalments", "products", "milestones"]
        .iter()
        .find(|g| form.has(&format!("add_{g}")))
        .map(|g| (*g).to_owned())
}

fn change_part(ctx: &Ctx, kind: &str, decision: DecisionDraft, note: String, version: i64) -> ChangePart {
    ChangePart {
        kind: kind.to_owned(),
        kinds: ChangeKind::ALL
            .iter()
            .map(|k| Choice::new(k.code(), ctx.tr.t(&format!("st-change-{}", k.code()))))
            .collect(),
        decision,
        note,
        version,
    }
}

/// `GET /contracts/{id}/change`: the current version as a form (the leaders').
pub async fn change_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opened = use_cases::open_contract(ctx.state.app(), ctx.auth.session(), id).await?;
    if !opened.powers.decide {
        return Err(AppError::Forbidden);
    }
    let draft = opened.fields.to_draft(ctx.tr.lang());
    let part = change_part(&ctx, "", DecisionDraft::default(), String::new(), opened.contract.version);
    form_page(&ctx, Target::Change(id), draft, Some(part), &[], None, "", StatusCode::OK).await
}

/// `POST /contracts/{id}/change`.
pub async fn change(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = draft_of(&form);
    let decision = DecisionDraft {
        symbol: form.get("decision_symbol"),
        date: form.get("decision_date"),
        signer: form.get("decision_signer"),
    };
    let version = form.get("version").trim().parse().unwrap_or(0);
    let part = change_part(&ctx, &form.get("kind"), decision.clone(), form.get("note"), version);
    if let Some(extra) = added(&form) {
        return form_page(&ctx, Target::Change(id), draft, Some(part), &[], None, &extra, StatusCode::OK).await;
    }
    let request = ChangeRequest {
        kind: form.get("kind"),
        contract: draft.clone(),
        step: StepDraft { decision, note: form.get("note"), to_recover: String::new() },
        version,
    };
    match use_cases::change_contract(ctx.state.app(), ctx.auth.session(), id, &request).await {
        Ok(()) => Ok(Redirect::to(&format!("/contracts/{id}?done=changed")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, Target::Change(id), draft, Some(part), &errors, None, "", StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(err @ (tiendo_app::Error::Conflict { .. } | tiendo_app::Error::Stale)) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            form_page(&ctx, Target::Change(id), draft, Some(part), &[], Some(detail), "", error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}
