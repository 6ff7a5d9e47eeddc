//! Public comments, their moderation and the readers' reports.

use chrono::{DateTime, Utc};
use tiendo_core::portal::CommentStatus;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A comment as stored, with the title and slug of its article.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Comment {
    /// Row id.
    pub id: i64,
    /// The article.
    pub article_id: i64,
    /// Its title.
    pub article_title: String,
    /// Its slug.
    pub article_slug: String,
    /// The name given.
    pub author_name: String,
    /// The e-mail given (never shown to the public).
    pub author_email: Option<String>,
    /// The text (plain).
    pub body: String,
    /// `pending`, `approved`, `rejected`, `spam`.
    pub status: String,
    /// Hidden by reports until a moderator decides.
    pub hidden: bool,
    /// Reports since the last decision.
    pub report_count: i64,
    /// The word-list entry that held it for moderation.
    pub word_match: Option<String>,
    /// The sender's address.
    pub ip: Option<String>,
    /// Posted.
    pub created_at: DateTime<Utc>,
    /// Decided.
    pub decided_at: Option<DateTime<Utc>>,
}

impl Comment {
    /// The moderation state.
    pub fn status(&self) -> CommentStatus {
        CommentStatus::from_code(&self.status).unwrap_or(CommentStatus::Pending)
    }
}

const SELECT: &str = "SELECT c.id, c.article_id, a.title AS article_title, a.slug AS article_slug, c.author_name, \
     c.author_email, c.body, c.status, c.hidden, c.report_count, c.word_match, c.ip, c.created_at, c.decided_at \
     FROM comments c JOIN articles a ON a.id = c.article_id";

/// A new comment.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    /// The article.
    pub article_id: i64,
    /// Name.
    pub author_name: &'a str,
    /// E-mail.
    pub author_email: Option<&'a str>,
    /// Text.
    pub body: &'a str,
    /// Initial state.
    pub status: CommentStatus,
    /// The word-list entry that matched.
    pub word_match: Option<&'a str>,
    /// Sender's address.
    pub ip: Option<&'a str>,
    /// Signed-in author.
    pub user_id: Option<i64>,
    /// Hash of the author's secret.
    pub author_key: &'a str,
    /// When.
    pub at: DateTime<Utc>,
}

/// Stores a comment; returns its id.
pub async fn insert(ex: &impl Exec, new: &NewComment<'_>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO comments (article_id, author_name, author_email, body, status, word_match, ip, user_id, \
                 author_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(new.article_id)
            .bind(new.author_name)
            .bind(new.author_email)
            .bind(new.body)
            .bind(new.status.code())
            .bind(new.word_match)
            .bind(new.ip)
            .bind(new.user_id)
            .bind(new.author_key)
            .bind(new.at),
        )
        .await?;
    Ok(id)
}

/// One comment.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Comment>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.id = $1")).bind(id)).await
}

/// The comments the public sees on an article, oldest first.
pub async fn visible(ex: &impl Exec, article_id: i64) -> Result<Vec<Comment>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "{SELECT} WHERE c.article_id = $1 AND c.status = 'approved' AND c.hidden = FALSE ORDER BY c.created_at, c.id"
        ))
        .bind(article_id),
    )
    .await
}

/// A comment of an article still waiting, shown to its author who holds the secret whose hash is `key`.
pub async fn pending_for_author(ex: &impl Exec, id: i64, key: &str) -> Result<Option<Comment>, DbError> {
    ex.fetch_optional(
        Query::new(format!("{SELECT} WHERE c.id = $1 AND c.author_key = $2 AND c.status = 'pending'"))
            .bind(id)
            .bind(key),
    )
    .await
}

/// Which comments the moderation queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Waiting for a first decision.
    Pending,
    /// Hidden by readers' reports.
    Reported,
    /// Already decided, in this state.
    Decided(CommentStatus),
}

/// A page of the queue, oldest first for the waiting ones and newest first for the decided, with the total.
pub async fn queue(ex: &impl Exec, which: Queue, limit: i64, offset: i64) -> Result<(Vec<Comment>, i64), DbError> {
    let (cond, order) = match which {
        Queue::Pending => (" WHERE c.status = 'pending'".to_owned(), " ORDER BY c.created_at, c.id"),
        Queue::Reported => (" WHERE c.hidden = TRUE".to_owned(), " ORDER BY c.created_at, c.id"),
        Queue::Decided(s) => (format!(" WHERE c.status = '{}'", s.code()), " ORDER BY c.decided_at DESC, c.id DESC"),
    };
    let (total,): (i64,) = ex.fetch_one(Query::new(format!("SELECT COUNT(*) FROM comments c{cond}"))).await?;
    let mut q = Query::new(format!("{SELECT}{cond}{order} LIMIT "));
    q.push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(q).await?, total))
}

/// How many comments wait (pending, hidden by reports).
pub async fn waiting_counts(ex: &impl Exec) -> Result<(i64, i64), DbError> {
    ex.fetch_one(Query::new(
        "SELECT (SELECT COUNT(*) FROM comments WHERE status = 'pending'), (SELECT COUNT(*) FROM comments WHERE hidden = TRUE)",
    ))
    .await
}

/// Records a moderator's decision at `now`: the new state, reports cleared and the comment no longer hidden.
pub async fn decide(
    ex: &impl Exec,
    id: i64,
    status: CommentStatus,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE comments SET status = $1, hidden = FALSE, report_count = 0, decided_at = $2, decided_by = $3 \
                 WHERE id = $4",
            )
            .bind(status.code())
            .bind(now)
            .bind(by)
            .bind(id),
        )
        .await?;
    Ok(n == 1)
}

/// Records a reader's report at `now` (once per reader); returns the report count, or `None` when this
/// reader had already reported it.
pub async fn report(ex: &impl Exec, id: i64, reporter: &str, now: DateTime<Utc>) -> Result<Option<i64>, DbError> {
    let n = ex
        .execute(
            Query::new(
                "INSERT INTO comment_reports (comment_id, reporter, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (comment_id, reporter) DO NOTHING",
            )
            .bind(id)
            .bind(reporter)
            .bind(now),
        )
        .await?;
    if n == 0 {
        return Ok(None);
    }
    ex.execute(Query::new("UPDATE comments SET report_count = report_count + 1 WHERE id = $1").bind(id)).await?;
    let (count,): (i64,) = ex.fetch_one(Query::new("SELECT report_count FROM comments WHERE id = $1").bind(id)).await?;
    Ok(Some(count))
}

/// Hides a comment until a moderator decides.
pub async fn hide(ex: &impl Exec, id: i64) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE comments SET hidden = TRUE WHERE id = $1").bind(id)).await?;
    Ok(())
}

/// How many approved, visible comments each article has: (article id, count).
pub async fn counts(ex: &impl Exec, article_ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT article_id, COUNT(*) FROM comments WHERE status = 'approved' AND hidden = FALSE AND article_id IN (",
    );
    for (i, id) in article_ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(") GROUP BY article_id");
    ex.fetch_all(q).await
}
