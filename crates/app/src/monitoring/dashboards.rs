//! The figures the dashboards show, over the assignments the actor sees: the leader's overview, the tree
//! of plans, one plan with its targets and tasks, an organisation, the localities on the old or the new
//! map, and the overdue list. Each reads the rows it needs at once (no query per plan, row or
//! organisation) and derives the statuses with [`tiendo_core::monitoring::derive_status`].

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use tiendo_core::monitoring::summary::progress_of;
use tiendo_core::monitoring::{DerivedStatus, StatusKind, Summary, Tally, TargetFigures, TargetGoal, derive_status};
use tiendo_db::monitoring::Visibility;
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow, PageRequest};
use tiendo_db::monitoring::localities::located_organizations;
use tiendo_db::monitoring::plans::{self, Plan, Target, Task};
use tiendo_db::monitoring::updates::{self, Update};
use tiendo_db::orgtree;

use super::{kept_status, visibility};
use crate::{App, Error, Result, Session};

/// The progress of one assignment: 100 when completed, else its latest accepted percent.
pub fn assignment_progress(row: &AssignmentRow, status: &DerivedStatus) -> f64 {
    progress_of(row.percent, status)
}

/// Summarises assignments as of `today`: counts by state, and the progress weighted by task.
pub fn summarize(rows: &[AssignmentRow], today: NaiveDate) -> Summary {
    let mut tally = Tally::default();
    for row in rows {
        tally.add(row.task_id, row.weight, row.percent, &derive_status(&row.facts(), today));
    }
    tally.summary()
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

/// A plan with the figures of the assignments the actor sees under it (its sub-plans' included).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFigures {
    /// The plan.
    pub plan: Plan,
    /// Depth in the tree (0 for a plan that implements none).
    pub depth: i64,
    /// The figures.
    pub summary: Summary,
}

/// The leader's overview.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The day the statuses are derived for.
    pub today: NaiveDate,
    /// Every assignment the actor sees.
    pub summary: Summary,
    /// Every plan in tree order with its figures.
    pub plans: Vec<PlanFigures>,
    /// The ten most overdue assignments.
    pub most_overdue: Vec<AssignmentRow>,
    /// Who is late: the lead organisations with overdue assignments, most overdue first, then by name.
    pub late_leads: Vec<LeadOverdue>,
    /// The latest updates (no drafts).
    pub recent: Vec<Update>,
}

/// Tallies of the plans, each with its sub-plans' merged in, from the tallies of each plan's own
/// assignments and the shape of the tree (deepest first, so every child is done before its parent).
fn subtree_tallies(mut own: HashMap<i64, Tally>, links: &[(i64, Option<i64>)]) -> HashMap<i64, Tally> {
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, parent) in links {
        if let Some(p) = parent {
            children.entry(*p).or_default().push(*id);
        }
    }
    // Pre-order from the roots; reversed, every plan comes after those under it. Plans in a cycle or under
    // a missing parent are not reached, as in the tree.
    let mut order = Vec::with_capacity(links.len());
    let mut stack: Vec<(i64, usize)> = links.iter().filter(|(_, p)| p.is_none()).map(|(id, _)| (*id, 0)).collect();
    stack.reverse();
    while let Some((id, depth)) = stack.pop() {
        order.push(id);
        if depth < 50 {
            for c in children.get(&id).into_iter().flatten().rev() {
                stack.push((*c, depth + 1));
            }
        }
    }
    let mut out: HashMap<i64, Tally> = HashMap::new();
    for id in order.iter().rev() {
        let mut tally = own.remove(id).unwrap_or_default();
        for c in children.get(id).into_iter().flatten() {
            if let Some(t) = out.get(c) {
                tally.merge(t);
            }
        }
        out.insert(*id, tally);
    }
    out
}

/// The tally of every plan's own visible assignments, and of all of them, as of `today`.
async fn plan_tallies(app: &App, vis: &Visibility, today: NaiveDate) -> Result<(Tally, HashMap<i64, Tally>)> {
    let rows = kept_status::status_rows(app, app.db(), vis).await?;
    let mut all = Tally::default();
    let mut by_plan: HashMap<i64, Tally> = HashMap::new();
    for r in rows.iter() {
        let s = derive_status(&r.facts(), today);
        all.add(r.task_id, r.weight, r.percent, &s);
        by_plan.entry(r.plan_id).or_default().add(r.task_id, r.weight, r.percent, &s);
    }
    Ok((all, by_plan))
}

/// The leader's overview. It summarises every visible assignment, so it reads them in their lean form (the
/// facts of the status, no names), derives each status once, and adds the plans up from the bottom of the
/// tree. Names are read for the few lines shown.
pub async fn overview(app: &App, session: &Session) -> Result<Overview> {
    let vis = visibility(app, session).await?;
    let today = app.today();
    // A summary of many rows: a replica a few seconds behind serves it as well.
    let db = app.reads(session);
    let rows = kept_status::status_rows(app, db, &vis).await?;
    let mut all = Tally::default();
    let mut by_plan: HashMap<i64, Tally> = HashMap::new();
    // Who is late: (all, overdue) assignments by lead organisation.
    let mut by_lead: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    // The overdue: (due date of the cycle, assignment), for the ten most overdue.
    let mut overdue: Vec<(NaiveDate, i64)> = Vec::new();
    for r in rows.iter() {
        let s = derive_status(&r.facts(), today);
        all.add(r.task_id, r.weight, r.percent, &s);
        by_plan.entry(r.plan_id).or_default().add(r.task_id, r.weight, r.percent, &s);
        if s.kind == StatusKind::Cancelled {
            continue;
        }
        let e = by_lead.entry(r.lead_org_id).or_insert((0, 0));
        e.0 += 1;
        e.1 += i64::from(s.kind == StatusKind::Overdue);
        if let (StatusKind::Overdue, Some(due)) = (s.kind, s.due_on) {
            overdue.push((due, r.id));
        }
    }
    let (plans, _) = plans::tree_page(db, i64::MAX, 0).await?;
    let subtree = subtree_tallies(by_plan, &plans::links(db).await?);
    let hidden = super::unreadable_visit_plans(app, session).await?;
    let plans = plans
        .into_iter()
        .filter(|(plan, _)| !hidden.contains(&plan.id))
        .map(|(plan, depth)| {
            let summary = subtree.get(&plan.id).map(Tally::summary).unwrap_or_default();
            PlanFigures { plan, depth, summary }
        })
        .collect();
    // The ten most overdue, in the order of the overdue list, read by id with their names.
    overdue.sort_unstable();
    overdue.truncate(10);
    let ids: Vec<i64> = overdue.iter().map(|(_, id)| *id).collect();
    let filter = AssignmentFilter { ids: Some(ids.clone()), ..AssignmentFilter::default() };
    let mut most_overdue = assignments::list(db, &filter, &vis).await?;
    most_overdue.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    let late: Vec<i64> = by_lead.iter().filter(|(_, (_, late))| *late > 0).map(|(id, _)| *id).collect();
    let names: HashMap<i64, String> = orgtree::names(db, &late).await?.into_iter().collect();
    let mut late_leads: Vec<LeadOverdue> = late
        .iter()
        .filter_map(|id| {
            let (assignments, overdue) = by_lead[id];
            names.get(id).map(|name| LeadOverdue { org_id: *id, name: name.clone(), assignments, overdue })
        })
        .collect();
    late_leads.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| tiendo_core::text::sort_key(&a.name).cmp(&tiendo_core::text::sort_key(&b.name)))
    });
    Ok(Overview {
        today,
        summary: all.summary(),
        plans,
        most_overdue,
        late_leads,
        recent: updates::recent(db, None, &vis, 10).await?,
    })
}

/// The overdue assignments the actor sees, most days overdue first (then by id): a page and the total.
pub async fn overdue(app: &App, session: &Session, page: PageRequest) -> Result<(Vec<AssignmentRow>, i64)> {
    let filter = super::assignments::ListFilter { status: StatusKind::Overdue.code().to_owned(), ..Default::default() };
    super::assignments::list(app, session, &filter, page).await
}

/// A page of the tree of plans (pre-order: each plan followed by those implementing it), each with the
/// figures of the assignments the actor sees under it, and how many plans there are.
pub async fn plan_tree(app: &App, session: &Session, limit: i64, offset: i64) -> Result<(Vec<PlanFigures>, i64)> {
    let vis = visibility(app, session).await?;
    let (_, by_plan) = plan_tallies(app, &vis, app.today()).await?;
    let subtree = subtree_tallies(by_plan, &plans::links(app.db()).await?);
    let (page, total) = plans::tree_page(app.db(), limit, offset).await?;
    let hidden = super::unreadable_visit_plans(app, session).await?;
    let shown = page.len();
    let page: Vec<_> = page.into_iter().filter(|(plan, _)| !hidden.contains(&plan.id)).collect();
    let total = total - i64::try_from(shown - page.len()).unwrap_or(0);
    let lines = page
        .into_iter()
        .map(|(plan, depth)| {
            let summary = subtree.get(&plan.id).map(Tally::summary).unwrap_or_default();
            PlanFigures { plan, depth, summary }
        })
        .collect();
    Ok((lines, total))
}

/// A target with its values by year and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetStanding {
    /// The target.
    pub target: Target,
    /// Its values: (year, value, source), oldest first.
    pub values: Vec<(i64, f64, Option<String>)>,
    /// Where it stands.
    pub figures: TargetFigures,
}

/// The targets of a plan with their values and standing. A target of a computed indicator takes its
/// figures from the indicator (the province, on today's map), computed now; a typed one the figures typed.
pub async fn targets(app: &App, plan_id: i64) -> Result<Vec<TargetStanding>> {
    let mut values = plans::values_of_plan(app.db(), plan_id).await?;
    let targets = plans::targets(app.db(), plan_id).await?;
    let mut computed: Vec<tiendo_db::indicators::IndicatorRow> = Vec::new();
    for id in targets.iter().filter_map(|t| t.indicator_id) {
        if let Some(row) = tiendo_db::indicators::get(app.db(), id).await?
            && row.kind != "typed"
            && !computed.iter().any(|c| c.id == row.id)
        {
            computed.push(row);
        }
    }
    if !computed.is_empty() {
        let this_year = crate::indicators::compute::this_year(app);
        let first = targets
            .iter()
            .filter_map(|t| t.baseline_year)
            .min()
            .map_or(this_year - 9, |y| i32::try_from(y).unwrap_or(this_year).min(this_year));
        let request = crate::indicators::compute::Request {
            map: tiendo_db::reporting::aggregates::Map::Current,
            place: crate::indicators::compute::Place::Province,
            years: (first, this_year),
        };
        let figures = crate::indicators::compute::figures(app, &computed, &request).await?;
        for t in &targets {
            if let Some(list) = t.indicator_id.and_then(|id| figures.get(&id)) {
                let points = list.iter().filter_map(|f| f.value.map(|v| (i64::from(f.year), v, None))).collect();
                values.insert(t.id, points);
            }
        }
    }
    Ok(targets
        .into_iter()
        .map(|target| {
            let values = values.remove(&target.id).unwrap_or_default();
            let goal = TargetGoal {
                baseline: target.baseline_value,
                target: target.target_value,
                higher_is_better: target.higher_is_better,
            };
            let points: Vec<(i64, f64)> = values.iter().map(|(y, v, _)| (*y, *v)).collect();
            TargetStanding { figures: tiendo_core::monitoring::summary::target_figures(goal, &points), target, values }
        })
        .collect())
}

/// One plan as its dashboard shows it.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The day the statuses are derived for.
    pub today: NaiveDate,
    /// The plan.
    pub plan: Plan,
    /// The plans it implements, from the top of the chain down.
    pub ancestors: Vec<Plan>,
    /// The plans implementing it, with their figures.
    pub children: Vec<(Plan, Summary)>,
    /// The figures of the assignments the actor sees, sub-plans included.
    pub summary: Summary,
    /// Those assignments (of the plan and its sub-plans).
    pub rows: Vec<AssignmentRow>,
    /// Its targets.
    pub targets: Vec<TargetStanding>,
    /// Its tasks, in order.
    pub tasks: Vec<Task>,
    /// The plans of the subtree (the plan first).
    pub subtree: Vec<i64>,
}

/// One plan with its chain, the figures of its subtree and of each plan under it, its targets and tasks.
pub async fn plan(app: &App, session: &Session, id: i64) -> Result<PlanView> {
    let db = app.db();
    let plan = super::readable_plan(app, session, id).await?;
    let vis = visibility(app, session).await?;
    let today = app.today();
    let subtree = plans::subtree_ids(db, id).await?;
    let filter = AssignmentFilter { plans: Some(subtree.clone()), ..AssignmentFilter::default() };
    let rows = assignments::list(db, &filter, &vis).await?;
    let mut own: HashMap<i64, Tally> = HashMap::new();
    for r in &rows {
        own.entry(r.plan_id).or_default().add(r.task_id, r.weight, r.percent, &derive_status(&r.facts(), today));
    }
    let links: Vec<(i64, Option<i64>)> =
        plans::links(db).await?.into_iter().filter(|(id, _)| subtree.contains(id)).collect();
    // The tree below the plan: the plan is its root here.
    let rooted: Vec<(i64, Option<i64>)> =
        links.iter().map(|(p, parent)| (*p, if *p == id { None } else { *parent })).collect();
    let tallies = subtree_tallies(own, &rooted);
    let hidden = super::unreadable_visit_plans(app, session).await?;
    let children = plans::children(db, id)
        .await?
        .into_iter()
        .filter(|c| !hidden.contains(&c.id))
        .map(|c| {
            let summary = tallies.get(&c.id).map(Tally::summary).unwrap_or_default();
            (c, summary)
        })
        .collect();
    Ok(PlanView {
        today,
        ancestors: plans::ancestors(db, id).await?,
        children,
        summary: summarize(&rows, today),
        rows,
        targets: targets(app, id).await?,
        tasks: plans::tasks(db, id).await?,
        subtree,
        plan,
    })
}

/// The latest updates (no drafts) of the assignments the actor sees, of these plans (all plans when
/// `None`).
pub async fn recent(app: &App, session: &Session, plans: Option<&[i64]>) -> Result<Vec<Update>> {
    let vis = visibility(app, session).await?;
    Ok(updates::recent(app.db(), plans, &vis, 10).await?)
}

/// What an organisation leads and what it coordinates, among the assignments the actor sees.
#[derive(Debug, Clone)]
pub struct OrganizationView {
    /// Its name.
    pub name: String,
    /// The assignments it leads.
    pub led: Vec<AssignmentRow>,
    /// Those it coordinates.
    pub coordinated: Vec<AssignmentRow>,
    /// The figures of those it leads.
    pub summary: Summary,
    /// The day the statuses are derived for.
    pub today: NaiveDate,
}

/// What an organisation leads and coordinates.
pub async fn organization(app: &App, session: &Session, org_id: i64) -> Result<OrganizationView> {
    let name = orgtree::name(app.db(), org_id).await?.ok_or(Error::NotFound)?;
    let vis = visibility(app, session).await?;
    let today = app.today();
    let filter = AssignmentFilter { involving: Some(org_id), ..AssignmentFilter::default() };
    let rows = assignments::list(app.db(), &filter, &vis).await?;
    let (led, coordinated): (Vec<AssignmentRow>, Vec<AssignmentRow>) =
        rows.into_iter().partition(|r| r.lead_org_id == org_id);
    Ok(OrganizationView { name, summary: summarize(&led, today), led, coordinated, today })
}

/// A locality's line: the unit, the organisations located there, and the figures of what they lead.
#[derive(Debug, Clone)]
pub struct LocalityLine {
    /// The unit's code.
    pub code: String,
    /// The unit's name.
    pub name: String,
    /// The organisations located there (their People's Committee, enterprises…).
    pub orgs: Vec<(i64, String)>,
    /// Summary of the assignments they lead.
    pub summary: Summary,
}

/// The localities of a province (default 22, Quảng Ninh) on the new or the old map (`old`: before
/// 1/7/2025), each with the figures of the assignments its organisations lead among those `vis` lets
/// through (the portal's public statistics pass [`Visibility::All`] and show the counts only). An
/// organisation counts under the unit it is located in; on the new map, organisations of old units count
/// under their current successor. `NotFoundNamed` `unknown_admin_unit` for a province that is not one.
pub async fn localities(app: &App, vis: &Visibility, old: bool, province: &str) -> Result<Vec<LocalityLine>> {
    use tiendo_core::geo::{AdminUnitCode, UnitLevel};
    let province = if province.is_empty() { "22".to_owned() } else { province.to_owned() };
    let today = app.today();
    let on = if old { NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default() } else { today };
    let province_code = AdminUnitCode::parse(&province)
        .map_err(|_| Error::NotFoundNamed { code: "unknown_admin_unit", value: province.clone() })?;
    let level = if old { UnitLevel::District } else { UnitLevel::Commune };
    let filter = tiendo_db::geo::UnitFilter {
        level: Some(level),
        province: Some(province_code),
        ..tiendo_db::geo::UnitFilter::on(on)
    };
    let units = tiendo_db::geo::units_in_force(app.db(), &filter).await?;
    let rows = kept_status::status_rows(app, app.db(), vis).await?;
    let located = located_organizations(app.db(), old, on).await?;
    let mut by_unit: HashMap<&str, Vec<(i64, String)>> = HashMap::new();
    for o in &located {
        by_unit.entry(o.unit_code.as_str()).or_default().push((o.id, o.name.clone()));
    }
    let mut by_lead: HashMap<i64, Tally> = HashMap::new();
    for r in rows.iter() {
        by_lead.entry(r.lead_org_id).or_default().add(
            r.task_id,
            r.weight,
            r.percent,
            &derive_status(&r.facts(), today),
        );
    }
    let mut out = Vec::new();
    for unit in units {
        let orgs = by_unit.get(unit.code.as_str()).cloned().unwrap_or_default();
        let mut tally = Tally::default();
        for (id, _) in &orgs {
            if let Some(t) = by_lead.get(id) {
                tally.merge(t);
            }
        }
        let summary = tally.summary();
        if summary.total == 0 && orgs.is_empty() {
            continue;
        }
        out.push(LocalityLine { code: unit.code.as_str().to_owned(), name: unit.full_name(), orgs, summary });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_counts_what_is_under_it_and_a_cycle_is_left_out() {
        let status = DerivedStatus {
            kind: StatusKind::NotStarted,
            due_on: None,
            days_late: None,
            at_risk: false,
            blocked: false,
        };
        let mut own: HashMap<i64, Tally> = HashMap::new();
        for (plan, task) in [(1, 10), (2, 20), (3, 30), (3, 31), (8, 80)] {
            own.entry(plan).or_default().add(task, 1.0, 0, &status);
        }
        // 1 ← 2 ← 3, and 8 ⇄ 9 in a cycle.
        let links = [(1, None), (2, Some(1)), (3, Some(2)), (8, Some(9)), (9, Some(8))];
        let t = subtree_tallies(own, &links);
        let total = |id: i64| t.get(&id).map(|t| t.summary().total);
        assert_eq!((total(1), total(2), total(3)), (Some(4), Some(3), Some(2)));
        assert_eq!(total(8), None);
    }
}
