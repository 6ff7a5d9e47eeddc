//! The geography pages: units by province on any date (old map / new map), a unit with its lineage, and
//! the address resolver. Public: the map is public data.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::directory::parse_date;
use tiendo_core::fmt;
use tiendo_core::geo::{AdminUnit, UnitLevel};
use tiendo_db::geo::{self, UnitFilter};

use super::views::{self as geo_views, ResolutionView, UnitView, level_name, resolution_view, succession_name};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::url_encode;
use crate::geo::api::units::{children_on, look_up, parse_filters};
use crate::layout::{Ctx, Layout, render};

/// The last day of the map before the 2025 reform.
pub const OLD_MAP_DAY: (i32, u32, u32) = (2025, 6, 30);

fn old_map_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(OLD_MAP_DAY.0, OLD_MAP_DAY.1, OLD_MAP_DAY.2).expect("a valid date")
}

/// The most units a filtered list shows.
const MAX_LISTED: usize = 500;

/// Query of `GET /units`.
#[derive(Debug, Default, Deserialize)]
pub struct UnitsQuery {
    province: Option<String>,
    as_of: Option<String>,
    map: Option<String>,
    q: Option<String>,
    level: Option<String>,
}

/// A group of units under a heading (a district of the old map), or without one.
#[derive(Debug)]
struct Group {
    heading: Option<UnitView>,
    count: String,
    units: Vec<UnitView>,
}

#[derive(Template)]
#[template(path = "geo/units.html")]
struct UnitsPage {
    layout: Layout,
    map_new_href: String,
    map_old_href: String,
    is_old_map: bool,
    provinces: Vec<UnitView>,
    province: String,
    as_of: String,
    as_of_error: String,
    q: String,
    level: String,
    levels: Vec<(&'static str, String)>,
    summary: String,
    notice: String,
    groups: Vec<Group>,
    flat: Vec<UnitView>,
    can_record_change: bool,
}

/// `GET /units`: the provinces on a day; with a province, its tree; with a text or a level, a filtered
/// list.
pub async fn list(ctx: Ctx, Query(query): Query<UnitsQuery>) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let now = ctx.state.app().today();
    let typed_date = query.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let parsed = typed_date.map(parse_date);
    let as_of = match (parsed.flatten(), query.map.as_deref()) {
        (Some(day), _) => day,
        (None, Some("old")) => old_map_day(),
        _ => now,
    };
    let as_of_error = if matches!(parsed, Some(None)) { tr.t("field-date_format") } else { String::new() };
    let q = query.q.clone().unwrap_or_default().trim().to_owned();
    let (level, province) = parse_filters(query.level.as_deref(), query.province.as_deref()).unwrap_or((None, None));
    let db = ctx.state.db();

    let provinces_on =
        geo::units_in_force(db, &UnitFilter { level: Some(UnitLevel::Province), ..UnitFilter::on(as_of) }).await?;
    let province_unit = province.as_ref().and_then(|p| provinces_on.iter().find(|u| &u.code == p)).cloned();
    let date_text = fmt::date(as_of);
    let mut notice = String::new();
    if let (Some(code), None) = (&province, &province_unit) {
        notice = tr.t_with("units-province-not-in-force", &[("code", code.as_str()), ("date", &date_text)]);
    }

    let mut groups = Vec::new();
    let mut flat = Vec::new();
    let summary;
    if !q.is_empty() || level.is_some() {
        let filter = UnitFilter {
            q: (!q.is_empty()).then(|| q.clone()),
            level,
            province: province_unit.as_ref().map(|p| p.code.clone()),
            limit: Some(MAX_LISTED as i64),
            ..UnitFilter::on(as_of)
        };
        let units = geo::units_in_force(db, &filter).await?;
        summary = tr.t_with("units-found", &[("count", &units.len().to_string()), ("date", &date_text)]);
        flat = units.iter().map(|u| UnitView::new(u, &tr, now)).collect();
    } else if let Some(province) = &province_unit {
        summary = tr.t_with("units-in-province", &[("name", &province.full_name()), ("date", &date_text)]);
        let tree = geo::tree(db, as_of, Some(&province.code)).await?;
        let children = tree.into_iter().next().map(|root| root.children).unwrap_or_default();
        let (districts, communes): (Vec<_>, Vec<_>) =
            children.into_iter().partition(|n| n.unit.level() == UnitLevel::District);
        if !communes.is_empty() {
            groups.push(Group {
                heading: None,
                count: tr.t_count("units-district-communes", "count", communes.len() as i64),
                units: communes.iter().map(|n| UnitView::new(&n.unit, &tr, now)).collect(),
            });
        }
        for district in districts {
            groups.push(Group {
                heading: Some(UnitView::new(&district.unit, &tr, now)),
                count: tr.t_count("units-district-communes", "count", district.children.len() as i64),
                units: district.children.iter().map(|n| UnitView::new(&n.unit, &tr, now)).collect(),
            });
        }
    } else {
        summary = tr.t_with("units-provinces-on", &[("count", &provinces_on.len().to_string()), ("date", &date_text)]);
        flat = provinces_on.iter().map(|u| UnitView::new(u, &tr, now)).collect();
    }

    let keep = |map: &str| {
        let mut href = format!("/units?map={map}");
        if let Some(p) = &province {
            href.push_str(&format!("&province={p}"));
        }
        if !q.is_empty() {
            href.push_str(&format!("&q={}", url_encode(&q)));
        }
        href
    };
    let page = UnitsPage {
        layout: ctx.layout("units-title"),
        map_new_href: keep("new"),
        map_old_href: keep("old"),
        is_old_map: as_of < old_map_day().succ_opt().expect("a valid date"),
        provinces: provinces_on.iter().map(|u| UnitView::new(u, &tr, now)).collect(),
        province: province_unit.map(|p| p.code.to_string()).unwrap_or_default(),
        as_of: typed_date.filter(|_| !as_of_error.is_empty()).map_or_else(|| date_text.clone(), str::to_owned),
        as_of_error,
        q,
        level: level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        levels: UnitLevel::ALL.iter().map(|l| (l.as_str(), level_name(*l, &tr))).collect(),
        summary,
        notice,
        groups,
        flat,
        can_record_change: authorize(&ctx.auth.actor, Action::Create, &Resource::AdminUnits).is_allowed(),
    };
    render(&page)
}

/// A succession on the unit page.
#[derive(Debug)]
struct LinkView {
    unit: UnitView,
    kind: String,
    date: String,
    is_default: bool,
}

#[derive(Template)]
#[template(path = "geo/unit.html")]
struct UnitPage {
    layout: Layout,
    code: String,
    unit: Option<UnitView>,
    parent: Option<UnitView>,
    not_in_force: String,
    versions_heading: String,
    versions: Vec<UnitView>,
    predecessors: Vec<LinkView>,
    successors: Vec<LinkView>,
    today_default: Option<UnitView>,
    today_others: Vec<UnitView>,
    today_note: String,
    origins_heading: String,
    origins: Vec<(UnitView, bool)>,
    children_heading: String,
    children: Vec<UnitView>,
    /// Changes recorded in the application (the built-in lists are not events).
    history: Vec<crate::history::HistoryItem>,
}

/// Query of `GET /units/{code}`.
#[derive(Debug, Default, Deserialize)]
pub struct UnitQuery {
    as_of: Option<String>,
}

/// `GET /units/{code}?as_of=`: the unit with this code in force on the day (or today, or its latest
/// version), with its parent, its lineage and the units under it. A day on which no unit had the code
/// gives a 404 page that lists the code's periods.
pub async fn show(ctx: Ctx, Path(code): Path<String>, Query(query): Query<UnitQuery>) -> Result<Response, AppError> {
    let tr = ctx.tr;
    let now = ctx.state.app().today();
    let as_of = query.as_of.as_deref().and_then(parse_date);
    let looked = look_up(&ctx.state, &code, as_of).await?;
    let versions: Vec<UnitView> = looked.versions.iter().map(|u| UnitView::new(u, &tr, now)).collect();
    let Some(unit) = looked.unit else {
        let day = fmt::date(as_of.unwrap_or(now));
        let history = crate::history::load(&ctx.state, &ctx.tr, "admin_unit", &code).await?;
        let page = UnitPage {
            layout: ctx.layout_titled(code.clone()),
            not_in_force: tr.t_with("unit-not-in-force", &[("code", &code), ("date", &day)]),
            versions_heading: tr.t_with("unit-versions", &[("code", &code)]),
            code,
            unit: None,
            parent: None,
            versions,
            predecessors: Vec::new(),
            successors: Vec::new(),
            today_default: None,
            today_others: Vec::new(),
            today_note: String::new(),
            origins_heading: String::new(),
            origins: Vec::new(),
            children_heading: String::new(),
            children: Vec::new(),
            history,
        };
        let html = page.render().map_err(AppError::internal)?;
        return Ok((StatusCode::NOT_FOUND, Html(html)).into_response());
    };
    let db = ctx.state.db();
    // The units under it on the day asked, or on a day it was in force.
    let day = as_of.filter(|d| unit.in_force_on(*d)).or_else(|| unit.in_force_on(now).then_some(now));
    let day = day.or_else(|| geo_views::day_in(&unit)).unwrap_or(now);
    let parent = match &unit.parent_code {
        Some(p) => geo::unit_on(db, p, day).await?,
        None => None,
    };
    let children = children_on(&ctx.state, &unit, day).await?;
    let link = |l: &geo::Link| LinkView {
        unit: UnitView::new(&l.unit, &tr, now),
        kind: succession_name(l.succession.kind, &tr),
        date: tr.t_with("succession-on", &[("date", &fmt::date(l.succession.effective))]),
        is_default: l.succession.is_default,
    };
    let predecessors = geo::predecessors(db, &unit).await?;
    let successors = geo::successors(db, &unit).await?;
    let current = geo::current_units(db, &unit, now).await?;
    let is_itself = current.default.as_ref() == Some(&unit);
    let origins_heading = match unit.valid_from {
        Some(from) => tr.t_with("unit-origins", &[("date", &fmt::date(from))]),
        None => String::new(),
    };
    let origins = match unit.valid_from.and_then(|f| f.pred_opt()) {
        Some(before) => geo::origins(db, &unit, before).await?,
        None => Vec::new(),
    };
    let page = UnitPage {
        layout: ctx.layout_named(unit.full_name()),
        versions_heading: tr.t_with("unit-versions", &[("code", &code)]),
        code,
        parent: parent.as_ref().map(|p| UnitView::new(p, &tr, now)),
        not_in_force: String::new(),
        versions: if looked.versions.len() > 1 { versions } else { Vec::new() },
        predecessors: predecessors.iter().map(link).collect(),
        successors: successors.iter().map(link).collect(),
        today_default: current.default.as_ref().filter(|_| !is_itself).map(|u| UnitView::new(u, &tr, now)),
        today_others: if is_itself {
            Vec::new()
        } else {
            current
                .all
                .iter()
                .filter(|u| Some(*u) != current.default.as_ref())
                .map(|u| UnitView::new(u, &tr, now))
                .collect()
        },
        today_note: if current.via_children { tr.t("unit-today-via-children") } else { String::new() },
        origins_heading,
        origins: origins.iter().map(|o| (UnitView::new(&o.unit, &tr, now), o.whole)).collect(),
        children_heading: tr.t_with("unit-children", &[("date", &fmt::date(day))]),
        children: children.iter().map(|u| UnitView::new(u, &tr, now)).collect(),
        history: crate::history::load(&ctx.state, &ctx.tr, "admin_unit", unit.code.as_str()).await?,
        unit: Some(UnitView::new(&unit, &tr, now)),
    };
    render(&page)
}

/// Query of `GET /address`.
#[derive(Debug, Default, Deserialize)]
pub struct AddressQuery {
    text: Option<String>,
    as_of: Option<String>,
}

#[derive(Template)]
#[template(path = "geo/address.html")]
struct AddressPage {
    layout: Layout,
    text: String,
    as_of: String,
    as_of_error: String,
    resolution: Option<ResolutionView>,
    choose: bool,
    chosen: String,
}

/// `GET /address?text=&as_of=`: resolves an address and shows the candidates.
pub async fn address(ctx: Ctx, Query(query): Query<AddressQuery>) -> Result<Response, AppError> {
    let text = query.text.unwrap_or_default();
    let typed = query.as_of.unwrap_or_default();
    let parsed = parse_date(&typed);
    let as_of_error =
        if !typed.trim().is_empty() && parsed.is_none() { ctx.tr.t("field-date_format") } else { String::new() };
    let today = ctx.state.app().today();
    let as_of = parsed.unwrap_or(today);
    let resolution = if text.trim().is_empty() {
        None
    } else {
        let (index, r) = tiendo_app::geo::resolve(ctx.state.app(), &text, as_of, None).await?;
        Some(resolution_view(&index, &r, as_of, &ctx.tr, today))
    };
    render(&AddressPage {
        layout: ctx.layout("address-title"),
        text,
        as_of: typed,
        as_of_error,
        resolution,
        choose: false,
        chosen: String::new(),
    })
}

/// The unit a form chose by its key, among the units of its code.
pub async fn chosen_unit(ctx: &Ctx, key: &str) -> Result<Option<AdminUnit>, AppError> {
    let Some((code, from)) = geo_views::parse_unit_key(key) else {
        return Ok(None);
    };
    Ok(geo::unit_versions(ctx.state.db(), &code).await?.into_iter().find(|u| u.valid_from == from))
}
