//! Loading the built-in unit lists (`crates/db/data/admin_units.tsv`, embedded in the binary) in the
//! migration that creates a database.

use futures_util::future::BoxFuture;
use tiendo_core::geo::{Gazetteer, UnitId, dataset};
use tiendo_core::text::{fold, sort_key};

use crate::dialect;
use crate::error::DbError;
use crate::pool::Tx;
use crate::query::{Exec, Query, Value};

/// The data file, as committed.
pub const DATA: &str = include_str!("../../data/admin_units.tsv");

/// Identifies the data loaded: the SHA-256 of [`DATA`]. A test checks it; a changed file must be loaded
/// by a new migration.
pub const FINGERPRINT: &str = "admin_units.tsv sha256:2a08964e11a45bd921e4f2371dcaa121cc2e804d9e6f6748cdb778a3f51d893e";

/// The migration step: loads [`DATA`] inside the migration transaction.
pub fn run(tx: &Tx) -> BoxFuture<'_, Result<(), DbError>> {
    Box::pin(load(tx, DATA))
}

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("built-in administrative units: {e}"))
}

/// Inserts the units and successions of a data file, with explicit ids so that parents and successions
/// need no lookups.
pub async fn load(tx: &Tx, text: &str) -> Result<(), DbError> {
    let data = dataset::parse(text).map_err(corrupt)?;
    let g = Gazetteer::new(data.units, data.successions).map_err(corrupt)?;
    let (base,): (i64,) = tx.fetch_one(Query::new("SELECT COALESCE(MAX(id), 0) FROM admin_units")).await?;
    let row_id = |id: UnitId| base + 1 + id.index() as i64;
    let batch = dialect::rows_per_insert(tx.backend());

    let ids: Vec<UnitId> = g.ids().collect();
    for chunk in ids.chunks(batch) {
        let mut q = Query::new(
            "INSERT INTO admin_units (id, code, level, kind, name, full_name, name_folded, sort_key, parent_id, \
             parent_code, province_code, valid_from, valid_to, legal_basis) VALUES ",
        );
        for (i, id) in chunk.iter().enumerate() {
            let unit = g.unit(*id);
            let full_name = unit.full_name();
            let values: [Value; 14] = [
                row_id(*id).into(),
                unit.code.as_str().into(),
                unit.level().as_str().into(),
                unit.kind.as_str().into(),
                unit.name.as_str().into(),
                full_name.as_str().into(),
                fold(&full_name).into(),
                sort_key(&unit.name).into(),
                g.parent(*id).map(row_id).into(),
                unit.parent_code.as_ref().map(|c| c.as_str()).into(),
                g.unit(g.province(*id)).code.as_str().into(),
                unit.valid_from.into(),
                unit.valid_to.into(),
                unit.legal_basis.as_deref().into(),
            ];
            q.push(if i == 0 { "(" } else { ", (" });
            for (k, value) in values.into_iter().enumerate() {
                if k > 0 {
                    q.push(", ");
                }
                q.push_bind(value);
            }
            q.push(")");
        }
        tx.execute(q).await?;
    }

    let edges: Vec<(UnitId, UnitId, &tiendo_core::geo::Succession)> =
        g.ids().flat_map(|from| g.successions_from(from).map(move |(to, s)| (from, to, s))).collect();
    for chunk in edges.chunks(batch) {
        let mut q = Query::new(
            "INSERT INTO admin_unit_successions (from_id, to_id, kind, effective, is_default, share, legal_basis) \
             VALUES ",
        );
        for (i, (from, to, s)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            q.push_bind(row_id(*from)).push(", ");
            q.push_bind(row_id(*to)).push(", ");
            q.push_bind(s.kind.as_str()).push(", ");
            q.push_bind(s.effective).push(", ");
            q.push_bind(s.is_default).push(", ");
            q.push_bind(s.share).push(", ");
            q.push_bind(s.legal_basis.as_deref()).push(")");
        }
        tx.execute(q).await?;
    }
    if let Some(sync) = dialect::sync_identity(tx.backend(), "admin_units") {
        tx.fetch_rows(sync).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    #[test]
    fn the_fingerprint_is_the_checksum_of_the_embedded_file() {
        let digest: String = Sha256::digest(DATA.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            FINGERPRINT,
            format!("admin_units.tsv sha256:{digest}"),
            "the data file changed: load it with a new migration and record its checksum there"
        );
    }
}
