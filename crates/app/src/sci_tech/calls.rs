//! Opening a call, changing it and publishing it on the portal. A call for selection (tuyển chọn) or an
//! invitation (giao trực tiếp) answers a listed task whose mode agrees; publishing it announces the task.

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::{AssignmentMode, CallDraft, CallFields, Machine, Route};
use tiendo_db::audit::Diff;
use tiendo_db::directory::{Listed, Page};
use tiendo_db::sci_tech::{self as stored, CallRecord, CallSummary, NewEvent};

use super::access::{OpenedCall, may_create_call, open_call};
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// Checks a draft and what needs the database: the listed task exists, is listed and is to be carried out
/// the way the call's route says; the organisation invited exists.
async fn checked(app: &App, draft: &CallDraft) -> Result<CallFields> {
    let machine = Machine::standard();
    let fields =
        draft.validate(machine).map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let mut errors = Vec::new();
    if let Some(listed) = fields.listed_id {
        match stored::proposal(app.db(), listed).await? {
            Some(p) if machine.state(&p.state).is_some_and(|s| s.listed && !s.terminal) => {
                let wanted =
                    if fields.route == Route::Direct { AssignmentMode::Direct } else { AssignmentMode::Selection };
                if p.mode.as_deref() != Some(wanted.code()) {
                    errors.push(FieldError::new("listed_id", "listed_mode_mismatch"));
                }
            }
            _ => errors.push(FieldError::new("listed_id", "listed_task_unknown")),
        }
    }
    if let Some(org) = fields.invited_org_id
        && tiendo_db::orgtree::name(app.db(), org).await?.is_none()
    {
        errors.push(FieldError::new("invited_org_id", "unknown_organization"));
    }
    crate::check(errors)?;
    Ok(fields)
}

/// Opens a call (unpublished) from what was typed; its id. `Forbidden` unless the actor is the department's
/// staff; `Invalid` naming every field at fault.
pub async fn create_call(app: &App, session: &Session, draft: &CallDraft) -> Result<i64> {
    insert(app, session, draft, false).await
}

/// Opens a call of the demonstration's story, marked as sample data.
pub async fn create_sample_call(app: &App, session: &Session, draft: &CallDraft) -> Result<i64> {
    insert(app, session, draft, true).await
}

async fn insert(app: &App, session: &Session, draft: &CallDraft, is_sample: bool) -> Result<i64> {
    if !may_create_call(session) {
        return Err(Error::FORBIDDEN);
    }
    let fields = checked(app, draft).await?;
    let record =
        CallRecord { fields, organizer_org_id: session.user.as_ref().and_then(|u| u.organization_id), is_sample };
    let tx = app.begin().await?;
    let id = stored::create_call(&tx, &record, session.user_id(), app.now()).await?;
    let f = &record.fields;
    let entry = Entry::new("create", entity::CALL, id, "audit-st-call-created")
        .arg("title", &f.title)
        .change("title", None::<String>, &f.title)
        .change("route", None::<String>, f.route.code())
        .change("opens_at", None::<String>, f.opens_at)
        .change("closes_at", None::<String>, f.closes_at);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a call. Its route and regime are fixed once anything was sent to it (`route_locked`); a
/// published call keeps its route and listed task. `NotFound`, `Forbidden`, `Invalid` as for
/// [`create_call`].
pub async fn update_call(app: &App, session: &Session, id: i64, draft: &CallDraft) -> Result<()> {
    let OpenedCall { call, may_edit } = open_call(app, session, id).await?;
    if !may_edit {
        return Err(Error::FORBIDDEN);
    }
    let fields = checked(app, draft).await?;
    let received = stored::proposal_count(app.db(), id).await?;
    let route_changed =
        fields.route.code() != call.route || fields.regime.code() != call.regime || fields.listed_id != call.listed_id;
    if route_changed && (received > 0 || call.published_at.is_some()) {
        return Err(Error::invalid("route", "route_locked"));
    }
    let tx = app.begin().await?;
    stored::update_call(&tx, id, &fields, app.now()).await?;
    let mut diff = Diff::new();
    diff.field("title", &call.title, &fields.title)
        .field("year", &call.year, &i64::from(fields.year))
        .field("route", &call.route, &fields.route.code().to_owned())
        .field("opens_at", &call.opens_at, &fields.opens_at)
        .field("closes_at", &call.closes_at, &fields.closes_at)
        .field("fields", &call.fields, &fields.fields.join("\n"))
        .field("eligibility", &call.eligibility, &fields.eligibility);
    if !diff.is_empty() {
        let entry = Entry::new("update", entity::CALL, id, "audit-st-call-updated")
            .arg("title", &fields.title)
            .changes(diff.into_changes());
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Publishes a call on the portal. A call for selection or an invitation announces its listed task
/// (`announce`, taken by the system with the call's name as its note) in the same transaction.
/// `Conflict` `call_published` when it was published already.
pub async fn publish_call(app: &App, session: &Session, id: i64) -> Result<()> {
    let OpenedCall { call, may_edit } = open_call(app, session, id).await?;
    if !may_edit || !authorize(&session.actor, Action::Publish, &Resource::Call { published: false }).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let now = app.now();
    let tx = app.begin().await?;
    if !stored::publish_call(&tx, id, now).await? {
        return Err(Error::conflict("call_published"));
    }
    let entry = Entry::new("publish", entity::CALL, id, "audit-st-call-published").arg("title", &call.title);
    audit::record(app, &tx, session, entry).await?;
    if let Some(listed) = call.listed_id {
        let machine = Machine::standard();
        let p = stored::proposal(&tx, listed).await?.ok_or(Error::NotFound)?;
        if let Some(t) = machine.find(Route::Order, &p.state, "announce") {
            if !stored::move_state(&tx, listed, &p.state, &t.to, now).await? {
                return Err(Error::conflict("transition_stale"));
            }
            let note = Tr::new(Lang::Vi).t_with("st-announced-note", &[("call", &call.title)]);
            let event = NewEvent {
                action: &t.action,
                from: &p.state,
                to: &t.to,
                actor_user_id: session.user_id(),
                actor_name: &super::transitions::actor_name(session),
                note: Some(&note),
                reasons: &[],
                decision: None,
            };
            stored::add_event(&tx, listed, &event, now).await?;
            let entry = Entry::new("announce", entity::PROPOSAL, listed, "audit-st-announce")
                .arg("title", &p.title)
                .change("state", &p.state, &t.to);
            audit::record(app, &tx, session, entry).await?;
        }
    }
    if let Some(invited) = call.invited_org_id {
        let path = tiendo_db::orgtree::path(&tx, invited).await?;
        let link = format!("/calls/{id}");
        let notice = crate::message::Notice::new(
            crate::message::Message::key("notify-st-invited").data("call", &call.title),
            crate::message::Message::default(),
        );
        for (user, email) in stored::owners_of(&tx, &path, None).await? {
            super::notify::send(app, &tx, user, email, "st_invited", &notice, &link).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A page of calls, the latest deadline first: the staff see their drafts too.
pub async fn list_calls(
    app: &App,
    session: &Session,
    q: Option<&str>,
    year: Option<i64>,
    page: Page,
) -> Result<Listed<CallSummary>> {
    Ok(stored::list_calls(app.db(), may_create_call(session), q, year, page).await?)
}
