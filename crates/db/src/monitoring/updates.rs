//! Progress updates and their evidence.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::monitoring::UpdateStatus;

use crate::error::DbError;
use crate::files::Attachment;
use crate::query::{Exec, Query};

/// A progress update.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Update {
    /// Row id.
    pub id: i64,
    /// The assignment.
    pub assignment_id: i64,
    /// The reporting organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The author.
    pub author_id: Option<i64>,
    /// The author's name.
    pub author_name: Option<String>,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub status: String,
    /// What was done.
    pub narrative: String,
    /// Progress, 0–100.
    pub percent: i64,
    /// Difficulties (khó khăn, vướng mắc).
    pub difficulties: Option<String>,
    /// Recommendations (kiến nghị).
    pub recommendations: Option<String>,
    /// Links to evidence, one per line.
    pub links: Option<String>,
    /// The completion date the unit claims.
    pub completion_claimed_on: Option<NaiveDate>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When accepted or returned.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// Their name.
    pub decided_by_name: Option<String>,
    /// The reviewer's comment.
    pub decision_comment: Option<String>,
    /// Optimistic-locking version.
    pub version: i64,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Update {
    /// The workflow state.
    pub fn state(&self) -> UpdateStatus {
        UpdateStatus::from_code(&self.status).unwrap_or(UpdateStatus::Draft)
    }
}

const COLUMNS: &str = "u.id, u.assignment_id, u.org_id, o.name AS org_name, u.author_id, au.display_name AS author_name, \
     u.status, u.narrative, u.percent, u.difficulties, u.recommendations, u.links, u.completion_claimed_on, u.submitted_at, \
     u.decided_at, u.decided_by, du.display_name AS decided_by_name, u.decision_comment, u.version, u.is_sample, \
     u.created_at, u.updated_at";
const FROM: &str = "progress_updates u JOIN organizations o ON o.id = u.org_id \
     LEFT JOIN users au ON au.id = u.author_id LEFT JOIN users du ON du.id = u.decided_by";

/// The content of an update, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateContent {
    /// What was done.
    pub narrative: String,
    /// Progress, 0–100.
    pub percent: i64,
    /// Difficulties.
    pub difficulties: Option<String>,
    /// Recommendations.
    pub recommendations: Option<String>,
    /// Links, one per line.
    pub links: Option<String>,
    /// The claimed completion date.
    pub completion_claimed_on: Option<NaiveDate>,
}

/// An update to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUpdate {
    /// The assignment.
    pub assignment_id: i64,
    /// The reporting organisation.
    pub org_id: i64,
    /// The author.
    pub author_id: Option<i64>,
    /// The content.
    pub content: UpdateContent,
    /// A draft, or directly submitted (or accepted, for imported history).
    pub status: UpdateStatus,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Creates an update.
pub async fn create(ex: &impl Exec, new: &NewUpdate, now: DateTime<Utc>) -> Result<i64, DbError> {
    let status = new.status;
    let content = &new.content;
    let submitted_at = (status == UpdateStatus::Submitted || status == UpdateStatus::Accepted).then_some(now);
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO progress_updates (assignment_id, org_id, author_id, status, narrative, percent, difficulties, \
                 recommendations, links, completion_claimed_on, submitted_at, is_sample, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(new.assignment_id)
            .bind(new.org_id)
            .bind(new.author_id)
            .bind(status.code())
            .bind(content.narrative.as_str())
            .bind(content.percent)
            .bind(content.difficulties.clone())
            .bind(content.recommendations.clone())
            .bind(content.links.clone())
            .bind(content.completion_claimed_on)
            .bind(submitted_at)
            .bind(new.is_sample)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// One update.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Update>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE u.id = $1")).bind(id)).await
}

/// The updates of an assignment, newest first.
pub async fn of_assignment(ex: &impl Exec, assignment_id: i64) -> Result<Vec<Update>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE u.assignment_id = $1 ORDER BY u.id DESC"))
            .bind(assignment_id),
    )
    .await
}

/// Which updates of an assignment an actor sees: the submitted and accepted ones always; the drafts and
/// the returned ones (being corrected) only of the organisations listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateVisibility {
    /// Organisations whose drafts the actor sees (those they report for).
    pub drafts_of: Vec<i64>,
    /// Organisations whose returned updates the actor sees (the unit, and the side that returned them).
    pub returned_of: Vec<i64>,
}

/// The organisations that wrote updates of an assignment (usually its lead alone).
pub async fn writers(ex: &impl Exec, assignment_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new("SELECT DISTINCT org_id FROM progress_updates WHERE assignment_id = $1 ORDER BY org_id")
                .bind(assignment_id),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The updates of an assignment that `visible` lets through, newest first: a page of them (all with
/// `limit` `None`) and how many there are in all.
pub async fn page_of_assignment(
    ex: &impl Exec,
    assignment_id: i64,
    visible: &UpdateVisibility,
    limit: Option<i64>,
    offset: i64,
) -> Result<(Vec<Update>, i64), DbError> {
    let condition = |q: &mut Query| {
        q.push(" WHERE u.assignment_id = ").push_bind(assignment_id);
        q.push(" AND (u.status IN ('submitted', 'accepted') OR (u.status = 'draft' AND u.org_id IN (");
        super::push_ids(q, &visible.drafts_of);
        q.push(")) OR (u.status = 'returned' AND u.org_id IN (");
        super::push_ids(q, &visible.returned_of);
        q.push(")))");
    };
    let mut count = Query::new("SELECT COUNT(*) FROM progress_updates u");
    condition(&mut count);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM}"));
    condition(&mut q);
    q.push(" ORDER BY u.id DESC");
    if let Some(limit) = limit {
        q.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    }
    Ok((ex.fetch_all(q).await?, total))
}

/// The newest accepted update of each of the assignments (those with none are absent).
pub async fn latest_accepted(ex: &impl Exec, assignment_ids: &[i64]) -> Result<HashMap<i64, Update>, DbError> {
    if assignment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q =
        Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE u.status = 'accepted' AND u.assignment_id IN ("));
    super::push_ids(&mut q, assignment_ids);
    q.push(") ORDER BY u.id DESC");
    let mut out = HashMap::new();
    for u in ex.fetch_all::<Update>(q).await? {
        out.entry(u.assignment_id).or_insert(u);
    }
    Ok(out)
}

/// Replaces the content of a draft or returned update, if its version is still `version`. Returns false
/// when someone changed it meanwhile or it is no longer editable.
pub async fn edit(
    ex: &impl Exec,
    id: i64,
    version: i64,
    content: &UpdateContent,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE progress_updates SET narrative = $1, percent = $2, difficulties = $3, recommendations = $4, links = $5, \
                 completion_claimed_on = $6, version = version + 1, updated_at = $7 \
                 WHERE id = $8 AND version = $9 AND status IN ('draft', 'returned')",
            )
            .bind(content.narrative.as_str())
            .bind(content.percent)
            .bind(content.difficulties.clone())
            .bind(content.recommendations.clone())
            .bind(content.links.clone())
            .bind(content.completion_claimed_on)
            .bind(now)
            .bind(id)
            .bind(version),
        )
        .await?;
    Ok(n == 1)
}

/// Moves an update from one of `from` to `to`, if nobody moved it first. Returns false when the update was
/// no longer in one of the expected states (another officer decided, say).
pub async fn transition(
    ex: &impl Exec,
    id: i64,
    from: &[UpdateStatus],
    to: UpdateStatus,
    by: Option<i64>,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut q = Query::new("UPDATE progress_updates SET status = ");
    q.push_bind(to.code()).push(", version = version + 1, updated_at = ").push_bind(now);
    match to {
        UpdateStatus::Submitted => {
            q.push(", submitted_at = ").push_bind(now);
        }
        UpdateStatus::Accepted | UpdateStatus::Returned => {
            q.push(", decided_at = ").push_bind(now).push(", decided_by = ").push_bind(by);
            q.push(", decision_comment = ").push_bind(comment.map(str::to_owned));
        }
        UpdateStatus::Draft => {}
    }
    q.push(" WHERE id = ").push_bind(id).push(" AND status IN (");
    for (i, s) in from.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(s.code());
    }
    q.push(")");
    Ok(ex.execute(q).await? == 1)
}

/// Deletes a draft.
pub async fn delete_draft(ex: &impl Exec, id: i64) -> Result<bool, DbError> {
    Ok(ex
        .execute(Query::new("DELETE FROM progress_updates WHERE id = $1 AND status IN ('draft', 'returned')").bind(id))
        .await?
        == 1)
}

/// Attaches evidence to an update.
pub async fn attach(ex: &impl Exec, update_id: i64, attachment_id: i64) -> Result<(), DbError> {
    ex.execute(
        Query::new("INSERT INTO update_evidence (update_id, attachment_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(update_id)
            .bind(attachment_id),
    )
    .await?;
    Ok(())
}

/// The evidence files of an update.
pub async fn evidence(ex: &impl Exec, update_id: i64) -> Result<Vec<Attachment>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id, a.sha256, a.size, a.content_type, a.original_name FROM attachments a \
             JOIN update_evidence e ON e.attachment_id = a.id WHERE e.update_id = $1 ORDER BY a.id",
        )
        .bind(update_id),
    )
    .await
}

/// The evidence files of several updates, by update (those with none are absent).
pub async fn evidence_of(ex: &impl Exec, update_ids: &[i64]) -> Result<HashMap<i64, Vec<Attachment>>, DbError> {
    if update_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = Query::new(
        "SELECT e.update_id, a.id, a.sha256, a.size, a.content_type, a.original_name FROM attachments a \
         JOIN update_evidence e ON e.attachment_id = a.id WHERE e.update_id IN (",
    );
    super::push_ids(&mut q, update_ids);
    q.push(") ORDER BY a.id");
    let rows: Vec<(i64, i64, String, i64, String, String)> = ex.fetch_all(q).await?;
    let mut out: HashMap<i64, Vec<Attachment>> = HashMap::new();
    for (update_id, id, sha256, size, content_type, original_name) in rows {
        out.entry(update_id).or_default().push(Attachment { id, sha256, size, content_type, original_name });
    }
    Ok(out)
}

/// The updates that use an attachment as evidence (to check who may download it).
pub async fn using_attachment(ex: &impl Exec, attachment_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(Query::new("SELECT update_id FROM update_evidence WHERE attachment_id = $1").bind(attachment_id))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Recent updates (a timeline), newest first, of the assignments visible to the caller, for assignments of
/// the given plans (all plans when `None`). Drafts are left out. The order is that of the index
/// `progress_updates_recent` (migration 8), so only the first `limit` rows are read.
pub async fn recent(
    ex: &impl Exec,
    plans: Option<&[i64]>,
    visibility: &super::Visibility,
    limit: i64,
) -> Result<Vec<Update>, DbError> {
    if visibility.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE u.status <> 'draft'"));
    if plans.is_some() || *visibility != super::Visibility::All {
        q.push(" AND u.assignment_id IN (SELECT a.id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE 1 = 1");
        if let Some(plans) = plans {
            q.push(" AND t.plan_id IN (");
            super::push_ids(&mut q, plans);
            q.push(")");
        }
        visibility.push_condition(&mut q);
        q.push(")");
    }
    q.push(" ORDER BY COALESCE(u.submitted_at, u.created_at) DESC, u.id DESC LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}
