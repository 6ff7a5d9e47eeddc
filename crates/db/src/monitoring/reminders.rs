//! What the reminder and digest jobs read: the assignments that may be owed a deadline reminder, and,
//! for each assigning officer, their assignments and the progress updates waiting for their decision.
//! The queries narrow the rows down; the rules in `tiendo_core::monitoring::reminder` decide.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

use super::assignments::{AssignmentRow, COLUMNS, FROM};
use super::push_ids;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// The months a date range touches (every month for a range of a year or more).
fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<i64> {
    if (to - from).num_days() >= 365 {
        return (1..=12).collect();
    }
    let mut months = Vec::new();
    let mut day = from.with_day(1).unwrap_or(from);
    while day <= to {
        months.push(i64::from(day.month()));
        match day.checked_add_months(Months::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    months
}

/// The assignments that may be owed a reminder for a due date between `from` and `to`: not cancelled,
/// and either a fixed or period deadline in the range not yet completed, or a yearly deadline in one of
/// the range's months. Continuous assignments never are. Ordered by id.
pub async fn candidates(ex: &impl Exec, from: NaiveDate, to: NaiveDate) -> Result<Vec<AssignmentRow>, DbError> {
    let mut q = Query::new(format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE a.cancelled = FALSE AND ((a.deadline_kind IN ('fixed', 'period') \
         AND a.completed_on IS NULL AND a.due_on >= "
    ));
    q.push_bind(from).push(" AND a.due_on <= ").push_bind(to);
    q.push(") OR (a.deadline_kind = 'yearly' AND a.yearly_month IN (");
    push_ids(&mut q, &months_between(from, to));
    q.push("))) ORDER BY a.id");
    ex.fetch_all(q).await
}

/// An active account that assigned at least one assignment (cán bộ giao nhiệm vụ).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Officer {
    /// Account id.
    pub id: i64,
    /// Name shown.
    pub display_name: String,
    /// E-mail, if any.
    pub email: Option<String>,
}

/// The active accounts that appear as the assigning officer of an assignment, by id.
pub async fn assigning_officers(ex: &impl Exec) -> Result<Vec<Officer>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT u.id, u.display_name, u.email FROM users u WHERE u.status = 'active' \
         AND EXISTS (SELECT 1 FROM assignments a WHERE a.assigned_by = u.id) ORDER BY u.id",
    ))
    .await
}

/// An assignment with the officer who assigned it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OfficerAssignment {
    /// The assigning officer's account id.
    pub officer_id: i64,
    /// The assignment.
    #[sqlx(flatten)]
    pub row: AssignmentRow,
}

/// The assignments (not cancelled) of active assigning officers, by officer then id: one query for every
/// officer's digest.
pub async fn assignments_of_officers(ex: &impl Exec) -> Result<Vec<OfficerAssignment>, DbError> {
    ex.fetch_all(Query::new(format!(
        "SELECT a.assigned_by AS officer_id, {COLUMNS} FROM {FROM} JOIN users u ON u.id = a.assigned_by \
         WHERE u.status = 'active' AND a.cancelled = FALSE ORDER BY a.assigned_by, a.id"
    )))
    .await
}

/// A progress update submitted and waiting for the assigning officer's decision.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PendingDecision {
    /// The assigning officer's account id.
    pub officer_id: i64,
    /// The update.
    pub update_id: i64,
    /// Its assignment.
    pub assignment_id: i64,
    /// The task's numbering.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The lead organisation's name.
    pub lead_name: String,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The submitted updates on assignments of active assigning officers (not cancelled), by officer, oldest
/// first.
pub async fn pending_decisions(ex: &impl Exec) -> Result<Vec<PendingDecision>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT a.assigned_by AS officer_id, pu.id AS update_id, a.id AS assignment_id, t.code AS task_code, \
         t.title AS task_title, o.name AS lead_name, pu.submitted_at FROM progress_updates pu \
         JOIN assignments a ON a.id = pu.assignment_id JOIN tasks t ON t.id = a.task_id \
         JOIN organizations o ON o.id = a.lead_org_id JOIN users u ON u.id = a.assigned_by \
         WHERE pu.status = 'submitted' AND u.status = 'active' AND a.cancelled = FALSE \
         ORDER BY a.assigned_by, pu.submitted_at, pu.id",
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_months_of_a_range_wrap_around_the_year_end() {
        assert_eq!(months_between(d(2020, 12, 24), d(2021, 1, 7)), vec![12, 1]);
        assert_eq!(months_between(d(2020, 3, 5), d(2020, 3, 20)), vec![3]);
        assert_eq!(months_between(d(2020, 1, 31), d(2020, 3, 1)), vec![1, 2, 3]);
        assert_eq!(months_between(d(2020, 1, 1), d(2021, 1, 1)).len(), 12);
    }
}
