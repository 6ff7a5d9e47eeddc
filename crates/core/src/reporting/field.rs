//! Typed fields of a report form and the values typed into them: integers, decimals, percents, money in
//! đồng, text, yes/no, a choice, a date. Input is read the way officials type it (`1.234.567`, `12,5%`,
//! `1.250.000 đ`, `có`) and anything else is refused with a code, never guessed ("N/A" in a number field).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fmt::{self, NumberError};
use crate::lang::Lang;

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A whole number.
    Integer,
    /// A number with decimals.
    Decimal,
    /// A percentage (`12,5` or `12,5%`).
    Percent,
    /// An amount in đồng (whole).
    Money,
    /// Free text.
    Text,
    /// Có / không.
    YesNo,
    /// One of the listed choices.
    Choice,
    /// A date.
    Date,
}

impl FieldKind {
    /// Every kind.
    pub const ALL: [FieldKind; 8] = [
        FieldKind::Integer,
        FieldKind::Decimal,
        FieldKind::Percent,
        FieldKind::Money,
        FieldKind::Text,
        FieldKind::YesNo,
        FieldKind::Choice,
        FieldKind::Date,
    ];

    /// The stable code (as in template definitions).
    pub fn code(self) -> &'static str {
        match self {
            FieldKind::Integer => "integer",
            FieldKind::Decimal => "decimal",
            FieldKind::Percent => "percent",
            FieldKind::Money => "money",
            FieldKind::Text => "text",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice => "choice",
            FieldKind::Date => "date",
        }
    }

    /// Whether values are numbers (and may be bound to an aggregated indicator).
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldKind::Integer | FieldKind::Decimal | FieldKind::Percent | FieldKind::Money)
    }
}

/// A value as stored: a number, or a text (choices, free text, dates in ISO form, yes/no as 1/0 number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// Integers, decimals, percents, money, yes (1) / no (0).
    Number(f64),
    /// Text, choices and dates (`2025-12-31`).
    Text(String),
}

impl Value {
    /// The number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(_) => None,
        }
    }
}

/// Why a typed value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Not a number ("N/A", "khoảng 5").
    NotANumber,
    /// Separators in the wrong places.
    NumberGrouping,
    /// A decimal where a whole number is expected.
    NotWhole,
    /// Neither yes nor no.
    NotYesNo,
    /// Not one of the choices.
    NotAChoice,
    /// Not a date.
    NotADate,
}

impl ValueError {
    /// A stable code for the field error.
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::NotANumber => "not_a_number",
            ValueError::NumberGrouping => "number_grouping",
            ValueError::NotWhole => "not_whole",
            ValueError::NotYesNo => "not_yes_no",
            ValueError::NotAChoice => "not_a_choice",
            ValueError::NotADate => "date_format",
        }
    }
}

fn number(text: &str) -> Result<f64, ValueError> {
    fmt::parse_number(text).map_err(|e| match e {
        NumberError::BadGrouping => ValueError::NumberGrouping,
        NumberError::Empty | NumberError::NotANumber => ValueError::NotANumber,
    })
}

fn whole(x: f64) -> Result<f64, ValueError> {
    if x.fract() == 0.0 { Ok(x) } else { Err(ValueError::NotWhole) }
}

/// Reads typed input for a field of `kind`; `Ok(None)` when nothing was typed.
pub fn parse(kind: FieldKind, choices: &[String], input: &str) -> Result<Option<Value>, ValueError> {
    let text = crate::text::normalize_input(input);
    if text.is_empty() {
        return Ok(None);
    }
    let value = match kind {
        FieldKind::Integer => Value::Number(whole(number(&text)?)?),
        FieldKind::Decimal => Value::Number(number(&text)?),
        FieldKind::Percent => Value::Number(number(text.trim_end_matches('%'))?),
        FieldKind::Money => {
            let lower = text.to_lowercase();
            let stripped = ["đồng", "vnđ", "vnd", "đ"]
                .iter()
                .find_map(|unit| lower.strip_suffix(unit))
                .unwrap_or(&lower)
                .trim()
                .to_owned();
            Value::Number(whole(number(&stripped)?)?)
        }
        FieldKind::Text => Value::Text(text),
        FieldKind::YesNo => {
            let folded = crate::text::fold(&text);
            match folded.as_str() {
                "co" | "yes" | "y" | "x" | "1" | "true" | "dung" => Value::Number(1.0),
                "khong" | "no" | "n" | "0" | "false" | "sai" => Value::Number(0.0),
                _ => return Err(ValueError::NotYesNo),
            }
        }
        FieldKind::Choice => {
            let folded = crate::text::fold(&text);
            match choices.iter().find(|c| crate::text::fold(c) == folded) {
                Some(c) => Value::Text(c.clone()),
                None => return Err(ValueError::NotAChoice),
            }
        }
        FieldKind::Date => match fmt::parse_date(&text) {
            Some(d) => Value::Text(d.format("%Y-%m-%d").to_string()),
            None => return Err(ValueError::NotADate),
        },
    };
    Ok(Some(value))
}

/// A stored value as a person reads it: `1.234.567`, `12,5%`, `1.250.000 đ`, `Có`, `31/12/2025`.
pub fn display(kind: FieldKind, value: &Value, lang: Lang) -> String {
    match (kind, value) {
        (FieldKind::Integer, Value::Number(n)) => fmt::integer(*n as i64, lang),
        (FieldKind::Decimal, Value::Number(n)) => fmt::decimal(*n, 4, lang),
        (FieldKind::Percent, Value::Number(n)) => format!("{}%", fmt::decimal(*n, 2, lang)),
        (FieldKind::Money, Value::Number(n)) => fmt::money(*n as i64, lang),
        (FieldKind::YesNo, Value::Number(n)) => match (*n != 0.0, lang) {
            (true, Lang::Vi) => "Có".to_owned(),
            (false, Lang::Vi) => "Không".to_owned(),
            (true, Lang::En) => "Yes".to_owned(),
            (false, Lang::En) => "No".to_owned(),
        },
        (FieldKind::Date, Value::Text(t)) => {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map(fmt::date).unwrap_or_else(|_| t.clone())
        }
        (_, Value::Text(t)) => t.clone(),
        (_, Value::Number(n)) => fmt::decimal(*n, 4, lang),
    }
}

/// What a form field shows for a stored value (the same as [`display`] but without the unit, so that it
/// reads back unchanged): `1.234.567`, `12,5`, `1.250.000`, `có`, `31/12/2025`.
pub fn input_text(kind: FieldKind, value: &Value) -> String {
    match (kind, value) {
        (FieldKind::Integer | FieldKind::Money, Value::Number(n)) => fmt::integer(*n as i64, Lang::Vi),
        (FieldKind::Decimal | FieldKind::Percent, Value::Number(n)) => fmt::decimal(*n, 6, Lang::Vi),
        (FieldKind::YesNo, Value::Number(n)) => if *n != 0.0 { "có" } else { "không" }.to_owned(),
        _ => display(kind, value, Lang::Vi),
    }
}

/// Whether a value lies far outside what the unit reported before: more than three times the largest
/// earlier value, or under a third of the smallest (at least two earlier values, all positive). Flagged
/// for the person to check, never refused.
pub fn is_outlier(value: f64, history: &[f64]) -> bool {
    if history.len() < 2 || history.iter().any(|h| *h <= 0.0) || value < 0.0 {
        return false;
    }
    let max = history.iter().copied().fold(f64::MIN, f64::max);
    let min = history.iter().copied().fold(f64::MAX, f64::min);
    value > 3.0 * max || value < min / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_and_na_refused() {
        assert_eq!(parse(FieldKind::Integer, &[], "1.234"), Ok(Some(Value::Number(1234.0))));
        assert_eq!(parse(FieldKind::Integer, &[], "N/A"), Err(ValueError::NotANumber));
        assert_eq!(parse(FieldKind::Integer, &[], "12,5"), Err(ValueError::NotWhole));
        assert_eq!(parse(FieldKind::Decimal, &[], "12,5"), Ok(Some(Value::Number(12.5))));
        assert_eq!(parse(FieldKind::Percent, &[], "12,5 %"), Ok(Some(Value::Number(12.5))));
        assert_eq!(parse(FieldKind::Money, &[], "1.250.000 đ"), Ok(Some(Value::Number(1_250_000.0))));
        assert_eq!(parse(FieldKind::Money, &[], "1.250.000 VNĐ"), Ok(Some(Value::Number(1_250_000.0))));
        assert_eq!(parse(FieldKind::Integer, &[], "  "), Ok(None));
    }

    #[test]
    fn yes_no_choices_and_dates_are_read_in_vietnamese() {
        assert_eq!(parse(FieldKind::YesNo, &[], "Có"), Ok(Some(Value::Number(1.0))));
        assert_eq!(parse(FieldKind::YesNo, &[], "không"), Ok(Some(Value::Number(0.0))));
        assert_eq!(parse(FieldKind::YesNo, &[], "có lẽ"), Err(ValueError::NotYesNo));
        let choices = vec!["Nhà nước".to_owned(), "Ngoài nhà nước".to_owned()];
        assert_eq!(parse(FieldKind::Choice, &choices, "nha nuoc"), Ok(Some(Value::Text("Nhà nước".into()))));
        assert_eq!(parse(FieldKind::Choice, &choices, "FDI"), Err(ValueError::NotAChoice));
        assert_eq!(parse(FieldKind::Date, &[], "31/12/2025"), Ok(Some(Value::Text("2025-12-31".into()))));
        assert_eq!(parse(FieldKind::Date, &[], "31/13/2025"), Err(ValueError::NotADate));
    }

    #[test]
    fn values_read_back_as_typed() {
        for (kind, typed) in [
            (FieldKind::Integer, "1.234.567"),
            (FieldKind::Decimal, "12,5"),
            (FieldKind::Money, "1.250.000"),
            (FieldKind::YesNo, "có"),
            (FieldKind::Date, "31/12/2025"),
        ] {
            let v = parse(kind, &[], typed).unwrap().unwrap();
            assert_eq!(input_text(kind, &v), typed, "{kind:?}");
            assert_eq!(parse(kind, &[], &input_text(kind, &v)).unwrap().unwrap(), v);
        }
        assert_eq!(display(FieldKind::Money, &Value::Number(1_250_000.0), Lang::Vi), "1.250.000 đ");
    }

    #[test]
    fn values_far_from_history_are_flagged() {
        assert!(is_outlier(400.0, &[100.0, 120.0]));
        assert!(is_outlier(20.0, &[100.0, 120.0]));
        assert!(!is_outlier(150.0, &[100.0, 120.0]));
        assert!(!is_outlier(400.0, &[100.0]), "one earlier value is not a history");
    }
}
