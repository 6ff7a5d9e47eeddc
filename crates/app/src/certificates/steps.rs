//! Taking a step of the processing: checked against the actor's powers and the current state, what it
//! records checked against what it asks (a note, the decision document, the certificate's number), the
//! dossier checked as the legal basis asks when the enterprise sends it, then the state moved, the step
//! added to the timeline (a decision after the clock ran out recorded as late), the certificate issued,
//! audited, and the other side told.

use tiendo_core::certificates::{
    Clock, Conditions, Machine, Side, StepDraft, StepInput, TransitionDef, VersionKind, check_step,
};
use tiendo_db::Tx;
use tiendo_db::certificates::{self as stored, NewCertificate, NewEvent};

use super::access::{OpenedApplication, open_application, pauses_of};
use super::applications::{check_tax_code, draft_of};
use super::entity;
use crate::audit::{self, Entry};
use crate::message::{Message, Notice, Value};
use crate::{App, Error, FieldError, Result, Session};

/// The arguments of `transition_not_allowed`: the state and the action, as messages.
fn args(state: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![("state", format!("msg:cert-state-{state}")), ("action", format!("msg:cert-action-{action}"))]
}

/// Takes a step on an application. `NotFound` when the actor may not see it; `Conflict`
/// `transition_not_allowed` when the machine has no such step from the current state (naming both),
/// `transition_stale` when someone moved it meanwhile; `Forbidden` when another side takes this step;
/// `Invalid` naming every field at fault (the note, the decision, the number; the dossier and the
/// checklist's documents when the enterprise sends it). A decision after the clock ran out is taken and
/// recorded as late. Nothing is written when anything is refused.
pub async fn step(app: &App, session: &Session, id: i64, draft: &StepDraft) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    let machine = Machine::standard();
    let a = &opened.application;
    let action = draft.action.trim();
    let def = machine
        .find(&a.state, action)
        .ok_or_else(|| Error::Conflict { code: "cert_step_not_allowed", args: args(&a.state, action) })?;
    if !opened.powers.takes(def.by) {
        return Err(Error::FORBIDDEN);
    }
    let today = app.today();
    let conditions = Conditions::standard();
    let basis = a
        .basis
        .or_else(|| conditions.basis_on(today))
        .ok_or(Error::Conflict { code: "no_legal_basis", args: vec![("date", tiendo_core::fmt::date(today))] })?;
    if def.by == Side::Owner && def.action != "withdraw" {
        let fields = draft_of(a)
            .validate_for_submission(basis, a.received_on.unwrap_or(today))
            .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
        check_tax_code(app, a.org_id, &fields).await?;
        let files = stored::files(app.db(), id).await?;
        let missing: Vec<FieldError> = conditions
            .documents(basis)
            .filter(|d| d.required && !files.iter().any(|f| f.document.as_deref() == Some(d.code.as_str())))
            .map(|d| {
                FieldError::new("documents", "document_missing").arg("document", format!("msg:cert-doc-{}", d.code))
            })
            .collect();
        crate::check(missing)?;
    }
    let input = check_step(def, draft, today)
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let late = machine.state(&def.to).is_some_and(|s| s.terminal)
        && def.by != Side::Owner
        && a.received_on.is_some_and(|r| Clock::new(machine.clock()).is_late(r, &pauses_of(&opened.events), today));
    let tx = app.begin().await?;
    let received = (a.state == tiendo_core::certificates::DRAFT).then_some((today, basis));
    if !stored::move_state(&tx, id, &a.state, &def.to, received, app.now()).await? {
        return Err(Error::conflict("cert_stale"));
    }
    apply(app, &tx, session, &opened, def, &input, late).await?;
    tx.commit().await?;
    Ok(())
}

async fn apply(
    app: &App,
    tx: &Tx,
    session: &Session,
    opened: &OpenedApplication,
    def: &TransitionDef,
    input: &StepInput,
    late: bool,
) -> Result<()> {
    let a = &opened.application;
    let today = app.today();
    let name = crate::sci_tech::actor_name(session);
    let event = NewEvent {
        action: &def.action,
        from: &a.state,
        to: &def.to,
        on_day: today,
        actor_user_id: session.user_id(),
        actor_name: &name,
        note: input.note.as_deref(),
        decision: input.decision.as_ref(),
        late,
    };
    stored::add_event(tx, a.id, &event, app.now()).await?;
    let mut entry = Entry::new("cert_step", entity::APPLICATION, a.id, "audit-cert-step")
        .arg("name", &a.fields.enterprise_name)
        .named("action", Value::Key(format!("cert-action-{}", def.action)))
        .change("state", &a.state, &def.to);
    if late {
        entry = entry.change("late", false, true);
    }
    audit::record(app, tx, session, entry).await?;
    if machine_terminal(def) && def.by != Side::Owner {
        stored::set_decided(tx, a.id, today, late).await?;
    }
    if def.certificate {
        issue(app, tx, session, opened, input).await?;
    }
    tell(app, tx, opened, def, input).await
}

fn machine_terminal(def: &TransitionDef) -> bool {
    Machine::standard().state(&def.to).is_some_and(|s| s.terminal)
}

/// Records the certificate issued on an application: its number, the decision's day, the results and
/// products of the dossier; assigns the enterprise the yearly report's form.
async fn issue(app: &App, tx: &Tx, session: &Session, opened: &OpenedApplication, input: &StepInput) -> Result<()> {
    let a = &opened.application;
    let (Some(number), Some(decision)) = (&input.number, &input.decision) else {
        return Err(Error::invalid("number", "required"));
    };
    let tax_code = a.fields.tax_code.as_ref().map(|t| t.as_str().to_owned()).unwrap_or_default();
    let basis = a.basis.map_or("", |b| b.code());
    let new = NewCertificate {
        application_id: a.id,
        org_id: a.org_id,
        number,
        issued_on: decision.date,
        version: 1,
        kind: VersionKind::Original,
        previous_id: None,
        basis,
        enterprise_name: &a.fields.enterprise_name,
        tax_code: &tax_code,
        address: a.fields.address.as_deref(),
        results: &a.fields.results,
        products: &a.fields.products,
        decision_symbol: Some(&decision.symbol),
        signer: Some(&decision.signer),
        note: None,
        is_sample: a.is_sample,
    };
    let id = stored::create_certificate(tx, &new, app.now()).await?;
    let entry = Entry::new("create", entity::CERTIFICATE, id, "audit-cert-issued")
        .arg("number", number)
        .arg("name", &a.fields.enterprise_name)
        .change("number", None::<String>, number)
        .change("status", None::<String>, "in_force");
    audit::record(app, tx, session, entry).await?;
    // From now on the enterprise reports each year through the reporting engine.
    super::yearly::assign(app, tx, session, a.org_id, &a.fields.enterprise_name).await
}

/// Tells the other side: the enterprise of the department's steps, with the note; nobody of its own.
async fn tell(app: &App, tx: &Tx, opened: &OpenedApplication, def: &TransitionDef, input: &StepInput) -> Result<()> {
    if def.by == Side::Owner {
        return Ok(());
    }
    let a = &opened.application;
    let title = Message::key("notify-cert-step")
        .data("name", &a.fields.enterprise_name)
        .named("state", &format!("cert-state-{}", def.to));
    let mut body = Message::default();
    if let Some(note) = &input.note {
        body = body.push_text(note);
    }
    let notice = Notice::new(title, body);
    let link = format!("/certificates/applications/{}", a.id);
    for (user, email) in stored::applicants_of(tx, &opened.owner_path).await? {
        crate::sci_tech::notify_one(app, tx, user, email, "cert_step", &notice, &link).await?;
    }
    Ok(())
}
