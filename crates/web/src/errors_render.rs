//! Rendering of errors for people (an HTML page) and for programs (problem+json).

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use tiendo_core::lang::Lang;

use crate::error::{AppError, FieldError, FieldProblem, Problem};
use crate::layout::{Ctx, Layout};
use tiendo_app::i18n::Tr;

/// The message arguments of an error: the path, the value looked up, the parser's detail.
fn args_of<'a>(error: &'a AppError, path: &'a str) -> Vec<(&'static str, &'a str)> {
    let mut args = vec![("path", path)];
    match error {
        AppError::NotFoundNamed { value, .. } => args.push(("value", value.as_str())),
        AppError::BadRequest { detail: Some(detail), .. } => args.push(("reason", detail.as_str())),
        AppError::BadRequest { detail: None, .. } => args.push(("reason", "")),
        AppError::Document { detail, .. } => args.push(("reason", detail.as_str())),
        AppError::ConflictWith { args: more, .. } => args.extend(more.iter().map(|(k, v)| (*k, v.as_str()))),
        _ => {}
    }
    args
}

/// The translated title and detail of an error.
pub fn title_and_detail(error: &AppError, tr: &Tr, path: &str) -> (String, String) {
    let key = format!("error-{}", error.code());
    // An argument written `msg:<key>` names a message (a state, an action) rendered in the reader's language.
    let rendered: Vec<(&'static str, String)> = args_of(error, path)
        .into_iter()
        .map(|(k, v)| (k, v.strip_prefix("msg:").map_or_else(|| v.to_owned(), |key| tr.t(key))))
        .collect();
    let args: Vec<(&str, &str)> = rendered.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if tr.has(&key) {
        (tr.t(&key), tr.attr_with(&key, "detail", &args))
    } else {
        (tr.t("error-internal_error"), tr.attr_with("error-internal_error", "detail", &args))
    }
}

/// The translated message of a field error. An argument `suggestion` (the closest valid value) adds
/// "did you mean …?" to any message.
pub fn field_message(error: &FieldError, tr: &Tr) -> String {
    let key = format!("field-{}", error.code);
    // As for errors, an argument written `msg:<key>` names a message rendered in the reader's language.
    let rendered: Vec<(&str, String)> = error
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.strip_prefix("msg:").map_or_else(|| v.clone(), |key| tr.t(key))))
        .collect();
    let args: Vec<(&str, &str)> = rendered.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut message = if tr.has(&key) { tr.t_with(&key, &args) } else { tr.t_with("field-invalid", &args) };
    if let Some((_, suggestion)) = args.iter().find(|(k, _)| *k == "suggestion") {
        message.push(' ');
        message.push_str(&tr.t_with("field-did-you-mean", &[("suggestion", suggestion)]));
    }
    message
}

/// The problem+json response of an error.
pub fn problem_response(error: &AppError, lang: Lang, uri: &Uri, request_id: Option<String>) -> Response {
    let tr = Tr::new(lang);
    let (title, detail) = title_and_detail(error, &tr, uri.path());
    let errors = match error {
        AppError::Validation(fields) | AppError::TooLarge(fields) => fields
            .iter()
            .map(|f| FieldProblem {
                field: f.field.clone(),
                code: f.code.clone(),
                detail: field_message(f, &tr),
                params: f.args.iter().cloned().collect(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let problem = Problem {
        kind: format!("/api/docs#error-{}", error.code()),
        title,
        status: error.status().as_u16(),
        code: error.code().to_owned(),
        detail,
        errors,
        instance: uri.path().to_owned(),
        request_id,
    };
    let mut response = (error.status(), Json(problem)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    detail: String,
    fields: Vec<String>,
    request_id: Option<String>,
}

/// The HTML page of an error.
pub fn page_response(error: &AppError, ctx: &Ctx, request_id: Option<String>) -> Response {
    let (title, detail) = title_and_detail(error, &ctx.tr, ctx.uri.path());
    let fields = match error {
        AppError::Validation(fields) | AppError::TooLarge(fields) => {
            fields.iter().map(|f| field_message(f, &ctx.tr)).collect()
        }
        _ => Vec::new(),
    };
    let page =
        ErrorPage { layout: ctx.layout_titled(title), status: error.status().as_u16(), detail, fields, request_id };
    match page.render() {
        Ok(html) => (error.status(), Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "the error page itself failed to render");
            (error.status(), ctx.tr.t("error-internal_error")).into_response()
        }
    }
}
