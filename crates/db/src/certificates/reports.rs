//! The re-checks of a certificate's conditions on the yearly reports of its enterprise: the year's
//! figures and whether the conditions still held on them. Since the yearly report is a form of the
//! reporting engine, a re-check is recorded when the department approves such a report, and points at it.

use chrono::{DateTime, Utc};
use tiendo_core::certificates::YearFigures;

use super::{from_json, to_json};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A re-check on a yearly report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// Row id.
    pub id: i64,
    /// The certificate (the version in force when recorded).
    pub certificate_id: i64,
    /// The financial year.
    pub year: i64,
    /// Its figures.
    pub figures: YearFigures,
    /// Whether the conditions held.
    pub holds: bool,
    /// The checks as `code=outcome` pairs, separated by spaces.
    pub checks: String,
    /// The approved report of the reporting engine it was read from (none for re-checks recorded before
    /// the yearly report became a form of the engine).
    pub report_id: Option<i64>,
    /// When recorded.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    certificate_id: i64,
    year: i64,
    figures: String,
    holds: bool,
    checks: String,
    report_id: Option<i64>,
    created_at: DateTime<Utc>,
}

/// A re-check to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport<'a> {
    /// The certificate's version in force.
    pub certificate_id: i64,
    /// The year's figures.
    pub figures: &'a YearFigures,
    /// Whether the conditions held.
    pub holds: bool,
    /// The checks as `code=outcome` pairs.
    pub checks: &'a str,
    /// Who sent the report.
    pub by: Option<i64>,
    /// The approved report.
    pub report_id: Option<i64>,
}

/// Records a year's re-check, replacing the one recorded for the same certificate and year; its id.
pub async fn put_report(ex: &impl Exec, new: &NewReport<'_>, now: DateTime<Utc>) -> Result<i64, DbError> {
    ex.execute(
        Query::new("DELETE FROM cert_reports WHERE certificate_id = $1 AND year = $2")
            .bind(new.certificate_id)
            .bind(i64::from(new.figures.year)),
    )
    .await?;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO cert_reports (certificate_id, year, figures, holds, checks, submitted_by, report_id, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(new.certificate_id)
            .bind(i64::from(new.figures.year))
            .bind(to_json(new.figures))
            .bind(new.holds)
            .bind(new.checks)
            .bind(new.by)
            .bind(new.report_id)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Takes back the re-check recorded on an approved report (it was unlocked): the certificate and the
/// year it was about, when there was one.
pub async fn remove_for_report(ex: &impl Exec, report_id: i64) -> Result<Option<(i64, i64)>, DbError> {
    let found: Option<(i64, i64)> = ex
        .fetch_optional(
            Query::new("SELECT certificate_id, year FROM cert_reports WHERE report_id = $1").bind(report_id),
        )
        .await?;
    if found.is_some() {
        ex.execute(Query::new("DELETE FROM cert_reports WHERE report_id = $1").bind(report_id)).await?;
    }
    Ok(found)
}

/// The re-checks of the versions of a certificate, the latest year first.
pub async fn reports(ex: &impl Exec, certificate_ids: &[i64]) -> Result<Vec<StoredReport>, DbError> {
    if certificate_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT id, certificate_id, year, figures, holds, checks, report_id, created_at FROM cert_reports \
         WHERE certificate_id IN (",
    );
    crate::monitoring::push_ids(&mut q, certificate_ids);
    q.push(") ORDER BY year DESC, id DESC");
    let rows: Vec<Row> = ex.fetch_all(q).await?;
    rows.into_iter()
        .map(|r| {
            Ok(StoredReport {
                id: r.id,
                certificate_id: r.certificate_id,
                year: r.year,
                figures: from_json("figures", &r.figures)?,
                holds: r.holds,
                checks: r.checks,
                report_id: r.report_id,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// A certificate in force whose latest re-check found its conditions no longer held.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Lapsed {
    /// The version in force.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// The enterprise's name on it.
    pub enterprise_name: String,
    /// The year of the report.
    pub year: i64,
}

/// The certificates in force whose latest re-check (over all their versions) found the conditions no
/// longer held, by the enterprise's name (the leaders' dashboard).
pub async fn lapsed(ex: &impl Exec) -> Result<Vec<Lapsed>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT c.id, c.number, c.enterprise_name, r.year FROM certificates c \
         JOIN certificates v ON v.application_id = c.application_id \
         JOIN cert_reports r ON r.certificate_id = v.id \
         WHERE c.status = 'in_force' AND NOT r.holds AND r.year = (SELECT MAX(r2.year) FROM cert_reports r2 \
         JOIN certificates v2 ON v2.id = r2.certificate_id WHERE v2.application_id = c.application_id) \
         ORDER BY c.name_folded, c.id",
    ))
    .await
}
