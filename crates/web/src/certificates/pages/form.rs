//! The dossier's form (`/certificates/applications/new`, `/certificates/applications/{id}/edit`): the
//! enterprise, its S&T results with their evidence, the products, and revenue and R&D spending by year,
//! with spare rows; saved as a draft (sending is a step on the application's page). On any problem the
//! form comes back as typed with each wrong field named.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tiendo_app::certificates as use_cases;
use tiendo_core::certificates::{ApplicationDraft, ProductDraft, ResultDraft, ResultKind, SizeClass, YearDraft};

use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout};

/// Rows offered at least, blank ones included.
const MIN_ROWS: usize = 3;

/// A row with the messages of its fields.
#[derive(Debug, Clone)]
pub struct Row<T> {
    i: usize,
    n: usize,
    r: T,
    errors: Vec<(String, String)>,
}

impl<T> Row<T> {
    /// The message of one of the row's fields.
    pub fn error(&self, name: &str) -> &str {
        self.errors.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

#[derive(Template)]
#[template(path = "certificates/application_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    a: ApplicationDraft,
    results: Vec<Row<ResultDraft>>,
    products: Vec<Row<ProductDraft>>,
    years: Vec<Row<YearDraft>>,
    sizes: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: FormErrors,
}

/// Reads the form: single fields, then the rows of the repeated ones, position by position.
fn draft_of(form: &Submitted) -> ApplicationDraft {
    let at = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
    let rows = |cols: &[Vec<String>]| cols.iter().map(Vec::len).max().unwrap_or(0);
    let r =
        ["result_kind", "result_title", "result_reference", "result_issued_on", "result_issuer"].map(|c| form.all(c));
    let results = (0..rows(&r))
        .map(|i| ResultDraft {
            kind: at(&r[1], i).trim().is_empty().then(String::new).unwrap_or_else(|| at(&r[0], i)),
            title: at(&r[1], i),
            reference: at(&r[2], i),
            issued_on: at(&r[3], i),
            issuer: at(&r[4], i),
        })
        .collect();
    let p = ["product_name", "product_result"].map(|c| form.all(c));
    let products = (0..rows(&p)).map(|i| ProductDraft { name: at(&p[0], i), result: at(&p[1], i) }).collect();
    let y = ["year", "total_revenue", "st_revenue", "net_revenue", "rd_spending"].map(|c| form.all(c));
    let years = (0..rows(&y))
        .map(|i| YearDraft {
            year: at(&y[0], i),
            total_revenue: at(&y[1], i),
            st_revenue: at(&y[2], i),
            net_revenue: at(&y[3], i),
            rd_spending: at(&y[4], i),
        })
        .collect();
    ApplicationDraft {
        enterprise_name: form.get("enterprise_name"),
        tax_code: form.get("tax_code"),
        address: form.get("address"),
        representative: form.get("representative"),
        established_on: form.get("established_on"),
        size: form.get("size"),
        phone: form.get("phone"),
        email: form.get("email"),
        results,
        products,
        years,
    }
}

fn rows<T: Clone + Default>(typed: &[T], prefix: &str, errors: &FormErrors, names: &[&str]) -> Vec<Row<T>> {
    let mut all = typed.to_vec();
    while all.len() < MIN_ROWS.max(typed.len() + 1) {
        all.push(T::default());
    }
    all.into_iter()
        .enumerate()
        .map(|(i, r)| Row {
            i,
            n: i + 1,
            r,
            errors: names
                .iter()
                .map(|n| ((*n).to_owned(), errors.get(&format!("{prefix}[{i}].{n}")).to_owned()))
                .filter(|(_, m)| !m.is_empty())
                .collect(),
        })
        .collect()
}

/// Where a form goes: a new application, or a stored one.
#[derive(Debug, Clone, Copy)]
enum Target {
    New,
    Stored(i64),
}

fn form_page(
    ctx: &Ctx,
    target: Target,
    a: ApplicationDraft,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let (heading, action, cancel) = match target {
        Target::New => (
            ctx.tr.t("cert-application-new"),
            "/certificates/applications/new".to_owned(),
            "/certificates/applications".to_owned(),
        ),
        Target::Stored(id) => (
            ctx.tr.t("cert-application-edit"),
            format!("/certificates/applications/{id}/edit"),
            format!("/certificates/applications/{id}"),
        ),
    };
    let errors = FormErrors::from_fields(errors, &ctx.tr);
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        heading,
        action,
        cancel,
        results: rows(&a.results, "results", &errors, &["kind", "title", "reference", "issued_on", "issuer"]),
        products: rows(&a.products, "products", &errors, &["name", "result"]),
        years: rows(&a.years, "years", &errors, &["year", "total_revenue", "st_revenue", "net_revenue", "rd_spending"]),
        sizes: SizeClass::ALL
            .iter()
            .map(|s| Choice::new(s.code(), ctx.tr.t(&format!("cert-size-{}", s.code()))))
            .collect(),
        kinds: ResultKind::ALL
            .iter()
            .map(|k| Choice::new(k.code(), ctx.tr.t(&format!("cert-result-{}", k.code()))))
            .collect(),
        errors,
        a,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /certificates/applications/new`: a blank form with the enterprise's name, tax code and address
/// from the directory.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !ctx.auth.actor.has_role(tiendo_core::authz::Role::Applicant) {
        return Err(AppError::Forbidden);
    }
    let org = match ctx.auth.session().user.as_ref().and_then(|u| u.organization_id) {
        Some(id) => tiendo_db::directory::organization(ctx.state.db(), id).await?,
        None => None,
    };
    let draft = org
        .map(|o| ApplicationDraft {
            enterprise_name: o.name,
            tax_code: o.tax_code.map(|t| t.as_str().to_owned()).unwrap_or_default(),
            address: o.address.unwrap_or_default(),
            phone: o.phone.unwrap_or_default(),
            email: o.email.unwrap_or_default(),
            ..ApplicationDraft::default()
        })
        .unwrap_or_default();
    form_page(&ctx, Target::New, draft, &[], StatusCode::OK)
}

/// `GET /certificates/applications/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opened = use_cases::open_application(ctx.state.app(), ctx.auth.session(), id).await?;
    if !(opened.powers.owner && opened.state.owner_edits) {
        return Err(AppError::Forbidden);
    }
    form_page(&ctx, Target::Stored(id), use_cases::draft_of(&opened.application), &[], StatusCode::OK)
}

/// `POST /certificates/applications/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    submit(ctx, Target::New, body).await
}

/// `POST /certificates/applications/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    submit(ctx, Target::Stored(id), body).await
}

async fn submit(ctx: Ctx, target: Target, body: Bytes) -> Result<Response, AppError> {
    let draft = draft_of(&Submitted::parse(&body));
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let saved = match target {
        Target::New => use_cases::create_application(app, session, &draft).await,
        Target::Stored(id) => use_cases::save_application(app, session, id, &draft).await.map(|()| id),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/certificates/applications/{id}?done=saved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, target, draft, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}
