//! `/documents`: the register of legal and Party documents.

use askama::Template;
use axum::extract::multipart::Multipart;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::{DocSystem, DocType, DocumentSymbol};
use tiendo_db::DbError;
use tiendo_db::audit::{self, Diff, NewEvent};
use tiendo_db::files::Attachment;
use tiendo_db::monitoring::documents::{self, Document, DocumentFilter, DocumentInput};
use tiendo_db::monitoring::plans;
use tiendo_db::orgtree;

use super::{optional_date, optional_text, show_date};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Whether the actor keeps the register (department staff).
fn may_edit(ctx: &Ctx) -> bool {
    authorize(&ctx.auth.actor, Action::Create, &Resource::Directory { org_path: &[] }).is_allowed()
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

fn view(ctx: &Ctx, d: &Document) -> DocumentView {
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
#[template(path = "monitoring/documents.html")]
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
    let filter = DocumentFilter {
        q: Some(q.q.clone()),
        doc_type: Some(q.doc_type.clone()).filter(|t| !t.is_empty()),
        system: Some(q.system.clone()).filter(|s| !s.is_empty()),
        year: q.year.trim().parse().ok(),
    };
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = documents::list(ctx.state.db(), &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
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
#[template(path = "monitoring/document_form.html")]
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
    let docs = documents::options(ctx.state.db())
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

/// Validates the form; the input for the repository, or the errors.
async fn validate(ctx: &Ctx, form: &DocumentForm) -> Result<Result<DocumentInput, FormErrors>, AppError> {
    let mut errors = FormErrors::new();
    let symbol = match DocumentSymbol::parse(&form.symbol) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.add("symbol", ctx.tr.t_with(&format!("field-{}", e.code()), &[("part", e.part())]));
            None
        }
    };
    let chosen = DocType::from_stored(form.doc_type.trim());
    if !form.doc_type.trim().is_empty() && chosen.is_none() {
        errors.add("doc_type", ctx.tr.t("field-invalid"));
    }
    let doc_type = chosen.or_else(|| symbol.as_ref().and_then(|s| s.doc_type));
    if symbol.is_some() && doc_type.is_none() {
        errors.add("doc_type", ctx.tr.t("field-doc_type_required"));
    }
    if let (Some(s), Some(c)) = (&symbol, chosen)
        && let Some(from_symbol) = s.doc_type
        && from_symbol != c
    {
        errors.add("doc_type", ctx.tr.t_with("field-doc_type_mismatch", &[("symbol", from_symbol.code())]));
    }
    let summary = tiendo_core::text::normalize_multiline(&form.summary);
    if summary.is_empty() {
        errors.add("summary", ctx.tr.t("field-required"));
    } else if summary.chars().count() > 2000 {
        errors.add("summary", ctx.tr.t_with("field-too_long", &[("max", "2000")]));
    }
    let issued_on = optional_date(&form.issued_on).unwrap_or_else(|code| {
        errors.add("issued_on", ctx.tr.t(&format!("field-{code}")));
        None
    });
    let effective_on = optional_date(&form.effective_on).unwrap_or_else(|code| {
        errors.add("effective_on", ctx.tr.t(&format!("field-{code}")));
        None
    });
    if let (Some(i), Some(e)) = (issued_on, effective_on)
        && e < i
    {
        errors.add("effective_on", ctx.tr.t("field-effective_before_issued"));
    }
    let issuer_org_id = match form.issuer_org_id.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(id) if orgtree::name(ctx.state.db(), id).await?.is_some() => Some(id),
            _ => {
                errors.add("issuer_org_id", ctx.tr.t("field-unknown_organization"));
                None
            }
        },
    };
    let party_term = tiendo_core::text::normalize_input(&form.party_term);
    let (Some(symbol), Some(doc_type), true) = (symbol, doc_type, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    Ok(Ok(DocumentInput {
        party_term: (symbol.system == DocSystem::Party && !party_term.is_empty()).then_some(party_term),
        symbol,
        doc_type: doc_type.code().to_owned(),
        issuer_org_id,
        issued_on,
        effective_on,
        signer: Some(tiendo_core::text::normalize_input(&form.signer)).filter(|s| !s.is_empty()),
        summary,
        is_sample: false,
    }))
}

/// The existing document with the same identity, for the "already registered" message.
async fn existing_with(ctx: &Ctx, input: &DocumentInput) -> Result<Option<i64>, AppError> {
    Ok(documents::find_same(ctx.state.db(), input).await?.map(|d| d.id))
}

/// `POST /documents`.
pub async fn create(ctx: Ctx, axum::Form(form): axum::Form<DocumentForm>) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let input = match validate(&ctx, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(&ctx, None, form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let tx = ctx.state.db().begin().await?;
    let id = match documents::create(&tx, &input, ctx.auth.user.as_ref().map(|u| u.id), Utc::now()).await {
        Ok(id) => id,
        Err(DbError::UniqueViolation { .. }) => {
            drop(tx);
            let mut errors = FormErrors::new();
            errors.add("symbol", ctx.tr.t_with("field-document_exists", &[("symbol", &input.symbol.to_string())]));
            let existing = existing_with(&ctx, &input).await?;
            return form_page(&ctx, None, form, errors, existing, StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    };
    if let Ok(target) = form.implements_id.parse::<i64>() {
        documents::relate(&tx, id, target, "implements").await?;
    }
    let event = NewEvent::new("create", "document", id, format!("Vào sổ văn bản {}", input.symbol));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
}

/// `GET /documents/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let d = documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
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
    axum::Form(form): axum::Form<DocumentForm>,
) -> Result<Response, AppError> {
    if !may_edit(&ctx) {
        return Err(AppError::Forbidden);
    }
    let before = documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let mut input = match validate(&ctx, &form).await? {
        Ok(input) => input,
        Err(errors) => return form_page(&ctx, Some(id), form, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    input.is_sample = before.is_sample;
    let mut diff = Diff::new();
    diff.field("symbol", &before.symbol, &input.symbol.to_string())
        .field("doc_type", &before.doc_type, &input.doc_type)
        .field("party_term", &before.party_term, &input.party_term)
        .field("issuer_org_id", &before.issuer_org_id, &input.issuer_org_id)
        .field("issued_on", &before.issued_on, &input.issued_on)
        .field("effective_on", &before.effective_on, &input.effective_on)
        .field("signer", &before.signer, &input.signer)
        .field("summary", &before.summary, &input.summary);
    let tx = ctx.state.db().begin().await?;
    match documents::update(&tx, id, &input, Utc::now()).await {
        Ok(()) => {}
        Err(DbError::UniqueViolation { .. }) => {
            drop(tx);
            let mut errors = FormErrors::new();
            errors.add("symbol", ctx.tr.t_with("field-document_exists", &[("symbol", &input.symbol.to_string())]));
            let existing = existing_with(&ctx, &input).await?;
            return form_page(&ctx, Some(id), form, errors, existing, StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(e.into()),
    }
    if let Ok(target) = form.implements_id.parse::<i64>() {
        documents::relate(&tx, id, target, "implements").await?;
    }
    if !diff.is_empty() {
        let event = NewEvent::new("update", "document", id, format!("Sửa văn bản {}", input.symbol))
            .with_changes(diff.into_changes());
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
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
#[template(path = "monitoring/document.html")]
struct DetailPage {
    layout: Layout,
    doc: Document,
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
    let doc = documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let relations = documents::relations(ctx.state.db(), id)
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
        layout: ctx.layout_titled(doc.symbol.clone()),
        type_name: type_name(ctx, &doc.doc_type),
        issued: show_date(doc.issued_on),
        effective: show_date(doc.effective_on),
        relations,
        attachments: documents::attachments(ctx.state.db(), id).await?,
        plans: plans::by_document(ctx.state.db(), id).await?.into_iter().map(|p| (p.id, p.title)).collect(),
        may_edit: may_edit(ctx),
        upload_error,
        history: crate::history::load(&ctx.state, "document", id).await?,
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
    let doc = documents::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let (_, uploads, mut problems) = super::uploads::read_form(form, &["file"]).await?;
    let (ok, bad) = super::uploads::check(&uploads);
    problems.extend(bad);
    if let Some(p) = problems.first() {
        let message = ctx.tr.t_with(&format!("field-{}", p.code()), &[("name", p.name()), ("max", "20 MB")]);
        return detail(&ctx, id, message, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if ok.is_empty() {
        return detail(&ctx, id, ctx.tr.t("field-file_missing"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let tx = ctx.state.db().begin().await?;
    for (i, kind) in ok {
        let a = super::uploads::store(&ctx.state, &tx, &uploads[i], kind, ctx.auth.user.as_ref().map(|u| u.id)).await?;
        documents::attach(&tx, id, a.id).await?;
        let event = NewEvent::new(
            "attach",
            "document",
            id,
            format!("Đính kèm tệp {} vào văn bản {}", a.original_name, doc.symbol),
        );
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/documents/{id}")).into_response())
}

/// The text of an optional field, for templates.
pub fn or_dash(s: &Option<String>) -> String {
    optional_text(s.as_deref().unwrap_or_default()).unwrap_or_else(|| "—".to_owned())
}
