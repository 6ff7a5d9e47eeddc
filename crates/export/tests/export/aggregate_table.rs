//! Aggregated indicator tables as XLSX.

use tiendo_core::lang::Lang;
use tiendo_export::sample_reporting::sample_aggregate_table;
use tiendo_export::xlsx_read::{CellValue, XlsxReader};
use tiendo_export::{ExportError, write_aggregate_table};

use crate::support::zip_part;

#[test]
fn an_aggregate_table_has_a_row_per_line_a_column_per_period_and_blanks_for_missing_figures() {
    let table = sample_aggregate_table();
    let bytes = write_aggregate_table(&table, Lang::Vi).unwrap();
    let mut book = XlsxReader::open(&bytes).unwrap();
    let names: Vec<&str> = book.sheets().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Tổng hợp", "Ghi chú"]);
    let sheet = book.sheet("Tổng hợp").unwrap().unwrap();
    let text = |r, c| sheet.text(r, c).map(str::to_owned);
    assert_eq!(text(0, 0).as_deref(), Some("Một số chỉ tiêu khoa học và công nghệ của tỉnh Quảng Ninh"));
    // Title, one subtitle, a blank row, then the header on row 4.
    let header: Vec<String> = (0..8).filter_map(|c| text(3, c)).collect();
    assert_eq!(header, ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2017", "Năm 2018", "Năm 2019", "Năm 2020", "Năm 2025"]);
    assert_eq!(sheet.get(4, 3), Some(&CellValue::Number(2_310.0)));
    assert_eq!(text(5, 1).as_deref(), Some("Phường Hạ Long"));
    assert_eq!(sheet.get(7, 6), None, "a missing figure is an empty cell, not a zero");
    assert_eq!(sheet.get(8, 3), Some(&CellValue::Number(88.25)));
    let xml = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<pane xSplit="3" ySplit="4""#), "labels and header stay in view: {xml}");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r##"formatCode="#,##0.0""##), "the percentage row has one decimal");
    assert!(styles.contains(r#"indent="1""#), "communes are indented under their total");
    let notes = book.sheet("Ghi chú").unwrap().unwrap();
    let all: Vec<String> = (0..=notes.last_row().unwrap())
        .flat_map(|r| notes.row(r).map(|(_, v)| format!("{v:?}")).collect::<Vec<_>>())
        .collect();
    let all = all.join("\n");
    for expected in ["Ô trống: chưa có số liệu.", "đơn vị kế thừa", "Quảng Ninh", "02/03/2026 09:00"]
    {
        assert!(all.contains(expected), "{expected} in notes:\n{all}");
    }
}

#[test]
fn an_english_aggregate_table_has_english_fixed_headers() {
    let bytes = write_aggregate_table(&sample_aggregate_table(), Lang::En).unwrap();
    let mut book = XlsxReader::open(&bytes).unwrap();
    assert_eq!(book.sheets()[1].name, "Notes");
    let sheet = book.sheet("Tổng hợp").unwrap().unwrap();
    assert_eq!(sheet.text(3, 2), Some("Unit"));
}

#[test]
fn a_row_with_the_wrong_number_of_values_makes_no_file() {
    let mut table = sample_aggregate_table();
    table.rows[2].values.pop();
    let err = write_aggregate_table(&table, Lang::Vi).unwrap_err();
    assert!(matches!(err, ExportError::TableShape { row: 3, .. }), "{err}");
    assert_eq!(err.to_string(), "table 1, row 3: 4 values for 5 columns");
}
