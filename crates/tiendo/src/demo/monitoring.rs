//! The monitoring part of the reference story: Nghị quyết 07-NQ/TU of the Quảng Ninh Provincial Party
//! Committee with its targets and tasks assigned to thị xã Quảng Yên, thành phố Hạ Long, the Sở and the
//! Institute, progress updates from 2017 to 2020 (some late) and the reports on three years of implementation;
//! then a plan implementing Nghị quyết 57-NQ/TW assigned to the new commune-level units after 1/7/2025.
//!
//! The resolutions and the organisations are from the story; indicator values, task lists, report numbers and
//! update texts are invented and stored as sample data (shown with a "Dữ liệu mẫu" badge).

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tiendo_app::monitoring::assignments::{self as assigning, AssignDraft};
use tiendo_app::monitoring::legal_documents::{self as register, LegalDocumentDraft};
use tiendo_app::monitoring::plans::{self as planning, PlanDraft, TargetDraft, TaskDraft, ValueDraft};
use tiendo_app::monitoring::updates::{self as progress, UpdateDraft};
use tiendo_app::{App, Session, SessionUser};
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::monitoring::{Deadline, DeadlineFields, UpdateAction, UpdateStatus};
use tiendo_db::{Db, Exec, Query};

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid demo date")
}

/// 9:00 in Vietnam on a day, as the moment something was written.
pub(super) fn at(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_hms_opt(9, 0, 0).expect("a valid time");
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// One progress update of the story: when, by whom, how far, and whether it closed the assignment.
pub(super) struct Report<'a> {
    pub(super) on: NaiveDate,
    pub(super) percent: i64,
    pub(super) narrative: &'a str,
    pub(super) difficulties: Option<&'a str>,
    pub(super) recommendations: Option<&'a str>,
    /// The claimed (and accepted) completion date.
    pub(super) completed: Option<NaiveDate>,
    pub(super) status: UpdateStatus,
    /// Days between submission and decision.
    pub(super) decided_after: i64,
    pub(super) comment: Option<&'a str>,
}

impl<'a> Report<'a> {
    pub(super) fn accepted(on: NaiveDate, percent: i64, narrative: &'a str) -> Report<'a> {
        Report {
            on,
            percent,
            narrative,
            difficulties: None,
            recommendations: None,
            completed: None,
            status: UpdateStatus::Accepted,
            decided_after: 3,
            comment: None,
        }
    }

    pub(super) fn done(on: NaiveDate, narrative: &'a str) -> Report<'a> {
        Report { completed: Some(on), ..Report::accepted(on, 100, narrative) }
    }
}

pub(super) async fn lookup(db: &Db) -> anyhow::Result<(BTreeMap<String, i64>, BTreeMap<String, i64>)> {
    let orgs: Vec<(String, i64)> = db.fetch_all(Query::new("SELECT name, id FROM organizations ORDER BY id")).await?;
    let users: Vec<(String, i64)> = db.fetch_all(Query::new("SELECT username, id FROM users")).await?;
    Ok((orgs.into_iter().collect(), users.into_iter().collect()))
}

/// The monitoring story recorded through the use cases, each dated step on its day (`app.at`), by the
/// account that took it when the story names one (the department officer, the ward's reporter), else by
/// the system acting in that role.
pub(super) struct Story {
    pub(super) app: App,
    pub(super) orgs: BTreeMap<String, i64>,
    pub(super) users: BTreeMap<String, i64>,
}

impl Story {
    pub(super) fn org(&self, name: &str) -> anyhow::Result<i64> {
        self.orgs.get(name).copied().ok_or_else(|| anyhow!("the demo directory has no organisation named {name}"))
    }

    pub(super) fn user(&self, username: &str) -> Option<i64> {
        self.users.get(username).copied()
    }

    /// The department's side, for the steps the story names nobody for.
    fn department() -> Session {
        Session::system(Actor {
            user_id: None,
            grants: vec![Grant { role: Role::DepartmentOfficer, scope: Scope::Province }],
        })
    }

    /// A unit's side, for its reports whose author the story does not name.
    fn unit(org: i64) -> Session {
        Session::system(Actor {
            user_id: None,
            grants: vec![Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) }],
        })
    }

    /// The account `id` acting with its grants.
    async fn account(&self, id: i64) -> anyhow::Result<Session> {
        let db = self.app.db();
        let user = tiendo_db::identity::user(db, id).await?.with_context(|| format!("demo account {id}"))?;
        let grants = tiendo_db::identity::grants(db, id).await?.iter().filter_map(|g| g.grant()).collect();
        let session_user = SessionUser {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            organization_id: user.organization_id,
        };
        Ok(Session::as_user(session_user, Actor::user(id, grants)))
    }

    /// The account `id` when there is one, else `otherwise`.
    async fn as_account(&self, id: Option<i64>, otherwise: Session) -> anyhow::Result<Session> {
        match id {
            Some(id) => self.account(id).await,
            None => Ok(otherwise),
        }
    }

    /// Registers a document through the register's use case, by the department.
    #[expect(clippy::too_many_arguments, reason = "the fields of a register entry, named at each call")]
    pub(super) async fn document(
        &self,
        symbol: &str,
        issuer: Option<i64>,
        issued_on: Option<NaiveDate>,
        party_term: Option<&str>,
        signer: Option<&str>,
        summary: &str,
        implements: Option<i64>,
        is_sample: bool,
    ) -> anyhow::Result<i64> {
        let draft = LegalDocumentDraft {
            symbol: symbol.to_owned(),
            party_term: party_term.map(str::to_owned),
            issuer_org_id: issuer,
            issued_on,
            effective_on: issued_on,
            signer: signer.map(str::to_owned),
            summary: summary.to_owned(),
            implements_id: implements,
            is_sample,
            ..LegalDocumentDraft::default()
        };
        register::save(&self.app, &Story::department(), None, &draft)
            .await
            .with_context(|| format!("document {symbol}"))
    }

    async fn plan(&self, draft: PlanDraft) -> anyhow::Result<i64> {
        let title = draft.title.clone();
        let draft = PlanDraft { is_sample: true, ..draft };
        planning::save_plan(&self.app, &Story::department(), None, &draft)
            .await
            .with_context(|| format!("plan {title}"))
    }

    /// A target with its values by year.
    async fn target(&self, plan: i64, draft: TargetDraft, values: &[(i64, f64)], source: &str) -> anyhow::Result<i64> {
        let department = Story::department();
        let id = planning::add_target(&self.app, &department, plan, &draft).await.context("a target")?;
        for (year, value) in values {
            let value = ValueDraft {
                year: Some(*year),
                value: Some(*value),
                source: Some(source.to_owned()),
                ..ValueDraft::default()
            };
            planning::record_value(&self.app, &department, id, &value).await.context("a target's value")?;
        }
        Ok(id)
    }

    async fn task(
        &self,
        plan: i64,
        code: &str,
        title: &str,
        product: Option<&str>,
        weight: f64,
    ) -> anyhow::Result<i64> {
        let draft = TaskDraft {
            code: code.to_owned(),
            title: title.to_owned(),
            expected_product: product.map(str::to_owned),
            weight: Some(weight),
            ..TaskDraft::default()
        };
        planning::add_task(&self.app, &Story::department(), plan, &draft).await.with_context(|| format!("task {code}"))
    }

    /// Assigns a task on `assigned_on` (by the officer `by`, or the department), one assignment per lead;
    /// their ids in the order of `leads`.
    #[expect(clippy::too_many_arguments, reason = "one call per assignment of the story reads best flat")]
    async fn assign(
        &self,
        task: i64,
        leads: &[i64],
        coordinators: &[i64],
        deadline: Deadline,
        assigned_on: NaiveDate,
        by: Option<i64>,
        source: Option<i64>,
        priority: &str,
    ) -> anyhow::Result<Vec<i64>> {
        let session = self.as_account(by, Story::department()).await?;
        let draft = AssignDraft {
            leads: leads.to_vec(),
            coordinators: coordinators.to_vec(),
            deadline: DeadlineFields::from(deadline),
            priority: priority.to_owned(),
            assigned_on: Some(assigned_on),
            source_document_id: source,
            is_sample: true,
            ..AssignDraft::default()
        };
        let ids = assigning::assign(&self.app.at(at(assigned_on)), &session, task, &draft)
            .await
            .with_context(|| format!("assigning task {task}"))?;
        // The use case answers in the order of the leads' ids.
        let mut sorted = leads.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        Ok(leads.iter().filter_map(|l| sorted.iter().position(|s| s == l).map(|i| ids[i])).collect())
    }

    /// Writes an update as the unit wrote it then (by `author`, or the unit), and the assigning side's
    /// decision `decided_after` days later (by the department officer).
    pub(super) async fn report(
        &self,
        assignment: i64,
        org: i64,
        author: Option<i64>,
        r: Report<'_>,
    ) -> anyhow::Result<()> {
        let written = at(r.on);
        let draft = UpdateDraft {
            narrative: r.narrative.to_owned(),
            percent: Some(r.percent),
            difficulties: r.difficulties.map(str::to_owned),
            recommendations: r.recommendations.map(str::to_owned),
            completion_claimed_on: r.completed,
            is_sample: true,
            ..UpdateDraft::default()
        };
        let unit = self.as_account(author, Story::unit(org)).await?;
        let submit = r.status != UpdateStatus::Draft;
        let id = progress::create(&self.app.at(written), &unit, assignment, &draft, submit)
            .await
            .with_context(|| format!("an update of assignment {assignment} on {}", r.on))?;
        let action = match r.status {
            UpdateStatus::Accepted => UpdateAction::Accept,
            UpdateStatus::Returned => UpdateAction::Return,
            UpdateStatus::Draft | UpdateStatus::Submitted => return Ok(()),
        };
        let officer = self.as_account(self.user("chuyenvien"), Story::department()).await?;
        let decided = self.app.at(written + Duration::days(r.decided_after));
        progress::decide(&decided, &officer, id, action.code(), r.comment).await.context("a decision")?;
        Ok(())
    }
}

/// Loads the documents, plans, assignments and updates of the story (after the directory and the accounts).
pub async fn seed(db: &Db, files: &tiendo_db::files::FileStore) -> anyhow::Result<()> {
    let (orgs, users) = lookup(db).await?;
    let communes: Vec<(i64, String)> = db
        .fetch_all(Query::new(
            "SELECT id, name FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;
    let app = App::new(db.clone(), files.clone(), tiendo_app::Settings::default());
    let s = Story { app, orgs, users };
    resolution_07(&s).await.context("Nghị quyết 07-NQ/TU")?;
    resolution_57(&s, &communes).await.context("Nghị quyết 57-NQ/TW")?;
    Ok(())
}

/// A target of the story: name, unit, baseline (2016), target (2020), higher is better, values 2017–2020.
type TargetRow<'a> = (&'a str, &'a str, f64, f64, bool, [f64; 4]);

async fn resolution_07(s: &Story) -> anyhow::Result<()> {
    let party = s.org("Tỉnh ủy Quảng Ninh")?;
    let province = s.org("UBND tỉnh Quảng Ninh")?;
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let quang_yen = s.org("UBND thị xã Quảng Yên")?;
    let ha_long = s.org("UBND thành phố Hạ Long")?;

    let nq07 = s
        .document(
            "07-NQ/TU",
            Some(party),
            None,
            Some("2015–2020"),
            None,
            "Về phát triển khoa học và công nghệ tỉnh Quảng Ninh",
            None,
            false,
        )
        .await?;
    // The reports on three years of implementation (numbers and dates invented).
    s.document(
        "45/BC-UBND",
        Some(quang_yen),
        Some(day(2020, 3, 25)),
        None,
        None,
        "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU",
        None,
        true,
    )
    .await?;
    s.document(
        "61/BC-UBND",
        Some(ha_long),
        Some(day(2020, 4, 10)),
        None,
        None,
        "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU",
        None,
        true,
    )
    .await?;

    let resolution = s
        .plan(PlanDraft {
            kind: "resolution".into(),
            title: "Thực hiện Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ".into(),
            document_id: Some(nq07),
            parent_id: None,
            owner_org_id: Some(so),
            period_start: Some(day(2017, 1, 1)),
            period_end: Some(day(2020, 12, 31)),
            ..PlanDraft::default()
        })
        .await?;
    let programme = s
        .plan(PlanDraft {
            kind: "programme".into(),
            title: "Chương trình hành động thực hiện Nghị quyết 07-NQ/TU giai đoạn 2017–2020".into(),
            document_id: Some(nq07),
            parent_id: Some(resolution),
            owner_org_id: Some(province),
            period_start: Some(day(2017, 5, 1)),
            period_end: Some(day(2020, 12, 31)),
            ..PlanDraft::default()
        })
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
        let values: Vec<(i64, f64)> = (2017..).zip(values).collect();
        s.target(resolution, draft, &values, "Báo cáo của Sở KH&CN (dữ liệu mẫu)").await?;
    }

    // 1. Dissemination: Quảng Yên on time, Hạ Long late.
    let t1 = s
        .task(
            programme,
            "1",
            "Tuyên truyền, quán triệt Nghị quyết 07-NQ/TU đến cán bộ, đảng viên và nhân dân",
            Some("Hội nghị quán triệt; chuyên mục trên cổng thông tin"),
            1.0,
        )
        .await?;
    let a = s
        .assign(
            t1,
            &[quang_yen, ha_long],
            &[],
            Deadline::Fixed { date: day(2017, 6, 30) },
            day(2017, 5, 15),
            None,
            Some(nq07),
            "normal",
        )
        .await?;
    s.report(a[0], quang_yen, None, Report::done(day(2017, 6, 20), "Đã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt; mở chuyên mục trên cổng thông tin điện tử thị xã.")).await?;
    s.report(
        a[1],
        ha_long,
        None,
        Report::accepted(
            day(2017, 6, 28),
            60,
            "Đã quán triệt tới cấp ủy các phường; còn 8 phường chưa tổ chức hội nghị.",
        ),
    )
    .await?;
    s.report(a[1], ha_long, None, Report::done(day(2017, 7, 12), "Hoàn thành quán triệt tại tất cả các phường, xã."))
        .await?;

    // 2. Proposing S&T tasks for the province, over the whole period.
    let t2 = s
        .task(
            programme,
            "2",
            "Đề xuất đặt hàng nhiệm vụ KH&CN cấp tỉnh phục vụ phát triển kinh tế - xã hội địa phương",
            Some("Danh mục đề xuất đặt hàng hằng năm"),
            2.0,
        )
        .await?;
    let a = s
        .assign(
            t2,
            &[quang_yen, ha_long],
            &[so],
            Deadline::Period { from: day(2017, 5, 15), to: day(2020, 12, 31) },
            day(2017, 5, 15),
            None,
            Some(nq07),
            "normal",
        )
        .await?;
    for (i, (org, first)) in [(quang_yen, 3), (ha_long, 2)].into_iter().enumerate() {
        s.report(
            a[i],
            org,
            None,
            Report::accepted(day(2018, 10, 15), 25, "Đã gửi Sở KH&CN danh mục đề xuất năm 2019."),
        )
        .await?;
        s.report(
            a[i],
            org,
            None,
            Report::accepted(day(2019, 10, 20), 55, "Đã gửi danh mục đề xuất năm 2020; 02 nhiệm vụ được phê duyệt."),
        )
        .await?;
        let narrative = if first == 3 {
            "Trong giai đoạn 2017–2020 đã đề xuất 07 nhiệm vụ, 03 nhiệm vụ được phê duyệt và triển khai."
        } else {
            "Trong giai đoạn 2017–2020 đã đề xuất 05 nhiệm vụ, 02 nhiệm vụ được phê duyệt và triển khai."
        };
        s.report(a[i], org, None, Report::done(day(2020, 12, 15), narrative)).await?;
    }

    // 3. The reports on three years of implementation: Quảng Yên and the Sở on time, Hạ Long late.
    let t3 = s
        .task(
            programme,
            "3",
            "Báo cáo kết quả 03 năm thực hiện Nghị quyết 07-NQ/TU",
            Some("Báo cáo sơ kết gửi Tỉnh ủy"),
            1.0,
        )
        .await?;
    let a = s
        .assign(
            t3,
            &[quang_yen, ha_long, so],
            &[],
            Deadline::Fixed { date: day(2020, 3, 31) },
            day(2020, 1, 15),
            None,
            Some(nq07),
            "high",
        )
        .await?;
    s.report(
        a[0],
        quang_yen,
        None,
        Report {
            recommendations: Some("Đề nghị Sở KH&CN hỗ trợ xây dựng kế hoạch KH&CN và chương trình khung cho thị xã."),
            ..Report::done(day(2020, 3, 25), "Báo cáo số 45/BC-UBND: sau 03 năm, thị xã đã triển khai 03 nhiệm vụ KH&CN cấp tỉnh, hỗ trợ 02 doanh nghiệp đổi mới công nghệ trong nuôi trồng thủy sản.")
        },
    )
    .await?;
    s.report(
        a[1],
        ha_long,
        None,
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
        None,
        Report::done(day(2020, 4, 10), "Báo cáo số 61/BC-UBND (đã bổ sung số liệu doanh nghiệp KH&CN)."),
    )
    .await?;
    s.report(
        a[2],
        so,
        None,
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
            "4",
            "Hỗ trợ doanh nghiệp đăng ký chứng nhận doanh nghiệp khoa học và công nghệ",
            Some("Doanh nghiệp được cấp giấy chứng nhận"),
            1.0,
        )
        .await?;
    let a = s
        .assign(t4, &[so], &[quang_yen, ha_long], Deadline::Continuous, day(2017, 5, 15), None, Some(nq07), "normal")
        .await?;
    s.report(
        a[0],
        so,
        None,
        Report::accepted(
            day(2018, 12, 10),
            30,
            "Đã hướng dẫn 05 doanh nghiệp hoàn thiện hồ sơ; 02 doanh nghiệp được cấp giấy chứng nhận.",
        ),
    )
    .await?;
    s.report(
        a[0],
        so,
        None,
        Report::accepted(day(2019, 12, 12), 55, "Lũy kế 15 doanh nghiệp KH&CN trên địa bàn tỉnh."),
    )
    .await?;
    s.report(
        a[0],
        so,
        None,
        Report {
            difficulties: Some("Nhiều doanh nghiệp nhỏ chưa có kết quả KH&CN đủ điều kiện chứng nhận."),
            ..Report::accepted(day(2020, 12, 14), 70, "Lũy kế 21 doanh nghiệp KH&CN, vượt chỉ tiêu nghị quyết.")
        },
    )
    .await?;

    // The conclusions of the working visit of 27/02/2020 are its directives (`super::visits`), tracked in a
    // plan under this programme.
    Ok(())
}

async fn resolution_57(s: &Story, communes: &[(i64, String)]) -> anyhow::Result<()> {
    let province = s.org("UBND tỉnh Quảng Ninh")?;
    let so = s.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh")?;
    let officer = s.user("chuyenvien");
    let ha_an = s.org("UBND phường Hà An")?;
    let ha_an_reporter = s.user("phuong.haan");
    let today = s.app.today();

    let nq57 = s
        .document(
            "57-NQ/TW",
            None,
            Some(day(2024, 12, 22)),
            Some("2021–2026"),
            Some("Tổng Bí thư Tô Lâm"),
            "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            None,
            false,
        )
        .await?;
    let kh = s
        .document(
            "128/KH-UBND",
            Some(province),
            Some(day(2025, 7, 10)),
            None,
            None,
            "Kế hoạch thực hiện Nghị quyết 57-NQ/TW trên địa bàn tỉnh sau sắp xếp đơn vị hành chính",
            Some(nq57),
            true,
        )
        .await?;
    let plan = s
        .plan(PlanDraft {
            kind: "plan".into(),
            title: "Kế hoạch thực hiện Nghị quyết 57-NQ/TW tại các xã, phường, đặc khu năm 2025–2026".into(),
            document_id: Some(kh),
            parent_id: None,
            owner_org_id: Some(so),
            period_start: Some(day(2025, 7, 1)),
            period_end: Some(day(2026, 12, 31)),
            ..PlanDraft::default()
        })
        .await?;
    let draft = TargetDraft {
        name: "Tỷ lệ hồ sơ thủ tục hành chính cấp xã nộp trực tuyến".into(),
        unit: "%".into(),
        baseline_value: Some(42.0),
        baseline_year: Some(2024),
        target_value: Some(80.0),
        target_year: Some(2026),
        higher_is_better: true,
        ..TargetDraft::default()
    };
    s.target(plan, draft, &[(2025, 61.5)], "Tổng hợp từ Cổng dịch vụ công (dữ liệu mẫu)").await?;
    let ids: Vec<i64> = communes.iter().map(|(id, _)| *id).collect();
    let assigned = day(2025, 7, 15);

    // 1. Every commune reviews its S&T and digital-transformation staff; most finish, some late, a few not yet.
    let t1 = s
        .task(
            plan,
            "1",
            "Rà soát, cập nhật đội ngũ công chức cấp xã làm công tác KH&CN, chuyển đổi số",
            Some("Danh sách công chức phụ trách"),
            1.0,
        )
        .await?;
    let a = s
        .assign(t1, &ids, &[], Deadline::Fixed { date: day(2025, 9, 30) }, assigned, officer, Some(kh), "normal")
        .await?;
    for (i, (assignment, org)) in a.iter().zip(&ids).enumerate() {
        let author = if *org == ha_an { ha_an_reporter } else { None };
        match i % 9 {
            0..=5 => {
                let on = day(2025, 9, 10 + (i % 15) as u32);
                s.report(
                    *assignment,
                    *org,
                    author,
                    Report::done(
                        on,
                        "Đã rà soát, phân công công chức phụ trách KH&CN và chuyển đổi số; danh sách gửi kèm.",
                    ),
                )
                .await?;
            }
            6 | 7 => {
                let on = day(2025, 10, 5 + (i % 20) as u32);
                s.report(*assignment, *org, author, Report::done(on, "Hoàn thành rà soát sau khi kiện toàn bộ máy."))
                    .await?;
            }
            _ => {
                s.report(
                    *assignment,
                    *org,
                    author,
                    Report {
                        difficulties: Some("Chưa bố trí đủ công chức sau sắp xếp."),
                        ..Report::accepted(day(2025, 9, 25), 40 + (i % 4) as i64 * 10, "Đã rà soát một phần đội ngũ.")
                    },
                )
                .await?;
            }
        }
    }

    // 2. A yearly report by 15/12: the 2025 cycle closed, the 2026 cycle open.
    let t2 =
        s.task(plan, "2", "Báo cáo tình hình thực hiện Nghị quyết 57-NQ/TW hằng năm", Some("Báo cáo năm"), 1.0).await?;
    let a =
        s.assign(t2, &ids, &[], Deadline::Yearly { month: 12, day: 15 }, assigned, officer, Some(kh), "normal").await?;
    for (i, (assignment, org)) in a.iter().zip(&ids).enumerate().filter(|(i, _)| i % 3 == 0) {
        let author = if *org == ha_an { ha_an_reporter } else { None };
        s.report(
            *assignment,
            *org,
            author,
            Report::accepted(
                day(2025, 12, 10 + (i % 5) as u32),
                50,
                "Báo cáo năm 2025 đã gửi; tiếp tục triển khai năm 2026.",
            ),
        )
        .await?;
    }

    // 3. A digital platform at the one-stop desks of ten wards, over a period that has ended.
    let wards: Vec<i64> =
        communes.iter().filter(|(_, n)| n.starts_with("UBND phường")).map(|(id, _)| *id).take(10).collect();
    let t3 = s
        .task(
            plan,
            "3",
            "Triển khai nền tảng số phục vụ người dân tại bộ phận một cửa",
            Some("Nền tảng vận hành tại bộ phận một cửa"),
            2.0,
        )
        .await?;
    let a = s
        .assign(
            t3,
            &wards,
            &[so],
            Deadline::Period { from: day(2025, 8, 1), to: day(2026, 6, 30) },
            assigned,
            officer,
            Some(kh),
            "high",
        )
        .await?;
    for (i, (assignment, org)) in a.iter().zip(&wards).enumerate() {
        let author = if *org == ha_an { ha_an_reporter } else { None };
        s.report(
            *assignment,
            *org,
            author,
            Report::accepted(day(2026, 1, 15), 35, "Đã lắp đặt thiết bị, đang đào tạo công chức."),
        )
        .await?;
        if i % 2 == 0 {
            s.report(
                *assignment,
                *org,
                author,
                Report::done(
                    day(2026, 6, 10 + (i % 4) as u32 * 10),
                    "Nền tảng đã vận hành; người dân tra cứu hồ sơ trực tuyến.",
                ),
            )
            .await?;
        } else if i % 3 == 0 {
            s.report(
                *assignment,
                *org,
                author,
                Report {
                    status: UpdateStatus::Submitted,
                    difficulties: Some("Đường truyền chưa ổn định."),
                    ..Report::accepted(today - Duration::days(4), 85, "Đã vận hành thử; chờ nghiệm thu.")
                },
            )
            .await?;
        }
    }

    // 4–5. Current work: training due soon, and Minh Hàn's application at risk (little progress, close deadline).
    let t4 =
        s.task(plan, "4", "Tập huấn kỹ năng số cho cán bộ, công chức cấp xã", Some("03 lớp tập huấn"), 1.0).await?;
    let a = s
        .assign(
            t4,
            &[so],
            &wards[..wards.len().min(4)],
            Deadline::Fixed { date: today + Duration::days(18) },
            assigned,
            officer,
            Some(kh),
            "normal",
        )
        .await?;
    s.report(
        a[0],
        so,
        None,
        Report::accepted(today - Duration::days(20), 60, "Đã tổ chức 02/03 lớp tập huấn với 180 học viên."),
    )
    .await?;
    let t5 = s
        .task(
            plan,
            "5",
            "Hỗ trợ Công ty TNHH thủy sản Minh Hàn hoàn thiện hồ sơ chứng nhận doanh nghiệp KH&CN",
            Some("Hồ sơ nộp Sở KH&CN"),
            1.0,
        )
        .await?;
    let a = s
        .assign(
            t5,
            &[ha_an],
            &[so],
            Deadline::Fixed { date: today + Duration::days(12) },
            day(2026, 9, 1),
            officer,
            Some(kh),
            "high",
        )
        .await?;
    s.report(
        a[0],
        ha_an,
        ha_an_reporter,
        Report::accepted(today - Duration::days(30), 30, "Đã làm việc với doanh nghiệp, thống nhất danh mục hồ sơ."),
    )
    .await?;
    s.report(
        a[0],
        ha_an,
        ha_an_reporter,
        Report {
            status: UpdateStatus::Draft,
            ..Report::accepted(today - Duration::days(1), 45, "Doanh nghiệp đang hoàn thiện thuyết minh kết quả KH&CN.")
        },
    )
    .await?;
    Ok(())
}
