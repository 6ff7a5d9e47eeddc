//! The status facts of every assignment, kept between requests.
//!
//! The dashboards and the lists of department staff (who see every assignment of the province) summarise,
//! filter by derived status and order tens of thousands of assignments on every request. Reading those
//! rows is most of their cost, and they change far less often than they are read. So each instance keeps
//! them, with the stamp the database moves whenever one of their facts changes
//! ([`tiendo_db::change_stamps::ASSIGNMENT_STATUS`], moved by triggers on every write path and on every
//! instance), and reads them again only when the stamp has moved. A request reads the stamp first, then
//! (on a miss) the rows, so the rows kept are at least as new as their stamp: a change committed before a
//! request starts is always in what it sees, on any instance.
//!
//! One request reads at a time; the others wait for its rows rather than read the same rows again. The
//! primary and the read replica each have their own copy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, StatusRow};
use tiendo_db::{Db, change_stamps};
use tokio::sync::Mutex;

use crate::{App, Result};

/// Rows read with the stamp they are at least as new as.
struct Kept {
    version: i64,
    rows: Arc<Vec<StatusRow>>,
}

/// The kept rows of the primary and of the replica.
#[derive(Default)]
pub(crate) struct KeptStatus {
    primary: Mutex<Option<Kept>>,
    replica: Mutex<Option<Kept>>,
    /// How many times every assignment's rows were read from the database.
    reads: AtomicU64,
}

impl KeptStatus {
    /// The rows of one copy: kept, or read again when the stamp has moved.
    async fn rows(&self, slot: &Mutex<Option<Kept>>, db: &Db) -> Result<Arc<Vec<StatusRow>>> {
        // The stamp first (see the module's note), outside the lock: a request that waited for another's
        // read may use rows newer than the stamp it read.
        let version = change_stamps::version(db, change_stamps::ASSIGNMENT_STATUS).await?;
        let mut kept = slot.lock().await;
        if let Some(k) = kept.as_ref().filter(|k| k.version >= version) {
            return Ok(Arc::clone(&k.rows));
        }
        let rows = Arc::new(assignments::status_rows(db, &AssignmentFilter::default(), &Visibility::All).await?);
        self.reads.fetch_add(1, Ordering::Relaxed);
        *kept = Some(Kept { version, rows: Arc::clone(&rows) });
        Ok(rows)
    }
}

/// How many times this process read every assignment's status rows from the database (the kept rows'
/// misses).
pub fn reads(app: &App) -> u64 {
    app.kept_status().reads.load(Ordering::Relaxed)
}

/// The status rows visible with `vis` on `db` (the primary, or the replica: see [`App::reads`]), oldest
/// first: every assignment's, kept between requests, when `vis` is everything; read from the database
/// otherwise (an organisation's are few).
pub async fn status_rows(app: &App, db: &Db, vis: &Visibility) -> Result<Arc<Vec<StatusRow>>> {
    if !matches!(vis, Visibility::All) {
        return Ok(Arc::new(assignments::status_rows(db, &AssignmentFilter::default(), vis).await?));
    }
    let kept = app.kept_status();
    let slot = if std::ptr::eq(db, app.db()) { &kept.primary } else { &kept.replica };
    kept.rows(slot, db).await
}
