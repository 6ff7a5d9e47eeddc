//! The end of a task under contract (issue 17 items 4 and 5): the host's dossier recorded (late by the
//! rule set's count), the provincial council's evaluation graded by the configured rules (a grade they do
//! not give is refused), the closing decision with the liquidation and settlement (for a task not
//! accepted: the funds recovered, or the failure accepted as a risk), the results registered and their
//! application by enterprises and localities.

use tiendo_core::sci_tech::acceptance::{ClosingDraft, DossierDraft, EvaluationDraft, RegistrationDraft, UseDraft};
use tiendo_core::sci_tech::grading::{Grade, RuleSets};
use tiendo_core::sci_tech::implementation::{ContractAction, ContractRefusal, ContractState, check_contract_step};
use tiendo_db::sci_tech::acceptance as stored;
use tiendo_db::sci_tech::contracts::{self as contracts_db, NewStep};

use super::contracts::{ENTITY, OpenedContract, open_contract};
use super::transitions::actor_name;
use crate::audit::{self, Entry};
use crate::message::Value;
use crate::{App, Error, FieldError, Result, Session};

fn invalid(issues: Vec<tiendo_core::sci_tech::Issue>) -> Error {
    Error::Invalid(issues.into_iter().map(FieldError::from).collect())
}

/// The ratings as stored: each product's ratings by criterion, the report's, the score, the lateness.
fn ratings_json(r: &tiendo_core::sci_tech::grading::Ratings) -> serde_json::Value {
    let products: Vec<serde_json::Value> = r
        .products
        .iter()
        .map(|p| {
            let criteria: Vec<serde_json::Value> = p
                .criteria
                .iter()
                .map(|c| serde_json::json!({"kind": c.kind.code(), "rating": c.rating.code(), "reached_percent": c.reached_percent}))
                .collect();
            serde_json::json!({"name": p.name, "criteria": criteria})
        })
        .collect();
    serde_json::json!({"products": products, "report": r.report.code(), "score": r.score, "days_late": r.days_late})
}

/// The state `action` leads to, or the refusal as the use cases say it.
pub(crate) fn step_to(opened: &OpenedContract, action: ContractAction) -> Result<ContractState> {
    let from = opened.state();
    check_contract_step(from, action, &opened.powers).map_err(|r| match r {
        ContractRefusal::Hidden => Error::NotFound,
        ContractRefusal::NotYours => Error::FORBIDDEN,
        ContractRefusal::NotFromHere => Error::Conflict {
            code: "transition_not_allowed",
            args: vec![
                ("state", format!("msg:st-contract-state-{}", from.code())),
                ("action", format!("msg:st-contract-action-{}", action.code())),
            ],
        },
    })
}

/// A move of the contract: the step, where it leads, and what it records.
struct Move<'a> {
    action: ContractAction,
    to: ContractState,
    decision: Option<&'a tiendo_core::sci_tech::Decision>,
    note: Option<&'a str>,
    amount: Option<i64>,
}

/// Records a state move of the contract with its event, or `contract_stale` when someone moved it first.
async fn move_to(app: &App, tx: &tiendo_db::Tx, session: &Session, opened: &OpenedContract, m: Move<'_>) -> Result<()> {
    let Move { action, to, decision, note, amount } = m;
    let name = actor_name(session);
    let step = NewStep {
        action: action.code(),
        from: opened.state().code(),
        to: to.code(),
        actor_user_id: session.user_id(),
        actor_name: &name,
        note,
        decision,
        amount,
    };
    if !contracts_db::take_step(tx, opened.contract.id, &step, app.now()).await? {
        return Err(Error::conflict("contract_stale"));
    }
    Ok(())
}

/// Records the host's internal acceptance and its dossier (the staff's). `Conflict`
/// `transition_not_allowed` for a task not under way (suspended, terminated, already in acceptance);
/// `Invalid` naming the dates, the minutes, the rule set.
pub async fn submit_dossier(app: &App, session: &Session, id: i64, draft: &DossierDraft) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    let to = step_to(&opened, ContractAction::SubmitDossier)?;
    let dossier = draft.check(&opened.fields, app.today()).map_err(invalid)?;
    let tx = app.begin().await?;
    // The state first: a second submission meanwhile is `contract_stale`, not a duplicate row.
    let m = Move { action: ContractAction::SubmitDossier, to, decision: None, note: None, amount: None };
    move_to(app, &tx, session, &opened, m).await?;
    stored::add_dossier(&tx, id, &dossier, app.now()).await?;
    let entry = Entry::new("submit_dossier", ENTITY, id, "audit-st-dossier")
        .arg("title", &opened.contract.title)
        .change("submitted_on", None::<String>, tiendo_core::fmt::date(dossier.submitted_on))
        .change("days_late", None::<i64>, i64::from(dossier.days_late));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the provincial council's evaluation (the staff's, from its minutes): the grade is the one the
/// task's rule set gives from the ratings and the dossier's lateness; a proposed grade the rules do not
/// give is `Invalid` (`grade_not_allowed`, naming the grade they give). The task is then accepted, or not.
pub async fn evaluate(app: &App, session: &Session, id: i64, draft: &EvaluationDraft) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    step_to(&opened, ContractAction::Evaluate)?;
    let acceptance = stored::acceptance(app.db(), id).await?.ok_or(Error::NotFound)?;
    let rules = RuleSets::standard();
    let rule_set = rules.get(&acceptance.rule_set).unwrap_or_else(|| rules.default_rule_set());
    let days_late = u32::try_from(acceptance.days_late).unwrap_or(u32::MAX);
    let evaluation =
        draft.check(&opened.fields, rule_set, days_late, acceptance.submitted_on, app.today()).map_err(invalid)?;
    let grade = evaluation.graded.grade;
    let to = if grade == Grade::Fail { ContractState::NotAccepted } else { ContractState::Accepted };
    let reasons: Vec<serde_json::Value> = evaluation
        .graded
        .reasons
        .iter()
        .map(|r| serde_json::json!({"code": r.code, "args": r.args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<std::collections::BTreeMap<_, _>>()}))
        .collect();
    let tx = app.begin().await?;
    let ratings = ratings_json(&evaluation.ratings).to_string();
    let reasons = serde_json::Value::Array(reasons).to_string();
    let record = stored::EvaluationRecord {
        ratings: &ratings,
        grade: grade.code(),
        reasons: &reasons,
        council_on: evaluation.held_on,
        council_minutes: &evaluation.minutes,
    };
    stored::set_evaluation(&tx, id, &record, app.now()).await?;
    let m =
        Move { action: ContractAction::Evaluate, to, decision: None, note: Some(&evaluation.minutes), amount: None };
    move_to(app, &tx, session, &opened, m).await?;
    let entry = Entry::new("evaluate", ENTITY, id, "audit-st-evaluated")
        .arg("title", &opened.contract.title)
        .named("grade", Value::Key(format!("st-grade-{}", grade.code())))
        .change("grade", None::<String>, grade.code());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the task on the leaders' decision: for a task accepted, the decision recognising its result and
/// the liquidation with the settlement; for a task not accepted, the funds to recover or the failure
/// accepted as a risk under the 2025 law. `Invalid` naming the decision, the settlement (at most what was
/// paid), the amount to recover.
pub async fn close(app: &App, session: &Session, id: i64, draft: &ClosingDraft) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    let to = step_to(&opened, ContractAction::Liquidate)?;
    let accepted = opened.state() == ContractState::Accepted;
    let closing = draft.check(accepted, opened.contract.paid, app.today()).map_err(invalid)?;
    let tx = app.begin().await?;
    stored::set_closing(
        &tx,
        id,
        &closing.decision,
        closing.spent,
        closing.risk_accepted,
        closing.note.as_deref(),
        app.now(),
    )
    .await?;
    let m = Move {
        action: ContractAction::Liquidate,
        to,
        decision: Some(&closing.decision),
        note: closing.note.as_deref(),
        amount: closing.to_recover,
    };
    move_to(app, &tx, session, &opened, m).await?;
    if accepted && let Some(a) = stored::acceptance(&tx, id).await? {
        super::task_reports::sync_application(&tx, app, &opened.contract, &a.rule_set, closing.decision.date).await?;
    }
    let mut entry = Entry::new("liquidate", ENTITY, id, "audit-st-closed")
        .arg("title", &opened.contract.title)
        .arg("decision", &closing.decision.symbol)
        .change("spent", None::<i64>, closing.spent);
    if let Some(amount) = closing.to_recover {
        entry = entry.change("to_recover", None::<i64>, amount);
    }
    if closing.risk_accepted {
        entry = entry.change("risk_accepted", None::<bool>, true);
    }
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Registers the results of a task accepted (the staff's): `Conflict` `results_not_accepted` before a
/// passing grade, `results_registered` the second time; `Invalid` for a number another task has.
pub async fn register_results(app: &App, session: &Session, id: i64, draft: &RegistrationDraft) -> Result<()> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.record {
        return Err(Error::FORBIDDEN);
    }
    let graded_pass = stored::acceptance(app.db(), id).await?.and_then(|a| a.grade).is_some_and(|g| g != "fail");
    if !graded_pass {
        return Err(Error::conflict("results_not_accepted"));
    }
    if stored::registration(app.db(), id).await?.is_some() {
        return Err(Error::conflict("results_registered"));
    }
    let r = draft.check(app.today()).map_err(invalid)?;
    if stored::number_taken(app.db(), &r.number).await? {
        return Err(Error::invalid("number", "registration_number_taken"));
    }
    let tx = app.begin().await?;
    match stored::register(&tx, id, &r.number, r.registered_on, r.rights_holder.as_deref(), app.now()).await {
        Ok(true) => {}
        Ok(false) => return Err(Error::conflict("results_registered")),
        // The number taken, or the results registered, by someone a moment ago.
        Err(tiendo_db::DbError::UniqueViolation { .. }) => return Err(Error::conflict("results_registered")),
        Err(e) => return Err(e.into()),
    }
    let entry = Entry::new("register", ENTITY, id, "audit-st-results-registered")
        .arg("title", &opened.contract.title)
        .arg("number", &r.number)
        .change("registered_on", None::<String>, tiendo_core::fmt::date(r.registered_on));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records an application of registered results by an organisation (the staff's, from the yearly report of
/// form 12). `Conflict` `results_not_registered` before the registration; `Invalid` naming the fields.
pub async fn add_use(app: &App, session: &Session, id: i64, draft: &UseDraft) -> Result<i64> {
    let opened = open_contract(app, session, id).await?;
    if !opened.powers.record {
        return Err(Error::FORBIDDEN);
    }
    if stored::registration(app.db(), id).await?.is_none() {
        return Err(Error::conflict("results_not_registered"));
    }
    let u = draft.check(app.today()).map_err(invalid)?;
    let Some(org) = tiendo_db::directory::organization(app.db(), u.org_id).await? else {
        return Err(Error::invalid("org_id", "invalid"));
    };
    let tx = app.begin().await?;
    let use_id = stored::add_use(&tx, id, &u, app.now()).await?;
    let entry = Entry::new("apply", ENTITY, id, "audit-st-result-applied")
        .arg("title", &opened.contract.title)
        .arg("org", &org.name)
        .change("from_on", None::<String>, tiendo_core::fmt::date(u.from_on));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(use_id)
}
