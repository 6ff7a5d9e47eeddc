use std::process::Command;

use tiendo_export::chart::{Chart, ChartKind, Series};
use tiendo_export::model::{Block, Figure};
use tiendo_export::pdf::FontSet;
use tiendo_export::{ExportError, sample};

use crate::support::{fonts, pdf_pages, pdftotext, tool_available, words};

fn write_pdf(doc: &tiendo_export::Document, fonts: &FontSet) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, tiendo_export::pdf(doc, fonts).unwrap()).unwrap();
    (dir, path)
}

/// The words of the PDF text without the page numbers (the first line of pages 2 onwards).
fn body_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    for (i, page) in text.split('\u{c}').filter(|p| !p.trim().is_empty()).enumerate() {
        let mut lines = page.lines();
        if i > 0 {
            let first = lines.next().unwrap_or_default().trim().to_owned();
            assert_eq!(first, (i + 1).to_string(), "page {} starts with its number", i + 1);
        }
        for l in lines {
            out.extend(words(l));
        }
    }
    out
}

fn remove_subsequence(haystack: &mut Vec<String>, needle: &[String]) {
    let at = haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("chart text {needle:?} not found in the PDF text"));
    haystack.drain(at..at + needle.len());
}

#[test]
fn pdf_text_is_extractable_and_identical_to_the_docx_text() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let doc = sample::sample_report();
    let (_dir, path) = write_pdf(&doc, &fonts);
    let mut got = body_words(&pdftotext(&path));
    // The chart's labels are text in the PDF; in the DOCX they live in the chart part.
    let chart_words: Vec<String> =
        sample::sample_chart().scene().unwrap().texts().iter().flat_map(|t| words(t)).collect();
    remove_subsequence(&mut got, &chart_words);
    // The DOCX paragraphs are exactly `plain_text` (tested in docx.rs), so this compares the two.
    assert_eq!(got, words(&tiendo_export::plain_text(&doc).unwrap()));
}

#[test]
fn pdf_is_a4_with_embedded_subset_fonts_and_metadata() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdfinfo", "poppler-utils") {
        return;
    }
    let (_dir, path) = write_pdf(&sample::sample_report(), &fonts);
    let info = String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    assert!(info.contains("Page size:      595.276 x 841.89 pts (A4)") || info.contains("(A4)"), "{info}");
    assert!(info.lines().any(|l| l.starts_with("Title:") && l.contains("BÁO CÁO Kết quả 03 năm")), "{info}");
    let listing = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    let family = fonts.family().replace(' ', "");
    let embedded: Vec<&str> = listing.lines().filter(|l| l.contains(&family)).collect();
    assert!(embedded.len() >= 3, "regular, bold and italic faces used: {listing}");
    for line in embedded {
        // Columns: name type encoding emb sub uni ...
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, with ToUnicode: {line}");
    }
    assert!(pdf_pages(&path) >= 3);
}

#[test]
fn national_title_fits_on_one_line_and_the_date_line_is_intact() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let (_dir, path) = write_pdf(&sample::sample_report(), &fonts);
    let text = pdftotext(&path);
    let one_line = |needle: &str| text.lines().any(|l| l.contains(needle));
    assert!(one_line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{text}");
    assert!(one_line("Độc lập - Tự do - Hạnh phúc"));
    assert!(one_line("Quảng Ninh, ngày 05 tháng 3 năm 2026"));
    assert!(one_line("Số: 45/BC-SKHCN"));
}

#[test]
fn long_report_breaks_pages_and_numbers_them_from_page_two() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let doc = sample::long_report(14);
    let (_dir, path) = write_pdf(&doc, &fonts);
    let pages = pdf_pages(&path);
    assert!(pages >= 12, "14 extra sections fill at least 12 pages, got {pages}");
    // body_words asserts every page from 2 starts with its number.
    let got = body_words(&pdftotext(&path));
    assert!(got.len() > 5000);
    // Table header rows are repeated: "Kết quả thực hiện" appears once per table at least.
    let text = pdftotext(&path);
    assert!(text.matches("Kết quả thực hiện").count() >= 15);
}

#[test]
fn every_chart_kind_draws_in_pdf_with_its_labels() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let mut doc = sample::sample_report();
    for kind in [ChartKind::StackedBar, ChartKind::Line, ChartKind::Donut] {
        let chart = Chart::new(
            kind,
            format!("Biểu đồ {}", kind.name_vi()),
            vec!["Quảng Yên".into(), "Hạ Long".into()],
            vec![Series { name: "Năm 2025".into(), values: vec![3.0, 5.0] }],
        );
        doc.body.push(Block::Chart(Figure { content: chart, width_mm: 120.0, caption: None }));
    }
    let (_dir, path) = write_pdf(&doc, &fonts);
    let text = pdftotext(&path);
    for kind in [ChartKind::StackedBar, ChartKind::Line, ChartKind::Donut] {
        assert!(text.contains(&format!("Biểu đồ {}", kind.name_vi())), "{kind:?}");
    }
    assert!(text.contains("Quảng Yên: 3 (37,5%)"), "donut legend with share");
}

#[test]
fn missing_font_is_a_clear_error_naming_the_debian_package() {
    let empty = tempfile::tempdir().unwrap();
    let err = FontSet::load_from(&[empty.path().to_owned()]).unwrap_err();
    assert!(matches!(err, ExportError::MissingFont { .. }));
    let message = err.to_string();
    assert!(message.starts_with("missing font: Liberation Serif"), "{message}");
    assert!(message.contains("fonts-liberation2") && message.contains("TIENDO_FONT_DIR"), "{message}");
}

#[test]
fn a_font_without_vietnamese_letters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Not a font at all, under the expected names.
    for f in [
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ] {
        std::fs::write(dir.path().join(f), b"not a font").unwrap();
    }
    let err = FontSet::load_from(&[dir.path().to_owned()]).unwrap_err();
    assert!(matches!(err, ExportError::BadFont { .. }), "{err}");
}

#[test]
fn without_times_metric_fonts_the_embedded_libertinus_serif_prints_vietnamese() {
    let fonts = FontSet::embedded().expect("the embedded family loads and covers Vietnamese");
    assert_eq!(fonts.family(), "Libertinus Serif");
    assert!(fonts.is_fallback());
    // Each style is a different face.
    assert_ne!(fonts.face(false, false).width("Quảng Yên", 12.0), fonts.face(true, false).width("Quảng Yên", 12.0));
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let (_dir, path) = write_pdf(&sample::sample_report(), &fonts);
    let text = pdftotext(&path);
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{text}");
    let fonts_used = Command::new("pdffonts").arg(&path).output().expect("pdffonts runs");
    let listed = String::from_utf8_lossy(&fonts_used.stdout);
    assert!(listed.contains("LibertinusSerif"), "{listed}");
}

#[test]
fn where_no_font_folder_holds_a_times_metric_family_pdfs_use_the_embedded_one_and_say_so() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("not-there");
    let dirs = vec![empty.path().to_owned(), missing.clone()];
    let fonts = FontSet::search(&dirs).expect("the embedded family stands in");
    assert!(fonts.is_fallback());
    assert_eq!(fonts.family(), "Libertinus Serif");
    let said = fonts.diagnostic();
    for expected in
        ["Libertinus Serif", "typst-assets", "SIL Open Font License", "fonts-liberation2", "Times New Roman"]
    {
        assert!(said.contains(expected), "{expected} in: {said}");
    }
    assert!(said.contains(&missing.display().to_string()), "where it looked: {said}");
    // The document prints in it.
    let bytes = tiendo_export::pdf(&sample::sample_report(), &fonts).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if tool_available("pdffonts", "poppler-utils") {
        let (_dir, path) = write_pdf(&sample::sample_report(), &fonts);
        let listed = Command::new("pdffonts").arg(&path).output().expect("pdffonts runs");
        let listed = String::from_utf8_lossy(&listed.stdout);
        assert!(listed.contains("LibertinusSerif") && !listed.contains("Liberation"), "{listed}");
    }
    // A Times-metric family found is named with its folder, and preferred.
    if let Some(system) = fonts_if_installed() {
        assert!(!system.is_fallback());
        assert!(system.diagnostic().contains(system.family()) && system.diagnostic().contains("Times New Roman"));
    }
}

/// The Times-metric family of the machine, if one is installed.
fn fonts_if_installed() -> Option<FontSet> {
    FontSet::load_system().ok().filter(|f| !f.is_fallback())
}
