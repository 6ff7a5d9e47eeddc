//! `/documents`: the register of legal and Party documents (`legal_documents`).

use crate::extract::Multipart;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::monitoring::files::Upload;
use tiendo_app::monitoring::legal_documents::{self as register, LegalDocumentDraft};
use tiendo_core::monitoring::DocType;
use tiendo_core::monitoring::assignment::may_keep_register;
use tiendo_db::files::Attachment;
use tiendo_db::monitoring::legal_documents::{self, LegalDocument, LegalDocumentFilter};
use tiendo_db::monitoring::plans;
use tiendo_db::orgtree;

use super::html;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};
use crate::monitoring::{optional_date, optional_text, show_date, uploads};

/// Whether the actor keeps the register (department staff).
fn may_edit(ctx: &Ctx) -> bool {
    may_keep_register(&ctx.auth.actor)
}

/// A document as listed.
#[derive(Debug, Clone)]
pub struct DocumentView {
    id: i64,
    symbol: String,
    type_name: String,
    issuer: String,
    issued: String,
    summary: String,
    is_sample: bool,
}

fn type_name(ctx: &Ctx, code: &str) -> String {
    DocType::from_stored(code).map_or_else(
        || code.to_owned(),
        |t| match ctx.lang {
            tiendo_core::lang::Lang::Vi => t.name_vi().to_owned(),
            tiendo_core::lang::Lang::En => t.name_en().to_owned(),
        },
    )
}

fn view(ctx: &Ctx, d: &LegalDocument) -> DocumentView {
    DocumentView {
        id: d.id,
        symbol: d.symbol.clone(),
        type_name: type_name(ctx, &d.doc_type),
        issuer: d.issuer_name.clone().unwrap_or_else(|| d.issuer_code.clone()),
        issued: show_date(d.issued_on),
        summary: d.summary.clone(),
        is_sample: d.is_sample,
    }
}

/// A type in a select list.
#[derive(Debug, Clone)]
pub struct TypeChoice {
    code: &'static str,
    label: String,
    selected: bool,
}

fn type_choices(ctx: &Ctx, selected: &str) -> Vec<TypeChoice> {
    DocType::ALL
        .iter()
        .map(|t| TypeChoice {
            code: t.code(),
            label: format!("{} — {}", t.code(), type_name(ctx, t.code())),
            selected: t.code() == selected,
        })
        .collect()
}

/// Filters of the register.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    doc_type: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "monitoring/legal_documents.html")]
struct ListPage {
    layout: Layout,
    q: ListQuery,
    types: Vec<TypeChoice>,
    documents: Vec<DocumentView>,
    total: i64,
    page: i64,
    pages: i64,
    may_edit: bool,
    query_without_page: String,
}

const PAGE_SIZE: i64 = 50;

/// `GET /documents`.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let filter = LegalDocumentFilter {
        q: Some(q.q.clone()),
        doc_type: Some(q.doc_type.clone()).filter(|t| !t.is_empty()),
        system: Some(q.system.clone()).filter(|s| !s.is_empty()),
        year: q.year.trim().parse().ok(),
    };
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = legal_documents::list(ctx.state.db(), &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let query_without_page = format!(
        "q={}&type={}&system={}&year={}",
        crate::forms::url_encode(&q.q),
        crate::forms::url_encode(&q.doc_type),
        crate::forms::url_encode(&q.system),
        crate::forms::url_encode(&q.year)
    );
    let page_view = ListPage {
        layout: ctx.layout("documents-title"),
        types: type_choices(&ctx, &q.doc_type),
        documents: rows.iter().map(|d| view(&ctx, d)).collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        may_edit: may_edit(&ctx),
        query_without_page,
        q,
    };
    html(&page_view, StatusCode::OK)
}

/// The document form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentForm {
    #[serde(default)]
    symbol: String,
    #[serde(default)]
    doc_type: String,
    #[serde(default)]
    party_term: String,
    #[serde(default)]
    issuer_org_id: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    effective_on: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    implements_id: String,
}

/// An option of a select list.
#[derive(Debug, Clone)]
pub struct Choice {
    id: i64,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "monitoring/legal_document_form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    form: DocumentForm,
    errors: FormErrors,
    types: Vec<TypeChoice>,
    orgs: Vec<Choice>,
    documents: Vec<Choice>,
    existing: Option<i64>,
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    form: DocumentForm,
    errors: FormErrors,
    existing: Option<i64>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let issuer: Option<i64> = form.issuer_org_id.parse().ok();
    let implements: Option<i64> = form.implements_id.parse().ok();
    let orgs = orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .map(|o| Choice { selected: Some(o.id) == issuer, id: o.id, label: o.name })
        .collect();
    let docs = legal_documents::options(ctx.state.db())
        .await?
        .into_iter()
        .filter(|(d, _)| Some(*d) != id)
        .map(|(d, label)| Choice { selected: Some(d) == implements, id: d, label })
        .collect();
    let title = if id.is_some() { "document-edit-title" } else { "document-new-title" };
    let page = FormPage {
        layout: ctx.layout(title),
        id,
        types: type_choices(ctx, &form.doc_type),
        form,
        errors,
        orgs,
        documents: docs,
        existing,
    };
    html(&page, status)
}

/// `GET /documents/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    form_page(&ctx, None, DocumentForm::default(), FormErrors::new(), None, StatusCode::OK).await
}

impl DocumentForm {
    /// The draft, with what did not parse (dates, the issuer).
    fn draft(&self) -> LegalDocumentDraft {
        let mut errors = Vec::new();
        let mut date = |field: &str, text: &str| {
            optional_date(text).unwrap_or_else(|code| {
                errors.push(FieldError::new(field, code));
                None
            })
        };
        let issued_on = date("issued_on", &self.issued_on);
        let effective_on = date("effective_on", &self.effective_on);
        let issuer_org_id = match self.issuer_org_id.trim() {
            "" => None,
            t => t.parse::<i64>().map_or_else(
                |_| {
                    errors.push(FieldError::new("issuer_org_id", "unknown_organization"));
                    None
                },
                Some,
            ),
        };
        LegalDocumentDraft {
            symbol: self.symbol.clone(),
            doc_type: Some(self.doc_type.clone()),
            party_term: Some(self.party_term.clone()),
            issuer_org_id,
            issued_on,
            effective_on,
            signer: Some(self.signer.clone()),
            summary: self.summary.clone(),
            implements_id: self.implements_id.trim().parse().ok(),
            is_sample: false,
            unreadable: errors,
        }
    }
}

/// Saves the form and answers as the form does: back to the document, or the form again with each wrong
/// field named (and a link to the document already registered under the same identity).
async fn save(ctx: &Ctx, id: Option<i64>, form: DocumentForm) -> Result<Response, AppError> {
    match register::save(ctx.state.app(), ctx.auth.session(), id, &form.draft()).await {
        Ok(doc_id) => Ok(Redirect::to(&format!("/documents/{doc_id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(ctx, id, form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code: "document_exists", args }) => {
            let arg = |name: &str| args.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
            let mut errors = FormErrors::new();
            let symbol = arg("symbol").unwrap_or_default();
            errors.add("symbol", ctx.tr.t_with("field-document_exists", &[("symbol", &symbol)]));
            let existing = arg("existing").and_then(|id| id.parse().ok());
            form_page(ctx, id, form, errors, existing, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /documents`.
pub async fn create(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<DocumentForm>,
) -> Result<Response, AppError> {
    save(&ctx, None, form).await
}

/// `GET /documents/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let d = legal_documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let form = DocumentForm {
        symbol: d.symbol.clone(),
        doc_type: d.doc_type.clone(),
        party_term: d.party_term.clone().unwrap_or_default(),
        issuer_org_id: d.issuer_org_id.map(|o| o.to_string()).unwrap_or_default(),
        issued_on: show_date(d.issued_on),
        effective_on: show_date(d.effective_on),
        signer: d.signer.clone().unwrap_or_default(),
        summary: d.summary.clone(),
        implements_id: String::new(),
    };
    form_page(&ctx, Some(id), form, FormErrors::new(), None, StatusCode::OK).await
}

/// `POST /documents/{id}/edit`.
pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::extract::Form(form): crate::extract::Form<DocumentForm>,
) -> Result<Response, AppError> {
    save(&ctx, Some(id), form).await
}

/// A relation as shown.
#[derive(Debug, Clone)]
pub struct RelationView {
    label: String,
    other_id: i64,
    other_symbol: String,
    other_summary: String,
}

#[derive(Template)]
#[template(path = "monitoring/legal_document.html")]
struct DetailPage {
    layout: Layout,
    doc: LegalDocument,
    type_name: String,
    issued: String,
    effective: String,
    relations: Vec<RelationView>,
    attachments: Vec<Attachment>,
    plans: Vec<(i64, String)>,
    may_edit: bool,
    upload_error: String,
    history: Vec<HistoryItem>,
}

async fn detail(ctx: &Ctx, id: i64, upload_error: String, status: StatusCode) -> Result<Response, AppError> {
    let doc = legal_documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let relations = legal_documents::relations(ctx.state.db(), id)
        .await?
        .into_iter()
        .map(|r| RelationView {
            label: ctx.tr.t(&format!("relation-{}-{}", r.kind, if r.outgoing { "out" } else { "in" })),
            other_id: r.other_id,
            other_symbol: r.other_symbol,
            other_summary: r.other_summary,
        })
        .collect();
    let page = DetailPage {
        layout: ctx.layout_named(doc.symbol.clone()),
        type_name: type_name(ctx, &doc.doc_type),
        issued: show_date(doc.issued_on),
        effective: show_date(doc.effective_on),
        relations,
        attachments: legal_documents::attachments(ctx.state.db(), id).await?,
        plans: plans::by_document(ctx.state.db(), id).await?.into_iter().map(|p| (p.id, p.title)).collect(),
        may_edit: may_edit(ctx),
        upload_error,
        history: crate::history::load(&ctx.state, &ctx.tr, "document", id).await?,
        doc,
    };
    html(&page, status)
}

/// `GET /documents/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    detail(&ctx, id, String::new(), StatusCode::OK).await
}

/// `POST /documents/{id}/attachments`: attaches files (checked by content).
pub async fn attach(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let (_, files, problems) = uploads::read_form(form, &["file"]).await?;
    if let Some(p) = problems.first() {
        let message = ctx.tr.t_with(&format!("field-{}", p.code()), &[("name", p.name()), ("max", "20 MB")]);
        return detail(&ctx, id, message, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let files: Vec<Upload> = files.into_iter().map(|u| Upload { name: u.name, bytes: u.bytes }).collect();
    match register::attach(ctx.state.app(), ctx.auth.session(), id, &files).await {
        Ok(()) => Ok(Redirect::to(&format!("/documents/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let message = FormErrors::from_fields(&fields, &ctx.tr).get("file").to_owned();
            detail(&ctx, id, message, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The text of an optional field, for templates.
pub fn or_dash(s: &Option<String>) -> String {
    optional_text(s.as_deref().unwrap_or_default()).unwrap_or_else(|| "—".to_owned())
}
