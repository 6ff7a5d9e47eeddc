//! Vietnamese text: input normalisation, diacritic folding, sort keys and slugs.
//!
//! Vietnamese letters may arrive precomposed (NFC) or decomposed (NFD) depending on the keyboard and the
//! operating system; both must compare, search and sort the same way. `đ` has no Unicode decomposition and
//! must be folded by hand.

pub mod analyze;
pub mod variants;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Invisible format characters that copy and paste brings along (byte-order mark, zero-width space and
/// joiners, word joiner, soft hyphen): they would make equal-looking names differ, so input drops them.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}')
}

/// Normalises text typed by a user: NFC, trimmed, with runs of whitespace inside collapsed to one space,
/// control characters turned into spaces and invisible format characters (byte-order mark, zero-width
/// space) dropped. Line breaks are kept by [`normalize_multiline`] instead.
pub fn normalize_input(raw: &str) -> String {
    let nfc: String = raw.chars().filter(|c| !is_invisible(*c)).nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Normalises multi-line text (a narrative, minutes): NFC, `\r\n` to `\n`, trailing spaces removed from
/// each line, leading and trailing blank lines removed, other control characters dropped.
pub fn normalize_multiline(raw: &str) -> String {
    let nfc: String = raw.chars().filter(|c| !is_invisible(*c)).nfc().collect();
    let lines: Vec<String> = nfc
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(|line| line.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>().trim_end().to_owned())
        .collect();
    lines.join("\n").trim_matches('\n').to_owned()
}

/// Folds text for diacritic-insensitive matching: lowercase, tone and vowel marks removed, `đ` → `d`.
///
/// `fold("Quảng Yên") == "quang yen"`, and the same for the NFD spelling.
pub fn fold(s: &str) -> String {
    // Lower case first: a few capitals lower-case to a letter and a mark ("İ" → "i̇"), which must go too.
    s.chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Removes diacritics but keeps case and everything else ("Xã Hoàng Tân" → "Xa Hoang Tan"): the form text
/// takes when typed without a Vietnamese keyboard.
pub fn remove_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// The order of the tone marks in Vietnamese dictionaries (CLDR `vi`): none, grave (huyền), hook above
/// (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
fn tone_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{300}' => Some(1),
        '\u{309}' => Some(2),
        '\u{303}' => Some(3),
        '\u{301}' => Some(4),
        '\u{323}' => Some(5),
        _ => None,
    }
}

/// The rank of a vowel-shape mark: breve (ă), circumflex (â ê ô), horn (ơ ư). These make separate letters.
fn shape_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{306}' => Some(1),
        '\u{302}' => Some(2),
        '\u{31B}' => Some(3),
        _ => None,
    }
}

/// A byte-comparable key that sorts Vietnamese the way a Vietnamese reader expects, identically on every
/// database: `a < ă < â < b`, `d < đ < e`, `o < ô < ơ`, `u < ư`, tone marks only break ties (in the order
/// none, huyền, hỏi, ngã, sắc, nặng), and case breaks the remaining ties. Numbers sort by value and before
/// letters: "Phường 2" < "Phường 10" < "Phường An Lạc".
///
/// The key is ASCII, so columns holding it must use a binary collation (`COLLATE "C"` on PostgreSQL,
/// SQLite's default `BINARY`).
pub fn sort_key(s: &str) -> String {
    let mut primary = String::with_capacity(s.len() * 2);
    let mut tones = String::new();
    let mut cases = String::new();
    // Work on NFD so that every letter is a base character followed by its marks.
    let decomposed: Vec<char> = s.nfd().collect();
    let mut i = 0;
    while i < decomposed.len() {
        let c = decomposed[i];
        if c.is_ascii_digit() {
            i = push_number(&decomposed, i, &mut primary, &mut tones, &mut cases);
            continue;
        }
        i += 1;
        let mut shape = 0u8;
        let mut tone = 0u8;
        while i < decomposed.len() && is_combining_mark(decomposed[i]) {
            let mark = decomposed[i];
            if let Some(rank) = shape_rank(mark) {
                shape = rank;
            } else if let Some(rank) = tone_rank(mark) {
                tone = rank;
            }
            i += 1;
        }
        let (base, is_upper) = match c {
            'đ' => ('d', false),
            'Đ' => ('d', true),
            // Lower case by the simple (one-character) mapping, so that case only breaks ties for every
            // alphabet, not only ASCII.
            other => (other.to_lowercase().next().unwrap_or(other), other.is_uppercase()),
        };
        if c == 'đ' || c == 'Đ' {
            shape = 1;
        }
        if base.is_ascii_alphanumeric() {
            primary.push(base);
            primary.push(char::from(b'0' + shape));
            tones.push(char::from(b'0' + tone));
            cases.push(if is_upper { '1' } else { '0' });
        } else if base.is_whitespace() {
            // Word boundaries sort before any letter or digit: "An Biên" < "Anh".
            if !primary.ends_with('-') && !primary.is_empty() {
                primary.push('-');
            }
        } else if !base.is_ascii() && base.is_alphanumeric() {
            // A letter outside Vietnamese (rare in names): keep it after all ASCII letters, by code point.
            primary.push('~');
            primary.push_str(&format!("{:06x}", u32::from(base)));
            tones.push('0');
            cases.push(if is_upper { '1' } else { '0' });
        }
        // Punctuation is ignored for ordering.
    }
    // The section separator (space) sorts below everything in the primary part, so a prefix sorts first.
    let primary = primary.trim_end_matches('-');
    format!("{primary} {tones} {cases}")
}

/// Appends the run of ASCII digits starting at `start` to a sort key so that numbers compare by value: the
/// count of significant digits first (leading zeros dropped), then the digits. Marks on digits are ignored.
/// Returns the index after the run.
fn push_number(chars: &[char], start: usize, primary: &mut String, tones: &mut String, cases: &mut String) -> usize {
    let mut digits = String::new();
    let mut i = start;
    while i < chars.len() && (chars[i].is_ascii_digit() || is_combining_mark(chars[i])) {
        if chars[i].is_ascii_digit() {
            digits.push(chars[i]);
        }
        i += 1;
    }
    let significant = digits.trim_start_matches('0');
    let significant = if significant.is_empty() { "0" } else { significant };
    // The length as one character: '1'.. for 1 digit and more, always below the letters ('a' is 97).
    let len = u8::try_from(significant.len().min(40)).unwrap_or(40);
    primary.push(char::from(b'0' + len));
    for d in significant.chars() {
        primary.push(d);
        primary.push('0');
        tones.push('0');
        cases.push('0');
    }
    i
}

/// Makes a URL slug: folded to ASCII, words joined by `-`, at most `max_len` bytes, never empty
/// (`"-"` becomes `"bai-viet"`).
pub fn slugify(s: &str, max_len: usize) -> String {
    let folded = fold(s);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > max_len {
        slug.truncate(max_len);
        if let Some(cut) = slug.rfind('-').filter(|&p| p > max_len / 2) {
            slug.truncate(cut);
        }
        slug = slug.trim_end_matches('-').to_owned();
    }
    if slug.is_empty() { "bai-viet".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_input_composes_trims_and_collapses_spaces() {
        let nfd = "  Qua\u{309}ng   Yên \t";
        assert_eq!(normalize_input(nfd), "Quảng Yên");
        assert_eq!(normalize_input("a\u{0}b"), "a b");
    }

    #[test]
    fn normalize_multiline_keeps_line_breaks() {
        assert_eq!(normalize_multiline("\r\nDòng 1  \r\nDòng 2\n\n"), "Dòng 1\nDòng 2");
    }

    #[test]
    fn fold_removes_marks_and_maps_d_bar() {
        assert_eq!(fold("Đắk Lắk"), "dak lak");
        assert_eq!(fold("Qua\u{309}ng Yên"), "quang yen");
        assert_eq!(fold("KH&CN"), "kh&cn");
        assert_eq!(fold("Thuỷ"), fold("Thủy"));
    }

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| (*s).to_owned()).collect();
        v.sort_by_key(|w| sort_key(w));
        v
    }

    #[test]
    fn sort_key_orders_vietnamese_letters() {
        assert_eq!(sorted(&["Đông", "Dương", "Bình", "Ân", "Ăn", "An"]), ["An", "Ăn", "Ân", "Bình", "Dương", "Đông"]);
        assert_eq!(sorted(&["ư", "u", "ơ", "ô", "o"]), ["o", "ô", "ơ", "u", "ư"]);
        assert_eq!(sorted(&["Zalo", "Đà Nẵng"]), ["Đà Nẵng", "Zalo"]);
    }

    #[test]
    fn sort_key_uses_tones_only_to_break_ties() {
        assert_eq!(sorted(&["mạ", "má", "mã", "mả", "mà", "ma"]), ["ma", "mà", "mả", "mã", "má", "mạ"]);
        // Tone differences never beat letter differences: "mạ" < "mb".
        assert_eq!(sorted(&["mb", "mạ"]), ["mạ", "mb"]);
    }

    #[test]
    fn sort_key_is_the_same_for_nfc_and_nfd() {
        assert_eq!(sort_key("Quảng Yên"), sort_key("Qua\u{309}ng Yên"));
    }

    #[test]
    fn sort_key_orders_numbers_by_value_before_letters() {
        assert_eq!(
            sorted(&["Phường 10", "Phường An Lạc", "Phường 2", "Phường 1", "Phường 02b"]),
            ["Phường 1", "Phường 2", "Phường 02b", "Phường 10", "Phường An Lạc"]
        );
        assert_eq!(sorted(&["Quận 12", "Quận 3", "Quận Ba Đình"]), ["Quận 3", "Quận 12", "Quận Ba Đình"]);
        assert_eq!(sort_key("Phường 01"), sort_key("Phường 1"));
    }

    #[test]
    fn sort_key_lets_case_break_ties_in_every_alphabet() {
        assert_eq!(sorted(&["жb", "Жa"]), ["Жa", "жb"]);
        assert!(sort_key("Ж") > sort_key("ж"));
    }

    #[test]
    fn invisible_characters_are_dropped_from_input() {
        assert_eq!(normalize_input("\u{feff}Quảng\u{200b} Yên\u{ad}"), "Quảng Yên");
        assert_eq!(normalize_multiline("\u{feff}Dòng 1"), "Dòng 1");
    }

    #[test]
    fn sort_key_puts_word_boundaries_first() {
        assert_eq!(sorted(&["Anh", "An Biên"]), ["An Biên", "Anh"]);
    }

    #[test]
    fn slugify_folds_and_joins() {
        assert_eq!(
            slugify("Đoàn công tác làm việc tại thị xã Quảng Yên!", 80),
            "doan-cong-tac-lam-viec-tai-thi-xa-quang-yen"
        );
        assert_eq!(slugify("---", 80), "bai-viet");
        assert_eq!(slugify("Khoa học và công nghệ", 12), "khoa-hoc-va");
    }
}
