//! The portal part of the reference story: the news article about the working visit of 27/02/2020 (the
//! seed of the project), with two photos drawn in code carrying their captions, published, with one
//! approved and one pending comment; the categories and the footer.

use anyhow::{Context, anyhow};
use chrono::{TimeZone, Utc};
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleState, CommentStatus, PortalSettings};
use tiendo_db::audit::{self, NewEvent, Who};
use tiendo_db::files::FileStore;
use tiendo_db::portal::articles::{self, ArticleInput, Author};
use tiendo_db::portal::{self, comments, media};
use tiendo_db::{Db, Exec, Query, directory};

/// The slug of the demo article.
pub const SLUG: &str = "so-khcn-lam-viec-voi-thi-xa-quang-yen-va-thanh-pho-ha-long";

const BODY: &str = "Ngày 27/02/2020, đoàn công tác của Sở Khoa học và Công nghệ tỉnh Quảng Ninh do ông Hoàng Bá Nam, \
Giám đốc Sở, làm trưởng đoàn, cùng Viện Nghiên cứu và Phát triển Vùng (Bộ Khoa học và Công nghệ) do TS. Nguyễn Đắc \
Bình Minh, Viện trưởng, dẫn đầu đã làm việc với thị xã Quảng Yên và thành phố Hạ Long về việc triển khai Nghị quyết \
07-NQ/TU của Tỉnh ủy về phát triển khoa học và công nghệ.

## Tại thị xã Quảng Yên

Đoàn nghe lãnh đạo thị xã báo cáo kết quả ứng dụng khoa học và công nghệ trong nuôi trồng thủy sản và nông nghiệp, \
và thăm Công ty TNHH thủy sản Minh Hàn (thôn 3, xã Hoàng Tân).

Giám đốc Sở đề nghị thị xã sớm **đề xuất các nhiệm vụ khoa học và công nghệ cấp bách**; các phòng chuyên môn của Sở \
phối hợp với Viện xây dựng kế hoạch và chương trình khung về khoa học và công nghệ cho thị xã.

## Tại thành phố Hạ Long

Đoàn thăm Công ty CP phát triển Agritech (khu 5, phường Hoành Bồ). Thành phố và Viện thống nhất cùng xây dựng \
**chương trình khung khoa học và công nghệ giai đoạn 5 năm**; Sở hỗ trợ các doanh nghiệp hoàn thiện hồ sơ đăng ký \
chứng nhận doanh nghiệp khoa học và công nghệ.

> Khoa học và công nghệ phải đi vào sản xuất, gắn với nhu cầu của từng địa phương và từng doanh nghiệp.

Các kết luận của đoàn công tác được theo dõi như những nhiệm vụ được giao trên hệ thống Tiến Độ.";

/// The two photos: (accent colour, caption, text alternative).
const PHOTOS: [([u8; 3], &str, &str); 2] = [
    (
        [178, 34, 34],
        "Giám đốc Sở KH&CN Hoàng Bá Nam và Viện trưởng Viện Nghiên cứu và Phát triển Vùng Nguyễn Đắc Bình Minh \
         làm việc với lãnh đạo thị xã Quảng Yên, ngày 27/02/2020.",
        "Ảnh minh họa vẽ tự động: trời xanh, đồi và biển; dải màu đỏ ở chân ảnh.",
    ),
    (
        [26, 95, 168],
        "Đoàn công tác thăm mô hình sản xuất của Công ty CP phát triển Agritech tại phường Hoành Bồ, thành phố Hạ Long.",
        "Ảnh minh họa vẽ tự động: trời xanh, đồi và biển; dải màu xanh ở chân ảnh.",
    ),
];

async fn org_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(directory::organization_by_name(db, name).await?.map(|o| o.id))
}

/// Loads the portal's demo data; `files` is the server's file store.
pub async fn seed(db: &Db, files: &FileStore) -> anyhow::Result<()> {
    let settings = PortalSettings {
        // The article of 2020 stays open for comments in the demo.
        close_after_days: 0,
        contact_address: "Số 1 đường Hồng Hà, phường Hồng Gai, tỉnh Quảng Ninh (dữ liệu mẫu)".to_owned(),
        contact_phone: "0203 3 000 000 (dữ liệu mẫu)".to_owned(),
        contact_email: "sokhcn@example.vn".to_owned(),
        licence_line: "Giấy phép thiết lập trang thông tin điện tử số 00/GP-TTĐT (dữ liệu mẫu)".to_owned(),
        responsible: "Giám đốc Sở Khoa học và Công nghệ".to_owned(),
        word_list: "# Danh sách mẫu\nlừa đảo\ncờ bạc*".to_owned(),
        badge_link: "https://tinnhiemmang.vn/".to_owned(),
        badge_alt: "Tín nhiệm mạng (biểu tượng mẫu)".to_owned(),
        ..PortalSettings::default()
    };
    let tx = db.begin().await?;
    let news = articles::create_category(&tx, "hoat-dong-cua-so", "Hoạt động của Sở", "Department news").await?;
    articles::create_category(&tx, "khoa-hoc-cong-nghe-dia-phuong", "Khoa học và công nghệ địa phương", "Local S&T")
        .await?;
    tx.commit().await?;

    let mut links = Vec::new();
    for name in [
        "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        "Viện Nghiên cứu và Phát triển Vùng",
        "UBND thị xã Quảng Yên",
        "UBND thành phố Hạ Long",
        "Công ty TNHH thủy sản Minh Hàn",
        "Công ty CP phát triển Agritech",
    ] {
        if let Some(id) = org_id(db, name).await? {
            links.push(("organization".to_owned(), id));
        }
    }
    let doc: Option<(i64,)> = db
        .fetch_optional(Query::new("SELECT id FROM legal_documents WHERE symbol LIKE '%07-NQ/TU%' ORDER BY id LIMIT 1"))
        .await?;
    if let Some((id,)) = doc {
        links.push(("document".to_owned(), id));
    }
    // The article is about the demo's working visit (loaded before the portal).
    let visit: Option<(i64,)> = db
        .fetch_optional(
            Query::new("SELECT id FROM visits WHERE title = $1 ORDER BY id LIMIT 1").bind(super::visits::TITLE),
        )
        .await?;
    if let Some((id,)) = visit {
        links.push(("visit".to_owned(), id));
    }
    let editor: Option<(i64, String)> =
        db.fetch_optional(Query::new("SELECT id, display_name FROM users WHERE username = 'bientap'")).await?;
    let moderator: Option<(i64,)> =
        db.fetch_optional(Query::new("SELECT id FROM users WHERE username = 'kiemduyet'")).await?;
    let author = Author { user_id: editor.as_ref().map(|e| e.0), name: "Phòng Quản lý khoa học".to_owned() };
    let who = Who { user_id: author.user_id, label: "bientap".to_owned(), ..Who::default() };

    let input = ArticleInput {
        slug: SLUG.to_owned(),
        title: "Sở Khoa học và Công nghệ cùng Viện Nghiên cứu và Phát triển Vùng làm việc với thị xã Quảng Yên và \
                thành phố Hạ Long"
            .to_owned(),
        summary: "Ngày 27/02/2020, Giám đốc Sở Khoa học và Công nghệ Hoàng Bá Nam cùng Viện Nghiên cứu và Phát triển \
                  Vùng làm việc với thị xã Quảng Yên và thành phố Hạ Long, thăm hai doanh nghiệp và thống nhất các \
                  chương trình khoa học và công nghệ cho từng địa phương."
            .to_owned(),
        body: BODY.to_owned(),
        body_html: render_article(BODY),
        tags: vec![
            "Quảng Yên".to_owned(),
            "Hạ Long".to_owned(),
            "doanh nghiệp KH&CN".to_owned(),
            "07-NQ/TU".to_owned(),
        ],
        category_id: Some(news),
        featured: true,
        comments_closed: false,
        premoderation: "site".to_owned(),
        links,
        is_sample: false,
    };
    let tx = db.begin().await?;
    let id = articles::create(&tx, &input, &author).await?;
    audit::append(&tx, &who, &NewEvent::new("article_create", "article", id, format!("Tạo bài «{}»", input.title)))
        .await?;
    tx.commit().await?;

    for (accent, caption, alt) in PHOTOS {
        let png = tiendo_export::photo::placeholder_png(1600, 1000, accent);
        let processed = tiendo_export::photo::process(&png).map_err(|e| anyhow!("demo photo: {e}"))?;
        let tx = db.begin().await?;
        let media_id = media::create(
            &tx,
            &media::NewMedia {
                purpose: "article",
                article_id: Some(id),
                caption,
                alt,
                width: i64::from(processed.width),
                height: i64::from(processed.height),
                format: "jpeg",
                uploaded_by: author.user_id,
            },
        )
        .await?;
        for v in &processed.variants {
            let sha = files.put(&v.bytes).await.context("write a demo photo")?;
            let size = i64::try_from(v.bytes.len()).unwrap_or(i64::MAX);
            let attachment = tiendo_db::files::record(
                &tx,
                &sha,
                size,
                processed.format.content_type(),
                &format!("{}.jpg", v.name),
                author.user_id,
            )
            .await?;
            media::add_variant(&tx, media_id, v.name, i64::from(v.width), i64::from(v.height), attachment.id).await?;
        }
        tx.commit().await?;
    }

    // The trust badge: a small image drawn in code as well.
    let badge_png = tiendo_export::photo::placeholder_png(240, 100, [20, 120, 60]);
    let badge = tiendo_export::photo::process(&badge_png).map_err(|e| anyhow!("demo badge: {e}"))?;
    let tx = db.begin().await?;
    let badge_id = media::create(
        &tx,
        &media::NewMedia {
            purpose: "badge",
            article_id: None,
            caption: "",
            alt: "Tín nhiệm mạng",
            width: i64::from(badge.width),
            height: i64::from(badge.height),
            format: "jpeg",
            uploaded_by: None,
        },
    )
    .await?;
    for v in &badge.variants {
        let sha = files.put(&v.bytes).await.context("write the demo badge")?;
        let size = i64::try_from(v.bytes.len()).unwrap_or(i64::MAX);
        let attachment =
            tiendo_db::files::record(&tx, &sha, size, badge.format.content_type(), "badge.jpg", None).await?;
        media::add_variant(&tx, badge_id, v.name, i64::from(v.width), i64::from(v.height), attachment.id).await?;
    }
    portal::save_settings(&tx, &PortalSettings { badge_media_id: Some(badge_id), ..settings }).await?;
    tx.commit().await?;

    // Reviewed and published the next morning.
    let published = Utc.with_ymd_and_hms(2020, 2, 28, 1, 30, 0).single().context("a valid time")?;
    let tx = db.begin().await?;
    articles::set_state(&tx, id, ArticleState::Published, None, published).await?;
    audit::append(
        &tx,
        &who,
        &NewEvent::new("article_publish", "article", id, format!("«{}»: in_review → published", input.title)),
    )
    .await?;
    let approved = comments::insert(
        &tx,
        &comments::NewComment {
            article_id: id,
            author_name: "Trần Thị Lan",
            author_email: None,
            body: "Mong sớm có chương trình hỗ trợ các hộ nuôi trồng thủy sản ở Quảng Yên ứng dụng công nghệ mới.",
            status: CommentStatus::Pending,
            word_match: None,
            ip: None,
            user_id: None,
            author_key: "demo",
            at: published + chrono::Duration::hours(5),
        },
    )
    .await?;
    comments::decide(&tx, approved, CommentStatus::Approved, moderator.map(|m| m.0)).await?;
    comments::insert(
        &tx,
        &comments::NewComment {
            article_id: id,
            author_name: "Nguyễn Văn Hùng",
            author_email: Some("hung@example.vn"),
            body: "Doanh nghiệp nhỏ có được hỗ trợ làm hồ sơ chứng nhận doanh nghiệp khoa học và công nghệ không?",
            status: CommentStatus::Pending,
            word_match: None,
            ip: None,
            user_id: None,
            author_key: "demo",
            at: published + chrono::Duration::days(1),
        },
    )
    .await?;
    portal::bump_stamp(&tx).await?;
    tx.commit().await?;
    Ok(())
}
