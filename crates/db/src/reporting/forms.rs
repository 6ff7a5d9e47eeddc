//! Report forms: the versioned templates of periodic reports (table `report_templates`; not to be confused
//! with the document templates of [`crate::templates`]), the indicators they define, and who must report
//! each form. The definition is stored as written (TOML); `tiendo_app::reporting::forms` parses and checks it
//! with `tiendo_core::reporting::TemplateDef` before saving, and this module stores the parts lists need
//! (name, periodicity, due days) beside it.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::reporting::template::{AggregateCode, IndicatorDef};
use tiendo_core::reporting::{Periodicity, TemplateDef};

use crate::audit::Who;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// One saved version of a report form.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FormRow {
    /// Row id.
    pub id: i64,
    /// Stable code, kept across versions.
    pub code: String,
    /// 1, 2, 3… within the code.
    pub version: i64,
    /// Name (Vietnamese).
    pub name: String,
    /// `yearly`, `quarterly`, …
    pub periodicity: String,
    /// Days after the period ends by which it is due.
    pub due_days: i64,
    /// The definition as written (TOML).
    pub definition: String,
    /// No longer due.
    pub retired: bool,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Who saved it.
    pub created_by: Option<i64>,
    /// Their username at the time (or `system`, `cli`).
    pub created_by_label: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl FormRow {
    /// The parsed definition. A stored definition was checked before it was saved; one that no longer
    /// parses (a later release made the format stricter) is reported as corrupt data.
    pub fn def(&self) -> Result<TemplateDef, DbError> {
        TemplateDef::parse(&self.definition).map_err(|problems| {
            DbError::Corrupt(format!(
                "report template {} version {}: {}",
                self.code,
                self.version,
                problems.first().map(|p| p.message.as_str()).unwrap_or_default()
            ))
        })
    }

    /// The periodicity.
    pub fn periodicity(&self) -> Periodicity {
        Periodicity::from_code(&self.periodicity).unwrap_or(Periodicity::AdHoc)
    }
}

const COLUMNS: &str = "t.id, t.code, t.version, t.name, t.periodicity, t.due_days, t.definition, t.retired, \
     t.is_sample, t.created_by, t.created_by_label, t.created_at";

/// The version of `code` in force (the highest), retired or not.
pub async fn in_force(ex: &impl Exec, code: &str) -> Result<Option<FormRow>, DbError> {
    ex.fetch_optional(
        Query::new(format!(
            "SELECT {COLUMNS} FROM report_templates t WHERE t.code = $1 ORDER BY t.version DESC LIMIT 1"
        ))
        .bind(code),
    )
    .await
}

/// One version by row id.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<FormRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {COLUMNS} FROM report_templates t WHERE t.id = $1")).bind(id)).await
}

/// The version in force of every template, by name (retired ones only with `include_retired`).
pub async fn list(ex: &impl Exec, include_retired: bool) -> Result<Vec<FormRow>, DbError> {
    let mut q = Query::new(format!(
        "SELECT {COLUMNS} FROM report_templates t WHERE t.version = \
         (SELECT MAX(m.version) FROM report_templates m WHERE m.code = t.code)"
    ));
    if !include_retired {
        q.push(" AND t.retired = FALSE");
    }
    q.push(" ORDER BY t.name, t.code");
    ex.fetch_all(q).await
}

/// The versions of a template, newest first.
pub async fn versions(ex: &impl Exec, code: &str) -> Result<Vec<FormRow>, DbError> {
    ex.fetch_all(
        Query::new(format!("SELECT {COLUMNS} FROM report_templates t WHERE t.code = $1 ORDER BY t.version DESC"))
            .bind(code),
    )
    .await
}

/// Saves a new version of a checked definition, after `based_on` (the version the author started from;
/// `None` for a new template). Returns `Ok(None)` when another version was saved meanwhile (or, for a new
/// template, when the code is taken).
pub async fn save_version(
    ex: &impl Exec,
    def: &TemplateDef,
    definition: &str,
    based_on: Option<i64>,
    is_sample: bool,
    who: &Who,
    now: DateTime<Utc>,
) -> Result<Option<FormRow>, DbError> {
    let (latest,): (Option<i64>,) = ex
        .fetch_one(Query::new("SELECT MAX(version) FROM report_templates WHERE code = $1").bind(def.code.as_str()))
        .await?;
    if latest != based_on {
        return Ok(None);
    }
    let version = latest.unwrap_or(0) + 1;
    let retired = match latest {
        Some(_) => in_force(ex, &def.code).await?.is_some_and(|t| t.retired),
        None => false,
    };
    let inserted = ex
        .fetch_one::<(i64,)>(
            Query::new(
                "INSERT INTO report_templates (code, version, name, periodicity, due_days, definition, retired, \
                 is_sample, created_by, created_by_label, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(def.code.as_str())
            .bind(version)
            .bind(def.name.as_str())
            .bind(def.periodicity.code())
            .bind(i64::from(def.due_days))
            .bind(definition)
            .bind(retired)
            .bind(is_sample)
            .bind(who.user_id)
            .bind(who.label.as_str())
            .bind(now),
        )
        .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(DbError::UniqueViolation { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    for indicator in &def.indicators {
        upsert_indicator(ex, indicator, now).await?;
    }
    get(ex, id).await
}

/// Retires a template (no longer due, no new reports) or brings it back.
pub async fn set_retired(ex: &impl Exec, code: &str, retired: bool) -> Result<bool, DbError> {
    let n = ex
        .execute(Query::new("UPDATE report_templates SET retired = $1 WHERE code = $2").bind(retired).bind(code))
        .await?;
    Ok(n > 0)
}

/// A stored indicator.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IndicatorRow {
    /// Stable code.
    pub code: String,
    /// Name (Vietnamese).
    pub name: String,
    /// Name (English).
    pub name_en: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// `sum`, `average`, `latest` or `ratio`.
    pub aggregation: String,
    /// For a ratio: the indicator above the line.
    pub numerator_code: Option<String>,
    /// For a ratio: the indicator below the line.
    pub denominator_code: Option<String>,
}

impl IndicatorRow {
    /// The aggregation rule.
    pub fn rule(&self) -> tiendo_core::reporting::Aggregation {
        use tiendo_core::reporting::Aggregation;
        match self.aggregation.as_str() {
            "average" => Aggregation::Average,
            "latest" => Aggregation::Latest,
            "ratio" => Aggregation::Ratio {
                numerator: self.numerator_code.clone().unwrap_or_default(),
                denominator: self.denominator_code.clone().unwrap_or_default(),
            },
            _ => Aggregation::Sum,
        }
    }

    /// The name in a language.
    pub fn name_in(&self, lang: tiendo_core::lang::Lang) -> &str {
        match lang {
            tiendo_core::lang::Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            tiendo_core::lang::Lang::Vi => &self.name,
        }
    }
}

fn aggregation_code(code: AggregateCode) -> &'static str {
    match code {
        AggregateCode::Sum => "sum",
        AggregateCode::Average => "average",
        AggregateCode::Latest => "latest",
        AggregateCode::Ratio => "ratio",
    }
}

const INDICATOR_COLUMNS: &str = "code, name, name_en, unit, aggregation, numerator_code, denominator_code";

/// Every indicator, by code.
pub async fn indicators(ex: &impl Exec) -> Result<Vec<IndicatorRow>, DbError> {
    ex.fetch_all(Query::new(format!("SELECT {INDICATOR_COLUMNS} FROM indicators ORDER BY code"))).await
}

/// One indicator.
pub async fn indicator(ex: &impl Exec, code: &str) -> Result<Option<IndicatorRow>, DbError> {
    ex.fetch_optional(Query::new(format!("SELECT {INDICATOR_COLUMNS} FROM indicators WHERE code = $1")).bind(code))
        .await
}

/// Records an indicator as a template defines it (name, unit and rule of the latest saved definition).
pub async fn upsert_indicator(ex: &impl Exec, def: &IndicatorDef, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO indicators (code, name, name_en, unit, aggregation, numerator_code, denominator_code, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, unit = excluded.unit, \
             aggregation = excluded.aggregation, numerator_code = excluded.numerator_code, \
             denominator_code = excluded.denominator_code, updated_at = excluded.updated_at",
        )
        .bind(def.code.as_str())
        .bind(def.name.as_str())
        .bind(def.name_en.clone())
        .bind(def.unit.as_str())
        .bind(aggregation_code(def.aggregate))
        .bind(def.numerator.clone())
        .bind(def.denominator.clone())
        .bind(now),
    )
    .await?;
    Ok(())
}

/// The templates (version in force, with its template code) that define an indicator with another rule
/// than `def`: a rule is shared by every template that reports the indicator, so it cannot differ.
pub async fn conflicting_rule(ex: &impl Exec, def: &IndicatorDef) -> Result<Option<IndicatorRow>, DbError> {
    let existing = indicator(ex, &def.code).await?;
    Ok(existing.filter(|row| {
        row.aggregation != aggregation_code(def.aggregate)
            || row.numerator_code != def.numerator
            || row.denominator_code != def.denominator
    }))
}

/// Who must report a template.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TargetRow {
    /// Row id.
    pub id: i64,
    /// The template.
    pub template_code: String,
    /// One organisation…
    pub org_id: Option<i64>,
    /// …its name…
    pub org_name: Option<String>,
    /// …or every organisation of a kind.
    pub org_kind: Option<String>,
    /// Only those located in this province (for a kind).
    pub province_code: Option<String>,
}

/// The targets of a template: organisations first, then kinds.
pub async fn targets(ex: &impl Exec, template_code: &str) -> Result<Vec<TargetRow>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT t.id, t.template_code, t.org_id, o.name AS org_name, t.org_kind, t.province_code \
             FROM report_targets t LEFT JOIN organizations o ON o.id = t.org_id WHERE t.template_code = $1 \
             ORDER BY CASE WHEN t.org_id IS NULL THEN 1 ELSE 0 END, o.sort_key, t.org_kind, t.id",
        )
        .bind(template_code),
    )
    .await
}

/// A target to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewTarget {
    /// One organisation.
    Organization(i64),
    /// Every organisation of a kind, optionally only in one province.
    Kind {
        /// The kind's code (`commune_committee`).
        kind: String,
        /// The province's code, if any.
        province_code: Option<String>,
    },
}

/// Adds a target; `Ok(false)` when it is there already.
pub async fn add_target(
    ex: &impl Exec,
    template_code: &str,
    target: &NewTarget,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let (org, kind, province) = match target {
        NewTarget::Organization(id) => (Some(*id), None, None),
        NewTarget::Kind { kind, province_code } => (None, Some(kind.clone()), province_code.clone()),
    };
    let done = ex
        .execute(
            Query::new(
                "INSERT INTO report_targets (template_code, org_id, org_kind, province_code, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(template_code)
            .bind(org)
            .bind(kind)
            .bind(province)
            .bind(by)
            .bind(now),
        )
        .await;
    match done {
        Ok(_) => Ok(true),
        Err(DbError::UniqueViolation { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Removes a target of a template; `Ok(None)` when there is no such target.
pub async fn remove_target(ex: &impl Exec, template_code: &str, id: i64) -> Result<Option<TargetRow>, DbError> {
    let found = targets(ex, template_code).await?.into_iter().find(|t| t.id == id);
    if found.is_some() {
        ex.execute(Query::new("DELETE FROM report_targets WHERE id = $1").bind(id)).await?;
    }
    Ok(found)
}

/// An organisation that must report a template.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExpectedOrg {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: String,
}

/// The condition "organisation `o` (joined with its unit `u`) is a target of the template `$n`".
fn push_target_condition(q: &mut Query, template_code: &str) {
    q.push("EXISTS (SELECT 1 FROM report_targets rt WHERE rt.template_code = ");
    q.push_bind(template_code);
    q.push(
        " AND (rt.org_id = o.id OR (rt.org_kind = o.kind \
         AND (rt.province_code IS NULL OR rt.province_code = u.province_code))))",
    );
}

/// The organisations that must report `template_code` for a period ending on `period_end`: its targets that
/// exist on that day (an organisation that ended before does not report; one founded after does not
/// either), in Vietnamese order.
pub async fn expected_orgs(
    ex: &impl Exec,
    template_code: &str,
    period_end: NaiveDate,
) -> Result<Vec<ExpectedOrg>, DbError> {
    let mut q = Query::new(
        "SELECT o.id, o.name, o.kind FROM organizations o LEFT JOIN admin_units u ON u.id = o.admin_unit_id WHERE ",
    );
    push_target_condition(&mut q, template_code);
    q.push(" AND (o.valid_from IS NULL OR o.valid_from <= ").push_bind(period_end);
    q.push(") AND (o.valid_to IS NULL OR o.valid_to > ").push_bind(period_end);
    q.push(") ORDER BY o.sort_key, o.id");
    ex.fetch_all(q).await
}

/// Whether an organisation must report a template (it is a target, by itself or by its kind).
pub async fn is_target(ex: &impl Exec, template_code: &str, org_id: i64) -> Result<bool, DbError> {
    let mut q = Query::new(
        "SELECT COUNT(*) FROM organizations o LEFT JOIN admin_units u ON u.id = o.admin_unit_id WHERE o.id = ",
    );
    q.push_bind(org_id).push(" AND ");
    push_target_condition(&mut q, template_code);
    let (n,): (i64,) = ex.fetch_one(q).await?;
    Ok(n > 0)
}

/// The report forms (version in force, not retired) an organisation must report, by name, in one query.
pub async fn forms_of_org(ex: &impl Exec, org_id: i64) -> Result<Vec<FormRow>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "SELECT {COLUMNS} FROM report_templates t WHERE t.retired = FALSE AND t.version = \
             (SELECT MAX(m.version) FROM report_templates m WHERE m.code = t.code) \
             AND EXISTS (SELECT 1 FROM organizations o LEFT JOIN admin_units u ON u.id = o.admin_unit_id \
             JOIN report_targets rt ON rt.template_code = t.code WHERE o.id = $1 AND (rt.org_id = o.id \
             OR (rt.org_kind = o.kind AND (rt.province_code IS NULL OR rt.province_code = u.province_code)))) \
             ORDER BY t.name, t.code"
        ))
        .bind(org_id),
    )
    .await
}

/// Whether approved reports hold values of an indicator (its rule may then no longer change).
pub async fn indicator_in_use(ex: &impl Exec, code: &str) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new(
                "SELECT COUNT(*) FROM report_values v JOIN reports r ON r.id = v.report_id \
                 WHERE v.indicator_code = $1 AND r.status = 'approved'",
            )
            .bind(code),
        )
        .await?;
    Ok(n > 0)
}
