use tiendo_export::ExportError;
use tiendo_export::chart::{Chart, ChartKind, Series};
use tiendo_export::image::Image;
use tiendo_export::kinds::DocumentKind;
use tiendo_export::model::{Block, Cell, Figure, Table};
use tiendo_export::sample;
use tiendo_export::template::Template;
use tiendo_export::xlsx::{self, Value};

#[test]
fn editing_a_template_to_use_an_unknown_field_is_rejected_with_the_field_name() {
    let kind = DocumentKind::ConclusionNotice;
    let edited = kind.default_template().replace("{{visit.date}}", "{{visit.ngay}}");
    let err = Template::parse(&kind.schema(), &edited).unwrap_err();
    assert_eq!(err.to_string(), "unknown field `visit.ngay` in the template of `conclusion_notice` (line 6)");
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused_naming_the_cell() {
    let mut rows: Vec<Vec<Value>> = sample::sample_rows(3).collect();
    rows[1][1] = Value::Text("x".repeat(xlsx::MAX_CELL_CHARS + 1));
    let err = xlsx::write(&sample::sample_tabular_report(), rows).unwrap_err();
    assert_eq!(err.to_string(), "cell B8 of sheet `Biểu 01` holds 32768 characters; a cell holds at most 32767");
}

#[test]
fn a_row_with_missing_values_is_refused() {
    let rows = vec![vec![Value::Number(1.0)]];
    let err = xlsx::write(&sample::sample_tabular_report(), rows).unwrap_err();
    assert!(matches!(err, ExportError::TableShape { row: 1, .. }), "{err}");
}

#[test]
fn an_image_that_cannot_be_decoded_is_refused_with_its_name() {
    let mut png = tiendo_export::image::test_card_png(16, 16);
    let n = png.len();
    png[n / 2..].fill(0);
    let err = Image::decode("hinh-1.png", png).unwrap_err();
    assert!(err.to_string().starts_with("image `hinh-1.png` cannot be decoded"), "{err}");
}

#[test]
fn a_table_whose_cells_do_not_match_its_columns_makes_no_file() {
    let mut doc = sample::sample_report();
    doc.body.push(Block::Table(Table {
        columns: vec![1.0, 1.0],
        header: vec![],
        rows: vec![vec![Cell::text("một")]],
        caption: None,
    }));
    let err = tiendo_export::docx(&doc).unwrap_err();
    assert_eq!(err.to_string(), "table 2, row 1: the cells cover fewer than the 2 columns");
}

#[test]
fn a_row_taller_than_a_page_is_refused_in_pdf() {
    let Some(fonts) = crate::support::fonts() else {
        return;
    };
    let mut doc = sample::sample_report();
    let huge = "Nội dung rất dài. ".repeat(1500);
    doc.body.push(Block::Table(Table {
        columns: vec![1.0],
        header: vec![],
        rows: vec![vec![Cell::text(huge)]],
        caption: None,
    }));
    let err = tiendo_export::pdf(&doc, &fonts).unwrap_err();
    assert!(matches!(err, ExportError::RowTooTall { table: 2, row: 1 }), "{err}");
}

#[test]
fn chart_data_that_cannot_be_drawn_makes_no_file() {
    let mut doc = sample::sample_report();
    let chart = Chart::new(ChartKind::Bar, "Rỗng", vec!["A".into()], vec![Series { name: "S".into(), values: vec![] }]);
    doc.body.push(Block::Chart(Figure { content: chart, width_mm: 100.0, caption: None }));
    let err = tiendo_export::docx(&doc).unwrap_err();
    assert_eq!(err.to_string(), "chart `Rỗng` cannot be drawn: series `S` has 0 values for 1 categories");
}
