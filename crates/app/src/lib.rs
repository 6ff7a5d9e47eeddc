//! The application layer of Tiến Độ: every use case as one function over ([`App`], [`Session`]).
//!
//! A use case authorizes, validates, runs its transaction, records the change in the audit trail and
//! notifies whom it concerns. The pages, the JSON API, the command line, the background jobs and the demo
//! call the same function, so that they cannot drift apart. Nothing outside this crate (and `db` itself)
//! opens a transaction or appends to the audit trail; clippy's `disallowed-methods` in `crates/web` and
//! `crates/tiendo` keeps it so.
//!
//! Reads that the interfaces need are here too when they apply a rule (what an actor may see); plain
//! lookups go to `tiendo_db` with the request's [`tiendo_core::authz::AccessScope`].
//!
//! This crate has no HTTP types: outcomes are [`Error`] variants that the web edge maps to status codes.

pub mod audit;
pub mod certificates;
mod clock;
pub mod directory;
pub mod document_templates;
mod error;
pub mod geo;
pub mod i18n;
pub mod identity;
pub mod indicators;
pub mod maintenance;
pub mod message;
pub mod monitoring;
pub mod notifications;
pub mod password;
pub mod portal;
pub mod reporting;
pub mod sci_tech;
pub mod search;
pub mod secret;
mod session;
mod settings;
pub mod visits;
pub mod work;

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_db::Db;
use tiendo_db::files::FileStore;
use tiendo_export::ExportError;
use tiendo_export::pdf::FontSet;

pub use clock::Clock;
pub use error::{Error, FieldError, Result, check};
pub use i18n::Tr;
pub use session::{Session, SessionUser};
pub use settings::{PdfFonts, Settings};

struct Inner {
    db: Db,
    files: FileStore,
    settings: Settings,
    fonts: OnceLock<FontSet>,
    address_index: geo::GeoIndex,
    search: search::Engine,
    /// A read replica and how many seconds it may lag behind.
    replica: Option<(Db, u64)>,
    /// Every assignment's status facts, kept between requests.
    kept_status: monitoring::kept_status::KeptStatus,
}

/// The application: the database, the file store, the settings and the clock. Cheap to clone; every use
/// case takes it by reference.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
    clock: Clock,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("backend", &self.inner.db.backend()).field("clock", &self.clock).finish()
    }
}

impl App {
    /// The application over a database and a file store, with the system clock.
    pub fn new(db: Db, files: FileStore, settings: Settings) -> App {
        let inner = Inner {
            db,
            files,
            settings,
            fonts: OnceLock::new(),
            address_index: geo::GeoIndex::new(),
            search: search::Engine::off(),
            replica: None,
            kept_status: monitoring::kept_status::KeptStatus::default(),
        };
        App { inner: Arc::new(inner), clock: Clock::System }
    }

    /// The same application with a search index (before it is shared: the binary and tests build it so).
    ///
    /// # Panics
    /// When the application was cloned already.
    #[must_use]
    pub fn with_search(mut self, engine: search::Engine) -> App {
        Arc::get_mut(&mut self.inner).expect("with_search before the application is shared").search = engine;
        self
    }

    /// The same application reading its dashboards and lists from a read replica of the database (before it
    /// is shared). Writes, and every read of a session that wrote recently, stay on the primary.
    ///
    /// # Panics
    /// When the application was cloned already.
    #[must_use]
    pub fn with_replica(mut self, replica: Db, max_lag_secs: u64) -> App {
        Arc::get_mut(&mut self.inner).expect("with_replica before the application is shared").replica =
            Some((replica, max_lag_secs));
        self
    }

    /// How many seconds the read replica may lag, when there is one: how long a session that wrote keeps
    /// reading the primary.
    pub fn replica_lag(&self) -> Option<u64> {
        self.inner.replica.as_ref().map(|(_, lag)| *lag)
    }

    /// The database the dashboards and lists of `session` read: the read replica when one is configured and
    /// the session has not written recently (so that nobody misses their own change while the replica
    /// catches up), else the primary. Only reads that tolerate a few seconds of lag use it.
    pub fn reads(&self, session: &Session) -> &Db {
        match &self.inner.replica {
            Some((replica, _)) if !session.wrote_recently() => replica,
            _ => &self.inner.db,
        }
    }

    /// The search index of this process ([`search::Engine::off`] unless given one).
    pub fn search_engine(&self) -> &search::Engine {
        &self.inner.search
    }

    /// The same application with its clock stopped at `now`: what the demo uses to record a story on
    /// the days it happened, and tests to act on a given day.
    #[must_use]
    pub fn at(&self, now: DateTime<Utc>) -> App {
        App { inner: Arc::clone(&self.inner), clock: Clock::Fixed(now) }
    }

    /// Every assignment's status facts, kept between requests.
    pub(crate) fn kept_status(&self) -> &monitoring::kept_status::KeptStatus {
        &self.inner.kept_status
    }

    /// The database, for reads.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The file store (attachments, evidence, photos).
    pub fn files(&self) -> &FileStore {
        &self.inner.files
    }

    /// Puts bytes in the file store, before the row that names them is written: a store that cannot take
    /// them (a full or read-only disk, a bucket refusing writes) is a clear `files_unavailable` and the
    /// caller writes nothing. Every upload of every module stores its file through here.
    pub async fn put_file(&self, bytes: &[u8]) -> Result<String> {
        self.files().put(bytes).await.map_err(|e| {
            tracing::error!(error = %e, store = %self.files().describe(), "the file store refused a file");
            Error::Unavailable { code: "files_unavailable" }
        })
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The address resolver, built from the units on first use and rebuilt after a change of the map.
    pub fn address_index(&self) -> &geo::GeoIndex {
        &self.inner.address_index
    }

    /// The clock.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Vietnam, by the application's clock.
    pub fn today(&self) -> NaiveDate {
        tiendo_core::time::vietnam_date(self.now())
    }

    /// Begins a write transaction. Only use cases call it.
    pub(crate) async fn begin(&self) -> Result<tiendo_db::Tx> {
        Ok(self.inner.db.begin().await?)
    }

    /// The fonts of PDF export, read once and kept. A failure (no font installed) is not kept, so
    /// installing `fonts-liberation2` takes effect without a restart. Reads files: call it from a
    /// blocking task.
    pub fn pdf_fonts(&self) -> Result<FontSet, ExportError> {
        if let Some(fonts) = self.inner.fonts.get() {
            return Ok(fonts.clone());
        }
        let fonts = match &self.inner.settings.pdf_fonts {
            PdfFonts::System => FontSet::load_system()?,
            PdfFonts::Dirs(dirs) => FontSet::load_from(dirs)?,
            PdfFonts::Search(dirs) => FontSet::search(dirs)?,
        };
        if fonts.is_fallback() {
            tracing::warn!(family = fonts.family(), "{}", fonts.diagnostic());
        } else {
            tracing::info!(family = fonts.family(), dir = %fonts.dir().display(), "{}", fonts.diagnostic());
        }
        Ok(self.inner.fonts.get_or_init(|| fonts).clone())
    }
}
