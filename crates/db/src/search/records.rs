//! The records the index holds, read in batches by id with what their documents show (titles, texts,
//! names of the organisations) and what decides who may open them (owners, leads, coordinators, the
//! organisations a visit involved). One query per kind of row and batch, never one per record.

use chrono::{DateTime, NaiveDate, Utc};

use super::with_ids;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A document of the register (văn bản).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LegalDocumentRecord {
    /// Row id.
    pub id: i64,
    /// `state` or `party`.
    pub system: String,
    /// The type code (`nghi_quyet`, `ke_hoach`, …).
    pub doc_type: String,
    /// Number and symbol as written ("07-NQ/TU").
    pub symbol: String,
    /// Summary (trích yếu).
    pub summary: String,
    /// Who signed it.
    pub signer: Option<String>,
    /// The issuing organisation, when known.
    pub issuer_org_id: Option<i64>,
    /// Its name.
    pub issuer_name: Option<String>,
    /// Day of issue.
    pub issued_on: Option<NaiveDate>,
    /// The symbol's year.
    pub year: Option<i64>,
}

/// Documents of the register by id.
pub async fn legal_documents(ex: &impl Exec, ids: &[i64]) -> Result<Vec<LegalDocumentRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT d.id, d.system, d.doc_type, d.symbol, d.summary, d.signer, d.issuer_org_id, o.name AS issuer_name, \
         d.issued_on, d.year FROM legal_documents d LEFT JOIN organizations o ON o.id = d.issuer_org_id \
         WHERE d.id IN (",
        ids,
        ")",
    ))
    .await
}

/// A plan (kế hoạch, chương trình, nghị quyết) with its legal document.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PlanRecord {
    /// Row id.
    pub id: i64,
    /// `resolution`, `programme` or `plan`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// The owning organisation.
    pub owner_org_id: Option<i64>,
    /// Its name.
    pub owner_name: Option<String>,
    /// Start of the period.
    pub period_start: Option<NaiveDate>,
    /// The document it carries out.
    pub document_id: Option<i64>,
    /// That document's symbol.
    pub document_symbol: Option<String>,
    /// That document's summary.
    pub document_summary: Option<String>,
    /// The working visit whose conclusions it tracks.
    pub visit_id: Option<i64>,
}

/// Plans by id.
pub async fn plans(ex: &impl Exec, ids: &[i64]) -> Result<Vec<PlanRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT p.id, p.kind, p.title, p.owner_org_id, o.name AS owner_name, p.period_start, p.document_id, \
         d.symbol AS document_symbol, d.summary AS document_summary, p.visit_id FROM plans p \
         LEFT JOIN organizations o ON o.id = p.owner_org_id LEFT JOIN legal_documents d ON d.id = p.document_id \
         WHERE p.id IN (",
        ids,
        ")",
    ))
    .await
}

/// The names of the targets of plans: (plan id, name).
pub async fn plan_targets(ex: &impl Exec, plan_ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT plan_id, name FROM targets WHERE plan_id IN (",
        plan_ids,
        ") ORDER BY sort_order, id",
    ))
    .await
}

/// The plans that carry out a document.
pub async fn plans_of_document(ex: &impl Exec, document_id: i64) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT id FROM plans WHERE document_id = $1").bind(document_id)).await
}

/// The tasks of a plan.
pub async fn tasks_of_plan(ex: &impl Exec, plan_id: i64) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT id FROM tasks WHERE plan_id = $1").bind(plan_id)).await
}

/// A task of a plan; a conclusion when its plan is a visit's.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TaskRecord {
    /// Row id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// Its number in the plan ("1.2").
    pub code: String,
    /// Title.
    pub title: String,
    /// The expected product.
    pub expected_product: Option<String>,
    /// The plan's title.
    pub plan_title: String,
    /// The plan's owner.
    pub owner_org_id: Option<i64>,
    /// The plan's start.
    pub period_start: Option<NaiveDate>,
    /// The visit of the plan, for a conclusion.
    pub visit_id: Option<i64>,
    /// The first day of that visit.
    pub visit_starts_on: Option<NaiveDate>,
    /// The host of the stop the conclusion was taken at.
    pub stop_host_org_id: Option<i64>,
    /// The unit of that stop.
    pub stop_unit_id: Option<i64>,
}

/// Tasks by id.
pub async fn tasks(ex: &impl Exec, ids: &[i64]) -> Result<Vec<TaskRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT t.id, t.plan_id, t.code, t.title, t.expected_product, p.title AS plan_title, p.owner_org_id, \
         p.period_start, p.visit_id, v.starts_on AS visit_starts_on, s.host_org_id AS stop_host_org_id, \
         s.admin_unit_id AS stop_unit_id FROM tasks t JOIN plans p ON p.id = t.plan_id \
         LEFT JOIN visits v ON v.id = p.visit_id LEFT JOIN visit_conclusions c ON c.task_id = t.id \
         LEFT JOIN visit_stops s ON s.id = c.stop_id WHERE t.id IN (",
        ids,
        ")",
    ))
    .await
}

/// An assignment of a task to a lead organisation; a directive when the task is a visit's conclusion.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AssignmentRecord {
    /// Row id.
    pub id: i64,
    /// Its task.
    pub task_id: i64,
    /// The task's number.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The task's expected product.
    pub expected_product: Option<String>,
    /// The plan.
    pub plan_id: i64,
    /// The plan's title.
    pub plan_title: String,
    /// The visit, for a directive.
    pub visit_id: Option<i64>,
    /// The lead organisation.
    pub lead_org_id: i64,
    /// Its name.
    pub lead_name: String,
    /// The deadline, when fixed.
    pub due_on: Option<NaiveDate>,
    /// The day it was assigned.
    pub assigned_on: NaiveDate,
    /// A note of the assigning side.
    pub note: Option<String>,
    /// Where the task came from.
    pub origin: Option<String>,
    /// Why it is blocked.
    pub blocked_reason: Option<String>,
    /// Cancelled.
    pub cancelled: bool,
    /// The accepted completion.
    pub completed_on: Option<NaiveDate>,
    /// Whether any update was accepted or sent.
    pub has_updates: bool,
    /// Accepted progress.
    pub percent: i64,
}

/// Assignments by id.
pub async fn assignments(ex: &impl Exec, ids: &[i64]) -> Result<Vec<AssignmentRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT a.id, a.task_id, t.code AS task_code, t.title AS task_title, t.expected_product, t.plan_id, \
         p.title AS plan_title, p.visit_id, a.lead_org_id, o.name AS lead_name, a.due_on, a.assigned_on, a.note, \
         a.origin, a.blocked_reason, a.cancelled, a.completed_on, a.has_updates, a.percent FROM assignments a \
         JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id \
         JOIN organizations o ON o.id = a.lead_org_id WHERE a.id IN (",
        ids,
        ")",
    ))
    .await
}

/// The coordinating organisations of assignments: (assignment id, organisation id).
pub async fn coordinators(ex: &impl Exec, assignment_ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT assignment_id, org_id FROM assignment_coordinators WHERE assignment_id IN (",
        assignment_ids,
        ")",
    ))
    .await
}

/// The assignments of some tasks.
pub async fn assignments_of_tasks(ex: &impl Exec, task_ids: &[i64]) -> Result<Vec<i64>, DbError> {
    ids(ex, with_ids("SELECT id FROM assignments WHERE task_id IN (", task_ids, ")")).await
}

/// The progress updates of an assignment.
pub async fn updates_of_assignment(ex: &impl Exec, assignment_id: i64) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT id FROM progress_updates WHERE assignment_id = $1").bind(assignment_id)).await
}

/// The visit whose directive an assignment is.
pub async fn visit_of_assignment(ex: &impl Exec, assignment_id: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> = ex
        .fetch_optional(
            Query::new(
                "SELECT p.visit_id FROM assignments a JOIN tasks t ON t.id = a.task_id \
                 JOIN plans p ON p.id = t.plan_id WHERE a.id = $1",
            )
            .bind(assignment_id),
        )
        .await?;
    Ok(row.and_then(|(v,)| v))
}

/// A progress update of an assignment.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UpdateRecord {
    /// Row id.
    pub id: i64,
    /// Its assignment.
    pub assignment_id: i64,
    /// The organisation that writes it.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub status: String,
    /// What was done.
    pub narrative: String,
    /// Difficulties.
    pub difficulties: Option<String>,
    /// Recommendations.
    pub recommendations: Option<String>,
    /// When it was sent.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// The task's number.
    pub task_code: String,
    /// The task's title.
    pub task_title: String,
    /// The assignment's lead.
    pub lead_org_id: i64,
}

/// Progress updates by id.
pub async fn updates(ex: &impl Exec, ids: &[i64]) -> Result<Vec<UpdateRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT u.id, u.assignment_id, u.org_id, o.name AS org_name, u.status, u.narrative, u.difficulties, \
         u.recommendations, u.submitted_at, u.created_at, t.code AS task_code, t.title AS task_title, a.lead_org_id \
         FROM progress_updates u JOIN assignments a ON a.id = u.assignment_id JOIN tasks t ON t.id = a.task_id \
         JOIN organizations o ON o.id = u.org_id WHERE u.id IN (",
        ids,
        ")",
    ))
    .await
}

/// A periodic report.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReportRecord {
    /// Row id.
    pub id: i64,
    /// The form's name.
    pub form_name: String,
    /// The reporting organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The period's code.
    pub period_code: String,
    /// The period's last day.
    pub period_end: NaiveDate,
    /// `draft`, `submitted`, `returned`, `approved`.
    pub status: String,
    /// The unit of the organisation at the end of the period.
    pub unit_code: Option<String>,
    /// Its name then.
    pub unit_name: Option<String>,
}

/// Reports by id.
pub async fn reports(ex: &impl Exec, ids: &[i64]) -> Result<Vec<ReportRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT r.id, t.name AS form_name, r.org_id, o.name AS org_name, r.period_code, r.period_end, r.status, \
         r.unit_code, r.unit_name FROM reports r JOIN report_templates t ON t.id = r.template_id \
         JOIN organizations o ON o.id = r.org_id WHERE r.id IN (",
        ids,
        ")",
    ))
    .await
}

/// The written answers of reports (the narratives): (report id, text), for texts of more than one word.
pub async fn report_texts(ex: &impl Exec, report_ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT report_id, text FROM report_values WHERE text IS NOT NULL AND text LIKE '% %' AND report_id IN (",
        report_ids,
        ") ORDER BY report_id, field_code",
    ))
    .await
}

/// The reports on a form (its code).
pub async fn reports_of_form(ex: &impl Exec, code: &str) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT id FROM reports WHERE template_code = $1").bind(code.to_owned())).await
}

/// A working visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VisitRecord {
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
    /// First day.
    pub starts_on: NaiveDate,
    /// The general assessment.
    pub assessment: Option<String>,
}

/// Visits by id.
pub async fn visits(ex: &impl Exec, ids: &[i64]) -> Result<Vec<VisitRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT v.id, v.title, v.purpose, v.organizer_org_id, o.name AS organizer_name, v.starts_on, v.assessment \
         FROM visits v JOIN organizations o ON o.id = v.organizer_org_id WHERE v.id IN (",
        ids,
        ")",
    ))
    .await
}

/// A stop of a visit.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StopRecord {
    /// The visit.
    pub visit_id: i64,
    /// The host.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The unit of the host at the time.
    pub admin_unit_id: Option<i64>,
    /// Where.
    pub place: Option<String>,
    /// The agenda.
    pub agenda: Option<String>,
    /// The minutes.
    pub minutes: Option<String>,
    /// The assessment.
    pub assessment: Option<String>,
}

/// The stops of visits, in order.
pub async fn visit_stops(ex: &impl Exec, visit_ids: &[i64]) -> Result<Vec<StopRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT s.visit_id, s.host_org_id, o.name AS host_name, s.admin_unit_id, s.place, s.agenda, s.minutes, \
         s.assessment FROM visit_stops s JOIN organizations o ON o.id = s.host_org_id WHERE s.visit_id IN (",
        visit_ids,
        ") ORDER BY s.visit_id, s.sort_order",
    ))
    .await
}

/// The members of visits: (visit id, person id, full name).
pub async fn visit_members(ex: &impl Exec, visit_ids: &[i64]) -> Result<Vec<(i64, i64, String)>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT m.visit_id, m.person_id, p.full_name FROM visit_members m JOIN people p ON p.id = m.person_id \
         WHERE m.visit_id IN (",
        visit_ids,
        ") ORDER BY m.visit_id, m.sort_order",
    ))
    .await
}

/// The organisations visits involved (as `tiendo_db::visits::involved_orgs`, for several visits): the
/// hosts of their stops, the organisations of their members, the leads and coordinators of their
/// directives. (visit id, organisation id).
pub async fn involved_orgs(ex: &impl Exec, visit_ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    if visit_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT visit_id, host_org_id FROM visit_stops WHERE visit_id IN (");
    super::push_ids(&mut q, visit_ids);
    q.push(
        ") UNION SELECT visit_id, organization_id FROM visit_members WHERE organization_id IS NOT NULL \
         AND visit_id IN (",
    );
    super::push_ids(&mut q, visit_ids);
    q.push(
        ") UNION SELECT c.visit_id, a.lead_org_id FROM assignments a JOIN visit_conclusions c ON c.task_id = a.task_id \
         WHERE c.visit_id IN (",
    );
    super::push_ids(&mut q, visit_ids);
    q.push(
        ") UNION SELECT c.visit_id, k.org_id FROM assignment_coordinators k \
         JOIN assignments a ON a.id = k.assignment_id JOIN visit_conclusions c ON c.task_id = a.task_id \
         WHERE c.visit_id IN (",
    );
    super::push_ids(&mut q, visit_ids);
    q.push(")");
    ex.fetch_all(q).await
}

/// The plan of a visit, its conclusions (tasks) and its directives (assignments).
pub async fn visit_parts(ex: &impl Exec, visit_id: i64) -> Result<(Vec<i64>, Vec<i64>, Vec<i64>), DbError> {
    let plans = ids(ex, Query::new("SELECT id FROM plans WHERE visit_id = $1").bind(visit_id)).await?;
    let tasks = ids(ex, with_ids("SELECT id FROM tasks WHERE plan_id IN (", &plans, ")")).await?;
    let assignments = assignments_of_tasks(ex, &tasks).await?;
    Ok((plans, tasks, assignments))
}

/// The visits a person was a member of.
pub async fn visits_of_person(ex: &impl Exec, person_id: i64) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT DISTINCT visit_id FROM visit_members WHERE person_id = $1").bind(person_id)).await
}

/// A news article.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ArticleRecord {
    /// Row id.
    pub id: i64,
    /// Its address on the portal.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body (Markdown).
    pub body: String,
    /// `draft`, `in_review`, `scheduled`, `published`, `unpublished`.
    pub state: String,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Its category's name.
    pub category_name: Option<String>,
}

/// Articles by id.
pub async fn articles(ex: &impl Exec, ids: &[i64]) -> Result<Vec<ArticleRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT a.id, a.slug, a.title, a.summary, a.body, a.state, a.published_at, a.created_at, \
         c.name_vi AS category_name FROM articles a LEFT JOIN portal_categories c ON c.id = a.category_id \
         WHERE a.id IN (",
        ids,
        ")",
    ))
    .await
}

/// An organisation of the directory.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrganizationRecord {
    /// Row id.
    pub id: i64,
    /// Its kind code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Abbreviation.
    pub abbreviation: Option<String>,
    /// The organisation above it.
    pub parent_id: Option<i64>,
    /// Its name.
    pub parent_name: Option<String>,
    /// Its administrative unit.
    pub admin_unit_id: Option<i64>,
    /// Its address as written.
    pub address: Option<String>,
    /// Its tax code.
    pub tax_code: Option<String>,
    /// The day it ceased to exist.
    pub valid_to: Option<NaiveDate>,
}

/// Organisations by id.
pub async fn organizations(ex: &impl Exec, ids: &[i64]) -> Result<Vec<OrganizationRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT o.id, o.kind, o.name, o.abbreviation, o.parent_id, p.name AS parent_name, o.admin_unit_id, \
         o.address, o.tax_code, o.valid_to FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id \
         WHERE o.id IN (",
        ids,
        ")",
    ))
    .await
}

/// The administrative units of organisations: (organisation id, unit id), for those with one.
pub async fn organization_units(ex: &impl Exec, org_ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT id, admin_unit_id FROM organizations WHERE admin_unit_id IS NOT NULL AND id IN (",
        org_ids,
        ")",
    ))
    .await
}

/// The people with a role in an organisation, at any time.
pub async fn people_of_organization(ex: &impl Exec, org_id: i64) -> Result<Vec<i64>, DbError> {
    ids(ex, Query::new("SELECT DISTINCT person_id FROM affiliations WHERE organization_id = $1").bind(org_id)).await
}

/// A person of the directory.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PersonRecord {
    /// Row id.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Title ("TS.").
    pub title: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// Fields of expertise.
    pub expertise: Option<String>,
}

/// People by id.
pub async fn people(ex: &impl Exec, ids: &[i64]) -> Result<Vec<PersonRecord>, DbError> {
    ex.fetch_all(with_ids("SELECT id, full_name, title, position, expertise FROM people WHERE id IN (", ids, ")")).await
}

/// A person's role in an organisation.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AffiliationRecord {
    /// The person.
    pub person_id: i64,
    /// The organisation.
    pub organization_id: i64,
    /// Its name.
    pub org_name: String,
    /// The role ("Giám đốc").
    pub role: String,
}

/// The affiliations of people.
pub async fn affiliations(ex: &impl Exec, person_ids: &[i64]) -> Result<Vec<AffiliationRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT a.person_id, a.organization_id, o.name AS org_name, a.role FROM affiliations a \
         JOIN organizations o ON o.id = a.organization_id WHERE a.person_id IN (",
        person_ids,
        ") ORDER BY a.person_id, a.id",
    ))
    .await
}

/// The codes of the units a change of the map created or ended on `effective` (`YYYY-MM-DD`).
pub async fn units_changed_on(ex: &impl Exec, effective: NaiveDate) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = ex
        .fetch_all(
            Query::new("SELECT DISTINCT code FROM admin_units WHERE valid_from = $1 OR valid_to = $1").bind(effective),
        )
        .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

async fn ids(ex: &impl Exec, q: Query) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex.fetch_all(q).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// An S&T task proposal or dossier.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProposalRecord {
    /// Row id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// State code.
    pub state: String,
    /// Field.
    pub field: Option<String>,
    /// Urgency.
    pub urgency: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// The proposer's name as typed.
    pub proposer_name: Option<String>,
    /// The proposing organisation.
    pub proposer_org_id: Option<i64>,
    /// Its name.
    pub proposer_org_name: Option<String>,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// The call's title.
    pub call_title: String,
    /// The call's plan year.
    pub year: i64,
}

/// S&T task proposals and dossiers by id.
pub async fn proposals(ex: &impl Exec, ids: &[i64]) -> Result<Vec<ProposalRecord>, DbError> {
    ex.fetch_all(with_ids(
        "SELECT p.id, p.title, p.state, p.field, p.urgency, p.objectives, p.proposer_name, p.proposer_org_id, \
         o.name AS proposer_org_name, p.author_id, c.title AS call_title, c.year FROM st_proposals p \
         JOIN st_calls c ON c.id = p.call_id LEFT JOIN organizations o ON o.id = p.proposer_org_id WHERE p.id IN (",
        ids,
        ")",
    ))
    .await
}

/// The proposals answering a call (its title is in their documents).
pub async fn proposals_of_call(ex: &impl Exec, call_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> =
        ex.fetch_all(Query::new("SELECT id FROM st_proposals WHERE call_id = $1").bind(call_id)).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
