//! Hostile images in parallel stay under a memory ceiling: decoding is bounded by the pixel limit before
//! anything is decoded, at most one image per core is decoded at a time, and no photo is held twice.
//! Alone in its own test binary, so that the process's peak memory is this test's.

use tiendo_export::photo;

/// The peak resident memory of this process so far, in bytes (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb * 1024
}

/// Resets the peak to the current resident memory.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

/// The ceiling for six parallel uploads of a 6300×6300 PNG (39.7 megapixels, just under the 40-megapixel
/// limit): two decoded at a time on two cores, each about 160 MB decoded, plus the PNGs themselves and the
/// test's own memory. Before the bound, the same load took 2.2 GB in the server.
const CEILING: u64 = 700 * 1024 * 1024;

#[test]
fn six_parallel_forty_megapixel_uploads_stay_under_the_memory_ceiling() {
    // A flat image compresses to almost nothing: the 115 KB PNG of the security finding.
    let hostile = photo::placeholder_png(6300, 6300, [10, 20, 30]);
    assert!(hostile.len() < 2 * 1024 * 1024, "the hostile PNG is small on the wire: {} bytes", hostile.len());
    let baseline = {
        reset_peak();
        peak_rss()
    };
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let bytes = hostile.clone();
            std::thread::spawn(move || photo::process(&bytes).map(|p| (p.width, p.height)))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("no panic").expect("processed"), (6300, 6300));
    }
    let used = peak_rss().saturating_sub(baseline);
    eprintln!("peak over baseline: {} MB", used / (1024 * 1024));
    assert!(used < CEILING, "six parallel 40-megapixel uploads took {} MB (ceiling {} MB)", used >> 20, CEILING >> 20);

    // Over the configured limit: refused from the header, before decoding.
    reset_peak();
    let before = peak_rss();
    let refused = photo::process_with(&hostile, 20_000_000);
    assert!(matches!(refused, Err(photo::PhotoError::TooManyPixels { max_pixels: 20_000_000, .. })), "{refused:?}");
    assert!(peak_rss() - before < 20 * 1024 * 1024, "a refused image is not decoded");
}
