//! The database's own consistency, for `tiendo check`: the engine's checks of its storage and of every
//! foreign key, and the schema against this binary's migrations. (The files are checked against the store
//! by [`crate::files::FileStore::check`], the audit chain by [`crate::audit::verify`].)
//!
//! The engines differ in what they can check: SQLite checks its pages, indexes and constraints
//! (`PRAGMA integrity_check`) and lists the rows whose foreign keys point nowhere
//! (`PRAGMA foreign_key_check`). PostgreSQL keeps its own storage; what can still go wrong there is a
//! constraint left unvalidated (`NOT VALID`), an index left invalid by a failed build, and rows that violate
//! a foreign key while triggers were disabled (a restore with `--disable-triggers`, a replica promoted in a
//! hurry), which are counted for every foreign key.

use crate::error::DbError;
use crate::pool::{Backend, Db};
use crate::query::{Exec, Query};

/// The most problems of one kind listed; the rest are counted.
const MAX_LISTED: usize = 20;

/// One thing checked: what, and what was found wrong (nothing when it holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked, for the report (`SQLite integrity_check`, `foreign keys`).
    pub check: String,
    /// What holds, when nothing is wrong (`14 migrations, as this binary expects`).
    pub summary: String,
    /// What is wrong, one line each.
    pub problems: Vec<String>,
}

impl Finding {
    fn new(check: &str, summary: impl Into<String>, problems: Vec<String>) -> Finding {
        Finding { check: check.to_owned(), summary: summary.into(), problems }
    }
}

/// Runs every check of the database itself and returns one finding per check.
pub async fn check(db: &Db) -> Result<Vec<Finding>, DbError> {
    let mut findings = vec![schema(db).await?];
    match db.backend() {
        Backend::Sqlite => {
            findings.push(sqlite_integrity(db).await?);
            findings.push(sqlite_foreign_keys(db).await?);
        }
        Backend::Postgres => {
            findings.push(postgres_unvalidated(db).await?);
            findings.push(postgres_invalid_indexes(db).await?);
            findings.push(postgres_foreign_keys(db).await?);
        }
    }
    Ok(findings)
}

async fn schema(db: &Db) -> Result<Finding, DbError> {
    let status = crate::migrate::status(db).await?;
    let mut problems = Vec::new();
    if !status.pending.is_empty() {
        problems.push(format!("migrations {:?} are not applied; run `tiendo migrate`", status.pending));
    }
    if !status.unknown.is_empty() {
        problems
            .push(format!("migrations {:?} are unknown to this binary: a newer tiendo migrated it", status.unknown));
    }
    Ok(Finding::new(
        "schema",
        format!("{} migrations, as this binary expects (latest {})", status.applied.len(), latest(&status.applied)),
        problems,
    ))
}

fn latest(applied: &[i64]) -> String {
    applied.last().map_or_else(|| "none".to_owned(), i64::to_string)
}

/// Lists at most [`MAX_LISTED`] problems, then how many more there are.
fn capped(mut problems: Vec<String>) -> Vec<String> {
    if problems.len() > MAX_LISTED {
        let more = problems.len() - MAX_LISTED;
        problems.truncate(MAX_LISTED);
        problems.push(format!("… and {more} more"));
    }
    problems
}

async fn sqlite_integrity(db: &Db) -> Result<Finding, DbError> {
    let rows: Vec<(String,)> = db.fetch_all(Query::new("SELECT * FROM pragma_integrity_check")).await?;
    let problems: Vec<String> = rows.into_iter().map(|(line,)| line).filter(|line| line != "ok").collect();
    Ok(Finding::new("SQLite integrity_check", "pages, indexes and constraints intact", capped(problems)))
}

async fn sqlite_foreign_keys(db: &Db) -> Result<Finding, DbError> {
    let rows: Vec<(String, Option<i64>, String)> =
        db.fetch_all(Query::new("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")).await?;
    let problems = rows
        .into_iter()
        .map(|(table, rowid, parent)| match rowid {
            Some(rowid) => format!("row {rowid} of {table} refers to a missing row of {parent}"),
            None => format!("a row of {table} refers to a missing row of {parent}"),
        })
        .collect();
    Ok(Finding::new("foreign keys", "every reference points to an existing row", capped(problems)))
}

async fn postgres_unvalidated(db: &Db) -> Result<Finding, DbError> {
    let rows: Vec<(String, String)> = db
        .fetch_all(Query::new(
            "SELECT conname::text, conrelid::regclass::text FROM pg_constraint \
             WHERE NOT convalidated AND connamespace = current_schema()::regnamespace ORDER BY 2, 1",
        ))
        .await?;
    let problems =
        rows.into_iter().map(|(name, table)| format!("constraint {name} of {table} is not validated")).collect();
    Ok(Finding::new("constraints", "every constraint validated", capped(problems)))
}

async fn postgres_invalid_indexes(db: &Db) -> Result<Finding, DbError> {
    let rows: Vec<(String,)> = db
        .fetch_all(Query::new(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
        ))
        .await?;
    let problems = rows.into_iter().map(|(name,)| format!("index {name} is invalid; rebuild it (REINDEX)")).collect();
    Ok(Finding::new("indexes", "every index valid", capped(problems)))
}

/// One foreign key: its name, the referring table and columns, the referred table and columns (columns
/// comma-separated, quoted as identifiers).
#[derive(sqlx::FromRow)]
struct ForeignKey {
    name: String,
    child: String,
    child_columns: String,
    parent: String,
    parent_columns: String,
}

async fn postgres_foreign_keys(db: &Db) -> Result<Finding, DbError> {
    let keys: Vec<ForeignKey> = db
        .fetch_all(Query::new(
            "SELECT c.conname::text AS name, c.conrelid::regclass::text AS child, \
               (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n) \
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS child_columns, \
               c.confrelid::regclass::text AS parent, \
               (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n) \
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS parent_columns \
             FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace \
             ORDER BY 2, 1",
        ))
        .await?;
    let mut problems = Vec::new();
    for key in &keys {
        let (count,): (i64,) = db.fetch_one(Query::new(orphans_sql(key))).await?;
        if count > 0 {
            problems.push(format!(
                "{count} row(s) of {} refer through {} to missing rows of {}",
                key.child, key.name, key.parent
            ));
        }
    }
    Ok(Finding::new(
        "foreign keys",
        format!("{} foreign keys: every reference points to an existing row", keys.len()),
        capped(problems),
    ))
}

/// Counts the rows of the referring table whose key is complete (a NULL column means no reference, as
/// PostgreSQL's default `MATCH SIMPLE` reads it) and matches no row of the referred table. The names come
/// from the catalogue, already quoted.
fn orphans_sql(key: &ForeignKey) -> String {
    let child: Vec<&str> = key.child_columns.split(',').collect();
    let parent: Vec<&str> = key.parent_columns.split(',').collect();
    let present = child.iter().map(|c| format!("c.{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND ");
    let joined = child.iter().zip(&parent).map(|(c, p)| format!("p.{p} = c.{c}")).collect::<Vec<_>>().join(" AND ");
    format!(
        "SELECT COUNT(*) FROM {} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {joined})",
        key.child, key.parent
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;

    #[tokio::test]
    async fn a_fresh_database_passes_every_check() {
        let test = TestDb::new().await;
        let findings = check(test.db()).await.unwrap();
        assert!(findings.len() >= 3, "{findings:?}");
        for finding in &findings {
            assert!(finding.problems.is_empty(), "{finding:?}");
        }
    }

    #[tokio::test]
    async fn a_row_pointing_nowhere_is_found() {
        let test = TestDb::new().await;
        let db = test.db();
        let doc = test.fixtures().legal_document("1/QĐ-UBND").create().await;
        // The reference is written while the engine does not enforce it, as a damaged copy would hold it.
        match db.backend() {
            Backend::Sqlite => {
                // The writer pool has one connection: the pragma applies to the statements after it.
                db.execute(Query::new("PRAGMA foreign_keys = OFF")).await.unwrap();
                db.execute(
                    Query::new("INSERT INTO document_attachments (document_id, attachment_id) VALUES ($1, 999999)")
                        .bind(doc),
                )
                .await
                .unwrap();
                db.execute(Query::new("PRAGMA foreign_keys = ON")).await.unwrap();
            }
            Backend::Postgres => {
                db.execute(Query::new("ALTER TABLE document_attachments DISABLE TRIGGER ALL")).await.unwrap();
                db.execute(
                    Query::new("INSERT INTO document_attachments (document_id, attachment_id) VALUES ($1, 999999)")
                        .bind(doc),
                )
                .await
                .unwrap();
                db.execute(Query::new("ALTER TABLE document_attachments ENABLE TRIGGER ALL")).await.unwrap();
            }
        }
        let findings = check(db).await.unwrap();
        let keys = findings.iter().find(|f| f.check == "foreign keys").unwrap();
        assert_eq!(keys.problems.len(), 1, "{keys:?}");
        assert!(keys.problems[0].contains("document_attachments"), "{keys:?}");
        assert!(keys.problems[0].contains("attachments"), "{keys:?}");
    }
}
