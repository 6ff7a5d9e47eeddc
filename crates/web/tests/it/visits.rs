//! The working-visit pages and API end to end: a visit with its delegation and stops, conclusions that
//! become directives (monitoring assignments, in every dashboard), photos, the notice of conclusions, the
//! calendar and the organisation's page; every bad input of issue 8; who may see and change what.

use std::io::Read;

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::{Browser, TestApp, TestResponse};

struct Fixture {
    app: TestApp,
    so: i64,
    quang_yen: i64,
    ha_long: i64,
    minh_han: i64,
}

async fn person(app: &TestApp, name: &str, title: Option<&str>, position: &str, org: i64, role: &str) -> i64 {
    let mut person = app.db.fixtures().person(name).position(position).affiliation(org, role);
    if let Some(title) = title {
        person = person.title(title);
    }
    person.create().await
}

async fn fixture() -> Fixture {
    fixture_on(TestApp::new().await).await
}

async fn fixture_on(app: TestApp) -> Fixture {
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let so = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let institute = app.org("Viện Nghiên cứu và Phát triển Vùng", None).await;
    let quang_yen = app.org("UBND thị xã Quảng Yên", Some(province)).await;
    let ha_long = app.org("UBND thành phố Hạ Long", Some(province)).await;
    let minh_han = app.org("Công ty TNHH thủy sản Minh Hàn", None).await;
    person(&app, "Hoàng Bá Nam", None, "Giám đốc Sở Khoa học và Công nghệ", so, "Giám đốc").await;
    person(&app, "Nguyễn Đắc Bình Minh", Some("TS."), "Viện trưởng", institute, "Viện trưởng").await;
    app.user("chuyenvien", Some(so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(so), &[(Role::DepartmentLeader, Scope::Province)]).await;
    app.user("quangyen", Some(quang_yen), &[(Role::LocalityOfficer, Scope::Organization(quang_yen))]).await;
    app.user("halong", Some(ha_long), &[(Role::LocalityOfficer, Scope::Organization(ha_long))]).await;
    app.user("bientap", Some(so), &[(Role::Editor, Scope::Province)]).await;
    Fixture { app, so, quang_yen, ha_long, minh_han }
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

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let (v,): (i64,) = app.db.db().fetch_one(Query::new(sql.to_owned())).await.unwrap();
    v
}

/// The visit form's fields: the members and stops given as rows.
fn visit_form(f: &Fixture, members: &[(&str, &str)], stops: &[(&str, &str, i64)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("title".into(), "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long".into()),
        ("purpose".into(), "Kiểm tra việc thực hiện Nghị quyết 07-NQ/TU".into()),
        ("organizer_id".into(), f.so.to_string()),
        ("starts_on".into(), "27/02/2020".into()),
        ("ends_on".into(), "27/02/2020".into()),
    ];
    for (name, role) in members {
        fields.push(("member_name".into(), (*name).into()));
        fields.push(("member_role".into(), (*role).into()));
        fields.push(("member_org".into(), String::new()));
    }
    for (date, time, host) in stops {
        for (k, v) in [
            ("stop_id", String::new()),
            ("stop_date", (*date).to_owned()),
            ("stop_time", (*time).to_owned()),
            ("stop_place", "Trụ sở UBND".to_owned()),
            ("stop_host", host.to_string()),
            ("stop_agenda", String::new()),
            ("stop_minutes", "Biên bản buổi làm việc".to_owned()),
            ("stop_assessment", "Địa phương quan tâm ứng dụng khoa học và công nghệ.".to_owned()),
        ] {
            fields.push((k.into(), v));
        }
    }
    fields
}

async fn post(b: &Browser<'_>, uri: &str, fields: &[(String, String)]) -> TestResponse {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(uri, &pairs).await
}

/// The officer records the visit of the story: Hoàng Bá Nam leads, two stops.
async fn create_visit(f: &Fixture, officer: &Browser<'_>) -> i64 {
    let fields = visit_form(
        f,
        &[("Hoàng Bá Nam", "leader"), ("TS. Nguyễn Đắc Bình Minh", "member")],
        &[("27/02/2020", "8h00", f.quang_yen), ("27/02/2020", "14:00", f.ha_long)],
    );
    id_in(&location(&post(officer, "/visits/new", &fields).await), "/visits/")
}

async fn stop_ids(app: &TestApp, visit: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = app
        .db
        .db()
        .fetch_all(
            Query::new("SELECT id FROM visit_stops WHERE visit_id = $1 ORDER BY on_date, start_time").bind(visit),
        )
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// The text of a DOCX's body.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The raw bytes of a page the browser downloads.
async fn bytes(b: &Browser<'_>, uri: &str) -> Vec<u8> {
    use tower::ServiceExt;
    let request = axum::http::Request::get(uri).header("cookie", &b.cookie).body(axum::body::Body::empty()).unwrap();
    let response = b.app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec()
}

/// A tiny PNG, for photos.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn a_visit_goes_from_its_form_to_tracked_directives_photos_and_notices() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    assert_eq!(officer.get("/visits/new").await.status, StatusCode::OK);
    let visit = create_visit(&f, &officer).await;
    let page = officer.get(&format!("/visits/{visit}?done=saved")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Đã lưu đoàn công tác"), "{}", page.body);
    assert!(page.body.contains("TS. Nguyễn Đắc Bình Minh") && page.body.contains("Trưởng đoàn"));
    let stops = stop_ids(&f.app, visit).await;
    assert_eq!(stops.len(), 2);
    assert!(page.body.contains(&format!("id=\"stop-{}\"", stops[0])), "each stop has an anchor");
    // The visit owns a plan, which is where its directives are tracked.
    let plan = scalar(&f.app, &format!("SELECT id FROM plans WHERE visit_id = {visit}")).await;

    // A conclusion at the first stop with its directive, then a second directive for it.
    let qy = f.quang_yen.to_string();
    let so = f.so.to_string();
    let stop = stops[0].to_string();
    let done = officer
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[
                ("stop_id", &stop),
                ("text", "Đề xuất các nhiệm vụ KH&CN cấp bách của thị xã"),
                ("expected_product", "Danh mục nhiệm vụ cấp bách"),
                ("lead_id", &qy),
                ("coordinator", &so),
                ("deadline_kind", "fixed"),
                ("due_on", "30/04/2020"),
                ("priority", "high"),
            ],
        )
        .await;
    let task = id_in(location(&done).split('#').nth(1).unwrap(), "conclusion-");
    let hl = f.ha_long.to_string();
    let more = officer
        .post(
            &format!("/visits/{visit}/conclusions/{task}/directives"),
            &[("lead_id", &hl), ("deadline_kind", "continuous"), ("priority", "normal")],
        )
        .await;
    assert_eq!(location(&more), format!("/visits/{visit}?done=directive#conclusion-{task}"));
    assert_eq!(scalar(&f.app, &format!("SELECT COUNT(*) FROM tasks WHERE plan_id = {plan}")).await, 1);
    let directive =
        scalar(&f.app, &format!("SELECT id FROM assignments WHERE task_id = {task} AND lead_org_id = {}", f.quang_yen))
            .await;
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM assignments WHERE origin = 'visit:{visit}'")).await,
        2,
        "both directives are assignments that know where they came from"
    );

    // A directive is an assignment of monitoring: in the list, the overdue list and the dashboard.
    let leader = f.app.sign_in("lanhdao").await;
    let list = leader.get("/assignments?status=overdue").await;
    assert!(list.body.contains(&format!("/assignments/{directive}\"")), "{}", list.body);
    let dashboard = leader.get("/dashboard").await;
    assert!(dashboard.body.contains("UBND thị xã Quảng Yên"), "the late unit is on the dashboard");
    // Its page says where it came from, with a link to the stop.
    let assignment = leader.get(&format!("/assignments/{directive}")).await;
    assert!(assignment.body.contains(&format!("href=\"/visits/{visit}#stop-{}\"", stops[0])), "{}", assignment.body);
    assert!(assignment.body.contains("Chỉ đạo của đoàn công tác"));
    // The visit's page shows each directive's derived status.
    let page = leader.get(&format!("/visits/{visit}")).await;
    assert!(page.body.contains("status-overdue"), "{}", page.body);
    assert!(page.body.contains("Thường xuyên") && page.body.contains("status-not_started"));

    // A photo with its caption and alternative text, shown and served to those who may see the visit.
    let upload = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[
                ("kind", "photo"),
                ("caption", "Đoàn làm việc tại UBND thị xã"),
                ("alt", "Đoàn ngồi quanh bàn họp"),
                ("stop_id", &stop),
            ],
            &[("file", "anh-doan.png", PNG)],
        )
        .await;
    assert!(location(&upload).starts_with(&format!("/visits/{visit}?done=file#file-")));
    let page = officer.get(&format!("/visits/{visit}")).await;
    assert!(page.body.contains("alt=\"Đoàn ngồi quanh bàn họp\""), "{}", page.body);
    assert!(page.body.contains("<figcaption lang=\"vi\">Đoàn làm việc tại UBND thị xã</figcaption>"));
    let attachment = scalar(&f.app, "SELECT MAX(attachment_id) FROM visit_files").await;
    let photo = officer.get(&format!("/files/{attachment}/anh-doan.png")).await;
    assert_eq!((photo.status, photo.header("content-type")), (StatusCode::OK, "image/png"));
    // A document of the visit.
    let minutes = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[("kind", "document"), ("caption", "Biên bản làm việc")],
            &[("file", "bien-ban.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")],
        )
        .await;
    location(&minutes);

    // The notice of conclusions of the stop and of the whole visit, in the official format.
    let docx = officer.get(&format!("/visits/{visit}/stops/{}/notice.docx", stops[0])).await;
    assert_eq!(docx.status, StatusCode::OK, "{}", docx.body);
    assert!(docx.header("content-type").contains("wordprocessingml"));
    assert!(docx.header("content-disposition").contains("thong-bao"), "{}", docx.header("content-disposition"));
    let text = docx_text(&bytes(&officer, &format!("/visits/{visit}/stops/{}/notice.docx", stops[0])).await);
    for expected in [
        "THÔNG BÁO",
        "Số: /TB-",
        "Kết luận của Giám đốc Sở Khoa học và Công nghệ Hoàng Bá Nam tại buổi làm việc với UBND thị xã Quảng Yên",
        "Ngày 27/02/2020",
        "TS. Nguyễn Đắc Bình Minh, Viện trưởng Viện Nghiên cứu và Phát triển Vùng",
        "UBND thị xã Quảng Yên (phối hợp: Sở Khoa học và Công nghệ tỉnh Quảng Ninh): Đề xuất các nhiệm vụ KH&amp;CN cấp bách của thị xã. Thời hạn: 30/04/2020.",
        "UBND thành phố Hạ Long: Đề xuất các nhiệm vụ KH&amp;CN cấp bách của thị xã. Thời hạn: thường xuyên.",
        "GIÁM ĐỐC",
    ] {
        assert!(text.contains(expected), "{expected:?} is missing from the notice: {text}");
    }
    let whole = officer.get(&format!("/visits/{visit}/notice.docx")).await;
    assert_eq!(whole.status, StatusCode::OK);
    let pdf = officer.get(&format!("/visits/{visit}/notice.pdf")).await;
    if pdf.status == StatusCode::OK {
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.body.starts_with("%PDF-"));
    } else {
        assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE, "only a missing font may stop the PDF: {}", pdf.body);
    }

    // The organisation's page lists the visit it received and the directives it owes.
    let org = leader.get(&format!("/organizations/{}", f.quang_yen)).await;
    assert!(org.body.contains(&format!("href=\"/visits/{visit}\"")), "{}", org.body);
    assert!(org.body.contains(&format!("href=\"/assignments/{directive}\"")), "{}", org.body);
    let coordinating = leader.get(&format!("/organizations/{}", f.so)).await;
    assert!(coordinating.body.contains("Chỉ đạo phối hợp thực hiện"), "the Sở coordinates the first directive");

    // Every change is in the audit trail.
    for (action, at_least) in [("create", 1), ("add_conclusion", 1), ("attach", 2), ("export", 2)] {
        let n = scalar(
            &f.app,
            &format!("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'visit' AND entity_id = '{visit}' AND action = '{action}'"),
        )
        .await;
        assert!(n >= at_least, "{action}: {n}");
    }
    assert_eq!(
        scalar(
            &f.app,
            &format!(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'assignment' AND entity_id = '{directive}'"
            )
        )
        .await,
        1
    );
}

#[tokio::test]
async fn every_bad_input_is_named_and_what_was_typed_is_kept() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;

    // A stop outside the visit's dates and a member who is not in the directory: both named, nothing saved,
    // everything typed kept, and a link that adds the person with the name filled in.
    let fields = visit_form(
        &f,
        &[("Hoàng Bá Nam", "leader"), ("Trần Văn Vắng", "member")],
        &[("27/02/2020", "08:00", f.quang_yen), ("02/03/2020", "09:30", f.minh_han)],
    );
    let bad = post(&officer, "/visits/new", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("Ngày làm việc phải trong thời gian của đoàn (từ 27/02/2020 đến 27/02/2020)."),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("id=\"stops[1].date-error\""), "the wrong stop is the one named");
    assert!(bad.body.contains("Không có “Trần Văn Vắng” trong danh bạ."), "{}", bad.body);
    let add = format!("/people/new?full_name={}", tiendo_web::forms::url_encode("Trần Văn Vắng"));
    assert!(bad.body.contains(&format!("href=\"{add}\"")), "{}", bad.body);
    for kept in [
        "value=\"Trần Văn Vắng\"",
        "value=\"02/03/2020\"",
        "value=\"09:30\"",
        "Kiểm tra việc thực hiện Nghị quyết 07-NQ/TU",
    ] {
        assert!(bad.body.contains(kept), "{kept} is kept");
    }
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM visits").await, 0, "nothing was written");
    // The link opens the directory's form with the name typed.
    let form = officer.get(&add).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Trần Văn Vắng\""), "{}", form.body);

    // No leader, a time that is no time, a visit ending before it starts.
    let mut fields = visit_form(&f, &[("Hoàng Bá Nam", "member")], &[("27/02/2020", "sáng", f.quang_yen)]);
    fields.retain(|(k, _)| k != "ends_on");
    fields.push(("ends_on".into(), "26/02/2020".into()));
    let bad = post(&officer, "/visits/new", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in
        ["Hãy chọn một trưởng đoàn.", "Hãy nhập giờ dạng 08:30 hoặc 8h30.", "Ngày kết thúc phải sau ngày bắt đầu."]
    {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }

    // "Add a row" keeps everything and saves nothing.
    let mut fields = visit_form(&f, &[("Hoàng Bá Nam", "leader")], &[("27/02/2020", "08:00", f.quang_yen)]);
    fields.push(("add_stop".into(), "1".into()));
    let more = post(&officer, "/visits/new", &fields).await;
    assert_eq!(more.status, StatusCode::OK);
    assert!(more.body.contains("id=\"stops[2].date\""), "a spare row and the one asked for");
    assert!(more.body.contains("value=\"Hoàng Bá Nam\""));
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM visits").await, 0);

    let visit = create_visit(&f, &officer).await;
    let stops = stop_ids(&f.app, visit).await;

    // A directive without a responsible unit or a deadline is refused, the conclusion kept.
    let bad = officer
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[
                ("text", "Hỗ trợ doanh nghiệp đăng ký chứng nhận"),
                ("lead_id", ""),
                ("deadline_kind", "fixed"),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Hãy chọn ít nhất một đơn vị chủ trì."), "{}", bad.body);
    assert!(bad.body.contains("Chỉ đạo cần có thời hạn."), "{}", bad.body);
    assert!(bad.body.contains("Hỗ trợ doanh nghiệp đăng ký chứng nhận"), "the conclusion is kept");
    // A deadline before the conclusion, and a date that does not exist.
    let qy = f.quang_yen.to_string();
    let early = officer
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[("text", "Đề xuất nhiệm vụ"), ("lead_id", &qy), ("deadline_kind", "fixed"), ("due_on", "01/02/2020")],
        )
        .await;
    assert!(early.body.contains("Hạn không thể trước ngày giao."), "{}", early.body);
    let impossible = officer
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[("text", "Đề xuất nhiệm vụ"), ("lead_id", &qy), ("deadline_kind", "fixed"), ("due_on", "31/02/2020")],
        )
        .await;
    assert!(impossible.body.contains("Ngày không hợp lệ"), "{}", impossible.body);
    assert!(impossible.body.contains("value=\"31/02/2020\""), "the date typed is kept");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM assignments").await, 0, "nothing was assigned");

    // A "photo" that is not an image, whatever its name; a photo without its description.
    let fake = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[("kind", "photo"), ("caption", "Chú thích giữ lại"), ("alt", "Mô tả")],
            &[("file", "anh.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")],
        )
        .await;
    assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", fake.body);
    assert!(fake.body.contains("Tệp “anh.jpg” không phải là ảnh"), "{}", fake.body);
    assert!(fake.body.contains("value=\"Chú thích giữ lại\""), "the caption is kept");
    let exe = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[("kind", "photo"), ("alt", "Mô tả")],
            &[("file", "anh.png", b"MZ\x90\0\x03 not an image")],
        )
        .await;
    assert!(exe.body.contains("Tệp “anh.png” không phải là ảnh"), "{}", exe.body);
    let blind = officer
        .post_multipart(
            &format!("/visits/{visit}/files"),
            &[("kind", "photo"), ("caption", "Ảnh")],
            &[("file", "anh.png", PNG)],
        )
        .await;
    assert!(blind.body.contains("Hãy mô tả ảnh cho người khiếm thị."), "{}", blind.body);
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM visit_files").await, 0);

    // A stop with conclusions cannot be emptied away.
    let stop = stops[0].to_string();
    location(
        &officer
            .post(
                &format!("/visits/{visit}/conclusions"),
                &[("stop_id", &stop), ("text", "Đề xuất nhiệm vụ"), ("lead_id", &qy), ("deadline_kind", "continuous")],
            )
            .await,
    );
    let mut fields = visit_form(&f, &[("Hoàng Bá Nam", "leader")], &[]);
    for (i, id) in stops.iter().enumerate() {
        let host = if i == 0 { String::new() } else { f.ha_long.to_string() };
        let date = if i == 0 { String::new() } else { "27/02/2020".to_owned() };
        for (k, v) in [
            ("stop_id", id.to_string()),
            ("stop_date", date),
            ("stop_time", String::new()),
            ("stop_place", String::new()),
            ("stop_host", host),
            ("stop_agenda", String::new()),
            ("stop_minutes", String::new()),
            ("stop_assessment", String::new()),
        ] {
            fields.push((k.into(), v));
        }
    }
    let removed = post(&officer, &format!("/visits/{visit}/edit"), &fields).await;
    assert_eq!(removed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", removed.body);
    assert!(removed.body.contains("đã có kết luận hoặc hình ảnh"), "{}", removed.body);
    assert_eq!(stop_ids(&f.app, visit).await.len(), 2);
}

#[tokio::test]
async fn the_organiser_keeps_a_visit_and_those_it_involved_read_it() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let visit = create_visit(&f, &officer).await;
    // Anonymous visitors are sent to sign in.
    for path in ["/visits", &format!("/visits/{visit}")] {
        let res = f.app.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.header("location").starts_with("/login"));
    }
    // A host reads the visit, downloads the notice, and changes nothing.
    let host = f.app.sign_in("quangyen").await;
    assert_eq!(host.get(&format!("/visits/{visit}")).await.status, StatusCode::OK);
    assert!(host.get("/visits").await.body.contains(&format!("/visits/{visit}\"")));
    assert_eq!(host.get(&format!("/visits/{visit}/notice.docx")).await.status, StatusCode::OK);
    assert!(
        !host.get(&format!("/visits/{visit}")).await.body.contains(&format!("/visits/{visit}/edit")),
        "no edit button"
    );
    assert_eq!(host.get(&format!("/visits/{visit}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(host.get("/visits/new").await.status, StatusCode::FORBIDDEN);
    let qy = f.quang_yen.to_string();
    let attempt = host
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[("text", "Tự giao"), ("lead_id", &qy), ("deadline_kind", "continuous")],
        )
        .await;
    assert_eq!(attempt.status, StatusCode::FORBIDDEN);
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM assignments").await, 0);
    // Another ward knows nothing of it.
    f.app.user("haan", None, &[(Role::LocalityOfficer, Scope::Organization(f.minh_han))]).await;
    let stranger = f.app.sign_in("haan").await;
    assert_eq!(stranger.get(&format!("/visits/{visit}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(stranger.get(&format!("/visits/{visit}/notice.pdf")).await.status, StatusCode::NOT_FOUND);
    assert!(!stranger.get("/visits").await.body.contains(&format!("/visits/{visit}\"")));
    // An editor reads visits (to write the news) but does not keep them.
    let editor = f.app.sign_in("bientap").await;
    assert_eq!(editor.get(&format!("/visits/{visit}")).await.status, StatusCode::OK);
    assert_eq!(editor.get(&format!("/visits/{visit}/files/new")).await.status, StatusCode::FORBIDDEN);
    // Leading a directive involves a unit: Hạ Long, given one, now reads the visit (it hosted a stop too).
    let halong = f.app.sign_in("halong").await;
    assert_eq!(halong.get(&format!("/visits/{visit}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_calendar_lists_upcoming_and_past_visits_by_month_and_filters() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    // Hạ Long's committee sits in its city (code 193); the stop takes the unit when saved.
    let unit = |code: &str| format!("(SELECT MIN(id) FROM admin_units WHERE code = '{code}')");
    f.app
        .db
        .db()
        .execute(Query::new(format!(
            "UPDATE organizations SET admin_unit_id = {} WHERE id = {}",
            unit("193"),
            f.ha_long
        )))
        .await
        .unwrap();
    let visit = create_visit(&f, &officer).await;
    let list = officer.get("/visits").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Đã diễn ra") && list.body.contains(&format!("href=\"/visits/{visit}\"")),
        "{}",
        list.body
    );
    let month = officer.get("/visits?view=month&month=2020-02").await;
    assert!(month.body.contains("Tháng 2/2020"), "{}", month.body);
    assert!(month.body.contains(&format!("<li><a href=\"/visits/{visit}\" lang=\"vi\">")), "the visit is on its day");
    assert!(month.body.contains("month=2020-01") && month.body.contains("month=2020-03"), "previous and next months");
    let march = officer.get("/visits?view=month&month=2020-03").await;
    assert!(!march.body.contains(&format!("<li><a href=\"/visits/{visit}\">")));
    let hosted = officer.get(&format!("/visits?org={}", f.ha_long)).await;
    assert!(hosted.body.contains(&format!("href=\"/visits/{visit}\"")));
    let other = officer.get(&format!("/visits?org={}", f.minh_han)).await;
    assert!(!other.body.contains(&format!("href=\"/visits/{visit}\"")), "{}", other.body);
    let ha_long_unit = scalar(&f.app, &format!("SELECT {}", unit("193"))).await;
    let here = officer.get(&format!("/visits?locality={ha_long_unit}")).await;
    assert!(here.body.contains(&format!("href=\"/visits/{visit}\"")), "{}", here.body);
    let elsewhere = scalar(&f.app, &format!("SELECT {}", unit("206"))).await;
    let there = officer.get(&format!("/visits?locality={elsewhere}&view=month&month=2020-02")).await;
    assert!(!there.body.contains(&format!("href=\"/visits/{visit}\"")), "no stop in Quảng Yên's unit");
    let nam = scalar(&f.app, "SELECT id FROM people WHERE full_name = 'Hoàng Bá Nam'").await;
    let led = officer.get(&format!("/visits?leader={nam}")).await;
    assert!(led.body.contains(&format!("href=\"/visits/{visit}\"")));
    let english = officer.get("/visits?view=month&month=2020-02&lang=en").await;
    assert!(english.body.contains("Monday") && english.body.contains("Working visits"), "{}", english.body);
}

#[tokio::test]
async fn the_api_records_a_visit_its_conclusions_and_directives() {
    let f = fixture().await;
    let token = f.app.token("api.skhcn", Some(f.so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    let nam = scalar(&f.app, "SELECT id FROM people WHERE full_name = 'Hoàng Bá Nam'").await;
    let body = json!({
        "title": "Làm việc tại thị xã Quảng Yên",
        "purpose": "Kiểm tra thực hiện Nghị quyết 07-NQ/TU",
        "organizer_org_id": f.so,
        "starts_on": "2020-02-27",
        "ends_on": "2020-02-27",
        "members": [{ "person_id": nam, "role": "leader" }, { "name": "TS. Nguyễn Đắc Bình Minh" }],
        "stops": [{ "date": "2020-03-02", "time": "8h", "host_org_id": f.quang_yen }]
    });
    // The stop outside the dates is named as in the form.
    let bad = f.app.api(Method::POST, "/api/v1/visits", Some(&token), Some(body.clone())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    let problem = bad.json();
    assert_eq!(problem["errors"][0]["field"], "stops[0].date");
    assert_eq!(problem["errors"][0]["code"], "stop_outside_visit");
    // A member nobody in the directory bears, named with the address that adds them.
    let mut stranger = body.clone();
    stranger["stops"][0]["date"] = json!("2020-02-27");
    stranger["members"][1] = json!({ "name": "Trần Văn Vắng" });
    let bad = f.app.api(Method::POST, "/api/v1/visits", Some(&token), Some(stranger)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let problem = bad.json();
    assert_eq!(problem["errors"][0]["field"], "members[1].name");
    assert_eq!(problem["errors"][0]["code"], "member_unknown");
    assert_eq!(
        problem["errors"][0]["params"]["add"],
        format!("/people/new?full_name={}", tiendo_web::forms::url_encode("Trần Văn Vắng"))
    );
    let mut body = body;
    body["stops"][0]["date"] = json!("2020-02-27");
    let created = f.app.api(Method::POST, "/api/v1/visits", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let visit = created.json();
    let id = visit["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/visits/{id}"));
    assert_eq!(visit["members"][0]["role"], "leader");
    assert_eq!(visit["members"][1]["name"], "TS. Nguyễn Đắc Bình Minh");
    assert_eq!(visit["stops"][0]["time"], "08:00");
    assert_eq!(visit["phase"], "past");

    // A conclusion whose directive lacks its deadline: named with its index.
    let stop = visit["stops"][0]["id"].as_i64().unwrap();
    let conclusion = json!({
        "text": "Đề xuất các nhiệm vụ KH&CN cấp bách",
        "stop_id": stop,
        "directives": [
            { "lead_org_id": f.quang_yen, "deadline": { "kind": "fixed", "due_on": "2020-04-30" }, "priority": "high" },
            { "lead_org_id": f.ha_long }
        ]
    });
    let uri = format!("/api/v1/visits/{id}/conclusions");
    let bad = f.app.api(Method::POST, &uri, Some(&token), Some(conclusion.clone())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["errors"][0]["field"], "directives[1].deadline");
    assert_eq!(bad.json()["errors"][0]["code"], "deadline_required");
    let mut conclusion = conclusion;
    conclusion["directives"][1]["deadline"] =
        json!({ "kind": "period", "period_start": "2020-03-01", "period_end": "2020-12-31" });
    conclusion["directives"][1]["coordinator_org_ids"] = json!([f.so]);
    let created = f.app.api(Method::POST, &uri, Some(&token), Some(conclusion)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let c = created.json();
    assert_eq!(c["stop_id"], stop);
    assert_eq!(c["directives"].as_array().unwrap().len(), 2);
    assert_eq!(c["directives"][0]["status"], "overdue");
    assert_eq!(c["directives"][1]["deadline"]["kind"], "period");
    assert_eq!(
        c["directives"][0]["deadline"],
        json!({ "kind": "fixed", "due_on": "2020-04-30" }),
        "as in /assignments"
    );
    assert_eq!(c["directives"][1]["coordinator_org_ids"], json!([f.so]));
    let task = c["task_id"].as_i64().unwrap();
    let more = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/visits/{id}/conclusions/{task}/directives"),
            Some(&token),
            Some(json!({ "lead_org_id": f.so, "deadline": { "kind": "continuous" } })),
        )
        .await;
    assert_eq!(more.status, StatusCode::CREATED, "{}", more.body);
    // A deadline sent without its date is named on that date, as in /assignments.
    let incomplete = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/visits/{id}/conclusions/{task}/directives"),
            Some(&token),
            Some(json!({ "deadline": { "kind": "fixed" } })),
        )
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", incomplete.body);
    let fields: Vec<(String, String)> = incomplete.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert!(fields.contains(&("deadline.due_on".into(), "required".into())), "{fields:?}");
    assert!(fields.contains(&("lead_id".into(), "lead_required".into())), "every problem at once: {fields:?}");
    assert!(!fields.iter().any(|(_, code)| code == "deadline_required"), "{fields:?}");
    assert_eq!(more.json()["status"], "not_started");

    // Read back, listed, and the notice as a file.
    let got = f.app.api(Method::GET, &format!("/api/v1/visits/{id}"), Some(&token), None).await;
    assert_eq!(got.json()["conclusions"][0]["directives"].as_array().unwrap().len(), 3);
    let list = f.app.api(Method::GET, "/api/v1/visits?from=2020-01-01&to=2020-12-31", Some(&token), None).await;
    assert_eq!(list.json()["total"], 1);
    assert_eq!(list.json()["items"][0]["leader_name"], "Hoàng Bá Nam");
    let notice = f
        .app
        .api(Method::GET, &format!("/api/v1/visits/{id}/notice?format=docx&stop={stop}"), Some(&token), None)
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert!(notice.header("content-type").contains("wordprocessingml"));
    let wrong = f.app.api(Method::GET, &format!("/api/v1/visits/{id}/notice?format=odt"), Some(&token), None).await;
    assert_eq!(wrong.json()["code"], "invalid_query");

    // A ward's token reads nothing it was not part of, and writes nothing.
    let ward =
        f.app.token("api.halong", Some(f.minh_han), &[(Role::LocalityOfficer, Scope::Organization(f.minh_han))]).await;
    assert_eq!(
        f.app.api(Method::GET, &format!("/api/v1/visits/{id}"), Some(&ward), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(f.app.api(Method::GET, "/api/v1/visits", Some(&ward), None).await.json()["total"], 0);
    let refused =
        f.app.api(Method::POST, "/api/v1/visits", Some(&ward), Some(json!({ "title": "x", "purpose": "y" }))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An editor's token drafts the portal article; the officer's may not, the ward's does not see the visit.
    let uri = format!("/api/v1/visits/{id}/article");
    assert_eq!(f.app.api(Method::POST, &uri, Some(&token), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.app.api(Method::POST, &uri, Some(&ward), None).await.status, StatusCode::NOT_FOUND);
    let news = f.app.token("api.bientap", Some(f.so), &[(Role::Editor, Scope::Province)]).await;
    let drafted = f.app.api(Method::POST, &uri, Some(&news), None).await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
    let article = drafted.json()["article_id"].as_i64().unwrap();
    assert_eq!(drafted.header("location"), format!("/api/v1/articles/{article}"));
    assert_eq!((drafted.json()["photos"].as_i64(), drafted.json()["skipped_photos"].as_i64()), (Some(0), Some(0)));
    let got = f.app.api(Method::GET, &format!("/api/v1/articles/{article}"), Some(&news), None).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert!(got.json()["related"].as_array().unwrap().contains(&json!(format!("visit:{id}"))), "{}", got.body);
}

#[tokio::test]
async fn an_editor_drafts_a_portal_article_from_a_visit_with_its_photos_linked_to_the_visit() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let visit = create_visit(&f, &officer).await;
    let stop = stop_ids(&f.app, visit).await[0].to_string();
    // A photo the portal can use, and one that is a PNG by its first bytes but cannot be decoded.
    let good = tiendo_export::photo::placeholder_png(640, 480, [20, 90, 160]);
    for (name, bytes, caption, alt) in [
        ("anh-doan.png", good.as_slice(), "Đoàn làm việc tại UBND thị xã Quảng Yên", "Đoàn ngồi quanh bàn họp"),
        ("hong.png", PNG, "Ảnh hỏng", "Không đọc được"),
    ] {
        let up = officer
            .post_multipart(
                &format!("/visits/{visit}/files"),
                &[("kind", "photo"), ("caption", caption), ("alt", alt), ("stop_id", &stop)],
                &[("file", name, bytes)],
            )
            .await;
        location(&up);
    }

    // Officers keep visits but do not write the news: no button, and refused.
    assert!(!officer.get(&format!("/visits/{visit}")).await.body.contains(&format!("/visits/{visit}/article")));
    assert_eq!(officer.post(&format!("/visits/{visit}/article"), &[]).await.status, StatusCode::FORBIDDEN);
    // Someone who may not read the visit learns nothing of it.
    f.app.user("haan", None, &[(Role::LocalityOfficer, Scope::Organization(f.minh_han))]).await;
    let stranger = f.app.sign_in("haan").await;
    assert_eq!(stranger.post(&format!("/visits/{visit}/article"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM articles").await, 0);

    // The editor drafts it from the visit's page.
    let editor = f.app.sign_in("bientap").await;
    let page = editor.get(&format!("/visits/{visit}")).await;
    assert!(page.body.contains(&format!("action=\"/visits/{visit}/article\"")), "{}", page.body);
    let made = location(&editor.post(&format!("/visits/{visit}/article"), &[]).await);
    assert!(made.ends_with("?done=created_partly"), "the damaged photo is reported: {made}");
    let article = id_in(&made, "/admin/articles/");
    let (state, title, summary, body): (String, String, String, String) = f
        .app
        .db
        .db()
        .fetch_one(Query::new("SELECT state, title, summary, body FROM articles WHERE id = $1").bind(article))
        .await
        .unwrap();
    assert_eq!((state.as_str(), title.as_str()), ("draft", "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long"));
    assert!(summary.contains("Kiểm tra việc thực hiện Nghị quyết 07-NQ/TU"), "{summary}");
    assert!(
        body.contains("## UBND thị xã Quảng Yên (27/02/2020)") && body.contains("## UBND thành phố Hạ Long"),
        "{body}"
    );
    let links: Vec<(String, i64)> = f
        .app
        .db
        .db()
        .fetch_all(
            Query::new("SELECT entity_type, entity_id FROM article_links WHERE article_id = $1 ORDER BY entity_type, entity_id")
                .bind(article),
        )
        .await
        .unwrap();
    let mut expected = vec![("organization".to_owned(), f.quang_yen), ("organization".to_owned(), f.ha_long)];
    expected.sort();
    expected.push(("visit".to_owned(), visit));
    assert_eq!(links, expected, "related to the visit and the organisations it visited");
    let photos: Vec<(String, String)> = f
        .app
        .db
        .db()
        .fetch_all(Query::new("SELECT caption, alt FROM portal_media WHERE article_id = $1").bind(article))
        .await
        .unwrap();
    assert_eq!(photos, [("Đoàn làm việc tại UBND thị xã Quảng Yên".to_owned(), "Đoàn ngồi quanh bàn họp".to_owned())]);

    // The portal's editor opens it, with the caption and the visit; saving it keeps the visit.
    let edit = editor.get(&made).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    assert!(edit.body.contains("Đoàn làm việc tại UBND thị xã Quảng Yên"), "{}", edit.body);
    assert!(edit.body.contains(&format!("name=\"visits\" value=\"{visit}\"")), "{}", edit.body);
    let visit_field = visit.to_string();
    let saved = editor
        .post(
            &format!("/admin/articles/{article}"),
            &[
                ("title", "Sở KH&CN làm việc tại Quảng Yên và Hạ Long"),
                ("summary", &summary),
                ("body", &body),
                ("premoderation", "site"),
                ("visits", &visit_field),
            ],
        )
        .await;
    location(&saved);
    assert_eq!(
        scalar(
            &f.app,
            &format!("SELECT COUNT(*) FROM article_links WHERE article_id = {article} AND entity_type = 'visit'")
        )
        .await,
        1
    );
    // The visit's page lists the draft for the editor, not for the officer, who may not read drafts.
    let page = editor.get(&format!("/visits/{visit}")).await;
    assert!(page.body.contains(&format!("href=\"/admin/articles/{article}\"")), "{}", page.body);
    assert!(!officer.get(&format!("/visits/{visit}")).await.body.contains(&format!("/admin/articles/{article}")));
    // Audited on both sides.
    for (entity, id, action) in [("visit", visit, "draft_article"), ("article", article, "article_create")] {
        let n = scalar(
            &f.app,
            &format!("SELECT COUNT(*) FROM audit_events WHERE entity_type = '{entity}' AND entity_id = '{id}' AND action = '{action}'"),
        )
        .await;
        assert_eq!(n, 1, "{action}");
    }
}

#[tokio::test]
async fn the_plan_of_a_visit_is_read_exactly_by_those_who_may_read_the_visit() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let visit = create_visit(&f, &officer).await;
    let qy = f.quang_yen.to_string();
    let added = officer
        .post(
            &format!("/visits/{visit}/conclusions"),
            &[("text", "Nghiên cứu mô hình nuôi hàu bền vững"), ("lead_id", &qy), ("deadline_kind", "continuous")],
        )
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);
    let plan = scalar(&f.app, &format!("SELECT id FROM plans WHERE visit_id = {visit}")).await;
    // Every role that may not read the visit: the plan is not found, on pages and the API, and not listed.
    let outsiders = [
        ("haan", Role::LocalityOfficer, Scope::Organization(f.minh_han)),
        ("ungvien", Role::Applicant, Scope::Organization(f.minh_han)),
        ("chuyengia", Role::Expert, Scope::Province),
        ("kiemduyet", Role::Moderator, Scope::Province),
        ("doitac", Role::PartnerOfficer, Scope::Organization(f.minh_han)),
    ];
    for (name, role, scope) in outsiders {
        f.app.user(name, None, &[(role, scope)]).await;
        let browser = f.app.sign_in(name).await;
        assert_eq!(browser.get(&format!("/visits/{visit}")).await.status, StatusCode::NOT_FOUND, "{name}");
        for path in [format!("/plans/{plan}"), format!("/plans/{plan}/report.docx")] {
            let res = browser.get(&path).await;
            assert!(
                matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{name} {path}: {}",
                res.status
            );
            assert!(!res.body.contains("nuôi hàu"), "{name} {path} shows a conclusion");
        }
        let token = f.app.token(&format!("{name}_api"), None, &[(role, scope)]).await;
        for path in [format!("/api/v1/plans/{plan}"), format!("/api/v1/plans/{plan}/dashboard")] {
            let res = f.app.api(Method::GET, &path, Some(&token), None).await;
            assert!(
                matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{name} {path}: {}",
                res.status
            );
            assert!(!res.body.contains("nuôi hàu"), "{name} {path} shows a conclusion");
        }
        let list = f.app.api(Method::GET, "/api/v1/plans?limit=100", Some(&token), None).await;
        assert!(
            !list.body.contains("nuôi hàu") && !list.body.contains(&format!("\"id\":{plan},")),
            "{name}: {}",
            list.body
        );
    }
    // Those who read the visit read its plan.
    for name in ["chuyenvien", "lanhdao", "quangyen", "bientap"] {
        let browser = f.app.sign_in(name).await;
        assert_eq!(browser.get(&format!("/visits/{visit}")).await.status, StatusCode::OK, "{name}");
        let res = browser.get(&format!("/plans/{plan}")).await;
        assert_eq!(res.status, StatusCode::OK, "{name}");
    }
}

/// Stores that refuse every file: a disk whose folder cannot be made (it would sit under a regular file, which
/// stops root too) and, on the S3-compatible server of the PostgreSQL run, a bucket that does not exist.
fn refusing_stores() -> Vec<(&'static str, tiendo_db::files::FileStore, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("disk"), b"not a folder").unwrap();
    let disk = tiendo_db::files::FileStore::new(dir.path().join("disk").join("files"));
    let mut stores = vec![("a disk that cannot be written", disk, dir)];
    if let Some(url) = std::env::var("TEST_S3_URL").ok().filter(|u| !u.trim().is_empty()) {
        let (endpoint, _) = url.trim().trim_end_matches('/').rsplit_once('/').expect("http://host:port/bucket");
        let bucket = tiendo_db::files::FileStore::bucket(&tiendo_db::files::BucketConfig {
            bucket: "tiendo-no-such-bucket".to_owned(),
            prefix: String::new(),
            endpoint: endpoint.to_owned(),
            region: "us-east-1".to_owned(),
            access_key_id: "test".to_owned(),
            secret_access_key: "test".to_owned(),
            allow_http: endpoint.starts_with("http://"),
        })
        .unwrap();
        stores.push(("a bucket that refuses writes", bucket, tempfile::tempdir().unwrap()));
    }
    stores
}

#[tokio::test]
async fn a_file_store_that_refuses_files_is_named_and_nothing_is_written() {
    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    for (what, store, _dir) in refusing_stores() {
        let f = fixture_on(TestApp::with_files(store).await).await;
        let officer = f.app.sign_in("chuyenvien").await;
        let visit = create_visit(&f, &officer).await;
        let audited = scalar(&f.app, "SELECT COUNT(*) FROM audit_events").await;
        // The page: a clear message in the reader's language, 503, and the visit's files untouched.
        let res = officer
            .post_multipart(
                &format!("/visits/{visit}/files"),
                &[("kind", "document"), ("caption", "Biên bản làm việc")],
                &[("file", "bien-ban.pdf", PDF)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {}", res.body);
        assert!(res.body.contains("Không lưu được tệp"), "{what}: {}", res.body);
        assert!(res.body.contains("Chưa có gì được lưu"), "{what}: {}", res.body);
        // Nothing half-written: no file row, no visit file, no audit event of an upload.
        assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM attachments").await, 0, "{what}: a file row without its file");
        assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM visit_files").await, 0, "{what}");
        assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM audit_events").await, audited, "{what}: an upload was audited");
    }
}
