//! Indicators (issue 19) end to end: the catalogue kept through the pages and the API, figures computed
//! when read from approved reports and directives (an approval shows on the next read), the sources behind
//! a figure with the arithmetic, the scorecard and its exports, plan targets referring to the catalogue,
//! and the bad inputs of the issue: an expression naming a field no template has, a denominator that is
//! zero for a unit (no value with its reason, never 0 or infinity), a target for a year the indicator does
//! not cover, a cycle in the tree.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};
use tiendo_core::monitoring::Deadline;

use crate::reporting::{Fixture, approved, fixture, location, scalar, template};

const SPENT: &[(&str, &str)] =
    &[("code", "KP.TYLE"), ("name", "Tỷ lệ giải ngân kinh phí KH&CN"), ("name_en", "Share of S&T funds spent")];

/// The officer's form for a ratio of two report fields.
fn ratio_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = SPENT.to_vec();
    fields.extend([
        ("unit", "%"),
        ("direction", "higher"),
        ("periodicity", "yearly"),
        ("level", "commune"),
        ("layer", "strategic"),
        ("kind", "formula"),
        ("numerator", "KP.CHI"),
        ("denominator", "KP.CAP"),
        ("factor", "100"),
        ("over_units", "total"),
    ]);
    for (k, v) in extra {
        fields.retain(|(key, _)| key != k);
        fields.push((k, v));
    }
    fields
}

fn id_of(location: &str) -> i64 {
    location.trim_start_matches("/indicators/").parse().unwrap_or_else(|_| panic!("no id in {location}"))
}

async fn ratio(f: &Fixture) -> i64 {
    let officer = f.app.sign_in("chuyenvien").await;
    id_of(&location(&officer.post("/indicators", &ratio_form(&[])).await))
}

#[tokio::test]
async fn a_ratio_of_report_fields_moves_with_the_approval_and_drills_down_to_the_reports() {
    let f = fixture().await;
    template(&f).await;
    let id = ratio(&f).await;
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'indicator'").await, 1);
    let leader = f.app.sign_in("lanhdao").await;

    // Nothing approved yet: no value, with the reason.
    let before = leader.get("/scorecard?year=2025").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(before.body.contains("Không có số"), "{}", before.body);
    assert!(
        before.body.contains("Chưa có số liệu đã phê duyệt của: Kinh phí đã chi, Kinh phí được cấp."),
        "{}",
        before.body
    );

    // Hà An's report is approved: the next read shows 90 %.
    let report = approved(
        &f,
        "haan",
        f.ha_an,
        "2025",
        &[("staff", "12"), ("allocated", "500.000.000"), ("spent", "450.000.000")],
    )
    .await;
    let card = leader.get("/scorecard?year=2025").await;
    assert!(
        card.body.contains(&format!("href=\"/indicators/{id}/sources?map=current&#38;unit=&#38;year=2025\">90</a>")),
        "{}",
        card.body
    );
    assert!(card.body.contains("<svg class=\"sparkline\""), "the trend is drawn inline");
    assert!(card.body.contains("Cách đánh giá"), "the rule is stated");

    // The figure's sources: the report with its unit and approval, and the arithmetic.
    let sources = leader.get(&format!("/indicators/{id}/sources?map=current&unit=&year=2025")).await;
    assert_eq!(sources.status, StatusCode::OK, "{}", sources.body);
    assert!(sources.body.contains(&format!("href=\"/reports/{report}\"")), "{}", sources.body);
    assert!(sources.body.contains("UBND phường Hà An"), "{}", sources.body);
    assert!(sources.body.contains("450.000.000") && sources.body.contains("500.000.000"), "{}", sources.body);
    assert!(sources.body.contains("id=\"result\">90<"), "{}", sources.body);

    // Hoành Bồ reports no funds at all: its own ratio is "no value" because the denominator is zero, never
    // 0 or infinity; the province's total is unchanged.
    approved(&f, "hoanhbo", f.hoanh_bo, "2025", &[("staff", "3"), ("allocated", "0"), ("spent", "0")]).await;
    let unit = leader.get("/scorecard?year=2025&unit=07030").await;
    assert!(unit.body.contains("Mẫu số bằng 0"), "{}", unit.body);
    assert!(!unit.body.contains("inf") && !unit.body.contains("NaN"), "{}", unit.body);
    let province = leader.get("/scorecard?year=2025").await;
    assert!(province.body.contains(">90</a>"), "{}", province.body);

    // The same in the API, and the average over units leaves the unit out with its reason.
    let token = f.app.token("api_lanhdao", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    let values = f
        .app
        .api(Method::GET, &format!("/api/v1/indicators/{id}/values?unit=07030&from=2025&to=2025"), Some(&token), None)
        .await;
    assert_eq!(values.status, StatusCode::OK, "{}", values.body);
    assert_eq!(values.json()["values"][0]["value"], Value::Null);
    assert_eq!(values.json()["values"][0]["reason"], "zero_denominator");

    // A unit's reporting officer does not read the scorecard.
    assert_eq!(f.app.sign_in("haan").await.get("/scorecard").await.status, StatusCode::FORBIDDEN);

    // The exports answer as files.
    let xlsx = leader.get("/scorecard.xlsx?year=2025").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"), "a workbook");
    let docx = leader.get("/scorecard.docx?year=2025").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"), "a Word document");
}

#[tokio::test]
async fn bad_definitions_are_refused_with_their_reason_and_nothing_is_saved() {
    let f = fixture().await;
    template(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let count = || scalar(&f.app, "SELECT COUNT(*) FROM kpi_indicators");
    let before = count().await;

    // An expression naming a field no template has.
    let unknown = officer.post("/indicators", &ratio_form(&[("numerator", "KP.KHONG + KP.CHI")])).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert!(unknown.body.contains("Không mẫu báo cáo nào có chỉ tiêu KP.KHONG."), "{}", unknown.body);
    assert!(unknown.body.contains("value=\"KP.KHONG + KP.CHI\""), "the input is kept");
    // Division by a constant zero, bad syntax, an unknown source.
    let zero = officer.post("/indicators", &ratio_form(&[("denominator", "2 - 2")])).await;
    assert!(zero.body.contains("Mẫu số luôn bằng 0"), "{}", zero.body);
    let syntax = officer.post("/indicators", &ratio_form(&[("numerator", "KP.CHI / KP.CAP")])).await;
    assert!(syntax.body.contains("sai cú pháp gần “/ KP.CAP”"), "{}", syntax.body);
    let source = officer.post("/indicators", &ratio_form(&[("numerator", "@patents_granted")])).await;
    assert!(source.body.contains("Không có nguồn hồ sơ @patents_granted."), "{}", source.body);
    assert_eq!(count().await, before, "nothing saved");

    // A cycle in the tree: A under B under A is refused.
    let a = id_of(&location(&officer.post("/indicators", &ratio_form(&[("code", "A")])).await));
    let a_text = a.to_string();
    let b = id_of(&location(&officer.post("/indicators", &ratio_form(&[("code", "B"), ("parent_id", &a_text)])).await));
    let b_text = b.to_string();
    let cycle =
        officer.post(&format!("/indicators/{a}/edit"), &ratio_form(&[("code", "A"), ("parent_id", &b_text)])).await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", cycle.body);
    assert!(cycle.body.contains("cây chỉ số sẽ thành vòng"), "{}", cycle.body);
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM kpi_indicators WHERE id = {a} AND parent_id IS NULL")).await,
        1
    );

    // An indicator with one under it is not deleted.
    let in_use = officer.post(&format!("/indicators/{a}/delete"), &[]).await;
    assert_eq!(in_use.status, StatusCode::CONFLICT, "{}", in_use.body);
    location(&officer.post(&format!("/indicators/{b}/delete"), &[]).await);
    location(&officer.post(&format!("/indicators/{a}/delete"), &[]).await);
    assert_eq!(count().await, before);
    // A unit's officer keeps nothing.
    let unit = f.app.sign_in("haan").await;
    assert_eq!(unit.post("/indicators", &ratio_form(&[("code", "C")])).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn plan_targets_refer_to_the_catalogue_and_a_year_it_does_not_cover_is_refused() {
    let f = fixture().await;
    template(&f).await;
    let token = f.app.token("api_officer", None, &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let call = |method: Method, uri: String, body: Option<Value>| {
        let token = token.clone();
        let app = &f.app;
        async move { app.api(method, &uri, Some(&token), body).await }
    };
    let plan = f.app.db.fixtures().plan("Kế hoạch thực hiện Nghị quyết 57").create().await;

    // A computed indicator covering 2025–2030.
    let body = json!({
        "code": "KP.TYLE", "name": "Tỷ lệ giải ngân", "direction": "higher", "periodicity": "yearly",
        "level": "commune", "layer": "strategic", "kind": "formula", "numerator": "KP.CHI",
        "denominator": "KP.CAP", "factor": 100, "first_year": 2025, "last_year": 2030
    });
    let created = call(Method::POST, "/api/v1/indicators".into(), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    // A target for 2035, a year it does not cover: refused with the reason.
    let target =
        |year: i64| json!({"name": "", "unit": "", "indicator_id": id, "target_value": 95, "target_year": year});
    let outside = call(Method::POST, format!("/api/v1/plans/{plan}/targets"), Some(target(2035))).await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", outside.body);
    assert_eq!(outside.json()["errors"][0]["code"], "period_not_covered");
    let inside = call(Method::POST, format!("/api/v1/plans/{plan}/targets"), Some(target(2030))).await;
    assert_eq!(inside.status, StatusCode::CREATED, "{}", inside.body);
    assert_eq!(inside.json()["indicator_id"], id);
    assert_eq!(inside.json()["name"], "Tỷ lệ giải ngân");
    let target_id = inside.json()["id"].as_i64().unwrap();

    // Its figures come from the reports: typing one is refused; an approval feeds it.
    let typed =
        call(Method::POST, format!("/api/v1/targets/{target_id}/values"), Some(json!({"year": 2025, "value": 50})))
            .await;
    assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", typed.body);
    assert_eq!(typed.json()["errors"][0]["code"], "indicator_computed");
    approved(&f, "haan", f.ha_an, "2025", &[("staff", "12"), ("allocated", "400"), ("spent", "300")]).await;
    let mut plan_page = None;
    let logs = crate::harness::logs_of(async {
        plan_page = Some(call(Method::GET, format!("/api/v1/plans/{plan}/dashboard"), None).await)
    })
    .await;
    eprintln!("LOGS {logs}");
    let plan_page = plan_page.unwrap();
    assert!(plan_page.body.contains("\"value\":75.0"), "{}", plan_page.body);

    // A target without an indicator gets a typed one of its own; its figures are kept there.
    let own = json!({"name": "Số doanh nghiệp KH&CN", "unit": "doanh nghiệp", "target_value": 40, "target_year": 2030});
    let own = call(Method::POST, format!("/api/v1/plans/{plan}/targets"), Some(own)).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let own_id = own.json()["id"].as_i64().unwrap();
    let recorded =
        call(Method::POST, format!("/api/v1/targets/{own_id}/values"), Some(json!({"year": 2025, "value": 31}))).await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM kpi_indicators WHERE code = 'CT-{own_id}' AND kind = 'typed'"))
            .await,
        1
    );
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM kpi_figures WHERE year = 2025 AND value = 31").await, 1);

    // A typed figure for a year outside the indicator's years is refused too.
    let figure =
        call(Method::POST, format!("/api/v1/indicators/{id}/figures"), Some(json!({"year": 2024, "value": 3}))).await;
    assert_eq!(figure.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", figure.body);
    // The indicator is in use: not deleted.
    let delete = call(Method::DELETE, format!("/api/v1/indicators/{id}"), None).await;
    assert_eq!(delete.status, StatusCode::CONFLICT, "{}", delete.body);
}

#[tokio::test]
async fn directives_on_time_are_counted_from_the_assignments_and_listed_behind_the_figure() {
    let f = fixture().await;
    let token = f.app.token("api_leader", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    let fx = f.app.db.fixtures();
    let plan = fx.plan("Kế hoạch 2025").create().await;
    let task = fx.task(plan, "1").title("Chuyển đổi số").create().await;
    let due = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let on_time = fx.assignment(task, f.ha_an).deadline(Deadline::Fixed { date: due }).create().await;
    let late = fx.assignment(task, f.hoanh_bo).deadline(Deadline::Fixed { date: due }).create().await;
    let open = fx.assignment(task, f.ward_qy).deadline(Deadline::Fixed { date: due }).create().await;
    for (id, day) in [(on_time, "2025-06-20"), (late, "2025-07-15")] {
        use tiendo_db::{Exec, Query};
        f.app
            .db
            .db()
            .execute(
                Query::new("UPDATE assignments SET completed_on = $1 WHERE id = $2")
                    .bind(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap())
                    .bind(id),
            )
            .await
            .unwrap();
    }
    let _ = open;
    let body = json!({
        "code": "CD.DUNGHAN", "name": "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "unit": "%", "direction": "higher",
        "periodicity": "yearly", "level": "province", "layer": "operational", "kind": "formula",
        "numerator": "@directives_on_time", "denominator": "@directives_due", "factor": 100
    });
    let created = f.app.api(Method::POST, "/api/v1/indicators", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let values =
        f.app.api(Method::GET, &format!("/api/v1/indicators/{id}/values?from=2024&to=2025"), Some(&token), None).await;
    assert_eq!(values.status, StatusCode::OK, "{}", values.body);
    let v = values.json();
    assert_eq!(v["values"][0]["reason"], "zero_denominator", "nothing due in 2024: {v}");
    let y2025 = &v["values"][1];
    assert!((y2025["value"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9, "{v}");
    assert_eq!((y2025["numerator"].as_f64(), y2025["denominator"].as_f64()), (Some(1.0), Some(3.0)));
    let sources =
        f.app.api(Method::GET, &format!("/api/v1/indicators/{id}/values/2025/sources"), Some(&token), None).await;
    assert_eq!(sources.status, StatusCode::OK, "{}", sources.body);
    let s = sources.json();
    assert_eq!(s["terms"][0]["source"], "directives_on_time");
    assert_eq!(s["terms"][0]["sources"][0]["link"], format!("/assignments/{on_time}"));
    assert_eq!(s["terms"][1]["total"], 3);
    // A province-wide administrator reads the catalogue, its figures and their sources, and keeps it.
    let admin = f.app.token("api_admin", None, &[(Role::Administrator, Scope::Province)]).await;
    let read =
        f.app.api(Method::GET, &format!("/api/v1/indicators/{id}/values/2025/sources"), Some(&admin), None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let out = f.app.api(Method::GET, "/api/v1/scorecard?year=1944", Some(&admin), None).await;
    assert_eq!(out.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", out.body);
    let card = f.app.api(Method::GET, "/api/v1/scorecard?year=2025", Some(&token), None).await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    assert_eq!(card.json()["lines"][0]["indicator"]["code"], "CD.DUNGHAN");
}

#[tokio::test]
async fn certified_enterprises_are_counted_at_each_year_end_from_the_first_version_until_the_certificate_ends() {
    use tiendo_db::{Exec, Query};
    let f = fixture().await;
    let token = f.app.token("api_leader", None, &[(Role::DepartmentLeader, Scope::Province)]).await;
    let db = f.app.db.db();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let now = chrono::Utc::now();
    let mut ids = Vec::new();
    // (organisation, number, version, status, issued, ended): one certificate amended in 2024 and still in
    // force, one revoked in March 2025.
    for (org, number, version, status, issued, ended) in [
        (f.ha_an, "01/GCN-SKHCN", 1, "superseded", "2022-03-01", None),
        (f.ha_an, "01/GCN-SKHCN", 2, "in_force", "2024-05-01", None),
        (f.hoanh_bo, "02/GCN-SKHCN", 1, "revoked", "2023-02-01", Some("2025-03-10")),
    ] {
        let (application,): (i64,) = db
            .fetch_one(
                Query::new(
                    "INSERT INTO cert_applications (org_id, state, enterprise_name, name_folded, results, products, \
                     years, created_at, updated_at) VALUES ($1, 'issued', $2, $2, '[]', '[]', '[]', $3, $3) RETURNING id",
                )
                .bind(org)
                .bind(format!("Doanh nghiệp {number}"))
                .bind(now),
            )
            .await
            .unwrap();
        let (id,): (i64,) = db
            .fetch_one(
                Query::new(
                    "INSERT INTO certificates (application_id, org_id, number, issued_on, version, kind, status, basis, \
                     enterprise_name, name_folded, tax_code, results, products, ended_on, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'nd13_2019', $8, $8, '5700100256', '[]', '[]', $9, $10, $10) \
                     RETURNING id",
                )
                .bind(application)
                .bind(org)
                .bind(number)
                .bind(day(issued))
                .bind(version)
                .bind(if version == 1 { "original" } else { "amendment" })
                .bind(status)
                .bind(format!("Doanh nghiệp {number}"))
                .bind(ended.map(day))
                .bind(now),
            )
            .await
            .unwrap();
        ids.push(id);
    }
    let body = json!({
        "code": "DN.KHCN", "name": "Số doanh nghiệp KH&CN", "unit": "doanh nghiệp", "direction": "higher",
        "periodicity": "yearly", "level": "province", "layer": "strategic", "kind": "formula",
        "numerator": "@certified_enterprises", "factor": 1
    });
    let created = f.app.api(Method::POST, "/api/v1/indicators", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let values =
        f.app.api(Method::GET, &format!("/api/v1/indicators/{id}/values?from=2021&to=2025"), Some(&token), None).await;
    assert_eq!(values.status, StatusCode::OK, "{}", values.body);
    let v = values.json();
    let by_year: Vec<(i64, f64)> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["value"].as_f64().unwrap_or(-1.0)))
        .collect();
    assert_eq!(by_year, [(2021, 0.0), (2022, 1.0), (2023, 2.0), (2024, 2.0), (2025, 1.0)], "{v}");
    // Behind 2024: the amended certificate's latest version and the one revoked the year after.
    let sources =
        f.app.api(Method::GET, &format!("/api/v1/indicators/{id}/values/2024/sources"), Some(&token), None).await;
    assert_eq!(sources.status, StatusCode::OK, "{}", sources.body);
    let s = sources.json();
    let mut links: Vec<&str> =
        s["terms"][0]["sources"].as_array().unwrap().iter().map(|e| e["link"].as_str().unwrap()).collect();
    links.sort_unstable();
    let mut expected = [format!("/certificates/{}", ids[1]), format!("/certificates/{}", ids[2])];
    expected.sort_unstable();
    assert_eq!(links, expected, "{s}");
    assert_eq!(s["terms"][0]["sources"][0]["kind"], "certificate");
}
