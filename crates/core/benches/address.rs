//! Address resolution throughput on one core.
//!
//! Run with `cargo bench -p tiendo-core --bench address`. The addresses are every commune of the pre-2025
//! map written "<commune>, <district>, <province>", once with diacritics and once without, plus the demo
//! addresses with a detail part and abbreviations. The baseline is the cost of normalising and folding the
//! same text, which any resolver pays.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tiendo_core::geo::address::{AddressIndex, ResolveOptions};
use tiendo_core::geo::{Gazetteer, UnitLevel, dataset};
use tiendo_core::text::{fold, normalize_input, remove_diacritics};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// Runs `f` over all addresses repeatedly for at least `min` and returns addresses per second.
fn throughput(addresses: &[String], min: Duration, mut f: impl FnMut(&str)) -> f64 {
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < min {
        for a in addresses {
            f(a);
        }
        done += addresses.len();
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let text = include_str!("../../db/data/admin_units.tsv");
    let started = Instant::now();
    let data = dataset::parse(text).expect("the built-in data");
    let parsed = started.elapsed();
    let index = AddressIndex::new(Gazetteer::new(data.units, data.successions).expect("a consistent history"));
    let built = started.elapsed();

    let g = index.gazetteer();
    let mut addresses = Vec::new();
    for id in g.in_force_on(day("2025-06-30")) {
        let unit = g.unit(id);
        if unit.level() != UnitLevel::Commune {
            continue;
        }
        let district = g.unit(g.parent(id).expect("a district"));
        let province = g.unit(g.province(id));
        let address = format!("{}, {}, {}", unit.full_name(), district.full_name(), province.full_name());
        addresses.push(remove_diacritics(&address));
        addresses.push(address);
    }
    for demo in [
        "thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh",
        "khu 5, P. Hoành Bồ, TP Hạ Long",
        "Số 12 đường Trần Phú, phường Hồng Gai, TP. Hạ Long, tỉnh Quảng Ninh, Việt Nam",
        "F1 Q3 TPHCM",
    ] {
        addresses.push(demo.to_owned());
    }
    let options = ResolveOptions::new(day("2025-06-30"), day("2026-01-01"))
        .with_default_province(tiendo_core::geo::AdminUnitCode::parse("22").expect("a code"));

    let min = Duration::from_secs(3);
    let baseline = throughput(&addresses, min, |a| {
        black_box(fold(&normalize_input(black_box(a))));
    });
    let mut found = 0usize;
    let resolved = throughput(&addresses, min, |a| {
        let r = index.resolve(black_box(a), &options);
        found += usize::from(r.best().is_some());
        black_box(r);
    });
    println!(
        "data: parsed in {:.0} ms, indexed in {:.0} ms total",
        parsed.as_secs_f64() * 1e3,
        built.as_secs_f64() * 1e3
    );
    println!("addresses: {} distinct", addresses.len());
    println!("baseline (normalise + fold): {baseline:.0} addresses/s");
    println!(
        "resolve: {resolved:.0} addresses/s on one core ({:.1} µs each), {:.1}x the baseline cost, {} resolved",
        1e6 / resolved,
        baseline / resolved,
        found
    );
}
