//! Dashboards: the leader's overview, per plan, per organisation, per locality on the old or the new map,
//! and the overdue list. Every number links to the assignments behind it.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_core::monitoring::{DerivedStatus, StatusKind, derive_status, rollup};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow};
use tiendo_db::monitoring::{Visibility, plans, updates};
use tiendo_db::orgtree;
use tiendo_export::chart::{Chart, ChartKind, Series};

use super::status::{self, StatusView};
use super::{today, visibility};
use crate::error::AppError;
use crate::layout::{Ctx, Layout, render};

/// Counts and progress of a set of assignments.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Assignments by derived state.
    pub counts: BTreeMap<StatusKind, i64>,
    /// All assignments except cancelled ones.
    pub total: i64,
    /// Weighted progress, 0–100.
    pub progress: f64,
    /// How many are at risk.
    pub at_risk: i64,
    /// How many are blocked.
    pub blocked: i64,
}

impl Summary {
    /// The count of a state.
    pub fn count(&self, kind: StatusKind) -> i64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

/// The progress of one assignment: 100 when completed, else its latest accepted percent.
pub fn assignment_progress(row: &AssignmentRow, status: &DerivedStatus) -> f64 {
    if status.kind.is_completed() { 100.0 } else { row.percent.clamp(0, 100) as f64 }
}

/// Summarises assignments as of `today`: counts by state, and the progress weighted by task (each task's
/// progress is the mean of its assignments').
pub fn summarize(rows: &[AssignmentRow], today: NaiveDate) -> Summary {
    let mut summary = Summary::default();
    let mut by_task: HashMap<i64, (f64, f64, f64)> = HashMap::new();
    for row in rows {
        let s = derive_status(&row.facts(), today);
        *summary.counts.entry(s.kind).or_insert(0) += 1;
        if s.kind == StatusKind::Cancelled {
            continue;
        }
        summary.total += 1;
        summary.at_risk += i64::from(s.at_risk);
        summary.blocked += i64::from(s.blocked);
        let entry = by_task.entry(row.task_id).or_insert((row.weight, 0.0, 0.0));
        entry.1 += assignment_progress(row, &s);
        entry.2 += 1.0;
    }
    let items: Vec<(f64, f64)> = by_task.values().map(|(w, sum, n)| (*w, sum / n)).collect();
    summary.progress = rollup(&items);
    summary
}

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
pub async fn recent(ctx: &Ctx, plans: Option<&[i64]>, visibility: &Visibility) -> Result<Vec<RecentView>, AppError> {
    let rows = updates::recent(ctx.state.db(), plans, 40).await?;
    let visible: Option<std::collections::HashSet<i64>> = match visibility {
        Visibility::All => None,
        _ => Some(
            assignments::list(ctx.state.db(), &AssignmentFilter::default(), visibility)
                .await?
                .iter()
                .map(|a| a.id)
                .collect(),
        ),
    };
    let mut out = Vec::new();
    for u in rows {
        if out.len() >= 10 {
            break;
        }
        if visible.as_ref().is_some_and(|ids| !ids.contains(&u.assignment_id)) {
            continue;
        }
        out.push(RecentView {
            assignment_id: u.assignment_id,
            org: u.org_name.clone(),
            at: tiendo_core::fmt::datetime(u.submitted_at.unwrap_or(u.created_at)),
            status: ctx.tr.t(&format!("update-status-{}", u.status)),
            percent: u.percent,
            excerpt: u.narrative.chars().take(160).collect(),
        });
    }
    Ok(out)
}

/// `GET /dashboard`: the leader's overview.
pub async fn overview(ctx: Ctx) -> Result<Response, AppError> {
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let now = today();
    let rows = assignments::list(ctx.state.db(), &AssignmentFilter::default(), &vis).await?;
    let summary = summarize(&rows, now);
    let (counts, chart_svg, chart_table) = status_figures(&ctx, &summary, "").await?;
    // Per plan, with the plan's sub-plans included.
    let all_plans = plans::all(ctx.state.db()).await?;
    let mut plan_lines = Vec::new();
    let children =
        |id: i64| -> Vec<i64> { all_plans.iter().filter(|p| p.parent_id == Some(id)).map(|p| p.id).collect() };
    fn descendants(id: i64, children: &dyn Fn(i64) -> Vec<i64>) -> Vec<i64> {
        let mut out = vec![id];
        for c in children(id) {
            out.extend(descendants(c, children));
        }
        out
    }
    fn walk(id: i64, depth: usize, order: &mut Vec<(i64, usize)>, children: &dyn Fn(i64) -> Vec<i64>) {
        order.push((id, depth));
        for c in children(id) {
            walk(c, depth + 1, order, children);
        }
    }
    let mut order = Vec::new();
    for root in all_plans.iter().filter(|p| p.parent_id.is_none()) {
        walk(root.id, 0, &mut order, &children);
    }
    for (id, depth) in order {
        let Some(plan) = all_plans.iter().find(|p| p.id == id) else { continue };
        let ids = descendants(id, &children);
        let subset: Vec<AssignmentRow> = rows.iter().filter(|r| ids.contains(&r.plan_id)).cloned().collect();
        let s = summarize(&subset, now);
        plan_lines.push(PlanLine {
            id,
            title: plan.title.clone(),
            symbol: plan.document_symbol.clone().unwrap_or_default(),
            depth,
            progress: s.progress.round() as i64,
            summary: s,
        });
    }
    let mut overdue: Vec<AssignmentLine> = lines(&ctx, &rows, now).into_iter().filter(|l| l.days_overdue > 0).collect();
    overdue.sort_by_key(|r| std::cmp::Reverse(r.days_overdue));
    overdue.truncate(10);
    // Who is late: overdue counts by lead organisation.
    let mut leads: Vec<(i64, String, i64, i64)> =
        overdue_by_lead(&rows, now).into_iter().map(|l| (l.org_id, l.name, l.assignments, l.overdue)).collect();
    leads.truncate(10);
    render(&OverviewPage {
        layout: ctx.layout("dashboard-title"),
        progress: summary.progress.round() as i64,
        summary,
        counts,
        chart_svg,
        chart_table,
        plans: plan_lines,
        overdue,
        leads,
        recent: recent(&ctx, None, &vis).await?,
        today: tiendo_core::fmt::date(now),
    })
}

#[derive(Template)]
#[template(path = "monitoring/overdue.html")]
struct OverduePage {
    layout: Layout,
    rows: Vec<AssignmentLine>,
}

/// `GET /overdue`: every overdue assignment the actor sees, most overdue first.
pub async fn overdue(ctx: Ctx) -> Result<Response, AppError> {
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let rows = overdue_assignments(&ctx.state, &vis, today()).await?;
    render(&OverduePage { layout: ctx.layout("overdue-title"), rows: lines(&ctx, &rows, today()) })
}

/// The overdue assignments among those visible, most days overdue first (then by id).
pub async fn overdue_assignments(
    state: &crate::state::AppState,
    visibility: &Visibility,
    today: NaiveDate,
) -> Result<Vec<AssignmentRow>, AppError> {
    let filter = AssignmentFilter { open_and_due_before: Some(today), ..Default::default() };
    let mut rows: Vec<(AssignmentRow, i64)> = assignments::list(state.db(), &filter, visibility)
        .await?
        .into_iter()
        .filter_map(|r| {
            let s = derive_status(&r.facts(), today);
            (s.kind == StatusKind::Overdue).then(|| (r, s.days_late.unwrap_or(0)))
        })
        .filter(|(_, days)| *days > 0)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
    Ok(rows.into_iter().map(|(r, _)| r).collect())
}

/// A lead organisation with overdue assignments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadOverdue {
    /// The organisation.
    pub org_id: i64,
    /// Its name.
    pub name: String,
    /// The assignments it leads (not cancelled).
    pub assignments: i64,
    /// How many of them are overdue.
    pub overdue: i64,
}

/// Who is late: the lead organisations with overdue assignments, most overdue first, then by name.
pub fn overdue_by_lead(rows: &[AssignmentRow], today: NaiveDate) -> Vec<LeadOverdue> {
    let mut by_lead: BTreeMap<(i64, String), (i64, i64)> = BTreeMap::new();
    for r in rows {
        let s = derive_status(&r.facts(), today);
        if s.kind == StatusKind::Cancelled {
            continue;
        }
        let e = by_lead.entry((r.lead_org_id, r.lead_name.clone())).or_insert((0, 0));
        e.0 += 1;
        e.1 += i64::from(s.kind == StatusKind::Overdue);
    }
    let mut leads: Vec<LeadOverdue> = by_lead
        .into_iter()
        .filter(|(_, (_, late))| *late > 0)
        .map(|((org_id, name), (assignments, overdue))| LeadOverdue { org_id, name, assignments, overdue })
        .collect();
    leads.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| tiendo_core::text::sort_key(&a.name).cmp(&tiendo_core::text::sort_key(&b.name)))
    });
    leads
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetFigures {
    /// The latest value recorded: (year, value).
    pub latest: Option<(i64, f64)>,
    /// Whether the latest value meets the target.
    pub met: Option<bool>,
    /// Share of the way from the baseline to the target, 0–100.
    pub reached: i64,
}

/// Where a target stands, given its values by year (oldest first).
pub fn target_figures(t: &plans::Target, values: &[(i64, f64, Option<String>)]) -> TargetFigures {
    let latest = values.last().map(|(y, v, _)| (*y, *v));
    let met = latest.map(|(_, v)| if t.higher_is_better { v >= t.target_value } else { v <= t.target_value });
    let reached = match (latest, t.baseline_value) {
        (Some((_, v)), Some(b)) if (t.target_value - b).abs() > f64::EPSILON => {
            (((v - b) / (t.target_value - b)) * 100.0).clamp(0.0, 100.0).round() as i64
        }
        (Some((_, v)), _) if t.target_value.abs() > f64::EPSILON => {
            let ratio = if t.higher_is_better { v / t.target_value } else { t.target_value / v.max(f64::EPSILON) };
            (ratio * 100.0).clamp(0.0, 100.0).round() as i64
        }
        _ => 0,
    };
    TargetFigures { latest, met, reached }
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
    let name = orgtree::name(ctx.state.db(), org_id).await?.ok_or(AppError::NotFound)?;
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let now = today();
    let rows =
        assignments::list(ctx.state.db(), &AssignmentFilter { involving: Some(org_id), ..Default::default() }, &vis)
            .await?;
    let (led_rows, coordinated_rows): (Vec<AssignmentRow>, Vec<AssignmentRow>) =
        rows.into_iter().partition(|r| r.lead_org_id == org_id);
    let summary = summarize(&led_rows, now);
    let (counts, chart_svg, chart_table) = status_figures(&ctx, &summary, &format!("lead={org_id}")).await?;
    let mut led = lines(&ctx, &led_rows, now);
    led.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.id.cmp(&b.id)));
    render(&OrganizationPage {
        layout: ctx.layout_titled(name.clone()),
        org_id,
        name,
        led,
        coordinated: lines(&ctx, &coordinated_rows, now),
        progress: summary.progress.round() as i64,
        summary,
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

/// `GET /localities?map=new|old`: assignments by locality, on today's map or the map before 1/7/2025. An
/// organisation counts under the unit it is located in; on the new map, organisations of old units count
/// under their current successor.
pub async fn localities(ctx: Ctx, Query(q): Query<LocalityQuery>) -> Result<Response, AppError> {
    use tiendo_core::geo::AdminUnitCode;
    let old = q.map == "old";
    let province = if q.province.is_empty() { "22".to_owned() } else { q.province.clone() };
    let on = if old { NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default() } else { today() };
    let province_code = AdminUnitCode::parse(&province)
        .map_err(|_| AppError::NotFoundNamed { code: "unknown_admin_unit", value: province.clone() })?;
    let level = if old { tiendo_core::geo::UnitLevel::District } else { tiendo_core::geo::UnitLevel::Commune };
    let filter = tiendo_db::geo::UnitFilter {
        level: Some(level),
        province: Some(province_code),
        ..tiendo_db::geo::UnitFilter::on(on)
    };
    let units = tiendo_db::geo::units_in_force(ctx.state.db(), &filter).await?;
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let rows = assignments::list(ctx.state.db(), &AssignmentFilter::default(), &vis).await?;
    let located = located_orgs(&ctx, old, on).await?;
    let now = today();
    let mut out = Vec::new();
    for unit in units {
        let orgs: Vec<(i64, String)> = located
            .iter()
            .filter(|(_, _, code)| *code == unit.code.as_str())
            .map(|(id, name, _)| (*id, name.clone()))
            .collect();
        let ids: Vec<i64> = orgs.iter().map(|(id, _)| *id).collect();
        let subset: Vec<AssignmentRow> = rows.iter().filter(|r| ids.contains(&r.lead_org_id)).cloned().collect();
        let summary = summarize(&subset, now);
        if summary.total == 0 && orgs.is_empty() {
            continue;
        }
        out.push(LocalityLine {
            code: unit.code.as_str().to_owned(),
            name: unit.full_name(),
            orgs,
            progress: summary.progress.round() as i64,
            summary,
        });
    }
    let map = if old { "old" } else { "new" }.to_owned();
    render(&LocalitiesPage { layout: ctx.layout("localities-title"), map, lines: out })
}

/// Organisations with the code of the unit they are located in on the chosen map: (id, name, unit code).
/// On the old map, a commune-level location counts under its district; on the new map, a location on an old
/// unit counts under the unit's current default successor.
/// An organisation with its unit: id, name, unit code, the unit's parent code, the unit's end.
type LocatedRow = (i64, String, Option<String>, Option<String>, Option<NaiveDate>);

async fn located_orgs(ctx: &Ctx, old: bool, on: NaiveDate) -> Result<Vec<(i64, String, String)>, AppError> {
    use tiendo_db::{Exec, Query};
    let rows: Vec<LocatedRow> = ctx
        .state
        .db()
        .fetch_all(Query::new(
            "SELECT o.id, o.name, u.code, u.parent_code, u.valid_to FROM organizations o \
             JOIN admin_units u ON u.id = o.admin_unit_id",
        ))
        .await?;
    let mut out = Vec::new();
    for (id, name, code, parent, valid_to) in rows {
        let Some(code) = code else { continue };
        let unit_code = if old {
            // The old map's district: the unit's parent when the unit is an old commune.
            if valid_to.is_some() { parent.unwrap_or(code) } else { continue }
        } else if valid_to.is_some_and(|t| t <= on) {
            // An old unit: count under its current successor.
            let Ok(c) = tiendo_core::geo::AdminUnitCode::parse(&code) else { continue };
            let Some(unit) =
                tiendo_db::geo::unit_versions(ctx.state.db(), &c).await?.into_iter().find(|u| u.valid_to.is_some())
            else {
                continue;
            };
            let current = tiendo_db::geo::current_units(ctx.state.db(), &unit, on).await?;
            match current.default {
                Some(u) => u.code.as_str().to_owned(),
                None => continue,
            }
        } else {
            code
        };
        out.push((id, name, unit_code));
    }
    Ok(out)
}
