//! The geography pages and API: units of any date, a unit's lineage, address resolution, map changes.

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_core::authz::{Role, Scope};

use crate::harness::TestApp;

/// Asserts that `needles` appear in `body` in this order, each after the previous one.
pub fn assert_in_order(body: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        match body[from..].find(n) {
            Some(at) => from += at + n.len(),
            None => panic!("{n:?} not found after the previous ones of {needles:?}"),
        }
    }
}

#[tokio::test]
async fn the_units_page_lists_the_provinces_of_the_current_map_by_default() {
    let app = TestApp::new().await;
    let res = app.get("/units").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("34 tỉnh, thành phố có hiệu lực ngày"), "{}", res.body);
    // Vietnamese order: Đắk Lắk after Đà Nẵng, both after Cần Thơ; Quảng Ninh after Phú Thọ.
    assert_in_order(
        &res.body,
        &["Thành phố Cần Thơ", "Thành phố Đà Nẵng", "Tỉnh Đắk Lắk", "Tỉnh Phú Thọ", "Tỉnh Quảng Ninh"],
    );
    assert!(res.body.contains("aria-current=\"true\">Bản đồ hiện hành"));
    // Nobody signed in: no link to record a change.
    assert!(!res.body.contains("/units/changes/new"));
}

#[tokio::test]
async fn the_old_map_of_a_province_shows_its_districts_and_communes_and_the_new_one_its_wards() {
    let app = TestApp::new().await;
    let old = app.get("/units?map=old&province=22").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("aria-current=\"true\">Bản đồ trước 01/07/2025"));
    assert!(old.body.contains("Các đơn vị của Tỉnh Quảng Ninh ngày 30/06/2025"));
    assert!(old.body.contains("63 tỉnh") || old.body.matches("<option value=").count() == 64, "63 provinces offered");
    assert_in_order(&old.body, &["Thị xã Quảng Yên", "Xã Hoàng Tân", "Đến hết 30/06/2025"]);
    assert!(old.body.contains("Thành phố Hạ Long"));

    let new = app.get("/units?map=new&province=22").await;
    assert!(new.body.contains("54 đơn vị cấp xã"), "{}", new.body);
    assert!(new.body.contains("Phường Hà An"));
    assert!(!new.body.contains("Thị xã Quảng Yên"));
    assert!(!new.body.contains("Xã Hoàng Tân"));
    // Vietnamese order of the wards: Bãi Cháy < Cẩm Phả < Đông Mai < Hà An < Hoành Bồ < Uông Bí.
    assert_in_order(
        &new.body,
        &["Phường Bãi Cháy", "Phường Cẩm Phả", "Phường Đông Mai", "Phường Hà An", "Phường Hoành Bồ", "Phường Uông Bí"],
    );
    // The switch keeps the province.
    assert!(new.body.contains("href=\"/units?map=old&#38;province=22\""), "switch link");
    // Any date: the day before the reform is the old map.
    let dated = app.get("/units?province=22&as_of=30/06/2025").await;
    assert!(dated.body.contains("Thị xã Quảng Yên"));
}

#[tokio::test]
async fn the_units_filter_ignores_diacritics_and_a_bad_date_is_named_with_the_input_kept() {
    let app = TestApp::new().await;
    let res = app.get("/units?q=hoanh+bo&province=22").await;
    assert!(res.body.contains("Phường Hoành Bồ"), "{}", res.body);
    assert!(res.body.contains("1 đơn vị có hiệu lực"));
    let bad = app.get("/units?as_of=31/02/2025&q=ha+an").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("field invalid"));
    assert!(bad.body.contains("Ngày không hợp lệ"));
    assert!(bad.body.contains("value=\"31/02/2025\""));
    assert!(bad.body.contains("aria-invalid=\"true\""));
    let en = app.get("/units?lang=en&province=22").await;
    assert!(en.body.contains("Administrative units over time"));
    assert!(en.body.contains("ward"));
    assert!(en.body.contains("Since 01/07/2025"));
}

#[tokio::test]
async fn a_unit_page_shows_its_lineage_and_what_it_is_today() {
    let app = TestApp::new().await;
    let new = app.get("/units/07030").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(new.body.contains("<h1 lang=\"vi\">Phường Hoành Bồ</h1>"));
    assert!(new.body.contains("Từ 01/07/2025"));
    assert!(new.body.contains("NQ 1679/NQ-UBTVQH15"));
    assert!(new.body.contains("Các đơn vị từng mang mã 07030"));
    assert!(new.body.contains("Đơn vị này đang có hiệu lực."));
    // Came from the old phường Hoành Bồ and others.
    assert_in_order(&new.body, &["Hình thành từ", "Phường Hoành Bồ", "sáp nhập", "Trở thành"]);

    let old = app.get("/units/07156?as_of=2025-06-30").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("<h1 lang=\"vi\">Xã Hoàng Tân</h1>"));
    assert!(old.body.contains("Đến hết 30/06/2025"));
    assert_in_order(&old.body, &["Trực thuộc", "Thị xã Quảng Yên", "Ngày nay là", "Phường Hà An"]);

    let district = app.get("/units/206?as_of=2025-06-30").await;
    assert!(district.body.contains("Cấp huyện đã bãi bỏ"));
    assert!(district.body.contains("Phường Hà An") && district.body.contains("Phường Đông Mai"));
    assert!(district.body.contains("Đơn vị trực thuộc ngày 30/06/2025"));

    let en = app.get("/units/07156?lang=en").await;
    assert!(en.body.contains("Today it is"), "{}", en.body);
}

#[tokio::test]
async fn an_unknown_code_and_a_day_outside_every_validity_get_clear_404_pages() {
    let app = TestApp::new().await;
    let unknown = app.get("/units/99999").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Không có đơn vị hành chính này"));
    assert!(unknown.body.contains("99999"));
    let ended = app.get("/units/07156?as_of=2026-01-01").await;
    assert_eq!(ended.status, StatusCode::NOT_FOUND);
    assert!(ended.body.contains("Mã 07156 không có đơn vị nào có hiệu lực vào ngày 01/01/2026"), "{}", ended.body);
    assert!(ended.body.contains("Xã Hoàng Tân"), "the code's periods are listed");
}

#[tokio::test]
async fn the_address_page_resolves_old_addresses_to_todays_units() {
    let app = TestApp::new().await;
    let res = app.get("/address?text=th%C3%B4n+3%2C+x%C3%A3+Ho%C3%A0ng+T%C3%A2n%2C+th%E1%BB%8B+x%C3%A3+Qu%E1%BA%A3ng+Y%C3%AAn%2C+Qu%E1%BA%A3ng+Ninh").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Xã Hoàng Tân, Thị xã Quảng Yên, Tỉnh Quảng Ninh"), "{}", res.body);
    assert_in_order(
        &res.body,
        &["Xã Hoàng Tân, Thị xã Quảng Yên", "Ngày nay", "Phường Hà An", "Chi tiết dưới cấp xã", "thôn 3"],
    );
    assert!(res.body.contains("Độ tin cậy"));
    let without_accents = app.get("/address?text=khu+5%2C+phuong+Hoanh+Bo%2C+TP+Ha+Long&as_of=01/01/2020").await;
    assert!(without_accents.body.contains("Phường Hoành Bồ, Thành phố Hạ Long, Tỉnh Quảng Ninh"));
    let nothing = app.get("/address?text=abcxyz").await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(nothing.body.contains("Không có phần nào của địa chỉ là tên một đơn vị hành chính đã biết"));
}

#[tokio::test]
async fn the_api_lists_units_of_a_day_in_vietnamese_order_with_paging() {
    let app = TestApp::new().await;
    let first = app.get("/api/v1/admin-units?province=22&level=commune&limit=20").await;
    assert_eq!(first.status, StatusCode::OK);
    let body = first.json();
    assert_eq!(body["total"], 54);
    assert_eq!(body["items"].as_array().unwrap().len(), 20);
    assert_eq!(body["next"], "20");
    let names: Vec<String> =
        body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| tiendo_core::text::sort_key(n));
    assert_eq!(names, sorted);
    let last = app.get("/api/v1/admin-units?province=22&level=commune&limit=20&cursor=40").await.json();
    assert_eq!(last["items"].as_array().unwrap().len(), 14);
    assert_eq!(last["next"], serde_json::Value::Null);
    let old = app.get("/api/v1/admin-units?province=22&level=commune&as_of=2025-06-30&limit=1").await.json();
    assert_eq!(old["total"], 171);
    let q = app.get("/api/v1/admin-units?q=hoang%20tan&as_of=2025-06-30&province=22").await.json();
    assert_eq!(q["items"][0]["code"], "07156");
    assert_eq!(q["items"][0]["full_name"], "Xã Hoàng Tân");
    assert_eq!(q["items"][0]["valid_to"], "2025-07-01");
    assert_eq!(q["items"][0]["level"], "commune");
}

#[tokio::test]
async fn bad_list_parameters_are_400_invalid_query_naming_the_parameter() {
    let app = TestApp::new().await;
    for (uri, names) in [
        ("/api/v1/admin-units?level=ward", "level"),
        ("/api/v1/admin-units?province=220", "province"),
        ("/api/v1/admin-units?limit=0", "limit"),
        ("/api/v1/admin-units?cursor=abc", "cursor"),
        ("/api/v1/admin-units?as_of=30/06/2025", "as_of"),
        ("/api/v1/address/resolve?text=x&province=abc", "province"),
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(res.header("content-type"), "application/problem+json");
        let body = res.json();
        assert_eq!(body["code"], "invalid_query", "{uri}");
        assert!(body["detail"].as_str().unwrap().contains(names), "{uri}: {}", body["detail"]);
    }
}

#[tokio::test]
async fn the_api_gives_a_unit_of_a_day_with_its_parent_and_children() {
    let app = TestApp::new().await;
    let new = app.get("/api/v1/admin-units/07030").await.json();
    assert_eq!(new["unit"]["full_name"], "Phường Hoành Bồ");
    assert_eq!(new["unit"]["valid_from"], "2025-07-01");
    assert_eq!(new["parent"]["code"], "22");
    assert_eq!(new["children"], json!([]));
    let old = app.get("/api/v1/admin-units/07030?as_of=2025-06-30").await.json();
    assert_eq!(old["unit"]["parent_code"], "193");
    assert_eq!(old["parent"]["full_name"], "Thành phố Hạ Long");
    let province = app.get("/api/v1/admin-units/22?as_of=2025-06-30").await.json();
    assert_eq!(province["children"].as_array().unwrap().len(), 13);
}

#[tokio::test]
async fn unknown_codes_and_days_outside_every_validity_are_404_with_specific_codes() {
    let app = TestApp::new().await;
    for uri in ["/api/v1/admin-units/99999", "/api/v1/admin-units/abc/lineage"] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(res.header("content-type"), "application/problem+json");
        let body = res.json();
        assert_eq!(body["code"], "unknown_admin_unit");
        let code = if uri.contains("abc") { "abc" } else { "99999" };
        assert!(body["detail"].as_str().unwrap().contains(code), "{}", body["detail"]);
    }
    let ended = app.get("/api/v1/admin-units/07156?as_of=2026-01-01").await;
    assert_eq!(ended.status, StatusCode::NOT_FOUND);
    let body = ended.json();
    assert_eq!(body["code"], "admin_unit_not_in_force");
    assert!(body["detail"].as_str().unwrap().contains("/api/v1/admin-units/07156/lineage"));
    let en = app.get("/api/v1/admin-units/07156?lang=en").await.json();
    assert_eq!(en["code"], "admin_unit_not_in_force");
    assert!(en["detail"].as_str().unwrap().starts_with("Code 07156"), "{}", en["detail"]);
}

#[tokio::test]
async fn the_lineage_tells_what_an_old_unit_is_today_and_what_a_new_unit_came_from() {
    let app = TestApp::new().await;
    let old = app.get("/api/v1/admin-units/07156/lineage").await.json();
    assert_eq!(old["unit"]["full_name"], "Xã Hoàng Tân");
    assert_eq!(old["today"]["default"]["full_name"], "Phường Hà An");
    assert_eq!(old["successors"][0]["kind"], "merge");
    assert_eq!(old["successors"][0]["effective"], "2025-07-01");
    let new = app.get("/api/v1/admin-units/07168/lineage").await.json();
    assert_eq!(new["unit"]["valid_from"], "2025-07-01");
    let origins: Vec<&str> =
        new["origins"].as_array().unwrap().iter().map(|o| o["unit"]["name"].as_str().unwrap()).collect();
    assert!(origins.contains(&"Hoàng Tân") && origins.contains(&"Hà An"), "{origins:?}");
    assert_eq!(new["versions"].as_array().unwrap().len(), 2);
    let district = app.get("/api/v1/admin-units/206/lineage").await.json();
    assert_eq!(district["today"]["via_children"], true);
    assert_eq!(district["today"]["default"], serde_json::Value::Null);
    assert_eq!(district["today"]["all"].as_array().unwrap().len(), 6, "{}", district["today"]);
}

#[tokio::test]
async fn address_resolution_answers_candidates_or_the_reason_never_an_error() {
    let app = TestApp::new().await;
    let res = app
        .get("/api/v1/address/resolve?text=thon%203%2C%20xa%20Hoang%20Tan%2C%20TX%20Quang%20Yen%2C%20Quang%20Ninh")
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.json();
    let best = &body["candidates"][0];
    assert_eq!(best["unit"]["code"], "07156");
    assert_eq!(best["today"]["default"]["full_name"], "Phường Hà An");
    assert_eq!(best["detail"], "thon 3");
    assert_eq!(best["path"][2]["code"], "22");
    assert!(best["confidence"].as_f64().unwrap() > 0.5);
    assert_eq!(body["no_match"], serde_json::Value::Null);
    for (text, reason) in [("", "empty"), ("zzzz qqqq", "no_known_name"), (&"x, ".repeat(200)[..], "too_long")] {
        let uri = format!("/api/v1/address/resolve?text={}", tiendo_web::forms::url_encode(text));
        let res = app.get(&uri).await;
        assert_eq!(res.status, StatusCode::OK, "{text:?}");
        let body = res.json();
        assert_eq!(body["candidates"], json!([]));
        assert_eq!(body["no_match"], reason);
        assert!(!body["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.get("/api/v1/address/resolve").await.json()["no_match"], "empty");
}

fn hoanh_bo_split() -> serde_json::Value {
    json!({
        "effective": "2026-05-01",
        "legal_basis": "NQ 99/2026/NQ-UBTVQH15",
        "ending": ["07030"],
        "starting": [
            {"code": "07030", "kind": "ward", "name": "Hoành Bồ", "parent_code": "22"},
            {"code": "07031", "kind": "phường", "name": "Hoành Bồ Mới", "parent_code": "22"}
        ],
        "successions": [
            {"from_code": "07030", "to_code": "07030", "is_default": true, "share": 0.6},
            {"from_code": "07030", "to_code": "07031", "share": 0.4}
        ]
    })
}

#[tokio::test]
async fn an_administrator_records_a_later_change_through_the_api_and_addresses_follow_it() {
    let app = TestApp::new().await;
    let token = app.token("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let res = app.api(Method::POST, "/api/v1/admin-unit-changes", Some(&token), Some(hoanh_bo_split())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let body = res.json();
    assert_eq!(body["ended"][0]["code"], "07030");
    assert_eq!(body["started"].as_array().unwrap().len(), 2);
    assert_eq!(body["successions"][0]["kind"], "split");
    // The new unit exists from the effective day, and the old address now leads to it by default.
    let unit = app.get("/api/v1/admin-units/07031?as_of=2026-05-01").await.json();
    assert_eq!(unit["unit"]["full_name"], "Phường Hoành Bồ Mới");
    let before = app.get("/api/v1/admin-units/07031?as_of=2026-04-30").await;
    assert_eq!(before.json()["code"], "admin_unit_not_in_force", "a day before every validity");
    let lineage = app.get("/api/v1/admin-units/07030/lineage?as_of=2026-01-01").await.json();
    assert_eq!(lineage["successors"].as_array().unwrap().len(), 2);
    let resolved = app.get("/api/v1/address/resolve?text=ph%C6%B0%E1%BB%9Dng%20Ho%C3%A0nh%20B%E1%BB%93%20M%E1%BB%9Bi%2C%20Qu%E1%BA%A3ng%20Ninh").await.json();
    assert_eq!(resolved["candidates"][0]["unit"]["code"], "07031", "the index was rebuilt after the change");
    let history = tiendo_db::audit::history(app.db.db(), "admin_unit_change", "2026-05-01", 5).await.unwrap();
    assert_eq!(history[0].actor_label, "quantri");
    // Each unit's page shows the change in its history panel.
    app.user("canbo", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let officer = app.sign_in("canbo").await;
    let page = officer.get("/units/07031?as_of=2026-05-01").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<span lang=\"vi\">Phường Hoành Bồ Mới</span> bắt đầu hiệu lực từ ngày 01/05/2026"),
        "{}",
        page.body
    );
    assert!(page.body.contains("NQ 99/2026/NQ-UBTVQH15"));
    let old = officer.get("/units/07030?as_of=2026-04-30").await.body;
    assert!(old.contains("kết thúc hiệu lực từ ngày 01/05/2026"), "{old}");
    let untouched = officer.get("/units/07156?as_of=2025-06-30").await.body;
    assert!(untouched.contains("Chưa có thay đổi nào được ghi nhận."), "the built-in lists are not events");
}

#[tokio::test]
async fn a_change_that_breaks_the_rules_is_422_with_each_field_named_and_nothing_written() {
    let app = TestApp::new().await;
    let token = app.token("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let bad = json!({
        "effective": "2026-05-01",
        "ending": ["07156", "abc"],
        "starting": [
            {"code": "07031", "kind": "ward", "name": "Mới", "parent_code": "99"},
            {"code": "07032", "kind": "village", "name": "X"}
        ],
        "successions": []
    });
    let res = app.api(Method::POST, "/api/v1/admin-unit-changes", Some(&token), Some(bad)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let errors = res.json()["errors"].clone();
    let fields: Vec<(&str, &str)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [("ending[1]", "invalid_code"), ("starting[1].kind", "invalid_kind")]);
    let rules = json!({
        "effective": "2026-05-01",
        "ending": ["07156", "07030"],
        "starting": [{"code": "07031", "kind": "ward", "name": "Mới", "parent_code": "99"}],
        "successions": [{"from_code": "07030", "to_code": "07031"}]
    });
    let res = app.api(Method::POST, "/api/v1/admin-unit-changes", Some(&token), Some(rules)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    let codes: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert!(codes.contains(&("ending[0]".into(), "not_in_force".into())), "{codes:?}");
    assert!(codes.contains(&("starting[0].parent_code".into(), "bad_parent".into())), "{codes:?}");
    let detail =
        body["errors"].as_array().unwrap().iter().find(|e| e["code"] == "not_in_force").unwrap()["detail"].clone();
    assert!(detail.as_str().unwrap().contains("07156") && detail.as_str().unwrap().contains("30/04/2026"), "{detail}");
    assert_eq!(app.get("/api/v1/admin-units/07031?as_of=2026-06-01").await.json()["code"], "unknown_admin_unit");
}

#[tokio::test]
async fn only_province_wide_administrators_record_map_changes() {
    let app = TestApp::new().await;
    let anonymous = app.api(Method::POST, "/api/v1/admin-unit-changes", None, Some(hoanh_bo_split())).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let org = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    let officer = app.token("chuyenvien", Some(org), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let res = app.api(Method::POST, "/api/v1/admin-unit-changes", Some(&officer), Some(hoanh_bo_split())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.json()["code"], "forbidden");
    let scoped = app.token("quantri_so", Some(org), &[(Role::Administrator, Scope::Subtree(org))]).await;
    let res = app.api(Method::POST, "/api/v1/admin-unit-changes", Some(&scoped), Some(hoanh_bo_split())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_administrator_records_a_change_in_the_form_with_errors_named_and_input_kept() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/units/changes/new").await.status, StatusCode::SEE_OTHER, "sign-in first");
    app.user("chuyenvien", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let officer = app.sign_in("chuyenvien").await;
    assert_eq!(officer.get("/units/changes/new").await.status, StatusCode::FORBIDDEN);
    assert!(!officer.get("/units").await.body.contains("/units/changes/new"));
    app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let admin = app.sign_in("quantri").await;
    assert!(admin.get("/units").await.body.contains("href=\"/units/changes/new\""));
    let form = admin.get("/units/changes/new").await;
    assert_eq!(form.status, StatusCode::OK);

    let wrong = admin
        .post(
            "/units/changes/new",
            &[
                ("effective", "01/05/2026"),
                ("ending", "07156 07030"),
                ("starting", "07031; phường; Hoành Bồ Mới; 22\nthiếu tên"),
                ("successions", "07030; 07031"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Dòng 2 không đúng định dạng."), "{}", wrong.body);
    assert!(wrong.body.contains("thiếu tên</textarea>"), "the lines typed are kept");
    assert!(wrong.body.contains("value=\"01/05/2026\""));
    let rules = admin
        .post(
            "/units/changes/new",
            &[
                ("effective", "01/05/2026"),
                ("ending", "07156, 07030"),
                ("starting", "07031; phường; Hoành Bồ Mới; 22"),
                ("successions", "07030; 07031"),
            ],
        )
        .await;
    assert_eq!(rules.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rules.body.contains("Không có đơn vị mã 07156 còn hiệu lực vào ngày 30/04/2026 để kết thúc."),
        "{}",
        rules.body
    );
    assert!(rules.body.contains("id=\"ending\" name=\"ending\""));
    assert!(rules.body.contains("aria-invalid=\"true\">07156, 07030</textarea>"));

    let ok = admin
        .post(
            "/units/changes/new",
            &[
                ("effective", "01/05/2026"),
                ("legal_basis", "NQ 99/2026/NQ-UBTVQH15"),
                ("ending", "07030"),
                ("starting", "07030; phường; Hoành Bồ; 22\n07031; phường; Hoành Bồ Mới; 22"),
                ("successions", "07030; 07030; mặc định; 0,6\n07030; 07031; ; 0,4"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.header("location"), "/units/07030?as_of=2026-05-01");
    let page = admin.get("/units/07030?as_of=2026-05-01").await;
    assert_in_order(&page.body, &["Từ 01/05/2026", "Hình thành từ", "Phường Hoành Bồ", "chia tách"]);
    let old = admin.get("/units/07030?as_of=2026-01-01").await;
    assert_in_order(&old.body, &["Trở thành", "Phường Hoành Bồ", "Phường Hoành Bồ Mới"]);
}

#[tokio::test]
async fn the_configured_default_province_settles_a_name_found_in_several_provinces() {
    let text = tiendo_web::forms::url_encode("phường Việt Hưng");
    let uri = format!("/api/v1/address/resolve?text={text}&as_of=2025-06-30");
    // A ward of Hà Nội (01) and one of Quảng Ninh (22) bear this name; the path ends at the province.
    let province_of = |body: &serde_json::Value| {
        body["candidates"][0]["path"]
            .as_array()
            .and_then(|p| p.last())
            .and_then(|p| p["code"].as_str())
            .map(str::to_owned)
    };
    let plain = TestApp::new().await.get(&uri).await.json();
    let site = tiendo_app::Settings {
        default_province: Some(tiendo_core::geo::AdminUnitCode::parse("22").unwrap()),
        ..tiendo_app::Settings::default()
    };
    let configured = TestApp::with_settings(site).await.get(&uri).await.json();
    assert_eq!(province_of(&configured).as_deref(), Some("22"), "{configured}");
    let confidence = |body: &serde_json::Value| body["candidates"][0]["confidence"].as_f64().unwrap_or(0.0);
    assert!(confidence(&configured) > confidence(&plain), "{plain}\n{configured}");
    // An explicit province in the request wins over the configured one.
    let other = format!("{uri}&province=01");
    let site = tiendo_app::Settings {
        default_province: Some(tiendo_core::geo::AdminUnitCode::parse("22").unwrap()),
        ..tiendo_app::Settings::default()
    };
    let explicit = TestApp::with_settings(site).await.get(&other).await.json();
    assert_eq!(province_of(&explicit).as_deref(), Some("01"), "{explicit}");
}
