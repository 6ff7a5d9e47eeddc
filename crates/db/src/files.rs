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

    /// Where the file of this SHA-256 is kept (`None` for anything but 64 hex digits).
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
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

impl FileStore {
    /// Checks the stored copy of a file the database refers to: present, of its size, with its SHA-256.
    /// Reads the whole file; blocking (call it from a blocking task).
    pub fn check(&self, file: &StoredFile) -> FileState {
        let Some(path) = self.path_of(&file.sha256) else {
            return FileState::Unreadable(format!("{:?} is not a SHA-256", file.sha256));
        };
        let mut reader = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileState::Missing,
            Err(e) => return FileState::Unreadable(e.to_string()),
        };
        match sha256_of(&mut reader) {
            Ok((sha, size)) if i64::try_from(size).ok() != Some(file.size) => {
                FileState::WrongSize { actual: size, sha256: sha }
            }
            Ok((sha, _)) if !sha.eq_ignore_ascii_case(&file.sha256) => FileState::WrongChecksum { actual: sha },
            Ok(_) => FileState::Intact,
            Err(e) => FileState::Unreadable(e.to_string()),
        }
    }

    /// Writes the content read from `reader` as the file of `sha256` (a restore), through a temporary
    /// name; refuses content whose SHA-256 is another. Returns the size. Blocking. The file is not flushed
    /// to disk one by one (10,000 flushes took 20 s of a restore): the caller flushes the file system once
    /// when every file is written.
    pub fn import(&self, sha256: &str, reader: &mut impl std::io::Read) -> std::io::Result<u64> {
        let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        let path = self.path_of(sha256).ok_or_else(|| invalid(format!("{sha256:?} is not a SHA-256")))?;
        let dir = path.parent().expect("a nested path");
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{sha256}.{}", std::process::id()));
        let written = (|| {
            let mut out = std::fs::File::create(&tmp)?;
            let mut hashing = HashingWriter { inner: &mut out, hasher: Sha256::new(), len: 0 };
            std::io::copy(reader, &mut hashing)?;
            let (sha, len) = (hex(&hashing.hasher.finalize()), hashing.len);
            if !sha.eq_ignore_ascii_case(sha256) {
                return Err(invalid(format!("the content of {sha256} hashes to {sha}")));
            }
            Ok(len)
        })();
        match written {
            Ok(len) => {
                std::fs::rename(&tmp, &path)?;
                Ok(len)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }
}

/// The SHA-256 (hex) and the length of everything `reader` yields.
pub fn sha256_of(reader: &mut impl std::io::Read) -> std::io::Result<(String, u64)> {
    let mut hashing = HashingWriter { inner: std::io::sink(), hasher: Sha256::new(), len: 0 };
    std::io::copy(reader, &mut hashing)?;
    Ok((hex(&hashing.hasher.finalize()), hashing.len))
}

/// A writer that hashes what goes through it.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A file the database refers to, as the store must hold it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFile {
    /// The attachment's id.
    pub id: i64,
    /// The SHA-256 of the content, hex: its name in the store.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// The content type recognised when it was uploaded.
    pub content_type: String,
    /// The name it was uploaded under (for messages).
    pub original_name: String,
}

/// What the store holds for a file the database refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Present, of its size, with its SHA-256.
    Intact,
    /// Not in the store.
    Missing,
    /// Present with another size.
    WrongSize {
        /// The size found.
        actual: u64,
        /// The SHA-256 of what was found.
        sha256: String,
    },
    /// Present with its size but another content.
    WrongChecksum {
        /// The SHA-256 of what was found.
        actual: String,
    },
    /// Present but unreadable.
    Unreadable(String),
}

/// Every file the database refers to, by id: what a backup copies and `tiendo check` verifies
/// (administration code, no access scope).
pub async fn referenced(ex: &impl Exec) -> Result<Vec<StoredFile>, DbError> {
    ex.fetch_all(Query::new("SELECT id, sha256, size, content_type, original_name FROM attachments ORDER BY id")).await
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
