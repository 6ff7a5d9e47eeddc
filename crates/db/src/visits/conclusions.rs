//! Conclusions (kết luận) and directives (chỉ đạo): a conclusion is a task of the plan the visit owns,
//! linked to the stop it was taken at; its directives are that task's assignments.

use crate::error::DbError;
use crate::monitoring::assignments::{AssignmentRow, COLUMNS, FROM};
use crate::monitoring::plans::{self, TaskInput};
use crate::query::{Exec, Query};

/// A conclusion of a visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Conclusion {
    /// The task that carries it.
    pub task_id: i64,
    /// The visit.
    pub visit_id: i64,
    /// The stop it was taken at; `None` for the whole visit.
    pub stop_id: Option<i64>,
    /// Its number in the visit's plan.
    pub code: String,
    /// What was concluded.
    pub text: String,
    /// The expected product.
    pub expected_product: Option<String>,
}

const SELECT: &str = "SELECT c.task_id, c.visit_id, c.stop_id, t.code, t.title AS text, t.expected_product \
     FROM visit_conclusions c JOIN tasks t ON t.id = c.task_id";

/// Adds a conclusion to a visit: a task of its plan numbered after the others, linked to the stop.
pub async fn add_conclusion(
    ex: &impl Exec,
    visit_id: i64,
    plan_id: i64,
    stop_id: Option<i64>,
    text: &str,
    expected_product: Option<&str>,
) -> Result<i64, DbError> {
    let (count,): (i64,) =
        ex.fetch_one(Query::new("SELECT COUNT(*) FROM tasks WHERE plan_id = $1").bind(plan_id)).await?;
    let task = TaskInput {
        parent_id: None,
        code: (count + 1).to_string(),
        title: text.to_owned(),
        expected_product: expected_product.map(str::to_owned),
        weight: 1.0,
    };
    let task_id = plans::add_task(ex, plan_id, &task).await?;
    ex.execute(
        Query::new("INSERT INTO visit_conclusions (task_id, visit_id, stop_id) VALUES ($1, $2, $3)")
            .bind(task_id)
            .bind(visit_id)
            .bind(stop_id),
    )
    .await?;
    Ok(task_id)
}

/// The conclusions of a visit, in the order they were taken.
pub async fn conclusions(ex: &impl Exec, visit_id: i64) -> Result<Vec<Conclusion>, DbError> {
    ex.fetch_all(Query::new(format!("{SELECT} WHERE c.visit_id = $1 ORDER BY t.sort_order, t.id")).bind(visit_id)).await
}

/// One conclusion.
pub async fn conclusion(ex: &impl Exec, task_id: i64) -> Result<Option<Conclusion>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.task_id = $1")).bind(task_id)).await
}

/// The directives of a visit (every assignment of its conclusions), by id. The caller filters what the
/// actor may see.
pub async fn directives(ex: &impl Exec, visit_id: i64) -> Result<Vec<AssignmentRow>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "SELECT {COLUMNS} FROM {FROM} JOIN visit_conclusions c ON c.task_id = a.task_id WHERE c.visit_id = $1 \
             ORDER BY a.id"
        ))
        .bind(visit_id),
    )
    .await
}

/// The coordinating organisations of every directive of a visit: (assignment id, organisation id, its
/// name), by assignment then name.
pub async fn directive_coordinators(ex: &impl Exec, visit_id: i64) -> Result<Vec<(i64, i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT k.assignment_id, k.org_id, o.name FROM assignment_coordinators k \
             JOIN organizations o ON o.id = k.org_id JOIN assignments a ON a.id = k.assignment_id \
             JOIN visit_conclusions c ON c.task_id = a.task_id WHERE c.visit_id = $1 \
             ORDER BY k.assignment_id, o.sort_key, o.id",
        )
        .bind(visit_id),
    )
    .await
}

/// The plans owned by visits: the filter that makes an assignment list a list of directives.
pub async fn directive_plans(ex: &impl Exec) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> =
        ex.fetch_all(Query::new("SELECT id FROM plans WHERE visit_id IS NOT NULL ORDER BY id")).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// When the latest directive of a visit (of one stop's conclusions when `stop` is given) was recorded:
/// the day its notice of conclusions is dated. `None` when it has none.
pub async fn last_directive_recorded(
    ex: &impl Exec,
    visit_id: i64,
    stop: Option<i64>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, DbError> {
    let mut q = Query::new(
        "SELECT a.created_at FROM assignments a JOIN visit_conclusions c ON c.task_id = a.task_id \
         WHERE c.visit_id = ",
    );
    q.push_bind(visit_id);
    if let Some(stop) = stop {
        q.push(" AND c.stop_id = ").push_bind(stop);
    }
    q.push(" ORDER BY a.created_at DESC LIMIT 1");
    let row: Option<(chrono::DateTime<chrono::Utc>,)> = ex.fetch_optional(q).await?;
    Ok(row.map(|(at,)| at))
}
