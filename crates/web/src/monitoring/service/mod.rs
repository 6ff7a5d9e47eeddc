//! Operations shared by the monitoring pages and the JSON API: the rules on what was typed or sent, the
//! write and its audit event, in one place, so that both surfaces behave the same.
//!
//! Input arrives as a *draft*: typed values not yet checked. Each surface parses its own format into a
//! draft (a form's `dd/mm/yyyy` and `1,5`, JSON's `YYYY-MM-DD` and `1.5`), reporting what it cannot parse as
//! field errors of its own; the operation then checks the rules, adds its field errors to those, and writes
//! only when there are none. Field errors are named as in the API's bodies (`deadline.due_on`); a page
//! renames them to its form's fields with [`rename_fields`]. Access is checked by the caller with the same
//! predicates ([`super::plans::may_plan`], [`documents::may_keep_register`], [`assignments::visible`]).

pub mod assignments;
pub mod documents;
pub mod plans;
pub mod updates;

use crate::error::FieldError;

/// The errors of the surface's parsing followed by those of the rules, one per field (the first wins: a
/// date that did not parse is not also reported as missing).
pub fn merge_errors(parsed: Vec<FieldError>, found: Vec<FieldError>) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::with_capacity(parsed.len() + found.len());
    for e in parsed.into_iter().chain(found) {
        if !out.iter().any(|o| o.field == e.field) {
            out.push(e);
        }
    }
    out
}

/// Renames the fields of errors (`(from, to)` pairs), from the API's names to a form's.
pub fn rename_fields(mut errors: Vec<FieldError>, names: &[(&str, &str)]) -> Vec<FieldError> {
    for e in &mut errors {
        if let Some((_, to)) = names.iter().find(|(from, _)| *from == e.field) {
            e.field = (*to).to_owned();
        }
    }
    errors
}

/// A required single-line text: normalised, not empty, at most `max` characters.
pub(crate) fn required_text(field: &str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let text = tiendo_core::text::normalize_input(raw);
    if text.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(field, "too_long").arg("max", max));
    }
    text
}

/// An optional single-line text: normalised, `None` when empty.
pub(crate) fn optional_line(raw: Option<&str>) -> Option<String> {
    raw.map(tiendo_core::text::normalize_input).filter(|s| !s.is_empty())
}

/// An optional multi-line text: normalised, `None` when empty.
pub(crate) fn optional_block(raw: Option<&str>) -> Option<String> {
    raw.and_then(super::optional_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_come_first_and_each_field_is_reported_once() {
        let merged = merge_errors(
            vec![FieldError::new("due_on", "date_format")],
            vec![FieldError::new("due_on", "required"), FieldError::new("priority", "invalid")],
        );
        let codes: Vec<(&str, &str)> = merged.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, vec![("due_on", "date_format"), ("priority", "invalid")]);
        let renamed = rename_fields(merged, &[("due_on", "deadline_due")]);
        assert_eq!(renamed[0].field, "deadline_due");
        assert_eq!(renamed[1].field, "priority");
    }
}
