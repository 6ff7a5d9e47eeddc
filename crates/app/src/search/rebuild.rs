//! Rebuilding the index from the database: `tiendo search reindex`, and the server when it starts without
//! an index (or with an outdated or damaged one). Every record of every table is read in batches and
//! indexed; the commit carries the position in the audit trail at the start, so that the follower then
//! reads again whatever changed during the rebuild (which is idempotent).

use std::time::Instant;

use tiendo_db::search::{self as db, Table, trail};
use tiendo_search::{SearchError, SearchIndex};

use super::engine::{Cursor, FOLLOW_WRITER_MEMORY};
use super::records::{self, Places};
use crate::{App, Error, Result};

/// Records read per batch.
const BATCH: i64 = 500;
/// The memory of the rebuild's writer, shared by its threads.
const REBUILD_WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// How far back from the trail's end a rebuild looks for ids not committed yet.
const LATE_SCAN: i64 = 1_000;

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rebuilt {
    /// Documents indexed.
    pub documents: u64,
    /// Records read.
    pub records: u64,
    /// Seconds it took.
    pub seconds: f64,
}

fn index_error(err: SearchError) -> Error {
    match err {
        SearchError::Locked => Error::Conflict { code: "search_index_locked", args: Vec::new() },
        other => Error::internal(other),
    }
}

/// Rebuilds the index from the database, calling `progress(done, total)` after each batch of records.
/// Search answers `search_rebuilding` meanwhile. Fails with the conflict `search_index_locked` when
/// another process (a running server) writes the index.
pub async fn rebuild(app: &App, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<Rebuilt> {
    let engine = app.search_engine();
    if engine.is_off() {
        return Err(Error::Unavailable { code: "search_unavailable" });
    }
    let mut maintenance = engine.maintenance().await;
    let reason = match engine.status() {
        super::Status::Rebuilding { reason, .. } => reason,
        _ => "asked for".to_owned(),
    };
    let result = run(app, &reason, progress, &mut maintenance).await;
    if let Err(err) = &result {
        if matches!(err, Error::Conflict { code: "search_index_locked", .. }) {
            engine.set_failed("another process writes the search index".to_owned());
        } else {
            engine.damaged(&format!("the last rebuild failed: {err}"));
        }
    }
    result
}

async fn run(
    app: &App,
    reason: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
    maintenance: &mut super::engine::Maintenance,
) -> Result<Rebuilt> {
    let started = Instant::now();
    let engine = app.search_engine();
    // Release this process's lock on the index before taking it again for the rebuild.
    maintenance.writer = None;
    engine.set_progress(reason, 0, 0);
    let index = match engine.dir() {
        Some(dir) => {
            let dir = dir.to_owned();
            tokio::task::spawn_blocking(move || SearchIndex::open_or_create(&dir))
                .await
                .map_err(Error::internal)?
                .map_err(index_error)?
                .0
        }
        None => SearchIndex::in_memory(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let mut writer = index.writer(threads, REBUILD_WRITER_MEMORY).map_err(index_error)?;
    writer.delete_all().map_err(index_error)?;

    let db = app.db();
    let start = trail::last_event_id(db).await?;
    let floor = (start - LATE_SCAN).max(0);
    let present: std::collections::BTreeSet<i64> =
        trail::event_ids_between(db, floor, start).await?.into_iter().collect();
    let now = Instant::now();
    let gaps = ((floor + 1)..=start).filter(|id| !present.contains(id)).map(|id| (id, now)).collect();
    let cursor = Cursor { last: start, gaps };

    let mut total = 0u64;
    for table in Table::ALL {
        total += u64::try_from(db::count(db, table).await?).unwrap_or_default();
    }
    progress(0, total);
    let mut places = Places::new(app.today());
    let (mut done, mut documents) = (0u64, 0u64);
    for table in Table::ALL {
        let mut after = 0;
        loop {
            let ids = db::ids_after(db, table, after, BATCH).await?;
            let Some(last) = ids.last().copied() else { break };
            after = last;
            for doc in records::build(db, &mut places, table, &ids).await? {
                writer.add(&doc).map_err(index_error)?;
                documents += 1;
            }
            done += ids.len() as u64;
            progress(done, total.max(done));
            engine.set_progress(reason, done, total.max(done));
        }
    }
    let payload = cursor.to_payload();
    let index_for_writer = index.clone();
    let follower = tokio::task::spawn_blocking(move || {
        writer.commit_with(&payload)?;
        writer.finish()?;
        index_for_writer.writer(1, FOLLOW_WRITER_MEMORY)
    })
    .await
    .map_err(Error::internal)?
    .map_err(index_error)?;
    maintenance.writer = Some(follower);
    maintenance.cursor = cursor;
    engine.set_ready(index);
    Ok(Rebuilt { documents, records: done, seconds: started.elapsed().as_secs_f64() })
}
