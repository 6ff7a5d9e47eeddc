//! The memory the address resolver holds once built over the real units dataset (issue 15: it added about
//! 60 MB to the server on first use; the budget is 20 MB). Alone in its own test binary, so that the
//! process's resident memory is this test's.

use tiendo_core::geo::address::{AddressIndex, ResolveOptions};
use tiendo_core::geo::{Gazetteer, dataset};

/// A field of /proc/self/status in bytes (Linux).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a /proc/self/status field");
    kb * 1024
}

/// Resets the peak to the current resident memory.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

const MB: f64 = 1024.0 * 1024.0;

/// The budget of issue 15 for what the built resolver keeps resident.
const BUDGET: u64 = 20 * 1024 * 1024;

#[test]
fn the_address_index_over_every_unit_holds_less_than_twenty_megabytes() {
    let text = include_str!("../../db/data/admin_units.tsv");
    // Touch the embedded data first, so that its pages count in the baseline, not in the index.
    assert!(text.len() > 100_000);
    let checksum: usize = text.bytes().map(usize::from).sum();
    assert!(checksum > 0);
    reset_peak();
    let baseline = status_bytes("VmRSS:");
    let index = {
        let data = dataset::parse(text).expect("the built-in data");
        AddressIndex::new(Gazetteer::new(data.units, data.successions).expect("a consistent history"))
    };
    let built = status_bytes("VmRSS:");
    let peak = status_bytes("VmHWM:");
    let today = "2026-01-01".parse().expect("a date");
    let got = index.resolve("thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh", &ResolveOptions::new(today, today));
    assert!(got.best().is_some());
    let after_use = status_bytes("VmRSS:");
    let held = after_use.saturating_sub(baseline);
    println!(
        "address index: {} units; resident {:.1} MB over the baseline after building ({:.1} MB peak while \
         building), {:.1} MB after one resolution",
        index.gazetteer().len(),
        built.saturating_sub(baseline) as f64 / MB,
        peak.saturating_sub(baseline) as f64 / MB,
        held as f64 / MB,
    );
    assert!(held < BUDGET, "the address index holds {:.1} MB (budget {:.0} MB)", held as f64 / MB, BUDGET as f64 / MB);
}
