//! The reporting unit's pages: `/reports` (which template and period is due, overdue or sent, and the unit's
//! reports), opening a report for a period, and the data-entry form: sections of fields with help, the
//! previous period's value beside each, outlier warnings, attachments, the approver's comments; saved as a
//! draft to resume later, or submitted. A refused save keeps everything typed.

use std::collections::HashMap;

use crate::extract::Multipart;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::reporting::reports::{self as service, Input, OpenReport, SaveValues};
use tiendo_app::reporting::{NewFile, due, link};
use tiendo_core::reporting::workflow::ReportAction;
use tiendo_core::reporting::{ReportStatus, TemplateDef, Value};
use tiendo_db::files::Attachment;
use tiendo_db::reporting::reports::{self, Report};

use super::fields::{self, FormData, INPUT_PREFIX, SectionView};
use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::monitoring::uploads;
use crate::reporting::{html, period_name, status_label};

/// An option of a select.
pub use crate::forms::fields::Choice;

/// A template and period a unit must report, with where it stands.
#[derive(Debug, Clone)]
pub struct DueRow {
    /// The template's name.
    pub template: String,
    /// The organisation's name.
    pub org: String,
    /// The period's name.
    pub period: String,
    /// The due day.
    pub due: String,
    /// The status label ("Chưa mở" when not opened).
    pub status: String,
    /// The status code (`none` when not opened).
    pub status_code: &'static str,
    /// Not sent and past its due day.
    pub overdue: bool,
    /// Sent after its due day.
    pub late: bool,
    /// The report, when opened.
    pub report_id: Option<i64>,
    /// The values to open it with: (template code, org id, period code).
    pub open: (String, i64, String),
}

/// A report in a list.
#[derive(Debug, Clone)]
pub struct ReportLine {
    /// Id.
    pub id: i64,
    /// Template name.
    pub template: String,
    /// Organisation name.
    pub org: String,
    /// Period name.
    pub period: String,
    /// Status label.
    pub status: String,
    /// Status code.
    pub status_code: &'static str,
    /// Due day.
    pub due: String,
    /// When it was submitted.
    pub submitted: String,
    /// Submitted after its due day.
    pub late: bool,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A report as a line of a list.
pub fn line(ctx: &Ctx, r: &Report) -> ReportLine {
    let state = r.state();
    ReportLine {
        id: r.id,
        template: r.template_name.clone(),
        org: r.org_name.clone(),
        period: period_name(ctx.lang, &r.period_code),
        status: status_label(&ctx.tr, state),
        status_code: state.code(),
        due: tiendo_core::fmt::date(r.due_on),
        submitted: crate::reporting::show_instant(r.submitted_at),
        late: r.submitted_at.is_some_and(|at| crate::reporting::vietnam_day(at) > r.due_on),
        is_sample: r.is_sample,
    }
}

/// The open form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    template: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
}

#[derive(Template)]
#[template(path = "reporting/my_reports.html")]
struct MyReportsPage {
    layout: Layout,
    due: Vec<DueRow>,
    reports: Vec<ReportLine>,
    templates: Vec<Choice>,
    orgs: Vec<Choice>,
    open: OpenForm,
    errors: FormErrors,
    reviewer: bool,
    reporter: bool,
    /// The submitted reports waiting for this reviewer's decision (empty for a reporter).
    awaiting: Vec<ReportLine>,
    /// How many wait, in words.
    awaiting_text: String,
}

async fn my_reports_page(
    ctx: &Ctx,
    open: OpenForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let session = ctx.auth.session();
    let mine = due::my_reports(ctx.state.app(), session).await?;
    let due = mine
        .owed
        .iter()
        .map(|o| {
            let (status_text, code) = match &o.report {
                Some(r) => (status_label(&ctx.tr, r.state()), r.state().code()),
                None => (ctx.tr.t("report-status-none"), "none"),
            };
            DueRow {
                template: o.form_name.clone(),
                org: o.org_name.clone(),
                period: o.period.name(ctx.lang),
                due: tiendo_core::fmt::date(o.due_on),
                status: status_text,
                status_code: code,
                overdue: o.overdue,
                late: o.late,
                report_id: o.report.as_ref().map(|r| r.id),
                open: (o.form_code.clone(), o.org_id, o.period.code()),
            }
        })
        .collect();
    let reviewer = service::reviews_reports(session);
    let awaiting = if reviewer {
        service::queue(ctx.state.app(), session).await?.iter().map(|v| line(ctx, &v.report)).collect()
    } else {
        Vec::new()
    };
    let page = MyReportsPage {
        layout: ctx.layout("reports-title"),
        due,
        reports: mine.reports.iter().map(|r| line(ctx, r)).collect(),
        templates: mine.forms.iter().map(|(code, name)| Choice::data(code, name.clone())).collect(),
        orgs: mine.orgs.iter().map(|(id, name)| Choice::data(id, name.clone())).collect(),
        open,
        errors,
        reviewer,
        reporter: !mine.orgs.is_empty(),
        awaiting_text: ctx.tr.t_count("reports-awaiting-count", "count", awaiting.len() as i64),
        awaiting,
    };
    html(&page, status)
}

/// `GET /reports`.
pub async fn my_reports(ctx: Ctx) -> Result<Response, AppError> {
    my_reports_page(&ctx, OpenForm::default(), FormErrors::new(), StatusCode::OK).await
}

/// `POST /reports/open`: opens (or resumes) the report of a unit for a template and a period.
pub async fn open(ctx: Ctx, crate::extract::Form(form): crate::extract::Form<OpenForm>) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let org = match form.org.trim().parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(FieldError::new("org", "required"));
            None
        }
    };
    if form.template.trim().is_empty() {
        errors.push(FieldError::new("template", "required"));
    }
    if form.period.trim().is_empty() {
        errors.push(FieldError::new("period", "required"));
    }
    if let (Some(org), true) = (org, errors.is_empty()) {
        let request = OpenReport {
            form: form.template.trim().to_owned(),
            organization: org,
            // An ad hoc period may be typed as a day, dd/mm/yyyy.
            period: match tiendo_core::fmt::parse_date(&form.period) {
                Some(day) if form.period.contains('/') => day.format("%Y-%m-%d").to_string(),
                _ => form.period.clone(),
            },
            sample: false,
        };
        match service::open(ctx.state.app(), ctx.auth.session(), &request).await {
            Ok(opened) => {
                let report = opened.report;
                let target =
                    if report.state().is_editable() { format!("/reports/{}/edit", report.id) } else { link(report.id) };
                return Ok(Redirect::to(&target).into_response());
            }
            Err(tiendo_app::Error::Invalid(found)) => errors = found,
            Err(other) => return Err(other.into()),
        }
    }
    let errors = FormErrors::from_fields(&errors, &ctx.tr);
    my_reports_page(&ctx, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

#[derive(Template)]
#[template(path = "reporting/report_form.html")]
struct FormPage {
    layout: Layout,
    report: ReportLine,
    report_id: i64,
    unit: String,
    version: i64,
    sections: Vec<SectionView>,
    summary: Vec<(String, String)>,
    alert: String,
    notice: String,
    returned_comment: String,
    overall: Vec<fields::CommentView>,
    attachments: Vec<Attachment>,
    attachments_error: String,
    previous_period: String,
    can_save: bool,
    can_submit: bool,
    is_sample: bool,
}

/// What a form page is shown with beyond the report.
#[derive(Default)]
struct Shown {
    inputs: Option<HashMap<String, String>>,
    errors: Vec<FieldError>,
    alert: String,
    notice: String,
    other: Option<HashMap<String, Value>>,
    version: Option<i64>,
}

async fn form_page(
    ctx: &Ctx,
    found: &service::Visible,
    def: &TemplateDef,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, AppError> {
    let report = &found.report;
    let db = ctx.state.db();
    let stored = reports::values(db, report.id).await?;
    let previous = reports::previous_values(db, report).await?;
    let history = reports::number_history(db, &report.template_code, report.org_id, report.period_start).await?;
    let comments = reports::comments(db, report.id).await?;
    let data = FormData {
        inputs: shown.inputs.as_ref(),
        stored: Some(&stored),
        previous: previous.as_ref().map(|(_, v)| v),
        history: Some(&history),
        errors: &shown.errors,
        comments: &comments,
        other: shown.other.as_ref(),
    };
    let attachments_error =
        shown.errors.iter().find(|e| e.field == "attachments").map(|e| field_message(e, &ctx.tr)).unwrap_or_default();
    let page = FormPage {
        layout: ctx.layout_named(report.template_name.clone()),
        report: line(ctx, report),
        report_id: report.id,
        unit: report.unit_name.clone().unwrap_or_default(),
        version: shown.version.unwrap_or(report.version),
        sections: fields::sections(def, &ctx.tr, &data),
        summary: fields::error_summary(def, &shown.errors, &ctx.tr),
        alert: shown.alert,
        notice: shown.notice,
        returned_comment: if report.state() == ReportStatus::Returned {
            report.return_comment.clone().unwrap_or_default()
        } else {
            String::new()
        },
        overall: fields::overall_comments(&comments),
        attachments: reports::attachments(db, report.id).await?,
        attachments_error,
        previous_period: previous.map(|(code, _)| period_name(ctx.lang, &code)).unwrap_or_default(),
        can_save: found.may(ReportAction::Save),
        can_submit: found.may(ReportAction::Submit),
        is_sample: report.is_sample,
    };
    html(&page, status)
}

/// `GET /reports/{id}/edit`: the form of a draft or returned report (a report already sent opens read-only).
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let found = service::visible(app, ctx.auth.session(), id).await?;
    if !found.report.state().is_editable() {
        return Ok(Redirect::to(&link(id)).into_response());
    }
    if !found.may(ReportAction::Save) {
        return Err(AppError::Forbidden);
    }
    let (_, def) = service::definition(app, &found.report).await?;
    let notice = match ctx.uri.query().unwrap_or_default().split('&').find_map(|p| p.strip_prefix("done=")) {
        Some("saved") => ctx.tr.t("report-done-saved"),
        _ => String::new(),
    };
    form_page(&ctx, &found, &def, Shown { notice, ..Shown::default() }, StatusCode::OK).await
}

/// The message for a report that can no longer be changed or sent again.
pub fn locked_message(ctx: &Ctx, report: &Report) -> String {
    match report.state() {
        ReportStatus::Approved => ctx.tr.t_with(
            "report-locked-approved",
            &[
                ("who", report.decided_by_name.as_deref().unwrap_or("—")),
                ("when", &crate::reporting::show_instant(report.decided_at)),
            ],
        ),
        _ => ctx.tr.t_with(
            "report-locked-submitted",
            &[
                ("who", report.submitted_by_name.as_deref().unwrap_or("—")),
                ("when", &crate::reporting::show_instant(report.submitted_at)),
            ],
        ),
    }
}

/// The message when someone saved the report since the person opened the form.
pub fn stale_message(ctx: &Ctx, fresh: &Report) -> String {
    ctx.tr.t_with(
        "report-stale",
        &[
            ("who", fresh.updated_by_name.as_deref().unwrap_or("—")),
            ("when", &tiendo_core::fmt::datetime(fresh.updated_at)),
        ],
    )
}

/// `POST /reports/{id}/edit`: saves a draft (`action=save`) or submits (`action=submit`), with files.
/// Refused input, a stale version (someone saved meanwhile) or a report already sent: the form again with
/// everything typed kept.
pub async fn save(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let found = service::visible(app, session, id).await?;
    let (fields, files, mut problems) = uploads::read_form(form, &["attachments"]).await?;
    let (kinds, bad) = uploads::check(&files);
    problems.extend(bad);
    let inputs = fields::inputs_from(&fields, INPUT_PREFIX);
    let submit = uploads::field(&fields, "action") == "submit";
    let version = uploads::field(&fields, "version").parse::<i64>().unwrap_or(found.report.version);
    let (_, def) = service::definition(app, &found.report).await?;
    if let Some(p) = problems.first() {
        let mut errors = vec![FieldError::new("attachments", p.code()).arg("name", p.name()).arg("max", "20 MB")];
        // Read the values too, so that every problem is shown at once.
        errors.extend(service::read_inputs(&def, &inputs, submit, ctx.lang).1);
        let shown = Shown { inputs: Some(inputs), errors, version: Some(version), ..Shown::default() };
        return form_page(&ctx, &found, &def, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let files = kinds
        .into_iter()
        .map(|(i, kind)| NewFile { name: files[i].name.clone(), bytes: files[i].bytes.clone(), kind })
        .collect();
    let request = SaveValues {
        version,
        values: inputs.iter().map(|(k, v)| (k.clone(), Input::Typed(v.clone()))).collect(),
        submit,
        files,
        lang: ctx.lang,
    };
    match service::save(app, session, id, request).await {
        Ok(saved) => {
            let target = if submit {
                format!("/reports/{}?done=submitted", saved.report.id)
            } else {
                format!("/reports/{}/edit?done=saved", saved.report.id)
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(tiendo_app::Error::Invalid(errors)) => {
            let shown = Shown { inputs: Some(inputs), errors, version: Some(version), ..Shown::default() };
            form_page(&ctx, &found, &def, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_stale", .. }) => {
            let fresh = service::visible(app, session, id).await?;
            let other = reports::values(ctx.state.db(), id).await?;
            let shown = Shown {
                inputs: Some(inputs),
                alert: stale_message(&ctx, &fresh.report),
                other: Some(other),
                version: Some(fresh.report.version),
                ..Shown::default()
            };
            form_page(&ctx, &fresh, &def, shown, StatusCode::CONFLICT).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_locked", .. }) => {
            let fresh = service::visible(app, session, id).await?;
            let shown = Shown { inputs: Some(inputs), alert: locked_message(&ctx, &fresh.report), ..Shown::default() };
            form_page(&ctx, &fresh, &def, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}
