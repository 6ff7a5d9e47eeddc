//! `/api/v1/indicators`, `/api/v1/scorecard`: the catalogue (read and kept), the figures of an indicator
//! with their parts or the reason they have none, the sources behind one figure, and the scorecard. Every
//! operation calls the same `tiendo_app::indicators` function as the pages.

use axum::Json;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tiendo_app::indicators::catalogue::{self, FigureDraft, IndicatorDraft};
use tiendo_app::indicators::compute::{self, Figure, Place, Request};
use tiendo_app::indicators::drill::{self, record_link};
use tiendo_app::indicators::require;
use tiendo_app::indicators::scorecard::{self as card, ScorecardRequest};
use tiendo_core::authz::Action;
use tiendo_core::indicators::{
    DEFINITION_KINDS, Direction, Layer, Level, Operand, OverUnits, Periodicity, Source, Status,
};
use tiendo_db::indicators::{self as store, IndicatorRow};
use tiendo_db::reporting::aggregates::Map;
use utoipa::{IntoParams, ToSchema};

use crate::api::ListPage;
use crate::api::codes::{nullable_one_of, one_of};
use crate::api::extract::{ApiJson, ApiQuery};
use crate::error::{AppError, FieldError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

fn direction_codes() -> utoipa::openapi::Object {
    one_of("`higher` or `lower` (which is better).", Direction::ALL.map(Direction::code))
}
fn periodicity_codes() -> utoipa::openapi::Object {
    one_of("`yearly`, `half_yearly`, `quarterly` or `monthly`.", Periodicity::ALL.map(Periodicity::code))
}
fn level_codes() -> utoipa::openapi::Object {
    one_of("`province` or `commune`: the level it is reported at.", Level::ALL.map(Level::code))
}
fn layer_codes() -> utoipa::openapi::Object {
    one_of("`strategic` or `operational`.", Layer::ALL.map(Layer::code))
}
fn kind_codes() -> utoipa::openapi::Object {
    one_of("`typed` (a figure typed each year) or `formula`.", DEFINITION_KINDS)
}
fn over_units_codes() -> utoipa::openapi::Object {
    one_of(
        "`total` (the formula over the province's totals, default) or `average` (the mean of the units' figures).",
        OverUnits::ALL.map(OverUnits::code),
    )
}
fn map_codes() -> utoipa::openapi::Object {
    one_of("`current` (today's map, default) or `reported` (the map of the time).", ["current", "reported"])
}
fn status_codes() -> utoipa::openapi::Object {
    nullable_one_of(
        "`met`, `on_track`, `at_risk` or `off_track` (null: no target or no figure).",
        Status::ALL.map(Status::code),
    )
}
fn reason_codes() -> utoipa::openapi::Object {
    nullable_one_of(
        "Why there is no value: `zero_denominator`, `missing_values`, `not_recorded`, `no_unit`, `province_level`, `definition_invalid`.",
        ["zero_denominator", "missing_values", "not_recorded", "no_unit", "province_level", "definition_invalid"],
    )
}
fn source_codes() -> utoipa::openapi::Object {
    nullable_one_of("The module's records (as `@code` in a formula).", Source::ALL.map(Source::code))
}

/// An indicator of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorEntry {
    /// Id.
    pub id: i64,
    /// The code.
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name (empty when not given).
    pub name_en: String,
    /// The unit of the figures.
    pub unit: String,
    /// Which is better.
    #[schema(schema_with = direction_codes)]
    pub direction: String,
    /// How often it has a figure.
    #[schema(schema_with = periodicity_codes)]
    pub periodicity: String,
    /// The level it is reported at.
    #[schema(schema_with = level_codes)]
    pub level: String,
    /// The layer.
    #[schema(schema_with = layer_codes)]
    pub layer: String,
    /// The parent in the tree.
    pub parent_id: Option<i64>,
    /// How its figures are obtained.
    #[schema(schema_with = kind_codes)]
    pub kind: String,
    /// The numerator of a formula.
    pub numerator: Option<String>,
    /// The denominator of a formula.
    pub denominator: Option<String>,
    /// The factor of a formula.
    pub factor: f64,
    /// How the province's figure comes from its units'.
    #[schema(schema_with = over_units_codes)]
    pub over_units: String,
    /// The first year with figures.
    pub first_year: Option<i64>,
    /// The last year.
    pub last_year: Option<i64>,
    /// A note.
    pub note: Option<String>,
    /// The order among siblings.
    pub sort_order: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl From<IndicatorRow> for IndicatorEntry {
    fn from(r: IndicatorRow) -> IndicatorEntry {
        IndicatorEntry {
            id: r.id,
            code: r.code,
            name: r.name,
            name_en: r.name_en,
            unit: r.unit,
            direction: r.direction,
            periodicity: r.periodicity,
            level: r.level,
            layer: r.layer,
            parent_id: r.parent_id,
            kind: r.kind,
            numerator: r.numerator,
            denominator: r.denominator,
            factor: r.factor,
            over_units: r.over_units,
            first_year: r.first_year,
            last_year: r.last_year,
            note: r.note,
            sort_order: r.sort_order,
            is_sample: r.is_sample,
        }
    }
}

/// The catalogue, in sibling order.
#[utoipa::path(get, path = "/indicators", tag = "indicators", operation_id = "list_indicators", security(("bearer" = [])),
    responses(
        (status = 200, description = "Every indicator", body = ListPage<IndicatorEntry>),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not read the catalogue", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_indicators(ctx: Ctx) -> Result<Json<ListPage<IndicatorEntry>>, AppError> {
    ctx.auth.require_user()?;
    require(ctx.auth.session(), Action::View)?;
    let items: Vec<IndicatorEntry> = store::list(ctx.state.db()).await?.into_iter().map(Into::into).collect();
    let total = i64::try_from(items.len()).unwrap_or_default();
    Ok(Json(ListPage { items, total, next: None }))
}

/// An indicator to create or replace.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IndicatorBody {
    /// The code: letters, digits, `.`, `_`, `-`, starting with a letter, at most 40.
    pub code: String,
    /// The Vietnamese name.
    pub name: String,
    /// The English name.
    #[serde(default)]
    pub name_en: String,
    /// The unit.
    #[serde(default)]
    pub unit: String,
    /// Which is better.
    #[schema(schema_with = direction_codes)]
    pub direction: String,
    /// How often it has a figure.
    #[schema(schema_with = periodicity_codes)]
    pub periodicity: String,
    /// The level it is reported at.
    #[schema(schema_with = level_codes)]
    pub level: String,
    /// The layer.
    #[schema(schema_with = layer_codes)]
    pub layer: String,
    /// The parent (not the indicator itself or one under it: `indicator_cycle`).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// How its figures are obtained.
    #[schema(schema_with = kind_codes)]
    pub kind: String,
    /// A formula's numerator: terms joined by `+` and `-`, each a number, a report indicator's code, `@source`
    /// or `number * name` (`formula_syntax`, `formula_unknown_field`, `unknown_source`).
    #[serde(default)]
    pub numerator: String,
    /// A formula's denominator, empty for none (never a constant zero: `zero_denominator`).
    #[serde(default)]
    pub denominator: String,
    /// The factor (default 1; 100 for a percentage).
    #[serde(default)]
    pub factor: Option<f64>,
    /// How the province's figure comes from its units' (default `total`).
    #[serde(default)]
    #[schema(schema_with = over_units_codes)]
    pub over_units: Option<String>,
    /// The first year with figures (1945–2100).
    #[serde(default)]
    pub first_year: Option<i64>,
    /// The last year with figures (1945–2100).
    #[serde(default)]
    pub last_year: Option<i64>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
    /// The order among siblings.
    #[serde(default)]
    pub sort_order: Option<i64>,
}

impl IndicatorBody {
    fn draft(self) -> IndicatorDraft {
        IndicatorDraft {
            code: self.code,
            name: self.name,
            name_en: self.name_en,
            unit: self.unit,
            direction: self.direction,
            periodicity: self.periodicity,
            level: self.level,
            layer: self.layer,
            parent_id: self.parent_id,
            kind: self.kind,
            numerator: self.numerator,
            denominator: self.denominator,
            factor: self.factor,
            over_units: self.over_units.unwrap_or_default(),
            first_year: self.first_year,
            last_year: self.last_year,
            note: self.note,
            sort_order: self.sort_order,
            is_sample: false,
            unreadable: Vec::new(),
        }
    }
}

async fn entry(ctx: &Ctx, id: i64) -> Result<IndicatorEntry, AppError> {
    Ok(store::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?.into())
}

/// Adds an indicator to the catalogue; its definition is checked (every problem named).
#[utoipa::path(post, path = "/indicators", tag = "indicators", operation_id = "create_indicator", security(("bearer" = [])),
    request_body = IndicatorBody,
    responses(
        (status = 201, description = "Added", body = IndicatorEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not keep the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_indicator(
    ctx: Ctx,
    ApiJson(body): ApiJson<IndicatorBody>,
) -> Result<(StatusCode, Json<IndicatorEntry>), AppError> {
    ctx.auth.require_user()?;
    let id = catalogue::save(ctx.state.app(), ctx.auth.session(), None, &body.draft()).await?;
    Ok((StatusCode::CREATED, Json(entry(&ctx, id).await?)))
}

/// One indicator.
#[utoipa::path(get, path = "/indicators/{id}", tag = "indicators", operation_id = "get_indicator", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id")),
    responses(
        (status = 200, description = "The indicator", body = IndicatorEntry),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not read the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_indicator(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<IndicatorEntry>, AppError> {
    ctx.auth.require_user()?;
    require(ctx.auth.session(), Action::View)?;
    Ok(Json(entry(&ctx, id).await?))
}

/// Replaces an indicator's fields.
#[utoipa::path(put, path = "/indicators/{id}", tag = "indicators", operation_id = "update_indicator", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id")),
    request_body = IndicatorBody,
    responses(
        (status = 200, description = "Saved", body = IndicatorEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not keep the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_indicator(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<IndicatorBody>,
) -> Result<Json<IndicatorEntry>, AppError> {
    ctx.auth.require_user()?;
    catalogue::save(ctx.state.app(), ctx.auth.session(), Some(id), &body.draft()).await?;
    Ok(Json(entry(&ctx, id).await?))
}

/// Deletes an indicator nothing refers to (`indicator_in_use` otherwise).
#[utoipa::path(delete, path = "/indicators/{id}", tag = "indicators", operation_id = "delete_indicator", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not keep the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Indicators sit under it or targets refer to it", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_indicator(ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    ctx.auth.require_user()?;
    catalogue::delete(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A typed figure.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FigureBody {
    /// The year (within the indicator's years: `period_not_covered`).
    #[serde(default)]
    pub year: Option<i64>,
    /// The figure.
    #[serde(default)]
    pub value: Option<f64>,
    /// An administrative unit's code; none for the province.
    #[serde(default)]
    pub unit_code: Option<String>,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: Option<String>,
}

/// Records the figure of a typed indicator for a year (replacing the one recorded); a computed indicator
/// takes none (`indicator_computed`).
#[utoipa::path(post, path = "/indicators/{id}/figures", tag = "indicators", operation_id = "record_indicator_figure", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id")),
    request_body = FigureBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not keep the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_indicator_figure(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<FigureBody>,
) -> Result<StatusCode, AppError> {
    ctx.auth.require_user()?;
    let draft = FigureDraft { year: body.year, unit_code: body.unit_code, value: body.value, source: body.source };
    catalogue::record_figure(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where and on which map.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceParams {
    /// `current` (today's map, default) or `reported` (the map of the time).
    #[param(schema_with = map_codes)]
    map: Option<String>,
    /// An administrative unit's code; none for the province.
    unit: Option<String>,
}

/// Which years.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearsParams {
    /// The first year (default: nine years before `to`).
    #[param(minimum = 1945, maximum = 2100)]
    from: Option<i32>,
    /// The last year (default: this year).
    #[param(minimum = 1945, maximum = 2100)]
    to: Option<i32>,
}

fn map_of(code: Option<&str>) -> Result<Map, AppError> {
    let code = code.unwrap_or("current");
    Map::from_code(code)
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("map", "map_unknown").arg("value", code)]))
}

fn place_of(unit: Option<String>) -> Place {
    match unit.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()) {
        Some(u) => Place::Unit(u),
        None => Place::Province,
    }
}

/// A figure: its value with its parts, or why it has none.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureEntry {
    /// The year.
    pub year: i32,
    /// The value; `null` when there is none (never 0 or infinity for a zero denominator).
    pub value: Option<f64>,
    /// The numerator's value (the sum of the units' figures for an average).
    pub numerator: Option<f64>,
    /// The denominator's value (the number of units averaged for an average).
    pub denominator: Option<f64>,
    /// For an average over units: how many units had a figure.
    pub units_averaged: Option<i64>,
    /// For an average over units: how many units had data.
    pub units_with_data: Option<i64>,
    /// Why there is no value.
    #[schema(schema_with = reason_codes)]
    pub reason: Option<String>,
    /// The report fields without an approved value (`missing_values`).
    pub missing: Vec<String>,
}

impl From<&Figure> for FigureEntry {
    fn from(f: &Figure) -> FigureEntry {
        FigureEntry {
            year: f.year,
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
            units_averaged: f.units.map(|(a, _)| i64::try_from(a).unwrap_or_default()),
            units_with_data: f.units.map(|(_, b)| i64::try_from(b).unwrap_or_default()),
            reason: f.reason.as_ref().map(|r| r.code.to_owned()),
            missing: f.reason.as_ref().map(|r| r.names.clone()).unwrap_or_default(),
        }
    }
}

/// An indicator's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorValues {
    /// The indicator.
    pub indicator: IndicatorEntry,
    /// `current` or `reported`.
    pub map: String,
    /// The unit's code; `null` for the province.
    pub unit: Option<String>,
    /// One figure per year, oldest first.
    pub values: Vec<FigureEntry>,
}

/// An indicator's figures by year, computed now from approved reports and the modules' records.
#[utoipa::path(get, path = "/indicators/{id}/values", tag = "indicators", operation_id = "get_indicator_values", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id"), PlaceParams, YearsParams),
    responses(
        (status = 200, description = "The figures", body = IndicatorValues),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not read the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`map_unknown`, `year_out_of_range`, `year_range` (from after to, or more than 30 years)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_indicator_values(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(place): ApiQuery<PlaceParams>,
    ApiQuery(years): ApiQuery<YearsParams>,
) -> Result<Json<IndicatorValues>, AppError> {
    ctx.auth.require_user()?;
    require(ctx.auth.session(), Action::View)?;
    let app = ctx.state.app();
    let map = map_of(place.map.as_deref())?;
    let out = |y: Option<i32>| y.is_some_and(|y| !tiendo_core::indicators::YEARS.contains(&y));
    if out(years.from) || out(years.to) {
        let field = if out(years.from) { "from" } else { "to" };
        return Err(AppError::Validation(vec![FieldError::new(field, "year_out_of_range")]));
    }
    let to = years.to.unwrap_or_else(|| compute::this_year(app));
    let from = years.from.unwrap_or(to - 9);
    if from > to || to - from > 30 {
        return Err(AppError::Validation(vec![FieldError::new("from", "year_range")]));
    }
    let row = store::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let place = place_of(place.unit);
    let request = Request { map, place: place.clone(), years: (from, to) };
    let figures = compute::figures(app, std::slice::from_ref(&row), &request).await?.remove(&id).unwrap_or_default();
    Ok(Json(IndicatorValues {
        indicator: row.into(),
        map: map.code().to_owned(),
        unit: match place {
            Place::Unit(u) => Some(u),
            Place::Province => None,
        },
        values: figures.iter().map(Into::into).collect(),
    }))
}

/// A source behind a figure: an approved report value, or a module's record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceEntry {
    /// `report`, `proposal`, `assignment`, `report_due` or `certificate`.
    pub kind: String,
    /// The record's id.
    pub id: i64,
    /// Its page.
    pub link: String,
    /// Its title (a report: the template's code and the period).
    pub title: String,
    /// The organisation.
    pub organization: Option<String>,
    /// The unit it was reported by (a report) or counts for (a record).
    pub unit: Option<String>,
    /// On today's map: the unit a report counts for…
    pub current_unit: Option<String>,
    /// …and the share of it.
    pub share: Option<f64>,
    /// The value it gives (a report's number, 1 for a counted record, an amount).
    pub amount: f64,
    /// When a report was approved.
    pub approved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A term of the formula with its value and sources.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermEntry {
    /// `numerator` or `denominator`.
    pub part: String,
    /// The coefficient (with the term's sign).
    pub coefficient: f64,
    /// A report indicator's code, if the term reads one.
    pub field: Option<String>,
    /// The records it counts, if any.
    #[schema(schema_with = source_codes)]
    pub source: Option<String>,
    /// A constant, if the term is one.
    pub constant: Option<f64>,
    /// Its value (`null`: no approved value).
    pub value: Option<f64>,
    /// How many sources in all (at most 200 are listed).
    pub total: i64,
    /// The sources the caller may see.
    pub sources: Vec<SourceEntry>,
}

/// A figure with the arithmetic and the sources behind it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureSources {
    /// The indicator.
    pub indicator: IndicatorEntry,
    /// The figure.
    pub figure: FigureEntry,
    /// `current` or `reported`.
    pub map: String,
    /// The place's name.
    pub place: String,
    /// The terms of the formula (none for a typed figure).
    pub terms: Vec<TermEntry>,
    /// For an average over units: each unit's figure (`null` value with `reason` when none).
    pub units: Vec<UnitFigure>,
    /// For a typed figure: where it comes from, as typed.
    pub typed_source: Option<String>,
}

/// A unit's figure in an average.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitFigure {
    /// The unit's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its figure.
    pub value: Option<f64>,
    /// Why it has none.
    #[schema(schema_with = reason_codes)]
    pub reason: Option<String>,
}

/// The arithmetic and the sources behind one figure (reports, tasks, directives, as the caller may see
/// them).
#[utoipa::path(get, path = "/indicators/{id}/values/{year}/sources", tag = "indicators", operation_id = "get_indicator_sources", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Indicator id"), ("year" = i32, Path, description = "The year, 1945–2100", minimum = 1945, maximum = 2100), PlaceParams),
    responses(
        (status = 200, description = "The figure and its sources", body = FigureSources),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not read the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`map_unknown`, `year_out_of_range`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_indicator_sources(
    ctx: Ctx,
    Path((id, year)): Path<(i64, i32)>,
    ApiQuery(place): ApiQuery<PlaceParams>,
) -> Result<Json<FigureSources>, AppError> {
    ctx.auth.require_user()?;
    let map = map_of(place.map.as_deref())?;
    let d = drill::drill(ctx.state.app(), ctx.auth.session(), id, year, map, place_of(place.unit)).await?;
    let terms = d
        .terms
        .iter()
        .map(|t| {
            let (field, source, constant) = match &t.term.operand {
                Operand::Const(c) => (None, None, Some(*c)),
                Operand::Field(f) => (Some(f.clone()), None, None),
                Operand::Source(s) => (None, Some(*s), None),
            };
            let mut sources: Vec<SourceEntry> = t
                .reports
                .iter()
                .map(|r| SourceEntry {
                    kind: "report".into(),
                    id: r.report_id,
                    link: tiendo_app::reporting::link(r.report_id),
                    title: format!("{} {}", r.template_code, r.period_code),
                    organization: Some(r.org_name.clone()),
                    unit: r.unit_name.clone(),
                    current_unit: r.current_name.clone(),
                    share: r.share,
                    amount: r.number,
                    approved_at: r.decided_at,
                    approved_by: r.decided_by_name.clone(),
                    is_sample: r.is_sample,
                })
                .collect();
            if let Some(s) = source {
                let kind = match s.module() {
                    "sci_tech" => "proposal",
                    "monitoring" => "assignment",
                    "certificates" => "certificate",
                    _ => "report_due",
                };
                sources.extend(t.records.iter().map(|r| SourceEntry {
                    kind: kind.into(),
                    id: r.id,
                    link: record_link(s, r.id),
                    title: r.title.clone(),
                    organization: r.org_name.clone(),
                    unit: Some(r.unit_code.clone()).filter(|u| !u.is_empty()),
                    current_unit: None,
                    share: None,
                    amount: r.amount,
                    approved_at: None,
                    approved_by: None,
                    is_sample: r.is_sample,
                }));
            }
            TermEntry {
                part: t.part.to_owned(),
                coefficient: t.term.coefficient,
                field,
                source: source.map(|s| s.code().to_owned()),
                constant,
                value: t.value,
                total: t.total,
                sources,
            }
        })
        .collect();
    Ok(Json(FigureSources {
        figure: (&d.figure).into(),
        map: map.code().to_owned(),
        place: d.place_name.clone(),
        terms,
        units: d
            .units
            .iter()
            .map(|u| UnitFigure {
                code: u.code.clone(),
                name: u.name.clone(),
                value: u.figure.as_ref().ok().map(|e| e.value),
                reason: u.figure.as_ref().err().map(|r| r.code().to_owned()),
            })
            .collect(),
        typed_source: d.typed.as_ref().and_then(|t| t.source.clone()),
        indicator: d.indicator.into(),
    }))
}

/// Which scorecard.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScorecardParams {
    /// `current` (today's map, default) or `reported` (the map of the time).
    #[param(schema_with = map_codes)]
    map: Option<String>,
    /// An administrative unit's code; none for the province.
    unit: Option<String>,
    /// The year (default: this year); the trend covers it and the nine before.
    #[param(minimum = 1945, maximum = 2100)]
    year: Option<i32>,
}

/// A target referred to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetRefEntry {
    /// The target's id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// The target value.
    pub value: f64,
    /// The year it is for.
    pub year: i64,
    /// The baseline value.
    pub baseline_value: Option<f64>,
    /// The baseline year.
    pub baseline_year: Option<i64>,
}

/// A line of the scorecard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorecardLine {
    /// The indicator.
    pub indicator: IndicatorEntry,
    /// Its depth in the tree.
    pub depth: i64,
    /// The year's figure.
    pub figure: FigureEntry,
    /// The trend: one figure per year, oldest first.
    pub trend: Vec<FigureEntry>,
    /// Its target (province only).
    pub target: Option<TargetRefEntry>,
    /// Where it stands.
    #[schema(schema_with = status_codes)]
    pub status: Option<String>,
    /// The page with the figure's sources.
    pub sources_link: String,
}

/// The scorecard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorecardEntry {
    /// The year.
    pub year: i32,
    /// The trend's first year.
    pub first_year: i32,
    /// `current` or `reported`.
    pub map: String,
    /// The unit; `null` for the province.
    pub unit: Option<String>,
    /// The rule of the status, in the caller's language.
    pub rule: String,
    /// The lines, in tree order.
    pub lines: Vec<ScorecardLine>,
}

/// The scorecard: every indicator's figure for the year, its target, a ten-year trend and its status.
#[utoipa::path(get, path = "/scorecard", tag = "indicators", operation_id = "get_scorecard", security(("bearer" = [])),
    params(ScorecardParams),
    responses(
        (status = 200, description = "The scorecard", body = ScorecardEntry),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not read the catalogue", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`map_unknown`, `year_out_of_range`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_scorecard(ctx: Ctx, ApiQuery(q): ApiQuery<ScorecardParams>) -> Result<Json<ScorecardEntry>, AppError> {
    ctx.auth.require_user()?;
    let map = map_of(q.map.as_deref())?;
    let request = ScorecardRequest { map, place: place_of(q.unit), year: q.year };
    let c = card::scorecard(ctx.state.app(), ctx.auth.session(), &request).await?;
    let unit = match &c.place {
        Place::Unit(u) => Some(u.clone()),
        Place::Province => None,
    };
    let lines = c
        .lines
        .iter()
        .map(|l| ScorecardLine {
            indicator: l.indicator.clone().into(),
            depth: i64::try_from(l.depth).unwrap_or_default(),
            figure: (&l.figure).into(),
            trend: l.trend.iter().map(Into::into).collect(),
            target: l.target.as_ref().map(|t| TargetRefEntry {
                id: t.id,
                plan_id: t.plan_id,
                value: t.target_value,
                year: t.target_year,
                baseline_value: t.baseline_value,
                baseline_year: t.baseline_year,
            }),
            status: l.status.map(|s| s.code().to_owned()),
            sources_link: format!(
                "/indicators/{}/sources?map={}&unit={}&year={}",
                l.indicator.id,
                map.code(),
                unit.clone().unwrap_or_default(),
                c.year
            ),
        })
        .collect();
    Ok(Json(ScorecardEntry {
        year: c.year,
        first_year: c.first_year,
        map: map.code().to_owned(),
        unit,
        rule: ctx.tr.t("scorecard-rule"),
        lines,
    }))
}
