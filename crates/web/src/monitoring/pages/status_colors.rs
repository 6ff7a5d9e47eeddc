//! The colours of the derived states: served as a small stylesheet (the Content-Security-Policy allows no
//! inline style), and the administrator's form that chooses them.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::monitoring::status_colors;
use tiendo_core::monitoring::StatusKind;
use tiendo_core::monitoring::colors::default_color;

use crate::error::AppError;
use crate::extract::Query;
use crate::layout::{Ctx, Layout};
use crate::monitoring::status::label;
use crate::state::AppState;

/// `GET /status-colors.css`: the colours of the states as CSS classes. Revalidated on every page (an
/// administrator may change a colour) but answered with 304 while unchanged.
pub async fn stylesheet(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let mut css = String::from("/* Status colours, configured by an administrator. */\n");
    for (kind, color) in status_colors::colors(state.app()).await? {
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
        let mut response = StatusCode::NOT_MODIFIED.into_response();
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
#[derive(Template)]
#[template(path = "monitoring/status_colors.html")]
struct ColorsPage {
    layout: Layout,
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

fn colors_page(ctx: &Ctx, rows: Vec<ColorRow>, saved: bool, status: StatusCode) -> Result<Response, AppError> {
    let has_errors = rows.iter().any(|r| !r.error.is_empty());
    let page = ColorsPage { layout: ctx.layout("status-colors-title"), rows, saved, has_errors };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Query of the settings page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/status-colors`.
pub async fn settings_form(ctx: Ctx, Query(q): Query<SavedQuery>) -> Result<Response, AppError> {
    if !status_colors::may_configure(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let rows = status_colors::colors(ctx.state.app())
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
    colors_page(&ctx, rows, q.saved.is_some(), StatusCode::OK)
}

/// `POST /admin/status-colors`: every colour `#rrggbb` and readable with white text (contrast 4.5:1).
pub async fn save_settings(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let chosen: BTreeMap<String, String> = form.into_iter().collect();
    match status_colors::save(ctx.state.app(), ctx.auth.session(), &chosen).await {
        Ok(()) => Ok(Redirect::to("/admin/status-colors?saved=1").into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let messages = crate::forms::FormErrors::from_fields(&errors, &ctx.tr);
            let rows = StatusKind::ALL
                .into_iter()
                .map(|kind| ColorRow {
                    code: kind.code(),
                    label: label(&ctx.tr, kind),
                    value: chosen.get(kind.code()).map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default(),
                    default: default_color(kind),
                    error: messages.get(kind.code()).to_owned(),
                })
                .collect();
            colors_page(&ctx, rows, false, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}
