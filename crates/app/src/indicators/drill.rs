//! Behind a figure: the arithmetic (each term with its value, the numerator, the denominator, the factor,
//! or each unit's figure for an average) and the sources of each term: the approved report values with
//! their units and approvals, the S&T proposals and tasks, the directives, the reports due, or the typed
//! figure with who typed it. Sources are listed as the reader may see them.

use chrono::NaiveDate;
use tiendo_core::authz::Action;
use tiendo_core::indicators::formula::{Evaluated, NoValue};
use tiendo_core::indicators::{Definition, Formula, Operand, Source, Term};
use tiendo_db::indicators::sources::{self, RecordRow, SourceQuery};
use tiendo_db::indicators::{self as store, FigureRow, IndicatorRow};
use tiendo_db::reporting::OrgScope;
use tiendo_db::reporting::aggregates::{self, BehindQuery, Map, ReportBehind};

use super::compute::{self, Figure, Place, Request};
use super::{definition, require};
use crate::{App, Error, Result, Session};

/// How many records a term lists at most (the count of all is given).
pub const LIMIT: i64 = 200;

/// A term of the formula with its value and sources.
#[derive(Debug, Clone)]
pub struct TermRow {
    /// `numerator` or `denominator`.
    pub part: &'static str,
    /// The term.
    pub term: Term,
    /// Its value for the place and year (`None`: no approved value).
    pub value: Option<f64>,
    /// The report values behind a field.
    pub reports: Vec<ReportBehind>,
    /// The records behind a source.
    pub records: Vec<RecordRow>,
    /// How many records in all (more than listed when above [`LIMIT`]).
    pub total: i64,
}

/// A unit's figure in an average over units.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// The unit's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its figure or why it has none.
    pub figure: std::result::Result<Evaluated, NoValue>,
}

/// A figure with everything behind it.
#[derive(Debug, Clone)]
pub struct Drill {
    /// The indicator.
    pub indicator: IndicatorRow,
    /// The figure.
    pub figure: Figure,
    /// The map.
    pub map: Map,
    /// The place.
    pub place: Place,
    /// The place's name (the province's or the unit's).
    pub place_name: String,
    /// The formula, when computed.
    pub formula: Option<Formula>,
    /// Its terms.
    pub terms: Vec<TermRow>,
    /// Each unit's figure, for an average over units.
    pub units: Vec<UnitRow>,
    /// The typed figure, for a typed indicator.
    pub typed: Option<FigureRow>,
}

/// What is behind one figure of an indicator, for those who may read the catalogue.
pub async fn drill(app: &App, session: &Session, id: i64, year: i32, map: Map, place: Place) -> Result<Drill> {
    require(session, Action::View)?;
    if !tiendo_core::indicators::YEARS.contains(&year) {
        return Err(Error::invalid("year", "year_out_of_range"));
    }
    let db = app.db();
    let indicator = store::get(db, id).await?.ok_or(Error::NotFound)?;
    let request = Request { map, place: place.clone(), years: (year, year) };
    let rows = [indicator.clone()];
    let inputs = compute::inputs(app, &rows, &request).await?;
    let figure = compute::figure(&indicator, &request, &inputs, year);
    let province = compute::province(app, map).await?;
    let place_name = {
        let code = match &place {
            Place::Province => province.clone(),
            Place::Unit(u) => u.clone(),
        };
        aggregates::unit_names(db, std::slice::from_ref(&code), app.today()).await?.remove(&code).unwrap_or(code)
    };
    let scope = OrgScope::readable(session.scope(app).await?);
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let mut drill = Drill {
        indicator: indicator.clone(),
        figure,
        map,
        place: place.clone(),
        place_name,
        formula: None,
        terms: Vec::new(),
        units: Vec::new(),
        typed: None,
    };
    match definition(&indicator) {
        None => {}
        Some(Definition::Typed) => {
            let years = (i64::from(year), i64::from(year));
            drill.typed = store::figures(db, &[id], place.code(), years).await?.into_iter().next();
        }
        Some(Definition::Formula(formula)) => {
            let averaged = place == Place::Province && indicator.over_units == "average";
            if averaged {
                let per_unit = compute::unit_figures(&formula, &inputs, year);
                let codes: Vec<String> = per_unit.iter().map(|(c, _)| (*c).to_owned()).collect();
                let names = aggregates::unit_names(db, &codes, app.today()).await?;
                drill.units = per_unit
                    .into_iter()
                    .map(|(code, figure)| UnitRow {
                        code: code.to_owned(),
                        name: names.get(code).cloned().unwrap_or_else(|| code.to_owned()),
                        figure,
                    })
                    .collect();
            }
            let parts = [("numerator", Some(&formula.numerator)), ("denominator", formula.denominator.as_ref())];
            for (part, expr) in parts {
                for term in expr.map(|e| e.terms.clone()).unwrap_or_default() {
                    let value = if averaged { None } else { compute::operand_value(&inputs, &term.operand, "", year) };
                    let mut row =
                        TermRow { part, term: term.clone(), value, reports: Vec::new(), records: Vec::new(), total: 0 };
                    match &term.operand {
                        Operand::Const(_) => {}
                        Operand::Field(code) => {
                            let query = BehindQuery {
                                map,
                                indicator: code.clone(),
                                province_code: matches!(place, Place::Province).then(|| province.clone()),
                                unit_code: match &place {
                                    Place::Unit(u) => Some(u.clone()),
                                    Place::Province => None,
                                },
                                from,
                                to,
                                scope: scope.clone(),
                            };
                            row.reports = aggregates::reports_behind(db, &query).await?;
                            row.total = i64::try_from(row.reports.len()).unwrap_or_default();
                        }
                        Operand::Source(source) => {
                            let (records, total) = records(app, *source, map, &place, year, &scope).await?;
                            row.records = records;
                            row.total = total;
                        }
                    }
                    drill.terms.push(row);
                }
            }
            drill.formula = Some(formula);
        }
    }
    Ok(drill)
}

async fn records(
    app: &App,
    source: Source,
    map: Map,
    place: &Place,
    year: i32,
    scope: &OrgScope,
) -> Result<(Vec<RecordRow>, i64)> {
    let q = SourceQuery {
        source,
        map,
        unit: match place {
            Place::Unit(u) => Some(u.clone()),
            Place::Province => None,
        },
        by_unit: false,
        years: (year, year),
        today: app.today(),
    };
    Ok(sources::records(app.db(), &q, scope, LIMIT).await?)
}

/// The page a record of a source opens.
pub fn record_link(source: Source, id: i64) -> String {
    match source.module() {
        "sci_tech" => format!("/proposals/{id}"),
        "monitoring" => format!("/assignments/{id}"),
        "certificates" => format!("/certificates/{id}"),
        _ => crate::reporting::link(id),
    }
}
