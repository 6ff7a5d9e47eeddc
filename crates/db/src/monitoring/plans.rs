//! Plans (nghị quyết → chương trình → kế hoạch), their targets and their tasks.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A plan node.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Plan {
    /// Row id.
    pub id: i64,
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The document it is based on.
    pub document_id: Option<i64>,
    /// That document's symbol (joined).
    pub document_symbol: Option<String>,
    /// The plan it implements.
    pub parent_id: Option<i64>,
    /// The organisation responsible for it.
    pub owner_org_id: Option<i64>,
    /// Its name (joined).
    pub owner_name: Option<String>,
    /// Start of the period.
    pub period_start: Option<NaiveDate>,
    /// End of the period.
    pub period_end: Option<NaiveDate>,
    /// Invented for the demo.
    pub is_sample: bool,
}

const PLAN_COLUMNS: &str = "p.id, p.kind, p.title, p.document_id, d.symbol AS document_symbol, p.parent_id, p.owner_org_id, \
     o.name AS owner_name, p.period_start, p.period_end, p.is_sample";
const PLAN_FROM: &str =
    "plans p LEFT JOIN legal_documents d ON d.id = p.document_id LEFT JOIN organizations o ON o.id = p.owner_org_id";

/// A plan to create or update.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The document.
    pub document_id: Option<i64>,
    /// The plan it implements.
    pub parent_id: Option<i64>,
    /// The responsible organisation.
    pub owner_org_id: Option<i64>,
    /// Start.
    pub period_start: Option<NaiveDate>,
    /// End.
    pub period_end: Option<NaiveDate>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Creates a plan.
pub async fn create(ex: &impl Exec, p: &PlanInput, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO plans (kind, title, title_folded, document_id, parent_id, owner_org_id, period_start, period_end, \
                 is_sample, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(p.kind.as_str())
            .bind(p.title.as_str())
            .bind(tiendo_core::text::fold(&p.title))
            .bind(p.document_id)
            .bind(p.parent_id)
            .bind(p.owner_org_id)
            .bind(p.period_start)
            .bind(p.period_end)
            .bind(p.is_sample)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Updates a plan.
pub async fn update(ex: &impl Exec, id: i64, p: &PlanInput, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE plans SET kind = $1, title = $2, title_folded = $3, document_id = $4, parent_id = $5, owner_org_id = $6, \
             period_start = $7, period_end = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(p.kind.as_str())
        .bind(p.title.as_str())
        .bind(tiendo_core::text::fold(&p.title))
        .bind(p.document_id)
        .bind(p.parent_id)
        .bind(p.owner_org_id)
        .bind(p.period_start)
        .bind(p.period_end)
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// One plan.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Plan>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {PLAN_COLUMNS} FROM {PLAN_FROM} WHERE p.id = $1")).bind(id)).await
}

/// The working visit a plan was made from (the plan of its conclusions and directives), if any.
pub async fn visit_of(ex: &impl Exec, plan_id: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> =
        ex.fetch_optional(Query::new("SELECT visit_id FROM plans WHERE id = $1").bind(plan_id)).await?;
    Ok(row.and_then(|(v,)| v))
}

/// The plans made from working visits, with their visits.
pub async fn visit_plans(ex: &impl Exec) -> Result<Vec<(i64, i64)>, DbError> {
    ex.fetch_all(Query::new("SELECT id, visit_id FROM plans WHERE visit_id IS NOT NULL")).await
}

/// Every plan, roots first then by title (the tree is assembled by the caller).
pub async fn all(ex: &impl Exec) -> Result<Vec<Plan>, DbError> {
    ex.fetch_all(Query::new(format!("SELECT {PLAN_COLUMNS} FROM {PLAN_FROM} ORDER BY p.parent_id IS NOT NULL, p.id")))
        .await
}

/// A plan and every plan under it.
pub async fn subtree_ids(ex: &impl Exec, root: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new(
                "WITH RECURSIVE down (id, depth) AS ( \
                   SELECT id, CAST(0 AS BIGINT) FROM plans WHERE id = $1 \
                   UNION ALL SELECT p.id, down.depth + 1 FROM plans p JOIN down ON p.parent_id = down.id WHERE down.depth < 20 \
                 ) SELECT id FROM down",
            )
            .bind(root),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Every plan as (id, the plan it implements): the shape of the tree, to add figures up by subtree.
pub async fn links(ex: &impl Exec) -> Result<Vec<(i64, Option<i64>)>, DbError> {
    ex.fetch_all(Query::new("SELECT id, parent_id FROM plans ORDER BY id")).await
}

/// The plans a plan implements, from the top of the chain down (at most 20 levels).
pub async fn ancestors(ex: &impl Exec, id: i64) -> Result<Vec<Plan>, DbError> {
    let rows: Vec<(i64, i64)> = ex
        .fetch_all(
            Query::new(
                "WITH RECURSIVE up (id, depth) AS ( \
                   SELECT parent_id, CAST(1 AS BIGINT) FROM plans WHERE id = $1 AND parent_id IS NOT NULL \
                   UNION ALL SELECT p.parent_id, up.depth + 1 FROM plans p JOIN up ON p.id = up.id \
                   WHERE p.parent_id IS NOT NULL AND up.depth < 21 \
                 ) SELECT id, depth FROM up",
            )
            .bind(id),
        )
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {PLAN_COLUMNS} FROM {PLAN_FROM} WHERE p.id IN ("));
    super::push_ids(&mut q, &rows.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    q.push(")");
    let plans: Vec<Plan> = ex.fetch_all(q).await?;
    let mut ordered: Vec<(i64, Plan)> = plans
        .into_iter()
        .filter_map(|p| rows.iter().find(|(id, _)| *id == p.id).map(|(_, depth)| (*depth, p)))
        .collect();
    ordered.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
    Ok(ordered.into_iter().map(|(_, p)| p).collect())
}

/// A page of the tree of plans in pre-order (each plan followed by those implementing it, siblings by id,
/// from the plans that implement none), each with its depth, and how many plans the tree holds. Plans
/// under a missing parent, or in a cycle, are not in the tree.
pub async fn tree_page(ex: &impl Exec, limit: i64, offset: i64) -> Result<(Vec<(Plan, i64)>, i64), DbError> {
    let pad = |expr: &str| crate::dialect::zero_padded(ex.backend(), expr, 12);
    let tree = format!(
        "WITH RECURSIVE tree (id, depth, path) AS ( \
           SELECT id, CAST(0 AS BIGINT), {} FROM plans WHERE parent_id IS NULL \
           UNION ALL SELECT p.id, tree.depth + 1, tree.path || {} FROM plans p JOIN tree ON p.parent_id = tree.id \
           WHERE tree.depth < 50 \
         )",
        pad("id"),
        pad("p.id")
    );
    let (total,): (i64,) = ex.fetch_one(Query::new(format!("{tree} SELECT COUNT(*) FROM tree"))).await?;
    let rows: Vec<PlanAtDepth> = ex
        .fetch_all(
            Query::new(format!(
                "{tree} SELECT {PLAN_COLUMNS}, tree.depth FROM tree JOIN plans p ON p.id = tree.id \
                 LEFT JOIN legal_documents d ON d.id = p.document_id LEFT JOIN organizations o ON o.id = p.owner_org_id \
                 ORDER BY tree.path LIMIT $1 OFFSET $2"
            ))
            .bind(limit)
            .bind(offset),
        )
        .await?;
    Ok((rows.into_iter().map(|r| (r.plan, r.depth)).collect(), total))
}

/// A plan with its depth in the tree.
#[derive(sqlx::FromRow)]
struct PlanAtDepth {
    #[sqlx(flatten)]
    plan: Plan,
    depth: i64,
}

/// The plans directly under one.
pub async fn children(ex: &impl Exec, id: i64) -> Result<Vec<Plan>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {PLAN_COLUMNS} FROM {PLAN_FROM} WHERE p.parent_id = $1 ORDER BY p.id")).bind(id),
    )
    .await
}

/// The plans based on a document.
pub async fn by_document(ex: &impl Exec, document_id: i64) -> Result<Vec<Plan>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {PLAN_COLUMNS} FROM {PLAN_FROM} WHERE p.document_id = $1 ORDER BY p.id"))
            .bind(document_id),
    )
    .await
}

/// A target of a plan.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Target {
    /// Row id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The indicator's name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// Target value.
    pub target_value: f64,
    /// Target year.
    pub target_year: i64,
    /// Whether more is better.
    pub higher_is_better: bool,
    /// The catalogue indicator it is a target of.
    pub indicator_id: Option<i64>,
}

/// A target to create.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetInput {
    /// The indicator's name.
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// Target value.
    pub target_value: f64,
    /// Target year.
    pub target_year: i64,
    /// Whether more is better.
    pub higher_is_better: bool,
    /// The catalogue indicator it is a target of.
    pub indicator_id: i64,
}

/// Adds a target to a plan.
pub async fn add_target(ex: &impl Exec, plan_id: i64, t: &TargetInput) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO targets (plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, \
                 higher_is_better, indicator_id, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                 (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM targets WHERE plan_id = $1)) RETURNING id",
            )
            .bind(plan_id)
            .bind(t.name.as_str())
            .bind(t.unit.as_str())
            .bind(t.baseline_value)
            .bind(t.baseline_year)
            .bind(t.target_value)
            .bind(t.target_year)
            .bind(t.higher_is_better)
            .bind(t.indicator_id),
        )
        .await?;
    Ok(id)
}

/// The targets of a plan.
pub async fn targets(ex: &impl Exec, plan_id: i64) -> Result<Vec<Target>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, higher_is_better, \
             indicator_id FROM targets WHERE plan_id = $1 ORDER BY sort_order, id",
        )
        .bind(plan_id),
    )
    .await
}

/// One target.
pub async fn target(ex: &impl Exec, id: i64) -> Result<Option<Target>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT id, plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, higher_is_better, \
             indicator_id FROM targets WHERE id = $1",
        )
        .bind(id),
    )
    .await
}

/// Records the value a target reached in a year (replacing an earlier record of that year): the figure of
/// the target's indicator for the province.
pub async fn record_value(
    ex: &impl Exec,
    target_id: i64,
    year: i64,
    value: f64,
    source: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO kpi_figures (indicator_id, unit_code, year, value, source, recorded_at) \
             SELECT indicator_id, '', $2, $3, $4, $5 FROM targets WHERE id = $1 AND indicator_id IS NOT NULL \
             ON CONFLICT (indicator_id, unit_code, year) DO UPDATE SET value = excluded.value, \
             source = excluded.source, recorded_at = excluded.recorded_at",
        )
        .bind(target_id)
        .bind(year)
        .bind(value)
        .bind(source.map(str::to_owned))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// The values of a target, by year.
pub async fn values(ex: &impl Exec, target_id: i64) -> Result<Vec<(i64, f64, Option<String>)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT f.year, f.value, f.source FROM kpi_figures f JOIN targets t ON t.indicator_id = f.indicator_id \
             WHERE t.id = $1 AND f.unit_code = '' ORDER BY f.year",
        )
        .bind(target_id),
    )
    .await
}

/// The values of every target of a plan, by target, each by year.
pub async fn values_of_plan(
    ex: &impl Exec,
    plan_id: i64,
) -> Result<HashMap<i64, Vec<(i64, f64, Option<String>)>>, DbError> {
    let rows: Vec<(i64, i64, f64, Option<String>)> = ex
        .fetch_all(
            Query::new(
                "SELECT t.id, f.year, f.value, f.source FROM kpi_figures f JOIN targets t \
                 ON t.indicator_id = f.indicator_id WHERE t.plan_id = $1 AND f.unit_code = '' ORDER BY t.id, f.year",
            )
            .bind(plan_id),
        )
        .await?;
    let mut out: HashMap<i64, Vec<(i64, f64, Option<String>)>> = HashMap::new();
    for (target, year, value, source) in rows {
        out.entry(target).or_default().push((year, value, source));
    }
    Ok(out)
}

/// A task of a plan.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Task {
    /// Row id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The parent task.
    pub parent_id: Option<i64>,
    /// The numbering (`1`, `1.2`, `II.3`).
    pub code: String,
    /// Title.
    pub title: String,
    /// Expected product.
    pub expected_product: Option<String>,
    /// Weight in the plan's progress.
    pub weight: f64,
}

/// A task to create.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskInput {
    /// The parent task.
    pub parent_id: Option<i64>,
    /// The numbering.
    pub code: String,
    /// Title.
    pub title: String,
    /// Expected product.
    pub expected_product: Option<String>,
    /// Weight.
    pub weight: f64,
}

/// Adds a task to a plan.
pub async fn add_task(ex: &impl Exec, plan_id: i64, t: &TaskInput) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO tasks (plan_id, parent_id, code, title, title_folded, expected_product, weight, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM tasks WHERE plan_id = $1)) \
                 RETURNING id",
            )
            .bind(plan_id)
            .bind(t.parent_id)
            .bind(t.code.as_str())
            .bind(t.title.as_str())
            .bind(tiendo_core::text::fold(&t.title))
            .bind(t.expected_product.clone())
            .bind(t.weight),
        )
        .await?;
    Ok(id)
}

/// The tasks of a plan, in order.
pub async fn tasks(ex: &impl Exec, plan_id: i64) -> Result<Vec<Task>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, plan_id, parent_id, code, title, expected_product, weight FROM tasks WHERE plan_id = $1 \
             ORDER BY sort_order, id",
        )
        .bind(plan_id),
    )
    .await
}

/// One task.
pub async fn task(ex: &impl Exec, id: i64) -> Result<Option<Task>, DbError> {
    ex.fetch_optional(
        Query::new("SELECT id, plan_id, parent_id, code, title, expected_product, weight FROM tasks WHERE id = $1")
            .bind(id),
    )
    .await
}
