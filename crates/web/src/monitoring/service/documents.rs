//! The register of legal and Party documents: who keeps it, the rules of an entry, and saving one.

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Action, Actor, Resource, authorize};
use tiendo_core::monitoring::{DocSystem, DocType, DocumentSymbol};
use tiendo_db::audit::{self, Diff, NewEvent};
use tiendo_db::monitoring::documents::{self, DocumentInput};
use tiendo_db::{DbError, orgtree};

use super::merge_errors;
use crate::error::{AppError, FieldError};
use crate::layout::Ctx;

/// Whether the actor keeps the register (department staff).
pub fn may_keep_register(actor: &Actor) -> bool {
    authorize(actor, Action::Create, &Resource::Directory { org_path: &[] }).is_allowed()
}

/// A document as typed or sent, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct DocumentDraft {
    /// Number and symbol as written (`Số: 123/QĐ-UBND`).
    pub symbol: String,
    /// The type code, when chosen (else taken from the symbol).
    pub doc_type: Option<String>,
    /// The Party committee's term (Party documents only).
    pub party_term: Option<String>,
    /// The issuing organisation.
    pub issuer_org_id: Option<i64>,
    /// Date of issue.
    pub issued_on: Option<NaiveDate>,
    /// Date in force.
    pub effective_on: Option<NaiveDate>,
    /// Who signed.
    pub signer: Option<String>,
    /// The summary (trích yếu).
    pub summary: String,
    /// A document this one implements.
    pub implements_id: Option<i64>,
}

/// Why a document is not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveRefusal {
    /// The input breaks a rule; each field at fault.
    Invalid(Vec<FieldError>),
    /// Another document has the same identity (issuing organisation and abbreviation, type, number, and
    /// numbering year or term).
    Exists {
        /// The canonical symbol.
        symbol: String,
        /// The document already registered, when found by its symbol.
        existing: Option<i64>,
    },
}

/// Checks a draft against the register's rules; `id` is the document being edited.
async fn check(
    ctx: &Ctx,
    id: Option<i64>,
    draft: &DocumentDraft,
) -> Result<Result<DocumentInput, Vec<FieldError>>, AppError> {
    let mut errors = Vec::new();
    let symbol = match DocumentSymbol::parse(&draft.symbol) {
        Ok(s) => Some(s),
        Err(e) => {
            let error = FieldError::new("symbol", e.code());
            // Some codes name no part (`symbol_missing_issuer`): no empty argument then.
            errors.push(if e.part().is_empty() { error } else { error.arg("part", e.part()) });
            None
        }
    };
    let typed = draft.doc_type.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let chosen = typed.and_then(DocType::from_stored);
    if typed.is_some() && chosen.is_none() {
        errors.push(FieldError::new("doc_type", "invalid"));
    }
    let doc_type = chosen.or_else(|| symbol.as_ref().and_then(|s| s.doc_type));
    if symbol.is_some() && doc_type.is_none() {
        errors.push(FieldError::new("doc_type", "doc_type_required"));
    }
    if let (Some(s), Some(c)) = (&symbol, chosen)
        && let Some(from_symbol) = s.doc_type
        && from_symbol != c
    {
        errors.push(FieldError::new("doc_type", "doc_type_mismatch").arg("symbol", from_symbol.code()));
    }
    let summary = tiendo_core::text::normalize_multiline(&draft.summary);
    if summary.is_empty() {
        errors.push(FieldError::new("summary", "required"));
    } else if summary.chars().count() > 2000 {
        errors.push(FieldError::new("summary", "too_long").arg("max", 2000));
    }
    if let (Some(i), Some(e)) = (draft.issued_on, draft.effective_on)
        && e < i
    {
        errors.push(FieldError::new("effective_on", "effective_before_issued"));
    }
    if let Some(org) = draft.issuer_org_id
        && orgtree::name(ctx.state.db(), org).await?.is_none()
    {
        errors.push(FieldError::new("issuer_org_id", "unknown_organization"));
    }
    if let Some(other) = draft.implements_id
        && (Some(other) == id || documents::get(ctx.state.db(), other).await?.is_none())
    {
        errors.push(FieldError::new("implements_id", "invalid"));
    }
    let party_term = super::optional_line(draft.party_term.as_deref());
    let (Some(symbol), Some(doc_type), true) = (symbol, doc_type, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    Ok(Ok(DocumentInput {
        party_term: party_term.filter(|_| symbol.system == DocSystem::Party),
        symbol,
        doc_type: doc_type.code().to_owned(),
        issuer_org_id: draft.issuer_org_id,
        issued_on: draft.issued_on,
        effective_on: draft.effective_on,
        signer: super::optional_line(draft.signer.as_deref()),
        summary,
        is_sample: false,
    }))
}

/// Registers a new document (`id` `None`) or replaces the fields of one, with its audit event; `parsed`
/// holds the errors of the caller's own parsing. The caller has checked [`may_keep_register`].
pub async fn save(
    ctx: &Ctx,
    id: Option<i64>,
    draft: &DocumentDraft,
    parsed: Vec<FieldError>,
) -> Result<Result<i64, SaveRefusal>, AppError> {
    let before = match id {
        Some(id) => Some(documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut input = match check(ctx, id, draft).await? {
        Ok(input) if parsed.is_empty() => input,
        Ok(_) => return Ok(Err(SaveRefusal::Invalid(parsed))),
        Err(found) => return Ok(Err(SaveRefusal::Invalid(merge_errors(parsed, found)))),
    };
    let tx = ctx.state.db().begin().await?;
    let written = match &before {
        None => documents::create(&tx, &input, ctx.auth.user.as_ref().map(|u| u.id), Utc::now()).await,
        Some(before) => {
            input.is_sample = before.is_sample;
            documents::update(&tx, before.id, &input, Utc::now()).await.map(|()| before.id)
        }
    };
    let doc_id = match written {
        Ok(doc_id) => doc_id,
        Err(DbError::UniqueViolation { .. }) => {
            drop(tx);
            let existing = documents::find_same(ctx.state.db(), &input).await?.map(|d| d.id);
            return Ok(Err(SaveRefusal::Exists { symbol: input.symbol.to_string(), existing }));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(target) = draft.implements_id {
        documents::relate(&tx, doc_id, target, "implements").await?;
    }
    match &before {
        None => {
            let event = NewEvent::new("create", "document", doc_id, format!("Vào sổ văn bản {}", input.symbol));
            audit::append(&tx, &ctx.auth.who(), &event).await?;
        }
        Some(before) => {
            let mut diff = Diff::new();
            diff.field("symbol", &before.symbol, &input.symbol.to_string())
                .field("doc_type", &before.doc_type, &input.doc_type)
                .field("party_term", &before.party_term, &input.party_term)
                .field("issuer_org_id", &before.issuer_org_id, &input.issuer_org_id)
                .field("issued_on", &before.issued_on, &input.issued_on)
                .field("effective_on", &before.effective_on, &input.effective_on)
                .field("signer", &before.signer, &input.signer)
                .field("summary", &before.summary, &input.summary);
            if !diff.is_empty() {
                let event = NewEvent::new("update", "document", doc_id, format!("Sửa văn bản {}", input.symbol))
                    .with_changes(diff.into_changes());
                audit::append(&tx, &ctx.auth.who(), &event).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Ok(doc_id))
}
