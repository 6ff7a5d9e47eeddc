use chrono::{Duration, TimeZone, Utc};
use serde::Deserialize;
use serde_json::json;
use tiendo::jobs::{Job, JobContext, Outcome, PurgeFinishedJobs, Registry, Runner, enqueue_due, schedules};
use tiendo_db::jobs::{self as queue, JobStatus, NewJob};
use tiendo_db::testing::TestDb;
use tiendo_db::{Exec, Query};

/// A job that fails until its payload's `succeed_on` attempt, recording each run in `settings`.
struct Flaky;

#[derive(Deserialize)]
struct FlakyPayload {
    succeed_on: i64,
    tag: i64,
}

impl Job for Flaky {
    const NAME: &'static str = "flaky";
    type Payload = FlakyPayload;

    async fn run(&self, ctx: &JobContext, payload: FlakyPayload) -> anyhow::Result<()> {
        let prefix = format!("flaky-run-{}-", payload.tag);
        let (runs,): (i64,) = ctx
            .db
            .fetch_one(Query::new("SELECT COUNT(*) FROM settings WHERE key LIKE $1").bind(format!("{prefix}%")))
            .await?;
        ctx.db
            .execute(
                Query::new("INSERT INTO settings (key, value, updated_at) VALUES ($1, 'x', $2)")
                    .bind(format!("{prefix}{runs}"))
                    .bind(Utc::now()),
            )
            .await?;
        if runs + 1 >= payload.succeed_on { Ok(()) } else { anyhow::bail!("not yet (run {})", runs + 1) }
    }
}

/// A job whose handler panics (a bug in a handler must not take its worker down).
struct Panicky;

impl Job for Panicky {
    const NAME: &'static str = "panicky";
    type Payload = serde_json::Value;

    async fn run(&self, _ctx: &JobContext, payload: serde_json::Value) -> anyhow::Result<()> {
        let index = payload["index"].as_u64().unwrap_or(0) as usize;
        let nothing: Vec<u8> = Vec::new();
        let _ = nothing[index];
        Ok(())
    }
}

fn runner(t: &TestDb) -> Runner {
    Runner::new(crate::job_context(t.db(), None), Registry::new().with(PurgeFinishedJobs).with(Flaky).with(Panicky))
}

/// Makes every queued job due now, to skip the back-off in tests.
async fn make_due(t: &TestDb) {
    t.db()
        .execute(
            Query::new("UPDATE jobs SET run_at = $1 WHERE status = 'queued'").bind(Utc::now() - Duration::seconds(1)),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_purge_job_deletes_old_finished_jobs() {
    let t = TestDb::new().await;
    let old = Utc::now() - Duration::days(40);
    t.db()
        .execute(
            Query::new(
                "INSERT INTO jobs (kind, payload, status, max_attempts, run_at, created_at, finished_at) \
                 VALUES ('x', '{}', 'done', 1, $1, $1, $1), ('x', '{}', 'done', 1, $2, $2, $2), ('x', '{}', 'dead', 1, $1, $1, $1)",
            )
            .bind(old)
            .bind(Utc::now()),
        )
        .await
        .unwrap();
    queue::enqueue(t.db(), &NewJob::new(PurgeFinishedJobs::NAME, json!({"older_than_days": 30}))).await.unwrap();
    let (_, outcome) = runner(&t).run_one("w").await.unwrap().unwrap();
    assert_eq!(outcome, Outcome::Done);
    let (left,): (i64,) = t.db().fetch_one(Query::new("SELECT COUNT(*) FROM jobs WHERE kind = 'x'")).await.unwrap();
    assert_eq!(left, 2, "the recent done job and the dead job remain");
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_until_it_succeeds() {
    let t = TestDb::new().await;
    let id = queue::enqueue(t.db(), &NewJob::new("flaky", json!({"succeed_on": 3, "tag": 1}))).await.unwrap().unwrap();
    let r = runner(&t);
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Retry);
    // Back-off: not due yet.
    assert!(r.run_one("w").await.unwrap().is_none());
    let row = queue::get(t.db(), id).await.unwrap().unwrap();
    assert!(row.run_at > Utc::now() + Duration::seconds(5), "retry scheduled after a back-off");
    make_due(&t).await;
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Retry);
    make_due(&t).await;
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Done);
    assert_eq!(queue::get(t.db(), id).await.unwrap().unwrap().status, "done");
}

#[tokio::test]
async fn a_job_that_always_fails_ends_in_the_dead_letter_state() {
    let t = TestDb::new().await;
    queue::enqueue(t.db(), &NewJob::new("flaky", json!({"succeed_on": 99, "tag": 1})).max_attempts(2)).await.unwrap();
    let r = runner(&t);
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Retry);
    make_due(&t).await;
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Dead);
    let dead = queue::list(t.db(), JobStatus::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0].last_error.as_deref().unwrap().contains("not yet (run 2)"));
}

#[tokio::test]
async fn a_job_that_panics_is_retried_with_backoff_then_dead_lettered_and_the_worker_goes_on() {
    let t = TestDb::new().await;
    let id =
        queue::enqueue(t.db(), &NewJob::new("panicky", json!({"index": 3})).max_attempts(2)).await.unwrap().unwrap();
    let r = runner(&t);
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Retry);
    let row = queue::get(t.db(), id).await.unwrap().unwrap();
    assert_eq!(row.status, "queued");
    assert!(row.run_at > Utc::now() + Duration::seconds(5), "retried after a back-off");
    assert!(row.last_error.as_deref().unwrap_or_default().contains("panicked"), "{:?}", row.last_error);
    make_due(&t).await;
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Dead);
    // The same runner still runs the next job.
    queue::enqueue(t.db(), &NewJob::new("flaky", json!({"succeed_on": 1, "tag": 9}))).await.unwrap();
    assert_eq!(r.run_one("w").await.unwrap().unwrap().1, Outcome::Done);
    let dead = queue::list(t.db(), JobStatus::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0].last_error.as_deref().unwrap().contains("index out of bounds"), "{:?}", dead[0].last_error);
}

#[tokio::test]
async fn a_job_of_an_unknown_kind_is_dead_lettered_at_once() {
    let t = TestDb::new().await;
    queue::enqueue(t.db(), &NewJob::new("no_such_kind", json!({}))).await.unwrap();
    assert_eq!(runner(&t).run_one("w").await.unwrap().unwrap().1, Outcome::Dead);
    let dead = queue::list(t.db(), JobStatus::Dead, 10).await.unwrap();
    assert!(dead[0].last_error.as_deref().unwrap().contains("no handler"));
}

#[tokio::test]
async fn two_runners_process_every_job_exactly_once() {
    let t = TestDb::new().await;
    for tag in 0..20 {
        queue::enqueue(t.db(), &NewJob::new("flaky", json!({"succeed_on": 0, "tag": tag}))).await.unwrap();
    }
    let mut handles = Vec::new();
    for w in 0..2 {
        let r = runner(&t);
        handles.push(tokio::spawn(async move {
            let mut n = 0;
            while let Some((_, outcome)) = r.run_one(&format!("w{w}")).await.unwrap() {
                assert_eq!(outcome, Outcome::Done);
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.unwrap();
    }
    // A runner may stop early on PostgreSQL when the other holds the last rows; finish the rest.
    while runner(&t).run_one("late").await.unwrap().is_some() {
        total += 1;
    }
    assert_eq!(total, 20);
    let (runs,): (i64,) =
        t.db().fetch_one(Query::new("SELECT COUNT(*) FROM settings WHERE key LIKE 'flaky-run-%'")).await.unwrap();
    assert_eq!(runs, 20, "each job ran once");
}

#[tokio::test]
async fn the_scheduler_enqueues_each_slot_once() {
    let t = TestDb::new().await;
    // Wednesday 11 March 2026, 10:00 in Vietnam.
    let now = Utc.with_ymd_and_hms(2026, 3, 11, 3, 0, 0).unwrap();
    let all = schedules();
    let weekly = 1;
    assert_eq!(enqueue_due(t.db(), &all, now).await.unwrap(), all.len());
    assert_eq!(enqueue_due(t.db(), &all, now).await.unwrap(), 0);
    assert_eq!(enqueue_due(t.db(), &all, now + Duration::days(1)).await.unwrap(), all.len() - weekly);
    assert_eq!(enqueue_due(t.db(), &all, now + Duration::days(7)).await.unwrap(), all.len());
}
