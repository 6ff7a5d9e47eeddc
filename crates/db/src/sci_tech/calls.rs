//! Calls (đợt thông báo): their fields, publication, and the lists of the staff and of the portal.

use chrono::{DateTime, Utc};
use tiendo_core::sci_tech::{CallFields, CallPhase, Regime, Route};
use tiendo_core::text::fold;

use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A call with the names its pages show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Call {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: i64,
    /// `2013` or `2025`.
    pub regime: String,
    /// `order`, `selection`, `direct`, `grant`, `grassroots`.
    pub route: String,
    /// The issuing organisation.
    pub organizer_org_id: Option<i64>,
    /// Its name.
    pub organizer_name: Option<String>,
    /// Opening.
    pub opens_at: DateTime<Utc>,
    /// Deadline.
    pub closes_at: DateTime<Utc>,
    /// Fields covered, one per line.
    pub fields: String,
    /// Eligibility.
    pub eligibility: String,
    /// Forms to fill, one per line.
    pub forms: String,
    /// Description.
    pub description: Option<String>,
    /// The listed task answered.
    pub listed_id: Option<i64>,
    /// Its name.
    pub listed_title: Option<String>,
    /// The organisation invited.
    pub invited_org_id: Option<i64>,
    /// Its name.
    pub invited_name: Option<String>,
    /// When published on the portal.
    pub published_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Call {
    /// The route.
    pub fn route(&self) -> Route {
        Route::from_code(&self.route).unwrap_or(Route::Order)
    }

    /// The regime.
    pub fn regime(&self) -> Regime {
        Regime::from_code(&self.regime).unwrap_or(Regime::Law2013)
    }

    /// Where it stands at `now`.
    pub fn phase(&self, now: DateTime<Utc>) -> CallPhase {
        CallPhase::at(self.published_at.is_some_and(|p| p <= now), self.opens_at, self.closes_at, now)
    }

    /// The fields covered.
    pub fn field_list(&self) -> Vec<String> {
        self.fields.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect()
    }

    /// The forms to fill.
    pub fn form_list(&self) -> Vec<String> {
        self.forms.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect()
    }
}

const SELECT: &str = "SELECT c.id, c.title, c.year, c.regime, c.route, c.organizer_org_id, o.name AS organizer_name, \
     c.opens_at, c.closes_at, c.fields, c.eligibility, c.forms, c.description, c.listed_id, l.title AS listed_title, \
     c.invited_org_id, i.name AS invited_name, c.published_at, c.is_sample, c.created_at, c.updated_at \
     FROM st_calls c LEFT JOIN organizations o ON o.id = c.organizer_org_id \
     LEFT JOIN st_proposals l ON l.id = c.listed_id LEFT JOIN organizations i ON i.id = c.invited_org_id";

/// One call.
pub async fn call(ex: &impl Exec, id: i64) -> Result<Option<Call>, DbError> {
    ex.fetch_optional(Query::new(format!("{SELECT} WHERE c.id = $1")).bind(id)).await
}

/// A call to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// What was typed, checked.
    pub fields: CallFields,
    /// The issuing organisation.
    pub organizer_org_id: Option<i64>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Records a call (unpublished); its id.
pub async fn create_call(ex: &impl Exec, r: &CallRecord, by: Option<i64>, now: DateTime<Utc>) -> Result<i64, DbError> {
    let f = &r.fields;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_calls (title, title_folded, year, regime, route, organizer_org_id, opens_at, closes_at, \
                 fields, eligibility, forms, description, listed_id, invited_org_id, is_sample, created_by, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
                 RETURNING id",
            )
            .bind(&f.title)
            .bind(fold(&f.title))
            .bind(i64::from(f.year))
            .bind(f.regime.code())
            .bind(f.route.code())
            .bind(r.organizer_org_id)
            .bind(f.opens_at)
            .bind(f.closes_at)
            .bind(f.fields.join("\n"))
            .bind(&f.eligibility)
            .bind(f.forms.join("\n"))
            .bind(f.description.clone())
            .bind(f.listed_id)
            .bind(f.invited_org_id)
            .bind(r.is_sample)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Changes a call's fields.
pub async fn update_call(ex: &impl Exec, id: i64, f: &CallFields, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE st_calls SET title = $2, title_folded = $3, year = $4, regime = $5, route = $6, opens_at = $7, \
             closes_at = $8, fields = $9, eligibility = $10, forms = $11, description = $12, listed_id = $13, \
             invited_org_id = $14, updated_at = $15 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.title)
        .bind(fold(&f.title))
        .bind(i64::from(f.year))
        .bind(f.regime.code())
        .bind(f.route.code())
        .bind(f.opens_at)
        .bind(f.closes_at)
        .bind(f.fields.join("\n"))
        .bind(&f.eligibility)
        .bind(f.forms.join("\n"))
        .bind(f.description.clone())
        .bind(f.listed_id)
        .bind(f.invited_org_id)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Publishes a call; `false` when it was published already.
pub async fn publish_call(ex: &impl Exec, id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new("UPDATE st_calls SET published_at = $2, updated_at = $2 WHERE id = $1 AND published_at IS NULL")
                .bind(id)
                .bind(now),
        )
        .await?;
    Ok(n == 1)
}

/// A call in a list, with the number of proposals or dossiers sent to it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CallSummary {
    /// Row id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Plan year.
    pub year: i64,
    /// Regime code.
    pub regime: String,
    /// Route code.
    pub route: String,
    /// Opening.
    pub opens_at: DateTime<Utc>,
    /// Deadline.
    pub closes_at: DateTime<Utc>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
    /// Sent to it (drafts aside).
    pub received: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl CallSummary {
    /// Where it stands at `now`.
    pub fn phase(&self, now: DateTime<Utc>) -> CallPhase {
        CallPhase::at(self.published_at.is_some_and(|p| p <= now), self.opens_at, self.closes_at, now)
    }
}

/// A page of calls, the latest deadline first: every call for the staff (`drafts`), the published ones
/// otherwise; `q` matches the title without marks; `year` only that plan year.
pub async fn list_calls(
    ex: &impl Exec,
    drafts: bool,
    q: Option<&str>,
    year: Option<i64>,
    page: Page,
) -> Result<Listed<CallSummary>, DbError> {
    let filter = |select: &str| {
        let mut query = Query::new(format!("SELECT {select} FROM st_calls c WHERE 1 = 1"));
        if !drafts {
            query.push(" AND c.published_at IS NOT NULL");
        }
        if let Some(q) = q.map(fold).filter(|q| !q.is_empty()) {
            query.push(" AND c.title_folded LIKE ").push_bind(format!("%{q}%"));
        }
        if let Some(year) = year {
            query.push(" AND c.year = ").push_bind(year);
        }
        query
    };
    let (total,): (i64,) = ex.fetch_one(filter("COUNT(*)")).await?;
    let mut query = filter(
        "c.id, c.title, c.year, c.regime, c.route, c.opens_at, c.closes_at, c.published_at, \
         (SELECT COUNT(*) FROM st_proposals p WHERE p.call_id = c.id AND p.state <> 'draft') AS received, c.is_sample",
    );
    query
        .push(" ORDER BY c.closes_at DESC, c.id DESC LIMIT ")
        .push_bind(page.limit)
        .push(" OFFSET ")
        .push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(query).await?, total })
}

/// The calls answering a listed task (for selection or an invitation), first published first.
pub async fn calls_answering(ex: &impl Exec, listed_id: i64) -> Result<Vec<Call>, DbError> {
    ex.fetch_all(Query::new(format!("{SELECT} WHERE c.listed_id = $1 ORDER BY c.opens_at, c.id")).bind(listed_id)).await
}

/// How many proposals or dossiers answer a call, drafts included.
pub async fn proposal_count(ex: &impl Exec, call_id: i64) -> Result<i64, DbError> {
    let (n,): (i64,) =
        ex.fetch_one(Query::new("SELECT COUNT(*) FROM st_proposals WHERE call_id = $1").bind(call_id)).await?;
    Ok(n)
}

/// The published calls receiving at `now`, the nearest deadline first.
pub async fn open_calls(ex: &impl Exec, now: DateTime<Utc>, limit: i64) -> Result<Vec<CallSummary>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT c.id, c.title, c.year, c.regime, c.route, c.opens_at, c.closes_at, c.published_at, \
             (SELECT COUNT(*) FROM st_proposals p WHERE p.call_id = c.id AND p.state <> 'draft') AS received, c.is_sample \
             FROM st_calls c WHERE c.published_at IS NOT NULL AND c.published_at <= $1 AND c.opens_at <= $1 \
             AND c.closes_at > $1 ORDER BY c.closes_at, c.id LIMIT $2",
        )
        .bind(now)
        .bind(limit),
    )
    .await
}
