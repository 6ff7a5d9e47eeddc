//! `/api/v1/admin-units`: the administrative units of any date, one unit, and its lineage.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::geo::{AdminUnit, AdminUnitCode, UnitLevel};
use tiendo_db::geo::{self, Link, UnitFilter};
use utoipa::ToSchema;

use crate::api::ListPage;
use crate::api::extract::ApiQuery;
use crate::api::paging::{Paging, invalid};
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::state::AppState;

/// An administrative unit during one validity period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitOut {
    /// The code with its leading zeros: 2 digits for a province, 3 for a pre-2025 district, 5 for a
    /// commune-level unit. A code names a unit only together with a date.
    pub code: String,
    /// `province`, `district` (until 30/06/2025) or `commune`.
    pub level: String,
    /// `province`, `municipality`, `rural_district`, `urban_district`, `town`, `city`, `commune`, `ward`,
    /// `township` or `special_zone`.
    pub kind: String,
    /// The name without the kind ("Hoành Bồ").
    pub name: String,
    /// The name with the kind ("Phường Hoành Bồ").
    pub full_name: String,
    /// The code of the unit it belongs to (the district of a pre-2025 commune, else the province).
    pub parent_code: Option<String>,
    /// First day in force; `null` when in force since before the data set.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer in force (exclusive end); `null` while in force.
    pub valid_to: Option<NaiveDate>,
    /// The act that established it, when recorded.
    pub legal_basis: Option<String>,
}

impl From<&AdminUnit> for UnitOut {
    fn from(u: &AdminUnit) -> UnitOut {
        UnitOut {
            code: u.code.to_string(),
            level: u.level().as_str().to_owned(),
            kind: u.kind.as_str().to_owned(),
            name: u.name.clone(),
            full_name: u.full_name(),
            parent_code: u.parent_code.as_ref().map(ToString::to_string),
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            legal_basis: u.legal_basis.clone(),
        }
    }
}

/// Query of `GET /admin-units`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitListQuery {
    /// Text in the full name, ignoring case and diacritics ("hoanh bo"); digits also match the start of
    /// the code.
    pub q: Option<String>,
    /// `province`, `district` or `commune`.
    #[param(schema_with = level_filter)]
    pub level: Option<String>,
    /// Only the units of this province (its 2-digit code).
    #[param(pattern = "^([0-9]{2})?$")]
    pub province: Option<String>,
    /// Units in force on this day (default: today). `2025-06-30` gives the map before the 2025 reform.
    pub as_of: Option<NaiveDate>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// Parses the level and province filters; bad values are 400 `invalid_query`.
pub fn parse_filters(
    level: Option<&str>,
    province: Option<&str>,
) -> Result<(Option<UnitLevel>, Option<AdminUnitCode>), AppError> {
    let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(l.parse().map_err(|_| invalid(format!("level: {l:?} is not province, district or commune")))?),
    };
    let province = match province.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => match AdminUnitCode::parse(p) {
            Ok(code) if code.level() == UnitLevel::Province => Some(code),
            _ => return Err(invalid(format!("province: {p:?} is not a 2-digit province code"))),
        },
    };
    Ok((level, province))
}

/// The units in force on a day, filtered, in Vietnamese alphabetical order of their names.
#[utoipa::path(get, path = "/admin-units", tag = "geography", operation_id = "list_admin_units",
    params(UnitListQuery),
    responses(
        (status = 200, description = "Units in force on the day, in Vietnamese alphabetical order", body = ListPage<UnitOut>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_admin_units(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UnitListQuery>,
) -> Result<Json<ListPage<UnitOut>>, AppError> {
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let (level, province) = parse_filters(query.level.as_deref(), query.province.as_deref())?;
    let filter = UnitFilter {
        as_of: query.as_of.unwrap_or_else(|| state.app().today()),
        q: query.q,
        level,
        province,
        limit: Some(paging.limit),
    };
    let (units, total) = geo::units_in_force_page(state.db(), &filter, paging.offset).await?;
    Ok(Json(ListPage {
        next: paging.next(units.len(), total),
        items: units.iter().map(UnitOut::from).collect(),
        total,
    }))
}

/// A code looked up on a day.
#[derive(Debug, Clone)]
pub struct Looked {
    /// The unit in force on the day (or, without a day, the one in force today, else the latest).
    pub unit: Option<AdminUnit>,
    /// Every unit that had the code, oldest first (never empty).
    pub versions: Vec<AdminUnit>,
}

/// Looks a code up: unknown or malformed codes are 404 `unknown_admin_unit` naming the code. With `as_of`,
/// the unit in force that day (`unit` is `None` when none was); without, the one in force today or the
/// latest.
pub async fn look_up(state: &AppState, raw: &str, as_of: Option<NaiveDate>) -> Result<Looked, AppError> {
    let unknown = || AppError::NotFoundNamed { code: "unknown_admin_unit", value: raw.to_owned() };
    let code = AdminUnitCode::parse(raw).map_err(|_| unknown())?;
    let versions = geo::unit_versions(state.db(), &code).await?;
    if versions.is_empty() {
        return Err(unknown());
    }
    let unit = match as_of {
        Some(day) => versions.iter().find(|u| u.in_force_on(day)).cloned(),
        None => versions.iter().find(|u| u.in_force_on(state.app().today())).or(versions.last()).cloned(),
    };
    Ok(Looked { unit, versions })
}

/// Like [`look_up`], but a day on which no unit had the code is 404 `admin_unit_not_in_force`.
pub async fn unit_on(state: &AppState, raw: &str, as_of: Option<NaiveDate>) -> Result<Looked, AppError> {
    let looked = look_up(state, raw, as_of).await?;
    if looked.unit.is_none() {
        return Err(AppError::NotFoundNamed { code: "admin_unit_not_in_force", value: raw.to_owned() });
    }
    Ok(looked)
}

/// Query with a day.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// The day (default: today; for the lineage, the unit in force today or else the latest).
    pub as_of: Option<NaiveDate>,
}

/// A unit with its parent and the units under it, on one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUnitDetail {
    /// The unit.
    pub unit: UnitOut,
    /// The unit it belongs to, in force on the same day.
    pub parent: Option<UnitOut>,
    /// The units under it in force on the day, in Vietnamese order (districts or communes).
    pub children: Vec<UnitOut>,
}

/// The units directly under `unit` on `day`.
pub async fn children_on(state: &AppState, unit: &AdminUnit, day: NaiveDate) -> Result<Vec<AdminUnit>, AppError> {
    if unit.level() == UnitLevel::Commune {
        return Ok(Vec::new());
    }
    let province = match unit.level() {
        UnitLevel::Province => unit.code.clone(),
        _ => unit.parent_code.clone().unwrap_or_else(|| unit.code.clone()),
    };
    let tree = geo::tree(state.db(), day, Some(&province)).await?;
    fn find(nodes: Vec<geo::TreeNode>, code: &AdminUnitCode) -> Option<geo::TreeNode> {
        for node in nodes {
            if &node.unit.code == code {
                return Some(node);
            }
            if let Some(found) = find(node.children, code) {
                return Some(found);
            }
        }
        None
    }
    Ok(find(tree, &unit.code).map(|n| n.children.into_iter().map(|c| c.unit).collect()).unwrap_or_default())
}

/// The unit with this code in force on a day.
#[utoipa::path(get, path = "/admin-units/{code}", tag = "geography", operation_id = "get_admin_unit",
    params(("code" = String, Path, description = "The unit's code (`07030`)"), AsOfQuery),
    responses(
        (status = 200, description = "The unit in force on the day, its parent and the units under it", body = AdminUnitDetail),
        (status = 404, description = "`unknown_admin_unit`: no unit ever had this code; `admin_unit_not_in_force`: the code \
            exists but no unit with it was in force on the day (see its lineage for its periods)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn get_admin_unit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(query): ApiQuery<AsOfQuery>,
) -> Result<Json<AdminUnitDetail>, AppError> {
    let day = query.as_of.unwrap_or_else(|| state.app().today());
    let looked = unit_on(&state, &code, Some(day)).await?;
    let unit = looked.unit.expect("checked by unit_on");
    let parent = match &unit.parent_code {
        Some(p) => geo::unit_on(state.db(), p, day).await?,
        None => None,
    };
    let children = children_on(&state, &unit, day).await?;
    Ok(Json(AdminUnitDetail {
        unit: UnitOut::from(&unit),
        parent: parent.as_ref().map(UnitOut::from),
        children: children.iter().map(UnitOut::from).collect(),
    }))
}

/// A succession seen from one of its units.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkOut {
    /// The unit at the other end.
    pub unit: UnitOut,
    /// `merge`, `split`, `rename` or `kept`.
    pub kind: String,
    /// The day the change took effect.
    pub effective: NaiveDate,
    /// Whether the new unit takes the old unit's records by default.
    pub is_default: bool,
    /// The share of the old unit that went to the new one, when known.
    pub share: Option<f64>,
    /// The act that decided it, when recorded.
    pub legal_basis: Option<String>,
}

impl From<&Link> for LinkOut {
    fn from(l: &Link) -> LinkOut {
        LinkOut {
            unit: UnitOut::from(&l.unit),
            kind: l.succession.kind.as_str().to_owned(),
            effective: l.succession.effective,
            is_default: l.succession.is_default,
            share: l.succession.share,
            legal_basis: l.succession.legal_basis.clone(),
        }
    }
}

/// What an older unit is today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrentOut {
    /// The unit that takes its records by default (following default successors at splits); `null` for a
    /// district whose communes went to several units, or a unit not yet in force.
    pub default: Option<UnitOut>,
    /// Every unit in force today that received a part of it, in Vietnamese order.
    pub all: Vec<UnitOut>,
    /// True when followed through its communes (a district has no successor of its own).
    pub via_children: bool,
}

/// A unit that a later unit came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct OriginOut {
    /// The earlier unit.
    pub unit: UnitOut,
    /// Whether all of it went into the later unit.
    pub whole: bool,
}

/// A unit's place in history.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineageOut {
    /// The unit.
    pub unit: UnitOut,
    /// Every unit that had this code, oldest first (07030 was the old phường Hoành Bồ and is the new one).
    pub versions: Vec<UnitOut>,
    /// The units it came from directly, with the successions.
    pub predecessors: Vec<LinkOut>,
    /// The units it went to directly, with the successions.
    pub successors: Vec<LinkOut>,
    /// What it is today.
    pub today: CurrentOut,
    /// The units in force the day before it started that it came from (empty for a unit in force since
    /// before the data set).
    pub origins: Vec<OriginOut>,
}

/// Builds the lineage of a unit.
pub async fn lineage_of(state: &AppState, unit: &AdminUnit, versions: &[AdminUnit]) -> Result<LineageOut, AppError> {
    let db = state.db();
    let predecessors = geo::predecessors(db, unit).await?;
    let successors = geo::successors(db, unit).await?;
    let current = geo::current_units(db, unit, state.app().today()).await?;
    let origins = match unit.valid_from.and_then(|f| f.pred_opt()) {
        Some(day_before) => geo::origins(db, unit, day_before).await?,
        None => Vec::new(),
    };
    Ok(LineageOut {
        unit: UnitOut::from(unit),
        versions: versions.iter().map(UnitOut::from).collect(),
        predecessors: predecessors.iter().map(LinkOut::from).collect(),
        successors: successors.iter().map(LinkOut::from).collect(),
        today: CurrentOut {
            default: current.default.as_ref().map(UnitOut::from),
            all: current.all.iter().map(UnitOut::from).collect(),
            via_children: current.via_children,
        },
        origins: origins.iter().map(|o| OriginOut { unit: UnitOut::from(&o.unit), whole: o.whole }).collect(),
    })
}

/// A unit's lineage: the units it came from, the units it became, and what it is today.
#[utoipa::path(get, path = "/admin-units/{code}/lineage", tag = "geography", operation_id = "get_admin_unit_lineage",
    params(("code" = String, Path, description = "The unit's code (`07030`)"), AsOfQuery),
    responses(
        (status = 200, description = "The lineage of the unit with this code in force on the day (without a day: \
            in force today, else the latest)", body = LineageOut),
        (status = 404, description = "`unknown_admin_unit` or `admin_unit_not_in_force`", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn get_admin_unit_lineage(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(query): ApiQuery<AsOfQuery>,
) -> Result<Json<LineageOut>, AppError> {
    let looked = unit_on(&state, &code, query.as_of).await?;
    let unit = looked.unit.expect("checked by unit_on");
    Ok(Json(lineage_of(&state, &unit, &looked.versions).await?))
}

/// The schema of the `level` filter.
fn level_filter() -> utoipa::openapi::Object {
    crate::api::codes::filter("`province`, `district` or `commune`.", UnitLevel::ALL.map(UnitLevel::as_str))
}
