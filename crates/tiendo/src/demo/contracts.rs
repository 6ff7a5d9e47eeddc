//! Tasks under contract in the demo (issue 17 item 9). Three stories, each step a use case taken by the
//! person who took it, on its day:
//!
//! - The shrimp task the province listed in 2020 (part 1's story): a call for selection in August 2020,
//!   the Viện Nghiên cứu và Phát triển Vùng's dossier judged, revised, its budget appraised, approved in
//!   November; the contract signed in January 2021; paid by instalment; an inspection found it behind in
//!   December 2021; extended by six months in December 2022; its milestones reached; accepted in
//!   September 2023, graded Khá; liquidated; its results registered and applied by Minh Hàn since 2024.
//! - A task running today (relative to the day the demo is loaded): Agritech's model of smart greenhouses,
//!   signed ten months ago, one milestone overdue, the next due next week, its second instalment late.
//! - A task terminated: Hà An ward's seaweed drying model, suspended after an inspection found it had not
//!   started, then terminated with part of the money to recover.
//!
//! The tasks, contracts and money are invented and marked as sample data.

use anyhow::anyhow;
use chrono::{Datelike, Duration, NaiveDate};
use tiendo_app::App;
use tiendo_app::Session;
use tiendo_app::sci_tech::acceptance as ac;
use tiendo_app::sci_tech::contracts::{self as ct, ChangeRequest};
use tiendo_app::sci_tech::task_reports as tr;
use tiendo_app::sci_tech::{self as st, ProposalSave, TransitionRequest};
use tiendo_core::sci_tech::acceptance::{
    ClosingDraft, DossierDraft, EvaluationDraft, ProductRatingDraft, RegistrationDraft, UseDraft,
};
use tiendo_core::sci_tech::contract::{ContractDraft, InstalmentDraft, MilestoneDraft, SourceDraft, YearDraft};
use tiendo_core::sci_tech::implementation::{InspectionDraft, PaymentDraft, StepDraft};
use tiendo_core::sci_tech::{BudgetLineDraft, CallDraft, DecisionDraft, ProductDraft, ProposalDraft, TeamMemberDraft};
use tiendo_db::Exec;

use super::story::{Story, account, at_time, day};

/// The shrimp task's contract number.
pub const SHRIMP_CONTRACT: &str = "05/2021/HĐ-KHCN";
/// The task running today.
pub const GREENHOUSE: &str = "Ứng dụng công nghệ nhà màng thông minh trong sản xuất rau an toàn tại thành phố Hạ Long";
/// The task terminated.
pub const SEAWEED: &str = "Xây dựng mô hình sấy rong biển bằng năng lượng mặt trời tại phường Hà An";

fn text(s: &str) -> String {
    s.to_owned()
}

fn d(date: NaiveDate) -> String {
    tiendo_core::fmt::date(date)
}

fn decision(symbol: &str, date: NaiveDate, signer: &str) -> DecisionDraft {
    DecisionDraft { symbol: text(symbol), date: d(date), signer: text(signer) }
}

fn step(action: &str) -> TransitionRequest {
    let mut r = TransitionRequest::default();
    r.draft.action = text(action);
    r
}

fn step_with(action: &str, doc: DecisionDraft) -> TransitionRequest {
    let mut r = step(action);
    r.draft.decision = doc;
    r
}

/// Loads the three stories (after part 1's S&T story).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    shrimp(s).await.map_err(|e| anyhow!("the shrimp task under contract: {e:#}"))?;
    greenhouse(s).await.map_err(|e| anyhow!("the task running today: {e:#}"))?;
    seaweed(s).await.map_err(|e| anyhow!("the task terminated: {e:#}"))
}

async fn at(s: &Story, date: NaiveDate, hour: u32) -> anyhow::Result<App> {
    s.at(at_time(date, hour, 0))
}

/// Takes `request` on proposal `id` at `date` as `who`.
async fn take(s: &Story, who: &Session, id: i64, date: NaiveDate, request: TransitionRequest) -> anyhow::Result<()> {
    let action = request.draft.action.clone();
    st::transition(&at(s, date, 10).await?, who, id, request).await.map_err(|e| anyhow!("{action}: {e:?}"))
}

/// A call published on `opens` and closing on `closes`; its id.
async fn call(s: &Story, draft: CallDraft, opens: NaiveDate) -> anyhow::Result<i64> {
    let officer = s.officer().await?;
    let app = at(s, opens, 8).await?;
    let id = st::create_sample_call(&app, &officer, &draft).await.map_err(|e| anyhow!("call: {e:?}"))?;
    st::publish_call(&app, &officer, id).await.map_err(|e| anyhow!("publishing: {e:?}"))?;
    Ok(id)
}

/// A dossier sent on `sent` and carried through the council (recorded by hand), the revisions asked and
/// sent, and, except for a grassroots task, the budget appraisal; approved by the leader on `approved`.
async fn approved_dossier(
    s: &Story,
    owner: &Session,
    call_id: i64,
    draft: &ProposalDraft,
    days: [NaiveDate; 7],
    approval: &str,
    grassroots: bool,
) -> anyhow::Result<i64> {
    let [sent, opened, judged, asked, revised, appraised, approved] = days;
    let officer = s.officer().await?;
    let leader = account(s.app.db(), "lanhdao").await?;
    let id = st::create_proposal(&at(s, sent, 15).await?, owner, call_id, draft, ProposalSave::Send)
        .await
        .map_err(|e| anyhow!("the dossier: {e:?}"))?;
    take(s, &officer, id, opened, step("open_valid")).await?;
    take(s, &officer, id, judged, step("to_council")).await?;
    let minutes = decision(&format!("{}/BB-HĐKHCN", 20 + judged.day()), judged, "Nguyễn Văn Khoa, Chủ tịch Hội đồng");
    take(s, &officer, id, judged, step_with("select", minutes)).await?;
    let mut revise = step("request_revision");
    revise.draft.note =
        text("Đề nghị chi tiết hóa tiến độ, sản phẩm từng giai đoạn và dự toán theo Thông tư 02/2023/TT-BKHCN.");
    take(s, &officer, id, asked, revise).await?;
    take(s, owner, id, revised, step("submit_revision")).await?;
    if !grassroots {
        let appraisal = decision(
            &format!("{}/BB-TĐKP", 30 + appraised.day()),
            appraised,
            "Phòng Kế hoạch - Tài chính, Sở Khoa học và Công nghệ",
        );
        take(s, &officer, id, appraised, step_with("appraise_budget", appraisal)).await?;
    }
    let signer = "Đặng Huy Hậu, Phó Chủ tịch UBND tỉnh";
    take(s, &leader, id, approved, step_with("approve", decision(approval, approved, signer))).await?;
    Ok(id)
}

struct Plan<'a> {
    number: &'a str,
    signed: NaiveDate,
    starts: NaiveDate,
    ends: NaiveDate,
    host: i64,
    pi: &'a str,
    team: &'a [(&'a str, &'a str)],
    state_budget: &'a [(i32, i64)],
    counterpart: &'a [(i32, i64)],
    lump_sum: i64,
    instalments: &'a [(i64, NaiveDate, &'a str)],
    products: &'a [(&'a str, &'a str, &'a str, &'a str)],
    milestones: &'a [(&'a str, NaiveDate, &'a str)],
    /// Months between progress reports ("" for the default six).
    report_every: &'a str,
}

impl Plan<'_> {
    fn draft(&self) -> ContractDraft {
        let sum = |lines: &[(i32, i64)]| lines.iter().map(|(_, a)| a).sum::<i64>();
        let mut sources =
            vec![SourceDraft { source: text("state_budget"), amount: sum(self.state_budget).to_string() }];
        if !self.counterpart.is_empty() {
            sources.push(SourceDraft { source: text("counterpart"), amount: sum(self.counterpart).to_string() });
        }
        let years = self
            .state_budget
            .iter()
            .map(|(y, a)| ("state_budget", y, a))
            .chain(self.counterpart.iter().map(|(y, a)| ("counterpart", y, a)))
            .map(|(source, y, a)| YearDraft { year: y.to_string(), source: text(source), amount: a.to_string() })
            .collect();
        ContractDraft {
            number: text(self.number),
            signed_on: d(self.signed),
            starts_on: d(self.starts),
            ends_on: d(self.ends),
            host_org_id: self.host.to_string(),
            pi_name: text(self.pi),
            team: self.team.iter().map(|(n, r)| TeamMemberDraft { name: text(n), role: text(r) }).collect(),
            sources,
            years,
            lump_sum: if self.lump_sum > 0 { self.lump_sum.to_string() } else { String::new() },
            instalments: self
                .instalments
                .iter()
                .map(|(a, due, c)| InstalmentDraft { amount: a.to_string(), due_on: d(*due), condition: text(c) })
                .collect(),
            products: self
                .products
                .iter()
                .map(|(n, u, q, r)| ProductDraft {
                    name: text(n),
                    unit: text(u),
                    quantity: text(q),
                    requirements: text(r),
                })
                .collect(),
            milestones: self
                .milestones
                .iter()
                .map(|(t, due, p)| MilestoneDraft { title: text(t), due_on: d(*due), products: text(p) })
                .collect(),
            report_every_months: text(self.report_every),
        }
    }
}

/// A periodic report written and submitted by the host's account on `submitted`, then accepted by the
/// officer on `accepted` (or left waiting when `None`); `which` is the report's kind and number.
async fn report(
    s: &Story,
    host: &Session,
    id: i64,
    (kind, seq): (&str, i64),
    values: &[(&str, &str)],
    submitted: NaiveDate,
    accepted: Option<NaiveDate>,
) -> anyhow::Result<()> {
    let request = tr::SaveReport {
        version: 1,
        inputs: values.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        submit: true,
    };
    tr::save_report(&at(s, submitted, 10).await?, host, id, kind, seq, &request)
        .await
        .map_err(|e| anyhow!("{kind} report {seq}: {e:?}"))?;
    if let Some(on) = accepted {
        let officer = s.officer().await?;
        tr::decide_report(&at(s, on, 15).await?, &officer, id, kind, seq, true, "")
            .await
            .map_err(|e| anyhow!("accepting {kind} report {seq}: {e:?}"))?;
    }
    Ok(())
}

async fn pay(s: &Story, id: i64, instalment: u32, amount: i64, on: NaiveDate, voucher: &str) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    let draft = PaymentDraft {
        instalment: instalment.to_string(),
        amount: amount.to_string(),
        paid_on: d(on),
        voucher: text(voucher),
        note: String::new(),
    };
    ct::record_payment(&at(s, on, 14).await?, &officer, id, &draft).await.map_err(|e| anyhow!("payment: {e:?}"))?;
    Ok(())
}

async fn reach(s: &Story, id: i64, seq: i64, on: NaiveDate, note: &str) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    ct::reach_milestone(&at(s, on, 16).await?, &officer, id, seq, &d(on), note)
        .await
        .map_err(|e| anyhow!("milestone {seq}: {e:?}"))
}

async fn inspect(s: &Story, id: i64, on: NaiveDate, result: &str, minutes: &str, findings: &str) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    let draft = InspectionDraft {
        held_on: d(on),
        result: text(result),
        minutes_symbol: text(minutes),
        findings: text(findings),
    };
    ct::record_inspection(&at(s, on, 16).await?, &officer, id, &draft)
        .await
        .map_err(|e| anyhow!("inspection: {e:?}"))?;
    Ok(())
}

async fn shrimp(s: &Story) -> anyhow::Result<()> {
    let db = s.app.db();
    let (listed,): (i64,) = db
        .fetch_one(
            tiendo_db::Query::new("SELECT id FROM st_proposals WHERE title = $1").bind(super::sci_tech::APPROVED),
        )
        .await?;
    let institute = s.org("Viện Nghiên cứu và Phát triển Vùng")?;
    let selection = CallDraft {
        title: text("Thông báo tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2021"),
        year: text("2021"),
        regime: text("2013"),
        route: text("selection"),
        opens_on: text("03/08/2020"),
        opens_time: text("08:00"),
        closes_on: text("03/09/2020"),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản"),
        eligibility: text("Tổ chức khoa học và công nghệ có chức năng phù hợp, có năng lực thực hiện nhiệm vụ."),
        forms: text("Thuyết minh nhiệm vụ (mẫu B1-2-TMĐTCN)\nLý lịch khoa học của chủ nhiệm\nDự toán kinh phí"),
        listed_id: listed.to_string(),
        ..CallDraft::default()
    };
    let call_id = call(s, selection, day(2020, 8, 3)).await?;
    let vien = account(db, "vien.ptv").await?;
    let dossier = ProposalDraft {
        title: text(super::sci_tech::APPROVED),
        field: text("Nông nghiệp, thủy sản"),
        urgency: text("Thị xã có trên 3.000 ha nuôi tôm; dịch bệnh và ô nhiễm nguồn nước làm năng suất giảm."),
        objectives: text(
            "Làm chủ và chuyển giao quy trình nuôi tôm thẻ chân trắng thâm canh trong hệ thống tuần hoàn.",
        ),
        content: text(
            "Điều tra thực trạng; hoàn thiện quy trình; xây dựng mô hình 2 ha tại xã Hoàng Tân; tập huấn 50 hộ.",
        ),
        products: vec![
            ProductDraft {
                name: text("Quy trình nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn"),
                unit: text("quy trình"),
                quantity: text("1"),
                requirements: text("Được Hội đồng KH&CN cơ sở công nhận"),
            },
            ProductDraft {
                name: text("Mô hình trình diễn"),
                unit: text("ha"),
                quantity: text("2"),
                requirements: text("Năng suất từ 18 tấn/ha/vụ"),
            },
            ProductDraft {
                name: text("Hộ nuôi được tập huấn"),
                unit: text("hộ"),
                quantity: text("50"),
                requirements: String::new(),
            },
        ],
        duration_months: text("24"),
        budget_total: text("2.300.000.000"),
        budget: vec![
            BudgetLineDraft { source: text("state_budget"), amount: text("1.850.000.000") },
            BudgetLineDraft { source: text("counterpart"), amount: text("450.000.000") },
        ],
        proposer_kind: text("organization"),
        proposer_name: text("Viện Nghiên cứu và Phát triển Vùng"),
        contact_name: text("Nguyễn Đắc Bình Minh"),
        contact_phone: text("024 3943 1234"),
        host_name: text("Viện Nghiên cứu và Phát triển Vùng"),
        pi_name: text("TS. Nguyễn Đắc Bình Minh"),
        team: vec![
            TeamMemberDraft { name: text("TS. Nguyễn Đắc Bình Minh"), role: text("Chủ nhiệm") },
            TeamMemberDraft { name: text("ThS. Vũ Thị Lan"), role: text("Thư ký khoa học") },
        ],
        ..ProposalDraft::default()
    };
    let days = [
        day(2020, 8, 28),
        day(2020, 9, 8),
        day(2020, 9, 25),
        day(2020, 9, 30),
        day(2020, 10, 12),
        day(2020, 10, 28),
        day(2020, 11, 20),
    ];
    let dossier = approved_dossier(s, &vien, call_id, &dossier, days, "2890/QĐ-UBND", false).await?;
    let plan = Plan {
        number: SHRIMP_CONTRACT,
        signed: day(2021, 1, 15),
        starts: day(2021, 2, 1),
        ends: day(2023, 1, 31),
        host: institute,
        pi: "TS. Nguyễn Đắc Bình Minh",
        team: &[("ThS. Vũ Thị Lan", "Thư ký khoa học"), ("KS. Trần Văn Hòa", "Thành viên")],
        state_budget: &[(2021, 1_100_000_000), (2022, 750_000_000)],
        counterpart: &[(2021, 200_000_000), (2022, 250_000_000)],
        lump_sum: 1_200_000_000,
        instalments: &[
            (800_000_000, day(2021, 2, 20), "Sau khi ký hợp đồng"),
            (750_000_000, day(2022, 3, 15), "Sau kiểm tra định kỳ và báo cáo tiến độ năm 2021"),
            (300_000_000, day(2023, 1, 15), "Sau nghiệm thu cấp cơ sở"),
        ],
        products: &[
            (
                "Quy trình nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn",
                "quy trình",
                "1",
                "Được Hội đồng KH&CN cơ sở công nhận",
            ),
            ("Mô hình trình diễn", "ha", "2", "Năng suất từ 18 tấn/ha/vụ"),
            ("Hộ nuôi được tập huấn", "hộ", "50", ""),
        ],
        milestones: &[
            ("Điều tra thực trạng nuôi tôm tại 10 xã, phường", day(2021, 6, 30), "Báo cáo điều tra"),
            ("Hoàn thiện quy trình nuôi tuần hoàn", day(2021, 12, 31), "Dự thảo quy trình"),
            ("Xây dựng mô hình 2 ha tại xã Hoàng Tân", day(2022, 9, 30), "Mô hình, sổ theo dõi"),
            ("Tập huấn 50 hộ nuôi; báo cáo tổng kết", day(2023, 1, 15), "Tài liệu tập huấn, báo cáo tổng kết"),
        ],
        // A report a year, as the province's contracts of the time asked.
        report_every: "12",
    };
    let officer = s.officer().await?;
    let id = ct::sign_sample_contract(&at(s, plan.signed, 9).await?, &officer, dossier, &plan.draft())
        .await
        .map_err(|e| anyhow!("the contract: {e:?}"))?;
    pay(s, id, 1, 800_000_000, day(2021, 2, 20), "UNC 45/KBNN-QN").await?;
    reach(s, id, 0, day(2021, 7, 8), "Báo cáo điều tra 10 xã, phường đã nộp (chậm 8 ngày).").await?;
    inspect(
        s,
        id,
        day(2021, 12, 14),
        "late",
        "45/BB-SKHCN",
        "Quy trình đã có dự thảo; việc cải tạo ao cho mô hình chậm khoảng 3 tháng do dịch COVID-19. Đề nghị đơn vị \
         chủ trì bổ sung nhân lực, hoàn thành cải tạo ao trước 31/3/2022.",
    )
    .await?;
    reach(s, id, 1, day(2022, 1, 20), "Dự thảo quy trình được hội đồng cơ sở góp ý.").await?;
    // The report of the first year, due 01/02/2022, sent 17 days late.
    let first = [
        (
            "work_done",
            "Điều tra thực trạng nuôi tôm tại 10 xã, phường; xây dựng dự thảo quy trình nuôi tuần hoàn; khởi công \
             cải tạo 2 ha ao tại xã Hoàng Tân.",
        ),
        ("products", "Báo cáo điều tra; dự thảo quy trình. Mô hình chưa có (ao đang cải tạo)."),
        ("milestone.0", "Đã nộp báo cáo điều tra ngày 08/7/2021."),
        ("milestone.1", "Dự thảo quy trình đã được hội đồng cơ sở góp ý ngày 20/01/2022."),
        ("percent", "40"),
        ("spent_state", "640.000.000"),
        ("spent_other", "110.000.000"),
        ("problems", "Dịch COVID-19 làm chậm việc cải tạo ao khoảng 3 tháng."),
        ("proposals", "Đề nghị cấp kinh phí đợt 2 để thả giống vụ 1 năm 2022."),
    ];
    report(s, &vien, id, ("progress", 1), &first, day(2022, 2, 18), Some(day(2022, 2, 25))).await?;
    pay(s, id, 2, 750_000_000, day(2022, 3, 15), "UNC 112/KBNN-QN").await?;
    reach(s, id, 2, day(2022, 11, 25), "Mô hình 2 ha thu hoạch vụ 1 đạt 19,2 tấn/ha.").await?;

    // 20/12/2022: extended to 31/07/2023, the last milestone moved with it.
    let leader = account(db, "lanhdao").await?;
    let mut extended = plan.draft();
    extended.ends_on = text("31/07/2023");
    extended.instalments[2].due_on = text("15/07/2023");
    extended.milestones[3].due_on = text("15/07/2023");
    let request = ChangeRequest {
        kind: text("extension"),
        contract: extended,
        step: StepDraft {
            decision: decision("3120/QĐ-SKHCN", day(2022, 12, 20), "Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ"),
            note: text("Gia hạn 6 tháng do ảnh hưởng của dịch COVID-19 đến việc cải tạo ao nuôi năm 2021."),
            to_recover: String::new(),
        },
        version: 1,
    };
    ct::change_contract(&at(s, day(2022, 12, 20), 15).await?, &leader, id, &request)
        .await
        .map_err(|e| anyhow!("the extension: {e:?}"))?;
    // The extension brought a second report, due 01/02/2023: sent on time.
    let second = [
        ("work_done", "Vận hành mô hình 2 ha qua vụ 1; hoàn thiện quy trình; chuẩn bị tài liệu tập huấn."),
        ("products", "Mô hình 2 ha đạt 19,2 tấn/ha/vụ; quy trình hoàn thiện; tài liệu tập huấn."),
        ("milestone.2", "Mô hình thu hoạch vụ 1 ngày 25/11/2022, năng suất 19,2 tấn/ha."),
        ("percent", "85"),
        ("spent_state", "720.000.000"),
        ("spent_other", "300.000.000"),
        ("problems", ""),
        ("proposals", "Tập huấn 50 hộ trong quý II/2023 theo thời hạn gia hạn."),
    ];
    report(s, &vien, id, ("progress", 2), &second, day(2023, 1, 20), Some(day(2023, 2, 2))).await?;
    reach(s, id, 3, day(2023, 7, 10), "Tập huấn 52 hộ; báo cáo tổng kết đã nộp.").await?;
    pay(s, id, 3, 300_000_000, day(2023, 7, 20), "UNC 301/KBNN-QN").await?;
    accept_shrimp(s, id).await
}

/// The shrimp task's acceptance in 2023, graded Khá, its results registered and applied by Minh Hàn.
async fn accept_shrimp(s: &Story, id: i64) -> anyhow::Result<()> {
    let db = s.app.db();
    let officer = s.officer().await?;
    let leader = account(db, "lanhdao").await?;
    let dossier = DossierDraft {
        internal_on: text("25/07/2023"),
        internal_minutes: text("08/BB-VPTV"),
        submitted_on: text("10/08/2023"),
        rule_set: String::new(),
    };
    ac::submit_dossier(&at(s, day(2023, 8, 10), 10).await?, &officer, id, &dossier)
        .await
        .map_err(|e| anyhow!("the dossier: {e:?}"))?;
    let rated = |quantity: &str, quality: &str| ProductRatingDraft {
        quantity: text(quantity),
        reached_percent: String::new(),
        quality: text(quality),
    };
    let evaluation = EvaluationDraft {
        products: vec![rated("excellent", "excellent"), rated("excellent", "pass"), rated("excellent", "pass")],
        report: text("pass"),
        score: String::new(),
        grade: text("good"),
        held_on: text("12/09/2023"),
        minutes: text("52/BB-HĐNT"),
    };
    ac::evaluate(&at(s, day(2023, 9, 12), 16).await?, &officer, id, &evaluation)
        .await
        .map_err(|e| anyhow!("the evaluation: {e:?}"))?;
    let closing = ClosingDraft {
        decision: decision("2450/QĐ-UBND", day(2023, 10, 5), "Đặng Huy Hậu, Phó Chủ tịch UBND tỉnh"),
        spent: text("1.826.500.000"),
        risk_accepted: false,
        to_recover: String::new(),
        note: text("Công nhận kết quả, xếp loại Khá; thanh lý hợp đồng, quyết toán 1.826.500.000 đồng."),
    };
    ac::close(&at(s, day(2023, 10, 5), 15).await?, &leader, id, &closing)
        .await
        .map_err(|e| anyhow!("the closing: {e:?}"))?;
    let registration = RegistrationDraft {
        number: text("125/2023/GCN-SKHCN"),
        registered_on: text("02/11/2023"),
        rights_holder: text("Viện Nghiên cứu và Phát triển Vùng"),
    };
    ac::register_results(&at(s, day(2023, 11, 2), 9).await?, &officer, id, &registration)
        .await
        .map_err(|e| anyhow!("the registration: {e:?}"))?;
    let minh_han = s.org("Công ty TNHH thủy sản Minh Hàn")?;
    let applied = UseDraft {
        org_id: minh_han.to_string(),
        place: text("Xã Hoàng Tân, thị xã Quảng Yên"),
        from_on: text("01/03/2024"),
        scale: text("6 ha ao nuôi tuần hoàn"),
        effects: text(
            "Năng suất 18–20 tấn/ha/vụ; giảm khoảng 60% lượng nước thay; doanh thu tôm tăng 25% so với ao đất.",
        ),
    };
    ac::add_use(&at(s, day(2025, 2, 20), 10).await?, &officer, id, &applied)
        .await
        .map_err(|e| anyhow!("Minh Hàn's application: {e:?}"))?;
    // The yearly reports on the application of the results (three years from the recognition of 05/10/2023):
    // the first two sent and accepted; the third, due 05/10/2026, not sent.
    let vien = account(db, "vien.ptv").await?;
    let year_one = [
        ("applied_where", "Công ty TNHH thủy sản Minh Hàn (xã Hoàng Tân, thị xã Quảng Yên)"),
        ("scale", "4 ha ao nuôi tuần hoàn từ 01/3/2024"),
        ("effect", "Năng suất 18 tấn/ha/vụ; giảm khoảng 60% lượng nước thay."),
        ("revenue", "3.600.000.000"),
    ];
    report(s, &vien, id, ("application", 1), &year_one, day(2024, 9, 30), Some(day(2024, 10, 8))).await?;
    let year_two = [
        ("applied_where", "Công ty TNHH thủy sản Minh Hàn; 12 hộ nuôi tại xã Hoàng Tân và phường Phong Cốc"),
        ("scale", "6 ha của Minh Hàn và 7,5 ha của các hộ"),
        ("effect", "Năng suất 18–20 tấn/ha/vụ; doanh thu tôm tăng 25% so với ao đất."),
        ("revenue", "7.900.000.000"),
    ];
    report(s, &vien, id, ("application", 2), &year_two, day(2025, 10, 20), Some(day(2025, 10, 27))).await?;
    Ok(())
}

async fn greenhouse(s: &Story) -> anyhow::Result<()> {
    let db = s.app.db();
    let agritech = s.org("Công ty CP phát triển Agritech")?;
    let today = s.today;
    let start = today - Duration::days(300);
    let year = start.year();
    let grassroots = CallDraft {
        title: format!("Thông báo nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo cơ sở năm {year}"),
        year: year.to_string(),
        regime: text("2025"),
        route: text("grassroots"),
        opens_on: d(start - Duration::days(120)),
        opens_time: text("08:00"),
        closes_on: d(start - Duration::days(90)),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản\nChuyển đổi số"),
        eligibility: text("Doanh nghiệp, UBND cấp xã, tổ chức khoa học và công nghệ trên địa bàn tỉnh."),
        forms: text("Thuyết minh nhiệm vụ\nDự toán kinh phí"),
        ..CallDraft::default()
    };
    let call_id = call(s, grassroots, start - Duration::days(120)).await?;
    // Agritech's applicant (the enterprise's own account, made by the certificates' story).
    let applicant = agritech_applicant(s, agritech).await?;
    let dossier = ProposalDraft {
        title: text(GREENHOUSE),
        field: text("Nông nghiệp, thủy sản"),
        urgency: text(
            "Rau vụ đông của Hạ Long phụ thuộc thời tiết; nhà màng điều khiển tự động giảm rủi ro và thuốc bảo vệ thực vật.",
        ),
        objectives: text("Xây dựng mô hình 5.000 m² nhà màng điều khiển tưới, che phủ tự động bằng cảm biến."),
        products: vec![
            ProductDraft {
                name: text("Mô hình nhà màng thông minh"),
                unit: text("m²"),
                quantity: text("5.000"),
                requirements: text("Năng suất tăng 20% so với sản xuất ngoài trời"),
            },
            ProductDraft {
                name: text("Quy trình sản xuất rau an toàn trong nhà màng"),
                unit: text("quy trình"),
                quantity: text("1"),
                requirements: String::new(),
            },
        ],
        duration_months: text("24"),
        budget_total: text("1.600.000.000"),
        budget: vec![
            BudgetLineDraft { source: text("state_budget"), amount: text("900.000.000") },
            BudgetLineDraft { source: text("counterpart"), amount: text("700.000.000") },
        ],
        proposer_kind: text("enterprise"),
        proposer_name: text("Công ty CP phát triển Agritech"),
        contact_name: text("Phạm Quốc Việt"),
        pi_name: text("ThS. Phạm Quốc Việt"),
        team: vec![TeamMemberDraft { name: text("ThS. Phạm Quốc Việt"), role: text("Chủ nhiệm") }],
        ..ProposalDraft::default()
    };
    let base = start - Duration::days(100);
    let days = [
        base,
        base + Duration::days(6),
        base + Duration::days(20),
        base + Duration::days(24),
        base + Duration::days(35),
        base + Duration::days(35),
        base + Duration::days(60),
    ];
    let dossier =
        approved_dossier(s, &applicant, call_id, &dossier, days, &format!("{}/QĐ-SKHCN", 300 + base.ordinal()), true)
            .await?;
    let ends = start + Duration::days(730);
    let plan = Plan {
        number: &format!("{}/{year}/HĐ-KHCN", 10 + start.month()),
        signed: start - Duration::days(10),
        starts: start,
        ends,
        host: agritech,
        pi: "ThS. Phạm Quốc Việt",
        team: &[("KS. Lưu Thị Hạnh", "Thư ký khoa học")],
        state_budget: &[(year, 500_000_000), (year + 1, 400_000_000)],
        counterpart: &[(year + 1, 700_000_000)],
        lump_sum: 0,
        instalments: &[
            (450_000_000, start + Duration::days(15), "Sau khi ký hợp đồng"),
            (300_000_000, today - Duration::days(12), "Sau khi hoàn thành lắp đặt nhà màng"),
            (150_000_000, ends - Duration::days(30), "Sau nghiệm thu cấp cơ sở"),
        ],
        products: &[
            ("Mô hình nhà màng thông minh", "m²", "5.000", "Năng suất tăng 20% so với sản xuất ngoài trời"),
            ("Quy trình sản xuất rau an toàn trong nhà màng", "quy trình", "1", ""),
        ],
        milestones: &[
            ("Khảo sát, thiết kế nhà màng", start + Duration::days(60), "Hồ sơ thiết kế"),
            ("Lắp đặt nhà màng và hệ thống cảm biến", today - Duration::days(18), "Biên bản nghiệm thu lắp đặt"),
            ("Sản xuất thử vụ đông", today + Duration::days(7), "Sổ nhật ký sản xuất"),
            ("Hoàn thiện quy trình; báo cáo tổng kết", ends - Duration::days(45), "Quy trình, báo cáo tổng kết"),
        ],
        report_every: "",
    };
    let officer = s.officer().await?;
    let id = ct::sign_sample_contract(&at(s, plan.signed, 9).await?, &officer, dossier, &plan.draft())
        .await
        .map_err(|e| anyhow!("the contract: {e:?}"))?;
    pay(s, id, 1, 450_000_000, start + Duration::days(15), "UNC 208/KBNN-QN").await?;
    reach(s, id, 0, start + Duration::days(58), "Hồ sơ thiết kế được Sở góp ý.").await?;
    // The first six-month report, sent two days before it was due and accepted; the second is due in about
    // two months.
    let due = start.checked_add_months(chrono::Months::new(6)).unwrap_or(start);
    let first = [
        ("work_done", "Khảo sát, thiết kế nhà màng 5.000 m²; đặt hàng khung nhà màng và hệ thống cảm biến."),
        ("products", "Hồ sơ thiết kế nhà màng; hợp đồng cung cấp thiết bị."),
        ("milestone.0", "Hồ sơ thiết kế hoàn thành, được Sở góp ý."),
        ("percent", "30"),
        ("spent_state", "310.000.000"),
        ("spent_other", "420.000.000"),
        ("problems", "Giá thép làm khung nhà màng tăng khoảng 8% so với dự toán."),
        ("proposals", ""),
    ];
    report(s, &applicant, id, ("progress", 1), &first, due - Duration::days(2), Some(due + Duration::days(5))).await?;
    let _ = db;
    Ok(())
}

/// The applicant account of an enterprise (made by the certificates' story), or a clerk acting for it.
async fn agritech_applicant(s: &Story, org: i64) -> anyhow::Result<Session> {
    let found: Option<(String,)> = s
        .app
        .db()
        .fetch_optional(
            tiendo_db::Query::new(
                "SELECT u.username FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.role = 'applicant' \
                 AND g.organization_id = $1 ORDER BY u.id LIMIT 1",
            )
            .bind(org),
        )
        .await?;
    match found {
        Some((username,)) => account(s.app.db(), &username).await,
        None => Ok(applicant_for(org)),
    }
}

fn applicant_for(org: i64) -> Session {
    use tiendo_core::authz::{Actor, Grant, Role, Scope};
    let mut session = Session::system(Actor {
        user_id: None,
        grants: vec![Grant { role: Role::Applicant, scope: Scope::Organization(org) }],
    });
    session.who.label = text("Công ty CP phát triển Agritech");
    session
}

async fn seaweed(s: &Story) -> anyhow::Result<()> {
    let db = s.app.db();
    let ha_an = s.org("UBND phường Hà An")?;
    let ward = account(db, "phuong.haan").await?;
    let today = s.today;
    let start = today - Duration::days(420);
    let year = start.year();
    let grassroots = CallDraft {
        title: format!("Thông báo nhiệm vụ cơ sở của các xã, phường năm {year}"),
        year: year.to_string(),
        regime: text("2025"),
        route: text("grassroots"),
        opens_on: d(start - Duration::days(110)),
        opens_time: text("08:00"),
        closes_on: d(start - Duration::days(80)),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản\nKinh tế biển"),
        eligibility: text("UBND các xã, phường, đặc khu."),
        forms: text("Thuyết minh nhiệm vụ"),
        ..CallDraft::default()
    };
    let call_id = call(s, grassroots, start - Duration::days(110)).await?;
    let dossier = ProposalDraft {
        title: text(SEAWEED),
        field: text("Kinh tế biển"),
        urgency: text("Rong biển phơi thủ công dễ hỏng khi mưa; sấy năng lượng mặt trời giữ chất lượng."),
        objectives: text("Xây dựng 1 mô hình sấy rong biển năng lượng mặt trời công suất 500 kg/mẻ."),
        products: vec![ProductDraft {
            name: text("Mô hình sấy rong biển"),
            unit: text("mô hình"),
            quantity: text("1"),
            requirements: text("Công suất 500 kg tươi/mẻ"),
        }],
        duration_months: text("18"),
        budget_total: text("600.000.000"),
        budget: vec![BudgetLineDraft { source: text("state_budget"), amount: text("600.000.000") }],
        proposer_kind: text("commune"),
        proposer_name: text("UBND phường Hà An"),
        contact_name: text("Trần Văn Hải"),
        pi_name: text("KS. Đỗ Văn Lợi"),
        team: vec![TeamMemberDraft { name: text("KS. Đỗ Văn Lợi"), role: text("Chủ nhiệm") }],
        ..ProposalDraft::default()
    };
    let base = start - Duration::days(90);
    let days = [
        base,
        base + Duration::days(5),
        base + Duration::days(18),
        base + Duration::days(20),
        base + Duration::days(30),
        base + Duration::days(30),
        base + Duration::days(50),
    ];
    let dossier =
        approved_dossier(s, &ward, call_id, &dossier, days, &format!("{}/QĐ-SKHCN", 400 + base.ordinal()), true)
            .await?;
    let ends = start + Duration::days(540);
    let plan = Plan {
        number: &format!("{}/{year}/HĐ-KHCN", 30 + start.month()),
        signed: start - Duration::days(7),
        starts: start,
        ends,
        host: ha_an,
        pi: "KS. Đỗ Văn Lợi",
        team: &[],
        state_budget: &[(year, 400_000_000), (year + 1, 200_000_000)],
        counterpart: &[],
        lump_sum: 0,
        instalments: &[
            (400_000_000, start + Duration::days(10), "Sau khi ký hợp đồng"),
            (200_000_000, ends - Duration::days(30), "Sau nghiệm thu cơ sở"),
        ],
        products: &[("Mô hình sấy rong biển", "mô hình", "1", "Công suất 500 kg tươi/mẻ")],
        milestones: &[
            ("Thiết kế, lắp đặt nhà sấy", start + Duration::days(150), "Nhà sấy"),
            ("Vận hành thử 3 tháng", start + Duration::days(330), "Sổ vận hành"),
        ],
        report_every: "",
    };
    let officer = s.officer().await?;
    let id = ct::sign_sample_contract(&at(s, plan.signed, 9).await?, &officer, dossier, &plan.draft())
        .await
        .map_err(|e| anyhow!("the contract: {e:?}"))?;
    pay(s, id, 1, 400_000_000, start + Duration::days(10), "UNC 77/KBNN-QN").await?;
    let inspected = start + Duration::days(200);
    inspect(
        s,
        id,
        inspected,
        "breach",
        "61/BB-SKHCN",
        "Sau 200 ngày chưa lắp đặt nhà sấy; đã chi 150 triệu đồng mua vật tư, phần còn lại chưa sử dụng. Đơn vị đề \
         nghị dừng do thay đổi quy hoạch khu vực phơi rong.",
    )
    .await?;
    let leader = account(db, "lanhdao").await?;
    let signer = "Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ";
    let suspended = inspected + Duration::days(10);
    let suspend = StepDraft {
        decision: decision(&format!("{}/QĐ-SKHCN", 500 + suspended.ordinal()), suspended, signer),
        note: text("Tạm dừng để xác minh việc thay đổi quy hoạch khu vực phơi rong."),
        to_recover: String::new(),
    };
    ct::take_step(&at(s, suspended, 15).await?, &leader, id, "suspend", &suspend)
        .await
        .map_err(|e| anyhow!("suspension: {e:?}"))?;
    let ended = suspended + Duration::days(45);
    let terminate = StepDraft {
        decision: decision(&format!("{}/QĐ-SKHCN", 500 + ended.ordinal()), ended, signer),
        note: text(
            "Chấm dứt hợp đồng do địa điểm thực hiện không còn phù hợp quy hoạch (bất khả kháng); thu hồi phần kinh \
             phí chưa sử dụng, vật tư đã mua bàn giao cho phường.",
        ),
        to_recover: text("250.000.000"),
    };
    ct::take_step(&at(s, ended, 15).await?, &leader, id, "terminate", &terminate)
        .await
        .map_err(|e| anyhow!("termination: {e:?}"))?;
    Ok(())
}
