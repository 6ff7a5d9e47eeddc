//! The working visit of the reference story (DESIGN.md §2): on 27/02/2020 the Director of the Sở, with the
//! Regional Research and Development Institute, works with thị xã Quảng Yên and thành phố Hạ Long and
//! visits two enterprises, Minh Hàn and Agritech. Its conclusions become directives tracked in a plan under
//! the action programme of Nghị quyết 07-NQ/TU: Quảng Yên proposes urgent S&T tasks (done on time), the
//! Institute builds Quảng Yên's S&T plan and framework programme (done late), Hạ Long builds its five-year
//! framework programme (still open, overdue), and the Sở helps the enterprises apply as S&T enterprises
//! (done on time).
//!
//! The visit, its members and conclusions are from the story; times, places, minutes, the decision forming
//! the delegation and the progress reports are invented and stored as sample data.

use anyhow::{Context, anyhow};
use tiendo_app::visits::{self as use_cases, NewConclusion};
use tiendo_app::{App, Session, SessionUser};
use tiendo_core::authz::Actor;
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, MemberDraft, StopDraft, VisitDraft};
use tiendo_db::visits;
use tiendo_db::{Exec, Query, identity};

use super::monitoring::{Report, Story, at, day, lookup};

/// The title of the demo visit, which tests look up.
pub const TITLE: &str = "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long về thực hiện Nghị quyết 07-NQ/TU";

async fn id_of(ex: &impl Exec, sql: &'static str, key: &str) -> anyhow::Result<i64> {
    let row: Option<(i64,)> = ex.fetch_optional(Query::new(sql).bind(key)).await?;
    row.map(|(id,)| id).ok_or_else(|| anyhow!("the demo has no {key}"))
}

async fn person(ex: &impl Exec, name: &str) -> anyhow::Result<i64> {
    let row: Option<(i64,)> = ex
        .fetch_optional(Query::new("SELECT id FROM people WHERE full_name = $1 ORDER BY id LIMIT 1").bind(name))
        .await?;
    row.map(|(id,)| id).ok_or_else(|| anyhow!("the demo directory has no person named {name}"))
}

/// The session of a demo account, acting as the person who took each step of the story.
async fn session_of(app: &App, username: &str) -> anyhow::Result<Session> {
    let (user, _) = identity::user_for_login(app.db(), username)
        .await?
        .ok_or_else(|| anyhow!("the demo has no account {username}"))?;
    let grants = identity::grants(app.db(), user.id).await?.iter().filter_map(identity::GrantRow::grant).collect();
    let session_user = SessionUser {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        organization_id: user.organization_id,
    };
    Ok(Session::as_user(session_user, Actor::user(user.id, grants)))
}

/// A directive of the story.
struct Directive<'a> {
    stop: Option<i64>,
    text: &'a str,
    product: &'a str,
    lead: i64,
    coordinators: Vec<i64>,
    deadline: Deadline,
    priority: &'a str,
}

/// Loads the visit (after monitoring: its plan follows up the action programme of 07-NQ/TU). The officer
/// records it as the visit form does, on the days it happened; the decision forming the delegation and
/// the progress reports are monitoring's records, written as its story writes them.
pub async fn seed(app: &App) -> anyhow::Result<()> {
    visit(app).await.context("the working visit of 27/02/2020")
}

async fn visit(app: &App) -> anyhow::Result<()> {
    let db = app.db();
    let (orgs, users) = lookup(db).await?;
    let org = |name: &str| {
        orgs.get(name).copied().ok_or_else(|| anyhow!("the demo directory has no organisation named {name}"))
    };
    let so = org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let science = org("Phòng Quản lý khoa học")?;
    let institute = org("Viện Nghiên cứu và Phát triển Vùng")?;
    let quang_yen = org("UBND thị xã Quảng Yên")?;
    let ha_long = org("UBND thành phố Hạ Long")?;
    let minh_han = org("Công ty TNHH thủy sản Minh Hàn")?;
    let agritech = org("Công ty CP phát triển Agritech")?;
    let programme = id_of(
        db,
        "SELECT id FROM plans WHERE title = $1",
        "Chương trình hành động thực hiện Nghị quyết 07-NQ/TU giai đoạn 2017–2020",
    )
    .await?;
    let on = day(2020, 2, 27);
    // The decision forming the delegation and the progress reports are monitoring's records, written
    // through its use cases as its story writes them.
    let story = Story { app: app.clone(), orgs: orgs.clone(), users: users.clone() };
    let decision = story
        .document(
            "Số: 35/QĐ-SKHCN",
            Some(so),
            Some(day(2020, 2, 20)),
            None,
            Some("Hoàng Bá Nam"),
            "Về việc thành lập đoàn công tác làm việc tại thị xã Quảng Yên và thành phố Hạ Long",
            None,
            true,
        )
        .await?;

    let mut members = Vec::new();
    for (name, org, role) in [
        ("Hoàng Bá Nam", so, "leader"),
        ("Nguyễn Đắc Bình Minh", institute, "member"),
        ("Ngô Đức Thắng", science, "member"),
        ("Phạm Thu Trang", science, "secretary"),
    ] {
        members.push(MemberDraft {
            name: name.to_owned(),
            person_id: person(db, name).await?.to_string(),
            role: role.to_owned(),
            organization_id: org.to_string(),
        });
    }
    let stop = |time: &str, host: i64, place: &str, agenda: &str, minutes: &str, assessment: &str| StopDraft {
        id: String::new(),
        date: tiendo_core::fmt::date(on),
        time: time.to_owned(),
        place: place.to_owned(),
        host_id: host.to_string(),
        agenda: agenda.to_owned(),
        minutes: minutes.to_owned(),
        assessment: assessment.to_owned(),
    };
    let stops = vec![
        stop(
            "08:00",
            quang_yen,
            "Trụ sở UBND thị xã Quảng Yên",
            "UBND thị xã báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; thảo luận nhu cầu ứng dụng khoa học và công nghệ trong nuôi trồng thủy sản và du lịch.",
            "Thành phần: lãnh đạo UBND thị xã, các phòng chuyên môn. UBND thị xã báo cáo kết quả 03 năm thực hiện Nghị quyết; Viện trình bày kinh nghiệm xây dựng chương trình khung khoa học và công nghệ cho địa phương.",
            "Thị xã đã quan tâm ứng dụng tiến bộ khoa học và công nghệ vào sản xuất nông nghiệp và thủy sản; một số mô hình bước đầu mang lại hiệu quả.",
        ),
        stop(
            "10:00",
            minh_han,
            "Thôn 3, xã Hoàng Tân",
            "Thăm cơ sở nuôi trồng thủy sản ứng dụng công nghệ cao.",
            "Doanh nghiệp giới thiệu quy trình nuôi tôm tuần hoàn và nhu cầu được hỗ trợ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ.",
            "",
        ),
        stop(
            "14:00",
            ha_long,
            "Trụ sở UBND thành phố Hạ Long",
            "UBND thành phố báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; định hướng chương trình khoa học và công nghệ giai đoạn 2021–2025.",
            "Thành phần: lãnh đạo UBND thành phố, các phòng chuyên môn. Thành phố đề nghị Viện phối hợp xây dựng chương trình khung 5 năm.",
            "Thành phố có nhiều tiềm năng ứng dụng khoa học và công nghệ trong quản lý đô thị và du lịch; cần một chương trình khung dài hạn.",
        ),
        stop(
            "16:00",
            agritech,
            "Khu 5, phường Hoành Bồ",
            "Thăm mô hình sản xuất nông nghiệp ứng dụng công nghệ sinh học.",
            "Doanh nghiệp giới thiệu các sản phẩm chế phẩm sinh học và đề nghị được hướng dẫn thủ tục chứng nhận doanh nghiệp khoa học và công nghệ.",
            "",
        ),
    ];
    let draft = VisitDraft {
        title: TITLE.to_owned(),
        purpose: "Kiểm tra tình hình triển khai Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ; nắm bắt nhu cầu ứng dụng khoa học và công nghệ của địa phương và doanh nghiệp; thống nhất các nhiệm vụ phối hợp với Viện Nghiên cứu và Phát triển Vùng.".to_owned(),
        organizer_id: so.to_string(),
        legal_basis_id: decision.to_string(),
        parent_plan_id: programme.to_string(),
        starts_on: tiendo_core::fmt::date(on),
        ends_on: tiendo_core::fmt::date(on),
        assessment: "Hai địa phương đã triển khai Nghị quyết 07-NQ/TU nghiêm túc; các doanh nghiệp có nhu cầu đổi mới công nghệ rõ rệt. Cần gắn các nhiệm vụ khoa học và công nghệ với nhu cầu thực tế của địa phương và doanh nghiệp.".to_owned(),
        members,
        stops,
    };
    let officer = session_of(app, "chuyenvien").await?;
    let visit_id = use_cases::create_sample(&app.at(at(day(2020, 2, 20))), &officer, &draft)
        .await
        .map_err(|e| anyhow!("the demo visit is refused: {e:?}"))?;
    let stop_ids: Vec<i64> = visits::stops(db, visit_id).await?.into_iter().map(|s| s.id).collect();
    let (qy_stop, hl_stop) = (stop_ids[0], stop_ids[2]);

    let directives = [
        Directive {
            stop: Some(qy_stop),
            text: "Đề xuất các nhiệm vụ khoa học và công nghệ cấp bách của thị xã Quảng Yên",
            product: "Danh mục nhiệm vụ cấp bách",
            lead: quang_yen,
            coordinators: vec![],
            deadline: Deadline::Fixed { date: day(2020, 4, 30) },
            priority: "high",
        },
        Directive {
            stop: Some(qy_stop),
            text: "Xây dựng kế hoạch khoa học và công nghệ và chương trình khung cho thị xã Quảng Yên",
            product: "Kế hoạch và chương trình khung được phê duyệt",
            lead: institute,
            coordinators: vec![science, quang_yen],
            deadline: Deadline::Fixed { date: day(2020, 9, 30) },
            priority: "normal",
        },
        Directive {
            stop: Some(hl_stop),
            text: "Xây dựng chương trình khung khoa học và công nghệ giai đoạn 5 năm của thành phố Hạ Long",
            product: "Chương trình khung giai đoạn 2021–2025",
            lead: ha_long,
            coordinators: vec![institute],
            deadline: Deadline::Fixed { date: day(2020, 12, 31) },
            priority: "normal",
        },
        Directive {
            stop: None,
            text: "Hỗ trợ Công ty TNHH thủy sản Minh Hàn và Công ty CP phát triển Agritech đăng ký chứng nhận doanh nghiệp khoa học và công nghệ",
            product: "Hồ sơ đề nghị chứng nhận của hai doanh nghiệp",
            lead: so,
            coordinators: vec![quang_yen, ha_long],
            deadline: Deadline::Fixed { date: day(2020, 12, 31) },
            priority: "normal",
        },
    ];
    let on_the_day = app.at(at(on));
    for d in &directives {
        let input = NewConclusion {
            stop_id: d.stop,
            conclusion: ConclusionDraft { text: d.text.to_owned(), expected_product: d.product.to_owned() },
            directives: vec![DirectiveDraft {
                lead_id: Some(d.lead),
                coordinators: d.coordinators.clone(),
                deadline: Some(d.deadline),
                priority: d.priority.to_owned(),
            }],
        };
        use_cases::add_conclusion(&on_the_day, &officer, visit_id, &input)
            .await
            .map_err(|e| anyhow!("a conclusion of the demo visit is refused: {e:?}"))?;
    }
    let ids: Vec<i64> = visits::directives(db, visit_id).await?.into_iter().map(|row| row.id).collect();

    let s = story;
    // Quảng Yên proposes its urgent tasks before the deadline.
    s.report(
        ids[0],
        quang_yen,
        None,
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
        None,
        Report::accepted(day(2020, 7, 15), 50, "Đã khảo sát, hoàn thành dự thảo khung chương trình."),
    )
    .await?;
    s.report(
        ids[1],
        institute,
        None,
        Report::done(day(2020, 11, 10), "Chương trình khung đã được UBND thị xã phê duyệt."),
    )
    .await?;
    // Hạ Long's five-year programme: started, never finished.
    s.report(
        ids[2],
        ha_long,
        None,
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
    // The Sở helps both enterprises file their applications in time.
    s.report(
        ids[3],
        so,
        None,
        Report::done(
            day(2020, 12, 15),
            "Hai doanh nghiệp đã hoàn thiện và nộp hồ sơ đề nghị chứng nhận doanh nghiệp khoa học và công nghệ.",
        ),
    )
    .await?;
    Ok(())
}
