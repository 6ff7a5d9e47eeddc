//! The application state shared by every handler.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use tiendo_db::Db;
use tiendo_export::ExportError;
use tiendo_export::pdf::FontSet;

/// Where the PDF writer finds its serif family (Liberation Serif or Tinos).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PdfFonts {
    /// `TIENDO_FONT_DIR`, then the Debian font folders (`fonts-liberation2`, `fonts-croscore`).
    #[default]
    System,
    /// Only these folders (tests, or an installation that keeps its fonts elsewhere).
    Dirs(Vec<PathBuf>),
}

/// Site-wide settings that come from the configuration.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The organisation operating this instance, in Vietnamese ("Sở Khoa học và Công nghệ tỉnh Quảng Ninh").
    pub organization_vi: String,
    /// The same in English.
    pub organization_en: String,
    /// The public URL (`https://tiendo.quangninh.gov.vn`), when known; used in feeds and e-mails. A URL
    /// starting with `https://` turns on `Secure` cookies and HSTS.
    pub public_url: Option<String>,
    /// A bearer token that `/metrics` requires; `None` leaves it open (for a scraper on the intranet).
    pub metrics_token: Option<String>,
    /// A session ends after this long without a request.
    pub session_idle: std::time::Duration,
    /// A session ends this long after sign-in, whatever the activity.
    pub session_absolute: std::time::Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    /// Whether outgoing e-mail is configured (password links are then e-mailed, not shown).
    pub mail_enabled: bool,
    /// Where PDF export finds its fonts.
    pub pdf_fonts: PdfFonts,
    /// The province assumed when an address names none (the deployment's own province).
    pub default_province: Option<tiendo_core::geo::AdminUnitCode>,
}

impl SiteSettings {
    /// Whether the site is served over TLS (from its public URL).
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            organization_vi: "Sở Khoa học và Công nghệ".to_owned(),
            organization_en: "Department of Science and Technology".to_owned(),
            public_url: None,
            metrics_token: None,
            session_idle: std::time::Duration::from_secs(30 * 60),
            session_absolute: std::time::Duration::from_secs(12 * 3600),
            trust_proxy: false,
            mail_enabled: false,
            pdf_fonts: PdfFonts::System,
            default_province: None,
        }
    }
}

struct Inner {
    db: Db,
    site: SiteSettings,
    files: tiendo_db::files::FileStore,
    started: Instant,
    geo: crate::geo_index::GeoIndex,
    fonts: OnceLock<FontSet>,
    portal: crate::portal::cache::PortalState,
}

/// Shared state: the database handle and the site settings. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("backend", &self.inner.db.backend()).finish_non_exhaustive()
    }
}

impl AppState {
    /// State over a database with the given settings.
    pub fn new(db: Db, site: SiteSettings) -> AppState {
        let files =
            tiendo_db::files::FileStore::new(std::env::temp_dir().join(format!("tiendo-files-{}", std::process::id())));
        AppState::with_files(db, site, files)
    }

    /// State with the file store under the data directory.
    pub fn with_files(db: Db, site: SiteSettings, files: tiendo_db::files::FileStore) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                db,
                site,
                files,
                started: Instant::now(),
                geo: crate::geo_index::GeoIndex::new(),
                fonts: OnceLock::new(),
                portal: crate::portal::cache::PortalState::default(),
            }),
        }
    }

    /// The file store (attachments, evidence).
    pub fn files(&self) -> &tiendo_db::files::FileStore {
        &self.inner.files
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The site settings.
    pub fn site(&self) -> &SiteSettings {
        &self.inner.site
    }

    /// The public portal's caches and settings.
    pub fn portal(&self) -> &crate::portal::cache::PortalState {
        &self.inner.portal
    }

    /// The address resolver, built on first use.
    pub fn geo(&self) -> &crate::geo_index::GeoIndex {
        &self.inner.geo
    }

    /// The fonts of PDF export, read once and kept. A failure (no font installed) is not kept, so
    /// installing `fonts-liberation2` takes effect without a restart. Reads files: call it from a
    /// blocking task.
    pub fn pdf_fonts(&self) -> Result<FontSet, ExportError> {
        if let Some(fonts) = self.inner.fonts.get() {
            return Ok(fonts.clone());
        }
        let fonts = match &self.inner.site.pdf_fonts {
            PdfFonts::System => FontSet::load_system()?,
            PdfFonts::Dirs(dirs) => FontSet::load_from(dirs)?,
        };
        Ok(self.inner.fonts.get_or_init(|| fonts).clone())
    }

    /// Seconds since the state was created (the process start, in practice).
    pub fn uptime_secs(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
