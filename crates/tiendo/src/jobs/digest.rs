//! The weekly digest: every assigning officer (an active account that assigned tasks) gets one
//! notification, and one e-mail when SMTP is configured, with their assignments counted by status, the
//! overdue ones with the days late, and the progress updates waiting for their decision. Officers with
//! nothing open and nothing to decide get none. Sent once per officer per ISO week (the ledger entry is
//! written in the same transaction as the notification).

use tiendo_app::Session;
use tiendo_app::monitoring::reminders;
use tiendo_core::authz::Actor;

use super::reminders::{AsOf, monitoring_app};
use super::{Job, JobContext};

/// Sends this week's digests.
#[derive(Debug, Clone)]
pub struct WeeklyDigest {
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

impl Job for WeeklyDigest {
    const NAME: &'static str = "weekly_digest";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let app = monitoring_app(ctx, self.public_url.as_deref());
        let (sent, officers) = reminders::send_weekly_digest(&app, &Session::system(Actor::public()), today).await?;
        tracing::info!(%today, officers, sent, "weekly digests sent");
        Ok(())
    }
}
