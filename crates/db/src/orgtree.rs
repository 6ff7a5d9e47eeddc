//! The organisation tree, as authorization needs it: the path of an organisation from the root, and the
//! organisations under one. Recursive queries work the same on both backends.

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The path of an organisation from the root of its tree to itself (ancestors first). Empty when the
/// organisation does not exist.
pub async fn path(ex: &impl Exec, org_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64, i64)> = ex
        .fetch_all(
            Query::new(
                "WITH RECURSIVE up (id, parent_id, depth) AS ( \
                   SELECT id, parent_id, CAST(0 AS BIGINT) FROM organizations WHERE id = $1 \
                   UNION ALL \
                   SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id \
                   WHERE up.depth < 50 \
                 ) SELECT id, depth FROM up ORDER BY depth DESC",
            )
            .bind(org_id),
        )
        .await?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// The paths of several organisations (as [`path`]) in one query, by organisation; an organisation that
/// does not exist has none.
pub async fn paths(ex: &impl Exec, org_ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<i64>>, DbError> {
    let mut out: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    if org_ids.is_empty() {
        return Ok(out);
    }
    let mut q = Query::new(
        "WITH RECURSIVE up (start_id, id, parent_id, depth) AS ( \
           SELECT id, id, parent_id, CAST(0 AS BIGINT) FROM organizations WHERE id IN (",
    );
    crate::monitoring::push_ids(&mut q, org_ids);
    q.push(
        ") UNION ALL \
           SELECT up.start_id, o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id \
           WHERE up.depth < 50 \
         ) SELECT start_id, id FROM up ORDER BY start_id, depth DESC",
    );
    let rows: Vec<(i64, i64)> = ex.fetch_all(q).await?;
    for (start, id) in rows {
        out.entry(start).or_default().push(id);
    }
    Ok(out)
}

/// The path of an optional organisation (empty for none).
pub async fn path_of(ex: &impl Exec, org_id: Option<i64>) -> Result<Vec<i64>, DbError> {
    match org_id {
        Some(id) => path(ex, id).await,
        None => Ok(Vec::new()),
    }
}

/// An organisation and every organisation under it.
pub async fn subtree(ex: &impl Exec, root: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new(
                "WITH RECURSIVE down (id, depth) AS ( \
                   SELECT id, CAST(0 AS BIGINT) FROM organizations WHERE id = $1 \
                   UNION ALL \
                   SELECT o.id, down.depth + 1 FROM organizations o JOIN down ON o.parent_id = down.id \
                   WHERE down.depth < 50 \
                 ) SELECT id FROM down",
            )
            .bind(root),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// An organisation as offered in a select list.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrgOption {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The organisations in force, in Vietnamese alphabetical order, for select lists.
pub async fn options(ex: &impl Exec) -> Result<Vec<OrgOption>, DbError> {
    ex.fetch_all(Query::new("SELECT id, name FROM organizations WHERE valid_to IS NULL ORDER BY sort_key")).await
}

/// The name of an organisation.
pub async fn name(ex: &impl Exec, org_id: i64) -> Result<Option<String>, DbError> {
    let row: Option<(String,)> =
        ex.fetch_optional(Query::new("SELECT name FROM organizations WHERE id = $1").bind(org_id)).await?;
    Ok(row.map(|(n,)| n))
}

/// The names of organisations: (id, name), for those that exist.
pub async fn names(ex: &impl Exec, ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT id, name FROM organizations WHERE id IN (");
    crate::monitoring::push_ids(&mut q, ids);
    q.push(")");
    ex.fetch_all(q).await
}
