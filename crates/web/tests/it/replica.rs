//! A read replica for dashboards and lists (issue 20 item 3): the replica here is a second database that
//! has not received the latest writes yet (a replica lagging behind). Lists and the leader's dashboard
//! read it and show the state it has, without error; writes always go to the primary; a client that wrote
//! reads the primary for as long as the replica may lag (the `tiendo_wrote` cookie, good on every
//! instance), so nobody misses their own change.

use axum::http::StatusCode;
use tiendo_app::App;
use tiendo_core::authz::{Role, Scope};
use tiendo_core::monitoring::Deadline;
use tiendo_db::files::FileStore;
use tiendo_db::testing::TestDb;
use tiendo_web::{AppState, Settings};

use crate::harness::TestApp;

const LAG_SECS: u64 = 10;

#[tokio::test]
async fn lists_read_a_lagging_replica_without_error_and_a_client_that_wrote_reads_the_primary() {
    let primary = TestDb::new().await;
    let replica = TestDb::new().await;
    let app = App::new(primary.db().clone(), FileStore::scratch(), Settings::default())
        .with_replica(replica.db().clone(), LAG_SECS);
    let app = TestApp { router: tiendo_web::router(AppState::from_app(app)), db: primary };
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(dept), &[(Role::DepartmentLeader, Scope::Province)]).await;
    // Written on the primary; the replica has not received it yet.
    let fx = app.db.fixtures();
    let plan = fx.plan("Kế hoạch chuyển đổi số 2026").create().await;
    let task = fx.task(plan, "1").title("Số hoá hồ sơ nhiệm vụ KH&CN").create().await;
    let due = tiendo_core::time::vietnam_date(chrono::Utc::now()) - chrono::Duration::days(20);
    fx.assignment(task, ward).deadline(Deadline::Fixed { date: due }).create().await;

    // The leader, who wrote nothing, reads the replica: the list and the dashboard render its (older) state.
    let leader = app.sign_in("lanhdao").await;
    for path in ["/assignments", "/overdue", "/dashboard"] {
        let page = leader.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(!page.body.contains("Số hoá hồ sơ nhiệm vụ"), "{path} read the primary, not the replica");
    }
    // A record's own page reads the primary.
    assert_eq!(leader.get(&format!("/plans/{plan}")).await.status, StatusCode::OK);

    // The officer writes (a legal document): the write lands on the primary only, and the answer marks the
    // client as having written, for as long as the replica may lag.
    let officer = app.sign_in("chuyenvien").await;
    let count = "SELECT COUNT(*) FROM legal_documents";
    let on_replica = |db: &TestDb| {
        let db = db.db().clone();
        async move {
            use tiendo_db::Exec;
            let (n,): (i64,) = db.fetch_one(tiendo_db::Query::new(count)).await.unwrap();
            n
        }
    };
    let before = on_replica(&replica).await;
    let written = officer
        .post(
            "/documents",
            &[("symbol", "Số: 07-NQ/TU"), ("issued_on", "05/04/2017"), ("summary", "Về phát triển khoa học")],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    assert_eq!(app.scalar(count).await, 1);
    assert_eq!(on_replica(&replica).await, before, "a write went to the replica");
    let mark = written
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tiendo_wrote="))
        .expect("the answer to a write marks the client")
        .to_owned();
    assert!(mark.contains(&format!("Max-Age={LAG_SECS}")) && mark.contains("HttpOnly"), "{mark}");
    let cookie = format!("{}; {}", officer.cookie, mark.split(';').next().unwrap());
    for path in ["/assignments", "/overdue", "/dashboard"] {
        let page = app.get_with(path, &[("cookie", &cookie)]).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("Số hoá hồ sơ nhiệm vụ"), "{path}: the client that wrote read the replica");
    }
    // Without the mark (it expired), the officer is back on the replica.
    let stale = officer.get("/assignments").await;
    assert!(!stale.body.contains("Số hoá hồ sơ nhiệm vụ"));
    // Reads of the public and GETs never mark a client.
    assert!(
        officer
            .get("/assignments")
            .await
            .headers
            .get("set-cookie")
            .is_none_or(|v| !v.to_str().unwrap_or_default().starts_with("tiendo_wrote="))
    );
}

#[tokio::test]
async fn without_a_replica_no_client_is_marked() {
    let app = TestApp::new().await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let officer = app.sign_in("chuyenvien").await;
    let written = officer
        .post(
            "/documents",
            &[("symbol", "Số: 07-NQ/TU"), ("issued_on", "05/04/2017"), ("summary", "Về phát triển khoa học")],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    assert!(
        !written
            .headers
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or_default().starts_with("tiendo_wrote="))
    );
}
