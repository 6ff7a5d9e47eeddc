//! Lowering a [`Document`] into a flow of laid-out blocks: paragraphs with their size, spacing
//! and alignment, grids (tables, and the borderless two-column header and signature blocks),
//! rules, figures. The DOCX and PDF writers both walk this one flow, so both formats carry the
//! same text in the same order; [`Flow::plain_text`] is that text.

use crate::chart::Chart;
use crate::error::ExportError;
use crate::image::Image;
use crate::metrics::approx_text_width;
use crate::model::{Align, Block, Cell, Document, DocumentSystem, ListStyle, PageSetup, Run, Signature, Table};
use crate::official::{HeadingCounter, place_date_line};
use crate::word_groups;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The left and right padding inside a grid cell, in points (85 twips, Word's default).
pub const CELL_PAD_X: f32 = 85.0 / 20.0;

/// A paragraph with its presentation.
#[derive(Debug, Clone)]
pub struct Para {
    /// Styled text.
    pub runs: Vec<Run>,
    /// Alignment.
    pub align: Align,
    /// Type size in points.
    pub size: f32,
    /// Left indent in points.
    pub indent_left: f32,
    /// Extra indent of the first line (negative: hanging).
    pub indent_first: f32,
    /// Space above in points.
    pub space_before: f32,
    /// Space below in points.
    pub space_after: f32,
    /// Keep on the same page as the next block (headings, captions, the closing paragraph
    /// before the signature).
    pub keep_with_next: bool,
    /// Keep all its lines on one page.
    pub keep_lines: bool,
}

impl Para {
    fn new(runs: Vec<Run>, size: f32, align: Align) -> Para {
        Para {
            runs,
            align,
            size,
            indent_left: 0.0,
            indent_first: 0.0,
            space_before: 0.0,
            space_after: 0.0,
            keep_with_next: false,
            keep_lines: false,
        }
    }

    fn kept(mut self) -> Para {
        self.keep_with_next = true;
        self.keep_lines = true;
        self
    }

    fn after(mut self, pt: f32) -> Para {
        self.space_after = pt;
        self
    }

    fn before(mut self, pt: f32) -> Para {
        self.space_before = pt;
        self
    }

    /// The paragraph's text.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Something inside a grid cell.
#[derive(Debug, Clone)]
pub enum Item {
    /// A paragraph.
    Para(Para),
    /// A centred horizontal rule of the given width in points.
    Rule(f32),
}

/// A cell placed on the grid.
#[derive(Debug, Clone)]
pub struct GridCell {
    /// First column (0-based).
    pub col: usize,
    /// Columns covered.
    pub colspan: usize,
    /// Rows covered.
    pub rowspan: usize,
    /// Content.
    pub items: Vec<Item>,
}

/// A table or a borderless layout grid.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Column widths in points.
    pub widths: Vec<f32>,
    /// Rows, each listing the cells that start in it.
    pub rows: Vec<Vec<GridCell>>,
    /// How many leading rows are header rows (repeated on each page).
    pub header_rows: usize,
    /// Drawn with borders (a data table, cells centred vertically) or not (header and signature
    /// blocks, cells aligned at the top so that their first lines stand level).
    pub borders: bool,
    /// 1-based table number for error messages; 0 for layout grids.
    pub number: usize,
}

/// A block of the flow.
#[derive(Debug, Clone)]
pub enum FlowBlock {
    /// A paragraph.
    Para(Para),
    /// A centred rule.
    Rule(f32),
    /// A grid.
    Grid(Grid),
    /// An image, centred, with its size in points.
    Image {
        /// The image.
        image: Image,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
    },
    /// A chart, centred, scaled to `width`.
    Chart {
        /// The chart.
        chart: Chart,
        /// Width on the page.
        width: f32,
        /// Height on the page.
        height: f32,
    },
    /// A page break.
    PageBreak,
}

/// The laid-out document.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Page geometry.
    pub page: PageSetup,
    /// Blocks in reading order.
    pub blocks: Vec<FlowBlock>,
    /// Document title for metadata (type and summary).
    pub title: String,
}

impl Flow {
    /// The text of the document, one paragraph per line, in reading order; grid cells row by
    /// row, left to right. Chart labels are not included (they live in the chart).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut push = |p: &Para| {
            let t = p.text();
            if !t.trim().is_empty() {
                out.push_str(&t);
                out.push('\n');
            }
        };
        for b in &self.blocks {
            match b {
                FlowBlock::Para(p) => push(p),
                FlowBlock::Grid(g) => {
                    for row in &g.rows {
                        for cell in row {
                            for item in &cell.items {
                                if let Item::Para(p) = item {
                                    push(p);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

const HEADER_PT: f32 = 13.0;
const NATIONAL_TITLE_PT: f32 = 12.0;
const TABLE_PT: f32 = 12.0;
const RECIPIENTS_PT: f32 = 11.0;
const FIRST_LINE_INDENT: f32 = 1.0 * 10.0 * PT_PER_MM;
/// Room for the signature and the seal between the position and the signer's name (25 mm).
pub const SIGNING_SPACE: f32 = 72.0;
/// Space between the closing paragraph and the signature block.
const BEFORE_SIGNATURE: f32 = 6.0;
/// Lines of a heading are chosen as if the column were this much narrower than it is, so that a
/// face a little wider than Times (the PDF fallback) or Word's own rounding never break them again.
const HEADING_FIT: f32 = 0.95;

fn centered(text: &str, size: f32, bold: bool, italic: bool) -> Item {
    Item::Para(Para::new(vec![Run { text: text.to_owned(), bold, italic }], size, Align::Center))
}

/// Lowers a document. Fails on a table whose cells do not match its columns.
pub fn lower(doc: &Document) -> Result<Flow, ExportError> {
    let page = doc.page;
    let text_width = page.text_width_mm() * PT_PER_MM;
    let body = page.body_pt;
    let mut blocks = vec![FlowBlock::Grid(header_grid(doc, text_width))];

    blocks.push(FlowBlock::Para(Para::new(vec![Run::bold(&doc.kind_title)], body, Align::Center).before(12.0)));
    blocks.push(FlowBlock::Para(Para::new(vec![Run::bold(&doc.summary)], body, Align::Center)));
    let summary_rule = (approx_text_width(&doc.summary, body, true) / 3.0).clamp(40.0, text_width / 3.0);
    blocks.push(FlowBlock::Rule(summary_rule));
    blocks.push(FlowBlock::Para(Para::new(vec![], 4.0, Align::Left).after(8.0)));

    let mut numbers = Numbering::default();
    lower_blocks(&doc.body, body, text_width, &mut numbers, &mut blocks)?;
    // The closing paragraph goes with the signature: a signature never stands alone on a page.
    if let Some(FlowBlock::Para(closing)) = blocks
        .iter_mut()
        .rev()
        .take_while(|b| matches!(b, FlowBlock::Para(_)))
        .find(|b| matches!(b, FlowBlock::Para(p) if !p.text().trim().is_empty()))
    {
        closing.keep_with_next = true;
        closing.keep_lines = true;
    }
    blocks.push(FlowBlock::Grid(signature_grid(doc, text_width, body)));
    if !doc.annex.is_empty() {
        blocks.push(FlowBlock::PageBreak);
        // The annex numbers its headings afresh; tables and figures go on counting.
        numbers.headings = HeadingCounter::default();
        lower_blocks(&doc.annex, body, text_width, &mut numbers, &mut blocks)?;
    }
    Ok(Flow { page, blocks, title: format!("{} {}", doc.kind_title, doc.summary) })
}

/// The counters of headings, tables and figures as blocks are lowered.
#[derive(Debug, Default)]
struct Numbering {
    headings: HeadingCounter,
    tables: usize,
    figures: usize,
}

/// Lowers the blocks of the body (or of the annex), set at `body` points, onto `blocks`.
fn lower_blocks(
    source: &[Block],
    body: f32,
    text_width: f32,
    numbers: &mut Numbering,
    blocks: &mut Vec<FlowBlock>,
) -> Result<(), ExportError> {
    for block in source {
        match block {
            Block::Heading { level, text } => {
                let label = numbers.headings.next(*level);
                let italic = *level >= 3;
                let mut p = Para::new(
                    vec![Run { text: format!("{label} {text}"), bold: *level <= 3, italic }],
                    body,
                    Align::Justify,
                )
                .before(6.0)
                .after(6.0);
                p.indent_first = if *level == 1 { 0.0 } else { FIRST_LINE_INDENT };
                blocks.push(FlowBlock::Para(p.kept()));
            }
            Block::Paragraph(runs) => {
                let mut p = Para::new(runs.clone(), body, Align::Justify).after(6.0);
                p.indent_first = FIRST_LINE_INDENT;
                blocks.push(FlowBlock::Para(p));
            }
            Block::Centered(runs) => {
                blocks.push(FlowBlock::Para(Para::new(runs.clone(), body, Align::Center).before(6.0).after(6.0)));
            }
            Block::List { style, items } => {
                for (i, runs) in items.iter().enumerate() {
                    let mut labelled = vec![Run::plain(format!("{} ", style.label(i)))];
                    labelled.extend(runs.iter().cloned());
                    let mut p = Para::new(labelled, body, Align::Justify).after(3.0);
                    p.indent_first =
                        if *style == ListStyle::Plus { FIRST_LINE_INDENT * 1.5 } else { FIRST_LINE_INDENT };
                    blocks.push(FlowBlock::Para(p));
                }
                if let Some(FlowBlock::Para(last)) = blocks.last_mut() {
                    last.space_after = 6.0;
                }
            }
            Block::Table(table) => {
                numbers.tables += 1;
                if let Some(caption) = &table.caption {
                    let caption = renumber(caption, "Bảng", numbers.tables);
                    let p = Para::new(vec![Run::bold(caption)], body - 1.0, Align::Center).before(6.0).after(4.0);
                    blocks.push(FlowBlock::Para(p.kept()));
                }
                blocks.push(FlowBlock::Grid(data_grid(table, numbers.tables, text_width)?));
                blocks.push(FlowBlock::Para(Para::new(vec![], 4.0, Align::Left).after(6.0)));
            }
            Block::Image(fig) => {
                let width = (fig.width_mm * PT_PER_MM).min(text_width);
                let height = fig.content.height_for_width(width);
                blocks.push(FlowBlock::Image { image: fig.content.clone(), width, height });
                numbers.figures += usize::from(fig.caption.is_some());
                let caption = fig.caption.as_deref().map(|c| renumber(c, "Hình", numbers.figures));
                push_caption(blocks, caption.as_deref(), body);
            }
            Block::Chart(fig) => {
                fig.content.validate()?;
                let width = (fig.width_mm * PT_PER_MM).min(text_width);
                let height = width * (fig.content.height / fig.content.width) as f32;
                blocks.push(FlowBlock::Chart { chart: fig.content.clone(), width, height });
                numbers.figures += usize::from(fig.caption.is_some());
                let caption = fig.caption.as_deref().map(|c| renumber(c, "Hình", numbers.figures));
                push_caption(blocks, caption.as_deref(), body);
            }
            Block::PageBreak => blocks.push(FlowBlock::PageBreak),
        }
    }
    Ok(())
}

/// A caption numbered in order of appearance: `Bảng 3. X` is printed `Bảng 2. X` when it is the
/// second table, so that a caller who leaves a table out never leaves a gap in the numbering.
/// Captions without a number (`Bảng X`, `Nguồn: …`) are kept as they are.
fn renumber(caption: &str, word: &str, n: usize) -> String {
    let numbered = caption
        .strip_prefix(word)
        .and_then(|rest| rest.strip_prefix(' '))
        .map(|rest| (rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len(), rest))
        .filter(|(digits, rest)| *digits > 0 && rest[*digits..].starts_with('.'));
    match numbered {
        Some((digits, rest)) => format!("{word} {n}{}", &rest[digits..]),
        None => caption.to_owned(),
    }
}

fn push_caption(blocks: &mut Vec<FlowBlock>, caption: Option<&str>, body: f32) {
    match caption {
        Some(c) => blocks
            .push(FlowBlock::Para(Para::new(vec![Run::italic(c)], body - 1.0, Align::Center).before(4.0).after(8.0))),
        None => blocks.push(FlowBlock::Para(Para::new(vec![], 4.0, Align::Left).after(6.0))),
    }
}

/// The lines of a heading in a column of `width` points, each a paragraph, broken only between
/// word groups ([`word_groups`]).
fn heading_lines(text: &str, width: f32, size: f32, bold: bool) -> Vec<Item> {
    word_groups::break_lines(text, (width - 2.0 * CELL_PAD_X) * HEADING_FIT, size, bold)
        .iter()
        .map(|line| centered(line, size, bold, false))
        .collect()
}

fn header_grid(doc: &Document, text_width: f32) -> Grid {
    let widths = vec![text_width * 0.38, text_width * 0.62];
    let mut left = Vec::new();
    if let Some(parent) = &doc.authority.parent {
        left.extend(heading_lines(&parent.to_uppercase(), widths[0], HEADER_PT, false));
    }
    let name = heading_lines(&doc.authority.name.to_uppercase(), widths[0], HEADER_PT, true);
    let name_width = name
        .iter()
        .filter_map(|item| match item {
            Item::Para(p) => Some(approx_text_width(&p.text(), HEADER_PT, true)),
            Item::Rule(_) => None,
        })
        .fold(0.0, f32::max);
    left.extend(name);
    let mut right = Vec::new();
    match doc.system {
        DocumentSystem::State => {
            // Rule under the authority: a third to a half of its longest line.
            left.push(Item::Rule((name_width.min(widths[0] - 8.0) * 0.4).max(30.0)));
            let title = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
            let motto = "Độc lập - Tự do - Hạnh phúc";
            right.extend(heading_lines(title, widths[1], NATIONAL_TITLE_PT, true));
            let motto_lines = heading_lines(motto, widths[1], HEADER_PT, true);
            let motto_width = motto_lines
                .iter()
                .filter_map(|item| match item {
                    Item::Para(p) => Some(approx_text_width(&p.text(), HEADER_PT, true)),
                    Item::Rule(_) => None,
                })
                .fold(0.0, f32::max);
            right.extend(motto_lines);
            // The rule under the motto is as long as the motto.
            right.push(Item::Rule(motto_width));
        }
        DocumentSystem::Party => {
            left.push(centered("*", HEADER_PT, false, false));
            let heading = "ĐẢNG CỘNG SẢN VIỆT NAM";
            right.push(centered(heading, 15.0, true, false));
            right.push(Item::Rule(approx_text_width(heading, 15.0, true)));
        }
    }
    let number = Para::new(vec![Run::plain(doc.number.line(doc.system))], HEADER_PT, Align::Center).before(4.0);
    let date = Para::new(vec![Run::italic(place_date_line(&doc.place, doc.date))], 14.0, Align::Center).before(4.0);
    Grid {
        widths,
        rows: vec![
            vec![
                GridCell { col: 0, colspan: 1, rowspan: 1, items: left },
                GridCell { col: 1, colspan: 1, rowspan: 1, items: right },
            ],
            vec![
                GridCell { col: 0, colspan: 1, rowspan: 1, items: vec![Item::Para(number)] },
                GridCell { col: 1, colspan: 1, rowspan: 1, items: vec![Item::Para(date)] },
            ],
        ],
        header_rows: 0,
        borders: false,
        number: 0,
    }
}

/// A signature: the authority and position lines, the room to sign and seal, the signer's name
/// (or the mark of a missing name).
fn signature_items(signature: &Signature, body: f32) -> Vec<Item> {
    let mut items: Vec<Item> =
        signature.authority_lines().iter().map(|l| centered(&l.to_uppercase(), body, true, false)).collect();
    let name = match signature.signer_line() {
        missing if missing == Signature::MISSING_SIGNER => Run::italic(missing),
        name => Run::bold(name),
    };
    let mut signer = Para::new(vec![name], body, Align::Center);
    signer.space_before = SIGNING_SPACE;
    items.push(Item::Para(signer));
    items
}

fn recipients_items(doc: &Document) -> Vec<Item> {
    let mut items = Vec::new();
    if !doc.recipients.is_empty() {
        items.push(Item::Para(Para::new(
            vec![Run { text: "Nơi nhận:".into(), bold: true, italic: true }],
            12.0,
            Align::Left,
        )));
        for r in &doc.recipients {
            items.push(Item::Para(Para::new(vec![Run::plain(format!("- {r}"))], RECIPIENTS_PT, Align::Left)));
        }
    }
    items
}

/// The signature block: the signature on the right; on the left the recipients (Nơi nhận), or the
/// secretary's signature with the recipients, if any, under it. One row, so that neither writer
/// splits it across pages.
fn signature_grid(doc: &Document, text_width: f32, body: f32) -> Grid {
    let (widths, mut left) = match &doc.secretary {
        Some(secretary) => {
            let mut left = signature_items(secretary, body);
            let recipients = recipients_items(doc);
            if !recipients.is_empty() {
                left.push(Item::Para(Para::new(vec![], 6.0, Align::Left).after(6.0)));
                left.extend(recipients);
            }
            (vec![text_width * 0.5, text_width * 0.5], left)
        }
        None => (vec![text_width * 0.45, text_width * 0.55], recipients_items(doc)),
    };
    let mut right = signature_items(&doc.signature, body);
    for items in [&mut left, &mut right] {
        if let Some(Item::Para(first)) = items.first_mut() {
            first.space_before = BEFORE_SIGNATURE;
        }
    }
    Grid {
        widths,
        rows: vec![vec![
            GridCell { col: 0, colspan: 1, rowspan: 1, items: left },
            GridCell { col: 1, colspan: 1, rowspan: 1, items: right },
        ]],
        header_rows: 0,
        borders: false,
        number: 0,
    }
}

fn cell_items(cell: &Cell) -> Vec<Item> {
    cell.text
        .split('\n')
        .map(|line| {
            Item::Para(Para::new(
                vec![Run { text: line.to_owned(), bold: cell.bold, italic: false }],
                TABLE_PT,
                cell.align,
            ))
        })
        .collect()
}

/// Places the cells of a table on its grid, checking that every row covers every column exactly
/// once (counting cells spanned from rows above).
fn data_grid(table: &Table, number: usize, text_width: f32) -> Result<Grid, ExportError> {
    let n = table.columns.len();
    let shape_err = |row: usize, message: String| ExportError::TableShape { table: number, row, message };
    if n == 0 {
        return Err(shape_err(0, "the table has no column".into()));
    }
    let total: f32 = table.columns.iter().sum();
    let widths: Vec<f32> = table.columns.iter().map(|w| w / total * text_width).collect();
    let all_rows: Vec<&Vec<Cell>> = table.header.iter().chain(table.rows.iter()).collect();
    // Rows still covered by a row span, per column.
    let mut covered = vec![0usize; n];
    let mut rows = Vec::with_capacity(all_rows.len());
    for (r, cells) in all_rows.iter().enumerate() {
        let mut placed = Vec::with_capacity(cells.len());
        let mut col = 0;
        for cell in cells.iter() {
            while col < n && covered[col] > 0 {
                col += 1;
            }
            let span = usize::from(cell.colspan.max(1));
            if col + span > n || covered[col..col + span].iter().any(|c| *c > 0) {
                return Err(shape_err(r + 1, format!("the cells cover more than the {n} columns")));
            }
            let rowspan = usize::from(cell.rowspan.max(1));
            if r + rowspan > all_rows.len() {
                return Err(shape_err(r + 1, "a cell spans past the last row".into()));
            }
            placed.push(GridCell { col, colspan: span, rowspan, items: cell_items(cell) });
            for c in &mut covered[col..col + span] {
                *c = rowspan;
            }
            col += span;
        }
        if covered.contains(&0) {
            return Err(shape_err(r + 1, format!("the cells cover fewer than the {n} columns")));
        }
        for c in &mut covered {
            *c -= 1;
        }
        rows.push(placed);
    }
    Ok(Grid { widths, rows, header_rows: table.header.len(), borders: true, number })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: Vec<Vec<Cell>>, rows: Vec<Vec<Cell>>) -> Table {
        Table { columns: vec![1.0, 2.0, 1.0, 1.0], header, rows, caption: None }
    }

    #[test]
    fn merged_header_cells_are_placed_on_their_columns() {
        let t = table(
            vec![
                vec![
                    Cell::header("TT").span_rows(2),
                    Cell::header("Đơn vị").span_rows(2),
                    Cell::header("Số nhiệm vụ").span_cols(2),
                ],
                vec![Cell::header("2024"), Cell::header("2025")],
            ],
            vec![vec![Cell::text("1"), Cell::text("Quảng Yên"), Cell::number("3"), Cell::number("4")]],
        );
        let g = data_grid(&t, 1, 400.0).unwrap();
        let cols: Vec<Vec<(usize, usize, usize)>> =
            g.rows.iter().map(|r| r.iter().map(|c| (c.col, c.colspan, c.rowspan)).collect()).collect();
        assert_eq!(cols[0], vec![(0, 1, 2), (1, 1, 2), (2, 2, 1)]);
        assert_eq!(cols[1], vec![(2, 1, 1), (3, 1, 1)]);
        assert_eq!(cols[2], vec![(0, 1, 1), (1, 1, 1), (2, 1, 1), (3, 1, 1)]);
        assert_eq!(g.header_rows, 2);
    }

    #[test]
    fn a_row_with_too_many_cells_is_refused_with_its_number() {
        let t = table(
            vec![],
            vec![vec![Cell::text("a"), Cell::text("b"), Cell::text("c"), Cell::text("d"), Cell::text("e")]],
        );
        let err = data_grid(&t, 2, 400.0).unwrap_err().to_string();
        assert!(err.contains("table 2, row 1"), "{err}");
    }

    #[test]
    fn the_annex_follows_the_signature_from_a_new_page() {
        let mut doc = crate::sample::sample_report();
        doc.annex = vec![Block::Table(Table {
            columns: vec![1.0],
            header: vec![vec![Cell::header("Năm")]],
            rows: vec![vec![Cell::text("2026")]],
            caption: Some("Phụ lục 1. Kinh phí theo năm".into()),
        })];
        let flow = lower(&doc).unwrap();
        let signature = flow
            .blocks
            .iter()
            .position(|b| matches!(b, FlowBlock::Grid(g) if !g.borders && g.rows.len() == 1))
            .expect("the signature block");
        assert!(matches!(flow.blocks[signature + 1], FlowBlock::PageBreak), "the annex starts a page");
        assert!(
            matches!(&flow.blocks[signature + 2], FlowBlock::Para(p) if p.text() == "Phụ lục 1. Kinh phí theo năm")
        );
        let text = flow.plain_text();
        assert!(text.find("Hoàng Bá Nam").unwrap() < text.find("Phụ lục 1").unwrap(), "{text}");
        let breaks = |f: &Flow| f.blocks.iter().filter(|b| matches!(b, FlowBlock::PageBreak)).count();
        doc.annex.clear();
        assert_eq!(breaks(&lower(&doc).unwrap()) + 1, breaks(&flow), "no annex, no page for it");
    }

    #[test]
    fn a_row_with_too_few_cells_is_refused() {
        let t = table(vec![], vec![vec![Cell::text("a").span_cols(2), Cell::text("b")]]);
        assert!(matches!(data_grid(&t, 1, 400.0), Err(ExportError::TableShape { row: 1, .. })));
    }
}
