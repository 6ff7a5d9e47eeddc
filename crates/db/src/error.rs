//! Errors of the storage layer.

/// What can go wrong when talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database URL has a scheme other than `sqlite:` or `postgres://`.
    #[error("unsupported database URL scheme in {0:?}: use sqlite://<file> or postgres://<user>@<host>/<database>")]
    UnsupportedUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A statement violated a unique constraint; `constraint` names the index when the backend tells.
    #[error("a record with the same key already exists ({constraint})")]
    UniqueViolation {
        /// The name of the violated constraint or index, or the columns for SQLite.
        constraint: String,
    },
    /// A statement violated a foreign-key constraint.
    #[error("the record refers to something that does not exist, or is still referred to")]
    ForeignKeyViolation,
    /// A row that had to exist did not.
    #[error("record not found")]
    NotFound,
    /// A migration could not be applied, or the schema is not what this binary expects.
    #[error("{0}")]
    Migration(String),
    /// A stored value could not be turned into a domain value.
    #[error("invalid stored data: {0}")]
    Corrupt(String),
    /// The database stopped answering: no connection within the acquire timeout, a connection that broke,
    /// a server shutting down. Requests fail fast with 503 and succeed again once it is back.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// Any other database error.
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db_err) = &err {
            match db_err.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    let constraint = db_err
                        .constraint()
                        .map(str::to_owned)
                        // SQLite names the columns in the message: "UNIQUE constraint failed: t.a, t.b".
                        .unwrap_or_else(|| db_err.message().rsplit(": ").next().unwrap_or_default().to_owned());
                    return DbError::UniqueViolation { constraint };
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => return DbError::ForeignKeyViolation,
                _ => {}
            }
            // PostgreSQL's connection exceptions (class 08) and "the server is shutting down or starting"
            // (57P01–57P03).
            if db_err.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")) {
                return DbError::Unavailable(err);
            }
        }
        if matches!(
            err,
            sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed
        ) {
            return DbError::Unavailable(err);
        }
        if matches!(err, sqlx::Error::RowNotFound) {
            return DbError::NotFound;
        }
        DbError::Sqlx(err)
    }
}

impl DbError {
    /// Whether the database is unreachable (as opposed to a statement that failed).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Unavailable(_) | DbError::Connect(_))
    }

    /// Whether this is a unique violation of the named constraint (or, on SQLite, of the named columns).
    pub fn is_unique_violation_of(&self, name_or_columns: &str) -> bool {
        matches!(self, DbError::UniqueViolation { constraint } if constraint.contains(name_or_columns))
    }
}
