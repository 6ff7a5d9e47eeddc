//! The recent working visit of the demo, generated relative to the day the demo is loaded: about forty
//! days ago the Director of the Sở worked with phường Hà An and visited Minh Hàn on Nghị quyết 57-NQ/TW.
//! Its directives are open as a department's would be: one done on time, one due within a week (the
//! Institute's, at risk), and one ten days overdue that the daily escalation flagged to the leaders two
//! days ago. The visit's photo is an illustration that says so.
//!
//! Everything here is invented and stored as sample data.

use anyhow::{Context, anyhow};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use tiendo_app::Session;
use tiendo_core::authz::Actor;
use tiendo_core::monitoring::Deadline;
use tiendo_db::{Exec, Query};

use super::story::{Doc, Report, Story, at, at_time};
use super::visits::{Conclusion, Visit, record};

/// The title of the recent visit, which tests look up.
pub const TITLE: &str =
    "Làm việc với UBND phường Hà An và Công ty TNHH thủy sản Minh Hàn về thực hiện Nghị quyết 57-NQ/TW";

/// The days after which an overdue directive is flagged to the leaders (the server's default).
const ESCALATION_DAYS: u32 = 7;

/// The day of the visit: forty days before `today`, moved back to a working day.
pub fn visit_day(today: NaiveDate) -> NaiveDate {
    let mut on = today - Duration::days(40);
    while matches!(on.weekday(), Weekday::Sat | Weekday::Sun) {
        on -= Duration::days(1);
    }
    on
}

/// Loads the visit (after the current plan, under which its directives are tracked).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    visit(s).await.context("the recent working visit")
}

async fn visit(s: &Story) -> anyhow::Result<()> {
    let today = s.today;
    let days = Duration::days;
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let science = s.org("Phòng Quản lý khoa học")?;
    let institute = s.org("Viện Nghiên cứu và Phát triển Vùng")?;
    let ha_an = s.org("UBND phường Hà An")?;
    let minh_han = s.org("Công ty TNHH thủy sản Minh Hàn")?;
    let plan: Option<(i64,)> = s
        .app
        .db()
        .fetch_optional(Query::new("SELECT id FROM plans WHERE title = $1").bind(super::current::plan_title(today)))
        .await?;
    let plan = plan.ok_or_else(|| anyhow!("the current plan is loaded before the recent visit"))?.0;
    let on = visit_day(today);
    let visit = Visit {
        title: TITLE,
        purpose: "Kiểm tra việc triển khai Nghị quyết 57-NQ/TW và Kế hoạch 128/KH-UBND tại phường Hà An; nắm bắt tiến độ chuyển đổi số tại bộ phận một cửa và hồ sơ chứng nhận doanh nghiệp khoa học và công nghệ của Công ty TNHH thủy sản Minh Hàn.",
        assessment: "Phường đã kiện toàn bộ phận một cửa sau sắp xếp và bước đầu tiếp nhận hồ sơ trực tuyến; doanh nghiệp tiếp tục ứng dụng công nghệ nuôi tuần hoàn. Cần đẩy nhanh quy trình số và hoàn thiện hồ sơ chứng nhận trong năm.",
        organizer: so,
        parent_plan: Some(plan),
        decision: Doc {
            symbol: "Số: 214/QĐ-SKHCN",
            issuer: Some(so),
            issued_on: Some(on - days(7)),
            party_term: None,
            signer: Some("Hoàng Bá Nam"),
            summary: "Về việc thành lập đoàn công tác làm việc tại phường Hà An",
            implements: None,
            is_sample: true,
        },
        on,
        members: vec![
            ("Hoàng Bá Nam", so, "leader"),
            ("Ngô Đức Thắng", science, "member"),
            ("Lê Minh Tuấn", institute, "member"),
            ("Phạm Thu Trang", science, "secretary"),
        ],
        stops: vec![
            (
                "08:30",
                ha_an,
                "Trụ sở UBND phường Hà An",
                "UBND phường báo cáo tình hình triển khai Nghị quyết 57-NQ/TW và Kế hoạch 128/KH-UBND; chuyển đổi số tại bộ phận một cửa.",
                "Thành phần: lãnh đạo UBND phường, công chức phụ trách KH&CN và chuyển đổi số. Phường báo cáo đã bố trí thiết bị tại bộ phận một cửa; tỷ lệ hồ sơ nộp trực tuyến còn thấp.",
                "Phường đã kiện toàn bộ máy sau sắp xếp; quy trình tiếp nhận hồ sơ trực tuyến chưa hoàn thiện.",
            ),
            (
                "10:30",
                minh_han,
                "Thôn 3, phường Hà An",
                "Khảo sát mô hình nuôi tôm tuần hoàn; tiến độ hồ sơ chứng nhận doanh nghiệp khoa học và công nghệ.",
                "Doanh nghiệp báo cáo kết quả vụ nuôi và khó khăn khi thuyết minh kết quả KH&CN; Viện đề nghị phối hợp đánh giá hiệu quả mô hình.",
                "Mô hình có hiệu quả, có thể nhân rộng; hồ sơ chứng nhận cần bổ sung thuyết minh kết quả KH&CN.",
            ),
        ],
        conclusions: vec![
            Conclusion {
                stop: Some(0),
                text: "Cử công chức phụ trách chuyển đổi số tham gia lớp tập huấn kỹ năng số của Sở",
                product: "Danh sách công chức tham gia",
                lead: ha_an,
                coordinators: vec![],
                deadline: Deadline::Fixed { date: on + days(14) },
                priority: "normal",
            },
            Conclusion {
                stop: Some(0),
                text: "Hoàn thiện quy trình tiếp nhận, giải quyết hồ sơ trực tuyến tại bộ phận một cửa phường",
                product: "Quy trình được UBND phường ban hành",
                lead: ha_an,
                coordinators: vec![so],
                deadline: Deadline::Fixed { date: today - days(10) },
                priority: "high",
            },
            Conclusion {
                stop: Some(1),
                text: "Phối hợp với doanh nghiệp đánh giá hiệu quả mô hình nuôi tôm tuần hoàn, đề xuất nhân rộng",
                product: "Báo cáo đánh giá và đề xuất nhân rộng",
                lead: institute,
                coordinators: vec![minh_han, ha_an],
                deadline: Deadline::Fixed { date: today + days(6) },
                priority: "normal",
            },
        ],
        recorded: at_time(on, 17, 0),
        photos: vec![(
            1,
            [30, 120, 90],
            "Đoàn công tác khảo sát mô hình nuôi tôm tuần hoàn của Công ty TNHH thủy sản Minh Hàn.",
            "Ảnh minh họa (dữ liệu mẫu): khung tranh và dòng chữ “Ảnh minh họa” trên nền xanh lục nhạt.",
        )],
    };
    let (_, ids) = record(s, visit).await?;
    s.report(ids[0], ha_an, Report::done(on + days(10), "Đã cử 02 công chức tham gia lớp tập huấn ngày hôm trước."))
        .await?;
    s.report(
        ids[1],
        ha_an,
        Report {
            difficulties: Some("Phần mềm một cửa chưa kết nối với Cổng dịch vụ công của tỉnh."),
            ..Report::accepted(on + days(12), 40, "Đã dự thảo quy trình, đang lấy ý kiến các bộ phận.")
        },
    )
    .await?;
    s.report(
        ids[2],
        institute,
        Report::accepted(today - days(8), 50, "Đã thu thập số liệu hai vụ nuôi; đang phân tích hiệu quả kinh tế."),
    )
    .await?;
    // The daily escalation found the ward's directive overdue by more than a week two days ago.
    let system = Session::system(Actor::public());
    tiendo_app::visits::escalate_overdue(&s.at(at(today - days(2)))?, &system, ESCALATION_DAYS)
        .await
        .map_err(|e| anyhow!("the escalation of the recent visit's directives: {e:?}"))?;
    Ok(())
}
