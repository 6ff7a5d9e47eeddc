//! The request and response bodies of `/api/v1/certificates`, and how what the use cases read becomes one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::certificates::{
    ApplicationDraft, CertificateStatus, EndAction, LegalBasis, Machine, ProductDraft, ResultDraft, ResultKind,
    SizeClass, StepDraft, VersionKind, YearDraft,
};
use tiendo_core::sci_tech::DecisionDraft;
use tiendo_db::certificates::{Application, ApplicationSummary, Certificate, Event};
use utoipa::openapi::Object;
use utoipa::{IntoParams, ToSchema};

use crate::api::codes::one_of;

fn states() -> Object {
    one_of("The state's code.", Machine::standard().states().iter().map(|s| s.code.as_str()))
}

fn state_filter() -> Object {
    crate::api::codes::filter(
        "Only those in this state (empty for all).",
        Machine::standard().states().iter().map(|s| s.code.as_str()),
    )
}

/// A state's code of the machine, or empty; anything else is refused (400 `invalid_query`).
fn state_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw {
        Some(code) if !code.is_empty() && Machine::standard().state(&code).is_none() => {
            Err(serde::de::Error::custom(format!("unknown state {code}")))
        }
        other => Ok(other),
    }
}

fn actions() -> Object {
    one_of("The step's code (one of `permissions.steps`).", Machine::standard().actions())
}

fn sizes() -> Object {
    one_of("`large`, `medium`, `small` or `micro`.", SizeClass::ALL.iter().map(|s| s.code()))
}

fn result_kinds() -> Object {
    one_of("The kind of result and of its evidence.", ResultKind::ALL.iter().map(|k| k.code()))
}

fn bases() -> Object {
    one_of("`nd13_2019` or `nd268_2025`.", LegalBasis::ALL.iter().map(|b| b.code()))
}

fn statuses() -> Object {
    one_of(
        "`in_force`, `superseded`, `revoked`, `cancelled` or `terminated`.",
        CertificateStatus::ALL.iter().map(|s| s.code()),
    )
}

fn version_kinds() -> Object {
    one_of("`original`, `amendment` or `reissue`.", VersionKind::ALL.iter().map(|k| k.code()))
}

fn end_actions() -> Object {
    one_of("`revoke`, `cancel` or `terminate`.", EndAction::ALL.iter().map(|a| a.code()))
}

fn outcomes() -> Object {
    one_of(
        "`met`, `not_met`, `not_applicable`, `missing` or `to_judge`.",
        ["met", "not_met", "not_applicable", "missing", "to_judge"],
    )
}

/// An S&T result with its evidence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultBody {
    /// Its kind.
    #[schema(schema_with = result_kinds)]
    pub kind: String,
    /// Its name.
    pub title: String,
    /// The number of its title, decision or contract.
    pub reference: Option<String>,
    /// The day granted or signed.
    pub issued_on: Option<NaiveDate>,
    /// Who granted or recognised it.
    pub issuer: Option<String>,
}

/// A product made from the results.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertProductBody {
    /// Its name.
    pub name: String,
    /// The number (from 1) of the result it is made from (one of those typed).
    #[schema(minimum = 1, maximum = 1000)]
    pub result: Option<i64>,
}

/// A year's figures, in đồng.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct YearBody {
    /// The financial year.
    #[schema(minimum = 1990, maximum = 2100)]
    pub year: i64,
    /// Total revenue (a negative figure is 422 `negative`).
    #[schema(minimum = -1_000_000_000_000_000_i64, maximum = 1_000_000_000_000_000_i64)]
    pub total_revenue: i64,
    /// Revenue from S&T products (part of the total: above it is 422 `exceeds_total`).
    #[schema(minimum = -1_000_000_000_000_000_i64, maximum = 1_000_000_000_000_000_i64)]
    pub st_revenue: Option<i64>,
    /// Net revenue (not above the total).
    #[schema(minimum = -1_000_000_000_000_000_i64, maximum = 1_000_000_000_000_000_i64)]
    pub net_revenue: Option<i64>,
    /// Spending on R&D and innovation.
    #[schema(minimum = -1_000_000_000_000_000_i64, maximum = 1_000_000_000_000_000_i64)]
    pub rd_spending: Option<i64>,
}

impl YearBody {
    /// The figures as typed.
    pub fn draft(&self) -> YearDraft {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        YearDraft {
            year: self.year.to_string(),
            total_revenue: self.total_revenue.to_string(),
            st_revenue: n(self.st_revenue),
            net_revenue: n(self.net_revenue),
            rd_spending: n(self.rd_spending),
        }
    }
}

/// The dossier of an application.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ApplicationIn {
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its tax code (10 digits, or 13 for a branch, with the check digit).
    pub tax_code: Option<String>,
    /// Its head office.
    pub address: Option<String>,
    /// Its legal representative.
    pub representative: Option<String>,
    /// The day it was established.
    pub established_on: Option<NaiveDate>,
    /// Its size.
    #[schema(schema_with = sizes)]
    pub size: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// The S&T results.
    #[serde(default)]
    pub results: Vec<ResultBody>,
    /// The products.
    #[serde(default)]
    pub products: Vec<CertProductBody>,
    /// The figures by year.
    #[serde(default)]
    pub years: Vec<YearBody>,
}

impl ApplicationIn {
    /// The draft the use case checks.
    pub fn draft(&self) -> ApplicationDraft {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let date = |d: Option<NaiveDate>| d.map(tiendo_core::fmt::date).unwrap_or_default();
        ApplicationDraft {
            enterprise_name: self.enterprise_name.clone(),
            tax_code: text(&self.tax_code),
            address: text(&self.address),
            representative: text(&self.representative),
            established_on: date(self.established_on),
            size: text(&self.size),
            phone: text(&self.phone),
            email: text(&self.email),
            results: self
                .results
                .iter()
                .map(|r| ResultDraft {
                    kind: r.kind.clone(),
                    title: r.title.clone(),
                    reference: text(&r.reference),
                    issued_on: date(r.issued_on),
                    issuer: text(&r.issuer),
                })
                .collect(),
            products: self
                .products
                .iter()
                .map(|p| ProductDraft {
                    name: p.name.clone(),
                    result: p.result.map(|n| n.to_string()).unwrap_or_default(),
                })
                .collect(),
            years: self.years.iter().map(YearBody::draft).collect(),
        }
    }
}

/// A decision document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CertDecisionBody {
    /// Number and symbol (`215/QĐ-SKHCN`).
    pub symbol: String,
    /// Date signed (not after today).
    pub date: Option<NaiveDate>,
    /// Who signed.
    pub signer: String,
}

fn decision_draft(d: Option<&CertDecisionBody>) -> DecisionDraft {
    d.map(|d| DecisionDraft {
        symbol: d.symbol.clone(),
        date: d.date.map(tiendo_core::fmt::date).unwrap_or_default(),
        signer: d.signer.clone(),
    })
    .unwrap_or_default()
}

/// A step of the processing to take.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StepIn {
    /// The step's code.
    #[schema(schema_with = actions)]
    pub action: String,
    /// The note (required to ask for supplements and to refuse).
    pub note: Option<String>,
    /// The certificate's number (required to issue).
    pub number: Option<String>,
    /// The decision (required to issue; optional to refuse).
    pub decision: Option<CertDecisionBody>,
}

impl StepIn {
    /// The draft the use case checks.
    pub fn draft(&self) -> StepDraft {
        StepDraft {
            action: self.action.clone(),
            note: self.note.clone().unwrap_or_default(),
            number: self.number.clone().unwrap_or_default(),
            decision: decision_draft(self.decision.as_ref()),
        }
    }
}

/// Ending a certificate in force.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EndIn {
    /// How.
    #[schema(schema_with = end_actions)]
    pub action: String,
    /// The reason.
    pub reason: String,
    /// The decision.
    pub decision: CertDecisionBody,
}

impl EndIn {
    /// The draft the use case checks.
    pub fn draft(&self) -> StepDraft {
        StepDraft {
            action: self.action.clone(),
            note: self.reason.clone(),
            number: String::new(),
            decision: decision_draft(Some(&self.decision)),
        }
    }
}

/// The filters of the applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationListQuery {
    /// Words of the enterprise's name, or the start of its tax code.
    pub q: Option<String>,
    /// Only those in this state.
    #[param(schema_with = state_filter)]
    #[serde(default, deserialize_with = "state_code")]
    pub state: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// An application in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationItem {
    /// Id.
    pub id: i64,
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: Option<String>,
    /// The state.
    #[schema(schema_with = states)]
    pub state: String,
    /// The day received.
    pub received_on: Option<NaiveDate>,
    /// The day decided.
    pub decided_on: Option<NaiveDate>,
    /// Decided after the clock ran out.
    pub decided_late: bool,
}

impl ApplicationItem {
    /// The item of a listed application.
    pub fn of(a: &ApplicationSummary) -> ApplicationItem {
        ApplicationItem {
            id: a.id,
            enterprise_name: a.enterprise_name.clone(),
            tax_code: a.tax_code.clone(),
            state: a.state.clone(),
            received_on: a.received_on,
            decided_on: a.decided_on,
            decided_late: a.decided_late,
        }
    }
}

/// Where the statutory clock stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockOut {
    /// Days used.
    pub used: i64,
    /// Days left (negative once overdue).
    pub days_left: i64,
    /// The last day, unless paused.
    pub deadline: Option<NaiveDate>,
    /// Paused awaiting supplements.
    pub paused: bool,
    /// Calendar days paused so far.
    pub paused_days: i64,
}

/// A condition evaluated on the figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckOut {
    /// The condition's code.
    pub code: String,
    /// Its outcome.
    #[schema(schema_with = outcomes)]
    pub outcome: String,
}

/// A step of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    /// The step's code.
    #[schema(schema_with = actions)]
    pub action: String,
    /// The state left.
    #[schema(schema_with = states)]
    pub from: String,
    /// The state reached.
    #[schema(schema_with = states)]
    pub to: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// The note.
    pub note: Option<String>,
    /// The decision's number and symbol.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Taken after the clock ran out.
    pub late: bool,
}

impl StepOut {
    /// A step of the timeline.
    pub fn of(e: &Event) -> StepOut {
        StepOut {
            action: e.action.clone(),
            from: e.from_state.clone(),
            to: e.to_state.clone(),
            at: e.at,
            actor: e.actor_name.clone(),
            note: e.note.clone(),
            decision_symbol: e.decision_symbol.clone(),
            decision_date: e.decision_date,
            late: e.late,
        }
    }
}

/// What the caller may do with an application.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationPermissions {
    /// Change the dossier.
    pub edit: bool,
    /// The steps the caller may take now.
    pub steps: Vec<String>,
    /// What the caller may do in the appraisal now: `refer_to_council`, `ask_experts`, `override_expert`,
    /// `give_opinion`.
    pub appraisal: Vec<String>,
}

/// An application with its dossier, clock, conditions and timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationOut {
    /// Id.
    pub id: i64,
    /// The enterprise in the directory.
    pub organization_id: i64,
    /// The state.
    #[schema(schema_with = states)]
    pub state: String,
    /// The legal basis (once received).
    #[schema(schema_with = bases)]
    pub basis: Option<String>,
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: Option<String>,
    /// Its head office.
    pub address: Option<String>,
    /// The day it was established.
    pub established_on: Option<NaiveDate>,
    /// Its size.
    #[schema(schema_with = sizes)]
    pub size: Option<String>,
    /// The S&T results.
    pub results: Vec<ResultBody>,
    /// The products.
    pub products: Vec<CertProductBody>,
    /// The figures by year, the latest first.
    pub years: Vec<YearBody>,
    /// The day received.
    pub received_on: Option<NaiveDate>,
    /// The day decided.
    pub decided_on: Option<NaiveDate>,
    /// Decided after the clock ran out.
    pub decided_late: bool,
    /// The statutory clock (once received).
    pub clock: Option<ClockOut>,
    /// The conditions evaluated on the figures.
    pub checks: Vec<CheckOut>,
    /// The timeline, oldest first.
    pub steps: Vec<StepOut>,
    /// The appraisal by a council or experts: everything for the department's staff, their own seats for
    /// an expert asked, absent for the enterprise.
    pub appraisal: Option<super::appraisal::AppraisalOut>,
    /// What the caller may do.
    pub permissions: ApplicationPermissions,
}

impl ApplicationOut {
    /// The API form of an opened application.
    pub fn of(opened: &tiendo_app::certificates::OpenedApplication) -> ApplicationOut {
        let a: &Application = &opened.application;
        let f = &a.fields;
        ApplicationOut {
            id: a.id,
            organization_id: a.org_id,
            state: a.state.clone(),
            basis: a.basis.map(|b| b.code().to_owned()),
            enterprise_name: f.enterprise_name.clone(),
            tax_code: f.tax_code.as_ref().map(|t| t.as_str().to_owned()),
            address: f.address.clone(),
            established_on: f.established_on,
            size: f.size.map(|s| s.code().to_owned()),
            results: f
                .results
                .iter()
                .map(|r| ResultBody {
                    kind: r.kind.clone(),
                    title: r.title.clone(),
                    reference: r.reference.clone(),
                    issued_on: r.issued_on,
                    issuer: r.issuer.clone(),
                })
                .collect(),
            products: f
                .products
                .iter()
                .map(|p| CertProductBody {
                    name: p.name.clone(),
                    result: p.result.and_then(|i| i64::try_from(i + 1).ok()),
                })
                .collect(),
            years: f
                .years
                .iter()
                .map(|y| YearBody {
                    year: i64::from(y.year),
                    total_revenue: y.total_revenue,
                    st_revenue: y.st_revenue,
                    net_revenue: y.net_revenue,
                    rd_spending: y.rd_spending,
                })
                .collect(),
            received_on: a.received_on,
            decided_on: a.decided_on,
            decided_late: a.decided_late,
            clock: opened.clock.map(|c| ClockOut {
                used: i64::from(c.used),
                days_left: c.days_left,
                deadline: c.deadline,
                paused: c.paused,
                paused_days: i64::from(c.paused_days),
            }),
            checks: opened
                .checks
                .iter()
                .map(|c| CheckOut { code: c.code.clone(), outcome: c.outcome.code().to_owned() })
                .collect(),
            steps: opened.events.iter().map(StepOut::of).collect(),
            permissions: ApplicationPermissions {
                edit: opened.powers.owner && opened.state.owner_edits,
                steps: opened.transitions.iter().map(|t| t.action.clone()).collect(),
                appraisal: Vec::new(),
            },
            appraisal: None,
        }
    }
}

/// The lookup of the public register.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateListQuery {
    /// Words of the enterprise's name, the start of its tax code, or the certificate's number.
    pub q: Option<String>,
    /// Only those in force.
    pub in_force: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// A certificate (one version).
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateOut {
    /// Id of this version.
    pub id: i64,
    /// The application it was issued on.
    pub application_id: i64,
    /// The enterprise in the directory.
    pub organization_id: i64,
    /// Its number.
    pub number: String,
    /// The day this version was issued.
    pub issued_on: NaiveDate,
    /// 1 for the original.
    pub version: i64,
    /// How this version came to be.
    #[schema(schema_with = version_kinds)]
    pub kind: String,
    /// Where it stands.
    #[schema(schema_with = statuses)]
    pub status: String,
    /// The legal basis.
    #[schema(schema_with = bases)]
    pub basis: String,
    /// The enterprise's name on it.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: String,
    /// The S&T results listed.
    pub results: Vec<ResultBody>,
    /// The products listed.
    pub products: Vec<CertProductBody>,
    /// The decision issuing it.
    pub decision_symbol: Option<String>,
    /// The day it ended.
    pub ended_on: Option<NaiveDate>,
    /// Why.
    pub end_reason: Option<String>,
    /// The decision ending it.
    pub end_decision: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl CertificateOut {
    /// The API form of a certificate.
    pub fn of(c: &Certificate) -> CertificateOut {
        CertificateOut {
            id: c.id,
            application_id: c.application_id,
            organization_id: c.org_id,
            number: c.number.clone(),
            issued_on: c.issued_on,
            version: c.version,
            kind: c.kind.code().to_owned(),
            status: c.status.code().to_owned(),
            basis: c.basis.clone(),
            enterprise_name: c.enterprise_name.clone(),
            tax_code: c.tax_code.clone(),
            results: c
                .results
                .iter()
                .map(|r| ResultBody {
                    kind: r.kind.clone(),
                    title: r.title.clone(),
                    reference: r.reference.clone(),
                    issued_on: r.issued_on,
                    issuer: r.issuer.clone(),
                })
                .collect(),
            products: c
                .products
                .iter()
                .map(|p| CertProductBody {
                    name: p.name.clone(),
                    result: p.result.and_then(|i| i64::try_from(i + 1).ok()),
                })
                .collect(),
            decision_symbol: c.decision_symbol.clone(),
            ended_on: c.ended_on,
            end_reason: c.end_reason.clone(),
            end_decision: c.end_decision.clone(),
            is_sample: c.is_sample,
        }
    }
}

/// A yearly report sent from a certificate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    /// The report of the reporting engine (`GET /reports/{id}`).
    pub report_id: i64,
    /// Its state (`submitted`).
    pub status: String,
    /// Whether the conditions hold on the figures sent (recorded when the department approves the report).
    pub holds: bool,
    /// The conditions evaluated on them.
    pub checks: Vec<CheckOut>,
}
