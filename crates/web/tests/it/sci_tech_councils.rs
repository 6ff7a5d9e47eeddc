//! Councils (issue 16 item 3): members from the directory with their roles, proposals put before them,
//! conflicts of interest computed from history with their reasons, the chair's overrides, declarations,
//! the meeting's attendance and quorum; and the bad input of forming one.

use axum::http::StatusCode;
use tiendo_core::authz::{Role, Scope};

use crate::harness::{Browser, TestApp};
use crate::sci_tech::{Fixture, fixture, id_in, location, open_call, post_form, proposal_form, step};

/// The people of a council and their expert accounts: Hoàng Bá Nam (chair), Lê Minh Tuấn (on the commune's
/// team), Trần Văn Bình (worked for the commune until two years ago), Phạm Thị Thu (no tie).
pub(crate) struct People {
    pub chair: i64,
    pub tuan: i64,
    pub binh: i64,
    pub thu: i64,
}

pub(crate) async fn people(f: &Fixture) -> People {
    let fx = f.app.db.fixtures();
    let chair = fx.person("Hoàng Bá Nam").affiliation(f.so, "Giám đốc").create().await;
    let tuan = fx.person("Lê Minh Tuấn").title("TS.").create().await;
    let binh = fx.person("Trần Văn Bình").affiliation(f.quang_yen, "Phó Chủ tịch").create().await;
    let two_years_ago =
        tiendo_core::fmt::date(tiendo_core::time::vietnam_date(chrono::Utc::now()) - chrono::Duration::days(730));
    let iso = tiendo_core::fmt::parse_date(&two_years_ago).unwrap();
    f.app
        .db
        .db()
        .execute(
            tiendo_db::Query::new("UPDATE affiliations SET valid_to = $1 WHERE person_id = $2").bind(iso).bind(binh),
        )
        .await
        .unwrap();
    let thu = fx.person("Phạm Thị Thu").title("PGS.TS.").create().await;
    for (username, person) in [("hdchutich", chair), ("hdtuan", tuan), ("hdbinh", binh), ("hdthu", thu)] {
        f.app.db.fixtures().account(username).person(person).role(Role::Expert, Scope::Province).create().await;
    }
    People { chair, tuan, binh, thu }
}

use tiendo_db::Exec;

/// A proposal of Quảng Yên sent and found valid, awaiting the identification council.
pub(crate) async fn valid_proposal(f: &Fixture, officer: &Browser<'_>, call: i64, title: &str) -> i64 {
    let commune = f.app.sign_in("quangyen").await;
    let mut form = proposal_form("1.500.000.000", true);
    for (k, v) in &mut form {
        if *k == "title" {
            *v = title.to_owned();
        }
    }
    let id =
        id_in(&location(&post_form(&commune, &format!("/calls/{call}/proposals/new"), &form).await), "/proposals/");
    location(&step(officer, id, &[("action", "screen_valid")]).await);
    id
}

/// The officer forms the identification council with the four members and puts the proposals before it.
pub(crate) async fn form_council(officer: &Browser<'_>, call: i64, proposals: &[i64]) -> i64 {
    let res = officer
        .post(
            "/councils/new",
            &[
                ("kind", "identification"),
                ("name", "Hội đồng tư vấn xác định nhiệm vụ KH&CN năm 2027"),
                ("call_id", &call.to_string()),
                ("meeting_on", "15/07/2026"),
                ("meeting_time", "8h30"),
                ("place", "Phòng họp tầng 3, Sở KH&CN"),
                ("decision.symbol", "215/QĐ-SKHCN"),
                ("decision.date", "01/07/2024"),
                ("decision.signer", "Hoàng Bá Nam, Giám đốc"),
            ],
        )
        .await;
    let id = id_in(&location(&res), "/councils/");
    let members = officer
        .post(
            &format!("/councils/{id}/members"),
            &[
                ("member_name", "Hoàng Bá Nam"),
                ("member_role", "chair"),
                ("member_name", "TS. Lê Minh Tuấn"),
                ("member_role", "reviewer_1"),
                ("member_name", "Trần Văn Bình"),
                ("member_role", "reviewer_2"),
                ("member_name", "PGS.TS. Phạm Thị Thu"),
                ("member_role", "secretary"),
            ],
        )
        .await;
    assert_eq!(location(&members), format!("/councils/{id}?done=members"));
    let mut fields: Vec<(&str, String)> = proposals.iter().map(|p| ("proposal", p.to_string())).collect();
    fields.push(("_", String::new()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    location(&officer.post(&format!("/councils/{id}/items"), &pairs).await);
    id
}

#[tokio::test]
async fn a_council_flags_conflicts_from_history_with_their_reasons_and_only_the_chair_overrides_them() {
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    // The commune's proposal has Lê Minh Tuấn on its team (proposal_form).
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    assert_eq!(
        f.app
            .scalar(&format!("SELECT COUNT(*) FROM st_proposals WHERE id = {proposal} AND state = 'identification'"))
            .await,
        1
    );
    let timeline = officer.get(&format!("/proposals/{proposal}")).await;
    assert!(timeline.body.contains("Đưa ra Hội đồng tư vấn xác định nhiệm vụ KH&#38;CN năm 2027"), "{}", timeline.body);
    assert!(timeline.body.contains("215/QĐ-SKHCN"), "the founding decision documents the step");
    assert!(!timeline.body.contains("value=\"recommend\""), "its outcome is the council's now");

    let page = officer.get(&format!("/councils/{council}")).await;
    assert!(page.body.contains("Có tên trong nhóm thực hiện đề xuất."), "{}", page.body);
    assert!(page.body.contains("Công tác tại UBND thị xã Quảng Yên (tổ chức đề xuất)"));
    assert_eq!(page.body.matches("Không được chấm đề xuất này.").count(), 2);
    // A member sees their own flags only; the chair sees them all.
    let thu = f.app.sign_in("hdthu").await;
    let own = thu.get(&format!("/councils/{council}")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("Có tên trong nhóm thực hiện đề xuất."));
    let chair = f.app.sign_in("hdchutich").await;
    assert!(chair.get(&format!("/councils/{council}")).await.body.contains("Có tên trong nhóm thực hiện đề xuất."));
    // An expert who sits on no council does not see it.
    f.app.user("khac", None, &[(Role::Expert, Scope::Province)]).await;
    assert_eq!(f.app.sign_in("khac").await.get(&format!("/councils/{council}")).await.status, StatusCode::NOT_FOUND);

    let binh = member_id(&f.app, council, p.binh).await;
    let by_officer = officer
        .post(
            &format!("/councils/{council}/override"),
            &[("member_id", &binh.to_string()), ("proposal_id", &proposal.to_string()), ("reason", "x")],
        )
        .await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
    let no_reason = chair
        .post(
            &format!("/councils/{council}/override"),
            &[("member_id", &binh.to_string()), ("proposal_id", &proposal.to_string()), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_conflict_overrides").await, 0);
    let ok = chair
        .post(
            &format!("/councils/{council}/override"),
            &[
                ("member_id", &binh.to_string()),
                ("proposal_id", &proposal.to_string()),
                ("reason", "Đã nghỉ công tác tại địa phương, không tham gia đề xuất."),
            ],
        )
        .await;
    location(&ok);
    let page = chair.get(&format!("/councils/{council}")).await;
    assert!(page.body.contains("Chủ tịch hội đồng cho phép chấm: Đã nghỉ công tác tại địa phương"));
    assert_eq!(page.body.matches("Không được chấm đề xuất này.").count(), 1, "Lê Minh Tuấn stays barred");

    // A member declares a relation: it becomes a flag with its words.
    let declared = thu
        .post(
            &format!("/councils/{council}/declare"),
            &[("proposal_id", &proposal.to_string()), ("has_conflict", "yes"), ("text", "")],
        )
        .await;
    assert_eq!(declared.status, StatusCode::UNPROCESSABLE_ENTITY, "a relation needs its words");
    location(
        &thu.post(
            &format!("/councils/{council}/declare"),
            &[("proposal_id", &proposal.to_string()), ("has_conflict", "yes"), ("text", "Vợ của chủ nhiệm dự kiến")],
        )
        .await,
    );
    assert!(chair.get(&format!("/councils/{council}")).await.body.contains("Tự khai: Vợ của chủ nhiệm dự kiến"));
    let _ = (p.chair, p.tuan, p.thu);
}

/// Quảng Yên's proposal with its fields replaced, sent; its id.
async fn send_with(f: &Fixture, call: i64, fields: &[(&'static str, &str)]) -> i64 {
    let commune = f.app.sign_in("quangyen").await;
    let mut form: Vec<(&'static str, String)> =
        proposal_form("1.500.000.000", true).into_iter().filter(|(k, _)| !fields.iter().any(|(f, _)| f == k)).collect();
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    id_in(&location(&post_form(&commune, &format!("/calls/{call}/proposals/new"), &form).await), "/proposals/")
}

#[tokio::test]
async fn conflicts_come_from_the_host_the_principal_investigator_typed_with_titles_and_the_proposers_other_proposals() {
    let f = fixture().await;
    let p = people(&f).await;
    let institute = f.app.org("Viện Nghiên cứu và Phát triển Vùng", None).await;
    f.app.db.fixtures().affiliation(p.thu, institute, "Nghiên cứu viên").create().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    // An earlier proposal of the commune, led by the future chair (typed with his titles).
    send_with(
        &f,
        call,
        &[
            ("title", "Nuôi hàu Thái Bình Dương tại thị xã Quảng Yên"),
            ("pi_name", "GS.TS. Hoàng Bá Nam"),
            ("team_name", ""),
            ("team_role", ""),
        ],
    )
    .await;
    // The proposal judged: hosted by Phạm Thị Thu's institute, led by Lê Minh Tuấn, no team listed.
    let proposal = send_with(
        &f,
        call,
        &[
            ("host_name", "Viện nghiên cứu và phát triển vùng"),
            ("pi_name", "TS. Lê Minh Tuấn"),
            ("team_name", ""),
            ("team_role", ""),
        ],
    )
    .await;
    location(&step(&officer, proposal, &[("action", "screen_valid")]).await);
    let council = form_council(&officer, call, &[proposal]).await;
    let page = officer.get(&format!("/councils/{council}")).await;
    assert!(
        page.body.contains("Công tác tại Viện Nghiên cứu và Phát triển Vùng (tổ chức chủ trì dự kiến)"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "Tham gia nhiệm vụ trước đây của tổ chức đề xuất: Nuôi hàu Thái Bình Dương tại thị xã Quảng Yên."
        )
    );
    assert!(page.body.contains("Có tên trong nhóm thực hiện đề xuất."), "the principal investigator is of the team");
    assert!(page.body.contains("Công tác tại UBND thị xã Quảng Yên (tổ chức đề xuất)"));
    assert_eq!(page.body.matches("Không được chấm đề xuất này.").count(), 4, "every member is barred");
    // The API gives the same flags with their codes.
    let token = f.app.token_of("chuyenvien").await;
    let api = f.app.api(axum::http::Method::GET, &format!("/api/v1/councils/{council}"), Some(&token), None).await;
    assert_eq!(api.status, StatusCode::OK);
    for code in ["works_at_host", "earlier_task", "in_team", "works_at_proposer"] {
        assert!(api.body.contains(&format!("\"{code}\"")), "{code}: {}", api.body);
    }
}

pub(crate) async fn member_id(app: &TestApp, council: i64, person: i64) -> i64 {
    app.scalar(&format!("SELECT id FROM st_council_members WHERE council_id = {council} AND person_id = {person}"))
        .await
}

#[tokio::test]
async fn forming_a_council_names_what_is_wrong_and_writes_nothing() {
    let f = fixture().await;
    people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let draft_form =
        officer.post("/councils/new", &[("kind", "identification"), ("name", ""), ("meeting_on", "31/02/2026")]).await;
    assert_eq!(draft_form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(draft_form.body.contains("Trường này là bắt buộc."));
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_councils").await, 0);
    let council = form_council(&officer, call, &[]).await;
    let res = officer
        .post(
            &format!("/councils/{council}/members"),
            &[
                ("member_name", "Nguyễn Không Có"),
                ("member_role", "member"),
                ("member_name", "PGS.TS. Phạm Thị Thu"),
                ("member_role", "secretary"),
                ("member_name", "Trần Văn Bình"),
                ("member_role", "secretary"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Không có “Nguyễn Không Có” trong danh bạ."), "{}", res.body);
    assert!(res.body.contains("Vai trò «Thư ký khoa học» chỉ có một người."));
    assert!(res.body.contains("value=\"Nguyễn Không Có\""), "the rows typed stay");
    assert_eq!(
        f.app.scalar(&format!("SELECT COUNT(*) FROM st_council_members WHERE council_id = {council}")).await,
        4,
        "unchanged"
    );
    let no_chair = officer
        .post(&format!("/councils/{council}/members"), &[("member_name", "Trần Văn Bình"), ("member_role", "member")])
        .await;
    assert!(no_chair.body.contains("Hội đồng cần đúng một chủ tịch."));
    // A proposal still being screened is not ready for the council.
    let commune = f.app.sign_in("quangyen").await;
    let sent = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    let res = officer.post(&format!("/councils/{council}/items"), &[("proposal", &sent.to_string())]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("không ở bước chờ hội đồng loại này"));
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_council_items").await, 0);
}

#[tokio::test]
async fn the_meeting_opens_with_its_attendance_and_the_quorum_is_shown() {
    let f = fixture().await;
    let p = people(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let proposal =
        valid_proposal(&f, &officer, call, "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên").await;
    let council = form_council(&officer, call, &[proposal]).await;
    let (tuan, thu) = (member_id(&f.app, council, p.tuan).await, member_id(&f.app, council, p.thu).await);
    let opened = officer
        .post(&format!("/councils/{council}/meeting"), &[("present", &tuan.to_string()), ("present", &thu.to_string())])
        .await;
    location(&opened);
    let page = officer.get(&format!("/councils/{council}")).await;
    assert!(page.body.contains("Đang họp"));
    assert!(
        page.body.contains("Chưa đủ điều kiện: vắng cả chủ tịch và phó chủ tịch (2 thành viên có mặt)."),
        "{}",
        page.body
    );
    let chair = member_id(&f.app, council, p.chair).await;
    location(
        &officer
            .post(
                &format!("/councils/{council}/meeting"),
                &[("present", &tuan.to_string()), ("present", &thu.to_string()), ("present", &chair.to_string())],
            )
            .await,
    );
    assert!(officer.get(&format!("/councils/{council}")).await.body.contains("Đủ điều kiện: 3/4 thành viên có mặt."));
    // Members no longer change once met.
    let late = officer
        .post(&format!("/councils/{council}/members"), &[("member_name", "Hoàng Bá Nam"), ("member_role", "chair")])
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}
