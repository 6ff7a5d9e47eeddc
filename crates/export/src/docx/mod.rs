//! DOCX (Office Open XML, WordprocessingML) output.
//!
//! Written directly as XML parts in a ZIP container rather than through docx-rs: the documents
//! use a small, fixed subset of WordprocessingML (paragraphs, runs, fixed-layout tables with
//! merges, inline pictures and charts, one header with a PAGE field), which is about as much code
//! as driving a builder API, needs no image decoder or serde stack, and lets us write native
//! charts, which docx-rs does not offer. The element order follows the ECMA-376 schema, which
//! Word checks strictly.

mod chart;

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::error::ExportError;
use crate::flow::{CELL_PAD_X, Flow, FlowBlock, Grid, Item, PT_PER_MM, Para};
use crate::model::Align;
use crate::xml::escape;

const NS: &str = concat!(
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" ",
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" ",
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
    "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" ",
    "xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\""
);
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL_IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const REL_CHART: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
const REL_HEADER: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";

/// Twentieths of a point, WordprocessingML's length unit.
fn twips(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

/// English Metric Units (DrawingML): 12,700 per point.
fn emu(pt: f32) -> i64 {
    (pt * 12700.0).round() as i64
}

struct Writer {
    body: String,
    rels: Vec<(String, &'static str, String)>,
    media: Vec<(String, Vec<u8>)>,
    charts: Vec<(String, String)>,
    drawing_id: u32,
}

impl Writer {
    fn rel(&mut self, kind: &'static str, target: String) -> String {
        let id = format!("rId{}", self.rels.len() + 10);
        self.rels.push((id.clone(), kind, target));
        id
    }

    /// Writes a paragraph; `keep_next` also keeps it with the next (the rows of a table header).
    fn para(&mut self, p: &Para, avail: f32, keep_next: bool) {
        let b = &mut self.body;
        b.push_str("<w:p><w:pPr>");
        if p.keep_with_next || keep_next {
            b.push_str("<w:keepNext/>");
        }
        if p.keep_lines {
            b.push_str("<w:keepLines/>");
        }
        let _ = write!(
            b,
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"240\" w:lineRule=\"auto\"/>",
            twips(p.space_before),
            twips(p.space_after)
        );
        if p.indent_left != 0.0 || p.indent_first != 0.0 {
            let _ = write!(b, "<w:ind w:left=\"{}\"", twips(p.indent_left));
            if p.indent_first >= 0.0 {
                let _ = write!(b, " w:firstLine=\"{}\"/>", twips(p.indent_first));
            } else {
                let _ = write!(b, " w:hanging=\"{}\"/>", twips(-p.indent_first));
            }
        }
        let jc = match p.align {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Justify => "both",
        };
        let half_points = (p.size * 2.0).round() as i64;
        let _ = write!(
            b,
            "<w:jc w:val=\"{jc}\"/><w:rPr><w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr></w:pPr>"
        );
        for run in &p.runs {
            if run.text.is_empty() {
                continue;
            }
            b.push_str("<w:r><w:rPr>");
            if run.bold {
                b.push_str("<w:b/><w:bCs/>");
            }
            if run.italic {
                b.push_str("<w:i/><w:iCs/>");
            }
            let _ = write!(
                b,
                "<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                escape(&run.text)
            );
        }
        b.push_str("</w:p>");
        let _ = avail;
    }

    /// A centred rule drawn as the bottom border of an empty paragraph, shortened by indents.
    fn rule(&mut self, width: f32, avail: f32) {
        let side = twips(((avail - width) / 2.0).max(0.0));
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>\
             <w:spacing w:before=\"0\" w:after=\"0\" w:line=\"120\" w:lineRule=\"exact\"/>\
             <w:ind w:left=\"{side}\" w:right=\"{side}\"/><w:rPr><w:sz w:val=\"4\"/></w:rPr></w:pPr></w:p>"
        );
    }

    fn grid(&mut self, g: &Grid) {
        let total: f32 = g.widths.iter().sum();
        let border = if g.borders { "single" } else { "none" };
        let _ = write!(
            self.body,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>",
            twips(total)
        );
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(self.body, "<w:{side} w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
        }
        self.body.push_str(
            "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/>\
             <w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>",
        );
        for w in &g.widths {
            let _ = write!(self.body, "<w:gridCol w:w=\"{}\"/>", twips(*w));
        }
        self.body.push_str("</w:tblGrid>");
        // Per column: rows still to be covered by a vertical merge started above, and its span.
        let mut merging: Vec<Option<(usize, usize)>> = vec![None; g.widths.len()];
        for (r, row) in g.rows.iter().enumerate() {
            self.body.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if r < g.header_rows {
                self.body.push_str("<w:tblHeader/>");
            }
            self.body.push_str("</w:trPr>");
            let mut col = 0;
            let mut cells = row.iter().peekable();
            while col < g.widths.len() {
                if let Some((left, span)) = merging[col].filter(|(left, _)| *left > 0) {
                    let width: f32 = g.widths[col..col + span].iter().sum();
                    self.cell_open(width, span, Some("continue"), g.borders);
                    self.body.push_str("<w:p/></w:tc>");
                    merging[col] = if left > 1 { Some((left - 1, span)) } else { None };
                    col += span;
                    continue;
                }
                let Some(cell) = cells.next_if(|c| c.col == col) else {
                    // Flow grids are validated: every column is covered. Keep the file valid anyway.
                    self.cell_open(g.widths[col], 1, None, g.borders);
                    self.body.push_str("<w:p/></w:tc>");
                    col += 1;
                    continue;
                };
                let width: f32 = g.widths[col..col + cell.colspan].iter().sum();
                let vmerge = if cell.rowspan > 1 { Some("restart") } else { None };
                self.cell_open(width, cell.colspan, vmerge, g.borders);
                if cell.rowspan > 1 {
                    merging[col] = Some((cell.rowspan - 1, cell.colspan));
                }
                let inner = width - 2.0 * CELL_PAD_X;
                if cell.items.is_empty() {
                    self.body.push_str("<w:p/>");
                }
                for item in &cell.items {
                    match item {
                        // Header rows stay with the first body row.
                        Item::Para(p) => self.para(p, inner, r < g.header_rows),
                        Item::Rule(w) => self.rule(*w, inner),
                    }
                }
                self.body.push_str("</w:tc>");
                col += cell.colspan;
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
    }

    /// Opens a cell; the cells of tables are centred vertically, those of the header and signature
    /// blocks start at the top so that their first lines stand level.
    fn cell_open(&mut self, width: f32, span: usize, vmerge: Option<&str>, centred: bool) {
        let _ = write!(self.body, "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", twips(width));
        if span > 1 {
            let _ = write!(self.body, "<w:gridSpan w:val=\"{span}\"/>");
        }
        match vmerge {
            Some("restart") => self.body.push_str("<w:vMerge w:val=\"restart\"/>"),
            Some(_) => self.body.push_str("<w:vMerge/>"),
            None => {}
        }
        self.body.push_str(if centred {
            "<w:vAlign w:val=\"center\"/></w:tcPr>"
        } else {
            "<w:vAlign w:val=\"top\"/></w:tcPr>"
        });
    }

    fn inline_open(&mut self, width: f32, height: f32, name: &str, descr: &str) {
        self.drawing_id += 1;
        let _ = write!(
            self.body,
            "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>\
             <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
             <wp:docPr id=\"{id}\" name=\"{name}\" descr=\"{descr}\"/>",
            cx = emu(width),
            cy = emu(height),
            id = self.drawing_id,
            name = escape(name),
            descr = escape(descr),
        );
    }

    fn image(&mut self, image: &crate::image::Image, width: f32, height: f32) {
        let file = format!("image{}.{}", self.media.len() + 1, image.format().extension());
        let rid = self.rel(REL_IMAGE, format!("media/{file}"));
        self.media.push((file.clone(), image.bytes().to_vec()));
        self.inline_open(width, height, &file, image.name());
        let _ = write!(
            self.body,
            "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>\
             <pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"{file}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
             <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>\
             </wp:inline></w:drawing></w:r></w:p>",
            id = self.drawing_id,
            cx = emu(width),
            cy = emu(height),
        );
    }

    fn chart(&mut self, c: &crate::chart::Chart, width: f32, height: f32) {
        let file = format!("chart{}.xml", self.charts.len() + 1);
        let rid = self.rel(REL_CHART, format!("charts/{file}"));
        self.charts.push((file, chart::chart_xml(c)));
        self.inline_open(width, height, &c.title, &c.description_text());
        let _ = write!(
            self.body,
            "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
             <c:chart r:id=\"{rid}\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        );
    }
}

/// Writes the flow as a DOCX package.
pub fn write(flow: &Flow) -> Result<Vec<u8>, ExportError> {
    let page = flow.page;
    let text_width = page.text_width_mm() * PT_PER_MM;
    let mut w = Writer {
        body: String::with_capacity(64 * 1024),
        rels: Vec::new(),
        media: Vec::new(),
        charts: Vec::new(),
        drawing_id: 0,
    };
    for block in &flow.blocks {
        match block {
            FlowBlock::Para(p) => w.para(p, text_width, false),
            FlowBlock::Rule(width) => w.rule(*width, text_width),
            FlowBlock::Grid(g) => w.grid(g),
            FlowBlock::Image { image, width, height } => w.image(image, *width, *height),
            FlowBlock::Chart { chart, width, height } => w.chart(chart, *width, *height),
            FlowBlock::PageBreak => w.body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
        }
    }
    // Word expects a paragraph between a final table and the section properties.
    if matches!(flow.blocks.last(), Some(FlowBlock::Grid(_))) {
        w.body.push_str("<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"40\" w:lineRule=\"exact\"/><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:pPr></w:p>");
    }
    let header_default = w.rel(REL_HEADER, "header1.xml".into());
    let header_first = w.rel(REL_HEADER, "header2.xml".into());
    let mm = |v: f32| twips(v * PT_PER_MM);
    let _ = write!(
        w.body,
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{header_default}\"/>\
         <w:headerReference w:type=\"first\" r:id=\"{header_first}\"/>\
         <w:pgSz w:w=\"{}\" w:h=\"{}\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" \
         w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/><w:titlePg/></w:sectPr>",
        mm(page.width_mm),
        mm(page.height_mm),
        mm(page.top_mm),
        mm(page.right_mm),
        mm(page.bottom_mm),
        mm(page.left_mm),
        mm(page.top_mm / 2.0),
        mm(page.bottom_mm / 2.0),
    );

    let document = format!("{XML_DECL}<w:document {NS}><w:body>{}</w:body></w:document>", w.body);
    let body_half_points = (page.body_pt * 2.0).round() as i64;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3 + 16 * 1024)));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut part = |name: &str, data: &[u8], opts: SimpleFileOptions| -> Result<(), ExportError> {
        out.start_file(name, opts)?;
        out.write_all(data)?;
        Ok(())
    };
    part("[Content_Types].xml", content_types(&w).as_bytes(), deflate)?;
    part("_rels/.rels", ROOT_RELS.as_bytes(), deflate)?;
    part("docProps/core.xml", core_props(&flow.title).as_bytes(), deflate)?;
    part("docProps/app.xml", APP_PROPS.as_bytes(), deflate)?;
    part("word/document.xml", document.as_bytes(), deflate)?;
    part("word/styles.xml", styles(body_half_points).as_bytes(), deflate)?;
    part("word/settings.xml", SETTINGS.as_bytes(), deflate)?;
    part("word/header1.xml", header_with_page_number(body_half_points).as_bytes(), deflate)?;
    part("word/header2.xml", format!("{XML_DECL}<w:hdr {NS}><w:p/></w:hdr>").as_bytes(), deflate)?;
    let mut rels = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
    );
    for (id, kind, target) in &w.rels {
        let _ = write!(rels, "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{target}\"/>");
    }
    rels.push_str("</Relationships>");
    part("word/_rels/document.xml.rels", rels.as_bytes(), deflate)?;
    for (name, bytes) in &w.media {
        // PNG and JPEG are already compressed.
        part(&format!("word/media/{name}"), bytes, stored)?;
    }
    for (name, xml) in &w.charts {
        part(&format!("word/charts/{name}"), xml.as_bytes(), deflate)?;
    }
    Ok(out.finish()?.into_inner())
}

fn content_types(w: &Writer) -> String {
    let mut s = format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Default Extension=\"png\" ContentType=\"image/png\"/>\
         <Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    );
    for (name, _) in &w.charts {
        let _ = write!(
            s,
            "<Override PartName=\"/word/charts/{name}\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        );
    }
    s.push_str("</Types>");
    s
}

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

const APP_PROPS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>Tiến Độ</Application></Properties>"
);

const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>",
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>"
);

fn core_props(title: &str) -> String {
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:language>vi-VN</dc:language>\
         <dc:creator>Tiến Độ</dc:creator></cp:coreProperties>",
        escape(title)
    )
}

fn styles(half_points: i64) -> String {
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults>\
         <w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
         <w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>"
    )
}

/// The header of pages 2 onwards: the page number, centred (page 1 uses the empty first-page
/// header, as Nghị định 30 prescribes).
fn header_with_page_number(half_points: i64) -> String {
    format!(
        "{XML_DECL}<w:hdr {NS}><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:rPr><w:sz w:val=\"{half_points}\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:rPr><w:sz w:val=\"{half_points}\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:rPr><w:sz w:val=\"{half_points}\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r><w:rPr><w:sz w:val=\"{half_points}\"/></w:rPr><w:t>2</w:t></w:r>\
         <w:r><w:rPr><w:sz w:val=\"{half_points}\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>"
    )
}
