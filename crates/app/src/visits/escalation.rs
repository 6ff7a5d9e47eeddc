//! Escalation of overdue directives: a directive of a working visit overdue by more than the allowed number
//! of days is flagged once to the leaders of the assigning side (the accounts holding the department
//! leader role over the organisation that organised the visit), in the app and by e-mail when mail is
//! configured. The flag is recorded in the reminder ledger (kind `directive_escalated`, per due date) in
//! the same transaction as the notifications, so it goes out once whatever the number of runs or
//! instances; the visit's page shows it.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::jobs::{self as queue, EmailPayload, NewJob, kinds};
use tiendo_db::visits::{self, ESCALATION_KIND, EscalationCandidate};
use tiendo_db::{notifications, orgtree};

use crate::message::{Message, Notice};
use crate::{App, Error, Result, Session, Tr};

/// What a run of the escalation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Escalated {
    /// Open directives looked at.
    pub candidates: usize,
    /// Directives flagged in this run.
    pub flagged: usize,
    /// Notifications written.
    pub notified: usize,
}

/// The message to the leaders: "Chỉ đạo quá hạn 12 ngày: <task>", with the lead, the visit and the due date.
fn message(c: &EscalationCandidate, days_late: i64, due: NaiveDate) -> Notice {
    let task = if c.row.task_code.trim().is_empty() {
        c.row.task_title.clone()
    } else {
        format!("{}. {}", c.row.task_code, c.row.task_title)
    };
    Notice::new(
        Message::key("escalation-title").count("days", days_late).data("task", &task),
        Message::key("escalation-body").data("lead", &c.row.lead_name).data("visit", &c.visit_title).date("due", due),
    )
}

/// An e-mail body: the text, a link to the page when the site's public URL is known, and the footer (as
/// the deadline reminders write them).
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

/// Flags, as of the application's today, every directive overdue by more than `days_after` days that
/// has not been flagged for its due date yet. Only the system runs it (the daily job): `Forbidden` for a
/// signed-in user's session. A directive whose organiser has no leader is left for a later run.
pub async fn escalate_overdue(app: &App, session: &Session, days_after: u32) -> Result<Escalated> {
    if session.user.is_some() {
        return Err(Error::FORBIDDEN);
    }
    let today = app.today();
    let threshold = i64::from(days_after);
    let candidates = visits::open_directives(app.db(), today).await?;
    let mut leaders_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
    let mut done = Escalated { candidates: candidates.len(), ..Escalated::default() };
    for c in &candidates {
        let status = derive_status(&c.row.facts(), today);
        let (StatusKind::Overdue, Some(due), Some(days_late)) = (status.kind, status.due_on, status.days_late) else {
            continue;
        };
        if days_late <= threshold || due < c.row.assigned_on {
            continue;
        }
        let leaders = match leaders_of.entry(c.organizer_org_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let path = orgtree::path(app.db(), c.organizer_org_id).await?;
                slot.insert(visits::leaders_of(app.db(), &path).await?)
            }
        };
        if leaders.is_empty() {
            // Not recorded: the flag goes out once a leader is there to receive it.
            tracing::debug!(assignment = c.row.id, "no leader over the assigning organisation; escalation not sent");
            continue;
        }
        let tx = app.begin().await?;
        if !notifications::claim_reminder(&tx, c.row.id, ESCALATION_KIND, due, app.now()).await? {
            tx.rollback().await?;
            continue;
        }
        let notice = message(c, days_late, due);
        let vi = Tr::new(Lang::Vi);
        let (title, body) = (notice.title.render(&vi), notice.body.render(&vi));
        let link = format!("/assignments/{}", c.row.id);
        for (user, email) in leaders.iter() {
            crate::notifications::send(&tx, *user, ESCALATION_KIND, &notice, Some(&link), app.now()).await?;
            done.notified += 1;
            if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                && app.settings().mail_enabled
            {
                let payload = EmailPayload {
                    to: to.trim().to_owned(),
                    subject: title.clone(),
                    body: mail_body(&body, app.settings().public_url.as_deref(), &link),
                };
                let payload = serde_json::to_value(payload).map_err(Error::internal)?;
                let dedup = format!("{ESCALATION_KIND}:{}:{due}:{user}", c.row.id);
                queue::enqueue(&tx, &NewJob::new(kinds::SEND_EMAIL, payload).dedup(dedup)).await?;
            }
        }
        tx.commit().await?;
        done.flagged += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
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
        let notice = message(&c, 12, NaiveDate::from_ymd_opt(2020, 12, 31).unwrap());
        let vi = Tr::new(Lang::Vi);
        let (title, body) = (notice.title.render(&vi), notice.body.render(&vi));
        assert_eq!(title, "Chỉ đạo quá hạn 12 ngày: 3. Xây dựng chương trình khung KH&CN của thành phố Hạ Long");
        assert_eq!(
            body,
            "Đơn vị chủ trì: UBND thành phố Hạ Long\nĐoàn công tác: Làm việc tại Hạ Long\nHạn: 31/12/2020"
        );
    }

    #[test]
    fn an_email_links_to_the_page_when_the_site_is_known() {
        let body = mail_body("Nội dung", Some("https://tiendo.example.vn/"), "/assignments/12");
        assert!(body.starts_with("Nội dung\n\n"), "{body}");
        assert!(body.contains("https://tiendo.example.vn/assignments/12"), "{body}");
        assert!(!mail_body("Nội dung", None, "/assignments/12").contains("http"));
    }
}
