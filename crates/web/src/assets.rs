//! Static assets (stylesheet, script, icons) embedded in the binary and served under content-hashed
//! names with year-long cache headers, so that the site works on an intranet with no CDN and a new
//! release never shows a stale stylesheet.

use std::sync::OnceLock;

use crate::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The logical name used in templates (`app.css`).
    pub name: &'static str,
    /// The served name with the content hash (`app.3f2a9c1b0d.css`).
    pub hashed_name: String,
    /// The content type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: &'static [u8],
}

const SOURCES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("icons.svg", "image/svg+xml", include_bytes!("../assets/icons.svg")),
    ("logo.svg", "image/svg+xml", include_bytes!("../assets/logo.svg")),
];

fn hashed(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// Every embedded asset.
pub fn all() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(name, content_type, bytes)| Asset { name, hashed_name: hashed(name, bytes), content_type, bytes })
            .collect()
    })
}

/// The URL of an asset by its logical name (`/assets/app.3f2a9c1b0d.css`).
///
/// # Panics
/// When no asset has that name: a programming error caught by the tests of every page.
pub fn url(name: &str) -> String {
    let asset = all().iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no embedded asset named {name}"));
    format!("/assets/{}", asset.hashed_name)
}

/// `GET /assets/{file}`: serves an asset by its hashed name.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(asset) = all().iter().find(|a| a.hashed_name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        asset.bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_change_with_content() {
        assert_ne!(hashed("app.css", b"a"), hashed("app.css", b"b"));
        assert!(hashed("app.css", b"a").starts_with("app."));
        assert!(hashed("app.css", b"a").ends_with(".css"));
    }

    #[test]
    fn every_asset_has_a_distinct_url() {
        let mut names: Vec<&str> = all().iter().map(|a| a.hashed_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SOURCES.len());
    }

    /// A brace lost in a merge silently moves every later rule into the block before it (a print-only
    /// `@media`, say): every block of the stylesheet is closed where it should be, and the blocks nest
    /// only inside `@media`.
    #[test]
    fn the_stylesheet_blocks_are_balanced() {
        let css = std::str::from_utf8(include_bytes!("../assets/app.css")).expect("UTF-8");
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut line = 1;
        let mut selector_start = 0;
        for (i, ch) in css.char_indices() {
            match ch {
                '\n' => line += 1,
                '{' => {
                    let selector = css[selector_start..i].trim();
                    let is_media = selector.rsplit(['}', ';', '/']).next().unwrap_or("").trim().starts_with('@');
                    assert!(
                        open.iter().all(|(_, media)| *media),
                        "line {line}: a rule opened inside a rule that is not @media: {selector}"
                    );
                    open.push((line, is_media));
                    selector_start = i + 1;
                }
                '}' => {
                    assert!(open.pop().is_some(), "line {line}: a closing brace without an opening one");
                    selector_start = i + 1;
                }
                _ => {}
            }
        }
        assert!(open.is_empty(), "blocks opened at lines {open:?} are never closed");
    }
}
