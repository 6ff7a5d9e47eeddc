//! The demo's working visit is recorded as the visit form records one: through the same use cases, by the
//! officer, on the days of the story, with the same audit summaries; it and its directives are sample data.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_db::{Exec, Query, visits};

#[tokio::test]
async fn the_demo_visit_is_recorded_by_the_officer_through_the_use_cases_of_the_form() {
    let t = crate::demo_db().await;
    let db = t.db();
    let (id,): (i64,) = db
        .fetch_one(Query::new("SELECT id FROM visits WHERE title = $1").bind(tiendo::demo::visits::TITLE))
        .await
        .unwrap();
    let visit = visits::get(db, id).await.unwrap().unwrap();
    assert!(visit.is_sample);
    assert_eq!(visits::stops(db, id).await.unwrap().len(), 4);
    assert_eq!(visits::members(db, id).await.unwrap()[0].person_name, "Hoàng Bá Nam", "the leader first");

    let vietnam_day = |at: DateTime<Utc>| tiendo_core::time::vietnam_date(at);
    let events: Vec<(String, String, Option<String>, DateTime<Utc>)> = db
        .fetch_all(
            Query::new(
                "SELECT action, actor_label, summary_key, at FROM audit_events \
                 WHERE entity_type = 'visit' AND entity_id = $1 ORDER BY id",
            )
            .bind(id.to_string()),
        )
        .await
        .unwrap();
    let (action, actor, key, at) = &events[0];
    assert_eq!(
        (action.as_str(), actor.as_str(), key.as_deref()),
        ("create", "chuyenvien", Some("audit-visit-created"))
    );
    assert_eq!(vietnam_day(*at), NaiveDate::from_ymd_opt(2020, 2, 20).unwrap());
    // One conclusion or two at each stop, as the news article tells them (issue 13 item 6).
    assert_eq!(events.iter().filter(|(a, ..)| a == "add_conclusion").count(), 5);
    let stops = visits::stops(db, id).await.unwrap();
    let conclusions = visits::conclusions(db, id).await.unwrap();
    for stop in &stops {
        assert!(conclusions.iter().any(|c| c.stop_id == Some(stop.id)), "{} has its conclusions", stop.host_name);
    }
    // The article's two photos are the visit's.
    let photos = visits::files(db, id).await.unwrap();
    assert_eq!(photos.iter().filter(|f| f.kind == "photo").count(), 2);

    let directives = visits::directives(db, id).await.unwrap();
    assert_eq!(directives.len(), 5);
    assert!(directives.iter().all(|d| d.is_sample), "a sample visit's directives are sample data");
    for d in &directives {
        let (key, at): (Option<String>, DateTime<Utc>) = db
            .fetch_one(
                Query::new(
                    "SELECT summary_key, at FROM audit_events WHERE entity_type = 'assignment' AND entity_id = $1 \
                     ORDER BY id LIMIT 1",
                )
                .bind(d.id.to_string()),
            )
            .await
            .unwrap();
        assert_eq!(key.as_deref(), Some("audit-visit-directive-given"));
        assert_eq!(vietnam_day(at), NaiveDate::from_ymd_opt(2020, 2, 27).unwrap());
        // Its progress is reported through monitoring's use cases, as a unit reports on the form.
        let (reported,): (i64,) = db
            .fetch_one(
                Query::new(
                    "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'assignment' AND entity_id = $1 \
                     AND summary_key = 'audit-monitoring-update-submitted'",
                )
                .bind(d.id.to_string()),
            )
            .await
            .unwrap();
        assert!(reported > 0, "directive {} has its progress reports", d.id);
    }
    let (registered,): (i64,) = db
        .fetch_one(Query::new(
            "SELECT COUNT(*) FROM audit_events e JOIN legal_documents d ON e.entity_id = CAST(d.id AS TEXT) \
             WHERE e.entity_type = 'document' AND d.symbol = '35/QĐ-SKHCN' \
             AND e.summary_key = 'audit-monitoring-document-created'",
        ))
        .await
        .unwrap();
    assert_eq!(registered, 1, "the decision forming the delegation is registered through the register's use case");
}
