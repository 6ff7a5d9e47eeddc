//! Escalation of overdue directives: every day, a directive of a working visit overdue by more than N days
//! (`directive_escalation_days`) is flagged once to the leaders of the assigning side, the accounts holding
//! the department leader role over the organisation that organised the visit, in the app and by e-mail when
//! SMTP is configured. The flag is recorded in the reminder ledger (kind `directive_escalated`, per due
//! date) in the same transaction as the notifications, so it goes out once whatever the number of runs or
//! instances; it shows on the visit's page.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use tiendo_app::i18n::Tr;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::visits::{self, ESCALATION_KIND, EscalationCandidate};
use tiendo_db::{notifications, orgtree};

use super::reminders::{AsOf, Message, enqueue_mail, mail_body, task_label};
use super::{Job, JobContext};

/// Flags the directives overdue for longer than allowed.
#[derive(Debug, Clone)]
pub struct DirectiveEscalation {
    /// Days past the deadline after which the leaders are told (`directive_escalation_days`).
    pub days_after: u32,
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

/// The message to the leaders: "Chỉ đạo quá hạn 12 ngày: <task>", with the lead, the visit and the due date.
fn escalation_message(c: &EscalationCandidate, days_late: i64, due: chrono::NaiveDate) -> Message {
    let vi = Tr::new(Lang::Vi);
    let task = task_label(&c.row.task_code, &c.row.task_title);
    Message {
        title: vi.t_with("escalation-title", &[("days", &days_late.to_string()), ("task", &task)]),
        body: vi.t_with(
            "escalation-body",
            &[("lead", &c.row.lead_name), ("visit", &c.visit_title), ("due", &tiendo_core::fmt::date(due))],
        ),
    }
}

impl Job for DirectiveEscalation {
    const NAME: &'static str = "directive_escalation";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let threshold = i64::from(self.days_after);
        let candidates = visits::open_directives(&ctx.db, today).await?;
        let mut leaders_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
        let (mut flagged, mut notified) = (0_usize, 0_usize);
        for c in &candidates {
            let status = derive_status(&c.row.facts(), today);
            let (StatusKind::Overdue, Some(due), Some(days_late)) = (status.kind, status.due_on, status.days_late)
            else {
                continue;
            };
            if days_late <= threshold || due < c.row.assigned_on {
                continue;
            }
            let leaders = match leaders_of.entry(c.organizer_org_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let path = orgtree::path(&ctx.db, c.organizer_org_id).await?;
                    slot.insert(visits::leaders_of(&ctx.db, &path).await?)
                }
            };
            if leaders.is_empty() {
                // Not recorded: the flag goes out once a leader is there to receive it.
                tracing::debug!(
                    assignment = c.row.id,
                    "no leader over the assigning organisation; escalation not sent"
                );
                continue;
            }
            let tx = ctx.db.begin().await?;
            if !notifications::claim_reminder(&tx, c.row.id, ESCALATION_KIND, due).await? {
                tx.rollback().await?;
                continue;
            }
            let message = escalation_message(c, days_late, due);
            let link = format!("/assignments/{}", c.row.id);
            for (user, email) in leaders.iter() {
                notifications::notify(&tx, *user, ESCALATION_KIND, &message.title, &message.body, Some(&link)).await?;
                notified += 1;
                if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                    && ctx.mailer.is_some()
                {
                    let body = mail_body(&message.body, self.public_url.as_deref(), &link);
                    enqueue_mail(&tx, to, &message.title, body, format!("{ESCALATION_KIND}:{}:{due}:{user}", c.row.id))
                        .await?;
                }
            }
            tx.commit().await?;
            flagged += 1;
        }
        tracing::info!(%today, candidates = candidates.len(), flagged, notified, "overdue directives escalated");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use tiendo_db::monitoring::assignments::AssignmentRow;

    use super::*;

    #[test]
    fn the_leaders_are_told_in_vietnamese_how_late_and_where_it_came_from() {
        let row = AssignmentRow {
            id: 12,
            task_id: 3,
            task_code: "3".into(),
            task_title: "Xây dựng chương trình khung KH&CN của thành phố Hạ Long".into(),
            weight: 1.0,
            plan_id: 1,
            plan_title: "Kết luận của đoàn công tác".into(),
            lead_org_id: 5,
            lead_name: "UBND thành phố Hạ Long".into(),
            deadline_kind: "fixed".into(),
            due_on: NaiveDate::from_ymd_opt(2020, 12, 31),
            period_start: None,
            yearly_month: None,
            yearly_day: None,
            priority: "normal".into(),
            assigned_on: NaiveDate::from_ymd_opt(2020, 2, 27).unwrap(),
            flagged_at_risk: false,
            blocked: false,
            cancelled: false,
            completed_on: None,
            percent: 40,
            has_updates: true,
            last_update_at: None,
            is_sample: false,
        };
        let c =
            EscalationCandidate {
                row, visit_id: 1, visit_title: "Làm việc tại Hạ Long".into(), organizer_org_id: 2
            };
        let m = escalation_message(&c, 12, NaiveDate::from_ymd_opt(2020, 12, 31).unwrap());
        assert_eq!(m.title, "Chỉ đạo quá hạn 12 ngày: 3. Xây dựng chương trình khung KH&CN của thành phố Hạ Long");
        assert_eq!(
            m.body,
            "Đơn vị chủ trì: UBND thành phố Hạ Long\nĐoàn công tác: Làm việc tại Hạ Long\nHạn: 31/12/2020"
        );
    }
}
