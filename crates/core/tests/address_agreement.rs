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
