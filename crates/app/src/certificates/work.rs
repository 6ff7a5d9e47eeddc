//! What waits on the statutory clock: the open applications the reader may see with their days left, for
//! the leaders' dashboard, the officers' work page and the reminders; and the certificates whose last
//! yearly report found the conditions no longer held.

use tiendo_core::certificates::{Clock, ClockState, Machine};
use tiendo_db::certificates::{self as stored, ApplicationSummary};

use super::access::pauses_of;
use crate::message::{Message, Notice};
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
    let states: Vec<String> = Machine::standard().open_states().into_iter().map(str::to_owned).collect();
    let open = stored::open_applications(app.db(), scope, &states, limit).await?;
    lines(app, open).await
}

async fn lines(app: &App, open: Vec<ApplicationSummary>) -> Result<Vec<ClockLine>> {
    let machine = Machine::standard();
    let ids: Vec<i64> = open.iter().map(|a| a.id).collect();
    let events = stored::events_of(app.db(), &ids).await?;
    let clock = Clock::new(machine.clock());
    let mut out = Vec::new();
    for a in open {
        let Some(received) = a.received_on else { continue };
        let mine: Vec<_> = events.iter().filter(|e| e.application_id == a.id).cloned().collect();
        let state = clock.state(received, &pauses_of(&mine), app.today());
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

/// Tells the department's staff, once per application and deadline, of each open application nearly due
/// or overdue on the statutory clock (in the application, and by e-mail when mail is on); how many
/// reminders went out. Run every day by the job runner, acting for the system.
pub async fn send_clock_reminders(app: &App, _session: &Session) -> Result<usize> {
    let states: Vec<String> = Machine::standard().open_states().into_iter().map(str::to_owned).collect();
    let open = stored::all_in_states(app.db(), &states).await?;
    let staff = stored::staff_accounts(app.db()).await?;
    let mut sent = 0;
    for line in lines(app, open).await? {
        let (Some(deadline), false) = (line.clock.deadline, line.clock.paused) else { continue };
        let kind = if line.overdue {
            "cert_overdue"
        } else if line.nearly_overdue {
            "cert_due_soon"
        } else {
            continue;
        };
        let tx = app.begin().await?;
        if !stored::claim_reminder(&tx, line.application.id, kind, deadline, app.now()).await? {
            tx.rollback().await?;
            continue;
        }
        let days = if line.overdue { -line.clock.days_left } else { line.clock.days_left };
        let title = Message::key(&format!("reminder-{kind}"))
            .data("name", &line.application.enterprise_name)
            .count("days", days)
            .date("deadline", deadline);
        let notice = Notice::new(title, Message::default());
        let link = format!("/certificates/applications/{}", line.application.id);
        for (user, email) in &staff {
            crate::sci_tech::notify_one(app, &tx, *user, email.clone(), kind, &notice, &link).await?;
        }
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// The certificates in force whose latest yearly report found the conditions no longer held, for the
/// department's staff (the leaders' dashboard); nothing for anyone else.
pub async fn lapsed(app: &App, session: &Session) -> Result<Vec<stored::Lapsed>> {
    use tiendo_core::authz::Role;
    if !(session.actor.has_role(Role::DepartmentLeader) || session.actor.has_role(Role::DepartmentOfficer)) {
        return Ok(Vec::new());
    }
    Ok(stored::lapsed(app.db()).await?)
}
