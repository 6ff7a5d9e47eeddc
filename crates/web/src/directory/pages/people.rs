//! The people directory: list with a filter, one person with their roles, create and edit, and adding or
//! ending a role.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_app::directory::people::{self as use_case, PersonInput};
use tiendo_app::directory::{may, require};
use tiendo_core::authz::Action;
use tiendo_core::directory::{AcademicRank, AffiliationDraft, Degree, PersonDraft, parse_date};
use tiendo_core::fmt;
use tiendo_db::directory::{self, Page, Person, PersonFilter};

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, Submitted, page_number, pager};
use crate::geo::pages::views::validity_text;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout, render};

/// People per page.
const PER_PAGE: i64 = 50;

/// A role as lists show it.
#[derive(Debug)]
struct RoleView {
    id: i64,
    role: String,
    org_href: String,
    org_name: String,
    period: String,
    current: bool,
}

fn role_view(ctx: &Ctx, a: &directory::Affiliation, today: NaiveDate) -> RoleView {
    RoleView {
        id: a.id,
        role: a.role.clone(),
        org_href: format!("/organizations/{}", a.organization_id),
        org_name: a.organization_name.clone(),
        period: match (a.valid_from, a.valid_to) {
            (None, None) => ctx.tr.t("affiliation-open"),
            (from, to) => validity_text(from, to, &ctx.tr),
        },
        current: a.current_on(today),
    }
}

/// A person in the list.
#[derive(Debug)]
struct PersonRow {
    href: String,
    name: String,
    position: String,
    roles: Vec<RoleView>,
    is_sample: bool,
}

/// Query of `GET /people`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    organization: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "directory/people.html")]
struct ListPage {
    layout: Layout,
    q: String,
    organization: String,
    organizations: Vec<Choice>,
    summary: String,
    rows: Vec<PersonRow>,
    pager: Pager,
    can_create: bool,
}

async fn org_choices(ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    Ok(tiendo_db::orgtree::options(ctx.state.db()).await?.into_iter().map(|o| Choice::data(o.id, o.name)).collect())
}

/// `GET /people`: people in Vietnamese order (by given name), filtered without diacritics.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::View, &[])?;
    let today = ctx.state.app().today();
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let organization = query.organization.unwrap_or_default();
    let filter =
        PersonFilter { q: (!q.is_empty()).then(|| q.clone()), organization_id: organization.parse().ok(), on: None };
    let listed =
        directory::list_people(ctx.state.db(), &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let rows: Vec<PersonRow> = listed
        .items
        .iter()
        .map(|s| PersonRow {
            href: format!("/people/{}", s.person.id),
            name: s.person.display_name(),
            position: s.person.position.clone().unwrap_or_default(),
            roles: s.roles.iter().map(|a| role_view(&ctx, a, today)).collect(),
            is_sample: s.person.is_sample,
        })
        .collect();
    let params = [("q", q.clone()), ("organization", organization.clone())];
    render(&ListPage {
        layout: ctx.layout("people-title"),
        summary: ctx.tr.t_count("dir-list-total", "count", listed.total),
        pager: pager(&ctx.tr, "/people", &params, page, PER_PAGE, listed.total, rows.len()),
        q,
        organization,
        organizations: org_choices(&ctx).await?,
        rows,
        can_create: may(ctx.auth.session(), Action::Create, &[]),
    })
}

/// The fields of the form that adds a role, as typed.
#[derive(Debug, Clone, Default)]
struct RoleValues {
    organization_id: String,
    role: String,
    valid_from: String,
    valid_to: String,
}

#[derive(Template)]
#[template(path = "directory/person.html")]
struct ShowPage {
    layout: Layout,
    person: Person,
    title_words: String,
    roles: Vec<RoleView>,
    organizations: Vec<Choice>,
    add: RoleValues,
    errors: FormErrors,
    end_error: Option<(i64, String, String)>,
    today: String,
    can_edit: bool,
    history: Vec<HistoryItem>,
}

async fn show_page(
    ctx: &Ctx,
    id: i64,
    add: RoleValues,
    errors: FormErrors,
    end_error: Option<(i64, String, String)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let today = ctx.state.app().today();
    let person = directory::person(db, id).await?.ok_or(AppError::NotFound)?;
    let roles = directory::affiliations_of_person(db, id).await?;
    let h = person.honorific;
    let title_words = [h.rank.map(|r| r.name(ctx.lang)), h.degree.map(|d| d.name(ctx.lang))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let page = ShowPage {
        layout: ctx.layout_named(person.display_name()),
        title_words,
        roles: roles.iter().map(|a| role_view(ctx, a, today)).collect(),
        organizations: org_choices(ctx).await?,
        add,
        errors,
        end_error,
        today: fmt::date(today),
        can_edit: may(ctx.auth.session(), Action::Edit, &[]),
        history: crate::history::load(&ctx.state, &ctx.tr, "person", id).await?,
        person,
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /people/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::View, &[])?;
    show_page(&ctx, id, RoleValues::default(), FormErrors::new(), None, StatusCode::OK).await
}

/// What the person form holds, as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    full_name: String,
    academic_rank: String,
    degree: String,
    position: String,
    email: String,
    phone: String,
    expertise: String,
    is_sample: bool,
}

impl Values {
    fn from_form(f: &Submitted) -> Values {
        Values {
            full_name: f.get("full_name"),
            academic_rank: f.get("academic_rank"),
            degree: f.get("degree"),
            position: f.get("position"),
            email: f.get("email"),
            phone: f.get("phone"),
            expertise: f.get("expertise"),
            is_sample: f.has("is_sample"),
        }
    }

    fn from_person(p: &Person) -> Values {
        Values {
            full_name: p.full_name.clone(),
            academic_rank: p.honorific.rank.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            degree: p.honorific.degree.map(|d| d.as_str().to_owned()).unwrap_or_default(),
            position: p.position.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            expertise: p.expertise.join("\n"),
            is_sample: p.is_sample,
        }
    }

    fn draft(&self) -> PersonDraft {
        PersonDraft {
            full_name: self.full_name.clone(),
            academic_rank: self.academic_rank.clone(),
            degree: self.degree.clone(),
            position: self.position.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            expertise: self.expertise.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "directory/person_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    cancel: String,
    heading: String,
    v: Values,
    errors: FormErrors,
    ranks: Vec<Choice>,
    degrees: Vec<Choice>,
}

fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    v: Values,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (heading, action, cancel) = match id {
        Some(id) => (ctx.tr.t("person-edit-heading"), format!("/people/{id}/edit"), format!("/people/{id}")),
        None => (ctx.tr.t("person-new-heading"), "/people/new".to_owned(), "/people".to_owned()),
    };
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        action,
        cancel,
        heading,
        v,
        errors,
        ranks: AcademicRank::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), format!("{} ({})", r.name(ctx.lang), r.abbreviation())))
            .collect(),
        degrees: Degree::ALL
            .iter()
            .map(|d| Choice::new(d.as_str(), format!("{} ({})", d.name(ctx.lang), d.abbreviation())))
            .collect(),
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// Query of the new-person form: a name already typed elsewhere (a visit's member not in the directory).
#[derive(Debug, Default, Deserialize)]
pub struct NewPersonQuery {
    #[serde(default)]
    full_name: String,
}

/// `GET /people/new`, with `?full_name=` filled in when given.
pub async fn new_form(ctx: Ctx, Query(q): Query<NewPersonQuery>) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Create, &[])?;
    let values = Values { full_name: tiendo_core::text::normalize_input(&q.full_name), ..Values::default() };
    form_page(&ctx, None, values, FormErrors::new(), StatusCode::OK)
}

/// `GET /people/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(ctx.auth.session(), Action::Edit, &[])?;
    form_page(&ctx, Some(id), Values::from_person(&person), FormErrors::new(), StatusCode::OK)
}

/// `POST /people/new` and `POST /people/{id}/edit`: saves through the use case; a wrong field brings the
/// form back with what was typed.
async fn submit(ctx: Ctx, id: Option<i64>, body: Bytes) -> Result<Response, AppError> {
    let v = Values::from_form(&Submitted::parse(&body));
    let input = PersonInput { draft: v.draft(), is_sample: v.is_sample };
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let saved = match id {
        Some(id) => use_case::update(app, session, id, &input).await.map(|()| id),
        None => use_case::create(app, session, &input).await,
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(&ctx, id, v, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /people/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Create, &[])?;
    submit(ctx, None, body).await
}

/// `POST /people/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    if directory::person(ctx.state.db(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    require(ctx.auth.session(), Action::Edit, &[])?;
    submit(ctx, Some(id), body).await
}

/// `POST /people/{id}/affiliations`: adds a role; a wrong field brings the person's page back with the
/// role form filled in and the field named.
pub async fn add_role(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    if directory::person(ctx.state.db(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let form = Submitted::parse(&body);
    let values = RoleValues {
        organization_id: form.get("organization_id"),
        role: form.get("role"),
        valid_from: form.get("valid_from"),
        valid_to: form.get("valid_to"),
    };
    let draft = AffiliationDraft {
        organization_id: values.organization_id.clone(),
        role: values.role.clone(),
        valid_from: values.valid_from.clone(),
        valid_to: values.valid_to.clone(),
    };
    match use_case::add_affiliation(ctx.state.app(), ctx.auth.session(), id, &draft).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            show_page(&ctx, id, values, errors, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /people/{id}/affiliations/{affiliation}/end`: ends a role on the day given.
pub async fn end_role(ctx: Ctx, Path((id, affiliation)): Path<(i64, i64)>, body: Bytes) -> Result<Response, AppError> {
    let found = directory::affiliation(ctx.state.db(), affiliation).await?.filter(|a| a.person_id == id);
    if found.is_none() {
        return Err(AppError::NotFound);
    }
    let form = Submitted::parse(&body);
    let typed = form.get("valid_to");
    let error = |message: String| Some((affiliation, typed.clone(), message));
    let Some(on) = parse_date(&typed) else {
        let key = if typed.trim().is_empty() { "field-required" } else { "field-date_format" };
        let end_error = error(ctx.tr.t(key));
        return show_page(
            &ctx,
            id,
            RoleValues::default(),
            FormErrors::new(),
            end_error,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match use_case::end_affiliation(ctx.state.app(), ctx.auth.session(), affiliation, on).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let message = fields.first().map(|f| crate::errors_render::field_message(f, &ctx.tr)).unwrap_or_default();
            show_page(
                &ctx,
                id,
                RoleValues::default(),
                FormErrors::new(),
                error(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
