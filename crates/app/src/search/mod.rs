//! Search across every record (issue 15): the tantivy index of `tiendo-search` kept up to date from the
//! audit trail, queried as the session may read.
//!
//! - [`search`] is the one read: the reader's access scope is a clause of the query.
//! - [`follow`] runs beside the server: it follows the audit trail (the index's outbox, written in the
//!   same transaction as every change) and rebuilds the index when it is missing or damaged.
//! - [`rebuild`] rebuilds it from the database (`tiendo search reindex`).
//! - [`Engine`] is the index of this process and its state, reported on `/readyz`.
//!
//! `docs/search.md` describes what is indexed, who sees what, and the decisions behind them.

mod engine;
mod follow;
mod query;
mod readers;
mod rebuild;
mod records;

pub use engine::{Engine, Status};
pub use follow::{catch_up, follow};
pub use query::{FacetValue, Facets, Hit, MAX_PER_PAGE, MAX_QUERY_CHARS, Results, SearchQuery, search};
pub use rebuild::{Rebuilt, rebuild};
pub use tiendo_search::DocKind;
