//! Reminders and escalation of the deadlines of S&T tasks under contract, every day: the use case
//! `tiendo_app::sci_tech::deadlines::remind_deadlines` (milestones and reports recalled to the host,
//! instalments to the staff who pay them, anything overdue by more than `directive_escalation_days` flagged
//! once to the department's leaders), run as the system.

use tiendo_app::Session;
use tiendo_core::authz::Actor;

use super::reminders::{AsOf, monitoring_app};
use super::{Job, JobContext};

/// Sends the reminders and escalations of the tasks' deadlines owed today.
#[derive(Debug, Clone)]
pub struct ContractDeadlines {
    /// Days before a deadline from which it is recalled (`reminder_days_before`).
    pub days_before: u32,
    /// Days past a deadline after which the leaders are told (`directive_escalation_days`).
    pub escalate_after: u32,
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

impl Job for ContractDeadlines {
    const NAME: &'static str = "contract_deadlines";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        // A day asked for (tests, catching up by hand) is acted on at its noon in Vietnam.
        let app = payload.app(monitoring_app(ctx, self.public_url.as_deref()));
        let sent = tiendo_app::sci_tech::deadlines::remind_deadlines(
            &app,
            &Session::system(Actor::public()),
            self.days_before,
            self.escalate_after,
        )
        .await?;
        tracing::info!(
            today = %app.today(),
            reminders = sent.reminders,
            escalated = sent.escalated,
            notified = sent.notified,
            "contract deadlines recalled"
        );
        Ok(())
    }
}
