//! Vietnamese full-text search for Tiến Độ: one tantivy index over every kind of record, with our own
//! analyzer (`tiendo_core::text::analyze`), so that SQLite and PostgreSQL deployments search alike.
//!
//! - The application builds a [`SearchDoc`] per record (title, symbol, body, places, organisations,
//!   units, year, status, [`Visibility`]) and gives it to a [`Writer`] (upsert, delete, commit).
//! - A search is a [`SearchRequest`] run as an [`Access`] (built from `tiendo_core::authz::AccessScope`):
//!   the access is a mandatory clause of the query, so hits, totals, facets and suggestions only count
//!   what the reader may open.
//! - The index is a derived cache in a directory: [`SearchIndex::open_or_create`] says when it was
//!   missing, outdated or damaged and has been recreated empty, to be rebuilt.
//!
//! `docs/search.md` explains the analyzer, the abbreviation list, ranking, access and the lifecycle.

mod access;
mod doc;
mod error;
mod facets;
mod filter;
mod index;
mod query;
mod schema;
mod search;
mod snippet;
mod tokenizer;

pub use access::Access;
pub use doc::{DocKind, Reader, SearchDoc, Visibility};
pub use error::{QueryProblem, SearchError};
pub use facets::{Facets, MAX_FACET_VALUES};
pub use index::{DEFAULT_WRITER_MEMORY, Opened, SearchIndex, VERSION_FILE, Writer};
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
pub use schema::SCHEMA_VERSION;
pub use search::{Filters, Hit, MAX_PER_PAGE, MAX_RESULT_WINDOW, SearchRequest, SearchResults};
pub use snippet::Snippet;
pub use tokenizer::{Form, VietnameseTokenizer};
