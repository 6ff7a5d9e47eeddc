//! `tiendo search reindex`, and the search index of `tiendo serve`: `<data_dir>/search/`, opened at start
//! (a missing, outdated or damaged index is rebuilt in the background while everything else works) and kept
//! up to date by following the audit trail.

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use crate::config::Config;
use crate::progress::{ProgressBar, Unit, grouped};

/// The directory of the search index under the data directory.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// `tiendo search reindex`: rebuilds `<data_dir>/search/` from the database with a progress bar.
pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let db = crate::serve::open_database(config, crate::serve::MigrationPolicy::RequireCurrent).await?;
    let files = config.file_store()?;
    let dir = index_dir(&config.data_dir);
    let app = tiendo_app::App::new(db.clone(), files, config.site_settings())
        .with_search(tiendo_app::search::Engine::open(&dir));
    let bar = ProgressBar::new("", Unit::Records);
    let result = tiendo_app::search::rebuild(&app, &|done, total| bar.draw(done, total)).await;
    bar.finish();
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
