//! Scoring in a council (issue 16 item 4): blind sheets on the council's rubric, the secretary seeing who
//! has not scored, a flagged member refused, the council closed only with its quorum and every sheet, the
//! outcome recorded on each proposal with the minutes, and the minutes and the score summary produced.

use std::io::Read;

use axum::http::StatusCode;

use crate::sci_tech::{fixture, location, open_call};
use crate::sci_tech_councils::{form_council, member_id, people, valid_proposal};

pub(crate) fn docx_text(bytes: &[u8]) -> String {
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

const GOOD: [(&str, &str); 4] =
    [("score_urgency", "20"), ("score_objectives", "20"), ("score_products", "24"), ("score_feasibility", "16")];

fn sheet<'a>(extra: &'a [(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = GOOD.to_vec();
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    fields
}

#[tokio::test]
async fn members_score_alone_see_others_after_sending_and_a_flagged_member_is_refused() {
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    let mut all: Vec<String> = Vec::new();
    for person in [p.chair, p.tuan, p.binh, p.thu] {
        all.push(member_id(&f.app, council, person).await.to_string());
    }
    let present: Vec<(&str, &str)> = all.iter().map(|m| ("present", m.as_str())).collect();
    location(&officer.post(&format!("/councils/{council}/meeting"), &present).await);
    let uri = format!("/councils/{council}/scores/{proposal}");

    // A score above the maximum or below zero is refused, naming the criterion; what was typed stays.
    let thu = f.app.sign_in("hdthu").await;
    let bad = thu.post(&uri, &sheet(&[("score_urgency", "26"), ("score_feasibility", "-1")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Điểm từ 0 đến 25."), "{}", bad.body);
    assert!(bad.body.contains("Điểm từ 0 đến 20."));
    assert!(bad.body.contains("value=\"26\""), "what was typed stays");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_scores").await, 0, "nothing written");

    // A member flagged for the proposal (on its team) is refused by the rule.
    let tuan = f.app.sign_in("hdtuan").await;
    let refused = tuan.post(&uri, &sheet(&[])).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("Bạn bị đánh dấu xung đột lợi ích với đề xuất này"), "{}", refused.body);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_scores").await, 0);

    // Blind: the chair does not see the secretary's scores before sending its own sheet.
    location(&thu.post(&uri, &sheet(&[("score_products", "29"), ("comment", "Sản phẩm rõ ràng")])).await);
    let chair = f.app.sign_in("hdchutich").await;
    let before = chair.get(&format!("/councils/{council}")).await;
    assert!(!before.body.contains("Sản phẩm rõ ràng"), "blind until the chair sends");
    assert!(before.body.contains("Điểm của các thành viên khác được mở sau khi bạn gửi phiếu."));
    // The secretary and the staff see who has not scored, not the scores.
    let keeper = officer.get(&format!("/councils/{council}")).await;
    assert!(keeper.body.contains("Chưa chấm:"), "{}", keeper.body);
    assert!(keeper.body.contains("Hoàng Bá Nam"));
    assert!(!keeper.body.contains("Sản phẩm rõ ràng"));
    location(&chair.post(&uri, &sheet(&[])).await);
    let after = chair.get(&format!("/councils/{council}")).await;
    assert!(after.body.contains("Sản phẩm rõ ràng"), "the others' sheets open once sent");
    // Trần Văn Bình (once with the commune) is barred too: everyone expected has scored.
    assert!(
        officer.get(&format!("/councils/{council}")).await.body.contains("Mọi thành viên có mặt đã chấm mọi đề xuất")
    );
}

#[tokio::test]
async fn a_council_closes_only_with_its_quorum_and_every_sheet_and_records_the_outcome_with_its_minutes() {
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let first = valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let second = valid_proposal(&f, &officer, call, "Xây dựng thương hiệu hàu Quảng Yên").await;
    let council = form_council(&officer, call, &[first, second]).await;
    let (chair, thu, binh) = (
        member_id(&f.app, council, p.chair).await,
        member_id(&f.app, council, p.thu).await,
        member_id(&f.app, council, p.binh).await,
    );
    let tuan = member_id(&f.app, council, p.tuan).await;
    // Two of four present, neither the chair nor the vice-chair.
    location(
        &officer
            .post(
                &format!("/councils/{council}/meeting"),
                &[("present", &thu.to_string()), ("present", &tuan.to_string())],
            )
            .await,
    );
    let close = [
        ("minutes_symbol", "15/BB-HĐKHCN"),
        ("minutes_date", "15/07/2024"),
        ("conclusion", "Hội đồng làm việc khách quan."),
    ];
    let no_quorum = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(no_quorum.status, StatusCode::CONFLICT);
    assert!(
        no_quorum
            .body
            .contains("Vắng cả chủ tịch và phó chủ tịch hội đồng (2 thành viên có mặt); chưa thể ra kết luận."),
        "{}",
        no_quorum.body
    );
    assert!(no_quorum.body.contains("value=\"15/BB-HĐKHCN\""), "what was typed stays");
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM st_councils WHERE id = {council} AND state = 'meeting'")).await,
        1
    );

    // With the chair: three of four, a quorum; the chair's sheets are missing.
    location(
        &officer
            .post(
                &format!("/councils/{council}/meeting"),
                &[("present", &thu.to_string()), ("present", &chair.to_string()), ("present", &binh.to_string())],
            )
            .await,
    );
    let thu_b = f.app.sign_in("hdthu").await;
    let chair_b = f.app.sign_in("hdchutich").await;
    for proposal in [first, second] {
        location(&thu_b.post(&format!("/councils/{council}/scores/{proposal}"), &sheet(&[])).await);
    }
    let missing = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(missing.status, StatusCode::CONFLICT);
    assert!(missing.body.contains("Chưa thể kết thúc: Hoàng Bá Nam (Ứng dụng công nghệ nuôi tôm"), "{}", missing.body);
    assert!(missing.body.contains("Hoàng Bá Nam (Xây dựng thương hiệu hàu Quảng Yên)"));
    // The chair scores the first as the secretary did and gives the second's feasibility 0: one member of
    // the two who scored is more than a third, so the second fails on the zero rule whatever its average.
    location(&chair_b.post(&format!("/councils/{council}/scores/{first}"), &sheet(&[])).await);
    location(
        &chair_b.post(&format!("/councils/{council}/scores/{second}"), &sheet(&[("score_feasibility", "0")])).await,
    );
    let closed = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(location(&closed), format!("/councils/{council}?done=closed"));

    let state = |id: i64| format!("SELECT COUNT(*) FROM st_proposals WHERE id = {id} AND state = ");
    assert_eq!(f.app.scalar(&format!("{}'awaiting_list'", state(first))).await, 1, "80/100 passes");
    assert_eq!(
        f.app.scalar(&format!("{}'not_recommended'", state(second))).await,
        1,
        "a criterion zeroed by half the members"
    );
    let page = officer.get(&format!("/proposals/{first}")).await;
    assert!(page.body.contains("Văn bản số 15/BB-HĐKHCN ngày 15/07/2024, Hoàng Bá Nam ký"), "{}", page.body);
    assert!(page.body.contains("trung bình 80/100, xếp hạng 1"));

    // The minutes and the summary, signed by the secretary and the chair.
    let minutes = officer.get(&format!("/councils/{council}/minutes.docx")).await;
    assert_eq!(minutes.status, StatusCode::OK);
    let text = docx_text(&minutes.bytes);
    assert!(text.contains("BIÊN BẢN"), "{text}");
    assert!(text.contains("Số: 15/BB-HĐKHCN"), "{text}");
    assert!(text.contains("THƯ KÝ"));
    assert!(text.contains("CHỦ TỊCH HỘI ĐỒNG"));
    assert!(text.contains("Phạm Thị Thu") && text.contains("Hoàng Bá Nam"));
    assert!(text.contains("Bảng 1. Kết quả đánh giá và xếp hạng"));
    assert!(text.contains("Vắng mặt: TS. Lê Minh Tuấn."), "{text}");
    let summary = docx_text(&officer.get(&format!("/councils/{council}/summary.docx")).await.bytes);
    assert!(
        summary.contains("Bảng 2. Phiếu đánh giá: Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"),
        "{summary}"
    );
    assert!(summary.contains("Bảng 3. Phiếu đánh giá: Xây dựng thương hiệu hàu Quảng Yên"));
    // A member who did not attend reads the outcome now that the council is closed.
    let tuan_b = f.app.sign_in("hdtuan").await;
    assert!(tuan_b.get(&format!("/councils/{council}")).await.body.contains("Không đạt: trung bình"));
}

#[tokio::test]
async fn the_api_hides_scores_by_the_same_rules_and_refuses_a_score_out_of_range() {
    use axum::http::Method;
    use serde_json::json;
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    let staff = f.app.token_of("chuyenvien").await;
    let mut present = Vec::new();
    for person in [p.chair, p.thu] {
        present.push(member_id(&f.app, council, person).await);
    }
    let opened = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/councils/{council}/meeting"),
            Some(&staff),
            Some(json!({"present": present})),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let (thu, chair) = (f.app.token_of("hdthu").await, f.app.token_of("hdchutich").await);
    let uri = format!("/api/v1/councils/{council}/scores/{proposal}");
    let out_of_range = json!({"scores": {"urgency": 30, "objectives": -2, "products": 20, "feasibility": 10}});
    let bad = f.app.api(Method::PUT, &uri, Some(&thu), Some(out_of_range)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<String> =
        bad.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
    assert_eq!(fields, ["scores.urgency", "scores.objectives"]);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_scores").await, 0);
    let good =
        json!({"scores": {"urgency": 20, "objectives": 20, "products": 25.5, "feasibility": 15}, "comment": "Khả thi"});
    let sent = f.app.api(Method::PUT, &uri, Some(&thu), Some(good.clone())).await.json();
    assert_eq!(sent["proposals"][0]["my_sheet"]["total"], 80.5);
    // The chair has not scored: no sheet but theirs to read (none yet).
    let chair_view = f.app.api(Method::GET, &format!("/api/v1/councils/{council}"), Some(&chair), None).await.json();
    assert_eq!(chair_view["proposals"][0]["sheets"], serde_json::Value::Null, "blind");
    assert_eq!(chair_view["proposals"][0]["outcome"], serde_json::Value::Null);
    // The staff see who has not scored, not the scores.
    let staff_view = f.app.api(Method::GET, &format!("/api/v1/councils/{council}"), Some(&staff), None).await.json();
    assert_eq!(staff_view["proposals"][0]["missing"], json!(["Hoàng Bá Nam"]));
    assert_eq!(staff_view["proposals"][0]["sheets"], serde_json::Value::Null);
    let after = f.app.api(Method::PUT, &uri, Some(&chair), Some(good)).await.json();
    assert_eq!(after["proposals"][0]["sheets"].as_array().unwrap().len(), 2, "opened once sent");
    let staff_view = f.app.api(Method::GET, &format!("/api/v1/councils/{council}"), Some(&staff), None).await.json();
    assert_eq!(staff_view["proposals"][0]["outcome"]["average"], 80.5, "everyone expected has scored");
    // Flagged Lê Minh Tuấn is absent; Trần Văn Bình absent too: quorum 2 of 4 is not 2/3.
    let close = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/councils/{council}/close"),
            Some(&staff),
            Some(json!({"minutes_symbol": "15/BB-HĐKHCN", "minutes_date": "2024-07-15"})),
        )
        .await;
    assert_eq!(close.status, StatusCode::CONFLICT);
    assert_eq!(close.json()["code"], "no_quorum");
}
