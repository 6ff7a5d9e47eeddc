//! Proposals and dossiers: the typed form, the state, and the lists each actor may read.

use chrono::{DateTime, Utc};
use tiendo_core::authz::{AccessScope, Coverage, Role};
use tiendo_core::sci_tech::{BudgetLine, Product, ProposalFields, ProposerKind, Route, TeamMember};
use tiendo_core::text::fold;

use super::{from_json, to_json};
use crate::directory::{Listed, Page};
use crate::error::DbError;
use crate::monitoring::push_ids;
use crate::query::{Exec, Query};

/// A proposal with the names its page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Row id.
    pub id: i64,
    /// The call it answers.
    pub call_id: i64,
    /// The call's title.
    pub call_title: String,
    /// The call's route (the path through the machine).
    pub route: Route,
    /// The state's code.
    pub state: String,
    /// Name.
    pub title: String,
    /// Field.
    pub field: Option<String>,
    /// Urgency.
    pub urgency: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// Content.
    pub content: Option<String>,
    /// Expected products.
    pub products: Vec<Product>,
    /// Months.
    pub duration_months: Option<i64>,
    /// Estimated budget, in đồng.
    pub budget_total: Option<i64>,
    /// By source.
    pub budget: Vec<BudgetLine>,
    /// Who proposes.
    pub proposer_kind: ProposerKind,
    /// The proposing organisation.
    pub proposer_org_id: Option<i64>,
    /// Its name in the directory.
    pub proposer_org_name: Option<String>,
    /// The proposer's name as typed.
    pub proposer_name: Option<String>,
    /// Contact.
    pub contact_name: Option<String>,
    /// Phone.
    pub contact_phone: Option<String>,
    /// E-mail.
    pub contact_email: Option<String>,
    /// Intended host.
    pub host_name: Option<String>,
    /// Intended principal investigator.
    pub pi_name: Option<String>,
    /// Team.
    pub team: Vec<TeamMember>,
    /// Who wrote it.
    pub author_id: Option<i64>,
    /// Their name.
    pub author_name: Option<String>,
    /// How the listed task is carried out (`selection`, `direct`).
    pub mode: Option<String>,
    /// The listed task a dossier answers.
    pub listed_id: Option<i64>,
    /// Its name.
    pub listed_title: Option<String>,
    /// First sent.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Proposal {
    /// The proposer as a page names it: the name typed, else the organisation's.
    pub fn proposer(&self) -> String {
        self.proposer_name.clone().or_else(|| self.proposer_org_name.clone()).unwrap_or_default()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    call_id: i64,
    call_title: String,
    route: String,
    state: String,
    title: String,
    field: Option<String>,
    urgency: Option<String>,
    objectives: Option<String>,
    content: Option<String>,
    products: String,
    duration_months: Option<i64>,
    budget_total: Option<i64>,
    budget: String,
    proposer_kind: String,
    proposer_org_id: Option<i64>,
    proposer_org_name: Option<String>,
    proposer_name: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    host_name: Option<String>,
    pi_name: Option<String>,
    team: String,
    author_id: Option<i64>,
    author_name: Option<String>,
    mode: Option<String>,
    listed_id: Option<i64>,
    listed_title: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    is_sample: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Proposal {
    type Error = DbError;

    fn try_from(r: Row) -> Result<Proposal, DbError> {
        Ok(Proposal {
            id: r.id,
            call_id: r.call_id,
            call_title: r.call_title,
            route: Route::from_code(&r.route).ok_or_else(|| DbError::Corrupt(format!("route {}", r.route)))?,
            state: r.state,
            title: r.title,
            field: r.field,
            urgency: r.urgency,
            objectives: r.objectives,
            content: r.content,
            products: from_json("products", &r.products)?,
            duration_months: r.duration_months,
            budget_total: r.budget_total,
            budget: from_json("budget", &r.budget)?,
            proposer_kind: ProposerKind::from_code(&r.proposer_kind)
                .ok_or_else(|| DbError::Corrupt(format!("proposer kind {}", r.proposer_kind)))?,
            proposer_org_id: r.proposer_org_id,
            proposer_org_name: r.proposer_org_name,
            proposer_name: r.proposer_name,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            contact_email: r.contact_email,
            host_name: r.host_name,
            pi_name: r.pi_name,
            team: from_json("team", &r.team)?,
            author_id: r.author_id,
            author_name: r.author_name,
            mode: r.mode,
            listed_id: r.listed_id,
            listed_title: r.listed_title,
            submitted_at: r.submitted_at,
            is_sample: r.is_sample,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT p.id, p.call_id, c.title AS call_title, c.route, p.state, p.title, p.field, p.urgency, \
     p.objectives, p.content, p.products, p.duration_months, p.budget_total, p.budget, p.proposer_kind, \
     p.proposer_org_id, o.name AS proposer_org_name, p.proposer_name, p.contact_name, p.contact_phone, \
     p.contact_email, p.host_name, p.pi_name, p.team, p.author_id, u.display_name AS author_name, p.mode, \
     p.listed_id, l.title AS listed_title, p.submitted_at, p.is_sample, p.created_at, p.updated_at \
     FROM st_proposals p JOIN st_calls c ON c.id = p.call_id LEFT JOIN organizations o ON o.id = p.proposer_org_id \
     LEFT JOIN users u ON u.id = p.author_id LEFT JOIN st_proposals l ON l.id = p.listed_id";

/// One proposal.
pub async fn proposal(ex: &impl Exec, id: i64) -> Result<Option<Proposal>, DbError> {
    let row: Option<Row> = ex.fetch_optional(Query::new(format!("{SELECT} WHERE p.id = $1")).bind(id)).await?;
    row.map(Proposal::try_from).transpose()
}

/// A proposal to store as a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRecord {
    /// The call it answers.
    pub call_id: i64,
    /// What was typed, checked.
    pub fields: ProposalFields,
    /// The proposing organisation (none for an individual).
    pub proposer_org_id: Option<i64>,
    /// Who writes it.
    pub author_id: Option<i64>,
    /// The listed task it answers (from the call).
    pub listed_id: Option<i64>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Records a draft; its id.
pub async fn create_proposal(ex: &impl Exec, r: &ProposalRecord, now: DateTime<Utc>) -> Result<i64, DbError> {
    let f = &r.fields;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_proposals (call_id, state, title, title_folded, field, urgency, objectives, content, \
                 products, duration_months, budget_total, budget, proposer_kind, proposer_org_id, proposer_name, \
                 contact_name, contact_phone, contact_email, host_name, pi_name, team, author_id, listed_id, is_sample, \
                 created_at, updated_at) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                 $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24) RETURNING id",
            )
            .bind(r.call_id)
            .bind(&f.title)
            .bind(fold(&f.title))
            .bind(f.field.clone())
            .bind(f.urgency.clone())
            .bind(f.objectives.clone())
            .bind(f.content.clone())
            .bind(to_json(&f.products))
            .bind(f.duration_months)
            .bind(f.budget_total)
            .bind(to_json(&f.budget))
            .bind(f.proposer_kind.code())
            .bind(r.proposer_org_id)
            .bind(f.proposer_name.clone())
            .bind(f.contact_name.clone())
            .bind(f.contact_phone.clone())
            .bind(f.contact_email.clone())
            .bind(f.host_name.clone())
            .bind(f.pi_name.clone())
            .bind(to_json(&f.team))
            .bind(r.author_id)
            .bind(r.listed_id)
            .bind(r.is_sample)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Replaces the typed form of a proposal.
pub async fn update_proposal(ex: &impl Exec, id: i64, f: &ProposalFields, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE st_proposals SET title = $2, title_folded = $3, field = $4, urgency = $5, objectives = $6, \
             content = $7, products = $8, duration_months = $9, budget_total = $10, budget = $11, proposer_kind = $12, \
             proposer_name = $13, contact_name = $14, contact_phone = $15, contact_email = $16, host_name = $17, \
             pi_name = $18, team = $19, updated_at = $20 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.title)
        .bind(fold(&f.title))
        .bind(f.field.clone())
        .bind(f.urgency.clone())
        .bind(f.objectives.clone())
        .bind(f.content.clone())
        .bind(to_json(&f.products))
        .bind(f.duration_months)
        .bind(f.budget_total)
        .bind(to_json(&f.budget))
        .bind(f.proposer_kind.code())
        .bind(f.proposer_name.clone())
        .bind(f.contact_name.clone())
        .bind(f.contact_phone.clone())
        .bind(f.contact_email.clone())
        .bind(f.host_name.clone())
        .bind(f.pi_name.clone())
        .bind(to_json(&f.team))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Deletes a draft (its files and timeline go with it).
pub async fn delete_proposal(ex: &impl Exec, id: i64) -> Result<bool, DbError> {
    Ok(ex.execute(Query::new("DELETE FROM st_proposals WHERE id = $1 AND state = 'draft'").bind(id)).await? == 1)
}

/// Moves a proposal from `from` to `to`; `false` when it is no longer in `from` (someone moved it first).
/// The first move out of the draft stamps when it was sent.
pub async fn move_state(ex: &impl Exec, id: i64, from: &str, to: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let n = ex
        .execute(
            Query::new(
                "UPDATE st_proposals SET state = $3, updated_at = $4, \
                 submitted_at = CASE WHEN submitted_at IS NULL AND $2 = 'draft' THEN $4 ELSE submitted_at END \
                 WHERE id = $1 AND state = $2",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(now),
        )
        .await?;
    Ok(n == 1)
}

/// Records how a listed task is carried out.
pub async fn set_mode(ex: &impl Exec, id: i64, mode: &str) -> Result<(), DbError> {
    ex.execute(Query::new("UPDATE st_proposals SET mode = $2 WHERE id = $1").bind(id).bind(mode)).await?;
    Ok(())
}

/// The filters of a list of proposals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalFilter {
    /// Only those answering this call.
    pub call_id: Option<i64>,
    /// Only those in these states.
    pub states: Vec<String>,
    /// Only those whose name contains these words (marks ignored).
    pub q: Option<String>,
    /// Only those answering this listed task.
    pub listed_id: Option<i64>,
    /// Only the actor's own (written by them or by their organisation), even for the staff.
    pub own: bool,
}

/// Which proposals an actor may read, built from their [`AccessScope`]: their own (written by them, or by
/// an organisation a proposing role of theirs covers) and, for the department's staff and administrators,
/// every proposal sent. The list form of `Resource::Proposal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalScope {
    /// The account.
    pub user: Option<i64>,
    /// The organisations whose proposals are the actor's own.
    pub own_orgs: Coverage,
    /// Whether every sent proposal is readable.
    pub staff: bool,
}

impl ProposalScope {
    /// The proposals an actor with this access scope may read.
    pub fn of(scope: &AccessScope) -> ProposalScope {
        let proposer =
            scope.has(Role::Applicant) || scope.has(Role::LocalityOfficer) || scope.has(Role::PartnerOfficer);
        ProposalScope {
            user: scope.user_id().filter(|_| proposer),
            own_orgs: scope.coverage(Role::proposes),
            staff: scope.has(Role::DepartmentLeader)
                || scope.has(Role::DepartmentOfficer)
                || scope.has(Role::Administrator),
        }
    }

    fn push_own(&self, q: &mut Query) {
        q.push("(p.author_id = ").push_bind(self.user.unwrap_or(0));
        match &self.own_orgs {
            Coverage::All => {
                q.push(" OR p.proposer_org_id IS NOT NULL");
            }
            Coverage::Orgs(ids) if !ids.is_empty() => {
                q.push(" OR p.proposer_org_id IN (");
                push_ids(q, ids);
                q.push(")");
            }
            Coverage::Orgs(_) => {}
        }
        q.push(")");
    }

    fn push_condition(&self, q: &mut Query, only_own: bool) {
        q.push(" AND (");
        self.push_own(q);
        if self.staff && !only_own {
            q.push(" OR p.state <> 'draft'");
        }
        q.push(")");
    }
}

/// A proposal in a list.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProposalSummary {
    /// Row id.
    pub id: i64,
    /// The call.
    pub call_id: i64,
    /// Its title.
    pub call_title: String,
    /// Its route.
    pub route: String,
    /// State code.
    pub state: String,
    /// Name.
    pub title: String,
    /// Field.
    pub field: Option<String>,
    /// The proposer's name as typed.
    pub proposer_name: Option<String>,
    /// The proposing organisation's name.
    pub proposer_org_name: Option<String>,
    /// Estimated budget.
    pub budget_total: Option<i64>,
    /// First sent.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl ProposalSummary {
    /// The proposer as a list names it.
    pub fn proposer(&self) -> String {
        self.proposer_name.clone().or_else(|| self.proposer_org_name.clone()).unwrap_or_default()
    }
}

fn matching(select: &str, filter: &ProposalFilter, scope: &ProposalScope) -> Query {
    let mut q = Query::new(format!(
        "SELECT {select} FROM st_proposals p JOIN st_calls c ON c.id = p.call_id \
         LEFT JOIN organizations o ON o.id = p.proposer_org_id WHERE 1 = 1"
    ));
    scope.push_condition(&mut q, filter.own);
    if let Some(call) = filter.call_id {
        q.push(" AND p.call_id = ").push_bind(call);
    }
    if let Some(listed) = filter.listed_id {
        q.push(" AND p.listed_id = ").push_bind(listed);
    }
    if !filter.states.is_empty() {
        q.push(" AND p.state IN (");
        for (i, s) in filter.states.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push_bind(s.clone());
        }
        q.push(")");
    }
    if let Some(words) = filter.q.as_deref().map(fold).filter(|w| !w.is_empty()) {
        q.push(" AND p.title_folded LIKE ").push_bind(format!("%{words}%"));
    }
    q
}

/// A page of the proposals matching the filter that the actor may read, the latest sent (or changed, for
/// drafts) first, with how many match in all.
pub async fn page(
    ex: &impl Exec,
    filter: &ProposalFilter,
    scope: &AccessScope,
    page: Page,
) -> Result<Listed<ProposalSummary>, DbError> {
    let scope = ProposalScope::of(scope);
    let (total,): (i64,) = ex.fetch_one(matching("COUNT(*)", filter, &scope)).await?;
    let mut q = matching(
        "p.id, p.call_id, c.title AS call_title, c.route, p.state, p.title, p.field, p.proposer_name, \
         o.name AS proposer_org_name, p.budget_total, p.submitted_at, p.updated_at, p.is_sample",
        filter,
        &scope,
    );
    q.push(" ORDER BY COALESCE(p.submitted_at, p.updated_at) DESC, p.id DESC LIMIT ")
        .push_bind(page.limit)
        .push(" OFFSET ")
        .push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// The proposals in these states (the listed tasks a call for selection or an invitation may answer):
/// (id, name, mode), by name.
pub async fn listed_choices(ex: &impl Exec, states: &[&str]) -> Result<Vec<(i64, String, Option<String>)>, DbError> {
    let mut q = Query::new("SELECT id, title, mode FROM st_proposals WHERE state IN (");
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*s);
    }
    if states.is_empty() {
        q.push("NULL");
    }
    q.push(") ORDER BY title_folded, id");
    ex.fetch_all(q).await
}

/// A proposal waiting for its proposing side, with the deadline of its call.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Pending {
    /// Row id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// State code.
    pub state: String,
    /// The call.
    pub call_id: i64,
    /// Its title.
    pub call_title: String,
    /// Its deadline.
    pub closes_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The actor's own proposals in these states, the nearest deadline first.
pub async fn own_in(ex: &impl Exec, scope: &AccessScope, states: &[&str], limit: i64) -> Result<Vec<Pending>, DbError> {
    let scope = ProposalScope::of(scope);
    let mut q = Query::new(
        "SELECT p.id, p.title, p.state, p.call_id, c.title AS call_title, c.closes_at, p.updated_at \
         FROM st_proposals p JOIN st_calls c ON c.id = p.call_id WHERE 1 = 1",
    );
    scope.push_condition(&mut q, true);
    q.push(" AND p.state IN (");
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*s);
    }
    q.push(") ORDER BY c.closes_at, p.id LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}

/// How many proposals are in each state (drafts aside), for the staff's work list: (state, count).
pub async fn count_by_state(ex: &impl Exec) -> Result<Vec<(String, i64)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT state, COUNT(*) FROM st_proposals WHERE state <> 'draft' GROUP BY state ORDER BY state",
    ))
    .await
}

/// A task of the approved list (danh mục nhiệm vụ đặt hàng), as the public register shows it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ListedTask {
    /// The proposal's id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// Field.
    pub field: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// Expected products (JSON).
    pub products: String,
    /// `selection` or `direct`.
    pub mode: Option<String>,
    /// State code (listed, announced, assigned).
    pub state: String,
    /// The plan year of the call it was proposed to.
    pub year: i64,
    /// The decision approving the list.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<chrono::NaiveDate>,
    /// Invented for the demo.
    pub is_sample: bool,
}

impl ListedTask {
    /// Its expected products.
    pub fn products(&self) -> Vec<Product> {
        serde_json::from_str(&self.products).unwrap_or_default()
    }
}

/// The filters of the public register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterFilter {
    /// Words of the name or the objectives (marks optional).
    pub q: Option<String>,
    /// The plan year.
    pub year: Option<i64>,
}

fn register_query(select: &str, states: &[&str], filter: &RegisterFilter) -> Query {
    let mut q = Query::new(format!(
        "SELECT {select} FROM st_proposals p JOIN st_calls c ON c.id = p.call_id WHERE p.state IN ("
    ));
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*s);
    }
    if states.is_empty() {
        q.push("NULL");
    }
    q.push(")");
    if let Some(words) = filter.q.as_deref().map(fold).filter(|w| !w.is_empty()) {
        q.push(" AND p.title_folded LIKE ").push_bind(format!("%{words}%"));
    }
    if let Some(year) = filter.year {
        q.push(" AND c.year = ").push_bind(year);
    }
    q
}

const LISTED_COLUMNS: &str = "p.id, p.title, p.field, p.objectives, p.products, p.mode, p.state, c.year, \
     (SELECT e.decision_symbol FROM st_events e WHERE e.proposal_id = p.id AND e.action = 'approve_list' \
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS decision_symbol, \
     (SELECT e.decision_date FROM st_events e WHERE e.proposal_id = p.id AND e.action = 'approve_list' \
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS decision_date, p.is_sample";

/// A page of the approved list: the proposals in `states` (the machine's listed states), the latest year
/// first, by name.
pub async fn listed_page(
    ex: &impl Exec,
    states: &[&str],
    filter: &RegisterFilter,
    page: Page,
) -> Result<Listed<ListedTask>, DbError> {
    let (total,): (i64,) = ex.fetch_one(register_query("COUNT(*)", states, filter)).await?;
    let mut q = register_query(LISTED_COLUMNS, states, filter);
    q.push(" ORDER BY c.year DESC, p.title_folded, p.id LIMIT ")
        .push_bind(page.limit)
        .push(" OFFSET ")
        .push_bind(page.offset);
    Ok(Listed { items: ex.fetch_all(q).await?, total })
}

/// One task of the approved list, if it is one.
pub async fn listed_task(ex: &impl Exec, states: &[&str], id: i64) -> Result<Option<ListedTask>, DbError> {
    let mut q = register_query(LISTED_COLUMNS, states, &RegisterFilter::default());
    q.push(" AND p.id = ").push_bind(id);
    ex.fetch_optional(q).await
}
