//! The derived status of an assignment, in SQL, so that lists filtered by status ("overdue", "at risk")
//! and sorted most overdue first are paged by the database with a total.
//!
//! The rule is [`tiendo_core::monitoring::derive_status`]; this is its translation for the rows the
//! database holds, and `tests/it/monitoring_data.rs` checks on a generated province that both agree on
//! every row and every day tried. It reads:
//!
//! - the due date of the current cycle: a fixed date or the end of a period; for a yearly deadline, this
//!   year's day (29 February falls on the 28th in other years, the 31st of a 30-day month on the 30th);
//!   none for a continuous task (or a deadline stored incomplete, which the rule reads as continuous);
//! - a completion: the accepted completion date, for a yearly deadline only when it is in this year; late
//!   when after the due date of its cycle;
//! - overdue: not completed, and the due date before today; at risk: flagged, or due within
//!   [`AT_RISK_DAYS`] days with progress under [`AT_RISK_PERCENT`]; blocked: flagged, unless completed.
//!
//! Dates are compared as `yyyymmdd` numbers ([`crate::dialect::date_number`]), so a yearly day needs no date
//! built in SQL.

use chrono::{Datelike, Duration, NaiveDate};
use tiendo_core::monitoring::deadline::{AT_RISK_DAYS, AT_RISK_PERCENT};
use tiendo_core::monitoring::{DerivedStatus, StatusKind};

use crate::dialect;
use crate::pool::Backend;
use crate::query::Query;

/// A filter on the derived status, as the lists offer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// In this state.
    Kind(StatusKind),
    /// At risk (flagged, or near the deadline with low progress).
    AtRisk,
    /// Blocked.
    Blocked,
}

impl StatusFilter {
    /// Whether an assignment of this derived status matches (the rule the SQL of this module translates).
    pub fn matches(self, status: &DerivedStatus) -> bool {
        match self {
            StatusFilter::Kind(kind) => status.kind == kind,
            StatusFilter::AtRisk => status.at_risk,
            StatusFilter::Blocked => status.blocked,
        }
    }

    /// Parses a state's code, or `at_risk`, `blocked`.
    pub fn from_code(code: &str) -> Option<StatusFilter> {
        match code {
            "at_risk" => Some(StatusFilter::AtRisk),
            "blocked" => Some(StatusFilter::Blocked),
            other => StatusKind::from_code(other).map(StatusFilter::Kind),
        }
    }
}

/// `yyyymmdd` of a date.
fn number(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// Appends the assignments as of `today`, aliased `a`: every column of `assignments`, and
/// `due_number` (the due date of the current cycle as `yyyymmdd`, or NULL) and `done` (1 when a completion
/// counts for the current cycle, else 0).
pub(crate) fn push_assignments_as_of(q: &mut Query, backend: Backend, today: NaiveDate) {
    let year = today.year();
    let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
    q.push("(SELECT k.*, CASE k.due_kind WHEN 'dated' THEN ");
    q.push(&dialect::date_number(backend, "k.due_on"));
    q.push(" WHEN 'yearly' THEN ").push_bind(i64::from(year) * 10_000);
    q.push(" + k.yearly_month * 100 + CASE WHEN k.yearly_month = 2 AND k.yearly_day = 29 THEN ");
    q.push_bind(if leap { 29_i64 } else { 28 });
    q.push(
        " WHEN k.yearly_day = 31 AND k.yearly_month IN (4, 6, 9, 11) THEN 30 ELSE k.yearly_day END END AS due_number, \
         CASE WHEN k.completed_on IS NOT NULL AND (k.due_kind <> 'yearly' OR (k.completed_on >= ",
    );
    q.push_bind(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today));
    q.push(" AND k.completed_on < ").push_bind(NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(today));
    q.push(
        ")) THEN 1 ELSE 0 END AS done FROM (SELECT x.*, CASE \
         WHEN x.deadline_kind = 'fixed' AND x.due_on IS NOT NULL THEN 'dated' \
         WHEN x.deadline_kind = 'period' AND x.due_on IS NOT NULL AND x.period_start IS NOT NULL THEN 'dated' \
         WHEN x.deadline_kind = 'yearly' AND x.yearly_month BETWEEN 1 AND 12 AND x.yearly_day BETWEEN 1 AND 31 \
         AND NOT (x.yearly_month = 2 AND x.yearly_day > 29) THEN 'yearly' \
         ELSE 'none' END AS due_kind FROM assignments x) k) a",
    );
}

/// Overdue on `today`: not cancelled, not completed, due before today.
fn push_overdue(q: &mut Query, today: NaiveDate) {
    q.push("(a.cancelled = FALSE AND a.done = 0 AND a.due_number IS NOT NULL AND a.due_number < ");
    q.push_bind(number(today)).push(")");
}

/// Open on `today`: not cancelled, not completed, not overdue.
fn push_open(q: &mut Query, today: NaiveDate) {
    q.push("(a.cancelled = FALSE AND a.done = 0 AND (a.due_number IS NULL OR a.due_number >= ");
    q.push_bind(number(today)).push("))");
}

/// A completion late for its cycle.
fn push_late(q: &mut Query, backend: Backend) {
    q.push("(a.due_number IS NOT NULL AND ");
    q.push(&dialect::date_number(backend, "a.completed_on"));
    q.push(" > a.due_number)");
}

/// Appends ` AND <condition>` keeping the assignments (from [`push_assignments_as_of`]) whose derived status
/// on `today` matches `filter`.
pub(crate) fn push_status_condition(q: &mut Query, backend: Backend, today: NaiveDate, filter: StatusFilter) {
    q.push(" AND ");
    match filter {
        StatusFilter::Kind(StatusKind::Cancelled) => {
            q.push("a.cancelled = TRUE");
        }
        StatusFilter::Kind(StatusKind::CompletedLate) => {
            q.push("a.cancelled = FALSE AND a.done = 1 AND ");
            push_late(q, backend);
        }
        StatusFilter::Kind(StatusKind::CompletedOnTime) => {
            q.push("a.cancelled = FALSE AND a.done = 1 AND NOT ");
            push_late(q, backend);
        }
        StatusFilter::Kind(StatusKind::Overdue) => push_overdue(q, today),
        StatusFilter::Kind(StatusKind::InProgress) => {
            push_open(q, today);
            q.push(" AND (a.has_updates = TRUE OR a.percent > 0)");
        }
        StatusFilter::Kind(StatusKind::NotStarted) => {
            push_open(q, today);
            q.push(" AND a.has_updates = FALSE AND a.percent <= 0");
        }
        StatusFilter::AtRisk => {
            push_open(q, today);
            q.push(" AND (a.flagged_at_risk = TRUE OR (a.due_number IS NOT NULL AND a.due_number <= ");
            q.push_bind(number(today + Duration::days(AT_RISK_DAYS)));
            q.push(" AND a.percent < ").push_bind(i64::from(AT_RISK_PERCENT)).push("))");
        }
        StatusFilter::Blocked => {
            q.push("a.blocked = TRUE AND (a.cancelled = TRUE OR a.done = 0)");
        }
    }
}

/// Appends ` ORDER BY`: the overdue first, most days overdue first, then by id (as the lists show them).
pub(crate) fn push_overdue_first(q: &mut Query, today: NaiveDate) {
    q.push(" ORDER BY CASE WHEN ");
    push_overdue(q, today);
    q.push(" THEN a.due_number ELSE 99999999 END, a.id");
}
