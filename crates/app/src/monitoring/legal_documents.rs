//! The register of legal and Party documents (`legal_documents`): who keeps it, the rules of an entry,
//! registering and editing one, and attaching its files.

use chrono::NaiveDate;
use tiendo_core::monitoring::assignment::may_keep_register;
use tiendo_core::monitoring::{DocSystem, DocType, DocumentSymbol};
use tiendo_db::DbError;
use tiendo_db::audit::Diff;
use tiendo_db::monitoring::legal_documents::{self, LegalDocumentInput};
use tiendo_db::orgtree;

use super::files::{self, Upload};
use super::{optional_line, problems};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// The entity type of the register's entries in the audit trail (as recorded since the register began).
pub const ENTITY: &str = "document";

/// A document as typed or sent, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct LegalDocumentDraft {
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
    /// Invented for the demo (only the demo loader sets it).
    pub is_sample: bool,
    /// Fields the caller could not read.
    pub unreadable: Vec<FieldError>,
}

/// `Forbidden` unless the actor keeps the register.
fn keeper(session: &Session) -> Result<()> {
    if may_keep_register(&session.actor) { Ok(()) } else { Err(Error::FORBIDDEN) }
}

/// Checks a draft against the register's rules; `id` is the document being edited.
async fn check(app: &App, id: Option<i64>, draft: &LegalDocumentDraft) -> Result<LegalDocumentInput> {
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
        && orgtree::name(app.db(), org).await?.is_none()
    {
        errors.push(FieldError::new("issuer_org_id", "unknown_organization"));
    }
    if let Some(other) = draft.implements_id
        && (Some(other) == id || legal_documents::get(app.db(), other).await?.is_none())
    {
        errors.push(FieldError::new("implements_id", "invalid"));
    }
    problems(&draft.unreadable, errors)?;
    let (Some(symbol), Some(doc_type)) = (symbol, doc_type) else {
        return Err(Error::invalid("symbol", "required"));
    };
    let party_term = optional_line(draft.party_term.as_deref());
    Ok(LegalDocumentInput {
        party_term: party_term.filter(|_| symbol.system == DocSystem::Party),
        symbol,
        doc_type: doc_type.code().to_owned(),
        issuer_org_id: draft.issuer_org_id,
        issued_on: draft.issued_on,
        effective_on: draft.effective_on,
        signer: optional_line(draft.signer.as_deref()),
        summary,
        is_sample: draft.is_sample,
    })
}

/// Registers a new document (`id` `None`) or replaces the fields of one (department staff). Outcomes:
/// `Forbidden`; `NotFound` for an unknown `id`; `Invalid` naming each field at fault; `Conflict`
/// `document_exists` (arguments `symbol`, and `existing`, the id of the document registered with that
/// identity, when found) when another document has the same issuer, type, number and year or term.
pub async fn save(app: &App, session: &Session, id: Option<i64>, draft: &LegalDocumentDraft) -> Result<i64> {
    keeper(session)?;
    let before = match id {
        Some(id) => Some(legal_documents::get(app.db(), id).await?.ok_or(Error::NotFound)?),
        None => None,
    };
    let mut input = check(app, id, draft).await?;
    let now = app.now();
    let tx = app.begin().await?;
    let written = match &before {
        None => legal_documents::create(&tx, &input, session.user_id(), now).await,
        Some(before) => {
            input.is_sample = before.is_sample;
            legal_documents::update(&tx, before.id, &input, now).await.map(|()| before.id)
        }
    };
    let doc_id = match written {
        Ok(doc_id) => doc_id,
        Err(DbError::UniqueViolation { .. }) => {
            drop(tx);
            let mut args = vec![("symbol", input.symbol.to_string())];
            if let Some(existing) = legal_documents::find_same(app.db(), &input).await? {
                args.push(("existing", existing.id.to_string()));
            }
            return Err(Error::Conflict { code: "document_exists", args });
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(target) = draft.implements_id {
        legal_documents::relate(&tx, doc_id, target, "implements").await?;
    }
    match &before {
        None => {
            let entry =
                Entry::new("create", ENTITY, doc_id, "audit-monitoring-document-created").arg("symbol", &input.symbol);
            audit::record(app, &tx, session, entry).await?;
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
                let entry = Entry::new("update", ENTITY, doc_id, "audit-monitoring-document-updated")
                    .arg("symbol", &input.symbol)
                    .changes(diff.into_changes());
                audit::record(app, &tx, session, entry).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(doc_id)
}

/// Attaches files to a document (department staff), each checked by its content and recorded in the
/// audit trail. `Invalid` (`file`) when none is sent or one is refused; nothing is stored then.
pub async fn attach(app: &App, session: &Session, id: i64, uploads: &[Upload]) -> Result<()> {
    keeper(session)?;
    let doc = legal_documents::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    if uploads.is_empty() {
        return Err(Error::invalid("file", "file_missing"));
    }
    let kinds = files::kinds("file", uploads).map_err(|e| Error::Invalid(vec![e]))?;
    let tx = app.begin().await?;
    for (upload, kind) in uploads.iter().zip(kinds) {
        let a = files::store(app, &tx, upload, kind, session.user_id()).await?;
        legal_documents::attach(&tx, id, a.id).await?;
        let entry = Entry::new("attach", ENTITY, id, "audit-monitoring-document-attached")
            .arg("file", &a.original_name)
            .arg("symbol", &doc.symbol);
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}
