//! Deadlines and the status of an assignment, derived from its deadline and its accepted completion,
//! never typed in (DESIGN.md §6). The four categories of the Government's reporting scheme (completed on
//! time, completed late, in progress within the deadline, overdue) are reproduced, with "not started"
//! as a case of the third, and the flags "at risk" and "blocked".

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// When an assignment is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    /// By a fixed date.
    Fixed {
        /// The date.
        date: NaiveDate,
    },
    /// Every year by a given day (a yearly report, say); each year is a cycle.
    Yearly {
        /// Month, 1–12.
        month: u32,
        /// Day of the month.
        day: u32,
    },
    /// Continuous ("thường xuyên"): never overdue.
    Continuous,
    /// Within a period; due at its end.
    Period {
        /// Start of the period.
        from: NaiveDate,
        /// End of the period (the due date).
        to: NaiveDate,
    },
}

impl Deadline {
    /// The stored kind code.
    pub fn kind_code(&self) -> &'static str {
        match self {
            Deadline::Fixed { .. } => "fixed",
            Deadline::Yearly { .. } => "yearly",
            Deadline::Continuous => "continuous",
            Deadline::Period { .. } => "period",
        }
    }

    /// The date this deadline falls on in `year` for a yearly deadline (29 February becomes the 28th in
    /// other years).
    fn in_year(month: u32, day: u32, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(year, month, day.saturating_sub(1)))
    }

    /// The due date of the cycle that contains `on` (for a yearly deadline, that year's date), or `None`
    /// for a continuous task.
    pub fn due_for(&self, on: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Deadline::Fixed { date } => Some(date),
            Deadline::Period { to, .. } => Some(to),
            Deadline::Yearly { month, day } => Deadline::in_year(month, day, on.year()),
            Deadline::Continuous => None,
        }
    }

    /// Whether the deadline is valid for an assignment made on `assigned_on`: a fixed date or the end of a
    /// period must not precede it, a period must not end before it starts, a yearly day must exist.
    pub fn check(&self, assigned_on: NaiveDate) -> Result<(), DeadlineError> {
        match *self {
            Deadline::Fixed { date } if date < assigned_on => Err(DeadlineError::BeforeAssignment),
            Deadline::Period { from, to } if to < from => Err(DeadlineError::PeriodReversed),
            Deadline::Period { to, .. } if to < assigned_on => Err(DeadlineError::BeforeAssignment),
            Deadline::Yearly { month, day } if NaiveDate::from_ymd_opt(2024, month, day).is_none() => {
                Err(DeadlineError::NoSuchDay)
            }
            _ => Ok(()),
        }
    }
}

/// Why a deadline is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The deadline is before the assignment date.
    #[error("the deadline is before the assignment date")]
    BeforeAssignment,
    /// The period ends before it starts.
    #[error("the period ends before it starts")]
    PeriodReversed,
    /// The day does not exist (31 April).
    #[error("no such day of the year")]
    NoSuchDay,
}

impl DeadlineError {
    /// The field error code.
    pub fn code(self) -> &'static str {
        match self {
            DeadlineError::BeforeAssignment => "deadline_before_assignment",
            DeadlineError::PeriodReversed => "period_reversed",
            DeadlineError::NoSuchDay => "no_such_day",
        }
    }
}

/// What is known of an assignment, as of a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssignmentFacts {
    /// The deadline.
    pub deadline: Deadline,
    /// The date of the latest accepted completion (for a yearly deadline: of the latest cycle).
    pub completed_on: Option<NaiveDate>,
    /// Whether any progress update was submitted or accepted.
    pub has_updates: bool,
    /// The progress of the latest accepted update, 0–100.
    pub percent: u8,
    /// Flagged at risk by the assigning side.
    pub flagged_at_risk: bool,
    /// Blocked (waiting for guidance, say).
    pub blocked: bool,
    /// Cancelled or superseded by an adjustment.
    pub cancelled: bool,
}

/// The derived state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// Overdue: the deadline passed without an accepted completion.
    Overdue,
    /// Not started: within the deadline, no update yet.
    NotStarted,
    /// In progress within the deadline.
    InProgress,
    /// Completed late.
    CompletedLate,
    /// Completed on time.
    CompletedOnTime,
    /// Cancelled or adjusted; left out of the counts.
    Cancelled,
}

impl StatusKind {
    /// Every state, in the order dashboards show them.
    pub const ALL: [StatusKind; 6] = [
        StatusKind::CompletedOnTime,
        StatusKind::CompletedLate,
        StatusKind::InProgress,
        StatusKind::NotStarted,
        StatusKind::Overdue,
        StatusKind::Cancelled,
    ];

    /// The stable code (`completed_on_time`, …).
    pub fn code(self) -> &'static str {
        match self {
            StatusKind::Overdue => "overdue",
            StatusKind::NotStarted => "not_started",
            StatusKind::InProgress => "in_progress",
            StatusKind::CompletedLate => "completed_late",
            StatusKind::CompletedOnTime => "completed_on_time",
            StatusKind::Cancelled => "cancelled",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<StatusKind> {
        StatusKind::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Government's category (Quy chế theo dõi: four groups), or `None` for cancelled.
    pub fn category(self) -> Option<GovernmentCategory> {
        match self {
            StatusKind::CompletedOnTime => Some(GovernmentCategory::CompletedOnTime),
            StatusKind::CompletedLate => Some(GovernmentCategory::CompletedLate),
            StatusKind::InProgress | StatusKind::NotStarted => Some(GovernmentCategory::InProgressWithinDeadline),
            StatusKind::Overdue => Some(GovernmentCategory::Overdue),
            StatusKind::Cancelled => None,
        }
    }

    /// Whether the state is a completion.
    pub fn is_completed(self) -> bool {
        matches!(self, StatusKind::CompletedOnTime | StatusKind::CompletedLate)
    }
}

/// The four groups the Government's monitoring system reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovernmentCategory {
    /// Đã hoàn thành đúng hạn.
    CompletedOnTime,
    /// Đã hoàn thành nhưng quá hạn.
    CompletedLate,
    /// Đang thực hiện trong hạn.
    InProgressWithinDeadline,
    /// Quá hạn chưa hoàn thành.
    Overdue,
}

/// The derived status of an assignment as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedStatus {
    /// The state.
    pub kind: StatusKind,
    /// The due date of the current cycle, if any.
    pub due_on: Option<NaiveDate>,
    /// Days past the due date (overdue, or late completion).
    pub days_late: Option<i64>,
    /// At risk: flagged, or due within [`AT_RISK_DAYS`] days with progress below [`AT_RISK_PERCENT`].
    pub at_risk: bool,
    /// Blocked.
    pub blocked: bool,
}

/// Days before the deadline within which low progress makes an assignment "at risk".
pub const AT_RISK_DAYS: i64 = 14;
/// The progress below which an assignment near its deadline is "at risk".
pub const AT_RISK_PERCENT: u8 = 70;

/// Derives the status of an assignment as of `today`.
pub fn derive_status(facts: &AssignmentFacts, today: NaiveDate) -> DerivedStatus {
    let blocked = facts.blocked;
    if facts.cancelled {
        return DerivedStatus { kind: StatusKind::Cancelled, due_on: None, days_late: None, at_risk: false, blocked };
    }
    let due = facts.deadline.due_for(today);
    // A completion counts for the current cycle: always for a fixed or period deadline; for a yearly one
    // only when it happened this year.
    let completion = match facts.deadline {
        Deadline::Yearly { .. } => facts.completed_on.filter(|c| c.year() == today.year()),
        _ => facts.completed_on,
    };
    if let Some(done) = completion {
        let due_then = facts.deadline.due_for(done);
        let late = due_then.map(|d| (done - d).num_days()).filter(|d| *d > 0);
        let kind = if late.is_some() { StatusKind::CompletedLate } else { StatusKind::CompletedOnTime };
        return DerivedStatus { kind, due_on: due_then, days_late: late, at_risk: false, blocked: false };
    }
    if let Some(d) = due
        && today > d
    {
        return DerivedStatus {
            kind: StatusKind::Overdue,
            due_on: Some(d),
            days_late: Some((today - d).num_days()),
            at_risk: false,
            blocked,
        };
    }
    let kind = if facts.has_updates || facts.percent > 0 { StatusKind::InProgress } else { StatusKind::NotStarted };
    let near = due.is_some_and(|d| (d - today).num_days() <= AT_RISK_DAYS);
    let at_risk = facts.flagged_at_risk || (near && facts.percent < AT_RISK_PERCENT);
    DerivedStatus { kind, due_on: due, days_late: None, at_risk, blocked }
}

/// Weighted progress, 0–100, of items given as (weight, percent). Items with no weight count as 1; an
/// empty list is 0.
pub fn rollup(items: &[(f64, f64)]) -> f64 {
    let total: f64 = items.iter().map(|(w, _)| if *w > 0.0 { *w } else { 1.0 }).sum();
    if total == 0.0 {
        return 0.0;
    }
    let sum: f64 = items.iter().map(|(w, p)| (if *w > 0.0 { *w } else { 1.0 }) * p.clamp(0.0, 100.0)).sum();
    sum / total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(deadline: Deadline) -> AssignmentFacts {
        AssignmentFacts {
            deadline,
            completed_on: None,
            has_updates: false,
            percent: 0,
            flagged_at_risk: false,
            blocked: false,
            cancelled: false,
        }
    }

    #[test]
    fn a_fixed_deadline_gives_the_four_government_categories() {
        let f = facts(Deadline::Fixed { date: d(2020, 6, 30) });
        assert_eq!(derive_status(&f, d(2020, 3, 1)).kind, StatusKind::NotStarted);
        let started = AssignmentFacts { has_updates: true, percent: 40, ..f };
        assert_eq!(derive_status(&started, d(2020, 3, 1)).kind, StatusKind::InProgress);
        let overdue = derive_status(&started, d(2020, 7, 10));
        assert_eq!((overdue.kind, overdue.days_late), (StatusKind::Overdue, Some(10)));
        let on_time = AssignmentFacts { completed_on: Some(d(2020, 6, 30)), ..f };
        assert_eq!(derive_status(&on_time, d(2021, 1, 1)).kind, StatusKind::CompletedOnTime);
        let late = AssignmentFacts { completed_on: Some(d(2020, 8, 4)), ..f };
        let s = derive_status(&late, d(2021, 1, 1));
        assert_eq!((s.kind, s.days_late), (StatusKind::CompletedLate, Some(35)));
        assert_eq!(s.kind.category(), Some(GovernmentCategory::CompletedLate));
        assert_eq!(StatusKind::NotStarted.category(), Some(GovernmentCategory::InProgressWithinDeadline));
    }

    #[test]
    fn a_yearly_deadline_restarts_every_year() {
        let f = facts(Deadline::Yearly { month: 12, day: 15 });
        let done_2019 = AssignmentFacts { completed_on: Some(d(2019, 12, 10)), has_updates: true, ..f };
        assert_eq!(derive_status(&done_2019, d(2019, 12, 31)).kind, StatusKind::CompletedOnTime);
        // In 2020 the cycle starts again.
        assert_eq!(derive_status(&done_2019, d(2020, 3, 1)).kind, StatusKind::InProgress);
        let s = derive_status(&done_2019, d(2020, 12, 20));
        assert_eq!((s.kind, s.due_on), (StatusKind::Overdue, Some(d(2020, 12, 15))));
    }

    #[test]
    fn a_continuous_task_is_never_overdue() {
        let f = facts(Deadline::Continuous);
        assert_eq!(derive_status(&f, d(2030, 1, 1)).kind, StatusKind::NotStarted);
        let s = derive_status(&AssignmentFacts { has_updates: true, ..f }, d(2030, 1, 1));
        assert_eq!((s.kind, s.due_on, s.at_risk), (StatusKind::InProgress, None, false));
    }

    #[test]
    fn a_period_is_due_at_its_end() {
        let f = facts(Deadline::Period { from: d(2021, 1, 1), to: d(2021, 12, 31) });
        assert_eq!(derive_status(&f, d(2022, 1, 2)).days_late, Some(2));
    }

    #[test]
    fn low_progress_near_the_deadline_is_at_risk_and_flags_are_kept() {
        let f = AssignmentFacts { has_updates: true, percent: 30, ..facts(Deadline::Fixed { date: d(2020, 6, 30) }) };
        assert!(!derive_status(&f, d(2020, 5, 1)).at_risk);
        assert!(derive_status(&f, d(2020, 6, 20)).at_risk);
        assert!(!derive_status(&AssignmentFacts { percent: 90, ..f }, d(2020, 6, 20)).at_risk);
        assert!(derive_status(&AssignmentFacts { flagged_at_risk: true, ..f }, d(2020, 5, 1)).at_risk);
        assert!(derive_status(&AssignmentFacts { blocked: true, ..f }, d(2020, 5, 1)).blocked);
        assert_eq!(derive_status(&AssignmentFacts { cancelled: true, ..f }, d(2020, 5, 1)).kind, StatusKind::Cancelled);
    }

    #[test]
    fn deadlines_before_the_assignment_are_refused() {
        let assigned = d(2020, 3, 1);
        assert_eq!(Deadline::Fixed { date: d(2020, 2, 1) }.check(assigned), Err(DeadlineError::BeforeAssignment));
        assert_eq!(
            Deadline::Period { from: d(2020, 5, 1), to: d(2020, 4, 1) }.check(assigned),
            Err(DeadlineError::PeriodReversed)
        );
        assert_eq!(Deadline::Yearly { month: 4, day: 31 }.check(assigned), Err(DeadlineError::NoSuchDay));
        assert_eq!(Deadline::Yearly { month: 2, day: 29 }.check(assigned), Ok(()));
        assert_eq!(Deadline::Continuous.check(assigned), Ok(()));
    }

    #[test]
    fn progress_rolls_up_by_weight() {
        assert_eq!(rollup(&[]), 0.0);
        assert_eq!(rollup(&[(1.0, 100.0), (1.0, 0.0)]), 50.0);
        assert_eq!(rollup(&[(3.0, 100.0), (1.0, 0.0)]), 75.0);
        assert_eq!(rollup(&[(0.0, 80.0), (1.0, 40.0)]), 60.0);
        assert_eq!(rollup(&[(1.0, 150.0)]), 100.0);
    }
}
