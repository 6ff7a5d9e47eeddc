//! `tiendo search reindex` and the index of `tiendo serve`: the index is a cache in `<data_dir>/search`,
//! rebuilt by the command with a progress bar, or by a server that starts without it (saying so on
//! /readyz) while everything else answers.

use std::time::{Duration, Instant};

use crate::process::{Server, assert_clean_failure, http_get, run_in, stderr, stdout};

/// Waits until `/readyz` says the index is ready; the body.
fn wait_search_ready(server: &Server) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, body) = http_get(server.port, "/readyz").unwrap_or_default();
        if status == 200 && body.contains("search: ready") {
            return body;
        }
        assert!(Instant::now() < deadline, "the index was not ready within 60 s: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn reindex_rebuilds_the_index_that_a_server_then_searches_and_a_server_rebuilds_a_deleted_one() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run_in(dir.path(), &["demo", "--no-serve", "--data-dir", "d"]).status.success());
    assert!(!dir.path().join("d/search").exists(), "loading the demo builds no index");

    let out = run_in(dir.path(), &["search", "reindex", "--data-dir", "d"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("search index rebuilt"), "{}", stdout(&out));
    assert!(stderr(&out).contains("100%") && stderr(&out).contains("records"), "a progress bar: {}", stderr(&out));
    assert!(dir.path().join("d/search/meta.json").exists());

    let mut server = Server::start(dir.path(), &["serve", "--data-dir", "d"]);
    server.wait_ready();
    let ready = wait_search_ready(&server);
    assert!(ready.starts_with("ready\n"), "{ready}");
    let (status, body) = http_get(server.port, "/api/v1/search?q=quang+yen").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("/news/"), "the public finds the demo's article: {body}");
    // The running server holds the index: the command says so instead of breaking it.
    let refused = run_in(dir.path(), &["search", "reindex", "--data-dir", "d"]);
    assert_clean_failure(&refused, "a running server writes the search index");
    drop(server);

    // Deleted while stopped: the next server rebuilds it in the background.
    std::fs::remove_dir_all(dir.path().join("d/search")).unwrap();
    let mut server = Server::start(dir.path(), &["serve", "--data-dir", "d"]);
    server.wait_ready();
    let (status, _) = http_get(server.port, "/").unwrap();
    assert_eq!(status, 200, "pages answer whatever the index is doing");
    wait_search_ready(&server);
    let (status, body) = http_get(server.port, "/api/v1/search?q=quang+yen").unwrap();
    assert_eq!(status, 200, "{body}");
}
