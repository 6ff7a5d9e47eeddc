//! S&T tasks, part 2 (issue 17): an approved task under contract. The staff record the signed contract
//! (its budget by source and year, instalments, products, milestones), the payments, the milestones reached
//! and the inspections; the leaders decide changes and extensions (each a new version of the contract with
//! its decision), suspension and termination with the funds to recover. The leaders read the portfolio.
//!
//! Every write is one function here; what may be done is `tiendo_core::sci_tech::implementation`, what is
//! typed `tiendo_core::sci_tech::contract`, the records `tiendo_db::sci_tech::contracts`.

use chrono::NaiveDate;
use tiendo_core::authz::Role;
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::contract::{ChangeKind, ContractDraft, ContractFields};
use tiendo_core::sci_tech::implementation::{
    ContractAction, ContractPowers, ContractRefusal, ContractState, InspectionDraft, PaymentDraft, PaymentRefusal,
    StepDraft, check_contract_step, check_payment, contract_steps, low_disbursement,
};
use tiendo_db::orgtree;
use tiendo_db::sci_tech::contracts::{
    self as stored, ChangeRefused, Contract, ContractScope, InspectionRow, InstalmentRow, MilestoneRow, NewPayment,
    NewStep, PaymentRow, PortfolioFilter, PortfolioRow, StepRow, VersionRecord, VersionRow,
};

use super::access::open_proposal;
use super::transitions::actor_name;
use crate::audit::{self, Entry};
use crate::message::Value;
use crate::{App, Error, FieldError, Result, Session, Tr};

/// The audit trail's entity type of a task under contract.
pub const ENTITY: &str = "st_contract";

fn invalid(issues: Vec<tiendo_core::sci_tech::Issue>) -> Error {
    Error::Invalid(issues.into_iter().map(FieldError::from).collect())
}

fn money(n: i64) -> String {
    tiendo_core::fmt::money(n, Lang::Vi)
}

/// A task under contract the actor may see, with its current version and what the actor may do.
#[derive(Debug, Clone)]
pub struct OpenedContract {
    /// The record.
    pub contract: Contract,
    /// Its current version.
    pub fields: ContractFields,
    /// What the actor may do.
    pub powers: ContractPowers,
    /// The steps the actor may take now.
    pub steps: Vec<ContractAction>,
}

impl OpenedContract {
    /// The state.
    pub fn state(&self) -> ContractState {
        self.contract.state()
    }
}

/// Opens a task under contract the actor may see; `NotFound` otherwise.
pub async fn open_contract(app: &App, session: &Session, id: i64) -> Result<OpenedContract> {
    let contract = stored::contract(app.db(), id).await?.ok_or(Error::NotFound)?;
    let host_path = orgtree::path(app.db(), contract.host_org_id).await?;
    let powers = ContractPowers::of(&session.actor, &host_path);
    if !powers.view {
        return Err(Error::NotFound);
    }
    let fields = contract.fields()?;
    let steps = contract_steps(contract.state(), &powers);
    Ok(OpenedContract { contract, fields, powers, steps })
}

/// The contract carrying out an approved dossier the actor may see, if one was signed.
pub async fn contract_of_proposal(app: &App, session: &Session, proposal_id: i64) -> Result<Option<i64>> {
    let Some(c) = stored::contract_of_proposal(app.db(), proposal_id).await? else {
        return Ok(None);
    };
    Ok(open_contract(app, session, c.id).await.ok().map(|o| o.contract.id))
}

async fn require_host(app: &App, org: i64) -> Result<()> {
    if tiendo_db::directory::organization(app.db(), org).await?.is_none() {
        return Err(Error::invalid("host_org_id", "invalid"));
    }
    Ok(())
}

/// Records the signed contract of an approved task (the staff's); its id. `NotFound` when the actor may
/// not see the dossier; `Forbidden` unless the actor is of the department's staff; `Conflict`
/// `task_not_approved` before the approval, `contract_exists` for a second contract; `Invalid` naming
/// every field at fault (money that does not add up, a milestone after the end, …). Nothing is written
/// when anything is refused.
pub async fn sign_contract(app: &App, session: &Session, proposal_id: i64, draft: &ContractDraft) -> Result<i64> {
    sign(app, session, proposal_id, draft, false).await
}

/// [`sign_contract`] for the demo's invented tasks (marked as samples).
pub async fn sign_sample_contract(
    app: &App,
    session: &Session,
    proposal_id: i64,
    draft: &ContractDraft,
) -> Result<i64> {
    sign(app, session, proposal_id, draft, true).await
}

async fn sign(app: &App, session: &Session, proposal_id: i64, draft: &ContractDraft, is_sample: bool) -> Result<i64> {
    let opened = open_proposal(app, session, proposal_id).await?;
    if !opened.powers.review {
        return Err(Error::FORBIDDEN);
    }
    if opened.proposal.state != "approved" {
        return Err(Error::Conflict {
            code: "task_not_approved",
            args: vec![("state", format!("msg:st-state-{}", opened.proposal.state))],
        });
    }
    if stored::contract_of_proposal(app.db(), proposal_id).await?.is_some() {
        return Err(Error::conflict("contract_exists"));
    }
    let fields = draft.validate().map_err(invalid)?;
    if fields.signed_on > app.today() {
        return Err(Error::invalid("signed_on", "date_future"));
    }
    require_host(app, fields.host_org_id).await?;
    let name = actor_name(session);
    let by = VersionRecord {
        kind: "signed",
        decision: None,
        note: None,
        actor_user_id: session.user_id(),
        actor_name: &name,
    };
    let tx = app.begin().await?;
    let id =
        stored::create_contract(&tx, proposal_id, &opened.proposal.title, &fields, &by, is_sample, app.now()).await?;
    let created = stored::contract(&tx, id).await?.ok_or(Error::NotFound)?;
    super::task_reports::sync_progress(&tx, app, &created).await?;
    let entry = Entry::new("create", ENTITY, id, "audit-st-contract-signed")
        .arg("title", &opened.proposal.title)
        .arg("number", &fields.number)
        .change("state_budget", None::<i64>, fields.state_budget())
        .change("ends_on", None::<String>, tiendo_core::fmt::date(fields.ends_on));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// A change of the contract as asked: its kind, the whole contract as it will read, the decision
/// approving it, and the version the form was read from.
#[derive(Debug, Clone, Default)]
pub struct ChangeRequest {
    /// The kind's code.
    pub kind: String,
    /// The contract as changed.
    pub contract: ContractDraft,
    /// The decision and a note.
    pub step: StepDraft,
    /// The version the form started from.
    pub version: i64,
}

/// Changes the contract (điều chỉnh) or extends it (gia hạn), as a new version resting on a decision (the
/// leaders'). `Conflict` `contract_closed` once terminated, `Stale` when it changed since the form was
/// read; `Invalid` naming every field at fault: the end moved other than by an extension, a milestone
/// after the end, money that does not add up, an instalment below what was paid on it.
pub async fn change_contract(app: &App, session: &Session, id: i64, request: &ChangeRequest) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.decide {
        return Err(Error::FORBIDDEN);
    }
    if !opened.state().open() {
        return Err(Error::conflict("contract_closed"));
    }
    if request.version != opened.contract.version {
        return Err(Error::Stale);
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let kind = ChangeKind::from_code(request.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "required"));
    }
    let step = match request.step.check(None, opened.contract.paid, app.today()) {
        Ok(s) => Some(s),
        Err(issues) => {
            errors.extend(issues.into_iter().map(FieldError::from));
            None
        }
    };
    let fields = match request.contract.validate_change(&opened.fields, kind.unwrap_or(ChangeKind::Content)) {
        Ok(f) => Some(f),
        Err(issues) => {
            errors.extend(issues.into_iter().map(FieldError::from));
            None
        }
    };
    if let Some(f) = &fields {
        let paid = stored::instalments(app.db(), id).await?;
        for row in &paid {
            let new_amount = usize::try_from(row.seq).ok().and_then(|s| f.instalments.get(s)).map_or(0, |i| i.amount);
            if row.paid > new_amount {
                errors.push(
                    FieldError::new(format!("instalments[{}].amount", row.seq), "instalment_below_paid")
                        .arg("paid", money(row.paid)),
                );
            }
        }
    }
    crate::check(errors)?;
    let (Some(kind), Some(step), Some(fields)) = (kind, step, fields) else {
        return Err(Error::internal(std::io::Error::other("a change was checked without its parts")));
    };
    require_host(app, fields.host_org_id).await?;
    let name = actor_name(session);
    let by = VersionRecord {
        kind: kind.code(),
        decision: Some(&step.decision),
        note: step.note.as_deref(),
        actor_user_id: session.user_id(),
        actor_name: &name,
    };
    let tx = app.begin().await?;
    match stored::change_contract(&tx, id, request.version, &fields, &by, app.now()).await? {
        Ok(()) => {}
        Err(ChangeRefused::Stale) => return Err(Error::Stale),
        Err(ChangeRefused::BelowPaid(rows)) => {
            return Err(Error::Invalid(
                rows.into_iter()
                    .map(|(seq, paid)| {
                        FieldError::new(format!("instalments[{seq}].amount"), "instalment_below_paid")
                            .arg("paid", money(paid))
                    })
                    .collect(),
            ));
        }
        Err(ChangeRefused::ReachedMilestoneDropped(title)) => {
            return Err(Error::Invalid(vec![
                FieldError::new("milestones", "reached_milestone_dropped").arg("title", title),
            ]));
        }
    }
    let changed = stored::contract(&tx, id).await?.ok_or(Error::NotFound)?;
    super::task_reports::sync_progress(&tx, app, &changed).await?;
    let before = &opened.fields;
    let entry = Entry::new("update", ENTITY, id, "audit-st-contract-changed")
        .arg("title", &opened.contract.title)
        .named("kind", Value::Key(format!("st-change-{}", kind.code())))
        .arg("decision", &step.decision.symbol)
        .change("version", opened.contract.version, request.version + 1)
        .change("ends_on", tiendo_core::fmt::date(before.ends_on), tiendo_core::fmt::date(fields.ends_on))
        .change("state_budget", before.state_budget(), fields.state_budget());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a payment on an instalment (the staff's). `Conflict` `contract_not_running` unless under way,
/// `payment_beyond_instalment` / `payment_beyond_committed` naming what is left; `Invalid` naming the
/// fields at fault. Two officers paying at once cannot both pass the commitment.
pub async fn record_payment(app: &App, session: &Session, id: i64, draft: &PaymentDraft) -> Result<i64> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.record {
        return Err(Error::FORBIDDEN);
    }
    let payment = draft.check(app.today()).map_err(invalid)?;
    if payment.paid_on < opened.fields.signed_on {
        return Err(Error::Invalid(vec![
            FieldError::new("paid_on", "date_before_contract")
                .arg("date", tiendo_core::fmt::date(opened.fields.signed_on)),
        ]));
    }
    let rows = stored::instalments(app.db(), id).await?;
    let paid: Vec<i64> = rows.iter().map(|r| r.paid).collect();
    check_payment(&opened.fields, opened.state(), &paid, payment.seq, payment.amount).map_err(refused_payment)?;
    let seq = i64::try_from(payment.seq).map_err(Error::internal)?;
    let new = NewPayment {
        seq,
        amount: payment.amount,
        paid_on: payment.paid_on,
        voucher: payment.voucher.as_deref(),
        note: payment.note.as_deref(),
        by: session.user_id(),
    };
    let tx = app.begin().await?;
    let Some(pid) = stored::add_payment(&tx, id, &new, app.now()).await? else {
        return Err(Error::conflict("payment_stale"));
    };
    let entry = Entry::new("pay", ENTITY, id, "audit-st-contract-paid")
        .arg("title", &opened.contract.title)
        .arg("amount", money(payment.amount))
        .arg("instalment", payment.seq + 1)
        .change("paid", opened.contract.paid, opened.contract.paid + payment.amount);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(pid)
}

fn refused_payment(r: PaymentRefusal) -> Error {
    match r {
        PaymentRefusal::NotRunning => Error::conflict("contract_not_running"),
        PaymentRefusal::NoSuchInstalment => Error::invalid("instalment", "no_such_instalment"),
        PaymentRefusal::BeyondInstalment { remaining } | PaymentRefusal::BeyondCommitted { remaining } => {
            Error::Invalid(vec![FieldError::new("amount", r.code()).arg("remaining", money(remaining))])
        }
    }
}

/// Marks a milestone reached (the staff's, on the host's report or the inspection). `Conflict`
/// `milestone_reached` when it was already; `Invalid` for a date after today.
pub async fn reach_milestone(app: &App, session: &Session, id: i64, seq: i64, on: &str, note: &str) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.record {
        return Err(Error::FORBIDDEN);
    }
    if !opened.state().open() {
        return Err(Error::conflict("contract_closed"));
    }
    let milestones = stored::milestones(app.db(), id).await?;
    let milestone = milestones.iter().find(|m| m.seq == seq).ok_or(Error::NotFound)?;
    let date = match tiendo_core::fmt::parse_date(on) {
        Some(d) if d > app.today() => return Err(Error::invalid("done_on", "date_future")),
        Some(d) if d < opened.fields.starts_on => {
            return Err(Error::Invalid(vec![
                FieldError::new("done_on", "date_before_contract")
                    .arg("date", tiendo_core::fmt::date(opened.fields.starts_on)),
            ]));
        }
        Some(d) => d,
        None if on.trim().is_empty() => return Err(Error::invalid("done_on", "required")),
        None => return Err(Error::invalid("done_on", "date_format")),
    };
    let note = tiendo_core::text::normalize_multiline(note);
    let note = (!note.is_empty()).then_some(note);
    let tx = app.begin().await?;
    if !stored::lock_open(&tx, id, app.now()).await? {
        return Err(Error::conflict("contract_closed"));
    }
    if !stored::reach_milestone(&tx, id, seq, date, note.as_deref()).await? {
        return Err(Error::conflict("milestone_reached"));
    }
    let entry = Entry::new("reach", ENTITY, id, "audit-st-milestone-reached")
        .arg("title", &opened.contract.title)
        .arg("milestone", &milestone.title)
        .change("done_on", None::<String>, tiendo_core::fmt::date(date));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records an inspection (kiểm tra định kỳ) with its minutes and result (the staff's).
pub async fn record_inspection(app: &App, session: &Session, id: i64, draft: &InspectionDraft) -> Result<i64> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.record {
        return Err(Error::FORBIDDEN);
    }
    if !opened.state().open() {
        return Err(Error::conflict("contract_closed"));
    }
    let i = draft.check(app.today()).map_err(invalid)?;
    if i.held_on < opened.fields.starts_on {
        return Err(Error::Invalid(vec![
            FieldError::new("held_on", "date_before_contract")
                .arg("date", tiendo_core::fmt::date(opened.fields.starts_on)),
        ]));
    }
    let tx = app.begin().await?;
    let iid = stored::add_inspection(&tx, id, &i, session.user_id(), app.now()).await?;
    let entry = Entry::new("inspect", ENTITY, id, "audit-st-inspected")
        .arg("title", &opened.contract.title)
        .named("result", Value::Key(format!("st-inspection-{}", i.result.code())))
        .change("held_on", None::<String>, tiendo_core::fmt::date(i.held_on));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(iid)
}

/// Suspends, resumes or terminates the contract on a decision (the leaders'). `Conflict`
/// `transition_not_allowed` from the current state (naming both), `contract_stale` when someone moved
/// it meanwhile; `Forbidden` for the staff; `Invalid` naming the decision, the reason, and on termination
/// the amount to recover (at most what was paid).
pub async fn take_step(app: &App, session: &Session, id: i64, action: &str, draft: &StepDraft) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    let from = opened.state();
    // The steps of the acceptance have their own forms and use cases.
    let Some(action) = ContractAction::from_code(action.trim())
        .filter(|a| matches!(a, ContractAction::Suspend | ContractAction::Resume | ContractAction::Terminate))
    else {
        return Err(Error::invalid("action", "invalid"));
    };
    let to = check_contract_step(from, action, &opened.powers).map_err(|r| match r {
        ContractRefusal::Hidden => Error::NotFound,
        ContractRefusal::NotYours => Error::FORBIDDEN,
        ContractRefusal::NotFromHere => Error::Conflict {
            code: "transition_not_allowed",
            args: vec![
                ("state", format!("msg:st-contract-state-{}", from.code())),
                ("action", format!("msg:st-contract-action-{}", action.code())),
            ],
        },
    })?;
    let step = draft.check(Some(action), opened.contract.paid, app.today()).map_err(invalid)?;
    let name = actor_name(session);
    let record = NewStep {
        action: action.code(),
        from: from.code(),
        to: to.code(),
        actor_user_id: session.user_id(),
        actor_name: &name,
        note: step.note.as_deref(),
        decision: Some(&step.decision),
        amount: step.to_recover,
    };
    let tx = app.begin().await?;
    if !stored::take_step(&tx, id, &record, app.now()).await? {
        return Err(Error::conflict("contract_stale"));
    }
    let mut entry = Entry::new(action.code(), ENTITY, id, "audit-st-contract-step")
        .arg("title", &opened.contract.title)
        .named("action", Value::Key(format!("st-contract-action-{}", action.code())))
        .arg("decision", &step.decision.symbol)
        .change("state", from.code(), to.code());
    if let Some(amount) = step.to_recover {
        entry = entry.change("to_recover", None::<i64>, amount);
    }
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything a task's page shows.
#[derive(Debug, Clone)]
pub struct ContractPage {
    /// The contract, its version and the actor's powers.
    pub opened: OpenedContract,
    /// Milestones with their dates reached.
    pub milestones: Vec<MilestoneRow>,
    /// Instalments with what was paid on each.
    pub instalments: Vec<InstalmentRow>,
    /// Payments made.
    pub payments: Vec<PaymentRow>,
    /// Versions, the newest first.
    pub versions: Vec<VersionRow>,
    /// Suspensions, resumptions, termination.
    pub steps: Vec<StepRow>,
    /// Inspections.
    pub inspections: Vec<InspectionRow>,
    /// Its periodic reports (progress, application of the results), with where each stands.
    pub reports: Vec<super::task_reports::ReportLine>,
    /// The state budget its accepted progress reports say was spent.
    pub spent: i64,
    /// Whether too little was paid for how far along it is.
    pub low_disbursement: bool,
    /// Its acceptance, once the dossier was submitted.
    pub acceptance: Option<tiendo_db::sci_tech::acceptance::AcceptanceRow>,
    /// Its results' registration.
    pub registration: Option<tiendo_db::sci_tech::acceptance::ResultRow>,
    /// The applications of its results.
    pub uses: Vec<tiendo_db::sci_tech::acceptance::UseRow>,
}

impl ContractPage {
    /// Milestones past due and not reached on `today`.
    pub fn late_milestones(&self, today: NaiveDate) -> usize {
        self.milestones.iter().filter(|m| m.done_on.is_none() && m.due_on < today).count()
    }
}

/// A task's page.
pub async fn contract_page(app: &App, session: &Session, id: i64) -> Result<ContractPage> {
    let opened = open_contract(app, session, id).await?;
    let db = app.db();
    let c = &opened.contract;
    let low = c.state().running() && low_disbursement(c.starts_on, c.ends_on, c.state_budget, c.paid, app.today());
    let reports = super::task_reports::lines(app, id).await?;
    Ok(ContractPage {
        milestones: stored::milestones(db, id).await?,
        instalments: stored::instalments(db, id).await?,
        payments: stored::payments(db, id).await?,
        versions: stored::versions(db, id).await?,
        steps: stored::steps(db, id).await?,
        inspections: stored::inspections(db, id).await?,
        spent: super::task_reports::spent(&reports),
        reports,
        low_disbursement: low,
        acceptance: tiendo_db::sci_tech::acceptance::acceptance(db, id).await?,
        registration: tiendo_db::sci_tech::acceptance::registration(db, id).await?,
        uses: tiendo_db::sci_tech::acceptance::uses_of(db, id).await?,
        opened,
    })
}

/// The portfolio of tasks under contract with the totals the leaders read first.
#[derive(Debug, Clone, Default)]
pub struct Portfolio {
    /// The tasks.
    pub rows: Vec<PortfolioRow>,
    /// How many in each state, in the order of [`ContractState::ALL`].
    pub by_state: Vec<(ContractState, usize)>,
    /// State budget committed (all tasks listed).
    pub committed: i64,
    /// Paid.
    pub paid: i64,
    /// Tasks under way with a milestone past due.
    pub with_late_milestones: usize,
    /// Tasks under way with an instalment past its planned date and not paid.
    pub with_late_instalments: usize,
    /// Tasks under way with a progress report past due and not sent.
    pub with_late_reports: usize,
    /// Tasks under way paying out too slowly.
    pub low_disbursement: usize,
}

/// Whether a row pays out too slowly on `today`.
pub fn row_low_disbursement(row: &PortfolioRow, today: NaiveDate) -> bool {
    row.state == ContractState::UnderWay.code()
        && low_disbursement(row.starts_on, row.ends_on, row.state_budget, row.paid, today)
}

/// The scope of contracts the session may read: the staff and administrators all, the hosts' accounts
/// their organisations'.
pub(crate) async fn scope_of(app: &App, session: &Session) -> Result<ContractScope> {
    let scope = session.scope(app).await?;
    let all = scope.has(Role::DepartmentLeader) || scope.has(Role::DepartmentOfficer) || scope.has(Role::Administrator);
    Ok(ContractScope { all, hosts: scope.coverage(Role::proposes) })
}

/// Whether the session exports the national forms of the portfolio (the department's staff).
pub fn may_export(session: &Session) -> bool {
    tiendo_core::authz::authorize(
        &session.actor,
        tiendo_core::authz::Action::Export,
        &tiendo_core::authz::Resource::StContract { host_path: &[] },
    )
    .is_allowed()
}

/// The portfolio the session may read.
pub async fn portfolio(app: &App, session: &Session, filter: &PortfolioFilter) -> Result<Portfolio> {
    let scope = scope_of(app, session).await?;
    let today = app.today();
    let rows = stored::portfolio(app.db(), &scope, filter, today).await?;
    // Milestones are owed while the task is under way or suspended; payments only while under way.
    let running: Vec<&PortfolioRow> =
        rows.iter().filter(|r| ContractState::from_code(&r.state).is_some_and(ContractState::open)).collect();
    Ok(Portfolio {
        by_state: ContractState::ALL
            .iter()
            .map(|s| (*s, rows.iter().filter(|r| r.state == s.code()).count()))
            .collect(),
        committed: rows.iter().map(|r| r.state_budget).sum(),
        paid: rows.iter().map(|r| r.paid).sum(),
        with_late_milestones: running.iter().filter(|r| r.late_milestones > 0).count(),
        with_late_instalments: running.iter().filter(|r| r.late_instalments > 0).count(),
        with_late_reports: running.iter().filter(|r| r.late_reports > 0).count(),
        low_disbursement: running.iter().filter(|r| row_low_disbursement(r, today)).count(),
        rows,
    })
}

/// The running tasks of the portfolio (under way or suspended) in the fields of TT 14/2014/TT-BKHCN's
/// form 1 (phiếu thông tin về nhiệm vụ KH&CN đang tiến hành), as a spreadsheet; recorded in the audit
/// trail. Only the department's staff export it.
pub async fn national_form1(app: &App, session: &Session, lang: Lang, filter: &PortfolioFilter) -> Result<Vec<u8>> {
    use tiendo_export::st_forms::{Form1Row, FormHeader, LumpSum, write_form1};
    if !may_export(session) {
        return Err(Error::FORBIDDEN);
    }
    let scope = scope_of(app, session).await?;
    let db = app.db();
    let rows = stored::portfolio(db, &scope, filter, app.today()).await?;
    let mut out = Vec::new();
    // Form 1 is for tasks still being carried out: under way or suspended.
    for r in rows.iter().filter(|r| ContractState::from_code(&r.state).is_some_and(ContractState::open)) {
        let Some(c) = stored::contract(db, r.id).await? else { continue };
        let f = c.fields()?;
        let p = tiendo_db::sci_tech::proposal(db, c.proposal_id).await?;
        let host = tiendo_db::directory::organization(db, c.host_org_id).await?;
        let approval = tiendo_db::sci_tech::last_event_of(db, c.proposal_id, "approve").await?;
        let other = f.total() - f.state_budget();
        out.push(Form1Row {
            title: c.title.clone(),
            code: c.number.clone(),
            management_level: Tr::new(lang).t("st-level-province"),
            field: p.as_ref().and_then(|p| p.field.clone()).unwrap_or_default(),
            host_name: c.host_name.clone(),
            host_address: host.as_ref().and_then(|h| h.address.clone()).unwrap_or_default(),
            host_phone: host.as_ref().and_then(|h| h.phone.clone()).unwrap_or_default(),
            governing_agency: host.as_ref().and_then(|h| h.parent.as_ref().map(|o| o.name.clone())).unwrap_or_default(),
            leader_name: c.pi_name.clone(),
            leader_degree: String::new(),
            participants: f.team.iter().map(|m| m.name.clone()).collect(),
            objectives: p.as_ref().and_then(|p| p.objectives.clone()).unwrap_or_default(),
            main_content: p.as_ref().and_then(|p| p.content.clone()).unwrap_or_default(),
            start: Some(c.starts_on),
            end: Some(c.ends_on),
            budget_total: f.total(),
            budget_state: f.state_budget(),
            budget_other: other,
            lump_sum: match f.lump_sum {
                0 => None,
                n if n >= f.state_budget() => Some(LumpSum::FinalProduct),
                _ => Some(LumpSum::Partial),
            },
            approval_decision: approval.as_ref().and_then(|e| e.decision_symbol.clone()).unwrap_or_default(),
            approval_date: approval.as_ref().and_then(|e| e.decision_date),
            contract_number: c.number.clone(),
            contract_date: Some(c.signed_on),
            expected_products: f
                .products
                .iter()
                .map(|x| format!("{} {} {}", x.quantity_text(lang), x.unit, x.name))
                .collect(),
        });
    }
    let organization = match lang {
        Lang::Vi => app.settings().organization_vi.clone(),
        Lang::En => app.settings().organization_en.clone(),
    };
    let header = FormHeader { organization, as_of: app.today(), generated_at: app.now() };
    let count = out.len();
    let bytes = write_form1(&header, out, lang)?;
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-st-form1-exported").arg("rows", count);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(bytes)
}

/// The organisations' applications of results, for an organisation's page (public facts of the register).
pub async fn applied_by(app: &App, org: i64) -> Result<Vec<tiendo_db::sci_tech::acceptance::UseRow>> {
    Ok(tiendo_db::sci_tech::acceptance::uses_by(app.db(), org).await?)
}

/// A task of the public register (the law requires publishing tasks: what, who, how much, the grade, the
/// results).
#[derive(Debug, Clone)]
pub struct PublicTask {
    /// The record.
    pub contract: Contract,
    /// Its current version.
    pub fields: ContractFields,
    /// Its grade's code, once evaluated.
    pub grade: Option<String>,
    /// Its results' registration.
    pub registration: Option<tiendo_db::sci_tech::acceptance::ResultRow>,
    /// Their applications.
    pub uses: Vec<tiendo_db::sci_tech::acceptance::UseRow>,
}

/// The public register of tasks under contract, running and completed (everyone reads it), with the grade
/// of each task evaluated.
pub async fn public_register(app: &App, q: Option<&str>) -> Result<Vec<(PortfolioRow, Option<String>)>> {
    let scope = ContractScope { all: true, hosts: tiendo_core::authz::Coverage::All };
    let filter =
        PortfolioFilter { q: q.map(str::to_owned).filter(|q| !q.trim().is_empty()), ..PortfolioFilter::default() };
    let rows = stored::portfolio(app.db(), &scope, &filter, app.today()).await?;
    let grades = tiendo_db::sci_tech::acceptance::grades(app.db()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let grade = grades.iter().find(|(id, _)| *id == r.id).map(|(_, g)| g.clone());
            (r, grade)
        })
        .collect())
}

/// One task of the public register; `None` when there is no such task under contract.
pub async fn public_task(app: &App, id: i64) -> Result<Option<PublicTask>> {
    let db = app.db();
    let Some(contract) = stored::contract(db, id).await? else { return Ok(None) };
    let fields = contract.fields()?;
    let grade = tiendo_db::sci_tech::acceptance::acceptance(db, id).await?.and_then(|a| a.grade);
    Ok(Some(PublicTask {
        registration: tiendo_db::sci_tech::acceptance::registration(db, id).await?,
        uses: tiendo_db::sci_tech::acceptance::uses_of(db, id).await?,
        contract,
        fields,
        grade,
    }))
}

/// Every application of results in the fields of TT 14/2014/TT-BKHCN's form 12 (phiếu thông tin về ứng
/// dụng kết quả thực hiện nhiệm vụ), as a spreadsheet; recorded in the audit trail. The staff's.
pub async fn national_form12(app: &App, session: &Session, lang: Lang) -> Result<Vec<u8>> {
    use tiendo_export::st_forms::{Form12Row, FormHeader, write_form12};
    if !may_export(session) {
        return Err(Error::FORBIDDEN);
    }
    let uses = tiendo_db::sci_tech::acceptance::all_uses(app.db()).await?;
    let rows: Vec<Form12Row> = uses
        .iter()
        .map(|u| Form12Row {
            task_title: u.title.clone(),
            task_code: u.contract_number.clone(),
            registration_number: u.number.clone().unwrap_or_default(),
            registration_date: u.registered_on,
            host_name: u.host_name.clone(),
            leader_name: u.pi_name.clone(),
            result: u.title.clone(),
            applier_name: u.org_name.clone(),
            applier_address: u.org_address.clone().unwrap_or_default(),
            area: u.place.clone().unwrap_or_default(),
            applied_from: Some(u.from_on),
            applied_until: None,
            scale: u.scale.clone().unwrap_or_default(),
            effects: u.effects.clone(),
        })
        .collect();
    let organization = match lang {
        Lang::Vi => app.settings().organization_vi.clone(),
        Lang::En => app.settings().organization_en.clone(),
    };
    let header = FormHeader { organization, as_of: app.today(), generated_at: app.now() };
    let count = rows.len();
    let bytes = write_form12(&header, rows, lang)?;
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-st-form12-exported").arg("rows", count);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(bytes)
}
