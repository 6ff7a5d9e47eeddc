//! S&T enterprise certificates (issue 18) through the pages: an enterprise drafts its dossier, attaches
//! the checklist's documents and sends it; the officer checks it, asks for supplements (the clock paused),
//! accepts it; the leader issues the certificate, which the public register lists and finds by tax code;
//! amended, re-issued, revoked; yearly reports re-check the conditions. Every bad input of the issue is
//! refused naming the field or the rule, with nothing written and nothing typed lost.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use tiendo_core::authz::{Role, Scope};

use crate::harness::{Browser, TestApp};
use crate::sci_tech::{id_in, location, session_of};

/// A code with its check digit, for Minh Hàn.
const MINH_HAN_CODE: &str = "5799990005";

pub(crate) struct Fixture {
    pub app: TestApp,
    pub minh_han: i64,
}

pub(crate) async fn fixture() -> Fixture {
    let app = TestApp::new().await;
    let so = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    let minh_han = app.org("Công ty TNHH thủy sản Minh Hàn", None).await;
    let agritech = app.org("Công ty CP phát triển Agritech", None).await;
    app.user("chuyenvien", Some(so), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("lanhdao", Some(so), &[(Role::DepartmentLeader, Scope::Province)]).await;
    app.user("minhhan", Some(minh_han), &[(Role::Applicant, Scope::Organization(minh_han))]).await;
    app.user("agritech", Some(agritech), &[(Role::Applicant, Scope::Organization(agritech))]).await;
    Fixture { app, minh_han }
}

fn year(offset: i32) -> String {
    (tiendo_core::time::vietnam_date(Utc::now()).format("%Y").to_string().parse::<i32>().unwrap() + offset).to_string()
}

/// The dossier's form as Minh Hàn types it, with `extra` fields replacing or adding to it.
fn dossier<'a>(last_year: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("enterprise_name", "Công ty TNHH thủy sản Minh Hàn"),
        ("tax_code", MINH_HAN_CODE),
        ("address", "Thôn 3, xã Hoàng Tân, thị xã Quảng Yên"),
        ("established_on", "12/05/2012"),
        ("size", "small"),
        ("result_kind", "utility_solution"),
        ("result_title", "Quy trình nuôi tôm thẻ chân trắng tuần hoàn"),
        ("result_reference", "2345"),
        ("result_issued_on", "15/06/2018"),
        ("result_issuer", "Cục Sở hữu trí tuệ"),
        ("product_name", "Tôm thẻ chân trắng nuôi tuần hoàn"),
        ("product_result", "1"),
        ("year", last_year),
        ("total_revenue", "12.000.000.000"),
        ("st_revenue", "5.000.000.000"),
        ("net_revenue", "11.500.000.000"),
        ("rd_spending", "400.000.000"),
    ];
    for (k, v) in extra {
        if let Some(f) = fields.iter_mut().find(|(name, _)| name == k) {
            f.1 = v;
        } else {
            fields.push((k, v));
        }
    }
    fields
}

/// Minh Hàn's draft with the required documents attached; its id.
pub(crate) async fn draft_with_documents(minh_han: &Browser<'_>) -> i64 {
    let last = year(-1);
    let res = minh_han.post("/certificates/applications/new", &dossier(&last, &[])).await;
    let id = id_in(&location(&res), "/certificates/applications/");
    for doc in ["application_form", "result_evidence"] {
        let res = minh_han
            .post_multipart(
                &format!("/certificates/applications/{id}/files"),
                &[("document", doc), ("title", doc)],
                &[("file", "ho-so.txt", "Hồ sơ đề nghị chứng nhận doanh nghiệp KH&CN".as_bytes())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    id
}

pub(crate) async fn step(b: &Browser<'_>, id: i64, fields: &[(&str, &str)]) -> crate::harness::TestResponse {
    b.post(&format!("/certificates/applications/{id}/step"), fields).await
}

pub(crate) fn today() -> String {
    tiendo_core::fmt::date(tiendo_core::time::vietnam_date(Utc::now()))
}

#[tokio::test]
async fn an_enterprise_applies_and_the_department_issues_its_certificate() {
    let f = fixture().await;
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    let page = minh_han.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("Bản nháp"), "{}", page.body);
    assert!(page.body.contains("Nghị định 268/2025/NĐ-CP"), "the basis in force today applies");
    assert_eq!(
        location(&step(&minh_han, id, &[("action", "submit")]).await),
        format!("/certificates/applications/{id}?done=moved")
    );

    let officer = f.app.sign_in("chuyenvien").await;
    let page = officer.get("/certificates/applications").await;
    assert!(page.body.contains("Công ty TNHH thủy sản Minh Hàn") && page.body.contains("Còn 15 ngày"), "{}", page.body);
    step(&officer, id, &[("action", "start_check")]).await;
    // A supplement request with no reason is refused, naming the note; nothing moves.
    let refused = step(&officer, id, &[("action", "request_supplement"), ("note", "  ")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Trường này là bắt buộc"), "{}", refused.body);
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM cert_applications WHERE id = {id} AND state = 'checking'")).await,
        1
    );
    step(
        &officer,
        id,
        &[("action", "request_supplement"), ("note", "Bổ sung bản sao bằng độc quyền giải pháp hữu ích")],
    )
    .await;
    let page = minh_han.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("Tạm dừng chờ bổ sung"), "{}", page.body);
    assert!(page.body.contains("Bổ sung bản sao bằng độc quyền"));
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'cert_step'").await, 2);
    step(&minh_han, id, &[("action", "answer_supplement")]).await;
    step(&officer, id, &[("action", "accept")]).await;
    // The officer does not issue; the leader does, with the number and the decision.
    assert_eq!(step(&officer, id, &[("action", "issue")]).await.status, StatusCode::FORBIDDEN);
    let leader = f.app.sign_in("lanhdao").await;
    let issue = [
        ("action", "issue"),
        ("number", "01/2026/DNKHCN"),
        ("decision_symbol", "125/QĐ-SKHCN"),
        ("decision_date", &today()),
        ("decision_signer", "Hoàng Bá Nam"),
    ];
    assert_eq!(step(&leader, id, &issue).await.status, StatusCode::SEE_OTHER);
    let page = minh_han.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("Đã cấp Giấy chứng nhận") && page.body.contains("01/2026/DNKHCN"), "{}", page.body);
    assert!(!page.body.contains("Quyết định sau thời hạn"));
    // The public register lists it and finds it by tax code, with its products.
    let register = f.app.get(&format!("/registers/certificates?q={MINH_HAN_CODE}")).await;
    assert!(register.body.contains("01/2026/DNKHCN") && register.body.contains("Tôm thẻ chân trắng nuôi tuần hoàn"));
    assert!(register.body.contains("Còn hiệu lực"));
    let other = f.app.get("/registers/certificates?q=Agritech").await;
    assert!(!other.body.contains("01/2026/DNKHCN"));
    // Every step is audited.
    assert!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'cert_application' AND entity_id = '{id}'"
            ))
            .await
            >= 8
    );
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'certificate'").await, 1);
}

#[tokio::test]
async fn bad_figures_and_tax_codes_are_refused_naming_the_field_and_nothing_is_written() {
    let f = fixture().await;
    sqlx_set_tax_code(&f.app, f.minh_han, "0100112437").await;
    let minh_han = f.app.sign_in("minhhan").await;
    let last = year(-1);
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("tax_code", "5799990006")], "sai chữ số kiểm tra"),
        (&[("tax_code", "0100112437")], "thuộc về tổ chức khác"),
        (&[("total_revenue", "-5")], "không được âm"),
        (&[("st_revenue", "13.000.000.000")], "lớn hơn tổng doanh thu"),
    ];
    for (extra, message) in cases {
        let res = minh_han.post("/certificates/applications/new", &dossier(&last, extra)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{extra:?}");
        assert!(res.body.contains(message), "{extra:?}: {}", res.body);
        // What was typed comes back.
        assert!(res.body.contains("Quy trình nuôi tôm thẻ chân trắng tuần hoàn"));
    }
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM cert_applications").await, 0);
}

async fn sqlx_set_tax_code(app: &TestApp, org: i64, code: &str) {
    let other = app.org("Ngân hàng TMCP Ngoại thương Việt Nam", None).await;
    let q = tiendo_db::Query::new("UPDATE organizations SET tax_code = $1 WHERE id = $2").bind(code).bind(other);
    tiendo_db::Exec::execute(app.db.db(), q).await.unwrap();
    let _ = org;
}

#[tokio::test]
async fn a_step_not_allowed_from_the_state_is_refused_naming_both_and_another_enterprise_sees_nothing() {
    let f = fixture().await;
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    let res = step(&minh_han, id, &[("action", "answer_supplement")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Không thể «Nộp hồ sơ bổ sung» khi hồ sơ đang ở tình trạng «Bản nháp»"), "{}", res.body);
    // A draft is the enterprise's: the staff and another enterprise do not see it.
    let officer = f.app.sign_in("chuyenvien").await;
    assert_eq!(officer.get(&format!("/certificates/applications/{id}")).await.status, StatusCode::NOT_FOUND);
    step(&minh_han, id, &[("action", "submit")]).await;
    let agritech = f.app.sign_in("agritech").await;
    assert_eq!(agritech.get(&format!("/certificates/applications/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(step(&agritech, id, &[("action", "withdraw")]).await.status, StatusCode::NOT_FOUND);
    // Sending twice is a step not allowed from "received".
    assert_eq!(step(&minh_han, id, &[("action", "submit")]).await.status, StatusCode::CONFLICT);
    // A dossier without its required documents cannot be sent.
    let last = year(-1);
    let res = minh_han.post("/certificates/applications/new", &dossier(&last, &[])).await;
    let bare = id_in(&location(&res), "/certificates/applications/");
    let res = step(&minh_han, bare, &[("action", "submit")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Chưa đính kèm: Đơn đề nghị cấp Giấy chứng nhận"), "{}", res.body);
}

#[tokio::test]
async fn a_decision_after_the_clock_ran_out_is_taken_and_recorded_as_late() {
    let f = fixture().await;
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    // Sent forty days ago: fifteen working days have run out.
    let state = f.app.state();
    let past = state.app().at(Utc::now() - Duration::days(40));
    let session = session_of(&f.app, "minhhan").await;
    let submit = tiendo_core::certificates::StepDraft { action: "submit".into(), ..Default::default() };
    tiendo_app::certificates::step(&past, &session, id, &submit).await.unwrap();
    let officer = f.app.sign_in("chuyenvien").await;
    let list = officer.get("/certificates/applications").await;
    assert!(list.body.contains("Quá hạn"), "{}", list.body);
    // The leader's dashboard shows it, and the staff are reminded once.
    let leader = f.app.sign_in("lanhdao").await;
    let dashboard = leader.get("/dashboard").await;
    assert!(
        dashboard.body.contains("sắp hết hạn, quá hạn") && dashboard.body.contains("Công ty TNHH thủy sản Minh Hàn")
    );
    let system = tiendo_app::Session::system(tiendo_core::authz::Actor::public());
    assert_eq!(tiendo_app::certificates::work::send_clock_reminders(state.app(), &system).await.unwrap(), 1);
    assert_eq!(tiendo_app::certificates::work::send_clock_reminders(state.app(), &system).await.unwrap(), 0);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'cert_overdue'").await, 2);
    step(&officer, id, &[("action", "start_check")]).await;
    let res = step(&officer, id, &[("action", "refuse"), ("note", "Không chứng minh được kết quả KH&CN")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "refusing is the leader's");
    let res = step(&leader, id, &[("action", "refuse"), ("note", "Không chứng minh được kết quả KH&CN")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM cert_applications WHERE id = {id} AND decided_late")).await,
        1
    );
    let page = minh_han.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("Quyết định sau thời hạn") && page.body.contains("Từ chối cấp"), "{}", page.body);
}

/// An application taken to its certificate through the pages; the certificate's id.
pub(crate) async fn certified(f: &Fixture) -> i64 {
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    certify(f, id).await
}

async fn certify(f: &Fixture, id: i64) -> i64 {
    let minh_han = f.app.sign_in("minhhan").await;
    step(&minh_han, id, &[("action", "submit")]).await;
    let leader = f.app.sign_in("lanhdao").await;
    step(&leader, id, &[("action", "start_check")]).await;
    step(&leader, id, &[("action", "accept")]).await;
    let issue = [
        ("action", "issue"),
        ("number", "07/2026/DNKHCN"),
        ("decision_symbol", "130/QĐ-SKHCN"),
        ("decision_date", &today()),
        ("decision_signer", "Hoàng Bá Nam"),
    ];
    assert_eq!(step(&leader, id, &issue).await.status, StatusCode::SEE_OTHER);
    f.app.scalar(&format!("SELECT id FROM certificates WHERE application_id = {id}")).await
}

#[tokio::test]
async fn a_certificate_is_amended_as_a_new_version_and_revoked_only_with_reason_and_decision() {
    let f = fixture().await;
    let cert = certified(&f).await;
    let leader = f.app.sign_in("lanhdao").await;
    let minh_han = f.app.sign_in("minhhan").await;
    assert_eq!(
        minh_han.post(&format!("/certificates/{cert}/reissue"), &[("note", "Mất bản gốc")]).await.status,
        StatusCode::FORBIDDEN
    );
    let res = leader
        .post(
            &format!("/certificates/{cert}/amend"),
            &[
                ("enterprise_name", "Công ty CP thủy sản Minh Hàn"),
                ("products", "Tôm thẻ chân trắng\nTôm sú"),
                ("note", "Đổi loại hình doanh nghiệp"),
            ],
        )
        .await;
    let v2 = id_in(&location(&res), "/certificates/");
    let page = f.app.get(&format!("/certificates/{v2}")).await;
    assert!(page.body.contains("Cấp thay đổi nội dung") && page.body.contains("Tôm sú"), "{}", page.body);
    assert!(f.app.get(&format!("/certificates/{cert}")).await.body.contains("Đã được thay thế"));
    // Revoking needs the reason and the decision.
    let res = leader.post(&format!("/certificates/{v2}/end"), &[("action", "revoke")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Trường này là bắt buộc"));
    let res = leader
        .post(
            &format!("/certificates/{v2}/end"),
            &[
                ("action", "revoke"),
                ("note", "Không còn đáp ứng điều kiện doanh thu"),
                ("decision_symbol", "201/QĐ-SKHCN"),
                ("decision_date", &today()),
                ("decision_signer", "Hoàng Bá Nam"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let register = f.app.get("/registers/certificates?q=Minh+H%C3%A0n").await;
    assert!(register.body.contains("Đã thu hồi"), "{}", register.body);
    assert!(!f.app.get("/registers/certificates?in_force=1").await.body.contains("07/2026/DNKHCN"));
    // Once revoked, nothing more: a clear conflict.
    let res = leader.post(&format!("/certificates/{v2}/reissue"), &[("note", "Mất bản gốc")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Giấy chứng nhận này ở tình trạng «Đã thu hồi»"), "{}", res.body);
}

/// The enterprise's report of the yearly form for `year`, opened from "my reports", filled and sent; its id.
async fn send_yearly_report(b: &Browser<'_>, org: i64, year: &str, values: &[(&str, &str)]) -> i64 {
    let res = b.post("/reports/open", &[("template", "DN-KHCN"), ("org", &org.to_string()), ("period", year)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = id_in(&location(&res), "/reports/");
    let version = f_version(b, id).await;
    let mut fields: Vec<(String, String)> = vec![("version".into(), version), ("action".into(), "submit".into())];
    fields.extend(values.iter().map(|(k, v)| (format!("f_{k}"), (*v).to_owned())));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = b.post_multipart(&format!("/reports/{id}/edit"), &refs, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id
}

/// The version of a report as its form carries it.
async fn f_version(b: &Browser<'_>, id: i64) -> String {
    let form = b.get(&format!("/reports/{id}/edit")).await;
    form.body.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("a version").to_owned()
}

#[tokio::test]
async fn the_yearly_report_goes_through_the_reporting_engine_and_its_approval_re_checks_the_conditions() {
    let f = fixture().await;
    // A large enterprise under NĐ 268: three years of net revenue and R&D spending (3.5% of it).
    let minh_han = f.app.sign_in("minhhan").await;
    let (y1, y2, y3) = (year(-1), year(-2), year(-3));
    let mut fields = dossier(&y1, &[("size", "large")]);
    for y in [&y2, &y3] {
        fields.extend([
            ("year", y.as_str()),
            ("total_revenue", "12.000.000.000"),
            ("st_revenue", ""),
            ("net_revenue", "11.500.000.000"),
            ("rd_spending", "400.000.000"),
        ]);
    }
    let res = minh_han.post("/certificates/applications/new", &fields).await;
    let id = id_in(&location(&res), "/certificates/applications/");
    for doc in ["application_form", "result_evidence"] {
        minh_han
            .post_multipart(
                &format!("/certificates/applications/{id}/files"),
                &[("document", doc)],
                &[("file", "ho-so.txt", "Hồ sơ".as_bytes())],
            )
            .await;
    }
    // No yearly form before the first certificate; issuing installs it and assigns the enterprise.
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM report_templates WHERE code = 'DN-KHCN'").await, 0);
    let cert = certify(&f, id).await;
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM report_targets WHERE template_code = 'DN-KHCN' AND org_id = {}",
                f.minh_han
            ))
            .await,
        1
    );
    let mine = minh_han.get("/reports").await;
    assert!(mine.body.contains("Báo cáo hằng năm của doanh nghiệp khoa học và công nghệ"), "{}", mine.body);
    let page = minh_han.get(&format!("/certificates/{cert}")).await;
    assert!(page.body.contains("href=\"/reports\""), "the enterprise is sent to its reports: {}", page.body);
    // The engine checks the figures: a part above the total is refused, nothing typed lost.
    let open = minh_han
        .post("/reports/open", &[("template", "DN-KHCN"), ("org", &f.minh_han.to_string()), ("period", &y1)])
        .await;
    let report = id_in(&location(&open), "/reports/");
    let version = f_version(&minh_han, report).await;
    let bad = minh_han
        .post_multipart(
            &format!("/reports/{report}/edit"),
            &[
                ("version", &version),
                ("action", "submit"),
                ("f_total_revenue", "10.000.000.000"),
                ("f_st_revenue", "11.000.000.000"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("không được lớn hơn tổng doanh thu"), "{}", bad.body);
    assert!(bad.body.contains("11.000.000.000"));
    // Spending 3.5% of the average net revenue: approved, the conditions still hold.
    let report = send_yearly_report(
        &minh_han,
        f.minh_han,
        &y1,
        &[
            ("total_revenue", "10.500.000.000"),
            ("st_revenue", "4.000.000.000"),
            ("net_revenue", "10.000.000.000"),
            ("rd_spending", "350.000.000"),
        ],
    )
    .await;
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM cert_reports WHERE certificate_id = {cert}")).await, 0);
    let leader = f.app.sign_in("lanhdao").await;
    let res = leader.post(&format!("/reports/{report}/decide"), &[("decision", "approve")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM cert_reports WHERE certificate_id = {cert} AND holds AND report_id = {report}"
            ))
            .await,
        1
    );
    let page = f.app.get(&format!("/certificates/{cert}")).await;
    assert!(page.body.contains("Vẫn đáp ứng") && !page.body.contains("Theo báo cáo năm gần nhất"), "{}", page.body);
    // Unlocked to correct it: its re-check is taken back; sent again spending 0.9%: the conditions no
    // longer hold, the certificate and the leader's dashboard warn.
    let res = leader.post(&format!("/reports/{report}/unlock"), &[("reason", "Sai chi phí nghiên cứu")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM cert_reports WHERE certificate_id = {cert}")).await, 0);
    let version = f_version(&minh_han, report).await;
    let res = minh_han
        .post_multipart(
            &format!("/reports/{report}/edit"),
            &[
                ("version", &version),
                ("action", "submit"),
                ("f_total_revenue", "10.500.000.000"),
                ("f_st_revenue", "4.000.000.000"),
                ("f_net_revenue", "10.000.000.000"),
                ("f_rd_spending", "100.000.000"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    leader.post(&format!("/reports/{report}/decide"), &[("decision", "approve")]).await;
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM cert_reports WHERE certificate_id = {cert} AND NOT holds")).await,
        1
    );
    let page = f.app.get(&format!("/certificates/{cert}")).await;
    assert!(
        page.body.contains("Theo báo cáo năm gần nhất") && page.body.contains("Không còn đáp ứng"),
        "{}",
        page.body
    );
    let dashboard = leader.get("/dashboard").await;
    let lapsed =
        dashboard.body.split("decision-lapsed").nth(1).expect("the lapsed certificates").split("</ul>").next().unwrap();
    assert!(
        lapsed.contains("Công ty TNHH thủy sản Minh Hàn") && lapsed.contains(&format!("báo cáo năm {y1}")),
        "{lapsed}"
    );
    // Revoked, the enterprise no longer reports yearly and the dashboard no longer lists it.
    let res = leader
        .post(
            &format!("/certificates/{cert}/end"),
            &[
                ("action", "revoke"),
                ("note", "Không còn đáp ứng điều kiện chi cho nghiên cứu"),
                ("decision_symbol", "202/QĐ-SKHCN"),
                ("decision_date", &today()),
                ("decision_signer", "Hoàng Bá Nam"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM report_targets WHERE template_code = 'DN-KHCN'").await, 0);
    assert!(!leader.get("/dashboard").await.body.contains("decision-lapsed"));
    // Each step is in the audit trail: the form installed, assigned, released; the re-checks.
    for (action, n) in [("create", 1), ("assign_template", 1), ("unassign_template", 1)] {
        assert_eq!(
            f.app
                .scalar(&format!(
                    "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'report_template' AND entity_id = 'DN-KHCN' \
                     AND action = '{action}'"
                ))
                .await,
            n,
            "{action}"
        );
    }
    assert_eq!(
        f.app
            .scalar(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'certificate' AND action LIKE 'cert_report%'"
            )
            .await,
        3
    );
}

fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
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

#[tokio::test]
async fn the_certificate_is_issued_as_an_official_document_with_its_number_enterprise_and_products() {
    let f = fixture().await;
    let cert = certified(&f).await;
    let minh_han = f.app.sign_in("minhhan").await;
    let page = minh_han.get(&format!("/certificates/{cert}")).await;
    assert!(page.body.contains(&format!("href=\"/certificates/{cert}/certificate.docx\"")), "{}", page.body);
    let docx = minh_han.get(&format!("/certificates/{cert}/certificate.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.header("content-disposition").contains("giay-chung-nhan-so-07-2026-dnkhcn.docx"));
    let text = docx_text(&docx.bytes);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KHOA HỌC",
        "Số: 07/2026/DNKHCN",
        "GIẤY CHỨNG NHẬN",
        "Doanh nghiệp khoa học và công nghệ",
        "Căn cứ Nghị định số 268/2025/NĐ-CP của Chính phủ",
        "CHỨNG NHẬN:",
        "Tên doanh nghiệp: Công ty TNHH thủy sản Minh Hàn",
        &format!("Mã số doanh nghiệp: {MINH_HAN_CODE}"),
        "Địa chỉ trụ sở chính: Thôn 3, xã Hoàng Tân, thị xã Quảng Yên",
        "Quy trình nuôi tôm thẻ chân trắng tuần hoàn (Bằng độc quyền giải pháp hữu ích số 2345, Cục Sở hữu trí tuệ, ngày 15/06/2018)",
        "Tôm thẻ chân trắng nuôi tuần hoàn",
        &format!("Giấy chứng nhận có hiệu lực kể từ ngày {}", today()),
        "GIÁM ĐỐC",
        "Hoàng Bá Nam",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // The dossier named no legal representative: the certificate prints none rather than an empty line.
    assert!(!text.contains("Người đại diện theo pháp luật"), "{text}");
    let pdf = minh_han.get(&format!("/certificates/{cert}/certificate.pdf")).await;
    if pdf.status == StatusCode::OK {
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.body.starts_with("%PDF-"));
    } else {
        assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE, "only a missing font may stop the PDF: {}", pdf.body);
    }
    // Each version has its own document, saying how it came to be.
    let leader = f.app.sign_in("lanhdao").await;
    let res = leader
        .post(
            &format!("/certificates/{cert}/amend"),
            &[("products", "Tôm thẻ chân trắng\nTôm sú"), ("note", "Bổ sung sản phẩm")],
        )
        .await;
    let v2 = id_in(&location(&res), "/certificates/");
    let text = docx_text(&leader.get(&format!("/certificates/{v2}/certificate.docx")).await.bytes);
    assert!(text.contains(&format!("Cấp lần đầu ngày {}.", today())), "{text}");
    assert!(text.contains(&format!("Cấp thay đổi nội dung lần thứ 1 ngày {}.", today())), "{text}");
    assert!(text.contains("Tôm sú") && !text.contains("Tôm thẻ chân trắng nuôi tuần hoàn"), "{text}");
    // The API gives the same document.
    let token = f.app.token_of("lanhdao").await;
    let app = &f.app;
    let api = |format: &'static str| {
        let path = format!("/api/v1/certificates/{v2}/document?format={format}");
        let token = token.clone();
        async move { app.api(axum::http::Method::GET, &path, Some(&token), None).await }
    };
    let res = api("docx").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(docx_text(&res.bytes).contains("Tôm sú"));
    assert_eq!(api("odt").await.status, StatusCode::BAD_REQUEST);
    // The register is public; the document (with the dossier's details) is the enterprise's and the staff's.
    let agritech = f.app.sign_in("agritech").await;
    assert_eq!(agritech.get(&format!("/certificates/{cert}/certificate.docx")).await.status, StatusCode::NOT_FOUND);
    assert!(!agritech.get(&format!("/certificates/{cert}")).await.body.contains("certificate.docx"));
    assert_eq!(f.app.get(&format!("/certificates/{cert}/certificate.docx")).await.status, StatusCode::SEE_OTHER);
    // Every download is audited.
    assert!(
        f.app.scalar("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'certificate' AND action = 'export'").await
            >= 3
    );
}

#[tokio::test]
async fn the_organisation_page_lists_the_enterprises_results_as_the_reader_may_see_them() {
    let f = fixture().await;
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    let page = format!("/organizations/{}", f.minh_han);
    let result = "Quy trình nuôi tôm thẻ chân trắng tuần hoàn";
    let own = minh_han.get(&page).await;
    let section = own.body.split("id=\"st-results\"").nth(1).expect("the results").split("</ul>").next().unwrap();
    assert!(section.contains(result) && section.contains("Bằng độc quyền giải pháp hữu ích, 2345"), "{section}");
    assert!(section.contains(&format!("href=\"/certificates/applications/{id}\"")) && section.contains("Bản nháp"));
    // A draft is the enterprise's: the staff and another enterprise see no result yet.
    let officer = f.app.sign_in("chuyenvien").await;
    assert!(!officer.get(&page).await.body.contains(result));
    let agritech = f.app.sign_in("agritech").await;
    assert!(!agritech.get(&page).await.body.contains(result));
    // Certified, the result is on the certificate, which everyone reads.
    let cert = certify(&f, id).await;
    let seen = agritech.get(&page).await;
    let section = seen.body.split("id=\"st-results\"").nth(1).expect("the results").split("</ul>").next().unwrap();
    assert!(section.contains(result) && section.contains(&format!("href=\"/certificates/{cert}\"")), "{section}");
    assert_eq!(section.matches(result).count(), 1);
}
