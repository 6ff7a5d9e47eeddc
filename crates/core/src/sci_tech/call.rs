//! A call (đợt thông báo) as typed, checked: its route and regime, its opening and its deadline to the
//! minute in Vietnam's time, the fields it covers, who may answer it, the forms to fill; and where a call
//! stands at an instant.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::input::{Checker, LINE_MAX};
use super::{Issue, Machine, Regime, Route};
use crate::visits::StopTime;

/// The longest title.
const TITLE_MAX: usize = 300;

/// A call as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallDraft {
    /// Title ("Thông báo đề xuất nhiệm vụ KH&CN cấp tỉnh năm 2021").
    pub title: String,
    /// The plan year the tasks are for.
    pub year: String,
    /// `2013` or `2025`.
    pub regime: String,
    /// `order`, `selection`, `direct`, `grant` or `grassroots`.
    pub route: String,
    /// The first day proposals are received (`dd/mm/yyyy`).
    pub opens_on: String,
    /// The time they are received from that day (`08:00`; empty for midnight).
    pub opens_time: String,
    /// The deadline's day.
    pub closes_on: String,
    /// The deadline's time (`17:00`; empty for the end of the day, 23:59).
    pub closes_time: String,
    /// The fields of science and technology it covers, one per line.
    pub fields: String,
    /// Who may answer (đối tượng, điều kiện tham gia).
    pub eligibility: String,
    /// The forms to fill (biểu mẫu), one per line.
    pub forms: String,
    /// What the call is about (priorities, orientation).
    pub description: String,
    /// The listed task a call for selection or an invitation answers (a proposal's id).
    pub listed_id: String,
    /// The organisation invited (direct assignment only).
    pub invited_org_id: String,
}

/// A checked call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFields {
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: i32,
    /// Regime.
    pub regime: Regime,
    /// Route.
    pub route: Route,
    /// When proposals start to be received.
    pub opens_at: DateTime<Utc>,
    /// The deadline: a proposal sent at this instant or later is refused.
    pub closes_at: DateTime<Utc>,
    /// Fields covered.
    pub fields: Vec<String>,
    /// Eligibility.
    pub eligibility: String,
    /// Forms to fill.
    pub forms: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// The listed task answered.
    pub listed_id: Option<i64>,
    /// The organisation invited.
    pub invited_org_id: Option<i64>,
}

/// The instant of a day and a time in Vietnam.
pub fn local_instant(day: NaiveDate, time: StopTime) -> DateTime<Utc> {
    let naive = NaiveDateTime::new(
        day,
        chrono::NaiveTime::from_hms_opt(time.hour, time.minute, 0).unwrap_or(chrono::NaiveTime::MIN),
    );
    // UTC+7 has no gaps or folds: the local time maps to exactly one instant.
    crate::time::vietnam_offset()
        .from_local_datetime(&naive)
        .single()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

fn lines(raw: &str) -> Vec<String> {
    raw.lines().map(crate::text::normalize_input).filter(|l| !l.is_empty()).collect()
}

fn time(c: &mut Checker, field: &str, raw: &str, default: StopTime) -> Option<StopTime> {
    if raw.trim().is_empty() {
        return Some(default);
    }
    let parsed = StopTime::parse(raw);
    if parsed.is_none() {
        c.push(Issue::new(field, "time_format"));
    }
    parsed
}

impl CallDraft {
    /// Checks everything that needs no database; every problem is reported at once. The route must be one
    /// of the regime's; a call for selection or an invitation names its listed task, an invitation the
    /// organisation invited; the deadline comes after the opening.
    pub fn validate(&self, machine: &Machine) -> Result<CallFields, Vec<Issue>> {
        let mut c = Checker::default();
        let title = c.line("title", &self.title, TITLE_MAX, true);
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ if self.year.trim().is_empty() => {
                c.push(Issue::new("year", "required"));
                None
            }
            _ => {
                c.push(Issue::new("year", "year_format"));
                None
            }
        };
        let regime = Regime::from_code(self.regime.trim());
        if regime.is_none() {
            c.push(Issue::new("regime", "required"));
        }
        let route = Route::from_code(self.route.trim());
        match (regime, route) {
            (_, None) => c.push(Issue::new("route", "required")),
            (Some(regime), Some(route)) if !machine.routes(regime).contains(&route) => {
                c.push(Issue::new("route", "route_not_in_regime").arg("regime", regime.code()));
            }
            _ => {}
        }
        let opens_on = c.date("opens_on", &self.opens_on, true);
        let opens_time = time(&mut c, "opens_time", &self.opens_time, StopTime { hour: 0, minute: 0 });
        let closes_on = c.date("closes_on", &self.closes_on, true);
        let closes_time = time(&mut c, "closes_time", &self.closes_time, StopTime { hour: 23, minute: 59 });
        let opens_at = opens_on.zip(opens_time).map(|(d, t)| local_instant(d, t));
        let closes_at = closes_on.zip(closes_time).map(|(d, t)| local_instant(d, t));
        if let (Some(from), Some(to)) = (opens_at, closes_at)
            && to <= from
        {
            c.push(Issue::new("closes_on", "deadline_before_opening"));
        }
        let fields = lines(&self.fields);
        if fields.is_empty() {
            c.push(Issue::new("fields", "required"));
        }
        for (i, f) in fields.iter().enumerate() {
            if f.chars().count() > LINE_MAX {
                c.push(Issue::new("fields", "too_long").arg("max", LINE_MAX).arg("line", i + 1));
            }
        }
        let eligibility = c.text("eligibility", &self.eligibility, true);
        let forms = lines(&self.forms);
        let description = c.text("description", &self.description, false);
        let listed_id = c.id("listed_id", &self.listed_id, route.is_some_and(Route::needs_listed_task));
        let invited_org_id = c.id("invited_org_id", &self.invited_org_id, route == Some(Route::Direct));
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        let (Some(title), Some(year), Some(regime), Some(route), Some(opens_at), Some(closes_at), Some(eligibility)) =
            (title, year, regime, route, opens_at, closes_at, eligibility)
        else {
            return Err(vec![Issue::new("title", "invalid")]);
        };
        Ok(CallFields {
            title,
            year,
            regime,
            route,
            opens_at,
            closes_at,
            fields,
            eligibility,
            forms,
            description,
            listed_id: listed_id.filter(|_| route.needs_listed_task()),
            invited_org_id: invited_org_id.filter(|_| route == Route::Direct),
        })
    }
}

/// Where a call stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallPhase {
    /// Not published yet (a draft of the department).
    Draft,
    /// Published, not open yet.
    Upcoming,
    /// Receiving proposals.
    Open,
    /// Past its deadline.
    Closed,
}

impl CallPhase {
    /// The phase of a call opening at `opens_at` with its deadline at `closes_at`, at `now`. The deadline is
    /// exclusive: at the very minute it names, the call is closed.
    pub fn at(published: bool, opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> CallPhase {
        if !published {
            CallPhase::Draft
        } else if now < opens_at {
            CallPhase::Upcoming
        } else if now >= closes_at {
            CallPhase::Closed
        } else {
            CallPhase::Open
        }
    }

    /// The stable code (`draft`, `upcoming`, `open`, `closed`).
    pub fn code(self) -> &'static str {
        match self {
            CallPhase::Draft => "draft",
            CallPhase::Upcoming => "upcoming",
            CallPhase::Open => "open",
            CallPhase::Closed => "closed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CallDraft {
        CallDraft {
            title: "Thông báo đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2021".into(),
            year: "2021".into(),
            regime: "2013".into(),
            route: "order".into(),
            opens_on: "02/03/2020".into(),
            opens_time: "08:00".into(),
            closes_on: "30/04/2020".into(),
            closes_time: "17h00".into(),
            fields: "Nông nghiệp\n\n Thủy sản ".into(),
            eligibility: "Tổ chức, cá nhân trong và ngoài tỉnh".into(),
            ..CallDraft::default()
        }
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_call_reads_its_deadline_in_vietnam_time() {
        let f = draft().validate(Machine::standard()).unwrap();
        assert_eq!(f.closes_at, Utc.with_ymd_and_hms(2020, 4, 30, 10, 0, 0).unwrap());
        assert_eq!(f.opens_at, Utc.with_ymd_and_hms(2020, 3, 2, 1, 0, 0).unwrap());
        assert_eq!(f.fields, ["Nông nghiệp", "Thủy sản"]);
        let no_time = CallDraft { closes_time: String::new(), ..draft() }.validate(Machine::standard()).unwrap();
        assert_eq!(no_time.closes_at, Utc.with_ymd_and_hms(2020, 4, 30, 16, 59, 0).unwrap(), "23:59 local");
    }

    #[test]
    fn the_deadline_is_enforced_to_the_minute() {
        let f = draft().validate(Machine::standard()).unwrap();
        let minute_before = f.closes_at - chrono::Duration::seconds(1);
        assert_eq!(CallPhase::at(true, f.opens_at, f.closes_at, minute_before), CallPhase::Open);
        assert_eq!(CallPhase::at(true, f.opens_at, f.closes_at, f.closes_at), CallPhase::Closed);
        assert_eq!(
            CallPhase::at(true, f.opens_at, f.closes_at, f.opens_at - chrono::Duration::minutes(1)),
            CallPhase::Upcoming
        );
        assert_eq!(CallPhase::at(false, f.opens_at, f.closes_at, minute_before), CallPhase::Draft);
    }

    #[test]
    fn every_problem_of_a_call_is_named() {
        let bad = CallDraft {
            title: " ".into(),
            year: "20x1".into(),
            route: "grant".into(),
            closes_on: "01/03/2020".into(),
            closes_time: "25:00".into(),
            fields: String::new(),
            ..draft()
        };
        let issues = codes(&bad.validate(Machine::standard()).unwrap_err());
        assert!(issues.contains(&("title".into(), "required")));
        assert!(issues.contains(&("year".into(), "year_format")));
        assert!(issues.contains(&("route".into(), "route_not_in_regime")), "{issues:?}");
        assert!(issues.contains(&("closes_time".into(), "time_format")));
        assert!(issues.contains(&("fields".into(), "required")));
        let early = CallDraft { closes_on: "01/03/2020".into(), ..draft() };
        assert_eq!(
            codes(&early.validate(Machine::standard()).unwrap_err()),
            [("closes_on".into(), "deadline_before_opening")]
        );
    }

    #[test]
    fn a_call_for_selection_names_its_listed_task_and_an_invitation_its_organisation() {
        let selection = CallDraft { route: "selection".into(), ..draft() };
        assert_eq!(codes(&selection.validate(Machine::standard()).unwrap_err()), [("listed_id".into(), "required")]);
        let direct = CallDraft { route: "direct".into(), listed_id: "4".into(), ..draft() };
        assert_eq!(codes(&direct.validate(Machine::standard()).unwrap_err()), [("invited_org_id".into(), "required")]);
        let grant = CallDraft { regime: "2025".into(), route: "grant".into(), listed_id: "4".into(), ..draft() };
        assert_eq!(grant.validate(Machine::standard()).unwrap().listed_id, None);
    }
}
