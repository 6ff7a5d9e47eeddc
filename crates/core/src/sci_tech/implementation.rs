//! A task under contract (domain.md §2.3 stage C): its state, what moves it, who may, the money paid
//! against what was committed, and what is late. Rules only; the records are `tiendo_db::sci_tech`.
//!
//! The state is an enum with one transition function that takes the actor's powers, tested as a table;
//! the pages ask it for their buttons and the API for `permissions`.

use chrono::NaiveDate;

use super::Issue;
use super::contract::ContractFields;
use super::input::Checker;
use crate::authz::{Action, Actor, OrgId, Resource, authorize};

super::code_enum! {
    /// Where a task under contract stands.
    ContractState {
        /// Đang thực hiện: signed, the work goes on.
        UnderWay => "under_way",
        /// Tạm dừng: suspended by a decision, resumed by another.
        Suspended => "suspended",
        /// Chấm dứt hợp đồng: terminated for breach, infeasibility or force majeure; the funds to recover
        /// are recorded with it.
        Terminated => "terminated",
        /// Đang nghiệm thu: the host's internal acceptance held and its dossier submitted; the provincial
        /// acceptance council is to judge it.
        InAcceptance => "in_acceptance",
        /// Đã nghiệm thu, đạt: graded Xuất sắc, Khá or Đạt; the result is to be recognised and the contract
        /// liquidated.
        Accepted => "accepted",
        /// Không đạt: graded Không đạt; the funds are to be recovered, or the failure accepted as a risk.
        NotAccepted => "not_accepted",
        /// Đã thanh lý: the contract liquidated (and settled), the task closed.
        Closed => "closed",
    }
}

super::code_enum! {
    /// A step of a task under contract.
    ContractAction {
        /// Tạm dừng.
        Suspend => "suspend",
        /// Tiếp tục.
        Resume => "resume",
        /// Chấm dứt, with the amount to recover (thu hồi kinh phí).
        Terminate => "terminate",
        /// Nộp hồ sơ nghiệm thu: the host's internal acceptance and its dossier, recorded by the staff.
        SubmitDossier => "submit_dossier",
        /// Đánh giá, nghiệm thu: the provincial council's ratings and the grade the rules give.
        Evaluate => "evaluate",
        /// Thanh lý hợp đồng: on the decision recognising the result (or, for a task not accepted, the
        /// decision on the funds: recovered, or the failure accepted as a risk under the 2025 law), with
        /// the settlement.
        Liquidate => "liquidate",
    }
}

impl ContractAction {
    /// The state it leads to from `from`, if the step exists there.
    pub fn next(self, from: ContractState) -> Option<ContractState> {
        use ContractAction as A;
        use ContractState as S;
        match (self, from) {
            (A::Suspend, S::UnderWay) => Some(S::Suspended),
            (A::Resume, S::Suspended) => Some(S::UnderWay),
            (A::Terminate, S::UnderWay | S::Suspended) => Some(S::Terminated),
            (A::SubmitDossier, S::UnderWay) => Some(S::InAcceptance),
            // The grade decides between the two; `Accepted` stands for both here.
            (A::Evaluate, S::InAcceptance) => Some(S::Accepted),
            (A::Liquidate, S::Accepted | S::NotAccepted) => Some(S::Closed),
            _ => None,
        }
    }
}

impl ContractState {
    /// Whether the work goes on (instalments may be paid, milestones and reports are due).
    pub fn running(self) -> bool {
        self == ContractState::UnderWay
    }

    /// Whether the contract is still open to changes and records (neither terminated nor in acceptance
    /// or after it).
    pub fn open(self) -> bool {
        matches!(self, ContractState::UnderWay | ContractState::Suspended)
    }
}

/// What an actor may do with one task under contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContractPowers {
    /// Read it (the department's staff, the administrators, the host organisation's accounts).
    pub view: bool,
    /// Record payments, milestones reached, inspections (the department's staff).
    pub record: bool,
    /// Decide changes, extensions, suspension and termination (the department's leaders, who sign the
    /// decisions; the staff record the decisions they signed through the same form only with this power).
    pub decide: bool,
    /// Report progress (the host organisation).
    pub report: bool,
}

impl ContractPowers {
    /// The powers of `actor` on a contract whose host organisation is at `host_path`.
    pub fn of(actor: &Actor, host_path: &[OrgId]) -> ContractPowers {
        let resource = Resource::StContract { host_path };
        let may = |action| authorize(actor, action, &resource).is_allowed();
        ContractPowers {
            view: may(Action::View),
            record: may(Action::Review),
            decide: may(Action::Approve),
            report: may(Action::Submit),
        }
    }
}

/// Why a step of a task under contract is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractRefusal {
    /// The actor may not see the task (404).
    Hidden,
    /// Not from the current state (409).
    NotFromHere,
    /// Only the leaders take it (403).
    NotYours,
}

impl ContractAction {
    /// Whether the leaders take it (their decisions), rather than the staff recording what happened.
    pub fn decided(self) -> bool {
        matches!(
            self,
            ContractAction::Suspend | ContractAction::Resume | ContractAction::Terminate | ContractAction::Liquidate
        )
    }
}

/// The state `action` leads to from `state`, if the actor's powers take it.
pub fn check_contract_step(
    state: ContractState,
    action: ContractAction,
    powers: &ContractPowers,
) -> Result<ContractState, ContractRefusal> {
    if !powers.view {
        return Err(ContractRefusal::Hidden);
    }
    let next = action.next(state).ok_or(ContractRefusal::NotFromHere)?;
    let may = if action.decided() { powers.decide } else { powers.record };
    if may { Ok(next) } else { Err(ContractRefusal::NotYours) }
}

/// The steps the actor may take now.
pub fn contract_steps(state: ContractState, powers: &ContractPowers) -> Vec<ContractAction> {
    ContractAction::ALL.iter().copied().filter(|a| check_contract_step(state, *a, powers).is_ok()).collect()
}

/// Why a payment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentRefusal {
    /// Nothing is paid on a suspended or terminated contract.
    NotRunning,
    /// The instalment named is not in the contract.
    NoSuchInstalment,
    /// More than the instalment still owes (its amount less what was paid on it).
    BeyondInstalment {
        /// What the instalment still owes.
        remaining: i64,
    },
    /// More than the state budget committed still owes.
    BeyondCommitted {
        /// What the commitment still owes.
        remaining: i64,
    },
}

impl PaymentRefusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            PaymentRefusal::NotRunning => "contract_not_running",
            PaymentRefusal::NoSuchInstalment => "no_such_instalment",
            PaymentRefusal::BeyondInstalment { .. } => "payment_beyond_instalment",
            PaymentRefusal::BeyondCommitted { .. } => "payment_beyond_committed",
        }
    }
}

/// Checks a payment of `amount` on instalment `seq` (0-based) of `contract` in `state`, given what was paid
/// on each instalment so far (`paid[seq]`).
pub fn check_payment(
    contract: &ContractFields,
    state: ContractState,
    paid: &[i64],
    seq: usize,
    amount: i64,
) -> Result<(), PaymentRefusal> {
    if !state.running() {
        return Err(PaymentRefusal::NotRunning);
    }
    let instalment = contract.instalments.get(seq).ok_or(PaymentRefusal::NoSuchInstalment)?;
    let total_paid: i64 = paid.iter().sum();
    let committed_left = contract.state_budget() - total_paid;
    if amount > committed_left {
        return Err(PaymentRefusal::BeyondCommitted { remaining: committed_left.max(0) });
    }
    let left = instalment.amount - paid.get(seq).copied().unwrap_or(0);
    if amount > left {
        return Err(PaymentRefusal::BeyondInstalment { remaining: left.max(0) });
    }
    Ok(())
}

/// The share of the state budget paid below which a task is flagged as slow to disburse, when more than
/// [`LOW_DISBURSEMENT_ELAPSED`] of its time has passed (per mille).
pub const LOW_DISBURSEMENT_PAID: i64 = 500;
/// See [`LOW_DISBURSEMENT_PAID`] (per mille of the contract's days).
pub const LOW_DISBURSEMENT_ELAPSED: i64 = 750;

/// Whether a task has paid out too little for how far along it is: less than half of its state budget
/// after three quarters of its time (the leader's "low disbursement" risk).
pub fn low_disbursement(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    state_budget: i64,
    paid: i64,
    today: NaiveDate,
) -> bool {
    if state_budget <= 0 || today <= starts_on {
        return false;
    }
    let span = (ends_on - starts_on).num_days().max(1);
    let elapsed = (today - starts_on).num_days().min(span);
    elapsed * 1000 >= LOW_DISBURSEMENT_ELAPSED * span && paid * 1000 < LOW_DISBURSEMENT_PAID * state_budget
}

/// A payment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentDraft {
    /// The instalment's number as the page shows it (1-based).
    pub instalment: String,
    /// In đồng.
    pub amount: String,
    /// When paid.
    pub paid_on: String,
    /// The payment order or voucher.
    pub voucher: String,
    /// A note.
    pub note: String,
}

/// A checked payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The instalment (0-based).
    pub seq: usize,
    /// In đồng, positive.
    pub amount: i64,
    /// When paid (not after today).
    pub paid_on: NaiveDate,
    /// The voucher.
    pub voucher: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl PaymentDraft {
    /// Checks the form: an instalment, a positive amount, a date not after `today`.
    pub fn check(&self, today: NaiveDate) -> Result<Payment, Vec<Issue>> {
        let mut c = Checker::default();
        let seq = match self.instalment.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Some(n - 1),
            _ => {
                c.push(Issue::new("instalment", "required"));
                None
            }
        };
        let amount = c.money("amount", &self.amount, true);
        if amount == Some(0) {
            c.push(Issue::new("amount", "amount_positive"));
        }
        let paid_on = c.date("paid_on", &self.paid_on, true);
        if paid_on.is_some_and(|d| d > today) {
            c.push(Issue::new("paid_on", "date_future"));
        }
        let voucher = c.line("voucher", &self.voucher, 100, false);
        let note = c.text("note", &self.note, false);
        match (seq, amount, paid_on) {
            (Some(seq), Some(amount), Some(paid_on)) if c.issues.is_empty() => {
                Ok(Payment { seq, amount, paid_on, voucher, note })
            }
            _ => Err(c.issues),
        }
    }
}

super::code_enum! {
    /// The result of an inspection (kiểm tra định kỳ).
    InspectionResult {
        /// Đạt tiến độ.
        OnTrack => "on_track",
        /// Chậm tiến độ: to correct.
        Late => "late",
        /// Vi phạm: a serious breach (may lead to termination).
        Breach => "breach",
    }
}

/// An inspection as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionDraft {
    /// When held.
    pub held_on: String,
    /// The result's code.
    pub result: String,
    /// The minutes' number and symbol.
    pub minutes_symbol: String,
    /// What was found and asked.
    pub findings: String,
}

/// A checked inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// When held.
    pub held_on: NaiveDate,
    /// Result.
    pub result: InspectionResult,
    /// The minutes' symbol, as NĐ 30 writes it.
    pub minutes_symbol: Option<String>,
    /// Findings.
    pub findings: String,
}

impl InspectionDraft {
    /// Checks the form: a date not after `today`, a result, the findings, a well-formed symbol if any.
    pub fn check(&self, today: NaiveDate) -> Result<Inspection, Vec<Issue>> {
        let mut c = Checker::default();
        let held_on = c.date("held_on", &self.held_on, true);
        if held_on.is_some_and(|d| d > today) {
            c.push(Issue::new("held_on", "date_future"));
        }
        let result = InspectionResult::from_code(self.result.trim());
        if result.is_none() {
            c.push(Issue::new("result", "required"));
        }
        let minutes_symbol = c.line("minutes_symbol", &self.minutes_symbol, 60, false).and_then(|s| {
            match crate::monitoring::DocumentSymbol::parse(&s) {
                Ok(parsed) => Some(parsed.to_string()),
                Err(e) => {
                    c.push(Issue::new("minutes_symbol", e.code()).arg("part", e.part()));
                    None
                }
            }
        });
        let findings = c.text("findings", &self.findings, true);
        match (held_on, result, findings) {
            (Some(held_on), Some(result), Some(findings)) if c.issues.is_empty() => {
                Ok(Inspection { held_on, result, minutes_symbol, findings })
            }
            _ => Err(c.issues),
        }
    }
}

/// A step (suspend, resume, terminate) or a change of the contract as typed: the decision, a reason, and
/// on termination the amount to recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepDraft {
    /// The decision.
    pub decision: super::DecisionDraft,
    /// The reason.
    pub note: String,
    /// On termination: the funds to recover (thu hồi), in đồng.
    pub to_recover: String,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The decision.
    pub decision: super::Decision,
    /// The reason.
    pub note: Option<String>,
    /// The funds to recover.
    pub to_recover: Option<i64>,
}

impl StepDraft {
    /// Checks the decision (always required: every step and change rests on one), the reason (required
    /// for suspension and termination), and for a termination the amount to recover, at most `paid`.
    pub fn check(&self, action: Option<ContractAction>, paid: i64, today: NaiveDate) -> Result<Step, Vec<Issue>> {
        let mut c = Checker::default();
        let decision = super::decision::decision(&mut c, &self.decision, today);
        let note_required = matches!(action, Some(ContractAction::Suspend | ContractAction::Terminate));
        let note = c.text("note", &self.note, note_required);
        let to_recover = if action == Some(ContractAction::Terminate) {
            let amount = c.money("to_recover", &self.to_recover, true);
            if amount.is_some_and(|a| a > paid) {
                c.push(
                    Issue::new("to_recover", "recovery_beyond_paid")
                        .arg("paid", crate::fmt::money(paid, crate::lang::Lang::Vi)),
                );
            }
            amount
        } else {
            None
        };
        match decision {
            Some(decision) if c.issues.is_empty() => Ok(Step { decision, note, to_recover }),
            _ => Err(c.issues),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Role, Scope};

    const HOST: &[OrgId] = &[1, 40];

    fn powers(role: Role, scope: Scope) -> ContractPowers {
        ContractPowers::of(&Actor::user(3, vec![Grant { role, scope }]), HOST)
    }

    #[test]
    fn the_steps_of_a_contract_as_a_table() {
        use ContractAction as A;
        use ContractState as S;
        let table = [
            (S::UnderWay, A::Suspend, Some(S::Suspended)),
            (S::UnderWay, A::Resume, None),
            (S::UnderWay, A::Terminate, Some(S::Terminated)),
            (S::Suspended, A::Resume, Some(S::UnderWay)),
            (S::Suspended, A::Suspend, None),
            (S::Suspended, A::Terminate, Some(S::Terminated)),
            (S::Terminated, A::Resume, None),
            (S::Terminated, A::Terminate, None),
            (S::Terminated, A::Suspend, None),
            (S::UnderWay, A::SubmitDossier, Some(S::InAcceptance)),
            (S::Suspended, A::SubmitDossier, None),
            (S::InAcceptance, A::Evaluate, Some(S::Accepted)),
            (S::InAcceptance, A::Terminate, None),
            (S::Accepted, A::Liquidate, Some(S::Closed)),
            (S::NotAccepted, A::Liquidate, Some(S::Closed)),
            (S::Closed, A::Liquidate, None),
            (S::Terminated, A::SubmitDossier, None),
        ];
        for (from, action, to) in table {
            assert_eq!(action.next(from), to, "{from:?} {action:?}");
        }
    }

    #[test]
    fn who_may_do_what_with_a_contract() {
        let leader = powers(Role::DepartmentLeader, Scope::Province);
        let officer = powers(Role::DepartmentOfficer, Scope::Province);
        let host = powers(Role::PartnerOfficer, Scope::Organization(40));
        let other = powers(Role::PartnerOfficer, Scope::Organization(41));
        assert_eq!(leader, ContractPowers { view: true, record: true, decide: true, report: false });
        assert_eq!(officer, ContractPowers { view: true, record: true, decide: false, report: false });
        assert_eq!(host, ContractPowers { view: true, record: false, decide: false, report: true });
        assert_eq!(other, ContractPowers::default());
        assert_eq!(
            contract_steps(ContractState::UnderWay, &leader),
            [ContractAction::Suspend, ContractAction::Terminate, ContractAction::SubmitDossier]
        );
        assert_eq!(contract_steps(ContractState::UnderWay, &officer), [ContractAction::SubmitDossier]);
        assert_eq!(contract_steps(ContractState::InAcceptance, &officer), [ContractAction::Evaluate]);
        assert_eq!(contract_steps(ContractState::Accepted, &officer), []);
        assert_eq!(contract_steps(ContractState::Accepted, &leader), [ContractAction::Liquidate]);
        assert_eq!(contract_steps(ContractState::UnderWay, &host), [], "the host records nothing");
        assert_eq!(
            check_contract_step(ContractState::UnderWay, ContractAction::Terminate, &officer),
            Err(ContractRefusal::NotYours)
        );
        assert_eq!(
            check_contract_step(ContractState::UnderWay, ContractAction::Resume, &leader),
            Err(ContractRefusal::NotFromHere)
        );
        assert_eq!(
            check_contract_step(ContractState::UnderWay, ContractAction::Suspend, &other),
            Err(ContractRefusal::Hidden)
        );
    }

    #[test]
    fn a_payment_never_exceeds_its_instalment_nor_the_commitment() {
        let c = super::super::contract::tests_support::sample_fields();
        let state = ContractState::UnderWay;
        assert_eq!(check_payment(&c, state, &[0, 0, 0], 0, 500_000_000), Ok(()));
        assert_eq!(
            check_payment(&c, state, &[400_000_000, 0, 0], 0, 200_000_000),
            Err(PaymentRefusal::BeyondInstalment { remaining: 100_000_000 })
        );
        assert_eq!(
            check_payment(&c, state, &[500_000_000, 500_000_000, 150_000_000], 2, 100_000_000),
            Err(PaymentRefusal::BeyondCommitted { remaining: 50_000_000 })
        );
        assert_eq!(check_payment(&c, state, &[0, 0, 0], 3, 1), Err(PaymentRefusal::NoSuchInstalment));
        assert_eq!(check_payment(&c, ContractState::Suspended, &[0, 0, 0], 0, 1), Err(PaymentRefusal::NotRunning));
    }

    #[test]
    fn low_disbursement_is_half_the_money_after_three_quarters_of_the_time() {
        let d = |s: &str| crate::fmt::parse_date(s).unwrap();
        let (s, e) = (d("01/01/2025"), d("01/01/2026"));
        assert!(!low_disbursement(s, e, 1000, 0, d("01/06/2025")), "too early to say");
        assert!(low_disbursement(s, e, 1000, 499, d("01/11/2025")));
        assert!(!low_disbursement(s, e, 1000, 500, d("01/11/2025")));
        assert!(!low_disbursement(s, e, 0, 0, d("01/11/2025")), "nothing committed, nothing slow");
    }
}
