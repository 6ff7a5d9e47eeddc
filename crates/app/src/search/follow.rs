//! Keeping the index up to date by following the audit trail. Every write of the application records its
//! audit event in the same transaction as the change (`crate::audit::record`), so the trail is the index's
//! outbox: no use case knows about search. Each process follows it into its own index: several
//! `tiendo serve` on one PostgreSQL need no shared disk.
//!
//! A pass reads the events after the cursor by id (the primary key), maps each to the records whose
//! documents it changes (the record itself, the records shown with it, and the documents of the index that
//! link to it), reads those again and replaces or deletes their documents, then commits with the new cursor.
//! An id skipped by the cursor may belong to a transaction that commits later (PostgreSQL hands out ids at
//! insert, not at commit): such ids are read again on every pass for a minute, which is idempotent.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use tiendo_db::search::trail::{self, TrailEvent};
use tiendo_db::search::{Table, records as rows};
use tiendo_search::{SearchIndex, Writer};

use super::engine::Maintenance;
use super::records::{self, Places, Record};
use crate::{App, Error, Result};

/// How long an id skipped by the cursor is looked for again.
pub(crate) const LATE_WINDOW: Duration = Duration::from_secs(60);
/// The most skipped ids kept (a burst of rolled-back transactions must not grow the query).
const MAX_GAPS: usize = 10_000;
/// Events read per pass.
const BATCH: i64 = 500;
/// Records read per query.
const CHUNK: usize = 500;
/// The most documents of the index one change of a shared record (an organisation renamed) rebuilds.
const MAX_LINKED: usize = 200_000;

fn index_error(err: tiendo_search::SearchError) -> Error {
    if err.needs_rebuild() { Error::Unavailable { code: "search_rebuilding" } } else { Error::internal(err) }
}

/// Brings the index up to date with the trail, pass after pass until no event is left; returns the number
/// of events read. A process that does not hold the index's writer only reloads it.
pub async fn catch_up(app: &App) -> Result<usize> {
    let engine = app.search_engine();
    let Some(index) = engine.ready_index() else { return Ok(0) };
    let mut maintenance = engine.maintenance().await;
    if maintenance.writer.is_none() {
        index.reload().map_err(index_error)?;
        return Ok(0);
    }
    let mut read = 0;
    loop {
        let n = pass(app, &index, &mut maintenance).await?;
        read += n;
        if n < usize::try_from(BATCH).unwrap_or(usize::MAX) {
            return Ok(read);
        }
    }
}

async fn pass(app: &App, index: &SearchIndex, m: &mut Maintenance) -> Result<usize> {
    let db = app.db();
    let now = Instant::now();
    m.cursor.gaps.retain(|_, first_missed| now.duration_since(*first_missed) < LATE_WINDOW);
    let waited: Vec<i64> = m.cursor.gaps.keys().copied().collect();
    let mut late = Vec::new();
    for chunk in waited.chunks(CHUNK) {
        late.extend(trail::events_with_ids(db, chunk).await?);
    }
    let events = trail::events_after(db, m.cursor.last, BATCH).await?;
    if late.is_empty() && events.is_empty() {
        return Ok(0);
    }
    let mut gaps = m.cursor.gaps.clone();
    for event in &late {
        gaps.remove(&event.id);
    }
    let mut expected = m.cursor.last + 1;
    for event in &events {
        for skipped in expected..event.id {
            gaps.insert(skipped, now);
        }
        expected = event.id + 1;
    }
    while gaps.len() > MAX_GAPS {
        gaps.pop_first();
    }
    let last = events.last().map_or(m.cursor.last, |e| e.id);
    let touched = affected(app, index, late.iter().chain(&events)).await?;
    let (docs, gone) = read_records(app, touched).await?;
    let cursor = super::engine::Cursor { last, gaps };
    let payload = cursor.to_payload();
    let writer = m.writer.take().ok_or(Error::Unavailable { code: "search_unavailable" })?;
    let (writer, applied) = tokio::task::spawn_blocking(move || {
        let mut writer = writer;
        let applied = apply(&mut writer, &docs, &gone, &payload);
        (writer, applied)
    })
    .await
    .map_err(Error::internal)?;
    m.writer = Some(writer);
    applied.map_err(index_error)?;
    m.cursor = cursor;
    Ok(late.len() + events.len())
}

fn apply(
    writer: &mut Writer,
    docs: &[tiendo_search::SearchDoc],
    gone: &[Record],
    payload: &str,
) -> Result<(), tiendo_search::SearchError> {
    for record in gone {
        for kind in record.kinds() {
            writer.delete(*kind, record.id);
        }
    }
    for doc in docs {
        writer.upsert(doc)?;
    }
    writer.commit_with(payload)
}

/// Reads records again: their documents, and the records that no longer exist.
pub(crate) async fn read_records(
    app: &App,
    records: BTreeSet<Record>,
) -> Result<(Vec<tiendo_search::SearchDoc>, Vec<Record>)> {
    let mut by_table: BTreeMap<Table, Vec<i64>> = BTreeMap::new();
    for r in records {
        by_table.entry(r.table).or_default().push(r.id);
    }
    let mut places = Places::new(app.today());
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for (table, ids) in by_table {
        for chunk in ids.chunks(CHUNK) {
            let built = records::build(app.db(), &mut places, table, chunk).await?;
            let found: BTreeSet<i64> = built.iter().map(|d| d.id).collect();
            gone.extend(chunk.iter().filter(|id| !found.contains(id)).map(|id| Record::new(table, *id)));
            docs.extend(built);
        }
    }
    Ok((docs, gone))
}

fn id_of(event: &TrailEvent) -> Option<i64> {
    event.entity_id.as_deref()?.trim().parse().ok()
}

/// The records whose documents the events change.
async fn affected<'a>(
    app: &App,
    index: &SearchIndex,
    events: impl Iterator<Item = &'a TrailEvent>,
) -> Result<BTreeSet<Record>> {
    let db = app.db();
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for event in events {
        if !seen.insert((event.entity_type.clone(), event.entity_id.clone())) {
            continue;
        }
        let seeds: Vec<Record> = match (event.entity_type.as_str(), id_of(event)) {
            ("document" | "legal_document", Some(id)) => {
                let mut r = vec![Record::new(Table::LegalDocuments, id)];
                r.extend(rows::plans_of_document(db, id).await?.into_iter().map(|p| Record::new(Table::Plans, p)));
                r
            }
            ("plan", Some(id)) => {
                let tasks = rows::tasks_of_plan(db, id).await?;
                let mut r = vec![Record::new(Table::Plans, id)];
                r.extend(
                    rows::assignments_of_tasks(db, &tasks)
                        .await?
                        .into_iter()
                        .map(|a| Record::new(Table::Assignments, a)),
                );
                r.extend(tasks.into_iter().map(|t| Record::new(Table::Tasks, t)));
                r
            }
            ("task" | "conclusion", Some(id)) => {
                let mut r = vec![Record::new(Table::Tasks, id)];
                r.extend(
                    rows::assignments_of_tasks(db, &[id])
                        .await?
                        .into_iter()
                        .map(|a| Record::new(Table::Assignments, a)),
                );
                r
            }
            ("assignment" | "directive", Some(id)) => {
                let mut r = vec![Record::new(Table::Assignments, id)];
                r.extend(
                    rows::updates_of_assignment(db, id)
                        .await?
                        .into_iter()
                        .map(|u| Record::new(Table::ProgressUpdates, u)),
                );
                // A directive changes who the visit involves, so who reads the visit and its conclusions.
                if let Some(visit) = rows::visit_of_assignment(db, id).await? {
                    r.extend(visit_records(app, visit).await?);
                }
                r
            }
            ("progress_update" | "update", Some(id)) => vec![Record::new(Table::ProgressUpdates, id)],
            ("visit", Some(id)) => visit_records(app, id).await?,
            ("report", Some(id)) => vec![Record::new(Table::Reports, id)],
            ("report_template", _) => match &event.entity_id {
                Some(code) => {
                    rows::reports_of_form(db, code).await?.into_iter().map(|r| Record::new(Table::Reports, r)).collect()
                }
                None => Vec::new(),
            },
            ("article", Some(id)) => vec![Record::new(Table::Articles, id)],
            ("organization", Some(id)) => {
                let mut r = vec![Record::new(Table::Organizations, id)];
                r.extend(
                    rows::people_of_organization(db, id).await?.into_iter().map(|p| Record::new(Table::People, p)),
                );
                // Its name and place appear in the documents of its records.
                let linked = index.of_organization(id, MAX_LINKED).map_err(index_error)?;
                r.extend(linked.into_iter().filter_map(|(kind, id)| Record::of_doc(kind, id)));
                r
            }
            ("person", Some(id)) => vec![Record::new(Table::People, id)],
            ("st_proposal", Some(id)) => vec![Record::new(Table::Proposals, id)],
            ("st_call", Some(id)) => {
                rows::proposals_of_call(db, id).await?.into_iter().map(|p| Record::new(Table::Proposals, p)).collect()
            }
            ("admin_unit", _) => match &event.entity_id {
                Some(code) => of_units(index, std::slice::from_ref(code))?,
                None => Vec::new(),
            },
            ("admin_unit_change", _) => {
                let day = event
                    .entity_id
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
                match day {
                    Some(day) => of_units(index, &rows::units_changed_on(db, day).await?)?,
                    None => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        for record in seeds {
            if out.insert(record) {
                // The documents built from this record (a progress update shows its assignment's task).
                for (kind, id) in index.linked(&record.link(), MAX_LINKED).map_err(index_error)? {
                    if let Some(linked) = Record::of_doc(kind, id) {
                        out.insert(linked);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A visit and what is read as it is: the plan made from it, its conclusions, its directives.
async fn visit_records(app: &App, visit: i64) -> Result<Vec<Record>> {
    let (plans, tasks, assignments) = rows::visit_parts(app.db(), visit).await?;
    let mut r = vec![Record::new(Table::Visits, visit)];
    r.extend(plans.into_iter().map(|p| Record::new(Table::Plans, p)));
    r.extend(tasks.into_iter().map(|t| Record::new(Table::Tasks, t)));
    r.extend(assignments.into_iter().map(|a| Record::new(Table::Assignments, a)));
    Ok(r)
}

fn of_units(index: &SearchIndex, codes: &[String]) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    for code in codes {
        let found = index.of_unit(code, MAX_LINKED).map_err(index_error)?;
        out.extend(found.into_iter().filter_map(|(kind, id)| Record::of_doc(kind, id)));
    }
    Ok(out)
}

/// Follows the trail until `stop` turns true: rebuilds the index first when it needs it, then a pass
/// every `every` (about half a second: a change is searchable within a second or two). Errors are logged
/// and retried; a damaged index is rebuilt.
pub async fn follow(app: App, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let engine = app.search_engine().clone();
    if engine.is_off() {
        return;
    }
    let mut pause = every;
    while !*stop.borrow() {
        if engine.needs_rebuild() {
            let started = Instant::now();
            let logged = std::sync::atomic::AtomicU64::new(0);
            let report = |done: u64, total: u64| {
                // About every tenth of the way.
                let step = (total / 10).max(1);
                if logged.swap(done / step, std::sync::atomic::Ordering::Relaxed) != done / step {
                    tracing::info!(done, total, "rebuilding the search index");
                }
            };
            match super::rebuild(&app, &report).await {
                Ok(rebuilt) => {
                    tracing::info!(
                        documents = rebuilt.documents,
                        seconds = started.elapsed().as_secs_f64(),
                        "the search index is rebuilt"
                    );
                    pause = every;
                }
                Err(err) => {
                    tracing::error!(error = %err, "rebuilding the search index failed; trying again in a minute");
                    pause = Duration::from_secs(60);
                }
            }
        } else {
            match catch_up(&app).await {
                Ok(_) => pause = every,
                Err(Error::Unavailable { code: "search_rebuilding" }) => {
                    engine.damaged("a file of the index cannot be read");
                }
                Err(err) => {
                    if engine.dir().is_some_and(|dir| !dir.join("meta.json").exists()) {
                        // Someone deleted the index while the server ran: build it again.
                        engine.damaged("the index's directory was deleted");
                        continue;
                    }
                    tracing::warn!(error = %err, "following the audit trail into the search index failed; retrying");
                    pause = (pause * 2).min(Duration::from_secs(30));
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stop.changed() => {}
        }
    }
}
