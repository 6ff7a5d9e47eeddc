//! What a clerk checks on a generated file, as code (feature `checks`, for tests): the presentation
//! rules of Nghị định 30/2020/NĐ-CP (Phụ lục I) on a DOCX and on any PDF of it, and the print set-up
//! and translated headings of a spreadsheet.
//!
//! The checks read the files only (the DOCX XML, the PDF through poppler-utils' `pdftotext` and
//! `pdftohtml`, the XLSX sheet XML), never the model that produced them, so they hold for a document
//! from any producer: the engine's samples here, every document the application generates in the
//! crates that use this one.
//!
//! ```no_run
//! use tiendo_export::checks;
//!
//! let bytes = std::fs::read("bao-cao.docx").unwrap();
//! let facts = checks::docx::facts(&bytes).unwrap();
//! let mut problems = checks::docx::problems(&bytes);
//! problems.extend(checks::pdf::problems(std::path::Path::new("bao-cao.pdf"), &facts));
//! assert!(problems.is_empty(), "{problems:#?}");
//! ```

pub mod docx;
pub mod pdf;
pub mod xlsx;

/// What the engine prints where a signer's name is missing (`model::Signature::MISSING_SIGNER`),
/// written out so that the checks read any file, of this engine or another.
const MISSING_SIGNER: &str = "[Chưa có họ tên người ký]";

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// What the DOCX of an official document states, against which any PDF of it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The lines of the header's left column: the parent authority and the issuing authority
    /// (`UBND TỈNH QUẢNG NINH`, `SỞ KHOA HỌC`, `VÀ CÔNG NGHỆ`).
    pub authority_lines: Vec<String>,
    /// The lines of the header's right column above the date: the national title and the motto.
    pub title_lines: Vec<String>,
    /// The number line (`Số: 45/BC-SKHCN`).
    pub number_line: String,
    /// The type line (`BÁO CÁO`).
    pub kind_title: String,
    /// The trích yếu under the type line.
    pub summary: String,
    /// The paragraphs of the body, in order.
    pub body: Vec<String>,
    /// The text of the cells of the body's tables.
    pub table_text: Vec<String>,
    /// The last paragraph of the body, which must stand with the signature.
    pub closing: String,
    /// Each signature, left to right: its position line just above the signing space and the name
    /// under it.
    pub signers: Vec<(String, String)>,
    /// Whether the document has a Nơi nhận.
    pub recipients: bool,
}

impl Facts {
    /// Whether the document is a draft waiting for its number (`Số:   /TB-SKHCN`).
    pub fn is_draft(&self) -> bool {
        let after = self.number_line.trim_start_matches("Số:").trim_start_matches(|c: char| c.is_whitespace());
        !after.starts_with(|c: char| c.is_ascii_digit())
    }

    /// The headings and table captions of the body (`I. TÌNH HÌNH CHUNG`, `Bảng 1. …`): what must
    /// not be left at the foot of a page. A figure's caption (`Hình 1. …`) stands under its figure,
    /// so it is not one.
    pub fn headings(&self) -> Vec<&str> {
        self.body.iter().map(String::as_str).filter(|p| is_heading(p)).collect()
    }

    /// The legal bases of a decision (`Căn cứ …`).
    pub fn legal_bases(&self) -> Vec<&str> {
        self.body.iter().map(String::as_str).filter(|p| p.starts_with("Căn cứ")).collect()
    }
}

/// Whether a paragraph reads as a heading or a table caption (which stands above its table): a
/// Roman or Arabic section number before a short title, or `Bảng N.`.
pub fn is_heading(text: &str) -> bool {
    let t = text.trim();
    if caption_number(t, "Bảng").is_some() {
        return true;
    }
    if caption_number(t, "Hình").is_some() {
        return false;
    }
    let Some((label, rest)) = t.split_once(' ') else { return false };
    let numbered = label.strip_suffix('.').is_some_and(|n| {
        !n.is_empty() && (n.chars().all(|c| "IVXLC".contains(c)) || n.chars().all(|c| c.is_ascii_digit() || c == '.'))
    });
    // Sections are short and in capitals ("I. TÌNH HÌNH CHUNG"), subsections short ("1. Đánh giá").
    numbered && rest.chars().count() <= 90 && !rest.ends_with(['.', ';', ':'])
}

/// The number of a caption `Bảng 3. …` (for `word` = `Bảng`).
pub fn caption_number(text: &str, word: &str) -> Option<u32> {
    let rest = text.strip_prefix(word)?.strip_prefix(' ')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !rest[digits.len()..].starts_with('.') {
        return None;
    }
    digits.parse().ok()
}

/// Pairs of words that make one word or one name: a line of a heading must not end between them.
pub const UNBREAKABLE: &[(&str, &str)] = &[
    ("KHOA", "HỌC"),
    ("CÔNG", "NGHỆ"),
    ("CÔNG", "NGHIỆP"),
    ("THƯƠNG", "MẠI"),
    ("QUẢNG", "NINH"),
    ("ỦY", "BAN"),
    ("BAN", "NHÂN"),
    ("NHÂN", "DÂN"),
    ("HỘI", "ĐỒNG"),
    ("NÔNG", "NGHIỆP"),
    ("MÔI", "TRƯỜNG"),
    ("TÀI", "NGUYÊN"),
    ("TRUNG", "TÂM"),
    ("ỨNG", "DỤNG"),
    ("TIẾN", "BỘ"),
    ("PHÁT", "TRIỂN"),
    ("NGHIÊN", "CỨU"),
    ("ĐO", "LƯỜNG"),
    ("TIÊU", "CHUẨN"),
    ("CHẤT", "LƯỢNG"),
    ("THÔNG", "TIN"),
    ("TRUYỀN", "THÔNG"),
    ("THÀNH", "PHỐ"),
    ("THỊ", "XÃ"),
    ("CỘNG", "HÒA"),
    ("XÃ", "HỘI"),
    ("CHỦ", "NGHĨA"),
    ("VIỆT", "NAM"),
    ("Độc", "lập"),
    ("Tự", "do"),
    ("Hạnh", "phúc"),
];

/// Words after which a heading line must not end: they introduce what follows.
const LEADING_WORDS: &[&str] = &["VÀ", "VỀ", "CỦA", "CHO", "TẠI", "TỈNH", "HUYỆN", "-"];

/// Problems of the lines of a header block: a line that ends inside a word group, or on a word that
/// leads into the next line.
pub fn word_group_problems(lines: &[String], what: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for pair in lines.windows(2) {
        let last = pair[0].split_whitespace().last().unwrap_or_default();
        let first = pair[1].split_whitespace().next().unwrap_or_default();
        if UNBREAKABLE.contains(&(last, first)) || LEADING_WORDS.contains(&last) {
            problems.push(format!("{what}: a line ends inside a word group (`{last}` / `{first}`) in {lines:?}"));
        }
    }
    problems
}

/// Problems of the text of a document, whatever the format: a missing signer, a number of four
/// digits or more without its thousands separator, captions numbered out of order, a trích yếu
/// that repeats itself, minutes with recipients.
pub fn text_problems(facts: &Facts) -> Vec<String> {
    let mut problems = Vec::new();
    if facts.signers.is_empty() {
        problems.push("no signature block".to_owned());
    }
    for (position, name) in &facts.signers {
        if name.contains(MISSING_SIGNER) || name.trim().is_empty() {
            problems.push(format!("`{position}` signs with no name under it"));
        } else if !name.chars().any(char::is_lowercase) {
            problems.push(format!("`{position}` is not followed by a name but by `{name}`"));
        }
    }
    for text in facts.body.iter().chain(&facts.table_text).chain([&facts.summary]) {
        problems.extend(unseparated_numbers(text).into_iter().map(|n| format!("`{n}` lacks its thousands separator")));
    }
    for word in ["Bảng", "Hình"] {
        let numbers: Vec<u32> = facts.body.iter().filter_map(|p| caption_number(p, word)).collect();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        if numbers != expected {
            problems.push(format!("{word} captions are numbered {numbers:?}, not {expected:?}"));
        }
    }
    problems.extend(repetitions(&facts.summary).into_iter().map(|r| format!("the trích yếu repeats `{r}`")));
    if facts.kind_title.starts_with("BIÊN BẢN") {
        let positions: Vec<&str> = facts.signers.iter().map(|(p, _)| p.as_str()).collect();
        if positions.first() != Some(&"THƯ KÝ") || positions.len() != 2 {
            problems.push(format!("minutes are signed by the secretary and the chair, not {positions:?}"));
        }
        if facts.recipients {
            problems.push("minutes have no Nơi nhận".to_owned());
        }
    }
    problems
}

/// Integers of four digits or more printed without a thousands separator and counted in something
/// (`2166 ngày`); years (`năm 2025`, `2017–2020`) and symbols (`128/KH-UBND`) are not counts.
pub fn unseparated_numbers(text: &str) -> Vec<String> {
    const UNITS: &[&str] = &["ngày", "nhiệm", "lượt", "đồng", "người", "doanh", "hồ", "tỷ", "triệu", "đơn", "xã"];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let digits = w.trim_start_matches(['(', '[']).trim_end_matches([',', ';', '.', ')']);
        let next = words.get(i + 1).map(|n| n.trim_end_matches([',', ';', '.', ')'])).unwrap_or_default();
        if digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) && UNITS.contains(&next) {
            found.push(format!("{digits} {next}"));
        }
    }
    found
}

/// What a text says twice: a run of two or more words repeated at once (`Thực hiện Thực hiện`), or
/// a document symbol (`07-NQ/TU`) named twice.
pub fn repetitions(text: &str) -> Vec<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut found = Vec::new();
    for n in 2..=4 {
        for i in 0..words.len().saturating_sub(2 * n - 1) {
            if words[i..i + n] == words[i + n..i + 2 * n] {
                found.push(words[i..i + n].join(" "));
            }
        }
    }
    let symbols: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | '.' | '(' | ')')))
        .filter(|w| w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    for (i, s) in symbols.iter().enumerate() {
        if symbols[..i].contains(s) {
            found.push((*s).to_owned());
        }
    }
    found
}

/// Whether a text looks like a message key rather than words (`export-col-no`,
/// `EXPORT-ASSIGNMENTS-TITLE`, `status_overdue`): no space, parts joined by `-` or `_`, each
/// starting with a letter.
pub fn looks_like_key(text: &str) -> bool {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['-', '_']).collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.starts_with(|c: char| c.is_ascii_alphabetic()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_without_separators_are_found_and_years_are_not() {
        assert_eq!(unseparated_numbers("Quá hạn (2166 ngày); năm 2025, 2.166 ngày"), ["2166 ngày"]);
        assert!(unseparated_numbers("giai đoạn 2017–2020, Kế hoạch số 128/KH-UBND").is_empty());
    }

    #[test]
    fn a_summary_that_repeats_itself_is_found() {
        assert_eq!(
            repetitions("Kết quả thực hiện Thực hiện Nghị quyết 07-NQ/TU về khoa học 07-NQ/TU"),
            ["thực hiện", "07-NQ/TU"]
        );
        assert!(repetitions("Kết quả thực hiện Kế hoạch thực hiện Nghị quyết 57-NQ/TW").is_empty());
    }

    #[test]
    fn headings_and_captions_are_told_from_paragraphs() {
        assert!(is_heading("I. TÌNH HÌNH CHUNG"));
        assert!(is_heading("Bảng 2. Kết quả thực hiện các chỉ tiêu"));
        assert!(is_heading("1. Đánh giá"));
        assert!(!is_heading("Hình 1. Tình hình thực hiện nhiệm vụ"));
        assert!(!is_heading("Tính đến ngày 05/3/2026, có 12 lượt nhiệm vụ được giao."));
        assert!(!is_heading("Điều 1. Phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2026."));
        assert_eq!(caption_number("Bảng 12. X", "Bảng"), Some(12));
        assert_eq!(caption_number("Bảng X", "Bảng"), None);
    }

    #[test]
    fn lines_broken_inside_a_word_group_are_found() {
        let lines = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(word_group_problems(&lines(&["SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"]), "x").is_empty());
        assert_eq!(word_group_problems(&lines(&["SỞ KHOA HỌC VÀ CÔNG", "NGHỆ"]), "x").len(), 1);
        assert_eq!(word_group_problems(&lines(&["SỞ KHOA HỌC VÀ", "CÔNG NGHỆ"]), "x").len(), 1);
        assert_eq!(word_group_problems(&lines(&["ỦY BAN NHÂN DÂN TỈNH", "QUẢNG NINH"]), "x").len(), 1);
    }

    #[test]
    fn message_keys_are_told_from_words_and_codes() {
        for key in ["export-col-no", "EXPORT-ASSIGNMENTS-TITLE", "status_overdue", "export-filter-status"] {
            assert!(looks_like_key(key), "{key}");
        }
        for text in ["Số TT", "NV-01", "07-NQ/TU", "Quá hạn", "KHCN.CHI.CAP", "2025-07-01", "Ghi chú"] {
            assert!(!looks_like_key(text), "{text}");
        }
    }
}
