use std::process::Command;

use tiendo_export::sample;

use crate::support::{pdf_pages, pdftotext, tool_available, words, zip_names, zip_part};

/// The text of each non-empty paragraph of `word/document.xml`, in document order.
pub fn docx_paragraphs(docx: &[u8]) -> Vec<String> {
    let xml = zip_part(docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("document.xml is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name(("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "p")))
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name(("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "t")))
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

#[test]
fn docx_package_has_every_part_and_all_xml_is_well_formed() {
    let bytes = tiendo_export::docx(&sample::sample_report()).unwrap();
    let names = zip_names(&bytes);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/header1.xml",
        "word/header2.xml",
        "word/_rels/document.xml.rels",
        "word/charts/chart1.xml",
        "word/media/image1.png",
    ] {
        assert!(names.iter().any(|n| n == part), "missing {part} in {names:?}");
    }
    for name in names.iter().filter(|n| n.ends_with(".xml") || n.ends_with(".rels")) {
        let xml = zip_part(&bytes, name);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
    }
    // Every relationship target exists in the package.
    let rels = zip_part(&bytes, "word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    for r in rels.descendants().filter(|n| n.has_tag_name("Relationship")) {
        let target = format!("word/{}", r.attribute("Target").unwrap());
        assert!(names.contains(&target), "relationship to missing part {target}");
    }
}

#[test]
fn docx_page_setup_follows_decree_30() {
    let bytes = tiendo_export::docx(&sample::sample_report()).unwrap();
    let xml = zip_part(&bytes, "word/document.xml");
    // A4 in twips, margins top/bottom 20 mm, left 30 mm, right 15 mm.
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4 page size");
    assert!(xml.contains("w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""), "margins");
    // No number on page 1, the PAGE field on the others, centred.
    assert!(xml.contains("<w:titlePg/>"));
    let header = zip_part(&bytes, "word/header1.xml");
    assert!(header.contains(" PAGE ") && header.contains("<w:jc w:val=\"center\"/>"));
    let styles = zip_part(&bytes, "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Times New Roman\"") && styles.contains("<w:sz w:val=\"28\"/>"));
}

#[test]
fn docx_paragraphs_are_exactly_the_document_text() {
    let doc = sample::sample_report();
    let bytes = tiendo_export::docx(&doc).unwrap();
    let expected: Vec<String> = tiendo_export::plain_text(&doc).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(docx_paragraphs(&bytes), expected);
}

#[test]
fn docx_place_and_date_line_is_italic_and_the_motto_bold() {
    let bytes = tiendo_export::docx(&sample::sample_report()).unwrap();
    let xml = zip_part(&bytes, "word/document.xml");
    assert!(xml.contains("<w:i/><w:iCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">Quảng Ninh, ngày 05 tháng 3 năm 2026</w:t>"));
    assert!(xml.contains("<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:t xml:space=\"preserve\">Độc lập - Tự do - Hạnh phúc</w:t>"));
}

#[test]
fn docx_table_merges_header_cells_and_repeats_header_rows() {
    let bytes = tiendo_export::docx(&sample::sample_report()).unwrap();
    let xml = zip_part(&bytes, "word/document.xml");
    assert!(xml.contains("<w:gridSpan w:val=\"3\"/>"), "Kết quả thực hiện spans three columns");
    assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 3, "TT, Chỉ tiêu, Đơn vị tính span two rows");
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 2);
}

#[test]
fn docx_chart_part_carries_the_chart_data() {
    let bytes = tiendo_export::docx(&sample::sample_report()).unwrap();
    let chart = zip_part(&bytes, "word/charts/chart1.xml");
    assert!(chart.contains("<c:barChart>") && chart.contains("<c:grouping val=\"clustered\"/>"));
    for label in ["Nhiệm vụ KH&amp;CN theo năm", "Cấp tỉnh", "Địa phương đề xuất", "2023", "2025"] {
        assert!(chart.contains(label), "{label}");
    }
}

/// Converts a DOCX with LibreOffice; `None` when LibreOffice is absent and not required.
pub fn libreoffice_pdf(docx: &[u8], name: &str) -> Option<(tempfile::TempDir, std::path::PathBuf)> {
    if !tool_available("soffice", "libreoffice-writer-nogui") || !tool_available("pdftotext", "poppler-utils") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("{name}.docx"));
    std::fs::write(&input, docx).unwrap();
    // A private profile per conversion, so parallel tests do not fight over one.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .expect("soffice runs");
    let pdf = dir.path().join(format!("{name}.pdf"));
    assert!(pdf.is_file(), "LibreOffice produced no PDF: {}", String::from_utf8_lossy(&out.stderr));
    Some((dir, pdf))
}

#[test]
fn libreoffice_renders_the_docx_with_its_text_chart_and_page_numbers() {
    let doc = sample::sample_report();
    let Some((_dir, pdf)) = libreoffice_pdf(&tiendo_export::docx(&doc).unwrap(), "bao-cao") else {
        return;
    };
    let text = pdftotext(&pdf);
    let rendered = words(&text).join(" ");
    for line in tiendo_export::plain_text(&doc).unwrap().lines() {
        assert!(rendered.contains(&words(line).join(" ")), "LibreOffice output lacks: {line}");
    }
    // The chart is drawn: its title and legend appear.
    assert!(rendered.contains("Địa phương đề xuất"), "chart legend");
    let pages = pdf_pages(&pdf);
    assert!((3..=4).contains(&pages), "sample report takes 3 or 4 pages in LibreOffice, got {pages}");
    // Page 2 starts with its number; page 1 has none.
    let page_texts: Vec<&str> = text.split('\u{c}').collect();
    assert_eq!(page_texts[1].lines().next().map(str::trim), Some("2"));
    assert_ne!(page_texts[0].lines().next().map(str::trim), Some("1"));
}

#[test]
fn libreoffice_paginates_a_long_report_like_our_pdf() {
    let Some(fonts) = crate::support::fonts() else {
        return;
    };
    let doc = sample::long_report(14);
    let ours = tiendo_export::pdf::page_count(&doc, &fonts).unwrap();
    let Some((_dir, pdf)) = libreoffice_pdf(&tiendo_export::docx(&doc).unwrap(), "dai") else {
        return;
    };
    let theirs = pdf_pages(&pdf);
    let diff = ours.abs_diff(theirs);
    assert!(diff * 10 <= ours.max(10), "our PDF has {ours} pages, LibreOffice's {theirs}");
}
