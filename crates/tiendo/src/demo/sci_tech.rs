//! The S&T tasks of the demo (issue 16 item 9). The 2020 story, on its own days: after the working visit
//! of 27/02/2020 told Quảng Yên to propose urgent S&T tasks, the Sở opened its call for 2021 proposals;
//! Quảng Yên sent three; one was invalid (it duplicated yearly environmental monitoring), two went before
//! the identification council, whose members scored them (the expert account among them, barred from the
//! proposal hosted by his own Institute); the council recommended one, closed with its minutes, and the
//! province approved it in the list of tasks to order, by selection. The current work, relative to the day
//! the demo is loaded: the Sở's call for next year's proposals is open, and Minh Hàn keeps a draft.
//!
//! Every step is a use case taken by the person who took it, on its day. The proposals, the council and
//! its scores are invented and marked as sample data.

use anyhow::{Context, anyhow};
use chrono::{Datelike, Duration};
use tiendo_app::directory::people::{self, PersonInput};
use tiendo_app::identity::accounts::{self, NewAccount, ProfileDraft};
use tiendo_app::sci_tech::councils::{self, CouncilDraft, MemberDraft};
use tiendo_app::sci_tech::scoring::{self, Closing};
use tiendo_app::sci_tech::{self as st, ProposalSave, TransitionRequest};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::directory::PersonDraft;
use tiendo_core::sci_tech::scoring::SheetDraft;
use tiendo_core::sci_tech::{
    BudgetLineDraft, CallDraft, DecisionDraft, ProductDraft, ProposalDraft, TeamMemberDraft, TransitionDraft,
};

use super::accounts::DEMO_PASSWORD;
use super::story::{Story, account, at, at_time, day, unit_officer};

/// The title of the 2020 call.
pub const CALL_2021: &str = "Thông báo đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2021";
/// The proposal the province approved.
pub const APPROVED: &str = "Ứng dụng công nghệ nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn tại thị xã Quảng Yên";
/// The proposal the council did not recommend.
pub const NOT_RECOMMENDED: &str = "Xây dựng và phát triển thương hiệu hàu Quảng Yên";
/// The proposal found invalid.
pub const INVALID: &str = "Điều tra, đánh giá hiện trạng môi trường vùng nuôi trồng thủy sản ven biển thị xã Quảng Yên";
/// The identification council.
pub const COUNCIL: &str = "Hội đồng tư vấn xác định nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2021";
/// Minh Hàn's draft in the current call.
pub const DRAFT: &str = "Ứng dụng công nghệ biofloc trong nuôi tôm thẻ chân trắng tại phường Hà An";

/// The experts of the council who have no account among the demo's printed ones: (username, name, rank,
/// degree, position, expertise).
const EXPERTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "cg.khoa",
        "Nguyễn Văn Khoa",
        "associate_professor",
        "doctor",
        "Trưởng khoa Thủy sản",
        "Nuôi trồng thủy sản\nBệnh học thủy sản",
    ),
    ("cg.mai", "Trần Thị Mai", "", "doctor", "Nghiên cứu viên chính", "Kinh tế nông nghiệp"),
    ("cg.duc", "Phạm Văn Đức", "", "master", "Chuyên gia công nghệ sinh học", "Công nghệ sinh học"),
    ("cg.huong", "Đinh Thị Thu Hương", "", "doctor", "Giảng viên chính", "Môi trường biển"),
];

fn text(s: &str) -> String {
    s.to_owned()
}

/// Loads the S&T tasks of the story (after the directory, the accounts and the visit).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    story_2020(s).await.context("the 2020 call and council")?;
    current(s).await.context("the current call")
}

fn proposal(
    title: &str,
    field: &str,
    urgency: &str,
    objectives: &str,
    products: &[(&str, &str, &str)],
    budget: (i64, i64),
) -> ProposalDraft {
    ProposalDraft {
        title: text(title),
        field: text(field),
        urgency: text(urgency),
        objectives: text(objectives),
        content: String::new(),
        products: products
            .iter()
            .map(|(name, unit, quantity)| ProductDraft {
                name: text(name),
                unit: text(unit),
                quantity: text(quantity),
                requirements: String::new(),
            })
            .collect(),
        duration_months: text("24"),
        budget_total: (budget.0 + budget.1).to_string(),
        budget: vec![
            BudgetLineDraft { source: text("state_budget"), amount: budget.0.to_string() },
            BudgetLineDraft { source: text("counterpart"), amount: budget.1.to_string() },
        ],
        proposer_kind: text("commune"),
        proposer_name: text("UBND thị xã Quảng Yên"),
        contact_name: text("Phòng Kinh tế thị xã Quảng Yên"),
        contact_phone: text("0203 3875 126"),
        contact_email: String::new(),
        host_name: String::new(),
        pi_name: String::new(),
        team: Vec::new(),
    }
}

fn step(action: &str) -> TransitionRequest {
    TransitionRequest { draft: TransitionDraft { action: text(action), ..TransitionDraft::default() }, file: None }
}

fn sheet(scores: [&str; 4], comment: &str) -> SheetDraft {
    let codes = ["urgency", "objectives", "products", "feasibility"];
    SheetDraft { scores: codes.iter().zip(scores).map(|(c, v)| (text(c), text(v))).collect(), comment: text(comment) }
}

async fn story_2020(s: &Story) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    let quang_yen = s.org("UBND thị xã Quảng Yên")?;
    let commune = unit_officer(quang_yen, "UBND thị xã Quảng Yên");

    // 02/03/2020: the call for the 2021 plan, open two months.
    let call = CallDraft {
        title: text(CALL_2021),
        year: text("2021"),
        regime: text("2013"),
        route: text("order"),
        opens_on: text("02/03/2020"),
        opens_time: text("08:00"),
        closes_on: text("30/04/2020"),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản\nMôi trường\nCông nghệ thông tin\nY tế"),
        eligibility: text(
            "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố; viện, trường, doanh nghiệp và cá nhân có nhu cầu \
             ứng dụng khoa học và công nghệ trên địa bàn tỉnh.",
        ),
        forms: text("Phiếu đề xuất đặt hàng nhiệm vụ khoa học và công nghệ (mẫu A1-ĐXNV)"),
        description: text(
            "Ưu tiên các nhiệm vụ phục vụ trực tiếp phát triển kinh tế biển, nuôi trồng thủy sản công nghệ cao và \
             các sản phẩm chủ lực của địa phương, theo kết luận của các đoàn công tác năm 2020.",
        ),
        ..CallDraft::default()
    };
    let opening = s.at(at_time(day(2020, 3, 2), 8, 0))?;
    let call = st::create_sample_call(&opening, &officer, &call).await.map_err(|e| anyhow!("the 2021 call: {e:?}"))?;
    st::publish_call(&opening, &officer, call).await.map_err(|e| anyhow!("publishing the 2021 call: {e:?}"))?;

    // 20–24/04/2020: Quảng Yên's three urgent proposals.
    let mut shrimp = proposal(
        APPROVED,
        "Nông nghiệp, thủy sản",
        "Thị xã có trên 3.000 ha nuôi tôm; dịch bệnh và ô nhiễm nguồn nước làm năng suất giảm, cần quy trình nuôi \
         tuần hoàn tiết kiệm nước, an toàn sinh học.",
        "Xây dựng và chuyển giao quy trình nuôi tôm thẻ chân trắng thâm canh trong hệ thống tuần hoàn; xây dựng mô hình \
         trình diễn 2 ha tại xã Hoàng Tân.",
        &[
            ("Quy trình nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn", "quy trình", "1"),
            ("Mô hình trình diễn", "ha", "2"),
            ("Hộ nuôi được tập huấn", "hộ", "50"),
        ],
        (1_850_000_000, 450_000_000),
    );
    shrimp.host_name = text("Viện Nghiên cứu và Phát triển Vùng");
    shrimp.pi_name = text("TS. Nguyễn Đắc Bình Minh");
    shrimp.team = vec![TeamMemberDraft { name: text("TS. Nguyễn Đắc Bình Minh"), role: text("Chủ nhiệm") }];
    let oysters = proposal(
        NOT_RECOMMENDED,
        "Nông nghiệp, thủy sản",
        "Hàu Quảng Yên có tiếng nhưng chưa có nhãn hiệu tập thể và truy xuất nguồn gốc.",
        "Xây dựng nhãn hiệu tập thể, hệ thống truy xuất nguồn gốc và kế hoạch quảng bá sản phẩm hàu.",
        &[("Nhãn hiệu tập thể được cấp", "nhãn hiệu", "1"), ("Hệ thống truy xuất nguồn gốc", "hệ thống", "1")],
        (900_000_000, 200_000_000),
    );
    let environment = proposal(
        INVALID,
        "Môi trường",
        "Vùng nuôi ven biển chịu tác động của nước thải và bồi lắng.",
        "Đánh giá chất lượng nước, trầm tích vùng nuôi; đề xuất giải pháp quản lý.",
        &[("Báo cáo hiện trạng môi trường vùng nuôi", "báo cáo", "1")],
        (700_000_000, 0),
    );
    let mut ids = Vec::new();
    for (draft, d) in [(shrimp, 20), (oysters, 22), (environment, 24)] {
        let when = s.at(at_time(day(2020, 4, d), 15, 30))?;
        let id = st::create_proposal(&when, &commune, call, &draft, ProposalSave::Send)
            .await
            .map_err(|e| anyhow!("proposal {}: {e:?}", draft.title))?;
        ids.push(id);
    }
    let (shrimp, oysters, environment) = (ids[0], ids[1], ids[2]);

    // 05/05/2020: screened.
    let screening = s.at(at_time(day(2020, 5, 5), 10, 0))?;
    for id in [shrimp, oysters] {
        st::transition(&screening, &officer, id, step("screen_valid"))
            .await
            .map_err(|e| anyhow!("screening: {e:?}"))?;
    }
    let mut invalid = step("screen_invalid");
    invalid.draft.reasons = vec![text("duplicate")];
    invalid.draft.note = text(
        "Nội dung trùng với chương trình quan trắc môi trường vùng nuôi do Sở Tài nguyên và Môi trường thực hiện hằng \
         năm; đề nghị địa phương sử dụng số liệu quan trắc sẵn có.",
    );
    st::transition(&screening, &officer, environment, invalid).await.map_err(|e| anyhow!("screening: {e:?}"))?;

    // 25/05/2020: the experts' accounts, then the council.
    let admin = account(s.app.db(), "quantri").await?;
    let forming = s.at(at_time(day(2020, 5, 25), 9, 0))?;
    for (username, name, rank, degree, position, expertise) in EXPERTS {
        let draft = PersonDraft {
            full_name: text(name),
            academic_rank: text(rank),
            degree: text(degree),
            position: text(position),
            expertise: text(expertise),
            ..PersonDraft::default()
        };
        people::create(&forming, &officer, &PersonInput { draft, is_sample: true })
            .await
            .map_err(|e| anyhow!("expert {name}: {e:?}"))?;
        let new = NewAccount {
            username: text(username),
            profile: ProfileDraft {
                display_name: text(name),
                email: format!("{}@demo.tiendo.vn", username.replace('.', "-")),
                organization_id: String::new(),
            },
            roles: vec![Grant { role: Role::Expert, scope: Scope::Province }],
            password: Some(DEMO_PASSWORD.to_owned()),
            ..NewAccount::default()
        };
        accounts::create(&forming, &admin, new, "http://127.0.0.1:8080")
            .await
            .map_err(|e| anyhow!("expert {username}: {e:?}"))?;
    }
    let council = CouncilDraft {
        kind: text("identification"),
        name: text(COUNCIL),
        call_id: call.to_string(),
        meeting_on: text("10/06/2020"),
        meeting_time: text("08:30"),
        place: text("Phòng họp Sở Khoa học và Công nghệ"),
        decision: DecisionDraft {
            symbol: text("85/QĐ-SKHCN"),
            date: text("25/05/2020"),
            signer: text("Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ"),
        },
    };
    let council = councils::create_sample_council(&forming, &officer, &council)
        .await
        .map_err(|e| anyhow!("the council: {e:?}"))?;
    let members = [
        ("PGS.TS. Nguyễn Văn Khoa", "chair"),
        ("TS. Trần Thị Mai", "vice_chair"),
        ("TS. Lê Minh Tuấn", "reviewer_1"),
        ("ThS. Phạm Văn Đức", "reviewer_2"),
        ("ThS. Ngô Đức Thắng", "secretary"),
        ("TS. Đinh Thị Thu Hương", "member"),
    ]
    .map(|(name, role)| MemberDraft { name: text(name), role: text(role) });
    councils::set_members(&forming, &officer, council, &members)
        .await
        .map_err(|e| anyhow!("the council's members: {e:?}"))?;
    councils::add_items(&forming, &officer, council, &[shrimp, oysters])
        .await
        .map_err(|e| anyhow!("before the council: {e:?}"))?;
    // 28/05/2020: the expert declares he has no tie with the oyster brand.
    let expert = account(s.app.db(), "chuyengia").await?;
    councils::declare(
        &s.at(at_time(day(2020, 5, 28), 14, 0))?,
        &expert,
        council,
        Some(tiendo_db::sci_tech::Subject::Proposal(oysters)),
        false,
        "",
    )
    .await
    .map_err(|e| anyhow!("the expert's declaration: {e:?}"))?;

    // 10/06/2020: the meeting; Đinh Thị Thu Hương is away; Lê Minh Tuấn works at the host of the shrimp
    // proposal and does not score it.
    let meeting = s.at(at_time(day(2020, 6, 10), 8, 30))?;
    let seats = tiendo_db::sci_tech::members(s.app.db(), council).await?;
    let present: Vec<i64> = seats.iter().filter(|m| !m.name.contains("Đinh Thị Thu Hương")).map(|m| m.id).collect();
    councils::open_meeting(&meeting, &officer, council, &present).await.map_err(|e| anyhow!("the meeting: {e:?}"))?;
    let sheets: [(&str, i64, [&str; 4], &str, u32); 7] = [
        (
            "cg.khoa",
            shrimp,
            ["22", "21", "26", "17"],
            "Cấp thiết, sản phẩm rõ; cần làm rõ chi phí vận hành hệ thống.",
            9,
        ),
        ("cg.mai", shrimp, ["21", "20", "25", "16"], "Phù hợp định hướng kinh tế biển của tỉnh.", 9),
        ("cg.duc", shrimp, ["20", "20", "24", "15"], "", 9),
        (
            "cg.khoa",
            oysters,
            ["15", "14", "18", "12"],
            "Thiên về xúc tiến thương mại hơn là khoa học và công nghệ.",
            10,
        ),
        ("cg.mai", oysters, ["16", "15", "20", "13"], "", 10),
        ("chuyengia", oysters, ["14", "15", "17", "12"], "Nên lồng ghép vào chương trình xúc tiến thương mại.", 10),
        ("cg.duc", oysters, ["17", "16", "19", "14"], "", 10),
    ];
    for (username, proposal, scores, comment, hour) in sheets {
        let member = account(s.app.db(), username).await?;
        scoring::score(
            &s.at(at_time(day(2020, 6, 10), hour, 15))?,
            &member,
            council,
            proposal,
            &sheet(scores, comment),
        )
        .await
        .map_err(|e| anyhow!("the sheet of {username}: {e:?}"))?;
    }
    let closing = Closing {
        minutes_symbol: text("12/BB-HĐKHCN"),
        minutes_date: text("10/06/2020"),
        conclusion: text(
            "Hội đồng thống nhất đề nghị đặt hàng nhiệm vụ nuôi tôm tuần hoàn theo phương thức tuyển chọn; đề xuất xây \
             dựng thương hiệu hàu nên được lồng ghép vào chương trình xúc tiến thương mại của tỉnh.",
        ),
    };
    scoring::close_council(&s.at(at_time(day(2020, 6, 10), 11, 30))?, &officer, council, &closing)
        .await
        .map_err(|e| anyhow!("closing the council: {e:?}"))?;

    // 15/07/2020: the province approves the list: the shrimp task, by selection.
    let leader = account(s.app.db(), "lanhdao").await?;
    let mut listing = step("approve_list");
    listing.draft.mode = text("selection");
    listing.draft.decision = DecisionDraft {
        symbol: text("1523/QĐ-UBND"),
        date: text("15/07/2020"),
        signer: text("Đặng Huy Hậu, Phó Chủ tịch UBND tỉnh"),
    };
    st::transition(&s.at(at(day(2020, 7, 15)))?, &leader, shrimp, listing)
        .await
        .map_err(|e| anyhow!("the list: {e:?}"))?;
    Ok(())
}

/// The call for next year's proposals, open three weeks ago for two months; Minh Hàn's draft of yesterday.
async fn current(s: &Story) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    let opened = s.today - Duration::days(21);
    let year = s.today.year() + 1;
    let call = CallDraft {
        title: format!(
            "Thông báo đề xuất đặt hàng nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo cấp tỉnh năm {year}"
        ),
        year: year.to_string(),
        regime: text("2025"),
        route: text("order"),
        opens_on: tiendo_core::fmt::date(opened),
        opens_time: text("08:00"),
        closes_on: tiendo_core::fmt::date(s.today + Duration::days(40)),
        closes_time: text("17:00"),
        fields: text("Nông nghiệp, thủy sản\nKinh tế biển\nChuyển đổi số\nY tế\nMôi trường"),
        eligibility: text(
            "Tổ chức, doanh nghiệp, UBND các xã, phường, đặc khu và cá nhân hoạt động khoa học, công nghệ và đổi mới \
             sáng tạo trên địa bàn tỉnh.",
        ),
        forms: text("Phiếu đề xuất đặt hàng nhiệm vụ (mẫu 01)\nThuyết minh sơ bộ"),
        description: text(
            "Ưu tiên các nhiệm vụ triển khai Nghị quyết 57-NQ/TW về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.",
        ),
        ..CallDraft::default()
    };
    let app = s.at(at_time(opened, 8, 0))?;
    let call = st::create_sample_call(&app, &officer, &call).await.map_err(|e| anyhow!("the current call: {e:?}"))?;
    st::publish_call(&app, &officer, call).await.map_err(|e| anyhow!("publishing the current call: {e:?}"))?;
    let minh_han = account(s.app.db(), "minhhan").await?;
    let draft = ProposalDraft {
        title: text(DRAFT),
        field: text("Nông nghiệp, thủy sản"),
        urgency: text(
            "Nuôi tôm ao đất tại Hà An tốn nước thay và dễ phát dịch; công nghệ biofloc giảm thay nước và thức ăn.",
        ),
        products: vec![ProductDraft {
            name: text("Quy trình nuôi tôm thẻ chân trắng bằng công nghệ biofloc"),
            unit: text("quy trình"),
            quantity: text("1"),
            requirements: String::new(),
        }],
        budget_total: text("1.200.000.000"),
        budget: vec![BudgetLineDraft { source: text("counterpart"), amount: text("400.000.000") }],
        proposer_kind: text("enterprise"),
        proposer_name: text("Công ty TNHH thủy sản Minh Hàn"),
        contact_name: text("Nguyễn Thị Hằng"),
        ..ProposalDraft::default()
    };
    let yesterday = s.at(at_time(s.today - Duration::days(1), 16, 40))?;
    st::create_proposal(&yesterday, &minh_han, call, &draft, ProposalSave::Keep)
        .await
        .map_err(|e| anyhow!("Minh Hàn's draft: {e:?}"))?;
    Ok(())
}
