//! Plans (nghị quyết → chương trình → kế hoạch), their targets and their tasks.

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
}

/// Adds a target to a plan.
pub async fn add_target(ex: &impl Exec, plan_id: i64, t: &TargetInput) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO targets (plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, \
                 higher_is_better, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM targets WHERE plan_id = $1)) RETURNING id",
            )
            .bind(plan_id)
            .bind(t.name.as_str())
            .bind(t.unit.as_str())
            .bind(t.baseline_value)
            .bind(t.baseline_year)
            .bind(t.target_value)
            .bind(t.target_year)
            .bind(t.higher_is_better),
        )
        .await?;
    Ok(id)
}

/// The targets of a plan.
pub async fn targets(ex: &impl Exec, plan_id: i64) -> Result<Vec<Target>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, higher_is_better \
             FROM targets WHERE plan_id = $1 ORDER BY sort_order, id",
        )
        .bind(plan_id),
    )
    .await
}

/// One target.
pub async fn target(ex: &impl Exec, id: i64) -> Result<Option<Target>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT id, plan_id, name, unit, baseline_value, baseline_year, target_value, target_year, higher_is_better \
             FROM targets WHERE id = $1",
        )
        .bind(id),
    )
    .await
}

/// Records the value a target reached in a year (replacing an earlier record of that year).
pub async fn record_value(
    ex: &impl Exec,
    target_id: i64,
    year: i64,
    value: f64,
    source: Option<&str>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO target_values (target_id, year, value, source, recorded_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (target_id, year) DO UPDATE SET value = excluded.value, source = excluded.source, \
             recorded_at = excluded.recorded_at",
        )
        .bind(target_id)
        .bind(year)
        .bind(value)
        .bind(source.map(str::to_owned))
        .bind(Utc::now()),
    )
    .await?;
    Ok(())
}

/// The values of a target, by year.
pub async fn values(ex: &impl Exec, target_id: i64) -> Result<Vec<(i64, f64, Option<String>)>, DbError> {
    ex.fetch_all(
        Query::new("SELECT year, value, source FROM target_values WHERE target_id = $1 ORDER BY year").bind(target_id),
    )
    .await
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
