//! The public portal end to end: the editorial workflow, public pages with caching, comments with their
//! guards, moderation, photos, feeds and the API, with the bad inputs of issue 9.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::{Exec, Query};

use crate::harness::{Browser, TestApp, TestResponse};

const SCRIPT: &str = "<script>alert(1)</script>";
const SVG: &str = "<svg onload=alert(1)>";
const HANDLER: &str = "<img src=x onerror=alert(1)>";

async fn fixture() -> TestApp {
    let app = TestApp::new().await;
    app.user("bientap", None, &[(Role::Editor, Scope::Province)]).await;
    app.user("kiemduyet", None, &[(Role::Moderator, Scope::Province)]).await;
    app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    app.user("canbo", None, &[(Role::LocalityOfficer, Scope::Province)]).await;
    app
}

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "expected a redirect: {}", res.body);
    res.header("location").to_owned()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let (v,): (i64,) = app.db.db().fetch_one(Query::new(sql.to_owned())).await.unwrap();
    v
}

/// An anonymous form POST from a page of the site.
async fn public_post(app: &TestApp, uri: &str, fields: &[(&str, &str)], ip: &str) -> TestResponse {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", tiendo_web::forms::url_encode(v))).collect();
    let mut req = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body.join("&")))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(ip.parse::<std::net::SocketAddr>().unwrap()));
    app.send(req).await
}

/// The editor writes an article and publishes it; returns (id, slug).
async fn published_article(editor: &Browser<'_>, title: &str, body: &str) -> (i64, String) {
    let loc = location(
        &editor
            .post(
                "/admin/articles",
                &[("title", title), ("summary", "Tóm tắt bài"), ("body", body), ("tags", "Quảng Yên, khoa học")],
            )
            .await,
    );
    let id: i64 = loc.trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "submit")]).await);
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish")]).await);
    let (slug,): (String,) =
        editor.app.db.db().fetch_one(Query::new("SELECT slug FROM articles WHERE id = $1").bind(id)).await.unwrap();
    (id, slug)
}

#[tokio::test]
async fn an_article_goes_from_draft_to_the_public_with_every_field_rendered_inert() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    // A refused form keeps what was typed and names the field.
    let bad =
        editor.post("/admin/articles", &[("title", ""), ("body", "Nội dung giữ lại"), ("slug", "Xin chào!")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Nội dung giữ lại") && bad.body.contains("id=\"title-error\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"slug-error\""));

    let title = format!("Đoàn công tác {SCRIPT}");
    let body = format!(
        "Đoạn **đậm**.\n\n{SCRIPT}\n\n{SVG}\n\n{HANDLER}\n\n[bấm](javascript:alert(1)) [x](data:text/html,1)\n\n![ảnh](https://evil.example/a.svg)"
    );
    let loc = location(
        &editor
            .post(
                "/admin/articles",
                &[("title", &title), ("summary", SVG), ("body", &body), ("tags", &format!("Quảng Yên, {HANDLER}"))],
            )
            .await,
    );
    let id: i64 = loc.trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    let (slug,): (String,) =
        app.db.db().fetch_one(Query::new("SELECT slug FROM articles WHERE id = $1").bind(id)).await.unwrap();
    assert_eq!(slug, "doan-cong-tac-script-alert-1-script", "Vietnamese folded to ASCII");

    // A draft is not public.
    assert_eq!(app.get(&format!("/news/{slug}")).await.status, StatusCode::NOT_FOUND);
    // Publishing straight from a draft is refused: the workflow goes through review.
    let skip = editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish")]).await;
    assert_eq!(skip.status, StatusCode::CONFLICT);
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "submit")]).await);
    // A locality officer may not publish.
    let officer = app.sign_in("canbo").await;
    assert_eq!(
        officer.post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish")]).await.status,
        StatusCode::FORBIDDEN
    );
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish")]).await);

    let page = app.get(&format!("/news/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let lower = page.body.to_ascii_lowercase();
    assert!(!lower.contains("<script>alert"), "a script came through");
    assert!(!lower.contains("<svg onload") && !lower.contains("<img src=x"), "markup came through");
    assert!(!lower.contains("href=\"javascript") && !lower.contains("href=\"data:"), "a javascript: link");
    assert!(!lower.contains("evil.example/a.svg\""), "an outside image");
    assert!(page.body.contains("<strong>đậm</strong>"));
    assert!(
        page.body.contains("property=\"og:title\" content=\"Đoàn công tác &#60;script&#62;")
            || page.body.contains("og:title\" content=\"Đoàn công tác &lt;script&gt;"),
        "{}",
        &page.body[..2000.min(page.body.len())]
    );
    assert!(page.body.contains("name=\"twitter:card\""));
    assert!(page.body.contains("https://www.facebook.com/sharer/sharer.php?u="));
    assert!(page.body.contains(&format!("/news/{slug}/print")));
    let print = app.get(&format!("/news/{slug}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(!print.body.contains("comment-form"));

    // Revisions are kept: a second save is revision 2, the first still readable.
    location(
        &editor
            .post(
                &format!("/admin/articles/{id}"),
                &[("title", "Tiêu đề mới"), ("slug", &slug), ("summary", "x"), ("body", "Nội dung mới")],
            )
            .await,
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM article_revisions").await, 2);
    let first = editor.get(&format!("/admin/articles/{id}/revisions/1")).await;
    assert!(
        first.body.contains("Đoàn công tác &lt;script&gt;") || first.body.contains("Đoàn công tác &#60;script&#62;")
    );
    assert!(scalar(&app, "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'article'").await >= 4);

    // Feeds, sitemap and robots.
    let rss = app.get("/rss.xml").await;
    assert!(rss.header("content-type").starts_with("application/rss+xml"));
    assert!(rss.body.contains("<title>Tiêu đề mới</title>") && rss.body.contains(&format!("/news/{slug}</link>")));
    let atom = app.get("/atom.xml").await;
    assert!(atom.body.contains("<entry>") && atom.body.contains("Tiêu đề mới"));
    let sitemap = app.get("/sitemap.xml").await;
    assert!(sitemap.body.contains(&format!("/news/{slug}</loc>")));
    let robots = app.get("/robots.txt").await;
    assert!(robots.body.contains("Disallow: /admin") && robots.body.contains("Sitemap: "));
    // The API lists it to everyone.
    let api = app.get("/api/v1/articles").await.json();
    assert_eq!(api["total"], 1);
    assert_eq!(api["items"][0]["title"], "Tiêu đề mới");
    assert_eq!(app.get("/api/v1/articles?state=draft").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn anonymous_pages_are_cached_with_etags_and_never_shared_with_signed_in_users() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let (_, slug) = published_article(&editor, "Tin thử bộ nhớ đệm", "Nội dung").await;
    let first = app.get(&format!("/news/{slug}")).await;
    assert_eq!(first.header("cache-control"), "public, max-age=0, must-revalidate");
    assert!(first.header("vary").contains("Cookie"));
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = app.get_with(&format!("/news/{slug}"), &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let signed = editor.get(&format!("/news/{slug}")).await;
    assert_eq!(signed.header("cache-control"), "private, no-cache");
    assert!(signed.body.contains(&editor.csrf), "the signed-in page is the user's own");
    assert!(!first.body.contains(&editor.csrf));
    // The home page lists the article; a change invalidates the cached page at once.
    let home = app.get("/").await;
    assert!(home.body.contains("Tin thử bộ nhớ đệm"), "{}", home.body);
    let (id,): (i64,) =
        app.db.db().fetch_one(Query::new("SELECT id FROM articles WHERE slug = $1").bind(slug.as_str())).await.unwrap();
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "unpublish")]).await);
    assert!(!app.get("/").await.body.contains("Tin thử bộ nhớ đệm"));
    assert_eq!(app.get(&format!("/news/{slug}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_comment_waits_for_a_moderator_who_is_notified_and_approves_it() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let (article_id, slug) = published_article(&editor, "Tin có bình luận", "Nội dung").await;
    let res = public_post(
        &app,
        &format!("/news/{slug}/comments"),
        &[
            ("name", "Bạn đọc"),
            ("email", "ban.doc@example.vn"),
            ("text", &format!("Ý kiến {SCRIPT} https://quangninh.gov.vn")),
        ],
        "203.0.113.5:4000",
    )
    .await;
    let back = location(&res);
    assert!(back.contains("?pending="), "{back}");
    // The author sees it awaiting moderation; the public does not.
    let own = app.get(&back).await;
    assert!(own.body.contains("Đang chờ kiểm duyệt") && own.body.contains("Ý kiến &lt;script&gt;"), "{}", own.body);
    assert!(own.body.contains("rel=\"nofollow ugc noopener noreferrer\""));
    assert!(!own.body.contains("ban.doc@example.vn"), "the e-mail is never shown");
    let public = app.get(&format!("/news/{slug}")).await;
    assert!(!public.body.contains("Ý kiến"));
    // A forged secret shows nothing.
    let forged = back.replace("-", "-0");
    assert!(!app.get(&forged).await.body.contains("Ý kiến"));
    // The moderator is told and approves it from the queue.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notifications WHERE kind = 'comment_pending'").await, 1);
    let moderator = app.sign_in("kiemduyet").await;
    let queue = moderator.get("/admin/comments").await;
    assert!(queue.body.contains("Ý kiến") && queue.body.contains("ban.doc@example.vn"));
    let comment_id = scalar(&app, "SELECT MAX(id) FROM comments").await.to_string();
    location(&moderator.post("/admin/comments", &[("one", &format!("approve:{comment_id}"))]).await);
    let public = app.get(&format!("/news/{slug}")).await;
    assert!(public.body.contains("Ý kiến &lt;script&gt;"), "approved and the cache dropped");
    // Readers report it: hidden after three distinct reporters, until the moderator decides.
    for ip in ["198.51.100.1:1", "198.51.100.2:1", "198.51.100.2:2", "198.51.100.3:1"] {
        location(&public_post(&app, &format!("/comments/{comment_id}/report"), &[], ip).await);
    }
    assert!(!app.get(&format!("/news/{slug}")).await.body.contains("Ý kiến"), "hidden after 3 reports");
    assert_eq!(scalar(&app, "SELECT report_count FROM comments").await, 3, "one report per address");
    assert!(moderator.get("/admin/comments?show=reported").await.body.contains("Ý kiến"));
    // Bulk: the moderator rejects it with another one.
    public_post(&app, &format!("/news/{slug}/comments"), &[("name", "B"), ("text", "Thứ hai")], "203.0.113.9:1").await;
    let second = scalar(&app, "SELECT MAX(id) FROM comments").await.to_string();
    location(
        &moderator.post("/admin/comments", &[("decision", "reject"), ("ids", &comment_id), ("ids", &second)]).await,
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM comments WHERE status = 'rejected'").await, 2);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_events WHERE action = 'comment_reject'").await, 2);
    // The API: the public lists the approved ones, moderators decide in bulk.
    let listed = app.get(&format!("/api/v1/articles/{article_id}/comments")).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 0);
    assert_eq!(app.get("/api/v1/comments").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_comments_are_refused_and_logged_and_nothing_runs() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let (article_id, slug) = published_article(&editor, "Tin thử bình luận xấu", "Nội dung").await;
    let uri = format!("/news/{slug}/comments");
    // The honeypot: answered like a success, nothing stored.
    let res =
        public_post(&app, &uri, &[("name", "Rô bốt"), ("text", "mua ngay"), ("website", "http://spam")], "192.0.2.1:1")
            .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM comments").await, 0);
    // Too long, no name: the fields are named and the text kept.
    let long = "x".repeat(2001);
    let res = public_post(&app, &uri, &[("name", ""), ("text", &long)], "192.0.2.2:1").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("id=\"name-error\"") && res.body.contains("id=\"text-error\"") && res.body.contains(&long)
    );
    // Payloads in every field come back inert.
    let res = public_post(&app, &uri, &[("name", SVG), ("email", HANDLER), ("text", SCRIPT)], "192.0.2.3:1").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "the e-mail is not an address");
    assert!(!res.body.contains(SVG) && !res.body.contains(HANDLER) && !res.body.contains(SCRIPT));
    // A flood from one address: the sixth comment in ten minutes is refused with Retry-After.
    for i in 0..5 {
        let res = public_post(&app, &uri, &[("name", "Lũ"), ("text", &format!("bình luận {i}"))], "192.0.2.4:1").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "comment {i}");
    }
    let res = public_post(&app, &uri, &[("name", "Lũ"), ("text", "thứ sáu")], "192.0.2.4:2").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!res.header("retry-after").is_empty());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM comments").await, 5);
    let other = public_post(&app, &uri, &[("name", "Khác"), ("text", "địa chỉ khác")], "192.0.2.5:1").await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "another address is not limited");
    // Closed by hand: refused, on the page and in the API.
    app.db.db().execute(Query::new("UPDATE articles SET comments_closed = TRUE")).await.unwrap();
    tiendo_db::portal::bump_stamp(app.db.db()).await.unwrap();
    let res = public_post(&app, &uri, &[("name", "Muộn"), ("text", "đã đóng")], "192.0.2.6:1").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let api = app
        .request(
            axum::http::Method::POST,
            &format!("/api/v1/articles/{article_id}/comments"),
            Some("application/json"),
            br#"{"name":"A","text":"b"}"#.to_vec(),
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["code"], "comments_closed");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM comments WHERE author_name = 'Muộn'").await, 0);
}

#[tokio::test]
async fn the_word_list_holds_a_comment_even_without_premoderation() {
    let app = fixture().await;
    let moderator = app.sign_in("kiemduyet").await;
    let saved = moderator
        .post(
            "/admin/portal/moderation",
            &[
                ("close_after_days", "30"),
                ("reports_to_hide", "3"),
                ("max_comment_length", "2000"),
                ("comments_per_ten_minutes", "5"),
                ("word_list", "lừa đảo"),
            ],
        )
        .await;
    location(&saved);
    let bad =
        moderator.post("/admin/portal/moderation", &[("close_after_days", "nhiều"), ("word_list", "giữ lại")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"close_after_days-error\"") && bad.body.contains("giữ lại"));
    let editor = app.sign_in("bientap").await;
    let (_, slug) = published_article(&editor, "Tin không kiểm duyệt trước", "Nội dung").await;
    let uri = format!("/news/{slug}/comments");
    let ok = public_post(&app, &uri, &[("name", "A"), ("text", "Bài viết hữu ích")], "192.0.2.10:1").await;
    assert!(location(&ok).contains("done=posted"), "shown at once without pre-moderation");
    let held = public_post(&app, &uri, &[("name", "B"), ("text", "Đây là LUA DAO")], "192.0.2.11:1").await;
    assert!(location(&held).contains("pending="));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM comments WHERE word_match = 'lua dao'").await, 1);
    assert!(app.get(&format!("/news/{slug}")).await.body.contains("Bài viết hữu ích"));
}

fn png(width: u32, height: u32) -> Vec<u8> {
    tiendo_export::photo::placeholder_png(width, height, [10, 20, 30])
}

#[tokio::test]
async fn photos_are_checked_resized_and_served_without_the_original() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let (id, slug) = published_article(&editor, "Tin có ảnh", "Nội dung").await;
    let uri = format!("/admin/articles/{id}/media");
    for (name, bytes) in [
        ("a.svg", SVG.as_bytes().to_vec()),
        ("a.html", b"<html><script>alert(1)</script>".to_vec()),
        ("fake.jpg", b"\xFF\xD8\xFF\xE0 not really a jpeg".to_vec()),
    ] {
        let res = editor
            .post_multipart(&uri, &[("caption", "Chú thích"), ("alt", "Mô tả")], &[("photo", name, &bytes)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(res.body.contains("id=\"photo-error\""), "{name}");
    }
    let huge = vec![0u8; tiendo_export::photo::MAX_BYTES + 10];
    let res = editor.post_multipart(&uri, &[("alt", "Mô tả")], &[("photo", "huge.jpg", &huge)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = editor
        .post_multipart(&uri, &[("caption", "Chú thích"), ("alt", "")], &[("photo", "a.png", &png(40, 20))])
        .await;
    assert!(res.body.contains("id=\"alt-error\""), "the text alternative is required");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM portal_media").await, 0);

    let caption = format!("Đoàn làm việc {SCRIPT}");
    location(
        &editor
            .post_multipart(
                &uri,
                &[("caption", &caption), ("alt", "Ảnh đoàn công tác")],
                &[("photo", "doan.png", &png(2400, 1200))],
            )
            .await,
    );
    let media_id = scalar(&app, "SELECT id FROM portal_media").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM portal_media_variants").await, 3);
    let page = app.get(&format!("/news/{slug}")).await;
    assert!(
        page.body.contains("<figcaption lang=\"vi\">Đoàn làm việc &lt;script&gt;")
            || page.body.contains("<figcaption lang=\"vi\">Đoàn làm việc &#60;script&#62;"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("/media/{media_id}/large.jpg 1600w")));
    assert!(page.body.contains("property=\"og:image\""));
    let large = app.get(&format!("/media/{media_id}/large.jpg")).await;
    assert_eq!(large.status, StatusCode::OK);
    assert_eq!(large.header("content-type"), "image/jpeg");
    assert!(large.header("cache-control").contains("immutable"));
    // Once taken down, its photos are no longer public.
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "unpublish")]).await);
    assert_eq!(app.get(&format!("/media/{media_id}/large.jpg")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(editor.get(&format!("/media/{media_id}/large.jpg")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn scheduling_keeps_an_article_private_until_its_time() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let loc = location(&editor.post("/admin/articles", &[("title", "Tin hẹn giờ"), ("body", "x")]).await);
    let id: i64 = loc.trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    location(&editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "submit")]).await);
    let bad = editor
        .post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish"), ("publish_at", "ngày mai")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"publish_at-error\""));
    let later = (chrono::Utc::now() + chrono::Duration::days(2)).with_timezone(&tiendo_core::time::vietnam_offset());
    let at = later.format("%Y-%m-%dT%H:%M").to_string();
    location(
        &editor.post(&format!("/admin/articles/{id}/workflow"), &[("action", "publish"), ("publish_at", &at)]).await,
    );
    let (state,): (String,) =
        app.db.db().fetch_one(Query::new("SELECT state FROM articles WHERE id = $1").bind(id)).await.unwrap();
    assert_eq!(state, "scheduled");
    assert_eq!(app.get("/news/tin-hen-gio").await.status, StatusCode::NOT_FOUND);
    let due =
        tiendo_db::portal::articles::due(app.db.db(), chrono::Utc::now() + chrono::Duration::days(3)).await.unwrap();
    assert_eq!(due.len(), 1);
}

#[tokio::test]
async fn the_footer_is_configured_by_administrators_and_rendered_as_text() {
    let app = fixture().await;
    let admin = app.sign_in("quantri").await;
    let fields = [
        ("contact_address", "Số 1 Hồng Hà"),
        ("licence_line", "Giấy phép số 25/GP-TTĐT <script>alert(1)</script>"),
        ("badge_link", "javascript:alert(1)"),
    ];
    let bad = admin.post_multipart("/admin/portal/footer", &fields, &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"badge_link-error\""));
    let good = [
        ("contact_address", "Số 1 Hồng Hà"),
        ("licence_line", "Giấy phép số 25/GP-TTĐT <script>alert(1)</script>"),
        ("badge_link", "https://tinnhiemmang.vn/"),
        ("badge_alt", "Tín nhiệm mạng"),
    ];
    let res = admin.post_multipart("/admin/portal/footer", &good, &[("badge", "badge.png", &png(200, 80))]).await;
    location(&res);
    let home = app.get("/").await;
    assert!(
        home.body.contains("Giấy phép số 25/GP-TTĐT &lt;script&gt;")
            || home.body.contains("Giấy phép số 25/GP-TTĐT &#60;script&#62;"),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"https://tinnhiemmang.vn/\""));
    assert!(home.body.contains("alt=\"Tín nhiệm mạng\""));
    // A moderator may set moderation but not the footer.
    let moderator = app.sign_in("kiemduyet").await;
    assert_eq!(moderator.post_multipart("/admin/portal/footer", &good, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.sign_in("bientap").await.get("/admin/comments").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_locality_register_is_public() {
    let app = fixture().await;
    let res = app.get("/registers/localities").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Tiến độ thực hiện theo địa phương"));
    assert_eq!(app.get("/registers").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_adds_a_photo_to_an_article_with_the_editor_s_checks() {
    let app = fixture().await;
    let editor = app.sign_in("bientap").await;
    let (id, _) = published_article(&editor, "Tin có ảnh qua API", "Nội dung").await;
    let token = app.token("bientap_api", None, &[(Role::Editor, Scope::Province)]).await;
    let upload = |caption: String, bytes: Vec<u8>| {
        let token = token.clone();
        let app = &app;
        async move {
            let (content_type, body) = crate::harness::multipart(
                &[("caption", &caption), ("alt", "Đoàn công tác tại xưởng")],
                &[("photo", "anh.png", &bytes)],
            );
            let request = Request::post(format!("/api/v1/articles/{id}/media"))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap();
            app.send(request).await
        }
    };
    let long = "x".repeat(tiendo_core::portal::MAX_CAPTION + 1);
    let refused = upload(long, png(40, 20)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.json()["errors"][0]["code"], "too_long");
    let not_image = upload("Ảnh".into(), b"<svg onload=alert(1)>".to_vec()).await;
    assert_eq!(not_image.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A 16 MB photo is 413 with the 15 MB limit named.
    let mut huge = png(40, 20);
    huge.resize(16 * 1024 * 1024, 0);
    let too_large = upload("Ảnh lớn".into(), huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_large.body);
    let problem = too_large.json();
    assert_eq!(
        (problem["code"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("payload_too_large"), Some("image_too_large"))
    );
    assert!(problem["errors"][0]["detail"].as_str().unwrap().contains("15 MB"), "{problem}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM portal_media").await, 0);

    let stored = upload("Đoàn công tác thăm xưởng sản xuất".into(), png(400, 300)).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert!(!stored.json()["urls"].as_array().unwrap().is_empty());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM portal_media").await, 1);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM audit_events WHERE action = 'media_upload' AND entity_id = '{id}'")
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_tag_that_is_too_long_is_named_with_its_text_and_the_limit_on_the_api_and_the_page() {
    let app = fixture().await;
    let token = app.token("bientap_tags", None, &[(Role::Editor, Scope::Province)]).await;
    let tag = "t".repeat(80);
    let res = app
        .api(
            axum::http::Method::POST,
            "/api/v1/articles",
            Some(&token),
            Some(serde_json::json!({"title": "Tin có thẻ dài", "tags": [tag]})),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let problem = res.json();
    let detail = problem["errors"][0]["detail"].as_str().unwrap().to_owned();
    assert!(!detail.contains('{'), "{detail}");
    assert!(detail.contains(&tag), "{detail}");
    let editor = app.sign_in("bientap").await;
    let page = editor.post("/admin/articles", &[("title", "Tin có thẻ dài"), ("tags", &tag)]).await;
    assert!(!page.body.contains("{$") && !page.body.contains("{ $"), "{}", page.body);
    assert!(page.body.contains(&format!("Thẻ «{tag}»")), "{}", page.body);
}
