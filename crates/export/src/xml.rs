//! XML text escaping shared by the SVG, HTML and OOXML writers.

/// Escapes `&`, `<`, `>` and `"`, and drops the control characters XML 1.0 forbids (a stray
/// form feed pasted from another program would otherwise make Word refuse the file).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_forbidden_control_characters() {
        assert_eq!(escape("KH&CN <b>\"x\"</b>\u{0C}"), "KH&amp;CN &lt;b&gt;&quot;x&quot;&lt;/b&gt;");
        assert_eq!(escape("Độc lập"), "Độc lập");
    }
}
