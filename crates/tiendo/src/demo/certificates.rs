//! The S&T enterprise certificates of the demo (issue 18 item 7). The 2020 story, on its own days: after
//! the working visit of 27/02/2020 told the Sở to help Minh Hàn become an S&T enterprise, Minh Hàn sent its
//! application on 15/09/2020 (under NĐ 13/2019, in force that day); the officer asked for a supplement on
//! 17/09, Minh Hàn answered on 20/09 (the clock paused three days), the dossier was found valid and the
//! Director issued the certificate on 30/09/2020, after a small appraisal council (three experts, 28/09)
//! recommended it; from then on Minh Hàn reports each year on the form
//! `DN-KHCN` of the reporting engine (its reports up to the year before last approved, last year's left
//! for `minhhan` to send). Hoàng Tân, certified in 2021, reported in March 2024 that its revenue from S&T
//! products had fallen to 12% in 2023; the department approved the report, which found the condition no
//! longer held, and revoked the certificate. The current work, relative to the day the demo is loaded:
//! Agritech's application is being checked with five working days left on the statutory clock.
//!
//! Every step is a use case taken by the person who took it, on its day. The dossiers are invented and
//! marked as sample data through their enterprises.

use anyhow::{Context, anyhow};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

use tiendo_app::certificates as cert;
use tiendo_app::identity::accounts::{self, NewAccount, ProfileDraft};
use tiendo_app::reporting::decisions::{self, Decision};
use tiendo_app::reporting::reports::{self, Input, OpenReport, SaveValues};
use tiendo_app::sci_tech::Upload;
use tiendo_app::sci_tech::councils::{self, CouncilDraft, MemberDraft};
use tiendo_app::sci_tech::scoring::{self, Closing};
use tiendo_app::{App, Session};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_core::certificates::appraisal::{JudgementDraft, OpinionDraft};
use tiendo_core::certificates::yearly::FORM_CODE;
use tiendo_core::certificates::{
    ApplicationDraft, Clock, EndAction, Machine, ProductDraft, ResultDraft, StepDraft, YearDraft,
};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::DecisionDraft;

use super::accounts::DEMO_PASSWORD;
use super::story::{Story, account, at_time, day};

/// Minh Hàn's certificate number.
pub const MINH_HAN_NUMBER: &str = "01/2020/DNKHCN";
/// The council that appraised Minh Hàn's application.
pub const APPRAISAL_COUNCIL: &str = "Hội đồng thẩm định hồ sơ công nhận doanh nghiệp khoa học và công nghệ năm 2020";
/// Its minutes.
pub const APPRAISAL_MINUTES: &str = "08/BB-HĐTĐ";
/// Hoàng Tân's certificate number (revoked).
pub const HOANG_TAN_NUMBER: &str = "03/2021/DNKHCN";

fn text(s: &str) -> String {
    s.to_owned()
}

fn year(y: i32, total: &str, st: &str) -> YearDraft {
    YearDraft { year: y.to_string(), total_revenue: text(total), st_revenue: text(st), ..YearDraft::default() }
}

fn decision(symbol: &str, on: NaiveDate) -> DecisionDraft {
    DecisionDraft {
        symbol: text(symbol),
        date: tiendo_core::fmt::date(on),
        signer: text("Hoàng Bá Nam, Giám đốc Sở Khoa học và Công nghệ"),
    }
}

async fn step(app: &App, session: &Session, id: i64, action: &str, note: &str) -> anyhow::Result<()> {
    let draft = StepDraft { action: text(action), note: text(note), ..StepDraft::default() };
    cert::step(app, session, id, &draft).await.map_err(|e| anyhow!("{action} on application {id}: {e:?}"))
}

/// Writes an enterprise's draft and attaches the two documents the checklist requires; its id.
async fn dossier(app: &App, session: &Session, draft: &ApplicationDraft) -> anyhow::Result<i64> {
    let id = cert::create_application(app, session, draft)
        .await
        .map_err(|e| anyhow!("the application of {}: {e:?}", draft.enterprise_name))?;
    for (document, name) in [("application_form", "don-de-nghi.txt"), ("result_evidence", "van-bang.txt")] {
        let upload = Upload {
            name: text(name),
            bytes: format!("{} — hồ sơ mẫu của bản trình diễn.\n", draft.enterprise_name).into_bytes(),
        };
        cert::add_file(app, session, id, document, "", Some(upload))
            .await
            .map_err(|e| anyhow!("a document of {}: {e:?}", draft.enterprise_name))?;
    }
    Ok(id)
}

/// An applicant account for an enterprise of the story (not printed: the demo shows Minh Hàn's).
async fn applicant(s: &Story, username: &str, name: &str, org: i64) -> anyhow::Result<Session> {
    let admin = account(s.app.db(), "quantri").await?;
    let new = NewAccount {
        username: text(username),
        profile: ProfileDraft {
            display_name: text(name),
            email: format!("{username}@demo.tiendo.vn"),
            organization_id: org.to_string(),
        },
        roles: vec![Grant { role: Role::Applicant, scope: Scope::Organization(org) }],
        password: Some(DEMO_PASSWORD.to_owned()),
        ..NewAccount::default()
    };
    accounts::create(&s.at(at_time(day(2020, 1, 6), 9, 0))?, &admin, new, "http://127.0.0.1:8080")
        .await
        .map_err(|e| anyhow!("account {username}: {e:?}"))?;
    account(s.app.db(), username).await
}

/// An enterprise's yearly report of `year` on the form `DN-KHCN` (total revenue, revenue from S&T products
/// and R&D spending when given, in đồng), opened and sent by
/// its applicant on `sent` and approved by the leader on `approved` (which re-checks the certificate's
/// conditions); the report's id.
async fn yearly_report(
    s: &Story,
    applicant: &Session,
    org: i64,
    year: i32,
    (total, st_revenue, rd_spending): (i64, i64, Option<i64>),
    sent: NaiveDate,
    approved: NaiveDate,
) -> anyhow::Result<i64> {
    let app = s.at(at_time(sent, 10, 0))?;
    let open = OpenReport { form: FORM_CODE.to_owned(), organization: org, period: year.to_string(), sample: true };
    let report =
        reports::open(&app, applicant, &open).await.map_err(|e| anyhow!("yearly report {year}: {e:?}"))?.report;
    #[expect(clippy::cast_precision_loss, reason = "the demo's amounts are exact in an f64")]
    let values: HashMap<String, Input> = [
        ("total_revenue", Input::Number(total as f64)),
        ("st_revenue", Input::Number(st_revenue as f64)),
        ("rd_spending", rd_spending.map_or(Input::Empty, |rd| Input::Number(rd as f64))),
        ("staff", Input::Number(42.0)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let save = SaveValues { version: report.version, values, submit: true, files: Vec::new(), lang: Lang::Vi };
    reports::save(&app, applicant, report.id, save).await.map_err(|e| anyhow!("sending report {year}: {e:?}"))?;
    let leader = account(s.app.db(), "lanhdao").await?;
    decisions::decide(&s.at(at_time(approved, 15, 0))?, &leader, report.id, Decision::Approve)
        .await
        .map_err(|e| anyhow!("approving report {year}: {e:?}"))?;
    Ok(report.id)
}

/// The certificates of the demo.
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    minh_han(s).await?;
    hoang_tan(s).await?;
    agritech(s).await
}

async fn minh_han(s: &Story) -> anyhow::Result<()> {
    let minh_han = account(s.app.db(), "minhhan").await?;
    let officer = s.officer().await?;
    let leader = account(s.app.db(), "lanhdao").await?;
    let draft = ApplicationDraft {
        enterprise_name: text("Công ty TNHH thủy sản Minh Hàn"),
        tax_code: text("5799990005"),
        address: text("Thôn 3, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh"),
        representative: text("Nguyễn Văn Hàn, Giám đốc"),
        established_on: text("12/05/2012"),
        size: text("small"),
        phone: text("0203 3686 001"),
        results: vec![
            ResultDraft {
                kind: text("utility_solution"),
                title: text("Quy trình nuôi tôm thẻ chân trắng thâm canh trong hệ thống tuần hoàn"),
                reference: text("2345"),
                issued_on: text("15/06/2018"),
                issuer: text("Cục Sở hữu trí tuệ"),
            },
            ResultDraft {
                kind: text("technology_transfer"),
                title: text("Công nghệ lọc sinh học nước ao nuôi"),
                reference: text("HĐ 12/2019/CGCN"),
                issued_on: text("10/03/2019"),
                issuer: text("Viện Nghiên cứu Nuôi trồng thủy sản I"),
            },
        ],
        products: vec![
            ProductDraft { name: text("Tôm thẻ chân trắng nuôi tuần hoàn"), result: text("1") },
            ProductDraft { name: text("Tôm giống sạch bệnh"), result: text("2") },
        ],
        years: vec![year(2019, "11.000.000.000", "4.200.000.000"), year(2018, "9.500.000.000", "3.100.000.000")],
        ..ApplicationDraft::default()
    };
    let id = dossier(&s.at(at_time(day(2020, 9, 14), 15, 0))?, &minh_han, &draft).await?;
    step(&s.at(at_time(day(2020, 9, 15), 9, 30))?, &minh_han, id, "submit", "").await?;
    step(&s.at(at_time(day(2020, 9, 16), 8, 30))?, &officer, id, "start_check", "").await?;
    let ask = "Đề nghị bổ sung bản sao chứng thực Bằng độc quyền giải pháp hữu ích số 2345 và báo cáo tài chính năm 2019 \
               đã kiểm toán.";
    step(&s.at(at_time(day(2020, 9, 17), 10, 0))?, &officer, id, "request_supplement", ask).await?;
    step(&s.at(at_time(day(2020, 9, 20), 20, 15))?, &minh_han, id, "answer_supplement", "").await?;
    step(&s.at(at_time(day(2020, 9, 23), 9, 0))?, &officer, id, "accept", "").await?;
    appraisal(s, &officer, id).await.context("Minh Hàn's appraisal council")?;
    let issue = StepDraft {
        action: text("issue"),
        number: text(MINH_HAN_NUMBER),
        decision: decision("215/QĐ-SKHCN", day(2020, 9, 30)),
        ..StepDraft::default()
    };
    cert::step(&s.at(at_time(day(2020, 9, 30), 15, 0))?, &leader, id, &issue)
        .await
        .map_err(|e| anyhow!("Minh Hàn's certificate: {e:?}"))?;
    // Its yearly reports up to the year before last, sent in March and approved: about 40% of its revenue
    // from its S&T products, 3% spent on research and development. Last year's is Minh Hàn's to send.
    let org = s.org("Công ty TNHH thủy sản Minh Hàn")?;
    for year in 2020..=s.today.year() - 2 {
        let grown = i64::from(year - 2020);
        let total = 11_500_000_000 + grown * 900_000_000;
        let figures = (total, total / 100 * (38 + grown), Some(total / 100 * 3));
        yearly_report(s, &minh_han, org, year, figures, day(year + 1, 3, 10), day(year + 1, 3, 20)).await?;
    }
    Ok(())
}

/// Minh Hàn's application before a small appraisal council: formed on 24/09/2020 by decision
/// 198/QĐ-SKHCN with three of the experts of the S&T council, it meets on 28/09; each member judges the
/// conditions of NĐ 13/2019 met and recommends the certificate; the council closes with its minutes.
async fn appraisal(s: &Story, officer: &Session, id: i64) -> anyhow::Result<()> {
    let forming = s.at(at_time(day(2020, 9, 24), 9, 0))?;
    let draft = CouncilDraft {
        kind: text("certificate"),
        name: text(APPRAISAL_COUNCIL),
        call_id: String::new(),
        meeting_on: text("28/09/2020"),
        meeting_time: text("14:00"),
        place: text("Phòng họp Sở Khoa học và Công nghệ"),
        decision: decision("198/QĐ-SKHCN", day(2020, 9, 24)),
    };
    let council = councils::create_sample_council(&forming, officer, &draft).await.map_err(|e| anyhow!("{e:?}"))?;
    let members =
        [("PGS.TS. Nguyễn Văn Khoa", "chair"), ("TS. Trần Thị Mai", "secretary"), ("ThS. Phạm Văn Đức", "member")]
            .map(|(name, role)| MemberDraft { name: text(name), role: text(role) });
    councils::set_members(&forming, officer, council, &members).await.map_err(|e| anyhow!("members: {e:?}"))?;
    cert::appraisal::refer_to_council(&forming, officer, council, &[id]).await.map_err(|e| anyhow!("refer: {e:?}"))?;
    let meeting = s.at(at_time(day(2020, 9, 28), 14, 0))?;
    let present: Vec<i64> = tiendo_db::sci_tech::members(s.app.db(), council).await?.iter().map(|m| m.id).collect();
    councils::open_meeting(&meeting, officer, council, &present).await.map_err(|e| anyhow!("meeting: {e:?}"))?;
    let opinions = [
        (
            "cg.khoa",
            "Quy trình nuôi tuần hoàn được bảo hộ bằng độc quyền giải pháp hữu ích số 2345, đang áp dụng tại cơ sở.",
            30,
        ),
        ("cg.mai", "Doanh thu từ sản phẩm năm 2019 đạt khoảng 38% tổng doanh thu.", 40),
        ("cg.duc", "", 50),
    ];
    for (username, remark, minute) in opinions {
        let member = account(s.app.db(), username).await?;
        let judged =
            |code: &str, remark: &str| JudgementDraft { code: text(code), met: text("met"), remark: text(remark) };
        let draft = OpinionDraft {
            conditions: vec![judged("registered", ""), judged("st_results", remark), judged("st_revenue_share", "")],
            recommendation: text("issue"),
            remarks: String::new(),
        };
        cert::appraisal::give_opinion(&s.at(at_time(day(2020, 9, 28), 14, minute))?, &member, id, &draft)
            .await
            .map_err(|e| anyhow!("the opinion of {username}: {e:?}"))?;
    }
    let closing = Closing {
        minutes_symbol: text(APPRAISAL_MINUTES),
        minutes_date: text("28/09/2020"),
        conclusion: text(
            "Hồ sơ đáp ứng các điều kiện của Nghị định 13/2019/NĐ-CP; hội đồng thống nhất đề nghị Giám đốc Sở cấp Giấy \
             chứng nhận doanh nghiệp khoa học và công nghệ cho Công ty TNHH thủy sản Minh Hàn.",
        ),
    };
    scoring::close_council(&s.at(at_time(day(2020, 9, 28), 16, 30))?, officer, council, &closing)
        .await
        .map_err(|e| anyhow!("closing: {e:?}"))?;
    Ok(())
}

async fn hoang_tan(s: &Story) -> anyhow::Result<()> {
    let org = s.org("Công ty TNHH công nghệ sinh học Hoàng Tân")?;
    let applicant = applicant(s, "hoangtan", "Lê Thị Thu", org).await?;
    let officer = s.officer().await?;
    let leader = account(s.app.db(), "lanhdao").await?;
    let draft = ApplicationDraft {
        enterprise_name: text("Công ty TNHH công nghệ sinh học Hoàng Tân"),
        tax_code: text("5799990037"),
        address: text("Thôn 5, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh"),
        established_on: text("03/04/2014"),
        size: text("small"),
        results: vec![ResultDraft {
            kind: text("acceptance"),
            title: text("Chế phẩm vi sinh xử lý đáy ao nuôi tôm"),
            reference: text("1876/QĐ-UBND"),
            issued_on: text("20/11/2019"),
            issuer: text("UBND tỉnh Quảng Ninh"),
        }],
        products: vec![ProductDraft { name: text("Chế phẩm vi sinh BIO-HT"), result: text("1") }],
        years: vec![year(2020, "6.000.000.000", "2.400.000.000")],
        ..ApplicationDraft::default()
    };
    let id = dossier(&s.at(at_time(day(2021, 3, 1), 9, 0))?, &applicant, &draft).await?;
    step(&s.at(at_time(day(2021, 3, 2), 9, 0))?, &applicant, id, "submit", "").await?;
    step(&s.at(at_time(day(2021, 3, 3), 9, 0))?, &officer, id, "start_check", "").await?;
    step(&s.at(at_time(day(2021, 3, 5), 9, 0))?, &officer, id, "accept", "").await?;
    let issue = StepDraft {
        action: text("issue"),
        number: text(HOANG_TAN_NUMBER),
        decision: decision("88/QĐ-SKHCN", day(2021, 3, 15)),
        ..StepDraft::default()
    };
    cert::step(&s.at(at_time(day(2021, 3, 15), 15, 0))?, &leader, id, &issue)
        .await
        .map_err(|e| anyhow!("Hoàng Tân's certificate: {e:?}"))?;
    let certificate = tiendo_db::certificates::certificate_of_application(s.app.db(), id)
        .await?
        .ok_or_else(|| anyhow!("Hoàng Tân's certificate"))?;
    // The yearly report of 2023 through the reporting engine: 12% of revenue from S&T products; approved,
    // it finds the condition no longer holds.
    yearly_report(s, &applicant, org, 2023, (8_000_000_000, 960_000_000, None), day(2024, 3, 25), day(2024, 4, 2))
        .await?;
    let end = StepDraft {
        action: text("revoke"),
        note: text(
            "Doanh thu từ sản phẩm hình thành từ kết quả khoa học và công nghệ năm 2023 chỉ đạt 12% tổng doanh thu, \
             không còn đáp ứng điều kiện tại khoản 3 Điều 6 Nghị định 13/2019/NĐ-CP.",
        ),
        decision: decision("412/QĐ-SKHCN", day(2024, 5, 20)),
        ..StepDraft::default()
    };
    cert::end_certificate(&s.at(at_time(day(2024, 5, 20), 14, 0))?, &leader, certificate.id, EndAction::Revoke, &end)
        .await
        .map_err(|e| anyhow!("revoking Hoàng Tân's certificate: {e:?}"))?;
    Ok(())
}

/// Agritech's application, received so that five working days are left today, being checked.
async fn agritech(s: &Story) -> anyhow::Result<()> {
    let org = s.org("Công ty CP phát triển Agritech")?;
    let applicant = applicant(s, "agritech", "Phạm Quang Huy", org).await?;
    let officer = s.officer().await?;
    let clock = Clock::new(Machine::standard().clock());
    let received = clock.received_for(s.today, 5);
    let last = received.year() - 1;
    let draft = ApplicationDraft {
        enterprise_name: text("Công ty CP phát triển Agritech"),
        tax_code: text("5799990012"),
        address: text("Khu 5, phường Hoành Bồ, thành phố Hạ Long, tỉnh Quảng Ninh"),
        representative: text("Phạm Quang Huy, Tổng giám đốc"),
        established_on: text("10/03/2021"),
        size: text("medium"),
        results: vec![ResultDraft {
            kind: text("patent"),
            title: text("Chế phẩm sinh học cải tạo đất trồng rau từ phụ phẩm thủy sản"),
            reference: text("1-0034567"),
            issued_on: text("08/08/2023"),
            issuer: text("Cục Sở hữu trí tuệ"),
        }],
        products: vec![ProductDraft { name: text("Phân bón hữu cơ vi sinh AGT-01"), result: text("1") }],
        years: vec![YearDraft {
            year: last.to_string(),
            total_revenue: text("48.000.000.000"),
            st_revenue: text("21.000.000.000"),
            net_revenue: text("46.500.000.000"),
            rd_spending: text("1.900.000.000"),
        }],
        ..ApplicationDraft::default()
    };
    let sent = s.at(at_time(received, 10, 0))?;
    let id = dossier(&sent, &applicant, &draft).await?;
    step(&sent, &applicant, id, "submit", "").await?;
    let next = received.succ_opt().filter(|d| *d <= s.today).unwrap_or(received);
    step(&s.at(at_time(next, 14, 0))?, &officer, id, "start_check", "").await?;
    Ok(())
}
