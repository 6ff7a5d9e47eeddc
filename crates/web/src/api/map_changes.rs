//! `POST /api/v1/admin-unit-changes`: an administrator records a later change of the map, validated by
//! `tiendo_core::geo::change` (no overlapping validity for one code; successions link units that end to
//! units that start on the same day). Every broken rule is a field error naming the code concerned.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::geo::{AdminUnitCode, ChangeError, MapChange, NewSuccession, NewUnit, PlannedChange, UnitKind};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::geo::GeoError;
use utoipa::ToSchema;

use super::extract::ApiJson;
use super::units::UnitOut;
use crate::auth::Auth;
use crate::error::{AppError, FieldError, Problem};
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

fn date(d: NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// The field a broken rule belongs to, with its code and arguments. Fields are named as in
/// [`MapChangeIn`] (`starting[2].parent_code`).
pub fn change_field_error(e: &ChangeError, change: &MapChange) -> FieldError {
    let ending = |code: &AdminUnitCode| {
        change.ending.iter().rposition(|c| c == code).map_or_else(|| "ending".to_owned(), |i| format!("ending[{i}]"))
    };
    let starting = |code: &AdminUnitCode, part: &str| {
        change
            .starting
            .iter()
            .rposition(|u| &u.code == code)
            .map_or_else(|| "starting".to_owned(), |i| format!("starting[{i}].{part}"))
    };
    let succession = |pred: &dyn Fn(&NewSuccession) -> bool, part: &str| {
        change
            .successions
            .iter()
            .rposition(pred)
            .map_or_else(|| "successions".to_owned(), |i| format!("successions[{i}].{part}"))
    };
    match e {
        ChangeError::Empty => FieldError::new("ending", "change_empty"),
        ChangeError::Duplicate { code } => {
            let field = if change.ending.iter().filter(|c| *c == code).count() > 1 {
                ending(code)
            } else {
                starting(code, "code")
            };
            FieldError::new(field, "duplicate_code").arg("code", code)
        }
        ChangeError::NotInForce { code, day } => {
            FieldError::new(ending(code), "not_in_force").arg("code", code).arg("day", date(*day))
        }
        ChangeError::AlreadyEnds { code, valid_to } => {
            FieldError::new(ending(code), "already_ends").arg("code", code).arg("day", date(*valid_to))
        }
        ChangeError::Overlap { code } => FieldError::new(starting(code, "code"), "overlap").arg("code", code),
        ChangeError::LevelMismatch { code, .. } => {
            FieldError::new(starting(code, "kind"), "level_mismatch").arg("code", code)
        }
        ChangeError::EmptyName { code } => FieldError::new(starting(code, "name"), "empty_name").arg("code", code),
        ChangeError::BadParent { code, .. } => {
            FieldError::new(starting(code, "parent_code"), "bad_parent").arg("code", code)
        }
        ChangeError::ChildLeftBehind { child, parent } => {
            FieldError::new(ending(parent), "child_left_behind").arg("code", parent).arg("child", child)
        }
        ChangeError::FromNotEnding { code } => {
            FieldError::new(succession(&|s| &s.from_code == code, "from_code"), "from_not_ending").arg("code", code)
        }
        ChangeError::ToNotStarting { code } => {
            FieldError::new(succession(&|s| &s.to_code == code, "to_code"), "to_not_starting").arg("code", code)
        }
        ChangeError::DuplicateSuccession { from, to } => FieldError::new(
            succession(&|s| &s.from_code == from && &s.to_code == to, "to_code"),
            "duplicate_succession",
        )
        .arg("code", from)
        .arg("to", to),
        ChangeError::DefaultCount { code, defaults } => {
            FieldError::new(succession(&|s| &s.from_code == code, "is_default"), "default_count")
                .arg("code", code)
                .arg("count", defaults)
        }
        ChangeError::NoSuccessor { code } => FieldError::new(ending(code), "no_successor").arg("code", code),
        ChangeError::NoPredecessor { code } => {
            FieldError::new(starting(code, "code"), "no_predecessor").arg("code", code)
        }
        ChangeError::BadShare { from, to } => {
            FieldError::new(succession(&|s| &s.from_code == from && &s.to_code == to, "share"), "bad_share")
                .arg("code", from)
                .arg("to", to)
        }
        ChangeError::DatesDoNotMeet { from, to, .. } => {
            FieldError::new(succession(&|s| &s.from_code == from && &s.to_code == to, "to_code"), "dates_do_not_meet")
                .arg("code", from)
                .arg("to", to)
        }
    }
}

/// Records a change after checking that the actor may: validation errors are field errors; the audit
/// event is appended in the same transaction; the address index is rebuilt on next use.
pub async fn record(ctx: &Ctx, auth: &Auth, change: &MapChange) -> Result<PlannedChange, AppError> {
    if !authorize(&auth.actor, Action::Create, &Resource::AdminUnits).is_allowed() {
        return Err(AppError::Forbidden);
    }
    let tx = ctx.state.db().begin().await?;
    let plan = match tiendo_db::geo::record_change_in(&tx, change).await {
        Ok(plan) => plan,
        Err(GeoError::Invalid(errors)) => {
            return Err(AppError::Validation(errors.iter().map(|e| change_field_error(e, change)).collect()));
        }
        Err(GeoError::Conflict) => return Err(AppError::Conflict { code: "map_change_conflict" }),
        Err(GeoError::Db(e)) => return Err(e.into()),
    };
    let codes = |units: &[tiendo_core::geo::AdminUnit]| units.iter().map(|u| u.code.to_string()).collect::<Vec<_>>();
    let summary = format!(
        "Ghi nhận thay đổi địa giới từ ngày {}: {} đơn vị kết thúc, {} đơn vị bắt đầu{}",
        date(plan.effective),
        plan.ending.len(),
        plan.starting.len(),
        change.legal_basis.as_deref().map(|b| format!(" (căn cứ {b})")).unwrap_or_default()
    );
    let event = NewEvent::new("record_change", "admin_unit_change", plan.effective, summary).with_changes(vec![
        Change::new("ending", None::<Vec<String>>, codes(&plan.ending)),
        Change::new("starting", None::<Vec<String>>, codes(&plan.starting)),
    ]);
    audit::append(&tx, &auth.who(), &event).await?;
    // And one event on each unit that ends or starts, for the history panel of its page.
    for (units, ends) in [(&plan.ending, true), (&plan.starting, false)] {
        for unit in units.iter() {
            let summary = if ends {
                format!("{} kết thúc hiệu lực từ ngày {}", unit.full_name(), date(plan.effective))
            } else {
                format!("{} bắt đầu hiệu lực từ ngày {}", unit.full_name(), date(plan.effective))
            };
            let field = if ends { "valid_to" } else { "valid_from" };
            let event = NewEvent::new("record_change", "admin_unit", &unit.code, summary).with_changes(vec![
                Change::new(field, None::<String>, Some(plan.effective.to_string())),
                Change::new("legal_basis", None::<String>, change.legal_basis.clone()),
            ]);
            audit::append(&tx, &auth.who(), &event).await?;
        }
    }
    tiendo_app::reporting::aggregates::queue_rebuild(&tx, plan.effective, ctx.state.app().today()).await?;
    tx.commit().await?;
    ctx.state.geo().invalidate().await;
    Ok(plan)
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
    let auth = ctx.auth.clone();
    let plan = record(&ctx, &auth, &change).await?;
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
