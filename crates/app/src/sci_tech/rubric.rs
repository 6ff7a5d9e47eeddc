//! A council's settings (rubric, aggregation rules, quorum, conflict horizon), changed by the staff for one
//! council until its first sheet is sent: its kind's settings from `councils.toml` are where it starts.

use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::council::{CouncilSettings, CouncilState};
use tiendo_core::sci_tech::rubric::SettingsDraft;
use tiendo_db::sci_tech as stored;

use super::councils::open_council;
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The settings in one line, for the audit trail: each criterion with its maximum (and weight when not 1),
/// the pass average and the zero limit, the quorum, the conflict horizon.
fn summary(s: &CouncilSettings) -> String {
    let num = |x: f64| tiendo_core::fmt::decimal(x, 2, Lang::Vi);
    let criteria: Vec<String> = s
        .criteria
        .iter()
        .map(|c| {
            if (c.weight - 1.0).abs() < f64::EPSILON {
                format!("{} ({})", c.name, num(c.max))
            } else {
                format!("{} ({} × {})", c.name, num(c.max), num(c.weight))
            }
        })
        .collect();
    format!(
        "{}; ≥ {}/100, 0 > {}; {}{}; {} năm",
        criteria.join("; "),
        num(s.rules.pass_average),
        s.rules.zero_limit,
        s.quorum.present,
        if s.quorum.chair_or_vice { " + CT/PCT" } else { "" },
        s.conflict_years
    )
}

/// Replaces a council's settings. `NotFound` when the actor may not see the council; `Forbidden` unless
/// they are the department's staff; `Conflict` `council_closed`, or `settings_locked` once a sheet has
/// been sent (the sheets were typed against the rubric); `Invalid` naming every field at fault
/// (`criteria[i].max`, `pass_average`, `quorum_present`, …). Nothing is written when anything is refused.
pub async fn set_settings(app: &App, session: &Session, id: i64, draft: &SettingsDraft) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.may_manage {
        return Err(Error::FORBIDDEN);
    }
    if opened.state == CouncilState::Closed {
        return Err(Error::conflict("council_closed"));
    }
    if opened.kind.judges_applications() {
        return Err(Error::conflict("settings_fixed"));
    }
    if !stored::sheets(app.db(), id).await?.is_empty() {
        return Err(Error::conflict("settings_locked"));
    }
    let settings =
        draft.validate().map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let tx = app.begin().await?;
    if !stored::set_settings(&tx, id, &settings, app.now()).await? {
        return Err(Error::conflict("settings_locked"));
    }
    let entry = Entry::new("update", entity::COUNCIL, id, "audit-st-council-settings")
        .arg("name", &opened.council.name)
        .change("settings", summary(&opened.council.settings), summary(&settings));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the council's settings may still change: the actor is the staff, it has not closed, and no
/// sheet has been sent.
pub async fn may_set_settings(app: &App, opened: &super::councils::OpenedCouncil) -> Result<bool> {
    Ok(opened.may_manage
        && !opened.kind.judges_applications()
        && opened.state != CouncilState::Closed
        && stored::sheets(app.db(), opened.council.id).await?.is_empty())
}
