//! The organisation directory: list with filters, one organisation, create and edit with the address
//! resolved to a unit, and the succession of an organisation that ended.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use tiendo_app::directory::organizations::{self as use_case, OrganizationInput, UnitChoice};
use tiendo_app::directory::{Placement, address_day, may, org_path, place_from_address, require, unit_today};
use tiendo_core::authz::Action;
use tiendo_core::directory::{OrgKind, OrganizationDraft, parse_date};
use tiendo_core::fmt;
use tiendo_db::directory::{self, OrgFilter, Organization, Page, SuccessionPlan};

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, Submitted, page_number, pager};
use crate::geo::pages::units::chosen_unit;
use crate::geo::pages::views::{self as geo_views, ResolutionView, UnitView, resolution_view};
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout, render};

/// Organisations per page.
const PER_PAGE: i64 = 50;

/// An organisation in the list.
#[derive(Debug)]
struct OrgRow {
    href: String,
    name: String,
    abbreviation: String,
    kind: String,
    unit: Option<UnitView>,
    ended: String,
    is_sample: bool,
}

/// The kinds, for selects.
fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    OrgKind::ALL.iter().map(|k| Choice::new(k.as_str(), k.name(ctx.lang))).collect()
}

fn ended_text(ctx: &Ctx, o: &Organization) -> String {
    match o.valid_to {
        Some(to) if to <= ctx.state.app().today() => ctx.tr.t_with("org-ended", &[("date", &fmt::date(to))]),
        _ => String::new(),
    }
}

/// Query of `GET /organizations`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    unit: Option<String>,
    active: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "directory/organizations.html")]
struct ListPage {
    layout: Layout,
    q: String,
    kind: String,
    kinds: Vec<Choice>,
    unit: String,
    units: Vec<Choice>,
    active: bool,
    summary: String,
    rows: Vec<OrgRow>,
    pager: Pager,
    can_create: bool,
}

/// The units offered by the unit filter: the provinces where organisations are, and their current
/// communes.
async fn unit_choices(ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    let db = ctx.state.db();
    let provinces = directory::provinces_with_organizations(db).await?;
    let mut out = Vec::new();
    let now = ctx.state.app().today();
    for code in provinces {
        if let Some(province) = tiendo_db::geo::unit_on(db, &code, now).await? {
            out.push(Choice::data(geo_views::unit_key(&province), province.full_name()));
            let filter = tiendo_db::geo::UnitFilter {
                province: Some(code),
                level: Some(tiendo_core::geo::UnitLevel::Commune),
                ..tiendo_db::geo::UnitFilter::on(now)
            };
            for u in tiendo_db::geo::units_in_force(db, &filter).await? {
                out.push(Choice::data(geo_views::unit_key(&u), format!("— {}", u.full_name())));
            }
        }
    }
    Ok(out)
}

/// `GET /organizations`: the directory, filtered without diacritics, in Vietnamese order.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    require(session, Action::View, &[])?;
    let today = app.today();
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let kind = query.kind.unwrap_or_default();
    let unit_key = query.unit.unwrap_or_default();
    let active = query.active.is_some_and(|a| !a.is_empty());
    let unit = if unit_key.is_empty() { None } else { chosen_unit(&ctx, &unit_key).await? };
    let filter = OrgFilter {
        q: (!q.is_empty()).then(|| q.clone()),
        kind: kind.parse().ok(),
        parent_id: None,
        unit,
        active_on: active.then_some(today),
    };
    let listed =
        directory::list_organizations(ctx.state.db(), &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let now = today;
    let mut rows = Vec::with_capacity(listed.items.len());
    for o in &listed.items {
        let current = match &o.unit {
            Some(u) => unit_today(app, u).await?.or_else(|| Some(u.clone())),
            None => None,
        };
        rows.push(OrgRow {
            href: format!("/organizations/{}", o.id),
            name: o.name.clone(),
            abbreviation: o.abbreviation.clone().unwrap_or_default(),
            kind: o.kind.name(ctx.lang).to_owned(),
            unit: current.as_ref().map(|u| UnitView::new(u, &ctx.tr, now)),
            ended: ended_text(&ctx, o),
            is_sample: o.is_sample,
        });
    }
    let params = [
        ("q", q.clone()),
        ("kind", kind.clone()),
        ("unit", unit_key.clone()),
        ("active", if active { "1".into() } else { String::new() }),
    ];
    let page = ListPage {
        layout: ctx.layout("orgs-title"),
        summary: ctx.tr.t_count("dir-list-total", "count", listed.total),
        pager: pager(&ctx.tr, "/organizations", &params, page, PER_PAGE, listed.total, rows.len()),
        q,
        kind,
        kinds: kind_choices(&ctx),
        unit: unit_key,
        units: unit_choices(&ctx).await?,
        active,
        rows,
        can_create: may(session, Action::Create, &[]),
    };
    render(&page)
}

/// A link to an organisation.
#[derive(Debug)]
struct OrgLink {
    href: String,
    name: String,
    note: String,
}

/// A person's role in the organisation.
#[derive(Debug)]
struct RoleRow {
    href: String,
    person: String,
    role: String,
    since: String,
}

#[derive(Template)]
#[template(path = "directory/organization.html")]
struct ShowPage {
    layout: Layout,
    id: i64,
    org: Organization,
    kind: String,
    parent: Option<OrgLink>,
    unit: Option<UnitView>,
    unit_today: Option<UnitView>,
    validity: String,
    tax_code: String,
    successors: Vec<OrgLink>,
    predecessors: Vec<OrgLink>,
    children: Vec<OrgLink>,
    people: Vec<RoleRow>,
    can_edit: bool,
    can_succeed: bool,
    history: Vec<HistoryItem>,
    /// The visits it received and the directives it owes.
    visits: crate::visits::OrgSection,
    /// Its S&T enterprise certificates (the latest version of each), with their results and products.
    certificates: Vec<crate::certificates::pages::certificate::CertLine>,
    /// Its S&T results, as its certificates and the applications the reader may open list them.
    st_results: Vec<crate::certificates::pages::views::OrgResultLine>,
    /// The results of S&T tasks it applies: (task, its page in the register, since, effects).
    st_applied: Vec<(String, String, String, String)>,
}

/// `GET /organizations/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    require(session, Action::View, &[])?;
    let db = ctx.state.db();
    let org = directory::organization(db, id).await?.ok_or(AppError::NotFound)?;
    let now = app.today();
    let current = match &org.unit {
        Some(u) => unit_today(app, u).await?.filter(|c| c != u),
        None => None,
    };
    let (successors, predecessors) = directory::successions_of(db, id).await?;
    let link = |id: i64, name: &str, note: String| OrgLink {
        href: format!("/organizations/{id}"),
        name: name.to_owned(),
        note,
    };
    let children = directory::children(db, id).await?;
    let people = directory::affiliations_of_organization(db, id, Some(now)).await?;
    let path = org_path(app, Some(id)).await?;
    let succeeded = org.successor.is_some() || !successors.is_empty();
    let page = ShowPage {
        layout: ctx.layout_named(org.name.clone()),
        id,
        kind: org.kind.name(ctx.lang).to_owned(),
        parent: org.parent.as_ref().map(|p| link(p.id, &p.name, String::new())),
        unit: org.unit.as_ref().map(|u| UnitView::new(u, &ctx.tr, now)),
        unit_today: current.as_ref().map(|u| UnitView::new(u, &ctx.tr, now)),
        validity: match (org.valid_from, org.valid_to) {
            (None, None) => ctx.tr.t("org-validity-open"),
            (from, to) => geo_views::validity_text(from, to, &ctx.tr),
        },
        tax_code: org.tax_code.as_ref().map(ToString::to_string).unwrap_or_default(),
        successors: successors
            .iter()
            .map(|s| {
                let mut note = ctx.tr.t_with("succession-on", &[("date", &fmt::date(s.effective))]);
                if s.is_default && successors.len() > 1 {
                    note = format!("{note} · {}", ctx.tr.t("unit-default"));
                }
                link(s.other.id, &s.other.name, note)
            })
            .collect(),
        predecessors: predecessors
            .iter()
            .map(|s| {
                link(s.other.id, &s.other.name, ctx.tr.t_with("succession-on", &[("date", &fmt::date(s.effective))]))
            })
            .collect(),
        children: children.iter().map(|c| link(c.id, &c.name, ended_text(&ctx, c))).collect(),
        people: people
            .iter()
            .map(|a| RoleRow {
                href: format!("/people/{}", a.person_id),
                person: a.person_name.clone(),
                role: a.role.clone(),
                since: a.valid_from.map(fmt::date).unwrap_or_default(),
            })
            .collect(),
        can_edit: may(session, Action::Edit, &path),
        can_succeed: !succeeded && may(session, Action::Edit, &path),
        history: crate::history::load(&ctx.state, &ctx.tr, "organization", id).await?,
        visits: crate::visits::organization_section(&ctx, id).await?,
        certificates: tiendo_db::certificates::certificates_of_org(db, id)
            .await?
            .iter()
            .map(|c| crate::certificates::pages::certificate::cert_line(&ctx, c))
            .collect(),
        st_applied: tiendo_app::sci_tech::contracts::applied_by(ctx.state.app(), id)
            .await?
            .into_iter()
            .map(|u| (u.title, format!("/registers/contracts/{}", u.contract_id), fmt::date(u.from_on), u.effects))
            .collect(),
        st_results: crate::certificates::pages::views::org_results(
            &ctx.tr,
            &tiendo_app::certificates::results_of_org(ctx.state.app(), session, id).await?,
        ),
        org,
    };
    render(&page)
}

/// What the organisation form holds, as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    kind: String,
    name: String,
    abbreviation: String,
    parent_id: String,
    address: String,
    unit: String,
    tax_code: String,
    phone: String,
    email: String,
    website: String,
    valid_from: String,
    valid_to: String,
    is_sample: bool,
}

impl Values {
    fn from_form(f: &Submitted) -> Values {
        Values {
            kind: f.get("kind"),
            name: f.get("name"),
            abbreviation: f.get("abbreviation"),
            parent_id: f.get("parent_id"),
            address: f.get("address"),
            unit: f.get("unit"),
            tax_code: f.get("tax_code"),
            phone: f.get("phone"),
            email: f.get("email"),
            website: f.get("website"),
            valid_from: f.get("valid_from"),
            valid_to: f.get("valid_to"),
            is_sample: f.has("is_sample"),
        }
    }

    fn from_org(o: &Organization) -> Values {
        let d = |d: Option<NaiveDate>| d.map(fmt::date).unwrap_or_default();
        Values {
            kind: o.kind.as_str().to_owned(),
            name: o.name.clone(),
            abbreviation: o.abbreviation.clone().unwrap_or_default(),
            parent_id: o.parent.as_ref().map(|p| p.id.to_string()).unwrap_or_default(),
            address: o.address.clone().unwrap_or_default(),
            unit: o.unit.as_ref().map(geo_views::unit_key).unwrap_or_default(),
            tax_code: o.tax_code.as_ref().map(ToString::to_string).unwrap_or_default(),
            phone: o.phone.clone().unwrap_or_default(),
            email: o.email.clone().unwrap_or_default(),
            website: o.website.clone().unwrap_or_default(),
            valid_from: d(o.valid_from),
            valid_to: d(o.valid_to),
            is_sample: o.is_sample,
        }
    }

    fn draft(&self) -> OrganizationDraft {
        OrganizationDraft {
            kind: self.kind.clone(),
            name: self.name.clone(),
            abbreviation: self.abbreviation.clone(),
            parent_id: self.parent_id.clone(),
            address: self.address.clone(),
            tax_code: self.tax_code.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: self.valid_to.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "directory/organization_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    cancel: String,
    heading: String,
    v: Values,
    errors: FormErrors,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
    resolution: Option<ResolutionView>,
    choose: bool,
    chosen: String,
    unit_note: String,
}

async fn parent_choices(ctx: &Ctx, except: Option<i64>) -> Result<Vec<Choice>, AppError> {
    Ok(tiendo_db::orgtree::options(ctx.state.db())
        .await?
        .into_iter()
        .filter(|o| Some(o.id) != except)
        .map(|o| Choice::data(o.id, o.name))
        .collect())
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    v: Values,
    errors: FormErrors,
    placement: Option<Placement>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (heading, action, cancel) = match id {
        Some(id) => (ctx.tr.t("org-edit-heading"), format!("/organizations/{id}/edit"), format!("/organizations/{id}")),
        None => (ctx.tr.t("org-new-heading"), "/organizations/new".to_owned(), "/organizations".to_owned()),
    };
    let mut resolution = None;
    let mut unit_note = String::new();
    let mut chosen = v.unit.clone();
    if let Some(p) = &placement {
        if let Some((index, r)) = &p.resolution {
            let view = resolution_view(index, r, p.as_of, &ctx.tr, ctx.state.app().today());
            if r.candidates.is_empty() {
                unit_note = ctx.tr.t("org-address-unmatched");
            }
            resolution = Some(view);
        }
        if let Some(place) = &p.place {
            chosen = geo_views::unit_key(&place.unit);
        }
    }
    let choose = resolution.as_ref().is_some_and(|r| r.candidates.len() > 1);
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        action,
        cancel,
        heading,
        errors,
        kinds: kind_choices(ctx),
        parents: parent_choices(ctx, id).await?,
        resolution,
        choose,
        chosen,
        unit_note,
        v,
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /organizations/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Create, &[])?;
    form_page(&ctx, None, Values::default(), FormErrors::new(), None, StatusCode::OK).await
}

/// `GET /organizations/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(ctx.auth.session(), Action::Edit, &org_path(ctx.state.app(), Some(id)).await?)?;
    form_page(&ctx, Some(id), Values::from_org(&org), FormErrors::new(), None, StatusCode::OK).await
}

/// `POST /organizations/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    require(ctx.auth.session(), Action::Create, &[])?;
    submit(ctx, None, body).await
}

/// `POST /organizations/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    if directory::organization(ctx.state.db(), id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    require(ctx.auth.session(), Action::Edit, &org_path(ctx.state.app(), Some(id)).await?)?;
    submit(ctx, Some(id), body).await
}

/// Saves through the use case; on any problem (or when the user only asked to check the address) the
/// form comes back with what was typed, each wrong field named, and the address's candidates.
async fn submit(ctx: Ctx, id: Option<i64>, body: Bytes) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let form = Submitted::parse(&body);
    let v = Values::from_form(&form);
    let chosen = if v.unit.is_empty() { None } else { chosen_unit(&ctx, &v.unit).await? };
    // The candidates shown beside the address (the use case settles the unit the same way).
    let day = address_day(app, parse_date(&v.valid_to));
    let placement = place_from_address(app, Some(v.address.as_str()), chosen.as_ref(), day).await?;
    if form.has("check") {
        let mut errors = match v.draft().validate() {
            Ok(_) => FormErrors::new(),
            Err(issues) => {
                let fields: Vec<crate::error::FieldError> = issues.into_iter().map(Into::into).collect();
                FormErrors::from_fields(&fields, &ctx.tr)
            }
        };
        if placement.ambiguous {
            errors.add("address", ctx.tr.t("field-address_ambiguous"));
        }
        return form_page(&ctx, id, v, errors, Some(placement), StatusCode::OK).await;
    }
    let input = OrganizationInput {
        draft: v.draft(),
        unit: chosen.map_or(UnitChoice::FromAddress, UnitChoice::Chosen),
        as_of: Some(day),
        is_sample: v.is_sample,
    };
    let saved = match id {
        Some(id) => use_case::update(app, ctx.auth.session(), id, &input).await.map(|()| id),
        None => use_case::create(app, ctx.auth.session(), &input).await,
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/organizations/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            form_page(&ctx, id, v, errors, Some(placement), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "directory/organization_succession.html")]
struct SuccessionPage {
    layout: Layout,
    /// "Record a succession: <name>", the name marked as data (HTML).
    heading: String,
    id: i64,
    name: String,
    effective: String,
    successors: Vec<String>,
    default_successor: String,
    move_children: bool,
    move_affiliations: bool,
    choices: Vec<Choice>,
    errors: FormErrors,
}

async fn succession_page(
    ctx: &Ctx,
    org: &Organization,
    form: Option<&Submitted>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let choices = parent_choices(ctx, Some(org.id)).await?;
    let page = SuccessionPage {
        layout: ctx.layout("org-succession"),
        heading: ctx.tr.t_data("org-succession-heading", &[("name", &org.name)]),
        id: org.id,
        name: org.name.clone(),
        effective: form.map_or_else(String::new, |f| f.get("effective")),
        successors: form.map(|f| f.all("successors")).unwrap_or_default(),
        default_successor: form.map_or_else(String::new, |f| f.get("default_successor")),
        move_children: form.is_none_or(|f| f.has("move_children")),
        move_affiliations: form.is_some_and(|f| f.has("move_affiliations")),
        choices,
        errors,
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /organizations/{id}/succession`.
pub async fn succession_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(ctx.auth.session(), Action::Edit, &org_path(ctx.state.app(), Some(id)).await?)?;
    succession_page(&ctx, &org, None, FormErrors::new(), StatusCode::OK).await
}

/// `POST /organizations/{id}/succession`.
pub async fn succession_submit(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let org = directory::organization(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(ctx.auth.session(), Action::Edit, &org_path(ctx.state.app(), Some(id)).await?)?;
    let form = Submitted::parse(&body);
    let mut errors = FormErrors::new();
    let effective = parse_date(&form.get("effective"));
    if effective.is_none() {
        let key = if form.get("effective").trim().is_empty() { "field-required" } else { "field-date_format" };
        errors.add("effective", ctx.tr.t(key));
    }
    let successors: Vec<i64> = form.all("successors").iter().filter_map(|s| s.parse().ok()).collect();
    if successors.is_empty() {
        errors.add("successors", ctx.tr.t("field-required"));
    }
    let default_successor =
        form.get("default_successor").parse::<i64>().ok().or_else(|| (successors.len() == 1).then(|| successors[0]));
    let (Some(effective), Some(default_successor)) = (effective, default_successor) else {
        if errors.is_empty() {
            errors.add("default_successor", ctx.tr.t("field-default_not_a_successor"));
        }
        return succession_page(&ctx, &org, Some(&form), errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !errors.is_empty() {
        return succession_page(&ctx, &org, Some(&form), errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let plan = SuccessionPlan {
        effective,
        successors,
        default_successor,
        move_children: form.has("move_children"),
        move_affiliations: form.has("move_affiliations"),
    };
    match use_case::succeed(ctx.state.app(), ctx.auth.session(), id, &plan).await {
        Ok(_) => Ok(Redirect::to(&format!("/organizations/{id}")).into_response()),
        Err(tiendo_app::Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&fields, &ctx.tr);
            succession_page(&ctx, &org, Some(&form), errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}
