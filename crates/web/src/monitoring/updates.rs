//! Progress updates: the unit writes (a draft, or submitted at once) with evidence files and links; the
//! assigning side accepts or returns with a comment. Two officers deciding at once: the first wins, the
//! second is told who decided and when.

use askama::Template;
use axum::extract::Path;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::update::allowed;
use tiendo_core::monitoring::{Deadline, UpdateAction, UpdateSide, UpdateStatus};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentRow};
use tiendo_db::monitoring::updates::{self, NewUpdate, Update, UpdateContent};
use tiendo_db::{notifications, orgtree};

use super::assignments::{detail, visible};
use super::uploads::{self, Upload};
use super::{optional_date, show_date, today};
use crate::error::AppError;
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

/// Checks that the actor reports for the assignment's lead organisation.
async fn reporter(ctx: &Ctx, id: i64) -> Result<(AssignmentRow, Vec<i64>), AppError> {
    let (row, path) = visible(ctx, id).await?;
    if !authorize(&ctx.auth.actor, Action::Submit, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    if row.cancelled {
        return Err(AppError::Conflict { code: "assignment_cancelled" });
    }
    Ok((row, path))
}

/// `GET /assignments/{id}/updates/new`.
pub async fn new_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (row, _) = reporter(&ctx, id).await?;
    let form = UpdateForm { percent: row.percent.to_string(), ..UpdateForm::default() };
    form_page(&ctx, &row, None, form, FormErrors::new(), StatusCode::OK).await
}

/// Validates the content; the content or the errors (file problems included).
fn validate(
    ctx: &Ctx,
    row: &AssignmentRow,
    form: &UpdateForm,
    problems: &[uploads::UploadProblem],
) -> Result<UpdateContent, FormErrors> {
    let mut errors = FormErrors::new();
    let narrative = tiendo_core::text::normalize_multiline(&form.narrative);
    if narrative.is_empty() {
        errors.add("narrative", ctx.tr.t("field-required"));
    } else if narrative.chars().count() > 20_000 {
        errors.add("narrative", ctx.tr.t_with("field-too_long", &[("max", "20000")]));
    }
    let percent = match form.percent.trim().trim_end_matches('%').trim().parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => p,
        Ok(_) => {
            errors.add("percent", ctx.tr.t("field-percent_range"));
            0
        }
        Err(_) => {
            errors.add("percent", ctx.tr.t("field-percent_format"));
            0
        }
    };
    let claimed = match optional_date(&form.completion_claimed_on) {
        Ok(d) => d,
        Err(code) => {
            errors.add("completion_claimed_on", ctx.tr.t(&format!("field-{code}")));
            None
        }
    };
    if let Some(d) = claimed {
        if percent < 100 {
            errors.add("completion_claimed_on", ctx.tr.t("field-completion_needs_100"));
        } else if d > today() {
            errors.add("completion_claimed_on", ctx.tr.t("field-date_future"));
        } else if d < row.assigned_on {
            errors.add("completion_claimed_on", ctx.tr.t("field-completion_before_assignment"));
        }
    }
    let links: Vec<String> = form.links.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if let Some(bad) = links
        .iter()
        .find(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.contains(char::is_whitespace))
    {
        errors.add("links", ctx.tr.t_with("field-link_format", &[("link", bad)]));
    }
    if let Some(p) = problems.first() {
        errors.add("evidence", ctx.tr.t_with(&format!("field-{}", p.code()), &[("name", p.name()), ("max", "20 MB")]));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(UpdateContent {
        narrative,
        percent,
        difficulties: super::optional_text(&form.difficulties),
        recommendations: super::optional_text(&form.recommendations),
        links: (!links.is_empty()).then(|| links.join("\n")),
        completion_claimed_on: claimed,
    })
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
    let content = match validate(&ctx, &row, &form_values, &problems) {
        Ok(c) => c,
        Err(errors) => return form_page(&ctx, &row, None, form_values, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let submit = uploads::field(&fields, "action") == "submit";
    let status = if submit { UpdateStatus::Submitted } else { UpdateStatus::Draft };
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    let new = NewUpdate {
        assignment_id: id,
        org_id: row.lead_org_id,
        author_id: ctx.auth.user.as_ref().map(|u| u.id),
        content: content.clone(),
        status,
        is_sample: false,
    };
    let update_id = updates::create(&tx, &new, now).await?;
    attach_files(&ctx, &tx, update_id, &files, &kinds).await?;
    if submit {
        assignments::apply_update(&tx, id, None, None, now).await?;
        notify_submitted(&tx, &row).await?;
    }
    let summary = if submit { "Gửi báo cáo tiến độ" } else { "Lưu nháp báo cáo tiến độ" };
    let event = NewEvent::new(
        if submit { "submit" } else { "create" },
        "assignment",
        id,
        format!("{summary} (#{update_id}, {}%)", content.percent),
    )
    .with_changes(vec![Change::new("percent", None::<i64>, content.percent)]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    let done = if submit { "submitted" } else { "saved" };
    Ok(Redirect::to(&format!("/assignments/{id}?done={done}")).into_response())
}

/// Tells the assigning officer that an update waits for a decision.
async fn notify_submitted(tx: &tiendo_db::Tx, row: &AssignmentRow) -> Result<(), AppError> {
    if let Some(officer) = assignments::assigner(tx, row.id).await? {
        let vi = crate::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
        let task = format!("{}. {}", row.task_code, row.task_title);
        let title = vi.t_with("notify-update-submitted", &[("task", &task)]);
        notifications::notify(
            tx,
            officer,
            "update_submitted",
            &title,
            &row.lead_name,
            Some(&format!("/assignments/{}", row.id)),
        )
        .await?;
    }
    Ok(())
}

/// Loads an update with its assignment, for the reporter.
async fn own_update(ctx: &Ctx, update_id: i64) -> Result<(Update, AssignmentRow), AppError> {
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let (row, _) = reporter(ctx, update.assignment_id).await?;
    Ok((update, row))
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
    let content = match validate(&ctx, &row, &form_values, &problems) {
        Ok(c) => c,
        Err(errors) => {
            return form_page(&ctx, &row, Some(&update), form_values, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let version = form_values.version.parse::<i64>().unwrap_or(update.version);
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    if !updates::edit(&tx, update_id, version, &content, now).await? {
        drop(tx);
        let mut errors = FormErrors::new();
        errors.add("narrative", ctx.tr.t("field-update_stale"));
        let mut kept = form_values;
        if let Some(fresh) = updates::get(ctx.state.db(), update_id).await? {
            kept.version = fresh.version.to_string();
        }
        return form_page(&ctx, &row, Some(&update), kept, errors, StatusCode::CONFLICT).await;
    }
    attach_files(&ctx, &tx, update_id, &files, &kinds).await?;
    let submit = uploads::field(&fields, "action") == "submit";
    if submit {
        updates::transition(
            &tx,
            update_id,
            &[UpdateStatus::Draft, UpdateStatus::Returned],
            UpdateStatus::Submitted,
            None,
            None,
            now,
        )
        .await?;
        assignments::apply_update(&tx, row.id, None, None, now).await?;
        notify_submitted(&tx, &row).await?;
    }
    let mut diff = tiendo_db::audit::Diff::new();
    diff.field("narrative", &update.narrative, &content.narrative)
        .field("percent", &update.percent, &content.percent)
        .field("difficulties", &update.difficulties, &content.difficulties)
        .field("recommendations", &update.recommendations, &content.recommendations)
        .field("links", &update.links, &content.links)
        .field("completion_claimed_on", &update.completion_claimed_on, &content.completion_claimed_on);
    let event = NewEvent::new(
        if submit { "submit" } else { "update" },
        "assignment",
        row.id,
        format!("Sửa báo cáo tiến độ #{update_id}"),
    )
    .with_changes(diff.into_changes());
    audit::append(&tx, &ctx.auth.who(), &event).await?;
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

/// The completion date an accepted update gives its assignment, if any: a claimed date with 100%.
fn completion_of(update: &Update, deadline: &Deadline) -> Option<chrono::NaiveDate> {
    let claimed = update.completion_claimed_on?;
    if update.percent < 100 {
        return None;
    }
    match deadline {
        Deadline::Continuous => None,
        _ => Some(claimed),
    }
}

/// `POST /updates/{id}/decide`: accepts or returns a submitted update.
pub async fn decide(
    ctx: Ctx,
    Path(update_id): Path<i64>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Result<Response, AppError> {
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let (row, path) = visible(&ctx, update.assignment_id).await?;
    if !authorize(&ctx.auth.actor, Action::Review, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    let (to, action) = match form.decision.as_str() {
        "accept" => (UpdateStatus::Accepted, "accept"),
        "return" => (UpdateStatus::Returned, "return"),
        _ => return Err(AppError::BadRequest { code: "invalid_decision", detail: None }),
    };
    let comment = super::optional_text(&form.comment);
    if to == UpdateStatus::Returned && comment.is_none() {
        return detail(&ctx, row.id, ctx.tr.t("update-return-needs-comment")).await;
    }
    let now = Utc::now();
    let by = ctx.auth.user.as_ref().map(|u| u.id);
    let tx = ctx.state.db().begin().await?;
    if !updates::transition(&tx, update_id, &[UpdateStatus::Submitted], to, by, comment.as_deref(), now).await? {
        drop(tx);
        // Someone decided first: say who and when.
        let fresh = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
        let message = ctx.tr.t_with(
            "update-already-decided",
            &[
                ("status", &ctx.tr.t(&format!("update-status-{}", fresh.status))),
                ("who", fresh.decided_by_name.as_deref().unwrap_or("—")),
                ("when", &fresh.decided_at.map(tiendo_core::fmt::datetime).unwrap_or_default()),
            ],
        );
        return detail(&ctx, row.id, message).await;
    }
    if to == UpdateStatus::Accepted {
        let done = completion_of(&update, &row.deadline());
        assignments::apply_update(&tx, row.id, Some(update.percent), done, now).await?;
    }
    let summary = match to {
        UpdateStatus::Accepted => format!("Chấp nhận báo cáo tiến độ #{update_id}"),
        _ => format!("Trả lại báo cáo tiến độ #{update_id}"),
    };
    let event = NewEvent::new(action, "assignment", row.id, summary).with_changes(vec![Change::new(
        &format!("update:{update_id}"),
        "submitted",
        to.code(),
    )]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    // The author hears of the decision.
    if let Some(author) = update.author_id {
        let vi = crate::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
        let title = vi
            .t_with(&format!("notify-update-{action}"), &[("task", &format!("{}. {}", row.task_code, row.task_title))]);
        let body = comment.clone().unwrap_or_default();
        notifications::notify(
            &tx,
            author,
            &format!("update_{action}"),
            &title,
            &body,
            Some(&format!("/assignments/{}", row.id)),
        )
        .await?;
    }
    tx.commit().await?;
    let done = if to == UpdateStatus::Accepted { "accepted" } else { "returned" };
    Ok(Redirect::to(&format!("/assignments/{}?done={done}", row.id)).into_response())
}

/// The organisation path of an update's unit (for authorization elsewhere).
pub async fn owner_path(ctx: &Ctx, update: &Update) -> Result<Vec<i64>, AppError> {
    Ok(orgtree::path(ctx.state.db(), update.org_id).await?)
}
