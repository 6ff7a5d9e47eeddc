//! The state shared by every handler: the application (database, files, settings, clock, address
//! resolver) and what only the web edge keeps (the portal's page cache).

use std::sync::Arc;
use std::time::Instant;

use tiendo_app::{App, Settings};
use tiendo_db::Db;
use tiendo_export::ExportError;
use tiendo_export::pdf::FontSet;

struct Inner {
    app: App,
    started: Instant,
    portal: crate::portal::cache::PortalState,
}

/// Shared state: the application and the web edge's caches. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("app", &self.inner.app).finish_non_exhaustive()
    }
}

impl AppState {
    /// State over a database with the given settings, files in a scratch store (tests and benchmarks: a
    /// temporary directory, or a folder of the bucket named by `TEST_S3_URL`).
    pub fn new(db: Db, site: Settings) -> AppState {
        AppState::with_files(db, site, tiendo_db::files::FileStore::scratch())
    }

    /// State with the file store under the data directory.
    pub fn with_files(db: Db, site: Settings, files: tiendo_db::files::FileStore) -> AppState {
        AppState::from_app(App::new(db, files, site))
    }

    /// State over an application built by the caller.
    pub fn from_app(app: App) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                app,
                started: Instant::now(),
                portal: crate::portal::cache::PortalState::default(),
            }),
        }
    }

    /// The application: every use case takes it.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The file store (attachments, evidence).
    pub fn files(&self) -> &tiendo_db::files::FileStore {
        self.inner.app.files()
    }

    /// The database, for reads.
    pub fn db(&self) -> &Db {
        self.inner.app.db()
    }

    /// The settings.
    pub fn site(&self) -> &Settings {
        self.inner.app.settings()
    }

    /// The public portal's caches and settings.
    pub fn portal(&self) -> &crate::portal::cache::PortalState {
        &self.inner.portal
    }

    /// The address resolver, built on first use (the application's).
    pub fn geo(&self) -> &tiendo_app::geo::GeoIndex {
        self.inner.app.address_index()
    }

    /// The fonts of PDF export (see [`App::pdf_fonts`]).
    pub fn pdf_fonts(&self) -> Result<FontSet, ExportError> {
        self.inner.app.pdf_fonts()
    }

    /// Seconds since the state was created (the process start, in practice).
    pub fn uptime_secs(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
