//! Reports: the reports an actor may see (one, a page of a list, the approver's queue), opening a report
//! for a period, and saving its values (with optimistic locking) and submitting it. Decisions are in
//! [`super::decisions`].

use std::collections::HashMap;

use chrono::NaiveDate;
use tiendo_core::authz::Role;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::field::input_text;
use tiendo_core::reporting::workflow::{self, ReportAction, TransitionError};
use tiendo_core::reporting::{FieldKind, Period, ReportStatus, TemplateDef, Value, read_values};
use tiendo_db::audit::Change;
use tiendo_db::directory::{Listed, Page};
use tiendo_db::orgtree;
use tiendo_db::reporting::forms::{self, FormRow};
use tiendo_db::reporting::reports::{self as stored, FieldValue, NewReport, Report, ReportFilter};
use tiendo_db::reporting::{OrgScope, attribution};

use super::{NewFile, link, store_file};
use crate::audit::{self, Entry};
use crate::message::{Message, Notice, Value as Named};
use crate::{App, Error, FieldError, Result, Session};

/// The audit entity of a report; its id is the report's id.
pub const AUDIT_ENTITY: &str = "report";

/// A report the actor may see, with its organisation's path from the root and what the actor may do with
/// it now (from the workflow).
#[derive(Debug, Clone)]
pub struct Visible {
    /// The report.
    pub report: Report,
    /// Its organisation's path (ancestors first).
    pub owner_path: Vec<i64>,
    /// The actions the actor may take on it.
    pub actions: Vec<ReportAction>,
}

impl Visible {
    fn of(session: &Session, report: Report, owner_path: Vec<i64>) -> Visible {
        let actions = workflow::available_actions(&session.actor, &owner_path, report.state());
        Visible { report, owner_path, actions }
    }

    /// Whether the actor may take `action` on the report now.
    pub fn may(&self, action: ReportAction) -> bool {
        self.actions.contains(&action)
    }
}

/// A report the actor may see; `NotFound` otherwise (a report of another unit is not said to exist).
pub async fn visible(app: &App, session: &Session, id: i64) -> Result<Visible> {
    let report = stored::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    let path = orgtree::path(app.db(), report.org_id).await?;
    if !workflow::may_view(&session.actor, &path, report.state()) {
        return Err(Error::NotFound);
    }
    Ok(Visible::of(session, report, path))
}

/// The form version a report is filled on, parsed.
pub async fn definition(app: &App, report: &Report) -> Result<(FormRow, TemplateDef)> {
    let row = forms::get(app.db(), report.template_id).await?.ok_or(Error::NotFound)?;
    let def = row.def()?;
    Ok((row, def))
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this form (its code).
    pub form: Option<String>,
    /// Only this period (its code).
    pub period: Option<String>,
    /// Only this organisation.
    pub organization: Option<i64>,
    /// Only this status.
    pub status: Option<ReportStatus>,
}

/// A page of the reports the actor may see (a unit its own, the department every one sent), latest
/// periods first, each with what the actor may do: paged in SQL, with the organisations' paths read in one
/// query.
pub async fn list(app: &App, session: &Session, filter: &ListFilter, page: Page) -> Result<Listed<Visible>> {
    let scope = session.scope(app).await?;
    let filter = ReportFilter {
        template_code: filter.form.clone(),
        period_code: filter.period.clone(),
        statuses: filter.status.into_iter().collect(),
        org_id: filter.organization,
        scope: OrgScope::readable(scope),
    };
    let found = stored::page(app.db(), &filter, page).await?;
    let items = with_paths(app, session, found.items).await?;
    Ok(Listed { items, total: found.total })
}

/// The reports with their organisations' paths and the actor's actions (one query for the paths).
async fn with_paths(app: &App, session: &Session, reports: Vec<Report>) -> Result<Vec<Visible>> {
    let mut ids: Vec<i64> = reports.iter().map(|r| r.org_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let paths = orgtree::paths(app.db(), &ids).await?;
    Ok(reports
        .into_iter()
        .map(|r| {
            let path = paths.get(&r.org_id).cloned().unwrap_or_default();
            Visible::of(session, r, path)
        })
        .collect())
}

/// Whether the actor reviews reports (a department leader or officer, anywhere): the queue, completeness
/// and aggregates are theirs.
pub fn reviews_reports(session: &Session) -> bool {
    session.actor.has_role(Role::DepartmentLeader) || session.actor.has_role(Role::DepartmentOfficer)
}

/// The approver's queue: the submitted reports the actor may return or approve, oldest submission first
/// (at most 500). `Forbidden` for someone who reviews no reports.
pub async fn queue(app: &App, session: &Session) -> Result<Vec<Visible>> {
    if !reviews_reports(session) {
        return Err(Error::FORBIDDEN);
    }
    let scope = session.scope(app).await?;
    let filter = ReportFilter { statuses: vec![ReportStatus::Submitted], ..ReportFilter::readable(scope) };
    let found = stored::list(app.db(), &filter, 500).await?;
    Ok(with_paths(app, session, found)
        .await?
        .into_iter()
        .filter(|v| v.may(ReportAction::Return) || v.may(ReportAction::Approve))
        .collect())
}

/// What opening a report asks for.
#[derive(Debug, Clone, Default)]
pub struct OpenReport {
    /// The form's code.
    pub form: String,
    /// The reporting organisation.
    pub organization: i64,
    /// The period's code, as typed.
    pub period: String,
    /// Invented for the demo.
    pub sample: bool,
}

/// A report opened, or found opened already.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The report.
    pub report: Report,
    /// Whether this call opened it.
    pub created: bool,
}

/// Opens the report of an organisation on a form for a period, or finds the one already opened: the form
/// must be in force and not retired, the organisation must report it and have existed at the period's
/// end, and the period must be of the form's periodicity and have begun. Refusals name the field as the
/// pages and the API always have (`template`, `org`, `period`).
pub async fn open(app: &App, session: &Session, request: &OpenReport) -> Result<Opened> {
    let today = app.today();
    let code = request.form.trim();
    let org_id = request.organization;
    let path = orgtree::path(app.db(), org_id).await?;
    if path.is_empty() {
        return Err(Error::invalid("org", "unknown_organization"));
    }
    if !workflow::may_open(&session.actor, &path) {
        return Err(Error::FORBIDDEN);
    }
    let Some(form) = forms::in_force(app.db(), code).await?.filter(|t| !t.retired) else {
        return Err(Error::invalid("template", "unknown_template"));
    };
    if !forms::is_target(app.db(), &form.code, org_id).await? {
        return Err(Error::invalid("template", "not_a_target"));
    }
    let period = Period::for_report(form.periodicity(), &request.period, today).map_err(|problem| {
        Error::Invalid(vec![FieldError::new("period", problem.code()).arg("value", request.period.trim())])
    })?;
    if let Some(existing) = stored::find(app.db(), &form.code, org_id, &period.code()).await? {
        return Ok(Opened { report: existing, created: false });
    }
    // A unit reports the periods that end while it exists, as the completeness figures count them.
    if let Some(org) = tiendo_db::directory::organization(app.db(), org_id).await?
        && (org.valid_from.is_some_and(|from| from > period.end()) || org.valid_to.is_some_and(|to| to <= period.end()))
    {
        let show = |d: Option<NaiveDate>| d.map(tiendo_core::fmt::date).unwrap_or_else(|| "…".to_owned());
        let validity = format!("{} – {}", show(org.valid_from), show(org.valid_to));
        return Err(Error::Invalid(vec![
            FieldError::new("period", "period_outside_organization")
                .arg("value", request.period.trim())
                .arg("validity", validity),
        ]));
    }
    let def = form.def()?;
    let unit = attribution::reported_unit(app.db(), org_id, period.end()).await?;
    let new = NewReport {
        template_id: form.id,
        template_code: form.code.clone(),
        template_version: form.version,
        org_id,
        period,
        due_on: def.due_on(period),
        unit: unit.map(|u| (u.code, u.name, u.province_code)),
        is_sample: request.sample,
    };
    let tx = app.begin().await?;
    let Some(id) = stored::create(&tx, &new, session.user_id(), app.now()).await? else {
        drop(tx);
        // Opened by someone else of the unit meanwhile: theirs is the report.
        let found = stored::find(app.db(), &form.code, org_id, &period.code()).await?;
        return found.map(|report| Opened { report, created: false }).ok_or(Error::conflict("report_exists"));
    };
    let entry = Entry::new("create", AUDIT_ENTITY, id, "audit-report-opened")
        .arg("template", &def.name)
        .named("period", Named::Period(period.code()));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    let report = stored::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    Ok(Opened { report, created: true })
}

/// A value as sent: typed on a form (the Vietnamese way), or a JSON number or yes/no from the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Nothing (clears the value).
    Empty,
    /// As typed (`1.234.567`, `12,5`, `có`, `31/12/2025`).
    Typed(String),
    /// A number.
    Number(f64),
    /// Yes or no.
    YesNo(bool),
}

impl Input {
    /// The text a person would have typed for this value in a field of `kind`, which the form's rules
    /// then read (numbers written the Vietnamese way).
    fn typed(&self, kind: Option<FieldKind>) -> String {
        match (self, kind) {
            (Input::Empty, _) => String::new(),
            (Input::Typed(s), _) => s.clone(),
            (Input::YesNo(b), _) => if *b { "có" } else { "không" }.to_owned(),
            (Input::Number(n), Some(kind)) if kind.is_numeric() => input_text(kind, &Value::Number(*n)),
            (Input::Number(n), _) => n.to_string(),
        }
    }
}

/// What a save asks for.
#[derive(Debug, Clone, Default)]
pub struct SaveValues {
    /// The report's version the values were entered on.
    pub version: i64,
    /// The values, by field code. Fields left out are cleared.
    pub values: HashMap<String, Input>,
    /// Submit after saving (required fields and cross-field rules are checked then).
    pub submit: bool,
    /// Files to attach.
    pub files: Vec<NewFile>,
    /// The language of the field labels in the error messages' arguments.
    pub lang: Lang,
}

/// The typed text of every value (the form reads these).
pub fn typed_inputs(def: &TemplateDef, values: &HashMap<String, Input>) -> HashMap<String, String> {
    values.iter().map(|(k, v)| (k.clone(), v.typed(def.field(k).map(|f| f.kind)))).collect()
}

/// Reads typed inputs against a form: the values that parsed, and a field error for every problem (with
/// the text typed, the field's label and the rule's message as arguments). A draft (`for_submission`
/// false) is checked for what was typed only; a submission also for required fields and cross-field
/// rules. Nothing typed is ever turned into a value it does not say ("N/A" is an error).
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
            p.args
                .into_iter()
                .fold(FieldError::new(p.field.clone(), p.code).arg("value", typed).arg("label", label), |e, (k, v)| {
                    e.arg(k, v)
                })
        })
        .collect();
    (values, errors)
}

/// The typed form of stored values, as the form shows them (`1.234`, `12,5`, `có`).
pub fn inputs_of(def: &TemplateDef, values: &HashMap<String, Value>) -> HashMap<String, String> {
    def.fields().filter_map(|f| values.get(&f.code).map(|v| (f.code.clone(), input_text(f.kind, v)))).collect()
}

/// The conflict of a report that was sent (submitted or approved) and can no longer be changed.
fn locked() -> Error {
    Error::conflict("report_locked")
}

/// Saves a report's values (a draft or a returned report of the actor's unit), and submits it when asked.
///
/// Outcomes: `NotFound` for a report the actor may not see; `Forbidden` for one they may not fill;
/// `Conflict` `report_locked` for a report already sent; `Invalid` with every problem by field (an unknown
/// field, "N/A" in a number, a required field or a rule at submission), nothing written; `Conflict`
/// `report_stale` when someone saved it since `version` (nothing written); otherwise the report after the
/// save, with what the actor may do with it now.
pub async fn save(app: &App, session: &Session, report_id: i64, request: SaveValues) -> Result<Visible> {
    let found = visible(app, session, report_id).await?;
    let report = &found.report;
    // A report already sent is "locked" for whoever tries, as the form has always said.
    if !report.state().is_editable() {
        return Err(locked());
    }
    let action = if request.submit { ReportAction::Submit } else { ReportAction::Save };
    let to = match workflow::transition(&session.actor, &found.owner_path, report.state(), action) {
        Ok(to) => to,
        Err(TransitionError::Forbidden) => return Err(Error::FORBIDDEN),
        Err(TransitionError::InvalidState) => return Err(locked()),
    };
    let (_, def) = definition(app, report).await?;
    let mut errors: Vec<FieldError> = request
        .values
        .keys()
        .filter(|field| def.field(field).is_none())
        .map(|field| FieldError::new(field.clone(), "unknown_report_field").arg("name", field))
        .collect();
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    let inputs = typed_inputs(&def, &request.values);
    let (values, problems) = read_inputs(&def, &inputs, request.submit, request.lang);
    errors.extend(problems);
    crate::check(errors)?;
    let fields: Vec<FieldValue> = def
        .fields()
        .map(|f| FieldValue {
            field_code: f.code.clone(),
            indicator_code: f.indicator.clone(),
            value: values.get(&f.code).cloned(),
        })
        .collect();
    let now = app.now();
    let by = session.user_id();
    let tx = app.begin().await?;
    let Some(changes) = stored::save_values(&tx, report.id, request.version, &fields, &session.who, now).await? else {
        drop(tx);
        let fresh = stored::get(app.db(), report.id).await?.ok_or(Error::NotFound)?;
        return Err(if fresh.state().is_editable() { Error::conflict("report_stale") } else { locked() });
    };
    for file in &request.files {
        let stored_file = store_file(app, &tx, file, by).await?;
        stored::attach(&tx, report.id, stored_file.id).await?;
    }
    if request.submit
        && !stored::transition(&tx, report.id, &[ReportStatus::Draft, ReportStatus::Returned], to, by, None, now)
            .await?
    {
        return Err(locked());
    }
    let audit_changes: Vec<Change> = changes
        .iter()
        .map(|c| {
            let kind = def.field(&c.field_code).map(|f| f.kind);
            let show = |v: &Option<Value>| v.as_ref().zip(kind).map(|(v, k)| input_text(k, v));
            Change::new(&c.field_code, show(&c.before), show(&c.after))
        })
        .collect();
    let (code, key) =
        if request.submit { ("submit", "audit-report-submitted") } else { ("update", "audit-report-saved") };
    let entry = Entry::new(code, AUDIT_ENTITY, report.id, key)
        .arg("template", &def.name)
        .named("period", Named::Period(report.period_code.clone()))
        .changes(audit_changes);
    audit::record(app, &tx, session, entry).await?;
    if request.submit {
        let notice = Notice::new(
            Message::key("notify-report-submitted").data("template", &def.name).period("period", &report.period_code),
            Message::text(&report.org_name),
        );
        for (user, _) in stored::reviewers_of(&tx, &found.owner_path).await? {
            crate::notifications::send(&tx, user, "report_submitted", &notice, Some(&link(report.id)), app.now())
                .await?;
        }
    }
    tx.commit().await?;
    after(app, session, found).await
}

/// The report after a change, with what the actor may do with it now (even when they may no longer see it,
/// as an officer who returned it to its unit).
pub(super) async fn after(app: &App, session: &Session, before: Visible) -> Result<Visible> {
    let report = stored::get(app.db(), before.report.id).await?.ok_or(Error::NotFound)?;
    Ok(Visible::of(session, report, before.owner_path))
}
