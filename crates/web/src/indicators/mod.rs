//! Indicators on the web (issue 19): the catalogue and its form (`catalogue`), the leader's scorecard with
//! its exports and the sources behind every figure (`scorecard`), and the JSON API (`api`). Handlers
//! extract, call one `tiendo_app::indicators` function, and render.

pub mod api;
pub mod catalogue;
pub mod scorecard;

use std::collections::HashMap;

use serde::Deserialize;
use tiendo_app::Tr;
use tiendo_app::indicators::compute::{Figure, Place, Reason};
use tiendo_core::lang::Lang;
use tiendo_db::reporting::aggregates::Map;

use crate::auth::policy::{Policy, Routes};

/// The pages. Every handler checks the catalogue's permission through the application layer; the policy
/// here keeps anonymous visitors out.
pub fn routes() -> Routes {
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/indicators", catalogue::list, S)
        .get("/indicators/new", catalogue::new_form, S)
        .post("/indicators", catalogue::create, S)
        .get("/indicators/{id}", catalogue::show, S)
        .get("/indicators/{id}/edit", catalogue::edit_form, S)
        .post("/indicators/{id}/edit", catalogue::update, S)
        .post("/indicators/{id}/delete", catalogue::delete, S)
        .post("/indicators/{id}/figures", catalogue::record_figure, S)
        .get("/indicators/{id}/sources", scorecard::sources, S)
        .get("/scorecard", scorecard::show, S)
        .get("/scorecard.xlsx", scorecard::xlsx, S)
        .get("/scorecard.docx", scorecard::docx, S)
        .get("/scorecard.pdf", scorecard::pdf, S)
}

/// Where and on which map figures are asked for (`?map=current|reported&unit=<code>&year=<year>`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlaceQuery {
    /// `current` (default) or `reported`.
    #[serde(default)]
    pub map: String,
    /// A unit's code; empty for the province.
    #[serde(default)]
    pub unit: String,
    /// The year; empty for this year.
    #[serde(default)]
    pub year: String,
}

impl PlaceQuery {
    /// The map asked for (today's by default).
    pub fn map(&self) -> Map {
        Map::from_code(self.map.trim()).unwrap_or(Map::Current)
    }

    /// The place asked for.
    pub fn place(&self) -> Place {
        match self.unit.trim() {
            "" => Place::Province,
            code => Place::Unit(code.to_owned()),
        }
    }

    /// The year asked for, if it reads as one.
    pub fn year(&self) -> Option<i32> {
        self.year.trim().parse::<i32>().ok().filter(|y| tiendo_core::indicators::YEARS.contains(y))
    }

    /// The query string for these choices with `year` replaced.
    pub fn with_year(&self, year: i32) -> String {
        format!("map={}&unit={}&year={year}", self.map().code(), crate::forms::url_encode(self.unit.trim()))
    }
}

/// A figure as a page shows it.
pub fn show_number(v: f64, lang: Lang) -> String {
    tiendo_app::indicators::export::number(v, lang)
}

/// The sentence saying why a figure has no value, the report fields without a value named by their names
/// (`names`: code → name, from [`field_names`]).
pub fn reason_text(tr: &Tr, reason: &Reason, names: &HashMap<String, String>) -> String {
    let shown: Vec<String> =
        reason.names.iter().map(|code| names.get(code).cloned().unwrap_or_else(|| code.clone())).collect();
    tr.t_with(&format!("indicators-reason-{}", reason.code), &[("names", &shown.join(", "))])
}

/// The names of the report fields (report indicators) in the request's language, by code.
pub async fn field_names(ctx: &crate::layout::Ctx) -> Result<HashMap<String, String>, crate::error::AppError> {
    Ok(tiendo_db::reporting::forms::indicators(ctx.state.db())
        .await?
        .into_iter()
        .map(|i| {
            let name = i.name_in(ctx.lang).to_owned();
            (i.code, name)
        })
        .collect())
}

/// A small line chart of a trend, drawn as inline SVG (our own, no script): the years with a figure as
/// points joined by a line, a gap where a year has none, the target as a dashed line when given.
pub fn sparkline(figures: &[Figure], target: Option<f64>, label: &str) -> String {
    const W: f64 = 120.0;
    const H: f64 = 32.0;
    const PAD: f64 = 3.0;
    let values: Vec<f64> = figures.iter().filter_map(|f| f.value).chain(target).collect();
    if figures.iter().all(|f| f.value.is_none()) {
        return String::new();
    }
    let (lo, hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if (hi - lo).abs() < f64::EPSILON { 1.0 } else { hi - lo };
    let n = figures.len().max(2) - 1;
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / n as f64;
    let y = |v: f64| H - PAD - (H - 2.0 * PAD) * (v - lo) / span;
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut dots = String::new();
    for (i, f) in figures.iter().enumerate() {
        match f.value {
            Some(v) => {
                current.push_str(&format!("{}{:.1},{:.1} ", if current.is_empty() { "M" } else { "L" }, x(i), y(v)));
                if i + 1 == figures.len() {
                    dots.push_str(&format!("<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>", x(i), y(v)));
                }
            }
            None if !current.is_empty() => paths.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    let single: String = figures
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            f.value.is_some()
                && figures.get(i.wrapping_sub(1)).is_none_or(|p| p.value.is_none())
                && figures.get(i + 1).is_none_or(|p| p.value.is_none())
                && i + 1 != figures.len()
        })
        .map(|(i, f)| format!("<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.5\"/>", x(i), y(f.value.unwrap_or_default())))
        .collect();
    let target_line = target.map_or_else(String::new, |t| {
        format!(
            "<line class=\"spark-target\" x1=\"{PAD}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke-dasharray=\"3 2\"/>",
            W - PAD,
            y(t),
            y(t)
        )
    });
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    format!(
        "<svg class=\"sparkline\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" \
         aria-label=\"{label}\">{target_line}<path d=\"{}\" fill=\"none\"/>{dots}{single}</svg>",
        paths.join(" ").trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(year: i32, value: Option<f64>) -> Figure {
        Figure { year, value, numerator: None, denominator: None, units: None, reason: None }
    }

    #[test]
    fn a_sparkline_breaks_where_a_year_has_no_figure() {
        let svg = sparkline(&[f(2020, Some(1.0)), f(2021, None), f(2022, Some(2.0)), f(2023, Some(3.0))], None, "x");
        assert!(svg.starts_with("<svg class=\"sparkline\""));
        assert_eq!(svg.matches('M').count(), 2, "two runs: {svg}");
        assert!(sparkline(&[f(2020, None)], Some(3.0), "x").is_empty(), "nothing to draw");
        assert!(sparkline(&[f(2020, Some(1.0)), f(2021, Some(1.0))], Some(2.0), "x").contains("spark-target"));
    }
}
