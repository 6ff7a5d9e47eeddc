//! What the escalation job reads: directives that may be overdue, and the leaders of the assigning side.
//! Each escalation is recorded in the reminder ledger (`reminders_sent`, kind [`KIND`]) so that a
//! directive is flagged once per due date, whatever the number of runs or instances.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::DbError;
use crate::monitoring::assignments::{AssignmentRow, COLUMNS, FROM};
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// The kind under which escalations are recorded in the reminder ledger and notified.
pub const KIND: &str = "directive_escalated";

/// An open directive with its visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EscalationCandidate {
    /// The directive.
    #[sqlx(flatten)]
    pub row: AssignmentRow,
    /// The visit it came from.
    pub visit_id: i64,
    /// The visit's title.
    pub visit_title: String,
    /// The organisation that organised the visit: the assigning side.
    pub organizer_org_id: i64,
}

/// The directives not cancelled and not completed whose due date is before `due_before` (and every
/// yearly one, whose cycle the caller checks), by id.
pub async fn open_directives(ex: &impl Exec, due_before: NaiveDate) -> Result<Vec<EscalationCandidate>, DbError> {
    let mut q = Query::new(format!(
        "SELECT {COLUMNS}, v.id AS visit_id, v.title AS visit_title, v.organizer_org_id FROM {FROM} \
         JOIN visit_conclusions c ON c.task_id = a.task_id JOIN visits v ON v.id = c.visit_id \
         WHERE a.cancelled = FALSE AND ((a.deadline_kind IN ('fixed', 'period') AND a.completed_on IS NULL \
         AND a.due_on < "
    ));
    q.push_bind(due_before).push(") OR a.deadline_kind = 'yearly') ORDER BY a.id");
    ex.fetch_all(q).await
}

/// The active accounts holding the department leader role over an organisation (whose scope covers its
/// path): (user id, e-mail).
pub async fn leaders_of(ex: &impl Exec, org_path: &[i64]) -> Result<Vec<(i64, Option<String>)>, DbError> {
    let Some(org) = org_path.last() else { return Ok(Vec::new()) };
    let mut q = Query::new(
        "SELECT DISTINCT u.id, u.email FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE u.status = 'active' AND g.role = 'department_leader' AND ((g.scope_kind = 'province') \
         OR (g.scope_kind = 'organization' AND g.organization_id = ",
    );
    q.push_bind(*org).push(") OR (g.scope_kind = 'subtree' AND g.organization_id IN (");
    push_ids(&mut q, org_path);
    q.push("))) ORDER BY u.id");
    ex.fetch_all(q).await
}

/// The escalations of a visit's directives: (directive id, due date, when the leaders were told).
pub async fn escalated(ex: &impl Exec, visit_id: i64) -> Result<Vec<(i64, NaiveDate, DateTime<Utc>)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT r.assignment_id, r.due_on, r.sent_at FROM reminders_sent r JOIN assignments a ON a.id = r.assignment_id \
             JOIN visit_conclusions c ON c.task_id = a.task_id WHERE c.visit_id = $1 AND r.kind = $2 ORDER BY r.sent_at",
        )
        .bind(visit_id)
        .bind(KIND),
    )
    .await
}

/// A directive flagged to the leaders and still open, with its visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OpenEscalation {
    /// The directive (an assignment).
    pub assignment_id: i64,
    /// The conclusion's numbering.
    pub task_code: String,
    /// The conclusion.
    pub task_title: String,
    /// The lead organisation's name.
    pub lead_name: String,
    /// The visit.
    pub visit_id: i64,
    /// Its title.
    pub visit_title: String,
    /// The due date that was missed.
    pub due_on: NaiveDate,
    /// When the leaders were told.
    pub sent_at: DateTime<Utc>,
}

/// The escalated directives not completed nor cancelled of the visits organised by `organizers`, latest
/// escalation first, at most `limit`.
pub async fn open_escalations(
    ex: &impl Exec,
    organizers: &tiendo_core::authz::Coverage,
    limit: i64,
) -> Result<Vec<OpenEscalation>, DbError> {
    if organizers.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT a.id AS assignment_id, t.code AS task_code, t.title AS task_title, o.name AS lead_name, \
         v.id AS visit_id, v.title AS visit_title, r.due_on, r.sent_at FROM reminders_sent r \
         JOIN assignments a ON a.id = r.assignment_id JOIN tasks t ON t.id = a.task_id \
         JOIN organizations o ON o.id = a.lead_org_id JOIN visit_conclusions c ON c.task_id = a.task_id \
         JOIN visits v ON v.id = c.visit_id WHERE r.kind = ",
    );
    q.push_bind(KIND).push(" AND a.completed_on IS NULL AND a.cancelled = FALSE");
    if let tiendo_core::authz::Coverage::Orgs(ids) = organizers {
        q.push(" AND v.organizer_org_id IN (");
        push_ids(&mut q, ids);
        q.push(")");
    }
    q.push(" ORDER BY r.sent_at DESC, a.id LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}
