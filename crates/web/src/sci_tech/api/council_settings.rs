//! `PUT /api/v1/councils/{id}/settings`: a council's rubric, aggregation rules, quorum and conflict horizon,
//! changed by the staff until the first sheet is sent (as the page `/councils/{id}/settings`).

use axum::Json;
use serde::Deserialize;
use tiendo_app::sci_tech::rubric;
use tiendo_core::sci_tech::rubric::{CriterionDraft, SettingsDraft};
use utoipa::ToSchema;

use super::councils::{CouncilOut, council_by_id};
use crate::api::extract::ApiJson;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A criterion of the rubric.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CriterionIn {
    /// Its code (kept from `settings.criteria`; a new criterion without one gets `c1`, `c2`, …).
    pub code: Option<String>,
    /// Its name, as the sheet prints it.
    pub name: String,
    /// The most points it takes (above 0).
    pub max: f64,
    /// Its weight in the total (default 1).
    pub weight: Option<f64>,
}

/// A council's settings.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SettingsIn {
    /// The rubric (at least one criterion).
    pub criteria: Vec<CriterionIn>,
    /// The average (on 100) a proposal needs, 0–100.
    pub pass_average: f64,
    /// A proposal fails when more than this share of the members gave 0 to one criterion (`1/3`).
    pub zero_limit: String,
    /// The share of members who must be present (`2/3`).
    pub quorum_present: String,
    /// Whether the chair or the vice-chair must be present.
    pub quorum_chair_or_vice: bool,
    /// How many years back members' organisations count against a proposal's (0–20).
    pub conflict_years: u32,
}

impl SettingsIn {
    /// The draft the use case checks (numbers as text, as the form types them: `7,5`).
    fn draft(&self) -> SettingsDraft {
        let num = |x: f64| tiendo_core::fmt::decimal(x, 6, tiendo_core::lang::Lang::Vi);
        SettingsDraft {
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionDraft {
                    code: c.code.clone().unwrap_or_default(),
                    name: c.name.clone(),
                    max: num(c.max),
                    weight: c.weight.map(num).unwrap_or_default(),
                })
                .collect(),
            pass_average: num(self.pass_average),
            zero_limit: self.zero_limit.clone(),
            quorum_present: self.quorum_present.clone(),
            quorum_chair_or_vice: self.quorum_chair_or_vice,
            conflict_years: self.conflict_years.to_string(),
        }
    }
}

/// Replaces a council's settings until its first sheet is sent.
#[utoipa::path(put, path = "/councils/{id}/settings", tag = "sci_tech", operation_id = "set_council_settings",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = SettingsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`settings_locked` (a sheet has been sent), `council_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings (`criteria[i].max` `positive_number`, `criteria` `criterion_required`, `pass_average` `pass_average_range`, `quorum_present` `share_format`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_council_settings(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SettingsIn>,
) -> Result<Json<CouncilOut>, AppError> {
    rubric::set_settings(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}
