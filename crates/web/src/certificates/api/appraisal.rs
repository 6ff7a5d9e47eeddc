//! The appraisal of an application in the API: what the caller may read of it (everything for the
//! department's staff, their own seats for an expert, nothing for the enterprise), the appraisal's
//! permissions (the same as the forms of the page), and asking experts, overriding an expert's conflict of
//! interest and giving an opinion. Councils of the kind `certificate` are formed, met and closed through
//! `/councils` like the S&T councils (`POST /councils/{id}/applications` puts applications before one).

use axum::Json;
use serde::{Deserialize, Serialize};
use tiendo_app::certificates::appraisal::{self as use_cases, Appraisal, ExpertsDraft};
use tiendo_core::certificates::appraisal::{JudgementDraft, Opinion, OpinionDraft};
use tiendo_db::certificates::appraisal::Author;
use utoipa::ToSchema;

use super::ApplicationOut;
use crate::error::{AppError, Problem};
use crate::extract::Path;
use crate::layout::Ctx;
use crate::sci_tech::api::councils::FlagReason;

/// One condition judged.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JudgementBody {
    /// The condition's code (one of `appraisal.criteria`).
    pub code: String,
    /// Whether it is met (required).
    pub met: Option<bool>,
    /// Why (required when not met).
    pub remark: Option<String>,
}

/// An opinion on an application.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionBody {
    /// Every condition of `appraisal.criteria` judged.
    pub conditions: Vec<JudgementBody>,
    /// `issue` or `refuse`.
    pub recommendation: String,
    /// General remarks.
    pub remarks: Option<String>,
}

impl OpinionBody {
    fn of(o: &Opinion) -> OpinionBody {
        OpinionBody {
            conditions: o
                .conditions
                .iter()
                .map(|j| JudgementBody { code: j.code.clone(), met: Some(j.met), remark: j.remark.clone() })
                .collect(),
            recommendation: o.recommendation.code().to_owned(),
            remarks: o.remarks.clone(),
        }
    }

    fn draft(&self) -> OpinionDraft {
        OpinionDraft {
            conditions: self
                .conditions
                .iter()
                .map(|j| JudgementDraft {
                    code: j.code.clone(),
                    met: match j.met {
                        Some(true) => "met".to_owned(),
                        Some(false) => "not_met".to_owned(),
                        None => String::new(),
                    },
                    remark: j.remark.clone().unwrap_or_default(),
                })
                .collect(),
            recommendation: self.recommendation.clone(),
            remarks: self.remarks.clone().unwrap_or_default(),
        }
    }
}

/// Someone asked for an opinion: a member of a council (`council_id`, `member_id`) or an expert
/// (`expert_id`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AppraiserOut {
    /// The council, for a member.
    pub council_id: Option<i64>,
    /// The member's seat.
    pub member_id: Option<i64>,
    /// The expert asked.
    pub expert_id: Option<i64>,
    /// Their name with their title.
    pub name: String,
    /// Their role in the council.
    pub role: Option<String>,
    /// Their conflicts of interest with the application.
    pub flags: Vec<FlagReason>,
    /// The reason they may answer nonetheless.
    pub overridden: Option<String>,
    /// Whether their opinion is awaited now.
    pub awaited: bool,
    /// Their opinion.
    pub opinion: Option<OpinionBody>,
}

/// A council the application is before.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppraisalCouncilOut {
    /// The council (`/councils/{id}`).
    pub council_id: i64,
    /// Its name.
    pub name: String,
    /// `forming`, `meeting`, `closed`.
    pub state: String,
    /// Its members' opinions recommending the certificate.
    pub recommend_issue: usize,
    /// Those recommending a refusal.
    pub recommend_refuse: usize,
    /// Its conclusion once closed: `issue` or `refuse`.
    pub conclusion: Option<String>,
    /// Its minutes' number and symbol, once closed.
    pub minutes_symbol: Option<String>,
}

/// The appraisal as the caller may read it (absent for the enterprise).
#[derive(Debug, Serialize, ToSchema)]
pub struct AppraisalOut {
    /// The conditions judged (codes of the checklist).
    pub criteria: Vec<String>,
    /// The councils it is before (the staff).
    pub councils: Vec<AppraisalCouncilOut>,
    /// Everyone asked (the staff), or the caller's own seats (an expert).
    pub appraisers: Vec<AppraiserOut>,
    /// Who has not answered yet.
    pub missing: Vec<String>,
    /// Every opinion recommending the certificate (the staff).
    pub recommend_issue: usize,
    /// Every opinion recommending a refusal (the staff).
    pub recommend_refuse: usize,
}

/// What the caller may do in the appraisal now: `refer_to_council`, `ask_experts`, `override_expert`,
/// `give_opinion` (the forms the page shows).
pub fn permissions(a: Option<&Appraisal>) -> Vec<String> {
    let Some(a) = a else { return Vec::new() };
    let mut out = Vec::new();
    if a.may_refer && !a.forming.is_empty() {
        out.push("refer_to_council".to_owned());
    }
    if a.may_refer {
        out.push("ask_experts".to_owned());
    }
    if a.staff && a.appraisers.iter().any(|x| matches!(x.author, Author::Expert(_)) && x.cell.bars()) {
        out.push("override_expert".to_owned());
    }
    if a.my_seat.is_some() {
        out.push("give_opinion".to_owned());
    }
    out
}

impl AppraisalOut {
    /// The API form of an appraisal.
    pub fn of(ctx: &Ctx, a: &Appraisal) -> AppraisalOut {
        AppraisalOut {
            criteria: a.criteria.clone(),
            councils: a
                .councils
                .iter()
                .map(|c| AppraisalCouncilOut {
                    council_id: c.council.id,
                    name: c.council.name.clone(),
                    state: c.state.code().to_owned(),
                    recommend_issue: c.tally.issue,
                    recommend_refuse: c.tally.refuse,
                    conclusion: c.conclusion.map(|r| r.code().to_owned()),
                    minutes_symbol: c.council.minutes_symbol.clone(),
                })
                .collect(),
            appraisers: a
                .appraisers
                .iter()
                .map(|x| {
                    let (council_id, member_id, expert_id) = match x.author {
                        Author::Member { council_id, member_id } => (Some(council_id), Some(member_id), None),
                        Author::Expert(id) => (None, None, Some(id)),
                    };
                    AppraiserOut {
                        council_id,
                        member_id,
                        expert_id,
                        name: x.name.clone(),
                        role: x.role.map(|r| r.code().to_owned()),
                        flags: x
                            .cell
                            .flags
                            .iter()
                            .zip(crate::sci_tech::pages::councils::flag_reasons(ctx, &x.cell.flags))
                            .map(|(f, detail)| FlagReason { code: f.code.to_owned(), detail })
                            .collect(),
                        overridden: x.cell.overridden.clone(),
                        awaited: x.awaited,
                        opinion: x.opinion.as_ref().map(OpinionBody::of),
                    }
                })
                .collect(),
            missing: a.missing().iter().map(|x| x.name.clone()).collect(),
            recommend_issue: a.tally.issue,
            recommend_refuse: a.tally.refuse,
        }
    }
}

/// Experts to ask.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExpertsIn {
    /// Their names as in the directory (with or without title and diacritics), each with an expert's
    /// account.
    pub names: Vec<String>,
    /// What the department asks of them.
    pub note: Option<String>,
}

/// Asks experts of the directory for a written opinion on an application in appraisal; they are notified.
#[utoipa::path(post, path = "/certificates/applications/{id}/experts", tag = "certificates", operation_id = "ask_cert_experts",
    params(("id" = i64, Path, description = "The application's id")),
    request_body = ExpertsIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application with its appraisal", body = ApplicationOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in appraisal (`cert_not_in_appraisal`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`experts[i]` `member_unknown`, `member_ambiguous`, `expert_no_account`, `expert_twice`; `experts` `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ask_cert_experts(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::api::extract::ApiJson(input): crate::api::extract::ApiJson<ExpertsIn>,
) -> Result<Json<ApplicationOut>, AppError> {
    let draft = ExpertsDraft { names: input.names, note: input.note.unwrap_or_default() };
    use_cases::ask_experts(ctx.state.app(), ctx.auth.session(), id, &draft).await?;
    Ok(Json(super::application_out(&ctx, id).await?))
}

/// The department's override of an expert's conflict of interest.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExpertOverrideIn {
    /// Why the expert may give their opinion nonetheless.
    pub reason: String,
}

/// Lets an expert flagged for a conflict of interest give their opinion, for a reason (the department's
/// staff; a council's members are overridden by its chair, `POST /councils/{id}/overrides`).
#[utoipa::path(post, path = "/certificates/applications/{id}/experts/{expert_id}/override", tag = "certificates", operation_id = "override_cert_expert",
    params(("id" = i64, Path, description = "The application's id"), ("expert_id" = i64, Path, description = "The expert asked (`appraisal.appraisers[].expert_id`)")),
    request_body = ExpertOverrideIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application with its appraisal", body = ApplicationOut),
        (status = 403, description = "Not the department's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application or expert", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_flagged`, `already_overridden`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reason` `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn override_cert_expert(
    ctx: Ctx,
    Path((id, expert_id)): Path<(i64, i64)>,
    crate::api::extract::ApiJson(input): crate::api::extract::ApiJson<ExpertOverrideIn>,
) -> Result<Json<ApplicationOut>, AppError> {
    use_cases::override_expert(ctx.state.app(), ctx.auth.session(), id, expert_id, &input.reason).await?;
    Ok(Json(super::application_out(&ctx, id).await?))
}

/// Gives (or changes) the caller's opinion on an application in appraisal: as a member present at the
/// meeting of a council it is before, or as an expert asked. Each condition of `appraisal.criteria` met or
/// not (a remark when not), and the recommendation.
#[utoipa::path(put, path = "/certificates/applications/{id}/opinion", tag = "certificates", operation_id = "give_cert_opinion",
    params(("id" = i64, Path, description = "The application's id")),
    request_body = OpinionBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The application with its appraisal", body = ApplicationOut),
        (status = 403, description = "Nobody asked the caller", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one the caller may not see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cert_not_in_appraisal`, `council_not_meeting`, `member_absent`, `opinion_conflicted`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`conditions.<code>` `required`, `conditions.<code>.remark` `remark_required`, `recommendation` `required`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn give_cert_opinion(
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::api::extract::ApiJson(input): crate::api::extract::ApiJson<OpinionBody>,
) -> Result<Json<ApplicationOut>, AppError> {
    use_cases::give_opinion(ctx.state.app(), ctx.auth.session(), id, &input.draft()).await?;
    Ok(Json(super::application_out(&ctx, id).await?))
}
