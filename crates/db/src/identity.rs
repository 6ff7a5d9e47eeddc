//! Accounts, role grants, sessions, personal API tokens, password resets and login throttling.
//! Secrets (session ids, tokens, reset links) are stored only as hashes computed by the caller.

use chrono::{DateTime, Utc};
use tiendo_core::authz::{AccessScope, Coverage, Grant, Role, Scope};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// May sign in.
    Active,
    /// May not sign in; kept for the audit trail.
    Disabled,
}

impl UserStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
}

/// An account as shown and managed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// The login name (lowercase).
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// E-mail for password resets.
    pub email: Option<String>,
    /// The person in the directory.
    pub person_id: Option<i64>,
    /// The organisation the account works for.
    pub organization_id: Option<i64>,
    /// The organisation's name (joined).
    pub organization_name: Option<String>,
    /// `active` or `disabled`.
    pub status: String,
    /// Whether the user must choose a new password at the next sign-in.
    pub must_change_password: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last successful sign-in.
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    /// Whether the account may sign in.
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active.code()
    }
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.email, u.person_id, u.organization_id, \
     o.name AS organization_name, u.status, u.must_change_password, u.created_at, u.last_login_at";

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name, already normalised to lowercase.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// The person in the directory.
    pub person_id: Option<i64>,
    /// The organisation.
    pub organization_id: Option<i64>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether the first sign-in must change the password.
    pub must_change_password: bool,
}

/// Creates an account; a taken username is a unique violation on `users.username`.
pub async fn create_user(ex: &impl Exec, user: &NewUser, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO users (username, display_name, email, person_id, organization_id, password_hash, status, \
                 must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8) \
                 RETURNING id",
            )
            .bind(user.username.as_str())
            .bind(user.display_name.as_str())
            .bind(user.email.clone())
            .bind(user.person_id)
            .bind(user.organization_id)
            .bind(user.password_hash.as_str())
            .bind(user.must_change_password)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// One account by id.
pub async fn user(ex: &impl Exec, id: i64) -> Result<Option<User>, DbError> {
    ex.fetch_optional(
        Query::new(format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1"
        ))
        .bind(id),
    )
    .await
}

/// One account by login name, with its password hash.
pub async fn user_for_login(ex: &impl Exec, username: &str) -> Result<Option<(User, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let row: Option<Row> = ex
        .fetch_optional(
            Query::new(format!(
                "SELECT {USER_COLUMNS}, u.password_hash FROM users u LEFT JOIN organizations o ON o.id = u.organization_id \
                 WHERE u.username = $1"
            ))
            .bind(username),
        )
        .await?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

/// Filters of the account list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Matches the username or the folded display name.
    pub q: Option<String>,
    /// Only accounts of these organisations (an administrator's scope); `None` for all.
    pub organizations: Option<Vec<i64>>,
}

/// Accounts matching the filter, ordered by username.
pub async fn list_users(ex: &impl Exec, filter: &UserFilter) -> Result<Vec<User>, DbError> {
    let mut q = Query::new(format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE 1 = 1"
    ));
    if let Some(text) = filter.q.as_deref().filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", tiendo_core::text::fold(text));
        q.push(" AND (LOWER(u.username) LIKE ").push_bind(pattern.clone());
        q.push(" OR LOWER(u.display_name) LIKE ").push_bind(pattern);
        q.push(")");
    }
    if let Some(orgs) = &filter.organizations {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        q.push(" AND u.organization_id IN (");
        for (i, org) in orgs.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(*org);
        }
        q.push(")");
    }
    q.push(" ORDER BY u.username");
    ex.fetch_all(q).await
}

/// Every account, for the command line.
pub async fn all_users(ex: &impl Exec) -> Result<Vec<User>, DbError> {
    list_users(ex, &UserFilter::default()).await
}

/// The accounts an administrator manages (those of the organisations their administrator role covers in
/// `scope`), matching `q` (the username or the folded name), ordered by username: one page and how many
/// there are in all.
pub async fn administered_users(
    ex: &impl Exec,
    scope: &AccessScope,
    q: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<User>, i64), DbError> {
    let coverage = scope.of_role(Role::Administrator);
    if coverage.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let conditions = |q_sql: &mut Query| {
        if let Some(text) = q.filter(|t| !t.trim().is_empty()) {
            let pattern = format!("%{}%", tiendo_core::text::fold(text.trim()));
            q_sql.push(" AND (LOWER(u.username) LIKE ").push_bind(pattern.clone());
            q_sql.push(" OR LOWER(u.display_name) LIKE ").push_bind(pattern);
            q_sql.push(")");
        }
        if let Coverage::Orgs(orgs) = &coverage {
            q_sql.push(" AND u.organization_id IN (");
            for (i, org) in orgs.iter().enumerate() {
                if i > 0 {
                    q_sql.push(", ");
                }
                q_sql.push_bind(*org);
            }
            q_sql.push(")");
        }
    };
    let mut count = Query::new("SELECT COUNT(*) FROM users u WHERE 1 = 1");
    conditions(&mut count);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut page = Query::new(format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE 1 = 1"
    ));
    conditions(&mut page);
    page.push(" ORDER BY u.username LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(page).await?, total))
}

/// The editable fields of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct UserEdit {
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// The organisation.
    pub organization_id: Option<i64>,
    /// The person in the directory.
    pub person_id: Option<i64>,
}

/// Updates an account's profile.
pub async fn update_user(ex: &impl Exec, id: i64, edit: &UserEdit, now: DateTime<Utc>) -> Result<(), DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE users SET display_name = $1, email = $2, organization_id = $3, person_id = $4, updated_at = $5 \
                 WHERE id = $6",
            )
            .bind(edit.display_name.as_str())
            .bind(edit.email.clone())
            .bind(edit.organization_id)
            .bind(edit.person_id)
            .bind(now)
            .bind(id),
        )
        .await?;
    if n == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// Sets a new password hash.
pub async fn set_password(
    ex: &impl Exec,
    id: i64,
    password_hash: &str,
    must_change: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(password_hash)
        .bind(must_change)
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// Enables or disables an account.
pub async fn set_status(ex: &impl Exec, id: i64, status: UserStatus, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(now)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Records a successful sign-in.
pub async fn record_login(ex: &impl Exec, id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE users SET last_login_at = $1 WHERE id = $2").bind(now).bind(id)).await?;
    Ok(())
}

/// A stored grant with its id and the organisation's name.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct GrantRow {
    /// Row id.
    pub id: i64,
    /// Role code.
    pub role: String,
    /// `province`, `organization` or `subtree`.
    pub scope_kind: String,
    /// The scope's organisation.
    pub organization_id: Option<i64>,
    /// Its name.
    pub organization_name: Option<String>,
}

impl GrantRow {
    /// The core grant, or `None` for a row with an unknown role (written by a newer version).
    pub fn grant(&self) -> Option<Grant> {
        let role = Role::from_code(&self.role)?;
        let scope = match (self.scope_kind.as_str(), self.organization_id) {
            ("province", _) => Scope::Province,
            ("organization", Some(id)) => Scope::Organization(id),
            ("subtree", Some(id)) => Scope::Subtree(id),
            _ => return None,
        };
        Some(Grant { role, scope })
    }
}

/// The stored form of a scope.
pub fn scope_parts(scope: &Scope) -> (&'static str, Option<i64>) {
    match scope {
        Scope::Province => ("province", None),
        Scope::Organization(id) => ("organization", Some(*id)),
        Scope::Subtree(id) => ("subtree", Some(*id)),
    }
}

/// The grants of an account.
pub async fn grants(ex: &impl Exec, user_id: i64) -> Result<Vec<GrantRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT g.id, g.role, g.scope_kind, g.organization_id, o.name AS organization_name FROM role_grants g \
             LEFT JOIN organizations o ON o.id = g.organization_id WHERE g.user_id = $1 ORDER BY g.id",
        )
        .bind(user_id),
    )
    .await
}

/// The grants of several accounts at once (a page of a list), by account, in grant order.
pub async fn grants_of_users(ex: &impl Exec, user_ids: &[i64]) -> Result<Vec<(i64, GrantRow)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: i64,
        #[sqlx(flatten)]
        grant: GrantRow,
    }
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT g.user_id, g.id, g.role, g.scope_kind, g.organization_id, o.name AS organization_name \
         FROM role_grants g LEFT JOIN organizations o ON o.id = g.organization_id WHERE g.user_id IN (",
    );
    for (i, id) in user_ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(") ORDER BY g.user_id, g.id");
    let rows: Vec<Row> = ex.fetch_all(q).await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.grant)).collect())
}

/// Adds a grant; an identical one is a unique violation on `role_grants_unique`.
pub async fn add_grant(
    ex: &impl Exec,
    user_id: i64,
    grant: &Grant,
    granted_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (kind, org) = scope_parts(&grant.scope);
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO role_grants (user_id, role, scope_kind, organization_id, granted_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user_id)
            .bind(grant.role.code())
            .bind(kind)
            .bind(org)
            .bind(granted_by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Removes a grant of an account; returns whether it existed.
pub async fn remove_grant(ex: &impl Exec, user_id: i64, grant_id: i64) -> Result<bool, DbError> {
    Ok(ex
        .execute(Query::new("DELETE FROM role_grants WHERE id = $1 AND user_id = $2").bind(grant_id).bind(user_id))
        .await?
        == 1)
}

/// A session with its account, as loaded on every signed-in request.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SessionRecord {
    /// The account.
    pub user_id: i64,
    /// The synchroniser token for forms.
    pub csrf_token: String,
    /// Created (for the absolute timeout).
    pub created_at: DateTime<Utc>,
    /// Last request (for the idle timeout).
    pub last_seen_at: DateTime<Utc>,
    /// The absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// `active` or `disabled`.
    pub status: String,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
    /// The account's organisation.
    pub organization_id: Option<i64>,
}

/// A new session.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Hash of the cookie value.
    pub id_hash: &'a str,
    /// The account.
    pub user_id: i64,
    /// Synchroniser token.
    pub csrf_token: &'a str,
    /// The absolute expiry.
    pub expires_at: DateTime<Utc>,
    /// Client IP.
    pub ip: Option<&'a str>,
    /// Client user agent (truncated).
    pub user_agent: Option<&'a str>,
}

/// Stores a new session.
pub async fn create_session(ex: &impl Exec, s: &NewSession<'_>, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
        )
        .bind(s.id_hash)
        .bind(s.user_id)
        .bind(s.csrf_token)
        .bind(now)
        .bind(s.expires_at)
        .bind(s.ip.map(str::to_owned))
        .bind(s.user_agent.map(|ua| ua.chars().take(300).collect::<String>())),
    )
    .await?;
    Ok(())
}

/// Loads a session and its account by the hash of the cookie value.
pub async fn session(ex: &impl Exec, id_hash: &str) -> Result<Option<SessionRecord>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, \
             u.status, u.must_change_password, u.organization_id FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1",
        )
        .bind(id_hash),
    )
    .await
}

/// Loads a session, its account, the account's grants and its number of unread notifications (for the
/// bell of every page) in one query (this runs on every signed-in request).
pub async fn session_with_grants(
    ex: &impl Exec,
    id_hash: &str,
) -> Result<Option<(SessionRecord, Vec<Grant>, i64)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        session: SessionRecord,
        role: Option<String>,
        scope_kind: Option<String>,
        grant_org: Option<i64>,
        unread_notifications: i64,
    }
    let rows: Vec<Row> = ex
        .fetch_all(
            Query::new(
                "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, \
                 u.status, u.must_change_password, u.organization_id, g.role, g.scope_kind, g.organization_id AS grant_org, \
                 (SELECT COUNT(*) FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) \
                 AS unread_notifications FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN role_grants g ON g.user_id = s.user_id \
                 WHERE s.id_hash = $1",
            )
            .bind(id_hash),
        )
        .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let session = first.session.clone();
    let unread = first.unread_notifications;
    let grants = rows
        .iter()
        .filter_map(|r| {
            let row = GrantRow {
                id: 0,
                role: r.role.clone()?,
                scope_kind: r.scope_kind.clone()?,
                organization_id: r.grant_org,
                organization_name: None,
            };
            row.grant()
        })
        .collect();
    Ok(Some((session, grants, unread)))
}

/// Records activity on a session.
pub async fn touch_session(ex: &impl Exec, id_hash: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind(now).bind(id_hash)).await?;
    Ok(())
}

/// Ends one session.
pub async fn delete_session(ex: &impl Exec, id_hash: &str) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash)).await?;
    Ok(())
}

/// Ends every session of an account (disabled, password changed), except `keep`.
pub async fn delete_sessions_of(ex: &impl Exec, user_id: i64, keep: Option<&str>) -> Result<u64, DbError> {
    ex.execute(
        Query::new("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or_default()),
    )
    .await
}

/// Deletes sessions past their absolute expiry or idle since `idle_before`.
pub async fn purge_sessions(ex: &impl Exec, now: DateTime<Utc>, idle_before: DateTime<Utc>) -> Result<u64, DbError> {
    ex.execute(
        Query::new("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2").bind(now).bind(idle_before),
    )
    .await
}

/// A personal API token as listed (never the secret).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ApiToken {
    /// Row id.
    pub id: i64,
    /// The account.
    pub user_id: i64,
    /// What the user named it.
    pub name: String,
    /// The first characters, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Optional expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

const TOKEN_COLUMNS: &str = "id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at";

/// Stores a new token (its hash).
pub async fn create_token(
    ex: &impl Exec,
    user_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(prefix)
            .bind(now)
            .bind(expires_at),
        )
        .await?;
    Ok(id)
}

/// The tokens of an account, newest first.
pub async fn tokens_of(ex: &impl Exec, user_id: i64) -> Result<Vec<ApiToken>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")).bind(user_id),
    )
    .await
}

/// Revokes a token of an account; returns whether it was active.
pub async fn revoke_token(ex: &impl Exec, user_id: i64, token_id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now)
                .bind(token_id)
                .bind(user_id),
        )
        .await?
        == 1)
}

/// Revokes every active token of an account; how many were active.
pub async fn revoke_tokens_of(ex: &impl Exec, user_id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
    ex.execute(
        Query::new("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(user_id),
    )
    .await
}

/// Finds a token by its hash, whatever its state; the caller checks revocation and expiry.
pub async fn token_by_hash(ex: &impl Exec, token_hash: &str) -> Result<Option<ApiToken>, DbError> {
    ex.fetch_optional(
        Query::new(format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1")).bind(token_hash),
    )
    .await
}

/// Records the use of a token.
pub async fn touch_token(ex: &impl Exec, token_id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(token_id)).await?;
    Ok(())
}

/// Stores a one-time password reset (its hash).
pub async fn create_reset(
    ex: &impl Exec,
    user_id: i64,
    token_hash: &str,
    created_by: Option<i64>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO password_resets (user_id, token_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(created_by)
        .bind(now)
        .bind(expires_at),
    )
    .await?;
    Ok(())
}

/// The account of a valid, unused reset link, without using it.
pub async fn reset_user(ex: &impl Exec, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::new(
                "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(now),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Uses a reset link: returns its account when it was valid and unused, and marks it used.
pub async fn consume_reset(ex: &impl Exec, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>, DbError> {
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::new(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
                 RETURNING user_id",
            )
            .bind(now)
            .bind(token_hash),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Retires every unused reset link of an account (marks it used), so that only a link issued afterwards
/// works; how many were outstanding.
pub async fn retire_resets_of(ex: &impl Exec, user_id: i64, now: DateTime<Utc>) -> Result<u64, DbError> {
    ex.execute(
        Query::new("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(user_id),
    )
    .await
}

/// The throttle state of a key (`user:<name>` or `ip:<address>`).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Throttle {
    /// Failures in the current window.
    pub failures: i64,
    /// When the window started.
    pub window_start: DateTime<Utc>,
    /// Locked until this instant.
    pub locked_until: Option<DateTime<Utc>>,
}

/// Reads the throttle state of a key.
pub async fn throttle(ex: &impl Exec, key: &str) -> Result<Option<Throttle>, DbError> {
    ex.fetch_optional(
        Query::new("SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1").bind(key),
    )
    .await
}

/// Counts one more sign-in attempt for a key in one atomic statement (so that parallel attempts cannot
/// overwrite each other's count) and returns the new state: the count restarts when the window that began
/// at `window_start` is older than `window_from`.
pub async fn count_attempt(
    ex: &impl Exec,
    key: &str,
    now: DateTime<Utc>,
    window_from: DateTime<Utc>,
) -> Result<Throttle, DbError> {
    ex.fetch_one(
        Query::new(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, NULL) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.failures + 1 ELSE 1 END, \
             window_start = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.window_start ELSE $2 END \
             RETURNING failures, window_start, locked_until",
        )
        .bind(key)
        .bind(now)
        .bind(window_from),
    )
    .await
}

/// Locks a key until an instant (a later lock already in force is kept).
pub async fn lock_throttle(ex: &impl Exec, key: &str, until: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE login_throttle SET locked_until = $2 WHERE key = $1 AND (locked_until IS NULL OR locked_until < $2)",
        )
        .bind(key)
        .bind(until),
    )
    .await?;
    Ok(())
}

/// Takes back one counted attempt of a key (an attempt that turned out to be a successful sign-in).
pub async fn uncount_attempt(ex: &impl Exec, key: &str) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0").bind(key),
    )
    .await?;
    Ok(())
}

/// Forgets the failures of a key (after a successful sign-in).
pub async fn clear_throttle(ex: &impl Exec, key: &str) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM login_throttle WHERE key = $1").bind(key)).await?;
    Ok(())
}
