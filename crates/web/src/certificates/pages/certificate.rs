//! The certificates: the public register with its lookup by name, tax code or number
//! (`/registers/certificates`), a certificate's page (`/certificates/{id}`: number, date, status, the
//! S&T results and products, every version, the yearly reports with the conditions re-checked on them),
//! the leaders' forms to amend, re-issue and end it, and its document (DOCX, PDF). The yearly report
//! itself is a form of the reporting engine (`/reports`).

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::certificates::{self as use_cases, CertificateStep};
use tiendo_core::certificates::{EndAction, StepDraft};
use tiendo_core::sci_tech::DecisionDraft;
use tiendo_db::certificates::{self as stored, Certificate, CertificateFilter};
use tiendo_db::directory::Page;

use super::views;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Pager, Submitted, page_number, pager};
use crate::layout::{Ctx, Layout, render};

/// Certificates per page of the register.
const PER_PAGE: i64 = 50;

/// A certificate as a list shows it.
#[derive(Debug, Clone)]
pub struct CertLine {
    /// The version's id.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// The day issued.
    pub issued: String,
    /// The enterprise's name on it.
    pub name: String,
    /// Its tax code.
    pub tax_code: String,
    /// Its status, in words.
    pub status: String,
    /// Its status's code.
    pub status_code: String,
    /// Its products, joined.
    pub products: String,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A certificate as a list shows it.
pub fn cert_line(ctx: &Ctx, c: &Certificate) -> CertLine {
    CertLine {
        id: c.id,
        number: c.number.clone(),
        issued: tiendo_core::fmt::date(c.issued_on),
        name: c.enterprise_name.clone(),
        tax_code: c.tax_code.clone(),
        status: views::status(&ctx.tr, c.status.code()),
        status_code: c.status.code().to_owned(),
        products: c.products.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("; "),
        is_sample: c.is_sample,
    }
}

#[derive(Template)]
#[template(path = "certificates/register.html")]
struct RegisterPage {
    layout: Layout,
    rows: Vec<CertLine>,
    summary: String,
    pager: Pager,
    q: String,
    in_force: bool,
}

/// The lookup.
#[derive(Debug, Deserialize)]
pub struct RegisterQuery {
    q: Option<String>,
    in_force: Option<String>,
    page: Option<String>,
}

/// `GET /registers/certificates`: the register of certified enterprises, looked up by name, tax code or number.
pub async fn register(ctx: Ctx, Query(query): Query<RegisterQuery>) -> Result<Response, AppError> {
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let in_force = query.in_force.is_some_and(|v| !v.is_empty());
    let filter = CertificateFilter { q: Some(q.clone()).filter(|q| !q.is_empty()), in_force };
    let listed =
        use_cases::lookup(ctx.state.app(), &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE }).await?;
    let params = [("q", q.clone()), ("in_force", if in_force { "1".into() } else { String::new() })];
    let page = RegisterPage {
        layout: ctx.layout("cert-register-title"),
        summary: ctx.tr.t_count("cert-register-count", "count", listed.total),
        pager: pager(&ctx.tr, "/registers/certificates", &params, page, PER_PAGE, listed.total, listed.items.len()),
        rows: listed.items.iter().map(|c| cert_line(&ctx, c)).collect(),
        q,
        in_force,
    };
    render(&page)
}

/// A yearly report as shown.
#[derive(Debug, Clone)]
pub struct ReportView {
    year: i64,
    total: String,
    st: String,
    rd: String,
    holds: bool,
    /// The approved report of the reporting engine it was read from.
    report_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "certificates/certificate.html")]
struct ShowPage {
    layout: Layout,
    c: CertLine,
    version: i64,
    kind: String,
    basis: String,
    address: String,
    decision: String,
    end: String,
    results: Vec<(String, String)>,
    products: Vec<String>,
    versions: Vec<CertLine>,
    reports: Vec<ReportView>,
    warning: bool,
    application_id: i64,
    /// Whether the reader may open the application behind it (the link is shown only then).
    may_open_application: bool,
    org_id: i64,
    may_change: bool,
    may_report: bool,
    may_download: bool,
    in_force: bool,
    errors: FormErrors,
    open_form: String,
    notice: String,
}

/// The notice after a change.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

async fn show_page(
    ctx: &Ctx,
    id: i64,
    errors: &[FieldError],
    conflict: Option<String>,
    open_form: &str,
    notice: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let opened = use_cases::open_certificate(ctx.state.app(), ctx.auth.session(), id).await?;
    let c = &opened.certificate;
    let ids: Vec<i64> = opened.versions.iter().map(|v| v.id).collect();
    let reports = stored::reports(ctx.state.db(), &ids).await?;
    let mut form_errors = FormErrors::from_fields(errors, &ctx.tr);
    if let Some(message) = conflict {
        form_errors.add("action", message);
    }
    let page = ShowPage {
        layout: ctx.layout_named(format!("{} — {}", c.number, c.enterprise_name)),
        c: cert_line(ctx, c),
        version: c.version,
        kind: ctx.tr.t(&format!("cert-version-{}", c.kind.code())),
        basis: ctx.tr.t(&format!("cert-basis-{}", c.basis)),
        address: c.address.clone().unwrap_or_default(),
        decision: match (&c.decision_symbol, &c.signer) {
            (Some(s), Some(signer)) => format!("{s} · {signer}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        },
        end: match (&c.ended_on, &c.end_reason, &c.end_decision) {
            (Some(on), Some(reason), Some(decision)) => ctx.tr.t_with(
                "cert-ended",
                &[("date", &tiendo_core::fmt::date(*on)), ("reason", reason.as_str()), ("decision", decision.as_str())],
            ),
            _ => String::new(),
        },
        results: c.results.iter().map(|r| (ctx.tr.t(&format!("cert-result-{}", r.kind)), r.title.clone())).collect(),
        products: c.products.iter().map(|p| p.name.clone()).collect(),
        versions: opened.versions.iter().map(|v| cert_line(ctx, v)).collect(),
        warning: reports.first().is_some_and(|r| !r.holds),
        reports: reports
            .iter()
            .map(|r| ReportView {
                year: r.year,
                total: views::money(ctx.lang, Some(r.figures.total_revenue)),
                st: views::money(ctx.lang, r.figures.st_revenue),
                rd: views::money(ctx.lang, r.figures.rd_spending),
                holds: r.holds,
                report_id: r.report_id,
            })
            .collect(),
        application_id: c.application_id,
        may_open_application: opened.may_download,
        org_id: c.org_id,
        may_change: opened.may_change,
        may_report: opened.owner,
        may_download: opened.may_download,
        in_force: c.status == tiendo_core::certificates::CertificateStatus::InForce,
        errors: form_errors,
        open_form: open_form.to_owned(),
        notice,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /certificates/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let notice = match q.done.as_deref() {
        Some(key @ ("amended" | "reissued" | "ended")) => ctx.tr.t(&format!("cert-done-{key}")),
        _ => String::new(),
    };
    show_page(&ctx, id, &[], None, "", notice, StatusCode::OK).await
}

fn step_of(form: &Submitted) -> StepDraft {
    StepDraft {
        action: form.get("action"),
        note: form.get("note"),
        number: String::new(),
        decision: DecisionDraft {
            symbol: form.get("decision_symbol"),
            date: form.get("decision_date"),
            signer: form.get("decision_signer"),
        },
    }
}

async fn outcome(
    ctx: Ctx,
    id: i64,
    form: &str,
    done: &str,
    result: tiendo_app::Result<()>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/certificates/{id}?done={done}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            show_page(&ctx, id, &errors, None, form, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            show_page(&ctx, id, &[], Some(detail), form, String::new(), error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /certificates/{id}/amend`: a new version with the changed content; the page of the new version.
pub async fn amend(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let input = CertificateStep {
        step: step_of(&form),
        enterprise_name: form.get("enterprise_name"),
        address: form.get("address"),
        products: form.get("products"),
    };
    match use_cases::amend(ctx.state.app(), ctx.auth.session(), id, &input).await {
        Ok(new) => Ok(Redirect::to(&format!("/certificates/{new}?done=amended")).into_response()),
        Err(e) => outcome(ctx, id, "amend", "amended", Err(e)).await,
    }
}

/// `POST /certificates/{id}/reissue`.
pub async fn reissue(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    match use_cases::reissue(ctx.state.app(), ctx.auth.session(), id, &step_of(&form)).await {
        Ok(new) => Ok(Redirect::to(&format!("/certificates/{new}?done=reissued")).into_response()),
        Err(e) => outcome(ctx, id, "reissue", "reissued", Err(e)).await,
    }
}

/// `POST /certificates/{id}/end`: revokes, cancels or terminates it (`action`).
pub async fn end(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let step = step_of(&form);
    let result = match EndAction::from_code(step.action.trim()) {
        Some(action) => use_cases::end_certificate(ctx.state.app(), ctx.auth.session(), id, action, &step).await,
        None => Err(tiendo_app::Error::invalid("action", "invalid")),
    };
    outcome(ctx, id, "end", "ended", result).await
}

/// The certificate of a version as a file.
pub async fn document_file(
    ctx: &Ctx,
    id: i64,
    format: tiendo_app::document_templates::Format,
) -> Result<Response, AppError> {
    let file = use_cases::export_certificate(ctx.state.app(), ctx.auth.session(), id, format).await?;
    Ok(crate::monitoring::pages::exports::download(file.bytes, file.content_type, &file.file_name))
}

/// `GET /certificates/{id}/certificate.docx`: the certificate of this version in the official format.
pub async fn document_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    document_file(&ctx, id, tiendo_app::document_templates::Format::Docx).await
}

/// `GET /certificates/{id}/certificate.pdf`.
pub async fn document_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    document_file(&ctx, id, tiendo_app::document_templates::Format::Pdf).await
}
