//! Escalation of overdue directives, every day: the use case `tiendo_app::visits::escalate_overdue` (a
//! directive of a working visit overdue by more than `directive_escalation_days` is flagged once to the
//! leaders over the organiser, in the app and by e-mail when SMTP is configured), run as the system.

use tiendo_app::Session;
use tiendo_core::authz::Actor;

use super::reminders::AsOf;
use super::{Job, JobContext};

/// Flags the directives overdue for longer than allowed.
#[derive(Debug, Clone)]
pub struct DirectiveEscalation {
    /// Days past the deadline after which the leaders are told (`directive_escalation_days`).
    pub days_after: u32,
}

impl Job for DirectiveEscalation {
    const NAME: &'static str = "directive_escalation";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        // A day asked for (tests, catching up by hand) is acted on at its noon in Vietnam.
        let app = payload.app(ctx.app.clone());
        let done =
            tiendo_app::visits::escalate_overdue(&app, &Session::system(Actor::public()), self.days_after).await?;
        tracing::info!(
            today = %app.today(),
            candidates = done.candidates,
            flagged = done.flagged,
            notified = done.notified,
            "overdue directives escalated"
        );
        Ok(())
    }
}
