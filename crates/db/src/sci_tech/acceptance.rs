//! The acceptance of a task under contract (its dossier, the council's grade, the closing) and its
//! registered results with their application.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::sci_tech::Decision;
use tiendo_core::sci_tech::acceptance::{Dossier, Use};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The acceptance of a task, as far as it went.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AcceptanceRow {
    /// The host's internal acceptance.
    pub internal_on: NaiveDate,
    /// Its minutes.
    pub internal_minutes: Option<String>,
    /// The dossier submitted.
    pub submitted_on: NaiveDate,
    /// The rule set's code.
    pub rule_set: String,
    /// Days late.
    pub days_late: i64,
    /// The council's ratings (JSON).
    pub ratings: Option<String>,
    /// The grade's code.
    pub grade: Option<String>,
    /// The reasons the rules gave (JSON: code and arguments).
    pub reasons: Option<String>,
    /// When the council met.
    pub council_on: Option<NaiveDate>,
    /// Its minutes.
    pub council_minutes: Option<String>,
    /// The closing decision.
    pub decision_symbol: Option<String>,
    /// Its date.
    pub decision_date: Option<NaiveDate>,
    /// Its signer.
    pub decision_signer: Option<String>,
    /// Settled.
    pub spent: Option<i64>,
    /// A failure accepted as a risk.
    pub risk_accepted: Option<bool>,
    /// The closing's note.
    pub closing_note: Option<String>,
}

/// The acceptance of a contract, if its dossier was submitted.
pub async fn acceptance(ex: &impl Exec, contract_id: i64) -> Result<Option<AcceptanceRow>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT internal_on, internal_minutes, submitted_on, rule_set, days_late, ratings, grade, reasons, \
             council_on, council_minutes, decision_symbol, decision_date, decision_signer, spent, risk_accepted, \
             closing_note FROM st_acceptances WHERE contract_id = $1",
        )
        .bind(contract_id),
    )
    .await
}

/// Records the dossier.
pub async fn add_dossier(ex: &impl Exec, contract_id: i64, d: &Dossier, now: DateTime<Utc>) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO st_acceptances (contract_id, internal_on, internal_minutes, submitted_on, rule_set, days_late, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(contract_id)
        .bind(d.internal_on)
        .bind(d.internal_minutes.clone())
        .bind(d.submitted_on)
        .bind(&d.rule_set)
        .bind(i64::from(d.days_late))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// The council's evaluation to record.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationRecord<'a> {
    /// The ratings (JSON).
    pub ratings: &'a str,
    /// The grade's code.
    pub grade: &'a str,
    /// The reasons (JSON).
    pub reasons: &'a str,
    /// When the council met.
    pub council_on: NaiveDate,
    /// Its minutes.
    pub council_minutes: &'a str,
}

/// Records the council's evaluation.
pub async fn set_evaluation(
    ex: &impl Exec,
    contract_id: i64,
    e: &EvaluationRecord<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE st_acceptances SET ratings = $2, grade = $3, reasons = $4, council_on = $5, council_minutes = $6, \
             updated_at = $7 WHERE contract_id = $1",
        )
        .bind(contract_id)
        .bind(e.ratings)
        .bind(e.grade)
        .bind(e.reasons)
        .bind(e.council_on)
        .bind(e.council_minutes)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Records the closing decision and the settlement.
pub async fn set_closing(
    ex: &impl Exec,
    contract_id: i64,
    decision: &Decision,
    spent: i64,
    risk_accepted: bool,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "UPDATE st_acceptances SET decision_symbol = $2, decision_date = $3, decision_signer = $4, spent = $5, \
             risk_accepted = $6, closing_note = $7, updated_at = $8 WHERE contract_id = $1",
        )
        .bind(contract_id)
        .bind(&decision.symbol)
        .bind(decision.date)
        .bind(&decision.signer)
        .bind(spent)
        .bind(risk_accepted)
        .bind(note.map(str::to_owned))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A registration of results.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ResultRow {
    /// Number.
    pub number: String,
    /// Date.
    pub registered_on: NaiveDate,
    /// Rights holder.
    pub rights_holder: Option<String>,
}

/// The registration of a contract's results, if any.
pub async fn registration(ex: &impl Exec, contract_id: i64) -> Result<Option<ResultRow>, DbError> {
    ex.fetch_optional(
        Query::new("SELECT number, registered_on, rights_holder FROM st_results WHERE contract_id = $1")
            .bind(contract_id),
    )
    .await
}

/// Whether a registration number is taken (by another contract).
pub async fn number_taken(ex: &impl Exec, number: &str) -> Result<bool, DbError> {
    let row: Option<(i64,)> =
        ex.fetch_optional(Query::new("SELECT contract_id FROM st_results WHERE number = $1").bind(number)).await?;
    Ok(row.is_some())
}

/// Records the registration; `false` when the contract's results were registered already.
pub async fn register(
    ex: &impl Exec,
    contract_id: i64,
    number: &str,
    registered_on: NaiveDate,
    rights_holder: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    if registration(ex, contract_id).await?.is_some() {
        return Ok(false);
    }
    ex.execute(
        Query::new(
            "INSERT INTO st_results (contract_id, number, registered_on, rights_holder, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(contract_id)
        .bind(number)
        .bind(registered_on)
        .bind(rights_holder.map(str::to_owned))
        .bind(now),
    )
    .await?;
    Ok(true)
}

/// An application of results, with the names its pages show.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UseRow {
    /// Row id.
    pub id: i64,
    /// The contract.
    pub contract_id: i64,
    /// The task's name.
    pub title: String,
    /// The registration's number, if registered.
    pub number: Option<String>,
    /// Its date.
    pub registered_on: Option<NaiveDate>,
    /// The contract's number.
    pub contract_number: String,
    /// The host's name.
    pub host_name: String,
    /// The principal investigator.
    pub pi_name: String,
    /// The organisation applying them.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// Its address.
    pub org_address: Option<String>,
    /// Where.
    pub place: Option<String>,
    /// Since.
    pub from_on: NaiveDate,
    /// Scale.
    pub scale: Option<String>,
    /// Effects.
    pub effects: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

const USES: &str = "SELECT u.id, u.contract_id, c.title, r.number, r.registered_on, c.number AS contract_number, \
     h.name AS host_name, c.pi_name, u.org_id, \
     o.name AS org_name, o.address AS org_address, u.place, u.from_on, u.scale, u.effects, c.is_sample \
     FROM st_result_uses u JOIN st_contracts c ON c.id = u.contract_id JOIN organizations h ON h.id = c.host_org_id \
     JOIN organizations o ON o.id = u.org_id LEFT JOIN st_results r ON r.contract_id = u.contract_id";

/// Records an application; its id.
pub async fn add_use(ex: &impl Exec, contract_id: i64, u: &Use, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO st_result_uses (contract_id, org_id, place, from_on, scale, effects, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(contract_id)
            .bind(u.org_id)
            .bind(u.place.clone())
            .bind(u.from_on)
            .bind(u.scale.clone())
            .bind(&u.effects)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// The applications of a contract's results.
pub async fn uses_of(ex: &impl Exec, contract_id: i64) -> Result<Vec<UseRow>, DbError> {
    ex.fetch_all(Query::new(format!("{USES} WHERE u.contract_id = $1 ORDER BY u.from_on, u.id")).bind(contract_id))
        .await
}

/// The results an organisation applies (its page's list).
pub async fn uses_by(ex: &impl Exec, org_id: i64) -> Result<Vec<UseRow>, DbError> {
    ex.fetch_all(Query::new(format!("{USES} WHERE u.org_id = $1 ORDER BY u.from_on DESC, u.id")).bind(org_id)).await
}

/// Every application (form 12's rows), the latest first.
pub async fn all_uses(ex: &impl Exec) -> Result<Vec<UseRow>, DbError> {
    ex.fetch_all(Query::new(format!("{USES} ORDER BY u.from_on DESC, u.id"))).await
}

/// The grade of every contract evaluated: (contract id, grade's code).
pub async fn grades(ex: &impl Exec) -> Result<Vec<(i64, String)>, DbError> {
    ex.fetch_all(Query::new("SELECT contract_id, grade FROM st_acceptances WHERE grade IS NOT NULL")).await
}
