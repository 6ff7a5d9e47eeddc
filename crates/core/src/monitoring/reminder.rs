//! Deadline reminders (nhắc hạn): which reminders an assignment is owed on a date. The job that sends
//! them records each one (assignment, kind, due date) so that it goes out once; these rules only say
//! what is due, and may be asked every day.

use chrono::{Datelike, NaiveDate};

use super::deadline::{AssignmentFacts, Deadline};

/// Days after a deadline during which the "overdue" reminder is still sent when it was missed (the job did
/// not run, or the assignment was entered late). Assignments overdue for longer reach the assigning
/// officer through the weekly digest rather than as a late alarm to the unit.
pub const OVERDUE_CATCH_UP_DAYS: i64 = 7;

/// The two reminders of a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// The deadline is near (sắp đến hạn).
    DueSoon,
    /// The deadline passed without an accepted completion (đã quá hạn).
    Overdue,
}

impl ReminderKind {
    /// The stable code, used as the notification kind and in the reminder ledger.
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "deadline_soon",
            ReminderKind::Overdue => "deadline_passed",
        }
    }
}

/// A reminder owed for one due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reminder {
    /// Which one.
    pub kind: ReminderKind,
    /// The due date it is about (for a yearly deadline, that cycle's).
    pub due_on: NaiveDate,
}

/// The due date of a yearly deadline in `year` (29 February falls on the 28th in other years).
fn yearly_in(deadline: &Deadline, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1).and_then(|jan1| deadline.due_for(jan1))
}

/// The first due date on or after `today`, if any.
fn next_due(deadline: &Deadline, today: NaiveDate) -> Option<NaiveDate> {
    match deadline {
        Deadline::Yearly { .. } => {
            yearly_in(deadline, today.year()).filter(|d| *d >= today).or_else(|| yearly_in(deadline, today.year() + 1))
        }
        _ => deadline.due_for(today).filter(|d| *d >= today),
    }
}

/// The last due date before `today`, if any.
fn last_due(deadline: &Deadline, today: NaiveDate) -> Option<NaiveDate> {
    match deadline {
        Deadline::Yearly { .. } => {
            yearly_in(deadline, today.year()).filter(|d| *d < today).or_else(|| yearly_in(deadline, today.year() - 1))
        }
        _ => deadline.due_for(today).filter(|d| *d < today),
    }
}

/// Whether the cycle due on `due` is completed: any accepted completion closes a fixed or period
/// deadline; for a yearly one, a completion counts for the cycle of its own year, as in
/// [`super::derive_status`].
fn completed_for(facts: &AssignmentFacts, due: NaiveDate) -> bool {
    match facts.deadline {
        Deadline::Yearly { .. } => facts.completed_on.is_some_and(|c| c.year() == due.year()),
        _ => facts.completed_on.is_some(),
    }
}

/// The reminders an assignment is owed on `today`: "due soon" from `days_before` days before a due date
/// until the day itself, "overdue" from the day after until [`OVERDUE_CATCH_UP_DAYS`] later. Never for a
/// continuous or cancelled assignment, a completed cycle, or a cycle due before the assignment was made.
/// A yearly deadline may owe both at once (last year's cycle overdue, this year's near).
pub fn reminders_due(
    facts: &AssignmentFacts,
    assigned_on: NaiveDate,
    today: NaiveDate,
    days_before: u32,
) -> Vec<Reminder> {
    if facts.cancelled {
        return Vec::new();
    }
    let owed = |due: NaiveDate| due >= assigned_on && !completed_for(facts, due);
    let mut reminders = Vec::new();
    if let Some(due) = last_due(&facts.deadline, today)
        && (today - due).num_days() <= OVERDUE_CATCH_UP_DAYS
        && owed(due)
    {
        reminders.push(Reminder { kind: ReminderKind::Overdue, due_on: due });
    }
    if let Some(due) = next_due(&facts.deadline, today)
        && (due - today).num_days() <= i64::from(days_before)
        && owed(due)
    {
        reminders.push(Reminder { kind: ReminderKind::DueSoon, due_on: due });
    }
    reminders
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

    fn soon(due: NaiveDate) -> Reminder {
        Reminder { kind: ReminderKind::DueSoon, due_on: due }
    }

    fn overdue(due: NaiveDate) -> Reminder {
        Reminder { kind: ReminderKind::Overdue, due_on: due }
    }

    fn assigned() -> NaiveDate {
        d(2020, 1, 2)
    }

    #[test]
    fn a_fixed_deadline_is_reminded_n_days_before_and_the_day_after() {
        let f = facts(Deadline::Fixed { date: d(2020, 6, 30) });
        assert!(reminders_due(&f, assigned(), d(2020, 6, 22), 7).is_empty(), "8 days before");
        assert_eq!(reminders_due(&f, assigned(), d(2020, 6, 23), 7), vec![soon(d(2020, 6, 30))]);
        assert_eq!(reminders_due(&f, assigned(), d(2020, 6, 30), 7), vec![soon(d(2020, 6, 30))], "the day itself");
        assert_eq!(reminders_due(&f, assigned(), d(2020, 7, 1), 7), vec![overdue(d(2020, 6, 30))]);
        // A missed run catches up for a week, no longer.
        assert_eq!(reminders_due(&f, assigned(), d(2020, 7, 7), 7), vec![overdue(d(2020, 6, 30))]);
        assert!(reminders_due(&f, assigned(), d(2020, 7, 8), 7).is_empty());
        // N is configurable; 0 reminds on the day only.
        assert!(reminders_due(&f, assigned(), d(2020, 6, 23), 3).is_empty());
        assert_eq!(reminders_due(&f, assigned(), d(2020, 6, 27), 3), vec![soon(d(2020, 6, 30))]);
        assert!(reminders_due(&f, assigned(), d(2020, 6, 29), 0).is_empty());
        assert_eq!(reminders_due(&f, assigned(), d(2020, 6, 30), 0), vec![soon(d(2020, 6, 30))]);
    }

    #[test]
    fn a_period_is_reminded_for_its_end() {
        let f = facts(Deadline::Period { from: d(2020, 1, 1), to: d(2020, 3, 31) });
        assert_eq!(reminders_due(&f, assigned(), d(2020, 3, 25), 7), vec![soon(d(2020, 3, 31))]);
        assert_eq!(reminders_due(&f, assigned(), d(2020, 4, 1), 7), vec![overdue(d(2020, 3, 31))]);
    }

    #[test]
    fn a_yearly_deadline_is_reminded_across_the_year_end() {
        // Due 5 January every year: on 31 December the next cycle is next year's.
        let jan5 = facts(Deadline::Yearly { month: 1, day: 5 });
        assert_eq!(reminders_due(&jan5, assigned(), d(2020, 12, 31), 7), vec![soon(d(2021, 1, 5))]);
        assert!(reminders_due(&jan5, assigned(), d(2020, 12, 28), 7).is_empty());
        // Due 31 December: on 1 January the cycle that just passed is last year's.
        let dec31 = facts(Deadline::Yearly { month: 12, day: 31 });
        assert_eq!(reminders_due(&dec31, assigned(), d(2021, 1, 1), 7), vec![overdue(d(2020, 12, 31))]);
        // A completion in 2020 closes the 2020 cycle, not the 2021 one.
        let done_2020 = AssignmentFacts { completed_on: Some(d(2020, 12, 20)), ..dec31 };
        assert!(reminders_due(&done_2020, assigned(), d(2021, 1, 1), 7).is_empty());
        assert_eq!(reminders_due(&done_2020, assigned(), d(2021, 12, 26), 7), vec![soon(d(2021, 12, 31))]);
        // Both at once: last cycle overdue, the next one near (with a long notice).
        assert_eq!(
            reminders_due(&dec31, assigned(), d(2021, 1, 1), 365),
            vec![overdue(d(2020, 12, 31)), soon(d(2021, 12, 31))]
        );
    }

    #[test]
    fn a_leap_day_deadline_falls_on_the_28th_in_other_years() {
        let f = facts(Deadline::Yearly { month: 2, day: 29 });
        assert_eq!(reminders_due(&f, assigned(), d(2021, 2, 28), 0), vec![soon(d(2021, 2, 28))]);
        assert_eq!(reminders_due(&f, assigned(), d(2024, 2, 29), 0), vec![soon(d(2024, 2, 29))]);
    }

    #[test]
    fn continuous_cancelled_and_completed_assignments_are_never_reminded() {
        let continuous = facts(Deadline::Continuous);
        for day in [d(2020, 1, 1), d(2020, 6, 30), d(2020, 12, 31)] {
            assert!(reminders_due(&continuous, assigned(), day, 400).is_empty());
        }
        let fixed = facts(Deadline::Fixed { date: d(2020, 6, 30) });
        let cancelled = AssignmentFacts { cancelled: true, ..fixed };
        assert!(reminders_due(&cancelled, assigned(), d(2020, 6, 29), 7).is_empty());
        assert!(reminders_due(&cancelled, assigned(), d(2020, 7, 1), 7).is_empty());
        let completed = AssignmentFacts { completed_on: Some(d(2020, 6, 1)), ..fixed };
        assert!(reminders_due(&completed, assigned(), d(2020, 6, 29), 7).is_empty());
        let completed_late = AssignmentFacts { completed_on: Some(d(2020, 7, 3)), ..fixed };
        assert!(reminders_due(&completed_late, assigned(), d(2020, 7, 4), 7).is_empty());
    }

    #[test]
    fn a_cycle_due_before_the_assignment_is_not_reminded() {
        let f = facts(Deadline::Yearly { month: 12, day: 15 });
        assert!(reminders_due(&f, d(2020, 12, 18), d(2020, 12, 19), 7).is_empty());
        assert_eq!(reminders_due(&f, d(2020, 12, 10), d(2020, 12, 19), 7), vec![overdue(d(2020, 12, 15))]);
    }

    #[test]
    fn kinds_have_stable_codes() {
        assert_eq!(ReminderKind::DueSoon.code(), "deadline_soon");
        assert_eq!(ReminderKind::Overdue.code(), "deadline_passed");
    }
}
