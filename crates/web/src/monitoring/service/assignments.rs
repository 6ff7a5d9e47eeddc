//! Assignments: who may see one, assigning a task to one or many lead organisations (with the rules on
//! deadlines), and the flags the assigning side sets.

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::Deadline;
use tiendo_core::monitoring::deadline::DeadlineError;
use tiendo_db::audit::{self, Change, Diff, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentRow, Flags, NewAssignments};
use tiendo_db::monitoring::documents;
use tiendo_db::monitoring::plans::Task;
use tiendo_db::orgtree;

use super::merge_errors;
use crate::error::{AppError, FieldError};
use crate::layout::Ctx;
use tiendo_app::i18n::Tr;

/// The priorities of an assignment.
pub const PRIORITIES: [&str; 3] = ["high", "normal", "low"];

/// Whether the actor's organisations coordinate the assignment.
pub async fn actor_coordinates(ctx: &Ctx, id: i64) -> Result<bool, AppError> {
    let orgs = crate::monitoring::reporting_orgs(&ctx.state, &ctx.auth.actor).await?;
    Ok(assignments::coordinated_by_any(ctx.state.db(), id, &orgs).await?)
}

/// Loads an assignment the actor may see, with the lead's path; 404 otherwise (the actor may not learn
/// that it exists).
pub async fn visible(ctx: &Ctx, id: i64) -> Result<(AssignmentRow, Vec<i64>), AppError> {
    let row = assignments::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = orgtree::path(ctx.state.db(), row.lead_org_id).await?;
    let coordinates = actor_coordinates(ctx, id).await?;
    if !authorize(
        &ctx.auth.actor,
        Action::View,
        &Resource::Assignment { lead_path: &path, actor_coordinates: coordinates },
    )
    .is_allowed()
    {
        return Err(AppError::NotFound);
    }
    Ok((row, path))
}

/// What the actor may do with an assignment they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    /// Write and submit progress updates (the lead's side; not on a cancelled assignment).
    pub report: bool,
    /// Set the flags (the assigning side).
    pub manage: bool,
    /// Accept or return submitted updates (the assigning side).
    pub review: bool,
}

/// What the actor may do with a visible assignment.
pub async fn permissions(ctx: &Ctx, row: &AssignmentRow, lead_path: &[i64]) -> Result<Permissions, AppError> {
    let coordinates = actor_coordinates(ctx, row.id).await?;
    let resource = Resource::Assignment { lead_path, actor_coordinates: coordinates };
    let actor = &ctx.auth.actor;
    Ok(Permissions {
        report: authorize(actor, Action::Submit, &resource).is_allowed() && !row.cancelled,
        manage: authorize(actor, Action::Edit, &resource).is_allowed(),
        review: authorize(actor, Action::Review, &resource).is_allowed(),
    })
}

/// The commune-level People's Committees in force (the "all communes" shortcut).
pub async fn commune_committees(ctx: &Ctx) -> Result<Vec<i64>, AppError> {
    Ok(assignments::commune_committees(ctx.state.db()).await?)
}

/// A deadline in words.
pub fn deadline_words(tr: &Tr, d: &Deadline) -> String {
    match d {
        Deadline::Fixed { date } => tr.t_with("deadline-fixed", &[("date", &tiendo_core::fmt::date(*date))]),
        Deadline::Yearly { month, day } => {
            tr.t_with("deadline-yearly", &[("day", &format!("{day:02}")), ("month", &format!("{month:02}"))])
        }
        Deadline::Continuous => tr.t("deadline-continuous"),
        Deadline::Period { from, to } => tr.t_with(
            "deadline-period",
            &[("from", &tiendo_core::fmt::date(*from)), ("to", &tiendo_core::fmt::date(*to))],
        ),
    }
}

/// A deadline as typed or sent: its kind and the fields that kind needs.
#[derive(Debug, Clone, Default)]
pub struct DeadlineDraft {
    /// `fixed`, `yearly`, `continuous` or `period`.
    pub kind: String,
    /// The date of a fixed deadline.
    pub due_on: Option<NaiveDate>,
    /// The start of a period.
    pub period_start: Option<NaiveDate>,
    /// The end of a period (the due date).
    pub period_end: Option<NaiveDate>,
    /// The month of a yearly deadline.
    pub yearly_month: Option<u32>,
    /// The day of a yearly deadline.
    pub yearly_day: Option<u32>,
}

impl DeadlineDraft {
    /// The deadline, or the fields at fault (named `deadline.<field>`).
    pub fn deadline(&self, errors: &mut Vec<FieldError>) -> Option<Deadline> {
        let mut need = |field: &str, value: Option<NaiveDate>| {
            if value.is_none() {
                errors.push(FieldError::new(format!("deadline.{field}"), "required"));
            }
            value
        };
        match self.kind.as_str() {
            "fixed" => need("due_on", self.due_on).map(|date| Deadline::Fixed { date }),
            "period" => {
                let from = need("period_start", self.period_start);
                let to = need("period_end", self.period_end);
                Some(Deadline::Period { from: from?, to: to? })
            }
            "yearly" => match (self.yearly_month, self.yearly_day) {
                (Some(month), Some(day)) => Some(Deadline::Yearly { month, day }),
                (month, _) => {
                    let field = if month.is_none() { "deadline.yearly_month" } else { "deadline.yearly_day" };
                    errors.push(FieldError::new(field, "required"));
                    None
                }
            },
            "continuous" => Some(Deadline::Continuous),
            "" => {
                errors.push(FieldError::new("deadline.kind", "required"));
                None
            }
            _ => {
                errors.push(FieldError::new("deadline.kind", "invalid"));
                None
            }
        }
    }
}

/// The field a refused deadline is reported on.
fn deadline_field(error: DeadlineError, deadline: &Deadline) -> &'static str {
    match (error, deadline) {
        (_, Deadline::Yearly { .. }) => "deadline.yearly_day",
        (_, Deadline::Period { .. }) => "deadline.period_end",
        _ => "deadline.due_on",
    }
}

/// An assignment of a task as typed or sent: one assignment per lead organisation.
#[derive(Debug, Clone, Default)]
pub struct AssignDraft {
    /// The lead organisations.
    pub leads: Vec<i64>,
    /// Add every commune-level People's Committee in force to the leads.
    pub all_communes: bool,
    /// The coordinating organisations (of every assignment).
    pub coordinators: Vec<i64>,
    /// The deadline.
    pub deadline: DeadlineDraft,
    /// `high`, `normal` or `low` (`normal` when empty).
    pub priority: String,
    /// The date of assignment (today when not given).
    pub assigned_on: Option<NaiveDate>,
    /// The assigning document.
    pub source_document_id: Option<i64>,
    /// A note.
    pub note: Option<String>,
}

/// Assigns a task: one assignment per lead organisation, each with its audit event; returns their ids in
/// the order of the leads. A deadline before the assignment date, a reversed period, a day that does not
/// exist, no lead, an unknown organisation or document are field errors. The caller has checked `may_plan`.
pub async fn assign(
    ctx: &Ctx,
    task: &Task,
    draft: &AssignDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<Vec<i64>, Vec<FieldError>>, AppError> {
    let mut errors = Vec::new();
    let known: Vec<i64> = orgtree::options(ctx.state.db()).await?.into_iter().map(|o| o.id).collect();
    if let Some(unknown) = draft.leads.iter().find(|l| !known.contains(l)) {
        errors.push(FieldError::new("lead_org_ids", "unknown_organization").arg("id", unknown));
    }
    let mut leads = draft.leads.clone();
    if draft.all_communes {
        leads.extend(commune_committees(ctx).await?);
    }
    leads.sort_unstable();
    leads.dedup();
    if leads.is_empty() {
        errors.push(FieldError::new("lead_org_ids", "lead_required"));
    }
    if let Some(unknown) = draft.coordinators.iter().find(|c| !known.contains(c)) {
        errors.push(FieldError::new("coordinator_org_ids", "unknown_organization").arg("id", unknown));
    }
    let assigned_on = draft.assigned_on.unwrap_or_else(crate::monitoring::today);
    let deadline = draft.deadline.deadline(&mut errors);
    if let Some(d) = deadline
        && let Err(e) = d.check(assigned_on)
    {
        errors.push(FieldError::new(deadline_field(e, &d), e.code()));
    }
    // No priority (an older page, a script) means the usual one.
    let priority = match draft.priority.trim() {
        "" => "normal",
        p => p,
    };
    if !PRIORITIES.contains(&priority) {
        errors.push(FieldError::new("priority", "invalid"));
    }
    if let Some(doc) = draft.source_document_id
        && documents::get(ctx.state.db(), doc).await?.is_none()
    {
        errors.push(FieldError::new("source_document_id", "invalid"));
    }
    let (Some(deadline), true, true) = (deadline, errors.is_empty(), parsed.is_empty()) else {
        return Ok(Err(merge_errors(parsed, errors)));
    };
    let mut coordinators = draft.coordinators.clone();
    coordinators.sort_unstable();
    coordinators.dedup();
    let new = NewAssignments {
        task_id: task.id,
        leads: leads.clone(),
        coordinators,
        deadline,
        priority: priority.to_owned(),
        assigned_on,
        assigned_by: ctx.auth.user.as_ref().map(|u| u.id),
        source_document_id: draft.source_document_id,
        origin: None,
        note: super::optional_block(draft.note.as_deref()),
        is_sample: false,
    };
    // The audit trail is kept in Vietnamese, whatever the language of the request.
    let deadline_vi = deadline_words(&Tr::new(tiendo_core::lang::Lang::Vi), &deadline);
    let tx = ctx.state.db().begin().await?;
    let ids = assignments::create(&tx, &new, Utc::now()).await?;
    for (id, lead) in ids.iter().zip(&leads) {
        let name = orgtree::name(&tx, *lead).await?.unwrap_or_default();
        let event = NewEvent::new("create", "assignment", id, format!("Giao nhiệm vụ {} cho {name}", task.code))
            .with_changes(vec![
                Change::new("lead_org_id", None::<i64>, lead),
                Change::new("deadline", None::<String>, deadline_vi.clone()),
            ]);
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Ok(ids))
}

/// Sets the flags of a visible assignment (at risk, blocked with the reason, cancelled), with an audit event
/// when something changed; 403 unless the actor is on the assigning side.
pub async fn set_flags(ctx: &Ctx, id: i64, flags: &Flags) -> Result<(), AppError> {
    let (row, path) = visible(ctx, id).await?;
    if !authorize(&ctx.auth.actor, Action::Edit, &Resource::Assignment { lead_path: &path, actor_coordinates: false })
        .is_allowed()
    {
        return Err(AppError::Forbidden);
    }
    let flags = Flags {
        blocked_reason: super::optional_block(flags.blocked_reason.as_deref()).filter(|_| flags.blocked),
        ..flags.clone()
    };
    let mut diff = Diff::new();
    diff.field("flagged_at_risk", &row.flagged_at_risk, &flags.at_risk)
        .field("blocked", &row.blocked, &flags.blocked)
        .field("cancelled", &row.cancelled, &flags.cancelled);
    let tx = ctx.state.db().begin().await?;
    assignments::set_flags(&tx, id, &flags, Utc::now()).await?;
    if !diff.is_empty() {
        let event = NewEvent::new("set_flags", "assignment", id, format!("Đánh dấu nhiệm vụ {}", row.task_code))
            .with_changes(diff.into_changes());
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(())
}
