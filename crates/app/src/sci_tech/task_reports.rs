//! The periodic reports of a task under contract: progress reports while it runs (what was done, the
//! milestones' products, the state budget spent) and yearly reports on the application of its results after
//! acceptance. The host fills and submits them, the department's staff return them with a comment or
//! accept them, on the reporting engine's workflow (`tiendo_core::sci_tech::task_report`). The reports
//! owed are written with the contract (signing, every change) and with the recognition of its results.

use std::collections::BTreeMap;

use tiendo_core::reporting::ReportStatus;
use tiendo_core::reporting::workflow::{ReportAction, TransitionError};
use tiendo_core::sci_tech::grading::RuleSets;
use tiendo_core::sci_tech::task_report::{
    self as rules, Body, DueReport, TaskReportKind, Timeliness, application_due, progress_due,
};
use tiendo_db::Exec;
use tiendo_db::orgtree;
use tiendo_db::sci_tech::contracts::{Contract, MilestoneRow};
use tiendo_db::sci_tech::task_reports::{self as stored, TaskReportRow};

use super::contracts::{ENTITY, OpenedContract, open_contract};
use crate::audit::{self, Entry};
use crate::message::{Message, Notice, Value};
use crate::{App, Error, FieldError, Result, Session};

/// The page of one report.
pub fn link(contract_id: i64, kind: TaskReportKind, seq: i64) -> String {
    format!("/contracts/{contract_id}/reports/{}/{seq}", kind.code())
}

/// Writes the progress reports a contract owes (at signing and after every change), in the caller's
/// transaction.
pub(crate) async fn sync_progress(ex: &impl Exec, app: &App, contract: &Contract) -> Result<()> {
    let due = progress_due(&contract.fields()?);
    stored::sync_due(ex, contract.id, TaskReportKind::Progress, &due, contract.is_sample, app.now()).await?;
    Ok(())
}

/// Writes the application reports owed once the results were recognised on `recognised_on` under the rule
/// set `rule_set`, in the caller's transaction.
pub(crate) async fn sync_application(
    ex: &impl Exec,
    app: &App,
    contract: &Contract,
    rule_set: &str,
    recognised_on: chrono::NaiveDate,
) -> Result<()> {
    let sets = RuleSets::standard();
    let years = sets.get(rule_set).unwrap_or_else(|| sets.default_rule_set()).application_report_years();
    let due = application_due(recognised_on, years);
    stored::sync_due(ex, contract.id, TaskReportKind::Application, &due, contract.is_sample, app.now()).await?;
    Ok(())
}

/// A report in the list of a task, with where it stands today.
#[derive(Debug, Clone)]
pub struct ReportLine {
    /// The report.
    pub row: TaskReportRow,
    /// Overdue or late.
    pub timeliness: Timeliness,
}

/// When a report was first submitted, as a day in Vietnam.
fn submitted_on(row: &TaskReportRow) -> Option<chrono::NaiveDate> {
    row.submitted_at.map(tiendo_core::time::vietnam_date)
}

/// The reports of a task (the caller has opened the contract), with where each stands today.
pub async fn lines(app: &App, contract_id: i64) -> Result<Vec<ReportLine>> {
    let today = app.today();
    Ok(stored::of_contract(app.db(), contract_id)
        .await?
        .into_iter()
        .map(|row| {
            let timeliness = rules::timeliness(row.due_on, Some(row.status()), submitted_on(&row), today);
            ReportLine { row, timeliness }
        })
        .collect())
}

/// The state budget the accepted progress reports say was spent.
pub fn spent(lines: &[ReportLine]) -> i64 {
    lines
        .iter()
        .filter(|l| l.row.kind() == TaskReportKind::Progress && l.row.status() == ReportStatus::Approved)
        .map(|l| l.row.spent_state)
        .sum()
}

/// A report the actor may see, with what they may do and read.
#[derive(Debug, Clone)]
pub struct OpenedReport {
    /// The task.
    pub contract: OpenedContract,
    /// The report.
    pub row: TaskReportRow,
    /// Its period and due day.
    pub due: DueReport,
    /// The milestones due in its period (a progress report says how their products stand).
    pub milestones: Vec<MilestoneRow>,
    /// What the actor may do now.
    pub actions: Vec<ReportAction>,
    /// Whether the actor may read what it says (a draft is the host's own).
    pub readable: bool,
    /// What it says (empty when not readable).
    pub body: Body,
    /// The state budget the task's other progress reports (sent) say was spent.
    pub spent_before: i64,
    /// Overdue or late.
    pub timeliness: Timeliness,
}

impl OpenedReport {
    /// Whether the actor may take `action`.
    pub fn may(&self, action: ReportAction) -> bool {
        self.actions.contains(&action)
    }
}

/// Opens a report of a task; `NotFound` when the actor may not see the task or the task owes no such
/// report.
pub async fn open_report(app: &App, session: &Session, id: i64, kind: &str, seq: i64) -> Result<OpenedReport> {
    let contract = open_contract(app, session, id).await?;
    let kind = TaskReportKind::from_code(kind).ok_or(Error::NotFound)?;
    let row = stored::get(app.db(), id, kind, seq).await?.ok_or(Error::NotFound)?;
    let status = row.status();
    let today = app.today();
    let running = match kind {
        TaskReportKind::Progress => contract.state().open(),
        TaskReportKind::Application => true,
    };
    let actions = rules::actions(contract.powers, status)
        .into_iter()
        .filter(|a| match a {
            ReportAction::Save | ReportAction::Submit => running && today >= row.starts_on,
            _ => true,
        })
        .collect();
    let readable = rules::may_read(contract.powers, status);
    let body = if readable { row.body()? } else { Body::new() };
    let milestones = match kind {
        TaskReportKind::Progress => tiendo_db::sci_tech::contracts::milestones(app.db(), id)
            .await?
            .into_iter()
            .filter(|m| row.starts_on <= m.due_on && m.due_on <= row.ends_on)
            .collect(),
        TaskReportKind::Application => Vec::new(),
    };
    let spent_before = stored::of_contract(app.db(), id)
        .await?
        .iter()
        .filter(|r| r.kind() == TaskReportKind::Progress && r.id != row.id && r.status().is_sent())
        .map(|r| r.spent_state)
        .sum();
    let due = DueReport {
        kind,
        seq: u32::try_from(row.seq).unwrap_or(0),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        due_on: row.due_on,
    };
    let timeliness = rules::timeliness(row.due_on, Some(status), submitted_on(&row), today);
    Ok(OpenedReport { contract, row, due, milestones, actions, readable, body, spent_before, timeliness })
}

/// What saving a report asks.
#[derive(Debug, Clone, Default)]
pub struct SaveReport {
    /// The version the form was read from.
    pub version: i64,
    /// What was typed, by field.
    pub inputs: BTreeMap<String, String>,
    /// Submit it after saving (the required fields are checked then).
    pub submit: bool,
}

fn refused(e: TransitionError) -> Error {
    match e {
        TransitionError::Forbidden => Error::FORBIDDEN,
        TransitionError::InvalidState => Error::conflict("report_locked"),
    }
}

/// Saves what a report says (the host's), and submits it when asked. `Forbidden` for anyone but the host;
/// `Conflict` `report_locked` once sent, `reports_closed` for a progress report of a task no longer
/// under way, `report_period_not_begun` before its period; `Invalid` naming every field at fault (money
/// that is not a whole number of đồng, a percentage over 100, a required field missing at submission, more
/// state budget spent than was paid); `Stale` when someone saved it since the form was read. Nothing is
/// written when anything is refused.
pub async fn save_report(
    app: &App,
    session: &Session,
    id: i64,
    kind: &str,
    seq: i64,
    request: &SaveReport,
) -> Result<()> {
    let opened = open_report(app, session, id, kind, seq).await?;
    let kind = opened.due.kind;
    let action = if request.submit { ReportAction::Submit } else { ReportAction::Save };
    rules::transition(opened.contract.powers, opened.row.status(), action).map_err(refused)?;
    if kind == TaskReportKind::Progress && !opened.contract.state().open() {
        return Err(Error::conflict("reports_closed"));
    }
    if app.today() < opened.row.starts_on {
        return Err(Error::conflict("report_period_not_begun"));
    }
    let milestones: Vec<i64> = opened.milestones.iter().map(|m| m.seq).collect();
    let (body, issues) = rules::read(kind, &milestones, &request.inputs, request.submit);
    let mut errors: Vec<FieldError> = issues.into_iter().map(FieldError::from).collect();
    let spent = rules::spent_state(&body);
    let paid = opened.contract.contract.paid;
    if kind == TaskReportKind::Progress && opened.spent_before + spent > paid {
        errors.push(
            FieldError::new("spent_state", "reported_spending_beyond_paid")
                .arg("paid", tiendo_core::fmt::money(paid, tiendo_core::lang::Lang::Vi))
                .arg("before", tiendo_core::fmt::money(opened.spent_before, tiendo_core::lang::Lang::Vi)),
        );
    }
    crate::check(errors)?;
    let c = &opened.contract.contract;
    let tx = app.begin().await?;
    if !stored::save(&tx, opened.row.id, request.version, &body, request.submit, session.user_id(), app.now()).await? {
        drop(tx);
        let fresh = stored::get(app.db(), id, kind, seq).await?.ok_or(Error::NotFound)?;
        return Err(if fresh.status().is_editable() { Error::Stale } else { Error::conflict("report_locked") });
    }
    let (action_code, key) =
        if request.submit { ("submit", "audit-st-report-submitted") } else { ("update", "audit-st-report-saved") };
    let before = opened.row.body().unwrap_or_default();
    let changes = body
        .keys()
        .chain(before.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| before.get(*k) != body.get(*k))
        .map(|k| tiendo_db::audit::Change::new(k, before.get(k).cloned(), body.get(k).cloned()))
        .collect();
    let entry = Entry::new(action_code, ENTITY, id, key)
        .arg("title", &c.title)
        .named("kind", Value::Key(format!("st-report-kind-{}", kind.code())))
        .arg("seq", seq)
        .changes(changes);
    audit::record(app, &tx, session, entry).await?;
    if request.submit {
        let notice = Notice::new(
            Message::key("notify-st-report-submitted")
                .named("kind", &format!("st-report-kind-{}", kind.code()))
                .count("seq", seq),
            Message::text(&format!("{} – {}", c.number, c.title)),
        );
        let path = orgtree::path(app.db(), c.host_org_id).await?;
        for (user, _) in tiendo_db::reporting::reports::reviewers_of(&tx, &path).await? {
            crate::notifications::send(
                &tx,
                user,
                "st_report_submitted",
                &notice,
                Some(&link(id, kind, seq)),
                app.now(),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Returns a submitted report with a comment (`approve` false) or accepts it (the department's staff).
/// `Forbidden` for anyone else; `Conflict` `report_decided` when it is no longer waiting; `Invalid`
/// `comment` `required` for a return without one.
pub async fn decide_report(
    app: &App,
    session: &Session,
    id: i64,
    kind: &str,
    seq: i64,
    approve: bool,
    comment: &str,
) -> Result<()> {
    let opened = open_report(app, session, id, kind, seq).await?;
    let kind = opened.due.kind;
    let action = if approve { ReportAction::Approve } else { ReportAction::Return };
    let to = rules::transition(opened.contract.powers, opened.row.status(), action).map_err(|e| match e {
        TransitionError::Forbidden => Error::FORBIDDEN,
        TransitionError::InvalidState => Error::conflict("report_decided"),
    })?;
    let comment = tiendo_core::text::normalize_input(comment);
    if !approve && comment.is_empty() {
        return Err(Error::invalid("comment", "required"));
    }
    let comment = Some(comment.as_str()).filter(|c| !c.is_empty());
    let c = &opened.contract.contract;
    let tx = app.begin().await?;
    if !stored::decide(&tx, opened.row.id, to, comment, session.user_id(), app.now()).await? {
        return Err(Error::conflict("report_decided"));
    }
    let (code, key, notify) = if approve {
        ("approve", "audit-st-report-accepted", "notify-st-report-accepted")
    } else {
        ("return", "audit-st-report-returned", "notify-st-report-returned")
    };
    let entry = Entry::new(code, ENTITY, id, key)
        .arg("title", &c.title)
        .named("kind", Value::Key(format!("st-report-kind-{}", kind.code())))
        .arg("seq", seq)
        .change("status", opened.row.status().code(), to.code());
    audit::record(app, &tx, session, entry).await?;
    let body = match comment {
        Some(text) => Message::text(&format!("{} – {}\n{text}", c.number, c.title)),
        None => Message::text(&format!("{} – {}", c.number, c.title)),
    };
    let notice = Notice::new(
        Message::key(notify).named("kind", &format!("st-report-kind-{}", kind.code())).count("seq", seq),
        body,
    );
    let path = orgtree::path(app.db(), c.host_org_id).await?;
    for (user, _) in tiendo_db::notifications::report_senders_of(&tx, &path).await? {
        crate::notifications::send(&tx, user, "st_report_decided", &notice, Some(&link(id, kind, seq)), app.now())
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
