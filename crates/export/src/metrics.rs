//! Approximate text widths for decorations whose size must be the same in every format before
//! any font is loaded (the rule under the motto, chart legends). Real line breaking in PDF uses
//! the font's own advances (`pdf::fonts`).

/// Approximate advance of `c` in Times-like serif faces, in em.
fn approx_advance_em(c: char, bold: bool) -> f32 {
    // Vietnamese letters carry their diacritics above or below: the base letter decides the width.
    // `fold` lowers the case, so the case is taken from the original letter.
    let folded = tiendo_core::text::fold(c.encode_utf8(&mut [0; 4])).chars().next().unwrap_or(c);
    let base = if c.is_uppercase() { folded.to_ascii_uppercase() } else { folded };
    let em = match base {
        ' ' => 0.25,
        'i' | 'j' | 'l' | 't' | 'f' | 'r' => 0.3,
        'm' | 'w' => 0.75,
        'M' | 'W' => 0.9,
        'I' | 'J' => 0.38,
        c if c.is_ascii_uppercase() => 0.69,
        c if c.is_ascii_lowercase() => 0.48,
        c if c.is_ascii_digit() => 0.5,
        '-' | '.' | ',' | ':' | ';' | '(' | ')' | '/' => 0.3,
        _ => 0.5,
    };
    if bold { em * 1.06 } else { em }
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
