//! The HTTP layer of Tiến Độ: HTML pages for people, the JSON API for programs, both over the same
//! core and storage. Handlers are thin: extract, authorize, call one function, render.

pub mod api;
pub mod assets;
pub mod auth;
pub mod cookies;
pub mod directory;
pub mod documents;
pub mod error;
pub mod errors_render;
pub mod forms;
pub mod geo_index;
pub mod health;
pub mod history;

pub mod layout;
pub mod middleware;
pub mod monitoring;
pub mod nav;
pub mod notifications;
pub mod pages;
pub mod portal;
pub mod reporting;
pub mod roles;
pub mod services;
pub mod state;
pub mod visits;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use auth::policy::{Enforcement, Policy, PolicyMap, Routes};
pub use error::AppError;
pub use state::AppState;
pub use tiendo_app::{PdfFonts, Settings};
use tiendo_core::authz::Role;

/// The largest request body of the monitoring forms (several evidence files at once).
pub const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;

/// The largest JSON body the API accepts.
pub const MAX_JSON_BODY: usize = 2 * 1024 * 1024;

/// Request ids: 16 random hex characters, enough to find a request in the logs.
#[derive(Clone, Copy, Default)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let id = uuid_like();
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // A per-process random seed mixed with a counter: unique within the process, unpredictable across.
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
        h.finish()
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:016x}", seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Copies the matched route pattern into the response, so the outer metrics layer can label by route.
async fn expose_matched_path(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(matched);
    }
    response
}

/// Every page route with its policy.
fn page_routes() -> Routes {
    use pages::admin::{audit, templates, users};
    use pages::{account, home, login, map_changes, organizations, people, units};
    const ADMIN: &[Role] = &[Role::Administrator];
    const AUDITORS: &[Role] = &[Role::Administrator, Role::DepartmentLeader];
    Routes::new()
        .get("/", home::show, Policy::Public)
        .get("/account", account::show, Policy::SignedIn)
        .get("/account/password", account::password_form, Policy::SignedIn)
        .post("/account/password", account::change_password, Policy::SignedIn)
        .post("/account/tokens", account::create_token, Policy::SignedIn)
        .post("/account/tokens/{id}/revoke", account::revoke_token, Policy::SignedIn)
        .get("/admin", pages::admin::hub, Policy::SignedIn)
        .get("/admin/users", users::list, Policy::AnyRole(ADMIN))
        .get("/admin/users/new", users::new_form, Policy::AnyRole(ADMIN))
        .post("/admin/users", users::create, Policy::AnyRole(ADMIN))
        .get("/admin/users/{id}", users::show, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}", users::update, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}/status", users::set_status, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}/reset", users::reset, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}/grants", users::add_grant, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}/grants/{grant_id}/delete", users::remove_grant, Policy::AnyRole(ADMIN))
        .post("/admin/users/{id}/tokens/{token_id}/revoke", users::revoke_token, Policy::AnyRole(ADMIN))
        .get("/admin/audit", audit::search, Policy::AnyRole(AUDITORS))
        .get("/admin/templates", templates::list, Policy::AnyRole(ADMIN))
        .get("/admin/templates/{kind}", templates::show, Policy::AnyRole(ADMIN))
        .post("/admin/templates/{kind}", templates::save, Policy::AnyRole(ADMIN))
        .post("/admin/templates/{kind}/preview", templates::preview_draft, Policy::AnyRole(ADMIN))
        .post("/admin/templates/{kind}/restore", templates::restore, Policy::AnyRole(ADMIN))
        .post("/admin/templates/{kind}/default", templates::restore_default, Policy::AnyRole(ADMIN))
        .get("/notifications", notifications::list, Policy::SignedIn)
        .post("/notifications/read-all", notifications::mark_all_read, Policy::SignedIn)
        .post("/notifications/{id}/open", notifications::open, Policy::SignedIn)
        .get("/login", login::show, Policy::Public)
        .post("/login", login::submit, Policy::Public)
        .post("/logout", login::logout, Policy::SignedIn)
        .get("/reset-password/{token}", login::reset_form, Policy::Public)
        .post("/reset-password/{token}", login::reset_submit, Policy::Public)
        .get("/units", units::list, Policy::Public)
        .get("/units/changes/new", map_changes::new_form, Policy::SignedIn)
        .post("/units/changes/new", map_changes::create, Policy::SignedIn)
        .get("/units/{code}", units::show, Policy::Public)
        .get("/address", units::address, Policy::Public)
        .get("/organizations", organizations::list, Policy::SignedIn)
        .get("/organizations/new", organizations::new_form, Policy::SignedIn)
        .post("/organizations/new", organizations::create, Policy::SignedIn)
        .get("/organizations/{id}", organizations::show, Policy::SignedIn)
        .get("/organizations/{id}/edit", organizations::edit_form, Policy::SignedIn)
        .post("/organizations/{id}/edit", organizations::update, Policy::SignedIn)
        .get("/organizations/{id}/succession", organizations::succession_form, Policy::SignedIn)
        .post("/organizations/{id}/succession", organizations::succession_submit, Policy::SignedIn)
        .get("/people", people::list, Policy::SignedIn)
        .get("/people/new", people::new_form, Policy::SignedIn)
        .post("/people/new", people::create, Policy::SignedIn)
        .get("/people/{id}", people::show, Policy::SignedIn)
        .get("/people/{id}/edit", people::edit_form, Policy::SignedIn)
        .post("/people/{id}/edit", people::update, Policy::SignedIn)
        .post("/people/{id}/affiliations", people::add_role, Policy::SignedIn)
        .post("/people/{id}/affiliations/{affiliation}/end", people::end_role, Policy::SignedIn)
        .get("/api/docs", api::docs::show, Policy::Public)
        .get("/assets/{file}", assets::serve, Policy::Public)
        .get("/healthz", health::healthz, Policy::Operator)
        .get("/readyz", health::readyz, Policy::Operator)
        .get("/metrics", health::metrics, Policy::Operator)
}

/// The monitoring pages (issue 6): documents, plans, assignments, progress updates, dashboards, exports.
/// Every handler checks the object it touches against the actor's grants; the policies here only keep
/// anonymous visitors out.
fn monitoring_routes() -> Routes {
    use monitoring::{assignments, dashboard, documents, export, plans, status, updates, uploads};
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/status-colors.css", status::stylesheet, Policy::Public)
        .get("/admin/status-colors", status::settings_form, Policy::AnyRole(&[Role::Administrator]))
        .post("/admin/status-colors", status::save_settings, Policy::AnyRole(&[Role::Administrator]))
        .get("/dashboard", dashboard::overview, S)
        .get("/overdue", dashboard::overdue, S)
        .get("/localities", dashboard::localities, S)
        .get("/organizations/{id}/monitoring", dashboard::organization, S)
        .get("/documents", documents::list, S)
        .get("/documents/new", documents::new_form, S)
        .post("/documents", documents::create, S)
        .get("/documents/{id}", documents::show, S)
        .get("/documents/{id}/edit", documents::edit_form, S)
        .post("/documents/{id}/edit", documents::update, S)
        .post("/documents/{id}/attachments", documents::attach, S)
        .get("/plans", plans::list, S)
        .get("/plans/new", plans::new_form, S)
        .post("/plans", plans::create, S)
        .get("/plans/{id}", plans::show, S)
        .get("/plans/{id}/edit", plans::edit_form, S)
        .post("/plans/{id}/edit", plans::update, S)
        .post("/plans/{id}/targets", plans::add_target, S)
        .post("/plans/{id}/tasks", plans::add_task, S)
        .get("/plans/{id}/report.docx", export::plan_report_docx, S)
        .get("/plans/{id}/report.pdf", export::plan_report_pdf, S)
        .post("/plans/{id}/values", plans::record_value, S)
        .get("/tasks/{id}/assign", assignments::assign_form, S)
        .post("/tasks/{id}/assign", assignments::assign, S)
        .get("/assignments", assignments::list, S)
        .get("/assignments.xlsx", export::assignments_xlsx, S)
        .get("/assignments/{id}", assignments::show, S)
        .post("/assignments/{id}/flags", assignments::set_flags, S)
        .get("/assignments/{id}/updates/new", updates::new_form, S)
        .post("/assignments/{id}/updates", updates::create, S)
        .get("/updates/{id}/edit", updates::edit_form, S)
        .post("/updates/{id}/edit", updates::edit, S)
        .post("/updates/{id}/delete", updates::delete, S)
        .post("/updates/{id}/decide", updates::decide, S)
        .get("/files/{id}/{name}", uploads::serve, S)
}

/// The periodic reporting pages (issue 7): templates for administrators, reports, decisions, statistics.
/// Every handler checks the report or the statistics it touches; the policies here keep anonymous visitors
/// out (and the template pages to administrators).
fn reporting_routes() -> Routes {
    use reporting::{entry, excel, review, stats, templates};
    const S: Policy = Policy::SignedIn;
    const ADMIN: Policy = Policy::AnyRole(&[Role::Administrator]);
    Routes::new()
        .get("/admin/report-templates", templates::list, ADMIN)
        .get("/admin/report-templates/new", templates::new_form, ADMIN)
        .post("/admin/report-templates/new", templates::create, ADMIN)
        .get("/admin/report-templates/{code}", templates::show, ADMIN)
        .post("/admin/report-templates/{code}", templates::update, ADMIN)
        .post("/admin/report-templates/{code}/retire", templates::retire, ADMIN)
        .post("/admin/report-templates/{code}/targets", templates::add_target, ADMIN)
        .post("/admin/report-templates/{code}/targets/{id}/delete", templates::remove_target, ADMIN)
        .get("/reports", entry::my_reports, S)
        .post("/reports/open", entry::open, S)
        .get("/reports/queue", review::queue, S)
        .get("/reports/completeness", stats::completeness, S)
        .get("/reports/aggregates", stats::aggregates, S)
        .get("/reports/aggregates/units", stats::units, S)
        .get("/reports/aggregates.xlsx", excel::aggregates_xlsx, S)
        .get("/reports/{id}", review::show, S)
        .get("/reports/{id}/edit", entry::edit_form, S)
        .post("/reports/{id}/edit", entry::save, S)
        .post("/reports/{id}/decide", review::decide, S)
        .post("/reports/{id}/unlock", review::unlock, S)
        .get("/reports/{id}/history", review::value_history, S)
        .get("/reports/{id}/form.xlsx", excel::download_form, S)
        .get("/reports/{id}/upload", excel::upload_form, S)
        .post("/reports/{id}/upload", excel::upload, S)
        .get("/reports/{id}/files/{attachment}/{name}", review::file, S)
}

/// The working-visit pages (issue 8): calendar, visit form, the visit's page, conclusions and directives,
/// photos and documents, notices of conclusions. Every handler checks the visit against the actor's grants.
fn visit_routes() -> Routes {
    use visits::{article, calendar, conclusions, files, form, notice, show};
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/visits", calendar::list, S)
        .get("/visits/new", form::new_form, S)
        .post("/visits/new", form::create, S)
        .get("/visits/{id}", show::show, S)
        .get("/visits/{id}/edit", form::edit_form, S)
        .post("/visits/{id}/edit", form::update, S)
        .get("/visits/{id}/conclusions/new", conclusions::new_form, S)
        .post("/visits/{id}/conclusions", conclusions::create, S)
        .get("/visits/{id}/conclusions/{task}/directives/new", conclusions::new_directive_form, S)
        .post("/visits/{id}/conclusions/{task}/directives", conclusions::create_directive, S)
        .get("/visits/{id}/files/new", files::new_form, S)
        .post("/visits/{id}/files", files::upload, S)
        .post("/visits/{id}/files/{file}/delete", files::remove, S)
        .post("/visits/{id}/article", article::create, S)
        .get("/visits/{id}/notice.docx", notice::visit_docx, S)
        .get("/visits/{id}/notice.pdf", notice::visit_pdf, S)
        .get("/visits/{id}/stops/{stop}/notice.docx", notice::stop_docx, S)
        .get("/visits/{id}/stops/{stop}/notice.pdf", notice::stop_pdf, S)
}

/// The routes and the policy map of the whole application (pages and API).
pub fn routes() -> (Router<AppState>, PolicyMap) {
    let (api_router, api_policies) = api::router();
    let (monitoring_router, monitoring_policies) = monitoring_routes().into_parts();
    // Evidence and document files are uploaded through the monitoring forms; `uploads` caps each file.
    let monitoring_router = monitoring_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    // Photos and documents of visits likewise.
    let (visit_router, visit_policies) = visit_routes().into_parts();
    let visit_router = visit_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    let (portal_router, portal_policies) = portal::routes().into_parts();
    let portal_router = portal_router.layer(DefaultBodyLimit::max(portal::MAX_BODY));
    let (reporting_router, reporting_policies) = reporting_routes().into_parts();
    // Report forms carry attachments, like the monitoring forms.
    let reporting_router = reporting_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    page_routes()
        .merge(api_router, api_policies)
        .merge(monitoring_router, monitoring_policies)
        .merge(visit_router, visit_policies)
        .merge(portal_router, portal_policies)
        .merge(reporting_router, reporting_policies)
        .into_parts()
}

/// The whole application: pages, API, assets and operational endpoints, with every middleware.
pub fn router(state: AppState) -> Router {
    // Install the metrics recorder before the first request is counted.
    let _ = health::metrics_handle();
    let (routes, policies) = routes();
    let enforcement = Enforcement { state: state.clone(), policies: Arc::new(policies) };
    let app = routes
        .route_layer(from_fn_with_state(enforcement, auth::policy::enforce))
        .route_layer(from_fn(expose_matched_path))
        .with_state(state.clone());

    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            let path = middleware::loggable_path(req.uri().path());
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %path)
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros));

    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(RandomRequestId))
            .layer(trace)
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(from_fn(middleware::record_metrics))
            .layer(from_fn_with_state(state.clone(), middleware::security_headers))
            .layer(from_fn_with_state(state.clone(), middleware::language))
            // Errors of authentication itself (the database is down) are rendered here, as the public's.
            .layer(from_fn_with_state(state.clone(), middleware::render_errors))
            .layer(from_fn_with_state(state.clone(), auth::authenticate))
            .layer(from_fn_with_state(state.clone(), middleware::refresh_portal))
            .layer(from_fn_with_state(state.clone(), middleware::render_errors))
            .layer(from_fn_with_state(state, auth::csrf::protect))
            .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
                AppError::Internal("a handler panicked".into()).into_response()
            }))
            .layer(CompressionLayer::new())
            .layer(TimeoutLayer::with_status_code(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Duration::from_secs(60),
            )),
    )
}
