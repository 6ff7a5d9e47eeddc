//! Periodic reports through the job runner: reminders before and after the due day to the reporting
//! units that have not sent their report (`tiendo_app::reporting::reminders`), and the rebuild of the
//! aggregates after a map change (`tiendo_app::reporting::aggregates::rebuild`), both as the system.

use tiendo_app::Session;
use tiendo_app::reporting::aggregates;
use tiendo_app::reporting::reminders::{self, ReminderOptions};
use tiendo_core::authz::Actor;
use tiendo_db::jobs::kinds;

use super::reminders::AsOf;
use super::{Job, JobContext};

/// Sends the report reminders owed today.
#[derive(Debug, Clone)]
pub struct ReportReminders {
    /// Days before the due day from which a unit is reminded (`reminder_days_before`).
    pub days_before: u32,
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

impl Job for ReportReminders {
    const NAME: &'static str = "report_reminders";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let options = ReminderOptions {
            days_before: self.days_before,
            public_url: self.public_url.clone(),
            mail: ctx.mailer.is_some(),
        };
        let sent = reminders::send_due(&ctx.app, &Session::system(Actor::default()), today, &options).await?;
        tracing::info!(%today, sent = sent.reminders, notified = sent.notified, mailed = sent.mailed, "report reminders sent");
        Ok(())
    }
}

/// Recomputes the aggregates of approved reports on the map in force on the day (after a map change, or
/// a change of the attribution shares), in one transaction, with its audit event.
#[derive(Debug, Clone, Copy)]
pub struct RebuildReportAggregates;

impl Job for RebuildReportAggregates {
    const NAME: &'static str = kinds::REBUILD_REPORT_AGGREGATES;
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let rebuilt = aggregates::rebuild(&ctx.app, &Session::system(Actor::default()), payload.day()).await?;
        tracing::info!(reports = rebuilt.reports, cells = rebuilt.cells, "report aggregates rebuilt");
        Ok(())
    }
}
