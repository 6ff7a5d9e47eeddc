//! Report templates, shared by the administrator pages and the API: a definition checked with line numbers
//! before it is saved as a new version, retiring and reinstating, and who must report each template, every
//! change audited in its transaction.

use chrono::Utc;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::reporting::TemplateDef;
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::reporting::templates::{self, NewTarget, TargetRow, TemplateRow};

use crate::auth::Auth;
use crate::documents::normalize_source;
use crate::error::{AppError, FieldError};
use crate::state::AppState;
use tiendo_app::document_templates::line_diff;

/// The name of the definition in forms and in the API.
pub const DEFINITION_FIELD: &str = "definition";

/// The longest definition accepted, in characters.
pub const MAX_DEFINITION_CHARS: usize = 200_000;

/// The audit entity of a template; its id is the template's code.
pub const AUDIT_ENTITY: &str = "report_template";

/// Why a definition was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The definition is not valid: each problem with its line.
    Invalid(Vec<FieldError>),
    /// Another version was saved since the one the change started from: the version in force.
    Stale(Option<TemplateRow>),
    /// The text is the version in force already.
    Unchanged,
}

fn may_edit(auth: &Auth) -> bool {
    authorize(&auth.actor, Action::Edit, &Resource::Settings).is_allowed()
}

/// Checks a definition (already normalised): the TOML, the fields, rules and indicators, every problem as
/// a field error on `definition` with its line; and, when editing the template `code`, that the code stays.
pub fn check(text: &str, editing: Option<&str>) -> Result<TemplateDef, Vec<FieldError>> {
    if text.trim().is_empty() {
        return Err(vec![FieldError::new(DEFINITION_FIELD, "required")]);
    }
    if text.chars().count() > MAX_DEFINITION_CHARS {
        return Err(vec![FieldError::new(DEFINITION_FIELD, "too_long").arg("max", MAX_DEFINITION_CHARS)]);
    }
    let def = TemplateDef::parse(text).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| {
                FieldError::new(DEFINITION_FIELD, "template_problem")
                    .arg("line", p.line.map(|l| l.to_string()).unwrap_or_else(|| "?".to_owned()))
                    .arg("message", p.message)
            })
            .collect::<Vec<_>>()
    })?;
    if let Some(code) = editing
        && def.code != code
    {
        return Err(vec![FieldError::new(DEFINITION_FIELD, "template_code_changed").arg("code", code)]);
    }
    Ok(def)
}

/// Saves a definition as a new version of its template (`based_on`: the version it was edited from, `None`
/// for a new template; `editing`: the code of the template being edited).
pub async fn save(
    state: &AppState,
    auth: &Auth,
    raw: &str,
    based_on: Option<i64>,
    editing: Option<&str>,
) -> Result<Result<TemplateRow, Refusal>, AppError> {
    if !may_edit(auth) {
        return Err(AppError::Forbidden);
    }
    let text = normalize_source(raw);
    let def = match check(&text, editing) {
        Ok(def) => def,
        Err(errors) => return Ok(Err(Refusal::Invalid(errors))),
    };
    let mut errors = Vec::new();
    for indicator in &def.indicators {
        if let Some(existing) = templates::conflicting_rule(state.db(), indicator).await?
            && templates::indicator_in_use(state.db(), &indicator.code).await?
        {
            let line = text.find(&format!("\"{}\"", indicator.code)).map(|at| text[..at].matches('\n').count() + 1);
            errors.push(
                FieldError::new(DEFINITION_FIELD, "indicator_rule_in_use")
                    .arg("code", &indicator.code)
                    .arg("rule", existing.aggregation)
                    .arg("line", line.map(|l| l.to_string()).unwrap_or_else(|| "?".to_owned())),
            );
        }
    }
    if !errors.is_empty() {
        return Ok(Err(Refusal::Invalid(errors)));
    }
    let current = templates::in_force(state.db(), &def.code).await?;
    if editing.is_none() && current.is_some() {
        return Ok(Err(Refusal::Invalid(vec![
            FieldError::new(DEFINITION_FIELD, "template_code_taken").arg("code", &def.code),
        ])));
    }
    if current.as_ref().is_some_and(|c| c.definition == text) {
        return Ok(Err(Refusal::Unchanged));
    }
    let who = auth.who();
    let tx = state.db().begin().await?;
    let Some(saved) = templates::save_version(&tx, &def, &text, based_on, false, &who, Utc::now()).await? else {
        drop(tx);
        return Ok(Err(Refusal::Stale(templates::in_force(state.db(), &def.code).await?)));
    };
    let before = current.as_ref().map(|c| c.definition.clone()).unwrap_or_default();
    let (removed, added) = line_diff(&before, &text);
    let (action, summary) = match &current {
        None => ("create", format!("Tạo biểu mẫu báo cáo {} ({})", def.name, def.code)),
        Some(_) => ("update", format!("Lưu biểu mẫu báo cáo {} phiên bản {}", def.name, saved.version)),
    };
    let changes = vec![
        Change::new("version", current.as_ref().map(|c| c.version), saved.version),
        Change::new("definition", removed.join("\n"), added.join("\n")),
    ];
    audit::append(&tx, &who, &NewEvent::new(action, AUDIT_ENTITY, &def.code, summary).with_changes(changes)).await?;
    tx.commit().await?;
    Ok(Ok(saved))
}

/// Retires a template (no longer due, no new reports) or reinstates it.
pub async fn set_retired(state: &AppState, auth: &Auth, code: &str, retired: bool) -> Result<(), AppError> {
    if !may_edit(auth) {
        return Err(AppError::Forbidden);
    }
    let current = templates::in_force(state.db(), code).await?.ok_or(AppError::NotFound)?;
    if current.retired == retired {
        return Ok(());
    }
    let tx = state.db().begin().await?;
    templates::set_retired(&tx, code, retired).await?;
    let (action, summary) = if retired {
        ("retire", format!("Ngừng sử dụng biểu mẫu {}", current.name))
    } else {
        ("reinstate", format!("Dùng lại biểu mẫu {}", current.name))
    };
    let event = NewEvent::new(action, AUDIT_ENTITY, code, summary).with_changes(vec![Change::new(
        "retired",
        current.retired,
        retired,
    )]);
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// A target as typed: an organisation, or a kind with an optional province.
#[derive(Debug, Clone, Default)]
pub struct TargetRequest {
    /// The organisation's id, as typed.
    pub org_id: String,
    /// The organisation kind's code.
    pub org_kind: String,
    /// The province's code (for a kind).
    pub province_code: String,
}

/// Adds who must report a template; the field at fault when the request is not valid.
pub async fn add_target(
    state: &AppState,
    auth: &Auth,
    code: &str,
    request: &TargetRequest,
) -> Result<Result<(), Vec<FieldError>>, AppError> {
    if !may_edit(auth) {
        return Err(AppError::Forbidden);
    }
    let template = templates::in_force(state.db(), code).await?.ok_or(AppError::NotFound)?;
    let org = request.org_id.trim();
    let kind = request.org_kind.trim();
    let province = request.province_code.trim();
    let target = match (org.is_empty(), kind.is_empty()) {
        (false, true) => match org.parse::<i64>() {
            Ok(id) if tiendo_db::orgtree::name(state.db(), id).await?.is_some() => NewTarget::Organization(id),
            _ => return Ok(Err(vec![FieldError::new("org_id", "unknown_organization")])),
        },
        (true, false) => {
            if kind.parse::<tiendo_core::directory::OrgKind>().is_err() {
                return Ok(Err(vec![FieldError::new("org_kind", "invalid")]));
            }
            let province_code = (!province.is_empty()).then(|| province.to_owned());
            if let Some(p) = &province_code {
                let parsed = tiendo_core::geo::AdminUnitCode::parse(p);
                if parsed.as_ref().map_or(true, |c| c.as_str().len() != 2) {
                    return Ok(Err(vec![FieldError::new("province_code", "invalid_code").arg("code", p)]));
                }
            }
            NewTarget::Kind { kind: kind.to_owned(), province_code }
        }
        _ => return Ok(Err(vec![FieldError::new("org_id", "target_one_of")])),
    };
    let tx = state.db().begin().await?;
    if !templates::add_target(&tx, &template.code, &target, auth.user.as_ref().map(|u| u.id), Utc::now()).await? {
        return Ok(Err(vec![FieldError::new("org_id", "target_exists")]));
    }
    let described = match &target {
        NewTarget::Organization(id) => format!("cơ quan #{id}"),
        NewTarget::Kind { kind, province_code } => {
            format!(
                "mọi cơ quan loại {kind}{}",
                province_code.as_ref().map(|p| format!(" của tỉnh {p}")).unwrap_or_default()
            )
        }
    };
    let event = NewEvent::new(
        "assign_template",
        AUDIT_ENTITY,
        &template.code,
        format!("Giao biểu mẫu {} cho {described}", template.name),
    );
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Removes a target of a template.
pub async fn remove_target(state: &AppState, auth: &Auth, code: &str, id: i64) -> Result<TargetRow, AppError> {
    if !may_edit(auth) {
        return Err(AppError::Forbidden);
    }
    let template = templates::in_force(state.db(), code).await?.ok_or(AppError::NotFound)?;
    let tx = state.db().begin().await?;
    let removed = templates::remove_target(&tx, &template.code, id).await?.ok_or(AppError::NotFound)?;
    let who = removed.org_name.clone().or_else(|| removed.org_kind.clone()).unwrap_or_default();
    let event = NewEvent::new(
        "unassign_template",
        AUDIT_ENTITY,
        &template.code,
        format!("Thôi giao biểu mẫu {} cho {who}", template.name),
    );
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    Ok(removed)
}
