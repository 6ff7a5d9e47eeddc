//! Deadline reminders: every day, the reporters of an assignment's lead unit are told in the app (and by
//! e-mail when SMTP is configured) that its deadline is near, or has just passed. Each reminder is recorded
//! in the ledger (`reminders_sent`) in the same transaction as the notifications, so it goes out once
//! whatever the number of runs or instances.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;
use tiendo_app::i18n::Tr;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::reminder::OVERDUE_CATCH_UP_DAYS;
use tiendo_core::monitoring::{Reminder, ReminderKind, reminders_due};
use tiendo_db::jobs::{self as queue, EmailPayload, NewJob, kinds};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::{Exec, notifications, orgtree};

use super::{Job, JobContext};

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
}

impl Job for DeadlineReminders {
    const NAME: &'static str = "deadline_reminders";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let from = today - Duration::days(OVERDUE_CATCH_UP_DAYS);
        let to = today + Duration::days(i64::from(self.days_before));
        let rows = tiendo_db::monitoring::reminders::candidates(&ctx.db, from, to).await?;
        let mut recipients_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
        let (mut sent, mut notified, mut mailed) = (0_usize, 0_usize, 0_usize);
        for row in &rows {
            for reminder in reminders_due(&row.facts(), row.assigned_on, today, self.days_before) {
                let recipients = match recipients_of.entry(row.lead_org_id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => {
                        let path = orgtree::path(&ctx.db, row.lead_org_id).await?;
                        slot.insert(notifications::reporters_of(&ctx.db, &path).await?)
                    }
                };
                if recipients.is_empty() {
                    // Not recorded as sent: the reminder goes out once someone reports for the unit.
                    tracing::debug!(assignment = row.id, "no account reports for the lead unit; reminder not sent");
                    continue;
                }
                let tx = ctx.db.begin().await?;
                if !notifications::claim_reminder(&tx, row.id, reminder.kind.code(), reminder.due_on).await? {
                    tx.rollback().await?;
                    continue;
                }
                let message = reminder_message(row, reminder);
                let link = format!("/assignments/{}", row.id);
                for (user, email) in recipients {
                    notifications::notify(&tx, *user, reminder.kind.code(), &message.title, &message.body, Some(&link))
                        .await?;
                    notified += 1;
                    if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                        && ctx.mailer.is_some()
                    {
                        let body = mail_body(&message.body, self.public_url.as_deref(), &link);
                        let dedup = format!("{}:{}:{}:{user}", reminder.kind.code(), row.id, reminder.due_on);
                        enqueue_mail(&tx, to, &message.title, body, dedup).await?;
                        mailed += 1;
                    }
                }
                tx.commit().await?;
                sent += 1;
            }
        }
        tracing::info!(%today, candidates = rows.len(), sent, notified, mailed, "deadline reminders sent");
        Ok(())
    }
}

/// A notification's title and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Message {
    pub(super) title: String,
    pub(super) body: String,
}

/// The Vietnamese message of a reminder: "Sắp đến hạn: <task> — hạn dd/mm/yyyy" (or "Đã quá hạn: …"),
/// with the lead unit and the plan in the body.
fn reminder_message(row: &AssignmentRow, reminder: Reminder) -> Message {
    let vi = Tr::new(Lang::Vi);
    let key = match reminder.kind {
        ReminderKind::DueSoon => "reminder-due-soon",
        ReminderKind::Overdue => "reminder-overdue",
    };
    let task = task_label(&row.task_code, &row.task_title);
    let due = tiendo_core::fmt::date(reminder.due_on);
    Message {
        title: vi.t_with(key, &[("task", &task), ("due", &due)]),
        body: vi.t_with("reminder-body", &[("lead", &row.lead_name), ("plan", &row.plan_title)]),
    }
}

/// A task as messages name it: "1.2. Title".
pub(super) fn task_label(code: &str, title: &str) -> String {
    if code.trim().is_empty() { title.to_owned() } else { format!("{code}. {title}") }
}

/// An e-mail body: the text, a link to the page when the site's public URL is known, and the footer.
pub(super) fn mail_body(text: &str, public_url: Option<&str>, link: &str) -> String {
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
pub(super) async fn enqueue_mail(
    tx: &impl Exec,
    to: &str,
    subject: &str,
    body: String,
    dedup: String,
) -> anyhow::Result<()> {
    let payload = EmailPayload { to: to.trim().to_owned(), subject: subject.to_owned(), body };
    queue::enqueue(tx, &NewJob::new(kinds::SEND_EMAIL, serde_json::to_value(payload)?).dedup(dedup)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AssignmentRow {
        AssignmentRow {
            id: 12,
            task_id: 3,
            task_code: "2.1".into(),
            task_title: "Đề xuất nhiệm vụ KH&CN cấp thiết".into(),
            weight: 1.0,
            plan_id: 1,
            plan_title: "Kế hoạch thực hiện Nghị quyết 07-NQ/TU".into(),
            lead_org_id: 5,
            lead_name: "UBND thị xã Quảng Yên".into(),
            deadline_kind: "fixed".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 5),
            period_start: None,
            yearly_month: None,
            yearly_day: None,
            priority: "normal".into(),
            assigned_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            flagged_at_risk: false,
            blocked: false,
            cancelled: false,
            completed_on: None,
            percent: 0,
            has_updates: false,
            last_update_at: None,
            is_sample: false,
        }
    }

    #[test]
    fn reminders_are_written_in_vietnamese_with_dates_day_first() {
        let due = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let soon = reminder_message(&row(), Reminder { kind: ReminderKind::DueSoon, due_on: due });
        assert_eq!(soon.title, "Sắp đến hạn: 2.1. Đề xuất nhiệm vụ KH&CN cấp thiết — hạn 05/03/2026");
        assert_eq!(
            soon.body,
            "Đơn vị chủ trì: UBND thị xã Quảng Yên\nKế hoạch: Kế hoạch thực hiện Nghị quyết 07-NQ/TU"
        );
        let late = reminder_message(&row(), Reminder { kind: ReminderKind::Overdue, due_on: due });
        assert_eq!(late.title, "Đã quá hạn: 2.1. Đề xuất nhiệm vụ KH&CN cấp thiết — hạn 05/03/2026");
    }

    #[test]
    fn an_email_links_to_the_page_only_when_the_public_url_is_known() {
        let with = mail_body("Nội dung", Some("https://tiendo.quangninh.gov.vn/"), "/assignments/12");
        assert!(with.contains("Xem chi tiết: https://tiendo.quangninh.gov.vn/assignments/12"), "{with}");
        assert!(with.ends_with("xin đừng trả lời thư này."), "{with}");
        let without = mail_body("Nội dung", None, "/assignments/12");
        assert!(!without.contains("/assignments/12"), "{without}");
    }
}
