//! The records of other modules that indicators count or add up (`tiendo_core::indicators::Source`): one
//! [`Spec`] per source says which rows, which date places a row in a year, which unit it belongs to and
//! what it adds. [`yearly`] reads the values of a range of years (for the province, one unit, or by unit)
//! and [`records`] lists the rows behind one year's value, as the reader may see them.
//!
//! A new source is one arm of [`spec`]. Events are placed in a year by their date; a stock
//! (`certified_enterprises`) is counted for each year at its end (today for the current year), over a
//! table of the years asked.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use tiendo_core::indicators::Source;

use crate::dialect;
use crate::error::DbError;
use crate::query::{Exec, Query};
use crate::reporting::OrgScope;
use crate::reporting::aggregates::Map;

/// The date that places a record in a year.
#[derive(Debug, Clone, Copy)]
enum Dated {
    /// A DATE column, counted up to today (what is not yet due is not due).
    Due(&'static str),
    /// A TIMESTAMP column, its day in Vietnam.
    At(&'static str),
    /// Held from a DATE (`since`) until a DATE (`until`, exclusive; NULL while held): counted in each year
    /// whose end (or today, in the current year) falls in between.
    Held { since: &'static str, until: &'static str },
}

/// How one source is read.
#[derive(Debug, Clone, Copy)]
struct Spec {
    /// `FROM … WHERE …` (always ending in a condition, so that `AND …` can follow).
    from: &'static str,
    /// The owning organisation's column (access and the unit on today's map), if any.
    org: &'static str,
    /// The unit on the map of the time, if different from the organisation's.
    reported_unit: Option<&'static str>,
    /// The date.
    dated: Dated,
    /// What each record adds (`1` for a count).
    amount: &'static str,
    /// The record's title.
    title: &'static str,
    /// The record's id (for the link).
    id: &'static str,
    /// Whether it was on time, when the source is about timeliness.
    on_time: Option<&'static str>,
    /// Invented for the demo.
    sample: &'static str,
}

const ORG_UNIT: &str = " LEFT JOIN organizations o ON o.id = {org} LEFT JOIN admin_units u ON u.id = o.admin_unit_id";

fn spec(source: Source) -> Spec {
    let proposals = "FROM st_proposals p";
    let approved = "FROM st_events e JOIN st_proposals p ON p.id = e.proposal_id";
    let directives = "FROM assignments a JOIN tasks t ON t.id = a.task_id";
    let reports = "FROM reports r JOIN report_templates rt ON rt.id = r.template_id";
    // The latest version of each certificate (the number), with the day of its first version.
    let certificates = "FROM certificates c JOIN (SELECT number AS chain, MIN(issued_on) AS since FROM certificates \
                        GROUP BY number) ch ON ch.chain = c.number";
    let base = |from, org, dated, amount, title, id, sample| Spec {
        from,
        org,
        reported_unit: None,
        dated,
        amount,
        title,
        id,
        on_time: None,
        sample,
    };
    match source {
        Source::StProposalsSubmitted => Spec {
            ..base(proposals, "p.proposer_org_id", Dated::At("p.submitted_at"), "1", "p.title", "p.id", "p.is_sample")
        },
        Source::StTasksApproved => {
            base(approved, "p.proposer_org_id", Dated::At("e.at"), "1", "p.title", "p.id", "p.is_sample")
        }
        Source::StTasksBudget => base(
            approved,
            "p.proposer_org_id",
            Dated::At("e.at"),
            "COALESCE(p.budget_total, 0)",
            "p.title",
            "p.id",
            "p.is_sample",
        ),
        Source::DirectivesDue => {
            base(directives, "a.lead_org_id", Dated::Due("a.due_on"), "1", "t.title", "a.id", "a.is_sample")
        }
        Source::DirectivesOnTime => Spec {
            on_time: Some("a.completed_on IS NOT NULL AND a.completed_on <= a.due_on"),
            ..base(directives, "a.lead_org_id", Dated::Due("a.due_on"), "1", "t.title", "a.id", "a.is_sample")
        },
        Source::ReportsDue => Spec {
            reported_unit: Some("r.unit_code"),
            ..base(reports, "r.org_id", Dated::Due("r.due_on"), "1", "rt.name", "r.id", "r.is_sample")
        },
        Source::ReportsOnTime => Spec {
            reported_unit: Some("r.unit_code"),
            on_time: Some("r.status IN ('submitted', 'approved') AND r.submitted_at IS NOT NULL"),
            ..base(reports, "r.org_id", Dated::Due("r.due_on"), "1", "rt.name", "r.id", "r.is_sample")
        },
        Source::CertifiedEnterprises => base(
            certificates,
            "c.org_id",
            Dated::Held { since: "ch.since", until: "c.ended_on" },
            "1",
            "c.enterprise_name",
            "c.id",
            "c.is_sample",
        ),
    }
}

/// The years a stock is counted in, each with the day (`yyyymmdd`) it is counted at: the year's last day,
/// or today in the current year; years not begun yet are left out.
fn years_table(years: (i32, i32), today: NaiveDate) -> String {
    let today_number = today.year() * 10_000 + today.month() as i32 * 100 + today.day() as i32;
    let rows: Vec<String> = (years.0..=years.1)
        .filter(|y| *y <= today.year())
        .map(|y| format!("SELECT {y} AS year, {} AS bound", (y * 10_000 + 1231).min(today_number)))
        .collect();
    if rows.is_empty() { "SELECT 0 AS year, 0 AS bound WHERE 1 = 0".to_owned() } else { rows.join(" UNION ALL ") }
}

/// Which values to read.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceQuery {
    /// The source.
    pub source: Source,
    /// The map: a report counts for the unit that sent it (`Reported`) or for the units of today's map
    /// that succeeded it (`Current`); other records count for their organisation's unit.
    pub map: Map,
    /// Only this unit (by code).
    pub unit: Option<String>,
    /// One value per unit rather than one for everything.
    pub by_unit: bool,
    /// The first and last years.
    pub years: (i32, i32),
    /// Today: what falls due after it is not counted yet.
    pub today: NaiveDate,
}

/// A year's value (for a unit, or `''` for everything).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct YearValue {
    /// The year.
    pub year: i64,
    /// The unit, `''` when not by unit (or a record without one).
    pub unit_code: String,
    /// The count or the sum.
    pub value: f64,
}

fn vietnam_midnight(year: i32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default().and_hms_opt(0, 0, 0).unwrap_or_default();
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&day)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The joins, the unit expression and the conditions shared by [`yearly`] and [`records`].
fn frame(s: &Spec, q: &SourceQuery) -> (String, String) {
    let mut sql = match s.dated {
        Dated::Held { .. } => {
            s.from.replacen("FROM ", &format!("FROM ({}) yr CROSS JOIN ", years_table(q.years, q.today)), 1)
        }
        _ => s.from.to_owned(),
    };
    let unit = match (q.map, s.reported_unit) {
        (Map::Reported, Some(col)) => format!("COALESCE({col}, '')"),
        (Map::Current, Some(_)) if q.by_unit || q.unit.is_some() => {
            sql.push_str(" JOIN report_attributions ra ON ra.report_id = r.id");
            "ra.unit_code".to_owned()
        }
        (Map::Current, Some(col)) => format!("COALESCE({col}, '')"),
        (_, None) => {
            sql.push_str(&ORG_UNIT.replace("{org}", s.org));
            "COALESCE(u.code, '')".to_owned()
        }
    };
    (sql, unit)
}

fn push_conditions(ex: &impl Exec, s: &Spec, q: &SourceQuery, query: &mut Query, unit: &str, years: (i32, i32)) {
    let backend = ex.backend();
    match s.dated {
        Dated::Due(col) => {
            let from = NaiveDate::from_ymd_opt(years.0, 1, 1).unwrap_or_default();
            let to = NaiveDate::from_ymd_opt(years.1, 12, 31).unwrap_or_default().min(q.today);
            query.push(&format!(" WHERE {col} IS NOT NULL AND {col} >= ")).push_bind(from);
            query.push(&format!(" AND {col} <= ")).push_bind(to);
        }
        Dated::At(col) => {
            query.push(&format!(" WHERE {col} IS NOT NULL AND {col} >= ")).push_bind(vietnam_midnight(years.0));
            query.push(&format!(" AND {col} < ")).push_bind(vietnam_midnight(years.1 + 1));
        }
        Dated::Held { since, until } => {
            let (since, until_number) = (dialect::date_number(backend, since), dialect::date_number(backend, until));
            query.push(&format!(" WHERE {since} <= yr.bound AND ({until} IS NULL OR {until_number} > yr.bound)"));
        }
    }
    match q.source {
        Source::StTasksApproved | Source::StTasksBudget => {
            query.push(" AND e.to_state = 'approved'");
        }
        Source::DirectivesDue | Source::DirectivesOnTime => {
            query.push(" AND NOT a.cancelled");
        }
        Source::CertifiedEnterprises => {
            query.push(" AND c.status <> 'superseded'");
        }
        _ => {}
    }
    if let Some(cond) = s.on_time {
        query.push(&format!(" AND {cond}"));
        if matches!(q.source, Source::ReportsOnTime) {
            let sent = dialect::local_date_number(backend, "r.submitted_at");
            let due = dialect::date_number(backend, "r.due_on");
            query.push(&format!(" AND {sent} <= {due}"));
        }
    }
    if let Some(u) = &q.unit {
        query.push(&format!(" AND {unit} = ")).push_bind(u.as_str());
    }
}

fn year_of(ex: &impl Exec, dated: Dated) -> String {
    match dated {
        Dated::Due(col) => format!("({} / 10000)", dialect::date_number(ex.backend(), col)),
        Dated::At(col) => format!("({} / 10000)", dialect::local_date_number(ex.backend(), col)),
        Dated::Held { .. } => "CAST(yr.year AS BIGINT)".to_owned(),
    }
}

/// The values of a source over a range of years.
pub async fn yearly(ex: &impl Exec, q: &SourceQuery) -> Result<Vec<YearValue>, DbError> {
    let s = spec(q.source);
    let (from, unit) = frame(&s, q);
    let year = year_of(ex, s.dated);
    let unit_col = if q.by_unit { unit.clone() } else { "''".to_owned() };
    let mut query = Query::new(format!(
        "SELECT {year} AS year, {unit_col} AS unit_code, CAST(SUM({amount}) AS DOUBLE PRECISION) AS value {from}",
        amount = s.amount
    ));
    push_conditions(ex, &s, q, &mut query, &unit, q.years);
    query.push(&format!(" GROUP BY {year}"));
    if q.by_unit {
        query.push(&format!(", {unit}"));
    }
    query.push(" ORDER BY 1, 2");
    ex.fetch_all(query).await
}

/// A record behind a source's value.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RecordRow {
    /// The record's id (a proposal, an assignment, a report).
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its organisation.
    pub org_name: Option<String>,
    /// The unit it counts for.
    pub unit_code: String,
    /// Its due day (directives, reports).
    pub due_on: Option<NaiveDate>,
    /// Its instant (proposals sent, tasks approved).
    pub at: Option<DateTime<Utc>>,
    /// What it adds.
    pub amount: f64,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// The records behind one year's value of a source, as the reader may see them (by their organisation),
/// at most `limit` of them, with the count of all.
pub async fn records(
    ex: &impl Exec,
    q: &SourceQuery,
    scope: &OrgScope,
    limit: i64,
) -> Result<(Vec<RecordRow>, i64), DbError> {
    if scope.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let s = spec(q.source);
    let (from, unit) = frame(&s, q);
    let (due, at) = match s.dated {
        Dated::Due(col) => (col.to_owned(), "CAST(NULL AS TIMESTAMP)".to_owned()),
        Dated::At(col) => ("CAST(NULL AS DATE)".to_owned(), col.to_owned()),
        Dated::Held { since, .. } => (since.to_owned(), "CAST(NULL AS TIMESTAMP)".to_owned()),
    };
    let at = if ex.backend() == crate::pool::Backend::Postgres && at.starts_with("CAST") {
        "CAST(NULL AS TIMESTAMPTZ)".to_owned()
    } else if at.starts_with("CAST") {
        "CAST(NULL AS TEXT)".to_owned()
    } else {
        at
    };
    let due = if ex.backend() == crate::pool::Backend::Sqlite && due.starts_with("CAST") {
        "CAST(NULL AS TEXT)".to_owned()
    } else {
        due
    };
    let org_join = if from.contains("LEFT JOIN organizations o") {
        String::new()
    } else {
        format!(" LEFT JOIN organizations o ON o.id = {}", s.org)
    };
    let columns = format!(
        "{id} AS id, {title} AS title, o.name AS org_name, {unit} AS unit_code, {due} AS due_on, {at} AS at, \
         CAST({amount} AS DOUBLE PRECISION) AS amount, {sample} AS is_sample",
        id = s.id,
        title = s.title,
        amount = s.amount,
        sample = s.sample
    );
    let mut query = Query::new(format!("SELECT {columns} {from}{org_join}"));
    push_conditions(ex, &s, q, &mut query, &unit, q.years);
    scope.push_condition(&mut query, s.org);
    let mut count = Query::new(format!("SELECT COUNT(*) {from}{org_join}"));
    push_conditions(ex, &s, q, &mut count, &unit, q.years);
    scope.push_condition(&mut count, s.org);
    let (total,): (i64,) = ex.fetch_one(count).await?;
    query.push(&format!(" ORDER BY 5, 6, {} LIMIT ", s.id)).push_bind(limit);
    Ok((ex.fetch_all(query).await?, total))
}
