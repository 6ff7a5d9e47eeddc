//! `/api/v1/report-aggregates`: the indicators of a province by period from approved reports, on today's
//! map or on the map of the time (`tiendo_app::reporting::aggregates`, as the aggregates page).

use axum::Json;
use serde::{Deserialize, Serialize};
use tiendo_app::reporting::aggregates::{self as table_service, require_statistics};
use tiendo_db::reporting::aggregates::Map;
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::ApiQuery;
use crate::error::{AppError, FieldError, Problem};
use crate::layout::Ctx;

/// Which aggregates.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportAggregatesQuery {
    /// The province's code (default: 22, else the first with data).
    province: Option<String>,
    /// `current` (today's map, default) or `reported` (the map of the time).
    #[param(schema_with = map_codes)]
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
    let app = ctx.state.app();
    require_statistics(ctx.auth.session())?;
    let code = q.map.as_deref().unwrap_or("current");
    let map = Map::from_code(code)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("map", "map_unknown").arg("value", code)]))?;
    let province = match q.province.filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None => table_service::default_province(app, map).await?,
    };
    let cells = table_service::province_cells(app, map, &province).await?;
    let (from, to) =
        (q.from.map(|y| y.to_string()).unwrap_or_default(), q.to.map(|y| y.to_string()).unwrap_or_default());
    let cols =
        table_service::columns(q.period.as_deref().unwrap_or_default(), &from, &to, &table_service::years_of(&cells))
            .map_err(|code| {
            let field = if code == "period_format" { "period" } else { "from" };
            AppError::Validation(vec![FieldError::new(field, code)])
        })?;
    let rows = table_service::table(app, &cells, &cols).await?;
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

/// The schema of the `map` parameter.
fn map_codes() -> utoipa::openapi::Object {
    crate::api::codes::one_of(
        "`current` (today's map, default) or `reported` (the map of the time).",
        [Map::Current, Map::Reported].map(Map::code),
    )
}
