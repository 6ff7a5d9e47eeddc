//! Who is making the request: the session cookie (pages) or a personal API token (the API), resolved
//! once per request by the [`authenticate`] middleware into an [`Auth`] in the request extensions.

pub mod csrf;

pub mod policy;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tiendo_core::authz::{Actor, Grant};
use tiendo_db::audit::Who;
use tiendo_db::identity;

use crate::cookies::{self, CookieSpec};
use crate::error::AppError;
use crate::state::AppState;
use tiendo_app::{Session, SessionUser, secret};

/// The signed-in user, as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedInUser {
    /// Account id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// The account's organisation.
    pub organization_id: Option<i64>,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
}

/// How the request authenticated.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Method {
    /// Not at all: the public.
    #[default]
    Anonymous,
    /// The session cookie.
    Session {
        /// Hash of the cookie value (the stored id).
        id_hash: String,
        /// The session's synchroniser token for forms.
        csrf_token: String,
    },
    /// A personal API token.
    Token {
        /// The token's row id.
        token_id: i64,
    },
}

/// Why credentials that were sent did not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// The session expired (idle or absolute timeout) or was ended.
    SessionExpired,
    /// The bearer token is unknown, revoked or expired.
    BadToken,
}

/// The authentication of a request.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// The actor for authorization.
    pub actor: Actor,
    /// The signed-in user, if any.
    pub user: Option<SignedInUser>,
    /// How.
    pub method: Method,
    /// Credentials that were sent and refused.
    pub rejected: Option<Rejected>,
    /// The client's address.
    pub ip: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// The signed-in user's unread notifications (for the bell; 0 for API tokens and the public).
    pub unread_notifications: i64,
    /// The client wrote within the read replica's allowed lag (the `tiendo_wrote` cookie): its reads go
    /// to the primary database.
    pub wrote_recently: bool,
    /// The use cases' view of this actor, built on first use from the fields above and shared by the
    /// request's clones (so that its access scope is computed once per request).
    pub(crate) session: SessionCell,
}

/// A lazily built [`Session`], shared between the clones of one request's [`Auth`].
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionCell(Arc<OnceLock<Session>>);

impl Auth {
    /// The CSRF token to put in forms (empty for anonymous visitors).
    pub fn csrf_token(&self) -> &str {
        match &self.method {
            Method::Session { csrf_token, .. } => csrf_token,
            _ => "",
        }
    }

    /// The actor as the use cases of `tiendo_app` take it.
    pub fn session(&self) -> &Session {
        self.session.0.get_or_init(|| {
            let session = self.new_session();
            if self.wrote_recently { session.after_recent_write() } else { session }
        })
    }

    fn new_session(&self) -> Session {
        match &self.user {
            Some(u) => Session::user(
                SessionUser {
                    id: u.id,
                    username: u.username.clone(),
                    display_name: u.display_name.clone(),
                    organization_id: u.organization_id,
                },
                self.actor.clone(),
                self.ip.clone(),
                self.request_id.clone(),
            ),
            None => Session::public(self.ip.clone(), self.request_id.clone()),
        }
    }

    /// The actor's identity for the audit trail.
    pub fn who(&self) -> Who {
        Who {
            user_id: self.user.as_ref().map(|u| u.id),
            label: self.user.as_ref().map_or_else(|| "public".to_owned(), |u| u.username.clone()),
            ip: self.ip.clone(),
            request_id: self.request_id.clone(),
        }
    }

    /// The signed-in user, or 401.
    pub fn require_user(&self) -> Result<&SignedInUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Auth>().cloned().unwrap_or_default())
    }
}

/// The cookie that marks a client that wrote recently (see [`Auth::wrote_recently`]).
pub const WROTE_COOKIE: &str = "tiendo_wrote";

/// The name of the session cookie. With TLS it carries the `__Host-` prefix, which browsers accept only
/// with `Secure`, `Path=/` and no `Domain`, so that no subdomain can set or shadow it.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https { "__Host-tiendo_session" } else { "tiendo_session" }
}

/// The client's address: the socket's peer, or the first `X-Forwarded-For` hop behind a trusted proxy.
pub fn client_ip(headers: &HeaderMap, connect: Option<SocketAddr>, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next().map(str::trim)
        && first.parse::<IpAddr>().is_ok()
    {
        return Some(first.to_owned());
    }
    connect.map(|addr| addr.ip().to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Loads the grants of an account as core grants.
pub async fn load_grants(state: &AppState, user_id: i64) -> Result<Vec<Grant>, AppError> {
    Ok(identity::grants(state.db(), user_id).await?.iter().filter_map(identity::GrantRow::grant).collect())
}

async fn from_session(state: &AppState, cookie_value: &str) -> Result<Result<Auth, Rejected>, AppError> {
    let Some(resumed) = tiendo_app::identity::sessions::resume(state.app(), cookie_value).await? else {
        return Ok(Err(Rejected::SessionExpired));
    };
    let session = resumed.session;
    Ok(Ok(Auth {
        actor: Actor::user(session.user_id, resumed.grants),
        user: Some(SignedInUser {
            id: session.user_id,
            username: session.username,
            display_name: session.display_name,
            organization_id: session.organization_id,
            must_change_password: session.must_change_password,
        }),
        method: Method::Session { id_hash: secret::digest(cookie_value), csrf_token: session.csrf_token },
        unread_notifications: resumed.unread_notifications,
        ..Auth::default()
    }))
}

async fn from_token(state: &AppState, token: &str) -> Result<Result<Auth, Rejected>, AppError> {
    let Some((user, grants, token_id)) = tiendo_app::identity::tokens::authenticate(state.app(), token).await? else {
        return Ok(Err(Rejected::BadToken));
    };
    Ok(Ok(Auth {
        actor: Actor::user(user.id, grants),
        user: Some(SignedInUser {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            organization_id: user.organization_id,
            must_change_password: false,
        }),
        method: Method::Token { token_id },
        ..Auth::default()
    }))
}

/// Resolves the request's credentials into an [`Auth`]. Requests without credentials cost nothing.
/// A session that expired is ended and its cookie cleared.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if crate::middleware::is_operational(req.uri().path()) {
        return next.run(req).await;
    }
    let https = state.site().is_https();
    let connect = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let ip = client_ip(req.headers(), connect, state.site().trust_proxy);
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let cookie_name = session_cookie_name(https);
    let is_api = req.uri().path().starts_with("/api/");
    let outcome = if let Some(token) = bearer(req.headers()).filter(|_| is_api) {
        Some(from_token(&state, token).await)
    } else {
        match cookies::get(req.headers(), cookie_name).map(str::to_owned) {
            Some(value) => Some(from_session(&state, &value).await),
            None => None,
        }
    };
    let mut clear_cookie = false;
    let mut auth = match outcome {
        None => Auth::default(),
        Some(Ok(Ok(auth))) => auth,
        Some(Ok(Err(rejected))) => {
            clear_cookie = rejected == Rejected::SessionExpired;
            Auth { rejected: Some(rejected), ..Auth::default() }
        }
        Some(Err(err)) => return axum::response::IntoResponse::into_response(err),
    };
    auth.ip = ip;
    auth.request_id = request_id;
    let replica_lag = state.app().replica_lag();
    auth.wrote_recently = replica_lag.is_some() && cookies::get(req.headers(), WROTE_COOKIE).is_some();
    let writes = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    req.extensions_mut().insert(auth);
    let mut response = next.run(req).await;
    // With a read replica, a client that wrote reads the primary for as long as the replica may lag, on
    // whichever instance its next request lands.
    if let Some(lag) = replica_lag.filter(|_| writes && response.status().as_u16() < 400) {
        let spec = CookieSpec { max_age_secs: Some(lag), http_only: true, secure: https };
        if let Ok(value) = HeaderValue::from_str(&cookies::set(WROTE_COOKIE, "1", spec)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if clear_cookie
        && !response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.starts_with(cookie_name)))
    {
        let spec = CookieSpec { max_age_secs: Some(0), http_only: true, secure: https };
        if let Ok(value) = HeaderValue::from_str(&cookies::set(cookie_name, "", spec)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The cookie that carries a session's secret: a session cookie (no Max-Age, so it also ends when the
/// browser closes), HttpOnly, `Secure` under TLS.
pub fn session_cookie(site: &tiendo_app::Settings, secret: &str) -> Result<HeaderValue, AppError> {
    let https = site.is_https();
    let spec = CookieSpec { max_age_secs: None, http_only: true, secure: https };
    HeaderValue::from_str(&cookies::set(session_cookie_name(https), secret, spec)).map_err(AppError::internal)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    let https = state.site().is_https();
    let spec = CookieSpec { max_age_secs: Some(0), http_only: true, secure: https };
    HeaderValue::from_str(&cookies::set(session_cookie_name(https), "", spec)).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_ip_comes_from_the_proxy_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.7, 10.0.0.1"));
        let peer: SocketAddr = "10.0.0.1:5555".parse().unwrap();
        assert_eq!(client_ip(&h, Some(peer), true).as_deref(), Some("203.0.113.7"));
        assert_eq!(client_ip(&h, Some(peer), false).as_deref(), Some("10.0.0.1"));
        h.insert("x-forwarded-for", HeaderValue::from_static("not an ip"));
        assert_eq!(client_ip(&h, Some(peer), true).as_deref(), Some("10.0.0.1"));
    }
}
