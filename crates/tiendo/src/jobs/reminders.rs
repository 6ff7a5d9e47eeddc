//! Deadline reminders: every day, the reporters of an assignment's lead unit are told in the app (and by
//! e-mail when SMTP is configured) that its deadline is near, or has just passed. Each reminder is recorded
//! in the ledger (`reminders_sent`) in the same transaction as the notifications, so it goes out once
//! whatever the number of runs or instances.

use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tiendo_app::monitoring::reminders;
use tiendo_app::{App, Session};
use tiendo_core::authz::Actor;

use super::{Job, JobContext};

/// The application the monitoring jobs act through: the job context's, with the job's public URL for the
/// links of e-mails and mail turned on when a mailer is configured.
pub(super) fn monitoring_app(ctx: &JobContext, public_url: Option<&str>) -> App {
    let settings = tiendo_app::Settings {
        public_url: public_url.map(str::to_owned),
        mail_enabled: ctx.mailer.is_some(),
        ..ctx.app.settings().clone()
    };
    App::new(ctx.db.clone(), ctx.app.files().clone(), settings)
}

/// Sends the deadline reminders owed today.
#[derive(Debug, Clone)]
pub struct DeadlineReminders {
    /// Days before a deadline from which the unit is reminded (`reminder_days_before`).
    pub days_before: u32,
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

/// The arguments of the reminder and digest jobs: none when scheduled.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AsOf {
    /// The day to act as of (Vietnam date); today when absent. For tests and for catching up by hand.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
}

impl AsOf {
    /// The day to act as of.
    pub fn day(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(|| tiendo_core::time::vietnam_date(Utc::now()))
    }

    /// `base` acting on the day asked for (at its noon in Vietnam), or `base` itself when none was asked.
    pub(super) fn app(&self, base: App) -> App {
        use chrono::TimeZone;
        let noon = self.as_of.and_then(|day| day.and_hms_opt(12, 0, 0));
        match noon.and_then(|noon| tiendo_core::time::vietnam_offset().from_local_datetime(&noon).single()) {
            Some(at) => base.at(at.with_timezone(&Utc)),
            None => base,
        }
    }
}

impl Job for DeadlineReminders {
    const NAME: &'static str = "deadline_reminders";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let app = monitoring_app(ctx, self.public_url.as_deref());
        let done = reminders::send_deadline_reminders(&app, &Session::system(Actor::public()), today, self.days_before)
            .await?;
        tracing::info!(
            %today,
            candidates = done.candidates,
            sent = done.sent,
            notified = done.notified,
            mailed = done.mailed,
            "deadline reminders sent"
        );
        Ok(())
    }
}
