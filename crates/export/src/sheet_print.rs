//! How the spreadsheets print and read: the page setup every table gets, the heights of rows with
//! wrapped text, and the refusal of untranslated message keys.
//!
//! Excel and LibreOffice do not fit a row's height to wrapped text when they open a file (they do
//! only when the cell is edited), and rust_xlsxwriter's `autofit` sets column widths, not row
//! heights. So the writers compute each height from the text and the column width, with the
//! Times-metric advances of `metrics` (the sheets are set in Times New Roman).

use rust_xlsxwriter::Worksheet;
use tiendo_core::lang::Lang;

use crate::error::ExportError;
use crate::metrics::approx_text_width;

/// A4 in Excel's paper codes.
const A4: u8 = 9;
/// Margins in inches: left 20 mm, right 15 mm, top and bottom 20 mm, header and footer 8 mm.
const MARGINS: (f64, f64, f64, f64, f64, f64) = (0.79, 0.59, 0.79, 0.79, 0.31, 0.31);
/// The width of an A4 portrait page inside those margins, in millimetres.
const PORTRAIT_WIDTH_MM: f64 = 210.0 - 20.0 - 15.0;

/// Points in a pixel at Excel's 96 dots per inch.
const PT_PER_PX: f64 = 0.75;
/// Padding Excel leaves inside a cell on each side, in pixels.
const CELL_PAD_PX: f64 = 3.0;

/// The width of a column of `chars` characters in pixels: Excel counts in widths of the default
/// font's digit (7 pixels in Calibri 11, the default of rust_xlsxwriter) plus 5 pixels of padding.
fn column_px(chars: f64) -> f64 {
    if chars <= 0.0 { 0.0 } else { (chars * 7.0 + 0.5).trunc() + 5.0 }
}

/// The printed width of columns of these widths (in characters), in millimetres.
pub(crate) fn columns_mm(widths: &[f64]) -> f64 {
    widths.iter().map(|w| column_px(*w)).sum::<f64>() * 25.4 / 96.0
}

/// Sets how a sheet prints: A4, landscape when its columns are wider than a portrait page, every
/// column on one page wide (as many pages down as needed), `repeat` (first and last row) at the
/// top of every page, margins, and the page number centred in the footer (`Trang 2/5`).
pub(crate) fn print_setup(
    ws: &mut Worksheet,
    widths: &[f64],
    repeat: Option<(u32, u32)>,
    lang: Lang,
) -> Result<(), ExportError> {
    ws.set_paper_size(A4);
    if columns_mm(widths) > PORTRAIT_WIDTH_MM {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    let (left, right, top, bottom, header, footer) = MARGINS;
    ws.set_margins(left, right, top, bottom, header, footer);
    ws.set_footer(match lang {
        Lang::Vi => "&C&\"Times New Roman\"&11Trang &P/&N",
        Lang::En => "&C&\"Times New Roman\"&11Page &P of &N",
    });
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// How many lines `text` takes in a cell `chars` characters wide at `size` points, wrapped at
/// spaces as Excel wraps it (a word longer than the line is cut), plus `indent` levels of
/// indentation (3 characters each).
pub(crate) fn wrapped_lines(text: &str, chars: f64, size: f32, bold: bool, indent: u8) -> u32 {
    let avail = ((column_px(chars) - 2.0 * CELL_PAD_PX - f64::from(indent) * 3.0 * 7.0) * PT_PER_PX).max(1.0) as f32;
    let space = approx_text_width(" ", size, bold);
    text.split('\n')
        .map(|paragraph| {
            let mut lines = 1u32;
            let mut used = 0f32;
            for word in paragraph.split_whitespace() {
                let w = approx_text_width(word, size, bold);
                let needed = if used > 0.0 { used + space + w } else { w };
                if needed <= avail {
                    used = needed;
                } else if used == 0.0 {
                    // A word wider than the cell: Excel cuts it over several lines.
                    lines += (w / avail).ceil() as u32 - 1;
                    used = w % avail;
                } else {
                    lines += 1;
                    if w > avail {
                        lines += (w / avail).ceil() as u32 - 1;
                        used = w % avail;
                    } else {
                        used = w;
                    }
                }
            }
            lines
        })
        .sum()
}

/// The height in points of a row of `lines` lines of text at `size` points (Excel's single line of
/// Times New Roman 12 is 15.75 points).
pub(crate) fn row_height(lines: u32, size: f32) -> f64 {
    let line = (f64::from(size) * 1.3125 * 4.0).ceil() / 4.0;
    line * f64::from(lines.max(1)) + if lines > 1 { 2.0 } else { 0.0 }
}

/// Sets the height of `row` to fit its tallest wrapped cell, given as (text, column width in
/// characters, size, bold); leaves rows of one line at Excel's default.
pub(crate) fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64, f32, bool)]) -> Result<(), ExportError> {
    let (lines, size) = cells
        .iter()
        .map(|(text, chars, size, bold)| (wrapped_lines(text, *chars, *size, *bold, 0), *size))
        .fold((1, 12.0f32), |(l, s), (lines, size)| (l.max(lines), s.max(size)));
    if lines > 1 || size > 12.0 {
        ws.set_row_height(row, row_height(lines, size))?;
    }
    Ok(())
}

/// Whether `text` looks like a message key or another identifier rather than words for a reader:
/// one token of ASCII letters and digits joined by `-` or `_` (`export-col-no`,
/// `EXPORT-ASSIGNMENTS-TITLE`, `valid_to`).
pub fn looks_like_key(text: &str) -> bool {
    let t = text.trim();
    let mut parts = t.split(['-', '_']);
    t.contains(['-', '_'])
        && parts.next().is_some_and(|p| p.starts_with(|c: char| c.is_ascii_alphabetic()))
        && t.split(['-', '_']).all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Refuses a fixed text of a sheet (its name, a title, a header, a note's label) that is an
/// untranslated message key: a reader must never see one, and a test that writes the export then
/// fails instead of shipping it.
pub(crate) fn check_translated(sheet: &str, place: &str, text: &str) -> Result<(), ExportError> {
    if looks_like_key(text) {
        return Err(ExportError::UntranslatedText {
            sheet: sheet.to_owned(),
            place: place.to_owned(),
            text: text.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_keys_and_identifiers_are_recognised_and_words_are_not() {
        for key in ["export-col-no", "EXPORT-ASSIGNMENTS-TITLE", "valid_to", "document-edit-title"] {
            assert!(looks_like_key(key), "{key}");
        }
        for words in ["TT", "Đơn vị", "Kinh phí (đồng)", "Biểu 01", "Ghi chú", "2023-2025 ", "-", "Năm 2025", "KH&CN"]
        {
            assert!(!looks_like_key(words), "{words}");
        }
    }

    #[test]
    fn wrapped_text_takes_more_lines_in_a_narrow_column() {
        let text = "Phối hợp với Viện Nghiên cứu và Phát triển Vùng xây dựng chương trình khung cho thị xã Quảng Yên";
        let wide = wrapped_lines(text, 120.0, 12.0, false, 0);
        let narrow = wrapped_lines(text, 30.0, 12.0, false, 0);
        assert_eq!(wide, 1);
        assert!((3..=5).contains(&narrow), "{narrow}");
        assert_eq!(wrapped_lines("a\nb", 30.0, 12.0, false, 0), 2);
        assert_eq!(row_height(1, 12.0), 15.75);
        assert_eq!(row_height(3, 12.0), 49.25);
    }

    #[test]
    fn a_page_is_landscape_only_when_the_columns_are_wider_than_portrait() {
        assert!(columns_mm(&[6.0, 50.0, 12.0, 20.0]) < PORTRAIT_WIDTH_MM);
        assert!(columns_mm(&[6.0, 28.0, 14.0, 11.0, 11.0, 18.0, 12.0]) > PORTRAIT_WIDTH_MM);
    }
}
