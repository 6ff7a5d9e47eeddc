//! The checks on a spreadsheet, read from its sheet XML: every visible sheet prints on A4 with
//! margins; a table prints one page wide (landscape when it is wider than a portrait page) with its
//! header rows repeated; a row whose wrapped text needs several lines is as tall as them; no sheet
//! name, title, header or label is a message key.

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node};

use super::looks_like_key;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Columns wider than this in all (in characters of the default font) do not fit a portrait A4 page
/// at a readable scale.
const PORTRAIT_CHARS: f64 = 100.0;
/// Default row height in points, and the width of a column without its own.
const ROW_PT: f64 = 15.0;
const DEFAULT_WIDTH: f64 = 8.43;

fn m(name: &str) -> (&'static str, &str) {
    (MAIN, name)
}

/// The parts of a package by name.
fn parts(bytes: &[u8]) -> Result<HashMap<String, String>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not an XLSX: {e}"))?;
    let mut out = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| e.to_string())?;
        let name = file.name().map_err(|e| e.to_string())?.into_owned();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut text = String::new();
            file.read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
            out.insert(name, text);
        }
    }
    Ok(out)
}

/// Column letters to a 1-based index (`A` is 1, `AA` 27).
fn column_index(letters: &str) -> u32 {
    letters.chars().fold(0, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1))
}

/// `B12` to (column 2, row 12).
fn cell_ref(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(char::is_ascii_uppercase).collect();
    (column_index(&letters), r[letters.len()..].parse().unwrap_or(0))
}

/// A sheet as the checks see it.
#[derive(Debug, Default)]
struct Sheet {
    name: String,
    hidden: bool,
    /// Column widths in characters, by 1-based column.
    widths: HashMap<u32, f64>,
    /// Row number to (custom height).
    heights: HashMap<u32, Option<f64>>,
    /// (column, row, text, wrapped).
    cells: Vec<(u32, u32, String, bool)>,
    /// Merged ranges: (first column, first row, last column, last row).
    merged: Vec<(u32, u32, u32, u32)>,
    /// The last row repeated at the top of each printed page, if any.
    title_rows: Option<u32>,
    page_setup: HashMap<String, String>,
    fit_to_page: bool,
    margins: bool,
    footer: Option<String>,
}

impl Sheet {
    fn width(&self, col: u32) -> f64 {
        self.widths.get(&col).copied().unwrap_or(DEFAULT_WIDTH)
    }

    /// The columns used, and their total width.
    fn used_width(&self) -> f64 {
        let last = self.cells.iter().map(|c| c.0).max().unwrap_or(0);
        (1..=last).map(|c| self.width(c)).sum()
    }
}

fn read(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let parts = parts(bytes)?;
    let get = |name: &str| parts.get(name).ok_or_else(|| format!("no {name}"));
    let workbook = get("xl/workbook.xml")?;
    let workbook = Document::parse(workbook).map_err(|e| e.to_string())?;
    let rels = Document::parse(get("xl/_rels/workbook.xml.rels")?).map_err(|e| e.to_string())?;
    let targets: HashMap<&str, &str> = rels
        .descendants()
        .filter(|n| n.has_tag_name((PKG_REL, "Relationship")))
        .filter_map(|n| Some((n.attribute("Id")?, n.attribute("Target")?)))
        .collect();
    let shared: Vec<String> = match parts.get("xl/sharedStrings.xml") {
        Some(xml) => {
            let doc = Document::parse(xml).map_err(|e| e.to_string())?;
            doc.descendants().filter(|n| n.has_tag_name(m("si"))).map(|si| texts(si)).collect()
        }
        None => Vec::new(),
    };
    let wrapped_styles: Vec<bool> = match parts.get("xl/styles.xml") {
        Some(xml) => {
            let doc = Document::parse(xml).map_err(|e| e.to_string())?;
            doc.descendants()
                .find(|n| n.has_tag_name(m("cellXfs")))
                .map(|xfs| {
                    xfs.children()
                        .filter(|n| n.has_tag_name(m("xf")))
                        .map(|xf| {
                            xf.children()
                                .find(|a| a.has_tag_name(m("alignment")))
                                .and_then(|a| a.attribute("wrapText"))
                                .is_some_and(|v| v == "1" || v == "true")
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    let titles: HashMap<usize, u32> = workbook
        .descendants()
        .filter(|n| n.has_tag_name(m("definedName")) && n.attribute("name") == Some("_xlnm.Print_Titles"))
        .filter_map(|n| {
            let sheet: usize = n.attribute("localSheetId")?.parse().ok()?;
            let last = n.text()?.rsplit('$').next()?.parse().ok()?;
            Some((sheet, last))
        })
        .collect();
    let mut sheets = Vec::new();
    for (i, s) in workbook.descendants().filter(|n| n.has_tag_name(m("sheet"))).enumerate() {
        let id = s.attribute((REL, "id")).ok_or("a sheet without r:id")?;
        let target = targets.get(id).ok_or_else(|| format!("no target for {id}"))?;
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_owned(),
            None => format!("xl/{target}"),
        };
        let xml = get(&path)?;
        let doc = Document::parse(xml).map_err(|e| format!("{path}: {e}"))?;
        let mut sheet = Sheet {
            name: s.attribute("name").unwrap_or_default().to_owned(),
            hidden: s.attribute("state").is_some_and(|v| v != "visible"),
            title_rows: titles.get(&i).copied(),
            ..Sheet::default()
        };
        for col in doc.descendants().filter(|n| n.has_tag_name(m("col"))) {
            let attr = |a: &str| col.attribute(a).and_then(|v| v.parse::<f64>().ok());
            if let (Some(min), Some(max), Some(width)) = (attr("min"), attr("max"), attr("width")) {
                for c in min as u32..=max as u32 {
                    sheet.widths.insert(c, width);
                }
            }
        }
        for row in doc.descendants().filter(|n| n.has_tag_name(m("row"))) {
            let r: u32 = row.attribute("r").and_then(|v| v.parse().ok()).unwrap_or(0);
            let custom = row.attribute("customHeight").is_some_and(|v| v == "1" || v == "true");
            sheet.heights.insert(r, row.attribute("ht").and_then(|h| h.parse().ok()).filter(|_| custom));
            for c in row.children().filter(|n| n.has_tag_name(m("c"))) {
                let (col, row_no) = cell_ref(c.attribute("r").unwrap_or_default());
                let value = c.children().find(|v| v.has_tag_name(m("v"))).and_then(|v| v.text());
                let text = match c.attribute("t") {
                    Some("s") => value.and_then(|v| v.parse::<usize>().ok()).and_then(|i| shared.get(i).cloned()),
                    Some("inlineStr") | Some("str") => Some(texts(c)),
                    _ => None,
                };
                let wrapped = c
                    .attribute("s")
                    .and_then(|s| s.parse::<usize>().ok())
                    .is_some_and(|s| wrapped_styles.get(s).copied().unwrap_or(false));
                if let Some(text) = text {
                    sheet.cells.push((col, row_no, text, wrapped));
                }
            }
        }
        for mc in doc.descendants().filter(|n| n.has_tag_name(m("mergeCell"))) {
            if let Some((a, b)) = mc.attribute("ref").and_then(|r| r.split_once(':')) {
                let ((c0, r0), (c1, r1)) = (cell_ref(a), cell_ref(b));
                sheet.merged.push((c0, r0, c1, r1));
            }
        }
        if let Some(setup) = doc.descendants().find(|n| n.has_tag_name(m("pageSetup"))) {
            sheet.page_setup = setup.attributes().map(|a| (a.name().to_owned(), a.value().to_owned())).collect();
        }
        sheet.fit_to_page = doc
            .descendants()
            .find(|n| n.has_tag_name(m("pageSetUpPr")))
            .and_then(|n| n.attribute("fitToPage"))
            .is_some_and(|v| v == "1" || v == "true");
        sheet.margins = doc.descendants().any(|n| n.has_tag_name(m("pageMargins")));
        sheet.footer =
            doc.descendants().find(|n| n.has_tag_name(m("oddFooter"))).and_then(|n| n.text()).map(str::to_owned);
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn texts(node: Node) -> String {
    node.descendants().filter(|n| n.has_tag_name(m("t"))).filter_map(|t| t.text()).collect()
}

/// The names of the visible sheets.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, String> {
    Ok(read(bytes)?.into_iter().filter(|s| !s.hidden).map(|s| s.name).collect())
}

/// What a clerk printing the spreadsheet would meet: see the module's description.
pub fn problems(bytes: &[u8]) -> Vec<String> {
    let sheets = match read(bytes) {
        Ok(sheets) => sheets,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    for sheet in sheets.iter().filter(|s| !s.hidden) {
        let name = &sheet.name;
        let mut say = |p: String| problems.push(format!("sheet `{name}`: {p}"));
        if looks_like_key(name) {
            say("its name is a message key".into());
        }
        let setup = &sheet.page_setup;
        if setup.get("paperSize").map(String::as_str) != Some("9") {
            say(format!("not set to print on A4: {setup:?}"));
        }
        if !sheet.margins {
            say("no page margins".into());
        }
        let columns = sheet.cells.iter().map(|c| c.0).max().unwrap_or(0);
        let table = columns > 2;
        if table {
            if !sheet.fit_to_page || setup.get("fitToHeight").map(String::as_str) != Some("0") {
                say("does not print one page wide (fitToPage with fitToHeight 0)".into());
            }
            if setup.get("fitToWidth").is_some_and(|w| w != "1") {
                say(format!("prints {} pages wide", setup["fitToWidth"]));
            }
            if sheet.used_width() > PORTRAIT_CHARS && setup.get("orientation").map(String::as_str) != Some("landscape")
            {
                say(format!("{:.0} characters wide but not landscape", sheet.used_width()));
            }
            if sheet.title_rows.is_none() {
                say("its header rows are not repeated on each printed page".into());
            }
            if !sheet.footer.as_deref().is_some_and(|f| f.contains("&P")) {
                say("no page numbers in the footer".into());
            }
        }
        // Titles and headers (the rows repeated on each page), or the labels of a two-column sheet.
        for (col, row, text, _) in &sheet.cells {
            let heading = match sheet.title_rows {
                Some(last) => *row <= last,
                None => *col == 1,
            };
            if heading && looks_like_key(text) {
                say(format!("{}{row} is a message key: `{text}`", column_letters(*col)));
            }
        }
        for (col, row, text, _) in sheet.cells.iter().filter(|c| c.3) {
            // A merged cell has the width of its columns and the height of its rows.
            let (last_col, last_row) = sheet
                .merged
                .iter()
                .find(|(c0, r0, _, _)| c0 == col && r0 == row)
                .map_or((*col, *row), |(_, _, c1, r1)| (*c1, *r1));
            let width: f64 = (*col..=last_col).map(|c| sheet.width(c)).sum();
            let lines: f64 =
                text.lines().map(|l| (l.chars().count() as f64 / (width * 1.2).max(1.0)).ceil().max(1.0)).sum();
            let height: f64 =
                (*row..=last_row).map(|r| sheet.heights.get(&r).copied().flatten().unwrap_or(ROW_PT)).sum();
            if lines >= 2.0 && height < 0.75 * ROW_PT * lines {
                say(format!(
                    "{}{row} needs about {lines} lines of wrapped text but its row is {height} points tall",
                    column_letters(*col)
                ));
            }
        }
    }
    problems
}

fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        col -= 1;
        out.push((b'A' + (col % 26) as u8) as char);
        col /= 26;
    }
    out.iter().rev().collect()
}
