//! Where the lines of an official heading may break: between word groups.
//!
//! Vietnamese writes one syllable per word, so breaking a line at any space can split a word of
//! two syllables (`CÔNG / NGHỆ`) or a name (`QUẢNG / NINH`). The name of an issuing authority, the
//! national title and the motto are short and centred; a clerk breaks them where the phrase
//! divides: `SỞ KHOA HỌC / VÀ CÔNG NGHỆ`, `ỦY BAN NHÂN DÂN / TỈNH QUẢNG NINH`. The rules here find
//! those places without a dictionary:
//!
//! - best, before a conjunction or preposition (`VÀ`, `VỀ`, `CỦA` …) or before the word that
//!   introduces a place (`TỈNH`, `THÀNH PHỐ`, `XÃ`, `PHƯỜNG` …);
//! - next, after a dash between phrases, and after the head noun that opens the name (`SỞ`,
//!   `TRUNG TÂM`, `ỦY BAN NHÂN DÂN` …);
//! - if a group is still too wide, between pairs of syllables counted from the start of the group
//!   (most Vietnamese words have two: `ỨNG DỤNG / TIẾN BỘ / KHOA HỌC`);
//! - anywhere else only when nothing else fits.
//!
//! A caller who knows better writes a line break (`\n`) into the name; it is kept.
//!
//! Among the ways to break a text into lines that fit, the one with the lowest cost wins: each
//! break costs by its kind and each line a little, so fewer lines are preferred unless they need a
//! bad break; among equal costs, the most even lines win.

use crate::metrics::approx_text_width;

/// What a break before a word costs.
const GROUP_BOUNDARY: u32 = 1;
const AFTER_HEAD_NOUN: u32 = 2;
const AFTER_DASH: u32 = 2;
const BETWEEN_PAIRS: u32 = 6;
const ANYWHERE: u32 = 30;
const PER_LINE: u32 = 3;

/// Words that open a phrase: a break before them falls between word groups.
const OPENERS: &[&str] = &["VÀ", "VỀ", "CỦA", "THUỘC", "TẠI", "CHO", "TRỰC THUỘC"];

/// Words that introduce a place name.
const PLACES: &[&str] =
    &["TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "THỊ TRẤN", "XÃ", "PHƯỜNG", "ĐẶC KHU", "KHU VỰC"];

/// Head nouns that open the name of a body; the rest of the name says which one.
const HEADS: &[&str] = &[
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "UBND",
    "HĐND",
    "BAN CHẤP HÀNH",
    "BAN QUẢN LÝ",
    "BAN CHỈ ĐẠO",
    "VĂN PHÒNG",
    "TRUNG TÂM",
    "CHI CỤC",
    "HỘI ĐỒNG",
    "ĐẢNG BỘ",
    "ĐẢNG ỦY",
    "SỞ",
    "BỘ",
    "BAN",
    "CỤC",
    "VIỆN",
    "PHÒNG",
    "TRƯỜNG",
    "QUỸ",
];

/// Whether `words[at..]` starts with the phrase `phrase` (upper case, words separated by one space).
fn starts_with(words: &[String], at: usize, phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split(' ').collect();
    words.len() >= at + parts.len() && parts.iter().enumerate().all(|(i, p)| words[at + i] == *p)
}

/// The cost of a break before each word (index 0 unused), for words already in upper case.
fn break_costs(words: &[String]) -> Vec<u32> {
    let n = words.len();
    let mut cost = vec![ANYWHERE; n];
    let mut group_start = vec![false; n];
    // After the head noun that opens the text.
    if let Some(head) = HEADS.iter().find(|h| starts_with(words, 0, h)) {
        let len = head.split(' ').count();
        if len < n {
            cost[len] = AFTER_HEAD_NOUN;
            group_start[len] = true;
        }
    }
    for i in 1..n {
        // `XÃ HỘI` is society, not a commune.
        let place = PLACES.iter().any(|p| starts_with(words, i, p)) && !starts_with(words, i, "XÃ HỘI");
        // `THỊ XÃ`: the break goes before `THỊ`, not inside.
        let inside_place = starts_with(words, i - 1, "THỊ XÃ") || starts_with(words, i - 1, "THỊ TRẤN");
        let opener = OPENERS.iter().any(|o| starts_with(words, i, o));
        if (place && !inside_place) || opener {
            cost[i] = GROUP_BOUNDARY;
            group_start[i] = true;
        } else if words[i - 1].ends_with('-') {
            // `LAO ĐỘNG - / THƯƠNG BINH`, `Độc lập - / Tự do`: between phrases, though a conjunction
            // divides better.
            cost[i] = AFTER_DASH;
            group_start[i] = true;
        }
    }
    // Pairs of syllables from the start of each group.
    let mut from = 0;
    for i in 1..n {
        if group_start[i] {
            from = i;
        } else if (i - from) % 2 == 0 && cost[i] > BETWEEN_PAIRS && words[i] != "-" {
            cost[i] = BETWEEN_PAIRS;
        }
    }
    cost
}

/// Breaks `text` into lines no wider than `width` points at `size` points (`bold` face), only
/// between word groups where that is possible (see the module documentation). Line breaks in
/// `text` are kept.
pub fn break_lines(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    text.split('\n').flat_map(|part| break_part(part, &|s: &str| approx_text_width(s, size, bold) <= width)).collect()
}

/// Breaks one part (without `\n`) given whether a line fits.
fn break_part(text: &str, fits: &dyn Fn(&str) -> bool) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let cost = break_costs(&upper);
    let n = words.len();
    // best[j]: the cheapest way to set words[..j] as whole lines: (cost, widest line, start of the
    // last line). A line that does not fit is allowed only for a single word.
    let mut best: Vec<Option<(u32, f32, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0.0, 0));
    for j in 1..=n {
        for i in 0..j {
            let Some((before, widest, _)) = best[i] else { continue };
            let line = words[i..j].join(" ");
            let fit = fits(&line);
            if !fit && j - i > 1 {
                continue;
            }
            let width = approx_text_width(&line, 1.0, false);
            let candidate =
                (before + PER_LINE + if i > 0 { cost[i] } else { 0 } + if fit { 0 } else { 100 }, widest.max(width), i);
            let better = match best[j] {
                None => true,
                Some((c, w, _)) => candidate.0 < c || candidate.0 == c && candidate.1 < w,
            };
            if better {
                best[j] = Some(candidate);
            }
        }
    }
    let mut lines = Vec::new();
    let mut j = n;
    while j > 0 {
        let (_, _, i) = best[j].expect("every prefix can be set, one word per line at worst");
        lines.push(words[i..j].join(" "));
        j = i;
    }
    lines.reverse();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of `text` in a column of `chars` average capitals.
    fn lines(text: &str, chars: f32) -> Vec<String> {
        break_lines(text, chars * 0.72 * 13.0, 13.0, true)
    }

    #[test]
    fn a_name_that_fits_stays_on_one_line() {
        assert_eq!(lines("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 40.0), ["SỞ KHOA HỌC VÀ CÔNG NGHỆ"]);
    }

    #[test]
    fn the_department_breaks_before_the_conjunction_not_inside_a_word() {
        assert_eq!(lines("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 18.0), ["SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"]);
        assert_eq!(lines("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", 18.0), ["SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG"]);
    }

    #[test]
    fn a_people_s_committee_breaks_before_its_place() {
        assert_eq!(lines("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", 20.0), ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]);
        assert_eq!(lines("UBND THỊ XÃ QUẢNG YÊN", 15.0), ["UBND", "THỊ XÃ QUẢNG YÊN"]);
    }

    #[test]
    fn society_is_not_a_commune() {
        let got = lines("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", 22.0);
        assert_eq!(got, ["SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"]);
    }

    #[test]
    fn a_long_group_breaks_between_pairs_of_syllables() {
        let got = lines("TRUNG TÂM ỨNG DỤNG TIẾN BỘ KHOA HỌC VÀ CÔNG NGHỆ", 17.0);
        assert_eq!(got, ["TRUNG TÂM ỨNG DỤNG", "TIẾN BỘ KHOA HỌC", "VÀ CÔNG NGHỆ"]);
    }

    #[test]
    fn a_written_line_break_is_kept() {
        assert_eq!(lines("SỞ KHOA HỌC\nVÀ CÔNG NGHỆ", 40.0), ["SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"]);
    }

    #[test]
    fn the_motto_breaks_after_a_dash() {
        let got = break_lines("Độc lập - Tự do - Hạnh phúc", 110.0, 13.0, true);
        assert!(got.iter().all(|l| l.ends_with('-') || l.ends_with("phúc")), "{got:?}");
    }
}
