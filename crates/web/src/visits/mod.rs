//! Working visits (đoàn công tác, issue 8): the calendar and list, the visit form with its delegation and
//! stops, the visit's page with minutes, photos and documents, conclusions that become directives
//! (monitoring assignments), the notice of conclusions as DOCX and PDF, and what an organisation's page
//! shows of them. The rules are `tiendo_core::visits`, storage `tiendo_db::visits`.

pub mod article;
pub mod calendar;
pub mod conclusions;
pub mod files;
pub mod form;
pub mod notice;
pub mod org_section;
pub mod service;
pub mod show;

use tiendo_core::authz::{Action, Actor, Resource, Role, Scope, authorize};
use tiendo_db::monitoring::Visibility;
use tiendo_db::visits::{self, Visit};
use tiendo_db::{orgtree, visits::OrgChoice};

use crate::auth::Auth;
use crate::error::AppError;
use crate::forms::fields::Choice;
use crate::layout::Ctx;
use crate::state::AppState;

pub use org_section::{OrgSection, organization_section};

/// Which visits an actor may see in lists: every one for province-wide staff, editors and reporters;
/// otherwise those organised by the organisations their staff, editor or administrator roles cover, and
/// those involving the organisations they report for. Matches [`may`] on each visit.
pub async fn visibility(state: &AppState, actor: &Actor) -> Result<Visibility, AppError> {
    let reader =
        |r: Role| matches!(r, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer | Role::Editor);
    let reporter = |r: Role| matches!(r, Role::LocalityOfficer | Role::PartnerOfficer);
    if actor.grants.iter().any(|g| g.scope == Scope::Province && (reader(g.role) || reporter(g.role))) {
        return Ok(Visibility::All);
    }
    let mut reporting = Vec::new();
    let mut staff = Vec::new();
    for g in &actor.grants {
        let target = if reporter(g.role) {
            &mut reporting
        } else if reader(g.role) {
            &mut staff
        } else {
            continue;
        };
        match g.scope {
            Scope::Organization(id) => target.push(id),
            Scope::Subtree(id) => target.extend(orgtree::subtree(state.db(), id).await?),
            Scope::Province => {}
        }
    }
    for list in [&mut reporting, &mut staff] {
        list.sort_unstable();
        list.dedup();
    }
    Ok(Visibility::Orgs { reporting, staff })
}

/// Whether the actor reports for one of the organisations the visit involved (a host, a member's
/// organisation, a directive's lead or coordinator).
async fn involves_actor(state: &AppState, auth: &Auth, visit_id: i64) -> Result<bool, AppError> {
    if !auth.actor.grants.iter().any(|g| matches!(g.role, Role::LocalityOfficer | Role::PartnerOfficer)) {
        return Ok(false);
    }
    for org in visits::involved_orgs(state.db(), visit_id).await? {
        let path = orgtree::path(state.db(), org).await?;
        if auth.actor.has_role_over(Role::LocalityOfficer, &path)
            || auth.actor.has_role_over(Role::PartnerOfficer, &path)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether the actor may do `action` on a visit.
pub async fn may(state: &AppState, auth: &Auth, visit: &Visit, action: Action) -> Result<bool, AppError> {
    let path = orgtree::path(state.db(), visit.organizer_org_id).await?;
    let staff_or_reader =
        authorize(&auth.actor, action, &Resource::Visit { organizer_path: &path, actor_involved: false });
    if staff_or_reader.is_allowed() {
        return Ok(true);
    }
    if !matches!(action, Action::View | Action::Export) {
        return Ok(false);
    }
    let involved = involves_actor(state, auth, visit.id).await?;
    Ok(authorize(&auth.actor, action, &Resource::Visit { organizer_path: &path, actor_involved: involved })
        .is_allowed())
}

/// Loads a visit the actor may see; 404 otherwise (the actor may not learn that it exists).
pub async fn visible(ctx: &Ctx, id: i64) -> Result<Visit, AppError> {
    let visit = visits::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    if !may(&ctx.state, &ctx.auth, &visit, Action::View).await? {
        return Err(AppError::NotFound);
    }
    Ok(visit)
}

/// Loads a visit the actor may change: 404 when they may not see it, 403 when they may only see it.
pub async fn editable(ctx: &Ctx, id: i64) -> Result<Visit, AppError> {
    let visit = visible(ctx, id).await?;
    if !may(&ctx.state, &ctx.auth, &visit, Action::Edit).await? {
        return Err(AppError::Forbidden);
    }
    Ok(visit)
}

/// Whether the actor may create visits at all (department staff somewhere).
pub fn may_create_any(auth: &Auth) -> bool {
    auth.actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer))
}

/// The organisations offered in the forms, those that ended marked with their end, as select options.
pub async fn org_choices(ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    Ok(visits::org_choices(ctx.state.db()).await?.iter().map(|o| org_choice(ctx, o)).collect())
}

fn org_choice(ctx: &Ctx, o: &OrgChoice) -> Choice {
    match o.valid_to {
        Some(to) if to <= crate::monitoring::today() => Choice::new(
            o.id,
            format!("{} ({})", o.name, ctx.tr.t_with("org-ended", &[("date", &tiendo_core::fmt::date(to))])),
        ),
        _ => Choice::new(o.id, o.name.clone()),
    }
}

/// Whether the caller may download a stored file because it belongs to a visit they may see.
pub async fn may_read_file(state: &AppState, auth: &Auth, attachment_id: i64) -> Result<bool, AppError> {
    for visit_id in visits::visits_using_attachment(state.db(), attachment_id).await? {
        if let Some(visit) = visits::get(state.db(), visit_id).await?
            && may(state, auth, &visit, Action::View).await?
        {
            return Ok(true);
        }
    }
    Ok(false)
}
