//! The HTTP layer of Tiến Độ: HTML pages for people, the JSON API for programs, both over the same
//! core and storage. Handlers are thin: extract, authorize, call one function, render.

pub mod api;
pub mod assets;
pub mod cookies;
pub mod error;
pub mod errors_render;
pub mod health;
pub mod i18n;
pub mod layout;
pub mod middleware;
pub mod pages;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

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
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
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

/// The whole application: pages, API, assets and operational endpoints, with every middleware.
pub fn router(state: AppState) -> Router {
    // Install the metrics recorder before the first request is counted.
    let _ = health::metrics_handle();
    let (api_routes, _) = api::routes().split_for_parts();
    let api = Router::new()
        .route("/openapi.json", get(api::openapi_json))
        .merge(api_routes)
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY));

    let app = Router::new()
        .route("/", get(pages::home::show))
        .route("/api/docs", get(api::docs::show))
        .route("/assets/{file}", get(assets::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .nest("/api/v1", api)
        .route_layer(from_fn(expose_matched_path))
        .with_state(state.clone());

    let trace = TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
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
            .layer(from_fn_with_state(
                state.clone(),
                middleware::security_headers,
            ))
            .layer(from_fn_with_state(state.clone(), middleware::language))
            .layer(from_fn_with_state(state, middleware::render_errors))
            .layer(CatchPanicLayer::custom(
                |_: Box<dyn std::any::Any + Send>| {
                    AppError::Internal("a handler panicked".into()).into_response()
                },
            ))
            .layer(CompressionLayer::new())
            .layer(TimeoutLayer::with_status_code(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                Duration::from_secs(60),
            )),
    )
}
