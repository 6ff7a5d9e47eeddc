//! The periodic reports of a task under contract (progress, application of the results): one row for each
//! report owed, written when the contract is signed or changed and when its results are recognised, then
//! filled by the host and decided by the department's staff; and the ledger of the reminders of a
//! contract's deadlines.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::reporting::ReportStatus;
use tiendo_core::sci_tech::task_report::{Body, DueReport, TaskReportKind};

use super::contracts::ContractScope;
use super::{from_json, to_json};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// A report owed by the host of a task under contract.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TaskReportRow {
    /// Row id.
    pub id: i64,
    /// The contract.
    pub contract_id: i64,
    /// `progress` or `application`.
    pub kind: String,
    /// Its number among the reports of its kind.
    pub seq: i64,
    /// First day covered.
    pub starts_on: NaiveDate,
    /// Last day covered.
    pub ends_on: NaiveDate,
    /// Due day.
    pub due_on: NaiveDate,
    /// `draft`, `submitted`, `returned`, `approved`.
    pub status: String,
    /// Bumped by every save (optimistic locking).
    pub version: i64,
    /// What it says (JSON).
    pub body: String,
    /// The state budget it says was spent.
    pub spent_state: i64,
    /// The staff's comment when they returned it.
    pub return_comment: Option<String>,
    /// First submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Returned or accepted.
    pub decided_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl TaskReportRow {
    /// Its kind.
    pub fn kind(&self) -> TaskReportKind {
        TaskReportKind::from_code(&self.kind).unwrap_or(TaskReportKind::Progress)
    }

    /// Where it stands.
    pub fn status(&self) -> ReportStatus {
        ReportStatus::from_code(&self.status).unwrap_or(ReportStatus::Draft)
    }

    /// What it says.
    pub fn body(&self) -> Result<Body, DbError> {
        from_json("st_task_reports.body", &self.body)
    }
}

const COLUMNS: &str = "id, contract_id, kind, seq, starts_on, ends_on, due_on, status, version, body, spent_state, \
                       return_comment, submitted_at, decided_at, is_sample";

/// The reports of a contract, by kind and number.
pub async fn of_contract(ex: &impl Exec, contract_id: i64) -> Result<Vec<TaskReportRow>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {COLUMNS} FROM st_task_reports WHERE contract_id = $1 ORDER BY kind DESC, seq"))
            .bind(contract_id),
    )
    .await
}

/// One report of a contract.
pub async fn get(
    ex: &impl Exec,
    contract_id: i64,
    kind: TaskReportKind,
    seq: i64,
) -> Result<Option<TaskReportRow>, DbError> {
    ex.fetch_optional(
        Query::new(format!("SELECT {COLUMNS} FROM st_task_reports WHERE contract_id = $1 AND kind = $2 AND seq = $3"))
            .bind(contract_id)
            .bind(kind.code())
            .bind(seq),
    )
    .await
}

/// Makes the reports of `kind` owed by a contract those of `due`: the missing ones are added as drafts, the
/// dates of those not sent follow the contract (a changed period, an extension), and those no longer owed
/// are removed while nothing was written in them. Reports sent keep their dates.
pub async fn sync_due(
    ex: &impl Exec,
    contract_id: i64,
    kind: TaskReportKind,
    due: &[DueReport],
    sample: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    for d in due.iter().filter(|d| d.kind == kind) {
        ex.execute(
            Query::new(
                "INSERT INTO st_task_reports (contract_id, kind, seq, starts_on, ends_on, due_on, status, body, \
                 is_sample, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', '{}', $7, $8, $8) \
                 ON CONFLICT (contract_id, kind, seq) DO UPDATE SET starts_on = excluded.starts_on, \
                 ends_on = excluded.ends_on, due_on = excluded.due_on \
                 WHERE st_task_reports.status IN ('draft', 'returned') AND st_task_reports.submitted_at IS NULL",
            )
            .bind(contract_id)
            .bind(kind.code())
            .bind(i64::from(d.seq))
            .bind(d.starts_on)
            .bind(d.ends_on)
            .bind(d.due_on)
            .bind(sample)
            .bind(now),
        )
        .await?;
    }
    let owed = i64::try_from(due.iter().filter(|d| d.kind == kind).count()).unwrap_or(i64::MAX);
    ex.execute(
        Query::new(
            "DELETE FROM st_task_reports WHERE contract_id = $1 AND kind = $2 AND seq > $3 AND status = 'draft' \
             AND version = 1",
        )
        .bind(contract_id)
        .bind(kind.code())
        .bind(owed),
    )
    .await?;
    Ok(())
}

/// Saves what a report says (a draft or a returned report, at `version`) with the state budget it declares
/// spent, submitting it when asked (the first submission's time is kept: lateness is judged on it). `false` when it was saved by someone else
/// since or is no longer editable: nothing written.
pub async fn save(
    ex: &impl Exec,
    id: i64,
    version: i64,
    body: &Body,
    submit: bool,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_task_reports SET body = $3, spent_state = $4, version = version + 1, updated_at = $5, \
                 status = CASE WHEN $6 THEN 'submitted' ELSE status END, \
                 submitted_at = CASE WHEN $6 THEN COALESCE(submitted_at, $5) ELSE submitted_at END, \
                 submitted_by = CASE WHEN $6 THEN $7 ELSE submitted_by END \
                 WHERE id = $1 AND version = $2 AND status IN ('draft', 'returned')",
            )
            .bind(id)
            .bind(version)
            .bind(to_json(body))
            .bind(tiendo_core::sci_tech::task_report::spent_state(body))
            .bind(now)
            .bind(submit)
            .bind(by),
        )
        .await?;
    Ok(n == 1)
}

/// Returns (with a comment) or accepts a submitted report. `false` when it is no longer submitted.
pub async fn decide(
    ex: &impl Exec,
    id: i64,
    to: ReportStatus,
    comment: Option<&str>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_task_reports SET status = $2, return_comment = $3, decided_by = $4, decided_at = $5, \
                 updated_at = $5, version = version + 1 WHERE id = $1 AND status = 'submitted'",
            )
            .bind(id)
            .bind(to.code())
            .bind(comment.map(str::to_owned))
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(n == 1)
}

/// A report not sent whose contract may still need it: for the reminders, the work page and the portfolio.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OwedReport {
    /// The contract.
    pub contract_id: i64,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The host organisation.
    pub host_org_id: i64,
    /// `progress` or `application`.
    pub kind: String,
    /// The report's number.
    pub seq: i64,
    /// Its due day.
    pub due_on: NaiveDate,
    /// `draft` or `returned`.
    pub status: String,
}

/// The reports not sent, due on or before `due_by`, of contracts that still owe them (progress reports of
/// contracts under way, application reports of accepted or closed ones) in `scope`, earliest first, at most
/// `limit`.
pub async fn owed(
    ex: &impl Exec,
    due_by: NaiveDate,
    scope: &ContractScope,
    limit: i64,
) -> Result<Vec<OwedReport>, DbError> {
    let mut q = Query::new(
        "SELECT r.contract_id, c.number, c.title, c.host_org_id, r.kind, r.seq, r.due_on, r.status \
         FROM st_task_reports r JOIN st_contracts c ON c.id = r.contract_id \
         WHERE r.status IN ('draft', 'returned') AND ((r.kind = 'progress' AND c.state = 'under_way') \
         OR (r.kind = 'application' AND c.state IN ('accepted', 'closed'))) AND r.due_on <= ",
    );
    q.push_bind(due_by);
    scope.push(&mut q);
    q.push(" ORDER BY r.due_on, r.contract_id, r.seq LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}

/// A submitted report waiting for the department's decision.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SubmittedReport {
    /// The contract.
    pub contract_id: i64,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// `progress` or `application`.
    pub kind: String,
    /// The report's number.
    pub seq: i64,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The submitted reports waiting for a decision, oldest first, at most `limit`.
pub async fn submitted(ex: &impl Exec, limit: i64) -> Result<Vec<SubmittedReport>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT r.contract_id, c.number, c.title, r.kind, r.seq, r.submitted_at FROM st_task_reports r \
             JOIN st_contracts c ON c.id = r.contract_id WHERE r.status = 'submitted' \
             ORDER BY r.submitted_at, r.id LIMIT $1",
        )
        .bind(limit),
    )
    .await
}

/// How many reports each contract of `ids` has overdue on `today` (not sent, due before it): (contract,
/// count).
pub async fn overdue_counts(ex: &impl Exec, ids: &[i64], today: NaiveDate) -> Result<Vec<(i64, i64)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT contract_id, COUNT(*) FROM st_task_reports WHERE kind = 'progress' \
         AND status IN ('draft', 'returned') AND due_on < ",
    );
    q.push_bind(today).push(" AND contract_id IN (");
    push_ids(&mut q, ids);
    q.push(") GROUP BY contract_id");
    ex.fetch_all(q).await
}

/// Records that a reminder of a contract's deadline was sent; `false` when it already was (by this or
/// another run or instance).
pub async fn claim_reminder(
    ex: &impl Exec,
    contract_id: i64,
    item: &str,
    due_on: NaiveDate,
    kind: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "INSERT INTO st_contract_reminders_sent (contract_id, item, due_on, kind, sent_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contract_id, item, due_on, kind) DO NOTHING",
            )
            .bind(contract_id)
            .bind(item.to_owned())
            .bind(due_on)
            .bind(kind.to_owned())
            .bind(now),
        )
        .await?;
    Ok(n == 1)
}

/// The reminders sent for a contract: (item, due day, kind, when), latest first.
pub async fn reminders_of(
    ex: &impl Exec,
    contract_id: i64,
) -> Result<Vec<(String, NaiveDate, String, DateTime<Utc>)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT item, due_on, kind, sent_at FROM st_contract_reminders_sent WHERE contract_id = $1 \
             ORDER BY sent_at DESC, item",
        )
        .bind(contract_id),
    )
    .await
}
