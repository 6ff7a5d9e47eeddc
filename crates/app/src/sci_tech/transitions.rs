//! Taking a transition of the machine: checked against the actor's powers and the current state, what it
//! records checked against what it asks (the decision document, a note, screening reasons, the mode), then
//! the state moved, the event added to the timeline (with the signed decision's file, if given), audited,
//! and the proposing side told. Someone who decided first makes the second a conflict, never a second move.

use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::{
    Machine, ProposalDraft, Refusal, Side, TransitionDef, TransitionDraft, TransitionInput, check_transition,
    check_transition_input,
};
use tiendo_db::Tx;
use tiendo_db::sci_tech::{self as stored, NewEvent, Proposal};

use super::access::open_proposal;
use super::entity;
use super::files::{Upload, checked_upload, store_upload};
use super::proposals::{ProposalSave, check_form, require_open};
use crate::audit::{self, Entry};
use crate::message::{Message, Notice, Value};
use crate::{App, Error, Result, Session, Tr};

/// A transition asked by a page or the API.
#[derive(Debug, Clone, Default)]
pub struct TransitionRequest {
    /// What was typed.
    pub draft: TransitionDraft,
    /// The signed decision, when one was attached.
    pub file: Option<Upload>,
}

/// The name the timeline shows for the session's account.
pub(crate) fn actor_name(session: &Session) -> String {
    session.user.as_ref().map_or_else(|| Tr::new(Lang::Vi).t("st-actor-system"), |u| u.display_name.clone())
}

/// The arguments of `transition_not_allowed`: the state and the action, as messages the reader's language
/// renders.
pub(crate) fn args(state: &str, action: &str) -> Vec<(&'static str, String)> {
    vec![("state", format!("msg:st-state-{state}")), ("action", format!("msg:st-action-{action}"))]
}

/// The typed form of a stored proposal, as the edit form starts and as sending it checks it.
pub fn draft_of(p: &Proposal) -> ProposalDraft {
    use tiendo_core::sci_tech::{BudgetLineDraft, ProductDraft, TeamMemberDraft};
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    ProposalDraft {
        title: p.title.clone(),
        field: text(&p.field),
        urgency: text(&p.urgency),
        objectives: text(&p.objectives),
        content: text(&p.content),
        products: p
            .products
            .iter()
            .map(|x| ProductDraft {
                name: x.name.clone(),
                unit: x.unit.clone(),
                quantity: x.quantity_text(Lang::Vi),
                requirements: text(&x.requirements),
            })
            .collect(),
        duration_months: number(p.duration_months),
        budget_total: number(p.budget_total),
        budget: p
            .budget
            .iter()
            .map(|l| BudgetLineDraft { source: l.source.code().to_owned(), amount: l.amount.to_string() })
            .collect(),
        proposer_kind: p.proposer_kind.code().to_owned(),
        proposer_name: text(&p.proposer_name),
        contact_name: text(&p.contact_name),
        contact_phone: text(&p.contact_phone),
        contact_email: text(&p.contact_email),
        host_name: text(&p.host_name),
        pi_name: text(&p.pi_name),
        team: p.team.iter().map(|m| TeamMemberDraft { name: m.name.clone(), role: text(&m.role) }).collect(),
    }
}

/// Takes a transition on a proposal. `NotFound` when the actor may not see it; `Conflict`
/// `transition_not_allowed` when the machine has no such step from the current state (naming both),
/// `transition_stale` when someone moved it meanwhile, `call_closed` when sending after the deadline;
/// `Forbidden` when another side takes this step; `Invalid` naming every field at fault (the decision
/// document, the note, the reasons, the mode; the form itself when it is being sent). Nothing is written
/// when anything is refused.
pub async fn transition(app: &App, session: &Session, id: i64, request: TransitionRequest) -> Result<()> {
    let opened = open_proposal(app, session, id).await?;
    let machine = Machine::standard();
    let p = &opened.proposal;
    let action = request.draft.action.trim();
    let def =
        check_transition(machine, p.route, &p.state, action, &opened.powers).map_err(|refusal| match refusal {
            Refusal::Hidden => Error::NotFound,
            Refusal::NotFromHere => Error::Conflict { code: "transition_not_allowed", args: args(&p.state, action) },
            Refusal::NotYours => Error::FORBIDDEN,
        })?;
    if def.by == Side::Owner {
        let call = stored::call(app.db(), p.call_id).await?.ok_or(Error::NotFound)?;
        if p.state == tiendo_core::sci_tech::DRAFT {
            require_open(app, &call)?;
        }
        check_form(&draft_of(p), &call, ProposalSave::Send)?;
    }
    let mut errors: Vec<crate::FieldError> = Vec::new();
    let input = match check_transition_input(machine, def, &request.draft, app.today()) {
        Ok(input) => Some(input),
        Err(issues) => {
            errors.extend(issues.into_iter().map(crate::FieldError::from));
            None
        }
    };
    let file = match request.file {
        Some(upload) => match checked_upload(upload) {
            Ok(checked) => Some(checked),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        None => None,
    };
    crate::check(errors)?;
    let input =
        input.ok_or_else(|| Error::internal(std::io::Error::other("a transition was checked without input")))?;
    let stored_file = match &file {
        Some(f) => Some(store_upload(app, f).await?),
        None => None,
    };
    let tx = app.begin().await?;
    let event = apply(app, &tx, session, p, def, &input, None).await?;
    if let Some((sha, upload)) = stored_file.as_ref().zip(file.as_ref()) {
        let attachment = super::files::record_upload(&tx, sha, upload, session.user_id()).await?;
        let title = input.decision.as_ref().map(|d| d.symbol.clone());
        stored::add_file(&tx, p.id, Some(event), attachment, title.as_deref(), session.user_id(), app.now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves the proposal, records the event, the mode, the audit entry, the consequences (an approved
/// dossier assigns its listed task) and the notifications, inside `tx`; the event's id. `council` names
/// the council whose closing takes it, if any.
pub(crate) async fn apply(
    app: &App,
    tx: &Tx,
    session: &Session,
    p: &Proposal,
    def: &'static TransitionDef,
    input: &TransitionInput,
    council: Option<&str>,
) -> Result<i64> {
    let now = app.now();
    if !stored::move_state(tx, p.id, &p.state, &def.to, now).await? {
        return Err(Error::conflict("transition_stale"));
    }
    let name = actor_name(session);
    let note = match (council, &input.note) {
        (Some(c), Some(n)) => Some(format!("{c}\n{n}")),
        (Some(c), None) => Some(c.to_owned()),
        (None, n) => n.clone(),
    };
    let event = NewEvent {
        action: &def.action,
        from: &p.state,
        to: &def.to,
        actor_user_id: session.user_id(),
        actor_name: &name,
        note: note.as_deref(),
        reasons: &input.reasons,
        decision: input.decision.as_ref(),
    };
    let event_id = stored::add_event(tx, p.id, &event, now).await?;
    if let Some(mode) = input.mode {
        stored::set_mode(tx, p.id, mode.code()).await?;
    }
    let mut entry = Entry::new(def.action.as_str(), entity::PROPOSAL, p.id, "audit-st-transition")
        .arg("title", &p.title)
        .named("action", Value::Key(format!("action-{}", def.action)))
        .change("state", &p.state, &def.to);
    if let Some(d) = &input.decision {
        entry = entry.change("decision", None::<String>, format!("{} ({})", d.symbol, tiendo_core::fmt::date(d.date)));
    }
    if !input.reasons.is_empty() {
        entry = entry.change("reasons", None::<String>, input.reasons.join(" "));
    }
    audit::record(app, tx, session, entry).await?;
    if def.action == "approve"
        && let Some(listed) = p.listed_id
    {
        assign_listed(app, tx, session, listed, p, input).await?;
    }
    if def.by != Side::Owner {
        tell_owners(app, tx, p, def, input).await?;
    }
    Ok(event_id)
}

/// The listed task a dossier answered is assigned once the dossier is approved (taken by the system, with
/// the approval's decision).
async fn assign_listed(
    app: &App,
    tx: &Tx,
    session: &Session,
    listed: i64,
    dossier: &Proposal,
    input: &TransitionInput,
) -> Result<()> {
    let machine = Machine::standard();
    let Some(task) = stored::proposal(tx, listed).await? else { return Ok(()) };
    let Some(def) = machine.find(task.route, &task.state, "assign") else { return Ok(()) };
    if !stored::move_state(tx, listed, &task.state, &def.to, app.now()).await? {
        return Err(Error::conflict("transition_stale"));
    }
    let note =
        Tr::new(Lang::Vi).t_with("st-assigned-note", &[("dossier", &dossier.title), ("host", &dossier.proposer())]);
    let name = actor_name(session);
    let event = NewEvent {
        action: &def.action,
        from: &task.state,
        to: &def.to,
        actor_user_id: session.user_id(),
        actor_name: &name,
        note: Some(&note),
        reasons: &[],
        decision: input.decision.as_ref(),
    };
    stored::add_event(tx, listed, &event, app.now()).await?;
    let entry = Entry::new("assign", entity::PROPOSAL, listed, "audit-st-transition")
        .arg("title", &task.title)
        .named("action", Value::Key("action-assign".to_owned()))
        .change("state", &task.state, &def.to);
    audit::record(app, tx, session, entry).await?;
    Ok(())
}

/// Tells the proposing side of a decision: what was decided, the reasons, the note, the decision's symbol.
async fn tell_owners(app: &App, tx: &Tx, p: &Proposal, def: &TransitionDef, input: &TransitionInput) -> Result<()> {
    let path = match p.proposer_org_id {
        Some(org) => tiendo_db::orgtree::path(tx, org).await?,
        None => Vec::new(),
    };
    let title =
        Message::key("notify-st-decision").data("title", &p.title).named("state", &format!("st-state-{}", def.to));
    let mut body = Message::default();
    if !input.reasons.is_empty() {
        body = body.line("notify-st-reasons");
        for r in &input.reasons {
            body = body.line(&format!("st-reason-{r}"));
        }
    }
    if let Some(note) = &input.note {
        body = body.push_text(note);
    }
    if let Some(d) = &input.decision {
        body = body.line("notify-st-decision-document").data("symbol", &d.symbol).date("date", d.date);
    }
    let notice = Notice::new(title, body);
    let link = format!("/proposals/{}", p.id);
    for (user, email) in stored::owners_of(tx, &path, p.author_id).await? {
        super::notify::send(app, tx, user, email, "st_decision", &notice, &link).await?;
    }
    Ok(())
}
