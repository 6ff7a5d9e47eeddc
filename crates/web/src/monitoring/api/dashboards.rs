//! `/api/v1/dashboard`, `/api/v1/overdue`: the leader's figures over the province and the overdue list.

use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::dashboards;
use tiendo_db::monitoring::assignments::PageRequest;
use utoipa::{IntoParams, ToSchema};

use super::assignments::{AssignmentEntry, entry};
use super::{Figures, OrgRef, paged};
use crate::api::ListPage;
use crate::api::extract::ApiQuery;
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::layout::Ctx;

/// A lead organisation with overdue assignments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadOverdueEntry {
    /// The organisation.
    pub organization: OrgRef,
    /// The assignments it leads (cancelled ones excepted).
    pub assignments: i64,
    /// How many of them are overdue.
    pub overdue: i64,
}

/// The figures of every assignment the caller sees (the whole province for its department staff).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProvinceDashboard {
    /// The date the statuses are derived for (today in Vietnam).
    pub as_of: NaiveDate,
    /// Totals by status and weighted progress.
    pub figures: Figures,
    /// Who is late: the lead organisations with overdue assignments, most overdue first.
    pub overdue_by_lead: Vec<LeadOverdueEntry>,
}

/// The leader's figures: totals by status, progress, and overdue assignments by lead organisation.
#[utoipa::path(get, path = "/dashboard", tag = "monitoring", operation_id = "get_dashboard", security(("bearer" = [])),
    responses(
        (status = 200, description = "The figures", body = ProvinceDashboard),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_dashboard(ctx: Ctx) -> Result<Json<ProvinceDashboard>, AppError> {
    ctx.auth.require_user()?;
    let o = dashboards::overview(ctx.state.app(), ctx.auth.session()).await?;
    let overdue_by_lead = o
        .late_leads
        .into_iter()
        .map(|l| LeadOverdueEntry {
            organization: OrgRef { id: l.org_id, name: l.name },
            assignments: l.assignments,
            overdue: l.overdue,
        })
        .collect();
    Ok(Json(ProvinceDashboard { as_of: o.today, figures: (&o.summary).into(), overdue_by_lead }))
}

/// Paging of the overdue list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// Every overdue assignment the caller sees, most days overdue first.
///
/// Then by id; `lead` is the responsible organisation and `status.days_late` the days overdue.
#[utoipa::path(get, path = "/overdue", tag = "monitoring", operation_id = "list_overdue", security(("bearer" = [])),
    params(OverdueQuery),
    responses(
        (status = 200, description = "Overdue assignments; `status.days_late` is the days overdue", body = ListPage<AssignmentEntry>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_overdue(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OverdueQuery>,
) -> Result<Json<ListPage<AssignmentEntry>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let app = ctx.state.app();
    let page = PageRequest { limit: Some(paging.limit), offset: paging.offset };
    let (rows, total) = dashboards::overdue(app, ctx.auth.session(), page).await?;
    let now = app.today();
    Ok(Json(paged(paging, rows.iter().map(|r| entry(r, now)).collect(), total)))
}
