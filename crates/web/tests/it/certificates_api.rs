//! S&T enterprise certificates through the JSON API: the same use cases as the pages, the same field names
//! and rules, the same permissions as the page's buttons.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::certificates::fixture;

fn application(tax_code: &str, st_revenue: i64) -> Value {
    json!({
        "enterprise_name": "Công ty TNHH thủy sản Minh Hàn",
        "tax_code": tax_code,
        "address": "Thôn 3, xã Hoàng Tân, thị xã Quảng Yên",
        "established_on": "2012-05-12",
        "size": "small",
        "results": [{"kind": "utility_solution", "title": "Quy trình nuôi tôm tuần hoàn", "reference": "2345"}],
        "products": [{"name": "Tôm thẻ chân trắng", "result": 1}],
        "years": [{"year": 2025, "total_revenue": 12_000_000_000i64, "st_revenue": st_revenue}]
    })
}

#[tokio::test]
async fn the_api_refuses_bad_figures_by_field_and_answers_the_clock_and_the_steps_allowed() {
    let f = fixture().await;
    let token = f.app.token_of("minhhan").await;
    let path = "/api/v1/certificates/applications";
    let res = f.app.api(Method::POST, path, Some(&token), Some(application("5799990006", 13_000_000_000))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let codes: Vec<(String, String)> = res.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        codes,
        [
            ("tax_code".to_owned(), "tax_code_check_digit".to_owned()),
            ("years[0].st_revenue".to_owned(), "exceeds_total".to_owned())
        ]
    );
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM cert_applications").await, 0);
    let res = f.app.api(Method::POST, path, Some(&token), Some(application("5799990005", 5_000_000_000))).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let a = res.json();
    assert_eq!(a["state"], "draft");
    assert_eq!(a["permissions"]["steps"], json!(["submit"]));
    assert!(a["clock"].is_null());
    let id = a["id"].as_i64().unwrap();
    // Sending without the required documents names them.
    let step = format!("{path}/{id}/steps");
    let res = f.app.api(Method::POST, &step, Some(&token), Some(json!({"action": "submit"}))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["errors"][0]["code"], "document_missing");
    // A step of another state is a conflict naming both.
    let res = f.app.api(Method::POST, &step, Some(&token), Some(json!({"action": "accept"}))).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(res.json()["code"], "cert_step_not_allowed");
    // The public register answers everyone.
    let res = f.app.api(Method::GET, "/api/v1/certificates?q=5799990005", None, None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["total"], 0);
}

#[tokio::test]
async fn a_yearly_report_sent_through_the_api_is_the_engines_report_and_its_approval_re_checks_the_conditions() {
    let f = fixture().await;
    let cert = crate::certificates::certified(&f).await;
    let year = tiendo_core::time::vietnam_date(chrono::Utc::now()).format("%Y").to_string().parse::<i64>().unwrap() - 1;
    let path = format!("/api/v1/certificates/{cert}/reports");
    let minh_han = f.app.token_of("minhhan").await;
    // Negative figures are refused by field as on the dossier; nothing is opened.
    let bad = json!({"year": year, "total_revenue": 10_000_000_000i64, "st_revenue": -1});
    let res = f.app.api(Method::POST, &path, Some(&minh_han), Some(bad)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["errors"][0]["field"], "years[0].st_revenue");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM reports WHERE template_code = 'DN-KHCN'").await, 0);
    // The department does not send the enterprise's report.
    let officer = f.app.token_of("chuyenvien").await;
    let figures = json!({"year": year, "total_revenue": 10_000_000_000i64, "st_revenue": 1_000_000_000i64});
    let res = f.app.api(Method::POST, &path, Some(&officer), Some(figures.clone())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    // Sent: the engine's report, submitted, with the conditions on its figures as a preview (a small
    // enterprise under NĐ 268: its size's thresholds are the officer's to judge).
    let res = f.app.api(Method::POST, &path, Some(&minh_han), Some(figures.clone())).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let out = res.json();
    assert_eq!(out["status"], "submitted");
    let report = out["report_id"].as_i64().unwrap();
    assert!(
        out["checks"].as_array().unwrap().iter().any(|c| c["code"] == "size_conditions" && c["outcome"] == "to_judge")
    );
    let read = f.app.api(Method::GET, &format!("/api/v1/reports/{report}"), Some(&minh_han), None).await;
    assert_eq!(read.json()["template"], "DN-KHCN", "{}", read.body);
    // Sent twice: the year's report is locked.
    let res = f.app.api(Method::POST, &path, Some(&minh_han), Some(figures)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(res.json()["code"], "report_locked");
    // Approved through the reporting API: the conditions re-checked and recorded against the report.
    let leader = f.app.token_of("lanhdao").await;
    let decide = format!("/api/v1/reports/{report}/decision");
    let res = f.app.api(Method::POST, &decide, Some(&leader), Some(json!({"decision": "approve"}))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM cert_reports WHERE certificate_id = {cert} AND report_id = {report}"
            ))
            .await,
        1
    );
}
