//! Applications: the dossier, the state, the lists each actor may read, and the files of the checklist.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::authz::{AccessScope, Coverage, Role};
use tiendo_core::certificates::{ApplicationFields, LegalBasis, SizeClass, StProduct, StResult, YearFigures};
use tiendo_core::directory::TaxCode;
use tiendo_core::text::fold;

use super::{from_json, to_json};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// An application with its dossier.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    /// Row id.
    pub id: i64,
    /// The enterprise in the directory.
    pub org_id: i64,
    /// Its name in the directory.
    pub org_name: String,
    /// The state's code.
    pub state: String,
    /// The legal basis (once received).
    pub basis: Option<LegalBasis>,
    /// The dossier.
    pub fields: ApplicationFields,
    /// The day it was received.
    pub received_on: Option<NaiveDate>,
    /// The day it was decided.
    pub decided_on: Option<NaiveDate>,
    /// Whether the decision came after the clock ran out.
    pub decided_late: bool,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    org_id: i64,
    org_name: String,
    state: String,
    basis: Option<String>,
    enterprise_name: String,
    tax_code: Option<String>,
    address: Option<String>,
    representative: Option<String>,
    established_on: Option<NaiveDate>,
    size: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    results: String,
    products: String,
    years: String,
    received_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    decided_late: bool,
    author_id: Option<i64>,
    is_sample: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Application {
    type Error = DbError;

    fn try_from(r: Row) -> Result<Application, DbError> {
        let results: Vec<StResult> = from_json("results", &r.results)?;
        let products: Vec<StProduct> = from_json("products", &r.products)?;
        let years: Vec<YearFigures> = from_json("years", &r.years)?;
        Ok(Application {
            id: r.id,
            org_id: r.org_id,
            org_name: r.org_name,
            state: r.state,
            basis: r.basis.as_deref().and_then(LegalBasis::from_code),
            fields: ApplicationFields {
                enterprise_name: r.enterprise_name,
                tax_code: r.tax_code.as_deref().and_then(|t| TaxCode::parse(t).ok()),
                address: r.address,
                representative: r.representative,
                established_on: r.established_on,
                size: r.size.as_deref().and_then(SizeClass::from_code),
                phone: r.phone,
                email: r.email,
                results,
                products,
                years,
            },
            received_on: r.received_on,
            decided_on: r.decided_on,
            decided_late: r.decided_late,
            author_id: r.author_id,
            is_sample: r.is_sample,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, a.state, a.basis, a.enterprise_name, a.tax_code, \
     a.address, a.representative, a.established_on, a.size, a.phone, a.email, a.results, a.products, a.years, \
     a.received_on, a.decided_on, a.decided_late, a.author_id, a.is_sample, a.created_at, a.updated_at \
     FROM cert_applications a JOIN organizations o ON o.id = a.org_id";

/// One application.
pub async fn application(ex: &impl Exec, id: i64) -> Result<Option<Application>, DbError> {
    let row: Option<Row> = ex.fetch_optional(Query::new(format!("{SELECT} WHERE a.id = $1")).bind(id)).await?;
    row.map(Application::try_from).transpose()
}

/// An application to store as a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    /// The enterprise.
    pub org_id: i64,
    /// The dossier.
    pub fields: ApplicationFields,
    /// Who writes it.
    pub author_id: Option<i64>,
    /// Invented for the demo.
    pub is_sample: bool,
}

fn bind_fields(q: Query, f: &ApplicationFields) -> Query {
    q.bind(&f.enterprise_name)
        .bind(fold(&f.enterprise_name))
        .bind(f.tax_code.as_ref().map(|t| t.as_str().to_owned()))
        .bind(f.address.clone())
        .bind(f.representative.clone())
        .bind(f.established_on)
        .bind(f.size.map(|s| s.code()))
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(to_json(&f.results))
        .bind(to_json(&f.products))
        .bind(to_json(&f.years))
}

/// Records a draft; its id.
pub async fn create_application(ex: &impl Exec, r: &ApplicationRecord, now: DateTime<Utc>) -> Result<i64, DbError> {
    let q = Query::new(
        "INSERT INTO cert_applications (enterprise_name, name_folded, tax_code, address, representative, \
         established_on, size, phone, email, results, products, years, org_id, state, author_id, is_sample, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $15, \
         $16, $16) RETURNING id",
    );
    let q = bind_fields(q, &r.fields).bind(r.org_id).bind(r.author_id).bind(r.is_sample).bind(now);
    let (id,): (i64,) = ex.fetch_one(q).await?;
    Ok(id)
}

/// Replaces the dossier.
pub async fn update_application(
    ex: &impl Exec,
    id: i64,
    f: &ApplicationFields,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let q = Query::new(
        "UPDATE cert_applications SET enterprise_name = $1, name_folded = $2, tax_code = $3, address = $4, \
         representative = $5, established_on = $6, size = $7, phone = $8, email = $9, results = $10, products = $11, \
         years = $12, updated_at = $13 WHERE id = $14",
    );
    ex.execute(bind_fields(q, f).bind(now).bind(id)).await?;
    Ok(())
}

/// Deletes a draft (its files and timeline go with it).
pub async fn delete_application(ex: &impl Exec, id: i64) -> Result<bool, DbError> {
    Ok(ex.execute(Query::new("DELETE FROM cert_applications WHERE id = $1 AND state = 'draft'").bind(id)).await? == 1)
}

/// Moves an application from `from` to `to`; `false` when it is no longer in `from`. Leaving the draft
/// records the day received and the legal basis.
pub async fn move_state(
    ex: &impl Exec,
    id: i64,
    from: &str,
    to: &str,
    received: Option<(NaiveDate, LegalBasis)>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE cert_applications SET state = $3, updated_at = $4, \
                 received_on = COALESCE($5, received_on), basis = COALESCE($6, basis) WHERE id = $1 AND state = $2",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now)
            .bind(received.map(|r| r.0))
            .bind(received.map(|r| r.1.code())),
        )
        .await?;
    Ok(n == 1)
}

/// Records the decision's day and whether it came late.
pub async fn set_decided(ex: &impl Exec, id: i64, on: NaiveDate, late: bool) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE cert_applications SET decided_on = $2, decided_late = $3 WHERE id = $1")
            .bind(id)
            .bind(on)
            .bind(late),
    )
    .await?;
    Ok(())
}

/// Which applications an actor may read: their enterprises' own (applicant role) and, for the
/// department's staff and administrators, every application sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationScope {
    /// The enterprises whose applications are the actor's own.
    pub own_orgs: Coverage,
    /// Whether every sent application is readable.
    pub staff: bool,
}

impl ApplicationScope {
    /// The applications an actor with this access scope may read.
    pub fn of(scope: &AccessScope) -> ApplicationScope {
        ApplicationScope {
            own_orgs: scope.coverage(|r| r == Role::Applicant),
            staff: scope.has(Role::DepartmentLeader)
                || scope.has(Role::DepartmentOfficer)
                || scope.has(Role::Administrator),
        }
    }

    fn push_condition(&self, q: &mut Query, only_own: bool) {
        q.push(" AND (");
        match &self.own_orgs {
            Coverage::All => {
                q.push("1 = 1");
            }
            Coverage::Orgs(ids) if !ids.is_empty() => {
                q.push("a.org_id IN (");
                push_ids(q, ids);
                q.push(")");
            }
            Coverage::Orgs(_) => {
                q.push("1 = 0");
            }
        }
        if self.staff && !only_own {
            q.push(" OR a.state <> 'draft'");
        }
        q.push(")");
    }
}

/// The filters of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationFilter {
    /// Only those in these states.
    pub states: Vec<String>,
    /// Words of the enterprise's name, or its tax code.
    pub q: Option<String>,
    /// Only the actor's own, even for the staff.
    pub own: bool,
}

/// An application in a list.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ApplicationSummary {
    /// Row id.
    pub id: i64,
    /// The enterprise's name as typed.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: Option<String>,
    /// State code.
    pub state: String,
    /// The day received.
    pub received_on: Option<NaiveDate>,
    /// The day decided.
    pub decided_on: Option<NaiveDate>,
    /// Decided late.
    pub decided_late: bool,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

fn push_states(q: &mut Query, states: &[String]) {
    q.push(" AND a.state IN (");
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(s.clone());
    }
    if states.is_empty() {
        q.push("NULL");
    }
    q.push(")");
}

fn matching(select: &str, filter: &ApplicationFilter, scope: &ApplicationScope) -> Query {
    let mut q = Query::new(format!("SELECT {select} FROM cert_applications a WHERE 1 = 1"));
    scope.push_condition(&mut q, filter.own);
    if !filter.states.is_empty() {
        push_states(&mut q, &filter.states);
    }
    if let Some(words) = filter.q.as_deref().map(fold).filter(|w| !w.is_empty()) {
        q.push(" AND (a.name_folded LIKE ").push_bind(format!("%{words}%"));
        q.push(" OR a.tax_code LIKE ").push_bind(format!("{words}%")).push(")");
    }
    q
}

const SUMMARY: &str =
    "a.id, a.enterprise_name, a.tax_code, a.state, a.received_on, a.decided_on, a.decided_late, a.updated_at";

/// A page of the applications matching the filter that the actor may read, the latest changed first.
pub async fn page(
    ex: &impl Exec,
    filter: &ApplicationFilter,
    scope: &AccessScope,
    page: Page,
) -> Result<Listed<ApplicationSummary>, DbError> {
    let scope = ApplicationScope::of(scope);
    let (total,): (i64,) = ex.fetch_one(matching("COUNT(*)", filter, &scope)).await?;
    let mut q = matching(SUMMARY, filter, &scope);
    q.push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
        .push_bind(page.limit)
        .push(" OFFSET ")
        .push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// The applications the actor may read whose clock runs or is paused (in `states`), received first first.
pub async fn open_applications(
    ex: &impl Exec,
    scope: &AccessScope,
    states: &[String],
    limit: i64,
) -> Result<Vec<ApplicationSummary>, DbError> {
    let scope = ApplicationScope::of(scope);
    let mut q = Query::new(format!("SELECT {SUMMARY} FROM cert_applications a WHERE 1 = 1"));
    scope.push_condition(&mut q, false);
    push_states(&mut q, states);
    q.push(" ORDER BY a.received_on, a.id LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}

/// How many applications are in each state (drafts aside): (state, count).
pub async fn count_by_state(ex: &impl Exec) -> Result<Vec<(String, i64)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT state, COUNT(*) FROM cert_applications WHERE state <> 'draft' GROUP BY state ORDER BY state",
    ))
    .await
}

/// A file of an application.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AppFile {
    /// Row id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// The checklist document it is, if any.
    pub document: Option<String>,
    /// The stored file.
    pub attachment_id: i64,
    /// Its title as typed.
    pub title: Option<String>,
    /// The name it was uploaded under.
    pub original_name: String,
    /// Its size in bytes.
    pub size: i64,
    /// When attached.
    pub created_at: DateTime<Utc>,
}

const FILES: &str = "SELECT f.id, f.application_id, f.document, f.attachment_id, f.title, a.original_name, a.size, \
     f.created_at FROM cert_files f JOIN attachments a ON a.id = f.attachment_id";

/// Attaches a stored file; its row id.
pub async fn add_file(
    ex: &impl Exec,
    application_id: i64,
    document: Option<&str>,
    attachment_id: i64,
    title: Option<&str>,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO cert_files (application_id, document, attachment_id, title, uploaded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(application_id)
            .bind(document)
            .bind(attachment_id)
            .bind(title)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The files of an application, in the order attached.
pub async fn files(ex: &impl Exec, application_id: i64) -> Result<Vec<AppFile>, DbError> {
    ex.fetch_all(Query::new(format!("{FILES} WHERE f.application_id = $1 ORDER BY f.id")).bind(application_id)).await
}

/// One file of an application.
pub async fn file(ex: &impl Exec, application_id: i64, id: i64) -> Result<Option<AppFile>, DbError> {
    ex.fetch_optional(
        Query::new(format!("{FILES} WHERE f.application_id = $1 AND f.id = $2")).bind(application_id).bind(id),
    )
    .await
}

/// Detaches a file (the stored content stays).
pub async fn remove_file(ex: &impl Exec, application_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new("DELETE FROM cert_files WHERE application_id = $1 AND id = $2").bind(application_id).bind(id),
        )
        .await?
        == 1)
}

/// The applications a stored file is attached to.
pub async fn applications_using_attachment(ex: &impl Exec, attachment_id: i64) -> Result<Vec<i64>, DbError> {
    let rows: Vec<(i64,)> = ex
        .fetch_all(
            Query::new("SELECT DISTINCT application_id FROM cert_files WHERE attachment_id = $1").bind(attachment_id),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The applications of an enterprise, the latest first: (id, state).
pub async fn of_org(ex: &impl Exec, org_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(Query::new("SELECT id, state FROM cert_applications WHERE org_id = $1 ORDER BY id DESC").bind(org_id))
        .await
}
