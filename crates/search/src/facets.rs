//! Facet counts (type, organisation, unit, year, status) over the documents a query matches, read from
//! fast fields in one pass that also counts the total. The query carries the access clause, so only
//! visible documents are counted.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::doc::DocKind;

/// Counts per value, largest first (ties by value).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    /// Per type of record.
    pub kinds: Vec<(DocKind, u64)>,
    /// Per organisation id.
    pub organizations: Vec<(i64, u64)>,
    /// Per unit code.
    pub units: Vec<(String, u64)>,
    /// Per year.
    pub years: Vec<(i32, u64)>,
    /// Per status code.
    pub statuses: Vec<(String, u64)>,
}

/// How many values of each facet are returned at most (the most frequent).
pub const MAX_FACET_VALUES: usize = 50;

/// The fast-field columns of one segment. Opening them reads their headers and dictionaries (a few
/// milliseconds per query over many segments), so they are opened once per segment and kept.
#[derive(Clone)]
pub(crate) struct SegmentColumns {
    kind: Option<StrColumn>,
    status: Option<StrColumn>,
    unit: Option<StrColumn>,
    organization: Column<i64>,
    year: Column<i64>,
}

/// The columns of the segments searched, by segment (segments never change; deletions do not touch
/// fast fields).
#[derive(Default)]
pub(crate) struct ColumnCache(Mutex<HashMap<SegmentId, SegmentColumns>>);

impl ColumnCache {
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let id = reader.segment_id();
        if let Some(columns) = self.0.lock().ok().and_then(|map| map.get(&id).cloned()) {
            return Ok(columns);
        }
        let fast = reader.fast_fields();
        let columns = SegmentColumns {
            kind: fast.str("kind")?,
            status: fast.str("status")?,
            unit: fast.str("unit")?,
            organization: fast.i64("organization")?,
            year: fast.i64("year")?,
        };
        if let Ok(mut map) = self.0.lock() {
            map.insert(id, columns.clone());
        }
        Ok(columns)
    }

    /// Forgets the segments a searcher no longer has (merged away).
    pub fn retain(&self, searcher: &Searcher) {
        if let Ok(mut map) = self.0.lock()
            && map.len() > searcher.segment_readers().len()
        {
            let live: Vec<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
            map.retain(|id, _| live.contains(id));
        }
    }
}

/// The total and the facet counts of a query's matches.
pub(crate) struct FacetCollector<'a> {
    pub columns: &'a ColumnCache,
}

/// Counts of one segment: per term ordinal for strings, per value for numbers (in a vector indexed from
/// the column's smallest value when the values are close together, as years and organisation ids are).
pub(crate) struct SegmentCounts {
    total: u64,
    kind: Option<StrColumn>,
    kind_counts: Vec<u64>,
    status: Option<StrColumn>,
    status_counts: Vec<u64>,
    unit: Option<StrColumn>,
    unit_counts: Vec<u64>,
    organization: Column<i64>,
    organization_counts: NumberCounts,
    year: Column<i64>,
    year_counts: NumberCounts,
    /// Reused for the values of a block of documents.
    ords: Vec<Option<u64>>,
    numbers: Vec<Option<i64>>,
    scratch_docs: Vec<DocId>,
    scratch_rows: Vec<u32>,
    many_ords: Vec<u64>,
    many_numbers: Vec<i64>,
    /// Documents collected one at a time, not counted yet.
    pending: Vec<DocId>,
}

/// Counts per number: dense when the range is small.
enum NumberCounts {
    Dense { min: i64, counts: Vec<u64> },
    Sparse(HashMap<i64, u64>),
}

impl NumberCounts {
    fn for_column(column: &Column<i64>) -> NumberCounts {
        let (min, max) = (column.min_value(), column.max_value());
        match max.checked_sub(min).and_then(|span| usize::try_from(span).ok()) {
            Some(span) if span < 1 << 20 && column.num_docs() > 0 => {
                NumberCounts::Dense { min, counts: vec![0; span + 1] }
            }
            _ => NumberCounts::Sparse(HashMap::new()),
        }
    }

    fn add(&mut self, value: i64) {
        match self {
            NumberCounts::Dense { min, counts } => {
                if let Some(c) =
                    value.checked_sub(*min).and_then(|i| usize::try_from(i).ok()).and_then(|i| counts.get_mut(i))
                {
                    *c += 1;
                }
            }
            NumberCounts::Sparse(map) => *map.entry(value).or_default() += 1,
        }
    }

    fn harvest(self) -> HashMap<i64, u64> {
        let mut counted: Vec<(i64, u64)> = match self {
            NumberCounts::Dense { min, counts } => {
                counts.into_iter().enumerate().filter(|(_, c)| *c > 0).map(|(i, c)| (min + i as i64, c)).collect()
            }
            NumberCounts::Sparse(map) => map.into_iter().collect(),
        };
        keep_most_frequent(&mut counted, |(_, c)| *c);
        counted.into_iter().collect()
    }
}

/// The fruit of one segment: counts by value.
#[derive(Default)]
pub(crate) struct Counts {
    total: u64,
    kinds: HashMap<String, u64>,
    statuses: HashMap<String, u64>,
    units: HashMap<String, u64>,
    organizations: HashMap<i64, u64>,
    years: HashMap<i64, u64>,
}

fn str_counts(column: &Option<StrColumn>) -> Vec<u64> {
    vec![0; column.as_ref().map_or(0, |c| c.dictionary().num_terms())]
}

impl Collector for FacetCollector<'_> {
    type Fruit = (u64, Facets);
    type Child = SegmentCounts;

    fn for_segment(&self, _segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounts> {
        let SegmentColumns { kind, status, unit, organization, year } = self.columns.get(reader)?;
        Ok(SegmentCounts {
            total: 0,
            kind_counts: str_counts(&kind),
            status_counts: str_counts(&status),
            unit_counts: str_counts(&unit),
            kind,
            status,
            unit,
            organization_counts: NumberCounts::for_column(&organization),
            organization,
            year_counts: NumberCounts::for_column(&year),
            year,
            ords: Vec::new(),
            numbers: Vec::new(),
            scratch_docs: Vec::new(),
            scratch_rows: Vec::new(),
            many_ords: Vec::new(),
            many_numbers: Vec::new(),
            pending: Vec::with_capacity(PENDING_BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    /// Counts whole blocks of matches, also in a segment with deleted documents (tantivy's default hands
    /// those over one document at a time, which costs each column lookup per document).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Counts> {
        let mut counts = self.for_segment(segment, reader)?;
        match reader.alive_bitset() {
            None => weight.for_each_no_score(reader, &mut |docs| counts.collect_block(docs))?,
            Some(alive) => {
                let mut kept: Vec<DocId> = Vec::new();
                weight.for_each_no_score(reader, &mut |docs| {
                    kept.clear();
                    kept.extend(docs.iter().copied().filter(|doc| alive.is_alive(*doc)));
                    counts.collect_block(&kept);
                })?;
            }
        }
        Ok(counts.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<(u64, Facets)> {
        let mut all = Counts::default();
        for fruit in fruits {
            all.total += fruit.total;
            for (k, v) in fruit.kinds {
                *all.kinds.entry(k).or_default() += v;
            }
            for (k, v) in fruit.statuses {
                *all.statuses.entry(k).or_default() += v;
            }
            for (k, v) in fruit.units {
                *all.units.entry(k).or_default() += v;
            }
            for (k, v) in fruit.organizations {
                *all.organizations.entry(k).or_default() += v;
            }
            for (k, v) in fruit.years {
                *all.years.entry(k).or_default() += v;
            }
        }
        let facets = Facets {
            kinds: ranked(all.kinds.into_iter().filter_map(|(k, v)| Some((DocKind::from_code(&k)?, v))).collect()),
            organizations: ranked(all.organizations.into_iter().collect()),
            units: ranked(all.units.into_iter().collect()),
            years: ranked(all.years.into_iter().filter_map(|(y, v)| Some((i32::try_from(y).ok()?, v))).collect()),
            statuses: ranked(all.statuses.into_iter().collect()),
        };
        Ok((all.total, facets))
    }
}

/// Most frequent first, ties by value; at most [`MAX_FACET_VALUES`].
fn ranked<T: Ord>(mut counts: Vec<(T, u64)>) -> Vec<(T, u64)> {
    counts.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
    counts.truncate(MAX_FACET_VALUES);
    counts
}

/// At most this many values of a facet are kept per segment before the segments are merged: the top
/// values overall are among them unless a value is spread thinly over many segments (an index has a few).
/// Reading every value's text (30,000 unit codes) cost more than counting the hits.
pub const SEGMENT_FACET_VALUES: usize = 1_000;

/// Keeps the [`SEGMENT_FACET_VALUES`] most frequent values.
fn keep_most_frequent<T>(values: &mut Vec<T>, count: impl Fn(&T) -> u64) {
    if values.len() > SEGMENT_FACET_VALUES {
        values.select_nth_unstable_by(SEGMENT_FACET_VALUES, |a, b| count(b).cmp(&count(a)));
        values.truncate(SEGMENT_FACET_VALUES);
    }
}

/// Every value of a block of documents in a multi-valued column, read in one batch.
fn block_values<T: Default + Copy + PartialOrd + Send + Sync + std::fmt::Debug + 'static>(
    column: &Column<T>,
    docs: &[DocId],
    scratch_docs: &mut Vec<DocId>,
    scratch_rows: &mut Vec<u32>,
    out: &mut Vec<T>,
) {
    scratch_docs.clear();
    scratch_rows.clear();
    column.row_ids_for_docs(docs, scratch_docs, scratch_rows);
    out.clear();
    out.resize(scratch_rows.len(), T::default());
    column.values.get_vals(scratch_rows, out);
}

/// The counted values of a string column by text. The ordinals are read in order, so the dictionary is
/// decoded block by block once, not looked up per ordinal (30,000 unit codes took 300 ms that way).
fn harvest_ords(column: &Option<StrColumn>, counts: &[u64]) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some(column) = column else {
        return out;
    };
    let mut ords: Vec<u64> = counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(o, _)| o as u64).collect();
    keep_most_frequent(&mut ords, |o| counts[*o as usize]);
    ords.sort_unstable();
    let mut counted = ords.iter().map(|o| counts[*o as usize]);
    let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let (Ok(text), Some(count)) = (std::str::from_utf8(bytes), counted.next()) {
            out.insert(text.to_owned(), count);
        }
    });
    out
}

/// Counts the single value of each document of a block (type, status).
fn count_single_ords(column: &Option<StrColumn>, counts: &mut [u64], docs: &[DocId], buffer: &mut Vec<Option<u64>>) {
    if let Some(column) = column {
        buffer.clear();
        buffer.resize(docs.len(), None);
        column.ords().first_vals(docs, buffer);
        for ord in buffer.iter().flatten() {
            if let Some(c) = usize::try_from(*ord).ok().and_then(|o| counts.get_mut(o)) {
                *c += 1;
            }
        }
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    /// One document at a time (when collected beside a scoring collector): kept until a block is full.
    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() == PENDING_BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.flush();
        self.count(docs);
    }

    fn harvest(mut self) -> Counts {
        self.flush();
        Counts {
            total: self.total,
            kinds: harvest_ords(&self.kind, &self.kind_counts),
            statuses: harvest_ords(&self.status, &self.status_counts),
            units: harvest_ords(&self.unit, &self.unit_counts),
            organizations: self.organization_counts.harvest(),
            years: self.year_counts.harvest(),
        }
    }
}

/// How many documents collected one at a time are counted together.
const PENDING_BLOCK: usize = 64;

impl SegmentCounts {
    /// Counts the documents kept by `collect`.
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.count(&pending);
            self.pending = pending;
            self.pending.clear();
        }
    }

    /// Counts a block of documents.
    fn count(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        count_single_ords(&self.kind, &mut self.kind_counts, docs, &mut self.ords);
        count_single_ords(&self.status, &mut self.status_counts, docs, &mut self.ords);
        self.numbers.clear();
        self.numbers.resize(docs.len(), None);
        self.year.first_vals(docs, &mut self.numbers);
        for year in self.numbers.iter().flatten() {
            self.year_counts.add(*year);
        }
        if let Some(unit) = &self.unit {
            block_values(unit.ords(), docs, &mut self.scratch_docs, &mut self.scratch_rows, &mut self.many_ords);
            for ord in &self.many_ords {
                if let Some(c) = usize::try_from(*ord).ok().and_then(|o| self.unit_counts.get_mut(o)) {
                    *c += 1;
                }
            }
        }
        block_values(&self.organization, docs, &mut self.scratch_docs, &mut self.scratch_rows, &mut self.many_numbers);
        for org in &self.many_numbers {
            self.organization_counts.add(*org);
        }
    }
}
