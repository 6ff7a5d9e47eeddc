//! `/units/changes/new`: an administrator records a later change of the map. The units are typed one per
//! line; every rule the change breaks is shown at the field it concerns, naming the code, with what was
//! typed kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::directory::parse_date;
use tiendo_core::text::fold;

use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::geo::api::map_changes::{MapChangeIn, NewSuccessionIn, NewUnitIn, parse_change};
use crate::layout::{Ctx, Layout};

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    effective: String,
    legal_basis: String,
    ending: String,
    starting: String,
    successions: String,
}

#[derive(Template)]
#[template(path = "geo/map_change.html")]
struct ChangePage {
    layout: Layout,
    v: Values,
    errors: FormErrors,
    /// The hints whose examples are Vietnamese as typed (HTML, the examples marked as data).
    legal_basis_hint: String,
    starting_hint: String,
    successions_hint: String,
}

fn page(ctx: &Ctx, v: Values, errors: FormErrors, status: StatusCode) -> Result<Response, AppError> {
    let tr = &ctx.tr;
    let html = ChangePage {
        layout: ctx.layout("change-title"),
        v,
        errors,
        legal_basis_hint: tr.t_data("change-legal-basis-hint", &[("example", "Nghị quyết số 30/2026/NQ-UBTVQH15")]),
        starting_hint: tr.t_data(
            "change-starting-hint",
            &[("kinds", "phường, xã, đặc khu, tỉnh, thành phố"), ("example", "07031; phường; Hoành Bồ Mới; 22")],
        ),
        successions_hint: tr.t_data("change-successions-hint", &[("default", "mặc định")]),
    }
    .render()
    .map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

fn require_admin(ctx: &Ctx) -> Result<(), AppError> {
    if authorize(&ctx.auth.actor, Action::Create, &Resource::AdminUnits).is_allowed() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// `GET /units/changes/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    require_admin(&ctx)?;
    page(&ctx, Values::default(), FormErrors::new(), StatusCode::OK)
}

/// The non-empty lines of a text, numbered from 1, split at semicolons.
fn lines(text: &str) -> Vec<(usize, Vec<String>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split(';').map(|p| p.trim().to_owned()).collect()))
        .collect()
}

/// Reads the typed change; lines that do not have the expected form are errors of their field.
fn read(v: &Values, errors: &mut Vec<FieldError>) -> Option<MapChangeIn> {
    let effective = parse_date(&v.effective);
    if effective.is_none() {
        let code = if v.effective.trim().is_empty() { "required" } else { "date_format" };
        errors.push(FieldError::new("effective", code));
    }
    let ending: Vec<String> = v
        .ending
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mut starting = Vec::new();
    for (line, parts) in lines(&v.starting) {
        match parts.as_slice() {
            [code, kind, name, rest @ ..] if rest.len() <= 1 && !name.is_empty() => starting.push(NewUnitIn {
                code: code.clone(),
                kind: kind.clone(),
                name: name.clone(),
                parent_code: rest.first().filter(|p| !p.is_empty()).cloned(),
            }),
            _ => errors.push(FieldError::new("starting", "line_format").arg("line", line)),
        }
    }
    let mut successions = Vec::new();
    for (line, parts) in lines(&v.successions) {
        let flag = |s: &str| matches!(fold(s).as_str(), "mac dinh" | "default" | "x" | "co" | "yes");
        let share = |s: &str| s.replace(',', ".").parse::<f64>().ok();
        let parsed = match parts.as_slice() {
            [from, to] => Some((from, to, false, None)),
            [from, to, third] if third.is_empty() || flag(third) => Some((from, to, flag(third), None)),
            [from, to, third] => share(third).map(|s| (from, to, false, Some(s))),
            [from, to, third, fourth] if third.is_empty() || flag(third) => {
                share(fourth).map(|s| (from, to, flag(third), Some(s)))
            }
            _ => None,
        };
        match parsed {
            Some((from, to, is_default, share)) => {
                successions.push(NewSuccessionIn { from_code: from.clone(), to_code: to.clone(), is_default, share })
            }
            None => errors.push(FieldError::new("successions", "line_format").arg("line", line)),
        }
    }
    effective.map(|effective| MapChangeIn {
        effective,
        legal_basis: Some(v.legal_basis.clone()),
        ending,
        starting,
        successions,
    })
}

/// The form field of an API field name (`starting[2].kind` → `starting`), and every message of a field
/// joined, since a field may break several rules.
fn form_errors(errors: &[FieldError], ctx: &Ctx) -> FormErrors {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in errors {
        let field = e.field.split(['[', '.']).next().unwrap_or(&e.field).to_owned();
        let message = field_message(e, &ctx.tr);
        let messages = by_field.entry(field).or_default();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }
    let mut out = FormErrors::new();
    for (field, messages) in by_field {
        out.add(&field, messages.join(" "));
    }
    out
}

/// `POST /units/changes/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    require_admin(&ctx)?;
    let form = Submitted::parse(&body);
    let v = Values {
        effective: form.get("effective"),
        legal_basis: form.get("legal_basis"),
        ending: form.get("ending"),
        starting: form.get("starting"),
        successions: form.get("successions"),
    };
    let mut errors = Vec::new();
    let input = read(&v, &mut errors);
    let change = input.as_ref().map(parse_change);
    let change = match change {
        Some(Ok(change)) if errors.is_empty() => change,
        Some(Err(more)) => {
            errors.extend(more);
            return page(&ctx, v, form_errors(&errors, &ctx), StatusCode::UNPROCESSABLE_ENTITY);
        }
        _ => return page(&ctx, v, form_errors(&errors, &ctx), StatusCode::UNPROCESSABLE_ENTITY),
    };
    match tiendo_app::geo::map_changes::record(ctx.state.app(), ctx.auth.session(), &change).await {
        Ok(plan) => {
            let target = match plan.starting.first() {
                Some(unit) => format!("/units/{}?as_of={}", unit.code, plan.effective),
                None => format!("/units?as_of={}", plan.effective),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(tiendo_app::Error::Invalid(fields)) => {
            page(&ctx, v, form_errors(&fields, &ctx), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}
