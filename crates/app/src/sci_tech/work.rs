//! What S&T tasks ask of the signed-in user, for the page they land on: the proposing side's drafts to
//! send before the deadline, the revisions asked of it, the calls it may answer and the decisions on its
//! proposals; the staff's proposals to screen, dossiers to open and steps to take; the leaders' approvals.

use chrono::{DateTime, Utc};
use tiendo_core::authz::Role;
use tiendo_core::sci_tech::Machine;
use tiendo_db::sci_tech::{self as stored, CallSummary, Pending};

use crate::{App, Result, Session};

/// How many lines a part lists.
const SHOWN: i64 = 10;

/// What S&T tasks ask of the actor; `None` parts are not the actor's.
#[derive(Debug, Clone, Default)]
pub struct StWork {
    /// The actor's own drafts, the nearest deadline first (proposing side).
    pub drafts: Option<Vec<Pending>>,
    /// The actor's own proposals sent back for revisions (proposing side).
    pub revising: Option<Vec<Pending>>,
    /// The calls receiving now (proposing side).
    pub open_calls: Option<Vec<CallSummary>>,
    /// The actor's own proposals decided on lately: (proposal, its state, when).
    pub decided: Option<Vec<Pending>>,
    /// Proposals waiting at each step the staff or the leaders take: (state, count).
    pub waiting: Option<Vec<(String, i64)>>,
    /// The councils the actor sits on that have not closed: (council id, name, state code).
    pub seats: Option<Vec<(i64, String, String)>>,
    /// The applications for the certificate awaiting the actor's appraisal opinion (an expert asked, a
    /// member present at a certificate council's meeting): (application id, the enterprise's name).
    pub opinions: Option<Vec<(i64, String)>>,
    /// Tasks under contract the actor follows (the staff: all; a host: its own) with an overdue milestone
    /// , a late instalment or a progress report past due, the most overdue first.
    pub late_contracts: Vec<tiendo_db::sci_tech::contracts::PortfolioRow>,
    /// The periodic reports of the host's tasks due within a month or overdue, the earliest first (a
    /// proposing side's account).
    pub task_reports_owed: Vec<tiendo_db::sci_tech::task_reports::OwedReport>,
    /// The periodic reports submitted and waiting for the staff's decision, the oldest first (the staff).
    pub task_reports_submitted: Vec<tiendo_db::sci_tech::task_reports::SubmittedReport>,
    /// Now, for the deadlines.
    pub now: DateTime<Utc>,
}

impl StWork {
    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.drafts.as_ref().is_none_or(Vec::is_empty)
            && self.revising.as_ref().is_none_or(Vec::is_empty)
            && self.waiting.as_ref().is_none_or(Vec::is_empty)
            && self.seats.as_ref().is_none_or(Vec::is_empty)
            && self.opinions.as_ref().is_none_or(Vec::is_empty)
            && self.late_contracts.is_empty()
            && self.task_reports_owed.is_empty()
            && self.task_reports_submitted.is_empty()
    }
}

/// What S&T tasks ask of the actor now.
pub async fn to_do(app: &App, session: &Session) -> Result<StWork> {
    let db = app.db();
    let scope = session.scope(app).await?;
    let mut out = StWork { now: app.now(), ..StWork::default() };
    let machine = Machine::standard();
    if session.actor.grants.iter().any(|g| g.role.proposes()) {
        out.drafts = Some(stored::own_in(db, scope, &[tiendo_core::sci_tech::DRAFT], SHOWN).await?);
        let revising: Vec<&str> =
            machine.states().iter().filter(|s| s.owner_edits && s.submitted).map(|s| s.code.as_str()).collect();
        out.revising = Some(stored::own_in(db, scope, &revising, SHOWN).await?);
        out.open_calls = Some(stored::open_calls(db, app.now(), SHOWN).await?);
        let decided: Vec<&str> =
            machine.states().iter().filter(|s| s.submitted && !s.owner_edits).map(|s| s.code.as_str()).collect();
        let mut recent = stored::own_in(db, scope, &decided, 200).await?;
        recent.sort_by_key(|p| std::cmp::Reverse(p.updated_at));
        recent.truncate(5);
        out.decided = Some(recent);
    }
    if let Some(user) = session.user_id().filter(|_| scope.has(Role::Expert)) {
        out.seats = Some(
            stored::open_seats(db, user).await?.into_iter().map(|(id, name, _, state)| (id, name, state)).collect(),
        );
        out.opinions = Some(crate::certificates::appraisal::awaiting_opinion(app, session).await?);
    }
    // The deadlines of tasks under contract: the milestones and instalments past due.
    let filter = tiendo_db::sci_tech::contracts::PortfolioFilter::default();
    let mut late: Vec<_> = super::contracts::portfolio(app, session, &filter)
        .await?
        .rows
        .into_iter()
        .filter(|r| r.late_milestones > 0 || r.late_instalments > 0 || r.late_reports > 0)
        .collect();
    late.sort_by_key(|r| (r.next_due, r.id));
    late.truncate(usize::try_from(SHOWN).unwrap_or(10));
    out.late_contracts = late;
    let staff = scope.has(Role::DepartmentOfficer) || scope.has(Role::DepartmentLeader);
    if session.actor.grants.iter().any(|g| g.role.proposes()) {
        let hosts = tiendo_db::sci_tech::contracts::ContractScope {
            all: false,
            hosts: super::contracts::scope_of(app, session).await?.hosts,
        };
        let soon = app.today() + chrono::Days::new(30);
        out.task_reports_owed = tiendo_db::sci_tech::task_reports::owed(db, soon, &hosts, SHOWN).await?;
    }
    if staff {
        out.task_reports_submitted = tiendo_db::sci_tech::task_reports::submitted(db, SHOWN).await?;
    }
    if staff {
        let leader = scope.has(Role::DepartmentLeader);
        let counts = stored::count_by_state(db).await?;
        // The states a step of the staff (or, for a leader, of the leaders) leaves.
        let takes = |state: &str| {
            tiendo_core::sci_tech::Route::ALL.iter().any(|r| {
                machine.leaving(*r, state).any(|t| {
                    t.action != "cancel"
                        && match t.by {
                            tiendo_core::sci_tech::Side::Officer | tiendo_core::sci_tech::Side::Council => true,
                            tiendo_core::sci_tech::Side::Leader => leader,
                            _ => false,
                        }
                })
            })
        };
        out.waiting = Some(counts.into_iter().filter(|(state, n)| *n > 0 && takes(state)).collect());
    }
    Ok(out)
}
