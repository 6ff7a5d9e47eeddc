//! Statements with bound values, run the same way on a [`Db`] or in a [`Tx`].

use std::borrow::Cow;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use futures_util::future::BoxFuture;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow};

use crate::error::DbError;
use crate::pool::{Backend, Db, Pool, Tx, TxInner};

/// A value bound to a statement parameter. Each variant carries its SQL type even when it is NULL,
/// because PostgreSQL needs the type of every parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// BOOLEAN.
    Bool(Option<bool>),
    /// BIGINT.
    I64(Option<i64>),
    /// DOUBLE PRECISION.
    F64(Option<f64>),
    /// TEXT.
    Text(Option<String>),
    /// BLOB / BYTEA.
    Bytes(Option<Vec<u8>>),
    /// DATE (TEXT `YYYY-MM-DD` on SQLite).
    Date(Option<NaiveDate>),
    /// TIMESTAMPTZ (fixed-width UTC TEXT on SQLite, so that text comparison is time comparison).
    Timestamp(Option<DateTime<Utc>>),
}

/// How instants are written in SQLite: always UTC, always six fraction digits, so that comparing the
/// text compares the times.
pub(crate) fn sqlite_timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An instant rounded down to whole microseconds, the precision both backends store.
pub(crate) fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{DurationRound, TimeDelta};
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

macro_rules! value_from {
    ($variant:ident, $ty:ty) => {
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::$variant(Some(v.into()))
            }
        }
        impl From<Option<$ty>> for Value {
            fn from(v: Option<$ty>) -> Self {
                Value::$variant(v.map(Into::into))
            }
        }
    };
}

value_from!(Bool, bool);
value_from!(I64, i64);
value_from!(I64, i32);
value_from!(I64, u32);
value_from!(F64, f64);
value_from!(Text, String);
value_from!(Text, &str);
value_from!(Bytes, Vec<u8>);
value_from!(Date, NaiveDate);
value_from!(Timestamp, DateTime<Utc>);

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}

impl From<Option<&String>> for Value {
    fn from(v: Option<&String>) -> Self {
        Value::Text(v.cloned())
    }
}

/// A SQL statement and its parameters.
///
/// Parameters are written `$1`, `$2`, … on both backends. [`Query::push_bind`] appends the next
/// placeholder, for statements assembled from optional filters.
#[derive(Debug, Clone)]
pub struct Query {
    sql: Cow<'static, str>,
    values: Vec<Value>,
}

impl Query {
    /// A statement with no parameters bound yet.
    pub fn new(sql: impl Into<Cow<'static, str>>) -> Query {
        Query { sql: sql.into(), values: Vec::new() }
    }

    /// Binds the next parameter (`$1` first).
    #[must_use]
    pub fn bind(mut self, value: impl Into<Value>) -> Query {
        self.values.push(storable(value.into()));
        self
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Query {
        self.sql.to_mut().push_str(sql);
        self
    }

    /// Appends a placeholder for `value` (`$n`, numbered after those already bound) and binds it.
    pub fn push_bind(&mut self, value: impl Into<Value>) -> &mut Query {
        self.values.push(storable(value.into()));
        let placeholder = format!("${}", self.values.len());
        self.sql.to_mut().push_str(&placeholder);
        self
    }

    /// The statement text.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The bound values, in parameter order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }
}

/// A value both backends store alike: text without NUL characters, which PostgreSQL refuses (an error for
/// the whole statement, so a search filter typed with one was a 500) and SQLite keeps; dates and instants
/// within years 1 to 9999, else NULL (PostgreSQL stores none before 4713 BC, and SQLite's text of a year
/// of more than four digits or a negative one does not compare as a date), so a filter by such a year
/// matches nothing on both. Text typed by users is normalised, and dates typed by them are checked, before
/// they get here; this is for what is not, such as the words and years of a filter.
fn storable(value: Value) -> Value {
    let in_range = |year: i32| (1..=9999).contains(&year);
    match value {
        Value::Text(Some(text)) if text.contains('\0') => Value::Text(Some(text.replace('\0', ""))),
        Value::Date(Some(day)) if !in_range(day.year()) => Value::Date(None),
        Value::Timestamp(Some(at)) if !in_range(at.year()) => Value::Timestamp(None),
        other => other,
    }
}

macro_rules! bind_values {
    ($query:expr, $values:expr, sqlite) => {{
        let mut q = $query;
        for value in $values {
            q = match value {
                Value::Bool(v) => q.bind(v),
                Value::I64(v) => q.bind(v),
                Value::F64(v) => q.bind(v),
                Value::Text(v) => q.bind(v),
                Value::Bytes(v) => q.bind(v),
                Value::Date(v) => q.bind(v),
                Value::Timestamp(v) => q.bind(v.as_ref().map(sqlite_timestamp)),
            };
        }
        q
    }};
    ($query:expr, $values:expr, postgres) => {{
        let mut q = $query;
        for value in $values {
            q = match value {
                Value::Bool(v) => q.bind(v),
                Value::I64(v) => q.bind(v),
                Value::F64(v) => q.bind(v),
                Value::Text(v) => q.bind(v),
                Value::Bytes(v) => q.bind(v),
                Value::Date(v) => q.bind(v),
                Value::Timestamp(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Rows read from either backend, decoded later into a [`Record`].
#[derive(Debug)]
pub enum Rows {
    /// Rows from SQLite.
    Sqlite(Vec<SqliteRow>),
    /// Rows from PostgreSQL.
    Postgres(Vec<PgRow>),
}

/// A type that can be read from a row of either backend: derive `sqlx::FromRow` with field types both
/// backends decode (`i64`, `f64`, `bool`, `String`, `Vec<u8>`, `NaiveDate`, `DateTime<Utc>`, options).
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl Rows {
    /// Decodes every row into `T`.
    pub fn decode<T: Record>(self) -> Result<Vec<T>, DbError> {
        match self {
            Rows::Sqlite(rows) => rows.iter().map(|r| T::from_row(r).map_err(DbError::from)).collect(),
            Rows::Postgres(rows) => rows.iter().map(|r| T::from_row(r).map_err(DbError::from)).collect(),
        }
    }
}

/// Something statements run on: the pool ([`Db`]) or a transaction ([`Tx`]). Repository functions take
/// `&impl Exec`, so the same function serves a plain read and a step inside a transaction.
pub trait Exec: Sync {
    /// The backend the statements run on.
    fn backend(&self) -> Backend;

    /// Runs a statement and returns the number of rows it changed.
    fn execute(&self, query: Query) -> BoxFuture<'_, Result<u64, DbError>>;

    /// Runs a statement and returns its rows.
    fn fetch_rows(&self, query: Query) -> BoxFuture<'_, Result<Rows, DbError>>;

    /// Runs a query and decodes every row.
    fn fetch_all<T: Record>(&self, query: Query) -> impl Future<Output = Result<Vec<T>, DbError>> + Send
    where
        Self: Sized,
    {
        async move { self.fetch_rows(query).await?.decode() }
    }

    /// Runs a query and decodes the first row, if any.
    fn fetch_optional<T: Record>(&self, query: Query) -> impl Future<Output = Result<Option<T>, DbError>> + Send
    where
        Self: Sized,
    {
        async move { Ok(self.fetch_all(query).await?.into_iter().next()) }
    }

    /// Runs a query that must return a row; no row is [`DbError::NotFound`].
    fn fetch_one<T: Record>(&self, query: Query) -> impl Future<Output = Result<T, DbError>> + Send
    where
        Self: Sized,
    {
        async move { self.fetch_optional(query).await?.ok_or(DbError::NotFound) }
    }
}

fn sql_of(query: &Query) -> AssertSqlSafe<String> {
    // Every value is bound as a parameter; the text itself comes from our own code.
    AssertSqlSafe(query.sql.to_string())
}

impl Exec for Db {
    fn backend(&self) -> Backend {
        Db::backend(self)
    }

    fn execute(&self, query: Query) -> BoxFuture<'_, Result<u64, DbError>> {
        Box::pin(async move {
            self.statements.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let sql = sql_of(&query);
            Ok(match &*self.pool {
                Pool::Sqlite { .. } => {
                    let pool = self.pool.sqlite_for(query.sql()).expect("a SQLite pool");
                    bind_values!(sqlx::query(sql), query.values, sqlite).execute(pool).await?.rows_affected()
                }
                Pool::Postgres(pool) => {
                    bind_values!(sqlx::query(sql), query.values, postgres).execute(pool).await?.rows_affected()
                }
            })
        })
    }

    fn fetch_rows(&self, query: Query) -> BoxFuture<'_, Result<Rows, DbError>> {
        Box::pin(async move {
            self.statements.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let sql = sql_of(&query);
            Ok(match &*self.pool {
                Pool::Sqlite { .. } => {
                    let pool = self.pool.sqlite_for(query.sql()).expect("a SQLite pool");
                    Rows::Sqlite(bind_values!(sqlx::query(sql), query.values, sqlite).fetch_all(pool).await?)
                }
                Pool::Postgres(pool) => {
                    Rows::Postgres(bind_values!(sqlx::query(sql), query.values, postgres).fetch_all(pool).await?)
                }
            })
        })
    }
}

fn finished() -> DbError {
    DbError::Migration("the transaction was already finished".to_owned())
}

impl Exec for Tx {
    fn backend(&self) -> Backend {
        Tx::backend(self)
    }

    fn execute(&self, query: Query) -> BoxFuture<'_, Result<u64, DbError>> {
        Box::pin(async move {
            let sql = sql_of(&query);
            let mut guard = self.inner.lock().await;
            Ok(match guard.as_mut().ok_or_else(finished)? {
                TxInner::Sqlite(tx) => {
                    bind_values!(sqlx::query(sql), query.values, sqlite).execute(&mut **tx).await?.rows_affected()
                }
                TxInner::Postgres(tx) => {
                    bind_values!(sqlx::query(sql), query.values, postgres).execute(&mut **tx).await?.rows_affected()
                }
            })
        })
    }

    fn fetch_rows(&self, query: Query) -> BoxFuture<'_, Result<Rows, DbError>> {
        Box::pin(async move {
            let sql = sql_of(&query);
            let mut guard = self.inner.lock().await;
            Ok(match guard.as_mut().ok_or_else(finished)? {
                TxInner::Sqlite(tx) => {
                    Rows::Sqlite(bind_values!(sqlx::query(sql), query.values, sqlite).fetch_all(&mut **tx).await?)
                }
                TxInner::Postgres(tx) => {
                    Rows::Postgres(bind_values!(sqlx::query(sql), query.values, postgres).fetch_all(&mut **tx).await?)
                }
            })
        })
    }
}

impl Tx {
    /// Runs a script of several statements separated by semicolons (migrations), without parameters.
    pub(crate) async fn execute_script(&self, script: &str) -> Result<(), DbError> {
        let mut guard = self.inner.lock().await;
        match guard.as_mut().ok_or_else(finished)? {
            TxInner::Sqlite(tx) => {
                sqlx::raw_sql(AssertSqlSafe(script.to_owned())).execute(&mut **tx).await?;
            }
            TxInner::Postgres(tx) => {
                sqlx::raw_sql(AssertSqlSafe(script.to_owned())).execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_bind_numbers_placeholders_after_bound_values() {
        let mut q = Query::new("SELECT * FROM t WHERE a = $1").bind(1_i64);
        q.push(" AND b = ").push_bind("x").push(" AND c = ").push_bind(None::<i64>);
        assert_eq!(q.sql(), "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3");
        assert_eq!(q.values().len(), 3);
        assert_eq!(q.values()[2], Value::I64(None));
    }

    #[test]
    fn sqlite_timestamps_have_fixed_width() {
        use chrono::TimeZone;
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(sqlite_timestamp(&t), "2026-01-02T03:04:05.000000Z");
    }
}
