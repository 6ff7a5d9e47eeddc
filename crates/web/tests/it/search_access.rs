//! Search never shows what a reader may not open, and shows what they may (issue 15 item 4): every role of
//! the demo (and the public, and a second ward's officer) searches a world holding every type of record,
//! and the hits must be exactly the records whose page that reader can open. Totals and facet counts
//! count the same hits.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};
use tiendo_core::portal::ArticleState;
use tiendo_core::reporting::{Period, ReportStatus};
use tiendo_db::identity;

use crate::harness::TestApp;
use crate::search::{rebuild, search_app};

/// A report form with a written answer, the narrative search indexes.
const FORM: &str = r#"code = "TT-KHCN"
name = "Báo cáo tình hình ứng dụng KH&CN"
periodicity = "yearly"
due_days = 30

[[section]]
title = "Tình hình"
[[section.field]]
code = "narrative"
label = "Thuyết minh"
type = "text"
"#;

/// A record of the world: the page that opens it and, for a plan made from a visit, the visit whose
/// readers it has (issue 14 item 4).
struct Rec {
    label: &'static str,
    url: String,
    read_as: Option<String>,
}

/// A reader: an API token and a page session of the same account, or the public.
struct Reader {
    name: &'static str,
    token: Option<String>,
    cookie: Option<String>,
}

async fn account(app: &TestApp, username: &'static str, org: Option<i64>, grants: &[(Role, Scope)]) -> Reader {
    let id = app.user(username, org, grants).await;
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(app.db.db(), id, "test", &digest, &token[..8], None, Utc::now()).await.unwrap();
    let cookie = app.sign_in(username).await.cookie;
    Reader { name: username, token: Some(token), cookie: Some(cookie) }
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Value {
    let res = app.api(Method::POST, uri, Some(token), Some(body)).await;
    assert!(res.status.is_success(), "POST {uri}: {} {}", res.status, res.body);
    res.json()
}

/// Whether the reader opens the page (200, and the part the address points at is on it).
async fn opens(app: &TestApp, reader: &Reader, url: &str) -> bool {
    let (path, fragment) = url.split_once('#').map_or((url, None), |(p, f)| (p, Some(f)));
    let res = match &reader.cookie {
        Some(cookie) => app.get_with(path, &[("cookie", cookie)]).await,
        None => app.get(path).await,
    };
    assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{} GET {path}", reader.name);
    res.status == StatusCode::OK && fragment.is_none_or(|f| res.body.contains(&format!("id=\"{f}\"")))
}

#[tokio::test]
async fn every_role_finds_exactly_the_records_it_may_open() {
    let (app, application) = search_app().await;
    let fx = app.db.fixtures();
    let province = fx.organization("UBND tỉnh Quảng Ninh").kind("provincial_committee").create().await;
    let department = fx.organization("Sở Khoa học và Công nghệ").kind("department").parent(province).create().await;
    let ward_a = fx.organization("UBND phường Hà An").kind("commune_committee").parent(province).create().await;
    let ward_b = fx.organization("UBND phường Hoành Bồ").kind("commune_committee").parent(province).create().await;
    let institute = fx.organization("Viện Nghiên cứu và Phát triển Vùng").kind("research_institute").create().await;
    let enterprise = fx.organization("Công ty TNHH thủy sản Minh Hàn").kind("enterprise").create().await;
    let town = fx.organization("UBND thị xã Quảng Yên").kind("district_committee").parent(province).create().await;

    let province_wide = |role| vec![(role, Scope::Province)];
    let mut readers = vec![Reader { name: "public", token: None, cookie: None }];
    for (name, org, grants) in [
        ("quantri", department, province_wide(Role::Administrator)),
        ("lanhdao", department, province_wide(Role::DepartmentLeader)),
        ("chuyenvien", department, province_wide(Role::DepartmentOfficer)),
        ("phuong.haan", ward_a, vec![(Role::LocalityOfficer, Scope::Organization(ward_a))]),
        ("phuong.hoanhbo", ward_b, vec![(Role::LocalityOfficer, Scope::Organization(ward_b))]),
        ("vien.ptv", institute, vec![(Role::PartnerOfficer, Scope::Organization(institute))]),
        ("chuyengia", institute, province_wide(Role::Expert)),
        ("minhhan", enterprise, vec![(Role::Applicant, Scope::Organization(enterprise))]),
        ("bientap", department, province_wide(Role::Editor)),
        ("kiemduyet", department, province_wide(Role::Moderator)),
    ] {
        readers.push(account(&app, name, Some(org), &grants).await);
    }
    let token = |name: &str| readers.iter().find(|r| r.name == name).unwrap().token.clone().unwrap();
    let (officer, reporter_a, reporter_b) = (token("chuyenvien"), token("phuong.haan"), token("phuong.hoanhbo"));
    let mut records = Vec::new();
    let mut rec = |label, url: String, read_as: Option<String>| records.push(Rec { label, url, read_as });

    // Monitoring, through the API (as users write it).
    let doc = post(
        &app,
        &officer,
        "/api/v1/documents",
        json!({"symbol": "Số: 15/KH-UBND", "summary": "Kế hoạch phát triển khoa học và công nghệ thị xã Quảng Yên"}),
    )
    .await["document"]["id"]
        .as_i64()
        .unwrap();
    rec("legal document", format!("/documents/{doc}"), None);
    let plan = post(
        &app,
        &officer,
        "/api/v1/plans",
        json!({"kind": "plan", "title": "Kế hoạch chuyển đổi số Quảng Yên", "document_id": doc, "owner_org_id": department}),
    )
    .await["plan"]["id"]
        .as_i64()
        .unwrap();
    rec("plan", format!("/plans/{plan}"), None);
    let due = tiendo_core::time::vietnam_date(Utc::now() + Duration::days(30));
    let mut tasks = Vec::new();
    for (code, title) in
        [("1", "Số hóa hồ sơ một cửa ở Quảng Yên"), ("2", "Đào tạo cán bộ Quảng Yên"), ("3", "Khảo sát Quảng Yên")]
    {
        let task = post(&app, &officer, &format!("/api/v1/plans/{plan}/tasks"), json!({"code": code, "title": title}))
            .await["id"]
            .as_i64()
            .unwrap();
        rec("task", format!("/plans/{plan}#task-{task}"), None);
        tasks.push(task);
    }
    let assign = async |task: i64, lead: i64, coordinators: Vec<i64>| {
        let body = json!({"lead_org_ids": [lead], "coordinator_org_ids": coordinators,
            "deadline": {"kind": "fixed", "due_on": due}, "priority": "normal"});
        post(&app, &officer, &format!("/api/v1/tasks/{task}/assignments"), body).await["items"][0]["id"]
            .as_i64()
            .unwrap()
    };
    let shared = assign(tasks[0], ward_a, vec![institute]).await;
    let own = assign(tasks[1], ward_a, vec![]).await;
    let other = assign(tasks[2], ward_b, vec![]).await;
    for a in [shared, own, other] {
        rec("assignment", format!("/assignments/{a}"), None);
    }
    let update = |narrative: &str, submit: bool| json!({"narrative": narrative, "percent": 40, "submit": submit});
    let submitted = post(
        &app,
        &reporter_a,
        &format!("/api/v1/assignments/{shared}/updates"),
        update("Đã số hóa 40% hồ sơ ở Quảng Yên", true),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let draft = post(
        &app,
        &reporter_a,
        &format!("/api/v1/assignments/{own}/updates"),
        update("Bản nháp về lớp học ở Quảng Yên", false),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let returned = post(
        &app,
        &reporter_b,
        &format!("/api/v1/assignments/{other}/updates"),
        update("Khảo sát xong ở Quảng Yên", true),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        &app,
        &officer,
        &format!("/api/v1/updates/{returned}/decision"),
        json!({"decision": "return", "comment": "Thiếu số liệu"}),
    )
    .await;
    rec("submitted update", format!("/assignments/{shared}#update-{submitted}"), None);
    rec("draft update", format!("/assignments/{own}#update-{draft}"), None);
    rec("returned update", format!("/assignments/{other}#update-{returned}"), None);

    // Reports, a visit with its conclusion and directive, articles, the directory: fixtures.
    let form = fx.report_form(FORM).target_org(ward_a).create().await;
    for (status, year) in [(ReportStatus::Draft, 2024), (ReportStatus::Submitted, 2023)] {
        let text = format!("Tình hình ứng dụng KH&CN ở Quảng Yên năm {year}");
        let id = fx.report(&form, ward_a, Period::Year(year)).text("narrative", &text).status(status).create().await;
        rec("report", format!("/reports/{id}"), None);
    }
    let leader = fx.person("Hoàng Bá Nam").create().await;
    let visit =
        fx.visit("Đoàn công tác làm việc với thị xã Quảng Yên", department).leader(leader).stop(ward_b).create().await;
    rec("visit", format!("/visits/{visit}"), None);
    let conclusion = fx.conclusion(visit, "Quảng Yên hoàn thiện đề án chuyển đổi số").create().await;
    rec("conclusion", format!("/visits/{visit}#conclusion-{conclusion}"), None);
    let directive = fx.directive(conclusion, ward_b).create().await;
    rec("directive", format!("/assignments/{directive}"), None);
    let visit_plan = tiendo_db::visits::get(app.db.db(), visit).await.unwrap().unwrap().plan_id.unwrap();
    rec("plan of the visit", format!("/plans/{visit_plan}"), Some(format!("/visits/{visit}")));
    let published_title = "Quảng Yên ứng dụng khoa học và công nghệ";
    fx.article(published_title).state(ArticleState::Published).create().await;
    let slug = tiendo_core::text::slugify(published_title, tiendo_core::portal::MAX_SLUG);
    rec("published article", format!("/news/{slug}"), None);
    let unpublished = fx.article("Bản nháp tin về Quảng Yên").create().await;
    rec("draft article", format!("/admin/articles/{unpublished}"), None);
    rec("organization", format!("/organizations/{town}"), None);
    let person = fx.person("Nguyễn Văn Hải").position("Phó Chủ tịch UBND thị xã Quảng Yên").create().await;
    rec("person", format!("/people/{person}"), None);

    // Fixtures write no audit events: rebuild from the database, then follow the trail as a server does.
    rebuild(&application).await;
    tiendo_app::search::catch_up(&application).await.unwrap();

    let mut seen_by_someone = BTreeSet::new();
    let mut found_by = std::collections::BTreeMap::new();
    for reader in &readers {
        let res = app.api(Method::GET, "/api/v1/search?q=quang+yen&per_page=100", reader.token.as_deref(), None).await;
        assert_eq!(res.status, StatusCode::OK, "{}: {}", reader.name, res.body);
        let body = res.json();
        let hits: BTreeSet<String> =
            body["items"].as_array().unwrap().iter().map(|h| h["url"].as_str().unwrap().to_owned()).collect();
        let mut expected = BTreeSet::new();
        for r in &records {
            let may = opens(&app, reader, &r.url).await
                && match &r.read_as {
                    Some(other) => opens(&app, reader, other).await,
                    None => true,
                };
            if may {
                expected.insert(r.url.clone());
            }
        }
        let label = |urls: &BTreeSet<String>| -> Vec<String> {
            urls.iter()
                .map(|u| format!("{} {u}", records.iter().find(|r| r.url == *u).map_or("?", |r| r.label)))
                .collect()
        };
        assert_eq!(
            label(&hits),
            label(&expected),
            "{}: hits (left) against the records whose page opens (right)",
            reader.name
        );
        assert_eq!(
            body["total"].as_u64().unwrap(),
            hits.len() as u64,
            "{}: the total counts visible hits",
            reader.name
        );
        let by_kind: u64 =
            body["facets"]["kind"].as_array().unwrap().iter().map(|v| v["count"].as_u64().unwrap()).sum();
        assert_eq!(by_kind, hits.len() as u64, "{}: the type facet counts visible hits", reader.name);
        found_by.insert(reader.name, hits.clone());
        seen_by_someone.extend(hits);
    }
    assert_eq!(
        found_by["public"],
        BTreeSet::from([format!("/news/{slug}")]),
        "the public finds the published article only"
    );
    assert!(!found_by["phuong.haan"].contains(&format!("/visits/{visit}")), "a ward the visit did not involve");
    assert!(found_by["phuong.hoanhbo"].contains(&format!("/plans/{visit_plan}")), "the visit's host reads its plan");
    assert!(
        !found_by["phuong.haan"].contains(&format!("/plans/{visit_plan}")),
        "the plan of a visit is read as the visit"
    );
    // The test can fail: every record is found by someone, and the public sees only the article.
    let all: BTreeSet<String> = records.iter().map(|r| r.url.clone()).collect();
    assert_eq!(seen_by_someone, all, "every record is found by some reader");
}
