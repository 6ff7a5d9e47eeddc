//! `/api/v1/documents`: the register of legal and Party documents (`legal_documents`).

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::legal_documents::{self as register, LegalDocumentDraft};
use tiendo_db::monitoring::legal_documents::{self, LegalDocument, LegalDocumentFilter};
use tiendo_db::monitoring::plans;
use utoipa::{IntoParams, ToSchema};

use super::{FileMeta, paged};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A document of the register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentEntry {
    /// Id.
    pub id: i64,
    /// The symbol in its canonical form (`07-NQ/TU`, `12/2024/QĐ-UBND`).
    pub symbol: String,
    /// `state` or `party`.
    pub system: String,
    /// The type abbreviation (`NQ`, `QĐ`, `CTr`, `L`, …).
    pub doc_type: String,
    /// The number (số).
    pub number: i64,
    /// The year of a normative document.
    pub year: Option<i64>,
    /// The Party committee's term (Party documents).
    pub party_term: Option<String>,
    /// The issuer's abbreviation in the symbol (`UBND`, `TU`, `QH15`).
    pub issuer_code: String,
    /// The issuing organisation, when it is in the directory.
    pub issuer_org_id: Option<i64>,
    /// Its name.
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

impl From<LegalDocument> for DocumentEntry {
    fn from(d: LegalDocument) -> DocumentEntry {
        DocumentEntry {
            id: d.id,
            symbol: d.symbol,
            system: d.system,
            doc_type: d.doc_type,
            number: d.number,
            year: d.year,
            party_term: d.party_term,
            issuer_code: d.issuer_code,
            issuer_org_id: d.issuer_org_id,
            issuer_name: d.issuer_name,
            issued_on: d.issued_on,
            effective_on: d.effective_on,
            signer: d.signer,
            summary: d.summary,
            is_sample: d.is_sample,
            updated_at: d.updated_at,
        }
    }
}

/// A relation to another document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationEntry {
    /// `implements`, `amends` or `replaces`.
    pub kind: String,
    /// `outgoing` (this document implements the other) or `incoming` (the other implements this one).
    pub direction: String,
    /// The other document.
    pub document_id: i64,
    /// Its symbol.
    pub symbol: String,
    /// Its summary.
    pub summary: String,
}

/// A plan based on a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanLink {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
}

/// A document with its files, its relations and the plans based on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDetail {
    /// The register entry.
    pub document: DocumentEntry,
    /// The attached files (metadata; uploads go through the page form).
    pub files: Vec<FileMeta>,
    /// Relations to other documents, both directions.
    pub relations: Vec<RelationEntry>,
    /// The plans based on it.
    pub plans: Vec<PlanLink>,
}

async fn detail(ctx: &Ctx, id: i64) -> Result<DocumentDetail, AppError> {
    let db = ctx.state.db();
    let document = legal_documents::get(db, id).await?.ok_or(AppError::NotFound)?;
    let relations = legal_documents::relations(db, id)
        .await?
        .into_iter()
        .map(|r| RelationEntry {
            kind: r.kind,
            direction: if r.outgoing { "outgoing" } else { "incoming" }.to_owned(),
            document_id: r.other_id,
            symbol: r.other_symbol,
            summary: r.other_summary,
        })
        .collect();
    Ok(DocumentDetail {
        document: document.into(),
        files: legal_documents::attachments(db, id).await?.into_iter().map(FileMeta::from).collect(),
        relations,
        plans: plans::by_document(db, id).await?.into_iter().map(|p| PlanLink { id: p.id, title: p.title }).collect(),
    })
}

/// Filters of the register.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentsQuery {
    /// Words of the summary, diacritics ignored.
    q: Option<String>,
    /// Only this type (`NQ`, `QĐ`, …).
    #[serde(rename = "type")]
    doc_type: Option<String>,
    /// `state` or `party`.
    system: Option<String>,
    /// Issued in this year.
    year: Option<i32>,
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// The register, newest issue first, as on `/documents`.
#[utoipa::path(get, path = "/documents", tag = "monitoring", operation_id = "list_documents", security(("bearer" = [])),
    params(DocumentsQuery),
    responses(
        (status = 200, description = "Documents", body = ListPage<DocumentEntry>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_documents(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<DocumentsQuery>,
) -> Result<Json<ListPage<DocumentEntry>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let filter = LegalDocumentFilter {
        q: q.q,
        doc_type: q.doc_type.filter(|t| !t.is_empty()),
        system: q.system.filter(|s| !s.is_empty()),
        year: q.year,
    };
    let (rows, total) = legal_documents::list(ctx.state.db(), &filter, paging.limit, paging.offset).await?;
    let items = rows.into_iter().map(DocumentEntry::from).collect();
    Ok(Json(paged(paging, items, total)))
}

/// One document with its files, relations and plans.
#[utoipa::path(get, path = "/documents/{id}", tag = "monitoring", operation_id = "get_document", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = DocumentDetail),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_document(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<DocumentDetail>, AppError> {
    ctx.auth.require_user()?;
    Ok(Json(detail(&ctx, id).await?))
}

/// A document to register, or the new fields of one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DocumentBody {
    /// Number and symbol as written: `07-NQ/TU`, `Số: 123/QĐ-UBND`, `12/2024/QĐ-UBND`, `93/2025/QH15`.
    /// A symbol that does not parse is a field error whose code says which part is wrong
    /// (`symbol_missing_number`, `symbol_bad_number`, `symbol_bad_year`, `symbol_missing_type`,
    /// `symbol_unknown_type`, `symbol_missing_issuer`, `symbol_unexpected`), with the part in `params.part`.
    pub symbol: String,
    /// The type code (`NQ`, `QĐ`, …); taken from the symbol when absent, and must agree with it.
    #[serde(default)]
    pub doc_type: Option<String>,
    /// The Party committee's term (kept for Party documents only).
    #[serde(default)]
    pub party_term: Option<String>,
    /// The issuing organisation.
    #[serde(default)]
    pub issuer_org_id: Option<i64>,
    /// Date of issue.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// Date in force (not before the date of issue).
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
    /// Who signed.
    #[serde(default)]
    pub signer: Option<String>,
    /// The summary (trích yếu), at most 2000 characters.
    pub summary: String,
    /// A document this one implements (the relation is added; existing relations are kept).
    #[serde(default)]
    pub implements_id: Option<i64>,
}

impl DocumentBody {
    fn draft(self) -> LegalDocumentDraft {
        LegalDocumentDraft {
            symbol: self.symbol,
            doc_type: self.doc_type,
            party_term: self.party_term,
            issuer_org_id: self.issuer_org_id,
            issued_on: self.issued_on,
            effective_on: self.effective_on,
            signer: self.signer,
            summary: self.summary,
            implements_id: self.implements_id,
            is_sample: false,
            unreadable: Vec::new(),
        }
    }
}

/// Saves through the use case the pages call.
async fn save_document(ctx: &Ctx, id: Option<i64>, body: DocumentBody) -> Result<i64, AppError> {
    ctx.auth.require_user()?;
    match register::save(ctx.state.app(), ctx.auth.session(), id, &body.draft()).await {
        Ok(id) => Ok(id),
        // The API names the symbol only (the page links to the document already registered).
        Err(tiendo_app::Error::Conflict { code: "document_exists", args }) => {
            let symbol = args.into_iter().find(|(k, _)| *k == "symbol").map(|(_, v)| v).unwrap_or_default();
            Err(AppError::ConflictWith { code: "document_exists", args: vec![("symbol", symbol)] })
        }
        Err(e) => Err(e.into()),
    }
}

/// Registers a document (department staff).
#[utoipa::path(post, path = "/documents", tag = "monitoring", operation_id = "create_document", security(("bearer" = [])),
    request_body = DocumentBody,
    responses(
        (status = 201, description = "Registered", body = DocumentDetail),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_exists`: the same issuer, type, number and year or term is registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`symbol_*` for the symbol, naming the part)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_document(
    ctx: Ctx,
    ApiJson(body): ApiJson<DocumentBody>,
) -> Result<(StatusCode, Json<DocumentDetail>), AppError> {
    let id = save_document(&ctx, None, body).await?;
    Ok((StatusCode::CREATED, Json(detail(&ctx, id).await?)))
}

/// Replaces the fields of a document (department staff); every field is sent, as on the edit form.
#[utoipa::path(put, path = "/documents/{id}", tag = "monitoring", operation_id = "update_document", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Document id")),
    request_body = DocumentBody,
    responses(
        (status = 200, description = "Saved", body = DocumentDetail),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_exists`: another document has this identity", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_document(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DocumentBody>,
) -> Result<Json<DocumentDetail>, AppError> {
    save_document(&ctx, Some(id), body).await?;
    Ok(Json(detail(&ctx, id).await?))
}
