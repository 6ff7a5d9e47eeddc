//! `tiendo search reindex`, and the search index of `tiendo serve`: `<data_dir>/search/`, opened at start
//! (a missing, outdated or damaged index is rebuilt in the background while everything else works) and kept
//! up to date by following the audit trail.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;

use crate::config::Config;

/// The directory of the search index under the data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// A progress bar on standard error: `[#####     ]  52% 26,000/50,000 records, 6,100/s`.
struct ProgressBar {
    started: Instant,
    last_drawn: std::sync::Mutex<Option<Instant>>,
}

impl ProgressBar {
    fn draw(&self, done: u64, total: u64) {
        let now = Instant::now();
        let mut last = self.last_drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Redraw at most ten times a second, and always at the end.
        if last.is_some_and(|at| now.duration_since(at).as_millis() < 100) && done < total {
            return;
        }
        *last = Some(now);
        let width = 30usize;
        let share = if total == 0 { 1.0 } else { done as f64 / total as f64 };
        let filled = ((share * width as f64).round() as usize).min(width);
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        eprint!(
            "\r[{}{}] {:>3}% {}/{} bản ghi / records, {}/s ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            (share * 100.0).round() as u64,
            grouped(done),
            grouped(total),
            grouped(rate as u64)
        );
        let _ = std::io::stderr().flush();
    }
}

/// 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
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

/// `tiendo search reindex`: rebuilds `<data_dir>/search/` from the database with a progress bar.
pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let db = crate::serve::open_database(config, crate::serve::MigrationPolicy::RequireCurrent).await?;
    let files = tiendo_db::files::FileStore::new(config.data_dir.join("files"));
    let dir = index_dir(&config.data_dir);
    let app = tiendo_app::App::new(db.clone(), files, config.site_settings())
        .with_search(tiendo_app::search::Engine::open(&dir));
    let bar = ProgressBar { started: Instant::now(), last_drawn: std::sync::Mutex::new(None) };
    let result = tiendo_app::search::rebuild(&app, &|done, total| bar.draw(done, total)).await;
    eprintln!();
    db.close().await;
    match result {
        Ok(rebuilt) => {
            println!(
                "Đã xây dựng lại chỉ mục tìm kiếm / search index rebuilt: {} tài liệu / documents from {} bản ghi / records in {:.1} s ({})",
                grouped(rebuilt.documents),
                grouped(rebuilt.records),
                rebuilt.seconds,
                dir.display()
            );
            Ok(())
        }
        Err(tiendo_app::Error::Conflict { code: "search_index_locked", .. }) => Err(anyhow!(
            "a running server writes the search index in {}: it keeps the index up to date and rebuilds it \
             itself when it is missing or damaged; stop it first to rebuild from the command line",
            dir.display()
        )),
        Err(err) => Err(anyhow!("rebuilding the search index failed: {err}")),
    }
}

/// The search engine of a server over `config`'s data directory, and the task that keeps it up to date.
pub fn engine(config: &Config) -> tiendo_app::search::Engine {
    tiendo_app::search::Engine::open(&index_dir(&config.data_dir))
}
