//! The portal's settings: how comments are moderated (moderators and province-wide administrators) and
//! the footer with the trust badge (administrators). Every change is audited with the fields before and
//! after, and changes every public page.

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::PortalSettings;
use tiendo_core::portal::settings::{FooterForm, ModerationForm};
use tiendo_db::Tx;
use tiendo_db::audit::Change;

use super::media::{self, Upload};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, check};

/// Saves the moderation settings: pre-moderation, closing, reports, limits and the word list. `Forbidden`
/// for anyone but moderators and province-wide administrators; `Invalid` with the fields at fault.
pub async fn save_moderation(app: &App, session: &Session, form: &ModerationForm) -> Result<()> {
    if !authorize(&session.actor, Action::Edit, &Resource::ModerationSettings).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let current = tiendo_db::portal::settings(app.db()).await?;
    let next = current
        .with_moderation(form)
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let tx = app.begin().await?;
    save(app, &tx, session, &current, &next, "audit-portal-settings-moderation").await?;
    tx.commit().await?;
    Ok(())
}

/// The footer as sent, with the trust badge's image if one came along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FooterChange {
    /// The footer's fields.
    pub form: FooterForm,
    /// A new badge image (re-encoded like every photo).
    pub badge: Upload,
    /// Remove the badge (taken only when no badge link is given).
    pub remove_badge: bool,
}

/// Saves the footer and the trust badge (province-wide administrators). `Invalid` with the fields at
/// fault, the badge's image (`badge`) among them.
pub async fn save_footer(app: &App, session: &Session, change: FooterChange) -> Result<()> {
    if !authorize(&session.actor, Action::Edit, &Resource::Settings).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let current = tiendo_db::portal::settings(app.db()).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let next = match current.with_footer(&change.form) {
        Ok(next) => Some(next),
        Err(issues) => {
            errors.extend(issues.into_iter().map(FieldError::from));
            None
        }
    };
    let badge = match media::process_upload(change.badge, "badge").await? {
        Ok(badge) => badge,
        Err(problem) => {
            errors.push(problem);
            None
        }
    };
    check(errors)?;
    let mut next = next.unwrap_or_else(|| current.clone());
    let tx = app.begin().await?;
    if let Some(image) = badge {
        let alt = if next.badge_alt.is_empty() { "Tín nhiệm mạng".to_owned() } else { next.badge_alt.clone() };
        next.badge_media_id = Some(media::store(app, &tx, &image, None, "", &alt, session.user_id()).await?);
    }
    if change.form.badge_link.trim().is_empty() && change.remove_badge {
        next.badge_media_id = None;
    }
    save(app, &tx, session, &current, &next, "audit-portal-settings-footer").await?;
    tx.commit().await?;
    Ok(())
}

/// Stores the settings in `tx` (the stamp moves with them: the footer is on every public page) and audits
/// the fields that changed.
async fn save(
    app: &App,
    tx: &Tx,
    session: &Session,
    before: &PortalSettings,
    after: &PortalSettings,
    key: &'static str,
) -> Result<()> {
    tiendo_db::portal::save_settings(tx, after).await?;
    let b = serde_json::to_value(before).unwrap_or_default();
    let a = serde_json::to_value(after).unwrap_or_default();
    let mut changes = Vec::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, v) in a {
            if b.get(k) != Some(v) {
                changes.push(Change::new(k, b.get(k), v));
            }
        }
    }
    audit::record(app, tx, session, Entry::new("portal_settings", "settings", "portal", key).changes(changes)).await?;
    Ok(())
}
