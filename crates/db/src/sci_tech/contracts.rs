//! Tasks under contract (issue 17): the contract's current version and its history, milestones,
//! instalments with the payments on them, the steps that suspend or terminate it, inspections, and the
//! portfolio the leaders read.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::authz::Coverage;
use tiendo_core::sci_tech::Decision;
use tiendo_core::sci_tech::contract::ContractFields;
use tiendo_core::sci_tech::implementation::ContractState;
use tiendo_core::text::fold;

use super::{from_json, to_json};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// A task under contract with the names its page shows.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Contract {
    /// Row id.
    pub id: i64,
    /// The approved dossier it carries out.
    pub proposal_id: i64,
    /// The task's name.
    pub title: String,
    /// State code (`under_way`, `suspended`, `terminated`).
    pub state: String,
    /// The contract's number and symbol.
    pub number: String,
    /// The host organisation.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The principal investigator.
    pub pi_name: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day (moved by extensions).
    pub ends_on: NaiveDate,
    /// The state budget committed.
    pub state_budget: i64,
    /// The contract's whole value.
    pub total: i64,
    /// Paid so far.
    pub paid: i64,
    /// To recover, once terminated.
    pub to_recover: Option<i64>,
    /// The current version (JSON of [`ContractFields`]).
    pub fields: String,
    /// Its number.
    pub version: i64,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Contract {
    /// The current version, decoded.
    pub fn fields(&self) -> Result<ContractFields, DbError> {
        from_json("st_contracts.fields", &self.fields)
    }

    /// The state (a code the application no longer knows reads as terminated: nothing more is done).
    pub fn state(&self) -> ContractState {
        ContractState::from_code(&self.state).unwrap_or(ContractState::Terminated)
    }
}

const SELECT: &str = "SELECT c.id, c.proposal_id, c.title, c.state, c.number, c.host_org_id, o.name AS host_name, \
     c.pi_name, c.signed_on, c.starts_on, c.ends_on, c.state_budget, c.total, c.paid, c.to_recover, c.fields, \
     c.version, c.is_sample, c.created_at, c.updated_at FROM st_contracts c JOIN organizations o ON o.id = c.host_org_id";

/// One contract.
pub async fn contract(ex: &impl Exec, id: i64) -> Result<Option<Contract>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.id = $1")).bind(id)).await
}

/// The contracts in `state`, by id (for the daily reminders).
pub async fn in_state(ex: &impl Exec, state: ContractState) -> Result<Vec<Contract>, DbError> {
    ex.fetch_all(Query::new(format!("{SELECT} WHERE c.state = $1 ORDER BY c.id")).bind(state.code())).await
}

/// The contract carrying out an approved dossier, if signed.
pub async fn contract_of_proposal(ex: &impl Exec, proposal_id: i64) -> Result<Option<Contract>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.proposal_id = $1")).bind(proposal_id)).await
}

/// Who made a version, and on what decision.
#[derive(Debug, Clone, Copy)]
pub struct VersionRecord<'a> {
    /// `signed`, or the kind of change.
    pub kind: &'a str,
    /// The decision approving it (none for the signed contract itself).
    pub decision: Option<&'a Decision>,
    /// A note.
    pub note: Option<&'a str>,
    /// The account.
    pub actor_user_id: Option<i64>,
    /// Its name as the history shows it.
    pub actor_name: &'a str,
}

/// Records a signed contract (version 1) with its milestones and instalments; its id.
pub async fn create_contract(
    ex: &impl Exec,
    proposal_id: i64,
    title: &str,
    f: &ContractFields,
    by: &VersionRecord<'_>,
    is_sample: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_contracts (proposal_id, title, title_folded, state, number, host_org_id, pi_name, \
                 signed_on, starts_on, ends_on, state_budget, total, paid, fields, version, is_sample, created_by, \
                 created_at, updated_at) VALUES ($1, $2, $3, 'under_way', $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, 1, \
                 $13, $14, $15, $15) RETURNING id",
            )
            .bind(proposal_id)
            .bind(title)
            .bind(fold(title))
            .bind(&f.number)
            .bind(f.host_org_id)
            .bind(&f.pi_name)
            .bind(f.signed_on)
            .bind(f.starts_on)
            .bind(f.ends_on)
            .bind(f.state_budget())
            .bind(f.total())
            .bind(to_json(f))
            .bind(is_sample)
            .bind(by.actor_user_id)
            .bind(now),
        )
        .await?;
    add_version(ex, id, 1, f, by, now).await?;
    write_schedule(ex, id, f, &[], &[]).await?;
    Ok(id)
}

async fn add_version(
    ex: &impl Exec,
    id: i64,
    version: i64,
    f: &ContractFields,
    by: &VersionRecord<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let d = by.decision;
    ex.execute(
        Query::new(
            "INSERT INTO st_contract_versions (contract_id, version, kind, fields, decision_symbol, decision_date, \
             decision_signer, note, at, actor_user_id, actor_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(version)
        .bind(by.kind)
        .bind(to_json(f))
        .bind(d.map(|d| d.symbol.clone()))
        .bind(d.map(|d| d.date))
        .bind(d.map(|d| d.signer.clone()))
        .bind(by.note.map(str::to_owned))
        .bind(now)
        .bind(by.actor_user_id)
        .bind(by.actor_name),
    )
    .await?;
    Ok(())
}

/// Rewrites the milestones and instalments of a version: a milestone whose title stays keeps its date
/// reached, an instalment keeps what was paid on it (the caller checked the new amounts cover it).
async fn write_schedule(
    ex: &impl Exec,
    id: i64,
    f: &ContractFields,
    old_milestones: &[MilestoneRow],
    old_instalments: &[InstalmentRow],
) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM st_milestones WHERE contract_id = $1").bind(id)).await?;
    ex.execute(Query::new("DELETE FROM st_instalments WHERE contract_id = $1").bind(id)).await?;
    for (seq, m) in (0_i64..).zip(&f.milestones) {
        let kept = old_milestones.iter().find(|o| o.title == m.title && o.done_on.is_some());
        ex.execute(
            Query::new(
                "INSERT INTO st_milestones (contract_id, seq, title, due_on, products, done_on, done_note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(seq)
            .bind(&m.title)
            .bind(m.due_on)
            .bind(m.products.clone())
            .bind(kept.and_then(|o| o.done_on))
            .bind(kept.and_then(|o| o.done_note.clone())),
        )
        .await?;
    }
    for (seq, i) in (0_i64..).zip(&f.instalments) {
        let paid = old_instalments.iter().find(|o| o.seq == seq).map_or(0, |o| o.paid);
        ex.execute(
            Query::new(
                "INSERT INTO st_instalments (contract_id, seq, amount, due_on, condition, paid) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(seq)
            .bind(i.amount)
            .bind(i.due_on)
            .bind(i.condition.clone())
            .bind(paid),
        )
        .await?;
    }
    Ok(())
}

/// Why a change of the contract was not recorded (nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefused {
    /// Someone changed it meanwhile, or it is no longer under way or suspended.
    Stale,
    /// Instalments (their seq, what was paid on them) the change would set below what was paid.
    BelowPaid(Vec<(i64, i64)>),
    /// A milestone reached that the change drops or renames (its title).
    ReachedMilestoneDropped(String),
}

/// Records a new version of the contract (a change or an extension) if the current one is still
/// `expected` and the task is still under way or suspended. The contract's row is locked first (as every
/// payment and milestone locks it), then the schedule as it stands is read inside the transaction: an
/// instalment may not fall below what was paid on it, a milestone reached must keep its title (it keeps its
/// date by it).
pub async fn change_contract(
    ex: &impl Exec,
    id: i64,
    expected: i64,
    f: &ContractFields,
    by: &VersionRecord<'_>,
    now: DateTime<Utc>,
) -> Result<Result<(), ChangeRefused>, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_contracts SET version = version + 1, fields = $3, number = $4, host_org_id = $5, \
                 pi_name = $6, signed_on = $7, starts_on = $8, ends_on = $9, state_budget = $10, total = $11, \
                 updated_at = $12 WHERE id = $1 AND version = $2 AND state IN ('under_way', 'suspended')",
            )
            .bind(id)
            .bind(expected)
            .bind(to_json(f))
            .bind(&f.number)
            .bind(f.host_org_id)
            .bind(&f.pi_name)
            .bind(f.signed_on)
            .bind(f.starts_on)
            .bind(f.ends_on)
            .bind(f.state_budget())
            .bind(f.total())
            .bind(now),
        )
        .await?;
    if n != 1 {
        return Ok(Err(ChangeRefused::Stale));
    }
    let old_m = milestones(ex, id).await?;
    let old_i = instalments(ex, id).await?;
    let below: Vec<(i64, i64)> = old_i
        .iter()
        .filter(|o| {
            let new_amount = usize::try_from(o.seq).ok().and_then(|s| f.instalments.get(s)).map_or(0, |i| i.amount);
            o.paid > new_amount
        })
        .map(|o| (o.seq, o.paid))
        .collect();
    if !below.is_empty() {
        return Ok(Err(ChangeRefused::BelowPaid(below)));
    }
    if let Some(dropped) =
        old_m.iter().filter(|o| o.done_on.is_some()).find(|o| !f.milestones.iter().any(|m| m.title == o.title))
    {
        return Ok(Err(ChangeRefused::ReachedMilestoneDropped(dropped.title.clone())));
    }
    add_version(ex, id, expected + 1, f, by, now).await?;
    write_schedule(ex, id, f, &old_m, &old_i).await?;
    Ok(Ok(()))
}

/// Locks the contract's row for the rest of the transaction (the schedule's writers all take it first, so
/// a change and a payment or a milestone reached are serialised); `false` unless it is under way or
/// suspended.
pub async fn lock_open(ex: &impl Exec, id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new("UPDATE st_contracts SET updated_at = $2 WHERE id = $1 AND state IN ('under_way', 'suspended')")
                .bind(id)
                .bind(now),
        )
        .await?;
    Ok(n == 1)
}

/// A version in the history.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VersionRow {
    /// Its number.
    pub version: i64,
    /// `signed` or the kind of change.
    pub kind: String,
    /// The fields (JSON).
    pub fields: String,
    /// The decision.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// When recorded.
    pub at: DateTime<Utc>,
    /// By whom.
    pub actor_name: String,
}

impl VersionRow {
    /// The fields of this version.
    pub fn contract(&self) -> Result<ContractFields, DbError> {
        from_json("st_contract_versions.fields", &self.fields)
    }
}

/// Every version, the newest first.
pub async fn versions(ex: &impl Exec, id: i64) -> Result<Vec<VersionRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT version, kind, fields, decision_symbol, decision_date, decision_signer, note, at, actor_name \
             FROM st_contract_versions WHERE contract_id = $1 ORDER BY version DESC",
        )
        .bind(id),
    )
    .await
}

/// A milestone with its date reached.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MilestoneRow {
    /// Its place in the contract (0-based).
    pub seq: i64,
    /// What is to be done.
    pub title: String,
    /// When.
    pub due_on: NaiveDate,
    /// The products it delivers.
    pub products: Option<String>,
    /// When it was reached.
    pub done_on: Option<NaiveDate>,
    /// The officer's note on it.
    pub done_note: Option<String>,
}

/// The milestones, by due date.
pub async fn milestones(ex: &impl Exec, id: i64) -> Result<Vec<MilestoneRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT seq, title, due_on, products, done_on, done_note FROM st_milestones WHERE contract_id = $1 \
             ORDER BY due_on, seq",
        )
        .bind(id),
    )
    .await
}

/// Marks a milestone reached; `false` when it was already, or is not there.
pub async fn reach_milestone(
    ex: &impl Exec,
    id: i64,
    seq: i64,
    on: NaiveDate,
    note: Option<&str>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_milestones SET done_on = $3, done_note = $4 WHERE contract_id = $1 AND seq = $2 \
                 AND done_on IS NULL",
            )
            .bind(id)
            .bind(seq)
            .bind(on)
            .bind(note.map(str::to_owned)),
        )
        .await?;
    Ok(n == 1)
}

/// An instalment with what was paid on it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct InstalmentRow {
    /// Its place (0-based).
    pub seq: i64,
    /// In đồng.
    pub amount: i64,
    /// When planned.
    pub due_on: NaiveDate,
    /// Its condition.
    pub condition: Option<String>,
    /// Paid on it.
    pub paid: i64,
}

/// The instalments, in order.
pub async fn instalments(ex: &impl Exec, id: i64) -> Result<Vec<InstalmentRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT seq, amount, due_on, condition, paid FROM st_instalments WHERE contract_id = $1 ORDER BY seq",
        )
        .bind(id),
    )
    .await
}

/// A payment to record.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    /// The instalment (0-based).
    pub seq: i64,
    /// In đồng.
    pub amount: i64,
    /// When paid.
    pub paid_on: NaiveDate,
    /// The voucher.
    pub voucher: Option<&'a str>,
    /// A note.
    pub note: Option<&'a str>,
    /// Who recorded it.
    pub by: Option<i64>,
}

/// Records a payment if it still fits its instalment and the commitment (checked again in the statement,
/// so two officers paying at once cannot both pass); `None` when it no longer fits, else its id.
pub async fn add_payment(
    ex: &impl Exec,
    id: i64,
    p: &NewPayment<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbError> {
    // The contract's row first, as a change takes it: the two are serialised, never deadlocked.
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_contracts SET paid = paid + $2, updated_at = $3 WHERE id = $1 AND paid + $2 <= state_budget \
                 AND state = 'under_way'",
            )
            .bind(id)
            .bind(p.amount)
            .bind(now),
        )
        .await?;
    if n != 1 {
        return Ok(None);
    }
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_instalments SET paid = paid + $3 WHERE contract_id = $1 AND seq = $2 AND paid + $3 <= amount",
            )
            .bind(id)
            .bind(p.seq)
            .bind(p.amount),
        )
        .await?;
    if n != 1 {
        return Ok(None);
    }
    let (pid,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_disbursements (contract_id, seq, amount, paid_on, voucher, note, recorded_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(id)
            .bind(p.seq)
            .bind(p.amount)
            .bind(p.paid_on)
            .bind(p.voucher.map(str::to_owned))
            .bind(p.note.map(str::to_owned))
            .bind(p.by)
            .bind(now),
        )
        .await?;
    Ok(Some(pid))
}

/// A payment made.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PaymentRow {
    /// Row id.
    pub id: i64,
    /// The instalment (0-based).
    pub seq: i64,
    /// In đồng.
    pub amount: i64,
    /// When paid.
    pub paid_on: NaiveDate,
    /// The voucher.
    pub voucher: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// The payments, in the order made.
pub async fn payments(ex: &impl Exec, id: i64) -> Result<Vec<PaymentRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, seq, amount, paid_on, voucher, note FROM st_disbursements WHERE contract_id = $1 \
             ORDER BY paid_on, id",
        )
        .bind(id),
    )
    .await
}

/// A step of the contract to record.
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    /// The action's code.
    pub action: &'a str,
    /// From.
    pub from: &'a str,
    /// To.
    pub to: &'a str,
    /// The account.
    pub actor_user_id: Option<i64>,
    /// Its name.
    pub actor_name: &'a str,
    /// The reason.
    pub note: Option<&'a str>,
    /// The decision.
    pub decision: Option<&'a Decision>,
    /// The amount to recover, on termination.
    pub amount: Option<i64>,
}

/// Moves the contract from `from` to the step's state and records the step; `false` when it was not in
/// `from` any more.
pub async fn take_step(ex: &impl Exec, id: i64, s: &NewStep<'_>, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_contracts SET state = $3, to_recover = COALESCE($4, to_recover), updated_at = $5 \
                 WHERE id = $1 AND state = $2",
            )
            .bind(id)
            .bind(s.from)
            .bind(s.to)
            .bind(s.amount)
            .bind(now),
        )
        .await?;
    if n != 1 {
        return Ok(false);
    }
    let d = s.decision;
    ex.execute(
        Query::new(
            "INSERT INTO st_contract_events (contract_id, action, from_state, to_state, at, actor_user_id, actor_name, \
             note, decision_symbol, decision_date, decision_signer, amount) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(s.action)
        .bind(s.from)
        .bind(s.to)
        .bind(now)
        .bind(s.actor_user_id)
        .bind(s.actor_name)
        .bind(s.note.map(str::to_owned))
        .bind(d.map(|d| d.symbol.clone()))
        .bind(d.map(|d| d.date))
        .bind(d.map(|d| d.signer.clone()))
        .bind(s.amount),
    )
    .await?;
    Ok(true)
}

/// A step taken.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StepRow {
    /// The action.
    pub action: String,
    /// From.
    pub from_state: String,
    /// To.
    pub to_state: String,
    /// When.
    pub at: DateTime<Utc>,
    /// By whom.
    pub actor_name: String,
    /// The reason.
    pub note: Option<String>,
    /// The decision.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
    /// The amount to recover.
    pub amount: Option<i64>,
}

/// The steps taken, the newest first.
pub async fn steps(ex: &impl Exec, id: i64) -> Result<Vec<StepRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT action, from_state, to_state, at, actor_name, note, decision_symbol, decision_date, \
             decision_signer, amount FROM st_contract_events WHERE contract_id = $1 ORDER BY id DESC",
        )
        .bind(id),
    )
    .await
}

/// An inspection.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct InspectionRow {
    /// Row id.
    pub id: i64,
    /// When held.
    pub held_on: NaiveDate,
    /// `on_track`, `late` or `breach`.
    pub result: String,
    /// The minutes' number and symbol.
    pub minutes_symbol: Option<String>,
    /// What was found.
    pub findings: String,
}

/// Records an inspection; its id.
pub async fn add_inspection(
    ex: &impl Exec,
    id: i64,
    i: &tiendo_core::sci_tech::implementation::Inspection,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (iid,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_inspections (contract_id, held_on, result, minutes_symbol, findings, recorded_by, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(id)
            .bind(i.held_on)
            .bind(i.result.code())
            .bind(i.minutes_symbol.clone())
            .bind(&i.findings)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(iid)
}

/// The inspections, the newest first.
pub async fn inspections(ex: &impl Exec, id: i64) -> Result<Vec<InspectionRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, held_on, result, minutes_symbol, findings FROM st_inspections WHERE contract_id = $1 \
             ORDER BY held_on DESC, id DESC",
        )
        .bind(id),
    )
    .await
}

/// Which contracts a reader may see: all (the department's staff, administrators) or those hosted by
/// organisations of the coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractScope {
    /// Every contract.
    pub all: bool,
    /// Else, the host organisations covered.
    pub hosts: Coverage,
}

impl ContractScope {
    /// Restricts a query on `st_contracts c` to the scope.
    pub(crate) fn push(&self, q: &mut Query) {
        if self.all {
            return;
        }
        match &self.hosts {
            Coverage::All => {}
            Coverage::Orgs(ids) if !ids.is_empty() => {
                q.push(" AND c.host_org_id IN (");
                push_ids(q, ids);
                q.push(")");
            }
            Coverage::Orgs(_) => {
                q.push(" AND 1 = 0");
            }
        }
    }
}

/// A row of the portfolio: a task under contract with its money and what is late on `today`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PortfolioRow {
    /// Row id.
    pub id: i64,
    /// The task's name.
    pub title: String,
    /// State code.
    pub state: String,
    /// The contract's number.
    pub number: String,
    /// The host's name.
    pub host_name: String,
    /// The principal investigator.
    pub pi_name: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The state budget.
    pub state_budget: i64,
    /// Paid.
    pub paid: i64,
    /// Milestones past due and not reached.
    pub late_milestones: i64,
    /// The next milestone not reached.
    pub next_due: Option<NaiveDate>,
    /// Instalments past their planned date and not fully paid.
    pub late_instalments: i64,
    /// Progress reports past due and not sent (tasks under way only).
    pub late_reports: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Filters of the portfolio.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortfolioFilter {
    /// Words of the title.
    pub q: Option<String>,
    /// One state.
    pub state: Option<String>,
    /// Only tasks with late milestones.
    pub late_only: bool,
}

/// The portfolio on `today`: every contract the scope covers with its money and what is late (for a task
/// still running: a task terminated, in acceptance or closed owes no milestone), the latest to end first.
/// Three grouped reads (milestones, instalments, progress reports), joined by contract.
pub async fn portfolio(
    ex: &impl Exec,
    scope: &ContractScope,
    filter: &PortfolioFilter,
    today: NaiveDate,
) -> Result<Vec<PortfolioRow>, DbError> {
    let mut q = Query::new(
        "SELECT c.id, c.title, c.state, c.number, o.name AS host_name, c.pi_name, c.starts_on, c.ends_on, \
         c.state_budget, c.paid, CASE WHEN c.state IN ('under_way', 'suspended') THEN COALESCE(m.late, 0) ELSE 0 END \
         AS late_milestones, CASE WHEN c.state IN ('under_way', 'suspended') THEN m.next_due END AS next_due, \
         CASE WHEN c.state = 'under_way' THEN COALESCE(i.late, 0) ELSE 0 END AS late_instalments, \
         CASE WHEN c.state = 'under_way' THEN COALESCE(r.late, 0) ELSE 0 END AS late_reports, c.is_sample \
         FROM st_contracts c \
         JOIN organizations o ON o.id = c.host_org_id \
         LEFT JOIN (SELECT contract_id, SUM(CASE WHEN due_on < ",
    );
    q.push_bind(today).push(
        " THEN 1 ELSE 0 END) AS late, MIN(due_on) AS next_due FROM st_milestones WHERE done_on IS NULL \
         GROUP BY contract_id) m ON m.contract_id = c.id \
         LEFT JOIN (SELECT contract_id, COUNT(*) AS late FROM st_instalments WHERE paid < amount AND due_on < ",
    );
    q.push_bind(today).push(
        " GROUP BY contract_id) i ON i.contract_id = c.id \
         LEFT JOIN (SELECT contract_id, COUNT(*) AS late FROM st_task_reports WHERE kind = 'progress' \
         AND status IN ('draft', 'returned') AND due_on < ",
    );
    q.push_bind(today).push(" GROUP BY contract_id) r ON r.contract_id = c.id WHERE 1 = 1");
    scope.push(&mut q);
    if let Some(words) = filter.q.as_deref().map(fold).filter(|w| !w.is_empty()) {
        q.push(" AND c.title_folded LIKE ").push_bind(format!("%{words}%"));
    }
    if let Some(state) = &filter.state {
        q.push(" AND c.state = ").push_bind(state.clone());
    }
    if filter.late_only {
        q.push(" AND c.state IN ('under_way', 'suspended') AND COALESCE(m.late, 0) > 0");
    }
    q.push(" ORDER BY c.ends_on DESC, c.id DESC");
    ex.fetch_all(q).await
}

/// The contracts of organisations (their page's list): id, title, state, the contract's end.
pub async fn contracts_hosted_by(ex: &impl Exec, org: i64) -> Result<Vec<(i64, String, String, NaiveDate)>, DbError> {
    ex.fetch_all(
        Query::new("SELECT id, title, state, ends_on FROM st_contracts WHERE host_org_id = $1 ORDER BY ends_on DESC")
            .bind(org),
    )
    .await
}
