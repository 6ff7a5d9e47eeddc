//! Every demo account lands on its own work after signing in, and its menu shows only what it can use
//! (issue 13 item 4): each menu link answers 200 for that account, and the roles without monitoring work
//! (the expert, the applicant, the editor, the moderator) get neither the dashboard nor its all-zero
//! figures.

use axum::http::StatusCode;

use crate::crawl::{fetch, links};

/// What an account should find after signing in.
struct Expected {
    username: &'static str,
    /// Where the sign-in leads.
    landing: &'static str,
    /// Texts the landing page shows (its work).
    shows: &'static [&'static str],
    /// Menu entries it has, and entries it must not have.
    menu: &'static [&'static str],
    not_in_menu: &'static [&'static str],
}

const EXPECTED: &[Expected] = &[
    Expected {
        username: "lanhdao",
        landing: "/dashboard",
        shows: &[
            "Cần quyết định",
            "Hoàn thiện quy trình tiếp nhận, giải quyết hồ sơ trực tuyến",
            "tin bài chờ duyệt đăng",
        ],
        menu: &[
            "/dashboard",
            "/assignments",
            "/reports",
            "/plans",
            "/visits",
            "/calls",
            "/documents",
            "/organizations",
            "/admin",
        ],
        not_in_menu: &["/work"],
    },
    Expected {
        username: "chuyenvien",
        landing: "/work",
        shows: &["Báo cáo tiến độ chờ xem xét", "Triển khai nền tảng số phục vụ người dân"],
        menu: &[
            "/work",
            "/dashboard",
            "/assignments",
            "/reports",
            "/plans",
            "/visits",
            "/calls",
            "/documents",
            "/organizations",
        ],
        not_in_menu: &["/admin"],
    },
    Expected {
        username: "phuong.haan",
        landing: "/work",
        shows: &[
            "Nhiệm vụ đến hạn",
            "Hoàn thiện quy trình tiếp nhận, giải quyết hồ sơ trực tuyến",
            "Báo cáo tiến độ chưa gửi",
            "Báo cáo định kỳ phải nộp",
        ],
        menu: &["/work", "/dashboard", "/assignments", "/reports", "/visits", "/calls", "/organizations"],
        not_in_menu: &["/plans", "/documents", "/admin"],
    },
    Expected {
        username: "vien.ptv",
        landing: "/work",
        shows: &["Phối hợp với doanh nghiệp đánh giá hiệu quả mô hình nuôi tôm tuần hoàn"],
        menu: &["/work", "/assignments", "/reports", "/visits", "/calls", "/organizations"],
        not_in_menu: &["/plans", "/admin"],
    },
    Expected {
        username: "quantri",
        landing: "/admin",
        shows: &["Người dùng", "Mẫu văn bản"],
        menu: &["/dashboard", "/plans", "/visits", "/calls", "/organizations", "/admin"],
        not_in_menu: &["/work"],
    },
    Expected {
        username: "chuyengia",
        landing: "/work",
        shows: &["Không có việc nào đang chờ bạn"],
        menu: &["/work", "/calls", "/organizations"],
        not_in_menu: &["/dashboard", "/assignments", "/reports", "/plans", "/visits", "/documents", "/admin"],
    },
    Expected {
        username: "minhhan",
        landing: "/work",
        shows: &[
            tiendo::demo::visits::TITLE,
            tiendo::demo::recent::TITLE,
            "Bản nháp chưa gửi",
            tiendo::demo::sci_tech::DRAFT,
        ],
        menu: &["/work", "/visits", "/calls", "/organizations"],
        not_in_menu: &["/dashboard", "/assignments", "/reports", "/plans", "/documents", "/admin"],
    },
    Expected {
        username: "bientap",
        landing: "/admin/articles?state=draft",
        shows: &[tiendo::demo::recent::TITLE],
        menu: &["/admin/articles", "/visits", "/organizations"],
        not_in_menu: &["/dashboard", "/assignments", "/work", "/calls", "/admin"],
    },
    Expected {
        username: "kiemduyet",
        landing: "/admin/comments",
        shows: &["Nguyễn Văn Hùng"],
        menu: &["/admin/comments", "/organizations", "/admin"],
        not_in_menu: &["/dashboard", "/assignments", "/work", "/visits", "/calls"],
    },
];

/// The links of the main navigation.
fn menu(html: &str) -> Vec<String> {
    let start = html.find("id=\"main-nav\"").expect("the page has the main navigation");
    let end = start + html[start..].find("</nav>").expect("the navigation ends");
    links(&html[start..end])
}

/// Signs in with `next` as the form sends it (none, or a page); the answer.
async fn sign_in(app: &axum::Router, username: &str, next: Option<&str>) -> crate::crawl::Fetched {
    let password = tiendo_web::forms::url_encode(tiendo::demo::accounts::DEMO_PASSWORD);
    let mut body = format!("username={username}&password={password}");
    if let Some(next) = next {
        body.push_str(&format!("&next={}", tiendo_web::forms::url_encode(next)));
    }
    fetch(app, "/login", "", "POST", body).await
}

#[tokio::test]
async fn every_role_lands_on_its_work_and_its_menu_leads_only_to_pages_it_may_use() {
    let t = crate::demo_db().await;
    let state = tiendo_web::AppState::with_files(t.db().clone(), tiendo_app::Settings::default(), crate::demo_files());
    let app = tiendo_web::router(state);
    for e in EXPECTED {
        let who = e.username;
        // The form of the sign-in page sends `next=/` when nothing was asked for; a link may send none.
        for next in [Some("/"), None] {
            let res = sign_in(&app, who, next).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{who}");
            assert_eq!(res.location.as_deref(), Some(e.landing), "{who} with next {next:?}");
        }
        let res = sign_in(&app, who, None).await;
        let cookie = res.set_cookie.unwrap_or_default().split(';').next().unwrap_or_default().to_owned();
        let page = fetch(&app, e.landing, &cookie, "GET", String::new()).await;
        assert_eq!(page.status, StatusCode::OK, "{who}: {}", e.landing);
        for text in e.shows {
            assert!(page.body.contains(text), "{who}: {} does not show {text:?}", e.landing);
        }
        let entries = menu(&page.body);
        for href in e.menu {
            assert!(entries.iter().any(|l| l == href), "{who}: the menu lacks {href}: {entries:?}");
        }
        for href in e.not_in_menu {
            assert!(!entries.iter().any(|l| l == href), "{who}: the menu has {href}: {entries:?}");
        }
        for href in &entries {
            let answer = fetch(&app, href, &cookie, "GET", String::new()).await;
            assert_eq!(answer.status, StatusCode::OK, "{who}: the menu's {href}");
        }
    }
    // A page asked for is where the sign-in leads, whoever signs in.
    let res = sign_in(&app, "lanhdao", Some("/visits")).await;
    assert_eq!(res.location.as_deref(), Some("/visits"));
}

#[tokio::test]
async fn the_applicant_reads_the_visits_its_enterprise_hosted() {
    let t = crate::demo_db().await;
    let state = tiendo_web::AppState::with_files(t.db().clone(), tiendo_app::Settings::default(), crate::demo_files());
    let app = tiendo_web::router(state);
    let res = sign_in(&app, "minhhan", None).await;
    let cookie = res.set_cookie.unwrap_or_default().split(';').next().unwrap_or_default().to_owned();
    let list = fetch(&app, "/visits", &cookie, "GET", String::new()).await;
    assert_eq!(list.status, StatusCode::OK);
    for title in [tiendo::demo::visits::TITLE, tiendo::demo::recent::TITLE] {
        assert!(list.body.contains(title), "the applicant's list lacks {title}");
    }
    let visit: Vec<String> = links(&list.body).into_iter().filter(|l| l.starts_with("/visits/")).collect();
    assert!(!visit.is_empty());
    for href in &visit {
        let page = fetch(&app, href, &cookie, "GET", String::new()).await;
        assert_eq!(page.status, StatusCode::OK, "{href}");
        assert!(page.body.contains("Công ty TNHH thủy sản Minh Hàn"), "{href}");
        assert!(!page.body.contains(&format!("href=\"{href}/edit\"")), "{href}: no edit link for the applicant");
    }
}
