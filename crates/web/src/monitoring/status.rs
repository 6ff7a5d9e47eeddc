//! Derived statuses as pages show them: translated labels, colour classes, and the configurable colours
//! (served as a small stylesheet, since the Content-Security-Policy allows no inline style).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tiendo_core::monitoring::{DerivedStatus, StatusKind};
use tiendo_db::{Exec, Query};

use crate::error::AppError;
use crate::state::AppState;
use tiendo_app::i18n::Tr;

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
        StatusKind::CompletedLate => "#7a5c00",
        StatusKind::InProgress => "#1a5fa8",
        StatusKind::NotStarted => "#5b6472",
        StatusKind::Overdue => "#b3202b",
        StatusKind::Cancelled => "#74677f",
    }
}

/// The settings key of the colours.
pub const COLORS_KEY: &str = "monitoring.status_colors";

/// Whether a colour is `#rrggbb`.
pub fn valid_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
}

/// The contrast ratio of white text on a `#rrggbb` colour (WCAG 2 relative luminance).
pub fn contrast_with_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
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

/// The colour settings form.
#[derive(askama::Template)]
#[template(path = "monitoring/status_colors.html")]
struct ColorsPage {
    layout: crate::layout::Layout,
    rows: Vec<ColorRow>,
    saved: bool,
    has_errors: bool,
}

/// One state's colour as shown in the form.
#[derive(Debug, Clone)]
pub struct ColorRow {
    code: &'static str,
    label: String,
    value: String,
    default: &'static str,
    error: String,
}

async fn colors_page(
    ctx: &crate::layout::Ctx,
    rows: Vec<ColorRow>,
    saved: bool,
    status: axum::http::StatusCode,
) -> Result<Response, AppError> {
    let has_errors = rows.iter().any(|r| !r.error.is_empty());
    let page = ColorsPage { layout: ctx.layout("status-colors-title"), rows, saved, has_errors };
    let body = askama::Template::render(&page).map_err(AppError::internal)?;
    Ok((status, axum::response::Html(body)).into_response())
}

fn may_configure(ctx: &crate::layout::Ctx) -> bool {
    use tiendo_core::authz::{Action, Resource, authorize};
    authorize(&ctx.auth.actor, Action::Edit, &Resource::Settings).is_allowed()
}

/// Query of the settings page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/status-colors`.
pub async fn settings_form(
    ctx: crate::layout::Ctx,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    if !may_configure(&ctx) {
        return Err(AppError::Forbidden);
    }
    let rows = colors(&ctx.state)
        .await?
        .into_iter()
        .map(|(k, c)| ColorRow {
            code: k.code(),
            label: label(&ctx.tr, k),
            value: c,
            default: default_color(k),
            error: String::new(),
        })
        .collect();
    colors_page(&ctx, rows, q.saved.is_some(), axum::http::StatusCode::OK).await
}

/// `POST /admin/status-colors`: every colour `#rrggbb` and readable with white text (contrast 4.5:1).
pub async fn save_settings(
    ctx: crate::layout::Ctx,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    if !may_configure(&ctx) {
        return Err(AppError::Forbidden);
    }
    let before = colors(&ctx.state).await?;
    let mut rows = Vec::new();
    for kind in StatusKind::ALL {
        let value = form.get(kind.code()).map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default();
        let error = if !valid_color(&value) {
            ctx.tr.t("field-color_format")
        } else if contrast_with_white(&value) < 4.5 {
            ctx.tr.t_with(
                "field-color_contrast",
                &[("ratio", &format!("{:.1}", contrast_with_white(&value)).replace('.', ","))],
            )
        } else {
            String::new()
        };
        rows.push(ColorRow {
            code: kind.code(),
            label: label(&ctx.tr, kind),
            value,
            default: default_color(kind),
            error,
        });
    }
    if rows.iter().any(|r| !r.error.is_empty()) {
        return colors_page(&ctx, rows, false, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let map: std::collections::BTreeMap<&str, &str> = rows.iter().map(|r| (r.code, r.value.as_str())).collect();
    let json = serde_json::to_string(&map).map_err(AppError::internal)?;
    let mut changes = Vec::new();
    for (row, (_, old)) in rows.iter().zip(&before) {
        if &row.value != old {
            changes.push(tiendo_db::audit::Change::new(row.code, old.as_str(), row.value.as_str()));
        }
    }
    let tx = ctx.state.db().begin().await?;
    tx.execute(
        Query::new(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(COLORS_KEY)
        .bind(json)
        .bind(chrono::Utc::now()),
    )
    .await?;
    let event = tiendo_db::audit::NewEvent::new("update", "setting", COLORS_KEY, "Đổi màu các tình trạng nhiệm vụ")
        .with_changes(changes);
    tiendo_db::audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(axum::response::Redirect::to("/admin/status-colors?saved=1").into_response())
}
