//! The outcome of a use case that did not happen: one error type for every `app` function, with no HTTP in
//! it. The web edge turns each variant into a status code and a rendering in one `From` impl; the CLI and
//! the jobs print or log it.

/// A problem with one input field: a stable code the interface translates (`error-<code>` in the Fluent
/// files), the field's name as the caller sent it, and the message's arguments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field's name as sent (`name`, `items[2].deadline`).
    pub field: String,
    /// A stable snake_case code (`required`, `too_long`, `invalid_format`, …).
    pub code: String,
    /// Arguments for the message (`max` → `200`).
    #[serde(skip)]
    pub args: Vec<(String, String)>,
}

impl FieldError {
    /// A field error with a code and no arguments.
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), code: code.into(), args: Vec::new() }
    }

    /// Adds a message argument.
    #[must_use]
    pub fn arg(mut self, name: &str, value: impl ToString) -> FieldError {
        self.args.push((name.to_owned(), value.to_string()));
        self
    }
}

impl From<tiendo_core::directory::FieldIssue> for FieldError {
    fn from(issue: tiendo_core::directory::FieldIssue) -> FieldError {
        issue.args.into_iter().fold(FieldError::new(issue.field, issue.code), |e, (name, value)| e.arg(name, value))
    }
}

impl From<tiendo_core::visits::Issue> for FieldError {
    fn from(issue: tiendo_core::visits::Issue) -> FieldError {
        issue.args.into_iter().fold(FieldError::new(issue.field, issue.code), |e, (name, value)| e.arg(name, value))
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such record, or the actor may not know that it exists.
    #[error("not found")]
    NotFound,
    /// A named record was not found (`code` `unknown_admin_unit`, `value` the identifier looked up).
    #[error("{code} not found: {value}")]
    NotFoundNamed {
        /// Stable error code.
        code: &'static str,
        /// The identifier that was looked up.
        value: String,
    },
    /// The actor must sign in first.
    #[error("authentication required")]
    Unauthorized,
    /// The actor may see the record but not do this to it; `code` says why when there is more to say than
    /// `forbidden` (`scope_outside`, …).
    #[error("forbidden: {code}")]
    Forbidden {
        /// Stable error code.
        code: &'static str,
    },
    /// The input is well-formed but breaks a rule; each field at fault is named. Nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The request conflicts with the state of the records (a duplicate, a transition not allowed from the
    /// current state, someone else decided first). `args` are the message's arguments.
    #[error("conflict: {code}")]
    Conflict {
        /// Stable error code.
        code: &'static str,
        /// The message arguments.
        args: Vec<(&'static str, String)>,
    },
    /// The record changed since the caller read it (optimistic locking); nothing was written.
    #[error("stale version")]
    Stale,
    /// Too many attempts; retry after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts {
        /// Seconds until the caller may retry.
        retry_after_secs: u64,
    },
    /// One part of the service is unavailable for a while and the rest works: `code` says which
    /// (`search_rebuilding` while the search index is rebuilt, `search_unavailable` when it cannot be).
    #[error("unavailable: {code}")]
    Unavailable {
        /// Stable error code.
        code: &'static str,
    },
    /// An official document or an image could not be produced from the record.
    #[error("export: {0}")]
    Export(#[from] tiendo_export::ExportError),
    /// The database (or the file store) is unavailable or failed.
    #[error("storage: {0}")]
    Storage(#[from] tiendo_db::DbError),
    /// Anything unexpected: logged in full, shown as a generic message.
    #[error("internal: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// A plain `forbidden`.
    pub const FORBIDDEN: Error = Error::Forbidden { code: "forbidden" };

    /// Wraps any error as an internal one.
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Internal(Box::new(err))
    }

    /// A conflict with no message arguments.
    pub fn conflict(code: &'static str) -> Error {
        Error::Conflict { code, args: Vec::new() }
    }

    /// One invalid field.
    pub fn invalid(field: impl Into<String>, code: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, code)])
    }

    /// The field errors, when the input was invalid.
    pub fn field_errors(&self) -> Option<&[FieldError]> {
        match self {
            Error::Invalid(errors) => Some(errors),
            _ => None,
        }
    }
}

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Err(Invalid)` when any field error was found, so a use case can collect every problem and then stop.
pub fn check(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() { Ok(()) } else { Err(Error::Invalid(errors)) }
}
