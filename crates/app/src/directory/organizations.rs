//! Creating and editing organisations (with the administrative unit their address names), and recording
//! that one ended and was succeeded.

use chrono::NaiveDate;
use tiendo_core::authz::Action;
use tiendo_core::directory::{OrganizationDraft, parse_date};
use tiendo_core::geo::{AdminUnit, AdminUnitCode};
use tiendo_db::directory::{self, OrganizationRecord, Succession, SuccessionPlan, UnitPlace};

use super::{address_day, org_path, place_from_address, refused, require};
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// How the administrative unit of an organisation is found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UnitChoice {
    /// From its address: the clear best candidate (the only one, or a confident one).
    #[default]
    FromAddress,
    /// The unit the user chose among the address's candidates.
    Chosen(AdminUnit),
    /// The unit with this code (`admin_unit_code` of the API).
    Code(String),
}

/// An organisation as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct OrganizationInput {
    /// The fields as typed.
    pub draft: OrganizationDraft,
    /// How its unit is found.
    pub unit: UnitChoice,
    /// The day the address (or the code) names the unit on; default: the organisation's last day if it
    /// ended, else today.
    pub as_of: Option<NaiveDate>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Validates the input and settles its unit; every problem is a field error (`address_ambiguous` when the
/// address matches several units and none was chosen, `unknown_unit` for a code in force on no unit).
async fn record_from(app: &App, input: &OrganizationInput) -> Result<OrganizationRecord> {
    let mut errors = Vec::new();
    let fields = input.draft.validate().map_err(|issues| errors.extend(issues.into_iter().map(FieldError::from))).ok();
    let valid_to = fields.as_ref().map_or_else(|| parse_date(&input.draft.valid_to), |f| f.valid_to);
    let day = input.as_of.unwrap_or_else(|| address_day(app, valid_to));
    let mut place = None;
    match &input.unit {
        UnitChoice::Code(code) => {
            let raw = code.trim();
            let unit = match AdminUnitCode::parse(raw) {
                Ok(code) => tiendo_db::geo::unit_on(app.db(), &code, day).await?,
                Err(_) => None,
            };
            match unit {
                Some(unit) => place = Some(UnitPlace { unit, detail: None }),
                None => errors.push(FieldError::new("admin_unit_code", "unknown_unit").arg("code", raw)),
            }
        }
        UnitChoice::FromAddress | UnitChoice::Chosen(_) => {
            let chosen = match &input.unit {
                UnitChoice::Chosen(unit) => Some(unit),
                _ => None,
            };
            let address = fields.as_ref().map_or(Some(input.draft.address.as_str()), |f| f.address.as_deref());
            let placement = place_from_address(app, address, chosen, day).await?;
            if placement.ambiguous {
                errors.push(FieldError::new("address", "address_ambiguous"));
            }
            place = placement.place;
        }
    }
    match fields {
        Some(fields) if errors.is_empty() => Ok(OrganizationRecord { fields, place, is_sample: input.is_sample }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// The parent typed in a draft, when it is an organisation's id.
fn typed_parent(draft: &OrganizationDraft) -> Option<i64> {
    draft.parent_id.trim().parse().ok()
}

/// Creates an organisation (department staff whose scope covers its parent); its id. Every invalid field
/// is reported at once.
pub async fn create(app: &App, session: &Session, input: &OrganizationInput) -> Result<i64> {
    require(session, Action::Create, &org_path(app, typed_parent(&input.draft)).await?)?;
    let record = record_from(app, input).await?;
    require(session, Action::Create, &org_path(app, record.fields.parent_id).await?)?;
    let tx = app.begin().await?;
    let id = directory::create_organization(&tx, &record, app.now()).await.map_err(refused)?;
    let created = directory::organization(&tx, id).await?.ok_or(Error::NotFound)?;
    let entry = Entry::new("create", "organization", id, "audit-organization-created")
        .arg("name", &created.name)
        .changes(directory::diff_organizations(None, &created));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces an organisation's fields, if the actor may edit it where it is and under its new parent.
pub async fn update(app: &App, session: &Session, id: i64, input: &OrganizationInput) -> Result<()> {
    if directory::organization(app.db(), id).await?.is_none() {
        return Err(Error::NotFound);
    }
    require(session, Action::Edit, &org_path(app, Some(id)).await?)?;
    let record = record_from(app, input).await?;
    if record.fields.parent_id.is_some() {
        require(session, Action::Edit, &org_path(app, record.fields.parent_id).await?)?;
    }
    let tx = app.begin().await?;
    let before = directory::organization(&tx, id).await?.ok_or(Error::NotFound)?;
    directory::update_organization(&tx, id, &record, app.now()).await.map_err(refused)?;
    let after = directory::organization(&tx, id).await?.ok_or(Error::NotFound)?;
    let changes = directory::diff_organizations(Some(&before), &after);
    if !changes.is_empty() {
        let entry = Entry::new("update", "organization", id, "audit-organization-updated")
            .arg("name", &after.name)
            .changes(changes);
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records that an organisation ended and was succeeded (an old UBND replaced by the new wards' UBND), if
/// the actor may edit it and every successor; what it owned moves to the default successor as the plan
/// says, each moved record audited.
pub async fn succeed(app: &App, session: &Session, id: i64, plan: &SuccessionPlan) -> Result<Succession> {
    if directory::organization(app.db(), id).await?.is_none() {
        return Err(Error::NotFound);
    }
    require(session, Action::Edit, &org_path(app, Some(id)).await?)?;
    for s in &plan.successors {
        let path = org_path(app, Some(*s)).await?;
        if !path.is_empty() {
            require(session, Action::Edit, &path)?;
        }
    }
    let tx = app.begin().await?;
    let done = directory::record_succession(&tx, id, plan, app.now()).await.map_err(refused)?;
    let day = tiendo_core::fmt::date(plan.effective);
    let entry = Entry::new("succeed", "organization", id, "audit-organization-succeeded")
        .arg("name", &done.old.name)
        .arg("date", &day)
        .arg("successors", done.successor_names.join(", "))
        .change("valid_to", done.old.valid_to, Some(plan.effective))
        .change("successor", None::<String>, Some(&done.default_name));
    audit::record(app, &tx, session, entry).await?;
    for child in &done.moved_children {
        let entry = Entry::new("move", "organization", child, "audit-organization-moved")
            .arg("parent", &done.default_name)
            .change("parent", &done.old.name, &done.default_name);
        audit::record(app, &tx, session, entry).await?;
    }
    for (person, role) in &done.moved_affiliations {
        let entry = Entry::new("move_affiliation", "person", person, "audit-affiliation-moved")
            .arg("role", role)
            .arg("from", &done.old.name)
            .arg("to", &done.default_name)
            .arg("date", &day)
            .change("organization", &done.old.name, &done.default_name);
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(done)
}
