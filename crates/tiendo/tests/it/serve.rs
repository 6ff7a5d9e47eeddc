use tiendo_db::testing::TestDb;
use tiendo_db::{Backend, migrate};

use crate::process::{Server, assert_clean_failure, http_get, run_in, stderr, stdout};

#[tokio::test]
async fn serve_answers_on_an_existing_database() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    // The test database's audit trail is sealed with the test key: the server must be given that key.
    std::fs::create_dir_all(dir.path().join("tiendo-data")).unwrap();
    std::fs::write(dir.path().join("tiendo-data/audit.key"), tiendo_db::testing::TEST_AUDIT_KEY).unwrap();
    let mut server = Server::start(dir.path(), &["serve", "--database-url", &url]);
    server.wait_ready();
    let (status, body) = http_get(server.port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"vi\">"));
    assert_eq!(http_get(server.port, "/readyz").unwrap().0, 200);
}

#[tokio::test]
async fn serve_refuses_a_database_sealed_with_another_audit_key() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    // No key file: the server would create a new key, which cannot be the one the trail is sealed with.
    let out = run_in(dir.path(), &["serve", "--database-url", &url, "--listen", "127.0.0.1:0"]);
    assert_clean_failure(&out, "the audit key file");
    assert!(stderr(&out).contains("is missing"), "{}", stderr(&out));
    assert!(!dir.path().join("tiendo-data/audit.key").exists(), "no key is made up for a sealed trail");
    // A key file with another key.
    std::fs::create_dir_all(dir.path().join("tiendo-data")).unwrap();
    std::fs::write(dir.path().join("tiendo-data/audit.key"), "ab".repeat(32)).unwrap();
    let out = run_in(dir.path(), &["serve", "--database-url", &url, "--listen", "127.0.0.1:0"]);
    assert_clean_failure(&out, "is not the one this database's audit trail was sealed with");
}

#[tokio::test]
async fn serve_migrates_sqlite_but_refuses_an_out_of_date_postgresql_schema_without_migrate() {
    let t = TestDb::empty().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    match t.db().backend() {
        Backend::Sqlite => {
            let mut server = Server::start(dir.path(), &["serve", "--database-url", &url]);
            server.wait_ready();
            assert!(migrate::status(t.db()).await.unwrap().is_current());
        }
        Backend::Postgres => {
            let out = run_in(dir.path(), &["serve", "--database-url", &url, "--listen", "127.0.0.1:0"]);
            assert!(!out.status.success());
            let err = stderr(&out);
            assert!(err.contains("schema is out of date") && err.contains("--migrate"), "{err}");
            assert!(!migrate::status(t.db()).await.unwrap().is_current());
            let mut server = Server::start(dir.path(), &["serve", "--database-url", &url, "--migrate"]);
            server.wait_ready();
            assert!(migrate::status(t.db()).await.unwrap().is_current());
        }
    }
}

#[tokio::test]
async fn migrate_applies_every_migration_and_then_nothing() {
    let t = TestDb::empty().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    let first = run_in(dir.path(), &["migrate", "--database-url", &url]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(String::from_utf8_lossy(&first.stdout).contains("Applied migrations"));
    let second = run_in(dir.path(), &["migrate", "--database-url", &url]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("up to date"));
}

#[test]
fn the_server_anchors_the_head_of_the_audit_trail_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d"]).status.success());
    let anchors = dir.path().join("d/audit-anchors.log");
    let before = std::fs::read_to_string(&anchors).unwrap();
    // A change made by the command line, which does not anchor.
    let created =
        run_in(dir.path(), &["user", "create", "--username", "moi", "--name", "Người mới", "--data-dir", "d"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let mut server = Server::start(dir.path(), &["serve", "--data-dir", "d"]);
    server.wait_ready();
    let stopped = std::process::Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let after = std::fs::read_to_string(&anchors).unwrap();
    assert_eq!(after.lines().count(), before.lines().count() + 1, "{after}");
    let verify = run_in(dir.path(), &["audit", "verify", "--data-dir", "d"]);
    assert!(stdout(&verify).contains("it matches the anchor of"), "{}", stdout(&verify));
    let last = after.lines().last().unwrap();
    let first = before.lines().last().unwrap();
    assert_ne!(last, first);
}

#[tokio::test]
async fn the_demo_loads_into_an_empty_postgresql_database_and_refuses_one_with_data() {
    let t = TestDb::empty().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    let out = run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    match t.db().backend() {
        Backend::Postgres => {
            use tiendo_db::{Exec, Query};
            let (accounts,): (i64,) =
                t.db().fetch_one(Query::new("SELECT COUNT(*) FROM users WHERE username = 'lanhdao'")).await.unwrap();
            assert_eq!(accounts, 1, "the demo is in the given database");
            let again = run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d", "--database-url", &url]);
            assert_clean_failure(&again, "the demo loads only into an empty PostgreSQL database");
            assert!(!stderr(&again).contains("postgres:postgres@"), "the password is masked: {}", stderr(&again));
        }
        // A SQLite URL: the demo keeps its own database in its data directory.
        Backend::Sqlite => assert!(dir.path().join("d/tiendo.db").exists()),
    }
}
