//! Helpers shared by the integration tests: external tools, ZIP parts, text normalisation.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use tiendo_export::pdf::FontSet;

/// Whether the tests must fail (not skip) when LibreOffice, poppler-utils or the fonts are
/// missing: set `TIENDO_REQUIRE_LIBREOFFICE=1` in CI.
pub fn tools_required() -> bool {
    std::env::var("TIENDO_REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1")
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

/// Skips (returns false with a notice) or fails when `tool` is absent.
pub fn tool_available(tool: &str, package: &str) -> bool {
    if have(tool) {
        return true;
    }
    assert!(!tools_required(), "{tool} is required (TIENDO_REQUIRE_LIBREOFFICE=1): apt-get install {package}");
    eprintln!("NOTICE: {tool} not found, test skipped (apt-get install {package})");
    false
}

/// The system fonts, or a skip/failure like [`tool_available`].
pub fn fonts() -> Option<FontSet> {
    match FontSet::load_system() {
        Ok(f) => Some(f),
        Err(e) => {
            assert!(!tools_required(), "{e}");
            eprintln!("NOTICE: {e}; PDF test skipped");
            None
        }
    }
}

/// A part of a ZIP package as text.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP package");
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("part {name} missing"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("UTF-8 part");
    s
}

/// Names of the parts of a ZIP package.
pub fn zip_names(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP package");
    archive.file_names().map(|n| n.expect("UTF-8 part name").into_owned()).collect()
}

/// Runs `pdftotext -raw` on a PDF file and returns its text.
pub fn pdftotext(path: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// The page count reported by `pdfinfo`.
pub fn pdf_pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// Words of a text, whitespace-insensitive.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}
