//! The search index of a running instance and its state: ready, being rebuilt (search answers
//! `search_rebuilding` meanwhile, nothing else is affected), or off. The index is a derived cache in
//! `<data_dir>/search/`; its position in the audit trail is stored in the index's own commits, so that the
//! documents and the position they reflect cannot disagree after a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tiendo_search::{SearchError, SearchIndex, Writer};

use crate::{Error, Result};

/// The memory of the writer that follows the trail (one thread; tantivy's minimum).
pub(crate) const FOLLOW_WRITER_MEMORY: usize = 16 * 1024 * 1024;

/// Where the index follows the trail: the last event read and the ids below it not seen yet (an event
/// whose transaction committed after a later one's), each with when it was first missed.
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    /// The id of the last event read.
    pub last: i64,
    /// Ids not seen yet, with when they were first missed; forgotten after [`super::follow::LATE_WINDOW`].
    pub gaps: BTreeMap<i64, Instant>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredCursor {
    last: i64,
    #[serde(default)]
    gaps: Vec<i64>,
}

impl Cursor {
    /// The cursor as stored with a commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(&StoredCursor { last: self.last, gaps: self.gaps.keys().copied().collect() })
            .unwrap_or_default()
    }

    /// The cursor stored with the last commit (gaps counted as missed now); none for a foreign payload.
    pub fn from_payload(payload: Option<&str>) -> Option<Cursor> {
        let stored: StoredCursor = serde_json::from_str(payload?).ok()?;
        let now = Instant::now();
        Some(Cursor { last: stored.last, gaps: stored.gaps.into_iter().map(|id| (id, now)).collect() })
    }
}

/// What the index is doing, for `/readyz` and the search pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Search is not configured (a test, a command that does not serve).
    Off,
    /// Searchable; `documents` records.
    Ready {
        /// Documents in the index.
        documents: u64,
    },
    /// Being rebuilt: `done` of `total` records so far; `reason` says why (missing, outdated, damaged,
    /// asked for).
    Rebuilding {
        /// Why.
        reason: String,
        /// Records indexed so far.
        done: u64,
        /// Records to index.
        total: u64,
    },
    /// Cannot be used or rebuilt (a disk problem): the message says why.
    Failed(String),
}

#[derive(Debug, Clone)]
enum State {
    Off,
    Ready(SearchIndex),
    Rebuilding { reason: String, done: u64, total: u64 },
    Failed(String),
}

/// What only the index's maintainer (the follower of the trail, or a rebuild) touches.
#[derive(Debug, Default)]
pub(crate) struct Maintenance {
    /// The writer; `None` when another process holds the index's lock (then this one only reloads).
    pub writer: Option<Writer>,
    /// Where the index stands in the trail.
    pub cursor: Cursor,
}

struct Inner {
    dir: Option<PathBuf>,
    state: RwLock<State>,
    needs_rebuild: AtomicBool,
    maintenance: tokio::sync::Mutex<Maintenance>,
}

/// The search index of this process, shared by every request (cheap to clone). Requests read it through
/// [`super::search`]; [`super::follow`] keeps it up to date and [`super::rebuild`] rebuilds it.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("dir", &self.inner.dir).field("status", &self.status()).finish()
    }
}

impl Engine {
    fn with(dir: Option<PathBuf>, state: State, maintenance: Maintenance, needs_rebuild: bool) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                dir,
                state: RwLock::new(state),
                needs_rebuild: AtomicBool::new(needs_rebuild),
                maintenance: tokio::sync::Mutex::new(maintenance),
            }),
        }
    }

    /// No search: every search answers `search_unavailable`.
    pub fn off() -> Engine {
        Engine::with(None, State::Off, Maintenance::default(), false)
    }

    /// An empty index in memory that follows the trail from its start (tests). Records written without
    /// an audit event (fixtures) need [`super::rebuild`].
    pub fn in_memory() -> Engine {
        let index = SearchIndex::in_memory();
        let writer = index.writer(1, FOLLOW_WRITER_MEMORY).expect("a writer of an index in memory");
        Engine::with(None, State::Ready(index), Maintenance { writer: Some(writer), ..Maintenance::default() }, false)
    }

    /// The index in `dir` (`<data_dir>/search`). A missing, outdated or damaged index is rebuilt by the
    /// follower before it follows the trail; until then search answers `search_rebuilding`. When another
    /// process holds the index's writer, this one searches and reloads it without writing.
    pub fn open(dir: &Path) -> Engine {
        match SearchIndex::open(dir) {
            Ok(index) => {
                let cursor = index.payload().ok().flatten();
                let Some(cursor) = Cursor::from_payload(cursor.as_deref()) else {
                    // An index without a position (interrupted rebuild): rebuild it.
                    let reason = "the index does not say how far it followed the trail".to_owned();
                    return Engine::rebuilding(dir, reason);
                };
                let writer = match index.writer(1, FOLLOW_WRITER_MEMORY) {
                    Ok(writer) => Some(writer),
                    Err(SearchError::Locked) => {
                        tracing::info!(dir = %dir.display(), "another process writes the search index; this one reads it");
                        None
                    }
                    Err(err) => return Engine::failed(dir, err.to_string()),
                };
                Engine::with(Some(dir.to_owned()), State::Ready(index), Maintenance { writer, cursor }, false)
            }
            Err(err) if err.needs_rebuild() => Engine::rebuilding(dir, err.to_string()),
            Err(err) => Engine::failed(dir, err.to_string()),
        }
    }

    fn rebuilding(dir: &Path, reason: String) -> Engine {
        tracing::warn!(dir = %dir.display(), %reason, "the search index will be rebuilt");
        let state = State::Rebuilding { reason, done: 0, total: 0 };
        Engine::with(Some(dir.to_owned()), state, Maintenance::default(), true)
    }

    fn failed(dir: &Path, message: String) -> Engine {
        tracing::error!(dir = %dir.display(), error = %message, "the search index cannot be used");
        Engine::with(Some(dir.to_owned()), State::Failed(message), Maintenance::default(), false)
    }

    /// The directory of an index on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    /// What the index is doing.
    pub fn status(&self) -> Status {
        match &*self.inner.state.read().unwrap_or_else(std::sync::PoisonError::into_inner) {
            State::Off => Status::Off,
            State::Ready(index) => Status::Ready { documents: index.num_docs() },
            State::Rebuilding { reason, done, total } => {
                Status::Rebuilding { reason: reason.clone(), done: *done, total: *total }
            }
            State::Failed(message) => Status::Failed(message.clone()),
        }
    }

    /// The index to search, or why there is none now.
    pub fn index(&self) -> Result<SearchIndex> {
        match &*self.inner.state.read().unwrap_or_else(std::sync::PoisonError::into_inner) {
            State::Ready(index) => Ok(index.clone()),
            State::Rebuilding { .. } => Err(Error::Unavailable { code: "search_rebuilding" }),
            State::Off | State::Failed(_) => Err(Error::Unavailable { code: "search_unavailable" }),
        }
    }

    /// Whether the follower must rebuild the index before following the trail.
    pub fn needs_rebuild(&self) -> bool {
        self.inner.needs_rebuild.load(Ordering::SeqCst)
    }

    /// Asks for a rebuild (the index was found damaged while searching or writing): search answers
    /// `search_rebuilding` until it is done.
    pub fn damaged(&self, reason: &str) {
        if self.inner.dir.is_none() && matches!(self.status(), Status::Off) {
            return;
        }
        tracing::error!(%reason, "the search index is damaged; rebuilding it");
        self.inner.needs_rebuild.store(true, Ordering::SeqCst);
        self.set(State::Rebuilding { reason: reason.to_owned(), done: 0, total: 0 });
    }

    fn set(&self, state: State) {
        *self.inner.state.write().unwrap_or_else(std::sync::PoisonError::into_inner) = state;
    }

    pub(crate) fn set_progress(&self, reason: &str, done: u64, total: u64) {
        self.set(State::Rebuilding { reason: reason.to_owned(), done, total });
    }

    pub(crate) fn set_ready(&self, index: SearchIndex) {
        self.inner.needs_rebuild.store(false, Ordering::SeqCst);
        self.set(State::Ready(index));
    }

    pub(crate) fn set_failed(&self, message: String) {
        self.inner.needs_rebuild.store(false, Ordering::SeqCst);
        self.set(State::Failed(message));
    }

    pub(crate) fn is_off(&self) -> bool {
        matches!(self.status(), Status::Off)
    }

    /// The maintainer's part: one at a time.
    pub(crate) async fn maintenance(&self) -> tokio::sync::MutexGuard<'_, Maintenance> {
        self.inner.maintenance.lock().await
    }

    /// The index being maintained, when ready.
    pub(crate) fn ready_index(&self) -> Option<SearchIndex> {
        match &*self.inner.state.read().unwrap_or_else(std::sync::PoisonError::into_inner) {
            State::Ready(index) => Some(index.clone()),
            _ => None,
        }
    }
}
