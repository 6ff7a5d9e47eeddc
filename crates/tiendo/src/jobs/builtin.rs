//! Jobs of the platform itself.

use chrono::{Duration, Utc};
use serde::Deserialize;

use super::{Job, JobContext};

/// Deletes finished jobs older than a number of days, so the queue table stays small. Dead jobs are
/// kept for an operator to read.
#[derive(Debug, Clone, Copy)]
pub struct PurgeFinishedJobs;

/// Arguments of [`PurgeFinishedJobs`].
#[derive(Debug, Deserialize)]
pub struct PurgePayload {
    /// Jobs finished more than this many days ago are deleted.
    pub older_than_days: i64,
}

impl Job for PurgeFinishedJobs {
    const NAME: &'static str = "purge_finished_jobs";
    type Payload = PurgePayload;

    async fn run(&self, ctx: &JobContext, payload: PurgePayload) -> anyhow::Result<()> {
        let before = Utc::now() - Duration::days(payload.older_than_days.max(1));
        let deleted = tiendo_db::jobs::purge_finished(&ctx.db, before).await?;
        tracing::info!(deleted, "purged finished jobs");
        Ok(())
    }
}

/// Deletes sessions past their absolute expiry or idle for longer than any idle timeout allows (the
/// configured idle timeout itself is enforced on every request).
#[derive(Debug, Clone, Copy)]
pub struct PurgeSessions;

/// Arguments of [`PurgeSessions`].
#[derive(Debug, Deserialize)]
pub struct PurgeSessionsPayload {
    /// Sessions idle for more than this many hours are deleted.
    pub idle_hours: i64,
}

impl Job for PurgeSessions {
    const NAME: &'static str = "purge_sessions";
    type Payload = PurgeSessionsPayload;

    async fn run(&self, ctx: &JobContext, payload: PurgeSessionsPayload) -> anyhow::Result<()> {
        let now = Utc::now();
        let deleted =
            tiendo_db::identity::purge_sessions(&ctx.db, now, now - Duration::hours(payload.idle_hours.max(1))).await?;
        tracing::info!(deleted, "purged expired sessions");
        Ok(())
    }
}

/// Sends one e-mail through the configured SMTP server. Without SMTP configuration the job fails, and
/// is retried, so that messages queued before the configuration are not lost.
#[derive(Debug, Clone, Copy)]
pub struct SendEmail;

impl Job for SendEmail {
    const NAME: &'static str = tiendo_db::jobs::kinds::SEND_EMAIL;
    type Payload = tiendo_db::jobs::EmailPayload;
    const SENSITIVE: bool = true;

    async fn run(&self, ctx: &JobContext, payload: Self::Payload) -> anyhow::Result<()> {
        let mailer = ctx.mailer.as_ref().ok_or_else(|| anyhow::anyhow!("no SMTP server is configured (smtp_url)"))?;
        mailer.send(&payload.to, &payload.subject, &payload.body).await
    }
}
