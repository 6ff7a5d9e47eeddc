//! The HTTP layer of Tiến Độ: HTML pages for people, the JSON API for programs, both over the same
//! core and storage. Handlers are thin: extract, authorize, call one function, render.

pub mod api;
pub mod assets;
pub mod auth;
pub mod cookies;
pub mod directory;
pub mod error;
pub mod errors_render;
pub mod forms;
pub mod geo_index;
pub mod health;
pub mod history;
pub mod i18n;
pub mod layout;
pub mod middleware;
pub mod nav;
pub mod pages;
pub mod state;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
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
pub use state::{AppState, SiteSettings};

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
    use pages::{home, login, map_changes, organizations, people, units};
    Routes::new()
        .get("/", home::show, Policy::Public)
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

/// The routes and the policy map of the whole application (pages and API).
pub fn routes() -> (Router<AppState>, PolicyMap) {
    let (api_router, api_policies) = api::router();
    page_routes().merge(api_router, api_policies).into_parts()
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
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
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
            .layer(from_fn_with_state(state.clone(), auth::authenticate))
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
