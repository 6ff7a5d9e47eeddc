//! Paging of API lists: `?limit=` (default 50, at most 500) and `?cursor=` (the `next` of the previous
//! page). The cursor is opaque to clients; today it is the offset of the next item.

use crate::error::AppError;

/// The default page size.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page size.
pub const MAX_LIMIT: i64 = 500;

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
        let offset = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => c
                .parse::<i64>()
                .ok()
                .filter(|o| *o >= 0)
                .ok_or_else(|| invalid("cursor: not a cursor of this list".into()))?,
        };
        Ok(Paging { offset, limit })
    }

    /// The cursor of the next page, after `returned` items out of `total`.
    pub fn next(&self, returned: usize, total: i64) -> Option<String> {
        let next = self.offset + returned as i64;
        (returned > 0 && next < total).then(|| next.to_string())
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
        for (limit, cursor) in [(Some(0), None), (Some(501), None), (None, Some("x")), (None, Some("-1"))] {
            let err = Paging::parse(limit, cursor).unwrap_err();
            assert_eq!(err.code(), "invalid_query", "{limit:?} {cursor:?}");
        }
        let p = Paging { offset: 40, limit: 20 };
        assert_eq!(p.next(14, 54), None);
        assert_eq!(Paging { offset: 0, limit: 20 }.next(20, 54).as_deref(), Some("20"));
        assert_eq!(p.next(0, 54), None);
    }
}
