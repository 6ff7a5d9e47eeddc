//! The background job queue: rows in `jobs`, claimed atomically, retried with back-off, dead-lettered.
//!
//! The runner that executes jobs lives in the binary; this module is only storage. Jobs must be
//! idempotent: a job whose worker died is claimed again once its lease expires.

use chrono::{DateTime, Utc};

use crate::dialect;
use crate::error::DbError;
use crate::pool::Db;
use crate::query::{Exec, Query};

/// Names of job kinds enqueued by code that does not register them (the web layer enqueues, the
/// binary runs).
pub mod kinds {
    /// Send one e-mail: payload [`super::EmailPayload`].
    pub const SEND_EMAIL: &str = "send_email";
    /// Recompute the aggregates of approved reports on today's map (after a map change): payload `{}`.
    pub const REBUILD_REPORT_AGGREGATES: &str = "rebuild_report_aggregates";
}

/// The payload of a [`kinds::SEND_EMAIL`] job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmailPayload {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Replaces a finished job's payload with `{}`, for payloads that carry secrets (a password link).
pub async fn scrub_payload(ex: &impl Exec, id: i64) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE jobs SET payload = '{}' WHERE id = $1 AND status IN ('done', 'dead')").bind(id))
        .await?;
    Ok(())
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The registered name of the job type (`purge_finished_jobs`, `send_email`, …).
    pub kind: String,
    /// Its arguments, as JSON.
    pub payload: serde_json::Value,
    /// While a job of the same kind with this key is queued, enqueueing another is a no-op.
    pub dedup_key: Option<String>,
    /// Higher runs first.
    pub priority: i64,
    /// Attempts before the job is dead-lettered.
    pub max_attempts: i64,
    /// Not before this instant.
    pub run_at: DateTime<Utc>,
}

impl NewJob {
    /// A job of `kind` with `payload`, to run now, with five attempts.
    pub fn new(kind: impl Into<String>, payload: serde_json::Value) -> NewJob {
        NewJob { kind: kind.into(), payload, dedup_key: None, priority: 0, max_attempts: 5, run_at: Utc::now() }
    }

    /// Sets the deduplication key.
    #[must_use]
    pub fn dedup(mut self, key: impl Into<String>) -> NewJob {
        self.dedup_key = Some(key.into());
        self
    }

    /// Sets the earliest run time.
    #[must_use]
    pub fn at(mut self, run_at: DateTime<Utc>) -> NewJob {
        self.run_at = run_at;
        self
    }

    /// Sets the number of attempts before dead-lettering.
    #[must_use]
    pub fn max_attempts(mut self, n: i64) -> NewJob {
        self.max_attempts = n.max(1);
        self
    }
}

/// A job claimed by a worker.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ClaimedJob {
    /// Row id.
    pub id: i64,
    /// Registered name of the job type.
    pub kind: String,
    /// Arguments as JSON text.
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
}

/// The state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Waiting for its run time or a worker.
    Queued,
    /// Claimed by a worker.
    Running,
    /// Finished successfully.
    Done,
    /// Failed every attempt; kept for an operator to read.
    Dead,
}

impl JobStatus {
    fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
        }
    }
}

/// A job row as shown to an operator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    /// Row id.
    pub id: i64,
    /// Registered name of the job type.
    pub kind: String,
    /// `queued`, `running`, `done` or `dead`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// Not before this instant.
    pub run_at: DateTime<Utc>,
    /// The error of the last failed attempt.
    pub last_error: Option<String>,
}

/// Enqueues a job; returns its id, or `None` when an identical queued job (same kind and dedup key)
/// already exists.
pub async fn enqueue(ex: &impl Exec, job: &NewJob) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::new(
                "INSERT INTO jobs (kind, payload, dedup_key, status, priority, attempts, max_attempts, run_at, created_at) \
                 VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $7) \
                 ON CONFLICT (kind, dedup_key) WHERE status = 'queued' DO NOTHING RETURNING id",
            )
            .bind(job.kind.as_str())
            .bind(job.payload.to_string())
            .bind(job.dedup_key.clone())
            .bind(job.priority)
            .bind(job.max_attempts)
            .bind(job.run_at)
            .bind(Utc::now()),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Claims the next due job for `worker`, holding it until `lease_until`. Two workers never claim the same
/// job; a job whose lease expired (its worker died) is claimed again.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<ClaimedJob>, DbError> {
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, lease_until = $3 \
         WHERE id = ({}) RETURNING id, kind, payload, attempts, max_attempts",
        dialect::next_job_subselect(db.backend())
    );
    db.fetch_optional(Query::new(sql).bind(now).bind(worker).bind(lease_until)).await
}

/// Marks a claimed job done. Returns false when the worker had lost the job (its lease expired and
/// another worker took it).
pub async fn complete(db: &Db, job: &ClaimedJob, worker: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = db
        .execute(
            Query::new(
                "UPDATE jobs SET status = 'done', finished_at = $1, lease_until = NULL, last_error = NULL \
                 WHERE id = $2 AND locked_by = $3 AND attempts = $4 AND status = 'running'",
            )
            .bind(now)
            .bind(job.id)
            .bind(worker)
            .bind(job.attempts),
        )
        .await?;
    Ok(n == 1)
}

/// Records a failed attempt: the job is queued again at `retry_at`, or dead-lettered when `retry_at` is
/// `None`.
pub async fn fail(
    db: &Db,
    job: &ClaimedJob,
    worker: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut q = Query::new("UPDATE jobs SET lease_until = NULL, last_error = ");
    q.push_bind(error.chars().take(4000).collect::<String>());
    match retry_at {
        Some(at) => {
            q.push(", status = 'queued', run_at = ").push_bind(at);
        }
        None => {
            q.push(", status = 'dead', finished_at = ").push_bind(now);
        }
    }
    q.push(" WHERE id = ").push_bind(job.id);
    q.push(" AND locked_by = ").push_bind(worker);
    q.push(" AND attempts = ").push_bind(job.attempts);
    q.push(" AND status = 'running'");
    Ok(db.execute(q).await? == 1)
}

/// Enqueues the job of a recurring schedule for one time slot, once across every instance: returns the
/// job id when this call did it, `None` when the slot was already taken.
pub async fn enqueue_scheduled(
    db: &Db,
    schedule: &str,
    slot: DateTime<Utc>,
    job: &NewJob,
) -> Result<Option<i64>, DbError> {
    let tx = db.begin().await?;
    let inserted = tx
        .execute(
            Query::new("INSERT INTO schedule_runs (name, slot) VALUES ($1, $2) ON CONFLICT (name, slot) DO NOTHING")
                .bind(schedule)
                .bind(slot),
        )
        .await?;
    if inserted == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let id = enqueue(&tx, job).await?;
    tx.execute(
        Query::new("UPDATE schedule_runs SET job_id = $1 WHERE name = $2 AND slot = $3")
            .bind(id)
            .bind(schedule)
            .bind(slot),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Jobs in a state, newest first, at most `limit`.
pub async fn list(db: &Db, status: JobStatus, limit: i64) -> Result<Vec<JobRow>, DbError> {
    db.fetch_all(
        Query::new(
            "SELECT id, kind, status, attempts, run_at, last_error FROM jobs WHERE status = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(status.as_str())
        .bind(limit),
    )
    .await
}

/// The jobs that failed: dead-lettered ones, and queued ones waiting to be retried after a failed
/// attempt, the latest first, at most `limit`.
pub async fn troubled(db: &Db, limit: i64) -> Result<Vec<JobRow>, DbError> {
    db.fetch_all(
        Query::new(
            "SELECT id, kind, status, attempts, run_at, last_error FROM jobs \
             WHERE status = 'dead' OR (status = 'queued' AND attempts > 0) ORDER BY id DESC LIMIT $1",
        )
        .bind(limit),
    )
    .await
}

/// Reads one job.
pub async fn get(db: &Db, id: i64) -> Result<Option<JobRow>, DbError> {
    db.fetch_optional(
        Query::new("SELECT id, kind, status, attempts, run_at, last_error FROM jobs WHERE id = $1").bind(id),
    )
    .await
}

/// Deletes finished (done) jobs and schedule records older than `before`; dead jobs are kept for
/// operators. Returns the number of jobs deleted.
pub async fn purge_finished(db: &Db, before: DateTime<Utc>) -> Result<u64, DbError> {
    let n = db.execute(Query::new("DELETE FROM jobs WHERE status = 'done' AND finished_at < $1").bind(before)).await?;
    db.execute(Query::new("DELETE FROM schedule_runs WHERE slot < $1").bind(before)).await?;
    Ok(n)
}
