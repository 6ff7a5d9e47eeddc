//! The one error type of the export engine.
//!
//! Every variant names what is wrong (the field, the cell, the image, the font file) so the
//! message can be shown to the administrator or the officer as it is. An export either returns
//! complete bytes or one of these errors: writers build the whole file in memory (or in a temporary
//! file for large spreadsheets) and nothing partial is ever handed back.

use std::path::PathBuf;

/// What is wrong with the syntax of a template (see [`ExportError::TemplateSyntax`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxProblem {
    /// A `{{` without its `}}`.
    #[error("`{{{{` without `}}}}`")]
    UnclosedPlaceholder,
    /// `{{#each}}`, `{{/each}}` or an empty `{{}}` inside a line of text: the first two must stand
    /// alone on their line.
    #[error("`{{{{{0}}}}}` must stand alone on its line")]
    MisplacedBlock(String),
    /// A list field used as a value; it needs `{{#each list as item}}`.
    #[error("`{0}` is a list: use {{{{#each {0} as x}}}}")]
    ListWithoutEach(String),
    /// A loop not written `{{#each list as item}}`.
    #[error("write `{{{{#each list as item}}}}`")]
    EachSyntax,
    /// A loop over a field that is not a list.
    #[error("`{0}` is not a list")]
    NotAList(String),
    /// A `{{/each}}` without an open loop.
    #[error("`{{{{/each}}}}` without `{{{{#each}}}}`")]
    UnmatchedEndEach,
    /// A `{{#each}}` never closed.
    #[error("`{{{{#each}}}}` without `{{{{/each}}}}`")]
    UnclosedEach,
    /// A line before `---` that is not `key: value`.
    #[error("expected `key: value`")]
    SettingSyntax,
    /// A setting other than `summary` and `recipient`.
    #[error("unknown setting `{0}`")]
    UnknownSetting(String),
}

impl SyntaxProblem {
    /// A stable snake_case code for messages and the API (`unclosed_placeholder`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            SyntaxProblem::UnclosedPlaceholder => "unclosed_placeholder",
            SyntaxProblem::MisplacedBlock(_) => "misplaced_block",
            SyntaxProblem::ListWithoutEach(_) => "list_without_each",
            SyntaxProblem::EachSyntax => "each_syntax",
            SyntaxProblem::NotAList(_) => "not_a_list",
            SyntaxProblem::UnmatchedEndEach => "unmatched_end_each",
            SyntaxProblem::UnclosedEach => "unclosed_each",
            SyntaxProblem::SettingSyntax => "setting_syntax",
            SyntaxProblem::UnknownSetting(_) => "unknown_setting",
        }
    }

    /// The name the problem is about (the list, the field, the setting, the misplaced
    /// marker), if any.
    pub fn subject(&self) -> Option<&str> {
        match self {
            SyntaxProblem::MisplacedBlock(s)
            | SyntaxProblem::ListWithoutEach(s)
            | SyntaxProblem::NotAList(s)
            | SyntaxProblem::UnknownSetting(s) => Some(s),
            _ => None,
        }
    }
}

/// What can go wrong while building or writing a document.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A template names a field that its document kind does not declare.
    #[error("unknown field `{field}` in the template of `{kind}` (line {line})")]
    UnknownField {
        /// The document kind whose field list was checked.
        kind: String,
        /// The placeholder as written, e.g. `visit.dat`.
        field: String,
        /// 1-based line of the template where it appears.
        line: usize,
    },
    /// A template cannot be parsed (an unclosed `{{`, an `{{#each}}` without `{{/each}}`...).
    #[error("template syntax error on line {line}: {problem}")]
    TemplateSyntax {
        /// 1-based line of the template.
        line: usize,
        /// What is wrong; its `Display` is English for the log, and the UI maps
        /// [`SyntaxProblem::code`] to a message in the user's language.
        problem: SyntaxProblem,
    },
    /// The record given to a template lacks a value for a declared field.
    #[error("no value for field `{field}`")]
    MissingValue {
        /// The field path, e.g. `visit.date`.
        field: String,
    },
    /// A field value is longer than its declaration allows.
    #[error("field `{field}` is {len} characters long; at most {max} fit")]
    FieldTooLong {
        /// The field path.
        field: String,
        /// Its length in characters.
        len: usize,
        /// The declared maximum.
        max: usize,
    },
    /// A spreadsheet cell is longer than Excel accepts (32,767 characters).
    #[error("cell {cell} of sheet `{sheet}` holds {len} characters; a cell holds at most {max}")]
    CellTooLong {
        /// The sheet name.
        sheet: String,
        /// The cell in A1 notation, e.g. `C12`.
        cell: String,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A fixed text of a spreadsheet (its sheet name, a title, a header, a note) is a message key
    /// left untranslated, which a reader must never see: a bug of the caller.
    #[error("{place} of sheet `{sheet}` is `{text}`, which looks like an untranslated message key")]
    UntranslatedText {
        /// The sheet name.
        sheet: String,
        /// Where: `the sheet name`, `title line 1`, `the header of column 2`, `a note`.
        place: String,
        /// The text as given.
        text: String,
    },
    /// A table row does not fit on one page even when it starts a page.
    #[error("row {row} of table {table} is taller than a page; shorten the text of its cells")]
    RowTooTall {
        /// 1-based index of the table in the document.
        table: usize,
        /// 1-based index of the row in the table body.
        row: usize,
    },
    /// A table's cells do not add up to its columns.
    #[error("table {table}, row {row}: {message}")]
    TableShape {
        /// 1-based index of the table in the document.
        table: usize,
        /// 1-based row index (header rows first).
        row: usize,
        /// What does not add up.
        message: String,
    },
    /// An image's bytes are not a PNG or JPEG that can be decoded.
    #[error("image `{name}` cannot be decoded: {reason}")]
    ImageDecode {
        /// The image's name (file name or caption) as given by the caller.
        name: String,
        /// The decoder's reason.
        reason: String,
    },
    /// A chart's data cannot be drawn (no category, series of different lengths, negative values
    /// in a donut...).
    #[error("chart `{title}` cannot be drawn: {reason}")]
    ChartData {
        /// The chart title.
        title: String,
        /// What is wrong with the data.
        reason: String,
    },
    /// The font needed for PDF output is not installed.
    #[error(
        "missing font: {family} was not found (looked in {searched}); install the Debian package \
         `{package}` or set TIENDO_FONT_DIR to a folder holding {file}"
    )]
    MissingFont {
        /// The family, e.g. `Liberation Serif`.
        family: String,
        /// The file that was looked for, e.g. `LiberationSerif-Regular.ttf`.
        file: String,
        /// The folders searched, comma-separated.
        searched: String,
        /// The Debian package that provides it.
        package: String,
    },
    /// A font file exists but cannot be parsed or lacks a glyph for Vietnamese text.
    #[error("font file {path} is not usable: {reason}")]
    BadFont {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The PDF library refused the document (should not happen; reported with its reason).
    #[error("PDF could not be written: {0}")]
    Pdf(String),
    /// The spreadsheet library refused the workbook.
    #[error("XLSX could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The DOCX container could not be written.
    #[error("DOCX could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Reading a font or writing a temporary file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}
