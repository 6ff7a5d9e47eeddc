//! Reading a deadline from what a person typed or a program sent: the one parser of the assigning form,
//! the API's JSON and the directive form of a working visit.
//!
//! A deadline arrives as its kind and the fields that kind needs ([`DeadlineFields`]). A form sends text
//! (`dd/mm/yyyy` dates, the yearly day as `15/12`), read by [`DeadlineFields::from_form`]; JSON sends typed
//! values. [`DeadlineFields::deadline`] then says which deadline it is, or which fields are missing or
//! wrong. Problems name the field within the deadline (`due_on`, `yearly_day`, …); each surface puts them
//! where its own fields are (`deadline.due_on` in the API, `due_on` on the assigning form).

use chrono::NaiveDate;

use super::Deadline;

/// A problem with one field of a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineIssue {
    /// The field within the deadline: `kind`, `due_on`, `period_start`, `period_end`, `yearly_month`,
    /// `yearly_day`.
    pub field: &'static str,
    /// A stable code: `required`, `invalid` (an unknown kind), `date_format`, `yearly_format`.
    pub code: &'static str,
}

impl DeadlineIssue {
    fn new(field: &'static str, code: &'static str) -> DeadlineIssue {
        DeadlineIssue { field, code }
    }

    /// Whether the issue is only that something was not given (a surface that reports a missing deadline
    /// as a whole leaves these out).
    pub fn is_missing(&self) -> bool {
        self.code == "required"
    }
}

/// A deadline as typed or sent: its kind and the fields of each kind (those of other kinds are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineFields {
    /// `fixed`, `yearly`, `continuous` or `period`.
    pub kind: String,
    /// The date of a fixed deadline.
    pub due_on: Option<NaiveDate>,
    /// The start of a period.
    pub period_start: Option<NaiveDate>,
    /// The end of a period (the due date).
    pub period_end: Option<NaiveDate>,
    /// The month of a yearly deadline.
    pub yearly_month: Option<u32>,
    /// The day of a yearly deadline.
    pub yearly_day: Option<u32>,
}

/// A date typed in a form: `None` when empty; an issue named `field` when it is not a date.
fn typed_date(field: &'static str, text: &str, issues: &mut Vec<DeadlineIssue>) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = crate::fmt::parse_date(text);
    if date.is_none() {
        issues.push(DeadlineIssue::new(field, "date_format"));
    }
    date
}

impl DeadlineFields {
    /// The fields of a deadline typed in a form: the kind chosen, the dates as `dd/mm/yyyy` (or ISO), and
    /// the yearly day as day and month (`15/12`, `15-12`, `15.12`). Only the fields of the chosen kind are
    /// read; what cannot be read is an issue, what is empty is left for [`DeadlineFields::deadline`] to
    /// report as missing.
    pub fn from_form(
        kind: &str,
        due_on: &str,
        period_start: &str,
        period_end: &str,
        yearly: &str,
    ) -> (DeadlineFields, Vec<DeadlineIssue>) {
        let mut issues = Vec::new();
        let kind = kind.trim();
        let mut fields = DeadlineFields { kind: kind.to_owned(), ..DeadlineFields::default() };
        match kind {
            "fixed" => fields.due_on = typed_date("due_on", due_on, &mut issues),
            "period" => {
                fields.period_start = typed_date("period_start", period_start, &mut issues);
                fields.period_end = typed_date("period_end", period_end, &mut issues);
            }
            "yearly" if !yearly.trim().is_empty() => {
                let parts: Vec<Option<u32>> =
                    yearly.trim().split(['/', '-', '.']).map(|p| p.trim().parse().ok()).collect();
                match parts.as_slice() {
                    [Some(day), Some(month)] => (fields.yearly_day, fields.yearly_month) = (Some(*day), Some(*month)),
                    _ => issues.push(DeadlineIssue::new("yearly_day", "yearly_format")),
                }
            }
            _ => {}
        }
        (fields, issues)
    }

    /// The deadline these fields describe, or every field that is missing (`required`) or names an unknown
    /// kind (`invalid`). Whether the deadline suits the assignment (not before it, a day that exists) is
    /// [`Deadline::check`]'s.
    pub fn deadline(&self) -> Result<Deadline, Vec<DeadlineIssue>> {
        let mut issues = Vec::new();
        let mut need = |field: &'static str, present: bool| {
            if !present {
                issues.push(DeadlineIssue::new(field, "required"));
            }
        };
        let deadline = match self.kind.trim() {
            "fixed" => {
                need("due_on", self.due_on.is_some());
                self.due_on.map(|date| Deadline::Fixed { date })
            }
            "period" => {
                need("period_start", self.period_start.is_some());
                need("period_end", self.period_end.is_some());
                self.period_start.zip(self.period_end).map(|(from, to)| Deadline::Period { from, to })
            }
            "yearly" => {
                // One problem for the pair: the month when it is missing, else the day.
                if self.yearly_month.is_none() {
                    need("yearly_month", false);
                } else {
                    need("yearly_day", self.yearly_day.is_some());
                }
                self.yearly_month.zip(self.yearly_day).map(|(month, day)| Deadline::Yearly { month, day })
            }
            "continuous" => Some(Deadline::Continuous),
            "" => {
                need("kind", false);
                None
            }
            _ => {
                issues.push(DeadlineIssue::new("kind", "invalid"));
                None
            }
        };
        match deadline {
            Some(d) if issues.is_empty() => Ok(d),
            _ => Err(issues),
        }
    }
}

impl From<Deadline> for DeadlineFields {
    fn from(d: Deadline) -> DeadlineFields {
        let kind = d.kind_code().to_owned();
        match d {
            Deadline::Fixed { date } => DeadlineFields { kind, due_on: Some(date), ..DeadlineFields::default() },
            Deadline::Yearly { month, day } => {
                DeadlineFields { kind, yearly_month: Some(month), yearly_day: Some(day), ..DeadlineFields::default() }
            }
            Deadline::Continuous => DeadlineFields { kind, ..DeadlineFields::default() },
            Deadline::Period { from, to } => {
                DeadlineFields { kind, period_start: Some(from), period_end: Some(to), ..DeadlineFields::default() }
            }
        }
    }
}

/// The field within a deadline that a refused deadline ([`super::deadline::DeadlineError`]) is reported on.
pub fn refused_field(deadline: &Deadline) -> &'static str {
    match deadline {
        Deadline::Yearly { .. } => "yearly_day",
        Deadline::Period { .. } => "period_end",
        _ => "due_on",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn issue(field: &'static str, code: &'static str) -> DeadlineIssue {
        DeadlineIssue { field, code }
    }

    #[test]
    fn a_form_gives_each_kind_from_its_own_fields() {
        let read = |kind, due, start, end, yearly| {
            let (fields, issues) = DeadlineFields::from_form(kind, due, start, end, yearly);
            assert!(issues.is_empty(), "{issues:?}");
            fields.deadline()
        };
        assert_eq!(read("fixed", "30/04/2020", "", "", ""), Ok(Deadline::Fixed { date: d(2020, 4, 30) }));
        assert_eq!(read("fixed", "2020-04-30", "", "", ""), Ok(Deadline::Fixed { date: d(2020, 4, 30) }));
        assert_eq!(
            read("period", "", "1/1/2021", "31/12/2021", ""),
            Ok(Deadline::Period { from: d(2021, 1, 1), to: d(2021, 12, 31) })
        );
        assert_eq!(read("yearly", "", "", "", " 15/12 "), Ok(Deadline::Yearly { month: 12, day: 15 }));
        assert_eq!(read("yearly", "", "", "", "15-12"), Ok(Deadline::Yearly { month: 12, day: 15 }));
        assert_eq!(read("continuous", "rác", "", "", ""), Ok(Deadline::Continuous), "other kinds' fields are not read");
    }

    #[test]
    fn what_cannot_be_read_and_what_is_missing_are_named() {
        let (fields, issues) = DeadlineFields::from_form("fixed", "31/02/2020", "", "", "");
        assert_eq!(issues, vec![issue("due_on", "date_format")]);
        assert_eq!(fields.deadline(), Err(vec![issue("due_on", "required")]));
        let (_, issues) = DeadlineFields::from_form("yearly", "", "", "", "15/12/2020");
        assert_eq!(issues, vec![issue("yearly_day", "yearly_format")]);
        let (fields, issues) = DeadlineFields::from_form("period", "", "", "x", "");
        assert_eq!(issues, vec![issue("period_end", "date_format")]);
        assert_eq!(fields.deadline(), Err(vec![issue("period_start", "required"), issue("period_end", "required")]));
        assert_eq!(DeadlineFields::default().deadline(), Err(vec![issue("kind", "required")]));
        let weekly = DeadlineFields { kind: "weekly".into(), ..DeadlineFields::default() };
        assert_eq!(weekly.deadline(), Err(vec![issue("kind", "invalid")]));
        let (fields, issues) = DeadlineFields::from_form("yearly", "", "", "", "");
        assert!(issues.is_empty());
        assert_eq!(fields.deadline(), Err(vec![issue("yearly_month", "required")]));
        assert!(fields.deadline().unwrap_err()[0].is_missing());
        let no_day = DeadlineFields { kind: "yearly".into(), yearly_month: Some(12), ..DeadlineFields::default() };
        assert_eq!(no_day.deadline(), Err(vec![issue("yearly_day", "required")]));
    }

    #[test]
    fn a_deadline_gives_back_its_fields() {
        for deadline in [
            Deadline::Fixed { date: d(2020, 4, 30) },
            Deadline::Period { from: d(2021, 1, 1), to: d(2021, 12, 31) },
            Deadline::Yearly { month: 12, day: 15 },
            Deadline::Continuous,
        ] {
            assert_eq!(DeadlineFields::from(deadline).deadline(), Ok(deadline));
        }
        assert_eq!(refused_field(&Deadline::Yearly { month: 4, day: 31 }), "yearly_day");
    }
}
