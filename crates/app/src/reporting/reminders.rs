//! Reminders to the units that owe a report: from some days before the due day, and once in the week after
//! it, in the app and by e-mail when mail is configured. Each reminder goes out once: the ledger
//! `report_reminders_sent` is written in the same transaction as the notifications and the e-mails queued.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::reminder::{ReportReminder, periods_to_remind, reminder_on};
use tiendo_db::jobs::{self, EmailPayload, NewJob, kinds};
use tiendo_db::reporting::{forms, reminders};
use tiendo_db::{Exec, notifications, orgtree};

use crate::message::{Message, Notice};
use crate::{App, Error, Result, Session, Tr};

/// How reminders go out.
#[derive(Debug, Clone, Default)]
pub struct ReminderOptions {
    /// Days before the due day from which a unit is reminded.
    pub days_before: u32,
    /// The public URL of the site, for the link in e-mails.
    pub public_url: Option<String>,
    /// Whether to e-mail the reporters who have an address too.
    pub mail: bool,
}

/// What a run sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemindersSent {
    /// Reminders (form, unit, period) recorded.
    pub reminders: usize,
    /// Notifications created.
    pub notified: usize,
    /// E-mails queued.
    pub mailed: usize,
}

/// Sends the report reminders owed on `today` (the system acting, from the job runner).
pub async fn send_due(
    app: &App,
    session: &Session,
    today: NaiveDate,
    options: &ReminderOptions,
) -> Result<RemindersSent> {
    if session.user.is_some() {
        return Err(Error::FORBIDDEN);
    }
    let vi = Tr::new(Lang::Vi);
    let mut recipients_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
    let mut sent = RemindersSent::default();
    for form in forms::list(app.db(), false).await? {
        let def = match form.def() {
            Ok(def) => def,
            Err(e) => {
                tracing::warn!(form = %form.code, error = %e, "a report form does not parse; no reminders");
                continue;
            }
        };
        let due_days = u32::try_from(form.due_days).unwrap_or(0);
        for period in periods_to_remind(form.periodicity(), due_days, today, options.days_before) {
            let due_on = def.due_on(period);
            let Some(kind) = reminder_on(due_on, today, options.days_before) else { continue };
            for org in reminders::owing(app.db(), &form.code, &period.code(), period.end()).await? {
                let recipients = match recipients_of.entry(org.id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => {
                        let path = orgtree::path(app.db(), org.id).await?;
                        slot.insert(notifications::report_senders_of(app.db(), &path).await?)
                    }
                };
                if recipients.is_empty() {
                    // Not recorded: the reminder goes out once someone reports for the unit.
                    continue;
                }
                let tx = app.begin().await?;
                if !reminders::claim(&tx, &form.code, org.id, &period.code(), kind.code()).await? {
                    tx.rollback().await?;
                    continue;
                }
                let key = match kind {
                    ReportReminder::DueSoon => "report-reminder-due-soon",
                    ReportReminder::Overdue => "report-reminder-overdue",
                };
                let notice = Notice::new(
                    Message::key(key).data("template", &form.name).period("period", &period.code()).date("due", due_on),
                    Message::key("report-reminder-body").data("org", &org.name),
                );
                let (title, body) = (notice.title.render(&vi), notice.body.render(&vi));
                let link = "/reports";
                for (user, email) in recipients.iter() {
                    crate::notifications::send(&tx, *user, kind.code(), &notice, Some(link), app.now()).await?;
                    sent.notified += 1;
                    if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                        && options.mail
                    {
                        let text = mail_body(&body, options.public_url.as_deref(), link);
                        let dedup = format!("{}:{}:{}:{}:{user}", kind.code(), form.code, org.id, period.code());
                        enqueue_mail(&tx, to, &title, text, dedup).await?;
                        sent.mailed += 1;
                    }
                }
                tx.commit().await?;
                sent.reminders += 1;
            }
        }
    }
    Ok(sent)
}

/// The body of a reminder e-mail: the text, the link on the public site when known, the footer.
fn mail_body(text: &str, public_url: Option<&str>, link: &str) -> String {
    let vi = Tr::new(Lang::Vi);
    let mut body = text.to_owned();
    if let Some(base) = public_url.map(|u| u.trim_end_matches('/')).filter(|u| !u.is_empty()) {
        body.push_str("\n\n");
        body.push_str(&vi.t_with("mail-link", &[("url", &format!("{base}{link}"))]));
    }
    body.push_str("\n\n-- \n");
    body.push_str(&vi.t("mail-footer"));
    body
}

/// Queues an e-mail in the caller's transaction.
async fn enqueue_mail(tx: &impl Exec, to: &str, subject: &str, body: String, dedup: String) -> Result<()> {
    let payload = EmailPayload { to: to.trim().to_owned(), subject: subject.to_owned(), body };
    let payload = serde_json::to_value(payload).map_err(Error::internal)?;
    jobs::enqueue(tx, &NewJob::new(kinds::SEND_EMAIL, payload).dedup(dedup)).await?;
    Ok(())
}
