//! Reminders and escalation of the deadlines of tasks under contract, every day: a milestone or a report
//! due soon or just overdue is recalled to the host's accounts, an instalment past its planned day and not
//! paid to the department's staff who pay it; anything overdue by more than the allowed days is flagged
//! once to the department's leaders over the host. Each goes out once per item, due day and kind (the
//! ledger `st_contract_reminders_sent`, written in the same transaction as the notifications), whatever the
//! number of runs or instances; mail goes out too when it is configured.

use chrono::NaiveDate;
use tiendo_core::reporting::reminder::{ReportReminder, reminder_on};
use tiendo_core::sci_tech::implementation::ContractState;
use tiendo_core::sci_tech::task_report::TaskReportKind;
use tiendo_db::orgtree;
use tiendo_db::sci_tech::contracts::{self as contracts_db, Contract};
use tiendo_db::sci_tech::task_reports as stored;

use super::task_reports::sync_progress;
use crate::message::{Message, Notice};
use crate::{App, Error, Result, Session};

/// Accounts to tell: (user id, e-mail).
type Recipients = [(i64, Option<String>)];

/// What a run sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeadlinesSent {
    /// Reminders recorded (an item, a due day, a kind).
    pub reminders: usize,
    /// Items flagged to the leaders.
    pub escalated: usize,
    /// Notifications written.
    pub notified: usize,
}

/// Who must act on a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The host organisation (milestones, reports).
    Host,
    /// The department's staff (instalments they pay).
    Staff,
}

/// A deadline of a task.
#[derive(Debug, Clone)]
struct Deadline {
    /// The ledger's item (`milestone:2`, `report:progress:3`, `instalment:1`).
    item: String,
    /// What it is, for the messages: (key stem, arguments).
    what: &'static str,
    /// The item's name or number.
    name: String,
    /// Its due day.
    due_on: NaiveDate,
    /// Who acts on it.
    side: Side,
}

/// The open deadlines of a task under way, or of an accepted one's application reports.
async fn deadlines_of(app: &App, c: &Contract, running: bool) -> Result<Vec<Deadline>> {
    let mut out = Vec::new();
    if running {
        for m in contracts_db::milestones(app.db(), c.id).await?.into_iter().filter(|m| m.done_on.is_none()) {
            out.push(Deadline {
                item: format!("milestone:{}", m.seq),
                what: "milestone",
                name: m.title,
                due_on: m.due_on,
                side: Side::Host,
            });
        }
        for i in contracts_db::instalments(app.db(), c.id).await?.into_iter().filter(|i| i.paid < i.amount) {
            out.push(Deadline {
                item: format!("instalment:{}", i.seq),
                what: "instalment",
                name: (i.seq + 1).to_string(),
                due_on: i.due_on,
                side: Side::Staff,
            });
        }
    }
    for r in stored::of_contract(app.db(), c.id).await?.into_iter().filter(|r| r.status().is_editable()) {
        let kind = r.kind();
        if (kind == TaskReportKind::Progress) != running {
            continue;
        }
        out.push(Deadline {
            item: format!("report:{}:{}", kind.code(), r.seq),
            what: match kind {
                TaskReportKind::Progress => "progress",
                TaskReportKind::Application => "application",
            },
            name: r.seq.to_string(),
            due_on: r.due_on,
            side: Side::Host,
        });
    }
    Ok(out)
}

/// Sends, as of the application's today, the reminders of the tasks' deadlines from `days_before` days
/// before each and in the week after it, and flags to the leaders what is overdue by more than
/// `escalate_after` days. Only the system runs it (the daily job): `Forbidden` for a signed-in user.
pub async fn remind_deadlines(
    app: &App,
    session: &Session,
    days_before: u32,
    escalate_after: u32,
) -> Result<DeadlinesSent> {
    if session.user.is_some() {
        return Err(Error::FORBIDDEN);
    }
    let today = app.today();
    let mut sent = DeadlinesSent::default();
    let mut tasks: Vec<(Contract, bool)> =
        contracts_db::in_state(app.db(), ContractState::UnderWay).await?.into_iter().map(|c| (c, true)).collect();
    for state in [ContractState::Accepted, ContractState::Closed] {
        tasks.extend(contracts_db::in_state(app.db(), state).await?.into_iter().map(|c| (c, false)));
    }
    for (c, running) in &tasks {
        if *running {
            // A contract from before the reports were written down gets them now.
            let tx = app.begin().await?;
            sync_progress(&tx, app, c).await?;
            tx.commit().await?;
        }
        let deadlines = deadlines_of(app, c, *running).await?;
        if deadlines.is_empty() {
            continue;
        }
        let path = orgtree::path(app.db(), c.host_org_id).await?;
        let host = tiendo_db::notifications::report_senders_of(app.db(), &path).await?;
        let staff = tiendo_db::reporting::reports::reviewers_of(app.db(), &path).await?;
        let leaders = tiendo_db::visits::leaders_of(app.db(), &path).await?;
        let link = format!("/contracts/{}", c.id);
        let task = Message::text(&format!("{} – {}", c.number, c.title));
        for d in &deadlines {
            let days_late = (today - d.due_on).num_days();
            let mut steps: Vec<(&str, String, &Recipients)> = Vec::new();
            if let Some(kind) = reminder_on(d.due_on, today, days_before) {
                let (code, stem) = match kind {
                    ReportReminder::DueSoon => ("due_soon", "soon"),
                    ReportReminder::Overdue => ("overdue", "overdue"),
                };
                let to = match d.side {
                    Side::Host => host.as_slice(),
                    Side::Staff => staff.as_slice(),
                };
                steps.push((code, format!("st-deadline-{}-{stem}", d.what), to));
            }
            if days_late > i64::from(escalate_after) {
                steps.push(("escalated", format!("st-escalation-{}", d.what), leaders.as_slice()));
            }
            for (code, key, to) in steps {
                if to.is_empty() {
                    // Not recorded: it goes out once someone is there to receive it.
                    continue;
                }
                let tx = app.begin().await?;
                if !stored::claim_reminder(&tx, c.id, &d.item, d.due_on, code, app.now()).await? {
                    tx.rollback().await?;
                    continue;
                }
                let notice = Notice::new(
                    Message::key(&key).data("name", &d.name).date("due", d.due_on).count("days", days_late.max(0)),
                    task.clone(),
                );
                let kind = format!("st_deadline_{code}");
                for (user, email) in to {
                    super::notify_one(app, &tx, *user, email.clone(), &kind, &notice, &link).await?;
                    sent.notified += 1;
                }
                tx.commit().await?;
                if code == "escalated" {
                    sent.escalated += 1;
                } else {
                    sent.reminders += 1;
                }
            }
        }
    }
    Ok(sent)
}
