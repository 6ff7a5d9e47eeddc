//! `/admin/templates`: the templates of the official documents (mẫu văn bản). A province-wide
//! administrator edits a kind's text with the fields it may use beside it, previews the result on the
//! kind's sample record (in the page, and as DOCX or PDF), saves it as a new version, and restores an
//! earlier version or the program's default. The workflow is described in `docs/documents.md`.

use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::document_templates::{
    self as use_case, AUDIT_ENTITY, SOURCE_FIELD, Saved, authorize_settings, check, kind_label, normalize_source,
    template_error,
};
use tiendo_core::authz::Action;
use tiendo_db::document_templates::{self as versions, TemplateVersion};
use tiendo_export::ExportError;
use tiendo_export::kinds::{DocumentKind, build};
use tiendo_export::sample::{sample_frame_for, sample_record};
use tiendo_export::template::{FieldDecl, FieldKind};

use crate::documents::{self, Format};
use crate::error::AppError;
use crate::errors_render::field_message;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};
use tiendo_app::i18n::Tr;

/// How many versions the page lists.
const VERSIONS_SHOWN: i64 = 50;

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// Templates are settings: province-wide administrators only.
fn require(ctx: &Ctx, action: Action) -> Result<(), AppError> {
    Ok(authorize_settings(ctx.auth.session(), action)?)
}

/// The kind named in the address, or 404 naming it.
fn kind_or_404(id: &str) -> Result<DocumentKind, AppError> {
    Ok(use_case::kind(id)?)
}

/// A row of the list of kinds.
#[derive(Debug, Clone)]
pub struct KindRow {
    id: &'static str,
    label: String,
    version: i64,
    uses_default: bool,
    broken: bool,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "document_templates/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<KindRow>,
}

/// `GET /admin/templates`: every document kind with its active version, who saved it and when.
pub async fn list(ctx: Ctx) -> Result<Response, AppError> {
    require(&ctx, Action::View)?;
    let actives = versions::active_all(ctx.state.db()).await?;
    let rows = DocumentKind::ALL
        .into_iter()
        .map(|kind| {
            let active = actives.iter().find(|v| v.kind == kind.id());
            let broken = active
                .and_then(|v| v.source.as_deref())
                .is_some_and(|text| tiendo_export::template::Template::parse(&kind.schema(), text).is_err());
            KindRow {
                id: kind.id(),
                label: kind_label(&ctx.tr, kind),
                version: active.map_or(0, |v| v.version),
                uses_default: broken || active.is_none_or(TemplateVersion::is_default),
                broken,
                by: active.map(|v| v.created_by_label.clone()).unwrap_or_default(),
                at: active.map(|v| tiendo_core::fmt::datetime(v.created_at)).unwrap_or_default(),
            }
        })
        .collect();
    html(&ListPage { layout: ctx.layout("templates-title"), rows }, StatusCode::OK)
}

/// A field a template may use, as listed beside the editor.
#[derive(Debug, Clone)]
pub struct FieldView {
    placeholder: String,
    closing: String,
    label: String,
    kind: String,
    max_len: String,
    items: Vec<FieldView>,
}

fn field_views(tr: &Tr, fields: &[FieldDecl], prefix: &str) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| {
            let kind_key = match f.kind {
                FieldKind::Text => "text",
                FieldKind::Date => "date",
                FieldKind::Integer => "integer",
                FieldKind::Decimal => "decimal",
                FieldKind::List(_) => "list",
            };
            let max_len = f.max_len.map(|n| tr.t_with("templates-field-max", &[("max", &n.to_string())]));
            let (placeholder, closing, items) = match &f.kind {
                FieldKind::List(items) => {
                    // The loop variable the default templates use: the first letter of the list's name.
                    let var: String = f.path.rsplit('.').next().unwrap_or("x").chars().take(1).collect();
                    let var = if var.is_empty() { "x".to_owned() } else { var };
                    (
                        format!("{{{{#each {} as {var}}}}}", f.path),
                        "{{/each}}".to_owned(),
                        field_views(tr, items, &format!("{var}.")),
                    )
                }
                _ => (format!("{{{{{prefix}{}}}}}", f.path), String::new(), Vec::new()),
            };
            FieldView {
                placeholder,
                closing,
                label: f.label.clone(),
                kind: tr.t(&format!("templates-field-kind-{kind_key}")),
                max_len: max_len.unwrap_or_default(),
                items,
            }
        })
        .collect()
}

/// The preview panel: the document built from the sample record, or what prevents it.
#[derive(Debug, Clone, Default)]
pub struct PreviewView {
    kind: &'static str,
    /// The document as HTML, produced by the export engine (escaped there).
    document: String,
    /// Why there is no document (an invalid template, a sample value too long).
    error: String,
    /// Why PDF cannot be produced on this server, in the page's language, with the engine's message.
    pdf_problem: String,
    pdf_detail: String,
}

/// Builds the preview of `source` (as typed) for `kind` on its sample record.
fn preview(tr: &Tr, kind: DocumentKind, source: &str, pdf: &Result<(), String>) -> PreviewView {
    let (pdf_problem, pdf_detail) = match pdf {
        Ok(()) => (String::new(), String::new()),
        Err(detail) => (tr.t("templates-pdf-unavailable"), detail.clone()),
    };
    let mut view = PreviewView { kind: kind.id(), pdf_problem, pdf_detail, ..PreviewView::default() };
    let outcome = check(kind, &normalize_source(source))
        .map_err(|e| field_message(&e, tr))
        .and_then(|template| sample_document(kind, &template).map_err(|e| export_message(tr, &e)))
        .and_then(|doc| tiendo_export::html(&doc).map_err(|e| export_message(tr, &e)));
    match outcome {
        Ok(document) => view.document = document,
        Err(message) => view.error = message,
    }
    view
}

/// The kind's sample document built with `template`.
fn sample_document(
    kind: DocumentKind,
    template: &tiendo_export::template::Template,
) -> Result<tiendo_export::Document, ExportError> {
    build(kind, template, &sample_record(kind), sample_frame_for(kind, 1))
}

fn export_message(tr: &Tr, err: &ExportError) -> String {
    match err {
        ExportError::FieldTooLong { field, len, max } => tr.t_with(
            "templates-preview-too-long",
            &[("field", field), ("len", &len.to_string()), ("max", &max.to_string())],
        ),
        other => tr.t_with("templates-preview-failed", &[("reason", &other.to_string())]),
    }
}

/// Whether PDF can be produced here: `Err` carries the export engine's message (missing font).
async fn pdf_status(ctx: &Ctx) -> Result<(), String> {
    let state = ctx.state.clone();
    match tokio::task::spawn_blocking(move || state.pdf_fonts()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) => Err(err.to_string()),
        Err(err) => Err(err.to_string()),
    }
}

/// A row of the version list.
#[derive(Debug, Clone)]
pub struct VersionRow {
    version: i64,
    what: String,
    by: String,
    at: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "document_templates/edit.html")]
struct EditPage {
    layout: Layout,
    kind: &'static str,
    source: String,
    base_version: i64,
    active_version: i64,
    active_by: String,
    active_at: String,
    uses_default: bool,
    fallback: String,
    notice: String,
    conflict: String,
    errors: FormErrors,
    error_line: usize,
    fields: Vec<FieldView>,
    preview: PreviewView,
    versions: Vec<VersionRow>,
    history: Vec<HistoryItem>,
}

#[derive(Template)]
#[template(path = "document_templates/_preview.html")]
struct PreviewFragment {
    layout: Layout,
    preview: PreviewView,
}

/// What the edit page shows besides the active template.
#[derive(Debug, Default)]
struct Draft {
    /// The editor's text; `None` shows the active template.
    source: Option<String>,
    /// A success or information message.
    notice: String,
    /// A refusal that concerns the whole form (someone else saved meanwhile, a version no longer valid).
    conflict: String,
    /// The field errors (the template text).
    errors: FormErrors,
    /// The line the error is on (0: none), for the script to put the cursor there.
    error_line: usize,
}

async fn edit_page(ctx: &Ctx, kind: DocumentKind, draft: Draft, status: StatusCode) -> Result<Response, AppError> {
    let active = documents::active_template(&ctx.state, kind).await?;
    let source = draft.source.unwrap_or_else(|| active.source.clone());
    let pdf = pdf_status(ctx).await;
    let fallback = match (&active.fallback, active.version.as_ref().and_then(|v| v.source.as_deref())) {
        (Some(err), Some(saved)) => {
            let error = template_error(kind, saved, err);
            ctx.tr.t_with("templates-fallback", &[("reason", &field_message(&error, &ctx.tr))])
        }
        _ => String::new(),
    };
    let versions = versions::versions(ctx.state.db(), kind.id(), VERSIONS_SHOWN)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            what: match (v.is_default(), v.restored_from) {
                (true, _) => ctx.tr.t("templates-version-default"),
                (false, Some(from)) => ctx.tr.t_with("templates-version-restored", &[("version", &from.to_string())]),
                (false, None) => ctx.tr.t("templates-version-saved"),
            },
            active: v.version == active.version_number(),
            version: v.version,
            by: v.created_by_label,
            at: tiendo_core::fmt::datetime(v.created_at),
        })
        .collect();
    let page = EditPage {
        layout: ctx.layout_titled(ctx.tr.t_with("templates-edit-title", &[("kind", &kind_label(&ctx.tr, kind))])),
        kind: kind.id(),
        preview: preview(&ctx.tr, kind, &source, &pdf),
        source,
        base_version: active.version_number(),
        active_version: active.version_number(),
        active_by: active.version.as_ref().map(|v| v.created_by_label.clone()).unwrap_or_default(),
        active_at: active.version.as_ref().map(|v| tiendo_core::fmt::datetime(v.created_at)).unwrap_or_default(),
        uses_default: active.uses_default(),
        fallback,
        notice: draft.notice,
        conflict: draft.conflict,
        errors: draft.errors,
        error_line: draft.error_line,
        fields: field_views(&ctx.tr, &kind.schema().fields, ""),
        versions,
        history: crate::history::load(&ctx.state, &ctx.tr, AUDIT_ENTITY, kind.id()).await?,
    };
    html(&page, status)
}

/// What the page says after a change (the query of the redirect).
#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    saved: Option<i64>,
    restored: Option<i64>,
    default: Option<i64>,
    unchanged: Option<String>,
    /// Opens this version's text in the editor (not saved until the administrator saves it).
    version: Option<i64>,
}

/// `GET /admin/templates/{kind}`: the editor with the active template (or an earlier version's text),
/// the fields, the preview, the versions and the history.
pub async fn show(ctx: Ctx, Path(kind): Path<String>, Query(q): Query<EditQuery>) -> Result<Response, AppError> {
    require(&ctx, Action::View)?;
    let kind = kind_or_404(&kind)?;
    let n = |v: i64| v.to_string();
    let mut draft = Draft::default();
    if let Some(v) = q.saved {
        draft.notice = ctx.tr.t_with("templates-saved", &[("version", &n(v))]);
    } else if let Some(v) = q.restored {
        draft.notice = ctx.tr.t_with("templates-restored", &[("version", &n(v))]);
    } else if let Some(v) = q.default {
        draft.notice = ctx.tr.t_with("templates-default-restored", &[("version", &n(v))]);
    } else if q.unchanged.is_some() {
        draft.notice = ctx.tr.t("templates-unchanged");
    }
    if let Some(v) = q.version {
        let version = versions::version(ctx.state.db(), kind.id(), v).await?.ok_or(AppError::NotFound)?;
        draft.source = Some(version.source.unwrap_or_else(|| documents::default_source(kind)));
        draft.notice = ctx.tr.t_with("templates-version-opened", &[("version", &n(v))]);
    }
    edit_page(&ctx, kind, draft, StatusCode::OK).await
}

/// The editor form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    base_version: String,
    /// For the preview: `html` (the page, or only the panel with `X-Fragment: 1`), `docx` or `pdf`.
    #[serde(default)]
    format: String,
}

/// The line a template error is on, 0 when it has none.
fn error_line(error: &crate::error::FieldError) -> usize {
    error.args.iter().find(|(k, _)| k == "line").and_then(|(_, v)| v.parse().ok()).unwrap_or(0)
}

/// Where the editor goes after a change: the page with what happened said.
fn after(kind: DocumentKind, saved: Saved, what: &str) -> Response {
    let target = match saved {
        Saved::Version(v) => format!("/admin/templates/{}?{what}={}", kind.id(), v.version),
        Saved::Unchanged => format!("/admin/templates/{}?unchanged=1", kind.id()),
    };
    Redirect::to(&target).into_response()
}

/// Re-renders the editor with the text exactly as typed and the refusal explained: an invalid template
/// (422, the line and the field), someone else's newer version (409, who and when); anything else is the
/// error page.
async fn refused(ctx: &Ctx, kind: DocumentKind, typed: String, error: tiendo_app::Error) -> Result<Response, AppError> {
    let mut draft = Draft { source: Some(typed), ..Draft::default() };
    let status = match error {
        tiendo_app::Error::Invalid(errors) => {
            if let Some(error) = errors.first() {
                draft.error_line = error_line(error);
                draft.errors.add(SOURCE_FIELD, field_message(error, &ctx.tr));
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        tiendo_app::Error::Conflict { code: "stale_template", args } => {
            draft.conflict = if args.is_empty() {
                ctx.tr.t("templates-stale-default")
            } else {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                ctx.tr.t_with("templates-stale", &args)
            };
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    edit_page(ctx, kind, draft, status).await
}

/// `POST /admin/templates/{kind}`: saves the text as a new version when it is a valid template for the
/// kind; otherwise the editor comes back with the text as typed and the line and field at fault.
pub async fn save(
    ctx: Ctx,
    Path(kind): Path<String>,
    crate::extract::Form(form): crate::extract::Form<EditForm>,
) -> Result<Response, AppError> {
    require(&ctx, Action::Edit)?;
    let kind = kind_or_404(&kind)?;
    let base = form.base_version.trim().parse::<i64>().ok();
    match use_case::save(ctx.state.app(), ctx.auth.session(), kind, &form.source, base).await {
        Ok(saved) => Ok(after(kind, saved, "saved")),
        Err(error) => refused(&ctx, kind, form.source, error).await,
    }
}

/// `POST /admin/templates/{kind}/preview`: the preview of the text being edited, without saving it: the
/// whole page (the "Xem trước" button without JavaScript), only the panel (`X-Fragment: 1`, the live
/// preview), or the sample document as a DOCX or PDF download.
pub async fn preview_draft(
    ctx: Ctx,
    headers: HeaderMap,
    Path(kind): Path<String>,
    crate::extract::Form(form): crate::extract::Form<EditForm>,
) -> Result<Response, AppError> {
    require(&ctx, Action::View)?;
    let kind = kind_or_404(&kind)?;
    if let Some(format) = Format::from_code(&form.format) {
        let template = match check(kind, &normalize_source(&form.source)) {
            Ok(template) => template,
            Err(error) => return refused(&ctx, kind, form.source, tiendo_app::Error::Invalid(vec![error])).await,
        };
        let doc = sample_document(kind, &template).map_err(documents::export_error)?;
        return Ok(documents::write(&ctx.state, kind, doc, format).await?.into_response());
    }
    if headers.get("x-fragment").is_some() {
        let pdf = pdf_status(&ctx).await;
        let fragment = PreviewFragment {
            layout: ctx.layout("templates-title"),
            preview: preview(&ctx.tr, kind, &form.source, &pdf),
        };
        return html(&fragment, StatusCode::OK);
    }
    let mut draft = Draft { source: Some(form.source.clone()), ..Draft::default() };
    let status = match check(kind, &normalize_source(&form.source)) {
        Ok(_) => StatusCode::OK,
        Err(error) => {
            draft.error_line = error_line(&error);
            draft.errors.add(SOURCE_FIELD, field_message(&error, &ctx.tr));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    edit_page(&ctx, kind, draft, status).await
}

/// The restore form.
#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    version: i64,
}

/// `POST /admin/templates/{kind}/restore`: makes an earlier version active again (as a new version).
pub async fn restore(
    ctx: Ctx,
    Path(kind): Path<String>,
    crate::extract::Form(form): crate::extract::Form<RestoreForm>,
) -> Result<Response, AppError> {
    require(&ctx, Action::Edit)?;
    let kind = kind_or_404(&kind)?;
    match use_case::restore(ctx.state.app(), ctx.auth.session(), kind, form.version).await {
        Ok(saved) => Ok(after(kind, saved, "restored")),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let reason = errors.first().map(|e| field_message(e, &ctx.tr)).unwrap_or_default();
            let draft = Draft {
                conflict: ctx.tr.t_with(
                    "templates-restore-invalid",
                    &[("version", &form.version.to_string()), ("reason", &reason)],
                ),
                ..Draft::default()
            };
            edit_page(&ctx, kind, draft, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => {
            let typed = documents::active_template(&ctx.state, kind).await?.source;
            refused(&ctx, kind, typed, error).await
        }
    }
}

/// `POST /admin/templates/{kind}/default`: makes the program's default template active again.
pub async fn restore_default(ctx: Ctx, Path(kind): Path<String>) -> Result<Response, AppError> {
    require(&ctx, Action::Edit)?;
    let kind = kind_or_404(&kind)?;
    match use_case::restore_default(ctx.state.app(), ctx.auth.session(), kind).await {
        Ok(saved) => Ok(after(kind, saved, "default")),
        Err(error) => {
            let typed = documents::active_template(&ctx.state, kind).await?.source;
            refused(&ctx, kind, typed, error).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::lang::Lang;

    #[test]
    fn list_fields_show_their_loop_and_item_placeholders() {
        let views = field_views(&Tr::new(Lang::Vi), &DocumentKind::ConclusionNotice.schema().fields, "");
        let directives = views.iter().find(|v| v.placeholder.contains("directives")).unwrap();
        assert_eq!(directives.placeholder, "{{#each directives as d}}");
        assert_eq!(directives.closing, "{{/each}}");
        let items: Vec<&str> = directives.items.iter().map(|v| v.placeholder.as_str()).collect();
        assert_eq!(items, ["{{d.lead}}", "{{d.text}}", "{{d.deadline}}"]);
        assert!(views.iter().any(|v| v.placeholder == "{{visit.date}}" && v.kind == "Ngày"));
    }

    #[test]
    fn the_preview_names_the_unknown_field_and_its_line() {
        let view = preview(&Tr::new(Lang::Vi), DocumentKind::Report, "---\nKính gửi {{org.nam}}", &Ok(()));
        assert!(view.document.is_empty());
        assert!(view.error.contains("org.nam") && view.error.contains("Dòng 2"), "{}", view.error);
        assert!(view.error.contains("org.name"), "suggests the closest field: {}", view.error);
    }
}
