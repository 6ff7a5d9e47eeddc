//! The register of legal and Party documents (`legal_documents`): resolutions, programmes, plans, decisions
//! and reports that plans are based on and assignments cite. (Not the official documents the system writes.)

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::monitoring::{DocSystem, DocumentSymbol};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A document of the register.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LegalDocument {
    /// Row id.
    pub id: i64,
    /// `state` or `party`.
    pub system: String,
    /// The type abbreviation (`NQ`, `QĐ`, `CV`, `L`).
    pub doc_type: String,
    /// The number.
    pub number: i64,
    /// The year of a normative document.
    pub year: Option<i64>,
    /// The Party committee's term (`2020–2025`).
    pub party_term: Option<String>,
    /// The canonical symbol (`07-NQ/TU`).
    pub symbol: String,
    /// The issuer's abbreviation.
    pub issuer_code: String,
    /// The issuing organisation, when it is in the directory.
    pub issuer_org_id: Option<i64>,
    /// Its name (joined).
    pub issuer_name: Option<String>,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// Date in force.
    pub effective_on: Option<NaiveDate>,
    /// Who signed.
    pub signer: Option<String>,
    /// The summary (trích yếu).
    pub summary: String,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "d.id, d.system, d.doc_type, d.number, d.year, d.party_term, d.symbol, d.issuer_code, \
     d.issuer_org_id, o.name AS issuer_name, d.issued_on, d.effective_on, d.signer, d.summary, d.is_sample, d.updated_at";

/// The fields of a document, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct LegalDocumentInput {
    /// The parsed symbol.
    pub symbol: DocumentSymbol,
    /// The type code (from the symbol or chosen).
    pub doc_type: String,
    /// The Party term.
    pub party_term: Option<String>,
    /// The issuing organisation.
    pub issuer_org_id: Option<i64>,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// Date in force.
    pub effective_on: Option<NaiveDate>,
    /// Who signed.
    pub signer: Option<String>,
    /// The summary.
    pub summary: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The name of the unique index that enforces the register's identity rule.
pub const IDENTITY_INDEX: &str = "legal_documents_identity";

/// Adds a document; the same (issuer, type, number, year or term) again is a unique violation.
pub async fn create(
    ex: &impl Exec,
    input: &LegalDocumentInput,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let s = &input.symbol;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO legal_documents (system, doc_type, number, year, party_term, symbol, issuer_code, unit_code, \
                 issuer_org_id, issued_on, effective_on, signer, summary, summary_folded, is_sample, created_by, created_at, \
                 updated_at, identity_year) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) RETURNING id",
            )
            .bind(s.system.code())
            .bind(input.doc_type.as_str())
            .bind(i64::from(s.number))
            .bind(s.year.map(i64::from))
            .bind(input.party_term.clone())
            .bind(s.to_string())
            .bind(s.issuer.as_str())
            .bind(s.unit.clone())
            .bind(input.issuer_org_id)
            .bind(input.issued_on)
            .bind(input.effective_on)
            .bind(input.signer.clone())
            .bind(input.summary.as_str())
            .bind(tiendo_core::text::fold(&format!("{} {}", s, input.summary)))
            .bind(input.is_sample)
            .bind(by)
            .bind(now)
            .bind(identity_year(input)),
        )
        .await?;
    Ok(id)
}

/// The year a state document's numbering belongs to: the symbol's, else the issue date's. Party documents
/// are numbered by term instead.
fn identity_year(input: &LegalDocumentInput) -> Option<i64> {
    use chrono::Datelike;
    match input.symbol.system {
        DocSystem::Party => None,
        DocSystem::State => input.symbol.year.map(i64::from).or_else(|| input.issued_on.map(|d| i64::from(d.year()))),
    }
}

/// Replaces the fields of a document.
pub async fn update(ex: &impl Exec, id: i64, input: &LegalDocumentInput, now: DateTime<Utc>) -> Result<(), DbError> {
    let s = &input.symbol;
    let n = ex
        .execute(
            Query::new(
                "UPDATE legal_documents SET system = $1, doc_type = $2, number = $3, year = $4, party_term = $5, symbol = $6, \
                 issuer_code = $7, unit_code = $8, issuer_org_id = $9, issued_on = $10, effective_on = $11, signer = $12, \
                 summary = $13, summary_folded = $14, updated_at = $15, identity_year = $17 WHERE id = $16",
            )
            .bind(s.system.code())
            .bind(input.doc_type.as_str())
            .bind(i64::from(s.number))
            .bind(s.year.map(i64::from))
            .bind(input.party_term.clone())
            .bind(s.to_string())
            .bind(s.issuer.as_str())
            .bind(s.unit.clone())
            .bind(input.issuer_org_id)
            .bind(input.issued_on)
            .bind(input.effective_on)
            .bind(input.signer.clone())
            .bind(input.summary.as_str())
            .bind(tiendo_core::text::fold(&format!("{} {}", s, input.summary)))
            .bind(now)
            .bind(id)
            .bind(identity_year(input)),
        )
        .await?;
    if n == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// One document.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<LegalDocument>, DbError> {
    ex.fetch_optional(
        Query::new(format!(
            "SELECT {COLUMNS} FROM legal_documents d LEFT JOIN organizations o ON o.id = d.issuer_org_id WHERE d.id = $1"
        ))
        .bind(id),
    )
    .await
}

/// The document with the same identity as `input` (the one a unique violation collided with).
pub async fn find_same(ex: &impl Exec, input: &LegalDocumentInput) -> Result<Option<LegalDocument>, DbError> {
    let s = &input.symbol;
    ex.fetch_optional(
        Query::new(format!(
            "SELECT {COLUMNS} FROM legal_documents d LEFT JOIN organizations o ON o.id = d.issuer_org_id \
             WHERE d.system = $1 AND COALESCE(d.issuer_org_id, 0) = $2 AND d.issuer_code = $3 AND d.doc_type = $4 \
             AND d.number = $5 AND COALESCE(d.identity_year, 0) = $6 AND COALESCE(d.party_term, '') = $7 \
             ORDER BY d.id LIMIT 1"
        ))
        .bind(s.system.code())
        .bind(input.issuer_org_id.unwrap_or(0))
        .bind(s.issuer.as_str())
        .bind(input.doc_type.as_str())
        .bind(i64::from(s.number))
        .bind(identity_year(input).unwrap_or(0))
        .bind(input.party_term.clone().unwrap_or_default()),
    )
    .await
}

/// Filters of the register.
#[derive(Debug, Clone, Default)]
pub struct LegalDocumentFilter {
    /// Words of the symbol or the summary, diacritics ignored.
    pub q: Option<String>,
    /// Only this type.
    pub doc_type: Option<String>,
    /// Only this system.
    pub system: Option<String>,
    /// Issued in this year.
    pub year: Option<i32>,
}

/// Documents matching the filter, newest first, with the total count.
pub async fn list(
    ex: &impl Exec,
    filter: &LegalDocumentFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<LegalDocument>, i64), DbError> {
    let mut cond = Query::new(" WHERE 1 = 1");
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        for word in tiendo_core::text::fold(q).split_whitespace() {
            cond.push(" AND d.summary_folded LIKE ").push_bind(format!("%{word}%"));
        }
    }
    if let Some(t) = &filter.doc_type {
        cond.push(" AND d.doc_type = ").push_bind(t.as_str());
    }
    if let Some(s) = &filter.system {
        cond.push(" AND d.system = ").push_bind(s.as_str());
    }
    if let Some(y) = filter.year {
        let from = NaiveDate::from_ymd_opt(y, 1, 1);
        // No year after the last one: past chrono's range, the bounds are NULL and nothing matches.
        let to = y.checked_add(1).and_then(|next| NaiveDate::from_ymd_opt(next, 1, 1));
        cond.push(" AND d.issued_on >= ").push_bind(from).push(" AND d.issued_on < ").push_bind(to);
    }
    let mut count = Query::new(format!("SELECT COUNT(*) FROM legal_documents d{}", cond.sql()));
    for v in cond.values() {
        count = count.bind(v.clone());
    }
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut page = Query::new(format!(
        "SELECT {COLUMNS} FROM legal_documents d LEFT JOIN organizations o ON o.id = d.issuer_org_id{}",
        cond.sql()
    ));
    for v in cond.values() {
        page = page.bind(v.clone());
    }
    page.push(" ORDER BY d.issued_on DESC, d.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(page).await?, total))
}

/// A relation between documents, seen from one of them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Relation {
    /// Row id.
    pub id: i64,
    /// `implements`, `amends` or `replaces`.
    pub kind: String,
    /// Whether this document is the subject (`this implements other`) rather than the object.
    pub outgoing: bool,
    /// The other document.
    pub other_id: i64,
    /// Its symbol.
    pub other_symbol: String,
    /// Its summary.
    pub other_summary: String,
}

/// Records that `from` implements, amends or replaces `to`.
pub async fn relate(ex: &impl Exec, from: i64, to: i64, kind: &str) -> Result<(), DbError> {
    ex.execute(
        Query::new("INSERT INTO document_relations (from_id, to_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(from)
            .bind(to)
            .bind(kind),
    )
    .await?;
    Ok(())
}

/// The relations of a document, both directions.
pub async fn relations(ex: &impl Exec, id: i64) -> Result<Vec<Relation>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT r.id, r.kind, TRUE AS outgoing, d.id AS other_id, d.symbol AS other_symbol, d.summary AS other_summary \
             FROM document_relations r JOIN legal_documents d ON d.id = r.to_id WHERE r.from_id = $1 \
             UNION ALL \
             SELECT r.id, r.kind, FALSE AS outgoing, d.id AS other_id, d.symbol AS other_symbol, d.summary AS other_summary \
             FROM document_relations r JOIN legal_documents d ON d.id = r.from_id WHERE r.to_id = $1 ORDER BY 1",
        )
        .bind(id),
    )
    .await
}

/// Attaches a stored file to a document.
pub async fn attach(ex: &impl Exec, document_id: i64, attachment_id: i64) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO document_attachments (document_id, attachment_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(document_id)
        .bind(attachment_id),
    )
    .await?;
    Ok(())
}

/// Whether a stored file is attached to a document of the register (such files are read by every
/// signed-in user).
pub async fn uses_attachment(ex: &impl Exec, attachment_id: i64) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(Query::new("SELECT COUNT(*) FROM document_attachments WHERE attachment_id = $1").bind(attachment_id))
        .await?;
    Ok(n > 0)
}

/// The files of a document.
pub async fn attachments(ex: &impl Exec, document_id: i64) -> Result<Vec<crate::files::Attachment>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id, a.sha256, a.size, a.content_type, a.original_name FROM attachments a \
             JOIN document_attachments da ON da.attachment_id = a.id WHERE da.document_id = $1 ORDER BY a.id",
        )
        .bind(document_id),
    )
    .await
}

/// Documents for select lists: id and symbol with the start of the summary, newest first.
pub async fn options(ex: &impl Exec) -> Result<Vec<(i64, String)>, DbError> {
    let rows: Vec<(i64, String, String)> = ex
        .fetch_all(Query::new(
            "SELECT id, symbol, summary FROM legal_documents ORDER BY issued_on DESC, id DESC LIMIT 500",
        ))
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, symbol, summary)| {
            let short: String = summary.chars().take(70).collect();
            (id, format!("{symbol} — {short}"))
        })
        .collect())
}
