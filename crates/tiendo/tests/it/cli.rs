use std::net::TcpListener;

use crate::process::{assert_clean_failure, run_in, stderr, stdout, tiendo};

#[test]
fn every_command_has_help_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["config", "--help"],
    ] {
        let out = run_in(dir.path(), &cmd);
        assert!(out.status.success(), "{cmd:?}");
        assert!(stdout(&out).contains("Examples:"), "{cmd:?} has no examples:\n{}", stdout(&out));
    }
}

/// A failure is one line on stderr starting with `error:`, never a panic or a backtrace.
#[test]
fn an_invalid_flag_is_rejected_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["serve", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean_failure(&out, "unexpected argument '--no-such-flag'");
}

#[test]
fn an_unknown_url_scheme_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["migrate", "--database-url", "mysql://u@h/db"]);
    assert_clean_failure(&out, "unsupported database URL scheme");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn an_unreachable_database_is_named_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::process::free_port();
    let url = format!("postgres://tiendo:secret@127.0.0.1:{port}/tiendo");
    let out = run_in(dir.path(), &["serve", "--database-url", &url]);
    assert_clean_failure(&out, "cannot connect to the database");
    let err = stderr(&out);
    assert!(err.contains("--database-url"), "{err}");
    assert!(!err.contains("secret"), "the password leaked: {err}");
}

#[test]
fn an_unreachable_object_store_is_named_at_start_up_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::process::free_port();
    let started = std::time::Instant::now();
    let out = crate::process::tiendo()
        .current_dir(dir.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{}", crate::process::free_port())])
        .env("TIENDO_FILES_BUCKET", "tiendo")
        .env("TIENDO_FILES_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("TIENDO_FILES_ALLOW_HTTP", "true")
        .env("TIENDO_FILES_ACCESS_KEY_ID", "id")
        .env("TIENDO_FILES_SECRET_ACCESS_KEY", "very-secret-key")
        .output()
        .unwrap();
    assert_clean_failure(&out, "the object store s3://tiendo/tiendo cannot be read");
    let err = stderr(&out);
    assert!(err.contains("files_* settings"), "{err}");
    assert!(!err.contains("very-secret-key"), "the secret leaked: {err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "start-up hung {:?}", started.elapsed());
}

#[test]
fn an_unwritable_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the directory should be: creating the directory fails even for root.
    std::fs::write(dir.path().join("blocker"), b"x").unwrap();
    let out = run_in(dir.path(), &["migrate", "--data-dir", "blocker/data"]);
    assert_clean_failure(&out, "cannot create the data directory blocker/data");
    assert!(stderr(&out).contains("--data-dir"));
}

#[test]
fn a_port_in_use_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run_in(dir.path(), &["serve", "--listen", &addr, "--data-dir", "d"]);
    assert_clean_failure(&out, "already in use");
    assert!(stderr(&out).contains("--listen"));
}

#[test]
fn a_malformed_configuration_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiendo.toml"), "listen = [oops").unwrap();
    let out = run_in(dir.path(), &["config"]);
    assert_clean_failure(&out, "tiendo.toml is not valid TOML");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn config_shows_values_and_their_sources_with_secrets_masked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiendo.toml"), "listen = \"0.0.0.0:9000\"\nmetrics_token = \"hunter2\"\n").unwrap();
    let out = tiendo()
        .current_dir(dir.path())
        .env("TIENDO_DATABASE_URL", "postgres://app:pa55@db.internal/tiendo")
        .args(["config", "--data-dir", "/srv/tiendo"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = |key: &str| text.lines().find(|l| l.starts_with(&format!("{key} ="))).unwrap_or_default().to_owned();
    assert!(line("listen").contains("0.0.0.0:9000") && line("listen").contains("configuration file"), "{text}");
    assert!(line("data_dir").contains("/srv/tiendo") && line("data_dir").contains("command line"), "{text}");
    assert!(
        line("database_url").contains("app:****@db.internal") && line("database_url").contains("TIENDO_DATABASE_URL"),
        "{text}"
    );
    assert!(line("metrics_token").contains("****"), "{text}");
    assert!(!text.contains("hunter2") && !text.contains("pa55"), "{text}");
    assert!(line("log_level").contains("default"), "{text}");
}

#[test]
fn demo_refuses_to_delete_a_directory_it_did_not_create() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("precious")).unwrap();
    std::fs::write(dir.path().join("precious/thesis.docx"), b"x").unwrap();
    let out = run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "precious"]);
    assert_clean_failure(&out, "refusing to delete precious");
    assert!(dir.path().join("precious/thesis.docx").exists());
}

#[test]
fn demo_starts_from_a_clean_database_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = run_in(dir.path(), &["demo", "--no-serve"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(dir.path().join("tiendo-demo/tiendo.db").exists());
    std::fs::write(dir.path().join("tiendo-demo/leftover.txt"), b"x").unwrap();
    let second = run_in(dir.path(), &["demo", "--no-serve"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!dir.path().join("tiendo-demo/leftover.txt").exists());
    assert!(stdout(&second).contains("Tiến Độ"));
}

#[test]
fn export_sample_writes_a_docx_and_an_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    for (format, magic) in [("docx", b"PK"), ("xlsx", b"PK")] {
        let file = format!("sample.{format}");
        let out = run_in(dir.path(), &["export", "sample", "--format", format, "--out", &file]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bytes = std::fs::read(dir.path().join(&file)).unwrap();
        assert_eq!(&bytes[..2], magic, "{format} is a zip package");
    }
}

#[test]
fn export_sample_to_an_unwritable_path_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["export", "sample", "--format", "docx", "--out", "no/such/dir/x.docx"]);
    assert_clean_failure(&out, "cannot write no/such/dir/x.docx");
}

#[test]
fn user_commands_create_list_and_reset_and_audit_verify_checks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["migrate"]).status.success());
    let created = run_in(
        dir.path(),
        &["user", "create", "--username", "quantri", "--name", "Quản trị viên", "--role", "administrator"],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("/reset-password/"));
    let list = run_in(dir.path(), &["user", "list"]);
    assert!(stdout(&list).contains("quantri") && stdout(&list).contains("administrator"), "{}", stdout(&list));
    let reset = run_in(dir.path(), &["user", "reset-password", "quantri"]);
    assert!(stdout(&reset).contains("http://127.0.0.1:8080/reset-password/"), "{}", stdout(&reset));
    let unknown = run_in(dir.path(), &["user", "reset-password", "khong-co"]);
    assert_clean_failure(&unknown, "no account is named khong-co");
    let bad_role = run_in(dir.path(), &["user", "create", "--username", "x1", "--name", "X", "--role", "vua"]);
    assert_clean_failure(&bad_role, "unknown role");
    let verify = run_in(dir.path(), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    // create, grant_role and issue_reset (the same events as the administrator page), then issue_reset.
    assert!(stdout(&verify).contains("intact: 4 events"), "{}", stdout(&verify));
    // The command line runs the administrator page's use cases (issue 12): the same audit events with the
    // same message keys, and links valid for the configured time (the page's), not a copy of its own.
    let validity = tiendo_app::Settings::default().reset_validity;
    assert!(
        stdout(&created).contains(&format!("one-time, {} hours", validity.as_secs() / 3600)),
        "{}",
        stdout(&created)
    );
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (events, links) = rt.block_on(async {
        use tiendo_db::{Exec, Query};
        let db = tiendo_db::Db::connect_sqlite(&dir.path().join("tiendo-data/tiendo.db")).await.unwrap();
        let events: Vec<(String, Option<String>, String)> = db
            .fetch_all(Query::new("SELECT action, summary_key, actor_label FROM audit_events ORDER BY id"))
            .await
            .unwrap();
        let links: Vec<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> =
            db.fetch_all(Query::new("SELECT created_at, expires_at FROM password_resets ORDER BY id")).await.unwrap();
        db.close().await;
        (events, links)
    });
    let events: Vec<(&str, Option<&str>, &str)> =
        events.iter().map(|(a, k, by)| (a.as_str(), k.as_deref(), by.as_str())).collect();
    assert_eq!(
        events,
        [
            ("create", Some("audit-account-created"), "cli"),
            ("grant_role", Some("audit-role-granted"), "cli"),
            ("issue_reset", Some("audit-password-link-first"), "cli"),
            ("issue_reset", Some("audit-password-link-reset"), "cli"),
        ]
    );
    assert_eq!(links.len(), 2);
    for (created_at, expires_at) in links {
        assert_eq!((expires_at - created_at).to_std().unwrap(), validity);
    }
}

#[test]
fn audit_verify_names_the_first_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d"]).status.success());
    let db = dir.path().join("d/tiendo.db");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use tiendo_db::{Exec, Query};
        let conn = tiendo_db::Db::connect_sqlite(&db).await.unwrap();
        conn.execute(Query::new("UPDATE audit_events SET summary = 'x' WHERE id = 3")).await.unwrap();
        conn.close().await;
    });
    let out = run_in(dir.path(), &["audit", "verify", "--data-dir", "d"]);
    assert_clean_failure(&out, "broken at event 3");
}

#[test]
fn audit_verify_names_the_newest_events_deleted_against_the_anchor() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d"]).status.success());
    // The demo created the key (owner-only) and anchored the head of its trail.
    let key = std::fs::read_to_string(dir.path().join("d/audit.key")).unwrap();
    assert_eq!(key.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("d/audit.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is readable by others: {mode:o}");
    }
    let anchors = std::fs::read_to_string(dir.path().join("d/audit-anchors.log")).unwrap();
    assert!(anchors.starts_with("tiendo-audit-anchor at="), "{anchors}");
    let intact = run_in(dir.path(), &["audit", "verify", "--data-dir", "d"]);
    assert!(intact.status.success(), "{}", stderr(&intact));
    assert!(stdout(&intact).contains("it matches the anchor of"), "{}", stdout(&intact));

    let db = dir.path().join("d/tiendo.db");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let last = rt.block_on(async {
        use tiendo_db::{Exec, Query};
        let conn = tiendo_db::Db::connect_sqlite(&db).await.unwrap();
        let (max,): (i64,) = conn.fetch_one(Query::new("SELECT MAX(id) FROM audit_events")).await.unwrap();
        conn.execute(Query::new("DELETE FROM audit_events WHERE id > $1").bind(max - 100)).await.unwrap();
        conn.close().await;
        max - 100
    });
    let out = run_in(dir.path(), &["audit", "verify", "--data-dir", "d"]);
    assert_clean_failure(&out, "truncated");
    assert!(stderr(&out).contains(&format!("the trail ends at event {last}")), "{}", stderr(&out));
}

#[test]
fn the_demo_prints_one_account_per_role() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["demo", "--no-serve"]);
    let text = stdout(&out);
    for name in
        ["quantri", "lanhdao", "chuyenvien", "phuong.haan", "vien.ptv", "chuyengia", "minhhan", "bientap", "kiemduyet"]
    {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(text.contains("TienDo@2026"));
}
