//! `GET /api/v1/address/resolve`: free text → the administrative unit it names, what that unit is today,
//! the confidence and the ranked candidates.

use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::geo::address::{AddressIndex, NoMatch, Resolution};
use tiendo_core::geo::{AdminUnit, UnitId};
use utoipa::ToSchema;

use crate::api::extract::ApiQuery;
use crate::error::{AppError, Problem};
use crate::geo::api::units::{CurrentOut, UnitOut, parse_filters};
use crate::layout::Ctx;
use tiendo_app::i18n::Tr;

/// Query of `GET /address/resolve`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResolveQuery {
    /// The address as written ("thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh"), with or without
    /// diacritics, with the usual abbreviations (TP., TX., Q., H., P., X., TT.). At most 400 characters.
    #[serde(default)]
    pub text: String,
    /// The day the address was written for (default: today): units in force then are preferred.
    pub as_of: Option<NaiveDate>,
    /// The province assumed when the text names none (its 2-digit code).
    #[param(pattern = "^([0-9]{2})?$")]
    pub province: Option<String>,
}

/// A unit the address may name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateOut {
    /// The unit named (the lowest level found).
    pub unit: UnitOut,
    /// The unit and the units above it, up to its province.
    pub path: Vec<UnitOut>,
    /// The codes of the units the text names (the unit, and its district and province when written).
    pub matched: Vec<String>,
    /// Whether the unit was in force on `as_of`.
    pub in_force: bool,
    /// What the unit is today.
    pub today: CurrentOut,
    /// From 0 to 1: how sure the match is.
    pub confidence: f32,
    /// The part of the text below the unit ("thôn 3"), kept as the address detail.
    pub detail: String,
    /// Parts of the text after the unit that name nothing of it.
    pub unread: Vec<String>,
    /// A kind word contradicts the unit's kind ("xã" for a phường).
    pub kind_conflict: bool,
    /// The diacritics written contradict the unit's name.
    pub accent_conflict: bool,
}

/// The answer for an address. An address that matches nothing is not an error: `candidates` is empty and
/// `no_match` says why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResolutionOut {
    /// The text, as received.
    pub text: String,
    /// The day the address was resolved for.
    pub as_of: NaiveDate,
    /// Ranked candidates, best first.
    pub candidates: Vec<CandidateOut>,
    /// Why there is no candidate: `empty`, `too_long` or `no_known_name`.
    pub no_match: Option<String>,
    /// The same, as a sentence in the request's language.
    pub reason: Option<String>,
}

fn sorted(g: &tiendo_core::geo::Gazetteer, ids: &[UnitId]) -> Vec<UnitOut> {
    let mut units: Vec<&AdminUnit> = ids.iter().map(|id| g.unit(*id)).collect();
    units.sort_by_cached_key(|u| (tiendo_core::text::sort_key(&u.name), u.code.clone()));
    units.into_iter().map(UnitOut::from).collect()
}

/// The code of a reason (`no_known_name`).
pub fn no_match_code(reason: NoMatch) -> &'static str {
    match reason {
        NoMatch::Empty => "empty",
        NoMatch::TooLong => "too_long",
        NoMatch::NoKnownName => "no_known_name",
    }
}

/// Turns a resolution into its API form.
pub fn resolution_out(index: &AddressIndex, text: &str, as_of: NaiveDate, r: &Resolution, tr: &Tr) -> ResolutionOut {
    let g = index.gazetteer();
    let candidates = r
        .candidates
        .iter()
        .map(|c| {
            let path = std::iter::once(c.unit).chain(g.ancestors(c.unit)).map(|id| UnitOut::from(g.unit(id))).collect();
            CandidateOut {
                unit: UnitOut::from(g.unit(c.unit)),
                path,
                matched: c.matched.iter().map(|id| g.unit(*id).code.to_string()).collect(),
                in_force: c.in_force,
                today: CurrentOut {
                    default: c.current.default.map(|id| UnitOut::from(g.unit(id))),
                    all: sorted(g, &c.current.all),
                    via_children: c.current.via_children,
                },
                confidence: c.confidence,
                detail: c.detail.clone(),
                unread: c.unread.clone(),
                kind_conflict: c.kind_conflict,
                accent_conflict: c.accent_conflict,
            }
        })
        .collect();
    ResolutionOut {
        text: text.to_owned(),
        as_of,
        candidates,
        no_match: r.no_match.map(|m| no_match_code(m).to_owned()),
        reason: r.no_match.map(|m| tr.t(&format!("address-no-match-{}", no_match_code(m)))),
    }
}

/// Resolves a free-text address to administrative units.
#[utoipa::path(get, path = "/address/resolve", tag = "geography", operation_id = "resolve_address",
    params(ResolveQuery),
    responses(
        (status = 200, description = "The ranked candidates; none, with the reason, when nothing matched", body = ResolutionOut),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resolve_address(
    ctx: Ctx,
    ApiQuery(query): ApiQuery<ResolveQuery>,
) -> Result<Json<ResolutionOut>, AppError> {
    let (_, province) = parse_filters(None, query.province.as_deref())?;
    let as_of = query.as_of.unwrap_or_else(|| ctx.state.app().today());
    let (index, resolution) = tiendo_app::geo::resolve(ctx.state.app(), &query.text, as_of, province).await?;
    Ok(Json(resolution_out(&index, &query.text, as_of, &resolution, &ctx.tr)))
}
