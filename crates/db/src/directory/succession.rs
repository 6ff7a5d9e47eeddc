//! Successions of organisations: on 1/7/2025 UBND thị xã Quảng Yên ended and the UBND of its six new wards
//! took over. The old organisation ends (`valid_to`), its successors are recorded (one of them by default,
//! `successor_id`), and what it owned can move to the default successor. The use case
//! (`tiendo_app::directory`) records an audit event for every record changed, from what [`Succession`]
//! says moved.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::directory::FieldIssue;

use super::{DirectoryError, OrgRef, Organization, organization};
use crate::error::DbError;
use crate::pool::Tx;
use crate::query::{Exec, Query};

/// A succession to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessionPlan {
    /// The old organisation's first day no longer in existence, and its successors' first day in charge.
    pub effective: NaiveDate,
    /// The successors (at least one).
    pub successors: Vec<i64>,
    /// The successor that takes over what the old organisation owned (one of `successors`).
    pub default_successor: i64,
    /// Move the organisations under the old one (still in existence on `effective`) under the default
    /// successor.
    pub move_children: bool,
    /// End the roles held in the old organisation on `effective` and open the same roles in the default
    /// successor from that day.
    pub move_affiliations: bool,
}

/// What moved to the default successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Moved {
    /// Organisations now under the successor.
    pub children: usize,
    /// Roles ended in the old organisation and opened in the successor.
    pub affiliations: usize,
}

/// A succession as recorded: the organisation as it was, and what moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    /// The organisation before it ended.
    pub old: Organization,
    /// The successors' names, in the plan's order.
    pub successor_names: Vec<String>,
    /// The default successor's name.
    pub default_name: String,
    /// The organisations moved under the default successor.
    pub moved_children: Vec<i64>,
    /// The roles moved to the default successor: (person, role).
    pub moved_affiliations: Vec<(i64, String)>,
}

impl Succession {
    /// How many records moved.
    pub fn moved(&self) -> Moved {
        Moved { children: self.moved_children.len(), affiliations: self.moved_affiliations.len() }
    }
}

/// One link of an organisation's succession, seen from one end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSuccession {
    /// The organisation at the other end.
    pub other: OrgRef,
    /// The day the succession took effect.
    pub effective: NaiveDate,
    /// Whether the successor is the default one.
    pub is_default: bool,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: i64,
    name: String,
    effective: NaiveDate,
    is_default: bool,
}

/// An organisation's successors and predecessors, each in Vietnamese order.
pub async fn successions_of(ex: &impl Exec, id: i64) -> Result<(Vec<OrgSuccession>, Vec<OrgSuccession>), DbError> {
    let fetch = |sql: &'static str| async move {
        let rows: Vec<LinkRow> = ex.fetch_all(Query::new(sql).bind(id)).await?;
        Ok::<_, DbError>(
            rows.into_iter()
                .map(|r| OrgSuccession {
                    other: OrgRef { id: r.id, name: r.name },
                    effective: r.effective,
                    is_default: r.is_default,
                })
                .collect::<Vec<_>>(),
        )
    };
    let successors = fetch(
        "SELECT o.id, o.name, s.effective, s.is_default FROM organization_successions s \
         JOIN organizations o ON o.id = s.to_id WHERE s.from_id = $1 ORDER BY o.sort_key, o.id",
    )
    .await?;
    let predecessors = fetch(
        "SELECT o.id, o.name, s.effective, s.is_default FROM organization_successions s \
         JOIN organizations o ON o.id = s.from_id WHERE s.to_id = $1 ORDER BY o.sort_key, o.id",
    )
    .await?;
    Ok((successors, predecessors))
}

/// Records that organisation `from` ended on `plan.effective` and was succeeded by `plan.successors`, and
/// moves what it owned to the default successor as the plan says. Refused, with the field at fault, when
/// the organisation already has successors or ended on another day, a successor is unknown, itself, or not
/// in existence on the effective date, or the default is not among the successors.
///
/// What moves today: the organisations under it and the roles held in it. Role grants (who may act for
/// the organisation) are not moved: access changes are an administrator's decision.
pub async fn record_succession(
    tx: &Tx,
    from: i64,
    plan: &SuccessionPlan,
    now: DateTime<Utc>,
) -> Result<Succession, DirectoryError> {
    let Some(old) = organization(tx, from).await? else {
        return Err(DirectoryError::NotFound);
    };
    let mut issues = Vec::new();
    let (has_successors, _) = successions_of(tx, from).await?;
    if old.successor.is_some() || !has_successors.is_empty() {
        issues.push(FieldIssue::new("successors", "already_succeeded"));
    } else if let Some(to) = old.valid_to.filter(|to| *to != plan.effective) {
        // It was already given another end: the succession must start the day it ended.
        issues.push(FieldIssue::new("effective", "ends_on_another_day").arg("date", tiendo_core::fmt::date(to)));
    }
    if old.valid_from.is_some_and(|f| plan.effective <= f) {
        issues.push(FieldIssue::new("effective", "date_order"));
    }
    if plan.successors.is_empty() {
        issues.push(FieldIssue::new("successors", "required"));
    }
    let mut successor_names = Vec::new();
    for id in &plan.successors {
        match organization(tx, *id).await? {
            _ if *id == from => issues.push(FieldIssue::new("successors", "succeeds_itself")),
            None => issues.push(FieldIssue::new("successors", "unknown_organization").arg("id", id)),
            Some(s) if !s.in_force_on(plan.effective) => {
                issues.push(FieldIssue::new("successors", "successor_not_in_force").arg("name", &s.name));
            }
            Some(s) => successor_names.push(s.name),
        }
    }
    if !plan.successors.contains(&plan.default_successor) {
        issues.push(FieldIssue::new("default_successor", "default_not_a_successor"));
    }
    if !issues.is_empty() {
        return Err(DirectoryError::Invalid(issues));
    }
    let default_name = organization(tx, plan.default_successor).await?.map(|o| o.name).unwrap_or_default();

    tx.execute(
        Query::new("UPDATE organizations SET valid_to = $1, successor_id = $2, updated_at = $3 WHERE id = $4")
            .bind(plan.effective)
            .bind(plan.default_successor)
            .bind(now)
            .bind(from),
    )
    .await?;
    for id in &plan.successors {
        tx.execute(
            Query::new(
                "INSERT INTO organization_successions (from_id, to_id, effective, is_default, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(from)
            .bind(*id)
            .bind(plan.effective)
            .bind(*id == plan.default_successor)
            .bind(now),
        )
        .await?;
    }

    let mut moved_children = Vec::new();
    if plan.move_children {
        let children: Vec<(i64,)> = tx
            .fetch_all(
                Query::new(
                    "SELECT id FROM organizations WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2) \
                     ORDER BY id",
                )
                .bind(from)
                .bind(plan.effective),
            )
            .await?;
        for (child,) in children {
            tx.execute(
                Query::new("UPDATE organizations SET parent_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(plan.default_successor)
                    .bind(now)
                    .bind(child),
            )
            .await?;
            moved_children.push(child);
        }
    }
    let mut moved_affiliations = Vec::new();
    if plan.move_affiliations {
        let open: Vec<(i64, i64, String)> = tx
            .fetch_all(
                Query::new(
                    "SELECT id, person_id, role FROM affiliations WHERE organization_id = $1 \
                     AND (valid_to IS NULL OR valid_to > $2) AND (valid_from IS NULL OR valid_from < $2) ORDER BY id",
                )
                .bind(from)
                .bind(plan.effective),
            )
            .await?;
        for (id, person, role) in open {
            tx.execute(Query::new("UPDATE affiliations SET valid_to = $1 WHERE id = $2").bind(plan.effective).bind(id))
                .await?;
            tx.execute(
                Query::new(
                    "INSERT INTO affiliations (person_id, organization_id, role, valid_from) VALUES ($1, $2, $3, $4)",
                )
                .bind(person)
                .bind(plan.default_successor)
                .bind(role.as_str())
                .bind(plan.effective),
            )
            .await?;
            moved_affiliations.push((person, role));
        }
    }
    Ok(Succession { old, successor_names, default_name, moved_children, moved_affiliations })
}
