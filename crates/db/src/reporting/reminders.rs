//! What the report reminder job reads and records: the organisations that owe a report for a period, and
//! the ledger of reminders sent (once per template, organisation, period and kind).

use chrono::{NaiveDate, Utc};

use super::forms::ExpectedOrg;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// The organisations that must report `template_code` for the period and have not sent it (no report, or
/// a draft, or a report returned to them), in Vietnamese order.
pub async fn owing(
    ex: &impl Exec,
    template_code: &str,
    period_code: &str,
    period_end: NaiveDate,
) -> Result<Vec<ExpectedOrg>, DbError> {
    let expected = super::forms::expected_orgs(ex, template_code, period_end).await?;
    let sent: Vec<(i64,)> = ex
        .fetch_all(
            Query::new(
                "SELECT org_id FROM reports WHERE template_code = $1 AND period_code = $2 \
                 AND status IN ('submitted', 'approved')",
            )
            .bind(template_code)
            .bind(period_code),
        )
        .await?;
    Ok(expected.into_iter().filter(|o| !sent.iter().any(|(id,)| *id == o.id)).collect())
}

/// Records that a reminder was sent; false when it already was (by this or another instance).
pub async fn claim(
    ex: &impl Exec,
    template_code: &str,
    org_id: i64,
    period_code: &str,
    kind: &str,
) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "INSERT INTO report_reminders_sent (template_code, org_id, period_code, kind, sent_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (template_code, org_id, period_code, kind) DO NOTHING",
            )
            .bind(template_code)
            .bind(org_id)
            .bind(period_code)
            .bind(kind)
            .bind(Utc::now()),
        )
        .await?;
    Ok(n == 1)
}
