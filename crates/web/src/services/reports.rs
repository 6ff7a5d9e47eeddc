//! Periodic reports, shared by the pages, the Excel upload and the API: opening a report for a period,
//! reading typed inputs into values (every problem named by its field), saving with optimistic locking,
//! submitting, returning with comments, approving (which adds the values to the aggregates in the same
//! transaction) and unlocking (which takes them back). Each change is audited in its transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Action, Resource, Stage, authorize};
use tiendo_core::files::FileKind;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::field::input_text;
use tiendo_core::reporting::workflow::{self, ReportAction};
use tiendo_core::reporting::{Period, ReportStatus, TemplateDef, Value, read_values};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::reporting::reports::{self, FieldValue, NewReport, Report};
use tiendo_db::reporting::templates::{self, TemplateRow};
use tiendo_db::reporting::{aggregates, attribution};
use tiendo_db::{notifications, orgtree};

use crate::auth::Auth;
use crate::error::{AppError, FieldError};
use crate::monitoring::uploads::{self, Upload};
use crate::state::AppState;
use tiendo_app::i18n::Tr;

/// The audit entity of a report; its id is the report's id.
pub const AUDIT_ENTITY: &str = "report";

/// Reads the typed inputs of a report against its template: the values that parsed, and a field error for
/// every problem (with the text typed, the field's label and the rule's message as arguments). A draft
/// (`for_submission` false) is checked for what was typed only; a submission also for required fields and
/// cross-field rules. Nothing typed is ever turned into a value it does not say ("N/A" is an error).
pub fn read_inputs(
    def: &TemplateDef,
    inputs: &HashMap<String, String>,
    for_submission: bool,
    lang: Lang,
) -> (HashMap<String, Value>, Vec<FieldError>) {
    let (values, problems) = read_values(def, inputs, for_submission, lang);
    let errors = problems
        .into_iter()
        .map(|p| {
            let typed = inputs.get(&p.field).map(|s| s.trim().to_owned()).unwrap_or_default();
            let label = def.field(&p.field).map(|f| f.label(lang).to_owned()).unwrap_or_default();
            let mut e = FieldError::new(p.field.clone(), p.code).arg("value", typed).arg("label", label);
            for (k, v) in p.args {
                e = e.arg(k, v);
            }
            e
        })
        .collect();
    (values, errors)
}

/// The typed form of stored values, as the form shows them (`1.234`, `12,5`, `có`).
pub fn inputs_of(def: &TemplateDef, values: &HashMap<String, Value>) -> HashMap<String, String> {
    def.fields().filter_map(|f| values.get(&f.code).map(|v| (f.code.clone(), input_text(f.kind, v)))).collect()
}

/// The path of the report's organisation and the access resource of the report.
async fn owner_path(state: &AppState, report: &Report) -> Result<Vec<i64>, AppError> {
    Ok(orgtree::path(state.db(), report.org_id).await?)
}

/// A report the actor may see, with its organisation's path; `NotFound` otherwise (a report of another
/// unit is not said to exist).
pub async fn visible(state: &AppState, auth: &Auth, id: i64) -> Result<(Report, Vec<i64>), AppError> {
    let report = reports::get(state.db(), id).await?.ok_or(AppError::NotFound)?;
    let path = owner_path(state, &report).await?;
    let resource = Resource::Report { owner_path: &path, stage: report.state().stage() };
    if !authorize(&auth.actor, Action::View, &resource).is_allowed() {
        return Err(AppError::NotFound);
    }
    Ok((report, path))
}

/// Whether the actor may take `action` on a report at its organisation's path and stage.
pub fn may(auth: &Auth, action: Action, path: &[i64], stage: Stage) -> bool {
    authorize(&auth.actor, action, &Resource::Report { owner_path: path, stage }).is_allowed()
}

/// The template version a report is filled on, parsed.
pub async fn definition(state: &AppState, report: &Report) -> Result<(TemplateRow, TemplateDef), AppError> {
    let row = templates::get(state.db(), report.template_id).await?.ok_or(AppError::NotFound)?;
    let def = row.def()?;
    Ok((row, def))
}

/// Opens the report of an organisation for a template and a period (or finds the one already opened):
/// the template must be in force and not retired, the organisation must report it, and the period must be
/// of the template's periodicity and have begun. Refusals name the field (`template`, `org`, `period`).
pub async fn open(
    state: &AppState,
    auth: &Auth,
    template_code: &str,
    org_id: i64,
    period_code: &str,
    today: NaiveDate,
) -> Result<Result<Report, Vec<FieldError>>, AppError> {
    let path = orgtree::path(state.db(), org_id).await?;
    if path.is_empty() {
        return Ok(Err(vec![FieldError::new("org", "unknown_organization")]));
    }
    if !may(auth, Action::Create, &path, Stage::Draft) {
        return Err(AppError::Forbidden);
    }
    let Some(template) = templates::in_force(state.db(), template_code).await?.filter(|t| !t.retired) else {
        return Ok(Err(vec![FieldError::new("template", "unknown_template")]));
    };
    if !templates::is_target(state.db(), &template.code, org_id).await? {
        return Ok(Err(vec![FieldError::new("template", "not_a_target")]));
    }
    let period = match Period::for_report(template.periodicity(), period_code, today) {
        Ok(p) => p,
        Err(problem) => {
            return Ok(Err(vec![FieldError::new("period", problem.code()).arg("value", period_code.trim())]));
        }
    };
    if let Some(existing) = reports::find(state.db(), &template.code, org_id, &period.code()).await? {
        return Ok(Ok(existing));
    }
    // A unit reports the periods that end while it exists, as the completeness figures count them.
    if let Some(org) = tiendo_db::directory::organization(state.db(), org_id).await?
        && (org.valid_from.is_some_and(|from| from > period.end()) || org.valid_to.is_some_and(|to| to <= period.end()))
    {
        let show = |d: Option<NaiveDate>| d.map(tiendo_core::fmt::date).unwrap_or_else(|| "…".to_owned());
        let validity = format!("{} – {}", show(org.valid_from), show(org.valid_to));
        return Ok(Err(vec![
            FieldError::new("period", "period_outside_organization")
                .arg("value", period_code.trim())
                .arg("validity", validity),
        ]));
    }
    let def = template.def()?;
    let unit = attribution::reported_unit(state.db(), org_id, period.end()).await?;
    let new = NewReport {
        template_id: template.id,
        template_code: template.code.clone(),
        template_version: template.version,
        org_id,
        period,
        due_on: def.due_on(period),
        unit: unit.map(|u| (u.code, u.name, u.province_code)),
        is_sample: false,
    };
    let tx = state.db().begin().await?;
    let Some(id) = reports::create(&tx, &new, auth.user.as_ref().map(|u| u.id), Utc::now()).await? else {
        drop(tx);
        // Opened by someone else of the unit meanwhile: theirs is the report.
        let found = reports::find(state.db(), &template.code, org_id, &period.code()).await?;
        return found.map(Ok).ok_or(AppError::Conflict { code: "report_exists" });
    };
    let event =
        NewEvent::new("create", AUDIT_ENTITY, id, format!("Mở báo cáo {} — {}", def.name, period.name(Lang::Vi)));
    audit::append(&tx, &auth.who(), &event).await?;
    tx.commit().await?;
    reports::get(state.db(), id).await?.map(Ok).ok_or(AppError::NotFound)
}

/// What a save asks for.
#[derive(Debug, Clone, Default)]
pub struct SaveRequest {
    /// The report's version the inputs were typed on.
    pub version: i64,
    /// The typed inputs, by field code.
    pub inputs: HashMap<String, String>,
    /// Submit after saving.
    pub submit: bool,
    /// Files to attach, already checked by content.
    pub files: Vec<(Upload, FileKind)>,
}

/// The outcome of a save.
#[derive(Debug, Clone)]
pub enum SaveOutcome {
    /// Saved (and submitted when asked).
    Saved {
        /// The report after the save.
        report: Report,
        /// Whether it was submitted.
        submitted: bool,
    },
    /// Some inputs are invalid; nothing was written.
    Invalid(Vec<FieldError>),
    /// Someone saved the report since the inputs were typed; nothing was written. The report as it is now.
    Stale(Report),
    /// The report was submitted or approved (by someone else, or earlier): it cannot be changed or
    /// submitted again. The report as it is now.
    Locked(Report),
}

/// Saves a report's values (a draft or a returned report), and submits it when asked: inputs are read
/// against the report's template version, every problem named by its field; a stale version or a report
/// that is no longer editable is refused without writing anything.
pub async fn save(
    state: &AppState,
    auth: &Auth,
    report_id: i64,
    request: SaveRequest,
    lang: Lang,
) -> Result<SaveOutcome, AppError> {
    let (report, path) = visible(state, auth, report_id).await?;
    if !report.state().is_editable() {
        return Ok(SaveOutcome::Locked(report));
    }
    let action = if request.submit { Action::Submit } else { Action::Edit };
    if !may(auth, action, &path, Stage::Draft) {
        return Err(AppError::Forbidden);
    }
    let (_, def) = definition(state, &report).await?;
    let (values, errors) = read_inputs(&def, &request.inputs, request.submit, lang);
    if !errors.is_empty() {
        return Ok(SaveOutcome::Invalid(errors));
    }
    let fields: Vec<FieldValue> = def
        .fields()
        .map(|f| FieldValue {
            field_code: f.code.clone(),
            indicator_code: f.indicator.clone(),
            value: values.get(&f.code).cloned(),
        })
        .collect();
    let now = Utc::now();
    let who = auth.who();
    let by = auth.user.as_ref().map(|u| u.id);
    let tx = state.db().begin().await?;
    let Some(changes) = reports::save_values(&tx, report.id, request.version, &fields, &who, now).await? else {
        drop(tx);
        let fresh = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
        return Ok(if fresh.state().is_editable() { SaveOutcome::Stale(fresh) } else { SaveOutcome::Locked(fresh) });
    };
    for (upload, kind) in &request.files {
        let stored = uploads::store(state, &tx, upload, *kind, by).await?;
        reports::attach(&tx, report.id, stored.id).await?;
    }
    if request.submit {
        let to =
            workflow::next(report.state(), ReportAction::Submit).ok_or(AppError::Conflict { code: "report_locked" })?;
        if !reports::transition(&tx, report.id, &[ReportStatus::Draft, ReportStatus::Returned], to, by, None, now)
            .await?
        {
            return Err(AppError::Conflict { code: "report_locked" });
        }
    }
    let audit_changes: Vec<Change> = changes
        .iter()
        .map(|c| {
            let kind = def.field(&c.field_code).map(|f| f.kind);
            let show = |v: &Option<Value>| v.as_ref().zip(kind).map(|(v, k)| input_text(k, v));
            Change::new(&c.field_code, show(&c.before), show(&c.after))
        })
        .collect();
    let period = report.period().name(Lang::Vi);
    let (action, summary) = if request.submit {
        ("submit", format!("Gửi báo cáo {} — {period}", def.name))
    } else {
        ("update", format!("Lưu báo cáo {} — {period}", def.name))
    };
    audit::append(&tx, &who, &NewEvent::new(action, AUDIT_ENTITY, report.id, summary).with_changes(audit_changes))
        .await?;
    if request.submit {
        let vi = Tr::new(Lang::Vi);
        let title = vi.t_with("notify-report-submitted", &[("template", &def.name), ("period", &period)]);
        for (user, _) in reports::reviewers_of(&tx, &path).await? {
            notifications::notify(&tx, user, "report_submitted", &title, &report.org_name, Some(&link(report.id)))
                .await?;
        }
    }
    tx.commit().await?;
    let report = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
    Ok(SaveOutcome::Saved { report, submitted: request.submit })
}

/// The page of a report.
pub fn link(report_id: i64) -> String {
    format!("/reports/{report_id}")
}

/// A decision on a submitted report.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Send back with comments: overall and per field (field code, text).
    Return {
        /// The overall comment.
        overall: Option<String>,
        /// Comments on fields.
        fields: Vec<(String, String)>,
    },
    /// Approve and lock.
    Approve,
}

/// The outcome of a decision or an unlock.
#[derive(Debug, Clone)]
pub enum DecisionOutcome {
    /// Done; the report after it.
    Done(Report),
    /// Something is missing (a comment, a reason); nothing was written.
    Invalid(Vec<FieldError>),
    /// Someone decided first, or the report is not in the state the decision needs: the report as it is.
    AlreadyDecided(Report),
}

/// Returns or approves a submitted report. Approving adds its values to the aggregates in the same
/// transaction, attributed on the map in force on `today`.
pub async fn decide(
    state: &AppState,
    auth: &Auth,
    report_id: i64,
    decision: Decision,
    today: NaiveDate,
) -> Result<DecisionOutcome, AppError> {
    let (report, path) = visible(state, auth, report_id).await?;
    let (action, reviewer_action) = match &decision {
        Decision::Return { .. } => (ReportAction::Return, Action::Review),
        Decision::Approve => (ReportAction::Approve, Action::Approve),
    };
    if !may(auth, reviewer_action, &path, Stage::Submitted) {
        return Err(AppError::Forbidden);
    }
    let Some(to) = workflow::next(report.state(), action) else {
        return Ok(DecisionOutcome::AlreadyDecided(report));
    };
    let (_, def) = definition(state, &report).await?;
    let mut comments: Vec<(Option<String>, String)> = Vec::new();
    if let Decision::Return { overall, fields } = &decision {
        if let Some(text) = overall.as_ref().filter(|t| !t.trim().is_empty()) {
            comments.push((None, text.trim().to_owned()));
        }
        let mut errors = Vec::new();
        for (field, text) in fields.iter().filter(|(_, t)| !t.trim().is_empty()) {
            if def.field(field).is_none() {
                errors.push(FieldError::new(format!("comment_{field}"), "unknown_report_field").arg("name", field));
            } else {
                comments.push((Some(field.clone()), text.trim().to_owned()));
            }
        }
        if comments.is_empty() {
            errors.push(FieldError::new("comment", "return_needs_comment"));
        }
        if !errors.is_empty() {
            return Ok(DecisionOutcome::Invalid(errors));
        }
    }
    let now = Utc::now();
    let by = auth.user.as_ref().map(|u| u.id);
    let overall = comments.iter().find(|(f, _)| f.is_none()).map(|(_, t)| t.clone());
    let tx = state.db().begin().await?;
    if !reports::transition(&tx, report.id, &[ReportStatus::Submitted], to, by, overall.as_deref(), now).await? {
        drop(tx);
        let fresh = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
        return Ok(DecisionOutcome::AlreadyDecided(fresh));
    }
    for (field, text) in &comments {
        reports::add_comment(&tx, report.id, field.as_deref(), text, by, now).await?;
    }
    if to == ReportStatus::Approved {
        aggregates::add_report(&tx, report.id, today).await?;
    }
    let period = report.period().name(Lang::Vi);
    let (code, summary) = match to {
        ReportStatus::Approved => ("approve", format!("Phê duyệt báo cáo {} — {period}", def.name)),
        _ => ("return", format!("Trả lại báo cáo {} — {period}", def.name)),
    };
    let changes = vec![Change::new("status", report.status.as_str(), to.code())];
    audit::append(&tx, &auth.who(), &NewEvent::new(code, AUDIT_ENTITY, report.id, summary).with_changes(changes))
        .await?;
    let vi = Tr::new(Lang::Vi);
    let title = vi.t_with(&format!("notify-report-{code}"), &[("template", &def.name), ("period", &period)]);
    let body = overall.unwrap_or_default();
    for (user, _) in notifications::reporters_of(&tx, &path).await? {
        notifications::notify(&tx, user, &format!("report_{code}"), &title, &body, Some(&link(report.id))).await?;
    }
    tx.commit().await?;
    let report = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
    Ok(DecisionOutcome::Done(report))
}

/// Unlocks an approved report with a reason: it becomes a draft of its unit again and its values leave the
/// aggregates (exactly as they were added) in the same transaction.
pub async fn unlock(state: &AppState, auth: &Auth, report_id: i64, reason: &str) -> Result<DecisionOutcome, AppError> {
    let (report, path) = visible(state, auth, report_id).await?;
    if !may(auth, Action::Approve, &path, Stage::Final) {
        return Err(AppError::Forbidden);
    }
    let Some(to) = workflow::next(report.state(), ReportAction::Unlock) else {
        return Ok(DecisionOutcome::AlreadyDecided(report));
    };
    let reason = tiendo_core::text::normalize_multiline(reason);
    if reason.is_empty() {
        return Ok(DecisionOutcome::Invalid(vec![FieldError::new("reason", "required")]));
    }
    let (_, def) = definition(state, &report).await?;
    let now = Utc::now();
    let by = auth.user.as_ref().map(|u| u.id);
    let tx = state.db().begin().await?;
    if !reports::transition(&tx, report.id, &[ReportStatus::Approved], to, by, Some(&reason), now).await? {
        drop(tx);
        let fresh = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
        return Ok(DecisionOutcome::AlreadyDecided(fresh));
    }
    aggregates::remove_report(&tx, report.id).await?;
    let period = report.period().name(Lang::Vi);
    let event = NewEvent::new("unlock", AUDIT_ENTITY, report.id, format!("Mở khóa báo cáo {} — {period}", def.name))
        .with_changes(vec![
            Change::new("status", "approved", "draft"),
            Change::new("unlock_reason", None::<String>, &reason),
        ]);
    audit::append(&tx, &auth.who(), &event).await?;
    let vi = Tr::new(Lang::Vi);
    let title = vi.t_with("notify-report-unlock", &[("template", &def.name), ("period", &period)]);
    for (user, _) in notifications::reporters_of(&tx, &path).await? {
        notifications::notify(&tx, user, "report_unlock", &title, &reason, Some(&link(report.id))).await?;
    }
    tx.commit().await?;
    let report = reports::get(state.db(), report.id).await?.ok_or(AppError::NotFound)?;
    Ok(DecisionOutcome::Done(report))
}
