//! Assignments: a task given to a lead organisation (with coordinating organisations and a deadline).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use tiendo_core::monitoring::{AssignmentFacts, Deadline, DerivedStatus, StatusKind, derive_status};

use super::status_sql::{StatusFilter, push_assignments_as_of, push_overdue_first, push_status_condition};
use super::{Visibility, push_ids};
use crate::error::DbError;
use crate::json;
use crate::query::{Exec, Query};

/// An assignment with what lists and dashboards show. Lists read it as JSON on some backends
/// ([`crate::json`]), so the fields are in the order of the columns.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
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
    #[serde(deserialize_with = "json::optional_date")]
    pub due_on: Option<NaiveDate>,
    /// The start of the period.
    #[serde(deserialize_with = "json::optional_date")]
    pub period_start: Option<NaiveDate>,
    /// Month of a yearly deadline.
    pub yearly_month: Option<i64>,
    /// Day of a yearly deadline.
    pub yearly_day: Option<i64>,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The date of assignment.
    #[serde(deserialize_with = "json::date")]
    pub assigned_on: NaiveDate,
    /// Flagged at risk.
    #[serde(deserialize_with = "json::boolean")]
    pub flagged_at_risk: bool,
    /// Blocked.
    #[serde(deserialize_with = "json::boolean")]
    pub blocked: bool,
    /// Cancelled.
    #[serde(deserialize_with = "json::boolean")]
    pub cancelled: bool,
    /// The accepted completion date.
    #[serde(deserialize_with = "json::optional_date")]
    pub completed_on: Option<NaiveDate>,
    /// Latest accepted progress.
    pub percent: i64,
    /// Whether an update was submitted or accepted.
    #[serde(deserialize_with = "json::boolean")]
    pub has_updates: bool,
    /// The latest update.
    pub last_update_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    #[serde(deserialize_with = "json::boolean")]
    pub is_sample: bool,
}

impl AssignmentRow {
    /// The deadline as a domain value (a malformed row is read as continuous rather than failing a list).
    pub fn deadline(&self) -> Deadline {
        deadline_of(&self.deadline_kind, self.due_on, self.period_start, self.yearly_month, self.yearly_day)
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

/// The deadline stored in the columns of an assignment (a malformed row is read as continuous rather than
/// failing a list).
fn deadline_of(
    kind: &str,
    due_on: Option<NaiveDate>,
    period_start: Option<NaiveDate>,
    yearly_month: Option<i64>,
    yearly_day: Option<i64>,
) -> Deadline {
    match kind {
        "fixed" => due_on.map_or(Deadline::Continuous, |date| Deadline::Fixed { date }),
        "period" => match (period_start, due_on) {
            (Some(from), Some(to)) => Deadline::Period { from, to },
            _ => Deadline::Continuous,
        },
        "yearly" => match (yearly_month, yearly_day) {
            (Some(m), Some(d)) => {
                Deadline::Yearly { month: u32::try_from(m).unwrap_or(12), day: u32::try_from(d).unwrap_or(31) }
            }
            _ => Deadline::Continuous,
        },
        _ => Deadline::Continuous,
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
    /// Only those that may be overdue on this day (see [`push_overdue_candidates`]); the caller derives the
    /// status to keep those that are.
    pub open_and_due_before: Option<NaiveDate>,
    /// Only this task.
    pub task: Option<i64>,
    /// Only these assignments.
    pub ids: Option<Vec<i64>>,
    /// Only of this priority (`high`, `normal`, `low`).
    pub priority: Option<String>,
}

/// Appends the conditions of `filter` and `visibility` on an assignment aliased `a` (its task `t`).
fn push_filter(q: &mut Query, filter: &AssignmentFilter, visibility: &Visibility) {
    visibility.push_condition(q);
    if let Some(plans) = &filter.plans {
        q.push(" AND t.plan_id IN (");
        push_ids(q, plans);
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
        push_ids(q, leads);
        q.push(")");
    }
    if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
        for word in tiendo_core::text::fold(text).split_whitespace() {
            q.push(" AND t.title_folded LIKE ").push_bind(format!("%{word}%"));
        }
    }
    if let Some(today) = filter.open_and_due_before {
        push_overdue_candidates(q, today);
    }
    if let Some(task) = filter.task {
        q.push(" AND a.task_id = ").push_bind(task);
    }
    if let Some(ids) = &filter.ids {
        q.push(" AND a.id IN (");
        push_ids(q, ids);
        q.push(")");
    }
    if let Some(priority) = filter.priority.as_deref().filter(|p| !p.is_empty()) {
        q.push(" AND a.priority = ").push_bind(priority.to_owned());
    }
}

/// Narrows assignments (aliased `a`) to those that may be overdue on `today`, so that the overdue list does
/// not read every assignment. The rule itself stays [`tiendo_core::monitoring::derive_status`]: this only
/// drops rows it could never call overdue, and keeps a few it will not (a malformed deadline, say).
///
/// - cancelled: never overdue;
/// - fixed date or period: not completed, due before today;
/// - yearly: not completed this calendar year, and this year's day (month, day) before today's. When the
///   day does not exist this year (29 February) the rule falls back to the day before, which is also
///   before today whenever the nominal day is;
/// - continuous: never overdue.
pub fn push_overdue_candidates(q: &mut Query, today: NaiveDate) {
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let next_year_start = NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).unwrap_or(today);
    q.push(" AND a.cancelled = FALSE AND ((a.deadline_kind IN ('fixed', 'period') AND a.completed_on IS NULL AND a.due_on < ");
    q.push_bind(today);
    q.push(") OR (a.deadline_kind = 'yearly' AND (a.yearly_month < ").push_bind(i64::from(today.month()));
    q.push(" OR (a.yearly_month = ").push_bind(i64::from(today.month()));
    q.push(" AND a.yearly_day < ").push_bind(i64::from(today.day()));
    q.push(")) AND (a.completed_on IS NULL OR a.completed_on < ").push_bind(year_start);
    q.push(" OR a.completed_on >= ").push_bind(next_year_start).push(")))");
}

/// Assignments matching the filter and visible to the caller, oldest first. Lists of every assignment of a
/// province are long: they are read in the backend's faster way (as one JSON value on SQLite, see
/// `dialect::reads_lists_as_json`).
pub async fn list(
    ex: &impl Exec,
    filter: &AssignmentFilter,
    visibility: &Visibility,
) -> Result<Vec<AssignmentRow>, DbError> {
    if visibility.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<AssignmentRow> = json::fetch_many(ex, COLUMNS, |q| {
        q.push(&format!(" FROM {FROM} WHERE 1 = 1"));
        push_filter(q, filter, visibility);
    })
    .await?;
    rows.sort_unstable_by_key(|r| r.id);
    Ok(rows)
}

/// A page of assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The most rows (`None`: every row, for an export).
    pub limit: Option<i64>,
    /// Rows skipped.
    pub offset: i64,
}

impl PageRequest {
    /// Every row.
    pub const ALL: PageRequest = PageRequest { limit: None, offset: 0 };
}

/// Where an assignment of derived status `status` stands in the lists, as `ORDER BY` of
/// `status_sql::push_overdue_first` puts it: the overdue first, by the due date of their cycle, then the
/// others; then by id. For lists ordered in Rust.
pub fn list_order(status: &DerivedStatus, id: i64) -> (bool, Option<NaiveDate>, i64) {
    let overdue_due = if status.kind == StatusKind::Overdue { status.due_on } else { None };
    (overdue_due.is_none(), overdue_due, id)
}

/// The assignments matching the filter, the derived status (as of `today`) and visible to the caller, the
/// overdue first (most days overdue first), then by id; one page of them, and how many match in all.
/// The status is derived in SQL ([`super::status_sql`]), so the page and the total come from the database.
/// Every row at once ([`PageRequest::ALL`], the overdue list and exports) is read in the backend's faster
/// way (as one JSON value on SQLite, see `dialect::reads_lists_as_json`) and put in the same order here,
/// with no separate count.
pub async fn page(
    ex: &impl Exec,
    filter: &AssignmentFilter,
    status: Option<StatusFilter>,
    visibility: &Visibility,
    today: NaiveDate,
    page: PageRequest,
) -> Result<(Vec<AssignmentRow>, i64), DbError> {
    if visibility.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let backend = ex.backend();
    let build = |q: &mut Query, joins: &str| {
        push_assignments_as_of(q, backend, today);
        q.push(joins);
        q.push(" WHERE 1 = 1");
        push_filter(q, filter, visibility);
        if let Some(status) = status {
            if status == StatusFilter::Kind(StatusKind::Overdue) {
                // Only narrows what the condition below reads, on the columns the index covers.
                push_overdue_candidates(q, today);
            }
            push_status_condition(q, backend, today, status);
        }
    };
    let full = " JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id JOIN organizations o ON o.id = a.lead_org_id";
    let Some(limit) = page.limit else {
        let mut rows: Vec<AssignmentRow> = json::fetch_many(ex, COLUMNS, |q| {
            q.push(" FROM ");
            build(q, full);
        })
        .await?;
        rows.sort_by_cached_key(|r| list_order(&derive_status(&r.facts(), today), r.id));
        let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        rows.drain(..usize::try_from(page.offset).unwrap_or(0).min(rows.len()));
        return Ok((rows, total));
    };
    let mut count = Query::new("SELECT COUNT(*) FROM ");
    build(&mut count, " JOIN tasks t ON t.id = a.task_id");
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM "));
    build(&mut q, full);
    push_overdue_first(&mut q, today);
    q.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(page.offset);
    Ok((ex.fetch_all(q).await?, total))
}

/// What the status of an assignment is derived from, and where it counts: the lean row of dashboards,
/// which summarise every visible assignment and show the names of only a few. Read as JSON on some backends
/// ([`crate::json`]), so the fields are in the order of the columns.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct StatusRow {
    /// Row id.
    pub id: i64,
    /// The task.
    pub task_id: i64,
    /// The task's weight in its plan.
    pub weight: f64,
    /// The plan.
    pub plan_id: i64,
    /// The lead organisation.
    pub lead_org_id: i64,
    /// `fixed`, `yearly`, `continuous` or `period`.
    pub deadline_kind: String,
    /// The due date (fixed) or the end of the period.
    #[serde(deserialize_with = "json::optional_date")]
    pub due_on: Option<NaiveDate>,
    /// The start of the period.
    #[serde(deserialize_with = "json::optional_date")]
    pub period_start: Option<NaiveDate>,
    /// Month of a yearly deadline.
    pub yearly_month: Option<i64>,
    /// Day of a yearly deadline.
    pub yearly_day: Option<i64>,
    /// Flagged at risk.
    #[serde(deserialize_with = "json::boolean")]
    pub flagged_at_risk: bool,
    /// Blocked.
    #[serde(deserialize_with = "json::boolean")]
    pub blocked: bool,
    /// Cancelled.
    #[serde(deserialize_with = "json::boolean")]
    pub cancelled: bool,
    /// The accepted completion date.
    #[serde(deserialize_with = "json::optional_date")]
    pub completed_on: Option<NaiveDate>,
    /// Latest accepted progress.
    pub percent: i64,
    /// Whether an update was submitted or accepted.
    #[serde(deserialize_with = "json::boolean")]
    pub has_updates: bool,
}

impl StatusRow {
    /// The facts the status is derived from (read as [`AssignmentRow::facts`] reads them).
    pub fn facts(&self) -> AssignmentFacts {
        AssignmentFacts {
            deadline: deadline_of(
                &self.deadline_kind,
                self.due_on,
                self.period_start,
                self.yearly_month,
                self.yearly_day,
            ),
            completed_on: self.completed_on,
            has_updates: self.has_updates,
            percent: u8::try_from(self.percent.clamp(0, 100)).unwrap_or(0),
            flagged_at_risk: self.flagged_at_risk,
            blocked: self.blocked,
            cancelled: self.cancelled,
        }
    }
}

/// The columns of a [`StatusRow`], in the order of its fields.
const STATUS_COLUMNS: &str = "a.id, a.task_id, t.weight, t.plan_id, a.lead_org_id, a.deadline_kind, a.due_on, \
     a.period_start, a.yearly_month, a.yearly_day, a.flagged_at_risk, a.blocked, a.cancelled, a.completed_on, a.percent, \
     a.has_updates";

/// The status facts of the assignments matching the filter and visible to the caller, oldest first: the
/// rows of [`list`] without the names and titles. A dashboard reads them all (as one JSON value on SQLite,
/// see `dialect::reads_lists_as_json`).
pub async fn status_rows(
    ex: &impl Exec,
    filter: &AssignmentFilter,
    visibility: &Visibility,
) -> Result<Vec<StatusRow>, DbError> {
    if visibility.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<StatusRow> = json::fetch_many(ex, STATUS_COLUMNS, |q| {
        q.push(" FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE 1 = 1");
        push_filter(q, filter, visibility);
    })
    .await?;
    rows.sort_unstable_by_key(|r| r.id);
    Ok(rows)
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

/// Those of `ids` that are not organisations in force on `day` (unknown, not formed yet, or ended by
/// then): what a task cannot be assigned to on that day.
pub async fn not_in_force(ex: &impl Exec, ids: &[i64], day: NaiveDate) -> Result<Vec<i64>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT id FROM organizations WHERE id IN (");
    push_ids(&mut q, ids);
    q.push(") AND (valid_from IS NULL OR valid_from <= ").push_bind(day);
    q.push(") AND (valid_to IS NULL OR valid_to > ").push_bind(day).push(")");
    let found: Vec<(i64,)> = ex.fetch_all(q).await?;
    Ok(ids.iter().copied().filter(|id| !found.iter().any(|(f,)| f == id)).collect())
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
