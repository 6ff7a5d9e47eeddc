//! Conclusions (kết luận) and directives (chỉ đạo): a conclusion is a task of the plan the visit owns; each
//! directive is a monitoring assignment of that task, so it is in every dashboard, list and reminder. The
//! assignment's rows are written through `tiendo_db::monitoring::assignments`, as monitoring writes them.

use std::collections::HashSet;

use chrono::NaiveDate;
use tiendo_core::lang::Lang;
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, VisitAction, check_conclusion, check_directive};
use tiendo_db::Tx;
use tiendo_db::monitoring::assignments::{self, NewAssignments};
use tiendo_db::orgtree;
use tiendo_db::visits::{self, Stop, Visit};

use super::access::open_for;
use super::read::deadline_in;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// A conclusion to record, with its directives (at least one).
#[derive(Debug, Clone, Default)]
pub struct NewConclusion {
    /// The stop it was taken at; `None` for the whole visit.
    pub stop_id: Option<i64>,
    /// What was concluded and the expected product.
    pub conclusion: ConclusionDraft,
    /// Its directives; their fields are named `directives[i].lead_id`, `directives[i].deadline`, ….
    pub directives: Vec<DirectiveDraft>,
}

/// The stop of the visit a conclusion is taken at, or `Invalid` (`stop_id`).
async fn stop_of(app: &App, visit: &Visit, stop_id: Option<i64>) -> Result<Option<Stop>> {
    let Some(stop_id) = stop_id else { return Ok(None) };
    match visits::stop(app.db(), stop_id).await? {
        Some(stop) if stop.visit_id == visit.id => Ok(Some(stop)),
        _ => Err(Error::invalid("stop_id", "invalid")),
    }
}

/// The organisations that exist, for checking ids sent.
async fn known_orgs(app: &App) -> Result<HashSet<i64>> {
    Ok(visits::org_choices(app.db()).await?.into_iter().map(|o| o.id).collect())
}

/// The problems of a directive: the rules of `tiendo_core::visits` and organisations that exist.
fn directive_problems(prefix: &str, d: &DirectiveDraft, day: NaiveDate, known: &HashSet<i64>) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = check_directive(prefix, d, day).into_iter().map(FieldError::from).collect();
    if d.lead_id.is_some_and(|l| !known.contains(&l)) {
        errors.push(FieldError::new(format!("{prefix}lead_id"), "unknown_organization"));
    }
    if d.coordinators.iter().any(|c| !known.contains(c)) {
        errors.push(FieldError::new(format!("{prefix}coordinators"), "unknown_organization"));
    }
    errors
}

/// Creates a directive (an assignment of the conclusion's task) and audits it. A directive of a sample
/// visit (the demonstration's) is sample data too.
async fn create_directive(
    app: &App,
    tx: &Tx,
    session: &Session,
    visit: &Visit,
    task: (i64, &str),
    d: &DirectiveDraft,
    assigned_on: NaiveDate,
) -> Result<i64> {
    let (Some(lead), Some(deadline)) = (d.lead_id, d.deadline) else {
        return Err(Error::internal(std::io::Error::other("a directive was written without its checks")));
    };
    let priority = if d.priority.trim().is_empty() { "normal".to_owned() } else { d.priority.trim().to_owned() };
    let origin = format!("visit:{}", visit.id);
    let new = NewAssignments {
        task_id: task.0,
        leads: vec![lead],
        coordinators: d.coordinators.iter().copied().filter(|c| *c != lead).collect(),
        deadline,
        priority,
        assigned_on,
        assigned_by: session.user_id(),
        source_document_id: None,
        origin: Some(origin.clone()),
        note: None,
        is_sample: visit.is_sample,
    };
    let ids = assignments::create(tx, &new, app.now()).await?;
    let id = ids.first().copied().ok_or_else(|| Error::internal(std::io::Error::other("no assignment created")))?;
    let lead_name = orgtree::name(tx, lead).await?.unwrap_or_default();
    let entry = Entry::new("create", "assignment", id, "audit-visit-directive-given")
        .arg("code", task.1)
        .arg("visit", &visit.title)
        .arg("lead", lead_name)
        .change("lead_org_id", None::<i64>, lead)
        .change("deadline", None::<String>, deadline_in(&Tr::new(Lang::Vi), &deadline))
        .change("origin", None::<String>, origin);
    audit::record(app, tx, session, entry).await?;
    Ok(id)
}

/// Records a conclusion taken at a stop (or for the whole visit) with its directives, in one
/// transaction; the conclusion's task id. `NotFound` when the actor may not see the visit, `Forbidden`
/// when they may not change it, `Invalid` naming every field at fault (`text`, `stop_id`, `directives`,
/// `directives[i].lead_id`, `directives[i].deadline`, …).
pub async fn add_conclusion(app: &App, session: &Session, visit_id: i64, input: &NewConclusion) -> Result<i64> {
    let visit = open_for(app, session, visit_id, VisitAction::AddConclusion).await?;
    let plan_id = visit.plan_id.ok_or_else(|| Error::internal(std::io::Error::other("a visit without its plan")))?;
    let stop = stop_of(app, &visit, input.stop_id).await?;
    let day = tiendo_core::visits::conclusion_day(stop.as_ref().map(|s| s.on_date), visit.ends_on);
    let checked = check_conclusion(&input.conclusion);
    let mut errors: Vec<FieldError> = match &checked {
        Ok(_) => Vec::new(),
        Err(issues) => issues.iter().cloned().map(FieldError::from).collect(),
    };
    if input.directives.is_empty() {
        errors.push(FieldError::new("directives", "required"));
    }
    let known = known_orgs(app).await?;
    for (i, d) in input.directives.iter().enumerate() {
        errors.extend(directive_problems(&format!("directives[{i}]."), d, day, &known));
    }
    let (text, product) = match checked {
        Ok(checked) if errors.is_empty() => checked,
        _ => return Err(Error::Invalid(errors)),
    };
    let tx = app.begin().await?;
    let task_id = visits::add_conclusion(&tx, visit.id, plan_id, input.stop_id, &text, product.as_deref()).await?;
    let code = visits::conclusion(&tx, task_id).await?.map(|c| c.code).unwrap_or_default();
    let entry = match &stop {
        Some(s) => Entry::new("add_conclusion", "visit", visit.id, "audit-visit-conclusion-added-at")
            .arg("code", &code)
            .arg("host", &s.host_name),
        None => Entry::new("add_conclusion", "visit", visit.id, "audit-visit-conclusion-added").arg("code", &code),
    };
    audit::record(app, &tx, session, entry.change("conclusion", None::<String>, &text)).await?;
    for d in &input.directives {
        create_directive(app, &tx, session, &visit, (task_id, &code), d, day).await?;
    }
    tx.commit().await?;
    Ok(task_id)
}

/// Gives one more directive for a conclusion of a visit; the assignment's id. Outcomes as for
/// [`add_conclusion`] (`NotFound` also for a conclusion of another visit); fields are named as in a
/// directive alone (`lead_id`, `deadline`, …).
pub async fn add_directive(
    app: &App,
    session: &Session,
    visit_id: i64,
    task_id: i64,
    directive: &DirectiveDraft,
) -> Result<i64> {
    let visit = open_for(app, session, visit_id, VisitAction::AddDirective).await?;
    let conclusion =
        visits::conclusion(app.db(), task_id).await?.filter(|c| c.visit_id == visit.id).ok_or(Error::NotFound)?;
    let stop = stop_of(app, &visit, conclusion.stop_id).await?;
    let day = tiendo_core::visits::conclusion_day(stop.map(|s| s.on_date), visit.ends_on);
    crate::check(directive_problems("", directive, day, &known_orgs(app).await?))?;
    let tx = app.begin().await?;
    let id = create_directive(app, &tx, session, &visit, (task_id, &conclusion.code), directive, day).await?;
    tx.commit().await?;
    Ok(id)
}
