//! Report forms in Excel (issue 7 item 6): download pre-filled, fill, upload; every problem found
//! with its sheet, row and column before anything is kept.

use std::collections::HashMap;
use std::process::Command;

use tiendo_core::lang::Lang;
use tiendo_core::reporting::{Period, TemplateDef, Value};
use tiendo_export::report_form::FormTarget;
use tiendo_export::sample_reporting::{sample_heading, sample_template, sample_values};
use tiendo_export::xlsx_read::{CellValue, XlsxReader};
use tiendo_export::{UploadError, read_report_form, write_report_form};

use crate::fixture::{self, CALC_STYLES, number, row, shared};
use crate::support::{drop_column, edit_part, move_columns, replace_cell, tools_required, zip_part};

const FORM: &str = "xl/worksheets/sheet1.xml";

fn target(period: Period) -> FormTarget {
    sample_heading(period).target
}

fn form(period: Period, values: &HashMap<String, Value>, lang: Lang) -> Vec<u8> {
    write_report_form(&sample_template(), &sample_heading(period), values, lang).expect("the form is written")
}

fn sample_form() -> Vec<u8> {
    form(Period::Year(2025), &sample_values(), Lang::Vi)
}

fn refused(bytes: &[u8]) -> UploadError {
    read_report_form(&sample_template(), &target(Period::Year(2025)), bytes).expect_err("the upload is refused")
}

/// `Sheet!A1=value` lines for every cell of a workbook, read with the crate's own reader.
fn cell_dump(bytes: &[u8]) -> String {
    let mut book = XlsxReader::open(bytes).unwrap();
    let names: Vec<(String, bool)> = book.sheets().iter().map(|s| (s.name.clone(), s.hidden)).collect();
    let mut out = String::new();
    for (name, hidden) in names {
        out.push_str(&format!("## {name}{}\n", if hidden { " (hidden)" } else { "" }));
        let sheet = book.sheet(&name).unwrap().unwrap();
        for r in 0..=sheet.last_row().unwrap_or(0) {
            for (c, v) in sheet.row(r) {
                let letter = tiendo_export::xlsx_read::column_letter(c);
                out.push_str(&format!("{letter}{}={v:?}\n", r + 1));
            }
        }
    }
    out
}

fn problem_lines(err: &UploadError) -> String {
    err.problems.iter().map(|p| format!("{p}\n")).collect()
}

#[test]
fn a_downloaded_form_reads_back_as_the_values_it_was_filled_with() {
    let def = sample_template();
    for lang in Lang::ALL {
        let bytes = form(Period::Year(2025), &sample_values(), lang);
        let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
        assert!(upload.notices.is_empty(), "{:?}", upload.notices);
        assert_eq!(upload.values(&def, true, Lang::Vi).unwrap(), sample_values(), "{lang:?}");
        assert_eq!((upload.template_code.as_str(), upload.template_version), ("KHCN-NAM", 3));
        assert_eq!(
            (upload.org_id.as_str(), upload.period, upload.lang),
            ("22-phuong-ha-long", Period::Year(2025), Some(lang))
        );
        // Numbers stored by Excel come back as a Vietnamese official types them.
        assert_eq!(upload.inputs["staff_total"], "1.234");
        assert_eq!(upload.inputs["allocated"], "12.500.000.000");
        assert_eq!(upload.inputs["women_share"], "42,5");
        assert_eq!(upload.inputs["avg_task_cost"], "350,75");
        assert_eq!(upload.inputs["report_date"], "15/01/2026");
        assert_eq!(upload.inputs["tax_code"], "0102030405", "a text cell keeps its leading zero");
        assert_eq!(upload.cell_of("staff_total").as_deref(), Some("E12"));
    }
}

#[test]
fn an_empty_form_reads_back_empty_and_names_each_required_cell_on_submission() {
    let def = sample_template();
    let bytes = form(Period::Year(2025), &HashMap::new(), Lang::Vi);
    let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
    assert!(upload.inputs.values().all(String::is_empty), "{:?}", upload.inputs);
    assert_eq!(upload.inputs.len(), def.fields().count());
    assert_eq!(upload.values(&def, false, Lang::Vi).unwrap(), HashMap::new(), "a draft may be empty");
    let err = upload.values(&def, true, Lang::Vi).unwrap_err();
    assert_eq!(
        problem_lines(&err),
        "Biểu mẫu!E11: (org_count) required\nBiểu mẫu!E12: (staff_total) required\nBiểu mẫu!E16: (allocated) required\n"
    );
}

#[test]
fn the_form_has_a_header_block_protected_codes_dropdowns_and_a_hidden_record_of_its_target() {
    let bytes = sample_form();
    insta::assert_snapshot!("report_form_cells", cell_dump(&bytes));
    let workbook = zip_part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains(r#"name="_tiendo" sheetId="2" state="hidden""#), "{workbook}");
    let sheet = zip_part(&bytes, FORM);
    assert!(sheet.contains("<sheetProtection"), "the form is protected");
    for merge in ["A1:F1", "A4:F4", "C10:F10", "C15:F15", "C19:F19"] {
        assert!(sheet.contains(&format!(r#"<mergeCell ref="{merge}"/>"#)), "merge {merge}");
    }
    assert!(sheet.contains(r#"<formula1>"Có,Không"</formula1>"#), "yes/no drop-down");
    assert!(sheet.contains("'_tiendo'!$D$2:$D$5"), "the choice drop-down lists the hidden sheet's column");
    assert!(sheet.contains(r#"ySplit="9""#), "the header row stays in view");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<protection locked="0"/>"#), "value cells are unlocked");
    for code in ["#,##0", "#,##0.0", "dd/mm/yyyy", "@"] {
        assert!(styles.contains(&format!(r#"formatCode="{code}""#)), "format {code}");
    }
    assert!(zip_part(&bytes, "xl/worksheets/sheet2.xml").contains("<sheetProtection"), "the record is protected");
}

#[test]
fn an_english_form_has_english_headers_guidance_and_drop_downs() {
    let bytes = form(Period::Year(2025), &sample_values(), Lang::En);
    let dump = cell_dump(&bytes);
    for text in
        ["## Form", "Code", "Value", "Reporting organisation: UBND phường Hạ Long", "Due: 01/02/2026", "\"Yes\""]
    {
        assert!(dump.contains(text), "{text} in\n{dump}");
    }
}

#[test]
fn moved_columns_are_found_by_their_header_and_reported_as_notices() {
    // The value and label columns swapped (C ↔ E), then every column shifted right by one, as when
    // a person unprotects the sheet, moves columns around and inserts one in front.
    let swapped = |c: &str| match c {
        "C" => "F".to_owned(),
        "E" => "D".to_owned(),
        "A" => "B".to_owned(),
        "B" => "C".to_owned(),
        "D" => "E".to_owned(),
        "F" => "G".to_owned(),
        other => other.to_owned(),
    };
    let bytes = edit_part(&sample_form(), FORM, |xml| move_columns(xml, swapped));
    let def = sample_template();
    let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
    assert_eq!(upload.values(&def, true, Lang::Vi).unwrap(), sample_values());
    assert_eq!(upload.cell_of("staff_total").as_deref(), Some("D12"));
    let moved: Vec<String> = upload.notices.iter().map(ToString::to_string).collect();
    assert_eq!(
        moved,
        [
            r#"Biểu mẫu!B9: header_moved column="STT" expected="A" found="B""#,
            r#"Biểu mẫu!C9: header_moved column="Mã số" expected="B" found="C""#,
            r#"Biểu mẫu!D9: header_moved column="Giá trị" expected="E" found="D""#,
            r#"Biểu mẫu!E9: header_moved column="Đơn vị tính" expected="D" found="E""#,
            r#"Biểu mẫu!F9: header_moved column="Chỉ tiêu" expected="C" found="F""#,
            r#"Biểu mẫu!G9: header_moved column="Hướng dẫn" expected="F" found="G""#,
        ]
    );
}

#[test]
fn a_deleted_value_column_is_refused_naming_the_column() {
    let bytes = edit_part(&sample_form(), FORM, |xml| drop_column(xml, "E"));
    let err = refused(&bytes);
    assert_eq!(problem_lines(&err), "Biểu mẫu, row 9: missing_column column=\"Giá trị\"\n");
}

#[test]
fn a_form_of_another_period_or_organisation_is_refused() {
    let def = sample_template();
    let last_year = form(Period::Year(2024), &sample_values(), Lang::Vi);
    let err = read_report_form(&def, &target(Period::Year(2025)), &last_year).unwrap_err();
    assert_eq!(problem_lines(&err), "wrong_period found=\"2024\" expected=\"2025\"\n");

    let elsewhere = FormTarget { org_id: "22-phuong-quang-yen".into(), ..target(Period::Year(2025)) };
    let err = read_report_form(&def, &elsewhere, &sample_form()).unwrap_err();
    assert_eq!(err.codes(), ["wrong_organisation"]);
    assert_eq!(err.problems[0].arg("found"), Some("22-phuong-ha-long"));

    let both = FormTarget { org_id: "22-phuong-quang-yen".into(), ..target(Period::Quarter(2025, 3)) };
    let err = read_report_form(&def, &both, &last_year).unwrap_err();
    assert_eq!(err.codes(), ["wrong_organisation", "wrong_period"], "every problem at once");
}

#[test]
fn a_form_of_another_template_is_refused_without_listing_its_rows() {
    let other: TemplateDef = TemplateDef { code: "DN-KHCN".into(), ..sample_template() };
    let err = read_report_form(&other, &target(Period::Year(2025)), &sample_form()).unwrap_err();
    assert_eq!(problem_lines(&err), "wrong_template found=\"KHCN-NAM\" expected=\"DN-KHCN\"\n");
}

#[test]
fn a_form_of_an_older_template_version_is_read_with_a_notice() {
    let def = sample_template();
    let newer = FormTarget { template_version: 4, ..target(Period::Year(2025)) };
    let upload = read_report_form(&def, &newer, &sample_form()).unwrap();
    assert_eq!(upload.notices.len(), 1);
    assert_eq!(upload.notices[0].to_string(), r#"template_version_changed found="3" expected="4""#);
}

#[test]
fn a_workbook_without_the_hidden_record_is_refused() {
    let bytes = edit_part(&sample_form(), "xl/workbook.xml", |xml| xml.replace("name=\"_tiendo\"", "name=\"Sheet2\""));
    assert_eq!(refused(&bytes).codes(), ["missing_sheet"]);
    let bytes = edit_part(&sample_form(), "xl/sharedStrings.xml", |xml| xml.replace("tiendo.report_form.v1", "v0"));
    assert_eq!(refused(&bytes).codes(), ["not_a_form"]);
}

#[test]
fn unknown_duplicate_and_missing_rows_are_named_by_row_and_column() {
    let bytes = edit_part(&sample_form(), "xl/sharedStrings.xml", |xml| {
        assert!(xml.contains("<t>staff_phd</t>") && xml.contains("<t>spent</t>"), "{xml}");
        xml.replace("<t>staff_phd</t>", "<t>staff_doctors</t>").replace("<t>spent</t>", "<t>allocated</t>")
    });
    let err = refused(&bytes);
    assert_eq!(
        problem_lines(&err),
        "Biểu mẫu, column B: (staff_phd) missing_field code=\"staff_phd\"\n\
         Biểu mẫu, column B: (spent) missing_field code=\"spent\"\n\
         Biểu mẫu!B13: unknown_field code=\"staff_doctors\"\n\
         Biểu mẫu!B17: (allocated) duplicate_field code=\"allocated\" first_row=\"16\"\n"
    );
}

#[test]
fn an_error_value_in_a_cell_is_refused_at_its_cell() {
    let bytes =
        edit_part(&sample_form(), FORM, |xml| replace_cell(xml, "E12", r#"<c r="E12" t="e"><v>#DIV/0!</v></c>"#));
    assert_eq!(problem_lines(&refused(&bytes)), "Biểu mẫu!E12: (staff_total) cell_error error=\"#DIV/0!\"\n");
}

#[test]
fn wrong_values_are_listed_with_their_sheet_row_and_column() {
    let mut values = sample_values();
    values.insert("staff_total".into(), Value::Text("N/A".into()));
    values.insert("staff_phd".into(), Value::Number(-2.0));
    values.insert("women_share".into(), Value::Number(120.0));
    values.insert("spent".into(), Value::Number(13_000_000_000.0));
    values.insert("report_date".into(), Value::Text("31/02/2026".into()));
    values.insert("tax_code".into(), Value::Text("57999".into()));
    let bytes = form(Period::Year(2025), &values, Lang::Vi);
    let def = sample_template();
    let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
    let err = upload.values(&def, true, Lang::Vi).unwrap_err();
    insta::assert_snapshot!("report_form_value_problems", problem_lines(&err));
    assert!(err.problems.iter().all(|p| p.sheet.as_deref() == Some("Biểu mẫu") && p.column.as_deref() == Some("E")));
}

fn calc_available() -> bool {
    let calc = ["/usr/lib/libreoffice/program/libscfiltlo.so", "/opt/libreoffice/program/libscfiltlo.so"];
    let have = Command::new("soffice").arg("--version").output().is_ok()
        && calc.iter().any(|p| std::path::Path::new(p).exists());
    // CI installs Calc and sets TIENDO_REQUIRE_LIBREOFFICE=1, so the check never skips there.
    assert!(have || !tools_required(), "LibreOffice Calc is required: apt-get install libreoffice-calc-nogui");
    if !have {
        eprintln!("NOTICE: LibreOffice Calc not found, test skipped (apt-get install libreoffice-calc-nogui)");
    }
    have
}

#[test]
fn a_form_saved_again_by_libreoffice_calc_reads_back_the_same() {
    if !calc_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in").join("bieu-mau.xlsx");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    std::fs::write(&input, sample_form()).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "xlsx:Calc Office Open XML", "--outdir"])
        .arg(dir.path())
        .arg(&input)
        .output()
        .expect("soffice runs");
    let saved = dir.path().join("bieu-mau.xlsx");
    assert!(saved.is_file(), "LibreOffice wrote nothing: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(saved).unwrap();
    assert!(zip_part(&bytes, "xl/workbook.xml").contains("appName=\"Calc\""), "saved by Calc");
    let def = sample_template();
    let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
    assert!(upload.notices.is_empty(), "{:?}", upload.notices);
    assert_eq!(upload.values(&def, true, Lang::Vi).unwrap(), sample_values());
}

/// Shared strings in the order a test first uses them.
#[derive(Default)]
struct Strings(Vec<String>);

impl Strings {
    fn at(&mut self, s: &str) -> usize {
        match self.0.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                self.0.push(s.to_owned());
                self.0.len() - 1
            }
        }
    }
}

#[test]
fn a_form_in_libreoffice_calc_flavour_is_read() {
    // A form filled and saved by a person in LibreOffice Calc (written by hand, see `fixture`): the
    // value column moved to C, numbers typed as numbers, text and dates, a percentage typed with
    // `%`, a formula, TRUE for yes, a choice typed without diacritics, rich text, an inline string.
    let mut s = Strings::default();
    let meta = [
        ("format", "tiendo.report_form.v1"),
        ("template_code", "KHCN-NAM"),
        ("org_id", "22-phuong-ha-long"),
        ("period", "2025"),
        ("lang", "vi"),
    ];
    let mut meta_rows: String = meta
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            row(
                i as u32 + 1,
                &[(&format!("A{}", i + 1), shared(s.at(k), 0)), (&format!("B{}", i + 1), shared(s.at(v), 0))],
            )
        })
        .collect();
    // The version retyped as a number.
    meta_rows.push_str(&row(6, &[("A6", shared(s.at("template_version"), 0)), ("B6", number("3", 0))]));
    let mut form_rows = row(1, &[("A1", shared(s.at("Báo cáo thống kê khoa học và công nghệ hằng năm"), 0))]);
    form_rows.push_str(&row(
        3,
        &[
            ("A3", shared(s.at("STT"), 0)),
            ("B3", shared(s.at("Mã số"), 0)),
            ("C3", shared(s.at("Giá trị"), 0)),
            ("D3", shared(s.at("Chỉ tiêu"), 0)),
        ],
    ));
    form_rows.push_str(&row(4, &[("A4", shared(s.at("I"), 0)), ("D4", shared(s.at("Tổ chức và nhân lực"), 0))]));
    let values: [(&str, String); 12] = [
        ("org_count", number("12", 0)),
        ("staff_total", number("1234", 1)),
        ("staff_phd", shared(s.at("87"), 3)),
        ("women_share", number("0.425", 4)),
        ("allocated", number("12500000000", 1)),
        ("spent", r#" s="1" t="n"><f aca="false">C9*0.79</f><v>9875000000</v>"#.to_owned()),
        ("avg_task_cost", number("350.75", 5)),
        ("has_program", r#" s="0" t="b"><v>1</v>"#.to_owned()),
        ("main_field", shared(s.at("khoa hoc xa hoi, nhan van"), 3)),
        ("report_date", number("46037", 2)),
        (
            "reporter",
            r#" s="3" t="inlineStr"><is><r><t xml:space="preserve">Nguyễn </t></r><r><rPr><b val="true"/></rPr><t>Thị Hoa</t></r></is>"#
                .to_owned(),
        ),
        ("tax_code", shared(s.at("0102030405"), 3)),
    ];
    for (i, (code, value)) in values.iter().enumerate() {
        let r = i as u32 + 5;
        form_rows.push_str(&row(
            r,
            &[
                (&format!("A{r}"), number(&(i + 1).to_string(), 0)),
                (&format!("B{r}"), shared(s.at(code), 0)),
                (&format!("C{r}"), value.clone()),
            ],
        ));
    }
    let strings: Vec<&str> = s.0.iter().map(String::as_str).collect();
    let bytes = fixture::workbook(
        &[
            fixture::Sheet { name: "Biểu mẫu", hidden: false, rows: form_rows },
            fixture::Sheet { name: "_tiendo", hidden: true, rows: meta_rows },
        ],
        &strings,
        &CALC_STYLES,
    );
    let def = sample_template();
    let upload = read_report_form(&def, &target(Period::Year(2025)), &bytes).unwrap();
    let mut expected = sample_values();
    expected.insert("spent".into(), Value::Number(9_875_000_000.0));
    assert_eq!(upload.values(&def, true, Lang::Vi).unwrap(), expected);
    assert_eq!(upload.inputs["women_share"], "42,5", "a percentage typed with % is read in percent");
    assert_eq!(upload.inputs["has_program"], "có");
    assert_eq!(upload.inputs["reporter"], "Nguyễn Thị Hoa", "rich text runs are joined");
    assert_eq!(upload.inputs["report_date"], "15/01/2026");
    assert_eq!(upload.cell_of("tax_code").as_deref(), Some("C16"));
    let codes: Vec<&str> = upload.notices.iter().map(|n| n.code).collect();
    assert_eq!(codes, ["header_moved", "header_moved"], "{:?}", upload.notices);

    // The reader sees what Calc stored, typed by the cell's number format.
    let mut book = XlsxReader::open(&bytes).unwrap();
    let sheet = book.sheet("biểu mẫu").unwrap().expect("found ignoring case");
    assert_eq!(
        sheet.get(13, 2),
        Some(&CellValue::Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap().and_hms_opt(0, 0, 0).unwrap()))
    );
    assert_eq!(sheet.get(7, 2), Some(&CellValue::Percent(0.425)));
    assert_eq!(sheet.get(11, 2), Some(&CellValue::Bool(true)));
}
