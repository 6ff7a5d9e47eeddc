//! S&T tasks, part 2 (issue 17) through the pages: an approved task signed under contract, paid by
//! instalment, its milestones reached, inspected, changed and extended as versions, suspended and
//! terminated with the funds to recover; the portfolio and form 1 as each role may read them; and every
//! bad input of the issue refused naming the field or the rule, nothing written, nothing typed lost.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::harness::Browser;
use crate::sci_tech::{Fixture, fixture, id_in, location, post_form, proposal_form, step};

fn day(offset: i64) -> String {
    tiendo_core::fmt::date(tiendo_core::time::vietnam_date(Utc::now() + Duration::days(offset)))
}

/// A grassroots task of Quảng Yên taken to its approval (the shortest route of the machine): sent,
/// opened, judged by a council recorded by hand, revised, approved by the leader. Its id.
pub(crate) async fn approved_task(f: &Fixture) -> i64 {
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let commune = f.app.sign_in("quangyen").await;
    let res = officer
        .post(
            "/calls/new",
            &[
                ("title", "Thông báo nhiệm vụ cơ sở năm 2027"),
                ("year", "2027"),
                ("regime", "2025"),
                ("route", "grassroots"),
                ("opens_on", &day(-1)),
                ("opens_time", "08:00"),
                ("closes_on", &day(30)),
                ("closes_time", "17:00"),
                ("fields", "Nông nghiệp\nThủy sản"),
                ("eligibility", "UBND cấp xã"),
                ("forms", "Thuyết minh nhiệm vụ"),
            ],
        )
        .await;
    let call = id_in(&location(&res), "/calls/");
    location(&officer.post(&format!("/calls/{call}/publish"), &[]).await);
    let sent =
        post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await;
    let id = id_in(&location(&sent), "/proposals/");
    let yesterday = day(-1);
    let doc = [
        ("decision_symbol", "15/BB-HĐKHCN"),
        ("decision_date", yesterday.as_str()),
        ("decision_signer", "Hoàng Bá Nam"),
    ];
    location(&step(&officer, id, &[("action", "open_valid")]).await);
    location(&step(&officer, id, &[("action", "to_council")]).await);
    let mut select = vec![("action", "select")];
    select.extend(doc.iter().copied());
    location(&step(&officer, id, &select).await);
    location(&step(&officer, id, &[("action", "request_revision"), ("note", "Bổ sung tiến độ chi tiết.")]).await);
    location(&step(&commune, id, &[("action", "submit_revision")]).await);
    let mut approve = vec![("action", "approve")];
    approve.extend([
        ("decision_symbol", "2345/QĐ-UBND"),
        ("decision_date", yesterday.as_str()),
        ("decision_signer", "Đặng Huy Hậu"),
    ]);
    location(&step(&leader, id, &approve).await);
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM st_proposals WHERE id = {id} AND state = 'approved'")).await,
        1
    );
    id
}

/// The contract's form as the officer fills it: 1.2 billion of state budget in three instalments, 300
/// million of counterpart funds, two years, two milestones.
pub(crate) fn contract_form(host: i64) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("number", "15/2025/HĐ-KHCN".into()),
        ("signed_on", "15/03/2025".into()),
        ("starts_on", "01/04/2025".into()),
        ("ends_on", "31/03/2027".into()),
        ("host_org_id", host.to_string()),
        ("pi_name", "TS. Lê Minh Tuấn".into()),
        ("team_name", "ThS. Phạm Thu Hà".into()),
        ("team_role", "Thư ký khoa học".into()),
        ("source_source", "state_budget".into()),
        ("source_amount", "1.200.000.000".into()),
        ("source_source", "counterpart".into()),
        ("source_amount", "300.000.000".into()),
        ("lump_sum", "800.000.000".into()),
        ("report_every_months", String::new()),
        ("product_name", "Quy trình nuôi tôm tuần hoàn".into()),
        ("product_unit", "quy trình".into()),
        ("product_quantity", "1".into()),
        ("product_requirements", "Được hội đồng cơ sở công nhận".into()),
    ];
    for (year, source, amount) in [
        ("2025", "state_budget", "700.000.000"),
        ("2026", "state_budget", "500.000.000"),
        ("2026", "counterpart", "300.000.000"),
    ] {
        f.extend([("year_year", year.into()), ("year_source", source.into()), ("year_amount", amount.into())]);
    }
    for (amount, due, condition) in [
        ("500.000.000", "15/04/2025", ""),
        ("500.000.000", "15/04/2026", "Sau kiểm tra định kỳ lần 1"),
        ("200.000.000", "15/03/2027", "Sau nghiệm thu cơ sở"),
    ] {
        f.extend([
            ("instalment_amount", amount.into()),
            ("instalment_due_on", due.into()),
            ("instalment_condition", condition.into()),
        ]);
    }
    for (title, due) in [("Điều tra thực trạng nuôi tôm", "30/09/2025"), ("Mô hình nuôi 2 ha", "31/12/2026")]
    {
        f.extend([
            ("milestone_title", title.into()),
            ("milestone_due_on", due.into()),
            ("milestone_products", String::new()),
        ]);
    }
    f
}

fn with(mut form: Vec<(&'static str, String)>, name: &str, nth: usize, value: &str) -> Vec<(&'static str, String)> {
    let at = form.iter().enumerate().filter(|(_, (k, _))| *k == name).nth(nth).map(|(i, _)| i).expect("the field");
    form[at].1 = value.to_owned();
    form
}

async fn sign(f: &Fixture, officer: &Browser<'_>) -> (i64, i64) {
    let task = approved_task(f).await;
    let res = post_form(officer, &format!("/proposals/{task}/contract"), &contract_form(f.quang_yen)).await;
    (task, id_in(&location(&res), "/contracts/"))
}

#[tokio::test]
async fn an_approved_task_is_signed_under_a_contract_whose_money_adds_up_and_bad_input_is_refused() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let task = approved_task(&f).await;

    let proposal = officer.get(&format!("/proposals/{task}")).await;
    assert!(proposal.body.contains(&format!("/proposals/{task}/contract")), "the approved task offers its contract");
    let form = officer.get(&format!("/proposals/{task}/contract")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Quy trình nuôi tôm tuần hoàn"), "the products come from the dossier");
    assert!(form.body.contains("1.200.000.000"), "the budget by source comes from the dossier");

    // Instalments that do not add up, a milestone after the end, a year outside the contract.
    let bad = with(contract_form(f.quang_yen), "instalment_amount", 2, "100.000.000");
    let bad = with(bad, "milestone_due_on", 1, "30/06/2027");
    let bad = with(bad, "year_year", 0, "2024");
    let res = post_form(&officer, &format!("/proposals/{task}/contract"), &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Các đợt cấp cộng lại là 1.100.000.000 đ, khác kinh phí ngân sách nhà nước 1.200.000.000 đ"),
        "{}",
        res.body
    );
    assert!(res.body.contains("Mốc này sau ngày kết thúc hợp đồng (31/03/2027)"), "{}", res.body);
    assert!(res.body.contains("Năm phải trong thời gian thực hiện (2025–2027)"), "{}", res.body);
    assert!(res.body.contains("value=\"15/2025/HĐ-KHCN\""), "what was typed is kept");
    assert!(res.body.contains("value=\"30/06/2027\""), "the wrong value is kept to be corrected");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_contracts").await, 0, "nothing written");

    // Decimal money is refused, not rounded.
    let res = post_form(
        &officer,
        &format!("/proposals/{task}/contract"),
        &with(contract_form(f.quang_yen), "source_amount", 1, "300.000.000,5"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Số tiền là số đồng, không âm, không có phần lẻ"), "{}", res.body);

    // Only the staff sign; the commune sees the dossier but not the form.
    let commune = f.app.sign_in("quangyen").await;
    assert_eq!(commune.get(&format!("/proposals/{task}/contract")).await.status, StatusCode::FORBIDDEN);

    let res = post_form(&officer, &format!("/proposals/{task}/contract"), &contract_form(f.quang_yen)).await;
    let id = id_in(&location(&res), "/contracts/");
    let page = officer.get(&format!("/contracts/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "15/2025/HĐ-KHCN",
        "1.200.000.000 đ",
        "300.000.000 đ",
        "1.500.000.000 đ",
        "Điều tra thực trạng nuôi tôm",
        "Sau nghiệm thu cơ sở",
    ] {
        assert!(page.body.contains(text), "{text} on the task's page");
    }
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM st_milestones WHERE contract_id = {id}")).await, 2);
    assert_eq!(
        f.app.scalar(&format!("SELECT CAST(SUM(amount) AS BIGINT) FROM st_instalments WHERE contract_id = {id}")).await,
        1_200_000_000
    );
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_contract' AND entity_id = '{id}'"
            ))
            .await,
        1,
        "the signing is audited"
    );

    // A second contract for the same task is refused; the form then leads to the contract.
    let again = post_form(&officer, &format!("/proposals/{task}/contract"), &contract_form(f.quang_yen)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("Nhiệm vụ này đã có hợp đồng"), "{}", again.body);
    assert_eq!(location(&officer.get(&format!("/proposals/{task}/contract")).await), format!("/contracts/{id}"));
}

#[tokio::test]
async fn payments_stay_within_their_instalment_and_the_commitment_and_each_reader_sees_what_is_theirs() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let (_, id) = sign(&f, &officer).await;
    let pay = |n: &'static str, amount: &'static str, on: String| {
        vec![
            ("instalment", n.to_owned()),
            ("amount", amount.to_owned()),
            ("paid_on", on),
            ("voucher", "UNC 125".to_owned()),
        ]
    };
    let uri = format!("/contracts/{id}/payments");
    let res = post_form(&officer, &uri, &pay("1", "600.000.000", day(0))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Vượt số còn lại của đợt cấp (500.000.000 đ)"), "{}", res.body);
    assert!(res.body.contains("value=\"600.000.000\""), "the amount typed is kept");
    let res = post_form(&officer, &uri, &pay("1", "500.000.000", day(1))).await;
    assert!(res.body.contains("Ngày không thể ở tương lai"), "{}", res.body);
    assert_eq!(
        location(&post_form(&officer, &uri, &pay("1", "500.000.000", day(0))).await),
        format!("/contracts/{id}?done=paid")
    );
    let res = post_form(&officer, &uri, &pay("1", "1", day(0))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the first instalment is paid in full");
    assert_eq!(f.app.scalar(&format!("SELECT paid FROM st_contracts WHERE id = {id}")).await, 500_000_000);

    // The host reads its task but records nothing; another enterprise does not learn it exists.
    let commune = f.app.sign_in("quangyen").await;
    let host_view = commune.get(&format!("/contracts/{id}")).await;
    assert_eq!(host_view.status, StatusCode::OK);
    assert!(!host_view.body.contains(&uri), "no payment form for the host");
    assert_eq!(post_form(&commune, &uri, &pay("2", "1", day(0))).await.status, StatusCode::FORBIDDEN);
    let other = f.app.sign_in("minhhan").await;
    assert_eq!(other.get(&format!("/contracts/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(!other.get("/contracts").await.body.contains("nuôi tôm"), "the portfolio shows the reader's own only");
    assert!(commune.get("/contracts").await.body.contains("nuôi tôm tuần hoàn"));
    let leader = f.app.sign_in("lanhdao").await;
    let portfolio = leader.get("/contracts").await;
    assert!(
        portfolio.body.contains("1.200.000.000 đ") && portfolio.body.contains("500.000.000 đ"),
        "{}",
        portfolio.body
    );
    assert!(
        portfolio.body.contains("1 mốc quá hạn") || portfolio.body.contains("Mốc tới"),
        "the milestones' risk is shown"
    );

    // Form 1 of TT 14/2014 for the staff, not for the host.
    let xlsx = leader.get("/contracts/form1.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.bytes.starts_with(b"PK"), "a real workbook");
    assert_eq!(commune.get("/contracts/form1.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_change_is_a_new_version_on_a_decision_and_only_an_extension_moves_the_end() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let (_, id) = sign(&f, &officer).await;
    assert_eq!(officer.get(&format!("/contracts/{id}/change")).await.status, StatusCode::FORBIDDEN);
    let form = leader.get(&format!("/contracts/{id}/change")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"31/03/2027\""), "the current version fills the form");
    let decision = |kind: &str| {
        vec![
            ("kind", kind.to_owned()),
            ("decision_symbol", "456/QĐ-SKHCN".to_owned()),
            ("decision_date", day(0)),
            ("decision_signer", "Hoàng Bá Nam".to_owned()),
            ("version", "1".to_owned()),
        ]
    };
    let mut moved = with(contract_form(f.quang_yen), "milestone_due_on", 1, "30/06/2027");
    moved.extend(decision("content"));
    let res = post_form(&leader, &format!("/contracts/{id}/change"), &moved).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("cần quyết định gia hạn trước"), "{}", res.body);
    let mut extended =
        with(with(contract_form(f.quang_yen), "milestone_due_on", 1, "30/06/2027"), "ends_on", 0, "30/09/2027");
    extended.extend(decision("content"));
    let res = post_form(&leader, &format!("/contracts/{id}/change"), &extended).await;
    assert!(res.body.contains("Chỉ thay đổi ngày kết thúc bằng điều chỉnh loại «Gia hạn»"), "{}", res.body);
    let mut extended =
        with(with(contract_form(f.quang_yen), "milestone_due_on", 1, "30/06/2027"), "ends_on", 0, "30/09/2027");
    extended.extend(decision("extension"));
    assert_eq!(
        location(&post_form(&leader, &format!("/contracts/{id}/change"), &extended).await),
        format!("/contracts/{id}?done=changed")
    );
    assert_eq!(f.app.scalar(&format!("SELECT version FROM st_contracts WHERE id = {id}")).await, 2);
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM st_contract_versions WHERE contract_id = {id}")).await, 2);
    let page = leader.get(&format!("/contracts/{id}")).await;
    assert!(
        page.body.contains("30/09/2027")
            && page.body.contains("Phiên bản 2: Gia hạn")
            && page.body.contains("456/QĐ-SKHCN"),
        "{}",
        page.body
    );
    // The same form sent again is stale: it was read from version 1.
    let again = post_form(&leader, &format!("/contracts/{id}/change"), &extended).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // A milestone reached is not dropped by a change; money changes only by a change of budget.
    location(&post_form(&officer, &format!("/contracts/{id}/milestones/0"), &[("done_on", "28/09/2025".into())]).await);
    let base = with(with(contract_form(f.quang_yen), "milestone_due_on", 1, "30/06/2027"), "ends_on", 0, "30/09/2027");
    let mut v2 = decision("content");
    v2[4].1 = "2".into();
    let mut dropped = with(base.clone(), "milestone_title", 0, "Điều tra, khảo sát thực trạng");
    dropped.extend(v2.clone());
    let res = post_form(&leader, &format!("/contracts/{id}/change"), &dropped).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Mốc «Điều tra thực trạng nuôi tôm» đã hoàn thành"), "{}", res.body);
    let mut richer = with(base, "source_amount", 1, "400.000.000");
    richer.extend(v2);
    let res = post_form(&leader, &format!("/contracts/{id}/change"), &richer).await;
    assert!(res.body.contains("Kinh phí chỉ thay đổi bằng điều chỉnh loại «Điều chỉnh dự toán»"), "{}", res.body);
    assert_eq!(f.app.scalar(&format!("SELECT version FROM st_contracts WHERE id = {id}")).await, 2, "nothing written");
}

/// The MIME type of a DOCX.
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[tokio::test]
async fn the_contract_in_force_downloads_with_its_appendices_for_whoever_reads_the_task_and_is_audited() {
    use axum::http::Method;
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let (_, id) = sign(&f, &officer).await;
    let mut extended =
        with(with(contract_form(f.quang_yen), "milestone_due_on", 1, "30/06/2027"), "ends_on", 0, "30/09/2027");
    extended.extend([
        ("kind", "extension".to_owned()),
        ("decision_symbol", "456/QĐ-SKHCN".to_owned()),
        ("decision_date", day(0)),
        ("decision_signer", "Hoàng Bá Nam".to_owned()),
        ("version", "1".to_owned()),
    ]);
    location(&post_form(&leader, &format!("/contracts/{id}/change"), &extended).await);

    let page = officer.get(&format!("/contracts/{id}")).await;
    assert!(page.body.contains(&format!("href=\"/contracts/{id}/contract.docx\"")), "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"/contracts/{id}/contract.pdf\"")) && page.body.contains("Hợp đồng (PDF)")
    );

    let docx = officer.get(&format!("/contracts/{id}/contract.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(docx.header("content-type"), DOCX);
    assert!(docx.header("content-disposition").contains("hop-dong-15-2025-hd-khcn.docx"), "{:?}", docx.headers);
    let text = crate::sci_tech_scoring::docx_text(&docx.bytes);
    for expected in [
        "Số: 15/2025/HĐ-KHCN",
        "HỢP ĐỒNG",
        "Thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh",
        // Signed in March 2025: the 2013 law was still in force.
        "Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13",
        "Căn cứ Quyết định số 2345/QĐ-UBND",
        "Bên đặt hàng (Bên A): Sở Khoa học và Công nghệ",
        "Tổ chức chủ trì nhiệm vụ: UBND thị xã Quảng Yên",
        "Chủ nhiệm nhiệm vụ: TS. Lê Minh Tuấn",
        "Tổng kinh phí thực hiện nhiệm vụ là 1.500.000.000 đồng (bằng chữ: Một tỷ năm trăm triệu đồng)",
        "Kinh phí từ ngân sách nhà nước (sự nghiệp khoa học và công nghệ): 1.200.000.000 đồng, trong đó kinh phí khoán chi 800.000.000 đồng",
        "Quy trình nuôi tôm tuần hoàn",
        "Được hội đồng cơ sở công nhận",
        // The version in force: the extension's end, and the decision that set it.
        "Thời gian thực hiện nhiệm vụ là 30 tháng, từ ngày 01/04/2025 đến ngày 30/09/2027.",
        "Thời gian kết thúc đã được gia hạn theo Quyết định số 456/QĐ-SKHCN",
        "Đợt 3: 200.000.000 đồng, dự kiến cấp ngày 15/03/2027, điều kiện: sau nghiệm thu cơ sở",
        "Phụ lục 1. Kinh phí thực hiện theo năm và nguồn (đồng)",
        "Phụ lục 3. Tiến độ thực hiện",
        "30/06/2027",
        "Phụ lục 5. Các lần điều chỉnh, gia hạn Hợp đồng",
        "Ngày kết thúc: 31/03/2027 thành 30/09/2027",
        "ĐẠI DIỆN BÊN A",
        "ĐẠI DIỆN BÊN B",
        "CHỦ NHIỆM NHIỆM VỤ",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(!text.contains("đến ngày 31/03/2027"), "the end in force, not the signed one");
    // The signatures stand after the articles, the appendices after the signatures.
    let (closing, signer, annex) = (
        text.find("mỗi bên giữ 03 bản").unwrap(),
        text.rfind("Lê Minh Tuấn").unwrap(),
        text.find("PHỤ LỤC HỢP ĐỒNG").unwrap(),
    );
    assert!(closing < signer && signer < annex, "{text}");

    let pdf = officer.get(&format!("/contracts/{id}/contract.pdf")).await;
    if pdf.status == StatusCode::OK {
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
    } else {
        assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE, "only a missing font may stop the PDF: {}", pdf.body);
    }

    // The host reads its task and its contract; another organisation learns neither exists.
    let host = f.app.sign_in("quangyen").await;
    assert_eq!(host.get(&format!("/contracts/{id}/contract.docx")).await.status, StatusCode::OK);
    let other = f.app.sign_in("minhhan").await;
    for format in ["docx", "pdf"] {
        assert_eq!(other.get(&format!("/contracts/{id}/contract.{format}")).await.status, StatusCode::NOT_FOUND);
    }

    // The API serves the same file.
    let token = f.app.token_of("chuyenvien").await;
    let uri = format!("/api/v1/contracts/{id}/document");
    let res = f.app.api(Method::GET, &uri, Some(&token), None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), DOCX);
    assert!(crate::sci_tech_scoring::docx_text(&res.bytes).contains("Số: 15/2025/HĐ-KHCN"));
    let api_pdf = f.app.api(Method::GET, &format!("{uri}?format=pdf"), Some(&token), None).await;
    if api_pdf.status == StatusCode::OK {
        assert_eq!(api_pdf.header("content-type"), "application/pdf");
    } else {
        assert_eq!(api_pdf.status, StatusCode::SERVICE_UNAVAILABLE, "{}", api_pdf.body);
    }
    let res = f.app.api(Method::GET, &format!("{uri}?format=odt"), Some(&token), None).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["code"], "invalid_query");
    let stranger = f.app.token_of("minhhan").await;
    assert_eq!(f.app.api(Method::GET, &uri, Some(&stranger), None).await.status, StatusCode::NOT_FOUND);

    // Every download served is in the audit trail (three DOCX and the PDFs), the refused ones are not.
    let served = 3 + [&pdf, &api_pdf].iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_contract' AND entity_id = '{id}' \
                 AND action = 'export'"
            ))
            .await,
        i64::try_from(served).unwrap()
    );
}

#[tokio::test]
async fn the_leader_suspends_and_terminates_with_funds_to_recover_and_nothing_is_paid_after() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let (_, id) = sign(&f, &officer).await;
    let pay = [("instalment", "1".to_owned()), ("amount", "500.000.000".to_owned()), ("paid_on", day(0))];
    location(&post_form(&officer, &format!("/contracts/{id}/payments"), &pay).await);
    let decision = |extra: &[(&'static str, &str)]| {
        let mut v: Vec<(&'static str, String)> = vec![
            ("decision_symbol", "789/QĐ-UBND".into()),
            ("decision_date", day(0)),
            ("decision_signer", "Đặng Huy Hậu".into()),
        ];
        v.extend(extra.iter().map(|(k, x)| (*k, (*x).to_owned())));
        v
    };
    let terminate = format!("/contracts/{id}/steps/terminate");
    assert_eq!(
        post_form(&officer, &terminate, &decision(&[("note", "Vi phạm"), ("to_recover", "0")])).await.status,
        StatusCode::FORBIDDEN
    );
    let res = post_form(
        &leader,
        &terminate,
        &decision(&[("note", "Không triển khai mô hình"), ("to_recover", "600.000.000")]),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Số thu hồi không thể vượt số đã cấp 500.000.000 đ"), "{}", res.body);
    assert!(res.body.contains("Không triển khai mô hình"), "the reason typed is kept");
    let res = post_form(&leader, &format!("/contracts/{id}/steps/resume"), &decision(&[])).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "nothing to resume while under way");
    location(
        &post_form(&leader, &format!("/contracts/{id}/steps/suspend"), &decision(&[("note", "Chờ kiểm tra")])).await,
    );
    let res = post_form(
        &officer,
        &format!("/contracts/{id}/payments"),
        &[("instalment", "2".into()), ("amount", "1".into()), ("paid_on", day(0))],
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "nothing is paid while suspended");
    location(
        &post_form(
            &leader,
            &terminate,
            &decision(&[("note", "Không triển khai mô hình"), ("to_recover", "350.000.000")]),
        )
        .await,
    );
    assert_eq!(f.app.scalar(&format!("SELECT to_recover FROM st_contracts WHERE id = {id}")).await, 350_000_000);
    let page = leader.get(&format!("/contracts/{id}")).await;
    assert!(page.body.contains("Đã chấm dứt hợp đồng") && page.body.contains("350.000.000 đ"), "{}", page.body);
    assert!(!page.body.contains(&format!("/contracts/{id}/change")), "a terminated contract is not changed");
    assert_eq!(f.app.scalar(&format!("SELECT COUNT(*) FROM st_contract_events WHERE contract_id = {id}")).await, 2);
}

#[tokio::test]
async fn milestones_and_inspections_are_recorded_by_the_staff() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let (_, id) = sign(&f, &officer).await;
    let res =
        post_form(&officer, &format!("/contracts/{id}/milestones/0"), &[("done_on", day(3)), ("note", String::new())])
            .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/milestones/0"),
            &[("done_on", "28/09/2025".into()), ("note", "Báo cáo điều tra đã nộp".into())],
        )
        .await,
    );
    let again =
        post_form(&officer, &format!("/contracts/{id}/milestones/0"), &[("done_on", "28/09/2025".into())]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let res = post_form(
        &officer,
        &format!("/contracts/{id}/inspections"),
        &[("held_on", day(0)), ("result", String::new()), ("findings", String::new())],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/inspections"),
            &[
                ("held_on", day(0)),
                ("result", "late".into()),
                ("minutes_symbol", "12/BB-SKHCN".into()),
                ("findings", "Chậm xây dựng mô hình 2 tháng.".into()),
            ],
        )
        .await,
    );
    let page = officer.get(&format!("/contracts/{id}")).await;
    assert!(
        page.body.contains("28/09/2025") && page.body.contains("Chậm tiến độ") && page.body.contains("12/BB-SKHCN"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_contract_is_signed_only_for_an_approved_task() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = crate::sci_tech::open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let sent =
        post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await;
    let id = id_in(&location(&sent), "/proposals/");
    let res = post_form(&officer, &format!("/proposals/{id}/contract"), &contract_form(f.quang_yen)).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Chỉ ký hợp đồng cho nhiệm vụ đã phê duyệt"), "{}", res.body);
    assert!(res.body.contains("value=\"15/2025/HĐ-KHCN\""), "what was typed is kept");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_contracts").await, 0);
}

fn contract_body(host: i64, last_instalment: i64) -> serde_json::Value {
    serde_json::json!({
        "number": "15/2025/HĐ-KHCN",
        "signed_on": "2025-03-15", "starts_on": "2025-04-01", "ends_on": "2027-03-31",
        "host_org_id": host, "pi_name": "TS. Lê Minh Tuấn",
        "team": [{"name": "ThS. Phạm Thu Hà", "role": "Thư ký khoa học"}],
        "sources": [{"source": "state_budget", "amount": 1_200_000_000i64}, {"source": "counterpart", "amount": 300_000_000i64}],
        "years": [
            {"year": 2025, "source": "state_budget", "amount": 700_000_000i64},
            {"year": 2026, "source": "state_budget", "amount": 500_000_000i64},
            {"year": 2026, "source": "counterpart", "amount": 300_000_000i64}
        ],
        "instalments": [
            {"amount": 500_000_000i64, "due_on": "2025-04-15"},
            {"amount": 500_000_000i64, "due_on": "2026-04-15"},
            {"amount": last_instalment, "due_on": "2027-03-15"}
        ],
        "products": [{"name": "Quy trình nuôi tôm tuần hoàn", "unit": "quy trình", "quantity": 1}],
        "milestones": [{"title": "Điều tra thực trạng", "due_on": "2025-09-30"}, {"title": "Mô hình 2 ha", "due_on": "2026-12-31"}]
    })
}

#[tokio::test]
async fn the_api_signs_pays_and_reads_a_contract_with_the_same_rules_and_field_names() {
    use axum::http::Method;
    let f = fixture().await;
    let task = approved_task(&f).await;
    let officer = f.app.token_of("chuyenvien").await;
    let uri = format!("/api/v1/proposals/{task}/contract");
    let res = f.app.api(Method::POST, &uri, Some(&officer), Some(contract_body(f.quang_yen, 100_000_000))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let body = res.json();
    assert_eq!(body["errors"][0]["field"], "instalments");
    assert_eq!(body["errors"][0]["code"], "instalments_do_not_add_up");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_contracts").await, 0, "nothing written");
    let res = f.app.api(Method::POST, &uri, Some(&officer), Some(contract_body(f.quang_yen, 200_000_000))).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let c = res.json();
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["state_budget"], 1_200_000_000i64);
    assert_eq!(c["total"], 1_500_000_000i64);
    assert_eq!(c["instalments"][2]["amount"], 200_000_000i64);
    assert_eq!(c["permissions"]["record"], true);
    assert_eq!(c["permissions"]["decide"], false);

    let pay = serde_json::json!({"instalment": 2, "amount": 500_000_001i64, "paid_on": "2025-05-01"});
    let res = f.app.api(Method::POST, &format!("/api/v1/contracts/{id}/payments"), Some(&officer), Some(pay)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["errors"][0]["code"], "payment_beyond_instalment");
    let pay =
        serde_json::json!({"instalment": 1, "amount": 500_000_000i64, "paid_on": "2025-05-01", "voucher": "UNC 12"});
    let res = f.app.api(Method::POST, &format!("/api/v1/contracts/{id}/payments"), Some(&officer), Some(pay)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["paid"], 500_000_000i64);

    let host = f.app.token_of("quangyen").await;
    let res = f.app.api(Method::GET, "/api/v1/contracts", Some(&host), None).await;
    assert_eq!(res.json()["items"][0]["id"], id);
    let other = f.app.token_of("minhhan").await;
    assert_eq!(
        f.app.api(Method::GET, &format!("/api/v1/contracts/{id}"), Some(&other), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        f.app.api(Method::GET, "/api/v1/contracts", Some(&other), None).await.json()["items"].as_array().unwrap().len(),
        0
    );

    let leader = f.app.token_of("lanhdao").await;
    let step = serde_json::json!({"action": "terminate", "note": "Vi phạm", "to_recover": 100_000_000i64,
        "decision": {"symbol": "789/QĐ-UBND", "date": "2025-06-01", "signer": "Đặng Huy Hậu"}});
    let res =
        f.app.api(Method::POST, &format!("/api/v1/contracts/{id}/steps"), Some(&officer), Some(step.clone())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = f.app.api(Method::POST, &format!("/api/v1/contracts/{id}/steps"), Some(&leader), Some(step)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["state"], "terminated");
    assert_eq!(res.json()["to_recover"], 100_000_000i64);
}

#[tokio::test]
async fn a_task_is_accepted_by_the_rules_closed_and_its_results_registered_and_applied() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let (_, id) = sign(&f, &officer).await;
    location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/payments"),
            &[("instalment", "1".into()), ("amount", "500.000.000".into()), ("paid_on", day(-3))],
        )
        .await,
    );

    // No evaluation before the dossier; the dossier's dates in order.
    let rate = |grade: &str| -> Vec<(&'static str, String)> {
        vec![
            ("rating_quantity", "pass".into()),
            ("rating_reached", String::new()),
            ("rating_quality", "pass".into()),
            ("report", "pass".into()),
            ("grade", grade.into()),
            ("held_on", day(-1)),
            ("minutes", "15/BB-HĐNT".into()),
        ]
    };
    let early = post_form(&officer, &format!("/contracts/{id}/evaluation"), &rate("pass")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let res = post_form(
        &officer,
        &format!("/contracts/{id}/dossier"),
        &[("internal_on", day(-1)), ("submitted_on", day(-2))],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Nghiệm thu cơ sở không thể sau ngày nộp hồ sơ"), "{}", res.body);
    let done = location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/dossier"),
            &[("internal_on", day(-5)), ("internal_minutes", "08/BB-NTCS".into()), ("submitted_on", day(-2))],
        )
        .await,
    );
    let page = officer.get(&done).await;
    assert!(page.body.contains("Đã ghi nhận hồ sơ nghiệm thu."), "the page says what was done");
    assert!(page.body.contains("Đang nghiệm thu") && page.body.contains("Đúng hạn"), "{}", page.body);

    // A grade the rules do not give is refused, naming the one they give; nothing is written.
    let res = post_form(&officer, &format!("/contracts/{id}/evaluation"), &rate("excellent")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("các đánh giá này cho mức «Đạt»"), "{}", res.body);
    assert!(res.body.contains("value=\"15/BB-HĐNT\""), "what was typed is kept");
    assert_eq!(
        f.app
            .scalar(&format!("SELECT COUNT(*) FROM st_acceptances WHERE contract_id = {id} AND grade IS NOT NULL"))
            .await,
        0
    );
    location(&post_form(&officer, &format!("/contracts/{id}/evaluation"), &rate("pass")).await);
    let page = officer.get(&format!("/contracts/{id}")).await;
    assert!(
        page.body.contains("Đã nghiệm thu") && page.body.contains("Chất lượng đạt; 1/1 tiêu chí số lượng đạt."),
        "{}",
        page.body
    );

    // The results registered once, applied by Minh Hàn, shown on its page and in the public register.
    let register = [
        ("number", "125/2026/GCN-SKHCN".to_owned()),
        ("registered_on", day(0)),
        ("rights_holder", "UBND thị xã Quảng Yên".to_owned()),
    ];
    location(&post_form(&officer, &format!("/contracts/{id}/results"), &register).await);
    assert_eq!(post_form(&officer, &format!("/contracts/{id}/results"), &register).await.status, StatusCode::CONFLICT);
    let applied = [
        ("org_id", f.minh_han.to_string()),
        ("place", "xã Hoàng Tân".to_owned()),
        ("from_on", day(0)),
        ("scale", "6 ha".to_owned()),
        ("effects", "Năng suất tăng 20%.".to_owned()),
    ];
    location(&post_form(&officer, &format!("/contracts/{id}/results/uses"), &applied).await);
    let org = leader.get(&format!("/organizations/{}", f.minh_han)).await;
    assert!(
        org.body.contains(&format!("/registers/contracts/{id}")) && org.body.contains("Năng suất tăng 20%."),
        "{}",
        org.body
    );
    let public = f.app.get(&format!("/registers/contracts/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        public.body.contains("125/2026/GCN-SKHCN") && public.body.contains("Công ty TNHH thủy sản Minh Hàn"),
        "{}",
        public.body
    );
    assert!(f.app.get("/registers/contracts").await.body.contains("Đạt"), "the grade in the public register");

    // Closing: the leaders' decision; what was spent at most what was paid; an accepted task recovers nothing.
    let closing = |spent: &str, recover: &str| -> Vec<(&'static str, String)> {
        vec![
            ("decision_symbol", "2450/QĐ-UBND".into()),
            ("decision_date", day(0)),
            ("decision_signer", "Đặng Huy Hậu".into()),
            ("spent", spent.into()),
            ("to_recover", recover.into()),
        ]
    };
    assert_eq!(
        post_form(&officer, &format!("/contracts/{id}/closing"), &closing("400.000.000", "")).await.status,
        StatusCode::FORBIDDEN
    );
    let res = post_form(&leader, &format!("/contracts/{id}/closing"), &closing("600.000.000", "1")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Kinh phí quyết toán không thể vượt số đã cấp 500.000.000 đ"), "{}", res.body);
    assert!(res.body.contains("Nhiệm vụ đã nghiệm thu đạt không thu hồi kinh phí"), "{}", res.body);
    location(&post_form(&leader, &format!("/contracts/{id}/closing"), &closing("480.000.000", "")).await);
    let page = leader.get(&format!("/contracts/{id}")).await;
    assert!(
        page.body.contains("Đã thanh lý") && page.body.contains("480.000.000 đ") && page.body.contains("2450/QĐ-UBND"),
        "{}",
        page.body
    );
    assert_eq!(
        f.app
            .scalar(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_contract' AND entity_id = '{id}'"
            ))
            .await,
        7,
        "signed, paid, dossier, evaluated, registered, applied, closed: each audited"
    );
}

#[tokio::test]
async fn a_task_not_accepted_recovers_its_funds_or_accepts_the_risk() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let (_, id) = sign(&f, &officer).await;
    location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/payments"),
            &[("instalment", "1".into()), ("amount", "500.000.000".into()), ("paid_on", day(-3))],
        )
        .await,
    );
    location(
        &post_form(
            &officer,
            &format!("/contracts/{id}/dossier"),
            &[("internal_on", day(-5)), ("submitted_on", day(-2))],
        )
        .await,
    );
    let failed = [
        ("rating_quantity", "fail".to_owned()),
        ("rating_reached", "60".to_owned()),
        ("rating_quality", "pass".to_owned()),
        ("report", "pass".to_owned()),
        ("grade", "fail".to_owned()),
        ("held_on", day(-1)),
        ("minutes", "16/BB-HĐNT".to_owned()),
    ];
    location(&post_form(&officer, &format!("/contracts/{id}/evaluation"), &failed).await);
    let page = leader.get(&format!("/contracts/{id}")).await;
    assert!(page.body.contains("chỉ đạt 60% đặt hàng"), "{}", page.body);
    let res = post_form(
        &officer,
        &format!("/contracts/{id}/results"),
        &[("number", "1/GCN".to_owned()), ("registered_on", day(0))],
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "no results registered for a task not accepted");
    let decision = [
        ("decision_symbol", "2460/QĐ-UBND".to_owned()),
        ("decision_date", day(0)),
        ("decision_signer", "Đặng Huy Hậu".to_owned()),
        ("spent", "300.000.000".to_owned()),
    ];
    let res = post_form(&leader, &format!("/contracts/{id}/closing"), &decision).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "recover, or accept the risk");
    let mut risk = decision.to_vec();
    risk.push(("risk_accepted", "1".to_owned()));
    location(&post_form(&leader, &format!("/contracts/{id}/closing"), &risk).await);
    assert!(leader.get(&format!("/contracts/{id}")).await.body.contains("Có (Luật KH, CN và ĐMST 2025)"));
}
