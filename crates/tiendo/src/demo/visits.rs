//! The working visit of the reference story (DESIGN.md §2): on 27/02/2020 the Director of the Sở, with the
//! Regional Research and Development Institute, works with thị xã Quảng Yên and thành phố Hạ Long and
//! visits two enterprises, Minh Hàn and Agritech. Its conclusions, one or two at each stop as the news
//! article tells them, become directives tracked in a plan under the action programme of Nghị quyết
//! 07-NQ/TU, and all of them were closed by the end of 2020: Quảng Yên proposes urgent S&T tasks (on
//! time), the Institute builds Quảng Yên's S&T plan and framework programme (six weeks late), Hạ Long
//! builds its five-year framework programme (on time, after asking how to fund it), and the Sở helps
//! Minh Hàn and Agritech apply as S&T enterprises (on time). The two photos of the article are the visit's.
//!
//! The visit, its members and conclusions are from the story; times, places, minutes, the decision forming
//! the delegation and the progress reports are invented and stored as sample data.
//!
//! [`record`] records a visit as the visit form does, for this one and the recent one (`super::recent`).

use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use tiendo_app::visits::{self as use_cases, NewConclusion, NewVisitFile, Upload};
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, MemberDraft, StopDraft, VisitDraft};
use tiendo_db::{Exec, Query, visits};

use super::story::{Doc, Report, Story, at_time, day};

/// The title of the demo visit, which tests look up.
pub const TITLE: &str = "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long về thực hiện Nghị quyết 07-NQ/TU";

/// The photos of the 2020 visit, which its news article carries too: (stop, accent colour, caption, text
/// alternative).
pub(super) const PHOTOS: [(usize, [u8; 3], &str, &str); 2] = [
    (
        0,
        [178, 34, 34],
        "Giám đốc Sở KH&CN Hoàng Bá Nam và Viện trưởng Viện Nghiên cứu và Phát triển Vùng Nguyễn Đắc Bình Minh \
         làm việc với lãnh đạo thị xã Quảng Yên, ngày 27/02/2020.",
        "Ảnh minh họa (dữ liệu mẫu): khung tranh và dòng chữ “Ảnh minh họa” trên nền đỏ nhạt.",
    ),
    (
        3,
        [26, 95, 168],
        "Đoàn công tác thăm mô hình sản xuất của Công ty CP phát triển Agritech tại phường Hoành Bồ, thành phố Hạ Long.",
        "Ảnh minh họa (dữ liệu mẫu): khung tranh và dòng chữ “Ảnh minh họa” trên nền xanh nhạt.",
    ),
];

/// A placeholder photo of the demo: an illustration that says so, with the visit's day.
pub(super) fn photo(accent: [u8; 3], on: NaiveDate) -> Vec<u8> {
    let note = format!("Dữ liệu mẫu · Đoàn công tác ngày {}", tiendo_core::fmt::date(on));
    tiendo_export::placeholder::illustration_png(1200, 750, accent, &note)
}

async fn person(ex: &impl Exec, name: &str) -> anyhow::Result<i64> {
    let row: Option<(i64,)> = ex
        .fetch_optional(Query::new("SELECT id FROM people WHERE full_name = $1 ORDER BY id LIMIT 1").bind(name))
        .await?;
    row.map(|(id,)| id).ok_or_else(|| anyhow!("the demo directory has no person named {name}"))
}

/// The delegation: (name, organisation, role code).
pub(super) type Member<'a> = (&'a str, i64, &'a str);

/// A stop: (time, host, place, agenda, minutes, assessment), all on the visit's day.
pub(super) type StopRow<'a> = (&'a str, i64, &'a str, &'a str, &'a str, &'a str);

/// A conclusion with its one directive.
pub(super) struct Conclusion<'a> {
    /// The stop (its index in the visit's stops), or none for the whole visit.
    pub(super) stop: Option<usize>,
    pub(super) text: &'a str,
    pub(super) product: &'a str,
    pub(super) lead: i64,
    pub(super) coordinators: Vec<i64>,
    pub(super) deadline: Deadline,
    pub(super) priority: &'a str,
}

/// A visit of the story, as the officer records it.
pub(super) struct Visit<'a> {
    pub(super) title: &'a str,
    pub(super) purpose: &'a str,
    pub(super) assessment: &'a str,
    pub(super) organizer: i64,
    pub(super) parent_plan: Option<i64>,
    /// The decision forming the delegation, registered the day it is signed.
    pub(super) decision: Doc<'a>,
    pub(super) on: NaiveDate,
    pub(super) members: Vec<Member<'a>>,
    pub(super) stops: Vec<StopRow<'a>>,
    pub(super) conclusions: Vec<Conclusion<'a>>,
    /// When the secretary recorded the conclusions and the photos.
    pub(super) recorded: DateTime<Utc>,
    /// (stop index, accent colour, caption, text alternative).
    pub(super) photos: Vec<(usize, [u8; 3], &'a str, &'a str)>,
}

/// Records a visit through the use cases of the visit form, each step on its day by the officer: the
/// decision forming the delegation (registered), the visit with its delegation and stops (when the
/// decision is signed), then its conclusions and photos; the visit's id and its directives' ids in the
/// order of the conclusions.
pub(super) async fn record(s: &Story, v: Visit<'_>) -> anyhow::Result<(i64, Vec<i64>)> {
    let db = s.app.db();
    let decided = v.decision.issued_on.unwrap_or(v.on);
    let decision = s.document(v.decision, decided).await?;
    let mut members = Vec::new();
    for (name, org, role) in &v.members {
        members.push(MemberDraft {
            name: (*name).to_owned(),
            person_id: person(db, name).await?.to_string(),
            role: (*role).to_owned(),
            organization_id: org.to_string(),
        });
    }
    let date = tiendo_core::fmt::date(v.on);
    let stops = v
        .stops
        .iter()
        .map(|(time, host, place, agenda, minutes, assessment)| StopDraft {
            id: String::new(),
            date: date.clone(),
            time: (*time).to_owned(),
            place: (*place).to_owned(),
            host_id: host.to_string(),
            agenda: (*agenda).to_owned(),
            minutes: (*minutes).to_owned(),
            assessment: (*assessment).to_owned(),
        })
        .collect();
    let draft = VisitDraft {
        title: v.title.to_owned(),
        purpose: v.purpose.to_owned(),
        organizer_id: v.organizer.to_string(),
        legal_basis_id: decision.to_string(),
        parent_plan_id: v.parent_plan.map(|p| p.to_string()).unwrap_or_default(),
        starts_on: date.clone(),
        ends_on: date,
        assessment: v.assessment.to_owned(),
        members,
        stops,
    };
    let officer = s.officer().await?;
    let visit_id = use_cases::create_sample(&s.at(super::story::at(decided))?, &officer, &draft)
        .await
        .map_err(|e| anyhow!("the demo visit {} is refused: {e:?}", v.title))?;
    let stop_ids: Vec<i64> = visits::stops(db, visit_id).await?.into_iter().map(|s| s.id).collect();
    let stop_id = |i: usize| stop_ids.get(i).copied().ok_or_else(|| anyhow!("the visit has no stop {i}"));
    let recorded = s.at(v.recorded)?;
    for c in &v.conclusions {
        let input = NewConclusion {
            stop_id: c.stop.map(stop_id).transpose()?,
            conclusion: ConclusionDraft { text: c.text.to_owned(), expected_product: c.product.to_owned() },
            directives: vec![DirectiveDraft {
                lead_id: Some(c.lead),
                coordinators: c.coordinators.clone(),
                deadline: Some(c.deadline),
                priority: c.priority.to_owned(),
            }],
        };
        use_cases::add_conclusion(&recorded, &officer, visit_id, &input)
            .await
            .map_err(|e| anyhow!("a conclusion of the demo visit is refused: {e:?}"))?;
    }
    for (stop, accent, caption, alt) in &v.photos {
        let file = NewVisitFile {
            kind: "photo".to_owned(),
            caption: (*caption).to_owned(),
            alt: (*alt).to_owned(),
            stop_id: stop_id(*stop)?.to_string(),
            file: Some(Upload { name: "anh-minh-hoa.png".to_owned(), bytes: photo(*accent, v.on) }),
            received_problems: Vec::new(),
        };
        use_cases::add_file(&recorded, &officer, visit_id, file)
            .await
            .map_err(|e| anyhow!("a photo of the demo visit is refused: {e:?}"))?;
    }
    let ids = visits::directives(db, visit_id).await?.into_iter().map(|row| row.id).collect();
    Ok((visit_id, ids))
}

/// Loads the visit (after monitoring: its plan follows up the action programme of 07-NQ/TU).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    visit(s).await.context("the working visit of 27/02/2020")
}

async fn visit(s: &Story) -> anyhow::Result<()> {
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let science = s.org("Phòng Quản lý khoa học")?;
    let institute = s.org("Viện Nghiên cứu và Phát triển Vùng")?;
    let quang_yen = s.org("UBND thị xã Quảng Yên")?;
    let ha_long = s.org("UBND thành phố Hạ Long")?;
    let minh_han = s.org("Công ty TNHH thủy sản Minh Hàn")?;
    let agritech = s.org("Công ty CP phát triển Agritech")?;
    let programme: (i64,) = s
        .app
        .db()
        .fetch_one(Query::new("SELECT id FROM plans WHERE title = $1").bind(super::monitoring::PROGRAMME))
        .await?;
    let on = day(2020, 2, 27);
    let visit = Visit {
        title: TITLE,
        purpose: "Kiểm tra tình hình triển khai Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ; nắm bắt nhu cầu ứng dụng khoa học và công nghệ của địa phương và doanh nghiệp; thống nhất các nhiệm vụ phối hợp với Viện Nghiên cứu và Phát triển Vùng.",
        assessment: "Hai địa phương đã triển khai Nghị quyết 07-NQ/TU nghiêm túc; các doanh nghiệp có nhu cầu đổi mới công nghệ rõ rệt. Cần gắn các nhiệm vụ khoa học và công nghệ với nhu cầu thực tế của địa phương và doanh nghiệp.",
        organizer: so,
        parent_plan: Some(programme.0),
        decision: Doc {
            symbol: "Số: 35/QĐ-SKHCN",
            issuer: Some(so),
            issued_on: Some(day(2020, 2, 20)),
            party_term: None,
            signer: Some("Hoàng Bá Nam"),
            summary: "Về việc thành lập đoàn công tác làm việc tại thị xã Quảng Yên và thành phố Hạ Long",
            implements: None,
            is_sample: true,
        },
        on,
        members: vec![
            ("Hoàng Bá Nam", so, "leader"),
            ("Nguyễn Đắc Bình Minh", institute, "member"),
            ("Ngô Đức Thắng", science, "member"),
            ("Phạm Thu Trang", science, "secretary"),
        ],
        stops: vec![
            (
                "08:00",
                quang_yen,
                "Trụ sở UBND thị xã Quảng Yên",
                "UBND thị xã báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; thảo luận nhu cầu ứng dụng khoa học và công nghệ trong nuôi trồng thủy sản và du lịch.",
                "Thành phần: lãnh đạo UBND thị xã, các phòng chuyên môn. UBND thị xã báo cáo kết quả 03 năm thực hiện Nghị quyết; Viện trình bày kinh nghiệm xây dựng chương trình khung khoa học và công nghệ cho địa phương.",
                "Thị xã đã quan tâm ứng dụng tiến bộ khoa học và công nghệ vào sản xuất nông nghiệp và thủy sản; một số mô hình bước đầu mang lại hiệu quả.",
            ),
            (
                "10:00",
                minh_han,
                "Thôn 3, xã Hoàng Tân",
                "Thăm cơ sở nuôi trồng thủy sản ứng dụng công nghệ cao.",
                "Doanh nghiệp giới thiệu quy trình nuôi tôm tuần hoàn và nhu cầu được hỗ trợ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ.",
                "Doanh nghiệp đã ứng dụng công nghệ nuôi tuần hoàn, có kết quả KH&CN có thể làm căn cứ đề nghị chứng nhận doanh nghiệp khoa học và công nghệ.",
            ),
            (
                "14:00",
                ha_long,
                "Trụ sở UBND thành phố Hạ Long",
                "UBND thành phố báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; định hướng chương trình khoa học và công nghệ giai đoạn 2021–2025.",
                "Thành phần: lãnh đạo UBND thành phố, các phòng chuyên môn. Thành phố đề nghị Viện phối hợp xây dựng chương trình khung 5 năm.",
                "Thành phố có nhiều tiềm năng ứng dụng khoa học và công nghệ trong quản lý đô thị và du lịch; cần một chương trình khung dài hạn.",
            ),
            (
                "16:00",
                agritech,
                "Khu 5, phường Hoành Bồ",
                "Thăm mô hình sản xuất nông nghiệp ứng dụng công nghệ sinh học.",
                "Doanh nghiệp giới thiệu các sản phẩm chế phẩm sinh học và đề nghị được hướng dẫn thủ tục chứng nhận doanh nghiệp khoa học và công nghệ.",
                "Mô hình chế phẩm sinh học của doanh nghiệp có tiềm năng nhân rộng; doanh nghiệp cần được hướng dẫn hoàn thiện hồ sơ chứng nhận.",
            ),
        ],
        conclusions: vec![
            Conclusion {
                stop: Some(0),
                text: "Đề xuất các nhiệm vụ khoa học và công nghệ cấp bách của thị xã Quảng Yên",
                product: "Danh mục nhiệm vụ cấp bách",
                lead: quang_yen,
                coordinators: vec![],
                deadline: Deadline::Fixed { date: day(2020, 4, 30) },
                priority: "high",
            },
            Conclusion {
                stop: Some(0),
                text: "Xây dựng kế hoạch khoa học và công nghệ và chương trình khung cho thị xã Quảng Yên",
                product: "Kế hoạch và chương trình khung được phê duyệt",
                lead: institute,
                coordinators: vec![science, quang_yen],
                deadline: Deadline::Fixed { date: day(2020, 9, 30) },
                priority: "normal",
            },
            Conclusion {
                stop: Some(1),
                text: "Hỗ trợ Công ty TNHH thủy sản Minh Hàn hoàn thiện hồ sơ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ",
                product: "Hồ sơ đề nghị chứng nhận của doanh nghiệp",
                lead: so,
                coordinators: vec![quang_yen],
                deadline: Deadline::Fixed { date: day(2020, 9, 30) },
                priority: "normal",
            },
            Conclusion {
                stop: Some(2),
                text: "Xây dựng chương trình khung khoa học và công nghệ giai đoạn 5 năm của thành phố Hạ Long",
                product: "Chương trình khung giai đoạn 2021–2025",
                lead: ha_long,
                coordinators: vec![institute],
                deadline: Deadline::Fixed { date: day(2020, 12, 31) },
                priority: "normal",
            },
            Conclusion {
                stop: Some(3),
                text: "Hướng dẫn Công ty CP phát triển Agritech thủ tục và hồ sơ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ",
                product: "Hồ sơ đề nghị chứng nhận của doanh nghiệp",
                lead: so,
                coordinators: vec![ha_long],
                deadline: Deadline::Fixed { date: day(2020, 12, 31) },
                priority: "normal",
            },
        ],
        // The secretary records the conclusions and the photos on the evening of the visit.
        recorded: at_time(on, 17, 30),
        photos: PHOTOS.to_vec(),
    };
    let (_, ids) = record(s, visit).await?;
    progress(s, &ids, [quang_yen, institute, so, ha_long, so]).await
}

/// The progress reported on the directives, each as its lead wrote it; all closed by the end of 2020,
/// the Institute's six weeks late.
async fn progress(s: &Story, ids: &[i64], leads: [i64; 5]) -> anyhow::Result<()> {
    let [quang_yen, institute, so, ha_long, _] = leads;
    // Quảng Yên proposes its urgent tasks before the deadline.
    s.report(
        ids[0],
        quang_yen,
        Report::done(
            day(2020, 4, 20),
            "Đã gửi Sở KH&CN 04 đề xuất nhiệm vụ cấp bách về nuôi trồng thủy sản và du lịch.",
        ),
    )
    .await?;
    // The Institute's programme for Quảng Yên, approved six weeks late.
    s.report(
        ids[1],
        institute,
        Report::accepted(day(2020, 7, 15), 50, "Đã khảo sát, hoàn thành dự thảo khung chương trình."),
    )
    .await?;
    s.report(ids[1], institute, Report::done(day(2020, 11, 10), "Chương trình khung đã được UBND thị xã phê duyệt."))
        .await?;
    // Minh Hàn files its application with the Sở's help.
    s.report(
        ids[2],
        so,
        Report::done(
            day(2020, 9, 15),
            "Công ty TNHH thủy sản Minh Hàn đã hoàn thiện và nộp hồ sơ đề nghị chứng nhận doanh nghiệp khoa học và công nghệ.",
        ),
    )
    .await?;
    // Hạ Long's five-year programme: stalled over its funding, then approved before the year's end.
    s.report(
        ids[3],
        ha_long,
        Report {
            difficulties: Some("Chưa bố trí được kinh phí thuê chuyên gia."),
            recommendations: Some("Đề nghị Sở KH&CN hướng dẫn nguồn kinh phí sự nghiệp KH&CN."),
            ..Report::accepted(
                day(2020, 10, 5),
                40,
                "Đã thành lập tổ xây dựng chương trình, phối hợp với Viện khảo sát nhu cầu.",
            )
        },
    )
    .await?;
    s.report(
        ids[3],
        ha_long,
        Report::done(
            day(2020, 12, 22),
            "UBND thành phố đã phê duyệt Chương trình khung khoa học và công nghệ giai đoạn 2021–2025 (kinh phí sự nghiệp KH&CN theo hướng dẫn của Sở).",
        ),
    )
    .await?;
    // Agritech's application, guided by the Sở.
    s.report(
        ids[4],
        so,
        Report {
            decided_after: 5,
            ..Report::done(
                day(2020, 12, 15),
                "Công ty CP phát triển Agritech đã nộp hồ sơ đề nghị chứng nhận doanh nghiệp khoa học và công nghệ.",
            )
        },
    )
    .await?;
    Ok(())
}
