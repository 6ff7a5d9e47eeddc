//! The month view of the visit calendar: a month, its weeks from Monday (the Vietnamese calendar starts
//! the week on Monday, "Thứ Hai"), and the months before and after.

use chrono::{Datelike, Duration, NaiveDate};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month containing `day`.
    pub fn of(day: NaiveDate) -> Month {
        Month { year: day.year(), month: day.month() }
    }

    /// Parses `2020-02` (the form of the address) or `02/2020` (as people write it).
    pub fn parse(raw: &str) -> Option<Month> {
        let raw = raw.trim();
        let (year, month) = match raw.split_once('-') {
            Some((y, m)) => (y, m),
            None => {
                let (m, y) = raw.split_once('/')?;
                (y, m)
            }
        };
        let (year, month): (i32, u32) = (year.parse().ok()?, month.parse().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1)?;
        (1000..=9999).contains(&year).then_some(Month { year, month })
    }

    /// The month the calendar opens on when none is asked for: this month when a visit falls in it,
    /// else the month of the latest visit that has begun, else of the next one to come, else this month.
    /// `visits` are (first day, last day).
    pub fn to_open(visits: impl IntoIterator<Item = (NaiveDate, NaiveDate)>, today: NaiveDate) -> Month {
        let this = Month::of(today);
        let (mut latest, mut next): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
        for (first, last) in visits {
            if first <= this.last() && last >= this.first() {
                return this;
            }
            if first <= today {
                latest = latest.max(Some(first));
            } else {
                next = Some(next.map_or(first, |n| n.min(first)));
            }
        }
        latest.or(next).map_or(this, Month::of)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// `2020-02`, for addresses.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The first day.
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month always has a first day")
    }

    /// The last day.
    pub fn last(self) -> NaiveDate {
        self.next().first() - Duration::days(1)
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    /// The month before.
    pub fn previous(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }

    /// The weeks shown for the month, Monday to Sunday, from the week of the first day to the week of the
    /// last (days of the neighbouring months fill the first and last weeks).
    pub fn weeks(self) -> Vec<[NaiveDate; 7]> {
        let first = self.first();
        let mut monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        let last = self.last();
        let mut weeks = Vec::new();
        while monday <= last {
            let mut week = [monday; 7];
            for (i, day) in week.iter_mut().enumerate() {
                *day = monday + Duration::days(i as i64);
            }
            weeks.push(week);
            monday += Duration::days(7);
        }
        weeks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_parse_in_both_spellings_and_refuse_nonsense() {
        assert_eq!(Month::parse("2020-02"), Some(Month::of(d(2020, 2, 27))));
        assert_eq!(Month::parse("02/2020"), Some(Month::of(d(2020, 2, 1))));
        for bad in ["2020-13", "2020", "feb", "20-02", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_step_across_the_year_end() {
        let dec = Month::of(d(2025, 12, 5));
        assert_eq!(dec.next().code(), "2026-01");
        assert_eq!(dec.next().previous(), dec);
        assert_eq!(Month::of(d(2020, 2, 1)).last(), d(2020, 2, 29));
    }

    #[test]
    fn the_grid_runs_from_monday_to_sunday_and_covers_the_month() {
        // February 2020 starts on a Saturday and ends on a Saturday.
        let weeks = Month::of(d(2020, 2, 1)).weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], d(2020, 1, 27));
        assert_eq!(weeks[0][5], d(2020, 2, 1));
        assert_eq!(weeks[4][6], d(2020, 3, 1));
        // June 2026 starts on a Monday.
        assert_eq!(Month::of(d(2026, 6, 1)).weeks()[0][0], d(2026, 6, 1));
    }

    #[test]
    fn the_calendar_opens_on_a_month_with_visits() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 12, 6);
        let story = (d(2020, 2, 27), d(2020, 2, 27));
        let recent = (d(2026, 10, 27), d(2026, 10, 27));
        assert_eq!(Month::to_open([story, recent], today).code(), "2026-10", "the latest visit's month");
        assert_eq!(Month::to_open([story], today).code(), "2020-02");
        let this_month = (d(2026, 11, 30), d(2026, 12, 1));
        assert_eq!(Month::to_open([story, this_month], today).code(), "2026-12", "a visit this month");
        let coming = (d(2027, 1, 12), d(2027, 1, 12));
        assert_eq!(Month::to_open([coming, (d(2027, 3, 1), d(2027, 3, 2))], today).code(), "2027-01");
        assert_eq!(Month::to_open([], today).code(), "2026-12");
    }
}
