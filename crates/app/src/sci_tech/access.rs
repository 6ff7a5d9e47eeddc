//! Who may see and change calls and proposals: the facts of `tiendo_core::sci_tech` gathered from the
//! database and the session.

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::sci_tech::{Machine, Powers, StateDef, TransitionDef, available_transitions};
use tiendo_db::orgtree;
use tiendo_db::sci_tech::{self as stored, Call, Proposal};

use crate::{App, Error, Result, Session};

/// A call the actor may see, with what they may do with it.
#[derive(Debug, Clone)]
pub struct OpenedCall {
    /// The call.
    pub call: Call,
    /// Whether the actor may change and publish it.
    pub may_edit: bool,
}

fn call_resource(call: &Call) -> Resource<'static> {
    Resource::Call { published: call.published_at.is_some() }
}

/// Opens a call the actor may see; `NotFound` otherwise (a draft is the staff's).
pub async fn open_call(app: &App, session: &Session, id: i64) -> Result<OpenedCall> {
    let call = stored::call(app.db(), id).await?.ok_or(Error::NotFound)?;
    let resource = call_resource(&call);
    if !authorize(&session.actor, Action::View, &resource).is_allowed() {
        return Err(Error::NotFound);
    }
    let may_edit = authorize(&session.actor, Action::Edit, &resource).is_allowed();
    Ok(OpenedCall { call, may_edit })
}

/// Whether the actor may open calls (the department's staff).
pub fn may_create_call(session: &Session) -> bool {
    authorize(&session.actor, Action::Create, &Resource::Call { published: false }).is_allowed()
}

/// A proposal the actor may see, with its call, its state and what the actor may do with it.
#[derive(Debug, Clone)]
pub struct OpenedProposal {
    /// The proposal.
    pub proposal: Proposal,
    /// The proposing organisation's path (empty for an individual's).
    pub owner_path: Vec<i64>,
    /// Its state in the machine.
    pub state: StateDef,
    /// What the actor may do.
    pub powers: Powers,
    /// The transitions the actor may take now.
    pub transitions: Vec<TransitionDef>,
}

impl OpenedProposal {
    /// `Forbidden` unless the actor may change the proposal now.
    pub fn require_edit(&self) -> Result<()> {
        if self.powers.edit { Ok(()) } else { Err(Error::FORBIDDEN) }
    }
}

/// The state of a proposal in the machine (a state the machine no longer knows is read as a terminal one,
/// so that nothing can be done with it but reading).
pub(crate) fn state_of(code: &str) -> StateDef {
    Machine::standard().state(code).cloned().unwrap_or(StateDef {
        code: code.to_owned(),
        owner_edits: false,
        submitted: true,
        terminal: true,
        listed: false,
        council: None,
    })
}

/// The powers of the session on a loaded proposal.
pub(crate) async fn powers_on(
    app: &App,
    session: &Session,
    proposal: &Proposal,
) -> Result<(Vec<i64>, StateDef, Powers)> {
    let owner_path = match proposal.proposer_org_id {
        Some(org) => orgtree::path(app.db(), org).await?,
        None => Vec::new(),
    };
    let state = state_of(&proposal.state);
    let author = session.user_id().is_some() && session.user_id() == proposal.author_id;
    // A proposal before a council of the system gets its outcome from the council's closing.
    let on_council = stored::councils_of(app.db(), proposal.id).await?.iter().any(|(_, s)| s != "closed");
    let powers = Powers::of(&session.actor, &owner_path, author, &state, on_council);
    Ok((owner_path, state, powers))
}

/// Opens a proposal the actor may see, with what they may do with it; `NotFound` otherwise (the actor may
/// not learn that it exists).
pub async fn open_proposal(app: &App, session: &Session, id: i64) -> Result<OpenedProposal> {
    let proposal = stored::proposal(app.db(), id).await?.ok_or(Error::NotFound)?;
    let (owner_path, state, powers) = powers_on(app, session, &proposal).await?;
    if !powers.view {
        return Err(Error::NotFound);
    }
    let transitions =
        available_transitions(Machine::standard(), proposal.route, &state.code, &powers).into_iter().cloned().collect();
    Ok(OpenedProposal { proposal, owner_path, state, powers, transitions })
}

/// Whether the actor may download a stored file because it belongs to a proposal they may see.
pub async fn may_read_file(app: &App, session: &Session, attachment_id: i64) -> Result<bool> {
    for id in stored::proposals_using_attachment(app.db(), attachment_id).await? {
        if let Some(p) = stored::proposal(app.db(), id).await?
            && powers_on(app, session, &p).await?.2.view
        {
            return Ok(true);
        }
    }
    Ok(false)
}
