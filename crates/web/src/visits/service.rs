//! What the pages and the API share: saving a visit (its members found in the directory, its hosts and
//! documents checked), adding a conclusion with its directives, adding a directive to a conclusion. Each
//! operation authorises, checks everything (reporting every problem at once with the field names of
//! `tiendo_core::visits`), writes in one transaction and records the change in the audit trail.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::{
    ConclusionDraft, DirectiveDraft, Issue, MemberFields, MemberRole, VisitDraft, VisitFields, check_conclusion,
    check_directive, conclusion_day,
};
use tiendo_db::audit::{self, Change, Diff, NewEvent};
use tiendo_db::monitoring::assignments::{self, NewAssignments};
use tiendo_db::monitoring::documents;
use tiendo_db::visits::{self, NewMember, NewStop, OrgChoice, OwnPlan, Visit, VisitRecord};
use tiendo_db::{Exec, Tx, orgtree};

use crate::error::{AppError, FieldError};
use crate::layout::Ctx;
use tiendo_app::i18n::Tr;

/// Issues of the core rules as field errors.
pub fn field_errors(issues: Vec<Issue>) -> Vec<FieldError> {
    issues
        .into_iter()
        .map(|i| i.args.into_iter().fold(FieldError::new(i.field, i.code), |e, (k, v)| e.arg(k, v)))
        .collect()
}

/// The address that adds a person to the directory with the name already typed.
pub fn add_person_link(name: &str) -> String {
    format!("/people/new?full_name={}", crate::forms::url_encode(name))
}

/// A member found in the directory.
struct Found {
    person_id: i64,
    position: Option<String>,
}

/// Finds the members in the directory; a name that is not there, or that several people bear (and the
/// organisation given does not tell apart), is a field error naming the row.
async fn find_members(
    ctx: &Ctx,
    members: &[MemberFields],
    day: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<Option<Found>>, AppError> {
    let db = ctx.state.db();
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
            for p in people.iter() {
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
async fn record_of(ctx: &Ctx, id: Option<i64>, f: &VisitFields) -> Result<VisitRecord, AppError> {
    let db = ctx.state.db();
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
    let found = find_members(ctx, &f.members, f.starts_on, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut members = Vec::with_capacity(f.members.len());
    for (m, p) in f.members.iter().zip(found) {
        let p = p.expect("every member was found");
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
        is_sample: false,
    })
}

/// The title of the plan a visit owns.
pub fn plan_title(visit_title: &str) -> String {
    Tr::new(Lang::Vi).t_with("visit-plan-title", &[("title", visit_title)])
}

/// One line per member and per stop, for the audit trail.
async fn audit_lines(ex: &impl Exec, id: i64) -> Result<(String, String), AppError> {
    let members: Vec<String> =
        visits::members(ex, id).await?.into_iter().map(|m| format!("{} ({})", m.person_name, m.role)).collect();
    let stops: Vec<String> = visits::stops(ex, id)
        .await?
        .into_iter()
        .map(|s| format!("{} {}", tiendo_core::fmt::date(s.on_date), s.host_name))
        .collect();
    Ok((members.join("; "), stops.join("; ")))
}

/// Creates (`id` none) or updates a visit from what was typed or sent; returns its id.
pub async fn save_visit(ctx: &Ctx, id: Option<i64>, draft: &VisitDraft) -> Result<i64, AppError> {
    let before = match id {
        Some(id) => Some(super::editable(ctx, id).await?),
        None => None,
    };
    if before.is_none() && !super::may_create_any(&ctx.auth) {
        return Err(AppError::Forbidden);
    }
    let fields = match draft.validate() {
        Ok(fields) => fields,
        Err(issues) => {
            // Members are still looked up, so that a name missing from the directory is named (with the
            // offer to add it) together with the other problems, not after they are fixed.
            let mut errors = field_errors(issues);
            let day = tiendo_core::fmt::parse_date(&draft.starts_on).unwrap_or_else(crate::monitoring::today);
            let mut lookups = Vec::new();
            find_members(ctx, &draft.well_formed_members(), day, &mut lookups).await?;
            errors.extend(lookups);
            return Err(AppError::Validation(errors));
        }
    };
    let record = record_of(ctx, id, &fields).await?;
    let organizer_path = orgtree::path(ctx.state.db(), record.organizer_org_id).await?;
    let action = if id.is_some() { Action::Edit } else { Action::Create };
    if !authorize(&ctx.auth.actor, action, &Resource::Visit { organizer_path: &organizer_path, actor_involved: false })
        .is_allowed()
    {
        return Err(AppError::Validation(vec![FieldError::new("organizer_id", "scope_outside")]));
    }
    let plan = OwnPlan { title: plan_title(&record.title), parent_id: fields.parent_plan_id };
    let now = Utc::now();
    let tx = ctx.state.db().begin().await?;
    let saved = match (id, &before) {
        (Some(id), Some(before)) => {
            let (old_members, old_stops) = audit_lines(&tx, id).await?;
            visits::update(&tx, id, &record, &plan, now).await?;
            let (new_members, new_stops) = audit_lines(&tx, id).await?;
            let mut diff = Diff::new();
            diff.field("title", &before.title, &record.title)
                .field("purpose", &before.purpose, &record.purpose)
                .field("organizer_org_id", &before.organizer_org_id, &record.organizer_org_id)
                .field("legal_basis_id", &before.legal_basis_id, &record.legal_basis_id)
                .field("starts_on", &before.starts_on, &record.starts_on)
                .field("ends_on", &before.ends_on, &record.ends_on)
                .field("assessment", &before.assessment, &record.assessment)
                .field("parent_plan_id", &before.parent_plan_id, &fields.parent_plan_id)
                .field("members", &old_members, &new_members)
                .field("stops", &old_stops, &new_stops);
            if !diff.is_empty() {
                let event = NewEvent::new("update", "visit", id, format!("Sửa đoàn công tác {}", record.title))
                    .with_changes(diff.into_changes());
                audit::append(&tx, &ctx.auth.who(), &event).await?;
            }
            id
        }
        _ => {
            let created_by = ctx.auth.user.as_ref().map(|u| u.id);
            let id = visits::create(&tx, &record, &plan, created_by, now).await?;
            let (members, stops) = audit_lines(&tx, id).await?;
            let event = NewEvent::new("create", "visit", id, format!("Tạo đoàn công tác {}", record.title))
                .with_changes(vec![
                    Change::new("title", None::<String>, &record.title),
                    Change::new("starts_on", None::<NaiveDate>, record.starts_on),
                    Change::new("ends_on", None::<NaiveDate>, record.ends_on),
                    Change::new("members", None::<String>, members),
                    Change::new("stops", None::<String>, stops),
                ]);
            audit::append(&tx, &ctx.auth.who(), &event).await?;
            id
        }
    };
    tx.commit().await?;
    Ok(saved)
}

/// Checks the organisations of a directive exist.
fn check_orgs(prefix: &str, d: &DirectiveDraft, known: &HashSet<i64>, errors: &mut Vec<FieldError>) {
    if d.lead_id.is_some_and(|l| !known.contains(&l)) {
        errors.push(FieldError::new(format!("{prefix}lead_id"), "unknown_organization"));
    }
    if d.coordinators.iter().any(|c| !known.contains(c)) {
        errors.push(FieldError::new(format!("{prefix}coordinators"), "unknown_organization"));
    }
}

/// Creates a directive (an assignment of the conclusion's task) and audits it.
async fn create_directive(
    tx: &Tx,
    ctx: &Ctx,
    visit: &Visit,
    task: (i64, &str),
    d: &DirectiveDraft,
    assigned_on: NaiveDate,
) -> Result<i64, AppError> {
    let (Some(lead), Some(deadline)) = (d.lead_id, d.deadline) else {
        return Err(AppError::Internal("a directive was written without its checks".into()));
    };
    let priority = if d.priority.trim().is_empty() { "normal".to_owned() } else { d.priority.trim().to_owned() };
    let new = NewAssignments {
        task_id: task.0,
        leads: vec![lead],
        coordinators: d.coordinators.iter().copied().filter(|c| *c != lead).collect(),
        deadline,
        priority,
        assigned_on,
        assigned_by: ctx.auth.user.as_ref().map(|u| u.id),
        source_document_id: None,
        origin: Some(format!("visit:{}", visit.id)),
        note: None,
        is_sample: false,
    };
    let ids = assignments::create(tx, &new, Utc::now()).await?;
    let id = ids.first().copied().ok_or_else(|| AppError::Internal("no assignment was created".into()))?;
    let lead_name = orgtree::name(tx, lead).await?.unwrap_or_default();
    let event = NewEvent::new(
        "create",
        "assignment",
        id,
        format!("Giao chỉ đạo {} của đoàn công tác {} cho {lead_name}", task.1, visit.title),
    )
    .with_changes(vec![
        Change::new("lead_org_id", None::<i64>, lead),
        Change::new("deadline", None::<String>, deadline_words(&deadline)),
        Change::new("origin", None::<String>, format!("visit:{}", visit.id)),
    ]);
    audit::append(tx, &ctx.auth.who(), &event).await?;
    Ok(id)
}

/// A deadline in words, as the monitoring pages write it ("Trước ngày 30/04/2020", "Thường xuyên").
pub fn deadline_in(tr: &Tr, d: &Deadline) -> String {
    use tiendo_core::fmt::date;
    match d {
        Deadline::Fixed { date: on } => tr.t_with("deadline-fixed", &[("date", &date(*on))]),
        Deadline::Yearly { month, day } => {
            tr.t_with("deadline-yearly", &[("day", &format!("{day:02}")), ("month", &format!("{month:02}"))])
        }
        Deadline::Continuous => tr.t("deadline-continuous"),
        Deadline::Period { from, to } => tr.t_with("deadline-period", &[("from", &date(*from)), ("to", &date(*to))]),
    }
}

/// A deadline in Vietnamese words, for the audit trail.
fn deadline_words(d: &Deadline) -> String {
    deadline_in(&Tr::new(Lang::Vi), d)
}

/// The stop of a visit a conclusion is taken at, or a field error.
async fn stop_of(ctx: &Ctx, visit: &Visit, stop_id: Option<i64>) -> Result<Option<tiendo_db::visits::Stop>, AppError> {
    let Some(stop_id) = stop_id else { return Ok(None) };
    match visits::stop(ctx.state.db(), stop_id).await? {
        Some(stop) if stop.visit_id == visit.id => Ok(Some(stop)),
        _ => Err(AppError::Validation(vec![FieldError::new("stop_id", "invalid")])),
    }
}

/// The organisations that exist, for checking ids sent.
async fn known_orgs(ctx: &Ctx) -> Result<HashSet<i64>, AppError> {
    Ok(visits::org_choices(ctx.state.db()).await?.into_iter().map(|o| o.id).collect())
}

/// Adds a conclusion taken at a stop (or for the whole visit) with its directives; `prefix(i)` names the
/// fields of the i-th directive (`""` on the page, `directives[i].` in the API). Returns the
/// conclusion's task id.
pub async fn add_conclusion(
    ctx: &Ctx,
    visit_id: i64,
    stop_id: Option<i64>,
    conclusion: &ConclusionDraft,
    directives: &[DirectiveDraft],
    prefix: impl Fn(usize) -> String,
) -> Result<i64, AppError> {
    let visit = super::editable(ctx, visit_id).await?;
    let plan_id = visit.plan_id.ok_or_else(|| AppError::Internal("a visit without its plan".into()))?;
    let stop = stop_of(ctx, &visit, stop_id).await?;
    let day = conclusion_day(stop.as_ref().map(|s| s.on_date), visit.ends_on);
    let mut errors = match check_conclusion(conclusion) {
        Ok(_) => Vec::new(),
        Err(issues) => field_errors(issues),
    };
    if directives.is_empty() {
        errors.push(FieldError::new("directives", "required"));
    }
    let known = known_orgs(ctx).await?;
    for (i, d) in directives.iter().enumerate() {
        let p = prefix(i);
        errors.extend(field_errors(check_directive(&p, d, day)));
        check_orgs(&p, d, &known, &mut errors);
    }
    let (text, product) = match check_conclusion(conclusion) {
        Ok(checked) if errors.is_empty() => checked,
        _ => return Err(AppError::Validation(errors)),
    };
    let tx = ctx.state.db().begin().await?;
    let task_id = visits::add_conclusion(&tx, visit.id, plan_id, stop_id, &text, product.as_deref()).await?;
    let code = visits::conclusion(&tx, task_id).await?.map(|c| c.code).unwrap_or_default();
    let at = stop.as_ref().map_or_else(String::new, |s| format!(" tại {}", s.host_name));
    let event = NewEvent::new("add_conclusion", "visit", visit.id, format!("Thêm kết luận {code}{at}"))
        .with_changes(vec![Change::new("conclusion", None::<String>, &text)]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    for d in directives {
        create_directive(&tx, ctx, &visit, (task_id, &code), d, day).await?;
    }
    tx.commit().await?;
    Ok(task_id)
}

/// Adds a directive to a conclusion of a visit; returns the assignment's id.
pub async fn add_directive(
    ctx: &Ctx,
    visit_id: i64,
    task_id: i64,
    directive: &DirectiveDraft,
    prefix: &str,
) -> Result<i64, AppError> {
    let visit = super::editable(ctx, visit_id).await?;
    let conclusion = visits::conclusion(ctx.state.db(), task_id)
        .await?
        .filter(|c| c.visit_id == visit.id)
        .ok_or(AppError::NotFound)?;
    let stop = stop_of(ctx, &visit, conclusion.stop_id).await?;
    let day = conclusion_day(stop.map(|s| s.on_date), visit.ends_on);
    let mut errors = field_errors(check_directive(prefix, directive, day));
    check_orgs(prefix, directive, &known_orgs(ctx).await?, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let tx = ctx.state.db().begin().await?;
    let id = create_directive(&tx, ctx, &visit, (task_id, &conclusion.code), directive, day).await?;
    tx.commit().await?;
    Ok(id)
}
