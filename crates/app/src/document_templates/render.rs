//! Official documents (DOCX/PDF) rendered through the template of their kind in use now (see
//! [`active_template`]). A use case that produces a document (the notice of conclusions of a visit, …)
//! builds only the record and the frame, and renders them here.

use tiendo_export::kinds::{DocumentKind, Frame};
use tiendo_export::template::Record;

use super::active_template;
use crate::{App, Error, Result};

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

/// A finished official document.
#[derive(Debug, Clone)]
pub struct OfficialFile {
    /// The file's bytes, complete.
    pub bytes: Vec<u8>,
    /// Its MIME type.
    pub content_type: &'static str,
    /// A file name in ASCII, from the document's type and number (`thong-bao-so-tb-skhcn.docx`).
    pub file_name: String,
}

/// Renders an official document of `kind` from `record` with the template in use, as a complete file,
/// on the blocking pool (a long PDF takes a moment). `Export` errors say what is wrong (a value too long
/// for its field, no font for PDF, content that does not fit).
pub async fn render(
    app: &App,
    kind: DocumentKind,
    record: &Record,
    frame: Frame,
    format: Format,
) -> Result<OfficialFile> {
    render_with(app, kind, record, frame, Vec::new(), format).await
}

/// Renders an official document as [`render`] does, with `appendix` (tables a template cannot hold, such
/// as a council's scores) after the body the template gives but before its closing paragraph (`Biên bản
/// kết thúc lúc …`), which stays last, with the signature.
pub async fn render_with(
    app: &App,
    kind: DocumentKind,
    record: &Record,
    frame: Frame,
    appendix: Vec<tiendo_export::model::Block>,
    format: Format,
) -> Result<OfficialFile> {
    let template = active_template(app, kind).await?.template;
    let mut doc = tiendo_export::kinds::build(kind, &template, record, frame)?;
    let at = match doc.body.last() {
        Some(tiendo_export::model::Block::Paragraph(_)) => doc.body.len() - 1,
        _ => doc.body.len(),
    };
    doc.body.splice(at..at, appendix);
    let stem = tiendo_core::text::slugify(&format!("{} {}", kind.title(), doc.number.line(doc.system)), 80);
    let file_name = format!("{stem}.{}", format.extension());
    let app = app.clone();
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => tiendo_export::docx(&doc),
        Format::Pdf => tiendo_export::pdf(&doc, &app.pdf_fonts()?),
    })
    .await
    .map_err(Error::internal)??;
    Ok(OfficialFile { bytes, content_type: format.content_type(), file_name })
}
