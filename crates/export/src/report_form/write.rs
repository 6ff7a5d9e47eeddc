//! Writing a report form to fill in Excel (see the module documentation for the layout).

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula, ProtectionOptions,
    Workbook, Worksheet,
};
use tiendo_core::fmt;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{FieldDef, FieldKind, TemplateDef, Value, field};

use super::{FORMAT_TAG, FormColumn, FormHeading, META_SHEET, form_sheet_name};
use crate::error::ExportError;
use crate::sheet_print::{check_translated, fit_row, print_setup};
use crate::xlsx::{MAX_CELL_CHARS, excel_date};
use crate::xlsx_read::column_letter;

const ROMAN: [&str; 20] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
    "XVIII", "XIX", "XX",
];

/// The pale yellow of cells to fill in, as in the paper forms' shaded boxes.
const INPUT_FILL: u32 = 0xFFF2CC;
const SECTION_FILL: u32 = 0xE7E6E6;

fn width(column: FormColumn) -> f64 {
    match column {
        FormColumn::Number => 6.0,
        FormColumn::Code => 16.0,
        FormColumn::Label => 50.0,
        FormColumn::Unit => 12.0,
        FormColumn::Value => 20.0,
        FormColumn::Help => 42.0,
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    line: Format,
    note: Format,
    header: Format,
    section_number: Format,
    section: Format,
    number: Format,
    code: Format,
    label: Format,
    unit: Format,
    help: Format,
    input_base: Format,
    inputs: HashMap<String, Format>,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
            line: base.clone(),
            note: base.clone().set_italic().set_text_wrap().set_align(FormatAlign::Top),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            section_number: cell.clone().set_bold().set_align(FormatAlign::Center).set_background_color(SECTION_FILL),
            section: cell.clone().set_bold().set_background_color(SECTION_FILL),
            number: cell.clone().set_align(FormatAlign::Center),
            code: cell.clone().set_font_size(10).set_font_color(Color::RGB(0x595959)).set_align(FormatAlign::Center),
            label: cell.clone().set_text_wrap(),
            unit: cell.clone().set_align(FormatAlign::Center).set_text_wrap(),
            help: cell.clone().set_italic().set_font_size(11).set_text_wrap(),
            input_base: cell.set_unlocked().set_background_color(INPUT_FILL),
            inputs: HashMap::new(),
        }
    }

    /// The unlocked, shaded format of a value cell with a number format code.
    fn input(&mut self, code: &str) -> &Format {
        let base = &self.input_base;
        self.inputs.entry(code.to_owned()).or_insert_with(|| {
            let f = base.clone().set_num_format(code);
            if code == "@" { f.set_text_wrap() } else { f.set_align(FormatAlign::Right) }
        })
    }
}

/// What a value cell starts with.
#[derive(Debug, Clone, PartialEq)]
enum Prefill {
    Empty,
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

fn yes_no_labels(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::Vi => ["Có", "Không"],
        Lang::En => ["Yes", "No"],
    }
}

fn prefill(f: &FieldDef, value: Option<&Value>, lang: Lang) -> Prefill {
    let Some(value) = value else { return Prefill::Empty };
    match (f.kind, value) {
        (kind, Value::Number(n)) if kind.is_numeric() => Prefill::Number(*n),
        (FieldKind::YesNo, Value::Number(n)) => {
            let [yes, no] = yes_no_labels(lang);
            Prefill::Text(if *n != 0.0 { yes } else { no }.to_owned())
        }
        (FieldKind::Date, Value::Text(iso)) => match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
            Ok(d) => Prefill::Date(d),
            Err(_) => Prefill::Text(iso.clone()),
        },
        (kind, v) => Prefill::Text(field::input_text(kind, v)),
    }
}

/// The fraction digits a number needs to show exactly (at most 9): `12.5` → 1.
fn fraction_digits(x: f64) -> usize {
    let text = format!("{}", x.abs());
    text.split_once('.').map_or(0, |(_, frac)| frac.len().min(9))
}

/// The number format of a value cell: Excel-invariant codes, which Excel and LibreOffice show with
/// the reader's separators (`1.234.567` on a Vietnamese system).
fn number_format(kind: FieldKind, prefill: &Prefill) -> String {
    match kind {
        FieldKind::Integer | FieldKind::Money => "#,##0".into(),
        FieldKind::Decimal | FieldKind::Percent => match prefill {
            // Enough decimals to show the value exactly; no format for an empty cell, because
            // `#,##0.##` would show a whole number with a dangling separator (`12,`).
            Prefill::Number(n) if fraction_digits(*n) > 0 => format!("#,##0.{}", "0".repeat(fraction_digits(*n))),
            Prefill::Number(_) => "#,##0".into(),
            _ => "General".into(),
        },
        FieldKind::Date => "dd/mm/yyyy".into(),
        FieldKind::Text | FieldKind::YesNo | FieldKind::Choice => "@".into(),
    }
}

fn unit(def: &TemplateDef, f: &FieldDef, lang: Lang) -> String {
    match (f.kind, lang) {
        (FieldKind::Money, Lang::Vi) => "đồng".into(),
        (FieldKind::Money, Lang::En) => "VND".into(),
        (FieldKind::Percent, _) => "%".into(),
        _ => f
            .indicator
            .as_deref()
            .and_then(|code| def.indicators.iter().find(|i| i.code == code))
            .map(|i| i.unit.clone())
            .unwrap_or_default(),
    }
}

/// The guidance shown beside a field: its help text, then whether it is required and its bounds.
fn guidance(f: &FieldDef, lang: Lang) -> String {
    let mut parts: Vec<String> = f.help(lang).map(|h| h.trim().trim_end_matches('.').to_owned()).into_iter().collect();
    let number = |x: f64| fmt::decimal(x, 4, lang);
    if f.required {
        parts.push(match lang {
            Lang::Vi => "Bắt buộc".into(),
            Lang::En => "Required".into(),
        });
    }
    match (f.min, f.max, lang) {
        (Some(lo), Some(hi), Lang::Vi) => parts.push(format!("Từ {} đến {}", number(lo), number(hi))),
        (Some(lo), Some(hi), Lang::En) => parts.push(format!("From {} to {}", number(lo), number(hi))),
        (Some(lo), None, Lang::Vi) => parts.push(format!("Không nhỏ hơn {}", number(lo))),
        (Some(lo), None, Lang::En) => parts.push(format!("At least {}", number(lo))),
        (None, Some(hi), Lang::Vi) => parts.push(format!("Không lớn hơn {}", number(hi))),
        (None, Some(hi), Lang::En) => parts.push(format!("At most {}", number(hi))),
        (None, None, _) => {}
    }
    if let Some(hint) = &f.pattern_hint {
        parts.push(match lang {
            Lang::Vi => format!("Dạng: {hint}"),
            Lang::En => format!("Form: {hint}"),
        });
    }
    let by_kind = match (f.kind, lang) {
        (FieldKind::Date, Lang::Vi) => Some("Ngày dạng dd/mm/yyyy"),
        (FieldKind::Date, Lang::En) => Some("A date, dd/mm/yyyy"),
        (FieldKind::Choice, Lang::Vi) => Some("Chọn trong danh sách"),
        (FieldKind::Choice, Lang::En) => Some("Pick from the list"),
        (FieldKind::YesNo, Lang::Vi) => Some("Chọn Có hoặc Không"),
        (FieldKind::YesNo, Lang::En) => Some("Pick Yes or No"),
        _ => None,
    };
    parts.extend(by_kind.map(str::to_owned));
    if parts.is_empty() { String::new() } else { format!("{}.", parts.join(". ")) }
}

fn check_len(sheet: &str, row: u32, col: u16, text: &str) -> Result<(), ExportError> {
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

/// Writes a report form to download: the template's fields for one organisation and period,
/// pre-filled with `values` (those already entered), in `lang`. The workbook records what it is
/// for, so that [`read_report_form`](super::read_report_form) can refuse it for another
/// organisation, period or template.
pub fn write_report_form(
    def: &TemplateDef,
    heading: &FormHeading,
    values: &HashMap<String, Value>,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let sheet_name = form_sheet_name(lang);
    let mut f = Formats::new();
    let choice_lists = choice_ranges(def);
    let ws = workbook.add_worksheet();
    ws.set_name(sheet_name)?;
    let last = FormColumn::ALL.len() as u16 - 1;
    for c in FormColumn::ALL {
        ws.set_column_width(c.index(), width(c))?;
    }

    let mut row: u32 = 0;
    let full_line = |ws: &mut Worksheet, row: u32, text: &str, format: &Format| -> Result<(), ExportError> {
        check_len(sheet_name, row, 0, text)?;
        ws.merge_range(row, 0, row, last, text, format)?;
        Ok(())
    };
    let widths: Vec<f64> = FormColumn::ALL.iter().map(|c| width(*c)).collect();
    let total_width: f64 = widths.iter().sum();
    fit_row(ws, row, &[(def.name(lang), total_width, 14.0, true)])?;
    full_line(ws, row, def.name(lang), &f.title)?;
    row += 1;
    let version = heading.target.template_version;
    let subtitle = match lang {
        Lang::Vi => format!("Mẫu {} – phiên bản {version}", def.code),
        Lang::En => format!("Template {} – version {version}", def.code),
    };
    full_line(ws, row, &subtitle, &f.subtitle)?;
    row += 2;
    let mut lines = vec![
        match lang {
            Lang::Vi => format!("Đơn vị báo cáo: {}", heading.org_name),
            Lang::En => format!("Reporting organisation: {}", heading.org_name),
        },
        match lang {
            Lang::Vi => format!("Kỳ báo cáo: {}", heading.target.period.name(lang)),
            Lang::En => format!("Period: {}", heading.target.period.name(lang)),
        },
    ];
    if let Some(due) = heading.due_date {
        lines.push(match lang {
            Lang::Vi => format!("Hạn nộp: {}", fmt::date(due)),
            Lang::En => format!("Due: {}", fmt::date(due)),
        });
    }
    for line in &lines {
        full_line(ws, row, line, &f.line)?;
        row += 1;
    }
    let value_title = FormColumn::Value.title(lang);
    let code_title = FormColumn::Code.title(lang);
    let instructions = match lang {
        Lang::Vi => format!(
            "Nhập số liệu vào các ô nền vàng của cột «{value_title}» rồi tải tệp lên hệ thống. \
             Không sửa cột «{code_title}» và trang ẩn của tệp: hệ thống dùng chúng để nhận biết biểu."
        ),
        Lang::En => format!(
            "Type the figures into the yellow cells of the «{value_title}» column, then upload the file. \
             Do not change the «{code_title}» column or the file's hidden sheet: they identify the form."
        ),
    };
    fit_row(ws, row, &[(&instructions, total_width, 12.0, false)])?;
    full_line(ws, row, &instructions, &f.note)?;
    row += 2;

    let header_row = row;
    let headers: Vec<(&str, f64, f32, bool)> =
        FormColumn::ALL.iter().map(|c| (c.title(lang), width(*c), 12.0, true)).collect();
    fit_row(ws, row, &headers)?;
    for c in FormColumn::ALL {
        check_translated(sheet_name, &format!("the header of column {}", c.index() + 1), c.title(lang))?;
        ws.write_string_with_format(row, c.index(), c.title(lang), &f.header)?;
    }
    row += 1;

    let mut number = 0u32;
    for (s, section) in def.sections.iter().enumerate() {
        let roman = ROMAN.get(s).map_or_else(|| (s + 1).to_string(), |r| (*r).to_owned());
        ws.write_string_with_format(row, FormColumn::Number.index(), &roman, &f.section_number)?;
        ws.write_blank(row, FormColumn::Code.index(), &f.section)?;
        check_len(sheet_name, row, FormColumn::Label.index(), section.title(lang))?;
        ws.merge_range(row, FormColumn::Label.index(), row, last, section.title(lang), &f.section)?;
        row += 1;
        for fd in &section.fields {
            number += 1;
            ws.write_number_with_format(row, FormColumn::Number.index(), f64::from(number), &f.number)?;
            ws.write_string_with_format(row, FormColumn::Code.index(), &fd.code, &f.code)?;
            let label = fd.label(lang);
            check_len(sheet_name, row, FormColumn::Label.index(), label)?;
            ws.write_string_with_format(row, FormColumn::Label.index(), label, &f.label)?;
            ws.write_string_with_format(row, FormColumn::Unit.index(), unit(def, fd, lang), &f.unit)?;
            let help = guidance(fd, lang);
            check_len(sheet_name, row, FormColumn::Help.index(), &help)?;
            ws.write_string_with_format(row, FormColumn::Help.index(), &help, &f.help)?;
            let start = prefill(fd, values.get(&fd.code), lang);
            // A text already entered (a choice, a note) wraps in its cell like the label.
            let entered = match &start {
                Prefill::Text(t) => t.as_str(),
                _ => "",
            };
            fit_row(
                ws,
                row,
                &[
                    (label, width(FormColumn::Label), 12.0, false),
                    (&unit(def, fd, lang), width(FormColumn::Unit), 12.0, false),
                    (&help, width(FormColumn::Help), 11.0, false),
                    (entered, width(FormColumn::Value), 12.0, false),
                ],
            )?;
            let col = FormColumn::Value.index();
            let format = f.input(&number_format(fd.kind, &start));
            match &start {
                Prefill::Empty => ws.write_blank(row, col, format)?,
                Prefill::Number(n) => ws.write_number_with_format(row, col, *n, format)?,
                Prefill::Date(d) => ws.write_number_with_format(row, col, excel_date(*d), format)?,
                Prefill::Text(t) => {
                    check_len(sheet_name, row, col, t)?;
                    ws.write_string_with_format(row, col, t, format)?
                }
            };
            match fd.kind {
                FieldKind::YesNo => {
                    let validation = DataValidation::new()
                        .allow_list_strings(&yes_no_labels(lang))?
                        .set_error_style(DataValidationErrorStyle::Stop);
                    ws.add_data_validation(row, col, row, col, &validation)?;
                }
                FieldKind::Choice => {
                    if let Some(range) = choice_lists.get(&fd.code) {
                        let validation = DataValidation::new()
                            .allow_list_formula(Formula::new(range))
                            .set_error_style(DataValidationErrorStyle::Stop);
                        ws.add_data_validation(row, col, row, col, &validation)?;
                    }
                }
                _ => {}
            }
            row += 1;
        }
    }

    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, &widths, Some((header_row, header_row)), lang)?;
    // Without a password: the protection keeps codes and labels from being changed by accident,
    // not from someone who means to (who can unprotect it; the upload checks everything anyway).
    ws.protect_with_options(&ProtectionOptions { format_columns: true, format_rows: true, ..Default::default() });
    write_meta(workbook.add_worksheet(), def, heading, lang)?;
    Ok(workbook.save_to_buffer()?)
}

/// The first column of the hidden sheet that lists choices (after the key and value columns and a
/// blank one).
const FIRST_LIST_COLUMN: u16 = 3;

/// Each choice field's list on the hidden sheet, as the range a drop-down refers to.
fn choice_ranges(def: &TemplateDef) -> HashMap<String, String> {
    def.fields()
        .filter(|f| f.kind == FieldKind::Choice)
        .enumerate()
        .map(|(i, fd)| {
            let letter = column_letter(u32::from(FIRST_LIST_COLUMN) + i as u32);
            (fd.code.clone(), format!("='{META_SHEET}'!${letter}$2:${letter}${}", fd.choices.len() + 1))
        })
        .collect()
}

/// Writes the hidden sheet: what the form is for (key, value) and, from column D, one column per
/// choice field listing its choices (in the order of [`choice_ranges`]).
fn write_meta(ws: &mut Worksheet, def: &TemplateDef, heading: &FormHeading, lang: Lang) -> Result<(), ExportError> {
    ws.set_name(META_SHEET)?;
    ws.set_hidden(true);
    let rows: [(&str, String); 6] = [
        ("format", FORMAT_TAG.to_owned()),
        ("template_code", def.code.clone()),
        ("template_version", heading.target.template_version.to_string()),
        ("org_id", heading.target.org_id.clone()),
        ("period", heading.target.period.code()),
        ("lang", lang.tag().to_owned()),
    ];
    for (r, (key, value)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *key)?;
        ws.write_string(r as u32, 1, value)?;
    }
    for (i, fd) in def.fields().filter(|f| f.kind == FieldKind::Choice).enumerate() {
        let col = FIRST_LIST_COLUMN + i as u16;
        ws.write_string(0, col, &fd.code)?;
        for (r, choice) in fd.choices.iter().enumerate() {
            ws.write_string(r as u32 + 1, col, choice)?;
        }
    }
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_show_exactly_the_decimals_a_value_has() {
        assert_eq!(number_format(FieldKind::Decimal, &Prefill::Number(12.5)), "#,##0.0");
        assert_eq!(number_format(FieldKind::Percent, &Prefill::Number(12.25)), "#,##0.00");
        assert_eq!(number_format(FieldKind::Decimal, &Prefill::Number(12.0)), "#,##0");
        assert_eq!(number_format(FieldKind::Decimal, &Prefill::Empty), "General");
        assert_eq!(number_format(FieldKind::Money, &Prefill::Empty), "#,##0");
    }
}
