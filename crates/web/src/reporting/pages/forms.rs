//! `/admin/report-templates`: report forms (the templates of periodic reports) for administrators. A form
//! is written in TOML with the format's reference beside it; problems are shown with their line and the
//! text is kept; a preview shows the form it makes; every save is a new version (an earlier one can be
//! loaded and saved again); and the form is assigned to organisations or to every organisation of a kind
//! (in a province). The changes are `tiendo_app::reporting::forms`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::reporting::forms::{self as service, DEFINITION_FIELD, FormDefinition, FormSaved, TargetRequest};
use tiendo_core::directory::OrgKind;
use tiendo_core::reporting::{FieldKind, Periodicity, TemplateDef};
use tiendo_db::reporting::forms::{self, FormRow};

use super::entry::Choice;
use super::fields::{self, FormData, SectionView};
use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::layout::{Ctx, Layout};
use crate::reporting::html;

/// The definition a new form starts from.
const EXAMPLE: &str = include_str!("example_form.toml");

fn require(ctx: &Ctx) -> Result<(), AppError> {
    if service::may_manage(ctx.auth.session()) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// A report form in the list.
#[derive(Debug, Clone)]
pub struct TemplateLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Version in force.
    pub version: i64,
    /// Periodicity's name.
    pub periodicity: String,
    /// Days after the period.
    pub due_days: i64,
    /// No longer used.
    pub retired: bool,
    /// Who saved the version in force, and when.
    pub saved: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

fn periodicity_name(ctx: &Ctx, row: &FormRow) -> String {
    Periodicity::from_code(&row.periodicity)
        .map(|p| p.name(ctx.lang).to_owned())
        .unwrap_or_else(|| row.periodicity.clone())
}

#[derive(Template)]
#[template(path = "reporting/forms.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<TemplateLine>,
}

/// `GET /admin/report-templates`.
pub async fn list(ctx: Ctx) -> Result<Response, AppError> {
    require(&ctx)?;
    let rows = forms::list(ctx.state.db(), true)
        .await?
        .iter()
        .map(|t| TemplateLine {
            code: t.code.clone(),
            name: t.name.clone(),
            version: t.version,
            periodicity: periodicity_name(&ctx, t),
            due_days: t.due_days,
            retired: t.retired,
            saved: format!("{} · {}", t.created_by_label, tiendo_core::fmt::datetime(t.created_at)),
            is_sample: t.is_sample,
        })
        .collect();
    html(&ListPage { layout: ctx.layout("report-templates-title"), rows }, StatusCode::OK)
}

/// A version in the editor's list.
#[derive(Debug, Clone)]
pub struct VersionLine {
    /// Its number.
    pub version: i64,
    /// Who saved it, when.
    pub saved: String,
    /// Whether it is in force.
    pub in_force: bool,
}

/// A target in the editor.
#[derive(Debug, Clone)]
pub struct TargetLine {
    /// Row id.
    pub id: i64,
    /// What it covers, as HTML ("UBND phường Hà An" marked as data, "Mọi UBND xã, phường — tỉnh 22").
    pub label: String,
}

/// A line of the field-type reference.
#[derive(Debug, Clone)]
pub struct KindLine {
    /// The type's code.
    pub code: &'static str,
    /// What it is.
    pub label: String,
}

#[derive(Template)]
#[template(path = "reporting/form_edit.html")]
struct EditorPage {
    layout: Layout,
    code: String,
    is_new: bool,
    definition: String,
    base_version: String,
    errors: Vec<String>,
    error_line: usize,
    preview: Vec<SectionView>,
    preview_name: String,
    versions: Vec<VersionLine>,
    targets: Vec<TargetLine>,
    kinds: Vec<Choice>,
    orgs: Vec<Choice>,
    target: TargetForm,
    target_errors: FormErrors,
    retired: bool,
    notice: String,
    field_kinds: Vec<KindLine>,
}

/// What the editor shows beyond the stored form.
#[derive(Default)]
struct Shown {
    definition: Option<String>,
    base_version: Option<String>,
    errors: Vec<FieldError>,
    notice: String,
    target: TargetForm,
    target_errors: Vec<FieldError>,
}

async fn editor(ctx: &Ctx, current: Option<&FormRow>, shown: Shown, status: StatusCode) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let definition =
        shown.definition.unwrap_or_else(|| current.map_or_else(|| EXAMPLE.to_owned(), |t| t.definition.clone()));
    let text = tiendo_core::source::normalize(&definition);
    let preview_def: Option<TemplateDef> = TemplateDef::parse(&text).ok();
    let error_line = shown
        .errors
        .iter()
        .find_map(|e| e.args.iter().find(|(k, _)| k == "line").and_then(|(_, v)| v.parse::<usize>().ok()))
        .unwrap_or(0);
    let (versions, targets, retired) = match current {
        Some(t) => {
            let versions = forms::versions(db, &t.code)
                .await?
                .iter()
                .map(|v| VersionLine {
                    version: v.version,
                    saved: format!("{} · {}", v.created_by_label, tiendo_core::fmt::datetime(v.created_at)),
                    in_force: v.version == t.version,
                })
                .collect();
            let targets = forms::targets(db, &t.code)
                .await?
                .into_iter()
                .map(|row| TargetLine {
                    id: row.id,
                    label: match (&row.org_name, &row.org_kind) {
                        (Some(name), _) => format!("<span lang=\"vi\">{}</span>", tiendo_app::i18n::escape(name)),
                        (None, Some(kind)) => {
                            let kind_name = kind
                                .parse::<OrgKind>()
                                .map(|k| k.name(ctx.lang).to_owned())
                                .unwrap_or_else(|_| kind.clone());
                            match &row.province_code {
                                Some(p) => tiendo_app::i18n::escape(
                                    &ctx.tr.t_with("report-target-kind-in", &[("kind", &kind_name), ("province", p)]),
                                ),
                                None => tiendo_app::i18n::escape(
                                    &ctx.tr.t_with("report-target-kind", &[("kind", &kind_name)]),
                                ),
                            }
                        }
                        _ => String::new(),
                    },
                })
                .collect();
            (versions, targets, t.retired)
        }
        None => (Vec::new(), Vec::new(), false),
    };
    let orgs = tiendo_db::orgtree::options(db).await?.into_iter().map(|o| Choice::data(o.id, o.name)).collect();
    let kinds = OrgKind::ALL.iter().map(|k| Choice::new(k.as_str(), k.name(ctx.lang))).collect();
    let page = EditorPage {
        layout: match current {
            Some(t) => ctx.layout_named(t.name.clone()),
            None => ctx.layout("report-template-new-title"),
        },
        code: current.map(|t| t.code.clone()).unwrap_or_default(),
        is_new: current.is_none(),
        base_version: shown.base_version.unwrap_or_else(|| current.map(|t| t.version.to_string()).unwrap_or_default()),
        errors: shown.errors.iter().map(|e| field_message(e, &ctx.tr)).collect(),
        error_line,
        preview: preview_def.as_ref().map(|d| fields::sections(d, &ctx.tr, &FormData::default())).unwrap_or_default(),
        preview_name: preview_def.as_ref().map(|d| d.name(ctx.lang).to_owned()).unwrap_or_default(),
        definition,
        versions,
        targets,
        kinds,
        orgs,
        target: shown.target,
        target_errors: FormErrors::from_fields(&shown.target_errors, &ctx.tr),
        retired,
        notice: shown.notice,
        field_kinds: FieldKind::ALL
            .iter()
            .map(|k| KindLine { code: k.code(), label: fields::kind_label(&ctx.tr, *k) })
            .collect(),
    };
    html(&page, status)
}

/// The version to load into the editor.
#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    done: String,
}

/// `GET /admin/report-templates/new`: the editor with an example definition.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    require(&ctx)?;
    editor(&ctx, None, Shown::default(), StatusCode::OK).await
}

/// `GET /admin/report-templates/{code}`: the version in force (or `?version=N`, to save it again).
pub async fn show(ctx: Ctx, Path(code): Path<String>, Query(q): Query<EditorQuery>) -> Result<Response, AppError> {
    require(&ctx)?;
    let current = forms::in_force(ctx.state.db(), &code).await?.ok_or(AppError::NotFound)?;
    let mut shown = Shown::default();
    if let Some(v) = q.version {
        let old = forms::versions(ctx.state.db(), &code)
            .await?
            .into_iter()
            .find(|t| t.version == v)
            .ok_or(AppError::NotFound)?;
        shown.definition = Some(old.definition);
        shown.notice = ctx.tr.t_with("report-template-loaded-version", &[("version", &v.to_string())]);
    }
    if matches!(q.done.as_str(), "saved" | "target" | "retired" | "reinstated") {
        shown.notice = ctx.tr.t(&format!("report-template-done-{}", q.done));
    }
    editor(&ctx, Some(&current), shown, StatusCode::OK).await
}

/// The editor form.
#[derive(Debug, Default, Deserialize)]
pub struct EditorForm {
    #[serde(default)]
    definition: String,
    #[serde(default)]
    base_version: String,
    #[serde(default)]
    action: String,
}

async fn save_or_preview(ctx: &Ctx, current: Option<FormRow>, form: EditorForm) -> Result<Response, AppError> {
    let editing = current.as_ref().map(|t| t.code.clone());
    let keep = |errors: Vec<FieldError>, notice: String| Shown {
        definition: Some(form.definition.clone()),
        base_version: Some(form.base_version.clone()),
        errors,
        notice,
        ..Shown::default()
    };
    if form.action == "preview" {
        return match service::check(&form.definition, editing.as_deref()) {
            Ok(_) => {
                editor(ctx, current.as_ref(), keep(Vec::new(), ctx.tr.t("report-template-previewed")), StatusCode::OK)
                    .await
            }
            Err(errors) => {
                editor(ctx, current.as_ref(), keep(errors, String::new()), StatusCode::UNPROCESSABLE_ENTITY).await
            }
        };
    }
    let draft = FormDefinition {
        text: form.definition.clone(),
        based_on: form.base_version.trim().parse::<i64>().ok(),
        editing: editing.clone(),
        sample: false,
    };
    match service::save(ctx.state.app(), ctx.auth.session(), &draft).await {
        Ok(FormSaved::Saved(saved)) => {
            Ok(Redirect::to(&format!("/admin/report-templates/{}?done=saved", saved.code)).into_response())
        }
        Ok(FormSaved::Unchanged) => {
            editor(ctx, current.as_ref(), keep(Vec::new(), ctx.tr.t("report-template-unchanged")), StatusCode::OK).await
        }
        Err(tiendo_app::Error::Invalid(errors)) => {
            editor(ctx, current.as_ref(), keep(errors, String::new()), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Stale) => {
            // Another version was saved since: the one in force now (of the code typed).
            let code = TemplateDef::parse(&tiendo_core::source::normalize(&form.definition)).map(|d| d.code).ok();
            let latest = match code.or(editing) {
                Some(code) => forms::in_force(ctx.state.db(), &code).await?,
                None => None,
            };
            let message = FieldError::new(DEFINITION_FIELD, "template_stale")
                .arg("version", latest.as_ref().map(|t| t.version).unwrap_or(0))
                .arg("by", latest.as_ref().map(|t| t.created_by_label.clone()).unwrap_or_default());
            let mut shown = keep(vec![message], String::new());
            shown.base_version = latest.as_ref().map(|t| t.version.to_string());
            editor(ctx, latest.as_ref().or(current.as_ref()), shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/report-templates/new`: saves a new form (or previews it, `action=preview`).
pub async fn create(
    ctx: Ctx,
    crate::extract::Form(form): crate::extract::Form<EditorForm>,
) -> Result<Response, AppError> {
    require(&ctx)?;
    save_or_preview(&ctx, None, form).await
}

/// `POST /admin/report-templates/{code}`: saves a new version (or previews it).
pub async fn update(
    ctx: Ctx,
    Path(code): Path<String>,
    crate::extract::Form(form): crate::extract::Form<EditorForm>,
) -> Result<Response, AppError> {
    require(&ctx)?;
    let current = forms::in_force(ctx.state.db(), &code).await?.ok_or(AppError::NotFound)?;
    save_or_preview(&ctx, Some(current), form).await
}

/// The retire form.
#[derive(Debug, Default, Deserialize)]
pub struct RetireForm {
    #[serde(default)]
    retired: String,
}

/// `POST /admin/report-templates/{code}/retire`: `retired=1` retires, `retired=0` reinstates.
pub async fn retire(
    ctx: Ctx,
    Path(code): Path<String>,
    crate::extract::Form(form): crate::extract::Form<RetireForm>,
) -> Result<Response, AppError> {
    require(&ctx)?;
    let retired = form.retired == "1";
    service::set_retired(ctx.state.app(), ctx.auth.session(), &code, retired).await?;
    let done = if retired { "retired" } else { "reinstated" };
    Ok(Redirect::to(&format!("/admin/report-templates/{code}?done={done}")).into_response())
}

/// The target form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TargetForm {
    /// An organisation.
    #[serde(default)]
    pub org_id: String,
    /// Or a kind…
    #[serde(default)]
    pub org_kind: String,
    /// …in a province.
    #[serde(default)]
    pub province_code: String,
}

/// `POST /admin/report-templates/{code}/targets`.
pub async fn add_target(
    ctx: Ctx,
    Path(code): Path<String>,
    crate::extract::Form(form): crate::extract::Form<TargetForm>,
) -> Result<Response, AppError> {
    require(&ctx)?;
    let request = TargetRequest {
        org_id: form.org_id.clone(),
        org_kind: form.org_kind.clone(),
        province_code: form.province_code.clone(),
    };
    match service::add_target(ctx.state.app(), ctx.auth.session(), &code, &request).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/report-templates/{code}?done=target")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let current = forms::in_force(ctx.state.db(), &code).await?.ok_or(AppError::NotFound)?;
            let shown = Shown { target: form, target_errors: errors, ..Shown::default() };
            editor(&ctx, Some(&current), shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/report-templates/{code}/targets/{id}/delete`.
pub async fn remove_target(ctx: Ctx, Path((code, id)): Path<(String, i64)>) -> Result<Response, AppError> {
    require(&ctx)?;
    service::remove_target(ctx.state.app(), ctx.auth.session(), &code, id).await?;
    Ok(Redirect::to(&format!("/admin/report-templates/{code}?done=target")).into_response())
}
