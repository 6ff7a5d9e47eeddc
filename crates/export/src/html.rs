//! The document as an HTML fragment, for previews in the browser.
//!
//! It walks the same flow as the DOCX and PDF writers, so a preview shows exactly the text the
//! files will carry, in the same order and with the same emphasis. Presentation is left to the
//! site's stylesheet through `doc-*` classes: no `style` attribute is written, so the fragment
//! passes a strict Content-Security-Policy. Images are inlined as `data:` URLs and charts as SVG.
//!
//! | element | classes |
//! |---|---|
//! | the whole document | `article.doc` |
//! | header and signature blocks (borderless two-column grids) | `div.doc-layout` > `div.doc-layout-row` > `div.doc-layout-cell` |
//! | a paragraph | `p.doc-left`, `doc-center`, `doc-right` or `doc-justify`; `doc-indent` for a first-line indent; `doc-small` below body size; `doc-gap` after the room for a signature |
//! | a short centred rule (under the authority, the motto, the summary) | `hr.doc-rule` |
//! | a data table | `table.doc-table` with `thead` for its header rows |
//! | an image or a chart | `figure.doc-figure` |
//! | a page break | `hr.doc-page-break` |

use crate::error::ExportError;
use crate::flow::{self, FlowBlock, Grid, Item, Para};
use crate::model::{Align, Document};
use crate::xml::escape;

/// Writes `doc` as an HTML fragment (one `<article class="doc">`).
pub fn write(doc: &Document) -> Result<String, ExportError> {
    let flow = flow::lower(doc)?;
    let body = flow.page.body_pt;
    let mut out = String::with_capacity(8 * 1024);
    out.push_str("<article class=\"doc\">\n");
    for block in &flow.blocks {
        match block {
            FlowBlock::Para(p) => para(&mut out, p, body),
            FlowBlock::Rule(_) => out.push_str("<hr class=\"doc-rule\">\n"),
            FlowBlock::Grid(g) if g.borders => table(&mut out, g, body),
            FlowBlock::Grid(g) => layout(&mut out, g, body),
            FlowBlock::Image { image, .. } => {
                out.push_str("<figure class=\"doc-figure\"><img src=\"data:");
                out.push_str(image.format().mime());
                out.push_str(";base64,");
                out.push_str(&base64(image.bytes()));
                out.push_str("\" alt=\"");
                out.push_str(&escape(image.name()));
                out.push_str("\"></figure>\n");
            }
            FlowBlock::Chart { chart, .. } => {
                out.push_str("<figure class=\"doc-figure\">");
                out.push_str(&chart.to_svg()?);
                out.push_str("</figure>\n");
            }
            FlowBlock::PageBreak => out.push_str("<hr class=\"doc-page-break\">\n"),
        }
    }
    out.push_str("</article>\n");
    Ok(out)
}

fn para(out: &mut String, p: &Para, body: f32) {
    if p.runs.iter().all(|r| r.text.trim().is_empty()) {
        // Spacers of the flow: the stylesheet gives paragraphs their own margins.
        return;
    }
    out.push_str("<p class=\"");
    out.push_str(match p.align {
        Align::Left => "doc-left",
        Align::Center => "doc-center",
        Align::Right => "doc-right",
        Align::Justify => "doc-justify",
    });
    if p.indent_first > 0.0 {
        out.push_str(" doc-indent");
    }
    if p.size < body - 0.5 {
        out.push_str(" doc-small");
    }
    if p.space_before >= 24.0 {
        // Room left for a signature and a seal.
        out.push_str(" doc-gap");
    }
    out.push_str("\">");
    for run in &p.runs {
        let text = escape(&run.text);
        match (run.bold, run.italic) {
            (true, true) => out.push_str(&format!("<strong><em>{text}</em></strong>")),
            (true, false) => out.push_str(&format!("<strong>{text}</strong>")),
            (false, true) => out.push_str(&format!("<em>{text}</em>")),
            (false, false) => out.push_str(&text),
        }
    }
    out.push_str("</p>\n");
}

fn items(out: &mut String, items: &[Item], body: f32) {
    for item in items {
        match item {
            Item::Para(p) => para(out, p, body),
            Item::Rule(_) => out.push_str("<hr class=\"doc-rule\">\n"),
        }
    }
}

fn layout(out: &mut String, grid: &Grid, body: f32) {
    out.push_str("<div class=\"doc-layout\">\n");
    for row in &grid.rows {
        out.push_str("<div class=\"doc-layout-row\">\n");
        for cell in row {
            out.push_str("<div class=\"doc-layout-cell\">\n");
            items(out, &cell.items, body);
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

fn table(out: &mut String, grid: &Grid, body: f32) {
    out.push_str("<table class=\"doc-table\">\n");
    for (i, row) in grid.rows.iter().enumerate() {
        let header = i < grid.header_rows;
        if i == 0 && header {
            out.push_str("<thead>\n");
        }
        if i == grid.header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        let tag = if header { "th" } else { "td" };
        for cell in row {
            out.push('<');
            out.push_str(tag);
            if header {
                out.push_str(" scope=\"col\"");
            }
            if cell.colspan > 1 {
                out.push_str(&format!(" colspan=\"{}\"", cell.colspan));
            }
            if cell.rowspan > 1 {
                out.push_str(&format!(" rowspan=\"{}\"", cell.rowspan));
            }
            out.push('>');
            items(out, &cell.items, body);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        out.push_str("</tr>\n");
        if header && i + 1 == grid.header_rows {
            out.push_str("</thead>\n");
        }
    }
    if grid.rows.len() > grid.header_rows {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

/// Standard base64 with padding (RFC 4648), for `data:` URLs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    /// The text of an HTML fragment: tags removed, entities decoded, a line break at every
    /// block element (not at `strong` and `em`, which stay inside their paragraph).
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
            let name = rest[start + 1..end].trim_start_matches('/');
            if !(name.starts_with("strong") || name.starts_with("em>")) {
                out.push('\n');
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_preview_carries_every_line_of_the_documents_text() {
        let doc = sample::sample_report();
        let html = write(&doc).unwrap();
        let text = text_of(&html);
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        for line in crate::plain_text(&doc).unwrap().lines() {
            assert!(lines.contains(&line.trim()), "missing from the preview: {line}");
        }
        assert!(html.contains("<table class=\"doc-table\">") && html.contains("colspan=\"3\""));
        assert!(html.contains("<svg") && html.contains("data:image/png;base64,"));
        assert!(!html.contains("style="), "no inline style under the CSP");
    }

    #[test]
    fn markup_in_values_is_escaped() {
        let mut doc = sample::sample_document(crate::kinds::DocumentKind::Certificate).unwrap();
        doc.summary = "<script>alert(1)</script> & \"x\"".into();
        let html = write(&doc).unwrap();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(!html.contains("<script>"));
    }
}
