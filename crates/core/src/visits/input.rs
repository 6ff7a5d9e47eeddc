//! What users type about a visit, checked: the visit with its members and stops, a conclusion, a
//! directive. Forms and the API fill the same drafts (text as typed, ids as sent), so both name the same
//! fields in their errors: `title`, `ends_on`, `members[2].name`, `stops[0].date`, `lead_id`, `deadline`.
//!
//! Rows left entirely blank (the spare rows of a form) are skipped but keep their position, so that an
//! error names the row the user sees. What needs the database (a member in the directory, an organisation
//! that exists) is checked by the caller, which reports it with the same field names.

use chrono::NaiveDate;

use super::MemberRole;
use crate::fmt::{date, parse_date};
use crate::monitoring::Deadline;
use crate::text::{normalize_input, normalize_multiline};

/// A problem with one field: its name as the form and the API send it, a stable code and the message's
/// arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// `title`, `members[2].name`, `stops[0].date`, `deadline`, …
    pub field: String,
    /// `required`, `date_format`, `stop_outside_visit`, `leader_required`, …
    pub code: &'static str,
    /// Arguments of the message (`from`, `to` for a stop outside the visit).
    pub args: Vec<(&'static str, String)>,
}

impl Issue {
    /// An issue with no argument.
    pub fn new(field: impl Into<String>, code: &'static str) -> Issue {
        Issue { field: field.into(), code, args: Vec::new() }
    }

    /// Adds an argument.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Issue {
        self.args.push((name, value.to_string()));
        self
    }
}

/// The longest title.
const TITLE_MAX: usize = 300;
/// The longest one-line text (a place, a name).
const LINE_MAX: usize = 500;
/// The longest multi-line text (purpose, agenda, minutes).
const TEXT_MAX: usize = 20_000;

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn line(&mut self, field: String, raw: &str, max: usize, required: bool) -> Option<String> {
        let value = normalize_input(raw);
        if value.is_empty() {
            if required {
                self.issues.push(Issue::new(field, "required"));
            }
            return None;
        }
        if value.chars().count() > max {
            self.issues.push(Issue::new(field, "too_long").arg("max", max));
        }
        Some(value)
    }

    fn text(&mut self, field: String, raw: &str, required: bool) -> Option<String> {
        let value = normalize_multiline(raw);
        if value.is_empty() {
            if required {
                self.issues.push(Issue::new(field, "required"));
            }
            return None;
        }
        if value.chars().count() > TEXT_MAX {
            self.issues.push(Issue::new(field, "too_long").arg("max", TEXT_MAX));
        }
        Some(value)
    }

    fn date(&mut self, field: String, raw: &str, required: bool) -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            if required {
                self.issues.push(Issue::new(field, "required"));
            }
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            self.issues.push(Issue::new(field, "date_format"));
        }
        parsed
    }

    fn id(&mut self, field: String, raw: &str, required: bool) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            if required {
                self.issues.push(Issue::new(field, "required"));
            }
            return None;
        }
        match raw.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                self.issues.push(Issue::new(field, "invalid"));
                None
            }
        }
    }
}

/// A time of day as officials write it: `8:30`, `08:30`, `8h30`, `8h`, `14 giờ 00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StopTime {
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
}

impl StopTime {
    /// Parses a time; `None` when it is not one.
    pub fn parse(raw: &str) -> Option<StopTime> {
        let folded = crate::text::fold(raw).replace("gio", "h").replace(' ', "");
        let (h, m) = match folded.split_once([':', 'h', '.']) {
            Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
            None => (folded.as_str(), "0"),
        };
        if h.is_empty() || h.len() > 2 || m.len() > 2 || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (hour, minute) = (h.parse().ok()?, m.parse().ok()?);
        (hour < 24 && minute < 60).then_some(StopTime { hour, minute })
    }

    /// `08:30`, as stored and shown.
    pub fn text(self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

/// A member as typed: a person named as in the directory (or, from the API, their id), a role code, the
/// organisation they represent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberDraft {
    /// The person's name ("Hoàng Bá Nam", "TS. Nguyễn Đắc Bình Minh").
    pub name: String,
    /// The person's id in the directory, when known (the API); it takes precedence over the name.
    pub person_id: String,
    /// The role's code; empty is `member`.
    pub role: String,
    /// The organisation's id, empty for the person's own.
    pub organization_id: String,
}

impl MemberDraft {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.person_id.trim().is_empty() && self.organization_id.trim().is_empty()
    }
}

/// A stop as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopDraft {
    /// The stored stop's id when editing, empty for a new one.
    pub id: String,
    /// The day.
    pub date: String,
    /// The time the meeting starts.
    pub time: String,
    /// Where (a meeting room, a farm).
    pub place: String,
    /// The host organisation: a locality's People's Committee or an enterprise.
    pub host_id: String,
    /// The programme of the stop.
    pub agenda: String,
    /// The minutes (biên bản).
    pub minutes: String,
    /// The general assessment read in the notice of conclusions.
    pub assessment: String,
}

impl StopDraft {
    /// Whether nothing was typed in the row (an existing stop left blank is to be removed).
    pub fn is_blank(&self) -> bool {
        [&self.date, &self.time, &self.place, &self.host_id, &self.agenda, &self.minutes, &self.assessment]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

/// A visit as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitDraft {
    /// A short title ("Làm việc tại thị xã Quảng Yên và thành phố Hạ Long").
    pub title: String,
    /// The purpose (mục đích, nội dung làm việc).
    pub purpose: String,
    /// The organisation that sends the delegation and assigns its directives.
    pub organizer_id: String,
    /// The decision that formed the delegation, a document of the register.
    pub legal_basis_id: String,
    /// The plan or programme the visit follows up (its directives count there too).
    pub parent_plan_id: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// The general assessment of the whole visit (for the notice of the whole visit).
    pub assessment: String,
    /// The delegation.
    pub members: Vec<MemberDraft>,
    /// The stops.
    pub stops: Vec<StopDraft>,
}

/// A checked member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFields {
    /// The row it came from (for error names).
    pub index: usize,
    /// The name as typed, normalised (empty when the person was given by id).
    pub name: String,
    /// The person's id, when given.
    pub person_id: Option<i64>,
    /// The role.
    pub role: MemberRole,
    /// The organisation given, if any.
    pub organization_id: Option<i64>,
}

/// A checked stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopFields {
    /// The row it came from (for error names).
    pub index: usize,
    /// The stored stop, when editing.
    pub id: Option<i64>,
    /// The day, within the visit.
    pub date: NaiveDate,
    /// The time.
    pub time: Option<StopTime>,
    /// The place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_id: i64,
    /// The programme.
    pub agenda: Option<String>,
    /// The minutes.
    pub minutes: Option<String>,
    /// The general assessment.
    pub assessment: Option<String>,
}

/// A checked visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFields {
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation.
    pub organizer_id: i64,
    /// The decision forming the delegation.
    pub legal_basis_id: Option<i64>,
    /// The plan the visit follows up.
    pub parent_plan_id: Option<i64>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// General assessment.
    pub assessment: Option<String>,
    /// The delegation, leader included.
    pub members: Vec<MemberFields>,
    /// The stops, in the order typed.
    pub stops: Vec<StopFields>,
    /// Stored stops whose rows were emptied: to be removed.
    pub removed_stops: Vec<(usize, i64)>,
}

/// Checks one member row; `None` when the row cannot be looked up (its issues are recorded).
fn check_member(c: &mut Checker, i: usize, m: &MemberDraft) -> Option<MemberFields> {
    let person_id = c.id(format!("members[{i}].person_id"), &m.person_id, false);
    let name = c.line(format!("members[{i}].name"), &m.name, LINE_MAX, person_id.is_none());
    let role = match m.role.trim() {
        "" => Some(MemberRole::Member),
        code => MemberRole::from_code(code),
    };
    if role.is_none() {
        c.issues.push(Issue::new(format!("members[{i}].role"), "invalid"));
    }
    let organization_id = c.id(format!("members[{i}].organization_id"), &m.organization_id, false);
    match (name.or_else(|| person_id.map(|_| String::new())), role) {
        (Some(name), Some(role)) => Some(MemberFields { index: i, name, person_id, role, organization_id }),
        _ => None,
    }
}

impl VisitDraft {
    /// The member rows that are well formed on their own, whatever the rest of the form: when the form
    /// has other problems, these are still looked up in the directory so that every problem (a stop
    /// outside the dates and a member nobody knows) is reported at once.
    pub fn well_formed_members(&self) -> Vec<MemberFields> {
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate().filter(|(_, m)| !m.is_blank()) {
            let mut c = Checker { issues: Vec::new() };
            if let Some(member) = check_member(&mut c, i, m)
                && c.issues.is_empty()
            {
                members.push(member);
            }
        }
        members
    }

    /// Checks everything that needs no database; every problem is reported at once.
    pub fn validate(&self) -> Result<VisitFields, Vec<Issue>> {
        let mut c = Checker { issues: Vec::new() };
        let title = c.line("title".into(), &self.title, TITLE_MAX, true);
        let purpose = c.text("purpose".into(), &self.purpose, true);
        let organizer_id = c.id("organizer_id".into(), &self.organizer_id, true);
        let legal_basis_id = c.id("legal_basis_id".into(), &self.legal_basis_id, false);
        let parent_plan_id = c.id("parent_plan_id".into(), &self.parent_plan_id, false);
        let starts_on = c.date("starts_on".into(), &self.starts_on, true);
        let ends_on = c.date("ends_on".into(), &self.ends_on, true);
        if let (Some(from), Some(to)) = (starts_on, ends_on)
            && to < from
        {
            c.issues.push(Issue::new("ends_on", "date_order"));
        }
        let dates_ok = matches!((starts_on, ends_on), (Some(f), Some(t)) if f <= t);
        let assessment = c.text("assessment".into(), &self.assessment, false);

        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate().filter(|(_, m)| !m.is_blank()) {
            if let Some(member) = check_member(&mut c, i, m) {
                members.push(member);
            }
        }
        let leaders: Vec<&MemberFields> = members.iter().filter(|m| m.role == MemberRole::Leader).collect();
        match leaders.as_slice() {
            [] => c.issues.push(Issue::new("members", "leader_required")),
            [_] => {}
            [_, rest @ ..] => {
                for extra in rest {
                    c.issues.push(Issue::new(format!("members[{}].role", extra.index), "leader_twice"));
                }
            }
        }

        let mut stops = Vec::new();
        let mut removed_stops = Vec::new();
        for (i, s) in self.stops.iter().enumerate() {
            let id = c.id(format!("stops[{i}].id"), &s.id, false);
            if s.is_blank() {
                if let Some(id) = id {
                    removed_stops.push((i, id));
                }
                continue;
            }
            let day = c.date(format!("stops[{i}].date"), &s.date, true);
            if let (Some(day), Some(from), Some(to), true) = (day, starts_on, ends_on, dates_ok)
                && (day < from || day > to)
            {
                c.issues.push(
                    Issue::new(format!("stops[{i}].date"), "stop_outside_visit")
                        .arg("from", date(from))
                        .arg("to", date(to)),
                );
            }
            let time = match s.time.trim() {
                "" => None,
                raw => {
                    let t = StopTime::parse(raw);
                    if t.is_none() {
                        c.issues.push(Issue::new(format!("stops[{i}].time"), "time_format"));
                    }
                    t
                }
            };
            let place = c.line(format!("stops[{i}].place"), &s.place, LINE_MAX, false);
            let host_id = c.id(format!("stops[{i}].host_id"), &s.host_id, true);
            let agenda = c.text(format!("stops[{i}].agenda"), &s.agenda, false);
            let minutes = c.text(format!("stops[{i}].minutes"), &s.minutes, false);
            let assessment = c.text(format!("stops[{i}].assessment"), &s.assessment, false);
            if let (Some(date), Some(host_id)) = (day, host_id) {
                stops.push(StopFields { index: i, id, date, time, place, host_id, agenda, minutes, assessment });
            }
        }
        if stops.is_empty() && !c.issues.iter().any(|i| i.field.starts_with("stops[")) {
            c.issues.push(Issue::new("stops", "stop_required"));
        }

        match (title, purpose, organizer_id, starts_on, ends_on) {
            (Some(title), Some(purpose), Some(organizer_id), Some(starts_on), Some(ends_on)) if c.issues.is_empty() => {
                Ok(VisitFields {
                    title,
                    purpose,
                    organizer_id,
                    legal_basis_id,
                    parent_plan_id,
                    starts_on,
                    ends_on,
                    assessment,
                    members,
                    stops,
                    removed_stops,
                })
            }
            _ => Err(c.issues),
        }
    }
}

/// A directive as sent: the responsible unit, the coordinating units, the deadline (already parsed into
/// one of the monitoring kinds; `None` when none was given) and the priority.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectiveDraft {
    /// The lead organisation (đơn vị chủ trì).
    pub lead_id: Option<i64>,
    /// The coordinating organisations (đơn vị phối hợp).
    pub coordinators: Vec<i64>,
    /// The deadline.
    pub deadline: Option<Deadline>,
    /// `high`, `normal` or `low`; empty is `normal`.
    pub priority: String,
}

/// Checks a directive given on `assigned_on` (the day of its conclusion); fields are named with `prefix`
/// (`""` on the page, `directives[1].` in the API): `lead_id`, `deadline`, `priority`. A directive
/// without a responsible unit or without a deadline is refused.
pub fn check_directive(prefix: &str, d: &DirectiveDraft, assigned_on: NaiveDate) -> Vec<Issue> {
    let mut issues = Vec::new();
    if d.lead_id.is_none() {
        issues.push(Issue::new(format!("{prefix}lead_id"), "lead_required"));
    }
    match d.deadline {
        None => issues.push(Issue::new(format!("{prefix}deadline"), "deadline_required")),
        Some(deadline) => {
            if let Err(e) = deadline.check(assigned_on) {
                issues.push(Issue::new(format!("{prefix}deadline"), e.code()).arg("date", date(assigned_on)));
            }
        }
    }
    if !["", "high", "normal", "low"].contains(&d.priority.trim()) {
        issues.push(Issue::new(format!("{prefix}priority"), "invalid"));
    }
    issues
}

/// A conclusion as typed: its text, the stop it was taken at (none for the whole visit) and the expected
/// product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConclusionDraft {
    /// What was concluded (becomes the task's title).
    pub text: String,
    /// The expected product (sản phẩm dự kiến).
    pub expected_product: String,
}

/// Checks a conclusion: the text (required) and the expected product, normalised.
pub fn check_conclusion(c: &ConclusionDraft) -> Result<(String, Option<String>), Vec<Issue>> {
    let mut checker = Checker { issues: Vec::new() };
    let text = checker.text("text".into(), &c.text, true);
    let product = checker.line("expected_product".into(), &c.expected_product, LINE_MAX, false);
    match text {
        Some(text) if checker.issues.is_empty() => Ok((text, product)),
        _ => Err(checker.issues),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn draft() -> VisitDraft {
        VisitDraft {
            title: "Làm việc tại thị xã Quảng Yên".into(),
            purpose: "Kiểm tra việc thực hiện Nghị quyết 07-NQ/TU".into(),
            organizer_id: "2".into(),
            starts_on: "27/02/2020".into(),
            ends_on: "28/02/2020".into(),
            members: vec![
                MemberDraft { name: "Hoàng Bá Nam".into(), role: "leader".into(), ..MemberDraft::default() },
                MemberDraft::default(),
            ],
            stops: vec![
                StopDraft {
                    date: "27/02/2020".into(),
                    time: "8h30".into(),
                    host_id: "5".into(),
                    ..StopDraft::default()
                },
                StopDraft::default(),
            ],
            ..VisitDraft::default()
        }
    }

    fn fields_of(issues: &[Issue]) -> Vec<(&str, &str)> {
        issues.iter().map(|i| (i.field.as_str(), i.code)).collect()
    }

    #[test]
    fn a_complete_visit_is_accepted_and_blank_rows_are_skipped() {
        let v = draft().validate().unwrap();
        assert_eq!(v.members.len(), 1);
        assert_eq!(v.stops.len(), 1);
        assert_eq!(v.stops[0].time.map(StopTime::text).as_deref(), Some("08:30"));
        assert_eq!((v.starts_on, v.ends_on), (d(2020, 2, 27), d(2020, 2, 28)));
    }

    #[test]
    fn a_stop_outside_the_visit_is_refused_naming_the_row_and_the_dates() {
        let mut v = draft();
        v.stops[1] = StopDraft { date: "02/03/2020".into(), host_id: "6".into(), ..StopDraft::default() };
        let issues = v.validate().unwrap_err();
        assert_eq!(fields_of(&issues), [("stops[1].date", "stop_outside_visit")]);
        assert_eq!(issues[0].args, [("from", "27/02/2020".to_owned()), ("to", "28/02/2020".to_owned())]);
    }

    #[test]
    fn a_delegation_has_exactly_one_leader() {
        let mut v = draft();
        v.members[0].role = "member".into();
        assert_eq!(fields_of(&v.validate().unwrap_err()), [("members", "leader_required")]);
        let mut v = draft();
        v.members[1] =
            MemberDraft { name: "Nguyễn Đắc Bình Minh".into(), role: "leader".into(), ..Default::default() };
        assert_eq!(fields_of(&v.validate().unwrap_err()), [("members[1].role", "leader_twice")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let v = VisitDraft {
            starts_on: "28/02/2020".into(),
            ends_on: "27/02/2020".into(),
            members: vec![MemberDraft { role: "chief".into(), organization_id: "x".into(), ..MemberDraft::default() }],
            stops: vec![StopDraft { date: "31/02/2020".into(), time: "25:00".into(), ..StopDraft::default() }],
            ..VisitDraft::default()
        };
        let issues = v.validate().unwrap_err();
        let fields = fields_of(&issues);
        for expected in [
            ("title", "required"),
            ("purpose", "required"),
            ("organizer_id", "required"),
            ("ends_on", "date_order"),
            ("members[0].name", "required"),
            ("members[0].role", "invalid"),
            ("members[0].organization_id", "invalid"),
            ("stops[0].date", "date_format"),
            ("stops[0].time", "time_format"),
            ("stops[0].host_id", "required"),
        ] {
            assert!(fields.contains(&expected), "{expected:?} missing from {fields:?}");
        }
    }

    #[test]
    fn an_emptied_stored_stop_is_to_be_removed_and_a_visit_needs_a_stop() {
        let mut v = draft();
        v.stops[1] = StopDraft { id: "9".into(), ..StopDraft::default() };
        assert_eq!(v.validate().unwrap().removed_stops, [(1, 9)]);
        let mut v = draft();
        v.stops.clear();
        assert_eq!(fields_of(&v.validate().unwrap_err()), [("stops", "stop_required")]);
    }

    #[test]
    fn times_are_read_as_officials_write_them() {
        for (raw, text) in
            [("8:30", "08:30"), ("08h30", "08:30"), ("8h", "08:00"), ("14 giờ 00", "14:00"), ("7.15", "07:15")]
        {
            assert_eq!(StopTime::parse(raw).map(StopTime::text).as_deref(), Some(text), "{raw}");
        }
        for raw in ["24:00", "8:60", "sáng", "8:3:0", ""] {
            assert_eq!(StopTime::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_directive_needs_a_lead_and_a_deadline_not_before_its_conclusion() {
        let on = d(2020, 2, 27);
        let none = DirectiveDraft::default();
        assert_eq!(
            fields_of(&check_directive("", &none, on)),
            [("lead_id", "lead_required"), ("deadline", "deadline_required")]
        );
        let early = DirectiveDraft {
            lead_id: Some(5),
            deadline: Some(Deadline::Fixed { date: d(2020, 2, 1) }),
            ..DirectiveDraft::default()
        };
        let issues = check_directive("directives[0].", &early, on);
        assert_eq!(fields_of(&issues), [("directives[0].deadline", "deadline_before_assignment")]);
        let ok = DirectiveDraft { deadline: Some(Deadline::Continuous), priority: "high".into(), ..early };
        assert!(check_directive("", &ok, on).is_empty());
    }

    #[test]
    fn a_conclusion_needs_its_text() {
        let c = ConclusionDraft { text: "  ".into(), expected_product: "Danh mục".into() };
        assert_eq!(fields_of(&check_conclusion(&c).unwrap_err()), [("text", "required")]);
        let c = ConclusionDraft {
            text: "Đề xuất nhiệm vụ\r\ncấp bách".into(), expected_product: String::new()
        };
        assert_eq!(check_conclusion(&c).unwrap(), ("Đề xuất nhiệm vụ\ncấp bách".to_owned(), None));
    }
}
