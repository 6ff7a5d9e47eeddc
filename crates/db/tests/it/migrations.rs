use tiendo_db::migrate;
use tiendo_db::testing::TestDb;

#[tokio::test]
async fn a_fresh_test_database_is_fully_migrated() {
    let t = TestDb::new().await;
    let status = migrate::status(t.db()).await.unwrap();
    assert!(status.is_current(), "{status:?}");
    assert_eq!(status.applied.len(), migrate::migrations().len());
}

#[tokio::test]
async fn running_migrations_again_applies_nothing() {
    let t = TestDb::new().await;
    assert_eq!(migrate::run(t.db()).await.unwrap(), Vec::<i64>::new());
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_binary_is_refused() {
    let t = TestDb::new().await;
    use tiendo_db::{Exec, Query};
    t.db()
        .execute(
            Query::new(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, 'future', 'x', $2)",
            )
            .bind(999_999_i64)
            .bind(chrono::Utc::now()),
        )
        .await
        .unwrap();
    let err = migrate::run(t.db()).await.unwrap_err();
    assert!(err.to_string().contains("newer version of tiendo"), "{err}");
    assert_eq!(migrate::status(t.db()).await.unwrap().unknown, vec![999_999]);
}
