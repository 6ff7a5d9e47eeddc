//! The organisation and people directories: pages (forms keep input, errors named, Vietnamese order,
//! filters, authorization) and the JSON API.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;
use tiendo_core::authz::{Role, Scope};

use crate::geography::assert_in_order;
use crate::harness::{Browser, TestApp};

const MINH_HAN_ADDRESS: &str = "Thôn 3, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh";

/// A department officer of the Sở, province-wide, signed in.
async fn officer(app: &TestApp) -> Browser<'_> {
    let so = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    app.user("chuyenvien", Some(so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.sign_in("chuyenvien").await
}

fn minh_han_form<'a>(tax_code: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "enterprise"),
        ("name", name),
        ("address", MINH_HAN_ADDRESS),
        ("tax_code", tax_code),
        ("phone", "0203 3686 123"),
        ("valid_from", "15/03/2012"),
        ("is_sample", "1"),
    ]
}

fn location(res: &crate::harness::TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.header("location").to_owned()
}

#[tokio::test]
async fn the_directory_needs_a_signed_in_user_and_changes_need_department_staff() {
    let app = TestApp::new().await;
    let anonymous = app.get("/organizations").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.header("location").starts_with("/login?next=%2Forganizations"));
    assert_eq!(app.get("/api/v1/organizations").await.status, StatusCode::UNAUTHORIZED);

    let ward = app.org("UBND phường Hà An", None).await;
    app.user("canbo", Some(ward), &[(Role::LocalityOfficer, Scope::Organization(ward))]).await;
    let locality = app.sign_in("canbo").await;
    let list = locality.get("/organizations").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("UBND phường Hà An"));
    assert!(!list.body.contains("href=\"/organizations/new\""), "no create button for a locality officer");
    assert_eq!(locality.get("/organizations/new").await.status, StatusCode::FORBIDDEN);
    let denied = locality.post("/organizations/new", &minh_han_form("5701234567", "Công ty X")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(locality.get(&format!("/organizations/{ward}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(locality.get("/people/new").await.status, StatusCode::FORBIDDEN);
    let token = app.token("canbo2", Some(ward), &[(Role::LocalityOfficer, Scope::Organization(ward))]).await;
    let api =
        app.api(Method::POST, "/api/v1/organizations", Some(&token), Some(json!({"kind": "other", "name": "X"}))).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["code"], "forbidden");
}

#[tokio::test]
async fn an_officer_creates_an_organisation_whose_old_address_is_resolved_to_todays_ward() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let form = browser.get("/organizations/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"_csrf\""));
    let res = browser.post("/organizations/new", &minh_han_form("5701234567", "Công ty TNHH thủy sản Minh Hàn")).await;
    let href = location(&res);
    let page = browser.get(&href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1><span lang=\"vi\">Công ty TNHH thủy sản Minh Hàn</span>"));
    assert!(page.body.contains("Dữ liệu mẫu"));
    assert_in_order(&page.body, &["Xã Hoàng Tân", "Ngày nay", "Phường Hà An", "Chi tiết dưới cấp xã", "Thôn 3"]);
    assert!(page.body.contains("5701234567"));
    assert!(page.body.contains("Từ 15/03/2012"));
    // The history panel shows the creation with its fields.
    assert_in_order(
        &page.body,
        &[
            "Lịch sử",
            "chuyenvien",
            "Tạo mới",
            "Tạo cơ quan, đơn vị <span lang=\"vi\">Công ty TNHH thủy sản Minh Hàn</span>",
        ],
    );
    let en = browser.get(&format!("{href}?lang=en")).await;
    assert!(en.body.contains("Sample data") && en.body.contains("Enterprise") && en.body.contains("Today"));
}

#[tokio::test]
async fn a_form_with_errors_comes_back_with_the_input_kept_and_each_field_named() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let mut fields = minh_han_form("57-01", "");
    fields.push(("email", "khong-phai-thu"));
    let res = browser.post("/organizations/new", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &res.body;
    assert!(body.contains("Hãy sửa các trường được đánh dấu"));
    assert!(body.contains("Trường này là bắt buộc."), "name is required");
    assert!(body.contains("Mã số thuế gồm 10 chữ số"));
    assert!(body.contains("Địa chỉ thư điện tử không hợp lệ"));
    assert!(body.contains("value=\"57-01\""), "the tax code typed is kept");
    assert!(body.contains("value=\"khong-phai-thu\""));
    assert!(body.contains(&format!("value=\"{MINH_HAN_ADDRESS}\"")));
    assert!(body.contains("id=\"tax_code\" name=\"tax_code\" type=\"text\" value=\"57-01\" aria-describedby=\"tax_code-hint tax_code-error\" aria-invalid=\"true\""));
    assert!(body.contains("<p class=\"field-error\" id=\"name-error\">"));
    assert!(body.contains("<option value=\"enterprise\" selected>"));
    // Nothing was saved.
    let list = browser.get("/organizations").await;
    assert!(!list.body.contains("Minh Hàn"));
}

#[tokio::test]
async fn a_duplicate_tax_code_is_a_field_error_on_the_page_and_in_the_api() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    location(&browser.post("/organizations/new", &minh_han_form("5701234567", "Công ty TNHH thủy sản Minh Hàn")).await);
    let again = browser.post("/organizations/new", &minh_han_form("5701234567", "Công ty khác")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Mã số thuế này đã thuộc về một cơ quan, đơn vị khác"));
    assert!(again.body.contains("value=\"Công ty khác\""));

    let token = app.token("api", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let res = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&token),
            Some(json!({"kind": "enterprise", "name": "Công ty khác", "tax_code": "5701234567"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["errors"][0]["field"], "tax_code");
    assert_eq!(body["errors"][0]["code"], "tax_code_taken");
    let malformed = app
        .api(
            Method::POST,
            "/api/v1/organizations?lang=en",
            Some(&token),
            Some(json!({"kind": "enterprise", "name": "Công ty khác", "tax_code": "12345"})),
        )
        .await
        .json();
    assert_eq!(malformed["errors"][0]["code"], "tax_code_format");
    assert!(malformed["errors"][0]["detail"].as_str().unwrap().starts_with("A tax code has 10 digits"));
}

#[tokio::test]
async fn checking_an_ambiguous_address_offers_the_candidates_and_the_choice_is_saved() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let fields = [("kind", "other"), ("name", "Hợp tác xã Quảng Yên"), ("address", "Quảng Yên")];
    let mut checking = fields.to_vec();
    checking.push(("check", "1"));
    let checked = browser.post("/organizations/new", &checking).await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("type=\"radio\" name=\"unit\""), "{}", checked.body);
    assert!(checked.body.contains("Thị xã Quảng Yên, Tỉnh Quảng Ninh"));
    assert!(checked.body.contains("value=\"Hợp tác xã Quảng Yên\""));
    assert!(!browser.get("/organizations").await.body.contains("Hợp tác xã Quảng Yên"), "checking saves nothing");

    let unsure = browser.post("/organizations/new", &fields).await;
    assert_eq!(unsure.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unsure.body.contains("Địa chỉ khớp với nhiều đơn vị hành chính"));

    let mut chosen = fields.to_vec();
    chosen.push(("unit", "07132@2025-07-01"));
    let saved = browser.post("/organizations/new", &chosen).await;
    let page = browser.get(&location(&saved)).await;
    assert!(page.body.contains("Phường Quảng Yên</a> <code>07132</code>"), "{}", page.body);
    assert!(page.body.contains("<dd>Đang hoạt động</dd>"), "no dates: in existence");
}

#[tokio::test]
async fn the_organisation_list_filters_without_diacritics_by_kind_and_by_unit_in_vietnamese_order() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    location(&browser.post("/organizations/new", &minh_han_form("5701234567", "Công ty TNHH thủy sản Minh Hàn")).await);
    for (kind, name, address) in [
        ("commune_committee", "UBND phường Hà An", "phường Hà An, tỉnh Quảng Ninh"),
        ("commune_committee", "UBND phường Đông Mai", "phường Đông Mai, Quảng Ninh"),
        ("enterprise", "Công ty CP phát triển Agritech", "khu 5, phường Hoành Bồ, TP Hạ Long, Quảng Ninh"),
    ] {
        location(&browser.post("/organizations/new", &[("kind", kind), ("name", name), ("address", address)]).await);
    }
    let all = browser.get("/organizations").await;
    // The four, and the Sở of the signed-in officer.
    assert!(all.body.contains("5 kết quả"));
    assert_in_order(
        &all.body,
        &[
            "Công ty CP phát triển Agritech",
            "Công ty TNHH thủy sản Minh Hàn",
            "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
            "UBND phường Đông Mai",
            "UBND phường Hà An",
        ],
    );
    let folded = browser.get("/organizations?q=thuy+san").await;
    assert!(folded.body.contains("Minh Hàn") && !folded.body.contains("Agritech"));
    let enterprises = browser.get("/organizations?kind=enterprise").await;
    assert!(enterprises.body.contains("2 kết quả"));
    let in_ha_an = browser.get("/organizations?unit=07168%402025-07-01").await;
    assert!(in_ha_an.body.contains("2 kết quả"), "{}", in_ha_an.body);
    assert!(in_ha_an.body.contains("Minh Hàn") && in_ha_an.body.contains("UBND phường Hà An"));
    assert!(!in_ha_an.body.contains("Đông Mai</a>"));
    // Agritech's old address (phường Hoành Bồ of TP Hạ Long) is today's phường Hoành Bồ.
    assert_in_order(&all.body, &["Agritech", "Phường Hoành Bồ"]);
    let en = browser.get("/organizations?lang=en").await;
    assert!(en.body.contains("5 results") && en.body.contains("Directory of organisations"));

    let token = app.token("api", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let api = app.api(Method::GET, "/api/v1/organizations?unit=07168&limit=1", Some(&token), None).await.json();
    assert_eq!(api["total"], 2);
    assert_eq!(api["items"][0]["name"], "Công ty TNHH thủy sản Minh Hàn");
    assert_eq!(api["items"][0]["admin_unit"]["code"], "07156");
    assert_eq!(api["items"][0]["admin_unit_today"]["code"], "07168");
    assert_eq!(api["next"], "1");
    let bad = app.api(Method::GET, "/api/v1/organizations?kind=ubnd", Some(&token), None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["code"], "invalid_query");
}

#[tokio::test]
async fn an_edit_is_audited_and_scoped_staff_may_only_edit_their_subtree() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let href = location(&browser.post("/organizations/new", &minh_han_form("5701234567", "Công ty Minh Hàn")).await);
    let edit = browser.get(&format!("{href}/edit")).await;
    assert!(edit.body.contains("value=\"Công ty Minh Hàn\""));
    assert!(edit.body.contains("value=\"15/03/2012\""));
    let mut fields = minh_han_form("5701234567", "Công ty TNHH thủy sản Minh Hàn");
    fields.push(("unit", "07156@"));
    location(&browser.post(&format!("{href}/edit"), &fields).await);
    let page = browser.get(&href).await;
    assert_in_order(
        &page.body,
        &[
            "Cập nhật",
            "Sửa thông tin <span lang=\"vi\">Công ty TNHH thủy sản Minh Hàn</span>",
            "<td>Tên</td>",
            "Công ty Minh Hàn",
        ],
    );

    let other = app.org("UBND phường Đông Mai", None).await;
    app.user("quanly", Some(other), &[(Role::DepartmentOfficer, Scope::Subtree(other))]).await;
    let scoped = app.sign_in("quanly").await;
    assert_eq!(scoped.get(&format!("{href}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(scoped.get(&format!("/organizations/{other}/edit")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_succession_is_recorded_from_the_page_and_moves_what_the_old_committee_owned() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let town = app.org("UBND thị xã Quảng Yên", None).await;
    let office = app.org("Phòng Kinh tế", Some(town)).await;
    let ha_an = app.org("UBND phường Hà An", None).await;
    let dong_mai = app.org("UBND phường Đông Mai", None).await;
    let chair = app.db.fixtures().person("Nguyễn Văn Chủ").create().await;
    app.db.fixtures().affiliation(chair, town, "Chủ tịch").create().await;
    let form = browser.get(&format!("/organizations/{town}/succession")).await;
    assert_eq!(form.status, StatusCode::OK);
    let missing = browser.post(&format!("/organizations/{town}/succession"), &[("effective", "01/07/2025")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("value=\"01/07/2025\""));
    let (ha_an_s, dong_mai_s) = (ha_an.to_string(), dong_mai.to_string());
    let res = browser
        .post(
            &format!("/organizations/{town}/succession"),
            &[
                ("effective", "01/07/2025"),
                ("successors", &ha_an_s),
                ("successors", &dong_mai_s),
                ("default_successor", &ha_an_s),
                ("move_children", "1"),
                ("move_affiliations", "1"),
            ],
        )
        .await;
    location(&res);
    // Every record that changed has its event, in the reader's language.
    let history = |entity: &'static str, id: i64| {
        let db = app.db.db().clone();
        async move { tiendo_db::audit::history(&db, entity, &id.to_string(), 10).await.unwrap() }
    };
    let ended = history("organization", town).await;
    assert_eq!(
        (ended[0].action.as_str(), ended[0].summary_key.as_deref()),
        ("succeed", Some("audit-organization-succeeded"))
    );
    assert_eq!(
        ended[0].summary,
        "UBND thị xã Quảng Yên chấm dứt từ 01/07/2025; kế thừa: UBND phường Hà An, UBND phường Đông Mai"
    );
    assert_eq!(history("organization", office).await[0].action, "move");
    assert_eq!(history("person", chair).await[0].action, "move_affiliation");
    let office_en = browser.get(&format!("/organizations/{office}?lang=en")).await;
    assert!(office_en.body.contains("Moved under <span lang=\"vi\">UBND phường Hà An</span>"), "{}", office_en.body);
    let chair_page = browser.get(&format!("/people/{chair}")).await;
    assert!(chair_page.body.contains(
        "<span lang=\"vi\">Chủ tịch</span>: chuyển từ <span lang=\"vi\">UBND thị xã Quảng Yên</span> sang \
         <span lang=\"vi\">UBND phường Hà An</span> từ 01/07/2025"
    ));
    let page = browser.get(&format!("/organizations/{town}")).await;
    assert_in_order(&page.body, &["Các đơn vị kế thừa", "UBND phường Đông Mai", "UBND phường Hà An", "mặc định"]);
    assert!(!page.body.contains("/succession\""), "no second succession");
    let office_page = browser.get(&format!("/organizations/{office}")).await;
    assert!(office_page.body.contains(&format!("href=\"/organizations/{ha_an}\" lang=\"vi\">UBND phường Hà An")));
    let again = browser
        .post(&format!("/organizations/{town}/succession"), &[("effective", "02/07/2025"), ("successors", &ha_an_s)])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("đã chấm dứt hoạt động hoặc đã có đơn vị kế thừa"));
}

#[tokio::test]
async fn people_are_listed_by_given_name_and_their_roles_are_added_and_ended() {
    let app = TestApp::new().await;
    let browser = officer(&app).await;
    let so = tiendo_db::directory::organization_by_name(app.db.db(), "Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
        .await
        .unwrap()
        .unwrap()
        .id;
    let nam =
        location(&browser.post("/people/new", &[("full_name", "Hoàng Bá Nam"), ("position", "Giám đốc Sở")]).await);
    let minh = location(
        &browser
            .post(
                "/people/new",
                &[
                    ("full_name", "Nguyễn Đắc Bình Minh"),
                    ("degree", "doctor"),
                    ("position", "Viện trưởng"),
                    ("expertise", "Phát triển vùng\nKinh tế biển"),
                ],
            )
            .await,
    );
    let list = browser.get("/people").await;
    assert_in_order(&list.body, &["TS. Nguyễn Đắc Bình Minh", "Hoàng Bá Nam"]);
    assert!(browser.get("/people?q=dac+binh").await.body.contains("Nguyễn Đắc Bình Minh"));
    assert!(!browser.get("/people?q=dac+binh").await.body.contains("Hoàng Bá Nam"));
    let page = browser.get(&minh).await;
    assert!(page.body.contains("Tiến sĩ") && page.body.contains("Kinh tế biển"));

    let so_s = so.to_string();
    let missing_role = browser
        .post(&format!("{nam}/affiliations"), &[("organization_id", &so_s), ("role", ""), ("valid_from", "01/01/2019")])
        .await;
    assert_eq!(missing_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing_role.body.contains("value=\"01/01/2019\""));
    assert!(missing_role.body.contains("<p class=\"field-error\" id=\"role-error\">"));
    location(
        &browser
            .post(
                &format!("{nam}/affiliations"),
                &[("organization_id", &so_s), ("role", "Giám đốc"), ("valid_from", "01/01/2019")],
            )
            .await,
    );
    let page = browser.get(&nam).await;
    assert_in_order(&page.body, &["Giám đốc", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", "Từ 01/01/2019"]);
    let at_so = browser.get(&format!("/people?organization={so}")).await;
    assert!(at_so.body.contains("Hoàng Bá Nam") && !at_so.body.contains("Bình Minh"));
    let org_page = browser.get(&format!("/organizations/{so}")).await;
    assert_in_order(&org_page.body, &["Lãnh đạo, cán bộ", "Hoàng Bá Nam", "Giám đốc", "01/01/2019"]);

    let person_id: i64 = nam.rsplit('/').next().unwrap().parse().unwrap();
    let role_id = tiendo_db::directory::affiliations_of_person(app.db.db(), person_id).await.unwrap()[0].id;
    let bad_end = browser.post(&format!("{nam}/affiliations/{role_id}/end"), &[("valid_to", "01/01/2018")]).await;
    assert_eq!(bad_end.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_end.body.contains("Ngày kết thúc phải sau ngày bắt đầu"));
    assert!(bad_end.body.contains("value=\"01/01/2018\""));
    location(&browser.post(&format!("{nam}/affiliations/{role_id}/end"), &[("valid_to", "01/01/2026")]).await);
    let page = browser.get(&nam).await;
    assert!(page.body.contains("Từ 01/01/2019 đến hết 31/12/2025"));
    assert_in_order(&page.body, &["Lịch sử", "Kết thúc chức vụ", "Thêm chức vụ", "Tạo mới"]);
    let en = browser.get("/people?lang=en").await;
    assert!(en.body.contains("Directory of people") && en.body.contains("2 results"));

    // Someone who is not department staff reads the directory but changes nothing in it.
    app.user("canbo", None, &[(Role::LocalityOfficer, Scope::Organization(so))]).await;
    let locality = app.sign_in("canbo").await;
    assert_eq!(locality.get(&nam).await.status, StatusCode::OK);
    assert!(!locality.get(&nam).await.body.contains("/affiliations\""), "no role form");
    let denied = locality.post(&format!("{nam}/affiliations"), &[("organization_id", &so_s), ("role", "X")]).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(locality.post(&format!("{nam}/edit"), &[("full_name", "X")]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_creates_reads_updates_and_lists_organisations() {
    let app = TestApp::new().await;
    let token = app.token("api", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let body = json!({
        "kind": "enterprise",
        "name": "Công ty CP phát triển Agritech",
        "address": "khu 5, phường Hoành Bồ, TP Hạ Long, Quảng Ninh",
        "tax_code": "5702345678",
        "is_sample": true
    });
    let res = app.api(Method::POST, "/api/v1/organizations", Some(&token), Some(body.clone())).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let created = res.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(res.header("location"), format!("/api/v1/organizations/{id}"));
    assert_eq!(created["admin_unit"]["code"], "07030");
    assert_eq!(created["admin_unit"]["valid_to"], "2025-07-01");
    assert_eq!(created["admin_unit_today"]["valid_from"], "2025-07-01");
    assert_eq!(created["address_detail"], "khu 5");
    let got = app.api(Method::GET, &format!("/api/v1/organizations/{id}"), Some(&token), None).await.json();
    assert_eq!(got["tax_code"], "5702345678");
    let mut changed = body.clone();
    changed["name"] = json!("Công ty Cổ phần Phát triển Agritech");
    changed["admin_unit_code"] = json!("07030");
    let updated = app.api(Method::PUT, &format!("/api/v1/organizations/{id}"), Some(&token), Some(changed)).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["admin_unit"]["valid_from"], "2025-07-01", "the unit named by code today");
    assert_eq!(
        app.api(Method::GET, "/api/v1/organizations/9999", Some(&token), None).await.status,
        StatusCode::NOT_FOUND
    );
    let unknown_parent = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&token),
            Some(json!({"kind": "division", "name": "Phòng", "parent_id": 9999})),
        )
        .await;
    assert_eq!(unknown_parent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_parent.json()["errors"][0]["code"], "unknown_organization");
    let bad_unit = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&token),
            Some(json!({"kind": "other", "name": "X", "admin_unit_code": "07156"})),
        )
        .await
        .json();
    assert_eq!(bad_unit["errors"][0]["field"], "admin_unit_code");
    assert_eq!(bad_unit["errors"][0]["code"], "unknown_unit");
    let ambiguous = app
        .api(
            Method::POST,
            "/api/v1/organizations",
            Some(&token),
            Some(json!({"kind": "other", "name": "X", "address": "Quảng Yên"})),
        )
        .await
        .json();
    assert_eq!(ambiguous["errors"][0]["code"], "address_ambiguous");
    let wrong_shape = app.api(Method::POST, "/api/v1/organizations", Some(&token), Some(json!({"name": 3}))).await;
    assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_shape.json()["code"], "invalid_body");
    let list = app.api(Method::GET, "/api/v1/organizations?q=agritech", Some(&token), None).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["is_sample"], true);
}

#[tokio::test]
async fn the_api_manages_people_their_roles_and_successions() {
    let app = TestApp::new().await;
    let token = app.token("api", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let institute = app.org("Viện Nghiên cứu và Phát triển Vùng", None).await;
    let person = json!({
        "full_name": "Nguyễn Đắc Bình Minh",
        "degree": "doctor",
        "position": "Viện trưởng",
        "expertise": ["Phát triển vùng", "Kinh tế biển"]
    });
    let res = app.api(Method::POST, "/api/v1/people", Some(&token), Some(person)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id = res.json()["id"].as_i64().unwrap();
    assert_eq!(res.json()["display_name"], "TS. Nguyễn Đắc Bình Minh");
    let role = app
        .api(
            Method::POST,
            &format!("/api/v1/people/{id}/affiliations"),
            Some(&token),
            Some(json!({"organization_id": institute, "role": "Viện trưởng", "valid_from": "2018-05-01"})),
        )
        .await;
    assert_eq!(role.status, StatusCode::CREATED, "{}", role.body);
    let role_id = role.json()["id"].as_i64().unwrap();
    assert_eq!(role.json()["current"], true);
    let got = app.api(Method::GET, &format!("/api/v1/people/{id}"), Some(&token), None).await.json();
    assert_eq!(got["affiliations"][0]["organization_name"], "Viện Nghiên cứu và Phát triển Vùng");
    assert_eq!(got["expertise"], json!(["Phát triển vùng", "Kinh tế biển"]));
    let list =
        app.api(Method::GET, &format!("/api/v1/people?organization={institute}"), Some(&token), None).await.json();
    assert_eq!(list["total"], 1);
    let bad = app
        .api(
            Method::PUT,
            &format!("/api/v1/people/{id}"),
            Some(&token),
            Some(json!({"full_name": "", "degree": "phd"})),
        )
        .await
        .json();
    let codes: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(codes, ["full_name", "degree"]);
    let ok = app
        .api(Method::PUT, &format!("/api/v1/people/{id}"), Some(&token), Some(json!({"full_name": "Nguyễn Đắc Bình Minh", "academic_rank": "associate_professor", "degree": "doctor"})))
        .await;
    assert_eq!(ok.json()["title"], "PGS.TS.");
    let ended = app
        .api(
            Method::POST,
            &format!("/api/v1/affiliations/{role_id}/end"),
            Some(&token),
            Some(json!({"valid_to": "2026-01-01"})),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(ended.json()["current"], false);
    let twice = app
        .api(
            Method::POST,
            &format!("/api/v1/affiliations/{role_id}/end"),
            Some(&token),
            Some(json!({"valid_to": "2026-02-01"})),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice.json()["errors"][0]["code"], "already_ended");
    assert_eq!(app.api(Method::GET, "/api/v1/people/9999", Some(&token), None).await.status, StatusCode::NOT_FOUND);

    let town = app.org("UBND thị xã Quảng Yên", None).await;
    let ward = app.org("UBND phường Hà An", None).await;
    let succession = app
        .api(
            Method::POST,
            &format!("/api/v1/organizations/{town}/succession"),
            Some(&token),
            Some(json!({"effective": "2025-07-01", "successors": [ward]})),
        )
        .await;
    assert_eq!(succession.status, StatusCode::OK, "{}", succession.body);
    assert_eq!(succession.json()["organization"]["valid_to"], "2025-07-01");
    assert_eq!(succession.json()["organization"]["successor"]["id"], ward);
    let again = app
        .api(
            Method::POST,
            &format!("/api/v1/organizations/{town}/succession"),
            Some(&token),
            Some(json!({"effective": "2025-07-01", "successors": [ward]})),
        )
        .await;
    assert_eq!(again.json()["errors"][0]["code"], "already_succeeded");
}

#[tokio::test]
async fn the_address_index_is_built_once_and_rebuilt_after_invalidation() {
    let app = TestApp::new().await;
    let state = app.state();
    let first = state.geo().get(state.db()).await.unwrap();
    let again = state.geo().get(state.db()).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    state.geo().invalidate().await;
    let rebuilt = state.geo().get(state.db()).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &rebuilt));
    assert_eq!(first.gazetteer().len(), rebuilt.gazetteer().len());
}

#[tokio::test]
async fn a_malformed_body_on_a_real_route_is_a_problem_never_a_500() {
    let app = TestApp::new().await;
    let token = app.token("api", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let send = |content_type: &'static str, body: Vec<u8>| {
        let token = token.clone();
        let app = &app;
        async move {
            let request = Request::post("/api/v1/organizations")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap();
            app.send(request).await
        }
    };
    let too_big = format!(r#"{{"kind": "enterprise", "name": "{}"}}"#, "x".repeat(tiendo_web::MAX_JSON_BODY + 1));
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "application/json",
            b"{\"kind\": \"enterprise\", \"name\": ".to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        ("application/json", b"{\"kind\": 7}".to_vec(), StatusCode::BAD_REQUEST, "invalid_body"),
        ("text/plain", b"{}".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("application/json", too_big.into_bytes(), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    ];
    for (content_type, body, status, code) in cases {
        let res = send(content_type, body).await;
        assert_eq!(res.status, status, "{content_type}: {}", res.body);
        assert_eq!(res.header("content-type"), "application/problem+json", "{}", res.body);
        let problem = res.json();
        assert_eq!(problem["code"], code, "{problem}");
        assert!(!problem["title"].as_str().unwrap_or_default().is_empty(), "{problem}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM organizations WHERE kind = 'enterprise'").await, 0);
}
