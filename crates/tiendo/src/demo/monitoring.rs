//! The monitoring part of the 2020 story: Nghị quyết 07-NQ/TU of the Quảng Ninh Provincial Party
//! Committee with its targets and the action programme's tasks assigned to thị xã Quảng Yên, thành phố Hạ
//! Long and the Sở, progress updates from 2017 to 2020 (some late) and the reports on three years of
//! implementation. Every step is recorded on its day by the person who took it (`super::story`), so the
//! story ends as it did: everything closed by the end of 2020.
//!
//! The resolution and the organisations are from the story; indicator values, task lists, report numbers and
//! update texts are invented and stored as sample data (shown with a "Dữ liệu mẫu" badge).

use anyhow::Context;
use tiendo_app::monitoring::plans::{PlanDraft, TargetDraft};
use tiendo_core::monitoring::{Deadline, UpdateStatus};

use super::story::{Doc, Report, Story, day};

/// The title of the action programme under which the 2020 visit's directives are tracked.
pub const PROGRAMME: &str = "Chương trình hành động thực hiện Nghị quyết 07-NQ/TU giai đoạn 2017–2020";

/// Loads the documents, plans, assignments and updates of Nghị quyết 07-NQ/TU (after the directory and
/// the accounts).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    resolution_07(s).await.context("Nghị quyết 07-NQ/TU")
}

/// A target of the story: name, unit, baseline (2016), target (2020), higher is better, values 2017–2020.
type TargetRow<'a> = (&'a str, &'a str, f64, f64, bool, [f64; 4]);

async fn resolution_07(s: &Story) -> anyhow::Result<()> {
    let party = s.org("Tỉnh ủy Quảng Ninh")?;
    let province = s.org("UBND tỉnh Quảng Ninh")?;
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let quang_yen = s.org("UBND thị xã Quảng Yên")?;
    let ha_long = s.org("UBND thành phố Hạ Long")?;
    // The department started following the resolution in the spring of 2017.
    let registered = day(2017, 4, 10);
    let nq07 = s
        .document(
            Doc {
                symbol: "07-NQ/TU",
                issuer: Some(party),
                issued_on: None,
                party_term: Some("2015–2020"),
                signer: None,
                summary: "Về phát triển khoa học và công nghệ tỉnh Quảng Ninh",
                implements: None,
                is_sample: false,
            },
            registered,
        )
        .await?;
    // The reports on three years of implementation (numbers and dates invented), registered when received.
    for (symbol, issuer, issued, received) in [
        ("45/BC-UBND", quang_yen, day(2020, 3, 25), day(2020, 3, 27)),
        ("61/BC-UBND", ha_long, day(2020, 4, 10), day(2020, 4, 13)),
    ] {
        let doc = Doc {
            symbol,
            issuer: Some(issuer),
            issued_on: Some(issued),
            party_term: None,
            signer: None,
            summary: "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU",
            implements: None,
            is_sample: true,
        };
        s.document(doc, received).await?;
    }

    let resolution = s
        .plan(
            PlanDraft {
                kind: "resolution".into(),
                title: "Thực hiện Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ".into(),
                document_id: Some(nq07),
                parent_id: None,
                owner_org_id: Some(so),
                period_start: Some(day(2017, 1, 1)),
                period_end: Some(day(2020, 12, 31)),
                ..PlanDraft::default()
            },
            registered,
        )
        .await?;
    let planned = day(2017, 5, 2);
    let programme = s
        .plan(
            PlanDraft {
                kind: "programme".into(),
                title: PROGRAMME.into(),
                document_id: Some(nq07),
                parent_id: Some(resolution),
                owner_org_id: Some(province),
                period_start: Some(day(2017, 5, 1)),
                period_end: Some(day(2020, 12, 31)),
                ..PlanDraft::default()
            },
            planned,
        )
        .await?;

    let targets: [TargetRow<'_>; 4] = [
        ("Tỷ lệ đóng góp của TFP vào tăng trưởng GRDP", "%", 33.0, 40.0, true, [34.5, 36.2, 38.0, 39.1]),
        ("Số doanh nghiệp khoa học và công nghệ", "doanh nghiệp", 6.0, 20.0, true, [8.0, 11.0, 15.0, 21.0]),
        (
            "Số nhiệm vụ KH&CN cấp tỉnh được ứng dụng vào thực tiễn",
            "nhiệm vụ",
            12.0,
            40.0,
            true,
            [18.0, 24.0, 31.0, 37.0],
        ),
        ("Thời gian giải quyết thủ tục hành chính về KH&CN", "ngày", 15.0, 7.0, false, [12.0, 10.0, 8.0, 7.0]),
    ];
    for (name, unit, baseline, target, higher, values) in targets {
        let draft = TargetDraft {
            name: name.into(),
            unit: unit.into(),
            baseline_value: Some(baseline),
            baseline_year: Some(2016),
            target_value: Some(target),
            target_year: Some(2020),
            higher_is_better: higher,
            ..TargetDraft::default()
        };
        // Each year's value is recorded from the department's report of the next January.
        let values: Vec<(i64, f64, chrono::NaiveDate)> =
            (2017..).zip(values).map(|(year, v)| (year, v, day(year as i32 + 1, 1, 20))).collect();
        s.target(resolution, draft, registered, &values, "Báo cáo của Sở KH&CN (dữ liệu mẫu)").await?;
    }

    // 1. Dissemination: Quảng Yên on time, Hạ Long late.
    let t1 = s
        .task(
            programme,
            ("1", "Tuyên truyền, quán triệt Nghị quyết 07-NQ/TU đến cán bộ, đảng viên và nhân dân"),
            Some("Hội nghị quán triệt; chuyên mục trên cổng thông tin"),
            1.0,
            planned,
        )
        .await?;
    let assigned = day(2017, 5, 15);
    let a = s
        .assign(
            t1,
            (&[quang_yen, ha_long], &[]),
            Deadline::Fixed { date: day(2017, 6, 30) },
            assigned,
            Some(nq07),
            "normal",
        )
        .await?;
    s.report(a[0], quang_yen, Report::done(day(2017, 6, 20), "Đã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt; mở chuyên mục trên cổng thông tin điện tử thị xã.")).await?;
    s.report(
        a[1],
        ha_long,
        Report::accepted(
            day(2017, 6, 28),
            60,
            "Đã quán triệt tới cấp ủy các phường; còn 8 phường chưa tổ chức hội nghị.",
        ),
    )
    .await?;
    s.report(a[1], ha_long, Report::done(day(2017, 7, 12), "Hoàn thành quán triệt tại tất cả các phường, xã.")).await?;

    // 2. Proposing S&T tasks for the province, over the whole period.
    let t2 = s
        .task(
            programme,
            ("2", "Đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh phục vụ phát triển kinh tế - xã hội địa phương"),
            Some("Danh mục đề xuất đặt hàng hằng năm"),
            2.0,
            planned,
        )
        .await?;
    let a = s
        .assign(
            t2,
            (&[quang_yen, ha_long], &[so]),
            Deadline::Period { from: assigned, to: day(2020, 12, 31) },
            assigned,
            Some(nq07),
            "normal",
        )
        .await?;
    for (i, (org, first)) in [(quang_yen, 3), (ha_long, 2)].into_iter().enumerate() {
        s.report(a[i], org, Report::accepted(day(2018, 10, 15), 25, "Đã gửi Sở KH&CN danh mục đề xuất năm 2019."))
            .await?;
        s.report(
            a[i],
            org,
            Report::accepted(day(2019, 10, 20), 55, "Đã gửi danh mục đề xuất năm 2020; 02 nhiệm vụ được phê duyệt."),
        )
        .await?;
        let narrative = if first == 3 {
            "Trong giai đoạn 2017–2020 đã đề xuất 07 nhiệm vụ, 03 nhiệm vụ được phê duyệt và triển khai."
        } else {
            "Trong giai đoạn 2017–2020 đã đề xuất 05 nhiệm vụ, 02 nhiệm vụ được phê duyệt và triển khai."
        };
        s.report(a[i], org, Report::done(day(2020, 12, 15), narrative)).await?;
    }

    // 3. The reports on three years of implementation: Quảng Yên and the Sở on time, Hạ Long late.
    let t3 = s
        .task(
            programme,
            ("3", "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU"),
            Some("Báo cáo sơ kết gửi Tỉnh ủy"),
            1.0,
            day(2020, 1, 10),
        )
        .await?;
    let a = s
        .assign(
            t3,
            (&[quang_yen, ha_long, so], &[]),
            Deadline::Fixed { date: day(2020, 3, 31) },
            day(2020, 1, 15),
            Some(nq07),
            "high",
        )
        .await?;
    s.report(
        a[0],
        quang_yen,
        Report {
            recommendations: Some("Đề nghị Sở KH&CN hỗ trợ xây dựng kế hoạch KH&CN và chương trình khung cho thị xã."),
            ..Report::done(day(2020, 3, 25), "Báo cáo số 45/BC-UBND: sau 03 năm, thị xã đã triển khai 03 nhiệm vụ KH&CN cấp tỉnh, hỗ trợ 02 doanh nghiệp đổi mới công nghệ trong nuôi trồng thủy sản.")
        },
    )
    .await?;
    s.report(
        a[1],
        ha_long,
        Report {
            status: UpdateStatus::Returned,
            comment: Some("Đề nghị bổ sung số liệu về doanh nghiệp KH&CN trên địa bàn."),
            ..Report::accepted(day(2020, 3, 30), 90, "Dự thảo báo cáo 03 năm thực hiện Nghị quyết.")
        },
    )
    .await?;
    s.report(
        a[1],
        ha_long,
        Report::done(day(2020, 4, 10), "Báo cáo số 61/BC-UBND (đã bổ sung số liệu doanh nghiệp KH&CN)."),
    )
    .await?;
    s.report(
        a[2],
        so,
        Report::done(
            day(2020, 3, 30),
            "Báo cáo tổng hợp kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU trên địa bàn tỉnh.",
        ),
    )
    .await?;

    // 4. Supporting enterprises: continuous, led by the Sở with both localities.
    let t4 = s
        .task(
            programme,
            ("4", "Hỗ trợ doanh nghiệp đăng ký chứng nhận doanh nghiệp khoa học và công nghệ"),
            Some("Doanh nghiệp được cấp giấy chứng nhận"),
            1.0,
            planned,
        )
        .await?;
    let a = s.assign(t4, (&[so], &[quang_yen, ha_long]), Deadline::Continuous, assigned, Some(nq07), "normal").await?;
    s.report(
        a[0],
        so,
        Report::accepted(
            day(2018, 12, 10),
            30,
            "Đã hướng dẫn 05 doanh nghiệp hoàn thiện hồ sơ; 02 doanh nghiệp được cấp giấy chứng nhận.",
        ),
    )
    .await?;
    s.report(a[0], so, Report::accepted(day(2019, 12, 12), 55, "Lũy kế 15 doanh nghiệp KH&CN trên địa bàn tỉnh."))
        .await?;
    s.report(
        a[0],
        so,
        Report {
            difficulties: Some("Nhiều doanh nghiệp nhỏ chưa có kết quả KH&CN đủ điều kiện chứng nhận."),
            ..Report::accepted(day(2020, 12, 14), 70, "Lũy kế 21 doanh nghiệp KH&CN, vượt chỉ tiêu nghị quyết.")
        },
    )
    .await?;
    // Closed with the programme: the support goes on under the plans of the next period.
    s.report(
        a[0],
        so,
        Report::done(
            day(2020, 12, 28),
            "Tổng kết giai đoạn 2017–2020: lũy kế 21 doanh nghiệp KH&CN, vượt chỉ tiêu nghị quyết; việc hỗ trợ tiếp tục trong kế hoạch giai đoạn mới.",
        ),
    )
    .await?;

    // The conclusions of the working visit of 27/02/2020 are its directives (`super::visits`), tracked in a
    // plan under this programme.
    Ok(())
}
