//! Page layout of a flow: greedy line breaking on the font's advances, justified text, tables
//! with merged cells and repeated header rows, figures, page breaks. The result is a list of
//! pages of positioned operations, drawn by `pdf::render`.

use super::fonts::FontSet;
use crate::chart::Chart;
use crate::error::ExportError;
use crate::flow::{CELL_PAD_X, Flow, FlowBlock, Grid, Item, PT_PER_MM, Para};
use crate::image::Image;
use crate::model::Align;

/// A positioned drawing operation (points, origin top left, y down).
#[derive(Debug, Clone)]
pub enum Op {
    /// A run of text in one face on a baseline; spaces widened by `space_extra`.
    Text {
        /// Left of the run.
        x: f32,
        /// Baseline.
        y: f32,
        /// Bold face.
        bold: bool,
        /// Italic face.
        italic: bool,
        /// Size.
        size: f32,
        /// The text.
        text: String,
        /// Extra advance added to every space (justification).
        space_extra: f32,
    },
    /// A straight line.
    Line {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Width.
        width: f32,
    },
    /// An image in a box.
    Image {
        /// The image.
        image: Image,
        /// Box left, top, width, height.
        rect: (f32, f32, f32, f32),
    },
    /// A chart in a box.
    Chart {
        /// The chart.
        chart: Chart,
        /// Box left, top, width, height.
        rect: (f32, f32, f32, f32),
    },
}

/// The laid-out pages.
pub struct Pages {
    /// Page width and height in points.
    pub size: (f32, f32),
    /// Operations per page.
    pub pages: Vec<Vec<Op>>,
}

/// A piece of a line: text in one style.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    bold: bool,
    italic: bool,
}

/// A laid-out line of a paragraph.
#[derive(Debug, Clone)]
struct Line {
    pieces: Vec<Piece>,
    width: f32,
    spaces: usize,
    last: bool,
}

/// A word (unbreakable) possibly made of several styled fragments, and the space after it.
struct Word {
    frags: Vec<Piece>,
    width: f32,
    space: Option<(Piece, f32)>,
}

fn split_words(p: &Para, fonts: &FontSet) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current = Word { frags: Vec::new(), width: 0.0, space: None };
    for run in &p.runs {
        let face = fonts.face(run.bold, run.italic);
        let mut buf = String::new();
        let flush = |buf: &mut String, current: &mut Word| {
            if !buf.is_empty() {
                let w = face.width(buf, p.size);
                current.frags.push(Piece { text: std::mem::take(buf), bold: run.bold, italic: run.italic });
                current.width += w;
            }
        };
        for c in run.text.chars() {
            if c == ' ' || c == '\t' || c == '\n' {
                flush(&mut buf, &mut current);
                if current.frags.is_empty() {
                    // Leading or repeated space: dropped, as Word collapses nothing but we keep one.
                    continue;
                }
                let space = Piece { text: " ".into(), bold: run.bold, italic: run.italic };
                let sw = face.width(" ", p.size);
                current.space = Some((space, sw));
                words.push(std::mem::replace(&mut current, Word { frags: Vec::new(), width: 0.0, space: None }));
            } else {
                buf.push(c);
            }
        }
        flush(&mut buf, &mut current);
    }
    if !current.frags.is_empty() {
        words.push(current);
    }
    words
}

/// Splits a word wider than `avail` into pieces that fit (character by character).
fn split_long_word(word: Word, avail: f32, size: f32, fonts: &FontSet) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word { frags: Vec::new(), width: 0.0, space: None };
    for frag in word.frags {
        let face = fonts.face(frag.bold, frag.italic);
        let mut buf = String::new();
        for c in frag.text.chars() {
            let w = face.glyph(c).1 * size;
            if cur.width + w > avail && (cur.width > 0.0 || !buf.is_empty()) {
                if !buf.is_empty() {
                    cur.frags.push(Piece { text: std::mem::take(&mut buf), bold: frag.bold, italic: frag.italic });
                }
                out.push(std::mem::replace(&mut cur, Word { frags: Vec::new(), width: 0.0, space: None }));
            }
            buf.push(c);
            cur.width += w;
        }
        if !buf.is_empty() {
            cur.frags.push(Piece { text: buf, bold: frag.bold, italic: frag.italic });
        }
    }
    cur.space = word.space;
    out.push(cur);
    out
}

fn break_lines(p: &Para, width: f32, fonts: &FontSet) -> Vec<Line> {
    let mut words = Vec::new();
    for w in split_words(p, fonts) {
        let avail = width - p.indent_left - p.indent_first.max(0.0);
        if w.width > avail {
            words.extend(split_long_word(w, avail.max(10.0), p.size, fonts));
        } else {
            words.push(w);
        }
    }
    let mut lines = Vec::new();
    let mut line = Line { pieces: Vec::new(), width: 0.0, spaces: 0, last: false };
    let mut pending_space: Option<(Piece, f32)> = None;
    for word in words {
        let avail = width - p.indent_left - if lines.is_empty() { p.indent_first } else { 0.0 };
        let space_w = pending_space.as_ref().map_or(0.0, |s| s.1);
        if !line.pieces.is_empty() && line.width + space_w + word.width > avail + 0.01 {
            lines.push(std::mem::replace(&mut line, Line { pieces: Vec::new(), width: 0.0, spaces: 0, last: false }));
            pending_space = None;
        }
        if let Some((space, w)) = pending_space.take() {
            line.pieces.push(space);
            line.width += w;
            line.spaces += 1;
        }
        line.pieces.extend(word.frags);
        line.width += word.width;
        pending_space = word.space;
    }
    line.last = true;
    lines.push(line);
    lines
}

struct Cursor<'a> {
    fonts: &'a FontSet,
    pages: Vec<Vec<Op>>,
    y: f32,
    left: f32,
    top: f32,
    bottom: f32,
    text_width: f32,
}

impl Cursor<'_> {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.is_empty())
    }

    fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page is always open")
    }
}

fn line_height(p: &Para, fonts: &FontSet) -> f32 {
    p.size * fonts.face(false, false).line_height
}

/// Emits one line's text at (x, baseline), one op per run of pieces in the same style.
fn emit_line(ops: &mut Vec<Op>, line: &Line, p: &Para, x0: f32, baseline: f32, avail: f32, fonts: &FontSet) {
    let (mut x, space_extra) = match p.align {
        Align::Left => (x0, 0.0),
        Align::Center => (x0 + (avail - line.width) / 2.0, 0.0),
        Align::Right => (x0 + avail - line.width, 0.0),
        Align::Justify if !line.last && line.spaces > 0 => (x0, (avail - line.width) / line.spaces as f32),
        Align::Justify => (x0, 0.0),
    };
    let mut i = 0;
    while i < line.pieces.len() {
        let (bold, italic) = (line.pieces[i].bold, line.pieces[i].italic);
        let mut text = String::new();
        while i < line.pieces.len() && line.pieces[i].bold == bold && line.pieces[i].italic == italic {
            text.push_str(&line.pieces[i].text);
            i += 1;
        }
        let face = fonts.face(bold, italic);
        let spaces = text.chars().filter(|c| *c == ' ').count() as f32;
        let width = face.width(&text, p.size) + spaces * space_extra;
        ops.push(Op::Text { x, y: baseline, bold, italic, size: p.size, text, space_extra });
        x += width;
    }
}

/// Lays a paragraph inside a box of `width` starting at `top`, without page breaks; returns the
/// height used. Used for table cells.
fn para_in_box(ops: &mut Vec<Op>, p: &Para, x: f32, top: f32, width: f32, fonts: &FontSet) -> f32 {
    let lh = line_height(p, fonts);
    let ascent = p.size * fonts.face(false, false).ascent;
    let mut y = top + p.space_before;
    for (i, line) in break_lines(p, width, fonts).iter().enumerate() {
        let indent = p.indent_left + if i == 0 { p.indent_first } else { 0.0 };
        if !line.pieces.is_empty() {
            emit_line(ops, line, p, x + indent, y + ascent, width - indent, fonts);
        }
        y += lh;
    }
    y + p.space_after - top
}

const RULE_HEIGHT: f32 = 6.0;

fn rule(ops: &mut Vec<Op>, width: f32, x: f32, top: f32, avail: f32) {
    let x0 = x + (avail - width) / 2.0;
    let y = top + RULE_HEIGHT - 2.0;
    ops.push(Op::Line { from: (x0, y), to: (x0 + width, y), width: 0.6 });
}

fn items_height(items: &[Item], width: f32, fonts: &FontSet) -> f32 {
    let mut scratch = Vec::new();
    items
        .iter()
        .map(|item| match item {
            Item::Para(p) => para_in_box(&mut scratch, p, 0.0, 0.0, width, fonts),
            Item::Rule(_) => RULE_HEIGHT,
        })
        .sum()
}

fn draw_items(ops: &mut Vec<Op>, items: &[Item], x: f32, top: f32, width: f32, fonts: &FontSet) {
    let mut y = top;
    for item in items {
        match item {
            Item::Para(p) => y += para_in_box(ops, p, x, y, width, fonts),
            Item::Rule(w) => {
                rule(ops, *w, x, y, width);
                y += RULE_HEIGHT;
            }
        }
    }
}

/// The measures of a grid: column edges, row heights, and the groups of rows bound together by
/// row spans (kept on one page).
struct GridMetrics {
    col_x: Vec<f32>,
    heights: Vec<f32>,
    groups: Vec<(usize, usize)>,
    header_end: usize,
}

impl GridMetrics {
    /// The height of the header rows.
    fn header_height(&self) -> f32 {
        self.heights[..self.header_end].iter().sum()
    }

    /// The height that must stand on one page for the grid to start there: a layout grid (header
    /// or signature block) whole, a table its header rows and first group of body rows.
    fn first_unit(&self, g: &Grid) -> f32 {
        if !g.borders {
            return self.heights.iter().sum();
        }
        self.header_height()
            + self
                .groups
                .iter()
                .find(|(f, _)| *f >= self.header_end)
                .map_or(0.0, |(f, t)| self.heights[*f..*t].iter().sum())
    }
}

fn cell_pad_y(g: &Grid) -> f32 {
    if g.borders { 2.0 } else { 0.0 }
}

fn grid_metrics(g: &Grid, fonts: &FontSet) -> GridMetrics {
    let pad_y = cell_pad_y(g);
    let col_x: Vec<f32> = std::iter::once(0.0)
        .chain(g.widths.iter().scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        }))
        .collect();
    // Row heights: single-row cells first, then row-spanning cells stretch their last row.
    let n = g.rows.len();
    let mut heights = vec![0f32; n];
    let cell_height = |c: &crate::flow::GridCell| {
        let w = col_x[c.col + c.colspan] - col_x[c.col] - 2.0 * CELL_PAD_X;
        items_height(&c.items, w, fonts) + 2.0 * pad_y
    };
    for (r, row) in g.rows.iter().enumerate() {
        for c in row.iter().filter(|c| c.rowspan == 1) {
            heights[r] = heights[r].max(cell_height(c));
        }
    }
    for (r, row) in g.rows.iter().enumerate() {
        for c in row.iter().filter(|c| c.rowspan > 1) {
            let end = (r + c.rowspan).min(n);
            let have: f32 = heights[r..end].iter().sum();
            let need = cell_height(c);
            if need > have {
                heights[end - 1] += need - have;
            }
        }
    }
    // Groups of rows bound together by row spans are kept on one page.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    while r < n {
        let mut end = r + 1;
        let mut k = r;
        while k < end {
            for c in &g.rows[k] {
                end = end.max(k + c.rowspan);
            }
            k += 1;
        }
        groups.push((r, end.min(n)));
        r = end;
    }
    GridMetrics { col_x, heights, groups, header_end: g.header_rows.min(n) }
}

fn grid(cur: &mut Cursor, g: &Grid) -> Result<(), ExportError> {
    let pad_y = cell_pad_y(g);
    let metrics = grid_metrics(g, cur.fonts);
    let GridMetrics { col_x, heights, groups, header_end } = &metrics;
    let header_end = *header_end;
    let total_width = col_x[col_x.len() - 1];
    let x0 = cur.left + (cur.text_width - total_width) / 2.0;
    let header_height = metrics.header_height();
    let page_height = cur.bottom - cur.top;
    let draw_rows = |cur: &mut Cursor, from: usize, to: usize| {
        let top = cur.y;
        let mut row_top = vec![top; to - from + 1];
        for i in from..to {
            row_top[i - from + 1] = row_top[i - from] + heights[i];
        }
        for (ri, row) in g.rows[from..to].iter().enumerate() {
            for c in row {
                let x = x0 + col_x[c.col];
                let w = col_x[c.col + c.colspan] - col_x[c.col];
                let end = (ri + c.rowspan).min(to - from);
                let (y0, y1) = (row_top[ri], row_top[end]);
                let inner = w - 2.0 * CELL_PAD_X;
                // Table cells are centred vertically; the cells of the header and signature blocks
                // start at the top, so that their first lines stand level.
                let offset = if g.borders {
                    let content = items_height(&c.items, inner, cur.fonts);
                    ((y1 - y0 - content) / 2.0).max(pad_y)
                } else {
                    pad_y
                };
                let fonts = cur.fonts;
                let ops = cur.ops();
                draw_items(ops, &c.items, x + CELL_PAD_X, y0 + offset, inner, fonts);
                if g.borders {
                    for (a, b) in
                        [((x, y0), (x + w, y0)), ((x, y1), (x + w, y1)), ((x, y0), (x, y1)), ((x + w, y0), (x + w, y1))]
                    {
                        ops.push(Op::Line { from: a, to: b, width: 0.5 });
                    }
                }
            }
        }
        cur.y = row_top[to - from];
    };
    let mut first = true;
    for &(from, to) in groups {
        let h: f32 = heights[from..to].iter().sum();
        let is_header = to <= header_end;
        let repeat = if is_header { 0.0 } else { header_height };
        if h + repeat > page_height {
            return Err(ExportError::RowTooTall { table: g.number.max(1), row: from + 1 - header_end.min(from) });
        }
        // Keep the header with the first body row.
        let need = if is_header && first { metrics.first_unit(g) } else { h };
        if need > cur.remaining() && !cur.page_is_empty() {
            cur.new_page();
            if !is_header && header_end > 0 {
                draw_rows(cur, 0, header_end);
            }
        }
        draw_rows(cur, from, to);
        first = false;
    }
    Ok(())
}

/// Lays out the flow on pages.
pub fn layout(flow: &Flow, fonts: &FontSet) -> Result<Pages, ExportError> {
    let page = flow.page;
    let size = (page.width_mm * PT_PER_MM, page.height_mm * PT_PER_MM);
    let mut cur = Cursor {
        fonts,
        pages: vec![Vec::new()],
        y: page.top_mm * PT_PER_MM,
        left: page.left_mm * PT_PER_MM,
        top: page.top_mm * PT_PER_MM,
        bottom: size.1 - page.bottom_mm * PT_PER_MM,
        text_width: page.text_width_mm() * PT_PER_MM,
    };
    let blocks = &flow.blocks;
    for (i, block) in blocks.iter().enumerate() {
        match block {
            FlowBlock::Para(p) => {
                let lh = line_height(p, fonts);
                let ascent = p.size * fonts.face(false, false).ascent;
                let lines = break_lines(p, cur.text_width, fonts);
                if p.keep_with_next || p.keep_lines {
                    // A heading with what follows it, the closing paragraph with the signature:
                    // start a new page when they do not fit together on this one (and would on the
                    // next).
                    let need = keep_height(blocks, i, &cur);
                    if need > cur.remaining() && need <= cur.bottom - cur.top && !cur.page_is_empty() {
                        cur.new_page();
                    }
                }
                if !cur.page_is_empty() {
                    cur.y += p.space_before;
                }
                for (li, line) in lines.iter().enumerate() {
                    if cur.y + lh > cur.bottom {
                        cur.new_page();
                    }
                    let indent = p.indent_left + if li == 0 { p.indent_first } else { 0.0 };
                    if !line.pieces.is_empty() {
                        let (x, baseline, avail) = (cur.left + indent, cur.y + ascent, cur.text_width - indent);
                        let ops = cur.ops();
                        emit_line(ops, line, p, x, baseline, avail, fonts);
                    }
                    cur.y += lh;
                }
                cur.y += p.space_after;
            }
            FlowBlock::Rule(w) => {
                if cur.remaining() < RULE_HEIGHT {
                    cur.new_page();
                }
                let (x, y, avail) = (cur.left, cur.y, cur.text_width);
                rule(cur.ops(), *w, x, y, avail);
                cur.y += RULE_HEIGHT;
            }
            FlowBlock::Grid(g) => grid(&mut cur, g)?,
            FlowBlock::Image { image, width, height } => {
                let (w, h) = fit(*width, *height, cur.bottom - cur.top);
                // With its caption.
                let need = keep_height(blocks, i, &cur);
                if need.max(h) > cur.remaining() && !cur.page_is_empty() {
                    cur.new_page();
                }
                let x = cur.left + (cur.text_width - w) / 2.0;
                let y = cur.y + 6.0;
                cur.ops().push(Op::Image { image: image.clone(), rect: (x, y, w, h) });
                cur.y = y + h;
            }
            FlowBlock::Chart { chart, width, height } => {
                let (w, h) = fit(*width, *height, cur.bottom - cur.top);
                let need = keep_height(blocks, i, &cur);
                if need.max(h + 6.0) > cur.remaining() && !cur.page_is_empty() {
                    cur.new_page();
                }
                let x = cur.left + (cur.text_width - w) / 2.0;
                let y = cur.y + 6.0;
                cur.ops().push(Op::Chart { chart: chart.clone(), rect: (x, y, w, h) });
                cur.y = y + h;
            }
            FlowBlock::PageBreak => {
                if !cur.page_is_empty() {
                    cur.new_page();
                }
            }
        }
    }
    if cur.pages.len() > 1 && cur.page_is_empty() {
        cur.pages.pop();
    }
    Ok(Pages { size, pages: cur.pages })
}

/// The height of a paragraph with its spacing: whole, or only as much as must start on a page
/// (its first two lines) when it may break.
fn para_height(p: &Para, text_width: f32, fonts: &FontSet, whole: bool) -> f32 {
    let lines = break_lines(p, text_width, fonts).len();
    let shown = if whole || p.keep_lines { lines } else { lines.min(2) };
    p.space_before + line_height(p, fonts) * shown as f32 + if shown == lines { p.space_after } else { 0.0 }
}

/// How much of `block` must stand on one page with what is kept before it: the first lines of a
/// paragraph, a table's header with its first row, a layout grid, a figure, whole.
fn first_unit_height(block: &FlowBlock, text_width: f32, page_height: f32, fonts: &FontSet) -> f32 {
    match block {
        FlowBlock::Para(p) => para_height(p, text_width, fonts, false),
        FlowBlock::Grid(g) => grid_metrics(g, fonts).first_unit(g),
        FlowBlock::Image { width, height, .. } => fit(*width, *height, page_height).1 + 6.0,
        FlowBlock::Chart { width, height, .. } => fit(*width, *height, page_height).1 + 6.0,
        FlowBlock::Rule(_) => RULE_HEIGHT,
        FlowBlock::PageBreak => 0.0,
    }
}

/// The height that must fit on the page for block `i` to be placed here: the block whole, and the
/// blocks it is kept with (a heading, a caption and a paragraph kept with the next block; a figure
/// with its caption), up to the first part of the first block that is not kept with its next.
fn keep_height(blocks: &[FlowBlock], i: usize, cur: &Cursor) -> f32 {
    let (text_width, page_height, fonts) = (cur.text_width, cur.bottom - cur.top, cur.fonts);
    let mut need = 0.0;
    let mut j = i;
    while let Some(block) = blocks.get(j) {
        let kept = match block {
            FlowBlock::Para(p) => p.keep_with_next,
            FlowBlock::Image { .. } | FlowBlock::Chart { .. } => {
                matches!(blocks.get(j + 1), Some(FlowBlock::Para(next)) if !next.text().trim().is_empty())
            }
            _ => false,
        };
        if j > i && !kept {
            return need + first_unit_height(block, text_width, page_height, fonts);
        }
        need += match block {
            FlowBlock::Para(p) => para_height(p, text_width, fonts, true),
            other => first_unit_height(other, text_width, page_height, fonts),
        };
        if !kept {
            return need;
        }
        j += 1;
    }
    need
}

/// Shrinks a figure that is taller than a page, keeping its aspect ratio.
fn fit(w: f32, h: f32, max_h: f32) -> (f32, f32) {
    let max_h = max_h - 12.0;
    if h > max_h { (w * max_h / h, max_h) } else { (w, h) }
}
