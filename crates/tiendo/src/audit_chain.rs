//! The audit chain's key and anchors on this machine: the key file in the data directory (created on the
//! first start), sealing the chain when the database is opened, writing the head of the chain to the
//! anchor file, the log and syslog periodically and on shutdown, and `tiendo audit verify`.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use chrono::Utc;
use tiendo_db::audit::chain::{AnchorFile, Seal, SealError};
use tiendo_db::audit::{Anchor, AuditKey, Verification};
use tiendo_db::{Db, Exec as _, Query};
use tokio::sync::watch;

use crate::config::Config;

/// How often the server anchors the head of the chain (when it moved).
pub const ANCHOR_EVERY: Duration = Duration::from_secs(5 * 60);

/// Reads the audit key from its file. With `create`, a missing file is created with a new key, unless the
/// database's chain is already sealed (then the key was lost or the path is wrong, and a new key would
/// split the chain).
async fn load_key(db: &Db, config: &Config, create: bool) -> anyhow::Result<AuditKey> {
    let path = config.audit_key_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => AuditKey::from_hex(&text).ok_or_else(|| {
            anyhow!(
                "the audit key file {} does not hold 64 hexadecimal digits; restore it from the backup",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let sealed: Option<(String,)> =
                db.fetch_optional(Query::new("SELECT key_id FROM audit_chain WHERE id = 1")).await?;
            if let Some((key_id,)) = sealed {
                bail!(
                    "the audit key file {} is missing, and the audit trail of this database is sealed with the key \
                     of id {key_id}; restore the file from the backup (or point audit_key_file at it)",
                    path.display()
                );
            }
            if !create {
                bail!("the audit key file {} is missing; start the server once to create it", path.display());
            }
            let key = AuditKey::generate();
            write_key(&path, &key)?;
            tracing::info!(file = %path.display(), key_id = key.id(), "a new audit key was created; back it up");
            Ok(key)
        }
        Err(e) => Err(anyhow!("cannot read the audit key file {}: {e}", path.display())),
    }
}

/// Writes a new key file (owner-only), refusing to replace one.
pub(crate) fn write_key(path: &Path, key: &AuditKey) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("create {}", parent.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("create the audit key file {}", path.display()))?;
    writeln!(file, "{}", key.to_hex())?;
    file.sync_all()?;
    Ok(())
}

/// The database with the installation's audit key, its chain sealed with it (on the first start the key is
/// created and the events written before keys existed are checked and rehashed).
pub async fn keyed(db: Db, config: &Config) -> anyhow::Result<Db> {
    let key = load_key(&db, config, true).await?;
    let db = db.with_audit_key(key);
    match tiendo_db::audit::chain::seal(&db, Utc::now()).await {
        Ok(Seal::Current) => {}
        Ok(Seal::Sealed { legacy_events }) => {
            tracing::info!(legacy_events, key_id = db.audit_key().id(), "the audit trail is now keyed");
        }
        Err(SealError::WrongKey { sealed_with, given }) => bail!(
            "the audit key in {} (id {given}) is not the one this database's audit trail was sealed with (id \
             {sealed_with}); use the installation's key file",
            config.audit_key_path().display()
        ),
        Err(e) => return Err(anyhow!("cannot seal the audit trail: {e}")),
    }
    Ok(db)
}

/// The database with the key read from its file, for verification (nothing is created or rewritten).
pub async fn for_verification(db: Db, config: &Config) -> anyhow::Result<Db> {
    let key = load_key(&db, config, false).await?;
    Ok(db.with_audit_key(key))
}

/// Appends the head of the chain to the anchor file, the log and syslog, when it moved since the last
/// anchor; returns it.
pub async fn anchor(db: &Db, config: &Config) -> anyhow::Result<Option<Anchor>> {
    let file = AnchorFile::new(config.audit_anchor_path());
    let Some(head) = Anchor::head(db, Utc::now()).await? else {
        return Ok(None);
    };
    let latest = file.latest().with_context(|| format!("read {}", file.path().display()))?;
    if latest.is_some_and(|l| l.id == head.id && l.hash == head.hash) {
        return Ok(None);
    }
    file.append(&head).with_context(|| format!("append to {}", file.path().display()))?;
    tracing::info!(target: "tiendo::audit_anchor", id = head.id, hash = %head.hash, "{}", head.line());
    if let Some(target) = &config.audit_anchor_syslog {
        send_syslog(target, &head.line());
    }
    Ok(Some(head))
}

/// Sends one RFC 5424 message (facility log audit, severity informational) over UDP; a failure is logged,
/// never fatal: the file and the log keep the anchor.
fn send_syslog(target: &str, line: &str) {
    let message = format!(
        "<110>1 {} - tiendo - audit-anchor - {line}",
        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let sent = std::net::UdpSocket::bind("0.0.0.0:0").and_then(|s| s.send_to(message.as_bytes(), target));
    if let Err(e) = sent {
        tracing::warn!(target, error = %e, "the audit anchor could not be sent to syslog");
    }
}

/// Checks, at start-up, that the chain still reaches its latest anchor with the same hash (a quick check;
/// `tiendo audit verify` checks every event). A mismatch is logged as an error, the server still starts.
pub async fn check_latest_anchor(db: &Db, config: &Config) {
    let file = AnchorFile::new(config.audit_anchor_path());
    let Ok(Some(anchor)) = file.latest() else {
        return;
    };
    let row: Result<Option<(String,)>, _> =
        db.fetch_optional(Query::new("SELECT hash FROM audit_events WHERE id = $1").bind(anchor.id)).await;
    match row {
        Ok(Some((hash,))) if hash == anchor.hash => {}
        Ok(_) => tracing::error!(
            anchor = %anchor.line(),
            "the audit trail no longer matches its latest anchor: events were deleted or rewritten; run `tiendo audit verify`"
        ),
        Err(e) => tracing::warn!(error = %e, "the audit anchor could not be checked"),
    }
}

/// Anchors the head every [`ANCHOR_EVERY`] until `stop`, then once more.
pub async fn run(db: Db, config: Config, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(ANCHOR_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        if let Err(e) = anchor(&db, &config).await {
            tracing::warn!(error = %e, "the audit chain could not be anchored");
        }
    }
    if let Err(e) = anchor(&db, &config).await {
        tracing::warn!(error = %e, "the audit chain could not be anchored at shutdown");
    }
}

/// `tiendo audit verify` and the audit part of `tiendo check`: the chain with the key, then against the
/// latest anchor. Returns the sentence that says it is intact; an error names the breach.
pub async fn verify(db: &Db, config: &Config) -> anyhow::Result<String> {
    let file = AnchorFile::new(config.audit_anchor_path());
    let latest = file.latest().with_context(|| format!("read {}", file.path().display()))?;
    match tiendo_db::audit::verify(db, latest.as_ref()).await? {
        Verification::Intact { events, anchor } => Ok(match anchor {
            Some(a) => format!(
                "The audit trail is intact: {events} events checked with the key; it matches the anchor of {} \
                 (event {}).",
                a.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                a.id
            ),
            None => format!(
                "The audit trail is intact: {events} events checked with the key (no anchor in {} yet).",
                file.path().display()
            ),
        }),
        Verification::Broken(breach) => bail!("the audit trail is {breach}"),
    }
}
