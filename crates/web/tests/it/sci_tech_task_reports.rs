//! The periodic reports of a task under contract (issue 17 item 2): written when the contract is signed,
//! moved by an extension, filled and submitted by the host, returned with a comment or accepted by the
//! staff on the reporting workflow, each bad input refused naming the field with nothing written and
//! nothing typed lost; the money spent they declare; the API; and the reminders and escalation of the
//! task's deadlines, each sent once.

use axum::http::{Method, StatusCode};

use crate::sci_tech::{Fixture, fixture, id_in, location, post_form};
use crate::sci_tech_contracts::{approved_task, contract_form};

/// A task of Quảng Yên under contract (two years from 01/04/2025, a report every six months: due
/// 01/10/2025, 01/04/2026, 01/10/2026), its first instalment of 500 million paid. The contract's id.
async fn task_under_contract(f: &Fixture) -> i64 {
    let officer = f.app.sign_in("chuyenvien").await;
    let task = approved_task(f).await;
    let res = post_form(&officer, &format!("/proposals/{task}/contract"), &contract_form(f.quang_yen)).await;
    let id = id_in(&location(&res), "/contracts/");
    let pay = [("instalment", "1"), ("amount", "500.000.000"), ("paid_on", "20/04/2025"), ("voucher", "UNC 1")];
    location(&officer.post(&format!("/contracts/{id}/payments"), &pay).await);
    id
}

fn report_form<'a>(version: &'a str, submit: &'a str, milestone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("submit", submit),
        ("work_done", "Đã điều tra 120 hộ nuôi tôm tại Quảng Yên"),
        ("products", "Báo cáo điều tra thực trạng"),
        (milestone, "Hoàn thành báo cáo điều tra"),
        ("percent", "25"),
        ("spent_state", "450.000.000"),
        ("spent_other", ""),
        ("problems", ""),
        ("proposals", ""),
    ]
}

async fn status(f: &Fixture, id: i64, seq: i64) -> (String, i64) {
    let db = f.app.state();
    let row = tiendo_db::sci_tech::task_reports::get(
        db.app().db(),
        id,
        tiendo_core::sci_tech::task_report::TaskReportKind::Progress,
        seq,
    )
    .await
    .unwrap()
    .expect("the report is owed");
    (row.status, row.version)
}

#[tokio::test]
async fn the_host_reports_progress_the_staff_return_and_accept_and_bad_input_is_refused() {
    let f = fixture().await;
    let id = task_under_contract(&f).await;
    assert_eq!(
        f.app
            .scalar(&format!("SELECT COUNT(*) FROM st_task_reports WHERE contract_id = {id} AND kind = 'progress'"))
            .await,
        3,
        "one report for every six months of the contract"
    );
    let officer = f.app.sign_in("chuyenvien").await;
    let host = f.app.sign_in("quangyen").await;
    let page = officer.get(&format!("/contracts/{id}")).await;
    assert!(page.body.contains("Báo cáo định kỳ lần 1") && page.body.contains("01/10/2025"), "{}", page.body);
    assert!(page.body.contains("Quá hạn"), "a report not sent by its due day is overdue");

    let uri = format!("/contracts/{id}/reports/progress/1");
    let form = host.get(&uri).await;
    assert_eq!(form.status, StatusCode::OK);
    // The milestone due in the period has its line.
    let milestone = form
        .body
        .split("name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or_default())
        .find(|n| n.starts_with("milestone."))
        .expect("a line for the milestone due on 30/09/2025")
        .to_owned();
    assert!(form.body.contains("Điều tra thực trạng nuôi tôm"));

    // Bad input: more state budget spent than was paid, a percentage over 100, a required field missing.
    let mut bad = report_form("1", "1", &milestone);
    bad[3] = ("products", "");
    bad[5] = ("percent", "120");
    bad[6] = ("spent_state", "600.000.000");
    let res = host.post(&uri, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    for message in ["Tiến độ phải từ 0 đến 100", "không thể vượt số đã cấp", "Trường này là bắt buộc"]
    {
        assert!(res.body.contains(message), "{message}: {}", res.body);
    }
    assert!(res.body.contains("Đã điều tra 120 hộ nuôi tôm tại Quảng Yên"), "what was typed is kept");
    assert!(res.body.contains("600.000.000"), "the wrong value is kept to be corrected");
    assert_eq!(status(&f, id, 1).await, ("draft".to_owned(), 1), "nothing written");

    // A draft saved, then a stale form refused.
    location(&host.post(&uri, &report_form("1", "0", &milestone)).await);
    assert_eq!(status(&f, id, 1).await, ("draft".to_owned(), 2));
    let res = host.post(&uri, &report_form("1", "1", &milestone)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(status(&f, id, 1).await, ("draft".to_owned(), 2), "a stale form writes nothing");
    // The department does not read the host's draft.
    let draft = officer.get(&uri).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(!draft.body.contains("Đã điều tra 120 hộ"), "a draft is the host's own");

    location(&host.post(&uri, &report_form("2", "1", &milestone)).await);
    assert_eq!(status(&f, id, 1).await.0, "submitted");
    assert_eq!(
        f.app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'st_report_submitted'").await,
        2,
        "the officer and the leader are told"
    );
    let res = host.post(&uri, &report_form("3", "0", &milestone)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a submitted report is locked");

    // Returned without a comment: refused; with one: back to the host, who sees it and submits again.
    let decision = format!("{uri}/decision");
    let res = officer.post(&decision, &[("decision", "return"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&f, id, 1).await.0, "submitted");
    let res = host.post(&decision, &[("decision", "accept"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "the host does not accept its own report");
    location(&officer.post(&decision, &[("decision", "return"), ("comment", "Bổ sung số liệu chi tiết.")]).await);
    assert_eq!(status(&f, id, 1).await.0, "returned");
    let back = host.get(&uri).await;
    assert!(back.body.contains("Bổ sung số liệu chi tiết."), "{}", back.body);
    let (_, version) = status(&f, id, 1).await;
    location(&host.post(&uri, &report_form(&version.to_string(), "1", &milestone)).await);
    location(&officer.post(&decision, &[("decision", "accept"), ("comment", "")]).await);
    assert_eq!(status(&f, id, 1).await.0, "approved");
    let res = officer.post(&decision, &[("decision", "accept"), ("comment", "")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "decided once");

    let page = officer.get(&format!("/contracts/{id}")).await;
    assert!(page.body.contains("450.000.000"), "the spending declared is on the task's page");
    assert!(page.body.contains("Nộp muộn"), "sent after 01/10/2025: late");
    for action in ["submit", "return", "approve"] {
        assert!(
            f.app
                .scalar(&format!(
                    "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_contract' AND entity_id = '{id}' \
                     AND action = '{action}'"
                ))
                .await
                >= 1,
            "{action} is audited"
        );
    }
    // Another organisation does not see the task's reports.
    let other = f.app.sign_in("minhhan").await;
    assert_eq!(other.get(&uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(host.get(&format!("/contracts/{id}/reports/progress/9")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(host.get(&format!("/contracts/{id}/reports/other/1")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_extension_moves_the_reports_and_the_api_reads_saves_and_decides_them() {
    let f = fixture().await;
    let id = task_under_contract(&f).await;
    // Extended by a year: two more reports (01/04/2027, 01/10/2027).
    let leader = f.app.sign_in("lanhdao").await;
    let mut change = contract_form(f.quang_yen);
    for (k, v) in change.iter_mut() {
        if *k == "ends_on" {
            *v = "31/03/2028".into();
        }
    }
    change.extend([
        ("kind", "extension".to_owned()),
        ("decision_symbol", "321/QĐ-UBND".to_owned()),
        ("decision_date", "10/03/2026".to_owned()),
        ("decision_signer", "Đặng Huy Hậu".to_owned()),
        ("note", "Gia hạn do thời tiết".to_owned()),
        ("version", "1".to_owned()),
    ]);
    location(&post_form(&leader, &format!("/contracts/{id}/change"), &change).await);
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM st_task_reports WHERE contract_id = {id}")).await,
        5,
        "an extension adds the reports of its months"
    );

    let host = f.app.token_of("quangyen").await;
    let officer = f.app.token_of("chuyenvien").await;
    let uri = format!("/api/v1/contracts/{id}/reports/progress/2");
    let res = f.app.api(Method::GET, &uri, Some(&host), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = res.json();
    assert_eq!(
        (r["due_on"].as_str(), r["status"].as_str(), r["overdue"].as_bool()),
        (Some("2026-04-01"), Some("draft"), Some(true))
    );
    assert_eq!(r["permissions"], serde_json::json!(["save", "submit"]));

    let body = serde_json::json!({"version": 1, "submit": true,
        "values": {"work_done": "Xây dựng mô hình", "products": "Mô hình 0,5 ha", "percent": "50", "spent_state": "1.5 tỷ"}});
    let res = f.app.api(Method::PUT, &uri, Some(&host), Some(body)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["errors"][0]["field"], "spent_state");
    let body = serde_json::json!({"version": 1, "submit": true,
        "values": {"work_done": "Xây dựng mô hình", "products": "Mô hình 0,5 ha", "percent": "50", "spent_state": "300000000"}});
    let res = f.app.api(Method::PUT, &uri, Some(&host), Some(body)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "submitted");
    assert_eq!(res.json()["late"], true);

    let decide = format!("{uri}/decision");
    let res = f.app.api(Method::POST, &decide, Some(&host), Some(serde_json::json!({"decision": "accept"}))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = f.app.api(Method::POST, &decide, Some(&officer), Some(serde_json::json!({"decision": "accept"}))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "approved");
    assert_eq!(res.json()["values"]["spent_state"], "300000000");

    let c = f.app.api(Method::GET, &format!("/api/v1/contracts/{id}"), Some(&officer), None).await.json();
    assert_eq!(c["spent"], 300_000_000i64);
    assert_eq!(c["reports"].as_array().map(Vec::len), Some(5));
    let portfolio = f.app.api(Method::GET, "/api/v1/contracts", Some(&officer), None).await.json();
    assert_eq!(portfolio["items"][0]["late_reports"], 2, "reports 1 and 3 are overdue on 07/12/2026");
}

#[tokio::test]
async fn the_deadlines_of_a_task_are_recalled_once_and_escalated_to_the_leaders() {
    let f = fixture().await;
    let id = task_under_contract(&f).await;
    let state = f.app.state();
    let system = tiendo_app::Session::system(tiendo_core::authz::Actor::public());
    // On 05/04/2026: the second instalment (15/04/2026) is near; the report due 01/04/2026 just passed;
    // the milestone of 30/09/2025 and the report of 01/10/2025 are months overdue.
    let at = |y, m, d| {
        let noon = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(5, 0, 0).unwrap().and_utc();
        state.app().at(noon)
    };
    let app = at(2026, 4, 5);
    let sent = tiendo_app::sci_tech::deadlines::remind_deadlines(&app, &system, 14, 30).await.unwrap();
    assert_eq!(sent.reminders, 2, "the instalment due soon (to the staff) and the report just overdue (to the host)");
    assert_eq!(sent.escalated, 2, "the milestone and the first report, more than 30 days late");
    let kinds = |kind: &str| format!("SELECT COUNT(*) FROM notifications WHERE kind = '{kind}'");
    assert_eq!(f.app.scalar(&kinds("st_deadline_overdue")).await, 1, "the host's account");
    assert_eq!(f.app.scalar(&kinds("st_deadline_due_soon")).await, 2, "the officer and the leader pay");
    assert_eq!(f.app.scalar(&kinds("st_deadline_escalated")).await, 2, "the leader is told of each");
    let again = tiendo_app::sci_tech::deadlines::remind_deadlines(&app, &system, 14, 30).await.unwrap();
    assert_eq!(again, tiendo_app::sci_tech::deadlines::DeadlinesSent::default(), "each goes out once");
    // A signed-in user cannot run it.
    let officer = crate::sci_tech::session_of(&f.app, "chuyenvien").await;
    assert!(tiendo_app::sci_tech::deadlines::remind_deadlines(&app, &officer, 14, 30).await.is_err());
    let overdue = "SELECT COUNT(*) FROM notifications WHERE kind = 'st_deadline_overdue' \
                   AND title = 'Báo cáo định kỳ lần 2 đã quá hạn 01/04/2026'";
    assert_eq!(f.app.scalar(overdue).await, 1, "the host is told which report and since when");
    let page = f.app.sign_in("lanhdao").await.get(&format!("/contracts/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
}
