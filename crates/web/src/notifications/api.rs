//! `/api/v1/notifications`: the caller's own notifications, and marking them read. Someone else's
//! notification is 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::notifications as use_case;
use tiendo_db::notifications::NotificationFilter;
use utoipa::{IntoParams, ToSchema};

use crate::api::ListPage;
use crate::api::extract::ApiQuery;
use crate::api::paging::{DEFAULT_LIMIT, MAX_LIMIT, invalid};
use crate::auth::Auth;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::state::AppState;

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationItem {
    /// Id, increasing.
    pub id: i64,
    /// A stable kind: `deadline_soon`, `deadline_passed`, `digest`, `update_submitted`, `update_accept`,
    /// `update_return`.
    pub kind: String,
    /// Title (Vietnamese).
    pub title: String,
    /// Body, plain text with line breaks.
    pub body: String,
    /// A path on this site to open, if any.
    pub link: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was read; `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
}

/// Filters of the notification list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// Only unread notifications (`total` is then the unread count).
    unread: Option<bool>,
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", operation_id = "list_notifications",
    security(("bearer" = [])),
    params(NotificationsQuery),
    responses(
        (status = 200, description = "Notifications", body = ListPage<NotificationItem>),
        (status = 400, description = "Invalid parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_notifications(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<NotificationsQuery>,
) -> Result<Json<ListPage<NotificationItem>>, AppError> {
    auth.require_user()?;
    // The cursor is the id of the last item seen (not an offset), so that notifications arriving between
    // two pages do not shift them.
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(invalid(format!("limit: between 1 and {MAX_LIMIT}")));
    }
    let before_id = match q.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse::<i64>().map_err(|_| invalid("cursor: not a cursor of this list".into()))?),
    };
    let filter = NotificationFilter { unread_only: q.unread.unwrap_or(false), before_id };
    let (rows, total) = use_case::list(state.app(), auth.session(), filter, limit, 0).await?;
    let next =
        if i64::try_from(rows.len()).unwrap_or(0) == limit { rows.last().map(|n| n.id.to_string()) } else { None };
    let items = rows
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    Ok(Json(ListPage { items, total, next }))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", operation_id = "mark_notification_read",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notification id")),
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notification of the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn mark_notification_read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    auth.require_user()?;
    use_case::mark_read(state.app(), auth.session(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all the caller's notifications read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", operation_id = "mark_all_notifications_read",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "All read"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn mark_all_notifications_read(State(state): State<AppState>, auth: Auth) -> Result<StatusCode, AppError> {
    auth.require_user()?;
    use_case::mark_all_read(state.app(), auth.session()).await?;
    Ok(StatusCode::NO_CONTENT)
}
