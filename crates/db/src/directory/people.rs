//! People and their affiliations (a person's time-bounded role in an organisation).

use chrono::{DateTime, NaiveDate, Utc};
use tiendo_core::directory::{AffiliationFields, FieldIssue, Honorific, PersonFields};
use tiendo_core::text::{fold, sort_key};

use super::{DirectoryError, Listed, Page, like_escape};
use crate::audit::{Change, Diff};
use crate::error::DbError;
use crate::query::{Exec, Query};

/// A person (người): an official, a scientist, an enterprise's representative.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Row id.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Academic title and degree ("PGS.TS.").
    pub honorific: Honorific,
    /// Position ("Viện trưởng").
    pub position: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fields of expertise.
    pub expertise: Vec<String>,
    /// Invented for the demo: shown as sample data.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Person {
    /// The name with its title: "TS. Nguyễn Đắc Bình Minh".
    pub fn display_name(&self) -> String {
        self.honorific.before(&self.full_name)
    }
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    full_name: String,
    title: Option<String>,
    position: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    expertise: Option<String>,
    is_sample: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl PersonRow {
    fn into_person(self) -> Result<Person, DbError> {
        let honorific = Honorific::parse(self.title.as_deref().unwrap_or_default())
            .map_err(|e| DbError::Corrupt(format!("person title: {e}")))?;
        Ok(Person {
            id: self.id,
            full_name: self.full_name,
            honorific,
            position: self.position,
            email: self.email,
            phone: self.phone,
            expertise: self
                .expertise
                .map(|e| e.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            is_sample: self.is_sample,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const PERSON_COLUMNS: &str =
    "p.id, p.full_name, p.title, p.position, p.email, p.phone, p.expertise, p.is_sample, p.created_at, p.updated_at";

/// One person.
pub async fn person(ex: &impl Exec, id: i64) -> Result<Option<Person>, DbError> {
    let row: Option<PersonRow> = ex
        .fetch_optional(Query::new(format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = $1")).bind(id))
        .await?;
    row.map(PersonRow::into_person).transpose()
}

/// What is stored for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    /// The validated fields.
    pub fields: PersonFields,
    /// Invented for the demo.
    pub is_sample: bool,
}

fn title_column(h: &Honorific) -> Option<String> {
    (!h.is_empty()).then(|| h.abbreviation())
}

fn expertise_column(e: &[String]) -> Option<String> {
    (!e.is_empty()).then(|| e.join("\n"))
}

/// Creates a person; returns the id.
pub async fn create_person(ex: &impl Exec, record: &PersonRecord, now: DateTime<Utc>) -> Result<i64, DbError> {
    let f = &record.fields;
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO people (full_name, name_folded, sort_key, title, position, email, phone, expertise, \
                 is_sample, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(f.full_name.as_str())
            .bind(fold(&f.full_name))
            .bind(person_sort_key(&f.full_name))
            .bind(title_column(&f.honorific))
            .bind(f.position.clone())
            .bind(f.email.clone())
            .bind(f.phone.clone())
            .bind(expertise_column(&f.expertise))
            .bind(record.is_sample)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Replaces a person's fields.
pub async fn update_person(
    ex: &impl Exec,
    id: i64,
    record: &PersonRecord,
    now: DateTime<Utc>,
) -> Result<(), DirectoryError> {
    let f = &record.fields;
    let changed = ex
        .execute(
            Query::new(
                "UPDATE people SET full_name = $1, name_folded = $2, sort_key = $3, title = $4, position = $5, \
                 email = $6, phone = $7, expertise = $8, is_sample = $9, updated_at = $10 WHERE id = $11",
            )
            .bind(f.full_name.as_str())
            .bind(fold(&f.full_name))
            .bind(person_sort_key(&f.full_name))
            .bind(title_column(&f.honorific))
            .bind(f.position.clone())
            .bind(f.email.clone())
            .bind(f.phone.clone())
            .bind(expertise_column(&f.expertise))
            .bind(record.is_sample)
            .bind(now)
            .bind(id),
        )
        .await?;
    if changed == 0 { Err(DirectoryError::NotFound) } else { Ok(()) }
}

/// Vietnamese lists of people are ordered by the given name (the last word), then by the whole name from
/// the family name: "Nguyễn Đắc Bình Minh" comes before "Hoàng Bá Nam" (Minh < Nam). The key is the given
/// name's key, a separator below every character of a key, then the full name's key.
fn person_sort_key(full_name: &str) -> String {
    let given = full_name.split_whitespace().last().unwrap_or_default();
    format!("{}\u{1}{}", sort_key(given), sort_key(full_name))
}

/// Which people to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFilter {
    /// Text in the name, ignoring case and diacritics.
    pub q: Option<String>,
    /// Only people with an affiliation to this organisation that is current on `on`.
    pub organization_id: Option<i64>,
    /// The day affiliations are current on (today by default).
    pub on: Option<NaiveDate>,
}

/// A person in a list, with the affiliations current on the day asked.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSummary {
    /// The person.
    pub person: Person,
    /// Current roles, in the order they started.
    pub roles: Vec<Affiliation>,
}

/// The people matching the filter, in Vietnamese order (given name first, as directories do), one page,
/// with the total.
pub async fn list_people(ex: &impl Exec, filter: &PersonFilter, page: Page) -> Result<Listed<PersonSummary>, DbError> {
    let on = filter.on.unwrap_or_else(|| tiendo_core::time::vietnam_date(Utc::now()));
    let conditions = |head: &str| {
        let mut q = Query::new(format!("{head} WHERE 1 = 1"));
        if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            q.push(" AND p.name_folded LIKE ").push_bind(format!("%{}%", like_escape(&fold(text))));
            q.push(" ESCAPE '\\'");
        }
        if let Some(org) = filter.organization_id {
            q.push(" AND EXISTS (SELECT 1 FROM affiliations a WHERE a.person_id = p.id AND a.organization_id = ")
                .push_bind(org);
            push_current(&mut q, on);
            q.push(")");
        }
        q
    };
    let (total,): (i64,) = ex.fetch_one(conditions("SELECT COUNT(*) FROM people p")).await?;
    let mut q = conditions(&format!("SELECT {PERSON_COLUMNS} FROM people p"));
    q.push(" ORDER BY p.sort_key, p.id LIMIT ").push_bind(page.limit.max(1));
    q.push(" OFFSET ").push_bind(page.offset.max(0));
    let people: Vec<Person> =
        ex.fetch_all::<PersonRow>(q).await?.into_iter().map(PersonRow::into_person).collect::<Result<_, _>>()?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut roles = current_affiliations(ex, &ids, on).await?;
    let items = people
        .into_iter()
        .map(|person| {
            let mine = roles.iter().filter(|a| a.person_id == person.id).cloned().collect();
            roles.retain(|a| a.person_id != person.id);
            PersonSummary { person, roles: mine }
        })
        .collect();
    Ok(Listed { items, total })
}

/// The fields that differ between two versions of a person (all set fields for a new one).
pub fn diff_people(before: Option<&Person>, after: &Person) -> Vec<Change> {
    let mut d = Diff::new();
    let b = before;
    d.field("full_name", &b.map(|p| p.full_name.clone()), &Some(after.full_name.clone()));
    d.field("title", &b.map(|p| p.honorific.abbreviation()), &Some(after.honorific.abbreviation()));
    d.field("position", &b.and_then(|p| p.position.clone()), &after.position);
    d.field("email", &b.and_then(|p| p.email.clone()), &after.email);
    d.field("phone", &b.and_then(|p| p.phone.clone()), &after.phone);
    d.field("expertise", &b.map(|p| p.expertise.join("; ")), &Some(after.expertise.join("; ")));
    d.field("is_sample", &b.map(|p| p.is_sample), &Some(after.is_sample));
    d.into_changes()
}

/// A person's role in an organisation during a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Affiliation {
    /// Row id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name with their title ("TS. Nguyễn Đắc Bình Minh").
    pub person_name: String,
    /// The organisation.
    pub organization_id: i64,
    /// Its name.
    pub organization_name: String,
    /// The role ("Giám đốc").
    pub role: String,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer held.
    pub valid_to: Option<NaiveDate>,
}

impl Affiliation {
    /// Whether the role is held on `day`.
    pub fn current_on(&self, day: NaiveDate) -> bool {
        super::in_period(self.valid_from, self.valid_to, day)
    }
}

#[derive(sqlx::FromRow)]
struct AffiliationRow {
    id: i64,
    person_id: i64,
    full_name: String,
    title: Option<String>,
    organization_id: i64,
    organization_name: String,
    role: String,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

impl From<AffiliationRow> for Affiliation {
    fn from(r: AffiliationRow) -> Affiliation {
        let honorific = Honorific::parse(r.title.as_deref().unwrap_or_default()).unwrap_or_default();
        Affiliation {
            id: r.id,
            person_id: r.person_id,
            person_name: honorific.before(&r.full_name),
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            role: r.role,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        }
    }
}

const AFFILIATION_SELECT: &str = "SELECT a.id, a.person_id, p.full_name, p.title, a.organization_id, \
     o.name AS organization_name, a.role, a.valid_from, a.valid_to FROM affiliations a \
     JOIN people p ON p.id = a.person_id JOIN organizations o ON o.id = a.organization_id";

fn push_current(q: &mut Query, on: NaiveDate) {
    q.push(" AND (a.valid_from IS NULL OR a.valid_from <= ").push_bind(on);
    q.push(") AND (a.valid_to IS NULL OR a.valid_to > ").push_bind(on);
    q.push(")");
}

async fn current_affiliations(ex: &impl Exec, people: &[i64], on: NaiveDate) -> Result<Vec<Affiliation>, DbError> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(format!("{AFFILIATION_SELECT} WHERE a.person_id IN ("));
    for (i, id) in people.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
    q.push(")");
    push_current(&mut q, on);
    q.push(" ORDER BY a.valid_from, a.id");
    Ok(ex.fetch_all::<AffiliationRow>(q).await?.into_iter().map(Affiliation::from).collect())
}

/// One affiliation.
pub async fn affiliation(ex: &impl Exec, id: i64) -> Result<Option<Affiliation>, DbError> {
    let row: Option<AffiliationRow> =
        ex.fetch_optional(Query::new(format!("{AFFILIATION_SELECT} WHERE a.id = $1")).bind(id)).await?;
    Ok(row.map(Affiliation::from))
}

/// A person's affiliations: those still held first, then the ended ones, each group latest first.
pub async fn affiliations_of_person(ex: &impl Exec, person_id: i64) -> Result<Vec<Affiliation>, DbError> {
    let q = Query::new(format!(
        "{AFFILIATION_SELECT} WHERE a.person_id = $1 \
         ORDER BY CASE WHEN a.valid_to IS NULL THEN 0 ELSE 1 END, a.valid_from DESC, a.id DESC"
    ))
    .bind(person_id);
    Ok(ex.fetch_all::<AffiliationRow>(q).await?.into_iter().map(Affiliation::from).collect())
}

/// The affiliations to an organisation, in Vietnamese order of the people's names; with `current_on`,
/// only those held that day.
pub async fn affiliations_of_organization(
    ex: &impl Exec,
    organization_id: i64,
    current_on: Option<NaiveDate>,
) -> Result<Vec<Affiliation>, DbError> {
    let mut q = Query::new(format!("{AFFILIATION_SELECT} WHERE a.organization_id = $1")).bind(organization_id);
    if let Some(day) = current_on {
        push_current(&mut q, day);
    }
    q.push(" ORDER BY p.sort_key, a.valid_from, a.id");
    Ok(ex.fetch_all::<AffiliationRow>(q).await?.into_iter().map(Affiliation::from).collect())
}

/// Adds an affiliation; returns its id. The person and the organisation must exist.
pub async fn add_affiliation(ex: &impl Exec, person_id: i64, f: &AffiliationFields) -> Result<i64, DirectoryError> {
    if person(ex, person_id).await?.is_none() {
        return Err(DirectoryError::NotFound);
    }
    let org: Option<(i64,)> =
        ex.fetch_optional(Query::new("SELECT id FROM organizations WHERE id = $1").bind(f.organization_id)).await?;
    if org.is_none() {
        return Err(DirectoryError::field("organization_id", "unknown_organization"));
    }
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO affiliations (person_id, organization_id, role, valid_from, valid_to) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(person_id)
            .bind(f.organization_id)
            .bind(f.role.as_str())
            .bind(f.valid_from)
            .bind(f.valid_to),
        )
        .await?;
    Ok(id)
}

/// Ends a role held until now: `on` becomes its first day no longer held. Refused (field `valid_to`) when
/// the role already ended or `on` is not after its first day.
pub async fn end_affiliation(ex: &impl Exec, id: i64, on: NaiveDate) -> Result<Affiliation, DirectoryError> {
    let Some(current) = affiliation(ex, id).await? else {
        return Err(DirectoryError::NotFound);
    };
    if current.valid_to.is_some() {
        return Err(DirectoryError::Invalid(vec![FieldIssue::new("valid_to", "already_ended")]));
    }
    if current.valid_from.is_some_and(|from| on <= from) {
        return Err(DirectoryError::Invalid(vec![FieldIssue::new("valid_to", "date_order")]));
    }
    ex.execute(Query::new("UPDATE affiliations SET valid_to = $1 WHERE id = $2").bind(on).bind(id)).await?;
    Ok(Affiliation { valid_to: Some(on), ..current })
}
