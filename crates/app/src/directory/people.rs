//! Creating and editing people, and the roles they hold in organisations (added, and ended on a day).

use chrono::NaiveDate;
use tiendo_core::authz::Action;
use tiendo_core::directory::{AffiliationDraft, PersonDraft};
use tiendo_db::directory::{self, Affiliation, PersonRecord};

use super::{org_path, refused, require};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// A person as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    /// The fields as typed.
    pub draft: PersonDraft,
    /// Invented for the demo.
    pub is_sample: bool,
}

fn record_from(input: &PersonInput) -> Result<PersonRecord> {
    let fields =
        input.draft.validate().map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    Ok(PersonRecord { fields, is_sample: input.is_sample })
}

/// Adds a person to the directory (department staff); their id.
pub async fn create(app: &App, session: &Session, input: &PersonInput) -> Result<i64> {
    require(session, Action::Create, &[])?;
    let record = record_from(input)?;
    let tx = app.begin().await?;
    let id = directory::create_person(&tx, &record, app.now()).await?;
    let created = directory::person(&tx, id).await?.ok_or(Error::NotFound)?;
    let entry = Entry::new("create", "person", id, "audit-person-created")
        .arg("name", created.display_name())
        .changes(directory::diff_people(None, &created));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a person's fields (department staff).
pub async fn update(app: &App, session: &Session, id: i64, input: &PersonInput) -> Result<()> {
    if directory::person(app.db(), id).await?.is_none() {
        return Err(Error::NotFound);
    }
    require(session, Action::Edit, &[])?;
    let record = record_from(input)?;
    let tx = app.begin().await?;
    let before = directory::person(&tx, id).await?.ok_or(Error::NotFound)?;
    directory::update_person(&tx, id, &record, app.now()).await.map_err(refused)?;
    let after = directory::person(&tx, id).await?.ok_or(Error::NotFound)?;
    let changes = directory::diff_people(Some(&before), &after);
    if !changes.is_empty() {
        let entry = Entry::new("update", "person", id, "audit-person-updated")
            .arg("name", after.display_name())
            .changes(changes);
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Adds a role to a person, if the actor may edit the organisation's entry; the new role's id. Audited on
/// the person.
pub async fn add_affiliation(app: &App, session: &Session, person_id: i64, draft: &AffiliationDraft) -> Result<i64> {
    require(session, Action::Create, &[])?;
    if directory::person(app.db(), person_id).await?.is_none() {
        return Err(Error::NotFound);
    }
    let fields =
        draft.validate().map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let path = org_path(app, Some(fields.organization_id)).await?;
    if !path.is_empty() {
        require(session, Action::Edit, &path)?;
    }
    let tx = app.begin().await?;
    let id = directory::add_affiliation(&tx, person_id, &fields).await.map_err(refused)?;
    let added = directory::affiliation(&tx, id).await?.ok_or(Error::NotFound)?;
    let entry = Entry::new("add_affiliation", "person", person_id, "audit-affiliation-added")
        .arg("person", &added.person_name)
        .arg("role", &added.role)
        .arg("organization", &added.organization_name)
        .change("affiliation", None::<String>, format!("{} — {}", added.role, added.organization_name));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a role on `on` (its first day no longer held), if the actor may edit the organisation's entry.
/// Audited on the person.
pub async fn end_affiliation(app: &App, session: &Session, id: i64, on: NaiveDate) -> Result<Affiliation> {
    let current = directory::affiliation(app.db(), id).await?.ok_or(Error::NotFound)?;
    require(session, Action::Edit, &org_path(app, Some(current.organization_id)).await?)?;
    let tx = app.begin().await?;
    let ended = directory::end_affiliation(&tx, id, on).await.map_err(refused)?;
    let entry = Entry::new("end_affiliation", "person", ended.person_id, "audit-affiliation-ended")
        .arg("person", &ended.person_name)
        .arg("role", &ended.role)
        .arg("organization", &ended.organization_name)
        .arg("date", tiendo_core::fmt::date(on))
        .change("valid_to", None::<NaiveDate>, Some(on));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(ended)
}
