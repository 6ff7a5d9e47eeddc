//! Progress updates: who sees them, the rules of their content, and the workflow (write, submit, accept or
//! return, delete a draft) with its audit events and notifications. Every action goes through
//! [`tiendo_core::monitoring::update::transition`]. Two officers deciding at once: the first wins, the
//! second is told who decided and when.

use chrono::NaiveDate;
use tiendo_core::authz::{Action, Resource, Stage, authorize};
use tiendo_core::monitoring::assignment::{self as assignment_rules, AssignmentAction};
use tiendo_core::monitoring::update::{self as workflow, TransitionError};
use tiendo_core::monitoring::{Deadline, UpdateAction, UpdateStatus};
use tiendo_db::audit::{Change, Diff};
use tiendo_db::monitoring::assignments::{self, AssignmentRow};
use tiendo_db::monitoring::updates::{self, NewUpdate, Update, UpdateContent, UpdateVisibility};
use tiendo_db::{Tx, orgtree};

use super::assignments::{Assignment, load};
use super::files::{self, Upload};
use super::{optional_block, problems};
use crate::audit::{self, Entry};
use crate::message::{Message, Notice};
use crate::{App, Error, FieldError, Result, Session};

/// The longest narrative, in characters.
pub const MAX_NARRATIVE: usize = 20_000;

/// The actions the session's actor may take on an update of `assignment`: the page's buttons and the API's
/// `permissions`.
pub fn actions(session: &Session, assignment: &Assignment, update: &Update) -> Vec<UpdateAction> {
    workflow::available_actions(&session.actor, &assignment.access(), update.state())
}

/// The refusal of a transition as an outcome: 403, 409 `assignment_cancelled`, or 409 `update_final` for
/// the unit's actions on an update that is no longer theirs to change.
fn refused(e: TransitionError) -> Error {
    match e {
        TransitionError::Forbidden => Error::FORBIDDEN,
        TransitionError::AssignmentCancelled => Error::conflict("assignment_cancelled"),
        TransitionError::InvalidState => Error::conflict("update_final"),
    }
}

/// Which updates of an assignment the actor sees: drafts (and returned updates being corrected) are
/// private to the unit that writes them, but those who saw a returned update submitted (the side that
/// returned it) keep seeing it with its comment rather than losing track of it until it comes back.
async fn seen(app: &App, session: &Session, assignment_id: i64) -> Result<UpdateVisibility> {
    let mut visible = UpdateVisibility::default();
    for org in updates::writers(app.db(), assignment_id).await? {
        let owner_path = orgtree::path(app.db(), org).await?;
        let may = |stage| {
            authorize(&session.actor, Action::View, &Resource::UnitRecord { owner_path: &owner_path, stage })
                .is_allowed()
        };
        if may(Stage::Draft) {
            visible.drafts_of.push(org);
        }
        if may(Stage::Submitted) {
            visible.returned_of.push(org);
        }
    }
    Ok(visible)
}

/// The updates of an assignment the actor sees, newest first: a page of them (all with `limit` `None`)
/// and how many there are. `NotFound` when the actor may not see the assignment.
pub async fn list(
    app: &App,
    session: &Session,
    assignment_id: i64,
    limit: Option<i64>,
    offset: i64,
) -> Result<(Assignment, Vec<Update>, i64)> {
    let assignment = load(app, session, assignment_id).await?;
    let visible = seen(app, session, assignment_id).await?;
    let (rows, total) = updates::page_of_assignment(app.db(), assignment_id, &visible, limit, offset).await?;
    Ok((assignment, rows, total))
}

/// An update the actor sees, with its assignment; `NotFound` otherwise (a draft of another unit, say).
pub async fn visible(app: &App, session: &Session, update_id: i64) -> Result<(Update, Assignment)> {
    let update = updates::get(app.db(), update_id).await?.ok_or(Error::NotFound)?;
    let assignment = load(app, session, update.assignment_id).await?;
    let seen = seen(app, session, update.assignment_id).await?;
    let shown = match update.state() {
        UpdateStatus::Draft => seen.drafts_of.contains(&update.org_id),
        UpdateStatus::Returned => seen.returned_of.contains(&update.org_id),
        UpdateStatus::Submitted | UpdateStatus::Accepted => true,
    };
    if !shown {
        return Err(Error::NotFound);
    }
    Ok((update, assignment))
}

/// The assignment the actor reports on: `NotFound` when they may not see it, `Forbidden` when they may see
/// but not report, `Conflict` `assignment_cancelled` once it was cancelled.
pub async fn reporting_on(app: &App, session: &Session, assignment_id: i64) -> Result<Assignment> {
    let assignment = load(app, session, assignment_id).await?;
    if !assignment_rules::authorized(&session.actor, &assignment.access(), AssignmentAction::Report) {
        return Err(Error::FORBIDDEN);
    }
    if assignment.row.cancelled {
        return Err(Error::conflict("assignment_cancelled"));
    }
    Ok(assignment)
}

/// An update of the actor's unit with its assignment, for the unit to change: as [`reporting_on`], then
/// `Conflict` `update_final` when it is no longer editable.
pub async fn editable(app: &App, session: &Session, update_id: i64) -> Result<(Update, Assignment)> {
    let update = updates::get(app.db(), update_id).await?.ok_or(Error::NotFound)?;
    let assignment = reporting_on(app, session, update.assignment_id).await?;
    workflow::transition(&session.actor, &assignment.access(), update.state(), UpdateAction::Edit).map_err(refused)?;
    Ok((update, assignment))
}

/// The content of an update as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct UpdateDraft {
    /// What was done.
    pub narrative: String,
    /// Progress, 0–100.
    pub percent: Option<i64>,
    /// Difficulties (khó khăn, vướng mắc).
    pub difficulties: Option<String>,
    /// Recommendations (kiến nghị).
    pub recommendations: Option<String>,
    /// Links to evidence.
    pub links: Vec<String>,
    /// The completion date the unit claims (only with 100%).
    pub completion_claimed_on: Option<NaiveDate>,
    /// Evidence files to attach (the API sends none).
    pub evidence: Vec<Upload>,
    /// Invented for the demo (only the demo loader sets it).
    pub is_sample: bool,
    /// Fields the caller could not read (a percent that is not a number, a file over the limit).
    pub unreadable: Vec<FieldError>,
}

/// Checks the content of an update for an assignment as of `today`; the kinds of its evidence files.
fn content(
    row: &AssignmentRow,
    draft: &UpdateDraft,
    today: NaiveDate,
) -> Result<(UpdateContent, Vec<tiendo_core::files::FileKind>)> {
    let mut errors = Vec::new();
    let narrative = tiendo_core::text::normalize_multiline(&draft.narrative);
    if narrative.is_empty() {
        errors.push(FieldError::new("narrative", "required"));
    } else if narrative.chars().count() > MAX_NARRATIVE {
        errors.push(FieldError::new("narrative", "too_long").arg("max", MAX_NARRATIVE));
    }
    let percent = match draft.percent {
        Some(p) if (0..=100).contains(&p) => p,
        Some(_) => {
            errors.push(FieldError::new("percent", "percent_range"));
            0
        }
        None => {
            errors.push(FieldError::new("percent", "required"));
            0
        }
    };
    if let Some(d) = draft.completion_claimed_on {
        if percent < 100 {
            errors.push(FieldError::new("completion_claimed_on", "completion_needs_100"));
        } else if d > today {
            errors.push(FieldError::new("completion_claimed_on", "date_future"));
        } else if d < row.assigned_on {
            errors.push(FieldError::new("completion_claimed_on", "completion_before_assignment"));
        }
    }
    let links: Vec<String> =
        draft.links.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if let Some(bad) = links
        .iter()
        .find(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.contains(char::is_whitespace))
    {
        errors.push(FieldError::new("links", "link_format").arg("link", bad));
    }
    // The files refused by their content come after what the surface could not read (one file named).
    let kinds = match files::kinds("evidence", &draft.evidence) {
        Ok(kinds) => kinds,
        Err(e) => {
            let mut unreadable = draft.unreadable.clone();
            unreadable.push(e);
            problems(&unreadable, errors)?;
            return Err(Error::invalid("evidence", "file_type"));
        }
    };
    problems(&draft.unreadable, errors)?;
    let content = UpdateContent {
        narrative,
        percent,
        difficulties: optional_block(draft.difficulties.as_deref()),
        recommendations: optional_block(draft.recommendations.as_deref()),
        links: (!links.is_empty()).then(|| links.join("\n")),
        completion_claimed_on: draft.completion_claimed_on,
    };
    Ok((content, kinds))
}

/// Stores the evidence files and attaches them to the update.
async fn attach_evidence(
    app: &App,
    tx: &Tx,
    session: &Session,
    update_id: i64,
    uploads: &[Upload],
    kinds: &[tiendo_core::files::FileKind],
) -> Result<()> {
    for (upload, kind) in uploads.iter().zip(kinds) {
        let a = files::store(app, tx, upload, *kind, session.user_id()).await?;
        updates::attach(tx, update_id, a.id).await?;
    }
    Ok(())
}

/// `Task 1.2. Title`, as notifications name a task.
fn task_of(row: &AssignmentRow) -> String {
    format!("{}. {}", row.task_code, row.task_title)
}

/// The effects of a submission: the assignment has updates, and the assigning officer is told that one
/// waits for a decision.
async fn submitted(app: &App, tx: &Tx, row: &AssignmentRow) -> Result<()> {
    assignments::apply_update(tx, row.id, None, None, app.now()).await?;
    if let Some(officer) = assignments::assigner(tx, row.id).await? {
        let notice = Notice::new(
            Message::key("notify-update-submitted").data("task", &task_of(row)),
            Message::text(&row.lead_name),
        );
        let link = format!("/assignments/{}", row.id);
        crate::notifications::send(tx, officer, "update_submitted", &notice, Some(&link), app.now()).await?;
    }
    Ok(())
}

/// Writes a new update of the assignment's lead organisation, as a draft or submitted at once (`submit`),
/// with its evidence files; the new update's id.
pub async fn create(
    app: &App,
    session: &Session,
    assignment_id: i64,
    draft: &UpdateDraft,
    submit: bool,
) -> Result<i64> {
    let assignment = reporting_on(app, session, assignment_id).await?;
    let row = &assignment.row;
    let (content, kinds) = self::content(row, draft, app.today())?;
    let new = NewUpdate {
        assignment_id: row.id,
        org_id: row.lead_org_id,
        author_id: session.user_id(),
        content: content.clone(),
        status: if submit { UpdateStatus::Submitted } else { UpdateStatus::Draft },
        is_sample: draft.is_sample,
    };
    let tx = app.begin().await?;
    let update_id = updates::create(&tx, &new, app.now()).await?;
    attach_evidence(app, &tx, session, update_id, &draft.evidence, &kinds).await?;
    if submit {
        submitted(app, &tx, row).await?;
    }
    let (action, key) = if submit {
        ("submit", "audit-monitoring-update-submitted")
    } else {
        ("create", "audit-monitoring-update-drafted")
    };
    let entry = Entry::new(action, "assignment", row.id, key)
        .arg("percent", content.percent)
        .changes(vec![Change::new("percent", None::<i64>, content.percent)]);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(update_id)
}

/// Replaces the content of a draft or returned update read at `version` (with new evidence files, the
/// earlier ones kept), and submits it when `submit`. `Conflict` `update_final` once it was submitted or
/// decided; `Conflict` `update_stale` (argument `version`, the version now) when someone changed it since.
pub async fn edit(
    app: &App,
    session: &Session,
    update_id: i64,
    version: i64,
    draft: &UpdateDraft,
    submit: bool,
) -> Result<()> {
    let (update, assignment) = editable(app, session, update_id).await?;
    let row = &assignment.row;
    let (content, kinds) = self::content(row, draft, app.today())?;
    let now = app.now();
    let tx = app.begin().await?;
    if !updates::edit(&tx, update.id, version, &content, now).await? {
        drop(tx);
        let fresh = updates::get(app.db(), update.id).await?.ok_or(Error::NotFound)?;
        if !fresh.state().is_editable() {
            return Err(Error::conflict("update_final"));
        }
        return Err(Error::Conflict { code: "update_stale", args: vec![("version", fresh.version.to_string())] });
    }
    attach_evidence(app, &tx, session, update.id, &draft.evidence, &kinds).await?;
    if submit {
        let from = [UpdateStatus::Draft, UpdateStatus::Returned];
        updates::transition(&tx, update.id, &from, UpdateStatus::Submitted, None, None, now).await?;
        submitted(app, &tx, row).await?;
    }
    let mut diff = Diff::new();
    diff.field("narrative", &update.narrative, &content.narrative)
        .field("percent", &update.percent, &content.percent)
        .field("difficulties", &update.difficulties, &content.difficulties)
        .field("recommendations", &update.recommendations, &content.recommendations)
        .field("links", &update.links, &content.links)
        .field("completion_claimed_on", &update.completion_claimed_on, &content.completion_claimed_on);
    let entry =
        Entry::new(if submit { "submit" } else { "update" }, "assignment", row.id, "audit-monitoring-update-edited")
            .arg("percent", content.percent)
            .changes(diff.into_changes());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Submits a draft or returned update as it is (the assigning officer is notified). `Conflict`
/// `update_final` when it was already submitted or decided.
pub async fn submit(app: &App, session: &Session, update_id: i64) -> Result<()> {
    let update = updates::get(app.db(), update_id).await?.ok_or(Error::NotFound)?;
    let assignment = reporting_on(app, session, update.assignment_id).await?;
    workflow::transition(&session.actor, &assignment.access(), update.state(), UpdateAction::Submit)
        .map_err(refused)?;
    let row = &assignment.row;
    let tx = app.begin().await?;
    let from = [UpdateStatus::Draft, UpdateStatus::Returned];
    if !updates::transition(&tx, update.id, &from, UpdateStatus::Submitted, None, None, app.now()).await? {
        return Err(Error::conflict("update_final"));
    }
    submitted(app, &tx, row).await?;
    let entry = Entry::new("submit", "assignment", row.id, "audit-monitoring-update-submitted")
        .arg("percent", update.percent)
        .changes(vec![Change::new(&format!("update:{}", update.id), update.status.as_str(), "submitted")]);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft (or a returned update) of the actor's unit; the assignment's id. `Conflict`
/// `update_final` once submitted or decided.
pub async fn delete(app: &App, session: &Session, update_id: i64) -> Result<i64> {
    let update = updates::get(app.db(), update_id).await?.ok_or(Error::NotFound)?;
    let assignment = reporting_on(app, session, update.assignment_id).await?;
    workflow::transition(&session.actor, &assignment.access(), update.state(), UpdateAction::Delete)
        .map_err(refused)?;
    let tx = app.begin().await?;
    if !updates::delete_draft(&tx, update.id).await? {
        return Err(Error::conflict("update_final"));
    }
    let entry = Entry::new("delete", "assignment", assignment.row.id, "audit-monitoring-update-deleted");
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(assignment.row.id)
}

/// The completion date an accepted update gives its assignment, if any: a claimed date with 100%.
fn completion_of(update: &Update, deadline: &Deadline) -> Option<NaiveDate> {
    let claimed = update.completion_claimed_on?;
    if update.percent < 100 {
        return None;
    }
    match deadline {
        Deadline::Continuous => None,
        _ => Some(claimed),
    }
}

/// The outcome of a decision that came too late: `Conflict` `update_already_decided` with the arguments
/// `status` (the code of the state it is in), `who` and `when` (UTC, RFC 3339), or
/// `update_not_submitted` when it is not waiting for a decision.
fn too_late(update: &Update) -> Error {
    match update.state() {
        status @ (UpdateStatus::Accepted | UpdateStatus::Returned) => Error::Conflict {
            code: "update_already_decided",
            args: vec![
                ("status", status.code().to_owned()),
                ("who", update.decided_by_name.clone().unwrap_or_default()),
                ("when", update.decided_at.map(|t| t.to_rfc3339()).unwrap_or_default()),
            ],
        },
        _ => Error::conflict("update_not_submitted"),
    }
}

/// The decision named by a form or a request body: `accept` or `return`; anything else is `Invalid`
/// `decision` `decision_unknown` (argument `value`), the same mistake as on a report.
fn decision_of(code: &str) -> Result<UpdateAction> {
    match code.trim() {
        "accept" => Ok(UpdateAction::Accept),
        "return" => Ok(UpdateAction::Return),
        other => Err(Error::Invalid(vec![FieldError::new("decision", "decision_unknown").arg("value", other)])),
    }
}

/// Accepts or returns (`decision`: `accept` or `return`) a submitted update (the assigning side), with
/// the audit event and the author's notification; the update and its assignment as they are afterwards.
/// Who may decide is checked first; then an unknown decision is `Invalid` `decision` `decision_unknown`,
/// and returning without a comment `Invalid` `comment` `required`. An accepted update with 100% and a
/// completion date completes the assignment.
pub async fn decide(
    app: &App,
    session: &Session,
    update_id: i64,
    decision: &str,
    comment: Option<&str>,
) -> Result<(Update, AssignmentRow)> {
    let update = updates::get(app.db(), update_id).await?.ok_or(Error::NotFound)?;
    let assignment = load(app, session, update.assignment_id).await?;
    let row = &assignment.row;
    if !assignment_rules::authorized(&session.actor, &assignment.access(), AssignmentAction::Review) {
        return Err(Error::FORBIDDEN);
    }
    let action = decision_of(decision)?;
    let comment = optional_block(comment);
    if action == UpdateAction::Return && comment.is_none() {
        return Err(Error::invalid("comment", "required"));
    }
    let to = match workflow::transition(&session.actor, &assignment.access(), update.state(), action) {
        Ok(to) => to,
        Err(TransitionError::InvalidState) => return Err(too_late(&update)),
        Err(e) => return Err(refused(e)),
    };
    let now = app.now();
    let tx = app.begin().await?;
    let decided =
        updates::transition(&tx, update.id, &[UpdateStatus::Submitted], to, session.user_id(), comment.as_deref(), now)
            .await?;
    if !decided {
        drop(tx);
        // Someone decided first: say who and when.
        let fresh = updates::get(app.db(), update.id).await?.ok_or(Error::NotFound)?;
        return Err(too_late(&fresh));
    }
    if to == UpdateStatus::Accepted {
        let done = completion_of(&update, &row.deadline());
        assignments::apply_update(&tx, row.id, Some(update.percent), done, now).await?;
    }
    let key = if to == UpdateStatus::Accepted {
        "audit-monitoring-update-accepted"
    } else {
        "audit-monitoring-update-returned"
    };
    let entry = Entry::new(action.code(), "assignment", row.id, key)
        .arg("percent", update.percent)
        .changes(vec![Change::new(&format!("update:{}", update.id), "submitted", to.code())]);
    audit::record(app, &tx, session, entry).await?;
    // The author hears of the decision.
    if let Some(author) = update.author_id {
        let code = action.code();
        let notice = Notice::new(
            Message::key(&format!("notify-update-{code}")).data("task", &task_of(row)),
            Message::text(comment.as_deref().unwrap_or_default()),
        );
        let link = format!("/assignments/{}", row.id);
        crate::notifications::send(&tx, author, &format!("update_{code}"), &notice, Some(&link), app.now()).await?;
    }
    tx.commit().await?;
    let fresh = updates::get(app.db(), update.id).await?.ok_or(Error::NotFound)?;
    let row = assignments::get(app.db(), row.id).await?.ok_or(Error::NotFound)?;
    Ok((fresh, row))
}
