//! The appraisal of certificate applications (issue 18 item 2) through the pages and the API: an
//! application in appraisal put before a council of the kind `certificate` formed with the S&T councils'
//! machinery (members, quorum, minutes), a member working for the enterprise flagged and refused until the
//! chair overrides, the opinions (each condition met or not, a recommendation), closing refused without
//! quorum and without every opinion, the conclusion beside the checklist when the leader issues; experts
//! asked alone; who may see what (the enterprise never sees names nor opinions); bad input; and the
//! page's forms equal to the API's permissions for every role.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tiendo_core::authz::{Role, Scope};

use crate::certificates::{Fixture, draft_with_documents, fixture, step, today};
use crate::harness::Browser;
use crate::sci_tech::{id_in, location};
use tiendo_db::Exec;

/// The people of the appraisal: Hoàng Bá Nam (chair), Trần Thị Mai (secretary), Lê Minh Tuấn (works for
/// Minh Hàn), Phạm Văn Đức; each with an expert's account; and Đinh Thị Hương, an expert never asked.
async fn people(f: &Fixture) {
    let fx = f.app.db.fixtures();
    let nam = fx.person("Hoàng Bá Nam").create().await;
    let mai = fx.person("Trần Thị Mai").title("TS.").create().await;
    let tuan = fx.person("Lê Minh Tuấn").affiliation(f.minh_han, "Kỹ sư trưởng").create().await;
    let duc = fx.person("Phạm Văn Đức").create().await;
    let huong = fx.person("Đinh Thị Hương").create().await;
    for (username, person) in [("tdnam", nam), ("tdmai", mai), ("tdtuan", tuan), ("tdduc", duc), ("tdhuong", huong)] {
        f.app.db.fixtures().account(username).person(person).role(Role::Expert, Scope::Province).create().await;
    }
    // Somebody of the directory without an account.
    fx.person("Vũ Văn Không").create().await;
}

/// Minh Hàn's application sent, checked and found valid: in appraisal. Its id.
async fn in_appraisal(f: &Fixture) -> i64 {
    let minh_han = f.app.sign_in("minhhan").await;
    let id = draft_with_documents(&minh_han).await;
    location(&step(&minh_han, id, &[("action", "submit")]).await);
    let officer = f.app.sign_in("chuyenvien").await;
    location(&step(&officer, id, &[("action", "start_check")]).await);
    location(&step(&officer, id, &[("action", "accept")]).await);
    id
}

/// A council of the kind `certificate` with its four members; its id.
async fn council(officer: &Browser<'_>) -> i64 {
    let res = officer
        .post(
            "/councils/new",
            &[
                ("kind", "certificate"),
                ("name", "Hội đồng thẩm định hồ sơ công nhận doanh nghiệp KH&CN"),
                ("meeting_on", &today()),
                ("meeting_time", "14:00"),
                ("place", "Phòng họp Sở"),
                ("decision.symbol", "301/QĐ-SKHCN"),
                ("decision.date", &today()),
                ("decision.signer", "Hoàng Bá Nam"),
            ],
        )
        .await;
    let id = id_in(&location(&res), "/councils/");
    let res = officer
        .post(
            &format!("/councils/{id}/members"),
            &[
                ("member_name", "Hoàng Bá Nam"),
                ("member_role", "chair"),
                ("member_name", "TS. Trần Thị Mai"),
                ("member_role", "secretary"),
                ("member_name", "Lê Minh Tuấn"),
                ("member_role", "member"),
                ("member_name", "Phạm Văn Đức"),
                ("member_role", "member"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/councils/{id}?done=members"), "{}", res.body);
    id
}

async fn seats(f: &Fixture, council: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = f
        .app
        .db
        .db()
        .fetch_all(
            tiendo_db::Query::new("SELECT id FROM st_council_members WHERE council_id = $1 ORDER BY sort_order")
                .bind(council),
        )
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

/// An opinion as the form sends it under NĐ 268/2025 for a small enterprise.
fn opinion<'a>(recommendation: &'a str, products: &'a str, remark: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = Vec::new();
    for code in ["registered", "st_results", "st_products", "size_conditions"] {
        form.push(("condition", code));
    }
    form.extend([
        ("met_registered", "met"),
        ("met_st_results", "met"),
        ("remark_st_results", "Bằng độc quyền giải pháp hữu ích còn hiệu lực."),
        ("met_st_products", products),
        ("remark_st_products", remark),
        ("met_size_conditions", "met"),
        ("recommendation", recommendation),
        ("remarks", ""),
    ]);
    form
}

#[tokio::test]
async fn a_council_appraises_the_application_and_the_leader_issues_with_its_conclusion_beside_the_checklist() {
    let f = fixture().await;
    people(&f).await;
    let id = in_appraisal(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let council = council(&officer).await;

    // Agritech's draft is not the department's to see, Minh Hàn's application back in the validity check
    // not in appraisal: neither can be put before the council.
    let agritech = f.app.sign_in("agritech").await;
    let res =
        agritech.post("/certificates/applications/new", &[("enterprise_name", "Công ty CP phát triển Agritech")]).await;
    let draft = id_in(&location(&res), "/certificates/applications/");
    let refused = officer.post(&format!("/councils/{council}/items"), &[("application", &draft.to_string())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!refused.body.contains("Agritech"), "a draft is not named: {}", refused.body);
    f.app
        .db
        .db()
        .execute(tiendo_db::Query::new("UPDATE cert_applications SET state = 'checking' WHERE id = $1").bind(id))
        .await
        .unwrap();
    let refused = officer.post(&format!("/councils/{council}/items"), &[("application", &id.to_string())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("«Đang kiểm tra hợp lệ», không ở bước thẩm định"), "{}", refused.body);
    f.app
        .db
        .db()
        .execute(tiendo_db::Query::new("UPDATE cert_applications SET state = 'appraisal' WHERE id = $1").bind(id))
        .await
        .unwrap();
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_council_items").await, 0, "nothing written");

    let res = officer.post(&format!("/councils/{council}/items"), &[("application", &id.to_string())]).await;
    assert_eq!(location(&res), format!("/councils/{council}?done=items"), "{}", res.body);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'cert_appraisal'").await, 4);
    let page = officer.get(&format!("/councils/{council}")).await;
    assert!(page.body.contains("Hội đồng thẩm định hồ sơ công nhận doanh nghiệp KH&#38;CN"), "{}", page.body);
    assert!(page.body.contains("Công ty TNHH thủy sản Minh Hàn"));
    // Lê Minh Tuấn works for Minh Hàn: flagged with the reason.
    assert!(page.body.contains("(doanh nghiệp đề nghị chứng nhận)"), "{}", page.body);

    // The meeting opens with one member present: the council cannot close.
    let seats = seats(&f, council).await;
    let (chair, tuan) = (seats[0], seats[2]);
    let one = officer.post(&format!("/councils/{council}/meeting"), &[("present", &chair.to_string())]).await;
    assert_eq!(location(&one), format!("/councils/{council}?done=meeting"));
    let close = [("minutes_symbol", "05/BB-HĐTĐ"), ("minutes_date", &today()), ("conclusion", "Đề nghị cấp.")];
    let no_quorum = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(no_quorum.status, StatusCode::CONFLICT, "{}", no_quorum.body);
    assert!(no_quorum.body.contains("cần ít nhất 3"), "{}", no_quorum.body);
    let everyone: Vec<(&str, String)> = seats.iter().map(|s| ("present", s.to_string())).collect();
    let everyone: Vec<(&str, &str)> = everyone.iter().map(|(k, v)| (*k, v.as_str())).collect();
    location(&officer.post(&format!("/councils/{council}/meeting"), &everyone).await);

    // The flagged member is refused until the chair overrides, with a reason.
    let member = f.app.sign_in("tdtuan").await;
    let page = member.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("do có xung đột lợi ích"), "{}", page.body);
    let refused = member.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("chỉ cho ý kiến được khi được cho phép"), "{}", refused.body);
    let nam = f.app.sign_in("tdnam").await;
    let overridden = nam
        .post(
            &format!("/councils/{council}/override"),
            &[
                ("member_id", &tuan.to_string()),
                ("application_id", &id.to_string()),
                ("reason", "Đã nghỉ việc tại doanh nghiệp, không tham gia lập hồ sơ."),
            ],
        )
        .await;
    assert_eq!(location(&overridden), format!("/councils/{council}?done=override"), "{}", overridden.body);

    // A condition not met needs a remark; nothing is written and what was typed comes back.
    let bad =
        member.post(&format!("/certificates/applications/{id}/opinion"), &opinion("refuse", "not_met", " ")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Điều kiện không đáp ứng cần có nhận xét"), "{}", bad.body);
    assert!(bad.body.contains("Bằng độc quyền giải pháp hữu ích còn hiệu lực."), "the form as typed");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM cert_opinions").await, 0);
    let sent = member
        .post(
            &format!("/certificates/applications/{id}/opinion"),
            &opinion("refuse", "not_met", "Sản phẩm chưa hình thành từ kết quả KH&CN."),
        )
        .await;
    assert_eq!(location(&sent), format!("/certificates/applications/{id}?done=opinion#appraisal"), "{}", sent.body);

    // The officer reads who has not answered; the council cannot close before everyone has.
    let page = officer.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("Chưa cho ý kiến:"), "{}", page.body);
    assert!(page.body.contains("Phạm Văn Đức"), "{}", page.body);
    assert!(page.body.contains("id=\"clock\">Còn "), "the clock still runs: {}", page.body);
    let missing = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(missing.status, StatusCode::CONFLICT);
    assert!(missing.body.contains("Chưa thể kết thúc: Hoàng Bá Nam"), "{}", missing.body);
    for who in ["tdnam", "tdmai", "tdduc"] {
        let b = f.app.sign_in(who).await;
        let res = b.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{who}: {}", res.body);
    }
    let closed = f.app.sign_in("tdmai").await.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(location(&closed), format!("/councils/{council}?done=closed"), "{}", closed.body);
    let twice = officer.post(&format!("/councils/{council}/close"), &close).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "closing twice");
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM st_council_items WHERE passed = TRUE").await, 1, "3 of 4");
    let late = f.app.sign_in("tdduc").await;
    let after = late.post(&format!("/certificates/applications/{id}/opinion"), &opinion("refuse", "met", "")).await;
    assert_eq!(after.status, StatusCode::CONFLICT, "no opinion once the council closed");

    // The leader decides with the conclusion and the opinions beside the checklist.
    let leader = f.app.sign_in("lanhdao").await;
    let page = leader.get(&format!("/certificates/applications/{id}")).await;
    let decide = page.body.split("decision-basis").nth(1).unwrap_or_default();
    assert!(decide.contains("Đề nghị cấp Giấy chứng nhận"), "{}", page.body);
    assert!(decide.contains("3 ý kiến đề nghị cấp, 1 ý kiến đề nghị không cấp"), "{decide}");
    let issue = [
        ("action", "issue"),
        ("number", "07/2026/DNKHCN"),
        ("decision_symbol", "320/QĐ-SKHCN"),
        ("decision_date", &today()),
        ("decision_signer", "Hoàng Bá Nam"),
    ];
    assert_eq!(location(&step(&leader, id, &issue).await), format!("/certificates/applications/{id}?done=moved"));

    // The enterprise never reads who appraised it nor what they thought.
    let minh_han = f.app.sign_in("minhhan").await;
    let own = minh_han.get(&format!("/certificates/applications/{id}")).await;
    assert_eq!(own.status, StatusCode::OK);
    for secret in ["Trần Thị Mai", "Lê Minh Tuấn", "Sản phẩm chưa hình thành", "Thẩm định hồ sơ"]
    {
        assert!(!own.body.contains(secret), "the enterprise reads {secret}");
    }
    let token = f.app.token_of("minhhan").await;
    let api = f.app.api(Method::GET, &format!("/api/v1/certificates/applications/{id}"), Some(&token), None).await;
    assert_eq!(api.json()["appraisal"], Value::Null);
    assert!(!api.body.contains("Trần Thị Mai"));
}

#[tokio::test]
async fn experts_asked_alone_give_their_opinion_and_a_conflicted_one_only_once_the_department_allows_it() {
    let f = fixture().await;
    people(&f).await;
    let id = in_appraisal(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let bad = officer
        .post(
            &format!("/certificates/applications/{id}/experts"),
            &[("experts", "Nguyễn Không Có\nVũ Văn Không\nTS. Trần Thị Mai"), ("note", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Nguyễn Không Có"), "{}", bad.body);
    assert!(bad.body.contains("chưa có tài khoản chuyên gia"), "{}", bad.body);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM cert_experts").await, 0, "nothing written");
    let asked = officer
        .post(
            &format!("/certificates/applications/{id}/experts"),
            &[("experts", "TS. Trần Thị Mai\nle minh tuan"), ("note", "Đề nghị nhận xét về điều kiện sản phẩm.")],
        )
        .await;
    assert_eq!(location(&asked), format!("/certificates/applications/{id}?done=experts#appraisal"), "{}", asked.body);
    assert_eq!(f.app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'cert_appraisal'").await, 2);
    let twice = officer.post(&format!("/certificates/applications/{id}/experts"), &[("experts", "Trần Thị Mai")]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("đã được mời"));
    let work = f.app.sign_in("tdmai").await.get("/work").await;
    assert!(work.body.contains("chờ ý kiến thẩm định của bạn"), "{}", work.body);
    assert!(work.body.contains(&format!("/certificates/applications/{id}#appraisal")));

    // Lê Minh Tuấn works for Minh Hàn: refused until the department allows him, for a reason.
    let tuan = f.app.sign_in("tdtuan").await;
    let token = f.app.token_of("tdtuan").await;
    let body = json!({
        "conditions": [
            {"code": "registered", "met": true},
            {"code": "st_results", "met": true},
            {"code": "st_products", "met": true},
            {"code": "size_conditions", "met": true}
        ],
        "recommendation": "issue"
    });
    let path = format!("/api/v1/certificates/applications/{id}/opinion");
    let refused = f.app.api(Method::PUT, &path, Some(&token), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["code"], "opinion_conflicted");
    let page = officer.get(&format!("/certificates/applications/{id}")).await;
    assert!(page.body.contains("(doanh nghiệp đề nghị chứng nhận)"), "{}", page.body);
    let expert: (i64,) = f
        .app
        .db
        .db()
        .fetch_one(tiendo_db::Query::new(
            "SELECT e.id FROM cert_experts e JOIN users u ON u.id = e.user_id WHERE u.username = 'tdtuan'",
        ))
        .await
        .unwrap();
    let no_reason = officer
        .post(&format!("/certificates/applications/{id}/experts/{}/override", expert.0), &[("reason", "")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let allowed = officer
        .post(
            &format!("/certificates/applications/{id}/experts/{}/override", expert.0),
            &[("reason", "Chuyên gia duy nhất về công nghệ tuần hoàn.")],
        )
        .await;
    assert_eq!(location(&allowed), format!("/certificates/applications/{id}?done=override#appraisal"));
    let given = f.app.api(Method::PUT, &path, Some(&token), Some(body)).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.body);
    let seen = given.json();
    assert_eq!(seen["appraisal"]["appraisers"].as_array().unwrap().len(), 1, "an expert reads only their own seat");
    assert_eq!(seen["appraisal"]["appraisers"][0]["opinion"]["recommendation"], "issue");
    let page = tuan.get(&format!("/certificates/applications/{id}")).await;
    assert!(!page.body.contains("Trần Thị Mai"), "an expert does not read the other experts");

    // The staff read every opinion and who has not answered.
    let staff = f.app.token_of("lanhdao").await;
    let all =
        f.app.api(Method::GET, &format!("/api/v1/certificates/applications/{id}"), Some(&staff), None).await.json();
    assert_eq!(all["appraisal"]["missing"], json!(["TS. Trần Thị Mai"]));
    assert_eq!(all["appraisal"]["recommend_issue"], 1);
    assert_eq!(all["appraisal"]["criteria"], json!(["registered", "st_results", "st_products", "size_conditions"]));
}

#[tokio::test]
async fn only_the_staff_and_the_experts_asked_read_the_appraisal_and_bad_input_is_refused() {
    let f = fixture().await;
    people(&f).await;
    f.app.db.fixtures().account("bientap").role(Role::Editor, Scope::Province).create().await;
    let id = in_appraisal(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    location(&officer.post(&format!("/certificates/applications/{id}/experts"), &[("experts", "Trần Thị Mai")]).await);
    // An expert never asked, another enterprise and unrelated staff do not learn it exists.
    for who in ["tdhuong", "agritech", "bientap"] {
        let b = f.app.sign_in(who).await;
        assert_eq!(b.get(&format!("/certificates/applications/{id}")).await.status, StatusCode::NOT_FOUND, "{who}");
        let res = b.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{who}");
    }
    // The officer is not asked: no opinion of theirs.
    let res = officer.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The enterprise cannot ask experts.
    let minh_han = f.app.sign_in("minhhan").await;
    let res = minh_han.post(&format!("/certificates/applications/{id}/experts"), &[("experts", "Trần Thị Mai")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A council of another kind does not take applications.
    let token = f.app.token_of("chuyenvien").await;
    let created = f
        .app
        .api(
            Method::POST,
            "/api/v1/councils",
            Some(&token),
            Some(json!({"kind": "selection", "name": "Hội đồng tuyển chọn"})),
        )
        .await;
    let selection = created.json()["id"].as_i64().unwrap();
    let res = f
        .app
        .api(
            Method::POST,
            &format!("/api/v1/councils/{selection}/applications"),
            Some(&token),
            Some(json!({"applications": [id]})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.json()["code"], "council_not_certificate");
    // Once decided, nobody is asked any more.
    let leader = f.app.sign_in("lanhdao").await;
    location(&step(&leader, id, &[("action", "refuse"), ("note", "Chưa đủ điều kiện về sản phẩm.")]).await);
    let res = officer.post(&format!("/certificates/applications/{id}/experts"), &[("experts", "Phạm Văn Đức")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("Chỉ đưa ra hội đồng, mời chuyên gia và cho ý kiến khi hồ sơ đang ở bước thẩm định"));
    let mai = f.app.sign_in("tdmai").await;
    let res = mai.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
}

/// The appraisal's forms of the page (`data-permission`) and the steps' buttons.
fn page_permissions(body: &str) -> (Vec<String>, Vec<String>) {
    let grab = |marker: &str| -> Vec<String> {
        let mut out: Vec<String> =
            body.split(marker).skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
        out.dedup();
        out
    };
    let mut appraisal = grab("data-permission=\"");
    appraisal.sort();
    appraisal.dedup();
    (grab("name=\"action\" value=\""), appraisal)
}

fn api_permissions(v: &Value) -> (Vec<String>, Vec<String>) {
    let list = |key: &str| -> Vec<String> {
        v["permissions"][key].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
    };
    let mut appraisal = list("appraisal");
    appraisal.sort();
    (list("steps"), appraisal)
}

#[tokio::test]
async fn the_api_permissions_are_the_forms_of_the_page_for_every_role_through_the_appraisal() {
    let f = fixture().await;
    people(&f).await;
    let id = in_appraisal(&f).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let names = ["minhhan", "chuyenvien", "lanhdao", "tdtuan", "tdmai", "tdhuong", "agritech"];
    let mut browsers = Vec::new();
    let mut tokens = Vec::new();
    for name in names {
        browsers.push(f.app.sign_in(name).await);
        tokens.push(f.app.token_of(name).await);
    }
    let check = |stage: &'static str| {
        let (browsers, tokens, app) = (&browsers, &tokens, &f.app);
        async move {
            for ((name, b), token) in names.iter().zip(browsers).zip(tokens) {
                let page = b.get(&format!("/certificates/applications/{id}")).await;
                let api =
                    app.api(Method::GET, &format!("/api/v1/certificates/applications/{id}"), Some(token), None).await;
                assert_eq!(page.status, api.status, "{name} at {stage}");
                if page.status != StatusCode::OK {
                    continue;
                }
                assert_eq!(page_permissions(&page.body), api_permissions(&api.json()), "{name} at {stage}");
            }
        }
    };
    check("appraisal, nothing asked").await;
    let council = council(&officer).await;
    check("a council being formed").await;
    location(&officer.post(&format!("/councils/{council}/items"), &[("application", &id.to_string())]).await);
    location(&officer.post(&format!("/certificates/applications/{id}/experts"), &[("experts", "Lê Minh Tuấn")]).await);
    check("before the council, experts asked").await;
    let seats = seats(&f, council).await;
    let everyone: Vec<(&str, String)> = seats.iter().map(|s| ("present", s.to_string())).collect();
    let everyone: Vec<(&str, &str)> = everyone.iter().map(|(k, v)| (*k, v.as_str())).collect();
    location(&officer.post(&format!("/councils/{council}/meeting"), &everyone).await);
    check("the council meeting").await;
    let mai = f.app.sign_in("tdmai").await;
    location(&mai.post(&format!("/certificates/applications/{id}/opinion"), &opinion("issue", "met", "")).await);
    check("an opinion given").await;
}
