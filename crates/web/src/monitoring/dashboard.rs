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
    progress_of(row.percent, status)
}

/// The progress of an assignment whose latest accepted percent is `percent`.
fn progress_of(percent: i64, status: &DerivedStatus) -> f64 {
    if status.kind.is_completed() { 100.0 } else { percent.clamp(0, 100) as f64 }
}

/// A summary being added up: counts by state, and per task its weight, the sum of its assignments'
/// progress and their number. Tallies of disjoint sets merge (a plan's and those of the plans under it).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    summary: Summary,
    by_task: HashMap<i64, (f64, f64, f64)>,
}

impl Tally {
    /// Counts one assignment with its derived status.
    pub fn add(&mut self, task_id: i64, weight: f64, percent: i64, status: &DerivedStatus) {
        *self.summary.counts.entry(status.kind).or_insert(0) += 1;
        if status.kind == StatusKind::Cancelled {
            return;
        }
        self.summary.total += 1;
        self.summary.at_risk += i64::from(status.at_risk);
        self.summary.blocked += i64::from(status.blocked);
        let entry = self.by_task.entry(task_id).or_insert((weight, 0.0, 0.0));
        entry.1 += progress_of(percent, status);
        entry.2 += 1.0;
    }

    /// Adds another tally to this one.
    pub fn merge(&mut self, other: &Tally) {
        for (kind, n) in &other.summary.counts {
            *self.summary.counts.entry(*kind).or_insert(0) += n;
        }
        self.summary.total += other.summary.total;
        self.summary.at_risk += other.summary.at_risk;
        self.summary.blocked += other.summary.blocked;
        for (task, (weight, sum, n)) in &other.by_task {
            let entry = self.by_task.entry(*task).or_insert((*weight, 0.0, 0.0));
            entry.1 += sum;
            entry.2 += n;
        }
    }

    /// The counts, and the progress weighted by task (each task's progress is the mean of its
    /// assignments').
    pub fn summary(&self) -> Summary {
        let items: Vec<(f64, f64)> = self.by_task.values().map(|(w, sum, n)| (*w, sum / n)).collect();
        Summary { progress: rollup(&items), ..self.summary.clone() }
    }
}

/// Summarises assignments as of `today`: counts by state, and the progress weighted by task (each task's
/// progress is the mean of its assignments').
pub fn summarize(rows: &[AssignmentRow], today: NaiveDate) -> Summary {
    let mut tally = Tally::default();
    for row in rows {
        tally.add(row.task_id, row.weight, row.percent, &derive_status(&row.facts(), today));
    }
    tally.summary()
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

/// The latest updates of the assignments the caller sees, formatted.
pub async fn recent(ctx: &Ctx, plans: Option<&[i64]>, visibility: &Visibility) -> Result<Vec<RecentView>, AppError> {
    let rows = updates::recent(ctx.state.db(), plans, visibility, 10).await?;
    Ok(rows
        .into_iter()
        .map(|u| RecentView {
            assignment_id: u.assignment_id,
            at: tiendo_core::fmt::datetime(u.submitted_at.unwrap_or(u.created_at)),
            status: ctx.tr.t(&format!("update-status-{}", u.status)),
            percent: u.percent,
            excerpt: u.narrative.chars().take(160).collect(),
            org: u.org_name,
        })
        .collect())
}

/// Plans in tree order, each followed by the plans under it: (index in `all`, depth). Plans under a
/// missing parent are left out (and so is a cycle, which no root reaches).
fn tree_order(all: &[plans::Plan]) -> Vec<(usize, usize)> {
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, p) in all.iter().enumerate() {
        children.entry(p.parent_id).or_default().push(i);
    }
    fn walk(
        index: usize,
        depth: usize,
        all: &[plans::Plan],
        children: &HashMap<Option<i64>, Vec<usize>>,
        out: &mut Vec<(usize, usize)>,
    ) {
        out.push((index, depth));
        for c in children.get(&Some(all[index].id)).into_iter().flatten() {
            walk(*c, depth + 1, all, children, out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    for root in children.get(&None).into_iter().flatten() {
        walk(*root, 0, all, &children, &mut out);
    }
    out
}

/// `GET /dashboard`: the leader's overview.
///
/// It summarises every visible assignment, so it reads them in their lean form (the facts of the status,
/// no names), derives each status once, and adds the plans up from the bottom of the tree. Names are read
/// for the few lines shown: the ten most overdue assignments and the organisations that are late.
pub async fn overview(ctx: Ctx) -> Result<Response, AppError> {
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let now = today();
    let db = ctx.state.db();
    let rows = assignments::status_rows(db, &AssignmentFilter::default(), &vis).await?;
    let mut all = Tally::default();
    let mut by_plan: HashMap<i64, Tally> = HashMap::new();
    // Who is late: (all, overdue) assignments by lead organisation.
    let mut by_lead: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    // (days overdue, assignment)
    let mut overdue: Vec<(i64, i64)> = Vec::new();
    for r in &rows {
        let s = derive_status(&r.facts(), now);
        all.add(r.task_id, r.weight, r.percent, &s);
        by_plan.entry(r.plan_id).or_default().add(r.task_id, r.weight, r.percent, &s);
        if s.kind == StatusKind::Cancelled {
            continue;
        }
        let e = by_lead.entry(r.lead_org_id).or_insert((0, 0));
        e.0 += 1;
        e.1 += i64::from(s.kind == StatusKind::Overdue);
        if s.kind == StatusKind::Overdue && s.days_late.unwrap_or(0) > 0 {
            overdue.push((s.days_late.unwrap_or(0), r.id));
        }
    }
    let summary = all.summary();
    let (counts, chart_svg, chart_table) = status_figures(&ctx, &summary, "").await?;

    // Per plan, with the plan's sub-plans included: each plan's tally merged into its parent's, deepest first.
    let all_plans = plans::all(db).await?;
    let order = tree_order(&all_plans);
    let mut subtree: HashMap<i64, Tally> = HashMap::new();
    for (index, _) in order.iter().rev() {
        let plan = &all_plans[*index];
        let mut tally = by_plan.remove(&plan.id).unwrap_or_default();
        for child in all_plans.iter().filter(|p| p.parent_id == Some(plan.id)) {
            if let Some(t) = subtree.get(&child.id) {
                tally.merge(t);
            }
        }
        subtree.insert(plan.id, tally);
    }
    let plan_lines: Vec<PlanLine> = order
        .iter()
        .map(|(index, depth)| {
            let plan = &all_plans[*index];
            let s = subtree.get(&plan.id).map(Tally::summary).unwrap_or_default();
            PlanLine {
                id: plan.id,
                title: plan.title.clone(),
                symbol: plan.document_symbol.clone().unwrap_or_default(),
                depth: *depth,
                progress: s.progress.round() as i64,
                summary: s,
            }
        })
        .collect();

    // The ten most overdue, then by id.
    overdue.sort_by_key(|(days, id)| (std::cmp::Reverse(*days), *id));
    overdue.truncate(10);
    let ids: Vec<i64> = overdue.iter().map(|(_, id)| *id).collect();
    let mut top =
        assignments::list(db, &AssignmentFilter { ids: Some(ids.clone()), ..Default::default() }, &vis).await?;
    top.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    let overdue_lines = lines(&ctx, &top, now);

    let late: Vec<i64> = by_lead.iter().filter(|(_, (_, late))| *late > 0).map(|(id, _)| *id).collect();
    let names: HashMap<i64, String> = orgtree::names(db, &late).await?.into_iter().collect();
    let mut leads: Vec<(i64, String, i64, i64)> = late
        .iter()
        .filter_map(|id| {
            let (all, late) = by_lead[id];
            names.get(id).map(|name| (*id, name.clone(), all, late))
        })
        .collect();
    leads.sort_by(|a, b| {
        b.3.cmp(&a.3).then_with(|| tiendo_core::text::sort_key(&a.1).cmp(&tiendo_core::text::sort_key(&b.1)))
    });
    leads.truncate(10);
    render(&OverviewPage {
        layout: ctx.layout("dashboard-title"),
        progress: summary.progress.round() as i64,
        summary,
        counts,
        chart_svg,
        chart_table,
        plans: plan_lines,
        overdue: overdue_lines,
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
    let old = q.map == "old";
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
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
    vis: &tiendo_db::monitoring::Visibility,
) -> Result<Vec<LocalityLine>, AppError> {
    use tiendo_core::geo::AdminUnitCode;
    let province = if province.is_empty() { "22".to_owned() } else { province.to_owned() };
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
    let rows = assignments::list(ctx.state.db(), &AssignmentFilter::default(), vis).await?;
    let located = located_orgs(ctx, old, on).await?;
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
    Ok(out)
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
