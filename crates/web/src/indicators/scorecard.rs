//! `/scorecard`: the leader's scorecard (the tree of indicators with the year's figure, the target, a
//! ten-year trend drawn inline, the status and its rule; by unit and map), its exports, and
//! `/indicators/{id}/sources`: what is behind one figure, with the arithmetic.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use tiendo_app::indicators::drill::{self, Drill, record_link};
use tiendo_app::indicators::export;
use tiendo_app::indicators::scorecard::{self as card, ScorecardRequest};
use tiendo_app::monitoring::official_documents::Format;
use tiendo_core::indicators::Operand;

use super::{PlaceQuery, reason_text, show_number, sparkline};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::fields::Choice;
use crate::layout::{Ctx, Layout};
use crate::monitoring::pages::exports::download;
use crate::monitoring::pages::html;

fn request(query: &PlaceQuery) -> ScorecardRequest {
    ScorecardRequest { map: query.map(), place: query.place(), year: query.year() }
}

/// A line of the scorecard as shown.
#[derive(Debug, Clone)]
pub struct LineView {
    id: i64,
    depth: usize,
    code: String,
    name: String,
    unit: String,
    strategic: bool,
    value: String,
    reason: String,
    href: String,
    target: String,
    status: &'static str,
    status_label: String,
    chart: String,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "indicators/scorecard.html")]
struct ScorecardPage {
    layout: Layout,
    year: i32,
    value_header: String,
    hint: String,
    lines: Vec<LineView>,
    units: Vec<Choice>,
    unit: String,
    is_current: bool,
    query: String,
    current_href: String,
    reported_href: String,
}

/// `GET /scorecard`.
pub async fn show(ctx: Ctx, Query(query): Query<PlaceQuery>) -> Result<Response, AppError> {
    let card = card::scorecard(ctx.state.app(), ctx.auth.session(), &request(&query)).await?;
    let names = super::field_names(&ctx).await?;
    let year = card.year.to_string();
    let lines = card
        .lines
        .iter()
        .map(|l| {
            let name = match ctx.lang {
                tiendo_core::lang::Lang::En if !l.indicator.name_en.is_empty() => l.indicator.name_en.clone(),
                _ => l.indicator.name.clone(),
            };
            let label =
                ctx.tr.t_with("scorecard-trend-label", &[("from", &card.first_year.to_string()), ("to", &year)]);
            LineView {
                id: l.indicator.id,
                depth: l.depth.min(4),
                code: l.indicator.code.clone(),
                unit: l.indicator.unit.clone(),
                strategic: l.indicator.layer == "strategic",
                value: l.figure.value.map(|v| show_number(v, ctx.lang)).unwrap_or_default(),
                reason: l.figure.reason.as_ref().map(|r| reason_text(&ctx.tr, r, &names)).unwrap_or_default(),
                href: format!("/indicators/{}/sources?{}", l.indicator.id, query.with_year(card.year)),
                target: l.target.as_ref().map_or_else(String::new, |t| {
                    ctx.tr.t_with(
                        "scorecard-target-for",
                        &[("value", &show_number(t.target_value, ctx.lang)), ("year", &t.target_year.to_string())],
                    )
                }),
                status: l.status.map_or("none", |s| s.code()),
                status_label: ctx.tr.t(&format!("scorecard-status-{}", l.status.map_or("none", |s| s.code()))),
                chart: sparkline(&l.trend, l.target.as_ref().map(|t| t.target_value), &label),
                is_sample: l.indicator.is_sample,
                name,
            }
        })
        .collect();
    let units = card.units.iter().map(|(code, name)| Choice::data(code, name)).collect();
    let q = |map: &str| {
        format!("/scorecard?map={map}&unit={}&year={}", crate::forms::url_encode(query.unit.trim()), card.year)
    };
    let page = ScorecardPage {
        layout: ctx.layout("scorecard-title"),
        year: card.year,
        value_header: ctx.tr.t_with("scorecard-value", &[("year", &year)]),
        hint: ctx.tr.t_with("scorecard-hint", &[("year", &year)]),
        lines,
        units,
        unit: query.unit.trim().to_owned(),
        is_current: card.map == tiendo_db::reporting::aggregates::Map::Current,
        query: query.with_year(card.year),
        current_href: q("current"),
        reported_href: q("reported"),
    };
    html(&page, StatusCode::OK)
}

/// `GET /scorecard.xlsx`.
pub async fn xlsx(ctx: Ctx, Query(query): Query<PlaceQuery>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let bytes = export::workbook(app, ctx.auth.session(), &ctx.tr, &request(&query)).await?;
    let year = query.year().unwrap_or_else(|| tiendo_app::indicators::compute::this_year(app));
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("bang-chi-so-{year}.xlsx"),
    ))
}

async fn document(ctx: &Ctx, query: &PlaceQuery, format: Format) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let bytes = export::export_document(app, ctx.auth.session(), &request(query), format).await?;
    let year = query.year().unwrap_or_else(|| tiendo_app::indicators::compute::this_year(app));
    let content_type = match format {
        Format::Docx => crate::documents::Format::Docx.content_type(),
        Format::Pdf => crate::documents::Format::Pdf.content_type(),
    };
    Ok(download(bytes, content_type, &format!("bao-cao-chi-so-{year}.{}", format.extension())))
}

/// `GET /scorecard.docx`.
pub async fn docx(ctx: Ctx, Query(query): Query<PlaceQuery>) -> Result<Response, AppError> {
    document(&ctx, &query, Format::Docx).await
}

/// `GET /scorecard.pdf`.
pub async fn pdf(ctx: Ctx, Query(query): Query<PlaceQuery>) -> Result<Response, AppError> {
    document(&ctx, &query, Format::Pdf).await
}

/// A source line (a report value or a record) as shown.
#[derive(Debug, Clone)]
pub struct SourceView {
    href: String,
    title: String,
    org: String,
    unit: String,
    current: String,
    date: String,
    amount: String,
    approved: String,
    is_sample: bool,
}

/// A term of the formula as shown.
#[derive(Debug, Clone)]
pub struct TermView {
    part: String,
    name: String,
    label: String,
    coefficient: String,
    value: String,
    reports: bool,
    sources: Vec<SourceView>,
    more: String,
}

#[derive(Template)]
#[template(path = "indicators/sources.html")]
struct SourcesPage {
    layout: Layout,
    id: i64,
    heading: String,
    formula: String,
    value: String,
    reason: String,
    numerator: String,
    denominator: String,
    average: String,
    units: Vec<(String, String)>,
    terms: Vec<TermView>,
    typed: Option<(String, String, String)>,
    back: String,
}

fn term_views(ctx: &Ctx, drill: &Drill, names: &std::collections::HashMap<String, String>) -> Vec<TermView> {
    let n = |v: f64| show_number(v, ctx.lang);
    drill
        .terms
        .iter()
        .map(|t| {
            let (name, label) = match &t.term.operand {
                Operand::Const(c) => (n(*c), n(*c)),
                Operand::Field(code) => (names.get(code).cloned().unwrap_or_else(|| code.clone()), code.clone()),
                Operand::Source(s) => (ctx.tr.t(&format!("source-{}", s.code())), format!("@{}", s.code())),
            };
            let mut sources: Vec<SourceView> = t
                .reports
                .iter()
                .map(|r| SourceView {
                    href: tiendo_app::reporting::link(r.report_id),
                    title: format!("{} — {}", r.template_code, crate::reporting::period_name(ctx.lang, &r.period_code)),
                    org: r.org_name.clone(),
                    unit: r.unit_name.clone().unwrap_or_default(),
                    current: match (&r.current_name, r.share) {
                        (Some(name), Some(share)) if share < 1.0 => format!("{name} ({} %)", n(share * 100.0)),
                        (Some(name), _) => name.clone(),
                        _ => String::new(),
                    },
                    date: String::new(),
                    amount: n(r.number),
                    approved: match (&r.decided_by_name, r.decided_at) {
                        (Some(who), Some(at)) => format!("{who}, {}", tiendo_core::fmt::datetime(at)),
                        (None, Some(at)) => tiendo_core::fmt::datetime(at),
                        _ => String::new(),
                    },
                    is_sample: r.is_sample,
                })
                .collect();
            if let Operand::Source(source) = &t.term.operand {
                sources.extend(t.records.iter().map(|r| {
                    SourceView {
                        href: record_link(*source, r.id),
                        title: r.title.clone(),
                        org: r.org_name.clone().unwrap_or_default(),
                        unit: r.unit_code.clone(),
                        current: String::new(),
                        date: r
                            .due_on
                            .map(tiendo_core::fmt::date)
                            .or(r.at.map(tiendo_core::fmt::datetime))
                            .unwrap_or_default(),
                        amount: n(r.amount),
                        approved: String::new(),
                        is_sample: r.is_sample,
                    }
                }));
            }
            let shown = sources.len();
            TermView {
                part: ctx.tr.t(&format!("drill-{}-total", t.part)),
                name,
                label,
                coefficient: if (t.term.coefficient - 1.0).abs() < f64::EPSILON {
                    "+".to_owned()
                } else if (t.term.coefficient + 1.0).abs() < f64::EPSILON {
                    "−".to_owned()
                } else {
                    format!("× {}", n(t.term.coefficient))
                },
                value: t.value.map(n).unwrap_or_else(|| "—".into()),
                reports: !t.reports.is_empty(),
                more: if i64::try_from(shown).unwrap_or_default() < t.total {
                    ctx.tr.t_with("drill-more", &[("shown", &shown.to_string()), ("total", &t.total.to_string())])
                } else {
                    String::new()
                },
                sources,
            }
        })
        .collect()
}

/// `GET /indicators/{id}/sources?year=&map=&unit=`: the figure with its arithmetic and sources.
pub async fn sources(ctx: Ctx, Path(id): Path<i64>, Query(query): Query<PlaceQuery>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let year = query.year().unwrap_or_else(|| tiendo_app::indicators::compute::this_year(app));
    let drill = drill::drill(app, ctx.auth.session(), id, year, query.map(), query.place()).await?;
    let names = super::field_names(&ctx).await?;
    let n = |v: f64| show_number(v, ctx.lang);
    let name = match ctx.lang {
        tiendo_core::lang::Lang::En if !drill.indicator.name_en.is_empty() => drill.indicator.name_en.clone(),
        _ => drill.indicator.name.clone(),
    };
    let heading =
        ctx.tr.t_with("drill-heading", &[("name", &name), ("year", &year.to_string()), ("place", &drill.place_name)]);
    let f = &drill.figure;
    let average = match f.units {
        Some((count, all)) => {
            ctx.tr.t_with("drill-average", &[("count", &count.to_string()), ("all", &all.to_string())])
        }
        None => String::new(),
    };
    let units = drill
        .units
        .iter()
        .map(|u| {
            let v = match &u.figure {
                Ok(e) => n(e.value),
                Err(reason) => reason_text(&ctx.tr, &reason.clone().into(), &names),
            };
            (u.name.clone(), v)
        })
        .collect();
    let page = SourcesPage {
        layout: ctx.layout_named(heading.clone()),
        id,
        heading,
        formula: drill.formula.as_ref().map_or_else(String::new, |fo| {
            let den = fo.denominator.as_ref().map(|d| format!(" / ({d})")).unwrap_or_default();
            format!("{} × ({}){den}", n(fo.factor), fo.numerator)
        }),
        value: f.value.map(n).unwrap_or_default(),
        reason: f.reason.as_ref().map(|r| reason_text(&ctx.tr, r, &names)).unwrap_or_default(),
        numerator: if f.units.is_some() { String::new() } else { f.numerator.map(n).unwrap_or_default() },
        denominator: if f.units.is_some() { String::new() } else { f.denominator.map(n).unwrap_or_default() },
        average,
        units,
        terms: term_views(&ctx, &drill, &names),
        typed: drill.typed.as_ref().map(|t| {
            (
                n(t.value),
                t.source.clone().unwrap_or_default(),
                ctx.tr.t_with("drill-typed-by", &[("at", &tiendo_core::fmt::datetime(t.recorded_at))]),
            )
        }),
        back: format!("/scorecard?{}", query.with_year(year)),
    };
    html(&page, StatusCode::OK)
}
