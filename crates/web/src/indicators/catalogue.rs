//! `/indicators`: the catalogue as a tree, an indicator's page (its definition, its figures by year with
//! their sources, the plan targets referring to it, the form recording a typed figure), and the form
//! creating or editing one.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::indicators::catalogue::{self, FigureDraft, IndicatorDraft};
use tiendo_app::indicators::compute::{self, Place, Request};
use tiendo_app::indicators::{may_edit, require};
use tiendo_core::authz::Action;
use tiendo_core::indicators::{Direction, Layer, Level, OverUnits, Periodicity, Source, tree};
use tiendo_db::indicators::{self as store, IndicatorRow};
use tiendo_db::reporting::aggregates::Map;

use super::{reason_text, show_number};
use crate::error::{AppError, FieldError};
use crate::extract::{Form, Path};
use crate::forms::FormErrors;
use crate::forms::fields::Choice;
use crate::layout::{Ctx, Layout};
use crate::monitoring::pages::html;

/// An indicator as listed.
#[derive(Debug, Clone)]
pub struct ItemView {
    id: i64,
    depth: usize,
    code: String,
    name: String,
    unit: String,
    layer: String,
    kind: String,
    is_sample: bool,
}

fn name_in(ctx: &Ctx, row: &IndicatorRow) -> String {
    match ctx.lang {
        tiendo_core::lang::Lang::En if !row.name_en.is_empty() => row.name_en.clone(),
        _ => row.name.clone(),
    }
}

#[derive(Template)]
#[template(path = "indicators/list.html")]
struct ListPage {
    layout: Layout,
    items: Vec<ItemView>,
    may_edit: bool,
}

/// `GET /indicators`.
pub async fn list(ctx: Ctx) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::View)?;
    let rows = store::list(ctx.state.db()).await?;
    let items = tree::ordered(&rows, |r| r.id, |r| r.parent_id)
        .into_iter()
        .map(|(i, depth)| {
            let r = &rows[i];
            ItemView {
                id: r.id,
                depth,
                code: r.code.clone(),
                name: name_in(&ctx, r),
                unit: r.unit.clone(),
                layer: ctx.tr.t(&format!("indicators-layer-{}", r.layer)),
                kind: ctx.tr.t(&format!("indicators-kind-{}", r.kind)),
                is_sample: r.is_sample,
            }
        })
        .collect();
    let page = ListPage { layout: ctx.layout("indicators-title"), items, may_edit: may_edit(ctx.auth.session()) };
    html(&page, StatusCode::OK)
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndicatorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    periodicity: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    layer: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    numerator: String,
    #[serde(default)]
    denominator: String,
    #[serde(default)]
    factor: String,
    #[serde(default)]
    over_units: String,
    #[serde(default)]
    first_year: String,
    #[serde(default)]
    last_year: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    sort_order: String,
}

fn int(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse().map_err(|_| errors.push(FieldError::new(field, "invalid"))).ok()
}

impl IndicatorForm {
    fn draft(&self) -> IndicatorDraft {
        let mut unreadable = Vec::new();
        let factor = match self.factor.trim() {
            "" => None,
            t => tiendo_core::fmt::parse_number(t)
                .map_err(|_| unreadable.push(FieldError::new("factor", "invalid")))
                .ok(),
        };
        IndicatorDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            unit: self.unit.clone(),
            direction: self.direction.clone(),
            periodicity: self.periodicity.clone(),
            level: self.level.clone(),
            layer: self.layer.clone(),
            parent_id: int("parent_id", &self.parent_id, &mut unreadable),
            kind: self.kind.clone(),
            numerator: self.numerator.clone(),
            denominator: self.denominator.clone(),
            factor,
            over_units: self.over_units.clone(),
            first_year: int("first_year", &self.first_year, &mut unreadable),
            last_year: int("last_year", &self.last_year, &mut unreadable),
            note: Some(self.note.clone()),
            sort_order: int("sort_order", &self.sort_order, &mut unreadable),
            is_sample: false,
            unreadable,
        }
    }

    fn of(r: &IndicatorRow) -> IndicatorForm {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        IndicatorForm {
            code: r.code.clone(),
            name: r.name.clone(),
            name_en: r.name_en.clone(),
            unit: r.unit.clone(),
            direction: r.direction.clone(),
            periodicity: r.periodicity.clone(),
            level: r.level.clone(),
            layer: r.layer.clone(),
            parent_id: n(r.parent_id),
            kind: r.kind.clone(),
            numerator: r.numerator.clone().unwrap_or_default(),
            denominator: r.denominator.clone().unwrap_or_default(),
            factor: show_number(r.factor, tiendo_core::lang::Lang::Vi),
            over_units: r.over_units.clone(),
            first_year: n(r.first_year),
            last_year: n(r.last_year),
            note: r.note.clone().unwrap_or_default(),
            sort_order: r.sort_order.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "indicators/form.html")]
struct FormPage {
    layout: Layout,
    /// How a formula is written, its examples marked as code (HTML).
    formula_hint: String,
    id: Option<i64>,
    form: IndicatorForm,
    errors: FormErrors,
    directions: Vec<Choice>,
    periodicities: Vec<Choice>,
    levels: Vec<Choice>,
    layers: Vec<Choice>,
    kinds: Vec<Choice>,
    over_units: Vec<Choice>,
    parents: Vec<Choice>,
    sources: Vec<(String, String)>,
    fields: Vec<String>,
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    form: IndicatorForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let t = |k: String| ctx.tr.t(&k);
    let parents = store::list(db)
        .await?
        .into_iter()
        .filter(|r| Some(r.id) != id)
        .map(|r| Choice::data(r.id, format!("{} — {}", r.code, r.name)))
        .collect();
    let title = match id {
        Some(_) => ctx.tr.t_with("indicators-edit-title", &[("code", &form.code)]),
        None => ctx.tr.t("indicators-new-title"),
    };
    let formula_hint = {
        use tiendo_app::i18n::Arg;
        let args = [
            ("field", Arg::Code("KHCN.CHI.THUC")),
            ("source", Arg::Code("@st_tasks_approved")),
            ("times", Arg::Code("2 * KHCN.NV.NT")),
        ];
        ctx.tr.t_marked("indicators-formula-hint", &args)
    };
    let page = FormPage {
        layout: ctx.layout_titled(title),
        formula_hint,
        id,
        directions: Direction::ALL
            .iter()
            .map(|d| Choice::new(d.code(), t(format!("indicators-direction-{}", d.code()))))
            .collect(),
        periodicities: Periodicity::ALL
            .iter()
            .map(|p| Choice::new(p.code(), t(format!("indicators-periodicity-{}", p.code()))))
            .collect(),
        levels: Level::ALL.iter().map(|l| Choice::new(l.code(), t(format!("indicators-level-{}", l.code())))).collect(),
        layers: Layer::ALL.iter().map(|l| Choice::new(l.code(), t(format!("indicators-layer-{}", l.code())))).collect(),
        kinds: tiendo_core::indicators::DEFINITION_KINDS
            .iter()
            .map(|k| Choice::new(k, t(format!("indicators-kind-{k}"))))
            .collect(),
        over_units: OverUnits::ALL
            .iter()
            .map(|o| Choice::new(o.code(), t(format!("indicators-over-units-{}", o.code()))))
            .collect(),
        parents,
        sources: Source::ALL.iter().map(|s| (format!("@{}", s.code()), t(format!("source-{}", s.code())))).collect(),
        fields: store::report_field_codes(db).await?,
        form,
        errors,
    };
    html(&page, status)
}

/// `GET /indicators/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Create)?;
    let form = IndicatorForm {
        direction: "higher".into(),
        periodicity: "yearly".into(),
        level: "province".into(),
        layer: "strategic".into(),
        kind: "formula".into(),
        over_units: "total".into(),
        factor: "1".into(),
        ..IndicatorForm::default()
    };
    form_page(&ctx, None, form, FormErrors::new(), StatusCode::OK).await
}

async fn save(ctx: &Ctx, id: Option<i64>, form: IndicatorForm) -> Result<Response, AppError> {
    match catalogue::save(ctx.state.app(), ctx.auth.session(), id, &form.draft()).await {
        Ok(id) => Ok(Redirect::to(&format!("/indicators/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(ctx, id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /indicators`.
pub async fn create(ctx: Ctx, Form(form): Form<IndicatorForm>) -> Result<Response, AppError> {
    save(&ctx, None, form).await
}

/// `GET /indicators/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Edit)?;
    let row = store::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    form_page(&ctx, Some(id), IndicatorForm::of(&row), FormErrors::new(), StatusCode::OK).await
}

/// `POST /indicators/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, Form(form): Form<IndicatorForm>) -> Result<Response, AppError> {
    save(&ctx, Some(id), form).await
}

/// `POST /indicators/{id}/delete`.
pub async fn delete(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    catalogue::delete(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to("/indicators").into_response())
}

/// A year's figure on the indicator's page.
#[derive(Debug, Clone)]
pub struct YearView {
    year: i32,
    value: String,
    reason: String,
    href: String,
}

/// A target on the indicator's page.
#[derive(Debug, Clone)]
pub struct TargetView {
    plan_id: i64,
    plan: String,
    value: String,
    year: i64,
    baseline: String,
}

/// The figure form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FigureForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    source: String,
}

#[derive(Template)]
#[template(path = "indicators/show.html")]
struct ShowPage {
    layout: Layout,
    row: IndicatorRow,
    name: String,
    parent: Option<(i64, String)>,
    facts: Vec<(String, String, bool)>,
    years: Vec<YearView>,
    targets: Vec<TargetView>,
    may_edit: bool,
    typed: bool,
    figure: FigureForm,
    errors: FormErrors,
}

async fn show_page(
    ctx: &Ctx,
    id: i64,
    figure: FigureForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::View)?;
    let app = ctx.state.app();
    let db = ctx.state.db();
    let row = store::get(db, id).await?.ok_or(AppError::NotFound)?;
    let this_year = compute::this_year(app);
    let request = Request { map: Map::Current, place: Place::Province, years: (this_year - 9, this_year) };
    let figures = compute::figures(app, std::slice::from_ref(&row), &request).await?.remove(&id).unwrap_or_default();
    let names = super::field_names(ctx).await?;
    let years = figures
        .iter()
        .rev()
        .map(|f| YearView {
            year: f.year,
            value: f.value.map(|v| show_number(v, ctx.lang)).unwrap_or_default(),
            reason: f.reason.as_ref().map(|r| reason_text(&ctx.tr, r, &names)).unwrap_or_default(),
            href: format!("/indicators/{id}/sources?year={}", f.year),
        })
        .collect();
    let targets = store::targets(db)
        .await?
        .into_iter()
        .filter(|t| t.indicator_id == id)
        .map(|t| TargetView {
            plan_id: t.plan_id,
            plan: t.plan_title,
            value: show_number(t.target_value, ctx.lang),
            year: t.target_year,
            baseline: match (t.baseline_value, t.baseline_year) {
                (Some(v), Some(y)) => format!("{} ({y})", show_number(v, ctx.lang)),
                (Some(v), None) => show_number(v, ctx.lang),
                _ => String::new(),
            },
        })
        .collect();
    let parent = match row.parent_id {
        Some(p) => store::get(db, p).await?.map(|p| (p.id, format!("{} — {}", p.code, p.name))),
        None => None,
    };
    let t = |k: String| ctx.tr.t(&k);
    // The code and the formula are the catalogue's own language (what the form asks for): shown as code.
    let mut facts = vec![
        (t("indicators-code".into()), row.code.clone(), true),
        (t("indicators-unit".into()), row.unit.clone(), false),
        (t("indicators-direction".into()), t(format!("indicators-direction-{}", row.direction)), false),
        (t("indicators-periodicity".into()), t(format!("indicators-periodicity-{}", row.periodicity)), false),
        (t("indicators-level".into()), t(format!("indicators-level-{}", row.level)), false),
        (t("indicators-layer".into()), t(format!("indicators-layer-{}", row.layer)), false),
        (t("indicators-kind".into()), t(format!("indicators-kind-{}", row.kind)), false),
    ];
    if row.kind == "formula" {
        facts.push((t("indicators-numerator".into()), row.numerator.clone().unwrap_or_default(), true));
        if let Some(d) = &row.denominator {
            facts.push((t("indicators-denominator".into()), d.clone(), true));
        }
        facts.push((t("indicators-factor".into()), show_number(row.factor, ctx.lang), false));
        facts.push((t("indicators-over-units".into()), t(format!("indicators-over-units-{}", row.over_units)), false));
    }
    if row.first_year.is_some() || row.last_year.is_some() {
        let y = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        facts.push((t("indicators-first-year".into()), format!("{} – {}", y(row.first_year), y(row.last_year)), false));
    }
    let page = ShowPage {
        layout: ctx.layout_named(format!("{} — {}", row.code, name_in(ctx, &row))),
        name: name_in(ctx, &row),
        parent,
        facts,
        years,
        targets,
        may_edit: may_edit(ctx.auth.session()),
        typed: row.kind == "typed",
        row,
        figure,
        errors,
    };
    html(&page, status)
}

/// `GET /indicators/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    show_page(&ctx, id, FigureForm::default(), FormErrors::new(), StatusCode::OK).await
}

/// `POST /indicators/{id}/figures`: records a typed figure.
pub async fn record_figure(ctx: Ctx, Path(id): Path<i64>, Form(form): Form<FigureForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let year = match form.year.trim().parse::<i64>() {
        Ok(y) => Some(y),
        Err(_) if form.year.trim().is_empty() => None,
        Err(_) => {
            errors.add("year", ctx.tr.t("field-invalid"));
            None
        }
    };
    let value = match tiendo_core::fmt::parse_number(form.value.trim()) {
        Ok(v) => Some(v),
        Err(_) if form.value.trim().is_empty() => None,
        Err(_) => {
            errors.add("value", ctx.tr.t("field-invalid"));
            None
        }
    };
    if errors.is_empty() {
        let draft =
            FigureDraft { year, unit_code: Some(form.unit_code.clone()), value, source: Some(form.source.clone()) };
        match catalogue::record_figure(ctx.state.app(), ctx.auth.session(), id, &draft).await {
            Ok(()) => return Ok(Redirect::to(&format!("/indicators/{id}#figures")).into_response()),
            Err(tiendo_app::Error::Invalid(fields)) => errors = FormErrors::from_fields(&fields, &ctx.tr),
            Err(e) => return Err(e.into()),
        }
    }
    show_page(&ctx, id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}
