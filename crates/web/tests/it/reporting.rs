//! The periodic reporting pages end to end: a template written by an administrator, reports filled,
//! returned and approved, aggregates updated on approval and reverted on unlock, attribution across the
//! 2025 reform, completeness, with the bad inputs of issue 7 ("N/A" in a number, a value out of bounds, a
//! wrong period, a second submission of an approved report, two people editing one report) and access.

use axum::http::StatusCode;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::{Browser, TestApp, TestResponse};

pub(crate) const TEMPLATE: &str = r#"code = "KHCN-NAM"
name = "Báo cáo thống kê KH&CN hằng năm"
periodicity = "yearly"
due_days = 32

[[indicator]]
code = "NL.TONG"
name = "Tổng số nhân lực KH&CN"
unit = "người"
aggregate = "sum"

[[indicator]]
code = "KP.CAP"
name = "Kinh phí được cấp"
unit = "đồng"
aggregate = "sum"

[[indicator]]
code = "KP.CHI"
name = "Kinh phí đã chi"
unit = "đồng"
aggregate = "sum"

[[section]]
title = "Nhân lực"
[[section.field]]
code = "staff"
label = "Tổng số nhân lực KH&CN"
type = "integer"
required = true
min = 0
indicator = "NL.TONG"

[[section]]
title = "Kinh phí"
[[section.field]]
code = "allocated"
label = "Kinh phí được cấp"
type = "money"
indicator = "KP.CAP"
[[section.field]]
code = "spent"
label = "Kinh phí đã chi"
type = "money"
indicator = "KP.CHI"

[[rule]]
check = "spent <= allocated"
message = "Kinh phí đã chi không vượt kinh phí được cấp."
"#;

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) ha_an: i64,
    pub(crate) hoanh_bo: i64,
    pub(crate) town: i64,
    pub(crate) ward_qy: i64,
}

/// An organisation of a kind in the unit `code` as it was on `as_of`.
async fn org_in(
    app: &TestApp,
    name: &str,
    kind: &str,
    code: &str,
    as_of: &str,
    parent: Option<i64>,
    valid_to: Option<&str>,
) -> i64 {
    let mut org = app.db.fixtures().organization(name).kind(kind).in_unit(code, day(as_of));
    if let Some(parent) = parent {
        org = org.parent(parent);
    }
    if let Some(end) = valid_to {
        org = org.valid_to(day(end));
    }
    org.create().await
}

pub(crate) async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    let today = "2026-01-01";
    let province = org_in(&app, "UBND tỉnh Quảng Ninh", "provincial_committee", "22", today, None, None).await;
    let dept =
        org_in(&app, "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", "department", "22", today, Some(province), None).await;
    let ha_an =
        org_in(&app, "UBND phường Hà An", "commune_committee", "07168", "2025-08-01", Some(province), None).await;
    let hoanh_bo =
        org_in(&app, "UBND phường Hoành Bồ", "commune_committee", "07030", "2025-08-01", Some(province), None).await;
    let ward_qy =
        org_in(&app, "UBND phường Quảng Yên", "commune_committee", "07132", "2025-08-01", Some(province), None).await;
    let town = org_in(
        &app,
        "UBND thị xã Quảng Yên",
        "district_committee",
        "206",
        "2020-01-01",
        Some(province),
        Some("2025-07-01"),
    )
    .await;
    app.user("quantri", Some(dept), &[(Role::Administrator, Scope::Province)]).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(dept), &[(Role::DepartmentLeader, Scope::Province)]).await;
    app.user("haan", Some(ha_an), &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    app.user("haan2", Some(ha_an), &[(Role::LocalityOfficer, Scope::Organization(ha_an))]).await;
    app.user("hoanhbo", Some(hoanh_bo), &[(Role::LocalityOfficer, Scope::Organization(hoanh_bo))]).await;
    app.user("quangyen", Some(town), &[(Role::LocalityOfficer, Scope::Organization(town))]).await;
    app.user("phuongqy", Some(ward_qy), &[(Role::LocalityOfficer, Scope::Organization(ward_qy))]).await;
    Fixture { app, ha_an, hoanh_bo, town, ward_qy }
}

pub(crate) fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "expected a redirect: {}", res.body);
    res.header("location").to_owned()
}

pub(crate) fn report_id(location: &str) -> i64 {
    location
        .strip_prefix("/reports/")
        .and_then(|rest| rest.split(['?', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no report id in {location}"))
}

pub(crate) async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let (v,): (i64,) = app.db.db().fetch_one(Query::new(sql.to_owned())).await.unwrap();
    v
}

pub(crate) async fn aggregate(
    app: &TestApp,
    map: &str,
    level: &str,
    unit: &str,
    indicator: &str,
    period: &str,
) -> (f64, i64) {
    let row: Option<(f64, i64)> = app
        .db
        .db()
        .fetch_optional(
            Query::new(
                "SELECT value_sum, value_count FROM report_aggregates WHERE map = $1 AND level = $2 AND unit_code = $3 \
                 AND indicator_code = $4 AND period_code = $5",
            )
            .bind(map)
            .bind(level)
            .bind(unit)
            .bind(indicator)
            .bind(period),
        )
        .await
        .unwrap();
    row.unwrap_or((0.0, 0))
}

/// The administrator writes the template and assigns it to every commune of Quảng Ninh and to the town.
pub(crate) async fn template(f: &Fixture) {
    let admin = f.app.sign_in("quantri").await;
    location(&admin.post("/admin/report-templates/new", &[("definition", TEMPLATE), ("action", "save")]).await);
    location(
        &admin
            .post(
                "/admin/report-templates/KHCN-NAM/targets",
                &[("org_kind", "commune_committee"), ("province_code", "22")],
            )
            .await,
    );
    let town = f.town.to_string();
    location(&admin.post("/admin/report-templates/KHCN-NAM/targets", &[("org_id", &town)]).await);
}

pub(crate) async fn open(browser: &Browser<'_>, org: i64, period: &str) -> i64 {
    let org = org.to_string();
    let res = browser.post("/reports/open", &[("template", "KHCN-NAM"), ("org", &org), ("period", period)]).await;
    report_id(&location(&res))
}

pub(crate) async fn version(app: &TestApp, id: i64) -> String {
    scalar(app, &format!("SELECT version FROM reports WHERE id = {id}")).await.to_string()
}

pub(crate) async fn fill(browser: &Browser<'_>, id: i64, values: &[(&str, &str)], action: &str) -> TestResponse {
    let v = version(browser.app, id).await;
    let mut fields: Vec<(String, String)> = vec![("version".into(), v), ("action".into(), action.into())];
    fields.extend(values.iter().map(|(k, val)| (format!("f_{k}"), (*val).to_owned())));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post_multipart(&format!("/reports/{id}/edit"), &refs, &[]).await
}

/// Opens, fills, submits (as the unit) and approves (as the leader) a yearly report.
pub(crate) async fn approved(f: &Fixture, reporter: &str, org: i64, year: &str, values: &[(&str, &str)]) -> i64 {
    let unit = f.app.sign_in(reporter).await;
    let id = open(&unit, org, year).await;
    location(&fill(&unit, id, values, "submit").await);
    let leader = f.app.sign_in("lanhdao").await;
    location(&leader.post(&format!("/reports/{id}/decide"), &[("decision", "approve")]).await);
    id
}

#[tokio::test]
async fn a_report_goes_from_the_template_to_approved_figures_and_back_on_unlock() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;

    // A template with a typo: the line is named and the text kept.
    let typo =
        TEMPLATE.replace("type = \"money\"\nindicator = \"KP.CHI\"", "type = \"monney\"\nindicator = \"KP.CHI\"");
    let bad = admin.post("/admin/report-templates/new", &[("definition", &typo), ("action", "save")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Dòng 44: unknown variant `monney`"), "the line is named: {}", bad.body);
    assert!(bad.body.contains("monney"), "the text is kept");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM report_templates").await, 0);
    let preview = admin.post("/admin/report-templates/new", &[("definition", TEMPLATE), ("action", "preview")]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("Tổng số nhân lực KH&#38;CN") && preview.body.contains("id=\"f_staff\""),
        "{}",
        preview.body
    );
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM report_templates").await, 0, "a preview saves nothing");
    template(&f).await;
    assert_eq!(f.app.sign_in("haan").await.get("/admin/report-templates").await.status, StatusCode::FORBIDDEN);

    // The ward sees what is due, and opens a report: a wrong period is named with the input kept.
    let haan = f.app.sign_in("haan").await;
    let mine = haan.get("/reports").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Báo cáo thống kê KH&#38;CN hằng năm"), "{}", mine.body);
    let ha_an = f.ha_an.to_string();
    let wrong = haan.post("/reports/open", &[("template", "KHCN-NAM"), ("org", &ha_an), ("period", "2025Q3")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("không đúng loại kỳ"), "{}", wrong.body);
    assert!(wrong.body.contains("value=\"2025Q3\""), "the period typed is kept");
    let future = haan.post("/reports/open", &[("template", "KHCN-NAM"), ("org", &ha_an), ("period", "2099")]).await;
    assert!(future.body.contains("chưa bắt đầu"), "{}", future.body);
    let other = f.hoanh_bo.to_string();
    let foreign = haan.post("/reports/open", &[("template", "KHCN-NAM"), ("org", &other), ("period", "2025")]).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "a ward opens no report for another ward");
    let id = open(&haan, f.ha_an, "2025").await;
    assert_eq!(open(&haan, f.ha_an, "2025").await, id, "opening again resumes the same report");

    // "N/A" in a number and a negative count: each named beside its field, the rest kept, nothing written.
    let bad = fill(&haan, id, &[("staff", "N/A"), ("allocated", "500.000.000"), ("spent", "-5")], "save").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("“N/A” không phải là số"), "{}", bad.body);
    assert!(bad.body.contains("value=\"500.000.000\""), "the other input is kept");
    assert!(bad.body.contains("id=\"f_staff-error\""), "the error sits beside its field");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM report_value_history").await, 0);
    let negative = fill(&haan, id, &[("staff", "-3")], "save").await;
    assert!(negative.body.contains("không được nhỏ hơn 0"), "{}", negative.body);

    // A draft is saved and resumed; submitting checks the rules.
    let saved = fill(&haan, id, &[("staff", "12"), ("allocated", "500.000.000")], "save").await;
    assert_eq!(location(&saved), format!("/reports/{id}/edit?done=saved"));
    let resumed = haan.get(&format!("/reports/{id}/edit")).await;
    assert!(
        resumed.body.contains("value=\"12\"") && resumed.body.contains("value=\"500.000.000\""),
        "{}",
        resumed.body
    );
    let rule =
        fill(&haan, id, &[("staff", "12"), ("allocated", "500.000.000"), ("spent", "600.000.000")], "submit").await;
    assert_eq!(rule.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rule.body.contains("Kinh phí đã chi không vượt kinh phí được cấp."), "{}", rule.body);
    let sent =
        fill(&haan, id, &[("staff", "12"), ("allocated", "500.000.000"), ("spent", "450.000.000")], "submit").await;
    assert_eq!(location(&sent), format!("/reports/{id}?done=submitted"));

    // Another ward sees nothing of it.
    let hoanhbo = f.app.sign_in("hoanhbo").await;
    assert_eq!(hoanhbo.get(&format!("/reports/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(hoanhbo.get(&format!("/reports/{id}/history")).await.status, StatusCode::NOT_FOUND);
    assert!(!hoanhbo.get("/reports").await.body.contains(&format!("/reports/{id}\"")));

    // Only the leader approves; the officer returns, with a comment on a field.
    let officer = f.app.sign_in("chuyenvien").await;
    assert!(officer.get("/reports/queue").await.body.contains(&format!("/reports/{id}\"")));
    let approve = officer.post(&format!("/reports/{id}/decide"), &[("decision", "approve")]).await;
    assert_eq!(approve.status, StatusCode::FORBIDDEN, "an officer does not approve");
    let silent = officer.post(&format!("/reports/{id}/decide"), &[("decision", "return")]).await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(silent.body.contains("hãy ghi ý kiến"), "{}", silent.body);
    let returned = officer
        .post(
            &format!("/reports/{id}/decide"),
            &[("decision", "return"), ("c_staff", "Số nhân lực thấp hơn năm trước, đề nghị kiểm tra.")],
        )
        .await;
    assert_eq!(location(&returned), format!("/reports/{id}?done=returned"));
    let form = haan.get(&format!("/reports/{id}/edit")).await;
    assert!(
        form.body.contains("Số nhân lực thấp hơn năm trước, đề nghị kiểm tra."),
        "the comment is shown by its field"
    );
    location(
        &fill(&haan, id, &[("staff", "14"), ("allocated", "500.000.000"), ("spent", "450.000.000")], "submit").await,
    );

    // The leader approves: the figures reach the aggregates at once.
    assert_eq!(aggregate(&f.app, "current", "province", "22", "NL.TONG", "2025").await, (0.0, 0));
    let leader = f.app.sign_in("lanhdao").await;
    location(&leader.post(&format!("/reports/{id}/decide"), &[("decision", "approve")]).await);
    assert_eq!(aggregate(&f.app, "current", "province", "22", "NL.TONG", "2025").await, (14.0, 1));
    assert_eq!(aggregate(&f.app, "current", "unit", "07168", "KP.CHI", "2025").await, (450_000_000.0, 1));
    let page = leader.get("/reports/aggregates?map=current&province=22").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<a href=\"/reports/aggregates/units?map=current&#38;province=22&#38;period=2025&#38;indicator=NL.TONG\">14</a>"), "{}", page.body);
    assert!(page.body.contains(">14<"), "{}", page.body);

    // A second submission of the approved report is refused clearly, with the input kept.
    let again = fill(&haan, id, &[("staff", "99")], "submit").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("đã được Người dùng lanhdao phê duyệt"), "{}", again.body);
    assert!(again.body.contains("value=\"99\""), "the input is kept");

    // Unlocking needs a reason and takes the figures back out.
    let no_reason = leader.post(&format!("/reports/{id}/unlock"), &[("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(officer.post(&format!("/reports/{id}/unlock"), &[("reason", "x")]).await.status, StatusCode::FORBIDDEN);
    location(&leader.post(&format!("/reports/{id}/unlock"), &[("reason", "Sai số liệu kinh phí")]).await);
    assert_eq!(aggregate(&f.app, "current", "province", "22", "NL.TONG", "2025").await, (0.0, 0));
    assert_eq!(aggregate(&f.app, "reported", "unit", "07168", "NL.TONG", "2025").await, (0.0, 0));
    let reopened = haan.get(&format!("/reports/{id}")).await;
    assert!(reopened.body.contains("Sai số liệu kinh phí"), "the reason is shown to the unit");

    // The history of every value.
    let history = haan.get(&format!("/reports/{id}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history.body.contains("Tổng số nhân lực KH&#38;CN")
            && history.body.contains(">12<")
            && history.body.contains(">14<"),
        "{}",
        history.body
    );
    assert!(history.body.contains("Phê duyệt") && history.body.contains("Mở khóa"), "the workflow events are listed");
}

#[tokio::test]
async fn of_two_people_saving_one_report_the_second_is_told_and_keeps_their_input() {
    let f = fixture().await;
    template(&f).await;
    let first = f.app.sign_in("haan").await;
    let second = f.app.sign_in("haan2").await;
    let id = open(&first, f.ha_an, "2025").await;
    let v = version(&f.app, id).await;
    // Both opened the form at the same version; the first saves.
    let a = first
        .post_multipart(&format!("/reports/{id}/edit"), &[("version", &v), ("action", "save"), ("f_staff", "20")], &[])
        .await;
    location(&a);
    let b = second
        .post_multipart(&format!("/reports/{id}/edit"), &[("version", &v), ("action", "save"), ("f_staff", "25")], &[])
        .await;
    assert_eq!(b.status, StatusCode::CONFLICT, "{}", b.body);
    assert!(b.body.contains("vừa được Người dùng haan lưu"), "{}", b.body);
    assert!(b.body.contains("value=\"25\""), "the second person's input is kept");
    assert!(b.body.contains("Giá trị vừa được người khác lưu: <strong>20 người</strong>"), "{}", b.body);
    assert_eq!(
        scalar(&f.app, &format!("SELECT CAST(number AS BIGINT) FROM report_values WHERE report_id = {id}")).await,
        20
    );
    // Saving again from the refreshed form is the second person's conscious choice.
    let fresh = version(&f.app, id).await;
    let c = second
        .post_multipart(
            &format!("/reports/{id}/edit"),
            &[("version", &fresh), ("action", "save"), ("f_staff", "25")],
            &[],
        )
        .await;
    location(&c);
    assert_eq!(scalar(&f.app, &format!("SELECT COUNT(*) FROM report_value_history WHERE report_id = {id}")).await, 2);
}

#[tokio::test]
async fn a_towns_old_reports_add_up_with_the_new_wards_on_todays_map() {
    let f = fixture().await;
    template(&f).await;
    let old =
        approved(&f, "quangyen", f.town, "2019", &[("staff", "40"), ("allocated", "1.000.000"), ("spent", "900.000")])
            .await;
    approved(&f, "phuongqy", f.ward_qy, "2025", &[("staff", "9")]).await;
    approved(&f, "haan", f.ha_an, "2025", &[("staff", "7")]).await;

    // The town's report counts for phường Quảng Yên today, and for thị xã Quảng Yên on the map of the time.
    assert_eq!(aggregate(&f.app, "current", "unit", "07132", "NL.TONG", "2019").await, (40.0, 1));
    assert_eq!(aggregate(&f.app, "reported", "unit", "206", "NL.TONG", "2019").await, (40.0, 1));
    assert_eq!(aggregate(&f.app, "current", "province", "22", "NL.TONG", "2025").await, (16.0, 2));
    let leader = f.app.sign_in("lanhdao").await;
    let table = leader.get("/reports/aggregates?map=current&province=22&from=2019&to=2025").await;
    assert!(table.body.contains("Năm 2019") && table.body.contains("Năm 2025"), "{}", table.body);
    assert!(table.body.contains("<svg"), "a chart is drawn");
    let units = leader.get("/reports/aggregates/units?map=current&province=22&indicator=NL.TONG&period=2019").await;
    assert_eq!(units.status, StatusCode::OK, "{}", units.body);
    assert!(units.body.contains("Phường Quảng Yên"), "{}", units.body);
    assert!(
        units.body.contains("Thị xã Quảng Yên")
            && units.body.contains("nay thuộc <span lang=\"vi\">Phường Quảng Yên</span>"),
        "{}",
        units.body
    );
    assert!(units.body.contains(&format!("/reports/{old}\"")), "drills down to the report");
    let reported = leader.get("/reports/aggregates/units?map=reported&province=22&indicator=NL.TONG&period=2019").await;
    assert!(reported.body.contains("Thị xã Quảng Yên") && !reported.body.contains("nay thuộc"), "{}", reported.body);
    let report = leader.get(&format!("/reports/{old}")).await;
    assert!(report.body.contains("Thị xã Quảng Yên") && report.body.contains("Phường Quảng Yên"), "{}", report.body);
    // Statistics are for the department.
    let ward = f.app.sign_in("haan").await;
    assert_eq!(ward.get("/reports/aggregates").await.status, StatusCode::FORBIDDEN);
    assert_eq!(ward.get("/reports/completeness").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn completeness_names_who_has_not_submitted_and_who_was_late() {
    let f = fixture().await;
    template(&f).await;
    // 2024 was due on 01/02/2025: a report sent now is late.
    approved(&f, "haan", f.ha_an, "2024", &[("staff", "5")]).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let page = officer.get("/reports/completeness?template=KHCN-NAM&period=2024").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("01/02/2025"), "the due day: {}", page.body);
    assert!(page.body.contains("UBND phường Hoành Bồ") && page.body.contains("Chưa mở"), "{}", page.body);
    assert!(page.body.contains("Muộn "), "the late submission is named: {}", page.body);
    assert!(page.body.contains("Quá hạn "), "the missing one is overdue");
    assert!(page.body.contains("UBND thị xã Quảng Yên"), "the town existed in 2024");
    let wrong = officer.get("/reports/completeness?template=KHCN-NAM&period=2024Q1").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("không đúng loại kỳ") && wrong.body.contains("value=\"2024Q1\""), "{}", wrong.body);
    let now = officer.get("/reports/completeness?template=KHCN-NAM&period=2025").await;
    assert!(!now.body.contains("UBND thị xã Quảng Yên"), "the town ended before the end of 2025");
    let _ = f.hoanh_bo;
}

#[tokio::test]
async fn a_ward_formed_in_2025_is_not_asked_for_the_years_before_it_existed() {
    let f = fixture().await;
    template(&f).await;
    let haan = f.app.sign_in("haan").await;
    let before = haan.get("/reports").await.body;
    assert!(before.contains("Năm 2024"), "without a founding date every recent year is due: {before}");
    f.app
        .db
        .db()
        .execute(
            Query::new("UPDATE organizations SET valid_from = $1 WHERE id = $2").bind(day("2025-07-01")).bind(f.ha_an),
        )
        .await
        .unwrap();
    let after = haan.get("/reports").await.body;
    assert!(after.contains("Năm 2025"), "the year it was formed in is due: {after}");
    assert!(!after.contains("Năm 2024") && !after.contains("Năm 2023"), "{after}");
    // Nor can such a report be opened by typing the year.
    let ha_an = f.ha_an.to_string();
    let refused = haan.post("/reports/open", &[("template", "KHCN-NAM"), ("org", &ha_an), ("period", "2024")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(
        refused.body.contains("Đơn vị không tồn tại vào cuối kỳ “2024” (thời gian hoạt động: 01/07/2025 – …)"),
        "{}",
        refused.body
    );
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM reports").await, 0);
    open(&haan, f.ha_an, "2025").await;
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM reports").await, 1, "the year it was formed in opens");
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
