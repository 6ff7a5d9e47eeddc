use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::*;

fn folds(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.fold).collect()
}

fn exacts(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.exact).collect()
}

#[test]
fn syllables_are_folded_and_kept_exact() {
    let text = "Thị xã Quảng Yên, tỉnh Quảng Ninh";
    assert_eq!(folds(text), ["thi", "xa", "quang", "yen", "tinh", "quang", "ninh"]);
    assert_eq!(exacts(text), ["thị", "xã", "quảng", "yên", "tỉnh", "quảng", "ninh"]);
    assert_eq!(folds("Đắk Lắk, Đà Nẵng"), ["dak", "lak", "da", "nang"]);
}

#[test]
fn offsets_point_into_the_original_text_in_nfc_and_nfd() {
    let nfd: String = "Thị xã Quảng Yên".nfd().collect();
    let tokens = analyze(&nfd);
    assert_eq!(tokens.len(), 4);
    assert_eq!(&nfd[tokens[2].span.start..tokens[2].span.end], "Qua\u{309}ng");
    assert_eq!(tokens[2].fold, "quang");
    assert_eq!(tokens[2].exact, "quảng");
    assert_eq!(folds(&nfd), folds("Thị xã Quảng Yên"));
    assert_eq!(exacts(&nfd), exacts("Thị xã Quảng Yên"));
}

#[test]
fn tone_placement_does_not_matter_in_the_exact_form() {
    assert_eq!(exact_word("hòa"), exact_word("hoà"));
    assert_eq!(exact_word("Thủy"), exact_word("thuỷ"));
    assert_eq!(exact_word("khỏe"), exact_word("khoẻ"));
    assert_eq!(exact_word("hòa"), "hoà");
    // Other tones and other vowels stay different words.
    assert_ne!(exact_word("hòa"), exact_word("hóa"));
    assert_ne!(exact_word("hoàng"), exact_word("hoáng"));
    assert_eq!(exact_word("quý"), "quý");
    assert_eq!(exact_word("Hoàng"), "hoàng");
}

#[test]
fn document_symbols_are_one_token_and_their_parts() {
    let tokens = analyze("Nghị quyết số 07-NQ/TU ngày 15/4/2021");
    let seen: Vec<(&str, TokenKind, usize)> =
        tokens.iter().map(|t| (t.fold.as_str(), t.span.kind, t.span.position)).collect();
    assert_eq!(
        seen,
        [
            ("nghi", TokenKind::Part, 0),
            ("quyet", TokenKind::Part, 1),
            ("so", TokenKind::Part, 2),
            ("7-nq/tu", TokenKind::Symbol, 3),
            ("7", TokenKind::Part, 3),
            ("nq", TokenKind::Part, 4),
            ("tu", TokenKind::Part, 5),
            ("ngay", TokenKind::Part, 6),
            ("15", TokenKind::Part, 7),
            ("4", TokenKind::Part, 8),
            ("2021", TokenKind::Part, 9),
        ]
    );
    assert_eq!(tokens[3].exact, "07-nq/tu");
    assert_eq!(folds("Số 128/KH-UBND")[1], "128/kh-ubnd");
    assert_eq!(folds("15/NQ-HĐND")[0], "15/nq-hdnd");
    assert_eq!(exacts("15/NQ-HĐND")[0], "15/nq-hđnd");
    assert_eq!(folds("Luật 93/2025/QH15"), ["luat", "93/2025/qh15", "93", "2025", "qh15"]);
    assert_eq!(folds("30/2020/NĐ-CP")[0], "30/2020/nd-cp");
}

#[test]
fn capitals_joined_by_punctuation_are_also_one_word() {
    assert_eq!(folds("Sở KH&CN"), ["so", "khcn"]);
    assert_eq!(folds("NĐ-CP"), ["ndcp"]);
    assert_eq!(folds("TP.HCM Quận 1"), ["tphcm", "quan", "1"]);
    let tokens = analyze("Sở KH&CN tỉnh");
    assert_eq!(tokens.iter().map(|t| t.span.position).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(tokens[1].span.kind, TokenKind::Joined);
    assert_eq!(joined_parts("Sở KH&CN tỉnh", &tokens[1].span), ["kh", "cn"]);
    let pairs: Vec<String> = bigrams("Sở KH&CN tỉnh").into_iter().map(|b| b.text).collect();
    assert_eq!(pairs, ["so_khcn", "khcn_tinh"]);
    // Not capitals: only the parts.
    assert_eq!(folds("Bà Rịa-Vũng Tàu"), ["ba", "ria", "vung", "tau"]);
    // A dash between spaces separates words, and a full stop ends them.
    assert_eq!(folds("Quảng Yên - Quảng Ninh."), ["quang", "yen", "quang", "ninh"]);
}

#[test]
fn apostrophes_inside_words_are_dropped() {
    assert_eq!(folds("Ea H'leo, H’Mông"), ["ea", "hleo", "hmong"]);
    assert_eq!(folds("'trích dẫn'"), ["trich", "dan"]);
}

#[test]
fn numbers_fold_without_leading_zeros() {
    assert_eq!(folds("03 năm, 0 và 000"), ["3", "nam", "0", "va", "0"]);
    assert_eq!(exacts("03")[0], "03");
}

#[test]
fn bigrams_pair_neighbours_across_a_comma_but_not_across_other_punctuation() {
    let pairs = |t: &str| bigrams(t).into_iter().map(|b| b.text).collect::<Vec<String>>();
    assert_eq!(pairs("Khoa học và công nghệ. Quảng Yên"), ["khoa_hoc", "hoc_va", "va_cong", "cong_nghe", "quang_yen"]);
    // A comma lists the parts of one name ("khoa học, công nghệ"); two commas, a full stop, a semicolon, a
    // bracket or a quote end it.
    assert_eq!(pairs("khoa học, công nghệ"), ["khoa_hoc", "hoc_cong", "cong_nghe"]);
    assert!(pairs("học ,, công; nghệ (đổi) “mới” sáng: tạo").is_empty());
    let b = &bigrams("Sở Khoa học")[1];
    assert_eq!((b.start, b.end, b.position), ("Sở ".len(), "Sở Khoa học".len(), 1));
}

#[test]
fn marks_alone_and_punctuation_give_no_token() {
    assert!(analyze("").is_empty());
    assert!(analyze("\u{300}\u{301} ... !!! --- //").is_empty());
    assert!(analyze("\"").is_empty());
    assert_eq!(folds("a\u{300}"), ["a"]);
}

#[test]
fn very_long_words_are_skipped() {
    let long = "a".repeat(MAX_TOKEN_CHARS + 1);
    assert_eq!(folds(&format!("trước {long} sau")), ["truoc", "sau"]);
    assert!(bigrams(&format!("trước {long} sau")).is_empty());
}

#[test]
fn one_edit_means_one_letter_added_removed_replaced_or_two_swapped() {
    assert!(within_one_edit("hoang tan", "hoang tn"));
    assert!(within_one_edit("quang", "quanh"));
    assert!(within_one_edit("quang", "qaung"));
    assert!(within_one_edit("nghe", "ngh"));
    assert!(within_one_edit("nghe", "nghe"));
    assert!(!within_one_edit("quang", "qunah"));
    assert!(!within_one_edit("hoang", "hoa"));
    assert!(!within_one_edit("", "ab"));
    assert!(typo_tolerant("quang"));
    assert!(typo_tolerant("nghe"));
    assert!(!typo_tolerant("tan"));
    assert!(!typo_tolerant("2025"));
}

#[test]
fn syllable_shapes() {
    for s in ["tu", "hoang", "nghieng", "quy", "gia", "anh", "va", "khuyen"] {
        assert!(is_syllable_shape(s), "{s}");
    }
    for s in ["ubnd", "kh", "tp", "qd", "khcn", "hl", "ths", "07", "tư"] {
        assert!(!is_syllable_shape(s), "{s}");
    }
}

/// Vietnamese-looking text: syllables with every mark, in any case, with punctuation between them.
fn vietnamese_text() -> impl Strategy<Value = String> {
    let syllable = "[bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX]{0,2}[aăâeêioôơuưyAĂÂEÊIOÔƠUƯY]{1,2}[\u{300}\u{301}\u{303}\u{309}\u{323}]?[cmnpt]{0,2}";
    let sep = "[ ,./&\\-:'’()\"]{1,2}|[0-9]{1,3}";
    prop::collection::vec((syllable, sep), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(s, p)| format!("{s}{p}")).collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn folding_is_idempotent(text in "\\PC{0,40}") {
        let once = crate::text::fold(&text);
        prop_assert_eq!(crate::text::fold(&once), once.clone());
        for token in analyze(&text) {
            prop_assert_eq!(fold_word(&token.fold), token.fold.clone(), "{:?}", token);
        }
    }

    #[test]
    fn offsets_slice_the_original_on_char_boundaries(text in "\\PC{0,60}") {
        let mut last_position = 0;
        for token in analyze(&text) {
            prop_assert!(text.is_char_boundary(token.span.start) && text.is_char_boundary(token.span.end));
            prop_assert!(token.span.start < token.span.end && token.span.end <= text.len());
            prop_assert!(!token.fold.is_empty() && !token.exact.is_empty());
            prop_assert!(token.span.position >= last_position);
            last_position = token.span.position;
        }
        for b in bigrams(&text) {
            prop_assert!(text.is_char_boundary(b.start) && text.is_char_boundary(b.end));
        }
    }

    #[test]
    fn offsets_slice_vietnamese_text(text in vietnamese_text()) {
        for token in analyze(&text).into_iter().filter(|t| t.span.kind == TokenKind::Part) {
            let slice = &text[token.span.start..token.span.end];
            prop_assert_eq!(fold_word(slice), token.fold.clone(), "{:?}", token);
        }
    }

    #[test]
    fn nfc_and_nfd_give_the_same_tokens(text in vietnamese_text()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        let forms = |t: &str| analyze(t).into_iter().map(|t| (t.fold, t.exact, t.span.kind, t.span.position)).collect::<Vec<_>>();
        prop_assert_eq!(forms(&nfc), forms(&nfd));
        let pairs = |t: &str| bigrams(t).into_iter().map(|b| b.text).collect::<Vec<_>>();
        prop_assert_eq!(pairs(&nfc), pairs(&nfd));
    }

    #[test]
    fn one_edit_is_symmetric_and_agrees_with_a_plain_distance(a in "[abc]{0,5}", b in "[abc]{0,5}") {
        prop_assert_eq!(within_one_edit(&a, &b), within_one_edit(&b, &a));
        prop_assert_eq!(within_one_edit(&a, &b), distance(&a, &b) <= 1);
    }
}

/// Optimal string alignment distance, the reference for [`within_one_edit`].
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}
