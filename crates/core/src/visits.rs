//! Working visits (đoàn công tác): a delegation with its leader and members, the stops it makes (a
//! locality's People's Committee or an enterprise, on a day), and the conclusions (kết luận) that become
//! directives (chỉ đạo) tracked as monitoring assignments.
//!
//! This module holds the roles in a delegation, the rules on what users type (a stop within the visit's
//! dates, exactly one leader, a directive with a responsible unit and a deadline), where a visit stands
//! relative to today, the month grid of the calendar, and what an actor may do with a visit
//! ([`available_actions`]). Storage is `tiendo_db::visits`, the use cases `tiendo_app::visits`, the pages
//! and the API `tiendo_web::visits`.

mod actions;
pub mod calendar;
mod input;

pub use actions::{Refusal, VisitAction, VisitFacts, available_actions, check, may_create, may_create_for, may_view};
pub use calendar::Month;
pub use input::{
    ConclusionDraft, DirectiveDraft, Issue, MemberDraft, MemberFields, StopDraft, StopFields, StopTime, VisitDraft,
    VisitFields, check_conclusion, check_directive,
};

use chrono::NaiveDate;

/// A member's role in the delegation (vai trò trong đoàn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberRole {
    /// Trưởng đoàn: leads the delegation and signs the notice of conclusions.
    Leader,
    /// Phó trưởng đoàn.
    Deputy,
    /// Thành viên.
    Member,
    /// Thư ký: keeps the minutes.
    Secretary,
}

impl MemberRole {
    /// Every role, in the order a delegation is listed.
    pub const ALL: [MemberRole; 4] =
        [MemberRole::Leader, MemberRole::Deputy, MemberRole::Member, MemberRole::Secretary];

    /// The stable code stored and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            MemberRole::Leader => "leader",
            MemberRole::Deputy => "deputy",
            MemberRole::Member => "member",
            MemberRole::Secretary => "secretary",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<MemberRole> {
        MemberRole::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Where a visit stands on a day, for the calendar's "upcoming" and "past".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Starts after today.
    Upcoming,
    /// Under way today.
    Ongoing,
    /// Ended before today.
    Past,
}

impl Phase {
    /// The phase of a visit from `starts_on` to `ends_on` (inclusive) on `today`.
    pub fn of(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Phase {
        if today < starts_on {
            Phase::Upcoming
        } else if today > ends_on {
            Phase::Past
        } else {
            Phase::Ongoing
        }
    }

    /// The stable code (`upcoming`, `ongoing`, `past`).
    pub fn code(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Ongoing => "ongoing",
            Phase::Past => "past",
        }
    }
}

/// The day a conclusion is taken, from which its directives run: the stop's day, or the last day of the
/// visit for a conclusion of the whole visit. A deadline before it is refused.
pub fn conclusion_day(stop_day: Option<NaiveDate>, visit_ends_on: NaiveDate) -> NaiveDate {
    stop_day.unwrap_or(visit_ends_on)
}

/// The dates of a visit in words: "27/02/2020", or "27/02/2020 – 28/02/2020" for several days.
pub fn dates_text(from: NaiveDate, to: NaiveDate) -> String {
    if from == to { crate::fmt::date(from) } else { format!("{} – {}", crate::fmt::date(from), crate::fmt::date(to)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn roles_round_trip_through_their_codes() {
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::from_code(role.code()), Some(role));
        }
        assert_eq!(MemberRole::from_code("chief"), None);
    }

    #[test]
    fn a_visit_is_upcoming_under_way_or_past() {
        let (from, to) = (d(2020, 2, 27), d(2020, 2, 28));
        assert_eq!(Phase::of(from, to, d(2020, 2, 26)), Phase::Upcoming);
        assert_eq!(Phase::of(from, to, d(2020, 2, 27)), Phase::Ongoing);
        assert_eq!(Phase::of(from, to, d(2020, 2, 28)), Phase::Ongoing);
        assert_eq!(Phase::of(from, to, d(2020, 2, 29)), Phase::Past);
    }

    #[test]
    fn a_visit_of_one_day_shows_one_date() {
        assert_eq!(dates_text(d(2020, 2, 27), d(2020, 2, 27)), "27/02/2020");
        assert_eq!(dates_text(d(2020, 2, 27), d(2020, 2, 28)), "27/02/2020 – 28/02/2020");
    }

    #[test]
    fn directives_run_from_the_stop_or_the_end_of_the_visit() {
        assert_eq!(conclusion_day(Some(d(2020, 2, 27)), d(2020, 2, 28)), d(2020, 2, 27));
        assert_eq!(conclusion_day(None, d(2020, 2, 28)), d(2020, 2, 28));
    }
}
