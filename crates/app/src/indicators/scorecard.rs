//! The leader's scorecard: the tree of indicators with, for a year, each one's figure, its target (the
//! plan target referring to it whose year is the nearest still to come, else the latest), the trend over
//! the ten years up to it, and the status against the target by the rule of
//! `tiendo_core::indicators::status`. For the province or one unit, on either map.

use tiendo_core::authz::Action;
use tiendo_core::indicators::{Standing, Status, tree};
use tiendo_db::indicators::{self as store, IndicatorRow, TargetRef};
use tiendo_db::reporting::aggregates::Map;

use super::compute::{self, Figure, Place, Request};
use super::require;
use crate::{App, Result, Session};

/// How many years the trend shows (the year asked and the nine before).
pub const TREND_YEARS: i32 = 10;

/// What the scorecard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardRequest {
    /// The map.
    pub map: Map,
    /// The province or one unit.
    pub place: Place,
    /// The year (this year when `None`).
    pub year: Option<i32>,
}

/// One line of the scorecard.
#[derive(Debug, Clone)]
pub struct Line {
    /// The indicator.
    pub indicator: IndicatorRow,
    /// Its depth in the tree (0 for a root).
    pub depth: usize,
    /// Its figures over the trend's years, oldest first.
    pub trend: Vec<Figure>,
    /// The figure of the year.
    pub figure: Figure,
    /// Its target.
    pub target: Option<TargetRef>,
    /// Where it stands against the target.
    pub status: Option<Status>,
}

/// The scorecard.
#[derive(Debug, Clone)]
pub struct Scorecard {
    /// The year shown.
    pub year: i32,
    /// The trend's first year.
    pub first_year: i32,
    /// The map.
    pub map: Map,
    /// The place.
    pub place: Place,
    /// The lines in tree order.
    pub lines: Vec<Line>,
    /// The units that may be chosen, (code, name), by name.
    pub units: Vec<(String, String)>,
}

/// The target of an indicator for a year: the nearest target year at or after it, else the latest.
pub fn target_for(targets: &[TargetRef], indicator_id: i64, year: i32) -> Option<TargetRef> {
    let mine: Vec<&TargetRef> = targets.iter().filter(|t| t.indicator_id == indicator_id).collect();
    mine.iter()
        .filter(|t| t.target_year >= i64::from(year))
        .min_by_key(|t| t.target_year)
        .or_else(|| mine.iter().max_by_key(|t| t.target_year))
        .map(|t| (*t).clone())
}

/// The status of a series against a target, by the stated rule.
pub fn status_of(indicator: &IndicatorRow, target: &TargetRef, trend: &[Figure]) -> Option<Status> {
    let series: Vec<(i32, f64)> = trend.iter().filter_map(|f| f.value.map(|v| (f.year, v))).collect();
    let standing = Standing {
        target: target.target_value,
        target_year: i32::try_from(target.target_year).unwrap_or_default(),
        baseline: match (target.baseline_year, target.baseline_value) {
            (Some(y), Some(v)) => Some((i32::try_from(y).unwrap_or_default(), v)),
            _ => None,
        },
        higher_is_better: indicator.direction == "higher",
    };
    standing.status(&series)
}

/// The scorecard, for those who may read the catalogue.
pub async fn scorecard(app: &App, session: &Session, request: &ScorecardRequest) -> Result<Scorecard> {
    require(session, Action::View)?;
    if request.year.is_some_and(|y| !tiendo_core::indicators::YEARS.contains(&y)) {
        return Err(crate::Error::invalid("year", "year_out_of_range"));
    }
    let year = request.year.unwrap_or_else(|| compute::this_year(app));
    let first_year = year - TREND_YEARS + 1;
    let rows = store::list(app.db()).await?;
    let order = tree::ordered(&rows, |r| r.id, |r| r.parent_id);
    let compute_request = Request { map: request.map, place: request.place.clone(), years: (first_year, year) };
    let mut figures = compute::figures(app, &rows, &compute_request).await?;
    let targets = if request.place == Place::Province { store::targets(app.db()).await? } else { Vec::new() };
    let lines = order
        .into_iter()
        .map(|(i, depth)| {
            let indicator = rows[i].clone();
            let trend = figures.remove(&indicator.id).unwrap_or_default();
            let figure = trend.last().cloned().unwrap_or(Figure {
                year,
                value: None,
                numerator: None,
                denominator: None,
                units: None,
                reason: None,
            });
            let target = target_for(&targets, indicator.id, year);
            let status = target.as_ref().and_then(|t| status_of(&indicator, t, &trend));
            Line { indicator, depth, trend, figure, target, status }
        })
        .collect();
    let province = compute::province(app, request.map).await?;
    let codes = store::units_with_reports(app.db(), request.map, &province).await?;
    let names = tiendo_db::reporting::aggregates::unit_names(app.db(), &codes, app.today()).await?;
    let mut units: Vec<(String, String)> = codes
        .into_iter()
        .map(|c| (names.get(&c).cloned().unwrap_or_else(|| c.clone()), c))
        .map(|(n, c)| (c, n))
        .collect();
    units.sort_by_key(|(_, name)| tiendo_core::text::sort_key(name));
    Ok(Scorecard { year, first_year, map: request.map, place: request.place.clone(), lines, units })
}
