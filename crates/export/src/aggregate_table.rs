//! Aggregated indicator tables as XLSX (issue 7): rows of units or indicators, one column per
//! period, each row with its own unit and decimals, and a notes sheet saying where the figures come
//! from. Kept generic: the caller decides what the rows and columns are (indicators × years for a
//! province, communes × quarters for one indicator).
//!
//! Missing figures are empty cells, never zeros: an empty cell means "not reported", which the
//! notes sheet says in words, and Excel's `SUM` and `AVERAGE` skip it.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use tiendo_core::lang::Lang;

use crate::error::ExportError;
use crate::sheet_print::{check_translated, fit_row, print_setup, row_height, wrapped_lines};
use crate::xlsx::{MAX_CELL_CHARS, Notes, write_notes};
use crate::xlsx_read::column_letter;

/// One row of an aggregated table.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRow {
    /// What the row is (an indicator's name, a unit's name).
    pub label: String,
    /// Its unit of measure (`người`, `triệu đồng`, `%`); empty when the row has none.
    pub unit: String,
    /// Fraction digits shown (0 for counts).
    pub decimals: u8,
    /// Indentation level: 0 for a total, 1 for its parts, and so on.
    pub level: u8,
    /// One value per column; `None` when nothing was reported.
    pub values: Vec<Option<f64>>,
}

/// An aggregated table.
#[derive(Debug, Clone)]
pub struct AggregateTable {
    /// Name of the data sheet (at most 31 characters).
    pub sheet_name: String,
    /// The title above the table.
    pub title: String,
    /// Lines under the title (the area, the map the figures are shown on, the date).
    pub subtitle_lines: Vec<String>,
    /// The header of the label column (`Chỉ tiêu`, `Đơn vị`).
    pub row_header: String,
    /// The header of each value column (usually period names: `Năm 2017`, `Quý III/2025`).
    pub column_headers: Vec<String>,
    /// The rows.
    pub rows: Vec<AggregateRow>,
    /// Source, time and filters, for the notes sheet.
    pub notes: Notes,
    /// Further remarks for the notes sheet (how figures of merged units were attributed).
    pub remarks: Vec<String>,
}

/// The width of the label column, in characters.
const LABEL_WIDTH: f64 = 45.0;

fn number_format(decimals: u8) -> String {
    match decimals.min(9) {
        0 => "#,##0".to_owned(),
        n => format!("#,##0.{}", "0".repeat(usize::from(n))),
    }
}

fn too_long(sheet: &str, row: u32, col: u16, text: &str) -> Result<(), ExportError> {
    let len = text.chars().count();
    if len > MAX_CELL_CHARS {
        return Err(ExportError::CellTooLong {
            sheet: sheet.to_owned(),
            cell: format!("{}{}", column_letter(u32::from(col)), row + 1),
            len,
            max: MAX_CELL_CHARS,
        });
    }
    Ok(())
}

/// Writes an aggregated table with a notes sheet, in `lang` (the fixed headers and the notes). A
/// row with a different number of values than there are columns is refused.
pub fn write_aggregate_table(table: &AggregateTable, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let columns = table.column_headers.len();
    for (i, row) in table.rows.iter().enumerate() {
        if row.values.len() != columns {
            return Err(ExportError::TableShape {
                table: 1,
                row: i + 1,
                message: format!("{} values for {columns} columns", row.values.len()),
            });
        }
    }
    let say = |vi: &'static str, en: &'static str| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let title = base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap();
    let subtitle = base.clone().set_italic().set_align(FormatAlign::Center);
    let header = cell.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap();
    let centered = cell.clone().set_align(FormatAlign::Center);
    let mut number_formats: HashMap<(u8, bool), Format> = HashMap::new();

    let sheet = &table.sheet_name;
    check_translated(sheet, "the sheet name", sheet)?;
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(&table.sheet_name)?;
    let last = (3 + columns).saturating_sub(1) as u16;
    let widths: Vec<f64> = [6.0, LABEL_WIDTH, 12.0].into_iter().chain(std::iter::repeat_n(14.0, columns)).collect();
    for (c, width) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    let total_width: f64 = widths.iter().sum();
    let mut row = 0u32;
    too_long(&table.sheet_name, row, 0, &table.title)?;
    check_translated(sheet, "the title", &table.title)?;
    fit_row(ws, row, &[(&table.title, total_width, 14.0, true)])?;
    ws.merge_range(row, 0, row, last, &table.title, &title)?;
    row += 1;
    for line in &table.subtitle_lines {
        too_long(&table.sheet_name, row, 0, line)?;
        check_translated(sheet, "a subtitle", line)?;
        ws.merge_range(row, 0, row, last, line, &subtitle)?;
        row += 1;
    }
    row += 1;
    let header_row = row;
    let headers: Vec<&str> = [say("STT", "No."), table.row_header.as_str(), say("Đơn vị tính", "Unit")]
        .into_iter()
        .chain(table.column_headers.iter().map(String::as_str))
        .collect();
    let cells: Vec<(&str, f64, f32, bool)> = headers.iter().zip(&widths).map(|(h, w)| (*h, *w, 12.0, true)).collect();
    fit_row(ws, row, &cells)?;
    for (c, h) in headers.iter().enumerate() {
        too_long(&table.sheet_name, row, c as u16, h)?;
        check_translated(sheet, &format!("the header of column {}", c + 1), h)?;
        ws.write_string_with_format(row, c as u16, *h, &header)?;
    }
    row += 1;
    for (i, r) in table.rows.iter().enumerate() {
        let lines = wrapped_lines(&r.label, LABEL_WIDTH, 12.0, false, r.level)
            .max(wrapped_lines(&r.unit, 12.0, 12.0, false, 0));
        if lines > 1 {
            ws.set_row_height(row, row_height(lines, 12.0))?;
        }
        // A row is bold when the next one is indented under it: it is their total.
        let bold = table.rows.get(i + 1).is_some_and(|next| next.level > r.level);
        let label = cell.clone().set_text_wrap().set_indent(r.level);
        let label = if bold { label.set_bold() } else { label };
        ws.write_number_with_format(row, 0, (i + 1) as f64, &centered)?;
        too_long(&table.sheet_name, row, 1, &r.label)?;
        ws.write_string_with_format(row, 1, &r.label, &label)?;
        ws.write_string_with_format(row, 2, &r.unit, &centered)?;
        let format = number_formats.entry((r.decimals, bold)).or_insert_with(|| {
            let f = cell.clone().set_num_format(number_format(r.decimals));
            if bold { f.set_bold() } else { f }
        });
        for (c, v) in r.values.iter().enumerate() {
            let col = 3 + c as u16;
            match v {
                Some(x) if x.is_finite() => ws.write_number_with_format(row, col, *x, format)?,
                _ => ws.write_blank(row, col, format)?,
            };
        }
        row += 1;
    }
    ws.set_freeze_panes(header_row + 1, 3)?;
    print_setup(ws, &widths, Some((header_row, header_row)), lang)?;

    let mut remarks = vec![say("Ô trống: chưa có số liệu.", "An empty cell: no figure was reported.").to_owned()];
    remarks.extend(table.remarks.iter().cloned());
    write_notes(workbook.add_worksheet(), &table.notes, table.rows.len() as u64, &remarks, lang)?;
    Ok(workbook.save_to_buffer()?)
}
