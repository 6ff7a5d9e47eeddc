//! The Vietnamese analyzer: how text is cut into tokens for search and for name matching.
//!
//! - **Syllables.** A token is a maximal run of letters, digits and combining marks, so text arrives
//!   precomposed (NFC) or decomposed (NFD) alike. An apostrophe inside a word is part of it and dropped from
//!   its forms ("H'Mông" = "HMông"). Every token keeps its byte range in the **original** text, so that
//!   snippets highlight what the reader wrote, whatever the normalisation.
//! - **Two forms per token.** [`fold_token`] gives the folded form (lowercase, marks removed, `đ` → `d`,
//!   numbers without leading zeros): diacritic-insensitive recall. [`exact_token`] gives the exact form
//!   (lowercase NFC, diacritics kept, the tone mark of `oa`, `oe` and `uy` always on the second vowel, so
//!   "hòa" = "hoà" and "thủy" = "thuỷ"): precision, ranked first.
//! - **Document symbols.** Parts joined by single `/`, `-`, `.`, `&` or `_` without spaces form a compound.
//!   A compound with a digit, a letter and a `/` or `-` ("07-NQ/TU", "128/KH-UBND", "93/2025/QH15") is a
//!   [`TokenKind::Symbol`], emitted whole before its parts; the whole token takes the position of its
//!   first part, so phrases over the parts still work. Capitals joined by punctuation ("KH&CN", "NĐ-CP",
//!   "TP.HCM") are one word ([`TokenKind::Joined`], "khcn") and their parts are not words: the "KH" of
//!   "KH&CN" (khoa học) is not the "KH" of a plan's symbol (kế hoạch); [`joined_parts`] gives them to a
//!   query that wants to match them inside symbols.
//! - **Bigrams.** [`bigrams`] pairs neighbouring syllables that only spaces, a joiner or a comma separate
//!   ("khoa_hoc", "hoc_cong"): unquoted multi-word queries rank documents with the words together first,
//!   and words that must stand together (a phrase, a name) are found by their bigrams.
//! - **Typos.** A syllable of four letters or more may be matched with one edit ([`typo_tolerant`],
//!   [`within_one_edit`]); shorter ones are too ambiguous ("tan", "tân", "tần", "tấn" are already many
//!   words).
//!
//! No stemming and no stop words: Vietnamese does not inflect, and "và" is part of names such as "khoa học
//! và công nghệ".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Tokens longer than this (in letters and digits, marks not counted, so NFC and NFD agree) are skipped:
/// no one searches for them, and they would bloat the index.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Whether a slice of text is too long to be a token.
fn too_long(s: &str) -> bool {
    s.len() > MAX_TOKEN_CHARS && s.chars().filter(|c| !is_combining_mark(*c)).nth(MAX_TOKEN_CHARS).is_some()
}

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A syllable, a number, or one part of a compound.
    Part,
    /// A whole document symbol ("07-NQ/TU"), before its parts and at the position of the first one.
    Symbol,
    /// Capitals joined by punctuation, one word ("KH&CN" → "khcn"); its parts are not emitted.
    Joined,
}

/// A token: its byte range in the original text, its position, its kind. Its forms are computed on demand
/// ([`fold_token`], [`exact_token`]), so that a caller needing one form does not pay for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first byte of the token in the original text.
    pub start: usize,
    /// The byte after the token.
    pub end: usize,
    /// The position, counted in parts: a symbol shares the position of its first part.
    pub position: usize,
    /// What the token stands for.
    pub kind: TokenKind,
    /// For a part: whether only spaces, one joiner or one comma separate it from the previous part, so
    /// that the two may form a bigram (not across a full stop or any other punctuation). A comma is crossed:
    /// Vietnamese lists the parts of one name with it ("khoa học, công nghệ và đổi mới sáng tạo").
    pub follows_closely: bool,
}

/// A token with both forms, for callers that want them all ([`analyze`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Where it is and what it is.
    pub span: Span,
    /// The folded form ("quang", "07-nq/tu" → "7-nq/tu").
    pub fold: String,
    /// The exact form ("quảng", "07-nq/tu").
    pub exact: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Apostrophe,
    Joiner,
    Space,
    Other,
}

fn class(c: char) -> Class {
    if c.is_alphanumeric() || is_combining_mark(c) {
        Class::Word
    } else if matches!(c, '\'' | '’' | 'ʼ') {
        Class::Apostrophe
    } else if matches!(c, '/' | '-' | '.' | '&' | '_' | '\u{2010}' | '\u{2011}') {
        Class::Joiner
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// A run of word characters: `[start, end)` in the text.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
    /// Only spaces, or one comma and spaces (or nothing), between the previous compound and this run.
    after_space: bool,
}

/// The tokens of a text, in order: for a compound, its whole token first, then its parts.
#[derive(Debug, Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    /// Byte offset of the next character to read.
    cursor: usize,
    /// The position of the next part.
    position: usize,
    /// The runs of the current compound and the index of the next part to emit.
    runs: Vec<Run>,
    next_run: usize,
    /// Whether the whole token of the current compound is still to emit.
    pending_whole: Option<Span>,
}

/// Cuts a text into tokens, in NFC or NFD alike; offsets index the text given.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, cursor: 0, position: 0, runs: Vec::new(), next_run: 0, pending_whole: None }
}

impl Tokens<'_> {
    /// Reads the next compound (one or more runs joined by single joiners) into `self.runs`.
    fn read_compound(&mut self) -> bool {
        self.runs.clear();
        self.next_run = 0;
        let text = self.text;
        let bytes_len = text.len();
        // Skip to the next word character, noting whether only spaces and at most one comma were crossed.
        let mut after_space = true;
        let mut comma = false;
        let mut start = None;
        for (offset, c) in text[self.cursor..].char_indices() {
            match class(c) {
                Class::Word => {
                    start = Some(self.cursor + offset);
                    break;
                }
                Class::Space => {}
                _ if c == ',' && !comma => comma = true,
                _ => after_space = false,
            }
        }
        let Some(mut run_start) = start else {
            self.cursor = bytes_len;
            return false;
        };
        let mut run_after_space = after_space;
        loop {
            // Extend the run over word characters and inner apostrophes.
            let mut end = run_start;
            let mut iter = text[run_start..].char_indices().peekable();
            while let Some((offset, c)) = iter.next() {
                match class(c) {
                    Class::Word => end = run_start + offset + c.len_utf8(),
                    Class::Apostrophe
                        if iter.peek().is_some_and(|(_, next)| class(*next) == Class::Word) && end > run_start =>
                    {
                        end = run_start + offset + c.len_utf8();
                    }
                    _ => break,
                }
            }
            self.runs.push(Run { start: run_start, end, after_space: run_after_space });
            // A single joiner followed by a word character continues the compound.
            let mut rest = text[end..].chars();
            match (rest.next(), rest.next()) {
                (Some(j), Some(w)) if class(j) == Class::Joiner && class(w) == Class::Word => {
                    run_start = end + j.len_utf8();
                    run_after_space = true;
                }
                _ => {
                    self.cursor = end;
                    break;
                }
            }
        }
        true
    }

    /// What the current compound is as a whole, if anything.
    fn whole_kind(&self) -> Option<TokenKind> {
        if self.runs.len() < 2 {
            return None;
        }
        let text = self.text;
        let first = self.runs[0].start;
        let last = self.runs[self.runs.len() - 1].end;
        let whole = &text[first..last];
        let has_digit = whole.chars().any(|c| c.is_numeric());
        let has_letter = whole.chars().any(char::is_alphabetic);
        let slash_or_dash = whole.chars().any(|c| matches!(c, '/' | '-' | '\u{2010}' | '\u{2011}'));
        if has_digit && has_letter && slash_or_dash && self.runs.iter().all(|r| has_base_letter(&text[r.start..r.end]))
        {
            return Some(TokenKind::Symbol);
        }
        let capitals = self.runs.iter().all(|r| {
            let part = &text[r.start..r.end];
            part.chars().count() <= 6
                && part.chars().any(char::is_uppercase)
                && part.chars().all(|c| c.is_uppercase() || is_combining_mark(c))
        });
        (!has_digit && capitals && self.runs.len() <= 4).then_some(TokenKind::Joined)
    }
}

impl Iterator for Tokens<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        loop {
            if let Some(whole) = self.pending_whole.take() {
                return Some(whole);
            }
            if self.next_run < self.runs.len() {
                let i = self.next_run;
                self.next_run += 1;
                let run = self.runs[i];
                if too_long(&self.text[run.start..run.end]) || !has_base_letter(&self.text[run.start..run.end]) {
                    // Skipped, but it still separates its neighbours: no bigram across it.
                    self.position += 1;
                    continue;
                }
                let span = Span {
                    start: run.start,
                    end: run.end,
                    position: self.position,
                    kind: TokenKind::Part,
                    follows_closely: run.after_space && self.position > 0,
                };
                self.position += 1;
                return Some(span);
            }
            if !self.read_compound() {
                return None;
            }
            if let Some(kind) = self.whole_kind() {
                let start = self.runs[0].start;
                let end = self.runs[self.runs.len() - 1].end;
                if too_long(&self.text[start..end]) {
                    continue;
                }
                if kind == TokenKind::Joined {
                    // One word: its parts are not words of their own ("KH" of "KH&CN" is not "kế
                    // hoạch").
                    self.next_run = self.runs.len();
                    let follows_closely = self.runs[0].after_space && self.position > 0;
                    let span = Span { start, end, position: self.position, kind, follows_closely };
                    self.position += 1;
                    return Some(span);
                }
                self.pending_whole = Some(Span { start, end, position: self.position, kind, follows_closely: false });
            }
        }
    }
}

/// Whether a run has something besides combining marks (marks with nothing to sit on are no token).
fn has_base_letter(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric() && !is_combining_mark(c))
}

fn is_apostrophe(c: char) -> bool {
    class(c) == Class::Apostrophe
}

/// Appends the folded form of one word (no joiners inside) to `out`: lowercase, marks removed, `đ` → `d`,
/// apostrophes dropped, and a number written without leading zeros ("07" → "7").
fn push_fold_word(word: &str, out: &mut String) {
    let from = out.len();
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // The common case of text typed without diacritics, without decomposing.
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        // Lower case first: a few capitals lower-case to a letter and a mark ("İ" → "i̇").
        for c in word.chars().flat_map(char::to_lowercase).nfd() {
            if is_combining_mark(c) || is_apostrophe(c) {
                continue;
            }
            out.push(if c == 'đ' { 'd' } else { c });
        }
    }
    let written = &out[from..];
    if written.len() > 1 && written.bytes().all(|b| b.is_ascii_digit()) && written.starts_with('0') {
        let zeros = written.bytes().take_while(|b| *b == b'0').count().min(written.len() - 1);
        out.replace_range(from..from + zeros, "");
    }
}

/// Appends the exact form of one word to `out`: lowercase NFC with the tone of `oa`, `oe`, `uy` on the
/// second vowel, apostrophes dropped.
fn push_exact_word(word: &str, out: &mut String) {
    let mut chars: Vec<char> = word.chars().filter(|c| !is_apostrophe(*c)).flat_map(char::to_lowercase).nfd().collect();
    place_tone(&mut chars);
    out.extend(chars.into_iter().nfc());
}

/// The tone marks (huyền, hỏi, ngã, sắc, nặng).
fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{309}' | '\u{303}' | '\u{301}' | '\u{323}')
}

/// Moves the tone of a syllable ending in `oa`, `oe` or `uy` (no final consonant) from the first vowel to
/// the second, the spelling of the 1980s rules ("hòa" → "hoà", "thủy" → "thuỷ", "khỏe" → "khoẻ"). The
/// two spellings are the same word; only one of them must reach the index.
fn place_tone(nfd: &mut Vec<char>) {
    let bases: Vec<(usize, char)> = nfd.iter().copied().enumerate().filter(|(_, c)| !is_combining_mark(*c)).collect();
    if bases.len() < 2 {
        return;
    }
    let (second_at, second) = bases[bases.len() - 1];
    let (first_at, first) = bases[bases.len() - 2];
    let pair = matches!((first, second), ('o', 'a' | 'e') | ('u', 'y'));
    if !pair {
        return;
    }
    // The first vowel carries only a tone (an "ô" or "ơ" makes another vowel), the second no mark at all.
    let first_marks = &nfd[first_at + 1..second_at];
    let Some(tone_offset) = first_marks.iter().position(|c| is_tone(*c)) else {
        return;
    };
    if first_marks.len() != 1 || second_at + 1 != nfd.len() {
        return;
    }
    let tone = nfd.remove(first_at + 1 + tone_offset);
    nfd.push(tone);
}

/// Calls `f` with each part of a compound and the joiner before it (`None` for the first part).
fn for_each_part(text: &str, mut f: impl FnMut(Option<char>, &str)) {
    let mut joiner = None;
    let mut part_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if class(c) == Class::Joiner {
            f(joiner, &text[part_start..i]);
            joiner = Some(c);
            part_start = i + c.len_utf8();
        } else if chars.peek().is_none() {
            f(joiner, &text[part_start..]);
        }
    }
}

/// Writes the folded form of a token into `out` (cleared first).
pub fn fold_token(text: &str, span: &Span, out: &mut String) {
    out.clear();
    let raw = &text[span.start..span.end];
    match span.kind {
        TokenKind::Part => push_fold_word(raw, out),
        TokenKind::Symbol => for_each_part(raw, |joiner, part| {
            if let Some(j) = joiner {
                out.push(if matches!(j, '\u{2010}' | '\u{2011}') { '-' } else { j });
            }
            push_fold_word(part, out);
        }),
        TokenKind::Joined => for_each_part(raw, |_, part| push_fold_word(part, out)),
    }
}

/// Writes the exact form of a token into `out` (cleared first).
pub fn exact_token(text: &str, span: &Span, out: &mut String) {
    out.clear();
    let raw = &text[span.start..span.end];
    match span.kind {
        TokenKind::Part => push_exact_word(raw, out),
        TokenKind::Symbol => for_each_part(raw, |joiner, part| {
            if let Some(j) = joiner {
                out.push(if matches!(j, '\u{2010}' | '\u{2011}') { '-' } else { j });
            }
            push_exact_word(part, out);
        }),
        TokenKind::Joined => for_each_part(raw, |_, part| push_exact_word(part, out)),
    }
}

/// The folded form of one word or name ("Quảng Yên" → "quang yen"); the same as the folded form of its
/// tokens joined by spaces when it has no punctuation.
pub fn fold_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    push_fold_word(word, &mut out);
    out
}

/// The exact form of one word ("Hòa" → "hoà").
pub fn exact_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    push_exact_word(word, &mut out);
    out
}

/// The folded parts of a compound token ("NĐ-CP" → "nd", "cp"), to match them where they are parts of
/// a symbol ("30/2020/NĐ-CP").
pub fn joined_parts(text: &str, span: &Span) -> Vec<String> {
    let mut parts = Vec::new();
    for_each_part(&text[span.start..span.end], |_, part| parts.push(fold_word(part)));
    parts.retain(|p| !p.is_empty());
    parts
}

/// Every token of a text with both forms.
pub fn analyze(text: &str) -> Vec<Token> {
    tokens(text)
        .map(|span| {
            let mut fold = String::new();
            let mut exact = String::new();
            fold_token(text, &span, &mut fold);
            exact_token(text, &span, &mut exact);
            Token { span, fold, exact }
        })
        .collect()
}

/// A pair of neighbouring syllables, folded and joined by `_` ("khoa_hoc").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bigram {
    /// The first byte of the first syllable.
    pub start: usize,
    /// The byte after the second syllable.
    pub end: usize,
    /// The position of the first syllable.
    pub position: usize,
    /// The folded pair.
    pub text: String,
}

/// The separator between the two syllables of a bigram.
pub const BIGRAM_JOINER: char = '_';

/// Calls `f` with each bigram of a text (words and joined capitals, not whole symbols), reusing one
/// buffer.
pub fn for_each_bigram(text: &str, mut f: impl FnMut(&Span, &Span, &str)) {
    let mut previous: Option<(Span, String)> = None;
    let mut buffer = String::new();
    let mut current = String::new();
    for span in tokens(text).filter(|s| s.kind != TokenKind::Symbol) {
        fold_token(text, &span, &mut current);
        if let Some((prev, prev_fold)) = &previous
            && span.follows_closely
            && prev.position + 1 == span.position
        {
            buffer.clear();
            buffer.push_str(prev_fold);
            buffer.push(BIGRAM_JOINER);
            buffer.push_str(&current);
            f(prev, &span, &buffer);
        }
        match &mut previous {
            Some((prev, prev_fold)) => {
                *prev = span;
                std::mem::swap(prev_fold, &mut current);
            }
            None => previous = Some((span, std::mem::take(&mut current))),
        }
    }
}

/// Every bigram of a text.
pub fn bigrams(text: &str) -> Vec<Bigram> {
    let mut out = Vec::new();
    for_each_bigram(text, |a, b, pair| {
        out.push(Bigram { start: a.start, end: b.end, position: a.position, text: pair.to_owned() })
    });
    out
}

/// Whether a folded word may be matched with one edit: four letters or more, and not a number.
pub fn typo_tolerant(folded: &str) -> bool {
    folded.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// Whether two strings are at most one edit apart: one character inserted, deleted or replaced, or two
/// neighbouring characters swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // Folded Vietnamese is ASCII: compare bytes without collecting characters.
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit(&a, &b)
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        if prefix == short.len() {
            return true;
        }
        // One replacement, or one swap of neighbours.
        let replaced = short[prefix + 1..] == long[prefix + 1..];
        let swapped = prefix + 1 < short.len()
            && short[prefix] == long[prefix + 1]
            && short[prefix + 1] == long[prefix]
            && short[prefix + 2..] == long[prefix + 2..];
        replaced || swapped
    } else {
        // One insertion into the shorter.
        short[prefix..] == long[prefix + 1..]
    }
}

/// Whether a folded word has the shape of a Vietnamese syllable (an initial consonant, one to three vowels,
/// a final consonant): "tu", "hoang", "nghieng" do; "ubnd", "kh", "tp", "qd" do not. An abbreviation that
/// could be a syllable ("TU" and "tu", "từ", "tư") is expanded only when typed in capitals.
pub fn is_syllable_shape(folded: &str) -> bool {
    const INITIALS: [&str; 27] = [
        "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m", "n",
        "p", "r", "s", "t", "v", "x", "",
    ];
    const FINALS: [&str; 9] = ["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    if !folded.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    INITIALS.iter().filter(|i| folded.starts_with(*i)).any(|initial| {
        let rest = &folded[initial.len()..];
        let vowels = rest.chars().take_while(|c| is_vowel(*c)).count();
        (1..=3).contains(&vowels) && FINALS.contains(&&rest[vowels..])
    })
}

#[cfg(test)]
mod tests;
