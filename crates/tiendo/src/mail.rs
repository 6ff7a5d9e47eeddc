//! Outgoing e-mail over SMTP, sent only from background jobs. Configured with `smtp_url`
//! (`smtps://user:pass@host:465`, or `smtp://user:pass@host:587?tls=required` for STARTTLS) and
//! `mail_from`.

use anyhow::{Context, anyhow};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// A configured SMTP sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// A sender from the configured URL and sender address.
    pub fn new(smtp_url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| {
                anyhow!(
                    "invalid smtp_url: {e}; use smtps://user:pass@host:465 or smtp://user:pass@host:587?tls=required"
                )
            })?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| anyhow!("invalid mail_from {from:?}: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends a plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let to = to.parse::<Mailbox>().map_err(|e| anyhow!("invalid recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .context("build the message")?;
        self.transport.send(message).await.map_err(|e| anyhow!("the SMTP server refused or failed: {e}"))?;
        Ok(())
    }
}
