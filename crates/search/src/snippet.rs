//! Highlighted snippets: the part of a text with the most query words, and the byte ranges of the words
//! to highlight, all as offsets into the text as stored (what the author wrote, NFC or NFD).

use std::collections::HashSet;
use std::ops::Range;

use tiendo_core::text::analyze;

/// About how long a snippet is, in characters.
pub const SNIPPET_CHARS: usize = 220;

/// A fragment of a text with the words to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The fragment.
    pub text: String,
    /// Where it starts in the whole text (bytes).
    pub offset: usize,
    /// Whether text was cut before the fragment.
    pub cut_before: bool,
    /// Whether text was cut after the fragment.
    pub cut_after: bool,
    /// The words to highlight, as byte ranges of `text`, in order and without overlap.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// The fragment as HTML: escaped, highlights in `<mark>`, an ellipsis where text was cut.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 16 * self.highlights.len());
        if self.cut_before {
            out.push_str("… ");
        }
        let mut at = 0;
        for range in &self.highlights {
            escape_into(&self.text[at..range.start], &mut out);
            out.push_str("<mark>");
            escape_into(&self.text[range.clone()], &mut out);
            out.push_str("</mark>");
            at = range.end;
        }
        escape_into(&self.text[at..], &mut out);
        if self.cut_after {
            out.push_str(" …");
        }
        out
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The folded words and symbols a query matches, to recognise in a text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Highlighter {
    /// Folded words (and whole symbols) of the query and of its expansions.
    pub words: HashSet<String>,
}

impl Highlighter {
    /// The byte ranges of the matched tokens of `text` (whole symbols rather than their parts).
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut fold = String::new();
        for span in analyze::tokens(text) {
            analyze::fold_token(text, &span, &mut fold);
            if !self.words.contains(&fold) {
                continue;
            }
            // A symbol's parts come after it and lie inside it.
            if out.last().is_some_and(|last| span.start < last.end) {
                continue;
            }
            out.push(span.start..span.end);
        }
        out
    }

    /// The best fragment of `text`: the window of about [`SNIPPET_CHARS`] with the most distinct
    /// matched words (then the earliest), cut at word boundaries. `None` for an empty text; the start of
    /// the text when nothing matches.
    pub fn snippet(&self, text: &str) -> Option<Snippet> {
        if text.trim().is_empty() {
            return None;
        }
        let ranges = self.ranges(text);
        // Candidate windows start at each highlight (or at the beginning).
        let mut best: (usize, usize) = (0, 0);
        for (i, range) in ranges.iter().enumerate() {
            let window_end = advance_chars(text, range.start, SNIPPET_CHARS);
            let mut distinct = HashSet::new();
            for r in ranges[i..].iter().take_while(|r| r.end <= window_end) {
                distinct.insert(analyze::fold_word(&text[r.clone()]));
            }
            if distinct.len() > best.1 {
                best = (range.start, distinct.len());
            }
        }
        // Start a little before the first highlight, at a word boundary.
        let mut start = if best.1 == 0 { 0 } else { back_chars(text, best.0, 40) };
        if start > 0 {
            start = text[start..].find(char::is_whitespace).map_or(start, |p| start + p + 1).min(best.0);
        }
        let mut end = advance_chars(text, start, SNIPPET_CHARS);
        if end < text.len() {
            end = text[..end].rfind(char::is_whitespace).filter(|p| *p > start).unwrap_or(end);
        }
        let fragment = &text[start..end];
        let trimmed_start = start + (fragment.len() - fragment.trim_start().len());
        let trimmed_end = trimmed_start + fragment.trim().len();
        let highlights = ranges
            .iter()
            .filter(|r| r.start >= trimmed_start && r.end <= trimmed_end)
            .map(|r| r.start - trimmed_start..r.end - trimmed_start)
            .collect();
        Some(Snippet {
            text: text[trimmed_start..trimmed_end].to_owned(),
            offset: trimmed_start,
            cut_before: trimmed_start > 0 && !text[..trimmed_start].trim().is_empty(),
            cut_after: trimmed_end < text.len() && !text[trimmed_end..].trim().is_empty(),
            highlights,
        })
    }
}

/// The byte offset `n` characters after `from` (or the end).
fn advance_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..].char_indices().nth(n).map_or(text.len(), |(i, _)| from + i)
}

/// The byte offset `n` characters before `from` (or the start).
fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(words: &[&str]) -> Highlighter {
        Highlighter { words: words.iter().map(|w| (*w).to_owned()).collect() }
    }

    #[test]
    fn highlights_slice_the_original_text_in_nfd_too() {
        let text = "Thị xã Qua\u{309}ng Yên triển khai Nghị quyết 07-NQ/TU";
        let h = highlighter(&["quang", "yen", "7-nq/tu"]);
        let s = h.snippet(text).unwrap();
        let marked: Vec<&str> = s.highlights.iter().map(|r| &s.text[r.clone()]).collect();
        assert_eq!(marked, ["Qua\u{309}ng", "Yên", "07-NQ/TU"]);
        assert_eq!(
            s.to_html(),
            "Thị xã <mark>Qua\u{309}ng</mark> <mark>Yên</mark> triển khai Nghị quyết <mark>07-NQ/TU</mark>"
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_best_window_and_escaped() {
        let filler = "lorem ipsum dolor sit amet <b> ".repeat(30);
        let text = format!("{filler} Hoàng Tân và Quảng Yên {filler}");
        let s = highlighter(&["hoang", "tan", "quang", "yen"]).snippet(&text).unwrap();
        assert!(s.cut_before && s.cut_after, "{s:?}");
        assert_eq!(s.highlights.len(), 4);
        assert!(s.text.chars().count() <= SNIPPET_CHARS + 1);
        assert!(s.to_html().contains("&lt;b&gt;"));
        assert_eq!(&text[s.offset..s.offset + s.text.len()], s.text);
    }

    #[test]
    fn no_match_gives_the_start_and_empty_text_none() {
        let s = highlighter(&["xyz"]).snippet("Một hai ba").unwrap();
        assert_eq!((s.text.as_str(), s.highlights.len()), ("Một hai ba", 0));
        assert!(highlighter(&["a"]).snippet("  ").is_none());
    }
}
