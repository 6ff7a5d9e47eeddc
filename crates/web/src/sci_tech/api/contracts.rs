//! `/api/v1/contracts` (issue 17 item 8): tasks under contract, their money, milestones, inspections,
//! versions and decisions, and the portfolio. The handlers call the use cases of
//! `tiendo_app::sci_tech::contracts`, the same as the pages, so the same rules and the same field names in
//! errors. Money is in whole đồng (integers), dates are ISO dates.

use axum::Json;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::sci_tech::contracts::{self as use_cases, ChangeRequest, ContractPage, row_low_disbursement};
use tiendo_core::sci_tech::contract::ChangeKind;
use tiendo_core::sci_tech::contract::{ContractDraft, InstalmentDraft, MilestoneDraft, SourceDraft, YearDraft};
use tiendo_core::sci_tech::implementation::{
    ContractState, InspectionDraft, InspectionResult, PaymentDraft, StepDraft,
};
use tiendo_core::sci_tech::{BudgetSource, DecisionDraft, ProductDraft, TeamMemberDraft};
use tiendo_db::sci_tech::contracts::PortfolioFilter;
use utoipa::openapi::schema::Object;
use utoipa::{IntoParams, ToSchema};

use super::{BudgetBody, DecisionDocumentBody, ProductBody, TeamBody};
use crate::api::codes::one_of;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::visits::api::created;

fn states() -> Object {
    one_of("`under_way`, `suspended` or `terminated`.", ContractState::ALL.iter().map(|s| s.code()))
}

fn change_kinds() -> Object {
    one_of("`content`, `budget`, `members` or `extension`.", ChangeKind::ALL.iter().map(|k| k.code()))
}

fn step_actions() -> Object {
    one_of("`suspend`, `resume` or `terminate`.", ["suspend", "resume", "terminate"])
}

fn results() -> Object {
    one_of("`on_track`, `late` or `breach`.", InspectionResult::ALL.iter().map(|r| r.code()))
}

/// A year's budget from one source.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContractYearBody {
    /// The year.
    pub year: i32,
    /// `state_budget`, `counterpart` or `other`.
    #[schema(schema_with = sources)]
    pub source: String,
    /// In đồng.
    pub amount: i64,
}

/// An instalment of the state budget.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstalmentBody {
    /// In đồng.
    pub amount: i64,
    /// When it is planned.
    pub due_on: Option<NaiveDate>,
    /// What must be done first.
    pub condition: Option<String>,
}

/// A milestone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MilestoneBody {
    /// What is to be done.
    pub title: String,
    /// When.
    pub due_on: Option<NaiveDate>,
    /// The products it delivers.
    pub products: Option<String>,
}

/// A contract as signed or as changed. The years of each source add up to its total, the instalments
/// to the state budget; milestones fall within the contract.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContractIn {
    /// Number and symbol (`15/2021/HĐ-KHCN`).
    pub number: String,
    /// Signed on.
    pub signed_on: Option<NaiveDate>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// The host organisation.
    pub host_org_id: Option<i64>,
    /// The principal investigator.
    pub pi_name: String,
    /// The team.
    #[serde(default)]
    pub team: Vec<TeamBody>,
    /// The total of each source.
    #[serde(default)]
    pub sources: Vec<BudgetBody>,
    /// The budget by year and source.
    #[serde(default)]
    pub years: Vec<ContractYearBody>,
    /// The lump-sum part of the state budget.
    pub lump_sum: Option<i64>,
    /// The instalments of the state budget.
    #[serde(default)]
    pub instalments: Vec<InstalmentBody>,
    /// The ordered products.
    #[serde(default)]
    pub products: Vec<ProductBody>,
    /// The milestones.
    #[serde(default)]
    pub milestones: Vec<MilestoneBody>,
    /// Months between progress reports (6 when absent).
    pub report_every_months: Option<u32>,
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl ContractIn {
    /// The draft the use cases check.
    pub fn draft(&self) -> ContractDraft {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ContractDraft {
            number: self.number.clone(),
            signed_on: iso(self.signed_on),
            starts_on: iso(self.starts_on),
            ends_on: iso(self.ends_on),
            host_org_id: self.host_org_id.map(|h| h.to_string()).unwrap_or_default(),
            pi_name: self.pi_name.clone(),
            team: self.team.iter().map(|m| TeamMemberDraft { name: m.name.clone(), role: text(&m.role) }).collect(),
            sources: self
                .sources
                .iter()
                .map(|s| SourceDraft { source: s.source.clone(), amount: s.amount.to_string() })
                .collect(),
            years: self
                .years
                .iter()
                .map(|y| YearDraft { year: y.year.to_string(), source: y.source.clone(), amount: y.amount.to_string() })
                .collect(),
            lump_sum: self.lump_sum.map(|l| l.to_string()).unwrap_or_default(),
            instalments: self
                .instalments
                .iter()
                .map(|i| InstalmentDraft {
                    amount: i.amount.to_string(),
                    due_on: iso(i.due_on),
                    condition: text(&i.condition),
                })
                .collect(),
            products: self
                .products
                .iter()
                .map(|p| ProductDraft {
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    quantity: p
                        .quantity
                        .map(|q| tiendo_core::fmt::decimal(q, 6, tiendo_core::lang::Lang::Vi).replace('.', ""))
                        .unwrap_or_default(),
                    requirements: text(&p.requirements),
                })
                .collect(),
            milestones: self
                .milestones
                .iter()
                .map(|m| MilestoneDraft { title: m.title.clone(), due_on: iso(m.due_on), products: text(&m.products) })
                .collect(),
            report_every_months: self.report_every_months.map(|m| m.to_string()).unwrap_or_default(),
        }
    }
}

fn decision_draft(d: &Option<DecisionDocumentBody>) -> DecisionDraft {
    d.as_ref()
        .map(|d| DecisionDraft { symbol: d.symbol.clone(), date: iso(d.date), signer: d.signer.clone() })
        .unwrap_or_default()
}

/// A change (điều chỉnh) or an extension (gia hạn) of a contract: the contract as it reads after it, the
/// decision approving it, and the version it was read from.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangeIn {
    /// The kind of change.
    #[schema(schema_with = change_kinds)]
    pub kind: String,
    /// The version the change was made from (`version` of the contract read): a stale one is refused.
    pub version: i64,
    /// The decision approving it.
    pub decision: Option<DecisionDocumentBody>,
    /// A note.
    pub note: Option<String>,
    /// The contract as changed.
    pub contract: ContractIn,
}

/// A payment on an instalment.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PaymentIn {
    /// The instalment's number (1-based).
    pub instalment: u32,
    /// In đồng.
    pub amount: i64,
    /// When paid.
    pub paid_on: Option<NaiveDate>,
    /// The voucher.
    pub voucher: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// A milestone reached.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReachIn {
    /// When.
    pub done_on: Option<NaiveDate>,
    /// A note.
    pub note: Option<String>,
}

/// An inspection.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InspectionIn {
    /// When held.
    pub held_on: Option<NaiveDate>,
    /// The result.
    #[schema(schema_with = results)]
    pub result: String,
    /// The minutes' number and symbol.
    pub minutes_symbol: Option<String>,
    /// Findings and requests.
    pub findings: String,
}

/// A decision that suspends, resumes or terminates a contract.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContractStepIn {
    /// The step.
    #[schema(schema_with = step_actions)]
    pub action: String,
    /// The decision.
    pub decision: Option<DecisionDocumentBody>,
    /// The reason (required to suspend or terminate).
    pub note: Option<String>,
    /// On termination: the funds to recover, in đồng (at most what was paid).
    pub to_recover: Option<i64>,
}

/// An instalment with what was paid on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstalmentOut {
    /// Its number (1-based).
    pub n: i64,
    /// In đồng.
    pub amount: i64,
    /// When planned.
    pub due_on: NaiveDate,
    /// Its condition.
    pub condition: Option<String>,
    /// Paid on it.
    pub paid: i64,
}

/// A milestone with its date reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneOut {
    /// Its position (use it to record it reached).
    pub seq: i64,
    /// What is to be done.
    pub title: String,
    /// When.
    pub due_on: NaiveDate,
    /// The products it delivers.
    pub products: Option<String>,
    /// When it was reached.
    pub done_on: Option<NaiveDate>,
}

impl MilestoneOut {
    /// A milestone as the API gives it.
    pub fn of(m: tiendo_db::sci_tech::contracts::MilestoneRow) -> MilestoneOut {
        MilestoneOut { seq: m.seq, title: m.title, due_on: m.due_on, products: m.products, done_on: m.done_on }
    }
}

/// A payment made.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentOut {
    /// The instalment's number (1-based).
    pub instalment: i64,
    /// In đồng.
    pub amount: i64,
    /// When.
    pub paid_on: NaiveDate,
    /// The voucher.
    pub voucher: Option<String>,
}

/// An inspection.
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionOut {
    /// When held.
    pub held_on: NaiveDate,
    /// The result's code.
    pub result: String,
    /// The minutes.
    pub minutes_symbol: Option<String>,
    /// Findings.
    pub findings: String,
}

/// A version of the contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    /// Its number.
    pub version: i64,
    /// `signed` or the kind of change.
    pub kind: String,
    /// The decision approving it.
    pub decision: Option<DecisionDocumentBody>,
    /// A note.
    pub note: Option<String>,
    /// When recorded.
    pub at: DateTime<Utc>,
}

/// A decision that moved the contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractStepOut {
    /// The action's code.
    pub action: String,
    /// The state left.
    pub from: String,
    /// The state reached.
    pub to: String,
    /// When recorded.
    pub at: DateTime<Utc>,
    /// The decision.
    pub decision: Option<DecisionDocumentBody>,
    /// The reason.
    pub note: Option<String>,
    /// The funds to recover.
    pub to_recover: Option<i64>,
}

/// What the caller may do with a contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractPermissions {
    /// Record payments, milestones reached, inspections.
    pub record: bool,
    /// Change it and take decisions.
    pub decide: bool,
    /// The decisions that may be taken now.
    pub steps: Vec<String>,
}

/// A task under contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    /// Id.
    pub id: i64,
    /// The approved dossier it carries out (`/api/v1/proposals/{id}`).
    pub proposal_id: i64,
    /// The task's name.
    pub title: String,
    /// The state.
    #[schema(schema_with = states)]
    pub state: String,
    /// Number and symbol.
    pub number: String,
    /// The current version.
    pub version: i64,
    /// The host organisation.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The principal investigator.
    pub pi_name: String,
    /// The team.
    pub team: Vec<TeamBody>,
    /// Signed on.
    pub signed_on: NaiveDate,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The total of each source.
    pub sources: Vec<BudgetBody>,
    /// By year and source.
    pub years: Vec<ContractYearBody>,
    /// The lump-sum part.
    pub lump_sum: i64,
    /// The state budget committed.
    pub state_budget: i64,
    /// The whole value.
    pub total: i64,
    /// Paid.
    pub paid: i64,
    /// To recover, once terminated.
    pub to_recover: Option<i64>,
    /// Paying out too slowly for how far along it is.
    pub low_disbursement: bool,
    /// The ordered products.
    pub products: Vec<ProductBody>,
    /// Milestones.
    pub milestones: Vec<MilestoneOut>,
    /// Instalments.
    pub instalments: Vec<InstalmentOut>,
    /// Payments.
    pub payments: Vec<PaymentOut>,
    /// The dates progress reports are due.
    pub reports_due: Vec<NaiveDate>,
    /// The periodic reports (progress, application of the results), with where each stands.
    pub reports: Vec<super::task_reports::TaskReportOut>,
    /// The state budget the accepted progress reports say was spent.
    pub spent: i64,
    /// Inspections.
    pub inspections: Vec<InspectionOut>,
    /// Versions, the newest first.
    pub versions: Vec<VersionOut>,
    /// Decisions, the newest first.
    pub steps: Vec<ContractStepOut>,
    /// Its acceptance, once the dossier was submitted.
    pub acceptance: Option<AcceptanceOut>,
    /// Its results' registration.
    pub registration: Option<RegistrationOut>,
    /// The applications of its results.
    pub uses: Vec<UseOut>,
    /// What the caller may do.
    pub permissions: ContractPermissions,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The acceptance of a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceOut {
    /// The host's internal acceptance.
    pub internal_on: NaiveDate,
    /// The dossier submitted.
    pub submitted_on: NaiveDate,
    /// The grading rules' code.
    pub rule_set: String,
    /// Days after the time allowed.
    pub days_late: i64,
    /// The grade's code (`excellent`, `good`, `pass`, `fail`), once evaluated.
    pub grade: Option<String>,
    /// The council's ratings, as recorded.
    #[schema(value_type = Object)]
    pub ratings: Option<serde_json::Value>,
    /// The rules that decided the grade: each with its code and arguments.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Option<serde_json::Value>,
    /// The closing decision.
    pub decision: Option<DecisionDocumentBody>,
    /// Settled expenditure.
    pub spent: Option<i64>,
    /// A failure accepted as a risk.
    pub risk_accepted: Option<bool>,
}

/// The registration of a task's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationOut {
    /// The certificate's number.
    pub number: String,
    /// Its date.
    pub registered_on: NaiveDate,
    /// Who holds the rights.
    pub rights_holder: Option<String>,
}

/// An application of a task's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct UseOut {
    /// The organisation applying them.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Where.
    pub place: Option<String>,
    /// Since.
    pub from_on: NaiveDate,
    /// Scale.
    pub scale: Option<String>,
    /// Effects.
    pub effects: String,
}

fn document(symbol: &Option<String>, date: Option<NaiveDate>, signer: &Option<String>) -> Option<DecisionDocumentBody> {
    symbol.as_ref().map(|s| DecisionDocumentBody {
        symbol: s.clone(),
        date,
        signer: signer.clone().unwrap_or_default(),
    })
}

impl ContractOut {
    fn of(p: ContractPage) -> ContractOut {
        let c = p.opened.contract;
        let f = p.opened.fields;
        ContractOut {
            id: c.id,
            proposal_id: c.proposal_id,
            title: c.title,
            state: c.state,
            number: c.number,
            version: c.version,
            host_org_id: c.host_org_id,
            host_name: c.host_name,
            pi_name: c.pi_name,
            team: f
                .team
                .iter()
                .map(|m| TeamBody { name: m.name.clone(), role: m.role.clone(), person_id: m.person_id })
                .collect(),
            signed_on: c.signed_on,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            sources: f
                .sources
                .iter()
                .map(|s| BudgetBody { source: s.source.code().to_owned(), amount: s.amount })
                .collect(),
            years: f
                .years
                .iter()
                .map(|y| ContractYearBody { year: y.year, source: y.source.code().to_owned(), amount: y.amount })
                .collect(),
            lump_sum: f.lump_sum,
            state_budget: c.state_budget,
            total: c.total,
            paid: c.paid,
            to_recover: c.to_recover,
            low_disbursement: p.low_disbursement,
            products: f
                .products
                .iter()
                .map(|x| ProductBody {
                    name: x.name.clone(),
                    unit: x.unit.clone(),
                    quantity: Some(x.quantity),
                    requirements: x.requirements.clone(),
                })
                .collect(),
            milestones: p.milestones.into_iter().map(MilestoneOut::of).collect(),
            instalments: p
                .instalments
                .into_iter()
                .map(|i| InstalmentOut {
                    n: i.seq + 1,
                    amount: i.amount,
                    due_on: i.due_on,
                    condition: i.condition,
                    paid: i.paid,
                })
                .collect(),
            payments: p
                .payments
                .into_iter()
                .map(|x| PaymentOut { instalment: x.seq + 1, amount: x.amount, paid_on: x.paid_on, voucher: x.voucher })
                .collect(),
            reports_due: p
                .reports
                .iter()
                .filter(|l| l.row.kind() == tiendo_core::sci_tech::task_report::TaskReportKind::Progress)
                .map(|l| l.row.due_on)
                .collect(),
            reports: p.reports.iter().map(super::task_reports::TaskReportOut::of).collect(),
            spent: p.spent,
            inspections: p
                .inspections
                .into_iter()
                .map(|i| InspectionOut {
                    held_on: i.held_on,
                    result: i.result,
                    minutes_symbol: i.minutes_symbol,
                    findings: i.findings,
                })
                .collect(),
            versions: p
                .versions
                .into_iter()
                .map(|v| VersionOut {
                    version: v.version,
                    decision: document(&v.decision_symbol, v.decision_date, &v.decision_signer),
                    kind: v.kind,
                    note: v.note,
                    at: v.at,
                })
                .collect(),
            steps: p
                .steps
                .into_iter()
                .map(|s| ContractStepOut {
                    decision: document(&s.decision_symbol, s.decision_date, &s.decision_signer),
                    action: s.action,
                    from: s.from_state,
                    to: s.to_state,
                    at: s.at,
                    note: s.note,
                    to_recover: s.amount,
                })
                .collect(),
            acceptance: p.acceptance.map(|a| AcceptanceOut {
                internal_on: a.internal_on,
                submitted_on: a.submitted_on,
                rule_set: a.rule_set,
                days_late: a.days_late,
                grade: a.grade,
                ratings: a.ratings.and_then(|r| serde_json::from_str(&r).ok()),
                reasons: a.reasons.and_then(|r| serde_json::from_str(&r).ok()),
                decision: document(&a.decision_symbol, a.decision_date, &a.decision_signer),
                spent: a.spent,
                risk_accepted: a.risk_accepted,
            }),
            registration: p.registration.map(|r| RegistrationOut {
                number: r.number,
                registered_on: r.registered_on,
                rights_holder: r.rights_holder,
            }),
            uses: p
                .uses
                .into_iter()
                .map(|u| UseOut {
                    org_id: u.org_id,
                    org_name: u.org_name,
                    place: u.place,
                    from_on: u.from_on,
                    scale: u.scale,
                    effects: u.effects,
                })
                .collect(),
            permissions: ContractPermissions {
                record: p.opened.powers.record,
                decide: p.opened.powers.decide,
                steps: p.opened.steps.iter().map(|a| a.code().to_owned()).collect(),
            },
            is_sample: c.is_sample,
        }
    }
}

async fn contract_out(ctx: &Ctx, id: i64) -> Result<ContractOut, AppError> {
    Ok(ContractOut::of(use_cases::contract_page(ctx.state.app(), ctx.auth.session(), id).await?))
}

/// A task in the portfolio.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioItem {
    /// Id.
    pub id: i64,
    /// The task's name.
    pub title: String,
    /// The state.
    #[schema(schema_with = states)]
    pub state: String,
    /// The contract's number.
    pub number: String,
    /// The host organisation.
    pub host_name: String,
    /// The principal investigator.
    pub pi_name: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// State budget committed.
    pub state_budget: i64,
    /// Paid.
    pub paid: i64,
    /// Milestones past due and not reached.
    pub late_milestones: i64,
    /// Instalments past their date and not paid in full.
    pub late_instalments: i64,
    /// Progress reports past due and not sent.
    pub late_reports: i64,
    /// Paying out too slowly.
    pub low_disbursement: bool,
    /// The next milestone not reached.
    pub next_due: Option<NaiveDate>,
}

/// The portfolio with its totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioOut {
    /// The tasks, the latest to end first.
    pub items: Vec<PortfolioItem>,
    /// State budget committed, over the tasks listed.
    pub committed: i64,
    /// Paid.
    pub paid: i64,
    /// Tasks under way with an overdue milestone.
    pub with_late_milestones: usize,
    /// Tasks under way with a late instalment.
    pub with_late_instalments: usize,
    /// Tasks under way with a progress report past due and not sent.
    pub with_late_reports: usize,
    /// Tasks under way paying out too slowly.
    pub low_disbursement: usize,
}

/// The filters of the portfolio.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractPortfolioQuery {
    /// Words of the title (marks optional).
    pub q: Option<String>,
    /// One state.
    #[param(schema_with = states)]
    pub state: Option<String>,
    /// Only tasks with overdue milestones.
    pub late: Option<bool>,
}

/// The tasks under contract the caller may read (the staff all, a host organisation its own) with
/// their money and risk.
#[utoipa::path(get, path = "/contracts", tag = "sci_tech", operation_id = "list_contracts",
    params(ContractPortfolioQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The portfolio", body = PortfolioOut),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_contracts(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ContractPortfolioQuery>,
) -> Result<Json<PortfolioOut>, AppError> {
    let app = ctx.state.app();
    if q.state.as_deref().is_some_and(|s| ContractState::from_code(s).is_none()) {
        return Err(AppError::BadRequest { code: "invalid_query", detail: Some("state".to_owned()) });
    }
    let filter = PortfolioFilter {
        q: q.q.filter(|q| !q.trim().is_empty()),
        state: q.state.filter(|s| ContractState::from_code(s).is_some()),
        late_only: q.late.unwrap_or(false),
    };
    let p = use_cases::portfolio(app, ctx.auth.session(), &filter).await?;
    let today = app.today();
    Ok(Json(PortfolioOut {
        items: p
            .rows
            .iter()
            .map(|r| PortfolioItem {
                id: r.id,
                title: r.title.clone(),
                state: r.state.clone(),
                number: r.number.clone(),
                host_name: r.host_name.clone(),
                pi_name: r.pi_name.clone(),
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                state_budget: r.state_budget,
                paid: r.paid,
                late_milestones: r.late_milestones,
                late_instalments: r.late_instalments,
                late_reports: r.late_reports,
                low_disbursement: row_low_disbursement(r, today),
                next_due: r.next_due,
            })
            .collect(),
        committed: p.committed,
        paid: p.paid,
        with_late_milestones: p.with_late_milestones,
        with_late_instalments: p.with_late_instalments,
        with_late_reports: p.with_late_reports,
        low_disbursement: p.low_disbursement,
    }))
}

/// One task under contract with its money, milestones, inspections, versions and decisions.
#[utoipa::path(get, path = "/contracts/{id}", tag = "sci_tech", operation_id = "get_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract", body = ContractOut),
        (status = 404, description = "No such contract, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_contract(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ContractOut>, AppError> {
    Ok(Json(contract_out(&ctx, id).await?))
}

/// The format of a contract's document.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractDocumentQuery {
    /// `docx` (default) or `pdf`.
    #[param(schema_with = crate::api::codes::document_format)]
    pub format: Option<String>,
}

/// The contract of a task in force (after its changes and extensions) with its appendices, in the
/// official format: whoever may read the task downloads it.
#[utoipa::path(get, path = "/contracts/{id}/document", tag = "sci_tech", operation_id = "get_contract_document",
    params(("id" = i64, Path, description = "The contract's id"), ContractDocumentQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The document (`application/vnd.openxmlformats-officedocument.wordprocessingml.document` or `application/pdf`)"),
        (status = 400, description = "An unknown format (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked and no font installed (`pdf_font_missing`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_contract_document(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<ContractDocumentQuery>,
) -> Result<Response, AppError> {
    let format = tiendo_app::document_templates::Format::from_code(q.format.as_deref().unwrap_or("docx"))
        .ok_or_else(|| crate::api::paging::invalid("format: docx or pdf".into()))?;
    crate::sci_tech::pages::contracts::contract_file(&ctx, id, format).await
}

/// Records the signed contract of an approved task (the department's staff).
#[utoipa::path(post, path = "/proposals/{id}/contract", tag = "sci_tech", operation_id = "sign_contract",
    params(("id" = i64, Path, description = "The approved dossier's id")),
    request_body = ContractIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Signed", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dossier", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`task_not_approved`, `contract_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`instalments_do_not_add_up`, `years_do_not_add_up`, `milestone_after_end`, `money_format`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sign_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContractIn>,
) -> Result<Response, AppError> {
    let new = use_cases::sign_contract(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(created(format!("/api/v1/contracts/{new}"), contract_out(&ctx, new).await?))
}

/// Changes or extends a contract as a new version resting on a decision (the department's leaders).
#[utoipa::path(post, path = "/contracts/{id}/changes", tag = "sci_tech", operation_id = "change_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = ChangeIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract after the change", body = ContractOut),
        (status = 403, description = "Not the department's leaders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`contract_closed`, `stale_version` (read again and redo the change)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`end_moves_only_by_extension`, `extension_not_later`, `milestone_after_end`, `instalment_below_paid`, `decision.symbol`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn change_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ChangeIn>,
) -> Result<Json<ContractOut>, AppError> {
    let request = ChangeRequest {
        kind: input.kind.clone(),
        contract: input.contract.draft(),
        step: StepDraft {
            decision: decision_draft(&input.decision),
            note: input.note.clone().unwrap_or_default(),
            to_recover: String::new(),
        },
        version: input.version,
    };
    use_cases::change_contract(ctx.state.app(), ctx.auth.session(), id, &request).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Records a payment on an instalment (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/payments", tag = "sci_tech", operation_id = "pay_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = PaymentIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract after the payment", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`contract_not_running`, `payment_stale`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`payment_beyond_instalment`, `payment_beyond_committed`, `no_such_instalment`, `date_future`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn pay_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PaymentIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = PaymentDraft {
        instalment: input.instalment.to_string(),
        amount: input.amount.to_string(),
        paid_on: iso(input.paid_on),
        voucher: input.voucher.clone().unwrap_or_default(),
        note: input.note.clone().unwrap_or_default(),
    };
    use_cases::record_payment(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Records a milestone reached (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/milestones/{seq}/reached", tag = "sci_tech", operation_id = "reach_milestone",
    params(("id" = i64, Path, description = "The contract's id"), ("seq" = i64, Path, description = "The milestone's `seq`")),
    request_body = ReachIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract after it", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract or milestone", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`milestone_reached`, `contract_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`done_on`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reach_milestone(
    ctx: Ctx,
    Path((id, seq)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<ReachIn>,
) -> Result<Json<ContractOut>, AppError> {
    let note = input.note.clone().unwrap_or_default();
    use_cases::reach_milestone(ctx.state.app(), ctx.auth.session(), id, seq, &iso(input.done_on), &note).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Records an inspection (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/inspections", tag = "sci_tech", operation_id = "inspect_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = InspectionIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract after it", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`contract_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`held_on`, `result`, `findings`, `minutes_symbol`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn inspect_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<InspectionIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = InspectionDraft {
        held_on: iso(input.held_on),
        result: input.result.clone(),
        minutes_symbol: input.minutes_symbol.clone().unwrap_or_default(),
        findings: input.findings.clone(),
    };
    use_cases::record_inspection(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Suspends, resumes or terminates a contract on a decision (the department's leaders).
#[utoipa::path(post, path = "/contracts/{id}/steps", tag = "sci_tech", operation_id = "step_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = ContractStepIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract after the decision", body = ContractOut),
        (status = 403, description = "Not the department's leaders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed`, `contract_stale`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`decision.symbol`, `note`, `to_recover` with `recovery_beyond_paid`, `action`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn step_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContractStepIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = StepDraft {
        decision: decision_draft(&input.decision),
        note: input.note.clone().unwrap_or_default(),
        to_recover: input.to_recover.map(|a| a.to_string()).unwrap_or_default(),
    };
    use_cases::take_step(ctx.state.app(), ctx.auth.session(), id, &input.action, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

fn sources() -> Object {
    one_of("`state_budget`, `counterpart` or `other`.", BudgetSource::ALL.iter().map(|s| s.code()))
}

/// The host's internal acceptance and its dossier.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DossierIn {
    /// When the host's council met.
    pub internal_on: Option<NaiveDate>,
    /// Its minutes.
    pub internal_minutes: Option<String>,
    /// When the dossier reached the department.
    pub submitted_on: Option<NaiveDate>,
    /// The grading rules (`tt11_2014` by default, `tt26_2018_btnmt`, `points_100`).
    pub rule_set: Option<String>,
}

/// One ordered product's ratings, in the contract's order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProductRatingIn {
    /// Quantity: `excellent`, `pass` or `fail`.
    pub quantity: String,
    /// When the quantity fails: the share of the order reached, in percent.
    pub reached_percent: Option<u32>,
    /// Quality: `excellent`, `pass` or `fail`.
    pub quality: String,
}

/// The provincial council's evaluation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EvaluationIn {
    /// The products' ratings.
    #[serde(default)]
    pub products: Vec<ProductRatingIn>,
    /// The summary report's rating.
    pub report: String,
    /// The total score out of 100 (rules by points).
    pub score: Option<u32>,
    /// The grade the council proposes: it must be the one the rules give.
    pub grade: String,
    /// When the council met.
    pub held_on: Option<NaiveDate>,
    /// Its minutes' number and symbol.
    pub minutes: String,
}

/// The closing: the decision, the settlement, and for a task not accepted the risk or the recovery.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ClosingIn {
    /// The decision.
    pub decision: Option<DecisionDocumentBody>,
    /// Settled expenditure, in đồng.
    pub spent: Option<i64>,
    /// For a task not accepted: the failure accepted as a risk.
    #[serde(default)]
    pub risk_accepted: bool,
    /// For a task not accepted and no risk accepted: the funds to recover.
    pub to_recover: Option<i64>,
    /// A note.
    pub note: Option<String>,
}

/// The registration of results.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegistrationIn {
    /// The certificate's number.
    pub number: String,
    /// Its date.
    pub registered_on: Option<NaiveDate>,
    /// Who holds the rights.
    pub rights_holder: Option<String>,
}

/// An application of results.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UseIn {
    /// The organisation.
    pub org_id: i64,
    /// Where.
    pub place: Option<String>,
    /// Since.
    pub from_on: Option<NaiveDate>,
    /// Scale.
    pub scale: Option<String>,
    /// Effects.
    pub effects: String,
}

fn opt_money(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Records the internal acceptance and the dossier of a task under way (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/dossier", tag = "sci_tech", operation_id = "submit_contract_dossier",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = DossierIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract, in acceptance", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` (a task not under way)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`internal_after_submission`, `date_future`, `rule_set`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submit_contract_dossier(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DossierIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = tiendo_core::sci_tech::acceptance::DossierDraft {
        internal_on: iso(input.internal_on),
        internal_minutes: input.internal_minutes.clone().unwrap_or_default(),
        submitted_on: iso(input.submitted_on),
        rule_set: input.rule_set.clone().unwrap_or_default(),
    };
    tiendo_app::sci_tech::acceptance::submit_dossier(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Records the provincial council's evaluation: the grade must be the one the task's rules give.
#[utoipa::path(post, path = "/contracts/{id}/evaluation", tag = "sci_tech", operation_id = "evaluate_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = EvaluationIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract, accepted or not", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` (no dossier)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`grade_not_allowed` naming the grade the rules give, `products[i].reached_percent`, `score_required`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn evaluate_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EvaluationIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = tiendo_core::sci_tech::acceptance::EvaluationDraft {
        products: input
            .products
            .iter()
            .map(|p| tiendo_core::sci_tech::acceptance::ProductRatingDraft {
                quantity: p.quantity.clone(),
                reached_percent: p.reached_percent.map(|r| r.to_string()).unwrap_or_default(),
                quality: p.quality.clone(),
            })
            .collect(),
        report: input.report.clone(),
        score: input.score.map(|s| s.to_string()).unwrap_or_default(),
        grade: input.grade.clone(),
        held_on: iso(input.held_on),
        minutes: input.minutes.clone(),
    };
    tiendo_app::sci_tech::acceptance::evaluate(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Closes a task evaluated: the decision, the liquidation and settlement (the department's leaders).
#[utoipa::path(post, path = "/contracts/{id}/closing", tag = "sci_tech", operation_id = "close_contract",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = ClosingIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract, liquidated", body = ContractOut),
        (status = 403, description = "Not the department's leaders", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` (not evaluated)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`spent_beyond_paid`, `recovery_beyond_paid`, `risk_or_recovery`, `accepted_task_recovers_nothing`, `decision.symbol`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn close_contract(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ClosingIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = tiendo_core::sci_tech::acceptance::ClosingDraft {
        decision: decision_draft(&input.decision),
        spent: opt_money(input.spent),
        risk_accepted: input.risk_accepted,
        to_recover: opt_money(input.to_recover),
        note: input.note.clone().unwrap_or_default(),
    };
    tiendo_app::sci_tech::acceptance::close(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Registers the results of a task accepted (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/results", tag = "sci_tech", operation_id = "register_contract_results",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = RegistrationIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract with its registration", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`results_not_accepted`, `results_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`registration_number_taken`, `registered_on`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn register_contract_results(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RegistrationIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = tiendo_core::sci_tech::acceptance::RegistrationDraft {
        number: input.number.clone(),
        registered_on: iso(input.registered_on),
        rights_holder: input.rights_holder.clone().unwrap_or_default(),
    };
    tiendo_app::sci_tech::acceptance::register_results(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}

/// Records an application of a task's registered results by an organisation (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/results/uses", tag = "sci_tech", operation_id = "add_contract_result_use",
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = UseIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contract with the application", body = ContractOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`results_not_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`org_id`, `from_on`, `effects`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_contract_result_use(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<UseIn>,
) -> Result<Json<ContractOut>, AppError> {
    let draft = tiendo_core::sci_tech::acceptance::UseDraft {
        org_id: input.org_id.to_string(),
        place: input.place.clone().unwrap_or_default(),
        from_on: iso(input.from_on),
        scale: input.scale.clone().unwrap_or_default(),
        effects: input.effects.clone(),
    };
    tiendo_app::sci_tech::acceptance::add_use(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(contract_out(&ctx, id).await?))
}
