use std::sync::OnceLock;

use super::*;
use crate::geo::dataset;
use crate::text::remove_diacritics;

fn index() -> &'static AddressIndex {
    static INDEX: OnceLock<AddressIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let data = dataset::parse(include_str!("../../../../db/data/admin_units.tsv")).unwrap();
        AddressIndex::new(Gazetteer::new(data.units, data.successions).unwrap())
    })
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn qn() -> AdminUnitCode {
    AdminUnitCode::parse("22").unwrap()
}

fn name(id: UnitId) -> String {
    index().gazetteer().unit(id).full_name()
}

fn best(text: &str, options: &ResolveOptions) -> Candidate {
    index().resolve(text, options).best().cloned().unwrap_or_else(|| panic!("no candidate for {text:?}"))
}

fn old_day() -> ResolveOptions {
    ResolveOptions::new(d("2020-02-27"), d("2026-01-01"))
}

#[test]
fn the_demo_addresses_resolve_to_their_units_then_and_now() {
    let minh_han = best("thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh", &old_day());
    assert_eq!(name(minh_han.unit), "Xã Hoàng Tân");
    assert_eq!(
        minh_han.matched.iter().map(|id| name(*id)).collect::<Vec<_>>(),
        ["Xã Hoàng Tân", "Thị xã Quảng Yên", "Tỉnh Quảng Ninh"]
    );
    assert_eq!(minh_han.detail, "thôn 3");
    assert!(minh_han.in_force);
    assert_eq!(name(minh_han.current.default.unwrap()), "Phường Hà An");
    assert!(minh_han.confidence >= 0.9, "{minh_han:?}");

    let agritech = best("khu 5, phường Hoành Bồ, TP Hạ Long", &old_day().with_default_province(qn()));
    let unit = index().gazetteer().unit(agritech.unit);
    assert_eq!((unit.code.as_str(), unit.valid_to), ("07030", Some(d("2025-07-01"))));
    assert_eq!(agritech.detail, "khu 5");
    let now = index().gazetteer().unit(agritech.current.default.unwrap());
    assert_eq!((now.code.as_str(), now.valid_from), ("07030", Some(d("2025-07-01"))));
    assert!(agritech.confidence >= 0.9, "{agritech:?}");
}

#[test]
fn abbreviations_and_missing_diacritics_give_the_same_unit() {
    let expected = best("xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh", &old_day()).unit;
    for text in [
        "X. Hoàng Tân, TX. Quảng Yên, T. Quảng Ninh",
        "xa Hoang Tan, tx Quang Yen, Quang Ninh",
        "XA HOANG TAN, THI XA QUANG YEN, TINH QUANG NINH",
        "Xã Hoàng Tân, TX.Quảng Yên - Quảng Ninh",
        "thon 3 xa Hoang Tan thi xa Quang Yen",
        "Hoang Tan, Quang Yen, Quang Ninh, Viet Nam",
        // Decomposed (NFD) input.
        "xa\u{303} Hoa\u{300}ng Tân, Quảng Yên, Quảng Ninh",
    ] {
        let got = best(text, &old_day());
        assert_eq!(got.unit, expected, "{text}: {got:?}");
        assert!(got.unread.is_empty(), "{text}: {got:?}");
    }
    let ha_long = best("P. Hoành Bồ, TP. Hạ Long, Quảng Ninh", &old_day());
    assert_eq!(name(ha_long.matched[1]), "Thành phố Hạ Long");
    let saigon = best("P.Bến Nghé, Q.1, TP.HCM", &old_day());
    assert_eq!(
        saigon.matched.iter().map(|id| name(*id)).collect::<Vec<_>>(),
        ["Phường Bến Nghé", "Quận 1", "Thành phố Hồ Chí Minh"]
    );
    let numbered = best("Phường 01, Quận 3, Hồ Chí Minh", &old_day());
    assert_eq!(name(numbered.unit), "Phường 1");
    assert_eq!(name(numbered.matched[1]), "Quận 3");
    let glued = best("F1 Q3 TPHCM", &old_day());
    assert_eq!(glued.unit, numbered.unit, "{glued:?}");
}

#[test]
fn the_date_decides_between_the_old_and_the_new_unit_with_one_code() {
    let text = "phường Hoành Bồ, Quảng Ninh";
    let old = best(text, &old_day());
    let new = best(text, &ResolveOptions::new(d("2026-01-01"), d("2026-01-01")));
    assert_eq!(index().gazetteer().unit(old.unit).valid_to, Some(d("2025-07-01")));
    assert_eq!(index().gazetteer().unit(new.unit).valid_from, Some(d("2025-07-01")));
    assert!(new.in_force);
    // An old address read today still finds the old unit, and what it is now.
    let late = best("xã Hoàng Tân, thị xã Quảng Yên", &ResolveOptions::new(d("2026-01-01"), d("2026-01-01")));
    assert_eq!(name(late.unit), "Xã Hoàng Tân");
    assert!(!late.in_force);
    assert_eq!(name(late.current.default.unwrap()), "Phường Hà An");
}

#[test]
fn a_district_resolves_to_every_unit_it_became() {
    let got = best("Số 12, TX Quảng Yên, Quảng Ninh", &old_day());
    assert_eq!(name(got.unit), "Thị xã Quảng Yên");
    assert_eq!(got.detail, "Số 12");
    assert!(got.current.via_children);
    assert_eq!(got.current.all.len(), 6);
    assert_eq!(got.current.default, None);
}

#[test]
fn the_default_province_settles_names_found_in_several_provinces() {
    let text = "phường Hồng Gai";
    let plain = index().resolve(text, &old_day());
    let with_province = index().resolve(text, &old_day().with_default_province(qn()));
    let top = with_province.best().unwrap();
    assert_eq!(index().gazetteer().unit(index().gazetteer().province(top.unit)).code, qn());
    assert!(top.confidence >= plain.best().unwrap().confidence);
}

#[test]
fn ambiguous_addresses_return_ranked_candidates_with_lower_confidence() {
    // Many communes are called Tân Thành; nothing says which.
    let got = index().resolve("xã Tân Thành", &old_day());
    assert!(got.candidates.len() >= 2, "{got:?}");
    let top = &got.candidates[0];
    assert!(top.confidence <= 0.5, "{top:?}");
    assert!(got.candidates.windows(2).all(|w| w[0].score >= w[1].score));
    // The same without diacritics cannot tell Cẩm Giang from Cẩm Giàng (two communes of Hải Phòng now).
    let today = ResolveOptions::new(d("2026-01-01"), d("2026-01-01"));
    let both = index().resolve("xa Cam Giang, Hai Phong", &today);
    let names: Vec<String> = both.candidates.iter().take(2).map(|c| name(c.unit)).collect();
    assert!(names.contains(&"Xã Cẩm Giang".to_owned()) && names.contains(&"Xã Cẩm Giàng".to_owned()), "{names:?}");
    // With diacritics it can.
    let one = best("xã Cẩm Giàng, Hải Phòng", &today);
    assert_eq!(name(one.unit), "Xã Cẩm Giàng");
    assert!(one.confidence >= 0.9, "{one:?}");
}

#[test]
fn conflicting_words_lower_the_confidence_and_are_reported() {
    let got = best("xã Hoàng Tân, thị xã Quảng Yên, Hà Nội", &old_day());
    assert_eq!(name(got.unit), "Xã Hoàng Tân");
    assert_eq!(got.unread, ["Hà Nội"]);
    assert!(got.confidence < 0.9);
    let wrong_kind = best("phường Hoàng Tân, thị xã Quảng Yên", &old_day());
    assert_eq!(name(wrong_kind.unit), "Xã Hoàng Tân");
    assert!(wrong_kind.kind_conflict);
    let wrong_accent = best("xã Hoáng Tân, thị xã Quảng Yên", &old_day());
    assert!(wrong_accent.accent_conflict);
}

#[test]
fn nonsense_gives_no_candidates_and_a_reason() {
    let cases = [
        ("", NoMatch::Empty),
        ("  , ;  ", NoMatch::Empty),
        ("thôn 3, khu 5", NoMatch::NoKnownName),
        ("Lorem ipsum dolor", NoMatch::NoKnownName),
        ("\u{0}\u{1}\u{300}", NoMatch::Empty),
    ];
    for (text, reason) in cases {
        let got = index().resolve(text, &old_day());
        assert!(got.candidates.is_empty(), "{text:?}");
        assert_eq!(got.no_match, Some(reason), "{text:?}");
    }
    let long = "xã Hoàng Tân, ".repeat(100);
    assert_eq!(index().resolve(&long, &old_day()).no_match, Some(NoMatch::TooLong));
}

#[test]
fn stripping_diacritics_keeps_case() {
    assert_eq!(remove_diacritics("Xã Hoàng Tân, Đông Triều"), "Xa Hoang Tan, Dong Trieu");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_resolves_without_panicking(text in "\\PC{0,80}|[ ,.;xXpPqQtT0-9aăâđêôơưàáạảã-]{0,60}") {
        let got = index().resolve(&text, &old_day());
        proptest::prop_assert_eq!(got.candidates.is_empty(), got.no_match.is_some());
        for c in &got.candidates {
            proptest::prop_assert!((0.0..=1.0).contains(&c.confidence));
        }
    }
}

#[test]
fn a_deleted_letter_resolves_less_surely_and_a_tie_still_asks() {
    let exact = best("xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh", &old_day());
    let typo = best("xã Hoàng Tn, thị xã Quảng Yên, Quảng Ninh", &old_day());
    assert_eq!(typo.unit, exact.unit);
    assert!(typo.typo && !exact.typo, "{typo:?}");
    assert_eq!(typo.matched.len(), 3);
    assert!(typo.confidence < exact.confidence, "{} vs {}", typo.confidence, exact.confidence);
    // Alone, "Hoàng Tn" is one letter from several names (Hoàng Tân, Hoàng An, …): ranked candidates,
    // none trusted.
    let alone = index().resolve("xã Hoàng Tn", &old_day());
    let names: Vec<String> = alone.candidates.iter().map(|c| name(c.unit)).collect();
    assert!(names.contains(&"Xã Hoàng Tân".to_owned()) && names.contains(&"Xã Hoàng An".to_owned()), "{names:?}");
    assert!(alone.candidates[0].confidence <= 0.5, "{alone:?}");
    // A name of three letters is not guessed from two.
    assert!(index().resolve("xã Tn, thị xã Quảng Yên", &old_day()).best().is_none_or(|c| !c.typo));
}

#[test]
fn commas_replaced_by_spaces_resolve_less_surely() {
    let exact = best("thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh", &old_day());
    let spaces = best("thon 3 xa Hoang Tan thi xa Quang Yen Quang Ninh", &old_day());
    assert_eq!(spaces.unit, exact.unit);
    assert_eq!(
        spaces.matched.iter().map(|id| name(*id)).collect::<Vec<_>>(),
        ["Xã Hoàng Tân", "Thị xã Quảng Yên", "Tỉnh Quảng Ninh"]
    );
    assert_eq!(spaces.detail, "thon 3");
    assert!(spaces.guessed && !exact.guessed);
    assert!(spaces.confidence < exact.confidence, "{} vs {}", spaces.confidence, exact.confidence);
    // A name holding a kind word stays whole ("Phúc Xá" is not "Phúc" + "xã").
    let phuc_xa = best("Phuong Phuc Xa Quan Ba Dinh Ha Noi", &old_day());
    assert_eq!(name(phuc_xa.unit), "Phường Phúc Xá");
    assert_eq!(name(phuc_xa.matched[1]), "Quận Ba Đình");
}
