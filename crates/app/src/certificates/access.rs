//! Who may see and change an application, and where its clock stands.

use chrono::NaiveDate;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::certificates::{
    Check, Clock, ClockMode, ClockState, Conditions, Machine, Pause, Powers, StateDef, TransitionDef,
};
use tiendo_db::certificates::{self as stored, Application, Event};
use tiendo_db::orgtree;

use crate::{App, Error, Result, Session};

/// An application the actor may see, with what they may do with it, its clock and its checklist.
#[derive(Debug, Clone)]
pub struct OpenedApplication {
    /// The application.
    pub application: Application,
    /// The enterprise's path.
    pub owner_path: Vec<i64>,
    /// Its state.
    pub state: StateDef,
    /// What the actor may do.
    pub powers: Powers,
    /// The steps the actor may take now.
    pub transitions: Vec<TransitionDef>,
    /// The timeline.
    pub events: Vec<Event>,
    /// Where the clock stands today (once received).
    pub clock: Option<ClockState>,
    /// The conditions evaluated on the figures (once received; on the basis in force today for a draft).
    pub checks: Vec<Check>,
}

/// The state of an application in the machine (an unknown one is read as terminal).
pub(crate) fn state_of(code: &str) -> StateDef {
    Machine::standard().state(code).cloned().unwrap_or(StateDef {
        code: code.to_owned(),
        owner_edits: false,
        terminal: true,
        clock: ClockMode::Off,
    })
}

/// The pauses of the clock from the timeline: each request for supplements to its answer.
pub fn pauses_of(events: &[Event]) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    for e in events {
        if e.to_state == "supplement_requested" {
            out.push(Pause { from: e.on_day, to: None });
        } else if e.from_state == "supplement_requested"
            && let Some(open) = out.last_mut().filter(|p| p.to.is_none())
        {
            open.to = Some(e.on_day);
        }
    }
    out
}

/// Where the clock of an application stands on `today` (on the day of its decision once decided); `None`
/// before it is received.
pub fn clock_of(application: &Application, events: &[Event], today: NaiveDate) -> Option<ClockState> {
    let received = application.received_on?;
    let clock = Clock::new(Machine::standard().clock());
    let mut pauses = pauses_of(events);
    let end = match application.decided_on {
        Some(day) => day,
        None if state_of(&application.state).clock == ClockMode::Off => {
            // Withdrawn: the clock stopped at its last step.
            events.last().map_or(today, |e| e.on_day)
        }
        None => today,
    };
    if application.decided_on.is_some() || state_of(&application.state).clock == ClockMode::Off {
        for p in &mut pauses {
            p.to = p.to.or(Some(end));
        }
    }
    Some(clock.state(received, &pauses, end))
}

/// The powers of the session on an application of the enterprise at the end of `owner_path`;
/// `appraises` when the actor was asked for an opinion on it (an expert, a member of a council it is
/// before).
pub(crate) fn powers(session: &Session, owner_path: &[i64], state: &StateDef, appraises: bool) -> Powers {
    let resource = Resource::CertApplication {
        owner_path,
        submitted: state.code != tiendo_core::certificates::DRAFT,
        actor_appraises: appraises,
    };
    let may = |action| authorize(&session.actor, action, &resource).is_allowed();
    Powers {
        view: may(Action::View),
        owner: may(Action::Edit),
        officer: may(Action::Review),
        leader: may(Action::Approve),
        appraise: may(Action::Score),
    }
}

/// Opens an application the actor may see; `NotFound` otherwise (the actor may not learn it exists).
pub async fn open_application(app: &App, session: &Session, id: i64) -> Result<OpenedApplication> {
    let application = stored::application(app.db(), id).await?.ok_or(Error::NotFound)?;
    let owner_path = orgtree::path(app.db(), application.org_id).await?;
    let state = state_of(&application.state);
    // Only an expert can be asked for an opinion: nobody else pays for the question.
    let appraises = match session.user_id() {
        Some(user) if session.actor.has_role(tiendo_core::authz::Role::Expert) => {
            tiendo_db::certificates::appraisal::appraises(app.db(), user, id).await?
        }
        _ => false,
    };
    let powers = powers(session, &owner_path, &state, appraises);
    if !powers.view {
        return Err(Error::NotFound);
    }
    let transitions = Machine::standard().available(&state.code, &powers).into_iter().cloned().collect();
    let events = stored::events(app.db(), id).await?;
    let clock = clock_of(&application, &events, app.today());
    let conditions = Conditions::standard();
    let basis = application.basis.or_else(|| conditions.basis_on(app.today()));
    let on = application.received_on.unwrap_or_else(|| app.today());
    let checks = basis.map(|b| conditions.evaluate(b, &application.fields.facts(), on)).unwrap_or_default();
    Ok(OpenedApplication { application, owner_path, state, powers, transitions, events, clock, checks })
}

/// Whether the actor may download a stored file because it belongs to an application they may see.
pub async fn may_read_file(app: &App, session: &Session, attachment_id: i64) -> Result<bool> {
    for id in stored::applications_using_attachment(app.db(), attachment_id).await? {
        if open_application(app, session, id).await.is_ok() {
            return Ok(true);
        }
    }
    Ok(false)
}
