//! The monitoring JSON API over HTTP with bearer tokens: documents, the plan → task → assignment →
//! update → decision flow, access as on the pages, and the error codes of bad input and concurrency.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::{TestApp, TestResponse};

/// A JSON request with a bearer token.
async fn call(app: &TestApp, method: Method, uri: &str, token: &str, body: Option<Value>) -> TestResponse {
    app.api(method, uri, Some(token), body).await
}

/// The province as the tests see it: the Sở with an officer, two wards each with a locality officer.
struct Province {
    app: TestApp,
    officer: String,
    second_officer: String,
    ward_a: i64,
    ward_b: i64,
    reporter_a: String,
    reporter_b: String,
}

async fn province() -> Province {
    let app = TestApp::new().await;
    let department = app.org("Sở Khoa học và Công nghệ", None).await;
    let ward_a = app.org("UBND phường Hà An", None).await;
    let ward_b = app.org("UBND phường Hoành Bồ", None).await;
    let staff = |role| [(role, Scope::Province)];
    let officer = app.token("chuyenvien", Some(department), &staff(Role::DepartmentOfficer)).await;
    let second_officer = app.token("lanhdao", Some(department), &staff(Role::DepartmentLeader)).await;
    let reporter_a = app.token("haan", Some(ward_a), &[(Role::LocalityOfficer, Scope::Organization(ward_a))]).await;
    let reporter_b = app.token("hoanhbo", Some(ward_b), &[(Role::LocalityOfficer, Scope::Organization(ward_b))]).await;
    Province { officer, second_officer, reporter_a, reporter_b, ward_a, ward_b, app }
}

impl Province {
    async fn post(&self, token: &str, uri: &str, body: Value) -> TestResponse {
        call(&self.app, Method::POST, uri, token, Some(body)).await
    }

    async fn put(&self, token: &str, uri: &str, body: Value) -> TestResponse {
        call(&self.app, Method::PUT, uri, token, Some(body)).await
    }

    async fn get(&self, token: &str, uri: &str) -> TestResponse {
        call(&self.app, Method::GET, uri, token, None).await
    }

    /// A plan with one task; returns the task id.
    async fn task(&self) -> (i64, i64) {
        let plan = self
            .post(
                &self.officer,
                "/api/v1/plans",
                json!({"kind": "plan", "title": "Kế hoạch thực hiện Nghị quyết 57-NQ/TW"}),
            )
            .await;
        assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
        let plan_id = plan.json()["plan"]["id"].as_i64().unwrap();
        let task = self
            .post(
                &self.officer,
                &format!("/api/v1/plans/{plan_id}/tasks"),
                json!({"code": "1", "title": "Xây dựng chính quyền số cấp xã", "expected_product": "Báo cáo"}),
            )
            .await;
        assert_eq!(task.status, StatusCode::CREATED, "{}", task.body);
        (plan_id, task.json()["id"].as_i64().unwrap())
    }

    /// Assigns the task to both wards with a deadline in a month; returns the two assignment ids (ward A's
    /// first).
    async fn assigned(&self) -> (i64, i64, i64) {
        let (plan_id, task_id) = self.task().await;
        let due = tiendo_core::time::vietnam_date(Utc::now() + Duration::days(30));
        let res = self
            .post(
                &self.officer,
                &format!("/api/v1/tasks/{task_id}/assignments"),
                json!({
                    "lead_org_ids": [self.ward_b, self.ward_a],
                    "deadline": {"kind": "fixed", "due_on": due},
                    "priority": "high",
                }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let items = res.json()["items"].as_array().unwrap().clone();
        let id_of = |org: i64| items.iter().find(|i| i["lead"]["id"] == org).unwrap()["id"].as_i64().unwrap();
        (plan_id, id_of(self.ward_a), id_of(self.ward_b))
    }

    /// A submitted update of ward A on an assignment; returns its id.
    async fn submitted(&self, assignment: i64, percent: i64) -> i64 {
        let mut body =
            json!({"narrative": "Đã triển khai dịch vụ công trực tuyến.", "percent": percent, "submit": true});
        if percent == 100 {
            body["completion_claimed_on"] = json!(tiendo_core::time::vietnam_date(Utc::now()));
        }
        let res = self.post(&self.reporter_a, &format!("/api/v1/assignments/{assignment}/updates"), body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        res.json()["id"].as_i64().unwrap()
    }
}

fn field_errors(res: &TestResponse) -> Vec<(String, String)> {
    res.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_document_symbol_that_does_not_parse_is_a_field_error_naming_the_part() {
    let p = province().await;
    let res =
        p.post(&p.officer, "/api/v1/documents", json!({"symbol": "07-XYZ/TU", "summary": "Về phát triển KH&CN"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let body = res.json();
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["errors"][0]["field"], "symbol");
    assert_eq!(body["errors"][0]["code"], "symbol_unknown_type");
    assert_eq!(body["errors"][0]["params"]["part"], "XYZ");
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("XYZ"), "{body}");
    let missing = p.post(&p.officer, "/api/v1/documents", json!({"symbol": "07-NQ", "summary": "x"})).await;
    assert_eq!(field_errors(&missing), vec![("symbol".to_owned(), "symbol_missing_issuer".to_owned())]);
}

#[tokio::test]
async fn documents_are_registered_listed_and_read_and_a_duplicate_is_a_conflict() {
    let p = province().await;
    let body =
        json!({"symbol": "Số: 07-NQ/TU", "summary": "Về phát triển khoa học và công nghệ", "issued_on": "2016-12-20"});
    let created = p.post(&p.officer, "/api/v1/documents", body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let doc = created.json();
    assert_eq!(doc["document"]["symbol"], "07-NQ/TU");
    assert_eq!(doc["document"]["doc_type"], "NQ");
    assert_eq!(doc["document"]["system"], "party");
    assert_eq!(doc["files"], json!([]));
    let id = doc["document"]["id"].as_i64().unwrap();
    let again = p.post(&p.officer, "/api/v1/documents", body).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], "document_exists");
    assert!(again.json()["detail"].as_str().unwrap().contains("07-NQ/TU"));
    // A plan implementing it shows on the document; a second document implementing it is a relation.
    let child = p
        .post(
            &p.officer,
            "/api/v1/documents",
            json!({"symbol": "46-CTr/TU", "summary": "Chương trình hành động", "implements_id": id}),
        )
        .await;
    assert_eq!(child.status, StatusCode::CREATED, "{}", child.body);
    let read = p.get(&p.reporter_a, &format!("/api/v1/documents/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["relations"][0]["kind"], "implements");
    assert_eq!(read.json()["relations"][0]["direction"], "incoming");
    let list = p.get(&p.reporter_a, "/api/v1/documents?type=NQ&year=2016").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    // Editing replaces the fields; a locality may read but not keep the register.
    let edited = p
        .put(&p.officer, &format!("/api/v1/documents/{id}"), json!({"symbol": "07-NQ/TU", "summary": "Trích yếu mới"}))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.json()["document"]["summary"], "Trích yếu mới");
    let refused = p.post(&p.reporter_a, "/api/v1/documents", json!({"symbol": "1/QĐ-UBND", "summary": "x"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_whole_flow_from_plan_to_accepted_update_completes_the_assignment_on_time() {
    let p = province().await;
    let (plan_id, a, b) = p.assigned().await;
    // Two leads at once, each its own assignment with the same deadline.
    let read = p.get(&p.officer, &format!("/api/v1/assignments/{a}")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let detail = read.json();
    assert_eq!(detail["assignment"]["status"]["code"], "not_started");
    assert_eq!(detail["assignment"]["deadline"]["kind"], "fixed");
    assert_eq!(detail["assignment"]["priority"], "high");
    assert_eq!(detail["permissions"]["review"], true);
    assert_ne!(a, b);
    // Ward A's token writes and submits; the officer accepts.
    let update = p.submitted(a, 100).await;
    let listed = p.get(&p.officer, &format!("/api/v1/assignments/{a}/updates")).await.json();
    assert_eq!(listed["items"][0]["status"], "submitted");
    assert_eq!(listed["items"][0]["permissions"]["decide"], true);
    let accepted =
        p.post(&p.officer, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "accept"})).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json()["status"], "accepted");
    assert_eq!(accepted.json()["decided_by"]["name"], "Người dùng chuyenvien");
    let after = p.get(&p.reporter_a, &format!("/api/v1/assignments/{a}")).await.json();
    assert_eq!(after["assignment"]["status"]["code"], "completed_on_time");
    assert_eq!(after["assignment"]["progress"], 100);
    // The plan rolls it up: one of two assignments done.
    let plan = p.get(&p.officer, &format!("/api/v1/plans/{plan_id}")).await.json();
    assert_eq!(plan["figures"]["counts"]["completed_on_time"], 1);
    assert_eq!(plan["figures"]["counts"]["not_started"], 1);
    assert_eq!(plan["figures"]["progress"], 50.0);
    assert_eq!(plan["tasks"][0]["assignments"].as_array().unwrap().len(), 2);
    let dashboard = p.get(&p.officer, &format!("/api/v1/plans/{plan_id}/dashboard")).await.json();
    assert_eq!(dashboard["figures"]["total"], 2);
    // Every write left an audit event, as the pages do.
    let (events,): (i64,) = p
        .app
        .db
        .db()
        .fetch_one(
            Query::new("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'assignment' AND entity_id = $1")
                .bind(a.to_string()),
        )
        .await
        .unwrap();
    assert_eq!(events, 3, "create, submit, accept");
}

#[tokio::test]
async fn a_locality_sees_only_its_own_assignments_and_cannot_decide() {
    let p = province().await;
    let (_, a, b) = p.assigned().await;
    let update = p.submitted(a, 40).await;
    // Ward B: another organisation's assignment and update are not found, as on the pages.
    assert_eq!(p.get(&p.reporter_b, &format!("/api/v1/assignments/{a}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(p.get(&p.reporter_b, &format!("/api/v1/assignments/{a}/updates")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(p.get(&p.reporter_b, &format!("/api/v1/updates/{update}")).await.status, StatusCode::NOT_FOUND);
    let decided =
        p.post(&p.reporter_b, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "accept"})).await;
    assert_eq!(decided.status, StatusCode::NOT_FOUND);
    let written = p
        .post(&p.reporter_b, &format!("/api/v1/assignments/{a}/updates"), json!({"narrative": "x", "percent": 1}))
        .await;
    assert_eq!(written.status, StatusCode::NOT_FOUND);
    let list = p.get(&p.reporter_b, "/api/v1/assignments").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], b);
    // Ward A sees its own, but deciding is the assigning side's: 403.
    let own = p.post(&p.reporter_a, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "accept"})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(own.json()["code"], "forbidden");
    let flags = p.put(&p.reporter_a, &format!("/api/v1/assignments/{a}/flags"), json!({"at_risk": true})).await;
    assert_eq!(flags.status, StatusCode::FORBIDDEN);
    // Nothing changed.
    let still = p.get(&p.officer, &format!("/api/v1/updates/{update}")).await.json();
    assert_eq!(still["status"], "submitted");
}

#[tokio::test]
async fn a_percent_outside_0_to_100_is_a_field_error() {
    let p = province().await;
    let (_, a, _) = p.assigned().await;
    let res = p
        .post(&p.reporter_a, &format!("/api/v1/assignments/{a}/updates"), json!({"narrative": "Xong", "percent": 150}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(field_errors(&res), vec![("percent".to_owned(), "percent_range".to_owned())]);
    let links = p
        .post(
            &p.reporter_a,
            &format!("/api/v1/assignments/{a}/updates"),
            json!({"narrative": "Xong", "percent": 50, "links": ["ftp://x"], "completion_claimed_on": "2020-01-01"}),
        )
        .await;
    let codes = field_errors(&links);
    assert!(codes.contains(&("links".to_owned(), "link_format".to_owned())), "{codes:?}");
    assert!(codes.contains(&("completion_claimed_on".to_owned(), "completion_needs_100".to_owned())), "{codes:?}");
}

#[tokio::test]
async fn an_edit_with_a_stale_version_is_a_conflict_and_an_accepted_update_is_final() {
    let p = province().await;
    let (_, a, _) = p.assigned().await;
    let draft = p
        .post(
            &p.reporter_a,
            &format!("/api/v1/assignments/{a}/updates"),
            json!({"narrative": "Bản nháp", "percent": 20}),
        )
        .await
        .json();
    assert_eq!(draft["status"], "draft");
    let id = draft["id"].as_i64().unwrap();
    let version = draft["version"].as_i64().unwrap();
    // A draft is private to the ward.
    assert_eq!(p.get(&p.officer, &format!("/api/v1/updates/{id}")).await.status, StatusCode::NOT_FOUND);
    let saved = p
        .put(
            &p.reporter_a,
            &format!("/api/v1/updates/{id}"),
            json!({"version": version, "narrative": "Sửa lần 1", "percent": 30}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["version"], version + 1);
    let stale = p
        .put(
            &p.reporter_a,
            &format!("/api/v1/updates/{id}"),
            json!({"version": version, "narrative": "Sửa lần 2", "percent": 40}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.json()["code"], "update_stale");
    assert_eq!(p.get(&p.reporter_a, &format!("/api/v1/updates/{id}")).await.json()["narrative"], "Sửa lần 1");
    // Submitted, then accepted: no more edits.
    let submitted = p.post(&p.reporter_a, &format!("/api/v1/updates/{id}/submit"), json!({})).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["status"], "submitted");
    let again = p.post(&p.reporter_a, &format!("/api/v1/updates/{id}/submit"), json!({})).await;
    assert_eq!(again.json()["code"], "update_final");
    p.post(&p.officer, &format!("/api/v1/updates/{id}/decision"), json!({"decision": "accept"})).await;
    let current = submitted.json()["version"].as_i64().unwrap() + 1;
    let final_edit = p
        .put(
            &p.reporter_a,
            &format!("/api/v1/updates/{id}"),
            json!({"version": current, "narrative": "Sửa", "percent": 50}),
        )
        .await;
    assert_eq!(final_edit.status, StatusCode::CONFLICT);
    assert_eq!(final_edit.json()["code"], "update_final");
}

#[tokio::test]
async fn deciding_an_update_already_decided_is_a_conflict_naming_who_and_when() {
    let p = province().await;
    let (_, a, _) = p.assigned().await;
    let update = p.submitted(a, 60).await;
    let needs_comment =
        p.post(&p.officer, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "return"})).await;
    assert_eq!(field_errors(&needs_comment), vec![("comment".to_owned(), "required".to_owned())]);
    let returned = p
        .post(
            &p.second_officer,
            &format!("/api/v1/updates/{update}/decision"),
            json!({"decision": "return", "comment": "Bổ sung minh chứng"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    let second = p.post(&p.officer, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "accept"})).await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    let problem = second.json();
    assert_eq!(problem["code"], "update_already_decided");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("Người dùng lanhdao"), "{detail}");
    assert!(detail.contains("trả lại") || detail.contains("Trả lại"), "{detail}");
    assert!(detail.contains(&Utc::now().format("%Y").to_string()), "{detail}");
    // An unknown decision is 422 `decision_unknown` on `decision`, as on the page and for reports (issue 12).
    let bad = p.post(&p.officer, &format!("/api/v1/updates/{update}/decision"), json!({"decision": "maybe"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["errors"][0]["code"], "decision_unknown");
}

#[tokio::test]
async fn assigning_checks_deadlines_as_the_page_does() {
    let p = province().await;
    let (_, task) = p.task().await;
    let uri = format!("/api/v1/tasks/{task}/assignments");
    let before = p
        .post(
            &p.officer,
            &uri,
            json!({"lead_org_ids": [p.ward_a], "assigned_on": "2026-03-01", "deadline": {"kind": "fixed", "due_on": "2026-02-01"}}),
        )
        .await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", before.body);
    assert_eq!(field_errors(&before), vec![("deadline.due_on".to_owned(), "deadline_before_assignment".to_owned())]);
    let no_lead = p.post(&p.officer, &uri, json!({"lead_org_ids": [], "deadline": {"kind": "continuous"}})).await;
    assert_eq!(field_errors(&no_lead), vec![("lead_org_ids".to_owned(), "lead_required".to_owned())]);
    let no_day = p
        .post(
            &p.officer,
            &uri,
            json!({"lead_org_ids": [p.ward_a], "deadline": {"kind": "yearly", "yearly_month": 4, "yearly_day": 31}}),
        )
        .await;
    assert_eq!(field_errors(&no_day), vec![("deadline.yearly_day".to_owned(), "no_such_day".to_owned())]);
    let reversed = p
        .post(
            &p.officer,
            &uri,
            json!({"lead_org_ids": [p.ward_a], "assigned_on": "2026-01-01",
                   "deadline": {"kind": "period", "period_start": "2026-06-01", "period_end": "2026-05-01"}}),
        )
        .await;
    assert_eq!(field_errors(&reversed), vec![("deadline.period_end".to_owned(), "period_reversed".to_owned())]);
    let kinds = p
        .post(
            &p.officer,
            &uri,
            json!({"lead_org_ids": [p.ward_a], "coordinator_org_ids": [p.ward_b], "deadline": {"kind": "yearly", "yearly_month": 12, "yearly_day": 15}}),
        )
        .await;
    assert_eq!(kinds.status, StatusCode::CREATED, "{}", kinds.body);
    let id = kinds.json()["items"][0]["id"].as_i64().unwrap();
    let detail = p.get(&p.officer, &format!("/api/v1/assignments/{id}")).await.json();
    assert_eq!(detail["assignment"]["deadline"], json!({"kind": "yearly", "yearly_month": 12, "yearly_day": 15}));
    assert_eq!(detail["coordinators"][0]["id"], p.ward_b);
    // The coordinating ward sees it too, but does not report on it.
    let coordinator = p.get(&p.reporter_b, &format!("/api/v1/assignments/{id}")).await;
    assert_eq!(coordinator.status, StatusCode::OK);
    assert_eq!(coordinator.json()["permissions"]["report"], false);
    // A locality may not assign.
    let refused =
        p.post(&p.reporter_a, &uri, json!({"lead_org_ids": [p.ward_a], "deadline": {"kind": "continuous"}})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_overdue_list_and_the_dashboard_name_who_is_late() {
    let p = province().await;
    let (_, task) = p.task().await;
    let uri = format!("/api/v1/tasks/{task}/assignments");
    for (ward, due) in [(p.ward_a, "2024-03-31"), (p.ward_b, "2024-01-31")] {
        let res = p
            .post(&p.officer, &uri, json!({"lead_org_ids": [ward], "assigned_on": "2024-01-01", "deadline": {"kind": "fixed", "due_on": due}}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    }
    let overdue = p.get(&p.officer, "/api/v1/overdue").await.json();
    assert_eq!(overdue["total"], 2);
    assert_eq!(overdue["items"][0]["lead"]["id"], p.ward_b, "most days overdue first");
    let (first, second) = (&overdue["items"][0]["status"], &overdue["items"][1]["status"]);
    assert_eq!(first["code"], "overdue");
    assert!(first["days_late"].as_i64().unwrap() > second["days_late"].as_i64().unwrap());
    let page = p.get(&p.officer, "/api/v1/overdue?limit=1").await.json();
    assert_eq!(page["next"], "1");
    let rest = p.get(&p.officer, "/api/v1/overdue?limit=1&cursor=1").await.json();
    assert_eq!(rest["items"][0]["lead"]["id"], p.ward_a);
    assert_eq!(rest["next"], Value::Null);
    let filtered = p.get(&p.officer, &format!("/api/v1/assignments?status=overdue&lead={}", p.ward_a)).await.json();
    assert_eq!(filtered["total"], 1);
    let dashboard = p.get(&p.officer, "/api/v1/dashboard").await.json();
    assert_eq!(dashboard["figures"]["counts"]["overdue"], 2);
    assert_eq!(dashboard["overdue_by_lead"].as_array().unwrap().len(), 2);
    // Ward A sees only its own lateness.
    let own = p.get(&p.reporter_a, "/api/v1/dashboard").await.json();
    assert_eq!(own["figures"]["total"], 1);
    assert_eq!(own["overdue_by_lead"][0]["organization"]["id"], p.ward_a);
    assert_eq!(p.get(&p.officer, "/api/v1/overdue?cursor=abc").await.json()["code"], "invalid_query");
}

#[tokio::test]
async fn plans_targets_and_values_are_built_and_read() {
    let p = province().await;
    let (plan_id, _) = p.task().await;
    let target = p
        .post(
            &p.officer,
            &format!("/api/v1/plans/{plan_id}/targets"),
            json!({"name": "Doanh nghiệp KH&CN", "unit": "doanh nghiệp", "baseline_value": 10.0, "baseline_year": 2020, "target_value": 30.0, "target_year": 2025}),
        )
        .await;
    assert_eq!(target.status, StatusCode::CREATED, "{}", target.body);
    let target_id = target.json()["id"].as_i64().unwrap();
    let bad_year =
        p.post(&p.officer, &format!("/api/v1/targets/{target_id}/values"), json!({"year": 3000, "value": 1})).await;
    assert_eq!(field_errors(&bad_year), vec![("year".to_owned(), "year_format".to_owned())]);
    let value =
        p.post(&p.officer, &format!("/api/v1/targets/{target_id}/values"), json!({"year": 2023, "value": 20})).await;
    assert_eq!(value.status, StatusCode::OK, "{}", value.body);
    assert_eq!(value.json()["reached"], 50);
    assert_eq!(value.json()["met"], false);
    let dashboard = p.get(&p.officer, &format!("/api/v1/plans/{plan_id}/dashboard")).await.json();
    assert_eq!(dashboard["targets"][0]["latest_value"], 20.0);
    // A sub-plan cannot be made the parent of its parent.
    let child = p
        .post(&p.officer, "/api/v1/plans", json!({"kind": "plan", "title": "Kế hoạch năm 2026", "parent_id": plan_id}))
        .await
        .json();
    let child_id = child["plan"]["id"].as_i64().unwrap();
    let cycle = p
        .put(
            &p.officer,
            &format!("/api/v1/plans/{plan_id}"),
            json!({"kind": "plan", "title": "Kế hoạch", "parent_id": child_id}),
        )
        .await;
    assert_eq!(field_errors(&cycle), vec![("parent_id".to_owned(), "plan_cycle".to_owned())]);
    let list = p.get(&p.reporter_a, "/api/v1/plans").await.json();
    assert_eq!(list["items"][0]["plan"]["id"], plan_id);
    assert_eq!(list["items"][1]["depth"], 1);
    let weight = p
        .post(
            &p.officer,
            &format!("/api/v1/plans/{plan_id}/tasks"),
            json!({"code": "2", "title": "Nhiệm vụ", "weight": 0}),
        )
        .await;
    assert_eq!(field_errors(&weight), vec![("weight".to_owned(), "weight_positive".to_owned())]);
}

#[tokio::test]
async fn the_openapi_document_lists_every_monitoring_operation() {
    let doc = serde_json::to_value(tiendo_web::api::openapi_document()).unwrap();
    let mut ids = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op["operationId"].as_str() {
                ids.push(id.to_owned());
            }
        }
    }
    for id in [
        "list_documents",
        "get_document",
        "create_document",
        "update_document",
        "list_plans",
        "get_plan",
        "create_plan",
        "update_plan",
        "get_plan_dashboard",
        "create_target",
        "record_target_value",
        "create_task",
        "list_assignments",
        "get_assignment",
        "create_assignments",
        "set_assignment_flags",
        "list_updates",
        "get_update",
        "create_update",
        "edit_update",
        "submit_update",
        "decide_update",
        "get_dashboard",
        "list_overdue",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} is not in the OpenAPI document");
    }
    let create = &doc["paths"]["/assignments/{id}/updates"]["post"];
    assert!(create["description"].as_str().unwrap_or_default().contains("multipart"), "evidence files are explained");
}

#[tokio::test]
async fn the_api_needs_credentials() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/assignments").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn the_assign_page_still_names_a_deadline_before_the_assignment_date() {
    let p = province().await;
    let (_, task) = p.task().await;
    p.app.user("chuyenvien2", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let browser = p.app.sign_in("chuyenvien2").await;
    let res = browser
        .post(
            &format!("/tasks/{task}/assign"),
            &[
                ("lead", &p.ward_a.to_string()),
                ("deadline_kind", "fixed"),
                ("due_on", "01/02/2026"),
                ("assigned_on", "01/03/2026"),
                ("priority", "normal"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Hạn không thể trước ngày giao"), "the message is shown next to the field");
    let ok = browser
        .post(
            &format!("/tasks/{task}/assign"),
            &[
                ("lead", &p.ward_a.to_string()),
                ("deadline_kind", "yearly"),
                ("yearly", "15/12"),
                ("priority", "normal"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let bad_symbol = browser.post("/documents", &[("symbol", "07-XYZ/TU"), ("summary", "x")]).await;
    assert_eq!(bad_symbol.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_symbol.body.contains("Không biết loại văn bản “XYZ”"));
}

#[tokio::test]
async fn the_plan_page_forms_still_name_their_fields() {
    let p = province().await;
    let (plan_id, _) = p.task().await;
    p.app.user("chuyenvien3", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let browser = p.app.sign_in("chuyenvien3").await;
    let target = browser
        .post(
            &format!("/plans/{plan_id}/targets"),
            &[("name", "Tỷ lệ hồ sơ trực tuyến"), ("unit", "%"), ("target_value", "nhiều"), ("target_year", "2030")],
        )
        .await;
    assert_eq!(target.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(target.body.contains("Hãy nhập một số"), "the number is named");
    let ok = browser
        .post(
            &format!("/plans/{plan_id}/targets"),
            &[("name", "Tỷ lệ hồ sơ trực tuyến"), ("unit", "%"), ("target_value", "80,5"), ("target_year", "2030")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let dashboard = p.get(&p.officer, &format!("/api/v1/plans/{plan_id}/dashboard")).await.json();
    assert_eq!(dashboard["targets"][0]["target_value"], 80.5);
    let task = browser.post(&format!("/plans/{plan_id}/tasks"), &[("code", ""), ("title", "Nhiệm vụ")]).await;
    assert_eq!(task.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(task.body.contains("Trường này là bắt buộc"));
    let plan = browser.post("/plans", &[("kind", "plan"), ("title", ""), ("period_start", "32/13/2026")]).await;
    assert_eq!(plan.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(plan.body.contains("Ngày không hợp lệ"));
}
