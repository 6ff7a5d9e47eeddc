//! The colours of the derived states: those an administrator chose, the defaults for the others, and
//! choosing them (each `#rrggbb` and readable with white text).

use std::collections::BTreeMap;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::StatusKind;
use tiendo_core::monitoring::colors::{MIN_CONTRAST, contrast_with_white, default_color, valid_color};
use tiendo_db::audit::Change;
use tiendo_db::monitoring::status_colors;

use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The colour of each state, in the order of [`StatusKind::ALL`]: the one chosen, else the default.
pub async fn colors(app: &App) -> Result<Vec<(StatusKind, String)>> {
    let stored = status_colors::stored(app.db()).await?;
    Ok(StatusKind::ALL
        .into_iter()
        .map(|k| {
            let c =
                stored.get(k.code()).filter(|c| valid_color(c)).cloned().unwrap_or_else(|| default_color(k).to_owned());
            (k, c)
        })
        .collect())
}

/// Whether the actor chooses the colours (a province-wide administrator).
pub fn may_configure(session: &Session) -> bool {
    authorize(&session.actor, Action::Edit, &Resource::Settings).is_allowed()
}

/// Chooses the colour of every state (by state code; spaces and case are ignored). Each must be `#rrggbb`
/// (`color_format`) with a contrast of at least 4.5:1 with white text (`color_contrast`, argument `ratio`);
/// the fields are named by the states' codes. One audit event with the colours that changed.
pub async fn save(app: &App, session: &Session, chosen: &BTreeMap<String, String>) -> Result<()> {
    if !may_configure(session) {
        return Err(Error::FORBIDDEN);
    }
    let before = colors(app).await?;
    let mut errors = Vec::new();
    let mut values = BTreeMap::new();
    for kind in StatusKind::ALL {
        let value = chosen.get(kind.code()).map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default();
        if !valid_color(&value) {
            errors.push(FieldError::new(kind.code(), "color_format"));
        } else if contrast_with_white(&value) < MIN_CONTRAST {
            let ratio = format!("{:.1}", contrast_with_white(&value)).replace('.', ",");
            errors.push(FieldError::new(kind.code(), "color_contrast").arg("ratio", ratio));
        }
        values.insert(kind.code().to_owned(), value);
    }
    crate::check(errors)?;
    let changes: Vec<Change> = before
        .iter()
        .filter_map(|(kind, old)| {
            let new = &values[kind.code()];
            (new != old).then(|| Change::new(kind.code(), old.as_str(), new.as_str()))
        })
        .collect();
    let tx = app.begin().await?;
    status_colors::save(&tx, &values, app.now()).await?;
    let entry = Entry::new("update", "setting", status_colors::KEY, "audit-monitoring-colors-saved").changes(changes);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}
