//! Facet counts (type, organisation, unit, year, status) over the documents a query matches, read from
//! fast fields in one pass that also counts the total. The query carries the access clause, so only
//! visible documents are counted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// A segment's facet values by document, read once from its fast-field columns into plain arrays: counting
/// a query's hits then indexes arrays instead of decoding columns per hit (the columns' lookups were half
/// the time of a broad query: 173,000 hits, 10 of 16 ms). A few bytes per document per facet (about 7 MB
/// for 222,000 documents), built at the first search of a segment (segments never change; deletions do
/// not touch fast fields).
pub(crate) struct SegmentColumns {
    /// For the values' texts.
    kind: Option<StrColumn>,
    status: Option<StrColumn>,
    unit: Option<StrColumn>,
    /// The term ordinal of each document's type and status ([`NONE`] when it has none).
    kind_ords: Vec<u32>,
    status_ords: Vec<u32>,
    /// Each document's year ([`NO_YEAR`] when it has none).
    years: Vec<i64>,
    year_range: Option<(i64, i64)>,
    /// Each document's unit ordinals and organisations: document `d`'s are at `starts[d]..starts[d + 1]`.
    unit_starts: Vec<u32>,
    unit_ords: Vec<u32>,
    organization_starts: Vec<u32>,
    organizations: Vec<i64>,
    organization_range: Option<(i64, i64)>,
}

/// No value of a single-valued string facet.
const NONE: u32 = u32::MAX;
/// No year.
const NO_YEAR: i64 = i64::MIN;
/// Documents read from the columns at once when a segment's arrays are built.
const BUILD_BLOCK: u32 = 4096;

impl SegmentColumns {
    fn read(reader: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let fast = reader.fast_fields();
        let kind = fast.str("kind")?;
        let status = fast.str("status")?;
        let unit = fast.str("unit")?;
        let organization: Column<i64> = fast.i64("organization")?;
        let year: Column<i64> = fast.i64("year")?;
        let max_doc = reader.max_doc();
        let capacity = max_doc as usize;
        let mut out = SegmentColumns {
            kind_ords: Vec::with_capacity(capacity),
            status_ords: Vec::with_capacity(capacity),
            years: Vec::with_capacity(capacity),
            year_range: range(&year),
            unit_starts: Vec::with_capacity(capacity + 1),
            unit_ords: Vec::new(),
            organization_starts: Vec::with_capacity(capacity + 1),
            organizations: Vec::new(),
            organization_range: range(&organization),
            kind,
            status,
            unit,
        };
        let mut ords: Vec<Option<u64>> = Vec::new();
        let mut numbers: Vec<Option<i64>> = Vec::new();
        let (mut docs_out, mut rows) = (Vec::new(), Vec::new());
        let (mut unit_values, mut organization_values): (Vec<u64>, Vec<i64>) = (Vec::new(), Vec::new());
        let mut first = 0;
        while first < max_doc {
            let docs: Vec<DocId> = (first..max_doc.min(first + BUILD_BLOCK)).collect();
            single_ords(&out.kind, &docs, &mut ords, &mut out.kind_ords);
            single_ords(&out.status, &docs, &mut ords, &mut out.status_ords);
            numbers.clear();
            numbers.resize(docs.len(), None);
            year.first_vals(&docs, &mut numbers);
            out.years.extend(numbers.iter().map(|y| y.unwrap_or(NO_YEAR)));
            if let Some(unit) = &out.unit {
                block_values(unit.ords(), &docs, &mut docs_out, &mut rows, &mut unit_values);
                push_lists(&docs, &docs_out, &unit_values, &mut out.unit_starts, &mut out.unit_ords, |o| {
                    u32::try_from(o).unwrap_or(NONE)
                });
            } else {
                out.unit_starts.extend(docs.iter().map(|_| 0));
            }
            block_values(&organization, &docs, &mut docs_out, &mut rows, &mut organization_values);
            push_lists(
                &docs,
                &docs_out,
                &organization_values,
                &mut out.organization_starts,
                &mut out.organizations,
                |o| o,
            );
            first += BUILD_BLOCK;
        }
        out.unit_starts.push(u32::try_from(out.unit_ords.len()).unwrap_or(u32::MAX));
        out.organization_starts.push(u32::try_from(out.organizations.len()).unwrap_or(u32::MAX));
        Ok(out)
    }
}

/// The smallest and largest value of a column with values.
fn range(column: &Column<i64>) -> Option<(i64, i64)> {
    (column.num_docs() > 0).then(|| (column.min_value(), column.max_value()))
}

/// Appends the single ordinal of each document of a block.
fn single_ords(column: &Option<StrColumn>, docs: &[DocId], buffer: &mut Vec<Option<u64>>, out: &mut Vec<u32>) {
    buffer.clear();
    buffer.resize(docs.len(), None);
    if let Some(column) = column {
        column.ords().first_vals(docs, buffer);
    }
    out.extend(buffer.iter().map(|o| o.and_then(|o| u32::try_from(o).ok()).unwrap_or(NONE)));
}

/// Appends the values of each document of a block to a list with its starts (`owners` names the document
/// of each value, in order).
fn push_lists<T: Copy, U>(
    docs: &[DocId],
    owners: &[DocId],
    values: &[T],
    starts: &mut Vec<u32>,
    out: &mut Vec<U>,
    convert: impl Fn(T) -> U,
) {
    let mut next = 0;
    for doc in docs {
        starts.push(u32::try_from(out.len()).unwrap_or(u32::MAX));
        while next < owners.len() && owners[next] == *doc {
            out.push(convert(values[next]));
            next += 1;
        }
    }
}

/// The facet arrays of the segments searched, by segment.
#[derive(Default)]
pub(crate) struct ColumnCache(Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>);

impl ColumnCache {
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = reader.segment_id();
        if let Some(columns) = self.0.lock().ok().and_then(|map| map.get(&id).cloned()) {
            return Ok(columns);
        }
        let columns = Arc::new(SegmentColumns::read(reader)?);
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
    columns: Arc<SegmentColumns>,
    kind_counts: Vec<u64>,
    status_counts: Vec<u64>,
    unit_counts: Vec<u64>,
    organization_counts: NumberCounts,
    year_counts: NumberCounts,
    /// Documents collected one at a time, not counted yet.
    pending: Vec<DocId>,
}

/// Counts per number: dense when the range is small.
enum NumberCounts {
    Dense { min: i64, counts: Vec<u64> },
    Sparse(HashMap<i64, u64>),
}

impl NumberCounts {
    fn for_range(range: Option<(i64, i64)>) -> NumberCounts {
        match range.and_then(|(min, max)| Some((min, usize::try_from(max.checked_sub(min)?).ok()?))) {
            Some((min, span)) if span < 1 << 20 => NumberCounts::Dense { min, counts: vec![0; span + 1] },
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
        let columns = self.columns.get(reader)?;
        Ok(SegmentCounts {
            total: 0,
            kind_counts: str_counts(&columns.kind),
            status_counts: str_counts(&columns.status),
            unit_counts: str_counts(&columns.unit),
            organization_counts: NumberCounts::for_range(columns.organization_range),
            year_counts: NumberCounts::for_range(columns.year_range),
            columns,
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
            kinds: harvest_ords(&self.columns.kind, &self.kind_counts),
            statuses: harvest_ords(&self.columns.status, &self.status_counts),
            units: harvest_ords(&self.columns.unit, &self.unit_counts),
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
        let c = &*self.columns;
        let add = |counts: &mut [u64], ord: u32| {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        };
        for doc in docs {
            let d = *doc as usize;
            let (Some(kind), Some(status), Some(year)) = (c.kind_ords.get(d), c.status_ords.get(d), c.years.get(d))
            else {
                continue;
            };
            add(&mut self.kind_counts, *kind);
            add(&mut self.status_counts, *status);
            if *year != NO_YEAR {
                self.year_counts.add(*year);
            }
            for ord in list(&c.unit_starts, &c.unit_ords, d) {
                add(&mut self.unit_counts, *ord);
            }
            for organization in list(&c.organization_starts, &c.organizations, d) {
                self.organization_counts.add(*organization);
            }
        }
    }
}

/// Document `d`'s values of a list.
fn list<'a, T>(starts: &[u32], values: &'a [T], d: usize) -> &'a [T] {
    match (starts.get(d), starts.get(d + 1)) {
        (Some(from), Some(to)) => values.get(*from as usize..*to as usize).unwrap_or(&[]),
        _ => &[],
    }
}
