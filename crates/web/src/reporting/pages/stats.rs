//! Completeness and timeliness of a report form's reports for a period (who has not submitted, who was
//! late), and the aggregates of approved reports: an indicator table for a province by year (or for one
//! period) on today's map or on the map of the time, a chart, and drill-down to the units and then to the
//! reports behind a number, each showing where it was reported and where it counts today.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;
use tiendo_app::i18n::Arg;
use tiendo_app::reporting::aggregates::{self as table_service, indicator_value, require_statistics, unit_label};
use tiendo_core::reporting::{Aggregation, Period};
use tiendo_db::reporting::OrgScope;
use tiendo_db::reporting::aggregates::{self, BehindQuery, CellQuery, CellRow, Level, Map};
use tiendo_db::reporting::forms::{self, IndicatorRow};
use tiendo_db::reporting::reports::{self, ReportFilter};
use tiendo_export::chart::{Chart, ChartKind, Series};

use super::entry::Choice;
use crate::error::AppError;
use crate::extract::Query;
use crate::forms::{FormErrors, url_encode};
use crate::layout::{Ctx, Layout};
use crate::reporting::{html, period_name, status_label};

/// `Forbidden` unless the actor sees the statistics of reports.
pub(crate) fn require(ctx: &Ctx) -> Result<(), AppError> {
    Ok(require_statistics(ctx.auth.session())?)
}

/// The filters of the completeness page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompletenessQuery {
    /// The template's code.
    #[serde(default)]
    pub template: String,
    /// The period's code.
    #[serde(default)]
    pub period: String,
}

/// An organisation's line on the completeness page.
#[derive(Debug, Clone)]
pub struct CompletenessRow {
    /// The organisation.
    pub org: String,
    /// Status label ("Chưa mở").
    pub status: String,
    /// Status code (`none` when not opened).
    pub status_code: &'static str,
    /// When it was submitted.
    pub submitted: String,
    /// Days late (submitted after the due day, or not sent and past it); 0 otherwise.
    pub days_late: i64,
    /// Sent (submitted or approved).
    pub sent: bool,
    /// The report, when opened.
    pub report_id: Option<i64>,
    /// Must report (else: reported without being asked, e.g. no longer a target).
    pub expected: bool,
}

#[derive(Template)]
#[template(path = "reporting/completeness.html")]
struct CompletenessPage {
    layout: Layout,
    templates: Vec<Choice>,
    periods: Vec<Choice>,
    query: CompletenessQuery,
    errors: FormErrors,
    due: String,
    rows: Vec<CompletenessRow>,
    expected: usize,
    sent: usize,
    on_time: usize,
    late: usize,
    missing: usize,
    completeness: String,
    timeliness: String,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "—".to_owned() } else { format!("{}%", (100.0 * part as f64 / whole as f64).round()) }
}

/// `GET /reports/completeness`: for a template and a period, who must report, who sent it and when, who
/// was late and who has not sent it, with completeness and timeliness rates.
pub async fn completeness(ctx: Ctx, Query(mut query): Query<CompletenessQuery>) -> Result<Response, AppError> {
    require(&ctx)?;
    let db = ctx.state.db();
    let today = ctx.state.app().today();
    let all = forms::list(db, true).await?;
    let choices: Vec<Choice> = all.iter().map(|t| Choice::data(&t.code, t.name.clone())).collect();
    let template = all.iter().find(|t| t.code == query.template.trim()).or(all.first()).cloned();
    let Some(template) = template else {
        let page = CompletenessPage {
            layout: ctx.layout("completeness-title"),
            templates: choices,
            periods: Vec::new(),
            query,
            errors: FormErrors::new(),
            due: String::new(),
            rows: Vec::new(),
            expected: 0,
            sent: 0,
            on_time: 0,
            late: 0,
            missing: 0,
            completeness: String::new(),
            timeliness: String::new(),
        };
        return html(&page, StatusCode::OK);
    };
    query.template = template.code.clone();
    let periodicity = template.periodicity();
    let mut recent = Period::ended(periodicity, today.year() - 10, today, 12);
    recent.reverse();
    let periods: Vec<Choice> = recent.iter().map(|p| Choice::new(p.code(), p.name(ctx.lang))).collect();
    let mut errors = FormErrors::new();
    let period = if query.period.trim().is_empty() {
        recent.first().copied()
    } else {
        match Period::for_report(periodicity, &query.period, today) {
            Ok(p) => Some(p),
            Err(problem) => {
                let e = crate::error::FieldError::new("period", problem.code()).arg("value", query.period.trim());
                errors = FormErrors::from_fields(&[e], &ctx.tr);
                None
            }
        }
    };
    let def = template.def()?;
    let mut rows = Vec::new();
    let mut due = String::new();
    if let Some(period) = period {
        query.period = period.code();
        let due_on = def.due_on(period);
        due = tiendo_core::fmt::date(due_on);
        let expected = forms::expected_orgs(db, &template.code, period.end()).await?;
        let filter = ReportFilter {
            template_code: Some(template.code.clone()),
            period_code: Some(period.code()),
            ..ReportFilter::readable(ctx.auth.session().scope(ctx.state.app()).await?)
        };
        let found = reports::list(db, &filter, 10_000).await?;
        let mut by_org: HashMap<i64, &reports::Report> = found.iter().map(|r| (r.org_id, r)).collect();
        let row = |org: String, r: Option<&reports::Report>, expected: bool| {
            let sent = r.is_some_and(|r| r.state().is_sent());
            let sent_on = r.and_then(|r| r.submitted_at).filter(|_| sent).map(crate::reporting::vietnam_day);
            let days_late = match sent_on {
                Some(day) => (day - due_on).num_days().max(0),
                None => (today - due_on).num_days().max(0),
            };
            CompletenessRow {
                org,
                status: r.map(|r| status_label(&ctx.tr, r.state())).unwrap_or_else(|| ctx.tr.t("report-status-none")),
                status_code: r.map_or("none", |r| r.state().code()),
                submitted: crate::reporting::show_instant(r.and_then(|r| r.submitted_at).filter(|_| sent)),
                days_late,
                sent,
                report_id: r.map(|r| r.id),
                expected,
            }
        };
        for org in &expected {
            rows.push(row(org.name.clone(), by_org.remove(&org.id), true));
        }
        let mut extra: Vec<&reports::Report> = by_org.into_values().collect();
        extra.sort_by_key(|r| (r.org_name.clone(), r.id));
        for r in extra {
            rows.push(row(r.org_name.clone(), Some(r), false));
        }
    }
    let expected_rows: Vec<&CompletenessRow> = rows.iter().filter(|r| r.expected).collect();
    let expected = expected_rows.len();
    let sent = expected_rows.iter().filter(|r| r.sent).count();
    let on_time = expected_rows.iter().filter(|r| r.sent && r.days_late == 0).count();
    let late = expected_rows.iter().filter(|r| r.sent && r.days_late > 0).count();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CompletenessPage {
        layout: ctx.layout("completeness-title"),
        templates: choices,
        periods,
        query,
        errors,
        due,
        expected,
        sent,
        on_time,
        late,
        missing: expected - sent,
        completeness: percent(sent, expected),
        timeliness: percent(on_time, expected),
        rows,
    };
    html(&page, status)
}

/// The filters of the aggregate pages, as in the address.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AggregateQuery {
    /// `current` (today's map, the default) or `reported` (the map of the time).
    #[serde(default)]
    pub map: String,
    /// The province's code.
    #[serde(default)]
    pub province: String,
    /// First year.
    #[serde(default)]
    pub from: String,
    /// Last year.
    #[serde(default)]
    pub to: String,
    /// One period instead of years (`2025Q3`).
    #[serde(default)]
    pub period: String,
    /// The indicator (of the chart, of a drill-down).
    #[serde(default)]
    pub indicator: String,
    /// The unit (reports behind one unit's number).
    #[serde(default)]
    pub unit: String,
}

impl AggregateQuery {
    fn map(&self) -> Map {
        Map::from_code(&self.map).unwrap_or(Map::Current)
    }

    /// The filters as a query string with some replaced, for links.
    fn link(&self, path: &str, replace: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("map", self.map().code().to_owned()),
            ("province", self.province.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("period", self.period.clone()),
            ("indicator", self.indicator.clone()),
            ("unit", self.unit.clone()),
        ];
        for (k, v) in replace {
            if let Some(p) = pairs.iter_mut().find(|(name, _)| name == k) {
                p.1 = (*v).to_owned();
            }
        }
        let query: Vec<String> = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect();
        format!("{path}?{}", query.join("&"))
    }
}

fn show_value(v: Option<f64>, indicator: &IndicatorRow, ctx: &Ctx) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => {
            let digits = if indicator.rule() == Aggregation::Sum && v.fract() == 0.0 { 0 } else { 2 };
            tiendo_core::fmt::decimal(v, digits, ctx.lang)
        }
    }
}

/// A cell of the indicator table.
#[derive(Debug, Clone)]
pub struct ValueCell {
    /// The value as read.
    pub text: String,
    /// The drill-down.
    pub href: String,
}

/// A row of the indicator table.
#[derive(Debug, Clone)]
pub struct IndicatorLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How it adds up.
    pub rule: String,
    /// One value per column.
    pub values: Vec<ValueCell>,
    /// Link that charts it.
    pub chart_href: String,
}

#[derive(Template)]
#[template(path = "reporting/aggregates.html")]
struct AggregatesPage {
    layout: Layout,
    query: AggregateQuery,
    provinces: Vec<Choice>,
    columns: Vec<String>,
    rows: Vec<IndicatorLine>,
    current_href: String,
    reported_href: String,
    xlsx_href: String,
    is_current: bool,
    chart_svg: String,
    chart_table: String,
    errors: FormErrors,
}

/// The columns of the table: the years asked for (the years with data by default), or one period.
pub(crate) fn columns(query: &AggregateQuery, years: &[i32]) -> Result<Vec<Period>, &'static str> {
    table_service::columns(&query.period, &query.from, &query.to, years)
}

/// `GET /reports/aggregates`: the indicators of a province by year (or for one period) on today's map or
/// on the map of the time, with a chart of one indicator; every number links to the units behind it.
pub async fn aggregates(ctx: Ctx, Query(mut query): Query<AggregateQuery>) -> Result<Response, AppError> {
    require(&ctx)?;
    let app = ctx.state.app();
    let db = ctx.state.db();
    let map = query.map();
    query.map = map.code().to_owned();
    let provinces = aggregates::provinces(db, map).await?;
    if query.province.trim().is_empty() {
        query.province = table_service::default_province(app, map).await?;
    }
    let names = aggregates::unit_names(db, &provinces, app.today()).await?;
    let province_choices: Vec<Choice> =
        provinces.iter().map(|p| Choice::data(p, names.get(p).cloned().unwrap_or_else(|| p.clone()))).collect();
    let cells = table_service::province_cells(app, map, &query.province).await?;
    let years = table_service::years_of(&cells);
    let mut errors = FormErrors::new();
    let cols = match columns(&query, &years) {
        Ok(c) => c,
        Err(code) => {
            let field = if code == "period_format" { "period" } else { "from" };
            errors.add(field, ctx.tr.t(&format!("field-{code}")));
            Vec::new()
        }
    };
    let table = table_service::table(app, &cells, &cols).await?;
    if query.indicator.trim().is_empty()
        && let Some(first) = table.first()
    {
        query.indicator = first.indicator.code.clone();
    }
    let rows: Vec<IndicatorLine> = table
        .iter()
        .map(|row| {
            let i = &row.indicator;
            IndicatorLine {
                code: i.code.clone(),
                name: i.name_in(ctx.lang).to_owned(),
                unit: unit_label(i),
                rule: ctx.tr.t(&format!("report-rule-{}", i.aggregation)),
                values: cols
                    .iter()
                    .zip(&row.values)
                    .map(|(p, v)| ValueCell {
                        text: show_value(*v, i, &ctx),
                        href: query.link("/reports/aggregates/units", &[("indicator", &i.code), ("period", &p.code())]),
                    })
                    .collect(),
                chart_href: query.link("/reports/aggregates", &[("indicator", &i.code)]),
            }
        })
        .collect();
    let (mut chart_svg, mut chart_table) = (String::new(), String::new());
    if let Some(row) = table.iter().find(|r| r.indicator.code == query.indicator)
        && row.values.iter().any(Option::is_some)
    {
        let i = &row.indicator;
        // Only the periods with a figure: a period nobody reported is not a zero. When periods are missing
        // in between, bars rather than a line, which would draw a trend through years without data.
        let present: Vec<(String, f64)> =
            cols.iter().zip(&row.values).filter_map(|(p, v)| v.map(|v| (p.name(ctx.lang), v))).collect();
        let gaps = present.len() < cols.len();
        let kind = if present.len() > 1 && !gaps { ChartKind::Line } else { ChartKind::Bar };
        let (categories, values): (Vec<String>, Vec<f64>) = present.into_iter().unzip();
        let mut chart = Chart::new(
            kind,
            i.name_in(ctx.lang).to_owned(),
            categories,
            vec![Series { name: i.name_in(ctx.lang).to_owned(), values }],
        );
        chart.unit = Some(unit_label(i)).filter(|u| !u.is_empty());
        chart.width = 560.0;
        crate::charts::describe_in_place(&ctx.tr, &mut chart);
        chart.height = 280.0;
        chart_svg = chart.to_svg()?;
        chart_table = chart.data_table_html();
    }
    let page = AggregatesPage {
        layout: ctx.layout("aggregates-title"),
        current_href: query.link("/reports/aggregates", &[("map", "current")]),
        reported_href: query.link("/reports/aggregates", &[("map", "reported")]),
        xlsx_href: query.link("/reports/aggregates.xlsx", &[]),
        is_current: map == Map::Current,
        provinces: province_choices,
        columns: cols.iter().map(|p| p.name(ctx.lang)).collect(),
        rows,
        chart_svg,
        chart_table,
        errors,
        query,
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    html(&page, status)
}

/// A unit's line in the drill-down.
#[derive(Debug, Clone)]
pub struct UnitLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The value.
    pub value: String,
    /// The reports behind it.
    pub href: String,
}

/// A report behind a number.
#[derive(Debug, Clone)]
pub struct BehindLine {
    /// The report.
    pub report_id: i64,
    /// The organisation.
    pub org: String,
    /// The period.
    pub period: String,
    /// The value it reported.
    pub value: String,
    /// The unit it reported from.
    pub unit: String,
    /// The unit it counts for today, with the share when partial, as HTML (the unit marked as data).
    pub counts_for: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

#[derive(Template)]
#[template(path = "reporting/drill.html")]
struct DrillPage {
    layout: Layout,
    indicator: String,
    unit_label: String,
    period: String,
    province: String,
    is_current: bool,
    total: String,
    units: Vec<UnitLine>,
    behind: Vec<BehindLine>,
    back_href: String,
    unit_name: String,
}

/// The period of a drill-down.
fn drill_period(query: &AggregateQuery) -> Result<Period, AppError> {
    Period::parse(&query.period)
        .map_err(|_| AppError::BadRequest { code: "invalid_query", detail: Some(query.period.clone()) })
}

/// `GET /reports/aggregates/units`: an indicator's number for a province and a period, unit by unit; with
/// `unit`, the approved reports behind that unit's number (without it, those behind the province's).
pub async fn units(ctx: Ctx, Query(query): Query<AggregateQuery>) -> Result<Response, AppError> {
    require(&ctx)?;
    let app = ctx.state.app();
    let db = ctx.state.db();
    let map = query.map();
    let period = drill_period(&query)?;
    let indicator = forms::indicator(db, &query.indicator).await?.ok_or(AppError::NotFound)?;
    let rules: HashMap<String, Aggregation> =
        forms::indicators(db).await?.into_iter().map(|i| (i.code.clone(), i.rule())).collect();
    let parts: Vec<String> = match indicator.rule() {
        Aggregation::Ratio { numerator, denominator } => vec![numerator, denominator],
        _ => vec![indicator.code.clone()],
    };
    let read = |level: Level| CellQuery {
        map,
        level,
        province_code: Some(query.province.clone()),
        unit_code: None,
        indicators: Some(parts.clone()),
        from: period.start(),
        to: period.end(),
    };
    let province_cells = aggregates::cells(db, &read(Level::Province)).await?;
    let unit_cells = aggregates::cells(db, &read(Level::Unit)).await?;
    let group = |cells: &[CellRow]| -> BTreeMap<String, Vec<CellRow>> {
        let mut out: BTreeMap<String, Vec<CellRow>> = BTreeMap::new();
        for c in cells {
            out.entry(c.unit_code.clone()).or_default().push(c.clone());
        }
        out
    };
    let value = |cells: &[CellRow]| {
        let mut by: HashMap<&str, Vec<&CellRow>> = HashMap::new();
        for c in cells {
            by.entry(c.indicator_code.as_str()).or_default().push(c);
        }
        indicator_value(&indicator, period, &by, &rules)
    };
    let day = if map == Map::Current { app.today() } else { period.end() };
    let by_unit = group(&unit_cells);
    let codes: Vec<String> = by_unit.keys().cloned().chain([query.province.clone()]).collect();
    let names = aggregates::unit_names(db, &codes, day).await?;
    let mut units: Vec<UnitLine> = by_unit
        .iter()
        .map(|(code, cells)| UnitLine {
            code: code.clone(),
            name: names.get(code).cloned().unwrap_or_else(|| code.clone()),
            value: show_value(value(cells), &indicator, &ctx),
            href: query.link("/reports/aggregates/units", &[("unit", code)]),
        })
        .collect();
    units.sort_by_cached_key(|u| tiendo_core::text::sort_key(&u.name));
    let scope = OrgScope::readable(ctx.auth.session().scope(app).await?);
    let unit = Some(query.unit.trim().to_owned()).filter(|u| !u.is_empty());
    let mut behind = Vec::new();
    for part in &parts {
        let found = aggregates::reports_behind(
            db,
            &BehindQuery {
                map,
                indicator: part.clone(),
                province_code: if unit.is_none() { Some(query.province.clone()) } else { None },
                unit_code: unit.clone(),
                from: period.start(),
                to: period.end(),
                scope: scope.clone(),
            },
        )
        .await?;
        let part_row = rules.get(part).map(|_| part.clone()).unwrap_or_default();
        let part_indicator = forms::indicator(db, &part_row).await?;
        for b in found {
            let reported = b.unit_name.clone().unwrap_or_default();
            let counts_for = match (&b.current_name, b.share) {
                (Some(name), Some(share)) if share < 0.999_999 => ctx.tr.t_marked(
                    "report-counts-for-share",
                    &[
                        ("unit", Arg::Data(name)),
                        ("share", Arg::Text(&tiendo_core::fmt::decimal(100.0 * share, 1, ctx.lang))),
                    ],
                ),
                (Some(name), _) if *name != reported => ctx.tr.t_data("report-counts-for", &[("unit", name)]),
                _ => String::new(),
            };
            behind.push(BehindLine {
                report_id: b.report_id,
                org: b.org_name.clone(),
                period: period_name(ctx.lang, &b.period_code),
                value: format!(
                    "{}{}",
                    part_indicator
                        .as_ref()
                        .map(|i| format!("{}: ", i.name_in(ctx.lang)))
                        .filter(|_| parts.len() > 1)
                        .unwrap_or_default(),
                    tiendo_core::fmt::decimal(b.number, 2, ctx.lang)
                ),
                unit: reported,
                counts_for,
                is_sample: b.is_sample,
            });
        }
    }
    let page = DrillPage {
        layout: ctx.layout_titled(format!("{} — {}", indicator.name_in(ctx.lang), period.name(ctx.lang))),
        indicator: indicator.name_in(ctx.lang).to_owned(),
        unit_label: unit_label(&indicator),
        period: period.name(ctx.lang),
        province: names.get(&query.province).cloned().unwrap_or_else(|| query.province.clone()),
        is_current: map == Map::Current,
        total: show_value(value(&group(&province_cells).into_values().flatten().collect::<Vec<_>>()), &indicator, &ctx),
        units,
        behind,
        back_href: query.link("/reports/aggregates", &[("period", ""), ("unit", "")]),
        unit_name: unit.as_ref().map(|u| names.get(u).cloned().unwrap_or_else(|| u.clone())).unwrap_or_default(),
    };
    html(&page, StatusCode::OK)
}
