//! `POST /api/v1/admin-unit-changes`: an administrator records a later change of the map
//! (`tiendo_app::geo::map_changes::record`, validated by `tiendo_core::geo::change`: no overlapping
//! validity for one code; successions link units that end to units that start on the same day). Every
//! broken rule is a field error naming the code concerned.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::geo::{AdminUnitCode, MapChange, NewSuccession, NewUnit, UnitKind};
use utoipa::ToSchema;

use crate::api::extract::ApiJson;
use crate::error::{AppError, FieldError, Problem};
use crate::geo::api::units::UnitOut;
use crate::layout::Ctx;

/// A unit that starts with the change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewUnitIn {
    /// Its code (a code of a unit that ends the same day may be reused).
    pub code: String,
    /// Its kind: `province`, `municipality`, `commune`, `ward`, `special_zone` (or a pre-2025 kind).
    pub kind: String,
    /// Its name without the kind ("Hoành Bồ").
    pub name: String,
    /// The code of its parent, in force on the effective day or starting with the same change.
    pub parent_code: Option<String>,
}

/// How a unit that ends continues in a unit that starts.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewSuccessionIn {
    /// The code of a unit that ends with the change.
    pub from_code: String,
    /// The code of a unit that starts with the change.
    pub to_code: String,
    /// For a unit split between several successors: whether this one takes its records by default.
    #[serde(default)]
    pub is_default: bool,
    /// The share of the old unit that went to this successor, 0 to 1, when known.
    pub share: Option<f64>,
}

/// A change of the map.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MapChangeIn {
    /// The first day of the new map.
    pub effective: NaiveDate,
    /// The act that decided it ("NQ 30/2026/QH16").
    pub legal_basis: Option<String>,
    /// Codes of the units, in force the day before, that end.
    #[serde(default)]
    pub ending: Vec<String>,
    /// The units that start.
    #[serde(default)]
    pub starting: Vec<NewUnitIn>,
    /// How the ending units continue in the starting ones.
    #[serde(default)]
    pub successions: Vec<NewSuccessionIn>,
}

/// A succession as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessionOut {
    /// The code of the unit that ended.
    pub from_code: String,
    /// The code of the unit that started.
    pub to_code: String,
    /// `merge`, `split`, `rename` or `kept`, derived from the shape of the change.
    pub kind: String,
    /// Whether the new unit takes the old unit's records by default.
    pub is_default: bool,
    /// The share, when given.
    pub share: Option<f64>,
}

/// A change as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapChangeOut {
    /// The first day of the new map.
    pub effective: NaiveDate,
    /// The units that ended (as they were before the change).
    pub ended: Vec<UnitOut>,
    /// The units that started.
    pub started: Vec<UnitOut>,
    /// The successions.
    pub successions: Vec<SuccessionOut>,
}

/// Reads a kind as stored (`ward`) or as its Vietnamese prefix (`phường`, `đặc khu`; `thành phố` is the
/// centrally governed city for a 2-digit code and the provincial city otherwise).
pub fn parse_kind(raw: &str, code: Option<&AdminUnitCode>) -> Option<UnitKind> {
    let folded = tiendo_core::text::fold(raw.trim());
    if let Ok(kind) = folded.replace(' ', "_").parse::<UnitKind>() {
        return Some(kind);
    }
    if folded == "thanh pho" {
        return Some(match code.map(AdminUnitCode::level) {
            Some(tiendo_core::geo::UnitLevel::Province) => UnitKind::Municipality,
            _ => UnitKind::City,
        });
    }
    UnitKind::ALL.into_iter().find(|k| tiendo_core::text::fold(k.prefix()) == folded)
}

/// Turns the request into a change; malformed codes and kinds are field errors.
pub fn parse_change(input: &MapChangeIn) -> Result<MapChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut code = |field: String, raw: &str| match AdminUnitCode::parse(raw) {
        Ok(c) => Some(c),
        Err(_) => {
            errors.push(FieldError::new(field, "invalid_code").arg("code", raw));
            None
        }
    };
    let ending: Vec<AdminUnitCode> =
        input.ending.iter().enumerate().filter_map(|(i, raw)| code(format!("ending[{i}]"), raw)).collect();
    let mut starting = Vec::new();
    for (i, u) in input.starting.iter().enumerate() {
        let unit_code = code(format!("starting[{i}].code"), &u.code);
        let parent = match u.parent_code.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => code(format!("starting[{i}].parent_code"), p),
            None => None,
        };
        if let Some(unit_code) = unit_code {
            starting.push((i, unit_code, parent, u));
        }
    }
    let mut successions = Vec::new();
    for (i, s) in input.successions.iter().enumerate() {
        let from = code(format!("successions[{i}].from_code"), &s.from_code);
        let to = code(format!("successions[{i}].to_code"), &s.to_code);
        if let (Some(from_code), Some(to_code)) = (from, to) {
            successions.push(NewSuccession { from_code, to_code, is_default: s.is_default, share: s.share });
        }
    }
    let mut units = Vec::new();
    for (i, unit_code, parent_code, u) in starting {
        match parse_kind(&u.kind, Some(&unit_code)) {
            Some(kind) => units.push(NewUnit { code: unit_code, kind, name: u.name.clone(), parent_code }),
            None => errors.push(FieldError::new(format!("starting[{i}].kind"), "invalid_kind").arg("kind", &u.kind)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(MapChange {
        effective: input.effective,
        legal_basis: input.legal_basis.as_deref().map(tiendo_core::text::normalize_input).filter(|b| !b.is_empty()),
        ending,
        starting: units,
        successions,
    })
}

/// Records a later change of the map (administrators with a province-wide scope).
#[utoipa::path(post, path = "/admin-unit-changes", tag = "geography", operation_id = "create_admin_unit_change",
    request_body = MapChangeIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The change as recorded", body = MapChangeOut),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a province-wide administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another change of the same units was recorded meanwhile (`map_change_conflict`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The change breaks a rule of the history; each error names the field and the code \
            concerned (`not_in_force`, `overlap`, `bad_parent`, `default_count`, ...)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn create_admin_unit_change(ctx: Ctx, ApiJson(input): ApiJson<MapChangeIn>) -> Result<Response, AppError> {
    if !authorize(&ctx.auth.actor, Action::Create, &Resource::AdminUnits).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let change = parse_change(&input).map_err(AppError::Validation)?;
    let plan = tiendo_app::geo::map_changes::record(ctx.state.app(), ctx.auth.session(), &change).await?;
    let out = MapChangeOut {
        effective: plan.effective,
        ended: plan.ending.iter().map(UnitOut::from).collect(),
        started: plan.starting.iter().map(UnitOut::from).collect(),
        successions: plan
            .successions
            .iter()
            .map(|s| SuccessionOut {
                from_code: s.from_code.to_string(),
                to_code: s.to_code.to_string(),
                kind: s.kind.as_str().to_owned(),
                is_default: s.is_default,
                share: s.share,
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
