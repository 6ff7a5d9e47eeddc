//! The periodic reports of a task under contract: the list on the task's page (`/contracts/{id}#reports`)
//! and one report's page (`/contracts/{id}/reports/{kind}/{seq}`): the host fills it (a draft saved, then
//! submitted), the department's staff return it with a comment or accept it. A refused form comes back as
//! typed with each wrong field named.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::sci_tech::task_reports::{self as use_cases, OpenedReport, ReportLine, SaveReport};
use tiendo_core::lang::Lang;
use tiendo_core::reporting::workflow::ReportAction;
use tiendo_core::sci_tech::task_report::{FieldKind, MILESTONE_PREFIX, TaskReportKind};

use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::layout::{Ctx, Layout};

fn date(d: chrono::NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// A report in the list of a task.
#[derive(Debug, Clone)]
pub struct ReportRow {
    /// Its page.
    pub href: String,
    /// Its kind and number ("Báo cáo định kỳ tình hình thực hiện, lần 2").
    pub name: String,
    /// The period it covers.
    pub period: String,
    /// Its due day.
    pub due: String,
    /// Its status.
    pub status: String,
    /// The status's code (for the badge).
    pub status_code: &'static str,
    /// Not sent and past due.
    pub overdue: bool,
    /// Sent after its due day.
    pub late: bool,
}

/// The name of a report: its kind and number.
fn report_name(ctx: &Ctx, kind: TaskReportKind, seq: i64) -> String {
    ctx.tr.t_with(&format!("st-report-name-{}", kind.code()), &[("seq", &seq.to_string())])
}

/// The status of a report as the task's pages say it (a draft never saved is "not submitted").
fn status_label(ctx: &Ctx, line_status: tiendo_core::reporting::ReportStatus, version: i64) -> (String, &'static str) {
    use tiendo_core::reporting::ReportStatus as S;
    let code = match line_status {
        S::Draft if version == 1 => "none",
        other => other.code(),
    };
    (ctx.tr.t(&format!("st-report-status-{code}")), code)
}

/// The reports of a task as its page lists them.
pub fn rows(ctx: &Ctx, contract_id: i64, lines: &[ReportLine]) -> Vec<ReportRow> {
    lines
        .iter()
        .map(|l| {
            let r = &l.row;
            let (status, status_code) = status_label(ctx, r.status(), r.version);
            ReportRow {
                href: use_cases::link(contract_id, r.kind(), r.seq),
                name: report_name(ctx, r.kind(), r.seq),
                period: format!("{} – {}", date(r.starts_on), date(r.ends_on)),
                due: date(r.due_on),
                status,
                status_code,
                overdue: l.timeliness.overdue,
                late: l.timeliness.late,
            }
        })
        .collect()
}

/// A field of the report's form or view.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// Its code (the input's name).
    pub code: String,
    /// Its label.
    pub label: String,
    /// What the line is about when it is data (a milestone's title), shown before the label as user content.
    pub subject: String,
    /// Its hint.
    pub hint: String,
    /// Several lines of text.
    pub multiline: bool,
    /// Required at submission.
    pub required: bool,
    /// The value typed or stored, as shown.
    pub value: String,
}

#[derive(Template)]
#[template(path = "sci_tech/task_report.html")]
struct ReportPage {
    layout: Layout,
    contract_id: i64,
    task: String,
    number: String,
    name: String,
    period: String,
    due: String,
    status: String,
    status_code: &'static str,
    overdue: bool,
    late: bool,
    submitted: String,
    return_comment: String,
    milestones: Vec<(String, String, String)>,
    fields: Vec<FieldView>,
    readable: bool,
    may_save: bool,
    may_decide: bool,
    version: i64,
    action: String,
    errors: FormErrors,
    comment: String,
    done: String,
    is_sample: bool,
}

/// The value of a stored field as the form shows it (money written the reader's way).
fn shown(kind: FieldKind, stored: &str, lang: Lang) -> String {
    match kind {
        FieldKind::Money => {
            stored.parse::<i64>().map_or_else(|_| stored.to_owned(), |n| tiendo_core::fmt::money(n, lang))
        }
        FieldKind::Percent if !stored.is_empty() => format!("{stored}%"),
        _ => stored.to_owned(),
    }
}

async fn page(
    ctx: &Ctx,
    opened: OpenedReport,
    typed: Option<&Submitted>,
    errors: FormErrors,
    done: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let lang = ctx.lang;
    let kind = opened.due.kind;
    let row = &opened.row;
    let c = &opened.contract.contract;
    let may_save = opened.may(ReportAction::Save);
    let value_of = |code: &str, kind: FieldKind| match typed {
        Some(form) => form.get(code),
        None => opened
            .body
            .get(code)
            .map(|v| if may_save && kind == FieldKind::Percent { v.clone() } else { shown(kind, v, lang) })
            .unwrap_or_default(),
    };
    let mut fields: Vec<FieldView> = kind
        .fields()
        .iter()
        .map(|f| FieldView {
            code: f.code.to_owned(),
            label: ctx.tr.t(&format!("st-report-field-{}", f.code)),
            subject: String::new(),
            hint: match f.kind {
                FieldKind::Money => ctx.tr.t("st-money-hint"),
                FieldKind::Percent => ctx.tr.t("st-report-percent-hint"),
                FieldKind::Text => String::new(),
            },
            multiline: f.kind == FieldKind::Text,
            required: f.required,
            value: value_of(f.code, f.kind),
        })
        .collect();
    // Each milestone of the period gets its line, after the products.
    let at = fields.iter().position(|f| f.code == "products").map_or(fields.len(), |i| i + 1);
    let lines: Vec<FieldView> = opened
        .milestones
        .iter()
        .map(|m| {
            let code = format!("{MILESTONE_PREFIX}{}", m.seq);
            FieldView {
                label: ctx.tr.t_with("st-report-milestone-line", &[("due", &date(m.due_on))]),
                subject: m.title.clone(),
                hint: m.products.clone().unwrap_or_default(),
                multiline: true,
                required: false,
                value: value_of(&code, FieldKind::Text),
                code,
            }
        })
        .collect();
    fields.splice(at..at, lines);
    let (status_text, status_code) = status_label(ctx, row.status(), row.version);
    let view = ReportPage {
        layout: ctx.layout_named(report_name(ctx, kind, row.seq)),
        contract_id: c.id,
        task: c.title.clone(),
        number: c.number.clone(),
        name: report_name(ctx, kind, row.seq),
        period: format!("{} – {}", date(row.starts_on), date(row.ends_on)),
        due: date(row.due_on),
        status: status_text,
        status_code,
        overdue: opened.timeliness.overdue,
        late: opened.timeliness.late,
        submitted: crate::reporting::show_instant(row.submitted_at),
        return_comment: row.return_comment.clone().filter(|_| row.status().is_editable()).unwrap_or_default(),
        milestones: opened
            .milestones
            .iter()
            .map(|m| {
                let reached = m.done_on.map(date).unwrap_or_default();
                (m.title.clone(), date(m.due_on), reached)
            })
            .collect(),
        fields,
        readable: opened.readable,
        may_save,
        may_decide: opened.may(ReportAction::Approve) || opened.may(ReportAction::Return),
        version: row.version,
        action: use_cases::link(c.id, kind, row.seq),
        comment: typed.map(|t| t.get("comment")).unwrap_or_default(),
        errors,
        done: if done.is_empty() { String::new() } else { ctx.tr.t(&format!("st-report-done-{done}")) },
        is_sample: row.is_sample,
    };
    Ok((status, Html(view.render().map_err(AppError::internal)?)).into_response())
}

/// What the page was asked to show after an action.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Shown {
    #[serde(default)]
    done: String,
}

/// What a report's page says after each of its actions (`?done=`).
const DONE: &[&str] = &["saved", "submitted", "accepted", "returned"];

/// `GET /contracts/{id}/reports/{kind}/{seq}`.
pub async fn show(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
    let opened = use_cases::open_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq).await?;
    let done = DONE.iter().find(|d| **d == shown.done).copied().unwrap_or_default();
    page(&ctx, opened, None, FormErrors::default(), done, StatusCode::OK).await
}

/// The page again after a refusal: the form as typed, each wrong field named, or the conflict said.
async fn refused(
    ctx: &Ctx,
    id: i64,
    kind: &str,
    seq: i64,
    typed: &Submitted,
    err: tiendo_app::Error,
) -> Result<Response, AppError> {
    let (errors, status) = match err {
        tiendo_app::Error::Invalid(errors) => {
            (FormErrors::from_fields(&errors, &ctx.tr), StatusCode::UNPROCESSABLE_ENTITY)
        }
        err @ (tiendo_app::Error::Conflict { .. } | tiendo_app::Error::Stale) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let mut errors = FormErrors::default();
            errors.add("form", detail);
            (errors, error.status())
        }
        other => return Err(other.into()),
    };
    let opened = use_cases::open_report(ctx.state.app(), ctx.auth.session(), id, kind, seq).await?;
    page(ctx, opened, Some(typed), errors, "", status).await
}

/// Back to the report's page saying what was done, or the page again with the refusal.
async fn outcome(
    ctx: &Ctx,
    (id, kind, seq): (i64, TaskReportKind, i64),
    typed: &Submitted,
    result: Result<(), tiendo_app::Error>,
    done: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{}?done={done}", use_cases::link(id, kind, seq))).into_response()),
        Err(err) => refused(ctx, id, kind.code(), seq, typed, err).await,
    }
}

/// `POST /contracts/{id}/reports/{kind}/{seq}`: saves the report, or submits it (`submit` button).
pub async fn save(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let Some(report_kind) = TaskReportKind::from_code(&kind) else {
        return Err(AppError::NotFound);
    };
    let opened = use_cases::open_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq).await?;
    let asked = report_kind
        .fields()
        .iter()
        .map(|f| f.code.to_owned())
        .chain(opened.milestones.iter().map(|m| format!("{MILESTONE_PREFIX}{}", m.seq)));
    let inputs: BTreeMap<String, String> = asked.map(|code| (code.clone(), form.get(&code))).collect();
    let submit = form.get("submit") == "1";
    let request = SaveReport { version: form.get("version").trim().parse().unwrap_or(0), inputs, submit };
    let result = use_cases::save_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq, &request).await;
    let done = if submit { "submitted" } else { "saved" };
    outcome(&ctx, (id, report_kind, seq), &form, result, done).await
}

/// `POST /contracts/{id}/reports/{kind}/{seq}/decision`: returns the report with a comment or accepts it.
pub async fn decide(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let Some(report_kind) = TaskReportKind::from_code(&kind) else {
        return Err(AppError::NotFound);
    };
    let approve = match form.get("decision").as_str() {
        "accept" => true,
        "return" => false,
        _ => {
            let errors = vec![FieldError::new("decision", "required")];
            return refused(&ctx, id, &kind, seq, &form, tiendo_app::Error::Invalid(errors)).await;
        }
    };
    let result =
        use_cases::decide_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq, approve, &form.get("comment"))
            .await;
    outcome(&ctx, (id, report_kind, seq), &form, result, if approve { "accepted" } else { "returned" }).await
}
