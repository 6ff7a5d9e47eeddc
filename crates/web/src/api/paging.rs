//! Paging of API lists: `?limit=` (default 50, at most 500) and `?cursor=` (the `next` of the previous
//! page). The cursor is opaque to clients; today it is the offset of the next item, in decimal digits.
//! [`declare`] writes these rules into the OpenAPI document for every list.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, RefOr};

use crate::error::AppError;

/// The default page size.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page size.
pub const MAX_LIMIT: i64 = 500;
/// What a cursor looks like: up to 18 digits (an offset that fits `i64`), or empty for the first page.
pub const CURSOR_PATTERN: &str = "^[0-9]{0,18}$";

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Items to skip.
    pub offset: i64,
    /// Items to return.
    pub limit: i64,
}

impl Paging {
    /// Reads `limit` and `cursor`; out-of-range or unreadable values are 400 `invalid_query`.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Paging, AppError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(invalid(format!("limit: between 1 and {MAX_LIMIT}")));
        }
        let offset = match cursor.filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) if c.len() <= 18 && c.bytes().all(|b| b.is_ascii_digit()) => {
                c.parse::<i64>().map_err(|_| invalid("cursor: not a cursor of this list".into()))?
            }
            Some(_) => return Err(invalid("cursor: not a cursor of this list".into())),
        };
        Ok(Paging { offset, limit })
    }

    /// The cursor of the next page, after `returned` items out of `total`.
    pub fn next(&self, returned: usize, total: i64) -> Option<String> {
        let next = self.offset + returned as i64;
        (returned > 0 && next < total).then(|| next.to_string())
    }
}

/// Declares `limit` (1 to [`MAX_LIMIT`], default [`DEFAULT_LIMIT`]) and `cursor` ([`CURSOR_PATTERN`]) on
/// every operation of the document that takes them, so that the document says what [`Paging::parse`]
/// accepts.
pub fn declare(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            declare_operation(op);
        }
    }
}

fn declare_operation(op: &mut Operation) {
    for param in op.parameters.iter_mut().flatten() {
        let RefOr::T(param) = param else { continue };
        if param.parameter_in != ParameterIn::Query {
            continue;
        }
        let schema = match param.name.as_str() {
            "limit" => ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(1))
                .maximum(Some(MAX_LIMIT))
                .default(Some(DEFAULT_LIMIT.into())),
            "cursor" => ObjectBuilder::new().schema_type(Type::String).pattern(Some(CURSOR_PATTERN)),
            _ => continue,
        };
        param.schema = Some(schema.into());
    }
}

/// A 400 `invalid_query` naming the parameter.
pub fn invalid(detail: String) -> AppError {
    AppError::BadRequest { code: "invalid_query", detail: Some(detail) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors_are_checked() {
        assert_eq!(Paging::parse(None, None).unwrap(), Paging { offset: 0, limit: 50 });
        assert_eq!(Paging::parse(Some(10), Some("20")).unwrap(), Paging { offset: 20, limit: 10 });
        assert_eq!(Paging::parse(None, Some("")).unwrap(), Paging { offset: 0, limit: 50 });
        assert_eq!(Paging::parse(None, Some("999999999999999999")).unwrap().offset, 999_999_999_999_999_999);
        let refused = [
            (Some(0), None),
            (Some(501), None),
            (None, Some("x")),
            (None, Some("-1")),
            (None, Some(" 20")),
            (None, Some("+20")),
            (None, Some("9999999999999999999")),
        ];
        for (limit, cursor) in refused {
            let err = Paging::parse(limit, cursor).unwrap_err();
            assert_eq!(err.code(), "invalid_query", "{limit:?} {cursor:?}");
        }
        let p = Paging { offset: 40, limit: 20 };
        assert_eq!(p.next(14, 54), None);
        assert_eq!(Paging { offset: 0, limit: 20 }.next(20, 54).as_deref(), Some("20"));
        assert_eq!(p.next(0, 54), None);
    }
}
