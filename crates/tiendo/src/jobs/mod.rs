//! The background job runner: workers claim jobs from the queue in the database, run the registered
//! handler, and record success, a retry with exponential back-off, or the dead-letter state. A scheduler
//! enqueues recurring jobs once per time slot across every instance.
//!
//! Jobs must be idempotent: a job whose worker died is run again once its lease expires.

mod builtin;
mod certificates;
mod contracts;
mod digest;
mod escalation;
mod portal;
mod reminders;
mod report_reminders;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, Duration as ChronoDuration, NaiveTime, TimeZone, Utc, Weekday};
use serde::de::DeserializeOwned;
use tiendo_db::Db;
use tiendo_db::jobs::{self as queue, ClaimedJob, NewJob};
use tokio::sync::watch;

pub use builtin::{PurgeFinishedJobs, PurgeSessions, SendEmail};
pub use certificates::CertificateClockReminders;
pub use contracts::ContractDeadlines;
pub use digest::WeeklyDigest;
pub use escalation::DirectiveEscalation;
pub use portal::PublishScheduled;
pub use reminders::{AsOf, DeadlineReminders};
pub use report_reminders::{RebuildReportAggregates, ReportReminders};

/// What a job handler gets to work with.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// The application: jobs that change records call its use cases.
    pub app: tiendo_app::App,
    /// The database (the application's).
    pub db: Db,
    /// The SMTP sender, when configured.
    pub mailer: Option<crate::mail::Mailer>,
}

impl JobContext {
    /// The context of jobs run for `app`.
    pub fn new(app: tiendo_app::App, mailer: Option<crate::mail::Mailer>) -> JobContext {
        JobContext { db: app.db().clone(), app, mailer }
    }
}

/// A kind of job: a name, a payload type and what to do.
pub trait Job: Send + Sync + 'static {
    /// The registered name, stored in the queue.
    const NAME: &'static str;
    /// The arguments.
    type Payload: DeserializeOwned + Send;
    /// Whether the payload carries a secret, to be erased once the job has finished.
    const SENSITIVE: bool = false;
    /// Runs the job. An error makes the attempt fail (and the job retried or dead-lettered).
    fn run(&self, ctx: &JobContext, payload: Self::Payload) -> impl Future<Output = anyhow::Result<()>> + Send;
}

type BoxFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

trait ErasedJob: Send + Sync {
    fn run<'a>(&'a self, ctx: &'a JobContext, payload: &'a str) -> BoxFuture<'a>;
    fn sensitive(&self) -> bool;
}

impl<J: Job> ErasedJob for J {
    fn sensitive(&self) -> bool {
        J::SENSITIVE
    }

    fn run<'a>(&'a self, ctx: &'a JobContext, payload: &'a str) -> BoxFuture<'a> {
        Box::pin(async move {
            let payload: J::Payload =
                serde_json::from_str(payload).map_err(|e| anyhow::anyhow!("invalid payload for {}: {e}", J::NAME))?;
            Job::run(self, ctx, payload).await
        })
    }
}

/// The job kinds a runner knows.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Arc<dyn ErasedJob>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.handlers.keys()).finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers a job kind.
    #[must_use]
    pub fn with<J: Job>(mut self, job: J) -> Registry {
        self.handlers.insert(J::NAME, Arc::new(job));
        self
    }
}

/// Every job kind of the application, with the settings they take from the configuration.
pub fn registry(config: &crate::config::Config) -> Registry {
    Registry::new()
        .with(PurgeFinishedJobs)
        .with(PurgeSessions)
        .with(SendEmail)
        .with(DeadlineReminders { days_before: config.reminder_days_before, public_url: config.public_url.clone() })
        .with(WeeklyDigest { public_url: config.public_url.clone() })
        .with(DirectiveEscalation { days_after: config.directive_escalation_days })
        .with(CertificateClockReminders { public_url: config.public_url.clone() })
        .with(ContractDeadlines {
            days_before: config.reminder_days_before,
            escalate_after: config.directive_escalation_days,
            public_url: config.public_url.clone(),
        })
        .with(PublishScheduled)
        .with(ReportReminders { days_before: config.reminder_days_before, public_url: config.public_url.clone() })
        .with(RebuildReportAggregates)
}

impl Registry {
    /// Whether a job kind is registered.
    pub fn knows(&self, kind: &str) -> bool {
        self.handlers.contains_key(kind)
    }
}

/// How long a claimed job may run before another worker may take it over.
const LEASE: ChronoDuration = ChronoDuration::minutes(10);

/// The delay before retry number `attempt` (1-based): 10 s, 20 s, 40 s, … capped at one hour.
pub fn backoff(attempt: i64) -> ChronoDuration {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let secs = 10_i64.saturating_mul(1_i64 << exponent);
    ChronoDuration::seconds(secs.min(3600))
}

/// The outcome of running one job, for tests and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The job succeeded.
    Done,
    /// The attempt failed; the job will be retried.
    Retry,
    /// The attempt failed and no attempt is left (or the kind is unknown).
    Dead,
    /// The worker lost the job (its lease expired) before it finished.
    Lost,
}

/// Runs jobs.
#[derive(Clone, Debug)]
pub struct Runner {
    ctx: JobContext,
    registry: Registry,
}

impl Runner {
    /// A runner over a context and a registry.
    pub fn new(ctx: JobContext, registry: Registry) -> Runner {
        Runner { ctx, registry }
    }

    /// Claims and runs one due job; `None` when nothing is due.
    pub async fn run_one(&self, worker: &str) -> anyhow::Result<Option<(ClaimedJob, Outcome)>> {
        let now = Utc::now();
        let Some(job) = queue::claim(&self.ctx.db, worker, now, now + LEASE).await? else {
            return Ok(None);
        };
        let outcome = self.execute(worker, &job).await?;
        Ok(Some((job, outcome)))
    }

    async fn execute(&self, worker: &str, job: &ClaimedJob) -> anyhow::Result<Outcome> {
        let Some(handler) = self.registry.handlers.get(job.kind.as_str()).cloned() else {
            let message = format!("no handler is registered for job kind {:?}", job.kind);
            tracing::error!(job_id = job.id, kind = %job.kind, "{message}");
            queue::fail(&self.ctx.db, job, worker, &message, None, Utc::now()).await?;
            return Ok(Outcome::Dead);
        };
        let started = std::time::Instant::now();
        let timeout = LEASE.to_std().unwrap_or(Duration::from_secs(600));
        // The handler runs as a task of its own, so that a panic in it fails this attempt (retried, then
        // dead-lettered, with the panic's message) instead of taking the worker down with the job claimed.
        let (ctx, payload, running) = (self.ctx.clone(), job.payload.clone(), Arc::clone(&handler));
        let mut attempt = tokio::spawn(async move { running.run(&ctx, &payload).await });
        let result = match tokio::time::timeout(timeout, &mut attempt).await {
            Ok(Ok(result)) => result,
            Ok(Err(joined)) if joined.is_panic() => {
                let panic = joined.into_panic();
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)");
                tracing::error!(job_id = job.id, kind = %job.kind, panic = %message, "the job's handler panicked");
                Err(anyhow::anyhow!("the job's handler panicked: {message}"))
            }
            Ok(Err(joined)) => Err(anyhow::anyhow!("the job's task ended: {joined}")),
            Err(_) => {
                attempt.abort();
                Err(anyhow::anyhow!("the job did not finish within its lease"))
            }
        };
        let now = Utc::now();
        let outcome = match result {
            Ok(()) => {
                tracing::info!(job_id = job.id, kind = %job.kind, elapsed_ms = started.elapsed().as_millis() as u64, "job done");
                metrics_count(&job.kind, "done");
                if queue::complete(&self.ctx.db, job, worker, now).await? { Outcome::Done } else { Outcome::Lost }
            }
            Err(err) => {
                let message = format!("{err:#}");
                let retry_at = (job.attempts < job.max_attempts).then(|| now + backoff(job.attempts));
                tracing::warn!(job_id = job.id, kind = %job.kind, attempt = job.attempts, error = %message, retry = retry_at.is_some(), "job failed");
                metrics_count(&job.kind, if retry_at.is_some() { "retry" } else { "dead" });
                let kept = queue::fail(&self.ctx.db, job, worker, &message, retry_at, now).await?;
                match (kept, retry_at) {
                    (false, _) => Outcome::Lost,
                    (true, Some(_)) => Outcome::Retry,
                    (true, None) => Outcome::Dead,
                }
            }
        };
        if handler.sensitive() && matches!(outcome, Outcome::Done | Outcome::Dead) {
            queue::scrub_payload(&self.ctx.db, job.id).await?;
        }
        Ok(outcome)
    }

    /// The worker loop: runs due jobs, sleeps a second when there is none, stops when `stop` turns true.
    pub async fn work(self, worker: String, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            let idle = match self.run_one(&worker).await {
                Ok(Some(_)) => false,
                Ok(None) => true,
                Err(err) => {
                    tracing::warn!(error = %format!("{err:#}"), "the job queue is unavailable");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}

fn metrics_count(kind: &str, outcome: &'static str) {
    metrics::counter!("jobs_total", "kind" => kind.to_owned(), "outcome" => outcome).increment(1);
}

/// When a recurring job runs.
#[derive(Debug, Clone, Copy)]
pub enum Every {
    /// Every day at this local time (Asia/Ho_Chi_Minh).
    DayAt(NaiveTime),
    /// Every week on this day at this local time (Asia/Ho_Chi_Minh).
    WeekdayAt(Weekday, NaiveTime),
    /// Every interval, aligned on the Unix epoch.
    Interval(ChronoDuration),
}

/// A recurring job.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// A stable name for the ledger.
    pub name: &'static str,
    /// When it runs.
    pub every: Every,
    /// The job to enqueue.
    pub job: fn() -> NewJob,
}

impl Schedule {
    /// The latest slot at or before `now`.
    pub fn slot(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.every {
            Every::Interval(d) => {
                let step = d.num_seconds().max(1);
                let t = now.timestamp().div_euclid(step) * step;
                Utc.timestamp_opt(t, 0).single().unwrap_or(now)
            }
            Every::DayAt(time) => {
                let offset = tiendo_core::time::vietnam_offset();
                let today = tiendo_core::time::vietnam_date(now).and_time(time);
                let at = offset.from_local_datetime(&today).single().map(|d| d.with_timezone(&Utc)).unwrap_or(now);
                if at <= now { at } else { at - ChronoDuration::days(1) }
            }
            Every::WeekdayAt(weekday, time) => {
                let offset = tiendo_core::time::vietnam_offset();
                let local = tiendo_core::time::vietnam_date(now);
                let back = (7 + local.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
                let day = (local - ChronoDuration::days(i64::from(back))).and_time(time);
                let at = offset.from_local_datetime(&day).single().map(|d| d.with_timezone(&Utc)).unwrap_or(now);
                if at <= now { at } else { at - ChronoDuration::days(7) }
            }
        }
    }
}

/// The recurring jobs of the application.
pub fn schedules() -> Vec<Schedule> {
    vec![
        Schedule {
            name: "purge_finished_jobs",
            every: Every::DayAt(NaiveTime::from_hms_opt(2, 0, 0).expect("a valid time")),
            job: || NewJob::new(PurgeFinishedJobs::NAME, serde_json::json!({ "older_than_days": 30 })),
        },
        Schedule {
            name: "purge_sessions",
            every: Every::Interval(ChronoDuration::hours(1)),
            job: || NewJob::new(PurgeSessions::NAME, serde_json::json!({ "idle_hours": 24 })),
        },
        Schedule {
            name: "deadline_reminders",
            every: Every::DayAt(NaiveTime::from_hms_opt(7, 0, 0).expect("a valid time")),
            job: || NewJob::new(DeadlineReminders::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "report_reminders",
            every: Every::DayAt(NaiveTime::from_hms_opt(7, 15, 0).expect("a valid time")),
            job: || NewJob::new(ReportReminders::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "directive_escalation",
            every: Every::DayAt(NaiveTime::from_hms_opt(7, 20, 0).expect("a valid time")),
            job: || NewJob::new(DirectiveEscalation::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "certificate_clock_reminders",
            every: Every::DayAt(NaiveTime::from_hms_opt(7, 25, 0).expect("a valid time")),
            job: || NewJob::new(CertificateClockReminders::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "contract_deadlines",
            every: Every::DayAt(NaiveTime::from_hms_opt(7, 27, 0).expect("a valid time")),
            job: || NewJob::new(ContractDeadlines::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "weekly_digest",
            every: Every::WeekdayAt(Weekday::Mon, NaiveTime::from_hms_opt(7, 30, 0).expect("a valid time")),
            job: || NewJob::new(WeeklyDigest::NAME, serde_json::json!({})),
        },
        Schedule {
            name: "publish_scheduled",
            every: Every::Interval(ChronoDuration::minutes(1)),
            job: || NewJob::new(PublishScheduled::NAME, serde_json::json!({})),
        },
    ]
}

/// Enqueues the current slot of every schedule not yet enqueued by any instance.
pub async fn enqueue_due(db: &Db, schedules: &[Schedule], now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut enqueued = 0;
    for schedule in schedules {
        let slot = schedule.slot(now);
        if queue::enqueue_scheduled(db, schedule.name, slot, &(schedule.job)().at(slot)).await?.is_some() {
            enqueued += 1;
        }
    }
    Ok(enqueued)
}

/// The scheduler loop: checks the schedules every 30 seconds until `stop`.
pub async fn schedule(db: Db, schedules: Vec<Schedule>, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(err) = enqueue_due(&db, &schedules, Utc::now()).await {
            tracing::warn!(error = %format!("{err:#}"), "could not enqueue scheduled jobs");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), ChronoDuration::seconds(10));
        assert_eq!(backoff(2), ChronoDuration::seconds(20));
        assert_eq!(backoff(4), ChronoDuration::seconds(80));
        assert_eq!(backoff(30), ChronoDuration::seconds(3600));
    }

    #[test]
    fn a_daily_slot_is_the_last_occurrence_in_vietnam_time() {
        let s = Schedule {
            name: "x",
            every: Every::DayAt(NaiveTime::from_hms_opt(2, 0, 0).unwrap()),
            job: || NewJob::new("x", serde_json::json!({})),
        };
        // 18:30 UTC on 1 March is 01:30 on 2 March in Vietnam: the last 02:00 was on 1 March (19:00 UTC 28 Feb).
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 18, 30, 0).unwrap();
        assert_eq!(s.slot(now), Utc.with_ymd_and_hms(2026, 2, 28, 19, 0, 0).unwrap());
        let later = Utc.with_ymd_and_hms(2026, 3, 1, 19, 0, 0).unwrap();
        assert_eq!(s.slot(later), later);
    }

    #[test]
    fn a_weekly_slot_is_the_last_such_weekday_in_vietnam_time() {
        let s = Schedule {
            name: "x",
            every: Every::WeekdayAt(Weekday::Mon, NaiveTime::from_hms_opt(7, 30, 0).unwrap()),
            job: || NewJob::new("x", serde_json::json!({})),
        };
        // Monday 2 March 2026, 07:30 in Vietnam is 00:30 UTC.
        let monday = Utc.with_ymd_and_hms(2026, 3, 2, 0, 30, 0).unwrap();
        assert_eq!(s.slot(monday), monday);
        assert_eq!(s.slot(monday + ChronoDuration::days(6)), monday, "the next Sunday");
        assert_eq!(s.slot(monday - ChronoDuration::minutes(1)), monday - ChronoDuration::days(7));
        // Sunday 23:00 UTC is already Monday 06:00 in Vietnam, before the time: still last week's.
        let sunday_night = Utc.with_ymd_and_hms(2026, 3, 8, 23, 0, 0).unwrap();
        assert_eq!(s.slot(sunday_night), monday);
        assert_eq!(s.slot(monday + ChronoDuration::days(7)), monday + ChronoDuration::days(7));
    }

    #[test]
    fn every_scheduled_job_has_a_handler() {
        let registry = registry(&crate::config::Config::default());
        for schedule in schedules() {
            let kind = (schedule.job)().kind;
            assert!(registry.knows(&kind), "{} enqueues {kind}, which no handler runs", schedule.name);
        }
    }

    #[test]
    fn an_interval_slot_is_aligned() {
        let s = Schedule {
            name: "x",
            every: Every::Interval(ChronoDuration::minutes(15)),
            job: || NewJob::new("x", serde_json::json!({})),
        };
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 10, 22, 31).unwrap();
        assert_eq!(s.slot(now), Utc.with_ymd_and_hms(2026, 3, 1, 10, 15, 0).unwrap());
    }
}
