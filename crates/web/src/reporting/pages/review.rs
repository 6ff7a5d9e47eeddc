//! A report's page (its values, status, comments, files, where it counts on today's map), the approver's
//! decisions (return with comments per field and overall, approve, unlock with a reason), the queue of
//! submitted reports, the history of every value, and the report's files. Two approvers deciding at once:
//! the first wins, the second is told who decided and when.

use std::collections::HashMap;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::reporting::decisions::{self, Decision};
use tiendo_app::reporting::reports::{self as service, Visible};
use tiendo_core::files::{FileKind, sniff};
use tiendo_core::reporting::field::display;
use tiendo_core::reporting::workflow::ReportAction;
use tiendo_core::reporting::{ReportStatus, TemplateDef, Value};
use tiendo_db::files::{self, Attachment};
use tiendo_db::reporting::attribution::{self, Target};
use tiendo_db::reporting::reports::{self, Report};

use super::entry::{ReportLine, line};
use super::fields::{self, COMMENT_PREFIX, FormData, SectionView};
use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::extract::Path;
use crate::history::{self, HistoryItem};
use crate::layout::{Ctx, Layout};
use crate::reporting::{html, period_name};

#[derive(Template)]
#[template(path = "reporting/report.html")]
struct ReportPage {
    layout: Layout,
    report: ReportLine,
    template_version: i64,
    unit: String,
    counts_for: Vec<Target>,
    sections: Vec<SectionView>,
    overall: Vec<fields::CommentView>,
    returned_comment: String,
    unlock_reason: String,
    attachments: Vec<Attachment>,
    previous_period: String,
    can_edit: bool,
    can_return: bool,
    can_approve: bool,
    can_unlock: bool,
    notice: String,
    alert: String,
    comment_inputs: HashMap<String, String>,
    overall_input: String,
    comment_error: String,
    reason_input: String,
    reason_error: String,
}

/// What the page shows beyond the report.
#[derive(Default)]
struct Shown {
    notice: String,
    alert: String,
    comment_inputs: HashMap<String, String>,
    overall_input: String,
    errors: Vec<FieldError>,
    reason_input: String,
}

/// The buttons of a report's page: exactly the actions the workflow allows the actor now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Buttons {
    edit: bool,
    return_: bool,
    approve: bool,
    unlock: bool,
}

impl Buttons {
    fn of(found: &Visible) -> Buttons {
        Buttons {
            edit: found.may(ReportAction::Save),
            return_: found.may(ReportAction::Return),
            approve: found.may(ReportAction::Approve),
            unlock: found.may(ReportAction::Unlock),
        }
    }
}

async fn report_page(ctx: &Ctx, found: &Visible, shown: Shown, status: StatusCode) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let report = &found.report;
    let buttons = Buttons::of(found);
    let (_, def) = service::definition(ctx.state.app(), report).await?;
    let stored = reports::values(db, report.id).await?;
    let previous = reports::previous_values(db, report).await?;
    let comments = reports::comments(db, report.id).await?;
    let data = FormData {
        stored: Some(&stored),
        previous: previous.as_ref().map(|(_, v)| v),
        comments: &comments,
        ..FormData::default()
    };
    let approved = report.state() == ReportStatus::Approved;
    let error_of = |field: &str| {
        shown.errors.iter().find(|e| e.field == field).map(|e| field_message(e, &ctx.tr)).unwrap_or_default()
    };
    let page = ReportPage {
        layout: ctx.layout_named(report.template_name.clone()),
        report: line(ctx, report),
        template_version: report.template_version,
        unit: report.unit_name.clone().unwrap_or_default(),
        counts_for: if approved { attribution::recorded(db, report.id).await? } else { Vec::new() },
        sections: fields::sections(&def, &ctx.tr, &data),
        overall: fields::overall_comments(&comments),
        returned_comment: if report.state() == ReportStatus::Returned {
            report.return_comment.clone().unwrap_or_default()
        } else {
            String::new()
        },
        unlock_reason: if report.state() == ReportStatus::Draft {
            report.unlock_reason.clone().unwrap_or_default()
        } else {
            String::new()
        },
        attachments: reports::attachments(db, report.id).await?,
        previous_period: previous.map(|(code, _)| period_name(ctx.lang, &code)).unwrap_or_default(),
        can_edit: buttons.edit,
        can_return: buttons.return_,
        can_approve: buttons.approve,
        can_unlock: buttons.unlock,
        notice: shown.notice.clone(),
        alert: shown.alert.clone(),
        comment_error: error_of("comment"),
        reason_error: error_of("reason"),
        comment_inputs: shown.comment_inputs,
        overall_input: shown.overall_input,
        reason_input: shown.reason_input,
    };
    html(&page, status)
}

/// `GET /reports/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let found = service::visible(ctx.state.app(), ctx.auth.session(), id).await?;
    let done = ctx.uri.query().unwrap_or_default().split('&').find_map(|p| p.strip_prefix("done="));
    let notice = match done {
        Some(code @ ("submitted" | "returned" | "approved" | "unlocked")) => ctx.tr.t(&format!("report-done-{code}")),
        _ => String::new(),
    };
    report_page(&ctx, &found, Shown { notice, ..Shown::default() }, StatusCode::OK).await
}

/// The message when someone decided first (or the report is not waiting for a decision).
fn already_decided(ctx: &Ctx, report: &Report) -> String {
    ctx.tr.t_with(
        "report-already-decided",
        &[
            ("status", &crate::reporting::status_label(&ctx.tr, report.state())),
            ("who", report.decided_by_name.as_deref().or(report.unlocked_by_name.as_deref()).unwrap_or("—")),
            ("when", &crate::reporting::show_instant(report.decided_at.max(report.unlocked_at))),
        ],
    )
}

/// `POST /reports/{id}/decide`: `decision=return` with `comment` and `c_<field>` comments, or
/// `decision=approve`. Any other decision is refused as in the API (422, `decision_unknown`).
pub async fn decide(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(fields): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let comment_inputs = fields::inputs_from(&fields, COMMENT_PREFIX);
    let overall = get("comment");
    let decision = Decision::parse(
        &get("decision"),
        Some(overall.clone()),
        comment_inputs.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    )?;
    let approving = decision == Decision::Approve;
    match decisions::decide(app, session, id, decision).await {
        Ok(decided) => {
            let done = if approving { "approved" } else { "returned" };
            Ok(Redirect::to(&format!("/reports/{}?done={done}", decided.report.id)).into_response())
        }
        Err(tiendo_app::Error::Invalid(errors)) => {
            let found = service::visible(app, session, id).await?;
            let shown = Shown { comment_inputs, overall_input: overall, errors, ..Shown::default() };
            report_page(&ctx, &found, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_already_decided", .. }) => {
            let fresh = service::visible(app, session, id).await?;
            let shown = Shown {
                alert: already_decided(&ctx, &fresh.report),
                comment_inputs,
                overall_input: overall,
                ..Shown::default()
            };
            report_page(&ctx, &fresh, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The unlock form.
#[derive(Debug, Default, Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    reason: String,
}

/// `POST /reports/{id}/unlock`: the approver unlocks an approved report with a reason.
pub async fn unlock(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<UnlockForm>,
) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let session = ctx.auth.session();
    match decisions::unlock(app, session, id, &form.reason).await {
        Ok(unlocked) => Ok(Redirect::to(&format!("/reports/{}?done=unlocked", unlocked.report.id)).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let found = service::visible(app, session, id).await?;
            let shown = Shown { errors, reason_input: form.reason, ..Shown::default() };
            report_page(&ctx, &found, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_already_decided", .. }) => {
            let fresh = service::visible(app, session, id).await?;
            let shown =
                Shown { alert: already_decided(&ctx, &fresh.report), reason_input: form.reason, ..Shown::default() };
            report_page(&ctx, &fresh, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "reporting/queue.html")]
struct QueuePage {
    layout: Layout,
    reports: Vec<ReportLine>,
}

/// `GET /reports/queue`: the submitted reports the reviewer may decide on, oldest submission first.
pub async fn queue(ctx: Ctx) -> Result<Response, AppError> {
    let queued = service::queue(ctx.state.app(), ctx.auth.session()).await?;
    let reports = queued.iter().map(|v| line(&ctx, &v.report)).collect();
    html(&QueuePage { layout: ctx.layout("reports-queue-title"), reports }, StatusCode::OK)
}

/// A change of a value, as the history shows it.
#[derive(Debug, Clone)]
pub struct ValueChangeView {
    /// When.
    pub at: String,
    /// Who.
    pub who: String,
    /// The field's label.
    pub field: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
    /// The report's version the change made.
    pub version: i64,
}

#[derive(Template)]
#[template(path = "reporting/history.html")]
struct HistoryPage {
    layout: Layout,
    report: ReportLine,
    changes: Vec<ValueChangeView>,
    history: Vec<HistoryItem>,
}

fn shown_value(def: &TemplateDef, field: &str, value: Option<Value>, ctx: &Ctx) -> String {
    match (value, def.field(field)) {
        (Some(v), Some(f)) => display(f.kind, &v, ctx.lang),
        (Some(Value::Number(n)), None) => tiendo_core::fmt::decimal(n, 4, ctx.lang),
        (Some(Value::Text(t)), None) => t,
        (None, _) => "—".to_owned(),
    }
}

/// `GET /reports/{id}/history`: every change of every value (who, when, before, after) and the report's
/// workflow events.
pub async fn value_history(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let report = service::visible(ctx.state.app(), ctx.auth.session(), id).await?.report;
    let (_, def) = service::definition(ctx.state.app(), &report).await?;
    let changes = reports::history(ctx.state.db(), id)
        .await?
        .into_iter()
        .map(|h| ValueChangeView {
            at: tiendo_core::fmt::datetime(h.changed_at),
            who: h.changed_by_name.clone().unwrap_or_else(|| h.changed_by_label.clone()),
            field: def
                .field(&h.field_code)
                .map(|f| f.label(ctx.lang).to_owned())
                .unwrap_or_else(|| h.field_code.clone()),
            before: shown_value(&def, &h.field_code, h.before(), &ctx),
            after: shown_value(&def, &h.field_code, h.after(), &ctx),
            version: h.report_version,
        })
        .collect();
    let events = tiendo_db::audit::history(ctx.state.db(), service::AUDIT_ENTITY, &id.to_string(), 200).await?;
    let page = HistoryPage {
        layout: ctx.layout("report-history-title"),
        report: line(&ctx, &report),
        changes,
        history: history::items(&events, &ctx.tr),
    };
    html(&page, StatusCode::OK)
}

/// `GET /reports/{id}/files/{attachment}/{name}`: a file attached to a report, to those who may see it.
pub async fn file(ctx: Ctx, Path((id, attachment, _name)): Path<(i64, i64, String)>) -> Result<Response, AppError> {
    service::visible(ctx.state.app(), ctx.auth.session(), id).await?;
    let found = reports::attachments(ctx.state.db(), id).await?.into_iter().find(|a| a.id == attachment);
    let attachment = match found {
        Some(a) => a,
        None => return Err(AppError::NotFound),
    };
    let _ = files::get(ctx.state.db(), attachment.id).await?.ok_or(AppError::NotFound)?;
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
