//! Assignments: a task given to a lead organisation (with coordinating organisations and a deadline).

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::monitoring::{AssignmentFacts, Deadline};

use super::{Visibility, push_ids};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// An assignment with what lists and dashboards show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AssignmentRow {
    /// Row id.
    pub id: i64,
    /// The task.
    pub task_id: i64,
    /// The task's numbering.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The task's weight in its plan.
    pub weight: f64,
    /// The plan.
    pub plan_id: i64,
    /// The plan's title.
    pub plan_title: String,
    /// The lead organisation.
    pub lead_org_id: i64,
    /// Its name.
    pub lead_name: String,
    /// `fixed`, `yearly`, `continuous` or `period`.
    pub deadline_kind: String,
    /// The due date (fixed) or the end of the period.
    pub due_on: Option<NaiveDate>,
    /// The start of the period.
    pub period_start: Option<NaiveDate>,
    /// Month of a yearly deadline.
    pub yearly_month: Option<i64>,
    /// Day of a yearly deadline.
    pub yearly_day: Option<i64>,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The date of assignment.
    pub assigned_on: NaiveDate,
    /// Flagged at risk.
    pub flagged_at_risk: bool,
    /// Blocked.
    pub blocked: bool,
    /// Cancelled.
    pub cancelled: bool,
    /// The accepted completion date.
    pub completed_on: Option<NaiveDate>,
    /// Latest accepted progress.
    pub percent: i64,
    /// Whether an update was submitted or accepted.
    pub has_updates: bool,
    /// The latest update.
    pub last_update_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl AssignmentRow {
    /// The deadline as a domain value (a malformed row is read as continuous rather than failing a list).
    pub fn deadline(&self) -> Deadline {
        match self.deadline_kind.as_str() {
            "fixed" => self.due_on.map_or(Deadline::Continuous, |date| Deadline::Fixed { date }),
            "period" => match (self.period_start, self.due_on) {
                (Some(from), Some(to)) => Deadline::Period { from, to },
                _ => Deadline::Continuous,
            },
            "yearly" => match (self.yearly_month, self.yearly_day) {
                (Some(m), Some(d)) => {
                    Deadline::Yearly { month: u32::try_from(m).unwrap_or(12), day: u32::try_from(d).unwrap_or(31) }
                }
                _ => Deadline::Continuous,
            },
            _ => Deadline::Continuous,
        }
    }

    /// The facts the status is derived from.
    pub fn facts(&self) -> AssignmentFacts {
        AssignmentFacts {
            deadline: self.deadline(),
            completed_on: self.completed_on,
            has_updates: self.has_updates,
            percent: u8::try_from(self.percent.clamp(0, 100)).unwrap_or(0),
            flagged_at_risk: self.flagged_at_risk,
            blocked: self.blocked,
            cancelled: self.cancelled,
        }
    }
}

pub(crate) const COLUMNS: &str = "a.id, a.task_id, t.code AS task_code, t.title AS task_title, t.weight, t.plan_id, p.title AS plan_title, \
     a.lead_org_id, o.name AS lead_name, a.deadline_kind, a.due_on, a.period_start, a.yearly_month, a.yearly_day, a.priority, \
     a.assigned_on, a.flagged_at_risk, a.blocked, a.cancelled, a.completed_on, a.percent, a.has_updates, a.last_update_at, \
     a.is_sample";
pub(crate) const FROM: &str = "assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id \
     JOIN organizations o ON o.id = a.lead_org_id";

/// Assignments to create: one per lead organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssignments {
    /// The task.
    pub task_id: i64,
    /// The lead organisations (one assignment each).
    pub leads: Vec<i64>,
    /// The coordinating organisations (for every assignment).
    pub coordinators: Vec<i64>,
    /// The deadline.
    pub deadline: Deadline,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The date of assignment.
    pub assigned_on: NaiveDate,
    /// The assigning user.
    pub assigned_by: Option<i64>,
    /// The assigning document.
    pub source_document_id: Option<i64>,
    /// Where the assignment came from (`visit:12`, for a directive of a working visit).
    pub origin: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Creates the assignments; returns their ids, in the order of `leads`.
pub async fn create(ex: &impl Exec, new: &NewAssignments, now: DateTime<Utc>) -> Result<Vec<i64>, DbError> {
    let (due_on, period_start, month, day) = match new.deadline {
        Deadline::Fixed { date } => (Some(date), None, None, None),
        Deadline::Period { from, to } => (Some(to), Some(from), None, None),
        Deadline::Yearly { month, day } => (None, None, Some(i64::from(month)), Some(i64::from(day))),
        Deadline::Continuous => (None, None, None, None),
    };
    let mut ids = Vec::with_capacity(new.leads.len());
    for lead in &new.leads {
        let (id,): (i64,) = ex
            .fetch_one(
                Query::new(
                    "INSERT INTO assignments (task_id, lead_org_id, deadline_kind, due_on, period_start, yearly_month, \
                     yearly_day, priority, assigned_on, assigned_by, source_document_id, origin, note, is_sample, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
                )
                .bind(new.task_id)
                .bind(*lead)
                .bind(new.deadline.kind_code())
                .bind(due_on)
                .bind(period_start)
                .bind(month)
                .bind(day)
                .bind(new.priority.as_str())
                .bind(new.assigned_on)
                .bind(new.assigned_by)
                .bind(new.source_document_id)
                .bind(new.origin.clone())
                .bind(new.note.clone())
                .bind(new.is_sample)
                .bind(now),
            )
            .await?;
        for org in new.coordinators.iter().filter(|o| *o != lead) {
            ex.execute(
                Query::new("INSERT INTO assignment_coordinators (assignment_id, org_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*org),
            )
            .await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

/// One assignment.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<AssignmentRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1")).bind(id)).await
}

/// Details shown on the assignment's page beyond the row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AssignmentExtra {
    /// The assigning document.
    pub source_document_id: Option<i64>,
    /// Its symbol.
    pub source_symbol: Option<String>,
    /// Where it came from (`visit:12`).
    pub origin: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// Why it is blocked.
    pub blocked_reason: Option<String>,
    /// The task's expected product.
    pub expected_product: Option<String>,
    /// The assigning user's name.
    pub assigned_by_name: Option<String>,
    /// The working visit whose conclusion this is (a directive), if any.
    pub visit_id: Option<i64>,
    /// That visit's title.
    pub visit_title: Option<String>,
    /// The stop the conclusion was taken at (none: the whole visit).
    pub visit_stop_id: Option<i64>,
    /// The host of that stop.
    pub visit_stop_host: Option<String>,
    /// The day of that stop.
    pub visit_stop_date: Option<NaiveDate>,
}

/// The details of an assignment.
pub async fn extra(ex: &impl Exec, id: i64) -> Result<Option<AssignmentExtra>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT a.source_document_id, d.symbol AS source_symbol, a.origin, a.note, a.blocked_reason, t.expected_product, \
             u.display_name AS assigned_by_name, vc.visit_id, v.title AS visit_title, vc.stop_id AS visit_stop_id, \
             vo.name AS visit_stop_host, vs.on_date AS visit_stop_date FROM assignments a JOIN tasks t ON t.id = a.task_id \
             LEFT JOIN legal_documents d ON d.id = a.source_document_id LEFT JOIN users u ON u.id = a.assigned_by \
             LEFT JOIN visit_conclusions vc ON vc.task_id = a.task_id LEFT JOIN visits v ON v.id = vc.visit_id \
             LEFT JOIN visit_stops vs ON vs.id = vc.stop_id LEFT JOIN organizations vo ON vo.id = vs.host_org_id \
             WHERE a.id = $1",
        )
        .bind(id),
    )
    .await
}

/// The user who assigned it, if recorded and still active (the one told of new progress updates).
pub async fn assigner(ex: &impl Exec, id: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> = ex
        .fetch_optional(
            Query::new(
                "SELECT u.id FROM assignments a JOIN users u ON u.id = a.assigned_by \
                 WHERE a.id = $1 AND u.status = 'active'",
            )
            .bind(id),
        )
        .await?;
    Ok(row.and_then(|(id,)| id))
}

/// The coordinating organisations of an assignment: (id, name).
pub async fn coordinators(ex: &impl Exec, id: i64) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT o.id, o.name FROM assignment_coordinators c JOIN organizations o ON o.id = c.org_id \
             WHERE c.assignment_id = $1 ORDER BY o.sort_key",
        )
        .bind(id),
    )
    .await
}

/// Whether one of the organisations coordinates the assignment.
pub async fn coordinated_by_any(ex: &impl Exec, id: i64, orgs: &[i64]) -> Result<bool, DbError> {
    if orgs.is_empty() {
        return Ok(false);
    }
    let mut q = Query::new("SELECT COUNT(*) FROM assignment_coordinators WHERE assignment_id = ");
    q.push_bind(id).push(" AND org_id IN (");
    push_ids(&mut q, orgs);
    q.push(")");
    let (n,): (i64,) = ex.fetch_one(q).await?;
    Ok(n > 0)
}

/// Filters of assignment lists and dashboards (the derived status is filtered by the caller).
#[derive(Debug, Clone, Default)]
pub struct AssignmentFilter {
    /// Only tasks of these plans.
    pub plans: Option<Vec<i64>>,
    /// Only those led by this organisation.
    pub lead: Option<i64>,
    /// Only those led or coordinated by this organisation.
    pub involving: Option<i64>,
    /// Only those led by one of these organisations (a locality and its units).
    pub leads_in: Option<Vec<i64>>,
    /// Words of the task's title, diacritics ignored.
    pub q: Option<String>,
    /// Only those that may be overdue on `today` (open, not cancelled, due before today or yearly).
    pub open_and_due_before: Option<NaiveDate>,
    /// Only this task.
    pub task: Option<i64>,
}

/// Assignments matching the filter and visible to the caller, oldest first.
pub async fn list(
    ex: &impl Exec,
    filter: &AssignmentFilter,
    visibility: &Visibility,
) -> Result<Vec<AssignmentRow>, DbError> {
    if visibility.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1"));
    visibility.push_condition(&mut q);
    if let Some(plans) = &filter.plans {
        q.push(" AND t.plan_id IN (");
        push_ids(&mut q, plans);
        q.push(")");
    }
    if let Some(lead) = filter.lead {
        q.push(" AND a.lead_org_id = ").push_bind(lead);
    }
    if let Some(org) = filter.involving {
        q.push(" AND (a.lead_org_id = ").push_bind(org);
        q.push(" OR a.id IN (SELECT assignment_id FROM assignment_coordinators WHERE org_id = ")
            .push_bind(org)
            .push("))");
    }
    if let Some(leads) = &filter.leads_in {
        q.push(" AND a.lead_org_id IN (");
        push_ids(&mut q, leads);
        q.push(")");
    }
    if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
        for word in tiendo_core::text::fold(text).split_whitespace() {
            q.push(" AND t.title_folded LIKE ").push_bind(format!("%{word}%"));
        }
    }
    if let Some(today) = filter.open_and_due_before {
        q.push(" AND a.cancelled = FALSE AND ((a.completed_on IS NULL AND a.due_on < ").push_bind(today);
        q.push(" AND a.deadline_kind IN ('fixed', 'period')) OR a.deadline_kind = 'yearly')");
    }
    if let Some(task) = filter.task {
        q.push(" AND a.task_id = ").push_bind(task);
    }
    q.push(" ORDER BY a.id");
    ex.fetch_all(q).await
}

/// The flags the assigning side sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Flags {
    /// At risk.
    pub at_risk: bool,
    /// Blocked.
    pub blocked: bool,
    /// Why it is blocked.
    pub blocked_reason: Option<String>,
    /// Cancelled.
    pub cancelled: bool,
}

/// Sets the flags of an assignment.
pub async fn set_flags(ex: &impl Exec, id: i64, flags: &Flags, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE assignments SET flagged_at_risk = $1, blocked = $2, blocked_reason = $3, cancelled = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(flags.at_risk)
        .bind(flags.blocked)
        .bind(flags.blocked_reason.clone())
        .bind(flags.cancelled)
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// Records an update's effect on its assignment: there are updates, the latest accepted progress, and the
/// completion date when an accepted update completes it.
pub async fn apply_update(
    ex: &impl Exec,
    id: i64,
    accepted_percent: Option<i64>,
    completed_on: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut q = Query::new("UPDATE assignments SET has_updates = TRUE, last_update_at = ");
    q.push_bind(at).push(", updated_at = ").push_bind(at);
    if let Some(p) = accepted_percent {
        q.push(", percent = ").push_bind(p);
    }
    if let Some(done) = completed_on {
        q.push(", completed_on = ").push_bind(done);
    }
    q.push(" WHERE id = ").push_bind(id);
    ex.execute(q).await?;
    Ok(())
}

/// The commune-level People's Committees in force, in Vietnamese order: the leads of "assign to every
/// commune".
pub async fn commune_committees(ex: &impl Exec) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(Query::new(
            "SELECT id FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
