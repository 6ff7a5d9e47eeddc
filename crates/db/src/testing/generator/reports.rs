//! Approved monthly reports at any size, for the benchmarks of reporting, indicators and load: the
//! commune committees of today's map (of one province, or of every province) as organisations, a template
//! targeted at them, one approved report per commune and month with a value per field, each attributed to its
//! own unit, and the aggregate cells of units and provinces on both maps. Every kind of row is written by one
//! statement over helper tables, so ten million values take minutes, not hours.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use tiendo_core::reporting::{Period, TemplateDef};

use crate::audit::Who;
use crate::error::DbError;
use crate::pool::Db;
use crate::query::{Exec, Query};
use crate::reporting::forms::{self, NewTarget};

/// The source of a monthly template `code` of `fields` whole-number fields (`f01`, `f02`, …), each bound to its
/// own summed indicator (`<prefix>.I01`, …).
pub fn template_source(code: &str, name: &str, prefix: &str, fields: usize) -> String {
    let mut s = format!("code = \"{code}\"\nname = \"{name}\"\nperiodicity = \"monthly\"\ndue_days = 10\n");
    for i in 1..=fields {
        s.push_str(&format!(
            "\n[[indicator]]\ncode = \"{prefix}.I{i:02}\"\nname = \"Chỉ tiêu {i}\"\nunit = \"đơn vị\"\naggregate = \"sum\"\n"
        ));
    }
    s.push_str("\n[[section]]\ntitle = \"Số liệu\"\n");
    for i in 1..=fields {
        s.push_str(&format!(
            "[[section.field]]\ncode = \"f{i:02}\"\nlabel = \"Chỉ tiêu {i}\"\ntype = \"integer\"\nmin = 0\nindicator = \"{prefix}.I{i:02}\"\n"
        ));
    }
    s
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct MonthlyReports<'a> {
    /// The template, parsed, and its source.
    pub def: &'a TemplateDef,
    /// The template's source (TOML).
    pub source: &'a str,
    /// The province whose communes report (`"22"`), or every province.
    pub province: Option<&'a str>,
    /// The first month reported.
    pub first_month: NaiveDate,
    /// How many months, from the first.
    pub months: u32,
}

/// What was generated, with the time of each step.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The template's id.
    pub template_id: i64,
    /// The communes' organisations, by id.
    pub organizations: Vec<i64>,
    /// Each step: what, how many rows, how long.
    pub steps: Vec<(&'static str, u64, Duration)>,
}

impl Generated {
    /// The steps as lines for a benchmark's output.
    pub fn lines(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|(what, n, took)| format!("  generator: {what:<52} {n:>10} rows in {took:>8.1?}"))
            .collect()
    }
}

/// Generates the reports of `spec` (see the module). Each report was sent the day before its due day at 09:00
/// and approved at once.
pub async fn monthly_reports(db: &Db, spec: &MonthlyReports<'_>) -> Result<Generated, DbError> {
    let now = Utc::now();
    let today = tiendo_core::time::vietnam_date(now);
    let code = spec.def.code.as_str();
    let template = forms::save_version(db, spec.def, spec.source, None, false, &Who::system(), now)
        .await?
        .ok_or(DbError::UniqueViolation { constraint: "report_templates.code".into() })?;
    let target = NewTarget::Kind { kind: "commune_committee".into(), province_code: spec.province.map(str::to_owned) };
    forms::add_target(db, code, &target, None, now).await?;
    let mut steps = Vec::new();
    let mut step = async |what: &'static str, query: Query| -> Result<(), DbError> {
        let started = Instant::now();
        let n = db.execute(query).await?;
        steps.push((what, n, started.elapsed()));
        Ok(())
    };
    // `$4` is the province, or NULL for all of them.
    step(
        "organisations (communes of today's map)",
        Query::new(
            "INSERT INTO organizations (kind, name, name_folded, sort_key, admin_unit_id, created_at, updated_at) \
             SELECT 'commune_committee', 'UBND ' || full_name, 'ubnd ' || name_folded, sort_key, id, $1, $1 \
             FROM admin_units WHERE level = 'commune' AND (valid_to IS NULL OR valid_to > $2) \
             AND (valid_from IS NULL OR valid_from <= $2) AND ($3 = '' OR province_code = $3)",
        )
        .bind(now)
        .bind(today)
        .bind(spec.province.unwrap_or("")),
    )
    .await?;
    // Helper tables copy the column types of the real ones, so one statement serves both databases.
    db.execute(Query::new(
        "CREATE TABLE gen_periods AS SELECT period_code, period_start, period_end, due_on, created_at FROM reports WHERE 1 = 0",
    ))
    .await?;
    let mut month = spec.first_month.with_day(1).unwrap_or(spec.first_month);
    for _ in 0..spec.months {
        let period = Period::Month(month.year(), month.month());
        let due = spec.def.due_on(period);
        let sent = tiendo_core::time::vietnam_offset()
            .from_local_datetime(&(due - chrono::Duration::days(1)).and_hms_opt(9, 0, 0).unwrap_or_default())
            .single()
            .map_or(now, |t| t.with_timezone(&Utc));
        db.execute(
            Query::new("INSERT INTO gen_periods VALUES ($1, $2, $3, $4, $5)")
                .bind(period.code())
                .bind(period.start())
                .bind(period.end())
                .bind(due)
                .bind(sent),
        )
        .await?;
        month = period.end() + chrono::Duration::days(1);
    }
    db.execute(Query::new(
        "CREATE TABLE gen_fields AS SELECT field_code, indicator_code, number FROM report_values WHERE 1 = 0",
    ))
    .await?;
    let fields: Vec<_> = spec.def.fields().collect();
    for (c, chunk) in fields.chunks(200).enumerate() {
        let mut q = Query::new("INSERT INTO gen_fields VALUES ");
        for (i, f) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let n = (c * 200 + i + 1) as f64;
            q.push("(").push_bind(f.code.as_str()).push(", ").push_bind(f.indicator.clone());
            q.push(", ").push_bind(n).push(")");
        }
        db.execute(q).await?;
    }
    db.execute(Query::new("CREATE TABLE gen_maps AS SELECT map FROM report_aggregates WHERE 1 = 0")).await?;
    db.execute(Query::new("INSERT INTO gen_maps VALUES ('reported'), ('current')")).await?;
    step(
        "approved reports (communes × months)",
        Query::new(
            "INSERT INTO reports (template_id, template_code, template_version, org_id, period_code, period_start, \
             period_end, due_on, status, unit_code, unit_name, province_code, created_at, updated_at, submitted_at, \
             decided_at) SELECT $1, $2, $3, o.id, p.period_code, p.period_start, p.period_end, p.due_on, 'approved', \
             u.code, u.full_name, u.province_code, p.created_at, p.created_at, p.created_at, p.created_at \
             FROM organizations o JOIN admin_units u ON u.id = o.admin_unit_id CROSS JOIN gen_periods p \
             WHERE o.kind = 'commune_committee' AND ($4 = '' OR u.province_code = $4)",
        )
        .bind(template.id)
        .bind(code)
        .bind(template.version)
        .bind(spec.province.unwrap_or("")),
    )
    .await?;
    step(
        "values (reports × fields)",
        Query::new(
            "INSERT INTO report_values (report_id, field_code, indicator_code, number) \
             SELECT r.id, f.field_code, f.indicator_code, (r.id % 97) + f.number FROM reports r CROSS JOIN gen_fields f \
             WHERE r.template_code = $1",
        )
        .bind(code),
    )
    .await?;
    step(
        "attributions (each report to its own unit)",
        Query::new(
            "INSERT INTO report_attributions (report_id, unit_code, unit_name, province_code, share) \
             SELECT id, unit_code, unit_name, province_code, 1.0 FROM reports WHERE template_code = $1",
        )
        .bind(code),
    )
    .await?;
    step(
        "unit cells on both maps",
        Query::new(
            "INSERT INTO report_aggregates (indicator_code, map, level, unit_code, province_code, period_code, \
             period_start, period_end, value_sum, value_count) \
             SELECT v.indicator_code, m.map, 'unit', r.unit_code, r.province_code, r.period_code, r.period_start, \
             r.period_end, v.number, 1 FROM report_values v JOIN reports r ON r.id = v.report_id CROSS JOIN gen_maps m \
             WHERE r.template_code = $1",
        )
        .bind(code),
    )
    .await?;
    step(
        "province cells on both maps",
        Query::new(
            "INSERT INTO report_aggregates (indicator_code, map, level, unit_code, province_code, period_code, \
             period_start, period_end, value_sum, value_count) \
             SELECT indicator_code, map, 'province', province_code, province_code, period_code, MIN(period_start), \
             MIN(period_end), SUM(value_sum), SUM(value_count) FROM report_aggregates WHERE level = 'unit' \
             AND indicator_code IN (SELECT indicator_code FROM gen_fields) \
             GROUP BY indicator_code, map, province_code, period_code",
        ),
    )
    .await?;
    for table in ["gen_periods", "gen_fields", "gen_maps"] {
        db.execute(Query::new(format!("DROP TABLE {table}"))).await?;
    }
    let organizations: Vec<(i64,)> = db
        .fetch_all(
            Query::new("SELECT DISTINCT org_id FROM reports WHERE template_code = $1 ORDER BY org_id").bind(code),
        )
        .await?;
    Ok(Generated {
        template_id: template.id,
        organizations: organizations.into_iter().map(|(id,)| id).collect(),
        steps,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_template_source_is_a_valid_template_with_a_field_per_indicator() {
        let def = tiendo_core::reporting::TemplateDef::parse(&super::template_source("T-1", "Báo cáo", "T", 12))
            .expect("a valid template");
        assert_eq!(def.fields().count(), 12);
        assert!(def.fields().all(|f| f.indicator.as_deref().is_some_and(|i| i.starts_with("T.I"))));
    }
}
