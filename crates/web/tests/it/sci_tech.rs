//! S&T tasks, part 1 (issue 16) through the pages: a call opened and published, a proposal drafted,
//! sent, screened, judged and listed, each step on the timeline with its decision document; the proposing
//! side told; and every bad input of the issue refused naming the field or the rule, nothing written,
//! nothing typed lost.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use tiendo_app::{Session, SessionUser};
use tiendo_core::authz::{Actor, Role, Scope};

use crate::harness::{Browser, TestApp, TestResponse};

pub(crate) struct Fixture {
    pub app: TestApp,
    pub so: i64,
    pub quang_yen: i64,
    pub minh_han: i64,
}

pub(crate) async fn fixture() -> Fixture {
    fixture_on(TestApp::new().await).await
}

pub(crate) async fn fixture_on(app: TestApp) -> Fixture {
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let so = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let quang_yen = app.org("UBND thị xã Quảng Yên", Some(province)).await;
    let minh_han = app.org("Công ty TNHH thủy sản Minh Hàn", None).await;
    let agritech = app.org("Công ty CP phát triển Agritech", None).await;
    app.user("chuyenvien", Some(so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(so), &[(Role::DepartmentLeader, Scope::Province)]).await;
    app.user("quangyen", Some(quang_yen), &[(Role::LocalityOfficer, Scope::Organization(quang_yen))]).await;
    app.user("minhhan", Some(minh_han), &[(Role::Applicant, Scope::Organization(minh_han))]).await;
    app.user("agritech", Some(agritech), &[(Role::Applicant, Scope::Organization(agritech))]).await;
    app.user("chuyengia", None, &[(Role::Expert, Scope::Province)]).await;
    Fixture { app, so, quang_yen, minh_han }
}

/// The session of an account, as the use cases take it (for steps taken at another moment).
pub(crate) async fn session_of(app: &TestApp, username: &str) -> Session {
    let db = app.db.db();
    let (user, _) = tiendo_db::identity::user_for_login(db, username).await.unwrap().unwrap();
    let grants = tiendo_db::identity::grants(db, user.id).await.unwrap().iter().filter_map(|g| g.grant()).collect();
    let who = SessionUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organization_id: user.organization_id,
    };
    Session::as_user(who, Actor::user(user.id, grants))
}

pub(crate) fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "expected a redirect: {}", res.body);
    res.header("location").to_owned()
}

pub(crate) fn id_in(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '#', '/']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

fn day(offset: i64) -> String {
    tiendo_core::fmt::date(tiendo_core::time::vietnam_date(Utc::now() + Duration::days(offset)))
}

/// The officer opens a call for proposals receiving from yesterday to a month from now, and publishes it.
pub(crate) async fn open_call(officer: &Browser<'_>) -> i64 {
    let res = officer
        .post(
            "/calls/new",
            &[
                ("title", "Thông báo đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh năm 2027"),
                ("year", "2027"),
                ("regime", "2025"),
                ("route", "order"),
                ("opens_on", &day(-1)),
                ("opens_time", "08:00"),
                ("closes_on", &day(30)),
                ("closes_time", "17:00"),
                ("fields", "Nông nghiệp\nThủy sản\nCông nghệ thông tin"),
                ("eligibility", "Tổ chức, doanh nghiệp, UBND cấp xã và cá nhân"),
                ("forms", "Phiếu đề xuất đặt hàng (mẫu A1)"),
            ],
        )
        .await;
    let id = id_in(&location(&res), "/calls/");
    let published = officer.post(&format!("/calls/{id}/publish"), &[]).await;
    assert_eq!(location(&published), format!("/calls/{id}?done=published"));
    id
}

/// A complete proposal of Quảng Yên, as the form sends it, with `total` as the estimated budget.
pub(crate) fn proposal_form(total: &str, send: bool) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("title", "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên".into()),
        ("field", "Thủy sản".into()),
        ("urgency", "Diện tích nuôi tôm lớn, dịch bệnh thường xuyên xảy ra.".into()),
        ("objectives", "Xây dựng mô hình nuôi tôm thẻ chân trắng tuần hoàn.".into()),
        ("content", "Chuyển giao quy trình; xây dựng mô hình 2 ha.".into()),
        ("product_name", "Quy trình nuôi tôm tuần hoàn".into()),
        ("product_unit", "quy trình".into()),
        ("product_quantity", "1".into()),
        ("product_requirements", "Được hội đồng cơ sở công nhận".into()),
        ("product_name", "Mô hình nuôi".into()),
        ("product_unit", "ha".into()),
        ("product_quantity", "2".into()),
        ("product_requirements", String::new()),
        ("duration_months", "24".into()),
        ("budget_total", total.into()),
        ("budget_source", "state_budget".into()),
        ("budget_amount", "1.200.000.000".into()),
        ("budget_source", "counterpart".into()),
        ("budget_amount", "300.000.000".into()),
        ("budget_source", "other".into()),
        ("budget_amount", String::new()),
        ("proposer_kind", "commune".into()),
        ("proposer_name", "UBND thị xã Quảng Yên".into()),
        ("contact_name", "Nguyễn Văn An".into()),
        ("contact_phone", "0203 3875 123".into()),
        ("team_name", "Lê Minh Tuấn".into()),
        ("team_role", "Chủ nhiệm".into()),
    ];
    if send {
        f.push(("send", "1".into()));
    }
    f
}

pub(crate) async fn post_form(b: &Browser<'_>, uri: &str, fields: &[(&'static str, String)]) -> TestResponse {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(uri, &pairs).await
}

pub(crate) async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

/// A transition through the page's form (multipart, no file).
pub(crate) async fn step(b: &Browser<'_>, proposal: i64, fields: &[(&str, &str)]) -> TestResponse {
    b.post_multipart(&format!("/proposals/{proposal}/transition"), fields, &[]).await
}

#[tokio::test]
async fn a_commune_proposes_the_officer_screens_the_council_recommends_and_the_leader_lists_it() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let call_page = commune.get(&format!("/calls/{call}")).await;
    assert!(call_page.body.contains(&format!("/calls/{call}/proposals/new")), "the call invites proposals");

    // A draft on a slow link: half the form, saved.
    let draft = post_form(
        &commune,
        &format!("/calls/{call}/proposals/new"),
        &[
            ("title", "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên".into()),
            ("proposer_kind", "commune".into()),
        ],
    )
    .await;
    let id = id_in(&location(&draft), "/proposals/");
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM st_proposals WHERE id = {id} AND state = 'draft'")).await,
        1
    );
    let staff_view = officer.get(&format!("/proposals/{id}")).await;
    assert_eq!(staff_view.status, StatusCode::NOT_FOUND, "a draft is the proposer's own");

    // Completed and sent.
    let sent = post_form(&commune, &format!("/proposals/{id}/edit"), &proposal_form("1.500.000.000", true)).await;
    assert_eq!(location(&sent), format!("/proposals/{id}?done=sent"));
    let page = commune.get(&format!("/proposals/{id}")).await;
    assert!(page.body.contains("Đã gửi, chờ kiểm tra"), "{}", page.body);
    assert!(page.body.contains("1.500.000.000 đ"));

    // Screened, put before a council held outside the system, recommended, listed.
    assert_eq!(
        location(&step(&officer, id, &[("action", "screen_valid")]).await),
        format!("/proposals/{id}?done=moved")
    );
    location(&step(&officer, id, &[("action", "to_council")]).await);
    let recommended = step(
        &officer,
        id,
        &[
            ("action", "recommend"),
            ("decision_symbol", "15/BB-HĐKHCN"),
            ("decision_date", &day(0)),
            ("decision_signer", "Hoàng Bá Nam, Chủ tịch hội đồng"),
            ("note", "Đề nghị đặt hàng, phương thức tuyển chọn."),
        ],
    )
    .await;
    location(&recommended);
    let officer_page = officer.get(&format!("/proposals/{id}")).await;
    assert!(!officer_page.body.contains("value=\"approve_list\""), "the list is the leaders' to approve");
    let leader = f.app.sign_in("lanhdao").await;
    let listed = step(
        &leader,
        id,
        &[
            ("action", "approve_list"),
            ("mode", "selection"),
            ("decision_symbol", "Số: 1523/QĐ-UBND"),
            ("decision_date", &day(0)),
            ("decision_signer", "Đặng Huy Hậu, Phó Chủ tịch UBND tỉnh"),
        ],
    )
    .await;
    location(&listed);

    // The timeline names each step with its decision document; the commune was told of every decision.
    let page = commune.get(&format!("/proposals/{id}")).await;
    assert!(page.body.contains("Trong danh mục đặt hàng đã phê duyệt"));
    assert!(page.body.contains("Văn bản số 1523/QĐ-UBND ngày"), "{}", page.body);
    assert!(page.body.contains("Đặng Huy Hậu, Phó Chủ tịch UBND tỉnh"));
    assert!(page.body.contains("15/BB-HĐKHCN"));
    assert_eq!(scalar(&f.app, &format!("SELECT COUNT(*) FROM st_events WHERE proposal_id = {id}")).await, 5);
    let told = scalar(&f.app, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'quangyen' AND n.kind = 'st_decision'").await;
    assert_eq!(told, 4, "screened, before the council, recommended, listed");
    let english = commune.get(&format!("/proposals/{id}?lang=en")).await;
    assert!(english.body.contains("In the approved list of tasks"));
    let work = commune.get("/work").await;
    assert!(work.body.contains("Kết quả xử lý gần đây"), "{}", work.body);
    let _ = (f.so, f.quang_yen, f.minh_han);
}

#[tokio::test]
async fn a_budget_whose_sources_do_not_add_up_is_refused_naming_the_total_and_nothing_is_written() {
    let f = fixture().await;
    let call = open_call(&f.app.sign_in("chuyenvien").await).await;
    let commune = f.app.sign_in("quangyen").await;
    let res = post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.600.000.000", true)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Các nguồn kinh phí cộng lại là 1.500.000.000 đ, khác tổng kinh phí 1.600.000.000 đ."),
        "{}",
        res.body
    );
    assert!(res.body.contains("value=\"1.600.000.000\""), "what was typed is kept");
    assert!(res.body.contains("Quy trình nuôi tôm tuần hoàn"));
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM st_proposals").await, 0, "nothing written");
    // The same through the API names the field.
}

#[tokio::test]
async fn a_proposal_after_the_deadline_is_refused_to_the_minute_and_what_was_typed_stays() {
    let f = fixture().await;
    let officer = session_of(&f.app, "chuyenvien").await;
    let state = f.app.state();
    let app = state.app();
    // A call that closed at 17:00 yesterday, Vietnam time.
    let yesterday = tiendo_core::time::vietnam_date(Utc::now()) - Duration::days(1);
    let draft = tiendo_core::sci_tech::CallDraft {
        title: "Thông báo đề xuất nhiệm vụ năm 2027".into(),
        year: "2027".into(),
        regime: "2025".into(),
        route: "order".into(),
        opens_on: tiendo_core::fmt::date(yesterday - Duration::days(30)),
        closes_on: tiendo_core::fmt::date(yesterday),
        closes_time: "17:00".into(),
        fields: "Thủy sản".into(),
        eligibility: "Mọi tổ chức".into(),
        ..Default::default()
    };
    let opened = app.at(Utc::now() - Duration::days(20));
    let call = tiendo_app::sci_tech::create_call(&opened, &officer, &draft).await.unwrap();
    tiendo_app::sci_tech::publish_call(&opened, &officer, call).await.unwrap();
    let commune = f.app.sign_in("quangyen").await;
    let res = post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let deadline = format!("{} 17:00", tiendo_core::fmt::date(yesterday));
    assert!(res.body.contains(&format!("hết hạn nhận đề xuất lúc {deadline}")), "{}", res.body);
    assert!(res.body.contains("Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"), "what was typed stays");
    assert_eq!(scalar(&f.app, "SELECT COUNT(*) FROM st_proposals").await, 0, "nothing written");

    // To the minute: the second before the deadline is in time, the deadline itself is not.
    let closes_at = tiendo_db::sci_tech::call(f.app.db.db(), call).await.unwrap().unwrap().closes_at;
    let proposer = session_of(&f.app, "quangyen").await;
    let typed = tiendo_core::sci_tech::ProposalDraft {
        title: "Đề xuất sát giờ".into(),
        proposer_kind: "commune".into(),
        ..Default::default()
    };
    let keep = tiendo_app::sci_tech::ProposalSave::Keep;
    let late = tiendo_app::sci_tech::create_proposal(&app.at(closes_at), &proposer, call, &typed, keep).await;
    assert!(matches!(late, Err(tiendo_app::Error::Conflict { code: "call_closed", .. })), "{late:?}");
    let in_time = app.at(closes_at - Duration::seconds(1));
    assert!(tiendo_app::sci_tech::create_proposal(&in_time, &proposer, call, &typed, keep).await.is_ok());
}

#[tokio::test]
async fn a_step_not_allowed_from_the_current_state_is_refused_naming_both_and_nothing_moves() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let id = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    let leader = f.app.sign_in("lanhdao").await;
    let res = step(
        &leader,
        id,
        &[
            ("action", "approve_list"),
            ("mode", "selection"),
            ("decision_symbol", "1523/QĐ-UBND"),
            ("decision_date", &day(0)),
            ("decision_signer", "Đặng Huy Hậu"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(
        res.body
            .contains("Không thể «Phê duyệt danh mục đặt hàng» khi đề xuất đang ở tình trạng «Đã gửi, chờ kiểm tra»."),
        "{}",
        res.body
    );
    assert!(res.body.contains("value=\"1523/QĐ-UBND\"") || res.body.contains("Đã gửi, chờ kiểm tra"));
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM st_proposals WHERE id = {id} AND state = 'submitted'")).await,
        1
    );
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM st_events WHERE proposal_id = {id}")).await,
        1,
        "only the sending"
    );
    // A step of another side: the proposer may not screen its own proposal.
    let own = step(&commune, id, &[("action", "screen_valid")]).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_invalid_proposal_needs_its_reasons_and_the_proposer_reads_them() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let id = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    let none = step(&officer, id, &[("action", "screen_invalid"), ("note", "Trùng nội dung")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Hãy chọn ít nhất một lý do."));
    assert!(none.body.contains("Trùng nội dung"), "the note typed stays");
    let res = step(
        &officer,
        id,
        &[
            ("action", "screen_invalid"),
            ("reasons", "duplicate"),
            ("reasons", "incomplete"),
            ("note", "Trùng với nhiệm vụ năm 2019."),
        ],
    )
    .await;
    location(&res);
    let page = commune.get(&format!("/proposals/{id}")).await;
    assert!(page.body.contains("Không hợp lệ"));
    assert!(page.body.contains("Trùng với nhiệm vụ đã hoặc đang thực hiện"));
    assert!(page.body.contains("Thiếu thông tin hoặc hồ sơ"));
    assert!(page.body.contains("Trùng với nhiệm vụ năm 2019."));
    let notes = commune.get("/notifications").await;
    assert!(notes.body.contains("Không hợp lệ"), "{}", notes.body);
}

#[tokio::test]
async fn an_applicant_sees_only_its_own_proposals() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let minh_han = f.app.sign_in("minhhan").await;
    let mut form = proposal_form("1.500.000.000", true);
    for (k, v) in &mut form {
        if *k == "proposer_kind" {
            *v = "enterprise".into();
        }
        if *k == "proposer_name" {
            *v = "Công ty TNHH thủy sản Minh Hàn".into();
        }
    }
    let id =
        id_in(&location(&post_form(&minh_han, &format!("/calls/{call}/proposals/new"), &form).await), "/proposals/");
    let other = f.app.sign_in("agritech").await;
    assert_eq!(other.get(&format!("/proposals/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/proposals").await.body.contains("nuôi tôm tuần hoàn"));
    assert!(!other.get(&format!("/calls/{call}")).await.body.contains("nuôi tôm tuần hoàn"));
    assert!(minh_han.get("/proposals?own=1").await.body.contains("nuôi tôm tuần hoàn"));
    assert!(
        officer.get(&format!("/calls/{call}")).await.body.contains("nuôi tôm tuần hoàn"),
        "the staff see what was sent"
    );
    let expert = f.app.sign_in("chuyengia").await;
    assert_eq!(expert.get(&format!("/proposals/{id}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_decision_document_is_required_complete_and_well_formed() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let id = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    location(&step(&officer, id, &[("action", "screen_valid")]).await);
    location(&step(&officer, id, &[("action", "to_council")]).await);
    let res = step(
        &officer,
        id,
        &[
            ("action", "recommend"),
            ("decision_symbol", "BB-HĐKHCN"),
            ("decision_date", &day(2)),
            ("decision_signer", ""),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("value=\"BB-HĐKHCN\""), "what was typed stays");
    assert!(res.body.contains("Ngày ký không thể sau hôm nay."), "{}", res.body);
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM st_proposals WHERE id = {id} AND state = 'identification'"))
            .await,
        1
    );
}

#[tokio::test]
async fn similar_tasks_and_proposals_come_from_search_as_each_reader_may_open_them() {
    let (app, application) = crate::search::search_app().await;
    let f = fixture_on(app).await;
    let plan = f.app.db.fixtures().plan("Chương trình phát triển thủy sản").create().await;
    f.app.db.fixtures().task(plan, "1").title("Nhân rộng mô hình nuôi tôm tuần hoàn tiết kiệm nước").create().await;
    crate::search::rebuild(&application).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let sent =
        post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await;
    let first = id_in(&location(&sent), "/proposals/");
    let minh_han = f.app.sign_in("minhhan").await;
    let draft = post_form(
        &minh_han,
        &format!("/calls/{call}/proposals/new"),
        &[("title", "Nuôi tôm tuần hoàn trong nhà màng".into()), ("proposer_kind", "enterprise".into())],
    )
    .await;
    let second = id_in(&location(&draft), "/proposals/");
    tiendo_app::search::catch_up(&application).await.unwrap();
    // The applicant finds the monitoring task, not the commune's proposal, which is not theirs to read.
    let form = minh_han.get(&format!("/proposals/{second}/edit")).await;
    assert!(form.body.contains("Nhân rộng mô hình nuôi tôm tuần hoàn tiết kiệm nước"), "{}", form.body);
    assert!(!form.body.contains("Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"));
    // As the name is typed, the panel alone.
    let panel = minh_han.get("/proposals/similar?title=nu%C3%B4i+t%C3%B4m+tu%E1%BA%A7n+ho%C3%A0n").await;
    assert!(panel.body.contains("Nhân rộng mô hình nuôi tôm tuần hoàn tiết kiệm nước"));
    // The officer screening the commune's proposal sees the task; the applicant's draft is not sent yet.
    let page = officer.get(&format!("/proposals/{first}")).await;
    assert!(page.body.contains("Nhân rộng mô hình nuôi tôm tuần hoàn tiết kiệm nước"));
    assert!(!page.body.contains("Nuôi tôm tuần hoàn trong nhà màng"), "a draft is its proposer's own");
    let token = f.app.token_of("chuyenvien").await;
    let similar =
        f.app.api(axum::http::Method::GET, &format!("/api/v1/proposals/{first}/similar"), Some(&token), None).await;
    assert_eq!(similar.json()[0]["kind"], "task", "{}", similar.body);
}
