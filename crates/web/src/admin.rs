//! The administration area's hub, `/admin`: the administration pages the user may open (accounts, the
//! audit trail, document templates, the portal, status colours, report forms), each in its feature; and
//! `/admin/jobs`, the background jobs that failed.

use crate::auth::policy::{Policy, Routes};
use crate::error::AppError;
use crate::layout::Ctx;

#[derive(askama::Template)]
#[template(path = "admin_hub.html")]
struct HubPage {
    layout: crate::layout::Layout,
    items: Vec<(&'static str, String, String)>,
}

/// `GET /admin`: the administration pages the user may open.
pub async fn hub(ctx: Ctx) -> Result<axum::response::Response, AppError> {
    let items: Vec<(&'static str, String, String)> = crate::nav::admin_items(&ctx.auth)
        .into_iter()
        .map(|(href, title, description)| (href, ctx.tr.t(title), ctx.tr.t(description)))
        .collect();
    if items.is_empty() {
        return Err(AppError::Forbidden);
    }
    crate::layout::render(&HubPage { layout: ctx.layout("nav-admin"), items })
}

/// A failed job as the page shows it.
struct JobLine {
    id: i64,
    kind: String,
    /// The kind's code when it has no name (a kind this version does not know).
    code: String,
    state: String,
    attempts: i64,
    at: String,
    error: String,
}

#[derive(askama::Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    layout: crate::layout::Layout,
    jobs: Vec<JobLine>,
}

/// The job kinds with a name on the page.
const NAMED_KINDS: &[&str] = &[
    "purge_finished_jobs",
    "purge_sessions",
    "send_email",
    "certificate_clock_reminders",
    "weekly_digest",
    "directive_escalation",
    "publish_scheduled",
    "deadline_reminders",
    "report_reminders",
    "rebuild_report_aggregates",
];

/// `GET /admin/jobs`: the background jobs that failed, with their last error.
pub async fn jobs(ctx: Ctx) -> Result<axum::response::Response, AppError> {
    let rows = tiendo_app::maintenance::troubled_jobs(ctx.state.app(), ctx.auth.session()).await?;
    let jobs = rows
        .into_iter()
        .map(|r| {
            let named = NAMED_KINDS.contains(&r.kind.as_str());
            JobLine {
                id: r.id,
                kind: if named { ctx.tr.t(&format!("job-kind-{}", r.kind)) } else { String::new() },
                code: if named { String::new() } else { r.kind.clone() },
                state: ctx.tr.t(if r.status == "dead" { "admin-jobs-dead" } else { "admin-jobs-retrying" }),
                attempts: r.attempts,
                at: tiendo_core::fmt::datetime(r.run_at),
                error: r.last_error.unwrap_or_default(),
            }
        })
        .collect();
    crate::layout::render(&JobsPage { layout: ctx.layout("admin-jobs-title"), jobs })
}

/// The hub's routes.
pub fn routes() -> Routes {
    Routes::new().get("/admin", hub, Policy::SignedIn).get(
        "/admin/jobs",
        jobs,
        Policy::AnyRole(&[tiendo_core::authz::Role::Administrator]),
    )
}
