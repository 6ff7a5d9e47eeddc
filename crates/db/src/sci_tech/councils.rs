//! Councils: their settings, members (people of the directory, each with the account that scores for them),
//! the proposals before them, attendance, declarations of conflicts and the chair's overrides, and the
//! history conflicts are computed from.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::directory::Honorific;
use tiendo_core::sci_tech::conflicts::MemberHistory;
use tiendo_core::sci_tech::council::CouncilSettings;
use tiendo_core::sci_tech::{Decision, TeamMember};
use tiendo_core::text::fold;

use super::{from_json, to_json};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// A council.
#[derive(Debug, Clone, PartialEq)]
pub struct Council {
    /// Row id.
    pub id: i64,
    /// `identification`, `selection`, `direct`, `acceptance`.
    pub kind: String,
    /// Name ("Hội đồng tư vấn xác định nhiệm vụ KH&CN cấp tỉnh năm 2021").
    pub name: String,
    /// The call whose proposals it judges.
    pub call_id: Option<i64>,
    /// Its title.
    pub call_title: Option<String>,
    /// `forming`, `meeting`, `closed`.
    pub state: String,
    /// Rubric, rules, quorum.
    pub settings: CouncilSettings,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Its time (`08:00`).
    pub meeting_time: Option<String>,
    /// Its place.
    pub place: Option<String>,
    /// The decision forming it.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
    /// The minutes' number and symbol.
    pub minutes_symbol: Option<String>,
    /// Their date.
    pub minutes_date: Option<NaiveDate>,
    /// The general conclusion.
    pub conclusion: Option<String>,
    /// When closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CouncilRow {
    id: i64,
    kind: String,
    name: String,
    call_id: Option<i64>,
    call_title: Option<String>,
    state: String,
    settings: String,
    meeting_on: Option<NaiveDate>,
    meeting_time: Option<String>,
    place: Option<String>,
    decision_symbol: Option<String>,
    decision_date: Option<NaiveDate>,
    decision_signer: Option<String>,
    minutes_symbol: Option<String>,
    minutes_date: Option<NaiveDate>,
    conclusion: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    is_sample: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<CouncilRow> for Council {
    type Error = DbError;

    fn try_from(r: CouncilRow) -> Result<Council, DbError> {
        Ok(Council {
            settings: from_json("settings", &r.settings)?,
            id: r.id,
            kind: r.kind,
            name: r.name,
            call_id: r.call_id,
            call_title: r.call_title,
            state: r.state,
            meeting_on: r.meeting_on,
            meeting_time: r.meeting_time,
            place: r.place,
            decision_symbol: r.decision_symbol,
            decision_date: r.decision_date,
            decision_signer: r.decision_signer,
            minutes_symbol: r.minutes_symbol,
            minutes_date: r.minutes_date,
            conclusion: r.conclusion,
            closed_at: r.closed_at,
            is_sample: r.is_sample,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT k.id, k.kind, k.name, k.call_id, c.title AS call_title, k.state, k.settings, k.meeting_on, \
     k.meeting_time, k.place, k.decision_symbol, k.decision_date, k.decision_signer, k.minutes_symbol, k.minutes_date, \
     k.conclusion, k.closed_at, k.is_sample, k.created_at FROM st_councils k LEFT JOIN st_calls c ON c.id = k.call_id";

/// One council.
pub async fn council(ex: &impl Exec, id: i64) -> Result<Option<Council>, DbError> {
    let row: Option<CouncilRow> = ex.fetch_optional(Query::new(format!("{SELECT} WHERE k.id = $1")).bind(id)).await?;
    row.map(Council::try_from).transpose()
}

/// A council to record.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilRecord {
    /// Kind code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// The call.
    pub call_id: Option<i64>,
    /// Settings.
    pub settings: CouncilSettings,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Its time.
    pub meeting_time: Option<String>,
    /// Its place.
    pub place: Option<String>,
    /// The decision forming it.
    pub decision: Option<Decision>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Records a council being formed; its id.
pub async fn create_council(
    ex: &impl Exec,
    r: &CouncilRecord,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_councils (kind, name, call_id, state, settings, meeting_on, meeting_time, place, \
                 decision_symbol, decision_date, decision_signer, is_sample, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'forming', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(&r.kind)
            .bind(&r.name)
            .bind(r.call_id)
            .bind(to_json(&r.settings))
            .bind(r.meeting_on)
            .bind(r.meeting_time.clone())
            .bind(r.place.clone())
            .bind(r.decision.as_ref().map(|d| d.symbol.clone()))
            .bind(r.decision.as_ref().map(|d| d.date))
            .bind(r.decision.as_ref().map(|d| d.signer.clone()))
            .bind(r.is_sample)
            .bind(by)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Changes a council's name, meeting, decision and settings.
pub async fn update_council(ex: &impl Exec, id: i64, r: &CouncilRecord, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE st_councils SET name = $2, call_id = $3, settings = $4, meeting_on = $5, meeting_time = $6, place = $7, \
             decision_symbol = $8, decision_date = $9, decision_signer = $10, updated_at = $11 WHERE id = $1",
        )
        .bind(id)
        .bind(&r.name)
        .bind(r.call_id)
        .bind(to_json(&r.settings))
        .bind(r.meeting_on)
        .bind(r.meeting_time.clone())
        .bind(r.place.clone())
        .bind(r.decision.as_ref().map(|d| d.symbol.clone()))
        .bind(r.decision.as_ref().map(|d| d.date))
        .bind(r.decision.as_ref().map(|d| d.signer.clone()))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Replaces a council's settings while no sheet has been sent and it has not closed; `false` otherwise.
pub async fn set_settings(
    ex: &impl Exec,
    id: i64,
    settings: &CouncilSettings,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new(
                "UPDATE st_councils SET settings = $2, updated_at = $3 WHERE id = $1 AND state <> 'closed' \
                 AND NOT EXISTS (SELECT 1 FROM st_scores s WHERE s.council_id = $1)",
            )
            .bind(id)
            .bind(to_json(settings))
            .bind(now),
        )
        .await?
        == 1)
}

/// Moves a council from `from` to `to`; `false` when it is no longer in `from`.
pub async fn move_council(ex: &impl Exec, id: i64, from: &str, to: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new("UPDATE st_councils SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2")
                .bind(id)
                .bind(from)
                .bind(to)
                .bind(now),
        )
        .await?
        == 1)
}

/// Closes a meeting council with its minutes; `false` when it is no longer meeting.
pub async fn close_council(
    ex: &impl Exec,
    id: i64,
    minutes: &Decision,
    conclusion: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(ex
        .execute(
            Query::new(
                "UPDATE st_councils SET state = 'closed', minutes_symbol = $2, minutes_date = $3, conclusion = $4, \
                 closed_at = $5, updated_at = $5 WHERE id = $1 AND state = 'meeting'",
            )
            .bind(id)
            .bind(&minutes.symbol)
            .bind(minutes.date)
            .bind(conclusion)
            .bind(now),
        )
        .await?
        == 1)
}

/// A council in a list.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CouncilSummary {
    /// Row id.
    pub id: i64,
    /// Kind code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// State code.
    pub state: String,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Proposals before it.
    pub items: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A page of councils, the latest meeting first: every council (`member` none), or those the account
/// `member` sits on.
pub async fn list_councils(ex: &impl Exec, member: Option<i64>, page: Page) -> Result<Listed<CouncilSummary>, DbError> {
    let filter = |select: &str| {
        let mut q = Query::new(format!("SELECT {select} FROM st_councils k WHERE 1 = 1"));
        if let Some(user) = member {
            q.push(" AND k.id IN (SELECT council_id FROM st_council_members WHERE user_id = ")
                .push_bind(user)
                .push(")");
        }
        q
    };
    let (total,): (i64,) = ex.fetch_one(filter("COUNT(*)")).await?;
    let mut q = filter(
        "k.id, k.kind, k.name, k.state, k.meeting_on, \
         (SELECT COUNT(*) FROM st_council_items i WHERE i.council_id = k.id) AS items, k.is_sample",
    );
    q.push(" ORDER BY COALESCE(k.meeting_on, '9999-12-31') DESC, k.id DESC LIMIT ")
        .push_bind(page.limit)
        .push(" OFFSET ")
        .push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// A member of a council.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Row id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// Their name with their title ("TS. Lê Minh Tuấn").
    pub name: String,
    /// Their name folded (for the conflicts).
    pub name_folded: String,
    /// Their expertise, as the directory lists it.
    pub expertise: Option<String>,
    /// The organisation they work at now (their latest role the directory holds open).
    pub organization: Option<String>,
    /// The account that scores for them.
    pub user_id: Option<i64>,
    /// Role code.
    pub role: String,
    /// Attendance, once recorded.
    pub present: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    person_id: i64,
    full_name: String,
    name_folded: String,
    title: Option<String>,
    expertise: Option<String>,
    organization: Option<String>,
    user_id: Option<i64>,
    role: String,
    present: Option<bool>,
}

/// The members of a council, in the order the council lists them.
pub async fn members(ex: &impl Exec, council_id: i64) -> Result<Vec<Member>, DbError> {
    let rows: Vec<MemberRow> = ex
        .fetch_all(
            Query::new(
                "SELECT m.id, m.person_id, p.full_name, p.name_folded, p.title, p.expertise, \
                 (SELECT o.name FROM affiliations a JOIN organizations o ON o.id = a.organization_id \
                  WHERE a.person_id = p.id AND a.valid_to IS NULL ORDER BY a.id DESC LIMIT 1) AS organization, \
                 m.user_id, m.role, m.present \
                 FROM st_council_members m JOIN people p ON p.id = m.person_id WHERE m.council_id = $1 \
                 ORDER BY m.sort_order, m.id",
            )
            .bind(council_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let honorific = Honorific::parse(r.title.as_deref().unwrap_or_default()).unwrap_or_default();
            Member {
                id: r.id,
                person_id: r.person_id,
                name: honorific.before(&r.full_name),
                name_folded: r.name_folded,
                expertise: r.expertise,
                organization: r.organization,
                user_id: r.user_id,
                role: r.role,
                present: r.present,
            }
        })
        .collect())
}

/// A member to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// The person.
    pub person_id: i64,
    /// The account scoring for them.
    pub user_id: Option<i64>,
    /// Role code.
    pub role: String,
}

/// Replaces the members of a council (their declarations and overrides go with them).
pub async fn replace_members(ex: &impl Exec, council_id: i64, members: &[NewMember]) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM st_council_members WHERE council_id = $1").bind(council_id)).await?;
    for (i, m) in members.iter().enumerate() {
        ex.execute(
            Query::new(
                "INSERT INTO st_council_members (council_id, person_id, user_id, role, sort_order) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(council_id)
            .bind(m.person_id)
            .bind(m.user_id)
            .bind(&m.role)
            .bind(i64::try_from(i).unwrap_or(i64::MAX)),
        )
        .await?;
    }
    Ok(())
}

/// Records who is present (every other member absent).
pub async fn set_attendance(ex: &impl Exec, council_id: i64, present: &[i64]) -> Result<(), DbError> {
    let mut q = Query::new("UPDATE st_council_members SET present = COALESCE(id IN (");
    push_ids(&mut q, present);
    q.push("), FALSE) WHERE council_id = ").push_bind(council_id);
    ex.execute(q).await?;
    Ok(())
}

/// The account that scores for a person: the one linked to them, else the one active expert's account
/// bearing their name.
pub async fn account_of(ex: &impl Exec, person_id: i64) -> Result<Option<i64>, DbError> {
    let linked: Option<(i64,)> = ex
        .fetch_optional(
            Query::new("SELECT id FROM users WHERE person_id = $1 AND status = 'active' ORDER BY id LIMIT 1")
                .bind(person_id),
        )
        .await?;
    if let Some((id,)) = linked {
        return Ok(Some(id));
    }
    let (name,): (String,) =
        ex.fetch_one(Query::new("SELECT full_name FROM people WHERE id = $1").bind(person_id)).await?;
    let experts: Vec<(i64, String)> = ex
        .fetch_all(Query::new(
            "SELECT DISTINCT u.id, u.display_name FROM users u JOIN role_grants g ON g.user_id = u.id \
             WHERE g.role = 'expert' AND u.status = 'active' ORDER BY u.id",
        ))
        .await?;
    let same: Vec<i64> = experts.into_iter().filter(|(_, n)| fold(n) == fold(&name)).map(|(id, _)| id).collect();
    Ok(match same.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// A proposal before a council.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Item {
    /// The proposal.
    pub proposal_id: i64,
    /// Its name.
    pub title: String,
    /// The proposer's name as typed.
    pub proposer_name: Option<String>,
    /// The proposing organisation.
    pub proposer_org_id: Option<i64>,
    /// Its name.
    pub proposer_org_name: Option<String>,
    /// The intended host.
    pub host_name: Option<String>,
    /// The intended principal investigator.
    pub pi_name: Option<String>,
    /// The team (JSON).
    pub team: String,
    /// Its state now.
    pub state: String,
    /// Its estimated budget.
    pub budget_total: Option<i64>,
    /// Whether it passed (once closed).
    pub passed: Option<bool>,
    /// Its average (once closed).
    pub average: Option<f64>,
    /// Its rank (once closed).
    pub rank: Option<i64>,
}

impl Item {
    /// The proposer as a page names it.
    pub fn proposer(&self) -> String {
        self.proposer_name.clone().or_else(|| self.proposer_org_name.clone()).unwrap_or_default()
    }

    /// Its team, with the principal investigator when named.
    pub fn team(&self) -> Vec<TeamMember> {
        let mut team: Vec<TeamMember> = serde_json::from_str(&self.team).unwrap_or_default();
        if let Some(pi) = &self.pi_name {
            team.push(TeamMember { name: pi.clone(), role: None, person_id: None });
        }
        team
    }
}

/// The proposals before a council, in the order they were put.
pub async fn items(ex: &impl Exec, council_id: i64) -> Result<Vec<Item>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT p.id AS proposal_id, p.title, p.proposer_name, p.proposer_org_id, o.name AS proposer_org_name, \
             p.host_name, p.pi_name, p.team, p.state, p.budget_total, i.passed, i.average, i.rank FROM st_council_items i \
             JOIN st_proposals p ON p.id = i.proposal_id LEFT JOIN organizations o ON o.id = p.proposer_org_id \
             WHERE i.council_id = $1 ORDER BY i.sort_order, p.id",
        )
        .bind(council_id),
    )
    .await
}

/// Puts a proposal before a council.
pub async fn add_item(ex: &impl Exec, council_id: i64, proposal_id: i64) -> Result<(), DbError> {
    insert_item(ex, council_id, "proposal_id", proposal_id).await
}

/// Puts a subject (`column`: `proposal_id` or `application_id`) last before a council.
async fn insert_item(ex: &impl Exec, council_id: i64, column: &'static str, id: i64) -> Result<(), DbError> {
    ex.execute(
        Query::new(format!(
            "INSERT INTO st_council_items (council_id, {column}, sort_order) VALUES ($1, $2, \
             (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM st_council_items WHERE council_id = $1))"
        ))
        .bind(council_id)
        .bind(id),
    )
    .await?;
    Ok(())
}

/// Records the outcome of a proposal at the council's closing.
pub async fn set_outcome(
    ex: &impl Exec,
    council_id: i64,
    proposal_id: i64,
    passed: bool,
    average: f64,
    rank: i64,
) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE st_council_items SET passed = $3, average = $4, rank = $5 WHERE council_id = $1 AND proposal_id = $2")
            .bind(council_id)
            .bind(proposal_id)
            .bind(passed)
            .bind(average)
            .bind(rank),
    )
    .await?;
    Ok(())
}

/// An application for the certificate before a council.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ApplicationItem {
    /// The application.
    pub application_id: i64,
    /// The enterprise's name.
    pub enterprise_name: String,
    /// The enterprise in the directory.
    pub org_id: i64,
    /// Its legal representative as the dossier names them.
    pub representative: Option<String>,
    /// The application's state now.
    pub state: String,
    /// Whether the council recommends the certificate (once closed).
    pub passed: Option<bool>,
}

/// The applications before a council, in the order they were put.
pub async fn application_items(ex: &impl Exec, council_id: i64) -> Result<Vec<ApplicationItem>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id AS application_id, a.enterprise_name, a.org_id, a.representative, a.state, i.passed \
             FROM st_council_items i JOIN cert_applications a ON a.id = i.application_id WHERE i.council_id = $1 \
             ORDER BY i.sort_order, a.id",
        )
        .bind(council_id),
    )
    .await
}

/// Puts an application before a council.
pub async fn add_application_item(ex: &impl Exec, council_id: i64, application_id: i64) -> Result<(), DbError> {
    insert_item(ex, council_id, "application_id", application_id).await
}

/// Records whether the council recommends the certificate for an application, at its closing.
pub async fn set_application_outcome(
    ex: &impl Exec,
    council_id: i64,
    application_id: i64,
    recommends: bool,
) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE st_council_items SET passed = $3 WHERE council_id = $1 AND application_id = $2")
            .bind(council_id)
            .bind(application_id)
            .bind(recommends),
    )
    .await?;
    Ok(())
}

/// The councils an application was put before: (council id, state), the first formed first.
pub async fn councils_of_application(ex: &impl Exec, application_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT k.id, k.state FROM st_council_items i JOIN st_councils k ON k.id = i.council_id \
             WHERE i.application_id = $1 ORDER BY k.id",
        )
        .bind(application_id),
    )
    .await
}

/// The councils a proposal was put before: (council id, state).
pub async fn councils_of(ex: &impl Exec, proposal_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT k.id, k.state FROM st_council_items i JOIN st_councils k ON k.id = i.council_id \
             WHERE i.proposal_id = $1 ORDER BY k.id",
        )
        .bind(proposal_id),
    )
    .await
}

/// A declaration.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Declaration {
    /// The member.
    pub member_id: i64,
    /// The proposal it concerns (none, with no application either: everything before the council).
    pub proposal_id: Option<i64>,
    /// The application it concerns.
    pub application_id: Option<i64>,
    /// Whether the member declares a relation.
    pub has_conflict: bool,
    /// What they declare.
    pub text: Option<String>,
    /// When.
    pub declared_at: DateTime<Utc>,
}

/// The declarations of a council's members.
pub async fn declarations(ex: &impl Exec, council_id: i64) -> Result<Vec<Declaration>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT member_id, proposal_id, application_id, has_conflict, text, declared_at FROM st_declarations \
             WHERE council_id = $1 ORDER BY member_id, proposal_id, application_id",
        )
        .bind(council_id),
    )
    .await
}

/// What a council judges: a proposal or an application for the S&T enterprise certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An S&T task proposal or dossier.
    Proposal(i64),
    /// An application for the certificate (a council of the kind `certificate`).
    Application(i64),
}

impl Subject {
    /// The proposal, if it is one.
    pub fn proposal_id(self) -> Option<i64> {
        match self {
            Subject::Proposal(id) => Some(id),
            Subject::Application(_) => None,
        }
    }

    /// The application, if it is one.
    pub fn application_id(self) -> Option<i64> {
        match self {
            Subject::Application(id) => Some(id),
            Subject::Proposal(_) => None,
        }
    }
}

/// Records (or replaces) what a member declares about a proposal or an application (`None`: everything
/// before the council).
pub async fn declare(
    ex: &impl Exec,
    council_id: i64,
    member_id: i64,
    subject: Option<Subject>,
    has_conflict: bool,
    text: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut q = Query::new("DELETE FROM st_declarations WHERE member_id = $1 AND ").bind(member_id);
    match subject {
        Some(Subject::Proposal(p)) => q.push("proposal_id = ").push_bind(p),
        Some(Subject::Application(a)) => q.push("application_id = ").push_bind(a),
        None => q.push("proposal_id IS NULL AND application_id IS NULL"),
    };
    ex.execute(q).await?;
    ex.execute(
        Query::new(
            "INSERT INTO st_declarations (council_id, member_id, proposal_id, application_id, has_conflict, text, \
             declared_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(council_id)
        .bind(member_id)
        .bind(subject.and_then(Subject::proposal_id))
        .bind(subject.and_then(Subject::application_id))
        .bind(has_conflict)
        .bind(text)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A chair's override of a flag.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Override {
    /// The member.
    pub member_id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// Why the member scores nonetheless.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The overrides of a council.
pub async fn overrides(ex: &impl Exec, council_id: i64) -> Result<Vec<Override>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT member_id, proposal_id, reason, at FROM st_conflict_overrides WHERE council_id = $1 \
             AND proposal_id IS NOT NULL",
        )
        .bind(council_id),
    )
    .await
}

/// The overrides of a council for the applications before it, each with its application in the field
/// `proposal_id` (the subject the override is about).
pub async fn application_overrides(ex: &impl Exec, council_id: i64) -> Result<Vec<Override>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT member_id, application_id AS proposal_id, reason, at FROM st_conflict_overrides \
             WHERE council_id = $1 AND application_id IS NOT NULL",
        )
        .bind(council_id),
    )
    .await
}

/// Records an override; `false` when the flag was overridden already.
pub async fn add_override(
    ex: &impl Exec,
    council_id: i64,
    member_id: i64,
    subject: Subject,
    reason: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let target = match subject {
        Subject::Proposal(_) => "(member_id, proposal_id)",
        Subject::Application(_) => "(member_id, application_id)",
    };
    Ok(ex
        .execute(
            Query::new(format!(
                "INSERT INTO st_conflict_overrides (council_id, member_id, proposal_id, application_id, reason, by_user, \
                 at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT {target} DO NOTHING"
            ))
            .bind(council_id)
            .bind(member_id)
            .bind(subject.proposal_id())
            .bind(subject.application_id())
            .bind(reason)
            .bind(by)
            .bind(now),
        )
        .await?
        == 1)
}

/// The history of people, for their conflicts: their affiliations with the organisations' names.
pub async fn histories(ex: &impl Exec, people: &[(i64, String)]) -> Result<Vec<MemberHistory>, DbError> {
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let mut q = Query::new(
        "SELECT a.person_id, a.organization_id, o.name, a.valid_from, a.valid_to FROM affiliations a \
         JOIN organizations o ON o.id = a.organization_id WHERE a.person_id IN (",
    );
    push_ids(&mut q, &ids);
    q.push(") ORDER BY a.person_id, a.id");
    type Row = (i64, i64, String, Option<NaiveDate>, Option<NaiveDate>);
    let rows: Vec<Row> = ex.fetch_all(q).await?;
    Ok(people
        .iter()
        .map(|(id, folded)| MemberHistory {
            person_id: *id,
            name_folded: folded.clone(),
            affiliations: rows
                .iter()
                .filter(|r| r.0 == *id)
                .map(|(_, org, name, from, to)| (*org, name.clone(), *from, *to))
                .collect(),
        })
        .collect())
}

/// A proposal sent by an organisation that names people (a team or a principal investigator), for the
/// conflicts of interest of councils judging its other proposals.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// The proposing organisation.
    pub org_id: i64,
    /// The proposal.
    pub id: i64,
    /// Its name.
    pub title: String,
    /// Its team, with the principal investigator.
    pub team: Vec<TeamMember>,
}

/// The proposals the organisations `orgs` have sent that name people, in one query (on SQLite as one JSON
/// value: a council's proposers may have sent thousands), by organisation and id.
pub async fn earlier_of(ex: &impl Exec, orgs: &[i64]) -> Result<Vec<Earlier>, DbError> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<(i64, i64, String, String, Option<String>)> =
        crate::json::fetch_many(ex, "proposer_org_id, id, title, team, pi_name", |q| {
            q.push(
                " FROM st_proposals WHERE state <> 'draft' AND (team <> '[]' OR pi_name IS NOT NULL) \
                 AND proposer_org_id IN (",
            );
            push_ids(q, orgs);
            q.push(")");
        })
        .await?;
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    Ok(rows
        .into_iter()
        .map(|(org_id, id, title, team, pi)| {
            let mut members: Vec<TeamMember> = serde_json::from_str(&team).unwrap_or_default();
            if let Some(pi) = pi {
                members.push(TeamMember { name: pi, role: None, person_id: None });
            }
            Earlier { org_id, id, title, team: members }
        })
        .collect())
}

/// The organisations named `names` (marks and case aside), in one query: (the name folded, the
/// organisation) for each name exactly one organisation bears.
pub async fn organizations_named(ex: &impl Exec, names: &[String]) -> Result<Vec<(String, i64)>, DbError> {
    let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT name_folded, id FROM organizations WHERE name_folded IN (");
    for (i, name) in folded.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(name.as_str());
    }
    q.push(") ORDER BY name_folded, id");
    let rows: Vec<(String, i64)> = ex.fetch_all(q).await?;
    Ok(rows.iter().filter(|(name, _)| rows.iter().filter(|(other, _)| other == name).count() == 1).cloned().collect())
}

/// The councils an account sits on that are meeting or forming: (council id, its name, the member's id).
pub async fn open_seats(ex: &impl Exec, user_id: i64) -> Result<Vec<(i64, String, i64, String)>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT k.id, k.name, m.id, k.state FROM st_council_members m JOIN st_councils k ON k.id = m.council_id \
             WHERE m.user_id = $1 AND k.state <> 'closed' ORDER BY k.id",
        )
        .bind(user_id),
    )
    .await
}
