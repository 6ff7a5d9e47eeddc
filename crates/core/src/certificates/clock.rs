//! The statutory clock of an application: the department decides within a number of days (15 under the
//! NĐ 268/2025 procedure) of receiving the dossier, counted in working days or in calendar days, the clock
//! paused while the enterprise is asked for supplements.
//!
//! Days are counted as the Civil Code counts a period in days (Bộ luật Dân sự 2015 Art. 147): from the day
//! after the dossier is received. A request for supplements made on day A and answered on day B pauses
//! the days after A up to and including B; the clock runs again from B + 1. Working days are Monday to
//! Friday except the days off of [`Holidays`] (read from `holidays.toml`, with Tết and Giỗ Tổ Hùng Vương
//! per year), plus the Saturdays worked in exchange.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

/// How the days of the clock are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Ngày làm việc: weekends and public holidays do not count.
    Working,
    /// Ngày (lịch): every day counts.
    Calendar,
}

impl DayKind {
    /// The stable code (configuration and the API).
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Working => "working",
            DayKind::Calendar => "calendar",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<DayKind> {
        match code {
            "working" => Some(DayKind::Working),
            "calendar" => Some(DayKind::Calendar),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearDef {
    year: i32,
    tet: NaiveDate,
    days_off: Vec<NaiveDate>,
    #[serde(default)]
    working: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    years: Vec<YearDef>,
}

/// The days state agencies do not work beyond weekends, and the Saturdays they work in exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    years: BTreeSet<i32>,
    tet: Vec<NaiveDate>,
    off: BTreeSet<NaiveDate>,
    working: BTreeSet<NaiveDate>,
}

impl Holidays {
    /// The calendar of `holidays.toml`.
    ///
    /// # Panics
    /// Never for the file shipped (a test reads it).
    pub fn standard() -> &'static Holidays {
        static HOLIDAYS: OnceLock<Holidays> = OnceLock::new();
        HOLIDAYS.get_or_init(|| Holidays::parse(include_str!("holidays.toml")).expect("holidays.toml is valid"))
    }

    /// Reads a calendar: each day off in its year, Tết among the days off, each Saturday worked a Saturday.
    pub fn parse(text: &str) -> Result<Holidays, String> {
        let file: HolidayFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut out = Holidays::default();
        for y in file.years {
            if !out.years.insert(y.year) {
                return Err(format!("{} is listed twice", y.year));
            }
            if y.tet.year() != y.year || !y.days_off.contains(&y.tet) && !is_weekend(y.tet) {
                return Err(format!("Tết of {} is not among its days off", y.year));
            }
            for d in &y.days_off {
                // The days off around 1 January may fall in the previous year (31/12 given in exchange).
                if (d.year() - y.year).abs() > 1 || is_weekend(*d) {
                    return Err(format!("{d} is not a weekday of {}", y.year));
                }
                out.off.insert(*d);
            }
            for d in &y.working {
                if d.weekday() != Weekday::Sat {
                    return Err(format!("{d} is not a Saturday"));
                }
                out.working.insert(*d);
            }
            out.tet.push(y.tet);
        }
        Ok(out)
    }

    /// Whether state agencies work on this day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.working.contains(&day) {
            return true;
        }
        if is_weekend(day) || self.off.contains(&day) {
            return false;
        }
        // A year without its notice still keeps the fixed-date holidays.
        self.years.contains(&day.year()) || !matches!((day.month(), day.day()), (1, 1) | (4, 30) | (5, 1) | (9, 2))
    }

    /// The first day of the Lunar New Year in `year`, when the calendar lists it.
    pub fn tet(&self, year: i32) -> Option<NaiveDate> {
        self.tet.iter().copied().find(|d| d.year() == year)
    }

    /// The years the calendar lists in full.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The rule of the clock: how many days, of which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ClockRule {
    /// The days the department has (15 under NĐ 268/2025).
    pub days: u32,
    /// Working or calendar days.
    pub kind: DayKind,
    /// How many days left make an application "nearly overdue" on the dashboards and in reminders.
    pub warn_days: u32,
}

impl Default for ClockRule {
    fn default() -> ClockRule {
        ClockRule { days: 15, kind: DayKind::Working, warn_days: 3 }
    }
}

/// A pause of the clock: supplements requested on `from` and answered on `to` (none while unanswered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// The day of the request.
    pub from: NaiveDate,
    /// The day of the answer.
    pub to: Option<NaiveDate>,
}

impl Pause {
    fn covers(&self, day: NaiveDate) -> bool {
        day > self.from && self.to.is_none_or(|to| day <= to)
    }
}

/// Where the clock of an application stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockState {
    /// The days used so far.
    pub used: u32,
    /// The days left (negative once overdue).
    pub days_left: i64,
    /// The last day of the period, as long as the clock is not paused.
    pub deadline: Option<NaiveDate>,
    /// Whether it is paused (supplements requested and not answered).
    pub paused: bool,
    /// The calendar days paused so far.
    pub paused_days: u32,
}

impl ClockState {
    /// Whether the period has run out.
    pub fn overdue(&self) -> bool {
        self.days_left < 0
    }

    /// Whether few days are left (`warn_days` or fewer), the period not yet run out.
    pub fn nearly_overdue(&self, rule: &ClockRule) -> bool {
        self.days_left >= 0 && self.days_left <= i64::from(rule.warn_days)
    }
}

/// The clock: a rule and a calendar.
#[derive(Debug, Clone, Copy)]
pub struct Clock<'a> {
    /// The rule.
    pub rule: ClockRule,
    /// The calendar of working days.
    pub holidays: &'a Holidays,
}

impl<'a> Clock<'a> {
    /// A clock over the standard calendar.
    pub fn new(rule: ClockRule) -> Clock<'static> {
        Clock { rule, holidays: Holidays::standard() }
    }

    /// Whether a day counts, the pauses aside.
    pub fn counts(&self, day: NaiveDate) -> bool {
        match self.rule.kind {
            DayKind::Calendar => true,
            DayKind::Working => self.holidays.is_working_day(day),
        }
    }

    fn counts_with(&self, day: NaiveDate, pauses: &[Pause]) -> bool {
        self.counts(day) && !pauses.iter().any(|p| p.covers(day))
    }

    /// The last day of the period for a dossier received on `received`, with these pauses: the day the
    /// `days`-th counting day falls on. `None` while a pause is open.
    pub fn deadline(&self, received: NaiveDate, pauses: &[Pause]) -> Option<NaiveDate> {
        if pauses.iter().any(|p| p.to.is_none()) {
            return None;
        }
        let mut day = received;
        let mut used = 0;
        while used < self.rule.days {
            day = day.checked_add_days(Days::new(1))?;
            if self.counts_with(day, pauses) {
                used += 1;
            }
        }
        Some(day)
    }

    /// Where the clock stands on `today` (the days up to and including `today` are used).
    pub fn state(&self, received: NaiveDate, pauses: &[Pause], today: NaiveDate) -> ClockState {
        let mut used = 0u32;
        let mut paused_days = 0u32;
        let mut day = received;
        while day < today {
            let Some(next) = day.checked_add_days(Days::new(1)) else { break };
            day = next;
            if pauses.iter().any(|p| p.covers(day)) {
                paused_days += 1;
            } else if self.counts(day) {
                used += 1;
            }
        }
        ClockState {
            used,
            days_left: i64::from(self.rule.days) - i64::from(used),
            deadline: self.deadline(received, pauses),
            paused: pauses.iter().any(|p| p.to.is_none()),
            paused_days,
        }
    }

    /// Whether a decision on `decided` is late: after the last day of the period.
    pub fn is_late(&self, received: NaiveDate, pauses: &[Pause], decided: NaiveDate) -> bool {
        self.deadline(received, pauses).is_some_and(|d| decided > d)
    }

    /// The day a dossier must have been received for `days_left` days to be left on `today` with no pause
    /// (the latest such day; the demo's "five days left today").
    pub fn received_for(&self, today: NaiveDate, days_left: u32) -> NaiveDate {
        let mut day = today;
        while self.state(day, &[], today).days_left > i64::from(days_left) {
            day = day.pred_opt().unwrap_or(day);
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn calendar(days: u32) -> Clock<'static> {
        Clock::new(ClockRule { days, kind: DayKind::Calendar, warn_days: 3 })
    }

    fn working(days: u32) -> Clock<'static> {
        Clock::new(ClockRule { days, kind: DayKind::Working, warn_days: 3 })
    }

    #[test]
    fn the_calendar_reads_with_tet_each_year() {
        let h = Holidays::standard();
        assert_eq!(h.tet(2020), Some(d(2020, 1, 25)));
        assert_eq!(h.tet(2026), Some(d(2026, 2, 17)));
        assert!(h.years().count() >= 8);
        // Mùng 1 Tết 2026 is a Tuesday and a day off; the Monday before it too.
        assert!(!h.is_working_day(d(2026, 2, 17)));
        assert!(!h.is_working_day(d(2026, 2, 16)));
        assert!(h.is_working_day(d(2026, 2, 23)));
        // A Saturday worked in exchange.
        assert!(h.is_working_day(d(2019, 5, 4)));
        // A year without its notice keeps the fixed holidays.
        assert!(!h.is_working_day(d(2031, 9, 2)));
        assert!(h.is_working_day(d(2031, 9, 3)));
    }

    #[test]
    fn a_broken_calendar_is_refused_with_the_reason() {
        let twice = "[[years]]\nyear = 2020\ntet = \"2020-01-25\"\ndays_off = [\"2020-01-24\"]\n[[years]]\nyear = 2020\ntet = \"2020-01-25\"\ndays_off = []\n";
        assert!(Holidays::parse(twice).unwrap_err().contains("twice"));
        let saturday_off = "[[years]]\nyear = 2020\ntet = \"2020-01-25\"\ndays_off = [\"2020-01-04\"]\n";
        assert!(Holidays::parse(saturday_off).unwrap_err().contains("weekday"));
    }

    #[test]
    fn fifteen_working_days_skip_weekends_and_tet() {
        // Received Friday 10/01/2020: 15 working days, with Tết (23–29/01) in between.
        let clock = working(15);
        assert_eq!(clock.deadline(d(2020, 1, 10), &[]), Some(d(2020, 2, 7)));
        // In calendar days the same dossier is due on 25/01.
        assert_eq!(calendar(15).deadline(d(2020, 1, 10), &[]), Some(d(2020, 1, 25)));
    }

    #[test]
    fn a_supplement_request_pauses_the_clock_until_the_answer() {
        let clock = calendar(15);
        let received = d(2020, 11, 2);
        let pause = Pause { from: d(2020, 11, 5), to: Some(d(2020, 11, 8)) };
        assert_eq!(clock.deadline(received, &[pause]), Some(d(2020, 11, 20)));
        let open = Pause { from: d(2020, 11, 5), to: None };
        let state = clock.state(received, &[open], d(2020, 11, 10));
        assert!(state.paused);
        assert_eq!(state.used, 3);
        assert_eq!(state.paused_days, 5);
        assert_eq!(state.deadline, None);
        assert_eq!(state.days_left, 12);
    }

    #[test]
    fn the_days_left_count_down_to_overdue_and_a_late_decision_is_seen() {
        let clock = working(15);
        let received = d(2026, 3, 2);
        let deadline = clock.deadline(received, &[]).unwrap();
        assert_eq!(clock.state(received, &[], deadline).days_left, 0);
        let after = deadline.succ_opt().unwrap();
        let late = clock.state(received, &[], after + Days::new(3));
        assert!(late.days_left < 0 && late.overdue());
        assert!(!clock.is_late(received, &[], deadline));
        assert!(clock.is_late(received, &[], after));
        let near = clock.state(received, &[], deadline - Days::new(1));
        assert!(near.nearly_overdue(&clock.rule) && !near.overdue());
    }

    #[test]
    fn the_day_received_for_days_left_gives_those_days() {
        for clock in [working(15), calendar(15)] {
            for today in [d(2026, 2, 23), d(2026, 12, 7), d(2020, 1, 29)] {
                let received = clock.received_for(today, 5);
                assert_eq!(clock.state(received, &[], today).days_left, 5, "{today}");
            }
        }
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0i64..4000).prop_map(|n| d(2019, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn the_deadline_uses_exactly_the_period_and_is_a_counting_day(received in day(), days in 1u32..40, cal in any::<bool>()) {
            let clock = if cal { calendar(days) } else { working(days) };
            let deadline = clock.deadline(received, &[]).unwrap();
            prop_assert!(clock.counts(deadline));
            prop_assert_eq!(clock.state(received, &[], deadline).days_left, 0);
            prop_assert_eq!(clock.state(received, &[], deadline.pred_opt().unwrap()).days_left, 1);
        }

        #[test]
        fn working_days_never_end_before_calendar_days(received in day(), days in 1u32..40) {
            prop_assert!(working(days).deadline(received, &[]) >= calendar(days).deadline(received, &[]));
        }

        #[test]
        fn a_pause_of_k_days_moves_a_calendar_deadline_by_k(received in day(), at in 0u64..14, k in 0u64..20) {
            let clock = calendar(15);
            let from = received + Days::new(at);
            let pause = Pause { from, to: Some(from + Days::new(k)) };
            let plain = clock.deadline(received, &[]).unwrap();
            prop_assert_eq!(clock.deadline(received, &[pause]), Some(plain + Days::new(k)));
        }

        #[test]
        fn the_days_left_never_rise_as_time_passes(received in day(), a in 0u64..60, b in 0u64..60) {
            let clock = working(15);
            let (early, late) = (received + Days::new(a.min(b)), received + Days::new(a.max(b)));
            prop_assert!(clock.state(received, &[], early).days_left >= clock.state(received, &[], late).days_left);
        }
    }
}
