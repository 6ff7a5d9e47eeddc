//! The XLSX reader on hostile and unusual input: what is not a workbook, zip bombs, DTDs, and the
//! corners of SpreadsheetML that other programs write.

use chrono::NaiveDate;
use tiendo_core::reporting::Period;
use tiendo_export::read_report_form;
use tiendo_export::report_form::FormTarget;
use tiendo_export::sample_reporting::sample_template;
use tiendo_export::xlsx_read::{CellValue, MAX_UNPACKED_BYTES, OtherFormat, ReadError, XlsxReader};

use crate::fixture::{self, CALC_STYLES, number, row, shared};
use crate::support::{edit_part, zip_of};

fn open(bytes: &[u8]) -> Result<XlsxReader<'_>, ReadError> {
    XlsxReader::open(bytes)
}

fn one_sheet(rows: String, strings: &[&str]) -> Vec<u8> {
    fixture::workbook(&[fixture::Sheet { name: "Sheet1", hidden: false, rows }], strings, &CALC_STYLES)
}

#[test]
fn files_that_are_not_workbooks_are_refused_with_what_they_look_like() {
    let cases: [(&str, Vec<u8>, OtherFormat); 5] = [
        ("empty", Vec::new(), OtherFormat::Unknown),
        ("csv", b"ma_so;gia_tri\nstaff_total;1.234\n".to_vec(), OtherFormat::Unknown),
        ("xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0].to_vec(), OtherFormat::Xls),
        (
            "ods",
            zip_of(&[
                ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
                ("content.xml", b"<office:document-content/>".to_vec()),
            ]),
            OtherFormat::Ods,
        ),
        ("docx", tiendo_export::docx(&tiendo_export::sample::sample_report()).unwrap(), OtherFormat::OtherZip),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(open(&bytes).err(), Some(ReadError::NotXlsx(expected)), "{name}");
    }
    let target = FormTarget { template_version: 3, org_id: "x".into(), period: Period::Year(2025) };
    let err = read_report_form(&sample_template(), &target, b"%PDF-1.7").unwrap_err();
    assert_eq!(err.to_string(), "the uploaded form has 1 problem(s): not_xlsx detected=\"unknown\"");
}

#[test]
fn a_workbook_encrypted_with_a_password_is_named_as_such() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 512]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(open(&ole).err(), Some(ReadError::Encrypted));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked_past_the_cap() {
    // 60 MiB of blanks inside the shared strings: under 100 KiB compressed.
    let mut padding = String::with_capacity(61 << 20);
    padding.push_str(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    padding.push_str(&" ".repeat(60 << 20));
    padding.push_str("</sst>");
    let bomb = edit_part(&one_sheet(String::new(), &[]), "xl/sharedStrings.xml", |_| padding);
    assert!(bomb.len() < 200 * 1024, "the bomb is small: {} bytes", bomb.len());
    assert_eq!(
        open(&bomb).err(),
        Some(ReadError::TooLarge { part: "xl/sharedStrings.xml".into(), limit: MAX_UNPACKED_BYTES })
    );
    let target = FormTarget { template_version: 3, org_id: "x".into(), period: Period::Year(2025) };
    let err = read_report_form(&sample_template(), &target, &bomb).unwrap_err();
    assert_eq!(err.codes(), ["too_large"]);
    assert_eq!(err.problems[0].arg("limit_mb"), Some("50"));
}

#[test]
fn a_zip_of_too_many_parts_is_refused() {
    let parts: Vec<(String, Vec<u8>)> = (0..10_001).map(|i| (format!("p/{i}"), Vec::new())).collect();
    let borrowed: Vec<(&str, Vec<u8>)> = parts.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    assert!(matches!(open(&zip_of(&borrowed)).err(), Some(ReadError::TooLarge { .. })));
}

#[test]
fn xml_with_a_dtd_is_refused_so_entities_cannot_expand() {
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>"#;
    let bytes = edit_part(&one_sheet(String::new(), &["x"]), "xl/sharedStrings.xml", |_| laughs.to_owned());
    assert!(matches!(open(&bytes).err(), Some(ReadError::Damaged { part, .. }) if part == "xl/sharedStrings.xml"));
}

#[test]
fn cells_without_references_inline_and_rich_strings_escapes_and_typed_values_are_read() {
    // Written by other tools: cells and rows without `r`, inline strings, phonetic guides that are
    // not part of the text, control characters escaped as _x000D_, a formula's text result, an ISO
    // date cell, an error, and a date in a number format with a locale prefix.
    let rows = format!(
        "{}{}{}",
        r#"<row><c t="inlineStr"><is><t>một</t></is></c><c s="0" t="s"><v>0</v></c><c t="str"><f>A1&amp;"!"</f><v>một!</v></c></row>"#,
        r#"<row><c t="d"><v>2025-07-01T00:00:00</v></c><c t="e"><v>#REF!</v></c><c s="6" t="n"><v>45839</v></c></row>"#,
        row(5, &[("B5", number("1.5E3", 0)), ("C5", shared(1, 0)), ("D5", r#" t="n">"#.to_owned())]),
    );
    let styles = fixture::Styles {
        num_fmts: &[(164, "General"), (169, "[$-42A]DD/MM/YYYY")],
        xfs: &[164, 164, 164, 164, 164, 164, 169],
    };
    let bytes = fixture::workbook(
        &[fixture::Sheet { name: "Dữ liệu", hidden: false, rows }],
        &["dòng_x000D_hai", "ruby"],
        &styles,
    );
    let bytes = edit_part(&bytes, "xl/sharedStrings.xml", |xml| {
        xml.replace(
            r#"<si><t xml:space="preserve">ruby</t></si>"#,
            r#"<si><r><t>Hạ </t></r><r><t>Long</t></r><rPh sb="0" eb="1"><t>ハ</t></rPh></si>"#,
        )
    });
    let mut book = open(&bytes).unwrap();
    let sheet = book.sheet("Dữ liệu").unwrap().unwrap();
    let date = |y, m, d| CellValue::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap());
    assert_eq!(sheet.get(0, 0), Some(&CellValue::Text("một".into())));
    assert_eq!(sheet.get(0, 1), Some(&CellValue::Text("dòng\rhai".into())));
    assert_eq!(sheet.get(0, 2), Some(&CellValue::Text("một!".into())));
    assert_eq!(sheet.get(1, 0), Some(&date(2025, 7, 1)));
    assert_eq!(sheet.get(1, 1), Some(&CellValue::Error("#REF!".into())));
    assert_eq!(sheet.get(1, 2), Some(&date(2025, 7, 1)));
    assert_eq!(sheet.get(4, 1), Some(&CellValue::Number(1500.0)));
    assert_eq!(sheet.get(4, 2), Some(&CellValue::Text("Hạ Long".into())), "phonetic guides are not text");
    assert_eq!(sheet.get(4, 3), None, "a cell without a value is empty");
    assert_eq!(sheet.last_row(), Some(4));
    assert!(book.sheet("Sheet9").unwrap().is_none());
}

#[test]
fn dates_of_the_1904_system_are_read_as_such() {
    let bytes = one_sheet(row(1, &[("A1", number("44624", 2))]), &[]);
    let bytes =
        edit_part(&bytes, "xl/workbook.xml", |xml| xml.replace("dateCompatibility=\"false\"", "date1904=\"true\""));
    let mut book = open(&bytes).unwrap();
    let sheet = book.sheet("Sheet1").unwrap().unwrap();
    let expected = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(sheet.get(0, 0), Some(&CellValue::Date(expected)));
}

#[test]
fn a_damaged_sheet_is_named() {
    let bytes = one_sheet(row(1, &[("A1", number("12", 0))]), &[]);
    let bytes = edit_part(&bytes, "xl/worksheets/sheet1.xml", |xml| xml.replace("<v>12</v>", "<v>mười hai</v>"));
    let mut book = open(&bytes).unwrap();
    assert!(matches!(book.sheet("Sheet1"), Err(ReadError::Damaged { part, .. }) if part == "xl/worksheets/sheet1.xml"));
}

#[test]
fn a_sheet_of_too_many_cells_is_refused_while_it_is_parsed() {
    // 400,000 cells compress to little and unpack to 6 MB, under the byte cap, but parse to more
    // XML nodes than the reader holds in memory for one part.
    let cells = "<c><v>1</v></c>".repeat(400_000);
    let bytes = one_sheet(format!("<row>{cells}</row>"), &[]);
    let mut book = open(&bytes).unwrap();
    assert!(
        matches!(book.sheet("Sheet1"), Err(ReadError::TooLarge { part, .. }) if part == "xl/worksheets/sheet1.xml")
    );
}

/// Sets the uncompressed size that a ZIP's local and central headers declare for one entry.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        // (offset of the uncompressed size, of the name's length, of the name)
        let (size_at, name_len_at, name_at) = match zip[at..at + 4] {
            [0x50, 0x4B, 0x03, 0x04] => (22, 26, 30),
            [0x50, 0x4B, 0x01, 0x02] => (24, 28, 46),
            _ => continue,
        };
        let len = u16::from_le_bytes([zip[at + name_len_at], zip[at + name_len_at + 1]]) as usize;
        if zip.get(at + name_at..at + name_at + len) == Some(name.as_bytes()) {
            zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {name} patched");
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_still_stops_at_the_cap() {
    let mut padding =
        String::from(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    padding.push_str(&" ".repeat(60 << 20));
    padding.push_str("</sst>");
    let mut bomb = edit_part(&one_sheet(String::new(), &[]), "xl/sharedStrings.xml", |_| padding);
    declare_size(&mut bomb, "xl/sharedStrings.xml", 1000);
    // The zip crate notices the lie as it inflates; the reader's own cap would stop it otherwise.
    let err = open(&bomb).err();
    assert!(
        matches!(&err, Some(ReadError::TooLarge { .. }) | Some(ReadError::Damaged { .. })),
        "refused, not unpacked: {err:?}"
    );
}
