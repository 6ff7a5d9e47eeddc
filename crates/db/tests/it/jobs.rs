use std::collections::HashSet;

use chrono::{Duration, Utc};
use serde_json::json;
use tiendo_db::jobs::{self, JobStatus, NewJob};
use tiendo_db::testing::TestDb;

#[tokio::test]
async fn a_dedup_key_enqueues_one_queued_job() {
    let t = TestDb::new().await;
    let job = NewJob::new("reindex", json!({"id": 7})).dedup("article:7");
    let first = jobs::enqueue(t.db(), &job).await.unwrap();
    let second = jobs::enqueue(t.db(), &job).await.unwrap();
    assert!(first.is_some());
    assert_eq!(second, None);
    // Another kind with the same key is different work.
    let other = NewJob::new("notify", json!({})).dedup("article:7");
    assert!(jobs::enqueue(t.db(), &other).await.unwrap().is_some());
}

#[tokio::test]
async fn a_job_is_not_claimed_before_its_run_time() {
    let t = TestDb::new().await;
    let now = Utc::now();
    jobs::enqueue(t.db(), &NewJob::new("later", json!({})).at(now + Duration::minutes(5))).await.unwrap();
    assert!(jobs::claim(t.db(), "w1", now, now + Duration::minutes(1)).await.unwrap().is_none());
    let later = now + Duration::minutes(6);
    let claimed = jobs::claim(t.db(), "w1", later, later + Duration::minutes(1)).await.unwrap().unwrap();
    assert_eq!(claimed.kind, "later");
    assert_eq!(claimed.attempts, 1);
}

#[tokio::test]
async fn concurrent_workers_never_claim_the_same_job() {
    let t = TestDb::new().await;
    for i in 0..40 {
        jobs::enqueue(t.db(), &NewJob::new("work", json!({ "i": i }))).await.unwrap();
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let db = t.db().clone();
        workers.push(tokio::spawn(async move {
            let name = format!("w{w}");
            let mut mine = Vec::new();
            loop {
                let now = Utc::now();
                match jobs::claim(&db, &name, now, now + Duration::minutes(5)).await.unwrap() {
                    Some(job) => {
                        assert!(jobs::complete(&db, &job, &name, Utc::now()).await.unwrap());
                        mine.push(job.id);
                    }
                    None => break,
                }
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for w in workers {
        for id in w.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "job {id} was claimed twice");
        }
    }
    // On PostgreSQL a claimer may find nothing while another holds the last rows; claim what remains.
    loop {
        let now = Utc::now();
        match jobs::claim(t.db(), "late", now, now + Duration::minutes(5)).await.unwrap() {
            Some(job) => {
                assert!(seen.insert(job.id));
                total += 1;
                jobs::complete(t.db(), &job, "late", now).await.unwrap();
            }
            None => break,
        }
    }
    assert_eq!(total, 40);
}

#[tokio::test]
async fn a_failed_job_is_retried_then_dead_lettered() {
    let t = TestDb::new().await;
    let id = jobs::enqueue(t.db(), &NewJob::new("flaky", json!({})).max_attempts(2)).await.unwrap().unwrap();
    let now = Utc::now();
    let job = jobs::claim(t.db(), "w", now, now + Duration::minutes(1)).await.unwrap().unwrap();
    assert!(jobs::fail(t.db(), &job, "w", "boom", Some(now + Duration::seconds(30)), now).await.unwrap());
    let row = jobs::get(t.db(), id).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.last_error.as_deref()), ("queued", Some("boom")));
    // Not before the back-off has passed.
    assert!(jobs::claim(t.db(), "w", now, now + Duration::minutes(1)).await.unwrap().is_none());
    let later = now + Duration::seconds(31);
    let job = jobs::claim(t.db(), "w", later, later + Duration::minutes(1)).await.unwrap().unwrap();
    assert_eq!(job.attempts, 2);
    assert!(jobs::fail(t.db(), &job, "w", "boom again", None, later).await.unwrap());
    let dead = jobs::list(t.db(), JobStatus::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("boom again"));
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_claimed_again_and_the_old_worker_cannot_finish_it() {
    let t = TestDb::new().await;
    jobs::enqueue(t.db(), &NewJob::new("slow", json!({}))).await.unwrap();
    let now = Utc::now();
    let first = jobs::claim(t.db(), "dead-worker", now, now + Duration::seconds(10)).await.unwrap().unwrap();
    let later = now + Duration::seconds(11);
    let second = jobs::claim(t.db(), "w2", later, later + Duration::seconds(10)).await.unwrap().unwrap();
    assert_eq!(first.id, second.id);
    assert!(!jobs::complete(t.db(), &first, "dead-worker", later).await.unwrap());
    assert!(jobs::complete(t.db(), &second, "w2", later).await.unwrap());
}

#[tokio::test]
async fn a_schedule_slot_is_enqueued_once() {
    let t = TestDb::new().await;
    let slot = Utc::now();
    let job = NewJob::new("purge_finished_jobs", json!({}));
    assert!(jobs::enqueue_scheduled(t.db(), "purge", slot, &job).await.unwrap().is_some());
    assert!(jobs::enqueue_scheduled(t.db(), "purge", slot, &job).await.unwrap().is_none());
    assert!(jobs::enqueue_scheduled(t.db(), "purge", slot + Duration::days(1), &job).await.unwrap().is_some());
}

#[tokio::test]
async fn purging_removes_old_finished_jobs_but_keeps_dead_ones() {
    let t = TestDb::new().await;
    jobs::enqueue(t.db(), &NewJob::new("a", json!({}))).await.unwrap();
    jobs::enqueue(t.db(), &NewJob::new("b", json!({})).max_attempts(1)).await.unwrap();
    let now = Utc::now();
    let a = jobs::claim(t.db(), "w", now, now + Duration::minutes(1)).await.unwrap().unwrap();
    jobs::complete(t.db(), &a, "w", now).await.unwrap();
    let b = jobs::claim(t.db(), "w", now, now + Duration::minutes(1)).await.unwrap().unwrap();
    jobs::fail(t.db(), &b, "w", "x", None, now).await.unwrap();
    assert_eq!(jobs::purge_finished(t.db(), now + Duration::seconds(1)).await.unwrap(), 1);
    assert_eq!(jobs::list(t.db(), JobStatus::Dead, 10).await.unwrap().len(), 1);
}
