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

/// A ZIP package made of these parts, deflated (for hand-written workbooks).
pub fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        out.start_file(*name, options).expect("a part name");
        out.write_all(data).expect("in memory");
    }
    out.finish().expect("in memory").into_inner()
}

/// Every part of a ZIP package, in order.
pub fn zip_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP package");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("a part");
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("readable");
            (file.name().expect("a UTF-8 part name").into_owned(), data)
        })
        .collect()
}

/// The package with one text part edited, as a person's spreadsheet program would rewrite it.
pub fn edit_part(bytes: &[u8], name: &str, edit: impl FnOnce(&str) -> String) -> Vec<u8> {
    let mut edit = Some(edit);
    let parts: Vec<(String, Vec<u8>)> = zip_parts(bytes)
        .into_iter()
        .map(|(n, data)| {
            if n == name {
                let text = String::from_utf8(data).expect("UTF-8 part");
                let edited = (edit.take().expect("one part of that name"))(&text);
                (n, edited.into_bytes())
            } else {
                (n, data)
            }
        })
        .collect();
    assert!(edit.is_none(), "part {name} not found");
    let borrowed: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    zip_of(&borrowed)
}

/// A sheet's XML with every cell reference's column changed by `map` (letters to letters), as when a
/// person moves columns: `<c r="E12"` becomes `<c r="C12"` for `map("E") == "C"`.
pub fn move_columns(xml: &str, map: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<c r=\"") {
        let start = at + "<c r=\"".len();
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let letters: String = tail.chars().take_while(|c| c.is_ascii_uppercase()).collect();
        out.push_str(&map(&letters));
        rest = &tail[letters.len()..];
    }
    out.push_str(rest);
    out
}

/// A sheet's XML without the cells of one column (as when a person deletes it and nothing moves).
pub fn drop_column(xml: &str, letters: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let opening = format!("<c r=\"{letters}");
    while let Some(at) = rest.find(&opening) {
        let after = &rest[at + opening.len()..];
        if !after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(&rest[..at + opening.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        let tag_end = rest[at..].find('>').expect("a closed tag") + at;
        rest = if rest.as_bytes()[tag_end - 1] == b'/' {
            &rest[tag_end + 1..]
        } else {
            let close = rest[at..].find("</c>").expect("a closed cell") + at;
            &rest[close + "</c>".len()..]
        };
    }
    out.push_str(rest);
    out
}

/// Replaces one cell's element (`<c r="E11" ...>...</c>` or `<c r="E11" .../>`) with `cell`.
pub fn replace_cell(xml: &str, reference: &str, cell: &str) -> String {
    let opening = format!("<c r=\"{reference}\"");
    let at = xml.find(&opening).unwrap_or_else(|| panic!("cell {reference} not in the sheet"));
    let tag_end = xml[at..].find('>').expect("a closed tag") + at;
    let end = if xml.as_bytes()[tag_end - 1] == b'/' {
        tag_end + 1
    } else {
        xml[at..].find("</c>").expect("a closed cell") + at + "</c>".len()
    };
    format!("{}{cell}{}", &xml[..at], &xml[end..])
}

pub use tiendo_export::checks::pdf::Page;

/// The pages of a PDF with the boxes of their words (`pdftotext -bbox`).
pub fn pdf_words(path: &Path) -> Vec<Page> {
    tiendo_export::checks::pdf::pages(path).expect("pdftotext -bbox reads the PDF")
}

/// Each piece of text of a PDF and whether it is set in an italic face.
pub fn pdf_text_styles(path: &Path) -> Vec<(String, bool)> {
    tiendo_export::checks::pdf::text_styles(path).expect("pdftohtml reads the PDF")
}

/// Converts DOCX files with LibreOffice in one run (a private profile, so that parallel tests do not
/// share one); their PDFs in the order given. `None` when LibreOffice or poppler-utils is absent and
/// not required.
pub fn libreoffice_pdfs(files: &[(String, Vec<u8>)]) -> Option<(tempfile::TempDir, Vec<std::path::PathBuf>)> {
    if !tool_available("soffice", "libreoffice-writer-nogui") || !tool_available("pdftotext", "poppler-utils") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let input = dir.path().join(format!("{name}.docx"));
        std::fs::write(&input, bytes).unwrap();
        inputs.push(input);
    }
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .args(&inputs)
        .output()
        .expect("soffice runs");
    let pdfs: Vec<std::path::PathBuf> = files.iter().map(|(name, _)| dir.path().join(format!("{name}.pdf"))).collect();
    for pdf in &pdfs {
        assert!(pdf.is_file(), "LibreOffice produced no {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    }
    Some((dir, pdfs))
}
