//! Time in Vietnam. Instants are stored in UTC and shown in Asia/Ho_Chi_Minh, which has been UTC+7 without
//! daylight saving time since 1975, so a fixed offset is exact for every date the system deals with.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The offset of Asia/Ho_Chi_Minh.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// An instant in Vietnamese local time.
pub fn to_vietnam(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&vietnam_offset())
}

/// The calendar date in Vietnam at the given instant (what "today" means for deadlines).
#[expect(clippy::disallowed_methods, reason = "the one place that takes the date of an instant, in Vietnam's zone")]
pub fn vietnam_date(instant: DateTime<Utc>) -> NaiveDate {
    to_vietnam(instant).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn vietnam_date_rolls_over_at_17_utc() {
        let before = Utc.with_ymd_and_hms(2026, 3, 4, 16, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 4, 17, 0, 0).unwrap();
        assert_eq!(vietnam_date(before), NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        assert_eq!(vietnam_date(after), NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    }
}
