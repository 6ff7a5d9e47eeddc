//! How the audit chain resists tampering.
//!
//! Each event stores the hash of the previous event and its own hash over its content and that link, so
//! that editing or deleting an event breaks the chain where it happened. Two more things make the chain
//! hold against someone who can write to the database:
//!
//! - **The hashes are keyed** (HMAC-SHA-256) with an [`AuditKey`] that is not in the database: whoever
//!   edits an event cannot recompute the hashes after it. The database remembers only the key's id, so a
//!   server started with the wrong key refuses to write (see [`seal`]).
//! - **The head is anchored outside the database**: the server writes the last event's id and hash (an
//!   [`Anchor`]) to a file in the data directory, to the log and optionally to syslog, periodically and on
//!   shutdown. Deleting the newest events leaves a chain that is intact on its own but shorter than its
//!   anchor; recomputing the chain, even with the key, changes the anchored hash. [`verify`] names both.

use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, SubsecRound as _, Utc};
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::{Digest as _, Sha256};

use super::{EVENT_COLUMNS, Event, GENESIS};
use crate::dialect;
use crate::error::DbError;
use crate::pool::Db;
use crate::query::{Exec, Query};

/// The secret that keys the audit chain: 32 random bytes, kept outside the database (a file in the data
/// directory or `TIENDO_AUDIT_KEY`).
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

impl AuditKey {
    /// A new random key.
    pub fn generate() -> AuditKey {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        AuditKey(bytes)
    }

    /// A key written as 64 hexadecimal digits (surrounding white space is ignored).
    pub fn from_hex(text: &str) -> Option<AuditKey> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(AuditKey(bytes))
    }

    /// The key as 64 hexadecimal digits, for its file.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A public name of the key (16 hex digits), stored in the database to recognise the key without
    /// revealing it.
    pub fn id(&self) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(b"tiendo audit key id");
        hex(&mac.finalize().into_bytes()[..8])
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Either the keyed hash of the chain or, for events written before keys existed, plain SHA-256.
enum Hasher {
    Keyed(Box<Hmac<Sha256>>),
    Plain(Sha256),
}

impl Hasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Keyed(mac) => mac.update(bytes),
            Hasher::Plain(sha) => sha.update(bytes),
        }
    }

    fn finish(self) -> String {
        match self {
            Hasher::Keyed(mac) => hex(&mac.finalize().into_bytes()),
            Hasher::Plain(sha) => hex(&sha.finalize()),
        }
    }
}

/// The hash of an event's content chained to the previous hash, keyed with `key` (`None`: the unkeyed hash
/// of events written before the chain was sealed).
#[expect(clippy::too_many_arguments, reason = "every stored field enters the hash")]
pub(crate) fn mac(
    key: Option<&AuditKey>,
    prev: &str,
    at: &DateTime<Utc>,
    actor_user_id: Option<i64>,
    actor_label: &str,
    action: &str,
    entity: (&str, Option<&str>),
    summary: (&str, Option<&str>, Option<&str>),
    changes: &str,
    origin: (Option<&str>, Option<&str>),
) -> String {
    let mut h = match key {
        Some(key) => {
            Hasher::Keyed(Box::new(Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length")))
        }
        None => Hasher::Plain(Sha256::new()),
    };
    for part in [
        prev,
        &crate::query::sqlite_timestamp(at),
        &actor_user_id.map(|u| u.to_string()).unwrap_or_default(),
        actor_label,
        action,
        entity.0,
        entity.1.unwrap_or_default(),
        summary.0,
        changes,
        origin.0.unwrap_or_default(),
        origin.1.unwrap_or_default(),
    ] {
        // Length-prefixed, so that moving text between fields changes the hash.
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    // The message key and its arguments, for events that have them (events written before they existed
    // keep their hashes).
    if let Some(summary_key) = summary.1 {
        for part in [summary_key, summary.2.unwrap_or_default()] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finish()
}

impl Event {
    /// The hash this event should have given its stored link, keyed with `key` (`None`: the unkeyed hash of
    /// events written before the chain was sealed).
    pub fn expected_hash(&self, key: Option<&AuditKey>) -> String {
        expected_hash(key, self)
    }
}

fn expected_hash(key: Option<&AuditKey>, e: &Event) -> String {
    mac(
        key,
        &e.prev_hash,
        &e.at,
        e.actor_user_id,
        &e.actor_label,
        &e.action,
        (&e.entity_type, e.entity_id.as_deref()),
        (&e.summary, e.summary_key.as_deref(), e.summary_args.as_deref()),
        &e.changes,
        (e.ip.as_deref(), e.request_id.as_deref()),
    )
}

/// The head of the chain at a moment, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The id of the newest event then.
    pub id: i64,
    /// Its hash.
    pub hash: String,
}

/// The tag that starts the text of an anchor, in its file, the log and syslog.
pub const ANCHOR_TAG: &str = "tiendo-audit-anchor";

impl Anchor {
    /// The anchor as one line of text: `tiendo-audit-anchor at=… id=… hash=…`.
    pub fn line(&self) -> String {
        format!(
            "{ANCHOR_TAG} at={} id={} hash={}",
            self.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            self.id,
            self.hash
        )
    }

    /// Reads a line written by [`Anchor::line`], wherever it appears in the line (a syslog or log prefix
    /// is skipped).
    pub fn parse(line: &str) -> Option<Anchor> {
        let rest = &line[line.find(ANCHOR_TAG)? + ANCHOR_TAG.len()..];
        let (mut at, mut id, mut hash) = (None, None, None);
        for word in rest.split_whitespace() {
            match word.split_once('=') {
                Some(("at", v)) => at = DateTime::parse_from_rfc3339(v).ok().map(|t| t.with_timezone(&Utc)),
                Some(("id", v)) => id = v.parse().ok(),
                Some(("hash", v)) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    hash = Some(v.to_owned());
                }
                _ => {}
            }
        }
        Some(Anchor { at: at?, id: id?, hash: hash? })
    }

    /// The newest anchor of the chain now: its last event, or `None` while it is empty.
    pub async fn head(ex: &impl Exec, at: DateTime<Utc>) -> Result<Option<Anchor>, DbError> {
        let last: Option<(i64, String)> =
            ex.fetch_optional(Query::new("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")).await?;
        // Whole seconds: what its line keeps.
        Ok(last.map(|(id, hash)| Anchor { at: at.trunc_subsecs(0), id, hash }))
    }
}

/// The file of anchors in the data directory: one line per anchor, appended.
#[derive(Debug, Clone)]
pub struct AnchorFile {
    path: PathBuf,
}

/// How much of the end of the anchor file is read to find the latest anchor.
const ANCHOR_TAIL: u64 = 4096;

impl AnchorFile {
    /// The anchor file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> AnchorFile {
        AnchorFile { path: path.into() }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest anchor in the file, `None` when there is no file or no anchor in it yet.
    pub fn latest(&self) -> std::io::Result<Option<Anchor>> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(ANCHOR_TAIL)))?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail)?;
        Ok(String::from_utf8_lossy(&tail).lines().rev().find_map(Anchor::parse))
    }

    /// Appends `anchor` and makes it durable.
    pub fn append(&self, anchor: &Anchor) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
        writeln!(file, "{}", anchor.line())?;
        file.sync_all()
    }
}

/// What is wrong with the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    /// The event's link does not match the previous event's hash: an event before it was deleted or
    /// altered.
    Link {
        /// The event.
        id: i64,
    },
    /// The event's content does not match its hash: it was edited, or its hash recomputed without the key.
    Content {
        /// The event.
        id: i64,
    },
    /// The chain is shorter than its anchor: newer events were deleted.
    Truncated {
        /// The latest anchor.
        anchor: Anchor,
        /// The newest event left, if any.
        last_id: Option<i64>,
    },
    /// The anchored event is gone or has another hash than when it was anchored: the chain was rewritten and
    /// its hashes recomputed.
    Rewritten {
        /// The latest anchor.
        anchor: Anchor,
    },
    /// The chain has not been sealed with a key (the server never started on this database).
    NotSealed,
    /// The chain was sealed with another key than the one given.
    WrongKey {
        /// The id of the key the chain was sealed with.
        sealed_with: String,
        /// The id of the key given.
        given: String,
    },
}

impl Breach {
    /// The first event that is wrong, when one is.
    pub fn event_id(&self) -> Option<i64> {
        match self {
            Breach::Link { id } | Breach::Content { id } => Some(*id),
            Breach::Truncated { anchor, .. } | Breach::Rewritten { anchor } => Some(anchor.id),
            Breach::NotSealed | Breach::WrongKey { .. } => None,
        }
    }
}

impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let when = |a: &Anchor| a.at.to_rfc3339_opts(SecondsFormat::Secs, true);
        match self {
            Breach::Link { id } => write!(
                f,
                "broken at event {id}: its link to the previous event does not match (an event before it was deleted \
                 or altered)"
            ),
            Breach::Content { id } => write!(
                f,
                "broken at event {id}: its content does not match its hash (it was edited, or its hash recomputed \
                 without the key)"
            ),
            Breach::Truncated { anchor, last_id } => write!(
                f,
                "truncated: the anchor of {} records event {} but the trail ends at {}; the newest events were \
                 deleted",
                when(anchor),
                anchor.id,
                last_id.map_or_else(|| "no event at all".to_owned(), |id| format!("event {id}"))
            ),
            Breach::Rewritten { anchor } => write!(
                f,
                "rewritten: event {} does not have the hash anchored on {}; the chain was recomputed",
                anchor.id,
                when(anchor)
            ),
            Breach::NotSealed => write!(f, "not sealed: no server has started on this database with an audit key"),
            Breach::WrongKey { sealed_with, given } => write!(
                f,
                "sealed with another key: the key given (id {given}) is not the one the trail was sealed with (id \
                 {sealed_with})"
            ),
        }
    }
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event's hash matches its content, its predecessor and the key, and the anchor, if any, matches.
    Intact {
        /// How many events were checked.
        events: i64,
        /// The anchor checked against.
        anchor: Option<Anchor>,
    },
    /// What is wrong, at the first place it is wrong.
    Broken(Breach),
}

/// What [`seal`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// The chain was already sealed with this key.
    Current,
    /// The chain is sealed now; `legacy_events` events written before keys existed were checked and
    /// rehashed with the key.
    Sealed {
        /// How many events were rehashed.
        legacy_events: i64,
    },
}

/// Why the chain could not be sealed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// The database could not be read or written.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The chain was sealed with another key.
    #[error(
        "the audit trail of this database was sealed with another key (id {sealed_with}; this key's id is {given})"
    )]
    WrongKey {
        /// The id of the key the chain was sealed with.
        sealed_with: String,
        /// The id of the key given.
        given: String,
    },
    /// The unkeyed chain written before keys existed is already broken; rehashing it would hide that.
    #[error("the audit trail written before it was keyed is {0}; it is left as it is")]
    LegacyBroken(Breach),
}

async fn sealed_key(ex: &impl Exec) -> Result<Option<String>, DbError> {
    Ok(ex.fetch_optional(Query::new("SELECT key_id FROM audit_chain WHERE id = 1")).await?.map(|(k,): (String,)| k))
}

/// Binds the chain to the database's key: on the first start with a key, the events written before keys
/// existed are checked with the old unkeyed hash and, when intact, rehashed with the key, in one
/// transaction; afterwards it only checks that the key is the one the chain was sealed with. The server
/// and the command line call it when they open the database.
pub async fn seal(db: &Db, at: DateTime<Utc>) -> Result<Seal, SealError> {
    let given = db.audit_key().id();
    if let Some(sealed_with) = sealed_key(db).await? {
        return if sealed_with == given { Ok(Seal::Current) } else { Err(SealError::WrongKey { sealed_with, given }) };
    }
    let tx = db.begin().await?;
    if let Some(lock) = dialect::audit_chain_lock(tx.backend()) {
        tx.fetch_rows(lock).await?;
    }
    if let Some(sealed_with) = sealed_key(&tx).await? {
        // Another server sealed it meanwhile.
        return if sealed_with == given { Ok(Seal::Current) } else { Err(SealError::WrongKey { sealed_with, given }) };
    }
    let mut prev = GENESIS.to_owned();
    let mut new_prev = GENESIS.to_owned();
    let mut last_id = 0_i64;
    let mut legacy_events = 0_i64;
    loop {
        let batch = events_after(&tx, last_id).await?;
        if batch.is_empty() {
            break;
        }
        for mut e in batch {
            if e.prev_hash != prev {
                return Err(SealError::LegacyBroken(Breach::Link { id: e.id }));
            }
            if expected_hash(None, &e) != e.hash {
                return Err(SealError::LegacyBroken(Breach::Content { id: e.id }));
            }
            prev = std::mem::take(&mut e.hash);
            e.prev_hash = new_prev;
            let keyed = expected_hash(Some(db.audit_key()), &e);
            tx.execute(
                Query::new("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE id = $3")
                    .bind(e.prev_hash)
                    .bind(keyed.clone())
                    .bind(e.id),
            )
            .await?;
            new_prev = keyed;
            last_id = e.id;
            legacy_events += 1;
        }
    }
    tx.execute(
        Query::new("INSERT INTO audit_chain (id, key_id, sealed_at, legacy_events) VALUES (1, $1, $2, $3)")
            .bind(given)
            .bind(crate::query::truncate_micros(at))
            .bind(legacy_events),
    )
    .await?;
    tx.commit().await?;
    Ok(Seal::Sealed { legacy_events })
}

async fn events_after(ex: &impl Exec, id: i64) -> Result<Vec<Event>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE id > $1 ORDER BY id LIMIT 1000")).bind(id),
    )
    .await
}

/// Checks the whole chain with the database's key, in batches, then the latest anchor; names the first
/// breach.
pub async fn verify(db: &Db, anchor: Option<&Anchor>) -> Result<Verification, DbError> {
    let given = db.audit_key().id();
    match sealed_key(db).await? {
        None => return Ok(Verification::Broken(Breach::NotSealed)),
        Some(sealed_with) if sealed_with != given => {
            return Ok(Verification::Broken(Breach::WrongKey { sealed_with, given }));
        }
        Some(_) => {}
    }
    let mut prev = GENESIS.to_owned();
    let mut last_id = None;
    let mut checked = 0_i64;
    let mut anchored_hash = None;
    loop {
        let batch = events_after(db, last_id.unwrap_or(0)).await?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            if e.prev_hash != prev {
                return Ok(Verification::Broken(Breach::Link { id: e.id }));
            }
            if expected_hash(Some(db.audit_key()), &e) != e.hash {
                return Ok(Verification::Broken(Breach::Content { id: e.id }));
            }
            if anchor.is_some_and(|a| a.id == e.id) {
                anchored_hash = Some(e.hash.clone());
            }
            prev = e.hash;
            last_id = Some(e.id);
            checked += 1;
        }
    }
    if let Some(anchor) = anchor {
        if last_id.is_none_or(|last| last < anchor.id) {
            return Ok(Verification::Broken(Breach::Truncated { anchor: anchor.clone(), last_id }));
        }
        if anchored_hash.as_deref() != Some(anchor.hash.as_str()) {
            return Ok(Verification::Broken(Breach::Rewritten { anchor: anchor.clone() }));
        }
    }
    Ok(Verification::Intact { events: checked, anchor: anchor.cloned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_and_are_named_without_being_shown() {
        let key = AuditKey::generate();
        assert_eq!(AuditKey::from_hex(&format!("  {}\n", key.to_hex())), Some(key.clone()));
        assert_eq!(key.id().len(), 16);
        assert_ne!(key.id(), AuditKey::generate().id());
        assert!(!format!("{key:?}").contains(&key.to_hex()));
        assert_eq!(AuditKey::from_hex("abc"), None);
        assert_eq!(AuditKey::from_hex(&"zz".repeat(32)), None);
    }

    #[test]
    fn anchors_read_back_from_their_line_and_from_a_log_line() {
        let anchor = Anchor {
            at: DateTime::parse_from_rfc3339("2026-12-06T06:00:00Z").unwrap().with_timezone(&Utc),
            id: 42,
            hash: "ab".repeat(32),
        };
        assert_eq!(Anchor::parse(&anchor.line()), Some(anchor.clone()));
        assert_eq!(
            Anchor::parse(&format!("<110>1 2026-12-06T06:00:00Z host tiendo - - - {}", anchor.line())),
            Some(anchor)
        );
        assert_eq!(Anchor::parse("tiendo-audit-anchor at=2026-12-06T06:00:00Z id=4"), None);
        assert_eq!(Anchor::parse("something else"), None);
    }

    #[test]
    fn the_latest_anchor_is_the_last_line_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = AnchorFile::new(dir.path().join("anchors"));
        assert_eq!(file.latest().unwrap(), None);
        let at = Utc::now();
        for id in 1..=200 {
            file.append(&Anchor { at, id, hash: format!("{id:064x}") }).unwrap();
        }
        assert_eq!(file.latest().unwrap().map(|a| a.id), Some(200));
    }
}
