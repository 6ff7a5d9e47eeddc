//! Properties of the Vietnamese text helpers, checked on generated text: arbitrary Unicode, and Vietnamese
//! words in every spelling (precomposed or decomposed, any case, every tone).

use std::cmp::Ordering;

use proptest::prelude::*;
use tiendo_core::text::{fold, normalize_input, remove_diacritics, slugify, sort_key};
use unicode_normalization::UnicodeNormalization;

/// The Vietnamese alphabet in dictionary order, with the four Latin letters it does not use placed where
/// the Latin alphabet puts them.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q",
    "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// Tone marks in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
const TONES: [&str; 6] = ["", "\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"];

/// A letter: its place in the alphabet, its tone, and whether it is upper case.
#[derive(Debug, Clone, Copy)]
struct Letter {
    base: usize,
    tone: usize,
    upper: bool,
}

fn letter() -> impl Strategy<Value = Letter> {
    (0..ALPHABET.len(), 0..TONES.len(), any::<bool>()).prop_map(|(base, tone, upper)| Letter { base, tone, upper })
}

/// Words of one to six letters, one to four words.
fn words() -> impl Strategy<Value = Vec<Vec<Letter>>> {
    prop::collection::vec(prop::collection::vec(letter(), 1..6), 1..4)
}

fn render(words: &[Vec<Letter>], decomposed: bool) -> String {
    let text = words
        .iter()
        .map(|w| {
            w.iter()
                .map(|l| {
                    let base = if l.upper { ALPHABET[l.base].to_uppercase() } else { ALPHABET[l.base].to_owned() };
                    format!("{base}{}", TONES[l.tone])
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ");
    if decomposed { text.nfd().collect() } else { text.nfc().collect() }
}

/// The dictionary order, computed without the sort key: letters first (a word boundary before any letter,
/// the end of the text before a boundary), then tones letter by letter, then case.
fn reference_cmp(a: &[Vec<Letter>], b: &[Vec<Letter>]) -> Ordering {
    // Letters as ranks from 1; 0 marks a word boundary.
    let primary = |ws: &[Vec<Letter>]| -> Vec<usize> {
        let mut out = Vec::new();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                out.push(0);
            }
            out.extend(w.iter().map(|l| l.base + 1));
        }
        out
    };
    let tones = |ws: &[Vec<Letter>]| -> Vec<usize> { ws.iter().flatten().map(|l| l.tone).collect() };
    let cases = |ws: &[Vec<Letter>]| -> Vec<bool> { ws.iter().flatten().map(|l| l.upper).collect() };
    primary(a).cmp(&primary(b)).then_with(|| tones(a).cmp(&tones(b))).then_with(|| cases(a).cmp(&cases(b)))
}

/// Any characters, including controls, unpaired combining marks and invisible ones, which the default
/// string strategy rarely produces.
fn raw_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\u{0}', '\t', '\n', '\r', '\u{85}', '\u{a0}', '\u{200b}', '\u{feff}', '\u{2028}', '\u{300}', '\u{301}',
        '\u{323}', '\u{302}', '\u{306}', '\u{31b}', 'İ', 'ẞ', 'Đ', 'đ', 'Ð', 'ǅ', '\u{212b}', '\u{2000}', ' ', 'a',
        'A',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..24).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fold_is_idempotent_on_raw_text(s in raw_text()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn normalize_input_is_idempotent_on_raw_text(s in raw_text()) {
        let once = normalize_input(&s);
        prop_assert_eq!(normalize_input(&once), once);
    }

    #[test]
    fn sort_key_is_the_same_for_nfc_and_nfd_of_raw_text(s in raw_text()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(sort_key(&nfc), sort_key(&nfd));
    }

    #[test]
    fn fold_is_idempotent(s in any::<String>()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_is_idempotent_on_vietnamese(ws in words(), decomposed in any::<bool>()) {
        let once = fold(&render(&ws, decomposed));
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_turns_vietnamese_into_ascii(ws in words(), decomposed in any::<bool>()) {
        let text = render(&ws, decomposed);
        let folded = fold(&text);
        prop_assert!(folded.is_ascii(), "{:?} → {:?}", text, folded);
        let letters: usize = ws.iter().map(Vec::len).sum();
        prop_assert_eq!(folded.len(), letters + ws.len() - 1);
        prop_assert_eq!(folded.clone(), folded.to_lowercase());
    }

    #[test]
    fn fold_and_remove_diacritics_agree_up_to_case(ws in words(), decomposed in any::<bool>()) {
        let text = render(&ws, decomposed);
        prop_assert_eq!(remove_diacritics(&text).to_lowercase(), fold(&text));
    }

    #[test]
    fn sort_key_is_the_same_for_nfc_and_nfd(ws in words()) {
        prop_assert_eq!(sort_key(&render(&ws, false)), sort_key(&render(&ws, true)));
    }

    #[test]
    fn sort_key_is_the_same_for_nfc_and_nfd_of_any_text(s in any::<String>()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(sort_key(&nfc), sort_key(&nfd));
    }

    #[test]
    fn sort_key_orders_like_the_dictionary(a in words(), b in words(), da in any::<bool>(), db in any::<bool>()) {
        let (ta, tb) = (render(&a, da), render(&b, db));
        prop_assert_eq!(sort_key(&ta).cmp(&sort_key(&tb)), reference_cmp(&a, &b), "{:?} vs {:?}", ta, tb);
    }

    #[test]
    fn sort_key_orders_numbers_by_value(a in any::<u64>(), b in any::<u64>(), word in "[a-z]{0,3}") {
        let (ka, kb) = (sort_key(&format!("Phường {a}{word}")), sort_key(&format!("Phường {b}{word}")));
        prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
    }

    #[test]
    fn sort_key_is_ascii(s in any::<String>()) {
        prop_assert!(sort_key(&s).is_ascii());
    }

    #[test]
    fn normalize_input_is_idempotent(s in any::<String>()) {
        let once = normalize_input(&s);
        prop_assert_eq!(normalize_input(&once), once);
    }

    #[test]
    fn normalize_input_is_trimmed_nfc_single_spaced_and_visible(s in raw_text()) {
        let out = normalize_input(&s);
        let invisible = ['\u{feff}', '\u{200b}'];
        prop_assert!(!out.contains(invisible), "{:?}", out);
        prop_assert_eq!(out.trim(), out.as_str());
        prop_assert!(!out.contains("  "));
        prop_assert!(!out.chars().any(|c| c.is_control() || (c.is_whitespace() && c != ' ')));
        prop_assert_eq!(out.nfc().collect::<String>(), out.clone());
    }

    #[test]
    fn slugs_are_short_ascii_and_never_empty(s in any::<String>(), max in 1usize..100) {
        let slug = slugify(&s, max);
        prop_assert!(!slug.is_empty());
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert!(slug.len() <= max.max("bai-viet".len()));
    }
}
