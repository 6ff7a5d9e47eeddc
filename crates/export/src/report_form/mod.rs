//! Report forms as Excel workbooks (issue 7): a form to download, pre-filled with the organisation,
//! the period and the values already entered, and the same form read back after an official filled
//! it in Excel or LibreOffice.
//!
//! The workbook has two sheets:
//!
//! - **`Biểu mẫu`** (`Form` in English): a header block (the template's name and code, the
//!   organisation, the period, the due date, one line of instructions), then a table with the
//!   columns STT · Mã số · Chỉ tiêu · Đơn vị tính · Giá trị · Hướng dẫn: one heading row per
//!   section (I, II, … with the title merged across) and one row per field. Only the value cells
//!   (yellow) are unlocked; the sheet is protected without a password, so nothing is moved by
//!   accident, and an official who unprotects it can still move columns: they are found again by
//!   their header text.
//! - **`_tiendo`** (hidden, protected): what the form was made for (template code and version,
//!   organisation id, period code, language) and the lists behind the choice drop-downs.
//!
//! Reading ([`read_report_form`]) checks the whole file before anything is kept and returns every
//! problem at once, each with its sheet, row and column letter and a stable code that the web
//! layer translates; the values themselves are then checked by core's
//! [`read_values`](tiendo_core::reporting::read_values), whose problems [`FormUpload::locate`] puts
//! back on their cells.

mod read;
mod write;

use std::fmt;

use tiendo_core::lang::Lang;
use tiendo_core::reporting::Period;

pub use read::{FormUpload, read_report_form};
pub use write::write_report_form;

/// The name of the hidden sheet that records what a form was made for.
pub const META_SHEET: &str = "_tiendo";

/// The value of the `format` key on the hidden sheet, so an unrelated workbook with a sheet of the
/// same name is not mistaken for a form.
pub const FORMAT_TAG: &str = "tiendo.report_form.v1";

/// What a downloaded form is for: recorded in the workbook and checked when it comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormTarget {
    /// The version of the template the form was made from (the template's code is in its
    /// definition).
    pub template_version: u32,
    /// The reporting organisation's stable id.
    pub org_id: String,
    /// The period reported on.
    pub period: Period,
}

/// The header block of a form to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormHeading {
    /// What the form is for.
    pub target: FormTarget,
    /// The organisation's name as shown (`UBND phường Hạ Long`).
    pub org_name: String,
    /// The due date, when there is one.
    pub due_date: Option<chrono::NaiveDate>,
}

/// The columns of the form's table, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FormColumn {
    Number,
    Code,
    Label,
    Unit,
    Value,
    Help,
}

impl FormColumn {
    pub(crate) const ALL: [FormColumn; 6] = [
        FormColumn::Number,
        FormColumn::Code,
        FormColumn::Label,
        FormColumn::Unit,
        FormColumn::Value,
        FormColumn::Help,
    ];

    /// Its 0-based position in a form as written.
    pub(crate) fn index(self) -> u16 {
        FormColumn::ALL.iter().position(|c| *c == self).unwrap_or(0) as u16
    }

    pub(crate) fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FormColumn::Number, Lang::Vi) => "STT",
            (FormColumn::Code, Lang::Vi) => "Mã số",
            (FormColumn::Label, Lang::Vi) => "Chỉ tiêu",
            (FormColumn::Unit, Lang::Vi) => "Đơn vị tính",
            (FormColumn::Value, Lang::Vi) => "Giá trị",
            (FormColumn::Help, Lang::Vi) => "Hướng dẫn",
            (FormColumn::Number, Lang::En) => "No.",
            (FormColumn::Code, Lang::En) => "Code",
            (FormColumn::Label, Lang::En) => "Item",
            (FormColumn::Unit, Lang::En) => "Unit",
            (FormColumn::Value, Lang::En) => "Value",
            (FormColumn::Help, Lang::En) => "Guidance",
        }
    }

    /// Whether a header cell names this column (in either language, ignoring case and marks).
    pub(crate) fn matches(self, header: &str) -> bool {
        let folded = tiendo_core::text::fold(header.trim());
        Lang::ALL.iter().any(|l| tiendo_core::text::fold(self.title(*l)) == folded)
    }

    /// Whether reading needs the column: the code says which field a row is, the value is what
    /// was typed. The others are for the person filling the form.
    pub(crate) fn required(self) -> bool {
        matches!(self, FormColumn::Code | FormColumn::Value)
    }
}

/// The name of the form sheet in a language.
pub(crate) fn form_sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Biểu mẫu",
        Lang::En => "Form",
    }
}

/// One problem with an uploaded form: a stable code, where it is (as precisely as known) and the
/// arguments of its message.
///
/// Codes of the file and its layout: `not_xlsx` (`detected`: `xls`, `ods`, `zip`, `unknown`),
/// `encrypted`, `too_large` (`limit_mb`), `damaged` (`part`), `missing_sheet` (`sheet`),
/// `not_a_form`, `metadata_damaged` (`key`), `wrong_template` (`found`, `expected`),
/// `wrong_organisation` (`found`, `expected`), `wrong_period` (`found`, `expected`: period codes),
/// `header_not_found`, `missing_column` (`column`), `duplicate_column` (`column`), `unknown_field`
/// (`code`), `duplicate_field` (`code`, `first_row`), `missing_field` (`code`), `cell_error`
/// (`error`: `#DIV/0!`…). Notices (the upload is still read): `header_moved` (`column`,
/// `expected`, `found`: column letters), `template_version_changed` (`found`, `expected`). Codes of
/// values are core's ([`ValueProblem`](tiendo_core::reporting::ValueProblem)): `not_a_number`,
/// `number_grouping`, `not_whole`, `not_yes_no`, `not_a_choice`, `date_format`, `required`,
/// `below_min`, `above_max`, `pattern`, `rule`, with their arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProblem {
    /// The stable code.
    pub code: &'static str,
    /// The sheet, when the problem is on one.
    pub sheet: Option<String>,
    /// The 1-based row, when the problem is on one.
    pub row: Option<u32>,
    /// The column letter (`E`), when the problem is in one.
    pub column: Option<String>,
    /// The field's code, when the problem is about one field.
    pub field: Option<String>,
    /// Message arguments.
    pub args: Vec<(&'static str, String)>,
}

impl UploadProblem {
    /// A problem of the whole file.
    pub(crate) fn file(code: &'static str, args: Vec<(&'static str, String)>) -> UploadProblem {
        UploadProblem { code, sheet: None, row: None, column: None, field: None, args }
    }

    /// A problem at a cell (0-based row and column).
    pub(crate) fn at(code: &'static str, sheet: &str, row: u32, col: u32) -> UploadProblem {
        UploadProblem {
            code,
            sheet: Some(sheet.to_owned()),
            row: Some(row + 1),
            column: Some(crate::xlsx_read::column_letter(col)),
            field: None,
            args: Vec::new(),
        }
    }

    pub(crate) fn with_field(mut self, field: &str) -> UploadProblem {
        self.field = Some(field.to_owned());
        self
    }

    pub(crate) fn with_arg(mut self, key: &'static str, value: impl Into<String>) -> UploadProblem {
        self.args.push((key, value.into()));
        self
    }

    /// The cell in A1 notation (`E12`) when both row and column are known.
    pub fn cell(&self) -> Option<String> {
        Some(format!("{}{}", self.column.as_ref()?, self.row?))
    }

    /// The value of a message argument.
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    fn sort_key(&self) -> (bool, Option<&str>, u32, usize, String) {
        let col = self.column.clone().unwrap_or_default();
        (self.sheet.is_some(), self.sheet.as_deref(), self.row.unwrap_or(0), col.len(), col)
    }
}

impl fmt::Display for UploadProblem {
    /// English, for logs: `Biểu mẫu!E12 (staff_total): not_a_number`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, self.row, &self.column) {
            (Some(s), Some(r), Some(c)) => write!(f, "{s}!{c}{r}: ")?,
            (Some(s), Some(r), None) => write!(f, "{s}, row {r}: ")?,
            (Some(s), None, Some(c)) => write!(f, "{s}, column {c}: ")?,
            (Some(s), None, None) => write!(f, "{s}: ")?,
            _ => {}
        }
        if let Some(field) = &self.field {
            write!(f, "({field}) ")?;
        }
        f.write_str(self.code)?;
        for (k, v) in &self.args {
            write!(f, " {k}={v:?}")?;
        }
        Ok(())
    }
}

/// Why an uploaded form was refused: every problem found, in sheet, row and column order (problems
/// of the whole file first). Nothing of the upload is to be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the uploaded form has {} problem(s): {}", problems.len(), summary(problems))]
pub struct UploadError {
    /// The problems, sorted.
    pub problems: Vec<UploadProblem>,
}

fn summary(problems: &[UploadProblem]) -> String {
    let shown: Vec<String> = problems.iter().take(5).map(ToString::to_string).collect();
    let more = if problems.len() > 5 { format!("; and {} more", problems.len() - 5) } else { String::new() };
    format!("{}{more}", shown.join("; "))
}

impl UploadError {
    /// The problems, sorted by sheet, row and column (file-wide ones first).
    pub fn new(mut problems: Vec<UploadProblem>) -> UploadError {
        sort_problems(&mut problems);
        UploadError { problems }
    }

    /// The codes, in order (for tests and logs).
    pub fn codes(&self) -> Vec<&'static str> {
        self.problems.iter().map(|p| p.code).collect()
    }
}

pub(crate) fn sort_problems(problems: &mut [UploadProblem]) {
    problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

impl From<crate::xlsx_read::ReadError> for UploadError {
    fn from(e: crate::xlsx_read::ReadError) -> UploadError {
        use crate::xlsx_read::ReadError;
        let problem = match e {
            ReadError::NotXlsx(kind) => UploadProblem::file("not_xlsx", vec![("detected", kind.code().to_owned())]),
            ReadError::Encrypted => UploadProblem::file("encrypted", Vec::new()),
            ReadError::TooLarge { limit, .. } => {
                UploadProblem::file("too_large", vec![("limit_mb", (limit / (1024 * 1024)).to_string())])
            }
            ReadError::Damaged { part, .. } => UploadProblem::file("damaged", vec![("part", part)]),
        };
        UploadError::new(vec![problem])
    }
}
