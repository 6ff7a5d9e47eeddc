//! The audit chain against each way of tampering with it (issue 14 item 3): an edited event, an event
//! deleted in the middle, the newest events deleted, the chain recomputed without and with the key.

use chrono::Utc;
use tiendo_db::audit::chain::{AnchorFile, SealError, seal};
use tiendo_db::audit::{self, Anchor, AuditKey, Breach, NewEvent, Seal, Verification, Who};
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, Exec, Query};

async fn write_events(db: &Db, n: i64) {
    for i in 1..=n {
        let tx = db.begin().await.unwrap();
        audit::append(&tx, &Who::cli(), &NewEvent::new("update", "organization", i, format!("Sự kiện {i}")))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

async fn ids(db: &Db) -> Vec<i64> {
    let rows: Vec<(i64,)> = db.fetch_all(Query::new("SELECT id FROM audit_events ORDER BY id")).await.unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn anchor_now(db: &Db) -> Anchor {
    Anchor::head(db, Utc::now()).await.unwrap().expect("a head")
}

async fn breach(db: &Db, anchor: Option<&Anchor>) -> Breach {
    match audit::verify(db, anchor).await.unwrap() {
        Verification::Broken(breach) => breach,
        intact => panic!("tampering went unnoticed: {intact:?}"),
    }
}

/// Rewrites every hash from the first event on with `key` (`None`: plain SHA-256), as someone who can
/// write to the database would to hide an edit.
async fn recompute(db: &Db, key: Option<&AuditKey>) {
    let (events, _) = audit::search(db, &audit::Filter::default(), 10_000).await.unwrap();
    let mut prev = audit::GENESIS.to_owned();
    for mut e in events.into_iter().rev() {
        e.prev_hash = prev;
        let hash = e.expected_hash(key);
        db.execute(
            Query::new("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE id = $3")
                .bind(e.prev_hash.clone())
                .bind(hash.clone())
                .bind(e.id),
        )
        .await
        .unwrap();
        prev = hash;
    }
}

#[tokio::test]
async fn an_untouched_chain_is_intact_against_its_anchor() {
    let t = TestDb::new().await;
    write_events(t.db(), 5).await;
    let anchor = anchor_now(t.db()).await;
    match audit::verify(t.db(), Some(&anchor)).await.unwrap() {
        Verification::Intact { events, anchor: Some(checked) } => {
            assert_eq!(events, 5);
            assert_eq!(checked, anchor);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_edited_event_breaks_the_chain_at_that_event() {
    let t = TestDb::new().await;
    write_events(t.db(), 5).await;
    let third = ids(t.db()).await[2];
    t.db().execute(Query::new("UPDATE audit_events SET summary = 'khác' WHERE id = $1").bind(third)).await.unwrap();
    assert_eq!(breach(t.db(), None).await, Breach::Content { id: third });
}

#[tokio::test]
async fn an_event_deleted_in_the_middle_breaks_the_link_of_the_next() {
    let t = TestDb::new().await;
    write_events(t.db(), 5).await;
    let all = ids(t.db()).await;
    t.db().execute(Query::new("DELETE FROM audit_events WHERE id = $1").bind(all[2])).await.unwrap();
    assert_eq!(breach(t.db(), None).await, Breach::Link { id: all[3] });
}

#[tokio::test]
async fn deleting_the_newest_events_is_named_truncation_by_the_anchor() {
    let t = TestDb::new().await;
    write_events(t.db(), 8).await;
    let anchor = anchor_now(t.db()).await;
    let all = ids(t.db()).await;
    t.db().execute(Query::new("DELETE FROM audit_events WHERE id > $1").bind(all[4])).await.unwrap();
    // On its own, what is left is a consistent chain: only the anchor shows what is missing.
    assert!(matches!(audit::verify(t.db(), None).await.unwrap(), Verification::Intact { events: 5, .. }));
    assert_eq!(
        breach(t.db(), Some(&anchor)).await,
        Breach::Truncated { anchor: anchor.clone(), last_id: Some(all[4]) }
    );
    // Every event deleted.
    t.db().execute(Query::new("DELETE FROM audit_events")).await.unwrap();
    assert_eq!(breach(t.db(), Some(&anchor)).await, Breach::Truncated { anchor, last_id: None });
}

#[tokio::test]
async fn an_edit_with_the_chain_recomputed_without_the_key_is_found() {
    let t = TestDb::new().await;
    write_events(t.db(), 5).await;
    let second = ids(t.db()).await[1];
    t.db().execute(Query::new("UPDATE audit_events SET summary = 'khác' WHERE id = $1").bind(second)).await.unwrap();
    recompute(t.db(), None).await;
    assert_eq!(breach(t.db(), None).await, Breach::Content { id: ids(t.db()).await[0] });
    recompute(t.db(), Some(&AuditKey::generate())).await;
    assert_eq!(breach(t.db(), None).await, Breach::Content { id: ids(t.db()).await[0] });
}

#[tokio::test]
async fn an_edit_with_the_chain_recomputed_with_the_key_is_found_by_the_anchor() {
    let t = TestDb::new().await;
    write_events(t.db(), 5).await;
    let anchor = anchor_now(t.db()).await;
    write_events(t.db(), 2).await;
    let second = ids(t.db()).await[1];
    t.db().execute(Query::new("UPDATE audit_events SET summary = 'khác' WHERE id = $1").bind(second)).await.unwrap();
    recompute(t.db(), Some(t.db().audit_key())).await;
    assert!(matches!(audit::verify(t.db(), None).await.unwrap(), Verification::Intact { .. }));
    assert_eq!(breach(t.db(), Some(&anchor)).await, Breach::Rewritten { anchor });
}

#[tokio::test]
async fn a_database_opened_with_another_key_refuses_to_seal_and_to_verify() {
    let t = TestDb::new().await;
    write_events(t.db(), 2).await;
    let other = t.db().clone().with_audit_key(AuditKey::generate());
    assert!(matches!(seal(&other, Utc::now()).await, Err(SealError::WrongKey { .. })));
    assert!(matches!(breach(&other, None).await, Breach::WrongKey { .. }));
    assert_eq!(seal(t.db(), Utc::now()).await.unwrap(), Seal::Current);
}

#[tokio::test]
async fn a_chain_from_before_keys_is_checked_then_rehashed_with_the_key() {
    let t = TestDb::new().await;
    write_events(t.db(), 4).await;
    // As a database written by a version without keys: unkeyed hashes and no seal.
    recompute(t.db(), None).await;
    t.db().execute(Query::new("DELETE FROM audit_chain")).await.unwrap();
    assert_eq!(breach(t.db(), None).await, Breach::NotSealed);
    assert_eq!(seal(t.db(), Utc::now()).await.unwrap(), Seal::Sealed { legacy_events: 4 });
    assert!(matches!(audit::verify(t.db(), None).await.unwrap(), Verification::Intact { events: 4, .. }));

    // A legacy chain that is already broken is left alone, not laundered by rehashing.
    recompute(t.db(), None).await;
    t.db().execute(Query::new("DELETE FROM audit_chain")).await.unwrap();
    let first = ids(t.db()).await[0];
    t.db().execute(Query::new("UPDATE audit_events SET summary = 'khác' WHERE id = $1").bind(first)).await.unwrap();
    match seal(t.db(), Utc::now()).await {
        Err(SealError::LegacyBroken(Breach::Content { id })) => assert_eq!(id, first),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_anchor_file_keeps_the_latest_head() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let file = AnchorFile::new(dir.path().join("audit-anchors.log"));
    write_events(t.db(), 3).await;
    file.append(&anchor_now(t.db()).await).unwrap();
    write_events(t.db(), 1).await;
    let later = anchor_now(t.db()).await;
    file.append(&later).unwrap();
    assert_eq!(file.latest().unwrap(), Some(later));
    // A line that is not an anchor (a truncated write) does not hide the one before it.
    std::fs::write(
        file.path(),
        format!("{}\ntiendo-audit-anchor at=2026-12-06T0", std::fs::read_to_string(file.path()).unwrap()),
    )
    .unwrap();
    assert_eq!(file.latest().unwrap().map(|a| a.id), Some(ids(t.db()).await[3]));
}
