//! Periodic reports through the job runner: reminders before and after the due day to the reporting
//! units that have not sent their report (in the app, and by e-mail when SMTP is configured), each sent
//! once (the ledger `report_reminders_sent` is written in the same transaction as the notifications); and
//! the rebuild of the aggregates after a map change.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::Utc;
use tiendo_app::i18n::Tr;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::reminder::{ReportReminder, periods_to_remind, reminder_on};
use tiendo_db::audit::{self, NewEvent, Who};
use tiendo_db::jobs::kinds;
use tiendo_db::reporting::{aggregates, reminders, templates};
use tiendo_db::{notifications, orgtree};

use super::reminders::{AsOf, enqueue_mail, mail_body};
use super::{Job, JobContext};

/// Sends the report reminders owed today.
#[derive(Debug, Clone)]
pub struct ReportReminders {
    /// Days before the due day from which a unit is reminded (`reminder_days_before`).
    pub days_before: u32,
    /// The public URL of the site, for links in e-mails.
    pub public_url: Option<String>,
}

impl Job for ReportReminders {
    const NAME: &'static str = "report_reminders";
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let today = payload.day();
        let vi = Tr::new(Lang::Vi);
        let mut recipients_of: HashMap<i64, Vec<(i64, Option<String>)>> = HashMap::new();
        let (mut sent, mut notified, mut mailed) = (0_usize, 0_usize, 0_usize);
        for template in templates::list(&ctx.db, false).await? {
            let def = match template.def() {
                Ok(def) => def,
                Err(e) => {
                    tracing::warn!(template = %template.code, error = %e, "a report template does not parse; no reminders");
                    continue;
                }
            };
            let due_days = u32::try_from(template.due_days).unwrap_or(0);
            for period in periods_to_remind(template.periodicity(), due_days, today, self.days_before) {
                let due_on = def.due_on(period);
                let Some(kind) = reminder_on(due_on, today, self.days_before) else { continue };
                for org in reminders::owing(&ctx.db, &template.code, &period.code(), period.end()).await? {
                    let recipients = match recipients_of.entry(org.id) {
                        Entry::Occupied(known) => known.into_mut(),
                        Entry::Vacant(slot) => {
                            let path = orgtree::path(&ctx.db, org.id).await?;
                            slot.insert(notifications::reporters_of(&ctx.db, &path).await?)
                        }
                    };
                    if recipients.is_empty() {
                        // Not recorded: the reminder goes out once someone reports for the unit.
                        continue;
                    }
                    let tx = ctx.db.begin().await?;
                    if !reminders::claim(&tx, &template.code, org.id, &period.code(), kind.code()).await? {
                        tx.rollback().await?;
                        continue;
                    }
                    let key = match kind {
                        ReportReminder::DueSoon => "report-reminder-due-soon",
                        ReportReminder::Overdue => "report-reminder-overdue",
                    };
                    let period_name = period.name(Lang::Vi);
                    let due = tiendo_core::fmt::date(due_on);
                    let title =
                        vi.t_with(key, &[("template", &template.name), ("period", &period_name), ("due", &due)]);
                    let body = vi.t_with("report-reminder-body", &[("org", &org.name)]);
                    let link = "/reports";
                    for (user, email) in recipients.iter() {
                        notifications::notify(&tx, *user, kind.code(), &title, &body, Some(link)).await?;
                        notified += 1;
                        if let Some(to) = email.as_deref().filter(|e| !e.trim().is_empty())
                            && ctx.mailer.is_some()
                        {
                            let text = mail_body(&body, self.public_url.as_deref(), link);
                            let dedup =
                                format!("{}:{}:{}:{}:{user}", kind.code(), template.code, org.id, period.code());
                            enqueue_mail(&tx, to, &title, text, dedup).await?;
                            mailed += 1;
                        }
                    }
                    tx.commit().await?;
                    sent += 1;
                }
            }
        }
        tracing::info!(%today, sent, notified, mailed, "report reminders sent");
        Ok(())
    }
}

/// Recomputes the aggregates of approved reports on the map in force on the day (after a map change, or
/// a change of the attribution shares), in one transaction, with its audit event.
#[derive(Debug, Clone, Copy)]
pub struct RebuildReportAggregates;

impl Job for RebuildReportAggregates {
    const NAME: &'static str = kinds::REBUILD_REPORT_AGGREGATES;
    type Payload = AsOf;

    async fn run(&self, ctx: &JobContext, payload: AsOf) -> anyhow::Result<()> {
        let rebuilt = rebuild(&ctx.db, payload.day(), &Who::system()).await?;
        tracing::info!(reports = rebuilt.reports, cells = rebuilt.cells, "report aggregates rebuilt");
        Ok(())
    }
}

/// Rebuilds the aggregates as of `day`, audited as `who`.
pub async fn rebuild(db: &tiendo_db::Db, day: chrono::NaiveDate, who: &Who) -> anyhow::Result<aggregates::Rebuilt> {
    let started = std::time::Instant::now();
    let tx = db.begin().await?;
    let rebuilt = aggregates::rebuild(&tx, day).await?;
    let summary = format!(
        "Tính lại số liệu tổng hợp của {} báo cáo đã phê duyệt theo bản đồ hành chính ngày {}",
        rebuilt.reports,
        tiendo_core::fmt::date(day)
    );
    audit::append(&tx, who, &NewEvent::new("rebuild", "report_aggregates", day, summary)).await?;
    tx.commit().await?;
    tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, at = %Utc::now(), "rebuild committed");
    Ok(rebuilt)
}
