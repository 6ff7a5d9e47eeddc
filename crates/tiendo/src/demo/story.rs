//! What every part of the demo's story shares: the days and instants of the story, the sessions of the
//! people who took each step (the demo accounts, or a unit's officer named by the unit when the unit has
//! no account here), and the monitoring steps recorded through their use cases on the day they happened
//! (`app.at`), never after the day the demo is loaded.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tiendo_app::monitoring::assignments::{self as assigning, AssignDraft};
use tiendo_app::monitoring::legal_documents::{self as register, LegalDocumentDraft};
use tiendo_app::monitoring::plans::{self as planning, PlanDraft, TargetDraft, TaskDraft, ValueDraft};
use tiendo_app::monitoring::updates::{self as progress, UpdateDraft};
use tiendo_app::{App, Session, SessionUser};
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_core::monitoring::{Deadline, DeadlineFields, UpdateAction, UpdateStatus};
use tiendo_db::{Db, Exec, Query};

/// A day of the story.
pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid demo date")
}

/// `hour`:`minute` in Vietnam on a day, as the moment something was written.
pub(super) fn at_time(d: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = d.and_hms_opt(hour, minute, 0).expect("a valid time");
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// 9:00 in Vietnam on a day.
pub(super) fn at(d: NaiveDate) -> DateTime<Utc> {
    at_time(d, 9, 0)
}

/// The session of a demo account, acting with its grants as the person who took a step of the story.
pub(super) async fn account(db: &Db, username: &str) -> anyhow::Result<Session> {
    let (user, _) = tiendo_db::identity::user_for_login(db, username)
        .await?
        .ok_or_else(|| anyhow!("the demo has no account {username}"))?;
    let grants = tiendo_db::identity::grants(db, user.id).await?.iter().filter_map(|g| g.grant()).collect();
    let who = SessionUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organization_id: user.organization_id,
    };
    Ok(Session::as_user(who, Actor::user(user.id, grants)))
}

/// The officer of a unit that has no account here (a district-level committee before 2025, another
/// ward): the system acting as the unit's reporter, named in the audit trail after the unit ("Cán bộ UBND
/// thị xã Quảng Yên"), as a clerk who typed in a unit's paper report would be.
pub(super) fn unit_officer(org: i64, name: &str) -> Session {
    let mut session = Session::system(Actor {
        user_id: None,
        grants: vec![Grant { role: Role::LocalityOfficer, scope: Scope::Organization(org) }],
    });
    session.who.label = format!("Cán bộ {name}");
    session
}

/// One progress update of the story: when, how far, and whether it closed the assignment.
pub(super) struct Report<'a> {
    pub(super) on: NaiveDate,
    pub(super) percent: i64,
    pub(super) narrative: &'a str,
    pub(super) difficulties: Option<&'a str>,
    pub(super) recommendations: Option<&'a str>,
    /// The claimed (and accepted) completion date.
    pub(super) completed: Option<NaiveDate>,
    pub(super) status: UpdateStatus,
    /// Days between submission and decision.
    pub(super) decided_after: i64,
    pub(super) comment: Option<&'a str>,
}

impl<'a> Report<'a> {
    pub(super) fn accepted(on: NaiveDate, percent: i64, narrative: &'a str) -> Report<'a> {
        Report {
            on,
            percent,
            narrative,
            difficulties: None,
            recommendations: None,
            completed: None,
            status: UpdateStatus::Accepted,
            decided_after: 3,
            comment: None,
        }
    }

    pub(super) fn done(on: NaiveDate, narrative: &'a str) -> Report<'a> {
        Report { completed: Some(on), ..Report::accepted(on, 100, narrative) }
    }
}

/// A document of the register, as the department officer registers it.
pub(super) struct Doc<'a> {
    pub(super) symbol: &'a str,
    pub(super) issuer: Option<i64>,
    pub(super) issued_on: Option<NaiveDate>,
    pub(super) party_term: Option<&'a str>,
    pub(super) signer: Option<&'a str>,
    pub(super) summary: &'a str,
    pub(super) implements: Option<i64>,
    pub(super) is_sample: bool,
}

/// The monitoring story recorded through the use cases, each dated step on its day (`app.at`), by the
/// person who took it: the department officer (`chuyenvien`) for the register, the plans and the
/// decisions; a unit's account when it has one (the Institute's, the Hà An ward's), else the unit's
/// officer named after the unit ([`unit_officer`]).
pub(super) struct Story {
    pub(super) app: App,
    /// The day the demo is loaded: nothing is recorded after it.
    pub(super) today: NaiveDate,
    /// The moment it is loaded: a step of today is recorded at this moment at the latest.
    now: DateTime<Utc>,
    orgs: BTreeMap<String, i64>,
    names: BTreeMap<i64, String>,
    /// The accounts that report for a unit, by the unit.
    reporters: BTreeMap<i64, String>,
}

impl Story {
    /// The story over the demo's directory and accounts (after both are loaded), for a demo loaded at
    /// `now`.
    pub(super) async fn new(app: &App, now: DateTime<Utc>) -> anyhow::Result<Story> {
        let today = tiendo_core::time::vietnam_date(now);
        let db = app.db();
        let rows: Vec<(String, i64)> =
            db.fetch_all(Query::new("SELECT name, id FROM organizations ORDER BY id")).await?;
        let names = rows.iter().map(|(name, id)| (*id, name.clone())).collect();
        let orgs = rows.into_iter().collect();
        let mut reporters = BTreeMap::new();
        for username in ["phuong.haan", "vien.ptv"] {
            if let Some((user, _)) = tiendo_db::identity::user_for_login(db, username).await?
                && let Some(org) = user.organization_id
            {
                reporters.insert(org, username.to_owned());
            }
        }
        Ok(Story { app: app.clone(), today, now, orgs, names, reporters })
    }

    pub(super) fn org(&self, name: &str) -> anyhow::Result<i64> {
        self.orgs.get(name).copied().ok_or_else(|| anyhow!("the demo directory has no organisation named {name}"))
    }

    /// The application stopped at `t`, refusing a day after the day the demo is loaded; a step of that
    /// day later than the moment of loading happens at that moment.
    pub(super) fn at(&self, t: DateTime<Utc>) -> anyhow::Result<App> {
        if tiendo_core::time::vietnam_date(t) > self.today {
            bail!("the demo would record a step on {t}, after the day it is loaded ({})", self.today);
        }
        Ok(self.app.at(t.min(self.now)))
    }

    /// The department officer who registers, plans, assigns and decides.
    pub(super) async fn officer(&self) -> anyhow::Result<Session> {
        account(self.app.db(), "chuyenvien").await
    }

    /// Who reports for a unit: its account, else its officer named after it.
    async fn reporter(&self, org: i64) -> anyhow::Result<Session> {
        match self.reporters.get(&org) {
            Some(username) => account(self.app.db(), username).await,
            None => Ok(unit_officer(org, self.names.get(&org).map_or("", String::as_str))),
        }
    }

    /// Registers a document on `registered` (by the officer); its id.
    pub(super) async fn document(&self, doc: Doc<'_>, registered: NaiveDate) -> anyhow::Result<i64> {
        let draft = LegalDocumentDraft {
            symbol: doc.symbol.to_owned(),
            party_term: doc.party_term.map(str::to_owned),
            issuer_org_id: doc.issuer,
            issued_on: doc.issued_on,
            effective_on: doc.issued_on,
            signer: doc.signer.map(str::to_owned),
            summary: doc.summary.to_owned(),
            implements_id: doc.implements,
            is_sample: doc.is_sample,
            ..LegalDocumentDraft::default()
        };
        register::save(&self.at(at(registered))?, &self.officer().await?, None, &draft)
            .await
            .with_context(|| format!("document {}", doc.symbol))
    }

    /// Creates a plan on `on` (sample data); its id.
    pub(super) async fn plan(&self, draft: PlanDraft, on: NaiveDate) -> anyhow::Result<i64> {
        let title = draft.title.clone();
        let draft = PlanDraft { is_sample: true, ..draft };
        planning::save_plan(&self.at(at(on))?, &self.officer().await?, None, &draft)
            .await
            .with_context(|| format!("plan {title}"))
    }

    /// A target set on `on`, with its values by year, each recorded on its day: (year, value, recorded
    /// on); a value whose day has not come yet is left out.
    pub(super) async fn target(
        &self,
        plan: i64,
        draft: TargetDraft,
        on: NaiveDate,
        values: &[(i64, f64, NaiveDate)],
        source: &str,
    ) -> anyhow::Result<i64> {
        let officer = self.officer().await?;
        let id = planning::add_target(&self.at(at(on))?, &officer, plan, &draft).await.context("a target")?;
        for (year, value, recorded) in values.iter().filter(|(_, _, d)| *d <= self.today) {
            let value = ValueDraft {
                year: Some(*year),
                value: Some(*value),
                source: Some(source.to_owned()),
                ..ValueDraft::default()
            };
            planning::record_value(&self.at(at(*recorded))?, &officer, id, &value).await.context("a target's value")?;
        }
        Ok(id)
    }

    /// A task of a plan, added on `on`; its id.
    pub(super) async fn task(
        &self,
        plan: i64,
        (code, title): (&str, &str),
        product: Option<&str>,
        weight: f64,
        on: NaiveDate,
    ) -> anyhow::Result<i64> {
        let draft = TaskDraft {
            code: code.to_owned(),
            title: title.to_owned(),
            expected_product: product.map(str::to_owned),
            weight: Some(weight),
            ..TaskDraft::default()
        };
        planning::add_task(&self.at(at(on))?, &self.officer().await?, plan, &draft)
            .await
            .with_context(|| format!("task {code}"))
    }

    /// Assigns a task on `assigned_on` (by the officer), one assignment per lead; their ids in the order
    /// of `leads`.
    pub(super) async fn assign(
        &self,
        task: i64,
        (leads, coordinators): (&[i64], &[i64]),
        deadline: Deadline,
        assigned_on: NaiveDate,
        source: Option<i64>,
        priority: &str,
    ) -> anyhow::Result<Vec<i64>> {
        let draft = AssignDraft {
            leads: leads.to_vec(),
            coordinators: coordinators.to_vec(),
            deadline: DeadlineFields::from(deadline),
            priority: priority.to_owned(),
            assigned_on: Some(assigned_on),
            source_document_id: source,
            is_sample: true,
            ..AssignDraft::default()
        };
        let ids = assigning::assign(&self.at(at(assigned_on))?, &self.officer().await?, task, &draft)
            .await
            .with_context(|| format!("assigning task {task}"))?;
        // The use case answers in the order of the leads' ids.
        let mut sorted = leads.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        Ok(leads.iter().filter_map(|l| sorted.iter().position(|s| s == l).map(|i| ids[i])).collect())
    }

    /// Writes an update as the unit `org` wrote it then (its account, or its officer), and the officer's
    /// decision `decided_after` days later (left waiting when that day has not come yet).
    pub(super) async fn report(&self, assignment: i64, org: i64, r: Report<'_>) -> anyhow::Result<()> {
        let written = at(r.on);
        let draft = UpdateDraft {
            narrative: r.narrative.to_owned(),
            percent: Some(r.percent),
            difficulties: r.difficulties.map(str::to_owned),
            recommendations: r.recommendations.map(str::to_owned),
            completion_claimed_on: r.completed,
            is_sample: true,
            ..UpdateDraft::default()
        };
        let unit = self.reporter(org).await?;
        let submit = r.status != UpdateStatus::Draft;
        let id = progress::create(&self.at(written)?, &unit, assignment, &draft, submit)
            .await
            .with_context(|| format!("an update of assignment {assignment} on {}", r.on))?;
        let action = match r.status {
            UpdateStatus::Accepted => UpdateAction::Accept,
            UpdateStatus::Returned => UpdateAction::Return,
            UpdateStatus::Draft | UpdateStatus::Submitted => return Ok(()),
        };
        let decided = written + Duration::days(r.decided_after);
        if tiendo_core::time::vietnam_date(decided) > self.today {
            return Ok(());
        }
        progress::decide(&self.at(decided)?, &self.officer().await?, id, action.code(), r.comment)
            .await
            .context("a decision")?;
        Ok(())
    }
}
