//! Storage of Tiến Độ: one ordered set of migrations and one code path for SQLite and PostgreSQL.
//!
//! The backend is chosen at run time from the database URL. SQL is written once, in the subset both
//! databases share, with `$1`-style parameters (SQLite accepts them too). The few statements that must
//! differ live in [`dialect`], each arm tested on its own backend.

mod error;
mod json;
mod pool;
mod query;

pub mod audit;
pub mod backup;
pub mod certificates;
pub mod change_stamps;
pub mod dialect;
pub mod directory;
pub mod document_templates;
pub mod files;
pub mod geo;
pub mod identity;
pub mod indicators;
pub mod integrity;
pub mod jobs;
pub mod migrate;
pub mod monitoring;
pub mod notifications;
pub mod orgtree;
pub mod portal;
pub mod reporting;
pub mod sci_tech;
pub mod search;
#[cfg(feature = "testing")]
pub mod testing;
pub mod visits;

pub use error::DbError;
pub use pool::{Backend, Db, DbUrl, Tx};
pub use query::{Exec, Query, Record, Rows, Value};
