//! The file store: bytes addressed by their SHA-256, either on the local file system under the data
//! directory (`files/ab/cd/abcd…`, the default) or in an S3-compatible bucket (`<prefix>/ab/cd/abcd…`).
//! Metadata lives in the `attachments` table; files are only ever served through a handler that checks
//! access, never from a public bucket address.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// Where file contents are kept.
#[derive(Debug, Clone)]
pub struct FileStore {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    /// A directory of the local file system.
    Local { root: PathBuf },
    /// A bucket of an S3-compatible object store, under a prefix.
    Bucket { store: Arc<dyn ObjectStore>, prefix: String, name: String },
}

/// Where an S3-compatible bucket is and how to sign in to it (the `files_*` keys of the configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketConfig {
    /// The bucket's name.
    pub bucket: String,
    /// The folder in the bucket the files go under (`tiendo`, or empty for the bucket's root).
    pub prefix: String,
    /// The service's address (`https://s3.example.vn`); empty for Amazon S3 itself.
    pub endpoint: String,
    /// The region (`us-east-1` for most S3-compatible services).
    pub region: String,
    /// The access key's id; empty to take it from the environment (`AWS_ACCESS_KEY_ID`).
    pub access_key_id: String,
    /// The secret access key; empty to take it from the environment (`AWS_SECRET_ACCESS_KEY`).
    pub secret_access_key: String,
    /// Whether a plain `http://` endpoint is allowed (a service on the same private network).
    pub allow_http: bool,
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

/// Whether `sha256` is 64 hex digits (the only names the store has).
fn is_sha256(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.chars().all(|c| c.is_ascii_hexdigit())
}

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn object_error(e: object_store::Error) -> std::io::Error {
    match e {
        object_store::Error::NotFound { .. } => std::io::Error::new(std::io::ErrorKind::NotFound, e.to_string()),
        e => other(e),
    }
}

/// Runs a bucket operation from blocking code (a backup, a restore, a check run in a blocking task).
fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Handle::current().block_on(future)
}

impl FileStore {
    /// A store under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { backend: Backend::Local { root: root.into() } }
    }

    /// A store in an S3-compatible bucket. Nothing is sent yet: a wrong address or key shows on the first
    /// read or write (`tiendo check` makes one).
    pub fn bucket(config: &BucketConfig) -> Result<FileStore, String> {
        if config.bucket.trim().is_empty() {
            return Err("files_bucket is empty".to_owned());
        }
        // The HTTP client signs with the same TLS library as the mailer (ring); installed once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(config.bucket.trim())
            // A request of a page waits at most a few seconds for the store, not the library's three
            // minutes of retries: an unreachable store is an error the user sees, not a hung page.
            .with_retry(object_store::RetryConfig {
                backoff: object_store::BackoffConfig {
                    init_backoff: std::time::Duration::from_millis(100),
                    max_backoff: std::time::Duration::from_secs(2),
                    base: 2.0,
                },
                max_retries: 3,
                retry_timeout: std::time::Duration::from_secs(10),
            })
            .with_client_options(
                object_store::ClientOptions::new()
                    .with_connect_timeout(std::time::Duration::from_secs(3))
                    .with_timeout(std::time::Duration::from_secs(60)),
            )
            // After the client options, which hold it (set before, it would be reset).
            .with_allow_http(config.allow_http);
        if !config.region.trim().is_empty() {
            builder = builder.with_region(config.region.trim());
        }
        if !config.endpoint.trim().is_empty() {
            builder = builder.with_endpoint(config.endpoint.trim());
        }
        if !config.access_key_id.is_empty() {
            builder = builder.with_access_key_id(&config.access_key_id);
        }
        if !config.secret_access_key.is_empty() {
            builder = builder.with_secret_access_key(&config.secret_access_key);
        }
        let store = builder.build().map_err(|e| format!("the bucket {:?} cannot be used: {e}", config.bucket))?;
        Ok(FileStore::with_object_store(Arc::new(store), &config.prefix, &format!("s3://{}", config.bucket.trim())))
    }

    /// A store over any object store (`name` says where it is in messages).
    pub fn with_object_store(store: Arc<dyn ObjectStore>, prefix: &str, name: &str) -> FileStore {
        let prefix = prefix.trim().trim_matches('/').to_owned();
        let name = if prefix.is_empty() { name.to_owned() } else { format!("{name}/{prefix}") };
        FileStore { backend: Backend::Bucket { store, prefix, name } }
    }

    /// A store for tests and benchmarks: a fresh folder in the bucket named by `TEST_S3_URL`
    /// (`http://127.0.0.1:5000/tiendo-test`: an S3-compatible service and a bucket that exists there; CI
    /// starts one), else a fresh temporary directory.
    pub fn scratch() -> FileStore {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(sweep_scratch_folders);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let folder = format!("tiendo-files-{}-{nanos}-{n}", std::process::id());
        match std::env::var("TEST_S3_URL").ok().filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                let url = url.trim().trim_end_matches('/');
                let (endpoint, bucket) = url.rsplit_once('/').expect("TEST_S3_URL is http://host:port/bucket");
                FileStore::bucket(&BucketConfig {
                    bucket: bucket.to_owned(),
                    prefix: folder,
                    endpoint: endpoint.to_owned(),
                    region: "us-east-1".to_owned(),
                    access_key_id: "test".to_owned(),
                    secret_access_key: "test".to_owned(),
                    allow_http: endpoint.starts_with("http://"),
                })
                .expect("TEST_S3_URL names a usable bucket")
            }
            None => FileStore::new(std::env::temp_dir().join(folder)),
        }
    }

    /// The directory of a local store; `None` for a bucket.
    pub fn local_root(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Local { root } => Some(root),
            Backend::Bucket { .. } => None,
        }
    }

    /// Where the files are, for messages: a directory or `s3://bucket/prefix`.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Local { root } => root.display().to_string(),
            Backend::Bucket { name, .. } => name.clone(),
        }
    }

    /// Where the file of this SHA-256 is kept in a local store (`None` for anything but 64 hex digits,
    /// and in a bucket).
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        match &self.backend {
            Backend::Local { root } if is_sha256(sha256) => {
                Some(root.join(&sha256[..2]).join(&sha256[2..4]).join(sha256))
            }
            _ => None,
        }
    }

    /// The key of the file of this SHA-256 in a bucket.
    fn key_of(prefix: &str, sha256: &str) -> Option<ObjectPath> {
        if !is_sha256(sha256) {
            return None;
        }
        let name = format!("{}/{}/{sha256}", &sha256[..2], &sha256[2..4]);
        Some(ObjectPath::from(if prefix.is_empty() { name } else { format!("{prefix}/{name}") }))
    }

    fn bad_key(sha256: &str) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, format!("{sha256:?} is not a SHA-256"))
    }

    /// Whether the store can be reached and read: a bucket answers for a name it does not hold (a wrong
    /// address, key or bucket shows here, at start-up, rather than on the first upload). A local store
    /// is created on its first write.
    pub async fn probe(&self) -> Result<(), String> {
        match &self.backend {
            Backend::Local { .. } => Ok(()),
            Backend::Bucket { store, prefix, name } => {
                let key = FileStore::key_of(prefix, &"0".repeat(64)).expect("64 hex digits");
                match store.head(&key).await {
                    Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                    Err(e) => Err(format!("the object store {name} cannot be read: {e}")),
                }
            }
        }
    }

    /// Writes the bytes if they are not there yet; returns their SHA-256.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = hex(&Sha256::digest(bytes));
        match &self.backend {
            Backend::Local { .. } => {
                let path = self.path_of(&sha).expect("a SHA-256 is 64 hex digits");
                if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Ok(sha);
                }
                let dir = path.parent().expect("a nested path");
                tokio::fs::create_dir_all(dir).await?;
                // Write to a temporary name, then rename: a reader never sees half a file.
                let tmp = temporary_path(dir, &sha);
                tokio::fs::write(&tmp, bytes).await?;
                tokio::fs::rename(&tmp, &path).await?;
            }
            Backend::Bucket { store, prefix, .. } => {
                let key = FileStore::key_of(prefix, &sha).expect("a SHA-256 is 64 hex digits");
                // An object appears whole or not at all; the same content twice is the same object.
                match store.head(&key).await {
                    Ok(_) => {}
                    Err(object_store::Error::NotFound { .. }) => {
                        store.put(&key, bytes.to_vec().into()).await.map_err(object_error)?;
                    }
                    Err(e) => return Err(object_error(e)),
                }
            }
        }
        Ok(sha)
    }

    /// Reads a file by its SHA-256.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        match &self.backend {
            Backend::Local { .. } => {
                let path = self.path_of(sha256).ok_or_else(|| FileStore::bad_key(sha256))?;
                tokio::fs::read(path).await
            }
            Backend::Bucket { store, prefix, .. } => {
                let key = FileStore::key_of(prefix, sha256).ok_or_else(|| FileStore::bad_key(sha256))?;
                let got = store.get(&key).await.map_err(object_error)?;
                Ok(got.bytes().await.map_err(object_error)?.to_vec())
            }
        }
    }

    /// Opens the file of `sha256` for reading, from blocking code (a backup).
    pub fn open(&self, sha256: &str) -> std::io::Result<Box<dyn std::io::Read + Send>> {
        match &self.backend {
            Backend::Local { .. } => {
                let path = self.path_of(sha256).ok_or_else(|| FileStore::bad_key(sha256))?;
                Ok(Box::new(std::fs::File::open(path)?))
            }
            Backend::Bucket { .. } => Ok(Box::new(std::io::Cursor::new(block_on(self.get(sha256))?))),
        }
    }
}

impl FileStore {
    /// Checks the stored copy of a file the database refers to: present, of its size, with its SHA-256.
    /// Reads the whole file; blocking (call it from a blocking task).
    pub fn check(&self, file: &StoredFile) -> FileState {
        if !is_sha256(&file.sha256) {
            return FileState::Unreadable(format!("{:?} is not a SHA-256", file.sha256));
        }
        let mut reader = match self.open(&file.sha256) {
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

    /// Writes the content read from `reader` as the file of `sha256` (a restore, a migration to a bucket),
    /// through a temporary name; refuses content whose SHA-256 is another. Returns the size. Blocking. A
    /// local file is not flushed to disk one by one (10,000 flushes took 20 s of a restore): the caller
    /// flushes the file system once when every file is written.
    pub fn import(&self, sha256: &str, reader: &mut impl std::io::Read) -> std::io::Result<u64> {
        let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidData, m);
        if !is_sha256(sha256) {
            return Err(invalid(format!("{sha256:?} is not a SHA-256")));
        }
        if let Backend::Bucket { store, prefix, .. } = &self.backend {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes)?;
            let sha = hex(&Sha256::digest(&bytes));
            if !sha.eq_ignore_ascii_case(sha256) {
                return Err(invalid(format!("the content of {sha256} hashes to {sha}")));
            }
            let key = FileStore::key_of(prefix, &sha).expect("a SHA-256 is 64 hex digits");
            let len = bytes.len() as u64;
            block_on(store.put(&key, bytes.into())).map_err(object_error)?;
            return Ok(len);
        }
        let path = self.path_of(sha256).expect("a local store and a SHA-256");
        let dir = path.parent().expect("a nested path");
        std::fs::create_dir_all(dir)?;
        let tmp = temporary_path(dir, sha256);
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

/// A temporary name for a file being written into `dir`, this write's own (process and counter): two writes
/// of the same bytes at once, in one process or two, each rename their own copy onto the same content.
fn temporary_path(dir: &Path, sha256: &str) -> PathBuf {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!(".{sha256}.{}.{n}", std::process::id()))
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

/// Removes the scratch folders of test processes that have ended (`tiendo-files-<pid>-…` in the temporary
/// directory, whose process is gone): a test run leaves one per test that stored files.
fn sweep_scratch_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("tiendo-files-")).and_then(|r| r.split('-').next())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid).exists() || !Path::new("/proc/self").exists();
        if !alive && pid.parse::<u32>().is_ok() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(sha256: &str, size: usize) -> StoredFile {
        StoredFile {
            id: 1,
            sha256: sha256.to_owned(),
            size: size as i64,
            content_type: "text/plain".to_owned(),
            original_name: "bao-cao.txt".to_owned(),
        }
    }

    /// The store of the run: a bucket when `TEST_S3_URL` names one (CI's PostgreSQL run), else a folder.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_file_is_written_once_read_back_checked_and_imported_by_its_content() {
        let store = FileStore::scratch();
        let bytes = "Báo cáo tiến độ quý IV".as_bytes();
        let sha = store.put(bytes).await.unwrap();
        assert_eq!(sha, hex(&Sha256::digest(bytes)));
        assert_eq!(store.put(bytes).await.unwrap(), sha, "the same content is the same file");
        assert_eq!(store.get(&sha).await.unwrap(), bytes);
        let missing = "0".repeat(64);
        assert_eq!(store.get(&missing).await.unwrap_err().kind(), std::io::ErrorKind::NotFound);
        assert_eq!(store.get("../../etc/passwd").await.unwrap_err().kind(), std::io::ErrorKind::NotFound);

        let (checking, file, absent) = (store.clone(), stored(&sha, bytes.len()), stored(&missing, 3));
        let (intact, gone, wrong_size) = tokio::task::spawn_blocking(move || {
            (checking.check(&file), checking.check(&absent), checking.check(&stored(&file.sha256, 1)))
        })
        .await
        .unwrap();
        assert_eq!(intact, FileState::Intact);
        assert_eq!(gone, FileState::Missing);
        assert!(matches!(wrong_size, FileState::WrongSize { actual, .. } if actual == bytes.len() as u64));

        // A restore or a migration writes what it read, refusing content that is not what it is named.
        let other = b"noi dung khac".to_vec();
        let other_sha = hex(&Sha256::digest(&other));
        let importing = store.clone();
        let (refused, imported, read_back) = tokio::task::spawn_blocking(move || {
            let refused = importing.import(&other_sha, &mut &b"something else"[..]).unwrap_err();
            let imported = importing.import(&other_sha, &mut other.as_slice()).unwrap();
            let mut read_back = Vec::new();
            std::io::Read::read_to_end(&mut importing.open(&other_sha).unwrap(), &mut read_back).unwrap();
            (refused, imported, read_back)
        })
        .await
        .unwrap();
        assert_eq!(refused.kind(), std::io::ErrorKind::InvalidData);
        assert_eq!((imported, read_back.as_slice()), (13, &b"noi dung khac"[..]));
    }

    #[test]
    fn a_bucket_store_says_where_it_is_and_has_no_local_paths() {
        let store = FileStore::bucket(&BucketConfig {
            bucket: "tiendo".into(),
            prefix: "/tinh-22/".into(),
            endpoint: "https://s3.example.vn".into(),
            region: "us-east-1".into(),
            access_key_id: "id".into(),
            secret_access_key: "secret".into(),
            allow_http: false,
        })
        .unwrap();
        assert_eq!(store.describe(), "s3://tiendo/tinh-22");
        assert_eq!((store.local_root(), store.path_of(&"a".repeat(64))), (None, None));
        assert_eq!(
            FileStore::key_of("tinh-22", &"ab".repeat(32)).unwrap().to_string(),
            format!("tinh-22/ab/ab/{}", "ab".repeat(32))
        );
        let err = FileStore::bucket(&BucketConfig::default()).unwrap_err();
        assert!(err.contains("files_bucket"), "{err}");
    }
}
