//! S&T tasks through the JSON API: the same use cases as the pages, the same field names and rules, the
//! same permissions as the page's buttons.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::sci_tech::{fixture, id_in, location, open_call, post_form, proposal_form, step};

fn proposal_body(total: i64, send: bool) -> Value {
    json!({
        "title": "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên",
        "field": "Thủy sản",
        "urgency": "Dịch bệnh thường xuyên.",
        "objectives": "Xây dựng mô hình.",
        "products": [{"name": "Quy trình nuôi tôm", "unit": "quy trình", "quantity": 1}, {"name": "Tôm thương phẩm", "unit": "kg", "quantity": 1500.5}],
        "duration_months": 24,
        "budget_total": total,
        "budget": [{"source": "state_budget", "amount": 1_200_000_000i64}, {"source": "counterpart", "amount": 300_000_000i64}],
        "proposer_kind": "commune",
        "proposer_name": "UBND thị xã Quảng Yên",
        "contact_name": "Nguyễn Văn An",
        "send": send
    })
}

#[tokio::test]
async fn a_budget_whose_sources_do_not_add_up_is_422_on_budget_total_and_nothing_is_written() {
    let f = fixture().await;
    let call = open_call(&f.app.sign_in("chuyenvien").await).await;
    let token = f.app.token_of("quangyen").await;
    let res = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/calls/{call}/proposals"),
            Some(&token),
            Some(proposal_body(1_600_000_000, true)),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let body = res.json();
    assert_eq!(body["errors"][0]["field"], "budget_total");
    assert_eq!(body["errors"][0]["code"], "budget_sources_mismatch");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_proposals").await, 0);
    // Sent as it should be, the quantities read back exactly.
    let ok = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/calls/{call}/proposals"),
            Some(&token),
            Some(proposal_body(1_500_000_000, true)),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let p = ok.json();
    assert_eq!(p["state"], "submitted");
    assert_eq!(p["products"][1]["quantity"], 1500.5);
    assert_eq!(p["timeline"][0]["action"], "submit");
}

#[tokio::test]
async fn a_step_the_machine_does_not_have_here_is_409_naming_it_in_the_readers_language() {
    let f = fixture().await;
    let call = open_call(&f.app.sign_in("chuyenvien").await).await;
    let commune = f.app.token_of("quangyen").await;
    let p = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/calls/{call}/proposals"),
            Some(&commune),
            Some(proposal_body(1_500_000_000, true)),
        )
        .await
        .json();
    let id = p["id"].as_i64().unwrap();
    let leader = f.app.token_of("lanhdao").await;
    let uri = format!("/api/v1/proposals/{id}/transitions");
    let body = json!({"action": "approve_list", "mode": "direct", "decision": {"symbol": "1523/QĐ-UBND", "date": "2020-07-10", "signer": "Đặng Huy Hậu"}});
    let res = f
        .app
        .send(
            axum::http::Request::post(&uri)
                .header("authorization", format!("Bearer {leader}"))
                .header("content-type", "application/json")
                .header("accept-language", "en")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    let problem = res.json();
    assert_eq!(problem["code"], "transition_not_allowed");
    assert_eq!(
        problem["detail"],
        "“Approve the list of tasks” is not possible while the proposal is “Sent, being screened”."
    );
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM st_events WHERE proposal_id = {id}")).await, 1);
    // Screening through the API records the reasons the proposer reads.
    let officer = f.app.token_of("chuyenvien").await;
    let missing = f.app.api(Method::POST, &uri, Some(&officer), Some(json!({"action": "screen_invalid"}))).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["errors"][0]["field"], "reasons");
    let done = f
        .app
        .api(
            Method::POST,
            &uri,
            Some(&officer),
            Some(json!({"action": "screen_invalid", "reasons": ["incomplete"], "note": "Thiếu phiếu A1."})),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let seen = f.app.api(Method::GET, &format!("/api/v1/proposals/{id}"), Some(&commune), None).await.json();
    assert_eq!(seen["state"], "invalid");
    assert_eq!(seen["timeline"][1]["reasons"], json!(["incomplete"]));
    assert_eq!(seen["timeline"][1]["note"], "Thiếu phiếu A1.");
}

#[tokio::test]
async fn the_api_permissions_are_the_buttons_of_the_page_for_every_side_at_every_step() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let id = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", false)).await,
        ),
        "/proposals/",
    );
    let leader = f.app.sign_in("lanhdao").await;
    let expert = f.app.sign_in("chuyengia").await;
    let browsers = [("quangyen", &commune), ("chuyenvien", &officer), ("lanhdao", &leader), ("chuyengia", &expert)];
    let mut tokens = Vec::new();
    for (name, _) in &browsers {
        tokens.push(f.app.token_of(name).await);
    }
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        ("submit", vec![]),
        ("screen_valid", vec![]),
        ("to_council", vec![]),
        (
            "recommend",
            vec![
                ("decision_symbol", "15/BB-HĐKHCN"),
                ("decision_date", "01/01/2024"),
                ("decision_signer", "Hoàng Bá Nam"),
            ],
        ),
    ];
    let takers = [&commune, &officer, &officer, &officer];
    for (i, (action, extra)) in steps.iter().enumerate() {
        for ((name, browser), token) in browsers.iter().zip(&tokens) {
            let page = browser.get(&format!("/proposals/{id}")).await;
            let api = f.app.api(Method::GET, &format!("/api/v1/proposals/{id}"), Some(token), None).await;
            if page.status == StatusCode::NOT_FOUND {
                assert_eq!(api.status, StatusCode::NOT_FOUND, "{name} before {action}");
                continue;
            }
            let buttons: Vec<String> = page
                .body
                .split("name=\"action\" value=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap().to_owned())
                .collect();
            let permissions: Vec<String> = api.json()["permissions"]["transitions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            assert_eq!(buttons, permissions, "{name} before {action}");
        }
        let mut fields = vec![("action", *action)];
        fields.extend(extra.iter().copied());
        location(&step(takers[i], id, &fields).await);
    }
}

#[tokio::test]
async fn the_public_reads_published_calls_only() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let token = f.app.token_of("chuyenvien").await;
    let body = json!({
        "title": "Đợt chưa công bố", "year": 2027, "regime": "2013", "route": "order",
        "opens_at": "2026-01-01T08:00:00+07:00", "closes_at": "2030-01-01T17:00:00+07:00",
        "fields": ["Thủy sản"], "eligibility": "Mọi tổ chức"
    });
    let created = f.app.api(Method::POST, "/api/v1/calls", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let draft = created.json();
    assert_eq!(draft["phase"], "draft");
    assert_eq!(draft["closes_at"], "2030-01-01T10:00:00Z");
    let list = f.app.api(Method::GET, "/api/v1/calls", None, None).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], call);
    let hidden = f.app.api(Method::GET, &format!("/api/v1/calls/{}", draft["id"]), None, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let staff = f.app.api(Method::GET, "/api/v1/calls", Some(&token), None).await.json();
    assert_eq!(staff["total"], 2);
}
