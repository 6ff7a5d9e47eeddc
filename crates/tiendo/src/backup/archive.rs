//! The backup archive: one zip file (zip64 when large), each member hashed with SHA-256 as it is
//! written, the manifest last; and reading it back, every member checked against the manifest.
//!
//! Zip rather than tar: the `zip` crate is already in the tree (the export crate writes office documents
//! with it), a member can be found without reading the archive through (the manifest first), and each member
//! carries its own CRC-32 besides our SHA-256. The SQLite copy and text files are deflated at a fast level;
//! images, PDFs, office documents and the PostgreSQL dump (compressed by `pg_dump`) are stored as they are.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::manifest::{MANIFEST, Manifest, Member};

/// The deflate level of compressed members: the fastest, since a backup of a large database must fit in
/// a minute (docs/benchmarks.md), and it still halves a SQLite file.
const DEFLATE_LEVEL: i64 = 1;

/// How a member is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// Deflated (the SQLite copy, text).
    Deflate,
    /// Stored as it is (already compressed content).
    Store,
}

/// An archive being written to `<file>.partial`, renamed to its name once complete.
pub struct ArchiveWriter {
    zip: ZipWriter<BufWriter<File>>,
    partial: Partial,
    path: PathBuf,
    members: Vec<Member>,
}

/// The `.partial` file, removed when dropped unless the archive was completed: an archive left unfinished
/// (an error) does not stay behind.
struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

impl ArchiveWriter {
    /// Starts the archive `path`, which must not exist.
    pub fn create(path: &Path) -> anyhow::Result<ArchiveWriter> {
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let mut options = File::options();
        options.write(true).create_new(true);
        // It holds the audit key and every record: owner-only, as the data directory.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
        Ok(ArchiveWriter {
            zip: ZipWriter::new(BufWriter::with_capacity(1 << 20, file)),
            partial: Partial(partial),
            path: path.to_owned(),
            members: Vec::new(),
        })
    }

    /// Adds a member with the content of `reader`, calling `progress` with each number of bytes read; returns
    /// its size and SHA-256 (recorded for the manifest).
    pub fn add(
        &mut self,
        name: &str,
        reader: &mut impl Read,
        packing: Packing,
        progress: &mut dyn FnMut(u64),
    ) -> anyhow::Result<Member> {
        let options = SimpleFileOptions::default().large_file(true).unix_permissions(0o600);
        let options = match packing {
            Packing::Deflate => {
                options.compression_method(CompressionMethod::Deflated).compression_level(Some(DEFLATE_LEVEL))
            }
            Packing::Store => options.compression_method(CompressionMethod::Stored),
        };
        self.zip.start_file(name, options).with_context(|| format!("cannot add {name} to the archive"))?;
        let (sha256, size) = copy_hashing(reader, &mut self.zip, progress)
            .with_context(|| format!("cannot copy {name} into the archive"))?;
        let member = Member { name: name.to_owned(), size, sha256 };
        self.members.push(member.clone());
        Ok(member)
    }

    /// The members added so far.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Writes the manifest, completes the archive, makes it durable and gives it its name.
    pub fn finish(mut self, manifest: &Manifest) -> anyhow::Result<u64> {
        let json = serde_json::to_vec_pretty(manifest).context("cannot write the manifest")?;
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        self.zip.start_file(MANIFEST, options.unix_permissions(0o600)).context("cannot add the manifest")?;
        self.zip.write_all(&json).context("cannot write the manifest")?;
        let out = self.zip.finish().context("cannot complete the archive")?;
        let file = out.into_inner().map_err(|e| anyhow!("cannot write the archive: {}", e.error()))?;
        file.sync_all().context("cannot flush the archive to disk")?;
        let size = file.metadata()?.len();
        drop(file);
        std::fs::rename(&self.partial.0, &self.path)
            .with_context(|| format!("cannot rename {} to {}", self.partial.0.display(), self.path.display()))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        self.partial.0 = PathBuf::new();
        Ok(size)
    }
}

/// An archive opened for reading.
pub struct ArchiveReader {
    zip: ZipArchive<BufReader<File>>,
    manifest: Manifest,
}

impl ArchiveReader {
    /// Opens an archive and reads its manifest (nothing is checked yet but its form).
    pub fn open(path: &Path) -> anyhow::Result<ArchiveReader> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut zip = ZipArchive::new(BufReader::with_capacity(1 << 20, file))
            .map_err(|e| anyhow!("{} is not a readable backup archive: {e}", path.display()))?;
        let manifest: Manifest = {
            let mut member = zip
                .by_name(MANIFEST)
                .map_err(|e| anyhow!("{} has no readable manifest ({e}): it is not a tiendo backup", path.display()))?;
            let mut text = Vec::new();
            member.read_to_end(&mut text).map_err(|e| anyhow!("the manifest of {} is damaged: {e}", path.display()))?;
            serde_json::from_slice(&text)
                .map_err(|e| anyhow!("the manifest of {} is damaged or not a tiendo manifest: {e}", path.display()))?
        };
        manifest.validate().map_err(|e| anyhow!("{} cannot be restored: {e}", path.display()))?;
        Ok(ArchiveReader { zip, manifest })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Checks every member against the manifest (its size and SHA-256, and the zip's CRC-32 on the way),
    /// and that the archive holds nothing else; calls `progress` with the bytes read.
    pub fn verify(&mut self, progress: &mut dyn FnMut(u64)) -> anyhow::Result<()> {
        let listed: std::collections::HashSet<&str> = self.manifest.members.iter().map(|m| m.name.as_str()).collect();
        for name in self.zip.file_names() {
            let name = name.map_err(|e| anyhow!("the archive is damaged: {e}"))?;
            if name != MANIFEST && !listed.contains(&*name) {
                bail!("the archive holds {name}, which its manifest does not list: it was altered");
            }
        }
        let members = self.manifest.members.clone();
        for member in &members {
            let mut reader = self.member(&member.name)?;
            let (sha, size) = hash_stream(&mut reader, progress).map_err(|e| damaged(&member.name, &e))?;
            check_member(member, &sha, size)?;
        }
        Ok(())
    }

    /// A reader of one member's content.
    pub fn member(&mut self, name: &str) -> anyhow::Result<zip::read::ZipFile<'_, BufReader<File>>> {
        self.zip.by_name(name).map_err(|e| anyhow!("the archive is damaged: {name} cannot be read ({e})"))
    }
}

/// A member read back differs from its manifest entry.
pub fn check_member(member: &Member, sha: &str, size: u64) -> anyhow::Result<()> {
    if size != member.size || !sha.eq_ignore_ascii_case(&member.sha256) {
        bail!(
            "the archive is damaged: {} has {size} bytes with SHA-256 {sha}, its manifest says {} bytes with {}",
            member.name,
            member.size,
            member.sha256
        );
    }
    Ok(())
}

/// The error of a member that cannot be read through (a CRC-32 or deflate error: the archive is damaged).
pub fn damaged(name: &str, e: &std::io::Error) -> anyhow::Error {
    anyhow!("the archive is damaged: {name} cannot be read back ({e})")
}

/// The SHA-256 and size of a stream, calling `progress` with each number of bytes read.
pub fn hash_stream(reader: &mut impl Read, progress: &mut dyn FnMut(u64)) -> std::io::Result<(String, u64)> {
    copy_hashing(reader, &mut std::io::sink(), progress)
}

/// Copies a stream, returning its SHA-256 and size.
pub fn copy_hashing(
    reader: &mut impl Read,
    writer: &mut impl Write,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        writer.write_all(&buf[..n])?;
        size += n as u64;
        progress(n as u64);
    }
    Ok((hex(&hasher.finalize()), size))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
