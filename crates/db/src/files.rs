//! The file store: bytes addressed by their SHA-256, on the local file system under the data directory
//! (`files/ab/cd/abcd…`). Metadata lives in the `attachments` table; files are only ever served through
//! a handler that checks access.

use std::path::{Path, PathBuf};

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// Where file contents are kept.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// A stored file's metadata.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Attachment {
    /// Row id.
    pub id: i64,
    /// The SHA-256 of the content, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// The content type recognised from the content.
    pub content_type: String,
    /// The name it was uploaded under.
    pub original_name: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl FileStore {
    /// A store under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(&sha256[2..4]).join(sha256))
    }

    /// Writes the bytes if they are not there yet; returns their SHA-256.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = hex(&Sha256::digest(bytes));
        let path = self.path_of(&sha).expect("a SHA-256 is 64 hex digits");
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha);
        }
        let dir = path.parent().expect("a nested path");
        tokio::fs::create_dir_all(dir).await?;
        // Write to a temporary name, then rename: a reader never sees half a file. The name is this write's
        // own (process and counter): two writes of the same bytes at once, in one process or two, each
        // rename their own copy onto the same content.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{sha}.{}.{n}", std::process::id()));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    /// Reads a file by its SHA-256.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path_of(sha256).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "bad key"))?;
        tokio::fs::read(path).await
    }
}

/// Records an uploaded file (stored first with [`FileStore::put`]); the same content uploaded twice is
/// one row.
pub async fn record(
    ex: &impl Exec,
    sha256: &str,
    size: i64,
    content_type: &str,
    original_name: &str,
    uploaded_by: Option<i64>,
) -> Result<Attachment, DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO attachments (sha256, size, content_type, original_name, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(size)
        .bind(content_type)
        .bind(original_name)
        .bind(uploaded_by)
        .bind(Utc::now()),
    )
    .await?;
    ex.fetch_one(
        Query::new("SELECT id, sha256, size, content_type, original_name FROM attachments WHERE sha256 = $1")
            .bind(sha256),
    )
    .await
}

/// One attachment.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Attachment>, DbError> {
    ex.fetch_optional(
        Query::new("SELECT id, sha256, size, content_type, original_name FROM attachments WHERE id = $1").bind(id),
    )
    .await
}
