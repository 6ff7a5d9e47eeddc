//! Certificates, one row per version, and the public register.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::certificates::{CertificateStatus, StProduct, StResult, VersionKind};
use tiendo_core::text::fold;

use super::{from_json, to_json};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A version of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Row id.
    pub id: i64,
    /// The application it was issued on.
    pub application_id: i64,
    /// The enterprise.
    pub org_id: i64,
    /// Its number (số).
    pub number: String,
    /// The day issued (this version).
    pub issued_on: NaiveDate,
    /// 1 for the original.
    pub version: i64,
    /// Original, amendment or re-issue.
    pub kind: VersionKind,
    /// The version it replaced.
    pub previous_id: Option<i64>,
    /// Where it stands.
    pub status: CertificateStatus,
    /// The legal basis's code.
    pub basis: String,
    /// The enterprise's name on it.
    pub enterprise_name: String,
    /// Its tax code.
    pub tax_code: String,
    /// Its head office.
    pub address: Option<String>,
    /// The S&T results listed.
    pub results: Vec<StResult>,
    /// The products listed.
    pub products: Vec<StProduct>,
    /// The decision issuing it.
    pub decision_symbol: Option<String>,
    /// Who signed it.
    pub signer: Option<String>,
    /// Why this version (an amendment's changes, a re-issue's cause).
    pub note: Option<String>,
    /// The day it ended.
    pub ended_on: Option<NaiveDate>,
    /// Why.
    pub end_reason: Option<String>,
    /// The decision ending it.
    pub end_decision: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    application_id: i64,
    org_id: i64,
    number: String,
    issued_on: NaiveDate,
    version: i64,
    kind: String,
    previous_id: Option<i64>,
    status: String,
    basis: String,
    enterprise_name: String,
    tax_code: String,
    address: Option<String>,
    results: String,
    products: String,
    decision_symbol: Option<String>,
    signer: Option<String>,
    note: Option<String>,
    ended_on: Option<NaiveDate>,
    end_reason: Option<String>,
    end_decision: Option<String>,
    is_sample: bool,
}

impl TryFrom<Row> for Certificate {
    type Error = DbError;

    fn try_from(r: Row) -> Result<Certificate, DbError> {
        Ok(Certificate {
            id: r.id,
            application_id: r.application_id,
            org_id: r.org_id,
            number: r.number,
            issued_on: r.issued_on,
            version: r.version,
            kind: VersionKind::from_code(&r.kind).ok_or_else(|| DbError::Corrupt(format!("kind {}", r.kind)))?,
            previous_id: r.previous_id,
            status: CertificateStatus::from_code(&r.status)
                .ok_or_else(|| DbError::Corrupt(format!("status {}", r.status)))?,
            basis: r.basis,
            enterprise_name: r.enterprise_name,
            tax_code: r.tax_code,
            address: r.address,
            results: from_json("results", &r.results)?,
            products: from_json("products", &r.products)?,
            decision_symbol: r.decision_symbol,
            signer: r.signer,
            note: r.note,
            ended_on: r.ended_on,
            end_reason: r.end_reason,
            end_decision: r.end_decision,
            is_sample: r.is_sample,
        })
    }
}

const SELECT: &str = "SELECT c.id, c.application_id, c.org_id, c.number, c.issued_on, c.version, c.kind, \
     c.previous_id, c.status, c.basis, c.enterprise_name, c.tax_code, c.address, c.results, c.products, \
     c.decision_symbol, c.signer, c.note, c.ended_on, c.end_reason, c.end_decision, c.is_sample FROM certificates c";

fn rows(rows: Vec<Row>) -> Result<Vec<Certificate>, DbError> {
    rows.into_iter().map(Certificate::try_from).collect()
}

/// One version.
pub async fn certificate(ex: &impl Exec, id: i64) -> Result<Option<Certificate>, DbError> {
    let row: Option<Row> = ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.id = $1")).bind(id)).await?;
    row.map(Certificate::try_from).transpose()
}

/// The latest version issued on an application.
pub async fn certificate_of_application(ex: &impl Exec, application_id: i64) -> Result<Option<Certificate>, DbError> {
    let row: Option<Row> = ex
        .fetch_optional(
            Query::new(format!("{SELECT} WHERE c.application_id = $1 ORDER BY c.version DESC LIMIT 1"))
                .bind(application_id),
        )
        .await?;
    row.map(Certificate::try_from).transpose()
}

/// Every version of a certificate's number, the latest first.
pub async fn versions(ex: &impl Exec, application_id: i64) -> Result<Vec<Certificate>, DbError> {
    rows(
        ex.fetch_all(
            Query::new(format!("{SELECT} WHERE c.application_id = $1 ORDER BY c.version DESC")).bind(application_id),
        )
        .await?,
    )
}

/// The latest version of each certificate of an enterprise, the latest issued first.
pub async fn certificates_of_org(ex: &impl Exec, org_id: i64) -> Result<Vec<Certificate>, DbError> {
    rows(
        ex.fetch_all(
            Query::new(format!(
                "{SELECT} WHERE c.org_id = $1 AND c.status <> 'superseded' ORDER BY c.issued_on DESC, c.id DESC"
            ))
            .bind(org_id),
        )
        .await?,
    )
}

/// A version to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificate<'a> {
    /// The application.
    pub application_id: i64,
    /// The enterprise.
    pub org_id: i64,
    /// The number.
    pub number: &'a str,
    /// The day issued.
    pub issued_on: NaiveDate,
    /// The version (1 for the original).
    pub version: i64,
    /// How it came to be.
    pub kind: VersionKind,
    /// The version it replaces.
    pub previous_id: Option<i64>,
    /// The legal basis's code.
    pub basis: &'a str,
    /// The enterprise's name.
    pub enterprise_name: &'a str,
    /// Its tax code.
    pub tax_code: &'a str,
    /// Its head office.
    pub address: Option<&'a str>,
    /// The results listed.
    pub results: &'a [StResult],
    /// The products listed.
    pub products: &'a [StProduct],
    /// The decision.
    pub decision_symbol: Option<&'a str>,
    /// The signer.
    pub signer: Option<&'a str>,
    /// Why this version.
    pub note: Option<&'a str>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Records a version in force; its id.
pub async fn create_certificate(ex: &impl Exec, c: &NewCertificate<'_>, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO certificates (application_id, org_id, number, issued_on, version, kind, previous_id, \
                 status, basis, enterprise_name, name_folded, tax_code, address, results, products, decision_symbol, \
                 signer, note, is_sample, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'in_force', $8, \
                 $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id",
            )
            .bind(c.application_id)
            .bind(c.org_id)
            .bind(c.number)
            .bind(c.issued_on)
            .bind(c.version)
            .bind(c.kind.code())
            .bind(c.previous_id)
            .bind(c.basis)
            .bind(c.enterprise_name)
            .bind(fold(c.enterprise_name))
            .bind(c.tax_code)
            .bind(c.address)
            .bind(to_json(&c.results))
            .bind(to_json(&c.products))
            .bind(c.decision_symbol)
            .bind(c.signer)
            .bind(c.note)
            .bind(c.is_sample)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The next version number of a certificate's application.
pub async fn next_version(ex: &impl Exec, application_id: i64) -> Result<i64, DbError> {
    let (n,): (Option<i64>,) = ex
        .fetch_one(Query::new("SELECT MAX(version) FROM certificates WHERE application_id = $1").bind(application_id))
        .await?;
    Ok(n.unwrap_or(0) + 1)
}

/// Marks a version in force as replaced; `false` when it is no longer in force.
pub async fn supersede(ex: &impl Exec, id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new(
                "UPDATE certificates SET status = 'superseded', updated_at = $2 WHERE id = $1 AND status = 'in_force'",
            )
            .bind(id)
            .bind(now),
        )
        .await?
        == 1)
}

/// Ends a version in force (revoked, cancelled, terminated) with the day, reason and decision; `false` when
/// it is no longer in force.
pub async fn end_certificate(
    ex: &impl Exec,
    id: i64,
    status: CertificateStatus,
    on: NaiveDate,
    reason: &str,
    decision: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new(
                "UPDATE certificates SET status = $2, ended_on = $3, end_reason = $4, end_decision = $5, \
                 updated_at = $6 WHERE id = $1 AND status = 'in_force'",
            )
            .bind(id)
            .bind(status.code())
            .bind(on)
            .bind(reason)
            .bind(decision)
            .bind(now),
        )
        .await?
        == 1)
}

/// The filters of the public register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateFilter {
    /// Words of the enterprise's name, or the start of its tax code, or the certificate's number.
    pub q: Option<String>,
    /// Only those in force.
    pub in_force: bool,
}

fn register_query(select: &str, filter: &CertificateFilter) -> Query {
    let mut q = Query::new(format!("{select} WHERE c.status <> 'superseded'"));
    if filter.in_force {
        q.push(" AND c.status = 'in_force'");
    }
    if let Some(raw) = filter.q.as_deref() {
        let words = fold(raw);
        let digits: String = raw.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
        if !words.is_empty() {
            q.push(" AND (c.name_folded LIKE ").push_bind(format!("%{words}%"));
            q.push(" OR LOWER(c.number) LIKE ").push_bind(format!("%{words}%"));
            if !digits.is_empty() {
                q.push(" OR c.tax_code LIKE ").push_bind(format!("{digits}%"));
            }
            q.push(")");
        }
    }
    q
}

/// A page of the public register: the latest version of every certificate, by the enterprise's name.
pub async fn public_page(
    ex: &impl Exec,
    filter: &CertificateFilter,
    page: Page,
) -> Result<Listed<Certificate>, DbError> {
    let (total,): (i64,) = ex.fetch_one(register_query("SELECT COUNT(*) FROM certificates c", filter)).await?;
    let mut q = register_query(SELECT, filter);
    q.push(" ORDER BY c.name_folded, c.id LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
    let items = rows(ex.fetch_all(q).await?)?;
    Ok(Listed { items, total })
}
