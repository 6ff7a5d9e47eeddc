//! Derived statuses as pages show them: translated labels, colour classes, and the configurable colours
//! (served as a small stylesheet, since the Content-Security-Policy allows no inline style).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::monitoring::{DerivedStatus, StatusKind};
use tiendo_db::{Exec, Query};

use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;

/// A status ready for display.
#[derive(Debug, Clone)]
pub struct StatusView {
    /// The code, used as the CSS class suffix (`status-overdue`).
    pub code: &'static str,
    /// The translated label.
    pub label: String,
    /// "12 ngày" late, or empty.
    pub late: String,
    /// The due date, `dd/mm/yyyy`, or empty.
    pub due: String,
    /// Whether at risk.
    pub at_risk: bool,
    /// Whether blocked.
    pub blocked: bool,
}

/// The translated label of a state.
pub fn label(tr: &Tr, kind: StatusKind) -> String {
    tr.t(&format!("status-{}", kind.code()))
}

/// Formats a derived status.
pub fn view(tr: &Tr, status: &DerivedStatus) -> StatusView {
    StatusView {
        code: status.kind.code(),
        label: label(tr, status.kind),
        late: status.days_late.map(|d| tr.t_count("status-days-late", "days", d)).unwrap_or_default(),
        due: super::show_date(status.due_on),
        at_risk: status.at_risk,
        blocked: status.blocked,
    }
}

/// The default colour of each state.
pub fn default_color(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::CompletedOnTime => "#1c7c44",
        StatusKind::CompletedLate => "#7a8a1c",
        StatusKind::InProgress => "#1a5fa8",
        StatusKind::NotStarted => "#6b7585",
        StatusKind::Overdue => "#b3202b",
        StatusKind::Cancelled => "#a3a9b3",
    }
}

/// The settings key of the colours.
pub const COLORS_KEY: &str = "monitoring.status_colors";

/// Whether a colour is `#rrggbb`.
pub fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// The configured colour of each state (defaults for those not configured).
pub async fn colors(state: &AppState) -> Result<Vec<(StatusKind, String)>, AppError> {
    let stored: Option<(String,)> =
        state.db().fetch_optional(Query::new("SELECT value FROM settings WHERE key = $1").bind(COLORS_KEY)).await?;
    let map: std::collections::HashMap<String, String> =
        stored.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default();
    Ok(StatusKind::ALL
        .into_iter()
        .map(|k| {
            let c =
                map.get(k.code()).filter(|c| valid_color(c)).cloned().unwrap_or_else(|| default_color(k).to_owned());
            (k, c)
        })
        .collect())
}

/// The colour of a state as a chart colour.
pub fn chart_color(hex: &str) -> tiendo_export::chart::Color {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    tiendo_export::chart::Color(byte(1), byte(3), byte(5))
}

/// `GET /status-colors.css`: the colours of the states as CSS classes.
/// Revalidated on every page (an administrator may change a colour) but answered with 304 while unchanged.
pub async fn stylesheet(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    let mut css = String::from("/* Status colours, configured by an administrator. */\n");
    for (kind, color) in colors(&state).await? {
        let code = kind.code();
        css.push_str(&format!(
            ".status-{code} {{ --status: {color}; }}\n.badge.status-{code}, .dot.status-{code} {{ background: {color}; color: #fff; }}\n.bar-fill.status-{code} {{ background: {color}; }}\n"
        ));
    }
    let etag = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(css.as_bytes());
        format!("\"{}\"", digest[..8].iter().map(|b| format!("{b:02x}")).collect::<String>())
    };
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        let mut response = axum::http::StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, HeaderValue::from_str(&etag).map_err(AppError::internal)?);
        return Ok(response);
    }
    let mut response = css.into_response();
    response.headers_mut().insert(header::ETAG, HeaderValue::from_str(&etag).map_err(AppError::internal)?);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
