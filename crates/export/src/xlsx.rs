//! Tabular reports as XLSX, through rust_xlsxwriter in constant-memory mode: rows are streamed
//! from an iterator and flushed to a temporary file as they are written, so a 100,000-row export
//! needs the memory of one row plus the shared strings.
//!
//! Number formats are written as Excel format codes, which are locale-independent: `#,##0.0`
//! means "group thousands, one decimal" and Excel shows it with the separators of the reader's
//! Windows locale, so a Vietnamese Excel displays `1.234,5`. Writing `#.##0,0` would be wrong
//! (Excel would read the dots as literal characters).

use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, utility::row_col_to_cell};
use tiendo_core::lang::Lang;

use crate::error::ExportError;
use crate::model::Cell;
use crate::sheet_print::{check_translated, fit_row, print_setup};

/// Excel's limit on the characters in a cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The type of a column, which decides its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text, wrapped.
    Text,
    /// Whole numbers: `#,##0`.
    Integer,
    /// Decimals with the given number of fraction digits: `#,##0.00`.
    Decimal(u8),
    /// Money in đồng: `#,##0 "đ"`.
    Money,
    /// A ratio shown as a percentage with one decimal.
    Percent,
    /// A date shown `dd/mm/yyyy`.
    Date,
}

impl ColumnKind {
    /// The Excel number format code.
    pub fn format_code(self) -> String {
        match self {
            ColumnKind::Text => "@".into(),
            ColumnKind::Integer => "#,##0".into(),
            ColumnKind::Decimal(0) => "#,##0".into(),
            ColumnKind::Decimal(n) => format!("#,##0.{}", "0".repeat(usize::from(n))),
            ColumnKind::Money => "#,##0 \"đ\"".into(),
            ColumnKind::Percent => "0.0%".into(),
            ColumnKind::Date => "dd/mm/yyyy".into(),
        }
    }
}

/// A column of the report.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text, used when the report has no explicit header rows.
    pub title: String,
    /// Type.
    pub kind: ColumnKind,
    /// Width in characters.
    pub width: f64,
    /// Whether the totals row sums this column.
    pub total: bool,
}

impl Column {
    /// A column.
    pub fn new(title: impl Into<String>, kind: ColumnKind, width: f64) -> Column {
        Column { title: title.into(), kind, width, total: false }
    }

    /// Summed in the totals row.
    pub fn with_total(mut self) -> Column {
        self.total = true;
        self
    }
}

/// A value of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A date.
    Date(NaiveDate),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Number(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Number(v as f64)
    }
}

/// What the notes sheet says about the report.
#[derive(Debug, Clone)]
pub struct Notes {
    /// Where the data come from (module, report, database).
    pub source: String,
    /// When the file was generated.
    pub generated_at: DateTime<Utc>,
    /// Filters applied, as (name, value) pairs shown to the user.
    pub filters: Vec<(String, String)>,
}

/// A tabular report.
#[derive(Debug, Clone)]
pub struct TabularReport {
    /// Name of the data sheet (at most 31 characters).
    pub sheet_name: String,
    /// Title lines above the table (e.g. `Biểu số 01`, the report title, the period).
    pub title_lines: Vec<String>,
    /// Columns.
    pub columns: Vec<Column>,
    /// Header rows with merged cells; empty for one header row of the column titles.
    pub header: Vec<Vec<Cell>>,
    /// Label of the totals row (e.g. `Tổng cộng`); `None` for no totals row.
    pub totals_label: Option<String>,
    /// The notes sheet.
    pub notes: Notes,
}

struct Formats {
    title: Format,
    header: Format,
    columns: Vec<Format>,
    total_label: Format,
    totals: Vec<Format>,
}

fn formats(report: &TabularReport) -> Formats {
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let bordered = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let column = |c: &Column, bold: bool| {
        let f = bordered.clone().set_num_format(c.kind.format_code());
        let f = if c.kind == ColumnKind::Text { f.set_text_wrap() } else { f };
        if bold { f.set_bold() } else { f }
    };
    Formats {
        title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
        header: bordered.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
        columns: report.columns.iter().map(|c| column(c, false)).collect(),
        total_label: bordered.clone().set_bold().set_align(FormatAlign::Center),
        totals: report.columns.iter().map(|c| column(c, true)).collect(),
    }
}

/// Places header cells on the grid (skipping columns covered by row spans from above).
fn place_header(header: &[Vec<Cell>], n: usize) -> Vec<Vec<(usize, &Cell)>> {
    let mut covered = vec![0usize; n];
    header
        .iter()
        .map(|row| {
            let mut col = 0;
            let placed = row
                .iter()
                .map(|cell| {
                    while col < n && covered[col] > 0 {
                        col += 1;
                    }
                    let at = col;
                    let span = usize::from(cell.colspan.max(1));
                    for c in covered.iter_mut().skip(at).take(span) {
                        *c = usize::from(cell.rowspan.max(1));
                    }
                    col += span;
                    (at, cell)
                })
                .collect();
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
            placed
        })
        .collect()
}

pub(crate) fn excel_date(d: NaiveDate) -> f64 {
    // Excel's serial date: days since 1899-12-30 (which absorbs the 1900 leap-year bug).
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (d - epoch).num_days() as f64
}

fn write_header(ws: &mut Worksheet, report: &TabularReport, f: &Formats, first_row: u32) -> Result<u32, ExportError> {
    let n = report.columns.len();
    let sheet = &report.sheet_name;
    if report.header.is_empty() {
        let cells: Vec<(&str, f64, f32, bool)> =
            report.columns.iter().map(|c| (c.title.as_str(), c.width, 12.0, true)).collect();
        fit_row(ws, first_row, &cells)?;
        for (c, col) in report.columns.iter().enumerate() {
            check_translated(sheet, &format!("the header of column {}", c + 1), &col.title)?;
            ws.write_string_with_format(first_row, c as u16, &col.title, &f.header)?;
        }
        return Ok(1);
    }
    for (r, row) in place_header(&report.header, n).into_iter().enumerate() {
        let row_index = first_row + r as u32;
        // Cells of one row fix its height; those spanning rows have the room of all of them.
        let cells: Vec<(&str, f64, f32, bool)> = row
            .iter()
            .filter(|(_, cell)| cell.rowspan <= 1)
            .map(|(col, cell)| {
                let span = usize::from(cell.colspan.max(1));
                let width = report.columns.iter().skip(*col).take(span).map(|c| c.width).sum::<f64>();
                (cell.text.as_str(), width, 12.0, true)
            })
            .collect();
        fit_row(ws, row_index, &cells)?;
        for (col, cell) in row {
            check_translated(sheet, &format!("the header of column {}", col + 1), &cell.text)?;
            let (rs, cs) = (u32::from(cell.rowspan.max(1)), cell.colspan.max(1));
            if rs == 1 && cs == 1 {
                ws.write_string_with_format(row_index, col as u16, &cell.text, &f.header)?;
            } else {
                ws.merge_range(row_index, col as u16, row_index + rs - 1, col as u16 + cs - 1, &cell.text, &f.header)?;
            }
        }
    }
    Ok(report.header.len() as u32)
}

/// Writes the report with its rows. Every text cell is checked against Excel's limit first; a
/// row with the wrong number of values is refused. Nothing is returned unless the whole
/// workbook was written.
pub fn write<I>(report: &TabularReport, rows: I) -> Result<Vec<u8>, ExportError>
where
    I: IntoIterator<Item = Vec<Value>>,
{
    write_with(report, rows, Lang::Vi, &[])
}

/// [`write`] with the page footer and the notes sheet in `lang`, and `remarks` added to the notes
/// (what an empty cell means, where the columns come from).
pub(crate) fn write_with<I>(
    report: &TabularReport,
    rows: I,
    lang: Lang,
    remarks: &[String],
) -> Result<Vec<u8>, ExportError>
where
    I: IntoIterator<Item = Vec<Value>>,
{
    let n = report.columns.len();
    let f = formats(report);
    let sheet = &report.sheet_name;
    check_translated(sheet, "the sheet name", sheet)?;
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name(&report.sheet_name)?;
    let widths: Vec<f64> = report.columns.iter().map(|c| c.width).collect();
    for (c, width) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    let total_width: f64 = widths.iter().sum();
    let mut row: u32 = 0;
    for (i, line) in report.title_lines.iter().enumerate() {
        check_translated(sheet, &format!("title line {}", i + 1), line)?;
        fit_row(ws, row, &[(line, total_width, 14.0, true)])?;
        if n > 1 {
            ws.merge_range(row, 0, row, n as u16 - 1, line, &f.title)?;
        } else {
            ws.write_string_with_format(row, 0, line, &f.title)?;
        }
        row += 1;
    }
    if !report.title_lines.is_empty() {
        row += 1;
    }
    let header_rows = write_header(ws, report, &f, row)?;
    print_setup(ws, &widths, Some((row, row + header_rows - 1)), lang)?;
    row += header_rows;
    ws.set_freeze_panes(row, 0)?;
    let first_data = row;
    let mut totals = vec![0f64; n];
    let mut count = 0u64;
    for values in rows {
        if values.len() != n {
            return Err(ExportError::TableShape {
                table: 1,
                row: (row - first_data + 1) as usize,
                message: format!("{} values for {n} columns", values.len()),
            });
        }
        // Wrapped text cells decide the row's height, set before the row is written (and flushed).
        let wrapped: Vec<(&str, f64, f32, bool)> = values
            .iter()
            .zip(&report.columns)
            .filter_map(|(v, c)| match v {
                Value::Text(s) if c.kind == ColumnKind::Text => Some((s.as_str(), c.width, 12.0, false)),
                _ => None,
            })
            .collect();
        fit_row(ws, row, &wrapped)?;
        for (c, value) in values.iter().enumerate() {
            let col = c as u16;
            match value {
                Value::Empty => {
                    ws.write_blank(row, col, &f.columns[c])?;
                }
                Value::Text(s) => {
                    let len = s.chars().count();
                    if len > MAX_CELL_CHARS {
                        return Err(ExportError::CellTooLong {
                            sheet: report.sheet_name.clone(),
                            cell: row_col_to_cell(row, col),
                            len,
                            max: MAX_CELL_CHARS,
                        });
                    }
                    ws.write_string_with_format(row, col, s, &f.columns[c])?;
                }
                Value::Number(v) => {
                    totals[c] += v;
                    ws.write_number_with_format(row, col, *v, &f.columns[c])?;
                }
                Value::Date(d) => {
                    ws.write_number_with_format(row, col, excel_date(*d), &f.columns[c])?;
                }
            }
        }
        row += 1;
        count += 1;
    }
    if let Some(label) = &report.totals_label {
        check_translated(sheet, "the totals label", label)?;
        // The label spans the leading columns that are not summed.
        let lead = report.columns.iter().take_while(|c| !c.total).count().max(1);
        if lead > 1 {
            ws.merge_range(row, 0, row, lead as u16 - 1, label, &f.total_label)?;
        } else {
            ws.write_string_with_format(row, 0, label, &f.total_label)?;
        }
        for (c, col) in report.columns.iter().enumerate().skip(lead) {
            if col.total && count > 0 {
                let first = row_col_to_cell(first_data, c as u16);
                let last = row_col_to_cell(row - 1, c as u16);
                // The cached result lets viewers that do not recalculate show the sum.
                let formula = Formula::new(format!("=SUM({first}:{last})")).set_result(totals[c].to_string());
                ws.write_formula_with_format(row, c as u16, formula, &f.totals[c])?;
            } else {
                ws.write_blank(row, c as u16, &f.totals[c])?;
            }
        }
    }
    write_notes(workbook.add_worksheet(), &report.notes, count, remarks, lang)?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes the notes sheet of an export: where the data come from, when, how many rows, the filters
/// applied and free remarks (what an empty cell means, how figures were attributed), in `lang`.
pub(crate) fn write_notes(
    ws: &mut Worksheet,
    notes: &Notes,
    count: u64,
    remarks: &[String],
    lang: Lang,
) -> Result<(), ExportError> {
    let say = |vi: &'static str, en: &'static str| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    let sheet = say("Ghi chú", "Notes");
    ws.set_name(sheet)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 60)?;
    print_setup(ws, &[24.0, 60.0], None, lang)?;
    check_translated(sheet, "the source", &notes.source)?;
    let bold = Format::new().set_font_name("Times New Roman").set_font_size(12).set_bold();
    let plain = Format::new().set_font_name("Times New Roman").set_font_size(12).set_text_wrap();
    let mut lines: Vec<(String, String)> = vec![
        (say("Nguồn dữ liệu", "Source").into(), notes.source.clone()),
        (say("Thời điểm lập", "Generated").into(), tiendo_core::fmt::datetime(notes.generated_at)),
        (say("Số dòng dữ liệu", "Data rows").into(), tiendo_core::fmt::integer(count as i64, lang)),
    ];
    if notes.filters.is_empty() {
        lines.push((say("Bộ lọc", "Filters").into(), say("Không có", "None").into()));
    }
    for (r, (k, v)) in lines.iter().enumerate() {
        fit_row(ws, r as u32, &[(k, 24.0, 12.0, true), (v, 60.0, 12.0, false)])?;
        ws.write_string_with_format(r as u32, 0, k, &bold)?;
        ws.write_string_with_format(r as u32, 1, v, &plain)?;
    }
    let mut next = lines.len() as u32 + 1;
    if !notes.filters.is_empty() {
        ws.write_string_with_format(next, 0, say("Bộ lọc đã áp dụng", "Filters applied"), &bold)?;
        for (i, (k, v)) in notes.filters.iter().enumerate() {
            let r = next + 1 + i as u32;
            check_translated(sheet, "the name of a filter", k)?;
            fit_row(ws, r, &[(k, 24.0, 12.0, false), (v, 60.0, 12.0, false)])?;
            ws.write_string_with_format(r, 0, k, &plain)?;
            ws.write_string_with_format(r, 1, v, &plain)?;
        }
        next += notes.filters.len() as u32 + 2;
    }
    if !remarks.is_empty() {
        ws.write_string_with_format(next, 0, say("Ghi chú", "Remarks"), &bold)?;
        for (i, remark) in remarks.iter().enumerate() {
            fit_row(ws, next + 1 + i as u32, &[(remark, 60.0, 12.0, false)])?;
            ws.write_string_with_format(next + 1 + i as u32, 1, remark, &plain)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_codes_are_excel_invariant_not_vietnamese_literals() {
        assert_eq!(ColumnKind::Integer.format_code(), "#,##0");
        assert_eq!(ColumnKind::Decimal(1).format_code(), "#,##0.0");
        assert_eq!(ColumnKind::Money.format_code(), "#,##0 \"đ\"");
        assert_eq!(ColumnKind::Date.format_code(), "dd/mm/yyyy");
    }

    #[test]
    fn excel_serial_dates_match_excel() {
        assert_eq!(excel_date(NaiveDate::from_ymd_opt(1900, 3, 1).unwrap()), 61.0);
        assert_eq!(excel_date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), 46086.0);
    }

    #[test]
    fn header_cells_skip_columns_covered_from_above() {
        let header = vec![
            vec![Cell::header("A").span_rows(2), Cell::header("B").span_cols(2), Cell::header("C").span_rows(2)],
            vec![Cell::header("B1"), Cell::header("B2")],
        ];
        let placed = place_header(&header, 4);
        let cols: Vec<Vec<usize>> = placed.iter().map(|r| r.iter().map(|(c, _)| *c).collect()).collect();
        assert_eq!(cols, vec![vec![0, 1, 3], vec![1, 2]]);
    }
}
