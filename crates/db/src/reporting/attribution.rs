//! Where a report counts: the administrative unit the organisation stood in at the period's end (kept on
//! the report: the original attribution), and the units of today's map that unit's values go to.
//!
//! A unit still in force counts for itself. An old unit's values go by the shares an administrator
//! configured for it; without them, wholly to its default successor on the official map; a district (whose
//! communes went to several units, so that the map names no single successor) goes wholly to the successor
//! that bears its name (thị xã Quảng Yên → phường Quảng Yên), or else in equal parts to every successor.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::geo::{AdminUnit, AdminUnitCode};

use crate::error::DbError;
use crate::query::{Exec, Query};

/// A unit with what attribution records of it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UnitRef {
    /// Code.
    pub code: String,
    /// Full name ("Phường Quảng Yên").
    pub name: String,
    /// Its province's code.
    pub province_code: String,
}

/// The unit an organisation stood in on `day`: the unit of its address, as it was on that day (the same
/// code may name an older unit), or the unit itself when the code did not exist then.
pub async fn reported_unit(ex: &impl Exec, org_id: i64, day: NaiveDate) -> Result<Option<UnitRef>, DbError> {
    let own: Option<(i64, String)> = ex
        .fetch_optional(
            Query::new(
                "SELECT u.id, u.code FROM organizations o JOIN admin_units u ON u.id = o.admin_unit_id WHERE o.id = $1",
            )
            .bind(org_id),
        )
        .await?;
    let Some((unit_id, code)) = own else { return Ok(None) };
    let then: Option<UnitRef> = ex
        .fetch_optional(
            Query::new(
                "SELECT code, full_name AS name, province_code FROM admin_units WHERE code = $1 \
                 AND (valid_from IS NULL OR valid_from <= $2) AND (valid_to IS NULL OR valid_to > $2)",
            )
            .bind(code.as_str())
            .bind(day),
        )
        .await?;
    match then {
        Some(unit) => Ok(Some(unit)),
        None => {
            ex.fetch_optional(
                Query::new("SELECT code, full_name AS name, province_code FROM admin_units WHERE id = $1")
                    .bind(unit_id),
            )
            .await
        }
    }
}

/// A unit of today's map that receives a part of a report's values.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Target {
    /// The unit's code.
    pub unit_code: String,
    /// Its full name.
    pub unit_name: String,
    /// Its province's code.
    pub province_code: String,
    /// The part of additive values it receives (0–1].
    pub share: f64,
}

/// A configured share.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ShareRow {
    /// The old unit's code.
    pub from_code: String,
    /// The unit of today that receives a part.
    pub to_code: String,
    /// The part, (0–1].
    pub share: f64,
}

/// Every configured share, by old unit then new unit.
pub async fn shares(ex: &impl Exec) -> Result<Vec<ShareRow>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT from_code, to_code, share FROM report_attribution_shares ORDER BY from_code, to_code",
    ))
    .await
}

/// Replaces the shares of an old unit (none: back to the default successor). The caller checks that they
/// add up to one and name units of today.
pub async fn set_shares(
    ex: &impl Exec,
    from_code: &str,
    shares: &[(String, f64)],
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM report_attribution_shares WHERE from_code = $1").bind(from_code)).await?;
    for (to, share) in shares {
        ex.execute(
            Query::new(
                "INSERT INTO report_attribution_shares (from_code, to_code, share, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(from_code)
            .bind(to.as_str())
            .bind(*share)
            .bind(by)
            .bind(now),
        )
        .await?;
    }
    Ok(())
}

/// Resolves units to their targets on today's map, remembering what it looked up (a rebuild asks for the
/// same units many times).
pub struct Resolver {
    today: NaiveDate,
    shares: HashMap<String, Vec<(String, f64)>>,
    versions: HashMap<String, Vec<AdminUnit>>,
    provinces: HashMap<(String, Option<NaiveDate>), String>,
    targets: HashMap<(String, Option<NaiveDate>), Vec<Target>>,
}

impl Resolver {
    /// A resolver for the map in force on `today`, with the configured shares.
    pub async fn new(ex: &impl Exec, today: NaiveDate) -> Result<Resolver, DbError> {
        let mut by_unit: HashMap<String, Vec<(String, f64)>> = HashMap::new();
        for row in shares(ex).await? {
            by_unit.entry(row.from_code).or_default().push((row.to_code, row.share));
        }
        Ok(Resolver {
            today,
            shares: by_unit,
            versions: HashMap::new(),
            provinces: HashMap::new(),
            targets: HashMap::new(),
        })
    }

    async fn versions(&mut self, ex: &impl Exec, code: &str) -> Result<Vec<AdminUnit>, DbError> {
        if let Some(found) = self.versions.get(code) {
            return Ok(found.clone());
        }
        let found = match AdminUnitCode::parse(code) {
            Ok(parsed) => crate::geo::unit_versions(ex, &parsed).await?,
            Err(_) => Vec::new(),
        };
        self.versions.insert(code.to_owned(), found.clone());
        Ok(found)
    }

    async fn province_of(&mut self, ex: &impl Exec, unit: &AdminUnit) -> Result<String, DbError> {
        let key = (unit.code.as_str().to_owned(), unit.valid_from);
        if let Some(p) = self.provinces.get(&key) {
            return Ok(p.clone());
        }
        let (province,): (String,) = ex
            .fetch_one(
                Query::new(
                    "SELECT province_code FROM admin_units WHERE code = $1 AND valid_from IS NOT DISTINCT FROM $2",
                )
                .bind(unit.code.as_str())
                .bind(unit.valid_from),
            )
            .await?;
        self.provinces.insert(key, province.clone());
        Ok(province)
    }

    async fn target(&mut self, ex: &impl Exec, unit: &AdminUnit, share: f64) -> Result<Target, DbError> {
        Ok(Target {
            unit_code: unit.code.as_str().to_owned(),
            unit_name: unit.full_name(),
            province_code: self.province_of(ex, unit).await?,
            share,
        })
    }

    /// The units of today that the values of unit `code`, as it was on `day`, go to. Empty when the code
    /// is unknown or the unit has no successor in force.
    pub async fn targets(&mut self, ex: &impl Exec, code: &str, day: NaiveDate) -> Result<Vec<Target>, DbError> {
        let versions = self.versions(ex, code).await?;
        let Some(unit) = versions.iter().find(|u| u.in_force_on(day)).or(versions.last()).cloned() else {
            return Ok(Vec::new());
        };
        let key = (code.to_owned(), unit.valid_from);
        if let Some(found) = self.targets.get(&key) {
            return Ok(found.clone());
        }
        let found = self.resolve(ex, &unit).await?;
        self.targets.insert(key, found.clone());
        Ok(found)
    }

    async fn resolve(&mut self, ex: &impl Exec, unit: &AdminUnit) -> Result<Vec<Target>, DbError> {
        let today = self.today;
        if unit.in_force_on(today) {
            return Ok(vec![self.target(ex, unit, 1.0).await?]);
        }
        if let Some(configured) = self.shares.get(unit.code.as_str()).cloned() {
            let mut out = Vec::new();
            for (to, share) in configured {
                let versions = self.versions(ex, &to).await?;
                if let Some(successor) = versions.iter().find(|u| u.in_force_on(today)).cloned() {
                    out.push(self.target(ex, &successor, share).await?);
                }
            }
            if !out.is_empty() {
                return Ok(out);
            }
        }
        let current = crate::geo::current_units(ex, unit, today).await?;
        if let Some(default) = current.default {
            return Ok(vec![self.target(ex, &default, 1.0).await?]);
        }
        if let Some(same_name) = current.all.iter().find(|u| u.name == unit.name).cloned() {
            return Ok(vec![self.target(ex, &same_name, 1.0).await?]);
        }
        let n = current.all.len();
        let mut out = Vec::new();
        for successor in &current.all {
            out.push(self.target(ex, successor, 1.0 / n as f64).await?);
        }
        Ok(out)
    }
}

/// Records where an approved report counts on today's map.
pub async fn record(ex: &impl Exec, report_id: i64, targets: &[Target]) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM report_attributions WHERE report_id = $1").bind(report_id)).await?;
    for t in targets {
        ex.execute(
            Query::new(
                "INSERT INTO report_attributions (report_id, unit_code, unit_name, province_code, share) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(report_id)
            .bind(t.unit_code.as_str())
            .bind(t.unit_name.as_str())
            .bind(t.province_code.as_str())
            .bind(t.share),
        )
        .await?;
    }
    Ok(())
}

/// Where an approved report counts on today's map, as recorded when it was approved.
pub async fn recorded(ex: &impl Exec, report_id: i64) -> Result<Vec<Target>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT unit_code, unit_name, province_code, share FROM report_attributions WHERE report_id = $1 \
             ORDER BY unit_code",
        )
        .bind(report_id),
    )
    .await
}

/// The attributions of several reports, by report.
pub async fn recorded_for(ex: &impl Exec, report_ids: &[i64]) -> Result<HashMap<i64, Vec<Target>>, DbError> {
    let mut out: HashMap<i64, Vec<Target>> = HashMap::new();
    for chunk in report_ids.chunks(500) {
        let mut q = Query::new(
            "SELECT report_id, unit_code, unit_name, province_code, share FROM report_attributions WHERE report_id IN (",
        );
        super::push_ids(&mut q, chunk);
        q.push(") ORDER BY report_id, unit_code");
        let rows: Vec<AttributionRow> = ex.fetch_all(q).await?;
        for r in rows {
            out.entry(r.report_id).or_default().push(Target {
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                province_code: r.province_code,
                share: r.share,
            });
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AttributionRow {
    report_id: i64,
    unit_code: String,
    unit_name: String,
    province_code: String,
    share: f64,
}
