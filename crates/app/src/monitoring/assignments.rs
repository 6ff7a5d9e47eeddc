//! Assignments: who sees one and what they may do with it, the lists with their filters, assigning a task
//! to one or many lead organisations (with the rules on deadlines), and the flags the assigning side sets.

use std::collections::HashSet;

use chrono::NaiveDate;
use tiendo_core::monitoring::assignment::{self as rules, AssignmentAccess, AssignmentAction};
use tiendo_core::monitoring::deadline_input::refused_field;
use tiendo_core::monitoring::{Deadline, DeadlineFields, derive_status};
use tiendo_db::audit::{Change, Diff};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, AssignmentRow, Flags, NewAssignments, PageRequest};
use tiendo_db::monitoring::status_sql::StatusFilter;
use tiendo_db::monitoring::{Visibility, legal_documents, plans};
use tiendo_db::orgtree;

use super::{optional_block, problems, reporting_orgs, visibility};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// The priorities of an assignment.
pub const PRIORITIES: [&str; 3] = ["high", "normal", "low"];

/// An assignment the actor sees, with the facts its rules need.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The row.
    pub row: AssignmentRow,
    /// The lead organisation's path from the root.
    pub lead_path: Vec<i64>,
    /// Whether one of the organisations the actor reports for coordinates it.
    pub actor_coordinates: bool,
}

impl Assignment {
    /// The facts [`tiendo_core::monitoring::assignment`] and the update workflow decide on.
    pub fn access(&self) -> AssignmentAccess<'_> {
        AssignmentAccess {
            lead_path: &self.lead_path,
            actor_coordinates: self.actor_coordinates,
            cancelled: self.row.cancelled,
        }
    }

    /// What the session's actor may do with it now.
    pub fn actions(&self, session: &Session) -> Vec<AssignmentAction> {
        rules::available_actions(&session.actor, &self.access())
    }
}

/// Loads an assignment the actor may see; `NotFound` otherwise (the actor may not learn that it exists).
pub async fn load(app: &App, session: &Session, id: i64) -> Result<Assignment> {
    let row = assignments::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    let lead_path = orgtree::path(app.db(), row.lead_org_id).await?;
    let orgs = reporting_orgs(app, session).await?;
    let actor_coordinates = assignments::coordinated_by_any(app.db(), id, &orgs).await?;
    let assignment = Assignment { row, lead_path, actor_coordinates };
    if !rules::may_view(&session.actor, &assignment.access()) {
        return Err(Error::NotFound);
    }
    Ok(assignment)
}

/// The filters of the assignment lists (the page's and the API's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// A derived state's code, or `at_risk`, `blocked`; empty for every state.
    pub status: String,
    /// A plan (with its sub-plans).
    pub plan: Option<i64>,
    /// The lead organisation.
    pub lead: Option<i64>,
    /// Led or coordinated by this organisation.
    pub org: Option<i64>,
    /// Words of the task's title.
    pub q: String,
    /// `high`, `normal`, `low`; empty for any.
    pub priority: String,
}

/// The assignments the actor sees that match the filters, the overdue first (most days overdue first),
/// then by id: a page of them and how many match in all. An unknown status matches none.
pub async fn list(
    app: &App,
    session: &Session,
    filter: &ListFilter,
    page: PageRequest,
) -> Result<(Vec<AssignmentRow>, i64)> {
    let status = match filter.status.trim() {
        "" => None,
        code => match StatusFilter::from_code(code) {
            Some(s) => Some(s),
            None => return Ok((Vec::new(), 0)),
        },
    };
    let plans = match filter.plan {
        Some(p) => Some(plans::subtree_ids(app.db(), p).await?),
        None => None,
    };
    let db_filter = AssignmentFilter {
        plans,
        lead: filter.lead,
        involving: filter.org,
        q: Some(filter.q.clone()),
        priority: Some(filter.priority.trim().to_owned()).filter(|p| !p.is_empty()),
        ..AssignmentFilter::default()
    };
    let vis = visibility(app, session).await?;
    let db = app.reads(session);
    // Department staff page through every assignment of the province: a page is cut from the kept status
    // rows when the filters are on their facts (plan, lead, status); the words of a title, a coordinator
    // and the priority, an organisation's view and an export (every row) are the database's to select.
    if let (Visibility::All, Some(limit)) = (&vis, page.limit)
        && filter.q.trim().is_empty()
        && filter.org.is_none()
        && db_filter.priority.is_none()
    {
        let on_facts = FactsFilter { plans: db_filter.plans.as_deref(), lead: filter.lead, status };
        return kept_page(app, db, &on_facts, app.today(), limit, page.offset).await;
    }
    Ok(assignments::page(db, &db_filter, status, &vis, app.today(), page).await?)
}

/// Filters on the facts of the status rows.
struct FactsFilter<'a> {
    plans: Option<&'a [i64]>,
    lead: Option<i64>,
    status: Option<StatusFilter>,
}

/// A page of every assignment, as [`assignments::page`] gives it (the overdue first, by the due date of
/// their cycle, then by id; and how many match), cut from the kept status rows
/// ([`super::kept_status`]) and read with its names by id.
async fn kept_page(
    app: &App,
    db: &tiendo_db::Db,
    filter: &FactsFilter<'_>,
    today: NaiveDate,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AssignmentRow>, i64)> {
    let rows = super::kept_status::status_rows(app, db, &Visibility::All).await?;
    let plans: Option<HashSet<i64>> = filter.plans.map(|p| p.iter().copied().collect());
    let mut matched: Vec<(bool, Option<NaiveDate>, i64)> = rows
        .iter()
        .filter(|r| plans.as_ref().is_none_or(|p| p.contains(&r.plan_id)))
        .filter(|r| filter.lead.is_none_or(|lead| lead == r.lead_org_id))
        .filter_map(|r| {
            let s = derive_status(&r.facts(), today);
            if filter.status.is_some_and(|f| !f.matches(&s)) {
                return None;
            }
            Some(assignments::list_order(&s, r.id))
        })
        .collect();
    let total = i64::try_from(matched.len()).unwrap_or(i64::MAX);
    matched.sort_unstable();
    let from = usize::try_from(offset).unwrap_or(0).min(matched.len());
    let to = from.saturating_add(usize::try_from(limit).unwrap_or(0)).min(matched.len());
    let ids: Vec<i64> = matched[from..to].iter().map(|(_, _, id)| *id).collect();
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let by_id = AssignmentFilter { ids: Some(ids.clone()), ..AssignmentFilter::default() };
    let mut page = assignments::list(db, &by_id, &Visibility::All).await?;
    page.sort_by_cached_key(|r| ids.iter().position(|id| *id == r.id));
    Ok((page, total))
}

/// A deadline in words ("Trước ngày 30/04/2020", "Thường xuyên").
pub fn deadline_words(tr: &Tr, d: &Deadline) -> String {
    let date = |d: NaiveDate| tiendo_core::fmt::date(d);
    match d {
        Deadline::Fixed { date: on } => tr.t_with("deadline-fixed", &[("date", &date(*on))]),
        Deadline::Yearly { month, day } => {
            tr.t_with("deadline-yearly", &[("day", &format!("{day:02}")), ("month", &format!("{month:02}"))])
        }
        Deadline::Continuous => tr.t("deadline-continuous"),
        Deadline::Period { from, to } => tr.t_with("deadline-period", &[("from", &date(*from)), ("to", &date(*to))]),
    }
}

/// The commune-level People's Committees in force (the "every commune" shortcut).
pub async fn commune_committees(app: &App) -> Result<Vec<i64>> {
    Ok(assignments::commune_committees(app.db()).await?)
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
    pub deadline: DeadlineFields,
    /// `high`, `normal` or `low` (`normal` when empty).
    pub priority: String,
    /// The date of assignment (today when not given).
    pub assigned_on: Option<NaiveDate>,
    /// The assigning legal document.
    pub source_document_id: Option<i64>,
    /// A note.
    pub note: Option<String>,
    /// The officer recorded as assigning it, when not the actor (the demo's history).
    pub assigned_by: Option<i64>,
    /// Invented for the demo (only the demo loader sets it).
    pub is_sample: bool,
    /// Fields the caller could not read (a deadline's are named `deadline.<field>`).
    pub unreadable: Vec<FieldError>,
}

/// Assigns a task (province-wide department staff): one assignment per lead organisation, each with its
/// audit event; their ids in the order of the leads' ids. No lead (`lead_required`), an unknown
/// organisation or document, a deadline before the assignment date (`deadline_before_assignment`), a
/// reversed period, a day that does not exist are field errors.
pub async fn assign(app: &App, session: &Session, task_id: i64, draft: &AssignDraft) -> Result<Vec<i64>> {
    super::plans::planner(session)?;
    let task = plans::task(app.db(), task_id).await?.ok_or(Error::NotFound)?;
    let mut errors = Vec::new();
    let assigned_on = draft.assigned_on.unwrap_or_else(|| app.today());
    // Organisations in force on the day of assignment (the demo records its 2017 story on its days).
    if let Some(unknown) = assignments::not_in_force(app.db(), &draft.leads, assigned_on).await?.first() {
        errors.push(FieldError::new("lead_org_ids", "unknown_organization").arg("id", unknown));
    }
    let mut leads = draft.leads.clone();
    if draft.all_communes {
        leads.extend(commune_committees(app).await?);
    }
    leads.sort_unstable();
    leads.dedup();
    if leads.is_empty() {
        errors.push(FieldError::new("lead_org_ids", "lead_required"));
    }
    if let Some(unknown) = assignments::not_in_force(app.db(), &draft.coordinators, assigned_on).await?.first() {
        errors.push(FieldError::new("coordinator_org_ids", "unknown_organization").arg("id", unknown));
    }
    let deadline = match draft.deadline.deadline() {
        Ok(d) => {
            if let Err(e) = d.check(assigned_on) {
                errors.push(FieldError::new(format!("deadline.{}", refused_field(&d)), e.code()));
            }
            Some(d)
        }
        Err(issues) => {
            errors.extend(issues.into_iter().map(|i| FieldError::new(format!("deadline.{}", i.field), i.code)));
            None
        }
    };
    // No priority (an older page, a script) means the usual one.
    let priority = match draft.priority.trim() {
        "" => "normal",
        p => p,
    };
    if !PRIORITIES.contains(&priority) {
        errors.push(FieldError::new("priority", "invalid"));
    }
    if let Some(doc) = draft.source_document_id
        && legal_documents::get(app.db(), doc).await?.is_none()
    {
        errors.push(FieldError::new("source_document_id", "invalid"));
    }
    problems(&draft.unreadable, errors)?;
    let deadline = deadline.ok_or_else(|| Error::invalid("deadline.kind", "required"))?;
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
        assigned_by: draft.assigned_by.or(session.user_id()),
        source_document_id: draft.source_document_id,
        origin: None,
        note: optional_block(draft.note.as_deref()),
        is_sample: draft.is_sample,
    };
    // The audit trail keeps the deadline in Vietnamese, whatever the language of the request.
    let deadline_vi = deadline_words(&Tr::new(tiendo_core::lang::Lang::Vi), &deadline);
    let tx = app.begin().await?;
    let ids = assignments::create(&tx, &new, app.now()).await?;
    for (id, lead) in ids.iter().zip(&leads) {
        let name = orgtree::name(&tx, *lead).await?.unwrap_or_default();
        let entry = Entry::new("create", "assignment", id, "audit-monitoring-assigned")
            .arg("task", &task.code)
            .arg("lead", &name)
            .changes(vec![
                Change::new("lead_org_id", None::<i64>, lead),
                Change::new("deadline", None::<String>, deadline_vi.clone()),
            ]);
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// Sets the flags of an assignment (the assigning side): at risk, blocked with the reason (kept only when
/// blocked), cancelled; one audit event when something changed. `NotFound` when the actor may not see it,
/// `Forbidden` unless on the assigning side.
pub async fn set_flags(app: &App, session: &Session, id: i64, flags: &Flags) -> Result<()> {
    let assignment = load(app, session, id).await?;
    if !rules::allows(&session.actor, &assignment.access(), AssignmentAction::SetFlags) {
        return Err(Error::FORBIDDEN);
    }
    let row = &assignment.row;
    let flags = Flags {
        blocked_reason: optional_block(flags.blocked_reason.as_deref()).filter(|_| flags.blocked),
        ..flags.clone()
    };
    let mut diff = Diff::new();
    diff.field("flagged_at_risk", &row.flagged_at_risk, &flags.at_risk)
        .field("blocked", &row.blocked, &flags.blocked)
        .field("cancelled", &row.cancelled, &flags.cancelled);
    let tx = app.begin().await?;
    assignments::set_flags(&tx, id, &flags, app.now()).await?;
    if !diff.is_empty() {
        let entry = Entry::new("set_flags", "assignment", id, "audit-monitoring-flags-set")
            .arg("task", &row.task_code)
            .changes(diff.into_changes());
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
