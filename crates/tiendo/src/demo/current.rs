//! The current work of the demo: the plan implementing Nghị quyết 57-NQ/TW in the new commune-level units
//! after the 2025 reform, generated relative to the day the demo is loaded, so that what is overdue, due
//! soon, at risk or waiting for review looks like a department's week whatever the date.
//!
//! The plan runs from 1 July of last year to the end of this year (from 01/07/2025, the first day of
//! the new map, to 31/12/2026 for a demo loaded in 2026): every commune reviewed its staff (most on time,
//! a few late, a few not yet, now two months overdue), every commune sends a yearly report by 15/12 (a few
//! never do), ten wards are finishing a digital platform due in ten days (half done, two waiting for the
//! officer's review, the others at risk), the Sở's training is due in under three weeks, and phường Hà
//! An's support to Minh Hàn's application is at risk with a draft update not sent yet.
//!
//! Indicator values, task lists, report numbers and update texts are invented and stored as sample data.

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use tiendo_app::monitoring::plans::{PlanDraft, TargetDraft};
use tiendo_core::monitoring::{Deadline, UpdateStatus};
use tiendo_db::{Exec, Query};

use super::story::{Doc, Report, Story, day};

/// The first day of the new map, before which the new units did not exist.
const REFORM: (i32, u32, u32) = (2025, 7, 1);

/// The title of the plan for a demo loaded on `today`: "… năm 2025–2026".
pub fn plan_title(today: NaiveDate) -> String {
    let first = first_year(today);
    format!("Kế hoạch thực hiện Nghị quyết 57-NQ/TW tại các xã, phường, đặc khu năm {first}–{}", first + 1)
}

/// The plan's first year: last year, never before the reform.
fn first_year(today: NaiveDate) -> i32 {
    (today.year() - 1).max(REFORM.0)
}

/// Loads the plan and its work (after the directory and the accounts).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    let communes: Vec<(i64, String)> = s
        .app
        .db()
        .fetch_all(Query::new(
            "SELECT id, name FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;
    resolution_57(s, &communes).await.context("Nghị quyết 57-NQ/TW")
}

async fn resolution_57(s: &Story, communes: &[(i64, String)]) -> anyhow::Result<()> {
    let province = s.org("UBND tỉnh Quảng Ninh")?;
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let ha_an = s.org("UBND phường Hà An")?;
    let today = s.today;
    let days = Duration::days;
    let first = first_year(today);
    let assigned = day(first, 7, 15);

    let nq57 = s
        .document(
            Doc {
                symbol: "57-NQ/TW",
                issuer: None,
                issued_on: Some(day(2024, 12, 22)),
                party_term: Some("2021–2026"),
                signer: Some("Tổng Bí thư Tô Lâm"),
                summary: "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
                implements: None,
                is_sample: false,
            },
            day(2025, 1, 6),
        )
        .await?;
    let kh = s
        .document(
            Doc {
                symbol: "128/KH-UBND",
                issuer: Some(province),
                issued_on: Some(day(first, 7, 10)),
                party_term: None,
                signer: None,
                summary: "Kế hoạch thực hiện Nghị quyết 57-NQ/TW trên địa bàn tỉnh sau sắp xếp đơn vị hành chính",
                implements: Some(nq57),
                is_sample: true,
            },
            day(first, 7, 11),
        )
        .await?;
    let planned = day(first, 7, 14);
    let plan = s
        .plan(
            PlanDraft {
                kind: "plan".into(),
                title: plan_title(today),
                document_id: Some(kh),
                parent_id: None,
                owner_org_id: Some(so),
                period_start: Some(day(first, REFORM.1, REFORM.2)),
                period_end: Some(day(first + 1, 12, 31)),
                ..PlanDraft::default()
            },
            planned,
        )
        .await?;
    let draft = TargetDraft {
        name: "Tỷ lệ hồ sơ thủ tục hành chính cấp xã nộp trực tuyến".into(),
        unit: "%".into(),
        baseline_value: Some(42.0),
        baseline_year: Some(i64::from(first - 1)),
        target_value: Some(80.0),
        target_year: Some(i64::from(first + 1)),
        higher_is_better: true,
        ..TargetDraft::default()
    };
    let values = [(i64::from(first), 61.5, day(first + 1, 1, 20))];
    s.target(plan, draft, planned, &values, "Tổng hợp từ Cổng dịch vụ công (dữ liệu mẫu)").await?;
    let ids: Vec<i64> = communes.iter().map(|(id, _)| *id).collect();
    // A few communes lag behind on everything (one in nine).
    let lagging = |i: usize| i % 9 == 8;

    // 1. Every commune reviews its S&T and digital-transformation staff, due two months ago: most on time,
    //    some late, the laggards not yet.
    let t1 = s
        .task(
            plan,
            ("1", "Rà soát, cập nhật đội ngũ công chức cấp xã làm công tác KH&CN, chuyển đổi số"),
            Some("Danh sách công chức phụ trách"),
            1.0,
            planned,
        )
        .await?;
    let due = today - days(60);
    let a = s.assign(t1, (&ids, &[]), Deadline::Fixed { date: due }, assigned, Some(kh), "normal").await?;
    for (i, (assignment, org)) in a.iter().zip(&ids).enumerate() {
        let report = match i % 9 {
            0..=5 => Report::done(
                due - days(20 - (i % 15) as i64),
                "Đã rà soát, phân công công chức phụ trách KH&CN và chuyển đổi số; danh sách gửi kèm.",
            ),
            6 | 7 => Report::done(due + days(5 + (i % 20) as i64), "Hoàn thành rà soát sau khi kiện toàn bộ máy."),
            _ => Report {
                difficulties: Some("Chưa bố trí đủ công chức sau sắp xếp."),
                ..Report::accepted(due - days(5), 40 + (i % 4) as i64 * 10, "Đã rà soát một phần đội ngũ.")
            },
        };
        s.report(*assignment, *org, report).await?;
    }

    // 2. A yearly report by 15/12. Each commune sends it in the three weeks before the day (the laggards
    //    never do), so in December some have sent this year's and the others are due; all year long the
    //    cycle is in progress.
    let t2 = s
        .task(
            plan,
            ("2", "Báo cáo tình hình thực hiện Nghị quyết 57-NQ/TW hằng năm"),
            Some("Báo cáo năm"),
            1.0,
            planned,
        )
        .await?;
    let a = s.assign(t2, (&ids, &[]), Deadline::Yearly { month: 12, day: 15 }, assigned, Some(kh), "normal").await?;
    for (i, (assignment, org)) in a.iter().zip(&ids).enumerate().filter(|(i, _)| !lagging(*i)) {
        for year in [today.year() - 1, today.year()] {
            let sent = day(year, 12, 15) - days((i % 21) as i64);
            if sent < assigned || sent > today {
                continue;
            }
            let narrative = format!("Đã gửi báo cáo năm {year} về tình hình thực hiện Nghị quyết 57-NQ/TW.");
            s.report(*assignment, *org, Report::done(sent, &narrative)).await?;
        }
    }

    // 3. A digital platform at the one-stop desks of ten wards, due in ten days: half are done, two sent
    //    their last update this week (waiting for the officer), the others are at risk.
    let wards: Vec<i64> =
        communes.iter().filter(|(_, n)| n.starts_with("UBND phường")).map(|(id, _)| *id).take(10).collect();
    let t3 = s
        .task(
            plan,
            ("3", "Triển khai nền tảng số phục vụ người dân tại bộ phận một cửa"),
            Some("Nền tảng vận hành tại bộ phận một cửa"),
            2.0,
            planned,
        )
        .await?;
    let a = s
        .assign(
            t3,
            (&wards, &[so]),
            Deadline::Period { from: assigned + days(17), to: today + days(10) },
            assigned,
            Some(kh),
            "high",
        )
        .await?;
    for (i, (assignment, org)) in a.iter().zip(&wards).enumerate() {
        s.report(
            *assignment,
            *org,
            Report::accepted(today - days(100), 35, "Đã lắp đặt thiết bị, đang đào tạo công chức."),
        )
        .await?;
        if i % 2 == 0 {
            s.report(
                *assignment,
                *org,
                Report::done(
                    today - days(30 - (i % 4) as i64 * 5),
                    "Nền tảng đã vận hành; người dân tra cứu hồ sơ trực tuyến.",
                ),
            )
            .await?;
        } else if i % 3 == 0 {
            s.report(
                *assignment,
                *org,
                Report {
                    status: UpdateStatus::Submitted,
                    difficulties: Some("Đường truyền chưa ổn định."),
                    ..Report::accepted(today - days(4 - (i % 4) as i64), 85, "Đã vận hành thử; chờ nghiệm thu.")
                },
            )
            .await?;
        }
    }

    // 4–5. Training due in under three weeks, and Minh Hàn's application at risk (little progress, a close
    //      deadline, a draft update not sent yet).
    let t4 = s
        .task(plan, ("4", "Tập huấn kỹ năng số cho cán bộ, công chức cấp xã"), Some("03 lớp tập huấn"), 1.0, planned)
        .await?;
    let a = s
        .assign(
            t4,
            (&[so], &wards[..wards.len().min(4)]),
            Deadline::Fixed { date: today + days(18) },
            assigned,
            Some(kh),
            "normal",
        )
        .await?;
    s.report(a[0], so, Report::accepted(today - days(20), 60, "Đã tổ chức 02/03 lớp tập huấn với 180 học viên."))
        .await?;
    let opened = today - days(45);
    let t5 = s
        .task(
            plan,
            ("5", "Hỗ trợ Công ty TNHH thủy sản Minh Hàn hoàn thiện hồ sơ chứng nhận doanh nghiệp KH&CN"),
            Some("Hồ sơ nộp Sở KH&CN"),
            1.0,
            opened,
        )
        .await?;
    let a =
        s.assign(t5, (&[ha_an], &[so]), Deadline::Fixed { date: today + days(12) }, opened, Some(kh), "high").await?;
    s.report(
        a[0],
        ha_an,
        Report::accepted(today - days(30), 30, "Đã làm việc với doanh nghiệp, thống nhất danh mục hồ sơ."),
    )
    .await?;
    s.report(
        a[0],
        ha_an,
        Report {
            status: UpdateStatus::Draft,
            ..Report::accepted(today - days(1), 45, "Doanh nghiệp đang hoàn thiện thuyết minh kết quả KH&CN.")
        },
    )
    .await?;
    Ok(())
}
