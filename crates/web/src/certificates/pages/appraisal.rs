//! The appraisal part of an application's page: for the department's staff, the councils it is before with
//! their conclusions, the experts asked, everyone's flags and opinions, who has not answered yet, and the
//! forms to put it before a council, ask experts and override an expert's conflict of interest; for an
//! expert asked, their own flags and the opinion form (each condition met or not, with a remark, and the
//! recommendation). The enterprise sees none of it.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tiendo_app::certificates::appraisal::{self as use_cases, Appraisal, ExpertsDraft};
use tiendo_app::certificates::{self as applications, OpenedApplication};
use tiendo_core::certificates::StepDraft;
use tiendo_core::certificates::appraisal::{JudgementDraft, Opinion, OpinionDraft};
use tiendo_db::certificates::appraisal::Author;

use crate::error::{AppError, FieldError};
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::Ctx;

/// What was typed in the appraisal's forms, kept when the page comes back with errors.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The opinion.
    pub opinion: Option<OpinionDraft>,
    /// The experts' names, one per line.
    pub experts: String,
    /// What is asked of them.
    pub note: String,
}

/// A condition judged, as shown.
#[derive(Debug, Clone)]
pub struct JudgementLine {
    /// The condition.
    pub label: String,
    /// Met or not.
    pub met: bool,
    /// The remark.
    pub remark: String,
}

/// An opinion as shown.
#[derive(Debug, Clone)]
pub struct OpinionView {
    /// The recommendation's label.
    pub recommendation: String,
    /// Its code (the badge's colour).
    pub code: String,
    /// Each condition.
    pub lines: Vec<JudgementLine>,
    /// General remarks.
    pub remarks: String,
}

/// Someone asked, as shown.
#[derive(Debug, Clone)]
pub struct AppraiserView {
    /// Name with title.
    pub name: String,
    /// Their seat: the council and their role, or "expert".
    pub seat: String,
    /// Their flags' reasons.
    pub flags: Vec<String>,
    /// The override.
    pub overridden: String,
    /// Whether barred.
    pub barred: bool,
    /// The expert's id (for the override form), if one.
    pub expert_id: Option<i64>,
    /// Their opinion.
    pub opinion: Option<OpinionView>,
    /// Whether awaited.
    pub awaited: bool,
}

/// A council the application is before, as shown.
#[derive(Debug, Clone)]
pub struct CouncilView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// State's label.
    pub state: String,
    /// The recommendations counted.
    pub tally: String,
    /// The conclusion's label.
    pub conclusion: String,
    /// Its code.
    pub conclusion_code: String,
    /// The minutes.
    pub minutes: String,
}

/// A condition of the opinion form.
#[derive(Debug, Clone)]
pub struct ConditionInput {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// `met`, `not_met` or empty.
    pub met: String,
    /// The remark.
    pub remark: String,
    /// The error of the judgement.
    pub error: String,
    /// The error of the remark.
    pub remark_error: String,
}

/// The opinion form of the actor.
#[derive(Debug, Clone)]
pub struct OpinionForm {
    /// Their seat.
    pub seat: String,
    /// The conditions.
    pub inputs: Vec<ConditionInput>,
    /// `issue`, `refuse` or empty.
    pub recommendation: String,
    /// Remarks.
    pub remarks: String,
    /// Whether they answered already.
    pub sent: bool,
}

/// The appraisal part of the page.
#[derive(Debug, Clone)]
pub struct AppraisalView {
    /// The department's staff read everything.
    pub staff: bool,
    /// The councils.
    pub councils: Vec<CouncilView>,
    /// Everyone asked (or the actor's seats).
    pub appraisers: Vec<AppraiserView>,
    /// Who has not answered yet.
    pub missing: String,
    /// Every recommendation counted.
    pub tally: String,
    /// One council and nobody else asked: the council's card already gives the count.
    pub one_council: bool,
    /// Whether anything was asked at all.
    pub asked: bool,
    /// Councils being formed, to put it before.
    pub forming: Vec<Choice>,
    /// Whether the staff may put it before a council or ask experts now.
    pub may_refer: bool,
    /// The actor's opinion form.
    pub form: Option<OpinionForm>,
    /// What was typed of the experts' form.
    pub experts: String,
    /// And its note.
    pub note: String,
}

fn opinion_view(ctx: &Ctx, o: &Opinion) -> OpinionView {
    OpinionView {
        recommendation: ctx.tr.t(&format!("cert-recommendation-{}", o.recommendation.code())),
        code: o.recommendation.code().to_owned(),
        lines: o
            .conditions
            .iter()
            .map(|j| JudgementLine {
                label: ctx.tr.t(&format!("cert-rule-{}", j.code)),
                met: j.met,
                remark: j.remark.clone().unwrap_or_default(),
            })
            .collect(),
        remarks: o.remarks.clone().unwrap_or_default(),
    }
}

fn tally(ctx: &Ctx, t: tiendo_core::certificates::appraisal::Tally) -> String {
    ctx.tr.t_with("cert-tally", &[("issue", &t.issue.to_string()), ("refuse", &t.refuse.to_string())])
}

/// The appraisal part as the actor may read it; `None` for the enterprise and anyone not concerned.
pub fn view(ctx: &Ctx, a: &Appraisal, typed: &Typed, errors: &FormErrors) -> AppraisalView {
    let seat_of = |author: Author,
                   role: Option<tiendo_core::sci_tech::council::MemberRole>,
                   council: &Option<(i64, String)>| match (author, council) {
        (Author::Member { .. }, Some((_, name))) => format!(
            "{} · {}",
            name,
            role.map(|r| ctx.tr.t(&format!("st-member-role-{}", r.code()))).unwrap_or_default()
        ),
        _ => ctx.tr.t("cert-expert"),
    };
    let form = a.mine().map(|me| {
        let stored = me.opinion.as_ref().map(OpinionDraft::of);
        let draft = typed.opinion.clone().or(stored).unwrap_or_default();
        OpinionForm {
            seat: seat_of(me.author, me.role, &me.council),
            inputs: a
                .criteria
                .iter()
                .map(|code| {
                    let j = draft.judgement(code);
                    ConditionInput {
                        code: code.clone(),
                        label: ctx.tr.t(&format!("cert-rule-{code}")),
                        met: j.map(|j| j.met.clone()).unwrap_or_default(),
                        remark: j.map(|j| j.remark.clone()).unwrap_or_default(),
                        error: errors.get(&format!("conditions.{code}")).to_owned(),
                        remark_error: errors.get(&format!("conditions.{code}.remark")).to_owned(),
                    }
                })
                .collect(),
            recommendation: draft.recommendation.clone(),
            remarks: draft.remarks.clone(),
            sent: me.opinion.is_some(),
        }
    });
    AppraisalView {
        staff: a.staff,
        councils: a
            .councils
            .iter()
            .map(|c| CouncilView {
                id: c.council.id,
                name: c.council.name.clone(),
                state: ctx.tr.t(&format!("st-council-state-{}", c.state.code())),
                tally: tally(ctx, c.tally),
                conclusion: c
                    .conclusion
                    .map(|r| ctx.tr.t(&format!("cert-recommendation-{}", r.code())))
                    .unwrap_or_default(),
                conclusion_code: c.conclusion.map(|r| r.code().to_owned()).unwrap_or_default(),
                minutes: match (&c.council.minutes_symbol, c.council.minutes_date) {
                    (Some(s), Some(d)) => format!("{s}, {}", tiendo_core::fmt::date(d)),
                    _ => String::new(),
                },
            })
            .collect(),
        appraisers: a
            .appraisers
            .iter()
            .map(|x| AppraiserView {
                name: x.name.clone(),
                seat: seat_of(x.author, x.role, &x.council),
                flags: crate::sci_tech::pages::councils::flag_reasons(ctx, &x.cell.flags),
                overridden: x
                    .cell
                    .overridden
                    .as_ref()
                    .map(|r| ctx.tr.t_with("cert-conflict-overridden", &[("reason", r.as_str())]))
                    .unwrap_or_default(),
                barred: x.cell.bars(),
                expert_id: match x.author {
                    Author::Expert(id) => Some(id),
                    Author::Member { .. } => None,
                },
                opinion: x.opinion.as_ref().map(|o| opinion_view(ctx, o)),
                awaited: x.awaited,
            })
            .collect(),
        missing: a.missing().iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(", "),
        tally: tally(ctx, a.tally),
        one_council: a.councils.len() == 1 && a.appraisers.iter().all(|x| matches!(x.author, Author::Member { .. })),
        asked: !a.appraisers.is_empty() || !a.councils.is_empty(),
        forming: a.forming.iter().map(|(id, name)| Choice::data(*id, name.clone())).collect(),
        may_refer: a.may_refer,
        form,
        experts: typed.experts.clone(),
        note: typed.note.clone(),
    }
}

/// The page again after a step of the appraisal: on success with a notice, else with the errors and what
/// was typed.
async fn after(
    ctx: &Ctx,
    id: i64,
    outcome: tiendo_app::Result<()>,
    done: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/certificates/applications/{id}?done={done}#appraisal")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened: OpenedApplication = applications::open_application(app, session, id).await?;
            super::applications::show_page_typed(
                ctx,
                opened,
                String::new(),
                &errors,
                None,
                StepDraft::default(),
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = applications::open_application(app, session, id).await?;
            let fields = [FieldError::new("appraisal", "conflict_detail").arg("detail", detail)];
            super::applications::show_page_typed(
                ctx,
                opened,
                String::new(),
                &fields,
                None,
                StepDraft::default(),
                typed,
                error.status(),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /certificates/applications/{id}/council`: puts the application before the council chosen.
pub async fn refer(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let council = form.get("council_id").trim().parse::<i64>().unwrap_or(0);
    let outcome = if council == 0 {
        Err(tiendo_app::Error::invalid("council_id", "required"))
    } else {
        use_cases::refer_to_council(ctx.state.app(), ctx.auth.session(), council, &[id]).await
    };
    after(&ctx, id, outcome, "referred", Typed::default()).await
}

/// `POST /certificates/applications/{id}/experts`: asks the experts named, one per line.
pub async fn experts(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let typed = Typed { experts: form.get("experts"), note: form.get("note"), ..Typed::default() };
    let draft = ExpertsDraft { names: typed.experts.lines().map(str::to_owned).collect(), note: typed.note.clone() };
    let outcome = use_cases::ask_experts(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    after(&ctx, id, outcome, "experts", typed).await
}

/// `POST /certificates/applications/{id}/experts/{expert}/override`: lets a flagged expert answer.
pub async fn override_expert(
    ctx: Ctx,
    Path((id, expert)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let outcome =
        use_cases::override_expert(ctx.state.app(), ctx.auth.session(), id, expert, &form.get("reason")).await;
    after(&ctx, id, outcome, "override", Typed::default()).await
}

/// `POST /certificates/applications/{id}/opinion`: the actor's opinion.
pub async fn opinion(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let codes: Vec<String> = form.all("condition");
    let draft = OpinionDraft {
        conditions: codes
            .iter()
            .map(|code| JudgementDraft {
                code: code.clone(),
                met: form.get(&format!("met_{code}")),
                remark: form.get(&format!("remark_{code}")),
            })
            .collect(),
        recommendation: form.get("recommendation"),
        remarks: form.get("remarks"),
    };
    let outcome = use_cases::give_opinion(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    after(&ctx, id, outcome, "opinion", Typed { opinion: Some(draft), ..Typed::default() }).await
}
