//! Agreement of address resolution with the data set's own old-to-new mapping, on every commune of the
//! pre-2025 map: "<commune>, <district>, <province>" written with diacritics and again without is resolved as
//! of 30/06/2025, and the default successor of the unit found is compared with the successor the mapping
//! gives for that commune.

use chrono::NaiveDate;
use tiendo_core::geo::address::{AddressIndex, ResolveOptions};
use tiendo_core::geo::{Gazetteer, UnitId, UnitLevel, dataset};
use tiendo_core::text::remove_diacritics;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Rates {
    total: usize,
    same_successor: usize,
    same_unit: usize,
    misses: Vec<String>,
    unit_misses: Vec<String>,
}

fn measure(index: &AddressIndex, cases: &[(String, UnitId, UnitId)], options: &ResolveOptions) -> Rates {
    let mut rates =
        Rates { total: cases.len(), same_successor: 0, same_unit: 0, misses: Vec::new(), unit_misses: Vec::new() };
    let g = index.gazetteer();
    for (address, old, expected) in cases {
        let resolution = index.resolve(address, options);
        let best = resolution.best();
        if best.is_some_and(|c| c.unit == *old) {
            rates.same_unit += 1;
        } else if rates.unit_misses.len() < 20 {
            rates
                .unit_misses
                .push(format!("{address} → {:?}", best.map(|c| (g.unit(c.unit).full_name(), c.unit, c.score))));
        }
        if best.and_then(|c| c.current.default) == Some(*expected) {
            rates.same_successor += 1;
        } else if rates.misses.len() < 20 {
            rates.misses.push(format!(
                "{address} → {:?} (expected {})",
                best.map(|c| g.unit(c.unit).full_name()),
                g.unit(*expected).full_name()
            ));
        }
    }
    rates
}

fn percent(n: usize, total: usize) -> f64 {
    100.0 * n as f64 / total as f64
}

#[test]
fn old_communes_resolve_to_the_successor_the_mapping_gives() {
    let data = dataset::parse(include_str!("../../db/data/admin_units.tsv")).unwrap();
    let index = AddressIndex::new(Gazetteer::new(data.units, data.successions).unwrap());
    let g = index.gazetteer();
    let before = day("2025-06-30");
    let mut cases = Vec::new();
    for id in g.in_force_on(before) {
        let unit = g.unit(id);
        if unit.level() != UnitLevel::Commune {
            continue;
        }
        let district = g.parent(id).unwrap();
        let province = g.province(id);
        let address =
            format!("{}, {}, {}", unit.full_name(), g.unit(district).full_name(), g.unit(province).full_name());
        let expected = g
            .successions_from(id)
            .find(|(_, s)| s.is_default)
            .map(|(to, _)| to)
            .expect("every old commune has a default successor");
        cases.push((address, id, expected));
    }
    assert!(cases.len() >= 500);
    let options = ResolveOptions::new(before, day("2026-01-01"));
    let accented = measure(&index, &cases, &options);
    let plain_cases: Vec<(String, UnitId, UnitId)> =
        cases.iter().map(|(a, old, new)| (remove_diacritics(a), *old, *new)).collect();
    let plain = measure(&index, &plain_cases, &options);
    for (label, r) in [("with diacritics", &accented), ("without diacritics", &plain)] {
        println!(
            "{label}: {} old communes, successor agrees {:.2}% ({}), old unit found {:.2}% ({})",
            r.total,
            percent(r.same_successor, r.total),
            r.same_successor,
            percent(r.same_unit, r.total),
            r.same_unit
        );
        for miss in &r.misses {
            println!("  successor differs: {miss}");
        }
        for miss in &r.unit_misses {
            println!("  other old unit: {miss}");
        }
    }
    assert_eq!(accented.same_successor, accented.total, "with diacritics: {:?}", accented.misses);
    assert!(percent(plain.same_successor, plain.total) >= 98.0, "without diacritics: {:?}", plain.misses);
}

/// The name with one letter deleted from its last word (the middle one), as typed in a hurry: "Hoàng
/// Tân" → "Hoàng Tn". `None` when the name is too short to be told apart with a letter missing.
fn drop_a_letter(name: &str) -> Option<String> {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4 {
        return None;
    }
    let last_word_start = name.rfind(' ').map_or(0, |i| i + 1);
    let word: Vec<char> = name[last_word_start..].chars().collect();
    if word.len() < 2 || !word.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let mut shorter = word.clone();
    shorter.remove(word.len() / 2);
    Some(format!("{}{}", &name[..last_word_start], shorter.into_iter().collect::<String>()))
}

struct Tolerance {
    total: usize,
    found: usize,
    less_sure: usize,
    misses: Vec<String>,
}

#[test]
fn deleted_letters_and_missing_commas_still_resolve_less_surely() {
    let data = dataset::parse(include_str!("../../db/data/admin_units.tsv")).unwrap();
    let index = AddressIndex::new(Gazetteer::new(data.units, data.successions).unwrap());
    let g = index.gazetteer();
    let before = day("2025-06-30");
    let options = ResolveOptions::new(before, day("2026-01-01"));
    let mut typo = Tolerance { total: 0, found: 0, less_sure: 0, misses: Vec::new() };
    let mut no_commas = Tolerance { total: 0, found: 0, less_sure: 0, misses: Vec::new() };
    for id in g.in_force_on(before) {
        let unit = g.unit(id);
        if unit.level() != UnitLevel::Commune {
            continue;
        }
        let district = g.unit(g.parent(id).unwrap());
        let province = g.unit(g.province(id));
        let exact = format!("{}, {}, {}", unit.full_name(), district.full_name(), province.full_name());
        let Some(exact_confidence) =
            index.resolve(&exact, &options).best().filter(|c| c.unit == id).map(|c| c.confidence)
        else {
            continue;
        };
        let check = |t: &mut Tolerance, address: String| {
            t.total += 1;
            match index.resolve(&address, &options).best() {
                Some(c) if c.unit == id => {
                    t.found += 1;
                    if c.confidence < exact_confidence {
                        t.less_sure += 1;
                    }
                }
                other => {
                    if t.misses.len() < 15 {
                        t.misses.push(format!("{address} → {:?}", other.map(|c| g.unit(c.unit).full_name())));
                    }
                }
            }
        };
        if let Some(misspelt) = drop_a_letter(&unit.name) {
            check(
                &mut typo,
                format!("{} {misspelt}, {}, {}", unit.kind.prefix(), district.full_name(), province.full_name()),
            );
        }
        // "thon 3 xa Hoang Tan thi xa Quang Yen Quang Ninh": no commas, no diacritics, the province bare.
        check(
            &mut no_commas,
            remove_diacritics(&format!("thôn 3 {} {} {}", unit.full_name(), district.full_name(), province.name)),
        );
    }
    for (label, t) in [("one letter deleted", &typo), ("commas replaced by spaces", &no_commas)] {
        println!(
            "{label}: {} addresses, right commune {:.1}% ({}), less sure than the exact address {:.1}% of those",
            t.total,
            percent(t.found, t.total),
            t.found,
            percent(t.less_sure, t.found)
        );
        for miss in &t.misses {
            println!("  missed: {miss}");
        }
    }
    assert!(typo.total > 5_000 && no_commas.total > 5_000);
    assert!(percent(typo.found, typo.total) >= 95.0, "one letter deleted: {:?}", typo.misses);
    assert!(percent(no_commas.found, no_commas.total) >= 95.0, "no commas: {:?}", no_commas.misses);
    assert_eq!(typo.less_sure, typo.found, "a misspelt name is never as sure as the exact one");
    assert_eq!(no_commas.less_sure, no_commas.found, "a guessed cut is never as sure as commas");
}
