//! The appraisal of an application (issue 18 item 2): while it is in `appraisal`, the department's staff
//! may put it before a council of the kind `certificate`, formed, met and closed with the machinery of the
//! S&T councils (`crate::sci_tech::councils`: members, roles, the forming decision, attendance, quorum,
//! minutes), or ask experts of the directory for a written opinion. Conflicts of interest are computed as
//! for proposals (`tiendo_core::sci_tech::conflicts`): a member or an expert who worked for the applying
//! enterprise within the council's horizon, is its legal representative, was on the team of one of its
//! S&T proposals, or declared a relation, may not give an opinion unless the council's chair (for an
//! expert asked alone, the department's staff) overrides the flag with a reason. Each member present and
//! each expert judges every condition of the regime met or not with a remark, and recommends issuing or
//! refusing; the council closes with its quorum, every opinion and its minutes, and concludes by its
//! majority. The leader decides with the conclusion and the opinions beside the checklist, or without
//! them: the appraisal stays optional, and the statutory clock runs through it.
//!
//! The enterprise never reads who appraises its dossier nor what they think: [`appraisal`] answers
//! `None` for it.

use std::collections::HashMap;

use tiendo_core::authz::{Action, Resource, Role, authorize};
use tiendo_core::certificates::appraisal::{self as rules, Opinion, OpinionDraft, Recommendation, Tally};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::conflicts::{self, Flag, MemberHistory, Parties};
use tiendo_core::sci_tech::council::{CouncilKind, CouncilSettings, CouncilState, MemberRole};
use tiendo_db::Tx;
use tiendo_db::certificates::appraisal::{self as stored, Author, Expert, NewExpert, StoredOpinion};
use tiendo_db::certificates::{self as applications, Application};
use tiendo_db::sci_tech::{self as councils_db, ApplicationItem, Council, Member};

use super::access::{OpenedApplication, open_application};
use super::entity;
use crate::audit::{self, Entry};
use crate::message::{Message, Notice};
use crate::sci_tech::councils::OpenedCouncil;
use crate::sci_tech::scoring::Closing;
use crate::{App, Error, FieldError, Result, Session, Tr};

/// The state an application is appraised in.
pub const APPRAISAL: &str = "appraisal";

/// One member's (or expert's) flags for one application, and the override if any.
#[derive(Debug, Clone)]
pub struct ApplicationCell {
    /// The member's seat (for an expert: the expert's id).
    pub member_id: i64,
    /// The application.
    pub application_id: i64,
    /// The reasons they are flagged.
    pub flags: Vec<Flag>,
    /// The reason of the override, if any.
    pub overridden: Option<String>,
}

impl ApplicationCell {
    /// Whether they may not give an opinion.
    pub fn bars(&self) -> bool {
        !self.flags.is_empty() && self.overridden.is_none()
    }
}

/// Someone asked for an opinion: a member of a council the application is before, or an expert.
#[derive(Debug, Clone)]
pub struct Appraiser {
    /// Who.
    pub author: Author,
    /// Their name with their title.
    pub name: String,
    /// Their role in the council (none for an expert).
    pub role: Option<MemberRole>,
    /// The council, for a member.
    pub council: Option<(i64, String)>,
    /// The account that answers for them.
    pub user_id: Option<i64>,
    /// Their conflicts of interest with the application, and the override.
    pub cell: ApplicationCell,
    /// Whether their opinion is awaited now: an expert, or a member present at a meeting, not barred, with
    /// an account.
    pub awaited: bool,
    /// Their opinion.
    pub opinion: Option<Opinion>,
}

/// A council the application is before.
#[derive(Debug, Clone)]
pub struct CouncilPart {
    /// The council.
    pub council: Council,
    /// Its state.
    pub state: CouncilState,
    /// The opinions of its members, counted.
    pub tally: Tally,
    /// Its conclusion, once closed.
    pub conclusion: Option<Recommendation>,
}

/// The appraisal of an application as the actor may read it.
#[derive(Debug, Clone)]
pub struct Appraisal {
    /// The conditions judged (codes of `eligibility.toml`).
    pub criteria: Vec<String>,
    /// The councils it is before.
    pub councils: Vec<CouncilPart>,
    /// Everyone asked (the staff), or the actor's own seats (an expert).
    pub appraisers: Vec<Appraiser>,
    /// Whether the actor is the department's staff (reads every name and opinion).
    pub staff: bool,
    /// Every opinion counted (the staff).
    pub tally: Tally,
    /// Whether the actor may put it before a council or ask experts now (the staff, in appraisal).
    pub may_refer: bool,
    /// The councils of the kind `certificate` being formed, for the staff to put it before.
    pub forming: Vec<(i64, String)>,
    /// Whether the actor may give an opinion now, and as whom.
    pub my_seat: Option<Author>,
}

impl Appraisal {
    /// Who has not answered yet: the appraisers whose opinion is awaited and not given.
    pub fn missing(&self) -> Vec<&Appraiser> {
        self.appraisers.iter().filter(|a| a.awaited && a.opinion.is_none()).collect()
    }

    /// The actor's seat that may answer now.
    pub fn mine(&self) -> Option<&Appraiser> {
        self.my_seat.and_then(|s| self.appraisers.iter().find(|a| a.author == s))
    }
}

fn is_staff(session: &Session) -> bool {
    session.actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentOfficer | Role::DepartmentLeader))
}

/// The parties of an application, for the conflicts of interest: the enterprise, its legal representative
/// (the name before any comma: "Nguyễn Văn Hàn, Giám đốc"), and the teams of the S&T proposals the
/// enterprise sent.
async fn parties_of(app: &App, a: &Application) -> Result<Parties> {
    let representative = a
        .fields
        .representative
        .as_deref()
        .map(|r| conflicts::folded_name(r.split(',').next().unwrap_or_default()))
        .filter(|r| !r.is_empty());
    let earlier = councils_db::earlier_of(app.db(), &[a.org_id])
        .await?
        .into_iter()
        .map(|e| {
            let team = e.team.iter().map(|m| (m.person_id, conflicts::folded_name(&m.name))).collect();
            (e.title, team)
        })
        .collect();
    Ok(Parties {
        proposer_org: Some(a.org_id),
        host_org: None,
        team: representative.map(|r| vec![(None, r)]).unwrap_or_default(),
        earlier,
    })
}

/// The flags of a person for an application, named for it: working for the enterprise, being its legal
/// representative.
fn flags_for(
    history: &MemberHistory,
    parties: &Parties,
    declared: Option<&str>,
    day: chrono::NaiveDate,
    years: u32,
) -> Vec<Flag> {
    conflicts::flags(history, parties, declared, day, years)
        .into_iter()
        .map(|mut f| {
            f.code = match f.code {
                "works_at_proposer" => "works_at_applicant",
                "in_team" => "is_representative",
                "earlier_task" => "applicant_task",
                other => other,
            };
            f
        })
        .collect()
}

/// Every member's flags for every application before a council of the kind `certificate`, with the
/// chair's overrides.
pub async fn application_cells(app: &App, opened: &OpenedCouncil) -> Result<Vec<ApplicationCell>> {
    let db = app.db();
    let id = opened.council.id;
    if opened.applications.is_empty() {
        return Ok(Vec::new());
    }
    let people: Vec<(i64, String)> = opened.members.iter().map(|m| (m.person_id, m.name_folded.clone())).collect();
    let histories = councils_db::histories(db, &people).await?;
    let declarations = councils_db::declarations(db, id).await?;
    let overrides = councils_db::application_overrides(db, id).await?;
    let day = opened.council.meeting_on.unwrap_or_else(|| app.today());
    let years = opened.council.settings.conflict_years;
    let mut cells = Vec::new();
    for item in &opened.applications {
        let Some(a) = applications::application(db, item.application_id).await? else { continue };
        let parties = parties_of(app, &a).await?;
        for (member, history) in opened.members.iter().zip(&histories) {
            let declared = declarations
                .iter()
                .filter(|d| d.member_id == member.id && d.has_conflict)
                .find(|d| {
                    d.application_id == Some(item.application_id)
                        || (d.application_id.is_none() && d.proposal_id.is_none())
                })
                .map(|d| d.text.clone().unwrap_or_default());
            cells.push(ApplicationCell {
                member_id: member.id,
                application_id: item.application_id,
                flags: flags_for(history, &parties, declared.as_deref(), day, years),
                overridden: overrides
                    .iter()
                    .find(|o| o.member_id == member.id && o.proposal_id == item.application_id)
                    .map(|o| o.reason.clone()),
            });
        }
    }
    Ok(cells)
}

/// The experts asked about an application, each with their flags (computed on the day they were asked).
async fn expert_cells(app: &App, a: &Application, experts: &[Expert]) -> Result<Vec<ApplicationCell>> {
    if experts.is_empty() {
        return Ok(Vec::new());
    }
    let parties = parties_of(app, a).await?;
    let people: Vec<(i64, String)> = experts.iter().map(|e| (e.person_id, e.name_folded.clone())).collect();
    let histories = councils_db::histories(app.db(), &people).await?;
    let years = CouncilSettings::of(CouncilKind::Certificate).conflict_years;
    Ok(experts
        .iter()
        .zip(&histories)
        .map(|(e, h)| ApplicationCell {
            member_id: e.id,
            application_id: a.id,
            flags: flags_for(h, &parties, None, e.asked_on, years),
            overridden: e.override_reason.clone(),
        })
        .collect())
}

/// Everyone asked about an application (the members of its councils and the experts) with their flags and
/// opinions, and its councils.
async fn everyone(app: &App, a: &Application) -> Result<(Vec<Appraiser>, Vec<CouncilPart>)> {
    let db = app.db();
    let opinions = stored::opinions(db, a.id).await?;
    let opinion_of = |author: Author| opinions.iter().find(|o| o.author == author).map(|o| o.opinion.clone());
    let in_appraisal = a.state == APPRAISAL;
    let mut appraisers = Vec::new();
    let mut parts = Vec::new();
    for (council_id, _) in councils_db::councils_of_application(db, a.id).await? {
        let Some(opened) = council_of(app, council_id).await? else { continue };
        let cells = application_cells(app, &opened).await?;
        let state = opened.state;
        let mut of_council = Vec::new();
        for m in &opened.members {
            let cell = cells.iter().find(|c| c.member_id == m.id && c.application_id == a.id).cloned().unwrap_or(
                ApplicationCell { member_id: m.id, application_id: a.id, flags: Vec::new(), overridden: None },
            );
            let author = Author::Member { council_id, member_id: m.id };
            let awaited = in_appraisal
                && state == CouncilState::Meeting
                && m.present == Some(true)
                && m.user_id.is_some()
                && !cell.bars();
            let opinion = opinion_of(author);
            if let Some(o) = &opinion {
                of_council.push(o.clone());
            }
            appraisers.push(Appraiser {
                author,
                name: m.name.clone(),
                role: MemberRole::from_code(&m.role),
                council: Some((council_id, opened.council.name.clone())),
                user_id: m.user_id,
                cell,
                awaited,
                opinion,
            });
        }
        let passed = opened.applications.iter().find(|i| i.application_id == a.id).and_then(|i| i.passed);
        parts.push(CouncilPart {
            tally: Tally::of(&of_council),
            conclusion: (state == CouncilState::Closed)
                .then(|| passed.map(|p| if p { Recommendation::Issue } else { Recommendation::Refuse }))
                .flatten(),
            council: opened.council,
            state,
        });
    }
    let experts = stored::experts(db, a.id).await?;
    for (e, cell) in experts.iter().zip(expert_cells(app, a, &experts).await?) {
        let author = Author::Expert(e.id);
        appraisers.push(Appraiser {
            author,
            name: e.name.clone(),
            role: None,
            council: None,
            user_id: Some(e.user_id),
            awaited: in_appraisal && !cell.bars(),
            cell,
            opinion: opinion_of(author),
        });
    }
    Ok((appraisers, parts))
}

/// A council with its members and applications, as the system reads it (no access check: the caller
/// decided what the actor may read of it).
async fn council_of(app: &App, id: i64) -> Result<Option<OpenedCouncil>> {
    let db = app.db();
    let Some(council) = councils_db::council(db, id).await? else { return Ok(None) };
    let kind = CouncilKind::from_code(&council.kind).unwrap_or(CouncilKind::Certificate);
    let state = CouncilState::from_code(&council.state).unwrap_or(CouncilState::Closed);
    Ok(Some(OpenedCouncil {
        members: councils_db::members(db, id).await?,
        items: Vec::new(),
        applications: councils_db::application_items(db, id).await?,
        me: None,
        may_manage: false,
        council,
        kind,
        state,
    }))
}

/// The appraisal of an opened application as the actor may read it: everything for the department's
/// staff; their own seats for an expert asked; `None` for anyone else (the enterprise above all).
pub async fn appraisal(app: &App, session: &Session, opened: &OpenedApplication) -> Result<Option<Appraisal>> {
    let staff = is_staff(session) && opened.powers.officer;
    if !staff && !opened.powers.appraise {
        return Ok(None);
    }
    let a = &opened.application;
    let (all, councils) = everyone(app, a).await?;
    let me = session.user_id();
    let appraisers: Vec<Appraiser> = if staff { all } else { all.into_iter().filter(|x| x.user_id == me).collect() };
    let my_seat = appraisers
        .iter()
        .filter(|x| x.user_id.is_some() && x.user_id == me && x.awaited)
        .min_by_key(|x| x.opinion.is_some())
        .map(|x| x.author);
    let in_appraisal = a.state == APPRAISAL;
    let forming = if staff && in_appraisal {
        let listed = councils_db::list_councils(app.db(), None, tiendo_db::directory::Page::first(200)).await?;
        listed
            .items
            .into_iter()
            .filter(|c| c.kind == CouncilKind::Certificate.code() && c.state == CouncilState::Forming.code())
            .filter(|c| !councils.iter().any(|p| p.council.id == c.id))
            .map(|c| (c.id, c.name))
            .collect()
    } else {
        Vec::new()
    };
    let basis = a.basis.unwrap_or(tiendo_core::certificates::LegalBasis::Nd268_2025);
    Ok(Some(Appraisal {
        criteria: rules::criteria(basis, a.fields.size),
        tally: if staff { Tally::of(appraisers.iter().filter_map(|x| x.opinion.as_ref())) } else { Tally::default() },
        councils: if staff { councils } else { Vec::new() },
        appraisers,
        staff,
        may_refer: staff && in_appraisal,
        forming,
        my_seat,
    }))
}

/// Notifies one account of an appraisal asked of it.
async fn ask_notice(app: &App, tx: &Tx, user: i64, a: &Application, council: Option<&str>) -> Result<()> {
    let title = match council {
        Some(name) => Message::key("notify-cert-council").data("name", &a.fields.enterprise_name).data("council", name),
        None => Message::key("notify-cert-expert").data("name", &a.fields.enterprise_name),
    };
    let notice = Notice::new(title, Message::default());
    let email = tiendo_db::identity::user(tx, user).await?.and_then(|u| u.email);
    let link = format!("/certificates/applications/{}", a.id);
    crate::sci_tech::notify_one(app, tx, user, email, "cert_appraisal", &notice, &link).await
}

/// Puts applications in appraisal before a council of the kind `certificate` being formed. `NotFound` when
/// the actor may not see the council; `Forbidden` unless they are the department's staff; `Conflict`
/// `council_not_forming`, `council_not_certificate` (a council of another kind); `Invalid` `applications`
/// `application_not_in_appraisal` naming the enterprise. The members with an account are notified (in the
/// application, and by mail when mail is on). Nothing is written when anything is refused.
pub async fn refer_to_council(app: &App, session: &Session, council_id: i64, application_ids: &[i64]) -> Result<()> {
    let opened = crate::sci_tech::councils::open_council(app, session, council_id).await?;
    if !opened.may_manage {
        return Err(Error::FORBIDDEN);
    }
    if !opened.kind.judges_applications() {
        return Err(Error::conflict("council_not_certificate"));
    }
    if opened.state != CouncilState::Forming {
        return Err(Error::conflict("council_not_forming"));
    }
    let mut ready = Vec::new();
    let mut errors = Vec::new();
    for id in application_ids {
        if opened.applications.iter().any(|i| i.application_id == *id)
            || ready.iter().any(|a: &Application| a.id == *id)
        {
            continue;
        }
        let visible = match open_application(app, session, *id).await {
            Ok(opened) => Some(opened.application),
            Err(Error::NotFound) => None,
            Err(e) => return Err(e),
        };
        match visible {
            Some(a) if a.state == APPRAISAL => ready.push(a),
            Some(a) => errors.push(
                FieldError::new("applications", "application_not_in_appraisal")
                    .arg("name", &a.fields.enterprise_name)
                    .arg("state", format!("msg:cert-state-{}", a.state)),
            ),
            None => errors.push(FieldError::new("applications", "invalid")),
        }
    }
    crate::check(errors)?;
    let tx = app.begin().await?;
    for a in &ready {
        councils_db::add_application_item(&tx, council_id, a.id).await?;
        let entry = Entry::new("refer", entity::APPLICATION, a.id, "audit-cert-referred")
            .arg("name", &a.fields.enterprise_name)
            .arg("council", &opened.council.name)
            .change("council", None::<String>, &opened.council.name);
        audit::record(app, &tx, session, entry).await?;
        for user in opened.members.iter().filter_map(|m| m.user_id) {
            ask_notice(app, &tx, user, a, Some(&opened.council.name)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The experts asked, as typed: one name per line (as in the directory, with or without title and
/// diacritics), and what is asked of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertsDraft {
    /// Their names.
    pub names: Vec<String>,
    /// What the department asks (optional).
    pub note: String,
}

/// Asks experts of the directory for a written opinion on an application in appraisal. Each must be one
/// person of the directory (`experts[i]` `member_unknown`, `member_ambiguous`) with an active expert's
/// account (`expert_no_account`), not asked already (`expert_twice`). `NotFound` when the actor may not
/// see the application; `Forbidden` unless they are the department's staff; `Conflict`
/// `cert_not_in_appraisal`. The experts are notified. Nothing is written when anything is refused.
pub async fn ask_experts(app: &App, session: &Session, id: i64, draft: &ExpertsDraft) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    if !(opened.powers.officer && is_staff(session)) {
        return Err(Error::FORBIDDEN);
    }
    let a = &opened.application;
    if a.state != APPRAISAL {
        return Err(Error::conflict("cert_not_in_appraisal"));
    }
    let db = app.db();
    let asked = stored::experts(db, id).await?;
    let mut found: Vec<(i64, i64, String)> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in draft.names.iter().enumerate() {
        let name = tiendo_core::text::normalize_input(raw);
        if name.is_empty() {
            continue;
        }
        let field = format!("experts[{i}]");
        let people = tiendo_db::visits::people_named(db, &name).await?;
        let person = match people.as_slice() {
            [] => {
                errors.push(
                    FieldError::new(&field, "member_unknown")
                        .arg("name", &name)
                        .arg("add", crate::visits::add_person_link(&name)),
                );
                continue;
            }
            [p] => p.id,
            _ => {
                errors.push(FieldError::new(&field, "member_ambiguous").arg("name", &name));
                continue;
            }
        };
        if asked.iter().any(|e| e.person_id == person) || found.iter().any(|(p, ..)| *p == person) {
            errors.push(FieldError::new(&field, "expert_twice").arg("name", &name));
            continue;
        }
        match councils_db::account_of(db, person).await? {
            Some(user) if has_expert_role(app, user).await? => found.push((person, user, name)),
            _ => errors.push(FieldError::new(&field, "expert_no_account").arg("name", &name)),
        }
    }
    if errors.is_empty() && found.is_empty() {
        errors.push(FieldError::new("experts", "required"));
    }
    crate::check(errors)?;
    let note = tiendo_core::text::normalize_multiline(&draft.note);
    let note = Some(note.trim()).filter(|n| !n.is_empty());
    let tx = app.begin().await?;
    for (person, user, name) in &found {
        let expert = NewExpert { person_id: *person, user_id: *user, note };
        stored::add_expert(&tx, id, &expert, session.user_id(), app.now(), app.today()).await?;
        let entry = Entry::new("ask_expert", entity::APPLICATION, id, "audit-cert-expert-asked")
            .arg("name", &a.fields.enterprise_name)
            .arg("expert", name)
            .change("expert", None::<String>, name);
        audit::record(app, &tx, session, entry).await?;
        ask_notice(app, &tx, *user, a, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn has_expert_role(app: &App, user: i64) -> Result<bool> {
    Ok(tiendo_db::identity::grants(app.db(), user).await?.iter().any(|g| g.role == Role::Expert.code()))
}

/// The department's staff let an expert flagged for a conflict of interest give their opinion, for a
/// reason (for an expert asked alone there is no chair). `Forbidden` unless the actor is the staff;
/// `NotFound` for an expert not asked about this application; `Conflict` `not_flagged`,
/// `already_overridden`; `Invalid` `reason` `required`.
pub async fn override_expert(app: &App, session: &Session, id: i64, expert_id: i64, reason: &str) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    if !(opened.powers.officer && is_staff(session)) {
        return Err(Error::FORBIDDEN);
    }
    let a = &opened.application;
    let experts = stored::experts(app.db(), id).await?;
    let cells = expert_cells(app, a, &experts).await?;
    let (expert, cell) = experts.iter().zip(&cells).find(|(e, _)| e.id == expert_id).ok_or(Error::NotFound)?;
    if cell.flags.is_empty() {
        return Err(Error::conflict("not_flagged"));
    }
    let reason = tiendo_core::text::normalize_multiline(reason).trim().to_owned();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "required"));
    }
    let tx = app.begin().await?;
    if !stored::override_expert(&tx, expert_id, &reason, session.user_id(), app.now()).await? {
        return Err(Error::conflict("already_overridden"));
    }
    let entry = Entry::new("override", entity::APPLICATION, id, "audit-cert-expert-override")
        .arg("name", &a.fields.enterprise_name)
        .arg("expert", &expert.name)
        .change("reason", None::<String>, &reason);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The actor gives (or changes) their opinion on an application in appraisal, as a member present at the
/// meeting of a council it is before, or as an expert asked. `NotFound` when they may not see it;
/// `Forbidden` when nobody asked them; `Conflict` `cert_not_in_appraisal`, `council_not_meeting` (their
/// council is not meeting), `member_absent`, `opinion_conflicted` (a conflict of interest not overridden);
/// `Invalid` naming `conditions.<code>` (`required`, `invalid`), `conditions.<code>.remark`
/// (`remark_required` for a condition not met), `recommendation`. Nothing is written when anything is
/// refused; the audit trail says who answered, not what.
pub async fn give_opinion(app: &App, session: &Session, id: i64, draft: &OpinionDraft) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    let a = &opened.application;
    let me = session.user_id().ok_or(Error::FORBIDDEN)?;
    let (all, _) = everyone(app, a).await?;
    let seats: Vec<&Appraiser> = all.iter().filter(|x| x.user_id == Some(me)).collect();
    if seats.is_empty() || !opened.powers.appraise {
        return Err(Error::FORBIDDEN);
    }
    if a.state != APPRAISAL {
        return Err(Error::conflict("cert_not_in_appraisal"));
    }
    let seat = match seats.iter().find(|x| x.awaited) {
        Some(seat) => *seat,
        None => {
            let first = seats[0];
            let code = if first.cell.bars() {
                "opinion_conflicted"
            } else if first.council.is_some() && seats.iter().any(|x| x.opinion.is_none()) {
                match first.author {
                    Author::Member { council_id, member_id } => {
                        let council = councils_db::council(app.db(), council_id).await?;
                        let members = councils_db::members(app.db(), council_id).await?;
                        if council.is_some_and(|c| c.state != CouncilState::Meeting.code()) {
                            "council_not_meeting"
                        } else if members.iter().any(|m| m.id == member_id && m.present != Some(true)) {
                            "member_absent"
                        } else {
                            "opinion_conflicted"
                        }
                    }
                    Author::Expert(_) => "opinion_conflicted",
                }
            } else {
                "council_not_meeting"
            };
            return Err(Error::conflict(code));
        }
    };
    let basis = a.basis.unwrap_or(tiendo_core::certificates::LegalBasis::Nd268_2025);
    let criteria = rules::criteria(basis, a.fields.size);
    let opinion = rules::check_opinion(&criteria, draft)
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    let tx = app.begin().await?;
    stored::put_opinion(&tx, id, seat.author, &opinion, app.now()).await?;
    let entry = Entry::new("opinion", entity::APPLICATION, id, "audit-cert-opinion")
        .arg("name", &a.fields.enterprise_name)
        .arg("member", &seat.name);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a meeting council of the kind `certificate`: with its quorum, the opinion of every member
/// present and not barred on every application before it (`Conflict` `opinions_missing` naming them), and
/// its minutes; each application's conclusion (the certificate when more than the council's majority of
/// the opinions recommend it) is recorded, audited on the application. Called by
/// `sci_tech::scoring::close_council` for councils of this kind; the caller checked that the actor keeps
/// the council and that it is meeting.
pub(crate) async fn close_council(
    app: &App,
    session: &Session,
    opened: &OpenedCouncil,
    minutes: &tiendo_core::sci_tech::Decision,
    closing: &Closing,
) -> Result<()> {
    let id = opened.council.id;
    let cells = application_cells(app, opened).await?;
    let mut missing = Vec::new();
    let mut outcomes: Vec<(&ApplicationItem, Recommendation, Tally)> = Vec::new();
    let majority = opened
        .council
        .settings
        .conditions
        .or(CouncilSettings::of(CouncilKind::Certificate).conditions)
        .map_or(tiendo_core::sci_tech::council::Fraction { num: 1, den: 2 }, |c| c.majority);
    for item in &opened.applications {
        let opinions: HashMap<i64, StoredOpinion> = stored::opinions(app.db(), item.application_id)
            .await?
            .into_iter()
            .filter_map(|o| match o.author {
                Author::Member { council_id, member_id } if council_id == id => Some((member_id, o)),
                _ => None,
            })
            .collect();
        let expected: Vec<&Member> = opened
            .members
            .iter()
            .filter(|m| m.present == Some(true) && m.user_id.is_some())
            .filter(|m| {
                !cells.iter().any(|c| c.member_id == m.id && c.application_id == item.application_id && c.bars())
            })
            .collect();
        if expected.is_empty() {
            missing.push(Tr::new(Lang::Vi).t_with("cert-nobody-opines", &[("name", &item.enterprise_name)]));
        }
        for m in &expected {
            if !opinions.contains_key(&m.id) {
                missing.push(format!("{} ({})", m.name, item.enterprise_name));
            }
        }
        let tally = Tally::of(opinions.values().map(|o| &o.opinion));
        outcomes.push((item, tally.conclusion(majority), tally));
    }
    if !missing.is_empty() {
        return Err(Error::Conflict { code: "opinions_missing", args: vec![("who", missing.join("; "))] });
    }
    let conclusion = tiendo_core::text::normalize_multiline(&closing.conclusion);
    let tx = app.begin().await?;
    if !councils_db::close_council(&tx, id, minutes, Some(conclusion.as_str()).filter(|c| !c.is_empty()), app.now())
        .await?
    {
        return Err(Error::conflict("council_not_meeting"));
    }
    for (item, recommendation, tally) in &outcomes {
        councils_db::set_application_outcome(&tx, id, item.application_id, *recommendation == Recommendation::Issue)
            .await?;
        let entry = Entry::new("council_concluded", entity::APPLICATION, item.application_id, "audit-cert-concluded")
            .arg("name", &item.enterprise_name)
            .arg("council", &opened.council.name)
            .named("conclusion", crate::message::Value::Key(format!("cert-recommendation-{}", recommendation.code())))
            .change(
                "conclusion",
                None::<String>,
                format!("{} ({}/{})", recommendation.code(), tally.issue, tally.total()),
            );
        audit::record(app, &tx, session, entry).await?;
    }
    let entry = Entry::new("close", crate::sci_tech::entity::COUNCIL, id, "audit-st-council-closed")
        .arg("name", &opened.council.name)
        .change("state", CouncilState::Meeting.code(), CouncilState::Closed.code())
        .change("minutes", None::<String>, format!("{} ({})", minutes.symbol, tiendo_core::fmt::date(minutes.date)));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// One application of a council's page: how many of the opinions awaited were given, who has not
/// answered (for those who keep the meeting), the count of recommendations and the conclusion once closed.
#[derive(Debug, Clone)]
pub struct ApplicationBoard {
    /// The application before the council.
    pub item: ApplicationItem,
    /// The opinions its members gave.
    pub given: usize,
    /// Who has not answered yet, for those who keep the meeting.
    pub missing: Option<Vec<String>>,
    /// The recommendations counted, for those who keep the meeting (once every opinion is in) and once
    /// closed.
    pub tally: Option<Tally>,
    /// The council's conclusion, once closed.
    pub conclusion: Option<Recommendation>,
}

/// The applications of a council of the kind `certificate` as its page shows them.
pub async fn council_board(app: &App, opened: &OpenedCouncil) -> Result<(Vec<ApplicationBoard>, Vec<ApplicationCell>)> {
    let cells = application_cells(app, opened).await?;
    let mut out = Vec::new();
    let closed = opened.state == CouncilState::Closed;
    for item in &opened.applications {
        let opinions: Vec<StoredOpinion> = stored::opinions(app.db(), item.application_id)
            .await?
            .into_iter()
            .filter(|o| matches!(o.author, Author::Member { council_id, .. } if council_id == opened.council.id))
            .collect();
        let answered = |m: &Member| {
            opinions.iter().any(|o| matches!(o.author, Author::Member { member_id, .. } if member_id == m.id))
        };
        let missing: Vec<String> = opened
            .members
            .iter()
            .filter(|m| opened.state == CouncilState::Meeting && m.present == Some(true) && m.user_id.is_some())
            .filter(|m| {
                !cells.iter().any(|c| c.member_id == m.id && c.application_id == item.application_id && c.bars())
            })
            .filter(|m| !answered(m))
            .map(|m| m.name.clone())
            .collect();
        let complete = opened.state == CouncilState::Meeting && missing.is_empty() && !opinions.is_empty();
        let tally = Tally::of(opinions.iter().map(|o| &o.opinion));
        out.push(ApplicationBoard {
            given: opinions.len(),
            tally: (closed || (opened.keeps() && complete)).then_some(tally),
            missing: opened.keeps().then_some(missing),
            conclusion: closed
                .then(|| item.passed.map(|p| if p { Recommendation::Issue } else { Recommendation::Refuse }))
                .flatten(),
            item: item.clone(),
        });
    }
    Ok((out, cells))
}

/// Whether a session may give opinions as an expert at all (for the work page).
pub fn appraises(session: &Session) -> bool {
    authorize(
        &session.actor,
        Action::Score,
        &Resource::CertApplication { owner_path: &[], submitted: true, actor_appraises: true },
    )
    .is_allowed()
}

/// The applications in appraisal awaiting the actor's opinion: (id, the enterprise's name).
pub async fn awaiting_opinion(app: &App, session: &Session) -> Result<Vec<(i64, String)>> {
    match session.user_id().filter(|_| appraises(session)) {
        Some(user) => Ok(stored::awaiting_opinion(app.db(), user, APPRAISAL).await?),
        None => Ok(Vec::new()),
    }
}
