//! `/api/v1/people` and `/api/v1/affiliations`: people with their academic titles and their time-bounded
//! roles in organisations.

use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_core::authz::Action;
use tiendo_core::directory::{AffiliationDraft, PersonDraft};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::directory::{self, Affiliation, Page, Person, PersonFilter, PersonRecord};
use utoipa::ToSchema;

use super::ListPage;
use super::extract::{ApiJson, ApiQuery};
use super::paging::Paging;
use super::units::today;
use crate::directory::{app_error, field_errors, org_path, require};
use crate::error::{AppError, Problem};
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

impl From<&Affiliation> for AffiliationOut {
    fn from(a: &Affiliation) -> AffiliationOut {
        AffiliationOut {
            id: a.id,
            person_id: a.person_id,
            person_name: a.person_name.clone(),
            organization_id: a.organization_id,
            organization_name: a.organization_name.clone(),
            role: a.role.clone(),
            valid_from: a.valid_from,
            valid_to: a.valid_to,
            current: a.current_on(today()),
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

/// The API form of a person with these roles.
pub fn person_out(p: &Person, roles: &[Affiliation]) -> PersonOut {
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
        affiliations: roles.iter().map(AffiliationOut::from).collect(),
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
    require(&ctx.auth, Action::View, &[])?;
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let filter = PersonFilter { q: query.q, organization_id: query.organization, on: None };
    let listed =
        directory::list_people(ctx.state.db(), &filter, Page { offset: paging.offset, limit: paging.limit }).await?;
    let items: Vec<PersonOut> = listed.items.iter().map(|s| person_out(&s.person, &s.roles)).collect();
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

fn person_record(input: &PersonIn) -> Result<PersonRecord, AppError> {
    let draft = PersonDraft {
        full_name: input.full_name.clone(),
        academic_rank: input.academic_rank.clone().unwrap_or_default(),
        degree: input.degree.clone().unwrap_or_default(),
        position: input.position.clone().unwrap_or_default(),
        email: input.email.clone().unwrap_or_default(),
        phone: input.phone.clone().unwrap_or_default(),
        expertise: input.expertise.iter().map(|e| e.replace(['\n', ';'], " ")).collect::<Vec<_>>().join("\n"),
    };
    let fields = draft.validate().map_err(|issues| AppError::Validation(field_errors(issues)))?;
    Ok(PersonRecord { fields, is_sample: input.is_sample })
}

/// Creates a person, authorized and audited; returns the id.
pub async fn create(ctx: &Ctx, record: &PersonRecord) -> Result<i64, AppError> {
    require(&ctx.auth, Action::Create, &[])?;
    let tx = ctx.state.db().begin().await?;
    let id = directory::create_person(&tx, record, Utc::now()).await?;
    let created = directory::person(&tx, id).await?.ok_or(AppError::NotFound)?;
    let event = NewEvent::new("create", "person", id, format!("Thêm {} vào danh bạ", created.display_name()))
        .with_changes(directory::diff_people(None, &created));
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a person's fields, authorized and audited.
pub async fn update(ctx: &Ctx, id: i64, record: &PersonRecord) -> Result<(), AppError> {
    require(&ctx.auth, Action::Edit, &[])?;
    let tx = ctx.state.db().begin().await?;
    let before = directory::person(&tx, id).await?.ok_or(AppError::NotFound)?;
    directory::update_person(&tx, id, record, Utc::now()).await.map_err(app_error)?;
    let after = directory::person(&tx, id).await?.ok_or(AppError::NotFound)?;
    let changes = directory::diff_people(Some(&before), &after);
    if !changes.is_empty() {
        let event = NewEvent::new("update", "person", id, format!("Sửa thông tin {}", after.display_name()))
            .with_changes(changes);
        audit::append(&tx, &ctx.auth.who(), &event).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn created(location: String, body: impl Serialize) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
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
    require(&ctx.auth, Action::Create, &[])?;
    let id = create(&ctx, &person_record(&input)?).await?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/people/{id}"), person_out(&person, &[])))
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
    require(&ctx.auth, Action::View, &[])?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let roles = directory::affiliations_of_person(ctx.state.db(), id).await?;
    Ok(Json(person_out(&person, &roles)))
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
    require(&ctx.auth, Action::Edit, &[])?;
    if directory::person(ctx.state.db(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    update(&ctx, id, &person_record(&input)?).await?;
    let person = directory::person(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    let roles = directory::affiliations_of_person(ctx.state.db(), id).await?;
    Ok(Json(person_out(&person, &roles)))
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

/// Adds a role, authorized on the organisation, audited on the person.
pub async fn add_affiliation(ctx: &Ctx, person_id: i64, draft: &AffiliationDraft) -> Result<i64, AppError> {
    let fields = draft.validate().map_err(|issues| AppError::Validation(field_errors(issues)))?;
    let path = org_path(&ctx.state, Some(fields.organization_id)).await?;
    if !path.is_empty() {
        require(&ctx.auth, Action::Edit, &path)?;
    }
    let tx = ctx.state.db().begin().await?;
    let id = directory::add_affiliation(&tx, person_id, &fields).await.map_err(app_error)?;
    let added = directory::affiliation(&tx, id).await?.ok_or(AppError::NotFound)?;
    let event = NewEvent::new(
        "add_affiliation",
        "person",
        person_id,
        format!("{}: {} tại {}", added.person_name, added.role, added.organization_name),
    )
    .with_changes(vec![Change::new(
        "affiliation",
        None::<String>,
        format!("{} — {}", added.role, added.organization_name),
    )]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a role, authorized on its organisation, audited on the person.
pub async fn end_affiliation(ctx: &Ctx, id: i64, on: NaiveDate) -> Result<Affiliation, AppError> {
    let current = directory::affiliation(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(&ctx.auth, Action::Edit, &org_path(&ctx.state, Some(current.organization_id)).await?)?;
    let tx = ctx.state.db().begin().await?;
    let ended = directory::end_affiliation(&tx, id, on).await.map_err(app_error)?;
    let event = NewEvent::new(
        "end_affiliation",
        "person",
        ended.person_id,
        format!(
            "{}: thôi {} tại {} từ {}",
            ended.person_name,
            ended.role,
            ended.organization_name,
            tiendo_core::fmt::date(on)
        ),
    )
    .with_changes(vec![Change::new("valid_to", None::<NaiveDate>, Some(on))]);
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(ended)
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
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
    require(&ctx.auth, Action::Create, &[])?;
    if directory::person(ctx.state.db(), person_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let draft = AffiliationDraft {
        organization_id: input.organization_id.to_string(),
        role: input.role,
        valid_from: date_text(input.valid_from),
        valid_to: date_text(input.valid_to),
    };
    let id = add_affiliation(&ctx, person_id, &draft).await?;
    let added = directory::affiliation(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/people/{person_id}"), AffiliationOut::from(&added)))
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
    require(&ctx.auth, Action::View, &[])?;
    let ended = end_affiliation(&ctx, id, input.valid_to).await?;
    Ok(Json(AffiliationOut::from(&ended)))
}
