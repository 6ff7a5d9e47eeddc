//! Photos and documents of a visit: uploaded through a form, checked by content (a "photo" must be a
//! PNG, JPEG or WebP image whatever its name says), stored content-addressed, attached to the visit or one
//! of its stops with a caption and, for a photo, an alternative text.

use askama::Template;
use axum::extract::Path;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use tiendo_core::files::sniff;
use tiendo_core::text::normalize_input;
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::visits::{self, NewFile};

use super::show::stop_label;
use crate::error::{AppError, FieldError};
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::monitoring::uploads::{self, MAX_FILE_BYTES, UploadProblem};

/// The longest caption or alternative text.
const TEXT_MAX: usize = 500;

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct FileForm {
    kind: String,
    caption: String,
    alt: String,
    stop_id: String,
}

#[derive(Template)]
#[template(path = "visits/file_form.html")]
struct FilePage {
    layout: Layout,
    visit_id: i64,
    visit_title: String,
    form: FileForm,
    stops: Vec<(i64, String)>,
    errors: FormErrors,
}

async fn page(
    ctx: &Ctx,
    visit: &tiendo_db::visits::Visit,
    form: FileForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let stops = visits::stops(ctx.state.db(), visit.id).await?.iter().map(|s| (s.id, stop_label(s))).collect();
    let page = FilePage {
        layout: ctx.layout("visit-file-add"),
        visit_id: visit.id,
        visit_title: visit.title.clone(),
        form,
        stops,
        errors: FormErrors::from_fields(errors, &ctx.tr),
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /visits/{id}/files/new`.
pub async fn new_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let visit = super::editable(&ctx, id).await?;
    let form = FileForm { kind: "photo".into(), ..FileForm::default() };
    page(&ctx, &visit, form, &[], StatusCode::OK).await
}

/// `POST /visits/{id}/files`: one photo or document.
pub async fn upload(ctx: Ctx, Path(id): Path<i64>, multipart: Multipart) -> Result<Response, AppError> {
    let visit = super::editable(&ctx, id).await?;
    let (fields, files, problems) = uploads::read_form(multipart, &["file"]).await?;
    let form = FileForm {
        kind: uploads::field(&fields, "kind").to_owned(),
        caption: uploads::field(&fields, "caption").to_owned(),
        alt: uploads::field(&fields, "alt").to_owned(),
        stop_id: uploads::field(&fields, "stop_id").to_owned(),
    };
    let mut errors = Vec::new();
    let photo = match form.kind.as_str() {
        "photo" => true,
        "document" => false,
        _ => {
            errors.push(FieldError::new("kind", "required"));
            false
        }
    };
    for p in &problems {
        let e = FieldError::new("file", p.code()).arg("name", p.name());
        errors.push(match p {
            UploadProblem::TooLarge(_) => e.arg("max", format!("{} MB", MAX_FILE_BYTES / (1024 * 1024))),
            UploadProblem::ForbiddenType(_) => e,
        });
    }
    let upload = files.into_iter().next();
    let kind = match &upload {
        None if problems.is_empty() => {
            errors.push(FieldError::new("file", "required"));
            None
        }
        None => None,
        Some(u) => match sniff(&u.bytes) {
            Some(k) if photo && !k.is_image() => {
                errors.push(FieldError::new("file", "photo_not_image").arg("name", &u.name));
                None
            }
            None if photo => {
                errors.push(FieldError::new("file", "photo_not_image").arg("name", &u.name));
                None
            }
            None => {
                errors.push(FieldError::new("file", "file_type").arg("name", &u.name));
                None
            }
            Some(k) => Some(k),
        },
    };
    let caption = normalize_input(&form.caption);
    let alt = normalize_input(&form.alt);
    if photo && alt.is_empty() {
        errors.push(FieldError::new("alt", "alt_required"));
    }
    for (field, value) in [("caption", &caption), ("alt", &alt)] {
        if value.chars().count() > TEXT_MAX {
            errors.push(FieldError::new(field, "too_long").arg("max", TEXT_MAX));
        }
    }
    let stops = visits::stops(ctx.state.db(), visit.id).await?;
    let stop_id = match form.stop_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>().ok().filter(|s| stops.iter().any(|stop| stop.id == *s)) {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new("stop_id", "invalid"));
                None
            }
        },
    };
    let (Some(upload), Some(kind), true) = (upload, kind, errors.is_empty()) else {
        return page(&ctx, &visit, form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let by = ctx.auth.user.as_ref().map(|u| u.id);
    let tx = ctx.state.db().begin().await?;
    let stored = uploads::store(&ctx.state, &tx, &upload, kind, by).await?;
    let new = NewFile {
        stop_id,
        attachment_id: stored.id,
        kind: if photo { "photo" } else { "document" },
        caption: (!caption.is_empty()).then_some(caption),
        alt_text: (photo && !alt.is_empty()).then_some(alt),
        uploaded_by: by,
    };
    let file_id = visits::add_file(&tx, visit.id, &new, Utc::now()).await?;
    let event =
        NewEvent::new("attach", "visit", visit.id, format!("Đính kèm {} vào đoàn công tác", stored.original_name))
            .with_changes(vec![
                Change::new("file", None::<String>, &stored.original_name),
                Change::new("kind", None::<String>, new.kind),
                Change::new("caption", None::<String>, &new.caption),
            ]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/visits/{}?done=file#file-{file_id}", visit.id)).into_response())
}

/// `POST /visits/{id}/files/{file}/delete`: detaches a file.
pub async fn remove(ctx: Ctx, Path((id, file_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let visit = super::editable(&ctx, id).await?;
    let file = visits::file(ctx.state.db(), visit.id, file_id).await?.ok_or(AppError::NotFound)?;
    let tx = ctx.state.db().begin().await?;
    visits::remove_file(&tx, visit.id, file_id).await?;
    let event = NewEvent::new("detach", "visit", visit.id, format!("Gỡ {} khỏi đoàn công tác", file.original_name))
        .with_changes(vec![Change::new("file", &file.original_name, None::<String>)]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/visits/{}?done=removed#files", visit.id)).into_response())
}
