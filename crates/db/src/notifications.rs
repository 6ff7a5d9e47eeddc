//! In-app notifications and the reminder ledger.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A notification.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Notification {
    /// Row id.
    pub id: i64,
    /// A stable kind (`deadline_soon`, `deadline_passed`, `update_returned`, `digest`).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// The title and body as messages with their arguments (JSON, see `tiendo_app::message`), rendered in
    /// the reader's language; `None` for a notification written before, shown by its Vietnamese `title` and
    /// `body`.
    pub message: Option<String>,
    /// Where to go.
    pub link: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When read.
    pub read_at: Option<DateTime<Utc>>,
}

/// What a notification says: its Vietnamese title and body, and the same as messages to render in each
/// reader's language (JSON, see [`Notification::message`]).
#[derive(Debug, Clone, Copy)]
pub struct NewNotification<'a> {
    /// A stable kind (`deadline_soon`, `digest`, …).
    pub kind: &'a str,
    /// Title in Vietnamese.
    pub title: &'a str,
    /// Body in Vietnamese.
    pub body: &'a str,
    /// The title and body as messages (JSON), if any.
    pub message: Option<&'a str>,
    /// Where to go.
    pub link: Option<&'a str>,
}

/// Notifies a user.
pub async fn notify(ex: &impl Exec, user_id: i64, n: NewNotification<'_>, at: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO notifications (user_id, kind, title, body, message, link, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(user_id)
            .bind(n.kind)
            .bind(n.title)
            .bind(n.body)
            .bind(n.message.map(str::to_owned))
            .bind(n.link.map(str::to_owned))
            .bind(at),
        )
        .await?;
    Ok(id)
}

/// The latest notifications of a user.
pub async fn of_user(ex: &impl Exec, user_id: i64, limit: i64) -> Result<Vec<Notification>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT id, kind, title, body, message, link, created_at, read_at FROM notifications WHERE user_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit),
    )
    .await
}

/// Which of a user's notifications to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotificationFilter {
    /// Only those not read yet.
    pub unread_only: bool,
    /// Only those older than this one (the cursor of the API; not a filter for the total).
    pub before_id: Option<i64>,
}

/// A page of a user's notifications, newest first, and how many match the filter in all.
pub async fn list_of_user(
    ex: &impl Exec,
    user_id: i64,
    filter: NotificationFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Notification>, i64), DbError> {
    let condition = |q: &mut Query| {
        q.push(" WHERE user_id = ").push_bind(user_id);
        if filter.unread_only {
            q.push(" AND read_at IS NULL");
        }
    };
    let mut count = Query::new("SELECT COUNT(*) FROM notifications");
    condition(&mut count);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut q = Query::new("SELECT id, kind, title, body, message, link, created_at, read_at FROM notifications");
    condition(&mut q);
    if let Some(before) = filter.before_id {
        q.push(" AND id < ").push_bind(before);
    }
    q.push(" ORDER BY id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(q).await?, total))
}

/// One notification of a user; `None` when it does not exist or belongs to someone else.
pub async fn get_of_user(ex: &impl Exec, user_id: i64, id: i64) -> Result<Option<Notification>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT id, kind, title, body, message, link, created_at, read_at FROM notifications WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id),
    )
    .await
}

/// Marks one of a user's notifications read (keeping the first reading time); false when it does not
/// exist or belongs to someone else.
pub async fn mark_read(ex: &impl Exec, user_id: i64, id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
                .bind(now)
                .bind(id)
                .bind(user_id),
        )
        .await?;
    Ok(n == 1)
}

/// How many notifications a user has not read.
pub async fn unread_count(ex: &impl Exec, user_id: i64) -> Result<i64, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL").bind(user_id),
        )
        .await?;
    Ok(n)
}

/// Marks read a user's notifications that arrived by `now` (one arriving while the user clicks stays
/// new).
pub async fn mark_all_read(ex: &impl Exec, user_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND created_at <= $1")
            .bind(now)
            .bind(user_id),
    )
    .await?;
    Ok(())
}

/// The accounts that report for an organisation (locality and partner officers whose grants cover it):
/// (user id, e-mail).
pub async fn reporters_of(ex: &impl Exec, org_path: &[i64]) -> Result<Vec<(i64, Option<String>)>, DbError> {
    accounts_with_roles_over(ex, org_path, "'locality_officer', 'partner_officer'").await
}

/// The accounts that fill an organisation's periodic reports: its reporters and, for an enterprise, its
/// applicants (a certified S&T enterprise reports yearly): (user id, e-mail).
pub async fn report_senders_of(ex: &impl Exec, org_path: &[i64]) -> Result<Vec<(i64, Option<String>)>, DbError> {
    accounts_with_roles_over(ex, org_path, "'locality_officer', 'partner_officer', 'applicant'").await
}

/// The active accounts with one of `roles` (a quoted SQL list of role codes, a constant) over the
/// organisation at the end of `org_path`.
async fn accounts_with_roles_over(
    ex: &impl Exec,
    org_path: &[i64],
    roles: &'static str,
) -> Result<Vec<(i64, Option<String>)>, DbError> {
    let Some(org) = org_path.last() else { return Ok(Vec::new()) };
    let mut q = Query::new(format!(
        "SELECT DISTINCT u.id, u.email FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE u.status = 'active' AND g.role IN ({roles}) AND ((g.scope_kind = 'province') \
         OR (g.scope_kind = 'organization' AND g.organization_id = "
    ));
    q.push_bind(*org).push(") OR (g.scope_kind = 'subtree' AND g.organization_id IN (");
    crate::monitoring::push_ids(&mut q, org_path);
    q.push("))) ORDER BY u.id");
    ex.fetch_all(q).await
}

/// Records that a reminder was sent `at`; false when it already was (by this or another instance).
pub async fn claim_reminder(
    ex: &impl Exec,
    assignment_id: i64,
    kind: &str,
    due_on: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "INSERT INTO reminders_sent (assignment_id, kind, due_on, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (assignment_id, kind, due_on) DO NOTHING",
            )
            .bind(assignment_id)
            .bind(kind)
            .bind(due_on)
            .bind(at),
        )
        .await?;
    Ok(n == 1)
}

/// Records that the weekly digest of the week starting on `monday` was sent to a user; false when it
/// already was. The ledger is `schedule_runs` (work done once per name and slot), under the name
/// `weekly_digest:<user id>`, so that no table is needed for it; it is purged with the schedule records.
pub async fn claim_digest(ex: &impl Exec, user_id: i64, monday: NaiveDate) -> Result<bool, DbError> {
    let slot = monday.and_time(chrono::NaiveTime::MIN).and_utc();
    let n = ex
        .execute(
            Query::new("INSERT INTO schedule_runs (name, slot) VALUES ($1, $2) ON CONFLICT (name, slot) DO NOTHING")
                .bind(format!("weekly_digest:{user_id}"))
                .bind(slot),
        )
        .await?;
    Ok(n == 1)
}
