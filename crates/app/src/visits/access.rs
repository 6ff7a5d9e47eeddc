//! Who may see and change a visit: the facts of `tiendo_core::visits` gathered from the database and
//! the session's access scope.

use tiendo_core::authz::Coverage;
use tiendo_core::visits::{self as rules, VisitAction, VisitFacts};
use tiendo_db::orgtree;
use tiendo_db::visits::{self, Visit};

use crate::{App, Error, Result, Session};

/// A visit the actor may see, with what they may do with it.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The visit.
    pub visit: Visit,
    /// The actions the actor may take (`tiendo_core::visits::available_actions`).
    pub actions: Vec<VisitAction>,
}

impl Opened {
    /// Whether the actor may take `action`.
    pub fn may(&self, action: VisitAction) -> bool {
        self.actions.contains(&action)
    }

    /// `Forbidden` unless the actor may take `action`.
    pub fn require(&self, action: VisitAction) -> Result<()> {
        if self.may(action) { Ok(()) } else { Err(Error::FORBIDDEN) }
    }
}

/// Whether an organisation the actor acts for (reports for, or applies for) took part in the visit. Only
/// asked of actors who act for some organisation: for the others it changes nothing.
async fn involves_actor(app: &App, session: &Session, visit_id: i64) -> Result<bool> {
    let reporting = session.scope(app).await?.taking_part();
    if reporting.is_empty() {
        return Ok(false);
    }
    let involved = visits::involved_orgs(app.db(), visit_id).await?;
    Ok(match reporting {
        Coverage::All => !involved.is_empty(),
        coverage => involved.iter().any(|org| coverage.covers(*org)),
    })
}

/// The actions the actor may take on a loaded visit; `None` when they may not see it.
async fn actions_on(app: &App, session: &Session, visit: &Visit) -> Result<Option<Vec<VisitAction>>> {
    let organizer_path = orgtree::path(app.db(), visit.organizer_org_id).await?;
    let mut facts = VisitFacts { organizer_path: &organizer_path, actor_involved: false };
    if !rules::may_view(&session.actor, &facts) {
        facts.actor_involved = involves_actor(app, session, visit.id).await?;
        if !rules::may_view(&session.actor, &facts) {
            return Ok(None);
        }
    }
    Ok(Some(rules::available_actions(&session.actor, &facts)))
}

/// Opens a visit the actor may see, with what they may do with it; `NotFound` otherwise (the actor may
/// not learn that it exists).
pub async fn open(app: &App, session: &Session, id: i64) -> Result<Opened> {
    let visit = visits::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    let actions = actions_on(app, session, &visit).await?.ok_or(Error::NotFound)?;
    Ok(Opened { visit, actions })
}

/// Opens a visit to take `action` on it: `NotFound` when the actor may not see it, `Forbidden` when
/// they may only see it.
pub(crate) async fn open_for(app: &App, session: &Session, id: i64, action: VisitAction) -> Result<Visit> {
    let opened = open(app, session, id).await?;
    opened.require(action)?;
    Ok(opened.visit)
}

/// Whether the actor may record visits at all (the department's staff somewhere): the "new visit"
/// button and form.
pub fn may_create(session: &Session) -> bool {
    rules::may_create(&session.actor)
}

/// Whether the actor may download a stored file because it belongs to a visit they may see.
pub async fn may_read_file(app: &App, session: &Session, attachment_id: i64) -> Result<bool> {
    for visit_id in visits::visits_using_attachment(app.db(), attachment_id).await? {
        if let Some(visit) = visits::get(app.db(), visit_id).await?
            && actions_on(app, session, &visit).await?.is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}
