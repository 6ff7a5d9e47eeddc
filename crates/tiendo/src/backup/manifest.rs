//! The manifest of a backup archive (`manifest.json`, its last member): what the archive is, what it was
//! taken from, and the size and SHA-256 of every other member, checked before a restore writes anything.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The `format` of every manifest.
pub const FORMAT: &str = "tiendo-backup";
/// The version of the archive's layout this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's own name in the archive.
pub const MANIFEST: &str = "manifest.json";
/// The SQLite database (a `VACUUM INTO` copy).
pub const SQLITE_DATABASE: &str = "database/tiendo.sqlite";
/// The PostgreSQL database (`pg_dump --format=custom`).
pub const POSTGRES_DATABASE: &str = "database/tiendo.pgdump";
/// The audit key file.
pub const AUDIT_KEY: &str = "audit/audit.key";
/// The anchor file, as it was before the snapshot.
pub const AUDIT_ANCHORS: &str = "audit/audit-anchors.log";
/// The folder of the file store's files, each named by its SHA-256.
pub const FILES_PREFIX: &str = "files/";

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout's version ([`FORMAT_VERSION`] when written by this binary).
    pub format_version: u32,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// The version of `tiendo` that wrote it.
    pub tiendo_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The schema of the database.
    pub schema: Schema,
    /// The audit chain of the database.
    pub audit: AuditHead,
    /// Every other member of the archive.
    pub members: Vec<Member>,
}

/// The schema version of the database backed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The migrations applied, in order.
    pub migrations: Vec<i64>,
    /// The newest of them (the schema version).
    pub latest: Option<i64>,
}

/// The head of the audit chain in the backup, to check the restored database against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// The newest event's id.
    pub head_id: Option<i64>,
    /// Its hash.
    pub head_hash: Option<String>,
    /// The id of the key the chain is sealed with (never the key).
    pub key_id: Option<String>,
}

/// One member of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Its name in the archive.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its content, hex.
    pub sha256: String,
}

impl Manifest {
    /// The manifest's member of this name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The name of the database's member for the manifest's backend.
    pub fn database_member(&self) -> &'static str {
        if self.backend == "postgres" { POSTGRES_DATABASE } else { SQLITE_DATABASE }
    }

    /// Checks what a restore relies on before looking at the members: the format, its version, the
    /// backend, a database member, files named by their checksum, no member twice.
    pub fn validate(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("it is not a tiendo backup (format {:?})", self.format));
        }
        if self.format_version != FORMAT_VERSION {
            return Err(format!(
                "it has the archive layout version {}, this tiendo reads version {FORMAT_VERSION}; use the tiendo \
                 version that wrote it ({})",
                self.format_version, self.tiendo_version
            ));
        }
        if !matches!(self.backend.as_str(), "sqlite" | "postgres") {
            return Err(format!("it names an unknown database backend {:?}", self.backend));
        }
        if self.member(self.database_member()).is_none() {
            return Err(format!("its manifest lists no {}", self.database_member()));
        }
        let mut names = std::collections::HashSet::new();
        for m in &self.members {
            if !names.insert(m.name.as_str()) {
                return Err(format!("its manifest lists {} twice", m.name));
            }
            if m.sha256.len() != 64 || !m.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("its manifest gives {} no SHA-256", m.name));
            }
            if let Some(name) = m.name.strip_prefix(FILES_PREFIX)
                && !name.eq_ignore_ascii_case(&m.sha256)
            {
                return Err(format!("its manifest gives {} another SHA-256 than its name", m.name));
            }
            let known = [SQLITE_DATABASE, POSTGRES_DATABASE, AUDIT_KEY, AUDIT_ANCHORS].contains(&m.name.as_str())
                || m.name.starts_with(FILES_PREFIX);
            if !known {
                return Err(format!("its manifest lists an unknown member {}", m.name));
            }
        }
        Ok(())
    }

    /// The files of the file store in the archive: (member name, SHA-256, size).
    pub fn files(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.name.starts_with(FILES_PREFIX))
    }

    /// The total size of the members, for progress.
    pub fn total_size(&self) -> u64 {
        self.members.iter().map(|m| m.size).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(members: Vec<Member>) -> Manifest {
        Manifest {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            created_at: Utc::now(),
            tiendo_version: "0.1.0".to_owned(),
            backend: "sqlite".to_owned(),
            schema: Schema { migrations: vec![1, 2], latest: Some(2) },
            audit: AuditHead { head_id: Some(3), head_hash: Some("ab".repeat(32)), key_id: Some("k".to_owned()) },
            members,
        }
    }

    fn member(name: &str, sha: &str) -> Member {
        Member { name: name.to_owned(), size: 1, sha256: sha.to_owned() }
    }

    #[test]
    fn a_manifest_reads_back_and_validates() {
        let sha = "cd".repeat(32);
        let m = manifest(vec![member(SQLITE_DATABASE, &"ab".repeat(32)), member(&format!("files/{sha}"), &sha)]);
        let text = serde_json::to_string_pretty(&m).unwrap();
        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.validate(), Ok(()));
        assert_eq!(back.files().count(), 1);
        assert_eq!(back.total_size(), 2);
    }

    #[test]
    fn what_a_restore_cannot_trust_is_refused() {
        let sha = "cd".repeat(32);
        let no_db = manifest(vec![member(&format!("files/{sha}"), &sha)]);
        assert!(no_db.validate().unwrap_err().contains("lists no database/tiendo.sqlite"));
        let renamed =
            manifest(vec![member(SQLITE_DATABASE, &sha), member(&format!("files/{}", "ef".repeat(32)), &sha)]);
        assert!(renamed.validate().unwrap_err().contains("another SHA-256 than its name"));
        let twice = manifest(vec![member(SQLITE_DATABASE, &sha), member(SQLITE_DATABASE, &sha)]);
        assert!(twice.validate().unwrap_err().contains("twice"));
        let unknown = manifest(vec![member(SQLITE_DATABASE, &sha), member("../etc/passwd", &sha)]);
        assert!(unknown.validate().unwrap_err().contains("unknown member"));
        let mut newer = manifest(vec![member(SQLITE_DATABASE, &sha)]);
        newer.format_version = 2;
        assert!(newer.validate().unwrap_err().contains("layout version 2"));
    }
}
