//! Long lists read as one JSON value where the backend reads that faster ([`crate::dialect::reads_lists_as_json`]):
//! each row is a JSON array whose values are in the order of the struct's fields, decoded with serde. The
//! helpers here read the values whose JSON differs between the backends.

use chrono::NaiveDate;
use serde::de::{DeserializeOwned, Deserializer, Error, Visitor};

use crate::dialect;
use crate::error::DbError;
use crate::query::{Exec, Query, Record};

/// Runs `SELECT <columns>` followed by what `rest` appends (FROM, WHERE; no ORDER BY, the order is not
/// defined), as one JSON value or row by row depending on the backend. `columns` may carry `AS` aliases
/// (for the rows); they are dropped inside the JSON arrays, which take no names.
pub(crate) async fn fetch_many<T: Record + DeserializeOwned>(
    ex: &impl Exec,
    columns: &str,
    rest: impl FnOnce(&mut Query),
) -> Result<Vec<T>, DbError> {
    let backend = ex.backend();
    if !dialect::reads_lists_as_json(backend) {
        let mut q = Query::new(format!("SELECT {columns}"));
        rest(&mut q);
        return ex.fetch_all(q).await;
    }
    let values: Vec<&str> = columns.split(',').map(|c| c.split(" AS ").next().unwrap_or(c).trim()).collect();
    let mut q = Query::new(format!("SELECT {}", dialect::json_rows(backend, &values.join(", "))));
    rest(&mut q);
    let (text,): (String,) = ex.fetch_one(q).await?;
    decode(&text)
}

/// Decodes rows read with [`dialect::json_rows`].
pub(crate) fn decode<T: DeserializeOwned>(json: &str) -> Result<Vec<T>, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("rows read as JSON: {e}")))
}

/// A boolean: `true`/`false` from PostgreSQL, `1`/`0` from SQLite.
pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Boolean;
    impl Visitor<'_> for Boolean {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean or 0/1")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
            Ok(v != 0)
        }
        fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
            Ok(v != 0)
        }
    }
    d.deserialize_any(Boolean)
}

/// A date, `"YYYY-MM-DD"` on both backends, or `null`. Read by hand: chrono's format parser would be most
/// of the cost of reading a dashboard's rows.
pub(crate) fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = <Option<&str> as serde::Deserialize>::deserialize(d)? else { return Ok(None) };
    let number = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    let date = match (text.len(), number(0..4), number(5..7), number(8..10)) {
        (10, Some(y), Some(m), Some(day)) => NaiveDate::from_ymd_opt(y as i32, m, day),
        _ => None,
    };
    date.map(Some).ok_or_else(|| D::Error::custom(format!("not a date: {text}")))
}

/// A date that is never `null`.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    optional_date(d)?.ok_or_else(|| D::Error::custom("a date, not null"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Row(
        #[serde(deserialize_with = "boolean")] bool,
        #[serde(deserialize_with = "boolean")] bool,
        #[serde(deserialize_with = "optional_date")] Option<NaiveDate>,
        #[serde(deserialize_with = "date")] NaiveDate,
    );

    #[test]
    fn booleans_and_dates_of_either_backend_are_read() {
        let rows: Vec<Row> =
            decode(r#"[[true, 0, null, "2025-07-01"], [1, false, "2020-02-29", "2026-12-31"]]"#).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(rows[0], Row(true, false, None, day(2025, 7, 1)));
        assert_eq!(rows[1], Row(true, false, Some(day(2020, 2, 29)), day(2026, 12, 31)));
        assert!(decode::<Row>(r#"[[true, 0, "2021-02-29", "2025-07-01"]]"#).is_err());
        assert!(decode::<Row>(r#"[[true, 0, null, "1/7/2025"]]"#).is_err());
        assert!(decode::<Row>(r#"[[true, 0, null, null]]"#).is_err());
    }
}
