//! Dates and instants that the document asserts, not only names. In OpenAPI 3.1 (JSON Schema 2020-12)
//! `format` is an annotation: `""` or `"2025-13-45"` is a valid `{"type": "string", "format": "date"}`,
//! yet the server refuses both. [`declare`] adds to every `date` and `date-time` schema of the document a
//! `pattern` that admits exactly the strings the server reads: a day of the proleptic Gregorian calendar
//! with a four-digit year (29 February in leap years only), and for an instant a time and an offset.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ArrayItems, KnownFormat, Schema, SchemaFormat};
use utoipa::openapi::{OpenApi, RefOr};

/// A day, `YYYY-MM-DD`.
const DAY: &str = concat!(
    "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    // 29 February: years divisible by 4 but not by 100, and years divisible by 400.
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)",
);

/// A time of day with an optional fraction, and an offset (RFC 3339, as [`instant`] reads it).
const TIME_AND_OFFSET: &str =
    "[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";

/// Reads an RFC 3339 instant as the document's `date-time` pattern admits it: a `T` between the day and
/// the time (chrono alone also takes a space) and no leap second.
pub fn instant(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let separated = matches!(bytes.get(10), Some(b'T' | b't'));
    let leap_second = bytes.get(17..19) == Some(b"60".as_slice());
    if !separated || leap_second {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// `deserialize_with` of an optional instant read by [`instant`].
pub fn optional_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) => instant(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not an RFC 3339 instant"))),
    }
}

/// The pattern of a `date` string.
pub fn date_pattern() -> String {
    format!("^{DAY}$")
}

/// The pattern of a `date-time` string.
pub fn date_time_pattern() -> String {
    format!("^{DAY}{TIME_AND_OFFSET}$")
}

/// Adds the patterns to every date and date-time schema: the components', the parameters', and those
/// written inline in request and response bodies.
pub fn declare(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(visit);
    }
    for item in doc.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            visit_operation(op);
        }
    }
}

fn visit_operation(op: &mut Operation) {
    for param in op.parameters.iter_mut().flatten() {
        if let RefOr::T(param) = param
            && let Some(schema) = param.schema.as_mut()
        {
            visit(schema);
        }
    }
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content
                && let Some(schema) = content.schema.as_mut()
            {
                visit(schema);
            }
        }
    }
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            for content in response.content.values_mut() {
                if let RefOr::T(content) = content
                    && let Some(schema) = content.schema.as_mut()
                {
                    visit(schema);
                }
            }
        }
    }
}

fn visit(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            match object.format {
                Some(SchemaFormat::KnownFormat(KnownFormat::Date)) if object.pattern.is_none() => {
                    object.pattern = Some(date_pattern());
                }
                Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)) if object.pattern.is_none() => {
                    object.pattern = Some(date_time_pattern());
                }
                _ => {}
            }
            object.properties.values_mut().for_each(visit);
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                visit(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(visit),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(visit),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(visit),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use regex::Regex;

    use super::*;

    /// The pattern agrees with chrono, which reads the server's dates, on every day of four centuries
    /// and on the strings around them.
    #[test]
    fn the_date_pattern_admits_exactly_the_days_the_server_reads() {
        let pattern = Regex::new(&date_pattern()).unwrap();
        for year in [1900, 1999, 2000, 2024, 2025, 2100, 2400, 0, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let read = text.parse::<NaiveDate>().is_ok();
                    assert_eq!(pattern.is_match(&text), read, "{text}");
                }
            }
        }
        for text in ["", "2025-1-01", "2025-01-01 ", "20250101", "+2025-01-01", "2025-01-01T00:00:00Z"] {
            assert!(!pattern.is_match(text), "{text}");
        }
    }

    #[test]
    fn the_date_time_pattern_admits_the_instants_the_server_reads() {
        let pattern = Regex::new(&date_time_pattern()).unwrap();
        let read = [
            "2026-03-05T01:30:00Z",
            "2026-03-05T08:30:00.123456+07:00",
            "2024-02-29t23:59:59z",
            "2026-03-05T01:30:00.1234567890Z",
        ];
        for text in read {
            assert!(pattern.is_match(text), "{text}");
            assert!(instant(text).is_some(), "{text}");
        }
        let refused = [
            "",
            "2026-03-05",
            "2026-03-05T01:30Z",
            "2025-02-29T00:00:00Z",
            "2026-03-05T24:00:00Z",
            "2026-03-05 01:30:00Z",
            "2026-12-31T23:59:60Z",
            "2026-03-05T01:30:00",
        ];
        for text in refused {
            assert!(!pattern.is_match(text), "{text}");
            assert!(instant(text).is_none(), "{text}");
        }
    }
}
