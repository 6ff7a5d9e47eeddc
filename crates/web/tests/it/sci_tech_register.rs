//! The public registers of S&T tasks (issue 16 item 7): the approved list with its search and its
//! spreadsheet, and the calls published, read by everyone.

use std::io::Read;

use axum::http::StatusCode;

use crate::sci_tech::{fixture, id_in, location, open_call, post_form, proposal_form, step};

#[tokio::test]
async fn the_approved_list_is_public_searchable_and_downloads_as_a_spreadsheet() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let listed = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    let mut other = proposal_form("1.500.000.000", true);
    for (k, v) in &mut other {
        if *k == "title" {
            *v = "Xây dựng thương hiệu hàu Quảng Yên".into();
        }
    }
    let unlisted =
        id_in(&location(&post_form(&commune, &format!("/calls/{call}/proposals/new"), &other).await), "/proposals/");
    let doc =
        [("decision_symbol", "15/BB-HĐKHCN"), ("decision_date", "15/07/2024"), ("decision_signer", "Hoàng Bá Nam")];
    location(&step(&officer, listed, &[("action", "screen_valid")]).await);
    location(&step(&officer, listed, &[("action", "to_council")]).await);
    let mut recommend = vec![("action", "recommend")];
    recommend.extend(doc);
    location(&step(&officer, listed, &recommend).await);
    location(
        &step(
            &leader,
            listed,
            &[
                ("action", "approve_list"),
                ("mode", "selection"),
                ("decision_symbol", "1523/QĐ-UBND"),
                ("decision_date", "20/07/2024"),
                ("decision_signer", "Đặng Huy Hậu"),
            ],
        )
        .await,
    );

    let public = f.app.get("/registers/tasks").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"), "{}", public.body);
    assert!(public.body.contains("1523/QĐ-UBND (20/07/2024)"));
    assert!(public.body.contains("Tuyển chọn"));
    assert!(!public.body.contains("Xây dựng thương hiệu hàu Quảng Yên"), "not approved");
    assert!(!f.app.get("/registers/tasks?q=hau").await.body.contains("nuôi tôm"), "the search narrows");
    assert!(f.app.get("/registers/tasks?q=nuoi+tom").await.body.contains("nuôi tôm tuần hoàn"), "marks optional");
    let page = f.app.get(&format!("/registers/tasks/{listed}")).await;
    assert!(page.body.contains("Xây dựng mô hình nuôi tôm thẻ chân trắng tuần hoàn."));
    assert!(page.body.contains("1 quy trình Quy trình nuôi tôm tuần hoàn"));
    assert_eq!(f.app.get(&format!("/registers/tasks/{unlisted}")).await.status, StatusCode::NOT_FOUND);
    assert!(f.app.get("/registers").await.body.contains("/registers/tasks"), "no longer coming soon");

    let xlsx = f.app.get("/registers/tasks.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let mut all = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        if file.name().unwrap().ends_with(".xml") {
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            all.push_str(&text);
        }
    }
    assert!(all.contains("Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"));
    assert!(all.contains("DANH MỤC NHIỆM VỤ KH&amp;CN ĐẶT HÀNG ĐÃ PHÊ DUYỆT"), "{}", &all[..all.len().min(3000)]);
    assert!(!all.contains("Xây dựng thương hiệu hàu"));
}

#[tokio::test]
async fn published_calls_are_public_and_drafts_are_not() {
    let f = fixture().await;
    let officer = f.app.sign_in("chuyenvien").await;
    let call = open_call(&officer).await;
    let draft = id_in(
        &location(
            &officer
                .post(
                    "/calls/new",
                    &[
                        ("title", "Đợt chưa công bố"),
                        ("year", "2027"),
                        ("regime", "2013"),
                        ("route", "order"),
                        ("opens_on", "01/01/2030"),
                        ("closes_on", "01/02/2030"),
                        ("fields", "Thủy sản"),
                        ("eligibility", "Mọi tổ chức"),
                    ],
                )
                .await,
        ),
        "/calls/",
    );
    let list = f.app.get("/registers/calls").await;
    assert!(
        list.body.contains("Thông báo đề xuất đặt hàng nhiệm vụ KH&amp;CN cấp tỉnh năm 2027")
            || list.body.contains("Thông báo đề xuất đặt hàng nhiệm vụ KH&#38;CN cấp tỉnh năm 2027"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("Đợt chưa công bố"));
    let page = f.app.get(&format!("/registers/calls/{call}")).await;
    assert!(page.body.contains("Đang nhận hồ sơ"));
    assert!(page.body.contains(&format!("/login?next=/calls/{call}")));
    assert_eq!(f.app.get(&format!("/registers/calls/{draft}")).await.status, StatusCode::NOT_FOUND);
    let english = f.app.get(&format!("/registers/calls/{call}?lang=en")).await;
    assert!(english.body.contains("Receiving"));
}

#[tokio::test]
async fn the_public_finds_an_approved_task_by_search_and_nothing_else_of_the_module() {
    let (app, application) = crate::search::search_app().await;
    let f = crate::sci_tech::fixture_on(app).await;
    let officer = f.app.sign_in("chuyenvien").await;
    let leader = f.app.sign_in("lanhdao").await;
    let call = open_call(&officer).await;
    let commune = f.app.sign_in("quangyen").await;
    let listed = id_in(
        &location(
            &post_form(&commune, &format!("/calls/{call}/proposals/new"), &proposal_form("1.500.000.000", true)).await,
        ),
        "/proposals/",
    );
    let mut other = proposal_form("1.500.000.000", true);
    for (k, v) in &mut other {
        if *k == "title" {
            *v = "Nuôi tôm hùm trong lồng bè".into();
        }
    }
    id_in(&location(&post_form(&commune, &format!("/calls/{call}/proposals/new"), &other).await), "/proposals/");
    location(&step(&officer, listed, &[("action", "screen_valid")]).await);
    location(&step(&officer, listed, &[("action", "to_council")]).await);
    location(
        &step(
            &officer,
            listed,
            &[
                ("action", "recommend"),
                ("decision_symbol", "15/BB-HĐKHCN"),
                ("decision_date", "15/07/2024"),
                ("decision_signer", "Hoàng Bá Nam"),
            ],
        )
        .await,
    );
    location(
        &step(
            &leader,
            listed,
            &[
                ("action", "approve_list"),
                ("mode", "direct"),
                ("decision_symbol", "1523/QĐ-UBND"),
                ("decision_date", "20/07/2024"),
                ("decision_signer", "Đặng Huy Hậu"),
            ],
        )
        .await,
    );
    tiendo_app::search::catch_up(&application).await.unwrap();
    let found = f.app.api(axum::http::Method::GET, "/api/v1/search?q=nu%C3%B4i+t%C3%B4m", None, None).await.json();
    let paths: Vec<String> =
        found["items"].as_array().unwrap().iter().map(|h| h["url"].as_str().unwrap().to_owned()).collect();
    assert_eq!(paths, [format!("/registers/tasks/{listed}")], "{found}");
    let staff = f.app.token_of("chuyenvien").await;
    let all =
        f.app.api(axum::http::Method::GET, "/api/v1/search?q=nu%C3%B4i+t%C3%B4m", Some(&staff), None).await.json();
    assert_eq!(all["total"], 2, "the staff also find the proposal being screened");
}
