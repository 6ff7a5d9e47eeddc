//! Approximate text widths for decorations whose size must be the same in every format before
//! any font is loaded (the rule under the motto, chart legends). Real line breaking in PDF uses
//! the font's own advances (`pdf::fonts`).

/// Advances of `A`–`Z` and `a`–`z` in Times-metric faces (Times New Roman, Liberation Serif,
/// Tinos share them), upright, in thousandths of an em.
const REGULAR: [u16; 52] = [
    722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944,
    722, 722, 611, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278,
    500, 500, 722, 500, 500, 444,
];
/// The same for the bold face.
const BOLD: [u16; 52] = [
    722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000,
    722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333,
    556, 500, 722, 500, 500, 444,
];

/// Approximate advance of `c` in Times-metric faces, in em: exact for unaccented Latin letters,
/// digits and common punctuation, and for Vietnamese letters, whose diacritics sit above or below
/// the base letter and do not change its advance.
fn approx_advance_em(c: char, bold: bool) -> f32 {
    // `fold` lowers the case and drops the diacritics, so the case is taken from the original letter.
    let folded = tiendo_core::text::fold(c.encode_utf8(&mut [0; 4])).chars().next().unwrap_or(c);
    let base = if c.is_uppercase() { folded.to_ascii_uppercase() } else { folded };
    let table = if bold { &BOLD } else { &REGULAR };
    let thousandths = match base {
        'A'..='Z' => table[usize::from(base as u8 - b'A')],
        'a'..='z' => table[26 + usize::from(base as u8 - b'a')],
        '0'..='9' => 500,
        ' ' | '\u{a0}' | '.' | ',' => 250,
        ':' | ';' if bold => 333,
        ':' | ';' => 278,
        '/' => 278,
        '-' | '(' | ')' => 333,
        _ => 500,
    };
    f32::from(thousandths) / 1000.0
}

/// Approximate width of `text` at `size` points.
pub fn approx_text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars().map(|c| approx_advance_em(c, bold)).sum::<f32>() * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_do_not_change_the_estimated_width() {
        assert_eq!(approx_text_width("Độc lập", 13.0, true), approx_text_width("Doc lap", 13.0, true));
    }

    #[test]
    fn capitals_are_estimated_wider_than_lower_case() {
        assert!(approx_text_width("ABC", 12.0, false) > approx_text_width("abc", 12.0, false));
    }
}
