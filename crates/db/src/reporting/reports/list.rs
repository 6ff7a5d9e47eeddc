//! Lists of reports: a filter within the reader's scope, a page cut in SQL with its total, and the reports
//! of some organisations for some periods in one query.

use tiendo_core::reporting::ReportStatus;

use super::{COLUMNS, FROM, Report};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::query::{Exec, Query};
use crate::reporting::OrgScope;

/// Which reports to list.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFilter {
    /// Only this report form.
    pub template_code: Option<String>,
    /// Only this period.
    pub period_code: Option<String>,
    /// Only these statuses (all when empty).
    pub statuses: Vec<ReportStatus>,
    /// Only this organisation.
    pub org_id: Option<i64>,
    /// The organisations the reader may see.
    pub scope: OrgScope,
}

impl ReportFilter {
    /// Every report in a scope.
    pub fn in_scope(scope: OrgScope) -> ReportFilter {
        ReportFilter { template_code: None, period_code: None, statuses: Vec::new(), org_id: None, scope }
    }

    /// Every report an actor may list (see [`OrgScope::readable`]).
    pub fn readable(scope: &tiendo_core::authz::AccessScope) -> ReportFilter {
        ReportFilter::in_scope(OrgScope::readable(scope))
    }

    /// The conditions after `WHERE 1 = 1`.
    fn push_conditions(&self, q: &mut Query) {
        if let Some(code) = &self.template_code {
            q.push(" AND r.template_code = ").push_bind(code.as_str());
        }
        if let Some(period) = &self.period_code {
            q.push(" AND r.period_code = ").push_bind(period.as_str());
        }
        if let Some(org) = self.org_id {
            q.push(" AND r.org_id = ").push_bind(org);
        }
        if !self.statuses.is_empty() {
            q.push(" AND r.status IN (");
            for (i, s) in self.statuses.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push_bind(s.code());
            }
            q.push(")");
        }
        self.scope.push_condition(q, "r.org_id");
    }

    /// The order of a list: oldest submission first when only submitted reports are asked for (a queue),
    /// otherwise the latest periods first.
    fn push_order(&self, q: &mut Query) {
        if self.statuses == [ReportStatus::Submitted] {
            q.push(" ORDER BY r.submitted_at, r.id");
        } else {
            q.push(" ORDER BY r.period_start DESC, t.name, o.sort_key, r.id");
        }
    }
}

/// Reports matching a filter, in the order of [`ReportFilter`]; at most `limit`.
pub async fn list(ex: &impl Exec, filter: &ReportFilter, limit: i64) -> Result<Vec<Report>, DbError> {
    if filter.scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1"));
    filter.push_conditions(&mut q);
    filter.push_order(&mut q);
    q.push(" LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}

/// A page of the reports matching a filter, and how many match in all: paged in SQL.
pub async fn page(ex: &impl Exec, filter: &ReportFilter, page: Page) -> Result<Listed<Report>, DbError> {
    if filter.scope.is_empty() {
        return Ok(Listed { items: Vec::new(), total: 0 });
    }
    let mut count = Query::new("SELECT COUNT(*) FROM reports r WHERE 1 = 1");
    filter.push_conditions(&mut count);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    if total == 0 || page.offset >= total {
        return Ok(Listed { items: Vec::new(), total });
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1"));
    filter.push_conditions(&mut q);
    filter.push_order(&mut q);
    q.push(" LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// The reports opened by some organisations for some periods (of any form), in one query: what "my
/// reports" matches against the periods each unit owes.
pub async fn of_orgs_for_periods(
    ex: &impl Exec,
    org_ids: &[i64],
    period_codes: &[String],
) -> Result<Vec<Report>, DbError> {
    if org_ids.is_empty() || period_codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE r.org_id IN ("));
    crate::reporting::push_ids(&mut q, org_ids);
    q.push(") AND r.period_code IN (");
    for (i, code) in period_codes.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(code.as_str());
    }
    q.push(") ORDER BY r.id");
    ex.fetch_all(q).await
}
