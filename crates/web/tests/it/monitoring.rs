//! The monitoring pages end to end: documents, plans, assigning, progress updates with evidence, decisions,
//! dashboards and exports, with the bad inputs of issue 6.

use axum::http::StatusCode;
use chrono::Duration;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::{Browser, TestApp, TestResponse};

struct Fixture {
    app: TestApp,
    ward: i64,
    other_ward: i64,
}

async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    let other_ward = app.org("UBND phường Hoành Bồ", Some(province)).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(dept), &[(Role::DepartmentLeader, Scope::Province)]).await;
    app.user("haan", Some(ward), &[(Role::LocalityOfficer, Scope::Organization(ward))]).await;
    app.user("hoanhbo", Some(other_ward), &[(Role::LocalityOfficer, Scope::Organization(other_ward))]).await;
    Fixture { app, ward, other_ward }
}

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "expected a redirect: {}", res.body);
    res.header("location").to_owned()
}

fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '#', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

fn vn_date(days_from_today: i64) -> String {
    (tiendo_core::time::vietnam_date(chrono::Utc::now()) + Duration::days(days_from_today))
        .format("%d/%m/%Y")
        .to_string()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

/// The officer registers the resolution, makes a plan with one task and assigns it to both wards.
async fn plan_with_assignments(f: &Fixture, officer: &Browser<'_>) -> (i64, i64, i64) {
    let doc = location(
        &officer
            .post(
                "/documents",
                &[
                    ("symbol", "Số: 07-NQ/TU"),
                    ("issued_on", "05/04/2017"),
                    ("summary", "Về phát triển khoa học và công nghệ"),
                ],
            )
            .await,
    );
    let doc_id = id_in(&doc, "/documents/");
    let doc_text = doc_id.to_string();
    let plan = location(
        &officer
            .post(
                "/plans",
                &[("kind", "resolution"), ("title", "Thực hiện Nghị quyết 07-NQ/TU"), ("document_id", &doc_text)],
            )
            .await,
    );
    let plan_id = id_in(&plan, "/plans/");
    location(
        &officer
            .post(
                &format!("/plans/{plan_id}/tasks"),
                &[("code", "1"), ("title", "Đề xuất nhiệm vụ KH&CN cấp bách"), ("weight", "1")],
            )
            .await,
    );
    let task_id = scalar(&f.app, "SELECT MAX(id) FROM tasks").await;
    (doc_id, plan_id, task_id)
}

#[tokio::test]
async fn a_returned_update_stays_in_view_of_the_officer_who_returned_it() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let (_, _, task_id) = plan_with_assignments(&f, &officer).await;
    let ward = f.ward.to_string();
    let assign = officer
        .post(
            &format!("/tasks/{task_id}/assign"),
            &[("lead", &ward), ("deadline_kind", "fixed"), ("due_on", &vn_date(30))],
        )
        .await;
    assert_eq!(assign.status, StatusCode::SEE_OTHER, "{}", assign.body);
    let mine = scalar(&f.app, "SELECT MAX(id) FROM assignments").await;
    let haan = f.app.sign_in("haan").await;
    let sent = haan
        .post_multipart(
            &format!("/assignments/{mine}/updates"),
            &[("narrative", "Đã rà soát danh mục đề xuất"), ("percent", "40"), ("action", "submit")],
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let update = scalar(&f.app, "SELECT MAX(id) FROM progress_updates").await;
    let returned = officer
        .post(&format!("/updates/{update}/decide"), &[("decision", "return"), ("comment", "Bổ sung số liệu")])
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    // The officer still sees what was returned, with the comment, while the ward corrects it.
    let page = officer.get(&format!("/assignments/{mine}")).await.body;
    assert!(page.contains("Đã rà soát danh mục đề xuất") && page.contains("Bổ sung số liệu"), "{page}");
    assert!(haan.get(&format!("/assignments/{mine}")).await.body.contains("Bổ sung số liệu"));
    // Another ward does not.
    let hoanhbo = f.app.sign_in("hoanhbo").await;
    assert_eq!(hoanhbo.get(&format!("/assignments/{mine}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_task_goes_from_the_resolution_to_an_accepted_completion() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let (_, plan_id, task_id) = plan_with_assignments(&f, &officer).await;

    // A deadline before the assignment date is refused, with the input kept and the field named.
    let ward = f.ward.to_string();
    let other = f.other_ward.to_string();
    let bad = officer
        .post(
            &format!("/tasks/{task_id}/assign"),
            &[
                ("lead", &ward),
                ("lead", &other),
                ("deadline_kind", "fixed"),
                ("due_on", &vn_date(-3)),
                ("note", "Ghi chú giữ lại"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Hạn không thể trước ngày giao"), "{}", bad.body);
    assert!(bad.body.contains("Ghi chú giữ lại"), "the note is kept");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM assignments").await, 0, "nothing was written");

    // One task to two wards at once: two assignments.
    location(
        &officer
            .post(
                &format!("/tasks/{task_id}/assign"),
                &[
                    ("lead", &ward),
                    ("lead", &other),
                    ("deadline_kind", "fixed"),
                    ("due_on", &vn_date(30)),
                    ("priority", "high"),
                ],
            )
            .await,
    );
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM assignments").await, 2);
    let mine = scalar(&f.app, &format!("SELECT id FROM assignments WHERE lead_org_id = {}", f.ward)).await;
    let theirs = scalar(&f.app, &format!("SELECT id FROM assignments WHERE lead_org_id = {}", f.other_ward)).await;

    // The ward sees its own assignment only.
    let haan = f.app.sign_in("haan").await;
    let list = haan.get("/assignments").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!("/assignments/{mine}\"")), "{}", list.body);
    assert!(!list.body.contains(&format!("/assignments/{theirs}\"")), "another ward's assignment is listed");
    assert_eq!(haan.get(&format!("/assignments/{theirs}")).await.status, StatusCode::NOT_FOUND);
    let foreign = haan
        .post_multipart(&format!("/assignments/{theirs}/updates"), &[("narrative", "x"), ("percent", "10")], &[])
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "reporting on another ward's assignment");

    // Bad input: percent out of range and an executable as evidence, both named, the narrative kept.
    let bad = haan
        .post_multipart(
            &format!("/assignments/{mine}/updates"),
            &[("narrative", "Đã họp triển khai với các tổ dân phố"), ("percent", "150"), ("action", "submit")],
            &[("evidence", "bien-ban.exe", b"MZ\x90\0\x03 not a document")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Tiến độ phải từ 0 đến 100"), "{}", bad.body);
    assert!(bad.body.contains("bien-ban.exe"), "the refused file is named");
    assert!(bad.body.contains("Đã họp triển khai với các tổ dân phố"), "the narrative is kept");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM progress_updates").await, 0);

    // A completion with a PDF as evidence, submitted.
    let today = vn_date(0);
    let ok = haan
        .post_multipart(
            &format!("/assignments/{mine}/updates"),
            &[
                ("narrative", "Đã đề xuất 02 nhiệm vụ cấp bách"),
                ("percent", "100"),
                ("completion_claimed_on", &today),
                ("links", "https://quangninh.gov.vn/tin-tuc"),
                ("action", "submit"),
            ],
            &[("evidence", "Biên bản họp.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")],
        )
        .await;
    assert_eq!(location(&ok), format!("/assignments/{mine}?done=submitted"));
    let update = scalar(&f.app, "SELECT MAX(id) FROM progress_updates").await;
    let page = haan.get(&format!("/assignments/{mine}?done=submitted")).await;
    assert!(page.body.contains("Biên bản họp.pdf"), "the evidence is listed");
    let file_id = scalar(&f.app, "SELECT MAX(attachment_id) FROM update_evidence").await;
    let file = haan.get(&format!("/files/{file_id}/x.pdf")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.body.starts_with("%PDF-"), "the stored file is served back");
    let hoanhbo = f.app.sign_in("hoanhbo").await;
    assert_eq!(
        hoanhbo.get(&format!("/files/{file_id}/x.pdf")).await.status,
        StatusCode::NOT_FOUND,
        "evidence of another ward"
    );

    // The ward cannot decide on its own update; returning needs a comment.
    assert_eq!(
        haan.post(&format!("/updates/{update}/decide"), &[("decision", "accept")]).await.status,
        StatusCode::FORBIDDEN
    );
    let no_comment = officer.post(&format!("/updates/{update}/decide"), &[("decision", "return")]).await;
    assert!(no_comment.body.contains("hãy ghi ý kiến"), "{}", no_comment.body);

    // An unknown decision is the same mistake on the page and the API: 422 `decision_unknown` on `decision`,
    // named on the page, and nothing decided.
    let unknown = officer.post(&format!("/updates/{update}/decide"), &[("decision", "postpone")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert!(unknown.body.contains("“postpone” không phải là quyết định"), "{}", unknown.body);
    let token = f.app.token_of("chuyenvien").await;
    let api = f
        .app
        .api(
            axum::http::Method::POST,
            &format!("/api/v1/updates/{update}/decision"),
            Some(&token),
            Some(serde_json::json!({"decision": "postpone"})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let problem = api.json();
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("decision"), Some("decision_unknown"))
    );
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM progress_updates WHERE id = {update} AND status = 'submitted'"))
            .await,
        1
    );

    // Two officers decide at once: one wins, the other is told what happened.
    let leader = f.app.sign_in("lanhdao").await;
    let accepted =
        officer.post(&format!("/updates/{update}/decide"), &[("decision", "accept"), ("comment", "Tốt")]).await;
    assert_eq!(location(&accepted), format!("/assignments/{mine}?done=accepted"));
    let late =
        leader.post(&format!("/updates/{update}/decide"), &[("decision", "return"), ("comment", "Bổ sung")]).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.body);
    assert!(late.body.contains("đã được Người dùng chuyenvien xử lý"), "{}", late.body);

    // Accepted completion closes the assignment on time; the status is derived, never typed.
    let page = officer.get(&format!("/assignments/{mine}")).await;
    assert!(page.body.contains("status-completed_on_time"), "{}", page.body);
    let (completed,): (Option<chrono::NaiveDate>,) = f
        .app
        .db
        .db()
        .fetch_one(Query::new("SELECT completed_on FROM assignments WHERE id = $1").bind(mine))
        .await
        .unwrap();
    assert_eq!(completed, Some(tiendo_core::time::vietnam_date(chrono::Utc::now())));

    // An accepted update cannot be edited any more.
    assert_eq!(haan.get(&format!("/updates/{update}/edit")).await.status, StatusCode::CONFLICT);
    let edit = haan
        .post_multipart(
            &format!("/updates/{update}/edit"),
            &[("narrative", "Sửa lại"), ("percent", "90"), ("version", "1")],
            &[],
        )
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    assert!(edit.body.contains("Sửa lại"), "the input is kept");

    // The reporter is told of the decision; the assigning officer of the submission.
    let told: i64 = scalar(&f.app, "SELECT COUNT(*) FROM notifications WHERE kind = 'update_accept'").await;
    assert_eq!(told, 1);
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM notifications WHERE kind = 'update_submitted'").await, 1);

    // The plan dashboard counts it; every change left an audit trail.
    let plan = leader.get(&format!("/plans/{plan_id}")).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.body.contains("status-completed_on_time"), "{}", plan.body);
    assert!(scalar(&f.app, "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'assignment'").await >= 4);
}

#[tokio::test]
async fn a_document_symbol_that_does_not_parse_names_the_wrong_part() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let res = officer.post("/documents", &[("symbol", "07-XYZ/TU"), ("summary", "Trích yếu giữ lại")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Không biết loại văn bản “XYZ”"), "{}", res.body);
    assert!(res.body.contains("Trích yếu giữ lại"));
    // The same document twice is refused with a link to the first.
    let summary = ("summary", "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia");
    let nq57 =
        location(&officer.post("/documents", &[("symbol", "57-NQ/TW"), ("issued_on", "22/12/2024"), summary]).await);
    let nq57_id = id_in(&nq57, "/documents/").to_string();
    // A provincial plan implementing it: the relation shows on both pages.
    let kh = location(
        &officer
            .post(
                "/documents",
                &[
                    ("symbol", "Số: 128/KH-UBND"),
                    ("issued_on", "10/07/2025"),
                    ("summary", "Kế hoạch thực hiện Nghị quyết 57-NQ/TW"),
                    ("implements_id", &nq57_id),
                ],
            )
            .await,
    );
    let kh_page = officer.get(&kh).await;
    assert_eq!(kh_page.status, StatusCode::OK, "{}", kh_page.body);
    assert!(kh_page.body.contains("Triển khai") && kh_page.body.contains("57-NQ/TW"), "{}", kh_page.body);
    let nq57_page = officer.get(&nq57).await;
    assert!(nq57_page.body.contains("Được triển khai bởi") && nq57_page.body.contains("128/KH-UBND"));
    let twice = officer.post("/documents", &[("symbol", "Số 57-NQ/TW"), ("issued_on", "22/12/2024"), summary]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("đã có trong sổ"), "{}", twice.body);
    // A ward official cannot edit the register.
    let haan = f.app.sign_in("haan").await;
    assert_eq!(haan.post("/documents", &[("symbol", "1/QĐ-UBND"), summary]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(haan.get("/documents").await.status, StatusCode::OK, "but reads it");
}

#[tokio::test]
async fn overdue_work_shows_on_the_dashboards_and_in_the_exports() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let (_, plan_id, task_id) = plan_with_assignments(&f, &officer).await;
    let ward = f.ward.to_string();
    location(
        &officer
            .post(
                &format!("/tasks/{task_id}/assign"),
                &[
                    ("lead", &ward),
                    ("assigned_on", &vn_date(-60)),
                    ("deadline_kind", "fixed"),
                    ("due_on", &vn_date(-12)),
                ],
            )
            .await,
    );
    // A target and its figures: a bad figure is refused with what was typed kept.
    location(
        &officer
            .post(
                &format!("/plans/{plan_id}/targets"),
                &[
                    ("name", "Số doanh nghiệp KH&CN"),
                    ("unit", "doanh nghiệp"),
                    ("baseline_value", "6"),
                    ("baseline_year", "2016"),
                    ("target_value", "20"),
                    ("target_year", "2020"),
                    ("direction", "higher"),
                ],
            )
            .await,
    );
    let target = scalar(&f.app, "SELECT MAX(id) FROM targets").await.to_string();
    let bad = officer
        .post(
            &format!("/plans/{plan_id}/values"),
            &[("target_id", &target), ("year", "2019"), ("value", "mười lăm"), ("source", "Báo cáo năm")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"mười lăm\"") && bad.body.contains("value=\"Báo cáo năm\""), "the input is kept");
    assert!(bad.body.contains("Hãy nhập một số"), "{}", bad.body);
    location(
        &officer
            .post(&format!("/plans/{plan_id}/values"), &[("target_id", &target), ("year", "2019"), ("value", "15,5")])
            .await,
    );
    let plan_page = officer.get(&format!("/plans/{plan_id}")).await;
    assert!(plan_page.body.contains("15,5"), "the figure is shown with a decimal comma");

    let leader = f.app.sign_in("lanhdao").await;
    let dash = leader.get("/dashboard").await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    assert!(dash.body.contains("UBND phường Hà An"), "the late unit is named");
    let overdue = leader.get("/overdue").await;
    assert!(overdue.body.contains("<strong class=\"late\">12</strong>"), "{}", overdue.body);
    let org = leader.get(&format!("/organizations/{}/monitoring", f.ward)).await;
    assert_eq!(org.status, StatusCode::OK);
    assert!(org.body.contains("status-overdue"));
    // Drill-down: the count links to the filtered list, which the XLSX keeps.
    let list = leader.get(&format!("/assignments?plan={plan_id}&status=overdue")).await;
    assert!(list.body.contains("Đề xuất nhiệm vụ KH&#38;CN cấp bách"), "{}", list.body);
    let xlsx = leader.get(&format!("/assignments.xlsx?plan={plan_id}&status=overdue")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let docx = leader.get(&format!("/plans/{plan_id}/report.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.header("content-disposition").contains("bao-cao-ke-hoach"));
    // The colours of the statuses are a stylesheet, revalidated cheaply.
    let css = f.app.get("/status-colors.css").await;
    assert!(css.body.contains(".status-overdue"));
    let etag = css.header("etag").to_owned();
    assert_eq!(
        f.app.get_with("/status-colors.css", &[("if-none-match", &etag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
    // A ward sees only its own figures on the province dashboard.
    let hoanhbo = f.app.sign_in("hoanhbo").await;
    let theirs = hoanhbo.get("/overdue").await;
    assert!(
        theirs.body.contains("Không có nhiệm vụ nào quá hạn"),
        "another ward's overdue work is hidden: {}",
        theirs.body
    );
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in() {
    let f = fixture().await;
    for path in ["/dashboard", "/assignments", "/plans", "/documents", "/overdue"] {
        let res = f.app.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.header("location").starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn an_administrator_sets_readable_status_colours() {
    let f = fixture().await;
    f.app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let admin = f.app.sign_in("quantri").await;
    assert_eq!(admin.get("/admin/status-colors").await.status, StatusCode::OK);
    let mut fields: Vec<(&str, &str)> = vec![
        ("completed_on_time", "#1c7c44"),
        ("completed_late", "#7a5c00"),
        ("in_progress", "#0b4f8a"),
        ("not_started", "#5b6472"),
        ("overdue", "#ffdd00"),
        ("cancelled", "blue"),
    ];
    let bad = admin.post("/admin/status-colors", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Chữ trắng khó đọc"), "a pale yellow is refused: {}", bad.body);
    assert!(bad.body.contains("Hãy nhập màu dạng #rrggbb"), "a colour name is refused");
    assert!(bad.body.contains("value=\"#0b4f8a\""), "the valid input is kept");
    fields[4] = ("overdue", "#9c1c1c");
    fields[5] = ("cancelled", "#74677F");
    let ok = admin.post("/admin/status-colors", &fields).await;
    assert_eq!(location(&ok), "/admin/status-colors?saved=1");
    let css = f.app.get("/status-colors.css").await.body;
    assert!(css.contains(".status-overdue { --status: #9c1c1c; }") && css.contains("#0b4f8a"), "{css}");
    // Only an administrator may change them.
    let officer = f.app.sign_in("chuyenvien").await;
    assert_eq!(officer.post("/admin/status-colors", &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'setting'").await, 1);
}
