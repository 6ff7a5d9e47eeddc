//! Organisations: create, read, update, list.

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::directory::{FieldIssue, OrgKind, OrganizationFields, TaxCode};
use tiendo_core::geo::{AdminUnit, AdminUnitCode};
use tiendo_core::text::{fold, sort_key};

use super::{DirectoryError, Listed, Page, like_escape};
use crate::audit::{Change, Diff};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// An organisation named by another record: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRef {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// An organisation (cơ quan, đơn vị).
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    /// Row id.
    pub id: i64,
    /// Its kind.
    pub kind: OrgKind,
    /// Full name.
    pub name: String,
    /// The abbreviation used in document symbols.
    pub abbreviation: Option<String>,
    /// The organisation it belongs to.
    pub parent: Option<OrgRef>,
    /// The administrative unit its address names, with that unit's validity (an address written before
    /// 1/7/2025 names a unit of the old map; what it is today follows from the unit's successions).
    pub unit: Option<AdminUnit>,
    /// The address as written.
    pub address: Option<String>,
    /// The part of the address below the unit ("thôn 3").
    pub address_detail: Option<String>,
    /// Tax code.
    pub tax_code: Option<TaxCode>,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer in existence.
    pub valid_to: Option<NaiveDate>,
    /// The successor that took over what it owned, once it ended.
    pub successor: Option<OrgRef>,
    /// Invented for the demo: shown as sample data.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Organization {
    /// Whether it exists on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        super::in_period(self.valid_from, self.valid_to, day)
    }
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    kind: String,
    name: String,
    abbreviation: Option<String>,
    parent_id: Option<i64>,
    parent_name: Option<String>,
    address: Option<String>,
    address_detail: Option<String>,
    tax_code: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    successor_id: Option<i64>,
    successor_name: Option<String>,
    is_sample: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    u_code: Option<String>,
    u_kind: Option<String>,
    u_name: Option<String>,
    u_parent_code: Option<String>,
    u_valid_from: Option<NaiveDate>,
    u_valid_to: Option<NaiveDate>,
    u_legal_basis: Option<String>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("organization {what}: {e}"))
}

impl OrgRow {
    fn into_org(self) -> Result<Organization, DbError> {
        let unit = match (self.u_code, self.u_kind, self.u_name) {
            (Some(code), Some(kind), Some(name)) => Some(AdminUnit {
                code: AdminUnitCode::parse(&code).map_err(|e| corrupt("unit code", e))?,
                kind: kind.parse().map_err(|e| corrupt("unit kind", e))?,
                name,
                parent_code: self
                    .u_parent_code
                    .as_deref()
                    .map(AdminUnitCode::parse)
                    .transpose()
                    .map_err(|e| corrupt("unit parent", e))?,
                valid_from: self.u_valid_from,
                valid_to: self.u_valid_to,
                legal_basis: self.u_legal_basis,
            }),
            _ => None,
        };
        Ok(Organization {
            id: self.id,
            kind: self.kind.parse().map_err(|e| corrupt("kind", e))?,
            name: self.name,
            abbreviation: self.abbreviation,
            parent: self.parent_id.zip(self.parent_name).map(|(id, name)| OrgRef { id, name }),
            unit,
            address: self.address,
            address_detail: self.address_detail,
            tax_code: self.tax_code.as_deref().map(TaxCode::parse).transpose().map_err(|e| corrupt("tax code", e))?,
            phone: self.phone,
            email: self.email,
            website: self.website,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            successor: self.successor_id.zip(self.successor_name).map(|(id, name)| OrgRef { id, name }),
            is_sample: self.is_sample,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const SELECT: &str = "SELECT o.id, o.kind, o.name, o.abbreviation, o.parent_id, p.name AS parent_name, o.address, \
     o.address_detail, o.tax_code, o.phone, o.email, o.website, o.valid_from, o.valid_to, o.successor_id, \
     s.name AS successor_name, o.is_sample, o.created_at, o.updated_at, u.code AS u_code, u.kind AS u_kind, \
     u.name AS u_name, u.parent_code AS u_parent_code, u.valid_from AS u_valid_from, u.valid_to AS u_valid_to, \
     u.legal_basis AS u_legal_basis \
     FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id \
     LEFT JOIN organizations s ON s.id = o.successor_id LEFT JOIN admin_units u ON u.id = o.admin_unit_id";

/// One organisation.
pub async fn organization(ex: &impl Exec, id: i64) -> Result<Option<Organization>, DbError> {
    let row: Option<OrgRow> = ex.fetch_optional(Query::new(format!("{SELECT} WHERE o.id = $1")).bind(id)).await?;
    row.map(OrgRow::into_org).transpose()
}

/// The organisation with exactly this name (the one still in force first), for wiring that knows
/// organisations by name (the demo's accounts).
pub async fn organization_by_name(ex: &impl Exec, name: &str) -> Result<Option<Organization>, DbError> {
    let row: Option<OrgRow> = ex
        .fetch_optional(
            Query::new(format!(
                "{SELECT} WHERE o.name = $1 ORDER BY CASE WHEN o.valid_to IS NULL THEN 0 ELSE 1 END, o.id LIMIT 1"
            ))
            .bind(name),
        )
        .await?;
    row.map(OrgRow::into_org).transpose()
}

/// Which organisations to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgFilter {
    /// Text in the name, ignoring case and diacritics; digits also match the start of the tax code.
    pub q: Option<String>,
    /// Only this kind.
    pub kind: Option<OrgKind>,
    /// Only the organisations directly under this one.
    pub parent_id: Option<i64>,
    /// Only organisations located in this unit, in a unit under it, or in a unit that became it (through a
    /// default succession): filtering by phường Hà An finds an enterprise registered at xã Hoàng Tân.
    pub unit: Option<AdminUnit>,
    /// Only organisations in existence on this day.
    pub active_on: Option<NaiveDate>,
}

/// The recursive query of the units a unit filter covers: the unit, the units under it, and the units
/// whose default successor it is, transitively. One recursive reference, so both databases accept it.
const AREA: &str = "WITH RECURSIVE area (id) AS ( SELECT $1 UNION \
     SELECT e.child FROM ( \
       SELECT s.to_id AS parent, s.from_id AS child FROM admin_unit_successions s WHERE s.is_default \
       UNION ALL SELECT u.parent_id AS parent, u.id AS child FROM admin_units u WHERE u.parent_id IS NOT NULL \
     ) e JOIN area ON e.parent = area.id ) ";

async fn filtered(ex: &impl Exec, head: &str, filter: &OrgFilter) -> Result<Query, DbError> {
    let mut q = match &filter.unit {
        Some(unit) => {
            let id = crate::geo::id_of(ex, unit).await?;
            let mut q = Query::new(AREA).bind(id);
            q.push(head);
            q.push(" WHERE o.admin_unit_id IN (SELECT id FROM area)");
            q
        }
        None => {
            let mut q = Query::new(head.to_owned());
            q.push(" WHERE 1 = 1");
            q
        }
    };
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q.push(" AND (o.name_folded LIKE ").push_bind(format!("%{}%", like_escape(&fold(text))));
        q.push(" ESCAPE '\\'");
        if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            q.push(" OR o.tax_code LIKE ").push_bind(format!("{text}%"));
        }
        q.push(")");
    }
    if let Some(kind) = filter.kind {
        q.push(" AND o.kind = ").push_bind(kind.as_str());
    }
    if let Some(parent) = filter.parent_id {
        q.push(" AND o.parent_id = ").push_bind(parent);
    }
    if let Some(day) = filter.active_on {
        q.push(" AND (o.valid_from IS NULL OR o.valid_from <= ").push_bind(day);
        q.push(") AND (o.valid_to IS NULL OR o.valid_to > ").push_bind(day);
        q.push(")");
    }
    Ok(q)
}

/// The organisations matching the filter, in Vietnamese alphabetical order of their names, one page, with
/// the total.
pub async fn list_organizations(
    ex: &impl Exec,
    filter: &OrgFilter,
    page: Page,
) -> Result<Listed<Organization>, DbError> {
    let (total,): (i64,) = ex.fetch_one(filtered(ex, "SELECT COUNT(*) FROM organizations o", filter).await?).await?;
    let mut q = filtered(ex, SELECT, filter).await?;
    q.push(" ORDER BY o.sort_key, o.id LIMIT ").push_bind(page.limit.max(1));
    q.push(" OFFSET ").push_bind(page.offset.max(0));
    let rows: Vec<OrgRow> = ex.fetch_all(q).await?;
    Ok(Listed { items: rows.into_iter().map(OrgRow::into_org).collect::<Result<_, _>>()?, total })
}

/// The codes of the provinces where organisations are located (by the units their addresses name), for
/// the unit filter of the directory.
pub async fn provinces_with_organizations(ex: &impl Exec) -> Result<Vec<AdminUnitCode>, DbError> {
    let rows: Vec<(String,)> = ex
        .fetch_all(Query::new(
            "SELECT DISTINCT u.province_code FROM organizations o JOIN admin_units u ON u.id = o.admin_unit_id \
             ORDER BY 1",
        ))
        .await?;
    rows.into_iter().map(|(c,)| AdminUnitCode::parse(&c).map_err(|e| corrupt("province code", e))).collect()
}

/// The organisations directly under one, in Vietnamese order (at most 500).
pub async fn children(ex: &impl Exec, id: i64) -> Result<Vec<Organization>, DbError> {
    let filter = OrgFilter { parent_id: Some(id), ..OrgFilter::default() };
    Ok(list_organizations(ex, &filter, Page::first(500)).await?.items)
}

/// Where an organisation is on the map: the unit its address names, and the part of the address below it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPlace {
    /// The unit (found by its code and start).
    pub unit: AdminUnit,
    /// The part of the address below the unit ("thôn 3").
    pub detail: Option<String>,
}

/// What is stored for an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationRecord {
    /// The validated fields.
    pub fields: OrganizationFields,
    /// The unit its address names, when resolved.
    pub place: Option<UnitPlace>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Checks what needs the database: the parent exists and is not the organisation itself or under it; the
/// tax code is not another organisation's.
async fn check(ex: &impl Exec, id: Option<i64>, fields: &OrganizationFields) -> Result<(), DirectoryError> {
    let mut issues = Vec::new();
    if let Some(parent) = fields.parent_id {
        let path = crate::orgtree::path(ex, parent).await?;
        if path.is_empty() {
            issues.push(FieldIssue::new("parent_id", "unknown_organization"));
        } else if id.is_some_and(|id| path.contains(&id)) {
            issues.push(FieldIssue::new("parent_id", "parent_cycle"));
        }
    }
    if let Some(tax_code) = &fields.tax_code {
        let taken: Option<(i64,)> = ex
            .fetch_optional(
                Query::new("SELECT id FROM organizations WHERE tax_code = $1 AND id <> $2")
                    .bind(tax_code.as_str())
                    .bind(id.unwrap_or(0)),
            )
            .await?;
        if taken.is_some() {
            issues.push(FieldIssue::new("tax_code", "tax_code_taken"));
        }
    }
    if issues.is_empty() { Ok(()) } else { Err(DirectoryError::Invalid(issues)) }
}

async fn unit_id(ex: &impl Exec, place: Option<&UnitPlace>) -> Result<Option<i64>, DbError> {
    match place {
        Some(p) => Ok(Some(crate::geo::id_of(ex, &p.unit).await?)),
        None => Ok(None),
    }
}

fn taken(err: DbError) -> DirectoryError {
    if err.is_unique_violation_of("tax_code") {
        DirectoryError::field("tax_code", "tax_code_taken")
    } else {
        DirectoryError::Db(err)
    }
}

/// Creates an organisation; returns its id.
pub async fn create_organization(
    ex: &impl Exec,
    record: &OrganizationRecord,
    now: DateTime<Utc>,
) -> Result<i64, DirectoryError> {
    let f = &record.fields;
    check(ex, None, f).await?;
    let unit = unit_id(ex, record.place.as_ref()).await?;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO organizations (kind, name, name_folded, sort_key, abbreviation, parent_id, admin_unit_id, \
                 address, address_detail, tax_code, phone, email, website, valid_from, valid_to, is_sample, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
                 RETURNING id",
            )
            .bind(f.kind.as_str())
            .bind(f.name.as_str())
            .bind(fold(&f.name))
            .bind(sort_key(&f.name))
            .bind(f.abbreviation.clone())
            .bind(f.parent_id)
            .bind(unit)
            .bind(f.address.clone())
            .bind(record.place.as_ref().and_then(|p| p.detail.clone()))
            .bind(f.tax_code.as_ref().map(|t| t.as_str()))
            .bind(f.phone.clone())
            .bind(f.email.clone())
            .bind(f.website.clone())
            .bind(f.valid_from)
            .bind(f.valid_to)
            .bind(record.is_sample)
            .bind(now),
        )
        .await
        .map_err(taken)?;
    Ok(id)
}

/// Replaces an organisation's fields (its successions are recorded separately).
pub async fn update_organization(
    ex: &impl Exec,
    id: i64,
    record: &OrganizationRecord,
    now: DateTime<Utc>,
) -> Result<(), DirectoryError> {
    let f = &record.fields;
    let exists: Option<(i64,)> =
        ex.fetch_optional(Query::new("SELECT id FROM organizations WHERE id = $1").bind(id)).await?;
    if exists.is_none() {
        return Err(DirectoryError::NotFound);
    }
    check(ex, Some(id), f).await?;
    let unit = unit_id(ex, record.place.as_ref()).await?;
    ex.execute(
        Query::new(
            "UPDATE organizations SET kind = $1, name = $2, name_folded = $3, sort_key = $4, abbreviation = $5, \
             parent_id = $6, admin_unit_id = $7, address = $8, address_detail = $9, tax_code = $10, phone = $11, \
             email = $12, website = $13, valid_from = $14, valid_to = $15, is_sample = $16, updated_at = $17 \
             WHERE id = $18",
        )
        .bind(f.kind.as_str())
        .bind(f.name.as_str())
        .bind(fold(&f.name))
        .bind(sort_key(&f.name))
        .bind(f.abbreviation.clone())
        .bind(f.parent_id)
        .bind(unit)
        .bind(f.address.clone())
        .bind(record.place.as_ref().and_then(|p| p.detail.clone()))
        .bind(f.tax_code.as_ref().map(|t| t.as_str()))
        .bind(f.phone.clone())
        .bind(f.email.clone())
        .bind(f.website.clone())
        .bind(f.valid_from)
        .bind(f.valid_to)
        .bind(record.is_sample)
        .bind(now)
        .bind(id),
    )
    .await
    .map_err(taken)?;
    Ok(())
}

/// A unit as the audit trail records it: "Phường Hoành Bồ (07030, từ 01/07/2025)".
fn unit_label(unit: &AdminUnit) -> String {
    match unit.valid_from {
        Some(from) => format!("{} ({}, từ {})", unit.full_name(), unit.code, tiendo_core::fmt::date(from)),
        None => format!("{} ({})", unit.full_name(), unit.code),
    }
}

/// The fields that differ between two versions of an organisation (all set fields for a new one), for
/// the audit trail.
pub fn diff_organizations(before: Option<&Organization>, after: &Organization) -> Vec<Change> {
    let mut d = Diff::new();
    let b = before;
    let s = |v: Option<&String>| v.cloned();
    d.field("kind", &b.map(|o| o.kind.as_str()), &Some(after.kind.as_str()));
    d.field("name", &b.map(|o| o.name.clone()), &Some(after.name.clone()));
    d.field("abbreviation", &b.and_then(|o| s(o.abbreviation.as_ref())), &after.abbreviation);
    d.field(
        "parent",
        &b.and_then(|o| o.parent.as_ref().map(|p| p.name.clone())),
        &after.parent.as_ref().map(|p| p.name.clone()),
    );
    d.field("address", &b.and_then(|o| s(o.address.as_ref())), &after.address);
    d.field("address_detail", &b.and_then(|o| s(o.address_detail.as_ref())), &after.address_detail);
    d.field("admin_unit", &b.and_then(|o| o.unit.as_ref().map(unit_label)), &after.unit.as_ref().map(unit_label));
    d.field(
        "tax_code",
        &b.and_then(|o| o.tax_code.as_ref().map(|t| t.to_string())),
        &after.tax_code.as_ref().map(|t| t.to_string()),
    );
    d.field("phone", &b.and_then(|o| s(o.phone.as_ref())), &after.phone);
    d.field("email", &b.and_then(|o| s(o.email.as_ref())), &after.email);
    d.field("website", &b.and_then(|o| s(o.website.as_ref())), &after.website);
    d.field("valid_from", &b.and_then(|o| o.valid_from), &after.valid_from);
    d.field("valid_to", &b.and_then(|o| o.valid_to), &after.valid_to);
    d.field("is_sample", &b.map(|o| o.is_sample), &Some(after.is_sample));
    d.into_changes()
}
