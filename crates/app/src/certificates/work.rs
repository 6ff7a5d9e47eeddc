//! What waits on the statutory clock: the open applications the reader may see with their days left, for
//! the leaders' dashboard, the officers' work page and the reminders; and the certificates whose last
//! yearly report found the conditions no longer held.

use tiendo_core::certificates::{Clock, ClockState, Machine};
use tiendo_db::certificates::{self as stored, ApplicationSummary};

use super::access::{pauses_of, state_of};
use crate::{App, Result, Session};

/// An open application with its clock.
#[derive(Debug, Clone)]
pub struct ClockLine {
    /// The application.
    pub application: ApplicationSummary,
    /// Its clock today.
    pub clock: ClockState,
    /// Whether it is overdue.
    pub overdue: bool,
    /// Whether few days are left.
    pub nearly_overdue: bool,
}

/// The open applications the reader may see (received, being checked, awaiting supplements, in
/// appraisal), each with its clock, the fewest days left first.
pub async fn clocks(app: &App, session: &Session, limit: i64) -> Result<Vec<ClockLine>> {
    let scope = session.scope(app).await?;
    let machine = Machine::standard();
    let states: Vec<String> = machine.open_states().into_iter().map(str::to_owned).collect();
    let open = stored::open_applications(app.db(), scope, &states, limit).await?;
    let ids: Vec<i64> = open.iter().map(|a| a.id).collect();
    let events = stored::events_of(app.db(), &ids).await?;
    let clock = Clock::new(machine.clock());
    let mut out = Vec::new();
    for a in open {
        let Some(received) = a.received_on else { continue };
        let mine: Vec<_> = events.iter().filter(|e| e.application_id == a.id).cloned().collect();
        let state = clock.state(received, &pauses_of(&mine), app.today());
        let _ = state_of(&a.state);
        out.push(ClockLine {
            overdue: state.overdue(),
            nearly_overdue: !state.paused && state.nearly_overdue(&machine.clock()),
            clock: state,
            application: a,
        });
    }
    out.sort_by_key(|l| (l.clock.paused, l.clock.days_left, l.application.id));
    Ok(out)
}

/// The open applications overdue or nearly overdue (the leaders' dashboard and the reminders).
pub async fn at_risk(app: &App, session: &Session) -> Result<Vec<ClockLine>> {
    Ok(clocks(app, session, 500).await?.into_iter().filter(|l| l.overdue || l.nearly_overdue).collect())
}
