//! The HTTP layer of Tiến Độ: HTML pages for people, the JSON API for programs, both over the same
//! core and storage. Handlers are thin: extract, authorize, call one function, render.

pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod certificates;
pub mod charts;
pub mod cookies;
pub mod directory;
pub mod document_templates;
pub mod documents;
pub mod error;
pub mod errors_render;
pub mod extract;
pub mod forms;
pub mod geo;
pub mod health;
pub mod history;
pub mod identity;
pub mod indicators;

pub mod layout;
pub mod middleware;
pub mod monitoring;
pub mod nav;
pub mod notifications;
pub mod portal;
pub mod reporting;
pub mod sci_tech;
pub mod search;
pub mod state;
pub mod visits;
pub mod work;

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

/// The routes that belong to no feature: the API's reference page, the assets and the operator's
/// endpoints.
fn page_routes() -> Routes {
    Routes::new()
        .get("/api/docs", api::docs::show, Policy::Public)
        .get("/assets/{file}", assets::serve, Policy::Public)
        .get("/healthz", health::healthz, Policy::Operator)
        .get("/readyz", health::readyz, Policy::Operator)
        .get("/metrics", health::metrics, Policy::Operator)
}

/// The routes and the policy map of the whole application (pages and API).
pub fn routes() -> (Router<AppState>, PolicyMap) {
    let (api_router, api_policies) = api::router();
    let (monitoring_router, monitoring_policies) = monitoring::routes().into_parts();
    // Evidence and document files are uploaded through the monitoring forms; `uploads` caps each file.
    let monitoring_router = monitoring_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    // Photos and documents of visits likewise.
    let (visit_router, visit_policies) = visits::routes().into_parts();
    let visit_router = visit_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    let (portal_router, portal_policies) = portal::routes().into_parts();
    let portal_router = portal_router.layer(DefaultBodyLimit::max(portal::MAX_BODY));
    let (reporting_router, reporting_policies) = reporting::routes().into_parts();
    let (search_router, search_policies) = search::routes().into_parts();
    // Proposals carry their forms and annexes, transitions the signed decisions.
    let (st_router, st_policies) = sci_tech::routes().into_parts();
    let st_router = st_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    // Applications carry the documents of their checklist.
    let (cert_router, cert_policies) = certificates::routes().into_parts();
    let cert_router = cert_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    // Report forms carry attachments, like the monitoring forms.
    let reporting_router = reporting_router.layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY));
    page_routes()
        .merge_routes(identity::routes())
        .merge_routes(admin::routes())
        .merge_routes(directory::routes())
        .merge_routes(geo::routes())
        .merge_routes(document_templates::routes())
        .merge_routes(notifications::routes())
        .merge_routes(work::routes())
        .merge_routes(indicators::routes())
        .merge(api_router, api_policies)
        .merge(monitoring_router, monitoring_policies)
        .merge(visit_router, visit_policies)
        .merge(portal_router, portal_policies)
        .merge(reporting_router, reporting_policies)
        .merge(search_router, search_policies)
        .merge(st_router, st_policies)
        .merge(cert_router, cert_policies)
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
