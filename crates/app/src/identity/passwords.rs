//! A signed-in user changes their own password.

use tiendo_db::identity;

use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, password};

/// A password change as typed.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    /// The password in use.
    pub current: String,
    /// The new one.
    pub new: String,
    /// The new one again.
    pub confirmation: String,
}

/// Checks the current password, sets the new one and ends the user's other sessions (all but `keep`,
/// the stored id of the session making the change). `Invalid` on `current_password` (`password_wrong`),
/// `new_password` (a weakness, with the minimum length) or `confirm_password` (`password_mismatch`).
pub async fn change(app: &App, session: &Session, change: PasswordChange, keep: Option<&str>) -> Result<()> {
    let me = session.require_user()?;
    let (user, stored) = identity::user_for_login(app.db(), &me.username).await?.ok_or(Error::Unauthorized)?;
    let mut errors = Vec::new();
    if !password::verify(change.current, Some(stored)).await {
        errors.push(FieldError::new("current_password", "password_wrong"));
    }
    if let Err(weak) = password::check_strength(&change.new, &user.username) {
        errors.push(FieldError::new("new_password", weak.code()).arg("min", password::MIN_LENGTH));
    } else if change.new != change.confirmation {
        errors.push(FieldError::new("confirm_password", "password_mismatch"));
    }
    crate::check(errors)?;
    let hash = password::hash(change.new).await.map_err(|e| Error::internal(std::io::Error::other(e.to_string())))?;
    let tx = app.begin().await?;
    // A link issued before the change would undo it: every outstanding link is retired.
    identity::retire_resets_of(&tx, user.id, app.now()).await?;
    identity::set_password(&tx, user.id, &hash, false, app.now()).await?;
    identity::delete_sessions_of(&tx, user.id, keep).await?;
    audit::record(app, &tx, session, Entry::new("change_password", "user", user.id, "audit-password-changed")).await?;
    tx.commit().await?;
    Ok(())
}
