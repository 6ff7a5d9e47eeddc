//! What waits for the signed-in user, by their roles: the page a user lands on after signing in, and
//! the "needs a decision" panel of the leader's dashboard. It only reads, each part as the feature it
//! comes from lets the actor see it:
//!
//! - reviewers (the department's leader and officers): the progress updates and the periodic reports
//!   waiting for their decision;
//! - leaders: the directives of working visits escalated to them and still open, and the articles waiting
//!   for publication;
//! - reporting units (locality and partner officers): the assignments they lead that are overdue, at risk
//!   or due within a month, their updates not sent yet, and the periodic reports they owe;
//! - those who take part in working visits (reporting units, applicants): the visits that involved them.

use chrono::{Duration, NaiveDate};
use tiendo_core::authz::{Action, Resource, Role, authorize};
use tiendo_core::monitoring::{DerivedStatus, StatusKind, UpdateStatus, derive_status};
use tiendo_core::portal::ArticleState;
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::to_do::{self, PendingUpdate};
use tiendo_db::visits::{self, OpenEscalation, VisitFilter, VisitSummary};

use crate::reporting::due::Owed;
use crate::reporting::reports::Visible;
use crate::{App, Result, Session};

/// How many lines a part of the page lists (its total is counted).
const SHOWN: i64 = 20;

/// The days ahead within which an assignment or a report counts as due.
const DUE_WITHIN_DAYS: i64 = 30;

/// A list with the number of items it stands for.
#[derive(Debug, Clone, Default)]
pub struct Counted<T> {
    /// The first items.
    pub items: Vec<T>,
    /// How many there are.
    pub total: i64,
}

/// What waits for the actor; a part is `None` when the actor's roles do not give it.
#[derive(Debug, Clone, Default)]
pub struct ToDo {
    /// The day the statuses are derived for.
    pub today: NaiveDate,
    /// Progress updates sent and waiting for a decision (reviewers).
    pub updates_to_review: Option<Counted<PendingUpdate>>,
    /// Periodic reports sent and waiting for a decision (reviewers): those the actor may return or
    /// approve.
    pub reports_to_review: Option<Vec<Visible>>,
    /// Of those, the reports the actor may approve (leaders).
    pub reports_to_approve: Option<i64>,
    /// Escalated directives still open (leaders).
    pub escalated: Option<Vec<OpenEscalation>>,
    /// Articles waiting for publication (those who publish).
    pub articles_in_review: Option<i64>,
    /// Assignments the actor's units lead that are overdue, at risk or due within a month, most urgent
    /// first (reporting units).
    pub due: Option<Vec<(AssignmentRow, DerivedStatus)>>,
    /// Their progress updates not sent yet: drafts and returned ones (reporting units).
    pub unsent: Option<Counted<PendingUpdate>>,
    /// The periodic reports they owe: not sent, overdue or due within a month (reporting units).
    pub reports_due: Option<Vec<Owed>>,
    /// The latest working visits that involved them (reporting units, applicants).
    pub visits: Option<Vec<VisitSummary>>,
    /// What S&T tasks ask of them (`crate::sci_tech::work`).
    pub sci_tech: crate::sci_tech::work::StWork,
}

impl ToDo {
    /// Whether nothing waits at all (every part absent or empty).
    pub fn is_empty(&self) -> bool {
        self.updates_to_review.as_ref().is_none_or(|c| c.total == 0)
            && self.reports_to_review.as_ref().is_none_or(Vec::is_empty)
            && self.escalated.as_ref().is_none_or(Vec::is_empty)
            && self.articles_in_review.is_none_or(|n| n == 0)
            && self.due.as_ref().is_none_or(Vec::is_empty)
            && self.unsent.as_ref().is_none_or(|c| c.total == 0)
            && self.reports_due.as_ref().is_none_or(Vec::is_empty)
            && self.visits.as_ref().is_none_or(Vec::is_empty)
            && self.sci_tech.is_empty()
    }
}

/// Whether an assignment belongs in a unit's list of what is due on `today`.
fn is_due(status: &DerivedStatus, today: NaiveDate) -> bool {
    if status.kind.is_completed() || status.kind == StatusKind::Cancelled {
        return false;
    }
    status.kind == StatusKind::Overdue
        || status.at_risk
        || status.due_on.is_some_and(|d| d <= today + Duration::days(DUE_WITHIN_DAYS))
}

/// The urgency order of what is due: overdue first (the longest overdue first), then by due date.
fn urgency(status: &DerivedStatus) -> (u8, i64, Option<NaiveDate>) {
    match status.kind {
        StatusKind::Overdue => (0, -status.days_late.unwrap_or(0), status.due_on),
        _ => (1, 0, status.due_on),
    }
}

/// What waits for the actor, as of the application's day.
pub async fn to_do(app: &App, session: &Session) -> Result<ToDo> {
    let db = app.db();
    let today = app.today();
    let scope = session.scope(app).await?.clone();
    let actor = &session.actor;
    let mut out = ToDo { today, ..ToDo::default() };

    let staff = scope.department_staff();
    if !staff.is_empty() {
        let (items, total) = to_do::updates_in(db, &[UpdateStatus::Submitted], &staff, SHOWN).await?;
        out.updates_to_review = Some(Counted { items, total });
        let reports = crate::reporting::reports::queue(app, session).await?;
        if actor.has_role(Role::DepartmentLeader) {
            let approvable = reports.iter().filter(|v| v.may(tiendo_core::reporting::ReportAction::Approve)).count();
            out.reports_to_approve = Some(i64::try_from(approvable).unwrap_or(i64::MAX));
        }
        out.reports_to_review = Some(reports);
    }
    let leading = scope.of_role(Role::DepartmentLeader);
    if !leading.is_empty() {
        out.escalated = Some(visits::open_escalations(db, &leading, SHOWN).await?);
    }
    if authorize(actor, Action::Publish, &Resource::Article { published: false }).is_allowed() {
        let (_, total) = tiendo_db::portal::articles::list_all(db, Some(ArticleState::InReview), None, 1, 0).await?;
        out.articles_in_review = Some(total);
    }

    let reporting = scope.reporting();
    if !reporting.is_empty() {
        let horizon = today + Duration::days(DUE_WITHIN_DAYS);
        let mut due: Vec<(AssignmentRow, DerivedStatus)> = to_do::due_by(db, horizon, &reporting, 500)
            .await?
            .into_iter()
            .map(|row| {
                let status = derive_status(&row.facts(), today);
                (row, status)
            })
            .filter(|(_, status)| is_due(status, today))
            .collect();
        due.sort_by_key(|(row, status)| (urgency(status), row.id));
        due.truncate(usize::try_from(SHOWN).unwrap_or(20));
        out.due = Some(due);
        let (items, total) =
            to_do::updates_in(db, &[UpdateStatus::Draft, UpdateStatus::Returned], &reporting, SHOWN).await?;
        out.unsent = Some(Counted { items, total });
    }
    // The periodic reports owed: a unit's, and a certified enterprise's yearly report.
    if !scope.periodic_reporting().is_empty() {
        let horizon = today + Duration::days(DUE_WITHIN_DAYS);
        let owed = crate::reporting::due::my_reports(app, session).await?.owed;
        out.reports_due = Some(
            owed.into_iter()
                .filter(|o| !o.report.as_ref().is_some_and(|r| r.state().is_sent()))
                .filter(|o| o.overdue || o.due_on <= horizon)
                .collect(),
        );
    }
    if !scope.taking_part().is_empty() {
        let mut shown = visits::list(db, &VisitFilter::default(), &scope).await?;
        shown.sort_by_key(|v| std::cmp::Reverse((v.starts_on, v.id)));
        shown.truncate(5);
        out.visits = Some(shown);
    }
    out.sci_tech = crate::sci_tech::work::to_do(app, session).await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn status(kind: StatusKind, due_on: Option<NaiveDate>, at_risk: bool, days_late: Option<i64>) -> DerivedStatus {
        DerivedStatus { kind, due_on, days_late, at_risk, blocked: false }
    }

    #[test]
    fn a_unit_owes_what_is_overdue_at_risk_or_due_within_a_month() {
        let today = d(2026, 12, 6);
        assert!(is_due(&status(StatusKind::Overdue, Some(d(2026, 10, 1)), false, Some(66)), today));
        assert!(is_due(&status(StatusKind::InProgress, Some(d(2027, 3, 1)), true, None), today));
        assert!(is_due(&status(StatusKind::NotStarted, Some(d(2027, 1, 5)), false, None), today));
        assert!(!is_due(&status(StatusKind::InProgress, Some(d(2027, 3, 1)), false, None), today));
        assert!(!is_due(&status(StatusKind::InProgress, None, false, None), today), "continuous");
        assert!(!is_due(&status(StatusKind::CompletedLate, Some(d(2026, 10, 1)), false, Some(3)), today));
    }

    #[test]
    fn the_longest_overdue_comes_first_then_the_nearest_deadline() {
        let mut list = [
            status(StatusKind::InProgress, Some(d(2026, 12, 20)), false, None),
            status(StatusKind::Overdue, Some(d(2026, 11, 1)), false, Some(35)),
            status(StatusKind::InProgress, Some(d(2026, 12, 10)), true, None),
            status(StatusKind::Overdue, Some(d(2026, 9, 1)), false, Some(96)),
        ];
        list.sort_by_key(urgency);
        let due: Vec<_> = list.iter().map(|s| s.due_on.unwrap()).collect();
        assert_eq!(due, [d(2026, 9, 1), d(2026, 11, 1), d(2026, 12, 10), d(2026, 12, 20)]);
    }
}
