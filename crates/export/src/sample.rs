//! Sample documents from the demo scenario (`DESIGN.md` §2), for `tiendo export sample`,
//! reviewers, golden tests and benchmarks. Indicator values are invented sample data.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::chart::{Chart, ChartKind, Series};
use crate::error::ExportError;
use crate::image::{Image, test_card_png};
use crate::kinds::{DocumentKind, Frame, build};
use crate::model::{Authority, Block, Cell, Document, DocumentSystem, Figure, Signature, SigningMode, Table};
use crate::template::{Record, Template, Value};
use crate::xlsx::{Column, ColumnKind, Notes, TabularReport, Value as XValue};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

fn items(texts: &[&str]) -> Value {
    Value::List(texts.iter().map(|t| Record::new().text("text", t)).collect())
}

/// The Sở KH&CN Quảng Ninh as issuer, signing as its Director.
pub fn sample_frame(number: u32) -> Frame {
    Frame {
        system: DocumentSystem::State,
        authority: Authority {
            parent: Some("UBND TỈNH QUẢNG NINH".into()), name: "SỞ KHOA HỌC VÀ CÔNG NGHỆ".into()
        },
        number,
        issuer_code: "SKHCN".into(),
        place: "Quảng Ninh".into(),
        date: date(2026, 3, 5),
        signature: Signature {
            mode: None,
            on_behalf_of: None,
            position: "GIÁM ĐỐC".into(),
            signer: "Hoàng Bá Nam".into(),
        },
        secretary: None,
        written_number: None,
    }
}

/// The frame of the sample document of `kind`: the Director signs, except the minutes of the
/// council, signed by its chair and its secretary.
pub fn sample_frame_for(kind: DocumentKind, number: u32) -> Frame {
    let frame = sample_frame(number);
    match kind {
        DocumentKind::Minutes => Frame {
            signature: Signature {
                mode: None,
                on_behalf_of: None,
                position: "CHỦ TỊCH HỘI ĐỒNG".into(),
                signer: "Nguyễn Đắc Bình Minh".into(),
            },
            secretary: Some(Signature {
                mode: None,
                on_behalf_of: None,
                position: "THƯ KÝ".into(),
                signer: "Lê Văn Đức".into(),
            }),
            ..frame
        },
        // A certificate carries the number of the register of certificates.
        DocumentKind::Certificate => Frame { written_number: Some(format!("{number:02}/2026/DNKHCN")), ..frame },
        _ => frame,
    }
}

/// A record for each document kind, from the demo scenario.
pub fn sample_record(kind: DocumentKind) -> Record {
    match kind {
        DocumentKind::Report => Record::new()
            .text("org.name", "Sở Khoa học và Công nghệ")
            .text("period.years", "03")
            .text("resolution.symbol", "07-NQ/TU")
            .text("resolution.issuer", "Ban Chấp hành Đảng bộ tỉnh")
            .text("resolution.title", "phát triển khoa học, công nghệ và đổi mới sáng tạo")
            .text("request.basis", "Công văn số 1234/VP.UBND ngày 15/01/2026 của Văn phòng UBND tỉnh")
            .text("recipient.main", "UBND tỉnh (b/c)")
            .text("drafting.unit", "QLKH")
            .text(
                "results.summary",
                "Sau 03 năm triển khai, các chỉ tiêu chủ yếu của Nghị quyết cơ bản đạt và vượt kế hoạch; hoạt động khoa học và công nghệ gắn chặt hơn với nhu cầu của địa phương và doanh nghiệp.",
            )
            .with(
                "results",
                items(&[
                    "Triển khai 42 nhiệm vụ khoa học và công nghệ cấp tỉnh, trong đó 18 nhiệm vụ do các địa phương đề xuất đặt hàng.",
                    "Hỗ trợ 12 doanh nghiệp đăng ký chứng nhận doanh nghiệp khoa học và công nghệ.",
                    "Phối hợp với Viện Nghiên cứu và Phát triển Vùng xây dựng chương trình khung cho thị xã Quảng Yên và thành phố Hạ Long.",
                ]),
            )
            .with(
                "difficulties",
                items(&[
                    "Nguồn nhân lực khoa học và công nghệ tại cấp xã còn mỏng.",
                    "Một số nhiệm vụ chậm tiến độ do thủ tục điều chỉnh hợp đồng kéo dài.",
                ]),
            )
            .with(
                "tasks",
                items(&[
                    "Tiếp tục đặt hàng nhiệm vụ khoa học và công nghệ gắn với nhu cầu của 54 đơn vị hành chính cấp xã.",
                    "Đẩy mạnh chuyển đổi số trong quản lý nhiệm vụ và theo dõi thực hiện nghị quyết.",
                ]),
            ),
        DocumentKind::ConclusionNotice => Record::new()
            .text("org.name", "Sở Khoa học và Công nghệ")
            .text("chair.title", "Giám đốc Sở")
            .text("chair.name", "Hoàng Bá Nam")
            .text("host.name", "UBND thị xã Quảng Yên")
            .with("visit.date", Value::Date(date(2020, 2, 27)))
            .text("visit.participants", "đại diện Viện Nghiên cứu và Phát triển Vùng (Bộ KH&CN) và lãnh đạo các phòng thuộc Sở")
            .text(
                "visit.assessment",
                "Thị xã đã quan tâm ứng dụng tiến bộ khoa học và công nghệ vào sản xuất nông nghiệp và thủy sản; một số mô hình bước đầu mang lại hiệu quả.",
            )
            .with(
                "directives",
                Value::List(vec![
                    Record::new()
                        .text("lead", "UBND thị xã Quảng Yên")
                        .text("text", "Đề xuất các nhiệm vụ khoa học và công nghệ cấp thiết của địa phương.")
                        .text("deadline", "30/4/2020"),
                    Record::new()
                        .text("lead", "Phòng Quản lý khoa học và Viện Nghiên cứu và Phát triển Vùng")
                        .text("text", "Xây dựng kế hoạch và chương trình khung khoa học và công nghệ cho thị xã Quảng Yên.")
                        .text("deadline", "30/6/2020"),
                ]),
            ),
        DocumentKind::Minutes => Record::new()
            .text("council.purpose", "tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ khoa học và công nghệ cấp tỉnh")
            .text("council.conclusion", "Hội đồng thống nhất kiến nghị giao Công ty TNHH thủy sản Minh Hàn chủ trì nhiệm vụ, với điều kiện hoàn thiện thuyết minh theo góp ý.")
            .text("meeting.time", "08 giờ 30")
            .with("meeting.date", Value::Date(date(2026, 3, 5)))
            .text("meeting.place", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh")
            .text("meeting.content", "Hội đồng nghe đại diện tổ chức đăng ký chủ trì trình bày thuyết minh; các thành viên phản biện nêu nhận xét và chấm điểm độc lập.")
            .text("meeting.end", "11 giờ 00")
            .with(
                "members",
                Value::List(vec![
                    Record::new().text("name", "TS. Nguyễn Đắc Bình Minh").text("role", "Chủ tịch Hội đồng"),
                    Record::new().text("name", "ThS. Trần Thị Hà").text("role", "Ủy viên phản biện"),
                    Record::new().text("name", "ThS. Lê Văn Đức").text("role", "Thư ký khoa học"),
                ]),
            ),
        DocumentKind::Decision => Record::new()
            .text("signer.authority", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ")
            .text("decision.subject", "phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm 2026")
            .text("decision.article1", "Phê duyệt danh mục 05 nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng để tuyển chọn năm 2026 (chi tiết tại Phụ lục kèm theo).")
            .text("decision.article2", "Phòng Quản lý khoa học có trách nhiệm thông báo tuyển chọn theo quy định.")
            .text("decision.article3", "Chánh Văn phòng Sở, Trưởng phòng Quản lý khoa học và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
            .text("proposer", "Trưởng phòng Quản lý khoa học")
            .text("drafting.unit", "QLKH")
            .with(
                "bases",
                items(&[
                    "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025",
                    "Căn cứ Nghị quyết số 07-NQ/TU của Ban Chấp hành Đảng bộ tỉnh",
                ]),
            ),
        DocumentKind::Certificate => Record::new()
            .with(
                "bases",
                items(&[
                    "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025",
                    "Căn cứ Nghị định số 268/2025/NĐ-CP của Chính phủ",
                ]),
            )
            .with("application.received_on", Value::Date(date(2026, 2, 16)))
            .text("issuer.title", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NINH")
            .text("enterprise.name", "Công ty TNHH thủy sản Minh Hàn")
            .text("enterprise.code", "5701234567")
            .text("enterprise.address", "Thôn 3, phường Hà An, tỉnh Quảng Ninh")
            .with(
                "representatives",
                Value::List(vec![Record::new().text("name", "Ông Phạm Văn Hàn, Giám đốc")]),
            )
            .with(
                "results",
                items(&[
                    "Quy trình nuôi tôm thẻ chân trắng hai giai đoạn trong nhà màng (Bằng độc quyền giải pháp hữu ích số 2345, Cục Sở hữu trí tuệ, ngày 15/06/2018)",
                ]),
            )
            .with("products", items(&["Tôm thẻ chân trắng nuôi hai giai đoạn", "Tôm giống sạch bệnh"]))
            .with("changes", Value::List(Vec::new()))
            .with("certificate.valid_from", Value::Date(date(2026, 3, 5))),
    }
}

/// The sample document of `kind`, rendered from its default template.
pub fn sample_document(kind: DocumentKind) -> Result<Document, ExportError> {
    let template = Template::parse(&kind.schema(), kind.default_template())?;
    let number = match kind {
        DocumentKind::Report => 45,
        DocumentKind::ConclusionNotice => 12,
        DocumentKind::Minutes => 3,
        DocumentKind::Decision => 102,
        DocumentKind::Certificate => 7,
    };
    build(kind, &template, &sample_record(kind), sample_frame_for(kind, number))
}

/// The table of indicators in the sample report: two header rows with merged cells.
pub fn sample_indicator_table() -> Table {
    let row = |n: &str, name: &str, unit: &str, a: &str, b: &str, c: &str| {
        vec![
            Cell::text(n).centered(),
            Cell::text(name),
            Cell::text(unit).centered(),
            Cell::number(a),
            Cell::number(b),
            Cell::number(c),
        ]
    };
    Table {
        columns: vec![0.6, 4.0, 1.4, 1.2, 1.2, 1.2],
        header: vec![
            vec![
                Cell::header("TT").span_rows(2),
                Cell::header("Chỉ tiêu").span_rows(2),
                Cell::header("Đơn vị tính").span_rows(2),
                Cell::header("Kết quả thực hiện").span_cols(3),
            ],
            vec![Cell::header("2023"), Cell::header("2024"), Cell::header("2025")],
        ],
        rows: vec![
            row("1", "Nhiệm vụ KH&CN cấp tỉnh được triển khai", "nhiệm vụ", "12", "14", "16"),
            row("2", "Doanh nghiệp được chứng nhận doanh nghiệp KH&CN", "doanh nghiệp", "3", "4", "5"),
            row("3", "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "%", "78,5", "83,0", "88,2"),
            vec![
                Cell::text("Tổng số nhiệm vụ KH&CN").span_cols(3).bolded().centered(),
                Cell::number("12").bolded(),
                Cell::number("14").bolded(),
                Cell::number("16").bolded(),
            ],
        ],
        caption: Some("Bảng 1. Một số chỉ tiêu chủ yếu giai đoạn 2023 - 2025".into()),
    }
}

/// The chart of the sample report.
pub fn sample_chart() -> Chart {
    let mut chart = Chart::new(
        ChartKind::Bar,
        "Nhiệm vụ KH&CN theo năm",
        vec!["2023".into(), "2024".into(), "2025".into()],
        vec![
            Series { name: "Cấp tỉnh".into(), values: vec![12.0, 14.0, 16.0] },
            Series { name: "Địa phương đề xuất".into(), values: vec![4.0, 6.0, 8.0] },
        ],
    );
    chart.unit = Some("nhiệm vụ".into());
    chart
}

/// The sample official document: a Báo cáo of the Sở KH&CN Quảng Ninh, "Số: 45/BC-SKHCN", on
/// the results of 03 years implementing Nghị quyết 07-NQ/TU, with a table with merged headers,
/// a chart, a photo, the signature of the Director Hoàng Bá Nam and the recipients.
pub fn sample_report() -> Document {
    let mut doc = sample_document(DocumentKind::Report).expect("the default report template renders the sample record");
    // After the first heading's paragraph: the table, the chart and a photo.
    let at = doc.body.iter().position(|b| matches!(b, Block::List { .. })).map_or(doc.body.len(), |i| i + 1);
    let photo = Image::decode("anh-mo-hinh.png", test_card_png(320, 180)).expect("generated PNG decodes");
    doc.body.splice(
        at..at,
        [
            Block::Table(sample_indicator_table()),
            Block::Chart(Figure {
                content: sample_chart(),
                width_mm: 150.0,
                caption: Some("Hình 1. Số nhiệm vụ KH&CN giai đoạn 2023 - 2025".into()),
            }),
            Block::Image(Figure {
                content: photo,
                width_mm: 110.0,
                caption: Some("Hình 2. Mô hình nuôi tôm công nghệ cao tại phường Hà An (ảnh minh họa)".into()),
            }),
        ],
    );
    doc
}

/// The same report signed by a deputy (`KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`).
pub fn with_deputy_signature(mut doc: Document, deputy: &str) -> Document {
    doc.signature = Signature {
        mode: Some(SigningMode::OnBehalf),
        on_behalf_of: Some("GIÁM ĐỐC".into()),
        position: "PHÓ GIÁM ĐỐC".into(),
        signer: deputy.into(),
    };
    doc
}

/// A long report for benchmarks and pagination tests: the sample report with `sections`
/// extra sections, each with paragraphs, a list and a table.
pub fn long_report(sections: usize) -> Document {
    let mut doc = sample_report();
    let paragraph = "Trong giai đoạn vừa qua, các cơ quan, đơn vị đã tập trung triển khai đồng bộ các nhiệm vụ, giải pháp của Nghị quyết; công tác tuyên truyền, phổ biến được đẩy mạnh; việc đặt hàng nhiệm vụ khoa học và công nghệ bám sát nhu cầu thực tiễn của địa phương, doanh nghiệp và người dân, góp phần nâng cao năng suất, chất lượng và sức cạnh tranh của sản phẩm chủ lực của tỉnh.";
    for s in 0..sections {
        doc.body.push(Block::heading(2, format!("Kết quả thực hiện tại địa bàn số {}", s + 1)));
        for _ in 0..3 {
            doc.body.push(Block::paragraph(paragraph));
        }
        doc.body.push(Block::dash_list([
            "Hoàn thành đúng hạn 5 nhiệm vụ;",
            "Đang thực hiện 3 nhiệm vụ trong hạn;",
            "Quá hạn 1 nhiệm vụ.",
        ]));
        let mut t = sample_indicator_table();
        t.caption = Some(format!("Bảng {}. Chỉ tiêu tại địa bàn số {}", s + 2, s + 1));
        doc.body.push(Block::Table(t));
    }
    doc
}

/// The spreadsheet layout of the sample tabular report (tasks by commune).
pub fn sample_tabular_report() -> TabularReport {
    TabularReport {
        sheet_name: "Biểu 01".into(),
        title_lines: vec![
            "Biểu số 01/KHCN".into(),
            "TỔNG HỢP NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ THEO ĐƠN VỊ HÀNH CHÍNH CẤP XÃ".into(),
            "Kỳ báo cáo: năm 2025".into(),
        ],
        columns: vec![
            Column::new("TT", ColumnKind::Integer, 6.0),
            Column::new("Đơn vị", ColumnKind::Text, 28.0),
            Column::new("Ngày cập nhật", ColumnKind::Date, 14.0),
            Column::new("Đúng hạn", ColumnKind::Integer, 11.0).with_total(),
            Column::new("Trễ hạn", ColumnKind::Integer, 11.0).with_total(),
            Column::new("Kinh phí (đồng)", ColumnKind::Money, 18.0).with_total(),
            Column::new("Tỷ lệ hoàn thành", ColumnKind::Percent, 12.0),
        ],
        header: vec![
            vec![
                Cell::header("TT").span_rows(2),
                Cell::header("Đơn vị").span_rows(2),
                Cell::header("Ngày cập nhật").span_rows(2),
                Cell::header("Số nhiệm vụ").span_cols(2),
                Cell::header("Kinh phí (đồng)").span_rows(2),
                Cell::header("Tỷ lệ hoàn thành").span_rows(2),
            ],
            vec![Cell::header("Đúng hạn"), Cell::header("Trễ hạn")],
        ],
        totals_label: Some("Tổng cộng".into()),
        notes: Notes {
            source: "Tiến Độ, phân hệ Theo dõi nhiệm vụ (dữ liệu mẫu)".into(),
            generated_at: Utc.with_ymd_and_hms(2026, 3, 5, 2, 30, 0).single().expect("valid instant"),
            filters: vec![("Năm".into(), "2025".into()), ("Tỉnh".into(), "Quảng Ninh".into())],
        },
    }
}

const COMMUNES: [&str; 6] =
    ["Phường Hà An", "Phường Hoành Bồ", "Phường Quảng Yên", "Phường Liên Hòa", "Phường Hạ Long", "Đặc khu Vân Đồn"];

/// `n` deterministic rows for the sample tabular report.
pub fn sample_rows(n: usize) -> impl Iterator<Item = Vec<XValue>> {
    (0..n).map(|i| {
        let on_time = (i * 7 % 13) as f64;
        let late = (i * 3 % 5) as f64;
        vec![
            XValue::Number((i + 1) as f64),
            XValue::Text(format!("{} ({})", COMMUNES[i % COMMUNES.len()], i / COMMUNES.len() + 1)),
            XValue::Date(date(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32)),
            XValue::Number(on_time),
            XValue::Number(late),
            XValue::Number(((i % 97) as f64 + 1.0) * 12_500_000.0),
            XValue::Number(if on_time + late > 0.0 { on_time / (on_time + late) } else { 0.0 }),
        ]
    })
}

/// The output formats of `tiendo export sample`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    /// The sample report as DOCX.
    Docx,
    /// The sample report as PDF (needs the fonts, see `pdf::FontSet::load_system`).
    Pdf,
    /// The sample tabular report (54 communes) as XLSX.
    Xlsx,
}

/// The bytes of the sample file in `format`, for `tiendo export sample --format F --out FILE`.
pub fn sample_file(format: SampleFormat) -> Result<Vec<u8>, ExportError> {
    match format {
        SampleFormat::Docx => crate::docx(&sample_report()),
        SampleFormat::Pdf => crate::pdf(&sample_report(), &crate::pdf::FontSet::load_system()?),
        SampleFormat::Xlsx => crate::xlsx::write(&sample_tabular_report(), sample_rows(54)),
    }
}
