//! What the visit's page and the API show of one visit: its delegation, stops, conclusions with each
//! directive's derived status, files, and what the actor may do, read in a fixed number of queries.

use chrono::{DateTime, Utc};
use tiendo_core::authz::{AccessScope, Role};
use tiendo_core::monitoring::{Deadline, DerivedStatus, derive_status};
use tiendo_core::visits::VisitAction;
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::visits::{self, Conclusion, Member, Stop, Visit, VisitFile};

use super::access::open;
use crate::{App, Result, Session, Tr};

/// A directive as shown under its conclusion.
#[derive(Debug, Clone)]
pub struct Directive {
    /// The assignment.
    pub row: AssignmentRow,
    /// The coordinating organisations: (id, name).
    pub coordinators: Vec<(i64, String)>,
    /// Its status today.
    pub status: DerivedStatus,
    /// When the leaders of the assigning side were last told it is overdue.
    pub escalated_at: Option<DateTime<Utc>>,
    /// Whether the actor may open the assignment's page (the pages link only to what they may open).
    pub may_open: bool,
}

/// A visit with everything it holds, as the actor may see it.
#[derive(Debug, Clone)]
pub struct VisitDetail {
    /// The visit.
    pub visit: Visit,
    /// What the actor may do with it (`tiendo_core::visits::available_actions`).
    pub actions: Vec<VisitAction>,
    /// The delegation, leader first.
    pub members: Vec<Member>,
    /// The stops, by day and time.
    pub stops: Vec<Stop>,
    /// The conclusions, in the order they were taken.
    pub conclusions: Vec<Conclusion>,
    /// Every directive of every conclusion, by id.
    pub directives: Vec<Directive>,
    /// Photos and documents, in the order they were added.
    pub files: Vec<VisitFile>,
}

impl VisitDetail {
    /// Whether the actor may take `action`.
    pub fn may(&self, action: VisitAction) -> bool {
        self.actions.contains(&action)
    }

    /// The directives of one conclusion.
    pub fn directives_of(&self, task_id: i64) -> impl Iterator<Item = &Directive> {
        self.directives.iter().filter(move |d| d.row.task_id == task_id)
    }
}

/// Whether the actor may open an assignment led by `lead` and coordinated by `coordinators`: the list
/// form of the assignment rule of `tiendo_core::authz` (the department's staff and administrators over
/// the lead, the lead's reporters, the coordinators' reporters).
fn may_open(scope: &AccessScope, lead: i64, coordinators: &[(i64, String)]) -> bool {
    let over_lead = scope.coverage(|r| {
        matches!(
            r,
            Role::Administrator
                | Role::DepartmentLeader
                | Role::DepartmentOfficer
                | Role::LocalityOfficer
                | Role::PartnerOfficer
        )
    });
    let reporting = scope.reporting();
    over_lead.covers(lead) || coordinators.iter().any(|(org, _)| reporting.covers(*org))
}

/// One visit with everything it holds; `NotFound` when the actor may not see it.
pub async fn detail(app: &App, session: &Session, id: i64) -> Result<VisitDetail> {
    let opened = open(app, session, id).await?;
    let db = app.db();
    let scope = session.scope(app).await?;
    let today = app.today();
    let coordinators = visits::directive_coordinators(db, id).await?;
    let escalations = visits::escalated(db, id).await?;
    let directives = visits::directives(db, id)
        .await?
        .into_iter()
        .map(|row| {
            let coordinators: Vec<(i64, String)> =
                coordinators.iter().filter(|(a, _, _)| *a == row.id).map(|(_, o, n)| (*o, n.clone())).collect();
            Directive {
                status: derive_status(&row.facts(), today),
                escalated_at: escalations.iter().filter(|(a, _, _)| *a == row.id).map(|(_, _, at)| *at).next_back(),
                may_open: may_open(scope, row.lead_org_id, &coordinators),
                coordinators,
                row,
            }
        })
        .collect();
    Ok(VisitDetail {
        members: visits::members(db, id).await?,
        stops: visits::stops(db, id).await?,
        conclusions: visits::conclusions(db, id).await?,
        files: visits::files(db, id).await?,
        directives,
        visit: opened.visit,
        actions: opened.actions,
    })
}

/// A deadline in words, as the monitoring pages write it ("Trước ngày 30/04/2020", "Thường xuyên").
pub fn deadline_in(tr: &Tr, d: &Deadline) -> String {
    use tiendo_core::fmt::date;
    match d {
        Deadline::Fixed { date: on } => tr.t_with("deadline-fixed", &[("date", &date(*on))]),
        Deadline::Yearly { month, day } => {
            tr.t_with("deadline-yearly", &[("day", &format!("{day:02}")), ("month", &format!("{month:02}"))])
        }
        Deadline::Continuous => tr.t("deadline-continuous"),
        Deadline::Period { from, to } => tr.t_with("deadline-period", &[("from", &date(*from)), ("to", &date(*to))]),
    }
}
