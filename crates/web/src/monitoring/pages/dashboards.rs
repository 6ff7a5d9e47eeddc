//! Dashboards: the leader's overview, per plan, per organisation, per locality on the old or the new map,
//! and the overdue list. Every number links to the assignments behind it. The figures come from
//! `tiendo_app::monitoring::dashboards`; this module formats them.

use askama::Template;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_app::monitoring::dashboards;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{AssignmentRow, PageRequest};
use tiendo_db::monitoring::updates::Update;
use tiendo_export::chart::{Chart, ChartKind, Series};

use crate::error::AppError;
use crate::forms::fields::{Pager, page_number, pager};
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::status::{self, StatusView};

use crate::extract::{Path, Query};
pub use tiendo_app::monitoring::dashboards::{assignment_progress, summarize};
pub use tiendo_core::monitoring::Summary;

/// A count with its link, for the status table.
#[derive(Debug, Clone)]
pub struct CountView {
    /// The state's code (CSS class suffix).
    pub code: &'static str,
    /// Its label.
    pub label: String,
    /// How many.
    pub count: i64,
    /// Where the assignments behind the number are listed.
    pub href: String,
}

/// The status table and donut of a summary, with links that add `status=` to `base_query`.
pub async fn status_figures(
    ctx: &Ctx,
    summary: &Summary,
    base_query: &str,
) -> Result<(Vec<CountView>, String, String), AppError> {
    let colors = status::colors(&ctx.state).await?;
    let kinds: Vec<StatusKind> = StatusKind::ALL.into_iter().filter(|k| *k != StatusKind::Cancelled).collect();
    let counts: Vec<CountView> = kinds
        .iter()
        .map(|k| CountView {
            code: k.code(),
            label: status::label(&ctx.tr, *k),
            count: summary.count(*k),
            href: format!("/assignments?{base_query}&status={}", k.code()),
        })
        .collect();
    let (svg, table) = if summary.total > 0 {
        let mut chart = Chart::new(
            ChartKind::Donut,
            ctx.tr.t("dashboard-chart-status"),
            counts.iter().map(|c| c.label.clone()).collect(),
            vec![Series {
                name: ctx.tr.t("dashboard-assignments"),
                values: counts.iter().map(|c| c.count as f64).collect(),
            }],
        );
        chart.width = 520.0;
        crate::charts::describe_in_place(&ctx.tr, &mut chart);
        chart.height = 260.0;
        chart.colors = kinds
            .iter()
            .map(|k| {
                colors
                    .iter()
                    .find(|(c, _)| c == k)
                    .map_or(tiendo_export::chart::Color(0, 0, 0), |(_, hex)| status::chart_color(hex))
            })
            .collect();
        (chart.to_svg()?, chart.data_table_html())
    } else {
        (String::new(), String::new())
    };
    Ok((counts, svg, table))
}

/// An assignment as a row of a table.
#[derive(Debug, Clone)]
pub struct AssignmentLine {
    /// Id.
    pub id: i64,
    /// Task code and title.
    pub task: String,
    /// The plan's title.
    pub plan: String,
    /// The lead organisation.
    pub lead: String,
    /// The lead's id.
    pub lead_id: i64,
    /// The status.
    pub status: StatusView,
    /// Progress, 0–100.
    pub percent: i64,
    /// Days overdue (for sorting), 0 otherwise.
    pub days_overdue: i64,
    /// Sample data.
    pub is_sample: bool,
}

/// Formats assignments with their derived status.
pub fn lines(ctx: &Ctx, rows: &[AssignmentRow], today: NaiveDate) -> Vec<AssignmentLine> {
    rows.iter()
        .map(|r| {
            let s = derive_status(&r.facts(), today);
            AssignmentLine {
                id: r.id,
                task: format!("{}. {}", r.task_code, r.task_title),
                plan: r.plan_title.clone(),
                lead: r.lead_name.clone(),
                lead_id: r.lead_org_id,
                percent: assignment_progress(r, &s) as i64,
                days_overdue: if s.kind == StatusKind::Overdue { s.days_late.unwrap_or(0) } else { 0 },
                status: status::view(&ctx.tr, &s),
                is_sample: r.is_sample,
            }
        })
        .collect()
}

/// A plan's line on the overview.
#[derive(Debug, Clone)]
pub struct PlanLine {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The document's symbol.
    pub symbol: String,
    /// Depth in the tree.
    pub depth: usize,
    /// Its summary (with sub-plans).
    pub summary: Summary,
    /// Progress rounded.
    pub progress: i64,
}

#[derive(Template)]
#[template(path = "monitoring/dashboard.html")]
struct OverviewPage {
    layout: Layout,
    summary: Summary,
    progress: i64,
    counts: Vec<CountView>,
    chart_svg: String,
    chart_table: String,
    plans: Vec<PlanLine>,
    overdue: Vec<AssignmentLine>,
    leads: Vec<(i64, String, i64, i64)>,
    recent: Vec<RecentView>,
    today: String,
    decisions: Option<Decisions>,
}

/// What waits for the leader's decision, at the top of their dashboard (`tiendo_app::work`).
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// Escalated directives still open.
    pub escalated: Vec<crate::work::pages::EscalationLine>,
    /// Periodic reports the leader may approve.
    pub reports: i64,
    /// Progress updates waiting for review.
    pub updates: i64,
    /// Articles waiting for publication.
    pub articles: i64,
    /// S&T enterprise applications nearly due or overdue on the statutory clock: (id, enterprise, the
    /// days left as words, `overdue` or `near`).
    pub certificates: Vec<(i64, String, String, String)>,
    /// Certificates in force whose latest yearly report found the conditions no longer held: (id, the
    /// enterprise, the certificate and the year in words).
    pub lapsed: Vec<(i64, String, String)>,
}

impl Decisions {
    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.escalated.is_empty()
            && self.reports == 0
            && self.updates == 0
            && self.articles == 0
            && self.certificates.is_empty()
            && self.lapsed.is_empty()
    }
}

/// What waits for a leader's decision; `None` for someone who leads nothing.
async fn decisions(ctx: &Ctx) -> Result<Option<Decisions>, AppError> {
    if !ctx.auth.actor.has_role(tiendo_core::authz::Role::DepartmentLeader) {
        return Ok(None);
    }
    let to_do = tiendo_app::work::to_do(ctx.state.app(), ctx.auth.session()).await?;
    Ok(Some(Decisions {
        escalated: crate::work::pages::escalation_lines(to_do.escalated.as_deref().unwrap_or_default()),
        reports: to_do.reports_to_approve.unwrap_or(0),
        updates: to_do.updates_to_review.map_or(0, |c| c.total),
        articles: to_do.articles_in_review.unwrap_or(0),
        certificates: tiendo_app::certificates::work::at_risk(ctx.state.app(), ctx.auth.session())
            .await?
            .iter()
            .map(|l| {
                let (text, class) = crate::certificates::pages::views::clock(&ctx.tr, &l.clock);
                (l.application.id, l.application.enterprise_name.clone(), text, class.to_owned())
            })
            .collect(),
        lapsed: tiendo_app::certificates::work::lapsed(ctx.state.app(), ctx.auth.session())
            .await?
            .into_iter()
            .map(|c| {
                let line = ctx
                    .tr
                    .t_with("cert-dashboard-lapsed-line", &[("number", &c.number), ("year", &c.year.to_string())]);
                (c.id, c.enterprise_name, line)
            })
            .collect(),
    }))
}

/// An update in the timeline.
#[derive(Debug, Clone)]
pub struct RecentView {
    /// The assignment.
    pub assignment_id: i64,
    /// The reporting organisation.
    pub org: String,
    /// When.
    pub at: String,
    /// `submitted`, `accepted`, `returned`.
    pub status: String,
    /// Progress.
    pub percent: i64,
    /// The start of the narrative.
    pub excerpt: String,
}

/// The latest updates, formatted.
pub fn recent_views(ctx: &Ctx, updates: Vec<Update>) -> Vec<RecentView> {
    updates
        .into_iter()
        .map(|u| RecentView {
            assignment_id: u.assignment_id,
            at: tiendo_core::fmt::datetime(u.submitted_at.unwrap_or(u.created_at)),
            status: ctx.tr.t(&format!("update-status-{}", u.status)),
            percent: u.percent,
            excerpt: u.narrative.chars().take(160).collect(),
            org: u.org_name,
        })
        .collect()
}

/// `GET /dashboard`: the leader's overview.
pub async fn overview(ctx: Ctx) -> Result<Response, AppError> {
    let o = dashboards::overview(ctx.state.app(), ctx.auth.session()).await?;
    let (counts, chart_svg, chart_table) = status_figures(&ctx, &o.summary, "").await?;
    let plans = o
        .plans
        .into_iter()
        .map(|p| PlanLine {
            id: p.plan.id,
            title: p.plan.title,
            symbol: p.plan.document_symbol.unwrap_or_default(),
            depth: usize::try_from(p.depth).unwrap_or(0),
            progress: p.summary.progress.round() as i64,
            summary: p.summary,
        })
        .collect();
    let leads = o.late_leads.into_iter().take(10).map(|l| (l.org_id, l.name, l.assignments, l.overdue)).collect();
    render(&OverviewPage {
        layout: ctx.layout("dashboard-title"),
        progress: o.summary.progress.round() as i64,
        summary: o.summary,
        counts,
        chart_svg,
        chart_table,
        plans,
        overdue: lines(&ctx, &o.most_overdue, o.today),
        leads,
        recent: recent_views(&ctx, o.recent),
        today: tiendo_core::fmt::date(o.today),
        decisions: decisions(&ctx).await?,
    })
}

#[derive(Template)]
#[template(path = "monitoring/overdue.html")]
struct OverduePage {
    layout: Layout,
    rows: Vec<AssignmentLine>,
    total: i64,
    pager: Pager,
}

/// Query of the overdue list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OverdueQuery {
    /// The page, from 1.
    page: Option<String>,
}

/// Lines of the overdue list on one page (a province has thousands; the export has them all).
const OVERDUE_PER_PAGE: i64 = 50;

/// `GET /overdue`: the overdue assignments the actor sees, most overdue first, a page at a time.
pub async fn overdue(ctx: Ctx, Query(query): Query<OverdueQuery>) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let page = page_number(query.page.as_deref());
    let request = PageRequest { limit: Some(OVERDUE_PER_PAGE), offset: (page - 1) * OVERDUE_PER_PAGE };
    let (rows, total) = dashboards::overdue(app, ctx.auth.session(), request).await?;
    let pager = pager(&ctx.tr, "/overdue", &[], page, OVERDUE_PER_PAGE, total, rows.len());
    render(&OverduePage { layout: ctx.layout("overdue-title"), rows: lines(&ctx, &rows, app.today()), total, pager })
}

#[derive(Template)]
#[template(path = "monitoring/organization.html")]
struct OrganizationPage {
    layout: Layout,
    org_id: i64,
    name: String,
    led: Vec<AssignmentLine>,
    coordinated: Vec<AssignmentLine>,
    summary: Summary,
    progress: i64,
    counts: Vec<CountView>,
    chart_svg: String,
    chart_table: String,
}

/// `GET /organizations/{id}/monitoring`: what an organisation leads and coordinates.
pub async fn organization(ctx: Ctx, Path(org_id): Path<i64>) -> Result<Response, AppError> {
    let view = dashboards::organization(ctx.state.app(), ctx.auth.session(), org_id).await?;
    let (counts, chart_svg, chart_table) = status_figures(&ctx, &view.summary, &format!("lead={org_id}")).await?;
    let mut led = lines(&ctx, &view.led, view.today);
    led.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.id.cmp(&b.id)));
    render(&OrganizationPage {
        layout: ctx.layout_named(view.name.clone()),
        org_id,
        name: view.name,
        led,
        coordinated: lines(&ctx, &view.coordinated, view.today),
        progress: view.summary.progress.round() as i64,
        summary: view.summary,
        counts,
        chart_svg,
        chart_table,
    })
}

/// Query of the locality view.
#[derive(Debug, Clone, Deserialize)]
pub struct LocalityQuery {
    /// `new` (default) or `old`.
    #[serde(default)]
    map: String,
    /// The province code (default 22, Quảng Ninh).
    #[serde(default)]
    province: String,
}

/// A locality's line.
#[derive(Debug, Clone)]
pub struct LocalityLine {
    /// The unit's code.
    pub code: String,
    /// The unit's name.
    pub name: String,
    /// The organisations located there (their UBND, enterprises…).
    pub orgs: Vec<(i64, String)>,
    /// Summary of the assignments they lead.
    pub summary: Summary,
    /// Progress rounded.
    pub progress: i64,
}

#[derive(Template)]
#[template(path = "monitoring/localities.html")]
struct LocalitiesPage {
    layout: Layout,
    map: String,
    lines: Vec<LocalityLine>,
}

/// `GET /localities?map=new|old`: assignments by locality, on today's map or the map before 1/7/2025.
pub async fn localities(ctx: Ctx, Query(q): Query<LocalityQuery>) -> Result<Response, AppError> {
    let old = q.map == "old";
    let vis = tiendo_app::monitoring::visibility(ctx.state.app(), ctx.auth.session()).await?;
    let out = locality_lines(&ctx, old, &q.province, &vis).await?;
    let map = if old { "old" } else { "new" }.to_owned();
    render(&LocalitiesPage { layout: ctx.layout("localities-title"), map, lines: out })
}

/// The localities of a province (default 22) on the new or the old map, each with the summary of the
/// assignments its organisations lead among those `vis` shows (the public registers pass
/// [`Visibility::All`] and show only the counts).
pub async fn locality_lines(
    ctx: &Ctx,
    old: bool,
    province: &str,
    vis: &Visibility,
) -> Result<Vec<LocalityLine>, AppError> {
    Ok(dashboards::localities(ctx.state.app(), vis, old, province)
        .await?
        .into_iter()
        .map(|l| LocalityLine {
            code: l.code,
            name: l.name,
            orgs: l.orgs,
            progress: l.summary.progress.round() as i64,
            summary: l.summary,
        })
        .collect())
}
