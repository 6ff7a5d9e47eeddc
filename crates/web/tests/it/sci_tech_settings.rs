//! A council's settings (issue 16 items 3 and 4): the rubric, the aggregation rules, the quorum and the
//! conflict horizon, copied from the council's kind, changed by the staff for one council until the first
//! sheet is sent, in the page and in the API, with every bad input named and nothing written.

use axum::http::{Method, StatusCode};
use serde_json::json;
use tiendo_db::Exec;

use crate::sci_tech::{fixture, location, open_call};
use crate::sci_tech_councils::{form_council, member_id, people, valid_proposal};

/// The identification rubric as the form posts it, with `rows` replacing the criteria.
fn form<'a>(rows: &[(&'a str, &'a str, &'a str, &'a str)], rules: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = Vec::new();
    for (code, name, max, weight) in rows {
        fields.extend([
            ("criterion_code", *code),
            ("criterion_name", *name),
            ("criterion_max", *max),
            ("criterion_weight", *weight),
        ]);
    }
    let mut base = vec![
        ("pass_average", "70"),
        ("zero_limit", "1/3"),
        ("quorum_present", "2/3"),
        ("quorum_chair_or_vice", "1"),
        ("conflict_years", "3"),
    ];
    for (k, v) in rules {
        base.retain(|(f, _)| f != k);
        if !v.is_empty() {
            base.push((k, v));
        }
    }
    fields.extend(base);
    fields
}

#[tokio::test]
async fn the_staff_change_a_councils_rubric_and_rules_until_the_first_sheet() {
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    let uri = format!("/councils/{council}/settings");
    let page = officer.get(&format!("/councils/{council}")).await;
    assert!(page.body.contains(&format!("href=\"{uri}\"")), "the staff find the settings from the council");
    let shown = officer.get(&uri).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("value=\"Tính cấp thiết, tính mới của nhiệm vụ\""), "the kind's rubric");
    // A member (the chair) does not change them.
    let chair = f.app.sign_in("hdchutich").await;
    assert_eq!(chair.get(&uri).await.status, StatusCode::FORBIDDEN);

    // Bad input: every field named, nothing written, what was typed kept.
    let before: String = f
        .app
        .db
        .db()
        .fetch_one::<(String,)>(tiendo_db::Query::new("SELECT settings FROM st_councils"))
        .await
        .unwrap()
        .0;
    let bad = officer
        .post(
            &uri,
            &form(
                &[
                    ("urgency", "Tính cấp thiết", "0", "1"),
                    ("objectives", "tinh cap thiet", "mười", ""),
                    ("", "", "10", ""),
                ],
                &[("pass_average", "120"), ("quorum_present", "hai phần ba")],
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Phải là số lớn hơn 0 (tối đa 1.000).",
        "Tiêu chí này trùng với một tiêu chí ở trên.",
        "“mười” không phải là số.",
        "Trường này là bắt buộc.",
        "Điểm trung bình tối thiểu từ 0 đến 100.",
        "Ghi tỷ lệ dạng phân số từ 0 đến 1, ví dụ 2/3.",
    ] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    assert!(bad.body.contains("value=\"hai phần ba\""), "what was typed stays");
    let after: String = f
        .app
        .db
        .db()
        .fetch_one::<(String,)>(tiendo_db::Query::new("SELECT settings FROM st_councils"))
        .await
        .unwrap()
        .0;
    assert_eq!(before, after, "nothing written");

    // A rubric of two criteria, one new with a weight, a pass average of 60 and a quorum of half.
    let saved = officer
        .post(
            &uri,
            &form(
                &[("urgency", "Tính cấp thiết", "40", "1"), ("", "Hiệu quả kinh tế - xã hội", "30", "2")],
                &[
                    ("pass_average", "60"),
                    ("quorum_present", "1/2"),
                    ("quorum_chair_or_vice", ""),
                    ("conflict_years", "5"),
                ],
            ),
        )
        .await;
    assert_eq!(location(&saved), format!("/councils/{council}?done=settings"));
    let page = officer.get(&format!("/councils/{council}?done=settings")).await;
    assert!(page.body.contains("Đã lưu tiêu chí và quy tắc của hội đồng."));
    assert!(page.body.contains("Ít nhất 1/2 số thành viên có mặt"), "{}", page.body);
    assert_eq!(
        f.app
            .scalar("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_council' AND changes LIKE '%settings%'")
            .await,
        1
    );

    // The sheets follow the new rubric: 40 is the most for urgency, c1 is the new criterion.
    let mut present: Vec<String> = Vec::new();
    for person in [p.chair, p.tuan, p.binh, p.thu] {
        present.push(member_id(&f.app, council, person).await.to_string());
    }
    let fields: Vec<(&str, &str)> = present.iter().map(|m| ("present", m.as_str())).collect();
    location(&officer.post(&format!("/councils/{council}/meeting"), &fields).await);
    let thu = f.app.sign_in("hdthu").await;
    let score = format!("/councils/{council}/scores/{proposal}");
    let over = thu.post(&score, &[("score_urgency", "41"), ("score_c1", "30")]).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body.contains("Điểm từ 0 đến 40."), "{}", over.body);
    location(&thu.post(&score, &[("score_urgency", "40"), ("score_c1", "15")]).await);
    let total: f64 =
        f.app.db.db().fetch_one::<(f64,)>(tiendo_db::Query::new("SELECT total FROM st_scores")).await.unwrap().0;
    assert!((total - 70.0).abs() < 1e-9, "(40 + 2 × 15) / (40 + 2 × 30) on 100 is 70, not {total}");

    // Once a sheet is sent, the rubric is locked: the page says so, the form and the API refuse.
    let shown = officer.get(&uri).await;
    assert!(shown.body.contains("Đã có phiếu đánh giá: tiêu chí và quy tắc không thể thay đổi nữa."));
    assert!(!officer.get(&format!("/councils/{council}")).await.body.contains(&format!("href=\"{uri}\"")));
    let locked = officer.post(&uri, &form(&[("urgency", "Tính cấp thiết", "50", "1")], &[])).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    let token = f.app.token_of("chuyenvien").await;
    let body = json!({"criteria": [{"name": "Tính cấp thiết", "max": 50}], "pass_average": 70, "zero_limit": "1/3",
        "quorum_present": "2/3", "quorum_chair_or_vice": true, "conflict_years": 3});
    let api = f.app.api(Method::PUT, &format!("/api/v1/councils/{council}/settings"), Some(&token), Some(body)).await;
    assert_eq!(api.status, StatusCode::CONFLICT);
    assert_eq!(api.json()["code"], "settings_locked");
    assert_eq!(
        f.app
            .scalar("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'st_council' AND changes LIKE '%settings%'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_api_sets_a_councils_settings_and_names_what_is_wrong() {
    let f = fixture().await;
    people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    let uri = format!("/api/v1/councils/{council}/settings");
    let token = f.app.token_of("chuyenvien").await;
    let bad = json!({"criteria": [{"name": "Tính mới", "max": 0}, {"code": "x", "name": "Tính mới", "max": 10}],
        "pass_average": 101, "zero_limit": "2", "quorum_present": "2/3", "quorum_chair_or_vice": true, "conflict_years": 30});
    let refused = f.app.api(Method::PUT, &uri, Some(&token), Some(bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let fields: Vec<(String, String)> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("criteria[0].max", "positive_number"),
        ("criteria[1].name", "criterion_twice"),
        ("pass_average", "pass_average_range"),
        ("zero_limit", "share_format"),
        ("conflict_years", "conflict_years_range"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(fields, expected);
    let good = json!({"criteria": [{"name": "Tính mới", "max": 60}, {"name": "Tính khả thi", "max": 40, "weight": 1.5}],
        "pass_average": 65.5, "zero_limit": "1/2", "quorum_present": "3/4", "quorum_chair_or_vice": false, "conflict_years": 0});
    let done = f.app.api(Method::PUT, &uri, Some(&token), Some(good)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let s = &done.json()["settings"];
    assert_eq!(
        s["criteria"],
        json!([{"code": "c1", "name": "Tính mới", "max": 60.0, "weight": 1.0}, {"code": "c2", "name": "Tính khả thi", "max": 40.0, "weight": 1.5}])
    );
    assert_eq!(
        (s["pass_average"].clone(), s["zero_limit"].clone(), s["quorum_present"].clone()),
        (json!(65.5), json!("1/2"), json!("3/4"))
    );
    assert_eq!((s["quorum_chair_or_vice"].clone(), s["conflict_years"].clone()), (json!(false), json!(0)));
    // An expert sitting on it may not.
    let chair = f.app.token_of("hdchutich").await;
    let body = json!({"criteria": [{"name": "A", "max": 1}], "pass_average": 1, "zero_limit": "1/3", "quorum_present": "2/3",
        "quorum_chair_or_vice": true, "conflict_years": 1});
    assert_eq!(f.app.api(Method::PUT, &uri, Some(&chair), Some(body)).await.status, StatusCode::FORBIDDEN);
}
