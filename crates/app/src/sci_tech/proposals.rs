//! Writing a proposal or a dossier: a draft kept with whatever was typed (each value well formed), sent
//! once complete and before the call's deadline (to the minute), changed again while the department asks
//! for revisions; deleted while a draft.

use tiendo_core::authz::{Action, Resource, Role, authorize};
use tiendo_core::sci_tech::{CallPhase, Machine, ProposalDraft, ProposalFields, ProposerKind, Side, TransitionInput};
use tiendo_db::audit::Diff;
use tiendo_db::directory::{Listed, Page};
use tiendo_db::sci_tech::{self as stored, Call, Proposal, ProposalFilter, ProposalRecord, ProposalSummary};

use super::access::{open_call, open_proposal};
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// What saving the form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalSave {
    /// Keep it as it is (a draft, or revisions in progress).
    Keep,
    /// Keep it and send it (submit, or submit the revisions): it must then be complete.
    Send,
}

/// `Conflict` unless the call receives proposals at this instant: `call_not_open` before its opening,
/// `call_closed` from its deadline on (to the minute), both naming the time in Vietnam.
pub(crate) fn require_open(app: &App, call: &Call) -> Result<()> {
    match call.phase(app.now()) {
        CallPhase::Open => Ok(()),
        CallPhase::Closed => Err(Error::Conflict {
            code: "call_closed",
            args: vec![("deadline", tiendo_core::fmt::datetime(call.closes_at))],
        }),
        CallPhase::Upcoming | CallPhase::Draft => Err(Error::Conflict {
            code: "call_not_open",
            args: vec![("opens", tiendo_core::fmt::datetime(call.opens_at))],
        }),
    }
}

fn invalid(issues: Vec<tiendo_core::sci_tech::Issue>) -> Error {
    Error::Invalid(issues.into_iter().map(FieldError::from).collect())
}

/// Checks the form at the level `save` asks.
pub(crate) fn check_form(draft: &ProposalDraft, call: &Call, save: ProposalSave) -> Result<ProposalFields> {
    let fields = call.field_list();
    match save {
        ProposalSave::Keep => draft.validate_draft(&fields),
        ProposalSave::Send => draft.validate_for_submission(&fields),
    }
    .map_err(invalid)
}

/// The organisation the actor proposes for: the account's own, else the one organisation its proposing
/// grants name (an officer of a unit acting without an account of their own).
fn own_org(session: &Session) -> Option<i64> {
    session.user.as_ref().and_then(|u| u.organization_id).or_else(|| {
        let orgs: Vec<i64> = session
            .actor
            .grants
            .iter()
            .filter(|g| g.role.proposes())
            .filter_map(|g| match g.scope {
                tiendo_core::authz::Scope::Organization(org) | tiendo_core::authz::Scope::Subtree(org) => Some(org),
                tiendo_core::authz::Scope::Province => None,
            })
            .collect();
        match orgs.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    })
}

/// Finds the team's members in the directory (a name several people bear, or nobody, stays a name).
async fn resolve_team(app: &App, fields: &mut ProposalFields) -> Result<()> {
    for member in &mut fields.team {
        let found = tiendo_db::visits::people_named(app.db(), &member.name).await?;
        member.person_id = match found.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
    }
    Ok(())
}

/// Starts a proposal (or a dossier) answering a call; its id. With [`ProposalSave::Send`] it is sent at
/// once. `NotFound` when the call is not one the actor may see; `Forbidden` unless the actor proposes for
/// an organisation or as an individual (`not_invited` for an invitation addressed to another
/// organisation); `Conflict` `call_not_open` or `call_closed`; `Invalid` naming every field at fault
/// (`proposer_org_missing` for an organisation's proposal by an account without one). Nothing is written
/// when anything is refused.
pub async fn create_proposal(
    app: &App,
    session: &Session,
    call_id: i64,
    draft: &ProposalDraft,
    save: ProposalSave,
) -> Result<i64> {
    let call = open_call(app, session, call_id).await?.call;
    let may = Resource::Proposal { owner_path: &[], actor_is_author: true, submitted: false, open_to_owner: true };
    if !authorize(&session.actor, Action::Create, &may).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let scope = session.scope(app).await?;
    if let Some(invited) = call.invited_org_id
        && !scope.coverage(Role::proposes).covers(invited)
    {
        return Err(Error::Forbidden { code: "not_invited" });
    }
    require_open(app, &call)?;
    let mut fields = check_form(draft, &call, save)?;
    let proposer_org_id = match fields.proposer_kind {
        ProposerKind::Individual => None,
        _ => match call.invited_org_id.or_else(|| own_org(session)) {
            Some(org) if scope.coverage(Role::proposes).covers(org) => Some(org),
            _ => return Err(Error::invalid("proposer_kind", "proposer_org_missing")),
        },
    };
    resolve_team(app, &mut fields).await?;
    let record = ProposalRecord {
        call_id,
        fields,
        proposer_org_id,
        author_id: session.user_id(),
        listed_id: call.listed_id,
        is_sample: call.is_sample,
    };
    let tx = app.begin().await?;
    let id = stored::create_proposal(&tx, &record, app.now()).await?;
    let f = &record.fields;
    let entry = Entry::new("create", entity::PROPOSAL, id, "audit-st-proposal-created")
        .arg("title", &f.title)
        .arg("call", &call.title)
        .change("title", None::<String>, &f.title)
        .change("budget_total", None::<i64>, f.budget_total);
    audit::record(app, &tx, session, entry).await?;
    if save == ProposalSave::Send {
        let proposal = stored::proposal(&tx, id).await?.ok_or(Error::NotFound)?;
        send(app, &tx, session, &proposal).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Takes the proposing side's transition out of the current state (submit, or submit the revisions).
async fn send(app: &App, tx: &tiendo_db::Tx, session: &Session, proposal: &Proposal) -> Result<()> {
    let machine = Machine::standard();
    let def =
        machine.leaving(proposal.route, &proposal.state).find(|t| t.by == Side::Owner).ok_or(Error::Conflict {
            code: "transition_not_allowed",
            args: super::transitions::args(&proposal.state, "submit"),
        })?;
    let input = TransitionInput { note: None, reasons: Vec::new(), mode: None, decision: None };
    super::transitions::apply(app, tx, session, proposal, def, &input, None).await?;
    Ok(())
}

/// Saves the form of a proposal the actor may change (a draft before the deadline, or revisions asked);
/// with [`ProposalSave::Send`] it is then sent. `NotFound`, `Forbidden` (someone else's, or not open to
/// changes), `Conflict` `call_closed` for a draft after the deadline, `Invalid` naming every field at
/// fault. Nothing is written when anything is refused.
pub async fn save_proposal(
    app: &App,
    session: &Session,
    id: i64,
    draft: &ProposalDraft,
    save: ProposalSave,
) -> Result<()> {
    let opened = open_proposal(app, session, id).await?;
    opened.require_edit()?;
    let before = &opened.proposal;
    let call = stored::call(app.db(), before.call_id).await?.ok_or(Error::NotFound)?;
    if opened.state.code == tiendo_core::sci_tech::DRAFT {
        require_open(app, &call)?;
    }
    let mut fields = check_form(draft, &call, save)?;
    if fields.proposer_kind == ProposerKind::Individual && before.proposer_org_id.is_some()
        || fields.proposer_kind != ProposerKind::Individual && before.proposer_org_id.is_none()
    {
        return Err(Error::invalid("proposer_kind", "proposer_kind_fixed"));
    }
    resolve_team(app, &mut fields).await?;
    let tx = app.begin().await?;
    stored::update_proposal(&tx, id, &fields, app.now()).await?;
    let diff = changes(before, &fields);
    if !diff.is_empty() {
        let entry = Entry::new("update", entity::PROPOSAL, id, "audit-st-proposal-updated")
            .arg("title", &fields.title)
            .changes(diff.into_changes());
        audit::record(app, &tx, session, entry).await?;
    }
    if save == ProposalSave::Send {
        let proposal = stored::proposal(&tx, id).await?.ok_or(Error::NotFound)?;
        send(app, &tx, session, &proposal).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn changes(before: &Proposal, after: &ProposalFields) -> Diff {
    let mut diff = Diff::new();
    diff.field("title", &before.title, &after.title)
        .field("field", &before.field, &after.field)
        .field("urgency", &before.urgency, &after.urgency)
        .field("objectives", &before.objectives, &after.objectives)
        .field("content", &before.content, &after.content)
        .field("products", &before.products, &after.products)
        .field("duration_months", &before.duration_months, &after.duration_months)
        .field("budget_total", &before.budget_total, &after.budget_total)
        .field("budget", &before.budget, &after.budget)
        .field("proposer_name", &before.proposer_name, &after.proposer_name)
        .field("contact_name", &before.contact_name, &after.contact_name)
        .field("host_name", &before.host_name, &after.host_name)
        .field("pi_name", &before.pi_name, &after.pi_name)
        .field("team", &before.team, &after.team);
    diff
}

/// Deletes a draft (with its files). `NotFound`, `Forbidden` unless it is the actor's own draft.
pub async fn delete_proposal(app: &App, session: &Session, id: i64) -> Result<()> {
    let opened = open_proposal(app, session, id).await?;
    if !opened.powers.delete {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    if !stored::delete_proposal(&tx, id).await? {
        return Err(Error::conflict("transition_stale"));
    }
    let entry = Entry::new("delete", entity::PROPOSAL, id, "audit-st-proposal-deleted")
        .arg("title", &opened.proposal.title)
        .change("title", &opened.proposal.title, None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of the proposals the actor may read.
pub async fn list_proposals(
    app: &App,
    session: &Session,
    filter: &ProposalFilter,
    page: Page,
) -> Result<Listed<ProposalSummary>> {
    let scope = session.scope(app).await?;
    Ok(stored::page(app.db(), filter, scope, page).await?)
}
