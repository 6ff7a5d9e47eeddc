//! Progress updates: the unit writes (a draft, or submitted at once) with evidence files and links; the
//! assigning side accepts or returns with a comment. Two officers deciding at once: the first wins, the
//! second is told who decided and when.

use askama::Template;
use axum::extract::Path;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tiendo_core::monitoring::update::allowed;
use tiendo_core::monitoring::{UpdateAction, UpdateSide, UpdateStatus};
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::monitoring::assignments::AssignmentRow;
use tiendo_db::monitoring::updates::{self, Update, UpdateContent};
use tiendo_db::orgtree;

use super::assignments::detail;
use super::service::updates::{self as service, ChangeRefusal, Decision, DecisionRefusal, UpdateDraft};
pub use super::service::updates::{own_update, reporter};
use super::uploads::{self, Upload};
use super::{optional_date, show_date};
use crate::error::{AppError, FieldError};
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};

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
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /assignments/{id}/updates/new`.
pub async fn new_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (row, _) = reporter(&ctx, id).await?;
    let form = UpdateForm { percent: row.percent.to_string(), ..UpdateForm::default() };
    form_page(&ctx, &row, None, form, FormErrors::new(), StatusCode::OK).await
}

impl UpdateForm {
    /// The draft, and what did not parse (the percent, the date) or was refused (the files).
    fn draft(&self, problems: &[uploads::UploadProblem]) -> (UpdateDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let percent = match self.percent.trim().trim_end_matches('%').trim() {
            "" => None,
            p => p.parse::<i64>().map_or_else(
                |_| {
                    errors.push(FieldError::new("percent", "percent_format"));
                    None
                },
                Some,
            ),
        };
        let completion_claimed_on = optional_date(&self.completion_claimed_on).unwrap_or_else(|code| {
            errors.push(FieldError::new("completion_claimed_on", code));
            None
        });
        if let Some(p) = problems.first() {
            errors.push(FieldError::new("evidence", p.code()).arg("name", p.name()).arg("max", "20 MB"));
        }
        let draft = UpdateDraft {
            narrative: self.narrative.clone(),
            percent,
            difficulties: Some(self.difficulties.clone()),
            recommendations: Some(self.recommendations.clone()),
            links: self.links.lines().map(str::to_owned).collect(),
            completion_claimed_on,
        };
        (draft, errors)
    }

    /// The content, or the errors translated for the form.
    fn content(
        &self,
        ctx: &Ctx,
        row: &AssignmentRow,
        problems: &[uploads::UploadProblem],
    ) -> Result<UpdateContent, FormErrors> {
        let (draft, parsed) = self.draft(problems);
        service::content(row, &draft, parsed).map_err(|fields| FormErrors::from_fields(&fields, &ctx.tr))
    }
}

/// Stores the files and attaches them to the update.
async fn attach_files(
    ctx: &Ctx,
    tx: &tiendo_db::Tx,
    update_id: i64,
    files: &[Upload],
    kinds: &[(usize, tiendo_core::files::FileKind)],
) -> Result<(), AppError> {
    for (i, kind) in kinds {
        let a = uploads::store(&ctx.state, tx, &files[*i], *kind, ctx.auth.user.as_ref().map(|u| u.id)).await?;
        updates::attach(tx, update_id, a.id).await?;
    }
    Ok(())
}

/// `POST /assignments/{id}/updates`: a new update, saved as a draft or submitted (`action=submit`).
pub async fn create(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (row, _) = reporter(&ctx, id).await?;
    let (fields, files, mut problems) = uploads::read_form(form, &["evidence"]).await?;
    let (kinds, bad) = uploads::check(&files);
    problems.extend(bad);
    let form_values = UpdateForm::from_fields(&fields);
    let content = match form_values.content(&ctx, &row, &problems) {
        Ok(c) => c,
        Err(errors) => return form_page(&ctx, &row, None, form_values, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let submit = uploads::field(&fields, "action") == "submit";
    let tx = ctx.state.db().begin().await?;
    let update_id = service::create(&ctx, &tx, &row, &content, submit).await?;
    attach_files(&ctx, &tx, update_id, &files, &kinds).await?;
    tx.commit().await?;
    let done = if submit { "submitted" } else { "saved" };
    Ok(Redirect::to(&format!("/assignments/{id}?done={done}")).into_response())
}

/// `GET /updates/{id}/edit`: a draft or a returned update, to correct.
pub async fn edit_form(ctx: Ctx, Path(update_id): Path<i64>) -> Result<Response, AppError> {
    let (update, row) = own_update(&ctx, update_id).await?;
    if !allowed(update.state(), UpdateAction::Edit, UpdateSide::Reporter) {
        return Err(AppError::Conflict { code: "update_final" });
    }
    form_page(&ctx, &row, Some(&update), UpdateForm::from_update(&update), FormErrors::new(), StatusCode::OK).await
}

/// `POST /updates/{id}/edit`: saves a draft or a returned update, and submits it with `action=submit`.
/// A stale version (someone changed it meanwhile) is refused with the input kept.
pub async fn edit(ctx: Ctx, Path(update_id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (update, row) = own_update(&ctx, update_id).await?;
    let (fields, files, mut problems) = uploads::read_form(form, &["evidence"]).await?;
    let (kinds, bad) = uploads::check(&files);
    problems.extend(bad);
    let form_values = UpdateForm::from_fields(&fields);
    if !allowed(update.state(), UpdateAction::Edit, UpdateSide::Reporter) {
        let mut errors = FormErrors::new();
        errors.add("narrative", ctx.tr.t("field-update_final"));
        return form_page(&ctx, &row, Some(&update), form_values, errors, StatusCode::CONFLICT).await;
    }
    let content = match form_values.content(&ctx, &row, &problems) {
        Ok(c) => c,
        Err(errors) => {
            return form_page(&ctx, &row, Some(&update), form_values, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let version = form_values.version.parse::<i64>().unwrap_or(update.version);
    let submit = uploads::field(&fields, "action") == "submit";
    let tx = ctx.state.db().begin().await?;
    match service::edit(&ctx, &tx, &update, &row, version, &content, submit).await? {
        Ok(()) => {}
        Err(refusal) => {
            drop(tx);
            let mut errors = FormErrors::new();
            let mut kept = form_values;
            match refusal {
                ChangeRefusal::Final => errors.add("narrative", ctx.tr.t("field-update_final")),
                ChangeRefusal::Stale { current } => {
                    errors.add("narrative", ctx.tr.t("field-update_stale"));
                    kept.version = current.to_string();
                }
            }
            return form_page(&ctx, &row, Some(&update), kept, errors, StatusCode::CONFLICT).await;
        }
    }
    attach_files(&ctx, &tx, update_id, &files, &kinds).await?;
    tx.commit().await?;
    let done = if submit { "submitted" } else { "saved" };
    Ok(Redirect::to(&format!("/assignments/{}?done={done}", row.id)).into_response())
}

/// `POST /updates/{id}/delete`: deletes a draft.
pub async fn delete(ctx: Ctx, Path(update_id): Path<i64>) -> Result<Response, AppError> {
    let (update, row) = own_update(&ctx, update_id).await?;
    if !allowed(update.state(), UpdateAction::Delete, UpdateSide::Reporter) {
        return Err(AppError::Conflict { code: "update_final" });
    }
    let tx = ctx.state.db().begin().await?;
    updates::delete_draft(&tx, update_id).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("delete", "assignment", row.id, format!("Xóa bản nháp báo cáo #{update_id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/assignments/{}?done=deleted", row.id)).into_response())
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The message telling an officer that someone decided first: who, what and when.
pub fn already_decided(ctx: &Ctx, status: UpdateStatus, by: Option<&str>, at: Option<DateTime<Utc>>) -> String {
    let args = already_decided_args(ctx, status, by, at);
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ctx.tr.t_with("update-already-decided", &args)
}

/// The arguments of the "already decided" messages.
pub fn already_decided_args(
    ctx: &Ctx,
    status: UpdateStatus,
    by: Option<&str>,
    at: Option<DateTime<Utc>>,
) -> [(&'static str, String); 3] {
    [
        ("status", ctx.tr.t(&format!("update-status-{}", status.code()))),
        ("who", by.unwrap_or("—").to_owned()),
        ("when", at.map(tiendo_core::fmt::datetime).unwrap_or_default()),
    ]
}

/// `POST /updates/{id}/decide`: accepts or returns a submitted update.
pub async fn decide(
    ctx: Ctx,
    Path(update_id): Path<i64>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (update, row) = service::for_review(&ctx, update_id).await?;
    let Some(decision) = Decision::from_code(&form.decision) else {
        return Err(AppError::BadRequest { code: "invalid_decision", detail: None });
    };
    match service::decide(&ctx, &update, &row, decision, Some(&form.comment)).await? {
        Ok(_) => {
            let done = if decision == Decision::Accept { "accepted" } else { "returned" };
            Ok(Redirect::to(&format!("/assignments/{}?done={done}", row.id)).into_response())
        }
        Err(refusal) => {
            let message = match refusal {
                DecisionRefusal::NeedsComment => ctx.tr.t("update-return-needs-comment"),
                DecisionRefusal::AlreadyDecided { status, by, at } => already_decided(&ctx, status, by.as_deref(), at),
                DecisionRefusal::NotSubmitted => ctx.tr.t("update-not-submitted"),
            };
            detail(&ctx, row.id, message).await
        }
    }
}

/// The organisation path of an update's unit (for authorization elsewhere).
pub async fn owner_path(ctx: &Ctx, update: &Update) -> Result<Vec<i64>, AppError> {
    Ok(orgtree::path(ctx.state.db(), update.org_id).await?)
}
