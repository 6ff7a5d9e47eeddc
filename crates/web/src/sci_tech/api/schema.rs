//! The request and response bodies of `/api/v1/calls` and `/api/v1/proposals`, and how what the use cases
//! read becomes one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::{
    BudgetLineDraft, CallDraft, DecisionDraft, ProductDraft, ProposalDraft, TeamMemberDraft, TransitionDraft,
};
use tiendo_db::sci_tech::{Call, CallSummary, Event, Proposal, ProposalFile, ProposalSummary};
use utoipa::openapi::schema::{ArrayBuilder, Object};
use utoipa::{IntoParams, ToSchema};

/// A call in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallItem {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: i64,
    /// `2013` or `2025`.
    pub regime: String,
    /// `order`, `selection`, `direct`, `grant` or `grassroots`.
    pub route: String,
    /// `draft` (not published), `upcoming`, `open` or `closed`.
    pub phase: String,
    /// When proposals start to be received.
    pub opens_at: DateTime<Utc>,
    /// The deadline: nothing is received from this instant on.
    pub closes_at: DateTime<Utc>,
    /// Proposals or dossiers sent to it (drafts aside).
    pub received: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl CallItem {
    /// The item of a listed call at `now`.
    pub fn of(c: &CallSummary, now: DateTime<Utc>) -> CallItem {
        CallItem {
            id: c.id,
            title: c.title.clone(),
            year: c.year,
            regime: c.regime.clone(),
            route: c.route.clone(),
            phase: c.phase(now).code().to_owned(),
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            received: c.received,
            is_sample: c.is_sample,
        }
    }
}

/// What the caller may do with a call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallPermissions {
    /// Change it.
    pub edit: bool,
    /// Publish it (unpublished calls).
    pub publish: bool,
    /// Send a proposal to it now.
    pub propose: bool,
}

/// A call with what it asks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallOut {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: i64,
    /// `2013` or `2025`.
    pub regime: String,
    /// `order`, `selection`, `direct`, `grant` or `grassroots`.
    pub route: String,
    /// `draft`, `upcoming`, `open` or `closed`.
    pub phase: String,
    /// When proposals start to be received.
    pub opens_at: DateTime<Utc>,
    /// The deadline, to the minute.
    pub closes_at: DateTime<Utc>,
    /// Fields covered.
    pub fields: Vec<String>,
    /// Who may answer.
    pub eligibility: String,
    /// Forms to fill.
    pub forms: Vec<String>,
    /// Orientation and priorities.
    pub description: Option<String>,
    /// The issuing organisation.
    pub organizer_org_id: Option<i64>,
    /// The listed task a call for selection or a direct assignment answers (`/proposals/{id}`).
    pub listed_id: Option<i64>,
    /// The organisation invited (direct assignment).
    pub invited_org_id: Option<i64>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// What the caller may do.
    pub permissions: CallPermissions,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl CallOut {
    /// The body of a call at `now`.
    pub fn of(c: Call, now: DateTime<Utc>, permissions: CallPermissions) -> CallOut {
        CallOut {
            phase: c.phase(now).code().to_owned(),
            fields: c.field_list(),
            forms: c.form_list(),
            id: c.id,
            title: c.title,
            year: c.year,
            regime: c.regime,
            route: c.route,
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            eligibility: c.eligibility,
            description: c.description,
            organizer_org_id: c.organizer_org_id,
            listed_id: c.listed_id,
            invited_org_id: c.invited_org_id,
            published_at: c.published_at,
            permissions,
            is_sample: c.is_sample,
        }
    }
}

/// A call to open, or the new state of one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CallIn {
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: Option<i32>,
    /// `2013` or `2025`.
    #[schema(schema_with = regimes)]
    pub regime: String,
    /// `order`, `selection`, `direct`, `grant` or `grassroots` (those of the regime).
    #[schema(schema_with = routes)]
    pub route: String,
    /// When proposals start to be received (seconds are ignored).
    pub opens_at: Option<DateTime<Utc>>,
    /// The deadline (seconds are ignored): nothing is received from this minute on.
    pub closes_at: Option<DateTime<Utc>>,
    /// Fields covered, at least one.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Who may answer.
    pub eligibility: String,
    /// Forms to fill.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Orientation and priorities.
    pub description: Option<String>,
    /// For selection or direct assignment: the listed task answered.
    pub listed_id: Option<i64>,
    /// For direct assignment: the organisation invited.
    pub invited_org_id: Option<i64>,
}

fn local(t: Option<DateTime<Utc>>) -> (String, String) {
    match t {
        Some(t) => {
            let l = tiendo_core::time::to_vietnam(t);
            (tiendo_core::fmt::date(tiendo_core::time::vietnam_date(t)), l.format("%H:%M").to_string())
        }
        None => (String::new(), String::new()),
    }
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

impl CallIn {
    /// The draft the use cases check, as the form would have typed it.
    pub fn draft(&self) -> CallDraft {
        let (opens_on, opens_time) = local(self.opens_at);
        let (closes_on, closes_time) = local(self.closes_at);
        CallDraft {
            title: self.title.clone(),
            year: self.year.map(|y| y.to_string()).unwrap_or_default(),
            regime: self.regime.clone(),
            route: self.route.clone(),
            opens_on,
            opens_time,
            closes_on,
            closes_time,
            fields: self.fields.join("\n"),
            eligibility: self.eligibility.clone(),
            forms: self.forms.join("\n"),
            description: self.description.clone().unwrap_or_default(),
            listed_id: id_text(self.listed_id),
            invited_org_id: id_text(self.invited_org_id),
        }
    }
}

/// Filters of the call list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallListQuery {
    /// Words of the title (marks optional).
    pub q: Option<String>,
    /// Only this plan year.
    pub year: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// Filters of a list of proposals.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalListQuery {
    /// Words of the name (marks optional).
    pub q: Option<String>,
    /// Only those in this state (a code of the machine: `submitted`, `listed`, …).
    pub state: Option<String>,
    /// Only the caller's own (written by them or their organisation).
    pub own: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// A proposal in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalItem {
    /// Id.
    pub id: i64,
    /// The call.
    pub call_id: i64,
    /// Its title.
    pub call_title: String,
    /// The state's code.
    pub state: String,
    /// Name.
    pub title: String,
    /// The proposer's name.
    pub proposer: String,
    /// Estimated budget, in đồng.
    pub budget_total: Option<i64>,
    /// First sent.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl From<&ProposalSummary> for ProposalItem {
    fn from(p: &ProposalSummary) -> ProposalItem {
        ProposalItem {
            id: p.id,
            call_id: p.call_id,
            call_title: p.call_title.clone(),
            state: p.state.clone(),
            title: p.title.clone(),
            proposer: p.proposer(),
            budget_total: p.budget_total,
            submitted_at: p.submitted_at,
            is_sample: p.is_sample,
        }
    }
}

/// An expected product.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProductBody {
    /// What it is.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// How many (greater than 0).
    pub quantity: Option<f64>,
    /// What it must meet.
    pub requirements: Option<String>,
}

/// A line of the budget.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetBody {
    /// `state_budget`, `counterpart` or `other`.
    #[schema(schema_with = budget_sources)]
    pub source: String,
    /// In đồng.
    pub amount: i64,
}

/// A member of the team.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamBody {
    /// Name, with or without a title.
    pub name: String,
    /// Role in the team.
    pub role: Option<String>,
    /// The person of the directory, when the name was found there (read only).
    #[serde(default, skip_deserializing)]
    pub person_id: Option<i64>,
}

/// A proposal to write, or the new state of one. With `send`, it is sent (it must then be complete, its
/// budget's sources adding up to the total).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProposalIn {
    /// The task's name.
    pub title: String,
    /// The field, one of the call's.
    pub field: Option<String>,
    /// Why it is urgent.
    pub urgency: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// Main content.
    pub content: Option<String>,
    /// Expected products.
    #[serde(default)]
    pub products: Vec<ProductBody>,
    /// Duration in months, 1 to 60.
    pub duration_months: Option<i64>,
    /// Estimated budget, in đồng.
    pub budget_total: Option<i64>,
    /// The budget by source.
    #[serde(default)]
    pub budget: Vec<BudgetBody>,
    /// `organization`, `commune`, `enterprise` or `individual`.
    #[schema(schema_with = proposer_kinds)]
    pub proposer_kind: String,
    /// The proposer's name.
    pub proposer_name: Option<String>,
    /// Contact.
    pub contact_name: Option<String>,
    /// Phone.
    pub contact_phone: Option<String>,
    /// E-mail.
    pub contact_email: Option<String>,
    /// Intended host.
    pub host_name: Option<String>,
    /// Intended principal investigator.
    pub pi_name: Option<String>,
    /// The team.
    #[serde(default)]
    pub team: Vec<TeamBody>,
    /// Send it now.
    #[serde(default)]
    pub send: bool,
}

impl ProposalIn {
    /// The draft the use cases check, as the form would have typed it (numbers written the Vietnamese
    /// way, which the checks read back exactly).
    pub fn draft(&self) -> ProposalDraft {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ProposalDraft {
            title: self.title.clone(),
            field: text(&self.field),
            urgency: text(&self.urgency),
            objectives: text(&self.objectives),
            content: text(&self.content),
            products: self
                .products
                .iter()
                .map(|p| ProductDraft {
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    quantity: p
                        .quantity
                        .map(|q| tiendo_core::fmt::decimal(q, 6, Lang::Vi).replace('.', ""))
                        .unwrap_or_default(),
                    requirements: text(&p.requirements),
                })
                .collect(),
            duration_months: self.duration_months.map(|d| d.to_string()).unwrap_or_default(),
            budget_total: self.budget_total.map(|b| b.to_string()).unwrap_or_default(),
            budget: self
                .budget
                .iter()
                .map(|b| BudgetLineDraft { source: b.source.clone(), amount: b.amount.to_string() })
                .collect(),
            proposer_kind: self.proposer_kind.clone(),
            proposer_name: text(&self.proposer_name),
            contact_name: text(&self.contact_name),
            contact_phone: text(&self.contact_phone),
            contact_email: text(&self.contact_email),
            host_name: text(&self.host_name),
            pi_name: text(&self.pi_name),
            team: self.team.iter().map(|m| TeamMemberDraft { name: m.name.clone(), role: text(&m.role) }).collect(),
        }
    }
}

/// A decision document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionDocumentBody {
    /// Number and symbol (`1523/QĐ-UBND`).
    pub symbol: String,
    /// Date signed.
    pub date: Option<NaiveDate>,
    /// Who signed.
    pub signer: String,
}

/// A step of the machine to take.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProposalTransitionIn {
    /// The action's code (one of `permissions.transitions`).
    #[schema(schema_with = actions)]
    pub action: String,
    /// A note the proposer reads (required by some steps).
    pub note: Option<String>,
    /// Screening reasons' codes (`incomplete`, `duplicate`, …), for a step finding it invalid.
    #[serde(default)]
    #[schema(schema_with = reasons)]
    pub reasons: Vec<String>,
    /// `selection` or `direct`, when approving the list.
    #[schema(schema_with = assignment_modes)]
    pub mode: Option<String>,
    /// The decision document, when the step records one.
    pub decision: Option<DecisionDocumentBody>,
}

impl ProposalTransitionIn {
    /// The draft the use case checks.
    pub fn draft(&self) -> TransitionDraft {
        TransitionDraft {
            action: self.action.clone(),
            note: self.note.clone().unwrap_or_default(),
            reasons: self.reasons.clone(),
            mode: self.mode.clone().unwrap_or_default(),
            decision: self
                .decision
                .as_ref()
                .map(|d| DecisionDraft {
                    symbol: d.symbol.clone(),
                    date: d.date.map(|d| d.to_string()).unwrap_or_default(),
                    signer: d.signer.clone(),
                })
                .unwrap_or_default(),
        }
    }
}

/// A step of the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// The action's code.
    pub action: String,
    /// The state left.
    pub from: String,
    /// The state reached.
    pub to: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (their name at the time).
    pub actor: String,
    /// The note.
    pub note: Option<String>,
    /// Screening reasons' codes.
    pub reasons: Vec<String>,
    /// The decision document.
    pub decision: Option<DecisionDocumentBody>,
}

impl From<&Event> for EventOut {
    fn from(e: &Event) -> EventOut {
        EventOut {
            action: e.action.clone(),
            from: e.from_state.clone(),
            to: e.to_state.clone(),
            at: e.at,
            actor: e.actor_name.clone(),
            note: e.note.clone(),
            reasons: e.reasons.clone(),
            decision: e.decision_symbol.as_ref().map(|s| DecisionDocumentBody {
                symbol: s.clone(),
                date: e.decision_date,
                signer: e.decision_signer.clone().unwrap_or_default(),
            }),
        }
    }
}

/// A file of a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalFileOut {
    /// Id.
    pub id: i64,
    /// Its title, else its name.
    pub name: String,
    /// The transition it documents, if any.
    pub event_action: Option<String>,
    /// Where to download it.
    pub url: String,
}

/// What the caller may do with a proposal (as the buttons of its page).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalPermissions {
    /// Change it (and send it).
    pub edit: bool,
    /// Delete the draft.
    pub delete: bool,
    /// The steps of the machine the caller may take now (`POST /proposals/{id}/transitions`).
    pub transitions: Vec<String>,
}

/// A proposal with its form, files and timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalOut {
    /// Id.
    pub id: i64,
    /// The call.
    pub call_id: i64,
    /// Its title.
    pub call_title: String,
    /// The route through the machine.
    pub route: String,
    /// The state's code.
    pub state: String,
    /// Name.
    pub title: String,
    /// Field.
    pub field: Option<String>,
    /// Urgency.
    pub urgency: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// Content.
    pub content: Option<String>,
    /// Expected products.
    pub products: Vec<ProductBody>,
    /// Duration in months.
    pub duration_months: Option<i64>,
    /// Estimated budget, in đồng.
    pub budget_total: Option<i64>,
    /// By source.
    pub budget: Vec<BudgetBody>,
    /// `organization`, `commune`, `enterprise` or `individual`.
    pub proposer_kind: String,
    /// The proposing organisation.
    pub proposer_org_id: Option<i64>,
    /// The proposer's name.
    pub proposer_name: String,
    /// Contact.
    pub contact_name: Option<String>,
    /// Phone.
    pub contact_phone: Option<String>,
    /// E-mail.
    pub contact_email: Option<String>,
    /// Intended host.
    pub host_name: Option<String>,
    /// Intended principal investigator.
    pub pi_name: Option<String>,
    /// The team.
    pub team: Vec<TeamBody>,
    /// How the listed task is carried out.
    pub mode: Option<String>,
    /// The listed task a dossier answers.
    pub listed_id: Option<i64>,
    /// First sent.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Files.
    pub files: Vec<ProposalFileOut>,
    /// The timeline, oldest first.
    pub timeline: Vec<EventOut>,
    /// What the caller may do.
    pub permissions: ProposalPermissions,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl ProposalOut {
    /// The body of a proposal with its files and timeline.
    pub fn of(p: Proposal, files: &[ProposalFile], events: &[Event], permissions: ProposalPermissions) -> ProposalOut {
        let action_of =
            |event: Option<i64>| event.and_then(|id| events.iter().find(|e| e.id == id)).map(|e| e.action.clone());
        ProposalOut {
            proposer_name: p.proposer(),
            id: p.id,
            call_id: p.call_id,
            call_title: p.call_title,
            route: p.route.code().to_owned(),
            state: p.state,
            title: p.title,
            field: p.field,
            urgency: p.urgency,
            objectives: p.objectives,
            content: p.content,
            products: p
                .products
                .into_iter()
                .map(|x| ProductBody {
                    name: x.name,
                    unit: x.unit,
                    quantity: Some(x.quantity),
                    requirements: x.requirements,
                })
                .collect(),
            duration_months: p.duration_months,
            budget_total: p.budget_total,
            budget: p
                .budget
                .iter()
                .map(|l| BudgetBody { source: l.source.code().to_owned(), amount: l.amount })
                .collect(),
            proposer_kind: p.proposer_kind.code().to_owned(),
            proposer_org_id: p.proposer_org_id,
            contact_name: p.contact_name,
            contact_phone: p.contact_phone,
            contact_email: p.contact_email,
            host_name: p.host_name,
            pi_name: p.pi_name,
            team: p.team.into_iter().map(|m| TeamBody { name: m.name, role: m.role, person_id: m.person_id }).collect(),
            mode: p.mode,
            listed_id: p.listed_id,
            submitted_at: p.submitted_at,
            files: files
                .iter()
                .map(|f| ProposalFileOut {
                    id: f.id,
                    name: f.title.clone().unwrap_or_else(|| f.original_name.clone()),
                    event_action: action_of(f.event_id),
                    url: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
                })
                .collect(),
            timeline: events.iter().map(EventOut::from).collect(),
            permissions,
            is_sample: p.is_sample,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A similar task or proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarOut {
    /// `task` or `sci_tech_task`.
    pub kind: String,
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Where it opens.
    pub path: String,
}

// The schemas of the fields whose value is a code, from the domain's own lists (crate::api::codes).

use crate::api::codes::one_of;
use tiendo_core::sci_tech::{AssignmentMode, BudgetSource, Machine, ProposerKind, Regime, Route};

fn regimes() -> Object {
    one_of("`2013` or `2025`.", Regime::ALL.iter().map(|r| r.code()))
}

fn routes() -> Object {
    one_of(
        "`order`, `selection`, `direct`, `grant` or `grassroots` (those of the regime).",
        Route::ALL.iter().map(|r| r.code()),
    )
}

fn budget_sources() -> Object {
    one_of("`state_budget`, `counterpart` or `other`.", BudgetSource::ALL.iter().map(|s| s.code()))
}

fn proposer_kinds() -> Object {
    one_of("`organization`, `commune`, `enterprise` or `individual`.", ProposerKind::ALL.iter().map(|k| k.code()))
}

fn assignment_modes() -> Object {
    one_of("`selection` or `direct`, when approving the list.", AssignmentMode::ALL.iter().map(|m| m.code()))
}

fn actions() -> Object {
    one_of("The action's code (one of `permissions.transitions`).", Machine::standard().actions())
}

fn reasons() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .description(Some("Screening reasons' codes, for a step finding it invalid."))
        .items(one_of("A screening reason's code.", Machine::standard().reasons().iter().map(String::as_str)))
        .build()
}
