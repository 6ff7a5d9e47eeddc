//! Resolution monitoring: the register of legal documents, plans with their targets and tasks, assignments
//! and their progress updates, the dashboards, the exports and the status colours.
//!
//! Every write is one function here that authorizes, validates (every problem at once, fields named as
//! the API names them), writes in one transaction, records the audit event and notifies. The reads that
//! apply a rule (what an actor sees, what they may do) are here too; the pages and the API render them.
//!
//! Input arrives as a *draft*: values typed or sent, not yet checked. A surface that cannot read a field
//! (a form's `1,5` that is not a number) says so in the draft's `unreadable` list; those problems are
//! reported with the rules' own, and a field named there is not reported twice.

pub mod assignments;
pub mod dashboards;
pub mod files;
pub mod kept_status;
pub mod legal_documents;
pub mod official_documents;
pub mod plans;
pub mod reminders;
pub mod status_colors;
pub mod updates;

use tiendo_db::monitoring::Visibility;

use crate::{App, Error, FieldError, Result, Session};

/// The assignments the session's actor sees in lists, from their access scope.
pub async fn visibility(app: &App, session: &Session) -> Result<Visibility> {
    Ok(Visibility::for_assignments(session.scope(app).await?))
}

/// The organisations the actor reports for (locality and partner officers), as ids (none for a
/// province-wide reporting role, which sees every assignment without coordinating any).
pub async fn reporting_orgs(app: &App, session: &Session) -> Result<Vec<i64>> {
    Ok(session.scope(app).await?.reporting().ids().map(<[i64]>::to_vec).unwrap_or_default())
}

/// The problems of the surface's reading followed by those of the rules, one per field (the first wins: a
/// date that did not parse is not also reported as missing). `Ok` when there are none.
pub(crate) fn problems(unreadable: &[FieldError], found: Vec<FieldError>) -> Result<()> {
    let mut out: Vec<FieldError> = Vec::with_capacity(unreadable.len() + found.len());
    for e in unreadable.iter().cloned().chain(found) {
        if !out.iter().any(|o| o.field == e.field) {
            out.push(e);
        }
    }
    crate::check(out)
}

/// A required single-line text: normalised, not empty, at most `max` characters.
pub(crate) fn required_text(field: &str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let text = tiendo_core::text::normalize_input(raw);
    if text.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(field, "too_long").arg("max", max));
    }
    text
}

/// An optional single-line text: normalised, `None` when empty.
pub(crate) fn optional_line(raw: Option<&str>) -> Option<String> {
    raw.map(tiendo_core::text::normalize_input).filter(|s| !s.is_empty())
}

/// An optional multi-line text: normalised, `None` when empty.
pub(crate) fn optional_block(raw: Option<&str>) -> Option<String> {
    raw.map(tiendo_core::text::normalize_multiline).filter(|s| !s.is_empty())
}

/// A plan the actor may read: any plan, except that a plan made from a working visit (its conclusions and
/// directives) is readable only by those who may read the visit or who are given one of its directives
/// (they see it in their lists); `NotFound` otherwise, so that its existence does not leak either (issue 14
/// item 4).
pub async fn readable_plan(app: &App, session: &Session, id: i64) -> Result<tiendo_db::monitoring::plans::Plan> {
    let plan = tiendo_db::monitoring::plans::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    if let Some(visit) = tiendo_db::monitoring::plans::visit_of(app.db(), id).await?
        && !may_read_visit_plan(app, session, id, visit).await?
    {
        return Err(Error::NotFound);
    }
    Ok(plan)
}

async fn may_read_visit_plan(app: &App, session: &Session, plan: i64, visit: i64) -> Result<bool> {
    match crate::visits::open(app, session, visit).await {
        Ok(_) => return Ok(true),
        Err(Error::NotFound) => {}
        Err(e) => return Err(e),
    }
    let filter = tiendo_db::monitoring::assignments::AssignmentFilter {
        plans: Some(vec![plan]),
        ..tiendo_db::monitoring::assignments::AssignmentFilter::default()
    };
    let vis = visibility(app, session).await?;
    Ok(!tiendo_db::monitoring::assignments::list(app.db(), &filter, &vis).await?.is_empty())
}

/// The plans made from working visits that the actor may not read, to leave out of lists.
pub(crate) async fn unreadable_visit_plans(app: &App, session: &Session) -> Result<std::collections::HashSet<i64>> {
    let mut hidden = std::collections::HashSet::new();
    for (plan, visit) in tiendo_db::monitoring::plans::visit_plans(app.db()).await? {
        if !may_read_visit_plan(app, session, plan, visit).await? {
            hidden.insert(plan);
        }
    }
    Ok(hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn unreadable_fields_come_first_and_each_field_is_reported_once() {
        let Err(Error::Invalid(merged)) = problems(
            &[FieldError::new("due_on", "date_format")],
            vec![FieldError::new("due_on", "required"), FieldError::new("priority", "invalid")],
        ) else {
            panic!("invalid expected")
        };
        let codes: Vec<(&str, &str)> = merged.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, vec![("due_on", "date_format"), ("priority", "invalid")]);
        assert!(problems(&[], Vec::new()).is_ok());
    }
}
