use tiendo_db::testing::TestDb;
use tiendo_db::{Backend, migrate};

use crate::process::{Server, http_get, run_in, stderr};

#[tokio::test]
async fn serve_answers_on_an_existing_database() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let url = t.url();
    let mut server = Server::start(dir.path(), &["serve", "--database-url", &url]);
    server.wait_ready();
    let (status, body) = http_get(server.port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"vi\">"));
    assert_eq!(http_get(server.port, "/readyz").unwrap().0, 200);
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
