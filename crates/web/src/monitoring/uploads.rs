//! Uploaded files: read from a multipart form with a size limit, checked by content, stored by their
//! SHA-256, and served only to those who may see the record they belong to.

use crate::extract::Multipart;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::files::{FileKind, sniff};
use tiendo_db::files;

use crate::error::AppError;
use crate::extract::Path;
use crate::layout::Ctx;

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A file received in a form.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name it was sent under (path parts removed).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadProblem {
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(String),
    /// Not a kind of file we accept, by its content.
    ForbiddenType(String),
}

impl UploadProblem {
    /// The field error code.
    pub fn code(&self) -> &'static str {
        match self {
            UploadProblem::TooLarge(_) => "file_too_large",
            UploadProblem::ForbiddenType(_) => "file_type",
        }
    }

    /// The file's name.
    pub fn name(&self) -> &str {
        match self {
            UploadProblem::TooLarge(n) | UploadProblem::ForbiddenType(n) => n,
        }
    }
}

/// The text fields and the files of a multipart form. A file over the limit is kept as a problem, not an
/// error, so that the form can be shown again with everything else.
pub async fn read_form(
    mut form: Multipart,
    file_fields: &[&str],
) -> Result<(Vec<(String, String)>, Vec<Upload>, Vec<UploadProblem>), AppError> {
    let mut fields = Vec::new();
    let mut uploads = Vec::new();
    let mut problems = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|e| crate::extract::multipart_error(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if file_fields.contains(&name.as_str()) {
            let file_name =
                field.file_name().unwrap_or_default().rsplit(['/', '\\']).next().unwrap_or_default().to_owned();
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field.chunk().await.map_err(|e| crate::extract::multipart_error(&e))? {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    too_large = true;
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if too_large {
                problems.push(UploadProblem::TooLarge(file_name));
            } else {
                uploads.push(Upload { name: file_name, bytes });
            }
        } else {
            let text = field.text().await.map_err(|e| crate::extract::multipart_error(&e))?;
            fields.push((name, text));
        }
    }
    Ok((fields, uploads, problems))
}

/// Checks the files by content; returns the kinds or the problems.
pub fn check(uploads: &[Upload]) -> (Vec<(usize, FileKind)>, Vec<UploadProblem>) {
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    for (i, u) in uploads.iter().enumerate() {
        match sniff(&u.bytes) {
            Some(kind) => ok.push((i, kind)),
            None => problems.push(UploadProblem::ForbiddenType(u.name.clone())),
        }
    }
    (ok, problems)
}

/// The value of a text field of a multipart form.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Whether the caller may download an attachment: a legal document's file or a progress update's
/// evidence by the rules of monitoring, a visit's file by those of working visits.
async fn may_read(ctx: &Ctx, attachment_id: i64) -> Result<bool, AppError> {
    if ctx.auth.user.is_none() {
        return Ok(false);
    }
    Ok(tiendo_app::monitoring::files::may_read(ctx.state.app(), ctx.auth.session(), attachment_id).await?
        || crate::visits::may_read_file(&ctx.state, &ctx.auth, attachment_id).await?
        || crate::sci_tech::may_read_file(&ctx.state, &ctx.auth, attachment_id).await?
        || crate::certificates::may_read_file(&ctx.state, &ctx.auth, attachment_id).await?)
}

/// `GET /files/{id}/{name}`: a stored file, to those who may see it.
pub async fn serve(ctx: Ctx, Path((id, _name)): Path<(i64, String)>) -> Result<Response, AppError> {
    let attachment = files::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    if !may_read(&ctx, id).await? {
        return Err(if ctx.auth.user.is_none() { AppError::Unauthorized } else { AppError::NotFound });
    }
    let bytes = ctx.state.files().get(&attachment.sha256).await.map_err(|_| AppError::NotFound)?;
    let inline = sniff(&bytes).is_some_and(FileKind::is_inline);
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        crate::forms::url_encode(&attachment.original_name).replace('+', "%20")
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&attachment.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(response)
}
