//! `/contracts`: the portfolio of tasks under contract (the leaders' view: by state, money and risk, each
//! drillable to its page, with the national forms' spreadsheet), and a task's page: its contract and
//! versions, the money planned, paid by instalment and spent, milestones, the periodic reports, inspections,
//! and the forms of what the reader may do (a payment, a milestone reached, an inspection; a suspension,
//! a resumption, a termination). A form refused comes back as typed with each wrong field named.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::contracts::{self as use_cases, ContractPage, row_low_disbursement};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::implementation::{
    ContractState, InspectionDraft, InspectionResult, PaymentDraft, StepDraft,
};
use tiendo_core::sci_tech::{BudgetSource, DecisionDraft};
use tiendo_db::sci_tech::contracts::PortfolioFilter;

use crate::charts;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout, render};
use tiendo_export::chart::{Chart, ChartKind, Series};

fn money(lang: Lang, n: i64) -> String {
    tiendo_core::fmt::money(n, lang)
}

fn date(d: chrono::NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// Paid as a share of what was committed, in whole percent (0 when nothing was committed).
fn percent(paid: i64, of: i64) -> i64 {
    if of <= 0 { 0 } else { paid * 100 / of }
}

/// A task in the portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioLine {
    id: i64,
    title: String,
    state: String,
    state_code: String,
    host: String,
    pi: String,
    ends_on: String,
    committed: String,
    paid: String,
    paid_percent: i64,
    late_milestones: i64,
    late_instalments: i64,
    late_reports: i64,
    next_due: String,
    low: bool,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/contracts.html")]
struct PortfolioPage {
    layout: Layout,
    rows: Vec<PortfolioLine>,
    summary: String,
    counts: Vec<(String, String, usize)>,
    committed: String,
    paid: String,
    paid_percent: i64,
    late: usize,
    late_instalments: usize,
    late_reports: usize,
    low: usize,
    chart_svg: String,
    chart_table: String,
    q: String,
    state: String,
    states: Vec<Choice>,
    late_only: bool,
    export_query: String,
    may_export: bool,
}

/// The filters of the portfolio.
#[derive(Debug, Deserialize)]
pub struct PortfolioQuery {
    q: Option<String>,
    state: Option<String>,
    late: Option<String>,
}

impl PortfolioQuery {
    fn filter(&self) -> PortfolioFilter {
        PortfolioFilter {
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            state: self.state.clone().filter(|s| ContractState::from_code(s).is_some()),
            late_only: self.late.as_deref().is_some_and(|l| !l.is_empty()),
        }
    }
}

/// `GET /contracts`: the portfolio.
pub async fn portfolio(ctx: Ctx, Query(query): Query<PortfolioQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let filter = query.filter();
    let p = use_cases::portfolio(app, session, &filter).await?;
    let lang = ctx.tr.lang();
    let today = app.today();
    let t = |k: &str| ctx.tr.t(k);
    let rows: Vec<PortfolioLine> = p
        .rows
        .iter()
        .map(|r| PortfolioLine {
            id: r.id,
            title: r.title.clone(),
            state: t(&format!("st-contract-state-{}", r.state)),
            state_code: r.state.clone(),
            host: r.host_name.clone(),
            pi: r.pi_name.clone(),
            ends_on: date(r.ends_on),
            committed: money(lang, r.state_budget),
            paid: money(lang, r.paid),
            paid_percent: percent(r.paid, r.state_budget),
            late_milestones: r.late_milestones,
            late_instalments: r.late_instalments,
            late_reports: r.late_reports,
            next_due: r.next_due.map(date).unwrap_or_default(),
            low: row_low_disbursement(r, today),
            is_sample: r.is_sample,
        })
        .collect();
    let (chart_svg, chart_table) = money_chart(&ctx, &p.rows)?;
    let mut params = Vec::new();
    if let Some(q) = &filter.q {
        params.push(format!("q={}", crate::forms::url_encode(q)));
    }
    if let Some(s) = &filter.state {
        params.push(format!("state={s}"));
    }
    if filter.late_only {
        params.push("late=1".to_owned());
    }
    let page = PortfolioPage {
        layout: ctx.layout("st-portfolio-title"),
        summary: ctx.tr.t_count("st-portfolio-count", "count", i64::try_from(rows.len()).unwrap_or(i64::MAX)),
        counts: p
            .by_state
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (s.code().to_owned(), t(&format!("st-contract-state-{}", s.code())), *n))
            .collect(),
        committed: money(lang, p.committed),
        paid: money(lang, p.paid),
        paid_percent: percent(p.paid, p.committed),
        late: p.with_late_milestones,
        late_instalments: p.with_late_instalments,
        late_reports: p.with_late_reports,
        low: p.low_disbursement,
        chart_svg,
        chart_table,
        q: filter.q.clone().unwrap_or_default(),
        state: filter.state.clone().unwrap_or_default(),
        states: ContractState::ALL
            .iter()
            .map(|s| Choice::new(s.code(), t(&format!("st-contract-state-{}", s.code()))))
            .collect(),
        late_only: filter.late_only,
        export_query: params.join("&"),
        may_export: use_cases::may_export(session),
        rows,
    };
    render(&page)
}

/// Committed against paid by state, in millions of đồng: the leaders' first question is where the money
/// stands.
fn money_chart(ctx: &Ctx, rows: &[tiendo_db::sci_tech::contracts::PortfolioRow]) -> Result<(String, String), AppError> {
    if rows.is_empty() {
        return Ok((String::new(), String::new()));
    }
    let states: Vec<ContractState> =
        ContractState::ALL.iter().copied().filter(|s| rows.iter().any(|r| r.state == s.code())).collect();
    let sum = |s: ContractState, paid: bool| {
        let total: i64 =
            rows.iter().filter(|r| r.state == s.code()).map(|r| if paid { r.paid } else { r.state_budget }).sum();
        total as f64 / 1_000_000.0
    };
    let mut chart = Chart::new(
        ChartKind::Bar,
        ctx.tr.t("st-portfolio-chart"),
        states.iter().map(|s| ctx.tr.t(&format!("st-contract-state-{}", s.code()))).collect(),
        vec![
            Series {
                name: ctx.tr.t("st-portfolio-committed"),
                values: states.iter().map(|s| sum(*s, false)).collect(),
            },
            Series { name: ctx.tr.t("st-portfolio-paid"), values: states.iter().map(|s| sum(*s, true)).collect() },
        ],
    );
    chart.unit = Some(ctx.tr.t("st-portfolio-unit"));
    charts::describe_in_place(&ctx.tr, &mut chart);
    Ok((chart.to_svg()?, chart.data_table_html()))
}

/// `GET /contracts/form1.xlsx`: the running tasks in the fields of TT 14/2014's form 1.
pub async fn form1_xlsx(ctx: Ctx, Query(query): Query<PortfolioQuery>) -> Result<Response, AppError> {
    let bytes = tiendo_app::sci_tech::contracts::national_form1(
        ctx.state.app(),
        ctx.auth.session(),
        ctx.tr.lang(),
        &query.filter(),
    )
    .await?;
    Ok(crate::sci_tech::pages::register::xlsx_response(bytes, "mau-1-nhiem-vu-dang-tien-hanh.xlsx"))
}

/// `GET /contracts/form12.xlsx`: every application of results in the fields of TT 14/2014's form 12.
pub async fn form12_xlsx(ctx: Ctx) -> Result<Response, AppError> {
    let bytes =
        tiendo_app::sci_tech::contracts::national_form12(ctx.state.app(), ctx.auth.session(), ctx.tr.lang()).await?;
    Ok(crate::sci_tech::pages::register::xlsx_response(bytes, "mau-12-ung-dung-ket-qua.xlsx"))
}

/// The contract of a task in force with its appendices, as a download: for the page's links and the
/// API alike.
pub async fn contract_file(
    ctx: &Ctx,
    id: i64,
    format: tiendo_app::document_templates::Format,
) -> Result<Response, AppError> {
    let file =
        tiendo_app::sci_tech::contract_paper::export_contract(ctx.state.app(), ctx.auth.session(), id, format).await?;
    Ok(crate::monitoring::pages::exports::download(file.bytes, file.content_type, &file.file_name))
}

/// `GET /contracts/{id}/contract.docx`: the contract in force and its appendices, in Word.
pub async fn contract_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    contract_file(&ctx, id, tiendo_app::document_templates::Format::Docx).await
}

/// `GET /contracts/{id}/contract.pdf`: the same in PDF.
pub async fn contract_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    contract_file(&ctx, id, tiendo_app::document_templates::Format::Pdf).await
}

/// A milestone as the page shows it.
#[derive(Debug, Clone)]
pub struct MilestoneLine {
    seq: i64,
    title: String,
    due: String,
    products: String,
    done: String,
    late: bool,
}

/// An instalment as the page shows it.
#[derive(Debug, Clone)]
pub struct InstalmentLine {
    n: i64,
    amount: String,
    due: String,
    condition: String,
    paid: String,
    left: String,
    late: bool,
}

/// A line of a history (a version, a step, a payment, an inspection).
#[derive(Debug, Clone)]
pub struct HistoryLine {
    title: String,
    when: String,
    who: String,
    decision: String,
    note: String,
}

/// A step the reader may take, with its form.
#[derive(Debug, Clone)]
pub struct StepForm {
    code: &'static str,
    label: String,
    terminate: bool,
    note_required: bool,
    open: bool,
    errors: FormErrors,
    decision: DecisionDraft,
    note: String,
    to_recover: String,
}

#[derive(Template)]
#[template(path = "sci_tech/contract.html")]
struct ShowPage {
    layout: Layout,
    id: i64,
    proposal_id: i64,
    title: String,
    number: String,
    state: String,
    state_code: String,
    host: String,
    pi: String,
    team: Vec<String>,
    signed_on: String,
    starts_on: String,
    ends_on: String,
    version: i64,
    is_sample: bool,
    sources: Vec<(String, String)>,
    years: Vec<(i32, String, String)>,
    total: String,
    paid: String,
    paid_percent: i64,
    left: String,
    lump_sum: String,
    to_recover: String,
    low: bool,
    late_count: usize,
    milestones: Vec<MilestoneLine>,
    instalments: Vec<InstalmentLine>,
    payments: Vec<HistoryLine>,
    reports: Vec<super::task_reports::ReportRow>,
    spent: String,
    spent_label: &'static str,
    inspections: Vec<HistoryLine>,
    versions: Vec<HistoryLine>,
    steps: Vec<HistoryLine>,
    products: Vec<String>,
    may_record: bool,
    may_decide: bool,
    running: bool,
    open: bool,
    step_forms: Vec<StepForm>,
    instalment_choices: Vec<Choice>,
    results: Vec<Choice>,
    errors: FormErrors,
    open_form: String,
    typed: Submitted,
    payment_typed: Submitted,
    inspection_typed: Submitted,
    payment_errors: FormErrors,
    inspection_errors: FormErrors,
    done: String,
    acceptance: super::acceptance::AcceptanceView,
    atyped: Submitted,
    aerrors: FormErrors,
}

/// What the page says after each of its actions (`?done=`).
const DONE: &[&str] = &[
    "signed",
    "changed",
    "paid",
    "reached",
    "inspected",
    "stepped",
    "dossier",
    "evaluated",
    "closed",
    "registered",
    "applied",
];

/// What the page was asked to show after an action.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

/// `GET /contracts/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let page = use_cases::contract_page(ctx.state.app(), ctx.auth.session(), id).await?;
    let done = q.done.filter(|d| DONE.contains(&d.as_str()));
    let done = done.map(|d| ctx.tr.t(&format!("st-contract-done-{d}"))).unwrap_or_default();
    show_page(&ctx, page, &[], "", Submitted::default(), (done, String::new()), StatusCode::OK).await
}

async fn show_page(
    ctx: &Ctx,
    page: ContractPage,
    errors: &[FieldError],
    open_form: &str,
    typed: Submitted,
    (done, conflict): (String, String),
    status: StatusCode,
) -> Result<Response, AppError> {
    let lang = ctx.tr.lang();
    let t = |k: &str| ctx.tr.t(k);
    let today = ctx.state.app().today();
    let acceptance = super::acceptance::view(ctx, &page, open_form, &typed).await?;
    let acceptance_forms = ["dossier", "evaluation", "closing", "results", "use"];
    let accepted_typed = if acceptance_forms.contains(&open_form) { typed.clone() } else { Submitted::default() };
    let c = &page.opened.contract;
    let f = &page.opened.fields;
    let state = c.state();
    let milestones = page
        .milestones
        .iter()
        .map(|m| MilestoneLine {
            seq: m.seq,
            title: m.title.clone(),
            due: date(m.due_on),
            products: m.products.clone().unwrap_or_default(),
            done: m.done_on.map(date).unwrap_or_default(),
            late: m.done_on.is_none() && m.due_on < today,
        })
        .collect();
    let instalments: Vec<InstalmentLine> = page
        .instalments
        .iter()
        .map(|i| InstalmentLine {
            n: i.seq + 1,
            amount: money(lang, i.amount),
            due: date(i.due_on),
            condition: i.condition.clone().unwrap_or_default(),
            paid: money(lang, i.paid),
            left: money(lang, i.amount - i.paid),
            late: i.paid < i.amount && i.due_on < today && state.running(),
        })
        .collect();
    let instalment_choices = page
        .instalments
        .iter()
        .filter(|i| i.paid < i.amount)
        .map(|i| {
            Choice::new(
                i.seq + 1,
                ctx.tr.t_with(
                    "st-instalment-choice",
                    &[
                        ("n", &(i.seq + 1).to_string()),
                        ("left", &money(lang, i.amount - i.paid)),
                        ("due", &date(i.due_on)),
                    ],
                ),
            )
        })
        .collect();
    let payments = page
        .payments
        .iter()
        .map(|p| HistoryLine {
            title: ctx
                .tr
                .t_with("st-payment-line", &[("n", &(p.seq + 1).to_string()), ("amount", &money(lang, p.amount))]),
            when: date(p.paid_on),
            who: String::new(),
            decision: p.voucher.clone().unwrap_or_default(),
            note: p.note.clone().unwrap_or_default(),
        })
        .collect();
    let decision = |s: &Option<String>, d: &Option<chrono::NaiveDate>, who: &Option<String>| match (s, d) {
        (Some(s), Some(d)) => format!("{s} · {} · {}", date(*d), who.clone().unwrap_or_default()),
        _ => String::new(),
    };
    let versions = page
        .versions
        .iter()
        .map(|v| HistoryLine {
            title: ctx.tr.t_with(
                "st-version-line",
                &[("n", &v.version.to_string()), ("kind", &t(&format!("st-change-{}", v.kind)))],
            ),
            when: crate::sci_tech::pages::views::instant(&ctx.tr, v.at),
            who: v.actor_name.clone(),
            decision: decision(&v.decision_symbol, &v.decision_date, &v.decision_signer),
            note: v.note.clone().unwrap_or_default(),
        })
        .collect();
    let steps = page
        .steps
        .iter()
        .map(|s| HistoryLine {
            title: match s.amount {
                Some(a) => format!(
                    "{} · {}: {}",
                    t(&format!("st-contract-action-{}", s.action)),
                    t("st-contract-to-recover"),
                    money(lang, a)
                ),
                None => t(&format!("st-contract-action-{}", s.action)),
            },
            when: crate::sci_tech::pages::views::instant(&ctx.tr, s.at),
            who: s.actor_name.clone(),
            decision: decision(&s.decision_symbol, &s.decision_date, &s.decision_signer),
            note: s.note.clone().unwrap_or_default(),
        })
        .collect();
    let inspections = page
        .inspections
        .iter()
        .map(|i| HistoryLine {
            title: t(&format!("st-inspection-{}", i.result)),
            when: date(i.held_on),
            who: String::new(),
            decision: i.minutes_symbol.clone().unwrap_or_default(),
            note: i.findings.clone(),
        })
        .collect();
    let step_forms = page
        .opened
        .steps
        .iter()
        .filter(|a| a.decided() && a.code() != "liquidate")
        .map(|a| {
            let open = open_form == format!("step-{}", a.code());
            let typed_or_blank = |name: &str| if open { typed.get(name) } else { String::new() };
            StepForm {
                code: a.code(),
                label: t(&format!("st-contract-action-{}", a.code())),
                terminate: a.code() == "terminate",
                note_required: a.code() != "resume",
                open,
                errors: if open { FormErrors::from_fields(errors, &ctx.tr) } else { FormErrors::default() },
                decision: DecisionDraft {
                    symbol: typed_or_blank("decision_symbol"),
                    date: typed_or_blank("decision_date"),
                    signer: typed_or_blank("decision_signer"),
                },
                note: typed_or_blank("note"),
                to_recover: typed_or_blank("to_recover"),
            }
        })
        .collect();
    let view = ShowPage {
        layout: ctx.layout_named(c.title.clone()),
        id: c.id,
        proposal_id: c.proposal_id,
        title: c.title.clone(),
        number: c.number.clone(),
        state: t(&format!("st-contract-state-{}", c.state)),
        state_code: c.state.clone(),
        host: c.host_name.clone(),
        pi: c.pi_name.clone(),
        team: f
            .team
            .iter()
            .map(|m| match &m.role {
                Some(r) => format!("{} ({r})", m.name),
                None => m.name.clone(),
            })
            .collect(),
        signed_on: date(c.signed_on),
        starts_on: date(c.starts_on),
        ends_on: date(c.ends_on),
        version: c.version,
        is_sample: c.is_sample,
        sources: BudgetSource::ALL
            .iter()
            .filter(|s| f.source_total(**s) > 0)
            .map(|s| (t(&format!("st-source-{}", s.code())), money(lang, f.source_total(*s))))
            .collect(),
        years: f
            .years
            .iter()
            .map(|y| (y.year, t(&format!("st-source-{}", y.source.code())), money(lang, y.amount)))
            .collect(),
        total: money(lang, f.total()),
        paid: money(lang, c.paid),
        paid_percent: percent(c.paid, c.state_budget),
        left: money(lang, c.state_budget - c.paid),
        lump_sum: if f.lump_sum > 0 { money(lang, f.lump_sum) } else { String::new() },
        to_recover: c.to_recover.map(|a| money(lang, a)).unwrap_or_default(),
        low: page.low_disbursement,
        late_count: page.late_milestones(today),
        milestones,
        instalments,
        payments,
        reports: super::task_reports::rows(ctx, c.id, &page.reports),
        // Once settled (quyết toán), the settlement is what was spent; until then the accepted reports say.
        spent: money(lang, page.acceptance.as_ref().and_then(|a| a.spent).unwrap_or(page.spent)),
        spent_label: if page.acceptance.as_ref().is_some_and(|a| a.spent.is_some()) {
            "st-contract-settled"
        } else {
            "st-contract-spent"
        },
        inspections,
        versions,
        steps,
        products: f.products.iter().map(|p| format!("{} {} {}", p.quantity_text(lang), p.unit, p.name)).collect(),
        may_record: page.opened.powers.record,
        may_decide: page.opened.powers.decide,
        running: state.running(),
        open: state.open(),
        step_forms,
        instalment_choices,
        results: InspectionResult::ALL
            .iter()
            .map(|r| Choice::new(r.code(), t(&format!("st-inspection-{}", r.code()))))
            .collect(),
        errors: {
            let mut e = FormErrors::from_fields(errors, &ctx.tr);
            if !conflict.is_empty() {
                e.add("form", conflict);
            }
            e
        },
        open_form: open_form.to_owned(),
        payment_errors: if open_form == "payment" {
            FormErrors::from_fields(errors, &ctx.tr)
        } else {
            FormErrors::default()
        },
        inspection_errors: if open_form == "inspection" {
            FormErrors::from_fields(errors, &ctx.tr)
        } else {
            FormErrors::default()
        },
        payment_typed: if open_form == "payment" { typed.clone() } else { Submitted::default() },
        inspection_typed: if open_form == "inspection" { typed.clone() } else { Submitted::default() },
        typed,
        done,
        acceptance,
        aerrors: if acceptance_forms.contains(&open_form) {
            FormErrors::from_fields(errors, &ctx.tr)
        } else {
            FormErrors::default()
        },
        atyped: accepted_typed,
    };
    Ok((status, Html(view.render().map_err(AppError::internal)?)).into_response())
}

/// Runs an action of the page: on success back to the page with what was done, on a refusal the page
/// again with the form as typed and its errors.
pub(crate) async fn act(
    ctx: Ctx,
    id: i64,
    form_name: &str,
    typed: Submitted,
    done: &str,
    result: Result<(), tiendo_app::Error>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contracts/{id}?done={done}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let page = use_cases::contract_page(ctx.state.app(), ctx.auth.session(), id).await?;
            show_page(
                &ctx,
                page,
                &errors,
                form_name,
                typed,
                (String::new(), String::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let page = use_cases::contract_page(ctx.state.app(), ctx.auth.session(), id).await?;
            show_page(&ctx, page, &[], form_name, typed, (String::new(), detail), error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /contracts/{id}/payments`.
pub async fn pay(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = PaymentDraft {
        instalment: form.get("instalment"),
        amount: form.get("amount"),
        paid_on: form.get("paid_on"),
        voucher: form.get("voucher"),
        note: form.get("note"),
    };
    let result = use_cases::record_payment(ctx.state.app(), ctx.auth.session(), id, &draft).await.map(|_| ());
    act(ctx, id, "payment", form, "paid", result).await
}

/// `POST /contracts/{id}/milestones/{seq}`.
pub async fn reach(ctx: Ctx, Path((id, seq)): Path<(i64, i64)>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let result = use_cases::reach_milestone(
        ctx.state.app(),
        ctx.auth.session(),
        id,
        seq,
        &form.get("done_on"),
        &form.get("note"),
    )
    .await;
    act(ctx, id, &format!("milestone-{seq}"), form, "reached", result).await
}

/// `POST /contracts/{id}/inspections`.
pub async fn inspect(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = InspectionDraft {
        held_on: form.get("held_on"),
        result: form.get("result"),
        minutes_symbol: form.get("minutes_symbol"),
        findings: form.get("findings"),
    };
    let result = use_cases::record_inspection(ctx.state.app(), ctx.auth.session(), id, &draft).await.map(|_| ());
    act(ctx, id, "inspection", form, "inspected", result).await
}

/// `POST /contracts/{id}/steps/{action}`.
pub async fn step(ctx: Ctx, Path((id, action)): Path<(i64, String)>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = StepDraft {
        decision: DecisionDraft {
            symbol: form.get("decision_symbol"),
            date: form.get("decision_date"),
            signer: form.get("decision_signer"),
        },
        note: form.get("note"),
        to_recover: form.get("to_recover"),
    };
    let result = use_cases::take_step(ctx.state.app(), ctx.auth.session(), id, &action, &draft).await;
    act(ctx, id, &format!("step-{action}"), form, "stepped", result).await
}
