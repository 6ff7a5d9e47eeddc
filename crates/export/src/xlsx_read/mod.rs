//! A small XLSX reader: enough of SpreadsheetML to read back the values of workbooks written by
//! Excel, LibreOffice and this crate (shared and inline strings, numbers, booleans, errors, dates
//! recognised by the cell's number format, percentages), and nothing more (no formulas are
//! evaluated: the value Excel cached is read).
//!
//! Uploads are untrusted, so the reader refuses before it spends: at most
//! [`MAX_UNPACKED_BYTES`] are decompressed over the whole workbook (a zip bomb stops at the cap,
//! whatever its headers claim), at most [`MAX_PARTS`] entries, XML without DTDs (no entity
//! expansion) and with a bounded number of nodes. Sheets are parsed only when asked for.
//!
//! ```no_run
//! # fn demo(bytes: &[u8]) -> Result<(), tiendo_export::xlsx_read::ReadError> {
//! use tiendo_export::xlsx_read::XlsxReader;
//! let mut book = XlsxReader::open(bytes)?;
//! let first = book.sheets()[0].name.clone();
//! let sheet = book.sheet(&first)?.expect("listed");
//! println!("{:?}", sheet.get(0, 0));
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The most bytes decompressed from one workbook, over all its parts (50 MiB). A form of a few
/// hundred rows unpacks to well under 1 MiB.
pub const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// The most entries a workbook's ZIP container may list.
pub const MAX_PARTS: usize = 10_000;

/// The most XML nodes in one part: about 300,000 cells (a node per cell, its value and the value's
/// text). Parsed XML takes some 60 bytes a node, so a part costs at most about 60 MB of memory
/// while it is read; a report form has a few thousand nodes.
const MAX_XML_NODES: u32 = 1_000_000;

mod cells;

pub use cells::{CellValue, Sheet, column_letter, parse_cell_ref, serial_to_datetime};
use cells::{NumberStyle, number_styles, parse_cells, shared_strings};

/// What a file that is not an XLSX workbook looks like, to tell the user what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherFormat {
    /// An Excel 97–2003 `.xls` file (or another OLE compound file).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
    /// A ZIP file without a workbook (a `.docx`, a folder of files).
    OtherZip,
    /// Anything else (a PDF, a picture, a CSV, a truncated download).
    Unknown,
}

impl OtherFormat {
    /// A stable code (`xls`, `ods`, `zip`, `unknown`) for messages.
    pub fn code(self) -> &'static str {
        match self {
            OtherFormat::Xls => "xls",
            OtherFormat::Ods => "ods",
            OtherFormat::OtherZip => "zip",
            OtherFormat::Unknown => "unknown",
        }
    }
}

/// Why a workbook could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not an XLSX workbook.
    #[error("not an XLSX workbook (looks like: {})", .0.code())]
    NotXlsx(OtherFormat),
    /// The workbook is encrypted with a password to open.
    #[error("the workbook is protected by a password to open")]
    Encrypted,
    /// The workbook unpacks to more than [`MAX_UNPACKED_BYTES`], or lists too many parts.
    #[error("the workbook unpacks to more than {limit} bytes or {MAX_PARTS} parts (at {part}); refused")]
    TooLarge {
        /// The part being read when the cap was reached.
        part: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// A part is missing or is not the XML it should be.
    #[error("part {part} of the workbook is damaged: {reason}")]
    Damaged {
        /// The part, e.g. `xl/worksheets/sheet1.xml`.
        part: String,
        /// What is wrong.
        reason: String,
    },
}

/// A sheet as listed by the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetEntry {
    /// The tab name.
    pub name: String,
    /// Hidden or very hidden.
    pub hidden: bool,
    path: String,
}

/// An open workbook whose sheets are parsed on demand.
pub struct XlsxReader<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → entry index (OPC part names are case-insensitive).
    parts: HashMap<String, usize>,
    unpacked: u64,
    sheets: Vec<SheetEntry>,
    shared: Vec<String>,
    styles: Vec<NumberStyle>,
    date1904: bool,
}

pub(super) fn damaged(part: &str, reason: impl Into<String>) -> ReadError {
    ReadError::Damaged { part: part.to_owned(), reason: reason.into() }
}

fn sniff(bytes: &[u8]) -> OtherFormat {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        return OtherFormat::Xls;
    }
    OtherFormat::Unknown
}

/// Whether an OLE compound file is an encrypted OOXML package (it holds an `EncryptedPackage`
/// stream, whose name is stored in UTF-16).
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Resolves a relationship target against the folder of the part that names it.
fn resolve(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if base_dir.is_empty() => target.to_owned(),
        None => format!("{base_dir}/{target}"),
    };
    let mut out: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

fn folder_of(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

pub(super) fn parse_xml<'t>(part: &str, text: &'t str) -> Result<roxmltree::Document<'t>, ReadError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: MAX_XML_NODES, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => ReadError::TooLarge { part: part.to_owned(), limit: MAX_UNPACKED_BYTES },
        other => damaged(part, other.to_string()),
    })
}

/// A relationship: its type (the last segment of the URI) and resolved target.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

impl<'a> XlsxReader<'a> {
    /// Opens a workbook: checks that the bytes are an XLSX package and reads the sheet list, the
    /// shared strings and the number formats.
    pub fn open(bytes: &'a [u8]) -> Result<XlsxReader<'a>, ReadError> {
        let archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(a) => a,
            Err(_) if is_encrypted_ooxml(bytes) && sniff(bytes) == OtherFormat::Xls => {
                return Err(ReadError::Encrypted);
            }
            Err(_) => return Err(ReadError::NotXlsx(sniff(bytes))),
        };
        if archive.len() > MAX_PARTS {
            return Err(ReadError::TooLarge { part: "[zip directory]".into(), limit: MAX_UNPACKED_BYTES });
        }
        let mut parts = HashMap::new();
        for i in 0..archive.len() {
            if let Some(Ok(name)) = archive.name_for_index(i) {
                parts.insert(name.trim_start_matches('/').to_lowercase(), i);
            }
        }
        let mut reader = XlsxReader {
            archive,
            parts,
            unpacked: 0,
            sheets: Vec::new(),
            shared: Vec::new(),
            styles: Vec::new(),
            date1904: false,
        };
        if reader.parts.contains_key("mimetype") && !reader.parts.contains_key("[content_types].xml") {
            let kind = reader.read_part("mimetype")?.unwrap_or_default();
            let format = if kind.contains("opendocument") { OtherFormat::Ods } else { OtherFormat::OtherZip };
            return Err(ReadError::NotXlsx(format));
        }
        let workbook_part = reader
            .relationships("")?
            .into_iter()
            .find(|r| r.kind == "officeDocument")
            .map(|r| r.target)
            .unwrap_or_else(|| "xl/workbook.xml".to_owned());
        let Some(workbook_xml) = reader.read_part(&workbook_part)? else {
            return Err(ReadError::NotXlsx(OtherFormat::OtherZip));
        };
        let rels = reader.relationships(&workbook_part)?;
        let doc = parse_xml(&workbook_part, &workbook_xml)?;
        if doc.root_element().tag_name().name() != "workbook" {
            return Err(ReadError::NotXlsx(OtherFormat::OtherZip));
        }
        for node in doc.descendants().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "workbookPr" => {
                    reader.date1904 = matches!(node.attribute("date1904"), Some("1" | "true"));
                }
                "sheet" => {
                    let name = node.attribute("name").unwrap_or_default().to_owned();
                    let rid = node
                        .attributes()
                        .find(|a| a.name() == "id" && a.namespace().is_some())
                        .map(|a| a.value())
                        .unwrap_or_default();
                    let hidden = matches!(node.attribute("state"), Some("hidden" | "veryHidden"));
                    // Chart sheets and dialog sheets have other relationship types: not read.
                    if let Some(rel) = rels.iter().find(|r| r.id == rid && r.kind == "worksheet") {
                        reader.sheets.push(SheetEntry { name, hidden, path: rel.target.clone() });
                    }
                }
                _ => {}
            }
        }
        drop(doc);
        let find = |kind: &str, default: &str| {
            rels.iter().find(|r| r.kind == kind).map_or_else(|| default.to_owned(), |r| r.target.clone())
        };
        let shared_part = find("sharedStrings", "xl/sharedStrings.xml");
        let styles_part = find("styles", "xl/styles.xml");
        if let Some(xml) = reader.read_part(&shared_part)? {
            reader.shared = shared_strings(&shared_part, &xml)?;
        }
        if let Some(xml) = reader.read_part(&styles_part)? {
            reader.styles = number_styles(&styles_part, &xml)?;
        }
        Ok(reader)
    }

    /// The sheets in tab order (worksheets only).
    pub fn sheets(&self) -> &[SheetEntry] {
        &self.sheets
    }

    /// Parses the sheet with this name (exactly, else ignoring case); `Ok(None)` when there is none.
    pub fn sheet(&mut self, name: &str) -> Result<Option<Sheet>, ReadError> {
        let entry = self
            .sheets
            .iter()
            .find(|s| s.name == name)
            .or_else(|| self.sheets.iter().find(|s| s.name.to_lowercase() == name.to_lowercase()))
            .cloned();
        let Some(entry) = entry else { return Ok(None) };
        let xml = self.read_part(&entry.path)?.ok_or_else(|| damaged(&entry.path, "the sheet's part is missing"))?;
        let cells = parse_cells(&entry.path, &xml, &self.shared, &self.styles, self.date1904)?;
        Ok(Some(Sheet { name: entry.name, hidden: entry.hidden, cells }))
    }

    /// Reads a part as UTF-8 text within the remaining budget; `Ok(None)` when it is absent.
    fn read_part(&mut self, part: &str) -> Result<Option<String>, ReadError> {
        let Some(&index) = self.parts.get(&part.to_lowercase()) else { return Ok(None) };
        let mut file = self.archive.by_index(index).map_err(|e| damaged(part, e.to_string()))?;
        if file.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let budget = MAX_UNPACKED_BYTES - self.unpacked;
        let too_large = || ReadError::TooLarge { part: part.to_owned(), limit: MAX_UNPACKED_BYTES };
        // The declared size is only a hint (a zip bomb may lie), so the read itself is capped too.
        if file.size() > budget {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0).min(1 << 20));
        (&mut file).take(budget + 1).read_to_end(&mut bytes).map_err(|e| damaged(part, e.to_string()))?;
        if bytes.len() as u64 > budget {
            return Err(too_large());
        }
        self.unpacked += bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|_| damaged(part, "not UTF-8 text"))?;
        Ok(Some(text))
    }

    /// The relationships of a part (`""` for the package).
    fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, ReadError> {
        let rels_part = if part.is_empty() { "_rels/.rels".to_owned() } else { rels_of(part) };
        let Some(xml) = self.read_part(&rels_part)? else { return Ok(Vec::new()) };
        let doc = parse_xml(&rels_part, &xml)?;
        let base = folder_of(part);
        Ok(doc
            .descendants()
            .filter(|n| n.tag_name().name() == "Relationship")
            .filter(|n| n.attribute("TargetMode") != Some("External"))
            .filter_map(|n| {
                Some(Relationship {
                    id: n.attribute("Id")?.to_owned(),
                    kind: n.attribute("Type")?.rsplit('/').next()?.to_owned(),
                    target: resolve(base, n.attribute("Target")?),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_against_their_part() {
        assert_eq!(resolve("xl", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/worksheets", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(rels_of("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }
}
