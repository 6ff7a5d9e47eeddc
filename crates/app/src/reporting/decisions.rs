//! The department's decisions on a report: returning a submitted report with comments (overall and per
//! field), approving it (its values enter the aggregates in the same transaction), and unlocking an
//! approved report with a reason (its values leave them). Of two approvers deciding at once, the first
//! wins and the second is told (`report_already_decided`).

use tiendo_core::reporting::ReportStatus;
use tiendo_core::reporting::workflow::{self, ReportAction, TransitionError};
use tiendo_db::notifications;
use tiendo_db::reporting::aggregates;
use tiendo_db::reporting::reports as stored;

use super::link;
use super::reports::{AUDIT_ENTITY, Visible, after, definition, visible};
use crate::audit::{self, Entry};
use crate::message::{Message, Notice, Value as Named};
use crate::{App, Error, FieldError, Result, Session};

/// A decision on a submitted report.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Send back with comments: overall and per field (field code, text).
    Return {
        /// The overall comment.
        overall: Option<String>,
        /// Comments on fields.
        fields: Vec<(String, String)>,
    },
    /// Approve and lock.
    Approve,
}

impl Decision {
    /// The decision named `code` (`approve` or `return`) as the page's buttons and the API send it, with
    /// the comments of a return; `Invalid` `decision` `decision_unknown` for anything else, on the page as
    /// in the API.
    pub fn parse(code: &str, overall: Option<String>, fields: Vec<(String, String)>) -> Result<Decision> {
        match code.trim() {
            "approve" => Ok(Decision::Approve),
            "return" => Ok(Decision::Return { overall, fields }),
            other => Err(Error::Invalid(vec![FieldError::new("decision", "decision_unknown").arg("value", other)])),
        }
    }

    fn action(&self) -> ReportAction {
        match self {
            Decision::Return { .. } => ReportAction::Return,
            Decision::Approve => ReportAction::Approve,
        }
    }
}

/// The conflict of a report that is not (or no longer) in the state a decision needs.
fn already_decided() -> Error {
    Error::conflict("report_already_decided")
}

/// Checks `action` against the workflow: `Forbidden` when the actor may never take it on this report,
/// `report_already_decided` when the report is no longer where the action applies.
fn allowed(session: &Session, found: &Visible, action: ReportAction) -> Result<ReportStatus> {
    workflow::transition(&session.actor, &found.owner_path, found.report.state(), action).map_err(|e| match e {
        TransitionError::Forbidden => Error::FORBIDDEN,
        TransitionError::InvalidState => already_decided(),
    })
}

/// Returns or approves a submitted report. Approving adds its values to the aggregates in the same
/// transaction, attributed on the map in force on the application's day, and re-checks the conditions of
/// a certified enterprise's certificate on its yearly report (`certificates::yearly`).
///
/// Outcomes: `NotFound`, `Forbidden` (an officer approving, a unit deciding), `Conflict`
/// `report_already_decided`, `Invalid` (a return without any comment, a comment on a field the form does
/// not have); otherwise the report after the decision, with what the actor may do with it now.
pub async fn decide(app: &App, session: &Session, report_id: i64, decision: Decision) -> Result<Visible> {
    let found = visible(app, session, report_id).await?;
    let to = allowed(session, &found, decision.action())?;
    let report = &found.report;
    let (_, def) = definition(app, report).await?;
    let mut comments: Vec<(Option<String>, String)> = Vec::new();
    if let Decision::Return { overall, fields } = &decision {
        if let Some(text) = overall.as_ref().filter(|t| !t.trim().is_empty()) {
            comments.push((None, text.trim().to_owned()));
        }
        let mut errors = Vec::new();
        for (field, text) in fields.iter().filter(|(_, t)| !t.trim().is_empty()) {
            if def.field(field).is_none() {
                errors.push(FieldError::new(format!("comment_{field}"), "unknown_report_field").arg("name", field));
            } else {
                comments.push((Some(field.clone()), text.trim().to_owned()));
            }
        }
        if comments.is_empty() {
            errors.push(FieldError::new("comment", "return_needs_comment"));
        }
        crate::check(errors)?;
    }
    let now = app.now();
    let by = session.user_id();
    let overall = comments.iter().find(|(f, _)| f.is_none()).map(|(_, t)| t.clone());
    let tx = app.begin().await?;
    if !stored::transition(&tx, report.id, &[ReportStatus::Submitted], to, by, overall.as_deref(), now).await? {
        return Err(already_decided());
    }
    for (field, text) in &comments {
        stored::add_comment(&tx, report.id, field.as_deref(), text, by, now).await?;
    }
    if to == ReportStatus::Approved {
        aggregates::add_report(&tx, report.id, app.today()).await?;
        // A certified enterprise's yearly report: its certificate's conditions re-checked on these figures.
        crate::certificates::yearly::on_report_approved(app, &tx, session, report).await?;
    }
    let (code, key) = match to {
        ReportStatus::Approved => ("approve", "audit-report-approved"),
        _ => ("return", "audit-report-returned"),
    };
    let entry = Entry::new(code, AUDIT_ENTITY, report.id, key)
        .arg("template", &def.name)
        .named("period", Named::Period(report.period_code.clone()))
        .change("status", report.status.as_str(), to.code());
    audit::record(app, &tx, session, entry).await?;
    let notice = Notice::new(
        Message::key(&format!("notify-report-{code}"))
            .data("template", &def.name)
            .period("period", &report.period_code),
        Message::text(&overall.unwrap_or_default()),
    );
    for (user, _) in notifications::report_senders_of(&tx, &found.owner_path).await? {
        crate::notifications::send(&tx, user, &format!("report_{code}"), &notice, Some(&link(report.id)), app.now())
            .await?;
    }
    tx.commit().await?;
    after(app, session, found).await
}

/// Unlocks an approved report with a reason: it becomes a draft of its unit again and its values leave the
/// aggregates (exactly as they were added) in the same transaction, as does the re-check of a
/// certificate recorded on it.
///
/// Outcomes: `NotFound`, `Forbidden` (anyone but a department leader over the unit), `Conflict`
/// `report_already_decided` (not approved, or unlocked meanwhile), `Invalid` `reason` `required`;
/// otherwise the report, a draft again, with what the actor may do with it now.
pub async fn unlock(app: &App, session: &Session, report_id: i64, reason: &str) -> Result<Visible> {
    let found = visible(app, session, report_id).await?;
    let to = allowed(session, &found, ReportAction::Unlock)?;
    let report = &found.report;
    let reason = tiendo_core::text::normalize_multiline(reason);
    if reason.is_empty() {
        return Err(Error::invalid("reason", "required"));
    }
    let (_, def) = definition(app, report).await?;
    let now = app.now();
    let tx = app.begin().await?;
    if !stored::transition(&tx, report.id, &[ReportStatus::Approved], to, session.user_id(), Some(&reason), now).await?
    {
        return Err(already_decided());
    }
    aggregates::remove_report(&tx, report.id).await?;
    crate::certificates::yearly::on_report_unlocked(app, &tx, session, report).await?;
    let entry = Entry::new("unlock", AUDIT_ENTITY, report.id, "audit-report-unlocked")
        .arg("template", &def.name)
        .named("period", Named::Period(report.period_code.clone()))
        .change("status", "approved", "draft")
        .change("unlock_reason", None::<String>, &reason);
    audit::record(app, &tx, session, entry).await?;
    let notice = Notice::new(
        Message::key("notify-report-unlock").data("template", &def.name).period("period", &report.period_code),
        Message::text(&reason),
    );
    for (user, _) in notifications::report_senders_of(&tx, &found.owner_path).await? {
        crate::notifications::send(&tx, user, "report_unlock", &notice, Some(&link(report.id)), app.now()).await?;
    }
    tx.commit().await?;
    after(app, session, found).await
}
