//! Reports: one per (template, organisation, period), its values, the history of every value, the
//! approver's comments and the attached files. Saving is guarded by the report's version, so that of two
//! people saving the same report the second is told instead of overwriting the first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::reporting::{Period, ReportStatus, Value};

use crate::audit::Who;
use crate::error::DbError;
use crate::files::Attachment;
use crate::query::{Exec, Query};

mod list;

pub use list::{ReportFilter, list, of_orgs_for_periods, page};

/// A report with the names lists show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Report {
    /// Row id.
    pub id: i64,
    /// The template version it is filled on.
    pub template_id: i64,
    /// The template's code.
    pub template_code: String,
    /// The template's version number.
    pub template_version: i64,
    /// The template's name.
    pub template_name: String,
    /// The reporting organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The period's code (`2025`, `2025Q3`).
    pub period_code: String,
    /// The period's first day.
    pub period_start: NaiveDate,
    /// The period's last day.
    pub period_end: NaiveDate,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: String,
    /// Optimistic-locking version, raised by every change.
    pub version: i64,
    /// The administrative unit of the organisation at the period's end (the original attribution).
    pub unit_code: Option<String>,
    /// Its full name then ("Thị xã Quảng Yên").
    pub unit_name: Option<String>,
    /// Its province's code.
    pub province_code: Option<String>,
    /// Opened.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by_name: Option<String>,
    /// When it was submitted last.
    pub submitted_at: Option<DateTime<Utc>>,
    /// By whom.
    pub submitted_by_name: Option<String>,
    /// When it was returned or approved last.
    pub decided_at: Option<DateTime<Utc>>,
    /// By whom (account id).
    pub decided_by: Option<i64>,
    /// Their name.
    pub decided_by_name: Option<String>,
    /// The overall comment of the last return.
    pub return_comment: Option<String>,
    /// When it was last unlocked.
    pub unlocked_at: Option<DateTime<Utc>>,
    /// By whom.
    pub unlocked_by_name: Option<String>,
    /// Why.
    pub unlock_reason: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl Report {
    /// The workflow state.
    pub fn state(&self) -> ReportStatus {
        ReportStatus::from_code(&self.status).unwrap_or(ReportStatus::Draft)
    }

    /// The period.
    pub fn period(&self) -> Period {
        Period::parse(&self.period_code).unwrap_or(Period::Day(self.period_end))
    }
}

const COLUMNS: &str = "r.id, r.template_id, r.template_code, r.template_version, t.name AS template_name, r.org_id, \
     o.name AS org_name, r.period_code, r.period_start, r.period_end, r.due_on, r.status, r.version, r.unit_code, \
     r.unit_name, r.province_code, r.created_at, r.updated_at, uu.display_name AS updated_by_name, r.submitted_at, \
     su.display_name AS submitted_by_name, r.decided_at, r.decided_by, du.display_name AS decided_by_name, \
     r.return_comment, r.unlocked_at, lu.display_name AS unlocked_by_name, r.unlock_reason, r.is_sample";
const FROM: &str = "reports r JOIN report_templates t ON t.id = r.template_id JOIN organizations o ON o.id = r.org_id \
     LEFT JOIN users uu ON uu.id = r.updated_by LEFT JOIN users su ON su.id = r.submitted_by \
     LEFT JOIN users du ON du.id = r.decided_by LEFT JOIN users lu ON lu.id = r.unlocked_by";

/// One report.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Report>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1")).bind(id)).await
}

/// The account that submitted a report last, if any.
pub async fn sender(ex: &impl Exec, id: i64) -> Result<Option<i64>, DbError> {
    let row: Option<(Option<i64>,)> =
        ex.fetch_optional(Query::new("SELECT submitted_by FROM reports WHERE id = $1").bind(id)).await?;
    Ok(row.and_then(|(by,)| by))
}

/// The report of an organisation for a template and a period, if opened.
pub async fn find(
    ex: &impl Exec,
    template_code: &str,
    org_id: i64,
    period_code: &str,
) -> Result<Option<Report>, DbError> {
    ex.fetch_optional(
        Query::new(format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE r.template_code = $1 AND r.org_id = $2 AND r.period_code = $3"
        ))
        .bind(template_code)
        .bind(org_id)
        .bind(period_code),
    )
    .await
}

/// A report to open.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    /// The template version in force.
    pub template_id: i64,
    /// Its code.
    pub template_code: String,
    /// Its version number.
    pub template_version: i64,
    /// The reporting organisation.
    pub org_id: i64,
    /// The period.
    pub period: Period,
    /// The due day.
    pub due_on: NaiveDate,
    /// The organisation's unit at the period's end: (code, full name, province code).
    pub unit: Option<(String, String, String)>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Opens a report as a draft; `Ok(None)` when it was opened meanwhile (by someone else of the unit).
pub async fn create(
    ex: &impl Exec,
    new: &NewReport,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbError> {
    let (unit_code, unit_name, province) = match &new.unit {
        Some((c, n, p)) => (Some(c.clone()), Some(n.clone()), Some(p.clone())),
        None => (None, None, None),
    };
    let inserted = ex
        .fetch_one::<(i64,)>(
            Query::new(
                "INSERT INTO reports (template_id, template_code, template_version, org_id, period_code, period_start, \
                 period_end, due_on, status, unit_code, unit_name, province_code, created_by, created_at, updated_by, \
                 updated_at, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12, $13, $12, \
                 $13, $14) RETURNING id",
            )
            .bind(new.template_id)
            .bind(new.template_code.as_str())
            .bind(new.template_version)
            .bind(new.org_id)
            .bind(new.period.code())
            .bind(new.period.start())
            .bind(new.period.end())
            .bind(new.due_on)
            .bind(unit_code)
            .bind(unit_name)
            .bind(province)
            .bind(by)
            .bind(now)
            .bind(new.is_sample),
        )
        .await;
    match inserted {
        Ok((id,)) => Ok(Some(id)),
        Err(DbError::UniqueViolation { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A stored value.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredValue {
    /// The field.
    pub field_code: String,
    /// The indicator it feeds.
    pub indicator_code: Option<String>,
    /// A number…
    pub number: Option<f64>,
    /// …or a text.
    pub text: Option<String>,
}

impl StoredValue {
    /// The value.
    pub fn value(&self) -> Option<Value> {
        match (self.number, &self.text) {
            (Some(n), _) => Some(Value::Number(n)),
            (None, Some(t)) => Some(Value::Text(t.clone())),
            (None, None) => None,
        }
    }
}

fn parts(value: Option<&Value>) -> (Option<f64>, Option<String>) {
    match value {
        Some(Value::Number(n)) => (Some(*n), None),
        Some(Value::Text(t)) => (None, Some(t.clone())),
        None => (None, None),
    }
}

/// The values of a report, by field.
pub async fn values(ex: &impl Exec, report_id: i64) -> Result<HashMap<String, Value>, DbError> {
    let rows: Vec<StoredValue> = ex
        .fetch_all(
            Query::new("SELECT field_code, indicator_code, number, text FROM report_values WHERE report_id = $1")
                .bind(report_id),
        )
        .await?;
    Ok(rows.into_iter().filter_map(|r| r.value().map(|v| (r.field_code, v))).collect())
}

/// A value to save: the field, the indicator it feeds, and the value (`None` to clear it).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue {
    /// The field's code.
    pub field_code: String,
    /// The indicator the template binds it to.
    pub indicator_code: Option<String>,
    /// The new value.
    pub value: Option<Value>,
}

/// A value that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueChange {
    /// The field's code.
    pub field_code: String,
    /// Before.
    pub before: Option<Value>,
    /// After.
    pub after: Option<Value>,
}

/// Saves the values of a draft or returned report whose version is still `expected_version`, recording
/// every change in the value history. `Ok(None)` when the report changed meanwhile or can no longer be
/// edited (the caller reads it again to say which).
pub async fn save_values(
    ex: &impl Exec,
    report_id: i64,
    expected_version: i64,
    values: &[FieldValue],
    who: &Who,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ValueChange>>, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE reports SET version = version + 1, updated_by = $1, updated_at = $2 \
                 WHERE id = $3 AND version = $4 AND status IN ('draft', 'returned')",
            )
            .bind(who.user_id)
            .bind(now)
            .bind(report_id)
            .bind(expected_version),
        )
        .await?;
    if n != 1 {
        return Ok(None);
    }
    let new_version = expected_version + 1;
    let before = self::values(ex, report_id).await?;
    let mut changes = Vec::new();
    for field in values {
        let old = before.get(&field.field_code);
        if old == field.value.as_ref() {
            continue;
        }
        ex.execute(
            Query::new("DELETE FROM report_values WHERE report_id = $1 AND field_code = $2")
                .bind(report_id)
                .bind(field.field_code.as_str()),
        )
        .await?;
        let (number, text) = parts(field.value.as_ref());
        if field.value.is_some() {
            ex.execute(
                Query::new(
                    "INSERT INTO report_values (report_id, field_code, indicator_code, number, text) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(report_id)
                .bind(field.field_code.as_str())
                .bind(field.indicator_code.clone())
                .bind(number)
                .bind(text.clone()),
            )
            .await?;
        }
        let (before_number, before_text) = parts(old);
        ex.execute(
            Query::new(
                "INSERT INTO report_value_history (report_id, field_code, before_number, before_text, after_number, \
                 after_text, report_version, changed_by, changed_by_label, changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(report_id)
            .bind(field.field_code.as_str())
            .bind(before_number)
            .bind(before_text)
            .bind(number)
            .bind(text)
            .bind(new_version)
            .bind(who.user_id)
            .bind(who.label.as_str())
            .bind(now),
        )
        .await?;
        changes.push(ValueChange {
            field_code: field.field_code.clone(),
            before: old.cloned(),
            after: field.value.clone(),
        });
    }
    Ok(Some(changes))
}

/// Moves a report from one of `from` to `to`, if nobody moved it first, raising its version. A submission
/// records who and when; a return or an approval the decision (with the overall comment of a return); an
/// unlock (approved → draft) the reason.
pub async fn transition(
    ex: &impl Exec,
    id: i64,
    from: &[ReportStatus],
    to: ReportStatus,
    by: Option<i64>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut q = Query::new("UPDATE reports SET status = ");
    q.push_bind(to.code()).push(", version = version + 1, updated_at = ").push_bind(now);
    q.push(", updated_by = ").push_bind(by);
    match to {
        ReportStatus::Submitted => {
            q.push(", submitted_at = ").push_bind(now).push(", submitted_by = ").push_bind(by);
        }
        ReportStatus::Returned => {
            q.push(", decided_at = ").push_bind(now).push(", decided_by = ").push_bind(by);
            q.push(", return_comment = ").push_bind(note.map(str::to_owned));
        }
        ReportStatus::Approved => {
            q.push(", decided_at = ").push_bind(now).push(", decided_by = ").push_bind(by);
        }
        ReportStatus::Draft => {
            q.push(", unlocked_at = ").push_bind(now).push(", unlocked_by = ").push_bind(by);
            q.push(", unlock_reason = ").push_bind(note.map(str::to_owned));
        }
    }
    q.push(" WHERE id = ").push_bind(id).push(" AND status IN (");
    for (i, s) in from.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(s.code());
    }
    q.push(")");
    Ok(ex.execute(q).await? == 1)
}

/// The values of the report of the period before, for comparison: (that report's period code, its values
/// by field), from its submitted or approved report.
pub async fn previous_values(
    ex: &impl Exec,
    report: &Report,
) -> Result<Option<(String, HashMap<String, Value>)>, DbError> {
    let Some(previous) = report.period().previous() else { return Ok(None) };
    let Some(before) = find(ex, &report.template_code, report.org_id, &previous.code()).await? else {
        return Ok(None);
    };
    if !before.state().is_sent() {
        return Ok(None);
    }
    Ok(Some((before.period_code.clone(), values(ex, before.id).await?)))
}

/// The numbers an organisation reported for each field of a template in its approved reports of periods
/// before `before` (the latest six per field, newest first), to flag values far outside its history.
pub async fn number_history(
    ex: &impl Exec,
    template_code: &str,
    org_id: i64,
    before: NaiveDate,
) -> Result<HashMap<String, Vec<f64>>, DbError> {
    let rows: Vec<(String, f64)> = ex
        .fetch_all(
            Query::new(
                "SELECT v.field_code, v.number FROM report_values v JOIN reports r ON r.id = v.report_id \
                 WHERE r.template_code = $1 AND r.org_id = $2 AND r.status = 'approved' AND r.period_start < $3 \
                 AND v.number IS NOT NULL ORDER BY r.period_start DESC",
            )
            .bind(template_code)
            .bind(org_id)
            .bind(before),
        )
        .await?;
    let mut out: HashMap<String, Vec<f64>> = HashMap::new();
    for (field, n) in rows {
        let list = out.entry(field).or_default();
        if list.len() < 6 {
            list.push(n);
        }
    }
    Ok(out)
}

/// A change of one value.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HistoryRow {
    /// Row id.
    pub id: i64,
    /// The field.
    pub field_code: String,
    /// The number before.
    pub before_number: Option<f64>,
    /// The text before.
    pub before_text: Option<String>,
    /// The number after.
    pub after_number: Option<f64>,
    /// The text after.
    pub after_text: Option<String>,
    /// The report's version the change made.
    pub report_version: i64,
    /// The account.
    pub changed_by: Option<i64>,
    /// Its name, when it is an account.
    pub changed_by_name: Option<String>,
    /// The label recorded (username, `system`).
    pub changed_by_label: String,
    /// When.
    pub changed_at: DateTime<Utc>,
}

impl HistoryRow {
    /// The value before.
    pub fn before(&self) -> Option<Value> {
        StoredValue {
            field_code: String::new(),
            indicator_code: None,
            number: self.before_number,
            text: self.before_text.clone(),
        }
        .value()
    }

    /// The value after.
    pub fn after(&self) -> Option<Value> {
        StoredValue {
            field_code: String::new(),
            indicator_code: None,
            number: self.after_number,
            text: self.after_text.clone(),
        }
        .value()
    }
}

/// Every change of a report's values, newest first.
pub async fn history(ex: &impl Exec, report_id: i64) -> Result<Vec<HistoryRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT h.id, h.field_code, h.before_number, h.before_text, h.after_number, h.after_text, h.report_version, \
             h.changed_by, u.display_name AS changed_by_name, h.changed_by_label, h.changed_at \
             FROM report_value_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.report_id = $1 \
             ORDER BY h.id DESC",
        )
        .bind(report_id),
    )
    .await
}

/// An approver's comment.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Comment {
    /// Row id.
    pub id: i64,
    /// The field it is about; `None` for the whole report.
    pub field_code: Option<String>,
    /// The text.
    pub body: String,
    /// The author's name.
    pub author_name: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Adds a comment.
pub async fn add_comment(
    ex: &impl Exec,
    report_id: i64,
    field_code: Option<&str>,
    body: &str,
    author: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO report_comments (report_id, field_code, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(report_id)
        .bind(field_code.map(str::to_owned))
        .bind(body)
        .bind(author)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// The comments of a report, newest first.
pub async fn comments(ex: &impl Exec, report_id: i64) -> Result<Vec<Comment>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT c.id, c.field_code, c.body, u.display_name AS author_name, c.created_at FROM report_comments c \
             LEFT JOIN users u ON u.id = c.author_id WHERE c.report_id = $1 ORDER BY c.id DESC",
        )
        .bind(report_id),
    )
    .await
}

/// Attaches a stored file to a report.
pub async fn attach(ex: &impl Exec, report_id: i64, attachment_id: i64) -> Result<(), DbError> {
    ex.execute(
        Query::new("INSERT INTO report_attachments (report_id, attachment_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(report_id)
            .bind(attachment_id),
    )
    .await?;
    Ok(())
}

/// The files attached to a report.
pub async fn attachments(ex: &impl Exec, report_id: i64) -> Result<Vec<Attachment>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id, a.sha256, a.size, a.content_type, a.original_name FROM attachments a \
             JOIN report_attachments ra ON ra.attachment_id = a.id WHERE ra.report_id = $1 ORDER BY a.id",
        )
        .bind(report_id),
    )
    .await
}

/// The accounts that review an organisation's reports (department leaders and officers whose grants cover
/// it): (user id, e-mail), to tell them a report was submitted.
pub async fn reviewers_of(ex: &impl Exec, org_path: &[i64]) -> Result<Vec<(i64, Option<String>)>, DbError> {
    let Some(org) = org_path.last() else { return Ok(Vec::new()) };
    let mut q = Query::new(
        "SELECT DISTINCT u.id, u.email FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE u.status = 'active' AND g.role IN ('department_leader', 'department_officer') AND ((g.scope_kind = 'province') \
         OR (g.scope_kind = 'organization' AND g.organization_id = ",
    );
    q.push_bind(*org).push(") OR (g.scope_kind = 'subtree' AND g.organization_id IN (");
    super::push_ids(&mut q, org_path);
    q.push("))) ORDER BY u.id");
    ex.fetch_all(q).await
}
