//! The address resolver of the running application: built from the database on first use, shared by
//! every request, rebuilt after a change of the map. Another instance of the application sharing the
//! database may record a change; a cheap check of the unit tables at most once a minute notices it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tiendo_core::geo::address::AddressIndex;
use tiendo_db::{Db, DbError};
use tokio::sync::{Mutex, RwLock};

/// How long an index is used before the unit tables are checked for changes made elsewhere.
const RECHECK: Duration = Duration::from_secs(60);

/// What the index was built from (see [`tiendo_db::geo::map_stamp`]).
type Stamp = (i64, i64, i64);

struct Loaded {
    index: Arc<AddressIndex>,
    stamp: Stamp,
    checked: Instant,
}

/// The shared, lazily built address index.
#[derive(Default)]
pub struct GeoIndex {
    current: RwLock<Option<Loaded>>,
    building: Mutex<()>,
}

impl std::fmt::Debug for GeoIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIndex").finish_non_exhaustive()
    }
}

impl GeoIndex {
    /// An index not built yet.
    pub fn new() -> GeoIndex {
        GeoIndex::default()
    }

    /// The index, built on first use (a few hundred milliseconds) and rebuilt when the map changed.
    pub async fn get(&self, db: &Db) -> Result<Arc<AddressIndex>, DbError> {
        if let Some(loaded) = self.current.read().await.as_ref()
            && loaded.checked.elapsed() < RECHECK
        {
            return Ok(loaded.index.clone());
        }
        // One builder at a time; the others wait and then find the fresh index.
        let _building = self.building.lock().await;
        if let Some(loaded) = self.current.read().await.as_ref()
            && loaded.checked.elapsed() < RECHECK
        {
            return Ok(loaded.index.clone());
        }
        let now_stamp = tiendo_db::geo::map_stamp(db).await?;
        {
            let mut current = self.current.write().await;
            if let Some(loaded) = current.as_mut()
                && loaded.stamp == now_stamp
            {
                loaded.checked = Instant::now();
                return Ok(loaded.index.clone());
            }
        }
        let index = Arc::new(tiendo_db::geo::load_address_index(db).await?);
        *self.current.write().await = Some(Loaded { index: index.clone(), stamp: now_stamp, checked: Instant::now() });
        Ok(index)
    }

    /// Drops the index, so that the next use rebuilds it (after this instance recorded a change).
    pub async fn invalidate(&self) {
        *self.current.write().await = None;
    }
}
