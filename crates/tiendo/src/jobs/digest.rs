//! The weekly digest: every assigning officer (an active account that assigned tasks) gets one
//! notification, and one e-mail when SMTP is configured, with their assignments counted by status, the
//! overdue ones with the days late, and the progress updates waiting for their decision. Officers with
//! nothing open and nothing to decide get none. Sent once per officer per ISO week (the ledger entry is
//! written in the same transaction as the notification).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use tiendo_app::i18n::Tr;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::reminders::{self as store, PendingDecision};
use tiendo_db::notifications;

use super::reminders::{AsOf, Message, enqueue_mail, mail_body, task_label};
use super::{Job, JobContext};

/// Lines listed per section; the rest are counted ("… và 12 mục khác").
const LIST_LIMIT: usize = 20;

/// Where the digest leads: the overdue list.
const LINK: &str = "/overdue";

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
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let officers = store::assigning_officers(&ctx.db).await?;
        let mut assignments: HashMap<i64, Vec<AssignmentRow>> = HashMap::new();
        for a in store::assignments_of_officers(&ctx.db).await? {
            assignments.entry(a.officer_id).or_default().push(a.row);
        }
        let mut pending: HashMap<i64, Vec<PendingDecision>> = HashMap::new();
        for p in store::pending_decisions(&ctx.db).await? {
            pending.entry(p.officer_id).or_default().push(p);
        }
        let mut sent = 0_usize;
        for officer in &officers {
            let rows = assignments.remove(&officer.id).unwrap_or_default();
            let waiting = pending.remove(&officer.id).unwrap_or_default();
            let Some(message) = digest_message(&rows, &waiting, today, monday) else { continue };
            let tx = ctx.db.begin().await?;
            if !notifications::claim_digest(&tx, officer.id, monday).await? {
                tx.rollback().await?;
                continue;
            }
            notifications::notify(&tx, officer.id, "digest", &message.title, &message.body, Some(LINK)).await?;
            if let Some(to) = officer.email.as_deref().filter(|e| !e.trim().is_empty())
                && ctx.mailer.is_some()
            {
                let vi = Tr::new(Lang::Vi);
                let text =
                    format!("{}\n\n{}", vi.t_with("digest-greeting", &[("name", &officer.display_name)]), message.body);
                let body = mail_body(&text, self.public_url.as_deref(), LINK);
                enqueue_mail(&tx, to, &message.title, body, format!("digest:{}:{monday}", officer.id)).await?;
            }
            tx.commit().await?;
            sent += 1;
        }
        tracing::info!(%today, officers = officers.len(), sent, "weekly digests sent");
        Ok(())
    }
}

/// An overdue assignment as the digest lists it.
struct Late<'a> {
    row: &'a AssignmentRow,
    due: NaiveDate,
    days: i64,
}

/// The digest of one officer as of `today`, or `None` when nothing is open and nothing waits for them.
fn digest_message(
    rows: &[AssignmentRow],
    pending: &[PendingDecision],
    today: NaiveDate,
    monday: NaiveDate,
) -> Option<Message> {
    let vi = Tr::new(Lang::Vi);
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
    let number = |n: usize| tiendo_core::fmt::integer(i64::try_from(n).unwrap_or(i64::MAX), Lang::Vi);
    let title = vi.t_with(
        "digest-title",
        &[
            ("monday", &tiendo_core::fmt::date(monday)),
            ("overdue", &number(late.len())),
            ("pending", &number(pending.len())),
        ],
    );
    let mut lines = vec![vi.t("digest-counts")];
    for kind in StatusKind::ALL.iter().filter(|k| **k != StatusKind::Cancelled) {
        let n = counts.get(kind).copied().unwrap_or(0);
        if n > 0 {
            let status = vi.t(&format!("status-{}", kind.code()));
            lines.push(vi.t_with(
                "digest-count-line",
                &[("status", &status), ("count", &tiendo_core::fmt::integer(n, Lang::Vi))],
            ));
        }
    }
    if !late.is_empty() {
        lines.push(String::new());
        lines.push(vi.t("digest-overdue"));
        for l in late.iter().take(LIST_LIMIT) {
            lines.push(vi.t_with(
                "digest-overdue-line",
                &[
                    ("task", &task_label(&l.row.task_code, &l.row.task_title)),
                    ("lead", &l.row.lead_name),
                    ("due", &tiendo_core::fmt::date(l.due)),
                    ("days", &tiendo_core::fmt::integer(l.days, Lang::Vi)),
                ],
            ));
        }
        if late.len() > LIST_LIMIT {
            lines.push(vi.t_with("digest-more", &[("count", &number(late.len() - LIST_LIMIT))]));
        }
    }
    if !pending.is_empty() {
        lines.push(String::new());
        lines.push(vi.t("digest-pending"));
        for p in pending.iter().take(LIST_LIMIT) {
            let date = p.submitted_at.map(|at| tiendo_core::fmt::date(tiendo_core::time::vietnam_date(at)));
            lines.push(vi.t_with(
                "digest-pending-line",
                &[
                    ("task", &task_label(&p.task_code, &p.task_title)),
                    ("lead", &p.lead_name),
                    ("date", &date.unwrap_or_default()),
                ],
            ));
        }
        if pending.len() > LIST_LIMIT {
            lines.push(vi.t_with("digest-more", &[("count", &number(pending.len() - LIST_LIMIT))]));
        }
    }
    Some(Message { title, body: lines.join("\n") })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(m.title, "Tổng hợp tuần từ 02/03/2026: 2 nhiệm vụ quá hạn, 1 báo cáo chờ xem xét");
        let body = m.body;
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
        assert_eq!(m.body.matches("• ").count(), 1 + LIST_LIMIT, "one count line and the listed ones");
        assert!(m.body.ends_with("… và 5 mục khác."), "{}", m.body);
    }
}
