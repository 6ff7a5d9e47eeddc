//! Personal API tokens: a user creates one (shown once, only its hash is stored) and revokes it; an
//! administrator revokes a token of an account they manage (when a person leaves); the API authenticates
//! requests with them.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use tiendo_core::authz::{Action, Grant, Resource, authorize};
use tiendo_db::identity::{self, ApiToken, User};

use super::accounts::managed;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, secret};

/// The longest name of a token.
pub const MAX_NAME: usize = 80;

/// A token to create, as typed.
#[derive(Debug, Clone, Default)]
pub struct TokenDraft {
    /// What the user calls it ("Báo cáo tự động").
    pub name: String,
    /// The last day it works (`dd/mm/yyyy`), or empty for no expiry.
    pub expires_on: String,
}

/// A token just created.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Its id.
    pub id: i64,
    /// The secret, to show once.
    pub secret: String,
}

/// The end of a day in Vietnam as an instant.
fn end_of(day: NaiveDate) -> Option<DateTime<Utc>> {
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// Creates a personal token for the signed-in user. `Invalid` for a missing or too long `name`, an
/// `expires_on` that is not a date (`date_format`) or not after today (`date_past`).
pub async fn create(app: &App, session: &Session, draft: &TokenDraft) -> Result<NewToken> {
    let me = session.require_user()?.id;
    if !authorize(&session.actor, Action::Create, &Resource::OwnAccount { user_id: me }).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let mut errors = Vec::new();
    let name = tiendo_core::text::normalize_input(&draft.name);
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", "too_long").arg("max", MAX_NAME));
    }
    let expires = match draft.expires_on.trim() {
        "" => None,
        text => match tiendo_core::fmt::parse_date(text) {
            None => {
                errors.push(FieldError::new("expires_on", "date_format"));
                None
            }
            Some(d) if d <= app.today() => {
                errors.push(FieldError::new("expires_on", "date_past"));
                None
            }
            // The token works until the end of that day in Vietnam.
            Some(d) => end_of(d),
        },
    };
    crate::check(errors)?;
    let token = secret::new_api_token();
    let tx = app.begin().await?;
    let id = identity::create_token(&tx, me, &name, &secret::digest(&token), &token[..10], expires, app.now()).await?;
    let entry = Entry::new("create_token", "user", me, "audit-token-created").arg("name", &name).arg("id", id);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(NewToken { id, secret: token })
}

/// Revokes one of the signed-in user's tokens; `NotFound` for another's, an unknown or a revoked one.
pub async fn revoke_own(app: &App, session: &Session, token_id: i64) -> Result<()> {
    let me = session.require_user()?.id;
    let tx = app.begin().await?;
    if !identity::revoke_token(&tx, me, token_id, app.now()).await? {
        return Err(Error::NotFound);
    }
    let entry = Entry::new("revoke_token", "user", me, "audit-token-revoked").arg("id", token_id);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator revokes a token of an account they manage; `NotFound` for an unknown or revoked
/// token, or an account outside their scope.
pub async fn revoke_of_account(app: &App, session: &Session, user_id: i64, token_id: i64) -> Result<()> {
    let (user, path) = managed(app, session, user_id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    let tx = app.begin().await?;
    if !identity::revoke_token(&tx, user_id, token_id, app.now()).await? {
        return Err(Error::NotFound);
    }
    let entry = Entry::new("revoke_token", "user", user_id, "audit-token-revoked-by-admin")
        .arg("id", token_id)
        .arg("username", &user.username);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a stored token works at `now`.
pub fn is_active(token: &ApiToken, now: DateTime<Utc>) -> bool {
    token.revoked_at.is_none() && token.expires_at.is_none_or(|e| e > now)
}

/// The account behind a bearer token, with its grants and the token's id, when the token is known,
/// neither revoked nor expired, and its account active. Its last use is recorded (at most once a
/// minute, so that readers do not queue behind writes).
pub async fn authenticate(app: &App, token: &str) -> Result<Option<(User, Vec<Grant>, i64)>> {
    let Some(record) = identity::token_by_hash(app.db(), &secret::digest(token)).await? else {
        return Ok(None);
    };
    let now = app.now();
    if !is_active(&record, now) {
        return Ok(None);
    }
    let Some(user) = identity::user(app.db(), record.user_id).await?.filter(User::is_active) else {
        return Ok(None);
    };
    if record.last_used_at.is_none_or(|t| now - t > chrono::Duration::seconds(60)) {
        identity::touch_token(app.db(), record.id, now).await?;
    }
    let grants = identity::grants(app.db(), user.id).await?.iter().filter_map(identity::GrantRow::grant).collect();
    Ok(Some((user, grants, record.id)))
}
