//! `/api/v1/contracts/{id}/reports/{kind}/{seq}`: the periodic reports of a task under contract (progress
//! reports, reports on the application of the results): read one, save or submit it (the host), return or
//! accept it (the department's staff). The handlers call `tiendo_app::sci_tech::task_reports`, as the
//! pages do; money is in whole đồng written as digits, percentages as whole numbers.

use std::collections::BTreeMap;

use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::sci_tech::task_reports::{self as use_cases, OpenedReport, ReportLine, SaveReport};
use tiendo_core::reporting::ReportStatus;
use tiendo_core::sci_tech::task_report::TaskReportKind;
use utoipa::openapi::schema::Object;
use utoipa::{IntoParams, ToSchema};

use crate::api::codes::one_of;
use crate::api::extract::ApiJson;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

fn kinds() -> Object {
    one_of(
        "`progress` (every few months while the task runs) or `application` (yearly after the results are recognised).",
        TaskReportKind::ALL.iter().map(|k| k.code()),
    )
}

fn statuses() -> Object {
    one_of("`draft`, `submitted`, `returned` or `approved` (accepted).", ReportStatus::ALL.iter().map(|s| s.code()))
}

fn decisions() -> Object {
    one_of("`accept` or `return` (with a comment).", ["accept", "return"])
}

/// Which report of a task: `progress` (every few months while the task runs) or `application` (yearly after
/// the results are recognised).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskReportKindParam {
    /// A progress report.
    Progress,
    /// A report on the application of the results.
    Application,
}

/// Where a periodic report is: its task, its kind and its number.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskReportPath {
    /// The contract's id.
    pub id: i64,
    /// `progress` or `application`.
    #[param(inline)]
    pub kind: TaskReportKindParam,
    /// The report's number.
    pub seq: i64,
}

/// A periodic report of a task, as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskReportOut {
    /// Which report.
    #[schema(schema_with = kinds)]
    pub kind: String,
    /// Its number among the reports of its kind.
    pub seq: i64,
    /// First day covered.
    pub starts_on: NaiveDate,
    /// Last day covered.
    pub ends_on: NaiveDate,
    /// Due day.
    pub due_on: NaiveDate,
    /// Where it stands.
    #[schema(schema_with = statuses)]
    pub status: String,
    /// Not sent and past its due day.
    pub overdue: bool,
    /// Submitted after its due day.
    pub late: bool,
    /// First submitted.
    pub submitted_at: Option<DateTime<Utc>>,
}

impl TaskReportOut {
    /// A report line as the API gives it.
    pub fn of(line: &ReportLine) -> TaskReportOut {
        let r = &line.row;
        TaskReportOut {
            kind: r.kind.clone(),
            seq: r.seq,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            due_on: r.due_on,
            status: r.status.clone(),
            overdue: line.timeliness.overdue,
            late: line.timeliness.late,
            submitted_at: r.submitted_at,
        }
    }
}

/// One periodic report with what it says.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskReportDetailOut {
    /// The contract.
    pub contract_id: i64,
    /// The report.
    #[serde(flatten)]
    pub report: TaskReportOut,
    /// For optimistic locking: send it back with a save.
    pub version: i64,
    /// What it says, by field (`work_done`, `products`, `percent`, `spent_state`, `spent_other`,
    /// `problems`, `proposals`, `milestone.<seq>` for a progress report; `applied_where`, `scale`, `effect`,
    /// `revenue`, `problems`, `proposals` for an application report); empty while a draft the caller may not
    /// read.
    pub values: BTreeMap<String, String>,
    /// The milestones due in its period (the line of each in `values` is `milestone.<seq>`).
    pub milestones: Vec<super::contracts::MilestoneOut>,
    /// The staff's comment when they returned it.
    pub return_comment: Option<String>,
    /// What the caller may do now: `save`, `submit`, `return`, `approve`.
    pub permissions: Vec<String>,
}

fn detail(opened: OpenedReport) -> TaskReportDetailOut {
    let row = opened.row;
    let line = ReportLine { timeliness: opened.timeliness, row: row.clone() };
    TaskReportDetailOut {
        contract_id: row.contract_id,
        report: TaskReportOut::of(&line),
        version: row.version,
        values: opened.body,
        milestones: opened.milestones.into_iter().map(super::contracts::MilestoneOut::of).collect(),
        return_comment: row.return_comment,
        permissions: opened.actions.iter().map(|a| a.code().to_owned()).collect(),
    }
}

async fn reply(ctx: &Ctx, id: i64, kind: &str, seq: i64) -> Result<Json<TaskReportDetailOut>, AppError> {
    let opened = use_cases::open_report(ctx.state.app(), ctx.auth.session(), id, kind, seq).await?;
    Ok(Json(detail(opened)))
}

/// A periodic report of a task.
#[utoipa::path(get, path = "/contracts/{id}/reports/{kind}/{seq}", tag = "sci_tech", operation_id = "get_task_report",
    params(TaskReportPath),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = TaskReportDetailOut),
        (status = 404, description = "No such report, or a task the caller may not see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_task_report(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
) -> Result<Json<TaskReportDetailOut>, AppError> {
    reply(&ctx, id, &kind, seq).await
}

/// What a save of a report sends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskReportIn {
    /// The `version` read.
    pub version: i64,
    /// What it says, by field (those left out are cleared).
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Submit it after saving (the required fields are checked then).
    #[serde(default)]
    pub submit: bool,
}

/// Saves a report, and submits it when asked (the host).
#[utoipa::path(put, path = "/contracts/{id}/reports/{kind}/{seq}", tag = "sci_tech", operation_id = "save_task_report",
    params(TaskReportPath),
    request_body = TaskReportIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report after it", body = TaskReportDetailOut),
        (status = 403, description = "Not the host organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`report_locked`, `reports_closed`, `report_period_not_begun`, `stale_version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`required`, `money_format`, `percent_range`, `reported_spending_beyond_paid`, `unknown_report_field`, ...)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_task_report(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
    ApiJson(input): ApiJson<TaskReportIn>,
) -> Result<Json<TaskReportDetailOut>, AppError> {
    let request = SaveReport { version: input.version, inputs: input.values, submit: input.submit };
    use_cases::save_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq, &request).await?;
    reply(&ctx, id, &kind, seq).await
}

/// The department's decision on a submitted report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskReportDecisionIn {
    /// Accept it, or return it to the host.
    #[schema(schema_with = decisions)]
    pub decision: String,
    /// Why (required to return it).
    #[serde(default)]
    pub comment: Option<String>,
}

/// Returns a submitted report with a comment, or accepts it (the department's staff).
#[utoipa::path(post, path = "/contracts/{id}/reports/{kind}/{seq}/decision", tag = "sci_tech", operation_id = "decide_task_report",
    params(TaskReportPath),
    request_body = TaskReportDecisionIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report after it", body = TaskReportDetailOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`report_decided`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`decision`, `comment`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide_task_report(
    ctx: Ctx,
    Path((id, kind, seq)): Path<(i64, String, i64)>,
    ApiJson(input): ApiJson<TaskReportDecisionIn>,
) -> Result<Json<TaskReportDetailOut>, AppError> {
    let approve = match input.decision.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::Validation(vec![crate::error::FieldError::new("decision", "invalid")])),
    };
    let comment = input.comment.unwrap_or_default();
    use_cases::decide_report(ctx.state.app(), ctx.auth.session(), id, &kind, seq, approve, &comment).await?;
    reply(&ctx, id, &kind, seq).await
}
