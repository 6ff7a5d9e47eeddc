//! What can go wrong: a query the reader must fix, or an index that must be rebuilt.

use std::path::PathBuf;

/// Why a query cannot be run as typed. The web layer shows it as a message next to the search box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    /// Nothing to search for: empty, only spaces or only punctuation, and no filter either.
    #[error("the query has no word to search for")]
    Empty,
    /// Longer than [`crate::MAX_QUERY_CHARS`].
    #[error("the query is longer than {max_chars} characters")]
    TooLong {
        /// The limit.
        max_chars: usize,
    },
}

/// An error of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot be run; nothing is wrong with the index.
    #[error(transparent)]
    Query(#[from] QueryProblem),
    /// There is no index in the directory (a new installation, or someone deleted it): rebuild it.
    #[error("no search index in {0}")]
    Missing(PathBuf),
    /// The index was written by another version of the schema or of the analyzer: rebuild it.
    #[error("the search index in {path} has version {found:?}, this program writes version {expected}")]
    Outdated {
        /// Its directory.
        path: PathBuf,
        /// The version found, if any.
        found: Option<String>,
        /// The version this program writes.
        expected: u32,
    },
    /// The index cannot be read (a damaged or missing file): rebuild it.
    #[error("the search index is damaged: {0}")]
    Corrupt(String),
    /// Another process holds the index's writer lock.
    #[error("another process is writing the search index")]
    Locked,
    /// A document could not be indexed or another operation failed.
    #[error("search index: {0}")]
    Index(String),
}

impl SearchError {
    /// Whether the index must be rebuilt before search works again (the server answers 503 meanwhile).
    pub fn needs_rebuild(&self) -> bool {
        matches!(self, SearchError::Missing(_) | SearchError::Outdated { .. } | SearchError::Corrupt(_))
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> SearchError {
        use tantivy::TantivyError as T;
        match e {
            T::LockFailure(..) => SearchError::Locked,
            T::DataCorruption(c) => SearchError::Corrupt(format!("{c:?}")),
            T::OpenReadError(e) => SearchError::Corrupt(e.to_string()),
            T::OpenDirectoryError(e) => SearchError::Corrupt(e.to_string()),
            T::IncompatibleIndex(e) => SearchError::Corrupt(format!("{e:?}")),
            T::DeserializeError(e) => SearchError::Corrupt(format!("{e:?}")),
            T::SchemaError(e) | T::FieldNotFound(e) => SearchError::Corrupt(e),
            other => SearchError::Index(other.to_string()),
        }
    }
}

/// An error while reading the index for a search: a file that cannot be read means a damaged index.
pub(crate) fn reading(e: tantivy::TantivyError) -> SearchError {
    match e {
        tantivy::TantivyError::IoError(io) => SearchError::Corrupt(io.to_string()),
        other => SearchError::from(other),
    }
}
