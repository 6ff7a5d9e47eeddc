//! Splitting free-text addresses into comma-separated segments and words, and recognising the words that
//! announce a unit's kind ("xã", "P.", "TX", "TP.").

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::geo::UnitKind;
use crate::text::fold;

/// The kind announced by a prefix word. "Thành phố" (TP) may be a centrally governed city or a provincial
/// city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    Kind(UnitKind),
    AnyCity,
}

impl Hint {
    pub(crate) fn accepts(self, kind: UnitKind) -> bool {
        match self {
            Hint::Kind(k) => k == kind,
            Hint::AnyCity => matches!(kind, UnitKind::Municipality | UnitKind::City),
        }
    }
}

/// A word of the input: its byte range in the normalised text, folded (ASCII) and accent-keyed forms.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub folded: String,
    pub accent: String,
}

/// A comma-separated segment of the input.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub start: usize,
    pub tokens: Vec<Token>,
    /// Cut where a known name ends rather than at a comma, a dash or a kind word: a guess.
    pub guessed: bool,
}

/// Apostrophes inside names are dropped ("Ea H'leo" = "Ea Hleo").
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// A key for comparing spellings with their diacritics, insensitive to where the tone mark sits ("hòa" =
/// "hoà", "thủy" = "thuỷ") and to case: lower case, decomposed, with the tone mark moved to the end.
pub(crate) fn accent_key(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    let mut tone = None;
    for c in word.chars().flat_map(char::to_lowercase).nfd() {
        match c {
            '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}' => tone = Some(c),
            c => out.push(c),
        }
    }
    if let Some(t) = tone {
        out.push(t);
    }
    out
}

/// Folds a number to its value's spelling ("01" = "1"), and leaves other words alone.
fn canonical_number(folded: String) -> String {
    if !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = folded.trim_start_matches('0');
        if trimmed.is_empty() { "0".to_owned() } else { trimmed.to_owned() }
    } else {
        folded
    }
}

fn push_token(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    let raw: String = text[start..end].chars().filter(|c| !is_apostrophe(*c)).collect();
    let folded = fold(&raw);
    if folded.is_empty() {
        // Marks with nothing to sit on.
        return;
    }
    // "TPHCM": the kind word glued to the city's usual abbreviation.
    // Byte offsets are cut inside the word only when it is ASCII.
    if folded == "tphcm" && raw.is_ascii() && raw.len() == 5 {
        for (from, to, word) in [(0, 2, "tp"), (2, 5, "hcm")] {
            tokens.push(Token {
                start: start + from,
                end: start + to,
                folded: word.to_owned(),
                accent: word.to_owned(),
            });
        }
        return;
    }
    // "P1", "Q10", "F7": a kind letter glued to a number.
    let bytes = folded.as_bytes();
    if raw.is_ascii()
        && raw.len() == end - start
        && bytes.len() >= 2
        && matches!(bytes[0], b'p' | b'q' | b'f')
        && bytes[1..].iter().all(u8::is_ascii_digit)
    {
        tokens.push(Token { start, end: start + 1, folded: folded[..1].to_owned(), accent: folded[..1].to_owned() });
        let number = canonical_number(folded[1..].to_owned());
        tokens.push(Token { start: start + 1, end, accent: number.clone(), folded: number });
        return;
    }
    let folded = canonical_number(folded);
    let accent = if folded.bytes().all(|b| b.is_ascii_digit()) { folded.clone() } else { accent_key(&raw) };
    tokens.push(Token { start, end, folded, accent });
}

/// Splits the words of `text[start..end]`.
pub(crate) fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word_start: Option<usize> = None;
    for (offset, c) in text[start..end].char_indices() {
        let at = start + offset;
        if is_word_char(c) || (is_apostrophe(c) && word_start.is_some()) {
            word_start.get_or_insert(at);
        } else if let Some(ws) = word_start.take() {
            push_token(&mut tokens, text, ws, at);
        }
    }
    if let Some(ws) = word_start {
        push_token(&mut tokens, text, ws, end);
    }
    tokens
}

/// Splits normalised text at commas, semicolons and line breaks.
pub(crate) fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, ',' | ';' | '\n' | '|') {
            out.push(Segment { start, tokens: tokenize(text, start, i), guessed: false });
            start = i + c.len_utf8();
        }
    }
    out.push(Segment { start, tokens: tokenize(text, start, text.len()), guessed: false });
    out.retain(|s| !s.tokens.is_empty());
    out
}

/// The kind prefix at the start of `tokens`, with the number of words it takes. A one-letter abbreviation
/// counts only when a name follows it.
pub(crate) fn prefix(tokens: &[Token]) -> Option<(Hint, usize)> {
    let word = |i: usize| tokens.get(i).map(|t| t.folded.as_str());
    let follows = |n: usize| tokens.len() > n;
    let kind = |k| Some(Hint::Kind(k));
    let (hint, len) = match (word(0)?, word(1)) {
        ("thanh", Some("pho")) => (Some(Hint::AnyCity), 2),
        ("thu", Some("do")) => (kind(UnitKind::Municipality), 2),
        ("thi", Some("xa")) => (kind(UnitKind::Town), 2),
        ("thi", Some("tran")) => (kind(UnitKind::Township), 2),
        ("dac", Some("khu")) => (kind(UnitKind::SpecialZone), 2),
        ("t", Some("p")) => (Some(Hint::AnyCity), 2),
        ("t", Some("x")) => (kind(UnitKind::Town), 2),
        ("t", Some("t")) => (kind(UnitKind::Township), 2),
        ("tinh", _) => (kind(UnitKind::Province), 1),
        ("tp", _) => (Some(Hint::AnyCity), 1),
        ("quan", _) => (kind(UnitKind::UrbanDistrict), 1),
        ("huyen", _) => (kind(UnitKind::RuralDistrict), 1),
        ("tx", _) => (kind(UnitKind::Town), 1),
        ("xa", _) => (kind(UnitKind::Commune), 1),
        ("phuong", _) => (kind(UnitKind::Ward), 1),
        ("tt", _) => (kind(UnitKind::Township), 1),
        ("dk", _) => (kind(UnitKind::SpecialZone), 1),
        ("t", _) => (kind(UnitKind::Province), 1),
        ("q", _) => (kind(UnitKind::UrbanDistrict), 1),
        ("h", _) => (kind(UnitKind::RuralDistrict), 1),
        ("x", _) => (kind(UnitKind::Commune), 1),
        ("p" | "f", _) => (kind(UnitKind::Ward), 1),
        _ => (None, 0),
    };
    let hint = hint?;
    follows(len).then_some((hint, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.folded.as_str()).collect()
    }

    #[test]
    fn segments_and_words_are_split_and_folded() {
        let text = "Thôn 3, xã Hoàng Tân; TX.Quảng Yên - Quảng Ninh";
        let segs = segments(text);
        assert_eq!(segs.len(), 3);
        assert_eq!(folded(&segs[0].tokens), ["thon", "3"]);
        assert_eq!(folded(&segs[2].tokens), ["tx", "quang", "yen", "quang", "ninh"]);
        let t = &segs[1].tokens[1];
        assert_eq!(&text[t.start..t.end], "Hoàng");
        assert_eq!(folded(&tokenize("P1 q.03 Ea H'leo", 0, 16)), ["p", "1", "q", "3", "ea", "hleo"]);
        assert!(segments(" , ,").is_empty());
    }

    #[test]
    fn accent_keys_ignore_tone_placement_and_case_but_not_tones() {
        assert_eq!(accent_key("Hòa"), accent_key("hoà"));
        assert_eq!(accent_key("Thủy"), accent_key("thuỷ"));
        assert_ne!(accent_key("Giang"), accent_key("Giàng"));
        assert_ne!(accent_key("Đông"), accent_key("Đồng"));
        assert_ne!(accent_key("Dông"), accent_key("Đông"));
    }

    #[test]
    fn kind_prefixes_and_abbreviations_are_recognised() {
        let cases = [
            ("TP. Hạ Long", Some((Hint::AnyCity, 1))),
            ("T.P Hạ Long", Some((Hint::AnyCity, 2))),
            ("thành phố Hạ Long", Some((Hint::AnyCity, 2))),
            ("TX Quảng Yên", Some((Hint::Kind(UnitKind::Town), 1))),
            ("thị xã Quảng Yên", Some((Hint::Kind(UnitKind::Town), 2))),
            ("Q.1", Some((Hint::Kind(UnitKind::UrbanDistrict), 1))),
            ("P1", Some((Hint::Kind(UnitKind::Ward), 1))),
            ("H. Ba Chẽ", Some((Hint::Kind(UnitKind::RuralDistrict), 1))),
            ("TT Trới", Some((Hint::Kind(UnitKind::Township), 1))),
            ("Đặc khu Vân Đồn", Some((Hint::Kind(UnitKind::SpecialZone), 2))),
            ("X. Hoàng Tân", Some((Hint::Kind(UnitKind::Commune), 1))),
            ("T. Quảng Ninh", Some((Hint::Kind(UnitKind::Province), 1))),
            // A lone abbreviation names nothing.
            ("P", None),
            ("Hoàng Tân", None),
        ];
        for (text, expected) in cases {
            let tokens = tokenize(text, 0, text.len());
            assert_eq!(prefix(&tokens), expected, "{text}");
        }
    }
}
