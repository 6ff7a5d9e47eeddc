//! The records the index holds and the documents built from them: one function per kind of row, reading
//! a batch through `tiendo_db::search::records` and giving each document its texts, organisations, units
//! (old and new map), year, status, readers ([`super::readers`]) and links to the records it shows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use tiendo_core::geo::AdminUnitCode;
use tiendo_db::Db;
use tiendo_db::search::places::{self, UnitPlaces};
use tiendo_db::search::records as rows;
use tiendo_db::search::{self as db, Table};
use tiendo_search::{DocKind, SearchDoc};

use super::readers;
use crate::Result;

/// A record the index holds, by the table it lives in (a task may be indexed as a task or as a visit's
/// conclusion, an assignment as a directive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Record {
    /// Its table.
    pub table: Table,
    /// Its id.
    pub id: i64,
}

impl Record {
    /// A record of a table.
    pub fn new(table: Table, id: i64) -> Record {
        Record { table, id }
    }

    /// The record a document of the index stands for.
    pub fn of_doc(kind: DocKind, id: i64) -> Option<Record> {
        let table = match kind {
            DocKind::LegalDocument => Table::LegalDocuments,
            DocKind::Plan => Table::Plans,
            DocKind::Task | DocKind::Conclusion => Table::Tasks,
            DocKind::Assignment | DocKind::Directive => Table::Assignments,
            DocKind::ProgressUpdate => Table::ProgressUpdates,
            DocKind::Report => Table::Reports,
            DocKind::Visit => Table::Visits,
            DocKind::Article => Table::Articles,
            DocKind::Organization => Table::Organizations,
            DocKind::Person => Table::People,
            DocKind::SciTechTask => Table::Proposals,
            DocKind::Enterprise | DocKind::AdminUnit => return None,
        };
        Some(Record { table, id })
    }

    /// The kinds of document the record may be indexed as (all deleted when the record is gone).
    pub fn kinds(self) -> &'static [DocKind] {
        match self.table {
            Table::LegalDocuments => &[DocKind::LegalDocument],
            Table::Plans => &[DocKind::Plan],
            Table::Tasks => &[DocKind::Task, DocKind::Conclusion],
            Table::Assignments => &[DocKind::Assignment, DocKind::Directive],
            Table::ProgressUpdates => &[DocKind::ProgressUpdate],
            Table::Reports => &[DocKind::Report],
            Table::Visits => &[DocKind::Visit],
            Table::Articles => &[DocKind::Article],
            Table::Organizations => &[DocKind::Organization],
            Table::People => &[DocKind::Person],
            Table::Proposals => &[DocKind::SciTechTask],
        }
    }

    /// The link other documents carry to this record ([`SearchDoc::links`]).
    pub fn link(self) -> String {
        link(self.table, self.id)
    }
}

/// The link term of a record.
pub fn link(table: Table, id: i64) -> String {
    format!("{}:{id}", table.name())
}

/// The places of units and the units of organisations, read once per batch (a rebuild keeps them for the
/// whole run).
#[derive(Debug)]
pub struct Places {
    today: NaiveDate,
    units: HashMap<i64, UnitPlaces>,
    org_units: HashMap<i64, Option<i64>>,
}

impl Places {
    /// Nothing read yet; today's map is the map of `today`.
    pub fn new(today: NaiveDate) -> Places {
        Places { today, units: HashMap::new(), org_units: HashMap::new() }
    }

    async fn unit(&mut self, db: &Db, unit: i64) -> Result<&UnitPlaces> {
        if !self.units.contains_key(&unit) {
            let found = places::unit_places(db, unit, self.today).await?;
            self.units.insert(unit, found);
        }
        Ok(&self.units[&unit])
    }

    /// Reads the units of the organisations not read yet.
    async fn load_orgs(&mut self, db: &Db, orgs: &[i64]) -> Result<()> {
        let missing: Vec<i64> = orgs
            .iter()
            .copied()
            .filter(|o| !self.org_units.contains_key(o))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        for org in &missing {
            self.org_units.insert(*org, None);
        }
        for chunk in missing.chunks(500) {
            for (org, unit) in db::records::organization_units(db, chunk).await? {
                self.org_units.insert(org, Some(unit));
            }
        }
        Ok(())
    }

    /// Adds the places and units of an administrative unit to a document.
    async fn add_unit(&mut self, db: &Db, doc: &mut SearchDoc, unit: i64) -> Result<()> {
        let found = self.unit(db, unit).await?.clone();
        for code in found.codes {
            if !doc.units.contains(&code) {
                doc.units.push(code);
            }
        }
        for name in found.names {
            if !doc.places.contains(&name) {
                doc.places.push(name);
            }
        }
        Ok(())
    }

    /// Adds the places of the organisations' units to a document.
    async fn add_orgs(&mut self, db: &Db, doc: &mut SearchDoc, orgs: &[i64]) -> Result<()> {
        self.load_orgs(db, orgs).await?;
        for org in orgs {
            if let Some(Some(unit)) = self.org_units.get(org).copied() {
                self.add_unit(db, doc, unit).await?;
            }
        }
        Ok(())
    }

    /// Adds a unit named by its code on a day (a report's unit at the end of its period).
    async fn add_code(&mut self, db: &Db, doc: &mut SearchDoc, code: &str, day: NaiveDate) -> Result<()> {
        match places::unit_id_on(db, code, day).await? {
            Some(unit) => self.add_unit(db, doc, unit).await,
            None => {
                if let Ok(code) = AdminUnitCode::parse(code)
                    && !doc.units.contains(&code)
                {
                    doc.units.push(code);
                }
                Ok(())
            }
        }
    }
}

/// Texts joined into one body, empty ones left out. The separator reads well in a snippet and, not being
/// a space, keeps words of two texts from forming a bigram.
fn body(parts: &[Option<&str>]) -> String {
    let kept: Vec<&str> = parts.iter().flatten().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    kept.join(" · ")
}

fn year(day: Option<NaiveDate>) -> Option<i32> {
    day.map(|d| d.year())
}

fn push_org(doc: &mut SearchDoc, org: Option<i64>) {
    if let Some(org) = org
        && !doc.organizations.contains(&org)
    {
        doc.organizations.push(org);
    }
}

/// The documents of these records of one table; records that no longer exist have none.
pub async fn build(db: &Db, places: &mut Places, table: Table, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match table {
        Table::LegalDocuments => legal_documents(db, places, ids).await,
        Table::Plans => plans(db, places, ids).await,
        Table::Tasks => tasks(db, places, ids).await,
        Table::Assignments => assignments(db, places, ids).await,
        Table::ProgressUpdates => updates(db, places, ids).await,
        Table::Reports => reports(db, places, ids).await,
        Table::Visits => visits(db, places, ids).await,
        Table::Articles => articles(db, ids).await,
        Table::Organizations => organizations(db, places, ids).await,
        Table::People => people(db, ids).await,
        Table::Proposals => proposals(db, places, ids).await,
    }
}

async fn legal_documents(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let mut out = Vec::new();
    for d in db::records::legal_documents(db, ids).await? {
        let mut doc = SearchDoc::new(DocKind::LegalDocument, d.id, d.summary.clone());
        doc.symbol = Some(d.symbol.clone());
        doc.body = body(&[d.issuer_name.as_deref(), d.signer.as_deref()]);
        push_org(&mut doc, d.issuer_org_id);
        let orgs = doc.organizations.clone();
        places.add_orgs(db, &mut doc, &orgs).await?;
        doc.year = year(d.issued_on).or(d.year.and_then(|y| i32::try_from(y).ok()));
        doc.visibility = readers::signed_in();
        doc.path = format!("/documents/{}", d.id);
        out.push(doc);
    }
    Ok(out)
}

/// The readers of the visits of some plans or tasks: (organiser, organisations involved) by visit.
async fn visit_access(db: &Db, visits: &BTreeSet<i64>) -> Result<HashMap<i64, (i64, Vec<i64>)>> {
    let ids: Vec<i64> = visits.iter().copied().collect();
    let mut out: HashMap<i64, (i64, Vec<i64>)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for v in rows::visits(db, &ids).await? {
        out.insert(v.id, (v.organizer_org_id, Vec::new()));
    }
    for (visit, org) in rows::involved_orgs(db, &ids).await? {
        if let Some((_, involved)) = out.get_mut(&visit) {
            involved.push(org);
        }
    }
    Ok(out)
}

fn visit_visibility(access: &HashMap<i64, (i64, Vec<i64>)>, visit: i64) -> tiendo_search::Visibility {
    access
        .get(&visit)
        .map_or_else(tiendo_search::Visibility::nobody, |(organizer, involved)| readers::visit(*organizer, involved))
}

async fn plans(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::plans(db, ids).await?;
    let mut targets: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (plan, name) in rows::plan_targets(db, ids).await? {
        targets.entry(plan).or_default().push(name);
    }
    let access = visit_access(db, &found.iter().filter_map(|p| p.visit_id).collect()).await?;
    let mut out = Vec::new();
    for p in found {
        let mut doc = SearchDoc::new(DocKind::Plan, p.id, p.title.clone());
        doc.symbol = p.document_symbol.clone();
        let targets = targets.remove(&p.id).unwrap_or_default().join(" · ");
        doc.body = body(&[p.document_summary.as_deref(), p.owner_name.as_deref(), Some(&targets)]);
        push_org(&mut doc, p.owner_org_id);
        let orgs = doc.organizations.clone();
        places.add_orgs(db, &mut doc, &orgs).await?;
        doc.year = year(p.period_start);
        if let Some(document) = p.document_id {
            doc.links.push(link(Table::LegalDocuments, document));
        }
        // A plan made from a working visit is read as the visit is (issue 14 item 4).
        doc.visibility = match p.visit_id {
            Some(visit) => {
                doc.links.push(link(Table::Visits, visit));
                visit_visibility(&access, visit)
            }
            None => readers::signed_in(),
        };
        doc.path = format!("/plans/{}", p.id);
        out.push(doc);
    }
    Ok(out)
}

async fn tasks(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::tasks(db, ids).await?;
    let access = visit_access(db, &found.iter().filter_map(|t| t.visit_id).collect()).await?;
    let mut out = Vec::new();
    for t in found {
        let kind = if t.visit_id.is_some() { DocKind::Conclusion } else { DocKind::Task };
        let title = if t.visit_id.is_some() { t.title.clone() } else { format!("{}. {}", t.code, t.title) };
        let mut doc = SearchDoc::new(kind, t.id, title);
        doc.body = body(&[t.expected_product.as_deref(), Some(&t.plan_title)]);
        push_org(&mut doc, t.owner_org_id);
        push_org(&mut doc, t.stop_host_org_id);
        let orgs = doc.organizations.clone();
        places.add_orgs(db, &mut doc, &orgs).await?;
        if let Some(unit) = t.stop_unit_id {
            places.add_unit(db, &mut doc, unit).await?;
        }
        doc.links.push(link(Table::Plans, t.plan_id));
        match t.visit_id {
            Some(visit) => {
                doc.year = year(t.visit_starts_on);
                doc.visibility = visit_visibility(&access, visit);
                doc.links.push(link(Table::Visits, visit));
                doc.path = format!("/visits/{visit}#conclusion-{}", t.id);
            }
            None => {
                doc.year = year(t.period_start);
                doc.visibility = readers::signed_in();
                doc.path = format!("/plans/{}#task-{}", t.plan_id, t.id);
            }
        }
        out.push(doc);
    }
    Ok(out)
}

/// An assignment's state as a code that does not change with the days (overdue does: see its page).
fn assignment_status(a: &rows::AssignmentRecord) -> &'static str {
    if a.cancelled {
        "cancelled"
    } else if a.completed_on.is_some() {
        "completed"
    } else if a.has_updates || a.percent > 0 {
        "in_progress"
    } else {
        "not_started"
    }
}

async fn coordinators_by_assignment(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (assignment, org) in rows::coordinators(db, ids).await? {
        out.entry(assignment).or_default().push(org);
    }
    Ok(out)
}

async fn assignments(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::assignments(db, ids).await?;
    let coordinators = coordinators_by_assignment(db, ids).await?;
    let mut out = Vec::new();
    for a in found {
        let kind = if a.visit_id.is_some() { DocKind::Directive } else { DocKind::Assignment };
        let title = if a.visit_id.is_some() {
            format!("{} — {}", a.task_title, a.lead_name)
        } else {
            format!("{}. {} — {}", a.task_code, a.task_title, a.lead_name)
        };
        let mut doc = SearchDoc::new(kind, a.id, title);
        let coordinating = coordinators.get(&a.id).cloned().unwrap_or_default();
        doc.body = body(&[
            a.expected_product.as_deref(),
            a.note.as_deref(),
            a.origin.as_deref(),
            a.blocked_reason.as_deref(),
            Some(&a.plan_title),
        ]);
        push_org(&mut doc, Some(a.lead_org_id));
        for org in &coordinating {
            push_org(&mut doc, Some(*org));
        }
        places.add_orgs(db, &mut doc, &[a.lead_org_id]).await?;
        doc.year = year(a.due_on.or(Some(a.assigned_on)));
        doc.status = Some(assignment_status(&a).to_owned());
        doc.visibility = readers::assignment(a.lead_org_id, &coordinating);
        doc.links.push(link(Table::Tasks, a.task_id));
        doc.links.push(link(Table::Plans, a.plan_id));
        if let Some(visit) = a.visit_id {
            doc.links.push(link(Table::Visits, visit));
        }
        doc.path = format!("/assignments/{}", a.id);
        out.push(doc);
    }
    Ok(out)
}

async fn updates(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::updates(db, ids).await?;
    let assignment_ids: Vec<i64> = found.iter().map(|u| u.assignment_id).collect::<BTreeSet<_>>().into_iter().collect();
    let coordinators = coordinators_by_assignment(db, &assignment_ids).await?;
    let mut out = Vec::new();
    for u in found {
        let mut doc = SearchDoc::new(
            DocKind::ProgressUpdate,
            u.id,
            format!("{}. {} — {}", u.task_code, u.task_title, u.org_name),
        );
        doc.body = body(&[Some(&u.narrative), u.difficulties.as_deref(), u.recommendations.as_deref()]);
        push_org(&mut doc, Some(u.org_id));
        push_org(&mut doc, Some(u.lead_org_id));
        places.add_orgs(db, &mut doc, &[u.org_id]).await?;
        doc.year = Some(u.submitted_at.unwrap_or(u.created_at).year());
        doc.status = Some(u.status.clone());
        let coordinating = coordinators.get(&u.assignment_id).cloned().unwrap_or_default();
        doc.visibility = readers::progress_update(&u.status, u.org_id, u.lead_org_id, &coordinating);
        doc.links.push(link(Table::Assignments, u.assignment_id));
        doc.path = format!("/assignments/{}#update-{}", u.assignment_id, u.id);
        out.push(doc);
    }
    Ok(out)
}

async fn reports(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::reports(db, ids).await?;
    let mut texts: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (report, text) in rows::report_texts(db, ids).await? {
        texts.entry(report).or_default().push(text);
    }
    let mut out = Vec::new();
    for r in found {
        let period = tiendo_core::reporting::Period::parse(&r.period_code)
            .map(|p| p.name(tiendo_core::lang::Lang::Vi))
            .unwrap_or_else(|_| r.period_code.clone());
        let mut doc = SearchDoc::new(DocKind::Report, r.id, format!("{} — {} — {period}", r.form_name, r.org_name));
        doc.body = texts.remove(&r.id).unwrap_or_default().join(" · ");
        push_org(&mut doc, Some(r.org_id));
        match &r.unit_code {
            Some(code) => places.add_code(db, &mut doc, code, r.period_end).await?,
            None => places.add_orgs(db, &mut doc, &[r.org_id]).await?,
        }
        if let Some(name) = &r.unit_name
            && !doc.places.contains(name)
        {
            doc.places.push(name.clone());
        }
        doc.year = Some(r.period_end.year());
        doc.status = Some(r.status.clone());
        doc.visibility = readers::report(&r.status, r.org_id);
        doc.path = format!("/reports/{}", r.id);
        out.push(doc);
    }
    Ok(out)
}

async fn visits(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::visits(db, ids).await?;
    let mut stops: BTreeMap<i64, Vec<rows::StopRecord>> = BTreeMap::new();
    for s in rows::visit_stops(db, ids).await? {
        stops.entry(s.visit_id).or_default().push(s);
    }
    let mut members: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for (visit, person, name) in rows::visit_members(db, ids).await? {
        members.entry(visit).or_default().push((person, name));
    }
    let mut involved: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (visit, org) in rows::involved_orgs(db, ids).await? {
        involved.entry(visit).or_default().push(org);
    }
    let mut out = Vec::new();
    for v in found {
        let mut doc = SearchDoc::new(DocKind::Visit, v.id, v.title.clone());
        let stops = stops.remove(&v.id).unwrap_or_default();
        let members = members.remove(&v.id).unwrap_or_default();
        let names: Vec<&str> = members.iter().map(|(_, n)| n.as_str()).collect();
        let names = names.join(", ");
        let mut parts: Vec<Option<&str>> = vec![Some(&v.purpose), v.assessment.as_deref(), Some(&names)];
        for s in &stops {
            parts.extend([Some(s.host_name.as_str()), s.place.as_deref(), s.agenda.as_deref()]);
            parts.extend([s.minutes.as_deref(), s.assessment.as_deref()]);
        }
        doc.body = body(&parts);
        push_org(&mut doc, Some(v.organizer_org_id));
        for s in &stops {
            push_org(&mut doc, Some(s.host_org_id));
            match s.admin_unit_id {
                Some(unit) => places.add_unit(db, &mut doc, unit).await?,
                None => places.add_orgs(db, &mut doc, &[s.host_org_id]).await?,
            }
        }
        doc.year = Some(v.starts_on.year());
        let involved = involved.remove(&v.id).unwrap_or_default();
        doc.visibility = readers::visit(v.organizer_org_id, &involved);
        for (person, _) in &members {
            doc.links.push(link(Table::People, *person));
        }
        doc.path = format!("/visits/{}", v.id);
        out.push(doc);
    }
    Ok(out)
}

async fn articles(db: &Db, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let mut out = Vec::new();
    for a in rows::articles(db, ids).await? {
        let mut doc = SearchDoc::new(DocKind::Article, a.id, a.title.clone());
        let text = tiendo_core::portal::markdown::plain_text(&a.body, 100_000);
        doc.body = body(&[Some(&a.summary), Some(&text), a.category_name.as_deref()]);
        doc.year = Some(a.published_at.unwrap_or(a.created_at).year());
        doc.status = Some(a.state.clone());
        doc.visibility = readers::article(&a.state);
        doc.path =
            if a.state == "published" { format!("/news/{}", a.slug) } else { format!("/admin/articles/{}", a.id) };
        out.push(doc);
    }
    Ok(out)
}

async fn organizations(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let mut out = Vec::new();
    for o in rows::organizations(db, ids).await? {
        let mut doc = SearchDoc::new(DocKind::Organization, o.id, o.name.clone());
        doc.symbol = o.abbreviation.clone().filter(|a| !a.trim().is_empty());
        doc.body = body(&[o.parent_name.as_deref(), o.address.as_deref(), o.tax_code.as_deref()]);
        push_org(&mut doc, Some(o.id));
        push_org(&mut doc, o.parent_id);
        if let Some(unit) = o.admin_unit_id {
            places.add_unit(db, &mut doc, unit).await?;
        }
        doc.status = Some(if o.valid_to.is_some() { "ended" } else { "active" }.to_owned());
        doc.visibility = readers::signed_in();
        doc.path = format!("/organizations/{}", o.id);
        out.push(doc);
    }
    Ok(out)
}

async fn people(db: &Db, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let found = rows::people(db, ids).await?;
    let mut roles: BTreeMap<i64, Vec<rows::AffiliationRecord>> = BTreeMap::new();
    for a in rows::affiliations(db, ids).await? {
        roles.entry(a.person_id).or_default().push(a);
    }
    let mut out = Vec::new();
    for p in found {
        let title = match p.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => format!("{t} {}", p.full_name),
            None => p.full_name.clone(),
        };
        let mut doc = SearchDoc::new(DocKind::Person, p.id, title);
        let roles = roles.remove(&p.id).unwrap_or_default();
        let described: Vec<String> = roles.iter().map(|a| format!("{} {}", a.role, a.org_name)).collect();
        let described = described.join(" · ");
        doc.body = body(&[p.position.as_deref(), p.expertise.as_deref(), Some(&described)]);
        for a in &roles {
            push_org(&mut doc, Some(a.organization_id));
        }
        doc.visibility = readers::signed_in();
        doc.path = format!("/people/{}", p.id);
        out.push(doc);
    }
    Ok(out)
}

async fn proposals(db: &Db, places: &mut Places, ids: &[i64]) -> Result<Vec<SearchDoc>> {
    let machine = tiendo_core::sci_tech::Machine::standard();
    let mut out = Vec::new();
    for p in rows::proposals(db, ids).await? {
        let mut doc = SearchDoc::new(DocKind::SciTechTask, p.id, p.title.clone());
        let proposer = p.proposer_name.as_deref().or(p.proposer_org_name.as_deref());
        doc.body =
            body(&[p.field.as_deref(), proposer, p.objectives.as_deref(), p.urgency.as_deref(), Some(&p.call_title)]);
        push_org(&mut doc, p.proposer_org_id);
        let orgs = doc.organizations.clone();
        places.add_orgs(db, &mut doc, &orgs).await?;
        doc.year = i32::try_from(p.year).ok();
        doc.status = Some(p.state.clone());
        let state = machine.state(&p.state);
        let submitted = state.is_none_or(|s| s.submitted);
        let listed = state.is_some_and(|s| s.listed);
        doc.visibility = readers::proposal(submitted, listed, p.proposer_org_id, p.author_id);
        // A task of the approved list opens on the portal's register, which everyone may read.
        doc.path = if listed { format!("/registers/tasks/{}", p.id) } else { format!("/proposals/{}", p.id) };
        out.push(doc);
    }
    Ok(out)
}
