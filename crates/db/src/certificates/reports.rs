//! The yearly reports of certified enterprises, with whether the conditions still held.

use chrono::{DateTime, Utc};
use tiendo_core::certificates::YearFigures;

use super::{from_json, to_json};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A yearly report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// Row id.
    pub id: i64,
    /// The certificate (the version in force when sent).
    pub certificate_id: i64,
    /// The financial year.
    pub year: i64,
    /// Its figures.
    pub figures: YearFigures,
    /// Whether the conditions held.
    pub holds: bool,
    /// The checks as `code=outcome` pairs, separated by spaces.
    pub checks: String,
    /// When sent.
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
    created_at: DateTime<Utc>,
}

/// Records (or replaces) a year's report; its id.
#[expect(clippy::too_many_arguments, reason = "the columns of one row")]
pub async fn put_report(
    ex: &impl Exec,
    certificate_id: i64,
    figures: &YearFigures,
    holds: bool,
    checks: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
    replace: bool,
) -> Result<i64, DbError> {
    if replace {
        ex.execute(
            Query::new("DELETE FROM cert_reports WHERE certificate_id = $1 AND year = $2")
                .bind(certificate_id)
                .bind(i64::from(figures.year)),
        )
        .await?;
    }
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO cert_reports (certificate_id, year, figures, holds, checks, submitted_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(certificate_id)
            .bind(i64::from(figures.year))
            .bind(to_json(figures))
            .bind(holds)
            .bind(checks)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The reports of the versions of a certificate, the latest year first.
pub async fn reports(ex: &impl Exec, certificate_ids: &[i64]) -> Result<Vec<StoredReport>, DbError> {
    if certificate_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT id, certificate_id, year, figures, holds, checks, created_at FROM cert_reports WHERE certificate_id IN (",
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
                created_at: r.created_at,
            })
        })
        .collect()
}
