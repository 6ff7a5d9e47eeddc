//! The settings of a running instance, from the configuration: one typed struct, loaded once by the
//! binary and kept in the [`crate::App`].

use std::path::PathBuf;
use std::time::Duration;

/// Where the PDF writer finds its serif family (Liberation Serif or Tinos).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PdfFonts {
    /// `TIENDO_FONT_DIR`, then the Debian font folders (`fonts-liberation2`, `fonts-croscore`).
    #[default]
    System,
    /// Only these folders (tests, or an installation that keeps its fonts elsewhere): without a family
    /// in them PDFs are refused (`pdf_font_missing`), since the operator named them on purpose.
    Dirs(Vec<PathBuf>),
    /// These folders in place of the system's, then the embedded fallback, as [`PdfFonts::System`]
    /// does (tests of a machine without fonts).
    Search(Vec<PathBuf>),
}

/// The settings of the instance that the use cases, the pages and the jobs read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The organisation operating this instance, in Vietnamese ("Sở Khoa học và Công nghệ tỉnh Quảng Ninh").
    pub organization_vi: String,
    /// The same in English.
    pub organization_en: String,
    /// The public URL (`https://tiendo.quangninh.gov.vn`), when known; used in feeds, e-mails and the
    /// links the command line prints. A URL starting with `https://` turns on `Secure` cookies and HSTS.
    pub public_url: Option<String>,
    /// A bearer token that `/metrics` requires; `None` leaves it open (for a scraper on the intranet).
    pub metrics_token: Option<String>,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever the activity.
    pub session_absolute: Duration,
    /// How long a one-time password link stays valid.
    pub reset_validity: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    /// Whether outgoing e-mail is configured (password links are then e-mailed, not shown).
    pub mail_enabled: bool,
    /// Where PDF export finds its fonts.
    pub pdf_fonts: PdfFonts,
    /// The province assumed when an address names none (the deployment's own province).
    pub default_province: Option<tiendo_core::geo::AdminUnitCode>,
    /// The file holding the anchors of the audit chain, which its verification checks against; `None`
    /// checks the chain alone.
    pub audit_anchor_file: Option<PathBuf>,
}

impl Settings {
    /// Whether the site is served over TLS (from its public URL).
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization_vi: "Sở Khoa học và Công nghệ".to_owned(),
            organization_en: "Department of Science and Technology".to_owned(),
            public_url: None,
            metrics_token: None,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            reset_validity: Duration::from_secs(72 * 3600),
            trust_proxy: false,
            mail_enabled: false,
            pdf_fonts: PdfFonts::System,
            default_province: None,
            audit_anchor_file: None,
        }
    }
}
