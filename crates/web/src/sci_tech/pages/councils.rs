//! `/councils`: the councils (the staff's all, an expert's those they sit on), the council form, and a
//! council's page: its members with their roles and attendance, the proposals before it, the conflicts of
//! interest with their reasons (the chair overrides a flag with a reason), each member's declarations, the
//! quorum; forms to set the members, put proposals before it and open the meeting.

use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::sci_tech::councils::{self as use_cases, Cell, CouncilDraft, MemberDraft, OpenedCouncil};
use tiendo_core::sci_tech::DecisionDraft;
use tiendo_core::sci_tech::council::{CouncilKind, CouncilState, MemberRole};
use tiendo_db::directory::Page;
use tiendo_db::sci_tech::{self as stored, ProposalFilter, Subject};

use super::views;
use crate::error::{AppError, FieldError};
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::{Choice, Pager, Submitted, page_number, pager};
use crate::layout::{Ctx, Layout, render};

/// Councils per page.
const PER_PAGE: i64 = 50;

/// A council in the list.
#[derive(Debug, Clone)]
pub struct CouncilLine {
    id: i64,
    name: String,
    kind: String,
    state: String,
    meeting: String,
    items: i64,
    is_sample: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/councils.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<CouncilLine>,
    summary: String,
    pager: Pager,
    can_create: bool,
}

/// The page of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

/// `GET /councils`.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let page = page_number(q.page.as_deref());
    let listed =
        use_cases::list_councils(app, session, Page { offset: (page - 1) * PER_PAGE, limit: PER_PAGE }).await?;
    let rows: Vec<CouncilLine> = listed
        .items
        .iter()
        .map(|c| CouncilLine {
            id: c.id,
            name: c.name.clone(),
            kind: ctx.tr.t(&format!("st-council-kind-{}", c.kind)),
            state: ctx.tr.t(&format!("st-council-state-{}", c.state)),
            meeting: c.meeting_on.map(tiendo_core::fmt::date).unwrap_or_default(),
            items: c.items,
            is_sample: c.is_sample,
        })
        .collect();
    render(&ListPage {
        layout: ctx.layout("st-councils-title"),
        summary: ctx.tr.t_count("st-councils-count", "count", listed.total),
        pager: pager(&ctx.tr, "/councils", &[], page, PER_PAGE, listed.total, rows.len()),
        rows,
        can_create: use_cases::may_create_council(session),
    })
}

/// A member as shown.
#[derive(Debug, Clone)]
pub struct MemberView {
    /// Row id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// Name with title.
    pub name: String,
    /// Role's label.
    pub role: String,
    /// Expertise.
    pub expertise: String,
    /// The organisation they work at now.
    pub organization: String,
    /// Whether an expert's account scores for them.
    pub scores: bool,
    /// Attendance: `present`, `absent`, or empty.
    pub attendance: &'static str,
    /// Whether present.
    pub present: bool,
}

/// A proposal (or an application) before the council, as shown.
#[derive(Debug, Clone)]
pub struct ItemView {
    /// The proposal (or the application).
    pub id: i64,
    /// Its page.
    pub href: String,
    /// Name.
    pub title: String,
    /// Proposer.
    pub proposer: String,
    /// State's label.
    pub state: String,
}

/// A flag as shown: who, on what, why, and the override.
#[derive(Debug, Clone)]
pub struct FlagView {
    member_id: i64,
    member: String,
    proposal_id: i64,
    proposal: String,
    reasons: Vec<String>,
    overridden: String,
}

/// A proposal the council may take.
#[derive(Debug, Clone)]
pub struct Candidate {
    id: i64,
    title: String,
    proposer: String,
}

/// A declaration row of the actor.
#[derive(Debug, Clone)]
pub struct DeclarationView {
    proposal_id: i64,
    title: String,
    has_conflict: bool,
    text: String,
    declared: bool,
}

#[derive(Template)]
#[template(path = "sci_tech/council.html")]
struct ShowPage {
    layout: Layout,
    c: tiendo_db::sci_tech::Council,
    kind: String,
    state: String,
    state_code: &'static str,
    decision: String,
    meeting: String,
    members: Vec<MemberView>,
    items: Vec<ItemView>,
    flags: Vec<FlagView>,
    candidates: Vec<Candidate>,
    declarations: Vec<DeclarationView>,
    quorum: String,
    quorum_met: bool,
    manage: bool,
    settings_open: bool,
    keeps: bool,
    chair: bool,
    seat: String,
    forming: bool,
    meeting_open: bool,
    member_rows: Vec<MemberRow>,
    roles: Vec<Choice>,
    people: Vec<String>,
    errors: FormErrors,
    notice: String,
    criteria: Vec<String>,
    board: Vec<BoardItem>,
    complete: bool,
    closed: bool,
    present_here: bool,
    closing: (String, String, String),
    judges_applications: bool,
    subject_field: &'static str,
    items_key: &'static str,
    applications: Vec<ApplicationLine>,
}

/// An application of a certificate council's appraisal part.
#[derive(Debug, Clone)]
pub struct ApplicationLine {
    id: i64,
    name: String,
    given: i64,
    missing: Option<String>,
    tally: String,
    conclusion: String,
    conclusion_code: String,
}

/// A criterion's input of the actor's sheet.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    code: String,
    label: String,
    max: String,
    value: String,
    error: String,
}

/// A member's line of a proposal's results.
#[derive(Debug, Clone)]
pub struct SheetLine {
    member: String,
    scores: Vec<String>,
    total: String,
    comment: String,
}

/// One proposal of the scoring part.
#[derive(Debug, Clone)]
pub struct BoardItem {
    id: i64,
    title: String,
    inputs: Vec<ScoreInput>,
    comment: String,
    may_score: bool,
    sent: bool,
    barred: bool,
    lines: Option<Vec<SheetLine>>,
    averages: Vec<String>,
    outcome: String,
    missing: Option<String>,
}

/// A row of the members form.
#[derive(Debug, Clone)]
pub struct MemberRow {
    i: usize,
    name: String,
    role: String,
    error: String,
}

/// The notice after a step.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

/// The reasons of a flag, as sentences.
pub fn reasons(ctx: &Ctx, cell: &Cell) -> Vec<String> {
    flag_reasons(ctx, &cell.flags)
}

/// Flags' reasons, as sentences.
pub fn flag_reasons(ctx: &Ctx, flags: &[tiendo_core::sci_tech::conflicts::Flag]) -> Vec<String> {
    flags
        .iter()
        .map(|f| {
            let args: Vec<(&str, &str)> = f.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ctx.tr.t_with(&format!("st-conflict-{}", f.code), &args)
        })
        .collect()
}

/// The council's page with the errors of a form sent from it and the rows of the members form as typed.
async fn page(
    ctx: &Ctx,
    opened: OpenedCouncil,
    errors: &[FieldError],
    typed_members: Option<Vec<MemberDraft>>,
    notice: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    page_typed(ctx, opened, errors, typed_members, None, notice, status).await
}

/// The sheet typed for one proposal, and the closing typed, kept when the page comes back.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// The proposal scored.
    pub proposal: i64,
    /// The sheet.
    pub sheet: tiendo_core::sci_tech::scoring::SheetDraft,
    /// The closing.
    pub closing: tiendo_app::sci_tech::scoring::Closing,
}

async fn page_typed(
    ctx: &Ctx,
    opened: OpenedCouncil,
    errors: &[FieldError],
    typed_members: Option<Vec<MemberDraft>>,
    typed_sheet: Option<Typed>,
    notice: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let board = tiendo_app::sci_tech::scoring::board(app, ctx.auth.session(), &opened).await?;
    let cells = &board.cells;
    let council = &opened.council;
    let me = opened.me.as_ref().map(|m| m.id);
    let see_all = opened.may_manage || opened.sits_as(MemberRole::Chair);
    let member_name = |id: i64| opened.members.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default();
    let item_title =
        |id: i64| opened.items.iter().find(|i| i.proposal_id == id).map(|i| i.title.clone()).unwrap_or_default();
    let mut flags: Vec<FlagView> = cells
        .iter()
        .filter(|c| !c.flags.is_empty() && (see_all || Some(c.member_id) == me))
        .map(|c| FlagView {
            member_id: c.member_id,
            member: member_name(c.member_id),
            proposal_id: c.proposal_id,
            proposal: item_title(c.proposal_id),
            reasons: reasons(ctx, c),
            overridden: c
                .overridden
                .as_ref()
                .map(|o| ctx.tr.t_with("st-conflict-overridden", &[("reason", o.reason.as_str())]))
                .unwrap_or_default(),
        })
        .collect();
    let judges_applications = opened.kind.judges_applications();
    let (app_board, app_cells) = if judges_applications {
        tiendo_app::certificates::appraisal::council_board(app, &opened).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let enterprise = |id: i64| {
        opened
            .applications
            .iter()
            .find(|i| i.application_id == id)
            .map(|i| i.enterprise_name.clone())
            .unwrap_or_default()
    };
    flags.extend(app_cells.iter().filter(|c| !c.flags.is_empty() && (see_all || Some(c.member_id) == me)).map(|c| {
        FlagView {
            member_id: c.member_id,
            member: member_name(c.member_id),
            proposal_id: c.application_id,
            proposal: enterprise(c.application_id),
            reasons: flag_reasons(ctx, &c.flags),
            overridden: c
                .overridden
                .as_ref()
                .map(|o| ctx.tr.t_with("st-conflict-overridden", &[("reason", o.as_str())]))
                .unwrap_or_default(),
        }
    }));
    let applications: Vec<ApplicationLine> = app_board
        .iter()
        .map(|b| ApplicationLine {
            id: b.item.application_id,
            name: b.item.enterprise_name.clone(),
            given: i64::try_from(b.given).unwrap_or(0),
            missing: b.missing.as_ref().map(|m| m.join(", ")),
            tally: b
                .tally
                .map(|t| {
                    ctx.tr.t_with("cert-tally", &[("issue", &t.issue.to_string()), ("refuse", &t.refuse.to_string())])
                })
                .unwrap_or_default(),
            conclusion: b
                .conclusion
                .map(|r| ctx.tr.t(&format!("cert-recommendation-{}", r.code())))
                .unwrap_or_default(),
            conclusion_code: b.conclusion.map(|r| r.code().to_owned()).unwrap_or_default(),
        })
        .collect();
    let members: Vec<MemberView> = opened
        .members
        .iter()
        .map(|m| MemberView {
            id: m.id,
            person_id: m.person_id,
            name: m.name.clone(),
            role: ctx.tr.t(&format!("st-member-role-{}", m.role)),
            expertise: m.expertise.clone().unwrap_or_default().replace('\n', "; "),
            organization: m.organization.clone().unwrap_or_default(),
            scores: m.user_id.is_some(),
            attendance: match m.present {
                Some(true) => "present",
                Some(false) => "absent",
                None => "",
            },
            present: m.present == Some(true),
        })
        .collect();
    let roles_present: Vec<(MemberRole, bool)> = opened
        .members
        .iter()
        .filter_map(|m| MemberRole::from_code(&m.role).map(|r| (r, m.present == Some(true))))
        .collect();
    let rule = council.settings.quorum;
    let (quorum, quorum_met) = match rule.check(&roles_present) {
        Ok(()) => (
            ctx.tr.t_with(
                "st-quorum-met",
                &[
                    ("present", &roles_present.iter().filter(|(_, p)| *p).count().to_string()),
                    ("total", &roles_present.len().to_string()),
                ],
            ),
            true,
        ),
        Err(short) => (
            ctx.tr.t_with(
                if short.chair_missing { "st-quorum-chair-missing" } else { "st-quorum-short" },
                &[("present", &short.present.to_string()), ("required", &short.required.to_string())],
            ),
            false,
        ),
    };
    let mut candidates = Vec::new();
    if opened.may_manage
        && opened.state == CouncilState::Forming
        && let Some(from) = opened.kind.takes_from()
    {
        let filter = ProposalFilter { call_id: None, states: vec![from.to_owned()], ..ProposalFilter::default() };
        let scope = ctx.auth.session().scope(app).await?;
        for p in stored::page(app.db(), &filter, scope, Page::first(500)).await?.items {
            let route = tiendo_core::sci_tech::Route::from_code(&p.route);
            if route.is_some_and(|r| opened.kind.routes().contains(&r))
                && !opened.items.iter().any(|i| i.proposal_id == p.id)
            {
                candidates.push(Candidate { id: p.id, title: p.title.clone(), proposer: p.proposer() });
            }
        }
    }
    if opened.may_manage && opened.state == CouncilState::Forming && judges_applications {
        let waiting = tiendo_db::certificates::all_in_states(app.db(), &["appraisal".to_owned()]).await?;
        for a in waiting {
            if !opened.applications.iter().any(|i| i.application_id == a.id) {
                candidates.push(Candidate {
                    id: a.id,
                    title: a.enterprise_name.clone(),
                    proposer: a.tax_code.clone().unwrap_or_default(),
                });
            }
        }
    }
    let stored_declarations = stored::declarations(app.db(), council.id).await?;
    let declarations = match me {
        Some(me) => opened
            .items
            .iter()
            .map(|i| {
                let d = stored_declarations.iter().find(|d| d.member_id == me && d.proposal_id == Some(i.proposal_id));
                DeclarationView {
                    proposal_id: i.proposal_id,
                    title: i.title.clone(),
                    has_conflict: d.is_some_and(|d| d.has_conflict),
                    text: d.and_then(|d| d.text.clone()).unwrap_or_default(),
                    declared: d.is_some(),
                }
            })
            .chain(opened.applications.iter().map(|i| {
                let d = stored_declarations
                    .iter()
                    .find(|d| d.member_id == me && d.application_id == Some(i.application_id));
                DeclarationView {
                    proposal_id: i.application_id,
                    title: i.enterprise_name.clone(),
                    has_conflict: d.is_some_and(|d| d.has_conflict),
                    text: d.and_then(|d| d.text.clone()).unwrap_or_default(),
                    declared: d.is_some(),
                }
            }))
            .collect(),
        None => Vec::new(),
    };
    let typed = typed_members.unwrap_or_else(|| {
        opened.members.iter().map(|m| MemberDraft { name: m.name.clone(), role: m.role.clone() }).collect()
    });
    let form_errors = FormErrors::from_fields(errors, &ctx.tr);
    let mut rows: Vec<MemberDraft> = typed;
    let blank = rows.iter().rev().take_while(|r| r.name.trim().is_empty()).count();
    rows.extend((blank..2).map(|_| MemberDraft::default()));
    let member_rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| MemberRow {
            i,
            error: form_errors.get(&format!("members[{i}].name")).to_owned(),
            role: if r.role.is_empty() { MemberRole::Member.code().to_owned() } else { r.role },
            name: r.name,
        })
        .collect();
    let people = if opened.may_manage && opened.state == CouncilState::Forming {
        tiendo_db::directory::list_people(app.db(), &tiendo_db::directory::PersonFilter::default(), Page::first(500))
            .await?
            .items
            .into_iter()
            .map(|p| p.person.display_name())
            .collect()
    } else {
        Vec::new()
    };
    let decision = match (&council.decision_symbol, council.decision_date) {
        (Some(s), Some(d)) => ctx.tr.t_with(
            "st-event-decision",
            &[
                ("symbol", s.as_str()),
                ("date", &tiendo_core::fmt::date(d)),
                ("signer", council.decision_signer.as_deref().unwrap_or_default()),
            ],
        ),
        _ => String::new(),
    };
    let meeting = match (council.meeting_on, &council.meeting_time) {
        (Some(d), Some(t)) => format!("{t}, {}", tiendo_core::fmt::date(d)),
        (Some(d), None) => tiendo_core::fmt::date(d),
        _ => String::new(),
    };
    let seat = opened.me.as_ref().map(|m| ctx.tr.t(&format!("st-member-role-{}", m.role))).unwrap_or_default();
    let typed = typed_sheet.unwrap_or_default();
    let num = |v: f64| tiendo_core::fmt::decimal(v, 2, ctx.lang);
    let board_items: Vec<BoardItem> = board
        .items
        .iter()
        .map(|b| {
            let here = typed.proposal == b.item.proposal_id;
            let inputs = board
                .criteria
                .iter()
                .map(|c| {
                    let value = if here {
                        typed
                            .sheet
                            .scores
                            .iter()
                            .find(|(k, _)| *k == c.code)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    } else {
                        b.mine
                            .as_ref()
                            .and_then(|s| s.score(&c.code))
                            .map(|v| tiendo_core::fmt::decimal(v, 2, tiendo_core::lang::Lang::Vi))
                            .unwrap_or_default()
                    };
                    ScoreInput {
                        error: if here {
                            form_errors.get(&format!("scores.{}", c.code)).to_owned()
                        } else {
                            String::new()
                        },
                        code: c.code.clone(),
                        label: c.name.clone(),
                        max: num(c.max),
                        value,
                    }
                })
                .collect();
            let lines = b.sheets.as_ref().map(|sheets| {
                sheets
                    .iter()
                    .map(|s| SheetLine {
                        member: s.name.clone(),
                        scores: board
                            .criteria
                            .iter()
                            .map(|c| s.sheet.score(&c.code).map(num).unwrap_or_default())
                            .collect(),
                        total: num(s.total),
                        comment: s.sheet.comment.clone().unwrap_or_default(),
                    })
                    .collect()
            });
            let (averages, outcome) = match &b.outcome {
                Some((o, rank)) if o.sheets > 0 => (
                    o.by_criterion.iter().map(|(_, v)| num(*v)).collect(),
                    ctx.tr.t_with(
                        if o.passed { "st-outcome-line-passed" } else { "st-outcome-line-failed" },
                        &[("average", &num(o.average)), ("rank", &rank.to_string())],
                    ),
                ),
                _ => (Vec::new(), String::new()),
            };
            BoardItem {
                id: b.item.proposal_id,
                title: b.item.title.clone(),
                inputs,
                comment: if here {
                    typed.sheet.comment.clone()
                } else {
                    b.mine.as_ref().and_then(|s| s.comment.clone()).unwrap_or_default()
                },
                may_score: b.may_score,
                sent: b.mine.is_some(),
                barred: b.barred,
                lines,
                averages,
                outcome,
                missing: b.missing.as_ref().map(|m| if m.is_empty() { String::new() } else { m.join(", ") }),
            }
        })
        .collect();
    let page = ShowPage {
        layout: ctx.layout_named(council.name.clone()),
        kind: ctx.tr.t(&format!("st-council-kind-{}", council.kind)),
        state: ctx.tr.t(&format!("st-council-state-{}", council.state)),
        state_code: opened.state.code(),
        decision,
        meeting,
        items: opened
            .items
            .iter()
            .map(|i| ItemView {
                id: i.proposal_id,
                href: format!("/proposals/{}", i.proposal_id),
                title: i.title.clone(),
                proposer: i.proposer(),
                state: views::state(&ctx.tr, &i.state),
            })
            .chain(opened.applications.iter().map(|i| ItemView {
                id: i.application_id,
                href: format!("/certificates/applications/{}", i.application_id),
                title: i.enterprise_name.clone(),
                proposer: String::new(),
                state: ctx.tr.t(&format!("cert-state-{}", i.state)),
            }))
            .collect(),
        members,
        flags,
        candidates,
        declarations,
        quorum,
        quorum_met,
        manage: opened.may_manage,
        settings_open: tiendo_app::sci_tech::rubric::may_set_settings(app, &opened).await?,
        keeps: opened.keeps(),
        chair: opened.sits_as(MemberRole::Chair),
        seat,
        forming: opened.state == CouncilState::Forming,
        meeting_open: opened.state == CouncilState::Meeting,
        member_rows,
        roles: MemberRole::ALL
            .iter()
            .map(|r| Choice::new(r.code(), ctx.tr.t(&format!("st-member-role-{}", r.code()))))
            .collect(),
        people,
        criteria: board.criteria.iter().map(|c| format!("{} ({})", c.name, num(c.max))).collect(),
        board: board_items,
        complete: board.complete,
        closed: opened.state == CouncilState::Closed,
        present_here: opened.me.as_ref().is_some_and(|m| m.present == Some(true)),
        closing: (
            typed.closing.minutes_symbol.clone(),
            typed.closing.minutes_date.clone(),
            typed.closing.conclusion.clone(),
        ),
        errors: form_errors,
        notice,
        judges_applications,
        subject_field: if judges_applications { "application_id" } else { "proposal_id" },
        items_key: if judges_applications { "applications" } else { "proposals" },
        applications,
        c: opened.council.clone(),
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /councils/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let opened = use_cases::open_council(ctx.state.app(), ctx.auth.session(), id).await?;
    let notice = match q.done.as_deref() {
        Some(
            key @ ("created" | "saved" | "settings" | "members" | "items" | "declared" | "override" | "meeting"
            | "attendance" | "scored" | "closed"),
        ) => ctx.tr.t(&format!("st-council-done-{key}")),
        _ => String::new(),
    };
    page(&ctx, opened, &[], None, notice, StatusCode::OK).await
}

/// Runs a step of the council's page: on success back to the page with a notice, on a refusal the page
/// again with the errors (and, for the members form, the rows as typed).
async fn after(
    ctx: &Ctx,
    id: i64,
    outcome: tiendo_app::Result<()>,
    done: &str,
    typed_members: Option<Vec<MemberDraft>>,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/councils/{id}?done={done}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_council(app, session, id).await?;
            page(ctx, opened, &errors, typed_members, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = use_cases::open_council(app, session, id).await?;
            page(
                ctx,
                opened,
                &[FieldError::new("council", "conflict_detail").arg("detail", detail)],
                typed_members,
                String::new(),
                error.status(),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn ids(form: &Submitted, name: &str) -> Vec<i64> {
    form.all(name).iter().filter_map(|v| v.trim().parse().ok()).collect()
}

/// `POST /councils/{id}/members`: the members as typed (one row per person).
pub async fn set_members(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let (names, roles) = (form.all("member_name"), form.all("member_role"));
    let rows: Vec<MemberDraft> = (0..names.len().max(roles.len()))
        .map(|i| MemberDraft {
            name: names.get(i).cloned().unwrap_or_default(),
            role: roles.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    if form.has("add_member") {
        let mut more = rows.clone();
        more.push(MemberDraft::default());
        let opened = use_cases::open_council(ctx.state.app(), ctx.auth.session(), id).await?;
        return page(&ctx, opened, &[], Some(more), String::new(), StatusCode::OK).await;
    }
    let outcome = use_cases::set_members(ctx.state.app(), ctx.auth.session(), id, &rows).await;
    after(&ctx, id, outcome, "members", Some(rows)).await
}

/// `POST /councils/{id}/items`: puts the ticked proposals (or, before a council of the kind `certificate`,
/// the ticked applications) before the council.
pub async fn add_items(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_council(app, session, id).await?;
    let outcome = if opened.kind.judges_applications() {
        tiendo_app::certificates::appraisal::refer_to_council(app, session, id, &ids(&form, "application")).await
    } else {
        use_cases::add_items(app, session, id, &ids(&form, "proposal")).await
    };
    after(&ctx, id, outcome, "items", None).await
}

/// The subject a form names: `application_id` when given, else `proposal_id`.
fn subject_of(form: &Submitted) -> Option<Subject> {
    match form.get("application_id").trim().parse() {
        Ok(a) => Some(Subject::Application(a)),
        Err(_) => form.get("proposal_id").trim().parse().ok().map(Subject::Proposal),
    }
}

/// `POST /councils/{id}/declare`: the actor's declaration about one proposal (or every one).
pub async fn declare(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let outcome = use_cases::declare(
        ctx.state.app(),
        ctx.auth.session(),
        id,
        subject_of(&form),
        form.get("has_conflict") == "yes",
        &form.get("text"),
    )
    .await;
    after(&ctx, id, outcome, "declared", None).await
}

/// `POST /councils/{id}/override`: the chair lets a flagged member score a proposal, for a reason.
pub async fn override_flag(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let member = form.get("member_id").trim().parse().unwrap_or(0);
    let subject = subject_of(&form).unwrap_or(Subject::Proposal(0));
    let outcome =
        use_cases::override_flag(ctx.state.app(), ctx.auth.session(), id, member, subject, &form.get("reason")).await;
    after(&ctx, id, outcome, "override", None).await
}

/// `POST /councils/{id}/meeting`: opens the meeting with who is present, or corrects the attendance.
pub async fn meeting(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let present = ids(&form, "present");
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_council(app, session, id).await?;
    let (outcome, done) = if opened.state == CouncilState::Forming {
        (use_cases::open_meeting(app, session, id, &present).await, "meeting")
    } else {
        (use_cases::record_attendance(app, session, id, &present).await, "attendance")
    };
    after(&ctx, id, outcome, done, None).await
}

#[derive(Template)]
#[template(path = "sci_tech/council_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel: String,
    d: CouncilDraft,
    kinds: Vec<Choice>,
    calls: Vec<Choice>,
    errors: FormErrors,
    editing: bool,
}

fn draft_of(form: &Submitted) -> CouncilDraft {
    CouncilDraft {
        kind: form.get("kind"),
        name: form.get("name"),
        call_id: form.get("call_id"),
        meeting_on: form.get("meeting_on"),
        meeting_time: form.get("meeting_time"),
        place: form.get("place"),
        decision: DecisionDraft {
            symbol: form.get("decision.symbol"),
            date: form.get("decision.date"),
            signer: form.get("decision.signer"),
        },
    }
}

async fn form_page(
    ctx: &Ctx,
    id: Option<i64>,
    d: CouncilDraft,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let (heading, action, cancel) = match id {
        Some(id) => (ctx.tr.t("st-council-edit"), format!("/councils/{id}/edit"), format!("/councils/{id}")),
        None => (ctx.tr.t("st-council-new"), "/councils/new".to_owned(), "/councils".to_owned()),
    };
    let calls = tiendo_app::sci_tech::list_calls(app, session, None, None, Page::first(200))
        .await?
        .items
        .into_iter()
        .map(|c| Choice::data(c.id, c.title))
        .collect();
    let page = FormPage {
        layout: ctx.layout_titled(heading.clone()),
        heading,
        action,
        cancel,
        kinds: CouncilKind::ALL
            .iter()
            .map(|k| Choice::new(k.code(), ctx.tr.t(&format!("st-council-kind-{}", k.code()))))
            .collect(),
        calls,
        errors: FormErrors::from_fields(errors, &ctx.tr),
        editing: id.is_some(),
        d,
    };
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// `GET /councils/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !use_cases::may_create_council(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let d = CouncilDraft {
        kind: CouncilKind::Identification.code().to_owned(),
        meeting_time: "08:00".into(),
        ..Default::default()
    };
    form_page(&ctx, None, d, &[], StatusCode::OK).await
}

/// `POST /councils/new`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let d = draft_of(&Submitted::parse(&body));
    match use_cases::create_council(ctx.state.app(), ctx.auth.session(), &d).await {
        Ok(id) => Ok(Redirect::to(&format!("/councils/{id}?done=created")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, None, d, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /councils/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opened = use_cases::open_council(ctx.state.app(), ctx.auth.session(), id).await?;
    if !opened.may_manage {
        return Err(AppError::Forbidden);
    }
    let c = &opened.council;
    let d = CouncilDraft {
        kind: c.kind.clone(),
        name: c.name.clone(),
        call_id: c.call_id.map(|i| i.to_string()).unwrap_or_default(),
        meeting_on: c.meeting_on.map(tiendo_core::fmt::date).unwrap_or_default(),
        meeting_time: c.meeting_time.clone().unwrap_or_default(),
        place: c.place.clone().unwrap_or_default(),
        decision: DecisionDraft {
            symbol: c.decision_symbol.clone().unwrap_or_default(),
            date: c.decision_date.map(tiendo_core::fmt::date).unwrap_or_default(),
            signer: c.decision_signer.clone().unwrap_or_default(),
        },
    };
    form_page(&ctx, Some(id), d, &[], StatusCode::OK).await
}

/// `POST /councils/{id}/edit`.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let d = draft_of(&Submitted::parse(&body));
    match use_cases::update_council(ctx.state.app(), ctx.auth.session(), id, &d).await {
        Ok(()) => Ok(Redirect::to(&format!("/councils/{id}?done=saved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            form_page(&ctx, Some(id), d, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /councils/{id}/scores/{proposal}`: the actor's sheet for one proposal.
pub async fn score(ctx: Ctx, Path((id, proposal)): Path<(i64, i64)>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    let opened = use_cases::open_council(app, session, id).await?;
    let sheet = tiendo_core::sci_tech::scoring::SheetDraft {
        scores: opened
            .council
            .settings
            .criteria
            .iter()
            .map(|c| (c.code.clone(), form.get(&format!("score_{}", c.code))))
            .collect(),
        comment: form.get("comment"),
    };
    let outcome = tiendo_app::sci_tech::scoring::score(app, session, id, proposal, &sheet).await;
    let typed = Typed { proposal, sheet, ..Typed::default() };
    after_typed(&ctx, id, outcome, "scored", typed).await
}

/// `POST /councils/{id}/close`: closes the council with its minutes.
pub async fn close(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let closing = tiendo_app::sci_tech::scoring::Closing {
        minutes_symbol: form.get("minutes_symbol"),
        minutes_date: form.get("minutes_date"),
        conclusion: form.get("conclusion"),
    };
    let outcome = tiendo_app::sci_tech::scoring::close_council(ctx.state.app(), ctx.auth.session(), id, &closing).await;
    after_typed(&ctx, id, outcome, "closed", Typed { closing, ..Typed::default() }).await
}

async fn after_typed(
    ctx: &Ctx,
    id: i64,
    outcome: tiendo_app::Result<()>,
    done: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/councils/{id}?done={done}")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let opened = use_cases::open_council(app, session, id).await?;
            page_typed(ctx, opened, &errors, None, Some(typed), String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err @ tiendo_app::Error::Conflict { .. }) => {
            let error = AppError::from(err);
            let (_, detail) = crate::errors_render::title_and_detail(&error, &ctx.tr, ctx.uri.path());
            let opened = use_cases::open_council(app, session, id).await?;
            let fields = [FieldError::new("council", "conflict_detail").arg("detail", detail)];
            page_typed(ctx, opened, &fields, None, Some(typed), String::new(), error.status()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A paper of a closed council as a file.
pub async fn paper_file(
    ctx: &Ctx,
    id: i64,
    paper: tiendo_app::sci_tech::minutes::Paper,
    format: tiendo_app::document_templates::Format,
) -> Result<Response, AppError> {
    let file =
        tiendo_app::sci_tech::minutes::export_paper(ctx.state.app(), ctx.auth.session(), id, paper, format).await?;
    Ok(crate::monitoring::pages::exports::download(file.bytes, file.content_type, &file.file_name))
}

/// `GET /councils/{id}/minutes.docx`.
pub async fn minutes_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    paper_file(&ctx, id, tiendo_app::sci_tech::minutes::Paper::Minutes, tiendo_app::document_templates::Format::Docx)
        .await
}

/// `GET /councils/{id}/minutes.pdf`.
pub async fn minutes_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    paper_file(&ctx, id, tiendo_app::sci_tech::minutes::Paper::Minutes, tiendo_app::document_templates::Format::Pdf)
        .await
}

/// `GET /councils/{id}/summary.docx`.
pub async fn summary_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    paper_file(&ctx, id, tiendo_app::sci_tech::minutes::Paper::Summary, tiendo_app::document_templates::Format::Docx)
        .await
}

/// `GET /councils/{id}/summary.pdf`.
pub async fn summary_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    paper_file(&ctx, id, tiendo_app::sci_tech::minutes::Paper::Summary, tiendo_app::document_templates::Format::Pdf)
        .await
}
