//! `tiendo check`: the database's integrity (the engine's own checks, foreign keys, the schema), every file
//! the database refers to present in the store with its size and SHA-256, and the audit chain (the check of
//! `tiendo audit verify`). Prints one line per check and every problem under it; fails when any is found.
//! It only reads, so it can run while the server serves.

use anyhow::{anyhow, bail};
use tiendo_db::files::{FileState, StoredFile};
use tiendo_db::integrity::Finding;

use crate::config::Config;
use crate::progress::{ProgressBar, Unit, grouped};

/// `tiendo check`; the report is printed as it goes, the error counts the problems.
pub async fn check(config: &Config) -> anyhow::Result<()> {
    crate::serve::require_sqlite_file(config)?;
    let db = crate::serve::connect(config).await?;
    let result = run(&db, config).await;
    db.close().await;
    let findings = result?;
    let problems: usize = findings.iter().map(|f| f.problems.len()).sum();
    if problems > 0 {
        bail!("{problems} problem(s) found; see above");
    }
    println!("Không có vấn đề nào / no problem found.");
    Ok(())
}

async fn run(db: &tiendo_db::Db, config: &Config) -> anyhow::Result<Vec<Finding>> {
    println!("Kiểm tra / checking {} ({}) and {}", shown_url(config), db.backend().name(), files_dir(config));
    let mut findings = tiendo_db::integrity::check(db).await.map_err(|e| anyhow!("cannot check the database: {e}"))?;
    for finding in &findings {
        print_finding(finding);
    }
    let files = tiendo_db::files::referenced(db).await.map_err(|e| anyhow!("cannot list the files: {e}"))?;
    let store = crate::backup::file_store(config)?;
    let checked = tokio::task::spawn_blocking(move || check_files(&store, &files))
        .await
        .map_err(|e| anyhow!("checking the files did not finish: {e}"))?;
    print_finding(&checked);
    findings.push(checked);
    let audit = audit_chain(db, config).await;
    print_finding(&audit);
    findings.push(audit);
    Ok(findings)
}

fn shown_url(config: &Config) -> String {
    crate::config::mask_url_password(&config.database_url())
}

fn files_dir(config: &Config) -> String {
    config.file_store().map_or_else(|_| config.data_dir.join("files").display().to_string(), |s| s.describe())
}

fn print_finding(finding: &Finding) {
    if finding.problems.is_empty() {
        println!("  ok    {}: {}", finding.check, finding.summary);
    } else {
        println!("  FAIL  {}:", finding.check);
        for problem in &finding.problems {
            println!("          {problem}");
        }
    }
}

/// Every file the database refers to, read whole and hashed, with a progress bar.
fn check_files(store: &tiendo_db::files::FileStore, files: &[StoredFile]) -> Finding {
    let total: u64 = files.iter().map(|f| u64::try_from(f.size).unwrap_or(0)).sum();
    let bar = ProgressBar::new("tệp / files", Unit::Bytes);
    let mut done = 0u64;
    let mut problems = Vec::new();
    for file in files {
        let what = format!("file of attachment {} ({}, {})", file.id, file.original_name, file.sha256);
        match store.check(file) {
            FileState::Intact => {}
            FileState::Missing => problems.push(format!("{what} is missing from the store")),
            FileState::WrongSize { actual, sha256 } => problems
                .push(format!("{what} has {actual} bytes instead of {} (its content hashes to {sha256})", file.size)),
            FileState::WrongChecksum { actual } => {
                problems.push(format!("{what} has another content: it hashes to {actual}"));
            }
            FileState::Unreadable(e) => problems.push(format!("{what} cannot be read: {e}")),
        }
        done += u64::try_from(file.size).unwrap_or(0);
        bar.draw(done, total);
    }
    bar.draw(total, total);
    bar.finish();
    Finding {
        check: "files".to_owned(),
        summary: format!(
            "{} files ({} MB) present with their SHA-256",
            grouped(files.len() as u64),
            grouped(total / 1_000_000)
        ),
        problems,
    }
}

/// The audit chain, checked as `tiendo audit verify` does.
async fn audit_chain(db: &tiendo_db::Db, config: &Config) -> Finding {
    let verified = match crate::audit_chain::for_verification(db.clone(), config).await {
        Ok(keyed) => crate::audit_chain::verify(&keyed, config).await,
        Err(e) => Err(e),
    };
    match verified {
        Ok(sentence) => Finding { check: "audit trail".to_owned(), summary: sentence, problems: Vec::new() },
        Err(e) => Finding { check: "audit trail".to_owned(), summary: String::new(), problems: vec![format!("{e:#}")] },
    }
}
