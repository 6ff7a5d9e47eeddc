//! `/notifications`: the signed-in user's own notifications (deadline reminders, decisions on progress
//! updates, weekly digests). Every query is scoped to the user; someone else's notification is 404.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_db::notifications::{self, Notification, NotificationFilter};

use crate::error::AppError;
use crate::layout::{Ctx, Layout, render};

/// Notifications per page.
const PAGE_SIZE: i64 = 20;

/// The link of a notification if it stays on this site: a path starting with one `/`, without a
/// backslash, whitespace or control character (browsers turn `/\evil` or `/<tab>/evil` into another
/// host). Anything else is not followed.
pub fn local_link(link: &str) -> Option<&str> {
    let ok = link.starts_with('/')
        && !link.starts_with("//")
        && !link.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    ok.then_some(link)
}

/// A notification as listed.
#[derive(Debug, Clone)]
pub struct NotificationView {
    id: i64,
    title: String,
    body: String,
    created: String,
    unread: bool,
    has_link: bool,
}

fn view(n: Notification) -> NotificationView {
    NotificationView {
        id: n.id,
        has_link: n.link.as_deref().and_then(local_link).is_some(),
        title: n.title,
        body: n.body,
        created: tiendo_core::fmt::datetime(n.created_at),
        unread: n.read_at.is_none(),
    }
}

/// Query of `GET /notifications`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<i64>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    layout: Layout,
    items: Vec<NotificationView>,
    total: i64,
    unread: i64,
    page: i64,
    pages: i64,
    notice: String,
}

/// `GET /notifications`: newest first, unread highlighted.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.id;
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let db = ctx.state.db();
    let (rows, total) =
        notifications::list_of_user(db, me, NotificationFilter::default(), PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let notice = match q.done.as_deref() {
        Some("read") => ctx.tr.t("notifications-all-read-done"),
        _ => String::new(),
    };
    render(&ListPage {
        layout: ctx.layout("notifications-title"),
        items: rows.into_iter().map(view).collect(),
        total,
        unread: ctx.auth.unread_notifications,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        notice,
    })
}

/// `POST /notifications/read-all`.
pub async fn mark_all_read(ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.id;
    notifications::mark_all_read(ctx.state.db(), me).await?;
    Ok(Redirect::to("/notifications?done=read").into_response())
}

/// `POST /notifications/{id}/open`: marks the notification read and goes to its link, or back to the
/// list when it has none or its link leads off the site.
pub async fn open(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let me = ctx.auth.require_user()?.id;
    let db = ctx.state.db();
    let notification = notifications::get_of_user(db, me, id).await?.ok_or(AppError::NotFound)?;
    notifications::mark_read(db, me, id).await?;
    let target = match notification.link.as_deref() {
        Some(link) => local_link(link).unwrap_or_else(|| {
            tracing::warn!(notification = id, "a notification's link leads off the site; not followed");
            "/notifications"
        }),
        None => "/notifications",
    };
    Ok(Redirect::to(target).into_response())
}

#[cfg(test)]
mod tests {
    use super::local_link;

    #[test]
    fn only_links_within_the_site_are_followed() {
        assert_eq!(local_link("/assignments/12"), Some("/assignments/12"));
        assert_eq!(local_link("/overdue?plan=3"), Some("/overdue?plan=3"));
        for foreign in [
            "https://evil.example/x",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "javascript:alert(1)",
            "assignments/12",
            "",
        ] {
            assert_eq!(local_link(foreign), None, "{foreign:?}");
        }
    }
}
