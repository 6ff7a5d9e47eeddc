//! The reporting unit's pages: `/reports` (which template and period is due, overdue or sent, and the unit's
//! reports), opening a report for a period, and the data-entry form: sections of fields with help, the
//! previous period's value beside each, outlier warnings, attachments, the approver's comments; saved as a
//! draft to resume later, or submitted. A refused save keeps everything typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::extract::multipart::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use tiendo_core::authz::{Action, Stage};
use tiendo_core::reporting::{Period, Periodicity, ReportStatus, TemplateDef, Value};
use tiendo_db::files::Attachment;
use tiendo_db::reporting::OrgScope;
use tiendo_db::reporting::reports::{self, Report, ReportFilter};
use tiendo_db::reporting::templates;

use super::form::{self, FormData, INPUT_PREFIX, SectionView};
use super::{html, is_reviewer, period_name, status_label, today};
use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::monitoring::{reporting_orgs, uploads};
use crate::services::reports::{self as service, SaveOutcome, SaveRequest};

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
        submitted: super::show_instant(r.submitted_at),
        late: r.submitted_at.is_some_and(|at| super::vietnam_day(at) > r.due_on),
        is_sample: r.is_sample,
    }
}

/// A choice of a select list.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// What is shown.
    pub label: String,
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
}

/// The periods of a template a unit is asked about on the page: the current one (if it has begun) and the
/// three before it.
fn recent_periods(periodicity: Periodicity, today: chrono::NaiveDate) -> Vec<Period> {
    let mut out = Period::ended(periodicity, today.year() - 3, today, 3);
    if let Some(next) = out.last().and_then(|p| p.next()).filter(|p| p.start() <= today) {
        out.push(next);
    }
    out.reverse();
    out
}

async fn my_reports_page(
    ctx: &Ctx,
    open: OpenForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = today();
    let orgs = reporting_orgs(&ctx.state, &ctx.auth.actor).await?;
    let mut due = Vec::new();
    let mut template_choices: Vec<Choice> = Vec::new();
    let mut org_choices = Vec::new();
    for org in &orgs {
        let name = tiendo_db::orgtree::name(ctx.state.db(), *org).await?.unwrap_or_default();
        // A unit owes the periods ending while it exists, as the completeness figures count them (a ward
        // formed on 01/07/2025 owes no report for 2024).
        let validity = tiendo_db::directory::organization(ctx.state.db(), *org)
            .await?
            .map(|o| (o.valid_from, o.valid_to))
            .unwrap_or_default();
        let exists_at =
            |day: chrono::NaiveDate| validity.0.is_none_or(|from| from <= day) && validity.1.is_none_or(|to| to > day);
        org_choices.push(Choice { value: org.to_string(), label: name.clone() });
        for t in templates::templates_of_org(ctx.state.db(), *org).await? {
            if !template_choices.iter().any(|c| c.value == t.code) {
                template_choices.push(Choice { value: t.code.clone(), label: t.name.clone() });
            }
            let def = t.def()?;
            for period in recent_periods(t.periodicity(), today).into_iter().filter(|p| exists_at(p.end())) {
                let found = reports::find(ctx.state.db(), &t.code, *org, &period.code()).await?;
                let due_on = def.due_on(period);
                let sent = found.as_ref().is_some_and(|r| r.state().is_sent());
                let (status_text, code) = match &found {
                    Some(r) => (status_label(&ctx.tr, r.state()), r.state().code()),
                    None => (ctx.tr.t("report-status-none"), "none"),
                };
                due.push(DueRow {
                    template: t.name.clone(),
                    org: name.clone(),
                    period: period.name(ctx.lang),
                    due: tiendo_core::fmt::date(due_on),
                    status: status_text,
                    status_code: code,
                    overdue: !sent && today > due_on,
                    late: found.as_ref().and_then(|r| r.submitted_at).is_some_and(|at| super::vietnam_day(at) > due_on),
                    report_id: found.as_ref().map(|r| r.id),
                    open: (t.code.clone(), *org, period.code()),
                });
            }
        }
    }
    let listed = if orgs.is_empty() {
        Vec::new()
    } else {
        reports::list(ctx.state.db(), &ReportFilter::in_scope(OrgScope::Orgs(orgs.clone())), 100).await?
    };
    let page = MyReportsPage {
        layout: ctx.layout("reports-title"),
        due,
        reports: listed.iter().map(|r| line(ctx, r)).collect(),
        templates: template_choices,
        orgs: org_choices,
        open,
        errors,
        reviewer: is_reviewer(&ctx.auth.actor),
        reporter: !orgs.is_empty(),
    };
    html(&page, status)
}

/// `GET /reports`.
pub async fn my_reports(ctx: Ctx) -> Result<Response, AppError> {
    my_reports_page(&ctx, OpenForm::default(), FormErrors::new(), StatusCode::OK).await
}

/// `POST /reports/open`: opens (or resumes) the report of a unit for a template and a period.
pub async fn open(ctx: Ctx, axum::Form(form): axum::Form<OpenForm>) -> Result<Response, AppError> {
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
        match service::open(&ctx.state, &ctx.auth, form.template.trim(), org, &form.period, today()).await? {
            Ok(report) => {
                let target = if report.state().is_editable() {
                    format!("/reports/{}/edit", report.id)
                } else {
                    format!("/reports/{}", report.id)
                };
                return Ok(Redirect::to(&target).into_response());
            }
            Err(found) => errors = found,
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
    overall: Vec<form::CommentView>,
    attachments: Vec<Attachment>,
    attachments_error: String,
    previous_period: String,
    editable: bool,
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
    report: &Report,
    def: &TemplateDef,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, AppError> {
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
        layout: ctx.layout_titled(format!("{} — {}", report.template_name, period_name(ctx.lang, &report.period_code))),
        report: line(ctx, report),
        report_id: report.id,
        unit: report.unit_name.clone().unwrap_or_default(),
        version: shown.version.unwrap_or(report.version),
        sections: form::sections(def, &ctx.tr, &data),
        summary: form::error_summary(def, &shown.errors, &ctx.tr),
        alert: shown.alert,
        notice: shown.notice,
        returned_comment: if report.state() == ReportStatus::Returned {
            report.return_comment.clone().unwrap_or_default()
        } else {
            String::new()
        },
        overall: form::overall_comments(&comments),
        attachments: reports::attachments(db, report.id).await?,
        attachments_error,
        previous_period: previous.map(|(code, _)| period_name(ctx.lang, &code)).unwrap_or_default(),
        editable: report.state().is_editable(),
        is_sample: report.is_sample,
    };
    html(&page, status)
}

/// `GET /reports/{id}/edit`: the form of a draft or returned report (a report already sent opens read-only).
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (report, path) = service::visible(&ctx.state, &ctx.auth, id).await?;
    if !report.state().is_editable() {
        return Ok(Redirect::to(&service::link(id)).into_response());
    }
    if !service::may(&ctx.auth, Action::Edit, &path, Stage::Draft) {
        return Err(AppError::Forbidden);
    }
    let (_, def) = service::definition(&ctx.state, &report).await?;
    let notice = match ctx.uri.query().unwrap_or_default().split('&').find_map(|p| p.strip_prefix("done=")) {
        Some("saved") => ctx.tr.t("report-done-saved"),
        _ => String::new(),
    };
    form_page(&ctx, &report, &def, Shown { notice, ..Shown::default() }, StatusCode::OK).await
}

/// The message for a report that can no longer be changed or sent again.
pub fn locked_message(ctx: &Ctx, report: &Report) -> String {
    match report.state() {
        ReportStatus::Approved => ctx.tr.t_with(
            "report-locked-approved",
            &[
                ("who", report.decided_by_name.as_deref().unwrap_or("—")),
                ("when", &super::show_instant(report.decided_at)),
            ],
        ),
        _ => ctx.tr.t_with(
            "report-locked-submitted",
            &[
                ("who", report.submitted_by_name.as_deref().unwrap_or("—")),
                ("when", &super::show_instant(report.submitted_at)),
            ],
        ),
    }
}

/// `POST /reports/{id}/edit`: saves a draft (`action=save`) or submits (`action=submit`), with files.
/// Refused input, a stale version (someone saved meanwhile) or a report already sent: the form again with
/// everything typed kept.
pub async fn save(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (report, _) = service::visible(&ctx.state, &ctx.auth, id).await?;
    let (fields, files, mut problems) = uploads::read_form(form, &["attachments"]).await?;
    let (kinds, bad) = uploads::check(&files);
    problems.extend(bad);
    let inputs = form::inputs_from(&fields, INPUT_PREFIX);
    let submit = uploads::field(&fields, "action") == "submit";
    let version = uploads::field(&fields, "version").parse::<i64>().unwrap_or(report.version);
    let (_, def) = service::definition(&ctx.state, &report).await?;
    if let Some(p) = problems.first() {
        let mut errors = vec![FieldError::new("attachments", p.code()).arg("name", p.name()).arg("max", "20 MB")];
        // Read the values too, so that every problem is shown at once.
        errors.extend(service::read_inputs(&def, &inputs, submit, ctx.lang).1);
        let shown = Shown { inputs: Some(inputs), errors, version: Some(version), ..Shown::default() };
        return form_page(&ctx, &report, &def, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let files = kinds.into_iter().map(|(i, kind)| (files[i].clone(), kind)).collect();
    let request = SaveRequest { version, inputs: inputs.clone(), submit, files };
    match service::save(&ctx.state, &ctx.auth, id, request, ctx.lang).await? {
        SaveOutcome::Saved { report, submitted } => {
            let target = if submitted {
                format!("/reports/{}?done=submitted", report.id)
            } else {
                format!("/reports/{}/edit?done=saved", report.id)
            };
            Ok(Redirect::to(&target).into_response())
        }
        SaveOutcome::Invalid(errors) => {
            let shown = Shown { inputs: Some(inputs), errors, version: Some(version), ..Shown::default() };
            form_page(&ctx, &report, &def, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        SaveOutcome::Stale(fresh) => {
            let alert = ctx.tr.t_with(
                "report-stale",
                &[
                    ("who", fresh.updated_by_name.as_deref().unwrap_or("—")),
                    ("when", &tiendo_core::fmt::datetime(fresh.updated_at)),
                ],
            );
            let other = reports::values(ctx.state.db(), fresh.id).await?;
            let shown = Shown {
                inputs: Some(inputs),
                alert,
                other: Some(other),
                version: Some(fresh.version),
                ..Shown::default()
            };
            form_page(&ctx, &fresh, &def, shown, StatusCode::CONFLICT).await
        }
        SaveOutcome::Locked(fresh) => {
            let shown = Shown { inputs: Some(inputs), alert: locked_message(&ctx, &fresh), ..Shown::default() };
            form_page(&ctx, &fresh, &def, shown, StatusCode::CONFLICT).await
        }
    }
}
