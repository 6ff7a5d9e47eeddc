//! Councils: formed by the staff with members from the directory (each with a role, and the expert's account
//! that scores for them) and the proposals put before them (each taking the machine's `to_council` step);
//! the members' declarations, the conflicts of interest computed from history, the chair's overrides; the
//! meeting opened with its attendance.

use std::collections::{HashMap, HashSet};

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::conflicts::{self, Flag, Parties};
use tiendo_core::sci_tech::council::{CouncilKind, CouncilSettings, CouncilState, MemberRole};
use tiendo_core::sci_tech::{DecisionDraft, DocumentRule, Machine, TransitionInput};
use tiendo_core::text::{fold, normalize_input, normalize_multiline};
use tiendo_db::sci_tech::{
    self as stored, ApplicationItem, Council, CouncilRecord, Item, Member, NewMember, Override, Subject,
};

use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, Tr};

/// A council as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CouncilDraft {
    /// `identification`, `selection`, `direct` or `acceptance`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// The call whose proposals it judges (an id, optional).
    pub call_id: String,
    /// The meeting's day.
    pub meeting_on: String,
    /// Its time.
    pub meeting_time: String,
    /// Its place.
    pub place: String,
    /// The decision forming it (optional).
    pub decision: DecisionDraft,
}

/// A member as typed: a person named as in the directory, a role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberDraft {
    /// The person's name ("TS. Lê Minh Tuấn").
    pub name: String,
    /// The role's code.
    pub role: String,
}

/// A council the actor may see, with its members and proposals and the actor's place in it.
#[derive(Debug, Clone)]
pub struct OpenedCouncil {
    /// The council.
    pub council: Council,
    /// Its kind.
    pub kind: CouncilKind,
    /// Its state.
    pub state: CouncilState,
    /// Its members.
    pub members: Vec<Member>,
    /// The proposals before it.
    pub items: Vec<Item>,
    /// The applications for the certificate before it (a council of the kind `certificate`).
    pub applications: Vec<ApplicationItem>,
    /// The actor's seat, when they sit on it.
    pub me: Option<Member>,
    /// Whether the actor manages it (the department's staff).
    pub may_manage: bool,
}

impl OpenedCouncil {
    /// Whether the actor sits on it as `role`.
    pub fn sits_as(&self, role: MemberRole) -> bool {
        self.me.as_ref().is_some_and(|m| m.role == role.code())
    }

    /// Whether the actor keeps its meeting: the staff, or its secretary.
    pub fn keeps(&self) -> bool {
        self.may_manage || self.sits_as(MemberRole::Secretary)
    }
}

/// One member's flags for one proposal, and the chair's override if any.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The member.
    pub member_id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The reasons they are flagged.
    pub flags: Vec<Flag>,
    /// The override.
    pub overridden: Option<Override>,
}

impl Cell {
    /// Whether the member may not score the proposal.
    pub fn bars(&self) -> bool {
        !self.flags.is_empty() && self.overridden.is_none()
    }
}

fn staff(session: &Session) -> bool {
    authorize(&session.actor, Action::Create, &Resource::Council { actor_is_member: false, actor_has_conflict: false })
        .is_allowed()
}

/// Opens a council the actor may see (the staff, and the experts who sit on it); `NotFound` otherwise.
pub async fn open_council(app: &App, session: &Session, id: i64) -> Result<OpenedCouncil> {
    let db = app.db();
    let council = stored::council(db, id).await?.ok_or(Error::NotFound)?;
    let members = stored::members(db, id).await?;
    let me = session.user_id().and_then(|u| members.iter().find(|m| m.user_id == Some(u)).cloned());
    let resource = Resource::Council { actor_is_member: me.is_some(), actor_has_conflict: false };
    if !authorize(&session.actor, Action::View, &resource).is_allowed() {
        return Err(Error::NotFound);
    }
    let kind = CouncilKind::from_code(&council.kind).unwrap_or(CouncilKind::Selection);
    let state = CouncilState::from_code(&council.state).unwrap_or(CouncilState::Closed);
    let items = stored::items(db, id).await?;
    let applications = if kind.judges_applications() { stored::application_items(db, id).await? } else { Vec::new() };
    Ok(OpenedCouncil { may_manage: staff(session), council, kind, state, members, items, applications, me })
}

/// Whether the actor may form councils (the department's staff).
pub fn may_create_council(session: &Session) -> bool {
    staff(session)
}

fn checked(app: &App, draft: &CouncilDraft) -> Result<CouncilRecord> {
    let mut errors = Vec::new();
    let kind = CouncilKind::from_code(draft.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "required"));
    }
    let name = normalize_input(&draft.name);
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    } else if name.chars().count() > 300 {
        errors.push(FieldError::new("name", "too_long").arg("max", 300));
    }
    let call_id = match draft.call_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.push(FieldError::new("call_id", "invalid"));
                None
            }
        },
    };
    let meeting_on = match draft.meeting_on.trim() {
        "" => None,
        raw => {
            let parsed = tiendo_core::fmt::parse_date(raw);
            if parsed.is_none() {
                errors.push(FieldError::new("meeting_on", "date_format"));
            }
            parsed
        }
    };
    let meeting_time = match draft.meeting_time.trim() {
        "" => None,
        raw => match tiendo_core::visits::StopTime::parse(raw) {
            Some(t) => Some(t.text()),
            None => {
                errors.push(FieldError::new("meeting_time", "time_format"));
                None
            }
        },
    };
    let place = Some(normalize_input(&draft.place)).filter(|p| !p.is_empty());
    // The decision forming it is optional, and complete when given.
    let machine = Machine::standard();
    let rule = tiendo_core::sci_tech::TransitionDef {
        action: String::new(),
        from: Vec::new(),
        to: String::new(),
        by: tiendo_core::sci_tech::Side::Officer,
        document: DocumentRule::Optional,
        note: false,
        reasons: false,
        mode: false,
        routes: Vec::new(),
    };
    let typed = tiendo_core::sci_tech::TransitionDraft { decision: draft.decision.clone(), ..Default::default() };
    let decision = match tiendo_core::sci_tech::check_transition_input(machine, &rule, &typed, app.today()) {
        Ok(input) => input.decision,
        Err(issues) => {
            errors.extend(issues.into_iter().map(FieldError::from));
            None
        }
    };
    crate::check(errors)?;
    let kind = kind.ok_or_else(|| Error::invalid("kind", "required"))?;
    Ok(CouncilRecord {
        kind: kind.code().to_owned(),
        name,
        call_id,
        settings: CouncilSettings::of(kind).clone(),
        meeting_on,
        meeting_time,
        place,
        decision,
        is_sample: false,
    })
}

/// Forms a council (no member yet); its id. `Forbidden` unless the actor is the department's staff;
/// `Invalid` naming every field at fault.
pub async fn create_council(app: &App, session: &Session, draft: &CouncilDraft) -> Result<i64> {
    insert(app, session, draft, false).await
}

/// Forms a council of the demonstration's story, marked as sample data.
pub async fn create_sample_council(app: &App, session: &Session, draft: &CouncilDraft) -> Result<i64> {
    insert(app, session, draft, true).await
}

async fn insert(app: &App, session: &Session, draft: &CouncilDraft, is_sample: bool) -> Result<i64> {
    if !staff(session) {
        return Err(Error::FORBIDDEN);
    }
    let mut record = checked(app, draft)?;
    record.is_sample = is_sample;
    if let Some(call) = record.call_id
        && stored::call(app.db(), call).await?.is_none()
    {
        return Err(Error::invalid("call_id", "invalid"));
    }
    let tx = app.begin().await?;
    let id = stored::create_council(&tx, &record, session.user_id(), app.now()).await?;
    let entry = Entry::new("create", entity::COUNCIL, id, "audit-st-council-created")
        .arg("name", &record.name)
        .change("name", None::<String>, &record.name)
        .change("kind", None::<String>, &record.kind);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a council's name, meeting and decision (its kind and its settings stay; `rubric::set_settings`
/// changes the settings).
/// `Conflict` `council_closed` once closed.
pub async fn update_council(app: &App, session: &Session, id: i64, draft: &CouncilDraft) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.may_manage {
        return Err(Error::FORBIDDEN);
    }
    if opened.state == CouncilState::Closed {
        return Err(Error::conflict("council_closed"));
    }
    let mut record = checked(app, &CouncilDraft { kind: opened.council.kind.clone(), ..draft.clone() })?;
    record.settings = opened.council.settings.clone();
    let tx = app.begin().await?;
    stored::update_council(&tx, id, &record, app.now()).await?;
    let entry = Entry::new("update", entity::COUNCIL, id, "audit-st-council-updated").arg("name", &record.name).change(
        "name",
        &opened.council.name,
        &record.name,
    );
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

fn require_forming(opened: &OpenedCouncil) -> Result<()> {
    if !opened.may_manage {
        return Err(Error::FORBIDDEN);
    }
    match opened.state {
        CouncilState::Forming => Ok(()),
        _ => Err(Error::conflict("council_not_forming")),
    }
}

/// Sets the members of a council being formed: each row a person of the directory with a role; exactly one
/// chair, at most one vice-chair, secretary, first and second reviewer; nobody twice. Each member's account
/// (to score) is the one linked to the person, else the one expert's account bearing their name.
/// `Invalid` naming `members[i].name` (`member_unknown`, `member_ambiguous`, `member_twice`) or
/// `members` (`chair_required`, `role_twice`).
pub async fn set_members(app: &App, session: &Session, id: i64, rows: &[MemberDraft]) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    require_forming(&opened)?;
    let db = app.db();
    let mut errors = Vec::new();
    let mut found: Vec<NewMember> = Vec::new();
    let mut seen = HashSet::new();
    let mut roles: Vec<MemberRole> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let name = normalize_input(&row.name);
        if name.is_empty() {
            continue;
        }
        let field = format!("members[{i}].name");
        let role = match row.role.trim() {
            "" => MemberRole::Member,
            code => match MemberRole::from_code(code) {
                Some(r) => r,
                None => {
                    errors.push(FieldError::new(format!("members[{i}].role"), "invalid"));
                    continue;
                }
            },
        };
        let people = tiendo_db::visits::people_named(db, &name).await?;
        match people.as_slice() {
            [] => errors.push(
                FieldError::new(&field, "member_unknown")
                    .arg("name", &name)
                    .arg("add", crate::visits::add_person_link(&name)),
            ),
            [p] if !seen.insert(p.id) => errors.push(FieldError::new(&field, "member_twice").arg("name", &name)),
            [p] => {
                roles.push(role);
                found.push(NewMember {
                    person_id: p.id,
                    user_id: stored::account_of(db, p.id).await?,
                    role: role.code().to_owned(),
                });
            }
            _ => errors.push(FieldError::new(&field, "member_ambiguous").arg("name", &name)),
        }
    }
    let count = |r: MemberRole| roles.iter().filter(|x| **x == r).count();
    if errors.is_empty() && count(MemberRole::Chair) != 1 {
        errors.push(FieldError::new("members", "chair_required"));
    }
    for role in
        [MemberRole::Chair, MemberRole::ViceChair, MemberRole::Secretary, MemberRole::Reviewer1, MemberRole::Reviewer2]
    {
        if count(role) > 1 {
            let label = Tr::new(Lang::Vi).t(&format!("st-member-role-{}", role.code()));
            errors.push(FieldError::new("members", "role_twice").arg("role", label));
        }
    }
    crate::check(errors)?;
    // The chair first, then the order typed.
    found.sort_by_key(|m| m.role != MemberRole::Chair.code());
    let tx = app.begin().await?;
    stored::replace_members(&tx, id, &found).await?;
    let lines: Vec<String> =
        stored::members(&tx, id).await?.iter().map(|m| format!("{} ({})", m.name, m.role)).collect();
    let before: Vec<String> = opened.members.iter().map(|m| format!("{} ({})", m.name, m.role)).collect();
    let entry = Entry::new("update", entity::COUNCIL, id, "audit-st-council-members")
        .arg("name", &opened.council.name)
        .change("members", before.join("; "), lines.join("; "));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts proposals before a council being formed: each must stand where the council's kind takes them
/// from (a proposal awaiting identification, a valid dossier), on one of its routes; each takes the
/// machine's `to_council` step (the council's founding decision as its document). `Invalid` naming
/// `proposals` (`proposal_not_ready`) with the proposal's name; nothing is written then.
pub async fn add_items(app: &App, session: &Session, id: i64, proposal_ids: &[i64]) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    require_forming(&opened)?;
    let machine = Machine::standard();
    let from = opened.kind.takes_from();
    let mut ready = Vec::new();
    let mut errors = Vec::new();
    for pid in proposal_ids {
        if opened.items.iter().any(|i| i.proposal_id == *pid) {
            continue;
        }
        let Some(p) = stored::proposal(app.db(), *pid).await? else {
            errors.push(FieldError::new("proposals", "invalid"));
            continue;
        };
        let fits = from == Some(p.state.as_str()) && opened.kind.routes().contains(&p.route);
        match machine.find(p.route, &p.state, "to_council").filter(|_| fits) {
            Some(def) => ready.push((p, def)),
            None => errors.push(FieldError::new("proposals", "proposal_not_ready").arg("title", &p.title)),
        }
    }
    crate::check(errors)?;
    let decision = founding_decision(&opened.council);
    let note = Tr::new(Lang::Vi).t_with("st-to-council-note", &[("council", &opened.council.name)]);
    let tx = app.begin().await?;
    for (p, def) in &ready {
        stored::add_item(&tx, id, p.id).await?;
        let input = TransitionInput { note: None, reasons: Vec::new(), mode: None, decision: decision.clone() };
        super::transitions::apply(app, &tx, session, p, def, &input, Some(&note)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The decision forming a council, when recorded.
pub(crate) fn founding_decision(council: &Council) -> Option<tiendo_core::sci_tech::Decision> {
    match (&council.decision_symbol, council.decision_date, &council.decision_signer) {
        (Some(symbol), Some(date), Some(signer)) => {
            Some(tiendo_core::sci_tech::Decision { symbol: symbol.clone(), date, signer: signer.clone() })
        }
        _ => None,
    }
}

/// The parties of every proposal before a council, for its conflicts, in two queries whatever their
/// number: the hosts named, found in the directory; and the proposers' other sent proposals that name
/// people, kept only when one of their people could be a member (nobody else can be flagged by them).
/// Each name is folded once.
async fn parties_of(app: &App, opened: &OpenedCouncil) -> Result<Vec<Parties>> {
    let db = app.db();
    let mut folded: HashMap<String, String> = HashMap::new();
    let mut person = |m: &tiendo_core::sci_tech::TeamMember| -> conflicts::TeamPerson {
        if let Some(name) = folded.get(&m.name) {
            return (m.person_id, name.clone());
        }
        let name = conflicts::folded_name(&m.name);
        folded.insert(m.name.clone(), name.clone());
        (m.person_id, name)
    };
    let mut hosts: Vec<String> = opened.items.iter().filter_map(|i| i.host_name.clone()).collect();
    hosts.sort();
    hosts.dedup();
    let hosts = stored::organizations_named(db, &hosts).await?;
    let mut orgs: Vec<i64> = opened.items.iter().filter_map(|i| i.proposer_org_id).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let people: HashSet<i64> = opened.members.iter().map(|m| m.person_id).collect();
    let names: HashSet<&str> = opened.members.iter().map(|m| m.name_folded.as_str()).collect();
    let mut earlier: HashMap<i64, Vec<(i64, String, Vec<conflicts::TeamPerson>)>> = HashMap::new();
    for e in stored::earlier_of(db, &orgs).await? {
        let team: Vec<conflicts::TeamPerson> = e.team.iter().map(&mut person).collect();
        let may_flag =
            team.iter().any(|(id, name)| id.is_some_and(|id| people.contains(&id)) || names.contains(name.as_str()));
        if may_flag {
            earlier.entry(e.org_id).or_default().push((e.id, e.title, team));
        }
    }
    Ok(opened
        .items
        .iter()
        .map(|item| {
            let host_org = item
                .host_name
                .as_deref()
                .map(fold)
                .and_then(|h| hosts.iter().find(|(name, _)| *name == h).map(|(_, id)| *id));
            let earlier = item
                .proposer_org_id
                .and_then(|org| earlier.get(&org))
                .map(|list| {
                    list.iter()
                        .filter(|(id, ..)| *id != item.proposal_id)
                        .map(|(_, title, team)| (title.clone(), team.clone()))
                        .collect()
                })
                .unwrap_or_default();
            Parties {
                proposer_org: item.proposer_org_id,
                host_org,
                team: item.team().iter().map(&mut person).collect(),
                earlier,
            }
        })
        .collect())
}

/// Every member's flags for every proposal before the council, with the chair's overrides: computed from
/// the members' organisations over the council's conflict horizon, the proposals' teams, the proposers'
/// earlier tasks, and what the members declared.
pub async fn conflict_cells(app: &App, opened: &OpenedCouncil) -> Result<Vec<Cell>> {
    let db = app.db();
    let id = opened.council.id;
    let people: Vec<(i64, String)> = opened.members.iter().map(|m| (m.person_id, m.name_folded.clone())).collect();
    let histories = stored::histories(db, &people).await?;
    let declarations = stored::declarations(db, id).await?;
    let overrides = stored::overrides(db, id).await?;
    let day = opened.council.meeting_on.unwrap_or_else(|| app.today());
    let years = opened.council.settings.conflict_years;
    let mut cells = Vec::new();
    for (item, parties) in opened.items.iter().zip(parties_of(app, opened).await?) {
        for (member, history) in opened.members.iter().zip(&histories) {
            let declared = declarations
                .iter()
                .filter(|d| d.member_id == member.id && d.has_conflict)
                .find(|d| {
                    d.proposal_id == Some(item.proposal_id) || (d.proposal_id.is_none() && d.application_id.is_none())
                })
                .map(|d| d.text.clone().unwrap_or_default());
            cells.push(Cell {
                member_id: member.id,
                proposal_id: item.proposal_id,
                flags: conflicts::flags(history, &parties, declared.as_deref(), day, years),
                overridden: overrides
                    .iter()
                    .find(|o| o.member_id == member.id && o.proposal_id == item.proposal_id)
                    .cloned(),
            });
        }
    }
    Ok(cells)
}

/// Records what the actor, a member, declares about a proposal or an application before the council
/// (`None`: every one): a relation with its parties (then `text` says which), or none. `NotFound` unless
/// they sit on it; `Conflict` `council_closed`; `Invalid` `text` `required` for a relation without words,
/// `proposal_id` or `application_id` `invalid` for one not before the council.
pub async fn declare(
    app: &App,
    session: &Session,
    id: i64,
    subject: Option<Subject>,
    has_conflict: bool,
    text: &str,
) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    let me = opened.me.clone().ok_or(Error::FORBIDDEN)?;
    if opened.state == CouncilState::Closed {
        return Err(Error::conflict("council_closed"));
    }
    match subject {
        Some(Subject::Proposal(p)) if !opened.items.iter().any(|i| i.proposal_id == p) => {
            return Err(Error::invalid("proposal_id", "invalid"));
        }
        Some(Subject::Application(a)) if !opened.applications.iter().any(|i| i.application_id == a) => {
            return Err(Error::invalid("application_id", "invalid"));
        }
        _ => {}
    }
    let text = normalize_multiline(text);
    if has_conflict && text.is_empty() {
        return Err(Error::invalid("text", "required"));
    }
    let tx = app.begin().await?;
    stored::declare(&tx, id, me.id, subject, has_conflict, Some(text.as_str()).filter(|t| !t.is_empty()), app.now())
        .await?;
    let entry = Entry::new("declare", entity::COUNCIL, id, "audit-st-council-declared")
        .arg("name", &opened.council.name)
        .arg("member", &me.name)
        .change("has_conflict", None::<bool>, has_conflict)
        .change("text", None::<String>, &text);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The chair overrides a member's flag for a proposal (or an application), with a reason: the member may
/// then score it (or give their opinion). `Forbidden` unless the actor chairs the council; `Conflict`
/// `not_flagged` when nothing flags the member for it, `council_closed`; `Invalid` `reason` `required`.
pub async fn override_flag(
    app: &App,
    session: &Session,
    id: i64,
    member_id: i64,
    subject: Subject,
    reason: &str,
) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.sits_as(MemberRole::Chair) {
        return Err(Error::Forbidden { code: "chair_only" });
    }
    if opened.state == CouncilState::Closed {
        return Err(Error::conflict("council_closed"));
    }
    let reason = normalize_multiline(reason);
    if reason.is_empty() {
        return Err(Error::invalid("reason", "required"));
    }
    let flagged = match subject {
        Subject::Proposal(proposal_id) => conflict_cells(app, &opened)
            .await?
            .iter()
            .find(|c| c.member_id == member_id && c.proposal_id == proposal_id)
            .map(|c| !c.flags.is_empty()),
        Subject::Application(application_id) => crate::certificates::appraisal::application_cells(app, &opened)
            .await?
            .iter()
            .find(|c| c.member_id == member_id && c.application_id == application_id)
            .map(|c| !c.flags.is_empty()),
    };
    if !flagged.ok_or(Error::NotFound)? {
        return Err(Error::conflict("not_flagged"));
    }
    let member = opened.members.iter().find(|m| m.id == member_id).ok_or(Error::NotFound)?;
    let tx = app.begin().await?;
    if !stored::add_override(&tx, id, member_id, subject, &reason, session.user_id(), app.now()).await? {
        return Err(Error::conflict("already_overridden"));
    }
    let entry = Entry::new("override", entity::COUNCIL, id, "audit-st-council-override")
        .arg("name", &opened.council.name)
        .arg("member", &member.name)
        .change("reason", None::<String>, &reason);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens the meeting of a council being formed, with who is present: the members then score. `Forbidden`
/// unless the actor keeps the council; `Conflict` `council_not_forming`, `council_empty` (no member or no
/// proposal).
pub async fn open_meeting(app: &App, session: &Session, id: i64, present: &[i64]) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.keeps() {
        return Err(Error::FORBIDDEN);
    }
    if opened.state != CouncilState::Forming {
        return Err(Error::conflict("council_not_forming"));
    }
    if opened.members.is_empty() || (opened.items.is_empty() && opened.applications.is_empty()) {
        return Err(Error::conflict("council_empty"));
    }
    let present: Vec<i64> = present.iter().copied().filter(|p| opened.members.iter().any(|m| m.id == *p)).collect();
    let tx = app.begin().await?;
    if !stored::move_council(&tx, id, CouncilState::Forming.code(), CouncilState::Meeting.code(), app.now()).await? {
        return Err(Error::conflict("council_not_forming"));
    }
    stored::set_attendance(&tx, id, &present).await?;
    let entry = Entry::new("open_meeting", entity::COUNCIL, id, "audit-st-council-meeting")
        .arg("name", &opened.council.name)
        .change("present", None::<String>, present.len().to_string());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Corrects the attendance of a meeting council. `Forbidden` unless the actor keeps the council;
/// `Conflict` `council_not_meeting`.
pub async fn record_attendance(app: &App, session: &Session, id: i64, present: &[i64]) -> Result<()> {
    let opened = open_council(app, session, id).await?;
    if !opened.keeps() {
        return Err(Error::FORBIDDEN);
    }
    if opened.state != CouncilState::Meeting {
        return Err(Error::conflict("council_not_meeting"));
    }
    let tx = app.begin().await?;
    stored::set_attendance(&tx, id, present).await?;
    let entry = Entry::new("attendance", entity::COUNCIL, id, "audit-st-council-attendance")
        .arg("name", &opened.council.name)
        .change("present", None::<String>, present.len().to_string());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of the councils the actor may see: every council for the staff, those they sit on otherwise.
pub async fn list_councils(
    app: &App,
    session: &Session,
    page: tiendo_db::directory::Page,
) -> Result<tiendo_db::directory::Listed<tiendo_db::sci_tech::CouncilSummary>> {
    let member = if staff(session) { None } else { Some(session.user_id().unwrap_or(0)) };
    Ok(stored::list_councils(app.db(), member, page).await?)
}
