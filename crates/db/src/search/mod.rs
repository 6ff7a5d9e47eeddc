//! What the search index reads from the database: the audit trail it follows (every write records an event
//! in the same transaction as the change, so the trail is the outbox of the index), the records it
//! indexes, in batches, and the places their administrative units stand for on the old and the new map.
//! The index itself (`tiendo-search`) never reads the database; `tiendo_app::search` builds its documents
//! from these rows.

pub mod places;
pub mod records;
pub mod trail;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The tables whose rows become documents, for paging through all of them (a rebuild).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// `legal_documents`.
    LegalDocuments,
    /// `plans`.
    Plans,
    /// `tasks` (a visit's conclusions are tasks of its plan).
    Tasks,
    /// `assignments` (a visit's directives are assignments of its conclusions).
    Assignments,
    /// `progress_updates`.
    ProgressUpdates,
    /// `reports`.
    Reports,
    /// `visits`.
    Visits,
    /// `articles`.
    Articles,
    /// `organizations`.
    Organizations,
    /// `people`.
    People,
    /// `st_proposals` (S&T task proposals and dossiers).
    Proposals,
}

impl Table {
    /// Every table, in the order a rebuild reads them.
    pub const ALL: [Table; 11] = [
        Table::Organizations,
        Table::People,
        Table::LegalDocuments,
        Table::Plans,
        Table::Tasks,
        Table::Assignments,
        Table::ProgressUpdates,
        Table::Reports,
        Table::Visits,
        Table::Articles,
        Table::Proposals,
    ];

    /// The table's name.
    pub fn name(self) -> &'static str {
        match self {
            Table::LegalDocuments => "legal_documents",
            Table::Plans => "plans",
            Table::Tasks => "tasks",
            Table::Assignments => "assignments",
            Table::ProgressUpdates => "progress_updates",
            Table::Reports => "reports",
            Table::Visits => "visits",
            Table::Articles => "articles",
            Table::Organizations => "organizations",
            Table::People => "people",
            Table::Proposals => "st_proposals",
        }
    }
}

/// The ids of a table after `after`, in order, at most `limit` (keyset paging through a whole table).
pub async fn ids_after(ex: &impl Exec, table: Table, after: i64, limit: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new(format!("SELECT id FROM {} WHERE id > $1 ORDER BY id LIMIT $2", table.name()))
                .bind(after)
                .bind(limit),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The number of rows of a table (for a rebuild's progress).
pub async fn count(ex: &impl Exec, table: Table) -> Result<i64, DbError> {
    let (n,): (i64,) = ex.fetch_one(Query::new(format!("SELECT COUNT(*) FROM {}", table.name()))).await?;
    Ok(n)
}

/// Appends `$n, $n+1, …` bound to `ids` (or `NULL` for none) to an `IN (…)` list.
pub(crate) fn push_ids(q: &mut Query, ids: &[i64]) {
    if ids.is_empty() {
        q.push("NULL");
        return;
    }
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
}

/// `SELECT … WHERE <column> IN (ids) …`: the query text with the list bound.
pub(crate) fn with_ids(head: &str, ids: &[i64], tail: &str) -> Query {
    let mut q = Query::new(head.to_owned());
    push_ids(&mut q, ids);
    q.push(tail);
    q
}
