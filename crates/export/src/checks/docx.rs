//! The checks on a DOCX, read from its `word/document.xml`: the header table (authority, national
//! title, number), the type line and trích yếu, the body, the signature table (the last table without
//! borders: a contract's appendices follow it, their tables' text checked with the body's).

use std::io::Read;

use roxmltree::Node;

use super::{Facts, is_heading, text_problems, word_group_problems};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A paragraph of the DOCX as the checks see it.
#[derive(Debug, Clone)]
struct Paragraph {
    text: String,
    /// Every run with text is italic.
    italic: bool,
    keep_next: bool,
    keep_lines: bool,
}

fn w(name: &str) -> (&'static str, &str) {
    (W, name)
}

fn paragraph(p: Node) -> Paragraph {
    let runs: Vec<Node> = p
        .descendants()
        .filter(|n| n.has_tag_name(w("r")))
        .filter(|r| r.descendants().any(|t| t.has_tag_name(w("t")) && t.text().is_some_and(|s| !s.is_empty())))
        .collect();
    let text: String = p.descendants().filter(|n| n.has_tag_name(w("t"))).filter_map(|t| t.text()).collect();
    let props = p.children().find(|n| n.has_tag_name(w("pPr")));
    let has = |name: &str| props.is_some_and(|pr| pr.children().any(|n| n.has_tag_name(w(name))));
    Paragraph {
        text,
        italic: !runs.is_empty() && runs.iter().all(|r| r.descendants().any(|n| n.has_tag_name(w("i")))),
        keep_next: has("keepNext"),
        keep_lines: has("keepLines"),
    }
}

/// The non-empty paragraphs of a table cell.
fn cell_paragraphs(cell: Node) -> Vec<Paragraph> {
    cell.children().filter(|n| n.has_tag_name(w("p"))).map(paragraph).filter(|p| !p.text.trim().is_empty()).collect()
}

/// The cells of the rows of a table: rows of cells of paragraphs.
fn table_cells(table: Node) -> Vec<Vec<Vec<Paragraph>>> {
    table
        .children()
        .filter(|n| n.has_tag_name(w("tr")))
        .map(|tr| tr.children().filter(|n| n.has_tag_name(w("tc"))).map(cell_paragraphs).collect())
        .collect()
}

/// Whether a table is drawn without borders (the header and signature blocks, not a data table).
fn borderless(table: Node) -> bool {
    table
        .descendants()
        .find(|n| n.has_tag_name(w("tblBorders")))
        .and_then(|b| b.children().find(|n| n.has_tag_name(w("top"))))
        .and_then(|top| top.attribute((W, "val")))
        .is_some_and(|v| v == "none")
}

/// The text of a part of a DOCX package.
fn part(bytes: &[u8], name: &str) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a DOCX: {e}"))?;
    let mut file = archive.by_name(name).map_err(|_| format!("no {name} in the DOCX"))?;
    let mut xml = String::new();
    file.read_to_string(&mut xml).map_err(|e| format!("{name}: {e}"))?;
    Ok(xml)
}

/// The document read from its XML: the facts, and the formatting of the body's paragraphs.
struct Parsed {
    facts: Facts,
    body: Vec<Paragraph>,
    signature_rows_split: bool,
}

fn read(bytes: &[u8]) -> Result<Parsed, String> {
    let xml = part(bytes, "word/document.xml")?;
    let doc = roxmltree::Document::parse(&xml).map_err(|e| format!("document.xml: {e}"))?;
    let body = doc.descendants().find(|n| n.has_tag_name(w("body"))).ok_or("no w:body")?;
    let blocks: Vec<Node> = body.children().filter(|n| n.is_element() && !n.has_tag_name(w("sectPr"))).collect();
    let tables: Vec<usize> =
        blocks.iter().enumerate().filter(|(_, n)| n.has_tag_name(w("tbl"))).map(|(i, _)| i).collect();
    // The signature is the last table without borders: an annex (a contract's appendices) may follow it.
    let signature = tables.iter().rev().find(|&&i| borderless(blocks[i])).or(tables.last());
    let (Some(&first), Some(&last)) = (tables.first(), signature) else {
        return Err("no header or signature table".into());
    };
    if first == last {
        return Err("one table only: the header and the signature are both tables".into());
    }
    let mut facts = Facts::default();
    let header = table_cells(blocks[first]);
    let texts = |ps: &[Paragraph]| ps.iter().map(|p| p.text.trim().to_owned()).collect::<Vec<_>>();
    if let Some(row) = header.first() {
        facts.authority_lines = row.first().map(|c| texts(c)).unwrap_or_default();
        facts.title_lines = row.get(1).map(|c| texts(c)).unwrap_or_default();
    }
    facts.number_line =
        header.get(1).and_then(|r| r.first()).and_then(|c| c.first()).map(|p| p.text.clone()).unwrap_or_default();
    let mut paragraphs = Vec::new();
    let mut table_text = Vec::new();
    for block in &blocks[first + 1..last] {
        if block.has_tag_name(w("p")) {
            let p = paragraph(*block);
            if !p.text.trim().is_empty() {
                paragraphs.push(p);
            }
        } else if block.has_tag_name(w("tbl")) {
            table_text.extend(table_cells(*block).into_iter().flatten().flatten().map(|p| p.text));
        }
    }
    for block in blocks[last + 1..].iter().filter(|n| n.has_tag_name(w("tbl"))) {
        table_text.extend(table_cells(*block).into_iter().flatten().flatten().map(|p| p.text));
    }
    let mut leading = paragraphs.drain(..2.min(paragraphs.len()));
    facts.kind_title = leading.next().map(|p| p.text).unwrap_or_default();
    facts.summary = leading.next().map(|p| p.text).unwrap_or_default();
    drop(leading);
    facts.body = paragraphs.iter().map(|p| p.text.clone()).collect();
    facts.closing = facts.body.last().cloned().unwrap_or_default();
    facts.table_text = table_text;
    let signature = table_cells(blocks[last]);
    for cell in signature.iter().flatten() {
        let at = cell.iter().position(|p| p.text.trim() == "Nơi nhận:");
        let block = &cell[..at.unwrap_or(cell.len())];
        facts.recipients |= at.is_some();
        if let [.., position, name] = block {
            facts.signers.push((position.text.trim().to_owned(), name.text.trim().to_owned()));
        } else if let [only] = block {
            facts.signers.push((only.text.trim().to_owned(), String::new()));
        }
    }
    let signature_rows_split = blocks[last]
        .children()
        .filter(|n| n.has_tag_name(w("tr")))
        .any(|tr| !tr.descendants().any(|n| n.has_tag_name(w("cantSplit"))));
    Ok(Parsed { facts, body: paragraphs, signature_rows_split })
}

/// The facts of an official document as its DOCX states them.
pub fn facts(bytes: &[u8]) -> Result<Facts, String> {
    read(bytes).map(|r| r.facts)
}

/// What a clerk would refuse in a DOCX: the text problems of [`super::text_problems`], the
/// issuing authority and the national title broken inside a word group, legal bases (`Căn cứ …`)
/// not in italic, a heading or caption not kept with what follows, a closing paragraph not kept
/// with the signature, a signature block that may split, a draft without room for its number.
pub fn problems(bytes: &[u8]) -> Vec<String> {
    let read = match read(bytes) {
        Ok(read) => read,
        Err(e) => return vec![e],
    };
    let facts = &read.facts;
    let mut problems = text_problems(facts);
    problems.extend(word_group_problems(&facts.authority_lines, "issuing authority"));
    problems.extend(word_group_problems(&facts.title_lines, "national title"));
    for p in &read.body {
        if p.text.starts_with("Căn cứ") && !p.italic {
            problems.push(format!("a legal basis is not italic: {}", p.text));
        }
        if is_heading(&p.text) && !p.keep_next {
            problems.push(format!("a heading is not kept with what follows: {}", p.text));
        }
    }
    match read.body.last() {
        Some(closing) if !(closing.keep_next && closing.keep_lines) => {
            problems.push(format!("the closing paragraph is not kept with the signature: {}", closing.text));
        }
        Some(_) => {}
        None => problems.push("no closing paragraph before the signature".into()),
    }
    if read.signature_rows_split {
        problems.push("the signature block may split across pages (no cantSplit)".into());
    }
    if facts.is_draft() {
        let room = facts.number_line.trim_start_matches("Số:").chars().take_while(|c| c.is_whitespace()).count();
        if room < 8 {
            problems.push(format!("a draft leaves no room for its number: `{}`", facts.number_line));
        }
    }
    problems
}
