//! `/notifications`: the signed-in user's own notifications (deadline reminders, decisions on progress
//! updates, weekly digests). Every query is scoped to the user; someone else's notification is 404.

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::notifications::{self as use_case, local_link};
use tiendo_db::notifications::{Notification, NotificationFilter};

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::layout::{Ctx, Layout, render};

/// Notifications per page.
const PAGE_SIZE: i64 = 20;

/// A notification as listed, in the reader's language.
#[derive(Debug, Clone)]
pub struct NotificationView {
    id: i64,
    /// The title, as HTML (its data marked).
    title: String,
    /// The body, as HTML (its data marked), lines separated by line breaks.
    body: String,
    created: String,
    unread: bool,
    has_link: bool,
}

fn view(tr: &tiendo_app::Tr, n: Notification) -> NotificationView {
    let (title, body) = use_case::shown(tr, &n);
    NotificationView {
        id: n.id,
        has_link: n.link.as_deref().and_then(local_link).is_some(),
        title,
        body,
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
#[template(path = "notifications/list.html")]
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
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let (rows, total) = use_case::list(
        ctx.state.app(),
        ctx.auth.session(),
        NotificationFilter::default(),
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    let notice = match q.done.as_deref() {
        Some("read") => ctx.tr.t("notifications-all-read-done"),
        _ => String::new(),
    };
    render(&ListPage {
        layout: ctx.layout("notifications-title"),
        items: rows.into_iter().map(|n| view(&ctx.tr, n)).collect(),
        total,
        unread: ctx.auth.unread_notifications,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        notice,
    })
}

/// `POST /notifications/read-all`.
pub async fn mark_all_read(ctx: Ctx) -> Result<Response, AppError> {
    use_case::mark_all_read(ctx.state.app(), ctx.auth.session()).await?;
    Ok(Redirect::to("/notifications?done=read").into_response())
}

/// `POST /notifications/{id}/open`: marks the notification read and goes to its link, or back to the
/// list when it has none or its link leads off the site.
pub async fn open(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let target = use_case::open(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to(target.as_deref().unwrap_or("/notifications")).into_response())
}
