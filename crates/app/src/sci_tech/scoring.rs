//! Scoring in a council and its closing: each member present scores each proposal alone on the council's
//! rubric and reads the others' sheets only once theirs is sent; a flagged member does not score (unless the
//! chair allowed it); the secretary and the staff see who has not scored, and the scores once everyone has.
//! Closing needs the quorum and every sheet: the outcomes (by the rules of the council's settings) and the
//! ranking are then recorded, each proposal takes the machine's step of its outcome with the minutes as
//! its decision document, and the minutes and the score summary are produced in the official format.

use std::collections::HashMap;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::council::{CouncilState, Criterion, MemberRole};
use tiendo_core::sci_tech::scoring::{self, Outcome, Sheet, SheetDraft};
use tiendo_core::sci_tech::{Machine, TransitionInput};
use tiendo_db::sci_tech::{self as stored, Item, Member, StoredSheet};

use super::councils::{Cell, OpenedCouncil, conflict_cells, open_council};
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// A member's sheet as the board shows it.
#[derive(Debug, Clone)]
pub struct MemberSheet {
    /// The member.
    pub member_id: i64,
    /// Their name.
    pub name: String,
    /// Their role's code.
    pub role: String,
    /// Their total on 100.
    pub total: f64,
    /// The sheet.
    pub sheet: Sheet,
}

/// One proposal of the board.
#[derive(Debug, Clone)]
pub struct ItemBoard {
    /// The proposal before the council.
    pub item: Item,
    /// The actor's own sheet.
    pub mine: Option<Sheet>,
    /// Whether the actor may score it now.
    pub may_score: bool,
    /// Whether the actor is barred from scoring it (a conflict of interest not overridden).
    pub barred: bool,
    /// The sheets, when the actor may read them.
    pub sheets: Option<Vec<MemberSheet>>,
    /// Who has not scored yet, for those who keep the meeting.
    pub missing: Option<Vec<String>>,
    /// The outcome and the rank, when the actor may read them.
    pub outcome: Option<(Outcome, usize)>,
}

/// The scores of a council as the actor may read them.
#[derive(Debug, Clone)]
pub struct Board {
    /// The rubric.
    pub criteria: Vec<Criterion>,
    /// Each proposal.
    pub items: Vec<ItemBoard>,
    /// Whether every member expected has scored every proposal.
    pub complete: bool,
    /// Every member's conflicts of interest for every proposal, computed for the board (pages show them
    /// without computing them again).
    pub cells: Vec<Cell>,
}

/// Who is expected to score a proposal: the members present with an account, not barred from it.
fn expected<'a>(members: &'a [Member], cells: &[Cell], proposal: i64) -> Vec<&'a Member> {
    members
        .iter()
        .filter(|m| m.present == Some(true) && m.user_id.is_some())
        .filter(|m| !cells.iter().any(|c| c.member_id == m.id && c.proposal_id == proposal && c.bars()))
        .collect()
}

/// The outcomes and ranks of every proposal from its sheets.
fn outcomes(opened: &OpenedCouncil, sheets: &[StoredSheet]) -> Vec<(Outcome, usize)> {
    let s = &opened.council.settings;
    let list: Vec<Outcome> = opened
        .items
        .iter()
        .map(|i| {
            let of_item: Vec<Sheet> =
                sheets.iter().filter(|x| x.proposal_id == i.proposal_id).map(|x| x.sheet.clone()).collect();
            scoring::aggregate(&s.criteria, &s.rules, &of_item)
        })
        .collect();
    let ranks = scoring::ranks(&list);
    list.into_iter().zip(ranks).collect()
}

/// The board of a council for the actor: their own sheets; the others' once theirs is sent; who has not
/// scored for those who keep the meeting, and everything once everyone has scored; everything once closed.
pub async fn board(app: &App, session: &Session, opened: &OpenedCouncil) -> Result<Board> {
    let _ = session;
    let cells = conflict_cells(app, opened).await?;
    let sheets = stored::sheets(app.db(), opened.council.id).await?;
    let closed = opened.state == CouncilState::Closed;
    let mut complete = !opened.items.is_empty();
    for item in &opened.items {
        let who = expected(&opened.members, &cells, item.proposal_id);
        let done = who.iter().all(|m| sheets.iter().any(|s| s.member_id == m.id && s.proposal_id == item.proposal_id));
        complete &= done && !who.is_empty();
    }
    let all = outcomes(opened, &sheets);
    let member_sheet = |s: &StoredSheet| {
        let m = opened.members.iter().find(|m| m.id == s.member_id);
        MemberSheet {
            member_id: s.member_id,
            name: m.map(|m| m.name.clone()).unwrap_or_default(),
            role: m.map(|m| m.role.clone()).unwrap_or_default(),
            total: s.total,
            sheet: s.sheet.clone(),
        }
    };
    let me = opened.me.as_ref();
    let items = opened
        .items
        .iter()
        .zip(all)
        .map(|(item, outcome)| {
            let mine =
                me.and_then(|m| sheets.iter().find(|s| s.member_id == m.id && s.proposal_id == item.proposal_id));
            let barred = me.is_some_and(|m| {
                cells.iter().any(|c| c.member_id == m.id && c.proposal_id == item.proposal_id && c.bars())
            });
            let may_score = opened.state == CouncilState::Meeting
                && me.is_some_and(|m| m.present == Some(true) && m.user_id.is_some())
                && !barred;
            let reads_all = closed || (opened.keeps() && complete) || mine.is_some();
            let of_item: Vec<MemberSheet> =
                sheets.iter().filter(|s| s.proposal_id == item.proposal_id).map(member_sheet).collect();
            let missing = opened.keeps().then(|| {
                expected(&opened.members, &cells, item.proposal_id)
                    .into_iter()
                    .filter(|m| !sheets.iter().any(|s| s.member_id == m.id && s.proposal_id == item.proposal_id))
                    .map(|m| m.name.clone())
                    .collect()
            });
            ItemBoard {
                item: item.clone(),
                mine: mine.map(|s| s.sheet.clone()),
                may_score,
                barred,
                sheets: reads_all.then_some(of_item),
                missing,
                outcome: (closed || (opened.keeps() && complete) || mine.is_some()).then_some(outcome),
            }
        })
        .collect();
    Ok(Board { criteria: opened.council.settings.criteria.clone(), items, complete, cells })
}

/// The actor, a member present at the meeting, scores a proposal before the council on its rubric.
/// `NotFound` when the council or the proposal is not there for them; `Forbidden` unless they sit on it
/// with an expert's account; `Conflict` `council_not_meeting`, `member_absent`, `member_conflicted` (a
/// conflict of interest the chair did not override); `Invalid` naming `scores.<criterion>` (`score_range`
/// with its maximum, `required`, `not_a_number`). Nothing is written when anything is refused.
pub async fn score(app: &App, session: &Session, id: i64, proposal_id: i64, draft: &SheetDraft) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    let me = opened.me.clone().ok_or(Error::FORBIDDEN)?;
    if !opened.items.iter().any(|i| i.proposal_id == proposal_id) {
        return Err(Error::NotFound);
    }
    if opened.state != CouncilState::Meeting {
        return Err(Error::conflict("council_not_meeting"));
    }
    if me.present != Some(true) {
        return Err(Error::conflict("member_absent"));
    }
    let cells = conflict_cells(app, &opened).await?;
    let barred = cells.iter().any(|c| c.member_id == me.id && c.proposal_id == proposal_id && c.bars());
    let resource = Resource::Council { actor_is_member: true, actor_has_conflict: barred };
    if !authorize(&session.actor, Action::Score, &resource).is_allowed() {
        return Err(if barred { Error::conflict("member_conflicted") } else { Error::FORBIDDEN });
    }
    let criteria = &opened.council.settings.criteria;
    let sheet = scoring::check_sheet(criteria, draft)
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let total = scoring::total(criteria, &sheet);
    let title = opened.items.iter().find(|i| i.proposal_id == proposal_id).map(|i| i.title.clone()).unwrap_or_default();
    let tx = app.begin().await?;
    stored::put_sheet(&tx, id, me.id, proposal_id, &sheet, total, app.now()).await?;
    // The trail says who scored what, not the scores: they stay blind until the council reads them.
    let entry = Entry::new("score", entity::COUNCIL, id, "audit-st-council-scored")
        .arg("name", &opened.council.name)
        .arg("member", &me.name)
        .arg("title", &title);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// What closing a council records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closing {
    /// The minutes' number and symbol (`15/BB-HĐKHCN`).
    pub minutes_symbol: String,
    /// Their date.
    pub minutes_date: String,
    /// The general conclusion.
    pub conclusion: String,
}

/// Closes a meeting council: with its quorum (`Conflict` `no_quorum` naming those present and those needed,
/// `no_quorum_chair`), every member present and not barred having scored every proposal (`Conflict`
/// `scores_missing` naming them), and its minutes' number and date (`Invalid`). The outcome and the rank of
/// each proposal are recorded, and each proposal still before the council takes the step of its outcome
/// with the minutes as its document (signed by the chair). `Forbidden` unless the actor keeps the council.
pub async fn close_council(app: &App, session: &Session, id: i64, closing: &Closing) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.keeps() {
        return Err(Error::FORBIDDEN);
    }
    if opened.state != CouncilState::Meeting {
        return Err(Error::conflict("council_not_meeting"));
    }
    let minutes = minutes_of(app, &opened, closing)?;
    quorum(&opened)?;
    if opened.kind.judges_applications() {
        return crate::certificates::appraisal::close_council(app, session, &opened, &minutes, closing).await;
    }
    let cells = conflict_cells(app, &opened).await?;
    let sheets = stored::sheets(app.db(), id).await?;
    let mut missing: Vec<String> = Vec::new();
    for item in &opened.items {
        let who = expected(&opened.members, &cells, item.proposal_id);
        if who.is_empty() {
            missing.push(Tr::new(Lang::Vi).t_with("st-nobody-scores", &[("title", &item.title)]));
        }
        for m in who {
            if !sheets.iter().any(|s| s.member_id == m.id && s.proposal_id == item.proposal_id) {
                missing.push(format!("{} ({})", m.name, item.title));
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Conflict { code: "scores_missing", args: vec![("who", missing.join("; "))] });
    }
    let results = outcomes(&opened, &sheets);
    let conclusion = tiendo_core::text::normalize_multiline(&closing.conclusion);
    let machine = Machine::standard();
    let (pass, fail) = opened.kind.outcomes();
    let vi = Tr::new(Lang::Vi);
    let tx = app.begin().await?;
    if !stored::close_council(&tx, id, &minutes, Some(conclusion.as_str()).filter(|c| !c.is_empty()), app.now()).await?
    {
        return Err(Error::conflict("council_not_meeting"));
    }
    for (item, (outcome, rank)) in opened.items.iter().zip(&results) {
        stored::set_outcome(
            &tx,
            id,
            item.proposal_id,
            outcome.passed,
            outcome.average,
            i64::try_from(*rank).unwrap_or(0),
        )
        .await?;
        let Some(p) = stored::proposal(&tx, item.proposal_id).await? else { continue };
        let action = if outcome.passed { pass } else { fail };
        let Some(def) = machine.find(p.route, &p.state, action) else { continue };
        let note = vi.t_with(
            "st-council-outcome-note",
            &[
                ("council", &opened.council.name),
                ("average", &tiendo_core::fmt::decimal(outcome.average, 2, Lang::Vi)),
                ("rank", &rank.to_string()),
            ],
        );
        let input = TransitionInput { note: None, reasons: Vec::new(), mode: None, decision: Some(minutes.clone()) };
        super::transitions::apply(app, &tx, session, &p, def, &input, Some(&note)).await?;
    }
    let entry = Entry::new("close", entity::COUNCIL, id, "audit-st-council-closed")
        .arg("name", &opened.council.name)
        .change("state", CouncilState::Meeting.code(), CouncilState::Closed.code())
        .change("minutes", None::<String>, format!("{} ({})", minutes.symbol, tiendo_core::fmt::date(minutes.date)));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The minutes of a closing as typed, checked: their number and symbol and their date, signed by the chair
/// (`Invalid` `minutes_symbol`, `minutes_date`).
pub(crate) fn minutes_of(
    app: &App,
    opened: &OpenedCouncil,
    closing: &Closing,
) -> Result<tiendo_core::sci_tech::Decision> {
    let chair = opened.members.iter().find(|m| m.role == MemberRole::Chair.code());
    let def = tiendo_core::sci_tech::TransitionDef {
        action: String::new(),
        from: Vec::new(),
        to: String::new(),
        by: tiendo_core::sci_tech::Side::Council,
        document: tiendo_core::sci_tech::DocumentRule::Required,
        note: false,
        reasons: false,
        mode: false,
        routes: Vec::new(),
    };
    let typed = tiendo_core::sci_tech::TransitionDraft {
        decision: tiendo_core::sci_tech::DecisionDraft {
            symbol: closing.minutes_symbol.clone(),
            date: closing.minutes_date.clone(),
            signer: chair.map(|c| c.name.clone()).unwrap_or_default(),
        },
        ..Default::default()
    };
    tiendo_core::sci_tech::check_transition_input(Machine::standard(), &def, &typed, app.today())
        .map_err(|issues| {
            Error::Invalid(
                issues
                    .into_iter()
                    .map(|i| {
                        let field = i
                            .field
                            .replace("decision.symbol", "minutes_symbol")
                            .replace("decision.date", "minutes_date");
                        let mut e = FieldError::new(field, i.code);
                        for (k, v) in i.args {
                            e = e.arg(k, v);
                        }
                        e
                    })
                    .collect(),
            )
        })?
        .decision
        .ok_or_else(|| Error::invalid("minutes_symbol", "required"))
}

/// Checks the quorum of a meeting council (`Conflict` `no_quorum` naming those present and those needed,
/// `no_quorum_chair`).
pub(crate) fn quorum(opened: &OpenedCouncil) -> Result<()> {
    let attendance: Vec<(MemberRole, bool)> = opened
        .members
        .iter()
        .filter_map(|m| MemberRole::from_code(&m.role).map(|r| (r, m.present == Some(true))))
        .collect();
    if let Err(short) = opened.council.settings.quorum.check(&attendance) {
        let code = if short.chair_missing { "no_quorum_chair" } else { "no_quorum" };
        return Err(Error::Conflict {
            code,
            args: vec![("present", short.present.to_string()), ("required", short.required.to_string())],
        });
    }
    Ok(())
}

/// The sheets of a closed council by proposal, for its documents.
pub(crate) async fn closed_board(
    app: &App,
    opened: &OpenedCouncil,
) -> Result<(Vec<(Outcome, usize)>, HashMap<i64, Vec<StoredSheet>>)> {
    let sheets = stored::sheets(app.db(), opened.council.id).await?;
    let results = outcomes(opened, &sheets);
    let mut by_item: HashMap<i64, Vec<StoredSheet>> = HashMap::new();
    for s in sheets {
        by_item.entry(s.proposal_id).or_default().push(s);
    }
    Ok((results, by_item))
}
