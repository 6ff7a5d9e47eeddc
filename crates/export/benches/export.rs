//! Export benchmarks (plain `std::time`, no harness): `cargo bench -p tiendo-export`.
//!
//! Budgets from issue 5: a 20-page DOCX report under 200 ms, the same as PDF under 1 s, an
//! XLSX of 100,000 rows under 2 s with bounded memory. Each figure is reported with its ratio to
//! a baseline measured in the same run (lowering the document to plain text, or generating the
//! spreadsheet rows without writing them), so runs on different machines stay comparable.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tiendo_export::{pdf, sample, xlsx};

/// Median wall time of `runs` calls.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Peak resident memory of the process so far, in MiB (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn report(name: &str, took: Duration, budget: Duration, baseline: Duration) {
    let verdict = if took <= budget { "within budget" } else { "OVER BUDGET" };
    println!(
        "{name:<34} {:>9.1} ms   budget {:>6} ms   {:>7.1}× baseline   {verdict}",
        took.as_secs_f64() * 1e3,
        budget.as_millis(),
        took.as_secs_f64() / baseline.as_secs_f64().max(1e-9),
    );
}

fn main() {
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );

    // XLSX first, so the peak memory figure is the spreadsheet's.
    let rows = 100_000;
    let layout = sample::sample_tabular_report();
    let before = peak_rss_mib();
    let baseline = median(3, || sample::sample_rows(rows).count());
    let took = median(3, || xlsx::write(&layout, sample::sample_rows(rows)).expect("xlsx"));
    let size = xlsx::write(&layout, sample::sample_rows(rows)).expect("xlsx").len();
    report(&format!("xlsx {rows} rows ({} KiB)", size / 1024), took, Duration::from_secs(2), baseline);
    if let (Some(b), Some(a)) = (before, peak_rss_mib()) {
        println!(
            "xlsx peak resident memory: {a:.1} MiB (before: {b:.1} MiB, growth {:.1} MiB, file held in memory)",
            a - b
        );
    }

    // A report of at least 20 pages (by our PDF layout when the fonts are present).
    let fonts = pdf::FontSet::load_system().ok();
    let mut sections = 22;
    if let Some(fonts) = &fonts {
        sections = 10;
        while pdf::page_count(&sample::long_report(sections), fonts).expect("layout") < 20 {
            sections += 1;
        }
    }
    let doc = sample::long_report(sections);
    let baseline = median(10, || tiendo_export::plain_text(&doc).expect("text"));
    let took = median(10, || tiendo_export::docx(&doc).expect("docx"));
    report(&format!("docx report ({sections} sections)"), took, Duration::from_millis(200), baseline);
    match &fonts {
        Some(fonts) => {
            let pages = pdf::page_count(&doc, fonts).expect("layout");
            let took = median(5, || pdf(&doc, fonts).expect("pdf"));
            report(&format!("pdf report ({pages} pages)"), took, Duration::from_secs(1), baseline);
        }
        None => println!("pdf: skipped, no font (install fonts-liberation2)"),
    }
}
