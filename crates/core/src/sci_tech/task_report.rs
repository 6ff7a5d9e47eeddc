//! The periodic reports of a task under contract (issue 17): a progress report every few months while the
//! work goes on (what was done, the milestones' products, what was spent), and once the results are
//! recognised a yearly report on their application. Both follow the reporting engine's workflow
//! ([`crate::reporting::workflow::next`]: draft, submitted, returned with a comment, approved), with the
//! contract's powers in place of a report's: the host fills and submits, the department's staff return or
//! accept.
//!
//! What each report asks is fixed here (a field list per kind, plus one line per milestone due in the
//! period); what is typed is read by [`read`], which names every problem by field.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use super::Issue;
use super::contract::ContractFields;
use super::implementation::ContractPowers;
use crate::reporting::ReportStatus;
use crate::reporting::workflow::{ReportAction, TransitionError, next};
use crate::text::normalize_input;

/// Which report of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskReportKind {
    /// Báo cáo định kỳ tình hình thực hiện: while the work goes on.
    Progress,
    /// Báo cáo tình hình ứng dụng kết quả: yearly after the results are recognised.
    Application,
}

impl TaskReportKind {
    /// Both kinds.
    pub const ALL: [TaskReportKind; 2] = [TaskReportKind::Progress, TaskReportKind::Application];

    /// The stable code (URLs, the API, the records).
    pub fn code(self) -> &'static str {
        match self {
            TaskReportKind::Progress => "progress",
            TaskReportKind::Application => "application",
        }
    }

    /// The kind of a code.
    pub fn from_code(code: &str) -> Option<TaskReportKind> {
        TaskReportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The fields it asks, in order (the milestones' lines of a progress report come after `products`).
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            TaskReportKind::Progress => PROGRESS_FIELDS,
            TaskReportKind::Application => APPLICATION_FIELDS,
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text (several lines).
    Text,
    /// Whole đồng.
    Money,
    /// A whole percentage, 0 to 100.
    Percent,
}

/// One field of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its code (the form's input name, the API's key).
    pub code: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether a submission needs it.
    pub required: bool,
}

const fn field(code: &'static str, kind: FieldKind, required: bool) -> FieldSpec {
    FieldSpec { code, kind, required }
}

const PROGRESS_FIELDS: &[FieldSpec] = &[
    field("work_done", FieldKind::Text, true),
    field("products", FieldKind::Text, true),
    field("percent", FieldKind::Percent, true),
    field("spent_state", FieldKind::Money, true),
    field("spent_other", FieldKind::Money, false),
    field("problems", FieldKind::Text, false),
    field("proposals", FieldKind::Text, false),
];

const APPLICATION_FIELDS: &[FieldSpec] = &[
    field("applied_where", FieldKind::Text, true),
    field("scale", FieldKind::Text, false),
    field("effect", FieldKind::Text, true),
    field("revenue", FieldKind::Money, false),
    field("problems", FieldKind::Text, false),
    field("proposals", FieldKind::Text, false),
];

/// The prefix of the line a progress report gives each milestone due in its period (`milestone.3`).
pub const MILESTONE_PREFIX: &str = "milestone.";

/// The longest text of a field.
pub const TEXT_MAX: usize = 20_000;

/// A report owed: its kind, its number among those of its kind, its period and due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReport {
    /// Which report.
    pub kind: TaskReportKind,
    /// 1, 2, … in the order due.
    pub seq: u32,
    /// The first day it covers.
    pub starts_on: NaiveDate,
    /// The last day it covers.
    pub ends_on: NaiveDate,
    /// The day it is due (the day after its last day).
    pub due_on: NaiveDate,
}

impl DueReport {
    /// Whether the milestone due on `due_on` falls in its period.
    pub fn covers(&self, due_on: NaiveDate) -> bool {
        self.starts_on <= due_on && due_on <= self.ends_on
    }
}

/// The progress reports of a contract: one for every `report_every_months` from the start while the
/// contract runs, each covering the months since the previous one and due on the day after them (the final
/// report is the acceptance dossier, not one of these).
pub fn progress_due(fields: &ContractFields) -> Vec<DueReport> {
    let mut start = fields.starts_on;
    fields
        .report_due_dates()
        .into_iter()
        .zip(1u32..)
        .map(|(due_on, seq)| {
            let ends_on = due_on.pred_opt().unwrap_or(due_on);
            let report = DueReport { kind: TaskReportKind::Progress, seq, starts_on: start, ends_on, due_on };
            start = due_on;
            report
        })
        .collect()
}

/// The yearly reports on the application of the results recognised on `recognised_on`: one for each of
/// the `years` after it, due on its anniversary.
pub fn application_due(recognised_on: NaiveDate, years: u32) -> Vec<DueReport> {
    (1..=years)
        .filter_map(|seq| {
            let starts_on = recognised_on.checked_add_months(Months::new(12 * (seq - 1)))?;
            let due_on = recognised_on.checked_add_months(Months::new(12 * seq))?;
            Some(DueReport { kind: TaskReportKind::Application, seq, starts_on, ends_on: due_on.pred_opt()?, due_on })
        })
        .collect()
}

/// Where a report stands on `today`: not sent and past its due day (overdue), or sent after it (late).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeliness {
    /// Not sent (no report, a draft or a returned one) and the due day has passed.
    pub overdue: bool,
    /// Submitted after the due day.
    pub late: bool,
}

/// The timeliness of a report due on `due_on`, in `status` (none: not opened), first submitted on
/// `submitted_on`.
pub fn timeliness(
    due_on: NaiveDate,
    status: Option<ReportStatus>,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Timeliness {
    let sent = status.is_some_and(ReportStatus::is_sent);
    Timeliness { overdue: !sent && today > due_on, late: submitted_on.is_some_and(|d| d > due_on) }
}

/// The status after an actor with `powers` takes `action` on a report in `status`: the host saves and
/// submits, the department's staff return and approve (accept). Approved reports stay approved.
pub fn transition(
    powers: ContractPowers,
    status: ReportStatus,
    action: ReportAction,
) -> Result<ReportStatus, TransitionError> {
    let allowed = match action {
        ReportAction::Save | ReportAction::Submit => powers.report,
        ReportAction::Return | ReportAction::Approve => powers.record,
        ReportAction::Unlock => false,
    };
    if !allowed {
        return Err(TransitionError::Forbidden);
    }
    next(status, action).ok_or(TransitionError::InvalidState)
}

/// The actions an actor with `powers` may take on a report in `status`.
pub fn actions(powers: ContractPowers, status: ReportStatus) -> Vec<ReportAction> {
    ReportAction::ALL.into_iter().filter(|a| transition(powers, status, *a).is_ok()).collect()
}

/// Whether an actor with `powers` may read what a report in `status` says: the host always, the
/// department once it was sent to them (a draft is the host's own work).
pub fn may_read(powers: ContractPowers, status: ReportStatus) -> bool {
    powers.report || (powers.view && status != ReportStatus::Draft)
}

/// What a report says, read: text as typed (normalised), money in whole đồng and percentages as digits.
pub type Body = BTreeMap<String, String>;

/// Reads what was typed in a report of `kind` whose period holds the milestones `milestones`: every value
/// checked (money exact, a percentage from 0 to 100, text not too long, no field the report does not ask);
/// for a submission, the required fields present too. Returns what was read and every problem by field.
pub fn read(
    kind: TaskReportKind,
    milestones: &[i64],
    inputs: &BTreeMap<String, String>,
    for_submission: bool,
) -> (Body, Vec<Issue>) {
    let mut body = Body::new();
    let mut issues = Vec::new();
    for (code, _) in inputs.iter().filter(|(code, _)| !asks(kind, milestones, code)) {
        issues.push(Issue::new(code.clone(), "unknown_report_field").arg("name", code));
    }
    let lines = milestones.iter().map(|seq| (format!("{MILESTONE_PREFIX}{seq}"), FieldKind::Text, false));
    let specs = kind.fields().iter().map(|f| (f.code.to_owned(), f.kind, f.required));
    for (code, kind, required) in specs.chain(lines.filter(|_| kind == TaskReportKind::Progress)) {
        let typed = normalize_input(inputs.get(&code).map(String::as_str).unwrap_or_default());
        if typed.is_empty() {
            if required && for_submission {
                issues.push(Issue::new(code, "required"));
            }
            continue;
        }
        let read = match kind {
            FieldKind::Text if typed.chars().count() > TEXT_MAX => {
                Err(Issue::new(code.clone(), "too_long").arg("max", TEXT_MAX))
            }
            FieldKind::Text => Ok(typed.clone()),
            FieldKind::Money => crate::fmt::parse_dong(&typed)
                .map(|n| n.to_string())
                .map_err(|problem| Issue::new(code.clone(), problem).arg("value", &typed)),
            FieldKind::Percent => match typed.trim_end_matches('%').trim().parse::<u8>() {
                Ok(p) if p <= 100 => Ok(p.to_string()),
                _ => Err(Issue::new(code.clone(), "percent_range").arg("value", &typed)),
            },
        };
        match read {
            Ok(value) => {
                body.insert(code, value);
            }
            Err(issue) => issues.push(issue),
        }
    }
    (body, issues)
}

/// Whether a report of `kind` with the milestones `milestones` asks `code`.
fn asks(kind: TaskReportKind, milestones: &[i64], code: &str) -> bool {
    kind.fields().iter().any(|f| f.code == code)
        || (kind == TaskReportKind::Progress
            && code
                .strip_prefix(MILESTONE_PREFIX)
                .and_then(|seq| seq.parse::<i64>().ok())
                .is_some_and(|seq| milestones.contains(&seq)))
}

/// A money value of a body (0 when absent).
pub fn money(body: &Body, code: &str) -> i64 {
    body.get(code).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The state budget a progress report says was spent (0 when it says nothing).
pub fn spent_state(body: &Body) -> i64 {
    money(body, "spent_state")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn progress_reports_cover_the_months_between_them_and_are_due_the_day_after() {
        let fields = ContractFields {
            number: "05/2021/HĐ-KHCN".into(),
            signed_on: d(2021, 2, 26),
            starts_on: d(2021, 3, 1),
            ends_on: d(2022, 12, 31),
            host_org_id: 1,
            pi_name: "Nguyễn Văn A".into(),
            team: Vec::new(),
            sources: Vec::new(),
            years: Vec::new(),
            lump_sum: 0,
            instalments: Vec::new(),
            products: Vec::new(),
            milestones: Vec::new(),
            report_every_months: 6,
        };
        let due = progress_due(&fields);
        let spans: Vec<(u32, NaiveDate, NaiveDate, NaiveDate)> =
            due.iter().map(|r| (r.seq, r.starts_on, r.ends_on, r.due_on)).collect();
        assert_eq!(
            spans,
            [
                (1, d(2021, 3, 1), d(2021, 8, 31), d(2021, 9, 1)),
                (2, d(2021, 9, 1), d(2022, 2, 28), d(2022, 3, 1)),
                (3, d(2022, 3, 1), d(2022, 8, 31), d(2022, 9, 1)),
            ]
        );
        assert!(due[1].covers(d(2022, 2, 28)) && !due[1].covers(d(2022, 3, 1)));
    }

    #[test]
    fn application_reports_are_yearly_from_the_recognition() {
        let due = application_due(d(2023, 11, 20), 3);
        assert_eq!(due.len(), 3);
        assert_eq!(
            (due[0].starts_on, due[0].ends_on, due[0].due_on),
            (d(2023, 11, 20), d(2024, 11, 19), d(2024, 11, 20))
        );
        assert_eq!(due[2].due_on, d(2026, 11, 20));
        assert!(application_due(d(2023, 11, 20), 0).is_empty());
    }

    #[test]
    fn a_report_not_sent_by_its_due_day_is_overdue_and_one_sent_after_it_late() {
        let due = d(2026, 6, 1);
        assert_eq!(timeliness(due, None, None, d(2026, 6, 1)), Timeliness::default());
        assert!(timeliness(due, None, None, d(2026, 6, 2)).overdue);
        assert!(timeliness(due, Some(ReportStatus::Returned), Some(d(2026, 5, 30)), d(2026, 6, 2)).overdue);
        let late = timeliness(due, Some(ReportStatus::Approved), Some(d(2026, 6, 3)), d(2026, 7, 1));
        assert_eq!(late, Timeliness { overdue: false, late: true });
    }

    #[test]
    fn the_host_submits_and_the_staff_return_or_accept() {
        use ReportAction as A;
        use ReportStatus as S;
        let host = ContractPowers { view: true, record: false, decide: false, report: true };
        let officer = ContractPowers { view: true, record: true, decide: false, report: false };
        assert_eq!(transition(host, S::Draft, A::Submit), Ok(S::Submitted));
        assert_eq!(transition(host, S::Submitted, A::Approve), Err(TransitionError::Forbidden));
        assert_eq!(transition(officer, S::Draft, A::Save), Err(TransitionError::Forbidden));
        assert_eq!(transition(officer, S::Submitted, A::Return), Ok(S::Returned));
        assert_eq!(transition(officer, S::Submitted, A::Approve), Ok(S::Approved));
        assert_eq!(transition(officer, S::Approved, A::Approve), Err(TransitionError::InvalidState));
        assert_eq!(transition(host, S::Returned, A::Submit), Ok(S::Submitted));
        assert_eq!(transition(host, S::Approved, A::Save), Err(TransitionError::InvalidState));
        assert_eq!(actions(officer, S::Submitted), [A::Return, A::Approve]);
        assert!(actions(officer, S::Approved).is_empty(), "an accepted report is not unlocked here");
        assert!(!may_read(officer, S::Draft) && may_read(officer, S::Returned) && may_read(host, S::Draft));
    }

    #[test]
    fn what_is_typed_is_read_exactly_and_every_problem_named() {
        let (body, issues) = read(
            TaskReportKind::Progress,
            &[2],
            &inputs(&[
                ("work_done", "  Đã xây dựng 2 mô hình  "),
                ("percent", "45%"),
                ("spent_state", "1.250.000.000 đồng"),
                ("milestone.2", "Đạt"),
            ]),
            false,
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(body.get("work_done").map(String::as_str), Some("Đã xây dựng 2 mô hình"));
        assert_eq!(body.get("percent").map(String::as_str), Some("45"));
        assert_eq!(spent_state(&body), 1_250_000_000);
        assert_eq!(body.get("milestone.2").map(String::as_str), Some("Đạt"));

        let (_, issues) = read(
            TaskReportKind::Progress,
            &[2],
            &inputs(&[("percent", "120"), ("spent_state", "1,5 tỷ"), ("milestone.3", "x"), ("grade", "A")]),
            true,
        );
        let mut named: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_str(), i.code)).collect();
        named.sort_unstable();
        assert!(named.contains(&("percent", "percent_range")), "{named:?}");
        assert!(
            named.contains(&("milestone.3", "unknown_report_field"))
                && named.contains(&("grade", "unknown_report_field"))
        );
        assert!(named.contains(&("work_done", "required")) && named.contains(&("products", "required")));
        assert!(named.iter().any(|(f, _)| *f == "spent_state"), "money is exact or refused: {named:?}");
        assert!(!named.iter().any(|(f, _)| *f == "problems"), "optional fields may stay empty");

        let (_, issues) = read(TaskReportKind::Application, &[], &inputs(&[("milestone.1", "x")]), false);
        assert_eq!(issues.len(), 1, "an application report has no milestone lines");
    }
}
