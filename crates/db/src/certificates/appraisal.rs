//! The appraisal of applications: the experts asked for a written opinion (with the department's override
//! of a conflict of interest), and the opinions of the experts and of the members of the councils the
//! application is before (`crate::sci_tech` keeps the councils themselves).

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::certificates::appraisal::{Judgement, Opinion, Recommendation};
use tiendo_core::directory::Honorific;

use super::{from_json, to_json};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// An expert asked for an opinion on an application.
#[derive(Debug, Clone, PartialEq)]
pub struct Expert {
    /// Row id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// The person of the directory.
    pub person_id: i64,
    /// Their name with their title.
    pub name: String,
    /// Their name folded (for the conflicts).
    pub name_folded: String,
    /// The organisation they work at now.
    pub organization: Option<String>,
    /// The account that answers for them.
    pub user_id: i64,
    /// What the department asks of them.
    pub note: Option<String>,
    /// When asked.
    pub asked_at: DateTime<Utc>,
    /// The Vietnam day asked (the conflicts are looked for on it).
    pub asked_on: NaiveDate,
    /// The department's reason for letting them answer despite a conflict of interest.
    pub override_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ExpertRow {
    id: i64,
    application_id: i64,
    person_id: i64,
    full_name: String,
    name_folded: String,
    title: Option<String>,
    organization: Option<String>,
    user_id: i64,
    note: Option<String>,
    asked_at: DateTime<Utc>,
    asked_on: NaiveDate,
    override_reason: Option<String>,
}

/// The experts asked about an application, in the order asked.
pub async fn experts(ex: &impl Exec, application_id: i64) -> Result<Vec<Expert>, DbError> {
    let rows: Vec<ExpertRow> = ex
        .fetch_all(
            Query::new(
                "SELECT e.id, e.application_id, e.person_id, p.full_name, p.name_folded, p.title, \
                 (SELECT o.name FROM affiliations a JOIN organizations o ON o.id = a.organization_id \
                  WHERE a.person_id = p.id AND a.valid_to IS NULL ORDER BY a.id DESC LIMIT 1) AS organization, \
                 e.user_id, e.note, e.asked_at, e.asked_on, e.override_reason \
                 FROM cert_experts e JOIN people p ON p.id = e.person_id WHERE e.application_id = $1 ORDER BY e.id",
            )
            .bind(application_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let honorific = Honorific::parse(r.title.as_deref().unwrap_or_default()).unwrap_or_default();
            Expert {
                id: r.id,
                application_id: r.application_id,
                person_id: r.person_id,
                name: honorific.before(&r.full_name),
                name_folded: r.name_folded,
                organization: r.organization,
                user_id: r.user_id,
                note: r.note,
                asked_at: r.asked_at,
                asked_on: r.asked_on,
                override_reason: r.override_reason,
            }
        })
        .collect())
}

/// An expert to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpert<'a> {
    /// The person.
    pub person_id: i64,
    /// Their account.
    pub user_id: i64,
    /// What the department asks.
    pub note: Option<&'a str>,
}

/// Records an expert asked; their id.
pub async fn add_expert(
    ex: &impl Exec,
    application_id: i64,
    expert: &NewExpert<'_>,
    by: Option<i64>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO cert_experts (application_id, person_id, user_id, note, asked_by, asked_at, asked_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(application_id)
            .bind(expert.person_id)
            .bind(expert.user_id)
            .bind(expert.note)
            .bind(by)
            .bind(now)
            .bind(today),
        )
        .await?;
    Ok(id)
}

/// Records the department's override of an expert's conflict of interest; `false` when it was overridden
/// already.
pub async fn override_expert(
    ex: &impl Exec,
    expert_id: i64,
    reason: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new(
                "UPDATE cert_experts SET override_reason = $2, override_by = $3, override_at = $4 \
                 WHERE id = $1 AND override_reason IS NULL",
            )
            .bind(expert_id)
            .bind(reason)
            .bind(by)
            .bind(now),
        )
        .await?
        == 1)
}

/// Who gave an opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// A member of a council (its id, the member's seat).
    Member {
        /// The council.
        council_id: i64,
        /// The seat.
        member_id: i64,
    },
    /// An expert asked.
    Expert(i64),
}

/// An opinion given.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOpinion {
    /// Who.
    pub author: Author,
    /// The opinion.
    pub opinion: Opinion,
    /// When sent (or last changed).
    pub submitted_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct OpinionRow {
    council_id: Option<i64>,
    member_id: Option<i64>,
    expert_id: Option<i64>,
    conditions: String,
    recommendation: String,
    remarks: Option<String>,
    submitted_at: DateTime<Utc>,
}

/// The opinions on an application, the first given first.
pub async fn opinions(ex: &impl Exec, application_id: i64) -> Result<Vec<StoredOpinion>, DbError> {
    let rows: Vec<OpinionRow> = ex
        .fetch_all(
            Query::new(
                "SELECT council_id, member_id, expert_id, conditions, recommendation, remarks, submitted_at \
                 FROM cert_opinions WHERE application_id = $1 ORDER BY id",
            )
            .bind(application_id),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let author = match (r.council_id, r.member_id, r.expert_id) {
                (Some(council_id), Some(member_id), _) => Author::Member { council_id, member_id },
                (_, _, Some(expert)) => Author::Expert(expert),
                _ => return Err(DbError::Corrupt("cert_opinions: no author".into())),
            };
            let conditions: Vec<Judgement> = from_json("conditions", &r.conditions)?;
            let recommendation = Recommendation::from_code(&r.recommendation)
                .ok_or_else(|| DbError::Corrupt(format!("cert_opinions: {}", r.recommendation)))?;
            Ok(StoredOpinion {
                author,
                opinion: Opinion { conditions, recommendation, remarks: r.remarks },
                submitted_at: r.submitted_at,
            })
        })
        .collect()
}

/// Records an opinion (replacing the one its author gave before).
pub async fn put_opinion(
    ex: &impl Exec,
    application_id: i64,
    author: Author,
    opinion: &Opinion,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let (council, member, expert) = match author {
        Author::Member { council_id, member_id } => (Some(council_id), Some(member_id), None),
        Author::Expert(id) => (None, None, Some(id)),
    };
    let mut delete = Query::new("DELETE FROM cert_opinions WHERE application_id = $1 AND ").bind(application_id);
    match author {
        Author::Member { member_id, .. } => delete.push("member_id = ").push_bind(member_id),
        Author::Expert(id) => delete.push("expert_id = ").push_bind(id),
    };
    ex.execute(delete).await?;
    ex.execute(
        Query::new(
            "INSERT INTO cert_opinions (application_id, council_id, member_id, expert_id, conditions, recommendation, \
             remarks, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(application_id)
        .bind(council)
        .bind(member)
        .bind(expert)
        .bind(to_json(&opinion.conditions))
        .bind(opinion.recommendation.code())
        .bind(opinion.remarks.clone())
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Whether an account was asked about an application: as an expert, or as a member of a council it was put
/// before.
pub async fn appraises(ex: &impl Exec, user_id: i64, application_id: i64) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new(
                "SELECT (SELECT COUNT(*) FROM cert_experts WHERE user_id = $1 AND application_id = $2) \
                 + (SELECT COUNT(*) FROM st_council_items i JOIN st_council_members m ON m.council_id = i.council_id \
                    WHERE m.user_id = $1 AND i.application_id = $2)",
            )
            .bind(user_id)
            .bind(application_id),
        )
        .await?;
    Ok(n > 0)
}

/// The applications in `state` an account was asked about and has not answered yet: (application id, the
/// enterprise's name), for its work page.
pub async fn awaiting_opinion(ex: &impl Exec, user_id: i64, state: &str) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id, a.enterprise_name FROM cert_applications a WHERE a.state = $2 AND ( \
             EXISTS (SELECT 1 FROM cert_experts e WHERE e.application_id = a.id AND e.user_id = $1 \
                     AND NOT EXISTS (SELECT 1 FROM cert_opinions o WHERE o.expert_id = e.id)) \
             OR EXISTS (SELECT 1 FROM st_council_items i JOIN st_councils k ON k.id = i.council_id \
                     JOIN st_council_members m ON m.council_id = k.id \
                     WHERE i.application_id = a.id AND m.user_id = $1 AND k.state = 'meeting' AND m.present = TRUE \
                     AND NOT EXISTS (SELECT 1 FROM cert_opinions o WHERE o.member_id = m.id AND o.application_id = a.id))) \
             ORDER BY a.received_on, a.id",
        )
        .bind(user_id)
        .bind(state),
    )
    .await
}
