//! The reminders of monitoring, for the jobs that send them: the deadline reminders the lead units are
//! owed (sắp đến hạn, đã quá hạn), and the weekly digest of every assigning officer. Each reminder and each
//! digest is recorded in its ledger in the same transaction as its notifications and e-mails, so it goes
//! out once whatever the number of runs or instances.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{Datelike, Duration, NaiveDate};
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::reminder::OVERDUE_CATCH_UP_DAYS;
use tiendo_core::monitoring::{Reminder, ReminderKind, StatusKind, derive_status, reminders_due};
use tiendo_db::jobs::{self as queue, EmailPayload, NewJob, kinds};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::reminders::{self as store, PendingDecision};
use tiendo_db::{Exec, notifications, orgtree};

use crate::message::{Message, Notice};
use crate::{App, Error, Result, Session, Tr};

/// Lines listed per section of a digest; the rest are counted ("… và 12 mục khác").
const LIST_LIMIT: usize = 20;

/// Where a digest leads: the overdue list.
const DIGEST_LINK: &str = "/overdue";

/// What a run of the deadline reminders did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RemindersSent {
    /// Assignments that may be owed a reminder.
    pub candidates: usize,
    /// Reminders sent (each to every reporter of the lead unit).
    pub sent: usize,
    /// Notifications written.
    pub notified: usize,
    /// E-mails queued.
    pub mailed: usize,
}

/// Sends the deadline reminders owed on `today` (Vietnam date): from `days_before` days before a deadline,
/// and up to a week after it passed. The reporters of the lead unit get a notification, and an e-mail when
/// mail is configured. A reminder owed to a unit nobody reports for is not recorded, so it goes out once
/// someone does.
pub async fn send_deadline_reminders(
    app: &App,
    _session: &Session,
    today: NaiveDate,
    days_before: u32,
) -> Result<RemindersSent> {
    let from = today - Duration::days(OVERDUE_CATCH_UP_DAYS);
    let to = today + Duration::days(i64::from(days_before));
    let rows = store::candidates(app.db(), from, to).await?;
    let mut recipients_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
    let mut done = RemindersSent { candidates: rows.len(), ..RemindersSent::default() };
    let public_url = app.settings().public_url.clone();
    for row in &rows {
        for reminder in reminders_due(&row.facts(), row.assigned_on, today, days_before) {
            let recipients = match recipients_of.entry(row.lead_org_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let path = orgtree::path(app.db(), row.lead_org_id).await?;
                    slot.insert(notifications::reporters_of(app.db(), &path).await?)
                }
            };
            if recipients.is_empty() {
                tracing::debug!(assignment = row.id, "no account reports for the lead unit; reminder not sent");
                continue;
            }
            let tx = app.begin().await?;
            if !notifications::claim_reminder(&tx, row.id, reminder.kind.code(), reminder.due_on, app.now()).await? {
                tx.rollback().await?;
                continue;
            }
            let notice = reminder_message(row, reminder);
            let vi = Tr::new(Lang::Vi);
            let (title, text) = (notice.title.render(&vi), notice.body.render(&vi));
            let link = format!("/assignments/{}", row.id);
            for (user, email) in recipients {
                crate::notifications::send(&tx, *user, reminder.kind.code(), &notice, Some(&link), app.now()).await?;
                done.notified += 1;
                if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                    && app.settings().mail_enabled
                {
                    let body = mail_body(&text, public_url.as_deref(), &link);
                    let dedup = format!("{}:{}:{}:{user}", reminder.kind.code(), row.id, reminder.due_on);
                    enqueue_mail(&tx, to, &title, body, dedup).await?;
                    done.mailed += 1;
                }
            }
            tx.commit().await?;
            done.sent += 1;
        }
    }
    Ok(done)
}

/// Sends this week's digests as of `today`: one per assigning officer with something open or waiting for
/// their decision, once per ISO week (the week of `today`'s Monday); how many were sent, out of how many
/// officers.
pub async fn send_weekly_digest(app: &App, _session: &Session, today: NaiveDate) -> Result<(usize, usize)> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let officers = store::assigning_officers(app.db()).await?;
    let mut assignments: HashMap<i64, Vec<AssignmentRow>> = HashMap::new();
    for a in store::assignments_of_officers(app.db()).await? {
        assignments.entry(a.officer_id).or_default().push(a.row);
    }
    let mut pending: HashMap<i64, Vec<PendingDecision>> = HashMap::new();
    for p in store::pending_decisions(app.db()).await? {
        pending.entry(p.officer_id).or_default().push(p);
    }
    let public_url = app.settings().public_url.clone();
    let mut sent = 0_usize;
    for officer in &officers {
        let rows = assignments.remove(&officer.id).unwrap_or_default();
        let waiting = pending.remove(&officer.id).unwrap_or_default();
        let Some(notice) = digest_message(&rows, &waiting, today, monday) else { continue };
        let tx = app.begin().await?;
        if !notifications::claim_digest(&tx, officer.id, monday).await? {
            tx.rollback().await?;
            continue;
        }
        crate::notifications::send(&tx, officer.id, "digest", &notice, Some(DIGEST_LINK), app.now()).await?;
        if let Some(to) = officer.email.as_deref().filter(|e| !e.trim().is_empty())
            && app.settings().mail_enabled
        {
            let vi = Tr::new(Lang::Vi);
            let greeting = vi.t_with("digest-greeting", &[("name", &officer.display_name)]);
            let text = format!("{greeting}\n\n{}", notice.body.render(&vi));
            let body = mail_body(&text, public_url.as_deref(), DIGEST_LINK);
            enqueue_mail(&tx, to, &notice.title.render(&vi), body, format!("digest:{}:{monday}", officer.id)).await?;
        }
        tx.commit().await?;
        sent += 1;
    }
    Ok((sent, officers.len()))
}

/// The notice of a reminder: "Sắp đến hạn: <task> — hạn dd/mm/yyyy" (or "Đã quá hạn: …"), with the lead
/// unit and the plan in the body.
pub fn reminder_message(row: &AssignmentRow, reminder: Reminder) -> Notice {
    let key = match reminder.kind {
        ReminderKind::DueSoon => "reminder-due-soon",
        ReminderKind::Overdue => "reminder-overdue",
    };
    Notice::new(
        Message::key(key).data("task", &task_label(&row.task_code, &row.task_title)).date("due", reminder.due_on),
        Message::key("reminder-body").data("lead", &row.lead_name).data("plan", &row.plan_title),
    )
}

/// A task as messages name it: "1.2. Title".
pub fn task_label(code: &str, title: &str) -> String {
    if code.trim().is_empty() { title.to_owned() } else { format!("{code}. {title}") }
}

/// An e-mail body: the text, a link to the page when the site's public URL is known, and the footer.
pub fn mail_body(text: &str, public_url: Option<&str>, link: &str) -> String {
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
pub async fn enqueue_mail(tx: &impl Exec, to: &str, subject: &str, body: String, dedup: String) -> Result<()> {
    let payload = EmailPayload { to: to.trim().to_owned(), subject: subject.to_owned(), body };
    let payload = serde_json::to_value(payload).map_err(Error::internal)?;
    queue::enqueue(tx, &NewJob::new(kinds::SEND_EMAIL, payload).dedup(dedup)).await?;
    Ok(())
}

/// An overdue assignment as the digest lists it.
struct Late<'a> {
    row: &'a AssignmentRow,
    due: NaiveDate,
    days: i64,
}

/// The digest of one officer as of `today`, or `None` when nothing is open and nothing waits for them.
pub fn digest_message(
    rows: &[AssignmentRow],
    pending: &[PendingDecision],
    today: NaiveDate,
    monday: NaiveDate,
) -> Option<Notice> {
    let mut counts: HashMap<StatusKind, i64> = HashMap::new();
    let mut late = Vec::new();
    for row in rows {
        let status = derive_status(&row.facts(), today);
        *counts.entry(status.kind).or_default() += 1;
        if let (StatusKind::Overdue, Some(due), Some(days)) = (status.kind, status.due_on, status.days_late) {
            late.push(Late { row, due, days });
        }
    }
    let open: i64 = [StatusKind::Overdue, StatusKind::NotStarted, StatusKind::InProgress]
        .iter()
        .map(|k| counts.get(k).copied().unwrap_or(0))
        .sum();
    if open == 0 && pending.is_empty() {
        return None;
    }
    late.sort_by(|a, b| b.days.cmp(&a.days).then(a.row.id.cmp(&b.row.id)));
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let title = Message::key("digest-title")
        .date("monday", monday)
        .count("overdue", number(late.len()))
        .count("pending", number(pending.len()));
    let mut body = Message::key("digest-counts");
    for kind in StatusKind::ALL.iter().filter(|k| **k != StatusKind::Cancelled) {
        let n = counts.get(kind).copied().unwrap_or(0);
        if n > 0 {
            body = body.line("digest-count-line").named("status", &format!("status-{}", kind.code())).count("count", n);
        }
    }
    if !late.is_empty() {
        body = body.blank().line("digest-overdue");
        for l in late.iter().take(LIST_LIMIT) {
            body = body
                .line("digest-overdue-line")
                .data("task", &task_label(&l.row.task_code, &l.row.task_title))
                .data("lead", &l.row.lead_name)
                .date("due", l.due)
                .count("days", l.days);
        }
        if late.len() > LIST_LIMIT {
            body = body.line("digest-more").count("count", number(late.len() - LIST_LIMIT));
        }
    }
    if !pending.is_empty() {
        body = body.blank().line("digest-pending");
        for p in pending.iter().take(LIST_LIMIT) {
            body = body
                .line("digest-pending-line")
                .data("task", &task_label(&p.task_code, &p.task_title))
                .data("lead", &p.lead_name);
            body = match p.submitted_at {
                Some(at) => body.date("date", tiendo_core::time::vietnam_date(at)),
                None => body.data("date", ""),
            };
        }
        if pending.len() > LIST_LIMIT {
            body = body.line("digest-more").count("count", number(pending.len() - LIST_LIMIT));
        }
    }
    Some(Notice::new(title, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder_row() -> AssignmentRow {
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
        let vi = Tr::new(Lang::Vi);
        let soon = reminder_message(&reminder_row(), Reminder { kind: ReminderKind::DueSoon, due_on: due });
        assert_eq!(soon.title.render(&vi), "Sắp đến hạn: 2.1. Đề xuất nhiệm vụ KH&CN cấp thiết — hạn 05/03/2026");
        assert_eq!(
            soon.body.render(&vi),
            "Đơn vị chủ trì: UBND thị xã Quảng Yên\nKế hoạch: Kế hoạch thực hiện Nghị quyết 07-NQ/TU"
        );
        let late = reminder_message(&reminder_row(), Reminder { kind: ReminderKind::Overdue, due_on: due });
        assert_eq!(late.title.render(&vi), "Đã quá hạn: 2.1. Đề xuất nhiệm vụ KH&CN cấp thiết — hạn 05/03/2026");
        // An English reader reads it in English, the task as it was written.
        let en = Tr::new(Lang::En);
        assert_eq!(late.title.render(&en), "Overdue: 2.1. Đề xuất nhiệm vụ KH&CN cấp thiết — due 05/03/2026");
    }

    #[test]
    fn an_email_links_to_the_page_only_when_the_public_url_is_known() {
        let with = mail_body("Nội dung", Some("https://tiendo.quangninh.gov.vn/"), "/assignments/12");
        assert!(with.contains("Xem chi tiết: https://tiendo.quangninh.gov.vn/assignments/12"), "{with}");
        assert!(with.ends_with("xin đừng trả lời thư này."), "{with}");
        let without = mail_body("Nội dung", None, "/assignments/12");
        assert!(!without.contains("/assignments/12"), "{without}");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row(id: i64, due: NaiveDate, completed_on: Option<NaiveDate>) -> AssignmentRow {
        AssignmentRow {
            id,
            task_id: id,
            task_code: id.to_string(),
            task_title: format!("Nhiệm vụ {id}"),
            weight: 1.0,
            plan_id: 1,
            plan_title: "Kế hoạch".into(),
            lead_org_id: 5,
            lead_name: "UBND phường Hà An".into(),
            deadline_kind: "fixed".into(),
            due_on: Some(due),
            period_start: None,
            yearly_month: None,
            yearly_day: None,
            priority: "normal".into(),
            assigned_on: d(2026, 1, 2),
            flagged_at_risk: false,
            blocked: false,
            cancelled: false,
            completed_on,
            percent: 0,
            has_updates: false,
            last_update_at: None,
            is_sample: false,
        }
    }

    #[test]
    fn the_digest_counts_by_status_and_lists_the_most_overdue_first() {
        let today = d(2026, 3, 4);
        let rows = vec![
            row(1, d(2026, 3, 1), None),
            row(2, d(2026, 2, 1), None),
            row(3, d(2026, 6, 30), None),
            row(4, d(2026, 2, 1), Some(d(2026, 1, 30))),
        ];
        let pending = vec![PendingDecision {
            officer_id: 9,
            update_id: 7,
            assignment_id: 3,
            task_code: "3".into(),
            task_title: "Nhiệm vụ 3".into(),
            lead_name: "UBND phường Hà An".into(),
            submitted_at: Some(chrono::DateTime::parse_from_rfc3339("2026-03-02T18:00:00Z").unwrap().to_utc()),
        }];
        let m = digest_message(&rows, &pending, today, d(2026, 3, 2)).unwrap();
        let vi = Tr::new(Lang::Vi);
        assert_eq!(m.title.render(&vi), "Tổng hợp tuần từ 02/03/2026: 2 nhiệm vụ quá hạn, 1 báo cáo chờ xem xét");
        let body = m.body.render(&vi);
        assert!(body.contains("Các nhiệm vụ quá hạn:"), "{body}");
        let first = body.find("• 2. Nhiệm vụ 2 — UBND phường Hà An: hạn 01/02/2026, quá 31 ngày").expect(&body);
        let second = body.find("• 1. Nhiệm vụ 1 — UBND phường Hà An: hạn 01/03/2026, quá 3 ngày").expect(&body);
        assert!(first < second, "the most overdue first: {body}");
        // Submitted at 01:00 on 3 March in Vietnam.
        assert!(body.contains("• 3. Nhiệm vụ 3 — UBND phường Hà An, gửi ngày 03/03/2026"), "{body}");
        assert!(
            body.starts_with(
                "Các nhiệm vụ anh/chị đã giao, theo tình trạng:\n• Hoàn thành đúng hạn: 1\n• Chưa thực hiện: 1\n\
                 • Quá hạn chưa hoàn thành: 2\n\n"
            ),
            "{body}"
        );
    }

    #[test]
    fn an_officer_with_nothing_open_gets_no_digest() {
        let rows = vec![row(4, d(2026, 2, 1), Some(d(2026, 1, 30)))];
        assert!(digest_message(&rows, &[], d(2026, 3, 4), d(2026, 3, 2)).is_none());
        assert!(digest_message(&[], &[], d(2026, 3, 4), d(2026, 3, 2)).is_none());
    }

    #[test]
    fn long_lists_are_cut_and_counted() {
        let rows: Vec<AssignmentRow> = (1..=25).map(|id| row(id, d(2026, 2, 1), None)).collect();
        let m = digest_message(&rows, &[], d(2026, 3, 4), d(2026, 3, 2)).unwrap();
        let body = m.body.render(&Tr::new(Lang::Vi));
        assert_eq!(body.matches("• ").count(), 1 + LIST_LIMIT, "one count line and the listed ones");
        assert!(body.ends_with("… và 5 mục khác."), "{body}");
    }
}
