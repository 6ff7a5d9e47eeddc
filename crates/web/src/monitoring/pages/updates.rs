//! Progress updates: the unit writes (a draft, or submitted at once) with evidence files and links; the
//! assigning side accepts or returns with a comment. Two officers deciding at once: the first wins, the
//! second is told who decided and when.

use askama::Template;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::monitoring::files::Upload;
use tiendo_app::monitoring::updates::{self as progress, UpdateDraft};
use tiendo_core::monitoring::UpdateStatus;
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::updates::{self, Update};

use super::assignments::detail;
use super::html;
use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::monitoring::uploads::{self, UploadProblem};
use crate::monitoring::{optional_date, show_date};

/// The update form as typed.
#[derive(Debug, Clone, Default)]
pub struct UpdateForm {
    narrative: String,
    percent: String,
    difficulties: String,
    recommendations: String,
    links: String,
    completion_claimed_on: String,
    version: String,
}

impl UpdateForm {
    fn from_fields(fields: &[(String, String)]) -> UpdateForm {
        let f = |k: &str| uploads::field(fields, k).to_owned();
        UpdateForm {
            narrative: f("narrative"),
            percent: f("percent"),
            difficulties: f("difficulties"),
            recommendations: f("recommendations"),
            links: f("links"),
            completion_claimed_on: f("completion_claimed_on"),
            version: f("version"),
        }
    }

    fn from_update(u: &Update) -> UpdateForm {
        UpdateForm {
            narrative: u.narrative.clone(),
            percent: u.percent.to_string(),
            difficulties: u.difficulties.clone().unwrap_or_default(),
            recommendations: u.recommendations.clone().unwrap_or_default(),
            links: u.links.clone().unwrap_or_default(),
            completion_claimed_on: show_date(u.completion_claimed_on),
            version: u.version.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "monitoring/update_form.html")]
struct FormPage {
    layout: Layout,
    assignment_id: i64,
    task: String,
    lead: String,
    update_id: Option<i64>,
    form: UpdateForm,
    errors: FormErrors,
    evidence: Vec<tiendo_db::files::Attachment>,
    returned_comment: String,
}

async fn form_page(
    ctx: &Ctx,
    row: &AssignmentRow,
    update: Option<&Update>,
    form: UpdateForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let evidence = match update {
        Some(u) => updates::evidence(ctx.state.db(), u.id).await?,
        None => Vec::new(),
    };
    let page = FormPage {
        layout: ctx.layout("update-form-title"),
        assignment_id: row.id,
        task: format!("{}. {}", row.task_code, row.task_title),
        lead: row.lead_name.clone(),
        update_id: update.map(|u| u.id),
        returned_comment: update
            .filter(|u| u.state() == UpdateStatus::Returned)
            .and_then(|u| u.decision_comment.clone())
            .unwrap_or_default(),
        form,
        errors,
        evidence,
    };
    html(&page, status)
}

/// `GET /assignments/{id}/updates/new`.
pub async fn new_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let row = progress::reporting_on(ctx.state.app(), ctx.auth.session(), id).await?.row;
    let form = UpdateForm { percent: row.percent.to_string(), ..UpdateForm::default() };
    form_page(&ctx, &row, None, form, FormErrors::new(), StatusCode::OK).await
}

impl UpdateForm {
    /// The draft with its files, and what could not be read (the percent, the date, a file over the limit).
    fn draft(&self, files: Vec<uploads::Upload>, problems: &[UploadProblem]) -> UpdateDraft {
        let mut unreadable = Vec::new();
        let percent = match self.percent.trim().trim_end_matches('%').trim() {
            "" => None,
            p => p.parse::<i64>().map_or_else(
                |_| {
                    unreadable.push(FieldError::new("percent", "percent_format"));
                    None
                },
                Some,
            ),
        };
        let completion_claimed_on = optional_date(&self.completion_claimed_on).unwrap_or_else(|code| {
            unreadable.push(FieldError::new("completion_claimed_on", code));
            None
        });
        if let Some(p) = problems.first() {
            unreadable.push(FieldError::new("evidence", p.code()).arg("name", p.name()).arg("max", "20 MB"));
        }
        UpdateDraft {
            narrative: self.narrative.clone(),
            percent,
            difficulties: Some(self.difficulties.clone()),
            recommendations: Some(self.recommendations.clone()),
            links: self.links.lines().map(str::to_owned).collect(),
            completion_claimed_on,
            evidence: files.into_iter().map(|u| Upload { name: u.name, bytes: u.bytes }).collect(),
            is_sample: false,
            unreadable,
        }
    }
}

/// The update form of a multipart body: its fields, the draft, and whether to submit.
async fn read(form: Multipart) -> Result<(UpdateForm, UpdateDraft, bool), AppError> {
    let (fields, files, problems) = uploads::read_form(form, &["evidence"]).await?;
    let values = UpdateForm::from_fields(&fields);
    let draft = values.draft(files, &problems);
    Ok((values, draft, uploads::field(&fields, "action") == "submit"))
}

/// `POST /assignments/{id}/updates`: a new update, saved as a draft or submitted (`action=submit`).
pub async fn create(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let row = progress::reporting_on(app, session, id).await?.row;
    let (values, draft, submit) = read(form).await?;
    match progress::create(app, session, id, &draft, submit).await {
        Ok(_) => {
            let done = if submit { "submitted" } else { "saved" };
            Ok(Redirect::to(&format!("/assignments/{id}?done={done}")).into_response())
        }
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(&ctx, &row, None, values, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /updates/{id}/edit`: a draft or a returned update, to correct.
pub async fn edit_form(ctx: Ctx, Path(update_id): Path<i64>) -> Result<Response, AppError> {
    let (update, assignment) = progress::editable(ctx.state.app(), ctx.auth.session(), update_id).await?;
    let form = UpdateForm::from_update(&update);
    form_page(&ctx, &assignment.row, Some(&update), form, FormErrors::new(), StatusCode::OK).await
}

/// `POST /updates/{id}/edit`: saves a draft or a returned update, and submits it with `action=submit`.
/// A stale version (someone changed it meanwhile) is refused with the input kept.
pub async fn edit(ctx: Ctx, Path(update_id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let row = progress::reporting_on(app, session, update.assignment_id).await?.row;
    let (mut values, draft, submit) = read(form).await?;
    let version = values.version.parse::<i64>().unwrap_or(update.version);
    match progress::edit(app, session, update_id, version, &draft, submit).await {
        Ok(()) => {
            let done = if submit { "submitted" } else { "saved" };
            Ok(Redirect::to(&format!("/assignments/{}?done={done}", row.id)).into_response())
        }
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(&ctx, &row, Some(&update), values, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code, args }) if code == "update_final" || code == "update_stale" => {
            let mut errors = FormErrors::new();
            errors.add("narrative", ctx.tr.t(&format!("field-{code}")));
            if let Some((_, current)) = args.iter().find(|(k, _)| *k == "version") {
                values.version.clone_from(current);
            }
            form_page(&ctx, &row, Some(&update), values, errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /updates/{id}/delete`: deletes a draft.
pub async fn delete(ctx: Ctx, Path(update_id): Path<i64>) -> Result<Response, AppError> {
    let assignment_id = progress::delete(ctx.state.app(), ctx.auth.session(), update_id).await?;
    Ok(Redirect::to(&format!("/assignments/{assignment_id}?done=deleted")).into_response())
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The arguments of the "already decided" messages in the request's language, from those of the
/// conflict (`status` code, `who`, `when` as RFC 3339).
pub fn already_decided_args(ctx: &Ctx, args: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let arg = |name: &str| args.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).unwrap_or_default();
    let when = chrono::DateTime::parse_from_rfc3339(arg("when"))
        .map(|t| tiendo_core::fmt::datetime(t.to_utc()))
        .unwrap_or_default();
    let who = if arg("who").is_empty() { "—" } else { arg("who") };
    vec![("status", ctx.tr.t(&format!("update-status-{}", arg("status")))), ("who", who.to_owned()), ("when", when)]
}

/// `POST /updates/{id}/decide`: accepts or returns a submitted update.
pub async fn decide(
    ctx: Ctx,
    Path(update_id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match progress::decide(app, session, update_id, &form.decision, Some(&form.comment)).await {
        Ok((_, row)) => {
            let done = if form.decision.trim() == "accept" { "accepted" } else { "returned" };
            Ok(Redirect::to(&format!("/assignments/{}?done={done}", row.id)).into_response())
        }
        Err(e) => {
            let (message, status) = match &e {
                tiendo_app::Error::Invalid(errors) if errors.iter().any(|e| e.field == "decision") => (
                    errors.iter().map(|e| crate::errors_render::field_message(e, &ctx.tr)).collect(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                tiendo_app::Error::Invalid(_) => {
                    (ctx.tr.t("update-return-needs-comment"), StatusCode::UNPROCESSABLE_ENTITY)
                }
                tiendo_app::Error::Conflict { code: "update_already_decided", args } => {
                    let args = already_decided_args(&ctx, args);
                    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    (ctx.tr.t_with("update-already-decided", &args), StatusCode::OK)
                }
                tiendo_app::Error::Conflict { code: "update_not_submitted", .. } => {
                    (ctx.tr.t("update-not-submitted"), StatusCode::OK)
                }
                _ => return Err(e.into()),
            };
            let assignment = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?.assignment_id;
            detail(&ctx, assignment, message, status).await
        }
    }
}
