//! `/certificates/applications`: the list (the enterprise's own; every one received, for the staff) with the
//! days left, and an application's page: the dossier, the conditions evaluated as a checklist, the
//! documents of the checklist with their files, the statutory clock, the buttons of the machine and the
//! timeline. Also taking a step, deleting a draft, attaching and detaching files.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::certificates::{self as use_cases, OpenedApplication};
use tiendo_app::sci_tech::Upload;
use tiendo_core::certificates::{Conditions, Machine, Side, StepDraft};
use tiendo_core::sci_tech::{DecisionDraft, DocumentRule};
use tiendo_db::certificates::{self as stored, AppFile, ApplicationFilter};
use tiendo_db::directory::Page;

use super::views::{self, CheckView};
use crate::error::{AppError, FieldError};
use crate::extract::{Multipart, Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, Submitted, page_number, pager};
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::uploads;

/// Applications per page.
const PER_PAGE: i64 = 50;

/// An application in a list.
#[derive(Debug, Clone)]
pub struct Line {
    id: i64,
    name: String,
    tax_code: String,
    state: String,
    state_code: String,
    received: String,
    clock: String,
    clock_class: String,
}

#[derive(Template)]
#[template(path = "certificates/applications.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Line>,
    summary: String,
    pager: Pager,
    q: String,
    state: String,
    states: Vec<Choice>,
    may_create: bool,
}

/// The filters of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    page: Option<String>,
}

/// `GET /certificates/applications`.
pub async fn list(ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let page = page_number(query.page.as_deref());
    let q = query.q.unwrap_or_default().trim().to_owned();
    let state = query.state.unwrap_or_default();
    let filter = ApplicationFilter {
        q: Some(q.clone()).filter(|q| !q.is_empty()),
        states: if state.is_empty() { Vec::new() } else { vec![state.clone()] },
        own: false,
    };
    let listed =
        use_cases::list_applications(app, session, &filter, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE })
            .await?;
    let clocks = use_cases::work::clocks(app, session, 500).await?;
    let rows = listed
        .items
        .iter()
        .map(|a| {
            let (clock, clock_class) = clocks
                .iter()
                .find(|c| c.application.id == a.id)
                .map(|c| {
                    let (t, k) = views::clock(&ctx.tr, &c.clock);
                    (t, k.to_owned())
                })
                .unwrap_or_default();
            Line {
                id: a.id,
                name: a.enterprise_name.clone(),
                tax_code: a.tax_code.clone().unwrap_or_default(),
                state: views::state(&ctx.tr, &a.state),
                state_code: a.state.clone(),
                received: a.received_on.map(tiendo_core::fmt::date).unwrap_or_default(),
                clock,
                clock_class,
            }
        })
        .collect();
    let params = [("q", q.clone()), ("state", state.clone())];
    let page = ListPage {
        layout: ctx.layout("cert-applications-title"),
        summary: ctx.tr.t_count("cert-applications-count", "count", listed.total),
        pager: pager(&ctx.tr, "/certificates/applications", &params, page, PER_PAGE, listed.total, listed.items.len()),
        rows,
        states: Machine::standard()
            .states()
            .iter()
            .map(|s| Choice::new(&s.code, views::state(&ctx.tr, &s.code)))
            .collect(),
        q,
        state,
        may_create: ctx.auth.actor.has_role(tiendo_core::authz::Role::Applicant),
    };
    render(&page)
}

/// A line of the timeline.
#[derive(Debug, Clone)]
pub struct EventView {
    when: String,
    who: String,
    action: String,
    to: String,
    note: String,
    decision: String,
    late: bool,
}

/// A document of the checklist with its files.
#[derive(Debug, Clone)]
pub struct DocView {
    code: String,
    label: String,
    required: bool,
    files: Vec<FileView>,
}

/// A file as listed.
#[derive(Debug, Clone)]
pub struct FileView {
    id: i64,
    href: String,
    name: String,
    removable: bool,
}

/// A step the reader may take, with what it records.
#[derive(Debug, Clone)]
pub struct ActionView {
    code: String,
    label: String,
    document: &'static str,
    note: bool,
    note_required: bool,
    number: bool,
    primary: bool,
}

/// A result as shown.
#[derive(Debug, Clone)]
pub struct ResultView {
    kind: String,
    title: String,
    evidence: String,
}

/// A year's figures as shown.
#[derive(Debug, Clone)]
pub struct YearView {
    year: i32,
    total: String,
    st: String,
    net: String,
    rd: String,
}

#[derive(Template)]
#[template(path = "certificates/application.html")]
struct ShowPage {
    layout: Layout,
    id: i64,
    name: String,
    org_id: i64,
    org_name: String,
    tax_code: String,
    address: String,
    representative: String,
    established: String,
    size: String,
    basis: String,
    state: String,
    state_code: String,
    received: String,
    clock: String,
    clock_class: String,
    late: bool,
    results: Vec<ResultView>,
    products: Vec<String>,
    years: Vec<YearView>,
    checks: Vec<CheckView>,
    documents: Vec<DocView>,
    annexes: Vec<FileView>,
    doc_choices: Vec<Choice>,
    events: Vec<EventView>,
    actions: Vec<ActionView>,
    certificate: Option<(i64, String)>,
    notice: String,
    errors: FormErrors,
    open_action: String,
    typed: StepDraft,
    may_edit: bool,
    may_delete: bool,
    may_attach: bool,
    is_sample: bool,
    appraisal: Option<super::appraisal::AppraisalView>,
}

/// The notice after a change.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

fn file_view(f: &AppFile, removable: bool) -> FileView {
    FileView {
        id: f.id,
        href: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
        name: f.title.clone().unwrap_or_else(|| f.original_name.clone()),
        removable,
    }
}

async fn show_page(
    ctx: &Ctx,
    opened: OpenedApplication,
    notice: String,
    errors: &[FieldError],
    conflict: Option<String>,
    typed: StepDraft,
    status: StatusCode,
) -> Result<Response, AppError> {
    let kept = super::appraisal::Typed::default();
    show_page_typed(ctx, opened, notice, errors, conflict, typed, kept, status).await
}

/// The application's page with the errors of a form sent from it and what was typed in it (a step, the
/// appraisal's forms).
#[expect(clippy::too_many_arguments, reason = "the page, its errors and each form's typed values")]
pub(super) async fn show_page_typed(
    ctx: &Ctx,
    opened: OpenedApplication,
    notice: String,
    errors: &[FieldError],
    conflict: Option<String>,
    typed: StepDraft,
    appraisal_typed: super::appraisal::Typed,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let appraisal = use_cases::appraisal::appraisal(ctx.state.app(), ctx.auth.session(), &opened).await?;
    let a = &opened.application;
    let f = &a.fields;
    let files = stored::files(db, a.id).await?;
    let may_attach = (opened.powers.owner && opened.state.owner_edits) || opened.powers.officer;
    let conditions = Conditions::standard();
    let basis = a.basis.or_else(|| conditions.basis_on(ctx.state.app().today()));
    let documents: Vec<DocView> = basis
        .map(|b| {
            conditions
                .documents(b)
                .map(|d| DocView {
                    code: d.code.clone(),
                    label: ctx.tr.t(&format!("cert-doc-{}", d.code)),
                    required: d.required,
                    files: files
                        .iter()
                        .filter(|x| x.document.as_deref() == Some(d.code.as_str()))
                        .map(|x| file_view(x, may_attach))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut form_errors = FormErrors::from_fields(errors, &ctx.tr);
    if let Some(message) = conflict {
        form_errors.add("action", message);
    }
    let (clock, clock_class) = match &opened.clock {
        Some(c) if opened.state.clock != tiendo_core::certificates::ClockMode::Off => {
            let (t, k) = views::clock(&ctx.tr, c);
            (t, k.to_owned())
        }
        Some(c) => (ctx.tr.t_with("cert-clock-used", &[("days", &c.used.to_string())]), "done".to_owned()),
        None => (String::new(), String::new()),
    };
    let certificate = stored::certificate_of_application(db, a.id).await?.map(|c| (c.id, c.number));
    let open_action = typed.action.clone();
    let appraisal = appraisal.as_ref().map(|x| super::appraisal::view(ctx, x, &appraisal_typed, &form_errors));
    let page = ShowPage {
        layout: ctx.layout_named(f.enterprise_name.clone()),
        id: a.id,
        name: f.enterprise_name.clone(),
        org_id: a.org_id,
        org_name: a.org_name.clone(),
        tax_code: f.tax_code.as_ref().map(|t| t.as_str().to_owned()).unwrap_or_default(),
        address: f.address.clone().unwrap_or_default(),
        representative: f.representative.clone().unwrap_or_default(),
        established: f.established_on.map(tiendo_core::fmt::date).unwrap_or_default(),
        size: f.size.map(|s| ctx.tr.t(&format!("cert-size-{}", s.code()))).unwrap_or_default(),
        basis: basis.map(|b| ctx.tr.t(&format!("cert-basis-{}", b.code()))).unwrap_or_default(),
        state: views::state(&ctx.tr, &a.state),
        state_code: a.state.clone(),
        received: a.received_on.map(tiendo_core::fmt::date).unwrap_or_default(),
        clock,
        clock_class,
        late: a.decided_late,
        results: f
            .results
            .iter()
            .map(|r| ResultView {
                kind: ctx.tr.t(&format!("cert-result-{}", r.kind)),
                title: r.title.clone(),
                evidence: [
                    r.reference.clone().unwrap_or_default(),
                    r.issued_on.map(tiendo_core::fmt::date).unwrap_or_default(),
                    r.issuer.clone().unwrap_or_default(),
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            })
            .collect(),
        products: f.products.iter().map(|p| p.name.clone()).collect(),
        years: f
            .years
            .iter()
            .map(|y| YearView {
                year: y.year,
                total: views::money(ctx.lang, Some(y.total_revenue)),
                st: views::money(ctx.lang, y.st_revenue),
                net: views::money(ctx.lang, y.net_revenue),
                rd: views::money(ctx.lang, y.rd_spending),
            })
            .collect(),
        checks: views::checks(&ctx.tr, &opened.checks),
        documents,
        annexes: files.iter().filter(|x| x.document.is_none()).map(|x| file_view(x, may_attach)).collect(),
        doc_choices: basis
            .map(|b| {
                conditions
                    .documents(b)
                    .map(|d| Choice::new(&d.code, ctx.tr.t(&format!("cert-doc-{}", d.code))))
                    .collect()
            })
            .unwrap_or_default(),
        events: opened
            .events
            .iter()
            .rev()
            .map(|e| EventView {
                when: tiendo_core::fmt::datetime(e.at),
                who: e.actor_name.clone(),
                action: views::action(&ctx.tr, &e.action),
                to: views::state(&ctx.tr, &e.to_state),
                note: e.note.clone().unwrap_or_default(),
                decision: match (&e.decision_symbol, e.decision_date) {
                    (Some(s), Some(d)) => ctx.tr.t_with(
                        "cert-event-decision",
                        &[
                            ("symbol", s.as_str()),
                            ("date", &tiendo_core::fmt::date(d)),
                            ("signer", e.decision_signer.as_deref().unwrap_or_default()),
                        ],
                    ),
                    _ => String::new(),
                },
                late: e.late,
            })
            .collect(),
        actions: opened
            .transitions
            .iter()
            .map(|t| ActionView {
                code: t.action.clone(),
                label: views::action(&ctx.tr, &t.action),
                document: match t.document {
                    DocumentRule::None => "none",
                    DocumentRule::Optional => "optional",
                    DocumentRule::Required => "required",
                },
                note: t.by != Side::Owner,
                note_required: t.note,
                number: t.certificate,
                primary: !matches!(t.action.as_str(), "refuse" | "withdraw" | "request_supplement"),
            })
            .collect(),
        certificate,
        notice,
        errors: form_errors,
        open_action,
        typed,
        may_edit: opened.powers.owner && opened.state.owner_edits,
        may_delete: opened.powers.owner && opened.state.code == tiendo_core::certificates::DRAFT,
        may_attach,
        is_sample: a.is_sample,
        appraisal,
    };
    Ok((status, axum::response::Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /certificates/applications/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let opened = use_cases::open_application(ctx.state.app(), ctx.auth.session(), id).await?;
    let notice = match q.done.as_deref() {
        Some(key @ ("saved" | "moved" | "file" | "removed" | "referred" | "experts" | "override" | "opinion")) => {
            ctx.tr.t(&format!("cert-done-{key}"))
        }
        _ => String::new(),
    };
    show_page(&ctx, opened, notice, &[], None, StepDraft::default(), StatusCode::OK).await
}

/// `POST /certificates/applications/{id}/delete`: deletes a draft.
pub async fn delete(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    use_cases::delete_application(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to("/certificates/applications").into_response())
}

/// `POST /certificates/applications/{id}/step`: takes a step. On a refusal the page comes back with the
/// step's form open, as typed.
pub async fn step(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = StepDraft {
        action: form.get("action"),
        note: form.get("note"),
        number: form.get("number"),
        decision: DecisionDraft {
            symbol: form.get("decision_symbol"),
            date: form.get("decision_date"),
            signer: form.get("decision_signer"),
        },
    };
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match use_cases::step(app, session, id, &draft).await {
        Ok(()) => Ok(Redirect::to(&format!("/certificates/applications/{id}?done=moved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_application(app, session, id).await?;
            show_page(&ctx, opened, String::new(), &errors, None, draft, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = use_cases::open_application(app, session, id).await?;
            show_page(&ctx, opened, String::new(), &[], Some(detail), draft, error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /certificates/applications/{id}/files` (multipart): attaches a file as a document of the checklist.
pub async fn upload(ctx: Ctx, Path(id): Path<i64>, multipart: Multipart) -> Result<Response, AppError> {
    let (fields, files, problems) = uploads::read_form(multipart, &["file"]).await?;
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let outcome = if let Some(p) = problems.first() {
        Err(tiendo_app::Error::Invalid(vec![
            FieldError::new("file", p.code())
                .arg("name", p.name())
                .arg("max", format!("{} MB", uploads::MAX_FILE_BYTES / (1024 * 1024))),
        ]))
    } else {
        let file = files.into_iter().next().map(|u| Upload { name: u.name, bytes: u.bytes });
        let (document, title) = (uploads::field(&fields, "document"), uploads::field(&fields, "title"));
        use_cases::add_file(app, session, id, document, title, file).await
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/certificates/applications/{id}?done=file#documents")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_application(app, session, id).await?;
            show_page(
                &ctx,
                opened,
                String::new(),
                &errors,
                None,
                StepDraft::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /certificates/applications/{id}/files/{file}/delete`.
pub async fn remove_file(ctx: Ctx, Path((id, file)): Path<(i64, i64)>) -> Result<Response, AppError> {
    use_cases::remove_file(ctx.state.app(), ctx.auth.session(), id, file).await?;
    Ok(Redirect::to(&format!("/certificates/applications/{id}?done=removed#documents")).into_response())
}
