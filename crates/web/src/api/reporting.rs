//! `/api/v1/report-templates`, `/api/v1/reports`, `/api/v1/report-aggregates`: periodic reporting (issue 7
//! item 7). The same operations as the pages (`services::reports`, `services::report_aggregates`): a report
//! is opened by its unit for a template and a period, its values saved (typed as on the form, or as JSON
//! numbers) with optimistic locking, submitted, returned or approved; aggregates are those of approved
//! reports, on today's map or on the map of the time. Access is checked on every report.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::authz::{Action, Stage};
use tiendo_core::reporting::field::input_text;
use tiendo_core::reporting::{Period, ReportStatus, TemplateDef, Value};
use tiendo_db::reporting::aggregates::{self, Map};
use tiendo_db::reporting::reports::{self, Report, ReportFilter};
use tiendo_db::reporting::templates::{self, TemplateRow};
use utoipa::{IntoParams, ToSchema};

use super::ListPage;
use super::extract::{ApiJson, ApiQuery};
use super::monitoring::{OrgRef, answer};
use super::paging::Paging;
use crate::error::{AppError, FieldError, Problem};
use crate::layout::Ctx;
use crate::reporting::stats::{AggregateQuery, columns, require};
use crate::reporting::{scope, today};
use crate::services::report_aggregates as table_service;
use crate::services::reports::{self as service, Decision, DecisionOutcome, SaveOutcome, SaveRequest};

/// A report template (the version in force).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportTemplateEntry {
    /// Stable code (`KHCN-NAM`).
    pub code: String,
    /// The version in force.
    pub version: i64,
    /// Name (Vietnamese).
    pub name: String,
    /// `monthly`, `quarterly`, `half_yearly`, `nine_monthly`, `yearly` or `ad_hoc`.
    pub periodicity: String,
    /// Days after the period ends by which a report is due.
    pub due_days: i64,
    /// No longer due; no new reports.
    pub retired: bool,
}

impl From<&TemplateRow> for ReportTemplateEntry {
    fn from(t: &TemplateRow) -> Self {
        ReportTemplateEntry {
            code: t.code.clone(),
            version: t.version,
            name: t.name.clone(),
            periodicity: t.periodicity.clone(),
            due_days: t.due_days,
            retired: t.retired,
        }
    }
}

/// A report template with its definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportTemplateDetail {
    /// The template.
    #[serde(flatten)]
    pub template: ReportTemplateEntry,
    /// The definition as written (TOML; the format is in docs/reporting.md).
    pub source: String,
    /// The definition parsed: `indicator`, `section` (each with `field`), `rule`.
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

/// Report templates in force.
#[utoipa::path(get, path = "/report-templates", tag = "reporting", operation_id = "list_report_templates", security(("bearer" = [])),
    responses(
        (status = 200, description = "Templates", body = [ReportTemplateEntry]),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_report_templates(ctx: Ctx) -> Result<Json<Vec<ReportTemplateEntry>>, AppError> {
    ctx.auth.require_user()?;
    Ok(Json(templates::list(ctx.state.db(), false).await?.iter().map(ReportTemplateEntry::from).collect()))
}

/// One report template with its definition (fields, types, bounds, indicators, rules).
#[utoipa::path(get, path = "/report-templates/{code}", tag = "reporting", operation_id = "get_report_template", security(("bearer" = [])),
    params(("code" = String, Path, description = "Template code")),
    responses(
        (status = 200, description = "The template", body = ReportTemplateDetail),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such template", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_report_template(ctx: Ctx, Path(code): Path<String>) -> Result<Json<ReportTemplateDetail>, AppError> {
    ctx.auth.require_user()?;
    let row = templates::in_force(ctx.state.db(), &code).await?.ok_or(AppError::NotFound)?;
    let def = row.def()?;
    Ok(Json(ReportTemplateDetail {
        template: ReportTemplateEntry::from(&row),
        source: row.definition.clone(),
        definition: serde_json::to_value(&def).map_err(AppError::internal)?,
    }))
}

/// What the caller may do with a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportPermissions {
    /// Save values (a draft or returned report of the caller's unit).
    pub edit: bool,
    /// Submit it.
    pub submit: bool,
    /// Approve or return it (a submitted report, for the department).
    pub decide: bool,
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

async fn entry(ctx: &Ctx, r: Report, with_values: bool) -> Result<ReportEntry, AppError> {
    let path = tiendo_db::orgtree::path(ctx.state.db(), r.org_id).await?;
    let state = r.state();
    let editable = state.is_editable();
    let values = if with_values {
        let def = service::definition(&ctx.state, &r).await?.1;
        let stored = reports::values(ctx.state.db(), r.id).await?;
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
    Ok(ReportEntry {
        permissions: ReportPermissions {
            edit: editable && service::may(&ctx.auth, Action::Edit, &path, Stage::Draft),
            submit: editable && service::may(&ctx.auth, Action::Submit, &path, Stage::Draft),
            decide: state == ReportStatus::Submitted
                && service::may(&ctx.auth, Action::Approve, &path, Stage::Submitted),
        },
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
pub struct ReportsQuery {
    /// Only this template.
    template: Option<String>,
    /// Only this period (`2025`).
    period: Option<String>,
    /// Only this organisation.
    organization: Option<i64>,
    /// Only this status.
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
    let mut statuses = Vec::new();
    if let Some(code) = q.status.as_deref().filter(|s| !s.is_empty()) {
        let status = ReportStatus::from_code(code).ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("status", "unknown_status").arg("value", code)])
        })?;
        statuses.push(status);
    }
    let filter = ReportFilter {
        template_code: q.template.filter(|s| !s.is_empty()),
        period_code: q.period.filter(|s| !s.is_empty()),
        statuses,
        org_id: q.organization,
        scope: scope(&ctx.state, &ctx.auth.actor).await?,
    };
    let all = reports::list(ctx.state.db(), &filter, 100_000).await?;
    let total = all.len();
    let (skip, take) =
        (usize::try_from(paging.offset).unwrap_or(usize::MAX), usize::try_from(paging.limit).unwrap_or(0));
    let mut items = Vec::new();
    for r in all.into_iter().skip(skip).take(take) {
        items.push(entry(&ctx, r, false).await?);
    }
    Ok(Json(answer(paging, items, total)))
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
    let existed = match tiendo_db::reporting::templates::in_force(ctx.state.db(), body.template.trim()).await? {
        Some(t) => match Period::for_report(t.periodicity(), &body.period, today()) {
            Ok(p) => reports::find(ctx.state.db(), &t.code, body.organization_id, &p.code()).await?.is_some(),
            Err(_) => false,
        },
        None => false,
    };
    let report =
        service::open(&ctx.state, &ctx.auth, body.template.trim(), body.organization_id, &body.period, today())
            .await?
            .map_err(AppError::Validation)?;
    let status = if existed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(entry(&ctx, report, true).await?)))
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
    let (report, _) = service::visible(&ctx.state, &ctx.auth, id).await?;
    Ok(Json(entry(&ctx, report, true).await?))
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

/// The typed text of a JSON value for a field (numbers written the Vietnamese way, as the form reads them).
fn typed(def: &TemplateDef, field: &str, value: &serde_json::Value) -> String {
    let kind = def.field(field).map(|f| f.kind);
    match (value, kind) {
        (serde_json::Value::Null, _) => String::new(),
        (serde_json::Value::String(s), _) => s.clone(),
        (serde_json::Value::Bool(b), _) => if *b { "có" } else { "không" }.to_owned(),
        (serde_json::Value::Number(n), Some(kind)) if kind.is_numeric() => {
            n.as_f64().map(|x| input_text(kind, &Value::Number(x))).unwrap_or_else(|| n.to_string())
        }
        (other, _) => other.to_string(),
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
    let (report, _) = service::visible(&ctx.state, &ctx.auth, id).await?;
    let (_, def) = service::definition(&ctx.state, &report).await?;
    let mut errors = Vec::new();
    for field in body.values.keys() {
        if def.field(field).is_none() {
            errors.push(FieldError::new(field.clone(), "unknown_report_field").arg("name", field.clone()));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let inputs = body.values.iter().map(|(k, v)| (k.clone(), typed(&def, k, v))).collect();
    let request = SaveRequest { version: body.version, inputs, submit: body.submit, files: Vec::new() };
    match service::save(&ctx.state, &ctx.auth, id, request, ctx.lang).await? {
        SaveOutcome::Saved { report, .. } => Ok(Json(entry(&ctx, report, true).await?)),
        SaveOutcome::Invalid(errors) => Err(AppError::Validation(errors)),
        SaveOutcome::Stale(_) => Err(AppError::Conflict { code: "report_stale" }),
        SaveOutcome::Locked(_) => Err(AppError::Conflict { code: "report_locked" }),
    }
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
    let decision = match body.decision.as_str() {
        "approve" => Decision::Approve,
        "return" => {
            Decision::Return { overall: body.comment.clone(), fields: body.field_comments.into_iter().collect() }
        }
        other => {
            return Err(AppError::Validation(vec![
                FieldError::new("decision", "decision_unknown").arg("value", other),
            ]));
        }
    };
    match service::decide(&ctx.state, &ctx.auth, id, decision, today()).await? {
        DecisionOutcome::Done(report) => Ok(Json(entry(&ctx, report, true).await?)),
        DecisionOutcome::Invalid(errors) => Err(AppError::Validation(errors)),
        DecisionOutcome::AlreadyDecided(_) => Err(AppError::Conflict { code: "report_already_decided" }),
    }
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
    let (report, _) = service::visible(&ctx.state, &ctx.auth, id).await?;
    let (_, def) = service::definition(&ctx.state, &report).await?;
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

/// Which aggregates.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportAggregatesQuery {
    /// The province's code (default: 22, else the first with data).
    province: Option<String>,
    /// `current` (today's map, default) or `reported` (the map of the time).
    map: Option<String>,
    /// First year (default: the first with data).
    from: Option<i32>,
    /// Last year (default: the last with data).
    to: Option<i32>,
    /// One period instead of years (`2025Q3`).
    period: Option<String>,
}

/// An indicator's row of the aggregates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportAggregateRow {
    /// The indicator's code.
    pub indicator: String,
    /// Its name (Vietnamese).
    pub name: String,
    /// Its unit (`%` for a ratio).
    pub unit: String,
    /// `sum`, `average`, `latest` or `ratio`.
    pub aggregation: String,
    /// One value per period, `null` when nothing was reported.
    pub values: Vec<Option<f64>>,
}

/// The aggregates of a province.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportAggregates {
    /// The province's code.
    pub province: String,
    /// `current` or `reported`.
    pub map: String,
    /// The periods (codes), one per value.
    pub periods: Vec<String>,
    /// One row per indicator with data.
    pub rows: Vec<ReportAggregateRow>,
}

/// The indicators of a province by year (or for one period) from approved reports.
///
/// On today's map (`current`), figures of former units count for their successors (the default
/// successor, or a configured share of a split unit); on the map of the time (`reported`), where they were
/// reported. Updated when a report is approved or unlocked.
#[utoipa::path(get, path = "/report-aggregates", tag = "reporting", operation_id = "get_report_aggregates", security(("bearer" = [])),
    params(ReportAggregatesQuery),
    responses(
        (status = 200, description = "The table", body = ReportAggregates),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not see report statistics", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`period_format`, `year_range`, `map_unknown`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_report_aggregates(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ReportAggregatesQuery>,
) -> Result<Json<ReportAggregates>, AppError> {
    ctx.auth.require_user()?;
    require(&ctx)?;
    let code = q.map.as_deref().unwrap_or("current");
    let map = Map::from_code(code)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("map", "map_unknown").arg("value", code)]))?;
    let province = match q.province.filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None => {
            let provinces = aggregates::provinces(ctx.state.db(), map).await?;
            provinces.iter().find(|p| *p == "22").or(provinces.first()).cloned().unwrap_or_default()
        }
    };
    let query = AggregateQuery {
        map: map.code().to_owned(),
        province: province.clone(),
        from: q.from.map(|y| y.to_string()).unwrap_or_default(),
        to: q.to.map(|y| y.to_string()).unwrap_or_default(),
        period: q.period.unwrap_or_default(),
        indicator: String::new(),
        unit: String::new(),
    };
    let cells = table_service::province_cells(&ctx.state, map, &province).await?;
    let cols = columns(&query, &table_service::years_of(&cells)).map_err(|code| {
        let field = if code == "period_format" { "period" } else { "from" };
        AppError::Validation(vec![FieldError::new(field, code)])
    })?;
    let rows = table_service::table(&ctx.state, &cells, &cols).await?;
    Ok(Json(ReportAggregates {
        province,
        map: map.code().to_owned(),
        periods: cols.iter().map(|p| p.code()).collect(),
        rows: rows
            .into_iter()
            .map(|r| ReportAggregateRow {
                unit: table_service::unit_label(&r.indicator),
                indicator: r.indicator.code.clone(),
                name: r.indicator.name.clone(),
                aggregation: r.indicator.aggregation.clone(),
                values: r.values,
            })
            .collect(),
    }))
}
