//! Reading the audit trail: searching it (province-wide administrators and department leaders). Writing to
//! it is [`crate::audit::record`], inside each use case; verifying its chain is [`crate::audit::verify`].

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::audit::{self, Event, Filter};

use crate::{App, Error, Result, Session};

/// `Forbidden` unless the actor may read the audit trail.
fn require(session: &Session) -> Result<()> {
    if authorize(&session.actor, Action::View, &Resource::AuditTrail).is_allowed() {
        Ok(())
    } else if session.user.is_none() && session.actor.grants.is_empty() {
        Err(Error::Unauthorized)
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// Whether the actor may read the audit trail.
pub fn may_read(session: &Session) -> bool {
    require(session).is_ok()
}

/// Events matching the filter, newest first, at most `limit` (the filter's `before_id` pages), and how
/// many match in all.
pub async fn search(app: &App, session: &Session, filter: &Filter, limit: i64) -> Result<(Vec<Event>, i64)> {
    require(session)?;
    Ok(audit::search(app.db(), filter, limit).await?)
}
