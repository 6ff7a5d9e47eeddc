//! The visit form (`/visits/new`, `/visits/{id}/edit`): purpose, legal basis, dates, the delegation (one
//! row per member, found in the directory by name) and the stops (one row per stop, with its agenda,
//! minutes and assessment). Spare rows are offered, and "add a row" buttons bring more without losing
//! anything typed; on any problem the form comes back as typed with each wrong field named, and a member
//! missing from the directory comes with a link that adds them (name filled in).

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::visits::{self as use_cases, OmittedStops};
use tiendo_core::visits::{MemberDraft, MemberRole, StopDraft, VisitAction, VisitDraft};
use tiendo_db::directory::{self, Page, PersonFilter};
use tiendo_db::visits::{self, Visit};

use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout};

/// Spare member rows offered below those typed.
const SPARE_MEMBERS: usize = 2;
/// Spare stop rows offered below those typed.
const SPARE_STOPS: usize = 1;

/// A member row of the form, with the messages of its fields.
#[derive(Debug, Clone)]
pub struct MemberRow {
    i: usize,
    name: String,
    role: String,
    org: String,
    /// Where to add the person when they are not in the directory.
    add_link: Option<String>,
    name_error: String,
    role_error: String,
    org_error: String,
}

/// A stop row of the form, with the messages of its fields.
#[derive(Debug, Clone)]
pub struct StopRow {
    i: usize,
    s: StopDraft,
    date_error: String,
    time_error: String,
    place_error: String,
    host_error: String,
    text_error: String,
}

#[derive(Template)]
#[template(path = "visits/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    cancel: String,
    heading: String,
    v: VisitDraft,
    members: Vec<MemberRow>,
    stops: Vec<StopRow>,
    errors: FormErrors,
    orgs: Vec<Choice>,
    documents: Vec<Choice>,
    plans: Vec<Choice>,
    roles: Vec<Choice>,
    people: Vec<String>,
}

/// Reads the form: single fields, then the rows of the repeated ones, position by position.
fn draft_of(form: &Submitted) -> VisitDraft {
    let column = |name: &str| form.all(name);
    let (names, roles, orgs) = (column("member_name"), column("member_role"), column("member_org"));
    let rows = names.len().max(roles.len()).max(orgs.len());
    let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
    let members = (0..rows)
        .map(|i| MemberDraft {
            name: at(&names, i),
            person_id: String::new(),
            role: at(&roles, i),
            organization_id: at(&orgs, i),
        })
        .collect();
    let stop_fields = [
        "stop_id",
        "stop_date",
        "stop_time",
        "stop_place",
        "stop_host",
        "stop_agenda",
        "stop_minutes",
        "stop_assessment",
    ]
    .map(column);
    let rows = stop_fields.iter().map(Vec::len).max().unwrap_or(0);
    let stops = (0..rows)
        .map(|i| StopDraft {
            id: at(&stop_fields[0], i),
            date: at(&stop_fields[1], i),
            time: at(&stop_fields[2], i),
            place: at(&stop_fields[3], i),
            host_id: at(&stop_fields[4], i),
            agenda: at(&stop_fields[5], i),
            minutes: at(&stop_fields[6], i),
            assessment: at(&stop_fields[7], i),
        })
        .collect();
    VisitDraft {
        title: form.get("title"),
        purpose: form.get("purpose"),
        organizer_id: form.get("organizer_id"),
        legal_basis_id: form.get("legal_basis_id"),
        parent_plan_id: form.get("parent_plan_id"),
        starts_on: form.get("starts_on"),
        ends_on: form.get("ends_on"),
        assessment: form.get("assessment"),
        members,
        stops,
    }
}

/// The draft of a stored visit, as the edit form starts.
async fn draft_of_visit(ctx: &Ctx, visit: &Visit) -> Result<VisitDraft, AppError> {
    let db = ctx.state.db();
    let opt = |id: Option<i64>| id.map(|i| i.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    Ok(VisitDraft {
        title: visit.title.clone(),
        purpose: visit.purpose.clone(),
        organizer_id: visit.organizer_org_id.to_string(),
        legal_basis_id: opt(visit.legal_basis_id),
        parent_plan_id: opt(visit.parent_plan_id),
        starts_on: tiendo_core::fmt::date(visit.starts_on),
        ends_on: tiendo_core::fmt::date(visit.ends_on),
        assessment: text(&visit.assessment),
        members: visits::members(db, visit.id)
            .await?
            .into_iter()
            .map(|m| MemberDraft {
                name: m.person_name,
                person_id: String::new(),
                role: m.role,
                organization_id: opt(m.organization_id),
            })
            .collect(),
        stops: visits::stops(db, visit.id)
            .await?
            .into_iter()
            .map(|s| StopDraft {
                id: s.id.to_string(),
                date: tiendo_core::fmt::date(s.on_date),
                time: text(&s.start_time),
                place: text(&s.place),
                host_id: s.host_org_id.to_string(),
                agenda: text(&s.agenda),
                minutes: text(&s.minutes),
                assessment: text(&s.assessment),
            })
            .collect(),
    })
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    mut v: VisitDraft,
    fields: &[FieldError],
    extra: (usize, usize),
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let (heading, action, cancel) = match id {
        Some(id) => (ctx.tr.t("visit-edit"), format!("/visits/{id}/edit"), format!("/visits/{id}")),
        None => (ctx.tr.t("visit-new"), "/visits/new".to_owned(), "/visits".to_owned()),
    };
    let blank_members = v.members.iter().rev().take_while(|m| m.name.trim().is_empty()).count();
    v.members.extend((blank_members..SPARE_MEMBERS + extra.0).map(|_| MemberDraft::default()));
    let blank_stops = v.stops.iter().rev().take_while(|s| s.is_blank() && s.id.is_empty()).count();
    v.stops.extend((blank_stops..SPARE_STOPS + extra.1).map(|_| StopDraft::default()));
    let errors = FormErrors::from_fields(fields, &ctx.tr);
    let message = |field: String| errors.get(&field).to_owned();
    let members = v
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| MemberRow {
            i,
            name: m.name.clone(),
            role: if m.role.is_empty() { MemberRole::Member.code().to_owned() } else { m.role.clone() },
            org: m.organization_id.clone(),
            add_link: fields
                .iter()
                .any(|f| f.field == format!("members[{i}].name") && f.code == "member_unknown")
                .then(|| use_cases::add_person_link(m.name.trim())),
            name_error: message(format!("members[{i}].name")),
            role_error: message(format!("members[{i}].role")),
            org_error: message(format!("members[{i}].organization_id")),
        })
        .collect();
    let stops = v
        .stops
        .iter()
        .enumerate()
        .map(|(i, s)| StopRow {
            i,
            s: s.clone(),
            date_error: message(format!("stops[{i}].date")),
            time_error: message(format!("stops[{i}].time")),
            place_error: message(format!("stops[{i}].place")),
            host_error: message(format!("stops[{i}].host_id")),
            text_error: [format!("stops[{i}].agenda"), format!("stops[{i}].minutes"), format!("stops[{i}].assessment")]
                .into_iter()
                .map(message)
                .find(|m| !m.is_empty())
                .unwrap_or_default(),
        })
        .collect();
    let people = directory::list_people(db, &PersonFilter::default(), Page::first(500))
        .await?
        .items
        .into_iter()
        .map(|p| p.person.display_name())
        .collect();
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        action,
        cancel,
        heading,
        members,
        stops,
        errors,
        orgs: super::org_choices(ctx).await?,
        documents: tiendo_db::monitoring::documents::options(db)
            .await?
            .into_iter()
            .map(|(id, label)| Choice::data(id, label))
            .collect(),
        plans: visits::plan_choices(db).await?.into_iter().map(|(id, t)| Choice::data(id, t)).collect(),
        roles: MemberRole::ALL
            .iter()
            .map(|r| Choice::new(r.code(), ctx.tr.t(&format!("visit-role-{}", r.code()))))
            .collect(),
        people,
        v,
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /visits/new`: a blank form, the leader's row first and the user's organisation as organiser.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !use_cases::may_create(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let draft = VisitDraft {
        organizer_id: ctx.auth.user.as_ref().and_then(|u| u.organization_id).map(|o| o.to_string()).unwrap_or_default(),
        members: vec![MemberDraft { role: MemberRole::Leader.code().to_owned(), ..MemberDraft::default() }],
        ..VisitDraft::default()
    };
    form_page(&ctx, None, draft, &[], (0, 0), StatusCode::OK).await
}

/// The visit, when the actor may change it: 404 when they may not see it, 403 when they may only see it.
async fn editable(ctx: &Ctx, id: i64) -> Result<Visit, AppError> {
    let opened = use_cases::open(ctx.state.app(), ctx.auth.session(), id).await?;
    opened.require(VisitAction::Edit)?;
    Ok(opened.visit)
}

/// `GET /visits/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let visit = editable(&ctx, id).await?;
    let draft = draft_of_visit(&ctx, &visit).await?;
    form_page(&ctx, Some(id), draft, &[], (0, 0), StatusCode::OK).await
}

/// `POST /visits/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    if !use_cases::may_create(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    submit(ctx, None, body).await
}

/// `POST /visits/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    editable(&ctx, id).await?;
    submit(ctx, Some(id), body).await
}

async fn submit(ctx: Ctx, id: Option<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = draft_of(&form);
    // "Add a row" shows the form again with one more row, saving nothing.
    if form.has("add_member") || form.has("add_stop") {
        let extra = (usize::from(form.has("add_member")), usize::from(form.has("add_stop")));
        return form_page(&ctx, id, draft, &[], extra, StatusCode::OK).await;
    }
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let saved = match id {
        Some(id) => use_cases::update(app, session, id, &draft, OmittedStops::Keep).await.map(|()| id),
        None => use_cases::create(app, session, &draft).await,
    };
    match saved {
        Ok(saved) => Ok(Redirect::to(&format!("/visits/{saved}?done=saved")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            form_page(&ctx, id, draft, &fields, (0, 0), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}
