//! The checks every form of this module shares: a line, a text, an id, a date, a number, each reported
//! as an [`Issue`] named as the API names the field.

use chrono::NaiveDate;

use super::Issue;
use crate::text::{normalize_input, normalize_multiline};

/// The longest one-line text (a title, a name).
pub(crate) const LINE_MAX: usize = 500;
/// The longest multi-line text (objectives, eligibility, a note).
pub(crate) const TEXT_MAX: usize = 20_000;

/// Collects the issues of one form.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    pub(crate) issues: Vec<Issue>,
}

impl Checker {
    pub(crate) fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    pub(crate) fn line(&mut self, field: &str, raw: &str, max: usize, required: bool) -> Option<String> {
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

    pub(crate) fn text(&mut self, field: &str, raw: &str, required: bool) -> Option<String> {
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

    pub(crate) fn date(&mut self, field: &str, raw: &str, required: bool) -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            if required {
                self.issues.push(Issue::new(field, "required"));
            }
            return None;
        }
        let parsed = crate::fmt::parse_date(raw);
        if parsed.is_none() {
            self.issues.push(Issue::new(field, "date_format"));
        }
        parsed
    }

    pub(crate) fn id(&mut self, field: &str, raw: &str, required: bool) -> Option<i64> {
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

    /// A number as officials type it (`1.234.567`, `12,5`); `None` when blank or wrong (then noted).
    pub(crate) fn number(&mut self, field: &str, raw: &str, required: bool) -> Option<f64> {
        match crate::fmt::parse_number(raw) {
            Ok(n) => Some(n),
            Err(crate::fmt::NumberError::Empty) => {
                if required {
                    self.issues.push(Issue::new(field, "required"));
                }
                None
            }
            Err(e) => {
                self.issues.push(Issue::new(field, e.code()).arg("value", raw.trim()));
                None
            }
        }
    }

    /// A whole number of đồng, not negative, parsed exactly (never through a float).
    pub(crate) fn money(&mut self, field: &str, raw: &str, required: bool) -> Option<i64> {
        match crate::fmt::parse_dong(raw) {
            Ok(n) => Some(n),
            Err("required") => {
                if required {
                    self.issues.push(Issue::new(field, "required"));
                }
                None
            }
            Err(code) => {
                self.issues.push(Issue::new(field, code).arg("value", raw.trim()));
                None
            }
        }
    }
}
