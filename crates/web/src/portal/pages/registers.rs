//! Public registers: the resolution progress of each locality now (from the monitoring module), in
//! figures only; S&T tasks and S&T enterprises join when their modules land.

use askama::Template;
use axum::http::HeaderMap;
use axum::response::Response;
use tiendo_core::monitoring::StatusKind;
use tiendo_db::monitoring::Visibility;

use super::cached;
use crate::error::AppError;
use crate::layout::{Ctx, Layout};
use crate::monitoring::dashboard::locality_lines;

#[derive(Template)]
#[template(path = "portal/registers.html")]
struct IndexPage {
    layout: Layout,
}

/// `GET /registers`: the list of public registers.
pub async fn index(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "text/html; charset=utf-8", || async {
        IndexPage { layout: ctx.layout("portal-registers-title") }.render().map_err(AppError::internal)
    })
    .await
}

/// A locality's line of the register.
#[derive(Debug, Clone)]
pub struct LocalityRow {
    /// Its name.
    pub name: String,
    /// Assignments led there (cancelled ones aside).
    pub total: i64,
    /// Completed (on time or late).
    pub completed: i64,
    /// In progress within the deadline (and not started).
    pub in_progress: i64,
    /// Overdue.
    pub overdue: i64,
    /// Weighted progress, 0–100.
    pub progress: i64,
}

#[derive(Template)]
#[template(path = "portal/register_localities.html")]
struct LocalitiesPage {
    layout: Layout,
    rows: Vec<LocalityRow>,
    today: String,
}

/// `GET /registers/localities`: every locality with assignments, its counts and progress today.
pub async fn localities(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    // Progress is reported in the monitoring module, which does not touch the portal's stamp: the figures
    // are kept five minutes at most.
    let slot = ctx.state.app().now().timestamp() / 300;
    super::cached_keyed(&ctx, &headers, "text/html; charset=utf-8", &slot.to_string(), || async {
        let lines = locality_lines(&ctx, false, "", &Visibility::All).await?;
        let rows = lines
            .into_iter()
            .filter(|l| l.summary.total > 0)
            .map(|l| LocalityRow {
                name: l.name,
                total: l.summary.total,
                completed: l.summary.count(StatusKind::CompletedOnTime) + l.summary.count(StatusKind::CompletedLate),
                in_progress: l.summary.count(StatusKind::InProgress) + l.summary.count(StatusKind::NotStarted),
                overdue: l.summary.count(StatusKind::Overdue),
                progress: l.progress,
            })
            .collect();
        LocalitiesPage {
            layout: ctx.layout("portal-register-localities-title"),
            rows,
            today: tiendo_core::fmt::date(ctx.state.app().today()),
        }
        .render()
        .map_err(AppError::internal)
    })
    .await
}
