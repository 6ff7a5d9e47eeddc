//! Storage of working visits (đoàn công tác): the visit, its delegation and stops, its photos and
//! documents, the conclusions (tasks of the plan each visit owns) and the directives (that plan's
//! assignments), the calendar queries, the escalation of overdue directives, and the draft of a news
//! article.
//!
//! A visit owns one plan of monitoring (`plans.visit_id`), created with it: a conclusion is a task of that
//! plan and a directive an assignment of the task, so directives are counted by every dashboard, list,
//! export and reminder without anything specific to visits there.

mod article;
mod conclusions;
mod escalation;
mod files;
mod list;

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::directory::Honorific;
use tiendo_core::text::fold;

use crate::error::DbError;
use crate::monitoring::plans::{self, PlanInput};
use crate::query::{Exec, Query};

pub use article::{ArticleAbout, ArticleDraft, article_draft, articles_about};
pub use conclusions::{
    Conclusion, add_conclusion, conclusion, conclusions, directive_coordinators, directive_plans, directives,
    last_directive_recorded,
};
pub use escalation::{
    EscalationCandidate, KIND as ESCALATION_KIND, OpenEscalation, escalated, leaders_of, open_directives,
    open_escalations,
};
pub use files::{NewFile, VisitFile, add_file, file, files, remove_file, visits_using_attachment};
pub use list::{VisitFilter, VisitScope, VisitSummary, leader_options, list, locality_options, page, stops_of};

/// A visit with the names lists and pages show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Visit {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation.
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// Its abbreviation (`SKHCN`), for the notice's symbol.
    pub organizer_abbreviation: Option<String>,
    /// The decision forming the delegation.
    pub legal_basis_id: Option<i64>,
    /// Its symbol.
    pub legal_basis_symbol: Option<String>,
    /// Its summary (trích yếu).
    pub legal_basis_summary: Option<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The general assessment of the whole visit.
    pub assessment: Option<String>,
    /// The plan that tracks its conclusions.
    pub plan_id: Option<i64>,
    /// The plan it follows up (the parent of its own plan).
    pub parent_plan_id: Option<i64>,
    /// That plan's title.
    pub parent_plan_title: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

const VISIT_SELECT: &str = "SELECT v.id, v.title, v.purpose, v.organizer_org_id, o.name AS organizer_name, \
     o.abbreviation AS organizer_abbreviation, v.legal_basis_id, d.symbol AS legal_basis_symbol, \
     d.summary AS legal_basis_summary, v.starts_on, v.ends_on, v.assessment, p.id AS plan_id, \
     p.parent_id AS parent_plan_id, pp.title AS parent_plan_title, v.is_sample, v.created_at, v.updated_at \
     FROM visits v JOIN organizations o ON o.id = v.organizer_org_id \
     LEFT JOIN legal_documents d ON d.id = v.legal_basis_id LEFT JOIN plans p ON p.visit_id = v.id \
     LEFT JOIN plans pp ON pp.id = p.parent_id";

/// One visit.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Visit>, DbError> {
    ex.fetch_optional(Query::new(format!("{VISIT_SELECT} WHERE v.id = $1")).bind(id)).await
}

/// A member of the delegation.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Row id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name with their title ("TS. Nguyễn Đắc Bình Minh").
    pub person_name: String,
    /// The organisation represented.
    pub organization_id: Option<i64>,
    /// Its name.
    pub organization_name: Option<String>,
    /// `leader`, `deputy`, `member` or `secretary`.
    pub role: String,
    /// The office as the notice names it.
    pub position: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    person_id: i64,
    full_name: String,
    title: Option<String>,
    organization_id: Option<i64>,
    organization_name: Option<String>,
    role: String,
    position: Option<String>,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Member {
        let honorific = Honorific::parse(r.title.as_deref().unwrap_or_default()).unwrap_or_default();
        Member {
            id: r.id,
            person_id: r.person_id,
            person_name: honorific.before(&r.full_name),
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            role: r.role,
            position: r.position,
        }
    }
}

/// The delegation, in the order it was typed (the leader wherever typed).
pub async fn members(ex: &impl Exec, visit_id: i64) -> Result<Vec<Member>, DbError> {
    let rows: Vec<MemberRow> = ex
        .fetch_all(
            Query::new(
                "SELECT m.id, m.person_id, p.full_name, p.title, m.organization_id, o.name AS organization_name, m.role, \
                 m.position FROM visit_members m JOIN people p ON p.id = m.person_id \
                 LEFT JOIN organizations o ON o.id = m.organization_id WHERE m.visit_id = $1 ORDER BY m.sort_order, m.id",
            )
            .bind(visit_id),
        )
        .await?;
    Ok(rows.into_iter().map(Member::from).collect())
}

/// A stop of a visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Stop {
    /// Row id.
    pub id: i64,
    /// The visit.
    pub visit_id: i64,
    /// The day.
    pub on_date: NaiveDate,
    /// The time (`08:30`).
    pub start_time: Option<String>,
    /// The place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The administrative unit of the host at the time.
    pub admin_unit_id: Option<i64>,
    /// Its full name ("Thị xã Quảng Yên").
    pub unit_name: Option<String>,
    /// The programme.
    pub agenda: Option<String>,
    /// The minutes.
    pub minutes: Option<String>,
    /// The general assessment.
    pub assessment: Option<String>,
}

pub(crate) const STOP_SELECT: &str = "SELECT s.id, s.visit_id, s.on_date, s.start_time, s.place, s.host_org_id, \
     o.name AS host_name, s.admin_unit_id, u.full_name AS unit_name, s.agenda, s.minutes, s.assessment \
     FROM visit_stops s JOIN organizations o ON o.id = s.host_org_id LEFT JOIN admin_units u ON u.id = s.admin_unit_id";

/// The stops of a visit, by day, time and the order typed.
pub async fn stops(ex: &impl Exec, visit_id: i64) -> Result<Vec<Stop>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "{STOP_SELECT} WHERE s.visit_id = $1 ORDER BY s.on_date, COALESCE(s.start_time, ''), s.sort_order, s.id"
        ))
        .bind(visit_id),
    )
    .await
}

/// One stop.
pub async fn stop(ex: &impl Exec, stop_id: i64) -> Result<Option<Stop>, DbError> {
    ex.fetch_optional(Query::new(format!("{STOP_SELECT} WHERE s.id = $1")).bind(stop_id)).await
}

/// A member to store, already found in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// The person.
    pub person_id: i64,
    /// The organisation represented.
    pub organization_id: Option<i64>,
    /// The role's code.
    pub role: String,
    /// The office as the notice names it.
    pub position: Option<String>,
}

/// A stop to store; with an id, the stored stop is updated in place (its conclusions and photos stay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStop {
    /// The stored stop, when editing.
    pub id: Option<i64>,
    /// The day.
    pub on_date: NaiveDate,
    /// The time (`08:30`).
    pub start_time: Option<String>,
    /// The place.
    pub place: Option<String>,
    /// The host.
    pub host_org_id: i64,
    /// The host's administrative unit.
    pub admin_unit_id: Option<i64>,
    /// The programme.
    pub agenda: Option<String>,
    /// The minutes.
    pub minutes: Option<String>,
    /// The general assessment.
    pub assessment: Option<String>,
}

/// What is stored for a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRecord {
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation.
    pub organizer_org_id: i64,
    /// The decision forming the delegation.
    pub legal_basis_id: Option<i64>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The general assessment.
    pub assessment: Option<String>,
    /// The delegation.
    pub members: Vec<NewMember>,
    /// The stops.
    pub stops: Vec<NewStop>,
    /// Stored stops to remove (they must not carry conclusions or files: see [`stop_in_use`]).
    pub removed_stops: Vec<i64>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The plan a visit owns: its title and the plan it follows up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPlan {
    /// The plan's title ("Kết luận của đoàn công tác: …").
    pub title: String,
    /// The plan or programme the visit follows up.
    pub parent_id: Option<i64>,
}

async fn write_members_and_stops(ex: &impl Exec, visit_id: i64, r: &VisitRecord) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM visit_members WHERE visit_id = $1").bind(visit_id)).await?;
    for (i, m) in r.members.iter().enumerate() {
        ex.execute(
            Query::new(
                "INSERT INTO visit_members (visit_id, person_id, organization_id, role, position, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(visit_id)
            .bind(m.person_id)
            .bind(m.organization_id)
            .bind(m.role.as_str())
            .bind(m.position.clone())
            .bind(i as i64),
        )
        .await?;
    }
    for id in &r.removed_stops {
        ex.execute(Query::new("DELETE FROM visit_stops WHERE id = $1 AND visit_id = $2").bind(*id).bind(visit_id))
            .await?;
    }
    for (i, s) in r.stops.iter().enumerate() {
        let q = match s.id {
            Some(id) => Query::new(
                "UPDATE visit_stops SET on_date = $1, start_time = $2, place = $3, host_org_id = $4, admin_unit_id = $5, \
                 agenda = $6, minutes = $7, assessment = $8, sort_order = $9 WHERE id = $10 AND visit_id = $11",
            )
            .bind(s.on_date)
            .bind(s.start_time.clone())
            .bind(s.place.clone())
            .bind(s.host_org_id)
            .bind(s.admin_unit_id)
            .bind(s.agenda.clone())
            .bind(s.minutes.clone())
            .bind(s.assessment.clone())
            .bind(i as i64)
            .bind(id)
            .bind(visit_id),
            None => Query::new(
                "INSERT INTO visit_stops (on_date, start_time, place, host_org_id, admin_unit_id, agenda, minutes, \
                 assessment, sort_order, visit_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(s.on_date)
            .bind(s.start_time.clone())
            .bind(s.place.clone())
            .bind(s.host_org_id)
            .bind(s.admin_unit_id)
            .bind(s.agenda.clone())
            .bind(s.minutes.clone())
            .bind(s.assessment.clone())
            .bind(i as i64)
            .bind(visit_id),
        };
        ex.execute(q).await?;
    }
    Ok(())
}

/// Creates a visit with its delegation, its stops and the plan it owns; returns the visit's id.
pub async fn create(
    ex: &impl Exec,
    r: &VisitRecord,
    plan: &OwnPlan,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO visits (title, title_folded, purpose, organizer_org_id, legal_basis_id, starts_on, ends_on, \
                 assessment, is_sample, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(r.title.as_str())
            .bind(fold(&r.title))
            .bind(r.purpose.as_str())
            .bind(r.organizer_org_id)
            .bind(r.legal_basis_id)
            .bind(r.starts_on)
            .bind(r.ends_on)
            .bind(r.assessment.clone())
            .bind(r.is_sample)
            .bind(created_by)
            .bind(now),
        )
        .await?;
    let plan_id = plans::create(ex, &plan_input(r, plan), now).await?;
    ex.execute(Query::new("UPDATE plans SET visit_id = $1 WHERE id = $2").bind(id).bind(plan_id)).await?;
    write_members_and_stops(ex, id, r).await?;
    Ok(id)
}

fn plan_input(r: &VisitRecord, plan: &OwnPlan) -> PlanInput {
    PlanInput {
        kind: "plan".to_owned(),
        title: plan.title.clone(),
        document_id: None,
        parent_id: plan.parent_id,
        owner_org_id: Some(r.organizer_org_id),
        period_start: Some(r.starts_on),
        period_end: None,
        is_sample: r.is_sample,
    }
}

/// Replaces a visit's fields, delegation and stops (stops with an id are updated in place), and keeps
/// its plan's title, owner and parent in step.
pub async fn update(
    ex: &impl Exec,
    id: i64,
    r: &VisitRecord,
    plan: &OwnPlan,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE visits SET title = $1, title_folded = $2, purpose = $3, organizer_org_id = $4, legal_basis_id = $5, \
             starts_on = $6, ends_on = $7, assessment = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(r.title.as_str())
        .bind(fold(&r.title))
        .bind(r.purpose.as_str())
        .bind(r.organizer_org_id)
        .bind(r.legal_basis_id)
        .bind(r.starts_on)
        .bind(r.ends_on)
        .bind(r.assessment.clone())
        .bind(now)
        .bind(id),
    )
    .await?;
    if let Some(plan_id) = get(ex, id).await?.and_then(|v| v.plan_id) {
        let current = plans::get(ex, plan_id).await?.ok_or(DbError::NotFound)?;
        let input = PlanInput { is_sample: current.is_sample, ..plan_input(r, plan) };
        plans::update(ex, plan_id, &input, now).await?;
    }
    write_members_and_stops(ex, id, r).await
}

/// Whether a stop carries conclusions or files (and so cannot be removed).
pub async fn stop_in_use(ex: &impl Exec, stop_id: i64) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new(
                "SELECT (SELECT COUNT(*) FROM visit_conclusions WHERE stop_id = $1) \
                 + (SELECT COUNT(*) FROM visit_files WHERE stop_id = $1)",
            )
            .bind(stop_id),
        )
        .await?;
    Ok(n > 0)
}

/// The organisations a visit involved: the hosts of its stops, the organisations of its members, and
/// the leads and coordinators of its directives.
pub async fn involved_orgs(ex: &impl Exec, visit_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new(
                "SELECT host_org_id FROM visit_stops WHERE visit_id = $1 \
                 UNION SELECT organization_id FROM visit_members WHERE visit_id = $1 AND organization_id IS NOT NULL \
                 UNION SELECT a.lead_org_id FROM assignments a JOIN visit_conclusions c ON c.task_id = a.task_id \
                   WHERE c.visit_id = $1 \
                 UNION SELECT k.org_id FROM assignment_coordinators k JOIN assignments a ON a.id = k.assignment_id \
                   JOIN visit_conclusions c ON c.task_id = a.task_id WHERE c.visit_id = $1",
            )
            .bind(visit_id),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A person of the directory whose name matches what was typed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NamedPerson {
    /// The person.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Title (`TS.`).
    pub title: Option<String>,
    /// Position.
    pub position: Option<String>,
}

/// The people whose full name, or name with their title ("TS. Nguyễn Đắc Bình Minh"), is `typed`,
/// ignoring case and diacritics.
pub async fn people_named(ex: &impl Exec, typed: &str) -> Result<Vec<NamedPerson>, DbError> {
    let wanted = fold(typed.trim());
    let Some(given) = wanted.split_whitespace().last() else { return Ok(Vec::new()) };
    let candidates: Vec<NamedPerson> = ex
        .fetch_all(
            Query::new("SELECT id, full_name, title, position FROM people WHERE name_folded LIKE $1 ORDER BY id")
                .bind(format!("%{given}")),
        )
        .await?;
    Ok(candidates
        .into_iter()
        .filter(|p| {
            let honorific = Honorific::parse(p.title.as_deref().unwrap_or_default()).unwrap_or_default();
            fold(&p.full_name) == wanted || fold(&honorific.before(&p.full_name)) == wanted
        })
        .collect())
}

/// The current affiliations of a person on a day: (organisation id, role), earliest first.
pub async fn roles_on(ex: &impl Exec, person_id: i64, day: NaiveDate) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT organization_id, role FROM affiliations WHERE person_id = $1 \
             AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to > $2) \
             ORDER BY valid_from, id",
        )
        .bind(person_id)
        .bind(day),
    )
    .await
}

/// An organisation offered in the visit forms: those in force and those that ended (a visit may be
/// recorded after the fact), with the day they ended.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrgChoice {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The day it ended (exclusive), if it did.
    pub valid_to: Option<NaiveDate>,
    /// Its administrative unit.
    pub admin_unit_id: Option<i64>,
}

/// Every organisation, in Vietnamese order.
pub async fn org_choices(ex: &impl Exec) -> Result<Vec<OrgChoice>, DbError> {
    ex.fetch_all(Query::new("SELECT id, name, valid_to, admin_unit_id FROM organizations ORDER BY sort_key, id")).await
}

/// The plans a visit may follow up (those not owned by a visit), by id: (id, title).
pub async fn plan_choices(ex: &impl Exec) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(Query::new("SELECT id, title FROM plans WHERE visit_id IS NULL ORDER BY id")).await
}

/// The visit that owns a plan, if any.
pub async fn visit_of_plan(ex: &impl Exec, plan_id: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> =
        ex.fetch_optional(Query::new("SELECT visit_id FROM plans WHERE id = $1").bind(plan_id)).await?;
    Ok(row.and_then(|(v,)| v))
}
