//! The visit calendar and list: visits overlapping a period, filtered by locality, organisation or
//! leader, and only those the caller may see (their [`AccessScope`]).

use chrono::NaiveDate;

use tiendo_core::authz::{AccessScope, Coverage, Role};

use super::{STOP_SELECT, Stop};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// The filters of the calendar and the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitFilter {
    /// Only visits ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Only visits starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Only visits with a stop in this administrative unit or in a unit under it (a district and its
    /// communes).
    pub locality: Option<i64>,
    /// Only visits this organisation organised, hosted or sent a member to.
    pub org: Option<i64>,
    /// Only visits with a stop hosted by this organisation.
    pub host: Option<i64>,
    /// Only visits led by this person.
    pub leader: Option<i64>,
}

/// A visit in the calendar or the list.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VisitSummary {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The organising organisation.
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// The leader, if recorded.
    pub leader_id: Option<i64>,
    /// The leader's full name.
    pub leader_name: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Which visits an actor may see, built from their [`AccessScope`]: those organised by an organisation
/// their staff, editor or administrator roles cover, and those involving (a stop hosted, a member sent, a
/// directive led or coordinated) an organisation they report for or apply for. The list form of
/// `tiendo_core::visits::may_view`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitScope {
    /// Every visit (a province-wide role that reads visits).
    All,
    /// Those organised by `readers` or involving `reporting`.
    Orgs {
        /// Organisations whose visits the actor reads as staff, editor or administrator.
        readers: Vec<i64>,
        /// Organisations the actor reports for or applies for.
        reporting: Vec<i64>,
    },
}

impl VisitScope {
    /// The visits an actor with this access scope may see.
    pub fn of(scope: &AccessScope) -> VisitScope {
        let readers = scope.coverage(|r| {
            matches!(r, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer | Role::Editor)
        });
        let reporting = scope.taking_part();
        match (readers, reporting) {
            (Coverage::All, _) | (_, Coverage::All) => VisitScope::All,
            (Coverage::Orgs(readers), Coverage::Orgs(reporting)) => VisitScope::Orgs { readers, reporting },
        }
    }

    /// Whether no visit at all is visible.
    pub fn is_empty(&self) -> bool {
        matches!(self, VisitScope::Orgs { readers, reporting } if readers.is_empty() && reporting.is_empty())
    }

    /// Appends the SQL condition "visit `v` is visible".
    fn push_condition(&self, q: &mut Query) {
        let VisitScope::Orgs { readers, reporting } = self else { return };
        q.push(" AND (v.organizer_org_id IN (");
        push_ids(q, readers);
        q.push(") OR v.id IN (SELECT visit_id FROM visit_stops WHERE host_org_id IN (");
        push_ids(q, reporting);
        q.push(")) OR v.id IN (SELECT visit_id FROM visit_members WHERE organization_id IN (");
        push_ids(q, reporting);
        q.push(
            ")) OR v.id IN (SELECT c.visit_id FROM visit_conclusions c JOIN assignments a ON a.task_id = c.task_id \
                WHERE a.lead_org_id IN (",
        );
        push_ids(q, reporting);
        q.push(") OR a.id IN (SELECT assignment_id FROM assignment_coordinators WHERE org_id IN (");
        push_ids(q, reporting);
        q.push("))))");
    }
}

/// The rows of the list: `select` over the visits matching the filter and visible in `scope`.
fn matching(select: &str, filter: &VisitFilter, scope: &VisitScope) -> Query {
    let mut q = Query::new(format!(
        "SELECT {select} FROM visits v JOIN organizations o ON o.id = v.organizer_org_id \
         LEFT JOIN visit_members l ON l.visit_id = v.id AND l.role = 'leader' \
         LEFT JOIN people lp ON lp.id = l.person_id WHERE 1 = 1"
    ));
    scope.push_condition(&mut q);
    if let Some(from) = filter.from {
        q.push(" AND v.ends_on >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        q.push(" AND v.starts_on <= ").push_bind(to);
    }
    if let Some(unit) = filter.locality {
        q.push(
            " AND v.id IN (SELECT s.visit_id FROM visit_stops s JOIN admin_units u ON u.id = s.admin_unit_id \
             WHERE u.id = ",
        )
        .push_bind(unit)
        .push(" OR u.parent_id = ")
        .push_bind(unit)
        .push(")");
    }
    if let Some(org) = filter.org {
        q.push(" AND (v.organizer_org_id = ").push_bind(org);
        q.push(" OR v.id IN (SELECT visit_id FROM visit_stops WHERE host_org_id = ").push_bind(org);
        q.push(") OR v.id IN (SELECT visit_id FROM visit_members WHERE organization_id = ").push_bind(org);
        q.push("))");
    }
    if let Some(host) = filter.host {
        q.push(" AND v.id IN (SELECT visit_id FROM visit_stops WHERE host_org_id = ").push_bind(host).push(")");
    }
    if let Some(leader) = filter.leader {
        q.push(" AND l.person_id = ").push_bind(leader);
    }
    q
}

const SUMMARY: &str = "v.id, v.title, v.starts_on, v.ends_on, v.organizer_org_id, o.name AS organizer_name, \
     l.person_id AS leader_id, lp.full_name AS leader_name, v.is_sample";

/// Every visit matching the filter that the actor may see, by first day then id (the calendar, which
/// shows a month or the whole list, and an organisation's page).
pub async fn list(ex: &impl Exec, filter: &VisitFilter, scope: &AccessScope) -> Result<Vec<VisitSummary>, DbError> {
    let scope = VisitScope::of(scope);
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = matching(SUMMARY, filter, &scope);
    q.push(" ORDER BY v.starts_on, v.id");
    ex.fetch_all(q).await
}

/// A page of the visits matching the filter that the actor may see, by first day then id, with how many
/// match in all.
pub async fn page(
    ex: &impl Exec,
    filter: &VisitFilter,
    scope: &AccessScope,
    page: Page,
) -> Result<Listed<VisitSummary>, DbError> {
    let scope = VisitScope::of(scope);
    if scope.is_empty() {
        return Ok(Listed { items: Vec::new(), total: 0 });
    }
    let (total,): (i64,) = ex.fetch_one(matching("COUNT(*)", filter, &scope)).await?;
    let mut q = matching(SUMMARY, filter, &scope);
    q.push(" ORDER BY v.starts_on, v.id LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// The stops of several visits, by visit, day and time.
pub async fn stops_of(ex: &impl Exec, visit_ids: &[i64]) -> Result<Vec<Stop>, DbError> {
    if visit_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("{STOP_SELECT} WHERE s.visit_id IN ("));
    push_ids(&mut q, visit_ids);
    q.push(") ORDER BY s.visit_id, s.on_date, COALESCE(s.start_time, ''), s.sort_order, s.id");
    ex.fetch_all(q).await
}

/// The localities of the locality filter: the units of every stop and the units above them (a district
/// for a commune), in Vietnamese order: (unit id, full name).
pub async fn locality_options(ex: &impl Exec) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT u.id, u.full_name FROM admin_units u WHERE u.id IN (SELECT admin_unit_id FROM visit_stops) \
         OR u.id IN (SELECT p.parent_id FROM admin_units p JOIN visit_stops s ON s.admin_unit_id = p.id \
         WHERE p.level = 'commune') ORDER BY u.sort_key, u.id",
    ))
    .await
}

/// The people who led a visit, for the leader filter: (person id, full name).
pub async fn leader_options(ex: &impl Exec) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT DISTINCT p.id, p.full_name, p.sort_key FROM visit_members m JOIN people p ON p.id = m.person_id \
         WHERE m.role = 'leader' ORDER BY p.sort_key, p.id",
    ))
    .await
    .map(|rows: Vec<(i64, String, String)>| rows.into_iter().map(|(id, name, _)| (id, name)).collect())
}
