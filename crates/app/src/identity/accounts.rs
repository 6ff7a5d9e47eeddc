//! Accounts: an administrator (or an operator at the command line) creates one, edits its profile,
//! disables or enables it, and issues one-time password links. An administrator manages the accounts of
//! the organisations their administrator role covers; an account outside that scope is `NotFound`.

use chrono::Duration;
use tiendo_core::authz::account::{self as workflow, AccountAction, AccountFacts, AccountStatus};
use tiendo_core::authz::{Action, Grant, OrgId, Resource, Role, authorize};
use tiendo_core::lang::Lang;
use tiendo_db::Tx;
use tiendo_db::audit::Diff;
use tiendo_db::identity::{self, NewUser, User, UserEdit, UserStatus};
use tiendo_db::orgtree;

use super::roles;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr, password, secret};

/// The longest name shown.
pub const MAX_DISPLAY_NAME: usize = 120;

/// The profile of an account as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct ProfileDraft {
    /// The name shown.
    pub display_name: String,
    /// E-mail for password links, or empty.
    pub email: String,
    /// The organisation's id, or empty.
    pub organization_id: String,
}

/// How a one-time password link reaches the account's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkDelivery {
    /// By e-mail when outgoing mail is configured and the account has an address, otherwise shown to the
    /// caller to pass on (the administrator page).
    #[default]
    Auto,
    /// Always shown to the caller (the command line prints it).
    Show,
}

/// How a password link reached its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetDelivery {
    /// Shown once to the caller, who passes it on.
    Shown(String),
    /// E-mailed to this address through the job queue.
    Emailed(String),
}

/// An account to create.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    /// The login name as typed (trimmed and lowered here).
    pub username: String,
    /// The profile.
    pub profile: ProfileDraft,
    /// Roles to grant at once, each inside the caller's own scope.
    pub roles: Vec<Grant>,
    /// The first password (the command line's `--password-stdin`); none issues a one-time link instead,
    /// so that nobody but the owner knows the password.
    pub password: Option<String>,
    /// How the link reaches the owner.
    pub delivery: LinkDelivery,
}

/// An account just created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The account.
    pub id: i64,
    /// Its login name.
    pub username: String,
    /// The password link, when no password was given.
    pub reset: Option<ResetDelivery>,
}

/// The status of a stored account.
pub fn status_of(user: &User) -> AccountStatus {
    AccountStatus::from_code(&user.status)
}

/// The facts of the status workflow of an account whose organisation is at `org_path`.
pub fn facts<'a>(user: &User, org_path: &'a [OrgId]) -> AccountFacts<'a> {
    AccountFacts { id: user.id, status: status_of(user), org_path }
}

/// An account the actor administers, with its organisation's path; `NotFound` for an unknown account or
/// one outside the actor's scope (its existence is not revealed).
pub async fn managed(app: &App, session: &Session, id: i64) -> Result<(User, Vec<OrgId>)> {
    let user = identity::user(app.db(), id).await?.ok_or(Error::NotFound)?;
    let path = orgtree::path_of(app.db(), user.organization_id).await?;
    if !authorize(&session.actor, Action::View, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    Ok((user, path))
}

/// A page of the accounts the actor administers, matching `q`, ordered by username, and how many there
/// are in all.
pub async fn list(app: &App, session: &Session, q: Option<&str>, offset: i64, limit: i64) -> Result<(Vec<User>, i64)> {
    let scope = session.scope(app).await?;
    Ok(identity::administered_users(app.db(), scope, q, offset, limit).await?)
}

/// `Forbidden` unless the actor administers accounts somewhere.
fn require_administrator(session: &Session) -> Result<()> {
    if session.actor.has_role(Role::Administrator) {
        Ok(())
    } else if session.user.is_none() && session.actor.grants.is_empty() {
        Err(Error::Unauthorized)
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// A validated profile.
struct Profile {
    display_name: String,
    email: Option<String>,
    organization_id: Option<i64>,
}

/// Checks a profile, adding every problem to `errors`: the name (required, at most 120 characters), the
/// e-mail's form, the organisation (known, and inside the actor's scope: `scope_outside`).
async fn check_profile(
    app: &App,
    session: &Session,
    draft: &ProfileDraft,
    errors: &mut Vec<FieldError>,
) -> Result<Profile> {
    let display_name = tiendo_core::text::normalize_input(&draft.display_name);
    if display_name.is_empty() {
        errors.push(FieldError::new("display_name", "required"));
    } else if display_name.chars().count() > MAX_DISPLAY_NAME {
        errors.push(FieldError::new("display_name", "too_long").arg("max", MAX_DISPLAY_NAME));
    }
    let email = tiendo_core::text::normalize_input(&draft.email).to_lowercase();
    if !email.is_empty() && !workflow::valid_email(&email) {
        errors.push(FieldError::new("email", "email_format"));
    }
    let organization_id = match draft.organization_id.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) if orgtree::name(app.db(), id).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError::new("organization_id", "unknown_organization"));
                None
            }
        },
    };
    let known = !errors.iter().any(|e| e.field == "organization_id");
    let org_path = orgtree::path_of(app.db(), organization_id).await?;
    if known && !authorize(&session.actor, Action::Create, &Resource::UserAccount { org_path: &org_path }).is_allowed()
    {
        errors.push(FieldError::new("organization_id", "scope_outside"));
    }
    Ok(Profile { display_name, email: (!email.is_empty()).then_some(email), organization_id })
}

/// Creates an account with its roles, audited, and either sets the password given or issues a one-time
/// link for its owner (valid for `Settings::reset_validity`). `link_base` is the site's address when the
/// settings do not name a public URL. Every invalid field is reported at once (`username`:
/// `username_format`, `username_taken`; `display_name`, `email`, `organization_id`, `password`, `roles`).
pub async fn create(app: &App, session: &Session, new: NewAccount, link_base: &str) -> Result<Created> {
    require_administrator(session)?;
    let mut errors = Vec::new();
    let username = new.username.trim().to_lowercase();
    if username.is_empty() {
        errors.push(FieldError::new("username", "required"));
    } else if !workflow::valid_username(&username) {
        errors.push(FieldError::new("username", "username_format"));
    } else if identity::user_for_login(app.db(), &username).await?.is_some() {
        errors.push(FieldError::new("username", "username_taken"));
    }
    let profile = check_profile(app, session, &new.profile, &mut errors).await?;
    for grant in &new.roles {
        if let Err(problem) = roles::check(app, session, grant).await? {
            let error = FieldError::new("roles", problem).arg("role", grant.role.code());
            errors.push(match grant.scope {
                tiendo_core::authz::Scope::Organization(o) | tiendo_core::authz::Scope::Subtree(o) => {
                    error.arg("id", o)
                }
                tiendo_core::authz::Scope::Province => error,
            });
        }
    }
    if let Some(typed) = &new.password
        && let Err(weak) = password::check_strength(typed, &username)
    {
        errors.push(FieldError::new("password", weak.code()).arg("min", password::MIN_LENGTH));
    }
    crate::check(errors)?;
    // Without a password given, nobody knows this one: the owner sets their own through the link.
    let hash = password::hash(new.password.clone().unwrap_or_else(|| secret::random_hex(32)))
        .await
        .map_err(|e| Error::internal(std::io::Error::other(e.to_string())))?;
    let now = app.now();
    let tx = app.begin().await?;
    let new_user = NewUser {
        username: username.clone(),
        display_name: profile.display_name.clone(),
        email: profile.email.clone(),
        person_id: None,
        organization_id: profile.organization_id,
        password_hash: hash,
        must_change_password: false,
    };
    let id = match identity::create_user(&tx, &new_user, now).await {
        Ok(id) => id,
        Err(e) if e.is_unique_violation_of("username") => return Err(Error::invalid("username", "username_taken")),
        Err(e) => return Err(e.into()),
    };
    let entry = Entry::new("create", "user", id, "audit-account-created")
        .arg("username", &username)
        .change("username", None::<String>, &username)
        .change("display_name", None::<String>, &profile.display_name)
        .change("email", None::<String>, &profile.email)
        .change("organization_id", None::<i64>, profile.organization_id);
    audit::record(app, &tx, session, entry).await?;
    let created = identity::user(&tx, id).await?.ok_or(Error::NotFound)?;
    for grant in &new.roles {
        roles::add(app, &tx, session, &created, *grant).await?;
    }
    let reset = match new.password {
        Some(_) => None,
        None => {
            let delivery = issue_link(app, &tx, session, &created, new.delivery, link_base).await?;
            let entry = Entry::new("issue_reset", "user", id, "audit-password-link-first").arg("username", &username);
            audit::record(app, &tx, session, entry).await?;
            Some(delivery)
        }
    };
    tx.commit().await?;
    Ok(Created { id, username, reset })
}

/// Edits an account's profile (name, e-mail, organisation), audited with the fields that changed.
pub async fn update(app: &App, session: &Session, id: i64, draft: &ProfileDraft) -> Result<()> {
    let (user, path) = managed(app, session, id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    let mut errors = Vec::new();
    let profile = check_profile(app, session, draft, &mut errors).await?;
    crate::check(errors)?;
    let mut diff = Diff::new();
    diff.field("display_name", &user.display_name, &profile.display_name)
        .field("email", &user.email, &profile.email)
        .field("organization_id", &user.organization_id, &profile.organization_id);
    if diff.is_empty() {
        return Ok(());
    }
    let tx = app.begin().await?;
    let edit = UserEdit {
        display_name: profile.display_name,
        email: profile.email,
        organization_id: profile.organization_id,
        person_id: user.person_id,
    };
    identity::update_user(&tx, id, &edit, app.now()).await?;
    let entry = Entry::new("update", "user", id, "audit-account-updated")
        .arg("username", &user.username)
        .changes(diff.into_changes());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or enables an account (the status workflow of `tiendo_core::authz::account`); disabling ends
/// its sessions. `Conflict` `cannot_disable_self` for the actor's own account, `account_status_unchanged`
/// when the account already has that status. Returns the account as it is now.
pub async fn transition(app: &App, session: &Session, id: i64, action: AccountAction) -> Result<User> {
    let (user, path) = managed(app, session, id).await?;
    let next = match workflow::transition(&session.actor, &facts(&user, &path), action) {
        Ok(next) => next,
        Err(workflow::TransitionError::Forbidden) => return Err(Error::NotFound),
        Err(workflow::TransitionError::OwnAccount) => return Err(Error::conflict("cannot_disable_self")),
        Err(workflow::TransitionError::InvalidState) => return Err(Error::conflict("account_status_unchanged")),
    };
    let stored = match next {
        AccountStatus::Active => UserStatus::Active,
        AccountStatus::Disabled => UserStatus::Disabled,
    };
    let tx = app.begin().await?;
    identity::set_status(&tx, id, stored, app.now()).await?;
    let entry = match action {
        AccountAction::Disable => {
            identity::delete_sessions_of(&tx, id, None).await?;
            Entry::new("disable", "user", id, "audit-account-disabled")
        }
        AccountAction::Enable => Entry::new("enable", "user", id, "audit-account-enabled"),
    };
    let entry = entry.arg("username", &user.username).change("status", &user.status, next.code());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    identity::user(app.db(), id).await?.ok_or(Error::NotFound)
}

/// Issues a one-time password link for an account (valid for `Settings::reset_validity`), audited.
/// `link_base` is the site's address when the settings do not name a public URL.
pub async fn issue_reset_link(
    app: &App,
    session: &Session,
    id: i64,
    delivery: LinkDelivery,
    link_base: &str,
) -> Result<ResetDelivery> {
    let (user, path) = managed(app, session, id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    let tx = app.begin().await?;
    let delivered = issue_link(app, &tx, session, &user, delivery, link_base).await?;
    let entry = Entry::new("issue_reset", "user", id, "audit-password-link-reset").arg("username", &user.username);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(delivered)
}

/// Until when signing in to the account is locked after too many failed attempts (per account name,
/// `throttle::PER_ACCOUNT`), if it is now.
pub async fn sign_in_locked_until(app: &App, user: &User) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let key = super::throttle::account_key(&user.username);
    let now = app.now();
    Ok(identity::throttle(app.db(), &key).await?.and_then(|t| t.locked_until).filter(|until| *until > now))
}

/// Lifts the sign-in lock of an account at once (the lock is per account name, so anyone can set it by
/// failing on purpose; the administrator does not make the owner wait), audited. `NotFound` outside the
/// administrator's scope; whether a lock was in place.
pub async fn unlock_sign_in(app: &App, session: &Session, id: i64) -> Result<bool> {
    let (user, path) = managed(app, session, id).await?;
    if !authorize(&session.actor, Action::Edit, &Resource::UserAccount { org_path: &path }).is_allowed() {
        return Err(Error::NotFound);
    }
    let locked = sign_in_locked_until(app, &user).await?.is_some();
    let tx = app.begin().await?;
    identity::clear_throttle(&tx, &super::throttle::account_key(&user.username)).await?;
    let entry = Entry::new("unlock_sign_in", "user", id, "audit-sign-in-unlocked").arg("username", &user.username);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(locked)
}

/// How long a password link stays valid.
pub fn link_validity(app: &App) -> Duration {
    Duration::from_std(app.settings().reset_validity).unwrap_or(Duration::hours(72))
}

/// Stores a new link for `user` inside `tx` and delivers it: by e-mail (Vietnamese and English) when
/// mail is configured, the account has an address and `delivery` allows, otherwise shown.
async fn issue_link(
    app: &App,
    tx: &Tx,
    session: &Session,
    user: &User,
    delivery: LinkDelivery,
    link_base: &str,
) -> Result<ResetDelivery> {
    let token = secret::random_hex(32);
    let now = app.now();
    // One link at a time: a new link retires the ones issued before it.
    identity::retire_resets_of(tx, user.id, now).await?;
    identity::create_reset(tx, user.id, &secret::digest(&token), session.user_id(), now + link_validity(app), now)
        .await?;
    let base = app.settings().public_url.clone().unwrap_or_else(|| link_base.to_owned());
    let link = format!("{}/reset-password/{token}", base.trim_end_matches('/'));
    let email = user.email.clone().filter(|_| app.settings().mail_enabled && delivery == LinkDelivery::Auto);
    let Some(email) = email else {
        return Ok(ResetDelivery::Shown(link));
    };
    let args = [("name", user.display_name.as_str()), ("username", user.username.as_str()), ("link", link.as_str())];
    let (vi, en) = (Tr::new(Lang::Vi), Tr::new(Lang::En));
    let payload = tiendo_db::jobs::EmailPayload {
        to: email.clone(),
        subject: format!("{} / {}", vi.t("mail-reset-subject"), en.t("mail-reset-subject")),
        body: format!(
            "{}\n\n----------\n\n{}",
            vi.t_with("mail-reset-body", &args),
            en.t_with("mail-reset-body", &args)
        ),
    };
    let job = tiendo_db::jobs::NewJob::new(
        tiendo_db::jobs::kinds::SEND_EMAIL,
        serde_json::to_value(&payload).map_err(Error::internal)?,
    );
    tiendo_db::jobs::enqueue(tx, &job).await?;
    Ok(ResetDelivery::Emailed(email))
}
