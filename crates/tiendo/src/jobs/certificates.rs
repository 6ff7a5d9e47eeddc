//! Reminders of the statutory clock of S&T enterprise certificate applications, every day: the use case
//! `tiendo_app::certificates::work::send_clock_reminders` (each open application nearly due or overdue is
//! flagged once per deadline to the department's staff), run as the system.

use tiendo_app::Session;
use tiendo_core::authz::Actor;

use super::reminders::{AsOf, monitoring_app};
use super::{Job, JobContext};

/// Sends the reminders of the clock owed today.
#[derive(Debug, Clone)]
pub struct CertificateClockReminders {
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

impl Job for CertificateClockReminders {
    const NAME: &'static str = "certificate_clock_reminders";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        // A day asked for (tests, catching up by hand) is acted on at its noon in Vietnam.
        let app = payload.app(monitoring_app(ctx, self.public_url.as_deref()));
        let sent =
            tiendo_app::certificates::work::send_clock_reminders(&app, &Session::system(Actor::public())).await?;
        tracing::info!(today = %app.today(), sent, "certificate clock reminders sent");
        Ok(())
    }
}
