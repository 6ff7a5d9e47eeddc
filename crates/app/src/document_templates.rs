//! Official documents (DOCX/PDF) from their editable templates: the template of a kind in use now (the
//! active saved version, else the program's default) and a record rendered through it as a complete file.
//! A use case that produces a document (the notice of conclusions of a visit, …) builds only the record
//! and the frame, and renders them here.

use tiendo_db::templates;
use tiendo_export::kinds::{DocumentKind, Frame};
use tiendo_export::template::{Record, Template};

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

/// The template documents of `kind` use now: the active saved version, else the default (also when the
/// saved version no longer parses against the kind's fields).
async fn active_template(app: &App, kind: DocumentKind) -> Result<Template> {
    // The default templates are checked against their kinds by the export crate's tests.
    let default = || Template::parse(&kind.schema(), kind.default_template()).map_err(Error::Export);
    let saved = templates::active(app.db(), kind.id()).await?.and_then(|v| v.source);
    match saved {
        None => default(),
        Some(text) => match Template::parse(&kind.schema(), &text) {
            Ok(template) => Ok(template),
            Err(err) => {
                tracing::warn!(kind = kind.id(), error = %err, "the saved template no longer parses; using the default");
                default()
            }
        },
    }
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
    let template = active_template(app, kind).await?;
    let doc = tiendo_export::kinds::build(kind, &template, record, frame)?;
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
