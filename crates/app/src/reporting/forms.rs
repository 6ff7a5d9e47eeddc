//! Report forms (the templates of periodic reports): a definition checked with line numbers before it is
//! saved as a new version, retiring and reinstating a form, and who must report it; every change audited
//! in its transaction. Only administrators of the whole province change them.

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::directory::OrgKind;
use tiendo_core::reporting::TemplateDef;
use tiendo_core::source;
use tiendo_db::reporting::forms::{self, FormRow, NewTarget, TargetRow};

use crate::audit::{self, Entry};
use crate::message::Value as Named;
use crate::{App, Error, FieldError, Result, Session};

/// The name of the definition in forms and in the API.
pub const DEFINITION_FIELD: &str = "definition";

/// The longest definition accepted, in characters.
pub const MAX_DEFINITION_CHARS: usize = 200_000;

/// The audit entity of a report form; its id is the form's code.
pub const AUDIT_ENTITY: &str = "report_template";

/// `Forbidden` unless the actor may change report forms (a province-wide administrator).
fn require_editor(session: &Session) -> Result<()> {
    if authorize(&session.actor, Action::Edit, &Resource::Settings).is_allowed() {
        Ok(())
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// Whether the actor may see the forms' editor and their versions.
pub fn may_manage(session: &Session) -> bool {
    authorize(&session.actor, Action::View, &Resource::Settings).is_allowed()
}

/// Checks a definition as typed: the TOML, the fields, rules and indicators, every problem a field error on
/// `definition` with its line; and, when editing the form `editing`, that its code stays. What the editor's
/// preview shows, and what [`save`] checks first.
pub fn check(raw: &str, editing: Option<&str>) -> Result<TemplateDef, Vec<FieldError>> {
    let text = source::normalize(raw);
    if text.trim().is_empty() {
        return Err(vec![FieldError::new(DEFINITION_FIELD, "required")]);
    }
    if text.chars().count() > MAX_DEFINITION_CHARS {
        return Err(vec![FieldError::new(DEFINITION_FIELD, "too_long").arg("max", MAX_DEFINITION_CHARS)]);
    }
    let def = TemplateDef::parse(&text).map_err(|problems| {
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
    certificate_fields_kept(&def)?;
    Ok(def)
}

/// The yearly form of certified S&T enterprises feeds the re-check of their certificates' conditions:
/// whatever else an administrator changes, it keeps the amounts the conditions read.
fn certificate_fields_kept(def: &TemplateDef) -> Result<(), Vec<FieldError>> {
    use tiendo_core::certificates::yearly::{FORM_CODE, fields};
    use tiendo_core::reporting::FieldKind;
    if def.code != FORM_CODE {
        return Ok(());
    }
    let missing: Vec<FieldError> =
        [fields::TOTAL_REVENUE, fields::ST_REVENUE, fields::NET_REVENUE, fields::RD_SPENDING]
            .into_iter()
            .filter(|code| def.field(code).is_none_or(|f| f.kind != FieldKind::Money))
            .map(|code| {
                FieldError::new(DEFINITION_FIELD, "template_problem").arg("line", "?").arg(
                    "message",
                    format!(
                        "the form {FORM_CODE} feeds the yearly check of the S&T enterprise certificates: it keeps the \
                     money field {code}"
                    ),
                )
            })
            .collect();
    if missing.is_empty() { Ok(()) } else { Err(missing) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificates_yearly_form_keeps_the_amounts_the_conditions_read() {
        let source = tiendo_core::certificates::yearly::form_source();
        assert!(check(source, None).is_ok());
        let without = source.replace("code = \"rd_spending\"", "code = \"research\"");
        let errors = check(&without, Some("DN-KHCN")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].args.iter().any(|(_, v)| v.contains("rd_spending")), "{errors:?}");
    }
}

/// A definition to save.
#[derive(Debug, Clone, Default)]
pub struct FormDefinition {
    /// The definition as typed (TOML).
    pub text: String,
    /// The version it was edited from; `None` for a new form.
    pub based_on: Option<i64>,
    /// The code of the form being edited; `None` for a new form.
    pub editing: Option<String>,
    /// Invented for the demo.
    pub sample: bool,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub enum FormSaved {
    /// A new version, in force.
    Saved(FormRow),
    /// The text is the version in force already; nothing was written.
    Unchanged,
}

/// Saves a definition as a new version of its form (or a new form).
///
/// Outcomes: `Forbidden`; `Invalid` on `definition` (every problem with its line, a code changed or taken,
/// an indicator whose rule approved reports already use); `Stale` when another version was saved since
/// `based_on` (the caller reads the version in force to say which); otherwise what was saved.
pub async fn save(app: &App, session: &Session, draft: &FormDefinition) -> Result<FormSaved> {
    require_editor(session)?;
    let text = source::normalize(&draft.text);
    let def = check(&text, draft.editing.as_deref()).map_err(Error::Invalid)?;
    let mut errors = Vec::new();
    for indicator in &def.indicators {
        if let Some(existing) = forms::conflicting_rule(app.db(), indicator).await?
            && forms::indicator_in_use(app.db(), &indicator.code).await?
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
    crate::check(errors)?;
    let current = forms::in_force(app.db(), &def.code).await?;
    if draft.editing.is_none() && current.is_some() {
        return Err(Error::Invalid(vec![
            FieldError::new(DEFINITION_FIELD, "template_code_taken").arg("code", &def.code),
        ]));
    }
    if current.as_ref().is_some_and(|c| c.definition == text) {
        return Ok(FormSaved::Unchanged);
    }
    let tx = app.begin().await?;
    let Some(saved) =
        forms::save_version(&tx, &def, &text, draft.based_on, draft.sample, &session.who, app.now()).await?
    else {
        return Err(Error::Stale);
    };
    let before = current.as_ref().map(|c| c.definition.clone()).unwrap_or_default();
    let (removed, added) = source::line_diff(&before, &text);
    let entry = match &current {
        None => Entry::new("create", AUDIT_ENTITY, &def.code, "audit-report-form-created")
            .arg("name", &def.name)
            .arg("code", &def.code),
        Some(_) => Entry::new("update", AUDIT_ENTITY, &def.code, "audit-report-form-saved")
            .arg("name", &def.name)
            .arg("version", saved.version),
    };
    let entry = entry.change("version", current.as_ref().map(|c| c.version), saved.version).change(
        "definition",
        removed.join("\n"),
        added.join("\n"),
    );
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(FormSaved::Saved(saved))
}

/// Retires a form (no longer due, no new reports) or reinstates it; nothing happens when it is so already.
pub async fn set_retired(app: &App, session: &Session, code: &str, retired: bool) -> Result<()> {
    require_editor(session)?;
    let current = forms::in_force(app.db(), code).await?.ok_or(Error::NotFound)?;
    if current.retired == retired {
        return Ok(());
    }
    let tx = app.begin().await?;
    forms::set_retired(&tx, code, retired).await?;
    let entry = if retired {
        Entry::new("retire", AUDIT_ENTITY, code, "audit-report-form-retired")
    } else {
        Entry::new("reinstate", AUDIT_ENTITY, code, "audit-report-form-reinstated")
    };
    audit::record(app, &tx, session, entry.arg("name", &current.name).change("retired", current.retired, retired))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Who must report a form, as typed: an organisation, or a kind with an optional province.
#[derive(Debug, Clone, Default)]
pub struct TargetRequest {
    /// The organisation's id, as typed.
    pub org_id: String,
    /// The organisation kind's code.
    pub org_kind: String,
    /// The province's code (for a kind).
    pub province_code: String,
}

/// Adds who must report a form. `Invalid` names the field at fault (`org_id`, `org_kind`,
/// `province_code`), and `target_exists` when it is assigned so already.
pub async fn add_target(app: &App, session: &Session, code: &str, request: &TargetRequest) -> Result<()> {
    require_editor(session)?;
    let form = forms::in_force(app.db(), code).await?.ok_or(Error::NotFound)?;
    let org = request.org_id.trim();
    let kind = request.org_kind.trim();
    let province = request.province_code.trim();
    let (target, entry) = match (org.is_empty(), kind.is_empty()) {
        (false, true) => {
            let named = match org.parse::<i64>() {
                Ok(id) => tiendo_db::orgtree::name(app.db(), id).await?.map(|name| (id, name)),
                Err(_) => None,
            };
            let Some((id, name)) = named else { return Err(Error::invalid("org_id", "unknown_organization")) };
            let entry = Entry::new("assign_template", AUDIT_ENTITY, &form.code, "audit-report-form-assigned-org")
                .arg("org", name);
            (NewTarget::Organization(id), entry)
        }
        (true, false) => {
            if kind.parse::<OrgKind>().is_err() {
                return Err(Error::invalid("org_kind", "invalid"));
            }
            let province_code = (!province.is_empty()).then(|| province.to_owned());
            if let Some(p) = &province_code {
                let parsed = tiendo_core::geo::AdminUnitCode::parse(p);
                if parsed.as_ref().map_or(true, |c| c.as_str().len() != 2) {
                    return Err(Error::Invalid(vec![FieldError::new("province_code", "invalid_code").arg("code", p)]));
                }
            }
            let entry = match &province_code {
                Some(p) => {
                    Entry::new("assign_template", AUDIT_ENTITY, &form.code, "audit-report-form-assigned-kind-in")
                        .named("kind", Named::OrgKind(kind.to_owned()))
                        .arg("province", p)
                }
                None => Entry::new("assign_template", AUDIT_ENTITY, &form.code, "audit-report-form-assigned-kind")
                    .named("kind", Named::OrgKind(kind.to_owned())),
            };
            (NewTarget::Kind { kind: kind.to_owned(), province_code }, entry)
        }
        _ => return Err(Error::invalid("org_id", "target_one_of")),
    };
    let tx = app.begin().await?;
    if !forms::add_target(&tx, &form.code, &target, session.user_id(), app.now()).await? {
        return Err(Error::invalid("org_id", "target_exists"));
    }
    audit::record(app, &tx, session, entry.arg("name", &form.name)).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a target of a form; the target removed.
pub async fn remove_target(app: &App, session: &Session, code: &str, id: i64) -> Result<TargetRow> {
    require_editor(session)?;
    let form = forms::in_force(app.db(), code).await?.ok_or(Error::NotFound)?;
    let tx = app.begin().await?;
    let removed = forms::remove_target(&tx, &form.code, id).await?.ok_or(Error::NotFound)?;
    let target = match (&removed.org_name, &removed.org_kind) {
        (Some(name), _) => Named::Data(name.clone()),
        (None, Some(kind)) => Named::OrgKind(kind.clone()),
        (None, None) => Named::Data(String::new()),
    };
    let entry = Entry::new("unassign_template", AUDIT_ENTITY, &form.code, "audit-report-form-unassigned")
        .arg("name", &form.name)
        .named("target", target);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(removed)
}
