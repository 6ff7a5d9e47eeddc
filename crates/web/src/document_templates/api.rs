//! `/api/v1/document-templates`: the templates of the official documents (mẫu văn bản), as the
//! administrator pages show and edit them. Province-wide administrators only.

use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::document_templates::{self as use_case, ActiveTemplate, authorize_settings, kind_label};
use tiendo_core::authz::Action;
use tiendo_db::document_templates::{self as versions, TemplateVersion};
use tiendo_export::kinds::DocumentKind;
use tiendo_export::template::{FieldDecl, FieldKind};
use utoipa::ToSchema;

use crate::api::ListPage;
use crate::api::extract::ApiJson;
use crate::documents;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A document kind's template in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateSummary {
    /// The kind: `report`, `conclusion_notice`, `minutes`, `decision` or `certificate`.
    pub kind: String,
    /// Its name in the request's language.
    pub name: String,
    /// The active version; 0 when none was ever saved.
    pub version: i64,
    /// Whether documents use the program's default text (never saved, restored to the default, or the
    /// saved version no longer fits the kind's fields).
    pub uses_default: bool,
    /// Who saved the active version (username).
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A field of a list item, used as `{{x.path}}` inside `{{#each list as x}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateItemField {
    /// The name after the loop variable (`text` in `{{d.text}}`).
    pub path: String,
    /// What it holds (Vietnamese, as declared by the kind).
    pub label: String,
    /// `text`, `date`, `integer` or `decimal`.
    pub kind: String,
    /// The longest value accepted, in characters.
    pub max_len: Option<usize>,
}

/// A field a template of the kind may use.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateField {
    /// The placeholder's name (`visit.date` in `{{visit.date}}`).
    pub path: String,
    /// What it holds (Vietnamese, as declared by the kind).
    pub label: String,
    /// `text`, `date`, `integer`, `decimal` or `list` (used with `{{#each path as x}}`).
    pub kind: String,
    /// The longest value accepted, in characters.
    pub max_len: Option<usize>,
    /// For a list: the fields of its items.
    pub items: Vec<TemplateItemField>,
}

/// A saved version.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateVersionInfo {
    /// 1, 2, 3...
    pub version: i64,
    /// Whether this version stands for the program's default template.
    pub is_default: bool,
    /// The version it restored, if it was made by restoring one.
    pub restored_from: Option<i64>,
    /// Who saved it (username).
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A kind's template: the text in use, the fields it may use, and its versions (newest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateDetail {
    /// The kind.
    pub kind: String,
    /// Its name in the request's language.
    pub name: String,
    /// The active version; 0 when none was ever saved.
    pub version: i64,
    /// Whether documents use the program's default text.
    pub uses_default: bool,
    /// The text documents use now (the default's text when `uses_default`).
    pub source: String,
    /// Who saved the active version.
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
    /// The fields a template of this kind may use.
    pub fields: Vec<TemplateField>,
    /// The saved versions, newest first (at most 100).
    pub versions: Vec<TemplateVersionInfo>,
}

/// A new text for a kind's template.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplateUpdate {
    /// The template text (the language is described in docs/documents.md).
    pub source: String,
    /// The version the text was based on (0: the default, never saved). When given and no longer the
    /// active version, the update is refused with 409 `stale_template` instead of overwriting someone
    /// else's change.
    pub base_version: Option<i64>,
}

fn field_kind(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Date => "date",
        FieldKind::Integer => "integer",
        FieldKind::Decimal => "decimal",
        FieldKind::List(_) => "list",
    }
}

fn fields(decls: &[FieldDecl]) -> Vec<TemplateField> {
    decls
        .iter()
        .map(|f| TemplateField {
            path: f.path.clone(),
            label: f.label.clone(),
            kind: field_kind(&f.kind).to_owned(),
            max_len: f.max_len,
            items: match &f.kind {
                FieldKind::List(items) => items
                    .iter()
                    .map(|i| TemplateItemField {
                        path: i.path.clone(),
                        label: i.label.clone(),
                        kind: field_kind(&i.kind).to_owned(),
                        max_len: i.max_len,
                    })
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect()
}

fn require(ctx: &Ctx, action: Action) -> Result<(), AppError> {
    ctx.auth.require_user()?;
    Ok(authorize_settings(ctx.auth.session(), action)?)
}

async fn detail(ctx: &Ctx, kind: DocumentKind) -> Result<TemplateDetail, AppError> {
    let active = documents::active_template(&ctx.state, kind).await?;
    let uses_default = active.uses_default();
    let ActiveTemplate { source, version, .. } = active;
    let versions = versions::versions(ctx.state.db(), kind.id(), 100)
        .await?
        .into_iter()
        .map(|v: TemplateVersion| TemplateVersionInfo {
            is_default: v.is_default(),
            version: v.version,
            restored_from: v.restored_from,
            created_by: v.created_by_label,
            created_at: v.created_at,
        })
        .collect();
    Ok(TemplateDetail {
        kind: kind.id().to_owned(),
        name: kind_label(&ctx.tr, kind),
        version: version.as_ref().map_or(0, |v| v.version),
        uses_default,
        source,
        updated_by: version.as_ref().map(|v| v.created_by_label.clone()),
        updated_at: version.as_ref().map(|v| v.created_at),
        fields: fields(&kind.schema().fields),
        versions,
    })
}

/// Every document kind with its active template version, in a fixed order (report, conclusion notice,
/// minutes, decision, certificate).
#[utoipa::path(get, path = "/document-templates", tag = "documents", operation_id = "list_document_templates",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The kinds and their active versions", body = ListPage<TemplateSummary>),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a province-wide administrator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_document_templates(ctx: Ctx) -> Result<Json<ListPage<TemplateSummary>>, AppError> {
    require(&ctx, Action::View)?;
    let mut items = Vec::new();
    for kind in DocumentKind::ALL {
        let active = documents::active_template(&ctx.state, kind).await?;
        items.push(TemplateSummary {
            kind: kind.id().to_owned(),
            name: kind_label(&ctx.tr, kind),
            version: active.version_number(),
            uses_default: active.uses_default(),
            updated_by: active.version.as_ref().map(|v| v.created_by_label.clone()),
            updated_at: active.version.as_ref().map(|v| v.created_at),
        });
    }
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(Json(ListPage { items, total, next: None }))
}

/// A kind's template: the text in use, the fields it may use and its versions.
#[utoipa::path(get, path = "/document-templates/{kind}", tag = "documents", operation_id = "get_document_template",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "`report`, `conclusion_notice`, `minutes`, `decision` or `certificate`")),
    responses(
        (status = 200, description = "The template", body = TemplateDetail),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a province-wide administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`unknown_document_kind`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_document_template(ctx: Ctx, Path(kind): Path<String>) -> Result<Json<TemplateDetail>, AppError> {
    require(&ctx, Action::View)?;
    let kind = use_case::kind(&kind)?;
    Ok(Json(detail(&ctx, kind).await?))
}

/// Saves a new text for a kind's template as a new version (documents use it from then on). The text is
/// checked against the kind's fields first: a placeholder the kind does not declare is refused with 422,
/// field error `unknown_field` naming the placeholder and the line (`params.name`, `params.line`, and
/// `params.suggestion` when a declared field is close); other mistakes have `template_*` codes. Sending
/// the active text again saves nothing and answers 200.
#[utoipa::path(put, path = "/document-templates/{kind}", tag = "documents", operation_id = "update_document_template",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "`report`, `conclusion_notice`, `minutes`, `decision` or `certificate`")),
    request_body = TemplateUpdate,
    responses(
        (status = 200, description = "Saved (or unchanged); the template", body = TemplateDetail),
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a province-wide administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`unknown_document_kind`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`stale_template`: `base_version` is no longer the active version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The text is not a valid template: `unknown_field`, `template_*`, `required`, `too_long` on `source`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_document_template(
    ctx: Ctx,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<TemplateUpdate>,
) -> Result<Json<TemplateDetail>, AppError> {
    require(&ctx, Action::Edit)?;
    let kind = use_case::kind(&kind)?;
    use_case::save(ctx.state.app(), ctx.auth.session(), kind, &body.source, body.base_version).await?;
    Ok(Json(detail(&ctx, kind).await?))
}
