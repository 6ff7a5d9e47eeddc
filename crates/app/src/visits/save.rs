//! Recording a visit and changing it: the members found in the directory, the hosts, the legal basis
//! and the plan followed up checked, every problem reported at once with the field names of
//! `tiendo_core::visits` (those of the API), then the visit, its delegation, its stops and the plan it
//! owns written in one transaction and audited.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tiendo_core::lang::Lang;
use tiendo_core::visits::{MemberFields, MemberRole, StopDraft, VisitAction, VisitDraft, VisitFields};
use tiendo_db::audit::Diff;
use tiendo_db::monitoring::documents;
use tiendo_db::visits::{self, NewMember, NewStop, OrgChoice, OwnPlan, Visit, VisitRecord};
use tiendo_db::{Exec, orgtree};

use super::access::open_for;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// The title of the plan a visit owns ("Kết luận của đoàn công tác: …").
pub fn plan_title(visit_title: &str) -> String {
    Tr::new(Lang::Vi).t_with("visit-plan-title", &[("title", visit_title)])
}

/// The address that adds a person to the directory with the name already typed (the `add` argument of a
/// `member_unknown` error).
pub fn add_person_link(name: &str) -> String {
    // Encoded as a form field (`application/x-www-form-urlencoded`), as the directory's form reads it.
    let mut encoded = String::with_capacity(name.len());
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => encoded.push(char::from(b)),
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    format!("/people/new?full_name={encoded}")
}

/// What becomes of the stored stops a new state of the visit does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OmittedStops {
    /// They stay (the form lists every stop, and removes one by emptying its row).
    Keep,
    /// They are removed, unless they carry conclusions or files (the API replaces the visit).
    Remove,
}

/// A member found in the directory.
struct Found {
    person_id: i64,
    position: Option<String>,
}

/// Finds the members in the directory; a name that is not there, or that several people bear (and the
/// organisation given does not tell apart), is a field error naming the row.
async fn find_members(
    app: &App,
    members: &[MemberFields],
    day: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<Option<Found>>> {
    let db = app.db();
    let mut found = Vec::with_capacity(members.len());
    let mut seen = HashSet::new();
    for m in members {
        let field = format!("members[{}].name", m.index);
        let mut people = match m.person_id {
            Some(id) => match tiendo_db::directory::person(db, id).await? {
                Some(p) => vec![visits::NamedPerson {
                    id: p.id,
                    full_name: p.full_name.clone(),
                    title: Some(p.honorific.abbreviation()).filter(|t| !t.is_empty()),
                    position: p.position.clone(),
                }],
                None => {
                    errors.push(
                        FieldError::new(format!("members[{}].person_id", m.index), "member_unknown").arg("name", id),
                    );
                    found.push(None);
                    continue;
                }
            },
            None => visits::people_named(db, &m.name).await?,
        };
        if people.len() > 1
            && let Some(org) = m.organization_id
        {
            let mut of_org = Vec::new();
            for p in &people {
                if visits::roles_on(db, p.id, day).await?.iter().any(|(o, _)| *o == org) {
                    of_org.push(p.clone());
                }
            }
            if !of_org.is_empty() {
                people = of_org;
            }
        }
        match people.as_slice() {
            [] => {
                errors.push(
                    FieldError::new(&field, "member_unknown").arg("name", &m.name).arg("add", add_person_link(&m.name)),
                );
                found.push(None);
            }
            [p] => {
                if !seen.insert(p.id) {
                    errors.push(FieldError::new(&field, "member_twice").arg("name", &m.name));
                }
                found.push(Some(Found { person_id: p.id, position: p.position.clone() }));
            }
            _ => {
                errors.push(FieldError::new(&field, "member_ambiguous").arg("name", &m.name));
                found.push(None);
            }
        }
    }
    Ok(found)
}

/// Checks what needs the database and builds the record to store.
async fn record_of(app: &App, id: Option<i64>, f: &VisitFields, is_sample: bool) -> Result<VisitRecord> {
    let db = app.db();
    let orgs: HashMap<i64, OrgChoice> = visits::org_choices(db).await?.into_iter().map(|o| (o.id, o)).collect();
    let mut errors = Vec::new();
    let unknown_org = |field: String| FieldError::new(field, "unknown_organization");
    if !orgs.contains_key(&f.organizer_id) {
        errors.push(unknown_org("organizer_id".into()));
    }
    if let Some(doc) = f.legal_basis_id
        && documents::get(db, doc).await?.is_none()
    {
        errors.push(FieldError::new("legal_basis_id", "invalid"));
    }
    if let Some(plan) = f.parent_plan_id
        && !visits::plan_choices(db).await?.iter().any(|(id, _)| *id == plan)
    {
        errors.push(FieldError::new("parent_plan_id", "invalid"));
    }
    let stored: Vec<i64> = match id {
        Some(id) => visits::stops(db, id).await?.iter().map(|s| s.id).collect(),
        None => Vec::new(),
    };
    for s in &f.stops {
        if !orgs.contains_key(&s.host_id) {
            errors.push(unknown_org(format!("stops[{}].host_id", s.index)));
        }
        if s.id.is_some_and(|sid| !stored.contains(&sid)) {
            errors.push(FieldError::new(format!("stops[{}].id", s.index), "invalid"));
        }
    }
    for (index, stop_id) in &f.removed_stops {
        if !stored.contains(stop_id) {
            errors.push(FieldError::new(format!("stops[{index}].id"), "invalid"));
        } else if visits::stop_in_use(db, *stop_id).await? {
            errors.push(FieldError::new(format!("stops[{index}].date"), "stop_in_use"));
        }
    }
    for m in &f.members {
        if m.organization_id.is_some_and(|o| !orgs.contains_key(&o)) {
            errors.push(unknown_org(format!("members[{}].organization_id", m.index)));
        }
    }
    let found = find_members(app, &f.members, f.starts_on, &mut errors).await?;
    crate::check(errors)?;
    let mut members = Vec::with_capacity(f.members.len());
    for (m, p) in f.members.iter().zip(found) {
        let Some(p) = p else { return Err(Error::internal(std::io::Error::other("a member was not found"))) };
        let roles = visits::roles_on(db, p.person_id, f.starts_on).await?;
        let organization_id = m.organization_id.or_else(|| roles.first().map(|(o, _)| *o));
        let role_there = roles.iter().find(|(o, _)| Some(*o) == organization_id).map(|(_, r)| r.clone());
        members.push(NewMember {
            person_id: p.person_id,
            organization_id,
            role: m.role.code().to_owned(),
            position: p.position.or(role_there),
        });
    }
    // The leader first: the notice and the lists name them before the others.
    members.sort_by_key(|m| m.role != MemberRole::Leader.code());
    let stops = f
        .stops
        .iter()
        .map(|s| NewStop {
            id: s.id,
            on_date: s.date,
            start_time: s.time.map(|t| t.text()),
            place: s.place.clone(),
            host_org_id: s.host_id,
            admin_unit_id: orgs.get(&s.host_id).and_then(|o| o.admin_unit_id),
            agenda: s.agenda.clone(),
            minutes: s.minutes.clone(),
            assessment: s.assessment.clone(),
        })
        .collect();
    Ok(VisitRecord {
        title: f.title.clone(),
        purpose: f.purpose.clone(),
        organizer_org_id: f.organizer_id,
        legal_basis_id: f.legal_basis_id,
        starts_on: f.starts_on,
        ends_on: f.ends_on,
        assessment: f.assessment.clone(),
        members,
        stops,
        removed_stops: f.removed_stops.iter().map(|(_, id)| *id).collect(),
        is_sample,
    })
}

/// One line per member and per stop, for the audit trail.
async fn audit_lines(ex: &impl Exec, id: i64) -> Result<(String, String)> {
    let members: Vec<String> =
        visits::members(ex, id).await?.into_iter().map(|m| format!("{} ({})", m.person_name, m.role)).collect();
    let stops: Vec<String> = visits::stops(ex, id)
        .await?
        .into_iter()
        .map(|s| format!("{} {}", tiendo_core::fmt::date(s.on_date), s.host_name))
        .collect();
    Ok((members.join("; "), stops.join("; ")))
}

/// Validates a draft: every problem of what was typed, and the members looked up even then, so that a
/// name missing from the directory is named (with the offer to add it) together with the other problems,
/// not after they are fixed.
async fn checked(app: &App, draft: &VisitDraft) -> Result<VisitFields> {
    match draft.validate() {
        Ok(fields) => Ok(fields),
        Err(issues) => {
            let mut errors: Vec<FieldError> = issues.into_iter().map(FieldError::from).collect();
            let day = tiendo_core::fmt::parse_date(&draft.starts_on).unwrap_or_else(|| app.today());
            find_members(app, &draft.well_formed_members(), day, &mut errors).await?;
            Err(Error::Invalid(errors))
        }
    }
}

/// The record of a checked draft, refused when the organiser is outside the actor's scope.
async fn record_in_scope(
    app: &App,
    session: &Session,
    id: Option<i64>,
    fields: &VisitFields,
    is_sample: bool,
) -> Result<VisitRecord> {
    let record = record_of(app, id, fields, is_sample).await?;
    let organizer_path = orgtree::path(app.db(), record.organizer_org_id).await?;
    if !tiendo_core::visits::may_create_for(&session.actor, &organizer_path) {
        return Err(Error::invalid("organizer_id", "scope_outside"));
    }
    Ok(record)
}

/// Records a visit from what was typed in the form or sent to the API, with the plan that will track
/// its conclusions; its id. `Forbidden` unless the actor is department staff; `Invalid` naming every
/// field at fault (`organizer_id` `scope_outside` for an organiser outside their scope).
pub async fn create(app: &App, session: &Session, draft: &VisitDraft) -> Result<i64> {
    insert(app, session, draft, false).await
}

/// Records a visit of the demonstration's story, marked as sample data (its plan and directives too).
pub async fn create_sample(app: &App, session: &Session, draft: &VisitDraft) -> Result<i64> {
    insert(app, session, draft, true).await
}

async fn insert(app: &App, session: &Session, draft: &VisitDraft, is_sample: bool) -> Result<i64> {
    if !tiendo_core::visits::may_create(&session.actor) {
        return Err(Error::FORBIDDEN);
    }
    let fields = checked(app, draft).await?;
    let record = record_in_scope(app, session, None, &fields, is_sample).await?;
    let plan = OwnPlan { title: plan_title(&record.title), parent_id: fields.parent_plan_id };
    let tx = app.begin().await?;
    let id = visits::create(&tx, &record, &plan, session.user_id(), app.now()).await?;
    let (members, stops) = audit_lines(&tx, id).await?;
    let entry = Entry::new("create", "visit", id, "audit-visit-created")
        .arg("title", &record.title)
        .change("title", None::<String>, &record.title)
        .change("starts_on", None::<NaiveDate>, record.starts_on)
        .change("ends_on", None::<NaiveDate>, record.ends_on)
        .change("members", None::<String>, members)
        .change("stops", None::<String>, stops);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a visit, its delegation and its stops (stops with their id are kept with their conclusions
/// and photos; `omitted` says what becomes of those not listed). `NotFound` when the actor may not see
/// it, `Forbidden` when they may only see it, `Invalid` as for [`create`].
pub async fn update(app: &App, session: &Session, id: i64, draft: &VisitDraft, omitted: OmittedStops) -> Result<()> {
    let before = open_for(app, session, id, VisitAction::Edit).await?;
    let mut draft = draft.clone();
    if omitted == OmittedStops::Remove {
        // A stored stop left out is removed, as an emptied row of the form is.
        for stop in visits::stops(app.db(), id).await? {
            if !draft.stops.iter().any(|s| s.id.trim() == stop.id.to_string()) {
                draft.stops.push(StopDraft { id: stop.id.to_string(), ..StopDraft::default() });
            }
        }
    }
    let fields = checked(app, &draft).await?;
    let record = record_in_scope(app, session, Some(id), &fields, before.is_sample).await?;
    let plan = OwnPlan { title: plan_title(&record.title), parent_id: fields.parent_plan_id };
    let tx = app.begin().await?;
    let (old_members, old_stops) = audit_lines(&tx, id).await?;
    visits::update(&tx, id, &record, &plan, app.now()).await?;
    let (new_members, new_stops) = audit_lines(&tx, id).await?;
    let diff = changes(&before, &record, fields.parent_plan_id, (old_members, new_members), (old_stops, new_stops));
    if !diff.is_empty() {
        let entry = Entry::new("update", "visit", id, "audit-visit-updated")
            .arg("title", &record.title)
            .changes(diff.into_changes());
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What changed, field by field.
fn changes(
    before: &Visit,
    record: &VisitRecord,
    parent_plan_id: Option<i64>,
    members: (String, String),
    stops: (String, String),
) -> Diff {
    let mut diff = Diff::new();
    diff.field("title", &before.title, &record.title)
        .field("purpose", &before.purpose, &record.purpose)
        .field("organizer_org_id", &before.organizer_org_id, &record.organizer_org_id)
        .field("legal_basis_id", &before.legal_basis_id, &record.legal_basis_id)
        .field("starts_on", &before.starts_on, &record.starts_on)
        .field("ends_on", &before.ends_on, &record.ends_on)
        .field("assessment", &before.assessment, &record.assessment)
        .field("parent_plan_id", &before.parent_plan_id, &parent_plan_id)
        .field("members", &members.0, &members.1)
        .field("stops", &stops.0, &stops.1);
    diff
}
