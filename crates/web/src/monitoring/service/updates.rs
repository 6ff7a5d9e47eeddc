//! Progress updates: who may write and see them, the rules of their content, and the workflow (save,
//! submit, accept or return) with its audit events and notifications. Two officers deciding at once: the
//! first wins, the second is told who decided and when.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::authz::{Action, Resource, Stage, authorize};
use tiendo_core::monitoring::update::allowed;
use tiendo_core::monitoring::{Deadline, UpdateAction, UpdateSide, UpdateStatus};
use tiendo_db::audit::{self, Change, Diff, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentRow};
use tiendo_db::monitoring::updates::{self, NewUpdate, Update, UpdateContent};
use tiendo_db::{Tx, notifications, orgtree};

use super::assignments::visible;
use super::merge_errors;
use crate::error::{AppError, FieldError};
use crate::layout::Ctx;

/// Checks that the actor reports for the assignment's lead organisation: 404 when they may not see it,
/// 403 when they may see but not report, 409 `assignment_cancelled` when it was cancelled.
pub async fn reporter(ctx: &Ctx, id: i64) -> Result<(AssignmentRow, Vec<i64>), AppError> {
    let (row, path) = visible(ctx, id).await?;
    if !authorize(&ctx.auth.actor, Action::Submit, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    if row.cancelled {
        return Err(AppError::Conflict { code: "assignment_cancelled" });
    }
    Ok((row, path))
}

/// Loads an update with its assignment, for the reporting unit.
pub async fn own_update(ctx: &Ctx, update_id: i64) -> Result<(Update, AssignmentRow), AppError> {
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let (row, _) = reporter(ctx, update.assignment_id).await?;
    Ok((update, row))
}

/// Whether the actor may see an update of an assignment they see: drafts (and returned updates being
/// corrected) are private to the unit that writes them.
pub async fn may_see(ctx: &Ctx, update: &Update) -> Result<bool, AppError> {
    let stage = update.state().stage();
    if stage != Stage::Draft {
        return Ok(true);
    }
    let owner_path = orgtree::path(ctx.state.db(), update.org_id).await?;
    // A returned update is being corrected by its unit, but those who saw it submitted (the side that
    // returned it) keep seeing it with its comment rather than losing track of it until it comes back.
    let stage = if update.state() == UpdateStatus::Returned { Stage::Submitted } else { stage };
    Ok(authorize(&ctx.auth.actor, Action::View, &Resource::UnitRecord { owner_path: &owner_path, stage }).is_allowed())
}

/// The updates of a visible assignment the actor may see, newest first.
pub async fn shown(ctx: &Ctx, assignment_id: i64) -> Result<Vec<Update>, AppError> {
    let mut out = Vec::new();
    for u in updates::of_assignment(ctx.state.db(), assignment_id).await? {
        if may_see(ctx, &u).await? {
            out.push(u);
        }
    }
    Ok(out)
}

/// Loads an update the actor may see, with its assignment; 404 otherwise.
pub async fn visible_update(ctx: &Ctx, update_id: i64) -> Result<(Update, AssignmentRow, Vec<i64>), AppError> {
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let (row, path) = visible(ctx, update.assignment_id).await?;
    if !may_see(ctx, &update).await? {
        return Err(AppError::NotFound);
    }
    Ok((update, row, path))
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
}

/// Checks the content of an update for an assignment; `parsed` holds the errors of the caller's parsing
/// (and of its files).
pub fn content(
    row: &AssignmentRow,
    draft: &UpdateDraft,
    parsed: Vec<FieldError>,
) -> Result<UpdateContent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let narrative = tiendo_core::text::normalize_multiline(&draft.narrative);
    if narrative.is_empty() {
        errors.push(FieldError::new("narrative", "required"));
    } else if narrative.chars().count() > 20_000 {
        errors.push(FieldError::new("narrative", "too_long").arg("max", 20_000));
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
        } else if d > crate::monitoring::today() {
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
    if !errors.is_empty() || !parsed.is_empty() {
        return Err(merge_errors(parsed, errors));
    }
    Ok(UpdateContent {
        narrative,
        percent,
        difficulties: super::optional_block(draft.difficulties.as_deref()),
        recommendations: super::optional_block(draft.recommendations.as_deref()),
        links: (!links.is_empty()).then(|| links.join("\n")),
        completion_claimed_on: draft.completion_claimed_on,
    })
}

/// Tells the assigning officer that an update waits for a decision.
async fn notify_submitted(tx: &Tx, row: &AssignmentRow) -> Result<(), AppError> {
    if let Some(officer) = assignments::assigner(tx, row.id).await? {
        let vi = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
        let task = format!("{}. {}", row.task_code, row.task_title);
        let title = vi.t_with("notify-update-submitted", &[("task", &task)]);
        notifications::notify(
            tx,
            officer,
            "update_submitted",
            &title,
            &row.lead_name,
            Some(&format!("/assignments/{}", row.id)),
        )
        .await?;
    }
    Ok(())
}

/// The effects of a submission on the assignment, and the officer's notification.
async fn submitted(tx: &Tx, row: &AssignmentRow, now: DateTime<Utc>) -> Result<(), AppError> {
    assignments::apply_update(tx, row.id, None, None, now).await?;
    notify_submitted(tx, row).await
}

/// Writes a new update of the lead organisation, as a draft or submitted at once, with its audit event, in
/// the caller's transaction (the page attaches evidence files to it there). The caller has checked
/// [`reporter`].
pub async fn create(
    ctx: &Ctx,
    tx: &Tx,
    row: &AssignmentRow,
    content: &UpdateContent,
    submit: bool,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let new = NewUpdate {
        assignment_id: row.id,
        org_id: row.lead_org_id,
        author_id: ctx.auth.user.as_ref().map(|u| u.id),
        content: content.clone(),
        status: if submit { UpdateStatus::Submitted } else { UpdateStatus::Draft },
        is_sample: false,
    };
    let update_id = updates::create(tx, &new, now).await?;
    if submit {
        submitted(tx, row, now).await?;
    }
    let summary = if submit { "Gửi báo cáo tiến độ" } else { "Lưu nháp báo cáo tiến độ" };
    let event = NewEvent::new(
        if submit { "submit" } else { "create" },
        "assignment",
        row.id,
        format!("{summary} (#{update_id}, {}%)", content.percent),
    )
    .with_changes(vec![Change::new("percent", None::<i64>, content.percent)]);
    audit::append(tx, &ctx.auth.who(), &event).await?;
    Ok(update_id)
}

/// Why an update cannot be changed or submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeRefusal {
    /// It was submitted or decided: only drafts and returned updates change.
    Final,
    /// Someone changed it since `version` was read; the current version.
    Stale {
        /// The version now.
        current: i64,
    },
}

/// Replaces the content of a draft or returned update read at `version`, and submits it when `submit`,
/// with the audit event, in the caller's transaction. The caller has checked [`own_update`].
pub async fn edit(
    ctx: &Ctx,
    tx: &Tx,
    update: &Update,
    row: &AssignmentRow,
    version: i64,
    content: &UpdateContent,
    submit: bool,
) -> Result<Result<(), ChangeRefusal>, AppError> {
    if !allowed(update.state(), UpdateAction::Edit, UpdateSide::Reporter) {
        return Ok(Err(ChangeRefusal::Final));
    }
    let now = Utc::now();
    if !updates::edit(tx, update.id, version, content, now).await? {
        let fresh = updates::get(tx, update.id).await?.ok_or(AppError::NotFound)?;
        if !allowed(fresh.state(), UpdateAction::Edit, UpdateSide::Reporter) {
            return Ok(Err(ChangeRefusal::Final));
        }
        return Ok(Err(ChangeRefusal::Stale { current: fresh.version }));
    }
    if submit {
        let from = [UpdateStatus::Draft, UpdateStatus::Returned];
        updates::transition(tx, update.id, &from, UpdateStatus::Submitted, None, None, now).await?;
        submitted(tx, row, now).await?;
    }
    let mut diff = Diff::new();
    diff.field("narrative", &update.narrative, &content.narrative)
        .field("percent", &update.percent, &content.percent)
        .field("difficulties", &update.difficulties, &content.difficulties)
        .field("recommendations", &update.recommendations, &content.recommendations)
        .field("links", &update.links, &content.links)
        .field("completion_claimed_on", &update.completion_claimed_on, &content.completion_claimed_on);
    let event = NewEvent::new(
        if submit { "submit" } else { "update" },
        "assignment",
        row.id,
        format!("Sửa báo cáo tiến độ #{}", update.id),
    )
    .with_changes(diff.into_changes());
    audit::append(tx, &ctx.auth.who(), &event).await?;
    Ok(Ok(()))
}

/// Submits a draft or returned update as it is, with the audit event. The caller has checked
/// [`own_update`].
pub async fn submit(ctx: &Ctx, update: &Update, row: &AssignmentRow) -> Result<Result<(), ChangeRefusal>, AppError> {
    if !allowed(update.state(), UpdateAction::Submit, UpdateSide::Reporter) {
        return Ok(Err(ChangeRefusal::Final));
    }
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    let from = [UpdateStatus::Draft, UpdateStatus::Returned];
    if !updates::transition(&tx, update.id, &from, UpdateStatus::Submitted, None, None, now).await? {
        return Ok(Err(ChangeRefusal::Final));
    }
    submitted(&tx, row, now).await?;
    let event = NewEvent::new(
        "submit",
        "assignment",
        row.id,
        format!("Gửi báo cáo tiến độ (#{}, {}%)", update.id, update.percent),
    )
    .with_changes(vec![Change::new(&format!("update:{}", update.id), update.status.as_str(), "submitted")]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// A decision on a submitted update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Accept it (final; an accepted completion closes the assignment).
    Accept,
    /// Return it with a comment, for the unit to correct.
    Return,
}

impl Decision {
    /// Parses `accept` or `return`.
    pub fn from_code(code: &str) -> Option<Decision> {
        match code {
            "accept" => Some(Decision::Accept),
            "return" => Some(Decision::Return),
            _ => None,
        }
    }

    /// The code (also the audit action).
    pub fn code(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Return => "return",
        }
    }

    fn to(self) -> UpdateStatus {
        match self {
            Decision::Accept => UpdateStatus::Accepted,
            Decision::Return => UpdateStatus::Returned,
        }
    }
}

/// Why a decision is not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// Returning needs a comment saying what to add.
    NeedsComment,
    /// Someone decided first.
    AlreadyDecided {
        /// What they decided (`accepted` or `returned`).
        status: UpdateStatus,
        /// Who.
        by: Option<String>,
        /// When.
        at: Option<DateTime<Utc>>,
    },
    /// The update is not (or no longer) waiting for a decision: a draft, or submitted again since.
    NotSubmitted,
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

/// Loads an update for the assigning side: 404 when the actor may not see its assignment, 403 unless they
/// are on the assigning side.
pub async fn for_review(ctx: &Ctx, update_id: i64) -> Result<(Update, AssignmentRow), AppError> {
    let update = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let (row, path) = visible(ctx, update.assignment_id).await?;
    if !authorize(&ctx.auth.actor, Action::Review, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    Ok((update, row))
}

/// Accepts or returns a submitted update, with the audit event and the author's notification; returns the
/// update and its assignment as they are afterwards. The caller has checked [`for_review`].
pub async fn decide(
    ctx: &Ctx,
    update: &Update,
    row: &AssignmentRow,
    decision: Decision,
    comment: Option<&str>,
) -> Result<Result<(Update, AssignmentRow), DecisionRefusal>, AppError> {
    let update_id = update.id;
    let comment = super::optional_block(comment);
    if decision == Decision::Return && comment.is_none() {
        return Ok(Err(DecisionRefusal::NeedsComment));
    }
    let to = decision.to();
    let now = Utc::now();
    let by = ctx.auth.user.as_ref().map(|u| u.id);
    let tx = ctx.state.db().begin().await?;
    if !updates::transition(&tx, update_id, &[UpdateStatus::Submitted], to, by, comment.as_deref(), now).await? {
        drop(tx);
        // Someone decided first: say who and when.
        let fresh = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
        return Ok(Err(match fresh.state() {
            status @ (UpdateStatus::Accepted | UpdateStatus::Returned) => {
                DecisionRefusal::AlreadyDecided { status, by: fresh.decided_by_name, at: fresh.decided_at }
            }
            _ => DecisionRefusal::NotSubmitted,
        }));
    }
    if to == UpdateStatus::Accepted {
        let done = completion_of(update, &row.deadline());
        assignments::apply_update(&tx, row.id, Some(update.percent), done, now).await?;
    }
    let summary = match to {
        UpdateStatus::Accepted => format!("Chấp nhận báo cáo tiến độ #{update_id}"),
        _ => format!("Trả lại báo cáo tiến độ #{update_id}"),
    };
    let event = NewEvent::new(decision.code(), "assignment", row.id, summary).with_changes(vec![Change::new(
        &format!("update:{update_id}"),
        "submitted",
        to.code(),
    )]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    // The author hears of the decision.
    if let Some(author) = update.author_id {
        let action = decision.code();
        let vi = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
        let title = vi
            .t_with(&format!("notify-update-{action}"), &[("task", &format!("{}. {}", row.task_code, row.task_title))]);
        notifications::notify(
            &tx,
            author,
            &format!("update_{action}"),
            &title,
            comment.as_deref().unwrap_or_default(),
            Some(&format!("/assignments/{}", row.id)),
        )
        .await?;
    }
    tx.commit().await?;
    let fresh = updates::get(ctx.state.db(), update_id).await?.ok_or(AppError::NotFound)?;
    let row = assignments::get(ctx.state.db(), row.id).await?.ok_or(AppError::NotFound)?;
    Ok(Ok((fresh, row)))
}
