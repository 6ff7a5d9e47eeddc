//! The colours of the derived states on pages, charts and official documents: a default for each, and
//! the rule for the colours an administrator may choose (`#rrggbb`, readable with white text).

use super::StatusKind;

/// The default colour of each state.
pub fn default_color(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::CompletedOnTime => "#1c7c44",
        StatusKind::CompletedLate => "#7a5c00",
        StatusKind::InProgress => "#1a5fa8",
        StatusKind::NotStarted => "#5b6472",
        StatusKind::Overdue => "#b3202b",
        StatusKind::Cancelled => "#74677f",
    }
}

/// The least contrast with white text a colour must have (WCAG 2, AA for normal text).
pub const MIN_CONTRAST: f64 = 4.5;

/// Whether a colour is `#rrggbb`.
pub fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// The contrast ratio of white text on a `#rrggbb` colour (WCAG 2 relative luminance).
pub fn contrast_with_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

/// The red, green and blue of a `#rrggbb` colour (black for what does not parse).
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    (byte(1), byte(3), byte(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_readable_with_white_text() {
        for kind in StatusKind::ALL {
            let c = default_color(kind);
            assert!(valid_color(c) && contrast_with_white(c) >= MIN_CONTRAST, "{kind:?} {c}");
        }
        assert!(!valid_color("#12345") && !valid_color("1234567") && !valid_color("#12345g"));
        assert!(contrast_with_white("#ffff00") < MIN_CONTRAST);
        assert_eq!(rgb("#1a5fa8"), (0x1a, 0x5f, 0xa8));
    }
}
