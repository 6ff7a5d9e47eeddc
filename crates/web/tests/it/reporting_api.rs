//! The periodic reporting JSON API over HTTP with bearer tokens: templates, opening a report, saving
//! values (with "N/A" refused by field, a stale version, a second submission), the decision, the value
//! history and the aggregates updated on approval; access as on the pages.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};

use crate::harness::TestResponse;
use crate::reporting::{Fixture, fixture, scalar, template};

struct Tokens {
    reporter: String,
    other_unit: String,
    leader: String,
}

async fn tokens(f: &Fixture) -> Tokens {
    let app = &f.app;
    Tokens {
        reporter: app.token("api_haan", Some(f.ha_an), &[(Role::LocalityOfficer, Scope::Organization(f.ha_an))]).await,
        other_unit: app
            .token("api_hoanhbo", Some(f.hoanh_bo), &[(Role::LocalityOfficer, Scope::Organization(f.hoanh_bo))])
            .await,
        leader: app.token("api_lanhdao", None, &[(Role::DepartmentLeader, Scope::Province)]).await,
    }
}

async fn call(f: &Fixture, method: Method, uri: &str, token: &str, body: Option<Value>) -> TestResponse {
    f.app.api(method, uri, Some(token), body).await
}

#[tokio::test]
async fn a_report_is_opened_filled_submitted_and_approved_through_the_api_and_counted_at_once() {
    let f = fixture().await;
    template(&f).await;
    let t = tokens(&f).await;

    let list = call(&f, Method::GET, "/api/v1/report-templates", &t.reporter, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()[0]["code"], "KHCN-NAM");
    let one = call(&f, Method::GET, "/api/v1/report-templates/KHCN-NAM", &t.reporter, None).await;
    assert_eq!(one.json()["definition"]["section"][0]["field"][0]["code"], "staff");
    assert_eq!(one.json()["periodicity"], "yearly");
    assert_eq!(
        call(&f, Method::GET, "/api/v1/report-templates/NOPE", &t.reporter, None).await.status,
        StatusCode::NOT_FOUND
    );

    // Opening: a wrong period is named; then 201, and 200 with the same report the second time.
    let open = |period: &str| json!({"template": "KHCN-NAM", "organization_id": f.ha_an, "period": period});
    let bad = call(&f, Method::POST, "/api/v1/reports", &t.reporter, Some(open("2025Q3"))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["errors"][0]["field"], "period");
    let opened = call(&f, Method::POST, "/api/v1/reports", &t.reporter, Some(open("2025"))).await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let report = opened.json();
    let id = report["id"].as_i64().unwrap();
    assert_eq!((report["status"].as_str(), report["permissions"]["submit"].as_bool()), (Some("draft"), Some(true)));
    let again = call(&f, Method::POST, "/api/v1/reports", &t.reporter, Some(open("2025"))).await;
    assert_eq!((again.status, again.json()["id"].as_i64()), (StatusCode::OK, Some(id)));
    // Another unit may not open it for Hà An.
    let foreign = call(&f, Method::POST, "/api/v1/reports", &t.other_unit, Some(open("2025"))).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);

    // "N/A" in a number and a broken rule: every problem by field, nothing written.
    let values = format!("/api/v1/reports/{id}/values");
    let version = report["version"].as_i64().unwrap();
    let wrong = json!({"version": version, "submit": true, "values": {"staff": "N/A", "allocated": 100, "spent": 200}});
    let res = call(&f, Method::PUT, &values, &t.reporter, Some(wrong)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let problem = res.json();
    assert_eq!(problem["code"], "validation_failed");
    let codes: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert!(codes.contains(&("staff".into(), "not_a_number".into())), "{codes:?}");
    assert!(codes.iter().any(|(_, c)| c == "rule"), "{codes:?}");
    assert!(problem["errors"][0]["detail"].as_str().unwrap().contains("N/A"), "{problem}");
    assert_eq!(scalar(&f.app, &format!("SELECT COUNT(*) FROM report_values WHERE report_id = {id}")).await, 0);

    // A draft with numbers as JSON numbers and as typed text.
    let draft = json!({"version": version, "values": {"staff": 1234, "allocated": "5.000.000", "spent": 3000000}});
    let saved = call(&f, Method::PUT, &values, &t.reporter, Some(draft.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["values"]["staff"]["number"], 1234.0);
    assert_eq!(saved.json()["values"]["staff"]["text"], "1.234");
    // The same version again is stale.
    let stale = call(&f, Method::PUT, &values, &t.reporter, Some(draft)).await;
    assert_eq!((stale.status, stale.json()["code"].as_str()), (StatusCode::CONFLICT, Some("report_stale")));

    let version = saved.json()["version"].as_i64().unwrap();
    let submit =
        json!({"version": version, "submit": true, "values": {"staff": 1234, "allocated": 5000000, "spent": 3000000}});
    let submitted = call(&f, Method::PUT, &values, &t.reporter, Some(submit.clone())).await;
    assert_eq!(submitted.json()["status"], "submitted", "{}", submitted.body);
    let twice = call(&f, Method::PUT, &values, &t.reporter, Some(submit)).await;
    assert_eq!((twice.status, twice.json()["code"].as_str()), (StatusCode::CONFLICT, Some("report_locked")));

    // Access: another unit does not see it; the unit may not decide.
    assert_eq!(
        call(&f, Method::GET, &format!("/api/v1/reports/{id}"), &t.other_unit, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(call(&f, Method::GET, "/api/v1/reports", &t.other_unit, None).await.json()["total"], 0);
    assert_eq!(call(&f, Method::GET, "/api/v1/reports?template=KHCN-NAM", &t.reporter, None).await.json()["total"], 1);
    let decision = format!("/api/v1/reports/{id}/decision");
    let approve = json!({"decision": "approve"});
    assert_eq!(
        call(&f, Method::POST, &decision, &t.reporter, Some(approve.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(&f, Method::GET, "/api/v1/report-aggregates", &t.reporter, None).await.status,
        StatusCode::FORBIDDEN
    );

    // A return needs a comment; an approval counts at once.
    let no_comment = call(&f, Method::POST, &decision, &t.leader, Some(json!({"decision": "return"}))).await;
    assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_comment.json()["errors"][0]["code"], "return_needs_comment");
    let approved = call(&f, Method::POST, &decision, &t.leader, Some(approve.clone())).await;
    assert_eq!(approved.json()["status"], "approved", "{}", approved.body);
    let again = call(&f, Method::POST, &decision, &t.leader, Some(approve)).await;
    assert_eq!(again.json()["code"], "report_already_decided");
    let table = call(&f, Method::GET, "/api/v1/report-aggregates?province=22&from=2025&to=2025", &t.leader, None).await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    let table = table.json();
    assert_eq!(table["periods"], json!(["2025"]));
    let staff =
        table["rows"].as_array().unwrap().iter().find(|r| r["indicator"] == "NL.TONG").expect("NL.TONG").clone();
    assert_eq!(staff["values"], json!([1234.0]));
    let bad_map = call(&f, Method::GET, "/api/v1/report-aggregates?map=old", &t.leader, None).await;
    assert_eq!(bad_map.json()["errors"][0]["code"], "map_unknown");

    let history = call(&f, Method::GET, &format!("/api/v1/reports/{id}/history"), &t.leader, None).await;
    let history = history.json();
    let staff_changes: Vec<&Value> = history.as_array().unwrap().iter().filter(|h| h["field"] == "staff").collect();
    assert_eq!(staff_changes.len(), 1, "{history}");
    assert_eq!((staff_changes[0]["before"].clone(), staff_changes[0]["after"].clone()), (Value::Null, json!("1.234")));
}

#[tokio::test]
async fn the_reporting_api_needs_credentials() {
    let f = fixture().await;
    for uri in ["/api/v1/report-templates", "/api/v1/reports", "/api/v1/report-aggregates", "/api/v1/reports/1"] {
        let res = f.app.api(Method::GET, uri, None, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
}
