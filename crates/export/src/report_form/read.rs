//! Reading a filled report form back: the hidden sheet checked against what the upload is for, the
//! form's columns found by their header text wherever they were moved, every row's code checked,
//! and each value cell turned back into the text an official would have typed, so that core's
//! parser reads a number stored by Excel exactly as it reads the same number typed in the web form.

use std::collections::HashMap;

use tiendo_core::fmt;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{FieldKind, Period, TemplateDef, Value, ValueProblem, read_values};

use super::{
    FORMAT_TAG, FormColumn, FormTarget, META_SHEET, UploadError, UploadProblem, form_sheet_name, sort_problems,
};
use crate::xlsx_read::{CellValue, Sheet, XlsxReader, column_letter};

/// How far down the header row is looked for (the header block is 8 rows when written).
const HEADER_SEARCH_ROWS: u32 = 60;

/// A form read back, every cell of it usable: what it says it is for, and the text of each field.
#[derive(Debug, Clone, PartialEq)]
pub struct FormUpload {
    /// The template code recorded in the workbook.
    pub template_code: String,
    /// The template version the form was made from.
    pub template_version: u32,
    /// The organisation the form was made for.
    pub org_id: String,
    /// The period the form was made for.
    pub period: Period,
    /// The language the form was written in, if recorded.
    pub lang: Option<Lang>,
    /// The name of the sheet the values were read from.
    pub sheet: String,
    /// Each field's cell as text, as typed (a number Excel stored is written back the Vietnamese
    /// way: `1.234.567`, `12,5`; a date `31/12/2025`); empty when the cell is.
    pub inputs: HashMap<String, String>,
    /// Problems that did not stop the reading (`header_moved`, `template_version_changed`).
    pub notices: Vec<UploadProblem>,
    /// Each field's value cell, 0-based (row, column).
    cells: HashMap<String, (u32, u32)>,
}

impl FormUpload {
    /// Places core's problems with the values (from [`read_values`]) on the cells they came from,
    /// sorted by row; a rule's problem sits on the first field the rule names.
    pub fn locate(&self, problems: &[ValueProblem]) -> Vec<UploadProblem> {
        let mut out: Vec<UploadProblem> = problems
            .iter()
            .map(|p| {
                let located = match self.cells.get(&p.field) {
                    Some((row, col)) => UploadProblem::at(p.code, &self.sheet, *row, *col),
                    None => UploadProblem::file(p.code, Vec::new()),
                };
                UploadProblem { args: p.args.clone(), ..located }.with_field(&p.field)
            })
            .collect();
        sort_problems(&mut out);
        out
    }

    /// Reads the values with core's rules ([`read_values`]); any problem refuses the whole upload,
    /// each problem placed on its cell.
    pub fn values(
        &self,
        def: &TemplateDef,
        for_submission: bool,
        lang: Lang,
    ) -> Result<HashMap<String, Value>, UploadError> {
        let (values, problems) = read_values(def, &self.inputs, for_submission, lang);
        if problems.is_empty() { Ok(values) } else { Err(UploadError::new(self.locate(&problems))) }
    }

    /// The cell a field was read from, in A1 notation (`E12`).
    pub fn cell_of(&self, field: &str) -> Option<String> {
        self.cells.get(field).map(|(r, c)| format!("{}{}", column_letter(*c), r + 1))
    }
}

/// Excel keeps 15 significant digits; beyond them are artefacts of binary floating point
/// (`0.1 + 0.2` is stored as `0.30000000000000004` and shown as `0.3`).
fn round_to_15_digits(x: f64) -> f64 {
    format!("{x:.14e}").parse().unwrap_or(x)
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A number as a Vietnamese official types it: `1.234.567,5` (grouped) or `1234567,5`; every digit
/// of the shortest form that reads back as the same number, so parsing it gives the same value.
pub(crate) fn vietnamese_number(x: f64, grouped: bool) -> String {
    let x = round_to_15_digits(x);
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    out.push_str(&if grouped { group_thousands(int) } else { int.to_owned() });
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// The text of a value cell for a field of `kind`, as the person sees it; an error value
/// (`#DIV/0!`) is refused with its text.
pub(crate) fn typed_text(kind: FieldKind, cell: &CellValue) -> Result<String, String> {
    let number = |x: f64| match kind {
        FieldKind::YesNo if x == 1.0 => "có".to_owned(),
        FieldKind::YesNo if x == 0.0 => "không".to_owned(),
        FieldKind::Text | FieldKind::Choice => vietnamese_number(x, false),
        _ => vietnamese_number(x, true),
    };
    Ok(match cell {
        CellValue::Text(t) => t.clone(),
        CellValue::Number(x) => number(*x),
        CellValue::Percent(x) => {
            let shown = number(x * 100.0);
            if matches!(kind, FieldKind::Text | FieldKind::Choice) { format!("{shown}%") } else { shown }
        }
        CellValue::Date(dt) => {
            let day = fmt::date(dt.date());
            let midnight = dt.time() == chrono::NaiveTime::MIN;
            if kind == FieldKind::Date || midnight { day } else { format!("{day} {}", dt.format("%H:%M")) }
        }
        CellValue::Bool(b) => match (kind, b) {
            (FieldKind::YesNo, true) => "có".to_owned(),
            (FieldKind::YesNo, false) => "không".to_owned(),
            (_, true) => "TRUE".to_owned(),
            (_, false) => "FALSE".to_owned(),
        },
        CellValue::Error(e) => return Err(e.clone()),
    })
}

/// The text of a cell of the hidden sheet (written as text; a number if retyped).
fn plain_text(cell: Option<&CellValue>) -> Option<String> {
    match cell? {
        CellValue::Text(t) => Some(t.trim().to_owned()),
        CellValue::Number(n) => Some(format!("{n}")),
        _ => None,
    }
}

/// What the hidden sheet says, checked against what the upload is for.
struct Metadata {
    template_code: String,
    template_version: u32,
    org_id: String,
    period: Period,
    lang: Option<Lang>,
}

/// Reads the hidden sheet and checks it against what the upload is for, adding to `problems` and
/// `notices`. Returns what it says when it is whole, and whether the problems are fatal: for
/// another template, or for a workbook that is not a form, the rows are not worth reading.
fn check_metadata(
    sheet: &Sheet,
    def: &TemplateDef,
    expected: &FormTarget,
    problems: &mut Vec<UploadProblem>,
    notices: &mut Vec<UploadProblem>,
) -> (Option<Metadata>, bool) {
    let mut map: HashMap<String, (u32, String)> = HashMap::new();
    for r in 0..=sheet.last_row().unwrap_or(0).min(200) {
        if let (Some(key), Some(value)) = (plain_text(sheet.get(r, 0)), plain_text(sheet.get(r, 1))) {
            map.entry(key).or_insert((r, value));
        }
    }
    let get = |key: &str| map.get(key).map(|(_, v)| v.as_str());
    if get("format") != Some(FORMAT_TAG) {
        problems.push(UploadProblem::file("not_a_form", Vec::new()));
        return (None, true);
    }
    let damaged = |key: &'static str| {
        let problem = UploadProblem::file("metadata_damaged", vec![("key", key.to_owned())]);
        match map.get(key) {
            Some((row, _)) => UploadProblem { sheet: Some(sheet.name.clone()), row: Some(row + 1), ..problem },
            None => problem,
        }
    };
    let template_code = get("template_code").unwrap_or_default().to_owned();
    if template_code.is_empty() {
        problems.push(damaged("template_code"));
    } else if template_code != def.code {
        problems.push(UploadProblem::file(
            "wrong_template",
            vec![("found", template_code.clone()), ("expected", def.code.clone())],
        ));
        return (None, true);
    }
    let template_version = get("template_version").and_then(|v| v.parse::<u32>().ok());
    match template_version {
        None => problems.push(damaged("template_version")),
        Some(v) if v != expected.template_version => notices.push(UploadProblem::file(
            "template_version_changed",
            vec![("found", v.to_string()), ("expected", expected.template_version.to_string())],
        )),
        Some(_) => {}
    }
    let org_id = get("org_id").unwrap_or_default().to_owned();
    if org_id.is_empty() {
        problems.push(damaged("org_id"));
    } else if org_id != expected.org_id {
        problems.push(UploadProblem::file(
            "wrong_organisation",
            vec![("found", org_id.clone()), ("expected", expected.org_id.clone())],
        ));
    }
    let period = get("period").and_then(|p| Period::parse(p).ok());
    match period {
        None => problems.push(damaged("period")),
        Some(p) if p != expected.period => problems
            .push(UploadProblem::file("wrong_period", vec![("found", p.code()), ("expected", expected.period.code())])),
        Some(_) => {}
    }
    let lang = get("lang").and_then(Lang::from_tag);
    let meta = match (template_version, period) {
        (Some(template_version), Some(period)) => {
            Some(Metadata { template_code, template_version, org_id, period, lang })
        }
        _ => None,
    };
    (meta, false)
}

/// The header row of a form sheet: the first row naming at least two of the form's columns.
/// Returns the row and, for each column found, every position it was found at.
fn find_header(sheet: &Sheet) -> Option<(u32, HashMap<FormColumn, Vec<u32>>)> {
    let last = sheet.last_row()?.min(HEADER_SEARCH_ROWS);
    (0..=last).find_map(|r| {
        let mut found: HashMap<FormColumn, Vec<u32>> = HashMap::new();
        for (col, cell) in sheet.row(r) {
            if let CellValue::Text(t) = cell
                && let Some(c) = FormColumn::ALL.into_iter().find(|c| c.matches(t))
            {
                found.entry(c).or_default().push(col);
            }
        }
        (found.len() >= 2).then_some((r, found))
    })
}

/// Reads a filled form uploaded for `expected`: every problem of the file, its hidden sheet, its
/// columns and its rows is collected before anything is returned, each with its sheet, row and
/// column. Columns moved by the person are found by their header text (and reported as notices);
/// a missing code or value column, a row whose code is not in the template or comes twice, a field
/// whose row is gone, a cell holding an error value: refused. Values are returned as text for
/// [`FormUpload::values`] (core's [`read_values`]) to check.
pub fn read_report_form(def: &TemplateDef, expected: &FormTarget, bytes: &[u8]) -> Result<FormUpload, UploadError> {
    let mut book = XlsxReader::open(bytes)?;
    let mut problems = Vec::new();
    let mut notices = Vec::new();

    let meta = match book.sheet(META_SHEET)? {
        Some(sheet) => {
            let (meta, fatal) = check_metadata(&sheet, def, expected, &mut problems, &mut notices);
            if fatal {
                return Err(UploadError::new(problems));
            }
            meta
        }
        None => {
            problems.push(UploadProblem::file("missing_sheet", vec![("sheet", META_SHEET.to_owned())]));
            None
        }
    };

    // The form sheet: by its name in either language, else the first visible sheet with a header.
    let named: Vec<String> = Lang::ALL
        .iter()
        .map(|l| form_sheet_name(*l))
        .filter_map(|n| book.sheets().iter().find(|s| s.name.to_lowercase() == n.to_lowercase()))
        .map(|s| s.name.clone())
        .collect();
    let others: Vec<String> = book
        .sheets()
        .iter()
        .filter(|s| !s.hidden && s.name != META_SHEET && !named.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    let mut form = None;
    for name in named.iter().chain(&others) {
        let Some(sheet) = book.sheet(name)? else { continue };
        if let Some((row, columns)) = find_header(&sheet) {
            form = Some((sheet, row, columns));
            break;
        }
    }
    let Some((sheet, header_row, found)) = form else {
        problems.push(match named.first() {
            Some(name) => {
                UploadProblem { sheet: Some(name.clone()), ..UploadProblem::file("header_not_found", Vec::new()) }
            }
            None => UploadProblem::file(
                "missing_sheet",
                vec![("sheet", form_sheet_name(meta.as_ref().and_then(|m| m.lang).unwrap_or_default()).to_owned())],
            ),
        });
        return Err(UploadError::new(problems));
    };

    let mut columns: HashMap<FormColumn, u32> = HashMap::new();
    for c in FormColumn::ALL {
        match found.get(&c).map(Vec::as_slice) {
            None | Some([]) if c.required() => {
                let problem = UploadProblem {
                    sheet: Some(sheet.name.clone()),
                    row: Some(header_row + 1),
                    ..UploadProblem::file("missing_column", Vec::new())
                };
                problems
                    .push(problem.with_arg("column", c.title(meta.as_ref().and_then(|m| m.lang).unwrap_or_default())));
            }
            None | Some([]) => {}
            Some([col, rest @ ..]) => {
                for again in rest {
                    problems.push(
                        UploadProblem::at("duplicate_column", &sheet.name, header_row, *again)
                            .with_arg("column", sheet.text(header_row, *again).unwrap_or_default()),
                    );
                }
                if *col != u32::from(c.index()) {
                    notices.push(
                        UploadProblem::at("header_moved", &sheet.name, header_row, *col)
                            .with_arg("column", sheet.text(header_row, *col).unwrap_or_default())
                            .with_arg("expected", column_letter(u32::from(c.index())))
                            .with_arg("found", column_letter(*col)),
                    );
                }
                columns.insert(c, *col);
            }
        }
    }
    let (Some(&code_col), Some(&value_col)) = (columns.get(&FormColumn::Code), columns.get(&FormColumn::Value)) else {
        return Err(UploadError::new(problems));
    };

    let mut inputs = HashMap::new();
    let mut cells: HashMap<String, (u32, u32)> = HashMap::new();
    for r in header_row + 1..=sheet.last_row().unwrap_or(header_row) {
        let code = match sheet.get(r, code_col) {
            Some(CellValue::Text(t)) if !t.trim().is_empty() => t.trim().to_owned(),
            Some(CellValue::Number(n)) => vietnamese_number(*n, false),
            _ => continue,
        };
        let Some(field) = def.field(&code) else {
            problems.push(UploadProblem::at("unknown_field", &sheet.name, r, code_col).with_arg("code", code));
            continue;
        };
        if let Some((first, _)) = cells.get(&code) {
            problems.push(
                UploadProblem::at("duplicate_field", &sheet.name, r, code_col)
                    .with_field(&code)
                    .with_arg("code", code.clone())
                    .with_arg("first_row", (first + 1).to_string()),
            );
            continue;
        }
        cells.insert(code.clone(), (r, value_col));
        let text = match sheet.get(r, value_col) {
            None => String::new(),
            Some(cell) => match typed_text(field.kind, cell) {
                Ok(text) => text,
                Err(error) => {
                    problems.push(
                        UploadProblem::at("cell_error", &sheet.name, r, value_col)
                            .with_field(&code)
                            .with_arg("error", error),
                    );
                    String::new()
                }
            },
        };
        inputs.insert(code, text);
    }
    for f in def.fields().filter(|f| !cells.contains_key(&f.code)) {
        problems.push(
            UploadProblem {
                sheet: Some(sheet.name.clone()),
                column: Some(column_letter(code_col)),
                ..UploadProblem::file("missing_field", vec![("code", f.code.clone())])
            }
            .with_field(&f.code),
        );
    }

    let meta = match meta {
        Some(meta) if problems.is_empty() => meta,
        _ => {
            if problems.is_empty() {
                // Not reached: a record that could not be read has said why. Never refuse in silence.
                problems.push(UploadProblem::file("not_a_form", Vec::new()));
            }
            return Err(UploadError::new(problems));
        }
    };
    sort_problems(&mut notices);
    Ok(FormUpload {
        template_code: meta.template_code,
        template_version: meta.template_version,
        org_id: meta.org_id,
        period: meta.period,
        lang: meta.lang,
        sheet: sheet.name.clone(),
        inputs,
        notices,
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::reporting::field;

    #[test]
    fn numbers_excel_stored_read_back_as_typed_in_vietnamese() {
        assert_eq!(vietnamese_number(1_234_567.0, true), "1.234.567");
        assert_eq!(vietnamese_number(1234.5, true), "1.234,5");
        assert_eq!(vietnamese_number(-0.25, true), "-0,25");
        assert_eq!(vietnamese_number(0.1 + 0.2, true), "0,3", "Excel's 15 digits, not binary noise");
        assert_eq!(vietnamese_number(123_456_789.0, false), "123456789");
        for x in [0.0, 1.0, 999.0, 1000.0, 12.5, 1234.5678, 1e15, 3.0e-7, -42.125, 98_765_432_109.0] {
            let text = vietnamese_number(x, true);
            let back = field::parse(FieldKind::Decimal, &[], &text).unwrap().unwrap();
            assert_eq!(back, Value::Number(x), "{x} → {text}");
        }
    }

    #[test]
    fn cells_become_what_the_person_sees() {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(typed_text(FieldKind::Date, &CellValue::Date(date)), Ok("31/12/2025".into()));
        assert_eq!(typed_text(FieldKind::Percent, &CellValue::Percent(0.125)), Ok("12,5".into()));
        assert_eq!(typed_text(FieldKind::Percent, &CellValue::Percent(0.07)), Ok("7".into()));
        assert_eq!(typed_text(FieldKind::YesNo, &CellValue::Bool(true)), Ok("có".into()));
        assert_eq!(typed_text(FieldKind::YesNo, &CellValue::Number(0.0)), Ok("không".into()));
        assert_eq!(typed_text(FieldKind::Text, &CellValue::Number(84_912_345.0)), Ok("84912345".into()));
        assert_eq!(typed_text(FieldKind::Integer, &CellValue::Error("#DIV/0!".into())), Err("#DIV/0!".into()));
    }
}
