//! The portal part of the reference story: the news article about the working visit of 27/02/2020 (the
//! seed of the project), telling what was agreed at each stop, with the visit's two photos (illustrations
//! that say so) and their captions, published, with one approved and one pending comment; the categories
//! and the footer with a trust badge drawn as a badge. Then the editor's week: an article sent for review
//! two days ago, and the draft about the recent visit started yesterday. Every step is a use case of
//! `tiendo_app::portal`, taken by the person who took it, on the day it happened.

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use tiendo_app::Session;
use tiendo_app::portal::articles::{self, ArticleForm, NewCategory};
use tiendo_app::portal::comments::Outcome;
use tiendo_app::portal::media::{NewPhoto, Upload};
use tiendo_app::portal::settings::FooterChange;
use tiendo_core::lang::Lang;
use tiendo_core::portal::{ArticleAction, ArticleDraft, CommentDraft, ModerationDecision, PortalSettings};
use tiendo_db::{Db, Exec, Query, directory};

use super::story::{Story, at_time};

/// The slug of the demo article.
pub const SLUG: &str = "so-khcn-lam-viec-voi-thi-xa-quang-yen-va-thanh-pho-ha-long";

const BODY: &str = "Ngày 27/02/2020, đoàn công tác của Sở Khoa học và Công nghệ tỉnh Quảng Ninh do ông Hoàng Bá Nam, \
Giám đốc Sở, làm trưởng đoàn, cùng Viện Nghiên cứu và Phát triển Vùng (Bộ Khoa học và Công nghệ) do TS. Nguyễn Đắc \
Bình Minh, Viện trưởng, dẫn đầu đã làm việc với thị xã Quảng Yên và thành phố Hạ Long về việc triển khai Nghị quyết \
07-NQ/TU của Tỉnh ủy về phát triển khoa học và công nghệ.

## Tại thị xã Quảng Yên

Đoàn nghe lãnh đạo thị xã báo cáo kết quả ứng dụng khoa học và công nghệ trong nuôi trồng thủy sản và nông nghiệp. \
Giám đốc Sở đề nghị thị xã sớm **đề xuất các nhiệm vụ khoa học và công nghệ cấp bách**; Viện phối hợp với các \
phòng chuyên môn của Sở xây dựng kế hoạch và chương trình khung về khoa học và công nghệ cho thị xã.

Tại Công ty TNHH thủy sản Minh Hàn (thôn 3, xã Hoàng Tân), đoàn thăm cơ sở nuôi tôm tuần hoàn; Sở sẽ **hỗ trợ \
doanh nghiệp hoàn thiện hồ sơ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ**.

## Tại thành phố Hạ Long

Thành phố và Viện thống nhất cùng xây dựng **chương trình khung khoa học và công nghệ giai đoạn 5 năm**. Tại Công ty \
CP phát triển Agritech (khu 5, phường Hoành Bồ), đoàn thăm mô hình chế phẩm sinh học; Sở sẽ **hướng dẫn doanh \
nghiệp thủ tục chứng nhận doanh nghiệp khoa học và công nghệ**.

> Khoa học và công nghệ phải đi vào sản xuất, gắn với nhu cầu của từng địa phương và từng doanh nghiệp.

Các kết luận của đoàn công tác được theo dõi như những nhiệm vụ được giao trên hệ thống Tiến Độ.";

async fn org_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(directory::organization_by_name(db, name).await?.map(|o| o.id))
}

/// The session of a demo account, as the person acting; `byline` replaces its name where the step signs
/// as a division rather than a person.
async fn session_of(db: &Db, username: &str, byline: Option<&str>) -> anyhow::Result<Session> {
    let mut session = super::story::account(db, username).await?;
    if let (Some(user), Some(byline)) = (session.user.as_mut(), byline) {
        user.display_name = byline.to_owned();
    }
    Ok(session)
}

/// An instant in Vietnam time on a day of the story.
fn vn(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> anyhow::Result<DateTime<Utc>> {
    tiendo_core::time::vietnam_offset()
        .with_ymd_and_hms(y, m, d, hour, minute, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .context("a valid time")
}

/// A reader of the portal (a documentation address, so that the comment guards count it apart).
fn reader(ip: &str) -> Session {
    Session::public(Some(ip.to_owned()), None)
}

/// Loads the portal's demo data (after the visits).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    let app = s.app.clone();
    let db = app.db();
    // The article is signed by the division that wrote it.
    let editor = session_of(db, "bientap", Some("Phòng Quản lý khoa học")).await?;
    let moderator = session_of(db, "kiemduyet", None).await?;
    let admin = session_of(db, "quantri", None).await?;

    // The site as it was set up: moderation (the article of 2020 stays open for comments in the demo) and
    // the footer with sample contact details and a trust badge drawn in code.
    let setup = app.at(vn(2020, 2, 20, 9, 0)?);
    let moderation = PortalSettings {
        close_after_days: 0,
        word_list: "# Danh sách mẫu\nlừa đảo\ncờ bạc*".to_owned(),
        ..PortalSettings::default()
    };
    tiendo_app::portal::settings::save_moderation(&setup, &moderator, &moderation.moderation_form()).await?;
    let footer = PortalSettings {
        contact_address: "Số 1 đường Hồng Hà, phường Hồng Gai, tỉnh Quảng Ninh (dữ liệu mẫu)".to_owned(),
        contact_phone: "0203 3 000 000 (dữ liệu mẫu)".to_owned(),
        contact_email: "sokhcn@example.vn".to_owned(),
        licence_line: "Giấy phép thiết lập trang thông tin điện tử số 00/GP-TTĐT (dữ liệu mẫu)".to_owned(),
        responsible: "Giám đốc Sở Khoa học và Công nghệ".to_owned(),
        badge_link: "https://tinnhiemmang.vn/".to_owned(),
        badge_alt: "Tín nhiệm mạng (biểu tượng mẫu)".to_owned(),
        ..PortalSettings::default()
    };
    let badge = Upload::File(tiendo_export::placeholder::badge_png(
        360,
        120,
        [20, 120, 60],
        "Tín nhiệm mạng",
        "Biểu tượng mẫu",
    ));
    let change = FooterChange { form: footer.footer_form(), badge, remove_badge: false };
    tiendo_app::portal::settings::save_footer(&setup, &admin, change).await?;
    let category = |name_vi: &str, name_en: &str, slug: &str| NewCategory {
        name_vi: name_vi.to_owned(),
        name_en: name_en.to_owned(),
        slug: slug.to_owned(),
    };
    let news = articles::create_category(
        &setup,
        &editor,
        &category("Hoạt động của Sở", "Department news", "hoat-dong-cua-so"),
    )
    .await?;
    articles::create_category(
        &setup,
        &editor,
        &category("Khoa học và công nghệ địa phương", "Local S&T", "khoa-hoc-cong-nghe-dia-phuong"),
    )
    .await?;

    let mut organizations = Vec::new();
    for name in [
        "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        "Viện Nghiên cứu và Phát triển Vùng",
        "UBND thị xã Quảng Yên",
        "UBND thành phố Hạ Long",
        "Công ty TNHH thủy sản Minh Hàn",
        "Công ty CP phát triển Agritech",
    ] {
        organizations.extend(org_id(db, name).await?);
    }
    let doc: Option<(i64,)> = db
        .fetch_optional(Query::new("SELECT id FROM legal_documents WHERE symbol LIKE '%07-NQ/TU%' ORDER BY id LIMIT 1"))
        .await?;
    // The article is about the demo's working visit (loaded before the portal).
    let visit: Option<(i64,)> = db
        .fetch_optional(
            Query::new("SELECT id FROM visits WHERE title = $1 ORDER BY id LIMIT 1").bind(super::visits::TITLE),
        )
        .await?;

    // Written on the evening of the visit, with its two photos.
    let written = app.at(vn(2020, 2, 27, 19, 0)?);
    let form = ArticleForm {
        draft: ArticleDraft {
            title: "Sở Khoa học và Công nghệ cùng Viện Nghiên cứu và Phát triển Vùng làm việc với thị xã Quảng Yên \
                    và thành phố Hạ Long"
                .to_owned(),
            slug: SLUG.to_owned(),
            summary: "Ngày 27/02/2020, Giám đốc Sở Khoa học và Công nghệ Hoàng Bá Nam cùng Viện Nghiên cứu và Phát \
                      triển Vùng làm việc với thị xã Quảng Yên và thành phố Hạ Long, thăm hai doanh nghiệp và thống \
                      nhất các chương trình khoa học và công nghệ cho từng địa phương."
                .to_owned(),
            body: BODY.to_owned(),
            tags: "Quảng Yên, Hạ Long, doanh nghiệp KH&CN, 07-NQ/TU".to_owned(),
        },
        category_id: Some(news),
        featured: true,
        premoderation: "site".to_owned(),
        organizations,
        documents: doc.into_iter().map(|(id,)| id).collect(),
        visits: visit.into_iter().map(|(id,)| id).collect(),
        ..ArticleForm::default()
    };
    let id = articles::create(&written, &editor, &form).await?.id;
    for (_, accent, caption, alt) in super::visits::PHOTOS {
        let photo = Upload::File(super::visits::photo(accent, super::story::day(2020, 2, 27)));
        let new = NewPhoto { photo, caption: caption.to_owned(), alt: alt.to_owned() };
        tiendo_app::portal::media::add_to_article(&written, &editor, id, new).await?;
    }
    articles::transition(&written, &editor, id, ArticleAction::Submit, None).await?;

    // Reviewed and published the next morning.
    let published = vn(2020, 2, 28, 8, 30)?;
    articles::transition(&app.at(published), &editor, id, ArticleAction::Publish, None).await?;

    // A reader's comment, approved by the moderator; another one still waiting (sign in as `kiemduyet`).
    let draft = |name: &str, email: &str, text: &str| CommentDraft {
        name: name.to_owned(),
        email: email.to_owned(),
        text: text.to_owned(),
    };
    let first = draft(
        "Trần Thị Lan",
        "",
        "Mong sớm có chương trình hỗ trợ các hộ nuôi trồng thủy sản ở Quảng Yên ứng dụng công nghệ mới.",
    );
    let at = app.at(published + Duration::hours(5));
    let Outcome::Posted(approved) =
        tiendo_app::portal::comments::post(&at, &reader("203.0.113.27"), id, &first, "").await?
    else {
        anyhow::bail!("the demo comment was not stored");
    };
    let decided = app.at(published + Duration::hours(6));
    tiendo_app::portal::moderation::decide(&decided, &moderator, &[approved.id], ModerationDecision::Approve).await?;
    let second = draft(
        "Nguyễn Văn Hùng",
        "hung@example.vn",
        "Doanh nghiệp nhỏ có được hỗ trợ làm hồ sơ chứng nhận doanh nghiệp khoa học và công nghệ không?",
    );
    tiendo_app::portal::comments::post(
        &app.at(published + Duration::days(1)),
        &reader("203.0.113.28"),
        id,
        &second,
        "",
    )
    .await?;
    editors_week(s, news, &editor).await.context("the editor's week")
}

/// The editor's week, relative to the day the demo is loaded: an article on the wards' digital platform
/// sent for review two days ago (the leader or an editor publishes it), and the draft about the recent
/// visit started yesterday from the visit's page.
async fn editors_week(s: &Story, category: i64, editor: &Session) -> anyhow::Result<()> {
    let today = s.today;
    let written = at_time(today - Duration::days(3), 15, 0);
    let form = ArticleForm {
        draft: ArticleDraft {
            title: "Các phường vận hành nền tảng số tại bộ phận một cửa".to_owned(),
            slug: String::new(),
            summary: "Năm phường của tỉnh Quảng Ninh đã đưa nền tảng số vào phục vụ người dân tại bộ phận một cửa, \
                      theo Kế hoạch thực hiện Nghị quyết 57-NQ/TW."
                .to_owned(),
            body: "Theo Kế hoạch 128/KH-UBND thực hiện Nghị quyết 57-NQ/TW, mười phường được giao triển khai nền tảng \
                   số tại bộ phận một cửa. Đến nay năm phường đã vận hành; người dân tra cứu tình trạng hồ sơ trực \
                   tuyến.\n\nCác phường còn lại đang vận hành thử và hoàn thiện đường truyền.\n\n*(Dữ liệu mẫu.)*"
                .to_owned(),
            tags: "chuyển đổi số, một cửa, 57-NQ/TW".to_owned(),
        },
        category_id: Some(category),
        premoderation: "site".to_owned(),
        ..ArticleForm::default()
    };
    let id = articles::create(&s.at(written)?, editor, &form).await?.id;
    let sent = written + Duration::days(1);
    articles::transition(&s.at(sent)?, editor, id, ArticleAction::Submit, None).await?;
    let visit: Option<(i64,)> = s
        .app
        .db()
        .fetch_optional(Query::new("SELECT id FROM visits WHERE title = $1").bind(super::recent::TITLE))
        .await?;
    if let Some((visit,)) = visit {
        let started = at_time(today - Duration::days(1), 16, 0);
        articles::draft_from_visit(&s.at(started)?, editor, visit, Lang::Vi).await?;
    }
    Ok(())
}
