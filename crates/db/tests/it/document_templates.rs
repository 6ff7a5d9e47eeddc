use chrono::{Duration, TimeZone, Utc};
use tiendo_db::audit::Who;
use tiendo_db::document_templates::{self as templates, NewVersion};
use tiendo_db::testing::TestDb;
use tiendo_db::{Exec, Query};

fn who(label: &str) -> Who {
    Who { label: label.to_owned(), ..Who::default() }
}

async fn save(db: &tiendo_db::Db, kind: &str, source: Option<&str>, restored_from: Option<i64>, at_minute: i64) -> i64 {
    let tx = db.begin().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 3, 5, 2, 0, 0).unwrap() + Duration::minutes(at_minute);
    let v = templates::append(&tx, &NewVersion { kind, source, restored_from }, &who("quantri"), at).await.unwrap();
    tx.commit().await.unwrap();
    v.version
}

#[tokio::test]
async fn versions_are_numbered_per_kind_and_the_highest_is_active() {
    let t = TestDb::new().await;
    let db = t.db();
    assert_eq!(templates::active(db, "report").await.unwrap(), None);
    assert_eq!(save(db, "report", Some("---\nMột"), None, 0).await, 1);
    assert_eq!(save(db, "report", Some("---\nHai"), None, 1).await, 2);
    assert_eq!(save(db, "decision", Some("---\nQuyết định"), None, 2).await, 1);
    assert_eq!(save(db, "report", None, None, 3).await, 3);
    assert_eq!(save(db, "report", Some("---\nMột"), Some(1), 4).await, 4);

    let active = templates::active(db, "report").await.unwrap().unwrap();
    assert_eq!((active.version, active.source.as_deref(), active.restored_from), (4, Some("---\nMột"), Some(1)));
    assert_eq!(active.created_by_label, "quantri");
    assert_eq!(active.created_at, Utc.with_ymd_and_hms(2026, 3, 5, 2, 4, 0).unwrap());

    let all: Vec<i64> = templates::versions(db, "report", 10).await.unwrap().iter().map(|v| v.version).collect();
    assert_eq!(all, vec![4, 3, 2, 1]);
    assert_eq!(templates::versions(db, "report", 2).await.unwrap().len(), 2);
    assert_eq!(templates::count(db, "report").await.unwrap(), 4);
    assert!(templates::version(db, "report", 3).await.unwrap().unwrap().is_default());
    assert_eq!(templates::version(db, "report", 9).await.unwrap(), None);

    let actives: Vec<(String, i64)> =
        templates::active_all(db).await.unwrap().into_iter().map(|v| (v.kind, v.version)).collect();
    assert_eq!(actives, vec![("decision".to_owned(), 1), ("report".to_owned(), 4)]);
}

#[tokio::test]
async fn a_version_number_cannot_be_taken_twice() {
    let t = TestDb::new().await;
    let db = t.db();
    save(db, "minutes", Some("---\nx"), None, 0).await;
    let err = db
        .execute(
            Query::new(
                "INSERT INTO document_templates (kind, version, source, created_by_label, created_at) \
                 VALUES ('minutes', 1, 'y', 'cli', $1)",
            )
            .bind(Utc::now()),
        )
        .await
        .unwrap_err();
    assert!(err.is_unique_violation_of("document_templates"), "{err}");
}
