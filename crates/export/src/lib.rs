//! Official documents and exports of Tiến Độ.
//!
//! - [`model`]: the document model of an official document (Nghị định 30/2020/NĐ-CP, or
//!   Hướng dẫn 36-HD/VPTW for Party documents).
//! - [`docx`] and [`pdf`]: the same document as DOCX and as PDF, carrying the same text.
//! - [`html()`]: the same document as an HTML fragment, for previews.
//! - [`xlsx`]: tabular reports as spreadsheets, streamed for large exports.
//! - [`report_form`]: report forms to fill in Excel and read back, every cell checked.
//! - [`aggregate_table`]: aggregated indicator tables (rows × periods) as spreadsheets.
//! - [`xlsx_read`]: a small, bounded XLSX reader for uploads.
//! - [`st_forms`]: the national information forms on S&T tasks (Thông tư 14/2014/TT-BKHCN,
//!   forms 1 and 12) as spreadsheets, one row per task or per application of a result.
//! - [`chart`]: bar, stacked bar, line and donut charts as SVG, in PDF and in DOCX.
//! - [`template`]: administrator-editable templates with placeholders checked against each
//!   document kind's declared fields.
//! - [`sample`]: the sample report of the demo data.
//! - [`placeholder`]: placeholder illustrations and badges drawn in code, for the demo and the tests.
//!
//! ```no_run
//! use tiendo_export::{docx, pdf, sample};
//!
//! let doc = sample::sample_report();
//! let bytes = docx(&doc).expect("valid document");
//! std::fs::write("bao-cao.docx", bytes).unwrap();
//! let fonts = pdf::FontSet::load_system().expect("fonts-liberation2 or fonts-croscore installed");
//! std::fs::write("bao-cao.pdf", pdf(&doc, &fonts).unwrap()).unwrap();
//! ```

pub mod aggregate_table;
pub mod chart;
#[cfg(feature = "checks")]
pub mod checks;
mod docx;
pub mod error;
mod flow;
mod html;
pub mod image;
pub mod kinds;
mod metrics;
pub mod model;
pub mod official;
pub mod pdf;
pub mod photo;
pub mod placeholder;
pub mod report_form;
pub mod sample;
pub mod sample_reporting;
mod sheet_print;
pub mod st_forms;
pub mod template;
mod word_groups;
pub mod xlsx;
pub mod xlsx_read;
mod xml;

pub use aggregate_table::{AggregateRow, AggregateTable, write_aggregate_table};
pub use error::ExportError;
pub use model::Document;
pub use report_form::{
    FormHeading, FormTarget, FormUpload, UploadError, UploadProblem, read_report_form, write_report_form,
};

/// The document as a DOCX file (Word 2007 and later, LibreOffice).
pub fn docx(doc: &Document) -> Result<Vec<u8>, ExportError> {
    docx::write(&flow::lower(doc)?)
}

/// The document as a PDF file, with `fonts` embedded (subset).
pub fn pdf(doc: &Document, fonts: &pdf::FontSet) -> Result<Vec<u8>, ExportError> {
    pdf::write(&flow::lower(doc)?, fonts)
}

/// The document as an HTML fragment for previews in the browser: the same text as the DOCX and
/// the PDF, laid out by the site's stylesheet through `doc-*` classes (no inline style).
pub fn html(doc: &Document) -> Result<String, ExportError> {
    html::write(doc)
}

/// The text of the document, one paragraph per line, in reading order: what both the DOCX and
/// the PDF contain (chart labels excepted). Used for snapshots and for comparing formats.
pub fn plain_text(doc: &Document) -> Result<String, ExportError> {
    Ok(flow::lower(doc)?.plain_text())
}
