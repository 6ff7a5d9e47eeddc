//! `/api/v1/reports`: periodic reports (issue 7 item 7), over the same use cases as the pages
//! (`tiendo_app::reporting`): a report is opened by its unit on a form for a period, its values saved
//! (typed as on the form, or as JSON numbers) with optimistic locking, submitted, returned or approved;
//! the `permissions` of a report are the actions the workflow allows the caller, as the page's buttons.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::reporting::decisions::{self, Decision};
use tiendo_app::reporting::reports::{self as service, Input, ListFilter, OpenReport, SaveValues, Visible};
use tiendo_core::reporting::field::input_text;
use tiendo_core::reporting::workflow::ReportAction;
use tiendo_core::reporting::{ReportStatus, Value};
use tiendo_db::directory::Page;
use tiendo_db::reporting::reports;
use utoipa::{IntoParams, ToSchema};

use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::monitoring::OrgRef;
use crate::api::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// What the caller may do with a report: the actions the report's workflow allows them now, as the
/// buttons of the report's page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPermissions {
    /// Save values (a draft or returned report of the caller's unit).
    pub edit: bool,
    /// Submit it.
    pub submit: bool,
    /// Approve or return it (a submitted report, for the department): `approve` or `return`.
    pub decide: bool,
    /// Return it with comments (a submitted report, for the department's leaders and officers).
    #[serde(rename = "return")]
    pub return_: bool,
    /// Approve it (a submitted report, for the department's leaders).
    pub approve: bool,
    /// Unlock it with a reason (an approved report, for the department's leaders).
    pub unlock: bool,
}

impl ReportPermissions {
    /// The permissions of the actions the workflow allows.
    pub fn of(actions: &[ReportAction]) -> ReportPermissions {
        let may = |a: ReportAction| actions.contains(&a);
        ReportPermissions {
            edit: may(ReportAction::Save),
            submit: may(ReportAction::Submit),
            decide: may(ReportAction::Return) || may(ReportAction::Approve),
            return_: may(ReportAction::Return),
            approve: may(ReportAction::Approve),
            unlock: may(ReportAction::Unlock),
        }
    }
}

/// A value of a report field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportFieldValue {
    /// As typed on the form, the Vietnamese way (`1.234.567`, `12,5`, `có`, `31/12/2025`).
    pub text: String,
    /// The number, for numeric and yes/no fields.
    pub number: Option<f64>,
}

/// A report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportEntry {
    /// Id.
    pub id: i64,
    /// The template's code.
    pub template: String,
    /// The template version it is filled on.
    pub template_version: i64,
    /// The reporting organisation.
    pub organization: OrgRef,
    /// The period's code (`2025`, `2025Q3`, `2025M07`).
    pub period: String,
    /// The period's name in Vietnamese (`Năm 2025`).
    pub period_name: String,
    /// The due day.
    pub due_on: NaiveDate,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: String,
    /// Send back when saving (optimistic locking).
    pub version: i64,
    /// The administrative unit it was reported from (the original attribution), when known.
    pub unit_code: Option<String>,
    /// When submitted last.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When returned or approved last.
    pub decided_at: Option<DateTime<Utc>>,
    /// The overall comment of the last return.
    pub return_comment: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The values by field code (only in a single report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<String, ReportFieldValue>>,
    /// What the caller may do.
    pub permissions: ReportPermissions,
}

/// The entry of a report the caller may see; with its values for a single report.
async fn entry(ctx: &Ctx, found: Visible, with_values: bool) -> Result<ReportEntry, AppError> {
    let values = if with_values {
        let (_, def) = service::definition(ctx.state.app(), &found.report).await?;
        let stored = reports::values(ctx.state.db(), found.report.id).await?;
        Some(
            def.fields()
                .filter_map(|f| {
                    stored
                        .get(&f.code)
                        .map(|v| (f.code.clone(), ReportFieldValue { text: input_text(f.kind, v), number: v.number() }))
                })
                .collect(),
        )
    } else {
        None
    };
    let permissions = ReportPermissions::of(&found.actions);
    let r = found.report;
    Ok(ReportEntry {
        permissions,
        id: r.id,
        template: r.template_code,
        template_version: r.template_version,
        organization: OrgRef { id: r.org_id, name: r.org_name },
        period_name: crate::reporting::period_name(tiendo_core::lang::Lang::Vi, &r.period_code),
        period: r.period_code,
        due_on: r.due_on,
        status: r.status,
        version: r.version,
        unit_code: r.unit_code,
        submitted_at: r.submitted_at,
        decided_at: r.decided_at,
        return_comment: r.return_comment,
        is_sample: r.is_sample,
        updated_at: r.updated_at,
        values,
    })
}

/// Filters and paging of the reports.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportsQuery {
    /// Only this template.
    template: Option<String>,
    /// Only this period (`2025`).
    period: Option<String>,
    /// Only this organisation.
    organization: Option<i64>,
    /// Only this status.
    #[param(schema_with = status_filter)]
    status: Option<String>,
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// The reports the caller may see: a unit its own, the department every one.
#[utoipa::path(get, path = "/reports", tag = "reporting", operation_id = "list_reports", security(("bearer" = [])),
    params(ReportsQuery),
    responses(
        (status = 200, description = "Reports, latest periods first", body = ListPage<ReportEntry>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_status`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_reports(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ReportsQuery>,
) -> Result<Json<ListPage<ReportEntry>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(ReportStatus::from_code(code).ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("status", "unknown_status").arg("value", code)])
        })?),
        None => None,
    };
    let filter = ListFilter {
        form: q.template.filter(|s| !s.is_empty()),
        period: q.period.filter(|s| !s.is_empty()),
        organization: q.organization,
        status,
    };
    let page = Page { offset: paging.offset, limit: paging.limit };
    let found = service::list(ctx.state.app(), ctx.auth.session(), &filter, page).await?;
    let mut items = Vec::with_capacity(found.items.len());
    for v in found.items {
        items.push(entry(&ctx, v, false).await?);
    }
    let next = paging.next(items.len(), found.total);
    Ok(Json(ListPage { items, total: found.total, next }))
}

/// What report to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenReportBody {
    /// The template's code.
    pub template: String,
    /// The reporting organisation.
    pub organization_id: i64,
    /// The period's code, of the template's periodicity (`2025`, `2025Q3`, `2025M07`, `2025H1`, `2025N9`).
    pub period: String,
}

/// Opens the report of an organisation for a template and a period, or returns the one already opened.
///
/// 201 when opened, 200 when it existed. The template must be in force and assigned to the organisation,
/// and the period of its periodicity and begun (`unknown_template`, `not_a_target`, `period_*`).
#[utoipa::path(post, path = "/reports", tag = "reporting", operation_id = "open_report", security(("bearer" = [])),
    request_body = OpenReportBody,
    responses(
        (status = 200, description = "Already opened", body = ReportEntry),
        (status = 201, description = "Opened", body = ReportEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not report for the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_organization`, `unknown_template`, `not_a_target`, a period problem", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn open_report(
    ctx: Ctx,
    ApiJson(body): ApiJson<OpenReportBody>,
) -> Result<(StatusCode, Json<ReportEntry>), AppError> {
    ctx.auth.require_user()?;
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let request = OpenReport {
        form: body.template.trim().to_owned(),
        organization: body.organization_id,
        period: body.period,
        sample: false,
    };
    let opened = service::open(app, session, &request).await?;
    let status = if opened.created { StatusCode::CREATED } else { StatusCode::OK };
    let found = service::visible(app, session, opened.report.id).await?;
    Ok((status, Json(entry(&ctx, found, true).await?)))
}

/// One report with its values.
#[utoipa::path(get, path = "/reports/{id}", tag = "reporting", operation_id = "get_report", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report", body = ReportEntry),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_report(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ReportEntry>, AppError> {
    ctx.auth.require_user()?;
    let found = service::visible(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(entry(&ctx, found, true).await?))
}

/// New values of a report.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportValuesBody {
    /// The report's `version` as read; if it changed since, 409 `report_stale`.
    pub version: i64,
    /// Values by field code: a JSON number, `true`/`false` for yes/no, or text as typed on the form (the
    /// Vietnamese way: `1.234.567`, `12,5`, `31/12/2025`). `null` or `""` clears. Fields left out are
    /// cleared too: send every value.
    #[schema(value_type = Object)]
    pub values: HashMap<String, serde_json::Value>,
    /// Submit after saving (required fields and cross-field rules are checked then).
    #[serde(default)]
    pub submit: bool,
}

/// A JSON value as the use case reads it: text as typed, a number, yes/no; `null` clears.
fn input(value: &serde_json::Value) -> Input {
    match value {
        serde_json::Value::Null => Input::Empty,
        serde_json::Value::String(s) => Input::Typed(s.clone()),
        serde_json::Value::Bool(b) => Input::YesNo(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| Input::Typed(n.to_string()), Input::Number),
        other => Input::Typed(other.to_string()),
    }
}

/// Saves the values of a draft or returned report of the caller's unit, and submits it with `submit`.
///
/// Every value is checked first, each problem a field error (`not_a_number` for "N/A", `below_min`,
/// `required`, `rule`, …); nothing is written unless all are valid.
#[utoipa::path(put, path = "/reports/{id}/values", tag = "reporting", operation_id = "save_report_values", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body = ReportValuesBody,
    responses(
        (status = 200, description = "Saved (and submitted)", body = ReportEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not report for the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`report_stale`: changed since `version`; `report_locked`: submitted or approved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values, each named by its field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_report_values(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReportValuesBody>,
) -> Result<Json<ReportEntry>, AppError> {
    ctx.auth.require_user()?;
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let request = SaveValues {
        version: body.version,
        values: body.values.iter().map(|(k, v)| (k.clone(), input(v))).collect(),
        submit: body.submit,
        files: Vec::new(),
        lang: ctx.lang,
    };
    let saved = service::save(app, session, id, request).await?;
    Ok(Json(entry(&ctx, saved, true).await?))
}

/// A decision on a submitted report.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportDecisionBody {
    /// `approve` or `return`.
    pub decision: String,
    /// The overall comment (a return needs this or a field comment).
    #[serde(default)]
    pub comment: Option<String>,
    /// Comments on fields, by field code.
    #[serde(default)]
    pub field_comments: BTreeMap<String, String>,
}

/// Approves a submitted report (its values enter the aggregates at once) or returns it with comments.
#[utoipa::path(post, path = "/reports/{id}/decision", tag = "reporting", operation_id = "decide_report", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body = ReportDecisionBody,
    responses(
        (status = 200, description = "Decided", body = ReportEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not review this report", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`report_already_decided`: not submitted (any more)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`decision_unknown`, `return_needs_comment`, `unknown_report_field`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide_report(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReportDecisionBody>,
) -> Result<Json<ReportEntry>, AppError> {
    ctx.auth.require_user()?;
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let decision = Decision::parse(&body.decision, body.comment, body.field_comments.into_iter().collect())?;
    let decided = decisions::decide(app, session, id, decision).await?;
    Ok(Json(entry(&ctx, decided, true).await?))
}

/// A change of a value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportValueChange {
    /// The field.
    pub field: String,
    /// Before, as typed (`null` when empty).
    pub before: Option<String>,
    /// After, as typed (`null` when cleared).
    pub after: Option<String>,
    /// Who (the account's name, or the label recorded).
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The report's version the change made.
    pub report_version: i64,
}

/// Every change of a report's values (who, when, before, after), newest first.
#[utoipa::path(get, path = "/reports/{id}/history", tag = "reporting", operation_id = "get_report_history", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The changes", body = [ReportValueChange]),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_report_history(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Vec<ReportValueChange>>, AppError> {
    ctx.auth.require_user()?;
    let report = service::visible(ctx.state.app(), ctx.auth.session(), id).await?.report;
    let (_, def) = service::definition(ctx.state.app(), &report).await?;
    let show =
        |field: &str, v: Option<Value>| v.map(|v| def.field(field).map(|f| input_text(f.kind, &v)).unwrap_or_default());
    Ok(Json(
        reports::history(ctx.state.db(), report.id)
            .await?
            .into_iter()
            .map(|h| ReportValueChange {
                before: show(&h.field_code, h.before()),
                after: show(&h.field_code, h.after()),
                by: h.changed_by_name.clone().unwrap_or_else(|| h.changed_by_label.clone()),
                at: h.changed_at,
                report_version: h.report_version,
                field: h.field_code,
            })
            .collect(),
    ))
}

/// The schema of the `status` filter.
fn status_filter() -> utoipa::openapi::Object {
    crate::api::codes::filter("Only this status.", ReportStatus::ALL.map(ReportStatus::code))
}
