//! `/api/v1/report-templates`: the report forms in force (the templates of periodic reports), with their
//! definitions. The paths and schemas keep the API's first names (`report-templates`,
//! `ReportTemplateEntry`).

use axum::Json;
use serde::Serialize;
use tiendo_db::reporting::forms::{self, FormRow};
use utoipa::ToSchema;

use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

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

impl From<&FormRow> for ReportTemplateEntry {
    fn from(t: &FormRow) -> Self {
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
    Ok(Json(forms::list(ctx.state.db(), false).await?.iter().map(ReportTemplateEntry::from).collect()))
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
    let row = forms::in_force(ctx.state.db(), &code).await?.ok_or(AppError::NotFound)?;
    let def = row.def()?;
    Ok(Json(ReportTemplateDetail {
        template: ReportTemplateEntry::from(&row),
        source: row.definition.clone(),
        definition: serde_json::to_value(&def).map_err(AppError::internal)?,
    }))
}
