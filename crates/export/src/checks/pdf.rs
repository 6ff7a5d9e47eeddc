//! The checks on a PDF of an official document (ours, or LibreOffice's of the DOCX), read with
//! poppler-utils: where its lines break and what stands on which page.

use std::path::Path;
use std::process::Command;

use super::{Facts, PT_PER_MM, word_group_problems};

/// The left edge of the text block (30 mm) and the edge between the header's two columns (the
/// authority on the left, 38 % of the 165 mm text block of an A4 page).
const HEADER_SPLIT: f32 = (30.0 + 0.38 * 165.0) * PT_PER_MM;

/// A word of a PDF page and its box, in points from the top left of the page.
#[derive(Debug, Clone)]
pub struct Word {
    /// The word.
    pub text: String,
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

/// The words of one page of a PDF, as `pdftotext -bbox` reads them.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its words.
    pub words: Vec<Word>,
}

impl Page {
    /// The words grouped in lines (words whose tops are within 3 points), top to bottom, each line
    /// left to right.
    pub fn lines(&self) -> Vec<Vec<&Word>> {
        let mut words: Vec<&Word> = self.words.iter().collect();
        words.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let mut lines: Vec<Vec<&Word>> = Vec::new();
        for w in words {
            match lines.last_mut() {
                Some(line) if (line[0].y0 - w.y0).abs() < 3.0 => line.push(w),
                _ => lines.push(vec![w]),
            }
        }
        for line in &mut lines {
            line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        }
        lines
    }

    /// The page's text, one line per line.
    pub fn text(&self) -> String {
        self.lines()
            .iter()
            .map(|l| l.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The box of the last occurrence of `phrase` (consecutive words of one line) above `below`.
    pub fn find(&self, phrase: &str, below: f32) -> Option<(f32, f32, f32, f32)> {
        let wanted: Vec<&str> = phrase.split_whitespace().collect();
        let mut found = None;
        for line in self.lines() {
            for start in 0..line.len() {
                let run = &line[start..(start + wanted.len()).min(line.len())];
                if run.len() == wanted.len() && run.iter().zip(&wanted).all(|(w, t)| w.text == *t) && run[0].y0 < below
                {
                    let last = run[run.len() - 1];
                    found = Some((run[0].x0, run[0].y0, last.x1, last.y1));
                }
            }
        }
        found
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn attribute(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    tag.find(&key)
        .and_then(|start| {
            let start = start + key.len();
            tag[start..].find('"').and_then(|end| tag[start..start + end].parse().ok())
        })
        .unwrap_or(0.0)
}

/// The pages of a PDF with the boxes of their words (`pdftotext -bbox`).
pub fn pages(path: &Path) -> Result<Vec<Page>, String> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .map_err(|e| format!("pdftotext: {e}"))?;
    if !out.status.success() {
        return Err(format!("pdftotext -bbox failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let html = String::from_utf8_lossy(&out.stdout);
    Ok(html
        .split("<page ")
        .skip(1)
        .map(|page| {
            let words = page
                .split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let (tag, rest) = w.split_once('>')?;
                    let text = rest.split("</word>").next().unwrap_or_default();
                    Some(Word {
                        text: unescape(text),
                        x0: attribute(tag, "xMin"),
                        y0: attribute(tag, "yMin"),
                        x1: attribute(tag, "xMax"),
                        y1: attribute(tag, "yMax"),
                    })
                })
                .collect();
            Page { words }
        })
        .collect())
}

/// Each piece of text of a PDF and whether it is set in an italic face (`pdftohtml -xml` marks it
/// `<i>`, or names the face `…Italic`), e.g. `("Căn cứ Luật …", true)`.
pub fn text_styles(path: &Path) -> Result<Vec<(String, bool)>, String> {
    let out = Command::new("pdftohtml")
        .args(["-xml", "-i", "-stdout", "-q"])
        .arg(path)
        .output()
        .map_err(|e| format!("pdftohtml: {e}"))?;
    if !out.status.success() {
        return Err(format!("pdftohtml failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut families = std::collections::HashMap::new();
    for spec in xml.split("<fontspec ").skip(1) {
        let tag = spec.split('>').next().unwrap_or_default();
        let value = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|s| tag[s + key.len()..].split('"').next().unwrap_or_default().to_owned())
        };
        if let (Some(id), Some(family)) = (value("id"), value("family")) {
            families.insert(id, family);
        }
    }
    Ok(xml
        .split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let font = tag.split("font=\"").nth(1)?.split('"').next()?;
            let inner = rest.split("</text>").next().unwrap_or_default();
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let family = families.get(font).map(String::as_str).unwrap_or_default();
            Some((unescape(&text), inner.contains("<i>") || family.contains("Italic")))
        })
        .collect())
}

/// The lines of the header's two columns on page 1 (above the number line), as text.
pub fn header_columns(page: &Page) -> (Vec<String>, Vec<String>) {
    let number = page.words.iter().find(|w| w.text.starts_with("Số")).map_or(f32::MAX, |w| w.y0);
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

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a clerk would refuse in a PDF of the document described by `facts`: the authority or the
/// national title broken inside a word group, a signer's name missing or with less than 20 mm to
/// sign above it, the signature on a page without the whole closing paragraph (or without the Nơi
/// nhận), a heading or caption at the foot of a page, a draft whose number line leaves less than
/// 12 mm for the number, a legal basis not in italic.
pub fn problems(path: &Path, facts: &Facts) -> Vec<String> {
    let pages = match pages(path) {
        Ok(pages) if !pages.is_empty() => pages,
        Ok(_) => return vec!["the PDF has no page".into()],
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    let (left, right) = header_columns(&pages[0]);
    if squeeze(&left.join(" ")) != squeeze(&facts.authority_lines.join(" ")) {
        problems.push(format!("the issuing authority reads {left:?}, not {:?}", facts.authority_lines));
    }
    problems.extend(word_group_problems(&left, "issuing authority"));
    let titles: Vec<String> = right.into_iter().filter(|l| l.chars().any(char::is_uppercase)).collect();
    problems.extend(word_group_problems(&titles, "national title"));

    let mut signature_page = None;
    for (position, name) in facts.signers.iter().filter(|(_, n)| !n.is_empty()) {
        let Some((at, name_box)) =
            pages.iter().enumerate().rev().find_map(|(i, p)| p.find(name, f32::MAX).map(|b| (i, b)))
        else {
            problems.push(format!("the signer's name `{name}` is not printed"));
            continue;
        };
        signature_page = Some(at);
        match pages[at].find(position, name_box.1) {
            Some(position_box) => {
                let room = (name_box.1 - position_box.3) / PT_PER_MM;
                if room < 20.0 {
                    problems.push(format!("{room:.0} mm to sign between `{position}` and `{name}`"));
                }
            }
            None => problems.push(format!("`{position}` is not above `{name}` on page {}", at + 1)),
        }
    }
    if let Some(at) = signature_page {
        let page = squeeze(&pages[at].text());
        // Without spaces: a writer may break a line after the hyphen of a symbol (`57-` / `NQ/TW`).
        let solid = |t: &str| t.split_whitespace().collect::<String>();
        if !facts.closing.is_empty() && !solid(&page).contains(&solid(&facts.closing)) {
            problems.push(format!(
                "the signature stands on page {} without the whole closing paragraph `{}`",
                at + 1,
                facts.closing
            ));
        }
        if facts.recipients && !page.contains("Nơi nhận:") {
            problems.push(format!("the Nơi nhận is not beside the signature on page {}", at + 1));
        }
    }

    let headings = facts.headings();
    for (i, page) in pages.iter().enumerate().take(pages.len() - 1) {
        let text = page.text();
        let last = squeeze(text.lines().last().unwrap_or_default());
        let stranded = headings.iter().map(|h| squeeze(h)).any(|h| h == last || h.starts_with(&format!("{last} ")));
        if last.split(' ').count() >= 2 && stranded {
            problems.push(format!("page {} ends with the heading `{last}`", i + 1));
        }
    }

    if facts.is_draft() {
        let line = pages[0].lines().into_iter().find(|l| l[0].text.starts_with("Số"));
        match line.as_ref().and_then(|l| l.iter().find(|w| w.text.starts_with('/')).map(|s| (l[0], *s))) {
            Some((label, symbol)) => {
                let room = (symbol.x0 - label.x1) / PT_PER_MM;
                if room < 12.0 {
                    problems.push(format!("{room:.1} mm left for the clerk to write the number"));
                }
            }
            None => problems.push(format!("the number line of a draft is not `Số: … /…` but {line:?}")),
        }
    }

    if !facts.legal_bases().is_empty() {
        match text_styles(path) {
            Ok(pieces) => {
                for (text, italic) in pieces.iter().filter(|(t, _)| t.starts_with("Căn cứ")) {
                    if !italic {
                        problems.push(format!("a legal basis is upright: {text}"));
                    }
                }
            }
            Err(e) => problems.push(e),
        }
    }
    problems
}
