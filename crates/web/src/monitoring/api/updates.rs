//! `/api/v1/assignments/{id}/updates`, `/api/v1/updates/{id}`: progress updates and their workflow. The
//! lead organisation writes (a draft, or submitted at once) and submits; the assigning side accepts or
//! returns with a comment. Evidence files are uploaded through the page form only.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::monitoring::assignments::Assignment;
use tiendo_app::monitoring::updates::{self as progress, UpdateDraft};
use tiendo_core::monitoring::UpdateAction;
use tiendo_db::files::Attachment;
use tiendo_db::monitoring::updates::{self, Update};
use utoipa::{IntoParams, ToSchema};

use super::{FileMeta, OrgRef, UserRef, paged};
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::monitoring::pages::updates::already_decided_args;

/// What the caller may do with an update.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpdatePermissions {
    /// Change its content (`PUT /updates/{id}`) and submit it: a draft or returned update of the caller's
    /// organisation.
    pub edit: bool,
    /// Accept or return it: a submitted update, for the assigning side.
    pub decide: bool,
}

/// A progress update.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpdateEntry {
    /// Id.
    pub id: i64,
    /// The assignment.
    pub assignment_id: i64,
    /// The reporting organisation (the assignment's lead).
    pub organization: OrgRef,
    /// Who wrote it.
    pub author: Option<UserRef>,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub status: String,
    /// What was done.
    pub narrative: String,
    /// Progress, 0–100.
    pub percent: i64,
    /// Difficulties (khó khăn, vướng mắc).
    pub difficulties: Option<String>,
    /// Recommendations (kiến nghị).
    pub recommendations: Option<String>,
    /// Links to evidence.
    pub links: Vec<String>,
    /// The completion date the unit claims (with 100%); accepted, it completes the assignment.
    pub completion_claimed_on: Option<NaiveDate>,
    /// Evidence files (metadata).
    pub evidence: Vec<FileMeta>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When accepted or returned.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who accepted or returned it.
    pub decided_by: Option<UserRef>,
    /// The reviewer's comment.
    pub decision_comment: Option<String>,
    /// The version, to send back when editing (optimistic locking).
    pub version: i64,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// What the caller may do with it.
    pub permissions: UpdatePermissions,
}

/// An update as the API shows it to the caller, with what they may do (from the workflow).
fn entry(ctx: &Ctx, assignment: &Assignment, u: Update, evidence: Vec<Attachment>) -> UpdateEntry {
    let allowed = progress::actions(ctx.auth.session(), assignment, &u);
    UpdateEntry {
        permissions: UpdatePermissions {
            edit: allowed.contains(&UpdateAction::Edit),
            decide: allowed.contains(&UpdateAction::Accept) || allowed.contains(&UpdateAction::Return),
        },
        evidence: evidence.into_iter().map(FileMeta::from).collect(),
        id: u.id,
        assignment_id: u.assignment_id,
        organization: OrgRef { id: u.org_id, name: u.org_name },
        author: u.author_id.map(|id| UserRef { id, name: u.author_name.unwrap_or_default() }),
        status: u.status,
        narrative: u.narrative,
        percent: u.percent,
        difficulties: u.difficulties,
        recommendations: u.recommendations,
        links: u.links.as_deref().unwrap_or_default().lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        completion_claimed_on: u.completion_claimed_on,
        submitted_at: u.submitted_at,
        decided_at: u.decided_at,
        decided_by: u.decided_by.map(|id| UserRef { id, name: u.decided_by_name.unwrap_or_default() }),
        decision_comment: u.decision_comment,
        version: u.version,
        is_sample: u.is_sample,
        created_at: u.created_at,
        updated_at: u.updated_at,
    }
}

/// An update with its evidence, for the caller.
async fn entry_of(ctx: &Ctx, assignment: &Assignment, u: Update) -> Result<UpdateEntry, AppError> {
    let evidence = updates::evidence(ctx.state.db(), u.id).await?;
    Ok(entry(ctx, assignment, u, evidence))
}

/// The update as it is now, for the caller.
async fn fresh(ctx: &Ctx, update_id: i64) -> Result<UpdateEntry, AppError> {
    let (update, assignment) = progress::visible(ctx.state.app(), ctx.auth.session(), update_id).await?;
    entry_of(ctx, &assignment, update).await
}

/// Paging of the updates.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UpdatesQuery {
    /// The `next` cursor of the previous page.
    cursor: Option<String>,
    /// Page size, at most 500 (default 50).
    limit: Option<i64>,
}

/// The updates of an assignment, newest first.
///
/// Drafts and returned updates are shown only to the organisation writing them, as on the page.
#[utoipa::path(get, path = "/assignments/{id}/updates", tag = "monitoring", operation_id = "list_updates", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id"), UpdatesQuery),
    responses(
        (status = 200, description = "Updates", body = ListPage<UpdateEntry>),
        (status = 400, description = "Invalid parameters or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_updates(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<UpdatesQuery>,
) -> Result<Json<ListPage<UpdateEntry>>, AppError> {
    ctx.auth.require_user()?;
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let (assignment, rows, total) =
        progress::list(ctx.state.app(), ctx.auth.session(), id, Some(paging.limit), paging.offset).await?;
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let mut evidence = updates::evidence_of(ctx.state.db(), &ids).await?;
    let items = rows
        .into_iter()
        .map(|u| {
            let files = evidence.remove(&u.id).unwrap_or_default();
            entry(&ctx, &assignment, u, files)
        })
        .collect();
    Ok(Json(paged(paging, items, total)))
}

/// One update.
///
/// 404 when the caller may not see it (a draft of another organisation, say).
#[utoipa::path(get, path = "/updates/{id}", tag = "monitoring", operation_id = "get_update", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Update id")),
    responses(
        (status = 200, description = "The update", body = UpdateEntry),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such update, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_update(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<UpdateEntry>, AppError> {
    ctx.auth.require_user()?;
    Ok(Json(fresh(&ctx, id).await?))
}

/// The content of a progress update. Evidence files cannot be sent as JSON: upload them with the page
/// form (`/updates/{id}/edit`, multipart), or give links.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateBody {
    /// What was done (required, at most 20 000 characters).
    pub narrative: String,
    /// Progress, 0–100 (`percent_range` otherwise).
    pub percent: i64,
    /// Difficulties (khó khăn, vướng mắc).
    #[serde(default)]
    pub difficulties: Option<String>,
    /// Recommendations (kiến nghị).
    #[serde(default)]
    pub recommendations: Option<String>,
    /// Links to evidence, `http://` or `https://`.
    #[serde(default)]
    pub links: Vec<String>,
    /// The completion date, only with 100%, not in the future nor before the assignment date.
    #[serde(default)]
    pub completion_claimed_on: Option<NaiveDate>,
    /// Submit it to the assigning side now rather than keep a draft.
    #[serde(default)]
    pub submit: bool,
}

impl UpdateBody {
    fn draft(&self) -> UpdateDraft {
        UpdateDraft {
            narrative: self.narrative.clone(),
            percent: Some(self.percent),
            difficulties: self.difficulties.clone(),
            recommendations: self.recommendations.clone(),
            links: self.links.clone(),
            completion_claimed_on: self.completion_claimed_on,
            evidence: Vec::new(),
            is_sample: false,
            unreadable: Vec::new(),
        }
    }
}

/// Writes a progress update for an assignment the caller's organisation leads.
///
/// A draft, or submitted at once with `submit: true` (the assigning officer is notified). Evidence files
/// are out of scope for JSON: attach them with the multipart page form `/updates/{id}/edit` (or write the
/// update there); links are accepted here.
#[utoipa::path(post, path = "/assignments/{id}/updates", tag = "monitoring", operation_id = "create_update", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = UpdateBody,
    responses(
        (status = 201, description = "Written", body = UpdateEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not report for the lead organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`assignment_cancelled`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`percent_range`, `completion_needs_100`, `link_format`, …)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_update(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<(StatusCode, Json<UpdateEntry>), AppError> {
    ctx.auth.require_user()?;
    let update_id = progress::create(ctx.state.app(), ctx.auth.session(), id, &body.draft(), body.submit).await?;
    Ok((StatusCode::CREATED, Json(fresh(&ctx, update_id).await?)))
}

/// New content for an update, with the version it was read at; `submit` sends it to the assigning side after
/// saving.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EditBody {
    /// The `version` of the update as read; if it changed since, the edit is refused with 409
    /// `update_stale`.
    pub version: i64,
    /// The content, as when the update was written.
    #[serde(flatten)]
    pub content: UpdateBody,
}

/// Replaces the content of a draft or returned update of the caller's organisation.
///
/// With `submit: true` it is submitted after saving. `version` is the version read: if the update changed
/// since, 409 `update_stale`; a submitted or accepted update is 409 `update_final`. Evidence files already
/// attached are kept; new ones go through the multipart page form `/updates/{id}/edit`.
#[utoipa::path(put, path = "/updates/{id}", tag = "monitoring", operation_id = "edit_update", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Update id")),
    request_body = EditBody,
    responses(
        (status = 200, description = "Saved", body = UpdateEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not report for the lead organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such update, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`update_final`: submitted or decided, no longer editable; `update_stale`: changed since `version`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn edit_update(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<Json<UpdateEntry>, AppError> {
    ctx.auth.require_user()?;
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match progress::edit(app, session, id, body.version, &body.content.draft(), body.content.submit).await {
        Ok(()) => Ok(Json(fresh(&ctx, id).await?)),
        // The API says the update changed; the version now is in the update to read again.
        Err(tiendo_app::Error::Conflict { code: "update_stale", .. }) => {
            Err(AppError::Conflict { code: "update_stale" })
        }
        Err(e) => Err(e.into()),
    }
}

/// Submits a draft or returned update as it is to the assigning side (the assigning officer is notified).
#[utoipa::path(post, path = "/updates/{id}/submit", tag = "monitoring", operation_id = "submit_update", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Update id")),
    responses(
        (status = 200, description = "Submitted", body = UpdateEntry),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller does not report for the lead organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such update, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`update_final`: already submitted or decided", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submit_update(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<UpdateEntry>, AppError> {
    ctx.auth.require_user()?;
    progress::submit(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Json(fresh(&ctx, id).await?))
}

/// `accept` or `return` (the values of `DecisionBody::decision` as documented; the body takes any text
/// and answers 422 `decision_unknown` for another, as the page does).
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Accept: final; an accepted update with 100% and a completion date completes the assignment.
    Accept,
    /// Return with a comment, for the organisation to correct and submit again.
    Return,
}

/// A decision on a submitted update.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `accept` or `return`; anything else is 422 `decision_unknown`, as on the page.
    #[schema(value_type = DecisionKind)]
    pub decision: String,
    /// The comment; required to return.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Accepts or returns a submitted update (the assigning side).
///
/// The author is notified. Two officers deciding at once: the first wins; the second gets 409
/// `update_already_decided`, whose detail names who decided, what, and when. Accepting an update with 100%
/// and a completion date completes the assignment.
#[utoipa::path(post, path = "/updates/{id}/decision", tag = "monitoring", operation_id = "decide_update", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Update id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "Decided; the update", body = UpdateEntry),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not on the assigning side", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such update, or its assignment is not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`update_already_decided` (the detail names who and when), or `update_not_submitted`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`decision_unknown`: not `accept` or `return`; `comment` is required to return", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide_update(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<UpdateEntry>, AppError> {
    ctx.auth.require_user()?;
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match progress::decide(app, session, id, &body.decision, body.comment.as_deref()).await {
        // The decided update as it is now (a returned update is the unit's to correct, so it is no longer
        // listed for the assigning side, as on the page; the one who decided is shown the outcome).
        Ok((decided, _)) => {
            let assignment = tiendo_app::monitoring::assignments::load(app, session, decided.assignment_id).await?;
            Ok(Json(entry_of(&ctx, &assignment, decided).await?))
        }
        Err(tiendo_app::Error::Conflict { code: "update_already_decided", args }) => {
            Err(AppError::ConflictWith { code: "update_already_decided", args: already_decided_args(&ctx, &args) })
        }
        Err(e) => Err(e.into()),
    }
}
