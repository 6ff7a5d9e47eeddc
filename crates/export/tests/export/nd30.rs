//! The presentation rules of Nghị định 30/2020/NĐ-CP (Phụ lục I) that a clerk checks on every
//! document, for every kind, on the files themselves: our PDF read back with poppler-utils, and the
//! DOCX as LibreOffice lays it out (skipped without LibreOffice unless `TIENDO_REQUIRE_LIBREOFFICE=1`).

use std::path::{Path, PathBuf};

use tiendo_export::kinds::DocumentKind;
use tiendo_export::model::{Authority, Block, Cell, Document, Table};
use tiendo_export::official::HeadingCounter;
use tiendo_export::pdf::FontSet;
use tiendo_export::sample;

use crate::docx::docx_paragraphs;
use crate::support::{Page, fonts, libreoffice_pdfs, pdf_text_styles, pdf_words, tool_available, zip_part};

const PT_PER_MM: f32 = 72.0 / 25.4;

/// Our PDFs of `docs` in a temporary folder, with the fonts given.
fn our_pdfs(docs: &[(String, Document)], fonts: &FontSet) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = docs
        .iter()
        .map(|(name, doc)| {
            let path = dir.path().join(format!("{name}.pdf"));
            std::fs::write(&path, tiendo_export::pdf(doc, fonts).unwrap()).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

/// PDFs to check, each with a label for messages, and the folders that hold them.
struct Renderings {
    _dirs: Vec<tempfile::TempDir>,
    pdfs: Vec<(String, PathBuf)>,
}

/// The PDFs to check for `docs`: ours (with the fonts installed, and with the embedded fallback
/// when `fallback`), then LibreOffice's of the DOCX.
fn renderings(docs: &[(String, Document)], fallback: bool) -> Option<Renderings> {
    let fonts = fonts()?;
    if !tool_available("pdftotext", "poppler-utils") {
        return None;
    }
    let mut dirs = Vec::new();
    let mut out = Vec::new();
    let mut sets = vec![("pdf", fonts)];
    if fallback {
        sets.push(("pdf-libertinus", FontSet::embedded().unwrap()));
    }
    for (label, set) in &sets {
        let (dir, paths) = our_pdfs(docs, set);
        out.extend(docs.iter().zip(paths).map(|((name, _), p)| (format!("{name} ({label})"), p)));
        dirs.push(dir);
    }
    let docx: Vec<(String, Vec<u8>)> =
        docs.iter().map(|(name, doc)| (name.clone(), tiendo_export::docx(doc).unwrap())).collect();
    if let Some((dir, paths)) = libreoffice_pdfs(&docx) {
        out.extend(docs.iter().zip(paths).map(|((name, _), p)| (format!("{name} (docx in LibreOffice)"), p)));
        dirs.push(dir);
    }
    Some(Renderings { _dirs: dirs, pdfs: out })
}

fn every_kind() -> Vec<(String, Document)> {
    DocumentKind::ALL.iter().map(|k| (k.id().to_owned(), sample::sample_document(*k).unwrap())).collect()
}

/// The left edge of the text block and the edge between the two columns of the header (the
/// authority on the left, 38 % of the text block; the national title on the right).
const LEFT_MARGIN: f32 = 30.0 * PT_PER_MM;
const HEADER_SPLIT: f32 = LEFT_MARGIN + 0.38 * 165.0 * PT_PER_MM;

/// The lines of the header's two columns on page 1 (above the number line), as text.
fn header_columns(page: &Page) -> (Vec<String>, Vec<String>) {
    let number = page.words.iter().find(|w| w.text.starts_with("Số")).expect("the number line").y0;
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for line in page.lines() {
        if line[0].y0 >= number - 1.0 {
            break;
        }
        let side = |left_side: bool| {
            line.iter()
                .filter(|w| ((w.x0 + w.x1) / 2.0 < HEADER_SPLIT) == left_side)
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for (column, text) in [(&mut left, side(true)), (&mut right, side(false))] {
            if !text.is_empty() {
                column.push(text);
            }
        }
    }
    (left, right)
}

/// Words that make one word or name together: a line must not end between them.
const UNBREAKABLE: &[(&str, &str)] = &[
    ("KHOA", "HỌC"),
    ("CÔNG", "NGHỆ"),
    ("QUẢNG", "NINH"),
    ("TỈNH", "QUẢNG"),
    ("ỦY", "BAN"),
    ("BAN", "NHÂN"),
    ("NHÂN", "DÂN"),
    ("NÔNG", "NGHIỆP"),
    ("MÔI", "TRƯỜNG"),
    ("TRUNG", "TÂM"),
    ("ỨNG", "DỤNG"),
    ("TIẾN", "BỘ"),
    ("CỘNG", "HÒA"),
    ("XÃ", "HỘI"),
    ("CHỦ", "NGHĨA"),
    ("VIỆT", "NAM"),
    ("Độc", "lập"),
    ("Tự", "do"),
    ("Hạnh", "phúc"),
];

/// The lines break only between word groups and hold exactly `expected`.
fn assert_grouped(lines: &[String], expected: &str, what: &str) {
    let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(words.join(" "), expected, "{what}: the lines are {lines:?}");
    for pair in lines.windows(2) {
        let last = pair[0].split_whitespace().last().unwrap_or_default();
        let first = pair[1].split_whitespace().next().unwrap_or_default();
        assert!(
            !UNBREAKABLE.contains(&(last, first)) && last != "VÀ",
            "{what}: a line ends inside a word group ({last} / {first}): {lines:?}"
        );
    }
}

#[test]
fn the_authority_and_the_national_title_break_only_between_word_groups() {
    let mut docs = every_kind();
    for (i, (parent, name)) in [
        ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TRUNG TÂM ỨNG DỤNG TIẾN BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut doc = sample::sample_document(DocumentKind::Report).unwrap();
        doc.authority = Authority { parent: Some(parent.into()), name: name.into() };
        docs.push((format!("authority-{i}"), doc));
    }
    let Some(Renderings { pdfs, _dirs }) = renderings(&docs, true) else { return };
    for (label, path) in &pdfs {
        let doc = &docs.iter().find(|(n, _)| label.starts_with(n.as_str())).unwrap().1;
        let (left, right) = header_columns(&pdf_words(path)[0]);
        let authority = format!("{} {}", doc.authority.parent.clone().unwrap_or_default(), doc.authority.name);
        assert_grouped(&left, &authority, &format!("{label}, issuing authority"));
        let title_lines: Vec<String> = right.iter().filter(|l| l.chars().any(|c| c.is_uppercase())).cloned().collect();
        assert_grouped(
            &title_lines,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
            &format!("{label}, national title and motto"),
        );
    }
}

/// Who signs the sample document of `kind`: (position, name) from left to right.
fn signers(kind: DocumentKind) -> Vec<(&'static str, &'static str)> {
    match kind {
        DocumentKind::Minutes => vec![("THƯ KÝ", "Lê Văn Đức"), ("CHỦ TỊCH HỘI ĐỒNG", "Nguyễn Đắc Bình Minh")],
        _ => vec![("GIÁM ĐỐC", "Hoàng Bá Nam")],
    }
}

#[test]
fn every_kind_names_its_signers_under_room_to_sign_and_seal() {
    let docs = every_kind();
    for (kind, (_, doc)) in DocumentKind::ALL.iter().zip(&docs) {
        let text = tiendo_export::plain_text(doc).unwrap();
        for (position, name) in signers(*kind) {
            assert!(text.contains(position) && text.contains(name), "{}: {position} {name} in\n{text}", kind.id());
        }
    }
    let Some(Renderings { pdfs, _dirs }) = renderings(&docs, false) else { return };
    for (label, path) in &pdfs {
        let kind = DocumentKind::ALL.into_iter().find(|k| label.starts_with(k.id())).unwrap();
        let pages = pdf_words(path);
        let last = pages.last().unwrap();
        let mut blocks = Vec::new();
        for (position, name) in signers(kind) {
            let name_box = last.find(name, f32::MAX).unwrap_or_else(|| panic!("{label}: no {name} on the last page"));
            let position_box =
                last.find(position, name_box.1).unwrap_or_else(|| panic!("{label}: no {position} above {name}"));
            let room = (name_box.1 - position_box.3) / PT_PER_MM;
            assert!(room >= 20.0, "{label}: {room:.0} mm to sign between {position} and {name}");
            blocks.push(position_box);
        }
        if let [secretary, chair] = blocks[..] {
            assert!((secretary.1 - chair.1).abs() < 2.0, "{label}: the two signatures stand side by side");
            assert!(secretary.2 < chair.0, "{label}: the secretary signs on the left, the chair on the right");
            assert!(!pages.iter().any(|p| p.text().contains("Nơi nhận")), "{label}: minutes have no recipients");
        }
    }
}

#[test]
fn a_signature_without_the_signer_s_name_says_so_in_every_format() {
    let marker = "[Chưa có họ tên người ký]";
    let mut doc = sample::sample_document(DocumentKind::Report).unwrap();
    doc.signature.signer = String::new();
    assert!(tiendo_export::plain_text(&doc).unwrap().contains(marker));
    let paragraphs = docx_paragraphs(&tiendo_export::docx(&doc).unwrap());
    assert!(paragraphs.iter().any(|p| p == marker), "{paragraphs:?}");
    let docs = vec![("unsigned".to_owned(), doc)];
    let Some(Renderings { pdfs, _dirs }) = renderings(&docs, false) else { return };
    for (label, path) in &pdfs {
        let last = pdf_words(path).pop().unwrap();
        assert!(last.text().contains(marker), "{label}: {}", last.text());
    }
}

#[test]
fn the_legal_bases_of_a_decision_are_italic_and_its_articles_upright() {
    let doc = sample::sample_document(DocumentKind::Decision).unwrap();
    let xml = zip_part(&tiendo_export::docx(&doc).unwrap(), "word/document.xml");
    let parsed = roxmltree::Document::parse(&xml).unwrap();
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    fn w(name: &str) -> (&'static str, &str) {
        (W, name)
    }
    let mut bases = 0;
    for p in parsed.descendants().filter(|n| n.has_tag_name(w("p"))) {
        let runs: Vec<_> = p.children().filter(|n| n.has_tag_name(w("r"))).collect();
        let text: String =
            p.descendants().filter(|n| n.has_tag_name(w("t"))).filter_map(|t| t.text()).collect::<String>();
        let italic = |r: &roxmltree::Node| r.descendants().any(|n| n.has_tag_name(w("i")));
        if text.starts_with("Căn cứ") || text.starts_with("Theo đề nghị") {
            bases += 1;
            assert!(runs.iter().all(italic), "a basis is italic: {text}");
        }
        if text.starts_with("Điều ") {
            assert!(!runs.iter().any(italic), "an article is upright: {text}");
        }
    }
    assert_eq!(bases, 3, "two bases and the proposal");
    let docs = vec![("decision".to_owned(), doc)];
    if !tool_available("pdftohtml", "poppler-utils") {
        return;
    }
    let Some(Renderings { pdfs, _dirs }) = renderings(&docs, false) else { return };
    for (label, path) in &pdfs {
        let pieces = pdf_text_styles(path);
        let bases: Vec<&(String, bool)> = pieces.iter().filter(|(t, _)| t.starts_with("Căn cứ")).collect();
        assert_eq!(bases.len(), 2, "{label}: {pieces:?}");
        for (text, italic) in bases {
            assert!(italic, "{label}: `{text}` is upright");
        }
        let article = pieces.iter().find(|(t, _)| t.starts_with("Điều 2.")).expect("Điều 2.");
        assert!(!article.1, "{label}: {article:?}");
    }
}

#[test]
fn a_draft_leaves_room_for_the_clerk_to_write_its_number() {
    let mut doc = sample::sample_document(DocumentKind::ConclusionNotice).unwrap();
    doc.number.number = 0;
    let docs = vec![("draft".to_owned(), doc)];
    let Some(Renderings { pdfs, _dirs }) = renderings(&docs, true) else { return };
    for (label, path) in &pdfs {
        let page = &pdf_words(path)[0];
        let line = page.lines().into_iter().find(|l| l[0].text == "Số:").expect("the number line");
        let symbol = line.iter().find(|w| w.text.ends_with("/TB-SKHCN")).expect("the symbol");
        assert_eq!(symbol.text, "/TB-SKHCN", "{label}: no number is printed");
        let room = (symbol.x0 - line[0].x1) / PT_PER_MM;
        assert!(room >= 12.0, "{label}: {room:.1} mm left for the number");
    }
}

/// The last paragraph of the body: what the signature must stand with.
fn closing_paragraph(doc: &Document) -> String {
    doc.body
        .iter()
        .rev()
        .find_map(|b| match b {
            Block::Paragraph(runs) => Some(runs.iter().map(|r| r.text.as_str()).collect::<String>()),
            _ => None,
        })
        .expect("a closing paragraph")
}

/// `doc` with `n` one-line paragraphs before its closing paragraph, moving the signature down.
fn padded(doc: &Document, n: usize) -> Document {
    let mut doc = doc.clone();
    let at = doc.body.iter().rposition(|b| matches!(b, Block::Paragraph(_))).unwrap();
    for i in 0..n {
        doc.body.insert(at, Block::paragraph(format!("Nội dung bổ sung thứ {}.", i + 1)));
    }
    doc
}

/// The signature page holds the closing paragraph whole and the recipients.
fn assert_signature_with_closing(label: &str, pages: &[Page], doc: &Document) {
    let name = doc.signature.signer.as_str();
    let at = pages.iter().rposition(|p| p.find(name, f32::MAX).is_some()).unwrap_or_else(|| panic!("{label}: {name}"));
    let page = pages[at].text().split_whitespace().collect::<Vec<_>>().join(" ");
    let closing = closing_paragraph(doc).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        page.contains(&closing),
        "{label}: page {} with the signature lacks the closing paragraph:\n{page}",
        at + 1
    );
    if !doc.recipients.is_empty() {
        assert!(page.contains("Nơi nhận:"), "{label}: the recipients are with the signature");
    }
}

#[test]
fn the_signature_and_the_recipients_stay_with_the_closing_paragraph() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let mut for_libreoffice = Vec::new();
    let mut docs = every_kind();
    docs.push(("sample-report".into(), sample::sample_report()));
    for (name, base) in &docs {
        // Enough padding to move the signature across the foot of the first page.
        let variants: Vec<(String, Document)> = (0..=36).map(|n| (format!("{name}-{n}"), padded(base, n))).collect();
        let (_dir, paths) = our_pdfs(&variants, &fonts);
        let mut pages_before = 0;
        for ((label, doc), path) in variants.iter().zip(&paths) {
            let pages = pdf_words(path);
            assert_signature_with_closing(label, &pages, doc);
            // Where the signature first needs another page, LibreOffice is checked too.
            if pages_before > 0 && pages.len() > pages_before {
                let n: usize = label.rsplit('-').next().unwrap().parse().unwrap();
                for_libreoffice.extend(variants[n.saturating_sub(3)..(n + 3).min(variants.len())].iter().cloned());
            }
            pages_before = pages.len();
        }
    }
    assert!(for_libreoffice.len() >= 5 * docs.len(), "each document's signature crossed a page end");
    let docx: Vec<(String, Vec<u8>)> =
        for_libreoffice.iter().map(|(n, d)| (n.clone(), tiendo_export::docx(d).unwrap())).collect();
    let Some((_dir, pdfs)) = libreoffice_pdfs(&docx) else { return };
    for ((label, doc), path) in for_libreoffice.iter().zip(&pdfs) {
        assert_signature_with_closing(&format!("{label} (docx in LibreOffice)"), &pdf_words(path), doc);
    }
}

/// A report shaped like the plan reports: sections whose heading is followed at once by a
/// captioned table of long rows, after `padding` lines of text.
fn sectioned_report(padding: usize) -> Document {
    let mut doc = sample::sample_document(DocumentKind::Report).unwrap();
    let closing = doc.body.pop().unwrap();
    for i in 0..padding {
        doc.body.push(Block::paragraph(format!("Nội dung bổ sung thứ {}.", i + 1)));
    }
    for s in 0..4 {
        doc.body.push(Block::heading(1, format!("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NHÓM {}", s + 1)));
        let row = |i: usize| {
            vec![
                Cell::number((i + 1).to_string()),
                Cell::text(
                    "Xây dựng kế hoạch và chương trình khung khoa học và công nghệ cho thị xã Quảng Yên, phối hợp với Viện Nghiên cứu và Phát triển Vùng",
                ),
                Cell::text("UBND thị xã Quảng Yên"),
                Cell::text("Đang thực hiện"),
            ]
        };
        doc.body.push(Block::Table(Table {
            columns: vec![0.6, 4.0, 2.0, 1.6],
            header: vec![vec![
                Cell::header("TT"),
                Cell::header("Nhiệm vụ"),
                Cell::header("Đơn vị chủ trì"),
                Cell::header("Tình trạng"),
            ]],
            rows: (0..5).map(row).collect(),
            caption: Some(format!("Bảng {}. Các nhiệm vụ nhóm {}", s + 1, s + 1)),
        }));
        doc.body.push(Block::heading(2, "Đánh giá"));
        doc.body.push(Block::paragraph("Các đơn vị cơ bản hoàn thành nhiệm vụ được giao theo kế hoạch.".repeat(3)));
    }
    doc.body.push(closing);
    doc
}

/// The headings and captions of `doc` as printed (`I. TÌNH HÌNH …`, `Bảng 1. …`).
fn headings(doc: &Document) -> Vec<String> {
    let mut counter = HeadingCounter::default();
    doc.body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text } => Some(format!("{} {text}", counter.next(*level))),
            Block::Table(t) => t.caption.clone(),
            _ => None,
        })
        .collect()
}

/// No page ends with a heading or a caption: each stands with what follows it.
fn assert_no_stranded_heading(label: &str, pages: &[Page], doc: &Document) {
    let headings = headings(doc);
    for (i, page) in pages.iter().enumerate().take(pages.len() - 1) {
        let text = page.text();
        let last = text.lines().last().unwrap_or_default().trim();
        let stranded = headings.iter().any(|h| h.contains(last) || last.contains(h.as_str()));
        assert!(!stranded, "{label}: page {} ends with the heading `{last}`", i + 1);
    }
}

fn path_label(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn no_heading_or_caption_is_left_at_the_foot_of_a_page() {
    let Some(fonts) = fonts() else { return };
    if !tool_available("pdftotext", "poppler-utils") {
        return;
    }
    let variants: Vec<(String, Document)> = (0..=30).map(|n| (format!("sections-{n}"), sectioned_report(n))).collect();
    let (_dir, paths) = our_pdfs(&variants, &fonts);
    for ((_, doc), path) in variants.iter().zip(&paths) {
        assert_no_stranded_heading(&format!("{} (pdf)", path_label(path)), &pdf_words(path), doc);
    }
    let some: Vec<(String, Vec<u8>)> =
        variants.iter().step_by(3).map(|(n, d)| (n.clone(), tiendo_export::docx(d).unwrap())).collect();
    let Some((_dir, pdfs)) = libreoffice_pdfs(&some) else { return };
    for ((name, _), path) in some.iter().zip(&pdfs) {
        let doc = &variants.iter().find(|(n, _)| n == name).unwrap().1;
        assert_no_stranded_heading(&format!("{name} (docx in LibreOffice)"), &pdf_words(path), doc);
    }
}

#[test]
fn tables_are_numbered_in_order_whatever_numbers_the_caller_wrote() {
    let mut doc = sample::sample_document(DocumentKind::Report).unwrap();
    for n in [1, 3] {
        let mut table = sample::sample_indicator_table();
        table.caption = Some(format!("Bảng {n}. Chỉ tiêu"));
        doc.body.push(Block::Table(table));
    }
    let text = tiendo_export::plain_text(&doc).unwrap();
    assert!(text.contains("Bảng 1. Chỉ tiêu") && text.contains("Bảng 2. Chỉ tiêu"), "{text}");
    assert!(!text.contains("Bảng 3."), "{text}");
}

#[test]
fn the_clerk_s_checks_pass_on_every_kind_and_catch_what_nd30_forbids() {
    use tiendo_export::checks;
    let docs = every_kind();
    let mut all = Vec::new();
    for (name, doc) in &docs {
        let bytes = tiendo_export::docx(doc).unwrap();
        all.extend(checks::docx::problems(&bytes).into_iter().map(|p| format!("{name}: {p}")));
        let facts = checks::docx::facts(&bytes).unwrap();
        assert!(!facts.signers.is_empty() && !facts.closing.is_empty(), "{name}: {facts:?}");
    }
    assert!(all.is_empty(), "{all:#?}");
    if let Some(Renderings { pdfs, _dirs }) = renderings(&docs, true) {
        for (label, path) in &pdfs {
            let doc = &docs.iter().find(|(n, _)| label.starts_with(n.as_str())).unwrap().1;
            let facts = checks::docx::facts(&tiendo_export::docx(doc).unwrap()).unwrap();
            let problems = checks::pdf::problems(path, &facts);
            assert!(problems.is_empty(), "{label}: {problems:#?}");
        }
    }

    // What the checks must find, written into the sample decision's XML as main wrote it before.
    let decision = tiendo_export::docx(&sample::sample_document(DocumentKind::Decision).unwrap()).unwrap();
    let faulty = crate::support::edit_part(&decision, "word/document.xml", |xml| {
        xml.replace("<w:i/><w:iCs/>", "")
            .replace("<w:keepNext/>", "")
            .replace("SỞ KHOA HỌC</w:t>", "SỞ KHOA HỌC VÀ CÔNG</w:t>")
            .replace(">VÀ CÔNG NGHỆ</w:t>", ">NGHỆ</w:t>")
            .replace("Hoàng Bá Nam", "[Chưa có họ tên người ký]")
    });
    let problems = checks::docx::problems(&faulty);
    for expected in ["legal basis is not italic", "closing paragraph", "word group", "no name"] {
        assert!(problems.iter().any(|p| p.contains(expected)), "{expected}: {problems:#?}");
    }
    let mut facts = checks::docx::facts(&decision).unwrap();
    facts.summary = "Kết quả thực hiện Thực hiện Nghị quyết 07-NQ/TU về khoa học 07-NQ/TU".into();
    facts.table_text.push("Quá hạn (2166 ngày)".into());
    facts.body.push("Bảng 1. A".into());
    facts.body.push("Bảng 3. B".into());
    let problems = checks::text_problems(&facts);
    for expected in ["repeats `thực hiện`", "repeats `07-NQ/TU`", "2166 ngày", "[1, 3]"] {
        assert!(problems.iter().any(|p| p.contains(expected)), "{expected}: {problems:#?}");
    }
}
