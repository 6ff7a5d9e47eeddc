//! The document model: what an official document contains, independent of DOCX or PDF.
//!
//! A [`Document`] holds the parts named by Nghị định 30/2020/NĐ-CP (Phụ lục I): the issuing
//! authority, the number and symbol, the place and date, the type and summary (trích yếu), the
//! body, the signature and the recipients (Nơi nhận). The writers turn it into the prescribed
//! layout; callers never place anything on a page themselves.

use chrono::NaiveDate;
use tiendo_core::directory::Honorific;

use crate::chart::Chart;
use crate::image::Image;
pub use crate::official::{DocumentNumber, DocumentSystem, SigningMode};

/// An official document.
#[derive(Debug, Clone)]
pub struct Document {
    /// State or Party rules.
    pub system: DocumentSystem,
    /// Cơ quan ban hành: the issuing authority and its parent.
    pub authority: Authority,
    /// Số, ký hiệu.
    pub number: DocumentNumber,
    /// Địa danh: the place written before the date, e.g. `Quảng Ninh`.
    pub place: String,
    /// Ngày ban hành.
    pub date: NaiveDate,
    /// Tên loại: the document type as printed, e.g. `BÁO CÁO` (upper case).
    pub kind_title: String,
    /// Trích yếu nội dung: the one-line summary under the type.
    pub summary: String,
    /// Nội dung.
    pub body: Vec<Block>,
    /// Chữ ký: authority, position and signer, on the right under the content.
    pub signature: Signature,
    /// The second signature of a document signed by two (the secretary, thư ký, of minutes
    /// whose chair signs [`Document::signature`]): printed on the left, beside the first.
    pub secretary: Option<Signature>,
    /// Nơi nhận: recipients, one line each (the writer adds the leading dash).
    pub recipients: Vec<String>,
    /// Phụ lục: what follows the signature, from a new page (the appendices of a contract, which its
    /// parties sign above and which stay part of it). Empty for most documents.
    pub annex: Vec<Block>,
    /// Page geometry and type size.
    pub page: PageSetup,
}

/// Cơ quan ban hành văn bản.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// Cơ quan chủ quản, e.g. `UBND TỈNH QUẢNG NINH`; printed upper case, not bold.
    pub parent: Option<String>,
    /// The issuing body, e.g. `SỞ KHOA HỌC VÀ CÔNG NGHỆ`; printed upper case and bold.
    pub name: String,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `KT.`, `TL.`, `TM.`...; `None` when the head signs in their own name.
    pub mode: Option<SigningMode>,
    /// The authority after the prefix: `GIÁM ĐỐC` in `KT. GIÁM ĐỐC`, `ỦY BAN NHÂN DÂN` in
    /// `TM. ỦY BAN NHÂN DÂN`. Ignored without a mode.
    pub on_behalf_of: Option<String>,
    /// The signer's position, e.g. `PHÓ GIÁM ĐỐC`, or `GIÁM ĐỐC` when signing in own name. A line
    /// break prints a line above it: a party to a contract signs `ĐẠI DIỆN BÊN A` over `GIÁM ĐỐC`.
    pub position: String,
    /// The signer's full name, e.g. `Hoàng Bá Nam`, without academic titles (Nghị định 30 writes
    /// no `TS.` before it). When empty, the document prints [`Signature::MISSING_SIGNER`] in its
    /// place, so that a document nobody can sign is seen at once rather than sent.
    pub signer: String,
}

impl Signature {
    /// What a document prints instead of the signer's name when the caller gave none.
    pub const MISSING_SIGNER: &'static str = "[Chưa có họ tên người ký]";

    /// The name printed under the signing space: the signer's without an academic title or degree
    /// in front (`TS. Nguyễn Đắc Bình Minh` signs `Nguyễn Đắc Bình Minh`, as Nghị định 30 wants), or
    /// [`Signature::MISSING_SIGNER`].
    pub fn signer_line(&self) -> String {
        let words: Vec<&str> = self.signer.split_whitespace().collect();
        // The longest run of leading words that reads as a title and a degree ("PGS.", "TS.").
        let titles = (0..=words.len())
            .rev()
            .find(|&n| {
                n > 0
                    && words[..n].iter().all(|w| w.ends_with('.'))
                    && Honorific::parse(&words[..n].join(" ")).is_ok_and(|h| h != Honorific::default())
            })
            .unwrap_or(0);
        match words[titles..].join(" ") {
            name if name.is_empty() => Signature::MISSING_SIGNER.to_owned(),
            name => name,
        }
    }

    /// Whether the caller gave the signer's name.
    pub fn has_signer(&self) -> bool {
        self.signer_line() != Signature::MISSING_SIGNER
    }

    /// The upper lines of the block, without the signer: `["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]`, or
    /// `["ĐẠI DIỆN BÊN A", "GIÁM ĐỐC"]` for a position of two lines.
    pub fn authority_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(mode) = self.mode {
            let whom = self.on_behalf_of.as_deref().unwrap_or("");
            lines.push(format!("{} {}", mode.prefix(), whom).trim_end().to_owned());
        }
        lines.extend(self.position.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
        lines
    }
}

/// Page geometry in millimetres and the body type size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Page width (A4: 210).
    pub width_mm: f32,
    /// Page height (A4: 297).
    pub height_mm: f32,
    /// Top margin (20–25).
    pub top_mm: f32,
    /// Bottom margin (20–25).
    pub bottom_mm: f32,
    /// Left margin (30–35).
    pub left_mm: f32,
    /// Right margin (15–20).
    pub right_mm: f32,
    /// Body text size (13–14).
    pub body_pt: f32,
}

impl Default for PageSetup {
    /// A4 portrait, margins 20/20/30/15 mm, 14 pt body: inside the ranges of Nghị định 30.
    fn default() -> Self {
        PageSetup {
            width_mm: 210.0,
            height_mm: 297.0,
            top_mm: 20.0,
            bottom_mm: 20.0,
            left_mm: 30.0,
            right_mm: 15.0,
            body_pt: 14.0,
        }
    }
}

impl PageSetup {
    /// Width of the text block.
    pub fn text_width_mm(&self) -> f32 {
        self.width_mm - self.left_mm - self.right_mm
    }
}

/// A piece of the body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading, numbered automatically by level (`I.`, `1.`, `1.1.`, `a)`).
    Heading {
        /// 1 to 4.
        level: u8,
        /// The heading text without its number.
        text: String,
    },
    /// A paragraph of running text, justified with a first-line indent.
    Paragraph(Vec<Run>),
    /// A centred line (the `QUYẾT ĐỊNH:` of a decision, the authority line above its bases).
    Centered(Vec<Run>),
    /// A list; each item is one paragraph with its label (`-`, `+`, `1.`, `a)`).
    List {
        /// How items are labelled.
        style: ListStyle,
        /// The items.
        items: Vec<Vec<Run>>,
    },
    /// A table, optionally with merged header cells.
    Table(Table),
    /// An image with its caption.
    Image(Figure<Image>),
    /// A chart with its caption; drawn as vectors in PDF and as a native chart in DOCX.
    Chart(Figure<Chart>),
    /// Start a new page.
    PageBreak,
}

impl Block {
    /// A plain paragraph.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph(vec![Run::plain(text)])
    }

    /// A heading at `level`.
    pub fn heading(level: u8, text: impl Into<String>) -> Block {
        Block::Heading { level, text: text.into() }
    }

    /// A dash list of plain items.
    pub fn dash_list<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Block {
        Block::List { style: ListStyle::Dash, items: items.into_iter().map(|t| vec![Run::plain(t)]).collect() }
    }
}

/// A stretch of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text (NFC).
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

impl Run {
    /// Upright, regular weight.
    pub fn plain(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: false, italic: false }
    }

    /// Bold.
    pub fn bold(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: true, italic: false }
    }

    /// Italic.
    pub fn italic(text: impl Into<String>) -> Run {
        Run { text: text.into(), bold: false, italic: true }
    }
}

/// How list items are labelled. Labels are written as text (not as Word numbering) so that the
/// DOCX and the PDF carry exactly the same characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `- item`, the usual first-level bullet of administrative documents.
    Dash,
    /// `+ item`, the usual second level.
    Plus,
    /// `1. item`.
    Decimal,
    /// `a) item`.
    Letter,
}

impl ListStyle {
    /// The label of the item at `index` (0-based).
    pub fn label(self, index: usize) -> String {
        match self {
            ListStyle::Dash => "-".to_owned(),
            ListStyle::Plus => "+".to_owned(),
            ListStyle::Decimal => format!("{}.", index + 1),
            ListStyle::Letter => {
                let letter = char::from_u32(u32::from('a') + (index % 26) as u32).unwrap_or('a');
                format!("{letter})")
            }
        }
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Right (numbers).
    Right,
    /// Justified (running text).
    Justify,
}

/// A table. Header rows are repeated on every page.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Relative column widths; the table spans the text block.
    pub columns: Vec<f32>,
    /// Header rows, which may merge cells across columns and rows.
    pub header: Vec<Vec<Cell>>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Caption printed above the table (e.g. `Bảng 1. ...`).
    pub caption: Option<String>,
}

/// A table cell. A row lists only the cells that start in it: a cell covered by a row span from
/// above is skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Text; `\n` starts a new paragraph inside the cell.
    pub text: String,
    /// Columns covered (≥ 1).
    pub colspan: u16,
    /// Rows covered (≥ 1).
    pub rowspan: u16,
    /// Alignment.
    pub align: Align,
    /// Bold (headers, totals).
    pub bold: bool,
}

impl Cell {
    /// A left-aligned text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), colspan: 1, rowspan: 1, align: Align::Left, bold: false }
    }

    /// A right-aligned number cell.
    pub fn number(text: impl Into<String>) -> Cell {
        Cell { align: Align::Right, ..Cell::text(text) }
    }

    /// A centred bold header cell.
    pub fn header(text: impl Into<String>) -> Cell {
        Cell { align: Align::Center, bold: true, ..Cell::text(text) }
    }

    /// Covers `n` columns.
    pub fn span_cols(mut self, n: u16) -> Cell {
        self.colspan = n.max(1);
        self
    }

    /// Covers `n` rows.
    pub fn span_rows(mut self, n: u16) -> Cell {
        self.rowspan = n.max(1);
        self
    }

    /// Centred.
    pub fn centered(mut self) -> Cell {
        self.align = Align::Center;
        self
    }

    /// Bold.
    pub fn bolded(mut self) -> Cell {
        self.bold = true;
        self
    }
}

/// An image or a chart with its size on the page and its caption.
#[derive(Debug, Clone)]
pub struct Figure<T> {
    /// What is shown.
    pub content: T,
    /// Width on the page; the height follows the aspect ratio (images) or the chart's own.
    pub width_mm: f32,
    /// Caption printed under it, italic and centred (e.g. `Hình 1. ...`).
    pub caption: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(signer: &str) -> Signature {
        Signature { mode: None, on_behalf_of: None, position: "GIÁM ĐỐC".into(), signer: signer.into() }
    }

    #[test]
    fn the_signer_is_named_without_academic_titles_or_marked_missing() {
        assert_eq!(signed("Hoàng Bá Nam").signer_line(), "Hoàng Bá Nam");
        assert_eq!(signed("TS. Nguyễn Đắc Bình Minh").signer_line(), "Nguyễn Đắc Bình Minh");
        assert_eq!(signed("PGS. TS. Trần Thị Hà").signer_line(), "Trần Thị Hà");
        assert_eq!(signed("PGS.TS. Trần Thị Hà").signer_line(), "Trần Thị Hà");
        assert_eq!(signed("  ").signer_line(), Signature::MISSING_SIGNER);
        assert_eq!(signed("TS.").signer_line(), Signature::MISSING_SIGNER);
        assert!(!signed("").has_signer() && signed("Lê Văn Đức").has_signer());
    }

    #[test]
    fn a_position_of_two_lines_prints_both_above_the_signer() {
        let party = Signature { position: "ĐẠI DIỆN BÊN A\nGIÁM ĐỐC".into(), ..signed("Hoàng Bá Nam") };
        assert_eq!(party.authority_lines(), ["ĐẠI DIỆN BÊN A", "GIÁM ĐỐC"]);
        assert_eq!(signed("x").authority_lines(), ["GIÁM ĐỐC"]);
    }
}
