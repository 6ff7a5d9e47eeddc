//! Official documents for the modules: the active template of a document kind, filled with a record and
//! written as DOCX or PDF (issue 5; the template language and the administrator's workflow are described
//! in `docs/documents.md`).
//!
//! A module (reports, visits, councils, decisions, certificates) builds only a [`Record`], the values of
//! the fields its kind declares, and a [`Frame`], the issuer, number, date and signature, then calls
//! [`render`]. The text comes from the template an administrator saved at `/admin/templates/{kind}`, or
//! the program's default when none was saved:
//!
//! ```no_run
//! # async fn handler(state: tiendo_web::AppState) -> Result<axum::response::Response, tiendo_web::AppError> {
//! use axum::response::IntoResponse;
//! use tiendo_web::documents::{self, DocumentKind, Format, Record, Value};
//!
//! let record = Record::new()
//!     .text("org.name", "Sở Khoa học và Công nghệ")
//!     .text("host.name", "UBND thị xã Quảng Yên")
//!     .with("visit.date", Value::Date(chrono::NaiveDate::from_ymd_opt(2020, 2, 27).unwrap()));
//!     // ... every field of DocumentKind::ConclusionNotice.schema()
//! let frame = tiendo_export::sample::sample_frame(12); // in a module: built from the issuing organisation
//! let file = documents::render(&state, DocumentKind::ConclusionNotice, &record, frame, Format::Docx).await?;
//! Ok(file.into_response()) // an attachment named thong-bao-so-12-tb-skhcn.docx
//! # }
//! ```

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_export::{Document, ExportError};

use crate::error::{AppError, FieldError};
use crate::state::AppState;

pub use tiendo_app::document_templates::{
    ActiveTemplate, default_source, default_template, kind_by_id, normalize_source,
};
pub use tiendo_export::kinds::{DocumentKind, Frame};
pub use tiendo_export::template::{Record, Value};

/// The file formats of an official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (Office Open XML); needs no font on the server.
    Docx,
    /// PDF with the serif family embedded; needs Liberation Serif or Tinos on the server.
    Pdf,
}

impl Format {
    /// Parses `docx` or `pdf`.
    pub fn from_code(code: &str) -> Option<Format> {
        match code {
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// The MIME type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Pdf => "application/pdf",
        }
    }
}

/// A finished document file. As a response it is a download (`Content-Disposition: attachment`).
#[derive(Debug, Clone)]
pub struct DocumentFile {
    /// The file's bytes, complete.
    pub bytes: Vec<u8>,
    /// Its MIME type.
    pub content_type: &'static str,
    /// A file name in ASCII, from the document's type and number (`bao-cao-so-45-bc-skhcn.docx`).
    pub file_name: String,
}

impl IntoResponse for DocumentFile {
    fn into_response(self) -> Response {
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.file_name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
        let mut response = self.bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        headers.insert(header::CONTENT_DISPOSITION, disposition);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// The template documents of `kind` use now: the active saved version, else the default.
pub async fn active_template(state: &AppState, kind: DocumentKind) -> Result<ActiveTemplate, AppError> {
    Ok(tiendo_app::document_templates::active_template(state.app(), kind).await?)
}

/// Renders an official document of `kind` from `record` with the active template, as a complete file.
///
/// Errors: a value longer than its field allows is a 422 naming the field (`document_value_too_long`);
/// PDF without the fonts is a 503 `pdf_font_missing` carrying the export engine's message (DOCX needs
/// no font); a record that lacks a declared field is a programming error of the module (500, logged).
pub async fn render(
    state: &AppState,
    kind: DocumentKind,
    record: &Record,
    frame: Frame,
    format: Format,
) -> Result<DocumentFile, AppError> {
    let active = active_template(state, kind).await?;
    let doc = tiendo_export::kinds::build(kind, &active.template, record, frame).map_err(export_error)?;
    write(state, kind, doc, format).await
}

/// The file name of a document: its type and number in ASCII (`bao-cao-so-45-bc-skhcn.docx`).
pub fn file_name(kind: DocumentKind, doc: &Document, format: Format) -> String {
    let stem = tiendo_core::text::slugify(&format!("{} {}", kind.title(), doc.number.line(doc.system)), 80);
    format!("{stem}.{}", format.extension())
}

/// Writes a built document as a file, on the blocking pool (a long PDF takes a moment).
pub async fn write(
    state: &AppState,
    kind: DocumentKind,
    doc: Document,
    format: Format,
) -> Result<DocumentFile, AppError> {
    let state = state.clone();
    let file_name = file_name(kind, &doc, format);
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => tiendo_export::docx(&doc),
        Format::Pdf => tiendo_export::pdf(&doc, &state.pdf_fonts()?),
    })
    .await
    .map_err(AppError::internal)?
    .map_err(export_error)?;
    Ok(DocumentFile { bytes, content_type: format.content_type(), file_name })
}

/// Turns an export error into the web error: a field too long is a validation error naming the field, a
/// missing or unusable font a 503 with the engine's message, a problem with the content (an image that
/// does not decode, a table that does not add up) a 422 with the engine's message; the rest is internal.
pub fn export_error(err: ExportError) -> AppError {
    use axum::http::StatusCode;
    let document = |status, code| AppError::Document { status, code, detail: err.to_string() };
    match &err {
        ExportError::FieldTooLong { field, len, max } => AppError::Validation(vec![
            FieldError::new(field.clone(), "document_value_too_long")
                .arg("field", field)
                .arg("len", len)
                .arg("max", max),
        ]),
        ExportError::MissingFont { .. } => document(StatusCode::SERVICE_UNAVAILABLE, "pdf_font_missing"),
        ExportError::BadFont { .. } => document(StatusCode::SERVICE_UNAVAILABLE, "pdf_font_unusable"),
        ExportError::CellTooLong { .. }
        | ExportError::RowTooTall { .. }
        | ExportError::TableShape { .. }
        | ExportError::ImageDecode { .. }
        | ExportError::ChartData { .. } => document(StatusCode::UNPROCESSABLE_ENTITY, "document_content"),
        _ => AppError::internal(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_type_and_number() {
        let doc = tiendo_export::sample::sample_document(DocumentKind::Decision).unwrap();
        assert_eq!(file_name(DocumentKind::Decision, &doc, Format::Pdf), "quyet-dinh-so-102-qd-skhcn.pdf");
    }

    #[test]
    fn export_errors_become_web_errors_that_name_the_problem() {
        let too_long = export_error(ExportError::FieldTooLong { field: "enterprise.code".into(), len: 20, max: 14 });
        match too_long {
            AppError::Validation(fields) => {
                assert_eq!(
                    (fields[0].field.as_str(), fields[0].code.as_str()),
                    ("enterprise.code", "document_value_too_long")
                );
            }
            other => panic!("{other:?}"),
        }
        let font = export_error(ExportError::MissingFont {
            family: "Liberation Serif".into(),
            file: "LiberationSerif-Regular.ttf".into(),
            searched: "/nowhere".into(),
            package: "fonts-liberation2".into(),
        });
        assert_eq!((font.status().as_u16(), font.code()), (503, "pdf_font_missing"));
        assert!(font.to_string().contains("fonts-liberation2"));
        let missing = export_error(ExportError::MissingValue { field: "org.name".into() });
        assert_eq!(missing.code(), "internal_error");
    }
}
