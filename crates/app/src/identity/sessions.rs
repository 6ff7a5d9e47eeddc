//! Signing in and out, and setting a password through a one-time link.

use chrono::Duration;
use tiendo_db::identity::{self, User};

use crate::audit::{self, Entry};
use crate::identity::throttle;
use crate::{App, Error, FieldError, Result, Session, password, secret};

/// What a sign-in sends.
#[derive(Debug, Clone, Default)]
pub struct SignIn {
    /// The account name as typed.
    pub username: String,
    /// The password as typed.
    pub password: String,
    /// The cookie value of a session this browser already had (ended, so the id always changes).
    pub previous_session: Option<String>,
    /// The browser, for the account's list of sessions.
    pub user_agent: Option<String>,
}

/// A session that started.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The secret the session cookie carries (only its hash is stored).
    pub session_secret: String,
    /// The account.
    pub user: User,
}

/// Signs in with a name and a password (`session` is the public visitor, for the client address and the
/// request id). Every attempt is counted before the password is checked, per account name and per client
/// address, so that parallel attempts are all counted.
///
/// Outcomes: `Invalid` when a field is empty; `TooManyAttempts` while a name or an address is locked;
/// `Unauthorized` for a wrong name or password (the same for an unknown name, and as slow); otherwise the
/// new session, recorded with the sign-in in one transaction.
pub async fn sign_in(app: &App, session: &Session, request: SignIn) -> Result<SignedIn> {
    let username = tiendo_core::text::normalize_input(&request.username).to_lowercase();
    let mut missing = Vec::new();
    if username.is_empty() {
        missing.push(FieldError::new("username", "required"));
    }
    if request.password.is_empty() {
        missing.push(FieldError::new("password", "required"));
    }
    crate::check(missing)?;
    let now = app.now();
    let keys = throttle::keys(&username, session.who.ip.as_deref());
    if let Err(until) = throttle::begin_attempt(app, &keys, now).await? {
        let retry_after_secs = u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1);
        return Err(Error::TooManyAttempts { retry_after_secs });
    }
    let found = identity::user_for_login(app.db(), &username).await?;
    let (user, stored) = match found {
        Some((user, hash)) if user.is_active() => (Some(user), Some(hash)),
        Some((user, _)) => (Some(user), None),
        None => (None, None),
    };
    let ok = password::verify(request.password, stored).await;
    let Some(user) = user.filter(|_| ok) else {
        throttle::failed(app, &keys, now).await?;
        let mut attempt = session.clone();
        attempt.who.label = format!("login:{username}");
        let tx = app.begin().await?;
        audit::record(
            app,
            &tx,
            &attempt,
            Entry::general("login_failed", "session", "audit-login-failed").arg("username", &username),
        )
        .await?;
        tx.commit().await?;
        return Err(Error::Unauthorized);
    };
    // Every write of a sign-in in one transaction: one turn of the database's write lock.
    let tx = app.begin().await?;
    identity::clear_throttle(&tx, &keys[0].0).await?;
    if let Some((ip_key, _)) = keys.get(1) {
        identity::uncount_attempt(&tx, ip_key).await?;
    }
    if let Some(previous) = &request.previous_session {
        identity::delete_session(&tx, &secret::digest(previous)).await?;
    }
    let session_secret = secret::random_hex(32);
    let absolute = Duration::from_std(app.settings().session_absolute).unwrap_or(Duration::hours(12));
    identity::create_session(
        &tx,
        &identity::NewSession {
            id_hash: &secret::digest(&session_secret),
            user_id: user.id,
            csrf_token: &secret::random_hex(32),
            expires_at: now + absolute,
            ip: session.who.ip.as_deref(),
            user_agent: request.user_agent.as_deref(),
        },
        now,
    )
    .await?;
    identity::record_login(&tx, user.id, now).await?;
    let mut signed_in = session.clone();
    signed_in.who.user_id = Some(user.id);
    signed_in.who.label = user.username.clone();
    audit::record(app, &tx, &signed_in, Entry::new("login", "user", user.id, "audit-login")).await?;
    tx.commit().await?;
    Ok(SignedIn { session_secret, user })
}

/// Ends the session whose stored id is `id_hash` (the actor's own).
pub async fn sign_out(app: &App, session: &Session, id_hash: &str) -> Result<()> {
    let tx = app.begin().await?;
    identity::delete_session(&tx, id_hash).await?;
    if let Some(user) = &session.user {
        audit::record(app, &tx, session, Entry::new("logout", "user", user.id, "audit-logout")).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The account a one-time password link is for, while the link is valid.
pub async fn reset_link_account(app: &App, link_secret: &str) -> Result<Option<User>> {
    let Some(user_id) = identity::reset_user(app.db(), &secret::digest(link_secret), app.now()).await? else {
        return Ok(None);
    };
    Ok(identity::user(app.db(), user_id).await?)
}

/// What happens to the account's API tokens when its password is reset through a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokensOnReset {
    /// Every token is revoked (the default: whoever had the old password may have made one).
    #[default]
    Revoke,
    /// The tokens keep working (the owner says they are safe, e.g. a script's token).
    Keep,
}

/// Sets a new password through a one-time link: the link and every other outstanding link of the account
/// are used up, every session of the account ends and, unless `tokens` says keep, every API token is
/// revoked. `NotFound` when the link is unknown, used or expired; `Invalid` (`new_password`,
/// `confirm_password`) for a weak password or a confirmation that differs.
pub async fn reset_password(
    app: &App,
    session: &Session,
    link_secret: &str,
    new_password: String,
    confirmation: &str,
    tokens: TokensOnReset,
) -> Result<()> {
    let user = reset_link_account(app, link_secret).await?.ok_or(Error::NotFound)?;
    if let Err(weak) = password::check_strength(&new_password, &user.username) {
        return Err(Error::Invalid(vec![
            FieldError::new("new_password", weak.code()).arg("min", password::MIN_LENGTH),
        ]));
    }
    if new_password != confirmation {
        return Err(Error::invalid("confirm_password", "password_mismatch"));
    }
    let new_hash =
        password::hash(new_password).await.map_err(|e| Error::internal(std::io::Error::other(e.to_string())))?;
    let now = app.now();
    let tx = app.begin().await?;
    if identity::consume_reset(&tx, &secret::digest(link_secret), now).await?.is_none() {
        return Err(Error::NotFound);
    }
    identity::retire_resets_of(&tx, user.id, now).await?;
    identity::set_password(&tx, user.id, &new_hash, false, now).await?;
    identity::delete_sessions_of(&tx, user.id, None).await?;
    let revoked = match tokens {
        TokensOnReset::Revoke => identity::revoke_tokens_of(&tx, user.id, now).await?,
        TokensOnReset::Keep => 0,
    };
    let mut owner = session.clone();
    owner.who.user_id = Some(user.id);
    owner.who.label = user.username.clone();
    let entry = match tokens {
        TokensOnReset::Revoke => {
            Entry::new("reset_password", "user", user.id, "audit-reset-password-tokens-revoked").arg("tokens", revoked)
        }
        TokensOnReset::Keep => Entry::new("reset_password", "user", user.id, "audit-reset-password-by-link"),
    };
    audit::record(app, &tx, &owner, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A session that is still valid, with its account's grants.
#[derive(Debug, Clone)]
pub struct Resumed {
    /// The session and its account.
    pub session: identity::SessionRecord,
    /// The account's grants.
    pub grants: Vec<tiendo_core::authz::Grant>,
    /// The account's unread notifications.
    pub unread_notifications: i64,
}

/// The session whose cookie carries `cookie_secret`, while it is valid: a session past its absolute
/// expiry, idle longer than `Settings::session_idle`, or of a disabled account is ended (`None`). Its
/// last activity is recorded at most once a minute, so that readers do not queue behind writes.
pub async fn resume(app: &App, cookie_secret: &str) -> Result<Option<Resumed>> {
    let id_hash = secret::digest(cookie_secret);
    let Some((record, grants, unread_notifications)) = identity::session_with_grants(app.db(), &id_hash).await? else {
        return Ok(None);
    };
    let now = app.now();
    let idle = Duration::from_std(app.settings().session_idle).unwrap_or(Duration::minutes(30));
    if record.expires_at <= now || record.last_seen_at + idle <= now || record.status != "active" {
        identity::delete_session(app.db(), &id_hash).await?;
        return Ok(None);
    }
    if now - record.last_seen_at > Duration::seconds(60) {
        identity::touch_session(app.db(), &id_hash, now).await?;
    }
    Ok(Some(Resumed { session: record, grants, unread_notifications }))
}
