//! When a unit is reminded of a report: from `days_before` days before the due day until the due day
//! ("due soon", once), and in the week after it while the report has not been sent ("overdue", once). Ad
//! hoc reports are asked for by name and have no schedule to remind of.

use chrono::{Datelike, Duration, NaiveDate};

use super::period::{Period, Periodicity};

/// How many days after the due day an overdue reminder is still sent (a missed run catches up).
pub const OVERDUE_CATCH_UP_DAYS: i64 = 7;

/// The kind of a report reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportReminder {
    /// The due day is near.
    DueSoon,
    /// The due day has passed.
    Overdue,
}

impl ReportReminder {
    /// The stable code (notification kind and ledger key).
    pub fn code(self) -> &'static str {
        match self {
            ReportReminder::DueSoon => "report_due_soon",
            ReportReminder::Overdue => "report_overdue",
        }
    }
}

/// The reminder owed on `today` for a report due on `due_on`, if any.
pub fn reminder_on(due_on: NaiveDate, today: NaiveDate, days_before: u32) -> Option<ReportReminder> {
    let days_left = (due_on - today).num_days();
    if (0..=i64::from(days_before)).contains(&days_left) {
        Some(ReportReminder::DueSoon)
    } else if (-OVERDUE_CATCH_UP_DAYS..0).contains(&days_left) {
        Some(ReportReminder::Overdue)
    } else {
        None
    }
}

/// The periods of a periodicity whose due day (`due_days` after their end) falls between the catch-up
/// window before `today` and `days_before` days after it: those a reminder may be owed for.
pub fn periods_to_remind(periodicity: Periodicity, due_days: u32, today: NaiveDate, days_before: u32) -> Vec<Period> {
    let mut period = match periodicity {
        Periodicity::Monthly => Period::Month(today.year() - 2, 1),
        Periodicity::Quarterly => Period::Quarter(today.year() - 2, 1),
        Periodicity::HalfYearly => Period::FirstHalf(today.year() - 2),
        Periodicity::NineMonthly => Period::NineMonths(today.year() - 2),
        Periodicity::Yearly => Period::Year(today.year() - 2),
        Periodicity::AdHoc => return Vec::new(),
    };
    let first = today - Duration::days(OVERDUE_CATCH_UP_DAYS);
    let last = today + Duration::days(i64::from(days_before));
    let mut out = Vec::new();
    while period.start() <= last {
        let due = period.end() + Duration::days(i64::from(due_days));
        if first <= due && due <= last {
            out.push(period);
        }
        match period.next() {
            Some(next) => period = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_report_is_reminded_before_its_due_day_and_in_the_week_after() {
        let due = d(2026, 2, 1);
        assert_eq!(reminder_on(due, d(2026, 1, 25), 7), Some(ReportReminder::DueSoon));
        assert_eq!(reminder_on(due, due, 7), Some(ReportReminder::DueSoon));
        assert_eq!(reminder_on(due, d(2026, 1, 24), 7), None, "too early");
        assert_eq!(reminder_on(due, d(2026, 2, 2), 7), Some(ReportReminder::Overdue));
        assert_eq!(reminder_on(due, d(2026, 2, 8), 7), Some(ReportReminder::Overdue));
        assert_eq!(reminder_on(due, d(2026, 2, 9), 7), None, "the catch-up week is over");
    }

    #[test]
    fn the_periods_to_remind_are_those_due_around_today() {
        // A yearly report due 32 days after the year: 2025 is due on 01/02/2026.
        assert_eq!(periods_to_remind(Periodicity::Yearly, 32, d(2026, 1, 28), 7), [Period::Year(2025)]);
        assert!(periods_to_remind(Periodicity::Yearly, 32, d(2026, 6, 1), 7).is_empty());
        // A monthly report due 10 days after the month, on 15/03: February (due 10/03) is overdue.
        assert_eq!(periods_to_remind(Periodicity::Monthly, 10, d(2026, 3, 15), 7), [Period::Month(2026, 2)]);
        assert!(periods_to_remind(Periodicity::AdHoc, 0, d(2026, 3, 15), 7).is_empty());
    }
}
