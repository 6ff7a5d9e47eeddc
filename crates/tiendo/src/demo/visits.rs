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
use tiendo_core::monitoring::Deadline;
use tiendo_db::audit::{self, NewEvent, Who};
use tiendo_db::monitoring::assignments::{self, NewAssignments};
use tiendo_db::visits::{self, NewMember, NewStop, OwnPlan, VisitRecord};
use tiendo_db::{Db, Exec, Query};

use super::monitoring::{Report, Seeder, at, day, lookup};

/// The title of the demo visit, which tests look up.
pub const TITLE: &str = "Làm việc tại thị xã Quảng Yên và thành phố Hạ Long về thực hiện Nghị quyết 07-NQ/TU";

async fn id_of(ex: &impl Exec, sql: &'static str, key: &str) -> anyhow::Result<i64> {
    let row: Option<(i64,)> = ex.fetch_optional(Query::new(sql).bind(key)).await?;
    row.map(|(id,)| id).ok_or_else(|| anyhow!("the demo has no {key}"))
}

async fn person(ex: &impl Exec, name: &str) -> anyhow::Result<(i64, Option<String>)> {
    let row: Option<(i64, Option<String>)> = ex
        .fetch_optional(
            Query::new("SELECT id, position FROM people WHERE full_name = $1 ORDER BY id LIMIT 1").bind(name),
        )
        .await?;
    row.ok_or_else(|| anyhow!("the demo directory has no person named {name}"))
}

async fn unit_of(ex: &impl Exec, org: i64) -> anyhow::Result<Option<i64>> {
    let row: Option<(Option<i64>,)> =
        ex.fetch_optional(Query::new("SELECT admin_unit_id FROM organizations WHERE id = $1").bind(org)).await?;
    Ok(row.and_then(|(u,)| u))
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

/// Loads the visit (after monitoring: its plan follows up the action programme of 07-NQ/TU).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let (orgs, users) = lookup(db).await?;
    let tx = db.begin().await?;
    let s = Seeder { tx: &tx, orgs, users };
    visit(&s).await.context("the working visit of 27/02/2020")?;
    tx.commit().await?;
    Ok(())
}

async fn visit(s: &Seeder<'_>) -> anyhow::Result<()> {
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let science = s.org("Phòng Quản lý khoa học")?;
    let institute = s.org("Viện Nghiên cứu và Phát triển Vùng")?;
    let quang_yen = s.org("UBND thị xã Quảng Yên")?;
    let ha_long = s.org("UBND thành phố Hạ Long")?;
    let minh_han = s.org("Công ty TNHH thủy sản Minh Hàn")?;
    let agritech = s.org("Công ty CP phát triển Agritech")?;
    let programme = id_of(
        s.tx,
        "SELECT id FROM plans WHERE title = $1",
        "Chương trình hành động thực hiện Nghị quyết 07-NQ/TU giai đoạn 2017–2020",
    )
    .await?;
    let on = day(2020, 2, 27);
    let decision = s
        .document(
            "Số: 35/QĐ-SKHCN",
            Some(so),
            Some(day(2020, 2, 20)),
            None,
            Some("Hoàng Bá Nam"),
            "Về việc thành lập đoàn công tác làm việc tại thị xã Quảng Yên và thành phố Hạ Long",
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
        let (id, position) = person(s.tx, name).await?;
        members.push(NewMember { person_id: id, organization_id: Some(org), role: role.to_owned(), position });
    }
    let stop =
        |time: &str, host: i64, unit: Option<i64>, place: &str, agenda: &str, minutes: &str, assessment: &str| {
            NewStop {
                id: None,
                on_date: on,
                start_time: Some(time.to_owned()),
                place: Some(place.to_owned()),
                host_org_id: host,
                admin_unit_id: unit,
                agenda: Some(agenda.to_owned()),
                minutes: Some(minutes.to_owned()),
                assessment: (!assessment.is_empty()).then(|| assessment.to_owned()),
            }
        };
    let stops = vec![
        stop(
            "08:00",
            quang_yen,
            unit_of(s.tx, quang_yen).await?,
            "Trụ sở UBND thị xã Quảng Yên",
            "UBND thị xã báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; thảo luận nhu cầu ứng dụng khoa học và công nghệ trong nuôi trồng thủy sản và du lịch.",
            "Thành phần: lãnh đạo UBND thị xã, các phòng chuyên môn. UBND thị xã báo cáo kết quả 03 năm thực hiện Nghị quyết; Viện trình bày kinh nghiệm xây dựng chương trình khung khoa học và công nghệ cho địa phương.",
            "Thị xã đã quan tâm ứng dụng tiến bộ khoa học và công nghệ vào sản xuất nông nghiệp và thủy sản; một số mô hình bước đầu mang lại hiệu quả.",
        ),
        stop(
            "10:00",
            minh_han,
            unit_of(s.tx, minh_han).await?,
            "Thôn 3, xã Hoàng Tân",
            "Thăm cơ sở nuôi trồng thủy sản ứng dụng công nghệ cao.",
            "Doanh nghiệp giới thiệu quy trình nuôi tôm tuần hoàn và nhu cầu được hỗ trợ đăng ký chứng nhận doanh nghiệp khoa học và công nghệ.",
            "",
        ),
        stop(
            "14:00",
            ha_long,
            unit_of(s.tx, ha_long).await?,
            "Trụ sở UBND thành phố Hạ Long",
            "UBND thành phố báo cáo tình hình thực hiện Nghị quyết 07-NQ/TU; định hướng chương trình khoa học và công nghệ giai đoạn 2021–2025.",
            "Thành phần: lãnh đạo UBND thành phố, các phòng chuyên môn. Thành phố đề nghị Viện phối hợp xây dựng chương trình khung 5 năm.",
            "Thành phố có nhiều tiềm năng ứng dụng khoa học và công nghệ trong quản lý đô thị và du lịch; cần một chương trình khung dài hạn.",
        ),
        stop(
            "16:00",
            agritech,
            unit_of(s.tx, agritech).await?,
            "Khu 5, phường Hoành Bồ",
            "Thăm mô hình sản xuất nông nghiệp ứng dụng công nghệ sinh học.",
            "Doanh nghiệp giới thiệu các sản phẩm chế phẩm sinh học và đề nghị được hướng dẫn thủ tục chứng nhận doanh nghiệp khoa học và công nghệ.",
            "",
        ),
    ];
    let record = VisitRecord {
        title: TITLE.to_owned(),
        purpose: "Kiểm tra tình hình triển khai Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ; nắm bắt nhu cầu ứng dụng khoa học và công nghệ của địa phương và doanh nghiệp; thống nhất các nhiệm vụ phối hợp với Viện Nghiên cứu và Phát triển Vùng.".to_owned(),
        organizer_org_id: so,
        legal_basis_id: Some(decision),
        starts_on: on,
        ends_on: on,
        assessment: Some(
            "Hai địa phương đã triển khai Nghị quyết 07-NQ/TU nghiêm túc; các doanh nghiệp có nhu cầu đổi mới công nghệ rõ rệt. Cần gắn các nhiệm vụ khoa học và công nghệ với nhu cầu thực tế của địa phương và doanh nghiệp.".to_owned(),
        ),
        members,
        stops,
        removed_stops: Vec::new(),
        is_sample: true,
    };
    let plan = OwnPlan { title: tiendo_web::visits::service::plan_title(TITLE), parent_id: Some(programme) };
    let visit_id = visits::create(s.tx, &record, &plan, None, at(day(2020, 2, 20))).await?;
    audit::append(s.tx, &Who::system(), &NewEvent::new("create", "visit", visit_id, format!("Đoàn công tác {TITLE}")))
        .await?;
    let plan_id = visits::get(s.tx, visit_id).await?.and_then(|v| v.plan_id).context("the visit's plan")?;
    let stop_ids: Vec<i64> = visits::stops(s.tx, visit_id).await?.into_iter().map(|s| s.id).collect();
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
    let officer = s.user("chuyenvien");
    let mut ids = Vec::new();
    for d in &directives {
        let task = visits::add_conclusion(s.tx, visit_id, plan_id, d.stop, d.text, Some(d.product)).await?;
        let new = NewAssignments {
            task_id: task,
            leads: vec![d.lead],
            coordinators: d.coordinators.clone(),
            deadline: d.deadline,
            priority: d.priority.to_owned(),
            assigned_on: on,
            assigned_by: officer,
            source_document_id: None,
            origin: Some(format!("visit:{visit_id}")),
            note: None,
            is_sample: true,
        };
        let id = assignments::create(s.tx, &new, at(on)).await?[0];
        audit::append(
            s.tx,
            &Who::system(),
            &NewEvent::new("create", "assignment", id, "Giao chỉ đạo của đoàn công tác (dữ liệu mẫu)"),
        )
        .await?;
        ids.push(id);
    }

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
