//! Sample periodic-reporting data for the Excel forms and aggregated tables: a subset of the yearly
//! S&T statistics report with a field of every type, the values a ward might enter, and a province
//! table over the years. Figures are invented sample data.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone, Utc};
use tiendo_core::reporting::{Period, TemplateDef, Value};

use crate::aggregate_table::{AggregateRow, AggregateTable};
use crate::report_form::{FormHeading, FormTarget};
use crate::xlsx::Notes;

/// The sample template's definition (TOML, as an administrator writes it).
pub const SAMPLE_TEMPLATE: &str = r#"
code = "KHCN-NAM"
name = "Báo cáo thống kê khoa học và công nghệ hằng năm"
name_en = "Yearly science and technology statistics report"
periodicity = "yearly"
due_days = 32

[[indicator]]
code = "KHCN.NL.TONG"
name = "Tổng số nhân lực KH&CN"
unit = "người"
aggregate = "sum"

[[indicator]]
code = "KHCN.NL.TS"
name = "Nhân lực KH&CN có trình độ tiến sĩ"
unit = "người"
aggregate = "sum"

[[indicator]]
code = "KHCN.TC"
name = "Số tổ chức KH&CN"
unit = "tổ chức"
aggregate = "sum"

[[indicator]]
code = "KHCN.CP.CAP"
name = "Kinh phí KH&CN được cấp"
unit = "đồng"
aggregate = "sum"

[[indicator]]
code = "KHCN.CP.CHI"
name = "Kinh phí KH&CN đã chi"
unit = "đồng"
aggregate = "sum"

[[indicator]]
code = "KHCN.CP.BQ"
name = "Kinh phí bình quân một nhiệm vụ"
unit = "triệu đồng"
aggregate = "average"

[[section]]
title = "Tổ chức và nhân lực khoa học và công nghệ"
title_en = "S&T organisations and personnel"

[[section.field]]
code = "org_count"
label = "Số tổ chức khoa học và công nghệ"
label_en = "S&T organisations"
type = "integer"
required = true
min = 0
indicator = "KHCN.TC"

[[section.field]]
code = "staff_total"
label = "Tổng số nhân lực khoa học và công nghệ"
label_en = "S&T personnel, total"
type = "integer"
required = true
min = 0
indicator = "KHCN.NL.TONG"
help = "Tính cả người làm việc kiêm nhiệm."
help_en = "Include part-time staff."

[[section.field]]
code = "staff_phd"
label = "Trong đó: tiến sĩ"
label_en = "of whom: doctors"
type = "integer"
min = 0
indicator = "KHCN.NL.TS"

[[section.field]]
code = "women_share"
label = "Tỷ lệ nữ trong nhân lực khoa học và công nghệ"
label_en = "Share of women in S&T personnel"
type = "percent"
min = 0
max = 100

[[section]]
title = "Kinh phí"
title_en = "Funding"

[[section.field]]
code = "allocated"
label = "Kinh phí khoa học và công nghệ được cấp trong năm"
label_en = "S&T funds allocated in the year"
type = "money"
required = true
min = 0
indicator = "KHCN.CP.CAP"

[[section.field]]
code = "spent"
label = "Kinh phí khoa học và công nghệ đã chi"
label_en = "S&T funds spent"
type = "money"
min = 0
indicator = "KHCN.CP.CHI"

[[section.field]]
code = "avg_task_cost"
label = "Kinh phí bình quân một nhiệm vụ"
label_en = "Average funding per task"
type = "decimal"
min = 0
indicator = "KHCN.CP.BQ"

[[section]]
title = "Nhiệm vụ, lĩnh vực và người lập biểu"
title_en = "Tasks, field and the person reporting"

[[section.field]]
code = "has_program"
label = "Có chương trình khoa học và công nghệ cấp tỉnh"
label_en = "Has a provincial S&T programme"
type = "yes_no"

[[section.field]]
code = "main_field"
label = "Lĩnh vực nghiên cứu chủ yếu"
label_en = "Main field of research"
type = "choice"
choices = ["Khoa học tự nhiên", "Khoa học kỹ thuật và công nghệ", "Khoa học nông nghiệp", "Khoa học xã hội, nhân văn"]

[[section.field]]
code = "report_date"
label = "Ngày lập báo cáo"
label_en = "Date of the report"
type = "date"

[[section.field]]
code = "reporter"
label = "Người lập biểu"
label_en = "Prepared by"
type = "text"

[[section.field]]
code = "tax_code"
label = "Mã số thuế của đơn vị"
label_en = "Tax code"
type = "text"
pattern = "[0-9]{10}"
pattern_hint = "10 chữ số"

[[rule]]
check = "staff_phd <= staff_total"
message = "Số tiến sĩ không vượt tổng số nhân lực."
message_en = "Doctors cannot outnumber the personnel."

[[rule]]
check = "spent <= allocated"
message = "Kinh phí đã chi không vượt kinh phí được cấp."
message_en = "Spending cannot exceed the allocation."
"#;

/// The sample template, parsed.
pub fn sample_template() -> TemplateDef {
    TemplateDef::parse(SAMPLE_TEMPLATE).expect("the sample template is valid")
}

/// What the sample form is for: a ward of Quảng Ninh, the year 2025, due on 1 February 2026.
pub fn sample_heading(period: Period) -> FormHeading {
    FormHeading {
        target: FormTarget { template_version: 3, org_id: "22-phuong-ha-long".into(), period },
        org_name: "UBND phường Hạ Long".into(),
        due_date: period.end().checked_add_days(chrono::Days::new(32)),
    }
}

/// Values of every field of the sample template, all valid.
pub fn sample_values() -> HashMap<String, Value> {
    let n = |x: f64| Value::Number(x);
    let t = |s: &str| Value::Text(s.to_owned());
    [
        ("org_count", n(12.0)),
        ("staff_total", n(1234.0)),
        ("staff_phd", n(87.0)),
        ("women_share", n(42.5)),
        ("allocated", n(12_500_000_000.0)),
        ("spent", n(9_876_543_210.0)),
        ("avg_task_cost", n(350.75)),
        ("has_program", n(1.0)),
        ("main_field", t("Khoa học xã hội, nhân văn")),
        ("report_date", t("2026-01-15")),
        ("reporter", t("Nguyễn Thị Hoa")),
        ("tax_code", t("0102030405")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A province table of three indicators over the years 2017–2020 and 2025, with the communes of one
/// indicator indented under its total and a year without figures.
pub fn sample_aggregate_table() -> AggregateTable {
    let years = [2017, 2018, 2019, 2020, 2025];
    let row = |label: &str, unit: &str, decimals, level, values: [Option<f64>; 5]| AggregateRow {
        label: label.to_owned(),
        unit: unit.to_owned(),
        decimals,
        level,
        values: values.to_vec(),
    };
    AggregateTable {
        sheet_name: "Tổng hợp".into(),
        title: "Một số chỉ tiêu khoa học và công nghệ của tỉnh Quảng Ninh".into(),
        subtitle_lines: vec!["Theo địa giới hành chính hiện hành (từ 01/07/2025)".into()],
        row_header: "Chỉ tiêu".into(),
        column_headers: years.iter().map(|y| Period::Year(*y).name(tiendo_core::lang::Lang::Vi)).collect(),
        rows: vec![
            row(
                "Tổng số nhân lực KH&CN",
                "người",
                0,
                0,
                [Some(2_310.0), Some(2_402.0), Some(2_515.0), Some(2_498.0), Some(2_730.0)],
            ),
            row(
                "Phường Hạ Long",
                "người",
                0,
                1,
                [Some(1_105.0), Some(1_150.0), Some(1_201.0), Some(1_190.0), Some(1_320.0)],
            ),
            row(
                "Phường Quảng Yên",
                "người",
                0,
                1,
                [Some(1_205.0), Some(1_252.0), Some(1_314.0), Some(1_308.0), Some(1_410.0)],
            ),
            row(
                "Kinh phí KH&CN đã chi",
                "triệu đồng",
                0,
                0,
                [Some(45_300.0), Some(47_820.5), Some(51_000.0), None, Some(62_400.0)],
            ),
            row("Tỷ lệ giải ngân", "%", 1, 0, [Some(88.25), Some(91.0), Some(93.4), None, Some(95.1)]),
        ],
        notes: Notes {
            source: "Tiến Độ – báo cáo định kỳ KHCN-NAM đã được phê duyệt".into(),
            generated_at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).single().expect("a valid instant"),
            filters: vec![("Tỉnh".into(), "Quảng Ninh".into())],
        },
        remarks: vec![
            "Số liệu của các đơn vị trước sắp xếp năm 2025 được tính cho đơn vị kế thừa.".into(),
            format!(
                "Số liệu đến ngày {}.",
                tiendo_core::fmt::date(NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date"))
            ),
        ],
    }
}
