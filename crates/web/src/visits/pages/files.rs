//! Photos and documents of a visit: uploaded through a form, checked by content (a "photo" must be a
//! PNG, JPEG or WebP image whatever its name says), stored content-addressed, attached to the visit or one
//! of its stops with a caption and, for a photo, an alternative text.

use crate::extract::Multipart;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::visits::{self as use_cases, NewVisitFile, Upload};
use tiendo_core::visits::VisitAction;
use tiendo_db::visits;

use super::show::stop_label;
use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::monitoring::uploads::{self, MAX_FILE_BYTES, UploadProblem};

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
    let opened = use_cases::open(ctx.state.app(), ctx.auth.session(), id).await?;
    opened.require(VisitAction::AddFile)?;
    let form = FileForm { kind: "photo".into(), ..FileForm::default() };
    page(&ctx, &opened.visit, form, &[], StatusCode::OK).await
}

/// `POST /visits/{id}/files`: one photo or document.
pub async fn upload(ctx: Ctx, Path(id): Path<i64>, multipart: Multipart) -> Result<Response, AppError> {
    let (fields, files, problems) = uploads::read_form(multipart, &["file"]).await?;
    let form = FileForm {
        kind: uploads::field(&fields, "kind").to_owned(),
        caption: uploads::field(&fields, "caption").to_owned(),
        alt: uploads::field(&fields, "alt").to_owned(),
        stop_id: uploads::field(&fields, "stop_id").to_owned(),
    };
    let received_problems = problems
        .iter()
        .map(|p| {
            let e = FieldError::new("file", p.code()).arg("name", p.name());
            match p {
                UploadProblem::TooLarge(_) => e.arg("max", format!("{} MB", MAX_FILE_BYTES / (1024 * 1024))),
                UploadProblem::ForbiddenType(_) => e,
            }
        })
        .collect();
    let input = NewVisitFile {
        kind: form.kind.clone(),
        caption: form.caption.clone(),
        alt: form.alt.clone(),
        stop_id: form.stop_id.clone(),
        file: files.into_iter().next().map(|u| Upload { name: u.name, bytes: u.bytes }),
        received_problems,
    };
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match use_cases::add_file(app, session, id, input).await {
        Ok(file_id) => Ok(Redirect::to(&format!("/visits/{id}?done=file#file-{file_id}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let visit = use_cases::open(app, session, id).await?.visit;
            page(&ctx, &visit, form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /visits/{id}/files/{file}/delete`: detaches a file.
pub async fn remove(ctx: Ctx, Path((id, file_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    use_cases::remove_file(ctx.state.app(), ctx.auth.session(), id, file_id).await?;
    Ok(Redirect::to(&format!("/visits/{id}?done=removed#files")).into_response())
}
