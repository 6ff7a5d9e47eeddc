//! `/api/v1/organizations`: the organisation directory. Reading needs a signed-in user; creating and
//! editing, department staff or administrators whose scope covers the organisation.

use axum::Json;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::directory::organizations::{self as use_case, OrganizationInput, UnitChoice};
use tiendo_app::directory::unit_today;
use tiendo_core::directory::{OrgKind, OrganizationDraft};
use tiendo_core::geo::AdminUnitCode;
use tiendo_db::directory::{self, OrgFilter, Organization, Page, SuccessionPlan};
use utoipa::ToSchema;

use super::{created, date_text, require_reader};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::{Paging, invalid};
use crate::error::{AppError, FieldError, Problem};
use crate::extract::Path;
use crate::geo::api::units::UnitOut;
use crate::layout::Ctx;

/// An organisation named by another record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgRefOut {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// An organisation (cơ quan, đơn vị).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationOut {
    /// Its id.
    pub id: i64,
    /// Its kind: `provincial_party_committee`, `party_committee`, `peoples_council`, `provincial_committee`,
    /// `district_committee`, `commune_committee`, `department`, `division`, `ministry`, `research_institute`,
    /// `university`, `enterprise`, `st_organization`, `association` or `other`.
    pub kind: String,
    /// Full name.
    pub name: String,
    /// The abbreviation used in document symbols.
    pub abbreviation: Option<String>,
    /// The organisation it belongs to.
    pub parent: Option<OrgRefOut>,
    /// The address as written.
    pub address: Option<String>,
    /// The part of the address below the unit ("thôn 3").
    pub address_detail: Option<String>,
    /// The administrative unit the address names, with that unit's validity.
    pub admin_unit: Option<UnitOut>,
    /// What that unit is today (equal to `admin_unit` while it is in force).
    pub admin_unit_today: Option<UnitOut>,
    /// Tax code: 10 digits, or 10 digits, a dash and 3 digits for a branch.
    pub tax_code: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer in existence.
    pub valid_to: Option<NaiveDate>,
    /// The successor that took over what it owned, once it ended.
    pub successor: Option<OrgRefOut>,
    /// Invented for the demo (shown as sample data).
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The API form of an organisation, with what its unit is today.
pub async fn organization_out(ctx: &Ctx, o: &Organization) -> Result<OrganizationOut, AppError> {
    let today_unit = match &o.unit {
        Some(u) => unit_today(ctx.state.app(), u).await?,
        None => None,
    };
    Ok(OrganizationOut {
        id: o.id,
        kind: o.kind.as_str().to_owned(),
        name: o.name.clone(),
        abbreviation: o.abbreviation.clone(),
        parent: o.parent.as_ref().map(|p| OrgRefOut { id: p.id, name: p.name.clone() }),
        address: o.address.clone(),
        address_detail: o.address_detail.clone(),
        admin_unit: o.unit.as_ref().map(UnitOut::from),
        admin_unit_today: today_unit.as_ref().map(UnitOut::from),
        tax_code: o.tax_code.as_ref().map(ToString::to_string),
        phone: o.phone.clone(),
        email: o.email.clone(),
        website: o.website.clone(),
        valid_from: o.valid_from,
        valid_to: o.valid_to,
        successor: o.successor.as_ref().map(|p| OrgRefOut { id: p.id, name: p.name.clone() }),
        is_sample: o.is_sample,
        created_at: o.created_at,
        updated_at: o.updated_at,
    })
}

/// Query of `GET /organizations`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgListQuery {
    /// Text in the name, ignoring case and diacritics; digits also match the start of the tax code.
    pub q: Option<String>,
    /// Only this kind (its code).
    #[param(schema_with = kind_filter)]
    pub kind: Option<String>,
    /// Only the organisations directly under this one.
    pub parent: Option<i64>,
    /// Only organisations located in the unit with this code (in force on `unit_as_of`), in the units under
    /// it, or in units that became it: `unit=07168` finds an enterprise registered at xã Hoàng Tân.
    #[param(pattern = "^(?:[0-9]{2}|[0-9]{3}|[0-9]{5})?$")]
    pub unit: Option<String>,
    /// The day on which `unit` names a unit (default: today).
    pub unit_as_of: Option<NaiveDate>,
    /// Only organisations in existence on this day.
    pub active_on: Option<NaiveDate>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// Organisations, in Vietnamese alphabetical order of their names.
#[utoipa::path(get, path = "/organizations", tag = "directory", operation_id = "list_organizations",
    params(OrgListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Organisations in Vietnamese alphabetical order", body = ListPage<OrganizationOut>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_unit` on `unit`: no unit with this code is in force on `unit_as_of`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_organizations(
    ctx: Ctx,
    ApiQuery(query): ApiQuery<OrgListQuery>,
) -> Result<Json<ListPage<OrganizationOut>>, AppError> {
    require_reader(&ctx)?;
    let paging = Paging::parse(query.limit, query.cursor.as_deref())?;
    let kind = match query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(k.parse::<OrgKind>().map_err(|_| invalid(format!("kind: {k:?} is not an organisation kind")))?),
        None => None,
    };
    let unit = match query.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(raw) => {
            let day = query.unit_as_of.unwrap_or_else(|| ctx.state.app().today());
            let code = AdminUnitCode::parse(raw).map_err(|_| invalid(format!("unit: {raw:?} is not a unit code")))?;
            let found = tiendo_db::geo::unit_on(ctx.state.db(), &code, day).await?;
            let unknown = || AppError::Validation(vec![FieldError::new("unit", "unknown_unit").arg("code", raw)]);
            Some(found.ok_or_else(unknown)?)
        }
        None => None,
    };
    let filter = OrgFilter { q: query.q, kind, parent_id: query.parent, unit, active_on: query.active_on };
    let listed =
        directory::list_organizations(ctx.state.db(), &filter, Page { offset: paging.offset, limit: paging.limit })
            .await?;
    let mut items = Vec::with_capacity(listed.items.len());
    for o in &listed.items {
        items.push(organization_out(&ctx, o).await?);
    }
    Ok(Json(ListPage { next: paging.next(items.len(), listed.total), items, total: listed.total }))
}

/// An organisation to create or the new state of one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrganizationIn {
    /// Its kind (see [`OrganizationOut`]).
    pub kind: String,
    /// Full name.
    pub name: String,
    /// The abbreviation used in document symbols.
    pub abbreviation: Option<String>,
    /// The organisation it belongs to.
    pub parent_id: Option<i64>,
    /// The address as written; the administrative unit is found from it unless `admin_unit_code` is given.
    pub address: Option<String>,
    /// The code of the unit it is located in, when the address is not enough.
    pub admin_unit_code: Option<String>,
    /// The day on which `admin_unit_code` names the unit (default: the organisation's last day if it ended,
    /// else today).
    pub admin_unit_as_of: Option<NaiveDate>,
    /// Tax code (checked, unique).
    pub tax_code: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer in existence.
    pub valid_to: Option<NaiveDate>,
    /// Invented for the demo.
    #[serde(default)]
    pub is_sample: bool,
}

/// The use case's input: the fields as sent, the unit by its code when given, else from the address.
fn input_from(body: &OrganizationIn) -> OrganizationInput {
    let draft = OrganizationDraft {
        kind: body.kind.clone(),
        name: body.name.clone(),
        abbreviation: body.abbreviation.clone().unwrap_or_default(),
        parent_id: body.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        address: body.address.clone().unwrap_or_default(),
        tax_code: body.tax_code.clone().unwrap_or_default(),
        phone: body.phone.clone().unwrap_or_default(),
        email: body.email.clone().unwrap_or_default(),
        website: body.website.clone().unwrap_or_default(),
        valid_from: date_text(body.valid_from),
        valid_to: date_text(body.valid_to),
    };
    let unit = match body.admin_unit_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => UnitChoice::Code(code.to_owned()),
        None => UnitChoice::FromAddress,
    };
    OrganizationInput { draft, unit, as_of: body.admin_unit_as_of, is_sample: body.is_sample }
}

/// Creates an organisation.
#[utoipa::path(post, path = "/organizations", tag = "directory", operation_id = "create_organization",
    request_body = OrganizationIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 201, description = "Created", body = OrganizationOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff in scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: `required`, `tax_code_format`, `tax_code_taken`, `unknown_organization`, \
            `address_ambiguous`, `unknown_unit`, ...", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_organization(ctx: Ctx, ApiJson(input): ApiJson<OrganizationIn>) -> Result<Response, AppError> {
    let id = use_case::create(ctx.state.app(), ctx.auth.session(), &input_from(&input)).await?;
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/organizations/{id}"), organization_out(&ctx, &org).await?))
}

/// One organisation.
#[utoipa::path(get, path = "/organizations/{id}", tag = "directory", operation_id = "get_organization",
    params(("id" = i64, Path, description = "The organisation's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisation", body = OrganizationOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_organization(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<OrganizationOut>, AppError> {
    require_reader(&ctx)?;
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(organization_out(&ctx, &org).await?))
}

/// Replaces an organisation's fields.
#[utoipa::path(put, path = "/organizations/{id}", tag = "directory", operation_id = "update_organization",
    params(("id" = i64, Path, description = "The organisation's id")),
    request_body = OrganizationIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Updated", body = OrganizationOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff in scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (as for creation, and `parent_cycle`)", body = Problem,
            content_type = "application/problem+json"),
    ))]
pub async fn update_organization(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OrganizationIn>,
) -> Result<Json<OrganizationOut>, AppError> {
    use_case::update(ctx.state.app(), ctx.auth.session(), id, &input_from(&input)).await?;
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(organization_out(&ctx, &org).await?))
}

/// A succession to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SuccessionIn {
    /// The organisation's first day no longer in existence, and its successors' first day in charge.
    pub effective: NaiveDate,
    /// The successors' ids.
    pub successors: Vec<i64>,
    /// The successor that takes over what it owned (one of `successors`; default: the first).
    pub default_successor: Option<i64>,
    /// Move the organisations under it to the default successor.
    #[serde(default)]
    pub move_children: bool,
    /// End the roles held in it and open them in the default successor.
    #[serde(default)]
    pub move_affiliations: bool,
}

/// What moved to the default successor.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationSuccessionOut {
    /// The organisation, now ended.
    pub organization: OrganizationOut,
    /// How many organisations moved under the default successor.
    pub moved_children: usize,
    /// How many roles moved to the default successor.
    pub moved_affiliations: usize,
}

/// Records that the organisation ended and was succeeded (an old UBND replaced by the new wards' UBND);
/// what it owned moves to the default successor as asked.
#[utoipa::path(post, path = "/organizations/{id}/succession", tag = "directory",
    operation_id = "record_organization_succession",
    params(("id" = i64, Path, description = "The organisation that ends")),
    request_body = SuccessionIn,
    security(("bearer" = [])),
    responses(
        (status = 400, description = "Malformed JSON or a body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Recorded", body = OrganizationSuccessionOut),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not department staff in scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`already_succeeded`, `successor_not_in_force`, `unknown_organization`, \
            `default_not_a_successor`, `date_order`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_organization_succession(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SuccessionIn>,
) -> Result<Json<OrganizationSuccessionOut>, AppError> {
    let plan = SuccessionPlan {
        effective: input.effective,
        default_successor: input.default_successor.or(input.successors.first().copied()).unwrap_or_default(),
        successors: input.successors,
        move_children: input.move_children,
        move_affiliations: input.move_affiliations,
    };
    let moved = use_case::succeed(ctx.state.app(), ctx.auth.session(), id, &plan).await?.moved();
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(OrganizationSuccessionOut {
        organization: organization_out(&ctx, &org).await?,
        moved_children: moved.children,
        moved_affiliations: moved.affiliations,
    }))
}

/// The schema of the `kind` filter.
fn kind_filter() -> utoipa::openapi::Object {
    crate::api::codes::filter("Only this kind (its code).", OrgKind::ALL.map(OrgKind::as_str))
}
