//! `/api/v1/people` and `/api/v1/affiliations`: people with their academic titles and their time-bounded
//! roles in organisations.

use axum::Json;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::directory::people::{self as use_case, PersonInput};
use tiendo_core::directory::{AffiliationDraft, PersonDraft};
use tiendo_db::directory::{self, Affiliation, Page, Person, PersonFilter};
use utoipa::ToSchema;

use super::{created, date_text, require_reader};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;

/// A person's role in an organisation during a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AffiliationOut {
    /// Its id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The person's name with their title.
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
    /// Whether it is held today.
    pub current: bool,
}

impl AffiliationOut {
    /// The API form of a role, current or not on `today`.
    pub fn new(a: &Affiliation, today: NaiveDate) -> AffiliationOut {
        AffiliationOut {
            id: a.id,
            person_id: a.person_id,
            person_name: a.person_name.clone(),
            organization_id: a.organization_id,
            organization_name: a.organization_name.clone(),
            role: a.role.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
            current: a.current_on(today),
        }
    }
}

/// A person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonOut {
    /// Its id.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// The title and degree as written before the name ("PGS.TS."), empty for none.
    pub title: String,
    /// The name with its title ("TS. Nguyễn Đắc Bình Minh").
    pub display_name: String,
    /// `professor` or `associate_professor`.
    pub academic_rank: Option<String>,
    /// `doctor_of_science`, `doctor`, `master`, `engineer`, `architect`, `physician`, `pharmacist` or
    /// `bachelor`.
    pub degree: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fields of expertise.
    pub expertise: Vec<String>,
    /// Invented for the demo (shown as sample data).
    pub is_sample: bool,
    /// Roles: in a list, those held today; for one person, all of them (current first).
    pub affiliations: Vec<AffiliationOut>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The API form of a person with these roles, current or not on `today`.
pub fn person_out(p: &Person, roles: &[Affiliation], today: NaiveDate) -> PersonOut {
    PersonOut {
        id: p.id,
        full_name: p.full_name.clone(),
        title: p.honorific.abbreviation(),
        display_name: p.display_name(),
        academic_rank: p.honorific.rank.map(|r| r.as_str().to_owned()),
        degree: p.honorific.degree.map(|d| d.as_str().to_owned()),
        position: p.position.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        expertise: p.expertise.clone(),
        is_sample: p.is_sample,
        affiliations: roles.iter().map(|a| AffiliationOut::new(a, today)).collect(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// Query of `GET /people`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonListQuery {
    /// Text in the name, ignoring case and diacritics.
    pub q: Option<String>,
    /// Only people holding a role in this organisation today.
    pub organization: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// People, in Vietnamese order (by given name, then the whole name), with the roles they hold today.
#[utoipa::path(get, path = "/people", tag = "directory", operation_id = "list_people",
    params(PersonListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "People in Vietnamese order", body = ListPage<PersonOut>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_people(
    ctx: Ctx,
    ApiQuery(query): ApiQuery<PersonListQuery>,
) -> Result<Json<ListPage<PersonOut>>, AppError> {
    require_reader(&ctx)?;
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let filter = PersonFilter { q: query.q, organization_id: query.organization, on: None };
    let listed =
        directory::list_people(ctx.state.db(), &filter, Page { offset: paging.offset, limit: paging.limit }).await?;
    let today = ctx.state.app().today();
    let items: Vec<PersonOut> = listed.items.iter().map(|s| person_out(&s.person, &s.roles, today)).collect();
    Ok(Json(ListPage { next: paging.next(items.len(), listed.total), items, total: listed.total }))
}

/// A person to create or the new state of one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonIn {
    /// Full name.
    pub full_name: String,
    /// `professor` or `associate_professor`.
    pub academic_rank: Option<String>,
    /// `doctor_of_science`, `doctor`, `master`, `engineer`, `architect`, `physician`, `pharmacist` or
    /// `bachelor`.
    pub degree: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fields of expertise.
    #[serde(default)]
    pub expertise: Vec<String>,
    /// Invented for the demo.
    #[serde(default)]
    pub is_sample: bool,
}

/// The use case's input: the fields as sent, one field of expertise a line.
fn input_from(body: &PersonIn) -> PersonInput {
    let draft = PersonDraft {
        full_name: body.full_name.clone(),
        academic_rank: body.academic_rank.clone().unwrap_or_default(),
        degree: body.degree.clone().unwrap_or_default(),
        position: body.position.clone().unwrap_or_default(),
        email: body.email.clone().unwrap_or_default(),
        phone: body.phone.clone().unwrap_or_default(),
        expertise: body.expertise.iter().map(|e| e.replace(['\n', ';'], " ")).collect::<Vec<_>>().join("\n"),
    };
    PersonInput { draft, is_sample: body.is_sample }
}

/// Creates a person.
#[utoipa::path(post, path = "/people", tag = "directory", operation_id = "create_person",
    request_body = PersonIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 201, description = "Created", body = PersonOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`required`, `invalid`, `email_format`, `phone_format`, ...)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn create_person(ctx: Ctx, ApiJson(input): ApiJson<PersonIn>) -> Result<Response, AppError> {
    let id = use_case::create(ctx.state.app(), ctx.auth.session(), &input_from(&input)).await?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/people/{id}"), person_out(&person, &[], ctx.state.app().today())))
}

/// One person with every role they held.
#[utoipa::path(get, path = "/people/{id}", tag = "directory", operation_id = "get_person",
    params(("id" = i64, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person", body = PersonOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_person(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<PersonOut>, AppError> {
    require_reader(&ctx)?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let roles = directory::affiliations_of_person(ctx.state.db(), id).await?;
    Ok(Json(person_out(&person, &roles, ctx.state.app().today())))
}

/// Replaces a person's fields.
#[utoipa::path(put, path = "/people/{id}", tag = "directory", operation_id = "update_person",
    params(("id" = i64, Path, description = "The person's id")),
    request_body = PersonIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Updated", body = PersonOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_person(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PersonIn>,
) -> Result<Json<PersonOut>, AppError> {
    use_case::update(ctx.state.app(), ctx.auth.session(), id, &input_from(&input)).await?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let roles = directory::affiliations_of_person(ctx.state.db(), id).await?;
    Ok(Json(person_out(&person, &roles, ctx.state.app().today())))
}

/// A role to add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AffiliationIn {
    /// The organisation.
    pub organization_id: i64,
    /// The role ("Giám đốc", "Viện trưởng").
    pub role: String,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer held.
    pub valid_to: Option<NaiveDate>,
}

/// Adds a role to a person.
#[utoipa::path(post, path = "/people/{id}/affiliations", tag = "directory", operation_id = "create_affiliation",
    params(("id" = i64, Path, description = "The person's id")),
    request_body = AffiliationIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 201, description = "Added", body = AffiliationOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff in the organisation's scope", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such person", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`required`, `unknown_organization`, `date_order`)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn create_affiliation(
    ctx: Ctx,
    Path(person_id): Path<i64>,
    ApiJson(input): ApiJson<AffiliationIn>,
) -> Result<Response, AppError> {
    let draft = AffiliationDraft {
        organization_id: input.organization_id.to_string(),
        role: input.role,
        valid_from: date_text(input.valid_from),
        valid_to: date_text(input.valid_to),
    };
    let id = use_case::add_affiliation(ctx.state.app(), ctx.auth.session(), person_id, &draft).await?;
    let added = directory::affiliation(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/people/{person_id}"), AffiliationOut::new(&added, ctx.state.app().today())))
}

/// When a role ends.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EndAffiliationIn {
    /// The first day the role is no longer held.
    pub valid_to: NaiveDate,
}

/// Ends a role held until now.
#[utoipa::path(post, path = "/affiliations/{id}/end", tag = "directory", operation_id = "end_affiliation",
    params(("id" = i64, Path, description = "The affiliation's id")),
    request_body = EndAffiliationIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Ended", body = AffiliationOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff in the organisation's scope", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such affiliation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`already_ended` or `date_order`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn end_affiliation_api(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EndAffiliationIn>,
) -> Result<Json<AffiliationOut>, AppError> {
    require_reader(&ctx)?;
    let ended = use_case::end_affiliation(ctx.state.app(), ctx.auth.session(), id, input.valid_to).await?;
    Ok(Json(AffiliationOut::new(&ended, ctx.state.app().today())))
}
