//! `/councils/{id}/settings`: a council's rubric (criteria, maximum points, weights), the rules that make
//! its outcome, its quorum and its conflict horizon, changed by the staff until the first sheet is sent.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::sci_tech::councils as use_cases;
use tiendo_app::sci_tech::rubric;
use tiendo_core::sci_tech::rubric::{CriterionDraft, SettingsDraft};

use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::layout::{Ctx, Layout};

/// Blank rows offered after the criteria, for new ones.
const SPARE_ROWS: usize = 2;

/// A criterion row of the form, with its errors.
#[derive(Debug, Clone)]
pub struct CriterionRow {
    /// Its position (0-based), as messages name it.
    pub i: usize,
    /// What it holds.
    pub c: CriterionDraft,
    /// The error of its name, if any.
    pub name_error: String,
    /// The error of its maximum.
    pub max_error: String,
    /// The error of its weight.
    pub weight_error: String,
}

#[derive(Template)]
#[template(path = "sci_tech/council_settings.html")]
struct SettingsPage {
    layout: Layout,
    id: i64,
    name: String,
    d: SettingsDraft,
    rows: Vec<CriterionRow>,
    errors: FormErrors,
    locked: bool,
}

fn page(
    ctx: &Ctx,
    opened: &use_cases::OpenedCouncil,
    d: SettingsDraft,
    errors: &[FieldError],
    locked: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let errors = FormErrors::from_fields(errors, &ctx.tr);
    let mut criteria = d.criteria.clone();
    criteria.resize(criteria.len().max(1) + SPARE_ROWS, CriterionDraft::default());
    let rows = criteria
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let error = |what: &str| errors.get(&format!("criteria[{i}].{what}")).to_owned();
            CriterionRow { i, name_error: error("name"), max_error: error("max"), weight_error: error("weight"), c }
        })
        .collect();
    let page = SettingsPage {
        layout: ctx.layout("st-settings-title"),
        id: opened.council.id,
        name: opened.council.name.clone(),
        d,
        rows,
        errors,
        locked,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /councils/{id}/settings`: the form, filled with the council's settings (read only once scoring
/// has begun).
pub async fn form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_council(app, session, id).await?;
    if !opened.may_manage {
        return Err(AppError::Forbidden);
    }
    let locked = !rubric::may_set_settings(app, &opened).await?;
    let d = SettingsDraft::of(&opened.council.settings);
    page(&ctx, &opened, d, &[], locked, StatusCode::OK)
}

/// The settings as typed: one row per criterion (code kept in a hidden field).
fn draft_of(form: &Submitted) -> SettingsDraft {
    let (codes, names, maxima, weights) = (
        form.all("criterion_code"),
        form.all("criterion_name"),
        form.all("criterion_max"),
        form.all("criterion_weight"),
    );
    let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
    let count = codes.len().max(names.len()).max(maxima.len()).max(weights.len());
    SettingsDraft {
        criteria: (0..count)
            .map(|i| CriterionDraft {
                code: at(&codes, i),
                name: at(&names, i),
                max: at(&maxima, i),
                weight: at(&weights, i),
            })
            .collect(),
        pass_average: form.get("pass_average"),
        zero_limit: form.get("zero_limit"),
        quorum_present: form.get("quorum_present"),
        quorum_chair_or_vice: form.has("quorum_chair_or_vice"),
        conflict_years: form.get("conflict_years"),
    }
}

/// `POST /councils/{id}/settings`: back to the council with a notice, or the form again with the errors
/// and what was typed.
pub async fn save(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let d = draft_of(&Submitted::parse(&body));
    match rubric::set_settings(app, session, id, &d).await {
        Ok(()) => Ok(Redirect::to(&format!("/councils/{id}?done=settings")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_council(app, session, id).await?;
            page(&ctx, &opened, d, &errors, false, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(err @ tiendo_app::Error::Conflict { code: "settings_locked", .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = use_cases::open_council(app, session, id).await?;
            let errors = [FieldError::new("criteria", "conflict_detail").arg("detail", detail)];
            page(&ctx, &opened, d, &errors, true, error.status())
        }
        Err(other) => Err(other.into()),
    }
}
