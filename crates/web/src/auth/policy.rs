//! Every route declares who may call it. The router is assembled through [`Routes`], which records the
//! policy of each (method, path); the [`enforce`] layer looks the matched route up and denies any route
//! that has no policy, so forgetting one fails closed (and the tests that call the route fail).
//!
//! A policy is the coarse gate (signed in? holding one of these roles?); the handler then asks
//! `tiendo_core::authz::authorize` about the record itself.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, on};
use tiendo_core::authz::Role;

use super::Auth;
use crate::error::AppError;
use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, including anonymous visitors.
    Public,
    /// Any signed-in user; the handler checks the record.
    SignedIn,
    /// A signed-in user holding at least one of these roles (in any scope); the handler checks the scope.
    AnyRole(&'static [Role]),
    /// Operational endpoints with their own protection (`/metrics` token).
    Operator,
}

/// The policies of the routes, by method and route pattern.
pub type PolicyMap = HashMap<(Method, String), Policy>;

/// Paths a user who must change their password may still use.
const PASSWORD_CHANGE_PATHS: &[&str] = &["/account/password", "/logout", "/assets/{file}"];

/// Builds the router and the policy map together.
pub struct Routes {
    router: Router<AppState>,
    policies: PolicyMap,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

fn methods_of(filter: &[Method]) -> Vec<Method> {
    let mut all = filter.to_vec();
    if filter.contains(&Method::GET) {
        all.push(Method::HEAD);
    }
    all
}

impl Routes {
    /// An empty set of routes.
    pub fn new() -> Routes {
        Routes { router: Router::new(), policies: PolicyMap::new() }
    }

    fn add<H, T>(mut self, method: Method, path: &str, handler: H, policy: Policy) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
        for m in methods_of(std::slice::from_ref(&method)) {
            let previous = self.policies.insert((m.clone(), path.to_owned()), policy);
            assert!(previous.is_none(), "{m} {path} is declared twice");
        }
        self.router = self.router.route(path, on(filter, handler));
        self
    }

    /// A GET route (HEAD included).
    #[must_use]
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &str, handler: H, policy: Policy) -> Routes {
        self.add(Method::GET, path, handler, policy)
    }

    /// A POST route.
    #[must_use]
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &str, handler: H, policy: Policy) -> Routes {
        self.add(Method::POST, path, handler, policy)
    }

    /// Adds the routes of a feature (its `routes()`) with their policies.
    #[must_use]
    pub fn merge_routes(self, other: Routes) -> Routes {
        let (router, policies) = other.into_parts();
        self.merge(router, policies)
    }

    /// Adds routes built elsewhere (the API) with their policies.
    #[must_use]
    pub fn merge(mut self, router: Router<AppState>, policies: PolicyMap) -> Routes {
        for (key, policy) in policies {
            let previous = self.policies.insert(key.clone(), policy);
            assert!(previous.is_none(), "{} {} is declared twice", key.0, key.1);
        }
        self.router = self.router.merge(router);
        self
    }

    /// The router (without the enforcement layer) and the policies.
    pub fn into_parts(self) -> (Router<AppState>, PolicyMap) {
        (self.router, self.policies)
    }
}

/// The state of the enforcement layer.
#[derive(Clone)]
pub struct Enforcement {
    /// The application state.
    pub state: AppState,
    /// The declared policies.
    pub policies: Arc<PolicyMap>,
}

/// Whether a path is a page (not the API, not assets).
fn is_page(path: &str) -> bool {
    !path.starts_with("/api/") && !path.starts_with("/assets/")
}

/// The local URL to come back to after signing in.
fn return_to(req: &Request) -> String {
    req.uri().path_and_query().map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned())
}

/// Applies the policy of the matched route (a route layer: it runs after routing).
pub async fn enforce(State(enforcement): State<Enforcement>, req: Request, next: Next) -> Response {
    let Some(pattern) = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()) else {
        return next.run(req).await;
    };
    let Some(policy) = enforcement.policies.get(&(req.method().clone(), pattern.clone())).copied() else {
        if enforcement.policies.keys().any(|(_, p)| *p == pattern) {
            // Another method of a declared route: the router answers 405 without calling a handler.
            return next.run(req).await;
        }
        tracing::error!(method = %req.method(), route = %pattern, "route has no declared policy: denied");
        return AppError::Forbidden.into_response();
    };
    let auth = req.extensions().get::<Auth>().cloned().unwrap_or_default();
    let path = req.uri().path().to_owned();
    match policy {
        Policy::Public | Policy::Operator => {}
        Policy::SignedIn | Policy::AnyRole(_) => {
            let Some(user) = &auth.user else {
                return unauthenticated(&enforcement.state, req, &auth).await;
            };
            if let Policy::AnyRole(roles) = policy
                && !roles.iter().any(|r| auth.actor.has_role(*r))
            {
                return AppError::Forbidden.into_response();
            }
            if user.must_change_password && is_page(&path) && !PASSWORD_CHANGE_PATHS.contains(&pattern.as_str()) {
                return Redirect::to("/account/password").into_response();
            }
        }
    }
    next.run(req).await
}

/// The answer to a request that needs a signed-in user and has none: 401 problem+json for the API; for
/// pages, a redirect to the sign-in page for a GET, and for a form submission the sign-in page with the
/// submitted fields carried along (all but passwords), so that nothing typed is lost.
async fn unauthenticated(state: &AppState, req: Request, auth: &Auth) -> Response {
    let path = req.uri().path().to_owned();
    if !is_page(&path) {
        return AppError::Unauthorized.into_response();
    }
    let expired = auth.rejected == Some(super::Rejected::SessionExpired);
    let next_url = return_to(&req);
    if req.method() == Method::GET || req.method() == Method::HEAD {
        let mut target = format!("/login?next={}", crate::forms::url_encode(&next_url));
        if expired {
            target.push_str("&expired=1");
        }
        return Redirect::to(&target).into_response();
    }
    let lang = req.extensions().get::<tiendo_core::lang::Lang>().copied().unwrap_or_default();
    let uri = req.uri().clone();
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let carry = if is_form { crate::forms::carry_fields(req.into_body()).await } else { Vec::new() };
    let ctx = crate::layout::Ctx::for_error(state.clone(), lang, uri, auth.clone());
    crate::identity::pages::login::sign_in_to_continue(&ctx, &next_url, carry, expired)
}
