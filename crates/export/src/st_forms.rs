//! The national information forms on S&T tasks of Thông tư 14/2014/TT-BKHCN (11/6/2014, on
//! collecting, registering, storing and publishing information on S&T tasks) as spreadsheets
//! (issue 17, item 6):
//!
//! - form 1, *Phiếu thông tin về nhiệm vụ khoa học và công nghệ đang tiến hành*: one row per task
//!   under way ([`Form1Row`], [`write_form1`]);
//! - form 12, *Phiếu thông tin về ứng dụng kết quả thực hiện nhiệm vụ khoa học và công nghệ*: one
//!   row per application of a task's result ([`Form12Row`], [`write_form12`]), which the host
//!   organisation reports every 12 months for 5 years after the task's official acceptance.
//!
//! The circular's forms are one document per task; a spreadsheet lists many, one row each, with
//! a column per field of the form. **The fields are as commonly reproduced; verify them against
//! the circular's appendix.** The appendix itself was not found while this was written: the
//! sources read confirm the forms' names and numbers and how they are sent, not their field
//! lists. Sources read:
//!
//! - the circular's scope (article 1: collecting information on tasks under way, registering
//!   results, collecting information on the application of results):
//!   <https://www.global-regulation.com/translation/vietnam/2954537/>;
//! - form 1 is sent on paper and electronically (`.rtf`, `.doc`, `.docx`, Unicode Times New
//!   Roman), to the S&T information focal point:
//!   <https://thukyluat.vn/news/diem-tin-van-ban/cach-thuc-gui-phieu-thong-tin-ve-nhiem-vu-khcn-dang-tien-hanh-62222.html>;
//! - form 12 is reported every 12 months for 5 years from the official acceptance, by the host
//!   organisation or the one given the rights to the results (article 20(1), article 19(3)):
//!   <https://vista.gov.vn/articles/thong-tin-ve-ung-dung-ket-qua-thuc-hien-nhiem-vu-kh-cn-5.html>.
//!
//! The official title of a form stays Vietnamese in both languages; `lang` chooses the column
//! titles, the sheet names, the fixed labels and the notes sheet (with an English translation
//! of the title under the Vietnamese one). The column titles are fixed by the circular, not by
//! the caller, so they live here next to the fields they name, as the crate's other fixed labels
//! do (`aggregate_table`'s `STT`, the report forms' instructions).

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::lang::Lang;

use crate::error::ExportError;
use crate::xlsx::{Column, ColumnKind, Notes, TabularReport, Value, write_with};

/// Who reports the forms and as of when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormHeader {
    /// The reporting organisation (`Sở Khoa học và Công nghệ tỉnh Quảng Ninh`), as it should be
    /// printed.
    pub organization: String,
    /// The date the information is given as of (*tính đến ngày*).
    pub as_of: NaiveDate,
    /// When the file is generated, for the notes sheet (the caller's clock: this crate reads none).
    pub generated_at: DateTime<Utc>,
}

/// How a task's expenditure is paid as a lump sum (*phương thức khoán chi*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LumpSum {
    /// *Khoán chi đến sản phẩm cuối cùng*: the whole budget against the final products.
    FinalProduct,
    /// *Khoán chi từng phần*: only some items of expenditure are lump sums.
    Partial,
}

impl LumpSum {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (LumpSum::FinalProduct, Lang::Vi) => "Khoán đến sản phẩm cuối cùng",
            (LumpSum::FinalProduct, Lang::En) => "Lump sum up to the final product",
            (LumpSum::Partial, Lang::Vi) => "Khoán từng phần",
            (LumpSum::Partial, Lang::En) => "Partial lump sum",
        }
    }
}

/// One task under way: the fields of form 1 (*Phiếu thông tin về nhiệm vụ khoa học và công nghệ
/// đang tiến hành*), as commonly reproduced; verify against the circular's appendix. Empty text
/// and `None` are written as empty cells ("no information").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form1Row {
    /// *Tên nhiệm vụ*.
    pub title: String,
    /// *Mã số*, the code given by the managing agency.
    pub code: String,
    /// *Cấp quản lý* (`Cấp tỉnh`, `Cấp cơ sở`), as it should be printed.
    pub management_level: String,
    /// *Lĩnh vực nghiên cứu*, as it should be printed.
    pub field: String,
    /// *Tổ chức chủ trì*: name.
    pub host_name: String,
    /// *Tổ chức chủ trì*: address.
    pub host_address: String,
    /// *Tổ chức chủ trì*: telephone.
    pub host_phone: String,
    /// *Cơ quan chủ quản*, the agency the host organisation reports to.
    pub governing_agency: String,
    /// *Chủ nhiệm nhiệm vụ*: full name.
    pub leader_name: String,
    /// *Chủ nhiệm nhiệm vụ*: academic title and degree (`PGS.TS`, `ThS`).
    pub leader_degree: String,
    /// *Những người tham gia*, one person a line (`TS. Nguyễn Văn A`).
    pub participants: Vec<String>,
    /// *Mục tiêu*.
    pub objectives: String,
    /// *Nội dung chính*.
    pub main_content: String,
    /// *Thời gian thực hiện*: start.
    pub start: Option<NaiveDate>,
    /// *Thời gian thực hiện*: end (as contracted, extensions included).
    pub end: Option<NaiveDate>,
    /// *Kinh phí*: total, in đồng.
    pub budget_total: i64,
    /// *Kinh phí*: of which from the state budget (*ngân sách nhà nước*), in đồng.
    pub budget_state: i64,
    /// *Kinh phí*: from other sources (*nguồn khác*), in đồng.
    pub budget_other: i64,
    /// *Phương thức khoán chi*; `None` when not known.
    pub lump_sum: Option<LumpSum>,
    /// *Quyết định phê duyệt*: its number and symbol (`1234/QĐ-UBND`).
    pub approval_decision: String,
    /// *Quyết định phê duyệt*: its date.
    pub approval_date: Option<NaiveDate>,
    /// *Hợp đồng*: its number (`05/2025/HĐ-KHCN`).
    pub contract_number: String,
    /// *Hợp đồng*: the date it was signed.
    pub contract_date: Option<NaiveDate>,
    /// *Sản phẩm dự kiến*, one product a line.
    pub expected_products: Vec<String>,
}

/// One application of a task's result: the fields of form 12 (*Phiếu thông tin về ứng dụng kết
/// quả thực hiện nhiệm vụ khoa học và công nghệ*), as commonly reproduced; verify against the
/// circular's appendix. A result applied by several organisations is several rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form12Row {
    /// *Tên nhiệm vụ*.
    pub task_title: String,
    /// *Mã số* of the task.
    pub task_code: String,
    /// *Số đăng ký kết quả*: the number of the certificate registering the task's result.
    pub registration_number: String,
    /// The date of that certificate.
    pub registration_date: Option<NaiveDate>,
    /// *Tổ chức chủ trì* of the task.
    pub host_name: String,
    /// *Chủ nhiệm nhiệm vụ*: full name, with title and degree as it should be printed.
    pub leader_name: String,
    /// The result applied (a process, a variety, a model), as it should be printed.
    pub result: String,
    /// *Tổ chức, cá nhân ứng dụng*: name.
    pub applier_name: String,
    /// *Tổ chức, cá nhân ứng dụng*: address.
    pub applier_address: String,
    /// *Địa bàn ứng dụng* (`Phường Hạ Long; xã Ba Chẽ`).
    pub area: String,
    /// *Thời gian ứng dụng*: since.
    pub applied_from: Option<NaiveDate>,
    /// *Thời gian ứng dụng*: until; `None` while the result is still applied.
    pub applied_until: Option<NaiveDate>,
    /// *Quy mô ứng dụng* (`12 ha`, `3 hộ`), as it should be printed.
    pub scale: String,
    /// *Hiệu quả kinh tế - xã hội*.
    pub effects: String,
}

/// A column of a form: its Vietnamese and English titles, its type and its width in characters.
type FormColumn = (&'static str, &'static str, ColumnKind, f64);

const FORM1_COLUMNS: [FormColumn; 25] = [
    ("STT", "No.", ColumnKind::Integer, 6.0),
    ("Tên nhiệm vụ", "Title of the task", ColumnKind::Text, 40.0),
    ("Mã số", "Code", ColumnKind::Text, 14.0),
    ("Cấp quản lý", "Management level", ColumnKind::Text, 14.0),
    ("Lĩnh vực nghiên cứu", "Field of research", ColumnKind::Text, 18.0),
    ("Tổ chức chủ trì", "Host organisation", ColumnKind::Text, 28.0),
    ("Địa chỉ tổ chức chủ trì", "Address of the host organisation", ColumnKind::Text, 28.0),
    ("Điện thoại tổ chức chủ trì", "Telephone of the host organisation", ColumnKind::Text, 15.0),
    ("Cơ quan chủ quản", "Governing agency", ColumnKind::Text, 24.0),
    ("Chủ nhiệm nhiệm vụ", "Task leader", ColumnKind::Text, 22.0),
    ("Học hàm, học vị của chủ nhiệm", "Academic title and degree of the leader", ColumnKind::Text, 14.0),
    ("Những người tham gia", "Participants", ColumnKind::Text, 28.0),
    ("Mục tiêu", "Objectives", ColumnKind::Text, 40.0),
    ("Nội dung chính", "Main content", ColumnKind::Text, 40.0),
    ("Thời gian bắt đầu", "Start date", ColumnKind::Date, 12.0),
    ("Thời gian kết thúc", "End date", ColumnKind::Date, 12.0),
    ("Tổng kinh phí", "Total funding", ColumnKind::Money, 18.0),
    ("Trong đó: ngân sách nhà nước", "Of which: state budget", ColumnKind::Money, 18.0),
    ("Trong đó: nguồn khác", "Of which: other sources", ColumnKind::Money, 18.0),
    ("Phương thức khoán chi", "Lump-sum method", ColumnKind::Text, 20.0),
    ("Số quyết định phê duyệt", "Approval decision number", ColumnKind::Text, 16.0),
    ("Ngày quyết định phê duyệt", "Approval decision date", ColumnKind::Date, 12.0),
    ("Số hợp đồng", "Contract number", ColumnKind::Text, 16.0),
    ("Ngày ký hợp đồng", "Contract date", ColumnKind::Date, 12.0),
    ("Sản phẩm dự kiến", "Expected products", ColumnKind::Text, 36.0),
];

const FORM12_COLUMNS: [FormColumn; 15] = [
    ("STT", "No.", ColumnKind::Integer, 6.0),
    ("Tên nhiệm vụ", "Title of the task", ColumnKind::Text, 36.0),
    ("Mã số nhiệm vụ", "Task code", ColumnKind::Text, 14.0),
    ("Số đăng ký kết quả", "Result registration number", ColumnKind::Text, 16.0),
    ("Ngày đăng ký kết quả", "Result registration date", ColumnKind::Date, 12.0),
    ("Tổ chức chủ trì", "Host organisation", ColumnKind::Text, 26.0),
    ("Chủ nhiệm nhiệm vụ", "Task leader", ColumnKind::Text, 22.0),
    ("Kết quả được ứng dụng", "Result applied", ColumnKind::Text, 32.0),
    ("Tổ chức, cá nhân ứng dụng", "Organisation or person applying it", ColumnKind::Text, 26.0),
    ("Địa chỉ tổ chức, cá nhân ứng dụng", "Address of the organisation or person", ColumnKind::Text, 28.0),
    ("Địa bàn ứng dụng", "Area of application", ColumnKind::Text, 20.0),
    ("Ứng dụng từ ngày", "Applied from", ColumnKind::Date, 12.0),
    ("Ứng dụng đến ngày", "Applied until", ColumnKind::Date, 12.0),
    ("Quy mô ứng dụng", "Scale of application", ColumnKind::Text, 24.0),
    ("Hiệu quả kinh tế - xã hội", "Socio-economic effects", ColumnKind::Text, 36.0),
];

/// What tells one form from the other on its sheet.
struct FormKind {
    /// `Mẫu 1`, and the sheet's name in English.
    number: u8,
    /// The official title, in capitals as printed on the form.
    official_title: &'static str,
    /// Its English translation.
    english_title: &'static str,
    columns: &'static [FormColumn],
}

const FORM1: FormKind = FormKind {
    number: 1,
    official_title: "PHIẾU THÔNG TIN VỀ NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ ĐANG TIẾN HÀNH",
    english_title: "Information on science and technology tasks under way",
    columns: &FORM1_COLUMNS,
};

const FORM12: FormKind = FormKind {
    number: 12,
    official_title: "PHIẾU THÔNG TIN VỀ ỨNG DỤNG KẾT QUẢ THỰC HIỆN NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ",
    english_title: "Information on the application of the results of science and technology tasks",
    columns: &FORM12_COLUMNS,
};

/// The circular, as cited on every form.
const CIRCULAR: &str = "Thông tư 14/2014/TT-BKHCN";

/// Writes form 1 of Thông tư 14/2014/TT-BKHCN with one row per task under way, and a notes
/// sheet. Streamed: the rows are read once and not kept.
pub fn write_form1(
    header: &FormHeader,
    rows: impl IntoIterator<Item = Form1Row>,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let values = rows.into_iter().enumerate().map(move |(i, r)| {
        vec![
            number(i),
            Value::Text(r.title),
            Value::Text(r.code),
            Value::Text(r.management_level),
            Value::Text(r.field),
            Value::Text(r.host_name),
            Value::Text(r.host_address),
            Value::Text(r.host_phone),
            Value::Text(r.governing_agency),
            Value::Text(r.leader_name),
            Value::Text(r.leader_degree),
            Value::Text(r.participants.join("\n")),
            Value::Text(r.objectives),
            Value::Text(r.main_content),
            date(r.start),
            date(r.end),
            Value::from(r.budget_total),
            Value::from(r.budget_state),
            Value::from(r.budget_other),
            Value::Text(r.lump_sum.map(|m| m.label(lang)).unwrap_or_default().to_owned()),
            Value::Text(r.approval_decision),
            date(r.approval_date),
            Value::Text(r.contract_number),
            date(r.contract_date),
            Value::Text(r.expected_products.join("\n")),
        ]
    });
    write_form(&FORM1, header, values, lang, &[])
}

/// Writes form 12 of Thông tư 14/2014/TT-BKHCN with one row per application of a result, and a
/// notes sheet. Streamed: the rows are read once and not kept.
pub fn write_form12(
    header: &FormHeader,
    rows: impl IntoIterator<Item = Form12Row>,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let values = rows.into_iter().enumerate().map(|(i, r)| {
        vec![
            number(i),
            Value::Text(r.task_title),
            Value::Text(r.task_code),
            Value::Text(r.registration_number),
            date(r.registration_date),
            Value::Text(r.host_name),
            Value::Text(r.leader_name),
            Value::Text(r.result),
            Value::Text(r.applier_name),
            Value::Text(r.applier_address),
            Value::Text(r.area),
            date(r.applied_from),
            date(r.applied_until),
            Value::Text(r.scale),
            Value::Text(r.effects),
        ]
    });
    let still_applied = match lang {
        Lang::Vi => "Cột “Ứng dụng đến ngày” để trống: kết quả vẫn đang được ứng dụng.",
        Lang::En => "An empty “Applied until”: the result is still applied.",
    };
    write_form(&FORM12, header, values, lang, &[still_applied.to_owned()])
}

/// The row's number in the `STT` column, from 1.
fn number(index: usize) -> Value {
    Value::Number((index + 1) as f64)
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Empty, Value::Date)
}

fn write_form(
    form: &FormKind,
    header: &FormHeader,
    rows: impl Iterator<Item = Vec<Value>>,
    lang: Lang,
    remarks: &[String],
) -> Result<Vec<u8>, ExportError> {
    let say = |vi: &'static str, en: &'static str| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    let n = form.number;
    let as_of = tiendo_core::fmt::date(header.as_of);
    let mut title_lines = vec![format!("Mẫu {n} — {CIRCULAR}"), form.official_title.to_owned()];
    if lang == Lang::En {
        title_lines.push(format!("({})", form.english_title));
    }
    title_lines.push(format!("{}: {}", say("Tổ chức báo cáo", "Reporting organisation"), header.organization));
    title_lines.push(format!("{} {as_of}", say("Tính đến ngày", "As of")));
    let columns = form.columns.iter().map(|(vi, en, kind, width)| Column::new(say(vi, en), *kind, *width)).collect();
    let report = TabularReport {
        sheet_name: format!("{} {n}", say("Mẫu", "Form")),
        title_lines,
        columns,
        header: Vec::new(),
        totals_label: None,
        notes: Notes {
            source: say(
                "Tiến Độ, phân hệ nhiệm vụ khoa học và công nghệ",
                "Tiến Độ, science and technology tasks module",
            )
            .to_owned(),
            generated_at: header.generated_at,
            filters: vec![
                (say("Tổ chức báo cáo", "Reporting organisation").to_owned(), header.organization.clone()),
                (say("Tính đến ngày", "As of").to_owned(), as_of),
            ],
        },
    };
    let mut notes = vec![
        match lang {
            Lang::Vi => format!(
                "Mỗi dòng là một phiếu theo Mẫu {n} ban hành kèm theo {CIRCULAR} ngày 11/6/2014 của Bộ Khoa học và Công nghệ."
            ),
            Lang::En => format!(
                "Each row is one sheet of form {n} annexed to {CIRCULAR} of 11/6/2014 of the Ministry of Science and Technology."
            ),
        },
        say("Ô trống: không có thông tin.", "An empty cell: no information.").to_owned(),
    ];
    notes.extend(remarks.iter().cloned());
    write_with(&report, rows, lang, &notes)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDateTime, TimeZone};

    use super::*;
    use crate::xlsx_read::{CellValue, Sheet, XlsxReader};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn midnight(y: i32, m: u32, d: u32) -> CellValue {
        CellValue::Date(NaiveDateTime::from(day(y, m, d)))
    }

    fn header() -> FormHeader {
        FormHeader {
            organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh".into(),
            as_of: day(2026, 3, 31),
            generated_at: Utc.with_ymd_and_hms(2026, 4, 2, 2, 0, 0).unwrap(),
        }
    }

    fn ba_kich() -> Form1Row {
        Form1Row {
            title: "Nghiên cứu quy trình nhân giống cây ba kích tím Quảng Ninh bằng phương pháp nuôi cấy mô".into(),
            code: "QN-KHCN-2025-03".into(),
            management_level: "Cấp tỉnh".into(),
            field: "Khoa học nông nghiệp".into(),
            host_name: "Viện Nghiên cứu Rau quả".into(),
            host_address: "Thị trấn Trâu Quỳ, huyện Gia Lâm, Hà Nội".into(),
            host_phone: "024 3876 5322".into(),
            governing_agency: "Bộ Nông nghiệp và Môi trường".into(),
            leader_name: "Nguyễn Thị Thu Hà".into(),
            leader_degree: "PGS.TS".into(),
            participants: vec!["ThS. Trần Văn Bình".into(), "KS. Lê Thị Mai".into()],
            objectives: "Xây dựng quy trình nhân giống ba kích tím sạch bệnh, hệ số nhân trên 3 lần.".into(),
            main_content: "Tuyển chọn cây đầu dòng; nuôi cấy mô; ra ngôi và chăm sóc cây giống tại Ba Chẽ.".into(),
            start: Some(day(2025, 3, 1)),
            end: Some(day(2027, 2, 28)),
            budget_total: 1_250_000_000,
            budget_state: 1_000_000_000,
            budget_other: 250_000_000,
            lump_sum: Some(LumpSum::FinalProduct),
            approval_decision: "512/QĐ-UBND".into(),
            approval_date: Some(day(2025, 1, 20)),
            contract_number: "05/2025/HĐ-KHCN".into(),
            contract_date: Some(day(2025, 2, 25)),
            expected_products: vec!["Quy trình nhân giống ba kích tím".into(), "10.000 cây giống đạt chuẩn".into()],
        }
    }

    fn sa_sung() -> Form1Row {
        Form1Row {
            title: "Ứng dụng công nghệ nuôi sá sùng thương phẩm tại vùng triều huyện Vân Đồn".into(),
            code: "QN-KHCN-2024-11".into(),
            management_level: "Cấp tỉnh".into(),
            field: "Thủy sản".into(),
            host_name: "Trung tâm Khuyến nông tỉnh Quảng Ninh".into(),
            leader_name: "Phạm Văn Đức".into(),
            leader_degree: "ThS".into(),
            start: Some(day(2024, 6, 1)),
            end: None,
            budget_total: 870_500_000,
            budget_state: 870_500_000,
            budget_other: 0,
            lump_sum: None,
            ..Form1Row::default()
        }
    }

    fn zip_part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        std::io::read_to_string(archive.by_name(name).unwrap()).unwrap()
    }

    fn open(bytes: &[u8], sheet: &str) -> Sheet {
        let mut book = XlsxReader::open(bytes).unwrap();
        book.sheet(sheet).unwrap().unwrap_or_else(|| panic!("no sheet {sheet}"))
    }

    fn texts(sheet: &Sheet, row: u32, cols: u32) -> Vec<String> {
        (0..cols).map(|c| sheet.text(row, c).unwrap_or_default().to_owned()).collect()
    }

    /// Title lines on rows 0–3, a blank row, the column titles on row 5, data from row 6.
    const HEADER_ROW: u32 = 5;

    #[test]
    fn st_forms_form1_has_the_titles_a_header_and_typed_cells_per_task() {
        let bytes = write_form1(&header(), [ba_kich(), sa_sung()], Lang::Vi).unwrap();
        let names: Vec<String> = XlsxReader::open(&bytes).unwrap().sheets().iter().map(|s| s.name.clone()).collect();
        assert_eq!(names, ["Mẫu 1", "Ghi chú"]);
        let sheet = open(&bytes, "Mẫu 1");
        assert_eq!(sheet.text(0, 0), Some("Mẫu 1 — Thông tư 14/2014/TT-BKHCN"));
        assert_eq!(sheet.text(1, 0), Some("PHIẾU THÔNG TIN VỀ NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ ĐANG TIẾN HÀNH"));
        assert_eq!(sheet.text(2, 0), Some("Tổ chức báo cáo: Sở Khoa học và Công nghệ tỉnh Quảng Ninh"));
        assert_eq!(sheet.text(3, 0), Some("Tính đến ngày 31/03/2026"));
        let titles = texts(&sheet, HEADER_ROW, 25);
        assert_eq!(titles, FORM1_COLUMNS.map(|c| c.0));
        assert_eq!(sheet.text(HEADER_ROW, 16), Some("Tổng kinh phí"));

        let row = HEADER_ROW + 1;
        assert_eq!(sheet.get(row, 0), Some(&CellValue::Number(1.0)));
        assert_eq!(
            sheet.text(row, 1),
            Some("Nghiên cứu quy trình nhân giống cây ba kích tím Quảng Ninh bằng phương pháp nuôi cấy mô")
        );
        assert_eq!(sheet.text(row, 5), Some("Viện Nghiên cứu Rau quả"));
        assert_eq!(sheet.text(row, 11), Some("ThS. Trần Văn Bình\nKS. Lê Thị Mai"));
        assert_eq!(sheet.get(row, 14), Some(&midnight(2025, 3, 1)), "dates are dates, not text");
        assert_eq!(sheet.get(row, 15), Some(&midnight(2027, 2, 28)));
        assert_eq!(sheet.get(row, 16), Some(&CellValue::Number(1_250_000_000.0)), "money is a number");
        assert_eq!(sheet.get(row, 17), Some(&CellValue::Number(1_000_000_000.0)));
        assert_eq!(sheet.get(row, 18), Some(&CellValue::Number(250_000_000.0)));
        assert_eq!(sheet.text(row, 19), Some("Khoán đến sản phẩm cuối cùng"));
        assert_eq!(sheet.text(row, 20), Some("512/QĐ-UBND"));
        assert_eq!(sheet.get(row, 21), Some(&midnight(2025, 1, 20)));
        assert_eq!(sheet.get(row, 23), Some(&midnight(2025, 2, 25)));
        assert_eq!(sheet.text(row, 24), Some("Quy trình nhân giống ba kích tím\n10.000 cây giống đạt chuẩn"));

        let row = HEADER_ROW + 2;
        assert_eq!(sheet.get(row, 0), Some(&CellValue::Number(2.0)));
        assert_eq!(sheet.get(row, 15), None, "an unknown end date is an empty cell");
        assert_eq!(sheet.get(row, 18), Some(&CellValue::Number(0.0)), "no other sources is a zero");
        assert_eq!(sheet.get(row, 19), None, "an unknown lump-sum method is an empty cell");
        assert_eq!(sheet.last_row(), Some(row));
    }

    #[test]
    fn st_forms_money_and_dates_carry_their_excel_formats() {
        let bytes = write_form1(&header(), [ba_kich()], Lang::Vi).unwrap();
        let styles = zip_part(&bytes, "xl/styles.xml");
        assert!(styles.contains(r##"formatCode="#,##0 &quot;đ&quot;""##), "money shows grouped đồng: {styles}");
        assert!(styles.contains(r#"formatCode="dd/mm/yyyy""#), "dates show day first: {styles}");
    }

    fn application(applier: &str, area: &str, until: Option<NaiveDate>) -> Form12Row {
        Form12Row {
            task_title: "Nghiên cứu quy trình nhân giống cây ba kích tím Quảng Ninh bằng phương pháp nuôi cấy mô"
                .into(),
            task_code: "QN-KHCN-2021-07".into(),
            registration_number: "12/2023/GCN-SKHCN".into(),
            registration_date: Some(day(2023, 5, 16)),
            host_name: "Viện Nghiên cứu Rau quả".into(),
            leader_name: "PGS.TS Nguyễn Thị Thu Hà".into(),
            result: "Quy trình nhân giống ba kích tím bằng nuôi cấy mô".into(),
            applier_name: applier.into(),
            applier_address: format!("{area}, tỉnh Quảng Ninh"),
            area: area.into(),
            applied_from: Some(day(2023, 9, 1)),
            applied_until: until,
            scale: "12 ha, 30.000 cây".into(),
            effects: "Giá trị thu hoạch ước 1,8 tỷ đồng/ha sau 3 năm; 25 hộ có việc làm.".into(),
        }
    }

    #[test]
    fn st_forms_form12_has_one_row_per_application_with_dates_as_dates() {
        let rows = [
            application("Hợp tác xã Ba kích Ba Chẽ", "Xã Ba Chẽ", None),
            application("Công ty TNHH Dược liệu Đông Triều", "Phường Đông Triều", Some(day(2025, 12, 31))),
        ];
        let bytes = write_form12(&header(), rows, Lang::Vi).unwrap();
        let sheet = open(&bytes, "Mẫu 12");
        assert_eq!(sheet.text(0, 0), Some("Mẫu 12 — Thông tư 14/2014/TT-BKHCN"));
        assert_eq!(
            sheet.text(1, 0),
            Some("PHIẾU THÔNG TIN VỀ ỨNG DỤNG KẾT QUẢ THỰC HIỆN NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ")
        );
        assert_eq!(texts(&sheet, HEADER_ROW, 15), FORM12_COLUMNS.map(|c| c.0));
        let first = HEADER_ROW + 1;
        assert_eq!(sheet.text(first, 8), Some("Hợp tác xã Ba kích Ba Chẽ"));
        assert_eq!(sheet.text(first, 10), Some("Xã Ba Chẽ"));
        assert_eq!(sheet.get(first, 4), Some(&midnight(2023, 5, 16)));
        assert_eq!(sheet.get(first, 11), Some(&midnight(2023, 9, 1)));
        assert_eq!(sheet.get(first, 12), None, "still applied: no end date");
        assert_eq!(sheet.get(first + 1, 0), Some(&CellValue::Number(2.0)));
        assert_eq!(sheet.get(first + 1, 12), Some(&midnight(2025, 12, 31)));
        assert_eq!(sheet.text(first + 1, 13), Some("12 ha, 30.000 cây"));
        let notes = open(&bytes, "Ghi chú");
        let all: Vec<&str> = (0..=notes.last_row().unwrap()).filter_map(|r| notes.text(r, 1)).collect();
        assert!(all.contains(&"2"), "the notes count the rows: {all:?}");
        assert!(all.iter().any(|t| t.contains("kết quả vẫn đang được ứng dụng")), "{all:?}");
        assert!(all.iter().any(|t| t.contains("Mẫu 12 ban hành kèm theo Thông tư 14/2014/TT-BKHCN")), "{all:?}");
    }

    #[test]
    fn st_forms_with_no_rows_are_still_a_workbook_with_titles_and_header() {
        for (bytes, sheet_name, columns) in [
            (write_form1(&header(), Vec::new(), Lang::Vi).unwrap(), "Mẫu 1", 25),
            (write_form12(&header(), Vec::new(), Lang::Vi).unwrap(), "Mẫu 12", 15),
        ] {
            let sheet = open(&bytes, sheet_name);
            assert_eq!(sheet.text(HEADER_ROW, 0), Some("STT"));
            assert_eq!(texts(&sheet, HEADER_ROW, columns).iter().filter(|t| t.is_empty()).count(), 0);
            assert_eq!(sheet.last_row(), Some(HEADER_ROW), "{sheet_name}: nothing under the header");
            let notes = open(&bytes, "Ghi chú");
            assert_eq!(notes.text(2, 1), Some("0"), "{sheet_name}: the notes say there are no rows");
        }
    }

    #[test]
    fn st_forms_in_english_translate_the_columns_but_keep_the_official_title() {
        let bytes = write_form1(&header(), [ba_kich()], Lang::En).unwrap();
        let sheet = open(&bytes, "Form 1");
        assert_eq!(sheet.text(0, 0), Some("Mẫu 1 — Thông tư 14/2014/TT-BKHCN"));
        assert_eq!(sheet.text(1, 0), Some("PHIẾU THÔNG TIN VỀ NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ ĐANG TIẾN HÀNH"));
        assert_eq!(sheet.text(2, 0), Some("(Information on science and technology tasks under way)"));
        assert_eq!(sheet.text(3, 0), Some("Reporting organisation: Sở Khoa học và Công nghệ tỉnh Quảng Ninh"));
        assert_eq!(sheet.text(4, 0), Some("As of 31/03/2026"));
        // One more title line than in Vietnamese moves the header down a row.
        assert_eq!(texts(&sheet, HEADER_ROW + 1, 25), FORM1_COLUMNS.map(|c| c.1));
        assert_eq!(sheet.text(HEADER_ROW + 2, 19), Some("Lump sum up to the final product"));
        assert_eq!(sheet.get(HEADER_ROW + 2, 16), Some(&CellValue::Number(1_250_000_000.0)));
        assert!(open(&bytes, "Notes").text(0, 0).is_some());
    }

    #[test]
    fn st_forms_print_on_a4_one_page_wide_with_the_header_repeated() {
        for lang in Lang::ALL {
            let form1 = write_form1(&header(), [ba_kich(), sa_sung()], lang).unwrap();
            let form12 = write_form12(&header(), [application("HTX Ba Chẽ", "Xã Ba Chẽ", None)], lang).unwrap();
            for bytes in [form1, form12] {
                let problems = crate::checks::xlsx::problems(&bytes);
                assert!(problems.is_empty(), "{lang:?}: {problems:#?}");
            }
        }
    }

    #[test]
    fn st_forms_refuse_a_cell_longer_than_excel_allows() {
        let row = Form1Row { main_content: "x".repeat(crate::xlsx::MAX_CELL_CHARS + 1), ..ba_kich() };
        let err = write_form1(&header(), [row], Lang::Vi).unwrap_err();
        assert!(matches!(err, ExportError::CellTooLong { .. }), "{err}");
    }
}
