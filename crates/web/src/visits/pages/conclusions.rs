//! The conclusion form (a conclusion taken at a stop or for the whole visit, with its first directive)
//! and the directive form (one more directive for a conclusion). A directive names its responsible unit,
//! its coordinating units, a deadline of one of the monitoring kinds and a priority; without a
//! responsible unit or a deadline it is refused, with everything typed kept.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::visits::{self as use_cases, NewConclusion};
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::{ConclusionDraft, DirectiveDraft, VisitAction};
use tiendo_db::visits::{self, Conclusion, Visit};

use super::show::stop_label;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::{Ctx, Layout};

/// The directive fields as typed.
#[derive(Debug, Clone, Default)]
pub struct DirectiveForm {
    lead_id: String,
    coordinators: Vec<String>,
    deadline_kind: String,
    due_on: String,
    period_start: String,
    period_end: String,
    yearly: String,
    priority: String,
}

impl DirectiveForm {
    fn of(form: &Submitted) -> DirectiveForm {
        DirectiveForm {
            lead_id: form.get("lead_id"),
            coordinators: form.all("coordinator"),
            deadline_kind: form.get("deadline_kind"),
            due_on: form.get("due_on"),
            period_start: form.get("period_start"),
            period_end: form.get("period_end"),
            yearly: form.get("yearly"),
            priority: form.get("priority"),
        }
    }

    /// The directive, and the problems of what could not be read (named `deadline`, `lead_id`).
    fn draft(&self) -> (DirectiveDraft, Vec<FieldError>) {
        // The one deadline parser of monitoring; what is only missing is left to the rules, which say
        // `deadline_required` for the directive.
        let (fields, issues) = tiendo_core::monitoring::DeadlineFields::from_form(
            &self.deadline_kind,
            &self.due_on,
            &self.period_start,
            &self.period_end,
            &self.yearly,
        );
        let mut errors: Vec<FieldError> = issues.iter().map(|i| FieldError::new("deadline", i.code)).collect();
        let deadline: Option<Deadline> = fields.deadline().ok();
        let lead_id = match self.lead_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("lead_id", "invalid"));
                    None
                }
            },
        };
        let coordinators = self.coordinators.iter().filter_map(|c| c.trim().parse().ok()).collect();
        (DirectiveDraft { lead_id, coordinators, deadline, priority: self.priority.clone() }, errors)
    }
}

/// An organisation with whether it is ticked as a coordinator.
#[derive(Debug, Clone)]
pub struct OrgCheck {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "visits/conclusion_form.html")]
struct ConclusionPage {
    layout: Layout,
    visit_id: i64,
    visit_title: String,
    /// Set when adding a directive to an existing conclusion.
    conclusion: Option<Conclusion>,
    text: String,
    expected_product: String,
    stop_id: String,
    stops: Vec<Choice>,
    d: DirectiveForm,
    orgs: Vec<Choice>,
    coordinators: Vec<OrgCheck>,
    errors: FormErrors,
}

/// What the conclusion form holds besides the directive.
#[derive(Debug, Clone, Default)]
struct ConclusionFields {
    text: String,
    expected_product: String,
    stop_id: String,
}

async fn page(
    ctx: &Ctx,
    visit: &Visit,
    conclusion: Option<Conclusion>,
    c: ConclusionFields,
    d: DirectiveForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let orgs = super::org_choices(ctx).await?;
    let coordinators = orgs
        .iter()
        .map(|o| OrgCheck {
            checked: d.coordinators.contains(&o.value),
            value: o.value.clone(),
            label: o.label.clone(),
        })
        .collect();
    let stops =
        visits::stops(ctx.state.db(), visit.id).await?.iter().map(|s| Choice::data(s.id, stop_label(s))).collect();
    let title_key = if conclusion.is_some() { "visit-add-directive" } else { "visit-add-conclusion" };
    let page = ConclusionPage {
        layout: ctx.layout(title_key),
        visit_id: visit.id,
        visit_title: visit.title.clone(),
        conclusion,
        text: c.text,
        expected_product: c.expected_product,
        stop_id: c.stop_id,
        stops,
        d,
        orgs,
        coordinators,
        errors: FormErrors::from_fields(errors, &ctx.tr),
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

fn blank_directive() -> DirectiveForm {
    DirectiveForm { deadline_kind: "fixed".into(), priority: "normal".into(), ..DirectiveForm::default() }
}

/// Query of the conclusion form.
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    stop: String,
}

/// The visit, when the actor may take `action` on it: 404 when they may not see it, 403 when they may
/// only see it.
async fn visit_for(ctx: &Ctx, id: i64, action: VisitAction) -> Result<Visit, AppError> {
    let opened = use_cases::open(ctx.state.app(), ctx.auth.session(), id).await?;
    opened.require(action)?;
    Ok(opened.visit)
}

/// The field errors of the use case as the form names them: its one directive's fields without the
/// `directives[0].` of the API.
fn form_fields(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            if let Some(field) = e.field.strip_prefix("directives[0].") {
                e.field = field.to_owned();
            }
            e
        })
        .collect()
}

/// `GET /visits/{id}/conclusions/new?stop=`.
pub async fn new_form(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> Result<Response, AppError> {
    let visit = visit_for(&ctx, id, VisitAction::AddConclusion).await?;
    let c = ConclusionFields { stop_id: q.stop, ..ConclusionFields::default() };
    page(&ctx, &visit, None, c, blank_directive(), &[], StatusCode::OK).await
}

/// `POST /visits/{id}/conclusions`: a conclusion with its first directive.
pub async fn create(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let visit = visit_for(&ctx, id, VisitAction::AddConclusion).await?;
    let form = Submitted::parse(&body);
    let c = ConclusionFields {
        text: form.get("text"),
        expected_product: form.get("expected_product"),
        stop_id: form.get("stop_id"),
    };
    let d = DirectiveForm::of(&form);
    let (directive, mut errors) = d.draft();
    let stop_id = match c.stop_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(s) => Some(s),
            Err(_) => {
                errors.push(FieldError::new("stop_id", "invalid"));
                None
            }
        },
    };
    let input = NewConclusion {
        stop_id,
        conclusion: ConclusionDraft { text: c.text.clone(), expected_product: c.expected_product.clone() },
        directives: vec![directive],
    };
    // A field that could not be read leaves the directive without its lead or deadline, which the use case
    // refuses: every problem is then reported at once, the unreadable field's own message first.
    let result = if errors.iter().any(|e| e.field == "stop_id") {
        Err(tiendo_app::Error::Invalid(Vec::new()))
    } else {
        use_cases::add_conclusion(ctx.state.app(), ctx.auth.session(), visit.id, &input).await
    };
    match result {
        Ok(task) => {
            Ok(Redirect::to(&format!("/visits/{}?done=conclusion#conclusion-{task}", visit.id)).into_response())
        }
        Err(tiendo_app::Error::Invalid(more)) => {
            errors.extend(form_fields(more));
            page(&ctx, &visit, None, c, d, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Loads a conclusion of a visit.
async fn conclusion_of(ctx: &Ctx, visit: &Visit, task_id: i64) -> Result<Conclusion, AppError> {
    visits::conclusion(ctx.state.db(), task_id).await?.filter(|c| c.visit_id == visit.id).ok_or(AppError::NotFound)
}

/// `GET /visits/{id}/conclusions/{task}/directives/new`.
pub async fn new_directive_form(ctx: Ctx, Path((id, task_id)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let visit = visit_for(&ctx, id, VisitAction::AddDirective).await?;
    let conclusion = conclusion_of(&ctx, &visit, task_id).await?;
    page(&ctx, &visit, Some(conclusion), ConclusionFields::default(), blank_directive(), &[], StatusCode::OK).await
}

/// `POST /visits/{id}/conclusions/{task}/directives`.
pub async fn create_directive(
    ctx: Ctx,
    Path((id, task_id)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let visit = visit_for(&ctx, id, VisitAction::AddDirective).await?;
    let conclusion = conclusion_of(&ctx, &visit, task_id).await?;
    let form = Submitted::parse(&body);
    let d = DirectiveForm::of(&form);
    let (directive, mut errors) = d.draft();
    // As above: a field that could not be read leaves the directive incomplete, which the use case refuses.
    match use_cases::add_directive(ctx.state.app(), ctx.auth.session(), visit.id, task_id, &directive).await {
        Ok(_) => Ok(Redirect::to(&format!("/visits/{}?done=directive#conclusion-{task_id}", visit.id)).into_response()),
        Err(tiendo_app::Error::Invalid(more)) => {
            errors.extend(more);
            page(
                &ctx,
                &visit,
                Some(conclusion),
                ConclusionFields::default(),
                d,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
