//! `tiendo files migrate`: copies the uploaded files from the local folder (`<data_dir>/files`) into the
//! configured bucket. Every file the database refers to is read locally, hashed again and written to the
//! bucket under the same name (its SHA-256); a file the bucket already holds intact is skipped, so the
//! command can be run again after an interruption, and while the server serves. Nothing in the database
//! changes: the name of a file is its content, wherever it is kept.

use anyhow::{anyhow, bail};
use tiendo_db::files::{FileState, FileStore, StoredFile};

use crate::config::Config;
use crate::progress::{ProgressBar, Unit};

/// What a migration did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// Files copied into the bucket.
    pub copied: usize,
    /// Files the bucket already held intact.
    pub present: usize,
    /// Bytes copied.
    pub bytes: u64,
    /// Files that could not be copied, each with the reason.
    pub failed: Vec<String>,
}

/// `tiendo files migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let bucket = config.bucket().ok_or_else(|| {
        anyhow!(
            "no bucket is configured: set files_bucket (TIENDO_FILES_BUCKET) and, for a service other than \
             Amazon S3, files_endpoint, files_region and the keys; `tiendo config` shows them"
        )
    })?;
    let target = FileStore::bucket(&bucket).map_err(|e| anyhow!("{e}"))?;
    let source = config.local_files();
    let db = crate::serve::open_database(config, crate::serve::MigrationPolicy::RequireCurrent).await?;
    let files = tiendo_db::files::referenced(&db).await;
    db.close().await;
    let files = files.map_err(|e| anyhow!("cannot list the files: {e}"))?;
    println!("Chép / copying {} file(s) from {} to {}", files.len(), source.describe(), target.describe());
    let done = tokio::task::spawn_blocking(move || copy_all(&source, &target, &files, true))
        .await
        .map_err(|e| anyhow!("the migration did not finish: {e}"))?;
    println!(
        "Đã chép / copied {} file(s) ({} MB), {} already in the bucket",
        done.copied,
        done.bytes / 1_000_000,
        done.present
    );
    if !done.failed.is_empty() {
        for problem in &done.failed {
            eprintln!("  {problem}");
        }
        bail!(
            "{} file(s) not copied; see above (`tiendo check` on the local folder lists them too)",
            done.failed.len()
        );
    }
    println!("Xong / done: set files_bucket and restart the servers to use the bucket.");
    Ok(())
}

/// Copies every file of `files` from `source` into `target`, skipping those `target` holds intact. Blocking.
pub fn copy_all(source: &FileStore, target: &FileStore, files: &[StoredFile], show_progress: bool) -> Migrated {
    let bar = show_progress.then(|| ProgressBar::new("chép / copy", Unit::Records));
    let mut done = Migrated::default();
    for (n, file) in files.iter().enumerate() {
        if target.check(file) == FileState::Intact {
            done.present += 1;
        } else {
            let copied = source
                .open(&file.sha256)
                .and_then(|mut reader| target.import(&file.sha256, &mut reader))
                .map_err(|e| format!("attachment {} ({}): {e}", file.id, file.original_name));
            match copied {
                Ok(size) => {
                    done.copied += 1;
                    done.bytes += size;
                }
                Err(problem) => done.failed.push(problem),
            }
        }
        if let Some(bar) = &bar {
            bar.draw(n as u64 + 1, files.len() as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish();
    }
    done
}
