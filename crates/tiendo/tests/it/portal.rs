//! Scheduled publishing through the job runner: the job calls the portal's use case, which publishes each
//! due article once, audits it as the system and moves the stamp of public content.

use chrono::{Duration, Utc};
use serde_json::json;
use tiendo::jobs::{Job, Outcome, PublishScheduled, Registry, Runner};
use tiendo_core::portal::ArticleState;
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::portal::articles;
use tiendo_db::testing::TestDb;

#[tokio::test]
async fn the_job_publishes_the_due_articles_once_audited_with_the_stamp_moved() {
    let t = TestDb::new().await;
    let f = t.fixtures();
    let due = f.article("Tin đến giờ đăng").scheduled(Utc::now() - Duration::minutes(5)).create().await;
    let later = f.article("Tin đăng ngày mai").scheduled(Utc::now() + Duration::days(1)).create().await;
    let before = tiendo_db::portal::stamp(t.db()).await.unwrap();
    let runner = Runner::new(crate::job_context(t.db(), None), Registry::new().with(PublishScheduled));
    for _ in 0..2 {
        queue::enqueue(t.db(), &NewJob::new(PublishScheduled::NAME, json!({}))).await.unwrap();
        let (_, outcome) = runner.run_one("w").await.unwrap().unwrap();
        assert_eq!(outcome, Outcome::Done);
    }
    let published = articles::get(t.db(), due).await.unwrap().unwrap();
    assert_eq!(published.state(), ArticleState::Published);
    assert!(published.published_at.is_some());
    assert_eq!(articles::get(t.db(), later).await.unwrap().unwrap().state(), ArticleState::Scheduled);
    let events = tiendo_db::audit::history(t.db(), "article", &due.to_string(), 10).await.unwrap();
    assert_eq!(events.len(), 1, "published once, though the job ran twice");
    assert_eq!(events[0].action, "article_publish");
    assert_eq!(events[0].actor_label, "system");
    assert_eq!(events[0].summary_key.as_deref(), Some("audit-article-published-on-schedule"));
    assert!(events[0].summary.contains("Tin đến giờ đăng") && events[0].summary.contains("theo lịch"));
    assert_ne!(tiendo_db::portal::stamp(t.db()).await.unwrap(), before, "every instance drops its cached pages");
}
