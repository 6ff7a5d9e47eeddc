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

#[tokio::test]
async fn a_migration_changed_after_it_was_applied_is_refused() {
    let t = TestDb::new().await;
    use tiendo_db::{Exec, Query};
    t.db().execute(Query::new("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2")).await.unwrap();
    let err = migrate::run(t.db()).await.unwrap_err().to_string();
    assert!(err.contains("migration 2") && err.contains("was changed after it was applied"), "{err}");
    assert!(migrate::status(t.db()).await.is_err(), "the status check refuses it too");
}

#[tokio::test]
async fn foreign_keys_are_enforced_and_sqlite_runs_in_wal_with_a_busy_timeout() {
    let t = TestDb::new().await;
    use tiendo_db::{Backend, Exec, Query};
    // A role granted to an account that does not exist.
    let orphan = t
        .db()
        .execute(
            Query::new("INSERT INTO role_grants (user_id, role, scope_kind, created_at) VALUES ($1, 'administrator', 'province', $2)",
            )
            .bind(987_654_i64)
            .bind(chrono::Utc::now()),
        )
        .await;
    let err = orphan.expect_err("a foreign key to nothing is refused");
    assert!(matches!(err, tiendo_db::DbError::ForeignKeyViolation), "{err:?}");
    if t.db().backend() == Backend::Sqlite {
        let (mode,): (String,) = t.db().fetch_one(Query::new("PRAGMA journal_mode")).await.unwrap();
        let (fk,): (i64,) = t.db().fetch_one(Query::new("PRAGMA foreign_keys")).await.unwrap();
        let (busy,): (i64,) = t.db().fetch_one(Query::new("PRAGMA busy_timeout")).await.unwrap();
        assert_eq!((mode.as_str(), fk), ("wal", 1));
        assert!(busy >= 5_000, "busy timeout {busy} ms");
    }
}
