//! `/api/v1/councils`: councils with their members, proposals, conflicts of interest and scores (hidden by
//! the same rules as on the page: a member reads the others' sheets once theirs is sent; the staff and the
//! secretary see who has not scored, and the scores once everyone has; everything once closed), and the
//! steps of forming, meeting, scoring and closing.

use axum::Json;
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_app::document_templates::Format;
use tiendo_app::sci_tech::councils::{self as use_cases, CouncilDraft, MemberDraft, OpenedCouncil};
use tiendo_app::sci_tech::minutes::Paper;
use tiendo_app::sci_tech::scoring::{self, Closing};
use tiendo_core::sci_tech::DecisionDraft;
use tiendo_core::sci_tech::council::MemberRole;
use tiendo_core::sci_tech::scoring::SheetDraft;
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::Subject;
use utoipa::{IntoParams, ToSchema};

use super::DecisionDocumentBody;
use crate::api::ListPage;
use crate::api::extract::{ApiJson, ApiQuery};
use crate::api::paging::Paging;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::visits::api::created;

/// A council in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilItem {
    /// Id.
    pub id: i64,
    /// `identification`, `selection`, `direct` or `acceptance`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// `forming`, `meeting` or `closed`.
    pub state: String,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Proposals before it.
    pub proposals: i64,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A criterion of the rubric.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionOut {
    /// Code.
    pub code: String,
    /// Name, as the sheet prints it.
    pub name: String,
    /// The most points.
    pub max: f64,
    /// Weight in the total.
    pub weight: f64,
}

/// The settings a council runs by.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsOut {
    /// How many years back members' organisations count against a proposal's.
    pub conflict_years: u32,
    /// The share of members who must be present (`2/3`).
    pub quorum_present: String,
    /// Whether the chair or the vice-chair must be present.
    pub quorum_chair_or_vice: bool,
    /// The average (on 100) a proposal needs.
    pub pass_average: f64,
    /// A proposal fails when more than this share of the members gave 0 to one criterion (`1/3`).
    pub zero_limit: String,
    /// The rubric.
    pub criteria: Vec<CriterionOut>,
}

/// A member.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilMemberOut {
    /// Id (of the seat).
    pub id: i64,
    /// The person of the directory.
    pub person_id: i64,
    /// Name with title.
    pub name: String,
    /// `chair`, `vice_chair`, `reviewer_1`, `reviewer_2`, `secretary`, `member`.
    pub role: String,
    /// Their expertise, as the directory lists it.
    pub expertise: Option<String>,
    /// The organisation they work at now, as the directory lists it.
    pub organization: Option<String>,
    /// Attendance, once recorded.
    pub present: Option<bool>,
    /// Whether an expert's account scores for them.
    pub scores: bool,
}

/// A reason a member is flagged.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagReason {
    /// `works_at_proposer`, `works_at_host`, `in_team`, `earlier_task`, `declared`.
    pub code: String,
    /// The reason in the reader's language.
    pub detail: String,
}

/// A member flagged for a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagOut {
    /// The member's seat.
    pub member_id: i64,
    /// Why.
    pub reasons: Vec<FlagReason>,
    /// The chair's reason for letting them score, if given.
    pub overridden: Option<String>,
}

/// A member's sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetOut {
    /// The member's seat.
    pub member_id: i64,
    /// Scores by criterion code.
    pub scores: std::collections::BTreeMap<String, f64>,
    /// Total on 100.
    pub total: f64,
    /// Comment.
    pub comment: Option<String>,
}

/// The outcome of a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeOut {
    /// Sheets counted.
    pub sheets: usize,
    /// Average on 100.
    pub average: f64,
    /// Whether it passes by the council's rules.
    pub passed: bool,
    /// Its rank (1 first).
    pub rank: usize,
    /// Criteria refused by the zero rule.
    pub zeroed: Vec<String>,
}

/// A proposal before the council, with what the caller may read of its scores.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilProposalOut {
    /// The proposal (`/proposals/{id}`).
    pub proposal_id: i64,
    /// Its name.
    pub title: String,
    /// Its proposer.
    pub proposer: String,
    /// Its state now.
    pub state: String,
    /// The caller's own sheet.
    pub my_sheet: Option<SheetOut>,
    /// Whether the caller may score it now.
    pub may_score: bool,
    /// Whether the caller is barred from scoring it.
    pub barred: bool,
    /// Every sheet, when the caller may read them.
    pub sheets: Option<Vec<SheetOut>>,
    /// Who has not scored, for the staff and the secretary.
    pub missing: Option<Vec<String>>,
    /// The outcome, when the caller may read it.
    pub outcome: Option<OutcomeOut>,
    /// Members flagged for it (all for the staff and the chair, the caller's own otherwise).
    pub flags: Vec<FlagOut>,
}

/// An application for the certificate before a council of the kind `certificate`. Each member gives
/// their opinion on the application (`PUT /certificates/applications/{id}/opinion`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilApplicationOut {
    /// The application (`/certificates/applications/{id}`).
    pub application_id: i64,
    /// The enterprise's name.
    pub enterprise_name: String,
    /// Its state now.
    pub state: String,
    /// How many members gave their opinion.
    pub opinions: usize,
    /// Who has not answered yet, for the staff and the secretary.
    pub missing: Option<Vec<String>>,
    /// Opinions recommending the certificate, once every one is in (the staff, the secretary) or closed.
    pub recommend_issue: Option<usize>,
    /// Opinions recommending a refusal, likewise.
    pub recommend_refuse: Option<usize>,
    /// The council's conclusion once closed: `issue` or `refuse`.
    pub conclusion: Option<String>,
    /// Members flagged for it (all for the staff and the chair, the caller's own otherwise).
    pub flags: Vec<FlagOut>,
}

/// What the caller may do with the council.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilPermissions {
    /// Change it (the staff).
    pub manage: bool,
    /// Keep its meeting: attendance, closing (the staff, the secretary).
    pub keep: bool,
    /// Override flags (its chair).
    pub chair: bool,
    /// The caller's seat, if they sit on it.
    pub seat: Option<i64>,
}

/// A council.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilOut {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// State.
    pub state: String,
    /// The call.
    pub call_id: Option<i64>,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Its time.
    pub meeting_time: Option<String>,
    /// Its place.
    pub place: Option<String>,
    /// The decision forming it.
    pub decision: Option<DecisionDocumentBody>,
    /// Its minutes, once closed.
    pub minutes: Option<DecisionDocumentBody>,
    /// Its settings.
    pub settings: SettingsOut,
    /// Its members.
    pub members: Vec<CouncilMemberOut>,
    /// The proposals before it.
    pub proposals: Vec<CouncilProposalOut>,
    /// The applications for the certificate before it (a council of the kind `certificate`).
    pub applications: Vec<CouncilApplicationOut>,
    /// What the caller may do.
    pub permissions: CouncilPermissions,
}

async fn council_out(ctx: &Ctx, opened: OpenedCouncil) -> Result<CouncilOut, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let board = scoring::board(app, session, &opened).await?;
    let cells = &board.cells;
    let see_all = opened.may_manage || opened.sits_as(MemberRole::Chair);
    let me = opened.me.as_ref().map(|m| m.id);
    let c = &opened.council;
    let sheet_out = |member_id: i64, s: &tiendo_core::sci_tech::scoring::Sheet, total: f64| SheetOut {
        member_id,
        scores: s.scores.iter().cloned().collect(),
        total,
        comment: s.comment.clone(),
    };
    let criteria = &c.settings.criteria;
    let proposals = board
        .items
        .iter()
        .map(|b| CouncilProposalOut {
            proposal_id: b.item.proposal_id,
            title: b.item.title.clone(),
            proposer: b.item.proposer(),
            state: b.item.state.clone(),
            my_sheet: me
                .zip(b.mine.as_ref())
                .map(|(m, s)| sheet_out(m, s, tiendo_core::sci_tech::scoring::total(criteria, s))),
            may_score: b.may_score,
            barred: b.barred,
            sheets: b
                .sheets
                .as_ref()
                .map(|list| list.iter().map(|s| sheet_out(s.member_id, &s.sheet, s.total)).collect()),
            missing: b.missing.clone(),
            outcome: b.outcome.as_ref().map(|(o, rank)| OutcomeOut {
                sheets: o.sheets,
                average: o.average,
                passed: o.passed,
                rank: *rank,
                zeroed: o.zeroed.clone(),
            }),
            flags: cells
                .iter()
                .filter(|cell| cell.proposal_id == b.item.proposal_id && !cell.flags.is_empty())
                .filter(|cell| see_all || Some(cell.member_id) == me)
                .map(|cell| FlagOut {
                    member_id: cell.member_id,
                    reasons: cell
                        .flags
                        .iter()
                        .zip(crate::sci_tech::pages::councils::reasons(ctx, cell))
                        .map(|(f, detail)| FlagReason { code: f.code.to_owned(), detail })
                        .collect(),
                    overridden: cell.overridden.as_ref().map(|o| o.reason.clone()),
                })
                .collect(),
        })
        .collect();
    let (board, app_cells) = if opened.kind.judges_applications() {
        tiendo_app::certificates::appraisal::council_board(app, &opened).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let applications = board
        .iter()
        .map(|b| CouncilApplicationOut {
            application_id: b.item.application_id,
            enterprise_name: b.item.enterprise_name.clone(),
            state: b.item.state.clone(),
            opinions: b.given,
            missing: b.missing.clone(),
            recommend_issue: b.tally.map(|t| t.issue),
            recommend_refuse: b.tally.map(|t| t.refuse),
            conclusion: b.conclusion.map(|r| r.code().to_owned()),
            flags: app_cells
                .iter()
                .filter(|cell| cell.application_id == b.item.application_id && !cell.flags.is_empty())
                .filter(|cell| see_all || Some(cell.member_id) == me)
                .map(|cell| FlagOut {
                    member_id: cell.member_id,
                    reasons: cell
                        .flags
                        .iter()
                        .zip(crate::sci_tech::pages::councils::flag_reasons(ctx, &cell.flags))
                        .map(|(f, detail)| FlagReason { code: f.code.to_owned(), detail })
                        .collect(),
                    overridden: cell.overridden.clone(),
                })
                .collect(),
        })
        .collect();
    let doc = |symbol: &Option<String>, date: Option<NaiveDate>, signer: Option<String>| {
        symbol.as_ref().map(|s| DecisionDocumentBody { symbol: s.clone(), date, signer: signer.unwrap_or_default() })
    };
    let chair_name = opened.members.iter().find(|m| m.role == MemberRole::Chair.code()).map(|m| m.name.clone());
    Ok(CouncilOut {
        id: c.id,
        kind: c.kind.clone(),
        name: c.name.clone(),
        state: c.state.clone(),
        call_id: c.call_id,
        meeting_on: c.meeting_on,
        meeting_time: c.meeting_time.clone(),
        place: c.place.clone(),
        decision: doc(&c.decision_symbol, c.decision_date, c.decision_signer.clone()),
        minutes: doc(&c.minutes_symbol, c.minutes_date, chair_name),
        settings: SettingsOut {
            conflict_years: c.settings.conflict_years,
            quorum_present: c.settings.quorum.present.to_string(),
            quorum_chair_or_vice: c.settings.quorum.chair_or_vice,
            pass_average: c.settings.rules.pass_average,
            zero_limit: c.settings.rules.zero_limit.to_string(),
            criteria: criteria
                .iter()
                .map(|k| CriterionOut { code: k.code.clone(), name: k.name.clone(), max: k.max, weight: k.weight })
                .collect(),
        },
        members: opened
            .members
            .iter()
            .map(|m| CouncilMemberOut {
                id: m.id,
                person_id: m.person_id,
                name: m.name.clone(),
                role: m.role.clone(),
                expertise: m.expertise.clone(),
                organization: m.organization.clone(),
                present: m.present,
                scores: m.user_id.is_some(),
            })
            .collect(),
        proposals,
        applications,
        permissions: CouncilPermissions {
            manage: opened.may_manage,
            keep: opened.keeps(),
            chair: opened.sits_as(MemberRole::Chair),
            seat: me,
        },
    })
}

pub(crate) async fn council_by_id(ctx: &Ctx, id: i64) -> Result<CouncilOut, AppError> {
    let opened = use_cases::open_council(ctx.state.app(), ctx.auth.session(), id).await?;
    council_out(ctx, opened).await
}

/// Paging of the council list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CouncilListQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// The councils the caller may see (every council for the staff, those the caller sits on otherwise).
#[utoipa::path(get, path = "/councils", tag = "sci_tech", operation_id = "list_councils",
    params(CouncilListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Councils, the latest meeting first", body = ListPage<CouncilItem>),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_councils(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CouncilListQuery>,
) -> Result<Json<ListPage<CouncilItem>>, AppError> {
    let paging = Paging::parse(q.limit, q.cursor.as_deref())?;
    let page = use_cases::list_councils(
        ctx.state.app(),
        ctx.auth.session(),
        Page { offset: paging.offset, limit: paging.limit },
    )
    .await?;
    let items: Vec<CouncilItem> = page
        .items
        .into_iter()
        .map(|c| CouncilItem {
            id: c.id,
            kind: c.kind,
            name: c.name,
            state: c.state,
            meeting_on: c.meeting_on,
            proposals: c.items,
            is_sample: c.is_sample,
        })
        .collect();
    Ok(Json(ListPage { next: paging.next(items.len(), page.total), items, total: page.total }))
}

/// A council with its members, proposals, conflicts and the scores the caller may read.
#[utoipa::path(get, path = "/councils/{id}", tag = "sci_tech", operation_id = "get_council",
    params(("id" = i64, Path, description = "The council's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 404, description = "No such council, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_council(ctx: Ctx, Path(id): Path<i64>) -> Result<Json<CouncilOut>, AppError> {
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// A council to form.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CouncilIn {
    /// `identification`, `selection`, `direct` or `acceptance`.
    #[schema(schema_with = council_kinds)]
    pub kind: String,
    /// Name.
    pub name: String,
    /// The call whose proposals it judges.
    pub call_id: Option<i64>,
    /// The meeting's day.
    pub meeting_on: Option<NaiveDate>,
    /// Its time (`08:30`).
    pub meeting_time: Option<String>,
    /// Its place.
    pub place: Option<String>,
    /// The decision forming it.
    pub decision: Option<DecisionDocumentBody>,
}

/// Forms a council (its settings are its kind's).
#[utoipa::path(post, path = "/councils", tag = "sci_tech", operation_id = "create_council",
    request_body = CouncilIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CouncilOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_council(ctx: Ctx, ApiJson(input): ApiJson<CouncilIn>) -> Result<Response, AppError> {
    let draft = CouncilDraft {
        kind: input.kind,
        name: input.name,
        call_id: input.call_id.map(|c| c.to_string()).unwrap_or_default(),
        meeting_on: input.meeting_on.map(|d| d.to_string()).unwrap_or_default(),
        meeting_time: input.meeting_time.unwrap_or_default(),
        place: input.place.unwrap_or_default(),
        decision: input
            .decision
            .map(|d| DecisionDraft {
                symbol: d.symbol,
                date: d.date.map(|d| d.to_string()).unwrap_or_default(),
                signer: d.signer,
            })
            .unwrap_or_default(),
    };
    let id = use_cases::create_council(ctx.state.app(), ctx.auth.session(), &draft).await?;
    Ok(created(format!("/api/v1/councils/{id}"), council_by_id(&ctx, id).await?))
}

/// A member to seat.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CouncilMemberIn {
    /// The person's name as in the directory ("TS. Lê Minh Tuấn").
    pub name: String,
    /// Their role (default `member`).
    #[schema(schema_with = member_roles)]
    pub role: Option<String>,
}

/// Sets the members of a council being formed.
#[utoipa::path(put, path = "/councils/{id}/members", tag = "sci_tech", operation_id = "set_council_members",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = Vec<CouncilMemberIn>,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_not_forming`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid members (`members[i].name` `member_unknown`, `members` `chair_required`, `role_twice`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_council_members(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<Vec<CouncilMemberIn>>,
) -> Result<Json<CouncilOut>, AppError> {
    let rows: Vec<MemberDraft> =
        input.into_iter().map(|m| MemberDraft { name: m.name, role: m.role.unwrap_or_default() }).collect();
    use_cases::set_members(ctx.state.app(), ctx.auth.session(), id, &rows).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// Proposals to put before a council.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CouncilProposalsIn {
    /// Their ids.
    pub proposals: Vec<i64>,
}

/// Puts proposals before a council being formed (each takes the machine's `to_council` step).
#[utoipa::path(post, path = "/councils/{id}/proposals", tag = "sci_tech", operation_id = "add_council_proposals",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = CouncilProposalsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_not_forming`, `transition_stale`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`proposals` `proposal_not_ready`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_council_proposals(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CouncilProposalsIn>,
) -> Result<Json<CouncilOut>, AppError> {
    use_cases::add_items(ctx.state.app(), ctx.auth.session(), id, &input.proposals).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// Applications to put before a council of the kind `certificate`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CouncilApplicationsIn {
    /// Their ids (applications in appraisal).
    pub applications: Vec<i64>,
}

/// Puts applications for the S&T enterprise certificate in appraisal before a council of the kind
/// `certificate` being formed; its members with an account are notified.
#[utoipa::path(post, path = "/councils/{id}/applications", tag = "sci_tech", operation_id = "add_council_applications",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = CouncilApplicationsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_not_forming`, `council_not_certificate`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`applications` `application_not_in_appraisal`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_council_applications(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CouncilApplicationsIn>,
) -> Result<Json<CouncilOut>, AppError> {
    tiendo_app::certificates::appraisal::refer_to_council(ctx.state.app(), ctx.auth.session(), id, &input.applications)
        .await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// A member's declaration.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DeclarationIn {
    /// The proposal it concerns (with no application either: every one).
    pub proposal_id: Option<i64>,
    /// The application it concerns, before a council of the kind `certificate`.
    pub application_id: Option<i64>,
    /// Whether the member has a relation with its parties.
    pub has_conflict: bool,
    /// Which relation (required with one).
    pub text: Option<String>,
}

/// The caller, a member, declares a relation with a proposal's parties (or none).
#[utoipa::path(post, path = "/councils/{id}/declarations", tag = "sci_tech", operation_id = "declare_conflict",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = DeclarationIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Not a member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`text` `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn declare_conflict(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeclarationIn>,
) -> Result<Json<CouncilOut>, AppError> {
    let subject = match (input.application_id, input.proposal_id) {
        (Some(a), _) => Some(Subject::Application(a)),
        (None, p) => p.map(Subject::Proposal),
    };
    use_cases::declare(
        ctx.state.app(),
        ctx.auth.session(),
        id,
        subject,
        input.has_conflict,
        input.text.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// The chair's override of a flag.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OverrideIn {
    /// The member's seat.
    pub member_id: i64,
    /// The proposal (or give `application_id`).
    pub proposal_id: Option<i64>,
    /// The application, before a council of the kind `certificate`.
    pub application_id: Option<i64>,
    /// Why the member may score it (or give their opinion).
    pub reason: String,
}

/// The chair lets a flagged member score a proposal, for a reason.
#[utoipa::path(post, path = "/councils/{id}/overrides", tag = "sci_tech", operation_id = "override_conflict",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = OverrideIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "`chair_only`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council, member or proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_flagged`, `already_overridden`, `council_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reason` `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn override_conflict(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OverrideIn>,
) -> Result<Json<CouncilOut>, AppError> {
    let subject = match (input.application_id, input.proposal_id) {
        (Some(a), _) => Subject::Application(a),
        (None, Some(p)) => Subject::Proposal(p),
        (None, None) => return Err(tiendo_app::Error::invalid("proposal_id", "required").into()),
    };
    use_cases::override_flag(ctx.state.app(), ctx.auth.session(), id, input.member_id, subject, &input.reason).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// The attendance.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeetingIn {
    /// The seats of the members present.
    pub present: Vec<i64>,
}

/// Opens the meeting of a council being formed with who is present, or corrects the attendance of a meeting
/// council.
#[utoipa::path(post, path = "/councils/{id}/meeting", tag = "sci_tech", operation_id = "record_council_meeting",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = MeetingIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council", body = CouncilOut),
        (status = 403, description = "Neither the staff nor its secretary", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_empty`, `council_closed`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_council_meeting(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MeetingIn>,
) -> Result<Json<CouncilOut>, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_council(app, session, id).await?;
    if opened.state == tiendo_core::sci_tech::council::CouncilState::Forming {
        use_cases::open_meeting(app, session, id, &input.present).await?;
    } else {
        use_cases::record_attendance(app, session, id, &input.present).await?;
    }
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// A sheet.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SheetIn {
    /// The score of each criterion, by code (0 to its maximum).
    pub scores: std::collections::BTreeMap<String, f64>,
    /// A comment.
    pub comment: Option<String>,
}

/// The caller, a member present, sends (or changes) their sheet for a proposal.
#[utoipa::path(put, path = "/councils/{id}/scores/{proposal_id}", tag = "sci_tech", operation_id = "score_proposal",
    params(("id" = i64, Path, description = "The council's id"), ("proposal_id" = i64, Path, description = "The proposal's id")),
    request_body = SheetIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council as the caller now reads it", body = CouncilOut),
        (status = 403, description = "Not a member with an expert's account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council or proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`member_conflicted`, `member_absent`, `council_not_meeting`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`scores.<criterion>` `score_range` (with its maximum), `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn score_proposal(
    ctx: Ctx,
    Path((id, proposal)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<SheetIn>,
) -> Result<Json<CouncilOut>, AppError> {
    let draft = SheetDraft {
        scores: input
            .scores
            .iter()
            .map(|(k, v)| (k.clone(), tiendo_core::fmt::decimal(*v, 6, tiendo_core::lang::Lang::Vi).replace('.', "")))
            .collect(),
        comment: input.comment.unwrap_or_default(),
    };
    scoring::score(ctx.state.app(), ctx.auth.session(), id, proposal, &draft).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// The closing.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CloseIn {
    /// The minutes' number and symbol.
    pub minutes_symbol: String,
    /// Their date.
    pub minutes_date: Option<NaiveDate>,
    /// The council's conclusion.
    pub conclusion: Option<String>,
}

/// Closes a meeting council: needs the quorum and every sheet; records each proposal's outcome.
#[utoipa::path(post, path = "/councils/{id}/close", tag = "sci_tech", operation_id = "close_council",
    params(("id" = i64, Path, description = "The council's id")),
    request_body = CloseIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The council, closed", body = CouncilOut),
        (status = 403, description = "Neither the staff nor its secretary", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_quorum`, `no_quorum_chair`, `scores_missing`, `council_not_meeting`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`minutes_symbol`, `minutes_date`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn close_council(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CloseIn>,
) -> Result<Json<CouncilOut>, AppError> {
    let closing = Closing {
        minutes_symbol: input.minutes_symbol,
        minutes_date: input.minutes_date.map(|d| d.to_string()).unwrap_or_default(),
        conclusion: input.conclusion.unwrap_or_default(),
    };
    scoring::close_council(ctx.state.app(), ctx.auth.session(), id, &closing).await?;
    Ok(Json(council_by_id(&ctx, id).await?))
}

/// Which paper, in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaperQuery {
    /// `minutes` (default) or `summary`.
    #[param(schema_with = paper_codes)]
    pub paper: Option<String>,
    /// `docx` (default) or `pdf`.
    #[param(schema_with = crate::api::codes::document_format)]
    pub format: Option<String>,
}

/// The schema of a council's `kind`.
fn council_kinds() -> utoipa::openapi::Object {
    crate::api::codes::one_of(
        "`identification`, `selection`, `direct` or `acceptance`.",
        tiendo_core::sci_tech::council::CouncilKind::ALL.iter().map(|k| k.code()),
    )
}

/// The schema of a member's `role`.
fn member_roles() -> utoipa::openapi::Object {
    crate::api::codes::one_of("Their role (default `member`).", MemberRole::ALL.iter().map(|r| r.code()))
}

/// The schema of `paper`.
fn paper_codes() -> utoipa::openapi::Object {
    crate::api::codes::one_of("`minutes` (default) or `summary`.", Paper::ALL.map(Paper::code))
}

/// The minutes or the score summary of a closed council, in the official format.
#[utoipa::path(get, path = "/councils/{id}/papers", tag = "sci_tech", operation_id = "get_council_paper",
    params(("id" = i64, Path, description = "The council's id"), PaperQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The document (`application/vnd.openxmlformats-officedocument.wordprocessingml.document` or `application/pdf`)"),
        (status = 400, description = "An unknown paper or format (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`council_not_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "PDF asked and no font installed (`pdf_font_missing`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_council_paper(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<PaperQuery>,
) -> Result<Response, AppError> {
    let format = Format::from_code(q.format.as_deref().unwrap_or("docx"))
        .ok_or_else(|| crate::api::paging::invalid("format: docx or pdf".into()))?;
    let paper = Paper::from_code(q.paper.as_deref().unwrap_or("minutes"))
        .ok_or_else(|| crate::api::paging::invalid("paper: minutes or summary".into()))?;
    crate::sci_tech::pages::councils::paper_file(&ctx, id, paper, format).await
}
