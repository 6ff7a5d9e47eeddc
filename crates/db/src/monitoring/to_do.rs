//! What waits for someone in monitoring, for the page a user lands on after signing in: the progress
//! updates waiting for a decision (the reviewers'), those not sent yet (drafts and returned ones, the
//! units'), and the assignments a unit leads that fall due. Each list is narrowed in SQL to the
//! organisations the caller covers ([`Coverage`] of the actor's [`tiendo_core::authz::AccessScope`]);
//! the derived statuses are the caller's.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::authz::Coverage;
use tiendo_core::monitoring::UpdateStatus;

use super::assignments::{AssignmentRow, COLUMNS, FROM};
use super::push_ids;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A progress update in a list of work: its assignment's task and lead, how far, when.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PendingUpdate {
    /// The update.
    pub update_id: i64,
    /// Its assignment.
    pub assignment_id: i64,
    /// The task's numbering.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The plan's title.
    pub plan_title: String,
    /// The lead organisation's name.
    pub lead_name: String,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub status: String,
    /// Progress, 0–100.
    pub percent: i64,
    /// When sent (none for a draft).
    pub submitted_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Appends "the assignment `a` is led by an organisation of `leads`" (nothing for every one).
fn push_leads(q: &mut Query, leads: &Coverage) {
    if let Coverage::Orgs(ids) = leads {
        q.push(" AND a.lead_org_id IN (");
        push_ids(q, ids);
        q.push(")");
    }
}

/// The updates in one of `statuses` on assignments (not cancelled) led by `leads`, oldest change first,
/// at most `limit` of them, and how many there are.
pub async fn updates_in(
    ex: &impl Exec,
    statuses: &[UpdateStatus],
    leads: &Coverage,
    limit: i64,
) -> Result<(Vec<PendingUpdate>, i64), DbError> {
    if leads.is_empty() || statuses.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let condition = |q: &mut Query| {
        q.push(" WHERE a.cancelled = FALSE AND u.status IN (");
        for (i, status) in statuses.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(status.code());
        }
        q.push(")");
        push_leads(q, leads);
    };
    let from = " FROM progress_updates u JOIN assignments a ON a.id = u.assignment_id \
                JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id \
                JOIN organizations o ON o.id = a.lead_org_id";
    let mut q = Query::new(format!(
        "SELECT u.id AS update_id, a.id AS assignment_id, t.code AS task_code, t.title AS task_title, \
         p.title AS plan_title, o.name AS lead_name, u.status, u.percent, u.submitted_at, u.updated_at{from}"
    ));
    condition(&mut q);
    q.push(" ORDER BY COALESCE(u.submitted_at, u.updated_at), u.id LIMIT ").push_bind(limit);
    let rows = ex.fetch_all(q).await?;
    let mut count = Query::new(format!("SELECT COUNT(*){from}"));
    condition(&mut count);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    Ok((rows, total))
}

/// The assignments led by `leads` that are not cancelled and may fall due by `until`: a fixed date or a
/// period ending by then and not completed, and every yearly one (whose cycle the caller derives); at most
/// `limit`, by id.
pub async fn due_by(
    ex: &impl Exec,
    until: NaiveDate,
    leads: &Coverage,
    limit: i64,
) -> Result<Vec<AssignmentRow>, DbError> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE a.cancelled = FALSE AND ((a.deadline_kind IN ('fixed', 'period') \
         AND a.completed_on IS NULL AND a.due_on <= "
    ));
    q.push_bind(until).push(") OR a.deadline_kind = 'yearly')");
    push_leads(&mut q, leads);
    q.push(" ORDER BY a.id LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}
