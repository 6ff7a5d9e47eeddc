//! A progress bar on standard error for the long commands (`search reindex`, `backup`, `restore`,
//! `check`): `[#####     ]  52% 26,000/50,000 records, 6,100/s`, or in megabytes for bytes.

use std::io::Write as _;
use std::sync::Mutex;
use std::time::Instant;

/// What the bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Database records.
    Records,
    /// Bytes, shown in megabytes.
    Bytes,
}

/// A bar redrawn at most ten times a second, and always at the end.
#[derive(Debug)]
pub struct ProgressBar {
    label: String,
    unit: Unit,
    started: Instant,
    last_drawn: Mutex<Option<Instant>>,
}

impl ProgressBar {
    /// A bar whose lines start with `label` (empty for none).
    pub fn new(label: impl Into<String>, unit: Unit) -> ProgressBar {
        ProgressBar { label: label.into(), unit, started: Instant::now(), last_drawn: Mutex::new(None) }
    }

    /// Draws `done` of `total`.
    pub fn draw(&self, done: u64, total: u64) {
        let now = Instant::now();
        let mut last = self.last_drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|at| now.duration_since(at).as_millis() < 100) && done < total {
            return;
        }
        *last = Some(now);
        let width = 30usize;
        let share = if total == 0 { 1.0 } else { (done as f64 / total as f64).min(1.0) };
        let filled = ((share * width as f64).round() as usize).min(width);
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let amounts = match self.unit {
            Unit::Records => format!(
                "{}/{} bản ghi / records, {}/s",
                grouped(done),
                grouped(total),
                grouped((done as f64 / seconds) as u64)
            ),
            Unit::Bytes => format!(
                "{}/{} MB, {} MB/s",
                grouped(done / 1_000_000),
                grouped(total / 1_000_000),
                grouped((done as f64 / seconds / 1e6) as u64)
            ),
        };
        let label = if self.label.is_empty() { String::new() } else { format!("{} ", self.label) };
        eprint!(
            "\r{label}[{}{}] {:>3}% {amounts} ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            (share * 100.0).round() as u64,
        );
        let _ = std::io::stderr().flush();
    }

    /// Ends the bar's line.
    pub fn finish(&self) {
        eprintln!();
    }
}

/// 1234567 → "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
